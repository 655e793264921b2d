//! Every place in the console, as a value: links and the route table are both built from [`AppRoute`],
//! so no screen writes an `href` by hand and a renamed path changes everywhere at once.

use std::fmt;
use std::str::FromStr;

/// The three APIs the console speaks, each with its own server and credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Api {
    Kino,
    KinBot,
    OpenAi,
}

impl Api {
    pub const ALL: [Api; 3] = [Api::Kino, Api::KinBot, Api::OpenAi];

    /// The path segment and storage name (`/connect/kinbot`).
    pub fn slug(self) -> &'static str {
        match self {
            Api::Kino => "kino",
            Api::KinBot => "kinbot",
            Api::OpenAi => "openai",
        }
    }

    /// As the user reads it.
    pub fn name(self) -> &'static str {
        match self {
            Api::Kino => "Kino",
            Api::KinBot => "KinBot",
            Api::OpenAi => "OpenAI-compatible",
        }
    }

    /// What it is, for the connect screen.
    pub fn purpose(self) -> &'static str {
        match self {
            Api::Kino => "media automation",
            Api::KinBot => "AI agents",
            Api::OpenAi => "chat models",
        }
    }
}

impl fmt::Display for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Not one of the three APIs' slugs.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownApi;

impl fmt::Display for UnknownApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not an API this console knows")
    }
}

impl std::error::Error for UnknownApi {}

impl FromStr for Api {
    type Err = UnknownApi;

    fn from_str(slug: &str) -> Result<Api, UnknownApi> {
        Api::ALL
            .into_iter()
            .find(|api| api.slug() == slug)
            .ok_or(UnknownApi)
    }
}

/// Path segments, shared by the route table (`app.rs`) and [`AppRoute::href`].
pub mod segment {
    pub const CONNECT: &str = "connect";
    pub const KINO: &str = "kino";
    pub const STATUS: &str = "status";
    pub const KINBOT: &str = "kinbot";
    pub const ACCOUNT: &str = "account";
    pub const CHAT: &str = "chat";
    /// The parameter of [`super::AppRoute::ConnectApi`].
    pub const API_PARAM: &str = "api";
}

/// A place in the console.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppRoute {
    /// The three connections at a glance, and "use this server for all".
    Connect,
    /// Set or change one API's connection.
    ConnectApi(Api),
    KinoStatus,
    KinBotAccount,
    Chat,
}

impl AppRoute {
    /// Screens listed in the top bar, in order.
    pub const NAVIGATION: [AppRoute; 3] = [
        AppRoute::KinoStatus,
        AppRoute::KinBotAccount,
        AppRoute::Chat,
    ];

    pub fn href(self) -> String {
        use segment::*;
        match self {
            AppRoute::Connect => "/".to_owned(),
            AppRoute::ConnectApi(api) => format!("/{CONNECT}/{}", api.slug()),
            AppRoute::KinoStatus => format!("/{KINO}/{STATUS}"),
            AppRoute::KinBotAccount => format!("/{KINBOT}/{ACCOUNT}"),
            AppRoute::Chat => format!("/{CHAT}"),
        }
    }

    /// The document title's first part, and the top bar's label.
    pub fn title(self) -> String {
        match self {
            AppRoute::Connect => "Connections".to_owned(),
            AppRoute::ConnectApi(api) => format!("Connect {}", api.name()),
            AppRoute::KinoStatus => "Kino status".to_owned(),
            AppRoute::KinBotAccount => "KinBot account".to_owned(),
            AppRoute::Chat => "Chat".to_owned(),
        }
    }

    /// The API whose connection the screen needs, if any.
    pub fn api(self) -> Option<Api> {
        match self {
            AppRoute::Connect | AppRoute::ConnectApi(_) => None,
            AppRoute::KinoStatus => Some(Api::Kino),
            AppRoute::KinBotAccount => Some(Api::KinBot),
            AppRoute::Chat => Some(Api::OpenAi),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_api_round_trips_through_its_slug() {
        for api in Api::ALL {
            assert_eq!(api.slug().parse::<Api>(), Ok(api));
            assert_eq!(
                AppRoute::ConnectApi(api).href(),
                format!("/connect/{}", api.slug())
            );
        }
        assert_eq!("kinbots".parse::<Api>(), Err(UnknownApi));
    }

    #[test]
    fn screens_name_the_api_they_need() {
        assert_eq!(AppRoute::KinoStatus.href(), "/kino/status");
        assert_eq!(AppRoute::Chat.api(), Some(Api::OpenAi));
        assert_eq!(AppRoute::Connect.api(), None);
    }
}
