//! Resolved contract → the SDK's Rust: one type per schema, one handle per tag with a method per
//! operation, and two tables (`OPERATIONS`, `SCHEMAS`) emitted from the same plans as the code, so
//! tests can hold the code to the contract.
//!
//! Everything API-specific comes from the contract's `conventions` (see `contracts/*.overlay.json`):
//! which schemas map to hand-written generic types (`Page<T>`), which media types are JSON, what the
//! catch-all variant is called, how handles hang off the hand-written API entry point, and any method
//! names a reviewer chose over the derived ones.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::naming::{ident, pascal, snake, unraw};
use crate::plan::template_names;
use crate::schema::{nullable_branch, properties, ref_name, required, types};
use crate::Result;

/// One generated file, relative to the output directory, before rustfmt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// File name, e.g. `movies.rs`.
    pub name: String,
    /// Rust source.
    pub source: String,
}

/// The attribute every wire type carries on the wasm build with the `js` feature, unless
/// `conventions.rust.tsify` is `false` (the `js` emitter then declares the contract's types).
const TSIFY: &str =
    "#[cfg_attr(all(target_arch = \"wasm32\", feature = \"js\"), derive(tsify::Tsify))]\n";

fn tsify_type(ts: &str) -> String {
    format!(
        "#[cfg_attr(all(target_arch = \"wasm32\", feature = \"js\"), derive(tsify::Tsify), tsify(type = {}))]\n",
        rust_string(ts)
    )
}

fn field_tsify_type(ts: &str) -> String {
    format!(
        "#[cfg_attr(all(target_arch = \"wasm32\", feature = \"js\"), tsify(type = {}))]",
        rust_string(ts)
    )
}

/// A Rust string literal.
fn rust_string(text: &str) -> String {
    format!("{text:?}")
}

/// A Rust type for a schema node.
#[derive(Debug, Clone)]
struct Ty {
    rust: String,
    /// The node accepts `null` (so the field is an `Option` whatever `required` says).
    nullable: bool,
    /// Holds a `serde_json::Value`, which needs a TypeScript override.
    any: bool,
    /// Passed by value (numbers, booleans).
    copy: bool,
    /// A `String`, passed as `&str`.
    string: bool,
}

impl Ty {
    fn new(rust: impl Into<String>) -> Ty {
        Ty {
            rust: rust.into(),
            nullable: false,
            any: false,
            copy: false,
            string: false,
        }
    }
}

/// An object schema's properties in order and its required names.
type Object = (Vec<(String, Value)>, BTreeSet<String>);

/// How a top-level schema becomes Rust.
enum Kind {
    Struct {
        properties: Vec<(String, Value)>,
        required: BTreeSet<String>,
    },
    StringEnum(Vec<String>),
    Union {
        tag: String,
        variants: Vec<Variant>,
    },
    Alias,
    External(String),
}

struct Variant {
    value: String,
    properties: Vec<(String, Value)>,
    required: BTreeSet<String>,
}

/// What a successful call gives back.
#[derive(Debug, Clone)]
enum Response {
    Empty,
    Json(Ty),
    /// JSON for these statuses, nothing for the other successes.
    JsonWhen(Ty, Vec<u16>),
    Bytes(String),
    WebSocket,
}

#[derive(Debug, Clone)]
enum Body {
    Json {
        ty: String,
        required: bool,
        media_type: String,
    },
    /// A `multipart/form-data` body: the method takes a [`Multipart`] form the caller builds.
    Form,
    /// A body of another media type: the caller gives its bytes and content type.
    Raw { media_type: String },
}

/// A walker's paging, with the item's Rust type.
enum Pages {
    Cursor {
        item: String,
    },
    Offset {
        item: String,
        /// The wrapper's field holding the items, and whether it is always there.
        items: (String, bool),
        /// The wrapper's has-more field, and whether it is always there.
        has_more: Option<(String, bool)>,
        offset: String,
        limit: String,
    },
}

struct Param {
    wire: String,
    ident: String,
    ty: Ty,
    required: bool,
}

/// Everything about one operation's method, computed once and used for both the method and its row
/// in `OPERATIONS`.
struct Plan {
    key: String,
    operation_id: String,
    method: String,
    path: String,
    tag: String,
    accessor: String,
    rust_method: String,
    path_params: Vec<Param>,
    query_params: Vec<Param>,
    query_struct: Option<String>,
    body: Option<Body>,
    response: Response,
    /// How the method's `_all` stream pages, when it gets one.
    pages: Option<Pages>,
    security: Vec<String>,
}

struct Gen<'a> {
    schemas: &'a Map<String, Value>,
    conventions: &'a Value,
    external: BTreeMap<String, String>,
    catch_all: String,
    json_media_types: Vec<String>,
    /// Whether the types carry tsify derives (`conventions.rust.tsify`, default true).
    tsify: bool,
}

