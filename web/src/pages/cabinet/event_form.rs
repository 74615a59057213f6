//! `/cabinet/events/new` and `/cabinet/events/{id}`: an event of the
//! organization — every field of `EventInput`, the status with the
//! operator's comment, sending to moderation, calling it off, and the
//! children signed up with their attendance.

use chrono::NaiveDateTime;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map};
use navigator_shared::FieldErrors;
use navigator_shared::catalog::{Direction, ProgramsListQuery};
use navigator_shared::events::{AttendanceInput, Event, EventInput, EventKind, EventStatus, Participant, SignupStatus};
use navigator_shared::reference::PageQuery;
use wasm_bindgen::JsCast;

use super::widgets::{CheckboxField, Reader, code_options, record_page, rubles_input, send_checked};
use crate::api::{catalog, events, use_session};
use crate::components::{
    Field, FormError, FormStatus, MunicipalitySelect, PointFields, SelectField, SubmitButton, TextAreaField,
};
use crate::dates;
use crate::pages::catalog::{phone_href, phone_text};
use crate::pages::events::status_badge;

/// `/cabinet/events/new` (no `:id`) and `/cabinet/events/{id}`.
#[component]
pub fn CabinetEvent() -> impl IntoView {
    let new = use_params_map().with_untracked(|p| p.get_str("id").is_none());
    if new {
        return view! { <NewEvent /> }.into_any();
    }
    record_page(
        ("/cabinet/events", "← К мероприятиям"),
        "Мероприятие не найдено",
        events::event,
        |event| view! { <EventRecord event=RwSignal::new(event) /> }.into_any(),
    )
    .into_any()
}

#[component]
fn NewEvent() -> impl IntoView {
    view! {
        <div class="page">
            <p class="back-link">
                <a href="/cabinet/events">"← К мероприятиям"</a>
            </p>
            <h1>"Новое мероприятие"</h1>
            <p class="hint">
                "Мероприятие сохраняется черновиком. Проверьте его и отправьте на модерацию: \
                 после публикации оператором оно появится в календаре."
            </p>
            <section class="card">
                <EventForm />
            </section>
        </div>
    }
}

/// A loaded event: its status, the operator's comment, the steps, the form and the participants.
#[component]
fn EventRecord(event: RwSignal<Event>) -> impl IntoView {
    let status = Memo::new(move |_| event.with(|e| e.status));
    let id = event.with_untracked(|e| e.id);
    let comment = move || {
        event
            .with(|e| (e.status == EventStatus::Draft).then(|| e.moderation_comment.clone()).flatten())
            .filter(|comment| !comment.trim().is_empty())
    };
    let attended = move || matches!(status.get(), EventStatus::Published | EventStatus::Finished);
    view! {
        <h1 class="event-title">{move || event.with(|e| e.title.clone())}</h1>
        <section class="card event-state">
            <p>"Статус: " {move || status_badge(status.get())}</p>
            {move || {
                comment()
                    .map(|comment| {
                        view! {
                            <div class="moderation-note">
                                <p class="muted">"Комментарий оператора:"</p>
                                <p class="moderation-comment">{comment}</p>
                            </div>
                        }
                    })
            }}
            <p>
                <a id="public-event-link" href=format!("/events/{id}")>
                    {move || {
                        if matches!(status.get(), EventStatus::Draft | EventStatus::Moderation) {
                            "Как мероприятие увидят семьи"
                        } else {
                            "Открыть страницу мероприятия"
                        }
                    }}
                </a>
            </p>
            <EventSteps event=event />
        </section>
        <section class="card">
            <h2>"Мероприятие"</h2>
            <EventForm record=event />
        </section>
        <Show when=attended>
            <Participants event=event />
        </Show>
    }
}

/// Moves the keyboard focus to the element `id` once it is drawn.
fn focus_later(id: &'static str) {
    request_animation_frame(move || {
        if let Some(element) = document().get_element_by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    });
}

