//! The sandbox holds its own Kino responses to the contract, so the peer every test talks to
//! cannot drift from the real server: each JSON response of an operation is validated against the
//! contract's schema for that operation and status (a JSON Schema validator, independent of any
//! Rust type the SDK or the sandbox uses). A response that does not conform is replaced by a 500
//! `contract_violation` naming the operation and the first problems, and logged, so the test that
//! provoked it fails.
//!
//! On in debug builds (every test suite) and with `--check-contract`; off in release by default.

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use axum::extract::MatchedPath;

use super::contract::{document, operation_at, problems, response_validator, Operation};

/// Largest response body validated; larger ones (none today) pass unchecked.
const VALIDATED_BODY_MAX: usize = 8 * 1024 * 1024;
/// Problems listed in a violation.
const PROBLEMS_SHOWN: usize = 5;

/// Whether the contract documents `status` for the operation at all.
fn documents_status(op: &Operation, status: u16) -> bool {
    let method = op.method.to_ascii_lowercase();
    document()["paths"][op.path][method.as_str()]["responses"]
        .get(status.to_string())
        .is_some()
}

pub async fn layer(req: Request, next: Next) -> Response {
    let op = req
        .extensions()
        .get::<MatchedPath>()
        .and_then(|route| operation_at(req.method().as_str(), route.as_str()));
    let Some(op) = op else {
        return next.run(req).await;
    };
    let response = next.run(req).await;
    let status = response.status().as_u16();
    // Only the sandbox's own answers are checked: 501 marks an operation it does not serve, and
    // 401/404/405 with empty bodies come from the framework as on the real server.
    let documented = documents_status(op, status);
    if status == 501 || (!response.status().is_success() && !documented) {
        return response;
    }
    if !documented {
        return violation(
            op,
            status,
            &[format!("status {status} is not in the contract")],
        );
    }
    let is_json = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let Some(validator) = response_validator(op, status).filter(|_| is_json) else {
        return response;
    };
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, VALIDATED_BODY_MAX).await else {
        return violation(op, status, &["the body could not be read".to_owned()]);
    };
    let problems: Vec<String> = match serde_json::from_slice::<Value>(&bytes) {
        Ok(instance) => problems(&validator, &instance, PROBLEMS_SHOWN),
        Err(e) => vec![format!("the body is not JSON: {e}")],
    };
    if problems.is_empty() {
        Response::from_parts(parts, Body::from(bytes))
    } else {
        violation(op, status, &problems)
    }
}

fn violation(op: &Operation, status: u16, problems: &[String]) -> Response {
    let message = format!(
        "contract violation: {} {} ({}) answered {status} against the contract: {}",
        op.method,
        op.path,
        op.id,
        problems.join("; ")
    );
    eprintln!("kinlink-sandbox: {message}");
    super::envelope(
        StatusCode::INTERNAL_SERVER_ERROR,
        "contract_violation",
        &message,
    )
    .into_response()
}
