//! The sandbox against Kino's contract: it serves the contract, routes every operation in it (the
//! ones it does not implement answer 501 naming themselves), answers 404 for paths outside it, and
//! refuses to send a response that does not conform.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use kinlink_sandbox::{app, AppState, Config};
use serde_json::Value;
use tower::ServiceExt;

mod support;

const KEY: &str = "test-key-0123";

async fn send(app: &axum::Router, method: &str, uri: &str) -> (StatusCode, Vec<u8>) {
    let body = if method == "GET" || method == "DELETE" {
        Body::empty()
    } else {
        Body::from("{}")
    };
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .header("x-api-key", KEY)
        .header("content-type", "application/json")
        .body(body)
        .unwrap();
    let response = app.clone().oneshot(req).await.unwrap();
    let status = response.status();
    (
        status,
        response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
}

fn sandbox(dir: &tempfile::TempDir) -> axum::Router {
    app(AppState::new(&Config {
        data_dir: dir.path().join("data"),
        api_key: Some(KEY.to_owned()),
        check_contract: true,
        ..Config::default()
    })
    .unwrap())
}

#[tokio::test]
async fn every_operation_of_the_served_contract_is_routed() {
    let dir = tempfile::tempdir().unwrap();
    let app = sandbox(&dir);
    // The contract as the sandbox serves it, publicly, where Kino serves its document.
    let req = Request::get("/api-docs/openapi.json")
        .body(Body::empty())
        .unwrap();
    let response = app.clone().oneshot(req).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let document: Value =
        serde_json::from_slice(&response.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_eq!(document["openapi"], "3.1.0");
    let mut operations = 0;
    let mut implemented = Vec::new();
    for (template, item) in document["paths"].as_object().unwrap() {
        // A concrete path: every parameter filled with a value each parameter type accepts.
        let path = support::concrete_path(template, "1");
        for (method, operation) in item.as_object().unwrap() {
            operations += 1;
            let method = method.to_ascii_uppercase();
            let id = operation["operationId"].as_str().unwrap();
            let (status, body) = send(&app, &method, &path).await;
            // The router's 404 is empty; a handler's (`webhook 1 not found`) is the envelope.
            assert!(
                !(status == StatusCode::NOT_FOUND && body.is_empty()),
                "{method} {template} is not routed"
            );
            assert_ne!(
                status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {template}"
            );
            if status == StatusCode::NOT_IMPLEMENTED {
                let body: Value = serde_json::from_slice(&body).unwrap();
                assert_eq!(body["error"]["code"], "not_implemented");
                let message = body["error"]["message"].as_str().unwrap();
                assert!(
                    message.contains(&format!("{method} {template} ({id})")),
                    "{message}"
                );
            } else {
                assert_ne!(
                    status,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "{method} {template}: {}",
                    String::from_utf8_lossy(&body)
                );
                implemented.push(format!("{method} {template}"));
            }
        }
    }
    assert_eq!(operations, 178);
    implemented.sort();
    assert_eq!(
        implemented,
        [
            "DELETE /api/v1/indexers/{id}",
            "DELETE /api/v1/webhooks/{id}",
            "GET /api/v1/config",
            "GET /api/v1/history",
            "GET /api/v1/indexers",
            "GET /api/v1/indexers/{id}",
            "GET /api/v1/status",
            "GET /api/v1/webhooks",
            "POST /api/v1/indexers",
            "POST /api/v1/webhooks",
            "PUT /api/v1/config",
            "PUT /api/v1/indexers/{id}",
            "PUT /api/v1/webhooks/{id}",
        ]
    );
}

#[tokio::test]
async fn paths_and_methods_outside_the_contract_are_kinos_empty_404_and_405() {
    let dir = tempfile::tempdir().unwrap();
    let app = sandbox(&dir);
    for path in [
        "/api/v1",
        "/api/v1/",
        "/api/v1/nothing",
        "/api/v1/movies/1/nothing",
        "/api/v1/status/extra",
    ] {
        let (status, body) = send(&app, "GET", path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(body.is_empty(), "{path}");
    }
    let (status, body) = send(&app, "PATCH", "/api/v1/status").await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(body.is_empty());
}

/// A response that breaks the contract becomes a 500 naming the operation, so the test that
/// provoked it fails instead of passing against a wrong peer.
#[tokio::test]
async fn a_response_that_breaks_the_contract_is_refused() {
    use axum::routing::get;
    let bad_status = axum::Router::new()
        .route(
            "/api/v1/status",
            get(|| async { axum::Json(serde_json::json!({"version": 3})) }),
        )
        .layer(axum::middleware::from_fn(
            kinlink_sandbox::kino_conformance_layer,
        ));
    let response = bad_status
        .oneshot(Request::get("/api/v1/status").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body: Value =
        serde_json::from_slice(&response.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_eq!(body["error"]["code"], "contract_violation");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("GET /api/v1/status (get_status)"),
        "{message}"
    );
    assert!(
        message.contains("\"status\" is a required property"),
        "{message}"
    );

    // The same layer lets a conforming body through unchanged.
    let good = axum::Router::new()
        .route("/api/v1/health", get(|| async { StatusCode::IM_A_TEAPOT }))
        .layer(axum::middleware::from_fn(
            kinlink_sandbox::kino_conformance_layer,
        ));
    let response = good
        .oneshot(Request::get("/api/v1/health").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::IM_A_TEAPOT);
}
