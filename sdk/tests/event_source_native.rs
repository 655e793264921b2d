//! A reconnecting GET event stream against a hand-written server that drops the connection.
#![cfg(not(target_arch = "wasm32"))]

use std::time::Duration;

use futures_util::StreamExt;
use kinlink::{Client, Credentials, ErrorKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

async fn read_head(socket: &mut tokio::net::TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if socket.read(&mut byte).await.unwrap() == 0 {
            break;
        }
        head.push(byte[0]);
    }
    String::from_utf8(head).unwrap().to_ascii_lowercase()
}

const OK_HEAD: &str =
    "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n";

#[tokio::test]
async fn reconnects_with_last_event_id_after_the_server_retry_delay() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        let (mut first, _) = listener.accept().await.unwrap();
        let head = read_head(&mut first).await;
        assert!(head.starts_with("get /feed "), "{head}");
        assert!(head.contains("authorization: bearer k"));
        assert!(!head.contains("last-event-id"));
        first
            .write_all(format!("{OK_HEAD}retry: 50\nid: 1\nevent: note\ndata: one\n\n").as_bytes())
            .await
            .unwrap();
        drop(first);
        let (mut second, _) = listener.accept().await.unwrap();
        let head = read_head(&mut second).await;
        assert!(head.contains("last-event-id: 1"), "{head}");
        second
            .write_all(format!("{OK_HEAD}data: two\n\n").as_bytes())
            .await
            .unwrap();
        drop(second);
        // Third connection: the feed is gone.
        let (mut third, _) = listener.accept().await.unwrap();
        read_head(&mut third).await;
        third
            .write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            .await
            .unwrap();
    });

    let client = Client::new(&url, Credentials::Bearer("k".into())).unwrap();
    let mut events = client.event_source("/feed", Default::default());
    let one = tokio::time::timeout(Duration::from_secs(5), events.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(
        (one.event.as_str(), one.data.as_str(), one.id.as_deref()),
        ("note", "one", Some("1"))
    );
    let two = tokio::time::timeout(Duration::from_secs(5), events.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(
        (two.data.as_str(), two.id.as_deref()),
        ("two", Some("1")),
        "the last event id carries over"
    );
    let end = tokio::time::timeout(Duration::from_secs(5), events.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap_err();
    assert_eq!(
        end.kind,
        ErrorKind::NotFound,
        "a 404 ends the stream instead of reconnecting forever"
    );
    assert!(events.next().await.is_none());
    server.await.unwrap();
}
