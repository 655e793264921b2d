//! JS `AbortSignal` → Rust cancellation: race the call against the signal and drop the call (which
//! aborts its fetch) when the signal fires.

use std::future::Future;

use futures_util::future::Either;
use js_sys::Promise;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use crate::transport::race;
use crate::{ApiError, ErrorKind};

fn aborted_error() -> ApiError {
    ApiError::new(ErrorKind::Aborted, "the request was aborted")
}

/// Resolves when `signal` aborts (at once when it already has).
async fn aborted(signal: AbortSignal) {
    if signal.aborted() {
        return;
    }
    let promise = Promise::new(&mut |resolve, _| {
        let options = web_sys::AddEventListenerOptions::new();
        options.set_once(true);
        let _ = signal.add_event_listener_with_callback_and_add_event_listener_options(
            "abort", &resolve, &options,
        );
    });
    let _ = JsFuture::from(promise).await;
}

/// Runs `call` until it finishes or `signal` aborts, whichever comes first.
pub(crate) async fn abortable<T>(
    signal: Option<AbortSignal>,
    call: impl Future<Output = Result<T, ApiError>>,
) -> Result<T, ApiError> {
    let Some(signal) = signal else {
        return call.await;
    };
    if signal.aborted() {
        return Err(aborted_error());
    }
    match race(call, aborted(signal)).await {
        Either::Left(result) => result,
        Either::Right(()) => Err(aborted_error()),
    }
}
