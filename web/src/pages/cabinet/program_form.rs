//! The program form: every field of `ProgramInput`, for a new program and
//! for changing one.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use navigator_shared::FieldErrors;
use navigator_shared::catalog::{CostType, Direction, Level, ProgramCard, ProgramInput, ProgramStatus};

use super::widgets::{CheckboxField, Reader, code_options, send_checked};
use crate::api::{catalog, use_session};
use crate::components::{
    Field, FormError, FormStatus, MunicipalitySelect, PointFields, SelectField, SubmitButton, TextAreaField,
};

/// Every field of the program form, as the inputs hold it.
#[derive(Clone, Copy)]
struct ProgramFields {
    title: RwSignal<String>,
    description: RwSignal<String>,
    goals: RwSignal<String>,
    direction: RwSignal<String>,
    profile: RwSignal<String>,
    level: RwSignal<String>,
    age_min: RwSignal<String>,
    age_max: RwSignal<String>,
    municipality_id: RwSignal<String>,
    address: RwSignal<String>,
    lat: RwSignal<String>,
    lon: RwSignal<String>,
    duration_months: RwSignal<String>,
    teachers: RwSignal<String>,
    cost_type: RwSignal<String>,
    contact_name: RwSignal<String>,
    contact_phone: RwSignal<String>,
    contact_email: RwSignal<String>,
    disability_friendly: RwSignal<bool>,
}

impl ProgramFields {
    fn new() -> Self {
        let empty = || RwSignal::new(String::new());
        Self {
            title: empty(),
            description: empty(),
            goals: empty(),
            direction: empty(),
            profile: empty(),
            level: empty(),
            age_min: empty(),
            age_max: empty(),
            municipality_id: empty(),
            address: empty(),
            lat: empty(),
            lon: empty(),
            duration_months: empty(),
            teachers: empty(),
            cost_type: empty(),
            contact_name: empty(),
            contact_phone: empty(),
            contact_email: empty(),
            disability_friendly: RwSignal::new(false),
        }
    }

    fn fill(&self, card: &ProgramCard) {
        let s = &card.summary;
        self.title.set(s.title.clone());
        self.description.set(card.description.clone());
        self.goals.set(card.goals.clone());
        self.direction.set(s.direction.as_str().to_owned());
        self.profile.set(s.profile.clone());
        self.level.set(s.level.as_str().to_owned());
        self.age_min.set(s.age_min.to_string());
        self.age_max.set(s.age_max.to_string());
        self.municipality_id.set(s.municipality_id.to_string());
        self.address.set(s.address.clone());
        self.lat.set(s.lat.to_string());
        self.lon.set(s.lon.to_string());
        self.duration_months.set(card.duration_months.to_string());
        self.teachers.set(card.teachers.join("\n"));
        self.cost_type.set(s.cost_type.as_str().to_owned());
        self.contact_name.set(card.contacts.name.clone());
        self.contact_phone.set(card.contacts.phone.clone());
        self.contact_email.set(card.contacts.email.clone());
        self.disability_friendly.set(s.disability_friendly);
    }

    /// The form as the API takes it, with what could not be read as a number.
    fn read(&self) -> (ProgramInput, FieldErrors) {
        let text = |value: RwSignal<String>| value.get_untracked();
        let mut reader = Reader::default();
        let input = ProgramInput {
            title: text(self.title),
            description: text(self.description),
            goals: text(self.goals),
            direction: self.direction.with_untracked(|code| Direction::parse(code)),
            profile: text(self.profile),
            level: self.level.with_untracked(|code| Level::parse(code)),
            age_min: reader.int("age_min", self.age_min),
            age_max: reader.int("age_max", self.age_max),
            municipality_id: self.municipality_id.with_untracked(|id| id.parse().unwrap_or(0)),
            address: text(self.address),
            lat: reader.float("lat", self.lat),
            lon: reader.float("lon", self.lon),
            duration_months: reader.int("duration_months", self.duration_months),
            teachers: self.teachers.with_untracked(|t| {
                t.lines().map(str::trim).filter(|line| !line.is_empty()).map(str::to_owned).collect()
            }),
            cost_type: self.cost_type.with_untracked(|code| CostType::parse(code)),
            contact_name: text(self.contact_name),
            contact_phone: text(self.contact_phone),
            contact_email: text(self.contact_email),
            disability_friendly: self.disability_friendly.get_untracked(),
        };
        (input, reader.errors)
    }
}

/// Why the program cannot be changed now, if it cannot.
fn locked_note(status: ProgramStatus) -> Option<&'static str> {
    match status {
        ProgramStatus::Moderation => Some("Программа на модерации: изменить её можно после решения оператора."),
        ProgramStatus::Archived => Some("Программа в архиве: её нельзя изменить."),
        _ => None,
    }
}

