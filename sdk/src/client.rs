//! The one entry point: a cheap-to-clone handle on a server, with an accessor per API.

use std::sync::Arc;
use std::time::Duration;

use crate::transport::{ApiError, Credentials, RetryPolicy, Transport, TransportConfig};

/// A client for one server. Clones share the connection pool and settings.
#[derive(Debug, Clone)]
pub struct Client {
    transport: Arc<Transport>,
}

impl Client {
    /// A client with default settings (2 retries, 60 s request and stream idle timeouts).
    pub fn new(base_url: &str, credentials: Credentials) -> Result<Client, ApiError> {
        Client::builder(base_url, credentials).build()
    }

    /// A builder to change retries and timeouts.
    pub fn builder(base_url: &str, credentials: Credentials) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.to_owned(),
            credentials,
            config: TransportConfig::default(),
        }
    }

    /// The transport, for API modules.
    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// A long-lived GET event stream on `path` that reconnects with `Last-Event-ID`.
    pub fn event_source(
        &self,
        path: &str,
        options: crate::RequestOptions,
    ) -> crate::transport::BoxStream<Result<crate::transport::sse::SseEvent, ApiError>> {
        crate::transport::event_source(self.transport.clone(), path, options)
    }

    /// The server URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.transport.base_url()
    }

    /// Kino's API (`/api/v1`).
    #[cfg(feature = "kino")]
    pub fn kino(&self) -> crate::kino::Kino<'_> {
        crate::kino::Kino::new(self)
    }

    /// KinBot's API (`/api`).
    #[cfg(feature = "kinbot")]
    pub fn kinbot(&self) -> crate::kinbot::KinBot<'_> {
        crate::kinbot::KinBot::new(self)
    }
}

/// Settings for a [`Client`].
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    base_url: String,
    credentials: Credentials,
    config: TransportConfig,
}

impl ClientBuilder {
    /// The retry policy for every call (per-call options can still override it).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.config.retry = policy;
        self
    }

    /// How long to wait for response headers.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.config.timeout = timeout;
        self
    }

    /// How long a streamed body may stay silent before it fails with `Timeout`.
    pub fn stream_idle_timeout(mut self, timeout: Duration) -> Self {
        self.config.stream_idle_timeout = timeout;
        self
    }

    /// Checks the URL and builds the client.
    pub fn build(self) -> Result<Client, ApiError> {
        let transport = Transport::new(&self.base_url, self.credentials, self.config)?;
        Ok(Client {
            transport: Arc::new(transport),
        })
    }
}
