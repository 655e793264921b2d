//! OpenAI-compatible API (`/v1`) in OpenAI's own wire format: models, chat completions
//! (plain and streamed) and agent runs. Other `/v1` routes answer 501.

mod agents;
mod chat;
mod model;
mod stream;

use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use serde_json::json;

use crate::faults;
use crate::state::AppState;

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/v1/models", get(list_models).fallback(not_implemented))
        .route(
            "/v1/chat/completions",
            post(chat::create).fallback(not_implemented),
        )
        .route(
            "/v1/agents/{agent_id}/run",
            post(agents::run).fallback(not_implemented),
        )
        .route("/v1", any(not_implemented))
        .route("/v1/{*rest}", any(not_implemented))
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
