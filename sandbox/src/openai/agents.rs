//! `POST /v1/agents/{agentId}/run`: Kindo's agent trigger, answered by a few built-in
//! deterministic agents.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

use super::chat::{kind_of, unix_now};
use super::model::{word_count, Usage};
use super::Error;
use crate::state::AppState;

/// How a built-in agent turns its input into output.
type AgentFn = fn(&str) -> String;

/// Built-in agents: id and behaviour.
const AGENTS: &[(&str, AgentFn)] = &[
    ("echo", |input| input.to_owned()),
    ("summarizer", summarize),
    ("security-scan", security_scan),
];

/// The first sentence, capped at twelve words.
fn summarize(input: &str) -> String {
    let sentence = input
        .split_inclusive(['.', '!', '?'])
        .next()
        .unwrap_or("")
        .trim();
    let words: Vec<&str> = sentence.split_whitespace().collect();
    if words.len() > 12 {
        format!("Summary: {}…", words[..12].join(" "))
    } else {
        format!("Summary: {}", words.join(" "))
    }
}

/// A fixed report naming what was asked; the sandbox scans nothing.
fn security_scan(input: &str) -> String {
    format!(
        "Security scan finished for \"{}\": 0 critical, 0 high, 0 medium findings (sandbox agent; nothing was scanned).",
        input.trim()
    )
}

pub async fn run(
    State(state): State<AppState>,
    Path(agent_id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, Error> {
    let (_, agent) = AGENTS
        .iter()
        .find(|(id, _)| *id == agent_id)
        .ok_or_else(|| Error::not_found(format!("No agent with id '{agent_id}'."), "not_found"))?;
    let value: Value = serde_json::from_slice(&body).map_err(|_| {
        Error::invalid_body(
            "We could not parse the JSON body of your request. The API expects a JSON payload.",
        )
    })?;
    let input = match value.get("input").filter(|v| !v.is_null()) {
        Some(Value::String(input)) => input.clone(),
        None => {
            return Err(Error::invalid(
                "input",
                "missing_required_parameter",
                "Missing required parameter: 'input'.",
            ))
        }
        Some(other) => {
            return Err(Error::invalid(
                "input",
                "invalid_type",
                format!(
                    "Invalid type for 'input': expected a string, but got {} instead.",
                    kind_of(other)
                ),
            ))
        }
    };
    let output = agent(&input);
    let usage = Usage {
        prompt_tokens: word_count(&input),
        completion_tokens: word_count(&output),
    };
    Ok(Json(json!({
        "id": state.sequences().run(),
        "object": "agent.run",
        "agent_id": agent_id,
        "status": "completed",
        "output": output,
        "created": unix_now(),
        "usage": usage.to_json(),
    })))
}
