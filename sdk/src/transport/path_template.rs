//! Paths from templates: `/api/v1/movies/{id}` plus named values, for callers that describe a request
//! as data instead of calling a typed method (the JS bindings' generic calls). Each value goes through
//! the one path-segment encoder, so no value can change the route.

use serde_json::{Map, Value};

use super::{encode_segment, ApiError, ErrorKind};

/// The template with each `{name}` replaced by its percent-encoded value (strings as they are,
/// numbers and booleans as JSON writes them). A missing (or `null`), unused or non-scalar value is an
/// [`ErrorKind::InvalidArgument`] error, so a typo never sends a request to the wrong route.
pub fn fill_path(template: &str, values: &Map<String, Value>) -> Result<String, ApiError> {
    let invalid = |message: String| ApiError::new(ErrorKind::InvalidArgument, message);
    let mut path = String::with_capacity(template.len());
    let mut rest = template;
    let mut filled = 0;
    while let Some(open) = rest.find('{') {
        let close = rest[open..]
            .find('}')
            .map(|at| open + at)
            .ok_or_else(|| invalid(format!("the path template {template:?} has an unclosed {{")))?;
        let name = &rest[open + 1..close];
        let value = match values.get(name) {
            Some(Value::String(text)) => text.clone(),
            Some(value @ (Value::Number(_) | Value::Bool(_))) => value.to_string(),
            // `undefined` from JS arrives as `null`: an argument left out.
            None | Some(Value::Null) => {
                return Err(invalid(format!("path parameter {name} is missing")))
            }
            Some(_) => return Err(invalid(format!("path parameter {name} is not a scalar"))),
        };
        path.push_str(&rest[..open]);
        path.push_str(&encode_segment(&value));
        filled += 1;
        rest = &rest[close + 1..];
    }
    path.push_str(rest);
    if filled != values.len() {
        let unused: Vec<&String> = values
            .keys()
            .filter(|name| !template.contains(&format!("{{{name}}}")))
            .collect();
        return Err(invalid(format!(
            "the path template {template:?} has no parameter {unused:?}"
        )));
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(json: &str) -> Map<String, Value> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn values_become_encoded_segments() {
        let path = fill_path(
            "/api/v1/play/{kind}/{entity_id}/prepare",
            &values(r#"{"kind": "a/../b c", "entity_id": 7}"#),
        )
        .unwrap();
        assert_eq!(path, "/api/v1/play/a%2F..%2Fb%20c/7/prepare");
        assert_eq!(
            fill_path("/x/{on}", &values(r#"{"on": true}"#)).unwrap(),
            "/x/true"
        );
        assert_eq!(fill_path("/status", &Map::new()).unwrap(), "/status");
    }

    #[test]
    fn missing_unused_and_non_scalar_values_are_refused() {
        let missing = fill_path("/movies/{id}", &Map::new()).unwrap_err();
        assert_eq!(
            (missing.kind, missing.message.as_str()),
            (ErrorKind::InvalidArgument, "path parameter id is missing")
        );
        let unused = fill_path("/movies/{id}", &values(r#"{"id": 1, "idd": 2}"#)).unwrap_err();
        assert!(
            unused.message.ends_with("has no parameter [\"idd\"]"),
            "{}",
            unused.message
        );
        let nested = fill_path("/movies/{id}", &values(r#"{"id": [1]}"#)).unwrap_err();
        assert_eq!(nested.message, "path parameter id is not a scalar");
        let null = fill_path("/movies/{id}", &values(r#"{"id": null}"#)).unwrap_err();
        assert_eq!(null.message, "path parameter id is missing");
        let unclosed = fill_path("/movies/{id", &values(r#"{"id": 1}"#)).unwrap_err();
        assert!(
            unclosed.message.contains("unclosed"),
            "{}",
            unclosed.message
        );
    }
}
