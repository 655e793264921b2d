//! KinBot's generated Rust methods against an in-process sandbox, which routes every KinBot operation
//! and answers as the real server does where it has no behaviour yet.
#![cfg(not(target_arch = "wasm32"))]

use kinlink::kinbot::MiniAppStorageSetRequest;
use kinlink::{Client, Credentials, ErrorKind, RetryPolicy};
use kinlink_sandbox::{start, Config};

#[tokio::test]
async fn generated_methods_reach_the_sandboxs_kinbot_routes() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = start(Config {
        port: 0,
        data_dir: dir.path().to_owned(),
        ..Config::default()
    })
    .await
    .unwrap();
    let client = Client::builder(&sandbox.url(), Credentials::Bearer(sandbox.api_key.clone()))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();

    let error = client.kinbot().kins().list().await.unwrap_err();
    assert_eq!(
        (error.kind, error.status, error.code.as_deref()),
        (ErrorKind::Server, Some(501), Some("NOT_IMPLEMENTED"))
    );
    assert!(
        error.message.contains("GET /api/kins (list_kins)"),
        "{}",
        error.message
    );

    let value = MiniAppStorageSetRequest {
        value: serde_json::json!({"text": "hi"}),
    };
    let error = client
        .kinbot()
        .mini_apps()
        .set_storage("app 1/../x", "greeting", &value)
        .await
        .unwrap_err();
    assert_eq!(error.status, Some(501));
    assert!(
        error.message.contains("set_mini_app_storage"),
        "{}",
        error.message
    );

    let anonymous = Client::builder(&sandbox.url(), Credentials::None)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let error = anonymous.kinbot().kins().list().await.unwrap_err();
    assert_eq!(
        (error.kind, error.code.as_deref(), error.message.as_str()),
        (
            ErrorKind::Unauthorized,
            Some("UNAUTHORIZED"),
            "Authentication required"
        )
    );
    sandbox.shutdown().await;
}

/// One answer per request, recorded: a minimal HTTP/1.1 server for the walker test.
async fn recording_server(
    pages: Vec<(&'static str, String)>,
) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buffer = Vec::new();
            let mut chunk = [0u8; 4096];
            while !buffer.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = socket.read(&mut chunk).await.unwrap();
                if n == 0 {
                    break;
                }
                buffer.extend_from_slice(&chunk[..n]);
            }
            let head = String::from_utf8_lossy(&buffer).into_owned();
            let target = head.split(' ').nth(1).unwrap_or_default().to_owned();
            let body = pages
                .iter()
                .find(|(path, _)| *path == target)
                .map(|(_, body)| body.clone())
                .unwrap_or_else(|| {
                    r#"{"error":{"code":"NOT_FOUND","message":"unexpected"}}"#.into()
                });
            log.lock().unwrap().push(target);
            let reply = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            socket.write_all(reply.as_bytes()).await.unwrap();
        }
    });
    (url, seen)
}

#[tokio::test]
async fn an_offset_list_is_walked_page_by_page_until_the_server_says_no_more() {
    use futures_util::StreamExt;
    use kinlink::kinbot::{QuickSessionStatusFilter, QuickSessionsListQuery};

    let session = |id: &str, created: &str| {
        format!(
            r#"{{"id":"{id}","kinId":"k","title":null,"status":"active","createdAt":{created},"closedAt":null,"expiresAt":1772366400000}}"#
        )
    };
    let first = format!(
        r#"{{"sessions":[{},{}],"hasMore":true}}"#,
        session("s1", "1772366400000"),
        session("s2", r#""2026-03-01T12:00:00.000Z""#)
    );
    let last = format!(r#"{{"sessions":[{}],"hasMore":false}}"#, session("s3", "1"));
    let (url, seen) = recording_server(vec![
        ("/api/kins/my-kin/quick-sessions?limit=2&status=all", first),
        (
            "/api/kins/my-kin/quick-sessions?limit=2&offset=2&status=all",
            last,
        ),
    ])
    .await;
    let client = Client::builder(&url, Credentials::None)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let query = QuickSessionsListQuery {
        status: Some(QuickSessionStatusFilter::All),
        limit: Some(2),
        offset: None,
    };
    let sessions: Vec<_> = client
        .kinbot()
        .quick_sessions()
        .list_all("my-kin", &query)
        .collect()
        .await;
    let ids: Vec<String> = sessions.into_iter().map(|s| s.unwrap().id).collect();
    assert_eq!(ids, ["s1", "s2", "s3"]);
    assert_eq!(
        *seen.lock().unwrap(),
        [
            "/api/kins/my-kin/quick-sessions?limit=2&status=all",
            "/api/kins/my-kin/quick-sessions?limit=2&offset=2&status=all"
        ],
        "the offset advanced by the first page's length, and no third page"
    );
}

#[tokio::test]
async fn a_session_client_signs_in_keeps_its_cookie_and_signs_out() {
    use kinlink::kinbot::SignInRequest;
    use kinlink::RequestOptions;

    let dir = tempfile::tempdir().unwrap();
    let sandbox = start(Config {
        port: 0,
        data_dir: dir.path().to_owned(),
        ..Config::default()
    })
    .await
    .unwrap();
    let client = Client::builder(&sandbox.url(), Credentials::Session)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let kinbot = client.kinbot();
    assert!(kinbot.auth().get_session().await.unwrap().is_none());
    assert_eq!(
        kinbot.kins().list().await.unwrap_err().status,
        Some(401),
        "no session yet"
    );

    let wrong = SignInRequest {
        email: kinlink_sandbox::KINBOT_EMAIL.into(),
        password: "not the key".into(),
        remember_me: None,
        callback_url: None,
    };
    let error = kinbot.auth().sign_in_email(&wrong).await.unwrap_err();
    assert_eq!(
        (error.kind, error.code.as_deref()),
        (ErrorKind::Unauthorized, Some("INVALID_EMAIL_OR_PASSWORD"))
    );

    let right = SignInRequest {
        password: sandbox.api_key.clone(),
        ..wrong
    };
    let signed_in = kinbot.auth().sign_in_email(&right).await.unwrap();
    assert_eq!(signed_in.user.email, kinlink_sandbox::KINBOT_EMAIL);
    let session = kinbot
        .auth()
        .get_session()
        .await
        .unwrap()
        .expect("signed in");
    assert_eq!(session.session.token, signed_in.token);
    // Past the session check: the route itself is what the sandbox does not implement.
    assert_eq!(kinbot.kins().list().await.unwrap_err().status, Some(501));

    // Better Auth wants a trusted Origin on a cookie-carrying sign-out (a browser sends its own).
    let error = kinbot.auth().sign_out().await.unwrap_err();
    assert_eq!(error.code.as_deref(), Some("MISSING_OR_NULL_ORIGIN"));
    let with_origin = RequestOptions {
        headers: vec![("origin", sandbox.url())],
        ..Default::default()
    };
    assert!(
        kinbot
            .auth()
            .with_options(with_origin)
            .sign_out()
            .await
            .unwrap()
            .success
    );
    assert!(kinbot.auth().get_session().await.unwrap().is_none());
    assert_eq!(kinbot.kins().list().await.unwrap_err().status, Some(401));
    sandbox.shutdown().await;
}
