// Every type that crosses the wire derives the same set of traits; on the wasm build with the `js`
// feature it also emits a TypeScript declaration, so the npm package's `.d.ts` and the Rust types cannot
// drift apart. Unknown fields are ignored by serde's default, which is what forward compatibility needs.
macro_rules! wire_types {
    ($($item:item)*) => {
        $(
            #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
            #[cfg_attr(all(target_arch = "wasm32", feature = "js"), derive(tsify::Tsify))]
            $item
        )*
    };
}

/// `null` decodes like an absent field: compatible servers send `"tool_calls": null`, `"choices": null`
/// or `"id": null` where others omit the key.
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + serde::Deserialize<'de>,
{
    use serde::Deserialize;
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}
