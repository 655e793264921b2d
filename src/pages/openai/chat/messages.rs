//! The message list: user turns as plain text, assistant turns as Markdown (marked when the user stopped
//! them), then the reply being streamed.
//!
//! Turns are keyed by their position: they are only ever appended, or the last one taken back (a prompt
//! given back after a failure), so the turn at a position never changes while it is on screen. Filing a
//! reply then renders one turn, not the whole conversation again, and a finished turn's Markdown is built
//! once, with no signal of its own.

use kinlink::openai::{ChatMessage, Role};
use leptos::prelude::*;

use super::session::message_text;
use crate::components::markdown::{Markdown, StaticMarkdown};

fn message_view(message: &ChatMessage, index: usize, stopped: RwSignal<Vec<usize>>) -> AnyView {
    let text = message_text(message).unwrap_or_default();
    match message.role {
        Role::User => view! {
            <div class="message user" data-testid="message-user">
                <span class="message-role">"You"</span>
                <p class="plain">{text}</p>
            </div>
        }
        .into_any(),
        _ => {
            // The reply is filed before its stop mark is, so the mark follows the signal.
            let is_stopped = move || stopped.with(|s| s.contains(&index));
            view! {
                <div class="message assistant" class:stopped=is_stopped data-testid="message-assistant">
                    <span class="message-role">"Assistant"</span>
                    <StaticMarkdown text/>
                    {move || is_stopped().then(|| view! {
                        <p class="message-note" data-testid="stopped">"Stopped before the end"</p>
                    })}
                </div>
            }
            .into_any()
        }
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
            <For
                each=move || 0..messages.with(Vec::len)
                key=|index| *index
                children=move |index| {
                    messages.with_untracked(|messages| {
                        messages.get(index).map(|message| message_view(message, index, stopped))
                    })
                }
            />
            <Show when=streaming>
                <div class="message assistant streaming" data-testid="message-assistant" aria-busy="true">
                    <span class="message-role">"Assistant"</span>
                    <Markdown text=Signal::derive(move || reply.get().unwrap_or_default())/>
                </div>
            </Show>
        </div>
    }
}
