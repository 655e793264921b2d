//! `ChatCompletionStream`: a JS async iterable over a Rust [`ChatStream`].

use std::cell::RefCell;
use std::rc::Rc;

use futures_util::StreamExt;
use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use web_sys::AbortSignal;

use super::abort::abortable;
use super::error::to_js_error;
use super::to_js;
use crate::openai::{ChatAccumulator, ChatStream};
use crate::{ApiError, ErrorKind};

#[wasm_bindgen(inline_js = "
export function makeAsyncIterable(stream) {
  const proto = Object.getPrototypeOf(stream);
  if (!Object.prototype.hasOwnProperty.call(proto, Symbol.asyncIterator)) {
    Object.defineProperty(proto, Symbol.asyncIterator, { value() { return this; } });
  }
  return stream;
}
")]
extern "C" {
    #[wasm_bindgen(js_name = makeAsyncIterable)]
    fn make_async_iterable(stream: JsValue) -> JsValue;
}

#[wasm_bindgen(typescript_custom_section)]
const STREAM_TS: &str = r#"
export interface ChatCompletionStream {
  [Symbol.asyncIterator](): AsyncIterator<ChatCompletionChunk>;
}
"#;

/// What the stream is doing: reading, finished (or closed), or aborted by its signal.
enum Phase {
    Open(ChatStream),
    /// Taken by a pending `next()`.
    Busy,
    Ended,
}

/// The chunks of a streamed completion, for `for await (const chunk of stream)`. Breaking out of the
/// loop, `close()`, or the call's `AbortSignal` abort the request; after that no chunk is delivered.
#[wasm_bindgen(js_name = ChatCompletionStream)]
pub struct JsChatStream {
    phase: Rc<RefCell<Phase>>,
    accumulator: Rc<RefCell<ChatAccumulator>>,
    signal: Option<AbortSignal>,
}

impl JsChatStream {
    pub(crate) fn new(stream: ChatStream, signal: Option<AbortSignal>) -> JsValue {
        let value: JsValue = JsChatStream {
            phase: Rc::new(RefCell::new(Phase::Open(stream))),
            accumulator: Rc::default(),
            signal,
        }
        .into();
        make_async_iterable(value)
    }
}

fn iterator_result(done: bool, value: &JsValue) -> JsValue {
    let result = Object::new();
    let _ = Reflect::set(&result, &"done".into(), &done.into());
    let _ = Reflect::set(&result, &"value".into(), value);
    result.into()
}

#[wasm_bindgen(js_class = ChatCompletionStream)]
impl JsChatStream {
    /// The async-iterator protocol: resolves with the next chunk, or `done` at the end.
    #[wasm_bindgen(unchecked_return_type = "Promise<IteratorResult<ChatCompletionChunk, undefined>>")]
    pub fn next(&self) -> Promise {
        let phase = self.phase.clone();
        let accumulator = self.accumulator.clone();
        let signal = self.signal.clone();
        future_to_promise(async move {
            // Taken in its own statement: a `RefMut` in the match scrutinee would live through the arms.
            let current = std::mem::replace(&mut *phase.borrow_mut(), Phase::Busy);
            let mut stream = match current {
                Phase::Open(stream) => stream,
                Phase::Ended => {
                    *phase.borrow_mut() = Phase::Ended;
                    return Ok(iterator_result(true, &JsValue::UNDEFINED));
                }
                Phase::Busy => {
                    return Err(to_js_error(&ApiError::new(
                        ErrorKind::InvalidArgument,
                        "next() was called while another next() was still pending",
                    )))
                }
            };
            let item = abortable(signal, async { Ok(stream.next().await) }).await;
            match item {
                Ok(Some(Ok(chunk))) => {
                    accumulator.borrow_mut().push(&chunk);
                    // Closed while this read was pending: drop the stream, deliver nothing more.
                    if matches!(*phase.borrow(), Phase::Busy) {
                        *phase.borrow_mut() = Phase::Open(stream);
                        Ok(iterator_result(false, &to_js(&chunk)?))
                    } else {
                        Ok(iterator_result(true, &JsValue::UNDEFINED))
                    }
                }
                Ok(None) => {
                    *phase.borrow_mut() = Phase::Ended;
                    Ok(iterator_result(true, &JsValue::UNDEFINED))
                }
                Ok(Some(Err(error))) | Err(error) => {
                    *phase.borrow_mut() = Phase::Ended;
                    Err(to_js_error(&error))
                }
            }
        })
    }

    /// Called by `for await` on `break`/`return`: aborts the request.
    #[wasm_bindgen(js_name = "return", unchecked_return_type = "Promise<IteratorResult<ChatCompletionChunk, undefined>>")]
    pub fn return_(&self) -> Promise {
        self.close();
        Promise::resolve(&iterator_result(true, &JsValue::UNDEFINED))
    }

    /// Aborts the request; the iteration ends and no further chunk is delivered.
    pub fn close(&self) {
        *self.phase.borrow_mut() = Phase::Ended;
    }

    /// Reads the rest of the stream and resolves with the assembled completion (text, tool calls put
    /// together from their fragments, finish reason and usage), including chunks already iterated.
    #[wasm_bindgen(js_name = finalCompletion, unchecked_return_type = "Promise<ChatCompletion>")]
    pub fn final_completion(&self) -> Promise {
        let phase = self.phase.clone();
        let accumulator = self.accumulator.clone();
        let signal = self.signal.clone();
        future_to_promise(async move {
            let current = std::mem::replace(&mut *phase.borrow_mut(), Phase::Busy);
            if let Phase::Open(mut stream) = current {
                let read = abortable(signal, async {
                    while let Some(chunk) = stream.next().await {
                        accumulator.borrow_mut().push(&chunk?);
                    }
                    Ok(())
                })
                .await;
                *phase.borrow_mut() = Phase::Ended;
                read.map_err(|e| to_js_error(&e))?;
            } else {
                // Busy stays busy only while another call owns the stream; otherwise it was already ended.
                let _ = std::mem::replace(&mut *phase.borrow_mut(), current);
            }
            to_js(&accumulator.borrow().finish())
        })
    }
}
