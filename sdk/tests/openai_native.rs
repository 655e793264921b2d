//! The native backend against an in-process sandbox with fault switches: streaming, cancellation,
//! retries, timeouts and every server variation the SDK must accept.
#![cfg(not(target_arch = "wasm32"))]

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use kinlink::openai::{
    ChatCompletionRequest, ChatMessage, FinishReason, FunctionDefinition, StreamOptions, Tool,
};
use kinlink::{Client, Credentials, ErrorKind, RetryPolicy};
use kinlink_sandbox::{start, Config, Sandbox};
use serde_json::{json, Value};

struct Harness {
    sandbox: Sandbox,
    _dir: tempfile::TempDir,
}

impl Harness {
    async fn new(token_delay_ms: u64) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let config = Config {
            port: 0,
            data_dir: dir.path().to_owned(),
            faults: true,
            token_delay_ms,
            ..Config::default()
        };
        Harness {
            sandbox: start(config).await.expect("sandbox starts"),
            _dir: dir,
        }
    }

    fn client(&self) -> Client {
        self.builder().build().unwrap()
    }

    fn builder(&self) -> kinlink::ClientBuilder {
        Client::builder(
            &self.sandbox.url(),
            Credentials::Bearer(self.sandbox.api_key.clone()),
        )
    }

    /// Arms a fault on the sandbox (test-only control endpoint).
    async fn arm(&self, fault: Value) {
        let client = self.client();
        let transport = client.transport();
        transport
            .empty(
                kinlink::transport::Method::Post,
                "/__sandbox/faults",
                &[],
                Some(&fault),
                &Default::default(),
            )
            .await
            .expect("fault armed");
    }
}

fn request(model: &str, prompt: &str) -> ChatCompletionRequest {
    let mut request = ChatCompletionRequest::new(
        model,
        vec![ChatMessage::system("be brief"), ChatMessage::user(prompt)],
    );
    request.stream_options = Some(StreamOptions {
        include_usage: true,
    });
    request
}

#[tokio::test]
async fn models_create_and_agent_run() {
    let h = Harness::new(0).await;
    let client = h.client();
    let models = client.models().list().await.unwrap();
    assert!(models.iter().any(|m| m.id == "sandbox-echo"), "{models:?}");

    let completion = client
        .chat()
        .create(&request("sandbox-echo", "hello there"))
        .await
        .unwrap();
    let choice = &completion.choices[0];
    assert!(choice
        .message
        .content
        .as_deref()
        .unwrap()
        .contains("hello there"));
    assert_eq!(choice.finish_reason, Some(FinishReason::Stop));
    assert!(completion.usage.unwrap().total_tokens > 0);

    let run = client.agents().run("echo", "ping").await.unwrap();
    assert_eq!(run.status.as_deref(), Some("completed"));
    let missing = client.agents().run("no/such agent", "x").await.unwrap_err();
    assert_eq!(missing.kind, ErrorKind::NotFound);
    h.sandbox.shutdown().await;
}

#[tokio::test]
async fn stream_to_the_end_with_usage() {
    let h = Harness::new(1).await;
    let mut stream = h
        .client()
        .chat()
        .stream(&request("sandbox-echo", "stream me"))
        .await
        .unwrap();
    let mut chunks = 0;
    let mut accumulator = kinlink::openai::ChatAccumulator::default();
    while let Some(chunk) = stream.next().await {
        accumulator.push(&chunk.unwrap());
        chunks += 1;
    }
    let completion = accumulator.finish();
    assert!(chunks > 3);
    assert!(completion.choices[0]
        .message
        .content
        .as_deref()
        .unwrap()
        .contains("stream me"));
    assert_eq!(
        completion.choices[0].finish_reason,
        Some(FinishReason::Stop)
    );
    assert!(
        completion.usage.is_some(),
        "include_usage gives a usage chunk"
    );
    h.sandbox.shutdown().await;
}

