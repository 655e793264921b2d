//! KinBot, the AI agents platform: `/api`, camelCase JSON, `{"error":{"code","message"}}` (Better
//! Auth's flat `{message, code}` on `/api/auth/*`), a session cookie for credentials.
//!
//! Every operation and type comes from the project's contract (`contracts/kinbot.json`, written from
//! the real server's facts, with its overlay) through [`generated`]: one handle per tag, e.g.
//! `client.kinbot().kins().list()`, `client.kinbot().messages().send(kin, &body)`,
//! `client.kinbot().mini_apps().set_storage(app, key, &value)`. Timestamps decode from either of the
//! server's two forms into one [`Timestamp`].

pub mod generated;
mod timestamp;

pub use generated::*;
pub use timestamp::{Form as TimestampForm, Timestamp};

use crate::transport::RequestOptions;
use crate::Client;

/// KinBot's operations, borrowed from a [`Client`]; its handles (one per tag) are generated.
#[derive(Debug, Clone)]
pub struct KinBot<'c> {
    client: &'c Client,
    options: RequestOptions,
}

impl<'c> KinBot<'c> {
    pub(crate) fn new(client: &'c Client) -> Self {
        KinBot {
            client,
            options: RequestOptions::default(),
        }
    }

    /// The same operations with per-call retries, timeouts or headers.
    pub fn with_options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }
}
