//! The generated Kino code held to its contract: the operation table against `contracts/kino.json`,
//! the types against the facts' live samples and against instances built from every schema of the
//! resolved contract, and the methods against a local server that records what they send.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, Mutex};

use futures_util::StreamExt;
use kinlink::kino::generated::{
    AppEvent, CreateMovie, DownloadState, HealthStatus, HistoryListQuery, PlayKind,
    PlaybackPrepareQuery, SchemaInfo, OPERATIONS, SCHEMAS,
};
use kinlink::transport::Multipart;
use kinlink::{Client, Credentials, ErrorKind};
use serde_json::{json, Map, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const CONTRACT: &str = include_str!("../../contracts/kino.json");
const RESOLVED: &str = include_str!("../../contracts/kino.resolved.json");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/kino");

fn load(text: &str) -> Value {
    serde_json::from_str(text).expect("the committed contract is JSON")
}

fn schema_info(name: &str) -> &'static SchemaInfo {
    SCHEMAS
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no generated type for schema {name}"))
}

/// JSON equality where `1` and `1.0` are the same number (floats keep their `.0` on the wire).
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_json(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

#[macro_use]
mod support;

operations_follow_the_contract!(
    kinlink::kino::generated,
    "../contracts/kino.json",
    "src/js/generated/kino.operations.json"
);

#[test]
fn the_contract_has_kinos_178_operations() {
    let contract = load(CONTRACT);
    assert_eq!(
        contract["operations"].as_object().unwrap().len(),
        178,
        "Kino 0.3 documents 178 operations"
    );
}

#[test]
fn the_resolved_contract_keeps_every_operation_and_pages_the_six_lists() {
    let contract = load(CONTRACT);
    let resolved = load(RESOLVED);
    let keys = |c: &Value| {
        c["operations"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(keys(&contract), keys(&resolved));
    let paginated: BTreeSet<&str> = OPERATIONS
        .iter()
        .filter(|i| i.paginated)
        .map(|i| i.path)
        .collect();
    assert_eq!(
        paginated,
        BTreeSet::from([
            "/api/v1/blocklist",
            "/api/v1/downloads",
            "/api/v1/history",
            "/api/v1/media",
            "/api/v1/movies",
            "/api/v1/shows"
        ]),
        "§4: exactly these lists page by cursor"
    );
    for info in OPERATIONS.iter().filter(|i| i.paginated) {
        assert!(
            info.response_type.starts_with("crate::transport::Page<"),
            "{}",
            info.path
        );
    }
}

#[derive(serde::Deserialize)]
struct Sample {
    file: String,
    schema: String,
    facts: String,
}

#[test]
fn every_live_sample_of_the_facts_decodes_and_encodes_back_unchanged() {
    let manifest: Vec<Sample> =
        serde_json::from_str(&std::fs::read_to_string(format!("{FIXTURES}/samples.json")).unwrap())
            .unwrap();
    assert!(manifest.len() >= 29);
    for sample in &manifest {
        let text = std::fs::read_to_string(format!("{FIXTURES}/{}", sample.file)).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        let encoded = (schema_info(&sample.schema).round_trip)(value.clone()).unwrap_or_else(|e| {
            panic!(
                "{} ({}) does not decode as {}: {e}",
                sample.file, sample.facts, sample.schema
            )
        });
        assert!(
            same_json(&value, &encoded),
            "{} changed in a round trip:\n{value}\n{encoded}",
            sample.file
        );
    }
}

#[test]
fn history_data_holds_an_app_event() {
    let text = std::fs::read_to_string(format!("{FIXTURES}/history-page.json")).unwrap();
    let page: kinlink::transport::Page<kinlink::kino::generated::History> =
        serde_json::from_str(&text).unwrap();
    assert_eq!(page.next(), Some("eyJpZCI6NSwic29ydF92YWx1ZSI6bnVsbH0"));
    for row in &page.results {
        let event = row
            .data_decoded()
            .expect("data is set")
            .expect("data is an AppEvent");
        assert_eq!(event.tag(), row.event_type);
        let AppEvent::ConfigChanged(change) = event else {
            panic!("expected config_changed, got {event:?}")
        };
        assert_eq!(change.scope.as_str(), "all");
    }
    let downloads = std::fs::read_to_string(format!("{FIXTURES}/downloads-page.json")).unwrap();
    let page: kinlink::transport::Page<kinlink::kino::generated::DownloadWithContent> =
        serde_json::from_str(&downloads).unwrap();
    assert_eq!(
        page.results[0].state,
        DownloadState::Searching,
        "§13: searching is listed"
    );
}

#[test]
fn app_event_variants_match_the_facts_table() {
    let facts: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{FIXTURES}/app-event-variants.json")).unwrap(),
    )
    .unwrap();
    let resolved = load(RESOLVED);
    let variants = resolved["schemas"]["AppEvent"]["oneOf"].as_array().unwrap();
    let table = facts["variants"].as_object().unwrap();
    assert_eq!(variants.len(), table.len());
    for variant in variants {
        let tag = variant["properties"]["event"]["enum"][0].as_str().unwrap();
        let fields = table[tag]
            .as_object()
            .unwrap_or_else(|| panic!("§17 lacks {tag}"));
        let properties: BTreeMap<&String, &Value> = variant["properties"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(name, _)| *name != "event")
            .collect();
        assert_eq!(
            properties
                .keys()
                .map(|k| k.as_str())
                .collect::<BTreeSet<_>>(),
            fields.keys().map(String::as_str).collect::<BTreeSet<_>>(),
            "{tag}"
        );
        let required: BTreeSet<&str> = variant["required"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        for (name, schema) in properties {
            let nullable = schema["type"]
                .as_array()
                .is_some_and(|t| t.contains(&json!("null")));
            assert_eq!(nullable, fields[name]["nullable"] == true, "{tag}.{name}");
            // §11: optional fields are always present, null when empty.
            assert!(
                required.contains(name.as_str()),
                "{tag}.{name} must be required"
            );
        }
    }
}

/// Builds JSON instances of contract schemas: the least a server may send, everything set, or
/// everything nullable set to `null`.
struct Instances<'a> {
    schemas: &'a Map<String, Value>,
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Fill {
    Minimal,
    Full,
    Nulls,
}

impl Instances<'_> {
    fn build(&self, schema: &Value, fill: Fill, args: &Map<String, Value>, depth: usize) -> Value {
        assert!(
            depth < 12,
            "the contract's schemas recurse too deep: {schema}"
        );
        if let Some(param) = schema.get("x-type-param").and_then(Value::as_str) {
            return self.build(&args[param], fill, args, depth + 1);
        }
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let name = reference.trim_start_matches("#/components/schemas/");
            let target = &self.schemas[name];
            let args = schema
                .get("x-type-args")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            return self.build(target, fill, &args, depth + 1);
        }
        if let Some(branches) = schema.get("oneOf").and_then(Value::as_array) {
            let non_null: Vec<&Value> = branches.iter().filter(|b| b["type"] != "null").collect();
            if non_null.len() < branches.len() {
                return match fill {
                    Fill::Full => self.build(non_null[0], fill, args, depth + 1),
                    _ => Value::Null,
                };
            }
            let pick = if fill == Fill::Minimal {
                non_null[0]
            } else {
                non_null[non_null.len() - 1]
            };
            return self.build(pick, fill, args, depth + 1);
        }
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            let mut merged = Map::new();
            for part in parts {
                if let Value::Object(fields) = self.build(part, fill, args, depth + 1) {
                    merged.extend(fields);
                }
            }
            return Value::Object(merged);
        }
        let types: Vec<&str> = match &schema["type"] {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let nullable = types.contains(&"null");
        if nullable && fill != Fill::Full {
            return Value::Null;
        }
        let full = fill != Fill::Minimal;
        match types.iter().find(|t| **t != "null").copied() {
            Some("string") => {
                if let Some(values) = schema["enum"].as_array() {
                    return if full {
                        values[values.len() - 1].clone()
                    } else {
                        values[0].clone()
                    };
                }
                if let Some(content) = schema.get("contentSchema") {
                    return Value::String(self.build(content, fill, args, depth + 1).to_string());
                }
                Value::String(if full { "value".into() } else { String::new() })
            }
            Some("integer") => {
                let low = schema["minimum"]
                    .as_i64()
                    .unwrap_or(if full { -7 } else { 0 });
                let high = schema["maximum"].as_i64().unwrap_or(i64::MAX);
                json!(if full { (low + 7).min(high) } else { low })
            }
            Some("number") => json!(if full { 1.5 } else { 0.5 }),
            Some("boolean") => json!(full),
            Some("array") => {
                if full && depth < 8 {
                    json!([self.build(&schema["items"], fill, args, depth + 1)])
                } else {
                    json!([])
                }
            }
            _ => {
                let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
                    return match schema.get("additionalProperties") {
                        Some(values @ Value::Object(_)) if full => {
                            json!({"key": self.build(values, fill, args, depth + 1)})
                        }
                        _ if full => json!({"free": ["form", 1]}),
                        _ => json!({}),
                    };
                };
                let required: BTreeSet<&str> = schema["required"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                let mut object = Map::new();
                for (name, property) in properties {
                    if full || required.contains(name.as_str()) {
                        object.insert(name.clone(), self.build(property, fill, args, depth + 1));
                    }
                }
                Value::Object(object)
            }
        }
    }
}

/// Every JSON body an operation answers with, as (decoded type, the schema of one instance): arrays
/// are decoded item by item.
fn response_schemas(resolved: &Value) -> Vec<(String, Value, String)> {
    let mut out = Vec::new();
    for (key, op) in resolved["operations"].as_object().unwrap() {
        for (status, response) in op["responses"].as_object().unwrap() {
            let Some(schema) = response.pointer("/content/application~1json/schema") else {
                continue;
            };
            let (schema, label) = match schema["type"].as_str() {
                Some("array") => (schema["items"].clone(), format!("{key} {status} (item)")),
                _ => (schema.clone(), format!("{key} {status}")),
            };
            let reference = schema["$ref"]
                .as_str()
                .expect("JSON bodies are named schemas");
            let name = reference
                .trim_start_matches("#/components/schemas/")
                .to_owned();
            let decoded = match schema.get("x-type-args") {
                Some(args) => {
                    let item = args["T"]["$ref"]
                        .as_str()
                        .unwrap()
                        .trim_start_matches("#/components/schemas/");
                    format!("{name}<{item}>")
                }
                None => name,
            };
            out.push((decoded, schema, label));
        }
    }
    out
}

#[test]
fn every_response_schema_decodes_minimal_full_and_null_instances() {
    let resolved = load(RESOLVED);
    let schemas = resolved["schemas"].as_object().unwrap();
    let instances = Instances { schemas };
    let targets = response_schemas(&resolved);
    assert!(
        targets.len() > 100,
        "only {} response bodies found",
        targets.len()
    );
    // Every named schema too, so request bodies and types only events use are covered.
    let mut all: Vec<(String, Value, String)> = targets;
    for name in schemas.keys() {
        if schemas[name].get("x-type-params").is_none() {
            all.push((
                name.clone(),
                json!({"$ref": format!("#/components/schemas/{name}")}),
                name.clone(),
            ));
        }
    }
    let mut checked = 0;
    for (decoded, schema, label) in &all {
        let info = schema_info(decoded);
        // A union is tried once per variant.
        let variants: Vec<Value> = match schema["$ref"].as_str().and_then(|r| {
            schemas[r.trim_start_matches("#/components/schemas/")]["oneOf"].as_array()
        }) {
            Some(branches) if branches.iter().all(|b| b.get("properties").is_some()) => {
                branches.clone()
            }
            _ => vec![schema.clone()],
        };
        for variant in &variants {
            for fill in [Fill::Minimal, Fill::Full, Fill::Nulls] {
                let value = instances.build(variant, fill, &Map::new(), 0);
                let encoded = (info.round_trip)(value.clone()).unwrap_or_else(|e| {
                    panic!(
                        "{label}: a {fill:?} instance does not decode as {decoded}: {e}\n{value}"
                    )
                });
                if fill == Fill::Nulls {
                    // Optional nulls are left out when encoded; what is left must be stable.
                    let again = (info.round_trip)(encoded.clone()).unwrap();
                    assert!(
                        same_json(&encoded, &again),
                        "{label}: {fill:?} is not stable"
                    );
                } else {
                    assert!(
                        same_json(&value, &encoded),
                        "{label}: a {fill:?} instance changed in a round trip:\n{value}\n{encoded}"
                    );
                }
                checked += 1;
            }
        }
    }
    eprintln!(
        "{checked} instances of {} schemas and response bodies checked",
        all.len()
    );
    assert!(checked > 600, "only {checked} instances checked");
}

#[test]
fn every_app_event_variant_round_trips_as_itself() {
    let resolved = load(RESOLVED);
    let schemas = resolved["schemas"].as_object().unwrap();
    let instances = Instances { schemas };
    let variants = schemas["AppEvent"]["oneOf"].as_array().unwrap();
    assert_eq!(variants.len(), 49);
    for variant in variants {
        let tag = variant["properties"]["event"]["enum"][0].as_str().unwrap();
        for fill in [Fill::Minimal, Fill::Full] {
            let value = instances.build(variant, fill, &Map::new(), 0);
            let event: AppEvent = serde_json::from_value(value.clone()).unwrap();
            assert!(
                !matches!(event, AppEvent::Unknown(_)),
                "{tag} decoded as Unknown"
            );
            assert_eq!(event.tag(), tag);
            let encoded = serde_json::to_value(&event).unwrap();
            assert!(
                same_json(&value, &encoded),
                "{tag}: {value} became {encoded}"
            );
        }
    }
}

#[test]
fn unknown_tags_values_and_fields_decode_to_unknown_and_encode_back() {
    let future = json!({"event": "teleported", "where": "mars", "at": 3});
    let event: AppEvent = serde_json::from_value(future.clone()).unwrap();
    assert_eq!(event, AppEvent::Unknown(future.clone()));
    assert_eq!(event.tag(), "teleported");
    assert_eq!(serde_json::to_value(&event).unwrap(), future);

    // A known tag with a body of the wrong shape is an error, not a silent Unknown.
    assert!(
        serde_json::from_value::<AppEvent>(json!({"event": "movie_added", "movie_id": "x"}))
            .is_err()
    );

    let state: DownloadState = serde_json::from_value(json!("teleporting")).unwrap();
    assert_eq!(state, DownloadState::Unknown("teleporting".into()));
    assert_eq!(serde_json::to_value(&state).unwrap(), json!("teleporting"));
    assert_eq!(
        serde_json::to_value(DownloadState::CleanedUp).unwrap(),
        json!("cleaned_up")
    );
    // Kino's own `unknown` health is the catch-all, and encodes back as `unknown`.
    let health: HealthStatus = serde_json::from_value(json!("unknown")).unwrap();
    assert_eq!(health, HealthStatus::Unknown("unknown".into()));
    assert_eq!(health.to_string(), "unknown");

    let task = json!({"name": "x", "interval_seconds": 1, "last_run_at": null, "next_run_at": null,
                      "running": false, "last_duration_ms": null, "last_error": null, "new_field": [1]});
    let encoded = (schema_info("TaskInfo").round_trip)(task).unwrap();
    assert!(
        encoded.get("new_field").is_none(),
        "unknown fields are ignored"
    );
    // Absent and null both decode as None for an optional field.
    let with_null = json!({"message": "m", "route": null});
    assert_eq!(
        (schema_info("StatusWarning").round_trip)(with_null).unwrap(),
        json!({"message": "m"})
    );
}

/// One request as the recording server saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

type Responder = fn(&str, &str) -> (u16, &'static str, Vec<u8>);

/// A one-request-per-connection HTTP/1.1 server that records requests and answers from `respond`.
async fn recording_server(respond: Responder) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                let mut buffer = Vec::new();
                let mut chunk = [0u8; 4096];
                let head_end = loop {
                    let n = socket.read(&mut chunk).await.unwrap();
                    if n == 0 {
                        return;
                    }
                    buffer.extend_from_slice(&chunk[..n]);
                    if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                        break at + 4;
                    }
                };
                let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
                let mut lines = head.split("\r\n");
                let mut request_line = lines.next().unwrap().split(' ');
                let (method, target) = (
                    request_line.next().unwrap().to_owned(),
                    request_line.next().unwrap().to_owned(),
                );
                let headers: Vec<(String, String)> = lines
                    .filter_map(|l| l.split_once(": "))
                    .map(|(k, v)| (k.to_ascii_lowercase(), v.to_owned()))
                    .collect();
                let length: usize = headers
                    .iter()
                    .find(|(k, _)| k == "content-length")
                    .map(|(_, v)| v.parse().unwrap())
                    .unwrap_or(0);
                while buffer.len() < head_end + length {
                    let n = socket.read(&mut chunk).await.unwrap();
                    buffer.extend_from_slice(&chunk[..n]);
                }
                let body = buffer[head_end..head_end + length].to_vec();
                let (status, content_type, reply) = respond(&method, &target);
                log.lock().unwrap().push(Seen {
                    method,
                    target,
                    headers,
                    body,
                });
                let head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    reply.len()
                );
                socket.write_all(head.as_bytes()).await.unwrap();
                socket.write_all(&reply).await.unwrap();
                socket.shutdown().await.ok();
            });
        }
    });
    (url, seen)
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}/{name}")).unwrap()
}

