//! Helpers for tests that drive the sandbox in-process (`oneshot`), a real `kinlink-sandbox`
//! process or a real socket.
#![allow(dead_code)] // each test file uses a different part

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const KEY: &str = "test-key-0123";

/// A sandbox process on a free port; killed (SIGKILL) when dropped.
pub struct Process {
    pub child: Child,
    pub addr: SocketAddr,
    pub ready_file: PathBuf,
}

impl Process {
    /// Starts the binary on `data` with `extra` flags and waits for its ready file.
    pub fn start(data: &Path, extra: &[&str]) -> Process {
        let ready_file = data.with_extension(format!("ready-{}.json", fastrand_suffix()));
        let _ = std::fs::remove_file(&ready_file);
        let child = Command::new(env!("CARGO_BIN_EXE_kinlink-sandbox"))
            .args(["--port", "0", "--api-key", KEY, "--token-delay-ms", "0"])
            .arg("--data")
            .arg(data)
            .arg("--ready-file")
            .arg(&ready_file)
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the sandbox binary starts");
        let until = Instant::now() + Duration::from_secs(30);
        let url = loop {
            if let Ok(text) = std::fs::read_to_string(&ready_file) {
                let value: serde_json::Value = serde_json::from_str(&text).expect("ready JSON");
                break value["url"].as_str().unwrap().to_owned();
            }
            assert!(Instant::now() < until, "the sandbox did not become ready");
            std::thread::sleep(Duration::from_millis(20));
        };
        let addr = url
            .trim_start_matches("http://")
            .parse()
            .expect("ready url is host:port");
        Process {
            child,
            addr,
            ready_file,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL, as a crash or `kill -9` would.
    pub fn kill_hard(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn fastrand_suffix() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A parsed HTTP/1.1 response (the body de-chunked when chunked).
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl RawResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends one request on a new connection (`Connection: close`) and reads the whole response.
pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<RawResponse> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse_response(&raw)
}

/// Splits head and body; de-chunks a chunked body.
pub fn parse_response(raw: &[u8]) -> std::io::Result<RawResponse> {
    let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| bad("no end of head"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("no status"))?;
    let mut body = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    Ok(RawResponse { status, head, body })
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&data[..line_end])
                .split(';')
                .next()
                .unwrap_or("")
                .trim(),
            16,
        )
        .unwrap_or(0);
        data = &data[line_end + 2..];
        if size == 0 || data.len() < size {
            out.extend_from_slice(&data[..size.min(data.len())]);
            break;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[(size + 2).min(data.len())..];
    }
    out
}

/// Reads until the peer closes or `deadline` passes; true when it closed.
pub fn closed_within(stream: &mut TcpStream, deadline: Duration) -> (bool, Vec<u8>) {
    let until = Instant::now() + deadline;
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let Some(left) = until
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
        else {
            return (false, seen);
        };
        stream.set_read_timeout(Some(left)).unwrap();
        match stream.read(&mut buf) {
            Ok(0) => return (true, seen),
            Ok(n) => seen.extend_from_slice(&buf[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return (false, seen)
            }
            // Reset by the peer: closed too.
            Err(_) => return (true, seen),
        }
    }
}

/// The `config_changed` history rows, counted over every page.
pub fn count_config_changes(addr: SocketAddr) -> usize {
    let mut count = 0;
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/history?limit=100&event_type=config_changed&cursor={c}"),
            None => "/api/v1/history?limit=100&event_type=config_changed".to_owned(),
        };
        let page = request(addr, "GET", &path, &[("x-api-key", KEY)], b"")
            .expect("history page")
            .json();
        count += page["results"].as_array().expect("results").len();
        match page["next_cursor"].as_str() {
            Some(next) if page["has_more"] == true => cursor = Some(next.to_owned()),
            _ => return count,
        }
    }
}

/// An in-process response, body collected.
pub struct Reply {
    pub status: axum::http::StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: axum::body::Bytes,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Sends `req` through the app in-process.
pub async fn send(app: &axum::Router, req: axum::http::Request<axum::body::Body>) -> Reply {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let response = app.clone().oneshot(req).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Reply {
        status,
        headers,
        body,
    }
}

/// A concrete path for a template: every `{parameter}` segment replaced by `value`.
pub fn concrete_path(template: &str, value: &str) -> String {
    template
        .split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                value
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}
