//! Streamed chat completions (`"stream": true`), written byte by byte rather than with
//! axum's `Sse`, because the quirks reproduce framing that `Sse` would normalise.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};
use tokio::sync::watch;

use super::model::{argument_pieces, Reply};
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
    let events = events(&plan, &reply);
    let body = Body::from_stream(write(plan, events, shutdown));
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/event-stream")
        .header(header::CACHE_CONTROL, "no-cache")
        // Keeps reverse proxies (nginx) from buffering the stream.
        .header("x-accel-buffering", "no")
        .body(body)
        .expect("static response parts are valid")
}

/// Builds the chunk sequence, shaped by the quirks.
fn events(plan: &StreamPlan, reply: &Reply) -> Vec<Event> {
    let no_role = plan.has(Quirk::NoRole);
    let role_with_content = !no_role && plan.has(Quirk::RoleWithContent);
    let mut events = Vec::new();
    let mut role_pending = role_with_content;

    if !no_role && !role_with_content {
        events.push(chunk(
            plan,
            json!({"role": "assistant", "content": ""}),
            None,
            false,
        ));
    }
    for token in &reply.tokens {
        let mut delta = json!({"content": token});
        if std::mem::take(&mut role_pending) {
            delta["role"] = json!("assistant");
        }
        events.push(chunk(plan, delta, None, true));
    }
    if let Some(call) = reply
        .tool_call
        .as_ref()
        .filter(|_| !plan.has(Quirk::ToolDropped))
    {
        let mut delta = json!({"tool_calls": [{"index": 0, "id": call.id, "type": "function",
            "function": {"name": call.name, "arguments": ""}}]});
        if std::mem::take(&mut role_pending) {
            delta["role"] = json!("assistant");
            delta["content"] = Value::Null;
        }
        events.push(chunk(plan, delta, None, true));
        for piece in argument_pieces(&call.arguments) {
            let delta = json!({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]});
            events.push(chunk(plan, delta, None, true));
        }
    }
    if role_pending {
        events.push(chunk(
            plan,
            json!({"role": "assistant", "content": ""}),
            None,
            false,
        ));
    }

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
    events.push(chunk(plan, json!({}), Some(finish), false));

    let empty_delta = plan.has(Quirk::UsageEmptyDelta);
    if plan.include_usage || plan.has(Quirk::UsageUnasked) || empty_delta {
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
        events.push(Event::Chunk {
            json,
            content: false,
        });
    }
    events.push(Event::Done);
    events
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

fn write(
    plan: StreamPlan,
    events: Vec<Event>,
    mut shutdown: watch::Receiver<bool>,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    let framing = Framing::of(&plan);
    let content_total = events
        .iter()
        .filter(|e| matches!(e, Event::Chunk { content: true, .. }))
        .count();
    let fail_after = CHUNKS_BEFORE_FAILURE.min(content_total);
    async_stream::stream! {
        let mut sent_content = 0usize;
        let mut first = true;
        let mut failure = plan.failure;
        for event in events {
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
                    Some(StreamFailure::Stall { ms }) => {
                        pause(ms, &mut shutdown).await;
                    }
                    None => {}
                }
                return;
            }
            if *shutdown.borrow() {
                return;
            }
            match event {
                Event::Chunk { json, content } => {
                    if content && sent_content > 0 && plan.token_delay_ms > 0
                        && !pause(plan.token_delay_ms, &mut shutdown).await
                    {
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
