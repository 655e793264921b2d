//! KinBot's contract as the sandbox uses it: the generated table of every operation (the router is
//! built from it), one trait per tag, and the OpenAPI document it serves at
//! `/api/kinbot/openapi.json`. All generated from `contracts/kinbot.json` by `scripts/codegen`.

#[path = "generated/operations.rs"]
mod operations;
/// One trait per tag, a method per operation: what `super::KinBotSandbox` implements.
#[path = "generated/routes.rs"]
pub mod routes;

pub use operations::{operation_at, Operation, OPERATIONS};

/// The contract as an OpenAPI 3.1 document (no prose: structure only).
pub const OPENAPI_JSON: &str = include_str!("generated/openapi.json");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_the_whole_contract() {
        let document: serde_json::Value = serde_json::from_str(OPENAPI_JSON).unwrap();
        let in_document: usize = document["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|item| item.as_object().unwrap().len())
            .sum();
        assert_eq!(in_document, OPERATIONS.len());
        assert!(OPERATIONS.len() > 300, "{}", OPERATIONS.len());
    }
}
