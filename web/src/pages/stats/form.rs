//! `/stats/form-1dop`: the federal form 1-ДОП of a year (the last finished
//! one by default) as a table, with its CSV and Excel files. The year and
//! the admin's municipality live in the URL (`year`, `municipality_id`).

use chrono::Datelike;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use navigator_shared::FieldErrors;
use navigator_shared::stats::{FormQuery, StatsQuery, file_name};

use super::{DataTable, chosen_municipality, file_links, href, is_admin, municipality_of, sync};
use crate::api::{stats, use_session};
use crate::components::{Field, FormError, FormStatus, MunicipalitySelect};
use crate::dates;
use crate::pages::cabinet::widgets::{loading_view, problem_view};
use crate::pages::catalog::page_title;

/// The form the URL asks for.
fn form_query(params: &ParamsMap) -> FormQuery {
    FormQuery {
        municipality_id: municipality_of(params),
        year: params.get_str("year").and_then(|v| v.trim().parse().ok()),
    }
}

/// `/stats/form-1dop`.
#[component]
pub fn Form1Dop() -> impl IntoView {
    page_title("Форма 1-ДОП");
    let session = use_session();
    let admin = is_admin(session);
    let params = use_query_map();
    let navigate = use_navigate();
    let query = Memo::new(move |_| params.with(form_query));
    // The API's default: the last finished year.
    let last_year = dates::today().year() - 1;

    let year = RwSignal::new(String::new());
    let municipality = RwSignal::new(String::new());
    let status = FormStatus::new();
    Effect::new(move || {
        query.with(|q| {
            sync(year, q.year.unwrap_or(last_year).to_string());
            sync(municipality, q.municipality_id.map(|id| id.to_string()).unwrap_or_default());
        });
        status.clear();
    });

    let answer = LocalResource::new(move || {
        let query = query.get();
        async move {
            let answer = stats::form(session, &query).await;
            (query, answer)
        }
    });
    let stale = Memo::new(move |_| answer.with(|a| a.as_ref().is_some_and(|(q, _)| *q != query.get())));
    Effect::new(move || {
        if let Some((_, Err(problem))) = answer.get()
            && !problem.errors.is_empty()
        {
            status.failed(problem);
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        status.clear();
        match year.get_untracked().trim().parse::<i32>() {
            Ok(chosen) => {
                let next = FormQuery {
                    municipality_id: chosen_municipality(admin.get_untracked(), municipality),
                    year: Some(chosen),
                };
                navigate(
                    &href("/stats/form-1dop", &next),
                    NavigateOptions { scroll: false, ..NavigateOptions::default() },
                );
            }
            Err(_) => status.invalid(FieldErrors::one("year", "Укажите год числом, например 2025")),
        }
    };
    let back = move || {
        let query = StatsQuery { municipality_id: query.with(|q| q.municipality_id), ..StatsQuery::default() };
        href("/stats", &query)
    };

    let body = move || match answer.get() {
        None => loading_view(),
        Some(_) if stale.get() => loading_view(),
        Some((_, Err(problem))) if !problem.errors.is_empty() => ().into_any(),
        Some((_, Err(problem))) => problem_view(problem),
        Some((query, Ok(table))) => {
            let shown_year = query.year.unwrap_or(last_year).to_string();
            let files = file_links(table.title.clone(), move |format| file_name("form_1dop", &shown_year, format), {
                let query = query.clone();
                move |format| {
                    let query = query.clone();
                    async move { stats::form_file(session, &query, format).await }
                }
            });
            view! {
                <section class="card form-report" id="form-1dop">
                    <DataTable table=table class="form-1dop" />
                    <p class="hint">
                        "Ребёнок, занимающийся по нескольким направленностям, считается в каждой из них и один раз во «Всего». Возраст — на 1 января следующего года."
                    </p>
                    <div class="actions stat-actions">{files}</div>
                </section>
            }
            .into_any()
        }
    };
    view! {
        <div class="page page-wide stats-page">
            <p class="back-link">
                <a href=back>"← Статистика"</a>
            </p>
            <div class="page-head">
                <h1>"Форма 1-ДОП"</h1>
            </div>
            <section class="card filters stats-filters" aria-label="Отчётный год и территория">
                <form id="form-1dop-filters" class="form" novalidate=true on:submit=on_submit>
                    <FormError status=status />
                    <Field name="year" label="Отчётный год" kind="number" inputmode="numeric" value=year errors=status.errors />
                    <Show when=move || admin.get()>
                        <MunicipalitySelect
                            value=municipality
                            errors=status.errors
                            required=false
                            placeholder="Весь регион"
                        />
                    </Show>
                    <button type="submit" class="button">
                        "Показать"
                    </button>
                </form>
            </section>
            {body}
        </div>
    }
}
