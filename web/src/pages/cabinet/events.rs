//! `/cabinet/events`: the organization's events, every status, by start,
//! with how many children are signed up.

use leptos::prelude::*;
use navigator_shared::events::Event;
use navigator_shared::reference::PageQuery;

use super::inbox::CabinetNav;
use super::widgets::{LIST_PER_PAGE, paged_list};
use crate::api::{events, use_session};
use crate::pages::events::{place_text, status_badge, when};

/// `/cabinet/events`.
#[component]
pub fn CabinetEvents() -> impl IntoView {
    let session = use_session();
    let page = RwSignal::new(1_i64);
    let list = LocalResource::new(move || {
        let query = PageQuery { page: Some(page.get()), per_page: Some(LIST_PER_PAGE) };
        async move { events::cabinet(session, &query).await }
    });
    let results = move || {
        paged_list(
            list.get(),
            page,
            ("Мероприятий", "event-list"),
            || {
                view! {
                    <p class="empty-state events-empty">
                        "Мероприятий пока нет. Создайте первое — после проверки оператором оно появится в календаре."
                    </p>
                }
                .into_any()
            },
            |event| view! { <EventRow event=event /> }.into_any(),
        )
    };
    view! {
        <div class="page page-wide">
            <CabinetNav current="/cabinet/events" />
            <div class="page-head">
                <h1>"Мероприятия организации"</h1>
                <a id="new-event" class="button" href="/cabinet/events/new">
                    "Новое мероприятие"
                </a>
            </div>
            <p class="hint">
                "Конкурсы, фестивали, дни открытых дверей, мастер-классы и экскурсии. Мероприятие появляется в \
                 календаре после проверки оператором; семьи записывают на него детей."
            </p>
            {results}
        </div>
    }
}

/// «Записано: 12 из 30, в листе ожидания: 3» or «Без ограничения мест».
fn taken_text(event: &Event) -> String {
    match event.capacity {
        None => "Без ограничения мест".to_owned(),
        Some(capacity) => {
            let taken = capacity - event.places_left.unwrap_or(capacity).min(capacity);
            if event.waiting > 0 {
                format!("Записано: {taken} из {capacity}, в листе ожидания: {}", event.waiting)
            } else {
                format!("Записано: {taken} из {capacity}")
            }
        }
    }
}

/// `article.event-row`: the title (to the event's page in the cabinet), the status, the dates and the places.
#[component]
fn EventRow(event: Event) -> impl IntoView {
    let id = event.id;
    let returned = event.moderation_comment.as_deref().is_some_and(|c| !c.trim().is_empty())
        && event.status == navigator_shared::events::EventStatus::Draft;
    view! {
        <article class="event-row list-item" data-event-id=id.to_string()>
            <h2 class="item-title">
                <a href=format!("/cabinet/events/{id}")>{event.title.clone()}</a>
            </h2>
            <p class="item-meta">
                {status_badge(event.status)}
                <span class="event-kind">{event.kind.title()}</span>
                <span class="event-when">{when(event.starts_at, event.ends_at)}</span>
            </p>
            <p class="item-meta muted">
                <span class="event-taken">{taken_text(&event)}</span>
                <span class="event-place">{place_text(&event)}</span>
            </p>
            {returned.then(|| view! { <p class="event-returned">"Оператор вернул мероприятие с комментарием"</p> })}
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::taken_text;
    use chrono::NaiveDate;
    use navigator_shared::catalog::OrganizationRef;
    use navigator_shared::events::{Event, EventKind, EventStatus};

    fn event(capacity: Option<i32>, places_left: Option<i32>, waiting: i32) -> Event {
        let at = NaiveDate::from_ymd_opt(2026, 12, 20).unwrap().and_hms_opt(11, 0, 0).unwrap();
        Event {
            id: 1,
            organization: OrganizationRef { id: 1, name: "Дом творчества".into() },
            title: "Ёлка".into(),
            kind: EventKind::Festival,
            direction: None,
            description: String::new(),
            age_min: 5,
            age_max: 10,
            online: false,
            address: String::new(),
            lat: None,
            lon: None,
            municipality_id: 1,
            starts_at: at,
            ends_at: at,
            signup_from: None,
            signup_to: None,
            capacity,
            places_left,
            waiting,
            certificate_required: false,
            price: 0,
            program_id: None,
            status: EventStatus::Published,
            signup_open: true,
            moderation_comment: None,
        }
    }

    #[test]
    fn staff_see_how_many_are_signed_up() {
        assert_eq!(taken_text(&event(Some(30), Some(18), 0)), "Записано: 12 из 30");
        assert_eq!(taken_text(&event(Some(2), Some(0), 3)), "Записано: 2 из 2, в листе ожидания: 3");
        assert_eq!(taken_text(&event(None, None, 0)), "Без ограничения мест");
    }
}
