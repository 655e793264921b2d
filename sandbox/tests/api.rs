//! End-to-end tests of the sandbox's HTTP surface, driven in-process with `oneshot`
//! (and over a real socket where streaming and shutdown matter).

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use kinlink_sandbox::{app, AppState, Config};
use serde_json::{json, Value};

mod support;
use support::send;

const KEY: &str = "test-key-0123";

fn config(dir: &tempfile::TempDir) -> Config {
    Config {
        data_dir: dir.path().join("data"),
        api_key: Some(KEY.to_owned()),
        token_delay_ms: 0,
        ..Config::default()
    }
}

fn router(config: &Config) -> Router {
    app(AppState::new(config).expect("state"))
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri)
        .header("authorization", format!("Bearer {KEY}"))
        .body(Body::empty())
        .unwrap()
}

fn post_json(uri: &str, body: Value) -> Request<Body> {
    Request::post(uri)
        .header("authorization", format!("Bearer {KEY}"))
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn chat(content: &str) -> Value {
    json!({"model": "sandbox-echo", "messages": [{"role": "user", "content": content}]})
}

#[tokio::test]
async fn status_is_public_and_reports_setup() {
    let dir = tempfile::tempdir().unwrap();
    let app = router(&config(&dir));
    let reply = send(
        &app,
        Request::get("/api/v1/status").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    let body = reply.json();
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(body["status"], "setup_required");
    assert_eq!(body["first_time_setup"], true);
    assert_eq!(body["setup_required"], true);
    assert_eq!(body["install_kind"], "sandbox");
    assert!(
        body.get("uptime_seconds").is_none(),
        "Kino sends no uptime (facts §8)"
    );
    let warnings = body["warnings"].as_array().unwrap();
    assert!(warnings.iter().any(|w| w["route"] == "/settings/metadata"));
}

#[tokio::test]
async fn config_requires_the_key_in_any_of_three_forms() {
    let dir = tempfile::tempdir().unwrap();
    let app = router(&config(&dir));

    let none = send(
        &app,
        Request::get("/api/v1/config").body(Body::empty()).unwrap(),
    )
    .await;
    // Kino's middleware answers with the bare status (wire facts §2).
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert!(none.body.is_empty(), "{}", none.text());
    let wrong = send(
        &app,
        Request::get("/api/v1/config")
            .header("x-api-key", "nope")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.is_empty(), "{}", wrong.text());

    for req in [
        get("/api/v1/config"),
        Request::get("/api/v1/config")
            .header("x-api-key", KEY)
            .body(Body::empty())
            .unwrap(),
        Request::get(format!(
            "/api/v1/config?api_key={}",
            KEY.replace('-', "%2D")
        ))
        .body(Body::empty())
        .unwrap(),
    ] {
        let reply = send(&app, req).await;
        assert_eq!(reply.status, StatusCode::OK);
        let body = reply.json();
        assert_eq!(body["id"], 1);
        assert_eq!(body["api_key"], "***");
        assert_eq!(body["tmdb_api_key"], "");
        assert_eq!(body["listen_port"], 80);
        assert_eq!(body["opensubtitles_api_key"], Value::Null);
        assert!(reply.text().contains("\"seed_ratio_limit\":1.0"));
        assert!(body["data_path"].as_str().unwrap().ends_with("data"));
        assert!(body["backup_location_path"]
            .as_str()
            .unwrap()
            .ends_with("data/backups"));
        assert!(reply.header("x-trace-id").is_some());
    }
}

#[tokio::test]
async fn config_put_is_partial_masked_and_persistent() {
    let dir = tempfile::tempdir().unwrap();
    let config = config(&dir);
    {
        let app = router(&config);
        let put = Request::put("/api/v1/config")
            .header("x-api-key", KEY)
            .header("content-type", "application/json")
            .body(Body::from(
                json!({"tmdb_api_key": "secret-tmdb", "download_path": "/dl", "auto_search_interval": 30,
                       "api_key": "ignored", "data_path": "/ignored", "vpn_dns": null})
                .to_string(),
            ))
            .unwrap();
        let reply = send(&app, put).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        let body = reply.json();
        assert_eq!(body["tmdb_api_key"], "***");
        assert_eq!(body["download_path"], "/dl");
        assert_eq!(body["auto_search_interval"], 30);
        assert_eq!(body["listen_port"], 80);
        assert_ne!(body["data_path"], "/ignored");

        // "***" sent back for a secret keeps it.
        let put = Request::put("/api/v1/config")
            .header("x-api-key", KEY)
            .header("content-type", "application/json")
            .body(Body::from(
                json!({"tmdb_api_key": "***", "media_library_path": "/media"}).to_string(),
            ))
            .unwrap();
        assert_eq!(send(&app, put).await.status, StatusCode::OK);

        let bad = Request::put("/api/v1/config")
            .header("x-api-key", KEY)
            .header("content-type", "application/json")
            .body(Body::from("{\"listen_port\":"))
            .unwrap();
        let bad = send(&app, bad).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad
            .header("content-type")
            .unwrap()
            .starts_with("text/plain"));
        let shape = Request::put("/api/v1/config")
            .header("x-api-key", KEY)
            .header("content-type", "application/json")
            .body(Body::from("{\"listen_port\":\"eighty\"}"))
            .unwrap();
        let shape = send(&app, shape).await;
        assert_eq!(shape.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(shape
            .header("content-type")
            .unwrap()
            .starts_with("text/plain"));
    }

    // Same data dir, no --api-key: the stored key and settings come back.
    let restarted = Config {
        api_key: None,
        ..config.clone()
    };
    let state = AppState::new(&restarted).unwrap();
    assert_eq!(state.api_key(), KEY);
    let app = app(state);
    let body = send(&app, get("/api/v1/config")).await.json();
    assert_eq!(body["tmdb_api_key"], "***");
    assert_eq!(body["download_path"], "/dl");
    assert_eq!(body["media_library_path"], "/media");
    assert_eq!(body["auto_search_interval"], 30);
    let status = send(&app, get("/api/v1/status")).await.json();
    assert_eq!(status["first_time_setup"], false);

    // A new --api-key replaces the stored one.
    let rekeyed = Config {
        api_key: Some("other-key".into()),
        ..config
    };
    let app = router(&rekeyed);
    assert_eq!(
        send(&app, get("/api/v1/config")).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn generated_key_is_a_uuid_and_survives_restart() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        api_key: None,
        ..config(&dir)
    };
    let first = AppState::new(&config).unwrap().api_key().to_owned();
    assert_eq!(first.len(), 36);
    assert_eq!(first.matches('-').count(), 4);
    assert_eq!(AppState::new(&config).unwrap().api_key(), first);
}

#[tokio::test]
async fn unimplemented_kino_operations_are_501_after_auth() {
    let dir = tempfile::tempdir().unwrap();
    let app = router(&config(&dir));
    let reply = send(&app, get("/api/v1/movies?limit=5")).await;
    assert_eq!(reply.status, StatusCode::NOT_IMPLEMENTED);
    assert_eq!(
        reply.json(),
        json!({"error": {"code": "not_implemented",
            "message": "GET /api/v1/movies (list_movies) is not implemented by the sandbox"}})
    );
    let unauth = send(
        &app,
        Request::get("/api/v1/movies").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(unauth.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn lists_models() {
    let dir = tempfile::tempdir().unwrap();
    let app = router(&config(&dir));
    let body = send(&app, get("/v1/models")).await.json();
    assert_eq!(body["object"], "list");
    let ids: Vec<&str> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"sandbox-echo")
            && ids.contains(&"sandbox-tools")
            && ids.contains(&"sandbox-long")
    );
    assert_eq!(body["data"][0]["object"], "model");
    assert_eq!(body["data"][0]["owned_by"], "kinlink-sandbox");
}

#[tokio::test]
async fn chat_completion_echoes_with_usage() {
    let dir = tempfile::tempdir().unwrap();
    let app = router(&config(&dir));
    let reply = send(
        &app,
        post_json("/v1/chat/completions", chat("hello sandbox world")),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.json();
    assert_eq!(body["object"], "chat.completion");
    assert!(body["id"].as_str().unwrap().starts_with("chatcmpl-"));
    assert_eq!(body["model"], "sandbox-echo");
    assert_eq!(body["choices"][0]["message"]["role"], "assistant");
    assert_eq!(
        body["choices"][0]["message"]["content"],
        "Echo: hello sandbox world"
    );
    assert_eq!(body["choices"][0]["finish_reason"], "stop");
    assert_eq!(
        body["usage"],
        json!({"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7})
    );

    let limited = json!({"model": "sandbox-long", "max_tokens": 3,
        "messages": [{"role": "user", "content": "one two three four"}]});
    let body = send(&app, post_json("/v1/chat/completions", limited))
        .await
        .json();
    assert_eq!(body["choices"][0]["message"]["content"], "Echo: one two ");
    assert_eq!(body["choices"][0]["finish_reason"], "length");
    assert_eq!(body["usage"]["completion_tokens"], 3);
}

#[tokio::test]
async fn chat_tool_call() {
    let dir = tempfile::tempdir().unwrap();
    let app = router(&config(&dir));
    let request = json!({"model": "sandbox-tools",
        "messages": [{"role": "user", "content": "use the weather tool"}],
        "tools": [{"type": "function", "function": {"name": "weather", "parameters": {}}}]});
    let body = send(&app, post_json("/v1/chat/completions", request))
        .await
        .json();
    let choice = &body["choices"][0];
    assert_eq!(choice["finish_reason"], "tool_calls");
    let call = &choice["message"]["tool_calls"][0];
    assert!(call["id"].as_str().unwrap().starts_with("call_"));
    assert_eq!(call["type"], "function");
    assert_eq!(call["function"]["name"], "weather");
    assert_eq!(
        call["function"]["arguments"],
        r#"{"query":"use the weather tool"}"#
    );
}

#[tokio::test]
async fn stream_frames_end_with_done() {
    let dir = tempfile::tempdir().unwrap();
    let app = router(&config(&dir));
    let mut request = chat("hi there");
    request["stream"] = json!(true);
    request["stream_options"] = json!({"include_usage": true});
    let reply = send(&app, post_json("/v1/chat/completions", request)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), Some("text/event-stream"));
    assert_eq!(reply.header("cache-control"), Some("no-cache"));
    let text = reply.text();
    assert!(text.ends_with("data: [DONE]\n\n"), "{text}");
    let frames: Vec<Value> = text
        .split("\n\n")
        .filter_map(|f| f.strip_prefix("data: "))
        .filter(|f| *f != "[DONE]")
        .map(|f| serde_json::from_str(f).unwrap())
        .collect();
    assert_eq!(
        frames[0]["choices"][0]["delta"],
        json!({"role": "assistant", "content": ""})
    );
    let content: String = frames
        .iter()
        .filter_map(|f| f["choices"][0]["delta"]["content"].as_str())
        .collect();
    assert_eq!(content, "Echo: hi there");
    let finish = &frames[frames.len() - 2];
    assert_eq!(finish["choices"][0]["finish_reason"], "stop");
    let usage = frames.last().unwrap();
    assert_eq!(usage["choices"], json!([]));
    assert_eq!(usage["usage"]["total_tokens"], 5);
}

#[tokio::test]
async fn bad_chat_body_names_the_param() {
    let dir = tempfile::tempdir().unwrap();
    let app = router(&config(&dir));
    let reply = send(
        &app,
        post_json(
            "/v1/chat/completions",
            json!({"model": "sandbox-echo", "messages": [{"role": "user"}]}),
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let error = &reply.json()["error"];
    assert_eq!(error["type"], "invalid_request_error");
    assert_eq!(error["param"], "messages[0].content");

    let unknown = send(
        &app,
        post_json(
            "/v1/chat/completions",
            json!({"model": "gpt-x",
        "messages": [{"role": "user", "content": "x"}]}),
        ),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.json()["error"]["code"], "model_not_found");

    let not_json = Request::post("/v1/chat/completions")
        .header("authorization", format!("Bearer {KEY}"))
        .body(Body::from("{oops"))
        .unwrap();
    let not_json = send(&app, not_json).await;
    assert_eq!(not_json.status, StatusCode::BAD_REQUEST);
    assert_eq!(not_json.json()["error"]["type"], "invalid_request_error");
}

#[tokio::test]
async fn openai_wrong_key_is_401_with_www_authenticate() {
    let dir = tempfile::tempdir().unwrap();
    let app = router(&config(&dir));
    let req = Request::get("/v1/models")
        .header("authorization", "Bearer wrong")
        .body(Body::empty())
        .unwrap();
    let reply = send(&app, req).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.header("www-authenticate"), Some("Bearer"));
    assert_eq!(
        reply.json(),
        json!({"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error",
            "param": null, "code": "invalid_api_key"}})
    );
}

#[tokio::test]
async fn other_v1_routes_are_501() {
    let dir = tempfile::tempdir().unwrap();
    let app = router(&config(&dir));
    let reply = send(&app, post_json("/v1/embeddings", json!({}))).await;
    assert_eq!(reply.status, StatusCode::NOT_IMPLEMENTED);
    assert_eq!(reply.json()["error"]["code"], "not_implemented");
    assert_eq!(reply.json()["error"]["type"], "not_implemented");
}

#[tokio::test]
async fn agents_run() {
    let dir = tempfile::tempdir().unwrap();
    let app = router(&config(&dir));
    let body = send(
        &app,
        post_json("/v1/agents/echo/run", json!({"input": "ping pong"})),
    )
    .await
    .json();
    assert_eq!(body["object"], "agent.run");
    assert_eq!(body["agent_id"], "echo");
    assert_eq!(body["status"], "completed");
    assert_eq!(body["output"], "ping pong");
    assert!(body["id"].as_str().unwrap().starts_with("run_"));
    let missing = send(&app, post_json("/v1/agents/echo/run", json!({}))).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert_eq!(missing.json()["error"]["param"], "input");
    let unknown = send(
        &app,
        post_json("/v1/agents/nope/run", json!({"input": "x"})),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.json()["error"]["code"], "not_found");
}

#[tokio::test]
async fn faults_are_absent_without_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let app = router(&config(&dir));
    let reply = send(
        &app,
        post_json("/__sandbox/faults", json!({"fault": "rate_limit"})),
    )
    .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let reply = send(&app, get("/__sandbox/anything")).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn rate_limit_fault_fires_the_armed_number_of_times() {
    let dir = tempfile::tempdir().unwrap();
    let app = router(&Config {
        faults: true,
        ..config(&dir)
    });
    let arm = post_json(
        "/__sandbox/faults",
        json!({"fault": "rate_limit", "times": 2,
        "path": "/v1/chat/completions", "retry_after": "3", "retry_after_ms": 2500}),
    );
    assert_eq!(send(&app, arm).await.status, StatusCode::NO_CONTENT);

    // Another path does not consume it.
    assert_eq!(send(&app, get("/v1/models")).await.status, StatusCode::OK);
    for _ in 0..2 {
        let reply = send(&app, post_json("/v1/chat/completions", chat("x"))).await;
        assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(reply.header("retry-after"), Some("3"));
        assert_eq!(reply.header("retry-after-ms"), Some("2500"));
        assert_eq!(reply.json()["error"]["code"], "rate_limit_exceeded");
    }
    assert_eq!(
        send(&app, post_json("/v1/chat/completions", chat("x")))
            .await
            .status,
        StatusCode::OK
    );

    // Kino gets its own envelope; no Retry-After when none was asked for.
    let arm = post_json("/__sandbox/faults", json!({"fault": "rate_limit"}));
    assert_eq!(send(&app, arm).await.status, StatusCode::NO_CONTENT);
    let reply = send(&app, get("/api/v1/config")).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(reply.json()["error"]["code"], "rate_limited");
    assert!(reply.header("retry-after").is_none());

    // Arming needs the key; DELETE clears.
    let unauth = Request::post("/__sandbox/faults")
        .body(Body::from("{\"fault\":\"unavailable\"}"))
        .unwrap();
    assert_eq!(send(&app, unauth).await.status, StatusCode::UNAUTHORIZED);
    let arm = post_json(
        "/__sandbox/faults",
        json!({"fault": "unavailable", "times": 5}),
    );
    assert_eq!(send(&app, arm).await.status, StatusCode::NO_CONTENT);
    let clear = Request::delete("/__sandbox/faults")
        .header("x-api-key", KEY)
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&app, clear).await.status, StatusCode::NO_CONTENT);
    assert_eq!(send(&app, get("/v1/models")).await.status, StatusCode::OK);
}

#[tokio::test]
async fn response_faults_have_their_shapes() {
    let dir = tempfile::tempdir().unwrap();
    let app = router(&Config {
        faults: true,
        ..config(&dir)
    });
    let cases: [(&str, u16, Option<&str>); 6] = [
        ("overloaded_529", 529, Some("overloaded_error")),
        ("text_plain_error", 500, None),
        ("html_502", 502, None),
        ("top_level_message", 400, None),
        ("code_number", 400, Some("invalid_request_error")),
        ("empty_body_401", 401, None),
    ];
    for (fault, status, kind) in cases {
        let arm = post_json("/__sandbox/faults", json!({"fault": fault}));
        assert_eq!(
            send(&app, arm).await.status,
            StatusCode::NO_CONTENT,
            "{fault}"
        );
        let reply = send(&app, get("/v1/models")).await;
        assert_eq!(reply.status.as_u16(), status, "{fault}");
        if let Some(kind) = kind {
            assert_eq!(reply.json()["error"]["type"], kind);
        }
        match fault {
            "text_plain_error" => assert_eq!(reply.text(), "Internal Server Error"),
            "html_502" => assert!(reply
                .header("content-type")
                .unwrap()
                .starts_with("text/html")),
            "top_level_message" => assert_eq!(reply.json(), json!({"message": "bad thing"})),
            "code_number" => {
                assert_eq!(reply.json()["error"]["code"], 1234);
                assert_eq!(reply.json()["error"]["param"], "None");
            }
            "empty_body_401" => assert!(reply.body.is_empty()),
            _ => {}
        }
    }
}

#[tokio::test]
async fn first_byte_delay_holds_the_response() {
    let dir = tempfile::tempdir().unwrap();
    let app = router(&Config {
        faults: true,
        ..config(&dir)
    });
    let arm = post_json(
        "/__sandbox/faults",
        json!({"fault": "first_byte_delay", "delay_ms": 200}),
    );
    assert_eq!(send(&app, arm).await.status, StatusCode::NO_CONTENT);
    let started = Instant::now();
    assert_eq!(
        send(&app, get("/api/v1/status")).await.status,
        StatusCode::OK
    );
    assert!(started.elapsed() >= Duration::from_millis(200));
}

async fn stream_with_quirks(app: &Router, quirks: Value) -> String {
    let arm = post_json(
        "/__sandbox/faults",
        json!({"fault": "quirk", "quirks": quirks}),
    );
    assert_eq!(send(app, arm).await.status, StatusCode::NO_CONTENT);
    let mut request = chat("a b");
    request["stream"] = json!(true);
    send(app, post_json("/v1/chat/completions", request))
        .await
        .text()
}

#[tokio::test]
async fn quirks_change_the_stream_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let app = router(&Config {
        faults: true,
        ..config(&dir)
    });

    let plain = {
        let mut request = chat("a b");
        request["stream"] = json!(true);
        send(&app, post_json("/v1/chat/completions", request))
            .await
            .text()
    };
    assert!(plain.starts_with("data: {"));

    let no_space = stream_with_quirks(&app, json!(["no_space"])).await;
    assert!(no_space.starts_with("data:{"), "{no_space}");
    assert!(no_space.ends_with("data:[DONE]\n\n"));

    let framed = stream_with_quirks(&app, json!(["crlf", "comments", "event_lines"])).await;
    assert!(framed.starts_with("event: message\r\ndata: {"), "{framed}");
    assert!(framed.contains(": ping\r\n\r\n"));

    let shaped = stream_with_quirks(
        &app,
        json!(["no_role", "finish_absent", "usage_unasked", "extra_fields"]),
    )
    .await;
    assert!(!shaped.contains("\"role\""));
    assert!(!shaped.contains("finish_reason"));
    assert!(shaped.contains("\"choices\":[]"));
    assert!(shaped.contains("\"system_fingerprint\""));

    // The quirk was consumed: the next stream is plain again (ids differ, shape does not).
    let again = {
        let mut request = chat("a b");
        request["stream"] = json!(true);
        send(&app, post_json("/v1/chat/completions", request))
            .await
            .text()
    };
    assert!(again.starts_with("data: {") && again.contains("\"role\":\"assistant\""));
}

#[tokio::test]
async fn stream_error_fault_sends_an_error_frame_and_no_done() {
    let dir = tempfile::tempdir().unwrap();
    let app = router(&Config {
        faults: true,
        ..config(&dir)
    });
    let arm = post_json("/__sandbox/faults", json!({"fault": "stream_error"}));
    assert_eq!(send(&app, arm).await.status, StatusCode::NO_CONTENT);
    let mut request = chat("one two three four");
    request["stream"] = json!(true);
    let text = send(&app, post_json("/v1/chat/completions", request))
        .await
        .text();
    let last = text.trim_end().rsplit("\n\n").next().unwrap();
    let error: Value = serde_json::from_str(last.strip_prefix("data: ").unwrap()).unwrap();
    assert_eq!(
        error,
        json!({"error": {"message": "upstream failed", "type": "server_error",
        "param": null, "code": "stream_failed"}})
    );
    assert!(!text.contains("[DONE]"));
    assert_eq!(
        text.matches("\"content\":\"").count(),
        3,
        "role chunk + 2 tokens: {text}"
    );
}

#[tokio::test]
async fn static_console_spa_fallback_and_csp() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    let index = "<!doctype html><html><head><script type=\"module\">import init from '/app.js';init();</script>\
                 <script src=\"/other.js\"></script></head><body></body></html>";
    std::fs::write(site.join("index.html"), index).unwrap();
    std::fs::write(site.join("app.js"), "export default function init() {}").unwrap();
    std::fs::write(site.join("app_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let app = router(&Config {
        static_dir: Some(site),
        ..config(&dir)
    });

    let spa = send(
        &app,
        Request::get("/settings/devices")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(spa.status, StatusCode::OK);
    assert!(spa.header("content-type").unwrap().starts_with("text/html"));
    assert_eq!(spa.text(), index);
    let csp = spa.header("content-security-policy").unwrap();
    let expected = {
        use base64::Engine;
        use sha2::Digest;
        let digest = sha2::Sha256::digest(b"import init from '/app.js';init();");
        format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(digest)
        )
    };
    assert!(csp.contains(&expected), "{csp}");
    assert_eq!(
        csp.matches("'sha256-").count(),
        1,
        "only the inline script is hashed: {csp}"
    );
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"));
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(spa.header("x-frame-options"), Some("DENY"));
    assert_eq!(spa.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(spa.header("x-content-type-options"), Some("nosniff"));

    let js = send(&app, Request::get("/app.js").body(Body::empty()).unwrap()).await;
    assert_eq!(js.header("content-type"), Some("text/javascript"));
    let wasm = send(
        &app,
        Request::get("/app_bg.wasm").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    assert_eq!(
        wasm.header("content-security-policy"),
        Some("default-src 'none'; frame-ancestors 'none'; sandbox")
    );

    // API prefixes never fall through to the console.
    let api = send(
        &app,
        Request::get("/api/v1/nothing").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    let traversal = send(
        &app,
        Request::get("/../Cargo.toml").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(traversal.status, StatusCode::NOT_FOUND);
    assert!(!traversal.text().contains("[package]"));
}

#[tokio::test]
async fn console_files_are_sent_precompressed_and_cached_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    let index = "<!doctype html><html><head></head><body></body></html>";
    std::fs::write(site.join("index.html"), index).unwrap();
    std::fs::write(site.join("index.html.br"), b"brotli html").unwrap();
    let js = "app-1f312d136e8d5865.js";
    std::fs::write(site.join(js), "export default 1;").unwrap();
    std::fs::write(site.join(format!("{js}.br")), b"brotli js").unwrap();
    std::fs::write(site.join(format!("{js}.gz")), b"gzip js").unwrap();
    std::fs::write(site.join(".trunk-lock"), b"").unwrap();
    let app = router(&Config {
        static_dir: Some(site),
        ..config(&dir)
    });
    let get = |path: &str, accept: Option<&str>| {
        let mut req = Request::get(path);
        if let Some(accept) = accept {
            req = req.header("accept-encoding", accept);
        }
        send(&app, req.body(Body::empty()).unwrap())
    };

    let br = get(&format!("/{js}"), Some("gzip, deflate, br, zstd")).await;
    assert_eq!(br.header("content-encoding"), Some("br"));
    assert_eq!(br.text(), "brotli js");
    assert_eq!(br.header("content-type"), Some("text/javascript"));
    assert_eq!(
        br.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(br.header("vary"), Some("Accept-Encoding"));
    let gz = get(&format!("/{js}"), Some("gzip")).await;
    assert_eq!(
        (gz.header("content-encoding"), gz.text().as_str()),
        (Some("gzip"), "gzip js")
    );
    let plain = get(&format!("/{js}"), None).await;
    assert_eq!(
        (plain.header("content-encoding"), plain.text().as_str()),
        (None, "export default 1;")
    );

    // The shell is revalidated every time; its policy comes from the HTML, not the compressed bytes.
    let shell = get("/", Some("br")).await;
    assert_eq!(shell.header("content-encoding"), Some("br"));
    assert_eq!(shell.header("cache-control"), Some("no-cache"));
    assert!(shell.header("content-security-policy").is_some());
    let deep = get("/kino/status", Some("identity")).await;
    assert_eq!(
        (deep.header("content-encoding"), deep.text().as_str()),
        (None, index)
    );

    // Build leftovers are not part of the console.
    assert_eq!(
        get("/.trunk-lock", None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&format!("/{js}.br"), None)
            .await
            .header("content-encoding"),
        None
    );
}

#[tokio::test]
async fn root_without_console_is_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let app = router(&config(&dir));
    let reply = send(&app, Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.text().contains("No console"));
    assert!(reply.header("content-security-policy").is_some());
}

#[tokio::test]
async fn cors_mirrors_allowed_origins_only() {
    let dir = tempfile::tempdir().unwrap();
    let app = router(&Config {
        cors_origins: vec!["http://localhost:3000".into()],
        ..config(&dir)
    });
    let preflight = Request::options("/v1/chat/completions")
        .header("origin", "http://localhost:3000")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .body(Body::empty())
        .unwrap();
    let reply = send(&app, preflight).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(
        reply.header("access-control-allow-origin"),
        Some("http://localhost:3000")
    );
    let allowed = reply.header("access-control-allow-headers").unwrap();
    assert!(allowed.contains("authorization") && !allowed.contains('*'));
    assert_eq!(reply.header("vary"), Some("Origin"));

    let mut req = get("/v1/models");
    req.headers_mut()
        .insert("origin", "http://localhost:3000".parse().unwrap());
    let reply = send(&app, req).await;
    assert_eq!(
        reply.header("access-control-allow-origin"),
        Some("http://localhost:3000")
    );
    assert!(reply
        .header("access-control-expose-headers")
        .unwrap()
        .contains("retry-after-ms"));

    let mut req = get("/v1/models");
    req.headers_mut()
        .insert("origin", "http://evil.example".parse().unwrap());
    assert!(send(&app, req)
        .await
        .header("access-control-allow-origin")
        .is_none());

    let app = router(&config(&dir));
    let mut req = get("/v1/models");
    req.headers_mut()
        .insert("origin", "http://localhost:3000".parse().unwrap());
    assert!(send(&app, req)
        .await
        .header("access-control-allow-origin")
        .is_none());
}

/// Sends one raw HTTP/1.1 request and reads until the server closes the connection or
/// `deadline` passes (blocking std I/O on a helper thread keeps tokio's features minimal).
async fn raw_request(addr: std::net::SocketAddr, request: String, deadline: Duration) -> String {
    tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let until = Instant::now() + deadline;
        let mut out = Vec::new();
        let mut buf = [0u8; 4096];
        while let Some(left) = until
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
        {
            stream.set_read_timeout(Some(left)).unwrap();
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn start_serves_over_tcp_and_shutdown_does_not_wait_for_stalled_streams() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = kinlink_sandbox::start(Config {
        port: 0,
        faults: true,
        ..config(&dir)
    })
    .await
    .unwrap();
    assert!(sandbox.url().starts_with("http://127.0.0.1:"));
    assert_eq!(sandbox.api_key, KEY);
    let addr = sandbox.addr;

    let status = raw_request(
        addr,
        "GET /api/v1/status HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n".into(),
        Duration::from_secs(5),
    )
    .await;
    assert!(status.starts_with("HTTP/1.1 200 OK"), "{status}");

    // stream_cut: the connection ends without the terminating chunk or [DONE].
    let arm = json!({"fault": "stream_cut"}).to_string();
    let armed = raw_request(addr, format!(
        "POST /__sandbox/faults HTTP/1.1\r\nhost: 127.0.0.1\r\nx-api-key: {KEY}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{arm}",
        arm.len()), Duration::from_secs(5)).await;
    assert!(armed.starts_with("HTTP/1.1 204"), "{armed}");
    let body = json!({"model": "sandbox-echo", "stream": true,
        "messages": [{"role": "user", "content": "one two three"}]})
    .to_string();
    let chat_request = format!(
        "POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer {KEY}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len());
    let cut = raw_request(addr, chat_request.clone(), Duration::from_secs(5)).await;
    assert!(cut.starts_with("HTTP/1.1 200"), "{cut}");
    assert!(
        cut.contains("Echo: ") && !cut.contains("[DONE]") && !cut.ends_with("0\r\n\r\n"),
        "{cut}"
    );

    // 529 goes out with an empty reason phrase, not hyper's "<none>".
    let arm = json!({"fault": "overloaded_529"}).to_string();
    raw_request(addr, format!(
        "POST /__sandbox/faults HTTP/1.1\r\nhost: 127.0.0.1\r\nx-api-key: {KEY}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{arm}",
        arm.len()), Duration::from_secs(5)).await;
    let overloaded = raw_request(
        addr,
        format!(
            "GET /v1/models HTTP/1.1\r\nhost: 127.0.0.1\r\nx-api-key: {KEY}\r\nconnection: close\r\n\r\n"
        ),
        Duration::from_secs(5),
    )
    .await;
    assert!(overloaded.starts_with("HTTP/1.1 529 \r\n"), "{overloaded}");

    // A stalled stream must not hold shutdown for its whole 60 s.
    let arm = json!({"fault": "stream_stall", "stall_ms": 60000}).to_string();
    raw_request(addr, format!(
        "POST /__sandbox/faults HTTP/1.1\r\nhost: 127.0.0.1\r\nx-api-key: {KEY}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{arm}",
        arm.len()), Duration::from_secs(5)).await;
    let stalled = tokio::spawn(raw_request(addr, chat_request, Duration::from_secs(30)));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    sandbox.shutdown().await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "shutdown took {:?}",
        started.elapsed()
    );
    let partial = stalled.await.unwrap();
    assert!(
        partial.contains("Echo: ") && !partial.contains("[DONE]"),
        "{partial}"
    );
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "listener closed"
    );
}

fn put_json(uri: &str, body: Value) -> Request<Body> {
    Request::put(uri)
        .header("authorization", format!("Bearer {KEY}"))
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

#[tokio::test]
async fn history_pages_config_changes_newest_first_like_kino() {
    let dir = tempfile::tempdir().unwrap();
    let app = router(&config(&dir));
    for port in 1..=5 {
        let reply = send(
            &app,
            put_json("/api/v1/config", json!({"listen_port": 8000 + port})),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK);
    }
    let body = send(&app, get("/api/v1/history?limit=2")).await.json();
    let ids: Vec<i64> = body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![5, 4]);
    assert_eq!(body["has_more"], true);
    assert_eq!(body["results"][0]["event_type"], "config_changed");
    assert_eq!(
        body["results"][0]["data"],
        "{\"event\":\"config_changed\",\"scope\":\"all\"}"
    );
    assert!(body["results"][0]["date"]
        .as_str()
        .unwrap()
        .ends_with("+00:00"));
    assert_eq!(body["next_cursor"], "eyJpZCI6NCwic29ydF92YWx1ZSI6bnVsbH0");

    let last = send(
        &app,
        get("/api/v1/history?limit=500&cursor=eyJpZCI6NCwic29ydF92YWx1ZSI6bnVsbH0"),
    )
    .await
    .json();
    assert_eq!(last["results"].as_array().unwrap().len(), 3);
    assert_eq!(last["has_more"], false);
    assert!(
        last.get("next_cursor").is_none(),
        "absent, not null, on the last page"
    );

    let clamped = send(&app, get("/api/v1/history?limit=0")).await.json();
    assert_eq!(clamped["results"].as_array().unwrap().len(), 1);
    let ignored = send(&app, get("/api/v1/history?cursor=%25%25%25&limit=1"))
        .await
        .json();
    assert_eq!(
        ignored["results"][0]["id"], 5,
        "a bad cursor gives the first page"
    );
    let filtered = send(
        &app,
        get("/api/v1/history?event_types=download_failed,movie_added"),
    )
    .await
    .json();
    assert_eq!(filtered, json!({"results": [], "has_more": false}));

    let bad = send(&app, get("/api/v1/history?limit=abc")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text().contains("limit"), "{}", bad.text());
    let anonymous = send(
        &app,
        Request::get("/api/v1/history").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}
