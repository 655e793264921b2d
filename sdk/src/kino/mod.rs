//! Kino, the self-hosted media automation server: `/api/v1`, snake_case JSON, `{"error":{code,message}}`.

pub mod generated;
mod types;

pub use types::*;

use crate::transport::{paginate, ApiError, BoxStream, Method, Page, PageRequest, RequestOptions};
use crate::Client;

/// Kino's operations, borrowed from a [`Client`].
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

    /// `GET /api/v1/status`: version and setup state. Public: works without a key.
    pub async fn status(&self) -> Result<Status, ApiError> {
        self.client
            .transport()
            .json(
                Method::Get,
                "/api/v1/status",
                &[],
                None::<&()>,
                &self.options,
            )
            .await
    }

    /// `GET /api/v1/config`: the configuration singleton, secrets masked by the server.
    pub async fn config(&self) -> Result<Config, ApiError> {
        self.client
            .transport()
            .json(
                Method::Get,
                "/api/v1/config",
                &[],
                None::<&()>,
                &self.options,
            )
            .await
    }

    /// `PUT /api/v1/config`: changes only the fields set in `update`; returns the whole config.
    pub async fn update_config(&self, update: &ConfigUpdate) -> Result<Config, ApiError> {
        self.client
            .transport()
            .json(
                Method::Put,
                "/api/v1/config",
                &[],
                Some(update),
                &self.options,
            )
            .await
    }

    /// `GET /api/v1/history`: one page, newest first.
    pub async fn history(&self, query: &HistoryQuery) -> Result<Page<HistoryEntry>, ApiError> {
        let page = PageRequest {
            limit: query.limit,
            cursor: query.cursor.clone(),
        };
        let mut params = page.query();
        params.extend(query.movie_id.map(|id| ("movie_id", id.to_string())));
        params.extend(query.episode_id.map(|id| ("episode_id", id.to_string())));
        if !query.event_types.is_empty() {
            params.push(("event_types", query.event_types.join(",")));
        }
        self.client
            .transport()
            .json(
                Method::Get,
                "/api/v1/history",
                &params,
                None::<&()>,
                &self.options,
            )
            .await
    }

    /// Every history entry matching `query`, newest first, fetching pages of `query.limit` as the
    /// stream is read.
    pub fn history_all(&self, query: HistoryQuery) -> BoxStream<Result<HistoryEntry, ApiError>> {
        let client = self.client.clone();
        let options = self.options.clone();
        paginate(query.limit, move |page| {
            let (client, options) = (client.clone(), options.clone());
            let query = HistoryQuery {
                cursor: page.cursor,
                limit: page.limit,
                ..query.clone()
            };
            async move { client.kino().with_options(options).history(&query).await }
        })
    }
}
