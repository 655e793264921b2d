use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::page::set_title;
use crate::routes::AppRoute;

#[component]
pub fn NotFound() -> impl IntoView {
    set_title("Page not found".to_owned());
    view! {
        <section class="card narrow">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address."</p>
            <A href=AppRoute::Connect.href()>"Back to the start"</A>
        </section>
    }
}
