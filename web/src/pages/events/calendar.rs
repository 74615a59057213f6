//! `/events`: the public calendar of events. The filters and the view live
//! in the URL (`q`, `municipality_id`, `direction`, `kind`, `age`, `from`,
//! `to`, `page`, `view=month|week`, `at` — a day of the month or week
//! shown), so a calendar can be shared and the back button returns to the
//! previous one: the form and the results follow the URL, and using the form
//! navigates to a new URL.
//!
//! The list (by start, page by page) is the comfortable view on a phone; the
//! month is a grid whose days show their events (on a phone as marks), the
//! week a list of its seven days.

use chrono::{Datelike, Months, NaiveDate, TimeDelta};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use navigator_shared::FieldErrors;
use navigator_shared::catalog::Direction;
use navigator_shared::events::{Event, EventKind, EventStatus, EventsQuery};
use navigator_shared::reference::Page;
use wasm_bindgen::JsCast;

use super::{machine_time, on_day, over_badge, place_text, places_text, price_text, remember_calendar, when};
use crate::api::events;
use crate::components::{MunicipalitySelect, Pager, SelectField, Turn};
use crate::dates;
use crate::pages::cabinet::widgets::code_options;
use crate::pages::catalog::{ages, page_title};

/// The longest search text the API takes.
const MAX_TEXT: usize = 200;
/// The longest period the API lists.
const MAX_DAYS: i64 = 400;
/// Events a month or a week asks for at once (the API's most).
const PERIOD_PER_PAGE: i64 = 100;

/// How the events are shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum View {
    #[default]
    List,
    Month,
    Week,
}

impl View {
    fn key(self) -> &'static str {
        match self {
            View::List => "list",
            View::Month => "month",
            View::Week => "week",
        }
    }

    fn parse(key: &str) -> View {
        match key {
            "month" => View::Month,
            "week" => View::Week,
            _ => View::List,
        }
    }
}

/// The calendar as the URL holds it; values that make no sense are dropped.
#[derive(Debug, Clone, Default, PartialEq)]
struct Filters {
    q: String,
    municipality_id: Option<i64>,
    direction: Option<Direction>,
    kind: Option<EventKind>,
    age: Option<i32>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    page: i64,
    view: View,
    /// A day of the month or week shown (its first day when moved by the arrows).
    at: Option<NaiveDate>,
}

impl Filters {
    fn from_params(params: &ParamsMap) -> Self {
        Self::read(|key| params.get_str(key))
    }

