//! The signed-in user's profile and password change.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use navigator_shared::FieldErrors;
use navigator_shared::accounts::{PasswordChangeRequest, Profile as ProfileData, ProfileUpdate};

use crate::api::{self, use_session};
use crate::components::{Field, FileLink, FormError, FormStatus, MunicipalitySelect, NameFields, SubmitButton};
use crate::dates;
use crate::pages::consent::WithdrawConsent;
use crate::pages::second_factor::SecondFactor;

/// The page (signed-in users only, see the router).
#[component]
pub fn Profile() -> impl IntoView {
    let session = use_session();
    let loaded = LocalResource::new(move || api::me(session));
    view! {
        <div class="page">
            <h1>"Личный кабинет"</h1>
            {move || match loaded.get() {
            None => view! { <p class="loading">"Загрузка…"</p> }.into_any(),
            Some(Err(problem)) => view! { <p class="form-error" role="alert">{problem.detail}</p> }.into_any(),
            // An admin who must turn the second factor on first sees only that.
            Some(Ok(profile)) if profile.second_factor_required => view! {
                <AccountSummary profile=profile.clone() />
                <SecondFactor on=profile.second_factor required=true />
            }
            .into_any(),
            Some(Ok(profile)) => {
                let family = profile_is_family(&profile);
                let staff = profile.role.is_staff();
                let second_factor = profile.second_factor;
                let profile_withdrawal = profile.consent_withdrawal.clone();
                view! {
                <AccountSummary profile=profile.clone() />
                <ProfileForm profile=profile />
                <PasswordForm />
                {staff.then(|| view! { <SecondFactor on=second_factor required=false /> })}
                {family.then(|| view! { <FamilyData withdrawn=profile_withdrawal /> })}
                }
                .into_any()
            }
            }}
        </div>
    }
}

fn profile_is_family(profile: &ProfileData) -> bool {
    matches!(profile.role, navigator_shared::accounts::Role::Parent | navigator_shared::accounts::Role::Learner)
}

/// «Мои данные»: everything held about the family, to keep (152-ФЗ, ст. 14).
#[component]
fn FamilyData(withdrawn: Option<navigator_shared::consent::ConsentWithdrawal>) -> impl IntoView {
    use navigator_shared::privacy::ExportFormat;
    let session = use_session();
    let withdrawn = RwSignal::new(withdrawn);
    let today = dates::today();
    view! {
        <section class="card" id="family-data" aria-labelledby="family-data-title">
            <h2 id="family-data-title">"Мои данные"</h2>
            <p>
                "Всё, что Навигатор хранит о вас и ваших детях: учётная запись, согласия, данные детей, "
                "сертификаты и движение средств, заявки и договоры, сообщения, представители ребёнка — и кто "
                "из сотрудников и представителей открывал или менял данные ребёнка."
            </p>
            <div class="actions">
                <FileLink
                    class="download-pdf"
                    title="Скачать PDF"
                    file=format!("navigator-{today}.pdf")
                    about="все данные семьи для чтения и печати".to_owned()
                    load=move || api::family_data(session, ExportFormat::Pdf)
                />
                <FileLink
                    class="download-json"
                    title="Скачать JSON"
                    file=format!("navigator-{today}.json")
                    about="все данные семьи в машиночитаемом виде".to_owned()
                    load=move || api::family_data(session, ExportFormat::Json)
                />
            </div>
            <WithdrawConsent
                what="данных всей учётной записи"
                consequences="Согласие будет отозвано для вас и для всех детей в учётной записи: сертификаты \
                              исключены из реестра, заявки отменены, договоры расторгнуты. Учётная запись будет \
                              закрыта, когда данные обезличат."
                withdrawn=withdrawn
                send=move || async move { api::withdraw_account_consent(session).await.map(|now| now.consent_withdrawal) }
            />
        </section>
    }
}

#[component]
fn AccountSummary(profile: ProfileData) -> impl IntoView {
    let confirmed = if profile.email_confirmed { "подтверждена" } else { "не подтверждена" };
    view! {
        <section class="card">
            <h2>"Учётная запись"</h2>
            <dl class="summary">
                <dt>"Электронная почта"</dt>
                <dd>{profile.email} " " <span class="muted">{format!("({confirmed})")}</span></dd>
                <dt>"Роль"</dt>
                <dd>{profile.role.title()}</dd>
            </dl>
        </section>
    }
}

