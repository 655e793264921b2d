//! The console's connections: one per API (Kino, KinBot, OpenAI-compatible), each optional, each with its
//! own server, credential and state. They are `Copy` handles on signals, provided once at the root.
//!
//! A key is kept in `sessionStorage` (gone when the tab closes) unless the user asks to be remembered on
//! this device (`localStorage`); it is never put in a URL. A KinBot session is a cookie the browser keeps
//! (`HttpOnly`: the console never sees it); only its server's URL is stored.

use kinlink::kinbot::SignInRequest;
use kinlink::{ApiError, Client, Credentials, ErrorKind};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};
use web_sys::Storage;

use crate::routes::Api;

/// How a connection proves who it is.
#[derive(Clone, Debug, PartialEq)]
pub enum Credential {
    /// A key sent with every request: Kino's API key, an OpenAI-compatible bearer key.
    ApiKey(String),
    /// The session cookie the server set on sign-in (KinBot), kept by the browser.
    Session,
}

/// A connection as it is stored.
#[derive(Clone, Debug, PartialEq)]
pub struct SavedConnection {
    pub server: String,
    pub credential: Credential,
}

impl SavedConnection {
    fn to_json(&self) -> String {
        match &self.credential {
            Credential::ApiKey(key) => json!({"server": self.server, "apiKey": key}),
            Credential::Session => json!({"server": self.server, "session": true}),
        }
        .to_string()
    }

    /// Reads what `to_json` wrote; anything else is no connection.
    fn from_json(text: &str) -> Option<SavedConnection> {
        let value: Value = serde_json::from_str(text).ok()?;
        let server = value.get("server")?.as_str()?.to_owned();
        let credential = match (
            value.get("apiKey").and_then(Value::as_str),
            value.get("session"),
        ) {
            (Some(key), _) => Credential::ApiKey(key.to_owned()),
            (None, Some(Value::Bool(true))) => Credential::Session,
            _ => return None,
        };
        Some(SavedConnection { server, credential })
    }

    /// A client for this connection.
    pub fn client(&self) -> Result<Client, ApiError> {
        let credentials = match &self.credential {
            Credential::ApiKey(key) => Credentials::Bearer(key.clone()),
            Credential::Session => Credentials::Session,
        };
        Client::new(&self.server, credentials)
    }
}

/// Where a connection stands, for the top bar and the connect screen.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkState {
    /// Not set up.
    Unset,
    /// Saved, being checked against the server.
    Checking,
    /// The server accepted the credential.
    Connected,
    /// KinBot answered, but this browser holds no session for it (expired, or signed out elsewhere).
    SignedOut,
    /// The last check failed.
    Failed(ApiError),
}

/// This tab's storage: gone when the tab closes.
fn session_storage() -> Option<Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// This device's storage.
pub(crate) fn local_storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The URL the console was served from: the default server.
pub fn page_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

fn storage_key(api: Api) -> String {
    format!("kinlink.connection.{}", api.slug())
}

/// One API's connection.
#[derive(Clone, Copy)]
pub struct ApiConnection {
    pub api: Api,
    client: RwSignal<Option<Client>>,
    state: RwSignal<LinkState>,
}

/// The request that proves a client's credential works (each API's cheapest authenticated call).
async fn check(api: Api, client: &Client) -> Result<(), ApiError> {
    match api {
        // Kino's status is public, so it would accept any key: the config is not.
        Api::Kino => client.kino().config().get().await.map(drop),
        Api::OpenAi => client.models().list().await.map(drop),
        Api::KinBot => match client.kinbot().auth().get_session().await? {
            Some(_) => Ok(()),
            None => Err(ApiError::new(
                ErrorKind::Unauthorized,
                "this browser is not signed in to KinBot",
            )),
        },
    }
}

fn state_after(api: Api, outcome: Result<(), ApiError>) -> LinkState {
    match outcome {
        Ok(()) => LinkState::Connected,
        Err(e) if api == Api::KinBot && e.kind == ErrorKind::Unauthorized => LinkState::SignedOut,
        Err(e) => LinkState::Failed(e),
    }
}

impl ApiConnection {
    /// The connection saved in this tab, else on this device, checked again in the background.
    fn restore(api: Api) -> ApiConnection {
        let saved = [session_storage(), local_storage()]
            .into_iter()
            .flatten()
            .find_map(|s| s.get_item(&storage_key(api)).ok().flatten())
            .and_then(|text| SavedConnection::from_json(&text));
        let client = saved.and_then(|s| s.client().ok());
        let connection = ApiConnection {
            api,
            state: RwSignal::new(if client.is_some() {
                LinkState::Checking
            } else {
                LinkState::Unset
            }),
            client: RwSignal::new(client),
        };
        connection.recheck();
        connection
    }

