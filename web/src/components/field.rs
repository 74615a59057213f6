//! Form fields with their label and error message, named as the API field.

use leptos::prelude::*;
use navigator_shared::FieldErrors;

use crate::api;

/// A prefix for the element ids of the fields inside, for a page with two
/// forms that share an API field name (provide it as a context).
#[derive(Clone, Copy)]
pub struct FieldScope(pub &'static str);

/// The element id of the field `name` in the current scope.
fn element_id(name: &str) -> String {
    match use_context::<FieldScope>() {
        Some(FieldScope(prefix)) => format!("{prefix}{name}"),
        None => name.to_owned(),
    }
}

/// Ids of the hint and error paragraphs that describe a field.
fn described_by(name: &str, hint: bool, error: bool) -> Option<String> {
    let ids: Vec<String> = [(hint, "hint"), (error, "error")]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, kind)| format!("{name}-{kind}"))
        .collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// The first message for `name`, as `<p class="field-error" data-error-for=name>`.
#[component]
fn FieldMessage(name: &'static str, errors: RwSignal<FieldErrors>) -> impl IntoView {
    let id = format!("{}-error", element_id(name));
    move || {
        errors.with(|e| e.first(name).map(str::to_owned)).map(|message| {
            view! {
                <p class="field-error" data-error-for=name id=id.clone()>
                    {message}
                </p>
            }
        })
    }
}

/// The label of a field, with a star when it is required.
#[component]
fn FieldLabel(name: &'static str, label: &'static str, required: bool) -> impl IntoView {
    view! {
        <label for=element_id(name)>
            {label}
            {required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}
        </label>
    }
}

/// The line under a label that tells what to enter, `id="{name}-hint"`.
#[component]
fn FieldHint(name: &'static str, hint: MaybeProp<&'static str>) -> impl IntoView {
    let id = format!("{}-hint", element_id(name));
    move || hint.get().map(|hint| view! { <p class="hint" id=id.clone()>{hint}</p> })
}

/// A labelled `<input>` whose `id` and `name` are the API field name.
#[component]
pub fn Field(
    /// API field name; also the `id` and `name` of the input.
    name: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    errors: RwSignal<FieldErrors>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    /// A line under the label; may change (e.g. with the document type).
    #[prop(optional, into)]
    hint: MaybeProp<&'static str>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let has_error = move || errors.with(|e| e.first(name).is_some());
    let id = element_id(name);
    let described = {
        let id = id.clone();
        move || described_by(&id, hint.get().is_some(), has_error())
    };
    view! {
        <div class="field">
            <FieldLabel name=name label=label required=required />
            <FieldHint name=name hint=hint />
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                inputmode=inputmode
                aria-required=required.then_some("true")
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=described
                bind:value=value
            />
            <FieldMessage name=name errors=errors />
        </div>
    }
}

/// A labelled `<textarea>` whose `id` and `name` are the API field name.
#[component]
pub fn TextAreaField(
    name: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    errors: RwSignal<FieldErrors>,
    #[prop(optional, into)] hint: MaybeProp<&'static str>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let has_error = move || errors.with(|e| e.first(name).is_some());
    let id = element_id(name);
    let described = {
        let id = id.clone();
        move || described_by(&id, hint.get().is_some(), has_error())
    };
    view! {
        <div class="field">
            <FieldLabel name=name label=label required=required />
            <FieldHint name=name hint=hint />
            <textarea
                id=id
                name=name
                rows="3"
                aria-required=required.then_some("true")
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
            <FieldMessage name=name errors=errors />
        </div>
    }
}

/// The `email` field.
#[component]
pub fn EmailField(
    value: RwSignal<String>,
    errors: RwSignal<FieldErrors>,
    #[prop(default = "email")] autocomplete: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    view! {
        <Field
            name="email"
            label="Электронная почта"
            value=value
            errors=errors
            kind="email"
            autocomplete=autocomplete
            hint=hint
            required=true
        />
    }
}

/// The `code` field of the authenticator app's six digits (signing in,
/// turning the second factor on or off).
#[component]
pub fn CodeField(value: RwSignal<String>, errors: RwSignal<FieldErrors>) -> impl IntoView {
    view! {
        <Field
            name="code"
            label="Код из приложения-аутентификатора"
            value=value
            errors=errors
            inputmode="numeric"
            autocomplete="one-time-code"
            hint="6 цифр; код меняется каждые 30 секунд"
            required=true
        />
    }
}

/// Whom an account is opened for: the full name, the email the link to set
/// the password goes to, and the phone.
#[component]
pub fn InviteeFields(
    last_name: RwSignal<String>,
    first_name: RwSignal<String>,
    middle_name: RwSignal<String>,
    email: RwSignal<String>,
    phone: RwSignal<String>,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    view! {
        <NameFields
            last_name=last_name
            first_name=first_name
            middle_name=middle_name
            errors=errors
            other_person=true
        />
        <EmailField value=email errors=errors autocomplete="off" hint="Сюда придёт письмо, чтобы задать пароль" />
        <Field name="phone" label="Телефон" value=phone errors=errors kind="tel" autocomplete="off" required=true />
    }
}

