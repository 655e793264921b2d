//! KinBot's contract against the real server's facts and the generated code: every route the facts
//! file catalogues (§4, §9) is an operation of the contract; every operation has its Rust and JS
//! method; the facts' JSON samples decode through the generated types; both timestamp forms decode;
//! every error code keeps its code and gets its status's kind; unknown SSE events stay `Unknown`.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;
use std::path::Path;

use kinlink::kinbot::generated::{SseEvent, SCHEMAS};
use kinlink::kinbot::{Timestamp, TimestampForm};
use kinlink::{ApiError, ErrorKind};
use serde_json::{json, Value};

#[macro_use]
mod support;

operations_follow_the_contract!(
    kinlink::kinbot::generated,
    "../contracts/kinbot.contract.json",
    "src/js/generated/kinbot.operations.json"
);

const DOCUMENT: &str = include_str!("../../contracts/kinbot.json");
const OVERLAY: &str = include_str!("../../contracts/kinbot.overlay.json");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/kinbot");
const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

fn document() -> Value {
    serde_json::from_str(DOCUMENT).expect("the contract is JSON")
}

/// A path with every parameter (`{x}`, `:x`, `<x>`, `*`) as `{}` and no query or trailing slash. A
/// segment the facts describe in words (`<relative path>`, `{kinbot-sdk.js, …}`) is cut at its first
/// space; it still starts like a parameter.
fn shape(path: &str) -> String {
    let path = path.split('?').next().unwrap_or_default();
    let mut out = String::new();
    for segment in path.split('/').skip(1) {
        out.push('/');
        let is_param = segment.starts_with(':')
            || segment == "*"
            || segment.starts_with('{')
            || segment.starts_with('<');
        out.push_str(if is_param { "{}" } else { segment });
    }
    let trimmed = out.trim_end_matches('/');
    if trimmed.is_empty() {
        "/".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// `a/{x,y}` → `a/x`, `a/y`; `on|off` → `on`, `off`: the facts' shorthand for several routes.
fn expand(path: &str) -> Vec<String> {
    if let Some(open) = path.find('{') {
        if let Some(close) = path[open..].find('}').map(|c| c + open) {
            let inner = &path[open + 1..close];
            if inner.contains(',') {
                return inner
                    .split(',')
                    .flat_map(|alt| {
                        expand(&format!("{}{alt}{}", &path[..open], &path[close + 1..]))
                    })
                    .collect();
            }
        }
    }
    if let Some(bar) = path.find('|') {
        let word = |c: char| c.is_ascii_alphabetic() || c == '-' || c == '|';
        let start = path[..bar].rfind(|c: char| !word(c)).map_or(0, |i| i + 1);
        let end = path[bar..]
            .find(|c: char| !word(c))
            .map_or(path.len(), |i| i + bar);
        return path[start..end]
            .split('|')
            .flat_map(|alt| expand(&format!("{}{alt}{}", &path[..start], &path[end..])))
            .collect();
    }
    vec![path.to_owned()]
}

/// Where a section's relative routes (`GET /:id`) hang: the last `/api/<resource>` named before
/// them, else the resource of the section's source file (`(`settings.ts`…)`), else `fallback`.
fn base_before(text: &str, title: &str, fallback: Option<&str>) -> Option<String> {
    let mut last = None;
    let mut rest = text;
    while let Some(at) = rest.find("/api/") {
        let name: String = rest[at + 5..]
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '-')
            .collect();
        if !name.is_empty() {
            last = Some(format!("/api/{name}"));
        }
        rest = &rest[at + 5..];
    }
    last.or_else(|| {
        let file = title.split("(`").nth(1)?.split(".ts`").next()?;
        Some(format!("/api/{file}"))
    })
    .or_else(|| fallback.map(str::to_owned))
}

/// Every `METHOD /path` the facts' §4 and §9 catalogue, as (method, path shape or `…/suffix`).
fn routes_of_the_facts(facts: &str) -> Vec<(String, String)> {
    let section = |from: &str, to: &str| {
        let start = facts
            .find(from)
            .unwrap_or_else(|| panic!("the facts have {from}"));
        let end = facts[start..].find(to).map_or(facts.len(), |e| e + start);
        &facts[start..end]
    };
    let mut routes = Vec::new();
    for (text, fallback) in [
        (section("## 4. Endpoint catalogue", "\n## 5. "), None),
        (
            section("## 9. Mini-apps", "\n## 10. "),
            Some("/api/mini-apps"),
        ),
    ] {
        for part in text.split("\n### ") {
            let title = part.lines().next().unwrap_or_default();
            let spans: Vec<(usize, &str)> = part
                .match_indices('`')
                .map(|(i, _)| i)
                .collect::<Vec<_>>()
                .chunks(2)
                .filter(|pair| pair.len() == 2)
                .map(|pair| (pair[0], &part[pair[0] + 1..pair[1]]))
                .collect();
            for (at, span) in spans {
                let span = span.trim_start_matches(['+', '≠']);
                let Some((methods, path)) = span.split_once(' ') else {
                    continue;
                };
                let methods: Vec<&str> = methods.split('|').collect();
                if !methods.iter().all(|m| METHODS.contains(m)) {
                    continue;
                }
                let path = path.split_whitespace().next().unwrap_or_default();
                let path = path.split('?').next().unwrap_or_default();
                if !(path.starts_with('/') || path.starts_with("…/")) {
                    continue;
                }
                for path in expand(path) {
                    let resolved = if let Some(suffix) = path.strip_prefix('…') {
                        format!("…{}", shape(suffix))
                    } else if path.starts_with("/api") || path.starts_with("/s/") {
                        shape(&path)
                    } else {
                        let base = base_before(&part[..at], title, fallback)
                            .unwrap_or_else(|| panic!("{title}: no base for {path}"));
                        shape(&format!("{base}{}", if path == "/" { "" } else { &path }))
                    };
                    for method in &methods {
                        routes.push(((*method).to_owned(), resolved.clone()));
                    }
                }
            }
        }
    }
    routes
}

#[test]
fn every_route_of_the_facts_is_in_the_contract() {
    let facts_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference/kinbot-wire-facts.md");
    let Ok(facts) = std::fs::read_to_string(&facts_path) else {
        eprintln!("{} is not on this machine: skipped", facts_path.display());
        return;
    };
    let document = document();
    let mut operations: BTreeSet<(String, String)> = BTreeSet::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            operations.insert((method.to_ascii_uppercase(), shape(path)));
        }
    }
    // Routes the seed lists and the server does not mount are recorded instead of typed.
    let overlay: Value = serde_json::from_str(OVERLAY).unwrap();
    let not_mounted: BTreeSet<(String, String)> = overlay["seed_differences"]["not_mounted"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|entry| entry["route"].as_str()?.split_once(' '))
        .map(|(method, path)| (method.to_owned(), shape(path)))
        .collect();
    let routes = routes_of_the_facts(&facts);
    assert!(
        routes.len() > 200,
        "the catalogue was read: {}",
        routes.len()
    );
    let missing: Vec<&(String, String)> = routes
        .iter()
        .filter(|(method, path)| match path.strip_prefix('…') {
            Some(suffix) => !operations
                .iter()
                .any(|(m, p)| m == method && p.ends_with(suffix)),
            None => {
                let key = (method.clone(), path.clone());
                !operations.contains(&key) && !not_mounted.contains(&key)
            }
        })
        .collect();
    assert!(
        missing.is_empty(),
        "routes of the facts missing from the contract: {missing:?}"
    );
}

