//! The one pager of every list: «Страница X из Y» between the steps back and
//! forward, either as links (a search whose address can be shared) or as
//! buttons that turn a page signal.

use std::rc::Rc;

use leptos::prelude::*;

/// How the pager turns the page.
#[derive(Clone)]
pub enum Turn {
    /// Links to the address of each page.
    Links(Rc<dyn Fn(i64) -> String>),
    /// Buttons that set the page shown.
    Signal(RwSignal<i64>),
}

impl Turn {
    pub fn links(href: impl Fn(i64) -> String + 'static) -> Self {
        Turn::Links(Rc::new(href))
    }
}

/// The number of pages `total` items fill (at least one).
pub fn total_pages(total: i64, per_page: i64) -> i64 {
    let per_page = per_page.max(1);
    ((total + per_page - 1) / per_page).max(1)
}

/// `<nav class="pager">`: `.page-prev`, `.page-number` and `.page-next`;
/// nothing when everything fits on one page.
#[component]
pub fn Pager(
    /// The page shown, from 1.
    current: i64,
    total: i64,
    per_page: i64,
    turn: Turn,
) -> impl IntoView {
    let pages = total_pages(total, per_page);
    let step = move |to: i64, class: &'static str, rel: &'static str, label: &'static str| {
        // A step out of range stays in its place, disabled, so the number does not move.
        let possible = (1..=pages).contains(&to);
        match &turn {
            Turn::Links(href) if possible => view! {
                <a class=format!("button button-secondary {class}") rel=rel href=href(to)>{label}</a>
            }
            .into_any(),
            Turn::Signal(page) => {
                let page = *page;
                view! {
                    <button
                        type="button"
                        class=format!("button button-secondary {class}")
                        disabled=!possible
                        on:click=move |_| page.set(to)
                    >
                        {label}
                    </button>
                }
                .into_any()
            }
            Turn::Links(_) => view! { <span class="pager-gap"></span> }.into_any(),
        }
    };
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label="Страницы списка">
                {step(current - 1, "page-prev", "prev", "← Назад")}
                <span class="page-number">{format!("Страница {} из {pages}", current.min(pages))}</span>
                {step(current + 1, "page-next", "next", "Далее →")}
            </nav>
        }
    })
}
