//! The state every form shares: field errors, the form-level error, the
//! success notice, and how they are filled from the shared validation rules
//! or from the API's answer.

use std::future::Future;

use leptos::html;
use leptos::prelude::*;
use navigator_shared::{FieldErrors, Problem};
use wasm_bindgen::JsCast;

/// The outcome of one form's last attempt: messages under the fields, one
/// error above the form, or a success notice above it.
#[derive(Clone, Copy)]
pub struct FormStatus {
    pub errors: RwSignal<FieldErrors>,
    pub error: RwSignal<Option<String>>,
    pub notice: RwSignal<Option<String>>,
    /// The shown form-level error: the form it stands in holds the fields.
    alert: NodeRef<html::P>,
}

impl FormStatus {
    pub fn new() -> Self {
        Self {
            errors: RwSignal::new(FieldErrors::new()),
            error: RwSignal::new(None),
            notice: RwSignal::new(None),
            alert: NodeRef::new(),
        }
    }

    /// Forgets the earlier outcome before a new attempt.
    pub fn clear(&self) {
        self.errors.set(FieldErrors::new());
        self.error.set(None);
        self.notice.set(None);
    }

    /// The attempt succeeded: `message` above the form.
    pub fn done(&self, message: impl Into<String>) {
        self.notice.set(Some(message.into()));
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

    /// An action that sends the form's input with `send`: the answer goes to
    /// `done`, a refusal of the API to this form.
    pub fn action<I, T, Fut>(
        self,
        send: impl Fn(I) -> Fut + 'static,
        done: impl Fn(T) + Clone + 'static,
    ) -> Action<I, ()>
    where
        I: Clone + 'static,
        T: 'static,
        Fut: Future<Output = Result<T, Problem>> + 'static,
    {
        Action::new_local(move |input: &I| {
            let sent = send(input.clone());
            let done = done.clone();
            async move {
                match sent.await {
                    Ok(answer) => done(answer),
                    Err(problem) => self.failed(problem),
                }
            }
        })
    }

    /// The form failed the shared validation rules: nothing was sent.
    pub fn invalid(&self, errors: FieldErrors) {
        self.error.set(Some("Проверьте поля, отмеченные ниже.".to_owned()));
        self.errors.set(errors);
        self.show_first_error();
    }

    /// The API refused: its `detail` above the form, its field messages under the fields.
    pub fn failed(&self, problem: Problem) {
        self.error.set(Some(problem.detail));
        self.errors.set(problem.errors);
        self.show_first_error();
    }

    /// Once the messages are drawn, moves the keyboard focus to the first
    /// field of this form, in page order, that has an error, and scrolls it
    /// into view. Fields are found by their `name`, the API field name: their
    /// ids may carry a [`FieldScope`](super::FieldScope) prefix.
    fn show_first_error(&self) {
        let (alert, errors) = (self.alert, self.errors);
        request_animation_frame(move || {
            // The form may be gone by the next frame; controls outside a
            // <form> stand beside their form-level error.
            let form = alert
                .try_get_untracked()
                .flatten()
                .and_then(|alert| alert.closest("form").ok().flatten().or_else(|| alert.parent_element()));
            let fields = match form {
                Some(form) => form.query_selector_all(FIELDS),
                None => document().query_selector_all(FIELDS),
            };
            let Ok(fields) = fields else { return };
            let first = errors
                .try_with_untracked(|errors| {
                    (0..fields.length())
                        .filter_map(|i| fields.item(i)?.dyn_into::<web_sys::HtmlElement>().ok())
                        .find(|field| field.get_attribute("name").is_some_and(|name| errors.0.contains_key(&name)))
                })
                .flatten();
            if let Some(field) = first {
                let options = web_sys::ScrollIntoViewOptions::new();
                options.set_block(web_sys::ScrollLogicalPosition::Center);
                field.scroll_into_view_with_scroll_into_view_options(&options);
                let _ = field.focus();
            }
        });
    }
}

impl Default for FormStatus {
    fn default() -> Self {
        Self::new()
    }
}

/// The elements that can hold an error of an API field.
const FIELDS: &str = "input[name], select[name], textarea[name]";

/// The form-level error, announced to screen readers, or the success notice.
#[component]
pub fn FormError(status: FormStatus) -> impl IntoView {
    view! {
        {move || status.notice.get().map(|message| view! { <Notice><p>{message}</p></Notice> })}
        {move || {
            status.error.get().map(|message| view! { <p class="form-error" role="alert" node_ref=status.alert>{message}</p> })
        }}
    }
}

/// The one submit button of a form; while `pending` it is disabled and says `busy`.
#[component]
pub fn SubmitButton(
    pending: Memo<bool>,
    label: &'static str,
    #[prop(default = "Отправляем…")] busy: &'static str,
) -> impl IntoView {
    view! {
        <button type="submit" class="button" disabled=move || pending.get()>
            {move || if pending.get() { busy } else { label }}
        </button>
    }
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
