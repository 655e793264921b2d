//! Kino API (`/api/v1`): status, the config singleton and history; every other Kino route
//! answers 501 in Kino's error envelope.

mod history;
pub mod settings;
mod status;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Request, State};
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

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/api/v1/status", get(status::get).fallback(not_implemented))
        .route(
            "/api/v1/config",
            get(get_config).put(put_config).fallback(not_implemented),
        )
        .route(
            "/api/v1/history",
            get(history::list).fallback(not_implemented),
        )
        .route("/api", any(not_implemented))
        .route("/api/{*rest}", any(not_implemented))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            faults::apply_kino,
        ))
        .layer(middleware::from_fn_with_state(state, require_key))
}

/// Kino's error envelope `{"error":{"code","message"}}`.
#[derive(Debug)]
pub enum Error {
    Unauthorized,
    NotImplemented { method: Method, path: String },
    Internal(String),
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let (status, code, message) = match self {
            // Real Kino answers this with an empty body; the sandbox sends the envelope on
            // purpose so a client's error decoding is exercised on 401 as well.
            Error::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "unauthorized: missing or invalid API key".to_owned(),
            ),
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
        Error::Unauthorized.into_response()
    }
}

async fn not_implemented(method: Method, uri: Uri) -> Error {
    Error::NotImplemented {
        method,
        path: uri.path().to_owned(),
    }
}

async fn get_config(State(state): State<AppState>) -> Result<Json<ConfigResponse>, Error> {
    let settings = state.store().settings()?;
    Ok(Json(ConfigResponse::masked(&settings, state.data_path())))
}

/// Partial update. Body rejections keep axum's plain-text 400/415/422, as real Kino does.
async fn put_config(
    State(state): State<AppState>,
    body: Result<Json<ConfigUpdate>, JsonRejection>,
) -> Result<Json<ConfigResponse>, Response> {
    let Json(update) = body.map_err(IntoResponse::into_response)?;
    let mut settings = state
        .store()
        .settings()
        .map_err(|e| Error::from(e).into_response())?;
    settings.apply(update);
    state
        .store()
        .save_settings(&settings)
        .map_err(|e| Error::from(e).into_response())?;
    // Kino records every config PUT as a `config_changed` event with scope `all`.
    let event = serde_json::json!({"event": "config_changed", "scope": "all"});
    state
        .store()
        .append_history("config_changed", &event)
        .map_err(|e| Error::from(e).into_response())?;
    Ok(Json(ConfigResponse::masked(&settings, state.data_path())))
}
