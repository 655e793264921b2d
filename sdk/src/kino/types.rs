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
}
