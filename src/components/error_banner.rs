//! A readable banner for any SDK error. Server text is rendered as text nodes, never as HTML.

use kinlink::{ApiError, ErrorKind};
use leptos::prelude::*;

/// A one-line headline for what the user can do about an error.
pub fn headline(error: &ApiError) -> &'static str {
    match error.kind {
        ErrorKind::Unauthorized => "The server rejected this API key.",
        ErrorKind::Forbidden => "This key is not allowed to do that.",
        ErrorKind::Network => "The server could not be reached.",
        ErrorKind::Timeout => "The server took too long to answer.",
        ErrorKind::RateLimited => "The server is rate limiting requests.",
        ErrorKind::Unavailable => "The server or one of its dependencies is unavailable.",
        ErrorKind::NotFound => "Not found.",
        ErrorKind::InvalidArgument => "That input is not valid.",
        ErrorKind::Aborted => "Stopped.",
        ErrorKind::Decode => "The server answered with something unexpected.",
        _ => "Something went wrong.",
    }
}

#[component]
pub fn ErrorBanner(error: ApiError) -> impl IntoView {
    let detail = error.to_string();
    view! {
        <div class="banner banner-error" role="alert">
            <strong>{headline(&error)}</strong>
            <span class="banner-detail">{detail}</span>
        </div>
    }
}
