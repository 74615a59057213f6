//! HTTP handlers of events: the public calendar and card, families' sign-ups,
//! the organization's events and participants, the operator's moderation.

use actix_web::{HttpResponse, delete, get, post, put, web};
use navigator_shared::catalog::ReturnRequest;
use navigator_shared::events::{
    AttendanceInput, Event, EventInput, EventsQuery, OperatorEventsQuery, Participant, Signup, SignupInput,
};
use navigator_shared::reference::{Page, PageQuery};

use super::service;
use crate::AppState;
use crate::auth::AuthUser;
use crate::error::{ApiResult, answers};

/// The public calendar: published events of the period (today and 92 days
/// on by default), also finished and cancelled ones, by start. Filters:
/// municipality, direction, kind, a child's age, organization, and words of
/// the title or description (Russian stems, as the catalog reads them).
#[utoipa::path(tag = "events", params(EventsQuery), responses((status = 200, body = Page<Event>), answers::Invalid))]
#[get("/events")]
pub async fn calendar(state: web::Data<AppState>, query: web::Query<EventsQuery>) -> ApiResult<web::Json<Page<Event>>> {
    Ok(web::Json(service::calendar(&state, query.into_inner()).await?))
}

fn download(content_type: &str, name: &str, body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{name}\"")))
        .body(body)
}

/// The calendar of the same filters as an iCalendar feed (RFC 5545, at most
/// 500 events): a phone's calendar subscribes to this address.
#[utoipa::path(
    tag = "events",
    params(EventsQuery),
    responses((status = 200, content_type = "text/calendar", body = String), answers::Invalid)
)]
#[get("/events.ics")]
pub async fn feed(state: web::Data<AppState>, query: web::Query<EventsQuery>) -> ApiResult<HttpResponse> {
    let text = service::feed(&state, query.into_inner()).await?;
    Ok(download("text/calendar; charset=utf-8", "navigator-events.ics", text))
}

/// One event as an iCalendar file, to add it to a phone's calendar.
#[utoipa::path(
    tag = "events",
    params(("id" = i64, Path, description = "The event")),
    responses((status = 200, content_type = "text/calendar", body = String), answers::NotFound)
)]
#[get("/events/{id}/calendar.ics")]
pub async fn ics(state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let text = service::ics(&state, id).await?;
    Ok(download("text/calendar; charset=utf-8", &format!("event-{id}.ics"), text))
}

/// The participants as CSV for a spreadsheet (semicolons, UTF-8 with a BOM).
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The event")),
    responses((status = 200, content_type = "text/csv", body = String), answers::Unauthenticated, answers::NotFound)
)]
#[get("/events/{id}/participants.csv")]
pub async fn participants_csv(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let text = service::participants_csv(&state, caller, id).await?;
    Ok(download("text/csv; charset=utf-8", &format!("event-{id}-participants.csv"), text))
}

/// An event's card with its places left. Before publication only its
/// organization's staff and its municipality's operators see it.
#[utoipa::path(
    tag = "events",
    params(("id" = i64, Path, description = "The event")),
    responses((status = 200, body = Event), answers::NotFound)
)]
#[get("/events/{id}")]
pub async fn card(
    state: web::Data<AppState>,
    caller: Option<AuthUser>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Event>> {
    Ok(web::Json(service::card(&state, caller, id.into_inner()).await?))
}

/// The family's sign-ups to the event, with places on the waiting list.
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The event")),
    responses((status = 200, body = Vec<Signup>), answers::Unauthenticated, answers::Forbidden, answers::NotFound)
)]
#[get("/events/{id}/signups")]
pub async fn signups(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Vec<Signup>>> {
    Ok(web::Json(service::signups_of_family(&state, caller, id.into_inner()).await?))
}

/// Signs up the chosen children of the family in one request: a place each
/// while places last, then the waiting list. All children are checked first
/// (own, age at the start, a certificate when required): all or none.
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The event")),
    request_body = SignupInput,
    responses(
        (status = 200, body = Vec<Signup>),
        answers::Invalid,
        answers::Unauthenticated,
        answers::Forbidden,
        answers::NotFound,
        answers::Conflict,
    )
)]
#[post("/events/{id}/signups")]
pub async fn sign_up(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<SignupInput>,
) -> ApiResult<web::Json<Vec<Signup>>> {
    Ok(web::Json(service::sign_up(&state, caller, id.into_inner(), body.into_inner()).await?))
}

