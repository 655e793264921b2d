//! The connect screen: server URL and API key, checked against the server before they are kept.

use kinlink::{ApiError, Client, Credentials};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::components::error_banner::ErrorBanner;
use crate::state::{page_origin, Connection, SavedConnection};

/// Checks the key with an authenticated call (Kino's status is public, so it would accept any key).
async fn verify(saved: SavedConnection) -> Result<SavedConnection, ApiError> {
    let client = Client::new(&saved.server, Credentials::Bearer(saved.api_key.clone()))?;
    client.kino().config().get().await?;
    Ok(saved)
}

#[component]
pub fn ConnectPage() -> impl IntoView {
    let connection = expect_context::<Connection>();
    let navigate = use_navigate();
    let server = RwSignal::new(Connection::saved_server().unwrap_or_else(page_origin));
    let api_key = RwSignal::new(String::new());
    let remember = RwSignal::new(false);
    let (error, set_error) = signal(None::<ApiError>);

    let check = Action::new_local(|saved: &SavedConnection| verify(saved.clone()));
    Effect::new(move |_| match check.value().get() {
        Some(Ok(saved)) => match connection.connect(saved, remember.get_untracked()) {
            Ok(()) => navigate("/kino/status", Default::default()),
            Err(e) => set_error.set(Some(e)),
        },
        Some(Err(e)) => set_error.set(Some(e)),
        None => {}
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        set_error.set(None);
        check.dispatch(SavedConnection {
            server: server.get_untracked().trim().to_owned(),
            api_key: api_key.get_untracked(),
        });
    };

    view! {
        <section class="card narrow">
            <h1>"Connect to a server"</h1>
            <p class="muted">"Kinlink talks to Kino, KinBot and OpenAI-compatible servers. Start with the sandbox this page came from, or any server you run."</p>
            <form class="form" on:submit=submit>
                <label for="server">"Server URL"</label>
                <input id="server" name="server" type="url" required autocomplete="url" bind:value=server/>
                <label for="api-key">"API key"</label>
                <input id="api-key" name="api-key" type="password" required autocomplete="current-password" bind:value=api_key/>
                <label class="check">
                    <input id="remember" name="remember" type="checkbox" bind:checked=remember/>
                    "Remember on this device"
                </label>
                <p class="hint">"Without it, the key is forgotten when this tab closes."</p>
                <button type="submit" class="primary" disabled=move || check.pending().get()>
                    {move || if check.pending().get() { "Connecting…" } else { "Connect" }}
                </button>
            </form>
            {move || error.get().map(|error| view! { <ErrorBanner error/> })}
        </section>
    }
}