#[tokio::test]
async fn streamed_tool_call_is_assembled() {
    let h = Harness::new(0).await;
    let mut req = request("sandbox-tools", "please call the weather tool for Paris");
    req.tools = vec![Tool {
        kind: "function".into(),
        function: FunctionDefinition {
            name: "weather".into(),
            description: None,
            parameters: Some(json!({"type": "object"})),
        },
    }];
    let completion = h
        .client()
        .chat()
        .stream(&req)
        .await
        .unwrap()
        .final_completion()
        .await
        .unwrap();
    let message = &completion.choices[0].message;
    assert_eq!(message.tool_calls.len(), 1);
    assert_eq!(message.tool_calls[0].function.name, "weather");
    let args: Value = serde_json::from_str(&message.tool_calls[0].function.arguments)
        .expect("arguments are whole JSON");
    assert!(args.is_object());
    assert_eq!(
        completion.choices[0].finish_reason,
        Some(FinishReason::ToolCalls)
    );
    h.sandbox.shutdown().await;
}

#[tokio::test]
async fn dropping_the_stream_aborts_it() {
    let h = Harness::new(50).await;
    let client = h.client();
    let started = Instant::now();
    let mut stream = client
        .chat()
        .stream(&request("sandbox-long", "go"))
        .await
        .unwrap();
    for _ in 0..3 {
        stream.next().await.unwrap().unwrap();
    }
    drop(stream);
    // sandbox-long at 50 ms a token would take many seconds; the drop returned at once.
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    // The client is still usable.
    client.models().list().await.unwrap();
    h.sandbox.shutdown().await;
}

#[tokio::test]
async fn rate_limited_twice_then_success_waits_for_retry_after() {
    let h = Harness::new(0).await;
    h.arm(json!({"fault": "rate_limit", "times": 2, "retry_after_ms": 300, "path": "/v1/chat/completions"})).await;
    let started = Instant::now();
    let completion = h
        .client()
        .chat()
        .create(&request("sandbox-echo", "hi"))
        .await
        .expect("third attempt succeeds");
    let waited = started.elapsed();
    assert!(completion.choices[0].message.content.is_some());
    assert!(
        waited >= Duration::from_millis(600),
        "two real waits of 300 ms, got {waited:?}"
    );

    // Retry-After in seconds, and the error carries it when retries are off.
    h.arm(json!({"fault": "rate_limit", "times": 1, "retry_after": "7"}))
        .await;
    let client = h.builder().retry(RetryPolicy::none()).build().unwrap();
    let error = client.models().list().await.unwrap_err();
    assert_eq!(
        (error.kind, error.status),
        (ErrorKind::RateLimited, Some(429))
    );
    assert_eq!(error.retry_after, Some(Duration::from_secs(7)));
    h.sandbox.shutdown().await;
}

