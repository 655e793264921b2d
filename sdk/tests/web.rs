//! The SDK's browser backend in headless Chromium against a running sandbox.
//!
//! `scripts/test` starts the sandbox (with CORS for the test runner's origin) and passes its URL and key
//! at build time; a missing sandbox fails the tests instead of skipping them.
#![cfg(target_arch = "wasm32")]

use kinlink::{Client, Credentials, ErrorKind};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn sandbox() -> (&'static str, &'static str) {
    let url = option_env!("KINLINK_SANDBOX_URL").expect("KINLINK_SANDBOX_URL must be set when building the wasm tests");
    let key = option_env!("KINLINK_SANDBOX_KEY").expect("KINLINK_SANDBOX_KEY must be set when building the wasm tests");
    (url, key)
}

#[wasm_bindgen_test]
async fn status_is_public_and_typed() {
    let (url, _) = sandbox();
    let client = Client::new(url, Credentials::None).unwrap();
    let status = client.kino().status().await.expect("status");
    assert!(!status.version.is_empty());
    assert!(status.uptime_seconds.is_some());
}

#[wasm_bindgen_test]
async fn config_with_the_key() {
    let (url, key) = sandbox();
    let client = Client::new(url, Credentials::Bearer(key.to_owned())).unwrap();
    let config = client.kino().config().await.expect("config");
    assert_eq!(config.id, 1);
    assert_eq!(config.api_key, "***", "the key comes back masked");
}

#[wasm_bindgen_test]
async fn wrong_key_is_an_unauthorized_api_error() {
    let (url, _) = sandbox();
    let client = Client::new(url, Credentials::Bearer("wrong-key".into())).unwrap();
    let error = client.kino().config().await.expect_err("a wrong key must fail");
    assert_eq!(error.kind, ErrorKind::Unauthorized);
    assert_eq!(error.status, Some(401));
    assert_eq!(error.code.as_deref(), Some("unauthorized"));
}

#[wasm_bindgen_test]
async fn unreachable_server_is_a_network_error_naming_it() {
    // Port 9 (discard) on loopback: nothing listens there.
    let client = Client::builder("http://127.0.0.1:9", Credentials::None).retry(kinlink::RetryPolicy::none()).build().unwrap();
    let error = client.kino().status().await.expect_err("nothing listens there");
    assert_eq!(error.kind, ErrorKind::Network);
    assert!(error.message.contains("http://127.0.0.1:9"), "{}", error.message);
}
