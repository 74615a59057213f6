//! `/stats`: the operator's statistics dashboard. The filters — the date
//! range and, for the admin, a municipality — live in the URL (`from`, `to`,
//! `municipality_id`), so a reload or the back button shows the same
//! figures. Above the tables stand the key figures and the warnings of limits
//! nearly used; each table is a chart that turns into the table itself, with
//! a sentence of what it shows and its CSV and Excel files. The page prints
//! with its charts and tables only.

mod chart;
mod form;

use std::future::Future;

use chrono::NaiveDate;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use navigator_shared::accounts::Role;
use navigator_shared::stats::{Dashboard, Format, Headline, Measure, Range, StatsQuery, Table, file_name};
use navigator_shared::{FieldErrors, Problem};

pub use form::Form1Dop;

use crate::api::{self, Session, stats, use_session};
use crate::components::{Field, FileLink, FormError, FormStatus, MunicipalitySelect};
use crate::dates;
use crate::pages::cabinet::widgets::{loading_view, problem_view};
use crate::pages::catalog::page_title;

/// A `municipality_id` of the URL.
fn municipality_of(params: &ParamsMap) -> Option<i64> {
    params.get_str("municipality_id").and_then(|v| v.trim().parse().ok()).filter(|id| *id > 0)
}

/// The dashboard the URL asks for; values that are not dates are dropped.
fn stats_query(params: &ParamsMap) -> StatsQuery {
    let date = |key: &str| params.get_str(key).and_then(|v| NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").ok());
    StatsQuery { municipality_id: municipality_of(params), from: date("from"), to: date("to") }
}

/// The address of a page with `query`.
fn href<Q: serde::Serialize>(path: &str, query: &Q) -> String {
    api::with_query(path, query).unwrap_or_else(|_| path.to_owned())
}

/// Sets a form's field to `value` unless it holds it already.
fn sync(signal: RwSignal<String>, value: String) {
    if signal.with_untracked(|current| *current != value) {
        signal.set(value);
    }
}

/// Whether the signed-in user is the admin (who may choose a municipality).
fn is_admin(session: Session) -> Memo<bool> {
    Memo::new(move |_| session.user().is_some_and(|user| user.role == Role::Admin))
}

/// The municipality the admin chose in the form; an operator always counts his own.
fn chosen_municipality(admin: bool, value: RwSignal<String>) -> Option<i64> {
    if admin { value.get_untracked().trim().parse().ok().filter(|id| *id > 0) } else { None }
}

/// `/stats`.
#[component]
pub fn StatsDashboard() -> impl IntoView {
    page_title("Статистика");
    let session = use_session();
    let admin = is_admin(session);
    let params = use_query_map();
    let navigate = use_navigate();
    let query = Memo::new(move |_| params.with(stats_query));

    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let municipality = RwSignal::new(String::new());
    let status = FormStatus::new();
    Effect::new(move || {
        query.with(|q| {
            sync(from, dates::input_text(q.from));
            sync(to, dates::input_text(q.to));
            sync(municipality, q.municipality_id.map(|id| id.to_string()).unwrap_or_default());
        });
        status.clear();
    });

    let answer = LocalResource::new(move || {
        let query = query.get();
        async move {
            let answer = stats::dashboard(session, &query).await;
            (query, answer)
        }
    });
    // A new range shows «Загрузка…» rather than the figures of the one before.
    let stale = Memo::new(move |_| answer.with(|a| a.as_ref().is_some_and(|(q, _)| *q != query.get())));
    // The range the API counted fills the empty fields; its refusal of a field goes under it.
    Effect::new(move || match answer.get() {
        Some((_, Ok(dashboard))) => {
            sync(from, dates::input_text(Some(dashboard.from)));
            sync(to, dates::input_text(Some(dashboard.to)));
        }
        Some((_, Err(problem))) if !problem.errors.is_empty() => status.failed(problem),
        _ => {}
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        status.clear();
        let mut errors = FieldErrors::new();
        let mut date = |name: &str, value: RwSignal<String>| {
            dates::read(name, value).unwrap_or_else(|found| {
                errors.merge(found);
                None
            })
        };
        let (from, to) = (date("from", from), date("to", to));
        let next = StatsQuery { municipality_id: chosen_municipality(admin.get_untracked(), municipality), from, to };
        if errors.is_empty()
            && let Err(found) = Range::of(&next, dates::today())
        {
            errors = found;
        }
        if errors.is_empty() {
            navigate(&href("/stats", &next), NavigateOptions { scroll: false, ..NavigateOptions::default() });
        } else {
            status.invalid(errors);
        }
    };
    let print = move |_| {
        // Printing is the browser's; a refusal leaves nothing to tell.
        let _ = window().print();
    };
    let form_href = move || {
        let query =
            navigator_shared::stats::FormQuery { municipality_id: query.with(|q| q.municipality_id), year: None };
        href("/stats/form-1dop", &query)
    };

    let body = move || match answer.get() {
        None => loading_view(),
        Some(_) if stale.get() => loading_view(),
        // The fields say what is wrong with the range.
        Some((_, Err(problem))) if !problem.errors.is_empty() => ().into_any(),
        Some((_, Err(problem))) => problem_view(problem),
        Some((query, Ok(dashboard))) => view! { <DashboardView dashboard=dashboard query=query /> }.into_any(),
    };
    view! {
        <div class="page page-wide stats-page">
            <div class="page-head">
                <h1>"Статистика"</h1>
                <div class="actions page-head-actions stats-head-actions">
                    <a id="form-1dop-link" class="button button-secondary" href=form_href>
                        "Форма 1-ДОП"
                    </a>
                    <button type="button" id="stats-print" class="button button-secondary" on:click=print>
                        "Печать"
                    </button>
                </div>
            </div>
            <section class="card filters stats-filters" aria-label="Период и территория">
                <form id="stats-filters" class="form" novalidate=true on:submit=on_submit>
                    <FormError status=status />
                    <div class="stats-dates">
                        <Field name="from" label="С" kind="date" value=from errors=status.errors />
                        <Field name="to" label="По" kind="date" value=to errors=status.errors />
                    </div>
                    <Show when=move || admin.get()>
                        <MunicipalitySelect
                            value=municipality
                            errors=status.errors
                            required=false
                            placeholder="Весь регион"
                        />
                    </Show>
                    <p class="hint">
                        "Без дат — двенадцать месяцев по сегодняшний день. Возраст детей считается на последний день периода."
                    </p>
                    <button type="submit" class="button">
                        "Показать"
                    </button>
                </form>
            </section>
            {body}
        </div>
    }
}

/// The figures of one answer: the territory and range, the key figures, the
/// warnings and the tables.
#[component]
fn DashboardView(dashboard: Dashboard, query: StatsQuery) -> impl IntoView {
    let Dashboard { from, to, territory, headline, warnings, tables, .. } = dashboard;
    // The files are of the range the API counted, of the territory the URL asks for.
    let files = StatsQuery { municipality_id: query.municipality_id, from: Some(from), to: Some(to) };
    let suffix = format!("{from}_{to}");
    let warnings = (!warnings.is_empty()).then(|| {
        let items = warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view();
        view! {
            <div class="warnings" role="alert">
                <h2>"Лимиты на исходе"</h2>
                <ul>{items}</ul>
            </div>
        }
    });
    let tables = tables
        .into_iter()
        .map(|table| view! { <StatTable table=table query=files.clone() suffix=suffix.clone() /> })
        .collect_view();
    view! {
        <p class="stats-period" id="stats-period">
            {format!("{territory}, {}–{}", dates::russian(from), dates::russian(to))}
        </p>
        <HeadlineList headline=headline />
        {warnings}
        {tables}
    }
}

/// The key figures as a definition list, each `#headline-{name}`.
#[component]
fn HeadlineList(headline: Headline) -> impl IntoView {
    let figure = |id: &'static str, term: String, value: String| {
        view! {
            <div class="headline-figure" id=format!("headline-{id}")>
                <dt>{term}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    let unknown = || "нет данных".to_owned();
    let population_term = match headline.population_year {
        Some(year) => format!("Детей 5–18 лет в территории ({year})"),
        None => "Детей 5–18 лет в территории".to_owned(),
    };
    view! {
        <dl class="headline" id="headline">
            {figure("population", population_term, headline.population.map_or_else(unknown, |n| Measure::Count.show(n)))}
            {figure("registered", "В реестре".to_owned(), Measure::Count.show(headline.registered))}
            {figure("with-certificate", "С сертификатом".to_owned(), Measure::Count.show(headline.with_certificate))}
            {figure(
                "active",
                "С активным сертификатом".to_owned(),
                Measure::Count.show(headline.with_active_certificate),
            )}
            {figure("enrolled", "Занимаются".to_owned(), Measure::Count.show(headline.enrolled))}
            {figure(
                "coverage",
                "Охват".to_owned(),
                headline.coverage_permille.map_or_else(unknown, |p| Measure::Permille.show(p)),
            )}
            {figure("charged", "Списано с сертификатов".to_owned(), Measure::Money.show(headline.charged))}
            {figure(
                "average-charge",
                "В среднем за месяц обучения".to_owned(),
                headline.average_charge.map_or_else(unknown, |k| Measure::Money.show(k)),
            )}
        </dl>
    }
}

/// `section.stat-table#table-{key}`: the chart (or the table), what it shows and its files.
#[component]
fn StatTable(
    table: Table,
    /// The dashboard's range and territory, for the files.
    query: StatsQuery,
    /// `2026-01-01_2026-12-05`: the files are named with the range.
    suffix: String,
) -> impl IntoView {
    let session = use_session();
    let key = table.key.clone();
    let heading_id = format!("table-{key}-title");
    let summary_id = format!("table-{key}-summary");
    let data_id = format!("table-{key}-data");
    let chart = chart::chart_view(&table, format!("chart-{key}-title"), summary_id.clone());
    let has_chart = chart.is_some();
    // Without a chart (no rows, nothing charted) the table is all there is.
    let as_table = RwSignal::new(!has_chart);
    let toggle = has_chart.then(|| {
        view! {
            <button
                type="button"
                class="button button-secondary view-toggle"
                aria-pressed=move || as_table.get().to_string()
                aria-controls=data_id.clone()
                on:click=move |_| as_table.update(|shown| *shown = !*shown)
            >
                "Показать таблицу"
            </button>
        }
    });
    let chart = chart.map(|chart| view! { <figure class="stat-chart" hidden=move || as_table.get()>{chart}</figure> });
    let files = {
        let (named, key) = (key.clone(), key.clone());
        file_links(
            table.title.clone(),
            move |format| file_name(&named, &suffix, format),
            move |format| {
                let (key, query) = (key.clone(), query.clone());
                async move { stats::table_file(session, &key, &query, format).await }
            },
        )
    };
    view! {
        <section class="card stat-table" id=format!("table-{key}") aria-labelledby=heading_id>
            <h2 id=heading_id.clone()>{table.title.clone()}</h2>
            <p class="stat-summary" id=summary_id>{table.summary.clone()}</p>
            {chart}
            <div class="stat-data-view" id=format!("table-{key}-data") hidden=move || !as_table.get()>
                <DataTable table=table class="stat-data" />
            </div>
            <div class="actions stat-actions">{toggle} {files}</div>
        </section>
    }
}

/// A statistics table as an HTML table: the labels as row headings, the values as people read them.
#[component]
pub(super) fn DataTable(table: Table, class: &'static str) -> impl IntoView {
    let Table { title, label, columns, rows, .. } = table;
    let heads = columns.iter().map(|c| view! { <th scope="col">{c.title.clone()}</th> }).collect_view();
    let rows = rows
        .into_iter()
        .map(|row| {
            let cells = columns
                .iter()
                .zip(row.values)
                .map(|(column, value)| {
                    let text = value.map_or_else(|| "—".to_owned(), |v| column.unit.show(v));
                    view! { <td class="amount">{text}</td> }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{row.label}</th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=format!("{title}: таблица")>
            <table class=class>
                <caption>{title.clone()}</caption>
                <thead>
                    <tr>
                        <th scope="col">{label}</th>
                        {heads}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// The CSV and Excel links of one table: `about` says which, to a screen reader.
pub(super) fn file_links<Fut>(
    about: String,
    name: impl Fn(Format) -> String,
    load: impl Fn(Format) -> Fut + Clone + 'static,
) -> impl IntoView
where
    Fut: Future<Output = Result<web_sys::Blob, Problem>> + 'static,
{
    Format::ALL
        .iter()
        .map(|&format| {
            let load = load.clone();
            let (class, title) = match format {
                Format::Csv => ("download-csv", "CSV"),
                Format::Xlsx => ("download-xlsx", "Excel"),
            };
            view! { <FileLink class=class title=title file=name(format) about=about.clone() load=move || load(format) /> }
        })
        .collect_view()
}
