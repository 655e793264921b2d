//! A readable banner for any SDK error. Server text is rendered as text nodes, never as HTML.

use kinlink::{ApiError, ErrorKind};
use leptos::prelude::*;

/// A one-line headline for what the user can do about an error.
pub fn headline(error: &ApiError) -> &'static str {
    match error.kind {
        ErrorKind::Unauthorized => "The server did not accept these credentials.",
        ErrorKind::Forbidden => "These credentials are not allowed to do that.",
        // A browser may not learn why a request failed; the SDK's second look tells these apart.
        ErrorKind::Network => match error.reached_server {
            Some(true) => "The server answered, but does not accept requests from this page.",
            Some(false) => "Nothing answered at this address.",
            None => "The server could not be reached, or refused requests from this page.",
        },
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

/// An `ErrorBoundary`'s errors: SDK errors as their banner, anything else by its message.
#[component]
pub fn ErrorsView(errors: ArcRwSignal<Errors>) -> impl IntoView {
    move || {
        errors
            .get()
            .into_iter()
            .map(|(_, error)| match (**error).downcast_ref::<ApiError>() {
                Some(error) => view! { <ErrorBanner error=error.clone()/> }.into_any(),
                None => view! {
                    <div class="banner banner-error" role="alert">
                        <strong>"Something went wrong."</strong>
                        <span class="banner-detail">{error.to_string()}</span>
                    </div>
                }
                .into_any(),
            })
            .collect_view()
    }
}
