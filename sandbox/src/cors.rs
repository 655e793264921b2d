//! CORS for browser clients (the console served from another origin, SDK tests in a
//! browser). Without `--cors-origin` nothing is added: same-origin only, as Kino.

use axum::extract::{Request, State};
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_REQUEST_METHOD, ORIGIN, VARY,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::state::AppState;

const ALLOW_METHODS: &str = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
/// Listed one by one: under the Fetch standard a `*` does not cover `Authorization`.
const ALLOW_HEADERS: &str =
    "authorization, content-type, x-api-key, last-event-id, x-request-id, idempotency-key";
const EXPOSE_HEADERS: &str = "retry-after, retry-after-ms, x-request-id, x-trace-id";

/// `*` in the list mirrors any origin; other entries must match exactly. `null` (sandboxed
/// iframes, `file:` pages, some redirects) is an origin anyone can make a request carry, so `*`
/// does not cover it: only an explicit `null` entry does.
fn allowed(origins: &[String], origin: &str) -> bool {
    origins
        .iter()
        .any(|o| (o == "*" && origin != "null") || o.trim_end_matches('/') == origin)
}

pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let origins = state.cors_origins();
    if origins.is_empty() {
        return next.run(req).await;
    }
    let origin = req
        .headers()
        .get(ORIGIN)
        .filter(|o| o.to_str().is_ok_and(|o| allowed(origins, o)))
        .cloned();
    let preflight = req.method() == Method::OPTIONS
        && req.headers().contains_key(ACCESS_CONTROL_REQUEST_METHOD);

    if let (true, Some(origin)) = (preflight, &origin) {
        let mut response = StatusCode::NO_CONTENT.into_response();
        let headers = response.headers_mut();
        allow_origin(headers, origins, origin);
        headers.insert(
            ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static(ALLOW_METHODS),
        );
        headers.insert(
            ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static(ALLOW_HEADERS),
        );
        headers.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
        return response;
    }

    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    match &origin {
        Some(origin) => {
            allow_origin(headers, origins, origin);
            headers.insert(
                ACCESS_CONTROL_EXPOSE_HEADERS,
                HeaderValue::from_static(EXPOSE_HEADERS),
            );
        }
        // The answer depends on Origin even when it is refused, so caches must know.
        None => {
            headers.append(VARY, HeaderValue::from_static("Origin"));
        }
    }
    response
}

fn allow_origin(headers: &mut HeaderMap, origins: &[String], origin: &HeaderValue) {
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
    // Cookies (KinBot's session) cross only to origins named one by one: under `*` any page the
    // user visits could act with their session.
    if origin.to_str().is_ok_and(|o| {
        origins
            .iter()
            .any(|listed| listed.trim_end_matches('/') == o)
    }) {
        headers.insert(
            ACCESS_CONTROL_ALLOW_CREDENTIALS,
            HeaderValue::from_static("true"),
        );
    }
    headers.append(VARY, HeaderValue::from_static("Origin"));
}