/// «Отправить на модерацию» and «Отменить мероприятие» (with a confirm step), with the API's refusal.
#[component]
fn EventSteps(event: RwSignal<Event>) -> impl IntoView {
    let session = use_session();
    let form = FormStatus::new();
    let confirming = RwSignal::new(false);
    let submit = form.action(
        move |id: i64| async move { events::submit(session, id).await },
        move |updated: Event| {
            event.set(updated);
            form.done("Мероприятие отправлено на модерацию: оператор опубликует его или вернёт с комментарием.");
        },
    );
    let cancel = form.action(
        move |id: i64| async move { events::cancel(session, id).await },
        move |updated: Event| {
            event.set(updated);
            confirming.set(false);
            form.done("Мероприятие отменено. Семьи, записавшие детей, получат письмо.");
        },
    );
    let busy = {
        let (submitting, cancelling) = (submit.pending(), cancel.pending());
        move || submitting.get() || cancelling.get()
    };
    let status = Memo::new(move |_| event.with(|e| e.status));
    let id = move || event.with_untracked(|e| e.id);
    let cancellable =
        move || matches!(status.get(), EventStatus::Draft | EventStatus::Moderation | EventStatus::Published);
    view! {
        <FormError status=form />
        <div class="actions">
            <Show when=move || status.get() == EventStatus::Draft>
                <button
                    type="button"
                    id="event-submit"
                    class="button"
                    disabled=busy
                    on:click=move |_| {
                        form.clear();
                        submit.dispatch_local(id());
                    }
                >
                    "Отправить на модерацию"
                </button>
            </Show>
            <Show when=move || cancellable() && !confirming.get()>
                <button
                    type="button"
                    id="event-cancel"
                    class="button button-secondary"
                    disabled=busy
                    on:click=move |_| {
                        form.clear();
                        confirming.set(true);
                        focus_later("event-cancel-confirm");
                    }
                >
                    "Отменить мероприятие"
                </button>
            </Show>
        </div>
        <Show when=move || cancellable() && confirming.get()>
            <div class="inline-action event-cancel-ask">
                <p>"Отменить мероприятие? Семьи, записавшие детей, получат письмо. Вернуть мероприятие будет нельзя."</p>
                <div class="actions">
                    <button
                        type="button"
                        id="event-cancel-confirm"
                        class="button"
                        disabled=busy
                        on:click=move |_| {
                            form.clear();
                            cancel.dispatch_local(id());
                        }
                    >
                        "Да, отменить"
                    </button>
                    <button
                        type="button"
                        id="event-cancel-back"
                        class="button button-secondary"
                        on:click=move |_| {
                            confirming.set(false);
                            focus_later("event-cancel");
                        }
                    >
                        "Нет"
                    </button>
                </div>
            </div>
        </Show>
        <Show when=move || status.get() == EventStatus::Draft>
            <p class="hint">"Черновик видят только сотрудники организации. В календарь мероприятие попадёт после модерации."</p>
        </Show>
    }
}

/// Every field of the event form, as the inputs hold it.
#[derive(Clone, Copy)]
struct EventFields {
    title: RwSignal<String>,
    kind: RwSignal<String>,
    direction: RwSignal<String>,
    description: RwSignal<String>,
    age_min: RwSignal<String>,
    age_max: RwSignal<String>,
    online: RwSignal<bool>,
    address: RwSignal<String>,
    lat: RwSignal<String>,
    lon: RwSignal<String>,
    municipality_id: RwSignal<String>,
    starts_at: RwSignal<String>,
    ends_at: RwSignal<String>,
    signup_from: RwSignal<String>,
    signup_to: RwSignal<String>,
    capacity: RwSignal<String>,
    certificate_required: RwSignal<bool>,
    price: RwSignal<String>,
    program_id: RwSignal<String>,
}

/// The moment of a `datetime-local` input; an error when empty and `required`.
fn moment(reader: &mut Reader, name: &str, value: RwSignal<String>, required: bool) -> Option<NaiveDateTime> {
    match dates::read_moment(name, value) {
        Ok(Some(at)) => Some(at),
        Ok(None) => {
            if required {
                reader.errors.add(name, "Укажите дату и время");
            }
            None
        }
        Err(errors) => {
            reader.errors.merge(errors);
            None
        }
    }
}

