//! Adding a child and changing a child's data.

use chrono::NaiveDate;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map};
use navigator_shared::ErrorCode;
use navigator_shared::accounts::Role;
use navigator_shared::children::{Child, ChildInput, DocumentType, Sex, ValidChild};
use navigator_shared::reference::RegionSettings;
use navigator_shared::{FieldErrors, Problem};
use serde_json::{Map, Value};

use super::children::{certificate_later, full_name};
use crate::api::{self, use_session};
use crate::app::use_region;
use crate::components::{
    Field, FormError, FormStatus, MunicipalitySelect, NameFields, SelectField, SubmitButton, select_options,
};
use crate::dates;

/// Why a child's data cannot be changed any more (until the API says it in its own words).
const LOCKED: &str = "Данные ребёнка проверены при активации сертификата: исправить их может только специалист \
                      пункта активации по вашему заявлению.";

fn sex_title(sex: Sex) -> &'static str {
    match sex {
        Sex::Male => "Мужской",
        Sex::Female => "Женский",
    }
}

/// The frame of a child's page: the way back to the list and the title.
#[component]
fn ChildPage(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="page">
            <p class="back-link">
                <a href="/children">"← К списку детей"</a>
            </p>
            <h1>{title}</h1>
            {children()}
        </div>
    }
}

/// `/children/new` (signed-in users only, see the router).
#[component]
pub fn NewChild() -> impl IntoView {
    view! {
        <ChildPage title="Добавить ребёнка">
            <section class="card">
                <ChildForm />
            </section>
        </ChildPage>
    }
}

/// `/children/{id}`: the form, or the data read-only once the certificate is active.
#[component]
pub fn EditChild() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = move || params.with(|params| params.get("id")).and_then(|id| id.parse::<i64>().ok());
    let loaded = LocalResource::new(move || {
        let id = id();
        async move {
            match id {
                Some(id) => api::child(session, id).await.map_err(|problem| problem.detail),
                None => Err("Ребёнок не найден".to_owned()),
            }
        }
    });
    view! {
        <ChildPage title="Данные ребёнка">
            {move || match loaded.get() {
                None => view! { <p class="loading">"Загрузка…"</p> }.into_any(),
                Some(Err(detail)) => view! { <p class="form-error" role="alert">{detail}</p> }.into_any(),
                Some(Ok(child)) => view! { <ChildRecord child=child /> }.into_any(),
            }}
        </ChildPage>
    }
}

/// A loaded child: editable until the certificate is active.
#[component]
fn ChildRecord(child: Child) -> impl IntoView {
    let locked = RwSignal::new((!child.editable).then(|| LOCKED.to_owned()));
    let record = RwSignal::new(child);
    move || match locked.get() {
        Some(note) => view! { <ChildSummary child=record.get_untracked() note=note /> }.into_any(),
        None => view! {
            <section class="card">
                <ChildForm record=record locked=locked />
            </section>
        }
        .into_any(),
    }
}

/// The data read-only, with a note (e.g. that only activation-point staff may correct it).
#[component]
pub(crate) fn ChildSummary(child: Child, #[prop(optional)] note: Option<String>) -> impl IntoView {
    let municipalities = LocalResource::new(api::municipalities);
    let municipality_id = child.municipality_id;
    let municipality = move || {
        municipalities
            .get()
            .and_then(Result::ok)
            .and_then(|list| list.into_iter().find(|m| m.id == municipality_id))
            .map(|m| m.name)
    };
    let document = format!("{}, {} № {}", child.document_type.title(), child.document_series, child.document_number);
    view! {
        <section class="card child-summary">
            {note.map(|note| view! { <p class="info-note" role="note">{note}</p> })}
            <dl class="summary">
                <dt>"ФИО"</dt>
                <dd>{full_name(&child)}</dd>
                <dt>"Дата рождения"</dt>
                <dd>{dates::russian(child.birth_date)}</dd>
                <dt>"Пол"</dt>
                <dd>{sex_title(child.sex)}</dd>
                <dt>"Документ"</dt>
                <dd>{document}</dd>
                <dt>"Дата выдачи"</dt>
                <dd>{dates::russian(child.document_issued_at)}</dd>
                <dt>"СНИЛС"</dt>
                <dd>{child.snils}</dd>
                <dt>"Муниципалитет"</dt>
                <dd>{municipality}</dd>
                <dt>"Адрес проживания"</dt>
                <dd>{child.address}</dd>
            </dl>
        </section>
    }
}

/// Every field of the child form, as the inputs hold it.
#[derive(Clone, Copy)]
pub(crate) struct ChildFields {
    last_name: RwSignal<String>,
    first_name: RwSignal<String>,
    middle_name: RwSignal<String>,
    birth_date: RwSignal<String>,
    sex: RwSignal<String>,
    document_type: RwSignal<String>,
    document_series: RwSignal<String>,
    document_number: RwSignal<String>,
    document_issued_at: RwSignal<String>,
    snils: RwSignal<String>,
    address: RwSignal<String>,
    municipality_id: RwSignal<String>,
}

