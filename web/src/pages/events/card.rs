//! `/events/{id}`: an event's card — when and where, for which ages, the
//! price and the places — and its sign-up: a guest is asked to sign in, a
//! family ticks the children to sign up at once and sees (and may cancel)
//! its sign-ups with the places on the waiting list. Staff of the event's
//! organization get a link to manage it.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use navigator_shared::Problem;
use navigator_shared::accounts::Role;
use navigator_shared::ages::age_on;
use navigator_shared::children::Child;
use navigator_shared::events::{Event, EventStatus, Signup, SignupInput, SignupStatus};
use wasm_bindgen::JsCast;

use super::{last_calendar, machine_time, moment, over_badge, places_text, price_text, status_badge, when};
use crate::api::{self, catalog, events, use_session};
use crate::components::{FieldErrorFor, FormError, FormStatus};
use crate::dates;
use crate::pages::catalog::{ages, page_title};

/// What the page has of its event.
#[derive(Clone)]
enum Loaded {
    /// The session is still being restored: staff must be asked with their token.
    Waiting,
    Missing,
    Failed(Problem),
    Found(Event),
}

/// `/events/{id}`.
#[component]
pub fn EventPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get_str("id").and_then(|v| v.parse::<i64>().ok())));
    let loaded = LocalResource::new(move || {
        let (id, restored) = (id.get(), session.restored());
        // Signing in or out asks again: staff see what guests do not.
        let _signed_in = session.signed_in();
        async move {
            match (id, restored) {
                (_, false) => Loaded::Waiting,
                (None, true) => Loaded::Missing,
                (Some(id), true) => match events::event(session, id).await {
                    Ok(event) => Loaded::Found(event),
                    Err(problem) if problem.status == 404 => Loaded::Missing,
                    Err(problem) => Loaded::Failed(problem),
                },
            }
        }
    });
    let body = move || match loaded.get() {
        None | Some(Loaded::Waiting) => view! { <p class="loading" role="status">"Загрузка…"</p> }.into_any(),
        Some(Loaded::Missing) => view! { <Missing /> }.into_any(),
        Some(Loaded::Failed(problem)) => view! {
            <div class="form-error" role="alert">
                <p>{problem.detail}</p>
                <button type="button" class="button button-secondary" on:click=move |_| loaded.refetch()>
                    "Повторить"
                </button>
            </div>
        }
        .into_any(),
        Some(Loaded::Found(event)) => view! { <Card event=RwSignal::new(event) /> }.into_any(),
    };
    view! {
        <div class="page event-page">
            <p class="back-link">
                <a id="back-to-events" href=last_calendar()>
                    "← Календарь мероприятий"
                </a>
            </p>
            {body}
        </div>
    }
}

#[component]
fn Missing() -> impl IntoView {
    view! {
        <section class="card empty-state" id="event-missing">
            <h1>"Мероприятие не найдено"</h1>
            <p>"Возможно, ссылка устарела или мероприятие ещё не опубликовано. Посмотрите другие мероприятия в календаре."</p>
            <p>
                <a class="button" href="/events">
                    "Открыть календарь"
                </a>
            </p>
        </section>
    }
}

/// Why a family cannot sign up now: «Запись не идёт: …».
fn closed_text(event: &Event) -> String {
    let why = match event.status {
        EventStatus::Cancelled => "мероприятие отменено".to_owned(),
        EventStatus::Finished => "мероприятие завершилось".to_owned(),
        EventStatus::Draft | EventStatus::Moderation => "мероприятие ещё не опубликовано".to_owned(),
        EventStatus::Published => match event.signup_from {
            Some(from) if from > dates::now() => format!("она откроется {}", moment(from)),
            _ => "она закончилась".to_owned(),
        },
    };
    format!("Запись не идёт: {why}.")
}

/// «Записан», «В листе ожидания, место 2».
fn signup_status(signup: &Signup) -> String {
    match (signup.status, signup.position) {
        (SignupStatus::Waiting, Some(place)) => format!("В листе ожидания, место {place}"),
        (status, _) => status.title().to_owned(),
    }
}

