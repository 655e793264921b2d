//! Resolved contract → the npm package's JavaScript surface: plain wrapper classes (one per tag, one
//! camelCase method per operation) over the generic calls the wasm `KinlinkClient` exports, their
//! TypeScript declarations with a type for every schema ([`crate::typescript`]), and an operation table
//! (`{api}.operations.json`, not shipped) emitted from the same plans as the methods, so a test can
//! find each operation's method and hold what it sends to the contract.
//!
//! Why JavaScript and not a wasm export per operation: every `#[wasm_bindgen]` export is a root LTO
//! cannot drop, and a decoder per schema would add hundreds of KB, so the package would grow with the
//! contract. These classes stay thin instead: each method names its operation (HTTP method, path
//! template, which arguments go in the path, the query or the body) and hands its arguments to one of
//! the generic calls; the Rust transport sends it (credentials, retries, timeouts, errors, paging) and
//! gives back the JSON text the server sent, which the method turns into a value with `JSON.parse`.
//!
//! The plans are [`crate::plan`]'s, shared with [`crate::rust`]: the same handles and method names
//! (camelCased), the same split of parameters, the same body and response kinds and the same `…All`
//! walkers. Conventions read
//! here, under `conventions.js`: `root` (the interface of the API's entry point), `type_names` (see
//! [`crate::typescript`]) and `kept` (methods of the entry point from before the contract: aliases of
//! generated methods, and hand-written bindings it delegates to, all typed by a hand-written
//! interface).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::Value;

use crate::naming::{pascal, unraw, words};
use crate::rust::File;
use crate::typescript::{is_identifier, json_string, property_key, Types};
use crate::Result;

/// JavaScript's reserved words (and `arguments`, `eval`): an argument named like one gets a trailing `_`.
const RESERVED: &str = "await break case catch class const continue debugger default delete do else enum \
    export extends false finally for function if implements import in instanceof interface let new null \
    package private protected public return static super switch this throw true try typeof var void \
    while with yield arguments eval";

/// Argument names every method may use besides its path parameters.
const FIXED_ARGUMENTS: &[&str] = &["query", "body", "options"];

use crate::plan::{Body, Response};

struct Param<'a> {
    wire: String,
    /// The JavaScript argument name.
    arg: String,
    schema: &'a Value,
    required: bool,
    nullable: bool,
}

/// Everything about one operation's method, computed once for the method, its declaration and its
/// table row.
struct Plan<'a> {
    key: &'a str,
    operation_id: &'a str,
    method: &'a str,
    path: &'a str,
    tag: &'a str,
    handle: String,
    js_method: String,
    path_params: Vec<Param<'a>>,
    query_params: Vec<Param<'a>>,
    /// The interface of the query argument (the Rust query struct's name).
    query_type: Option<String>,
    body: Option<Body<'a>>,
    response: Response<'a>,
    /// The item schema, when the method gets an `…All` walker.
    pages: Option<crate::plan::Pages<'a>>,
    public: bool,
}

impl Plan<'_> {
    /// The query argument may be left out when it has no required parameter.
    fn query_optional(&self) -> bool {
        self.query_params.iter().all(|p| !p.required || p.nullable)
    }
}

