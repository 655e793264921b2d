//! The sandbox holds its memory and its sockets under hostile clients: the largest accepted prompt
//! streams in bounded memory, silent or slow connections are closed, the connection cap holds, and a
//! shutdown tells streaming clients so.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use kinlink_sandbox::{Config, ServerLimits};
use serde_json::json;
use support::{closed_within, request, Process, KEY};

/// The prompt cap (`PROMPT_CAP_BYTES` in the sandbox): 1 MiB of message text.
const PROMPT_CAP_BYTES: usize = 1024 * 1024;

/// Peak resident memory the sandbox may add while streaming the largest accepted prompt back.
/// The reply is ~150,000 chunks (~40 MB of SSE); built up front it cost over 1 GB. Measured here
/// at ~4 MB; the bound leaves a wide margin for allocator and platform differences.
const STREAM_PEAK_GROWTH_MAX_KB: u64 = 64 * 1024;

fn peak_rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/PID/status")
}

fn chat_body(text: &str, stream: bool) -> Vec<u8> {
    json!({"model": "sandbox-echo", "stream": stream,
        "messages": [{"role": "user", "content": text}]})
    .to_string()
    .into_bytes()
}

#[cfg(target_os = "linux")]
#[test]
fn largest_prompt_streams_in_bounded_memory_and_a_larger_one_is_a_400() {
    let dir = tempfile::tempdir().unwrap();
    let process = Process::start(&dir.path().join("data"), &[]);
    let addr = process.addr;
    // Warm up (first request paths, thread pools) before taking the baseline.
    let _ = request(
        addr,
        "POST",
        "/v1/chat/completions",
        &[("authorization", &format!("Bearer {KEY}"))],
        &chat_body("hi", true),
    )
    .unwrap();
    let baseline = peak_rss_kb(process.pid());

    let word = "tokens ";
    let prompt = word.repeat(PROMPT_CAP_BYTES / word.len());
    assert!(prompt.len() <= PROMPT_CAP_BYTES);
    let body = chat_body(&prompt, true);
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    write!(stream, "POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer {KEY}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n", body.len()).unwrap();
    stream.write_all(&body).unwrap();
    // Read it all without keeping it: count bytes and look for the end marker.
    let (mut total, mut tail) = (0usize, Vec::new());
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = stream.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        total += n;
        tail.extend_from_slice(&buf[..n]);
        let keep = tail.len().saturating_sub(64);
        tail.drain(..keep);
    }
    assert!(
        String::from_utf8_lossy(&tail).contains("[DONE]"),
        "stream did not finish"
    );
    assert!(total > 10 * PROMPT_CAP_BYTES, "{total} bytes streamed");
    let growth = peak_rss_kb(process.pid()).saturating_sub(baseline);
    assert!(
        growth < STREAM_PEAK_GROWTH_MAX_KB,
        "peak RSS grew by {growth} kB (baseline {baseline} kB)"
    );

    // 1.9 MB: under the 2 MiB body limit, over the prompt cap.
    let too_long = "tokens ".repeat(1_900_000 / 7);
    let reply = request(
        addr,
        "POST",
        "/v1/chat/completions",
        &[
            ("authorization", &format!("Bearer {KEY}")),
            ("content-type", "application/json"),
        ],
        &chat_body(&too_long, true),
    )
    .unwrap();
    assert_eq!(reply.status, 400, "{}", reply.text());
    let error = &reply.json()["error"];
    assert_eq!(error["code"], "context_length_exceeded");
    assert_eq!(error["param"], "messages");
    assert_eq!(error["type"], "invalid_request_error");
    process.kill_hard();
}

async fn sandbox_with(limits: ServerLimits, dir: &tempfile::TempDir) -> kinlink_sandbox::Sandbox {
    kinlink_sandbox::start(Config {
        port: 0,
        data_dir: dir.path().join("data"),
        api_key: Some(KEY.to_owned()),
        token_delay_ms: 0,
        limits,
        ..Config::default()
    })
    .await
    .unwrap()
}

