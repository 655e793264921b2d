//! The native backend against an in-process sandbox on a free port.
#![cfg(not(target_arch = "wasm32"))]

use kinlink::{Client, Credentials, ErrorKind};
use kinlink_sandbox::{start, Config, Sandbox};

async fn sandbox(dir: &tempfile::TempDir) -> Sandbox {
    start(Config {
        port: 0,
        data_dir: dir.path().to_owned(),
        ..Config::default()
    })
    .await
    .expect("sandbox starts")
}

#[tokio::test]
async fn status_and_config() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = sandbox(&dir).await;
    let client = Client::new(&sandbox.url(), Credentials::Bearer(sandbox.api_key.clone())).unwrap();
    let status = client.kino().system().get_status().await.unwrap();
    assert!(!status.version.is_empty());
    let config = client.kino().config().get().await.unwrap();
    assert_eq!(config.api_key, "***");
    assert_eq!(config.id, 1);

    // X-Api-Key works as well as Bearer.
    let client = Client::new(
        &sandbox.url(),
        Credentials::ApiKeyHeader(sandbox.api_key.clone()),
    )
    .unwrap();
    client.kino().config().get().await.unwrap();
    sandbox.shutdown().await;
}

#[tokio::test]
async fn wrong_key_is_unauthorized() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = sandbox(&dir).await;
    let client = Client::new(&sandbox.url(), Credentials::Bearer("nope".into())).unwrap();
    let error = client.kino().config().get().await.unwrap_err();
    // Kino's middleware answers 401 with an empty body, so there is no server code.
    assert_eq!(
        (error.kind, error.status, error.code.as_deref()),
        (ErrorKind::Unauthorized, Some(401), None)
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn unreachable_server_is_a_network_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let url = format!("http://127.0.0.1:{port}");
    let client = Client::builder(&url, Credentials::None)
        .retry(kinlink::RetryPolicy::none())
        .build()
        .unwrap();
    let error = client.kino().system().get_status().await.unwrap_err();
    assert_eq!(error.kind, ErrorKind::Network);
    assert!(error.message.contains(&url), "{}", error.message);
}

#[tokio::test]
async fn config_updates_are_partial_and_history_pages_through_them() {
    use futures_util::StreamExt;
    use kinlink::kino::{ConfigUpdate, HistoryListQuery};

    let dir = tempfile::tempdir().unwrap();
    let sandbox = sandbox(&dir).await;
    let client = Client::new(&sandbox.url(), Credentials::Bearer(sandbox.api_key.clone())).unwrap();
    let before = client.kino().config().get().await.unwrap();
    for minutes in 20..25 {
        let update = ConfigUpdate {
            auto_search_interval: Some(minutes),
            ..ConfigUpdate::default()
        };
        let after = client.kino().config().update(&update).await.unwrap();
        assert_eq!(after.auto_search_interval, minutes);
        assert_eq!(
            after.movie_naming_format, before.movie_naming_format,
            "fields not sent are kept"
        );
    }

    let first = client
        .kino()
        .history()
        .list(&HistoryListQuery {
            limit: Some(2),
            ..HistoryListQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(first.results.len(), 2);
    assert!(first.has_more && first.next_cursor.is_some());
    assert!(first.results[0].id > first.results[1].id, "newest first");

    let all: Vec<_> = client
        .kino()
        .history()
        .list_all(&HistoryListQuery {
            limit: Some(2),
            ..HistoryListQuery::default()
        })
        .collect()
        .await;
    let ids: Vec<i64> = all.into_iter().map(|entry| entry.unwrap().id).collect();
    assert_eq!(
        ids,
        vec![5, 4, 3, 2, 1],
        "three pages of 2, 2 and 1 walked in order"
    );

    let none: Vec<_> = client
        .kino()
        .history()
        .list_all(&HistoryListQuery {
            event_types: Some("movie_added".into()),
            ..HistoryListQuery::default()
        })
        .collect()
        .await;
    assert!(none.is_empty());
    sandbox.shutdown().await;
}
