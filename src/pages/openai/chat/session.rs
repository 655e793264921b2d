//! The conversation and the reply being streamed: a `Copy` handle on signals with `send`, `stop` and `clear`.
//!
//! A reply is one spawned task that reads the SDK's chat stream and sets `reply` on every chunk. Stop aborts
//! that task, which drops the stream and with it the HTTP request.

use futures_util::future::{abortable, AbortHandle, Aborted};
use futures_util::StreamExt;
use kinlink::openai::{
    ChatAccumulator, ChatCompletionRequest, ChatMessage, Role, StreamOptions, Usage,
};
use kinlink::{ApiError, Client, ErrorKind, RequestOptions, RetryPolicy};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::countdown::Countdown;
use super::store::{self, ChatToSave};

#[derive(Clone, Copy)]
pub struct ChatSession {
    pub model: RwSignal<String>,
    pub system: RwSignal<String>,
    pub prompt: RwSignal<String>,
    /// Finished turns, user and assistant.
    pub messages: RwSignal<Vec<ChatMessage>>,
    /// The reply so far while one streams.
    pub reply: RwSignal<Option<String>>,
    /// Indexes in `messages` of the replies the user stopped before they were complete.
    pub stopped: RwSignal<Vec<usize>>,
    pub usage: RwSignal<Option<Usage>>,
    pub error: RwSignal<Option<ApiError>>,
    pub rate_limit: Countdown,
    running: StoredValue<Option<AbortHandle>>,
    /// Whether the running reply was stopped by the user (and so is incomplete).
    stopping: StoredValue<bool>,
}

/// Reads the stream into `reply`, chunk by chunk; returns the usage the server reported.
async fn stream_reply(
    client: Client,
    request: ChatCompletionRequest,
    reply: RwSignal<Option<String>>,
) -> Result<Option<Usage>, ApiError> {
    // The user decides when to try again (a 429 shows its countdown instead of waiting silently).
    let options = RequestOptions {
        retry: Some(RetryPolicy::none()),
        ..Default::default()
    };
    let mut stream = client.chat().with_options(options).stream(&request).await?;
    let mut accumulator = ChatAccumulator::default();
    while let Some(chunk) = stream.next().await {
        accumulator.push(&chunk?);
        reply.set(Some(accumulator.text().to_owned()));
    }
    Ok(accumulator.finish().usage)
}

impl ChatSession {
    /// The conversation saved on this device, saved again whenever it changes.
    pub fn restore() -> ChatSession {
        let saved = store::load_chat();
        let session = ChatSession {
            model: RwSignal::new(saved.model),
            system: RwSignal::new(saved.system),
            prompt: RwSignal::new(String::new()),
            messages: RwSignal::new(saved.messages),
            reply: RwSignal::new(None),
            stopped: RwSignal::new(saved.stopped),
            usage: RwSignal::new(None),
            error: RwSignal::new(None),
            rate_limit: Countdown::new(),
            running: StoredValue::new(None),
            stopping: StoredValue::new(false),
        };
        Effect::new(move |_| {
            session.model.with(|model| {
                session.system.with(|system| {
                    session.messages.with(|messages| {
                        session.stopped.with(|stopped| {
                            store::save_chat(&ChatToSave {
                                model,
                                system,
                                messages,
                                stopped,
                            })
                        })
                    })
                })
            })
        });
        on_cleanup(move || session.stop());
        session
    }

    pub fn is_streaming(self) -> bool {
        self.reply.with(Option::is_some)
    }

    /// Sends the prompt with the conversation so far and streams the answer.
    pub fn send(self, client: Client) {
        let prompt = self.prompt.get_untracked();
        if prompt.trim().is_empty() || self.is_streaming() {
            return;
        }
        self.prompt.set(String::new());
        self.messages
            .update(|messages| messages.push(ChatMessage::user(prompt)));
        let system = self.system.get_untracked();
        let mut history = Vec::new();
        if !system.trim().is_empty() {
            history.push(ChatMessage::system(system));
        }
        history.extend(self.messages.get_untracked());
        let mut request = ChatCompletionRequest::new(self.model.get_untracked(), history);
        request.stream_options = Some(StreamOptions {
            include_usage: true,
        });

        self.error.set(None);
        self.usage.set(None);
        self.reply.set(Some(String::new()));
        self.stopping.set_value(false);
        let (task, handle) = abortable(stream_reply(client, request, self.reply));
        self.running.set_value(Some(handle));
        spawn_local(async move { self.finish(task.await) });
    }

    /// Aborts the reply being streamed; what arrived so far is kept.
    pub fn stop(self) {
        if let Some(Some(handle)) = self.running.try_update_value(Option::take) {
            self.stopping.try_set_value(true);
            handle.abort();
        }
    }

    /// Forgets the conversation (the model and system prompt stay).
    pub fn clear(self) {
        self.stop();
        self.messages.set(Vec::new());
        self.stopped.set(Vec::new());
        self.usage.set(None);
        self.error.set(None);
    }

    /// Files the reply: its text becomes an assistant turn. A failure before any text gives the prompt back
    /// so it can be sent again; a stop is not a failure.
    fn finish(self, outcome: Result<Result<Option<Usage>, ApiError>, Aborted>) {
        self.running.try_update_value(|running| *running = None);
        // The page may be gone (its signals with it) when an aborted task ends.
        let Some(text) = self.reply.try_update(Option::take) else {
            return;
        };
        let text = text.unwrap_or_default();
        let failure = match outcome {
            Ok(Ok(usage)) => {
                self.usage.set(usage);
                None
            }
            Ok(Err(error)) if error.kind != ErrorKind::Aborted => Some(error),
            Ok(Err(_)) | Err(Aborted) => None,
        };
        if !text.is_empty() {
            let stopped = self.stopping.try_get_value().unwrap_or(false);
            let mut index = 0;
            self.messages.update(|messages| {
                index = messages.len();
                messages.push(ChatMessage::assistant(text));
            });
            if stopped {
                self.stopped.update(|stopped| stopped.push(index));
            }
        } else if failure.is_some() {
            self.give_back_prompt();
        }
        if let Some(wait) = failure
            .as_ref()
            .filter(|e| e.kind == ErrorKind::RateLimited)
            .and_then(|e| e.retry_after)
        {
            self.rate_limit.start(wait);
        }
        self.error.set(failure);
    }

    fn give_back_prompt(self) {
        let mut last = None;
        self.messages.update(|messages| {
            if messages.last().is_some_and(|m| m.role == Role::User) {
                last = messages.pop();
            }
        });
        if let Some(text) = last.as_ref().and_then(message_text) {
            if self.prompt.get_untracked().is_empty() {
                self.prompt.set(text);
            }
        }
    }
}

/// The text of a message: its string, or its text parts joined.
pub fn message_text(message: &ChatMessage) -> Option<String> {
    use kinlink::openai::{ContentPart, MessageContent};
    match message.content.as_ref()? {
        MessageContent::Text(text) => Some(text.clone()),
        MessageContent::Parts(parts) => Some(
            parts
                .iter()
                .filter_map(|part| match part {
                    ContentPart::Text { text } => Some(text.as_str()),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join(" "),
        ),
    }
}
