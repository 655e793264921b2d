//! What each operation of a resolved contract becomes, read once for every language: its handle and
//! method names, its path parameters in template order, its query parameters, the kind of body it
//! takes, the kind of answer it gives, and whether it is a list a walker pages through.
//!
//! [`crate::rust`] and [`crate::js`] both start from these plans and only add their own types and
//! spelling, so the two surfaces cannot disagree about an operation.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::naming::{ident, method_name, pascal};
use crate::schema::ref_name;
use crate::Result;

/// The one non-JSON request body the transport encodes.
pub const FORM_MEDIA_TYPE: &str = "multipart/form-data";

/// What a successful call gives back.
#[derive(Debug, Clone)]
pub enum Response<'a> {
    Empty,
    /// The JSON body's schema.
    Json(&'a Value),
    /// JSON for these statuses, nothing for the other successes.
    JsonWhen(&'a Value, Vec<u16>),
    /// A body that is not JSON, with its documented media types (comma-separated, as `Accept` takes them).
    Bytes(String),
    WebSocket,
}

impl Response<'_> {
    /// The name the operation tables use (Rust's `ResponseInfo` variants, snake_case).
    pub fn table_name(&self) -> &'static str {
        match self {
            Response::Empty => "empty",
            Response::Json(_) => "json",
            Response::JsonWhen(..) => "json_or_empty",
            Response::Bytes(_) => "bytes",
            Response::WebSocket => "websocket",
        }
    }
}

/// What the request carries.
#[derive(Debug, Clone)]
pub enum Body<'a> {
    Json {
        schema: &'a Value,
        required: bool,
        media_type: &'a str,
    },
    /// A `multipart/form-data` body the caller builds part by part.
    Form,
    /// A body of another media type, sent as the bytes the caller gives with their content type.
    Raw { media_type: &'a str },
}

impl Body<'_> {
    /// The media type the operation documents.
    pub fn media_type(&self) -> &str {
        match self {
            Body::Json { media_type, .. } | Body::Raw { media_type } => media_type,
            Body::Form => FORM_MEDIA_TYPE,
        }
    }
}

/// How a list's walker pages.
#[derive(Debug, Clone)]
pub enum Pages<'a> {
    /// `conventions.pagination.page_schema` pages: a cursor from each page to the next.
    Cursor { item: &'a Value },
    /// `limit`/`offset` pages (`conventions.pagination.operations`, style `offset`): the items under
    /// a wrapper key, the offset advanced by each page's length while `has_more` says more follow.
    Offset {
        item: &'a Value,
        /// The wrapper's key holding the items.
        items: &'a str,
        /// The wrapper's key saying whether more follow; without one, a short page is the last.
        has_more: Option<&'a str>,
        /// Whether the wrapper always has the items key (else absent means none).
        items_required: bool,
        /// Whether the wrapper always has the has-more key.
        has_more_required: bool,
        offset: &'a str,
        limit: &'a str,
    },
}

impl<'a> Pages<'a> {
    /// The schema of one item.
    pub fn item(&self) -> &'a Value {
        match self {
            Pages::Cursor { item } | Pages::Offset { item, .. } => item,
        }
    }
}

/// One path or query parameter.
#[derive(Debug, Clone)]
pub struct Param<'a> {
    /// The name on the wire.
    pub wire: &'a str,
    pub schema: &'a Value,
    pub required: bool,
}

/// One operation, as every generated surface names and calls it.
#[derive(Debug, Clone)]
pub struct Operation<'a> {
    /// `"METHOD /path"`, the contract's key.
    pub key: &'a str,
    pub operation_id: &'a str,
    pub method: &'a str,
    pub path: &'a str,
    /// The first tag: the handle it is reached through.
    pub tag: &'a str,
    /// The handle's accessor (snake_case, a Rust identifier).
    pub accessor: String,
    /// The method's name (snake_case, a Rust identifier; `conventions.rust.method_names` wins).
    pub method_name: String,
    /// In the order the path template names them.
    pub path_params: Vec<Param<'a>>,
    pub query_params: Vec<Param<'a>>,
    /// The name of the query argument's type, when there are query parameters.
    pub query_type: Option<String>,
    pub body: Option<Body<'a>>,
    pub response: Response<'a>,
    /// How the operation's walker pages, when it is a list one pages through.
    pub pages: Option<Pages<'a>>,
    /// The security schemes it names; empty for a public operation.
    pub security: Vec<&'a str>,
}

