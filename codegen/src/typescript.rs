//! Resolved contract → TypeScript declarations for every schema, as the server sends it.
//!
//! The JS layer hands callers `JSON.parse` of the server's text, not values decoded by the Rust types,
//! so these declarations follow the contract itself: a required key is never optional (`id: number`),
//! a nullable one admits `null` (`overview: string | null`), a key the server may leave out is
//! optional (`tagline?: string`), and a string enum or a tagged union admits values this contract
//! does not list (`"queued" | "searching" | (string & {})`), like the Rust catch-all variants. Nothing
//! is `any`: a schema without a shape is `unknown`.
//!
//! Names are the Rust type names (`conventions.rust.type_names`), unless `conventions.js.type_names`
//! picks another (the declarations share one namespace with the hand-written bindings' types).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::naming::pascal;
use crate::schema::{nullable_branch, properties, ref_name, required, types};
use crate::Result;

/// Declarations and type expressions for one contract's schemas.
pub struct Types<'a> {
    schemas: &'a Map<String, Value>,
    conventions: &'a Value,
}

/// An object schema's properties in order and its required names.
type Object = (Vec<(String, Value)>, BTreeSet<String>);

/// How a top-level schema is declared.
enum Shape {
    /// An object with properties (an `allOf` is merged into one).
    Interface(Vec<(String, Value)>, BTreeSet<String>),
    /// A generic object (`x-type-params`), such as the page of a paginated list.
    Generic(Vec<String>),
    /// Strings from a list, open to others.
    StringEnum(Vec<String>),
    /// Objects told apart by the string at `tag`, open to others.
    Union { tag: String, variants: Vec<Variant> },
    /// Any other schema: a type alias.
    Alias,
}

struct Variant {
    value: String,
    properties: Vec<(String, Value)>,
    required: BTreeSet<String>,
}

impl<'a> Types<'a> {
    /// The schemas and conventions of a resolved contract.
    pub fn new(resolved: &'a Value) -> Result<Types<'a>> {
        let schemas = resolved["schemas"]
            .as_object()
            .ok_or("the contract has no schemas")?;
        Ok(Types {
            schemas,
            conventions: &resolved["conventions"],
        })
    }

    /// The TypeScript name of a schema.
    pub fn name(&self, schema: &str) -> String {
        let chosen = self.conventions["js"]["type_names"][schema]
            .as_str()
            .or_else(|| self.conventions["rust"]["type_names"][schema].as_str());
        match chosen {
            Some(name) => name.to_owned(),
            None => pascal(schema),
        }
    }

    /// The TypeScript type of a schema node; `hint` names it in errors.
    pub fn of(&self, node: &Value, hint: &str) -> Result<String> {
        if let Some(inner) = nullable_branch(node) {
            return Ok(format!("{} | null", self.of(inner, hint)?));
        }
        if let Some(param) = node.get("x-type-param").and_then(Value::as_str) {
            return Ok(param.to_owned());
        }
        if let Some(name) = ref_name(node) {
            let target = self
                .schemas
                .get(name)
                .ok_or(format!("{hint}: $ref to missing schema {name}"))?;
            let Some(args) = node.get("x-type-args") else {
                return Ok(self.name(name));
            };
            let mut rendered = Vec::new();
            for param in target["x-type-params"].as_array().into_iter().flatten() {
                let param = param.as_str().unwrap_or_default();
                let arg = args
                    .get(param)
                    .ok_or(format!("{hint}: no type argument {param} for {name}"))?;
                rendered.push(self.of(arg, hint)?);
            }
            return Ok(format!("{}<{}>", self.name(name), rendered.join(", ")));
        }
        // `anyOf` of simple branches (KinBot's Timestamp: a date-time string or epoch ms) is their union.
        if let Some(branches) = node.get("anyOf").and_then(Value::as_array) {
            let mut members: Vec<String> = Vec::new();
            for branch in branches {
                let member = self.of(branch, hint)?;
                if !members.contains(&member) {
                    members.push(member);
                }
            }
            return Ok(members.join(" | "));
        }
        let all = types(node);
        let nullable = all.contains(&"null");
        let main: Vec<&str> = all.into_iter().filter(|t| *t != "null").collect();
        let ts = match main.as_slice() {
            ["string"] => match node.get("enum").and_then(Value::as_array) {
                Some(values) if values.len() > 1 => open_union(values),
                _ => "string".to_owned(),
            },
            ["integer"] | ["number"] => "number".to_owned(),
            ["boolean"] => "boolean".to_owned(),
            ["array"] => {
                let items = node
                    .get("items")
                    .ok_or(format!("{hint}: an array without items"))?;
                format!("{}[]", grouped(&self.of(items, &format!("{hint}[]"))?))
            }
            ["object"] | [] => {
                if let Some(properties) = node.get("properties").and_then(Value::as_object) {
                    if !properties.is_empty() {
                        return Err(format!(
                            "{hint}: an inline object needs a name (move it to a schema in the overlay)"
                        ));
                    }
                }
                match node.get("additionalProperties") {
                    Some(values @ Value::Object(_)) => {
                        format!(
                            "Record<string, {}>",
                            self.of(values, &format!("{hint}{{}}"))?
                        )
                    }
                    _ if main.is_empty() => "unknown".to_owned(),
                    _ => "Record<string, unknown>".to_owned(),
                }
            }
            _ => "unknown".to_owned(),
        };
        Ok(if nullable { format!("{ts} | null") } else { ts })
    }

    fn shape(&self, name: &str, schema: &Value) -> Result<Shape> {
        if let Some(params) = schema.get("x-type-params").and_then(Value::as_array) {
            return Ok(Shape::Generic(
                params
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
            ));
        }
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            let (properties, required) = self.merge_all_of(name, parts)?;
            return Ok(Shape::Interface(properties, required));
        }
        if nullable_branch(schema).is_some() {
            return Ok(Shape::Alias);
        }
        if let Some(branches) = schema.get("oneOf").and_then(Value::as_array) {
            return self.union(name, schema, branches);
        }
        if schema.get("properties").is_some_and(|p| p.is_object()) {
            return Ok(Shape::Interface(properties(schema), required(schema)));
        }
        if types(schema) == ["string"] {
            if let Some(values) = schema.get("enum").and_then(Value::as_array) {
                return Ok(Shape::StringEnum(
                    values
                        .iter()
                        .map(|v| {
                            v.as_str()
                                .map(str::to_owned)
                                .ok_or(format!("{name}: enum values must be strings"))
                        })
                        .collect::<Result<_>>()?,
                ));
            }
        }
        Ok(Shape::Alias)
    }

