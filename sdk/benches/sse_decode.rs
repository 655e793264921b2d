//! The native SSE parser and chat-chunk decoder on a 4 MB OpenAI-style stream in 16 KiB reads:
//! `cargo bench -p kinlink --bench sse_decode` (divan prints time per run; throughput in bytes).

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    divan::main();
}

#[cfg(not(target_arch = "wasm32"))]
mod benches {
    use divan::counter::BytesCount;
    use divan::Bencher;
    use futures_util::{FutureExt, StreamExt};
    use kinlink::openai::ChatStream;
    use kinlink::transport::sse::SseParser;
    use kinlink::transport::ByteStream;

    const READ: usize = 16 * 1024;

    fn body() -> Vec<u8> {
        let mut text = String::new();
        let mut i = 0;
        while text.len() < 4 * 1024 * 1024 {
            text.push_str(&format!(
                "data: {{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1764633600,\"model\":\"gpt-bench\",\"system_fingerprint\":\"fp_bench\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"word{i} \"}},\"logprobs\":null,\"finish_reason\":null}}]}}\n\n"
            ));
            i += 1;
        }
        text.push_str("data: {\"id\":\"chatcmpl-bench\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
        text.into_bytes()
    }

    #[divan::bench]
    fn sse_parser(bencher: Bencher) {
        let body = body();
        bencher.counter(BytesCount::new(body.len())).bench(|| {
            let mut parser = SseParser::new();
            let mut events = 0usize;
            for read in body.chunks(READ) {
                parser.feed(read);
                while parser.next_event().is_some() {
                    events += 1;
                }
            }
            events
        });
    }

    #[divan::bench]
    fn chat_stream_decode(bencher: Bencher) {
        let body = body();
        bencher
            .counter(BytesCount::new(body.len()))
            .with_inputs(|| {
                let reads: Vec<Result<Vec<u8>, kinlink::ApiError>> =
                    body.chunks(READ).map(|c| Ok(c.to_vec())).collect();
                let stream: ByteStream = Box::pin(futures_util::stream::iter(reads));
                ChatStream::from_body(stream)
            })
            .bench_values(|mut stream| {
                let mut chunks = 0usize;
                while let Some(chunk) = stream.next().now_or_never().expect("in memory") {
                    chunk.expect("a chunk");
                    chunks += 1;
                }
                chunks
            });
    }
}
