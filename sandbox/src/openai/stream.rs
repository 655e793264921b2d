//! Streamed chat completions (`"stream": true`), written byte by byte rather than with
//! axum's `Sse`, because the quirks reproduce framing that `Sse` would normalise.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};
use tokio::sync::watch;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::model::{argument_piece_count, argument_pieces, Reply};
use crate::faults::{Quirk, StreamFailure};

/// Everything about a stream except the reply itself.
#[derive(Debug)]
pub struct StreamPlan {
    pub id: String,
    pub created: u64,
    pub model: &'static str,
    pub include_usage: bool,
    pub token_delay_ms: u64,
    pub quirks: Vec<Quirk>,
    pub failure: Option<StreamFailure>,
}

impl StreamPlan {
    fn has(&self, quirk: Quirk) -> bool {
        self.quirks.contains(&quirk)
    }
}

/// One SSE event of the stream.
#[derive(Debug)]
enum Event {
    /// A `data:` frame; `content` marks token-bearing chunks (text or tool-call pieces),
    /// which get the inter-token delay and count towards mid-stream failures.
    Chunk {
        json: Value,
        content: bool,
    },
    Done,
}

/// Content chunks sent before a mid-stream failure fires.
const CHUNKS_BEFORE_FAILURE: usize = 2;

/// Pause before a `stream_cut` abort, long enough for the sent chunks to reach the socket.
const CUT_FLUSH_MS: u64 = 20;

pub fn response(plan: StreamPlan, reply: Reply, shutdown: watch::Receiver<bool>) -> Response {
    let body = Body::from_stream(write(plan, reply, shutdown));
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/event-stream")
        .header(header::CACHE_CONTROL, "no-cache")
        // Keeps reverse proxies (nginx) from buffering the stream.
        .header("x-accel-buffering", "no")
        .body(body)
        .expect("static response parts are valid")
}

/// Token-bearing chunks the stream will send (text tokens plus tool-call pieces), counted without
/// building them.
fn content_chunk_count(plan: &StreamPlan, reply: &Reply) -> usize {
    let tool = reply
        .tool_call
        .as_ref()
        .filter(|_| !plan.has(Quirk::ToolDropped))
        .map_or(0, |call| 1 + argument_piece_count(&call.arguments));
    reply.tokens().count() + tool
}

/// The chunk sequence, shaped by the quirks, built one event at a time as the stream is sent:
/// memory stays at one chunk however long the reply.
fn events<'a>(plan: &'a StreamPlan, reply: &'a Reply) -> impl Iterator<Item = Event> + Send + 'a {
    let no_role = plan.has(Quirk::NoRole);
    let role_with_content = !no_role && plan.has(Quirk::RoleWithContent);
    // Whether the role still has to go out, with the first content-bearing chunk.
    let role_pending = Arc::new(AtomicBool::new(role_with_content));
    let take_role = |pending: &AtomicBool| pending.swap(false, Ordering::Relaxed);

    let opening = (!no_role && !role_with_content).then(|| {
        chunk(
            plan,
            json!({"role": "assistant", "content": ""}),
            None,
            false,
        )
    });
    let pending = role_pending.clone();
    let text = reply.tokens().map(move |token| {
        let mut delta = json!({"content": token});
        if take_role(&pending) {
            delta["role"] = json!("assistant");
        }
        chunk(plan, delta, None, true)
    });
    let pending = role_pending.clone();
    let call = reply
        .tool_call
        .as_ref()
        .filter(|_| !plan.has(Quirk::ToolDropped));
    let tool = call.into_iter().flat_map(move |call| {
        let pending = pending.clone();
        let header = std::iter::once_with(move || {
            let mut delta = json!({"tool_calls": [{"index": 0, "id": call.id, "type": "function",
                "function": {"name": call.name, "arguments": ""}}]});
            if take_role(&pending) {
                delta["role"] = json!("assistant");
                delta["content"] = Value::Null;
            }
            chunk(plan, delta, None, true)
        });
        let pieces = argument_pieces(&call.arguments).map(move |piece| {
            let delta = json!({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]});
            chunk(plan, delta, None, true)
        });
        header.chain(pieces)
    });
    let closing = std::iter::once_with(move || {
        let mut events = Vec::with_capacity(4);
        if take_role(&role_pending) {
            events.push(chunk(
                plan,
                json!({"role": "assistant", "content": ""}),
                None,
                false,
            ));
        }
        events.push(chunk(
            plan,
            json!({}),
            Some(finish_reason(plan, reply)),
            false,
        ));
        events.extend(usage_chunk(plan, reply));
        events.push(Event::Done);
        events
    })
    .flatten();
    opening.into_iter().chain(text).chain(tool).chain(closing)
}

/// The finish reason as the quirks bend it.
fn finish_reason(plan: &StreamPlan, reply: &Reply) -> &'static str {
    let mut finish = reply.finish_reason;
    if finish == "tool_calls" && plan.has(Quirk::ToolStop) {
        finish = "stop";
    }
    if plan.has(Quirk::FinishEmpty) {
        finish = "";
    }
    if plan.has(Quirk::FinishUnknown) {
        finish = "end_turn";
    }
    finish
}

/// The usage chunk, when asked for or a quirk sends it anyway.
fn usage_chunk(plan: &StreamPlan, reply: &Reply) -> Option<Event> {
    let empty_delta = plan.has(Quirk::UsageEmptyDelta);
    if !(plan.include_usage || plan.has(Quirk::UsageUnasked) || empty_delta) {
        return None;
    }
    let choices = if empty_delta {
        json!([{"index": 0, "delta": {}}])
    } else {
        json!([])
    };
    let mut usage = reply.usage.to_json();
    if plan.has(Quirk::ExtraFields) {
        usage["completion_tokens_details"] = json!({"reasoning_tokens": 0});
    }
    let mut json = json!({"id": plan.id, "object": "chat.completion.chunk",
        "created": plan.created, "model": plan.model, "choices": choices, "usage": usage});
    add_top_level_extras(plan, &mut json);
    Some(Event::Chunk {
        json,
        content: false,
    })
}

