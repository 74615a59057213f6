//! `/region-settings` (admin): the region's name, the children's age range,
//! who confirms certificates, the two deadlines and the academic year.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use navigator_shared::FieldErrors;
use navigator_shared::reference::{ConfirmationBy, RegionSettings, RegionUpdate, academic_year_title};

use crate::api::{self, use_session};
use crate::components::{Field, FormError, FormStatus, SelectField, SubmitButton};

/// The form's text fields, filled from the settings as stored.
#[derive(Clone, Copy)]
struct RegionFields {
    name: RwSignal<String>,
    child_age_min: RwSignal<String>,
    child_age_max: RwSignal<String>,
    confirmation_by: RwSignal<String>,
    documents_days: RwSignal<String>,
    decision_days: RwSignal<String>,
    academic_year: RwSignal<String>,
}

impl RegionFields {
    fn new(settings: &RegionSettings) -> Self {
        let text = |value: String| RwSignal::new(value);
        Self {
            name: text(settings.name.clone()),
            child_age_min: text(settings.child_age_min.to_string()),
            child_age_max: text(settings.child_age_max.to_string()),
            confirmation_by: text(settings.confirmation_by.as_str().to_owned()),
            documents_days: text(settings.documents_days.to_string()),
            decision_days: text(settings.decision_days.to_string()),
            academic_year: text(settings.academic_year.to_string()),
        }
    }

    /// The update as the API takes it; a number that does not read is an
    /// error on its field.
    fn read(&self) -> Result<RegionUpdate, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut number = |field: &str, value: RwSignal<String>| {
            value.with_untracked(|raw| raw.trim().parse::<i32>()).unwrap_or_else(|_| {
                errors.add(field, "Введите целое число");
                0
            })
        };
        let update = RegionUpdate {
            name: self.name.get_untracked(),
            child_age_min: number("child_age_min", self.child_age_min),
            child_age_max: number("child_age_max", self.child_age_max),
            documents_days: number("documents_days", self.documents_days),
            decision_days: number("decision_days", self.decision_days),
            academic_year: number("academic_year", self.academic_year),
            confirmation_by: self
                .confirmation_by
                .with_untracked(|code| ConfirmationBy::parse(code))
                .unwrap_or_default(),
        };
        if errors.is_empty() { Ok(update) } else { Err(errors) }
    }
}

/// `/region-settings`.
#[component]
pub fn RegionSettingsPage() -> impl IntoView {
    let settings = LocalResource::new(api::region);
    let body = move || match settings.get() {
        None => view! { <p class="loading">"Загрузка…"</p> }.into_any(),
        Some(Err(problem)) => view! { <p class="form-error" role="alert">{problem.detail}</p> }.into_any(),
        Some(Ok(settings)) => view! { <RegionForm settings=settings /> }.into_any(),
    };
    view! {
        <div class="page">
            <h1>"Настройки региона"</h1>
            {body}
        </div>
    }
}

#[component]
fn RegionForm(settings: RegionSettings) -> impl IntoView {
    let session = use_session();
    let fields = RegionFields::new(&settings);
    let status = FormStatus::new();
    let save = status.action(
        move |update: RegionUpdate| async move { api::update_region(session, &update).await },
        move |saved: RegionSettings| {
            fields.academic_year.set(saved.academic_year.to_string());
            status.done("Настройки сохранены.");
        },
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        status.clear();
        match fields.read() {
            Ok(update) => status.submit(save, update, |update| update.validate(chrono::Utc::now().date_naive())),
            Err(errors) => status.invalid(errors),
        }
    };
    let who = ConfirmationBy::ALL.iter().map(|c| (c.as_str().to_owned(), c.title().to_owned())).collect::<Vec<_>>();
    let year_hint = move || {
        fields.academic_year.with(|raw| raw.trim().parse::<i32>().ok()).map(|year| {
            format!("Запись идёт на {} и {} учебные годы", academic_year_title(year), academic_year_title(year + 1))
        })
    };
    view! {
        <section class="card">
            <form id="region-form" class="form" novalidate=true on:submit=on_submit>
                <FormError status=status />
                <Field name="name" label="Название региона" value=fields.name errors=status.errors required=true />
                <fieldset class="group">
                    <legend>"Возраст детей для сертификата"</legend>
                    <Field
                        name="child_age_min"
                        label="С какого возраста, лет"
                        value=fields.child_age_min
                        errors=status.errors
                        inputmode="numeric"
                        required=true
                    />
                    <Field
                        name="child_age_max"
                        label="До какого возраста, лет"
                        value=fields.child_age_max
                        errors=status.errors
                        inputmode="numeric"
                        hint="Например, 18 — «от 5 до 18 лет»"
                        required=true
                    />
                </fieldset>
                <SelectField
                    name="confirmation_by"
                    label="Кто подтверждает сертификаты"
                    value=fields.confirmation_by
                    errors=status.errors
                    options=who
                    placeholder="Выберите"
                    required=true
                />
                <Field
                    name="documents_days"
                    label="Срок представления документов, рабочих дней"
                    value=fields.documents_days
                    errors=status.errors
                    inputmode="numeric"
                    required=true
                />
                <Field
                    name="decision_days"
                    label="Срок решения оператора, рабочих дней"
                    value=fields.decision_days
                    errors=status.errors
                    inputmode="numeric"
                    required=true
                />
                <Field
                    name="academic_year"
                    label="Текущий учебный год (год начала)"
                    value=fields.academic_year
                    errors=status.errors
                    inputmode="numeric"
                    required=true
                />
                <p class="hint academic-years">{year_hint}</p>
                <SubmitButton pending=save.pending() label="Сохранить" busy="Сохраняем…" />
            </form>
        </section>
    }
}
