//! Who this browser is signed in to KinBot as, until when, and a way to sign out.

use kinlink::kinbot::AuthSessionResponse;
use kinlink::ApiError;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::error_banner::ErrorBanner;
use crate::routes::{Api, AppRoute};
use crate::state::Connections;

#[component]
pub fn AccountPage() -> impl IntoView {
    let connection = expect_context::<Connections>().get(Api::KinBot);
    // Untracked: this screen only exists while KinBot is connected (`Page`), and a sign-out must not
    // start a fetch for a screen that is being taken down.
    let session = LocalResource::new(move || {
        let client = connection.client_untracked();
        async move {
            match client {
                Some(client) => client.kinbot().auth().get_session().await,
                None => Ok(None),
            }
        }
    });

    let server = connection
        .client_untracked()
        .map(|c| c.base_url().to_owned())
        .unwrap_or_default();

    view! {
        <section class="card">
            <div class="card-head">
                <h1>"KinBot account"</h1>
                <button class="secondary" on:click=move |_| session.refetch()>"Refresh"</button>
            </div>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || session.try_get().flatten().map(|loaded| account_view(loaded, server.clone()))}
            </Transition>
        </section>
    }
}

fn account_view(loaded: Result<Option<AuthSessionResponse>, ApiError>, server: String) -> AnyView {
    let connection = expect_context::<Connections>().get(Api::KinBot);
    match loaded {
        Err(error) => view! { <ErrorBanner error/> }.into_any(),
        Ok(None) => view! {
            <p data-testid="signed-out">
                {format!("This browser is not signed in to {server}. ")}
                <A href=AppRoute::ConnectApi(Api::KinBot).href()>"Sign in again"</A>
            </p>
        }
        .into_any(),
        Ok(Some(AuthSessionResponse { session, user, .. })) => view! {
            <dl class="facts">
                <dt>"Name"</dt><dd data-testid="kinbot-user">{user.name}</dd>
                <dt>"Email"</dt><dd>{user.email}</dd>
                <dt>"Server"</dt><dd>{server}</dd>
                <dt>"Session ends"</dt><dd>{session.expires_at.to_string()}</dd>
            </dl>
            <button type="button" class="secondary" on:click=move |_| connection.disconnect()>"Sign out"</button>
        }
        .into_any(),
    }
}
