//! `client.kinbot`: the generated classes (`generated/kinbot.js`, a handle per tag of the contract over
//! the generic calls in `call.rs`) and their declarations (`generated/kinbot.d.ts`, in the `KinBot`
//! namespace).

use wasm_bindgen::prelude::*;

use super::client::JsClient;

#[wasm_bindgen(typescript_custom_section)]
const KINBOT_TS: &str = include_str!("generated/kinbot.d.ts");

#[wasm_bindgen(module = "/src/js/generated/kinbot.js")]
extern "C" {
    /// The generated `KinBotApi` over `client`'s generic calls.
    #[wasm_bindgen(js_name = createKinBotApi)]
    pub(crate) fn create_kinbot_api(client: JsClient) -> JsValue;
}
