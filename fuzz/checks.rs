//! What each fuzz target asserts about one input, written once for two callers: the cargo-fuzz targets
//! in `fuzz/fuzz_targets/` (where this file is the `kinlink-fuzz` library) and the corpus replay
//! `sdk/tests/fuzz_corpus.rs` (which includes it with `#[path]`), so every input the fuzzer kept, crashes
//! included, is checked again by `cargo test -p kinlink`.
//!
//! Every check must not panic on any input; beyond that each states the invariants it can check cheaply.
//! The SDK's streams are driven with `now_or_never`: their bodies are in memory, so they are always ready.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use futures_util::{stream, FutureExt, StreamExt};
use kinlink::kino::History;
use kinlink::openai::{ChatAccumulator, ChatCompletion, ChatCompletionChunk, ChatStream};
use kinlink::transport::paginate::{decode_page, paginate, Page, PageRequest};
use kinlink::transport::sse::{SseEvent, SseParser, SseStream};
use kinlink::transport::ByteStream;
use kinlink::{ApiError, ErrorKind};

/// One check: panics when the input breaks an invariant.
pub type Check = fn(&[u8]);

/// Every check by the name of its fuzz target (and of its corpus folder, `fuzz/corpus/<name>/`).
pub const CHECKS: &[(&str, Check)] = &[
    ("sse_parser", sse_parser),
    ("chat_stream", chat_stream),
    ("error_body", error_body),
    ("page_body", page_body),
];

/// The error a backend yields when the connection breaks mid-body (see `kinlink::transport::ByteStream`).
fn connection_broke() -> ApiError {
    ApiError::new(ErrorKind::Stream, "error decoding response body")
}

/// Reads a stream that never waits to its end.
fn drain<T>(mut items: impl futures_util::Stream<Item = T> + Unpin) -> Vec<T> {
    let mut out = Vec::new();
    while let Some(item) = items
        .next()
        .now_or_never()
        .expect("an in-memory stream is always ready")
    {
        out.push(item);
    }
    out
}

// ---------------------------------------------------------------------------------------------------
// sse_parser: the input is an event stream.

/// Feeds `chunks` to a new parser and returns its events and final state.
fn parse_chunks<'a>(chunks: impl IntoIterator<Item = &'a [u8]>) -> (Vec<SseEvent>, SseParser) {
    let mut parser = SseParser::new();
    let mut events = Vec::new();
    for chunk in chunks {
        parser.feed(chunk);
        while let Some(event) = parser.next_event() {
            events.push(event);
        }
    }
    (events, parser)
}

/// The input cut into chunks of 1 to 8 bytes, with an empty chunk before some of them, both taken from
/// the input's own bytes: the fuzzer steers the split points by mutating the data.
fn self_split(data: &[u8]) -> Vec<&[u8]> {
    let mut chunks = Vec::new();
    let (mut start, mut i) = (0, 0);
    while start < data.len() {
        let steer = data[i % data.len()];
        if steer >= 0x80 {
            chunks.push(&data[start..start]);
        }
        let end = (start + usize::from(steer % 8) + 1).min(data.len());
        chunks.push(&data[start..end]);
        start = end;
        i += 1;
    }
    chunks
}

/// The same events, retry delay and last event id however the bytes are split (all at once, one byte at
/// a time, or input-chosen chunks with empty ones between), events shaped as the standard says, and the
/// event stream over the same body naming a cut connection with the number of events that arrived.
pub fn sse_parser(data: &[u8]) {
    let (whole, whole_parser) = parse_chunks([data]);
    for event in &whole {
        assert!(!event.event.is_empty(), "an event always has a type");
        assert!(
            !event.event.contains(['\r', '\n']) && !event.data.contains('\r'),
            "line ends never leak into fields: {event:?}"
        );
        assert!(
            !event.id.as_deref().unwrap_or("").contains('\0'),
            "ids with NUL are ignored"
        );
    }
    for (how, chunks) in [
        ("byte by byte", data.chunks(1).collect::<Vec<_>>()),
        ("input-chosen splits", self_split(data)),
    ] {
        let (events, parser) = parse_chunks(chunks.iter().copied());
        assert_eq!(events, whole, "{how}");
        assert_eq!(parser.retry_ms(), whole_parser.retry_ms(), "{how}");
        assert_eq!(
            parser.last_event_id(),
            whole_parser.last_event_id(),
            "{how}"
        );
    }

    let mut body: Vec<Result<Vec<u8>, ApiError>> = self_split(data)
        .into_iter()
        .map(|c| Ok(c.to_vec()))
        .collect();
    body.push(Err(connection_broke()));
    let items = drain(SseStream::new(stream::iter(body)));
    let (last, events) = items.split_last().expect("the cut is always reported");
    let events: Vec<SseEvent> = events.iter().cloned().map(Result::unwrap).collect();
    assert_eq!(events, whole);
    let cut = last.as_ref().expect_err("the stream ends with the cut");
    let noun = if whole.len() == 1 { "event" } else { "events" };
    assert_eq!(
        cut.message,
        format!(
            "the server closed the connection before the stream finished (after {} {noun})",
            whole.len()
        )
    );
    assert!(std::error::Error::source(cut).is_some());
}

