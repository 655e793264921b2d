//! `GET /api/v1/status`: setup state derived from the stored config (wire facts §8).

use axum::extract::State;
use axum::Json;
use serde::Serialize;

use super::settings::KinoSettings;
use crate::state::AppState;

#[derive(Debug, Serialize)]
pub struct StatusResponse {
    version: &'static str,
    status: &'static str,
    first_time_setup: bool,
    setup_required: bool,
    warnings: Vec<Warning>,
    install_kind: &'static str,
    // No uptime: Kino's documentation promises one, the server never sends it (facts §8).
}

#[derive(Debug, Serialize)]
struct Warning {
    message: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    route: Option<&'static str>,
}

/// Served from the in-memory settings: the public, unauthenticated route never touches the
/// database.
pub async fn get(State(state): State<AppState>) -> Json<StatusResponse> {
    Json(StatusResponse::from_settings(&state.store().settings()))
}

impl StatusResponse {
    fn from_settings(s: &KinoSettings) -> StatusResponse {
        let blank = |v: &str| v.trim().is_empty();
        let tmdb_missing = blank(&s.tmdb_api_key);
        let first_time_setup =
            tmdb_missing || blank(&s.download_path) || blank(&s.media_library_path);
        let mut warnings = Vec::new();
        let mut warn = |message, route| {
            warnings.push(Warning {
                message,
                route: Some(route),
            })
        };
        if tmdb_missing {
            warn(
                "TMDB API key not configured — browse and metadata disabled",
                "/settings/metadata",
            );
        }
        if blank(&s.download_path) {
            warn(
                "Download path not configured — torrents cannot download",
                "/settings/library",
            );
        }
        if blank(&s.media_library_path) {
            warn("Media library path not configured", "/settings/library");
        }
        // The sandbox cannot hold indexers (their routes answer 501), so this always holds,
        // and Kino then always reports `setup_required`.
        let no_indexers = true;
        if no_indexers {
            warn(
                "No indexers configured — search will not find releases",
                "/settings/indexers",
            );
        }
        // There is no TMDB client here; a configured key stands in for an initialised one.
        if tmdb_missing {
            warn(
                "TMDB client not initialized — check API key",
                "/settings/metadata",
            );
        }
        let setup_required = first_time_setup || no_indexers || tmdb_missing;
        let status = if setup_required {
            "setup_required"
        } else if warnings.is_empty() {
            "ok"
        } else {
            "degraded"
        };
        StatusResponse {
            version: env!("CARGO_PKG_VERSION"),
            status,
            first_time_setup,
            setup_required,
            warnings,
            install_kind: "sandbox",
        }
    }
}