impl Operation<'_> {
    /// Served without credentials.
    pub fn public(&self) -> bool {
        self.security.is_empty()
    }
}

/// The plans of every operation, in the contract's order, with the checks both surfaces rely on:
/// paths under `conventions.base_path`, one method name per handle, query type names that clash with
/// no schema, and overrides that name real operations.
pub fn operations(resolved: &Value) -> Result<Vec<Operation<'_>>> {
    let conventions = &resolved["conventions"];
    let operations = resolved["operations"]
        .as_object()
        .ok_or("the contract has no operations")?;
    let schemas = resolved["schemas"].as_object();
    let json_media_types: Vec<&str> = conventions["json_media_types"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if json_media_types.is_empty() {
        return Err("conventions.json_media_types must list the JSON media types".into());
    }
    let base_path = conventions["base_path"].as_str().unwrap_or("");
    let mut plans = Vec::new();
    let mut taken: BTreeSet<(&str, String)> = BTreeSet::new();
    let mut query_types = BTreeSet::new();
    for (key, op) in operations {
        let plan = operation(key, op, conventions, &json_media_types, schemas)
            .map_err(|e| format!("{key}: {e}"))?;
        if !plan.path.starts_with(base_path) {
            return Err(format!(
                "{key}: the path is outside conventions.base_path {base_path:?}"
            ));
        }
        if !taken.insert((plan.tag, plan.method_name.clone())) {
            return Err(format!(
                "{key}: `{}().{}()` is already taken; choose a name in conventions.rust.method_names",
                plan.accessor, plan.method_name
            ));
        }
        if let Some(query) = &plan.query_type {
            let clashes = schemas.is_some_and(|s| s.keys().any(|name| pascal(name) == *query));
            if !query_types.insert(query.clone()) || clashes {
                return Err(format!(
                    "{key}: the query type {query} clashes; choose a method name in the overlay"
                ));
            }
        }
        plans.push(plan);
    }
    if let Some(overrides) = conventions["rust"]["method_names"].as_object() {
        for key in overrides.keys() {
            if !operations.contains_key(key) {
                return Err(format!(
                    "conventions.rust.method_names names {key}, which is not an operation"
                ));
            }
        }
    }
    Ok(plans)
}

