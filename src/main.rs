//! The Kinlink console: a client-side rendered Leptos app over the `kinlink` SDK.

mod app;
mod components;
mod pages;
mod routes;
mod state;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