    /// An `allOf` of objects as one: later parts' properties replace earlier ones of the same name.
    fn merge_all_of(&self, name: &str, parts: &[Value]) -> Result<Object> {
        let mut merged = std::collections::BTreeMap::new();
        let mut all_required = BTreeSet::new();
        for part in parts {
            let (props, req) = match ref_name(part) {
                Some(target) => {
                    let schema = self
                        .schemas
                        .get(target)
                        .ok_or(format!("{name}: allOf refers to missing {target}"))?;
                    match self.shape(target, schema)? {
                        Shape::Interface(props, req) => (props, req),
                        _ => return Err(format!("{name}: allOf part {target} is not an object")),
                    }
                }
                None if part.get("properties").is_some() => (properties(part), required(part)),
                None => {
                    return Err(format!(
                        "{name}: an allOf part is neither a $ref nor an object"
                    ))
                }
            };
            merged.extend(props);
            all_required.extend(req);
        }
        Ok((merged.into_iter().collect(), all_required))
    }

    /// The same reading of a `oneOf` as the Rust union: `discriminator.propertyName`, else the one
    /// property holding a different single string in each branch.
    fn union(&self, name: &str, schema: &Value, branches: &[Value]) -> Result<Shape> {
        if branches.iter().any(|b| b.get("properties").is_none()) {
            return Err(format!(
                "{name}: oneOf branches must be inline objects to form a tagged union"
            ));
        }
        let single = |branch: &Value, prop: &str| -> Option<String> {
            let values = branch
                .get("properties")?
                .get(prop)?
                .get("enum")?
                .as_array()?;
            (values.len() == 1 && required(branch).contains(prop))
                .then(|| values[0].as_str().map(str::to_owned))
                .flatten()
        };
        let candidates: Vec<String> = match schema
            .pointer("/discriminator/propertyName")
            .and_then(Value::as_str)
        {
            Some(tag) => vec![tag.to_owned()],
            None => properties(&branches[0])
                .into_iter()
                .map(|(p, _)| p)
                .collect(),
        };
        let tag = candidates
            .into_iter()
            .find(|prop| {
                let values: Vec<Option<String>> =
                    branches.iter().map(|b| single(b, prop)).collect();
                let distinct: BTreeSet<&String> = values.iter().flatten().collect();
                values.iter().all(Option::is_some) && distinct.len() == values.len()
            })
            .ok_or(format!(
                "{name}: no property tells the oneOf branches apart"
            ))?;
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
        Ok(Shape::Union { tag, variants })
    }

