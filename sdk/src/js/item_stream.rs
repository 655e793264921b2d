//! An async iterable over any SDK stream, for `for await (const item of ...)` in JS: chat chunks, every
//! item of a paginated list. Breaking out of the loop, `close()` or the call's `AbortSignal` drop the Rust
//! stream (which aborts its request); after that nothing more is delivered.

use std::cell::RefCell;
use std::rc::Rc;

use futures_util::StreamExt;
use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use web_sys::AbortSignal;

use super::abort::abortable;
use super::error::to_js_error;
use crate::transport::BoxStream;
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
    /// Gives the object's class a `[Symbol.asyncIterator]` returning the object itself (wasm-bindgen
    /// cannot declare symbol-keyed methods).
    #[wasm_bindgen(js_name = makeAsyncIterable)]
    pub(crate) fn make_async_iterable(stream: JsValue) -> JsValue;
}

/// Items already converted to JS values.
pub(crate) type JsItems = BoxStream<Result<JsValue, ApiError>>;

enum Phase {
    Open(JsItems),
    /// Taken by a pending read.
    Busy,
    Ended,
}

/// The reading side shared by every async iterable of the package.
#[derive(Clone)]
pub(crate) struct ItemReader {
    phase: Rc<RefCell<Phase>>,
    signal: Option<AbortSignal>,
}

fn iterator_result(done: bool, value: &JsValue) -> JsValue {
    let result = Object::new();
    let _ = Reflect::set(&result, &"done".into(), &done.into());
    let _ = Reflect::set(&result, &"value".into(), value);
    result.into()
}

impl ItemReader {
    pub(crate) fn new(items: JsItems, signal: Option<AbortSignal>) -> ItemReader {
        ItemReader {
            phase: Rc::new(RefCell::new(Phase::Open(items))),
            signal,
        }
    }

    /// Takes the stream for one read; `Ok(None)` when it has ended.
    fn take(&self) -> Result<Option<JsItems>, ApiError> {
        // Its own statement: a `RefMut` in a match scrutinee would live through the arms.
        let current = std::mem::replace(&mut *self.phase.borrow_mut(), Phase::Busy);
        match current {
            Phase::Open(items) => Ok(Some(items)),
            Phase::Ended => {
                *self.phase.borrow_mut() = Phase::Ended;
                Ok(None)
            }
            Phase::Busy => Err(ApiError::new(
                ErrorKind::InvalidArgument,
                "another read of this stream is still pending",
            )),
        }
    }

    /// Puts the stream back after a read, unless it was closed meanwhile (then it is dropped: aborted).
    fn put_back(&self, items: JsItems) -> bool {
        let still_open = matches!(*self.phase.borrow(), Phase::Busy);
        if still_open {
            *self.phase.borrow_mut() = Phase::Open(items);
        }
        still_open
    }

    pub(crate) fn next(&self) -> Promise {
        let reader = self.clone();
        future_to_promise(async move {
            let Some(mut items) = reader.take().map_err(|e| to_js_error(&e))? else {
                return Ok(iterator_result(true, &JsValue::UNDEFINED));
            };
            match abortable(reader.signal.clone(), async { Ok(items.next().await) }).await {
                Ok(Some(Ok(value))) if reader.put_back(items) => Ok(iterator_result(false, &value)),
                Ok(Some(Ok(_))) => Ok(iterator_result(true, &JsValue::UNDEFINED)),
                Ok(None) => {
                    reader.close();
                    Ok(iterator_result(true, &JsValue::UNDEFINED))
                }
                Ok(Some(Err(error))) | Err(error) => {
                    reader.close();
                    Err(to_js_error(&error))
                }
            }
        })
    }

    /// Reads everything left, discarding the values (for callers that collect through the stream).
    pub(crate) async fn drain(&self) -> Result<(), ApiError> {
        let Some(mut items) = self.take()? else {
            return Ok(());
        };
        let result = abortable(self.signal.clone(), async {
            while let Some(item) = items.next().await {
                item?;
            }
            Ok(())
        })
        .await;
        self.close();
        result
    }

    pub(crate) fn close(&self) {
        *self.phase.borrow_mut() = Phase::Ended;
    }

    pub(crate) fn finish() -> Promise {
        Promise::resolve(&iterator_result(true, &JsValue::UNDEFINED))
    }
}

#[wasm_bindgen(typescript_custom_section)]
const ITEM_STREAM_TS: &str = r#"
/** What list walkers such as `kino.history.listAll()` return: an async iterable of typed items. */
export interface AsyncItemStream<T> extends AsyncIterable<T> {
  next(): Promise<IteratorResult<T, undefined>>;
  return(): Promise<IteratorResult<T, undefined>>;
  /** Stops fetching; the iteration ends. */
  close(): void;
}
"#;

/// The items of a list, fetched page by page as they are read: `for await (const item of stream)`.
#[wasm_bindgen(js_name = ItemStream)]
pub struct JsItemStream {
    reader: ItemReader,
}

impl JsItemStream {
    pub(crate) fn wrap(items: JsItems, signal: Option<AbortSignal>) -> JsValue {
        make_async_iterable(
            JsItemStream {
                reader: ItemReader::new(items, signal),
            }
            .into(),
        )
    }
}

#[wasm_bindgen(js_class = ItemStream)]
impl JsItemStream {
    /// The async-iterator protocol: the next item, or `done` at the end.
    #[wasm_bindgen(unchecked_return_type = "Promise<IteratorResult<unknown, undefined>>")]
    pub fn next(&self) -> Promise {
        self.reader.next()
    }

    /// Called by `for await` on `break`: stops fetching.
    #[wasm_bindgen(
        js_name = "return",
        unchecked_return_type = "Promise<IteratorResult<unknown, undefined>>"
    )]
    pub fn return_(&self) -> Promise {
        self.reader.close();
        ItemReader::finish()
    }

    /// Stops fetching; the iteration ends.
    pub fn close(&self) {
        self.reader.close();
    }
}