fn chunk(plan: &StreamPlan, mut delta: Value, finish: Option<&str>, content: bool) -> Event {
    let extra = plan.has(Quirk::ExtraFields);
    if extra {
        delta["refusal"] = Value::Null;
    }
    let mut choice = json!({"index": 0, "delta": delta});
    if !plan.has(Quirk::FinishAbsent) {
        choice["finish_reason"] = finish.map_or(Value::Null, |f| json!(f));
    }
    if extra {
        choice["logprobs"] = Value::Null;
    }
    let mut json = json!({"id": plan.id, "object": "chat.completion.chunk",
        "created": plan.created, "model": plan.model, "choices": [choice]});
    if plan.include_usage {
        // OpenAI sends `usage: null` on every chunk but the last when usage was asked for.
        json["usage"] = Value::Null;
    }
    add_top_level_extras(plan, &mut json);
    Event::Chunk { json, content }
}

fn add_top_level_extras(plan: &StreamPlan, json: &mut Value) {
    if plan.has(Quirk::ExtraFields) {
        json["system_fingerprint"] = json!("fp_sandbox");
        json["service_tier"] = json!("default");
        json["x_vendor"] = json!({"name": "kinlink-sandbox", "latency_ms": 0});
    }
}

/// Line-level framing quirks.
#[derive(Debug, Clone, Copy)]
struct Framing {
    no_space: bool,
    comments: bool,
    event_lines: bool,
    crlf: bool,
}

impl Framing {
    fn of(plan: &StreamPlan) -> Framing {
        Framing {
            no_space: plan.has(Quirk::NoSpace),
            comments: plan.has(Quirk::Comments),
            event_lines: plan.has(Quirk::EventLines),
            crlf: plan.has(Quirk::Crlf),
        }
    }

    fn newline(self) -> &'static str {
        if self.crlf {
            "\r\n"
        } else {
            "\n"
        }
    }

    fn data(self, payload: &str) -> Bytes {
        let nl = self.newline();
        let mut out = String::with_capacity(payload.len() + 24);
        if self.event_lines {
            out.push_str("event: message");
            out.push_str(nl);
        }
        out.push_str(if self.no_space { "data:" } else { "data: " });
        out.push_str(payload);
        out.push_str(nl);
        out.push_str(nl);
        Bytes::from(out)
    }

    fn comment(self) -> Bytes {
        let nl = self.newline();
        Bytes::from(format!(": ping{nl}{nl}"))
    }
}

/// Sleeps for `ms`, returning false early if the server is shutting down.
async fn pause(ms: u64, shutdown: &mut watch::Receiver<bool>) -> bool {
    if *shutdown.borrow() {
        return false;
    }
    tokio::select! {
        _ = tokio::time::sleep(Duration::from_millis(ms)) => true,
        _ = shutdown.changed() => false,
    }
}

/// The in-stream error a client reads when the server stops while it streams, so an ended stream
/// is never mistaken for a finished reply.
fn shutdown_error() -> Value {
    json!({"error": {"message": "The server is shutting down; the reply was not finished.",
        "type": "server_error", "param": null, "code": "server_shutdown"}})
}

fn write(
    plan: StreamPlan,
    reply: Reply,
    mut shutdown: watch::Receiver<bool>,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    let framing = Framing::of(&plan);
    async_stream::stream! {
        let fail_after = CHUNKS_BEFORE_FAILURE.min(content_chunk_count(&plan, &reply));
        let mut sent_content = 0usize;
        let mut first = true;
        let mut failure = plan.failure;
        for event in events(&plan, &reply) {
            if failure.is_some() && sent_content == fail_after {
                let failure = failure.take();
                match failure {
                    Some(StreamFailure::Error) => {
                        let error = json!({"error": {"message": "upstream failed",
                            "type": "server_error", "param": null, "code": "stream_failed"}});
                        yield Ok(framing.data(&error.to_string()));
                    }
                    // An error from the body makes hyper abort the connection: the client
                    // sees a truncated response, never `[DONE]`.
                    Some(StreamFailure::Cut) => {
                        // Give hyper a pending poll first so it flushes the chunks already
                        // written; erroring straight away would discard them unsent.
                        pause(CUT_FLUSH_MS, &mut shutdown).await;
                        yield Err(std::io::Error::other("sandbox fault: stream cut"));
                    }
                    // Cut short by a shutdown: say so, as any stream does.
                    Some(StreamFailure::Stall { ms }) if !pause(ms, &mut shutdown).await => {
                        yield Ok(framing.data(&shutdown_error().to_string()));
                    }
                    Some(StreamFailure::Stall { .. }) => {}
                    None => {}
                }
                return;
            }
            if *shutdown.borrow() {
                yield Ok(framing.data(&shutdown_error().to_string()));
                return;
            }
            match event {
                Event::Chunk { json, content } => {
                    if content && sent_content > 0 && plan.token_delay_ms > 0
                        && !pause(plan.token_delay_ms, &mut shutdown).await
                    {
                        yield Ok(framing.data(&shutdown_error().to_string()));
                        return;
                    }
                    if framing.comments && !first {
                        yield Ok(framing.comment());
                    }
                    yield Ok(framing.data(&json.to_string()));
                    first = false;
                    if content {
                        sent_content += 1;
                    }
                }
                Event::Done => yield Ok(framing.data("[DONE]")),
            }
        }
    }
}
