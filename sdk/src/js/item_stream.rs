//! Async iterables over SDK streams, for `for await (const item of ...)` in JS: chat chunks, every item
//! of a paginated list.
//!
//! The boundary is crossed once per network read, not once per item: `nextBatch()` resolves with every
//! item that has arrived (a page of a list, the chunks of one read of a stream), and a small iterator in
//! JS hands them out one at a time. Breaking out of the loop, `close()` or the call's `AbortSignal` drop
//! the Rust stream (which aborts its request); after that nothing more is delivered, not even items of a
//! batch already handed over.

use std::cell::RefCell;
use std::future::poll_fn;
use std::rc::Rc;
use std::task::Poll;

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use web_sys::AbortSignal;

use super::abort::abortable;
use super::error::to_js_error;
use crate::transport::BoxStream;
use crate::{ApiError, ErrorKind};

#[wasm_bindgen(inline_js = "
const ITERATOR = Symbol('kinlink.iterator');
const DONE = Object.freeze({ done: true, value: undefined });

class BatchIterator {
  constructor(source, signal) {
    this.source = source;
    this.signal = signal;
    this.items = [];
    this.at = 0;
    this.done = false;
  }
  async next() {
    // After an abort the rest of a batch is dropped: the source then rejects with the abort.
    while (this.at >= this.items.length || (this.signal && this.signal.aborted)) {
      this.items = [];
      this.at = 0;
      if (this.done) return DONE;
      const batch = await this.source.nextBatch();
      if (batch === undefined) {
        this.done = true;
        return DONE;
      }
      this.items = batch;
    }
    return { done: false, value: this.items[this.at++] };
  }
  async return() {
    this.done = true;
    this.items = [];
    this.source.close();
    return DONE;
  }
  [Symbol.asyncIterator]() {
    return this;
  }
}

export function makeBatchedIterable(stream, signal) {
  const proto = Object.getPrototypeOf(stream);
  if (!Object.prototype.hasOwnProperty.call(proto, Symbol.asyncIterator)) {
    Object.defineProperty(proto, Symbol.asyncIterator, { value() { return this[ITERATOR]; } });
    Object.defineProperty(proto, 'next', { value() { return this[ITERATOR].next(); } });
    Object.defineProperty(proto, 'return', { value() { return this[ITERATOR].return(); } });
  }
  Object.defineProperty(stream, ITERATOR, { value: new BatchIterator(stream, signal) });
  return stream;
}
")]
extern "C" {
    /// Gives the object `next`, `return` and `[Symbol.asyncIterator]` over its `nextBatch()` (wasm-bindgen
    /// cannot declare symbol-keyed methods, and the per-item steps are cheaper on the JS side).
    #[wasm_bindgen(js_name = makeBatchedIterable)]
    pub(crate) fn make_batched_iterable(stream: JsValue, signal: JsValue) -> JsValue;
}

/// Items already converted to JS values.
pub(crate) type JsItems = BoxStream<Result<JsValue, ApiError>>;

/// The most items one batch carries, so a fast stream still yields to the page now and then.
const MAX_BATCH: usize = 1024;

enum Phase<T> {
    Open(BoxStream<Result<T, ApiError>>),
    /// Taken by a pending read.
    Busy,
    /// The stream failed after the items of the last batch; the next read rejects with this.
    Failed(ApiError),
    Ended,
}

/// The reading side shared by every async iterable of the package: Rust items of type `T`, turned into
/// one JS array per batch by `to_array`.
pub(crate) struct BatchReader<T> {
    phase: Rc<RefCell<Phase<T>>>,
    signal: Option<AbortSignal>,
    to_array: fn(Vec<T>) -> Result<JsValue, ApiError>,
}

impl<T> Clone for BatchReader<T> {
    fn clone(&self) -> Self {
        BatchReader {
            phase: self.phase.clone(),
            signal: self.signal.clone(),
            to_array: self.to_array,
        }
    }
}

/// How a batch read ended besides its items.
enum BatchEnd {
    /// More may follow.
    Open,
    Finished,
    Failed(ApiError),
}

/// Waits for at least one item, then takes every item that is ready without waiting again.
async fn read_batch<T>(items: &mut BoxStream<Result<T, ApiError>>) -> (Vec<T>, BatchEnd) {
    let mut batch = Vec::new();
    let end = poll_fn(|cx| loop {
        match items.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(item))) => {
                batch.push(item);
                if batch.len() >= MAX_BATCH {
                    return Poll::Ready(BatchEnd::Open);
                }
            }
            Poll::Ready(Some(Err(error))) => return Poll::Ready(BatchEnd::Failed(error)),
            Poll::Ready(None) => return Poll::Ready(BatchEnd::Finished),
            Poll::Pending if batch.is_empty() => return Poll::Pending,
            Poll::Pending => return Poll::Ready(BatchEnd::Open),
        }
    })
    .await;
    (batch, end)
}

