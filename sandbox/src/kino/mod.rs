//! Kino API (`/api/v1`): status, the config singleton and history.
//!
//! Errors follow the real server (wire facts §1–§3), on purpose even where it is unusual:
//! - a missing or wrong key is stopped by the middleware with **401 and an empty body**;
//! - handler errors use the envelope `{"error":{"code","message"}}`;
//! - extractor rejections (bad JSON, wrong shape, missing content type, bad query values, a body
//!   over the limit) are axum's plain-text bodies with 400/415/422/413;
//! - a known path with another method is axum's 405 with an empty body;
//! - a path under `/api/v1` that is not in the contract is 404 with an empty body (the rest of
//!   `/api` is KinBot's);
//! - an operation of the contract the sandbox does not serve answers 501 in the envelope, naming
//!   the operation.
//!
//! The routes come from the contract (`contract.rs`, generated from `contracts/kino.json`): one
//! generated trait per tag, implemented here by [`KinoSandbox`]; only the operations' behaviour is
//! written by hand.

pub mod conformance;
pub mod contract;
mod history;
pub mod resources;
pub mod settings;
mod status;

use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, put, MethodRouter};
use axum::{Json, Router};
use serde_json::json;

use crate::faults;
use crate::state::AppState;
use crate::store::StoreError;
use contract::{routes, Operation, OPERATIONS};
use settings::{ConfigResponse, ConfigUpdate};

/// Largest request body, as axum's default that Kino keeps.
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// The sandbox's Kino: the operations it serves, by tag (the traits are generated from the
/// contract); every other operation is routed too and answers 501 naming itself.
struct KinoSandbox;

impl routes::SystemOperations<AppState> for KinoSandbox {
    fn get_status(&self, _op: &'static Operation) -> Option<MethodRouter<AppState>> {
        Some(get(status::get))
    }
}

impl routes::ConfigOperations<AppState> for KinoSandbox {
    fn get_config(&self, _op: &'static Operation) -> Option<MethodRouter<AppState>> {
        Some(get(get_config))
    }

    fn update_config(&self, _op: &'static Operation) -> Option<MethodRouter<AppState>> {
        Some(put(put_config))
    }
}

impl routes::HistoryOperations<AppState> for KinoSandbox {
    fn list_history(&self, _op: &'static Operation) -> Option<MethodRouter<AppState>> {
        Some(get(history::list))
    }
}

/// Webhooks are plain CRUD over one [`resources::Collection`]; `test_webhook` is not served.
impl routes::WebhooksOperations<AppState> for KinoSandbox {
    fn list_webhooks(&self, op: &'static Operation) -> Option<MethodRouter<AppState>> {
        resources::route(&resources::WEBHOOKS, op)
    }

    fn create_webhook(&self, op: &'static Operation) -> Option<MethodRouter<AppState>> {
        resources::route(&resources::WEBHOOKS, op)
    }

    fn update_webhook(&self, op: &'static Operation) -> Option<MethodRouter<AppState>> {
        resources::route(&resources::WEBHOOKS, op)
    }

    fn delete_webhook(&self, op: &'static Operation) -> Option<MethodRouter<AppState>> {
        resources::route(&resources::WEBHOOKS, op)
    }
}

/// Indexers are plain CRUD too; definitions, tests and retries are not served.
impl routes::IndexersOperations<AppState> for KinoSandbox {
    fn list_indexers(&self, op: &'static Operation) -> Option<MethodRouter<AppState>> {
        resources::route(&resources::INDEXERS, op)
    }

    fn create_indexer(&self, op: &'static Operation) -> Option<MethodRouter<AppState>> {
        resources::route(&resources::INDEXERS, op)
    }

    fn get_indexer(&self, op: &'static Operation) -> Option<MethodRouter<AppState>> {
        resources::route(&resources::INDEXERS, op)
    }

    fn update_indexer(&self, op: &'static Operation) -> Option<MethodRouter<AppState>> {
        resources::route(&resources::INDEXERS, op)
    }

    fn delete_indexer(&self, op: &'static Operation) -> Option<MethodRouter<AppState>> {
        resources::route(&resources::INDEXERS, op)
    }
}

// Tags of which the sandbox serves nothing yet: every operation answers 501.
not_served!(
    KinoSandbox:
    AuthOperations,
    BackupsOperations,
    BlocklistOperations,
    CastOperations,
    DownloadsOperations,
    FilesystemOperations,
    HomeOperations,
    ImagesOperations,
    IntegrationsOperations,
    LibraryOperations,
    ListsOperations,
    LogsOperations,
    MediaOperations,
    MetadataOperations,
    MoviesOperations,
    PlaybackOperations,
    PreferencesOperations,
    QualityProfilesOperations,
    ReleasesOperations,
    ShowsOperations,
    TasksOperations,
    TmdbOperations,
    VpnOperations,
    WebsocketOperations,
);

impl routes::Operations<AppState> for KinoSandbox {}

pub fn router(state: AppState) -> Router<AppState> {
    let by_path = crate::contract_routes::by_path(
        OPERATIONS,
        |op| (op.method, op.path),
        |op| routes::route(&KinoSandbox, op),
        |op| Error::NotImplemented(op).into_response(),
    );
    let mut v1 = Router::new();
    for (path, handler) in by_path {
        v1 = v1.route(path, handler);
    }
    let mut v1 = v1
        .route("/api/v1", any(unknown_path))
        .route("/api/v1/", any(unknown_path))
        .route("/api/v1/{*rest}", any(unknown_path))
        .layer(DefaultBodyLimit::max(BODY_LIMIT));
    if state.check_contract() {
        v1 = v1.layer(middleware::from_fn(conformance::layer));
    }
    let v1 = v1
        .layer(middleware::from_fn_with_state(
            state.clone(),
            faults::apply_kino,
        ))
        .layer(middleware::from_fn_with_state(state, require_key));
    // The rest of `/api` is KinBot's (`crate::kinbot`).
    Router::new()
        .route("/api-docs/openapi.json", get(openapi_document))
        .merge(v1)
}

/// The contract the sandbox speaks, at the path Kino serves its own document (public, as there).
async fn openapi_document() -> Response {
    ([(CONTENT_TYPE, "application/json")], contract::OPENAPI_JSON).into_response()
}

/// Kino's answer to an `/api` path it has no route for: 404, empty body.
async fn unknown_path() -> StatusCode {
    StatusCode::NOT_FOUND
}

/// Kino's error envelope `{"error":{"code","message"}}`.
#[derive(Debug)]
pub enum Error {
    /// An operation of the contract the sandbox does not serve.
    NotImplemented(&'static Operation),
    Internal(String),
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let (status, code, message) = match self {
            Error::NotImplemented(op) => (
                StatusCode::NOT_IMPLEMENTED,
                "not_implemented",
                format!(
                    "{} {} ({}) is not implemented by the sandbox",
                    op.method, op.path, op.id
                ),
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
    // Runs after routing (a `Router::layer`), so the matched route names the operation.
    let public = req
        .extensions()
        .get::<MatchedPath>()
        .and_then(|route| contract::operation_at(req.method().as_str(), route.as_str()))
        .is_some_and(|op| op.public);
    if public || crate::auth::is_authorized(&req, state.api_key()) {
        next.run(req).await
    } else {
        // Kino's middleware answers with the bare status (wire facts §2).
        StatusCode::UNAUTHORIZED.into_response()
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