/// `last_name`, `first_name` and `middle_name`.
#[component]
pub fn NameFields(
    last_name: RwSignal<String>,
    first_name: RwSignal<String>,
    middle_name: RwSignal<String>,
    errors: RwSignal<FieldErrors>,
    /// Someone else's name (a child's): the browser must not offer the user's own.
    #[prop(optional)]
    other_person: bool,
) -> impl IntoView {
    let autocomplete = move |own: &'static str| if other_person { "off" } else { own };
    view! {
        <Field
            name="last_name"
            label="Фамилия"
            value=last_name
            errors=errors
            autocomplete=autocomplete("family-name")
            required=true
        />
        <Field
            name="first_name"
            label="Имя"
            value=first_name
            errors=errors
            autocomplete=autocomplete("given-name")
            required=true
        />
        <Field
            name="middle_name"
            label="Отчество"
            value=middle_name
            errors=errors
            autocomplete=autocomplete("additional-name")
            hint="Если есть"
        />
    }
}

/// A labelled `<select>` whose `id` and `name` are the API field name; the
/// first option is the empty choice `placeholder`.
#[component]
pub fn SelectField(
    /// API field name; also the `id` and `name` of the select.
    name: &'static str,
    label: &'static str,
    /// The chosen option's value; empty when none is chosen.
    value: RwSignal<String>,
    errors: RwSignal<FieldErrors>,
    /// `(value, text)` of each option; may arrive later (loaded from the API).
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    placeholder: &'static str,
    #[prop(optional)] required: bool,
    /// Shown under the select (e.g. a loading failure).
    #[prop(optional, into)]
    hint: MaybeProp<&'static str>,
) -> impl IntoView {
    let has_error = move || errors.with(|e| e.first(name).is_some());
    let id = element_id(name);
    let described = {
        let id = id.clone();
        move || described_by(&id, hint.get().is_some(), has_error())
    };
    // Each option knows whether it is chosen: the options may come after the value.
    let choices = move || {
        options
            .get()
            .into_iter()
            .map(|(id, text)| {
                let selected = {
                    let id = id.clone();
                    move || value.with(|v| *v == id)
                };
                view! { <option value=id prop:selected=selected>{text}</option> }
            })
            .collect_view()
    };
    view! {
        <div class="field">
            <FieldLabel name=name label=label required=required />
            <select
                id=id
                name=name
                aria-required=required.then_some("true")
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=described
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                <option value="" prop:selected=move || value.with(String::is_empty)>
                    {placeholder}
                </option>
                {choices}
            </select>
            <FieldHint name=name hint=hint />
            <FieldMessage name=name errors=errors />
        </div>
    }
}

/// The municipality `<select>` (`municipality_id`), filled from the API.
#[component]
pub fn MunicipalitySelect(
    /// The selected id as text; empty when none is chosen.
    value: RwSignal<String>,
    errors: RwSignal<FieldErrors>,
    #[prop(default = true)] required: bool,
    #[prop(default = "Выберите муниципалитет")] placeholder: &'static str,
) -> impl IntoView {
    let list = LocalResource::new(api::municipalities);
    let options = Signal::derive(move || match list.get() {
        Some(Ok(items)) => items.into_iter().map(|m| (m.id.to_string(), m.name)).collect(),
        _ => Vec::new(),
    });
    let hint = Signal::derive(move || {
        matches!(list.get(), Some(Err(_))).then_some("Не удалось загрузить список муниципалитетов. Обновите страницу.")
    });
    view! {
        <SelectField
            name="municipality_id"
            label="Муниципалитет"
            value=value
            errors=errors
            options=options
            placeholder=placeholder
            required=required
            hint=hint
        />
    }
}

/// A labelled checkbox whose `id` and `name` are the API field name.
#[component]
pub fn CheckboxField(
    name: &'static str,
    label: &'static str,
    checked: RwSignal<bool>,
    errors: RwSignal<FieldErrors>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let id = element_id(name);
    let hint_id = format!("{id}-hint");
    view! {
        <div class="field checkbox-field">
            <label class="checkbox" for=id.clone()>
                <input
                    type="checkbox"
                    id=id.clone()
                    name=name
                    aria-describedby=hint.map(|_| hint_id.clone())
                    prop:checked=move || checked.get()
                    on:change=move |ev| checked.set(event_target_checked(&ev))
                />
                <span>{label}</span>
            </label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
            <FieldMessage name=name errors=errors />
        </div>
    }
}

/// The applicant's two consents, ticked by the applicant himself (seed 004:
/// «Галочки должен поставить Заявитель!»).
#[component]
pub fn ConsentBoxes(
    personal_data: RwSignal<bool>,
    rules: RwSignal<bool>,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    view! {
        <fieldset class="group consents">
            <legend>"Согласия заявителя"</legend>
            <CheckboxField
                name="consent_personal_data"
                label=navigator_shared::consent::PERSONAL_DATA
                checked=personal_data
                errors=errors
            />
            <CheckboxField name="consent_rules" label=navigator_shared::consent::RULES checked=rules errors=errors />
            <p class="hint">{format!("Редакция текста согласий от {}.", navigator_shared::consent::VERSION)}</p>
        </fieldset>
    }
}

/// `(value, text)` options of a select.
pub fn select_options(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(value, text)| ((*value).to_owned(), (*text).to_owned())).collect()
}
