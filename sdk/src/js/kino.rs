//! `client.kino`: Kino's operations as promises.

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::client::CallOptionsArg;
use super::promise;
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
        promise(options, move |o| async move { client.kino().with_options(o).status().await })
    }

    /// `GET /api/v1/config`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Config>")]
    pub fn config(&self, options: Option<CallOptionsArg>) -> Promise {
        let client = self.client.clone();
        promise(options, move |o| async move { client.kino().with_options(o).config().await })
    }
}