/// The places: none when empty (as many as come), an error when not a whole number.
fn places(reader: &mut Reader, value: RwSignal<String>) -> Option<i32> {
    let text = value.with_untracked(|v| v.trim().replace([' ', '\u{a0}'], ""));
    if text.is_empty() {
        return None;
    }
    text.parse().map(Some).unwrap_or_else(|_| {
        reader.errors.add("capacity", "Введите целое число мест или оставьте поле пустым");
        None
    })
}

impl EventFields {
    fn new() -> Self {
        let empty = || RwSignal::new(String::new());
        Self {
            title: empty(),
            kind: empty(),
            direction: empty(),
            description: empty(),
            age_min: empty(),
            age_max: empty(),
            online: RwSignal::new(false),
            address: empty(),
            lat: empty(),
            lon: empty(),
            municipality_id: empty(),
            starts_at: empty(),
            ends_at: empty(),
            signup_from: empty(),
            signup_to: empty(),
            capacity: empty(),
            certificate_required: RwSignal::new(false),
            price: RwSignal::new("0".to_owned()),
            program_id: empty(),
        }
    }

    fn fill(&self, e: &Event) {
        let number = |n: Option<f64>| n.map(|n| n.to_string()).unwrap_or_default();
        self.title.set(e.title.clone());
        self.kind.set(e.kind.as_str().to_owned());
        self.direction.set(e.direction.map(|d| d.as_str().to_owned()).unwrap_or_default());
        self.description.set(e.description.clone());
        self.age_min.set(e.age_min.to_string());
        self.age_max.set(e.age_max.to_string());
        self.online.set(e.online);
        self.address.set(e.address.clone());
        self.lat.set(number(e.lat));
        self.lon.set(number(e.lon));
        self.municipality_id.set(e.municipality_id.to_string());
        self.starts_at.set(dates::input_moment(Some(e.starts_at)));
        self.ends_at.set(dates::input_moment(Some(e.ends_at)));
        self.signup_from.set(dates::input_moment(e.signup_from));
        self.signup_to.set(dates::input_moment(e.signup_to));
        self.capacity.set(e.capacity.map(|c| c.to_string()).unwrap_or_default());
        self.certificate_required.set(e.certificate_required);
        self.price.set(rubles_input(e.price));
        self.program_id.set(e.program_id.map(|id| id.to_string()).unwrap_or_default());
    }

    /// The form as the API takes it, with what could not be read as a number or a moment.
    fn read(&self) -> (EventInput, FieldErrors) {
        let text = |value: RwSignal<String>| value.get_untracked();
        let mut reader = Reader::default();
        let online = self.online.get_untracked();
        let (lat, lon) = if online {
            (None, None)
        } else {
            (reader.optional_float("lat", self.lat), reader.optional_float("lon", self.lon))
        };
        let input = EventInput {
            title: text(self.title),
            kind: self.kind.with_untracked(|code| EventKind::parse(code)),
            direction: self.direction.with_untracked(|code| Direction::parse(code)),
            description: text(self.description),
            age_min: reader.int("age_min", self.age_min),
            age_max: reader.int("age_max", self.age_max),
            online,
            address: if online { String::new() } else { text(self.address) },
            lat,
            lon,
            municipality_id: self.municipality_id.with_untracked(|id| id.parse().unwrap_or(0)),
            starts_at: moment(&mut reader, "starts_at", self.starts_at, true).unwrap_or_default(),
            ends_at: moment(&mut reader, "ends_at", self.ends_at, true).unwrap_or_default(),
            signup_from: moment(&mut reader, "signup_from", self.signup_from, false),
            signup_to: moment(&mut reader, "signup_to", self.signup_to, false),
            capacity: places(&mut reader, self.capacity),
            certificate_required: self.certificate_required.get_untracked(),
            price: reader.kopecks("price", self.price),
            program_id: self.program_id.with_untracked(|id| id.parse().ok()),
        };
        (input, reader.errors)
    }
}

