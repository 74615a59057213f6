//! The state every form shares: field errors, the form-level error, and how
//! they are filled from the shared validation rules or from the API's answer.

use leptos::prelude::*;
use navigator_shared::{FieldErrors, Problem};
use wasm_bindgen::JsCast;

/// Errors of one form: messages under the fields and one above the form.
#[derive(Clone, Copy)]
pub struct FormStatus {
    pub errors: RwSignal<FieldErrors>,
    pub error: RwSignal<Option<String>>,
}

impl FormStatus {
    pub fn new() -> Self {
        Self { errors: RwSignal::new(FieldErrors::new()), error: RwSignal::new(None) }
    }

    /// Forgets earlier errors before a new attempt.
    pub fn clear(&self) {
        self.errors.set(FieldErrors::new());
        self.error.set(None);
    }

    /// Checks `input` with the shared rules and sends it with `action` only
    /// when they pass; otherwise shows their messages.
    pub fn submit<I: 'static, V>(
        &self,
        action: Action<I, ()>,
        input: I,
        validate: impl FnOnce(&I) -> Result<V, FieldErrors>,
    ) {
        self.clear();
        match validate(&input) {
            Ok(_) => {
                action.dispatch_local(input);
            }
            Err(errors) => self.invalid(errors),
        }
    }

    /// The form failed the shared validation rules: nothing was sent.
    pub fn invalid(&self, errors: FieldErrors) {
        focus_first_error(&errors);
        self.error.set(Some("Проверьте поля, отмеченные ниже.".to_owned()));
        self.errors.set(errors);
    }

    /// The API refused: its `detail` above the form, its field messages under the fields.
    pub fn failed(&self, problem: Problem) {
        focus_first_error(&problem.errors);
        self.error.set(Some(problem.detail));
        self.errors.set(problem.errors);
    }
}

impl Default for FormStatus {
    fn default() -> Self {
        Self::new()
    }
}

/// Moves the keyboard focus to the first field, in page order, that has an error.
fn focus_first_error(errors: &FieldErrors) {
    let Ok(fields) = document().query_selector_all("input[name], select[name]") else { return };
    let first = (0..fields.length())
        .filter_map(|i| fields.item(i)?.dyn_into::<web_sys::HtmlElement>().ok())
        .find(|field| errors.0.contains_key(&field.id()));
    if let Some(field) = first {
        let _ = field.focus();
    }
}

/// The form-level error, announced to screen readers.
#[component]
pub fn FormError(status: FormStatus) -> impl IntoView {
    move || status.error.get().map(|message| view! { <p class="form-error" role="alert">{message}</p> })
}

/// A success message.
#[component]
pub fn Notice(children: Children) -> impl IntoView {
    view! {
        <div class="notice" role="status">
            {children()}
        </div>
    }
}
