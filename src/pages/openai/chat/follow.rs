//! Following a streaming reply: the page scrolls with the reply while the reader is at the bottom, and
//! stops as soon as they scroll up to read something else; scrolling back down resumes it.

use leptos::ev;
use leptos::prelude::*;

/// How close to the bottom still counts as "at the bottom", in CSS pixels.
const SLACK: f64 = 48.0;

#[derive(Clone, Copy)]
pub struct FollowBottom {
    following: RwSignal<bool>,
}

fn page_bottom() -> Option<(f64, f64)> {
    let window = web_sys::window()?;
    let root = window.document()?.document_element()?;
    let viewport_bottom = window.scroll_y().ok()? + window.inner_height().ok()?.as_f64()?;
    Some((viewport_bottom, f64::from(root.scroll_height())))
}

impl FollowBottom {
    /// Listens to the page's scrolling for as long as the calling view lives.
    pub fn new() -> FollowBottom {
        let follow = FollowBottom {
            following: RwSignal::new(true),
        };
        let listener = window_event_listener(ev::scroll, move |_| {
            if let Some((seen, height)) = page_bottom() {
                follow.following.set(seen >= height - SLACK);
            }
        });
        on_cleanup(move || listener.remove());
        follow
    }

    /// Follows again (a new message was sent).
    pub fn resume(self) {
        self.following.set(true);
    }

    /// Scrolls to the bottom after the next paint, when following.
    pub fn keep_in_view(self) {
        if !self.following.get_untracked() {
            return;
        }
        request_animation_frame(move || {
            // The reader may have scrolled up since the token arrived: that frame's scroll event ran first.
            if !self.following.get_untracked() {
                return;
            }
            if let (Some(window), Some((_, height))) = (web_sys::window(), page_bottom()) {
                window.scroll_to_with_x_and_y(0.0, height);
            }
        });
    }
}