    /// The calendar of the query values `get` gives by name.
    fn read<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Self {
        let date = |key: &str| get(key).and_then(|v| NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").ok());
        Self {
            q: get("q").map(|v| v.trim().chars().take(MAX_TEXT).collect()).unwrap_or_default(),
            municipality_id: get("municipality_id").and_then(|v| v.parse().ok()).filter(|id| *id > 0),
            direction: get("direction").and_then(Direction::parse),
            kind: get("kind").and_then(EventKind::parse),
            age: get("age").and_then(|v| v.trim().parse().ok()).filter(|age| (0..=18).contains(age)),
            from: date("from"),
            to: date("to"),
            page: get("page").and_then(|v| v.parse().ok()).filter(|page| *page >= 1).unwrap_or(1),
            view: get("view").map(View::parse).unwrap_or_default(),
            at: date("at"),
        }
    }

    /// The address of this calendar.
    fn href(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        if let Some(id) = self.municipality_id {
            pairs.push(("municipality_id", id.to_string()));
        }
        if let Some(direction) = self.direction {
            pairs.push(("direction", direction.as_str().to_owned()));
        }
        if let Some(kind) = self.kind {
            pairs.push(("kind", kind.as_str().to_owned()));
        }
        if let Some(age) = self.age {
            pairs.push(("age", age.to_string()));
        }
        if let Some(from) = self.from {
            pairs.push(("from", dates::input_text(Some(from))));
        }
        if let Some(to) = self.to {
            pairs.push(("to", dates::input_text(Some(to))));
        }
        match self.view {
            View::List if self.page > 1 => pairs.push(("page", self.page.to_string())),
            View::List => {}
            view => {
                pairs.push(("view", view.key().to_owned()));
                if let Some(at) = self.at {
                    pairs.push(("at", dates::input_text(Some(at))));
                }
            }
        }
        let query = serde_urlencoded::to_string(pairs).unwrap_or_default();
        if query.is_empty() { "/events".to_owned() } else { format!("/events?{query}") }
    }

    /// The day the month or week is chosen by: the one moved to, else the
    /// first day of the period asked, else today.
    fn anchor(&self, today: NaiveDate) -> NaiveDate {
        self.at.or(self.from).unwrap_or(today)
    }

    /// The first and last day a month or week view shows; none for the list.
    fn period(&self, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let anchor = self.anchor(today);
        match self.view {
            View::List => None,
            View::Month => Some(month_of(anchor)),
            View::Week => Some(week_of(anchor)),
        }
    }

    /// `GET /events` of this calendar: the list's page, or all of the month or week.
    fn query(&self, today: NaiveDate) -> EventsQuery {
        let base = EventsQuery {
            municipality_id: self.municipality_id,
            direction: self.direction,
            kind: self.kind,
            age: self.age,
            q: (!self.q.is_empty()).then(|| self.q.clone()),
            ..EventsQuery::default()
        };
        match self.period(today) {
            None => EventsQuery { from: self.from, to: self.to, page: (self.page > 1).then_some(self.page), ..base },
            Some((first, last)) => {
                EventsQuery { from: Some(first), to: Some(last), per_page: Some(PERIOD_PER_PAGE), ..base }
            }
        }
    }

    /// The same filters on the month or week before (`-1`) or after (`1`).
    fn step(&self, by: i32, today: NaiveDate) -> Filters {
        let anchor = self.anchor(today);
        let at = match self.view {
            View::List => anchor,
            View::Month => {
                let first = month_of(anchor).0;
                let months = Months::new(by.unsigned_abs());
                let moved = if by < 0 { first.checked_sub_months(months) } else { first.checked_add_months(months) };
                moved.unwrap_or(first)
            }
            View::Week => week_of(anchor).0 + TimeDelta::days(7 * i64::from(by)),
        };
        Filters { at: Some(at), page: 1, ..self.clone() }
    }
}

/// The first and last day of the month of `day`.
fn month_of(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = day.with_day(1).unwrap_or(day);
    let last = first.checked_add_months(Months::new(1)).and_then(|next| next.pred_opt()).unwrap_or(first);
    (first, last)
}

/// The Monday and Sunday of the week of `day`.
fn week_of(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let monday = day - TimeDelta::days(i64::from(day.weekday().num_days_from_monday()));
    (monday, monday + TimeDelta::days(6))
}

/// The weeks, Monday to Sunday, a month's grid shows.
fn month_weeks(first: NaiveDate, last: NaiveDate) -> Vec<[NaiveDate; 7]> {
    let mut weeks = Vec::new();
    let mut monday = week_of(first).0;
    while monday <= last {
        weeks.push(std::array::from_fn(|i| monday + TimeDelta::days(i as i64)));
        monday += TimeDelta::days(7);
    }
    weeks
}

/// «14–20 декабря 2026», «28 сентября – 4 октября 2026», «29 декабря 2026 – 4 января 2027».
fn week_title(monday: NaiveDate, sunday: NaiveDate) -> String {
    let year = sunday.year();
    if monday.year() != year {
        format!(
            "{} {} – {} {year}",
            dates::day_month(monday, monday.year()),
            monday.year(),
            dates::day_month(sunday, year)
        )
    } else if monday.month() != sunday.month() {
        format!("{} – {} {year}", dates::day_month(monday, year), dates::day_month(sunday, year))
    } else {
        format!("{}–{} {year}", monday.day(), dates::day_month(sunday, year))
    }
}

/// The form's fields; they follow the URL and are read when the visitor applies them.
#[derive(Clone, Copy)]
struct FilterForm {
    q: RwSignal<String>,
    municipality_id: RwSignal<String>,
    direction: RwSignal<String>,
    kind: RwSignal<String>,
    age: RwSignal<String>,
    from: RwSignal<String>,
    to: RwSignal<String>,
}

fn sync(signal: RwSignal<String>, value: String) {
    if signal.with_untracked(|current| *current != value) {
        signal.set(value);
    }
}

impl FilterForm {
    fn new() -> Self {
        let empty = || RwSignal::new(String::new());
        Self {
            q: empty(),
            municipality_id: empty(),
            direction: empty(),
            kind: empty(),
            age: empty(),
            from: empty(),
            to: empty(),
        }
    }

