//! Local sandbox server speaking the Kino (`/api/v1`) and OpenAI-compatible (`/v1`) APIs.
//!
//! Other crates' tests start it in-process with [`start`]; the `kinlink-sandbox` binary is a
//! thin CLI over the same function.

mod auth;
mod console;
#[macro_use]
mod contract_routes;
mod cors;
mod data_dir;
mod faults;
mod headers;
mod host_guard;
mod ids;
mod kinbot;
mod kino;
mod openai;
mod refusal;
mod serve;
mod state;
mod store;
mod timestamp;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use axum::Router;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use data_dir::write_private_atomically;
pub use kino::conformance::layer as kino_conformance_layer;
pub use serve::ServerLimits;
pub use state::AppState;
pub use store::KINBOT_EMAIL;

/// How long a shutdown waits for open connections (SSE streams) before they are dropped.
const GRACEFUL_WAIT: Duration = Duration::from_secs(2);

/// Everything the sandbox needs to start; the CLI flags map one to one onto these fields.
#[derive(Debug, Clone)]
pub struct Config {
    pub bind: IpAddr,
    pub port: u16,
    pub data_dir: PathBuf,
    pub static_dir: Option<PathBuf>,
    pub faults: bool,
    pub api_key: Option<String>,
    pub cors_origins: Vec<String>,
    /// Host names accepted besides loopback ones while bound to a loopback address (the
    /// DNS-rebinding guard); e.g. the name a reverse proxy forwards.
    pub allowed_hosts: Vec<String>,
    pub token_delay_ms: u64,
    pub limits: ServerLimits,
    /// Validate every Kino response against the contract, answering 500 `contract_violation`
    /// where one does not conform. On by default in debug builds, so every test suite runs with it.
    pub check_contract: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 8080,
            data_dir: PathBuf::from("./.sandbox-data"),
            static_dir: None,
            faults: false,
            api_key: None,
            cors_origins: Vec::new(),
            allowed_hosts: Vec::new(),
            token_delay_ms: 15,
            limits: ServerLimits::default(),
            check_contract: cfg!(debug_assertions),
        }
    }
}

/// Why [`start`] (or [`AppState::new`]) failed.
#[derive(Debug)]
pub enum StartError {
    /// Creating the data directory or binding the socket failed.
    Io(std::io::Error),
    /// Opening or migrating `sandbox.db` failed.
    Db(rusqlite::Error),
    /// The stored config row could not be decoded.
    Corrupt(String),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Io(e) => write!(f, "I/O error: {e}"),
            StartError::Db(e) => write!(f, "database error: {e}"),
            StartError::Corrupt(e) => write!(f, "stored config is unreadable: {e}"),
        }
    }
}

impl std::error::Error for StartError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StartError::Io(e) => Some(e),
            StartError::Db(e) => Some(e),
            StartError::Corrupt(_) => None,
        }
    }
}

impl From<std::io::Error> for StartError {
    fn from(e: std::io::Error) -> Self {
        StartError::Io(e)
    }
}

impl From<rusqlite::Error> for StartError {
    fn from(e: rusqlite::Error) -> Self {
        StartError::Db(e)
    }
}

/// A running sandbox. Dropping it leaves the server running until the runtime stops;
/// call [`Sandbox::shutdown`] to stop it deterministically.
pub struct Sandbox {
    pub addr: SocketAddr,
    pub api_key: String,
    state: AppState,
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Sandbox {
    /// Base URL clients should use. A wildcard bind is reported as loopback, since
    /// `http://0.0.0.0:PORT` is not a usable destination everywhere.
    pub fn url(&self) -> String {
        let ip = match self.addr.ip() {
            IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}", SocketAddr::new(ip, self.addr.port()))
    }

    /// Stops accepting connections, ends open streams (each with a `server_shutdown` error
    /// event), and waits at most ~2 s for in-flight responses before dropping them.
    pub async fn shutdown(self) {
        self.state.begin_shutdown();
        let _ = self.stop.send(());
        let mut task = self.task;
        let deadline = GRACEFUL_WAIT + Duration::from_secs(1);
        if tokio::time::timeout(deadline, &mut task).await.is_err() {
            task.abort();
        }
    }
}

/// Opens the store, binds the socket (port 0 picks a free port) and spawns the server
/// on the current tokio runtime.
pub async fn start(config: Config) -> Result<Sandbox, StartError> {
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(config.bind, config.port)).await?;
    let addr = listener.local_addr()?;
    let state = AppState::new(&config)?;
    let api_key = state.api_key().to_owned();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(serve::serve(
        listener,
        app(state.clone()),
        config.limits,
        stopped,
        GRACEFUL_WAIT,
    ));
    Ok(Sandbox {
        addr,
        api_key,
        state,
        stop,
        task,
    })
}

/// The whole HTTP surface: one router per API merged at the root, then the console
/// (static files or a note) for every other path.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(kino::router(state.clone()))
        .merge(kinbot::router(state.clone()))
        .merge(openai::router(state.clone()))
        .merge(faults::router())
        .fallback(console::serve)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            cors::layer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            host_guard::layer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            headers::layer,
        ))
        .with_state(state)
}
