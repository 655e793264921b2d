//! OpenAI-compatible wire types, following OpenAI's public format and accepting what compatible servers
//! send instead: optional `role`, `finish_reason` that is `""`, absent or new, `null` lists, extra fields.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::wire::null_as_default;

wire_types! {
    /// Who wrote a message.
    #[serde(rename_all = "snake_case")]
    #[derive(Default, Copy, Eq)]
    pub enum Role {
        /// Instructions for the model.
        System,
        /// Newer name for system instructions.
        Developer,
        /// The person.
        User,
        /// The model.
        #[default]
        Assistant,
        /// A tool's result.
        Tool,
        /// A role this version does not know.
        #[serde(other)]
        Unknown,
    }

    /// A message of the conversation sent to the model.
    pub struct ChatMessage {
        /// Who wrote it.
        pub role: Role,
        /// Text or parts; `null` for an assistant message that only calls tools.
        #[serde(default)]
        pub content: Option<MessageContent>,
        /// An optional participant name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
        /// Tool calls the assistant made (in history sent back to the model).
        #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "null_as_default")]
        pub tool_calls: Vec<ToolCall>,
        /// For `role: tool`: the call this message answers.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tool_call_id: Option<String>,
    }

    /// A message's content: plain text or a list of parts.
    #[serde(untagged)]
    pub enum MessageContent {
        /// Plain text.
        Text(String),
        /// Text and image parts.
        Parts(Vec<ContentPart>),
    }

    /// One part of a multi-part message.
    #[serde(tag = "type", rename_all = "snake_case")]
    pub enum ContentPart {
        /// Text.
        Text {
            /// The text.
            text: String,
        },
        /// An image by URL (`https:` or a `data:` URL).
        ImageUrl {
            /// The image.
            image_url: ImageUrl,
        },
        /// A part type this version does not know.
        #[serde(other)]
        Unknown,
    }

    /// An image reference.
    pub struct ImageUrl {
        /// `https://...` or `data:image/png;base64,...`.
        pub url: String,
        /// `low`, `high` or `auto`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub detail: Option<String>,
    }

    /// A tool the model may call.
    pub struct Tool {
        /// Always `function` today.
        #[serde(rename = "type")]
        pub kind: String,
        /// The function's declaration.
        pub function: FunctionDefinition,
    }

    /// A function's name, description and JSON-Schema parameters.
    pub struct FunctionDefinition {
        /// The function name.
        pub name: String,
        /// What it does, for the model.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub description: Option<String>,
        /// JSON Schema of the arguments.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(type = "Record<string, unknown>"))]
        pub parameters: Option<Value>,
    }

    /// A complete tool call.
    #[derive(Default)]
    pub struct ToolCall {
        /// The call id, echoed in the tool's answer.
        #[serde(default, deserialize_with = "null_as_default")]
        pub id: String,
        /// Always `function` today.
        #[serde(rename = "type", default = "function_kind", deserialize_with = "null_as_function")]
        pub kind: String,
        /// Name and JSON-encoded arguments.
        #[serde(default)]
        pub function: FunctionCall,
    }

    /// The function a tool call invokes.
    #[derive(Default)]
    pub struct FunctionCall {
        /// The function name.
        #[serde(default, deserialize_with = "null_as_default")]
        pub name: String,
        /// The arguments as a JSON string (as the model wrote them; may not be valid JSON).
        #[serde(default, deserialize_with = "null_as_default")]
        pub arguments: String,
    }

    /// `stream_options`.
    #[derive(Default)]
    pub struct StreamOptions {
        /// Ask for a final chunk with `usage`.
        pub include_usage: bool,
    }

    /// `POST /v1/chat/completions`. Fields not listed here go in `extra` and are sent as they are.
    #[derive(Default)]
    pub struct ChatCompletionRequest {
        /// The model id.
        pub model: String,
        /// The conversation.
        pub messages: Vec<ChatMessage>,
        /// Sampling temperature.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub temperature: Option<f64>,
        /// Nucleus sampling.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub top_p: Option<f64>,
        /// Older name of the output token limit, still the one most compatible servers read.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub max_tokens: Option<u32>,
        /// Output token limit.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub max_completion_tokens: Option<u32>,
        /// Stop sequences: a string or a list.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(type = "string | string[]"))]
        pub stop: Option<Value>,
        /// Tools the model may call.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub tools: Vec<Tool>,
        /// `"auto"`, `"none"`, `"required"` or `{"type":"function","function":{"name":...}}`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(type = "\"auto\" | \"none\" | \"required\" | { type: \"function\"; function: { name: string } }"))]
        pub tool_choice: Option<Value>,
        /// `{"type":"json_object"}` or `{"type":"json_schema","json_schema":{...}}`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(type = "{ type: \"text\" | \"json_object\" | \"json_schema\"; json_schema?: Record<string, unknown> }"))]
        pub response_format: Option<Value>,
        /// Set by the SDK: `create` sends `false`, `stream` sends `true`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub stream: Option<bool>,
        /// Streaming options.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub stream_options: Option<StreamOptions>,
        /// A stable id of the end user, for abuse monitoring.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub user: Option<String>,
        /// Any other field, passed through unchanged (`seed`, `logprobs`, vendor options...).
        #[serde(flatten)]
        #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(type = "Record<string, unknown>"))]
        pub extra: Map<String, Value>,
    }

    /// Token counts.
    #[serde(default)]
    #[derive(Default, Copy, Eq)]
    pub struct Usage {
        /// Tokens in the prompt.
        #[serde(deserialize_with = "null_as_default")]
        pub prompt_tokens: u64,
        /// Tokens generated.
        #[serde(deserialize_with = "null_as_default")]
        pub completion_tokens: u64,
        /// Both.
        #[serde(deserialize_with = "null_as_default")]
        pub total_tokens: u64,
    }

    /// The assistant's reply in a non-streamed completion, or assembled from a stream.
    #[serde(default)]
    #[derive(Default)]
    pub struct AssistantMessage {
        /// Normally `assistant`.
        pub role: Role,
        /// The text, if any.
        pub content: Option<String>,
        /// Tool calls, if any.
        #[serde(deserialize_with = "null_as_default", skip_serializing_if = "Vec::is_empty")]
        pub tool_calls: Vec<ToolCall>,
        /// A refusal message, when the model declined.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub refusal: Option<String>,
    }

    /// One choice of a non-streamed completion.
    #[serde(default)]
    #[derive(Default)]
    pub struct Choice {
        /// Position in `choices`.
        pub index: u32,
        /// The reply.
        pub message: AssistantMessage,
        /// Why generation stopped.
        #[serde(deserialize_with = "finish_reason")]
        pub finish_reason: Option<FinishReason>,
    }

    /// A non-streamed completion.
    #[serde(default)]
    #[derive(Default)]
    pub struct ChatCompletion {
        /// Completion id.
        #[serde(deserialize_with = "null_as_default")]
        pub id: String,
        /// The model that answered.
        #[serde(deserialize_with = "null_as_default")]
        pub model: String,
        /// Unix seconds.
        #[serde(deserialize_with = "null_as_default")]
        pub created: i64,
        /// The choices (usually one).
        #[serde(deserialize_with = "null_as_default")]
        pub choices: Vec<Choice>,
        /// Token counts, when reported.
        pub usage: Option<Usage>,
    }

    /// A piece of a tool call in a stream, keyed by `index`.
    #[serde(default)]
    #[derive(Default)]
    pub struct ToolCallDelta {
        /// Which tool call this fragment belongs to.
        pub index: u32,
        /// Sent with the first fragment.
        pub id: Option<String>,
        /// Sent with the first fragment.
        #[serde(rename = "type")]
        pub kind: Option<String>,
        /// Name (first fragment) and a piece of the arguments.
        pub function: Option<FunctionCallDelta>,
    }

    /// Part of a function call in a stream.
    #[serde(default)]
    #[derive(Default)]
    pub struct FunctionCallDelta {
        /// Sent with the first fragment.
        pub name: Option<String>,
        /// The next piece of the JSON arguments.
        pub arguments: Option<String>,
    }

    /// What one chunk adds to a choice.
    #[serde(default)]
    #[derive(Default)]
    pub struct Delta {
        /// Sent by OpenAI in the first chunk only; some servers never send it.
        pub role: Option<Role>,
        /// The next piece of text.
        pub content: Option<String>,
        /// Tool call fragments.
        #[serde(deserialize_with = "null_as_default", skip_serializing_if = "Vec::is_empty")]
        pub tool_calls: Vec<ToolCallDelta>,
        /// The next piece of a refusal.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub refusal: Option<String>,
    }

    /// One choice of a chunk.
    #[serde(default)]
    #[derive(Default)]
    pub struct ChunkChoice {
        /// Position in `choices`.
        pub index: u32,
        /// What this chunk adds.
        #[serde(deserialize_with = "null_as_default")]
        pub delta: Delta,
        /// Set on the last chunk of the choice.
        #[serde(deserialize_with = "finish_reason")]
        pub finish_reason: Option<FinishReason>,
    }

    /// One `data:` event of a streamed completion.
    #[serde(default)]
    #[derive(Default)]
    pub struct ChatCompletionChunk {
        /// Completion id (the same for every chunk).
        #[serde(deserialize_with = "null_as_default")]
        pub id: String,
        /// The model that answers.
        #[serde(deserialize_with = "null_as_default")]
        pub model: String,
        /// Unix seconds.
        #[serde(deserialize_with = "null_as_default")]
        pub created: i64,
        /// Usually one; empty in the usage chunk.
        #[serde(deserialize_with = "null_as_default")]
        pub choices: Vec<ChunkChoice>,
        /// Present in the usage chunk.
        pub usage: Option<Usage>,
    }

    /// A model the server offers.
    #[serde(default)]
    #[derive(Default)]
    pub struct Model {
        /// The id to put in requests.
        #[serde(deserialize_with = "null_as_default")]
        pub id: String,
        /// Unix seconds.
        pub created: Option<i64>,
        /// Who provides it.
        pub owned_by: Option<String>,
    }

    /// `POST /v1/agents/{agentId}/run`: what the run returned. The shape varies between servers, so every
    /// field but the known ones is kept in `extra`.
    #[serde(default)]
    #[derive(Default)]
    pub struct AgentRun {
        /// Run id.
        pub id: Option<String>,
        /// `completed`, `running`, ...
        pub status: Option<String>,
        /// The agent's answer, when it finished.
        #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(type = "unknown"))]
        pub output: Option<Value>,
        /// Everything else the server sent.
        #[serde(flatten)]
        #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(type = "Record<string, unknown>"))]
        pub extra: Map<String, Value>,
    }
}

