//! The Kino config singleton: stored fields, the partial-update body and secret masking.
//!
//! One macro table generates the stored struct, its defaults (wire facts §14), the
//! all-optional `ConfigUpdate` and the masking, so the ~70 fields are listed once.

use serde::{Deserialize, Serialize};

/// What a secret field reads as once set.
pub const MASK: &str = "***";

/// Masking rules shared by `String` and nullable `Option<String>` secrets.
trait Secret {
    fn masked(&self) -> Self;
    fn is_mask(&self) -> bool;
}

impl Secret for String {
    fn masked(&self) -> Self {
        if self.is_empty() {
            String::new()
        } else {
            MASK.to_owned()
        }
    }
    fn is_mask(&self) -> bool {
        self == MASK
    }
}

impl Secret for Option<String> {
    fn masked(&self) -> Self {
        self.as_ref().map(Secret::masked)
    }
    fn is_mask(&self) -> bool {
        self.as_deref() == Some(MASK)
    }
}

/// `secret_or!(secret; a, b)` is `a`; `secret_or!(; a, b)` is `b` (no `a` is compiled,
/// so it may use `Secret` on types that do not implement it).
macro_rules! secret_or {
    (secret; $secret:expr, $plain:expr) => {
        $secret
    };
    (; $secret:expr, $plain:expr) => {
        $plain
    };
}

macro_rules! kino_settings {
    ($( $([$kind:ident])? $field:ident : $ty:ty = $default:expr ),* $(,)?) => {
        /// Stored Kino config fields (everything in ConfigResponse except `id`,
        /// `api_key` and `data_path`, which the sandbox owns).
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(default)]
        pub struct KinoSettings {
            $(pub $field: $ty,)*
        }

        impl Default for KinoSettings {
            fn default() -> Self {
                KinoSettings { $($field: $default.into(),)* }
            }
        }

        /// `PUT /api/v1/config` body: every field optional, `null` keeps the stored value.
        /// Unknown keys (including `api_key`, `id`, `data_path`) are ignored, as in Kino.
        #[derive(Debug, Default, Deserialize)]
        pub struct ConfigUpdate {
            $(#[serde(default)] pub $field: Option<$ty>,)*
        }

        impl KinoSettings {
            /// Applies a partial update; a secret sent back as `"***"` means "unchanged".
            pub fn apply(&mut self, update: ConfigUpdate) {
                $(
                    if let Some(value) = update.$field {
                        if !secret_or!($($kind)?; Secret::is_mask(&value), false) {
                            self.$field = value;
                        }
                    }
                )*
            }

            /// A copy safe to send: secrets read `"***"` when set and `""` when empty.
            pub fn masked(&self) -> KinoSettings {
                KinoSettings {
                    $($field: secret_or!($($kind)?; Secret::masked(&self.$field), self.$field.clone()),)*
                }
            }
        }
    };
}

