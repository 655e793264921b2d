//! Kino, the self-hosted media automation server: `/api/v1`, snake_case JSON, `{"error":{code,message}}`.

mod types;

pub use types::*;

use crate::transport::{ApiError, Method, RequestOptions};
use crate::Client;

/// Kino's operations, borrowed from a [`Client`].
#[derive(Debug, Clone)]
pub struct Kino<'c> {
    client: &'c Client,
    options: RequestOptions,
}

impl<'c> Kino<'c> {
    pub(crate) fn new(client: &'c Client) -> Self {
        Kino { client, options: RequestOptions::default() }
    }

    /// The same operations with per-call retries, timeouts or headers.
    pub fn with_options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    /// `GET /api/v1/status`: version and setup state. Public: works without a key.
    pub async fn status(&self) -> Result<Status, ApiError> {
        self.client.transport().json(Method::Get, "/api/v1/status", &[], None::<&()>, &self.options).await
    }

    /// `GET /api/v1/config`: the configuration singleton, secrets masked by the server.
    pub async fn config(&self) -> Result<Config, ApiError> {
        self.client.transport().json(Method::Get, "/api/v1/config", &[], None::<&()>, &self.options).await
    }
}
