//! Every error a client can provoke answers in its API's own shape: OpenAI's error body on `/v1`;
//! on `/api` exactly what Kino sends (wire facts §1–§3). Plus the header, auth and host rules.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use kinlink_sandbox::{app, AppState, Config};
use serde_json::json;

mod support;
use support::{send, Reply};

const KEY: &str = "test-key-0123";

trait OpenAiErrorShape {
    /// OpenAI's `{"error":{"message","type","param","code"}}`, all four keys present.
    fn openai_error(&self) -> &Self;
}

impl OpenAiErrorShape for Reply {
    fn openai_error(&self) -> &Self {
        assert!(
            self.header("content-type")
                .is_some_and(|v| v.starts_with("application/json")),
            "{:?}",
            self.headers
        );
        let body = self.json();
        let error = body["error"]
            .as_object()
            .unwrap_or_else(|| panic!("{body}"));
        for key in ["message", "type", "param", "code"] {
            assert!(error.contains_key(key), "{key} missing: {body}");
        }
        assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
        self
    }
}

fn config(dir: &tempfile::TempDir) -> Config {
    Config {
        data_dir: dir.path().join("data"),
        api_key: Some(KEY.to_owned()),
        token_delay_ms: 0,
        ..Config::default()
    }
}

fn req(method: &str, uri: &str) -> axum::http::request::Builder {
    Request::builder()
        .method(method)
        .uri(uri)
        .header("host", "127.0.0.1:8080")
}

fn authed(method: &str, uri: &str) -> axum::http::request::Builder {
    req(method, uri).header("authorization", format!("Bearer {KEY}"))
}

