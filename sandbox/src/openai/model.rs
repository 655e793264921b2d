//! The deterministic "model": no weights, the reply is a pure function of the request,
//! so SDK tests can assert on exact text, token counts and tool calls.

/// A model the sandbox serves.
#[derive(Debug)]
pub struct ModelInfo {
    pub id: &'static str,
    /// Fixed so `/v1/models` is byte-stable across runs.
    pub created: u64,
    /// Appends [`LONG_TAIL`] to every text reply, for tests that need many tokens.
    pub long: bool,
    /// Says what it is doing before a tool call, so text precedes the tool call.
    pub narrates_tools: bool,
}

pub const MODELS: &[ModelInfo] = &[
    ModelInfo {
        id: "sandbox-echo",
        created: 1_735_689_600,
        long: false,
        narrates_tools: false,
    },
    ModelInfo {
        id: "sandbox-tools",
        created: 1_735_689_600,
        long: false,
        narrates_tools: true,
    },
    ModelInfo {
        id: "sandbox-long",
        created: 1_735_689_600,
        long: true,
        narrates_tools: false,
    },
];

pub fn find(id: &str) -> Option<&'static ModelInfo> {
    MODELS.iter().find(|m| m.id == id)
}

const LONG_TAIL: &str = " The sandbox produces this reply without any model weights. \
Every word arrives as its own streamed token, separated by a short delay. \
The text is fixed so tests can compare it exactly. \
Long replies exercise buffering, cancellation and idle timeouts in clients. \
This is the last sentence of the long reply.";

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    System,
    Developer,
    User,
    Assistant,
    Tool,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "system" => Role::System,
            "developer" => Role::Developer,
            "user" => Role::User,
            "assistant" => Role::Assistant,
            "tool" => Role::Tool,
            _ => return None,
        })
    }
}

/// A validated message, reduced to what the model reads.
#[derive(Debug, Clone)]
pub struct Message {
    pub role: Role,
    /// The string content, or the text parts joined by a space.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToolChoice {
    Auto,
    None,
    Required,
    Named(String),
}

/// What the model needs from a validated request.
#[derive(Debug)]
pub struct Prompt<'a> {
    pub model: &'static ModelInfo,
    pub messages: &'a [Message],
    pub tools: &'a [String],
    pub tool_choice: &'a ToolChoice,
    pub max_tokens: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct ToolCall {
    pub id: String,
    pub name: String,
    /// A JSON object as a string, as OpenAI sends it.
    pub arguments: String,
}

/// A reply. Its text is kept whole and split into tokens only as a stream sends them, so a long
/// reply costs its length once, not a chunk object per word up front.
#[derive(Debug)]
pub struct Reply {
    /// The whole text; [`Reply::tokens`] splits it.
    pub text: String,
    pub tool_call: Option<ToolCall>,
    pub finish_reason: &'static str,
    pub usage: Usage,
}

#[derive(Debug, Clone, Copy)]
pub struct Usage {
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
}

impl Usage {
    pub fn to_json(self) -> serde_json::Value {
        serde_json::json!({
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
        })
    }
}

impl Reply {
    pub fn content(&self) -> &str {
        &self.text
    }

    pub fn tokens(&self) -> Tokens<'_> {
        tokens(&self.text)
    }
}

/// Splits text into tokens: each word with the whitespace that follows it (leading
/// whitespace stays with the first word), so concatenating them is lossless.
pub fn tokens(text: &str) -> Tokens<'_> {
    Tokens { rest: text }
}

/// The tokens of a text, as slices of it.
#[derive(Debug, Clone)]
pub struct Tokens<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.rest.is_empty() {
            return None;
        }
        let after = |from: usize, space: bool| {
            self.rest[from..]
                .char_indices()
                .find(|(_, c)| c.is_whitespace() != space)
                .map_or(self.rest.len(), |(i, _)| from + i)
        };
        let word_start = after(0, true);
        let word_end = after(word_start, false);
        let end = after(word_end, true);
        let (token, rest) = self.rest.split_at(end);
        self.rest = rest;
        Some(token)
    }
}

/// Characters per streamed tool-call argument fragment.
const PIECE_CHARS: usize = 8;

/// Splits tool-call arguments into the fragments a stream sends (a few characters each).
pub fn argument_pieces(arguments: &str) -> impl Iterator<Item = &str> + '_ {
    let mut rest = arguments;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest
            .char_indices()
            .nth(PIECE_CHARS)
            .map_or(rest.len(), |(i, _)| i);
        let (piece, tail) = rest.split_at(end);
        rest = tail;
        Some(piece)
    })
}

/// How many fragments [`argument_pieces`] makes.
pub fn argument_piece_count(arguments: &str) -> usize {
    arguments.chars().count().div_ceil(PIECE_CHARS)
}

pub fn word_count(text: &str) -> u64 {
    text.split_whitespace().count() as u64
}

