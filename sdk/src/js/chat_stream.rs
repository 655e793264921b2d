//! `ChatCompletionStream`: the chunks of a streamed completion as a JS async iterable, plus
//! `finalCompletion()` assembling them.
//!
//! Each chunk reaches JS as the server sent it (every field, absent ones absent): the Rust stream keeps
//! each event's JSON text beside the typed chunk it decoded, and a batch of texts becomes one array with
//! one `JSON.parse`, which builds JS objects faster than converting Rust values field by field. Rust
//! still decodes every chunk, so errors, timeouts and the accumulator stay the one implementation.

use std::cell::RefCell;
use std::rc::Rc;

use futures_util::StreamExt;
use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use web_sys::AbortSignal;

use super::error::to_js_error;
use super::item_stream::BatchReader;
use super::to_js;
use crate::openai::{ChatAccumulator, ChatStream};
use crate::{ApiError, ErrorKind};

#[wasm_bindgen(typescript_custom_section)]
const STREAM_TS: &str = r#"
export interface ChatCompletionStream extends AsyncIterable<ChatCompletionChunk> {
  [Symbol.asyncIterator](): AsyncIterator<ChatCompletionChunk>;
  /** The async-iterator protocol: the next chunk, or `done` at the end. */
  next(): Promise<IteratorResult<ChatCompletionChunk, undefined>>;
  /** Called by `for await` on `break`: aborts the request. */
  return(): Promise<IteratorResult<ChatCompletionChunk, undefined>>;
}

/** Chunks are handed over as the server sent them: these fields too, when it sent them. */
export interface ChatCompletionChunk {
  /** `"chat.completion.chunk"`. */
  object?: string;
  system_fingerprint?: string | null;
  service_tier?: string | null;
}

export interface ChunkChoice {
  /** Token log probabilities, when asked for. */
  logprobs?: Record<string, unknown> | null;
}
"#;

/// Chunk texts → one JS array, parsed by the engine in one call.
fn parsed_array(texts: Vec<String>) -> Result<JsValue, ApiError> {
    let mut json = String::with_capacity(texts.iter().map(|t| t.len() + 1).sum::<usize>() + 2);
    json.push('[');
    for (i, text) in texts.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(text);
    }
    json.push(']');
    js_sys::JSON::parse(&json).map_err(|_| {
        // Rust decoded each text already, so the engine refusing one is a bug, not bad input.
        ApiError::new(
            ErrorKind::Decode,
            "a stream chunk could not be handed to JavaScript",
        )
    })
}

/// The chunks of a streamed completion, for `for await (const chunk of stream)`. Breaking out of the
/// loop, `close()`, or the call's `AbortSignal` abort the request; after that no chunk is delivered.
#[wasm_bindgen(js_name = ChatCompletionStream)]
pub struct JsChatStream {
    reader: BatchReader<String>,
    accumulator: Rc<RefCell<ChatAccumulator>>,
}

impl JsChatStream {
    pub(crate) fn wrap(stream: ChatStream, signal: Option<AbortSignal>) -> JsValue {
        let accumulator = Rc::new(RefCell::new(ChatAccumulator::default()));
        let sink = accumulator.clone();
        // Every chunk read, by iteration or by finalCompletion, also goes into the accumulator.
        let texts = stream.with_json().map(move |sent| {
            let sent = sent?;
            sink.borrow_mut().push(&sent.chunk);
            Ok(sent.json)
        });
        let reader = BatchReader::new(Box::pin(texts), signal, parsed_array);
        let iterable = reader.clone();
        iterable.iterable(
            JsChatStream {
                reader,
                accumulator,
            }
            .into(),
        )
    }
}

#[wasm_bindgen(js_class = ChatCompletionStream)]
impl JsChatStream {
    /// Every chunk that has arrived since the last read (at least one), or `undefined` at the end: for
    /// consumers that handle a network read at a time.
    #[wasm_bindgen(
        js_name = nextBatch,
        unchecked_return_type = "Promise<ChatCompletionChunk[] | undefined>"
    )]
    pub fn next_batch(&self) -> Promise {
        self.reader.next_batch()
    }

    /// Aborts the request; the iteration ends and no further chunk is delivered.
    pub fn close(&self) {
        self.reader.close();
    }

    /// Reads the rest of the stream and resolves with the assembled completion (text, tool calls put
    /// together from their fragments, finish reason and usage), including chunks already iterated.
    #[wasm_bindgen(js_name = finalCompletion, unchecked_return_type = "Promise<ChatCompletion>")]
    pub fn final_completion(&self) -> Promise {
        let reader = self.reader.clone();
        let accumulator = self.accumulator.clone();
        future_to_promise(async move {
            reader.drain().await.map_err(|e| to_js_error(&e))?;
            let completion = accumulator.borrow().finish();
            to_js(&completion)
        })
    }
}
