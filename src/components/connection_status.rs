//! The top bar's view of the three connections: one link per API to its connect screen, with its state
//! as a coloured dot and as text for screen readers.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::routes::{Api, AppRoute};
use crate::state::{ApiConnection, Connections, LinkState};

fn short_name(api: Api) -> &'static str {
    match api {
        Api::OpenAi => "OpenAI",
        other => other.name(),
    }
}

/// The state as a class and a phrase.
pub fn describe(state: &LinkState) -> (&'static str, &'static str) {
    match state {
        LinkState::Unset => ("unset", "not connected"),
        LinkState::Checking => ("checking", "checking…"),
        LinkState::Connected => ("ok", "connected"),
        LinkState::SignedOut => ("warn", "signed out"),
        LinkState::Failed(_) => ("error", "not working"),
    }
}

#[component]
fn ConnectionLink(connection: ApiConnection) -> impl IntoView {
    let api = connection.api;
    let class = move || format!("link-status {}", describe(&connection.state()).0);
    let label = move || {
        let server = connection.server_url();
        let (_, phrase) = describe(&connection.state());
        if server.is_empty() {
            format!("{}: {phrase}", api.name())
        } else {
            format!("{}: {phrase} ({server})", api.name())
        }
    };
    view! {
        <A href=AppRoute::ConnectApi(api).href() attr:class=class attr:title=label
           attr:data-testid=format!("status-{}", api.slug())>
            <span class="status-dot" aria-hidden="true"></span>
            <span aria-hidden="true">{short_name(api)}</span>
            <span class="visually-hidden">{label}</span>
        </A>
    }
}

#[component]
pub fn ConnectionStatus() -> impl IntoView {
    let connections = expect_context::<Connections>();
    view! {
        <div class="connections" role="group" aria-label="Connections">
            {Api::ALL.into_iter().map(|api| view! { <ConnectionLink connection=connections.get(api)/> }).collect_view()}
        </div>
    }
}
