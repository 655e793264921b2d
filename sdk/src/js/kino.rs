//! `client.kino`: the generated classes (`generated/kino.js`, a handle per tag of the contract over the
//! generic calls in `call.rs`) and the methods they keep from before the contract, with the types they
//! had (`KinoLegacyApi`). `status`, `config`, `history` and `historyAll` are the generated reads under
//! those names (see `conventions.js.kept` in the overlay); `updateConfig` is the hand-written binding
//! below, because it checks the update against [`ConfigUpdate`] before sending it.

use js_sys::Promise;
use serde_json::Map;
use wasm_bindgen::prelude::*;

use super::call::{parse, Prepared};
use super::client::{CallOptionsArg, JsClient};
use super::{from_js, promise_value};
use crate::kino::ConfigUpdate;
use crate::transport::Method;
use crate::{ApiError, Client, ErrorKind};

#[wasm_bindgen(typescript_custom_section)]
const KINO_TS: &str = include_str!("generated/kino.d.ts");

#[wasm_bindgen(typescript_custom_section)]
const KINO_LEGACY_TS: &str = r#"
/** `client.kino`'s methods from before the contract, with their hand-written types. */
export interface KinoLegacyApi {
  /** `GET /api/v1/status` (the same as `system.getStatus()`). Public: needs no credentials. */
  status(options?: CallOptions): Promise<Status>;
  /** `GET /api/v1/config` (the same as `configApi.get()`). */
  config(options?: CallOptions): Promise<Config>;
  /** `PUT /api/v1/config`: a partial update, checked before it is sent (a field of the wrong type rejects
   * with kind `invalid_argument`, unknown fields are left out); resolves with the whole config. */
  updateConfig(update: ConfigUpdate, options?: CallOptions): Promise<Config>;
  /** `GET /api/v1/history`: one page, newest first (the same as `historyApi.list()`). */
  history(query?: HistoryQuery, options?: CallOptions): Promise<Page<HistoryEntry>>;
  /** Every history entry, newest first, fetched page by page (`query.limit` per page) as the loop reads
   * (the same as `historyApi.listAll()`). */
  historyAll(query?: HistoryQuery, options?: CallOptions): AsyncItemStream<HistoryEntry>;
}
"#;

#[wasm_bindgen(module = "/src/js/generated/kino.js")]
extern "C" {
    /// The generated `KinoApi` over `client`'s generic calls, keeping `hand_written`'s methods.
    #[wasm_bindgen(js_name = createKinoApi)]
    pub(crate) fn create_kino_api(client: JsClient, hand_written: JsKino) -> JsValue;
}

/// The hand-written bindings `KinoApi` delegates to; not exported, so only `client.kino` reaches them.
#[wasm_bindgen(js_name = KinoBindings, private)]
pub struct JsKino {
    client: Client,
}

impl JsKino {
    pub(crate) fn new(client: Client) -> JsKino {
        JsKino { client }
    }
}

#[wasm_bindgen(js_class = KinoBindings)]
impl JsKino {
    /// `PUT /api/v1/config`: the update is decoded as a [`ConfigUpdate`] (so a field of the wrong type is
    /// an `invalid_argument` error and unknown fields are dropped) and sent as it encodes; resolves with
    /// the server's JSON.
    #[wasm_bindgen(js_name = updateConfig, unchecked_return_type = "Promise<Config>")]
    pub fn update_config(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ConfigUpdate")] update: JsValue,
        options: Option<CallOptionsArg>,
    ) -> Promise {
        let client = self.client.clone();
        let update = from_js::<ConfigUpdate>(update, "config update");
        promise_value(options, move |options| async move {
            let body = serde_json::value::to_raw_value(&update?).map_err(|e| {
                ApiError::new(
                    ErrorKind::InvalidArgument,
                    format!("invalid config update: {e}"),
                )
            })?;
            let request = Prepared::new(Method::Put, "/api/v1/config", Map::new(), Some(body));
            match request.json(&client, &options).await? {
                Some(raw) => parse(&raw),
                None => Ok(JsValue::NULL),
            }
        })
    }
}
