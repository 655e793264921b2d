//! The sandbox against KinBot's contract: every operation is routed (none is implemented yet, so
//! each answers 501 in KinBot's envelope naming itself), and the refusals around them are KinBot's:
//! 401 without a session, Hono's plain-text 404 for unknown paths and missing methods.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use kinlink_sandbox::{app, AppState, Config};
use serde_json::{json, Value};
use tower::ServiceExt;

mod support;

const KEY: &str = "test-key-0123";

async fn send(
    app: &axum::Router,
    method: &str,
    uri: &str,
    key: bool,
) -> (StatusCode, String, Vec<u8>) {
    let mut req = Request::builder().method(method).uri(uri);
    if key {
        req = req.header("x-api-key", KEY);
    }
    let response = app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, content_type, body)
}

fn sandbox(dir: &tempfile::TempDir) -> axum::Router {
    app(AppState::new(&Config {
        data_dir: dir.path().join("data"),
        api_key: Some(KEY.to_owned()),
        ..Config::default()
    })
    .unwrap())
}

#[tokio::test]
async fn every_operation_of_the_contract_is_routed_to_itself() {
    let dir = tempfile::tempdir().unwrap();
    let app = sandbox(&dir);
    let (status, _, body) = send(&app, "GET", "/api-docs/kinbot/openapi.json", false).await;
    assert_eq!(status, StatusCode::OK);
    let document: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(document["info"]["title"], "KinBot");
    let mut operations = 0;
    for (template, item) in document["paths"].as_object().unwrap() {
        let path = support::concrete_path(template, "x1");
        for (method, operation) in item.as_object().unwrap() {
            operations += 1;
            let id = operation["operationId"].as_str().unwrap();
            let method = method.to_ascii_uppercase();
            let (status, _, body) = send(&app, &method, &path, true).await;
            assert_eq!(
                status,
                StatusCode::NOT_IMPLEMENTED,
                "{method} {path} ({id})"
            );
            let body: Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(body["error"]["code"], "NOT_IMPLEMENTED");
            let message = body["error"]["message"].as_str().unwrap();
            assert_eq!(
                message,
                format!("{method} {template} ({id}) is not implemented by the sandbox"),
                "the request reached its own operation, not another template's"
            );
        }
    }
    assert!(operations > 300, "{operations}");
}

#[tokio::test]
async fn refusals_are_kinbots() {
    let dir = tempfile::tempdir().unwrap();
    let app = sandbox(&dir);
    let unauthorized =
        json!({"error": {"code": "UNAUTHORIZED", "message": "Authentication required"}});
    // No session: 401 in the envelope, for a route and for an unknown path alike.
    for path in ["/api/kins", "/api/no-such-thing"] {
        let (status, content_type, body) = send(&app, "GET", path, false).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
        assert!(
            content_type.starts_with("application/json"),
            "{content_type}"
        );
        assert_eq!(
            serde_json::from_slice::<Value>(&body).unwrap(),
            unauthorized
        );
    }
    // With one: an unknown path, a trailing slash and a missing method are Hono's plain 404.
    for (method, path) in [
        ("GET", "/api/no-such-thing"),
        ("GET", "/api/kins/"),
        ("PUT", "/api/kins"),
    ] {
        let (status, content_type, body) = send(&app, method, path, true).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}");
        assert_eq!(content_type, "text/plain; charset=UTF-8");
        assert_eq!(body, b"404 Not Found");
    }
    // Kino keeps /api/v1: its unknown paths are still its empty 404.
    let (status, _, body) = send(&app, "GET", "/api/v1/no-such-thing", true).await;
    assert_eq!((status, body.len()), (StatusCode::NOT_FOUND, 0));
}