/// The JavaScript module, its declarations and the operation table for a resolved contract:
/// `{api}.js`, `{api}.d.ts` and `{api}.operations.json`.
pub fn generate(resolved: &Value, header: &str) -> Result<Vec<File>> {
    let conventions = &resolved["conventions"];
    let api = conventions["api"]
        .as_str()
        .ok_or("conventions.api names the API (and the generated files)")?;
    let root = conventions["js"]["root"]
        .as_str()
        .ok_or("conventions.js.root names the interface of the API's entry point")?;
    let types = Types::new(resolved)?;
    let plans = plans(resolved)?;
    let mut by_tag: BTreeMap<&str, Vec<&Plan>> = BTreeMap::new();
    for plan in &plans {
        by_tag.entry(plan.tag).or_default().push(plan);
    }
    let kept = Kept::read(conventions)?;
    let title = conventions["title"].as_str().unwrap_or(api);

    // This file ships, so it says what it is in one line; the declarations document the methods.
    let mut js = format!(
        "{header}// {title}'s operations over KinlinkClient's generic calls; see {api}.d.ts and sdk/src/js/call.rs.\n\n"
    );
    let mut dts = format!(
        "{header}// {title}'s operations and schemas, as the generated classes in {api}.js hand them over:\n\
         // `JSON.parse` of what the server sent. Required keys are not optional, nullable ones admit\n\
         // `null`, and enums admit values this contract does not list.\n\n{}",
        types.declarations()?
    );
    for plan in &plans {
        if let Some(query_type) = &plan.query_type {
            dts.push_str(&query_interface(&types, query_type, plan)?);
        }
    }
    let mut root_members = String::new();
    let mut root_getters = Vec::new();
    let mut members: BTreeSet<String> = BTreeSet::new();
    for (tag, plans) in &by_tag {
        let class = format!("{}{}Api", pascal(api), pascal(tag));
        js.push_str(&handle_class(&class, plans)?);
        dts.push_str(&handle_interface(&types, &class, tag, plans)?);
        let handle = &plans[0].handle;
        if !members.insert(handle.clone()) {
            return Err(format!("two tags are both reached as `{handle}`"));
        }
        root_getters.push(format!(
            "  get {handle}() {{\n    return new {class}(this.#client);\n  }}\n"
        ));
        let _ = writeln!(
            root_members,
            "  /** The operations tagged `{tag}`. */\n  readonly {handle}: {class};"
        );
    }
    for method in kept.names() {
        if !members.insert(method.to_owned()) {
            return Err(format!(
                "conventions.js.kept names {method}, which a tag's handle already uses"
            ));
        }
    }
    for (name, handle, method) in &kept.aliases {
        let target = plans.iter().find(|p| {
            p.handle == *handle
                && (p.js_method == *method
                    || (p.pages.is_some() && format!("{}All", p.js_method) == *method))
        });
        if target.is_none() {
            return Err(format!(
                "conventions.js.kept.aliases: {name} names {handle}.{method}, which is not a generated method"
            ));
        }
    }
    js.push_str(&root_class(root, &root_getters, &kept));
    dts.push_str(&root_interface(title, root, &root_members, &kept));
    // The package's declarations are one module: a second API's schemas (KinBot's `ErrorBody`
    // beside Kino's) live in their own namespace so the names never merge.
    if let Some(namespace) = conventions["js"]["namespace"].as_str() {
        if !is_identifier(namespace) {
            return Err(format!(
                "conventions.js.namespace {namespace:?} is not an identifier"
            ));
        }
        let body = dts
            .strip_prefix(header)
            .ok_or("the declarations start with the header")?;
        dts = format!(
            "{header}export declare namespace {namespace} {{
{body}}}
"
        );
    }
    Ok(vec![
        File {
            name: format!("{api}.js"),
            source: js,
        },
        File {
            name: format!("{api}.d.ts"),
            source: dts,
        },
        File {
            name: format!("{api}.operations.json"),
            source: operations_table(&plans),
        },
    ])
}

/// Methods the entry point keeps from before the contract, typed by a hand-written interface.
struct Kept {
    /// The interface that declares them all.
    declared_by: Option<String>,
    /// `(name, handle, method)`: `name(...)` calls `handle.method(...)`.
    aliases: Vec<(String, String, String)>,
    /// Methods of the hand-written bindings object the entry point is built with.
    hand_written: Vec<String>,
}

impl Kept {
    fn read(conventions: &Value) -> Result<Kept> {
        let section = &conventions["js"]["kept"];
        let mut kept = Kept {
            declared_by: None,
            aliases: Vec::new(),
            hand_written: Vec::new(),
        };
        if section.is_null() {
            return Ok(kept);
        }
        let identifier = |name: &str, what: &str| -> Result<String> {
            if is_identifier(name) {
                Ok(name.to_owned())
            } else {
                Err(format!(
                    "conventions.js.kept: {what} {name:?} is not an identifier"
                ))
            }
        };
        kept.declared_by = Some(
            section["declared_by"]
                .as_str()
                .ok_or("conventions.js.kept.declared_by names the interface declaring the kept methods")?
                .to_owned(),
        );
        for (name, target) in section["aliases"].as_object().into_iter().flatten() {
            let (handle, method) =
                target
                    .as_str()
                    .and_then(|t| t.split_once('.'))
                    .ok_or(format!(
                        "conventions.js.kept.aliases.{name} must be \"handle.method\""
                    ))?;
            kept.aliases.push((
                identifier(name, "alias")?,
                identifier(handle, "handle")?,
                identifier(method, "method")?,
            ));
        }
        for method in section["hand_written"].as_array().into_iter().flatten() {
            let method = method
                .as_str()
                .ok_or("conventions.js.kept.hand_written lists method names")?;
            kept.hand_written.push(identifier(method, "method")?);
        }
        Ok(kept)
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        self.aliases
            .iter()
            .map(|(name, _, _)| name.as_str())
            .chain(self.hand_written.iter().map(String::as_str))
    }
}