fn function_kind() -> String {
    "function".to_owned()
}

fn null_as_function<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?.unwrap_or_else(function_kind))
}

/// Why a choice stopped. Unknown reasons keep their text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FinishReason {
    /// Natural end or a stop sequence.
    Stop,
    /// The token limit.
    Length,
    /// The model called tools.
    ToolCalls,
    /// Filtered.
    ContentFilter,
    /// The legacy single function call.
    FunctionCall,
    /// A reason this version does not know (`end_turn`, ...).
    Unknown(String),
}

impl FinishReason {
    /// The wire text.
    pub fn as_str(&self) -> &str {
        match self {
            FinishReason::Stop => "stop",
            FinishReason::Length => "length",
            FinishReason::ToolCalls => "tool_calls",
            FinishReason::ContentFilter => "content_filter",
            FinishReason::FunctionCall => "function_call",
            FinishReason::Unknown(other) => other,
        }
    }

    fn from_wire(text: &str) -> Option<FinishReason> {
        Some(match text {
            "" => return None,
            "stop" => FinishReason::Stop,
            "length" => FinishReason::Length,
            "tool_calls" => FinishReason::ToolCalls,
            "content_filter" => FinishReason::ContentFilter,
            "function_call" => FinishReason::FunctionCall,
            other => FinishReason::Unknown(other.to_owned()),
        })
    }
}

