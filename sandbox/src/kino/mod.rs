//! Kino API (`/api/v1`): status, the config singleton and history.
//!
//! Errors follow the real server (wire facts §1–§3), on purpose even where it is unusual:
//! - a missing or wrong key is stopped by the middleware with **401 and an empty body**;
//! - handler errors use the envelope `{"error":{"code","message"}}`;
//! - extractor rejections (bad JSON, wrong shape, missing content type, bad query values, a body
//!   over the limit) are axum's plain-text bodies with 400/415/422/413;
//! - a known path with another method is axum's 405 with an empty body;
//! - `/api/...` outside `/api/v1` is 404 with an empty body;
//! - any other `/api/v1/...` path answers 501 in the envelope: it may be one of Kino's operations
//!   the sandbox does not serve yet.

mod history;
pub mod settings;
mod status;

use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use serde_json::json;

use crate::faults;
use crate::state::AppState;
use crate::store::StoreError;
use settings::{ConfigResponse, ConfigUpdate};

/// Paths reachable without the key. Kino's own middleware lets a few more through
/// (health, bootstrap, sessions), but those are not implemented here, so they stay gated.
const PUBLIC_PATHS: &[&str] = &["/api/v1/status"];

/// Largest request body, as axum's default that Kino keeps.
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

pub fn router(state: AppState) -> Router<AppState> {
    let v1 = Router::new()
        .route("/api/v1/status", get(status::get))
        .route("/api/v1/config", get(get_config).put(put_config))
        .route("/api/v1/history", get(history::list))
        .route("/api/v1", any(not_implemented))
        .route("/api/v1/", any(not_implemented))
        .route("/api/v1/{*rest}", any(not_implemented))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            faults::apply_kino,
        ))
        .layer(middleware::from_fn_with_state(state, require_key));
    Router::new()
        .route("/api", any(unknown_path))
        .route("/api/", any(unknown_path))
        .route("/api/{*rest}", any(unknown_path))
        .merge(v1)
}

/// Kino's answer to an `/api` path it has no route for: 404, empty body.
async fn unknown_path() -> StatusCode {
    StatusCode::NOT_FOUND
}

/// Kino's error envelope `{"error":{"code","message"}}`.
#[derive(Debug)]
pub enum Error {
    NotImplemented { method: Method, path: String },
    Internal(String),
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let (status, code, message) = match self {
            Error::NotImplemented { method, path } => (
                StatusCode::NOT_IMPLEMENTED,
                "not_implemented",
                format!("{method} {path} is not implemented by the sandbox"),
            ),
            Error::Internal(detail) => {
                eprintln!("kinlink-sandbox: internal error: {detail}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal_error",
                    "internal error".to_owned(),
                )
            }
        };
        envelope(status, code, &message)
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        Error::Internal(e.to_string())
    }
}

/// Builds a Kino error envelope response; also used by fault injection.
pub fn envelope(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!({"error": {"code": code, "message": message}})),
    )
        .into_response()
}

async fn require_key(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if PUBLIC_PATHS.contains(&req.uri().path()) || crate::auth::is_authorized(&req, state.api_key())
    {
        next.run(req).await
    } else {
        // Kino's middleware answers with the bare status (wire facts §2).
        StatusCode::UNAUTHORIZED.into_response()
    }
}

async fn not_implemented(method: Method, uri: Uri) -> Error {
    Error::NotImplemented {
        method,
        path: uri.path().to_owned(),
    }
}

async fn get_config(State(state): State<AppState>) -> Json<ConfigResponse> {
    Json(ConfigResponse::masked(
        &state.store().settings(),
        state.data_path(),
    ))
}

/// Partial update, saved with its history row in one transaction. Body rejections keep axum's
/// plain-text 400/413/415/422, as real Kino does.
async fn put_config(
    State(state): State<AppState>,
    body: Result<Json<ConfigUpdate>, JsonRejection>,
) -> Result<Json<ConfigResponse>, Response> {
    let Json(update) = body.map_err(IntoResponse::into_response)?;
    let settings = state
        .store()
        .update_config(update)
        .await
        .map_err(|e| Error::from(e).into_response())?;
    Ok(Json(ConfigResponse::masked(&settings, state.data_path())))
}