#[test]
fn every_seed_difference_names_an_operation_or_schema_and_cites_the_facts() {
    let document = document();
    let overlay: Value = serde_json::from_str(OVERLAY).unwrap();
    let entries = overlay["seed_differences"]["operations"]
        .as_array()
        .unwrap();
    assert!(entries.len() > 200, "{}", entries.len());
    for entry in entries {
        assert!(
            entry["facts"].as_str().unwrap().starts_with("§11"),
            "{entry}"
        );
        assert!(!entry["differs"].as_str().unwrap().is_empty(), "{entry}");
        if let Some(key) = entry["operation"].as_str() {
            let (method, path) = key.split_once(' ').unwrap();
            assert!(
                document["paths"][path][method.to_ascii_lowercase()].is_object(),
                "{key} is not an operation"
            );
        } else if let Some(name) = entry["schema"].as_str() {
            assert!(
                document["components"]["schemas"][name].is_object(),
                "{name}"
            );
        } else {
            let name = entry["security_scheme"].as_str().unwrap();
            assert!(
                document["components"]["securitySchemes"][name].is_object(),
                "{name}"
            );
        }
    }
    // Every paginated list the conventions name is an operation of the contract.
    let ids: BTreeSet<&str> = document["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter_map(|op| op["operationId"].as_str())
        .collect();
    for id in overlay["conventions"]["pagination"]["operations"]
        .as_object()
        .unwrap()
        .keys()
    {
        assert!(ids.contains(id.as_str()), "pagination names {id}");
    }
}

#[test]
fn the_facts_catalogue_reader_resolves_shorthand() {
    assert_eq!(
        expand("/:id/activate|deactivate"),
        ["/:id/activate", "/:id/deactivate"]
    );
    assert_eq!(
        expand("/default-{search,tts}"),
        ["/default-search", "/default-tts"]
    );
    assert_eq!(
        shape("/api/kins/:idOrSlug/messages?limit&before"),
        "/api/kins/{}/messages"
    );
    assert_eq!(
        shape("/api/mini-apps/<id>/files/"),
        "/api/mini-apps/{}/files"
    );
    assert_eq!(
        base_before("see `/api/mcp-servers` and", "4.14 MCP", None).as_deref(),
        Some("/api/mcp-servers")
    );
    assert_eq!(
        base_before("", "4.19 Settings (`settings.ts`, all admin)", None).as_deref(),
        Some("/api/settings")
    );
}

#[test]
fn every_sample_of_the_facts_decodes_through_the_generated_types() {
    let index: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(format!("{FIXTURES}/INDEX.json")).unwrap())
            .unwrap();
    assert!(!index.is_empty());
    for entry in index {
        let file = entry["file"].as_str().unwrap();
        let schema = entry["schema"].as_str().unwrap();
        let sample: Value =
            serde_json::from_str(&std::fs::read_to_string(format!("{FIXTURES}/{file}")).unwrap())
                .unwrap();
        let info = SCHEMAS
            .iter()
            .find(|s| s.name == schema)
            .unwrap_or_else(|| panic!("{file}: no generated type for {schema}"));
        let again = (info.round_trip)(sample.clone())
            .unwrap_or_else(|e| panic!("{file} does not decode as {schema}: {e}"));
        // Decoding drops nothing the sample had.
        for key in sample.as_object().into_iter().flatten().map(|(k, _)| k) {
            assert!(again.get(key).is_some(), "{file}: {key} lost");
        }
    }
}

