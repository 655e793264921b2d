//! The "Server" disclosure: point the playground at any OpenAI-compatible server for this tab, or back at the
//! connected one.

use kinlink::{ApiError, Client};
use leptos::prelude::*;

use super::store;
use crate::components::error_banner::ErrorBanner;
use crate::state::{client_for, SavedConnection};

/// The server chosen for this tab, if any.
pub fn restore_custom_server() -> Option<Client> {
    store::load_server().and_then(|saved| client_for(&saved).ok())
}

#[component]
pub fn ServerSettings(
    custom: RwSignal<Option<Client>>,
    client: Signal<Option<Client>>,
) -> impl IntoView {
    let server = RwSignal::new(store::load_server().map(|s| s.server).unwrap_or_default());
    let api_key = RwSignal::new(String::new());
    let (error, set_error) = signal(None::<ApiError>);

    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let saved = SavedConnection {
            server: server.get_untracked().trim().to_owned(),
            api_key: api_key.get_untracked(),
        };
        match client_for(&saved) {
            Ok(new_client) => {
                store::save_server(Some(&saved));
                set_error.set(None);
                custom.set(Some(new_client));
            }
            Err(e) => set_error.set(Some(e)),
        }
    };
    let reset = move |_| {
        store::save_server(None);
        api_key.set(String::new());
        set_error.set(None);
        custom.set(None);
    };
    let current = move || {
        client.with(|c| {
            c.as_ref()
                .map(|c| c.base_url().to_owned())
                .unwrap_or_else(|| "none".to_owned())
        })
    };

    view! {
        <details class="server-settings">
            <summary>"Server: " <span class="server-url">{current}</span></summary>
            <form class="form" on:submit=apply>
                <p class="hint">"Any OpenAI-compatible server. Kept in this tab only; the key is never put in a URL."</p>
                <label for="chat-server">"Server URL"</label>
                <input id="chat-server" name="chat-server" type="url" required placeholder="https://api.example.com/v1" bind:value=server/>
                <label for="chat-api-key">"API key"</label>
                <input id="chat-api-key" name="chat-api-key" type="password" required autocomplete="off" bind:value=api_key/>
                <div class="actions">
                    <button type="submit" class="primary">"Use this server"</button>
                    <Show when=move || custom.with(Option::is_some)>
                        <button type="button" class="secondary" on:click=reset>"Use the connected server"</button>
                    </Show>
                </div>
            </form>
            {move || error.get().map(|error| view! { <ErrorBanner error/> })}
        </details>
    }
}
