//! The sandbox's side of a contract: the table its router is built from, and the OpenAPI 3.1
//! document it serves at `/api-docs/openapi.json` and validates its own responses against.
//!
//! The table only names operations (id, tag, method, path, whether the server lets them through
//! without a credential). Which of them the sandbox implements is hand-written behaviour behind one
//! generated trait per tag (`routes.rs`): each operation is a method giving its route, `None` by
//! default, so every operation of the contract is routed, the rest answer 501 naming the operation,
//! and an implementation of an operation the contract no longer has stops compiling.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::{json, Map, Value};

use crate::naming::{ident, pascal};
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
    let stores_types = resolved["conventions"]["sandbox"]["stored_types"]
        .as_array()
        .is_some_and(|types| !types.is_empty());
    let stored = stores_types
        .then(|| -> Result<SandboxFile> {
            Ok(SandboxFile {
                name: "stored.rs".into(),
                text: stored_types(resolved, header)?,
                rust: true,
            })
        })
        .transpose()?;
    Ok([
        Some(SandboxFile {
            name: "operations.rs".into(),
            text: operation_table(resolved, header)?,
            rust: true,
        }),
        stored,
        Some(SandboxFile {
            name: "routes.rs".into(),
            text: route_traits(resolved, header)?,
            rust: true,
        }),
        Some(SandboxFile {
            name: "openapi.json".into(),
            text: crate::json::to_text(&openapi_document(resolved)?),
            rust: false,
        }),
    ]
    .into_iter()
    .flatten()
    .collect())
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
         pub const OPERATIONS: &[Operation] = &[\n{rows}];\n\n\
         /// The operation of a routed request, from its method and the route template the router\n\
         /// matched (axum's `MatchedPath`): one map lookup, built once, instead of matching the path again.\n\
         pub fn operation_at(method: &str, template: &str) -> Option<&'static Operation> {{\n\
         \x20   type ByRoute = std::collections::HashMap<(&'static str, &'static str), &'static Operation>;\n\
         \x20   static BY_ROUTE: std::sync::OnceLock<ByRoute> = std::sync::OnceLock::new();\n\
         \x20   BY_ROUTE\n\
         \x20       .get_or_init(|| OPERATIONS.iter().map(|op| ((op.method, op.path), op)).collect())\n\
         \x20       .get(&(method, template))\n\
         \x20       .copied()\n\
         }}\n"
    ))
}

/// The schemas the sandbox stores as they are (`conventions.sandbox.stored_types`), as plain serde
/// structs: each property a field of its JSON type (`Option` when nullable or not required), the
/// contract's `default`s as `Default`, and the properties marked `x-secret` listed. Only flat
/// objects of scalars: what the sandbox stores field by field.
fn stored_types(resolved: &Value, header: &str) -> Result<String> {
    let schemas = resolved["schemas"]
        .as_object()
        .ok_or_else(|| "the resolved contract has no schemas".to_owned())?;
    let mut out = format!(
        "{header}//! The schemas the sandbox stores field by field (`conventions.sandbox.stored_types`), with\n\
         //! the contract's defaults and secret marks.\n\n\
         use serde::{{Deserialize, Serialize}};\n"
    );
    let names = resolved["conventions"]["sandbox"]["stored_types"]
        .as_array()
        .into_iter()
        .flatten();
    for name in names {
        let name = name
            .as_str()
            .ok_or("conventions.sandbox.stored_types lists schema names")?;
        let schema = schemas
            .get(name)
            .ok_or_else(|| format!("stored type {name} is not a schema"))?;
        out.push_str(&stored_type(name, schema)?);
    }
    Ok(out)
}

