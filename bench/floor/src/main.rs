//! The smallest Leptos client-rendered page, built with the console's release profile and Trunk
//! settings: what any Leptos app costs before it does anything (scripts/bench's first-load floor).

use leptos::prelude::*;

fn main() {
    leptos::mount::mount_to_body(|| {
        view! {
            <main>
                <h1>"Floor"</h1>
            </main>
        }
    });
}