#[tokio::test]
async fn every_v1_error_has_the_openai_shape() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(AppState::new(&config(&dir)).unwrap());

    let huge = vec![b' '; 2 * 1024 * 1024 + 1];
    let too_large = send(
        &app,
        authed("POST", "/v1/chat/completions")
            .header("content-type", "application/json")
            .body(Body::from(huge))
            .unwrap(),
    )
    .await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        too_large.openai_error().json()["error"]["code"],
        "request_too_large"
    );

    let bad_agent = send(
        &app,
        authed("POST", "/v1/agents/%FF/run")
            .body(Body::from("{}"))
            .unwrap(),
    )
    .await;
    assert_eq!(bad_agent.status, StatusCode::BAD_REQUEST);
    bad_agent.openai_error();

    let agent_too_large = send(
        &app,
        authed("POST", "/v1/agents/echo/run")
            .body(Body::from(vec![b' '; 300 * 1024]))
            .unwrap(),
    )
    .await;
    assert_eq!(agent_too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
    agent_too_large.openai_error();

    let wrong_method = send(
        &app,
        authed("GET", "/v1/chat/completions")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        wrong_method.openai_error().json()["error"]["code"],
        "method_not_allowed"
    );
    assert_eq!(wrong_method.header("allow"), Some("POST"));

    for path in [
        "/v1",
        "/v1/",
        "/v1/nope",
        "/v1/chat/completions/extra/deeper",
    ] {
        let unknown = send(&app, authed("GET", path).body(Body::empty()).unwrap()).await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{path}");
        let body = unknown.openai_error().json();
        assert_eq!(
            body["error"]["message"],
            format!("Invalid URL (GET {path})")
        );
    }
    let unknown_unauthed = send(&app, req("GET", "/v1/").body(Body::empty()).unwrap()).await;
    assert_eq!(unknown_unauthed.status, StatusCode::UNAUTHORIZED);
    unknown_unauthed.openai_error();

    let unimplemented = send(
        &app,
        authed("POST", "/v1/embeddings")
            .body(Body::from("{}"))
            .unwrap(),
    )
    .await;
    assert_eq!(unimplemented.status, StatusCode::NOT_IMPLEMENTED);
    unimplemented.openai_error();

    for body in ["{", "[]", "{\"model\":3}"] {
        let bad = send(
            &app,
            authed("POST", "/v1/chat/completions")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{body}");
        bad.openai_error();
    }
}

#[tokio::test]
async fn kino_errors_are_exactly_what_kino_sends() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(AppState::new(&config(&dir)).unwrap());

    // Outside /api/v1 the paths are KinBot's (the sandbox serves both APIs on one origin; see
    // tests/kinbot.rs): a Kino-only path there is KinBot's 401 without a session.
    for path in ["/api", "/api/", "/api/v2/status", "/api/docs-not"] {
        let reply = send(&app, req("GET", path).body(Body::empty()).unwrap()).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(reply.json()["error"]["code"], "UNAUTHORIZED", "{path}");
    }
    // The middleware's 401 is empty.
    let unauthed = send(
        &app,
        req("GET", "/api/v1/history").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(unauthed.status, StatusCode::UNAUTHORIZED);
    assert!(unauthed.body.is_empty());
    // An operation the sandbox does not serve: 501 in the envelope, after auth.
    let missing = send(
        &app,
        authed("GET", "/api/v1/movies").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_IMPLEMENTED);
    assert_eq!(missing.json()["error"]["code"], "not_implemented");
    // Another method on a known path: axum's empty 405.
    let wrong_method = send(
        &app,
        authed("DELETE", "/api/v1/config")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(wrong_method.body.is_empty());
    // Extractor rejections: plain text, with the status Kino's axum gives.
    let put = |content_type: Option<&str>, body: Vec<u8>| {
        let mut builder = authed("PUT", "/api/v1/config");
        if let Some(ct) = content_type {
            builder = builder.header("content-type", ct);
        }
        builder.body(Body::from(body)).unwrap()
    };
    for (request, status) in [
        (
            put(Some("application/json"), b"{".to_vec()),
            StatusCode::BAD_REQUEST,
        ),
        (
            put(Some("application/json"), br#"{"listen_port":"x"}"#.to_vec()),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            put(None, b"{}".to_vec()),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            put(Some("application/json"), vec![b' '; 2 * 1024 * 1024 + 1]),
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
        (
            authed("GET", "/api/v1/history?limit=abc")
                .body(Body::empty())
                .unwrap(),
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let reply = send(&app, request).await;
        assert_eq!(reply.status, status, "{}", reply.text());
        assert!(
            reply
                .header("content-type")
                .is_some_and(|v| v.starts_with("text/plain")),
            "{status}: {:?}",
            reply.headers
        );
        assert!(!reply.body.is_empty());
    }
    // Nothing above changed the config or wrote history.
    let history = send(
        &app,
        authed("GET", "/api/v1/history")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(history.json()["results"], json!([]));
}

#[tokio::test]
async fn the_key_is_accepted_as_bearer_any_case_header_or_query_on_every_route() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(AppState::new(&config(&dir)).unwrap());
    for path in ["/api/v1/config", "/api/v1/history", "/v1/models"] {
        for scheme in ["Bearer", "bearer", "BEARER"] {
            let reply = send(
                &app,
                req("GET", path)
                    .header("authorization", format!("{scheme} {KEY}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
            assert_eq!(reply.status, StatusCode::OK, "{scheme} on {path}");
        }
        let header = send(
            &app,
            req("GET", path)
                .header("x-api-key", KEY)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(header.status, StatusCode::OK, "X-Api-Key on {path}");
        let query = send(
            &app,
            req("GET", &format!("{path}?api_key={KEY}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(query.status, StatusCode::OK, "?api_key on {path}");
        let wrong = send(
            &app,
            req("GET", &format!("{path}?api_key=nope"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{path}");
    }
}

#[tokio::test]
async fn static_files_that_do_not_exist_are_404_and_routes_get_the_shell() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(
        site.join("index.html"),
        "<!doctype html><title>shell</title>",
    )
    .unwrap();
    std::fs::write(
        site.join("logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
    )
    .unwrap();
    let app = app(AppState::new(&Config {
        static_dir: Some(site),
        ..config(&dir)
    })
    .unwrap());
    for path in ["/missing.js", "/missing.wasm", "/assets/app-0123.css"] {
        let reply = send(&app, req("GET", path).body(Body::empty()).unwrap()).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!reply.text().contains("shell"));
    }
    for path in ["/", "/chat", "/kino/status"] {
        let reply = send(&app, req("GET", path).body(Body::empty()).unwrap()).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert!(reply.text().contains("shell"));
    }
    // An SVG opened as a document runs no script: it gets the non-HTML policy.
    let svg = send(&app, req("GET", "/logo.svg").body(Body::empty()).unwrap()).await;
    assert_eq!(svg.header("content-type"), Some("image/svg+xml"));
    assert_eq!(
        svg.header("content-security-policy"),
        Some("default-src 'none'; frame-ancestors 'none'; sandbox")
    );
    let json = send(
        &app,
        req("GET", "/api/v1/status").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(
        json.header("content-security-policy"),
        Some("default-src 'none'; frame-ancestors 'none'; sandbox")
    );
}

#[tokio::test]
async fn a_null_origin_is_echoed_only_when_listed() {
    let dir = tempfile::tempdir().unwrap();
    let any = app(AppState::new(&Config {
        cors_origins: vec!["*".into()],
        ..config(&dir)
    })
    .unwrap());
    let from = |origin: &str| {
        req("GET", "/api/v1/status")
            .header("origin", origin)
            .body(Body::empty())
            .unwrap()
    };
    let null = send(&any, from("null")).await;
    assert_eq!(null.header("access-control-allow-origin"), None);
    let named = send(&any, from("http://localhost:5173")).await;
    assert_eq!(
        named.header("access-control-allow-origin"),
        Some("http://localhost:5173")
    );
    let dir = tempfile::tempdir().unwrap();
    let listed = app(AppState::new(&Config {
        cors_origins: vec!["null".into()],
        ..config(&dir)
    })
    .unwrap());
    assert_eq!(
        send(&listed, from("null"))
            .await
            .header("access-control-allow-origin"),
        Some("null")
    );
}

#[tokio::test]
async fn a_foreign_host_is_refused_on_loopback_in_each_apis_shape() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(AppState::new(&Config {
        allowed_hosts: vec!["kinlink.lan".into()],
        ..config(&dir)
    })
    .unwrap());
    let at = |host: &str, path: &str| {
        Request::get(path)
            .header("host", host)
            .header("x-api-key", KEY)
            .body(Body::empty())
            .unwrap()
    };
    let kino = send(&app, at("rebind.example:8080", "/api/v1/status")).await;
    assert_eq!(kino.status, StatusCode::FORBIDDEN);
    assert_eq!(kino.json()["error"]["code"], "forbidden");
    let openai = send(&app, at("rebind.example", "/v1/models")).await;
    assert_eq!(openai.status, StatusCode::FORBIDDEN);
    openai.openai_error();
    let console = send(&app, at("rebind.example", "/")).await;
    assert_eq!(console.status, StatusCode::FORBIDDEN);
    for host in [
        "localhost:8080",
        "127.0.0.1",
        "[::1]:8080",
        "kinlink.lan",
        "kinlink.lan:8080",
    ] {
        assert_eq!(
            send(&app, at(host, "/api/v1/status")).await.status,
            StatusCode::OK,
            "{host}"
        );
    }
    // Bound to every interface, the sandbox is meant to be reached by other names.
    let dir = tempfile::tempdir().unwrap();
    let open = kinlink_sandbox::app(
        AppState::new(&Config {
            bind: "0.0.0.0".parse().unwrap(),
            ..config(&dir)
        })
        .unwrap(),
    );
    assert_eq!(
        send(&open, at("nas.lan", "/api/v1/status")).await.status,
        StatusCode::OK
    );
}
