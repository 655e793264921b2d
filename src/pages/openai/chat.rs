//! The chat playground: pick a model, write a system prompt and messages, and watch the reply stream in.
//!
//! It talks to the OpenAI-compatible connection. The conversation is kept on this device across reloads.
//! While a reply streams, the page follows it as long as the reader stays at the bottom.

mod countdown;
mod follow;
mod messages;
mod models;
mod session;
mod store;

use leptos::ev::{KeyboardEvent, MouseEvent, SubmitEvent};
use leptos::prelude::*;

use self::follow::FollowBottom;
use self::messages::MessageList;
use self::models::ModelPicker;
use self::session::ChatSession;
use crate::components::error_banner::ErrorBanner;
use crate::routes::Api;
use crate::state::Connections;

#[component]
pub fn ChatPage() -> impl IntoView {
    let connection = expect_context::<Connections>().get(Api::OpenAi);
    let client = Signal::derive(move || connection.client());
    let session = ChatSession::restore();
    let model_ready = RwSignal::new(false);
    let follow = FollowBottom::new();
    Effect::new(move |_| {
        // Every new piece of the reply, while the reader is at the bottom.
        if session.reply.with(Option::is_some) {
            follow.keep_in_view();
        }
    });

    let can_send = move || {
        !session.is_streaming()
            && session.rate_limit.left() == 0
            && model_ready.get()
            && client.with(Option::is_some)
    };
    let send = move || {
        if can_send() {
            if let Some(client) = client.get_untracked() {
                follow.resume();
                session.send(client);
            }
        }
    };
    // One button that is Send or Stop: replacing the element would drop keyboard focus to the page.
    let on_button = move |ev: MouseEvent| {
        if session.is_streaming() {
            ev.prevent_default();
            session.stop();
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
            <div class="chat-settings">
                <ModelPicker client model=session.model ready=model_ready/>
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
            <MessageList messages=session.messages stopped=session.stopped reply=session.reply/>
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
                <button
                    type=move || if session.is_streaming() { "button" } else { "submit" }
                    class=move || if session.is_streaming() { "secondary" } else { "primary" }
                    data-testid=move || if session.is_streaming() { "stop" } else { "send" }
                    disabled=move || !session.is_streaming() && !can_send()
                    on:click=on_button
                >
                    {move || if session.is_streaming() { "Stop" } else { "Send" }}
                </button>
            </form>
        </section>
    }
}
