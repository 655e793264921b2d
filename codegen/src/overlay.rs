//! Applying a reviewed overlay to a derived contract.
//!
//! An overlay is `{"overlay": 1, "conventions": {...}, "corrections": [...]}`. Conventions are the
//! API's choices that code generation needs as data (base path, error shape, pagination, naming);
//! they are copied into the resolved contract unchanged. Each correction says which facts it rests on
//! (`"facts": "§4"`), why, and a `patch`: a list of operations on the contract, addressed by JSON
//! Pointer (RFC 6901), optionally relative to `"operation": "GET /path"` or `"schema": "Name"`:
//!
//! - `test` (`value` must equal what is there), `same` (it must equal what is at the pointer `as`)
//!   and `absent` (nothing may be there) pin what the document says, so a changed document fails
//!   loudly instead of being patched blindly;
//! - `add` (the target must not exist yet; `-` appends to an array), `replace` (it must exist) and
//!   `remove`;
//! - `replace_refs`: every `{"$ref": ref}` node becomes `with` (how per-type copies become one generic);
//! - `require_response_properties`: every property of every schema that only responses use (plus
//!   `include`) becomes required, except the pointers in `except` — for servers that always send
//!   every key, `null` when empty.

use serde_json::Value;

use crate::json::escape_token;
use crate::schema::{request_and_response_schemas, REF_PREFIX};
use crate::Result;

/// The contract with the overlay's corrections applied and its conventions attached.
pub fn apply(contract: &Value, overlay: &Value) -> Result<Value> {
    if overlay.get("overlay") != Some(&Value::from(1)) {
        return Err("the overlay must say \"overlay\": 1".into());
    }
    let mut resolved = contract.clone();
    let corrections = overlay
        .get("corrections")
        .and_then(Value::as_array)
        .ok_or("the overlay has no `corrections` list")?;
    for (index, correction) in corrections.iter().enumerate() {
        let facts = correction
            .get("facts")
            .and_then(Value::as_str)
            .unwrap_or("");
        let label = format!("correction {index} (facts {facts:?})");
        if !facts.contains('§') {
            return Err(format!("{label}: `facts` must cite a section, like \"§4\""));
        }
        if correction
            .get("why")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            return Err(format!("{label}: `why` must say what the correction fixes"));
        }
        let patch = correction
            .get("patch")
            .and_then(Value::as_array)
            .ok_or(format!("{label}: no `patch` list"))?;
        for (step, op) in patch.iter().enumerate() {
            apply_op(&mut resolved, op).map_err(|e| format!("{label}, step {step}: {e}"))?;
        }
    }
    let conventions = overlay
        .get("conventions")
        .cloned()
        .ok_or("the overlay has no `conventions`")?;
    resolved["conventions"] = conventions;
    Ok(resolved)
}

/// The pointer an operation addresses: `path`, after the `operation` or `schema` it is relative to.
fn target(op: &Value) -> Result<String> {
    let relative = op.get("path").and_then(Value::as_str).unwrap_or("");
    if !relative.is_empty() && !relative.starts_with('/') {
        return Err(format!("path {relative:?} must start with /"));
    }
    let base = match (op.get("operation"), op.get("schema")) {
        (Some(key), None) => format!(
            "/operations/{}",
            escape_token(key.as_str().ok_or("operation must be a string")?)
        ),
        (None, Some(name)) => format!(
            "/schemas/{}",
            escape_token(name.as_str().ok_or("schema must be a string")?)
        ),
        (None, None) => String::new(),
        (Some(_), Some(_)) => return Err("give `operation` or `schema`, not both".into()),
    };
    Ok(base + relative)
}