/// The generated files for a resolved contract.
pub fn generate(resolved: &Value, header: &str) -> Result<Vec<File>> {
    let schemas = resolved["schemas"]
        .as_object()
        .ok_or("the contract has no schemas")?;
    let conventions = &resolved["conventions"];
    let rust = &conventions["rust"];
    let external = rust["external_types"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
        .collect();
    let gen = Gen {
        schemas,
        conventions,
        external,
        catch_all: rust["catch_all_variant"]
            .as_str()
            .unwrap_or("Unknown")
            .to_owned(),
        json_media_types: conventions["json_media_types"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        tsify: rust["tsify"].as_bool().unwrap_or(true),
    };
    if gen.json_media_types.is_empty() {
        return Err("conventions.json_media_types must list the JSON media types".into());
    }
    let mut files = Vec::new();
    let (types, schema_rows) = gen.types()?;
    files.push(File {
        name: "types.rs".into(),
        source: format!("{header}{types}"),
    });

    let plans = gen.plans(resolved)?;
    let mut by_tag: BTreeMap<String, Vec<&Plan>> = BTreeMap::new();
    for plan in &plans {
        by_tag.entry(plan.tag.clone()).or_default().push(plan);
    }
    for (tag, plans) in &by_tag {
        files.push(File {
            name: format!("{}.rs", snake(tag)),
            source: format!("{header}{}", gen.handle(tag, plans)?),
        });
    }
    files.push(File {
        name: "operations.rs".into(),
        source: format!("{header}{}", operations_table(&plans)),
    });
    files.push(File {
        name: "schemas.rs".into(),
        source: format!(
            "{header}{}",
            schemas_table(&schema_rows, &gen.page_instances(&plans))
        ),
    });
    files.push(File {
        name: "mod.rs".into(),
        source: format!("{header}{}", gen.root(&by_tag)?),
    });
    Ok(files)
}

impl Gen<'_> {
    /// [`tsify_type`], or nothing when the types carry no tsify derives.
    fn tsify_type(&self, ts: &str) -> String {
        if self.tsify {
            tsify_type(ts)
        } else {
            String::new()
        }
    }

    fn type_name(&self, schema: &str) -> String {
        match self.conventions["rust"]["type_names"][schema].as_str() {
            Some(chosen) => chosen.to_owned(),
            None => pascal(schema),
        }
    }

    fn kind(&self, name: &str, schema: &Value) -> Result<Kind> {
        if let Some(path) = self.external.get(name) {
            return Ok(Kind::External(path.clone()));
        }
        if schema.get("x-type-params").is_some() {
            return Err(format!(
                "schema {name} is generic; map it to a hand-written type in conventions.rust.external_types"
            ));
        }
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            let (properties, required) = self.merge_all_of(name, parts)?;
            return Ok(Kind::Struct {
                properties,
                required,
            });
        }
        if nullable_branch(schema).is_some() {
            return Ok(Kind::Alias);
        }
        if let Some(branches) = schema.get("oneOf").and_then(Value::as_array) {
            return self.union(name, schema, branches);
        }
        let ts = types(schema);
        if ts.contains(&"object") || schema.get("properties").is_some() {
            if schema.get("properties").is_none() {
                return Ok(Kind::Alias);
            }
            return Ok(Kind::Struct {
                properties: properties(schema),
                required: required(schema),
            });
        }
        if ts == ["string"] {
            if let Some(values) = schema.get("enum").and_then(Value::as_array) {
                let values = values
                    .iter()
                    .map(|v| {
                        v.as_str()
                            .map(str::to_owned)
                            .ok_or(format!("{name}: enum values must be strings"))
                    })
                    .collect::<Result<Vec<_>>>()?;
                return Ok(Kind::StringEnum(values));
            }
        }
        Ok(Kind::Alias)
    }

    fn merge_all_of(&self, name: &str, parts: &[Value]) -> Result<Object> {
        let mut merged: BTreeMap<String, Value> = BTreeMap::new();
        let mut all_required = BTreeSet::new();
        for part in parts {
            let (props, req) = if let Some(target) = ref_name(part) {
                let schema = self
                    .schemas
                    .get(target)
                    .ok_or(format!("{name}: allOf refers to missing {target}"))?;
                match self.kind(target, schema)? {
                    Kind::Struct {
                        properties,
                        required,
                    } => (properties, required),
                    _ => return Err(format!("{name}: allOf part {target} is not an object")),
                }
            } else if part.get("properties").is_some() {
                (properties(part), required(part))
            } else {
                return Err(format!(
                    "{name}: an allOf part is neither a $ref nor an object"
                ));
            };
            for (prop, schema) in props {
                merged.insert(prop, schema);
            }
            all_required.extend(req);
        }
        Ok((merged.into_iter().collect(), all_required))
    }

    /// A `oneOf` of objects told apart by one property holding a different single string in each
    /// branch: `discriminator.propertyName` when the contract names it, else the one such property.
    fn union(&self, name: &str, schema: &Value, branches: &[Value]) -> Result<Kind> {
        if branches.iter().any(|b| b.get("properties").is_none()) {
            return Err(format!(
                "{name}: oneOf branches must be inline objects to form a tagged union"
            ));
        }
        let single = |branch: &Value, prop: &str| -> Option<String> {
            let p = branch.get("properties")?.get(prop)?;
            let values = p.get("enum")?.as_array()?;
            let required = required(branch).contains(prop);
            (values.len() == 1 && required)
                .then(|| values[0].as_str().map(str::to_owned))
                .flatten()
        };
        let named = schema
            .pointer("/discriminator/propertyName")
            .and_then(Value::as_str);
        let candidates: Vec<String> = match named {
            Some(tag) => vec![tag.to_owned()],
            None => properties(&branches[0])
                .into_iter()
                .map(|(p, _)| p)
                .collect(),
        };
        let tag = candidates
            .into_iter()
            .find(|prop| {
                let values: Vec<Option<String>> = branches.iter().map(|b| single(b, prop)).collect();
                let distinct: BTreeSet<&String> = values.iter().flatten().collect();
                values.iter().all(Option::is_some) && distinct.len() == values.len()
            })
            .ok_or(format!("{name}: no property tells the oneOf branches apart (name one in discriminator.propertyName)"))?;
        let variants = branches
            .iter()
            .map(|b| Variant {
                value: single(b, &tag).expect("checked above"),
                properties: properties(b)
                    .into_iter()
                    .filter(|(p, _)| *p != tag)
                    .collect(),
                required: required(b),
            })
            .collect();
        Ok(Kind::Union { tag, variants })
    }

    /// The Rust type of a schema node; `hint` names it in errors.
    fn ty(&self, schema: &Value, hint: &str) -> Result<Ty> {
        if let Some(inner) = nullable_branch(schema) {
            let mut ty = self.ty(inner, hint)?;
            ty.nullable = true;
            return Ok(ty);
        }
        if let Some(name) = ref_name(schema) {
            let target = self
                .schemas
                .get(name)
                .ok_or(format!("{hint}: $ref to missing schema {name}"))?;
            if let Some(args) = schema.get("x-type-args") {
                let base = self
                    .external
                    .get(name)
                    .ok_or(format!("{hint}: generic {name} has no Rust type"))?;
                let params = target["x-type-params"]
                    .as_array()
                    .ok_or(format!("{name} has no x-type-params"))?;
                let mut rendered = Vec::new();
                let mut any = false;
                for param in params {
                    let param = param.as_str().unwrap_or_default();
                    let arg = args
                        .get(param)
                        .ok_or(format!("{hint}: no type argument {param} for {name}"))?;
                    let ty = self.ty(arg, hint)?;
                    any |= ty.any;
                    rendered.push(ty.rust);
                }
                let mut ty = Ty::new(format!("{base}<{}>", rendered.join(", ")));
                ty.any = any;
                return Ok(ty);
            }
            return match self.kind(name, target)? {
                Kind::Alias => self.ty(target, name),
                Kind::External(path) => Ok(Ty::new(path)),
                _ => Ok(Ty::new(self.type_name(name))),
            };
        }
        let all = types(schema);
        let nullable = all.contains(&"null");
        let main: Vec<&str> = all.into_iter().filter(|t| *t != "null").collect();
        let mut ty = match main.as_slice() {
            ["string"] => {
                if schema
                    .get("enum")
                    .and_then(Value::as_array)
                    .is_some_and(|v| v.len() > 1)
                {
                    return Err(format!("{hint}: an inline string enum needs a name (move it to a schema in the overlay)"));
                }
                if schema.get("format").and_then(Value::as_str) == Some("binary") {
                    Ty::new("Vec<u8>")
                } else {
                    let mut ty = Ty::new("String");
                    ty.string = true;
                    ty
                }
            }
            ["integer"] => {
                let mut ty = Ty::new(integer(schema));
                ty.copy = true;
                ty
            }
            ["number"] => {
                let float = schema.get("format").and_then(Value::as_str) == Some("float");
                let mut ty = Ty::new(if float { "f32" } else { "f64" });
                ty.copy = true;
                ty
            }
            ["boolean"] => {
                let mut ty = Ty::new("bool");
                ty.copy = true;
                ty
            }
            ["array"] => {
                let items = schema
                    .get("items")
                    .ok_or(format!("{hint}: an array without items"))?;
                let item = self.ty(items, &format!("{hint}[]"))?;
                let rust = if item.nullable {
                    format!("Option<{}>", item.rust)
                } else {
                    item.rust
                };
                let mut ty = Ty::new(format!("Vec<{rust}>"));
                ty.any = item.any;
                ty
            }
            ["object"] | [] => {
                if schema
                    .get("properties")
                    .and_then(Value::as_object)
                    .is_some_and(|p| !p.is_empty())
                {
                    return Err(format!("{hint}: an inline object needs a name (move it to a schema in the overlay)"));
                }
                match schema.get("additionalProperties") {
                    Some(values @ Value::Object(_)) => {
                        let value = self.ty(values, &format!("{hint}{{}}"))?;
                        let mut ty = Ty::new(format!(
                            "std::collections::BTreeMap<String, {}>",
                            value.rust
                        ));
                        ty.any = value.any;
                        ty
                    }
                    _ => {
                        let mut ty = Ty::new("serde_json::Value");
                        ty.any = true;
                        ty
                    }
                }
            }
            _ => {
                let mut ty = Ty::new("serde_json::Value");
                ty.any = true;
                ty
            }
        };
        ty.nullable = nullable;
        Ok(ty)
    }

    /// `types.rs` and the rows of `SCHEMAS` (schema name, Rust type).
    fn types(&self) -> Result<(String, Vec<(String, String)>)> {
        let mut out = String::new();
        out.push_str(
            "//! One type per schema of the contract.\n\
             // Fields are named as on the wire and the contract carries no prose to document them with.\n\
             #![allow(missing_docs)]\n\n",
        );
        let mut rows = Vec::new();
        let mut names = BTreeSet::new();
        for (name, schema) in self.schemas {
            let type_name = self.type_name(name);
            if !names.insert(type_name.clone()) {
                return Err(format!("two schemas are both named {type_name} in Rust"));
            }
            match self.kind(name, schema)? {
                Kind::External(_) => continue,
                Kind::Struct {
                    properties,
                    required,
                } => {
                    out.push_str(&self.structure(
                        &type_name,
                        &format!("Schema `{name}`."),
                        &properties,
                        &required,
                    )?);
                }
                Kind::StringEnum(values) => {
                    out.push_str(&self.string_enum(name, &type_name, &values))
                }
                Kind::Union { tag, variants } => {
                    for variant in &variants {
                        let payload = format!("{type_name}{}", pascal(&variant.value));
                        if !names.insert(payload.clone()) {
                            return Err(format!(
                                "the payload type {payload} of {name} clashes with a schema"
                            ));
                        }
                        let doc = format!(
                            "The fields of `{tag}: \"{}\"` in [`{type_name}`].",
                            variant.value
                        );
                        out.push_str(&self.structure(
                            &payload,
                            &doc,
                            &variant.properties,
                            &variant.required,
                        )?);
                    }
                    out.push_str(&self.union_type(name, &type_name, &tag, &variants));
                }
                Kind::Alias => {
                    let ty = self.ty(schema, name)?;
                    let rust = if ty.nullable {
                        format!("Option<{}>", ty.rust)
                    } else {
                        ty.rust
                    };
                    let _ = writeln!(
                        out,
                        "/// Schema `{name}`. An alias: fields of this schema use the aliased type directly.\npub type {type_name} = {rust};\n"
                    );
                }
            }
            rows.push((name.clone(), type_name));
        }
        Ok((out, rows))
    }

    fn structure(
        &self,
        type_name: &str,
        doc: &str,
        properties: &[(String, Value)],
        required: &BTreeSet<String>,
    ) -> Result<String> {
        let mut fields = String::new();
        let mut accessors = String::new();
        let mut all_optional = true;
        for (wire, schema) in properties {
            let hint = format!("{type_name}.{wire}");
            let ty = self.ty(schema, &hint)?;
            let field = ident(wire);
            let is_required = required.contains(wire);
            let optional = ty.nullable || !is_required;
            all_optional &= optional;
            let mut attrs = Vec::new();
            if unraw(&field) != wire {
                attrs.push(format!("rename = {}", rust_string(wire)));
            }
            let rust = if optional {
                attrs.push("default".into());
                // A key the server always sends (required, nullable) is sent back as `null`; an
                // optional one is left out when empty.
                if !is_required {
                    attrs.push("skip_serializing_if = \"Option::is_none\"".into());
                }
                format!("Option<{}>", ty.rust)
            } else {
                ty.rust.clone()
            };
            if !attrs.is_empty() {
                let _ = writeln!(fields, "#[serde({})]", attrs.join(", "));
            }
            if ty.any && self.tsify {
                fields.push_str(&field_tsify_type(if ty.rust.starts_with("Vec<") {
                    "unknown[]"
                } else {
                    "unknown"
                }));
                fields.push('\n');
            }
            let _ = writeln!(fields, "pub {field}: {rust},");
            if let Some(accessor) = self.embedded_json_accessor(schema, &field, optional, &hint)? {
                accessors.push_str(&accessor);
            }
        }
        let default = if all_optional { ", Default" } else { "" };
        let tsify = if self.tsify { TSIFY } else { "" };
        let mut out = format!(
            "/// {doc}\n#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize{default})]\n{tsify}pub struct {type_name} {{\n{fields}}}\n\n"
        );
        if !accessors.is_empty() {
            let _ = writeln!(out, "impl {type_name} {{\n{accessors}}}\n");
        }
        Ok(out)
    }

    /// For a string field whose contract says it holds JSON (`contentMediaType` plus
    /// `contentSchema`), a method decoding it; the field itself stays the string the server sent, so
    /// a malformed value never fails the whole response.
    fn embedded_json_accessor(
        &self,
        schema: &Value,
        field: &str,
        optional: bool,
        hint: &str,
    ) -> Result<Option<String>> {
        let Some(media_type) = schema.get("contentMediaType").and_then(Value::as_str) else {
            return Ok(None);
        };
        if !self.json_media_types.iter().any(|m| m == media_type) {
            return Ok(None);
        }
        let inner = match schema.get("contentSchema") {
            Some(content) => self.ty(content, hint)?,
            None => Ty::new("serde_json::Value"),
        };
        let inner = if inner.nullable {
            format!("Option<{}>", inner.rust)
        } else {
            inner.rust
        };
        let name = format!("{}_decoded", unraw(field));
        Ok(Some(if optional {
            format!(
                "/// `{wire}` decoded: it holds JSON text. `None` when the server sent no value.\npub fn {name}(&self) -> Option<Result<{inner}, serde_json::Error>> {{\nself.{field}.as_deref().map(serde_json::from_str)\n}}\n",
                wire = unraw(field)
            )
        } else {
            format!(
                "/// `{wire}` decoded: it holds JSON text.\npub fn {name}(&self) -> Result<{inner}, serde_json::Error> {{\nserde_json::from_str(&self.{field})\n}}\n",
                wire = unraw(field)
            )
        }))
    }

    fn string_enum(&self, name: &str, type_name: &str, values: &[String]) -> String {
        let catch_all = &self.catch_all;
        // A declared value spelled like the catch-all (Kino's `unknown` health) means the same thing,
        // so it decodes into the catch-all instead of a second variant of that name.
        let known: Vec<(&String, String)> = values
            .iter()
            .map(|v| (v, variant_name(v)))
            .filter(|(_, variant)| variant != catch_all)
            .collect();
        let folded = values.iter().find(|v| variant_name(v) == *catch_all);
        let ts: Vec<String> = values
            .iter()
            .map(|v| format!("{v:?}"))
            .chain(["(string & {})".to_owned()])
            .collect();
        let mut out = format!(
            "/// Schema `{name}`: one of the listed strings, or any other kept as [`{type_name}::{catch_all}`].\n\
             #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]\n\
             #[serde(from = \"String\", into = \"String\")]\n{}pub enum {type_name} {{\n",
            self.tsify_type(&ts.join(" | "))
        );
        for (value, variant) in &known {
            let _ = writeln!(out, "/// `{value}`\n{variant},");
        }
        let folded_doc = folded
            .map(|v| format!(" The declared value `{v}` decodes here too."))
            .unwrap_or_default();
        let _ = writeln!(out, "/// A value this contract does not list, kept as sent.{folded_doc}\n{catch_all}(String),\n}}\n");
        let arms: String = known
            .iter()
            .map(|(v, variant)| format!("Self::{variant} => {v:?},\n"))
            .collect();
        let from_arms: String = known
            .iter()
            .map(|(v, variant)| format!("{v:?} => Self::{variant},\n"))
            .collect();
        let _ = write!(
            out,
            "impl {type_name} {{\n/// The string on the wire.\npub fn as_str(&self) -> &str {{\nmatch self {{\n{arms}Self::{catch_all}(value) => value,\n}}\n}}\n}}\n\n\
             impl From<String> for {type_name} {{\nfn from(value: String) -> Self {{\nmatch value.as_str() {{\n{from_arms}_ => Self::{catch_all}(value),\n}}\n}}\n}}\n\n\
             impl From<{type_name}> for String {{\nfn from(value: {type_name}) -> String {{\nmatch value {{\n{type_name}::{catch_all}(value) => value,\nknown => known.as_str().to_owned(),\n}}\n}}\n}}\n\n\
             impl std::fmt::Display for {type_name} {{\nfn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{\nf.write_str(self.as_str())\n}}\n}}\n\n"
        );
        out
    }

    fn union_type(&self, name: &str, type_name: &str, tag: &str, variants: &[Variant]) -> String {
        let catch_all = &self.catch_all;
        let ts: Vec<String> = variants
            .iter()
            .map(|v| {
                format!(
                    "({{ {tag}: {:?} }} & {type_name}{})",
                    v.value,
                    pascal(&v.value)
                )
            })
            .chain([format!("{{ {tag}: string; [key: string]: unknown }}")])
            .collect();
        let mut out = format!(
            "/// Schema `{name}`: objects told apart by `{tag}`; one this contract does not list is kept whole as [`{type_name}::{catch_all}`].\n\
             #[derive(Debug, Clone, PartialEq)]\n\
             // Variants are the events as sent, decoded once and matched on; boxing them would only\n\
             // make every match deref.\n\
             #[allow(clippy::large_enum_variant)]\n{}pub enum {type_name} {{\n",
            self.tsify_type(&ts.join(" | "))
        );
        for v in variants {
            let variant = pascal(&v.value);
            let _ = writeln!(
                out,
                "/// `{tag}: \"{}\"`\n{variant}({type_name}{variant}),",
                v.value
            );
        }
        let _ = writeln!(out, "/// A `{tag}` this contract does not list, kept as sent.\n{catch_all}(serde_json::Value),\n}}\n");
        let tag_arms: String = variants
            .iter()
            .map(|v| format!("Self::{}(_) => {:?},\n", pascal(&v.value), v.value))
            .collect();
        let ser_arms: String = variants
            .iter()
            .map(|v| format!("Self::{}(payload) => crate::contract::serialize_tagged(serializer, {tag:?}, {:?}, payload),\n", pascal(&v.value), v.value))
            .collect();
        let de_arms: String = variants
            .iter()
            .map(|v| {
                format!(
                    "Some({:?}) => crate::contract::decode_variant(value).map(Self::{}),\n",
                    v.value,
                    pascal(&v.value)
                )
            })
            .collect();
        let _ = write!(
            out,
            "impl {type_name} {{\n/// The `{tag}` of this value (`\"\"` for an unlisted one without a string `{tag}`).\npub fn tag(&self) -> &str {{\nmatch self {{\n{tag_arms}Self::{catch_all}(value) => crate::contract::tag_of(value, {tag:?}).unwrap_or_default(),\n}}\n}}\n}}\n\n\
             impl serde::Serialize for {type_name} {{\nfn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {{\nmatch self {{\n{ser_arms}Self::{catch_all}(value) => serde::Serialize::serialize(value, serializer),\n}}\n}}\n}}\n\n\
             impl<'de> serde::Deserialize<'de> for {type_name} {{\nfn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {{\nlet value: serde_json::Value = serde::Deserialize::deserialize(deserializer)?;\nmatch crate::contract::tag_of(&value, {tag:?}) {{\n{de_arms}_ => Ok(Self::{catch_all}(value)),\n}}\n}}\n}}\n\n"
        );
        out
    }

    /// The shared plans ([`crate::plan`]) with their Rust types.
    fn plans(&self, resolved: &Value) -> Result<Vec<Plan>> {
        crate::plan::operations(resolved)?
            .into_iter()
            .map(|op| {
                let key = op.key;
                self.plan(op).map_err(|e| format!("{key}: {e}"))
            })
            .collect()
    }

    fn plan(&self, op: crate::plan::Operation<'_>) -> Result<Plan> {
        let param = |p: &crate::plan::Param<'_>| -> Result<Param> {
            Ok(Param {
                wire: p.wire.to_owned(),
                ident: ident(p.wire),
                ty: self.ty(p.schema, &format!("parameter {}", p.wire))?,
                required: p.required,
            })
        };
        let body = match &op.body {
            None => None,
            Some(crate::plan::Body::Json {
                schema,
                required,
                media_type,
            }) => Some(Body::Json {
                ty: self.ty(schema, "request body")?.rust,
                required: *required,
                media_type: (*media_type).to_owned(),
            }),
            Some(crate::plan::Body::Form) => Some(Body::Form),
            Some(crate::plan::Body::Raw { media_type }) => Some(Body::Raw {
                media_type: (*media_type).to_owned(),
            }),
        };
        // A body that may be JSON `null` (KinBot's `get-session` when signed out) decodes to `None`.
        let body_ty = |schema: &Value| -> Result<Ty> {
            let mut ty = self.ty(schema, "response")?;
            if ty.nullable {
                ty.rust = format!("Option<{}>", ty.rust);
                ty.nullable = false;
            }
            Ok(ty)
        };
        let response = match &op.response {
            crate::plan::Response::Empty => Response::Empty,
            crate::plan::Response::Json(schema) => Response::Json(body_ty(schema)?),
            crate::plan::Response::JsonWhen(schema, statuses) => {
                Response::JsonWhen(body_ty(schema)?, statuses.clone())
            }
            crate::plan::Response::Bytes(media_type) => Response::Bytes(media_type.clone()),
            crate::plan::Response::WebSocket => Response::WebSocket,
        };
        let pages = match &op.pages {
            None => None,
            Some(crate::plan::Pages::Cursor { item }) => {
                let page_schema = self.conventions["pagination"]["page_schema"]
                    .as_str()
                    .unwrap_or_default();
                if !self.external.contains_key(page_schema) {
                    return Err(format!(
                        "pagination.page_schema {page_schema} has no Rust type"
                    ));
                }
                Some(Pages::Cursor {
                    item: self.ty(item, "page item")?.rust,
                })
            }
            Some(crate::plan::Pages::Offset {
                item,
                items,
                has_more,
                items_required,
                has_more_required,
                offset,
                limit,
            }) => Some(Pages::Offset {
                item: self.ty(item, "page item")?.rust,
                items: (ident(items), *items_required),
                has_more: has_more.map(|key| (ident(key), *has_more_required)),
                offset: ident(offset),
                limit: ident(limit),
            }),
        };
        Ok(Plan {
            key: op.key.to_owned(),
            operation_id: op.operation_id.to_owned(),
            method: op.method.to_owned(),
            path: op.path.to_owned(),
            tag: op.tag.to_owned(),
            accessor: op.accessor.clone(),
            rust_method: op.method_name.clone(),
            path_params: op.path_params.iter().map(param).collect::<Result<_>>()?,
            query_params: op.query_params.iter().map(param).collect::<Result<_>>()?,
            query_struct: op.query_type.clone(),
            body,
            response,
            pages,
            security: op.security.iter().map(|s| (*s).to_owned()).collect(),
        })
    }

    fn page_instances(&self, plans: &[Plan]) -> Vec<String> {
        let mut instances: BTreeSet<String> = BTreeSet::new();
        for plan in plans {
            if let Response::Json(ty) | Response::JsonWhen(ty, _) = &plan.response {
                if self
                    .external
                    .values()
                    .any(|path| ty.rust.starts_with(&format!("{path}<")))
                {
                    instances.insert(ty.rust.clone());
                }
            }
        }
        instances.into_iter().collect()
    }

    fn handle(&self, tag: &str, plans: &[&Plan]) -> Result<String> {
        let handle = format!("{}Api", pascal(tag));
        let mut methods = String::new();
        let mut queries = String::new();
        for plan in plans {
            methods.push_str(&self.method(&handle, plan)?);
            if let Some(query) = &plan.query_struct {
                queries.push_str(&query_struct(query, plan, self.tsify));
            }
        }
        Ok(format!(
            "//! The `{tag}` operations.\n\
             // Query fields are named as on the wire and the contract carries no prose to document them with.\n\
             #![allow(missing_docs)]\n\n\
             #[allow(unused_imports)] // each file uses a different part of this list\n\
             use super::*;\n\
             #[allow(unused_imports)]\n\
             use crate::transport::request_parts::{{path_segment, websocket_url, BytesResponse, Query}};\n\
             #[allow(unused_imports)]\n\
             use crate::transport::{{paginate, walk, ApiError, BoxStream, ErrorKind, Method, Multipart, Page, RequestBody, RequestOptions}};\n\
             use crate::Client;\n\n\
             /// The operations tagged `{tag}` in the contract.\n\
             #[derive(Debug, Clone)]\n\
             pub struct {handle}<'c> {{\nclient: &'c Client,\noptions: RequestOptions,\n}}\n\n\
             impl<'c> {handle}<'c> {{\n\
             pub(crate) fn new(client: &'c Client, options: RequestOptions) -> Self {{\n{handle} {{ client, options }}\n}}\n\n\
             /// The same operations with per-call retries, timeouts or headers.\n\
             pub fn with_options(mut self, options: RequestOptions) -> Self {{\nself.options = options;\nself\n}}\n\n\
             {methods}}}\n\n{queries}"
        ))
    }

    fn method(&self, handle: &str, plan: &Plan) -> Result<String> {
        let mut args = Vec::new();
        for p in &plan.path_params {
            let ty = if p.ty.copy {
                p.ty.rust.clone()
            } else if p.ty.string {
                "&str".to_owned()
            } else {
                format!("&{}", p.ty.rust)
            };
            args.push(format!("{}: {ty}", p.ident));
        }
        if let Some(query) = &plan.query_struct {
            args.push(format!("query: &{query}"));
        }
        match &plan.body {
            Some(Body::Json {
                ty, required: true, ..
            }) => args.push(format!("body: &{ty}")),
            Some(Body::Json {
                ty,
                required: false,
                ..
            }) => args.push(format!("body: Option<&{ty}>")),
            Some(Body::Form) => args.push("form: &Multipart".to_owned()),
            Some(Body::Raw { .. }) => args.push("body: RequestBody".to_owned()),
            None => {}
        }
        let args = if args.is_empty() {
            String::new()
        } else {
            format!(", {}", args.join(", "))
        };
        let verb = pascal(&plan.method.to_lowercase());
        let public = if plan.security.is_empty() {
            " Public: needs no credentials."
        } else {
            ""
        };
        let doc = format!("/// `{}` (`{}`).{public}\n", plan.key, plan.operation_id);
        let path_expr = if plan.path_params.is_empty() {
            rust_string(&plan.path)
        } else {
            let mut format_string = plan.path.clone();
            for name in template_names(&plan.path) {
                format_string = format_string.replace(&format!("{{{name}}}"), "{}");
            }
            let values: Vec<String> = plan
                .path_params
                .iter()
                .map(|p| format!("path_segment(&{})", p.ident))
                .collect();
            format!(
                "&format!({}, {})",
                rust_string(&format_string),
                values.join(", ")
            )
        };
        let query_expr = if plan.query_struct.is_some() {
            "&query.pairs()"
        } else {
            "&[]"
        };
        let query_line = if plan.query_struct.is_some() {
            "let query = Query::encode(query)?;\n"
        } else {
            ""
        };
        let body_expr = match &plan.body {
            Some(Body::Json { required: true, .. }) => "Some(body)".to_owned(),
            Some(Body::Json {
                required: false, ..
            }) => "body".to_owned(),
            Some(Body::Form) => "Some(form.encode()?)".to_owned(),
            Some(Body::Raw { .. }) => "Some(body)".to_owned(),
            _ => "None::<&()>".to_owned(),
        };
        // A form is encoded here, so it takes the transport's calls for an encoded body.
        let form = matches!(plan.body, Some(Body::Form | Body::Raw { .. }));
        let call = |name: &str, extra: &str| {
            let (name, tail) = match (form, name) {
                (true, "empty") => ("read_body", ".map(drop)"),
                (true, "json") => ("json_with", ""),
                (true, "bytes") => ("bytes_with", ""),
                _ => (name, ""),
            };
            format!(
                "self.client.transport().{name}(Method::{verb}, {path_expr}, {query_expr}, {body_expr}, {extra}&self.options).await{tail}"
            )
        };
        let method = &plan.rust_method;
        let mut out = match &plan.response {
            Response::Empty => format!(
                "{doc}pub async fn {method}(&self{args}) -> Result<(), ApiError> {{\n{query_line}{}\n}}\n\n",
                call("empty", "")
            ),
            Response::Json(ty) => format!(
                "{doc}pub async fn {method}(&self{args}) -> Result<{}, ApiError> {{\n{query_line}{}\n}}\n\n",
                ty.rust,
                call("json", "")
            ),
            Response::JsonWhen(ty, statuses) => {
                let statuses: Vec<String> = statuses.iter().map(u16::to_string).collect();
                format!(
                    "{doc}///\n/// `None` for a success without a body (the statuses other than {}).\npub async fn {method}(&self{args}) -> Result<Option<{}>, ApiError> {{\n{query_line}{}?.json_when(&[{}])\n}}\n\n",
                    statuses.join(", "),
                    ty.rust,
                    call("bytes", "\"application/json\", "),
                    statuses.join(", ")
                )
            }
            Response::Bytes(media_type) => format!(
                "{doc}///\n/// The body as bytes, with the content type the server sent (documented: `{media_type}`).\npub async fn {method}(&self{args}) -> Result<BytesResponse, ApiError> {{\n{query_line}{}\n}}\n\n",
                call("bytes", &format!("{}, ", rust_string(media_type)))
            ),
            Response::WebSocket => {
                if plan.query_struct.is_some() || plan.body.is_some() {
                    return Err("a WebSocket upgrade with query parameters or a body is not supported".into());
                }
                let path = &path_expr;
                format!(
                    "{doc}///\n/// A WebSocket upgrade: this is the `ws(s)://` URL to open; the socket itself is not HTTP.\npub fn {method}(&self{args}) -> String {{\nwebsocket_url(self.client.base_url(), {path})\n}}\n\n"
                )
            }
        };
        if let (Some(Pages::Cursor { item }), Some(query)) = (&plan.pages, &plan.query_struct) {
            let pagination = &self.conventions["pagination"]["request"];
            let cursor = ident(pagination["cursor"].as_str().unwrap_or("cursor"));
            let limit_param = plan
                .query_params
                .iter()
                .find(|p| p.wire == pagination["limit"].as_str().unwrap_or("limit"))
                .expect("pages() checked the limit parameter");
            let limit = &limit_param.ident;
            let limit_ty = &limit_param.ty.rust;
            let path_args: Vec<String> = plan.path_params.iter().map(|p| p.ident.clone()).collect();
            let owned_args: String = plan
                .path_params
                .iter()
                .map(|p| {
                    if p.ty.copy {
                        String::new()
                    } else {
                        format!("let {0} = {0}.to_owned();\n", p.ident)
                    }
                })
                .collect();
            let call_args: String = path_args
                .iter()
                .zip(&plan.path_params)
                .map(|(a, p)| {
                    if p.ty.copy {
                        format!("{a}, ")
                    } else {
                        format!("&{a}, ")
                    }
                })
                .collect();
            let _ = write!(
                out,
                "/// Every item of `{}`, fetching pages as the stream is read; `query.{limit}` is the page size.\n\
                 pub fn {method}_all(&self{args}) -> BoxStream<Result<{item}, ApiError>> {{\n\
                 let (client, options, query) = (self.client.clone(), self.options.clone(), query.clone());\n\
                 {owned_args}\
                 let first_limit = query.{limit}.and_then(|limit| u32::try_from(limit).ok());\n\
                 paginate(first_limit, move |page| {{\n\
                 let query = {query} {{ {cursor}: page.cursor, {limit}: page.limit.map({limit_ty}::from), ..query.clone() }};\n\
                 let (client, options) = (client.clone(), options.clone());\n\
                 {clone_args}\
                 async move {{ {handle}::new(&client, options).{method}({call_args}&query).await }}\n\
                 }})\n}}\n\n",
                plan.key,
                clone_args = plan
                    .path_params
                    .iter()
                    .filter(|p| !p.ty.copy)
                    .map(|p| format!("let {0} = {0}.clone();\n", p.ident))
                    .collect::<String>(),
            );
        }
        if let (
            Some(Pages::Offset {
                item,
                items: (items, items_required),
                has_more,
                offset,
                limit,
            }),
            Some(query),
        ) = (&plan.pages, &plan.query_struct)
        {
            let offset_ty = &plan
                .query_params
                .iter()
                .find(|p| p.ident == *offset)
                .expect("the plan checked the offset parameter")
                .ty
                .rust;
            let owned_args: String = plan
                .path_params
                .iter()
                .filter(|p| !p.ty.copy)
                .map(|p| format!("let {0} = {0}.to_owned();\n", p.ident))
                .collect();
            let clone_args: String = plan
                .path_params
                .iter()
                .filter(|p| !p.ty.copy)
                .map(|p| format!("let {0} = {0}.clone();\n", p.ident))
                .collect();
            let call_args: String = plan
                .path_params
                .iter()
                .map(|p| {
                    if p.ty.copy {
                        format!("{}, ", p.ident)
                    } else {
                        format!("&{}, ", p.ident)
                    }
                })
                .collect();
            let items_expr = if *items_required {
                format!("page.{items}")
            } else {
                format!("page.{items}.unwrap_or_default()")
            };
            // Without a has-more flag, a page shorter than the limit asked for is the last.
            let more_expr = match has_more {
                Some((field, true)) => format!("page.{field}"),
                Some((field, false)) => format!("page.{field}.unwrap_or(false)"),
                None => format!(
                    "query.{limit}.is_none_or(|limit| items.len() as i128 >= i128::from(limit))"
                ),
            };
            let _ = write!(
                out,
                "/// Every item of `{}`, fetching pages as the stream is read: `query.{limit}` per page, \
                 `query.{offset}` advanced by each page's length while the server says more follow.\n\
                 pub fn {method}_all(&self{args}) -> BoxStream<Result<{item}, ApiError>> {{\n\
                 let (client, options) = (self.client.clone(), self.options.clone());\n\
                 {owned_args}\
                 walk(query.clone(), move |query: {query}| {{\n\
                 let (client, options) = (client.clone(), options.clone());\n\
                 {clone_args}\
                 async move {{\n\
                 let page = {handle}::new(&client, options).{method}({call_args}&query).await?;\n\
                 let more = {more_expr_page};\n\
                 let items = {items_expr};\n\
                 let more = more && {more_items};\n\
                 let next = more.then(|| {query} {{ {offset}: Some(query.{offset}.unwrap_or(0) + items.len() as {offset_ty}), ..query.clone() }});\n\
                 Ok((items, next))\n\
                 }}\n\
                 }})\n}}\n\n",
                plan.key,
                more_expr_page = if has_more.is_some() { more_expr.clone() } else { "true".to_owned() },
                more_items = if has_more.is_some() { "!items.is_empty()".to_owned() } else { format!("!items.is_empty() && {more_expr}") },
            );
        }
        Ok(out)
    }

    fn root(&self, by_tag: &BTreeMap<String, Vec<&Plan>>) -> Result<String> {
        let rust = &self.conventions["rust"];
        let entry = rust["entry_point"]
            .as_str()
            .ok_or("conventions.rust.entry_point names the type handles hang off")?;
        let title = self.conventions["title"].as_str().unwrap_or("the API");
        let base_path = self.conventions["base_path"].as_str().unwrap_or("");
        let mut modules = String::new();
        let mut accessors = String::new();
        for (tag, plans) in by_tag {
            let module = snake(tag);
            let handle = format!("{}Api", pascal(tag));
            let _ = writeln!(modules, "mod {module};\npub use {module}::*;");
            let accessor = &plans[0].accessor;
            let _ = writeln!(
                accessors,
                "/// The operations tagged `{tag}`.\npub fn {accessor}(&self) -> {handle}<'c> {{\n{handle}::new(self.client, self.options.clone())\n}}\n"
            );
        }
        Ok(format!(
            "//! {title}'s operations and types, generated from the contract.\n\
             //!\n\
             //! Types decode forward-compatibly: unknown fields are ignored, `null` and absent both decode as\n\
             //! `None`, and a string enum value or union tag this contract does not list decodes to\n\
             //! `{catch_all}` and encodes back unchanged.\n\n\
             mod operations;\nmod schemas;\nmod types;\n\n\
             pub use operations::{{OperationInfo, ResponseInfo, OPERATIONS}};\n\
             pub use schemas::{{SchemaInfo, SCHEMAS}};\n\
             pub use types::*;\n\n{modules}\n\
             /// The prefix every operation's path starts with.\npub const BASE_PATH: &str = {};\n\n\
             impl<'c> {entry}<'c> {{\n{accessors}}}\n",
            rust_string(base_path),
            catch_all = self.catch_all,
        ))
    }
}

