//! The activation desk: finding a record, checking it against the documents,
//! activating or refusing the certificate, and registering a family on the spot.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use navigator_shared::FieldErrors;
use navigator_shared::children::CertificateStatus;
use navigator_shared::reference::Page;
use navigator_shared::registry::{RegistryCard, RegistryQuery, RegistryRecord};

use crate::api::{self, use_session};
use crate::components::{Field, FormError, FormStatus, SubmitButton};
use crate::dates;

mod family;
mod record;

pub use family::NewFamily;
use record::CorrectForm;
pub(crate) use record::{Decision, DecisionForm, DeskSteps, PrintLink, PrintLinks, RecordCard, RenewForm};

/// The number, or the last name with the birth date: the registry search.
#[derive(Clone, Copy)]
pub(crate) struct SearchFields {
    pub number: RwSignal<String>,
    pub last_name: RwSignal<String>,
    pub birth_date: RwSignal<String>,
}

impl SearchFields {
    pub fn new() -> Self {
        Self {
            number: RwSignal::new(String::new()),
            last_name: RwSignal::new(String::new()),
            birth_date: RwSignal::new(String::new()),
        }
    }

    /// By the number, or by the last name and the birth date; `None` when nothing is entered.
    pub fn query(&self) -> Result<Option<RegistryQuery>, FieldErrors> {
        let number: String = self.number.get_untracked().chars().filter(|c| !c.is_whitespace()).collect();
        if !number.is_empty() {
            return Ok(Some(RegistryQuery { number: Some(number), ..RegistryQuery::default() }));
        }
        let last_name = self.last_name.get_untracked().trim().to_owned();
        let birth_date = dates::read("birth_date", self.birth_date)?;
        match (last_name.is_empty(), birth_date) {
            (true, None) => Ok(None),
            (false, Some(date)) => Ok(Some(RegistryQuery {
                last_name: Some(last_name),
                birth_date: Some(date),
                ..RegistryQuery::default()
            })),
            (true, Some(_)) => Err(FieldErrors::one("last_name", "Укажите фамилию ребёнка")),
            (false, None) => Err(FieldErrors::one("birth_date", "Укажите дату рождения ребёнка")),
        }
    }
}

/// The number and the last name with the birth date.
#[component]
pub(crate) fn SearchInputs(fields: SearchFields, errors: RwSignal<FieldErrors>) -> impl IntoView {
    view! {
        <Field
            name="number"
            label="Номер сертификата"
            value=fields.number
            errors=errors
            inputmode="numeric"
            autocomplete="off"
            hint="10 цифр"
        />
        <p class="hint">"или"</p>
        <div class="row row-even">
            <Field name="last_name" label="Фамилия ребёнка" value=fields.last_name errors=errors autocomplete="off" />
            <Field
                name="birth_date"
                label="Дата рождения"
                value=fields.birth_date
                errors=errors
                kind="date"
                autocomplete="off"
            />
        </div>
    }
}

/// Lines of the registry, each a link to `{base}/{number}`.
#[component]
pub(crate) fn RecordRows(records: Vec<RegistryRecord>, base: &'static str) -> impl IntoView {
    if records.is_empty() {
        return view! { <p class="empty-state">"Ничего не найдено."</p> }.into_any();
    }
    let rows = records
        .into_iter()
        .map(|record| {
            view! {
                <li class="registry-record">
                    <a href=format!("{base}/{}", record.number)>
                        <strong class="record-number">{format!("№ {}", record.number)}</strong>
                        <span class="record-name">{record.child_name}</span>
                        <span>{format!("Дата рождения {}", dates::russian(record.birth_date))}</span>
                        <span>{format!("СНИЛС {}", record.snils)}</span>
                        <span class=format!("record-status status-{}", record.status.as_str())>
                            {record.status_title}
                        </span>
                        {record.decision_due.map(|due| {
                            let late = due < dates::today();
                            let class = if late { "decision-due overdue" } else { "decision-due" };
                            let mark = if late { ", просрочено" } else { "" };
                            view! { <span class=class>{format!("Решение до {}{mark}", dates::russian(due))}</span> }
                        })}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="registry-list">{rows}</ul> }.into_any()
}

/// `/desk`: search by the number, or by the last name and birth date.
#[component]
pub fn Desk() -> impl IntoView {
    let session = use_session();
    let fields = SearchFields::new();
    let status = FormStatus::new();
    let found = RwSignal::new(None::<Page<RegistryRecord>>);
    let search = status.action(
        move |query: RegistryQuery| async move { api::registry(session, &query).await },
        move |page: Page<RegistryRecord>| found.set(Some(page)),
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        status.clear();
        match fields.query() {
            Ok(None) => {
                status.invalid(FieldErrors::one("number", "Укажите номер сертификата или фамилию и дату рождения"))
            }
            Ok(Some(query)) => {
                search.dispatch_local(query);
            }
            Err(errors) => status.invalid(errors),
        }
    };
    view! {
        <div class="page">
            <div class="page-head">
                <h1>"Пункт активации"</h1>
                <a id="new-family-link" class="button button-secondary" href="/desk/new-family">
                    "Зарегистрировать родителя"
                </a>
            </div>
            <section class="card">
                <form id="desk-search" class="form" novalidate=true on:submit=on_submit>
                    <FormError status=status />
                    <SearchInputs fields=fields errors=status.errors />
                    <SubmitButton pending=search.pending() label="Найти" busy="Ищем…" />
                </form>
            </section>
            {move || found.get().map(|page| view! { <RecordRows records=page.items base="/desk" /> })}
        </div>
    }
}

/// The number of the record in the address (`/desk/{number}`, `/registry/{number}`).
pub(crate) fn number_param() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|params| params.get("number")).unwrap_or_default())
}

/// Loads the record of the address and shows `body` with it.
#[component]
pub(crate) fn RecordPage(back: &'static str, body: fn(RwSignal<RegistryCard>) -> AnyView) -> impl IntoView {
    let session = use_session();
    let number = number_param();
    let loaded = LocalResource::new(move || {
        let number = number.get();
        async move { api::registry_card(session, &number).await }
    });
    view! {
        <div class="page">
            <p class="back-link">
                <a href=back>"← К поиску"</a>
            </p>
            <h1>"Запись реестра"</h1>
            {move || match loaded.get() {
                None => view! { <p class="loading">"Загрузка…"</p> }.into_any(),
                Some(Err(problem)) => view! { <p class="form-error" role="alert">{problem.detail}</p> }.into_any(),
                Some(Ok(card)) => body(RwSignal::new(card)),
            }}
        </div>
    }
}

/// `/desk/{number}`.
#[component]
pub fn DeskRecord() -> impl IntoView {
    view! { <RecordPage back="/desk" body=desk_record /> }
}

fn desk_record(card: RwSignal<RegistryCard>) -> AnyView {
    let sees = move || card.with(|c| !c.personal_data_hidden);
    let correctable = move || sees() && card.with(|c| c.certificate.status == CertificateStatus::Pending);
    let decides = move || card.with(|c| c.may_decide);
    view! {
        <RecordCard card=card />
        <Show when=sees>
            <PrintLinks card=card />
        </Show>
        <DeskSteps card=card />
        <Show when=correctable>
            <CorrectForm card=card />
        </Show>
        <Show when=decides>
            <DecisionForm card=card decision=Decision::Refuse />
        </Show>
        <RenewForm card=card />
    }
    .into_any()
}
