//! One error type for every API and both backends.
//!
//! Servers disagree on how they report failures: Kino and KinBot wrap `{code, message}` in an `error`
//! object, OpenAI adds `type` and `param` and lets `code` be a string, a number or null, Better Auth and
//! Kindo put `message` at the top level, some handlers send `{"error": "text"}`, and proxies answer with
//! an HTML page or nothing at all. [`ApiError::from_response`] turns each of those into the same typed
//! value, keeping a short excerpt of any body that was not JSON so the cause is never lost.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

/// What went wrong, independent of the server's own wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 400, 413, 415, 422: the request was rejected as invalid.
    BadRequest,
    /// 401: missing or wrong credentials.
    Unauthorized,
    /// 403: the credentials are valid but not allowed to do this.
    Forbidden,
    /// 404 (and 405): no such resource or route.
    NotFound,
    /// 409: the request conflicts with the current state.
    Conflict,
    /// 429: rate limited; see [`ApiError::retry_after`].
    RateLimited,
    /// 502, 503, 504, 529: a dependency or the server is temporarily unavailable.
    Unavailable,
    /// 500 and any other 5xx, plus 501 (not implemented).
    Server,
    /// The server could not be reached (DNS, refused connection, CORS, TLS, reset).
    Network,
    /// No response headers within the request timeout, or a stream went idle too long.
    Timeout,
    /// The caller cancelled the request (dropped future or an `AbortSignal`).
    Aborted,
    /// The response arrived but its body did not have the expected shape.
    Decode,
    /// A stream reported an error in-band or ended before it was complete.
    Stream,
    /// The arguments were rejected before anything was sent.
    InvalidArgument,
    /// Any other HTTP status.
    Other,
}

impl ErrorKind {
    /// The kind an HTTP error status maps to; one table for every API.
    pub fn from_status(status: u16) -> ErrorKind {
        match status {
            400 | 413 | 415 | 422 => ErrorKind::BadRequest,
            401 => ErrorKind::Unauthorized,
            403 => ErrorKind::Forbidden,
            404 | 405 | 410 => ErrorKind::NotFound,
            408 => ErrorKind::Timeout,
            409 => ErrorKind::Conflict,
            429 => ErrorKind::RateLimited,
            502 | 503 | 504 | 529 => ErrorKind::Unavailable,
            500..=599 => ErrorKind::Server,
            _ => ErrorKind::Other,
        }
    }

    /// A stable lower-case name, used in messages and as the JS `kind` field.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "bad_request",
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::Server => "server",
            ErrorKind::Network => "network",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Aborted => "aborted",
            ErrorKind::Decode => "decode",
            ErrorKind::Stream => "stream",
            ErrorKind::InvalidArgument => "invalid_argument",
            ErrorKind::Other => "other",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How many characters of a non-JSON body are kept for the error message.
const EXCERPT_CHARS: usize = 200;

/// An error from any call of the SDK. Its fields ([`ErrorDetails`]) are read and set through it
/// (`error.kind`, `error.code`).
///
/// The details are boxed so that an `ApiError` is one pointer wide: every `Result` of the SDK carries
/// one, and most of them succeed. When a lower-level failure caused the error (the HTTP library's error
/// for a broken connection, say), that failure is kept as [`std::error::Error::source`].
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError(Box<ErrorDetails>);

/// What an [`ApiError`] says.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorDetails {
    /// What kind of failure this is.
    pub kind: ErrorKind,
    /// The HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// The server's machine-readable code (`not_found`, `invalid_api_key`, `1234`, ...), as text.
    pub code: Option<String>,
    /// A human-readable description: the server's message when it sent one.
    pub message: String,
    /// The OpenAI-style error `type`, when present.
    pub error_type: Option<String>,
    /// The OpenAI-style `param`, when present and meaningful.
    pub param: Option<String>,
    /// How long the server asked the client to wait (`retry-after-ms` or `Retry-After`).
    pub retry_after: Option<Duration>,
    /// The request id the server echoed (`x-request-id`, `x-trace-id`), for support tickets.
    pub request_id: Option<String>,
    /// The start of a body that was not JSON (an HTML error page, a plain-text message).
    pub body_excerpt: Option<String>,
    /// For a [`ErrorKind::Network`] failure in a browser, whether anything answered at the server's
    /// origin. A page may not learn why a `fetch` failed, so the web backend asks once more in a way
    /// CORS does not block (`mode: "no-cors"`): `Some(true)` means the server is up and refused this
    /// page (its CORS policy, or a proxy in front of it); `Some(false)` means nothing answered (down,
    /// wrong address, offline). `None` when not known.
    pub reached_server: Option<bool>,
    /// The lower-level failure behind this one, for [`std::error::Error::source`].
    cause: Option<Cause>,
}

