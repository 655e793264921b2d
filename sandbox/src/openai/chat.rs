//! `POST /v1/chat/completions`: request validation (OpenAI-style 400s naming the
//! offending `param`) and the non-streamed response.

use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use super::model::{self, Message, ModelInfo, Prompt, Role, ToolChoice};
use super::stream::{self, StreamPlan};
use super::Error;
use crate::state::AppState;

/// Most message text one request may carry (1 MiB). The sandbox echoes the prompt back, so this
/// also bounds a reply; larger prompts get OpenAI's `context_length_exceeded` 400.
pub const PROMPT_CAP_BYTES: usize = 1024 * 1024;

/// A validated chat completion request. Unknown fields are ignored, as OpenAI does.
#[derive(Debug)]
pub struct ChatRequest {
    pub model: &'static ModelInfo,
    pub messages: Vec<Message>,
    pub tools: Vec<String>,
    pub tool_choice: ToolChoice,
    pub max_tokens: Option<u64>,
    pub stream: bool,
    pub include_usage: bool,
    /// `sandbox_token_delay_ms`: per-request override of `--token-delay-ms`.
    pub token_delay_ms: Option<u64>,
}

pub async fn create(State(state): State<AppState>, uri: Uri, body: Bytes) -> Response {
    let request = match parse(&body) {
        Ok(request) => request,
        Err(e) => return e.into_response(),
    };
    let prompt = Prompt {
        model: request.model,
        messages: &request.messages,
        tools: &request.tools,
        tool_choice: &request.tool_choice,
        max_tokens: request.max_tokens,
    };
    let reply = model::respond(&prompt, || state.sequences().tool_call());
    let id = state.sequences().completion();
    let created = unix_now();

    if request.stream {
        let (quirks, failure) = match state.faults() {
            Some(book) => (
                book.take_quirks(uri.path()),
                book.take_stream_failure(uri.path()),
            ),
            None => (Vec::new(), None),
        };
        let plan = StreamPlan {
            id,
            created,
            model: request.model.id,
            include_usage: request.include_usage,
            token_delay_ms: request.token_delay_ms.unwrap_or(state.token_delay_ms()),
            quirks,
            failure,
        };
        return stream::response(plan, reply, state.shutdown_signal());
    }

    let content = if reply.text.is_empty() && reply.tool_call.is_some() {
        Value::Null
    } else {
        Value::String(reply.content().to_owned())
    };
    let mut message = json!({"role": "assistant", "content": content, "refusal": null});
    if let Some(call) = &reply.tool_call {
        message["tool_calls"] = json!([{"id": call.id, "type": "function",
            "function": {"name": call.name, "arguments": call.arguments}}]);
    }
    Json(json!({
        "id": id,
        "object": "chat.completion",
        "created": created,
        "model": request.model.id,
        "choices": [{"index": 0, "message": message, "logprobs": null,
            "finish_reason": reply.finish_reason}],
        "usage": reply.usage.to_json(),
    }))
    .into_response()
}

pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// "a string", "an array", ... as OpenAI words type errors.
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn invalid_type(param: &str, expected: &str, got: &Value) -> Error {
    Error::invalid(
        param,
        "invalid_type",
        format!(
            "Invalid type for '{param}': expected {expected}, but got {} instead.",
            kind_of(got)
        ),
    )
}

fn missing(param: &str) -> Error {
    Error::invalid(
        param,
        "missing_required_parameter",
        format!("Missing required parameter: '{param}'."),
    )
}

/// A field that may be absent or null; both read as "not given".
fn present<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    object.get(key).filter(|v| !v.is_null())
}