impl ChildFields {
    pub(crate) fn new() -> Self {
        let empty = || RwSignal::new(String::new());
        Self {
            last_name: empty(),
            first_name: empty(),
            middle_name: empty(),
            birth_date: empty(),
            sex: empty(),
            document_type: empty(),
            document_series: empty(),
            document_number: empty(),
            document_issued_at: empty(),
            snils: empty(),
            address: empty(),
            municipality_id: empty(),
        }
    }

    pub(crate) fn fill(&self, child: &Child) {
        self.last_name.set(child.last_name.clone());
        self.first_name.set(child.first_name.clone());
        self.middle_name.set(child.middle_name.clone());
        self.birth_date.set(dates::input_text(Some(child.birth_date)));
        self.sex.set(child.sex.as_str().to_owned());
        self.document_type.set(child.document_type.as_str().to_owned());
        self.document_series.set(child.document_series.clone());
        self.document_number.set(child.document_number.clone());
        self.document_issued_at.set(dates::input_text(Some(child.document_issued_at)));
        self.snils.set(child.snils.clone());
        self.address.set(child.address.clone());
        self.municipality_id.set(child.municipality_id.to_string());
    }

    /// The form as the API takes it, or none with the errors shown by `status`.
    pub(crate) fn read(&self, status: FormStatus) -> Option<ChildInput> {
        self.input().map_err(|errors| status.invalid(errors)).ok()
    }

    /// The form as the API takes it; a date that is not a date is an error.
    fn input(&self) -> Result<ChildInput, FieldErrors> {
        let text = |value: RwSignal<String>| value.get_untracked();
        Ok(ChildInput {
            last_name: text(self.last_name),
            first_name: text(self.first_name),
            middle_name: text(self.middle_name),
            birth_date: dates::read("birth_date", self.birth_date)?,
            sex: self.sex.with_untracked(|code| Sex::parse(code)),
            document_type: self.document_type.with_untracked(|code| DocumentType::parse(code)),
            document_series: text(self.document_series),
            document_number: text(self.document_number),
            document_issued_at: dates::read("document_issued_at", self.document_issued_at)?,
            snils: text(self.snils),
            address: text(self.address),
            municipality_id: self.municipality_id.with_untracked(|id| id.parse().unwrap_or(0)),
        })
    }
}

/// What the saved record holds, in the shape of the form.
pub(crate) fn input_of(child: &Child) -> ChildInput {
    ChildInput {
        last_name: child.last_name.clone(),
        first_name: child.first_name.clone(),
        middle_name: child.middle_name.clone(),
        birth_date: Some(child.birth_date),
        sex: Some(child.sex),
        document_type: Some(child.document_type),
        document_series: child.document_series.clone(),
        document_number: child.document_number.clone(),
        document_issued_at: Some(child.document_issued_at),
        snils: child.snils.clone(),
        address: child.address.clone(),
        municipality_id: child.municipality_id,
    }
}

/// The fields of `input` that differ from `saved`, as the PATCH body.
pub(crate) fn changes(input: &ChildInput, saved: &ChildInput) -> Map<String, Value> {
    let object = |input: &ChildInput| match serde_json::to_value(input) {
        Ok(Value::Object(fields)) => fields,
        _ => Map::new(),
    };
    let saved = object(saved);
    object(input).into_iter().filter(|(key, value)| saved.get(key) != Some(value)).collect()
}

/// The child's data by the shared rules; the server checks the age again
/// should the region's settings not have loaded.
pub(crate) fn check_child(
    input: &ChildInput,
    region: LocalResource<Result<RegionSettings, Problem>>,
) -> Result<ValidChild, FieldErrors> {
    let today = chrono::Local::now().date_naive();
    let age_max = region.get_untracked().and_then(Result::ok).map_or(i32::MAX, |r| r.child_age_max);
    input.validate(today, age_max)
}

