//! Kino's wire types. Every field defaults when absent and unknown fields are ignored, so a newer or
//! older server still decodes; enums keep an explicit `Unknown` for values this version does not know.

wire_types! {
    /// `GET /api/v1/status`.
    #[serde(default)]
    #[derive(Default)]
    pub struct Status {
        /// The server's version string.
        pub version: String,
        /// Overall state.
        pub status: ServerState,
        /// True while the TMDB key or the download or library path is blank.
        pub first_time_setup: bool,
        /// True while the server cannot do its job yet (no indexers, no metadata client).
        pub setup_required: bool,
        /// What needs attention, each with the settings page that fixes it.
        pub warnings: Vec<StatusWarning>,
        /// How the server was installed (`docker`, ...), when it says.
        pub install_kind: Option<String>,
        /// Seconds since the server started. Kino's documentation promises it; Kino 0.3 does not send it.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub uptime_seconds: Option<u64>,
    }

    /// One item of [`Status::warnings`].
    #[serde(default)]
    #[derive(Default)]
    pub struct StatusWarning {
        /// What is wrong.
        pub message: String,
        /// The console route that fixes it, e.g. `/settings/metadata`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub route: Option<String>,
    }

    /// [`Status::status`].
    #[serde(rename_all = "snake_case")]
    #[derive(Default)]
    pub enum ServerState {
        /// Everything is configured and healthy.
        Ok,
        /// Working, with warnings.
        Degraded,
        /// Setup is not finished.
        SetupRequired,
        /// A state this version of the SDK does not know.
        #[default]
        #[serde(other)]
        Unknown,
    }

    /// `GET /api/v1/config`: the configuration row. Secrets come back masked (`"***"` when set, `""` when
    /// empty); the server never returns them in clear except right after a key rotation.
    #[serde(default)]
    #[derive(Default)]
    #[allow(missing_docs)]
    pub struct Config {
        pub id: i64,
        pub listen_address: String,
        pub listen_port: i64,
        pub api_key: String,
        pub base_url: String,
        pub data_path: String,
        pub media_library_path: String,
        pub download_path: String,
        pub vpn_enabled: bool,
        pub vpn_private_key: String,
        pub vpn_address: Option<String>,
        pub vpn_server_public_key: Option<String>,
        pub vpn_server_endpoint: Option<String>,
        pub vpn_dns: Option<String>,
        pub vpn_port_forward_provider: String,
        pub vpn_port_forward_api_key: String,
        pub vpn_killswitch_enabled: bool,
        pub vpn_killswitch_check_url: String,
        pub tmdb_api_key: String,
        pub opensubtitles_api_key: Option<String>,
        pub opensubtitles_username: Option<String>,
        pub opensubtitles_password: String,
        pub max_concurrent_downloads: i64,
        pub download_speed_limit: i64,
        pub upload_speed_limit: i64,
        pub seed_ratio_limit: f64,
        pub seed_time_limit: i64,
        pub low_disk_threshold_gb: i64,
        pub transcoding_enabled: bool,
        pub ffmpeg_path: String,
        pub hw_acceleration: String,
        pub max_concurrent_transcodes: i64,
        pub cast_receiver_app_id: Option<String>,
        pub auto_cleanup_enabled: bool,
        pub auto_cleanup_movie_delay: i64,
        pub auto_cleanup_episode_delay: i64,
        pub auto_upgrade_enabled: bool,
        pub auto_search_interval: i64,
        pub stall_timeout: i64,
        pub dead_timeout: i64,
        pub use_hardlinks: bool,
        pub movie_naming_format: String,
        pub episode_naming_format: String,
        pub multi_episode_naming_format: String,
        pub season_folder_format: String,
        pub trakt_client_id: String,
        pub trakt_client_secret: String,
        pub trakt_scrobble: bool,
        pub trakt_sync_watched: bool,
        pub trakt_sync_ratings: bool,
        pub trakt_sync_watchlist: bool,
        pub trakt_sync_collection: bool,
        pub trakt_resume_sync_enabled: bool,
        pub trakt_recommendations_enabled: bool,
        pub mdblist_api_key: String,
        pub list_bulk_growth_threshold: i64,
        pub intro_detect_enabled: bool,
        pub credits_detect_enabled: bool,
        pub auto_skip_intros: String,
        pub auto_skip_credits: bool,
        pub intro_min_length_s: i64,
        pub intro_analysis_limit_s: i64,
        pub credits_analysis_limit_s: i64,
        pub intro_match_score_threshold: f64,
        pub max_concurrent_intro_analyses: i64,
        pub mdns_enabled: bool,
        pub mdns_hostname: String,
        pub mdns_service_name: String,
        pub backup_enabled: bool,
        pub backup_schedule: String,
        pub backup_time: String,
        pub backup_location_path: String,
        pub backup_retention_count: i64,
    }

    /// `PUT /api/v1/config`: a partial update. Only the fields set are sent; the server keeps the rest.
    /// An empty string clears a text field; `"***"` for a secret means "unchanged". The API key, the id
    /// and the data path cannot be changed here.
    #[derive(Default)]
    #[allow(missing_docs)]
    pub struct ConfigUpdate {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub listen_address: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub listen_port: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub base_url: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub media_library_path: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub download_path: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub vpn_enabled: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub vpn_private_key: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub vpn_address: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub vpn_server_public_key: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub vpn_server_endpoint: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub vpn_dns: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub vpn_port_forward_provider: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub vpn_port_forward_api_key: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub vpn_killswitch_enabled: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub vpn_killswitch_check_url: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub tmdb_api_key: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub opensubtitles_api_key: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub opensubtitles_username: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub opensubtitles_password: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub max_concurrent_downloads: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub download_speed_limit: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub upload_speed_limit: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub seed_ratio_limit: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub seed_time_limit: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub low_disk_threshold_gb: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub transcoding_enabled: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub ffmpeg_path: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub hw_acceleration: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub max_concurrent_transcodes: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cast_receiver_app_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub auto_cleanup_enabled: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub auto_cleanup_movie_delay: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub auto_cleanup_episode_delay: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub auto_upgrade_enabled: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub auto_search_interval: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub stall_timeout: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub dead_timeout: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub use_hardlinks: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub movie_naming_format: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub episode_naming_format: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub multi_episode_naming_format: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub season_folder_format: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub trakt_client_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub trakt_client_secret: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub trakt_scrobble: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub trakt_sync_watched: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub trakt_sync_ratings: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub trakt_sync_watchlist: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub trakt_sync_collection: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub trakt_resume_sync_enabled: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub trakt_recommendations_enabled: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub mdblist_api_key: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub list_bulk_growth_threshold: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub intro_detect_enabled: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub credits_detect_enabled: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub auto_skip_intros: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub auto_skip_credits: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub intro_min_length_s: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub intro_analysis_limit_s: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub credits_analysis_limit_s: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub intro_match_score_threshold: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub max_concurrent_intro_analyses: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub mdns_enabled: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub mdns_hostname: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub mdns_service_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub backup_enabled: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub backup_schedule: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub backup_time: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub backup_location_path: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub backup_retention_count: Option<i64>,
    }

    /// One row of `GET /api/v1/history`, newest first.
    #[serde(default)]
    #[derive(Default)]
    pub struct HistoryEntry {
        /// Row id.
        pub id: i64,
        /// The movie it concerns, if any.
        pub movie_id: Option<i64>,
        /// The episode it concerns, if any.
        pub episode_id: Option<i64>,
        /// The AppEvent type (`config_changed`, `movie_added`, ...).
        pub event_type: String,
        /// RFC 3339 timestamp.
        pub date: String,
        /// Release or item title, `""` when none.
        pub source_title: String,
        /// Quality label, when the event has one.
        pub quality: Option<String>,
        /// The download it concerns, if any.
        pub download_id: Option<i64>,
        /// The full event as a JSON string (the same payload the WebSocket sends).
        pub data: Option<String>,
    }

    /// Filters for `GET /api/v1/history` (all optional; combined with AND).
    #[derive(Default)]
    pub struct HistoryQuery {
        /// Page size, clamped to 1..=100 (server default 25).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub limit: Option<u32>,
        /// The cursor from the previous page.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub cursor: Option<String>,
        /// Only events of this movie.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub movie_id: Option<i64>,
        /// Only events of this episode.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub episode_id: Option<i64>,
        /// Only these event types.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub event_types: Vec<String>,
    }
}