fn operation<'a>(
    key: &'a str,
    op: &'a Value,
    conventions: &'a Value,
    json_media_types: &[&str],
    schemas: Option<&'a serde_json::Map<String, Value>>,
) -> Result<Operation<'a>> {
    let rust = &conventions["rust"];
    let operation_id = op["operation_id"].as_str().ok_or("no operation_id")?;
    let tag = op["tags"][0]
        .as_str()
        .ok_or("no tag: every operation needs one to pick its handle")?;
    let accessor = rust["handle_accessors"][tag]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| ident(tag));
    let method_name = match rust["method_names"][key].as_str() {
        Some(name) => name.to_owned(),
        None => method_name(operation_id, tag),
    };
    let path = op["path"].as_str().ok_or("no path")?;
    let mut path_params = Vec::new();
    let mut query_params = Vec::new();
    for parameter in op["parameters"].as_array().into_iter().flatten() {
        let param = Param {
            wire: parameter["name"].as_str().unwrap_or_default(),
            schema: &parameter["schema"],
            required: parameter["required"].as_bool().unwrap_or(false),
        };
        match parameter["in"].as_str() {
            Some("path") => path_params.push(param),
            Some("query") => query_params.push(param),
            // Headers and cookies are the transport's business (credentials, options).
            _ => {}
        }
    }
    let mut ordered = Vec::new();
    for name in template_names(path) {
        let at = path_params
            .iter()
            .position(|p| p.wire == name)
            .ok_or(format!(
                "the path names {{{name}}} but no path parameter has that name"
            ))?;
        ordered.push(path_params.remove(at));
    }
    if let Some(extra) = path_params.first() {
        return Err(format!("path parameter {} is not in the path", extra.wire));
    }
    let body = match op.get("request_body") {
        None => None,
        Some(body) => {
            let content = body["content"]
                .as_object()
                .ok_or("a request body without content")?;
            // With several media types, JSON is the one sent (the others stay reachable as raw
            // bytes through the generic call).
            let (media_type, entry) = content
                .iter()
                .find(|(media_type, _)| json_media_types.contains(&media_type.as_str()))
                .or_else(|| content.iter().next())
                .ok_or("a request body without media types")?;
            Some(if json_media_types.contains(&media_type.as_str()) {
                Body::Json {
                    schema: &entry["schema"],
                    required: body["required"].as_bool().unwrap_or(false),
                    media_type,
                }
            } else if media_type == FORM_MEDIA_TYPE {
                Body::Form
            } else {
                Body::Raw { media_type }
            })
        }
    };
    let response = response(op, json_media_types)?;
    let pages = match cursor_pages(conventions, &response, &query_params) {
        Some(item) => Some(Pages::Cursor { item }),
        None => offset_pages(conventions, operation_id, &response, &query_params, schemas)?,
    };
    let query_type = (!query_params.is_empty())
        .then(|| format!("{}Query", pascal(&format!("{tag}_{method_name}"))));
    Ok(Operation {
        key,
        operation_id,
        method: op["method"].as_str().ok_or("no method")?,
        path,
        tag,
        accessor,
        method_name,
        path_params: ordered,
        query_params,
        query_type,
        body,
        response,
        pages,
        security: op["security"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect(),
    })
}

/// The success responses read as one kind: a WebSocket upgrade (101 only), nothing, one JSON
/// schema (for every success, or only some), or bytes of one media type.
fn response<'a>(op: &'a Value, json_media_types: &[&str]) -> Result<Response<'a>> {
    let responses = op["responses"].as_object().ok_or("no responses")?;
    let successes: Vec<(u16, &Value)> = responses
        .iter()
        .filter_map(|(status, r)| status.parse::<u16>().ok().map(|s| (s, r)))
        .filter(|(s, _)| (200..300).contains(s))
        .collect();
    if successes.is_empty() {
        if responses.contains_key("101") {
            return Ok(Response::WebSocket);
        }
        // A browser endpoint that only redirects (an OAuth callback): the call succeeds or fails
        // with its status and has nothing to read.
        if responses.keys().any(|status| status.starts_with('3')) {
            return Ok(Response::Empty);
        }
        return Err("no success response".into());
    }
    let mut bodies: Vec<(u16, &str, &Value)> = Vec::new();
    for (status, response) in &successes {
        if let Some(content) = response.get("content").and_then(Value::as_object) {
            if content.len() > 1 {
                // Several media types are fine for bytes (an image as JPEG, PNG or WebP), not for JSON.
                if content
                    .keys()
                    .any(|m| json_media_types.contains(&m.as_str()))
                {
                    return Err(format!(
                        "response {status} offers JSON and other media types"
                    ));
                }
                let accept: Vec<&str> = content.keys().map(String::as_str).collect();
                return Ok(Response::Bytes(accept.join(", ")));
            }
            if let Some((media_type, entry)) = content.iter().next() {
                bodies.push((*status, media_type, &entry["schema"]));
            }
        }
    }
    let Some(&(_, media_type, schema)) = bodies.first() else {
        return Ok(Response::Empty);
    };
    if bodies
        .iter()
        .any(|(_, m, s)| *m != media_type || *s != schema)
    {
        return Err("success responses with different bodies need a choice in the overlay".into());
    }
    if !json_media_types.contains(&media_type) {
        return Ok(Response::Bytes(media_type.to_owned()));
    }
    if bodies.len() == successes.len() {
        Ok(Response::Json(schema))
    } else {
        Ok(Response::JsonWhen(
            schema,
            bodies.iter().map(|(s, _, _)| *s).collect(),
        ))
    }
}

