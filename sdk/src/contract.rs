//! What every generated API module shares: the row types of its operation and schema tables, and
//! the helpers its tagged unions (de)serialize with. Written once here rather than generated into
//! each API's module.

use serde::ser::Error as _;

use crate::transport::Method;

/// How a method hands back a successful response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseInfo {
    /// Nothing to read.
    Empty,
    /// A decoded JSON body.
    Json,
    /// A decoded JSON body for some success statuses, `None` for the others.
    JsonOrEmpty,
    /// The raw body and its content type.
    Bytes,
    /// A WebSocket URL to open.
    WebSocket,
}

/// One operation and its generated method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationInfo {
    /// The contract's operation id (not unique: look operations up by method and path).
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template, `{name}` for each path parameter.
    pub path: &'static str,
    /// The contract tag that picks the handle.
    pub tag: &'static str,
    /// The accessor of the handle on the API entry point.
    pub handle: &'static str,
    /// The method on that handle.
    pub rust_method: &'static str,
    /// Path parameters in path order: the method's leading arguments.
    pub path_params: &'static [&'static str],
    /// Query parameters: the fields of `query_type`.
    pub query_params: &'static [&'static str],
    /// The query struct the method takes, if any.
    pub query_type: Option<&'static str>,
    /// The media type of the request body the method takes, if any.
    pub request_body: Option<&'static str>,
    /// How the method returns a success.
    pub response: ResponseInfo,
    /// The media type of the success body, if any.
    pub response_media_type: Option<&'static str>,
    /// The Rust type the method returns on success.
    pub response_type: &'static str,
    /// Whether the method has an `_all` stream over every page.
    pub paginated: bool,
    /// Security schemes that admit a caller; empty for public operations.
    pub security: &'static [&'static str],
}

/// One schema and its Rust type.
#[derive(Debug, Clone, Copy)]
pub struct SchemaInfo {
    /// The contract's schema name, or a generic instance such as `Page<Movie>`.
    pub name: &'static str,
    /// The generated Rust type.
    pub rust_type: &'static str,
    /// Decodes a JSON value as this type and encodes it again.
    pub round_trip: fn(serde_json::Value) -> Result<serde_json::Value, serde_json::Error>,
}

/// Decodes `value` as `T` and encodes it again: what [`SchemaInfo::round_trip`] points at.
pub fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(
    value: serde_json::Value,
) -> Result<serde_json::Value, serde_json::Error> {
    serde_json::to_value(serde_json::from_value::<T>(value)?)
}

/// The string at `tag` in an object, if there is one.
#[doc(hidden)]
pub fn tag_of<'v>(value: &'v serde_json::Value, tag: &str) -> Option<&'v str> {
    value.get(tag).and_then(serde_json::Value::as_str)
}

/// A variant's payload from the whole object (the payload ignores the tag like any unknown field).
#[doc(hidden)]
pub fn decode_variant<T: serde::de::DeserializeOwned, E: serde::de::Error>(
    value: serde_json::Value,
) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}

/// A variant's payload with its tag beside the other fields, as internally tagged JSON has it.
#[doc(hidden)]
pub fn serialize_tagged<S: serde::Serializer, T: serde::Serialize>(
    serializer: S,
    tag: &str,
    name: &str,
    payload: &T,
) -> Result<S::Ok, S::Error> {
    let mut value = serde_json::to_value(payload).map_err(S::Error::custom)?;
    let Some(fields) = value.as_object_mut() else {
        return Err(S::Error::custom(format!(
            "the payload of {tag} {name:?} is not an object"
        )));
    };
    fields.insert(tag.to_owned(), serde_json::Value::String(name.to_owned()));
    serde::Serialize::serialize(&value, serializer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tag_travels_beside_the_fields() {
        let value = serialize_tagged(
            serde_json::value::Serializer,
            "kind",
            "a",
            &serde_json::json!({"x": 1}),
        )
        .unwrap();
        assert_eq!(value, serde_json::json!({"kind": "a", "x": 1}));
        assert_eq!(tag_of(&value, "kind"), Some("a"));
        assert!(
            decode_variant::<u32, serde_json::Error>(value).is_err(),
            "an object is not a number"
        );
    }
}