/// Why the event cannot be changed, if it cannot.
fn locked_note(status: EventStatus) -> Option<&'static str> {
    match status {
        EventStatus::Cancelled => Some("Мероприятие отменено: его нельзя изменить."),
        EventStatus::Finished => Some("Мероприятие завершилось: его нельзя изменить."),
        _ => None,
    }
}

/// `<form id="event-form">`: creates an event (then opens its page), or saves
/// the changes of `record`.
#[component]
fn EventForm(#[prop(optional)] record: Option<RwSignal<Event>>) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let fields = EventFields::new();
    match record {
        Some(record) => record.with_untracked(|event| fields.fill(event)),
        None => {
            let user = untrack(|| session.user());
            let municipality = user.as_ref().and_then(|user| user.municipality_id);
            fields.municipality_id.set(municipality.map(|id| id.to_string()).unwrap_or_default());
            // A new event starts where the organization is.
            if let Some(organization) = user.and_then(|user| user.workplace).map(|w| w.organization_id) {
                let (address, lat, lon) = (fields.address, fields.lat, fields.lon);
                leptos::task::spawn_local(async move {
                    if let Ok(card) = catalog::organization(organization).await {
                        if address.try_with_untracked(String::is_empty) == Some(true) {
                            let _ = address.try_set(card.address);
                        }
                        if let (Some(a), Some(b), Some(true)) =
                            (card.lat, card.lon, lat.try_with_untracked(String::is_empty))
                        {
                            let _ = lat.try_set(a.to_string());
                            let _ = lon.try_set(b.to_string());
                        }
                    }
                });
            }
        }
    }
    let programs = LocalResource::new(move || async move {
        let query = ProgramsListQuery { status: None, page: None, per_page: Some(PageQuery::MAX_PER_PAGE) };
        catalog::cabinet_programs(session, &query).await
    });
    let program_options = Signal::derive(move || match programs.get() {
        Some(Ok(page)) => page.items.into_iter().map(|p| (p.summary.id.to_string(), p.summary.title)).collect(),
        _ => Vec::new(),
    });
    let status = FormStatus::new();
    let save = status.action(
        move |(id, input): (Option<i64>, EventInput)| async move {
            match id {
                Some(id) => events::update(session, id, &input).await,
                None => events::create(session, &input).await,
            }
        },
        move |event: Event| match record {
            Some(record) => {
                let published = event.status == EventStatus::Published;
                fields.fill(&event);
                record.set(event);
                status.done(if published {
                    "Изменения сохранены. Семьи, записавшие детей, получат письмо об изменении."
                } else {
                    "Изменения сохранены."
                });
            }
            None => navigate(&format!("/cabinet/events/{}", event.id), NavigateOptions::default()),
        },
    );
    let note = move || record.and_then(|record| record.with(|event| locked_note(event.status)));
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if note().is_some() {
            return;
        }
        let (input, errors) = fields.read();
        let id = record.map(|record| record.with_untracked(|event| event.id));
        send_checked(status, save, (id, input), errors, |(_, input)| input.validate(dates::now()));
    };
    let kinds = code_options(EventKind::ALL, EventKind::as_str, EventKind::title);
    let directions = code_options(Direction::ALL, Direction::as_str, Direction::title);
    let errors = status.errors;
    view! {
        <form id="event-form" class="form" novalidate=true on:submit=on_submit>
            <FormError status=status />
            {move || note().map(|note| view! { <p class="info-note event-locked" role="note">{note}</p> })}
            <fieldset class="plain-fieldset" disabled=move || note().is_some()>
                <Field name="title" label="Название" value=fields.title errors=errors required=true />
                <div class="row row-even">
                    <SelectField
                        name="kind"
                        label="Вид мероприятия"
                        value=fields.kind
                        errors=errors
                        options=kinds
                        placeholder="Выберите"
                        required=true
                    />
                    <SelectField
                        name="direction"
                        label="Направленность"
                        value=fields.direction
                        errors=errors
                        options=directions
                        placeholder="Не указано"
                    />
                </div>
                <TextAreaField
                    name="description"
                    label="Описание"
                    value=fields.description
                    errors=errors
                    hint="Что будет на мероприятии, что взять с собой"
                    required=true
                />
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
                <div class="row row-even">
                    <Field
                        name="starts_at"
                        label="Начало"
                        value=fields.starts_at
                        errors=errors
                        kind="datetime-local"
                        hint="Местное время"
                        required=true
                    />
                    <Field
                        name="ends_at"
                        label="Окончание"
                        value=fields.ends_at
                        errors=errors
                        kind="datetime-local"
                        hint="Местное время"
                        required=true
                    />
                </div>
                <div class="row row-even">
                    <Field
                        name="signup_from"
                        label="Запись открывается"
                        value=fields.signup_from
                        errors=errors
                        kind="datetime-local"
                        hint="Пусто — сразу после публикации"
                    />
                    <Field
                        name="signup_to"
                        label="Запись закрывается"
                        value=fields.signup_to
                        errors=errors
                        kind="datetime-local"
                        hint="Пусто — в начале мероприятия"
                    />
                </div>
                <div class="row row-even">
                    <Field
                        name="capacity"
                        label="Мест"
                        value=fields.capacity
                        errors=errors
                        kind="number"
                        inputmode="numeric"
                        hint="Пусто — без ограничения; когда места кончатся, дети встанут в лист ожидания"
                    />
                    <Field
                        name="price"
                        label="Стоимость, ₽"
                        value=fields.price
                        errors=errors
                        inputmode="decimal"
                        hint="0 — бесплатно"
                        required=true
                    />
                </div>
                <CheckboxField
                    name="certificate_required"
                    label="Только для детей с сертификатом"
                    checked=fields.certificate_required
                    errors=errors
                    hint="Обычно не нужно: записаться смогут только дети с действующим сертификатом"
                />
                <MunicipalitySelect value=fields.municipality_id errors=errors />
                <CheckboxField
                    name="online"
                    label="Онлайн"
                    checked=fields.online
                    errors=errors
                    hint="Без адреса и места на карте"
                />
                <Show when=move || !fields.online.get()>
                    <Field
                        name="address"
                        label="Адрес"
                        value=fields.address
                        errors=errors
                        autocomplete="off"
                        required=true
                    />
                    <PointFields
                        id="event-point"
                        lat=fields.lat
                        lon=fields.lon
                        errors=errors
                        legend="Место на карте"
                        hint="Необязательно. Нажмите на карте место проведения — координаты заполнятся сами; \
                              их можно и ввести, например 54.7826 и 32.0453."
                        required=false
                    />
                </Show>
                <SelectField
                    name="program_id"
                    label="Программа"
                    value=fields.program_id
                    errors=errors
                    options=program_options
                    placeholder="Не связано с программой"
                    hint="Если мероприятие — часть программы, например открытое занятие"
                />
                <SubmitButton pending=save.pending() label="Сохранить" busy="Сохраняем…" />
            </fieldset>
        </form>
    }
}