#[tokio::test]
async fn unavailable_until_retries_are_exhausted() {
    let h = Harness::new(0).await;
    h.arm(json!({"fault": "unavailable", "times": 3, "path": "/v1/models"}))
        .await;
    let policy = RetryPolicy {
        max_retries: 2,
        initial_delay: Duration::from_millis(20),
        ..RetryPolicy::default()
    };
    let client = h.builder().retry(policy).build().unwrap();
    let error = client.models().list().await.unwrap_err();
    assert_eq!(
        (error.kind, error.status),
        (ErrorKind::Unavailable, Some(503))
    );
    // All three armed faults were used by the three attempts: the next call succeeds.
    client
        .models()
        .list()
        .await
        .expect("the faults are used up");

    // A POST with effects (an agent run) is not retried.
    h.arm(json!({"fault": "unavailable", "times": 1, "path": "/v1/agents"}))
        .await;
    let error = client.agents().run("echo", "x").await.unwrap_err();
    assert_eq!(error.kind, ErrorKind::Unavailable);
    client
        .agents()
        .run("echo", "x")
        .await
        .expect("only one attempt was made");
    h.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_stalled_stream_times_out_instead_of_hanging() {
    let h = Harness::new(0).await;
    h.arm(json!({"fault": "stream_stall", "stall_ms": 30000}))
        .await;
    let client = h
        .builder()
        .stream_idle_timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    let started = Instant::now();
    let mut stream = client
        .chat()
        .stream(&request("sandbox-long", "x"))
        .await
        .unwrap();
    let mut error = None;
    while let Some(item) = stream.next().await {
        if let Err(e) = item {
            error = Some(e);
        }
    }
    let error = error.expect("a stall must end with an error");
    assert_eq!(error.kind, ErrorKind::Timeout);
    assert!(started.elapsed() < Duration::from_secs(5));
    h.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_cut_stream_and_an_error_event_are_typed_errors() {
    let h = Harness::new(0).await;
    h.arm(json!({"fault": "stream_cut"})).await;
    let error = h
        .client()
        .chat()
        .stream(&request("sandbox-long", "x"))
        .await
        .unwrap()
        .final_completion()
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Stream, "{error}");

    h.arm(json!({"fault": "stream_error"})).await;
    let error = h
        .client()
        .chat()
        .stream(&request("sandbox-long", "x"))
        .await
        .unwrap()
        .final_completion()
        .await
        .unwrap_err();
    assert_eq!(
        (error.kind, error.code.as_deref()),
        (ErrorKind::Stream, Some("stream_failed"))
    );
    h.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_cut_stream_says_how_many_events_arrived_and_keeps_the_cause() {
    let h = Harness::new(0).await;
    h.arm(json!({"fault": "stream_cut"})).await;
    let mut stream = h
        .client()
        .chat()
        .stream(&request("sandbox-long", "x"))
        .await
        .unwrap();
    let mut chunks = 0;
    let error = loop {
        match stream
            .next()
            .await
            .expect("a cut stream ends with an error")
        {
            Ok(_) => chunks += 1,
            Err(error) => break error,
        }
    };
    assert!(stream.next().await.is_none(), "nothing follows the error");
    // The sandbox cuts after the role chunk and two content chunks, one SSE event each.
    assert_eq!(chunks, 3);
    assert_eq!(error.kind, ErrorKind::Stream, "{error}");
    assert_eq!(
        error.message,
        "the server closed the connection before the stream finished (after 3 events)"
    );
    let cause = std::error::Error::source(&error).expect("the backend's error is the cause");
    assert!(
        cause
            .to_string()
            .contains("broke while reading the response"),
        "{cause}"
    );
    let reqwest_error = cause
        .source()
        .expect("reqwest's own error is kept below it");
    assert_eq!(reqwest_error.to_string(), "error decoding response body");
    h.sandbox.shutdown().await;
}

/// A JSON body cut short by the server (fewer bytes than its `content-length`) is named the same way,
/// with the bytes that arrived. A raw socket, because no well-behaved server framework sends this.
#[tokio::test]
async fn a_cut_json_body_says_how_many_bytes_arrived() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = vec![0; 4096];
        let _ = socket.read(&mut request).await.unwrap();
        socket
            .write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"data\":[",
            )
            .await
            .unwrap();
        socket.flush().await.unwrap();
        // Dropping the socket closes the connection 90 bytes short.
    });
    let client = Client::builder(&url, Credentials::None)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let error = client.models().list().await.unwrap_err();
    server.await.unwrap();
    assert_eq!(error.kind, ErrorKind::Stream, "{error}");
    assert_eq!(
        error.message,
        "the server closed the connection before the response body finished (after 9 bytes)"
    );
    assert!(std::error::Error::source(&error).is_some());
}