/// «Записали: Маша, Петя (в лист ожидания, место 2).»
fn signed_text(signed: &[Signup]) -> String {
    let names = signed
        .iter()
        .map(|s| match (s.status, s.position) {
            (SignupStatus::Waiting, Some(place)) => format!("{} (в лист ожидания, место {place})", s.child_first_name),
            (SignupStatus::Waiting, None) => format!("{} (в лист ожидания)", s.child_first_name),
            _ => s.child_first_name.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ");
    format!("Записали: {names}.")
}

/// The loaded card: the head with what a family needs to decide, the
/// description and the sign-up. Places change as families sign up: the
/// card is asked again after every change here.
#[component]
fn Card(event: RwSignal<Event>) -> impl IntoView {
    let session = use_session();
    let id = event.with_untracked(|e| e.id);
    page_title(&event.with_untracked(|e| e.title.clone()));
    let refresh = Callback::new(move |()| {
        spawn_local(async move {
            if let Ok(fresh) = events::event(session, id).await {
                let _ = event.try_set(fresh);
            }
        });
    });
    let program = event.with_untracked(|e| e.program_id);
    // The program's title for its link, when it is in the catalog.
    let program_title = LocalResource::new(move || async move {
        match program {
            Some(program) => catalog::program(program).await.ok().map(|card| card.summary.title),
            None => None,
        }
    });
    // Staff of the event's organization; the operator's comment comes only to those who manage it.
    let own = move || {
        session.user().is_some_and(|user| {
            user.role == Role::OrgStaff
                && event.with(|e| {
                    e.moderation_comment.is_some()
                        || user.workplace.is_some_and(|w| w.organization_id == e.organization.id)
                })
        })
    };
    let operator = move || session.user().is_some_and(|user| matches!(user.role, Role::Operator | Role::Admin));
    let head = move || event.with(|e| head(e, program_title));
    let description = move || event.with(|e| e.description.clone());
    view! {
        <article class="event-card" data-event-id=id.to_string()>
            {head}
            <p class="event-ics">
                <a class="event-ics-link" href=crate::api::events::ics_href(id) download=format!("event-{id}.ics")>
                    "Добавить в календарь телефона (.ics)"
                </a>
            </p>
            <Show when=own>
                <p class="event-staff">
                    <a class="event-manage button button-secondary" href=format!("/cabinet/events/{id}")>
                        "Управлять мероприятием"
                    </a>
                </p>
            </Show>
            <Show when=move || operator() && event.with(|e| e.status == EventStatus::Moderation)>
                <p class="event-staff">
                    <a class="event-moderate button button-secondary" href="/moderation/events">
                        "К мероприятиям на модерации"
                    </a>
                </p>
            </Show>
            <section class="card event-about" aria-labelledby="event-about-title">
                <h2 id="event-about-title">"О мероприятии"</h2>
                <p class="text-block event-description">{description}</p>
            </section>
            <div id="event-signup" class="event-signup">
                <SignupArea event=event refresh=refresh />
            </div>
        </article>
    }
}

/// The head of the card: the title, the badges and the facts.
fn head(event: &Event, program_title: LocalResource<Option<String>>) -> AnyView {
    let status = event.status;
    let badge = match status {
        EventStatus::Published => None,
        EventStatus::Cancelled | EventStatus::Finished => over_badge(status),
        _ => Some(status_badge(status).into_any()),
    };
    let place = if event.online {
        view! { "Онлайн" }.into_any()
    } else {
        let geo = event.lat.zip(event.lon).filter(|(lat, lon)| lat.is_finite() && lon.is_finite());
        view! {
            {event.address.clone()}
            {geo
                .map(|(lat, lon)| {
                    view! {
                        " "
                        <a class="geo-link" href=format!("geo:{lat},{lon}")>
                            "Открыть в картах телефона"
                        </a>
                    }
                })}
        }
        .into_any()
    };
    let waiting = (event.waiting > 0).then(|| {
        view! { <span class="event-waiting">{format!(" В листе ожидания: {}.", event.waiting)}</span> }
    });
    let window = match (event.signup_from, event.signup_to) {
        (None, None) => None,
        (Some(from), None) => Some(format!("Запись с {} до начала мероприятия", moment(from))),
        (None, Some(to)) => Some(format!("Запись до {}", moment(to))),
        (Some(from), Some(to)) => Some(format!("Запись с {} до {}", moment(from), moment(to))),
    };
    let program = event.program_id.map(|program| {
        view! {
            <div>
                <dt>"Программа"</dt>
                <dd>
                    <a class="event-program-link" href=format!("/programs/{program}")>
                        {move || program_title.get().flatten().unwrap_or_else(|| "Программа организации".to_owned())}
                    </a>
                </dd>
            </div>
        }
    });
    view! {
        <header class="card event-head">
            <h1>{event.title.clone()}</h1>
            <div class="badges">
                <span class="badge event-kind">{event.kind.title()}</span>
                {event.direction.map(|d| view! { <span class="badge event-direction">{d.title()}</span> })}
                {badge}
            </div>
            {(status == EventStatus::Cancelled)
                .then(|| view! { <p class="info-note event-cancelled-note">"Мероприятие отменено организатором."</p> })}
            <dl class="event-summary">
                <div>
                    <dt>"Когда"</dt>
                    <dd class="event-when">
                        <time datetime=machine_time(event.starts_at)>{when(event.starts_at, event.ends_at)}</time>
                    </dd>
                </div>
                <div>
                    <dt>"Где"</dt>
                    <dd class="event-place">{place}</dd>
                </div>
                <div>
                    <dt>"Возраст"</dt>
                    <dd class="event-ages">{ages(event.age_min, event.age_max)}</dd>
                </div>
                <div>
                    <dt>"Стоимость"</dt>
                    <dd class="event-price">{price_text(event.price)}</dd>
                </div>
                <div>
                    <dt>"Места"</dt>
                    <dd>
                        <span class="event-places">{places_text(event.places_left)}</span>
                        {waiting}
                    </dd>
                </div>
                <div>
                    <dt>"Организатор"</dt>
                    <dd>
                        <a class="organization-link" href=format!("/organizations/{}", event.organization.id)>
                            {event.organization.name.clone()}
                        </a>
                    </dd>
                </div>
                {program}
            </dl>
            {event
                .certificate_required
                .then(|| {
                    view! {
                        <p class="info-note event-certificate">
                            "Участвуют только дети с действующим сертификатом дополнительного образования."
                        </p>
                    }
                })}
            {window.map(|text| view! { <p class="muted event-signup-window">{text}</p> })}
        </header>
    }
    .into_any()
}

/// `#event-signup`'s content: a guest is asked to sign in, a family signs
/// children up; staff and operators sign no one up.
#[component]
fn SignupArea(event: RwSignal<Event>, refresh: Callback<()>) -> impl IntoView {
    let session = use_session();
    let role = Memo::new(move |_| session.user().map(|user| user.role));
    let open = Memo::new(move |_| event.with(|e| e.signup_open));
    move || {
        if !session.restored() {
            return ().into_any();
        }
        match role.get() {
            None => view! {
                <section class="card signup-card" aria-labelledby="signup-title">
                    <h2 id="signup-title">"Запись на мероприятие"</h2>
                    {move || {
                        if open.get() {
                            view! {
                                <p class="signup-guest">
                                    <a class="signup-login" href="/login">
                                        "Войдите"
                                    </a>
                                    ", чтобы записать ребёнка: записывают родители, зарегистрированные в Навигаторе."
                                </p>
                            }
                            .into_any()
                        } else {
                            view! { <p class="signup-closed">{event.with(closed_text)}</p> }.into_any()
                        }
                    }}
                </section>
            }
            .into_any(),
            Some(Role::Parent | Role::Learner) => view! { <FamilySignup event=event refresh=refresh /> }.into_any(),
            Some(_) => ().into_any(),
        }
    }
}

/// A child of the family as the form offers him.
#[derive(Clone)]
struct Choice {
    id: i64,
    /// «Маша, 9 лет» (the age at the event's start).
    label: String,
    /// The status of his sign-up, when he is signed up already.
    signed: Option<String>,
}

/// The family's part: its sign-ups and the form to sign up more children.
#[component]
fn FamilySignup(event: RwSignal<Event>, refresh: Callback<()>) -> impl IntoView {
    let session = use_session();
    let id = event.with_untracked(|e| e.id);
    let signups = LocalResource::new(move || events::signups(session, id));
    let children = LocalResource::new(move || api::children(session));
    // The outcome of the last sign-up or cancellation.
    let done = RwSignal::new(None::<String>);
    let changed = Callback::new(move |message: String| {
        done.set(Some(message));
        signups.refetch();
        refresh.run(());
    });
    let active = Memo::new(move |_| {
        signups.get().map(|answer| {
            answer.map(|list| list.into_iter().filter(|s| s.status != SignupStatus::Cancelled).collect::<Vec<_>>())
        })
    });
    let open = Memo::new(move |_| event.with(|e| e.signup_open));
    let full = Memo::new(move |_| event.with(|e| e.places_left.is_some_and(|left| left <= 0)));
    // A sign-up is cancelled before the start of a published event.
    let cancellable =
        Memo::new(move |_| event.with(|e| e.status == EventStatus::Published && e.starts_at > dates::now()));
    let starts = event.with_untracked(|e| e.starts_at.date());

    let mine = move || {
        let list = active.get().and_then(Result::ok).unwrap_or_default();
        (!list.is_empty()).then(|| {
            let items = list
                .into_iter()
                .map(|signup| view! { <MySignup signup=signup cancellable=cancellable.get_untracked() changed=changed /> })
                .collect_view();
            view! {
                <div class="my-signups-block">
                    <h3>"Ваши записи"</h3>
                    <ul class="my-signups">{items}</ul>
                </div>
            }
        })
    };
    let form = move || {
        if !open.get() {
            return view! { <p class="signup-closed">{event.with_untracked(closed_text)}</p> }.into_any();
        }
        let (kids, signed) = match (children.get(), active.get()) {
            (Some(Err(problem)), _) | (_, Some(Err(problem))) => {
                return view! { <p class="form-error" role="alert">{problem.detail}</p> }.into_any();
            }
            (Some(Ok(kids)), Some(Ok(signed))) => (kids, signed),
            _ => return view! { <p class="loading" role="status">"Загрузка…"</p> }.into_any(),
        };
        if kids.is_empty() {
            return view! {
                <p class="signup-no-children">
                    "Чтобы записать ребёнка, сначала добавьте его в разделе " <a href="/children/new">"«Дети»"</a> "."
                </p>
            }
            .into_any();
        }
        let choices = kids
            .into_iter()
            .map(|child: Child| Choice {
                id: child.id,
                label: format!("{}, {}", child.first_name, {
                    let age = age_on(child.birth_date, starts);
                    ages(age, age)
                }),
                signed: signed.iter().find(|s| s.child_id == child.id).map(signup_status),
            })
            .collect();
        view! {
            <SignupForm
                event_id=id
                choices=choices
                full=full.get_untracked()
                on_submit=move || done.set(None)
                changed=changed
            />
        }
        .into_any()
    };
    view! {
        <section class="card signup-card" aria-labelledby="signup-title">
            <h2 id="signup-title">"Запись на мероприятие"</h2>
            {move || done.get().map(|message| view! { <p class="form-success" role="status">{message}</p> })}
            {mine}
            {form}
        </section>
    }
}

/// `<form id="signup-form">`: a checkbox per child not yet signed up.
#[component]
fn SignupForm(
    event_id: i64,
    choices: Vec<Choice>,
    /// No places left: the children go to the waiting list.
    full: bool,
    /// Runs as the form is sent (the earlier outcome goes).
    on_submit: impl Fn() + 'static,
    changed: Callback<String>,
) -> impl IntoView {
    let session = use_session();
    let chosen = RwSignal::new(Vec::<i64>::new());
    let status = FormStatus::new();
    let send = status.action(
        move |input: SignupInput| async move { events::sign_up(session, event_id, &input).await },
        move |signed: Vec<Signup>| changed.run(signed_text(&signed)),
    );
    let pending = send.pending();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        on_submit();
        status.submit(send, SignupInput { child_ids: chosen.get_untracked() }, SignupInput::checked);
    };
    let has_error = move || status.errors.with(|e| e.first("child_ids").is_some());
    let free = choices.iter().any(|c| c.signed.is_none());
    let items = choices
        .into_iter()
        .map(|choice| {
            let child = choice.id;
            match choice.signed {
                Some(state) => view! {
                    <li class="signup-child signed-up" data-child-id=child.to_string()>
                        <span class="signup-child-name">{choice.label}</span>
                        " "
                        <span class="badge badge-open signed-up-status">{state}</span>
                    </li>
                }
                .into_any(),
                None => {
                    let input_id = format!("signup-child-{child}");
                    view! {
                        <li class="signup-child" data-child-id=child.to_string()>
                            <label class="checkbox" for=input_id.clone()>
                                <input
                                    type="checkbox"
                                    id=input_id.clone()
                                    name="child_ids"
                                    value=child.to_string()
                                    aria-invalid=move || has_error().then_some("true")
                                    prop:checked=move || chosen.with(|ids| ids.contains(&child))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        chosen
                                            .update(|ids| {
                                                ids.retain(|id| *id != child);
                                                if on {
                                                    ids.push(child);
                                                }
                                            });
                                    }
                                />
                                <span>{choice.label}</span>
                            </label>
                        </li>
                    }
                    .into_any()
                }
            }
        })
        .collect_view();
    view! {
        <form id="signup-form" class="form signup-form" novalidate=true on:submit=submit>
            <FormError status=status />
            <fieldset
                class="group signup-children"
                aria-describedby=move || has_error().then_some("signup-children-error")
            >
                <legend>"Кого записать"</legend>
                {full
                    .then(|| {
                        view! {
                            <p class="hint signup-waiting-hint">
                                "Мест нет: отмеченные дети встанут в лист ожидания и получат место, если кто-то откажется."
                            </p>
                        }
                    })}
                <ul class="signup-child-list">{items}</ul>
                <FieldErrorFor id="signup-children".to_owned() name="child_ids" errors=status.errors all=true />
            </fieldset>
            {if free {
                view! {
                    <button type="submit" id="signup-submit" class="button" disabled=move || pending.get()>
                        {move || if pending.get() { "Записываем…" } else { "Записать" }}
                    </button>
                }
                    .into_any()
            } else {
                view! { <p class="muted">"Все ваши дети уже записаны."</p> }.into_any()
            }}
        </form>
    }
}