kino_settings! {
    listen_address: String = "0.0.0.0",
    listen_port: i64 = 80,
    base_url: String = "",
    media_library_path: String = "",
    download_path: String = "",
    vpn_enabled: bool = false,
    [secret] vpn_private_key: String = "",
    vpn_address: Option<String> = None,
    vpn_server_public_key: Option<String> = None,
    vpn_server_endpoint: Option<String> = None,
    vpn_dns: Option<String> = None,
    vpn_port_forward_provider: String = "none",
    [secret] vpn_port_forward_api_key: String = "",
    vpn_killswitch_enabled: bool = true,
    vpn_killswitch_check_url: String = "https://api.ipify.org",
    [secret] tmdb_api_key: String = "",
    [secret] opensubtitles_api_key: Option<String> = None,
    opensubtitles_username: Option<String> = None,
    [secret] opensubtitles_password: String = "",
    max_concurrent_downloads: i64 = 3,
    download_speed_limit: i64 = 0,
    upload_speed_limit: i64 = 0,
    seed_ratio_limit: f64 = 1.0,
    seed_time_limit: i64 = 0,
    low_disk_threshold_gb: i64 = 5,
    transcoding_enabled: bool = true,
    ffmpeg_path: String = "ffmpeg",
    hw_acceleration: String = "none",
    max_concurrent_transcodes: i64 = 2,
    cast_receiver_app_id: Option<String> = None,
    auto_cleanup_enabled: bool = true,
    auto_cleanup_movie_delay: i64 = 72,
    auto_cleanup_episode_delay: i64 = 72,
    auto_upgrade_enabled: bool = true,
    auto_search_interval: i64 = 15,
    stall_timeout: i64 = 30,
    dead_timeout: i64 = 60,
    use_hardlinks: bool = true,
    movie_naming_format: String = "{title} ({year}) [{quality}]",
    episode_naming_format: String = "{show} - S{season:00}E{episode:00} - {title} [{quality}]",
    multi_episode_naming_format: String =
        "{show} - S{season:00}E{episode:00}E{episode_end:00} - {title} [{quality}]",
    season_folder_format: String = "Season {season:00}",
    trakt_client_id: String = "",
    [secret] trakt_client_secret: String = "",
    trakt_scrobble: bool = true,
    trakt_sync_watched: bool = true,
    trakt_sync_ratings: bool = true,
    trakt_sync_watchlist: bool = true,
    trakt_sync_collection: bool = true,
    trakt_resume_sync_enabled: bool = true,
    trakt_recommendations_enabled: bool = true,
    [secret] mdblist_api_key: String = "",
    list_bulk_growth_threshold: i64 = 20,
    intro_detect_enabled: bool = true,
    credits_detect_enabled: bool = true,
    auto_skip_intros: String = "smart",
    auto_skip_credits: bool = false,
    intro_min_length_s: i64 = 15,
    intro_analysis_limit_s: i64 = 600,
    credits_analysis_limit_s: i64 = 450,
    intro_match_score_threshold: f64 = 10.0,
    max_concurrent_intro_analyses: i64 = 2,
    mdns_enabled: bool = true,
    mdns_hostname: String = "kino",
    mdns_service_name: String = "Kino",
    backup_enabled: bool = true,
    backup_schedule: String = "daily",
    backup_time: String = "03:00",
    // Kino derives this from the data path on first run; see `KinoSettings::first_run`.
    backup_location_path: String = "",
    backup_retention_count: i64 = 7,
}

impl KinoSettings {
    /// Defaults for a fresh data dir.
    pub fn first_run(data_path: &str) -> KinoSettings {
        KinoSettings {
            backup_location_path: format!("{}/backups", data_path.trim_end_matches('/')),
            ..KinoSettings::default()
        }
    }
}

/// `GET`/`PUT /api/v1/config` response body.
#[derive(Debug, Serialize)]
pub struct ConfigResponse {
    pub id: i64,
    pub api_key: String,
    pub data_path: String,
    #[serde(flatten)]
    pub settings: KinoSettings,
}

impl ConfigResponse {
    pub fn masked(settings: &KinoSettings, data_path: &str) -> ConfigResponse {
        ConfigResponse {
            id: 1,
            // The key is always set, so it always reads as the mask.
            api_key: MASK.to_owned(),
            data_path: data_path.to_owned(),
            settings: settings.masked(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let m = s.masked();
        assert_eq!(m.mdblist_api_key, MASK);
        assert_eq!(m.tmdb_api_key, "");
        assert_eq!(m.opensubtitles_api_key.as_deref(), Some(MASK));
        assert_eq!(m.trakt_client_id, "");
        let json = serde_json::to_value(ConfigResponse::masked(&s, "/d")).unwrap();
        assert_eq!(json["seed_ratio_limit"].to_string(), "1.0");
        assert_eq!(json["opensubtitles_username"], serde_json::Value::Null);
    }
}
