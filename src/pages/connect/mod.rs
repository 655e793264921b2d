//! The connect screen: the three connections at a glance, each set or changed on its own
//! ([`api_form`]), and "use this server for all" for a server that speaks every API (the sandbox).

pub mod api_form;

use kinlink::ApiError;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::components::connection_status::describe;
use crate::components::error_banner::ErrorBanner;
use crate::routes::{Api, AppRoute};
use crate::state::{
    page_origin, ApiConnection, Connections, Credential, LinkState, SavedConnection,
};

/// The account the sandbox's KinBot signs in (its password is the sandbox's API key).
const SANDBOX_KINBOT_EMAIL: &str = "sandbox@kinlink.local";

#[component]
pub fn ConnectPage() -> impl IntoView {
    let connections = expect_context::<Connections>();
    view! {
        <section class="card">
            <h1>"Connections"</h1>
            <p class="muted">
                "Kinlink talks to three kinds of server, each with its own address and credential. Set up the ones you use."
            </p>
            <ul class="connection-list">
                {Api::ALL.into_iter().map(|api| view! { <ConnectionRow connection=connections.get(api)/> }).collect_view()}
            </ul>
        </section>
        <UseForAll/>
    }
}

#[component]
fn ConnectionRow(connection: ApiConnection) -> impl IntoView {
    let api = connection.api;
    let state = move || connection.state();
    view! {
        <li class="connection-row" data-testid=format!("connection-{}", api.slug())>
            <div>
                <strong>{api.name()}</strong>
                <span class="muted">{format!(" · {}", api.purpose())}</span>
                <div class="connection-detail">
                    <span class=move || format!("pill {}", describe(&state()).0)>{move || describe(&state()).1}</span>
                    <span class="server-url">{move || connection.server_url()}</span>
                </div>
                {move || match state() {
                    LinkState::Failed(error) => Some(view! { <ErrorBanner error/> }),
                    _ => None,
                }}
            </div>
            <div class="actions">
                <A href=AppRoute::ConnectApi(api).href() attr:class="button secondary">
                    {move || if connection.is_set() { "Change" } else { "Set up" }}
                </A>
                <Show when=move || connection.is_set()>
                    <button type="button" class="secondary" on:click=move |_| connection.disconnect()>
                        "Disconnect"
                    </button>
                </Show>
            </div>
        </li>
    }
}

/// What "use this server for all" did for each API.
type Outcomes = Vec<(Api, Result<(), ApiError>)>;

/// Connects all three APIs to one server with one key: Kino and the OpenAI-compatible API use it as their
/// key, KinBot signs in with the given account and the key as its password (the sandbox's KinBot).
async fn connect_all(
    connections: Connections,
    server: String,
    key: String,
    kinbot_email: String,
    remember: bool,
) -> Outcomes {
    let keyed = |api: Api| {
        let saved = SavedConnection {
            server: server.clone(),
            credential: Credential::ApiKey(key.clone()),
        };
        connections.get(api).connect(saved, remember)
    };
    let (kino, openai, kinbot) = futures_util::future::join3(
        keyed(Api::Kino),
        keyed(Api::OpenAi),
        connections
            .get(Api::KinBot)
            .sign_in(server.clone(), kinbot_email, key.clone(), remember),
    )
    .await;
    vec![
        (Api::Kino, kino),
        (Api::KinBot, kinbot),
        (Api::OpenAi, openai),
    ]
}

#[component]
fn UseForAll() -> impl IntoView {
    let connections = expect_context::<Connections>();
    let navigate = use_navigate();
    let server = RwSignal::new(page_origin());
    let api_key = RwSignal::new(String::new());
    let kinbot_email = RwSignal::new(SANDBOX_KINBOT_EMAIL.to_owned());
    let remember = RwSignal::new(false);

    let connect = Action::new_local(move |input: &(String, String, String, bool)| {
        let (server, key, email, remember) = input.clone();
        connect_all(connections, server, key, email, remember)
    });
    Effect::new(move |_| {
        if let Some(outcomes) = connect.value().get() {
            if outcomes.iter().all(|(_, outcome)| outcome.is_ok()) {
                navigate(&AppRoute::KinoStatus.href(), Default::default());
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        connect.dispatch((
            server.get_untracked().trim().to_owned(),
            api_key.get_untracked(),
            kinbot_email.get_untracked().trim().to_owned(),
            remember.get_untracked(),
        ));
    };

    view! {
        <section class="card">
            <h2 class="card-title">"Use one server for all"</h2>
            <p class="muted">
                "For a server that speaks all three APIs, such as the Kinlink sandbox this page may have come from."
            </p>
            <form class="form" on:submit=submit>
                <label for="server">"Server URL"</label>
                <input id="server" name="server" type="url" required autocomplete="url" bind:value=server/>
                <label for="api-key">"API key"</label>
                <input id="api-key" name="api-key" type="password" required autocomplete="current-password" bind:value=api_key/>
                <label for="kinbot-email">"KinBot account"</label>
                <input id="kinbot-email" name="kinbot-email" type="email" required autocomplete="username" bind:value=kinbot_email/>
                <p class="hint">"KinBot signs in with this account and the API key as its password, as the sandbox's account does."</p>
                <label class="check">
                    <input id="remember" name="remember" type="checkbox" bind:checked=remember/>
                    "Remember on this device"
                </label>
                <p class="hint">"Without it, the key is forgotten when this tab closes. It is never put in a URL."</p>
                <button type="submit" class="primary" disabled=move || connect.pending().get()>
                    {move || if connect.pending().get() { "Connecting…" } else { "Connect all three" }}
                </button>
            </form>
            {move || connect.value().get().map(|outcomes| view! {
                <ul class="outcomes" aria-live="polite">
                    {outcomes.into_iter().map(|(api, outcome)| match outcome {
                        Ok(()) => view! { <li class="outcome ok">{format!("{}: connected", api.name())}</li> }.into_any(),
                        Err(error) => view! {
                            <li class="outcome">
                                <span>{format!("{}: not connected", api.name())}</span>
                                <ErrorBanner error/>
                            </li>
                        }.into_any(),
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}