    /// Every schema's declaration, in name order.
    pub fn declarations(&self) -> Result<String> {
        let mut out = String::new();
        let mut names = BTreeSet::new();
        for (schema_name, schema) in self.schemas {
            let name = self.name(schema_name);
            if !names.insert(name.clone()) {
                return Err(format!("two schemas are both named {name} in TypeScript"));
            }
            match self.shape(schema_name, schema)? {
                Shape::Interface(properties, required) => {
                    let doc = format!("Schema `{schema_name}`.");
                    out.push_str(&self.interface(&name, &doc, &properties, &required)?);
                }
                Shape::Generic(params) => {
                    let doc = format!("Schema `{schema_name}`, generic in {}.", params.join(", "));
                    let generic = format!("{name}<{}>", params.join(", "));
                    out.push_str(&self.interface(
                        &generic,
                        &doc,
                        &properties(schema),
                        &required(schema),
                    )?);
                }
                Shape::StringEnum(values) => {
                    let values: Vec<Value> = values.into_iter().map(Value::String).collect();
                    let _ = writeln!(
                        out,
                        "/** Schema `{schema_name}`: one of the listed strings, or one this contract does not list. */\nexport type {name} = {};\n",
                        open_union(&values)
                    );
                }
                Shape::Union { tag, variants } => {
                    let mut members = Vec::new();
                    for variant in &variants {
                        let payload = format!("{name}{}", pascal(&variant.value));
                        if !names.insert(payload.clone()) {
                            return Err(format!(
                                "the payload type {payload} of {schema_name} clashes with a schema"
                            ));
                        }
                        let doc = format!(
                            "The fields of `{tag}: {}` in `{name}`.",
                            json_string(&variant.value)
                        );
                        out.push_str(&self.interface(
                            &payload,
                            &doc,
                            &variant.properties,
                            &variant.required,
                        )?);
                        members.push(format!(
                            "({{ {}: {} }} & {payload})",
                            property_key(&tag),
                            json_string(&variant.value)
                        ));
                    }
                    members.push(format!(
                        "{{ {}: string; [key: string]: unknown }}",
                        property_key(&tag)
                    ));
                    let _ = writeln!(
                        out,
                        "/** Schema `{schema_name}`: objects told apart by `{tag}`; the last member is one this contract does not list. */\nexport type {name} =\n  | {};\n",
                        members.join("\n  | ")
                    );
                }
                Shape::Alias => {
                    let _ = writeln!(
                        out,
                        "/** Schema `{schema_name}`. */\nexport type {name} = {};\n",
                        self.of(schema, schema_name)?
                    );
                }
            }
        }
        Ok(out)
    }

    /// `export interface name { ... }` with a property per entry.
    pub fn interface(
        &self,
        name: &str,
        doc: &str,
        properties: &[(String, Value)],
        required: &BTreeSet<String>,
    ) -> Result<String> {
        let mut out = format!("/** {doc} */\nexport interface {name} {{\n");
        for (key, schema) in properties {
            let ts = self.of(schema, &format!("{name}.{key}"))?;
            if let Some(doc) = self.embedded_json(schema)? {
                let _ = writeln!(out, "  /** {doc} */");
            }
            let optional = if required.contains(key) { "" } else { "?" };
            let _ = writeln!(out, "  {}{optional}: {ts};", property_key(key));
        }
        out.push_str("}\n\n");
        Ok(out)
    }

    /// For a string holding JSON (`contentMediaType` plus `contentSchema`), what it holds: the server
    /// sends it as text, and a malformed one must not fail the whole response, so it stays a string.
    fn embedded_json(&self, schema: &Value) -> Result<Option<String>> {
        let Some(media_type) = schema.get("contentMediaType").and_then(Value::as_str) else {
            return Ok(None);
        };
        let json = self.conventions["json_media_types"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|m| m.as_str() == Some(media_type));
        if !json {
            return Ok(None);
        }
        Ok(Some(match schema.get("contentSchema") {
            Some(content) => format!(
                "JSON text; `JSON.parse` gives `{}`.",
                self.of(content, "contentSchema")?
            ),
            None => "JSON text.".to_owned(),
        }))
    }
}

/// `"a" | "b" | (string & {})`: the listed strings, still open to others (`string & {}` keeps the
/// literals in editor completion where a plain `| string` would swallow them).
fn open_union(values: &[Value]) -> String {
    values
        .iter()
        .map(|v| v.to_string())
        .chain(["(string & {})".to_owned()])
        .collect::<Vec<_>>()
        .join(" | ")
}

/// A type in parentheses when it is a union or intersection, so `[]` applies to all of it.
fn grouped(ts: &str) -> String {
    if ts.contains(" | ") || ts.contains(" & ") {
        format!("({ts})")
    } else {
        ts.to_owned()
    }
}

