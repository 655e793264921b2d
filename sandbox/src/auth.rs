//! The sandbox's single credential: the API key, accepted the three ways Kino accepts it.
//! Each API turns a failure into its own error shape.

use axum::extract::{Query, Request};
use axum::http::header::AUTHORIZATION;

/// True when the request carries `key` as `Authorization: Bearer`, `X-Api-Key` or
/// `?api_key=` (URL-decoded).
pub fn is_authorized(req: &Request, key: &str) -> bool {
    let headers = req.headers();
    let bearer = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer_token);
    if bearer.is_some_and(|b| same(b, key)) {
        return true;
    }
    let header = headers
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    if header.is_some_and(|h| same(h, key)) {
        return true;
    }
    if req.uri().query().is_some() {
        if let Ok(Query(pairs)) = Query::<Vec<(String, String)>>::try_from_uri(req.uri()) {
            return pairs
                .iter()
                .any(|(name, value)| name == "api_key" && same(value, key));
        }
    }
    false
}

/// The token of a `Bearer` credential. The scheme name is case-insensitive (RFC 9110 §11.1), and
/// any run of spaces may follow it.
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim_start().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|token| !token.is_empty())
}

/// Constant-time comparison, so response timing does not reveal how much of a guessed
/// key was right. The length is not secret (every generated key is 36 characters).
fn same(given: &str, key: &str) -> bool {
    let (a, b) = (given.as_bytes(), key.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn req(uri: &str, header: Option<(&str, &str)>) -> Request {
        let mut builder = axum::http::Request::builder().uri(uri);
        if let Some((name, value)) = header {
            builder = builder.header(name, value);
        }
        builder.body(Body::empty()).unwrap()
    }

    #[test]
    fn accepts_the_three_forms() {
        assert!(is_authorized(
            &req("/", Some(("authorization", "Bearer k 1"))),
            "k 1"
        ));
        assert!(is_authorized(&req("/", Some(("x-api-key", "k1"))), "k1"));
        assert!(is_authorized(&req("/?a=b&api_key=k%201", None), "k 1"));
        assert!(!is_authorized(&req("/?api_key=k2", None), "k1"));
        assert!(!is_authorized(
            &req("/", Some(("authorization", "Basic k1"))),
            "k1"
        ));
        for scheme in ["BEARER", "bearer", "BeArEr"] {
            let value = format!("{scheme}  k1");
            assert!(
                is_authorized(&req("/", Some(("authorization", &value))), "k1"),
                "{scheme}"
            );
        }
        assert!(!is_authorized(
            &req("/", Some(("authorization", "Bearerk1"))),
            "k1"
        ));
    }
}
