//! What generated API modules build requests and read responses with, besides [`Transport::json`]
//! and [`Transport::empty`]: one query encoder, one path-segment encoder, WebSocket URLs, and whole
//! bodies that are not JSON (archives, images, playlists, subtitles) with their content type.

use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::http::{decode_json, encode_segment, serialize_body, with_idle_timeout};
use super::{ApiError, ErrorKind, Method, RequestBody, RequestOptions, Transport};

/// Query parameters encoded from a query struct: each field that is set becomes `name=value`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query(Vec<(String, String)>);

impl Query {
    /// Encodes a struct of scalars. `None` (serialized as `null`) leaves a parameter out; strings go as
    /// they are, numbers and booleans as JSON writes them; a list joins with commas.
    pub fn encode<T: Serialize + ?Sized>(params: &T) -> Result<Query, ApiError> {
        let invalid = |why: String| ApiError::new(ErrorKind::InvalidArgument, why);
        let value = serde_json::to_value(params)
            .map_err(|e| invalid(format!("the query could not be encoded: {e}")))?;
        let Value::Object(fields) = value else {
            return Err(invalid(
                "a query must be a struct of named parameters".into(),
            ));
        };
        let mut pairs = Vec::new();
        for (name, value) in fields {
            let text = match value {
                Value::Null => continue,
                Value::Array(items) => items
                    .iter()
                    .map(scalar)
                    .collect::<Option<Vec<_>>>()
                    .map(|parts| parts.join(",")),
                other => scalar(&other),
            };
            let text =
                text.ok_or_else(|| invalid(format!("query parameter {name} is not a scalar")))?;
            pairs.push((name, text));
        }
        Ok(Query(pairs))
    }

    /// The pairs as the transport takes them.
    pub fn pairs(&self) -> Vec<(&str, String)> {
        self.0
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect()
    }
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// One path parameter, percent-encoded so no value can change the route.
pub fn path_segment(value: &impl std::fmt::Display) -> String {
    encode_segment(&value.to_string())
}

/// The `ws://` or `wss://` URL for a path on the server at `base_url`.
pub fn websocket_url(base_url: &str, path: &str) -> String {
    let url = format!("{base_url}{path}");
    if let Some(rest) = url.strip_prefix("https://") {
        format!("wss://{rest}")
    } else if let Some(rest) = url.strip_prefix("http://") {
        format!("ws://{rest}")
    } else {
        url
    }
}

/// A successful response read whole, for bodies that are not (only) JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BytesResponse {
    /// The HTTP status (a success).
    pub status: u16,
    /// The `Content-Type` the server sent, if any.
    pub content_type: Option<String>,
    /// The body.
    pub body: Vec<u8>,
}

impl BytesResponse {
    /// The body decoded as JSON when the status is one of `statuses`, `None` for other successes
    /// (a `202 Accepted` with nothing to say, say).
    pub fn json_when<T: DeserializeOwned>(&self, statuses: &[u16]) -> Result<Option<T>, ApiError> {
        if statuses.contains(&self.status) {
            decode_json(&self.body, "the response").map(Some)
        } else {
            Ok(None)
        }
    }
}

impl Transport {
    /// Sends a request and reads its whole successful body, asking for `accept`.
    pub async fn bytes(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&(impl Serialize + ?Sized)>,
        accept: &str,
        options: &RequestOptions,
    ) -> Result<BytesResponse, ApiError> {
        let body = serialize_body(body)?;
        self.bytes_with(method, path, query, body, accept, options)
            .await
    }

    /// [`Transport::bytes`] with an already encoded body (a [`super::Multipart`] form, say).
    pub async fn bytes_with(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<RequestBody>,
        accept: &str,
        options: &RequestOptions,
    ) -> Result<BytesResponse, ApiError> {
        let mut options = options.clone();
        options.headers.push(("accept", accept.to_owned()));
        let response = self.send(method, path, query, body, &options).await?;
        let content_type = response
            .headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            .map(|(_, value)| value.clone());
        let idle = options
            .stream_idle_timeout
            .unwrap_or(self.config().stream_idle_timeout);
        let mut stream = with_idle_timeout(response.body, idle);
        let mut bytes = Vec::new();
        while let Some(chunk) = stream.next().await {
            bytes.extend_from_slice(&chunk?);
        }
        Ok(BytesResponse {
            status: response.status,
            content_type,
            body: bytes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Params {
        limit: Option<i64>,
        cursor: Option<String>,
        r#type: Option<String>,
        flag: bool,
        ids: Vec<u32>,
    }

    #[test]
    fn set_fields_become_pairs_and_none_is_left_out() {
        let query = Query::encode(&Params {
            limit: Some(5),
            cursor: None,
            r#type: Some("a b".into()),
            flag: true,
            ids: vec![1, 2],
        })
        .unwrap();
        let mut pairs = query.pairs();
        pairs.sort();
        assert_eq!(
            pairs,
            vec![
                ("flag", "true".to_owned()),
                ("ids", "1,2".to_owned()),
                ("limit", "5".to_owned()),
                ("type", "a b".to_owned()),
            ]
        );
        let error = Query::encode(&5).unwrap_err();
        assert_eq!(error.kind, ErrorKind::InvalidArgument);
    }

    #[test]
    fn segments_and_websocket_urls() {
        assert_eq!(
            path_segment(&"wanted search/../x"),
            "wanted%20search%2F..%2Fx"
        );
        assert_eq!(path_segment(&42), "42");
        assert_eq!(
            websocket_url("https://h:1/p", "/api/v1/ws"),
            "wss://h:1/p/api/v1/ws"
        );
        assert_eq!(websocket_url("http://h", "/api/v1/ws"), "ws://h/api/v1/ws");
    }

    #[test]
    fn json_only_for_the_statuses_that_carry_it() {
        let response = BytesResponse {
            status: 202,
            content_type: None,
            body: Vec::new(),
        };
        assert_eq!(response.json_when::<u32>(&[200]).unwrap(), None);
        let response = BytesResponse {
            status: 200,
            content_type: None,
            body: b"7".to_vec(),
        };
        assert_eq!(response.json_when::<u32>(&[200]).unwrap(), Some(7));
    }
}
