//! Kino's status: version, state and what needs attention, plus a check that the key still works.
//! (Kino's `/status` reports no uptime, so neither does this page.) Refreshing keeps the last answer on
//! screen until the new one arrives.

use kinlink::kino::{ServerStatus, StatusResponse};
use kinlink::ApiError;
use leptos::prelude::*;

use crate::components::error_banner::{ErrorBanner, ErrorsView};
use crate::routes::Api;
use crate::state::Connections;

fn state_label(state: &ServerStatus) -> (&'static str, &'static str) {
    match state {
        ServerStatus::Ok => ("Healthy", "pill ok"),
        ServerStatus::Degraded => ("Degraded", "pill warn"),
        ServerStatus::SetupRequired => ("Setup required", "pill warn"),
        ServerStatus::Unknown(_) => ("Unknown state", "pill"),
    }
}

/// The status, and whether the key is still accepted (the status itself is public).
type Loaded = (Result<StatusResponse, ApiError>, Result<(), ApiError>);

#[component]
pub fn StatusPage() -> impl IntoView {
    let connection = expect_context::<Connections>().get(Api::Kino);
    let status = LocalResource::new(move || {
        let client = connection.client();
        async move {
            let client = client?;
            let (status, config) = futures_util::future::join(
                client.kino().system().get_status(),
                client.kino().config().get(),
            )
            .await;
            Some::<Loaded>((status, config.map(drop)))
        }
    });

    view! {
        <section class="card">
            <div class="card-head">
                <h1>"Kino status"</h1>
                <button class="secondary" on:click=move |_| status.refetch()>"Refresh"</button>
            </div>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorsView errors/> }>
                    {move || status.get().flatten().map(|(status, key_check)| {
                        status.map(|status| view! {
                            {key_check.err().map(|error| view! { <ErrorBanner error/> })}
                            {status_view(status)}
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

fn status_view(status: StatusResponse) -> impl IntoView {
    let (label, class) = state_label(&status.status);
    let attention = !status.warnings.is_empty();
    view! {
        <dl class="facts">
            <dt>"Version"</dt><dd data-testid="version">{status.version.clone()}</dd>
            <dt>"State"</dt><dd><span class=class data-testid="state">{label}</span></dd>
            <dt>"Installed as"</dt><dd>{status.install_kind.clone().unwrap_or_else(|| "unknown".to_owned())}</dd>
        </dl>
        {attention.then(|| view! { <h2>"Needs attention"</h2> })}
        <ul class="warnings">
            {status.warnings.into_iter().map(|w| view! {
                <li>
                    <span>{w.message}</span>
                    {w.route.map(|r| view! { <code class="route">{r}</code> })}
                </li>
            }).collect_view()}
        </ul>
    }
}