/// The shared plans ([`crate::plan`]) with their JavaScript names, and the checks JavaScript adds:
/// a walker's `…All` name is taken too, and no path parameter may shadow a fixed argument.
fn plans(resolved: &Value) -> Result<Vec<Plan<'_>>> {
    let mut plans = Vec::new();
    let mut taken = BTreeSet::new();
    for op in crate::plan::operations(resolved)? {
        let key = op.key;
        let plan = plan(op).map_err(|e| format!("{key}: {e}"))?;
        let mut names = vec![plan.js_method.clone()];
        if plan.pages.is_some() {
            names.push(format!("{}All", plan.js_method));
        }
        for name in names {
            if !taken.insert((plan.tag, name.clone())) {
                return Err(format!(
                    "{key}: `{}.{name}` is already taken; choose a name in conventions.rust.method_names",
                    plan.handle
                ));
            }
        }
        plans.push(plan);
    }
    Ok(plans)
}

fn plan(op: crate::plan::Operation<'_>) -> Result<Plan<'_>> {
    fn param<'a>(p: &crate::plan::Param<'a>) -> Param<'a> {
        Param {
            wire: p.wire.to_owned(),
            arg: argument(p.wire),
            nullable: crate::schema::is_nullable(p.schema),
            required: p.required,
            schema: p.schema,
        }
    }
    let public = op.public();
    let path_params: Vec<Param> = op.path_params.iter().map(param).collect();
    for param in &path_params {
        if FIXED_ARGUMENTS.contains(&param.arg.as_str()) {
            return Err(format!(
                "path parameter {} would shadow the `{}` argument",
                param.wire, param.arg
            ));
        }
    }
    Ok(Plan {
        key: op.key,
        operation_id: op.operation_id,
        method: op.method,
        path: op.path,
        tag: op.tag,
        handle: camel(unraw(&op.accessor)),
        js_method: camel(unraw(&op.method_name)),
        query_params: op.query_params.iter().map(param).collect(),
        path_params,
        query_type: op.query_type,
        public,
        body: op.body,
        response: op.response,
        pages: op.pages,
    })
}

