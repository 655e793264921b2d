//! Where the playground keeps the conversation: on this device (`localStorage`), so it survives a reload.
//!
//! A long conversation is saved on every change, so saving borrows the signals' values and writes the
//! text straight from them (no copy of the turns, no JSON tree in between); loading decodes the text
//! straight into the turns, and only a file it cannot read that way goes through the lenient reader.

use kinlink::openai::ChatMessage;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::state::local_storage;

const CHAT_KEY: &str = "kinlink.chat";

/// The conversation as it is saved.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct SavedChat {
    #[serde(default)]
    pub model: String,
    #[serde(default)]
    pub system: String,
    #[serde(default)]
    pub messages: Vec<ChatMessage>,
    /// Indexes of the replies that were stopped before they were complete.
    #[serde(default)]
    pub stopped: Vec<usize>,
}

/// The conversation to save, borrowed from where the page keeps it.
#[derive(Debug, Serialize)]
pub struct ChatToSave<'a> {
    pub model: &'a str,
    pub system: &'a str,
    pub messages: &'a [ChatMessage],
    pub stopped: &'a [usize],
}

impl ChatToSave<'_> {
    fn to_json(&self) -> Option<String> {
        serde_json::to_string(self).ok()
    }
}

impl SavedChat {
    /// Reads what `ChatToSave::to_json` wrote. A file that does not decode whole (a turn of an older or
    /// damaged shape) keeps what it can: the model and system prompt, and the turns only if they all
    /// read; anything unreadable gives an empty conversation.
    fn from_json(text: &str) -> SavedChat {
        if let Ok(chat) = serde_json::from_str::<SavedChat>(text) {
            return chat;
        }
        let Ok(mut value) = serde_json::from_str::<Value>(text) else {
            return SavedChat::default();
        };
        let mut field = |key: &str| value.get_mut(key).map(Value::take);
        let text_of = |value: Option<Value>| match value {
            Some(Value::String(text)) => text,
            _ => String::new(),
        };
        SavedChat {
            model: text_of(field("model")),
            system: text_of(field("system")),
            messages: field("messages")
                .and_then(|m| serde_json::from_value(m).ok())
                .unwrap_or_default(),
            stopped: field("stopped")
                .and_then(|s| serde_json::from_value(s).ok())
                .unwrap_or_default(),
        }
    }
}

/// The conversation saved on this device, or an empty one.
pub fn load_chat() -> SavedChat {
    local_storage()
        .and_then(|s| s.get_item(CHAT_KEY).ok().flatten())
        .map(|text| SavedChat::from_json(&text))
        .unwrap_or_default()
}

pub fn save_chat(chat: &ChatToSave<'_>) {
    if let (Some(storage), Some(text)) = (local_storage(), chat.to_json()) {
        let _ = storage.set_item(CHAT_KEY, &text);
    }
}

#[cfg(test)]
mod tests {
    use super::{ChatToSave, SavedChat};
    use kinlink::openai::ChatMessage;

    #[test]
    fn round_trip() {
        let messages = vec![ChatMessage::user("hi"), ChatMessage::assistant("Echo: hi")];
        let saved = ChatToSave {
            model: "sandbox-echo",
            system: "Be brief.",
            messages: &messages,
            stopped: &[1],
        };
        let chat = SavedChat {
            model: "sandbox-echo".into(),
            system: "Be brief.".into(),
            messages: messages.clone(),
            stopped: vec![1],
        };
        assert_eq!(SavedChat::from_json(&saved.to_json().unwrap()), chat);
        assert_eq!(SavedChat::from_json("not json"), SavedChat::default());
        // A turn that does not read loses the turns, not the model.
        let damaged =
            SavedChat::from_json(r#"{"model":"m","messages":[{"nope":1}],"stopped":[0]}"#);
        assert_eq!(damaged.model, "m");
        assert!(damaged.messages.is_empty());
        assert_eq!(damaged.stopped, vec![0]);
        // A file from before `stopped` was saved.
        let older = SavedChat::from_json(r#"{"model":"m","system":"s","messages":[]}"#);
        assert_eq!((older.model.as_str(), older.system.as_str()), ("m", "s"));
    }
}
