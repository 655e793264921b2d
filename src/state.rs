//! The connection to a server: the SDK client, shared through context, and where its settings persist.
//!
//! The API key is kept in `sessionStorage` (gone when the tab closes) unless the user asks to be remembered
//! on this device (`localStorage`). It is never put in a URL.

use kinlink::{Client, Credentials};
use leptos::prelude::*;
use web_sys::Storage;

/// Where the console's own connection is kept.
const CONNECTION: CredentialSlot = CredentialSlot::new("kinlink.server", "kinlink.apiKey");

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

/// A server URL and API key kept under two storage keys (the connection, the chat page's own server).
pub(crate) struct CredentialSlot {
    server: &'static str,
    api_key: &'static str,
}

impl CredentialSlot {
    pub(crate) const fn new(server: &'static str, api_key: &'static str) -> CredentialSlot {
        CredentialSlot { server, api_key }
    }

    pub(crate) fn read(&self, storage: &Storage) -> Option<SavedConnection> {
        let server = storage.get_item(self.server).ok().flatten()?;
        let api_key = storage.get_item(self.api_key).ok().flatten()?;
        Some(SavedConnection { server, api_key })
    }

    pub(crate) fn write(&self, storage: &Storage, saved: &SavedConnection) {
        let _ = storage.set_item(self.server, &saved.server);
        let _ = storage.set_item(self.api_key, &saved.api_key);
    }

    pub(crate) fn clear(&self, storage: &Storage) {
        let _ = storage.remove_item(self.server);
        let _ = storage.remove_item(self.api_key);
    }
}

/// The connection saved in this tab, else on this device.
fn saved_connection() -> Option<SavedConnection> {
    session_storage()
        .and_then(|s| CONNECTION.read(&s))
        .or_else(|| local_storage().and_then(|s| CONNECTION.read(&s)))
}

/// The URL the console was served from: the default server.
pub fn page_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// A client for saved settings.
pub(crate) fn client_for(saved: &SavedConnection) -> Result<Client, kinlink::ApiError> {
    Client::new(&saved.server, Credentials::Bearer(saved.api_key.clone()))
}

impl Connection {
    /// Reconnects with the settings saved in this tab, or on this device.
    pub fn restore() -> Connection {
        let client = saved_connection().and_then(|s| client_for(&s).ok());
        Connection {
            client: RwSignal::new(client),
        }
    }

    /// The saved server URL, for prefilling the connect form.
    pub fn saved_server() -> Option<String> {
        saved_connection().map(|s| s.server)
    }

    /// Uses `saved` from now on, persisting it per `remember`.
    pub fn connect(self, saved: SavedConnection, remember: bool) -> Result<(), kinlink::ApiError> {
        let client = client_for(&saved)?;
        let (keep, drop) = if remember {
            (local_storage(), session_storage())
        } else {
            (session_storage(), local_storage())
        };
        if let Some(storage) = drop {
            CONNECTION.clear(&storage);
        }
        if let Some(storage) = keep {
            CONNECTION.write(&storage, &saved);
        }
        self.client.set(Some(client));
        Ok(())
    }

    /// Forgets the connection everywhere.
    pub fn disconnect(self) {
        for storage in [session_storage(), local_storage()].into_iter().flatten() {
            CONNECTION.clear(&storage);
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
        self.client.with(|c| {
            c.as_ref()
                .map(|c| c.base_url().to_owned())
                .unwrap_or_default()
        })
    }
}
