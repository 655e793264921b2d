//! Stable JSON text: keys sorted at every level, two-space indentation, a final newline, so a
//! regenerated file differs from the committed one only where the content does.

use serde_json::{Map, Value};

/// The value with every object's keys in sorted order, whatever map type serde_json was built with.
pub fn canonical(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for key in keys {
                out.insert(key.clone(), canonical(&map[key]));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

/// Pretty, sorted JSON text ending in a newline.
pub fn to_text(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(&canonical(value)).expect("JSON values serialize");
    text.push('\n');
    text
}

/// Parses a JSON file's text, naming the file in the error.
pub fn parse(text: &str, what: &str) -> crate::Result<Value> {
    serde_json::from_str(text).map_err(|e| format!("{what} is not valid JSON: {e}"))
}

/// RFC 6901 escaping of one JSON Pointer token.
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_sorted_at_every_level() {
        let value: Value =
            serde_json::from_str(r#"{"b":{"z":1,"a":[{"y":1,"x":2}]},"a":0}"#).unwrap();
        assert_eq!(
            to_text(&value),
            "{\n  \"a\": 0,\n  \"b\": {\n    \"a\": [\n      {\n        \"x\": 2,\n        \"y\": 1\n      }\n    ],\n    \"z\": 1\n  }\n}\n"
        );
    }
}