/// Moves the keyboard focus to the element `id` once it is drawn.
fn focus_later(id: String) {
    request_animation_frame(move || {
        if let Some(element) = document().get_element_by_id(&id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    });
}

/// `li.my-signup`: the child, the status, and the cancellation with a confirm step.
#[component]
fn MySignup(signup: Signup, cancellable: bool, changed: Callback<String>) -> impl IntoView {
    let session = use_session();
    let id = signup.id;
    let name = signup.child_first_name.clone();
    let confirming = RwSignal::new(false);
    let status = FormStatus::new();
    let cancel = status.action(
        move |()| async move { events::cancel_signup(session, id).await },
        move |()| changed.run(format!("Запись отменена: {name}.")),
    );
    let pending = cancel.pending();
    let (ask_id, confirm_id) = (format!("signup-cancel-{id}"), format!("signup-cancel-{id}-confirm"));
    let controls = move || {
        if !cancellable {
            return ().into_any();
        }
        if confirming.get() {
            let back = ask_id.clone();
            return view! {
                <div class="inline-action signup-cancel-ask">
                    <p>"Отменить запись? Место перейдёт следующему из листа ожидания."</p>
                    <div class="actions">
                        <button
                            type="button"
                            id=confirm_id.clone()
                            class="button signup-cancel-confirm"
                            disabled=move || pending.get()
                            on:click=move |_| {
                                status.clear();
                                cancel.dispatch_local(());
                            }
                        >
                            {move || if pending.get() { "Отменяем…" } else { "Да, отменить" }}
                        </button>
                        <button
                            type="button"
                            class="button button-secondary signup-cancel-back"
                            on:click=move |_| {
                                status.clear();
                                confirming.set(false);
                                focus_later(back.clone());
                            }
                        >
                            "Нет"
                        </button>
                    </div>
                </div>
            }
            .into_any();
        }
        let confirm = confirm_id.clone();
        view! {
            <button
                type="button"
                id=ask_id.clone()
                class="button button-secondary signup-cancel"
                on:click=move |_| {
                    confirming.set(true);
                    focus_later(confirm.clone());
                }
            >
                "Отменить запись"
            </button>
        }
        .into_any()
    };
    view! {
        <li class="my-signup" data-signup-id=id.to_string()>
            <p class="my-signup-line">
                <span class="my-signup-child">{signup.child_first_name.clone()}</span>
                " — "
                <span class=format!("my-signup-status signup-{}", signup.status.as_str())>{signup_status(&signup)}</span>
            </p>
            <FormError status=status />
            {controls}
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signup(name: &str, status: SignupStatus, position: Option<i64>) -> Signup {
        Signup { id: 1, event_id: 1, child_id: 1, child_first_name: name.into(), status, position }
    }

    #[test]
    fn a_family_reads_where_its_children_stand() {
        assert_eq!(signup_status(&signup("Маша", SignupStatus::Registered, None)), "Записан");
        assert_eq!(signup_status(&signup("Петя", SignupStatus::Waiting, Some(2))), "В листе ожидания, место 2");
        let both = [signup("Маша", SignupStatus::Registered, None), signup("Петя", SignupStatus::Waiting, Some(2))];
        assert_eq!(signed_text(&both), "Записали: Маша, Петя (в лист ожидания, место 2).");
    }
}