/// `camelCase` from a snake_case name.
fn camel(name: &str) -> String {
    words(name)
        .iter()
        .enumerate()
        .map(|(i, word)| {
            if i == 0 {
                return word.clone();
            }
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// A wire name as a JavaScript argument: camelCase, `_` after a reserved word.
fn argument(wire: &str) -> String {
    let name = camel(wire);
    if RESERVED.split_whitespace().any(|word| word == name) || name.is_empty() {
        format!("{name}_")
    } else {
        name
    }
}

/// Text safe inside a `/** … */` comment: a `*/` in it (the media type `*/*`) would end the comment.
fn comment_text(text: &str) -> String {
    text.replace("*/", "*\\/")
}

/// One line of JSDoc naming the operation.
fn doc(plan: &Plan) -> String {
    let public = if plan.public {
        " Public: needs no credentials."
    } else {
        ""
    };
    format!("`{}` (`{}`).{public}", plan.key, plan.operation_id)
}

/// The request descriptor a method hands to the generic call (see `KinlinkRequest` in call.rs).
fn request_object(plan: &Plan) -> String {
    let mut fields = vec![
        format!("method: {}", json_string(plan.method)),
        format!("path: {}", json_string(plan.path)),
    ];
    if !plan.path_params.is_empty() {
        let params: Vec<String> = plan
            .path_params
            .iter()
            .map(|p| {
                if p.arg == p.wire {
                    p.arg.clone()
                } else {
                    format!("{}: {}", property_key(&p.wire), p.arg)
                }
            })
            .collect();
        fields.push(format!("pathParams: {{ {} }}", params.join(", ")));
    }
    if plan.query_type.is_some() {
        fields.push("query".to_owned());
    }
    match &plan.body {
        Some(Body::Json { .. }) => fields.push("body".to_owned()),
        Some(Body::Form) => {
            fields.push(format!(
                "bodyType: {}",
                json_string(crate::plan::FORM_MEDIA_TYPE)
            ));
            fields.push("form: body".to_owned());
        }
        Some(Body::Raw { media_type }) => {
            fields.push(format!("bodyType: {}", json_string(media_type)));
            fields.push("raw: body".to_owned());
        }
        None => {}
    }
    match &plan.response {
        Response::JsonWhen(_, statuses) => {
            let statuses: Vec<String> = statuses.iter().map(u16::to_string).collect();
            fields.push(format!("jsonStatuses: [{}]", statuses.join(", ")));
        }
        Response::Bytes(media_type) => fields.push(format!("accept: {}", json_string(media_type))),
        _ => {}
    }
    format!("{{ {} }}", fields.join(", "))
}

/// The JavaScript argument list of a method (without `options`).
fn arguments(plan: &Plan) -> Vec<String> {
    let mut args: Vec<String> = plan.path_params.iter().map(|p| p.arg.clone()).collect();
    if plan.query_type.is_some() {
        args.push("query".to_owned());
    }
    if plan.body.is_some() {
        args.push("body".to_owned());
    }
    args
}

fn handle_class(class: &str, plans: &[&Plan]) -> Result<String> {
    // The methods' documentation is in the declarations (`handle_interface`): this file ships, so it
    // carries only what runs.
    let mut out = format!(
        "class {class} {{\n  #client;\n\n  constructor(client) {{\n    this.#client = client;\n  }}\n"
    );
    for plan in plans {
        let request = request_object(plan);
        let name = &plan.js_method;
        if let Response::WebSocket = plan.response {
            if plan.query_type.is_some() || plan.body.is_some() {
                return Err(format!(
                    "{}: a WebSocket upgrade with query parameters or a body is not supported",
                    plan.key
                ));
            }
            let args = arguments(plan).join(", ");
            let _ = write!(
                out,
                "\n  {name}({args}) {{\n    return this.#client.websocketUrl({request});\n  }}\n"
            );
            continue;
        }
        let mut args = arguments(plan);
        args.push("options".to_owned());
        let args = args.join(", ");
        let call = match &plan.response {
            Response::Empty => format!("this.#client.requestEmpty({request}, options)"),
            Response::Json(_) => {
                format!("this.#client.request({request}, options).then(JSON.parse)")
            }
            Response::JsonWhen(..) => {
                format!("this.#client.request({request}, options).then(parseOrNull)")
            }
            Response::Bytes(_) => format!("this.#client.requestBytes({request}, options)"),
            Response::WebSocket => unreachable!("handled above"),
        };
        let _ = write!(out, "\n  {name}({args}) {{\n    return {call};\n  }}\n");
        if let Some(pages) = &plan.pages {
            let request = match pages {
                crate::plan::Pages::Cursor { .. } => request.clone(),
                // The transport's pager is told where an offset page keeps its items.
                crate::plan::Pages::Offset {
                    items,
                    has_more,
                    offset,
                    limit,
                    ..
                } => format!(
                    "{}, paging: {{ style: \"offset\", items: {}, hasMore: {}, offset: {}, limit: {} }} }}",
                    request.trim_end_matches(" }"),
                    json_string(items),
                    has_more.map_or("null".to_owned(), json_string),
                    json_string(offset),
                    json_string(limit)
                ),
            };
            let _ = write!(
                out,
                "\n  {name}All({args}) {{\n    return this.#client.requestPages({request}, options);\n  }}\n"
            );
        }
    }
    out.push_str("}\n\n");
    Ok(out)
}

fn root_class(root: &str, getters: &[String], kept: &Kept) -> String {
    let mut members = getters.to_vec();
    for (name, handle, method) in &kept.aliases {
        members.push(format!(
            "  {name}(...args) {{\n    return this.{handle}.{method}(...args);\n  }}\n"
        ));
    }
    for method in &kept.hand_written {
        members.push(format!(
            "  {method}(...args) {{\n    return this.#handWritten.{method}(...args);\n  }}\n"
        ));
    }
    let members = members.join("\n");
    // Only an API with hand-written methods takes the wasm object that implements them.
    let (field, param, assign, doc) = if kept.hand_written.is_empty() {
        ("", "", "", "a handle per tag")
    } else {
        (
            "  #handWritten;\n",
            ", handWritten",
            "\n    this.#handWritten = handWritten;",
            "a handle per tag, plus the methods it keeps from before the contract",
        )
    };
    format!(
        "// `null` for a success the contract documents without a body, else the parsed JSON.\n\
         function parseOrNull(text) {{\n  return text === null ? null : JSON.parse(text);\n}}\n\n\
         // The API's entry point: {doc}.\n\
         class {root} {{\n  #client;\n{field}\n\
         \x20 constructor(client{param}) {{\n    this.#client = client;{assign}\n  }}\n\n\
         {members}}}\n\n\
         // What the wasm `KinlinkClient` calls to build its API getter.\n\
         export function create{root}(client{param}) {{\n  return new {root}(client{param});\n}}\n"
    )
}

/// Every operation with its method, one JSON object per line, in the contract's order: what a test
/// needs to find each operation's method. The arguments follow from the contract: the path
/// parameters in path order, then the query (when it has query parameters) or the body (when it takes
/// one), then the call options.
fn operations_table(plans: &[Plan]) -> String {
    let rows: Vec<String> = plans
        .iter()
        .map(|plan| {
            format!(
                "  {{\"operation\": {}, \"handle\": {}, \"method\": {}, \"response\": {}, \"all\": {}}}",
                json_string(plan.key),
                json_string(&plan.handle),
                json_string(&plan.js_method),
                json_string(plan.response.table_name()),
                match plan.pages {
                    Some(_) => json_string(&format!("{}All", plan.js_method)),
                    None => "null".to_owned(),
                },
            )
        })
        .collect();
    format!("[\n{}\n]\n", rows.join(",\n"))
}

fn query_interface(types: &Types, name: &str, plan: &Plan) -> Result<String> {
    let mut out = format!(
        "/** The query parameters of `{}` (`{}`); `undefined` or `null` leaves one out, a list is sent comma-separated. */\nexport interface {name} {{\n",
        plan.key, plan.operation_id
    );
    for p in &plan.query_params {
        let ts = types.of(p.schema, &format!("query parameter {}", p.wire))?;
        let optional = if p.required && !p.nullable { "" } else { "?" };
        let _ = writeln!(out, "  {}{optional}: {ts};", property_key(&p.wire));
    }
    out.push_str("}\n\n");
    Ok(out)
}

fn handle_interface(types: &Types, class: &str, tag: &str, plans: &[&Plan]) -> Result<String> {
    let mut out = format!("/** The operations tagged `{tag}`. */\nexport interface {class} {{\n");
    for plan in plans {
        let mut params = Vec::new();
        let mut notes = String::new();
        for p in &plan.path_params {
            let ts = types.of(p.schema, &format!("path parameter {}", p.wire))?;
            params.push(format!("{}: {ts}", p.arg));
        }
        if let Some(query) = &plan.query_type {
            // An optional argument cannot come before a required one: with a required body, an
            // optional query is passed as `undefined`.
            let body_required = match &plan.body {
                Some(Body::Json { required, .. }) => *required,
                Some(_) => true,
                None => false,
            };
            params.push(match (plan.query_optional(), body_required) {
                (true, true) => format!("query: {query} | undefined"),
                (true, false) => format!("query?: {query}"),
                (false, _) => format!("query: {query}"),
            });
        }
        match &plan.body {
            Some(Body::Json {
                schema, required, ..
            }) => {
                let ts = types.of(schema, "request body")?;
                let optional = if *required { "" } else { "?" };
                params.push(format!("body{optional}: {ts}"));
            }
            Some(Body::Form) => params.push("body: readonly FormPart[]".to_owned()),
            Some(Body::Raw { media_type }) => {
                let _ = write!(notes, " It takes a `{media_type}` body, sent as given.");
                params.push("body: RawBody".to_owned());
            }
            None => {}
        }
        if !matches!(plan.response, Response::WebSocket) {
            params.push("options?: CallOptions".to_owned());
        }
        let returns = match &plan.response {
            Response::Empty => "Promise<void>".to_owned(),
            Response::Json(schema) => format!("Promise<{}>", types.of(schema, "response")?),
            Response::JsonWhen(schema, statuses) => {
                let statuses: Vec<String> = statuses.iter().map(u16::to_string).collect();
                let _ = write!(
                    notes,
                    " Resolves with `null` for a success other than {}: those have no body.",
                    statuses.join(", ")
                );
                format!("Promise<{} | null>", types.of(schema, "response")?)
            }
            Response::Bytes(media_type) => {
                let _ = write!(
                    notes,
                    " Resolves with the whole body and its content type (documented: `{media_type}`)."
                );
                "Promise<BytesResponse>".to_owned()
            }
            Response::WebSocket => {
                notes.push_str(" The `ws(s)://` URL to open: the socket itself is not HTTP.");
                "string".to_owned()
            }
        };
        let params = params.join(", ");
        let _ = writeln!(
            out,
            "  /** {} */\n  {}({params}): {returns};",
            comment_text(&format!("{}{notes}", doc(plan))),
            plan.js_method
        );
        if let Some(pages) = &plan.pages {
            let how = match pages {
                crate::plan::Pages::Cursor { .. } => "",
                crate::plan::Pages::Offset { .. } => ", the offset advanced by each page",
            };
            let _ = writeln!(
                out,
                "  /** Every item of `{}`, fetched page by page as the loop reads (`query.limit` per page{how}). */\n  {}All({params}): AsyncItemStream<{}>;",
                plan.key,
                plan.js_method,
                types.of(pages.item(), "page item")?
            );
        }
    }
    out.push_str("}\n\n");
    Ok(out)
}

fn root_interface(title: &str, root: &str, members: &str, kept: &Kept) -> String {
    let extends = match &kept.declared_by {
        Some(interface) => {
            let picked: Vec<String> = kept.names().map(json_string).collect();
            format!(" extends Pick<{interface}, {}>", picked.join(" | "))
        }
        None => String::new(),
    };
    format!("/** {title}'s API: a handle per tag of the contract. */\nexport interface {root}{extends} {{\n{members}}}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_camel_case_and_never_reserved() {
        assert_eq!(camel("for_episode"), "forEpisode");
        assert_eq!(camel("list"), "list");
        assert_eq!(camel("quality_profiles"), "qualityProfiles");
        assert_eq!(argument("entity_id"), "entityId");
        assert_eq!(argument("default"), "default_");
    }

    fn contract() -> Value {
        serde_json::json!({
            "conventions": {
                "api": "demo", "title": "Demo", "json_media_types": ["application/json"],
                "pagination": {"page_schema": "Page", "request": {"cursor": "cursor", "limit": "limit"}},
                "rust": {"handle_accessors": {}, "method_names": {}},
                "js": {"root": "DemoApi", "kept": {"declared_by": "DemoBefore", "aliases": {"everything": "items.listAll"}, "hand_written": ["status"]}}
            },
            "schemas": {
                "Page": {"type": "object", "x-type-params": ["T"], "properties": {"results": {"type": "array", "items": {"x-type-param": "T"}}}, "required": ["results"]},
                "Item": {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]}
            },
            "operations": {
                "GET /items": {"method": "GET", "path": "/items", "operation_id": "list_items", "tags": ["items"], "security": ["key"],
                    "parameters": [
                        {"in": "query", "name": "limit", "required": false, "schema": {"type": ["integer", "null"]}},
                        {"in": "query", "name": "cursor", "required": false, "schema": {"type": ["string", "null"]}}
                    ],
                    "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Page", "x-type-args": {"T": {"$ref": "#/components/schemas/Item"}}}}}}}},
                "DELETE /items/{item_id}": {"method": "DELETE", "path": "/items/{item_id}", "operation_id": "delete_item", "tags": ["items"], "security": [],
                    "parameters": [{"in": "path", "name": "item_id", "required": true, "schema": {"type": "integer"}}],
                    "responses": {"204": {}}},
                "POST /items": {"method": "POST", "path": "/items", "operation_id": "create_item", "tags": ["items"], "security": ["key"],
                    "parameters": [], "request_body": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}},
                    "responses": {"201": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}}, "202": {}}}
            }
        })
    }

    #[test]
    fn methods_hand_their_operation_to_the_generic_calls() {
        let files = generate(&contract(), "// header\n").unwrap();
        let js = &files[0].source;
        assert_eq!(files[0].name, "demo.js");
        assert!(js.starts_with("// header\n"));
        assert!(js.contains("  list(query, options) {\n    return this.#client.request({ method: \"GET\", path: \"/items\", query }, options).then(JSON.parse);\n  }"), "{js}");
        assert!(js.contains("  listAll(query, options) {\n    return this.#client.requestPages({ method: \"GET\", path: \"/items\", query }, options);\n  }"), "{js}");
        assert!(js.contains("  delete(itemId, options) {\n    return this.#client.requestEmpty({ method: \"DELETE\", path: \"/items/{item_id}\", pathParams: { item_id: itemId } }, options);\n  }"), "{js}");
        assert!(
            js.contains(
                "path: \"/items\", body, jsonStatuses: [201] }, options).then(parseOrNull)"
            ),
            "{js}"
        );
        assert!(
            js.contains("  get items() {\n    return new DemoItemsApi(this.#client);\n  }"),
            "{js}"
        );
        assert!(
            js.contains("  status(...args) {\n    return this.#handWritten.status(...args);\n  }"),
            "{js}"
        );
        assert!(
            js.contains("  everything(...args) {\n    return this.items.listAll(...args);\n  }"),
            "{js}"
        );
        let table: Value = serde_json::from_str(&files[2].source).unwrap();
        assert_eq!(files[2].name, "demo.operations.json");
        assert_eq!(
            table,
            serde_json::json!([
                {"operation": "DELETE /items/{item_id}", "handle": "items", "method": "delete", "response": "empty", "all": null},
                {"operation": "GET /items", "handle": "items", "method": "list", "response": "json", "all": "listAll"},
                {"operation": "POST /items", "handle": "items", "method": "create", "response": "json_or_empty", "all": null}
            ])
        );
    }

    #[test]
    fn declarations_type_every_argument_and_result() {
        let files = generate(&contract(), "").unwrap();
        let dts = &files[1].source;
        assert!(dts.contains("export interface ItemsListQuery {\n  limit?: number | null;\n  cursor?: string | null;\n}"), "{dts}");
        assert!(
            dts.contains(
                "  list(query?: ItemsListQuery, options?: CallOptions): Promise<Page<Item>>;"
            ),
            "{dts}"
        );
        assert!(
            dts.contains(
                "  listAll(query?: ItemsListQuery, options?: CallOptions): AsyncItemStream<Item>;"
            ),
            "{dts}"
        );
        assert!(dts.contains("  /** `DELETE /items/{item_id}` (`delete_item`). Public: needs no credentials. */\n  delete(itemId: number, options?: CallOptions): Promise<void>;"), "{dts}");
        assert!(
            dts.contains("  create(body: Item, options?: CallOptions): Promise<Item | null>;"),
            "{dts}"
        );
        assert!(dts.contains("export interface DemoApi extends Pick<DemoBefore, \"everything\" | \"status\"> {\n  /** The operations tagged `items`. */\n  readonly items: DemoItemsApi;\n}"), "{dts}");
        assert!(!crate::typescript::tests::uses_any(dts), "{dts}");
    }

    #[test]
    fn a_kept_method_must_name_a_generated_one_and_not_shadow_a_handle() {
        let mut resolved = contract();
        resolved["conventions"]["js"]["kept"]["aliases"] =
            serde_json::json!({"everything": "items.purge"});
        let error = generate(&resolved, "").unwrap_err();
        assert!(
            error.contains("items.purge, which is not a generated method"),
            "{error}"
        );
        resolved["conventions"]["js"]["kept"]["aliases"] =
            serde_json::json!({"items": "items.list"});
        let error = generate(&resolved, "").unwrap_err();
        assert!(error.contains("conventions.js.kept names items"), "{error}");
    }

    #[test]
    fn a_name_taken_twice_is_an_error() {
        let mut resolved = contract();
        resolved["conventions"]["rust"]["method_names"]["POST /items"] = "list_all".into();
        let error = generate(&resolved, "").unwrap_err();
        assert!(
            error.contains("`items.listAll` is already taken"),
            "{error}"
        );
    }
}
