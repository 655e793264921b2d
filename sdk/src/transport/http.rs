//! Building, sending and retrying requests; reading and decoding responses.

use std::future::Future;
use std::time::Duration;

use futures_util::future::{select, Either};
use futures_util::StreamExt;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::backend::{self, BackendClient, WireRequest, WireResponse};
use super::error::count;
use super::{ApiError, ByteStream, Credentials, ErrorKind, RequestBody, RetryPolicy};

/// HTTP methods the APIs use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
}

impl Method {
    /// Methods a server must treat as safe to repeat; only these are retried unless a call opts in.
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

/// Client-wide transport settings.
#[derive(Debug, Clone)]
pub struct TransportConfig {
    /// Retries for failed requests.
    pub retry: RetryPolicy,
    /// Longest wait for response headers, per attempt.
    pub timeout: Duration,
    /// Longest silence allowed between two chunks of a streamed body.
    pub stream_idle_timeout: Duration,
}

impl Default for TransportConfig {
    fn default() -> Self {
        TransportConfig {
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(60),
            stream_idle_timeout: Duration::from_secs(60),
        }
    }
}

/// Per-call overrides of the client's settings.
#[derive(Debug, Clone, Default)]
pub struct RequestOptions {
    /// Replaces the client's retry policy for this call.
    pub retry: Option<RetryPolicy>,
    /// Replaces the client's request timeout for this call.
    pub timeout: Option<Duration>,
    /// Replaces the client's stream idle timeout for this call.
    pub stream_idle_timeout: Option<Duration>,
    /// Lets a POST or PATCH be retried (for calls the server deduplicates or that are harmless to repeat).
    pub retry_non_idempotent: bool,
    /// Extra headers for this call.
    pub headers: Vec<(&'static str, String)>,
}

/// Sends requests to one server with one credential.
#[derive(Debug)]
pub struct Transport {
    base_url: String,
    credentials: Credentials,
    config: TransportConfig,
    backend: BackendClient,
}

/// Characters escaped in a path segment: everything but unreserved characters.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes one path segment (an id, a slug, a name), so `a/b` or `../x` can never change the route.
pub fn encode_segment(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

/// `scheme://host[:port]` of a URL, for messages that must not echo paths or query strings.
pub(crate) fn origin_of(url: &str) -> String {
    let after_scheme = url.find("://").map(|i| i + 3).unwrap_or(0);
    let end = url[after_scheme..]
        .find(['/', '?', '#'])
        .map(|i| i + after_scheme)
        .unwrap_or(url.len());
    url[..end].to_owned()
}

/// Resolves when either future does, dropping (and so cancelling) the other.
pub(crate) async fn race<A: Future, B: Future>(a: A, b: B) -> Either<A::Output, B::Output> {
    match select(std::pin::pin!(a), std::pin::pin!(b)).await {
        Either::Left((out, _)) => Either::Left(out),
        Either::Right((out, _)) => Either::Right(out),
    }
}

impl Transport {
    /// A transport for `base_url` (`http(s)://host[:port][/prefix]`).
    pub fn new(
        base_url: &str,
        credentials: Credentials,
        config: TransportConfig,
    ) -> Result<Transport, ApiError> {
        let trimmed = base_url.trim().trim_end_matches('/');
        let valid_scheme = trimmed.starts_with("http://") || trimmed.starts_with("https://");
        let host = trimmed.split("://").nth(1).unwrap_or("");
        if !valid_scheme || host.is_empty() || trimmed.contains(['?', '#', ' ']) {
            return Err(ApiError::new(
                ErrorKind::InvalidArgument,
                format!("the server URL must look like http://host:port or https://host, not {trimmed:?}"),
            ));
        }
        Ok(Transport {
            base_url: trimmed.to_owned(),
            backend: BackendClient::new(&credentials),
            credentials,
            config,
        })
    }

    /// The server URL this transport talks to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The client-wide settings.
    pub fn config(&self) -> &TransportConfig {
        &self.config
    }

    fn url(&self, path: &str, query: &[(&str, String)]) -> String {
        let mut url = format!("{}{}", self.base_url, path);
        for (i, (name, value)) in query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(&encode_segment(name));
            url.push('=');
            url.push_str(&encode_segment(value));
        }
        url
    }

    /// Sends a request and returns the response once its status is a success; errors (after retries)
    /// come back decoded, whatever shape the server used.
    pub(crate) async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<RequestBody>,
        options: &RequestOptions,
    ) -> Result<WireResponse, ApiError> {
        let mut headers: Vec<(&'static str, String)> =
            vec![("accept", "application/json".to_owned())];
        let body = body.map(|body| {
            headers.push(("content-type", body.content_type));
            body.bytes
        });
        headers.extend(self.credentials.header());
        headers.extend(options.headers.iter().cloned());
        let request = WireRequest {
            method,
            url: self.url(path, query),
            headers,
            body,
        };

        let policy = options.retry.unwrap_or(self.config.retry);
        let timeout = options.timeout.unwrap_or(self.config.timeout);
        let idempotent = method.is_idempotent() || options.retry_non_idempotent;
        let mut retry = 0;
        loop {
            let error = match self.attempt(request.clone(), timeout).await {
                Ok(response) => return Ok(response),
                Err(error) => error,
            };
            match policy.delay(retry, &error, idempotent, fastrand::f64()) {
                Some(wait) => backend::sleep(wait).await,
                None => return Err(error),
            }
            retry += 1;
        }
    }

    /// One try: headers within `timeout`, and a non-2xx answer read in full and decoded into an error.
    async fn attempt(
        &self,
        request: WireRequest,
        timeout: Duration,
    ) -> Result<WireResponse, ApiError> {
        let origin = origin_of(&request.url);
        let response = match race(
            backend::send(&self.backend, request),
            backend::sleep(timeout),
        )
        .await
        {
            Either::Left(result) => result?,
            Either::Right(()) => {
                return Err(ApiError::new(
                    ErrorKind::Timeout,
                    format!(
                        "{origin} sent no response within {} s",
                        timeout.as_secs_f32()
                    ),
                ))
            }
        };
        if (200..300).contains(&response.status) {
            return Ok(response);
        }
        let status = response.status;
        let headers = response.headers.clone();
        let lookup = move |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
        };
        // An error body that never finishes must not hang the call either.
        let body = match race(read_to_end(response.body), backend::sleep(timeout)).await {
            Either::Left(Ok(body)) => body,
            Either::Left(Err(_)) | Either::Right(()) => Vec::new(),
        };
        Err(ApiError::from_response(status, &lookup, &body))
    }