    /// Checks the current client against its server again.
    pub fn recheck(self) {
        let Some(client) = self.client.get_untracked() else {
            return;
        };
        self.state.set(LinkState::Checking);
        spawn_local(async move {
            let outcome = check(self.api, &client).await;
            // The connection may have been changed while the check ran.
            let unchanged = self
                .client
                .with_untracked(|c| c.as_ref().map(|c| c.base_url() == client.base_url()));
            if unchanged == Some(true) {
                self.state.set(state_after(self.api, outcome));
            }
        });
    }

    /// Checks `saved` against its server; only a connection that works is kept, in this tab or (with
    /// `remember`) on this device.
    pub async fn connect(self, saved: SavedConnection, remember: bool) -> Result<(), ApiError> {
        let client = saved.client()?;
        check(self.api, &client).await?;
        self.keep(saved, client, remember);
        Ok(())
    }

    /// Signs in to KinBot with email and password (the browser keeps the session cookie), then keeps
    /// the connection.
    pub async fn sign_in(
        self,
        server: String,
        email: String,
        password: String,
        remember: bool,
    ) -> Result<(), ApiError> {
        let saved = SavedConnection {
            server,
            credential: Credential::Session,
        };
        let client = saved.client()?;
        let request = SignInRequest {
            email,
            password,
            remember_me: Some(remember),
            callback_url: None,
        };
        client.kinbot().auth().sign_in_email(&request).await?;
        check(self.api, &client).await?;
        self.keep(saved, client, remember);
        Ok(())
    }

    fn keep(self, saved: SavedConnection, client: Client, remember: bool) {
        let (keep, drop) = if remember {
            (local_storage(), session_storage())
        } else {
            (session_storage(), local_storage())
        };
        if let Some(storage) = drop {
            let _ = storage.remove_item(&storage_key(self.api));
        }
        if let Some(storage) = keep {
            let _ = storage.set_item(&storage_key(self.api), &saved.to_json());
        }
        self.client.set(Some(client));
        self.state.set(LinkState::Connected);
    }

    /// Forgets the connection everywhere; a KinBot session is signed out on its server too.
    pub fn disconnect(self) {
        for storage in [session_storage(), local_storage()].into_iter().flatten() {
            let _ = storage.remove_item(&storage_key(self.api));
        }
        if let Some(client) = self.client.get_untracked() {
            if self.api == Api::KinBot {
                spawn_local(async move {
                    // Best effort: the cookie is the browser's, the session row the server's.
                    let _ = client.kinbot().auth().sign_out().await;
                });
            }
        }
        self.client.set(None);
        self.state.set(LinkState::Unset);
    }

    /// Whether a server is set for this API (tracked).
    pub fn is_set(self) -> bool {
        self.client.with(Option::is_some)
    }

    /// The client (tracked).
    pub fn client(self) -> Option<Client> {
        self.client.get()
    }

    /// The client, without subscribing to changes.
    pub fn client_untracked(self) -> Option<Client> {
        self.client.get_untracked()
    }

    /// Where the connection stands (tracked).
    pub fn state(self) -> LinkState {
        self.state.get()
    }

    /// The server URL, or "" when unset (tracked).
    pub fn server_url(self) -> String {
        self.client.with(|c| {
            c.as_ref()
                .map(|c| c.base_url().to_owned())
                .unwrap_or_default()
        })
    }
}

/// All three connections.
#[derive(Clone, Copy)]
pub struct Connections {
    kino: ApiConnection,
    kinbot: ApiConnection,
    openai: ApiConnection,
}

impl Connections {
    pub fn restore() -> Connections {
        Connections {
            kino: ApiConnection::restore(Api::Kino),
            kinbot: ApiConnection::restore(Api::KinBot),
            openai: ApiConnection::restore(Api::OpenAi),
        }
    }

    pub fn get(self, api: Api) -> ApiConnection {
        match api {
            Api::Kino => self.kino,
            Api::KinBot => self.kinbot,
            Api::OpenAi => self.openai,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_connections_round_trip() {
        for credential in [Credential::ApiKey("k".into()), Credential::Session] {
            let saved = SavedConnection {
                server: "http://127.0.0.1:8080".into(),
                credential,
            };
            assert_eq!(SavedConnection::from_json(&saved.to_json()), Some(saved));
        }
        assert_eq!(SavedConnection::from_json(r#"{"server":"x"}"#), None);
        assert_eq!(SavedConnection::from_json("not json"), None);
    }
}