#[test]
fn both_timestamp_forms_decode_through_a_generated_type() {
    // A cron's createdAt is epoch ms on the wire and a kin's ISO (§3.4); both fields are `Timestamp`.
    let info = SCHEMAS.iter().find(|s| s.name == "Timestamp");
    assert!(
        info.is_none(),
        "Timestamp is the hand-written type, not a generated one"
    );
    let decode = |text: &str| serde_json::from_str::<Timestamp>(text).unwrap();
    let iso = decode(r#""2026-03-01T12:00:00.000Z""#);
    let ms = decode("1772366400000");
    assert_eq!(iso, ms);
    assert_eq!(
        (iso.form(), ms.form()),
        (TimestampForm::Iso, TimestampForm::EpochMillis)
    );
    let types = include_str!("../src/kinbot/generated/types.rs");
    let uses = types.matches("Timestamp").count();
    assert!(
        uses > 100,
        "the generated types use the one Timestamp type ({uses})"
    );
    assert!(serde_json::from_str::<Timestamp>(r#""last tuesday""#).is_err());
}

#[test]
fn every_error_code_keeps_its_code_and_gets_its_statuss_kind() {
    let document = document();
    let codes = document["x-error-codes"]
        .as_object()
        .expect("x-error-codes");
    let mut seen = 0;
    for (status, list) in codes {
        let status: u16 = status.parse().unwrap();
        for code in list.as_array().unwrap() {
            let code = code.as_str().unwrap();
            let body = json!({"error": {"code": code, "message": "from the server"}}).to_string();
            let error = ApiError::from_response(status, &|_| None, body.as_bytes());
            assert_eq!(error.code.as_deref(), Some(code), "{status} {code}");
            assert_eq!(error.message, "from the server");
            assert_eq!(error.status, Some(status));
            let expected = match status {
                400 | 413 | 422 => ErrorKind::BadRequest,
                401 => ErrorKind::Unauthorized,
                403 => ErrorKind::Forbidden,
                404 | 405 | 410 => ErrorKind::NotFound,
                409 => ErrorKind::Conflict,
                429 => ErrorKind::RateLimited,
                502..=504 => ErrorKind::Unavailable,
                500..=599 => ErrorKind::Server,
                other => panic!("§2.2 lists no status {other}"),
            };
            assert_eq!(error.kind, expected, "{status} {code}");
            seen += 1;
        }
    }
    assert!(seen > 200, "{seen} codes");
}

#[test]
fn unknown_sse_events_decode_to_unknown_and_known_ones_to_their_variant() {
    let known: SseEvent = serde_json::from_str(
        &std::fs::read_to_string(format!("{FIXTURES}/6-connected.json")).unwrap(),
    )
    .unwrap();
    assert!(matches!(known, SseEvent::Connected(_)), "{known:?}");
    let future = json!({"type": "kin:teleported", "kinId": "k", "where": "mars"});
    let event: SseEvent = serde_json::from_value(future.clone()).unwrap();
    assert!(matches!(event, SseEvent::Unknown(_)), "{event:?}");
    assert_eq!(serde_json::to_value(&event).unwrap(), future, "kept whole");
}