/// A string enum value's variant: its words in PascalCase, or for a value with no letters or digits
/// (KinBot's reaction emoji) its code points, `U1f44d`.
fn variant_name(value: &str) -> String {
    let name = pascal(value);
    if !name.is_empty() {
        return name;
    }
    let points: Vec<String> = value.chars().map(|c| format!("{:x}", c as u32)).collect();
    format!("U{}", points.join("U"))
}

fn query_struct(name: &str, plan: &Plan, tsify: bool) -> String {
    let mut fields = String::new();
    let all_optional = plan
        .query_params
        .iter()
        .all(|p| !p.required || p.ty.nullable);
    for p in &plan.query_params {
        let mut attrs = Vec::new();
        if unraw(&p.ident) != p.wire {
            attrs.push(format!("rename = {}", rust_string(&p.wire)));
        }
        let rust = if !p.required || p.ty.nullable {
            attrs.push("default, skip_serializing_if = \"Option::is_none\"".to_owned());
            format!("Option<{}>", p.ty.rust)
        } else {
            p.ty.rust.clone()
        };
        if !attrs.is_empty() {
            let _ = writeln!(fields, "#[serde({})]", attrs.join(", "));
        }
        let _ = writeln!(fields, "pub {}: {rust},", p.ident);
    }
    let default = if all_optional { ", Default" } else { "" };
    let tsify = if tsify { TSIFY } else { "" };
    format!(
        "/// The query parameters of `{}` (`{}`); `None` leaves a parameter out.\n\
         #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize{default})]\n{tsify}pub struct {name} {{\n{fields}}}\n\n",
        plan.key, plan.operation_id
    )
}

