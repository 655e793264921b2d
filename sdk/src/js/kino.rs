//! `client.kino`: the generated classes (`generated/kino.js`, a handle per tag of the contract over the
//! generic calls in `call.rs`) and their declarations (`generated/kino.d.ts`).

use wasm_bindgen::prelude::*;

use super::client::JsClient;

#[wasm_bindgen(typescript_custom_section)]
const KINO_TS: &str = include_str!("generated/kino.d.ts");

#[wasm_bindgen(module = "/src/js/generated/kino.js")]
extern "C" {
    /// The generated `KinoApi` over `client`'s generic calls.
    #[wasm_bindgen(js_name = createKinoApi)]
    pub(crate) fn create_kino_api(client: JsClient) -> JsValue;
}