/// The children signed up, registered first, with their attendance.
#[component]
fn Participants(event: RwSignal<Event>) -> impl IntoView {
    let session = use_session();
    let id = event.with_untracked(|e| e.id);
    let list = LocalResource::new(move || events::participants(session, id));
    let started = Memo::new(move |_| event.with(|e| e.starts_at <= dates::now()));
    let status = FormStatus::new();
    let mark = status.action(
        move |(signup, attended): (i64, bool)| async move {
            let answer = events::set_attendance(session, signup, &AttendanceInput { attended }).await;
            // Refused: the checkbox shows what is saved.
            if answer.is_err() {
                list.refetch();
            }
            answer
        },
        move |()| {},
    );
    let table = move || match list.get() {
        None => view! { <p class="loading">"Загрузка…"</p> }.into_any(),
        Some(Err(problem)) => view! { <p class="form-error" role="alert">{problem.detail}</p> }.into_any(),
        Some(Ok(people)) if people.is_empty() => {
            view! { <p class="empty-state participants-empty">"Пока никто не записался."</p> }.into_any()
        }
        Some(Ok(people)) => {
            let registered = people.iter().filter(|p| p.status == SignupStatus::Registered).count();
            let waiting = people.iter().filter(|p| p.status == SignupStatus::Waiting).count();
            let rows = people
                .into_iter()
                .map(|person| view! { <ParticipantRow person=person started=started mark=mark status=status /> })
                .collect_view();
            view! {
                <p class="list-total">{format!("Записано: {registered}, в листе ожидания: {waiting}")}</p>
                <table class="participants stack-table">
                    <thead>
                        <tr>
                            <th scope="col">"Ребёнок"</th>
                            <th scope="col">"Дата рождения"</th>
                            <th scope="col">"Родитель"</th>
                            <th scope="col">"Телефон"</th>
                            <th scope="col">"Статус"</th>
                            <th scope="col">"Место в очереди"</th>
                            <th scope="col">"Посещение"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            }
            .into_any()
        }
    };
    let download = FormStatus::new();
    let csv = download.action(
        move |()| async move { events::participants_csv(session, id).await },
        move |blob: web_sys::Blob| super::register::save(&blob, &format!("uchastniki-{id}.csv")),
    );
    let pending = csv.pending();
    view! {
        <section class="card participants-section" aria-labelledby="participants-title">
            <h2 id="participants-title">"Участники"</h2>
            <FormError status=download />
            <button
                type="button"
                class="button button-secondary participants-csv"
                disabled=move || pending.get()
                on:click=move |_| {
                    download.clear();
                    csv.dispatch_local(());
                }
            >
                {move || if pending.get() { "Готовим файл…" } else { "Скачать список (CSV)" }}
            </button>
            <Show when=move || !started.get()>
                <p class="hint">"Посещение отмечают, когда мероприятие началось."</p>
            </Show>
            <FormError status=status />
            {table}
        </section>
    }
}

