//! A guard for pages that only a signed-in user may see.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api::use_session;

/// Shows `children` to a signed-in user; sends everyone else to `/login`
/// once the start-up session restore has finished, with the page asked for
/// as `next`, where signing in brings them back.
#[component]
pub fn RequireAuth(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let location = use_location();
    Effect::new(move || {
        if session.restored() && !session.signed_in() {
            let (path, query) = (location.pathname.get_untracked(), location.search.get_untracked());
            let here = if query.is_empty() { path } else { format!("{path}?{query}") };
            let next: String = js_sys::encode_uri_component(&here).into();
            navigate(&format!("/login?next={next}"), NavigateOptions { replace: true, ..Default::default() });
        } else if session.user().is_some_and(|u| u.second_factor_required) && location.pathname.get() != "/profile" {
            // An admin who must turn the second factor on first (in
            // production): every other page is closed to him until then.
            navigate("/profile", NavigateOptions { replace: true, ..Default::default() });
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