pub fn parse(body: &[u8]) -> Result<ChatRequest, Error> {
    let value: Value = serde_json::from_slice(body).map_err(|_| {
        Error::invalid_body(
            "We could not parse the JSON body of your request. The API expects a JSON payload.",
        )
    })?;
    let Value::Object(object) = value else {
        return Err(Error::invalid_body(format!(
            "Invalid request body: expected a JSON object, but got {} instead.",
            kind_of(&value)
        )));
    };

    let model_id = match present(&object, "model") {
        None => {
            return Err(Error::invalid(
                "model",
                "missing_required_parameter",
                "you must provide a model parameter",
            ))
        }
        Some(Value::String(id)) => id.clone(),
        Some(other) => return Err(invalid_type("model", "a string", other)),
    };
    let messages = parse_messages(present(&object, "messages"))?;
    let prompt_bytes: usize = messages.iter().map(|m| m.text.len()).sum();
    if prompt_bytes > PROMPT_CAP_BYTES {
        return Err(Error::invalid(
            "messages",
            "context_length_exceeded",
            format!(
                "This model's maximum prompt is {PROMPT_CAP_BYTES} bytes of message text; \
                 your messages hold {prompt_bytes} bytes. Shorten the messages."
            ),
        ));
    }

    let stream = match present(&object, "stream") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => return Err(invalid_type("stream", "a boolean", other)),
    };
    let include_usage = match present(&object, "stream_options") {
        None => false,
        Some(Value::Object(options)) => {
            if !stream {
                return Err(Error::invalid(
                    "stream_options",
                    "invalid_value",
                    "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
                ));
            }
            match present(options, "include_usage") {
                None => false,
                Some(Value::Bool(b)) => *b,
                Some(other) => {
                    return Err(invalid_type(
                        "stream_options.include_usage",
                        "a boolean",
                        other,
                    ))
                }
            }
        }
        Some(other) => return Err(invalid_type("stream_options", "an object", other)),
    };

    let mut max_tokens = None;
    for key in ["max_tokens", "max_completion_tokens"] {
        if let Some(limit) = positive_integer(&object, key, 1)? {
            max_tokens = Some(max_tokens.map_or(limit, |m: u64| m.min(limit)));
        }
    }
    let token_delay_ms = positive_integer(&object, "sandbox_token_delay_ms", 0)?;

    let tools = parse_tools(present(&object, "tools"))?;
    let tool_choice = parse_tool_choice(present(&object, "tool_choice"), &tools)?;

    let model = model::find(&model_id).ok_or_else(|| {
        Error::not_found(
            format!("The model `{model_id}` does not exist or you do not have access to it."),
            "model_not_found",
        )
    })?;
    Ok(ChatRequest {
        model,
        messages,
        tools,
        tool_choice,
        max_tokens,
        stream,
        include_usage,
        token_delay_ms,
    })
}

fn positive_integer(
    object: &Map<String, Value>,
    key: &str,
    min: u64,
) -> Result<Option<u64>, Error> {
    match present(object, key) {
        None => Ok(None),
        Some(value) => match value.as_u64() {
            Some(n) if n >= min => Ok(Some(n)),
            Some(_) => Err(Error::invalid(
                key,
                "integer_below_min_value",
                format!("Invalid '{key}': integer below minimum value. Expected a value >= {min}."),
            )),
            None if value.as_i64().is_some() => Err(Error::invalid(
                key,
                "integer_below_min_value",
                format!("Invalid '{key}': integer below minimum value. Expected a value >= {min}."),
            )),
            None => Err(invalid_type(key, "an integer", value)),
        },
    }
}

fn parse_messages(value: Option<&Value>) -> Result<Vec<Message>, Error> {
    let items = match value {
        None => return Err(missing("messages")),
        Some(Value::Array(items)) => items,
        Some(other) => return Err(invalid_type("messages", "an array of objects", other)),
    };
    if items.is_empty() {
        return Err(Error::invalid("messages", "empty_array",
            "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead."));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| parse_message(i, item))
        .collect()
}

