//! SQLite persistence (`<data>/sandbox.db`): the API key and the Kino config row.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{params, Connection, OptionalExtension};

use crate::ids;
use crate::kino::settings::KinoSettings;
use crate::StartError;

/// Schema versions, applied in order; `PRAGMA user_version` records how many ran.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/001_init.sql"),
    include_str!("../migrations/002_history.sql"),
];

/// Store failures surfaced to handlers.
#[derive(Debug)]
pub enum StoreError {
    Db(rusqlite::Error),
    Json(serde_json::Error),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Db(e) => write!(f, "database: {e}"),
            StoreError::Json(e) => write!(f, "stored settings: {e}"),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Db(e)
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Json(e)
    }
}

/// One connection behind a mutex: every query is a single-row read or write on a
/// local file, far cheaper than hopping to a blocking thread.
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
}

impl Store {
    /// Opens (creating if needed) `<data_dir>/sandbox.db`, migrates it and makes sure the
    /// config row exists. Returns the store and the effective API key: `api_key` when
    /// given (it replaces the stored one), else the stored key, else a new UUIDv4.
    pub fn open(
        data_dir: &Path,
        data_path: &str,
        api_key: Option<&str>,
    ) -> Result<(Store, String), StartError> {
        let mut conn = Connection::open(data_dir.join("sandbox.db"))?;
        migrate(&mut conn)?;
        let stored: Option<String> = conn
            .query_row("SELECT api_key FROM config WHERE id = 1", [], |row| {
                row.get(0)
            })
            .optional()?;
        let key = match (api_key, stored) {
            (Some(given), Some(_)) => {
                conn.execute(
                    "UPDATE config SET api_key = ?1 WHERE id = 1",
                    params![given],
                )?;
                given.to_owned()
            }
            (None, Some(stored)) => stored,
            (given, None) => {
                let key = given.map(str::to_owned).unwrap_or_else(ids::uuid_v4);
                let settings = serde_json::to_string(&KinoSettings::first_run(data_path))
                    .map_err(|e| StartError::Corrupt(e.to_string()))?;
                conn.execute(
                    "INSERT INTO config (id, api_key, settings) VALUES (1, ?1, ?2)",
                    params![key, settings],
                )?;
                key
            }
        };
        let store = Store {
            conn: Arc::new(Mutex::new(conn)),
        };
        // Fail at start, not on the first request, if the stored JSON is unreadable.
        store
            .settings()
            .map_err(|e| StartError::Corrupt(e.to_string()))?;
        Ok((store, key))
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written (each
        // statement is atomic), so a poisoned lock is still safe to use.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn settings(&self) -> Result<KinoSettings, StoreError> {
        let json: String =
            self.lock()
                .query_row("SELECT settings FROM config WHERE id = 1", [], |row| {
                    row.get(0)
                })?;
        Ok(serde_json::from_str(&json)?)
    }

    pub fn save_settings(&self, settings: &KinoSettings) -> Result<(), StoreError> {
        let json = serde_json::to_string(settings)?;
        self.lock().execute(
            "UPDATE config SET settings = ?1 WHERE id = 1",
            params![json],
        )?;
        Ok(())
    }
}

/// One history row as Kino returns it (`data` is the event as a JSON string).
#[derive(Debug, Clone, serde::Serialize)]
pub struct HistoryRow {
    pub id: i64,
    pub movie_id: Option<i64>,
    pub episode_id: Option<i64>,
    pub event_type: String,
    pub date: String,
    pub source_title: String,
    pub quality: Option<String>,
    pub download_id: Option<i64>,
    pub data: Option<String>,
}

/// Which history rows a page reads; every filter present must match.
#[derive(Debug, Default)]
pub struct HistoryFilter {
    pub before_id: Option<i64>,
    pub movie_id: Option<i64>,
    pub episode_id: Option<i64>,
    pub event_types: Vec<String>,
}

impl Store {
    /// Records an event; `data` is its AppEvent payload.
    pub fn append_history(
        &self,
        event_type: &str,
        data: &serde_json::Value,
    ) -> Result<(), StoreError> {
        self.lock().execute(
            "INSERT INTO history (event_type, date, data) VALUES (?1, ?2, ?3)",
            params![
                event_type,
                crate::timestamp::now_rfc3339(),
                data.to_string()
            ],
        )?;
        Ok(())
    }

    /// Newest first, at most `limit` rows.
    pub fn history(
        &self,
        filter: &HistoryFilter,
        limit: usize,
    ) -> Result<Vec<HistoryRow>, StoreError> {
        let mut sql = String::from(
            "SELECT id, movie_id, episode_id, event_type, date, source_title, quality, download_id, data FROM history WHERE 1=1",
        );
        let mut values: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(id) = filter.before_id {
            sql.push_str(" AND id < ?");
            values.push(id.into());
        }
        if let Some(id) = filter.movie_id {
            sql.push_str(" AND movie_id = ?");
            values.push(id.into());
        }
        if let Some(id) = filter.episode_id {
            sql.push_str(" AND episode_id = ?");
            values.push(id.into());
        }
        if !filter.event_types.is_empty() {
            sql.push_str(" AND event_type IN (");
            sql.push_str(&vec!["?"; filter.event_types.len()].join(","));
            sql.push(')');
            values.extend(filter.event_types.iter().cloned().map(Into::into));
        }
        sql.push_str(" ORDER BY id DESC LIMIT ?");
        values.push((limit as i64).into());
        let conn = self.lock();
        let mut statement = conn.prepare(&sql)?;
        let rows = statement.query_map(rusqlite::params_from_iter(values), |row| {
            Ok(HistoryRow {
                id: row.get(0)?,
                movie_id: row.get(1)?,
                episode_id: row.get(2)?,
                event_type: row.get(3)?,
                date: row.get(4)?,
                source_title: row.get(5)?,
                quality: row.get(6)?,
                download_id: row.get(7)?,
                data: row.get(8)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let applied: usize = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(applied) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index + 1)?;
        tx.commit()?;
    }
    Ok(())
}
