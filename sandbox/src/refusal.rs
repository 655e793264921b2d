//! Refusals made before any API router sees the request (host guard, limits) still answer in the
//! shape of the API the path belongs to: Kino's envelope under `/api/v1`, KinBot's under the rest of
//! `/api` and `/s`, OpenAI's under `/v1`, plain text elsewhere.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// The API a request path belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    Kino,
    KinBot,
    OpenAi,
    Console,
}

impl Surface {
    pub fn of(path: &str) -> Surface {
        let under = |prefix: &str| {
            path == prefix
                || path
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.starts_with('/'))
        };
        if under("/api/v1") {
            Surface::Kino
        } else if under("/api") || under("/s") {
            Surface::KinBot
        } else if under("/v1") {
            Surface::OpenAi
        } else {
            Surface::Console
        }
    }
}

/// An error response for `path` in its API's shape.
pub fn refuse(path: &str, status: StatusCode, code: &'static str, message: &str) -> Response {
    match Surface::of(path) {
        Surface::Kino => crate::kino::envelope(status, code, message),
        // The same envelope; KinBot's codes are UPPER_SNAKE.
        Surface::KinBot => crate::kinbot::envelope(status, &code.to_ascii_uppercase(), message),
        Surface::OpenAi => crate::openai::Error::new(status, code, message).into_response(),
        Surface::Console => (status, message.to_owned()).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surfaces_by_prefix_segment() {
        assert_eq!(Surface::of("/api"), Surface::KinBot);
        assert_eq!(Surface::of("/api/kins"), Surface::KinBot);
        assert_eq!(Surface::of("/s/token"), Surface::KinBot);
        assert_eq!(Surface::of("/api/v1/status"), Surface::Kino);
        assert_eq!(Surface::of("/apis"), Surface::Console);
        assert_eq!(Surface::of("/v1/"), Surface::OpenAi);
        assert_eq!(Surface::of("/v10"), Surface::Console);
        assert_eq!(Surface::of("/"), Surface::Console);
    }
}
