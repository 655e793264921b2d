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