fn apply_op(contract: &mut Value, op: &Value) -> Result<()> {
    let kind = op.get("op").and_then(Value::as_str).ok_or("no `op`")?;
    let value = || {
        op.get("value")
            .cloned()
            .ok_or(format!("`{kind}` needs a `value`"))
    };
    match kind {
        "test" => {
            let pointer = target(op)?;
            let found = contract
                .pointer(&pointer)
                .ok_or(format!("test: nothing at {pointer}"))?;
            if *found != value()? {
                return Err(format!(
                    "test: {pointer} is {found}, not {} — the document changed; review this correction",
                    value()?
                ));
            }
        }
        "same" => {
            let pointer = target(op)?;
            let other = op
                .get("as")
                .and_then(Value::as_str)
                .ok_or("same needs `as`, a pointer")?;
            let found = contract
                .pointer(&pointer)
                .ok_or(format!("same: nothing at {pointer}"))?;
            let expected = contract
                .pointer(other)
                .ok_or(format!("same: nothing at {other}"))?;
            if found != expected {
                return Err(format!("same: {pointer} differs from {other} — the document changed; review this correction"));
            }
        }
        "absent" => {
            let pointer = target(op)?;
            if let Some(found) = contract.pointer(&pointer) {
                return Err(format!("absent: {pointer} exists ({found}) — the document changed; review this correction"));
            }
        }
        "add" => {
            let pointer = target(op)?;
            let (parent, token) = split(&pointer)?;
            let value = value()?;
            match contract.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    if map.contains_key(&token) {
                        return Err(format!("add: {pointer} already exists; use replace"));
                    }
                    map.insert(token, value);
                }
                Some(Value::Array(items)) => {
                    if token == "-" {
                        items.push(value);
                    } else {
                        let at: usize = token
                            .parse()
                            .map_err(|_| format!("add: bad index {token:?}"))?;
                        if at > items.len() {
                            return Err(format!("add: index {at} is past the end of {parent}"));
                        }
                        items.insert(at, value);
                    }
                }
                _ => return Err(format!("add: no object or array at {parent}")),
            }
        }
        "replace" => {
            let pointer = target(op)?;
            let slot = contract
                .pointer_mut(&pointer)
                .ok_or(format!("replace: nothing at {pointer}"))?;
            *slot = value()?;
        }
        "remove" => {
            let pointer = target(op)?;
            let (parent, token) = split(&pointer)?;
            let removed = match contract.pointer_mut(parent) {
                Some(Value::Object(map)) => map.remove(&token).is_some(),
                Some(Value::Array(items)) => match token.parse::<usize>() {
                    Ok(at) if at < items.len() => {
                        items.remove(at);
                        true
                    }
                    _ => false,
                },
                _ => false,
            };
            if !removed {
                return Err(format!("remove: nothing at {pointer}"));
            }
        }
        "replace_refs" => {
            let reference = op
                .get("ref")
                .and_then(Value::as_str)
                .ok_or("replace_refs needs `ref`")?;
            let with = op.get("with").cloned().ok_or("replace_refs needs `with`")?;
            let wanted = serde_json::json!({ "$ref": reference });
            let count = replace_nodes(contract, &wanted, &with);
            if count == 0 {
                return Err(format!("replace_refs: nothing refers to {reference}"));
            }
        }
        "require_response_properties" => require_response_properties(contract, op)?,
        "annotate" => annotate(contract, op)?,
        other => return Err(format!("unknown op {other:?}")),
    }
    Ok(())
}

/// `{"op": "annotate", "schema": S, "keyword": K, "values": {property: value}}` sets keyword `K` on
/// each named property of `S` (a `default`, an `x-secret` mark): one entry for a whole table of facts.
/// Every property must exist and must not carry `K` yet, so a changed document is noticed.
fn annotate(contract: &mut Value, op: &Value) -> Result<()> {
    let keyword = op
        .get("keyword")
        .and_then(Value::as_str)
        .ok_or("annotate needs `keyword`")?;
    let values = op
        .get("values")
        .and_then(Value::as_object)
        .filter(|values| !values.is_empty())
        .ok_or("annotate needs `values`, an object of property: value")?;
    let pointer = target(op)? + "/properties";
    let properties = contract
        .pointer_mut(&pointer)
        .and_then(Value::as_object_mut)
        .ok_or(format!("annotate: no properties at {pointer}"))?;
    for (name, value) in values {
        let property = properties
            .get_mut(name)
            .and_then(Value::as_object_mut)
            .ok_or(format!("annotate: {pointer} has no property {name}"))?;
        if property.contains_key(keyword) {
            return Err(format!(
                "annotate: {pointer}/{name} already has {keyword}; review this correction"
            ));
        }
        property.insert(keyword.to_owned(), value.clone());
    }
    Ok(())
}

fn split(pointer: &str) -> Result<(&str, String)> {
    let at = pointer
        .rfind('/')
        .ok_or(format!("{pointer:?} is not a JSON Pointer"))?;
    let token = pointer[at + 1..].replace("~1", "/").replace("~0", "~");
    Ok((&pointer[..at], token))
}

fn replace_nodes(node: &mut Value, wanted: &Value, with: &Value) -> usize {
    if node == wanted {
        *node = with.clone();
        return 1;
    }
    match node {
        Value::Object(map) => map
            .values_mut()
            .map(|v| replace_nodes(v, wanted, with))
            .sum(),
        Value::Array(items) => items
            .iter_mut()
            .map(|v| replace_nodes(v, wanted, with))
            .sum(),
        _ => 0,
    }
}