/// Cancels a child's sign-up before the start; the place goes to the waiting list.
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The sign-up")),
    responses((status = 204), answers::Unauthenticated, answers::Forbidden, answers::NotFound, answers::Conflict)
)]
#[delete("/event-signups/{id}")]
pub async fn cancel_signup(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    service::cancel_signup(&state, caller, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The organization's events, every status, by start.
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = Page<Event>), answers::Invalid, answers::Unauthenticated, answers::Forbidden)
)]
#[get("/cabinet/events")]
pub async fn cabinet(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<Page<Event>>> {
    Ok(web::Json(service::of_organization(&state, caller, query.into_inner()).await?))
}

/// A new event of the caller's organization: a draft.
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    request_body = EventInput,
    responses((status = 201, body = Event), answers::Invalid, answers::Unauthenticated, answers::Forbidden)
)]
#[post("/cabinet/events")]
pub async fn create(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: web::Json<EventInput>,
) -> ApiResult<HttpResponse> {
    let event = service::create(&state, caller, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(event))
}

/// Changes an event before it ends; a published one's families are told.
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The event")),
    request_body = EventInput,
    responses(
        (status = 200, body = Event),
        answers::Invalid,
        answers::Unauthenticated,
        answers::Forbidden,
        answers::NotFound,
        answers::Conflict,
    )
)]
#[put("/cabinet/events/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<EventInput>,
) -> ApiResult<web::Json<Event>> {
    Ok(web::Json(service::update(&state, caller, id.into_inner(), body.into_inner()).await?))
}

/// Sends a draft to the municipality's operator.
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The event")),
    responses((status = 200, body = Event), answers::Unauthenticated, answers::Forbidden, answers::NotFound, answers::Conflict)
)]
#[post("/cabinet/events/{id}/submit")]
pub async fn submit(state: web::Data<AppState>, caller: AuthUser, id: web::Path<i64>) -> ApiResult<web::Json<Event>> {
    Ok(web::Json(service::submit(&state, caller, id.into_inner()).await?))
}

/// Calls the event off; the families signed up are told.
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The event")),
    responses((status = 200, body = Event), answers::Unauthenticated, answers::Forbidden, answers::NotFound, answers::Conflict)
)]
#[post("/cabinet/events/{id}/cancel")]
pub async fn cancel(state: web::Data<AppState>, caller: AuthUser, id: web::Path<i64>) -> ApiResult<web::Json<Event>> {
    Ok(web::Json(service::cancel(&state, caller, id.into_inner()).await?))
}

/// The children signed up (registered first, then the waiting list in
/// order), for the organization's staff and the municipality's operator.
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The event")),
    responses((status = 200, body = Vec<Participant>), answers::Unauthenticated, answers::NotFound)
)]
#[get("/events/{id}/participants")]
pub async fn participants(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Vec<Participant>>> {
    Ok(web::Json(service::participants(&state, caller, id.into_inner()).await?))
}

/// Marks whether a registered child came (from the event's start on).
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The sign-up")),
    request_body = AttendanceInput,
    responses((status = 204), answers::Invalid, answers::Unauthenticated, answers::Forbidden, answers::NotFound, answers::Conflict)
)]
#[put("/cabinet/event-signups/{id}/attendance")]
pub async fn attendance(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<AttendanceInput>,
) -> ApiResult<HttpResponse> {
    service::attendance(&state, caller, id.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The events of the operator's municipality (the admin's: the region's),
/// by start; `status=moderation` is the queue.
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    params(OperatorEventsQuery),
    responses((status = 200, body = Page<Event>), answers::Invalid, answers::Unauthenticated, answers::Forbidden)
)]
#[get("/moderation/events")]
pub async fn moderation(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<OperatorEventsQuery>,
) -> ApiResult<web::Json<Page<Event>>> {
    let query = query.into_inner();
    let pages = PageQuery { page: query.page, per_page: query.per_page };
    Ok(web::Json(service::for_operator(&state, caller, query.status, pages).await?))
}

/// Publishes an event sent to moderation.
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The event")),
    responses((status = 200, body = Event), answers::Unauthenticated, answers::Forbidden, answers::NotFound, answers::Conflict)
)]
#[post("/moderation/events/{id}/publish")]
pub async fn publish(state: web::Data<AppState>, caller: AuthUser, id: web::Path<i64>) -> ApiResult<web::Json<Event>> {
    Ok(web::Json(service::publish(&state, caller, id.into_inner()).await?))
}

/// Returns an event to its organization with a comment.
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The event")),
    request_body = ReturnRequest,
    responses(
        (status = 200, body = Event),
        answers::Invalid,
        answers::Unauthenticated,
        answers::Forbidden,
        answers::NotFound,
        answers::Conflict,
    )
)]
#[post("/moderation/events/{id}/return")]
pub async fn send_back(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<ReturnRequest>,
) -> ApiResult<web::Json<Event>> {
    Ok(web::Json(service::send_back(&state, caller, id.into_inner(), body.into_inner()).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(calendar)
        .service(feed)
        .service(ics)
        .service(participants_csv)
        .service(card)
        .service(signups)
        .service(sign_up)
        .service(cancel_signup)
        .service(cabinet)
        .service(create)
        .service(update)
        .service(submit)
        .service(cancel)
        .service(participants)
        .service(attendance)
        .service(moderation)
        .service(publish)
        .service(send_back);
}
