//! Small pieces the cabinet, moderation and organizations pages share: a
//! checkbox, a filter select, the pager, reading numbers from inputs, money.

use chrono::{NaiveDate, NaiveTime};
use leptos::prelude::*;
use navigator_shared::FieldErrors;
use navigator_shared::Problem;
use navigator_shared::reference::{Municipality, Page};

use crate::api;
use crate::components::{FieldScope, FormStatus, Pager, Turn};
use crate::dates;

/// The element id of the field `name` in the current [`FieldScope`].
pub(crate) fn scoped_id(name: &str) -> String {
    match use_context::<FieldScope>() {
        Some(FieldScope(prefix)) => format!("{prefix}{name}"),
        None => name.to_owned(),
    }
}

/// The first message for `name`, as the other fields show it.
#[component]
pub(crate) fn ErrorFor(name: &'static str, errors: RwSignal<FieldErrors>) -> impl IntoView {
    let id = format!("{}-error", scoped_id(name));
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

pub(crate) use crate::components::CheckboxField;

/// A filter `<select>` (`id` = `name`); `all` is the first, empty choice when given.
#[component]
pub(crate) fn FilterSelect(
    name: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    options: Vec<(String, String)>,
    #[prop(optional)] all: Option<&'static str>,
    /// Runs after the choice changed (e.g. back to the first page).
    #[prop(optional)]
    on_change: Option<Callback<()>>,
) -> impl IntoView {
    let choices = options
        .into_iter()
        .map(|(code, text)| {
            let selected = {
                let code = code.clone();
                move || value.with(|v| *v == code)
            };
            view! { <option value=code prop:selected=selected>{text}</option> }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=name>{label}</label>
            <select
                id=name
                name=name
                on:change=move |ev| {
                    value.set(event_target_value(&ev));
                    if let Some(callback) = on_change {
                        callback.run(());
                    }
                }
            >
                {all
                    .map(|text| {
                        view! {
                            <option value="" prop:selected=move || value.with(String::is_empty)>
                                {text}
                            </option>
                        }
                    })}
                {choices}
            </select>
        </div>
    }
}

/// Items on a page of the cabinet's, moderation's and the inboxes' lists.
pub(crate) const LIST_PER_PAGE: i64 = 20;

/// What a list page shows as its page loads: «Загрузка…», the API's refusal,
/// `empty` when nothing matches, or «`counted`: N», the items in a
/// `<div class=list_class>` and the pager.
pub(crate) fn paged_list<T>(
    loaded: Option<Result<Page<T>, Problem>>,
    page: RwSignal<i64>,
    (counted, list_class): (&'static str, &'static str),
    empty: impl FnOnce() -> AnyView,
    item: impl Fn(T) -> AnyView,
) -> AnyView {
    match loaded {
        None => loading_view(),
        Some(Err(problem)) => problem_view(problem),
        Some(Ok(found)) if found.items.is_empty() => empty(),
        Some(Ok(Page { items, total, page: current, per_page })) => {
            let items = items.into_iter().map(item).collect_view();
            view! {
                <p class="list-total">{format!("{counted}: {total}")}</p>
                <div class=list_class>{items}</div>
                <Pager current=current total=total per_page=per_page turn=Turn::Signal(page) />
            }
            .into_any()
        }
    }
}

/// The API's refusal in place of content that did not load.
pub(crate) fn problem_view(problem: Problem) -> AnyView {
    view! { <p class="form-error" role="alert">{problem.detail}</p> }.into_any()
}

/// A page of one record named by the path's `:id`: a way back, then the record
/// `load` fetches shown by `show`, or why it cannot be shown.
pub(crate) fn record_page<T, Fut>(
    back: (&'static str, &'static str),
    missing: &'static str,
    load: impl Fn(crate::api::Session, i64) -> Fut + Copy + 'static,
    show: impl Fn(T) -> AnyView + Copy + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + 'static,
    Fut: std::future::Future<Output = Result<T, navigator_shared::Problem>> + 'static,
{
    let session = crate::api::use_session();
    let params = leptos_router::hooks::use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).and_then(|id| id.parse::<i64>().ok()));
    let loaded = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => load(session, id).await.map_err(|problem| problem.detail),
                None => Err(missing.to_owned()),
            }
        }
    });
    view! {
        <div class="page">
            <p class="back-link">
                <a href=back.0>{back.1}</a>
            </p>
            {move || match loaded.get() {
                None => loading_view(),
                Some(Err(detail)) => view! { <p class="form-error" role="alert">{detail}</p> }.into_any(),
                Some(Ok(record)) => show(record),
            }}
        </div>
    }
}

pub(crate) fn loading_view() -> AnyView {
    view! { <p class="loading">"Загрузка…"</p> }.into_any()
}

/// The region's municipalities, to show their names by id.
#[derive(Clone, Copy)]
pub(crate) struct Municipalities(LocalResource<Result<Vec<Municipality>, Problem>>);

impl Municipalities {
    pub fn load() -> Self {
        Self(LocalResource::new(api::municipalities))
    }

    /// The name of municipality `id` (reactive; empty until the list loads).
    pub fn name(&self, id: i64) -> String {
        self.0
            .get()
            .and_then(Result::ok)
            .and_then(|list| list.into_iter().find(|m| m.id == id))
            .map(|m| m.name)
            .unwrap_or_default()
    }
}

/// `(code, title)` options of a code enum.
pub(crate) fn code_options<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    title: impl Fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter().map(|v| (code(*v).to_owned(), title(*v).to_owned())).collect()
}

