//! A guard for pages that only a signed-in user may see.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use crate::api::use_session;

/// Shows `children` to a signed-in user; sends everyone else to `/login`
/// once the start-up session restore has finished.
#[component]
pub fn RequireAuth(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    Effect::new(move || {
        if session.restored() && !session.signed_in() {
            navigate("/login", NavigateOptions { replace: true, ..Default::default() });
        }
    });
    view! {
        <Show
            when=move || session.restored() && session.signed_in()
            fallback=|| view! { <p class="loading">"Загрузка…"</p> }
        >
            {children()}
        </Show>
    }
}
