//! The sandbox against KinBot's contract: every operation is routed (all but sign-in are unimplemented,
//! so each answers 501 in KinBot's envelope naming itself), and the refusals around them are KinBot's:
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

/// The operations the sandbox implements (the sign-in below tests what they do).
const SERVED: &[&str] = &["sign_in_email", "get_session", "sign_out"];

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
            if SERVED.contains(&id) {
                assert!(
                    status != StatusCode::NOT_IMPLEMENTED && status != StatusCode::NOT_FOUND,
                    "{method} {path} ({id}) is served: {status}"
                );
                continue;
            }
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

/// A request with a JSON body and extra headers; returns status, headers and body.
async fn call(
    app: &axum::Router,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> (StatusCode, axum::http::HeaderMap, Value) {
    let mut req = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let body = match body {
        Some(json) => {
            req = req.header("content-type", "application/json");
            Body::from(json.to_string())
        }
        None => Body::empty(),
    };
    let response = app.clone().oneshot(req.body(body).unwrap()).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        headers,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn sign_in_gives_a_signed_cookie_that_opens_the_api_until_sign_out() {
    let dir = tempfile::tempdir().unwrap();
    let app = sandbox(&dir);
    let credentials = json!({"email": kinlink_sandbox::KINBOT_EMAIL, "password": KEY});

    let (status, _, body) = call(
        &app,
        "POST",
        "/api/auth/sign-in/email",
        &[],
        Some(json!({"email": kinlink_sandbox::KINBOT_EMAIL, "password": "nope"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        body,
        json!({"message": "Invalid email or password", "code": "INVALID_EMAIL_OR_PASSWORD"})
    );

    // A browser (it sends Sec-Fetch-*) from an untrusted origin is refused.
    let (status, _, body) = call(
        &app,
        "POST",
        "/api/auth/sign-in/email",
        &[
            ("sec-fetch-site", "cross-site"),
            ("origin", "http://evil.example"),
        ],
        Some(credentials.clone()),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("INVALID_ORIGIN"))
    );

    let (status, headers, body) = call(
        &app,
        "POST",
        "/api/auth/sign-in/email",
        &[],
        Some(credentials),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["redirect"], json!(false));
    let token = body["token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 32);
    let set_cookie = headers["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        set_cookie.starts_with(&format!("better-auth.session_token={token}.")),
        "{set_cookie}"
    );
    assert!(
        set_cookie.contains("Max-Age=604800; Path=/; HttpOnly; SameSite=Lax"),
        "{set_cookie}"
    );
    let cookie = set_cookie.split(';').next().unwrap().to_owned();

    // The bare token is not a session (its signature is missing), nor is a forged signature.
    let bare = format!("better-auth.session_token={token}");
    assert_eq!(
        call(&app, "GET", "/api/kins", &[("cookie", &bare)], None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    let forged = format!("better-auth.session_token={token}.AAAA");
    assert_eq!(
        call(&app, "GET", "/api/kins", &[("cookie", &forged)], None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );

    let (status, _, session) = call(
        &app,
        "GET",
        "/api/auth/get-session",
        &[("cookie", &cookie)],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(session["session"]["token"], json!(token));
    assert_eq!(
        session["user"]["email"],
        json!(kinlink_sandbox::KINBOT_EMAIL)
    );
    assert!(session["session"]["expiresAt"]
        .as_str()
        .unwrap()
        .ends_with('Z'));
    assert_eq!(
        call(&app, "GET", "/api/kins", &[("cookie", &cookie)], None)
            .await
            .0,
        StatusCode::NOT_IMPLEMENTED
    );

    // Sign-out with a cookie needs a trusted Origin; then the session is gone.
    let (status, _, body) = call(
        &app,
        "POST",
        "/api/auth/sign-out",
        &[("cookie", &cookie)],
        None,
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("MISSING_OR_NULL_ORIGIN"))
    );
    let (status, headers, body) = call(
        &app,
        "POST",
        "/api/auth/sign-out",
        &[
            ("cookie", &cookie),
            ("origin", "http://localhost"),
            ("host", "localhost"),
        ],
        None,
    )
    .await;
    assert_eq!((status, body), (StatusCode::OK, json!({"success": true})));
    assert_eq!(headers.get_all("set-cookie").iter().count(), 3);
    assert_eq!(
        call(
            &app,
            "GET",
            "/api/auth/get-session",
            &[("cookie", &cookie)],
            None
        )
        .await
        .2,
        Value::Null
    );
    assert_eq!(
        call(&app, "GET", "/api/kins", &[("cookie", &cookie)], None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
}
