//! Plain CRUD resources, declared once and served by generic handlers over one [`Collection`]:
//! list (a plain array), get, create (201), partial update (200), delete (204), with Kino's
//! `{noun} {id} not found` 404 and a `<noun>_changed` event in the same transaction as each change.
//! Request bodies are checked against the contract's schema for the operation, and a body of the
//! wrong shape gets the plain-text 422 Kino's extractor gives. Only a resource's defaults are
//! written by hand.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use super::contract::{self, Operation};
use super::Error;
use crate::state::AppState;
use crate::store::{Collection, RecordEvent};

/// What makes one resource different from another.
pub struct Resource {
    /// The collection's name in the store and its path under `/api/v1`.
    pub collection: &'static str,
    /// As Kino names it in messages: `webhook 7 not found`.
    pub noun: &'static str,
    /// The history event of each change (`webhook_changed {action, webhook_id}`).
    pub event: RecordEvent,
    /// The stored document for a validated create body.
    pub create: fn(id: i64, body: &Map<String, Value>) -> Value,
}

/// Webhook targets (wire facts §12, §19: `method` POST, every `on_*` on except `on_watched`,
/// enabled, escalation level 0).
pub static WEBHOOKS: Resource = Resource {
    collection: "webhooks",
    noun: "webhook",
    event: webhook_event,
    create: |id, body| {
        let text = |key: &str| body.get(key).filter(|v| !v.is_null()).cloned();
        let flag = |key: &str, default: bool| {
            body.get(key)
                .and_then(Value::as_bool)
                .map_or(json!(default), Value::Bool)
        };
        json!({
            "id": id,
            "name": text("name"),
            "url": text("url"),
            "method": text("method").unwrap_or(json!("POST")),
            "headers": text("headers"),
            "body_template": text("body_template"),
            "on_grab": flag("on_grab", true),
            "on_download_complete": flag("on_download_complete", true),
            "on_import": flag("on_import", true),
            "on_upgrade": flag("on_upgrade", true),
            "on_failure": flag("on_failure", true),
            "on_watched": flag("on_watched", false),
            "on_health_issue": flag("on_health_issue", true),
            "enabled": true,
            "escalation_level": 0,
            "disabled_until": null,
            "initial_failure_time": null,
            "most_recent_failure_time": null,
        })
    },
};

/// Torznab/Cardigann indexers (wire facts §10: a plain array; `indexer_changed {action, indexer_id}`).
/// The facts give no create defaults; the sandbox's are an enabled Torznab indexer that searches and
/// reads RSS, at priority 25.
pub static INDEXERS: Resource = Resource {
    collection: "indexers",
    noun: "indexer",
    event: indexer_event,
    create: |id, body| {
        let given = |key: &str| body.get(key).filter(|v| !v.is_null()).cloned();
        json!({
            "id": id,
            "name": given("name"),
            "url": given("url"),
            "api_key": given("api_key"),
            "definition_id": given("definition_id"),
            "settings_json": given("settings_json"),
            "indexer_type": given("indexer_type").unwrap_or(json!("torznab")),
            "priority": given("priority").unwrap_or(json!(25)),
            "enabled": given("enabled").unwrap_or(json!(true)),
            "supports_rss": true,
            "supports_search": true,
            "supported_categories": null,
            "supported_search_params": null,
            "escalation_level": 0,
            "disabled_until": null,
            "initial_failure_time": null,
            "most_recent_failure_time": null,
        })
    },
};

impl Resource {
    fn documents(&'static self, state: &AppState) -> Collection<Value> {
        Collection::new(state.store(), self.collection, Some(self.event))
    }

    fn not_found(&self, id: i64) -> Response {
        super::envelope(
            StatusCode::NOT_FOUND,
            "not_found",
            &format!("{} {id} not found", self.noun),
        )
    }
}

fn indexer_event(id: i64, action: &str) -> (&'static str, Value) {
    (
        "indexer_changed",
        json!({"event": "indexer_changed", "action": action, "indexer_id": id}),
    )
}

/// Whether at least one indexer is enabled (Kino's status asks this, §8).
pub async fn any_enabled_indexer(state: &AppState) -> Result<bool, crate::store::StoreError> {
    let indexers = INDEXERS.documents(state).list().await?;
    Ok(indexers
        .iter()
        .any(|indexer| indexer.get("enabled") == Some(&Value::Bool(true))))
}

