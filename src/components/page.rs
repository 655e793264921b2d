//! The frame of every screen: its document title, and for a screen of one API, the check that the API is
//! connected (a screen never repeats that check itself).

use leptos::prelude::*;
use leptos_router::components::A;

use crate::routes::{Api, AppRoute};
use crate::state::Connections;

/// Sets the document title to `title`, for as long as the calling view lives.
pub fn set_title(title: String) {
    let document = document();
    document.set_title(&format!("{title} · Kinlink"));
}

#[component]
pub fn Page(route: AppRoute, children: ChildrenFn) -> impl IntoView {
    set_title(route.title());
    match route.api() {
        None => children().into_any(),
        Some(api) => {
            let connection = expect_context::<Connections>().get(api);
            view! {
                <Show when=move || connection.is_set() fallback=move || view! { <NotConnected api/> }>
                    {children()}
                </Show>
            }
            .into_any()
        }
    }
}

/// What a screen of an API without a connection shows instead.
#[component]
fn NotConnected(api: Api) -> impl IntoView {
    view! {
        <section class="card narrow" data-testid="not-connected">
            <h1>{format!("{} is not connected", api.name())}</h1>
            <p class="muted">
                {format!("This screen needs a {} server ({}). Connect one to use it.", api.name(), api.purpose())}
            </p>
            <A href=AppRoute::ConnectApi(api).href() attr:class="button primary">
                {format!("Connect {}", api.name())}
            </A>
        </section>
    }
}
