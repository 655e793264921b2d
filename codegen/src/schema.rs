//! Reading JSON Schema 2020-12 as the contracts use it: references, nullability, reachability.

use std::collections::{BTreeSet, VecDeque};

use serde_json::Value;

/// The prefix of a reference to a named schema.
pub const REF_PREFIX: &str = "#/components/schemas/";

/// The schema name a `$ref` points at, if this node is a reference.
pub fn ref_name(schema: &Value) -> Option<&str> {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix(REF_PREFIX))
}

/// An object schema's properties, in the contract's order.
pub fn properties(schema: &Value) -> Vec<(String, Value)> {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// An object schema's required property names.
pub fn required(schema: &Value) -> BTreeSet<String> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// The JSON types a node allows (`"type": "x"` or `"type": ["x", "null"]`).
pub fn types(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// For `oneOf: [{"type": "null"}, X]` (either order), the non-null branch.
pub fn nullable_branch(schema: &Value) -> Option<&Value> {
    let branches = schema.get("oneOf")?.as_array()?;
    if branches.len() != 2 {
        return None;
    }
    let is_null = |b: &Value| types(b) == ["null"] && b.as_object().is_some_and(|m| m.len() == 1);
    match (is_null(&branches[0]), is_null(&branches[1])) {
        (true, false) => Some(&branches[1]),
        (false, true) => Some(&branches[0]),
        _ => None,
    }
}

/// Whether the node accepts `null`.
pub fn is_nullable(schema: &Value) -> bool {
    types(schema).contains(&"null") || nullable_branch(schema).is_some()
}

/// Every schema name referenced from `node`, directly or through named schemas.
pub fn reachable(schemas: &Value, roots: impl IntoIterator<Item = Value>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut queue: VecDeque<Value> = roots.into_iter().collect();
    while let Some(node) = queue.pop_front() {
        let mut names = Vec::new();
        collect_refs(&node, &mut names);
        for name in names {
            if seen.insert(name.clone()) {
                if let Some(schema) = schemas.get(&name) {
                    queue.push_back(schema.clone());
                }
            }
        }
    }
    seen
}

fn collect_refs(node: &Value, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            if let Some(name) = ref_name(node) {
                out.push(name.to_owned());
            }
            for value in map.values() {
                collect_refs(value, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_refs(i, out)),
        _ => {}
    }
}

/// The schemas operations read from clients (parameters and request bodies) and send back
/// (responses), as two sets of names.
pub fn request_and_response_schemas(contract: &Value) -> (BTreeSet<String>, BTreeSet<String>) {
    let schemas = &contract["schemas"];
    let mut requests = Vec::new();
    let mut responses = Vec::new();
    if let Some(operations) = contract["operations"].as_object() {
        for op in operations.values() {
            requests.push(op["parameters"].clone());
            requests.push(op.get("request_body").cloned().unwrap_or(Value::Null));
            responses.push(op["responses"].clone());
        }
    }
    (reachable(schemas, requests), reachable(schemas, responses))
}
