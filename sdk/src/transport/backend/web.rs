//! Browser and Node backend: the global `fetch` with an `AbortController`.
//!
//! The global functions are bound directly (not through `window`) so the same build works in pages, web
//! workers and Node 20+. Dropping the request future or the body stream aborts the fetch, which is how
//! Rust cancellation and JS `AbortSignal`s reach the network.

use std::time::Duration;

use futures_util::future::Either;
use futures_util::stream;
use js_sys::{Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, Headers, ReadableStreamDefaultReader, RequestCache, RequestCredentials,
    RequestInit, RequestMode, Response,
};

use super::{WireRequest, WireResponse};
use crate::transport::http::{origin_of, race, Method};
use crate::transport::{ApiError, Credentials, ErrorKind};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(input: &str, init: &RequestInit) -> Promise;
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &js_sys::Function, millis: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(handle: &JsValue);
}

/// Nothing to pool on the web: the browser owns connections (and cookies).
#[derive(Debug, Clone)]
pub(crate) struct WebClient {
    /// Send and accept cookies cross-origin (`credentials: "include"`): session credentials only, so
    /// a key-authenticated client never carries a cookie it did not ask for.
    include_cookies: bool,
}

impl WebClient {
    pub(crate) fn new(credentials: &Credentials) -> WebClient {
        WebClient {
            include_cookies: matches!(credentials, Credentials::Session),
        }
    }
}

/// Clears its timer when dropped: a timeout that lost its race must not keep firing (in Node a pending
/// timer also keeps the process alive).
struct TimerGuard(JsValue);

impl Drop for TimerGuard {
    fn drop(&mut self) {
        clear_timeout(&self.0);
    }
}

/// Wall-clock time from JS: `SystemTime::now()` panics on wasm32-unknown-unknown.
pub(crate) fn now() -> std::time::SystemTime {
    std::time::UNIX_EPOCH + Duration::from_secs_f64(js_sys::Date::now() / 1000.0)
}

pub(crate) async fn sleep(duration: Duration) {
    let millis = duration.as_secs_f64() * 1000.0;
    let mut handle = JsValue::UNDEFINED;
    let promise = Promise::new(&mut |resolve, _reject| {
        handle = set_timeout(&resolve, millis);
    });
    let _guard = TimerGuard(handle);
    let _ = JsFuture::from(promise).await;
}

/// Aborts its fetch when dropped, whether the request is still waiting for headers or streaming a body.
struct AbortOnDrop(AbortController);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

pub(crate) async fn send(
    client: &WebClient,
    request: WireRequest,
) -> Result<WireResponse, ApiError> {
    let origin = origin_of(&request.url);
    let controller =
        AbortController::new().map_err(|e| js_error(ErrorKind::Network, &origin, &e))?;
    let guard = AbortOnDrop(controller);

    let headers = Headers::new().map_err(|e| js_error(ErrorKind::InvalidArgument, &origin, &e))?;
    for (name, value) in &request.headers {
        headers
            .append(name, value)
            .map_err(|e| js_error(ErrorKind::InvalidArgument, &origin, &e))?;
    }
    let init = RequestInit::new();
    init.set_method(match request.method {
        Method::Get => "GET",
        Method::Post => "POST",
        Method::Put => "PUT",
        Method::Patch => "PATCH",
        Method::Delete => "DELETE",
    });
    init.set_headers(&headers);
    init.set_signal(Some(&guard.0.signal()));
    if client.include_cookies {
        init.set_credentials(RequestCredentials::Include);
    }
    if let Some(body) = &request.body {
        init.set_body(&Uint8Array::from(body.as_slice()));
    }

    let response = JsFuture::from(global_fetch(&request.url, &init)).await;
    let response: Response = match response {
        Ok(response) => response.unchecked_into(),
        Err(e) => return Err(fetch_failure(&origin, &e).await),
    };

    let status = response.status();
    let mut header_list = Vec::new();
    if let Ok(Some(entries)) = js_sys::try_iter(&response.headers()) {
        for entry in entries.flatten() {
            let pair: js_sys::Array = entry.unchecked_into();
            if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                header_list.push((k.to_ascii_lowercase(), v));
            }
        }
    }

    let reader: Option<ReadableStreamDefaultReader> = response
        .body()
        .map(|body| body.get_reader().unchecked_into());
    let body = stream::unfold(Some((reader, guard, origin)), |state| async move {
        let (reader, guard, origin) = state?;
        let reader = reader?;
        match JsFuture::from(reader.read()).await {
            Ok(result) => {
                let done = Reflect::get(&result, &"done".into())
                    .ok()
                    .and_then(|d| d.as_bool())
                    .unwrap_or(true);
                if done {
                    return None;
                }
                let value = Reflect::get(&result, &"value".into()).unwrap_or(JsValue::UNDEFINED);
                let bytes = value
                    .dyn_into::<Uint8Array>()
                    .map(|a| a.to_vec())
                    .unwrap_or_default();
                Some((Ok(bytes), Some((Some(reader), guard, origin))))
            }
            Err(e) => {
                let error = if is_abort(&e) {
                    ApiError::new(ErrorKind::Aborted, "the request was aborted")
                } else {
                    // The reader of the body names the failure with what had arrived (see `ByteStream`).
                    ApiError::new(
                        ErrorKind::Stream,
                        format!("the connection to {origin} broke while reading the response"),
                    )
                    .with_source(JsFailure(js_message(&e)))
                };
                Some((Err(error), None))
            }
        }
    });
    Ok(WireResponse {
        status,
        headers: header_list,
        body: Box::pin(body),
    })
}

