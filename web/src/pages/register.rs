use chrono::NaiveDate;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use navigator_shared::FieldErrors;
use navigator_shared::accounts::{Message, RegisterRequest, ValidRegistration};

use crate::components::{
    ConsentBoxes, EmailField, Field, FormError, FormStatus, MunicipalitySelect, NameFields, Notice, SubmitButton,
};
use crate::{api, dates};

/// The shared rules, with an unreadable birth date reported as such.
fn check(
    request: &RegisterRequest,
    birth: &Result<Option<NaiveDate>, FieldErrors>,
    today: NaiveDate,
) -> Result<ValidRegistration, FieldErrors> {
    let mut errors = request.validate(today).err().unwrap_or_default();
    if let Err(unreadable) = birth {
        errors.0.remove("birth_date");
        errors.merge(unreadable.clone());
    }
    errors.finish(|| request.validate(today).ok())
}

#[component]
pub fn Register() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let last_name = RwSignal::new(String::new());
    let first_name = RwSignal::new(String::new());
    let middle_name = RwSignal::new(String::new());
    let municipality = RwSignal::new(String::new());
    let learner = RwSignal::new(false);
    let birth_date = RwSignal::new(String::new());
    let consent_personal_data = RwSignal::new(false);
    let consent_rules = RwSignal::new(false);
    let status = FormStatus::new();
    let done = RwSignal::new(None::<String>);

    let submit = status.action(
        |request: RegisterRequest| async move { api::register(&request).await },
        move |message: Message| done.set(Some(message.detail)),
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let birth = if learner.get_untracked() { dates::read("birth_date", birth_date) } else { Ok(None) };
        let request = RegisterRequest {
            email: email.get_untracked(),
            password: password.get_untracked(),
            phone: phone.get_untracked(),
            last_name: last_name.get_untracked(),
            first_name: first_name.get_untracked(),
            middle_name: middle_name.get_untracked(),
            municipality_id: municipality.with_untracked(|id| id.parse().unwrap_or(0)),
            learner: learner.get_untracked(),
            birth_date: birth.clone().ok().flatten(),
            consent_personal_data: consent_personal_data.get_untracked(),
            consent_rules: consent_rules.get_untracked(),
        };
        let today = chrono::Local::now().date_naive();
        status.submit(submit, request, move |request| check(request, &birth, today));
    };
    let pending = submit.pending();

    let form = move || {
        view! {
            <form class="form" novalidate=true on:submit=on_submit>
                <FormError status=status />
                <fieldset class="group choice" id="account-kind">
                    <legend>"Кто регистрируется"</legend>
                    <label>
                        <input
                            type="radio"
                            name="account_kind"
                            value="parent"
                            prop:checked=move || !learner.get()
                            on:change=move |_| learner.set(false)
                        />
                        " Родитель (законный представитель) — для всех детей семьи"
                    </label>
                    <label>
                        <input
                            type="radio"
                            name="account_kind"
                            value="learner"
                            prop:checked=move || learner.get()
                            on:change=move |_| learner.set(true)
                        />
                        " Я обучающийся, мне 14 лет или больше — регистрируюсь сам"
                    </label>
                </fieldset>
                <NameFields last_name=last_name first_name=first_name middle_name=middle_name errors=status.errors />
                <Show when=move || learner.get()>
                    <Field
                        name="birth_date"
                        label="Дата рождения"
                        value=birth_date
                        errors=status.errors
                        kind="date"
                        autocomplete="bday"
                        hint="Самостоятельно регистрируются с 14 до 18 лет"
                        required=true
                    />
                </Show>
                <EmailField value=email errors=status.errors hint="На неё придёт письмо для подтверждения" />
                <Field
                    name="phone"
                    label="Телефон"
                    value=phone
                    errors=status.errors
                    kind="tel"
                    autocomplete="tel"
                    hint="Например, +7 912 345-67-89"
                    required=true
                />
                <MunicipalitySelect value=municipality errors=status.errors />
                <Field
                    name="password"
                    label="Пароль"
                    value=password
                    errors=status.errors
                    kind="password"
                    autocomplete="new-password"
                    hint="Не короче 12 символов; удобно взять фразу из нескольких слов"
                    required=true
                />
                <ConsentBoxes personal_data=consent_personal_data rules=consent_rules errors=status.errors />
                <SubmitButton pending=pending label="Зарегистрироваться" />
                <p class="form-links">"Уже зарегистрированы? " <a href="/login">"Войти"</a></p>
            </form>
        }
    };

    view! {
        <section class="card narrow">
            <h1>"Регистрация"</h1>
            {move || match done.get() {
                Some(detail) => {
                    view! {
                        <Notice>
                            <p>{detail}</p>
                            <p>"Откройте ссылку из письма, чтобы подтвердить адрес, а затем войдите."</p>
                        </Notice>
                        <p>
                            <a href="/login">"Перейти ко входу"</a>
                        </p>
                    }
                        .into_any()
                }
                None => form().into_any(),
            }}
        </section>
    }
}
