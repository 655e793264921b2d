//! OpenAPI 3.1 document → contract.
//!
//! The contract keeps what code is generated from and drops what is prose: every `description`,
//! `summary`, `example` and `examples` in keyword position goes (a *property* named `description`
//! stays), while names, types, formats, enums, required lists, nullability, defaults and bounds are
//! kept exactly. Operations are keyed `"METHOD /path"`, because operation ids need not be unique
//! (Kino's `get_status` names both `/status` and `/vpn/status`).

use serde_json::{json, Map, Value};

use crate::Result;

/// Path-item keys that are operations, in OpenAPI's order.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Keywords whose values are prose.
const PROSE: [&str; 4] = ["description", "summary", "example", "examples"];

/// Keywords whose value is one subschema.
const SUBSCHEMA: [&str; 8] = [
    "items",
    "additionalProperties",
    "propertyNames",
    "not",
    "contentSchema",
    "if",
    "then",
    "else",
];

/// Keywords whose value is a list of subschemas.
const SUBSCHEMA_LISTS: [&str; 4] = ["oneOf", "anyOf", "allOf", "prefixItems"];

/// Keywords whose value maps names to subschemas.
const SUBSCHEMA_MAPS: [&str; 4] = [
    "properties",
    "patternProperties",
    "$defs",
    "dependentSchemas",
];

/// The contract for an OpenAPI 3.1 document.
pub fn derive_contract(doc: &Value) -> Result<Value> {
    let version = doc
        .get("openapi")
        .and_then(Value::as_str)
        .ok_or("the source is not an OpenAPI document: it has no `openapi` version")?;
    if !version.starts_with("3.1") {
        return Err(format!(
            "OpenAPI {version} is not supported: the derivation reads 3.1 documents (type lists, not `nullable`)"
        ));
    }
    let inherited_security = security(doc.get("security"));
    let mut operations = Map::new();
    let paths = doc
        .get("paths")
        .and_then(Value::as_object)
        .ok_or("the document has no `paths` object")?;
    for (path, item) in paths {
        if item.get("$ref").is_some() {
            return Err(format!(
                "path {path} is a $ref, which the derivation does not follow"
            ));
        }
        let shared = item.get("parameters").cloned().unwrap_or(json!([]));
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let key = format!("{} {path}", method.to_uppercase());
            let entry = operation(method, path, op, &shared, &inherited_security)
                .map_err(|e| format!("{key}: {e}"))?;
            operations.insert(key, entry);
        }
    }
    let mut schemas = Map::new();
    if let Some(components) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for (name, schema) in components {
            schemas.insert(name.clone(), strip(schema));
        }
    }
    for kind in ["parameters", "responses", "requestBodies", "headers"] {
        if doc.pointer(&format!("/components/{kind}")).is_some() {
            return Err(format!(
                "components.{kind} is not supported yet: only schemas may be shared"
            ));
        }
    }
    let info = doc.get("info").cloned().unwrap_or(json!({}));
    Ok(json!({
        "contract": 1,
        "source": {
            "openapi": version,
            "title": info.get("title").cloned().unwrap_or(Value::Null),
            "version": info.get("version").cloned().unwrap_or(Value::Null),
        },
        "operations": operations,
        "schemas": schemas,
    }))
}

fn operation(
    method: &str,
    path: &str,
    op: &Value,
    shared: &Value,
    inherited: &Value,
) -> Result<Value> {
    let operation_id = op
        .get("operationId")
        .and_then(Value::as_str)
        .ok_or("no operationId")?;
    let mut parameters: Vec<Value> = Vec::new();
    let listed = shared.as_array().into_iter().flatten().chain(
        op.get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten(),
    );
    for parameter in listed {
        if parameter.get("$ref").is_some() {
            return Err("a parameter is a $ref, which the derivation does not follow".into());
        }
        let name = parameter
            .get("name")
            .and_then(Value::as_str)
            .ok_or("a parameter has no name")?;
        let location = parameter
            .get("in")
            .and_then(Value::as_str)
            .ok_or("a parameter has no `in`")?;
        let mut entry = json!({
            "name": name,
            "in": location,
            // OpenAPI: path parameters are always required; others default to optional.
            "required": parameter.get("required").and_then(Value::as_bool).unwrap_or(location == "path"),
            "schema": strip(parameter.get("schema").unwrap_or(&json!({}))),
        });
        for kept in ["style", "explode", "deprecated"] {
            if let Some(value) = parameter.get(kept) {
                entry[kept] = value.clone();
            }
        }
        // An operation-level parameter overrides a path-level one of the same name and location.
        parameters.retain(|p| !(p["name"] == name && p["in"] == location));
        parameters.push(entry);
    }
    let mut entry = json!({
        "operation_id": operation_id,
        "method": method.to_uppercase(),
        "path": path,
        "tags": op.get("tags").cloned().unwrap_or(json!([])),
        // An operation without its own `security` inherits the document's.
        "security": match op.get("security") {
            Some(own) => security(Some(own)),
            None => inherited.clone(),
        },
        "parameters": parameters,
        "responses": responses(op.get("responses"))?,
    });
    if let Some(body) = op.get("requestBody") {
        if body.get("$ref").is_some() {
            return Err("the request body is a $ref, which the derivation does not follow".into());
        }
        entry["request_body"] = json!({
            "required": body.get("required").and_then(Value::as_bool).unwrap_or(false),
            "content": content(body.get("content")),
        });
    }
    if op.get("deprecated").and_then(Value::as_bool) == Some(true) {
        entry["deprecated"] = json!(true);
    }
    Ok(entry)
}

