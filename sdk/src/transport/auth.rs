//! How a request proves who it is.

use std::fmt;

/// The credential sent with every request of a client.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// No credential (public endpoints such as Kino's `/status`).
    None,
    /// `Authorization: Bearer <token>`: Kino's API key, OpenAI-compatible keys.
    Bearer(String),
    /// `X-Api-Key: <key>`: Kino's alternative header.
    ApiKeyHeader(String),
    /// The session cookie a server sets on sign-in (KinBot's Better Auth, Kino's device sessions),
    /// sent back on every request and never read by the SDK: in a browser the browser keeps it
    /// (requests go out with `credentials: "include"`, so the server's CORS must allow this origin
    /// with credentials); natively each client keeps its own cookie jar. Sign in with the API's own
    /// call (`kinbot().auth().sign_in_email(..)`) on the same client.
    Session,
}

impl Credentials {
    /// The header that carries this credential, if any.
    pub(crate) fn header(&self) -> Option<(&'static str, String)> {
        match self {
            Credentials::None => None,
            Credentials::Bearer(token) => Some(("authorization", format!("Bearer {token}"))),
            Credentials::ApiKeyHeader(key) => Some(("x-api-key", key.clone())),
            Credentials::Session => None,
        }
    }
}

/// Never prints the secret: clients end up in logs and panic messages.
impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::None => f.write_str("None"),
            Credentials::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            Credentials::ApiKeyHeader(_) => f.write_str("ApiKeyHeader(<redacted>)"),
            Credentials::Session => f.write_str("Session"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_redacts_the_secret() {
        let printed = format!(
            "{:?} {:?}",
            Credentials::Bearer("sk-secret".into()),
            Credentials::ApiKeyHeader("k-secret".into())
        );
        assert!(!printed.contains("secret"), "{printed}");
    }

    #[test]
    fn header_forms() {
        assert_eq!(
            Credentials::Bearer("k".into()).header(),
            Some(("authorization", "Bearer k".into()))
        );
        assert_eq!(
            Credentials::ApiKeyHeader("k".into()).header(),
            Some(("x-api-key", "k".into()))
        );
        assert_eq!(Credentials::None.header(), None);
    }
}