/// Reads the text of number and date inputs, collecting what is not a number or a date.
#[derive(Default)]
pub(crate) struct Reader {
    pub errors: FieldErrors,
}

const EMPTY: &str = "Заполните поле";

impl Reader {
    fn text(value: RwSignal<String>) -> String {
        value.with_untracked(|v| v.trim().replace([' ', '\u{a0}'], ""))
    }

    /// A whole number; an error when empty or not a number.
    pub fn int(&mut self, name: &str, value: RwSignal<String>) -> i32 {
        let text = Self::text(value);
        if text.is_empty() {
            self.errors.add(name, EMPTY);
            return 0;
        }
        text.parse().unwrap_or_else(|_| {
            self.errors.add(name, "Введите целое число");
            0
        })
    }

    /// A decimal number (a comma is taken for the point); none when empty.
    pub fn optional_float(&mut self, name: &str, value: RwSignal<String>) -> Option<f64> {
        let text = Self::text(value).replace(',', ".");
        if text.is_empty() {
            return None;
        }
        match text.parse::<f64>() {
            Ok(number) if number.is_finite() => Some(number),
            _ => {
                self.errors.add(name, "Введите число, например 54.7826");
                None
            }
        }
    }

    /// A decimal number; an error when empty.
    pub fn float(&mut self, name: &str, value: RwSignal<String>) -> f64 {
        if Self::text(value).is_empty() {
            self.errors.add(name, EMPTY);
            return 0.0;
        }
        self.optional_float(name, value).unwrap_or(0.0)
    }

    /// Rubles as entered («1500», «1 500,50») in kopecks.
    pub fn kopecks(&mut self, name: &str, value: RwSignal<String>) -> i64 {
        let text = Self::text(value).replace(',', ".");
        if text.is_empty() {
            self.errors.add(name, "Укажите стоимость (0 — бесплатно)");
            return 0;
        }
        kopecks(&text).unwrap_or_else(|| {
            self.errors.add(name, "Введите сумму в рублях, например 1500 или 1500,50");
            0
        })
    }

    /// A date; none when empty.
    pub fn optional_date(&mut self, name: &str, value: RwSignal<String>) -> Option<NaiveDate> {
        dates::read(name, value).unwrap_or_else(|errors| {
            self.errors.merge(errors);
            None
        })
    }

    /// A date; an error when empty.
    pub fn date(&mut self, name: &str, value: RwSignal<String>) -> NaiveDate {
        let date = self.optional_date(name, value);
        if date.is_none() && self.errors.first(name).is_none() {
            self.errors.add(name, "Укажите дату");
        }
        date.unwrap_or_default()
    }

    /// A time of day (`HH:MM`) of the time input; none when empty or not a time.
    pub fn time(value: RwSignal<String>) -> Option<NaiveTime> {
        let text = Self::text(value);
        NaiveTime::parse_from_str(&text, "%H:%M").or_else(|_| NaiveTime::parse_from_str(&text, "%H:%M:%S")).ok()
    }
}

/// `1500.5` → 150050; none when it is not a sum of money.
fn kopecks(text: &str) -> Option<i64> {
    let (whole, part) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(part) || part.len() > 2 {
        return None;
    }
    let part: i64 = if part.is_empty() { 0 } else { format!("{part:0<2}").parse().ok()? };
    whole.parse::<i64>().ok()?.checked_mul(100)?.checked_add(part)
}

pub(crate) use navigator_shared::money::rubles;

/// The text a rubles input holds for `kopecks`: «1500», «1500,50».
pub(crate) fn rubles_input(kopecks: i64) -> String {
    match kopecks % 100 {
        0 => (kopecks / 100).to_string(),
        part => format!("{},{part:02}", kopecks / 100),
    }
}

/// Sends `input` when it was read without errors and passes `validate`;
/// otherwise shows the reading errors and the rules' other messages together.
pub(crate) fn send_checked<I: 'static, V>(
    status: FormStatus,
    action: Action<I, ()>,
    input: I,
    read_errors: FieldErrors,
    validate: impl FnOnce(&I) -> Result<V, FieldErrors>,
) {
    if read_errors.is_empty() {
        status.submit(action, input, validate);
        return;
    }
    status.clear();
    let mut errors = read_errors;
    if let Err(more) = validate(&input) {
        for (field, messages) in more.0 {
            errors.0.entry(field).or_insert(messages);
        }
    }
    status.invalid(errors);
}

/// The browser's «OK / Отмена» question.
pub(crate) fn confirm(question: &str) -> bool {
    window().confirm_with_message(question).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money() {
        assert_eq!(kopecks("1500"), Some(150_000));
        assert_eq!(kopecks("1500.5"), Some(150_050));
        assert_eq!(kopecks("0.05"), Some(5));
        assert_eq!(kopecks("1.234"), None);
        assert_eq!(kopecks("-1"), None);
        assert_eq!(rubles_input(150_050), "1500,50");
    }
}

/// `<input type="month">` with its label: shows `shown` (`2026-11`), hands
/// the picked month to `on_pick`.
#[component]
pub(crate) fn MonthField(
    name: &'static str,
    label: &'static str,
    #[prop(into)] shown: Signal<String>,
    on_pick: impl Fn(String) + 'static,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=name>{label}</label>
            <input
                type="month"
                id=name
                name=name
                prop:value=move || shown.get()
                on:change=move |ev| on_pick(event_target_value(&ev))
            />
        </div>
    }
}