    /// Shows the calendar `filters`.
    fn load(&self, filters: &Filters) {
        sync(self.q, filters.q.clone());
        sync(self.municipality_id, filters.municipality_id.map(|id| id.to_string()).unwrap_or_default());
        sync(self.direction, filters.direction.map(|d| d.as_str().to_owned()).unwrap_or_default());
        sync(self.kind, filters.kind.map(|k| k.as_str().to_owned()).unwrap_or_default());
        sync(self.age, filters.age.map(|age| age.to_string()).unwrap_or_default());
        sync(self.from, dates::input_text(filters.from));
        sync(self.to, dates::input_text(filters.to));
    }

    /// The calendar the form describes, from its first page; the view and its day stay.
    fn read(&self, current: &Filters, today: NaiveDate) -> Result<Filters, FieldErrors> {
        let mut errors = FieldErrors::new();
        let q = self.q.get_untracked().trim().to_owned();
        if q.chars().count() > MAX_TEXT {
            errors.add("q", format!("Запрос — не длиннее {MAX_TEXT} символов"));
        }
        let age_text = self.age.get_untracked().trim().to_owned();
        let age = match age_text.parse::<i32>() {
            _ if age_text.is_empty() => None,
            Ok(age) if (0..=18).contains(&age) => Some(age),
            _ => {
                errors.add("age", "Возраст — целое число лет от 0 до 18");
                None
            }
        };
        let mut date = |name: &str, value: RwSignal<String>| {
            dates::read(name, value).unwrap_or_else(|found| {
                errors.merge(found);
                None
            })
        };
        let (from, to) = (date("from", self.from), date("to", self.to));
        if let Some(to) = to {
            let start = from.unwrap_or(today);
            if to < start {
                let message = if from.is_some() {
                    "Конец периода — не раньше начала"
                } else {
                    "Конец периода — не раньше сегодняшнего дня"
                };
                errors.add("to", message);
            } else if to - start > TimeDelta::days(MAX_DAYS) {
                errors.add("to", format!("Период — не больше {MAX_DAYS} дней"));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Filters {
            q,
            municipality_id: self.municipality_id.get_untracked().parse().ok(),
            direction: Direction::parse(&self.direction.get_untracked()),
            kind: EventKind::parse(&self.kind.get_untracked()),
            age,
            from,
            to,
            page: 1,
            view: current.view,
            // A new start of the period shows its month or week.
            at: if from != current.from { None } else { current.at },
        })
    }
}

/// Moves the keyboard focus to the element `id`.
fn focus(id: &str) {
    if let Some(element) = document().get_element_by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

type Answer = (EventsQuery, Result<Page<Event>, navigator_shared::Problem>);

/// `/events`.
#[component]
pub fn EventsCalendar() -> impl IntoView {
    page_title("Мероприятия");
    let query = use_query_map();
    let navigate = use_navigate();
    let today = dates::today();
    let filters = Memo::new(move |_| query.with(Filters::from_params));
    let view_kind = Memo::new(move |_| filters.with(|f| f.view));
    let period = Memo::new(move |_| filters.with(|f| f.period(today)));

    let form = FilterForm::new();
    let errors = RwSignal::new(FieldErrors::new());
    form.load(&filters.get_untracked());
    Effect::new(move || {
        filters.with(|f| {
            form.load(f);
            remember_calendar(f.href());
        });
        errors.set(FieldErrors::new());
    });

    let api_query = Memo::new(move |_| filters.with(|f| f.query(today)));
    let list = LocalResource::new(move || {
        let query = api_query.get();
        async move {
            let answer = events::calendar(&query).await;
            (query, answer)
        }
    });
    // An earlier answer stays on the screen, dimmed, until the new one comes.
    let stale = Memo::new(move |_| list.with(|answer| answer.as_ref().is_some_and(|(q, _)| *q != api_query.get())));
    // The API's messages about the fields (a period too long in a shared link) go under them.
    Effect::new(move || {
        if let Some((_, Err(problem))) = list.get()
            && !problem.errors.is_empty()
        {
            errors.set(problem.errors);
        }
    });

    let go = move |next: Filters| {
        if next != filters.get_untracked() {
            navigate(&next.href(), NavigateOptions { scroll: false, ..NavigateOptions::default() });
        }
    };
    let apply = {
        let go = go.clone();
        move || match form.read(&filters.get_untracked(), today) {
            Ok(next) => {
                errors.set(FieldErrors::new());
                go(next);
            }
            Err(found) => {
                let first = ["q", "age", "from", "to"].into_iter().find(|field| found.first(field).is_some());
                errors.set(found);
                if let Some(field) = first {
                    focus(&format!("events-{field}"));
                }
            }
        }
    };
    let on_submit = {
        let apply = apply.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            apply();
        }
    };
    // A choice in a list, a date and the age (when the field is left) apply
    // at once; the search text waits for «Найти».
    let on_change = move |ev: leptos::ev::Event| {
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        let name = target.get_attribute("name").unwrap_or_default();
        if target.tag_name().eq_ignore_ascii_case("select") || matches!(name.as_str(), "age" | "from" | "to") {
            apply();
        }
    };
    let switch = {
        let go = go.clone();
        move |view: View| go(Filters { view, page: 1, at: None, ..filters.get_untracked() })
    };
    let step = {
        let go = go.clone();
        move |by: i32| go(filters.get_untracked().step(by, today))
    };
    let to_today = move || go(Filters { at: Some(today), page: 1, ..filters.get_untracked() });
    let show_filters = RwSignal::new(false);

    let directions = code_options(Direction::ALL, Direction::as_str, Direction::title);
    let kinds = code_options(EventKind::ALL, EventKind::as_str, EventKind::title);
    let error_of = move |field: &'static str| errors.with(|e| e.first(field).map(str::to_owned));
    let field_error = move |field: &'static str| {
        move || {
            error_of(field).map(|message| {
                view! {
                    <p class="field-error" data-error-for=field id=format!("events-{field}-error")>
                        {message}
                    </p>
                }
            })
        }
    };
    let invalid = move |field: &'static str| move || error_of(field).is_some().then_some("true");
    let described = move |field: &'static str, hint: Option<&'static str>| {
        move || {
            let ids: Vec<String> = hint
                .into_iter()
                .map(str::to_owned)
                .chain(error_of(field).map(|_| format!("events-{field}-error")))
                .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };

    let total = move || match list.get() {
        _ if stale.get() => "Ищем мероприятия…".to_owned(),
        None => "Ищем мероприятия…".to_owned(),
        Some((_, Err(_))) => String::new(),
        Some((_, Ok(page))) => match view_kind.get() {
            View::List => format!("Найдено мероприятий: {}", page.total),
            View::Month => format!("В этом месяце мероприятий: {}", page.total),
            View::Week => format!("На этой неделе мероприятий: {}", page.total),
        },
    };
    // The events of the period shown, once their answer is in.
    let period_events = Signal::derive(move || match list.get() {
        Some((_, Ok(page))) if !stale.get() => Some(page),
        _ => None,
    });
    let results = move || match view_kind.get() {
        View::List => match list.get() {
            None => view! { <p class="loading" role="status">"Ищем мероприятия…"</p> }.into_any(),
            Some((_, Err(problem))) => failed(problem, list),
            Some((_, Ok(page))) => {
                let filters = filters.get_untracked();
                view! { <EventList page=page filters=filters /> }.into_any()
            }
        },
        shown => {
            let problem = match list.get() {
                Some((_, Err(problem))) if !stale.get() => Some(failed(problem, list)),
                _ => None,
            };
            let (first, last) = period.get().unwrap_or((today, today));
            let grid = if shown == View::Month {
                view! { <MonthGrid first=first last=last found=period_events today=today /> }.into_any()
            } else {
                view! { <WeekDays monday=first found=period_events today=today /> }.into_any()
            };
            view! {
                {problem}
                {grid}
            }
            .into_any()
        }
    };
    let period_nav = move || {
        let (first, last) = period.get()?;
        let (title, unit_prev, unit_next) = match view_kind.get() {
            View::Month => (dates::month_title(first), "Предыдущий месяц", "Следующий месяц"),
            _ => (week_title(first, last), "Предыдущая неделя", "Следующая неделя"),
        };
        let (step_back, step_on) = (step.clone(), step.clone());
        let to_today = to_today.clone();
        let away = !(first..=last).contains(&today);
        Some(view! {
            <div class="period-nav">
                <button
                    type="button"
                    id="period-prev"
                    class="button button-secondary"
                    aria-label=unit_prev
                    title=unit_prev
                    on:click=move |_| step_back(-1)
                >
                    "←"
                </button>
                <h2 id="period-title" aria-live="polite">
                    {title}
                </h2>
                <button
                    type="button"
                    id="period-next"
                    class="button button-secondary"
                    aria-label=unit_next
                    title=unit_next
                    on:click=move |_| step_on(1)
                >
                    "→"
                </button>
                {away
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                id="period-today"
                                class="button button-secondary"
                                on:click=move |_| to_today()
                            >
                                "Сегодня"
                            </button>
                        }
                    })}
            </div>
        })
    };
    let view_button = move |view: View, id: &'static str, text: &'static str| {
        let switch = switch.clone();
        view! {
            <button
                type="button"
                id=id
                aria-pressed=move || (view_kind.get() == view).to_string()
                on:click=move |_| switch(view)
            >
                {text}
            </button>
        }
    };
    let is_list = move || view_kind.get() == View::List;

    view! {
        <div class="events-page">
            <h1>"Мероприятия"</h1>
            <p class="lead">
                "Конкурсы, фестивали, дни открытых дверей, мастер-классы и экскурсии для детей. \
                 Выберите мероприятие, чтобы узнать подробности и записать ребёнка."
            </p>
            <form
                id="events-filters"
                class="events-filters card"
                class:show-filters=move || show_filters.get()
                role="search"
                aria-label="Поиск мероприятий"
                novalidate=true
                on:submit=on_submit
                on:change=on_change
            >
                <div class="field">
                    <label for="events-q">"Что ищем"</label>
                    <div class="search-row">
                        <input
                            id="events-q"
                            name="q"
                            type="search"
                            placeholder="шахматы, выставка, робототехника…"
                            autocomplete="off"
                            enterkeyhint="search"
                            maxlength=MAX_TEXT.to_string()
                            aria-invalid=invalid("q")
                            aria-describedby=described("q", None)
                            bind:value=form.q
                        />
                        <button type="submit" id="events-submit" class="button">
                            "Найти"
                        </button>
                    </div>
                    {field_error("q")}
                </div>
                <button
                    type="button"
                    id="events-filters-toggle"
                    class="filters-toggle button button-secondary"
                    aria-expanded=move || show_filters.get().to_string()
                    on:click=move |_| show_filters.update(|shown| *shown = !*shown)
                >
                    {move || if show_filters.get() { "Скрыть фильтры" } else { "Фильтры" }}
                </button>
                <div class="filter-grid events-filter-grid">
                    <MunicipalitySelect
                        value=form.municipality_id
                        errors=errors
                        required=false
                        placeholder="Все муниципалитеты"
                    />
                    <SelectField
                        name="direction"
                        label="Направленность"
                        value=form.direction
                        errors=errors
                        options=directions
                        placeholder="Все направленности"
                    />
                    <SelectField
                        name="kind"
                        label="Вид"
                        value=form.kind
                        errors=errors
                        options=kinds
                        placeholder="Все виды"
                    />
                    <div class="field">
                        <label for="events-age">"Возраст ребёнка"</label>
                        <input
                            id="events-age"
                            name="age"
                            type="number"
                            min="0"
                            max="18"
                            step="1"
                            inputmode="numeric"
                            placeholder="Любой"
                            aria-invalid=invalid("age")
                            aria-describedby=described("age", None)
                            bind:value=form.age
                        />
                        {field_error("age")}
                    </div>
                    <Show when=is_list>
                        <div class="field">
                            <label for="events-from">"С даты"</label>
                            <input
                                id="events-from"
                                name="from"
                                type="date"
                                aria-invalid=invalid("from")
                                aria-describedby=described("from", Some("events-period-hint"))
                                bind:value=form.from
                            />
                            {field_error("from")}
                        </div>
                        <div class="field">
                            <label for="events-to">"По дату"</label>
                            <input
                                id="events-to"
                                name="to"
                                type="date"
                                aria-invalid=invalid("to")
                                aria-describedby=described("to", Some("events-period-hint"))
                                bind:value=form.to
                            />
                            {field_error("to")}
                        </div>
                    </Show>
                </div>
                <div class="filter-foot">
                    <p class="hint" id="events-period-hint">
                        {move || {
                            if is_list() {
                                "Без дат — ближайшие три месяца с сегодняшнего дня."
                            } else {
                                "Месяц и неделю листайте стрелками над календарём."
                            }
                        }}
                    </p>
                    <a id="events-reset" href=move || if is_list() { "/events".to_owned() } else { format!("/events?view={}", view_kind.get().key()) }>
                        "Сбросить"
                    </a>
                </div>
            </form>
            <section class="events-results" aria-label="Мероприятия">
                <div class="results-head">
                    <p id="events-total" role="status">
                        {total}
                    </p>
                    <div class="view-switch" role="group" aria-label="Как показать мероприятия">
                        {view_button(View::List, "view-list", "Список")}
                        {view_button(View::Month, "view-month", "Месяц")}
                        {view_button(View::Week, "view-week", "Неделя")}
                    </div>
                </div>
                {period_nav}
                <div class=("is-stale", move || stale.get()) aria-busy=move || stale.get().to_string()>
                    {results}
                </div>
                <p class="events-feed">
                    <a
                        id="events-feed"
                        href=move || {
                            let href = filters.get().href();
                            crate::api::events::feed_href(href.split_once('?').map_or("", |(_, query)| query))
                        }
                    >
                        "Подписаться на этот календарь в телефоне (iCal)"
                    </a>
                </p>
            </section>
        </div>
    }
}

