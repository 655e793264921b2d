//! Test-only fault injection (`--faults`): `POST /__sandbox/faults` arms a fault that the
//! next N matching requests (after auth) consume; `DELETE` clears them all.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, post};
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::state::AppState;
use crate::{kino, openai};

/// What an armed fault does. Deserialized from the arming body, tagged by `fault`.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "fault", rename_all = "snake_case")]
pub enum Fault {
    RateLimit {
        /// Raw `Retry-After` value: seconds or an HTTP date.
        #[serde(default)]
        retry_after: Option<String>,
        #[serde(default)]
        retry_after_ms: Option<u64>,
    },
    Unavailable,
    #[serde(rename = "overloaded_529")]
    Overloaded529,
    TextPlainError,
    #[serde(rename = "html_502")]
    Html502,
    TopLevelMessage,
    CodeNumber,
    #[serde(rename = "empty_body_401")]
    EmptyBody401,
    FirstByteDelay {
        #[serde(default)]
        delay_ms: u64,
    },
    StreamError,
    StreamCut,
    StreamStall {
        #[serde(default = "default_stall_ms")]
        stall_ms: u64,
    },
    Quirk {
        quirks: Vec<Quirk>,
    },
}

fn default_stall_ms() -> u64 {
    60_000
}

/// Ways real OpenAI-compatible servers deviate from OpenAI's stream format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quirk {
    NoSpace,
    Comments,
    EventLines,
    Crlf,
    NoRole,
    RoleWithContent,
    FinishEmpty,
    FinishAbsent,
    FinishUnknown,
    UsageUnasked,
    UsageEmptyDelta,
    ExtraFields,
    ToolStop,
    ToolDropped,
}

/// How a streamed chat completion fails partway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamFailure {
    Error,
    Cut,
    Stall { ms: u64 },
}

impl Fault {
    /// Faults that replace (or delay) a whole response, applied by middleware.
    fn is_response_fault(&self) -> bool {
        !matches!(
            self,
            Fault::StreamError | Fault::StreamCut | Fault::StreamStall { .. } | Fault::Quirk { .. }
        )
    }
}

#[derive(Debug, Deserialize)]
struct ArmOptions {
    #[serde(default = "one")]
    times: u32,
    #[serde(default)]
    path: Option<String>,
}

fn one() -> u32 {
    1
}

#[derive(Debug)]
struct Armed {
    fault: Fault,
    remaining: u32,
    path_prefix: Option<String>,
}

/// Armed faults in arming order; the oldest matching one is consumed first.
#[derive(Debug, Default)]
pub struct FaultBook {
    armed: Mutex<Vec<Armed>>,
}

impl FaultBook {
    fn lock(&self) -> MutexGuard<'_, Vec<Armed>> {
        self.armed
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn arm(&self, fault: Fault, options: ArmOptions) {
        if options.times > 0 {
            self.lock().push(Armed {
                fault,
                remaining: options.times,
                path_prefix: options.path.filter(|p| !p.is_empty()),
            });
        }
    }

    fn clear(&self) {
        self.lock().clear();
    }

    /// Consumes one use of the oldest armed fault that matches `path` and `wanted`.
    fn take(&self, path: &str, wanted: impl Fn(&Fault) -> bool) -> Option<Fault> {
        let mut armed = self.lock();
        let index = armed.iter().position(|a| {
            a.path_prefix
                .as_deref()
                .is_none_or(|prefix| path.starts_with(prefix))
                && wanted(&a.fault)
        })?;
        let entry = &mut armed[index];
        entry.remaining -= 1;
        let fault = entry.fault.clone();
        if entry.remaining == 0 {
            armed.remove(index);
        }
        Some(fault)
    }

    /// Stream-shaping quirks for a streamed chat completion on `path`.
    pub fn take_quirks(&self, path: &str) -> Vec<Quirk> {
        match self.take(path, |f| matches!(f, Fault::Quirk { .. })) {
            Some(Fault::Quirk { quirks }) => quirks,
            _ => Vec::new(),
        }
    }