/// `<form id="program-form">`: creates a program (then opens its page), or
/// saves the changes of `record`.
#[component]
pub(crate) fn ProgramForm(#[prop(optional)] record: Option<RwSignal<ProgramCard>>) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let fields = ProgramFields::new();
    match record {
        Some(record) => record.with_untracked(|card| fields.fill(card)),
        None => {
            let user = untrack(|| session.user());
            let municipality = user.as_ref().and_then(|user| user.municipality_id);
            fields.municipality_id.set(municipality.map(|id| id.to_string()).unwrap_or_default());
            // A new program starts where the organization is: its address and point on the map.
            if let Some(organization) = user.and_then(|user| user.workplace).map(|w| w.organization_id) {
                let (address, lat, lon) = (fields.address, fields.lat, fields.lon);
                leptos::task::spawn_local(async move {
                    if let Ok(card) = catalog::organization(organization).await {
                        if address.with_untracked(String::is_empty) {
                            address.set(card.address);
                        }
                        if let (Some(a), Some(b), true) = (card.lat, card.lon, lat.with_untracked(String::is_empty)) {
                            lat.set(a.to_string());
                            lon.set(b.to_string());
                        }
                    }
                });
            }
        }
    }
    let status = FormStatus::new();
    let save = status.action(
        move |(id, input): (Option<i64>, ProgramInput)| async move {
            match id {
                Some(id) => catalog::update_program(session, id, &input).await,
                None => catalog::create_program(session, &input).await,
            }
        },
        move |card: ProgramCard| match record {
            Some(record) => {
                fields.fill(&card);
                record.set(card);
                status.done("Изменения сохранены.");
            }
            None => navigate(&format!("/cabinet/programs/{}", card.summary.id), NavigateOptions::default()),
        },
    );
    let note = move || record.and_then(|record| record.with(|card| locked_note(card.status)));
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if note().is_some() {
            return;
        }
        let (input, errors) = fields.read();
        let id = record.map(|record| record.with_untracked(|card| card.summary.id));
        send_checked(status, save, (id, input), errors, |(_, input)| input.validate());
    };
    let directions = code_options(Direction::ALL, Direction::as_str, Direction::title);
    let levels = code_options(Level::ALL, Level::as_str, Level::title);
    let costs = code_options(CostType::ALL, CostType::as_str, CostType::title);
    let errors = status.errors;
    view! {
        <form id="program-form" class="form" novalidate=true on:submit=on_submit>
            <FormError status=status />
            {move || note().map(|note| view! { <p class="info-note program-locked" role="note">{note}</p> })}
            <fieldset class="plain-fieldset" disabled=move || note().is_some()>
                <Field name="title" label="Название программы" value=fields.title errors=errors required=true />
                <TextAreaField
                    name="description"
                    label="Описание"
                    value=fields.description
                    errors=errors
                    hint="Чем занимаются дети, чему научатся"
                    required=true
                />
                <TextAreaField name="goals" label="Цели и задачи" value=fields.goals errors=errors />
                <div class="row row-even">
                    <SelectField
                        name="direction"
                        label="Направленность"
                        value=fields.direction
                        errors=errors
                        options=directions
                        placeholder="Выберите"
                        required=true
                    />
                    <Field
                        name="profile"
                        label="Профиль"
                        value=fields.profile
                        errors=errors
                        hint="Например: робототехника"
                        required=true
                    />
                </div>
                <div class="row row-even">
                    <SelectField
                        name="level"
                        label="Уровень"
                        value=fields.level
                        errors=errors
                        options=levels
                        placeholder="Выберите"
                        required=true
                    />
                    <Field
                        name="duration_months"
                        label="Продолжительность, месяцев"
                        value=fields.duration_months
                        errors=errors
                        kind="number"
                        inputmode="numeric"
                        required=true
                    />
                </div>
                <div class="row row-even">
                    <Field
                        name="age_min"
                        label="Возраст от, лет"
                        value=fields.age_min
                        errors=errors
                        kind="number"
                        inputmode="numeric"
                        required=true
                    />
                    <Field
                        name="age_max"
                        label="Возраст до, лет"
                        value=fields.age_max
                        errors=errors
                        kind="number"
                        inputmode="numeric"
                        required=true
                    />
                </div>
                <MunicipalitySelect value=fields.municipality_id errors=errors />
                <Field
                    name="address"
                    label="Адрес места занятий"
                    value=fields.address
                    errors=errors
                    autocomplete="off"
                    required=true
                />
                <PointFields
                    id="program-point"
                    lat=fields.lat
                    lon=fields.lon
                    errors=errors
                    legend="Место на карте"
                    hint="Нажмите на карте место занятий — координаты заполнятся сами; их можно и ввести, \
                          например 54.7826 и 32.0453. Сначала стоит точка организации."
                />
                <TextAreaField
                    name="teachers"
                    label="Педагоги"
                    value=fields.teachers
                    errors=errors
                    hint="По одному на строке: фамилия, имя, отчество"
                />
                <SelectField
                    name="cost_type"
                    label="Оплата"
                    value=fields.cost_type
                    errors=errors
                    options=costs
                    placeholder="Выберите"
                    hint="Оплату сертификатом подтверждает оператор при публикации"
                    required=true
                />
                <fieldset class="group">
                    <legend>"Контакты"</legend>
                    <Field
                        name="contact_name"
                        label="Контактное лицо"
                        value=fields.contact_name
                        errors=errors
                        autocomplete="off"
                    />
                    <Field
                        name="contact_phone"
                        label="Телефон"
                        value=fields.contact_phone
                        errors=errors
                        kind="tel"
                        autocomplete="off"
                        required=true
                    />
                    <Field
                        name="contact_email"
                        label="Электронная почта"
                        value=fields.contact_email
                        errors=errors
                        kind="email"
                        autocomplete="off"
                    />
                </fieldset>
                <CheckboxField
                    name="disability_friendly"
                    label="Подходит детям с ОВЗ"
                    checked=fields.disability_friendly
                    errors=errors
                />
                <SubmitButton
                    pending=save.pending()
                    label=if record.is_some() { "Сохранить изменения" } else { "Создать программу" }
                    busy="Сохраняем…"
                />
            </fieldset>
        </form>
    }
}
