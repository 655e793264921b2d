//! The wasm-bindgen surface of the npm package. Thin by design: each export wraps a Rust client value,
//! turns its future into a `Promise`, and converts values and errors at the boundary. No API logic here.

mod abort;
mod call;
#[cfg(feature = "openai")]
mod chat_stream;
mod client;
mod error;
mod item_stream;
#[cfg(feature = "kinbot")]
mod kinbot;
#[cfg(feature = "kino")]
mod kino;
#[cfg(feature = "openai")]
mod openai;

use std::future::Future;

use js_sys::Promise;
use serde::Serialize;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::future_to_promise;

use crate::{ApiError, RequestOptions};

/// The one bridge from a Rust call to a JS promise: parses the call options, honours their
/// `AbortSignal`, and converts the error; every failure, a bad argument's included, rejects.
fn promise_value<F>(
    options: Option<client::CallOptionsArg>,
    call: impl FnOnce(RequestOptions) -> F + 'static,
) -> Promise
where
    F: Future<Output = Result<JsValue, ApiError>> + 'static,
{
    future_to_promise(async move {
        let options = client::CallOptions::from_js(options)?;
        abort::abortable(options.signal, call(options.request))
            .await
            .map_err(|e| error::to_js_error(&e))
    })
}

/// [`promise_value`] for a call whose result is converted to a plain JS value.
fn promise<T, F>(
    options: Option<client::CallOptionsArg>,
    call: impl FnOnce(RequestOptions) -> F + 'static,
) -> Promise
where
    T: Serialize,
    F: Future<Output = Result<T, ApiError>> + 'static,
{
    promise_value(options, move |request| {
        let value = call(request);
        async move { to_js_value(&value.await?) }
    })
}

/// Rust value → plain JS object (not `Map`s), the shape the TypeScript declarations describe.
fn to_js_value<T: Serialize>(value: &T) -> Result<JsValue, ApiError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| ApiError::new(crate::ErrorKind::Decode, e.to_string()))
}

/// A JS argument → Rust value; `undefined`/`null` give the default.
fn from_js<T: serde::de::DeserializeOwned + Default>(
    value: JsValue,
    what: &str,
) -> Result<T, ApiError> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    serde_wasm_bindgen::from_value(value).map_err(|e| {
        ApiError::new(
            crate::ErrorKind::InvalidArgument,
            format!("invalid {what}: {e}"),
        )
    })
}

/// [`to_js_value`] with the error already thrown as a `KinlinkError`.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    to_js_value(value).map_err(|e| error::to_js_error(&e))
}