/// The API's refusal with a way to ask again.
fn failed(problem: navigator_shared::Problem, list: LocalResource<Answer>) -> AnyView {
    view! {
        <div class="form-error catalog-error" role="alert">
            <p>{problem.detail}</p>
            <button type="button" class="button button-secondary" on:click=move |_| list.refetch()>
                "Повторить"
            </button>
        </div>
    }
    .into_any()
}

/// The list view: the events of the page with the pager, or what to do when there are none.
#[component]
fn EventList(page: Page<Event>, filters: Filters) -> impl IntoView {
    if page.items.is_empty() {
        let beyond = page.total > 0;
        let first = Filters { page: 1, ..filters }.href();
        return view! {
            <div class="card empty-state">
                {if beyond {
                    view! {
                        <p class="events-empty">"На этой странице мероприятий нет."</p>
                        <p>
                            <a href=first>"К первой странице"</a>
                        </p>
                    }
                        .into_any()
                } else {
                    view! {
                        <p class="events-empty">
                            "Мероприятий по этим условиям нет. Уберите часть фильтров или выберите другие даты."
                        </p>
                        <p>
                            <a class="button button-secondary" href="/events">
                                "Сбросить все фильтры"
                            </a>
                        </p>
                    }
                        .into_any()
                }}
            </div>
        }
        .into_any();
    }
    let href = move |number: i64| Filters { page: number, ..filters.clone() }.href();
    view! {
        <div class="event-list">{page.items.into_iter().map(|event| view! { <EventItem event=event /> }).collect_view()}</div>
        <Pager current=page.page total=page.total per_page=page.per_page turn=Turn::links(href) />
    }
    .into_any()
}

