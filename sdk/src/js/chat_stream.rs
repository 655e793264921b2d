//! `ChatCompletionStream`: the chunks of a streamed completion as a JS async iterable, plus
//! `finalCompletion()` assembling them.

use std::cell::RefCell;
use std::rc::Rc;

use futures_util::StreamExt;
use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use web_sys::AbortSignal;

use super::error::to_js_error;
use super::item_stream::{make_async_iterable, ItemReader};
use super::{to_js, to_js_value};
use crate::openai::{ChatAccumulator, ChatStream};

#[wasm_bindgen(typescript_custom_section)]
const STREAM_TS: &str = r#"
export interface ChatCompletionStream {
  [Symbol.asyncIterator](): AsyncIterator<ChatCompletionChunk>;
}
"#;

/// The chunks of a streamed completion, for `for await (const chunk of stream)`. Breaking out of the
/// loop, `close()`, or the call's `AbortSignal` abort the request; after that no chunk is delivered.
#[wasm_bindgen(js_name = ChatCompletionStream)]
pub struct JsChatStream {
    reader: ItemReader,
    accumulator: Rc<RefCell<ChatAccumulator>>,
}

impl JsChatStream {
    pub(crate) fn wrap(stream: ChatStream, signal: Option<AbortSignal>) -> JsValue {
        let accumulator = Rc::new(RefCell::new(ChatAccumulator::default()));
        let sink = accumulator.clone();
        // Every chunk read, by iteration or by finalCompletion, also goes into the accumulator.
        let items = stream.map(move |chunk| {
            let chunk = chunk?;
            sink.borrow_mut().push(&chunk);
            to_js_value(&chunk)
        });
        let value: JsValue = JsChatStream {
            reader: ItemReader::new(Box::pin(items), signal),
            accumulator,
        }
        .into();
        make_async_iterable(value)
    }
}

#[wasm_bindgen(js_class = ChatCompletionStream)]
impl JsChatStream {
    /// The async-iterator protocol: resolves with the next chunk, or `done` at the end.
    #[wasm_bindgen(
        unchecked_return_type = "Promise<IteratorResult<ChatCompletionChunk, undefined>>"
    )]
    pub fn next(&self) -> Promise {
        self.reader.next()
    }

    /// Called by `for await` on `break`/`return`: aborts the request.
    #[wasm_bindgen(
        js_name = "return",
        unchecked_return_type = "Promise<IteratorResult<ChatCompletionChunk, undefined>>"
    )]
    pub fn return_(&self) -> Promise {
        self.reader.close();
        ItemReader::finish()
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