/// A participant's row; a registered child has the attendance checkbox.
#[component]
fn ParticipantRow(
    person: Participant,
    started: Memo<bool>,
    mark: Action<(i64, bool), ()>,
    status: FormStatus,
) -> impl IntoView {
    let signup = person.signup_id;
    let attendance = if person.status == SignupStatus::Registered {
        let input_id = format!("attended-{signup}");
        let attended = person.attended.unwrap_or(false);
        view! {
            <label class="checkbox attended-label" for=input_id.clone()>
                <input
                    type="checkbox"
                    class="attended"
                    id=input_id.clone()
                    prop:checked=attended
                    disabled=move || !started.get()
                    on:change=move |ev| {
                        status.clear();
                        mark.dispatch_local((signup, event_target_checked(&ev)));
                    }
                />
                <span>"Пришёл" <span class="visually-hidden">{format!(": {}", person.child)}</span></span>
            </label>
        }
        .into_any()
    } else {
        view! { "—" }.into_any()
    };
    let phone = (!person.phone.is_empty()).then(|| {
        view! { <a href=phone_href(&person.phone)>{phone_text(&person.phone)}</a> }
    });
    view! {
        <tr data-signup-id=signup.to_string()>
            <td data-label="Ребёнок" class="participant-child">{person.child.clone()}</td>
            <td data-label="Дата рождения">{dates::russian(person.birth_date)}</td>
            <td data-label="Родитель">{person.parent}</td>
            <td data-label="Телефон">{phone}</td>
            <td data-label="Статус" class="participant-status">{person.status.title()}</td>
            <td data-label="Место в очереди">{person.position.map(|n| n.to_string()).unwrap_or_else(|| "—".to_owned())}</td>
            <td data-label="Посещение">{attendance}</td>
        </tr>
    }
}