/// An event of the list: `<article class="event-item" data-event-id>` whose title opens the card.
#[component]
fn EventItem(event: Event) -> impl IntoView {
    let id = event.id;
    let weekday = dates::weekday_short(event.starts_at.date());
    let when = format!("{weekday}, {}", when(event.starts_at, event.ends_at));
    let place = place_text(&event);
    view! {
        <article class="event-item" class:event-cancelled={event.status == EventStatus::Cancelled} data-event-id=id.to_string()>
            <h2>
                <a class="event-item-link" href=format!("/events/{id}")>
                    {event.title.clone()}
                </a>
            </h2>
            <div class="badges">
                <span class="badge event-kind">{event.kind.title()}</span>
                {over_badge(event.status)}
            </div>
            <p class="event-when">
                <time datetime=machine_time(event.starts_at)>{when}</time>
            </p>
            <p class="event-org">{event.organization.name.clone()}</p>
            <p class="event-place">{place}</p>
            <ul class="event-facts">
                <li class="event-ages">{ages(event.age_min, event.age_max)}</li>
                <li class="event-price">{price_text(event.price)}</li>
                <li class="event-places">{places_text(event.places_left)}</li>
            </ul>
        </article>
    }
}

/// A link to an event inside a day: the time and the title (the day for screen readers).
fn day_link(event: &Event, day: NaiveDate) -> AnyView {
    let cancelled = event.status == EventStatus::Cancelled;
    let time =
        if event.starts_at.date() == day { event.starts_at.format("%H:%M").to_string() } else { "…".to_owned() };
    let title = if cancelled { format!("{} (отменено)", event.title) } else { event.title.clone() };
    view! {
        <a class="event-link" class:cancelled=cancelled href=format!("/events/{}", event.id) title=title>
            <span class="visually-hidden">{format!("{}, ", dates::day_month(day, dates::today().year()))}</span>
            <span class="event-link-time">{time}</span>
            " "
            <span class="event-link-title">{event.title.clone()}</span>
            {cancelled.then(|| view! { <span class="visually-hidden">", отменено"</span> })}
        </a>
    }
    .into_any()
}

