//! The native backend against an in-process sandbox on a free port.
#![cfg(not(target_arch = "wasm32"))]

use kinlink::{Client, Credentials, ErrorKind};
use kinlink_sandbox::{start, Config, Sandbox};

async fn sandbox(dir: &tempfile::TempDir) -> Sandbox {
    start(Config { port: 0, data_dir: dir.path().to_owned(), ..Config::default() }).await.expect("sandbox starts")
}

#[tokio::test]
async fn status_and_config() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = sandbox(&dir).await;
    let client = Client::new(&sandbox.url(), Credentials::Bearer(sandbox.api_key.clone())).unwrap();
    let status = client.kino().status().await.unwrap();
    assert!(!status.version.is_empty());
    assert!(status.uptime_seconds.is_some());
    let config = client.kino().config().await.unwrap();
    assert_eq!(config.api_key, "***");
    assert_eq!(config.id, 1);

    // X-Api-Key works as well as Bearer.
    let client = Client::new(&sandbox.url(), Credentials::ApiKeyHeader(sandbox.api_key.clone())).unwrap();
    client.kino().config().await.unwrap();
    sandbox.shutdown().await;
}

#[tokio::test]
async fn wrong_key_is_unauthorized() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = sandbox(&dir).await;
    let client = Client::new(&sandbox.url(), Credentials::Bearer("nope".into())).unwrap();
    let error = client.kino().config().await.unwrap_err();
    assert_eq!((error.kind, error.status, error.code.as_deref()), (ErrorKind::Unauthorized, Some(401), Some("unauthorized")));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn unreachable_server_is_a_network_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let url = format!("http://127.0.0.1:{port}");
    let client = Client::builder(&url, Credentials::None).retry(kinlink::RetryPolicy::none()).build().unwrap();
    let error = client.kino().status().await.unwrap_err();
    assert_eq!(error.kind, ErrorKind::Network);
    assert!(error.message.contains(&url), "{}", error.message);
}
