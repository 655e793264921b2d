//! Every variation in the OpenAI-compatibility facts, as a byte-level fixture through the chunk decoder
//! and the accumulator.

use futures_util::{FutureExt, StreamExt};

use super::*;
use crate::openai::types::{ChatCompletionRequest, ChatMessage, FinishReason, MessageContent};

struct Outcome {
    chunks: Vec<ChatCompletionChunk>,
    error: Option<ApiError>,
    completion: ChatCompletion,
}

/// Feeds `frames` (raw bytes as a server would send them, one network chunk each) through a ChatStream.
fn run(frames: &[&str]) -> Outcome {
    let owned: Vec<Result<Vec<u8>, ApiError>> =
        frames.iter().map(|f| Ok(f.as_bytes().to_vec())).collect();
    let body: ByteStream = Box::pin(futures_util::stream::iter(owned));
    let mut stream = ChatStream::new(body);
    let mut accumulator = ChatAccumulator::default();
    let mut chunks = Vec::new();
    let mut error = None;
    while let Some(item) = stream
        .next()
        .now_or_never()
        .expect("fixtures are always ready")
    {
        match item {
            Ok(chunk) => {
                accumulator.push(&chunk);
                chunks.push(chunk);
            }
            Err(e) => {
                assert!(error.is_none(), "only one error is ever yielded");
                error = Some(e);
            }
        }
    }
    Outcome {
        chunks,
        error,
        completion: accumulator.finish(),
    }
}

fn data(json: &str) -> String {
    format!("data: {json}\n\n")
}

const ROLE: &str = r#"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#;
const HELLO: &str = r#"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}"#;
const WORLD: &str = r#"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":null}]}"#;
const STOP: &str = r#"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#;

fn text(o: &Outcome) -> Option<&str> {
    o.completion
        .choices
        .first()
        .and_then(|c| c.message.content.as_deref())
}

#[test]
fn openai_reference_stream() {
    let o = run(&[
        &data(ROLE),
        &data(HELLO),
        &data(WORLD),
        &data(STOP),
        "data: [DONE]\n\n",
    ]);
    assert!(o.error.is_none());
    assert_eq!(o.chunks.len(), 4);
    assert_eq!(text(&o), Some("Hello"));
    assert_eq!(
        o.completion.choices[0].finish_reason,
        Some(FinishReason::Stop)
    );
    assert_eq!(o.completion.choices[0].message.role, Role::Assistant);
    assert_eq!(o.completion.id, "c1");
}

