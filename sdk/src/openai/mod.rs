//! OpenAI-compatible servers (Kindo, gateways, local model servers): chat completions (plain and
//! streamed), models and agent runs, over the shared transport.

mod stream;
mod types;

pub use stream::{ChatAccumulator, ChatStream, SentChunk, SentChunks};
pub use types::*;

use crate::transport::{encode_segment, ApiError, Method, RequestOptions};
use crate::Client;

/// The `/v1` prefix, unless the configured base URL already ends with it (`https://host/v1` is how most
/// OpenAI-compatible servers are written down).
fn v1(client: &Client, path: &str) -> String {
    if client.base_url().ends_with("/v1") {
        path.to_owned()
    } else {
        format!("/v1{path}")
    }
}

impl Client {
    /// `POST /v1/chat/completions`.
    pub fn chat(&self) -> Chat<'_> {
        Chat {
            client: self,
            options: RequestOptions::default(),
        }
    }

    /// `GET /v1/models`.
    pub fn models(&self) -> Models<'_> {
        Models {
            client: self,
            options: RequestOptions::default(),
        }
    }

    /// `POST /v1/agents/{agentId}/run`.
    pub fn agents(&self) -> Agents<'_> {
        Agents {
            client: self,
            options: RequestOptions::default(),
        }
    }
}

/// Chat completions.
#[derive(Debug, Clone)]
pub struct Chat<'c> {
    client: &'c Client,
    options: RequestOptions,
}

impl Chat<'_> {
    /// Per-call retries, timeouts or headers.
    pub fn with_options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    /// Generation has no server-side effect, so a rejected or failed attempt is safe to repeat even though
    /// it is a POST (what the official clients do too).
    fn options(&self) -> RequestOptions {
        RequestOptions {
            retry_non_idempotent: true,
            ..self.options.clone()
        }
    }

    /// Creates a completion and waits for all of it.
    pub async fn create(
        &self,
        request: &ChatCompletionRequest,
    ) -> Result<ChatCompletion, ApiError> {
        let body = ChatCompletionRequest {
            stream: None,
            stream_options: None,
            ..request.clone()
        };
        let path = v1(self.client, "/chat/completions");
        self.client
            .transport()
            .json(Method::Post, &path, &[], Some(&body), &self.options())
            .await
    }

    /// Creates a completion and streams its chunks as they are generated.
    pub async fn stream(&self, request: &ChatCompletionRequest) -> Result<ChatStream, ApiError> {
        let body = ChatCompletionRequest {
            stream: Some(true),
            ..request.clone()
        };
        let path = v1(self.client, "/chat/completions");
        let (_headers, bytes) = self
            .client
            .transport()
            .stream(Method::Post, &path, Some(&body), &self.options())
            .await?;
        Ok(ChatStream::new(bytes))
    }
}

/// The model list.
#[derive(Debug, Clone)]
pub struct Models<'c> {
    client: &'c Client,
    options: RequestOptions,
}

/// `{"object":"list","data":[...]}` as OpenAI sends it, or a bare array as some servers do.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum ModelList {
    Wrapped { data: Vec<Model> },
    Bare(Vec<Model>),
}

impl Models<'_> {
    /// Per-call retries, timeouts or headers.
    pub fn with_options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    /// Lists the models the server offers.
    pub async fn list(&self) -> Result<Vec<Model>, ApiError> {
        let path = v1(self.client, "/models");
        let list: ModelList = self
            .client
            .transport()
            .json(Method::Get, &path, &[], None::<&()>, &self.options)
            .await?;
        Ok(match list {
            ModelList::Wrapped { data } | ModelList::Bare(data) => data,
        })
    }
}

/// Agent runs (Kindo).
#[derive(Debug, Clone)]
pub struct Agents<'c> {
    client: &'c Client,
    options: RequestOptions,
}

#[derive(serde::Serialize)]
struct AgentInput<'a> {
    input: &'a str,
}

impl Agents<'_> {
    /// Per-call retries, timeouts or headers.
    pub fn with_options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    /// Runs an agent with `input`. Not retried by default: a run has effects.
    pub async fn run(&self, agent_id: &str, input: &str) -> Result<AgentRun, ApiError> {
        let path = v1(
            self.client,
            &format!("/agents/{}/run", encode_segment(agent_id)),
        );
        self.client
            .transport()
            .json(
                Method::Post,
                &path,
                &[],
                Some(&AgentInput { input }),
                &self.options,
            )
            .await
    }
}
