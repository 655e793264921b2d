//! The sandbox's side of a contract: the table its router is built from, and the OpenAPI 3.1
//! document it serves at `/api-docs/openapi.json` and validates its own responses against.
//!
//! The table only names operations (id, tag, method, path, whether the server lets them through
//! without a credential); which of them the sandbox implements is hand-written behaviour, so
//! every operation of the contract is routed and the rest answer 501 naming the operation.

use serde_json::{json, Map, Value};

use crate::Result;

/// One generated sandbox file.
#[derive(Debug)]
pub struct SandboxFile {
    pub name: String,
    pub text: String,
    /// Rust sources go through rustfmt; the document does not.
    pub rust: bool,
}

/// The operation table and the served document.
pub fn generate(resolved: &Value, header: &str) -> Result<Vec<SandboxFile>> {
    Ok(vec![
        SandboxFile {
            name: "operations.rs".into(),
            text: operation_table(resolved, header)?,
            rust: true,
        },
        SandboxFile {
            name: "openapi.json".into(),
            text: crate::json::to_text(&openapi_document(resolved)?),
            rust: false,
        },
    ])
}

fn operations(resolved: &Value) -> Result<&Map<String, Value>> {
    resolved["operations"]
        .as_object()
        .ok_or_else(|| "the resolved contract has no operations".to_owned())
}

fn operation_table(resolved: &Value, header: &str) -> Result<String> {
    let mut rows = String::new();
    for (key, op) in operations(resolved)? {
        let text = |field: &str| {
            op[field]
                .as_str()
                .ok_or_else(|| format!("{key}: {field} is missing"))
        };
        let tag = op["tags"][0].as_str().unwrap_or("default");
        let public = op["security"].as_array().is_some_and(|s| s.is_empty());
        rows.push_str(&format!(
            "    Operation {{ id: {:?}, tag: {:?}, method: {:?}, path: {:?}, public: {public} }},\n",
            text("operation_id")?,
            tag,
            text("method")?,
            text("path")?,
        ));
    }
    let api = resolved["conventions"]["title"]
        .as_str()
        .unwrap_or("the API");
    Ok(format!(
        "{header}//! Every operation of {api}'s contract, in the contract's order.\n\n\
         /// One operation of the contract, as the sandbox routes it.\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq)]\n\
         pub struct Operation {{\n\
         \x20   /// The operation id (unique within the API).\n\
         \x20   pub id: &'static str,\n\
         \x20   /// The first tag: the handle the SDK groups it under.\n\
         \x20   pub tag: &'static str,\n\
         \x20   pub method: &'static str,\n\
         \x20   /// The path template, `{{name}}` for a parameter (axum's syntax too).\n\
         \x20   pub path: &'static str,\n\
         \x20   /// Served without a credential.\n\
         \x20   pub public: bool,\n\
         }}\n\n\
         pub const OPERATIONS: &[Operation] = &[\n{rows}];\n"
    ))
}

/// The resolved contract as an OpenAPI 3.1 document: generic schemas (`x-type-params`, such as
/// `Page<T>`) are written out at each use, so any OpenAPI tool or JSON Schema validator reads it.
pub fn openapi_document(resolved: &Value) -> Result<Value> {
    let schemas = resolved["schemas"]
        .as_object()
        .ok_or_else(|| "the resolved contract has no schemas".to_owned())?;
    let mut components = Map::new();
    for (name, schema) in schemas {
        if schema.get("x-type-params").is_none() {
            components.insert(name.clone(), instantiate(schema, schemas, &Map::new())?);
        }
    }
    let mut paths: Map<String, Value> = Map::new();
    for (key, op) in operations(resolved)? {
        let path = op["path"]
            .as_str()
            .ok_or_else(|| format!("{key}: path is missing"))?;
        let method = op["method"]
            .as_str()
            .ok_or_else(|| format!("{key}: method is missing"))?
            .to_ascii_lowercase();
        let mut operation = Map::new();
        operation.insert("operationId".into(), op["operation_id"].clone());
        operation.insert("tags".into(), op["tags"].clone());
        if let Some(security) = op["security"].as_array() {
            let requirements: Vec<Value> = security
                .iter()
                .map(|s| json!({ s.as_str().unwrap_or("api_key"): [] }))
                .collect();
            operation.insert("security".into(), Value::Array(requirements));
        }
        if let Some(parameters) = op["parameters"].as_array().filter(|p| !p.is_empty()) {
            let parameters = parameters
                .iter()
                .map(|p| instantiate(p, schemas, &Map::new()))
                .collect::<Result<Vec<_>>>()?;
            operation.insert("parameters".into(), Value::Array(parameters));
        }
        if let Some(body) = op.get("request_body").or_else(|| op.get("requestBody")) {
            operation.insert(
                "requestBody".into(),
                instantiate(body, schemas, &Map::new())?,
            );
        }
        let mut responses = Map::new();
        for (status, response) in op["responses"].as_object().into_iter().flatten() {
            let mut response = instantiate(response, schemas, &Map::new())?;
            if let Value::Object(r) = &mut response {
                // OpenAPI requires one; the contract keeps no prose.
                r.insert("description".into(), json!(""));
            }
            responses.insert(status.clone(), response);
        }
        operation.insert("responses".into(), Value::Object(responses));
        paths
            .entry(path.to_owned())
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .expect("path items are objects")
            .insert(method, Value::Object(operation));
    }
    let title = resolved["conventions"]["title"].as_str().unwrap_or("API");
    Ok(json!({
        "openapi": "3.1.0",
        "info": {"title": title, "version": resolved["source"]["version"].clone()},
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"api_key": {"type": "http", "scheme": "bearer"}},
        },
    }))
}

