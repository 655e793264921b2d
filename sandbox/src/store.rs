//! SQLite persistence (`<data>/sandbox.db`): the API key, the Kino config row and history.
//!
//! Durability and concurrency rules, each for a reason:
//! - Every change to the config is one [`Store::update_config`] call: read, apply, save and the
//!   `config_changed` history row in **one** `BEGIN IMMEDIATE` transaction under the writer lock, so
//!   concurrent partial updates of different fields never revert each other and a crash never keeps
//!   a change without its history row (or the reverse).
//! - SQLite calls block, so they run on tokio's blocking pool, never on the async workers.
//! - WAL journal with `synchronous=NORMAL`: a committed transaction survives the process being
//!   killed (`kill -9`); readers do not wait for the writer.
//! - The committed config is also kept in memory, so `GET /status` and `GET /config` read it without
//!   touching the database at all.
//! - The database and its journal files are created `0600`: they hold the API key.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};

use crate::ids;
use crate::kino::settings::{ConfigUpdate, KinoSettings};
use crate::StartError;

/// Schema versions, applied in order; `PRAGMA user_version` records how many ran.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/001_init.sql"),
    include_str!("../migrations/002_history.sql"),
    include_str!("../migrations/003_records.sql"),
    include_str!("../migrations/004_record_ids.sql"),
    include_str!("../migrations/005_kinbot_sessions.sql"),
];