    /// A mid-stream failure for a streamed chat completion on `path`.
    pub fn take_stream_failure(&self, path: &str) -> Option<StreamFailure> {
        let fault = self.take(path, |f| {
            matches!(
                f,
                Fault::StreamError | Fault::StreamCut | Fault::StreamStall { .. }
            )
        })?;
        match fault {
            Fault::StreamError => Some(StreamFailure::Error),
            Fault::StreamCut => Some(StreamFailure::Cut),
            Fault::StreamStall { stall_ms } => Some(StreamFailure::Stall { ms: stall_ms }),
            _ => None,
        }
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/__sandbox/faults",
            post(arm).delete(clear).fallback(not_found),
        )
        .route("/__sandbox", any(not_found))
        .route("/__sandbox/{*rest}", any(not_found))
}

/// Without `--faults` the whole `/__sandbox` tree does not exist.
async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "Not Found").into_response()
}

fn control_error(status: StatusCode, code: &str, message: &str) -> Response {
    kino::envelope(status, code, message)
}

async fn arm(State(state): State<AppState>, req: Request) -> Response {
    let Some(book) = state.faults() else {
        return not_found().await;
    };
    if !crate::auth::is_authorized(&req, state.api_key()) {
        return control_error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "unauthorized: missing or invalid API key",
        );
    }
    let body = match axum::body::to_bytes(req.into_body(), 1 << 20).await {
        Ok(body) => body,
        Err(e) => return control_error(StatusCode::BAD_REQUEST, "bad_request", &e.to_string()),
    };
    match parse_arm(&body) {
        Ok((fault, options)) => {
            book.arm(fault, options);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(message) => control_error(StatusCode::BAD_REQUEST, "bad_request", &message),
    }
}

fn parse_arm(body: &Bytes) -> Result<(Fault, ArmOptions), String> {
    let value: Value = serde_json::from_slice(body).map_err(|e| format!("invalid JSON: {e}"))?;
    let fault = Fault::deserialize(&value).map_err(|e| format!("invalid fault: {e}"))?;
    let options = ArmOptions::deserialize(&value).map_err(|e| format!("invalid fault: {e}"))?;
    Ok((fault, options))
}

async fn clear(State(state): State<AppState>, req: Request) -> Response {
    let Some(book) = state.faults() else {
        return not_found().await;
    };
    if !crate::auth::is_authorized(&req, state.api_key()) {
        return control_error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "unauthorized: missing or invalid API key",
        );
    }
    book.clear();
    StatusCode::NO_CONTENT.into_response()
}

/// Which API's error shape a fault response takes.
#[derive(Debug, Clone, Copy)]
enum Api {
    Kino,
    OpenAi,
}

pub async fn apply_kino(State(state): State<AppState>, req: Request, next: Next) -> Response {
    apply(Api::Kino, state, req, next).await
}

pub async fn apply_openai(State(state): State<AppState>, req: Request, next: Next) -> Response {
    apply(Api::OpenAi, state, req, next).await
}

async fn apply(api: Api, state: AppState, req: Request, next: Next) -> Response {
    let fault = state
        .faults()
        .and_then(|book| book.take(req.uri().path(), Fault::is_response_fault));
    match fault {
        None => next.run(req).await,
        Some(Fault::FirstByteDelay { delay_ms }) => {
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            next.run(req).await
        }
        Some(fault) => fault_response(api, fault),
    }
}