fn stored_type(name: &str, schema: &Value) -> Result<String> {
    let properties = schema["properties"]
        .as_object()
        .ok_or_else(|| format!("stored type {name} has no properties"))?;
    let required: BTreeSet<&str> = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let (mut fields, mut defaults, mut secrets) = (String::new(), String::new(), Vec::new());
    for (field, property) in properties {
        let what = format!("{name}.{field}");
        let (json_type, nullable) = match &property["type"] {
            Value::String(t) => (t.as_str(), false),
            Value::Array(types) => {
                let types: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
                match types.as_slice() {
                    [t, "null"] | ["null", t] => (*t, true),
                    _ => {
                        return Err(format!(
                            "{what}: a stored field has one type, or one and null"
                        ))
                    }
                }
            }
            _ => return Err(format!("{what}: a stored field needs a scalar `type`")),
        };
        let scalar = match (json_type, property["format"].as_str()) {
            ("string", _) => "String",
            ("boolean", _) => "bool",
            ("number", _) => "f64",
            ("integer", Some("int32")) => "i32",
            ("integer", Some("uint32")) => "u32",
            ("integer", Some("uint64")) => "u64",
            ("integer", _) => "i64",
            (other, _) => return Err(format!("{what}: a stored field cannot be {other}")),
        };
        let optional = nullable || !required.contains(field.as_str());
        let ty = if optional {
            format!("Option<{scalar}>")
        } else {
            scalar.to_owned()
        };
        let field_ident = ident(field);
        let _ = writeln!(fields, "    pub {field_ident}: {ty},");
        let default = match property.get("default") {
            None if optional => "None".to_owned(),
            None => "Default::default()".to_owned(),
            Some(value) => {
                let literal = match (scalar, value) {
                    ("String", Value::String(text)) => format!("{text:?}.to_owned()"),
                    ("bool", Value::Bool(b)) => b.to_string(),
                    ("f64", Value::Number(n)) => format!("{:?}", n.as_f64().unwrap_or_default()),
                    (_, Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
                    _ => return Err(format!("{what}: default {value} is not a {scalar}")),
                };
                if optional {
                    format!("Some({literal})")
                } else {
                    literal
                }
            }
        };
        let _ = writeln!(defaults, "            {field_ident}: {default},");
        if property["x-secret"] == Value::Bool(true) {
            secrets.push(format!("{field:?}"));
        }
    }
    // With no default of the contract's, `Default` is derived (clippy asks for it).
    let (derive, default_impl) = if defaults
        .lines()
        .all(|line| line.ends_with(": None,") || line.ends_with(": Default::default(),"))
    {
        (", Default", String::new())
    } else {
        (
            "",
            format!("impl Default for {name} {{\n    fn default() -> Self {{\n        {name} {{\n{defaults}        }}\n    }}\n}}\n\n"),
        )
    };
    Ok(format!(
        "\n/// Schema `{name}`; absent fields take their defaults.\n\
         #[derive(Debug, Clone, PartialEq, Serialize, Deserialize{derive})]\n\
         #[serde(default)]\n\
         pub struct {name} {{\n{fields}}}\n\n\
         {default_impl}\
         impl {name} {{\n    /// The fields marked `x-secret`.\n    pub const SECRETS: &'static [&'static str] = &[{}];\n}}\n",
        secrets.join(", ")
    ))
}

/// One trait per tag, a method per operation, and the one function the router asks for each
/// operation's route.
fn route_traits(resolved: &Value, header: &str) -> Result<String> {
    let api = resolved["conventions"]["title"]
        .as_str()
        .unwrap_or("the API");
    let mut by_tag: BTreeMap<&str, Vec<(String, &str, &str)>> = BTreeMap::new();
    for (key, op) in operations(resolved)? {
        let text = |field: &str| {
            op[field]
                .as_str()
                .ok_or_else(|| format!("{key}: {field} is missing"))
        };
        let tag = op["tags"][0].as_str().unwrap_or("default");
        by_tag.entry(tag).or_default().push((
            ident(text("operation_id")?),
            text("method")?,
            text("path")?,
        ));
    }
    let mut traits = String::new();
    let mut arms = String::new();
    let mut names = Vec::new();
    for (tag, ops) in &by_tag {
        let name = format!("{}Operations", pascal(tag));
        let mut seen = BTreeSet::new();
        let _ = write!(
            traits,
            "/// The operations tagged `{tag}`: each gives the route serving it, or `None` (the\n\
             /// default) when the sandbox does not implement it.\n\
             pub trait {name}<S> {{\n"
        );
        for (method_name, method, path) in ops {
            if !seen.insert(method_name.as_str()) {
                return Err(format!(
                    "two `{tag}` operations share the id {method_name}: the sandbox's trait needs one method each"
                ));
            }
            let _ = write!(
                traits,
                "    /// `{method} {path}`.\n\
                 \x20   fn {method_name}(&self, _op: &'static Operation) -> Option<MethodRouter<S>> {{\n\
                 \x20       None\n    }}\n\n"
            );
            let _ = writeln!(
                arms,
                "        ({method:?}, {path:?}) => {name}::{method_name}(ops, op),"
            );
        }
        traits.push_str("}\n\n");
        names.push(format!("{name}<S>"));
    }
    Ok(format!(
        "{header}//! {api}'s operations as the sandbox implements them: one trait per tag, a method per\n\
         //! operation of the contract.\n\n\
         use axum::routing::MethodRouter;\n\n\
         use super::Operation;\n\n\
         {traits}\
         /// Every tag's operations: what the sandbox implements, once.\n\
         pub trait Operations<S>: {} {{}}\n\n\
         /// The route `ops` gives `op`, `None` for an operation it does not implement.\n\
         pub fn route<S, O: Operations<S> + ?Sized>(ops: &O, op: &'static Operation) -> Option<MethodRouter<S>> {{\n\
         \x20   match (op.method, op.path) {{\n{arms}        _ => None,\n    }}\n}}\n",
        names.join(" + ")
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
