//! The transport core shared by every API module: requests, credentials, errors, retries, timeouts,
//! cancellation, server-sent events and pagination. API modules only declare paths and types.

mod auth;
mod backend;
mod error;
mod event_source;
mod http;
pub mod paginate;
mod retry;
pub mod sse;

pub use auth::Credentials;
pub use error::{ApiError, ErrorKind};
pub use event_source::{event_source, DEFAULT_RECONNECT_DELAY, MAX_RECONNECT_ATTEMPTS};
pub use http::{encode_segment, Method, RequestOptions, Transport, TransportConfig};
pub use paginate::{paginate, Page, PageRequest};
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
pub type ByteStream = BoxStream<Result<Vec<u8>, ApiError>>;
