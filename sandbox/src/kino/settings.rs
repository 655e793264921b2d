//! The Kino config singleton: the stored row, partial updates and secret masking (wire facts §7).
//!
//! The row's fields, their types, first-run defaults (§14) and which of them are secrets come from
//! the contract (`ConfigResponse` and `ConfigUpdate`, generated into `generated/stored.rs`); only the
//! rules are written here.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

#[path = "generated/stored.rs"]
mod stored;

pub use stored::{ConfigResponse, ConfigUpdate};

/// What a secret field reads as once set.
pub const MASK: &str = "***";

/// The stored config row: the response schema, starting from its defaults. The sandbox owns `id`,
/// `api_key` and `data_path` and fills them in when it answers (see [`ConfigResponse::masked`]);
/// the stored copies stay at their defaults, so the key is never written into the row.
pub type KinoSettings = ConfigResponse;

/// Fields a config update never changes (§7: `rotate-api-key` changes the key).
const OWNED: [&str; 3] = ["id", "api_key", "data_path"];

fn to_map<T: Serialize>(value: &T) -> Map<String, Value> {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => map,
        _ => unreachable!("the stored schemas are objects of scalars"),
    }
}

fn from_map<T: DeserializeOwned>(map: Map<String, Value>) -> T {
    serde_json::from_value(Value::Object(map))
        .expect("a map made from a stored schema decodes back into it")
}

impl ConfigResponse {
    /// Defaults for a fresh data dir: the contract's, with the backups under the data path (§14).
    pub fn first_run(data_path: &str) -> KinoSettings {
        KinoSettings {
            backup_location_path: format!("{}/backups", data_path.trim_end_matches('/')),
            ..KinoSettings::default()
        }
    }

    /// Applies a partial update (§7): an omitted or `null` field keeps the stored value, a secret
    /// sent back as `"***"` means "unchanged", and the owned fields cannot be changed here. The
    /// update decoded as a `ConfigUpdate`, so every value already has the stored field's type.
    pub fn apply(&mut self, update: ConfigUpdate) {
        let mut row = to_map(self);
        for (field, value) in to_map(&update) {
            let secret_unchanged = Self::SECRETS.contains(&field.as_str()) && value == MASK;
            if value.is_null() || secret_unchanged || OWNED.contains(&field.as_str()) {
                continue;
            }
            if let Some(slot) = row.get_mut(&field) {
                *slot = value;
            }
        }
        *self = from_map(row);
    }

    /// The row as the API answers it: secrets read `"***"` when set and `""` when empty (`null`
    /// stays `null`), the key always reads as set, and the sandbox's id and data path are filled in.
    pub fn masked(settings: &KinoSettings, data_path: &str) -> ConfigResponse {
        let mut row = to_map(settings);
        for field in Self::SECRETS {
            if let Some(Value::String(text)) = row.get_mut(*field) {
                if !text.is_empty() {
                    *text = MASK.to_owned();
                }
            }
        }
        ConfigResponse {
            id: 1,
            // The key is always set, so it always reads as the mask.
            api_key: MASK.to_owned(),
            data_path: data_path.to_owned(),
            ..from_map(row)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_first_run_values() {
        let s = KinoSettings::first_run("/data/");
        assert_eq!(s.listen_port, 80);
        assert_eq!(s.seed_ratio_limit, 1.0);
        assert_eq!(s.vpn_killswitch_check_url, "https://api.ipify.org");
        assert_eq!(s.backup_location_path, "/data/backups");
        assert!(ConfigResponse::SECRETS.contains(&"tmdb_api_key"));
        assert!(!ConfigResponse::SECRETS.contains(&"trakt_client_id"));
    }

    #[test]
    fn update_keeps_omitted_null_and_masked_secrets() {
        let mut s = KinoSettings::first_run("/data");
        s.tmdb_api_key = "real".into();
        let update: ConfigUpdate = serde_json::from_str(
            r#"{"tmdb_api_key":"***","download_path":"/dl","vpn_dns":null,"base_url":null,"api_key":"x"}"#,
        )
        .unwrap();
        s.apply(update);
        assert_eq!(s.tmdb_api_key, "real");
        assert_eq!(s.download_path, "/dl");
        assert_eq!(s.base_url, "");
        assert_eq!(s.backup_location_path, "/data/backups");
    }

    #[test]
    fn masking_distinguishes_set_and_empty() {
        let s = KinoSettings {
            mdblist_api_key: "k".into(),
            opensubtitles_api_key: Some("o".into()),
            ..KinoSettings::default()
        };
        let m = ConfigResponse::masked(&s, "/d");
        assert_eq!(m.mdblist_api_key, MASK);
        assert_eq!(m.tmdb_api_key, "");
        assert_eq!(m.opensubtitles_api_key.as_deref(), Some(MASK));
        assert_eq!(m.trakt_client_id, "");
        assert_eq!(
            (m.id, m.api_key.as_str(), m.data_path.as_str()),
            (1, MASK, "/d")
        );
        let json = serde_json::to_value(&m).unwrap();
        assert_eq!(json["seed_ratio_limit"].to_string(), "1.0");
        assert_eq!(json["opensubtitles_username"], serde_json::Value::Null);
    }
}