impl Serialize for FinishReason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for FinishReason {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(FinishReason::from_wire(&text).unwrap_or(FinishReason::Unknown(String::new())))
    }
}

/// `null`, absent and `""` all mean "not finished"; anything else is a reason, known or not.
fn finish_reason<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<FinishReason>, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?
        .as_deref()
        .and_then(FinishReason::from_wire))
}

#[cfg(all(target_arch = "wasm32", feature = "js"))]
#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const FINISH_REASON_TS: &str = r#"
/** Why a choice stopped; servers may send reasons not listed here. */
export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "function_call" | (string & {});
"#;

impl ChatMessage {
    /// A message with plain text content.
    pub fn text(role: Role, text: impl Into<String>) -> ChatMessage {
        ChatMessage {
            role,
            content: Some(MessageContent::Text(text.into())),
            name: None,
            tool_calls: Vec::new(),
            tool_call_id: None,
        }
    }

    /// A system message.
    pub fn system(text: impl Into<String>) -> ChatMessage {
        ChatMessage::text(Role::System, text)
    }

    /// A user message.
    pub fn user(text: impl Into<String>) -> ChatMessage {
        ChatMessage::text(Role::User, text)
    }

    /// An assistant message.
    pub fn assistant(text: impl Into<String>) -> ChatMessage {
        ChatMessage::text(Role::Assistant, text)
    }
}

impl ChatCompletionRequest {
    /// A request for `model` with `messages` and nothing else set.
    pub fn new(model: impl Into<String>, messages: Vec<ChatMessage>) -> ChatCompletionRequest {
        ChatCompletionRequest {
            model: model.into(),
            messages,
            ..ChatCompletionRequest::default()
        }
    }
}