/// A JS/TS string literal.
pub fn json_string(text: &str) -> String {
    Value::String(text.to_owned()).to_string()
}

/// Whether `name` can be written bare as a property name or an identifier's spelling.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// A property name as written in a declaration: bare when it can be, quoted otherwise.
pub fn property_key(name: &str) -> String {
    if is_identifier(name) {
        name.to_owned()
    } else {
        json_string(name)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Whether a declaration text uses the `any` type anywhere (as a word after `:`, `<`, `|` or `,`).
    pub(crate) fn uses_any(text: &str) -> bool {
        [": any", "<any", "| any", ", any", "any[]"]
            .iter()
            .any(|pattern| text.contains(pattern))
    }

    fn contract(schemas: Value) -> Value {
        serde_json::json!({ "schemas": schemas, "conventions": { "json_media_types": ["application/json"] } })
    }

    #[test]
    fn required_nullable_and_optional_keys() {
        let resolved = contract(serde_json::json!({
            "Movie": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "overview": {"type": ["string", "null"]},
                    "tagline": {"type": "string"},
                    "state": {"$ref": "#/components/schemas/State"},
                    "data": {"type": ["string", "null"], "contentMediaType": "application/json", "contentSchema": {"$ref": "#/components/schemas/State"}},
                    "my-key": {"type": "array", "items": {"oneOf": [{"type": "null"}, {"type": "number"}]}}
                },
                "required": ["id", "overview", "state", "data"]
            },
            "State": {"type": "string", "enum": ["queued", "searching"]}
        }));
        let types = Types::new(&resolved).unwrap();
        let out = types.declarations().unwrap();
        assert!(out.contains("  id: number;\n"), "{out}");
        assert!(out.contains("  overview: string | null;\n"), "{out}");
        assert!(out.contains("  tagline?: string;\n"), "{out}");
        assert!(out.contains("  state: State;\n"), "{out}");
        assert!(
            out.contains(
                "  /** JSON text; `JSON.parse` gives `State`. */\n  data: string | null;\n"
            ),
            "{out}"
        );
        assert!(out.contains("  \"my-key\"?: (number | null)[];\n"), "{out}");
        assert!(
            out.contains("export type State = \"queued\" | \"searching\" | (string & {});"),
            "{out}"
        );
        assert!(!uses_any(&out), "{out}");
    }

    #[test]
    fn generics_unions_and_shapeless_values() {
        let resolved = contract(serde_json::json!({
            "Page": {
                "type": "object", "x-type-params": ["T"],
                "properties": {"results": {"type": "array", "items": {"x-type-param": "T"}}, "next_cursor": {"type": "string"}},
                "required": ["results"]
            },
            "Frame": {"discriminator": {"propertyName": "type"}, "oneOf": [
                {"type": "object", "properties": {"type": {"type": "string", "enum": ["ping"]}, "at": {"type": "integer"}}, "required": ["type", "at"]},
                {"type": "object", "properties": {"type": {"type": "string", "enum": ["pong"]}}, "required": ["type"]}
            ]},
            "Blob": {},
            "Labels": {"type": "object", "additionalProperties": {"type": "string"}}
        }));
        let types = Types::new(&resolved).unwrap();
        let out = types.declarations().unwrap();
        assert!(
            out.contains("export interface Page<T> {\n  next_cursor?: string;\n  results: T[];\n}"),
            "{out}"
        );
        assert!(
            out.contains("export interface FramePing {\n  at: number;\n}"),
            "{out}"
        );
        assert!(out.contains("  | ({ type: \"ping\" } & FramePing)\n  | ({ type: \"pong\" } & FramePong)\n  | { type: string; [key: string]: unknown };"), "{out}");
        assert!(out.contains("export type Blob = unknown;"), "{out}");
        assert!(
            out.contains("export type Labels = Record<string, string>;"),
            "{out}"
        );
        let page = serde_json::json!({"$ref": "#/components/schemas/Page", "x-type-args": {"T": {"$ref": "#/components/schemas/Frame"}}});
        assert_eq!(types.of(&page, "response").unwrap(), "Page<Frame>");
    }

    #[test]
    fn chosen_names_win() {
        let mut resolved =
            contract(serde_json::json!({"Page": {"type": "object", "properties": {}}}));
        resolved["conventions"]["rust"] = serde_json::json!({"type_names": {"Page": "RustPage"}});
        assert_eq!(Types::new(&resolved).unwrap().name("Page"), "RustPage");
        resolved["conventions"]["js"] = serde_json::json!({"type_names": {"Page": "CursorPage"}});
        assert_eq!(Types::new(&resolved).unwrap().name("Page"), "CursorPage");
    }
}
