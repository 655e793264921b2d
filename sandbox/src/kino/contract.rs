//! Kino's contract as the sandbox uses it: the generated table of every operation (the router is
//! built from it) and the OpenAPI document it serves at `/api-docs/openapi.json` and holds its own
//! responses to (`conformance.rs`). Both are generated from `contracts/kino.json` by
//! `scripts/codegen`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{json, Value};

#[path = "generated/operations.rs"]
mod operations;
/// One trait per tag, a method per operation: what `super::KinoSandbox` implements.
#[path = "generated/routes.rs"]
pub mod routes;

pub use operations::{operation_at, Operation, OPERATIONS};

/// The contract as an OpenAPI 3.1 document (no prose: structure only).
pub const OPENAPI_JSON: &str = include_str!("generated/openapi.json");

/// The document, parsed once.
pub fn document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT
        .get_or_init(|| serde_json::from_str(OPENAPI_JSON).expect("the generated document is JSON"))
}

/// Which schema of an operation: its JSON request body, or its JSON response for a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Part {
    Request,
    Response(u16),
}

type ValidatorKey = (&'static str, &'static str, Part);

/// A compiled JSON Schema validator for one part of an operation, built on first use; `None` when
/// the contract gives that part no JSON schema.
fn validator(op: &'static Operation, part: Part) -> Option<Arc<jsonschema::Validator>> {
    static CACHE: OnceLock<Mutex<HashMap<ValidatorKey, Option<Arc<jsonschema::Validator>>>>> =
        OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = (op.method, op.path, part);
    if let Some(found) = cache.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
        return found.clone();
    }
    let doc = document();
    let operation = &doc["paths"][op.path][op.method.to_ascii_lowercase().as_str()];
    let content = match part {
        Part::Request => &operation["requestBody"]["content"],
        Part::Response(status) => &operation["responses"][status.to_string().as_str()]["content"],
    };
    let schema = &content["application/json"]["schema"];
    let compiled = (!schema.is_null()).then(|| {
        // The operation's schema refers to `#/components/schemas/…` of the document.
        let root = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": doc["components"],
            "allOf": [schema],
        });
        let built = jsonschema::options().build(&root).unwrap_or_else(|e| {
            panic!(
                "{} {}: the contract schema does not compile: {e}",
                op.method, op.path
            )
        });
        Arc::new(built)
    });
    cache
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(key, compiled.clone());
    compiled
}

/// The validator for an operation's JSON request body.
pub fn request_validator(op: &'static Operation) -> Option<Arc<jsonschema::Validator>> {
    validator(op, Part::Request)
}

/// The validator for an operation's JSON response with `status`.
pub fn response_validator(
    op: &'static Operation,
    status: u16,
) -> Option<Arc<jsonschema::Validator>> {
    validator(op, Part::Response(status))
}

/// At most `max` problems of `instance`, each with where it is.
pub fn problems(validator: &jsonschema::Validator, instance: &Value, max: usize) -> Vec<String> {
    validator
        .iter_errors(instance)
        .take(max)
        .map(|e| {
            let at = e.instance_path().to_string();
            format!("{e} at {}", if at.is_empty() { "/" } else { &at })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_the_whole_contract_and_names_the_public_routes() {
        assert_eq!(OPERATIONS.len(), 178);
        assert!(operation_at("GET", "/api/v1/status").unwrap().public);
        assert!(!operation_at("GET", "/api/v1/config").unwrap().public);
        assert_eq!(
            operation_at("GET", "/api/v1/movies/{id}").unwrap().id,
            "get_movie"
        );
        assert!(
            operation_at("GET", "/api/v1/movies/7").is_none(),
            "templates, not paths"
        );
        let document: serde_json::Value = serde_json::from_str(OPENAPI_JSON).unwrap();
        let in_document: usize = document["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|item| item.as_object().unwrap().len())
            .sum();
        assert_eq!(in_document, OPERATIONS.len());
    }
}
