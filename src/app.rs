//! The shell: the connections, the top bar and the route table. Paths come from [`crate::routes`], the
//! same values every link is built from.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::{ParamSegment, StaticSegment};

use crate::components::connection_status::ConnectionStatus;
use crate::components::page::Page;
use crate::pages::connect::api_form::ConnectApiPage;
use crate::pages::connect::ConnectPage;
use crate::pages::kinbot::account::AccountPage;
use crate::pages::kino::status::StatusPage;
use crate::pages::not_found::NotFound;
use crate::pages::openai::chat::ChatPage;
use crate::routes::{segment, AppRoute};
use crate::state::Connections;

#[component]
pub fn App() -> impl IntoView {
    provide_context(Connections::restore());

    view! {
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="topbar">
                <A href=AppRoute::Connect.href() attr:class="brand">"Kinlink"</A>
                <nav class="topnav" aria-label="Screens">
                    {AppRoute::NAVIGATION.into_iter().map(|route| view! {
                        <A href=route.href()>{route.title()}</A>
                    }).collect_view()}
                </nav>
                <ConnectionStatus/>
            </header>
            <main class="content" id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=StaticSegment("") view=|| view! {
                        <Page route=AppRoute::Connect><ConnectPage/></Page>
                    }/>
                    <Route
                        path=(StaticSegment(segment::CONNECT), ParamSegment(segment::API_PARAM))
                        view=ConnectApiPage
                    />
                    <Route path=(StaticSegment(segment::KINO), StaticSegment(segment::STATUS)) view=|| view! {
                        <Page route=AppRoute::KinoStatus><StatusPage/></Page>
                    }/>
                    <Route path=(StaticSegment(segment::KINBOT), StaticSegment(segment::ACCOUNT)) view=|| view! {
                        <Page route=AppRoute::KinBotAccount><AccountPage/></Page>
                    }/>
                    <Route path=StaticSegment(segment::CHAT) view=|| view! {
                        <Page route=AppRoute::Chat><ChatPage/></Page>
                    }/>
                </Routes>
            </main>
        </Router>
    }
}