/// A shared handle on the error that caused an [`ApiError`]: shared so `ApiError` stays `Clone`, and
/// `Send + Sync` so it can cross tasks and sit in UI signals.
#[derive(Clone)]
struct Cause(Arc<dyn std::error::Error + Send + Sync>);

impl fmt::Debug for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

/// Causes have no equality of their own; two errors are equal when they say the same thing.
impl PartialEq for Cause {
    fn eq(&self, other: &Cause) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0.to_string() == other.0.to_string()
    }
}

impl std::ops::Deref for ApiError {
    type Target = ErrorDetails;

    fn deref(&self) -> &ErrorDetails {
        &self.0
    }
}

impl std::ops::DerefMut for ApiError {
    fn deref_mut(&mut self) -> &mut ErrorDetails {
        &mut self.0
    }
}

impl ApiError {
    /// An error of `kind` with a message and nothing else.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> ApiError {
        ApiError(Box::new(ErrorDetails {
            kind,
            status: None,
            code: None,
            message: message.into(),
            error_type: None,
            param: None,
            retry_after: None,
            request_id: None,
            body_excerpt: None,
            reached_server: None,
            cause: None,
        }))
    }

    /// A `Decode` error that keeps the first 200 characters of the text that did not decode.
    pub(crate) fn undecodable(message: impl Into<String>, text: &str) -> ApiError {
        let mut error = ApiError::new(ErrorKind::Decode, message);
        error.body_excerpt = Some(text.chars().take(200).collect());
        error
    }

    /// The same error, caused by `cause` (reported by [`std::error::Error::source`]).
    pub fn with_source(
        mut self,
        cause: impl std::error::Error + Send + Sync + 'static,
    ) -> ApiError {
        self.cause = Some(Cause(Arc::new(cause)));
        self
    }

    /// A body that broke off: the connection closed (or was reset) before the server finished sending.
    /// `received` says how far it got (`3 events`, `120 bytes`); the backend's error becomes the cause,
    /// so its wording ("error decoding response body" from reqwest, "network error" from `fetch`) is kept
    /// without standing in for what happened.
    pub(crate) fn cut_off(what: &str, received: &str, cause: ApiError) -> ApiError {
        ApiError::new(
            ErrorKind::Stream,
            format!("the server closed the connection before {what} finished (after {received})"),
        )
        .with_source(cause)
    }

    /// Decodes a non-2xx response into an error, whatever shape its body has.
    ///
    /// `header` looks up a response header case-insensitively.
    pub fn from_response(
        status: u16,
        header: &dyn Fn(&str) -> Option<String>,
        body: &[u8],
    ) -> ApiError {
        let mut error = ApiError::new(ErrorKind::from_status(status), String::new());
        error.status = Some(status);
        error.retry_after = super::retry::retry_after_from_headers(header);
        error.request_id = header("x-request-id").or_else(|| header("x-trace-id"));

        let text = String::from_utf8_lossy(body);
        let trimmed = text.trim();
        match serde_json::from_str::<Value>(trimmed) {
            Ok(value) if error.fill_from_json(&value) => {}
            _ if trimmed.is_empty() => {}
            _ => error.body_excerpt = Some(excerpt(trimmed)),
        }
        if error.message.is_empty() {
            error.message = default_message(status, error.body_excerpt.as_deref());
        }
        error
    }

    /// Decodes an error object that arrived inside a successful stream (`data: {"error": {...}}`).
    pub fn from_stream_payload(value: &Value) -> ApiError {
        let mut error = ApiError::new(ErrorKind::Stream, String::new());
        if !error.fill_from_json(value) || error.message.is_empty() {
            error.message = "the server reported an error inside the stream".to_owned();
        }
        error
    }

    /// Reads `code`/`message`/`type`/`param` from every envelope we know. Returns false when the value
    /// holds none of them, so the caller can fall back to an excerpt of the raw body.
    fn fill_from_json(&mut self, value: &Value) -> bool {
        let Some(object) = value.as_object() else {
            return false;
        };
        let inner = match object.get("error") {
            Some(Value::Object(inner)) => inner,
            // `{"error": "kinId is required"}`
            Some(Value::String(message)) => {
                self.message = message.clone();
                self.code = scalar_text(object.get("code"));
                return true;
            }
            // `{"message": ..., "code"?: ...}`: Better Auth, Kindo, some gateways.
            _ => object,
        };
        let message =
            scalar_text(inner.get("message")).or_else(|| scalar_text(inner.get("detail")));
        let code = scalar_text(inner.get("code"));
        if message.is_none() && code.is_none() {
            return false;
        }
        self.message = message.unwrap_or_default();
        self.code = code;
        self.error_type = scalar_text(inner.get("type"));
        // OpenAI sometimes sends the Python repr `"None"` for a missing param.
        self.param = scalar_text(inner.get("param")).filter(|p| p != "None");
        true
    }

    /// True when the failure came from the caller cancelling the call.
    pub fn is_aborted(&self) -> bool {
        self.kind == ErrorKind::Aborted
    }
}

