//! The transport core shared by every API module: requests, credentials, errors, retries, timeouts,
//! cancellation, server-sent events and pagination. API modules only declare paths and types.

mod auth;
mod backend;
mod error;
mod event_source;
mod http;
mod multipart;
pub mod paginate;
pub mod path_template;
pub mod request_parts;
mod retry;
pub mod sse;

pub use auth::Credentials;
pub use error::{ApiError, ErrorDetails, ErrorKind};
pub use event_source::{event_source, DEFAULT_RECONNECT_DELAY, MAX_RECONNECT_ATTEMPTS};
pub use http::{encode_segment, Method, RequestOptions, Transport, TransportConfig};
pub use multipart::{Multipart, RequestBody};
pub use paginate::{paginate, walk, Page, PageRequest};
pub use retry::{parse_retry_after, RetryPolicy};

#[allow(unused_imports)] // used by the JS bindings and the API modules' streams
pub(crate) use backend::sleep;
#[allow(unused_imports)]
pub(crate) use http::race;

/// A boxed stream that is `Send` on native targets (so it can move between tokio tasks) and need not be
/// on wasm, where nothing is.
#[cfg(not(target_arch = "wasm32"))]
pub type BoxStream<T> = std::pin::Pin<Box<dyn futures_core::Stream<Item = T> + Send + 'static>>;
/// A boxed stream that is `Send` on native targets and need not be on wasm, where nothing is.
#[cfg(target_arch = "wasm32")]
pub type BoxStream<T> = std::pin::Pin<Box<dyn futures_core::Stream<Item = T> + 'static>>;

/// Response body chunks as they arrive.
///
/// A body that breaks off (the connection closed or was reset before the server finished) yields one
/// [`ErrorKind::Stream`] error from the backend, whose wording is the HTTP library's. The readers of a body,
/// [`sse::SseStream`] and the whole-body reader, replace it with one that says how far the body got and
/// keep the backend's as its [`std::error::Error::source`], so both backends report a cut the same way.
pub type ByteStream = BoxStream<Result<Vec<u8>, ApiError>>;