fn parse_message(i: usize, item: &Value) -> Result<Message, Error> {
    let at = format!("messages[{i}]");
    let Value::Object(object) = item else {
        return Err(invalid_type(&at, "an object", item));
    };
    let role = match present(object, "role") {
        None => return Err(missing(&format!("{at}.role"))),
        Some(Value::String(role)) => Role::parse(role).ok_or_else(|| {
            Error::invalid(format!("{at}.role"), "invalid_value", format!(
                "Invalid value: '{role}'. Supported values are: 'system', 'developer', 'user', 'assistant', and 'tool'."))
        })?,
        Some(other) => return Err(invalid_type(&format!("{at}.role"), "a string", other)),
    };
    let has_tool_calls =
        matches!(present(object, "tool_calls"), Some(Value::Array(calls)) if !calls.is_empty());
    let text = match present(object, "content") {
        None if role == Role::Assistant && has_tool_calls => String::new(),
        None => return Err(missing(&format!("{at}.content"))),
        Some(Value::String(text)) => text.clone(),
        Some(Value::Array(parts)) => parse_parts(&format!("{at}.content"), parts)?,
        Some(other) => {
            return Err(invalid_type(
                &format!("{at}.content"),
                "a string or an array of objects",
                other,
            ))
        }
    };
    if role == Role::Tool {
        match present(object, "tool_call_id") {
            Some(Value::String(_)) => {}
            None => return Err(missing(&format!("{at}.tool_call_id"))),
            Some(other) => {
                return Err(invalid_type(
                    &format!("{at}.tool_call_id"),
                    "a string",
                    other,
                ))
            }
        }
    }
    Ok(Message { role, text })
}

/// Content parts: `{type:"text",text}` and `{type:"image_url",image_url:{url}}`.
/// Text parts are joined with a space; images do not contribute text.
fn parse_parts(at: &str, parts: &[Value]) -> Result<String, Error> {
    let mut texts = Vec::new();
    for (j, part) in parts.iter().enumerate() {
        let at = format!("{at}[{j}]");
        let Value::Object(part) = part else {
            return Err(invalid_type(&at, "an object", part));
        };
        match present(part, "type") {
            None => return Err(missing(&format!("{at}.type"))),
            Some(Value::String(kind)) if kind == "text" => match present(part, "text") {
                Some(Value::String(text)) => texts.push(text.as_str()),
                None => return Err(missing(&format!("{at}.text"))),
                Some(other) => return Err(invalid_type(&format!("{at}.text"), "a string", other)),
            },
            Some(Value::String(kind)) if kind == "image_url" => match present(part, "image_url") {
                Some(Value::Object(image)) => match present(image, "url") {
                    Some(Value::String(_)) => {}
                    None => return Err(missing(&format!("{at}.image_url.url"))),
                    Some(other) => {
                        return Err(invalid_type(
                            &format!("{at}.image_url.url"),
                            "a string",
                            other,
                        ))
                    }
                },
                None => return Err(missing(&format!("{at}.image_url"))),
                Some(other) => {
                    return Err(invalid_type(&format!("{at}.image_url"), "an object", other))
                }
            },
            Some(Value::String(kind)) => {
                return Err(Error::invalid(
                    format!("{at}.type"),
                    "invalid_value",
                    format!(
                        "Invalid value: '{kind}'. Supported values are: 'text' and 'image_url'."
                    ),
                ))
            }
            Some(other) => return Err(invalid_type(&format!("{at}.type"), "a string", other)),
        }
    }
    Ok(texts.join(" "))
}

/// Function tools; returns their names in order.
fn parse_tools(value: Option<&Value>) -> Result<Vec<String>, Error> {
    let tools = match value {
        None => return Ok(Vec::new()),
        Some(Value::Array(tools)) => tools,
        Some(other) => return Err(invalid_type("tools", "an array of objects", other)),
    };
    let mut names = Vec::with_capacity(tools.len());
    for (i, tool) in tools.iter().enumerate() {
        let at = format!("tools[{i}]");
        let Value::Object(tool) = tool else {
            return Err(invalid_type(&at, "an object", tool));
        };
        match present(tool, "type") {
            Some(Value::String(kind)) if kind == "function" => {}
            None => return Err(missing(&format!("{at}.type"))),
            Some(Value::String(kind)) => {
                return Err(Error::invalid(
                    format!("{at}.type"),
                    "invalid_value",
                    format!("Invalid value: '{kind}'. Supported values are: 'function'."),
                ))
            }
            Some(other) => return Err(invalid_type(&format!("{at}.type"), "a string", other)),
        }
        let function = match present(tool, "function") {
            Some(Value::Object(function)) => function,
            None => return Err(missing(&format!("{at}.function"))),
            Some(other) => return Err(invalid_type(&format!("{at}.function"), "an object", other)),
        };
        let name_at = format!("{at}.function.name");
        match present(function, "name") {
            Some(Value::String(name)) if valid_function_name(name) => names.push(name.clone()),
            Some(Value::String(name)) => {
                return Err(Error::invalid(name_at, "invalid_value", format!(
                    "Invalid '{at}.function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]{{1,64}}$', got '{name}'.")))
            }
            None => return Err(missing(&name_at)),
            Some(other) => return Err(invalid_type(&name_at, "a string", other)),
        }
    }
    Ok(names)
}

