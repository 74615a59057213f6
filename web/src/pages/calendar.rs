//! The admin's production calendar: days that differ from the statutory rules.

use chrono::{Datelike, NaiveDate};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use navigator_shared::FieldErrors;
use navigator_shared::calendar::{CalendarOverride, CalendarOverrideInput};

use crate::api::{self, use_session};
use crate::components::select_options;
use crate::components::{Field, FormError, FormStatus, SelectField, SubmitButton};
use crate::dates;

/// `/calendar` (admin).
#[component]
pub fn Calendar() -> impl IntoView {
    let session = use_session();
    let this_year = chrono::Local::now().year();
    let year = RwSignal::new(this_year.to_string());
    // Bumped after every change so the list is loaded again.
    let version = RwSignal::new(0_u32);
    let days = LocalResource::new(move || {
        version.track();
        let year = year.get().parse().unwrap_or(this_year);
        async move { api::calendar(session, year).await }
    });
    let years = Signal::derive(move || {
        (this_year - 1..=this_year + 2).map(|y| (y.to_string(), y.to_string())).collect::<Vec<_>>()
    });
    let picker = FormStatus::new();
    let list = move || match days.get() {
        None => view! { <p class="loading">"Загрузка…"</p> }.into_any(),
        Some(Err(problem)) => view! { <p class="form-error" role="alert">{problem.detail}</p> }.into_any(),
        Some(Ok(days)) if days.is_empty() => {
            view! { <p class="empty-state">"Переносов в этом году нет: действуют общие правила."</p> }.into_any()
        }
        Some(Ok(days)) => view! { <DayTable days=days version=version /> }.into_any(),
    };
    view! {
        <div class="page">
            <h1>"Производственный календарь"</h1>
            <section class="card">
                <SelectField
                    name="year"
                    label="Год"
                    value=year
                    errors=picker.errors
                    options=years
                    placeholder="Выберите год"
                />
                {list}
            </section>
            <section class="card">
                <h2>"Добавить или изменить день"</h2>
                <DayForm version=version />
            </section>
        </div>
    }
}

#[component]
fn DayTable(days: Vec<CalendarOverride>, version: RwSignal<u32>) -> impl IntoView {
    let session = use_session();
    let status = FormStatus::new();
    let remove = status.action(
        move |day: NaiveDate| async move { api::delete_calendar_day(session, day).await },
        move |()| version.update(|v| *v += 1),
    );
    let rows = days
        .into_iter()
        .map(|day| {
            let date = day.day;
            view! {
                <tr data-day=date.to_string()>
                    <td>{dates::russian(date)}</td>
                    <td>{if day.working { "Рабочий день" } else { "Выходной день" }}</td>
                    <td>{day.note}</td>
                    <td>
                        <button
                            type="button"
                            class="button button-secondary delete-day"
                            on:click=move |_| {
                                status.clear();
                                remove.dispatch_local(date);
                            }
                        >
                            "Удалить"
                        </button>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <FormError status=status />
        <div class="table-scroll" tabindex="0" role="region" aria-label="Таблица, прокручивается в сторону">
            <table id="calendar">
                <thead>
                    <tr>
                        <th>"День"</th>
                        <th>"Статус"</th>
                        <th>"Примечание"</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[component]
fn DayForm(version: RwSignal<u32>) -> impl IntoView {
    let session = use_session();
    let day = RwSignal::new(String::new());
    let working = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let status = FormStatus::new();
    let save = status.action(
        move |(day, input): (NaiveDate, CalendarOverrideInput)| async move {
            api::set_calendar_day(session, day, &input).await
        },
        move |saved: CalendarOverride| {
            version.update(|v| *v += 1);
            status.done(format!("{} сохранён.", dates::russian(saved.day)));
        },
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        status.clear();
        let date = match dates::read("day", day) {
            Ok(Some(date)) => date,
            Ok(None) => return status.invalid(FieldErrors::one("day", "Укажите день")),
            Err(errors) => return status.invalid(errors),
        };
        let working = match working.get_untracked().as_str() {
            "true" => true,
            "false" => false,
            _ => return status.invalid(FieldErrors::one("working", "Выберите, рабочий это день или выходной")),
        };
        save.dispatch_local((date, CalendarOverrideInput { working, note: note.get_untracked() }));
    };
    let kinds = select_options(&[("true", "Рабочий день"), ("false", "Выходной день")]);
    view! {
        <form id="calendar-form" class="form" novalidate=true on:submit=on_submit>
            <FormError status=status />
            <Field name="day" label="День" value=day errors=status.errors kind="date" autocomplete="off" required=true />
            <SelectField
                name="working"
                label="Статус"
                value=working
                errors=status.errors
                options=kinds
                placeholder="Выберите"
                required=true
            />
            <Field
                name="note"
                label="Примечание"
                value=note
                errors=status.errors
                autocomplete="off"
                hint="Например: перенос выходного с 4 января"
            />
            <SubmitButton pending=save.pending() label="Сохранить" busy="Сохраняем…" />
        </form>
    }
}