    /// Sends a request and decodes its JSON body into `T`.
    pub async fn json<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&(impl Serialize + ?Sized)>,
        options: &RequestOptions,
    ) -> Result<T, ApiError> {
        let body = serialize_body(body)?;
        let bytes = self.read_body(method, path, query, body, options).await?;
        decode_json(&bytes, path)
    }

    /// Sends a request with an already encoded body (a [`super::Multipart`] form, say) and decodes
    /// its JSON answer into `T`.
    pub async fn json_with<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<RequestBody>,
        options: &RequestOptions,
    ) -> Result<T, ApiError> {
        let bytes = self.read_body(method, path, query, body, options).await?;
        decode_json(&bytes, path)
    }

    /// Sends a request whose success has no body worth reading (204s, fire-and-forget actions).
    pub async fn empty(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&(impl Serialize + ?Sized)>,
        options: &RequestOptions,
    ) -> Result<(), ApiError> {
        let body = serialize_body(body)?;
        self.read_body(method, path, query, body, options)
            .await
            .map(drop)
    }

    /// Sends a request and reads its whole successful body, under the idle timeout.
    pub(crate) async fn read_body(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<RequestBody>,
        options: &RequestOptions,
    ) -> Result<Vec<u8>, ApiError> {
        let response = self.send(method, path, query, body, options).await?;
        let idle = options
            .stream_idle_timeout
            .unwrap_or(self.config.stream_idle_timeout);
        read_to_end(with_idle_timeout(response.body, idle)).await
    }

    /// Sends a request and returns its body as a byte stream that fails with `Timeout` when no bytes
    /// arrive for the idle timeout.
    pub async fn stream(
        &self,
        method: Method,
        path: &str,
        body: Option<&(impl Serialize + ?Sized)>,
        options: &RequestOptions,
    ) -> Result<(Vec<(String, String)>, ByteStream), ApiError> {
        let body = serialize_body(body)?;
        let mut options = options.clone();
        options
            .headers
            .push(("accept", "text/event-stream".to_owned()));
        let response = self.send(method, path, &[], body, &options).await?;
        let idle = options
            .stream_idle_timeout
            .unwrap_or(self.config.stream_idle_timeout);
        Ok((response.headers, with_idle_timeout(response.body, idle)))
    }
}

pub(crate) fn serialize_body(
    body: Option<&(impl Serialize + ?Sized)>,
) -> Result<Option<RequestBody>, ApiError> {
    body.map(RequestBody::json).transpose()
}

/// Decodes a JSON body, keeping an excerpt of it when it is not the expected shape.
pub(crate) fn decode_json<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::undecodable(
            format!("unexpected response from {what}: {e}"),
            &String::from_utf8_lossy(bytes),
        )
    })
}

