//! Where the playground keeps the conversation: on this device (`localStorage`), so it survives a reload.

use kinlink::openai::ChatMessage;
use serde_json::{json, Value};

use crate::state::local_storage;

const CHAT_KEY: &str = "kinlink.chat";

/// The conversation as it is saved.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SavedChat {
    pub model: String,
    pub system: String,
    pub messages: Vec<ChatMessage>,
    /// Indexes of the replies that were stopped before they were complete.
    pub stopped: Vec<usize>,
}

impl SavedChat {
    fn to_json(&self) -> Option<String> {
        let messages = serde_json::to_value(&self.messages).ok()?;
        Some(
            json!({
                "model": self.model,
                "system": self.system,
                "messages": messages,
                "stopped": self.stopped,
            })
            .to_string(),
        )
    }

    /// Reads what `to_json` wrote; anything unreadable gives an empty conversation.
    fn from_json(text: &str) -> SavedChat {
        let Ok(mut value) = serde_json::from_str::<Value>(text) else {
            return SavedChat::default();
        };
        let text_of = |value: &Value, key: &str| {
            value
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let stopped = value
            .get("stopped")
            .and_then(|s| serde_json::from_value(s.clone()).ok())
            .unwrap_or_default();
        SavedChat {
            stopped,
            model: text_of(&value, "model"),
            system: text_of(&value, "system"),
            messages: value
                .get_mut("messages")
                .map(Value::take)
                .and_then(|m| serde_json::from_value(m).ok())
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

pub fn save_chat(chat: &SavedChat) {
    if let (Some(storage), Some(text)) = (local_storage(), chat.to_json()) {
        let _ = storage.set_item(CHAT_KEY, &text);
    }
}

#[cfg(test)]
mod tests {
    use super::SavedChat;
    use kinlink::openai::ChatMessage;

    #[test]
    fn round_trip() {
        let chat = SavedChat {
            model: "sandbox-echo".into(),
            system: "Be brief.".into(),
            messages: vec![ChatMessage::user("hi"), ChatMessage::assistant("Echo: hi")],
            stopped: vec![1],
        };
        assert_eq!(SavedChat::from_json(&chat.to_json().unwrap()), chat);
        assert_eq!(SavedChat::from_json("not json"), SavedChat::default());
        assert_eq!(
            SavedChat::from_json(r#"{"model":"m","messages":[{"nope":1}]}"#).model,
            "m"
        );
    }
}
