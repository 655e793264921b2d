//! `client.chat.completions`, `client.models`, `client.agents`: the OpenAI-compatible API as promises.

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::chat_stream::JsChatStream;
use super::client::{CallOptions, CallOptionsArg};
use super::error::to_js_error;
use super::promise;
use crate::openai::ChatCompletionRequest;
use crate::{ApiError, Client, ErrorKind};

#[wasm_bindgen(typescript_custom_section)]
const COMPLETIONS_TS: &str = r#"
export interface Completions {
  /** Creates a completion and resolves with all of it. */
  create(body: ChatCompletionRequest & { stream?: false | null }, options?: CallOptions): Promise<ChatCompletion>;
  /** Creates a completion and resolves, once the response starts, with an async iterable of chunks. */
  create(body: ChatCompletionRequest & { stream: true }, options?: CallOptions): Promise<ChatCompletionStream>;
}
"#;

/// `client.chat`.
#[wasm_bindgen(js_name = ChatApi)]
pub struct JsChat {
    client: Client,
}

impl JsChat {
    pub(crate) fn new(client: Client) -> JsChat {
        JsChat { client }
    }
}

#[wasm_bindgen(js_class = ChatApi)]
impl JsChat {
    /// Chat completions.
    #[wasm_bindgen(getter)]
    pub fn completions(&self) -> JsCompletions {
        JsCompletions {
            client: self.client.clone(),
        }
    }
}

/// `client.chat.completions`.
#[wasm_bindgen(js_name = Completions)]
pub struct JsCompletions {
    client: Client,
}

#[wasm_bindgen(js_class = Completions)]
impl JsCompletions {
    /// `POST /v1/chat/completions`; with `stream: true` resolves with a `ChatCompletionStream`.
    #[wasm_bindgen(skip_typescript)]
    pub fn create(&self, body: JsValue, options: Option<CallOptionsArg>) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let options = CallOptions::from_js(options)?;
            let request: ChatCompletionRequest =
                serde_wasm_bindgen::from_value(body).map_err(|e| {
                    to_js_error(&ApiError::new(
                        ErrorKind::InvalidArgument,
                        format!("invalid chat completion request: {e}"),
                    ))
                })?;
            let chat = client.chat().with_options(options.request);
            if request.stream == Some(true) {
                let stream = super::abort::abortable(options.signal.clone(), chat.stream(&request))
                    .await
                    .map_err(|e| to_js_error(&e))?;
                Ok(JsChatStream::wrap(stream, options.signal))
            } else {
                let completion = super::abort::abortable(options.signal, chat.create(&request))
                    .await
                    .map_err(|e| to_js_error(&e))?;
                super::to_js(&completion)
            }
        })
    }
}

/// `client.models`.
#[wasm_bindgen(js_name = ModelsApi)]
pub struct JsModels {
    client: Client,
}

impl JsModels {
    pub(crate) fn new(client: Client) -> JsModels {
        JsModels { client }
    }
}

#[wasm_bindgen(js_class = ModelsApi)]
impl JsModels {
    /// `GET /v1/models`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Model[]>")]
    pub fn list(&self, options: Option<CallOptionsArg>) -> Promise {
        let client = self.client.clone();
        promise(options, move |o| async move {
            client.models().with_options(o).list().await
        })
    }
}

/// `client.agents`.
#[wasm_bindgen(js_name = AgentsApi)]
pub struct JsAgents {
    client: Client,
}

impl JsAgents {
    pub(crate) fn new(client: Client) -> JsAgents {
        JsAgents { client }
    }
}

#[wasm_bindgen(js_class = AgentsApi)]
impl JsAgents {
    /// `POST /v1/agents/{agentId}/run` with `{"input": input}`.
    #[wasm_bindgen(unchecked_return_type = "Promise<AgentRun>")]
    pub fn run(
        &self,
        #[wasm_bindgen(js_name = agentId)] agent_id: String,
        input: String,
        options: Option<CallOptionsArg>,
    ) -> Promise {
        let client = self.client.clone();
        promise(options, move |o| async move {
            client.agents().with_options(o).run(&agent_id, &input).await
        })
    }
}
