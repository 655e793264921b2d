//! A streamed chat completion: typed chunks from the SSE body, and an accumulator that assembles them
//! into the final message.

use std::collections::BTreeMap;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::StreamExt;
use serde_json::Value;

use super::types::{
    AssistantMessage, ChatCompletion, ChatCompletionChunk, Choice, FinishReason, Role, ToolCall,
    Usage,
};
use crate::transport::sse::{SseEvent, SseStream};
use crate::transport::{ApiError, ByteStream, ErrorKind};

/// The chunks of one streamed completion. Ends after `data: [DONE]`; every failure (an error event, a cut
/// connection, a stall past the idle timeout, an undecodable chunk) is yielded once as an `Err`, after which
/// the stream ends. Dropping it aborts the request.
pub struct ChatStream {
    events: Option<SseStream<ByteStream>>,
    /// A choice reported a finish reason: a server that then closes without `[DONE]` has still finished.
    finished: bool,
}

/// What one SSE event means for a chat stream.
#[derive(Debug)]
enum Frame {
    /// A chunk, with the JSON text it was decoded from.
    Chunk(ChatCompletionChunk, String),
    Done,
    Skip,
}

/// A chunk of a streamed completion together with the JSON text the server sent for it, for callers
/// that pass chunks on unchanged: a proxy, or the JS bindings, whose users get every field as sent.
#[derive(Debug, Clone)]
pub struct SentChunk {
    /// The decoded chunk.
    pub chunk: ChatCompletionChunk,
    /// The event's data as sent (surrounding whitespace removed).
    pub json: String,
}

/// The event's data without surrounding whitespace, reusing its allocation when there is none.
fn trimmed_data(data: String) -> String {
    if data.trim().len() == data.len() {
        data
    } else {
        data.trim().to_owned()
    }
}

/// Interprets one event, parsing its JSON once in the usual case.
fn decode_event(event: SseEvent) -> Result<Frame, ApiError> {
    let data = event.data.trim();
    if data == "[DONE]" {
        return Ok(Frame::Done);
    }
    if data.is_empty() {
        return Ok(Frame::Skip);
    }
    // An in-stream error is an `error` event or an object with an `error` key, and JSON encoders do not
    // escape the ASCII letters of a key, so an object whose text lacks `"error"` is a chunk: decode it
    // straight into the typed chunk. Anything else (and a chunk that fails to decode, for its precise
    // message) takes the general path, which looks at the value first.
    if event.event != "error" && data.starts_with('{') && !data.contains("\"error\"") {
        if let Ok(chunk) = serde_json::from_str::<ChatCompletionChunk>(data) {
            return Ok(Frame::Chunk(chunk, trimmed_data(event.data)));
        }
    }
    let value: Value = serde_json::from_str(data)
        .map_err(|e| ApiError::undecodable(format!("a stream event was not JSON: {e}"), data))?;
    if event.event == "error" || value.get("error").is_some_and(|e| !e.is_null()) {
        return Err(ApiError::from_stream_payload(&value));
    }
    if !value.is_object() {
        return Ok(Frame::Skip);
    }
    match serde_json::from_value(value) {
        Ok(chunk) => Ok(Frame::Chunk(chunk, trimmed_data(event.data))),
        Err(e) => Err(ApiError::undecodable(
            format!("a stream chunk had an unexpected shape: {e}"),
            data,
        )),
    }
}

impl ChatStream {
    pub(crate) fn new(body: ByteStream) -> ChatStream {
        ChatStream {
            events: Some(SseStream::new(body)),
            finished: false,
        }
    }

    /// A chat stream over any SSE body, decoded exactly as [`Chat::stream`](super::Chat::stream) decodes
    /// a server's. For the fuzz targets and their corpus replay, which have no server; not part of the
    /// supported API.
    #[doc(hidden)]
    pub fn from_body(body: ByteStream) -> ChatStream {
        ChatStream::new(body)
    }

    /// Reads the rest of the stream and returns the assembled completion.
    pub async fn final_completion(mut self) -> Result<ChatCompletion, ApiError> {
        let mut accumulator = ChatAccumulator::default();
        while let Some(chunk) = self.next().await {
            accumulator.push(&chunk?);
        }
        Ok(accumulator.finish())
    }
}

impl ChatStream {
    /// Each chunk with the JSON text it was decoded from (see [`SentChunk`]).
    pub fn with_json(self) -> SentChunks {
        SentChunks(self)
    }

