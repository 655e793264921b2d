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

/// From the in-memory settings, the indexers and the configured paths on disk.
pub async fn get(State(state): State<AppState>) -> Json<StatusResponse> {
    // A store failure reads as "no indexers": the status still answers, and says setup is needed.
    let has_indexers = super::resources::any_enabled_indexer(&state)
        .await
        .unwrap_or(false);
    Json(StatusResponse::from_settings(
        &state.store().settings(),
        has_indexers,
    ))
}

impl StatusResponse {
    fn from_settings(s: &KinoSettings, has_indexers: bool) -> StatusResponse {
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
        // A configured path that is not a directory is a warning of its own: Kino is then
        // `degraded` rather than `setup_required`.
        for (path, message) in [
            (
                &s.download_path,
                "Download path does not exist or is not a directory",
            ),
            (
                &s.media_library_path,
                "Media library path does not exist or is not a directory",
            ),
        ] {
            if !blank(path) && !std::path::Path::new(path).is_dir() {
                warn(message, "/settings/library");
            }
        }
        let no_indexers = !has_indexers;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn configured(dir: &std::path::Path) -> KinoSettings {
        let mut settings = KinoSettings::first_run(&dir.to_string_lossy());
        settings.tmdb_api_key = "key".into();
        settings.download_path = dir.to_string_lossy().into_owned();
        settings.media_library_path = dir.to_string_lossy().into_owned();
        settings
    }

    #[test]
    fn every_state_is_reachable() {
        let dir = tempfile::tempdir().unwrap();
        let first_run = StatusResponse::from_settings(&KinoSettings::first_run("/data"), true);
        assert_eq!(first_run.status, "setup_required");
        assert!(first_run.first_time_setup);

        let no_indexers = StatusResponse::from_settings(&configured(dir.path()), false);
        assert_eq!(no_indexers.status, "setup_required");
        assert!(!no_indexers.first_time_setup);

        let ok = StatusResponse::from_settings(&configured(dir.path()), true);
        assert_eq!((ok.status, ok.warnings.len()), ("ok", 0));

        let mut missing = configured(dir.path());
        missing.media_library_path = dir.path().join("gone").to_string_lossy().into_owned();
        let degraded = StatusResponse::from_settings(&missing, true);
        assert_eq!(degraded.status, "degraded");
        assert!(!degraded.setup_required);
        assert_eq!(degraded.warnings[0].route, Some("/settings/library"));
    }
}
