//! Headers every response carries: `nosniff`, a request id, Kino's `x-trace-id` on
//! `/api`, and the strict browser policy (CSP and friends) on HTML.

use axum::extract::{Request, State};
use axum::http::header::{
    CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

use crate::console;
use crate::ids;
use crate::state::AppState;

/// The policy for every response that is not HTML.
pub const NON_HTML_CSP: &str = "default-src 'none'; frame-ancestors 'none'; sandbox";

pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // Echo a caller's id (bounded, printable) so client and server logs line up.
    let request_id = req
        .headers()
        .get("x-request-id")
        .filter(|v| v.len() <= 128 && v.to_str().is_ok())
        .cloned()
        .unwrap_or_else(|| {
            HeaderValue::from_str(&format!("req_{}", ids::random_hex(16)))
                .expect("hex is a valid header value")
        });
    let kino = req.uri().path().starts_with("/api/");

    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert("x-request-id", request_id);
    if kino {
        let trace =
            HeaderValue::from_str(&ids::random_hex(12)).expect("hex is a valid header value");
        headers.insert("x-trace-id", trace);
    }
    let html = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("text/html"));
    if html {
        if !headers.contains_key(CONTENT_SECURITY_POLICY) {
            // HTML not produced by the console (the no-console note, fault pages) has no
            // inline scripts of its own; the startup hashes of index.html are harmless there.
            let csp = match state.console() {
                Some(console) => console.startup_csp().to_owned(),
                None => console::csp_for(""),
            };
            if let Ok(value) = HeaderValue::from_str(&csp) {
                headers.insert(CONTENT_SECURITY_POLICY, value);
            }
        }
        headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
        headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    } else if !headers.contains_key(CONTENT_SECURITY_POLICY) {
        // Anything else opened as a document (an SVG, a JSON body) runs nothing and loads nothing.
        headers.insert(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(NON_HTML_CSP),
        );
    }
    response
}
