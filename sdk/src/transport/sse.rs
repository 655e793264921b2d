//! Server-sent events over any byte stream, parsed by the rules of the HTML EventSource standard.
//!
//! Browsers' `EventSource` only does GET without custom headers, so every stream here (POST chat
//! completions, authenticated GET feeds) reads the fetch body and feeds it to [`SseParser`]. The parser is
//! incremental and splits lines on bytes: CR, LF and CRLF all end a line, a CRLF split across two chunks is
//! one line end, and lines are decoded as UTF-8 only once complete, so a chunk boundary inside a multi-byte
//! character is harmless. A leading BOM is dropped. Fields follow the standard exactly: `data` lines are
//! joined with `\n`, `event` sets the type (default `message`), `id` without NUL sets the last event id,
//! `retry` with only digits sets the reconnection delay, comments and unknown fields are ignored, an event
//! with no data is not dispatched, and an unterminated event at the end of the stream is discarded.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::error::{count, ApiError, ErrorKind};

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The event type; `message` when the server sent no `event:` field.
    pub event: String,
    /// The data lines, joined with `\n`.
    pub data: String,
    /// The last event id in force when this event was dispatched (sent back as `Last-Event-ID`).
    pub id: Option<String>,
}

/// The incremental parser: feed bytes, take events.
#[derive(Debug, Default)]
pub struct SseParser {
    line: Vec<u8>,
    /// A CR ended the previous chunk; an LF at the start of the next one belongs to it.
    after_cr: bool,
    /// The first bytes are past the BOM check (until then they wait in `line`).
    started: bool,
    data: String,
    event_type: String,
    last_event_id: Option<String>,
    retry_ms: Option<u64>,
    ready: VecDeque<SseEvent>,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

impl SseParser {
    /// A parser at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// A parser that resumes after a reconnection and keeps the last event id.
    pub fn resuming(last_event_id: Option<String>) -> Self {
        SseParser {
            last_event_id,
            ..Self::default()
        }
    }

    /// Feeds the next chunk of bytes.
    pub fn feed(&mut self, chunk: &[u8]) {
        if !self.started {
            // Hold back a possible partial BOM until three bytes are known.
            self.line.extend_from_slice(chunk);
            if self.line.len() < BOM.len() && BOM.starts_with(&self.line) {
                return;
            }
            self.started = true;
            let held = std::mem::take(&mut self.line);
            let rest = held.strip_prefix(BOM).unwrap_or(&held);
            self.feed_bytes(rest);
            return;
        }
        self.feed_bytes(chunk);
    }

    fn feed_bytes(&mut self, mut bytes: &[u8]) {
        // An empty chunk says nothing about whether an LF follows a trailing CR.
        if bytes.is_empty() {
            return;
        }
        if self.after_cr {
            self.after_cr = false;
            if let Some(rest) = bytes.strip_prefix(b"\n") {
                bytes = rest;
            }
        }
        while let Some(end) = bytes.iter().position(|&b| b == b'\n' || b == b'\r') {
            self.line.extend_from_slice(&bytes[..end]);
            let line = std::mem::take(&mut self.line);
            self.process_line(&String::from_utf8_lossy(&line));
            if bytes[end] == b'\r' {
                match bytes.get(end + 1) {
                    Some(b'\n') => bytes = &bytes[end + 2..],
                    Some(_) => bytes = &bytes[end + 1..],
                    None => {
                        self.after_cr = true;
                        bytes = &[];
                    }
                }
            } else {
                bytes = &bytes[end + 1..];
            }
        }
        self.line.extend_from_slice(bytes);
    }

    fn process_line(&mut self, line: &str) {
        if line.is_empty() {
            self.dispatch();
            return;
        }
        if line.starts_with(':') {
            return;
        }
        let (field, value) = match line.find(':') {
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(' ').unwrap_or(value))
            }
            None => (line, ""),
        };
        match field {
            "event" => self.event_type = value.to_owned(),
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
            }
            "id" if !value.contains('\0') => self.last_event_id = Some(value.to_owned()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry_ms = value.parse().ok();
            }
            _ => {}
        }
    }

    fn dispatch(&mut self) {
        let event_type = std::mem::take(&mut self.event_type);
        if self.data.is_empty() {
            return;
        }
        let mut data = std::mem::take(&mut self.data);
        data.pop(); // the trailing LF added by the last data line
        self.ready.push_back(SseEvent {
            event: if event_type.is_empty() {
                "message".to_owned()
            } else {
                event_type
            },
            data,
            id: self.last_event_id.clone(),
        });
    }

    /// The next complete event, if any.
    pub fn next_event(&mut self) -> Option<SseEvent> {
        self.ready.pop_front()
    }

    /// The reconnection delay the server asked for with `retry:`, in milliseconds.
    pub fn retry_ms(&self) -> Option<u64> {
        self.retry_ms
    }

    /// The last event id seen, to resume with after a reconnection.
    pub fn last_event_id(&self) -> Option<&str> {
        self.last_event_id.as_deref()
    }
}

