//! Shared state handed to every handler.

use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::watch;

use crate::console::Console;
use crate::faults::FaultBook;
use crate::ids::Sequences;
use crate::store::Store;
use crate::{Config, StartError};

#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    api_key: String,
    store: Store,
    data_path: String,
    faults: Option<FaultBook>,
    cors_origins: Vec<String>,
    /// Bound to a loopback address: only loopback or allowed `Host` names are served.
    loopback_only: bool,
    allowed_hosts: Vec<String>,
    token_delay_ms: u64,
    check_contract: bool,
    console: Option<Console>,
    sequences: Sequences,
    shutdown: watch::Sender<bool>,
}

impl AppState {
    /// Creates the data dir, opens the store and reads the console's `index.html`.
    /// Does not bind anything, so tests can drive [`crate::app`] with `oneshot`.
    pub fn new(config: &Config) -> Result<AppState, StartError> {
        crate::data_dir::create(&config.data_dir)?;
        let data_dir: PathBuf = std::fs::canonicalize(&config.data_dir)?;
        let data_path = data_dir.to_string_lossy().into_owned();
        let (store, api_key) = Store::open(&data_dir, &data_path, config.api_key.as_deref())?;
        let console = config.static_dir.as_deref().map(Console::new);
        Ok(AppState {
            inner: Arc::new(Inner {
                api_key,
                store,
                data_path,
                faults: config.faults.then(FaultBook::default),
                cors_origins: config.cors_origins.clone(),
                loopback_only: config.bind.is_loopback(),
                allowed_hosts: config.allowed_hosts.clone(),
                token_delay_ms: config.token_delay_ms,
                check_contract: config.check_contract,
                console,
                sequences: Sequences::default(),
                shutdown: watch::channel(false).0,
            }),
        })
    }

    pub fn api_key(&self) -> &str {
        &self.inner.api_key
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The data dir as reported in Kino's `data_path`.
    pub fn data_path(&self) -> &str {
        &self.inner.data_path
    }

    /// `Some` only when started with `--faults`.
    pub fn faults(&self) -> Option<&FaultBook> {
        self.inner.faults.as_ref()
    }

    pub fn cors_origins(&self) -> &[String] {
        &self.inner.cors_origins
    }

    /// Whether the DNS-rebinding guard is on.
    pub fn loopback_only(&self) -> bool {
        self.inner.loopback_only
    }

    pub fn allowed_hosts(&self) -> &[String] {
        &self.inner.allowed_hosts
    }

    /// Whether Kino responses are validated against the contract (`kino/conformance.rs`).
    pub fn check_contract(&self) -> bool {
        self.inner.check_contract
    }

    pub fn token_delay_ms(&self) -> u64 {
        self.inner.token_delay_ms
    }

    pub fn console(&self) -> Option<&Console> {
        self.inner.console.as_ref()
    }

    pub fn sequences(&self) -> &Sequences {
        &self.inner.sequences
    }

    /// Tells long-lived responses (SSE streams) to finish so shutdown is not held up.
    pub fn begin_shutdown(&self) {
        self.inner.shutdown.send_replace(true);
    }

    pub fn shutdown_signal(&self) -> watch::Receiver<bool> {
        self.inner.shutdown.subscribe()
    }
}