fn webhook_event(id: i64, action: &str) -> (&'static str, Value) {
    (
        "webhook_changed",
        json!({"event": "webhook_changed", "action": action, "webhook_id": id}),
    )
}

/// The body as JSON of the shape the contract gives the operation, or Kino's extractor rejection.
fn checked_body(
    op: &'static Operation,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<Map<String, Value>, Box<Response>> {
    let Json(value) = body.map_err(|rejection| Box::new(rejection.into_response()))?;
    if let Some(validator) = contract::request_validator(op) {
        if let Some(problem) = contract::problems(&validator, &value, 1).pop() {
            return Err(Box::new(
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!("Failed to deserialize the JSON body into the target type: {problem}"),
                )
                    .into_response(),
            ));
        }
    }
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(Box::new(
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                "Failed to deserialize the JSON body into the target type: expected an object",
            )
                .into_response(),
        )),
    }
}

pub async fn list(state: AppState, resource: &'static Resource) -> Result<Json<Vec<Value>>, Error> {
    Ok(Json(resource.documents(&state).list().await?))
}

pub async fn get(state: AppState, resource: &'static Resource, id: i64) -> Response {
    match resource.documents(&state).get(id).await {
        Ok(Some(document)) => Json(document).into_response(),
        Ok(None) => resource.not_found(id),
        Err(e) => Error::from(e).into_response(),
    }
}

pub async fn create(
    state: AppState,
    resource: &'static Resource,
    op: &'static Operation,
    body: Result<Json<Value>, JsonRejection>,
) -> Response {
    let body = match checked_body(op, body) {
        Ok(body) => body,
        Err(rejection) => return *rejection,
    };
    let make = resource.create;
    match resource
        .documents(&state)
        .insert(move |id| make(id, &body))
        .await
    {
        Ok(document) => (StatusCode::CREATED, Json(document)).into_response(),
        Err(e) => Error::from(e).into_response(),
    }
}

/// Fields present and not `null` replace the stored ones; the id never changes.
pub async fn update(
    state: AppState,
    resource: &'static Resource,
    op: &'static Operation,
    id: i64,
    body: Result<Json<Value>, JsonRejection>,
) -> Response {
    let body = match checked_body(op, body) {
        Ok(body) => body,
        Err(rejection) => return *rejection,
    };
    let apply = move |document: &mut Value| {
        if let Value::Object(stored) = document {
            for (key, value) in body {
                if !value.is_null() && key != "id" && stored.contains_key(&key) {
                    stored.insert(key, value);
                }
            }
        }
    };
    match resource.documents(&state).update(id, apply).await {
        Ok(Some(document)) => Json(document).into_response(),
        Ok(None) => resource.not_found(id),
        Err(e) => Error::from(e).into_response(),
    }
}

pub async fn delete(state: AppState, resource: &'static Resource, id: i64) -> Response {
    match resource.documents(&state).delete(id).await {
        Ok(true) => StatusCode::NO_CONTENT.into_response(),
        Ok(false) => resource.not_found(id),
        Err(e) => Error::from(e).into_response(),
    }
}

/// Routes for a resource's five operations, keyed as the contract names them.
pub fn route(
    resource: &'static Resource,
    op: &'static Operation,
) -> Option<axum::routing::MethodRouter<AppState>> {
    use axum::routing::{delete as on_delete, get as on_get, post, put};
    let base = format!("/api/v1/{}", resource.collection);
    let item = format!("{base}/{{id}}");
    Some(match (op.method, op.path) {
        ("GET", path) if path == base => {
            on_get(move |State(state): State<AppState>| list(state, resource))
        }
        ("POST", path) if path == base => post(
            move |State(state): State<AppState>, body: Result<Json<Value>, JsonRejection>| {
                create(state, resource, op, body)
            },
        ),
        ("GET", path) if path == item => {
            on_get(move |State(state): State<AppState>, Path(id): Path<i64>| {
                get(state, resource, id)
            })
        }
        ("PUT", path) if path == item => put(
            move |State(state): State<AppState>,
                  Path(id): Path<i64>,
                  body: Result<Json<Value>, JsonRejection>| {
                update(state, resource, op, id, body)
            },
        ),
        ("DELETE", path) if path == item => {
            on_delete(move |State(state): State<AppState>, Path(id): Path<i64>| {
                delete(state, resource, id)
            })
        }
        _ => return None,
    })
}