/// How long a connection waits for a lock held by another before failing.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Store failures surfaced to handlers.
#[derive(Debug)]
pub enum StoreError {
    Db(rusqlite::Error),
    Json(serde_json::Error),
    /// The blocking task running the query panicked or was cancelled.
    Task(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Db(e) => write!(f, "database: {e}"),
            StoreError::Json(e) => write!(f, "stored settings: {e}"),
            StoreError::Task(e) => write!(f, "database task: {e}"),
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

/// A cheap-to-clone handle on the database.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    /// The only connection that writes; its lock orders writers.
    writer: Mutex<Connection>,
    /// A read-only connection for list queries (WAL lets it read while the writer commits).
    reader: Mutex<Connection>,
    /// The committed settings, replaced under the writer lock after each commit.
    settings: RwLock<Arc<KinoSettings>>,
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

/// The email of the sandbox's one KinBot account; its password is the sandbox's API key.
pub const KINBOT_EMAIL: &str = "sandbox@kinlink.local";

/// A KinBot (Better Auth) user row.
#[derive(Debug, Clone)]
pub struct KinBotUser {
    pub id: String,
    pub email: String,
    pub name: String,
    pub created_ms: i64,
}

/// A KinBot (Better Auth) session row.
#[derive(Debug, Clone)]
pub struct KinBotSession {
    pub token: String,
    pub id: String,
    pub user_id: String,
    pub created_ms: i64,
    pub expires_ms: i64,
    pub user_agent: String,
}

/// Which history rows a page reads; every filter present must match.
#[derive(Debug, Default, Clone)]
pub struct HistoryFilter {
    pub before_id: Option<i64>,
    pub movie_id: Option<i64>,
    pub episode_id: Option<i64>,
    pub event_types: Vec<String>,
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
        let path = data_dir.join("sandbox.db");
        crate::data_dir::create_private_file(&path)?;
        let mut writer = Connection::open(&path)?;
        writer.busy_timeout(BUSY_TIMEOUT)?;
        // WAL is persistent in the file; NORMAL is safe against process crashes in WAL mode.
        writer.pragma_update(None, "journal_mode", "WAL")?;
        writer.pragma_update(None, "synchronous", "NORMAL")?;
        migrate(&mut writer)?;
        let stored: Option<String> = writer
            .query_row("SELECT api_key FROM config WHERE id = 1", [], |row| {
                row.get(0)
            })
            .optional()?;
        let key = match (api_key, stored) {
            (Some(given), Some(_)) => {
                writer.execute(
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
                writer.execute(
                    "INSERT INTO config (id, api_key, settings) VALUES (1, ?1, ?2)",
                    params![key, settings],
                )?;
                key
            }
        };
        // Fail at start, not on the first request, if the stored JSON is unreadable.
        let settings = read_settings(&writer).map_err(|e| StartError::Corrupt(e.to_string()))?;
        let reader = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        reader.busy_timeout(BUSY_TIMEOUT)?;
        // SQLite gives the -wal and -shm files the database's mode; make sure of it.
        for suffix in ["-wal", "-shm"] {
            let mut name = path.clone().into_os_string();
            name.push(suffix);
            crate::data_dir::restrict_if_present(Path::new(&name))?;
        }
        let store = Store {
            inner: Arc::new(Inner {
                writer: Mutex::new(writer),
                reader: Mutex::new(reader),
                settings: RwLock::new(Arc::new(settings)),
            }),
        };
        Ok((store, key))
    }

    /// The committed settings, from memory.
    pub fn settings(&self) -> Arc<KinoSettings> {
        self.inner
            .settings
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// The one way to change the config: applies `update` to the stored settings and records Kino's
    /// `config_changed` event, both in one transaction. Returns the settings as committed.
    pub async fn update_config(
        &self,
        update: ConfigUpdate,
    ) -> Result<Arc<KinoSettings>, StoreError> {
        let inner = self.inner.clone();
        blocking(move || {
            let mut conn = lock(&inner.writer);
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut settings = read_settings(&tx)?;
            settings.apply(update);
            tx.execute(
                "UPDATE config SET settings = ?1 WHERE id = 1",
                params![serde_json::to_string(&settings)?],
            )?;
            // Kino records every config PUT as a `config_changed` event with scope `all`.
            let event = serde_json::json!({"event": "config_changed", "scope": "all"});
            insert_history(&tx, "config_changed", &event)?;
            tx.commit()?;
            let settings = Arc::new(settings);
            // Still under the writer lock, so the snapshot follows commit order.
            *inner
                .settings
                .write()
                .unwrap_or_else(|poisoned| poisoned.into_inner()) = settings.clone();
            Ok(settings)
        })
        .await
    }

    /// The sandbox's one KinBot account, created on first use.
    pub async fn kinbot_user(&self) -> Result<KinBotUser, StoreError> {
        let inner = self.inner.clone();
        blocking(move || {
            let conn = lock(&inner.writer);
            conn.execute(
                "INSERT OR IGNORE INTO kinbot_users (id, email, name, created_ms) VALUES (?1, ?2, ?3, ?4)",
                params![
                    ids::random_alphanumeric(32),
                    KINBOT_EMAIL,
                    "Sandbox",
                    crate::timestamp::now_millis()
                ],
            )?;
            Ok(conn.query_row(
                "SELECT id, email, name, created_ms FROM kinbot_users WHERE email = ?1",
                params![KINBOT_EMAIL],
                |row| {
                    Ok(KinBotUser {
                        id: row.get(0)?,
                        email: row.get(1)?,
                        name: row.get(2)?,
                        created_ms: row.get(3)?,
                    })
                },
            )?)
        })
        .await
    }

    /// Records a signed-in session; it is committed before the cookie is sent.
    pub async fn insert_kinbot_session(&self, session: KinBotSession) -> Result<(), StoreError> {
        let inner = self.inner.clone();
        blocking(move || {
            lock(&inner.writer).execute(
                "INSERT INTO kinbot_sessions (token, id, user_id, created_ms, expires_ms, user_agent) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    session.token,
                    session.id,
                    session.user_id,
                    session.created_ms,
                    session.expires_ms,
                    session.user_agent
                ],
            )?;
            Ok(())
        })
        .await
    }

    /// The unexpired session with this token, and its user.
    pub async fn kinbot_session(
        &self,
        token: String,
    ) -> Result<Option<(KinBotSession, KinBotUser)>, StoreError> {
        let inner = self.inner.clone();
        blocking(move || {
            let conn = lock(&inner.reader);
            let mut statement = conn.prepare_cached(
                "SELECT s.token, s.id, s.user_id, s.created_ms, s.expires_ms, s.user_agent, \
                        u.email, u.name, u.created_ms \
                 FROM kinbot_sessions s JOIN kinbot_users u ON u.id = s.user_id \
                 WHERE s.token = ?1 AND s.expires_ms > ?2",
            )?;
            Ok(statement
                .query_row(params![token, crate::timestamp::now_millis()], |row| {
                    let session = KinBotSession {
                        token: row.get(0)?,
                        id: row.get(1)?,
                        user_id: row.get(2)?,
                        created_ms: row.get(3)?,
                        expires_ms: row.get(4)?,
                        user_agent: row.get(5)?,
                    };
                    let user = KinBotUser {
                        id: session.user_id.clone(),
                        email: row.get(6)?,
                        name: row.get(7)?,
                        created_ms: row.get(8)?,
                    };
                    Ok((session, user))
                })
                .optional()?)
        })
        .await
    }

    /// Revokes a session (sign-out); later requests with its cookie are 401.
    pub async fn delete_kinbot_session(&self, token: String) -> Result<(), StoreError> {
        let inner = self.inner.clone();
        blocking(move || {
            lock(&inner.writer).execute(
                "DELETE FROM kinbot_sessions WHERE token = ?1",
                params![token],
            )?;
            Ok(())
        })
        .await
    }

    /// Newest first, at most `limit` rows.
    pub async fn history(
        &self,
        filter: HistoryFilter,
        limit: usize,
    ) -> Result<Vec<HistoryRow>, StoreError> {
        let inner = self.inner.clone();
        blocking(move || query_history(&lock(&inner.reader), &filter, limit)).await
    }
}

/// A history event recorded in the same transaction as a collection change: the event type and
/// its AppEvent payload, built from the record's id.
pub type RecordEvent = fn(id: i64, action: &str) -> (&'static str, serde_json::Value);

/// One plain CRUD collection (`webhooks`, ...): JSON documents of type `T` with integer ids, in the
/// table every collection shares. Each change and its history event commit together.
pub struct Collection<T> {
    store: Store,
    name: &'static str,
    event: Option<RecordEvent>,
    _documents: std::marker::PhantomData<fn() -> T>,
}

impl<T> Collection<T>
where
    T: serde::Serialize + serde::de::DeserializeOwned + Send + 'static,
{
    pub fn new(store: &Store, name: &'static str, event: Option<RecordEvent>) -> Self {
        Collection {
            store: store.clone(),
            name,
            event,
            _documents: std::marker::PhantomData,
        }
    }

    /// Every document, by id.
    pub async fn list(&self) -> Result<Vec<T>, StoreError> {
        let (inner, name) = (self.store.inner.clone(), self.name);
        blocking(move || {
            let conn = lock(&inner.reader);
            let mut statement =
                conn.prepare_cached("SELECT body FROM records WHERE collection = ?1 ORDER BY id")?;
            let rows = statement.query_map(params![name], |row| row.get::<_, String>(0))?;
            rows.map(|body| Ok(serde_json::from_str(&body?)?)).collect()
        })
        .await
    }

    pub async fn get(&self, id: i64) -> Result<Option<T>, StoreError> {
        let (inner, name) = (self.store.inner.clone(), self.name);
        blocking(move || read_record(&lock(&inner.reader), name, id)).await
    }

    /// Stores the document `make` builds for the collection's next id (never one it gave before).
    pub async fn insert(
        &self,
        make: impl FnOnce(i64) -> T + Send + 'static,
    ) -> Result<T, StoreError> {
        let (inner, name, event) = (self.store.inner.clone(), self.name, self.event);
        blocking(move || {
            let mut conn = lock(&inner.writer);
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let id: i64 = tx.query_row(
                "INSERT INTO record_ids (collection, last_id) VALUES (?1, 1) \
                 ON CONFLICT (collection) DO UPDATE SET last_id = last_id + 1 RETURNING last_id",
                params![name],
                |row| row.get(0),
            )?;
            let document = make(id);
            tx.execute(
                "INSERT INTO records (collection, id, body) VALUES (?1, ?2, ?3)",
                params![name, id, serde_json::to_string(&document)?],
            )?;
            record_event(&tx, event, id, "created")?;
            tx.commit()?;
            Ok(document)
        })
        .await
    }

    /// Changes the document `id` with `apply`; `None` when there is none.
    pub async fn update(
        &self,
        id: i64,
        apply: impl FnOnce(&mut T) + Send + 'static,
    ) -> Result<Option<T>, StoreError> {
        let (inner, name, event) = (self.store.inner.clone(), self.name, self.event);
        blocking(move || {
            let mut conn = lock(&inner.writer);
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let Some(mut document) = read_record::<T>(&tx, name, id)? else {
                return Ok(None);
            };
            apply(&mut document);
            tx.execute(
                "UPDATE records SET body = ?3 WHERE collection = ?1 AND id = ?2",
                params![name, id, serde_json::to_string(&document)?],
            )?;
            record_event(&tx, event, id, "updated")?;
            tx.commit()?;
            Ok(Some(document))
        })
        .await
    }

    /// Deletes the document `id`; false when there was none.
    pub async fn delete(&self, id: i64) -> Result<bool, StoreError> {
        let (inner, name, event) = (self.store.inner.clone(), self.name, self.event);
        blocking(move || {
            let mut conn = lock(&inner.writer);
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let deleted = tx.execute(
                "DELETE FROM records WHERE collection = ?1 AND id = ?2",
                params![name, id],
            )? > 0;
            if deleted {
                record_event(&tx, event, id, "deleted")?;
            }
            tx.commit()?;
            Ok(deleted)
        })
        .await
    }
}

fn read_record<T: serde::de::DeserializeOwned>(
    conn: &Connection,
    name: &str,
    id: i64,
) -> Result<Option<T>, StoreError> {
    let body: Option<String> = conn
        .query_row(
            "SELECT body FROM records WHERE collection = ?1 AND id = ?2",
            params![name, id],
            |row| row.get(0),
        )
        .optional()?;
    Ok(body.map(|b| serde_json::from_str(&b)).transpose()?)
}

fn record_event(
    conn: &Connection,
    event: Option<RecordEvent>,
    id: i64,
    action: &str,
) -> Result<(), StoreError> {
    if let Some(event) = event {
        let (event_type, data) = event(id, action);
        insert_history(conn, event_type, &data)?;
    }
    Ok(())
}

/// Runs a database call on the blocking pool.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
}

fn lock(conn: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    // A panic while holding the lock rolls back its open transaction (dropped unfinished), so a
    // poisoned lock still guards a consistent connection.
    conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn read_settings(conn: &Connection) -> Result<KinoSettings, StoreError> {
    let json: String = conn.query_row("SELECT settings FROM config WHERE id = 1", [], |row| {
        row.get(0)
    })?;
    Ok(serde_json::from_str(&json)?)
}

fn insert_history(
    conn: &Connection,
    event_type: &str,
    data: &serde_json::Value,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO history (event_type, date, data) VALUES (?1, ?2, ?3)",
        params![
            event_type,
            crate::timestamp::now_rfc3339(),
            data.to_string()
        ],
    )?;
    Ok(())
}

fn query_history(
    conn: &Connection,
    filter: &HistoryFilter,
    limit: usize,
) -> Result<Vec<HistoryRow>, StoreError> {
    let mut sql = String::from(
        "SELECT id, movie_id, episode_id, event_type, date, source_title, quality, download_id, data \
         FROM history WHERE 1=1",
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
    let mut statement = conn.prepare_cached(&sql)?;
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