fn valid_function_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn parse_tool_choice(value: Option<&Value>, tools: &[String]) -> Result<ToolChoice, Error> {
    let Some(value) = value else {
        return Ok(ToolChoice::Auto);
    };
    if tools.is_empty() {
        return Err(Error::invalid("tool_choice", "invalid_value",
            "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified."));
    }
    let choice = match value {
        Value::String(s) if s == "auto" => ToolChoice::Auto,
        Value::String(s) if s == "none" => ToolChoice::None,
        Value::String(s) if s == "required" => ToolChoice::Required,
        Value::Object(object) => match object.get("function").and_then(|f| f.get("name")) {
            Some(Value::String(name)) if tools.contains(name) => ToolChoice::Named(name.clone()),
            Some(Value::String(name)) => {
                return Err(Error::invalid("tool_choice", "invalid_value", format!(
                    "Invalid value for 'tool_choice': no function named '{name}' was specified in the 'tools' parameter.")))
            }
            _ => return Err(missing("tool_choice.function.name")),
        },
        other => {
            return Err(Error::invalid("tool_choice", "invalid_value", format!(
                "Invalid value for 'tool_choice': expected 'none', 'auto', 'required' or an object, got {}.",
                kind_of(other))))
        }
    };
    Ok(choice)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param_of(body: &str) -> Option<String> {
        parse(body.as_bytes()).err().and_then(|e| e.param)
    }

    #[test]
    fn names_the_offending_param() {
        assert_eq!(param_of(r#"{"messages":[]}"#).as_deref(), Some("model"));
        assert_eq!(
            param_of(r#"{"model":"sandbox-echo"}"#).as_deref(),
            Some("messages")
        );
        assert_eq!(
            param_of(r#"{"model":"sandbox-echo","messages":[]}"#).as_deref(),
            Some("messages")
        );
        assert_eq!(
            param_of(r#"{"model":"sandbox-echo","messages":[{"role":"robot","content":"x"}]}"#)
                .as_deref(),
            Some("messages[0].role")
        );
        assert_eq!(
            param_of(r#"{"model":"sandbox-echo","messages":[{"role":"user","content":[{"type":"text"}]}]}"#)
                .as_deref(),
            Some("messages[0].content[0].text")
        );
        assert_eq!(
            param_of(r#"{"model":"sandbox-echo","messages":[{"role":"user","content":"x"}],"max_tokens":0}"#)
                .as_deref(),
            Some("max_tokens")
        );
        assert_eq!(
            param_of(r#"{"model":"sandbox-echo","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{}}]}"#)
                .as_deref(),
            Some("tools[0].function.name")
        );
    }

    #[test]
    fn accepts_assistant_tool_calls_without_content_and_extra_fields() {
        let body = r#"{"model":"sandbox-tools","temperature":0.2,"x":1,"messages":[
            {"role":"user","content":[{"type":"text","text":"hi"},{"type":"image_url","image_url":{"url":"data:,"}}]},
            {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},
            {"role":"tool","tool_call_id":"call_1","content":"42"}]}"#;
        let request = parse(body.as_bytes()).unwrap();
        assert_eq!(request.messages.len(), 3);
        assert_eq!(request.messages[0].text, "hi");
    }

    #[test]
    fn unknown_model_is_404() {
        let err =
            parse(br#"{"model":"gpt-9","messages":[{"role":"user","content":"x"}]}"#).unwrap_err();
        assert_eq!(err.status, axum::http::StatusCode::NOT_FOUND);
        assert_eq!(err.code, Some("model_not_found"));
    }
}
