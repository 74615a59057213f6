//! «Группы» of a program in the cabinet: the list, the form and its small
//! weekly schedule editor; per group, the places held for the children who
//! finished a year of the program (the first right to continue).

use leptos::context::Provider;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use navigator_shared::applications::{Continuation, ContinuationInput};
use navigator_shared::catalog::{Group, GroupInput, Lesson, ProgramCard, ProgramStatus};
use navigator_shared::reference::academic_year_title;
use navigator_shared::{FieldErrors, Problem};
use wasm_bindgen::JsCast;

use super::widgets::{CheckboxField, ErrorFor, Reader, confirm, loading_view, problem_view, scoped_id, send_checked};
use crate::api::{Session, catalog, use_session};
use crate::components::{Field, FieldScope, FormError, FormStatus, SubmitButton};
use crate::dates;

const WEEKDAY_NAMES: [&str; 7] = ["Понедельник", "Вторник", "Среда", "Четверг", "Пятница", "Суббота", "Воскресенье"];

/// One lesson of the schedule editor, as its inputs hold it.
#[derive(Clone, Copy)]
struct LessonRow {
    key: u32,
    weekday: RwSignal<String>,
    start: RwSignal<String>,
    end: RwSignal<String>,
}

/// Every field of the group form.
#[derive(Clone, Copy)]
struct GroupFields {
    name: RwSignal<String>,
    teacher: RwSignal<String>,
    lessons: RwSignal<Vec<LessonRow>>,
    capacity: RwSignal<String>,
    start_date: RwSignal<String>,
    end_date: RwSignal<String>,
    age_min: RwSignal<String>,
    age_max: RwSignal<String>,
    enrolment_open: RwSignal<bool>,
    enrolment_from: RwSignal<String>,
    enrolment_to: RwSignal<String>,
    next_key: StoredValue<u32>,
    /// Rows are added from event handlers: their signals belong to the form.
    owner: StoredValue<Option<Owner>>,
}

impl GroupFields {
    fn new() -> Self {
        let empty = || RwSignal::new(String::new());
        Self {
            name: empty(),
            teacher: empty(),
            lessons: RwSignal::new(Vec::new()),
            capacity: empty(),
            start_date: empty(),
            end_date: empty(),
            age_min: empty(),
            age_max: empty(),
            enrolment_open: RwSignal::new(true),
            enrolment_from: empty(),
            enrolment_to: empty(),
            next_key: StoredValue::new(0),
            owner: StoredValue::new(Owner::current()),
        }
    }

    fn lesson_row(&self, weekday: u8, start: String, end: String) -> LessonRow {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        let make = move || LessonRow {
            key,
            weekday: RwSignal::new(weekday.to_string()),
            start: RwSignal::new(start),
            end: RwSignal::new(end),
        };
        match self.owner.get_value() {
            Some(owner) => owner.with(make),
            None => make(),
        }
    }

    fn add_lesson(&self) {
        // A new lesson most likely follows the last one's times on another day.
        let last = self.lessons.with_untracked(|rows| {
            rows.last().map(|r| (r.weekday.get_untracked(), r.start.get_untracked(), r.end.get_untracked()))
        });
        let row = match last {
            Some((day, start, end)) => {
                let day = day.parse::<u8>().map_or(1, |d| d % 7 + 1);
                self.lesson_row(day, start, end)
            }
            None => self.lesson_row(1, String::new(), String::new()),
        };
        self.lessons.update(|rows| rows.push(row));
    }

    /// Empty fields; the ages default to the program's.
    fn reset(&self, ages: (i32, i32)) {
        for text in [self.name, self.teacher, self.capacity, self.start_date, self.end_date] {
            text.set(String::new());
        }
        self.enrolment_from.set(String::new());
        self.enrolment_to.set(String::new());
        self.age_min.set(ages.0.to_string());
        self.age_max.set(ages.1.to_string());
        self.enrolment_open.set(true);
        self.lessons.set(Vec::new());
    }

    fn fill(&self, group: &Group) {
        self.name.set(group.name.clone());
        self.teacher.set(group.teacher.clone());
        let rows = group
            .schedule
            .iter()
            .map(|l| self.lesson_row(l.weekday, l.start.format("%H:%M").to_string(), l.end.format("%H:%M").to_string()))
            .collect();
        self.lessons.set(rows);
        self.capacity.set(group.capacity.to_string());
        self.start_date.set(dates::input_text(Some(group.start_date)));
        self.end_date.set(dates::input_text(Some(group.end_date)));
        self.age_min.set(group.age_min.to_string());
        self.age_max.set(group.age_max.to_string());
        self.enrolment_open.set(group.enrolment_open);
        self.enrolment_from.set(dates::input_text(group.enrolment_from));
        self.enrolment_to.set(dates::input_text(group.enrolment_to));
    }

