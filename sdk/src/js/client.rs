//! `KinlinkClient` and per-call options.

use std::time::Duration;

use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::error::to_js_error;
#[cfg(feature = "kinbot")]
use super::kinbot::create_kinbot_api;
#[cfg(feature = "kino")]
use super::kino::create_kino_api;
#[cfg(feature = "openai")]
use super::openai::{JsAgents, JsChat, JsModels};
use crate::{ApiError, Client, Credentials, ErrorKind, RequestOptions, RetryPolicy};

#[wasm_bindgen(typescript_custom_section)]
const OPTIONS_TS: &str = r#"
/** Settings for a `KinlinkClient`. */
export interface ClientOptions {
  /** Retries after the first attempt for retryable failures (default 2). */
  maxRetries?: number;
  /** Longest wait for response headers, in ms (default 60000). */
  timeoutMs?: number;
  /** Longest silence inside a streamed body, in ms (default 60000). */
  streamIdleTimeoutMs?: number;
  /** Send the key as `X-Api-Key` instead of `Authorization: Bearer` (Kino accepts both). */
  apiKeyHeader?: "authorization" | "x-api-key";
  /**
   * Authenticate with the session cookie the server sets on sign-in (KinBot; Kino device sessions)
   * instead of a key: requests go out with `credentials: "include"` and the browser keeps the cookie.
   * Give no `apiKey` with it.
   */
  session?: boolean;
}

/** Per-call options. */
export interface CallOptions {
  /** Aborts the call; the promise rejects with a `KinlinkError` of kind `aborted`. */
  signal?: AbortSignal;
  /** Overrides the client's retries for this call. */
  maxRetries?: number;
  /** Overrides the client's header timeout for this call, in ms. */
  timeoutMs?: number;
  /** Overrides the client's stream idle timeout for this call, in ms. */
  streamIdleTimeoutMs?: number;
}
"#;

