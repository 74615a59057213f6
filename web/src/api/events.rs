//! Events: the public calendar and card, a family's sign-ups, the
//! organization's events with their participants, and the operator's
//! moderation.

use gloo_net::http::Method;
use leptos::prelude::WithUntracked;
use navigator_shared::Problem;
use navigator_shared::catalog::ReturnRequest;
use navigator_shared::events::{
    AttendanceInput, Event, EventInput, EventsQuery, OperatorEventsQuery, Participant, Signup, SignupInput,
};
use navigator_shared::reference::{Page, PageQuery};

use super::{Session, json, send, send_authed, with_query};

// ---- public -----------------------------------------------------------------------

/// A page of the calendar, by start.
pub async fn calendar(query: &EventsQuery) -> Result<Page<Event>, Problem> {
    send(Method::GET, &with_query("/events", query)?, None).await
}

/// An event's card. Sent with the token when someone is signed in, so the
/// organization's staff and the operators also see it before publication.
pub async fn event(session: Session, id: i64) -> Result<Event, Problem> {
    let path = format!("/events/{id}");
    if session.user.with_untracked(Option::is_some) {
        send_authed(session, Method::GET, &path, None).await
    } else {
        send(Method::GET, &path, None).await
    }
}

// ---- the family ------------------------------------------------------------------

/// The family's sign-ups to the event (the cancelled ones too).
pub async fn signups(session: Session, event: i64) -> Result<Vec<Signup>, Problem> {
    send_authed(session, Method::GET, &format!("/events/{event}/signups"), None).await
}

/// Signs up the chosen children at once; their sign-ups come back.
pub async fn sign_up(session: Session, event: i64, input: &SignupInput) -> Result<Vec<Signup>, Problem> {
    send_authed(session, Method::POST, &format!("/events/{event}/signups"), Some(json(input)?)).await
}

/// Cancels a child's sign-up; the place goes to the waiting list.
pub async fn cancel_signup(session: Session, id: i64) -> Result<(), Problem> {
    send_authed(session, Method::DELETE, &format!("/event-signups/{id}"), None).await
}

// ---- the organization ---------------------------------------------------------------

/// The organization's events, every status, by start.
pub async fn cabinet(session: Session, query: &PageQuery) -> Result<Page<Event>, Problem> {
    send_authed(session, Method::GET, &with_query("/cabinet/events", query)?, None).await
}

/// A new event: a draft.
pub async fn create(session: Session, input: &EventInput) -> Result<Event, Problem> {
    send_authed(session, Method::POST, "/cabinet/events", Some(json(input)?)).await
}

pub async fn update(session: Session, id: i64, input: &EventInput) -> Result<Event, Problem> {
    send_authed(session, Method::PUT, &format!("/cabinet/events/{id}"), Some(json(input)?)).await
}

/// Sends a draft to the operator.
pub async fn submit(session: Session, id: i64) -> Result<Event, Problem> {
    send_authed(session, Method::POST, &format!("/cabinet/events/{id}/submit"), Some("{}".to_owned())).await
}

/// Calls the event off; the families signed up are told.
pub async fn cancel(session: Session, id: i64) -> Result<Event, Problem> {
    send_authed(session, Method::POST, &format!("/cabinet/events/{id}/cancel"), Some("{}".to_owned())).await
}

/// The children signed up: registered first, then the waiting list in order.
pub async fn participants(session: Session, event: i64) -> Result<Vec<Participant>, Problem> {
    send_authed(session, Method::GET, &format!("/events/{event}/participants"), None).await
}

/// Marks whether a registered child came (from the event's start on).
pub async fn set_attendance(session: Session, signup: i64, input: &AttendanceInput) -> Result<(), Problem> {
    send_authed(session, Method::PUT, &format!("/cabinet/event-signups/{signup}/attendance"), Some(json(input)?)).await
}

// ---- moderation -----------------------------------------------------------------------

/// The events of the operator's territory; `status=moderation` is the queue.
pub async fn moderation(session: Session, query: &OperatorEventsQuery) -> Result<Page<Event>, Problem> {
    send_authed(session, Method::GET, &with_query("/moderation/events", query)?, None).await
}

pub async fn publish(session: Session, id: i64) -> Result<Event, Problem> {
    send_authed(session, Method::POST, &format!("/moderation/events/{id}/publish"), Some("{}".to_owned())).await
}

/// Returns the event to its organization with what to fix.
pub async fn send_back(session: Session, id: i64, request: &ReturnRequest) -> Result<Event, Problem> {
    send_authed(session, Method::POST, &format!("/moderation/events/{id}/return"), Some(json(request)?)).await
}

/// The participants as a CSV file for a spreadsheet.
pub async fn participants_csv(session: Session, event: i64) -> Result<web_sys::Blob, Problem> {
    super::blob(session, &format!("/events/{event}/participants.csv"), "text/csv").await
}

/// The address of an event's `.ics` file (public: a plain link downloads it).
pub fn ics_href(event: i64) -> String {
    format!("{}/events/{event}/calendar.ics", super::BASE)
}

/// The address of the iCalendar feed of the calendar's filters `query`
/// (the page's query string, without `?`), for a phone's calendar to subscribe to.
pub fn feed_href(query: &str) -> String {
    if query.is_empty() { format!("{}/events.ics", super::BASE) } else { format!("{}/events.ics?{query}", super::BASE) }
}
