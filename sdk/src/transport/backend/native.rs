//! Native backend: reqwest on tokio. Dropping the future or the body stream drops the connection.

use std::time::Duration;

use futures_util::StreamExt;

use super::{WireRequest, WireResponse};
use crate::transport::http::Method;
use crate::transport::{ApiError, Credentials, ErrorKind};

/// The connection pool, shared by every request of a client.
#[derive(Debug, Clone)]
pub(crate) struct NativeClient(reqwest::Client);

impl NativeClient {
    /// A session client keeps the cookies its server sets (in memory, for this client only).
    pub(crate) fn new(credentials: &Credentials) -> NativeClient {
        let session = matches!(credentials, Credentials::Session);
        let client = reqwest::Client::builder()
            .cookie_store(session)
            .build()
            .unwrap_or_default();
        NativeClient(client)
    }
}

/// Wall-clock time, for HTTP dates such as `Retry-After`.
pub(crate) fn now() -> std::time::SystemTime {
    std::time::SystemTime::now()
}

pub(crate) async fn sleep(duration: Duration) {
    tokio::time::sleep(duration).await
}

pub(crate) async fn send(
    client: &NativeClient,
    request: WireRequest,
) -> Result<WireResponse, ApiError> {
    let method = match request.method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Patch => reqwest::Method::PATCH,
        Method::Delete => reqwest::Method::DELETE,
    };
    let mut builder = client.0.request(method, &request.url);
    for (name, value) in &request.headers {
        builder = builder.header(*name, value);
    }
    if let Some(body) = request.body {
        builder = builder.body(body);
    }
    let response = builder
        .send()
        .await
        .map_err(|e| network_error(&request.url, &e))?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let url = request.url;
    let body = response.bytes_stream().map(move |chunk| match chunk {
        Ok(bytes) => Ok(bytes.to_vec()),
        Err(e) => Err(body_error(&url, e)),
    });
    Ok(WireResponse {
        status,
        headers,
        body: Box::pin(body),
    })
}

fn network_error(url: &str, error: &reqwest::Error) -> ApiError {
    let origin = crate::transport::http::origin_of(url);
    let kind = if error.is_timeout() {
        ErrorKind::Timeout
    } else {
        ErrorKind::Network
    };
    let mut cause: &dyn std::error::Error = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    ApiError::new(kind, format!("could not reach {origin}: {cause}"))
}

/// reqwest reports a connection that closed mid-body as "error decoding response body"; the reader of the
/// body names the failure with what had arrived (see `ByteStream`), so this keeps reqwest's error only as
/// the cause.
fn body_error(url: &str, error: reqwest::Error) -> ApiError {
    let origin = crate::transport::http::origin_of(url);
    ApiError::new(
        ErrorKind::Stream,
        format!("the connection to {origin} broke while reading the response"),
    )
    .with_source(error)
}
