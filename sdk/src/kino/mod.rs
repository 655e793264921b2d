//! Kino, the self-hosted media automation server: `/api/v1`, snake_case JSON, `{"error":{code,message}}`.
//!
//! Every operation and type comes from the contract (`contracts/kino.json` with its overlay) through
//! [`generated`]: one handle per tag, e.g. `client.kino().system().get_status()`,
//! `client.kino().config().update(&ConfigUpdate { .. })`, `client.kino().history().list_all(&query)`.

pub mod generated;

pub use generated::*;

use crate::transport::RequestOptions;
use crate::Client;

/// Kino's operations, borrowed from a [`Client`]; its handles (one per tag) are generated.
#[derive(Debug, Clone)]
pub struct Kino<'c> {
    client: &'c Client,
    options: RequestOptions,
}

impl<'c> Kino<'c> {
    pub(crate) fn new(client: &'c Client) -> Self {
        Kino {
            client,
            options: RequestOptions::default(),
        }
    }

    /// The same operations with per-call retries, timeouts or headers.
    pub fn with_options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }
}
