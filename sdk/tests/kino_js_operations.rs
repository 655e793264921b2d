//! The npm package's generated Kino classes follow the same plans as the generated Rust: for every
//! operation, the JS table (`src/js/generated/kino.operations.json`, emitted from the same loop as the
//! JS methods) names the Rust handle and method in camelCase, the same kind of response, and a walker
//! exactly where Rust has an `_all` stream.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use kinlink::kino::generated::{ResponseInfo, OPERATIONS};
use kinlink::transport::Method;
use serde_json::Value;

const JS_OPERATIONS: &str = include_str!("../src/js/generated/kino.operations.json");

fn http(method: Method) -> &'static str {
    match method {
        Method::Get => "GET",
        Method::Post => "POST",
        Method::Put => "PUT",
        Method::Patch => "PATCH",
        Method::Delete => "DELETE",
    }
}

/// `snake_case` → `camelCase`, the JS spelling of a Rust name.
fn camel(snake: &str) -> String {
    let mut out = String::new();
    for (i, word) in snake.split('_').enumerate() {
        let mut chars = word.chars();
        match chars.next() {
            Some(first) if i > 0 => {
                out.push(first.to_ascii_uppercase());
                out.push_str(chars.as_str());
            }
            _ => out.push_str(word),
        }
    }
    out
}

fn response_name(response: ResponseInfo) -> &'static str {
    match response {
        ResponseInfo::Empty => "empty",
        ResponseInfo::Json => "json",
        ResponseInfo::JsonOrEmpty => "json_or_empty",
        ResponseInfo::Bytes => "bytes",
        ResponseInfo::WebSocket => "websocket",
    }
}

#[test]
fn every_js_method_is_the_rust_method_in_camel_case() {
    let rows: Vec<Value> = serde_json::from_str(JS_OPERATIONS).expect("the table is JSON");
    let js: BTreeMap<&str, &Value> = rows
        .iter()
        .map(|row| (row["operation"].as_str().expect("an operation key"), row))
        .collect();
    assert_eq!(
        js.len(),
        rows.len(),
        "an operation appears twice in the JS table"
    );
    assert_eq!(
        js.len(),
        OPERATIONS.len(),
        "the JS table and OPERATIONS disagree on how many operations there are"
    );
    for op in OPERATIONS {
        let key = format!("{} {}", http(op.method), op.path);
        let row = js
            .get(key.as_str())
            .unwrap_or_else(|| panic!("{key} has no JS method"));
        assert_eq!(row["handle"], camel(op.handle), "{key}: handle");
        assert_eq!(row["method"], camel(op.rust_method), "{key}: method");
        assert_eq!(
            row["response"],
            response_name(op.response),
            "{key}: response kind"
        );
        let walker = op
            .paginated
            .then(|| format!("{}All", camel(op.rust_method)));
        assert_eq!(row["all"].as_str(), walker.as_deref(), "{key}: the walker");
    }
}

#[test]
fn camel_case_of_rust_names() {
    assert_eq!(camel("for_episode"), "forEpisode");
    assert_eq!(camel("config_api"), "configApi");
    assert_eq!(camel("list"), "list");
}