    fn read(&self) -> (GroupInput, FieldErrors) {
        let mut reader = Reader::default();
        let mut schedule = Vec::new();
        let mut incomplete = false;
        self.lessons.with_untracked(|rows| {
            for row in rows {
                let weekday = row.weekday.with_untracked(|d| d.parse::<u8>().ok());
                match (weekday, Reader::time(row.start), Reader::time(row.end)) {
                    (Some(weekday), Some(start), Some(end)) => schedule.push(Lesson { weekday, start, end }),
                    _ => incomplete = true,
                }
            }
        });
        if incomplete {
            reader.errors.add("schedule", "Укажите день, время начала и окончания каждого занятия");
        }
        let input = GroupInput {
            name: self.name.get_untracked(),
            teacher: self.teacher.get_untracked(),
            schedule,
            capacity: reader.int("capacity", self.capacity),
            start_date: reader.date("start_date", self.start_date),
            end_date: reader.date("end_date", self.end_date),
            age_min: reader.int("age_min", self.age_min),
            age_max: reader.int("age_max", self.age_max),
            enrolment_open: self.enrolment_open.get_untracked(),
            enrolment_from: reader.optional_date("enrolment_from", self.enrolment_from),
            enrolment_to: reader.optional_date("enrolment_to", self.enrolment_to),
        };
        (input, reader.errors)
    }
}

