//! The shell: connection state, top bar and the route table.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

use crate::pages::connect::ConnectPage;
use crate::pages::kino::status::StatusPage;
use crate::pages::not_found::NotFound;
use crate::pages::openai::chat::ChatPage;
use crate::state::Connection;

#[component]
pub fn App() -> impl IntoView {
    let connection = Connection::restore();
    provide_context(connection);

    view! {
        <Router>
            <header class="topbar">
                <A href="/" attr:class="brand">"Kinlink"</A>
                <nav class="topnav">
                    <Show when=move || connection.is_connected()>
                        <A href="/kino/status">"Kino status"</A>
                        <A href="/chat">"Chat"</A>
                    </Show>
                </nav>
                <ConnectionBadge/>
            </header>
            <main class="content">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=ConnectPage/>
                    <Route path=path!("/kino/status") view=StatusPage/>
                    <Route path=path!("/chat") view=ChatPage/>
                </Routes>
            </main>
        </Router>
    }
}

/// Which server the console talks to, and a way to leave it.
#[component]
fn ConnectionBadge() -> impl IntoView {
    let connection = expect_context::<Connection>();
    view! {
        <Show when=move || connection.is_connected()>
            <div class="badge">
                <span class="badge-dot"></span>
                <span class="badge-url">{move || connection.server_url()}</span>
                <button class="link-button" on:click=move |_| connection.disconnect()>"Disconnect"</button>
            </div>
        </Show>
    }
}
