//! Downloads of files the API makes for the signed-in person.

use std::future::Future;

use leptos::prelude::*;
use navigator_shared::Problem;
use wasm_bindgen::JsCast;

use super::{FormError, FormStatus};

/// A link to a file the API makes for the signed-in person (`a.{class}`,
/// reading `title`): the first click fetches the file with the session's
/// token and hands it to the browser; from then on the link points at the
/// fetched file (`data-loaded="true"`). `about` says which file, to a screen reader.
#[component]
pub fn FileLink<Fut>(
    class: &'static str,
    title: &'static str,
    file: String,
    about: String,
    load: impl Fn() -> Fut + 'static,
) -> impl IntoView
where
    Fut: Future<Output = Result<web_sys::Blob, Problem>> + 'static,
{
    let url = RwSignal::new(None::<String>);
    let status = FormStatus::new();
    let saved_as = file.clone();
    let fetch = status.action(
        move |()| load(),
        move |blob: web_sys::Blob| {
            if let Ok(href) = web_sys::Url::create_object_url_with_blob(&blob) {
                hand_over(&href, &saved_as);
                url.set(Some(href));
            }
        },
    );
    let pending = fetch.pending();
    on_cleanup(move || {
        if let Some(href) = url.try_get_untracked().flatten() {
            let _ = web_sys::Url::revoke_object_url(&href);
        }
    });
    view! {
        <a
            class=format!("button button-secondary {class}")
            href=move || url.get().unwrap_or_else(|| "#".to_owned())
            download=move || url.with(Option::is_some).then(|| file.clone())
            data-loaded=move || url.with(Option::is_some).then_some("true")
            on:click=move |ev| {
                if url.with_untracked(Option::is_none) {
                    ev.prevent_default();
                    if !pending.get_untracked() {
                        status.clear();
                        fetch.dispatch_local(());
                    }
                }
            }
        >
            {move || if pending.get() { "Готовим файл…" } else { title }}
            <span class="visually-hidden">{format!(": {about}")}</span>
        </a>
        <FormError status=status />
    }
}

/// Hands the file at `href` to the browser as a download named `name`.
fn hand_over(href: &str, name: &str) {
    if let Ok(link) = document().create_element("a") {
        let _ = link.set_attribute("href", href);
        let _ = link.set_attribute("download", name);
        if let Some(link) = link.dyn_ref::<web_sys::HtmlElement>() {
            link.click();
        }
    }
}
