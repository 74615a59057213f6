//! `/moderation/events`: the events the operator's municipality's
//! organizations sent for publication (or in another status). The operator
//! publishes an event — it appears in the calendar — or returns it with
//! what to fix.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use navigator_shared::catalog::ReturnRequest;
use navigator_shared::events::{Event, EventStatus, OperatorEventsQuery};

use crate::api::{events, use_session};
use crate::components::{FormError, FormStatus, Notice, TextArea};
use crate::pages::cabinet::widgets::{FilterSelect, LIST_PER_PAGE, Municipalities, code_options, paged_list};
use crate::pages::catalog::ages;
use crate::pages::events::{moment, place_text, places_text, price_text, status_badge, when};

/// `/moderation/events`.
#[component]
pub fn ModerationEvents() -> impl IntoView {
    let session = use_session();
    let municipalities = Municipalities::load();
    let status = RwSignal::new(EventStatus::Moderation.as_str().to_owned());
    let page = RwSignal::new(1_i64);
    let list = LocalResource::new(move || {
        let query = OperatorEventsQuery {
            status: EventStatus::parse(&status.get()),
            page: Some(page.get()),
            per_page: Some(LIST_PER_PAGE),
        };
        async move { events::moderation(session, &query).await }
    });
    // What the last decision did: the list is fetched again, and the event leaves the queue.
    let notice = RwSignal::new(None::<&'static str>);
    let decided = Callback::new(move |message: &'static str| {
        notice.set(Some(message));
        list.refetch();
    });
    let statuses: Vec<(String, String)> = code_options(EventStatus::ALL, EventStatus::as_str, EventStatus::title)
        .into_iter()
        .filter(|(code, _)| code != EventStatus::Draft.as_str())
        .collect();
    let results = move || {
        paged_list(
            list.get(),
            page,
            ("Мероприятий", "event-list"),
            move || {
                let text = if status.get_untracked() == EventStatus::Moderation.as_str() {
                    "Мероприятий на модерации нет."
                } else {
                    "Мероприятий в этом статусе нет."
                };
                view! { <p class="empty-state events-empty">{text}</p> }.into_any()
            },
            move |event| {
                view! { <ModerationEntry event=event municipalities=municipalities decided=decided /> }.into_any()
            },
        )
    };
    view! {
        <div class="page page-wide">
            <p class="back-link">
                <a href="/moderation">"← К модерации программ"</a>
            </p>
            <h1>"Мероприятия на модерации"</h1>
            <p class="hint">
                "Опубликованное мероприятие появляется в календаре, и семьи записывают на него детей. \
                 Если что-то нужно исправить, верните мероприятие с комментарием — его увидит организация."
            </p>
            <section class="card filters">
                <FilterSelect
                    name="status"
                    label="Показать"
                    value=status
                    options=statuses
                    on_change=Callback::new(move |()| {
                        notice.set(None);
                        page.set(1);
                    })
                />
            </section>
            {move || notice.get().map(|message| view! { <Notice><p class="moderation-outcome">{message}</p></Notice> })}
            {results}
        </div>
    }
}

/// `article.event-entry`: everything the organization wrote, and the decision when it waits for one.
#[component]
fn ModerationEntry(event: Event, municipalities: Municipalities, decided: Callback<&'static str>) -> impl IntoView {
    let id = event.id;
    let municipality_id = event.municipality_id;
    let capacity = match event.capacity {
        Some(capacity) => format!("{capacity} ({})", places_text(event.places_left).to_lowercase()),
        None => "Без ограничения".to_owned(),
    };
    let window = match (event.signup_from, event.signup_to) {
        (None, None) => "С публикации до начала".to_owned(),
        (Some(from), None) => format!("С {} до начала", moment(from)),
        (None, Some(to)) => format!("С публикации до {}", moment(to)),
        (Some(from), Some(to)) => format!("С {} до {}", moment(from), moment(to)),
    };
    let waits = event.status == EventStatus::Moderation;
    let place = place_text(&event);
    view! {
        <article class="event-entry list-item" data-event-id=id.to_string()>
            <h2 class="item-title">
                <a href=format!("/events/{id}")>{event.title.clone()}</a>
            </h2>
            <p class="item-meta">
                {status_badge(event.status)}
                <span class="item-organization">{event.organization.name.clone()}</span>
                <span class="badge event-kind">{event.kind.title()}</span>
            </p>
            <dl class="summary event-entry-facts">
                <dt>"Когда"</dt>
                <dd class="event-when">{when(event.starts_at, event.ends_at)}</dd>
                <dt>"Где"</dt>
                <dd class="event-place">
                    {move || {
                        let name = municipalities.name(municipality_id);
                        if name.is_empty() { place.clone() } else { format!("{name}, {place}") }
                    }}
                </dd>
                <dt>"Возраст"</dt>
                <dd>{ages(event.age_min, event.age_max)}</dd>
                <dt>"Направленность"</dt>
                <dd>{event.direction.map_or("Не указана", |d| d.title())}</dd>
                <dt>"Стоимость"</dt>
                <dd>{price_text(event.price)}</dd>
                <dt>"Мест"</dt>
                <dd>{capacity}</dd>
                <dt>"Запись"</dt>
                <dd>{window}</dd>
                {event
                    .certificate_required
                    .then(|| {
                        view! {
                            <dt>"Участники"</dt>
                            <dd>"Только дети с сертификатом"</dd>
                        }
                    })}
            </dl>
            <p class="event-description text-block">{event.description.clone()}</p>
            {waits.then(|| view! { <Decision id=id decided=decided /> })}
        </article>
    }
}

/// «Опубликовать», or «Вернуть на доработку» with the comment the organization will see.
#[component]
fn Decision(id: i64, decided: Callback<&'static str>) -> impl IntoView {
    let session = use_session();
    let publish_status = FormStatus::new();
    let publish = publish_status.action(
        move |()| async move { events::publish(session, id).await },
        move |_: Event| decided.run("Мероприятие опубликовано: оно появилось в календаре."),
    );
    let comment = RwSignal::new(String::new());
    let return_status = FormStatus::new();
    let send_back = return_status.action(
        move |request: ReturnRequest| async move { events::send_back(session, id, &request).await },
        move |_: Event| decided.run("Мероприятие возвращено на доработку: организация увидит комментарий."),
    );
    let (publishing, returning) = (publish.pending(), send_back.pending());
    let busy = move || publishing.get() || returning.get();
    let on_return = move |ev: SubmitEvent| {
        ev.prevent_default();
        publish_status.clear();
        return_status.submit(send_back, ReturnRequest { comment: comment.get_untracked() }, ReturnRequest::validate);
    };
    view! {
        <div class="decision event-decision">
            <FormError status=publish_status />
            <div class="actions">
                <button
                    type="button"
                    class="button event-publish"
                    disabled=busy
                    on:click=move |_| {
                        publish_status.clear();
                        return_status.clear();
                        publish.dispatch_local(());
                    }
                >
                    {move || if publishing.get() { "Публикуем…" } else { "Опубликовать" }}
                </button>
            </div>
            <form class="form return-form event-return-form" novalidate=true on:submit=on_return>
                <FormError status=return_status />
                <TextArea
                    id=format!("return-comment-{id}")
                    name="comment"
                    class="return-comment"
                    label="Что исправить"
                    value=comment
                    errors=return_status.errors
                    hint="Комментарий увидит организация"
                    rows=3
                />
                <button type="submit" class="button button-secondary event-return" disabled=busy>
                    "Вернуть на доработку"
                </button>
            </form>
        </div>
    }
}
