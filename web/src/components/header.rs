//! Site header (name, navigation, who is signed in) and footer.

use leptos::prelude::*;
use navigator_shared::accounts::Role;

use crate::api::use_session;
use crate::app::{SITE_NAME, use_region};

#[component]
pub fn Header() -> impl IntoView {
    let session = use_session();
    let region = use_region();
    let region_name = move || region.get().and_then(Result::ok).map(|r| r.name);
    // The tab title names the region as well.
    Effect::new(move || {
        if let Some(name) = region_name() {
            document().set_title(&format!("{SITE_NAME} — {name}"));
        }
    });
    let account = move || {
        if !session.restored() {
            return ().into_any();
        }
        match session.user() {
            Some(user) => view! {
                {matches!(user.role, Role::Parent | Role::Learner)
                    .then(|| {
                        view! {
                            <a id="children-link" href="/children">
                                {if user.role == Role::Learner { "Мой сертификат" } else { "Дети" }}
                            </a>
                            <a id="applications-link" href="/applications">"Мои заявки"</a>
                        }
                    })}
                {(user.role == Role::Admin || user.workplace.as_ref().is_some_and(|w| w.activation_point))
                    .then(|| view! { <a id="desk-link" href="/desk">"Пункт активации"</a> })}
                {matches!(user.role, Role::Operator | Role::Admin)
                    .then(|| {
                        view! {
                            <a id="registry-link" href="/registry">"Реестр"</a>
                            <a id="funding-requests-link" href="/funding-requests">"Номиналы"</a>
                            <a id="funding-periods-link" href="/funding-periods">"Периоды финансирования"</a>
                            <a id="payments-link" href="/payments">"Оплата поставщикам"</a>
                            <a id="stats-link" href="/stats">"Статистика"</a>
                        }
                    })}
                {matches!(user.role, Role::Admin)
                    .then(|| {
                        view! {
                            <a id="calendar-link" href="/calendar">"Календарь"</a>
                            <a id="operators-link" href="/operators">"Сотрудники"</a>
                            <a id="region-link" href="/region-settings">"Регион"</a>
                            <a id="municipalities-link" href="/municipalities">"Муниципалитеты"</a>
                            <a id="integrations-link" href="/integrations">"Интеграции"</a>
                        }
                    })}
                {matches!(user.role, Role::OrgStaff)
                    .then(|| {
                        view! {
                            <a id="cabinet-link" href="/cabinet">"Кабинет организации"</a>
                            <a id="inbox-link" href="/cabinet/applications">"Заявки"</a>
                            <a id="cabinet-reviews-link" href="/cabinet/reviews">"Отзывы"</a>
                            <a id="cabinet-events-link" href="/cabinet/events">"Мероприятия"</a>
                        }
                    })}
                {matches!(user.role, Role::Operator | Role::Admin)
                    .then(|| {
                        view! {
                            <a id="moderation-link" href="/moderation">"Модерация"</a>
                            <a id="moderation-events-link" href="/moderation/events">"Мероприятия на модерации"</a>
                            <a id="moderation-reviews-link" href="/moderation/reviews">"Отзывы и жалобы"</a>
                            <a id="organizations-link" href="/organizations-registry">"Организации"</a>
                        }
                    })}
                <a id="messages-link" href="/messages">
                    "Сообщения"
                </a>
                <a id="user-name" href="/profile">
                    {format!("{} {}", user.last_name, user.first_name)}
                </a>
                <a id="logout-link" href="/logout">
                    "Выйти"
                </a>
            }
            .into_any(),
            None => view! {
                <a id="login-link" href="/login">
                    "Войти"
                </a>
                <a id="register-link" class="nav-accent" href="/register">
                    "Регистрация"
                </a>
            }
            .into_any(),
        }
    };
    // On a phone the links fold behind «Меню»; following one folds them again.
    let open = RwSignal::new(false);
    view! {
        <header class="site-header">
            <div class="container header-row">
                <a class="brand" href="/">
                    <span class="brand-name">{SITE_NAME}</span>
                    {move || region_name().map(|name| view! { <span class="brand-region">{format!("— {name}")}</span> })}
                </a>
                <button
                    type="button"
                    id="menu-toggle"
                    class="menu-toggle button button-secondary"
                    aria-controls="site-nav"
                    aria-expanded=move || open.get().to_string()
                    on:click=move |_| open.update(|o| *o = !*o)
                >
                    {move || if open.get() { "Закрыть" } else { "Меню" }}
                </button>
                <nav
                    id="site-nav"
                    class="site-nav"
                    class:open=move || open.get()
                    aria-label="Основное меню"
                    on:click=move |_| open.set(false)
                >
                    <a id="catalog-link" href="/catalog">
                        "Каталог"
                    </a>
                    <a id="events-link" href="/events">
                        "Мероприятия"
                    </a>
                    <a href="/">"Главная"</a>
                    <a id="activation-points-link" href="/activation-points">
                        "Пункты активации"
                    </a>
                    {account}
                </nav>
            </div>
        </header>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="container">
                <p>{SITE_NAME}</p>
                <p>"Вопросы о работе сервиса — в ваш муниципальный орган управления образованием."</p>
            </div>
        </footer>
    }
}
