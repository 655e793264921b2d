//! The model picker, filled from the server's model list.

use kinlink::openai::Model;
use kinlink::Client;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::error_banner::ErrorBanner;

#[component]
pub fn ModelPicker(client: Signal<Option<Client>>, model: RwSignal<String>) -> impl IntoView {
    let models = LocalResource::new(move || {
        let client = client.get();
        async move {
            let client = client?;
            Some(client.models().list().await)
        }
    });
    // Keep the saved model when the server offers it, else take the first one.
    Effect::new(move |_| {
        if let Some(Some(Ok(list))) = models.get() {
            let current = model.get_untracked();
            if !list.iter().any(|m| m.id == current) {
                model.set(list.first().map(|m| m.id.clone()).unwrap_or_default());
            }
        }
    });

    view! {
        <Suspense fallback=|| view! { <p class="muted" data-testid="models-loading">"Loading models…"</p> }>
            {move || models.get().map(|loaded| match loaded {
                None => view! {
                    <p class="muted">"Not connected. " <A href="/">"Connect to a server"</A> " or choose one under Server."</p>
                }.into_any(),
                Some(Err(error)) => view! { <ErrorBanner error/> }.into_any(),
                Some(Ok(list)) => picker(list, model),
            })}
        </Suspense>
    }
}

fn picker(list: Vec<Model>, model: RwSignal<String>) -> AnyView {
    let empty = list.is_empty();
    view! {
        <select
            id="model"
            data-testid="model-select"
            disabled=empty
            on:change=move |ev| model.set(event_target_value(&ev))
        >
            {empty.then(|| view! { <option value="">"The server offers no models"</option> })}
            {list.into_iter().map(|m| {
                let (id, value, label) = (m.id.clone(), m.id.clone(), m.id);
                let selected = move || model.with(|current| *current == id);
                view! { <option value=value prop:selected=selected>{label}</option> }
            }).collect_view()}
        </select>
    }
    .into_any()
}