// ---------------------------------------------------------------------------------------------------
// chat_stream: each input line is the data of one event, or an `event:` line for the next one.

/// The SSE body for an input: lines starting with `event:` are sent as they are (so `event: error`
/// reaches the decoder), every other line becomes one `data:` event.
fn chat_body(data: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(data.len() * 2);
    for line in data.split(|&b| b == b'\n') {
        if line.starts_with(b"event:") {
            body.extend_from_slice(line);
            body.push(b'\n');
        } else {
            body.extend_from_slice(b"data:");
            body.extend_from_slice(line);
            body.extend_from_slice(b"\n\n");
        }
    }
    body
}

/// What the accumulator must have made of the chunks, computed from the chunks alone.
#[derive(Default)]
struct ExpectedChoice {
    content: Option<String>,
    refusal: Option<String>,
    /// Tool-call index to the concatenated arguments.
    arguments: BTreeMap<u32, String>,
}

/// The stream decodes any payload without panicking, yields at most one error and then ends, and the
/// accumulator's completion agrees with the chunks: choices by index, text and refusals concatenated,
/// tool calls joined by index with their arguments concatenated and a type always set, the first id,
/// the last usage; it also survives a JSON round trip unchanged.
pub fn chat_stream(data: &[u8]) {
    let body: ByteStream = Box::pin(stream::iter([Ok(chat_body(data))]));
    let items = drain(ChatStream::from_body(body));
    if let Some(position) = items.iter().position(Result::is_err) {
        assert_eq!(position, items.len() - 1, "nothing follows an error");
        let error = items[position].as_ref().unwrap_err();
        assert!(
            matches!(error.kind, ErrorKind::Decode | ErrorKind::Stream),
            "{error:?}"
        );
        assert!(!error.message.is_empty());
    }
    let chunks: Vec<&ChatCompletionChunk> = items.iter().filter_map(|i| i.as_ref().ok()).collect();

    let mut accumulator = ChatAccumulator::default();
    let mut expected: BTreeMap<u32, ExpectedChoice> = BTreeMap::new();
    for chunk in &chunks {
        accumulator.push(chunk);
        for choice in &chunk.choices {
            let want = expected.entry(choice.index).or_default();
            if let Some(text) = &choice.delta.content {
                want.content.get_or_insert_with(String::new).push_str(text);
            }
            if let Some(text) = &choice.delta.refusal {
                want.refusal.get_or_insert_with(String::new).push_str(text);
            }
            for call in &choice.delta.tool_calls {
                let arguments = want.arguments.entry(call.index).or_default();
                if let Some(piece) = call.function.as_ref().and_then(|f| f.arguments.as_ref()) {
                    arguments.push_str(piece);
                }
            }
        }
    }
    let completion = accumulator.finish();

    let indexes: Vec<u32> = completion.choices.iter().map(|c| c.index).collect();
    assert_eq!(indexes, expected.keys().copied().collect::<Vec<_>>());
    for (choice, want) in completion.choices.iter().zip(expected.values()) {
        assert_eq!(choice.message.content, want.content);
        assert_eq!(choice.message.refusal, want.refusal);
        let arguments: Vec<&str> = choice
            .message
            .tool_calls
            .iter()
            .map(|call| call.function.arguments.as_str())
            .collect();
        assert_eq!(
            arguments,
            want.arguments
                .values()
                .map(String::as_str)
                .collect::<Vec<_>>()
        );
        assert!(choice.message.tool_calls.iter().all(|c| !c.kind.is_empty()));
    }
    assert_eq!(
        accumulator.text(),
        expected
            .get(&0)
            .and_then(|c| c.content.as_deref())
            .unwrap_or("")
    );
    let first_id = chunks
        .iter()
        .map(|c| c.id.as_str())
        .find(|id| !id.is_empty());
    assert_eq!(completion.id, first_id.unwrap_or(""));
    assert_eq!(
        completion.usage,
        chunks.iter().rev().find_map(|c| c.usage),
        "the last usage reported wins"
    );

    let json = serde_json::to_string(&completion).expect("a completion always serializes");
    let again: ChatCompletion = serde_json::from_str(&json).expect("and decodes again");
    assert_eq!(again, completion, "{json}");
}

// ---------------------------------------------------------------------------------------------------
// error_body: an HTTP response head and body, `STATUS\nname: value\n...\n\nbody`.

