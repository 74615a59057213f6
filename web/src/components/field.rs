//! Form fields with their label and error message, named as the API field.

use leptos::prelude::*;
use navigator_shared::FieldErrors;

use crate::api;

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
    move || {
        errors.with(|e| e.first(name).map(str::to_owned)).map(|message| {
            view! {
                <p class="field-error" data-error-for=name id=format!("{name}-error")>
                    {message}
                </p>
            }
        })
    }
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
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let has_error = move || errors.with(|e| e.first(name).is_some());
    view! {
        <div class="field">
            <label for=name>
                {label}
                {required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}
            </label>
            {hint.map(|hint| view! { <p class="hint" id=format!("{name}-hint")>{hint}</p> })}
            <input
                id=name
                name=name
                type=kind
                autocomplete=autocomplete
                inputmode=inputmode
                aria-required=required.then_some("true")
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=move || described_by(name, hint.is_some(), has_error())
                bind:value=value
            />
            <FieldMessage name=name errors=errors />
        </div>
    }
}

/// The municipality `<select>`, filled from the API.
#[component]
pub fn MunicipalitySelect(
    /// The selected id as text; empty when none is chosen.
    value: RwSignal<String>,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    const NAME: &str = "municipality_id";
    let list = LocalResource::new(api::municipalities);
    let has_error = move || errors.with(|e| e.first(NAME).is_some());
    let options = move || match list.get() {
        Some(Ok(items)) => items
            .into_iter()
            .map(|m| {
                let id = m.id.to_string();
                let selected = {
                    let id = id.clone();
                    move || value.with(|v| *v == id)
                };
                view! { <option value=id prop:selected=selected>{m.name}</option> }
            })
            .collect_view()
            .into_any(),
        _ => ().into_any(),
    };
    let load_error = move || {
        matches!(list.get(), Some(Err(_))).then(|| {
            view! { <p class="hint">"Не удалось загрузить список муниципалитетов. Обновите страницу."</p> }
        })
    };
    view! {
        <div class="field">
            <label for=NAME>
                "Муниципалитет" <span class="required" aria-hidden="true">" *"</span>
            </label>
            <select
                id=NAME
                name=NAME
                aria-required="true"
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=move || described_by(NAME, false, has_error())
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                <option value="" prop:selected=move || value.with(String::is_empty)>
                    "Выберите муниципалитет"
                </option>
                {options}
            </select>
            {load_error}
            <FieldMessage name=NAME errors=errors />
        </div>
    }
}