#[test]
fn data_without_space_comments_and_event_lines() {
    let frames = [
        format!(": ping\n\ndata:{ROLE}\n\n"),
        format!("event: message\ndata:{HELLO}\n\n: keep-alive\n\n"),
        format!("event: chunk\ndata: {WORLD}\n\n"),
        format!("data:{STOP}\n\ndata:[DONE]\n\n"),
    ];
    let o = run(&frames.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(o.error.is_none(), "{:?}", o.error);
    assert_eq!(text(&o), Some("Hello"));
}

#[test]
fn crlf_framing_split_anywhere() {
    let all = format!(
        "data: {ROLE}\r\n\r\ndata: {HELLO}\r\n\r\ndata: {STOP}\r\n\r\ndata: [DONE]\r\n\r\n"
    );
    for cut in (0..all.len()).step_by(7) {
        let (a, b) = all.split_at(cut);
        let o = run(&[a, b]);
        assert!(o.error.is_none());
        assert_eq!(text(&o), Some("Hel"), "cut at {cut}");
    }
}

#[test]
fn role_together_with_content_and_no_role_at_all() {
    let first = r#"{"id":"c","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"}}]}"#;
    let o = run(&[&data(first), &data(STOP), "data: [DONE]\n\n"]);
    assert_eq!(text(&o), Some("Hi"));
    let o = run(&[&data(HELLO), &data(WORLD), &data(STOP), "data: [DONE]\n\n"]);
    assert!(o.error.is_none());
    assert_eq!(
        o.completion.choices[0].message.role,
        Role::Assistant,
        "role defaults to assistant"
    );
}

#[test]
fn finish_reason_null_absent_empty_known_and_unknown() {
    for (wire, expected) in [
        (r#""finish_reason":null"#, None),
        (r#""finish_reason":"""#, None),
        (r#""finish_reason":"length""#, Some(FinishReason::Length)),
        (
            r#""finish_reason":"tool_calls""#,
            Some(FinishReason::ToolCalls),
        ),
        (
            r#""finish_reason":"content_filter""#,
            Some(FinishReason::ContentFilter),
        ),
        (
            r#""finish_reason":"end_turn""#,
            Some(FinishReason::Unknown("end_turn".into())),
        ),
    ] {
        let chunk = format!(r#"{{"choices":[{{"index":0,"delta":{{"content":"x"}},{wire}}}]}}"#);
        let o = run(&[&data(&chunk), "data: [DONE]\n\n"]);
        assert!(o.error.is_none(), "{wire}: {:?}", o.error);
        assert_eq!(o.completion.choices[0].finish_reason, expected, "{wire}");
    }
    // Absent entirely, on every chunk.
    let o = run(&[
        &data(r#"{"choices":[{"index":0,"delta":{"content":"x"}}]}"#),
        "data: [DONE]\n\n",
    ]);
    assert_eq!(o.completion.choices[0].finish_reason, None);
    assert_eq!(text(&o), Some("x"));
}

#[test]
fn usage_chunk_forms() {
    let usage = r#""usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7,"completion_tokens_details":{"reasoning_tokens":0}}"#;
    for last in [
        format!(r#"{{"id":"c1","choices":[],{usage}}}"#),
        format!(r#"{{"id":"c1","choices":[{{"index":0,"delta":{{}}}}],{usage}}}"#),
        format!(r#"{{"id":"c1","choices":null,{usage}}}"#),
    ] {
        let o = run(&[
            &data(ROLE),
            &data(HELLO),
            &data(STOP),
            &data(&last),
            "data: [DONE]\n\n",
        ]);
        assert!(o.error.is_none(), "{last}: {:?}", o.error);
        assert_eq!(
            o.completion.usage,
            Some(Usage {
                prompt_tokens: 5,
                completion_tokens: 2,
                total_tokens: 7
            })
        );
        assert_eq!(text(&o), Some("Hel"));
        assert_eq!(o.completion.choices.len(), 1);
    }
}

const TOOL_1: &str = r#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}]}}]}"#;
const TOOL_2: &str = r#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}}]}"#;
const TOOL_3: &str = r#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]}}]}"#;

#[test]
fn tool_call_fragments_by_index_after_text() {
    let second_tool = r#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_2","type":"function","function":{"name":"get_time","arguments":"{}"}}]}}]}"#;
    let finish = r#"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#;
    let o = run(&[
        &data(HELLO),
        &data(TOOL_1),
        &data(second_tool),
        &data(TOOL_2),
        &data(TOOL_3),
        &data(finish),
        "data: [DONE]\n\n",
    ]);
    assert!(o.error.is_none());
    let message = &o.completion.choices[0].message;
    assert_eq!(
        message.content.as_deref(),
        Some("Hel"),
        "text may precede tool calls"
    );
    assert_eq!(message.tool_calls.len(), 2);
    assert_eq!(message.tool_calls[0].id, "call_1");
    assert_eq!(message.tool_calls[0].function.name, "get_weather");
    assert_eq!(
        message.tool_calls[0].function.arguments,
        r#"{"city":"Paris"}"#
    );
    assert_eq!(message.tool_calls[1].function.name, "get_time");
    assert_eq!(
        o.completion.choices[0].finish_reason,
        Some(FinishReason::ToolCalls)
    );
}

#[test]
fn tool_call_finished_with_stop() {
    let o = run(&[
        &data(TOOL_1),
        &data(TOOL_2),
        &data(TOOL_3),
        &data(STOP),
        "data: [DONE]\n\n",
    ]);
    let choice = &o.completion.choices[0];
    assert_eq!(choice.finish_reason, Some(FinishReason::Stop));
    assert_eq!(
        choice.message.tool_calls.len(),
        1,
        "the tool call is kept even though the reason says stop"
    );
}

#[test]
fn tool_calls_dropped_by_the_server_leave_only_the_finish() {
    let finish = r#"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#;
    let o = run(&[&data(finish), "data: [DONE]\n\n"]);
    assert!(o.error.is_none());
    assert_eq!(
        o.completion.choices[0].finish_reason,
        Some(FinishReason::ToolCalls)
    );
    assert!(o.completion.choices[0].message.tool_calls.is_empty());
    assert_eq!(o.completion.choices[0].message.content, None);
}

#[test]
fn extra_fields_everywhere_are_ignored() {
    let chunk = r#"{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","system_fingerprint":"fp","service_tier":"default","x_vendor":{"a":[1,2]},"choices":[{"index":0,"logprobs":null,"delta":{"content":"ok","refusal":null,"x_extra":true},"finish_reason":"stop","x_choice":1}],"usage":null}"#;
    let o = run(&[&data(chunk), "data: [DONE]\n\n"]);
    assert!(o.error.is_none(), "{:?}", o.error);
    assert_eq!(text(&o), Some("ok"));
}

#[test]
fn null_tool_calls_and_null_ids() {
    let chunk = r#"{"id":null,"model":null,"created":null,"choices":[{"index":0,"delta":{"role":"assistant","content":"x","tool_calls":null},"finish_reason":"stop"}]}"#;
    let o = run(&[&data(chunk), "data: [DONE]\n\n"]);
    assert!(o.error.is_none(), "{:?}", o.error);
    assert_eq!(text(&o), Some("x"));
}

#[test]
fn error_inside_a_200_stream() {
    let err = r#"{"error":{"message":"upstream failed","type":"server_error","param":null,"code":"stream_failed"}}"#;
    let o = run(&[&data(ROLE), &data(HELLO), &data(err), &data(WORLD)]);
    let error = o.error.expect("an error");
    assert_eq!(error.kind, ErrorKind::Stream);
    assert_eq!(error.code.as_deref(), Some("stream_failed"));
    assert_eq!(error.message, "upstream failed");
    assert_eq!(o.chunks.len(), 2, "nothing after the error");
    // `event: error` with a payload that is not an OpenAI envelope.
    let o = run(&[
        &data(HELLO),
        "event: error\ndata: {\"message\":\"overloaded\",\"code\":529}\n\n",
    ]);
    let error = o.error.expect("an error");
    assert_eq!(
        (error.kind, error.message.as_str(), error.code.as_deref()),
        (ErrorKind::Stream, "overloaded", Some("529"))
    );
}

#[test]
fn a_cut_before_the_end_is_an_error_not_a_silent_end() {
    let o = run(&[&data(ROLE), &data(HELLO)]);
    let error = o.error.clone().expect("a cut stream must fail");
    assert_eq!(error.kind, ErrorKind::Stream);
    assert_eq!(text(&o), Some("Hel"), "what arrived is kept");
    // A server that finished but never sends [DONE] has still finished.
    let o = run(&[&data(HELLO), &data(STOP)]);
    assert!(o.error.is_none());
}

#[test]
fn transport_errors_pass_through_once() {
    let body: ByteStream = Box::pin(futures_util::stream::iter(vec![
        Ok(data(HELLO).into_bytes()),
        Err(ApiError::new(ErrorKind::Timeout, "idle")),
        Ok(data(WORLD).into_bytes()),
    ]));
    let mut stream = ChatStream::new(body);
    assert!(matches!(stream.next().now_or_never(), Some(Some(Ok(_)))));
    let error = stream.next().now_or_never().unwrap().unwrap().unwrap_err();
    assert_eq!(error.kind, ErrorKind::Timeout);
    assert!(
        stream.next().now_or_never().unwrap().is_none(),
        "nothing after an error"
    );
}

#[test]
fn invalid_json_is_a_decode_error_with_the_text() {
    let o = run(&[&data(HELLO), "data: {not json\n\n"]);
    let error = o.error.expect("an error");
    assert_eq!(error.kind, ErrorKind::Decode);
    assert_eq!(error.body_excerpt.as_deref(), Some("{not json"));
}

#[test]
fn non_streamed_completion_variations() {
    let body = r#"{"id":"x","object":"chat.completion","created":1,"model":"m","system_fingerprint":null,
      "choices":[{"index":0,"message":{"content":"hi","refusal":null,"tool_calls":null},"logprobs":null,"finish_reason":""}],
      "usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2,"prompt_tokens_details":{"cached_tokens":0}}}"#;
    let c: ChatCompletion = serde_json::from_str(body).unwrap();
    assert_eq!(c.choices[0].message.content.as_deref(), Some("hi"));
    assert_eq!(c.choices[0].message.role, Role::Assistant);
    assert_eq!(c.choices[0].finish_reason, None);
    assert_eq!(c.usage.unwrap().total_tokens, 2);
}

#[test]
fn requests_pass_unknown_fields_through() {
    let mut request =
        ChatCompletionRequest::new("m", vec![ChatMessage::system("s"), ChatMessage::user("u")]);
    request.extra.insert("seed".into(), serde_json::json!(7));
    request.max_tokens = Some(5);
    let json = serde_json::to_value(&request).unwrap();
    assert_eq!(json["seed"], 7);
    assert_eq!(json["max_tokens"], 5);
    assert_eq!(json["messages"][0]["role"], "system");
    assert!(
        json.get("tools").is_none()
            && json.get("stream").is_none()
            && json.get("temperature").is_none()
    );
    let parsed: ChatCompletionRequest = serde_json::from_value(serde_json::json!({
        "model": "m", "messages": [{"role": "user", "content": [{"type": "text", "text": "what is this"}, {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}]}],
        "vendor_option": {"x": 1}
    })).unwrap();
    assert_eq!(parsed.extra["vendor_option"]["x"], 1);
    assert!(matches!(&parsed.messages[0].content, Some(MessageContent::Parts(p)) if p.len() == 2));
}

/// Every event `frames` yields through [`ChatStream::with_json`].
fn sent(frames: &[&str]) -> Vec<Result<SentChunk, ApiError>> {
    let owned: Vec<Result<Vec<u8>, ApiError>> =
        frames.iter().map(|f| Ok(f.as_bytes().to_vec())).collect();
    let body: ByteStream = Box::pin(futures_util::stream::iter(owned));
    let mut stream = ChatStream::new(body).with_json();
    let mut items = Vec::new();
    while let Some(item) = stream.next().now_or_never().expect("ready") {
        items.push(item);
    }
    items
}

#[test]
fn with_json_keeps_the_text_as_sent() {
    let extra = r#"{"id":"c","object":"chat.completion.chunk","system_fingerprint":"fp","choices":[{"index":0,"delta":{"content":"ok"},"logprobs":null,"finish_reason":"stop"}]}"#;
    let items = sent(&[&format!("data:   {extra}  \n\n"), "data: [DONE]\n\n"]);
    assert_eq!(items.len(), 1);
    let item = items[0].as_ref().expect("a chunk");
    assert_eq!(item.json, extra, "the data as sent, only trimmed");
    assert_eq!(item.chunk.choices[0].delta.content.as_deref(), Some("ok"));
}

#[test]
fn chunks_that_mention_error_decode_on_the_general_path_the_same() {
    // Text containing `"error"` (a quoted word in the content, a `null` error key) is not taken for an
    // in-stream error, and decodes to the same chunk as the one-parse path gives.
    let quoted = r#"{"id":"c","choices":[{"index":0,"delta":{"content":"say \"error\""},"finish_reason":null}],"meta":{"error":null}}"#;
    let null_error = r#"{"id":"c","error":null,"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"stop"}]}"#;
    let o = run(&[&data(quoted), &data(null_error), "data: [DONE]\n\n"]);
    assert!(o.error.is_none(), "{:?}", o.error);
    assert_eq!(text(&o), Some("say \"error\"x"));
    // The one-parse path and the general path agree on every fixture of this file.
    for fixture in [ROLE, HELLO, WORLD, STOP, quoted, null_error] {
        let direct: ChatCompletionChunk = serde_json::from_str(fixture).unwrap();
        let general: ChatCompletionChunk =
            serde_json::from_value(serde_json::from_str(fixture).unwrap()).unwrap();
        assert_eq!(direct, general, "{fixture}");
    }
}

#[test]
fn non_object_data_is_skipped_not_decoded_as_a_chunk() {
    // A JSON array would deserialize into the struct positionally; it is not a chunk.
    let o = run(&[&data("[1,2]"), &data("42"), &data(HELLO), &data(STOP)]);
    assert!(o.error.is_none(), "{:?}", o.error);
    assert_eq!(o.chunks.len(), 2);
}
