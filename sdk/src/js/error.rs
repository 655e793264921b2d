//! `KinlinkError`: a real `Error` subclass carrying every field of [`ApiError`].

use wasm_bindgen::prelude::*;

use crate::ApiError;

#[wasm_bindgen(typescript_custom_section)]
const KINLINK_ERROR_TS: &str = r#"
/** What went wrong, independent of the server's wording. */
export type ErrorKind = "bad_request" | "unauthorized" | "forbidden" | "not_found" | "conflict" | "rate_limited"
  | "unavailable" | "server" | "network" | "timeout" | "aborted" | "decode" | "stream" | "invalid_argument" | "other";

/** Every promise of this package rejects with a `KinlinkError` (an `Error` subclass). */
export interface KinlinkError extends Error {
  name: "KinlinkError";
  kind: ErrorKind;
  /** HTTP status, when a response arrived. */
  status: number | null;
  /** The server's machine-readable code, as text. */
  code: string | null;
  /** OpenAI-style `type`. */
  errorType: string | null;
  /** OpenAI-style `param`. */
  param: string | null;
  /** Milliseconds the server asked to wait before retrying. */
  retryAfterMs: number | null;
  /** The request id the server echoed. */
  requestId: string | null;
  /** The start of a body that was not JSON. */
  bodyExcerpt: string | null;
  /**
   * For a `network` error in a browser: `true` when the server answered but refused this page (CORS),
   * `false` when nothing answered, `null` when not known.
   */
  reachedServer: boolean | null;
  /** The lower-level failure behind this one (an `Error`, possibly with its own `cause`), when there is one. */
  cause?: Error;
}
"#;

#[wasm_bindgen(inline_js = "
export class KinlinkError extends Error {
  constructor(message, fields, options) {
    super(message, options);
    this.name = 'KinlinkError';
    Object.assign(this, fields);
  }
}
")]
extern "C" {
    #[wasm_bindgen(js_name = KinlinkError)]
    type KinlinkErrorClass;
    #[wasm_bindgen(constructor, js_class = "KinlinkError")]
    fn new(message: &str, fields: &JsValue, options: &JsValue) -> KinlinkErrorClass;
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Fields<'a> {
    kind: &'a str,
    status: Option<u16>,
    code: Option<&'a str>,
    error_type: Option<&'a str>,
    param: Option<&'a str>,
    retry_after_ms: Option<f64>,
    request_id: Option<&'a str>,
    body_excerpt: Option<&'a str>,
    reached_server: Option<bool>,
}

/// Converts an SDK error into a thrown `KinlinkError`.
pub(crate) fn to_js_error(error: &ApiError) -> JsValue {
    let fields = Fields {
        kind: error.kind.as_str(),
        status: error.status,
        code: error.code.as_deref(),
        error_type: error.error_type.as_deref(),
        param: error.param.as_deref(),
        retry_after_ms: error.retry_after.map(|d| d.as_secs_f64() * 1000.0),
        request_id: error.request_id.as_deref(),
        body_excerpt: error.body_excerpt.as_deref(),
        reached_server: error.reached_server,
    };
    let fields = fields
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::UNDEFINED);
    KinlinkErrorClass::new(&error.to_string(), &fields, &cause_options(error)).into()
}

/// `{ cause }` for the `Error` constructor, the chain of [`std::error::Error::source`]s as plain `Error`s
/// (innermost last), or `undefined` when nothing caused this error.
fn cause_options(error: &ApiError) -> JsValue {
    let mut messages = Vec::new();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        messages.push(cause.to_string());
        source = cause.source();
    }
    let mut cause = JsValue::UNDEFINED;
    for message in messages.iter().rev() {
        let outer = js_sys::Error::new(message);
        if !cause.is_undefined() {
            outer.set_cause(&cause);
        }
        cause = outer.into();
    }
    if cause.is_undefined() {
        return cause;
    }
    let options = js_sys::Object::new();
    // Setting a property on a fresh plain object cannot throw.
    let _ = js_sys::Reflect::set(&options, &"cause".into(), &cause);
    options.into()
}

use serde::Serialize;

/// True when `value` is an error thrown by this package.
#[wasm_bindgen(js_name = isKinlinkError, unchecked_return_type = "value is KinlinkError")]
pub fn is_kinlink_error(#[wasm_bindgen(unchecked_param_type = "unknown")] value: &JsValue) -> bool {
    value.is_instance_of::<js_sys::Error>()
        && js_sys::Reflect::get(value, &"name".into())
            .ok()
            .and_then(|n| n.as_string())
            .as_deref()
            == Some("KinlinkError")
}