fn operations_table(plans: &[Plan]) -> String {
    let mut rows = String::new();
    for plan in plans {
        let list = |items: &[Param]| -> String {
            items
                .iter()
                .map(|p| format!("{}, ", rust_string(&p.wire)))
                .collect()
        };
        let (response, media_type, rust_type) = match &plan.response {
            Response::Empty => ("Empty", None, "()".to_owned()),
            Response::Json(ty) => ("Json", Some("application/json".to_owned()), ty.rust.clone()),
            Response::JsonWhen(ty, _) => (
                "JsonOrEmpty",
                Some("application/json".to_owned()),
                ty.rust.clone(),
            ),
            Response::Bytes(m) => ("Bytes", Some(m.clone()), "BytesResponse".to_owned()),
            Response::WebSocket => ("WebSocket", None, "String".to_owned()),
        };
        let body = match &plan.body {
            Some(Body::Json { media_type, .. }) | Some(Body::Raw { media_type }) => {
                format!("Some({})", rust_string(media_type))
            }
            Some(Body::Form) => format!("Some({})", rust_string(crate::plan::FORM_MEDIA_TYPE)),
            None => "None".into(),
        };
        let option = |v: Option<String>| {
            v.map(|s| format!("Some({})", rust_string(&s)))
                .unwrap_or("None".into())
        };
        let security: String = plan
            .security
            .iter()
            .map(|s| format!("{}, ", rust_string(s)))
            .collect();
        let _ = writeln!(
            rows,
            "OperationInfo {{ operation_id: {}, method: Method::{}, path: {}, tag: {}, handle: {}, rust_method: {}, \
             path_params: &[{}], query_params: &[{}], query_type: {}, request_body: {body}, \
             response: ResponseInfo::{response}, response_media_type: {}, response_type: {}, paginated: {}, security: &[{security}] }},",
            rust_string(&plan.operation_id),
            pascal(&plan.method.to_lowercase()),
            rust_string(&plan.path),
            rust_string(&plan.tag),
            rust_string(unraw(&plan.accessor)),
            rust_string(unraw(&plan.rust_method)),
            list(&plan.path_params),
            list(&plan.query_params),
            option(plan.query_struct.clone()),
            option(media_type),
            rust_string(&rust_type),
            plan.pages.is_some(),
        );
    }
    format!(
        "//! Every operation of the contract with the method generated for it, emitted from the same plans\n\
         //! as the methods, so a test can hold the code to the contract.\n\n\
         use crate::transport::Method;\n\n\
         pub use crate::contract::{{OperationInfo, ResponseInfo}};\n\n\
         /// Every operation, in the contract's order.\npub const OPERATIONS: &[OperationInfo] = &[\n{rows}];\n"
    )
}