#[wasm_bindgen]
extern "C" {
    /// `ClientOptions` as JS passes it.
    #[wasm_bindgen(typescript_type = "ClientOptions")]
    pub type ClientOptionsArg;
    /// `CallOptions` as JS passes it.
    #[wasm_bindgen(typescript_type = "CallOptions")]
    pub type CallOptionsArg;
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct ClientOptions {
    max_retries: Option<u32>,
    timeout_ms: Option<f64>,
    stream_idle_timeout_ms: Option<f64>,
    api_key_header: Option<String>,
    session: bool,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct CallOptionFields {
    max_retries: Option<u32>,
    timeout_ms: Option<f64>,
    stream_idle_timeout_ms: Option<f64>,
}

/// Per-call options as Rust sees them.
pub(crate) struct CallOptions {
    pub signal: Option<web_sys::AbortSignal>,
    pub request: RequestOptions,
}

fn millis(ms: f64) -> Result<Duration, JsValue> {
    if ms.is_finite() && ms >= 0.0 {
        Ok(Duration::from_secs_f64(ms / 1000.0))
    } else {
        Err(invalid(format!(
            "a duration in milliseconds must be a non-negative number, not {ms}"
        )))
    }
}

fn invalid(message: String) -> JsValue {
    to_js_error(&ApiError::new(ErrorKind::InvalidArgument, message))
}

/// [`super::from_js`], thrown as a `KinlinkError`.
fn parse<T: serde::de::DeserializeOwned + Default>(
    value: &JsValue,
    what: &str,
) -> Result<T, JsValue> {
    super::from_js(value.clone(), what).map_err(|e| to_js_error(&e))
}

impl CallOptions {
    pub(crate) fn from_js(options: Option<CallOptionsArg>) -> Result<CallOptions, JsValue> {
        let value = &options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        let fields: CallOptionFields = parse(value, "call options")?;
        let signal = if value.is_object() {
            let signal =
                js_sys::Reflect::get(value, &"signal".into()).unwrap_or(JsValue::UNDEFINED);
            if signal.is_undefined() || signal.is_null() {
                None
            } else {
                Some(
                    signal
                        .dyn_into::<web_sys::AbortSignal>()
                        .map_err(|_| invalid("`signal` must be an AbortSignal".into()))?,
                )
            }
        } else {
            None
        };
        let mut request = RequestOptions::default();
        if let Some(n) = fields.max_retries {
            request.retry = Some(RetryPolicy {
                max_retries: n,
                ..RetryPolicy::default()
            });
        }
        request.timeout = fields.timeout_ms.map(millis).transpose()?;
        request.stream_idle_timeout = fields.stream_idle_timeout_ms.map(millis).transpose()?;
        Ok(CallOptions { signal, request })
    }
}

/// A client for one server: `new KinlinkClient(baseUrl, apiKey?, options?)`.
#[wasm_bindgen(js_name = KinlinkClient)]
pub struct JsClient {
    pub(super) inner: Client,
}

#[wasm_bindgen(js_class = KinlinkClient)]
impl JsClient {
    /// Creates a client. Throws a `KinlinkError` of kind `invalid_argument` for a malformed URL.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(js_name = baseUrl)] base_url: &str,
        #[wasm_bindgen(js_name = apiKey)] api_key: Option<String>,
        options: Option<ClientOptionsArg>,
    ) -> Result<JsClient, JsValue> {
        let options: ClientOptions = parse(
            &options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED),
            "client options",
        )?;
        let credentials = match (api_key, options.api_key_header.as_deref()) {
            (Some(_), _) if options.session => {
                return Err(invalid(
                    "give either an apiKey or session: true, not both".into(),
                ))
            }
            (None, _) if options.session => Credentials::Session,
            (None, _) => Credentials::None,
            (Some(key), Some("x-api-key")) => Credentials::ApiKeyHeader(key),
            (Some(key), None | Some("authorization")) => Credentials::Bearer(key),
            (Some(_), Some(other)) => {
                return Err(invalid(format!("unknown apiKeyHeader {other:?}")))
            }
        };
        let mut builder = Client::builder(base_url, credentials);
        if let Some(n) = options.max_retries {
            builder = builder.retry(RetryPolicy {
                max_retries: n,
                ..RetryPolicy::default()
            });
        }
        if let Some(ms) = options.timeout_ms {
            builder = builder.timeout(millis(ms)?);
        }
        if let Some(ms) = options.stream_idle_timeout_ms {
            builder = builder.stream_idle_timeout(millis(ms)?);
        }
        let inner = builder.build().map_err(|e| to_js_error(&e))?;
        Ok(JsClient { inner })
    }

    /// The server URL, without a trailing slash.
    #[wasm_bindgen(getter, js_name = baseUrl)]
    pub fn base_url(&self) -> String {
        self.inner.base_url().to_owned()
    }

    /// Kino's API: a handle per tag of the contract (generated JS over the generic calls in `call.rs`).
    #[cfg(feature = "kino")]
    #[wasm_bindgen(getter, unchecked_return_type = "KinoApi")]
    pub fn kino(&self) -> JsValue {
        let client = JsClient {
            inner: self.inner.clone(),
        };
        create_kino_api(client)
    }

    /// KinBot's API: a handle per tag of its contract, declared in the `KinBot` namespace.
    #[cfg(feature = "kinbot")]
    #[wasm_bindgen(getter, unchecked_return_type = "KinBot.KinBotApi")]
    pub fn kinbot(&self) -> JsValue {
        let client = JsClient {
            inner: self.inner.clone(),
        };
        create_kinbot_api(client)
    }

    /// OpenAI-compatible chat completions.
    #[cfg(feature = "openai")]
    #[wasm_bindgen(getter)]
    pub fn chat(&self) -> JsChat {
        JsChat::new(self.inner.clone())
    }

    /// OpenAI-compatible model list.
    #[cfg(feature = "openai")]
    #[wasm_bindgen(getter)]
    pub fn models(&self) -> JsModels {
        JsModels::new(self.inner.clone())
    }

    /// Agent runs (Kindo).
    #[cfg(feature = "openai")]
    #[wasm_bindgen(getter)]
    pub fn agents(&self) -> JsAgents {
        JsAgents::new(self.inner.clone())
    }
}
