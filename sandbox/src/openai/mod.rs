//! OpenAI-compatible API (`/v1`) in OpenAI's own wire format: models, chat completions
//! (plain and streamed) and agent runs. OpenAI's other routes answer 501, unknown paths 404, and
//! every error a client can provoke (extractor rejections, body limits, 405s) carries OpenAI's
//! error body.

mod agents;
mod chat;
mod model;
mod stream;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use serde_json::json;

use crate::faults;
use crate::state::AppState;

/// Largest chat completion body (the prompt itself is capped lower, see [`chat::PROMPT_CAP_BYTES`]).
pub const CHAT_BODY_LIMIT: usize = 2 * 1024 * 1024;
/// Largest agent run body.
pub const AGENT_BODY_LIMIT: usize = 256 * 1024;

/// OpenAI routes the sandbox does not serve: they exist upstream, so they answer 501, not 404.
const UNIMPLEMENTED: &[&str] = &[
    "/v1/completions",
    "/v1/embeddings",
    "/v1/responses",
    "/v1/moderations",
    "/v1/files",
    "/v1/images/generations",
    "/v1/audio/speech",
    "/v1/audio/transcriptions",
    "/v1/models/{model}",
];

pub fn router(state: AppState) -> Router<AppState> {
    let mut router = Router::new()
        .route("/v1/models", get(list_models))
        .route(
            "/v1/chat/completions",
            post(chat::create).layer(DefaultBodyLimit::max(CHAT_BODY_LIMIT)),
        )
        .route(
            "/v1/agents/{agent_id}/run",
            post(agents::run).layer(DefaultBodyLimit::max(AGENT_BODY_LIMIT)),
        );
    for path in UNIMPLEMENTED {
        router = router.route(path, any(not_implemented));
    }
    router
        .route("/v1", any(unknown_path))
        .route("/v1/", any(unknown_path))
        .route("/v1/{*rest}", any(unknown_path))
        .layer(middleware::from_fn(openai_error_shape))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            faults::apply_openai,
        ))
        .layer(middleware::from_fn_with_state(state, require_key))
}

/// OpenAI's error body `{"error":{"message","type","param","code"}}`.
#[derive(Debug)]
pub struct Error {
    status: StatusCode,
    message: String,
    kind: &'static str,
    param: Option<String>,
    code: Option<&'static str>,
}

impl Error {
    /// An error with OpenAI's `type` chosen from the status.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Error {
        Error {
            status,
            message: message.into(),
            kind: if status.is_server_error() {
                "server_error"
            } else {
                "invalid_request_error"
            },
            param: None,
            code: Some(code),
        }
    }

    /// 400 `invalid_request_error` about the request field `param`.
    pub fn invalid(
        param: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Error {
        Error {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
            kind: "invalid_request_error",
            param: Some(param.into()),
            code: Some(code),
        }
    }

    pub fn invalid_body(message: impl Into<String>) -> Error {
        Error {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
            kind: "invalid_request_error",
            param: None,
            code: None,
        }
    }

    pub fn not_found(message: impl Into<String>, code: &'static str) -> Error {
        Error {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
            kind: "invalid_request_error",
            param: None,
            code: Some(code),
        }
    }

    fn unauthorized() -> Error {
        Error {
            status: StatusCode::UNAUTHORIZED,
            message: "Incorrect API key provided.".to_owned(),
            kind: "invalid_request_error",
            param: None,
            code: Some("invalid_api_key"),
        }
    }

    pub fn rate_limited() -> Error {
        Error {
            status: StatusCode::TOO_MANY_REQUESTS,
            message: "Rate limit reached for requests. Please try again later.".to_owned(),
            kind: "requests",
            param: None,
            code: Some("rate_limit_exceeded"),
        }
    }

    pub fn unavailable() -> Error {
        Error {
            status: StatusCode::SERVICE_UNAVAILABLE,
            message: "The server is temporarily unavailable. Please try again later.".to_owned(),
            kind: "server_error",
            param: None,
            code: Some("service_unavailable"),
        }
    }

    fn not_implemented(method: &Method, path: &str) -> Error {
        Error {
            status: StatusCode::NOT_IMPLEMENTED,
            message: format!("{method} {path} is not implemented by the sandbox"),
            kind: "not_implemented",
            param: None,
            code: Some("not_implemented"),
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let body = json!({"error": {"message": self.message, "type": self.kind,
            "param": self.param, "code": self.code}});
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

async fn require_key(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if crate::auth::is_authorized(&req, state.api_key()) {
        next.run(req).await
    } else {
        Error::unauthorized().into_response()
    }
}

async fn not_implemented(method: Method, uri: Uri) -> Error {
    Error::not_implemented(&method, uri.path())
}

/// OpenAI's answer to a path it does not have.
async fn unknown_path(method: Method, uri: Uri) -> Error {
    Error {
        status: StatusCode::NOT_FOUND,
        message: format!("Invalid URL ({method} {})", uri.path()),
        kind: "invalid_request_error",
        param: None,
        code: None,
    }
}

/// Longest part of a rejection's text kept in the error message.
const REJECTION_TEXT_MAX: usize = 300;

/// Re-shapes error responses that are not JSON (axum's plain-text extractor rejections, body-limit
/// 413s, empty 405s) into OpenAI's error body, keeping the status and the reason.
async fn openai_error_shape(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let allow = response.headers().get(header::ALLOW).cloned();
    let body = axum::body::to_bytes(response.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&body);
    let mut message: String = text.trim().chars().take(REJECTION_TEXT_MAX).collect();
    if message.is_empty() {
        message = status.canonical_reason().unwrap_or("Error").to_owned();
    }
    let code = match status {
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "request_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        s if s.is_server_error() => "server_error",
        _ => "invalid_request",
    };
    let mut shaped = Error::new(status, code, message).into_response();
    if let Some(allow) = allow {
        shaped.headers_mut().insert(header::ALLOW, allow);
    }
    shaped
}

async fn list_models() -> Json<serde_json::Value> {
    let data: Vec<_> = model::MODELS
        .iter()
        .map(|m| {
            json!({"id": m.id, "object": "model", "created": m.created,
            "owned_by": "kinlink-sandbox"})
        })
        .collect();
    Json(json!({"object": "list", "data": data}))
}
