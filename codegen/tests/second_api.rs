//! Nothing about Kino is built into the generator: a made-up API with another base path, another
//! page shape and other names goes through the same three steps, steered only by its overlay.

use kinlink_codegen::{derive, overlay, rust};
use serde_json::json;

fn document() -> serde_json::Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "bots", "version": "2"},
        "paths": {
            "/v2/kins": {"get": {
                "operationId": "list_kins", "tags": ["kins"],
                "description": "prose that must not survive",
                "parameters": [
                    {"name": "before", "in": "query", "required": false, "schema": {"type": ["string", "null"]}},
                    {"name": "offset", "in": "query", "required": false, "schema": {"type": "integer", "format": "int32", "minimum": 0}}
                ],
                "responses": {"200": {"description": "a page", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/KinList"}}}}}
            }},
            "/v2/kins/{kinId}/avatar": {"get": {
                "operationId": "kin_avatar", "tags": ["kins"],
                "parameters": [{"name": "kinId", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "png", "content": {"image/png": {}}}}
            }}
        },
        "components": {"schemas": {
            "KinList": {"type": "object", "required": ["kins"], "properties": {"kins": {"type": "array", "items": {"$ref": "#/components/schemas/Kin"}}}},
            "Kin": {"type": "object", "required": ["id", "createdAt"], "properties": {
                "id": {"type": "string"},
                "createdAt": {"type": "integer", "format": "int64", "description": "epoch ms"},
                "mood": {"type": "string", "enum": ["calm", "busy"]}
            }}
        }}
    })
}

#[test]
fn another_api_is_generated_from_its_own_conventions() {
    let contract = derive::derive_contract(&document()).unwrap();
    assert!(!serde_json::to_string(&contract).unwrap().contains("prose"));
    let overlay = json!({
        "overlay": 1,
        "conventions": {
            "title": "KinBot", "base_path": "/v2", "json_media_types": ["application/json"],
            "pagination": {"style": "before-offset", "request": {"cursor": "before", "limit": "offset"}},
            "rust": {"entry_point": "super::KinBot", "catch_all_variant": "Other", "external_types": {},
                     "method_names": {"GET /v2/kins/{kinId}/avatar": "avatar"}}
        },
        "corrections": [{"facts": "§3", "why": "mood is an inline enum; name it", "patch": [
            {"op": "test", "schema": "Kin", "path": "/properties/mood/enum", "value": ["calm", "busy"]},
            {"op": "add", "schema": "Mood", "value": {"type": "string", "enum": ["calm", "busy"]}},
            {"op": "replace", "schema": "Kin", "path": "/properties/mood", "value": {"$ref": "#/components/schemas/Mood"}}
        ]}]
    });
    let resolved = overlay::apply(&contract, &overlay).unwrap();
    let files = rust::generate(&resolved, "// test\n").unwrap();
    let all: String = files.iter().map(|f| f.source.clone()).collect();
    let file = |name: &str| &files.iter().find(|f| f.name == name).unwrap().source;
    assert!(file("mod.rs").contains("pub const BASE_PATH: &str = \"/v2\";"));
    assert!(file("mod.rs").contains("impl<'c> super::KinBot<'c>"));
    assert!(file("types.rs").contains("#[serde(rename = \"createdAt\")]\npub created_at: i64,"));
    assert!(
        file("types.rs").contains("Other(String)"),
        "the catch-all is the overlay's name"
    );
    assert!(file("kins.rs")
        .contains("pub async fn list(&self, query: &KinsListQuery) -> Result<KinList, ApiError>"));
    assert!(file("kins.rs").contains("pub offset: Option<u32>"));
    assert!(file("kins.rs")
        .contains("pub async fn avatar(&self, kin_id: &str) -> Result<BytesResponse, ApiError>"));
    assert!(file("kins.rs").contains("\"/v2/kins/{}/avatar\", path_segment(&kin_id)"));
    assert!(
        !all.contains("/api/v1") && !all.contains("Kino"),
        "nothing of Kino leaks in"
    );
    assert!(
        !all.contains("_all("),
        "a wrapper-key list without a page type gets no cursor stream"
    );
}

#[test]
fn an_unnamed_inline_enum_is_refused_with_a_way_out() {
    let contract = derive::derive_contract(&document()).unwrap();
    let overlay = json!({"overlay": 1, "corrections": [], "conventions": {
        "base_path": "/v2", "json_media_types": ["application/json"], "rust": {"entry_point": "super::KinBot"}}});
    let error = rust::generate(&overlay::apply(&contract, &overlay).unwrap(), "").unwrap_err();
    assert!(
        error.contains("Kin.mood") && error.contains("overlay"),
        "{error}"
    );
}
