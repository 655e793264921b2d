//! The model picker, filled from the server's model list. It says whether a model can be used: only
//! one the server listed, so Send never goes out with a model that is not on screen.

use kinlink::openai::Model;
use kinlink::Client;
use leptos::prelude::*;

use crate::components::error_banner::ErrorBanner;

#[component]
pub fn ModelPicker(
    client: Signal<Option<Client>>,
    model: RwSignal<String>,
    /// Set while the list is loaded and `model` is one of its models.
    ready: RwSignal<bool>,
) -> impl IntoView {
    let models = LocalResource::new(move || {
        let client = client.get();
        async move {
            let client = client?;
            Some(client.models().list().await)
        }
    });
    // Keep the saved model when the server offers it, else take the first one.
    Effect::new(move |_| {
        let usable = match models.get() {
            Some(Some(Ok(list))) => {
                let current = model.get_untracked();
                if !list.iter().any(|m| m.id == current) {
                    model.set(list.first().map(|m| m.id.clone()).unwrap_or_default());
                }
                !list.is_empty()
            }
            _ => false,
        };
        ready.set(usable);
    });

    view! {
        <Transition fallback=|| view! {
            <span class="label">"Model"</span>
            <p class="muted" data-testid="models-loading">"Loading models…"</p>
        }>
            {move || models.get().map(|loaded| match loaded {
                Some(Ok(list)) => picker(list, model),
                Some(Err(error)) => view! {
                    <span class="label">"Model"</span>
                    <ErrorBanner error/>
                }
                .into_any(),
                None => view! { <span class="label">"Model"</span><p class="muted">"Not connected."</p> }.into_any(),
            })}
        </Transition>
    }
}

fn picker(list: Vec<Model>, model: RwSignal<String>) -> AnyView {
    let empty = list.is_empty();
    view! {
        <label for="model">"Model"</label>
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