/// Generous: the server's deadlines here are a few hundred ms.
const CLOSE_DEADLINE: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_slow_and_idle_connections_are_closed() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = sandbox_with(
        ServerLimits {
            header_read_timeout: Duration::from_millis(300),
            body_idle_timeout: Duration::from_millis(300),
            max_connections: 64,
        },
        &dir,
    )
    .await;
    let addr = sandbox.addr;
    tokio::task::spawn_blocking(move || {
        // Nothing sent at all.
        let mut silent = TcpStream::connect(addr).unwrap();
        let (closed, seen) = closed_within(&mut silent, CLOSE_DEADLINE);
        assert!(closed, "a silent connection stayed open");
        assert!(!String::from_utf8_lossy(&seen).contains("200 OK"));

        // Half the headers.
        let mut half = TcpStream::connect(addr).unwrap();
        half.write_all(b"GET /api/v1/status HTTP/1.1\r\nhost: 127.0.0.1\r\n").unwrap();
        let (closed, seen) = closed_within(&mut half, CLOSE_DEADLINE);
        assert!(closed, "half-sent headers kept the connection open");
        assert!(!String::from_utf8_lossy(&seen).contains("200 OK"));

        // Headers, then half the body.
        let mut body = TcpStream::connect(addr).unwrap();
        write!(body, "PUT /api/v1/config HTTP/1.1\r\nhost: 127.0.0.1\r\nx-api-key: {KEY}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{{\"base_url\":").unwrap();
        let (closed, seen) = closed_within(&mut body, CLOSE_DEADLINE);
        let seen = String::from_utf8_lossy(&seen);
        assert!(closed, "a stalled body kept the connection open");
        assert!(!seen.contains("200 OK"), "{seen}");

        // A finished request on a keep-alive connection, then nothing.
        let mut idle = TcpStream::connect(addr).unwrap();
        idle.write_all(b"GET /api/v1/status HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n").unwrap();
        let (closed, seen) = closed_within(&mut idle, CLOSE_DEADLINE);
        assert!(String::from_utf8_lossy(&seen).starts_with("HTTP/1.1 200 OK"));
        assert!(closed, "an idle keep-alive connection stayed open");
    })
    .await
    .unwrap();
    // Nothing was written by the stalled PUT.
    let config = request(addr, "GET", "/api/v1/config", &[("x-api-key", KEY)], b"");
    let config = tokio::task::spawn_blocking(move || config)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(config.json()["base_url"], "");
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_over_the_cap_wait_until_one_closes() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = sandbox_with(
        ServerLimits {
            header_read_timeout: Duration::from_secs(60),
            max_connections: 1,
            ..ServerLimits::default()
        },
        &dir,
    )
    .await;
    let addr = sandbox.addr;
    tokio::task::spawn_blocking(move || {
        let holder = TcpStream::connect(addr).unwrap();
        std::thread::sleep(Duration::from_millis(100));
        let mut waiting = TcpStream::connect(addr).unwrap();
        waiting
            .write_all(
                b"GET /api/v1/status HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n",
            )
            .unwrap();
        // Not served while the only slot is taken (a served request answers in microseconds).
        waiting
            .set_read_timeout(Some(Duration::from_millis(500)))
            .unwrap();
        let mut buf = [0u8; 64];
        assert!(
            waiting.read(&mut buf).is_err(),
            "a connection over the cap was served"
        );
        drop(holder);
        let (closed, seen) = closed_within(&mut waiting, CLOSE_DEADLINE);
        assert!(closed);
        assert!(String::from_utf8_lossy(&seen).starts_with("HTTP/1.1 200 OK"));
    })
    .await
    .unwrap();
    sandbox.shutdown().await;
}

#[cfg(unix)]
#[test]
fn sigterm_ends_live_streams_with_a_server_shutdown_event() {
    let dir = tempfile::tempdir().unwrap();
    let mut process = Process::start(&dir.path().join("data"), &[]);
    let body = json!({"model": "sandbox-long", "stream": true, "sandbox_token_delay_ms": 100,
        "messages": [{"role": "user", "content": "go"}]})
    .to_string();
    let mut stream = TcpStream::connect(process.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(stream, "POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer {KEY}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}", body.len()).unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&seen).contains("Echo") {
        let n = stream.read(&mut buf).unwrap();
        assert!(n > 0, "stream ended early");
        seen.extend_from_slice(&buf[..n]);
    }
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &process.pid().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let (closed, rest) = closed_within(&mut stream, Duration::from_secs(15));
    seen.extend_from_slice(&rest);
    let text = String::from_utf8_lossy(&seen);
    assert!(closed, "the stream did not end on SIGTERM");
    assert!(text.contains(r#""code":"server_shutdown""#), "{text}");
    assert!(
        !text.contains("[DONE]"),
        "a cut reply must not look finished"
    );
    let status = process.child.wait().unwrap();
    assert!(status.success(), "{status}");
    assert!(!process.ready_file.exists(), "ready file removed on exit");
}
