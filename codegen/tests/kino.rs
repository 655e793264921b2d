//! Kino's contract: derived faithfully from the server's document, corrected by the reviewed overlay
//! as the facts say, and the committed generated code current.
//!
//! Tests that need the server's document or the facts read them from `../shared/reference/` beside
//! the repository; where that is absent they say so and check only the committed files.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use kinlink_codegen::{derive, json, overlay, run};
use serde_json::{json, Value};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

fn read_json(path: &Path) -> Value {
    json::parse(
        &std::fs::read_to_string(path).unwrap(),
        &path.display().to_string(),
    )
    .unwrap()
}

fn reference(name: &str) -> Option<PathBuf> {
    let path = root().join("../shared/reference").join(name);
    if path.exists() {
        Some(path)
    } else {
        eprintln!(
            "note: {} is not on this machine; that part is not checked",
            path.display()
        );
        None
    }
}

fn contract() -> Value {
    read_json(&root().join("contracts/kino.json"))
}

fn overlay_file() -> Value {
    read_json(&root().join("contracts/kino.overlay.json"))
}

fn resolved() -> Value {
    overlay::apply(&contract(), &overlay_file()).unwrap()
}

/// Every key of every object, with whether it sits where a keyword would (not a property name).
fn keyword_keys(node: &Value, in_names: bool, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                if !in_names {
                    out.push(key.clone());
                }
                let names = matches!(
                    key.as_str(),
                    "properties"
                        | "schemas"
                        | "operations"
                        | "content"
                        | "responses"
                        | "$defs"
                        | "x-type-args"
                );
                keyword_keys(value, names, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| keyword_keys(i, false, out)),
        _ => {}
    }
}

fn count_keyword(node: &Value, keyword: &str) -> usize {
    let mut keys = Vec::new();
    keyword_keys(node, false, &mut keys);
    keys.iter().filter(|k| *k == keyword).count()
}

