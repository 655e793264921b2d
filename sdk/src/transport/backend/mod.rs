//! The two ways bytes reach the wire: the browser's (and Node's) `fetch` on wasm, reqwest natively.
//! Both expose the same three things: send a request, read its body as a stream, and sleep.

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(target_arch = "wasm32")]
mod web;

#[cfg(not(target_arch = "wasm32"))]
pub(crate) use native::{now, send, sleep, NativeClient as BackendClient};
#[cfg(target_arch = "wasm32")]
pub(crate) use web::{now, send, sleep, WebClient as BackendClient};

use super::http::Method;
use super::ByteStream;

/// A request as the backends see it: fully built, body already serialized.
#[derive(Debug, Clone)]
pub(crate) struct WireRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<Vec<u8>>,
}

/// Status and headers, with the body still to be read.
pub(crate) struct WireResponse {
    pub status: u16,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: ByteStream,
}