/// The value when it differs from what is saved.
fn changed(value: RwSignal<String>, saved: &str) -> Option<String> {
    value.with_untracked(|v| (v != saved).then(|| v.clone()))
}

/// Every editable field of the profile, as the inputs hold it.
#[derive(Clone, Copy)]
struct ProfileFields {
    phone: RwSignal<String>,
    last_name: RwSignal<String>,
    first_name: RwSignal<String>,
    middle_name: RwSignal<String>,
    municipality_id: RwSignal<String>,
    passport: Passport,
}

/// The passport and the address, as the inputs hold them: the profile's and
/// the desk's (entered from the paper documents).
#[derive(Clone, Copy)]
pub(crate) struct Passport {
    pub series: RwSignal<String>,
    pub number: RwSignal<String>,
    pub issued_by: RwSignal<String>,
    pub issued_at: RwSignal<String>,
    pub address: RwSignal<String>,
}

impl Passport {
    pub fn new() -> Self {
        Self {
            series: RwSignal::new(String::new()),
            number: RwSignal::new(String::new()),
            issued_by: RwSignal::new(String::new()),
            issued_at: RwSignal::new(String::new()),
            address: RwSignal::new(String::new()),
        }
    }
}

/// The passport's inputs in their group, and the address.
#[component]
pub(crate) fn PassportInputs(
    fields: Passport,
    errors: RwSignal<FieldErrors>,
    /// What the group says under its title.
    hint: &'static str,
    #[prop(default = "Адрес проживания")] address_label: &'static str,
) -> impl IntoView {
    view! {
        <fieldset class="group">
            <legend>"Паспорт"</legend>
            <p class="hint">{hint}</p>
            <div class="row">
                <Field
                    name="passport_series"
                    label="Серия"
                    value=fields.series
                    errors=errors
                    inputmode="numeric"
                    autocomplete="off"
                />
                <Field
                    name="passport_number"
                    label="Номер"
                    value=fields.number
                    errors=errors
                    inputmode="numeric"
                    autocomplete="off"
                />
            </div>
            <Field name="passport_issued_by" label="Кем выдан" value=fields.issued_by errors=errors autocomplete="off" />
            <Field
                name="passport_issued_at"
                label="Дата выдачи"
                value=fields.issued_at
                errors=errors
                kind="date"
                autocomplete="off"
            />
        </fieldset>
        <Field name="address" label=address_label value=fields.address errors=errors autocomplete="street-address" />
    }
}

impl ProfileFields {
    fn new(profile: &ProfileData) -> Self {
        let fields = Self {
            phone: RwSignal::new(String::new()),
            last_name: RwSignal::new(String::new()),
            first_name: RwSignal::new(String::new()),
            middle_name: RwSignal::new(String::new()),
            municipality_id: RwSignal::new(String::new()),
            passport: Passport::new(),
        };
        fields.fill(profile);
        fields
    }

    fn fill(&self, p: &ProfileData) {
        self.phone.set(p.phone.clone());
        self.last_name.set(p.last_name.clone());
        self.first_name.set(p.first_name.clone());
        self.middle_name.set(p.middle_name.clone());
        self.municipality_id.set(p.municipality_id.map(|id| id.to_string()).unwrap_or_default());
        self.passport.series.set(p.passport_series.clone());
        self.passport.number.set(p.passport_number.clone());
        self.passport.issued_by.set(p.passport_issued_by.clone());
        self.passport.issued_at.set(dates::input_text(p.passport_issued_at));
        self.passport.address.set(p.address.clone());
    }

    /// Only the fields that differ from `saved`; a date that is not a date is an error.
    fn changes(&self, saved: &ProfileData) -> Result<ProfileUpdate, FieldErrors> {
        let issued_at = dates::read("passport_issued_at", self.passport.issued_at)?;
        let saved_municipality = saved.municipality_id.map(|id| id.to_string()).unwrap_or_default();
        Ok(ProfileUpdate {
            phone: changed(self.phone, &saved.phone),
            last_name: changed(self.last_name, &saved.last_name),
            first_name: changed(self.first_name, &saved.first_name),
            middle_name: changed(self.middle_name, &saved.middle_name),
            municipality_id: changed(self.municipality_id, &saved_municipality).map(|id| id.parse().unwrap_or(0)),
            passport_series: changed(self.passport.series, &saved.passport_series),
            passport_number: changed(self.passport.number, &saved.passport_number),
            passport_issued_by: changed(self.passport.issued_by, &saved.passport_issued_by),
            passport_issued_at: (issued_at != saved.passport_issued_at).then_some(issued_at),
            address: changed(self.passport.address, &saved.address),
        })
    }
}

