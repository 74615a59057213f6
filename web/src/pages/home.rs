use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use navigator_shared::catalog::Direction;

use crate::api::use_session;
use crate::app::{SITE_NAME, use_region};

#[component]
pub fn Home() -> impl IntoView {
    let session = use_session();
    let region = use_region();
    let navigate = use_navigate();
    let search = RwSignal::new(String::new());
    let on_search = move |ev: SubmitEvent| {
        ev.prevent_default();
        let text = search.get_untracked().trim().to_owned();
        let href = if text.is_empty() {
            "/catalog".to_owned()
        } else {
            format!("/catalog?q={}", String::from(js_sys::encode_uri_component(&text)))
        };
        navigate(&href, NavigateOptions::default());
    };
    let directions = Direction::ALL
        .iter()
        .map(|d| {
            view! {
                <li>
                    <a href=format!("/catalog?direction={}", d.as_str())>{d.title()}</a>
                </li>
            }
        })
        .collect_view();
    let ages = move || {
        region
            .get()
            .and_then(Result::ok)
            .map(|r| format!(" для детей от {} до {} лет", r.child_age_min, r.child_age_max))
            .unwrap_or_default()
    };
    let greeting = move || {
        session.user().map(|user| {
            let name = [user.first_name, user.middle_name].join(" ").trim().to_owned();
            view! {
                <section class="card">
                    <h2>{format!("Здравствуйте, {name}!")}</h2>
                    <p>
                        "Добавьте детей и получите для них сертификат дополнительного образования. "
                        "Скоро здесь появится запись на программы."
                    </p>
                    <div class="actions">
                        <a class="button" href="/children">
                            "Дети и сертификаты"
                        </a>
                        <a class="button button-secondary" href="/profile">
                            "Личный кабинет"
                        </a>
                    </div>
                </section>
            }
        })
    };
    let invitation = move || {
        (session.restored() && !session.signed_in()).then(|| {
            view! {
                <div class="actions">
                    <a class="button" href="/register">
                        "Зарегистрироваться"
                    </a>
                    <a class="button button-secondary" href="/login">
                        "Войти"
                    </a>
                </div>
            }
        })
    };
    view! {
        <section class="hero">
            <h1>{SITE_NAME}</h1>
            <p class="lead">
                "Кружки, секции и студии" {ages} " — в одном месте: "
                "спортивные, технические, художественные, естественнонаучные, туристические и социальные программы."
            </p>
            <form id="home-search" class="home-search" role="search" action="/catalog" method="get" on:submit=on_search>
                <label for="home-q">"Найдите кружок или секцию"</label>
                <div class="search-row">
                    <input
                        id="home-q"
                        name="q"
                        type="search"
                        placeholder="робототехника, танцы, шахматы…"
                        autocomplete="off"
                        enterkeyhint="search"
                        bind:value=search
                    />
                    <button type="submit" class="button">
                        "Найти"
                    </button>
                </div>
            </form>
            <nav class="home-directions" aria-label="Направленности программ">
                <ul>{directions}</ul>
                <a id="all-programs-link" class="all-programs" href="/catalog">
                    "Все программы →"
                </a>
            </nav>
            {invitation}
        </section>
        {greeting}
        <section class="features">
            <article class="card">
                <h2>"Найдите занятие"</h2>
                <p>"Выбирайте программы рядом с домом по направлению, возрасту ребёнка и расписанию."</p>
            </article>
            <article class="card">
                <h2>"Получите сертификат"</h2>
                <p>
                    "Сертификат дополнительного образования позволяет учиться бесплатно "
                    "или с частичной оплатой из бюджета."
                </p>
            </article>
            <article class="card">
                <h2>"Записывайтесь онлайн"</h2>
                <p>"Подайте заявку без визита в организацию и следите за её статусом в личном кабинете."</p>
            </article>
        </section>
    }
}