/// A stream of events over a stream of byte chunks. Errors of the byte stream pass through, except that a
/// cut connection is named with the number of events that had arrived (see [`ByteStream`]); the end of
/// the byte stream ends the event stream (the caller decides whether that end was expected).
///
/// [`ByteStream`]: super::ByteStream
pub struct SseStream<S> {
    bytes: Option<S>,
    parser: SseParser,
    /// Events handed out so far, for the message of a cut.
    dispatched: u64,
}

impl<S> SseStream<S> {
    /// Parses `bytes` as an event stream.
    pub fn new(bytes: S) -> Self {
        SseStream {
            bytes: Some(bytes),
            parser: SseParser::new(),
            dispatched: 0,
        }
    }

    /// Parses a stream that resumes after `last_event_id` (events without an `id:` keep reporting it).
    pub fn resuming(bytes: S, last_event_id: Option<String>) -> Self {
        SseStream {
            bytes: Some(bytes),
            parser: SseParser::resuming(last_event_id),
            dispatched: 0,
        }
    }

    /// The parser state (last event id, retry delay).
    pub fn parser(&self) -> &SseParser {
        &self.parser
    }
}

impl<S> Stream for SseStream<S>
where
    S: Stream<Item = Result<Vec<u8>, ApiError>> + Unpin,
{
    type Item = Result<SseEvent, ApiError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(event) = this.parser.next_event() {
                this.dispatched += 1;
                return Poll::Ready(Some(Ok(event)));
            }
            let Some(bytes) = this.bytes.as_mut() else {
                return Poll::Ready(None);
            };
            match Pin::new(bytes).poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) => this.parser.feed(&chunk),
                Poll::Ready(Some(Err(error))) => {
                    this.bytes = None;
                    let error = match error.kind {
                        ErrorKind::Stream => {
                            ApiError::cut_off("the stream", &count(this.dispatched, "event"), error)
                        }
                        _ => error,
                    };
                    return Poll::Ready(Some(Err(error)));
                }
                Poll::Ready(None) => {
                    this.bytes = None;
                    return Poll::Ready(None);
                }
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_chunks(chunks: &[&[u8]]) -> (Vec<SseEvent>, SseParser) {
        let mut parser = SseParser::new();
        let mut events = Vec::new();
        for chunk in chunks {
            parser.feed(chunk);
            while let Some(e) = parser.next_event() {
                events.push(e);
            }
        }
        (events, parser)
    }

    fn parse(text: &str) -> Vec<SseEvent> {
        parse_chunks(&[text.as_bytes()]).0
    }

    fn ev(event: &str, data: &str, id: Option<&str>) -> SseEvent {
        SseEvent {
            event: event.into(),
            data: data.into(),
            id: id.map(Into::into),
        }
    }

    #[test]
    fn data_event_and_default_type() {
        assert_eq!(parse("data: hello\n\n"), vec![ev("message", "hello", None)]);
        assert_eq!(parse("event: add\ndata: 1\n\n"), vec![ev("add", "1", None)]);
    }

    #[test]
    fn only_one_leading_space_is_removed_and_no_space_works() {
        assert_eq!(parse("data:x\n\n"), vec![ev("message", "x", None)]);
        assert_eq!(parse("data:  two\n\n"), vec![ev("message", " two", None)]);
        // A bare `data` field adds an empty line: the buffer is "\n", so an event with empty data is dispatched.
        assert_eq!(parse("data\n\n"), vec![ev("message", "", None)]);
    }

    #[test]
    fn multi_line_data_is_joined_with_lf() {
        assert_eq!(
            parse("data: a\ndata: b\ndata:\n\n"),
            vec![ev("message", "a\nb\n", None)]
        );
    }

    #[test]
    fn line_endings_cr_lf_crlf_mixed() {
        let expected = vec![
            ev("message", "a", None),
            ev("message", "b", None),
            ev("message", "c", None),
        ];
        assert_eq!(parse("data: a\r\rdata: b\n\ndata: c\r\n\r\n"), expected);
        // A CR then LF in the next chunk is one line end, not an empty line.
        let (events, _) = parse_chunks(&[b"data: a\r", b"\ndata: b\r\n\r\n"]);
        assert_eq!(events, vec![ev("message", "a\nb", None)]);
    }

    #[test]
    fn comments_and_unknown_fields_are_ignored() {
        assert_eq!(
            parse(": ping\n\n: keep-alive\ndata: x\nfoo: bar\n\n"),
            vec![ev("message", "x", None)]
        );
    }

    #[test]
    fn event_without_data_is_not_dispatched_and_resets_type() {
        assert_eq!(
            parse("event: a\n\ndata: x\n\n"),
            vec![ev("message", "x", None)]
        );
    }

    #[test]
    fn ids_persist_and_nul_ids_are_ignored() {
        let events = parse("id: 1\ndata: a\n\ndata: b\n\nid: 2\0x\ndata: c\n\nid\ndata: d\n\n");
        assert_eq!(
            events,
            vec![
                ev("message", "a", Some("1")),
                ev("message", "b", Some("1")),
                ev("message", "c", Some("1")),
                ev("message", "d", Some(""))
            ]
        );
    }

    #[test]
    fn retry_only_with_digits() {
        let (_, parser) = parse_chunks(&[b"retry: 1500\n\n"]);
        assert_eq!(parser.retry_ms(), Some(1500));
        let (_, parser) = parse_chunks(&[b"retry: 15x\n\nretry: \n\n"]);
        assert_eq!(parser.retry_ms(), None);
    }

    #[test]
    fn leading_bom_is_dropped_once_even_when_split() {
        let (events, _) = parse_chunks(&[b"\xEF", b"\xBB", b"\xBFdata: a\n\n"]);
        assert_eq!(events, vec![ev("message", "a", None)]);
        // A second BOM is data, per the standard (it is part of the field name here, so the line is ignored).
        let (events, _) = parse_chunks(&[b"\xEF\xBB\xBF\xEF\xBB\xBFdata: a\n\ndata: b\n\n"]);
        assert_eq!(events, vec![ev("message", "b", None)]);
        let (events, _) = parse_chunks(&[b"da", b"ta: short\n\n"]);
        assert_eq!(events, vec![ev("message", "short", None)]);
    }

    #[test]
    fn unterminated_event_at_end_is_discarded() {
        assert_eq!(
            parse("data: a\n\ndata: b\n"),
            vec![ev("message", "a", None)]
        );
    }

    #[test]
    fn utf8_split_inside_a_character() {
        let text = "data: héllo 🌍\n\n".as_bytes();
        let emoji_start = text.iter().position(|&b| b == 0xF0).unwrap();
        let (events, _) = parse_chunks(&[&text[..emoji_start + 2], &text[emoji_start + 2..]]);
        assert_eq!(events, vec![ev("message", "héllo 🌍", None)]);
    }

    #[test]
    fn a_cut_connection_is_named_with_the_events_that_arrived() {
        use futures_util::{FutureExt, StreamExt};
        let body = futures_util::stream::iter([
            Ok(b"data: a\n\nda".to_vec()),
            Ok(b"ta: b\n\ndata: unfinished".to_vec()),
            Err(ApiError::new(ErrorKind::Stream, "network error")),
        ]);
        let items: Vec<_> = SseStream::new(body).collect().now_or_never().unwrap();
        assert_eq!(items.len(), 3, "{items:?}");
        assert_eq!(items[1].as_ref().unwrap().data, "b");
        let error = items[2].as_ref().unwrap_err();
        assert_eq!(error.kind, ErrorKind::Stream);
        assert_eq!(
            error.message,
            "the server closed the connection before the stream finished (after 2 events)"
        );
        let cause = std::error::Error::source(error).expect("the backend's error is the cause");
        assert_eq!(cause.to_string(), "network error");

        // Errors of other kinds (an idle timeout, an abort) are not cuts and pass through as they are.
        let body = futures_util::stream::iter([Err(ApiError::new(ErrorKind::Aborted, "aborted"))]);
        let items: Vec<_> = SseStream::new(body).collect().now_or_never().unwrap();
        assert_eq!(
            items,
            vec![Err(ApiError::new(ErrorKind::Aborted, "aborted"))]
        );
    }

    #[test]
    fn any_split_gives_the_same_events() {
        let stream: &[u8] = "\u{feff}: hi\r\nevent: chunk\r\ndata: {\"a\":\"é🌍\"}\r\nid: 7\r\n\r\ndata:x\rdata: y\r\rretry: 20\n\ndata: z\n\n: tail\n".as_bytes();
        let (whole, _) = parse_chunks(&[stream]);
        assert_eq!(whole.len(), 3);
        // Every single split point, then random multi-way splits.
        for cut in 0..=stream.len() {
            let (events, _) = parse_chunks(&[&stream[..cut], &stream[cut..]]);
            assert_eq!(events, whole, "split at {cut}");
        }
        let mut rng = fastrand::Rng::with_seed(0x5EED);
        for _ in 0..2000 {
            let mut cuts: Vec<usize> = (0..rng.usize(1..12))
                .map(|_| rng.usize(0..=stream.len()))
                .collect();
            cuts.sort_unstable();
            let mut chunks = Vec::new();
            let mut start = 0;
            for cut in cuts {
                chunks.push(&stream[start..cut]);
                start = cut;
            }
            chunks.push(&stream[start..]);
            let (events, parser) = parse_chunks(&chunks);
            assert_eq!(events, whole, "chunks {chunks:?}");
            assert_eq!(parser.retry_ms(), Some(20));
        }
    }
}