/// Produces the reply. `next_call_id` is only called when the reply is a tool call.
pub fn respond(prompt: &Prompt<'_>, next_call_id: impl FnOnce() -> String) -> Reply {
    let prompt_tokens = prompt.messages.iter().map(|m| word_count(&m.text)).sum();
    let last = prompt.messages.last();
    let user_text = prompt
        .messages
        .iter()
        .rev()
        .find(|m| m.role == Role::User)
        .map(|m| m.text.trim().to_owned())
        .unwrap_or_default();

    // Only a user turn can trigger a tool call; after a tool result the model answers in
    // text, so an agent loop driving the sandbox always terminates.
    let tool = match last.map(|m| m.role) {
        Some(Role::User) => choose_tool(prompt, &user_text),
        _ => None,
    };

    let mut text = match (last, &tool) {
        (Some(m), _) if m.role == Role::Tool => format!("Tool result: {}", m.text.trim()),
        (_, Some(name)) if prompt.model.narrates_tools => format!("Calling {name}."),
        (_, Some(_)) => String::new(),
        _ => format!("Echo: {user_text}"),
    };
    if prompt.model.long && tool.is_none() {
        text.push_str(LONG_TAIL);
    }

    let mut token_count = tokens(&text).count();
    let mut tool_call = tool.map(|name| ToolCall {
        id: next_call_id(),
        arguments: serde_json::json!({"query": user_text}).to_string(),
        name,
    });
    let tool_cost = tool_call
        .as_ref()
        .map_or(0, |c| argument_piece_count(&c.arguments));
    let full_cost = (token_count + tool_cost) as u64;

    let finish_reason = match prompt.max_tokens {
        Some(max) if max < full_cost => {
            let kept = usize::try_from(max).unwrap_or(usize::MAX);
            let end: usize = tokens(&text).take(kept).map(str::len).sum();
            text.truncate(end);
            token_count = token_count.min(kept);
            tool_call = None;
            "length"
        }
        _ if tool_call.is_some() => "tool_calls",
        _ => "stop",
    };
    let completion_tokens = (token_count
        + tool_call
            .as_ref()
            .map_or(0, |c| argument_piece_count(&c.arguments))) as u64;
    Reply {
        text,
        tool_call,
        finish_reason,
        usage: Usage {
            prompt_tokens,
            completion_tokens,
        },
    }
}

/// The tool to call, if the user's turn asks for one: with `tool_choice` "auto", when the
/// text says "call" or "tool" or names a tool (first named tool wins, else the first tool).
fn choose_tool(prompt: &Prompt<'_>, user_text: &str) -> Option<String> {
    let first = prompt.tools.first()?;
    let lower = user_text.to_lowercase();
    let named = prompt
        .tools
        .iter()
        .find(|name| lower.contains(&name.to_lowercase()));
    match prompt.tool_choice {
        ToolChoice::None => None,
        ToolChoice::Named(name) => Some(name.clone()),
        ToolChoice::Required => Some(named.unwrap_or(first).clone()),
        ToolChoice::Auto => {
            if named.is_some() || lower.contains("call") || lower.contains("tool") {
                Some(named.unwrap_or(first).clone())
            } else {
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(text: &str) -> Message {
        Message {
            role: Role::User,
            text: text.into(),
        }
    }

    #[test]
    fn tokens_are_lossless_words_with_trailing_space() {
        let split = |text| tokens(text).collect::<Vec<_>>();
        assert_eq!(split("Echo: hi  there\n"), ["Echo: ", "hi  ", "there\n"]);
        assert_eq!(split(" a b"), [" a ", "b"]);
        assert_eq!(split("   "), ["   "]);
        assert_eq!(split("é ü"), ["é ", "ü"]);
        assert!(split("").is_empty());
        let pieces: Vec<_> = argument_pieces("0123456789é").collect();
        assert_eq!(pieces, ["01234567", "89é"]);
        assert_eq!(argument_piece_count("0123456789é"), 2);
    }

    #[test]
    fn echo_and_length() {
        let messages = [user("hello big world")];
        let prompt = Prompt {
            model: find("sandbox-echo").unwrap(),
            messages: &messages,
            tools: &[],
            tool_choice: &ToolChoice::Auto,
            max_tokens: None,
        };
        let reply = respond(&prompt, || unreachable!());
        assert_eq!(reply.content(), "Echo: hello big world");
        assert_eq!(reply.finish_reason, "stop");
        assert_eq!(
            (reply.usage.prompt_tokens, reply.usage.completion_tokens),
            (3, 4)
        );
        let reply = respond(
            &Prompt {
                max_tokens: Some(2),
                ..prompt
            },
            || unreachable!(),
        );
        assert_eq!(reply.content(), "Echo: hello ");
        assert_eq!(reply.finish_reason, "length");
    }

    #[test]
    fn tool_call_when_asked() {
        let messages = [user("please look up the weather")];
        let tools = ["search".to_owned(), "weather".to_owned()];
        let prompt = Prompt {
            model: find("sandbox-tools").unwrap(),
            messages: &messages,
            tools: &tools,
            tool_choice: &ToolChoice::Auto,
            max_tokens: None,
        };
        let reply = respond(&prompt, || "call_1".into());
        let call = reply.tool_call.as_ref().unwrap();
        assert_eq!(call.name, "weather");
        assert_eq!(call.arguments, r#"{"query":"please look up the weather"}"#);
        assert_eq!(reply.content(), "Calling weather.");
        assert_eq!(reply.finish_reason, "tool_calls");
    }
}
