//! Kino's status: version, uptime and what needs attention, plus a check that the key still works.

use kinlink::kino::{ServerState, Status};
use kinlink::ApiError;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::error_banner::ErrorBanner;
use crate::state::Connection;

/// `3725` → `1 h 2 min`.
fn format_uptime(seconds: u64) -> String {
    let (days, hours, minutes) = (seconds / 86_400, seconds / 3_600 % 24, seconds / 60 % 60);
    match (days, hours, minutes) {
        (0, 0, 0) => format!("{seconds} s"),
        (0, 0, m) => format!("{m} min"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

fn state_label(state: &ServerState) -> (&'static str, &'static str) {
    match state {
        ServerState::Ok => ("Healthy", "pill ok"),
        ServerState::Degraded => ("Degraded", "pill warn"),
        ServerState::SetupRequired => ("Setup required", "pill warn"),
        ServerState::Unknown => ("Unknown state", "pill"),
    }
}

#[component]
pub fn StatusPage() -> impl IntoView {
    let connection = expect_context::<Connection>();
    let status = LocalResource::new(move || {
        let client = connection.client();
        async move {
            let client = client?;
            let (status, config) =
                futures_util::future::join(client.kino().status(), client.kino().config()).await;
            Some((status, config.map(|_| ())))
        }
    });

    view! {
        <section class="card">
            <div class="card-head">
                <h1>"Kino status"</h1>
                <button class="secondary" on:click=move |_| status.refetch()>"Refresh"</button>
            </div>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || status.get().map(|loaded| match loaded {
                    None => view! {
                        <p>"Not connected. " <A href="/">"Connect to a server"</A></p>
                    }.into_any(),
                    Some((status, key_check)) => view! {
                        {key_check.err().map(|error| view! { <ErrorBanner error/> })}
                        {status_view(status)}
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

fn status_view(status: Result<Status, ApiError>) -> AnyView {
    match status {
        Err(error) => view! { <ErrorBanner error/> }.into_any(),
        Ok(status) => {
            let (label, class) = state_label(&status.status);
            let uptime = status
                .uptime_seconds
                .map(format_uptime)
                .unwrap_or_else(|| "not reported".to_owned());
            view! {
                <dl class="facts">
                    <dt>"Version"</dt><dd data-testid="version">{status.version.clone()}</dd>
                    <dt>"Uptime"</dt><dd data-testid="uptime">{uptime}</dd>
                    <dt>"State"</dt><dd><span class=class>{label}</span></dd>
                    <dt>"Installed as"</dt><dd>{status.install_kind.clone().unwrap_or_else(|| "unknown".to_owned())}</dd>
                </dl>
                <Show when={let empty = status.warnings.is_empty(); move || !empty}>
                    <h2>"Needs attention"</h2>
                </Show>
                <ul class="warnings">
                    {status.warnings.iter().map(|w| view! {
                        <li>
                            <span>{w.message.clone()}</span>
                            {w.route.clone().map(|r| view! { <code class="route">{r}</code> })}
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::format_uptime;

    #[test]
    fn uptime_is_human() {
        assert_eq!(format_uptime(42), "42 s");
        assert_eq!(format_uptime(3725), "1 h 2 min");
        assert_eq!(format_uptime(90_000), "1 d 1 h");
    }
}