/// The groups of the program and `<form id="group-form">`.
#[component]
pub(crate) fn GroupsSection(card: RwSignal<ProgramCard>) -> impl IntoView {
    let session = use_session();
    let writable = move || card.with(|c| c.status != ProgramStatus::Archived);
    let ages = move || card.with_untracked(|c| (c.summary.age_min, c.summary.age_max));
    let fields = GroupFields::new();
    fields.reset(ages());
    let editing = RwSignal::new(None::<i64>);
    let clear = move || {
        editing.set(None);
        fields.reset(ages());
    };
    let status = FormStatus::new();
    let save = status.action(
        move |(program, id, input): (i64, Option<i64>, GroupInput)| async move {
            match id {
                Some(id) => catalog::update_group(session, id, &input).await,
                None => catalog::add_group(session, program, &input).await,
            }
        },
        move |group: Group| {
            let added = editing.get_untracked().is_none();
            card.update(|c| match c.groups.iter_mut().find(|g| g.id == group.id) {
                Some(slot) => *slot = group,
                None => c.groups.push(group),
            });
            clear();
            status.done(if added { "Группа добавлена." } else { "Группа сохранена." });
        },
    );
    let saving = save.pending();
    let continuing = Continuing::new();
    let hold = continuing.status.action(
        move |(group, input): (i64, ContinuationInput)| async move {
            catalog::set_continuation(session, group, &input).await
        },
        move |answer: Continuation| continuing.saved(answer),
    );
    let rows_status = FormStatus::new();
    let remove = rows_status.action(
        move |id: i64| async move { catalog::delete_group(session, id).await.map(|()| id) },
        move |id: i64| {
            card.update(|c| c.groups.retain(|g| g.id != id));
            if editing.get_untracked() == Some(id) {
                clear();
            }
            rows_status.done("Группа удалена.");
        },
    );
    let edit = move |group: &Group| {
        status.clear();
        editing.set(Some(group.id));
        fields.fill(group);
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (input, errors) = fields.read();
        let program = card.with_untracked(|c| c.summary.id);
        let program_ages = ages();
        send_checked(status, save, (program, editing.get_untracked(), input), errors, move |(_, _, input)| {
            input.validate(program_ages)
        });
    };
    let rows = move || {
        let groups = card.with(|c| c.groups.clone());
        if groups.is_empty() {
            return view! {
                <p class="empty-state">
                    "Групп пока нет. Без группы с расписанием программу нельзя отправить на модерацию."
                </p>
            }
            .into_any();
        }
        groups
            .into_iter()
            .map(|group| {
                let (id, title) = (group.id, group.name.clone());
                let continuation = writable().then(|| {
                    view! { <ContinuationBlock group=group.clone() continuing=continuing hold=hold /> }
                });
                let buttons = writable().then(|| {
                    let edited = group.clone();
                    view! {
                        <div class="row-actions">
                            <button
                                type="button"
                                class="button button-secondary edit-group"
                                on:click=move |_| edit(&edited)
                            >
                                "Изменить"
                            </button>
                            <button
                                type="button"
                                class="button button-secondary delete-group"
                                on:click=move |_| {
                                    if confirm(&format!("Удалить группу «{title}»?")) {
                                        rows_status.clear();
                                        remove.dispatch_local(id);
                                    }
                                }
                            >
                                "Удалить"
                            </button>
                        </div>
                    }
                });
                view! {
                    <article class="group-row" data-group-id=id>
                        <div class="row-text">
                            <GroupSummary group=group />
                            {continuation}
                        </div>
                        {buttons}
                    </article>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        // The program form on the same page has fields of the same names.
        <Provider value=FieldScope("group-")>
        <section class="card program-part" id="groups">
            <h2>"Группы"</h2>
            <FormError status=rows_status />
            <div class="part-list">{rows}</div>
            <Show when=writable>
                <h3>{move || if editing.with(Option::is_some) { "Изменить группу" } else { "Добавить группу" }}</h3>
                <form id="group-form" class="form" novalidate=true on:submit=on_submit>
                    <FormError status=status />
                    <GroupInputs fields=fields errors=status.errors />
                    <div class="actions form-actions">
                        {move || {
                            let label =
                                if editing.with(Option::is_some) { "Сохранить группу" } else { "Добавить группу" };
                            view! { <SubmitButton pending=saving label=label busy="Сохраняем…" /> }
                        }}
                        <Show when=move || editing.with(Option::is_some)>
                            <button
                                type="button"
                                id="cancel-group"
                                class="button button-secondary"
                                on:click=move |_| {
                                    status.clear();
                                    clear();
                                }
                            >
                                "Отмена"
                            </button>
                        </Show>
                    </div>
                </form>
            </Show>
        </section>
        </Provider>
    }
}

/// «Продолжающие обучение», open in one group at a time: the groups' forms
/// share their field names (and so their element ids).
#[derive(Clone, Copy)]
struct Continuing {
    /// The group whose block is open.
    open: RwSignal<Option<i64>>,
    /// What the API said of that group; none while it loads.
    state: RwSignal<Option<Result<Continuation, Problem>>>,
    hold_until: RwSignal<String>,
    status: FormStatus,
}

const HOLD_HINT: &str = "Места закрепляются за детьми, окончившими год обучения по программе; после этой даты \
                         свободные места получат дети из листа ожидания";

impl Continuing {
    fn new() -> Self {
        Self {
            open: RwSignal::new(None),
            state: RwSignal::new(None),
            hold_until: RwSignal::new(String::new()),
            status: FormStatus::new(),
        }
    }

    fn is_open(self, group: i64) -> bool {
        self.open.with(|open| *open == Some(group))
    }

    /// Opens the block of `group`, closing another one, and loads what it holds.
    fn load(self, session: Session, group: i64) {
        self.status.clear();
        self.state.set(None);
        self.hold_until.set(String::new());
        self.open.set(Some(group));
        leptos::task::spawn_local(async move {
            let answer = catalog::continuation(session, group).await;
            // Another group's block may have been opened meanwhile.
            if self.open.get_untracked() == Some(group) {
                self.show(answer);
            }
        });
    }

    fn show(self, answer: Result<Continuation, Problem>) {
        if let Ok(continuation) = &answer {
            self.hold_until.set(dates::input_text(continuation.hold_until));
        }
        self.state.set(Some(answer));
    }

    /// The API's answer to setting or taking off the day.
    fn saved(self, answer: Continuation) {
        if self.open.get_untracked() != Some(answer.group_id) {
            return;
        }
        let message = match answer.hold_until {
            Some(_) => "Дата сохранена. Семьи детей, за которыми закреплены места, получили уведомление.".to_owned(),
            None => {
                // «Снять закрепление» is gone with the day: the keyboard goes back to the date.
                request_animation_frame(|| {
                    let field = document().query_selector(".continuation-form input[name='hold_until']");
                    if let Some(field) = field.ok().flatten().and_then(|f| f.dyn_into::<web_sys::HtmlElement>().ok()) {
                        let _ = field.focus();
                    }
                });
                "Закрепление снято: свободные места переданы листу ожидания.".to_owned()
            }
        };
        self.show(Ok(answer));
        self.status.done(message);
    }
}

/// `<details class="continuation">` of a group: the day places are held
/// until for the children who finished a year of the program, and whom they
/// are held for. Loaded each time it is opened.
#[component]
fn ContinuationBlock(
    group: Group,
    continuing: Continuing,
    hold: Action<(i64, ContinuationInput), ()>,
) -> impl IntoView {
    let session = use_session();
    let (id, ends) = (group.id, group.end_date);
    let expanded = move || continuing.is_open(id);
    let on_toggle = move |ev: leptos::ev::Event| {
        let now_open = event_target::<web_sys::Element>(&ev).has_attribute("open");
        let was_open = untrack(expanded);
        if now_open && !was_open {
            continuing.load(session, id);
        } else if !now_open && was_open {
            continuing.open.set(None);
        }
    };
    let loaded = Memo::new(move |_| continuing.state.with(|s| matches!(s, Some(Ok(_)))));
    let holding = move || continuing.state.with(|s| matches!(s, Some(Ok(c)) if c.hold_until.is_some()));
    let pending = hold.pending();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut reader = Reader::default();
        let input = ContinuationInput { hold_until: Some(reader.date("hold_until", continuing.hold_until)) };
        send_checked(continuing.status, hold, (id, input), reader.errors, move |(_, input)| {
            input.check(dates::today(), ends)
        });
    };
    let stop = move |_| {
        if confirm("Снять закрепление? Незанятые закреплённые места получат дети из листа ожидания.")
        {
            continuing.status.clear();
            hold.dispatch_local((id, ContinuationInput { hold_until: None }));
        }
    };
    view! {
        <details class="continuation" prop:open=expanded on:toggle=on_toggle>
            <summary>"Продолжающие обучение"</summary>
            <Show when=expanded>
                <div class="inline-action continuation-panel">
                    {move || match continuing.state.get() {
                        None => loading_view(),
                        Some(Err(problem)) => problem_view(problem),
                        Some(Ok(continuation)) => view! { <HeldPlaces continuation=continuation /> }.into_any(),
                    }}
                    // Drawn once loaded and kept while the answers change: the focus stays in it.
                    <Show when=move || loaded.get()>
                        <form class="form continuation-form" novalidate=true on:submit=on_submit>
                            <FormError status=continuing.status />
                            <Field
                                name="hold_until"
                                label="Держать места до"
                                value=continuing.hold_until
                                errors=continuing.status.errors
                                kind="date"
                                hint=HOLD_HINT
                                required=true
                            />
                            <div class="actions form-actions">
                                <SubmitButton pending=pending label="Закрепить места" busy="Закрепляем…" />
                                <Show when=holding>
                                    <button
                                        type="button"
                                        class="button button-secondary stop-holding"
                                        disabled=move || pending.get()
                                        on:click=stop
                                    >
                                        "Снять закрепление"
                                    </button>
                                </Show>
                            </div>
                        </form>
                    </Show>
                </div>
            </Show>
        </details>
    }
}

/// The day places are held until, whom for, and how many found no place.
#[component]
fn HeldPlaces(continuation: Continuation) -> impl IntoView {
    let Continuation { hold_until, held, without_place, .. } = continuation;
    let state = match hold_until {
        Some(day) => format!("Места закреплены до {}.", dates::russian(day)),
        None => "Места не закреплены.".to_owned(),
    };
    let places = (!held.is_empty()).then(|| {
        let items = held
            .into_iter()
            .map(|place| {
                view! {
                    <li class="held-place">{format!("{} — до {}", place.child_name, dates::russian(place.until))}</li>
                }
            })
            .collect_view();
        view! { <ul class="held-places">{items}</ul> }
    });
    view! {
        <p class="continuation-state">{state}</p>
        {places}
        {(without_place > 0)
            .then(|| view! { <p class="without-place">{format!("Не хватило мест: {without_place}")}</p> })}
    }
}

/// What a group is: teacher, schedule, places, dates and whether it takes applications.
#[component]
pub(crate) fn GroupSummary(group: Group) -> impl IntoView {
    let schedule = if group.schedule.is_empty() {
        "Расписание не указано".to_owned()
    } else {
        group.schedule.iter().map(Lesson::describe).collect::<Vec<_>>().join(", ")
    };
    let (open_class, open_text) = if group.open {
        ("group-enrolment open", "Приём открыт")
    } else {
        ("group-enrolment closed", "Приём закрыт")
    };
    let enrolment = match (group.enrolment_from, group.enrolment_to) {
        (None, None) => None,
        (from, to) => Some(format!(
            "Приём заявок{}{}",
            from.map(|d| format!(" с {}", dates::russian(d))).unwrap_or_default(),
            to.map(|d| format!(" по {}", dates::russian(d))).unwrap_or_default()
        )),
    };
    view! {
        <h3 class="group-name">{group.name}</h3>
        {(!group.teacher.trim().is_empty())
            .then(|| view! { <p class="group-teacher">{format!("Педагог: {}", group.teacher)}</p> })}
        <p class="group-schedule">{schedule}</p>
        <p class="group-places">{format!("Мест: {} свободно из {}", group.free_places, group.capacity)}</p>
        <p class="group-dates">
            {format!(
                "Учебный год {}: занятия с {} по {}, возраст {}–{} лет",
                academic_year_title(group.academic_year),
                dates::russian(group.start_date),
                dates::russian(group.end_date),
                group.age_min,
                group.age_max,
            )}
        </p>
        {enrolment.map(|text| view! { <p class="muted">{text}</p> })}
        <span class=open_class>{open_text}</span>
    }
}

/// The fields of the group form.
#[component]
fn GroupInputs(fields: GroupFields, errors: RwSignal<FieldErrors>) -> impl IntoView {
    view! {
        <div class="row row-even">
            <Field name="name" label="Название группы" value=fields.name errors=errors required=true />
            <Field name="teacher" label="Педагог" value=fields.teacher errors=errors autocomplete="off" />
        </div>
        <ScheduleEditor fields=fields errors=errors />
        <Field
            name="capacity"
            label="Мест в группе"
            value=fields.capacity
            errors=errors
            kind="number"
            inputmode="numeric"
            required=true
        />
        <div class="row row-even">
            <Field
                name="start_date"
                label="Начало занятий"
                value=fields.start_date
                errors=errors
                kind="date"
                required=true
            />
            <Field
                name="end_date"
                label="Окончание занятий"
                value=fields.end_date
                errors=errors
                kind="date"
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
        <fieldset class="group">
            <legend>"Приём заявок"</legend>
            <CheckboxField
                name="enrolment_open"
                label="Приём заявок открыт"
                checked=fields.enrolment_open
                errors=errors
            />
            <div class="row row-even">
                <Field
                    name="enrolment_from"
                    label="Приём с"
                    value=fields.enrolment_from
                    errors=errors
                    kind="date"
                    hint="Если не указано — сразу"
                />
                <Field
                    name="enrolment_to"
                    label="Приём по"
                    value=fields.enrolment_to
                    errors=errors
                    kind="date"
                    hint="Если не указано — пока есть места"
                />
            </div>
        </fieldset>
    }
}

/// Rows of weekday + start + end, with «Добавить занятие» and a remove button per row.
#[component]
fn ScheduleEditor(fields: GroupFields, errors: RwSignal<FieldErrors>) -> impl IntoView {
    let prefix = scoped_id("lesson");
    let rows = move || fields.lessons.get();
    view! {
        <fieldset class="group schedule-editor" id=scoped_id("schedule")>
            <legend>"Расписание на неделю"</legend>
            <For each=rows key=|row| row.key let:row>
                <LessonInputs row=row prefix=prefix.clone() lessons=fields.lessons />
            </For>
            <Show when=move || fields.lessons.with(Vec::is_empty)>
                <p class="hint">"Добавьте занятия: день недели и время."</p>
            </Show>
            <ErrorFor name="schedule" errors=errors />
            <button type="button" id="add-lesson" class="button button-secondary" on:click=move |_| fields.add_lesson()>
                "Добавить занятие"
            </button>
        </fieldset>
    }
}

#[component]
fn LessonInputs(row: LessonRow, prefix: String, lessons: RwSignal<Vec<LessonRow>>) -> impl IntoView {
    let id = |part: &str| format!("{prefix}-{}-{part}", row.key);
    let days = WEEKDAY_NAMES
        .iter()
        .zip(1_u8..)
        .map(|(name, day)| {
            let value = day.to_string();
            let selected = {
                let value = value.clone();
                move || row.weekday.with(|d| *d == value)
            };
            view! { <option value=value prop:selected=selected>{*name}</option> }
        })
        .collect_view();
    view! {
        <div class="lesson-row">
            <div class="field">
                <label for=id("weekday")>"День недели"</label>
                <select
                    id=id("weekday")
                    class="lesson-weekday"
                    on:change=move |ev| row.weekday.set(event_target_value(&ev))
                >
                    {days}
                </select>
            </div>
            <div class="field">
                <label for=id("start")>"Начало"</label>
                <input id=id("start") class="lesson-start" type="time" bind:value=row.start />
            </div>
            <div class="field">
                <label for=id("end")>"Окончание"</label>
                <input id=id("end") class="lesson-end" type="time" bind:value=row.end />
            </div>
            <button
                type="button"
                class="button button-secondary remove-lesson"
                aria-label="Убрать занятие"
                on:click=move |_| lessons.update(|rows| rows.retain(|r| r.key != row.key))
            >
                "Убрать"
            </button>
        </div>
    }
}