fn respond(method: &str, target: &str) -> (u16, &'static str, Vec<u8>) {
    let json = "application/json";
    match (method, target) {
        ("GET", "/api/v1/movies/7") => {
            let page: Value = serde_json::from_slice(&fixture("movies-page.json")).unwrap();
            (200, json, page["results"][0].to_string().into_bytes())
        }
        ("GET", "/api/v1/movies/999") => (404, json, fixture("error-not-found.json")),
        ("POST", "/api/v1/movies") => {
            let page: Value = serde_json::from_slice(&fixture("movies-page.json")).unwrap();
            (201, json, page["results"][0].to_string().into_bytes())
        }
        ("POST", t) if t.starts_with("/api/v1/tasks/") => (200, "text/plain", Vec::new()),
        ("GET", "/api/v1/history?event_types=config_changed%2Cwebhook_changed&limit=2") => {
            (200, json, fixture("history-page.json"))
        }
        ("GET", t)
            if t.starts_with("/api/v1/history?")
                && t.contains("cursor=eyJpZCI6NSwic29ydF92YWx1ZSI6bnVsbH0") =>
        {
            let mut page: Value = serde_json::from_slice(&fixture("history-page.json")).unwrap();
            page["has_more"] = json!(false);
            page.as_object_mut().unwrap().remove("next_cursor");
            page["results"].as_array_mut().unwrap().truncate(1);
            (200, json, page.to_string().into_bytes())
        }
        ("GET", "/api/v1/backups/3/download") => (200, "application/gzip", vec![0x1f, 0x8b, 8, 0]),
        ("GET", "/api/v1/play/movie/5/prepare?target=web") => (202, json, Vec::new()),
        ("POST", "/api/v1/backups/restore-upload") => {
            (200, json, br#"{"ok":true,"message":"restored"}"#.to_vec())
        }
        _ => (
            500,
            "text/plain",
            format!("unexpected {method} {target}").into_bytes(),
        ),
    }
}

#[tokio::test]
async fn generated_methods_send_what_the_contract_says() {
    let (url, seen) = recording_server(respond).await;
    let client = Client::new(&url, Credentials::Bearer("key".into())).unwrap();
    let kino = client.kino();

    let movie = kino.movies().get(7).await.unwrap();
    assert_eq!((movie.id, movie.title.as_str()), (1, "The Matrix"));
    assert_eq!(
        movie.genres_decoded().unwrap().unwrap(),
        vec!["Action".to_owned(), "Science Fiction".to_owned()],
        "§12: genres is a JSON-encoded list"
    );

    let error = kino.movies().get(999).await.unwrap_err();
    assert_eq!(
        (error.kind, error.code.as_deref()),
        (ErrorKind::NotFound, Some("not_found"))
    );

    let created = kino
        .movies()
        .create(&CreateMovie {
            tmdb_id: 603,
            monitored: None,
            quality_profile_id: None,
        })
        .await
        .unwrap();
    assert_eq!(created.tmdb_id, 603);

    kino.tasks().run("wanted search/../x").await.unwrap();

    let query = HistoryListQuery {
        limit: Some(2),
        event_types: Some("config_changed,webhook_changed".into()),
        ..HistoryListQuery::default()
    };
    let rows: Vec<_> = kino.history().list_all(&query).collect().await;
    let ids: Vec<i64> = rows.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, vec![6, 5, 6], "two pages, the second ending the walk");

    let archive = kino.backups().download(3).await.unwrap();
    assert_eq!(archive.content_type.as_deref(), Some("application/gzip"));
    assert_eq!(archive.body, vec![0x1f, 0x8b, 8, 0]);

    let prepared = kino
        .playback()
        .prepare(
            &PlayKind::Movie,
            5,
            &PlaybackPrepareQuery {
                target: Some("web".into()),
            },
        )
        .await
        .unwrap();
    assert!(prepared.is_none(), "202 carries no PlayPrepareReply");

    assert_eq!(
        kino.websocket().url(),
        format!("{}/api/v1/ws", url.replacen("http://", "ws://", 1))
    );
    let form = Multipart::new().text("note", "from the SDK").file(
        "file",
        "kino.tar.gz",
        "application/gzip",
        b"\x1f\x8b archive".to_vec(),
    );
    let restored = kino.backups().restore_upload(&form).await.unwrap();
    assert_eq!((restored.ok, restored.message.as_str()), (true, "restored"));
    let forged = Multipart::new().text("a\r\nX-Injected: 1", "v");
    let refused = kino.backups().restore_upload(&forged).await.unwrap_err();
    assert_eq!(
        refused.kind,
        ErrorKind::InvalidArgument,
        "refused before sending"
    );

    let seen = seen.lock().unwrap().clone();
    let lines: Vec<String> = seen
        .iter()
        .map(|s| format!("{} {}", s.method, s.target))
        .collect();
    assert_eq!(
        lines,
        vec![
            "GET /api/v1/movies/7",
            "GET /api/v1/movies/999",
            "POST /api/v1/movies",
            "POST /api/v1/tasks/wanted%20search%2F..%2Fx/run",
            "GET /api/v1/history?event_types=config_changed%2Cwebhook_changed&limit=2",
            "GET /api/v1/history?cursor=eyJpZCI6NSwic29ydF92YWx1ZSI6bnVsbH0&event_types=config_changed%2Cwebhook_changed&limit=2",
            "GET /api/v1/backups/3/download",
            "GET /api/v1/play/movie/5/prepare?target=web",
            "POST /api/v1/backups/restore-upload",
        ],
        "the WebSocket URL and the refused form send nothing"
    );
    // The form as a multipart parser reads it: one boundary from the header frames every part.
    let upload = &seen[8];
    let content_type = upload
        .headers
        .iter()
        .find(|(k, _)| k == "content-type")
        .map(|(_, v)| v.clone())
        .unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("a multipart content type with its boundary");
    let body = upload.body.clone();
    let delimiter = format!("--{boundary}");
    let text = String::from_utf8_lossy(&body).into_owned();
    let parts: Vec<&str> = text.split(&delimiter).collect();
    assert_eq!(
        parts.len(),
        4,
        "preamble, two parts, the closing --: {text:?}"
    );
    assert_eq!(parts[0], "");
    assert_eq!(parts[3], "--\r\n");
    assert_eq!(
        parts[1],
        "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nfrom the SDK\r\n"
    );
    assert!(parts[2].starts_with(
        "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"kino.tar.gz\"\r\nContent-Type: application/gzip\r\n\r\n"
    ));
    assert!(
        body.windows(10).any(|w| w == b"\x1f\x8b archive"),
        "the bytes as given"
    );
    let create = &seen[2];
    assert_eq!(
        serde_json::from_slice::<Value>(&create.body).unwrap(),
        json!({"tmdb_id": 603})
    );
    assert!(create
        .headers
        .iter()
        .any(|(k, v)| k == "content-type" && v == "application/json"));
    assert!(seen.iter().all(|s| s
        .headers
        .iter()
        .any(|(k, v)| k == "authorization" && v == "Bearer key")));
    assert!(seen[6]
        .headers
        .iter()
        .any(|(k, v)| k == "accept" && v.contains("application/gzip")));
}