impl<T: 'static> BatchReader<T> {
    pub(crate) fn new(
        items: BoxStream<Result<T, ApiError>>,
        signal: Option<AbortSignal>,
        to_array: fn(Vec<T>) -> Result<JsValue, ApiError>,
    ) -> BatchReader<T> {
        BatchReader {
            phase: Rc::new(RefCell::new(Phase::Open(items))),
            signal,
            to_array,
        }
    }

    /// Takes the stream for one read; `Ok(None)` when it has ended.
    fn take(&self) -> Result<Option<BoxStream<Result<T, ApiError>>>, ApiError> {
        // Its own statement: a `RefMut` in a match scrutinee would live through the arms.
        let current = std::mem::replace(&mut *self.phase.borrow_mut(), Phase::Busy);
        match current {
            Phase::Open(items) => Ok(Some(items)),
            Phase::Ended => {
                *self.phase.borrow_mut() = Phase::Ended;
                Ok(None)
            }
            Phase::Failed(error) => {
                *self.phase.borrow_mut() = Phase::Ended;
                Err(error)
            }
            Phase::Busy => {
                *self.phase.borrow_mut() = Phase::Busy;
                Err(ApiError::new(
                    ErrorKind::InvalidArgument,
                    "another read of this stream is still pending",
                ))
            }
        }
    }

    /// After a read: what comes next, unless the stream was closed meanwhile (then it is dropped:
    /// aborted). Returns whether it was still open.
    fn settle(&self, next: Phase<T>) -> bool {
        let still_open = matches!(*self.phase.borrow(), Phase::Busy);
        if still_open {
            *self.phase.borrow_mut() = next;
        }
        still_open
    }

    /// `nextBatch()`: resolves with an array of the items that have arrived, or `undefined` at the end;
    /// rejects once with the stream's error.
    pub(crate) fn next_batch(&self) -> Promise {
        let reader = self.clone();
        future_to_promise(async move {
            let Some(mut items) = reader.take().map_err(|e| to_js_error(&e))? else {
                return Ok(JsValue::UNDEFINED);
            };
            let read = abortable(reader.signal.clone(), async {
                Ok(read_batch(&mut items).await)
            })
            .await;
            let (batch, end) = match read {
                Ok(read) => read,
                Err(aborted) => {
                    reader.close();
                    return Err(to_js_error(&aborted));
                }
            };
            if batch.is_empty() {
                reader.close();
                return match end {
                    BatchEnd::Failed(error) => Err(to_js_error(&error)),
                    _ => Ok(JsValue::UNDEFINED),
                };
            }
            let next = match end {
                BatchEnd::Open => Phase::Open(items),
                BatchEnd::Finished => Phase::Ended,
                BatchEnd::Failed(error) => Phase::Failed(error),
            };
            if !reader.settle(next) {
                return Ok(JsValue::UNDEFINED);
            }
            (reader.to_array)(batch).map_err(|e| {
                reader.close();
                to_js_error(&e)
            })
        })
    }

    /// Reads everything left, discarding the items (for callers that collect through the stream).
    pub(crate) async fn drain(&self) -> Result<(), ApiError> {
        let Some(mut items) = self.take()? else {
            return Ok(());
        };
        let result = abortable(self.signal.clone(), async {
            loop {
                match read_batch(&mut items).await {
                    (_, BatchEnd::Open) => {}
                    (_, BatchEnd::Finished) => return Ok(()),
                    (_, BatchEnd::Failed(error)) => return Err(error),
                }
            }
        })
        .await;
        self.close();
        result
    }

    pub(crate) fn close(&self) {
        *self.phase.borrow_mut() = Phase::Ended;
    }

    /// Makes `stream` (the wasm-bindgen object owning this reader) an async iterable.
    pub(crate) fn iterable(&self, stream: JsValue) -> JsValue {
        let signal = self.signal.clone().map_or(JsValue::UNDEFINED, Into::into);
        make_batched_iterable(stream, signal)
    }
}

/// Converted values → one JS array.
fn value_array(values: Vec<JsValue>) -> Result<JsValue, ApiError> {
    Ok(values.into_iter().collect::<Array>().into())
}

#[wasm_bindgen(typescript_custom_section)]
const ITEM_STREAM_TS: &str = r#"
/** What list walkers such as `kino.history.listAll()` return: an async iterable of typed items. */
export interface AsyncItemStream<T> extends AsyncIterable<T> {
  next(): Promise<IteratorResult<T, undefined>>;
  return(): Promise<IteratorResult<T, undefined>>;
  /** Every item that has arrived (a page at a time), or `undefined` at the end. */
  nextBatch(): Promise<T[] | undefined>;
  /** Stops fetching; the iteration ends. */
  close(): void;
}
"#;

/// The items of a list, fetched page by page as they are read: `for await (const item of stream)`.
#[wasm_bindgen(js_name = ItemStream)]
pub struct JsItemStream {
    reader: BatchReader<JsValue>,
}

impl JsItemStream {
    pub(crate) fn wrap(items: JsItems, signal: Option<AbortSignal>) -> JsValue {
        let reader = BatchReader::new(items, signal, value_array);
        let iterable = reader.clone();
        iterable.iterable(JsItemStream { reader }.into())
    }
}

#[wasm_bindgen(js_class = ItemStream)]
impl JsItemStream {
    /// Every item that has arrived, or `undefined` at the end.
    #[wasm_bindgen(
        js_name = nextBatch,
        unchecked_return_type = "Promise<unknown[] | undefined>"
    )]
    pub fn next_batch(&self) -> Promise {
        self.reader.next_batch()
    }

    /// Stops fetching; the iteration ends.
    pub fn close(&self) {
        self.reader.close();
    }
}
