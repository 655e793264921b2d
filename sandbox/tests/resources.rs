//! Plain CRUD resources through the one generic store: webhooks as Kino serves them.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use kinlink_sandbox::{app, AppState, Config};
use serde_json::{json, Value};
use tower::ServiceExt;

const KEY: &str = "test-key-0123";

fn sandbox(dir: &tempfile::TempDir) -> axum::Router {
    app(AppState::new(&Config {
        data_dir: dir.path().join("data"),
        api_key: Some(KEY.to_owned()),
        check_contract: true,
        ..Config::default()
    })
    .unwrap())
}

async fn call(
    app: &axum::Router,
    method: &str,
    uri: &str,
    body: Option<Value>,
) -> (StatusCode, String) {
    let mut builder = Request::builder()
        .method(method)
        .uri(uri)
        .header("x-api-key", KEY);
    let body = match body {
        Some(body) => {
            builder = builder.header("content-type", "application/json");
            Body::from(body.to_string())
        }
        None => Body::empty(),
    };
    let response = app
        .clone()
        .oneshot(builder.body(body).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[tokio::test]
async fn webhooks_are_created_listed_updated_and_deleted_as_kino_does() {
    let dir = tempfile::tempdir().unwrap();
    let app = sandbox(&dir);
    let (status, body) = call(
        &app,
        "POST",
        "/api/v1/webhooks",
        Some(json!({"name": "ntfy", "url": "https://ntfy.example/kino"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let created = json(&body);
    assert_eq!(created["id"], 1);
    // Kino's defaults (wire facts §19).
    assert_eq!(created["method"], "POST");
    assert_eq!(created["enabled"], true);
    assert_eq!(created["escalation_level"], 0);
    assert_eq!(created["on_grab"], true);
    assert_eq!(created["on_watched"], false);
    assert_eq!(created["headers"], Value::Null);

    let (_, body) = call(
        &app,
        "POST",
        "/api/v1/webhooks",
        Some(json!({"name": "two", "url": "http://b", "on_watched": true, "method": "PUT"})),
    )
    .await;
    let second = json(&body);
    assert_eq!(
        (
            second["id"].clone(),
            second["on_watched"].clone(),
            second["method"].clone()
        ),
        (json!(2), json!(true), json!("PUT"))
    );

    let (status, body) = call(
        &app,
        "PUT",
        "/api/v1/webhooks/1",
        Some(json!({"enabled": false, "name": null, "url": "https://ntfy.example/other"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let updated = json(&body);
    assert_eq!(updated["enabled"], false);
    assert_eq!(updated["name"], "ntfy", "null keeps the stored value");
    assert_eq!(updated["url"], "https://ntfy.example/other");

    let (status, body) = call(&app, "GET", "/api/v1/webhooks", None).await;
    assert_eq!(status, StatusCode::OK);
    let list = json(&body);
    assert_eq!(
        list.as_array().unwrap().len(),
        2,
        "a plain array (wire facts §12)"
    );
    assert_eq!(list[0], updated);

    let (status, body) = call(&app, "DELETE", "/api/v1/webhooks/2", None).await;
    assert_eq!((status, body.as_str()), (StatusCode::NO_CONTENT, ""));
    for (method, body) in [("DELETE", None), ("PUT", Some(json!({})))] {
        let (status, body) = call(&app, method, "/api/v1/webhooks/2", body).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(
            json(&body),
            json!({"error": {"code": "not_found", "message": "webhook 2 not found"}})
        );
    }

    // Each change has its event in history, newest first.
    let (_, body) = call(
        &app,
        "GET",
        "/api/v1/history?event_type=webhook_changed",
        None,
    )
    .await;
    let events: Vec<Value> = json(&body)["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| json(row["data"].as_str().unwrap()))
        .collect();
    assert_eq!(
        events,
        [
            json!({"event": "webhook_changed", "action": "deleted", "webhook_id": 2}),
            json!({"event": "webhook_changed", "action": "updated", "webhook_id": 1}),
            json!({"event": "webhook_changed", "action": "created", "webhook_id": 2}),
            json!({"event": "webhook_changed", "action": "created", "webhook_id": 1}),
        ]
    );

    // Persisted: a new server on the same data directory has them.
    let again = sandbox(&dir);
    let (_, body) = call(&again, "GET", "/api/v1/webhooks", None).await;
    assert_eq!(json(&body), json!([updated]));

    // The deleted newest id is not given out again, not even after a restart.
    let (status, body) = call(
        &again,
        "POST",
        "/api/v1/webhooks",
        Some(json!({"name": "three", "url": "http://c"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(json(&body)["id"], 3);
}

#[tokio::test]
async fn webhook_bodies_of_the_wrong_shape_are_kinos_plain_text_rejections() {
    let dir = tempfile::tempdir().unwrap();
    let app = sandbox(&dir);
    for (body, status) in [
        (json!({"name": "x"}), StatusCode::UNPROCESSABLE_ENTITY),
        (
            json!({"name": 3, "url": "http://a"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (json!([]), StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let (got, text) = call(&app, "POST", "/api/v1/webhooks", Some(body.clone())).await;
        assert_eq!(got, status, "{body}: {text}");
        assert!(
            text.starts_with("Failed to deserialize the JSON body"),
            "{text}"
        );
    }
    let missing_type = Request::post("/api/v1/webhooks")
        .header("x-api-key", KEY)
        .body(Body::from(r#"{"name":"a","url":"b"}"#))
        .unwrap();
    let response = app.clone().oneshot(missing_type).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (status, _) = call(&app, "PUT", "/api/v1/webhooks/x", Some(json!({}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "an unparsable path id");
    let (_, body) = call(&app, "GET", "/api/v1/webhooks", None).await;
    assert_eq!(json(&body), json!([]), "nothing was stored");
}

#[tokio::test]
async fn indexers_and_paths_move_the_status_through_every_state() {
    let dir = tempfile::tempdir().unwrap();
    let app = sandbox(&dir);
    let state = |app: axum::Router| async move {
        let (_, body) = call(&app, "GET", "/api/v1/status", None).await;
        json(&body)["status"].as_str().unwrap().to_owned()
    };
    assert_eq!(state(app.clone()).await, "setup_required");

    let media = dir.path().join("media");
    std::fs::create_dir_all(&media).unwrap();
    let media = media.to_string_lossy().into_owned();
    let config =
        json!({"tmdb_api_key": "tmdb", "download_path": media, "media_library_path": media});
    assert_eq!(
        call(&app, "PUT", "/api/v1/config", Some(config)).await.0,
        StatusCode::OK
    );
    assert_eq!(state(app.clone()).await, "setup_required", "no indexer yet");

    let (status, body) = call(
        &app,
        "POST",
        "/api/v1/indexers",
        Some(json!({"name": "Local", "url": "http://127.0.0.1:9117/torznab"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let indexer = json(&body);
    assert_eq!(
        (
            &indexer["enabled"],
            &indexer["indexer_type"],
            &indexer["priority"]
        ),
        (&json!(true), &json!("torznab"), &json!(25))
    );
    assert_eq!(state(app.clone()).await, "ok");

    let gone = dir.path().join("gone").to_string_lossy().into_owned();
    let config = json!({"media_library_path": gone});
    assert_eq!(
        call(&app, "PUT", "/api/v1/config", Some(config)).await.0,
        StatusCode::OK
    );
    assert_eq!(state(app.clone()).await, "degraded");

    let id = indexer["id"].as_i64().unwrap();
    let disable = json!({"enabled": false});
    let path = format!("/api/v1/indexers/{id}");
    assert_eq!(
        call(&app, "PUT", &path, Some(disable)).await.0,
        StatusCode::OK
    );
    assert_eq!(
        state(app.clone()).await,
        "setup_required",
        "only a disabled indexer"
    );

    let (_, history) = call(
        &app,
        "GET",
        "/api/v1/history?event_type=indexer_changed",
        None,
    )
    .await;
    let actions: Vec<Value> = json(&history)["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| json(row["data"].as_str().unwrap())["action"].clone())
        .collect();
    assert_eq!(actions, [json!("updated"), json!("created")]);
}
