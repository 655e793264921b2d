//! One round of the chat-stream figure for the native SDK (scripts/bench): streams a completion from
//! SERVER_URL through the native client and prints `{"chunks", "chars", "ms"}` as JSON.
//!
//!     cargo run --release -p kinlink --example stream_decode -- http://127.0.0.1:PORT

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    use futures_util::StreamExt;
    use kinlink::openai::{ChatCompletionRequest, ChatMessage};
    use kinlink::{Client, Credentials, RetryPolicy};

    let url = std::env::args()
        .nth(1)
        .ok_or("usage: stream_decode SERVER_URL")?;
    let client = Client::builder(&url, Credentials::Bearer("bench-key".into()))
        .retry(RetryPolicy::none())
        .build()?;
    let request = ChatCompletionRequest::new("gpt-bench", vec![ChatMessage::user("bench")]);
    let start = std::time::Instant::now();
    let mut stream = client.chat().stream(&request).await?;
    let (mut chunks, mut chars) = (0u64, 0usize);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        chunks += 1;
        chars += chunk
            .choices
            .first()
            .and_then(|c| c.delta.content.as_deref())
            .map_or(0, |text| text.chars().count());
    }
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    println!(r#"{{"chunks":{chunks},"chars":{chars},"ms":{ms}}}"#);
    Ok(())
}