/// `schema` with every generic use written out: `{"$ref": G, "x-type-args": {T: X}}` becomes G's
/// body with `{"x-type-param": "T"}` replaced by X.
fn instantiate(
    schema: &Value,
    schemas: &Map<String, Value>,
    args: &Map<String, Value>,
) -> Result<Value> {
    match schema {
        Value::Object(map) => {
            if let Some(param) = map.get("x-type-param").and_then(Value::as_str) {
                return args
                    .get(param)
                    .cloned()
                    .ok_or_else(|| format!("type parameter {param} has no argument"));
            }
            if let (Some(reference), Some(Value::Object(type_args))) = (
                map.get("$ref").and_then(Value::as_str),
                map.get("x-type-args"),
            ) {
                let name = reference.rsplit('/').next().unwrap_or(reference);
                let generic = schemas
                    .get(name)
                    .ok_or_else(|| format!("{reference} is not a schema"))?;
                let mut bound = Map::new();
                for (param, arg) in type_args {
                    bound.insert(param.clone(), instantiate(arg, schemas, args)?);
                }
                let mut body = instantiate(generic, schemas, &bound)?;
                if let Value::Object(body) = &mut body {
                    body.remove("x-type-params");
                }
                return Ok(body);
            }
            let mut out = Map::new();
            for (key, value) in map {
                out.insert(key.clone(), instantiate(value, schemas, args)?);
            }
            Ok(Value::Object(out))
        }
        Value::Array(items) => Ok(Value::Array(
            items
                .iter()
                .map(|item| instantiate(item, schemas, args))
                .collect::<Result<_>>()?,
        )),
        other => Ok(other.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_pages_are_written_out_at_each_use() {
        let resolved = json!({
            "conventions": {"title": "T"},
            "source": {"version": "1"},
            "schemas": {
                "Page": {"type": "object", "x-type-params": ["T"],
                    "properties": {"results": {"type": "array", "items": {"x-type-param": "T"}}}},
                "Movie": {"type": "object"},
            },
            "operations": {"GET /m": {"method": "GET", "path": "/m", "operation_id": "list", "tags": ["m"],
                "security": [], "parameters": [],
                "responses": {"200": {"content": {"application/json": {"schema":
                    {"$ref": "#/components/schemas/Page", "x-type-args": {"T": {"$ref": "#/components/schemas/Movie"}}}}}}}}},
        });
        let doc = openapi_document(&resolved).unwrap();
        assert!(doc["components"]["schemas"].get("Page").is_none());
        let schema =
            &doc["paths"]["/m"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(
            schema["properties"]["results"]["items"],
            json!({"$ref": "#/components/schemas/Movie"})
        );
        assert_eq!(doc["paths"]["/m"]["get"]["security"], json!([]));
        let table = operation_table(&resolved, "// h\n").unwrap();
        assert!(
            table.contains(
                r#"Operation { id: "list", tag: "m", method: "GET", path: "/m", public: true }"#
            ),
            "{table}"
        );
    }
}