/// The month: `<table class="events-month">` of its weeks, each day with its events.
#[component]
fn MonthGrid(first: NaiveDate, last: NaiveDate, found: Signal<Option<Page<Event>>>, today: NaiveDate) -> impl IntoView {
    let heads = dates::WEEKDAYS_SHORT
        .iter()
        .zip(dates::WEEKDAYS)
        .map(|(short, full)| {
            view! {
                <th scope="col">
                    <abbr title=full>{*short}</abbr>
                </th>
            }
        })
        .collect_view();
    let rows = move || {
        let items = found.get().map(|page| page.items).unwrap_or_default();
        month_weeks(first, last)
            .into_iter()
            .map(|week| {
                let cells = week
                    .into_iter()
                    .map(|day| {
                        let inside = (first..=last).contains(&day);
                        // Only the month's own days: the events of the days around it were not asked for.
                        let links = if inside {
                            items
                                .iter()
                                .filter(|event| on_day(event, day))
                                .map(|event| view! { <li>{day_link(event, day)}</li> })
                                .collect::<Vec<_>>()
                        } else {
                            Vec::new()
                        };
                        let count = links.len();
                        view! {
                            <td
                                class="events-day"
                                class:other-month=!inside
                                class:has-events={count > 0}
                                data-date=dates::input_text(Some(day))
                                aria-current=(day == today).then_some("date")
                            >
                                <span class="day-number">{day.day().to_string()}</span>
                                {(count > 0).then(|| view! { <ul class="day-events">{links}</ul> })}
                            </td>
                        }
                    })
                    .collect_view();
                view! { <tr>{cells}</tr> }
            })
            .collect::<Vec<_>>()
    };
    let note = move || {
        found.get().filter(|page| page.total > page.items.len() as i64).map(|page| {
            view! {
                <p class="hint events-more">
                    {format!(
                        "Показаны первые {} мероприятий из {} — уточните фильтры или откройте список.",
                        page.items.len(),
                        page.total,
                    )}
                </p>
            }
        })
    };
    let empty = move || {
        found.get().filter(|page| page.total == 0).map(|_| {
            view! { <p class="events-empty">"В этом месяце мероприятий по этим условиям нет."</p> }
        })
    };
    view! {
        {empty}
        <table class="events-month">
            <caption class="visually-hidden">{format!("Мероприятия: {}", dates::month_title(first))}</caption>
            <thead>
                <tr>{heads}</tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        <p class="hint events-month-hint">"На телефоне мероприятия дня показаны отметками; удобнее — в виде списка."</p>
        {note}
    }
}