#[tokio::test]
async fn every_stream_quirk_is_accepted() {
    let h = Harness::new(0).await;
    let client = h.client();
    for quirk in [
        "no_space",
        "comments",
        "event_lines",
        "crlf",
        "no_role",
        "role_with_content",
        "finish_empty",
        "finish_absent",
        "finish_unknown",
        "usage_unasked",
        "usage_empty_delta",
        "extra_fields",
    ] {
        h.arm(json!({"fault": "quirk", "quirks": [quirk]})).await;
        let completion = client
            .chat()
            .stream(&request("sandbox-echo", "quirky"))
            .await
            .unwrap()
            .final_completion()
            .await;
        let completion = completion.unwrap_or_else(|e| panic!("{quirk}: {e}"));
        let text = completion.choices[0]
            .message
            .content
            .clone()
            .unwrap_or_default();
        assert!(text.contains("quirky"), "{quirk}: {text:?}");
    }
    for quirk in ["tool_stop", "tool_dropped"] {
        h.arm(json!({"fault": "quirk", "quirks": [quirk]})).await;
        let mut req = request("sandbox-tools", "call the lookup tool");
        req.tools = vec![Tool {
            kind: "function".into(),
            function: FunctionDefinition {
                name: "lookup".into(),
                description: None,
                parameters: None,
            },
        }];
        let completion = client
            .chat()
            .stream(&req)
            .await
            .unwrap()
            .final_completion()
            .await;
        let completion = completion.unwrap_or_else(|e| panic!("{quirk}: {e}"));
        let calls = completion.choices[0].message.tool_calls.len();
        assert_eq!(calls, if quirk == "tool_stop" { 1 } else { 0 }, "{quirk}");
    }
    h.sandbox.shutdown().await;
}

#[tokio::test]
async fn error_shapes_from_the_wire() {
    let h = Harness::new(0).await;
    let client = h.builder().retry(RetryPolicy::none()).build().unwrap();
    let cases = [
        ("overloaded_529", ErrorKind::Unavailable, Some(529)),
        ("text_plain_error", ErrorKind::Server, Some(500)),
        ("html_502", ErrorKind::Unavailable, Some(502)),
        ("top_level_message", ErrorKind::BadRequest, Some(400)),
        ("code_number", ErrorKind::BadRequest, Some(400)),
        ("empty_body_401", ErrorKind::Unauthorized, Some(401)),
    ];
    for (fault, kind, status) in cases {
        h.arm(json!({"fault": fault})).await;
        let error = client.models().list().await.unwrap_err();
        assert_eq!(
            (error.kind, error.status),
            (kind, status),
            "{fault}: {error}"
        );
        assert!(!error.message.is_empty(), "{fault}");
        match fault {
            "text_plain_error" | "html_502" => assert!(error.body_excerpt.is_some(), "{fault}"),
            "top_level_message" => assert_eq!(error.message, "bad thing"),
            "code_number" => assert_eq!(error.code.as_deref(), Some("1234")),
            _ => {}
        }
    }
    let wrong = Client::new(&h.sandbox.url(), Credentials::Bearer("nope".into())).unwrap();
    let error = wrong.models().list().await.unwrap_err();
    assert_eq!(
        (error.kind, error.code.as_deref()),
        (ErrorKind::Unauthorized, Some("invalid_api_key"))
    );
    let error = h
        .client()
        .chat()
        .create(&ChatCompletionRequest::new("sandbox-echo", vec![]))
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::BadRequest);
    assert_eq!(error.param.as_deref(), Some("messages"));
    h.sandbox.shutdown().await;
}

#[tokio::test]
async fn request_timeout_covers_a_slow_first_byte() {
    let h = Harness::new(0).await;
    h.arm(json!({"fault": "first_byte_delay", "delay_ms": 3000}))
        .await;
    let client = h
        .builder()
        .timeout(Duration::from_millis(300))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.models().list().await.unwrap_err();
    assert_eq!(error.kind, ErrorKind::Timeout);
    assert!(started.elapsed() < Duration::from_secs(2));
    h.sandbox.shutdown().await;
}