/// The child form: adds a child, or saves the changes of `record`.
#[component]
fn ChildForm(
    /// The child being changed; none when a new one is added.
    #[prop(optional)]
    record: Option<RwSignal<Child>>,
    /// Set when the API answers that the data may no longer change.
    #[prop(optional)]
    locked: Option<RwSignal<Option<String>>>,
) -> impl IntoView {
    let session = use_session();
    let region = use_region();
    let navigate = use_navigate();
    let fields = ChildFields::new();
    match record {
        Some(record) => record.with_untracked(|child| fields.fill(child)),
        // A new child most likely lives where the parent does; a learner adds himself.
        None => {
            if let Some(user) = untrack(|| session.user()) {
                fields.municipality_id.set(user.municipality_id.map(|id| id.to_string()).unwrap_or_default());
                if user.role == Role::Learner {
                    fields.last_name.set(user.last_name);
                    fields.first_name.set(user.first_name);
                    fields.middle_name.set(user.middle_name);
                    fields.birth_date.set(dates::input_text(user.birth_date));
                    fields.address.set(user.address);
                }
            }
        }
    }
    let status = FormStatus::new();

    let create = status.action(
        move |input: ChildInput| async move { api::add_child(session, &input).await },
        move |_: Child| navigate("/children", NavigateOptions::default()),
    );
    let update = status.action(
        move |(id, changes): (i64, Map<String, Value>)| async move {
            let answer = api::update_child(session, id, &changes).await;
            if let (Err(problem), Some(locked)) = (&answer, locked)
                && problem.is(ErrorCode::ChildLocked)
            {
                locked.set(Some(problem.detail.clone()));
            }
            answer
        },
        move |child: Child| {
            fields.fill(&child);
            if let Some(record) = record {
                record.set(child);
            }
            status.done("Данные сохранены.");
        },
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        status.clear();
        let Some(input) = fields.read(status) else { return };
        match record {
            None => status.submit(create, input, |input| check_child(input, region)),
            Some(record) => {
                let (id, changed) = record.with_untracked(|child| (child.id, changes(&input, &input_of(child))));
                if changed.is_empty() {
                    status.done("Изменений нет — сохранять нечего.");
                    return;
                }
                status.submit(update, (id, changed), |_| check_child(&input, region));
            }
        }
    };
    let (creating, updating) = (create.pending(), update.pending());
    let pending = Memo::new(move |_| creating.get() || updating.get());
    view! {
        <form id="child-form" class="form" novalidate=true on:submit=on_submit>
            <FormError status=status />
            <p class="hint">"Данные нужны для сертификата и хранятся в зашифрованном виде."</p>
            <ChildInputs fields=fields errors=status.errors />
            <SubmitButton
                pending=pending
                label=if record.is_some() { "Сохранить" } else { "Добавить ребёнка" }
                busy="Сохраняем…"
            />
        </form>
    }
}

/// The child's fields, named as in `ChildInput` (the parent's form, the desk's correction).
#[component]
pub(crate) fn ChildInputs(fields: ChildFields, errors: RwSignal<FieldErrors>) -> impl IntoView {
    let series_hint = Signal::derive(move || match fields.document_type.with(|code| DocumentType::parse(code)) {
        Some(DocumentType::BirthCertificate) => "Римские цифры, дефис и две русские буквы, например IV-АК",
        Some(DocumentType::Passport) => "4 цифры",
        None => "Сначала выберите документ",
    });
    // A child too young for a certificate may be added; the family learns at once when it can be had.
    let region = use_region();
    let age_note = move || {
        let birth = fields.birth_date.with(|raw| NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok())?;
        let region = region.get().and_then(Result::ok)?;
        certificate_later(birth, &region).map(|from| {
            format!(
                "Сертификат выдаётся детям от {min} до {} лет: ребёнка можно добавить, а сертификат оформить, \
                 когда ему исполнится {min} — с {}.",
                region.child_age_max,
                dates::russian(from),
                min = region.child_age_min,
            )
        })
    };
    let sexes =
        select_options(&[(Sex::Male.as_str(), sex_title(Sex::Male)), (Sex::Female.as_str(), sex_title(Sex::Female))]);
    let documents = select_options(&[
        (DocumentType::BirthCertificate.as_str(), DocumentType::BirthCertificate.title()),
        (DocumentType::Passport.as_str(), DocumentType::Passport.title()),
    ]);

    view! {
        <NameFields
            last_name=fields.last_name
            first_name=fields.first_name
            middle_name=fields.middle_name
            errors=errors
            other_person=true
        />
        <div class="row row-even">
            <div class="field-with-note">
                <Field
                    name="birth_date"
                    label="Дата рождения"
                    value=fields.birth_date
                    errors=errors
                    kind="date"
                    autocomplete="off"
                    required=true
                />
                <div aria-live="polite">{move || age_note().map(|note| view! { <p class="hint age-note">{note}</p> })}</div>
            </div>
            <SelectField
                name="sex"
                label="Пол"
                value=fields.sex
                errors=errors
                options=sexes
                placeholder="Выберите"
                required=true
            />
        </div>
        <fieldset class="group">
            <legend>"Документ ребёнка"</legend>
            <SelectField
                name="document_type"
                label="Документ"
                value=fields.document_type
                errors=errors
                options=documents
                placeholder="Выберите документ"
                required=true
            />
            <div class="row">
                <Field
                    name="document_series"
                    label="Серия"
                    value=fields.document_series
                    errors=errors
                    autocomplete="off"
                    hint=series_hint
                    required=true
                />
                <Field
                    name="document_number"
                    label="Номер"
                    value=fields.document_number
                    errors=errors
                    inputmode="numeric"
                    autocomplete="off"
                    hint="6 цифр"
                    required=true
                />
            </div>
            <Field
                name="document_issued_at"
                label="Дата выдачи"
                value=fields.document_issued_at
                errors=errors
                kind="date"
                autocomplete="off"
                required=true
            />
        </fieldset>
        <Field
            name="snils"
            label="СНИЛС ребёнка"
            value=fields.snils
            errors=errors
            inputmode="numeric"
            autocomplete="off"
            hint="11 цифр, например 112-233-445 95"
            required=true
        />
        <MunicipalitySelect value=fields.municipality_id errors=errors />
        <Field
            name="address"
            label="Адрес проживания"
            value=fields.address
            errors=errors
            autocomplete="street-address"
            required=true
        />
    }
}
