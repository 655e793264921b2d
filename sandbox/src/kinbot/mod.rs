//! KinBot API (`/api/...` outside Kino's `/api/v1`, and share links under `/s`): every route of the
//! project's KinBot contract is routed, and answers as the real server does where the sandbox has no
//! behaviour yet (wire facts §1–§2):
//! - without credentials, a route that needs a session is `401` in KinBot's envelope
//!   `{"error":{"code":"UNAUTHORIZED","message":"Authentication required"}}`;
//! - an operation of the contract the sandbox does not serve answers `501` in that envelope, code
//!   `NOT_IMPLEMENTED`, naming the operation;
//! - an unknown path, or a method a path does not have, is Hono's plain-text `404 Not Found` (KinBot
//!   has no 405), after the same session check.
//!
//! KinBot knows only its Better Auth session cookie: sign in with email and password
//! ([`session`]). The sandbox's API key (in any of the forms `crate::auth` accepts) also stands in
//! for a session, so tools without a cookie jar can reach the 501s; the real server answers 401.

pub mod contract;
pub mod session;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post, MethodRouter};
use axum::{Json, Router};
use serde_json::json;

use crate::state::AppState;
use contract::{operation_at, routes, Operation, OPERATIONS};

/// The sandbox's KinBot: the operations it serves, by tag (the traits are generated from the
/// contract). None yet: every operation is routed and answers 501 naming itself.
struct KinBotSandbox;

// Tags of which the sandbox serves nothing yet: every operation answers 501.
not_served!(
    KinBotSandbox:
    AccountsOperations,
    AppOperations,
    ChannelsOperations,
    ContactsOperations,
    CronsOperations,
    CustomToolsOperations,
    EventsOperations,
    FilesOperations,
    InvitationsOperations,
    KinsOperations,
    LogsOperations,
    McpServersOperations,
    MemoriesOperations,
    MessagesOperations,
    MiniAppsOperations,
    NotificationsOperations,
    PendingEmailSendsOperations,
    PluginsOperations,
    ProjectsOperations,
    PromptsOperations,
    ProvidersOperations,
    QuickSessionsOperations,
    SettingsOperations,
    TasksOperations,
    TicketsOperations,
    ToolDomainsOperations,
    ToolboxesOperations,
    ToolsOperations,
    UsageOperations,
    UsersOperations,
    VaultOperations,
    VersionOperations,
    WebhooksOperations,
);

/// Email sign-in, the session and sign-out (§1.2); the other Better Auth routes answer 501.
impl routes::AuthOperations<AppState> for KinBotSandbox {
    fn sign_in_email(&self, _op: &'static Operation) -> Option<MethodRouter<AppState>> {
        Some(post(session::sign_in))
    }

    fn get_session(&self, _op: &'static Operation) -> Option<MethodRouter<AppState>> {
        Some(get(session::get_session))
    }

    fn sign_out(&self, _op: &'static Operation) -> Option<MethodRouter<AppState>> {
        Some(post(session::sign_out))
    }
}

impl routes::Operations<AppState> for KinBotSandbox {}

/// Where the sandbox serves KinBot's contract (KinBot publishes none of its own).
pub const OPENAPI_PATH: &str = "/api-docs/kinbot/openapi.json";

pub fn router(state: AppState) -> Router<AppState> {
    let by_path = crate::contract_routes::by_path(
        OPERATIONS,
        |op| (op.method, op.path),
        |op| routes::route(&KinBotSandbox, op),
        not_implemented,
    );
    let mut api = Router::new();
    for (path, handler) in by_path {
        // Hono answers a method a path does not have as an unknown path: 404, not 405.
        api = api.route(path, handler.fallback(unknown_path));
    }
    api.route("/api/{*rest}", any(unknown_path))
        .route("/api", any(unknown_path))
        .route("/api/", any(unknown_path))
        .layer(middleware::from_fn_with_state(state, require_session))
        .route(OPENAPI_PATH, get(openapi_document))
}

/// KinBot's envelope `{"error":{"code","message"}}` (codes UPPER_SNAKE, §2.1).
pub fn envelope(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!({"error": {"code": code, "message": message}})),
    )
        .into_response()
}

fn not_implemented(op: &Operation) -> Response {
    envelope(
        StatusCode::NOT_IMPLEMENTED,
        "NOT_IMPLEMENTED",
        &format!(
            "{} {} ({}) is not implemented by the sandbox",
            op.method, op.path, op.id
        ),
    )
}

/// Hono's answer to a path it has no route for (§2.1, shape 3).
async fn unknown_path() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(CONTENT_TYPE, "text/plain; charset=UTF-8")],
        "404 Not Found",
    )
        .into_response()
}

async fn openapi_document() -> Response {
    ([(CONTENT_TYPE, "application/json")], contract::OPENAPI_JSON).into_response()
}

/// KinBot's auth middleware runs before its router: without a session every route but the public
/// ones is 401, unknown paths included (§2.1).
async fn require_session(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let public = req
        .extensions()
        .get::<MatchedPath>()
        .and_then(|route| operation_at(req.method().as_str(), route.as_str()))
        .is_some_and(|op| op.public);
    let mut allowed = public || crate::auth::is_authorized(&req, state.api_key());
    if !allowed {
        // A copy: the request (its body is not `Sync`) cannot be borrowed across an await.
        let headers = req.headers().clone();
        allowed = session::current(&state, &headers).await.is_some();
    }
    if allowed {
        next.run(req).await
    } else {
        envelope(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "Authentication required",
        )
    }
}