    fn poll_sent(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<SentChunk, ApiError>>> {
        loop {
            let Some(events) = self.events.as_mut() else {
                return Poll::Ready(None);
            };
            let event = match Pin::new(events).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(event))) => event,
                Poll::Ready(Some(Err(error))) => {
                    self.events = None;
                    return Poll::Ready(Some(Err(error)));
                }
                Poll::Ready(None) => {
                    self.events = None;
                    if self.finished {
                        return Poll::Ready(None);
                    }
                    return Poll::Ready(Some(Err(ApiError::new(
                        ErrorKind::Stream,
                        "the stream ended before the completion was finished (no [DONE] and no finish reason)",
                    ))));
                }
            };
            match decode_event(event) {
                Ok(Frame::Skip) => continue,
                Ok(Frame::Done) => {
                    self.events = None;
                    return Poll::Ready(None);
                }
                Ok(Frame::Chunk(chunk, json)) => {
                    if chunk.choices.iter().any(|c| c.finish_reason.is_some()) {
                        self.finished = true;
                    }
                    return Poll::Ready(Some(Ok(SentChunk { chunk, json })));
                }
                Err(error) => {
                    self.events = None;
                    return Poll::Ready(Some(Err(error)));
                }
            }
        }
    }
}

impl Stream for ChatStream {
    type Item = Result<ChatCompletionChunk, ApiError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.poll_sent(cx)
            .map(|item| item.map(|sent| sent.map(|sent| sent.chunk)))
    }
}

/// A [`ChatStream`] whose items keep the JSON text they were decoded from; made by
/// [`ChatStream::with_json`]. Ends, fails and aborts exactly as the chat stream does.
pub struct SentChunks(ChatStream);

impl Stream for SentChunks {
    type Item = Result<SentChunk, ApiError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_sent(cx)
    }
}

/// Assembles chunks into a [`ChatCompletion`]: text appended, tool calls joined by `index`, the last
/// finish reason and usage kept. Works with any mix of the variations compatible servers send.
#[derive(Debug, Default, Clone)]
pub struct ChatAccumulator {
    id: String,
    model: String,
    created: i64,
    choices: BTreeMap<u32, ChoiceAccumulator>,
    usage: Option<Usage>,
}

#[derive(Debug, Default, Clone)]
struct ChoiceAccumulator {
    role: Option<Role>,
    content: Option<String>,
    refusal: Option<String>,
    tool_calls: BTreeMap<u32, ToolCall>,
    finish_reason: Option<FinishReason>,
}

impl ChatAccumulator {
    /// Adds one chunk.
    pub fn push(&mut self, chunk: &ChatCompletionChunk) {
        if self.id.is_empty() {
            self.id.clone_from(&chunk.id);
        }
        if self.model.is_empty() {
            self.model.clone_from(&chunk.model);
        }
        if self.created == 0 {
            self.created = chunk.created;
        }
        if chunk.usage.is_some() {
            self.usage = chunk.usage;
        }
        for choice in &chunk.choices {
            let acc = self.choices.entry(choice.index).or_default();
            let delta = &choice.delta;
            if delta.role.is_some() {
                acc.role = delta.role;
            }
            if let Some(text) = &delta.content {
                acc.content.get_or_insert_with(String::new).push_str(text);
            }
            if let Some(text) = &delta.refusal {
                acc.refusal.get_or_insert_with(String::new).push_str(text);
            }
            for fragment in &delta.tool_calls {
                let call = acc.tool_calls.entry(fragment.index).or_default();
                if let Some(id) = fragment.id.as_deref().filter(|id| !id.is_empty()) {
                    call.id = id.to_owned();
                }
                if let Some(kind) = fragment.kind.as_deref().filter(|k| !k.is_empty()) {
                    call.kind = kind.to_owned();
                }
                if let Some(function) = &fragment.function {
                    if let Some(name) = function.name.as_deref().filter(|n| !n.is_empty()) {
                        call.function.name = name.to_owned();
                    }
                    if let Some(arguments) = &function.arguments {
                        call.function.arguments.push_str(arguments);
                    }
                }
            }
            if choice.finish_reason.is_some() {
                acc.finish_reason.clone_from(&choice.finish_reason);
            }
        }
    }

    /// The text of choice 0 so far (what a UI shows while streaming).
    pub fn text(&self) -> &str {
        self.choices
            .get(&0)
            .and_then(|c| c.content.as_deref())
            .unwrap_or("")
    }

    /// The completion assembled from everything pushed.
    pub fn finish(&self) -> ChatCompletion {
        let choices = self
            .choices
            .iter()
            .map(|(&index, acc)| Choice {
                index,
                message: AssistantMessage {
                    role: acc.role.unwrap_or(Role::Assistant),
                    content: acc.content.clone(),
                    tool_calls: acc
                        .tool_calls
                        .values()
                        .cloned()
                        .map(|mut call| {
                            if call.kind.is_empty() {
                                call.kind = "function".to_owned();
                            }
                            call
                        })
                        .collect(),
                    refusal: acc.refusal.clone(),
                },
                finish_reason: acc.finish_reason.clone(),
            })
            .collect();
        ChatCompletion {
            id: self.id.clone(),
            model: self.model.clone(),
            created: self.created,
            choices,
            usage: self.usage,
        }
    }
}

#[cfg(test)]
#[path = "stream_tests.rs"]
mod tests;
