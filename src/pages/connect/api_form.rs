//! `/connect/:api`: set or change one API's connection. Kino and OpenAI-compatible servers take a URL and a
//! key; KinBot takes a URL and a sign-in (its only credential is the session cookie it sets).

use kinlink::ApiError;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params};
use leptos_router::params::Params;

use crate::components::error_banner::ErrorBanner;
use crate::components::page::set_title;
use crate::pages::not_found::NotFound;
use crate::routes::{Api, AppRoute};
use crate::state::{page_origin, ApiConnection, Connections, Credential, SavedConnection};

#[derive(Params, PartialEq, Clone, Debug)]
struct ConnectParams {
    api: Option<Api>,
}

#[component]
pub fn ConnectApiPage() -> impl IntoView {
    let params = use_params::<ConnectParams>();
    move || match params.get().ok().and_then(|p| p.api) {
        Some(api) => {
            set_title(AppRoute::ConnectApi(api).title());
            let connection = expect_context::<Connections>().get(api);
            view! { <ApiForm connection/> }.into_any()
        }
        None => view! { <NotFound/> }.into_any(),
    }
}

/// What the form submits.
#[derive(Clone)]
struct Submission {
    server: String,
    /// The key, or KinBot's password.
    secret: String,
    email: String,
    remember: bool,
}

async fn submit(connection: ApiConnection, form: Submission) -> Result<(), ApiError> {
    if connection.api == Api::KinBot {
        connection
            .sign_in(form.server, form.email, form.secret, form.remember)
            .await
    } else {
        let saved = SavedConnection {
            server: form.server,
            credential: Credential::ApiKey(form.secret),
        };
        connection.connect(saved, form.remember).await
    }
}

/// Where to go once connected: the API's first screen.
fn landing(api: Api) -> AppRoute {
    match api {
        Api::Kino => AppRoute::KinoStatus,
        Api::KinBot => AppRoute::KinBotAccount,
        Api::OpenAi => AppRoute::Chat,
    }
}

#[component]
fn ApiForm(connection: ApiConnection) -> impl IntoView {
    let api = connection.api;
    let navigate = use_navigate();
    let current = connection.server_url();
    let server = RwSignal::new(if current.is_empty() {
        page_origin()
    } else {
        current
    });
    let secret = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let remember = RwSignal::new(false);
    let (error, set_error) = signal(None::<ApiError>);

    let action = Action::new_local(move |form: &Submission| submit(connection, form.clone()));
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => navigate(&landing(api).href(), Default::default()),
        Some(Err(e)) => set_error.set(Some(e)),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        set_error.set(None);
        action.dispatch(Submission {
            server: server.get_untracked().trim().to_owned(),
            secret: secret.get_untracked(),
            email: email.get_untracked().trim().to_owned(),
            remember: remember.get_untracked(),
        });
    };
    let session = api == Api::KinBot;

    view! {
        <section class="card narrow">
            <p class="breadcrumb"><A href=AppRoute::Connect.href()>"Connections"</A></p>
            <h1>{format!("Connect {}", api.name())}</h1>
            <p class="muted">{intro(api)}</p>
            <form class="form" on:submit=on_submit>
                <label for="server">"Server URL"</label>
                <input id="server" name="server" type="url" required autocomplete="url" bind:value=server/>
                {session.then(|| view! {
                    <label for="email">"Email"</label>
                    <input id="email" name="email" type="email" required autocomplete="username" bind:value=email/>
                })}
                <label for="secret">{if session { "Password" } else { "API key" }}</label>
                <input id="secret" name="secret" type="password" required autocomplete="current-password" bind:value=secret/>
                <label class="check">
                    <input id="remember" name="remember" type="checkbox" bind:checked=remember/>
                    "Remember on this device"
                </label>
                <p class="hint">{remember_hint(api)}</p>
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    {move || match (action.pending().get(), session) {
                        (true, _) => "Connecting…",
                        (false, true) => "Sign in",
                        (false, false) => "Connect",
                    }}
                </button>
            </form>
            {move || error.get().map(|error| view! { <ErrorBanner error/> })}
        </section>
    }
}

fn intro(api: Api) -> &'static str {
    match api {
        Api::Kino => "Your Kino server and its API key (Settings → General). The key is checked before it is kept.",
        Api::KinBot => "Your KinBot server and your account. KinBot keeps you signed in with a cookie in this browser; \
                        a KinBot on another site must list this console's address in its TRUSTED_ORIGINS.",
        Api::OpenAi => "Any OpenAI-compatible server (its base URL, with or without /v1) and a key it accepts.",
    }
}

fn remember_hint(api: Api) -> &'static str {
    match api {
        Api::KinBot => "Without it, this tab forgets the server when it closes (the session itself lasts 7 days).",
        _ => "Without it, the key is forgotten when this tab closes. It is never put in a URL.",
    }
}
