//! The message list: user turns as plain text, assistant turns as Markdown (marked when the user stopped
//! them), then the reply being streamed.

use kinlink::openai::{ChatMessage, Role};
use leptos::prelude::*;

use super::session::message_text;
use crate::components::markdown::Markdown;

fn message_view(message: &ChatMessage, stopped: bool) -> AnyView {
    let text = message_text(message).unwrap_or_default();
    match message.role {
        Role::User => view! {
            <div class="message user" data-testid="message-user">
                <span class="message-role">"You"</span>
                <p class="plain">{text}</p>
            </div>
        }
        .into_any(),
        _ => view! {
            <div class="message assistant" class:stopped=stopped data-testid="message-assistant">
                <span class="message-role">"Assistant"</span>
                <Markdown text/>
                {stopped.then(|| view! {
                    <p class="message-note" data-testid="stopped">"Stopped before the end"</p>
                })}
            </div>
        }
        .into_any(),
    }
}

#[component]
pub fn MessageList(
    messages: RwSignal<Vec<ChatMessage>>,
    stopped: RwSignal<Vec<usize>>,
    reply: RwSignal<Option<String>>,
) -> impl IntoView {
    let streaming = move || reply.with(Option::is_some);
    let empty = move || !streaming() && messages.with(Vec::is_empty);
    view! {
        <div class="messages" role="log">
            <Show when=empty>
                <p class="muted empty">"No messages yet. Write one below."</p>
            </Show>
            {move || {
                let stopped = stopped.get();
                messages.with(|messages| {
                    messages
                        .iter()
                        .enumerate()
                        .map(|(index, message)| message_view(message, stopped.contains(&index)))
                        .collect_view()
                })
            }}
            <Show when=streaming>
                <div class="message assistant streaming" data-testid="message-assistant" aria-busy="true">
                    <span class="message-role">"Assistant"</span>
                    <Markdown text=Signal::derive(move || reply.get().unwrap_or_default())/>
                </div>
            </Show>
        </div>
    }
}
