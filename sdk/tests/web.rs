//! The SDK's browser backend in headless Chromium against a running sandbox.
//!
//! `scripts/test` starts the sandbox (with CORS for the test runner's origin) and passes its URL and key
//! at build time; a missing sandbox fails the tests instead of skipping them.
#![cfg(target_arch = "wasm32")]

use kinlink::{Client, Credentials, ErrorKind};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[allow(
    clippy::option_env_unwrap,
    reason = "`env!` would make every wasm build of the tests (clippy's too) need a running sandbox; \
              failing when a test runs without one is the intent"
)]
fn sandbox() -> (&'static str, &'static str) {
    let url = option_env!("KINLINK_SANDBOX_URL")
        .expect("KINLINK_SANDBOX_URL must be set when building the wasm tests");
    let key = option_env!("KINLINK_SANDBOX_KEY")
        .expect("KINLINK_SANDBOX_KEY must be set when building the wasm tests");
    (url, key)
}

#[wasm_bindgen_test]
async fn status_is_public_and_typed() {
    let (url, _) = sandbox();
    let client = Client::new(url, Credentials::None).unwrap();
    let status = client.kino().system().get_status().await.expect("status");
    assert!(!status.version.is_empty());
}

#[wasm_bindgen_test]
async fn config_with_the_key() {
    let (url, key) = sandbox();
    let client = Client::new(url, Credentials::Bearer(key.to_owned())).unwrap();
    let config = client.kino().config().get().await.expect("config");
    assert_eq!(config.id, 1);
    assert_eq!(config.api_key, "***", "the key comes back masked");
}

#[wasm_bindgen_test]
async fn wrong_key_is_an_unauthorized_api_error() {
    let (url, _) = sandbox();
    let client = Client::new(url, Credentials::Bearer("wrong-key".into())).unwrap();
    let error = client
        .kino()
        .config()
        .get()
        .await
        .expect_err("a wrong key must fail");
    assert_eq!(error.kind, ErrorKind::Unauthorized);
    assert_eq!(error.status, Some(401));
    // Kino's middleware answers 401 with an empty body, so there is no server code.
    assert_eq!(error.code, None);
}

#[wasm_bindgen_test]
async fn unreachable_server_is_a_network_error_naming_it() {
    // Port 9 (discard) on loopback: nothing listens there.
    let client = Client::builder("http://127.0.0.1:9", Credentials::None)
        .retry(kinlink::RetryPolicy::none())
        .build()
        .unwrap();
    let error = client
        .kino()
        .system()
        .get_status()
        .await
        .expect_err("nothing listens there");
    assert_eq!(error.kind, ErrorKind::Network);
    assert!(
        error.message.contains("http://127.0.0.1:9"),
        "{}",
        error.message
    );
    // The no-cors probe finds nothing there either: not a CORS refusal.
    assert_eq!(error.reached_server, Some(false), "{}", error.message);
}

mod openai {
    use std::time::Duration;

    use futures_util::StreamExt;
    use kinlink::openai::{ChatCompletionRequest, ChatMessage, FinishReason, StreamOptions};
    use kinlink::transport::Method;
    use kinlink::{Client, Credentials, ErrorKind, RetryPolicy};
    use serde_json::json;
    use wasm_bindgen_test::*;

    use super::sandbox;

    fn client() -> kinlink::ClientBuilder {
        let (url, key) = sandbox();
        Client::builder(url, Credentials::Bearer(key.to_owned()))
    }

    async fn arm(fault: serde_json::Value) {
        let client = client().build().unwrap();
        client
            .transport()
            .empty(
                Method::Post,
                "/__sandbox/faults",
                &[],
                Some(&fault),
                &Default::default(),
            )
            .await
            .expect("fault armed");
    }

    fn request(model: &str, prompt: &str) -> ChatCompletionRequest {
        let mut request = ChatCompletionRequest::new(model, vec![ChatMessage::user(prompt)]);
        request.stream_options = Some(StreamOptions {
            include_usage: true,
        });
        request
    }

    #[wasm_bindgen_test]
    async fn stream_to_the_end() {
        let completion = client()
            .build()
            .unwrap()
            .chat()
            .stream(&request("sandbox-echo", "from the browser"))
            .await
            .unwrap()
            .final_completion()
            .await
            .unwrap();
        assert!(completion.choices[0]
            .message
            .content
            .as_deref()
            .unwrap()
            .contains("from the browser"));
        assert_eq!(
            completion.choices[0].finish_reason,
            Some(FinishReason::Stop)
        );
        assert!(completion.usage.is_some());
    }

    #[wasm_bindgen_test]
    async fn dropping_the_stream_aborts_the_fetch() {
        let client = client().build().unwrap();
        let started = js_sys::Date::now();
        let mut stream = client
            .chat()
            .stream(&request("sandbox-long", "go"))
            .await
            .unwrap();
        stream.next().await.unwrap().unwrap();
        stream.next().await.unwrap().unwrap();
        drop(stream);
        assert!(js_sys::Date::now() - started < 3000.0);
        client
            .models()
            .list()
            .await
            .expect("the client still works after an abort");
    }

    #[wasm_bindgen_test]
    async fn rate_limited_twice_then_success_really_waits() {
        arm(json!({"fault": "rate_limit", "times": 2, "retry_after_ms": 250, "path": "/v1/chat/completions"})).await;
        let started = js_sys::Date::now();
        let completion = client()
            .build()
            .unwrap()
            .chat()
            .create(&request("sandbox-echo", "hi"))
            .await
            .expect("third attempt");
        let waited = js_sys::Date::now() - started;
        assert!(completion.choices[0].message.content.is_some());
        assert!(waited >= 500.0, "two waits of 250 ms, got {waited} ms");
    }

    #[wasm_bindgen_test]
    async fn rate_limit_error_carries_retry_after_when_not_retried() {
        arm(json!({"fault": "rate_limit", "times": 1, "retry_after": "4", "path": "/v1/models"}))
            .await;
        let error = client()
            .retry(RetryPolicy::none())
            .build()
            .unwrap()
            .models()
            .list()
            .await
            .unwrap_err();
        assert_eq!(
            (error.kind, error.status),
            (ErrorKind::RateLimited, Some(429))
        );
        assert_eq!(
            error.retry_after,
            Some(Duration::from_secs(4)),
            "Retry-After is exposed to the page by CORS"
        );
    }

    #[wasm_bindgen_test]
    async fn a_stall_is_an_idle_timeout() {
        arm(json!({"fault": "stream_stall", "stall_ms": 20000, "path": "/v1/chat/completions"}))
            .await;
        let client = client()
            .stream_idle_timeout(Duration::from_millis(400))
            .build()
            .unwrap();
        let started = js_sys::Date::now();
        let error = client
            .chat()
            .stream(&request("sandbox-long", "x"))
            .await
            .unwrap()
            .final_completion()
            .await
            .unwrap_err();
        assert_eq!(error.kind, ErrorKind::Timeout);
        assert!(js_sys::Date::now() - started < 5000.0);
    }
}