/// The week: its seven days, each with its events.
#[component]
fn WeekDays(monday: NaiveDate, found: Signal<Option<Page<Event>>>, today: NaiveDate) -> impl IntoView {
    let days = move || {
        let items = found.get().map(|page| page.items).unwrap_or_default();
        (0..7)
            .map(|n| {
                let day = monday + TimeDelta::days(n);
                let events: Vec<_> = items
                    .iter()
                    .filter(|event| on_day(event, day))
                    .map(|event| {
                        view! {
                            <li class="week-event">
                                {day_link(event, day)}
                                <span class="week-event-meta">
                                    {format!("{} · {}", event.organization.name, place_text(event))}
                                </span>
                            </li>
                        }
                    })
                    .collect();
                let title = format!("{}, {}", dates::weekday(day), dates::day_month(day, today.year()));
                let body = if events.is_empty() {
                    view! { <p class="muted week-none">"Нет мероприятий"</p> }.into_any()
                } else {
                    view! { <ul class="week-events">{events}</ul> }.into_any()
                };
                view! {
                    <li
                        class="week-day"
                        class:today={day == today}
                        data-date=dates::input_text(Some(day))
                        aria-current=(day == today).then_some("date")
                    >
                        <h3 class="week-day-title">{title}</h3>
                        {body}
                    </li>
                }
            })
            .collect::<Vec<_>>()
    };
    let empty = move || {
        found.get().filter(|page| page.total == 0).map(|_| {
            view! { <p class="events-empty">"На этой неделе мероприятий по этим условиям нет."</p> }
        })
    };
    view! {
        {empty}
        <ol class="events-week">{days}</ol>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_month_is_drawn_in_whole_weeks_from_monday() {
        let (first, last) = month_of(date(2026, 12, 20));
        assert_eq!((first, last), (date(2026, 12, 1), date(2026, 12, 31)));
        let weeks = month_weeks(first, last);
        assert_eq!(weeks.len(), 5);
        assert_eq!(weeks[0][0], date(2026, 11, 30));
        assert_eq!(weeks[4][6], date(2027, 1, 3));
        assert_eq!(month_of(date(2027, 2, 10)).1, date(2027, 2, 28));
    }

    #[test]
    fn weeks_run_from_monday_and_read_in_russian() {
        assert_eq!(week_of(date(2026, 12, 20)), (date(2026, 12, 14), date(2026, 12, 20)));
        assert_eq!(week_title(date(2026, 12, 14), date(2026, 12, 20)), "14–20 декабря 2026");
        assert_eq!(week_title(date(2026, 9, 28), date(2026, 10, 4)), "28 сентября – 4 октября 2026");
        assert_eq!(week_title(date(2026, 12, 28), date(2027, 1, 3)), "28 декабря 2026 – 3 января 2027");
    }

    #[test]
    fn the_arrows_move_by_a_month_or_a_week() {
        let today = date(2026, 12, 20);
        let month = Filters { view: View::Month, ..Filters::default() };
        assert_eq!(month.step(1, today).at, Some(date(2027, 1, 1)));
        assert_eq!(month.step(-1, today).at, Some(date(2026, 11, 1)));
        let week = Filters { view: View::Week, at: Some(date(2026, 12, 16)), ..Filters::default() };
        assert_eq!(week.step(1, today).at, Some(date(2026, 12, 21)));
    }

    #[test]
    fn a_month_asks_the_api_for_all_its_days() {
        let today = date(2026, 12, 20);
        let month = Filters { view: View::Month, kind: Some(EventKind::Contest), ..Filters::default() };
        let query = month.query(today);
        assert_eq!((query.from, query.to), (Some(date(2026, 12, 1)), Some(date(2026, 12, 31))));
        assert_eq!(query.per_page, Some(PERIOD_PER_PAGE));
        assert_eq!(query.kind, Some(EventKind::Contest));
        assert_eq!(month.href(), "/events?kind=contest&view=month");
    }

    #[test]
    fn the_address_holds_the_filters() {
        let filters =
            Filters {
                q: "шахматы".into(), age: Some(9), from: Some(date(2026, 12, 1)), page: 2, ..Filters::default()
            };
        let href = filters.href();
        assert!(href.starts_with("/events?q=%D1%88"), "{href}");
        assert!(href.ends_with("&age=9&from=2026-12-01&page=2"), "{href}");
        let query = [("q", "шахматы"), ("age", "9"), ("from", "2026-12-01"), ("page", "2"), ("view", "list")];
        let read = Filters::read(|key| query.iter().find(|(k, _)| *k == key).map(|(_, v)| *v));
        assert_eq!(read, filters);
        // What makes no sense is dropped.
        let odd = [("age", "40"), ("from", "01.12.2026"), ("page", "0"), ("kind", "party")];
        let read = Filters::read(|key| odd.iter().find(|(k, _)| *k == key).map(|(_, v)| *v));
        assert_eq!(read, Filters { page: 1, ..Filters::default() });
    }
}
