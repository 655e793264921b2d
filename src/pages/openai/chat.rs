//! The chat playground: pick a model, write a system prompt and messages, and watch the reply stream in.
//!
//! It talks to the connected server (its `/v1`), or to another OpenAI-compatible server chosen under
//! "Server". The conversation is kept on this device across reloads.

mod countdown;
mod messages;
mod models;
mod server;
mod session;
mod store;

use leptos::ev::{KeyboardEvent, SubmitEvent};
use leptos::prelude::*;

use self::messages::MessageList;
use self::models::ModelPicker;
use self::server::{restore_custom_server, ServerSettings};
use self::session::ChatSession;
use crate::components::error_banner::ErrorBanner;
use crate::state::Connection;

#[component]
pub fn ChatPage() -> impl IntoView {
    let connection = expect_context::<Connection>();
    let custom = RwSignal::new(restore_custom_server());
    let client = Signal::derive(move || custom.get().or_else(|| connection.client()));
    let session = ChatSession::restore();

    let can_send = move || {
        !session.is_streaming()
            && session.rate_limit.left() == 0
            && session.model.with(|m| !m.is_empty())
            && client.with(Option::is_some)
    };
    let send = move || {
        if can_send() {
            if let Some(client) = client.get_untracked() {
                session.send(client);
            }
        }
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        send();
    };
    // Enter sends, Shift+Enter is a new line (and Enter that ends an IME composition is left alone).
    let on_keydown = move |ev: KeyboardEvent| {
        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
            ev.prevent_default();
            send();
        }
    };

    view! {
        <section class="card chat">
            <div class="card-head">
                <h1>"Chat"</h1>
                <button class="secondary" on:click=move |_| session.clear()>"Clear"</button>
            </div>
            <ServerSettings custom client/>
            <div class="chat-settings">
                <label for="model">"Model"</label>
                <ModelPicker client model=session.model/>
                <label for="system-prompt">"System prompt"</label>
                <textarea
                    id="system-prompt"
                    data-testid="system-prompt"
                    rows="2"
                    placeholder="You are a helpful assistant."
                    prop:value=move || session.system.get()
                    on:input=move |ev| session.system.set(event_target_value(&ev))
                ></textarea>
            </div>
            <MessageList messages=session.messages reply=session.reply/>
            {move || session.usage.get().map(|usage| view! {
                <p class="usage" data-testid="usage">
                    {format!(
                        "{} prompt / {} completion / {} total tokens",
                        usage.prompt_tokens, usage.completion_tokens, usage.total_tokens,
                    )}
                </p>
            })}
            {move || session.error.get().map(|error| view! { <ErrorBanner error/> })}
            <Show when=move || { session.rate_limit.left() > 0 }>
                <p class="banner banner-warn" data-testid="rate-limit" role="status">
                    {move || format!("Rate limited, retry in {} s", session.rate_limit.left())}
                </p>
            </Show>
            <form class="composer" on:submit=on_submit>
                <textarea
                    id="prompt"
                    data-testid="prompt"
                    rows="3"
                    aria-label="Message"
                    placeholder="Write a message. Enter sends, Shift+Enter adds a line."
                    prop:value=move || session.prompt.get()
                    on:input=move |ev| session.prompt.set(event_target_value(&ev))
                    on:keydown=on_keydown
                ></textarea>
                <Show
                    when=move || session.is_streaming()
                    fallback=move || view! {
                        <button type="submit" class="primary" data-testid="send" disabled=move || !can_send()>"Send"</button>
                    }
                >
                    <button type="button" class="secondary" data-testid="stop" on:click=move |_| session.stop()>"Stop"</button>
                </Show>
            </form>
        </section>
    }
}