/// `1 event`, `3 events`: a count with its noun, for messages.
pub(crate) fn count(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A JSON scalar as text: strings as-is, numbers and booleans printed, null and containers dropped.
fn scalar_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The first characters of a body, whitespace collapsed, so an HTML page fits in one line.
fn excerpt(text: &str) -> String {
    let collapsed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = collapsed.chars().take(EXCERPT_CHARS).collect();
    if collapsed.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out
}

fn default_message(status: u16, excerpt: Option<&str>) -> String {
    let reason = match status {
        400 => "bad request",
        401 => "missing or invalid credentials",
        403 => "forbidden",
        404 => "not found",
        405 => "method not allowed",
        409 => "conflict",
        413 => "payload too large",
        415 => "unsupported media type",
        422 => "unprocessable entity",
        429 => "rate limited",
        500 => "internal server error",
        501 => "not implemented",
        502 => "bad gateway",
        503 => "service unavailable",
        504 => "gateway timeout",
        529 => "overloaded",
        _ => "request failed",
    };
    match excerpt {
        Some(body) => format!("HTTP {status} {reason}: {body}"),
        None => format!("HTTP {status} {reason}"),
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Kino's messages start with their code (`unauthorized: invalid API key`): say it once.
        let said = |code: &str| {
            let message = self.message.as_bytes();
            message.len() >= code.len()
                && message[..code.len()].eq_ignore_ascii_case(code.as_bytes())
                && matches!(message.get(code.len()), None | Some(b':'))
        };
        match (self.status, &self.code) {
            (Some(status), Some(code)) if !said(code) => {
                write!(f, "{} (HTTP {status}, {code})", self.message)
            }
            (Some(status), _) if !self.message.starts_with("HTTP ") => {
                write!(f, "{} (HTTP {status})", self.message)
            }
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ApiError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        let cause: &(dyn std::error::Error + 'static) = self.cause.as_ref()?.0.as_ref();
        Some(cause)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_the_code_once() {
        let kino = decode(
            401,
            &[],
            r#"{"error":{"code":"unauthorized","message":"unauthorized: invalid API key"}}"#,
        );
        assert_eq!(kino.to_string(), "unauthorized: invalid API key (HTTP 401)");
        let kinbot = decode(
            404,
            &[],
            r#"{"error":{"code":"KIN_NOT_FOUND","message":"Kin not found"}}"#,
        );
        assert_eq!(
            kinbot.to_string(),
            "Kin not found (HTTP 404, KIN_NOT_FOUND)"
        );
    }

    fn decode(status: u16, headers: &[(&str, &str)], body: &str) -> ApiError {
        let lookup = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.to_string())
        };
        ApiError::from_response(status, &lookup, body.as_bytes())
    }

    #[test]
    fn kino_envelope() {
        let e = decode(
            404,
            &[("x-trace-id", "abc123def456")],
            r#"{"error":{"code":"not_found","message":"movie with id 999 not found"}}"#,
        );
        assert_eq!(e.kind, ErrorKind::NotFound);
        assert_eq!(e.status, Some(404));
        assert_eq!(e.code.as_deref(), Some("not_found"));
        assert_eq!(e.message, "movie with id 999 not found");
        assert_eq!(e.request_id.as_deref(), Some("abc123def456"));
        assert_eq!(e.body_excerpt, None);
    }

    #[test]
    fn kino_middleware_401_has_an_empty_body() {
        let e = decode(401, &[], "");
        assert_eq!(e.kind, ErrorKind::Unauthorized);
        assert_eq!(e.code, None);
        assert_eq!(e.message, "HTTP 401 missing or invalid credentials");
    }

    #[test]
    fn kinbot_envelope_and_flat_better_auth_shape() {
        let e = decode(
            400,
            &[],
            r#"{"error":{"code":"VALIDATION_ERROR","message":"name is required"}}"#,
        );
        assert_eq!(
            (e.kind, e.code.as_deref(), e.message.as_str()),
            (
                ErrorKind::BadRequest,
                Some("VALIDATION_ERROR"),
                "name is required"
            )
        );
        let e = decode(
            401,
            &[],
            r#"{"message":"Invalid email or password","code":"INVALID_EMAIL_OR_PASSWORD"}"#,
        );
        assert_eq!(
            (e.kind, e.code.as_deref(), e.message.as_str()),
            (
                ErrorKind::Unauthorized,
                Some("INVALID_EMAIL_OR_PASSWORD"),
                "Invalid email or password"
            )
        );
        let e = decode(400, &[], r#"{"error":"kinId is required"}"#);
        assert_eq!(e.message, "kinId is required");
    }

    #[test]
    fn openai_shape_with_string_number_and_null_codes() {
        let e = decode(
            401,
            &[("www-authenticate", "Bearer")],
            r#"{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#,
        );
        assert_eq!(e.code.as_deref(), Some("invalid_api_key"));
        assert_eq!(e.error_type.as_deref(), Some("invalid_request_error"));
        assert_eq!(e.param, None);
        let e = decode(
            400,
            &[],
            r#"{"error":{"message":"bad","type":"x","param":"None","code":1234}}"#,
        );
        assert_eq!(e.code.as_deref(), Some("1234"));
        assert_eq!(
            e.param, None,
            "the Python repr None is not a parameter name"
        );
        let e = decode(
            529,
            &[],
            r#"{"error":{"message":"Overloaded","type":"overloaded_error","param":null,"code":null}}"#,
        );
        assert_eq!(
            (e.kind, e.code.clone(), e.message.as_str()),
            (ErrorKind::Unavailable, None, "Overloaded")
        );
        let e = decode(
            400,
            &[],
            r#"{"error":{"message":"m","param":"messages[0].role","code":null}}"#,
        );
        assert_eq!(e.param.as_deref(), Some("messages[0].role"));
    }

    #[test]
    fn top_level_message_as_kindo_documents() {
        let e = decode(403, &[], r#"{"message":"insufficient permissions"}"#);
        assert_eq!(
            (e.kind, e.message.as_str(), e.code.clone()),
            (ErrorKind::Forbidden, "insufficient permissions", None)
        );
    }

    #[test]
    fn html_page_from_a_proxy_keeps_an_excerpt() {
        let page = format!(
            "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>{}</body></html>",
            "x".repeat(500)
        );
        let e = decode(502, &[], &page);
        assert_eq!(e.kind, ErrorKind::Unavailable);
        let excerpt = e.body_excerpt.clone().unwrap();
        assert!(
            excerpt.starts_with("<html> <head><title>502 Bad Gateway</title>"),
            "{excerpt}"
        );
        assert!(excerpt.chars().count() <= EXCERPT_CHARS + 1);
        assert!(e.message.contains("502 Bad Gateway"), "{}", e.message);
    }

    #[test]
    fn plain_text_and_json_without_error_fields() {
        let e = decode(
            400,
            &[],
            "Failed to deserialize query string: limit: invalid digit found in string",
        );
        assert_eq!(e.kind, ErrorKind::BadRequest);
        assert!(e.message.contains("invalid digit"));
        let e = decode(500, &[], r#"{"ok":false}"#);
        assert_eq!(e.kind, ErrorKind::Server);
        assert_eq!(e.body_excerpt.as_deref(), Some(r#"{"ok":false}"#));
        let e = decode(500, &[], "\u{fffd}\u{0}binary");
        assert!(e.body_excerpt.is_some());
    }

    #[test]
    fn status_table() {
        for (status, kind) in [
            (400, ErrorKind::BadRequest),
            (422, ErrorKind::BadRequest),
            (404, ErrorKind::NotFound),
            (409, ErrorKind::Conflict),
            (429, ErrorKind::RateLimited),
            (500, ErrorKind::Server),
            (501, ErrorKind::Server),
            (503, ErrorKind::Unavailable),
            (529, ErrorKind::Unavailable),
            (418, ErrorKind::Other),
        ] {
            assert_eq!(ErrorKind::from_status(status), kind, "{status}");
        }
    }

    #[test]
    fn retry_after_is_read_from_the_error_response() {
        let e = decode(
            429,
            &[("Retry-After", "7")],
            r#"{"error":{"code":"rate_limited","message":"rate limited: tmdb"}}"#,
        );
        assert_eq!(e.retry_after, Some(Duration::from_secs(7)));
        let e = decode(429, &[("retry-after-ms", "1500"), ("retry-after", "9")], "");
        assert_eq!(e.retry_after, Some(Duration::from_millis(1500)));
    }

    #[test]
    fn an_error_is_one_pointer_wide_and_keeps_its_cause() {
        assert_eq!(
            std::mem::size_of::<ApiError>(),
            std::mem::size_of::<usize>()
        );
        let cause = ApiError::new(ErrorKind::Network, "connection reset");
        let e = ApiError::cut_off("the stream", &count(1, "event"), cause.clone());
        assert_eq!(
            e.to_string(),
            "the server closed the connection before the stream finished (after 1 event)"
        );
        let source = std::error::Error::source(&e).unwrap();
        assert_eq!(source.to_string(), "connection reset");
        assert_eq!(e.clone(), e, "a clone shares the cause and compares equal");
        assert_ne!(
            e,
            ApiError::cut_off(
                "the stream",
                &count(1, "event"),
                ApiError::new(ErrorKind::Network, "other")
            ),
            "errors with different causes differ"
        );
        assert_eq!(count(0, "byte"), "0 bytes");
    }

    #[test]
    fn stream_payload_error() {
        let v: Value = serde_json::from_str(r#"{"error":{"message":"upstream failed","type":"server_error","code":"stream_failed"}}"#).unwrap();
        let e = ApiError::from_stream_payload(&v);
        assert_eq!(
            (e.kind, e.code.as_deref(), e.message.as_str()),
            (ErrorKind::Stream, Some("stream_failed"), "upstream failed")
        );
    }
}