fn is_empty(update: &ProfileUpdate) -> bool {
    let ProfileUpdate {
        phone,
        last_name,
        first_name,
        middle_name,
        municipality_id,
        passport_series,
        passport_number,
        passport_issued_by,
        passport_issued_at,
        address,
    } = update;
    [phone, last_name, first_name, middle_name, passport_series, passport_number, passport_issued_by, address]
        .iter()
        .all(|f| f.is_none())
        && municipality_id.is_none()
        && passport_issued_at.is_none()
}

#[component]
fn ProfileForm(profile: ProfileData) -> impl IntoView {
    let session = use_session();
    let fields = ProfileFields::new(&profile);
    let staff = profile.role.is_staff();
    let saved = StoredValue::new(profile);
    let status = FormStatus::new();

    let save = status.action(
        move |update: ProfileUpdate| async move { api::update_profile(session, &update).await },
        move |profile: ProfileData| {
            fields.fill(&profile);
            saved.set_value(profile);
            status.done("Данные сохранены.");
        },
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        status.clear();
        let update = match saved.with_value(|saved| fields.changes(saved)) {
            Ok(update) => update,
            Err(errors) => return status.invalid(errors),
        };
        if is_empty(&update) {
            status.done("Изменений нет — сохранять нечего.");
            return;
        }
        let today = chrono::Local::now().date_naive();
        status.submit(save, update, |update| update.validate(today));
    };
    let pending = save.pending();

    view! {
        <section class="card">
            <h2>"Личные данные"</h2>
            <form id="profile-form" class="form" novalidate=true on:submit=on_submit>
                <FormError status=status />
                <NameFields
                    last_name=fields.last_name
                    first_name=fields.first_name
                    middle_name=fields.middle_name
                    errors=status.errors
                />
                <Field
                    name="phone"
                    label="Телефон"
                    value=fields.phone
                    errors=status.errors
                    kind="tel"
                    autocomplete="tel"
                    hint="Например, +7 912 345-67-89"
                    required=true
                />
                {(!staff).then(|| view! { <MunicipalitySelect value=fields.municipality_id errors=status.errors /> })}
                {staff.then(|| view! {
                    <p class="hint" id="municipality-assigned">
                        "Муниципалитет и организацию сотрудника назначает администратор — в профиле они не меняются."
                    </p>
                })}
                <PassportInputs
                    fields=fields.passport
                    errors=status.errors
                    hint="Нужен для получения сертификата. Хранится в зашифрованном виде."
                />
                <SubmitButton pending=pending label="Сохранить" busy="Сохраняем…" />
            </form>
        </section>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let session = use_session();
    let current_password = RwSignal::new(String::new());
    let new_password = RwSignal::new(String::new());
    let status = FormStatus::new();

    let change = status.action(
        move |request: PasswordChangeRequest| async move { api::change_password(session, &request).await },
        move |()| {
            current_password.set(String::new());
            new_password.set(String::new());
            status.done("Пароль изменён.");
        },
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let request = PasswordChangeRequest {
            current_password: current_password.get_untracked(),
            new_password: new_password.get_untracked(),
        };
        status.submit(change, request, PasswordChangeRequest::validate);
    };
    let pending = change.pending();

    view! {
        <section class="card">
            <h2>"Сменить пароль"</h2>
            <form id="password-form" class="form" novalidate=true on:submit=on_submit>
                <FormError status=status />
                <Field
                    name="current_password"
                    label="Текущий пароль"
                    value=current_password
                    errors=status.errors
                    kind="password"
                    autocomplete="current-password"
                    required=true
                />
                <Field
                    name="new_password"
                    label="Новый пароль"
                    value=new_password
                    errors=status.errors
                    kind="password"
                    autocomplete="new-password"
                    hint="Не короче 12 символов"
                    required=true
                />
                <SubmitButton pending=pending label="Сменить пароль" busy="Сохраняем…" />
            </form>
        </section>
    }
}
