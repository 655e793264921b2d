//! Kinlink: one typed client for Kino (media automation), KinBot (AI agents) and OpenAI-compatible
//! servers, running natively (reqwest on tokio) and in WebAssembly (the browser's or Node's `fetch`).
//!
//! ```no_run
//! # async fn demo() -> Result<(), kinlink::ApiError> {
//! use kinlink::{Client, Credentials};
//! let client = Client::new("http://127.0.0.1:8080", Credentials::Bearer("api-key".into()))?;
//! let status = client.kino().system().get_status().await?;
//! println!("Kino {}", status.version);
//!
//! // A cursor list, walked page by page as the stream is read.
//! use futures_util::StreamExt;
//! let query = kinlink::kino::HistoryListQuery { limit: Some(50), ..Default::default() };
//! let mut history = client.kino().history().list_all(&query);
//! while let Some(entry) = history.next().await {
//!     let entry = entry?;
//!     println!("{} {}", entry.date, entry.event_type);
//! }
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

mod client;
pub mod transport;
#[macro_use]
mod wire;

#[cfg(any(feature = "kino", feature = "kinbot"))]
pub mod contract;

#[cfg(feature = "kino")]
pub mod kino;

#[cfg(feature = "kinbot")]
pub mod kinbot;

#[cfg(feature = "openai")]
pub mod openai;

#[cfg(all(target_arch = "wasm32", feature = "js"))]
mod js;

pub use client::{Client, ClientBuilder};
pub use transport::{ApiError, Credentials, ErrorKind, RequestOptions, RetryPolicy};
