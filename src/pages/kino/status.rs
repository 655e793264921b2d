//! Kino's status: version, state and what needs attention, plus a check that the key still works.
//! (Kino's `/status` reports no uptime, so neither does this page.)

use kinlink::kino::{ServerStatus, StatusResponse};
use kinlink::ApiError;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::error_banner::ErrorBanner;
use crate::state::Connection;

fn state_label(state: &ServerStatus) -> (&'static str, &'static str) {
    match state {
        ServerStatus::Ok => ("Healthy", "pill ok"),
        ServerStatus::Degraded => ("Degraded", "pill warn"),
        ServerStatus::SetupRequired => ("Setup required", "pill warn"),
        ServerStatus::Unknown(_) => ("Unknown state", "pill"),
    }
}

#[component]
pub fn StatusPage() -> impl IntoView {
    let connection = expect_context::<Connection>();
    let status = LocalResource::new(move || {
        let client = connection.client();
        async move {
            let client = client?;
            let (status, config) = futures_util::future::join(
                client.kino().system().get_status(),
                client.kino().config().get(),
            )
            .await;
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

fn status_view(status: Result<StatusResponse, ApiError>) -> AnyView {
    match status {
        Err(error) => view! { <ErrorBanner error/> }.into_any(),
        Ok(status) => {
            let (label, class) = state_label(&status.status);
            view! {
                <dl class="facts">
                    <dt>"Version"</dt><dd data-testid="version">{status.version.clone()}</dd>
                    <dt>"State"</dt><dd><span class=class data-testid="state">{label}</span></dd>
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
