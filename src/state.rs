//! The connection to a server: the SDK client, shared through context, and where its settings persist.
//!
//! The API key is kept in `sessionStorage` (gone when the tab closes) unless the user asks to be remembered
//! on this device (`localStorage`). It is never put in a URL.

use kinlink::{Client, Credentials};
use leptos::prelude::*;
use web_sys::Storage;

const SERVER_KEY: &str = "kinlink.server";
const API_KEY_KEY: &str = "kinlink.apiKey";

/// Saved connection settings.
#[derive(Clone, Debug, PartialEq)]
pub struct SavedConnection {
    pub server: String,
    pub api_key: String,
}

/// The console's connection: a small `Copy` handle on signals, provided once at the root.
#[derive(Clone, Copy)]
pub struct Connection {
    client: RwSignal<Option<Client>>,
}

/// This tab's storage: gone when the tab closes.
pub(crate) fn session_storage() -> Option<Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// This device's storage.
pub(crate) fn local_storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn read(storage: &Storage) -> Option<SavedConnection> {
    let server = storage.get_item(SERVER_KEY).ok().flatten()?;
    let api_key = storage.get_item(API_KEY_KEY).ok().flatten()?;
    Some(SavedConnection { server, api_key })
}

fn clear(storage: &Storage) {
    let _ = storage.remove_item(SERVER_KEY);
    let _ = storage.remove_item(API_KEY_KEY);
}

/// The URL the console was served from: the default server.
pub fn page_origin() -> String {
    web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
}

/// A client for saved settings.
pub(crate) fn client_for(saved: &SavedConnection) -> Result<Client, kinlink::ApiError> {
    Client::new(&saved.server, Credentials::Bearer(saved.api_key.clone()))
}

impl Connection {
    /// Reconnects with the settings saved in this tab, or on this device.
    pub fn restore() -> Connection {
        let saved = session_storage().as_ref().and_then(read).or_else(|| local_storage().as_ref().and_then(read));
        let client = saved.as_ref().and_then(|s| client_for(s).ok());
        Connection { client: RwSignal::new(client) }
    }

    /// The saved server URL, for prefilling the connect form.
    pub fn saved_server() -> Option<String> {
        session_storage().as_ref().and_then(read).or_else(|| local_storage().as_ref().and_then(read)).map(|s| s.server)
    }

    /// Uses `saved` from now on, persisting it per `remember`.
    pub fn connect(self, saved: SavedConnection, remember: bool) -> Result<(), kinlink::ApiError> {
        let client = client_for(&saved)?;
        let (keep, drop) = if remember { (local_storage(), session_storage()) } else { (session_storage(), local_storage()) };
        if let Some(storage) = drop {
            clear(&storage);
        }
        if let Some(storage) = keep {
            let _ = storage.set_item(SERVER_KEY, &saved.server);
            let _ = storage.set_item(API_KEY_KEY, &saved.api_key);
        }
        self.client.set(Some(client));
        Ok(())
    }

    /// Forgets the connection everywhere.
    pub fn disconnect(self) {
        for storage in [session_storage(), local_storage()].into_iter().flatten() {
            clear(&storage);
        }
        self.client.set(None);
    }

    pub fn is_connected(self) -> bool {
        self.client.with(Option::is_some)
    }

    pub fn client(self) -> Option<Client> {
        self.client.get()
    }

    pub fn server_url(self) -> String {
        self.client.with(|c| c.as_ref().map(|c| c.base_url().to_owned()).unwrap_or_default())
    }
}