#[test]
fn the_committed_contract_is_what_derivation_makes_from_the_document() {
    let committed = std::fs::read_to_string(root().join("contracts/kino.json")).unwrap();
    let contract = contract();
    let operations = contract["operations"].as_object().unwrap();
    assert_eq!(operations.len(), 178);
    let paths: BTreeSet<&str> = operations
        .values()
        .map(|o| o["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 149);
    assert_eq!(contract["schemas"].as_object().unwrap().len(), 206);
    let Some(document) = reference("kino-openapi.json") else {
        return;
    };
    let derived = json::to_text(&derive::derive_contract(&read_json(&document)).unwrap());
    assert!(
        derived == committed,
        "contracts/kino.json is stale: run scripts/codegen"
    );
}

#[test]
fn the_contract_has_no_prose_but_keeps_every_constraint() {
    let contract = contract();
    for prose in ["description", "summary", "example", "examples"] {
        assert_eq!(
            count_keyword(&contract, prose),
            0,
            "{prose} left in the contract"
        );
    }
    let Some(document) = reference("kino-openapi.json") else {
        return;
    };
    let document = read_json(&document);
    assert!(
        count_keyword(&document, "description") > 400,
        "the walk sees the document's prose"
    );
    // The document's paths and components hold exactly as many constraints as the contract.
    let scope = json!({"paths": document["paths"], "components": document["components"]});
    for keyword in [
        "type",
        "format",
        "enum",
        "required",
        "minimum",
        "maximum",
        "default",
        "$ref",
        "oneOf",
        "allOf",
        "items",
        "additionalProperties",
        "uniqueItems",
    ] {
        assert_eq!(
            count_keyword(&contract, keyword),
            count_keyword(&scope, keyword),
            "`{keyword}` count differs between the document and the contract"
        );
    }
    for (name, schema) in document["components"]["schemas"].as_object().unwrap() {
        assert_eq!(derive::strip(schema), contract["schemas"][name], "{name}");
    }
}

#[test]
fn every_correction_cites_facts_that_exist_and_pins_what_it_changes() {
    let overlay = overlay_file();
    let facts = reference("kino-wire-facts.md").map(|p| std::fs::read_to_string(p).unwrap());
    for correction in overlay["corrections"].as_array().unwrap() {
        let cited = correction["facts"].as_str().unwrap();
        let why = correction["why"].as_str().unwrap();
        let sections: Vec<&str> = cited
            .split(", ")
            .map(|s| s.trim_start_matches('§'))
            .collect();
        assert!(
            !sections.is_empty() && sections.iter().all(|s| s.parse::<u32>().is_ok()),
            "{cited}"
        );
        if let Some(facts) = &facts {
            for section in &sections {
                assert!(
                    facts.contains(&format!("\n## {section}. ")),
                    "{why}: §{section} is not a section of the facts"
                );
            }
        }
        let ops: Vec<&str> = correction["patch"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["op"].as_str().unwrap())
            .collect();
        let edits = ops
            .iter()
            .any(|op| matches!(*op, "add" | "replace" | "remove" | "replace_refs"));
        let pins = ops
            .iter()
            .any(|op| matches!(*op, "test" | "same" | "absent"));
        assert!(
            !edits || pins,
            "{why}: a correction that edits must first pin what the document says"
        );
    }
}

#[test]
fn the_resolved_contract_says_what_the_facts_say() {
    let resolved = resolved();
    let committed = std::fs::read_to_string(root().join("contracts/kino.resolved.json")).unwrap();
    assert!(
        json::to_text(&resolved) == committed,
        "contracts/kino.resolved.json is stale: run scripts/codegen"
    );
    let schemas = &resolved["schemas"];
    let operations = &resolved["operations"];

    // §4: one generic page, whose cursor is absent (never null) at the end.
    assert!(schemas
        .as_object()
        .unwrap()
        .keys()
        .all(|k| !k.starts_with("PaginatedResponse_")));
    let page = &schemas["Page"];
    assert_eq!(page["properties"]["next_cursor"], json!({"type": "string"}));
    assert!(!page["required"]
        .as_array()
        .unwrap()
        .contains(&json!("next_cursor")));
    let movies = &operations["GET /api/v1/movies"]["responses"]["200"]["content"]
        ["application/json"]["schema"];
    assert_eq!(
        movies["x-type-args"]["T"],
        json!({"$ref": "#/components/schemas/Movie"})
    );
    // §11, §17: AppEvent tagged by `event`; history data holds one as JSON text.
    assert_eq!(
        schemas["AppEvent"]["discriminator"]["propertyName"],
        "event"
    );
    assert_eq!(
        schemas["History"]["properties"]["data"]["contentSchema"],
        json!({"$ref": "#/components/schemas/AppEvent"})
    );
    // §8: no uptime.
    assert!(schemas["StatusResponse"]["properties"]
        .get("uptime")
        .is_none());
    assert_eq!(
        schemas["ServerStatus"]["enum"],
        json!(["ok", "degraded", "setup_required"])
    );
    // §13: searching (and the defined cancelled) are download states.
    let states = schemas["DownloadState"]["enum"].as_array().unwrap();
    assert!(
        states.contains(&json!("searching"))
            && states.contains(&json!("cancelled"))
            && states.len() == 13
    );
    // §2: GET /sessions answers 500.
    assert!(
        operations["GET /api/v1/sessions"]["responses"]["500"]["content"]
            .get("text/plain")
            .is_some()
    );
    // §2: exactly these operations pass the auth middleware.
    let public: BTreeSet<&str> = operations
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, op)| op["security"] == json!([]))
        .map(|(key, _)| key.as_str())
        .collect();
    assert_eq!(
        public,
        BTreeSet::from([
            "DELETE /api/v1/sessions",
            "GET /api/v1/bootstrap",
            "GET /api/v1/health",
            "GET /api/v1/network/lan-probe",
            "GET /api/v1/sessions",
            "GET /api/v1/status",
            "GET /api/v1/ws",
            "POST /api/v1/sessions",
            "POST /api/v1/sessions/redeem",
        ])
    );
    // §16: response fields are always present, except the three omitted ones.
    assert!(schemas["Movie"]["required"]
        .as_array()
        .unwrap()
        .contains(&json!("genres")));
    assert!(!schemas["StatusWarning"]["required"]
        .as_array()
        .unwrap()
        .contains(&json!("route")));
    assert!(!schemas["HealthPanels"]["required"]
        .as_array()
        .unwrap()
        .contains(&json!("vpn")));
    // Request bodies keep their optional fields.
    assert_eq!(schemas["CreateMovie"]["required"], json!(["tmdb_id"]));
}

#[test]
fn the_committed_generated_files_are_current() {
    let report = run::run(&root(), Path::new("contracts/kino.overlay.json"), true).unwrap();
    assert!(
        report.changed.is_empty(),
        "stale, run scripts/codegen: {:#?}",
        report.changed
    );
}