fn responses(responses: Option<&Value>) -> Result<Value> {
    let mut out = Map::new();
    for (status, response) in responses.and_then(Value::as_object).into_iter().flatten() {
        if response.get("$ref").is_some() {
            return Err(format!(
                "response {status} is a $ref, which the derivation does not follow"
            ));
        }
        let mut entry = Map::new();
        if let Some(body) = response.get("content") {
            entry.insert("content".into(), content(Some(body)));
        }
        if let Some(headers) = response.get("headers").and_then(Value::as_object) {
            let names: Vec<Value> = headers.keys().map(|k| Value::String(k.clone())).collect();
            entry.insert("headers".into(), Value::Array(names));
        }
        out.insert(status.clone(), Value::Object(entry));
    }
    Ok(Value::Object(out))
}

fn content(content: Option<&Value>) -> Value {
    let mut out = Map::new();
    for (media_type, body) in content.and_then(Value::as_object).into_iter().flatten() {
        let mut entry = Map::new();
        if let Some(schema) = body.get("schema") {
            entry.insert("schema".into(), strip(schema));
        }
        out.insert(media_type.clone(), Value::Object(entry));
    }
    Value::Object(out)
}

/// `[{"api_key": []}]` → `["api_key"]`: the schemes any one of which admits the caller. An empty list
/// means the operation is public.
fn security(requirements: Option<&Value>) -> Value {
    let mut names: Vec<String> = requirements
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|r| r.keys().cloned())
        .collect();
    names.sort();
    names.dedup();
    json!(names)
}

/// A schema without its prose, walking only keyword positions.
pub fn strip(schema: &Value) -> Value {
    let Some(map) = schema.as_object() else {
        return schema.clone();
    };
    let mut out = Map::new();
    for (key, value) in map {
        if PROSE.contains(&key.as_str()) {
            continue;
        }
        let kept = if SUBSCHEMA.contains(&key.as_str()) {
            strip(value)
        } else if SUBSCHEMA_LISTS.contains(&key.as_str()) {
            Value::Array(value.as_array().into_iter().flatten().map(strip).collect())
        } else if SUBSCHEMA_MAPS.contains(&key.as_str()) {
            let mut named = Map::new();
            for (name, sub) in value.as_object().into_iter().flatten() {
                named.insert(name.clone(), strip(sub));
            }
            Value::Object(named)
        } else {
            value.clone()
        };
        out.insert(key.clone(), kept);
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_goes_but_a_property_named_description_stays() {
        let schema = json!({
            "type": "object", "description": "prose", "example": {"a": 1},
            "properties": {"description": {"type": "string", "description": "more prose", "maxLength": 9}},
            "required": ["description"]
        });
        assert_eq!(
            strip(&schema),
            json!({"type": "object", "properties": {"description": {"type": "string", "maxLength": 9}}, "required": ["description"]})
        );
    }

    #[test]
    fn security_is_inherited_unless_the_operation_sets_its_own() {
        let doc = json!({
            "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "security": [{"key": []}],
            "paths": {"/a": {
                "get": {"operationId": "a", "responses": {"200": {"description": "ok"}}},
                "post": {"operationId": "b", "security": [], "parameters": [{"name": "id", "in": "query", "schema": {"type": "integer"}}],
                         "responses": {"204": {"description": "none"}}}
            }}
        });
        let contract = derive_contract(&doc).unwrap();
        assert_eq!(contract["operations"]["GET /a"]["security"], json!(["key"]));
        assert_eq!(contract["operations"]["POST /a"]["security"], json!([]));
        assert_eq!(
            contract["operations"]["POST /a"]["parameters"][0]["required"],
            json!(false)
        );
        assert_eq!(
            contract["operations"]["GET /a"]["responses"]["200"],
            json!({})
        );
    }

    #[test]
    fn openapi_3_0_is_refused() {
        let error = derive_contract(&json!({"openapi": "3.0.3", "paths": {}})).unwrap_err();
        assert!(error.contains("3.0.3"), "{error}");
    }
}