/// A JS exception's message as a Rust error: `JsValue` is neither `Send` nor `Sync`, so an `ApiError` can
/// only keep its text as the cause.
#[derive(Debug)]
struct JsFailure(String);

impl std::fmt::Display for JsFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for JsFailure {}

fn is_abort(error: &JsValue) -> bool {
    Reflect::get(error, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .as_deref()
        == Some("AbortError")
}

fn js_message(error: &JsValue) -> String {
    Reflect::get(error, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

fn js_error(kind: ErrorKind, origin: &str, error: &JsValue) -> ApiError {
    ApiError::new(kind, format!("{origin}: {}", js_message(error)))
}

/// `fetch` rejects with a bare `TypeError: Failed to fetch` for every network-level failure, and the page
/// is not allowed to learn which one it was. One more request to the server's origin in `no-cors` mode
/// (no credentials, no custom headers, an opaque answer the page cannot read) tells the two cases that
/// matter apart: it resolves when the server is up, so the first request was refused by its CORS policy,
/// and rejects when nothing answers.
async fn fetch_failure(origin: &str, error: &JsValue) -> ApiError {
    if is_abort(error) {
        return ApiError::new(ErrorKind::Aborted, "the request was aborted");
    }
    let reached = server_answers(origin).await;
    let explanation = match reached {
        Some(true) => format!(
            "{origin} answered, but did not allow requests from this page: its CORS policy must allow \
             this origin (and the Authorization header, or credentials for a session)"
        ),
        Some(false) => format!(
            "nothing answered at {origin}: the server is down, the address is wrong, or the network is \
             offline"
        ),
        None => format!(
            "could not reach {origin}: the server is down or the address is wrong, or it does not allow \
             requests from this page (CORS)"
        ),
    };
    let mut failure = ApiError::new(
        ErrorKind::Network,
        format!("{explanation} ({})", js_message(error)),
    );
    failure.reached_server = reached;
    failure
}

/// Whether anything answers at `origin`, asked so that CORS cannot refuse; `None` when the probe gets
/// no answer within a few seconds.
async fn server_answers(origin: &str) -> Option<bool> {
    const PROBE_WAIT: Duration = Duration::from_secs(3);
    let controller = AbortController::new().ok()?;
    let guard = AbortOnDrop(controller);
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_mode(RequestMode::NoCors);
    init.set_credentials(RequestCredentials::Omit);
    init.set_cache(RequestCache::NoStore);
    init.set_signal(Some(&guard.0.signal()));
    let probe = JsFuture::from(global_fetch(&format!("{origin}/"), &init));
    match race(probe, sleep(PROBE_WAIT)).await {
        Either::Left(answer) => Some(answer.is_ok()),
        Either::Right(()) => None,
    }
}