fn schemas_table(rows: &[(String, String)], instances: &[String]) -> String {
    let mut out = String::new();
    for (name, rust) in rows {
        let _ = writeln!(
            out,
            "SchemaInfo {{ name: {}, rust_type: {}, round_trip: round_trip::<{rust}> }},",
            rust_string(name),
            rust_string(rust)
        );
    }
    for instance in instances {
        let short = instance.rsplit("::").next().unwrap_or(instance);
        let _ = writeln!(
            out,
            "SchemaInfo {{ name: {}, rust_type: {}, round_trip: round_trip::<{instance}> }},",
            rust_string(short),
            rust_string(short)
        );
    }
    format!(
        "//! Every schema of the contract with the Rust type generated for it, plus the generic instances\n\
         //! operations answer with, so tests and tools can decode a value by schema name.\n\n\
         #[allow(unused_imports)] // only the generic instances need the hand-written types\n\
         use crate::transport::Page;\n\n\
         use super::types::*;\n\n\
         pub use crate::contract::SchemaInfo;\n\
         use crate::contract::round_trip;\n\n\
         /// Every schema, by name.\npub const SCHEMAS: &[SchemaInfo] = &[\n{out}];\n"
    )
}

/// `int32` → `i32`, `int64` → `i64`, with `minimum >= 0` the unsigned type; no format is 64-bit.
fn integer(schema: &Value) -> &'static str {
    let unsigned = schema
        .get("minimum")
        .and_then(Value::as_f64)
        .is_some_and(|m| m >= 0.0);
    match (schema.get("format").and_then(Value::as_str), unsigned) {
        (Some("int8"), false) => "i8",
        (Some("int8" | "uint8"), true) | (Some("uint8"), false) => "u8",
        (Some("int16"), false) => "i16",
        (Some("int16" | "uint16"), true) | (Some("uint16"), false) => "u16",
        (Some("int32"), false) => "i32",
        (Some("int32" | "uint32"), true) | (Some("uint32"), false) => "u32",
        (Some("uint64"), _) | (_, true) => "u64",
        _ => "i64",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_follow_format_and_sign() {
        let int = |s: &str| integer(&serde_json::from_str(s).unwrap());
        assert_eq!(int(r#"{"type":"integer","format":"int32"}"#), "i32");
        assert_eq!(
            int(r#"{"type":"integer","format":"int32","minimum":0}"#),
            "u32"
        );
        assert_eq!(int(r#"{"type":"integer","format":"int64"}"#), "i64");
        assert_eq!(
            int(r#"{"type":"integer","format":"int64","minimum":0}"#),
            "u64"
        );
        assert_eq!(int(r#"{"type":"integer","minimum":0}"#), "u64");
        assert_eq!(int(r#"{"type":"integer"}"#), "i64");
    }
}