fn fault_response(api: Api, fault: Fault) -> Response {
    match fault {
        Fault::RateLimit {
            retry_after,
            retry_after_ms,
        } => {
            let mut response = match api {
                Api::Kino => kino::envelope(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate_limited",
                    "rate limited: sandbox fault",
                ),
                Api::OpenAi => openai::Error::rate_limited().into_response(),
            };
            let headers = response.headers_mut();
            if let Some(value) = retry_after.and_then(|v| HeaderValue::from_str(&v).ok()) {
                headers.insert(header::RETRY_AFTER, value);
            }
            if let Some(ms) = retry_after_ms {
                headers.insert("retry-after-ms", HeaderValue::from(ms));
            }
            response
        }
        Fault::Unavailable => match api {
            Api::Kino => kino::envelope(
                StatusCode::SERVICE_UNAVAILABLE,
                "service_unavailable",
                "service unavailable: sandbox fault",
            ),
            Api::OpenAi => openai::Error::unavailable().into_response(),
        },
        Fault::Overloaded529 => {
            let status = StatusCode::from_u16(529).expect("529 is a valid status code");
            let body = json!({"error": {"message": "Overloaded", "type": "overloaded_error",
                "param": null, "code": null}});
            let mut response = (status, axum::Json(body)).into_response();
            // 529 has no canonical reason phrase; hyper would invent "<none>". The server
            // this imitates sends an empty one: `HTTP/1.1 529 `.
            response
                .extensions_mut()
                .insert(hyper::ext::ReasonPhrase::from_static(b""));
            response
        }
        Fault::TextPlainError => (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, "text/plain")],
            "Internal Server Error",
        )
            .into_response(),
        Fault::Html502 => (
            StatusCode::BAD_GATEWAY,
            [(header::CONTENT_TYPE, "text/html")],
            "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
             <center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n\
             </body>\r\n</html>\r\n",
        )
            .into_response(),
        Fault::TopLevelMessage => (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({"message": "bad thing"})),
        )
            .into_response(),
        Fault::CodeNumber => {
            let body = json!({"error": {"message": "Invalid request (sandbox fault).",
                "type": "invalid_request_error", "param": "None", "code": 1234}});
            (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
        }
        Fault::EmptyBody401 => Response::builder()
            .status(StatusCode::UNAUTHORIZED)
            .body(Body::empty())
            .expect("static response parts are valid"),
        // Not response faults; `apply` never takes these.
        Fault::FirstByteDelay { .. }
        | Fault::StreamError
        | Fault::StreamCut
        | Fault::StreamStall { .. }
        | Fault::Quirk { .. } => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_arming_bodies() {
        let (fault, options) = parse_arm(&Bytes::from_static(
            br#"{"fault":"rate_limit","times":2,"path":"/v1","retry_after_ms":250}"#,
        ))
        .unwrap();
        assert!(matches!(
            fault,
            Fault::RateLimit {
                retry_after: None,
                retry_after_ms: Some(250)
            }
        ));
        assert_eq!(options.times, 2);
        let (fault, _) = parse_arm(&Bytes::from_static(
            br#"{"fault":"quirk","quirks":["no_space","crlf"]}"#,
        ))
        .unwrap();
        assert!(
            matches!(fault, Fault::Quirk { quirks } if quirks == [Quirk::NoSpace, Quirk::Crlf])
        );
        assert!(parse_arm(&Bytes::from_static(br#"{"fault":"nope"}"#)).is_err());
        assert!(parse_arm(&Bytes::from_static(br#"{"fault":"overloaded_529"}"#)).is_ok());
    }

    #[test]
    fn take_respects_path_and_count() {
        let book = FaultBook::default();
        book.arm(
            Fault::Unavailable,
            ArmOptions {
                times: 2,
                path: Some("/v1/chat".into()),
            },
        );
        assert!(book.take("/v1/models", Fault::is_response_fault).is_none());
        assert!(book
            .take("/v1/chat/completions", Fault::is_response_fault)
            .is_some());
        assert!(book
            .take("/v1/chat/completions", Fault::is_response_fault)
            .is_some());
        assert!(book
            .take("/v1/chat/completions", Fault::is_response_fault)
            .is_none());
    }
}
