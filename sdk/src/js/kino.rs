//! `client.kino`: Kino's operations as promises.

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use futures_util::StreamExt;

use super::client::{CallOptions, CallOptionsArg};
use super::error::to_js_error;
use super::item_stream::JsItemStream;
use super::{from_js, promise, to_js_value};
use crate::kino::{ConfigUpdate, HistoryQuery};
use crate::Client;

/// Kino's operations.
#[wasm_bindgen(js_name = KinoApi)]
pub struct JsKino {
    client: Client,
}

impl JsKino {
    pub(crate) fn new(client: Client) -> JsKino {
        JsKino { client }
    }
}

#[wasm_bindgen(js_class = KinoApi)]
impl JsKino {
    /// `GET /api/v1/status`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Status>")]
    pub fn status(&self, options: Option<CallOptionsArg>) -> Promise {
        let client = self.client.clone();
        promise(options, move |o| async move {
            client.kino().with_options(o).status().await
        })
    }

    /// `GET /api/v1/config`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Config>")]
    pub fn config(&self, options: Option<CallOptionsArg>) -> Promise {
        let client = self.client.clone();
        promise(options, move |o| async move {
            client.kino().with_options(o).config().await
        })
    }

    /// `PUT /api/v1/config`: a partial update; resolves with the whole config.
    #[wasm_bindgen(js_name = updateConfig, unchecked_return_type = "Promise<Config>")]
    pub fn update_config(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ConfigUpdate")] update: JsValue,
        options: Option<CallOptionsArg>,
    ) -> Promise {
        let client = self.client.clone();
        let update = from_js::<ConfigUpdate>(update, "config update");
        promise(options, move |o| async move {
            client.kino().with_options(o).update_config(&update?).await
        })
    }

    /// `GET /api/v1/history`: one page, newest first.
    #[wasm_bindgen(unchecked_return_type = "Promise<Page<HistoryEntry>>")]
    pub fn history(
        &self,
        #[wasm_bindgen(unchecked_param_type = "HistoryQuery | undefined")] query: JsValue,
        options: Option<CallOptionsArg>,
    ) -> Promise {
        let client = self.client.clone();
        let query = from_js::<HistoryQuery>(query, "history query");
        promise(options, move |o| async move {
            client.kino().with_options(o).history(&query?).await
        })
    }

    /// Every history entry, newest first, fetched page by page (`query.limit` per page) as the loop reads.
    #[wasm_bindgen(js_name = historyAll, unchecked_return_type = "AsyncItemStream<HistoryEntry>")]
    pub fn history_all(
        &self,
        #[wasm_bindgen(unchecked_param_type = "HistoryQuery | undefined")] query: JsValue,
        options: Option<CallOptionsArg>,
    ) -> Result<JsValue, JsValue> {
        let query = from_js::<HistoryQuery>(query, "history query").map_err(|e| to_js_error(&e))?;
        let options = CallOptions::from_js(options)?;
        let entries = self
            .client
            .kino()
            .with_options(options.request)
            .history_all(query);
        let items = entries.map(|entry| entry.and_then(|e| to_js_value(&e)));
        Ok(JsItemStream::wrap(Box::pin(items), options.signal))
    }
}
