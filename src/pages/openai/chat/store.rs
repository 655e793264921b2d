//! Where the playground keeps things: the conversation on this device (`localStorage`, so it survives a
//! reload), and the other server it may be pointed at in this tab only (`sessionStorage`; the key is never
//! put in a URL).

use kinlink::openai::ChatMessage;
use serde_json::{json, Value};

use crate::state::{local_storage, session_storage, CredentialSlot, SavedConnection};

const CHAT_KEY: &str = "kinlink.chat";
const CHAT_SERVER: CredentialSlot =
    CredentialSlot::new("kinlink.chat.server", "kinlink.chat.apiKey");

/// The conversation as it is saved.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SavedChat {
    pub model: String,
    pub system: String,
    pub messages: Vec<ChatMessage>,
}

impl SavedChat {
    fn to_json(&self) -> Option<String> {
        let messages = serde_json::to_value(&self.messages).ok()?;
        Some(
            json!({ "model": self.model, "system": self.system, "messages": messages }).to_string(),
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
        SavedChat {
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

/// The other server chosen in this tab, if any.
pub fn load_server() -> Option<SavedConnection> {
    CHAT_SERVER.read(&session_storage()?)
}

/// Keeps `server` for this tab, or forgets it.
pub fn save_server(server: Option<&SavedConnection>) {
    let Some(storage) = session_storage() else {
        return;
    };
    match server {
        Some(saved) => CHAT_SERVER.write(&storage, saved),
        None => CHAT_SERVER.clear(&storage),
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
        };
        assert_eq!(SavedChat::from_json(&chat.to_json().unwrap()), chat);
        assert_eq!(SavedChat::from_json("not json"), SavedChat::default());
        assert_eq!(
            SavedChat::from_json(r#"{"model":"m","messages":[{"nope":1}]}"#).model,
            "m"
        );
    }
}