/// The item schema when the operation answers the page schema of `conventions.pagination` (a
/// generic with one type argument) and takes its cursor and limit parameters.
fn cursor_pages<'a>(
    conventions: &Value,
    response: &Response<'a>,
    query: &[Param],
) -> Option<&'a Value> {
    let pagination = &conventions["pagination"];
    let page_schema = pagination["page_schema"].as_str()?;
    let Response::Json(schema) = response else {
        return None;
    };
    if ref_name(schema) != Some(page_schema) {
        return None;
    }
    let cursor = pagination["request"]["cursor"].as_str().unwrap_or("cursor");
    let limit = pagination["request"]["limit"].as_str().unwrap_or("limit");
    let has = |name: &str| query.iter().any(|p| p.wire == name);
    if !has(cursor) || !has(limit) {
        return None;
    }
    let args = schema.get("x-type-args")?.as_object()?;
    if args.len() != 1 {
        return None;
    }
    args.values().next()
}

/// The paging of an operation `conventions.pagination.operations` lists with style `offset`: its
/// response must be a wrapper schema with an array under `items`, and it must take the offset and
/// limit parameters. Other styles (KinBot's `before`, which does not walk history, §3.2) get no
/// walker.
fn offset_pages<'a>(
    conventions: &'a Value,
    operation_id: &str,
    response: &Response<'a>,
    query: &[Param],
    schemas: Option<&'a serde_json::Map<String, Value>>,
) -> Result<Option<Pages<'a>>> {
    let entry = &conventions["pagination"]["operations"][operation_id];
    if entry["style"].as_str() != Some("offset") {
        return Ok(None);
    }
    let text = |key: &str| {
        entry[key].as_str().ok_or(format!(
            "pagination.operations.{operation_id}.{key} is missing"
        ))
    };
    // A page whose items sit under no one key (KinBot's ticket comments) is not walked.
    if entry["items"].is_null() {
        return Ok(None);
    }
    let (items, offset, limit) = (text("items")?, text("cursor_param")?, text("limit_param")?);
    let has_more = entry["has_more"].as_str();
    for name in [offset, limit] {
        if !query.iter().any(|p| p.wire == name) {
            return Err(format!("pages by offset but takes no `{name}` parameter"));
        }
    }
    let Response::Json(schema) = response else {
        return Err("pages by offset but answers no JSON".into());
    };
    let wrapper = ref_name(schema)
        .and_then(|name| schemas?.get(name))
        .ok_or("pages by offset but its answer is not a named wrapper schema")?;
    let required = |key: &str| {
        wrapper["required"]
            .as_array()
            .is_some_and(|r| r.iter().any(|k| k == key))
    };
    let item = wrapper["properties"][items]
        .get("items")
        .ok_or(format!("the wrapper has no array `{items}`"))?;
    if let Some(key) = has_more {
        if wrapper["properties"].get(key).is_none() {
            return Err(format!("the wrapper has no `{key}`"));
        }
    }
    Ok(Some(Pages::Offset {
        item,
        items,
        has_more,
        items_required: required(items),
        has_more_required: has_more.is_some_and(required),
        offset,
        limit,
    }))
}

/// The `{name}` parameters of a path template, in order.
pub fn template_names(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_names_in_order() {
        assert_eq!(
            template_names("/api/v1/{kind}/{id}/images/{image}"),
            vec!["kind", "id", "image"]
        );
        assert!(template_names("/api/v1/status").is_empty());
    }
}