#[test]
fn generated_type_names_leave_the_hand_written_typescript_names_alone() {
    // Kino's generated declarations share the package's top-level TypeScript names with the
    // hand-written (tsify) types, so a generated type named like a hand-written one would merge two
    // different interfaces. (KinBot's are declared in their own namespace.)
    let names = |dir: &Path, generated: bool| -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        let mut stack = vec![dir.to_owned()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                let in_generated = path.components().any(|c| c.as_os_str() == "generated");
                let kinbot = path.components().any(|c| c.as_os_str() == "kinbot");
                if path.is_dir() {
                    stack.push(path);
                } else if in_generated == generated
                    && !(generated && kinbot)
                    && path.extension().is_some_and(|e| e == "rs")
                {
                    for line in std::fs::read_to_string(&path).unwrap().lines() {
                        let line = line.trim_start();
                        for prefix in ["pub struct ", "pub enum "] {
                            if let Some(rest) = line.strip_prefix(prefix) {
                                let name: String = rest
                                    .chars()
                                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                                    .collect();
                                names.insert(name);
                            }
                        }
                    }
                }
            }
        }
        names
    };
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let generated = names(&src, true);
    let hand_written = names(&src, false);
    assert!(generated.len() > 250 && hand_written.len() > 20);
    let clashes: Vec<&String> = generated.intersection(&hand_written).collect();
    assert!(
        clashes.is_empty(),
        "rename these in conventions.rust.type_names: {clashes:?}"
    );
}
