//! The operator's registry: browsing by status (with the queue of records
//! awaiting the operator's decision), a record with the checks and the
//! decision, its audit trail, exclusion and moving a child to another family
//! account.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use navigator_shared::registry::{AuditEntry, MoveChildRequest, RegistryCard, RegistryQuery, action_title};
use serde_json::Value;

use super::desk::{
    Decision, DecisionForm, DeskSteps, PrintLinks, RecordCard, RecordPage, RecordRows, RenewForm, SearchFields,
    SearchInputs,
};
use crate::api::{self, use_session};
use crate::components::{EmailField, FormError, FormStatus, SelectField, SubmitButton, TextAreaField};
use crate::components::{Pager, Turn, select_options};
use crate::dates;

const PER_PAGE: i64 = 50;

/// `/registry`: the municipality's certificates by status, number or child.
#[component]
pub fn Registry() -> impl IntoView {
    let session = use_session();
    let fields = SearchFields::new();
    let status_filter = RwSignal::new(String::new());
    let form = FormStatus::new();
    // The applied filter and the page shown.
    let applied = RwSignal::new(RegistryQuery::default());
    let page = RwSignal::new(1_i64);
    let list = LocalResource::new(move || {
        let query = RegistryQuery { page: Some(page.get()), per_page: Some(PER_PAGE), ..applied.get() };
        async move { api::registry(session, &query).await }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        form.clear();
        match fields.query() {
            Ok(query) => {
                let status = status_filter.get_untracked();
                page.set(1);
                applied
                    .set(RegistryQuery { status: (!status.is_empty()).then_some(status), ..query.unwrap_or_default() });
            }
            Err(errors) => form.invalid(errors),
        }
    };
    let statuses = select_options(&[
        ("pending", "В обработке"),
        ("awaiting_decision", "Ждут решения оператора"),
        ("overdue", "Просрочены документы"),
        ("active", "Активирован"),
        ("refused", "Отказано"),
        ("lapsed", "Не активирован в срок"),
        ("excluded", "Исключён из реестра"),
    ]);
    let results = move || match list.get() {
        None => view! { <p class="loading">"Загрузка…"</p> }.into_any(),
        Some(Err(problem)) => view! { <p class="form-error" role="alert">{problem.detail}</p> }.into_any(),
        Some(Ok(found)) => {
            let current = found.page;
            view! {
                <p class="registry-total">{format!("Найдено: {}", found.total)}</p>
                <RecordRows records=found.items base="/registry" />
                <Pager current=current total=found.total per_page=found.per_page turn=Turn::Signal(page) />
            }
            .into_any()
        }
    };
    view! {
        <div class="page">
            <h1>"Реестр сертификатов"</h1>
            <p class="page-links">
                <a id="duplicates-link" href="/registry/duplicates">"Возможные дубликаты"</a>
            </p>
            <section class="card">
                <form id="registry-filter" class="form" novalidate=true on:submit=on_submit>
                    <FormError status=form />
                    <SelectField
                        name="status"
                        label="Статус"
                        value=status_filter
                        errors=form.errors
                        options=statuses
                        placeholder="Все"
                    />
                    <SearchInputs fields=fields errors=form.errors />
                    <button type="submit" class="button">
                        "Показать"
                    </button>
                </form>
            </section>
            {results}
        </div>
    }
}

/// `/registry/{number}`.
#[component]
pub fn RegistryRecord() -> impl IntoView {
    view! { <RecordPage back="/registry" body=registry_record /> }
}

fn registry_record(card: RwSignal<RegistryCard>) -> AnyView {
    let number = card.with_untracked(|c| c.certificate.number.clone());
    view! {
        <RecordCard card=card />
        <PrintLinks card=card />
        <DeskSteps card=card />
        <DecisionForm card=card decision=Decision::Exclude />
        <DecisionForm card=card decision=Decision::Refuse />
        <RenewForm card=card />
        <MoveForm card=card />
        <AuditTrail number=number card=card />
    }
    .into_any()
}

/// Moving the child to another family account.
#[component]
fn MoveForm(card: RwSignal<RegistryCard>) -> impl IntoView {
    let session = use_session();
    let email = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let status = FormStatus::new();
    let move_child = status.action(
        move |(child_id, request): (i64, MoveChildRequest)| async move {
            api::move_child(session, child_id, &request).await
        },
        move |_| {
            email.set(String::new());
            reason.set(String::new());
            status.done("Ребёнок перенесён в другую учётную запись.");
        },
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let child_id = card.with_untracked(|c| c.child.id);
        let request = MoveChildRequest { email: email.get_untracked(), reason: reason.get_untracked() };
        status.submit(move_child, (child_id, request), |(_, request)| request.validate());
    };
    view! {
        <details class="card">
            <summary>"Перенести в другую учётную запись"</summary>
            <form id="move-form" class="form" novalidate=true on:submit=on_submit>
                <FormError status=status />
                <EmailField value=email errors=status.errors autocomplete="off" hint="Почта учётной записи семьи" />
                <TextAreaField name="reason" label="Основание" value=reason errors=status.errors />
                <SubmitButton pending=move_child.pending() label="Перенести" busy="Переносим…" />
            </form>
        </details>
    }
}

fn shown(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "—".to_owned(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

/// `{field: {old, new}}` as «поле: было → стало» lines.
fn change_lines(changes: Option<Value>) -> Vec<String> {
    let Some(Value::Object(fields)) = changes else { return Vec::new() };
    fields
        .iter()
        .map(|(field, change)| format!("{field}: {} → {}", shown(change.get("old")), shown(change.get("new"))))
        .collect()
}

/// The audit trail of the record, reloaded whenever the record changes.
#[component]
fn AuditTrail(number: String, card: RwSignal<RegistryCard>) -> impl IntoView {
    let session = use_session();
    let trail = LocalResource::new(move || {
        card.track();
        let number = number.clone();
        async move { api::audit(session, &number).await }
    });
    let rows = move |entries: Vec<AuditEntry>| {
        entries
            .into_iter()
            .map(|entry| {
                let lines = change_lines(entry.changes);
                view! {
                    <tr>
                        <td>{dates::moment(entry.at)}</td>
                        <td>{entry.actor_name}</td>
                        <td>{action_title(&entry.action).to_owned()}</td>
                        <td>{lines.into_iter().map(|line| view! { <div>{line}</div> }).collect_view()}</td>
                        <td>{entry.reason.unwrap_or_default()}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <section class="card">
            <h2>"Журнал действий"</h2>
            {move || match trail.get() {
                None => view! { <p class="loading">"Загрузка…"</p> }.into_any(),
                Some(Err(problem)) => view! { <p class="form-error" role="alert">{problem.detail}</p> }.into_any(),
                Some(Ok(entries)) => view! {
                    <div class="table-scroll" tabindex="0" role="region" aria-label="Таблица, прокручивается в сторону">
                        <table id="audit">
                            <thead>
                                <tr>
                                    <th>"Когда"</th>
                                    <th>"Кто"</th>
                                    <th>"Действие"</th>
                                    <th>"Изменения"</th>
                                    <th>"Основание"</th>
                                </tr>
                            </thead>
                            <tbody>{rows(entries)}</tbody>
                        </table>
                    </div>
                }
                .into_any(),
            }}
        </section>
    }
}