/// The whole body; a cut connection is named with the number of bytes that had arrived (see
/// [`ByteStream`]).
async fn read_to_end(mut body: ByteStream) -> Result<Vec<u8>, ApiError> {
    let mut out = Vec::new();
    while let Some(chunk) = body.next().await {
        match chunk {
            Ok(bytes) => out.extend_from_slice(&bytes),
            Err(error) if error.kind == ErrorKind::Stream => {
                let received = count(out.len() as u64, "byte");
                return Err(ApiError::cut_off("the response body", &received, error));
            }
            Err(error) => return Err(error),
        }
    }
    Ok(out)
}

/// Ends a body with a `Timeout` error when it goes quiet for `idle`: a stalled server must never hang a
/// caller, and the request timeout only covers the wait for headers.
pub(crate) fn with_idle_timeout(body: ByteStream, idle: Duration) -> ByteStream {
    Box::pin(futures_util::stream::unfold(
        Some(body),
        move |state| async move {
            let mut body = state?;
            match race(body.next(), backend::sleep(idle)).await {
                Either::Left(Some(Ok(chunk))) => Some((Ok(chunk), Some(body))),
                Either::Left(Some(Err(error))) => Some((Err(error), None)),
                Either::Left(None) => None,
                Either::Right(()) => Some((
                    Err(ApiError::new(
                        ErrorKind::Timeout,
                        format!("the stream sent nothing for {} s", idle.as_secs_f32()),
                    )),
                    None,
                )),
            }
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_encoded() {
        assert_eq!(encode_segment("a/b ../c?d"), "a%2Fb%20..%2Fc%3Fd");
        assert_eq!(encode_segment("sandbox-echo_1.0~x"), "sandbox-echo_1.0~x");
    }

    #[test]
    fn origin_hides_path_and_query() {
        assert_eq!(
            origin_of("http://127.0.0.1:8080/api/v1/x?api_key=secret"),
            "http://127.0.0.1:8080"
        );
        assert_eq!(origin_of("https://h"), "https://h");
    }

    #[test]
    fn base_url_validation() {
        let t = Transport::new(
            "http://localhost:8080/",
            Credentials::None,
            TransportConfig::default(),
        )
        .unwrap();
        assert_eq!(t.base_url(), "http://localhost:8080");
        assert_eq!(
            t.url(
                "/api/v1/movies",
                &[("limit", "5".into()), ("q", "a b&c".into())]
            ),
            "http://localhost:8080/api/v1/movies?limit=5&q=a%20b%26c"
        );
        for bad in ["localhost:8080", "ftp://x", "http://", "http://x?y=1"] {
            let e = Transport::new(bad, Credentials::None, TransportConfig::default()).unwrap_err();
            assert_eq!(e.kind, ErrorKind::InvalidArgument, "{bad}");
        }
    }

    /// A body of `chunks`, then what a backend yields when the connection breaks.
    fn cut_body(chunks: &[&[u8]]) -> ByteStream {
        let mut items: Vec<Result<Vec<u8>, ApiError>> =
            chunks.iter().map(|chunk| Ok(chunk.to_vec())).collect();
        items.push(Err(ApiError::new(
            ErrorKind::Stream,
            "error decoding response body",
        )));
        Box::pin(futures_util::stream::iter(items))
    }

    #[test]
    fn a_cut_body_says_how_many_bytes_arrived_and_keeps_the_cause() {
        use futures_util::FutureExt;
        let error = read_to_end(cut_body(&[b"{\"id\":", b"1"]))
            .now_or_never()
            .unwrap()
            .unwrap_err();
        assert_eq!(error.kind, ErrorKind::Stream);
        assert_eq!(
            error.message,
            "the server closed the connection before the response body finished (after 7 bytes)"
        );
        let cause = std::error::Error::source(&error).expect("the backend's error is the cause");
        assert_eq!(cause.to_string(), "error decoding response body");

        let error = read_to_end(cut_body(&[b"x"])).now_or_never().unwrap();
        assert!(error.unwrap_err().message.ends_with("(after 1 byte)"));
    }

    #[test]
    fn other_body_errors_pass_through_unnamed() {
        use futures_util::FutureExt;
        let body: ByteStream = Box::pin(futures_util::stream::iter([
            Ok(b"abc".to_vec()),
            Err(ApiError::new(
                ErrorKind::Timeout,
                "the stream sent nothing for 1 s",
            )),
        ]));
        let error = read_to_end(body).now_or_never().unwrap().unwrap_err();
        assert_eq!(
            (error.kind, error.message.as_str()),
            (ErrorKind::Timeout, "the stream sent nothing for 1 s")
        );
        assert!(std::error::Error::source(&error).is_none());
    }

    #[test]
    fn decode_errors_keep_the_body() {
        let e = decode_json::<u32>(b"<html>oops</html>", "/api/v1/status").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Decode);
        assert_eq!(e.body_excerpt.as_deref(), Some("<html>oops</html>"));
    }
}
