//! `/organizations/{id}`: an organization and its programs in the catalog.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use navigator_shared::catalog::CatalogQuery;
use navigator_shared::organizations::{OrganizationCard, OrganizationStatus};

use super::item::{BackToCatalog, Loading, ProgramItem, page_title, phone_href, phone_text};
use crate::api::catalog;
use crate::components::{Pager, Turn};

/// `/organizations/{id}?page=N`.
#[component]
pub fn PublicOrganization() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| params.with(|p| p.get_str("id").and_then(|v| v.parse::<i64>().ok())));
    let page = Memo::new(move |_| {
        query.with(|q| q.get_str("page").and_then(|v| v.parse::<i64>().ok()).filter(|p| *p >= 1).unwrap_or(1))
    });
    let organization = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => Some(catalog::organization(id).await),
                None => None,
            }
        }
    });
    let body = move || match organization.get() {
        None => view! { <Loading /> }.into_any(),
        Some(None) => view! { <Missing /> }.into_any(),
        Some(Some(Err(problem))) if problem.status == 404 => view! { <Missing /> }.into_any(),
        Some(Some(Err(problem))) => view! {
            <div class="form-error" role="alert">
                <p>{problem.detail}</p>
                <button type="button" class="button button-secondary" on:click=move |_| organization.refetch()>
                    "Повторить"
                </button>
            </div>
        }
        .into_any(),
        Some(Some(Ok(card))) => view! { <Organization card=card page=page /> }.into_any(),
    };
    view! {
        <div class="page organization-page">
            <BackToCatalog />
            {body}
        </div>
    }
}

#[component]
fn Missing() -> impl IntoView {
    view! {
        <section class="card empty-state" id="organization-missing">
            <h1>"Организация не найдена"</h1>
            <p>"Возможно, ссылка устарела. Найдите программы и организации в каталоге."</p>
            <p>
                <a class="button" href="/catalog">
                    "Открыть каталог"
                </a>
            </p>
        </section>
    }
}

/// The address of a website, with a scheme, and the text to show.
fn website(site: &str) -> (String, String) {
    let site = site.trim();
    let href = if site.starts_with("http://") || site.starts_with("https://") {
        site.to_owned()
    } else {
        format!("https://{site}")
    };
    let text = site.trim_start_matches("https://").trim_start_matches("http://").trim_end_matches('/').to_owned();
    (href, text)
}

#[component]
fn Organization(card: OrganizationCard, page: Memo<i64>) -> impl IntoView {
    page_title(&card.name);
    let id = card.id;
    let count = card.programs_count;
    let programs = LocalResource::new(move || {
        let page = page.get();
        let query = CatalogQuery { organization_id: Some(id), page: Some(page), ..CatalogQuery::default() };
        async move { catalog::programs(&query).await }
    });
    let list = move || match programs.get() {
        None => view! { <Loading text="Загружаем программы…" /> }.into_any(),
        Some(Err(problem)) => view! {
            <div class="form-error" role="alert">
                <p>{problem.detail}</p>
                <button type="button" class="button button-secondary" on:click=move |_| programs.refetch()>
                    "Повторить"
                </button>
            </div>
        }
        .into_any(),
        Some(Ok(found)) if found.total == 0 => {
            view! { <p class="muted">"Сейчас у организации нет программ в каталоге."</p> }.into_any()
        }
        Some(Ok(found)) => {
            let href = move |number: i64| {
                if number > 1 { format!("/organizations/{id}?page={number}") } else { format!("/organizations/{id}") }
            };
            view! {
                <div class="program-list">
                    {found
                        .items
                        .into_iter()
                        .map(|program| view! { <ProgramItem program=program heading=3 show_organization=false /> })
                        .collect_view()}
                </div>
                <Pager current=found.page total=found.total per_page=found.per_page turn=Turn::links(href) />
            }
            .into_any()
        }
    };
    let (site_href, site_text) = website(&card.website);
    view! {
        <article class="organization-card" data-organization-id=id.to_string()>
            <header class="card">
                <h1>{card.name.clone()}</h1>
                <p class="muted organization-kind">{card.kind.title()}</p>
                <div class="badges">
                    {card
                        .is_provider
                        .then(|| view! { <span class="badge badge-verified">"Проверенная организация"</span> })}
                    {card
                        .can_activate
                        .then(|| view! { <span class="badge">"Пункт активации сертификатов"</span> })}
                </div>
                {(card.status == OrganizationStatus::Suspended)
                    .then(|| {
                        view! {
                            <p class="info-note">
                                "Организация приостановила работу в Навигаторе: запись на её программы сейчас недоступна."
                            </p>
                        }
                    })}
                <dl class="summary">
                    {(!card.address.is_empty())
                        .then(|| {
                            view! {
                                <dt>"Адрес"</dt>
                                <dd class="organization-address">{card.address.clone()}</dd>
                            }
                        })}
                    {(!card.phone.is_empty())
                        .then(|| {
                            view! {
                                <dt>"Телефон"</dt>
                                <dd>
                                    <a class="organization-phone" href=phone_href(&card.phone)>
                                        {phone_text(&card.phone)}
                                    </a>
                                </dd>
                            }
                        })}
                    {(!card.email.is_empty())
                        .then(|| {
                            view! {
                                <dt>"Электронная почта"</dt>
                                <dd>
                                    <a class="organization-email" href=format!("mailto:{}", card.email)>
                                        {card.email.clone()}
                                    </a>
                                </dd>
                            }
                        })}
                    {(!card.website.trim().is_empty())
                        .then(|| {
                            view! {
                                <dt>"Сайт"</dt>
                                <dd>
                                    <a class="organization-website" href=site_href rel="noopener external">
                                        {site_text}
                                    </a>
                                </dd>
                            }
                        })}
                    <dt>"ИНН"</dt>
                    <dd>{card.inn.clone()}</dd>
                </dl>
            </header>
            <section class="organization-programs" aria-labelledby="organization-programs-title">
                <h2 id="organization-programs-title">
                    {format!("Программы в каталоге: {count}")}
                </h2>
                {list}
            </section>
        </article>
    }
}
