//! The walk every API's contract gets: each operation of the committed contract has a generated
//! Rust method with its HTTP method, path, parameter names, body and response kind, and a JS method
//! (from the JS operation table, emitted by the same loop as the JS methods) with the Rust method's
//! name in camelCase, the same response kind, and a walker exactly where Rust has an `_all` stream.
//!
//! `operations_follow_the_contract!(module, "contract.json", "api.operations.json")` expands to those
//! tests for one API; the paths are relative to the SDK's folder.

use std::collections::BTreeSet;

use kinlink::transport::Method;
use serde_json::Value;

pub fn method_of(name: &str) -> Method {
    match name {
        "GET" => Method::Get,
        "POST" => Method::Post,
        "PUT" => Method::Put,
        "PATCH" => Method::Patch,
        "DELETE" => Method::Delete,
        other => panic!("the contract uses {other}, which the transport has no Method for"),
    }
}

pub fn http(method: Method) -> &'static str {
    match method {
        Method::Get => "GET",
        Method::Post => "POST",
        Method::Put => "PUT",
        Method::Patch => "PATCH",
        Method::Delete => "DELETE",
    }
}

/// `snake_case` → `camelCase`, the JS spelling of a Rust name.
pub fn camel(snake: &str) -> String {
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

pub fn template_names(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
        .collect()
}

/// The names of an operation's parameters in one location.
pub fn named(op: &Value, location: &str) -> BTreeSet<String> {
    op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["in"] == location)
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect()
}

/// The media type the generated method sends: JSON when the operation offers it, else its only one.
pub fn request_media_type(op: &Value) -> Option<String> {
    let content = op.get("request_body")?["content"].as_object()?;
    content
        .keys()
        .find(|m| *m == "application/json")
        .or_else(|| content.keys().next())
        .cloned()
}

/// The media types of the success bodies, joined as `Accept` takes them.
pub fn response_media_types(op: &Value) -> Option<String> {
    let media: BTreeSet<&String> = op["responses"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(status, _)| status.starts_with('2'))
        .filter_map(|(_, r)| r.get("content"))
        .flat_map(|c| c.as_object().unwrap().keys())
        .collect();
    (!media.is_empty()).then(|| media.into_iter().cloned().collect::<Vec<_>>().join(", "))
}

macro_rules! operations_follow_the_contract {
    ($module:path, $contract:literal, $js_table:literal) => {
        mod operations_follow_the_contract {
            use std::collections::{BTreeMap, BTreeSet};

            use serde_json::Value;
            use $module::{ResponseInfo, OPERATIONS};

            use super::support::operations::*;

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
            fn every_contract_operation_has_a_generated_rust_method() {
                let contract: Value = serde_json::from_str(include_str!(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/",
                    $contract
                )))
                .unwrap();
                let operations = contract["operations"].as_object().unwrap();
                assert_eq!(
                    OPERATIONS.len(),
                    operations.len(),
                    "one generated method per operation"
                );
                let mut methods = BTreeSet::new();
                for (key, op) in operations {
                    let method = method_of(op["method"].as_str().unwrap());
                    let path = op["path"].as_str().unwrap();
                    let info = OPERATIONS
                        .iter()
                        .find(|i| i.method == method && i.path == path)
                        .unwrap_or_else(|| panic!("{key} has no generated method"));
                    assert_eq!(info.operation_id, op["operation_id"], "{key}");
                    assert_eq!(info.tag, op["tags"][0], "{key}");
                    // Path arguments come in the order the template names them.
                    let path_params: Vec<String> =
                        info.path_params.iter().map(|p| p.to_string()).collect();
                    assert_eq!(path_params, template_names(path), "{key}");
                    assert_eq!(
                        path_params.into_iter().collect::<BTreeSet<_>>(),
                        named(op, "path"),
                        "{key}"
                    );
                    let query: BTreeSet<String> =
                        info.query_params.iter().map(|p| p.to_string()).collect();
                    assert_eq!(query, named(op, "query"), "{key}");
                    assert_eq!(info.query_type.is_some(), !query.is_empty(), "{key}");
                    assert_eq!(
                        info.request_body.map(str::to_owned),
                        request_media_type(op),
                        "{key}"
                    );
                    let responses = op["responses"].as_object().unwrap();
                    let media = response_media_types(op);
                    match info.response {
                        ResponseInfo::WebSocket => {
                            assert!(media.is_none() && responses.contains_key("101"), "{key}")
                        }
                        ResponseInfo::Empty => {
                            assert!(media.is_none(), "{key} has a body to return")
                        }
                        // A body the document left out is added by an overlay; every other success
                        // body is the contract's own.
                        _ => {
                            if media.is_some() {
                                assert_eq!(media.as_deref(), info.response_media_type, "{key}");
                            }
                        }
                    }
                    assert!(
                        methods.insert((info.handle, info.rust_method)),
                        "{key}: {}().{}() is generated twice",
                        info.handle,
                        info.rust_method
                    );
                }
            }

            #[test]
            fn every_js_method_is_the_rust_method_in_camel_case() {
                let rows: Vec<Value> = serde_json::from_str(include_str!(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/",
                    $js_table
                )))
                .expect("the table is JSON");
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
                    "the JS table and OPERATIONS disagree"
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
        }
    };
}