fn require_response_properties(contract: &mut Value, op: &Value) -> Result<()> {
    let (requests, responses) = request_and_response_schemas(contract);
    let mut names: Vec<String> = responses.difference(&requests).cloned().collect();
    for extra in op
        .get("include")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = extra.as_str().ok_or("include lists schema names")?;
        if requests.contains(name) {
            return Err(format!(
                "{name} is read from requests too, so its properties cannot all be required"
            ));
        }
        names.push(name.to_owned());
    }
    let except: Vec<String> = op
        .get("except")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    for pointer in &except {
        if contract.pointer(pointer).is_none() {
            return Err(format!("except: nothing at {pointer}"));
        }
    }
    names.sort();
    names.dedup();
    for name in names {
        let pointer = format!("/schemas/{}", escape_token(&name));
        if let Some(schema) = contract.pointer_mut(&pointer) {
            require_all(schema, &pointer, &except);
        }
    }
    Ok(())
}

/// Makes every property of every object node in `schema` required (not through `$ref`s, which are
/// handled as their own schemas).
fn require_all(schema: &mut Value, pointer: &str, except: &[String]) {
    let Some(map) = schema.as_object_mut() else {
        return;
    };
    if let Some(Value::Object(properties)) = map.get("properties") {
        let mut required: Vec<Value> = properties
            .keys()
            .filter(|name| {
                !except.contains(&format!("{pointer}/properties/{}", escape_token(name)))
            })
            .map(|name| Value::String(name.clone()))
            .collect();
        if let Some(Value::Array(existing)) = map.get("required") {
            for name in existing {
                if !required.contains(name) {
                    required.push(name.clone());
                }
            }
        }
        required.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
        map.insert("required".into(), Value::Array(required));
    }
    for key in ["oneOf", "allOf", "anyOf"] {
        if let Some(Value::Array(branches)) = map.get_mut(key) {
            for (i, branch) in branches.iter_mut().enumerate() {
                require_all(branch, &format!("{pointer}/{key}/{i}"), except);
            }
        }
    }
}

/// The name a `{"$ref"}` to a named schema carries, for messages.
pub fn schema_ref(name: &str) -> String {
    format!("{REF_PREFIX}{name}")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn contract() -> Value {
        json!({
            "operations": {"GET /a": {"parameters": [], "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Out"}}}}}},
                           "POST /a": {"parameters": [], "request_body": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/In"}}}}, "responses": {}}},
            "schemas": {
                "Out": {"type": "object", "properties": {"a": {"type": ["string", "null"]}, "b": {"type": "string"}}, "required": ["b"]},
                "In": {"type": "object", "properties": {"x": {"type": ["string", "null"]}}},
                "State": {"type": "string", "enum": ["a"]}
            }
        })
    }

    fn overlay(patch: Value) -> Value {
        json!({"overlay": 1, "conventions": {}, "corrections": [{"facts": "§1", "why": "test", "patch": patch}]})
    }

    #[test]
    fn tests_and_edits_apply_in_order() {
        let resolved = apply(
            &contract(),
            &overlay(json!([
                {"op": "test", "schema": "State", "path": "/enum", "value": ["a"]},
                {"op": "add", "schema": "State", "path": "/enum/-", "value": "b"},
                {"op": "absent", "schema": "Out", "path": "/properties/uptime"},
                {"op": "replace", "operation": "GET /a", "path": "/responses/200", "value": {}}
            ])),
        )
        .unwrap();
        assert_eq!(resolved["schemas"]["State"]["enum"], json!(["a", "b"]));
        assert_eq!(
            resolved["operations"]["GET /a"]["responses"]["200"],
            json!({})
        );
    }

    #[test]
    fn a_changed_document_fails_the_test_step() {
        let error = apply(
            &contract(),
            &overlay(json!([{"op": "test", "schema": "State", "path": "/enum", "value": ["z"]}])),
        )
        .unwrap_err();
        assert!(error.contains("review this correction"), "{error}");
        let error = apply(
            &contract(),
            &overlay(json!([{"op": "add", "schema": "Out", "path": "/required", "value": []}])),
        )
        .unwrap_err();
        assert!(error.contains("already exists"), "{error}");
    }

    #[test]
    fn corrections_must_cite_facts() {
        let mut bad = overlay(json!([]));
        bad["corrections"][0]["facts"] = json!("trust me");
        assert!(apply(&contract(), &bad).unwrap_err().contains("must cite"));
    }

    #[test]
    fn response_only_schemas_get_every_property_required() {
        let resolved = apply(
            &contract(),
            &overlay(json!([{"op": "require_response_properties"}])),
        )
        .unwrap();
        assert_eq!(resolved["schemas"]["Out"]["required"], json!(["a", "b"]));
        assert!(
            resolved["schemas"]["In"].get("required").is_none(),
            "request schemas keep optional fields"
        );
    }

    #[test]
    fn refs_are_replaced_everywhere() {
        let resolved = apply(
            &contract(),
            &overlay(json!([{"op": "replace_refs", "ref": schema_ref("Out"), "with": {"type": "string"}}])),
        )
        .unwrap();
        assert_eq!(
            resolved["operations"]["GET /a"]["responses"]["200"]["content"]["application/json"]
                ["schema"],
            json!({"type": "string"})
        );
    }
}