/// The status, headers and body of an input; an input whose first line is not a status is all body,
/// sent with a 500.
fn error_response(data: &[u8]) -> (u16, Vec<(String, String)>, &[u8]) {
    let (head, body) = match data.windows(2).position(|w| w == b"\n\n") {
        Some(end) => (&data[..end], &data[end + 2..]),
        None => (data, &data[data.len()..]),
    };
    let head = String::from_utf8_lossy(head);
    let mut lines = head.split('\n');
    let Some(status) = lines.next().and_then(|l| l.trim().parse::<u16>().ok()) else {
        return (500, Vec::new(), data);
    };
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    (status, headers, body)
}

/// Any status, headers and body decode into an error of the status's kind with a non-empty message,
/// a one-line excerpt of at most 200 characters (plus an ellipsis), the echoed request id, and no
/// Python `"None"` as a parameter; a JSON body also decodes as an in-stream error payload.
pub fn error_body(data: &[u8]) {
    let (status, headers, body) = error_response(data);
    let lookup = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let error = ApiError::from_response(status, &lookup, body);
    assert_eq!(error.kind, ErrorKind::from_status(status));
    assert_eq!(error.status, Some(status));
    assert!(!error.message.is_empty());
    assert!(!error.to_string().is_empty());
    if let Some(excerpt) = &error.body_excerpt {
        assert!(excerpt.chars().count() <= 201, "{excerpt}");
        assert!(!excerpt.contains('\n'), "{excerpt:?}");
    }
    assert_eq!(
        error.request_id,
        lookup("x-request-id").or_else(|| lookup("x-trace-id"))
    );
    assert_ne!(error.param.as_deref(), Some("None"));

    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) {
        let in_stream = ApiError::from_stream_payload(&value);
        assert_eq!(in_stream.kind, ErrorKind::Stream);
        assert!(!in_stream.message.is_empty());
    }
}

// ---------------------------------------------------------------------------------------------------
// page_body: each input line is the body of one page of `GET /api/v1/history`, served in order.

/// Served after the last body: the walk asked for more pages than the input holds.
fn no_more_pages() -> ApiError {
    ApiError::new(ErrorKind::NotFound, "the input has no more pages")
}

/// Every page body decodes or fails as a `Decode` error with a short excerpt, a decoded page survives
/// a JSON round trip, and the pager walking the bodies yields exactly the items of the pages up to the
/// first one without a next cursor (or the first error, once), asking for each next page with the
/// previous page's cursor and the same limit.
pub fn page_body(data: &[u8]) {
    let bodies: Vec<Vec<u8>> = data.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    let pages: Vec<Result<Page<History>, ApiError>> = bodies
        .iter()
        .map(|body| decode_page(body, "/api/v1/history"))
        .collect();
    for page in &pages {
        match page {
            Ok(page) => {
                let json = serde_json::to_vec(page).expect("a page always serializes");
                let again: Page<History> =
                    decode_page(&json, "/api/v1/history").expect("and decodes again");
                assert_eq!(&again, page);
                if let Some(cursor) = page.next() {
                    assert!(page.has_more && !cursor.is_empty());
                }
            }
            Err(error) => {
                assert_eq!(error.kind, ErrorKind::Decode);
                let excerpt = error.body_excerpt.as_deref().unwrap_or("");
                assert!(excerpt.chars().count() <= 200);
            }
        }
    }

    let mut expected: Vec<Result<History, ApiError>> = Vec::new();
    let mut expected_cursors = vec![None];
    let mut walked = pages.iter();
    loop {
        match walked.next() {
            None => {
                expected.push(Err(no_more_pages()));
                break;
            }
            Some(Err(error)) => {
                expected.push(Err(error.clone()));
                break;
            }
            Some(Ok(page)) => {
                expected.extend(page.results.iter().cloned().map(Ok));
                match page.next() {
                    Some(cursor) => expected_cursors.push(Some(cursor.to_owned())),
                    None => break,
                }
            }
        }
    }

    let requests: Arc<Mutex<Vec<PageRequest>>> = Arc::default();
    let log = requests.clone();
    let mut served = bodies.into_iter();
    let items = drain(paginate(Some(2), move |request| {
        log.lock().unwrap().push(request);
        let page = match served.next() {
            Some(body) => decode_page(&body, "/api/v1/history"),
            None => Err(no_more_pages()),
        };
        async move { page }
    }));
    assert_eq!(items, expected);
    let requests = requests.lock().unwrap();
    assert_eq!(
        requests
            .iter()
            .map(|r| r.cursor.clone())
            .collect::<Vec<_>>(),
        expected_cursors
    );
    assert!(requests.iter().all(|r| r.limit == Some(2)));
}
