//! Rules of events: who writes and moderates them, the public calendar, and
//! signing children up — places counted exactly under concurrency, a
//! waiting list whose first child takes a freed place, families told when
//! an event they signed up for is cancelled or changed.

use chrono::{NaiveDateTime, TimeDelta};
use navigator_shared::accounts::Role;
use navigator_shared::catalog::{OrganizationRef, ReturnRequest};
use navigator_shared::children::CertificateStatus;
use navigator_shared::events::{
    AttendanceInput, Event, EventInput, EventStatus, EventsQuery, Participant, Signup, SignupInput, SignupStatus,
};
use navigator_shared::ids::ChildId;
use navigator_shared::reference::{Page, PageQuery};
use navigator_shared::validate::full_name;
use navigator_shared::{ErrorCode, FieldErrors};

use super::repo::{self, EventData, EventRow, Filter, Listed, SignupRow};
use crate::AppState;
use crate::auth::{AuthUser, scope};
use crate::db::{DbConn, write_tx};
use crate::error::{ApiError, ApiResult};
use crate::notifications::{self, Email, now};

const NOT_FOUND: &str = "Мероприятие не найдено";
const SIGNUP_NOT_FOUND: &str = "Запись не найдена";
const FAMILY: [Role; 2] = [Role::Parent, Role::Learner];
/// What families and guests see.
const PUBLIC: [EventStatus; 3] = [EventStatus::Published, EventStatus::Finished, EventStatus::Cancelled];
pub use crate::clock::local_now;

fn not_found() -> ApiError {
    ApiError::NotFound { detail: NOT_FOUND }
}

fn to_dto((row, organization): Listed, staff: bool) -> Event {
    let signup_open = Event::signup_open_at(row.status, (row.signup_from, row.signup_to), row.starts_at, local_now());
    Event {
        id: row.id,
        organization: OrganizationRef { id: row.organization_id, name: organization },
        title: row.title,
        kind: row.kind,
        direction: row.direction,
        description: row.description,
        age_min: row.age_min,
        age_max: row.age_max,
        online: row.online,
        address: row.address,
        lat: row.lat,
        lon: row.lon,
        municipality_id: row.municipality_id,
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        signup_from: row.signup_from,
        signup_to: row.signup_to,
        capacity: row.capacity,
        places_left: row.capacity.map(|c| (c - row.taken).max(0)),
        waiting: row.waiting,
        certificate_required: row.certificate_required,
        price: row.price,
        program_id: row.program_id,
        status: row.status,
        signup_open,
        moderation_comment: if staff { row.moderation_comment } else { None },
    }
}

fn pages(page: Option<i64>, per_page: Option<i64>) -> ApiResult<(i64, i64)> {
    let mut errors = FieldErrors::new();
    let pages = PageQuery::check(page, per_page, 20, 100, &mut errors);
    Ok(errors.finish(|| Some(pages))?)
}

// ---- the public calendar ------------------------------------------------------

/// The public calendar: published (and finished or cancelled) events of the
/// date range, by start.
pub async fn calendar(state: &AppState, query: EventsQuery) -> ApiResult<Page<Event>> {
    let (page, per_page) = pages(query.page, query.per_page)?;
    let (filter, q) = public_filter(&query)?;
    state
        .db(move |conn| {
            let filter = with_text(conn, filter, q)?;
            let (rows, total) = repo::list(conn, &filter, (page, per_page))?;
            Ok::<_, ApiError>(Page {
                items: rows.into_iter().map(|l| to_dto(l, false)).collect(),
                total,
                page,
                per_page,
            })
        })
        .await
}

/// The calendar's filter of `query` and its words, checked.
fn public_filter(query: &EventsQuery) -> ApiResult<(Filter, Option<String>)> {
    let mut errors = FieldErrors::new();
    let from = query.from.unwrap_or_else(|| local_now().date());
    let to = query.to.unwrap_or(from + TimeDelta::days(92));
    if to < from {
        errors.add("to", "Конец периода — не раньше начала");
    } else if to - from > TimeDelta::days(400) {
        errors.add("to", "Период — не больше 400 дней");
    }
    if query.age.is_some_and(|age| !(0..=18).contains(&age)) {
        errors.add("age", "Возраст — от 0 до 18 лет");
    }
    let q = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(str::to_owned);
    if q.as_ref().is_some_and(|q| q.chars().count() > 200) {
        errors.add("q", "Не более 200 символов");
    }
    errors.finish(|| Some(()))?;
    Ok((
        Filter {
            statuses: PUBLIC.to_vec(),
            municipality: query.municipality_id,
            organization: query.organization_id,
            direction: query.direction,
            kind: query.kind,
            age: query.age,
            from: from.and_hms_opt(0, 0, 0),
            until: (to + TimeDelta::days(1)).and_hms_opt(0, 0, 0),
            ids: None,
        },
        q,
    ))
}

/// `filter` narrowed to the events whose text holds the words `q`.
fn with_text(conn: &mut DbConn, mut filter: Filter, q: Option<String>) -> ApiResult<Filter> {
    if let Some(q) = q {
        filter.ids = Some(matching(conn, &q, filter.from.unwrap_or_default())?);
    }
    Ok(filter)
}

/// The calendar of `query` as an iCalendar feed (at most 500 events), for
/// a phone's calendar to subscribe to.
pub async fn feed(state: &AppState, query: EventsQuery) -> ApiResult<String> {
    let (filter, q) = public_filter(&query)?;
    let links = state.links();
    state
        .db(move |conn| {
            let filter = with_text(conn, filter, q)?;
            let events = repo::all(conn, &filter, 500)?;
            Ok::<_, ApiError>(super::ics::calendar("Мероприятия — Навигатор", &events, &links, now()))
        })
        .await
}

/// One public event as an iCalendar file.
pub async fn ics(state: &AppState, id: i64) -> ApiResult<String> {
    let links = state.links();
    state
        .db(move |conn| {
            let listed = repo::find(conn, id)?.filter(|(r, _)| PUBLIC.contains(&r.status)).ok_or_else(not_found)?;
            let name = listed.0.title.clone();
            Ok::<_, ApiError>(super::ics::calendar(&name, &[listed], &links, now()))
        })
        .await
}

/// Ids of the published events from `from` on whose title or description
/// holds every word of `q`, read by the catalog's Russian analysis (stems,
/// `ё` as `е`).
fn matching(conn: &mut DbConn, q: &str, from: NaiveDateTime) -> ApiResult<Vec<i64>> {
    let words = navigator_search::stems(q);
    let texts = repo::texts(conn, from)?;
    Ok(texts
        .into_iter()
        .filter(|(_, title, description)| {
            let stems = navigator_search::stems(&format!("{title} {description}"));
            words.iter().all(|w| stems.iter().any(|s| s.starts_with(w.as_str())))
        })
        .map(|(id, ..)| id)
        .collect())
}

/// An event's card: public once published; staff of its organization and
/// operators of its territory see it from its draft.
pub async fn card(state: &AppState, caller: Option<AuthUser>, id: i64) -> ApiResult<Event> {
    state
        .db(move |conn| {
            let listed = repo::find(conn, id)?.ok_or_else(not_found)?;
            if PUBLIC.contains(&listed.0.status) {
                let staff = match caller {
                    Some(caller) => may_manage(conn, &caller, &listed.0)?,
                    None => false,
                };
                return Ok(to_dto(listed, staff));
            }
            match caller {
                Some(caller) if may_manage(conn, &caller, &listed.0)? => Ok(to_dto(listed, true)),
                _ => Err(not_found()),
            }
        })
        .await
}

/// Whether the caller is staff of the event's organization or an operator of its territory.
fn may_manage(conn: &mut DbConn, caller: &AuthUser, event: &EventRow) -> ApiResult<bool> {
    Ok(match caller.role {
        Role::OrgStaff => scope::organization(conn, caller).is_ok_and(|own| own == event.organization_id),
        Role::Operator | Role::Admin => scope::territory(conn, caller)?.covers(event.municipality_id),
        _ => false,
    })
}

// ---- the organization ---------------------------------------------------------

/// The event of the caller's organization, or 404.
fn own_event(conn: &mut DbConn, caller: &AuthUser, id: i64) -> ApiResult<Listed> {
    let organization = scope::organization(conn, caller)?;
    repo::find(conn, id)?.filter(|(row, _)| row.organization_id == organization).ok_or_else(not_found)
}

/// Checks what the database must confirm: the municipality exists, the
/// program is the organization's own.
fn check_references(conn: &mut DbConn, organization: i64, data: &EventData) -> ApiResult<()> {
    let mut errors = FieldErrors::new();
    if !crate::reference::repo::municipality_exists(conn, data.municipality_id)? {
        errors.add("municipality_id", "Такого муниципалитета нет");
    }
    if let Some(program) = data.program_id {
        let own = crate::catalog::repo::find(conn, program)?.is_some_and(|p| p.organization_id == organization);
        if !own {
            errors.add("program_id", "Выберите программу своей организации");
        }
    }
    Ok(errors.finish(|| Some(()))?)
}

/// The organization's events, newest start first… by start.
pub async fn of_organization(state: &AppState, caller: AuthUser, pages_asked: PageQuery) -> ApiResult<Page<Event>> {
    let (page, per_page) = pages(pages_asked.page, pages_asked.per_page)?;
    state
        .db(move |conn| {
            let organization = scope::organization(conn, &caller)?;
            let filter = Filter { organization: Some(organization), ..Filter::default() };
            let (rows, total) = repo::list(conn, &filter, (page, per_page))?;
            Ok::<_, ApiError>(Page {
                items: rows.into_iter().map(|l| to_dto(l, true)).collect(),
                total,
                page,
                per_page,
            })
        })
        .await
}

/// Staff write a new event: a draft.
pub async fn create(state: &AppState, caller: AuthUser, input: EventInput) -> ApiResult<Event> {
    let valid = input.validate(local_now())?;
    state
        .db(move |conn| {
            let organization = scope::organization(conn, &caller)?;
            let data = EventData::new(valid, now());
            check_references(conn, organization, &data)?;
            let id = repo::insert(conn, organization, &data, now())?;
            Ok::<_, ApiError>(to_dto(repo::find(conn, id)?.ok_or_else(not_found)?, true))
        })
        .await
}

/// Staff change an event before it ends. A published event's families are
/// told; its places may not fall below the children signed up, and new
/// places go to the waiting list first.
pub async fn update(state: &AppState, caller: AuthUser, id: i64, input: EventInput) -> ApiResult<Event> {
    let valid = input.validate(local_now())?;
    let links = state.links();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let (current, _) = own_event(conn, &caller, id)?;
                let row = repo::lock(conn, id)?.ok_or_else(not_found)?;
                let data = EventData::new(valid, now());
                check_references(conn, current.organization_id, &data)?;
                if data.capacity.is_some_and(|c| c < row.taken) {
                    let message = format!("Уже записано детей: {}. Мест не может быть меньше", row.taken);
                    return Err(ApiError::Validation(FieldErrors::one("capacity", message)));
                }
                if !repo::update(conn, id, &data)? {
                    return Err(ApiError::Conflict {
                        code: ErrorCode::EventClosed,
                        detail: "Отменённое или завершённое мероприятие не меняют".into(),
                    });
                }
                if row.status == EventStatus::Published {
                    promote(conn, &links, id)?;
                    let title = data.title.clone();
                    tell_families(conn, id, |name| changed_email(name, &title, &links.page(&format!("/events/{id}"))))?;
                }
                Ok::<_, ApiError>(to_dto(repo::find(conn, id)?.ok_or_else(not_found)?, true))
            })
        })
        .await
}

/// Staff send a draft to the operator.
pub async fn submit(state: &AppState, caller: AuthUser, id: i64) -> ApiResult<Event> {
    state
        .db(move |conn| {
            own_event(conn, &caller, id)?;
            move_to(conn, id, &[EventStatus::Draft], EventStatus::Moderation, None, "Отправить можно только черновик")
        })
        .await
}

/// Staff call an event off; the families signed up are told.
pub async fn cancel(state: &AppState, caller: AuthUser, id: i64) -> ApiResult<Event> {
    let links = state.links();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let (row, _) = own_event(conn, &caller, id)?;
                let from = [EventStatus::Draft, EventStatus::Moderation, EventStatus::Published];
                let event =
                    move_to(conn, id, &from, EventStatus::Cancelled, None, "Мероприятие уже отменено или прошло")?;
                let link = links.page(&format!("/events/{id}"));
                tell_families(conn, id, |name| cancelled_email(name, &row.title, &link))?;
                Ok::<_, ApiError>(event)
            })
        })
        .await
}

fn move_to(
    conn: &mut DbConn,
    id: i64,
    from: &[EventStatus],
    to: EventStatus,
    comment: Option<&str>,
    refused: &str,
) -> ApiResult<Event> {
    if !repo::transition(conn, id, from, to, comment, now())? {
        return Err(ApiError::Conflict { code: ErrorCode::EventClosed, detail: refused.to_owned() });
    }
    Ok(to_dto(repo::find(conn, id)?.ok_or_else(not_found)?, true))
}

// ---- the operator ------------------------------------------------------------

/// The events of the operator's municipality (the admin's: the region's) in
/// `status`, by start.
pub async fn for_operator(
    state: &AppState,
    caller: AuthUser,
    status: Option<EventStatus>,
    pages_asked: PageQuery,
) -> ApiResult<Page<Event>> {
    let (page, per_page) = pages(pages_asked.page, pages_asked.per_page)?;
    state
        .db(move |conn| {
            let territory = scope::territory(conn, &caller)?;
            let filter = Filter {
                statuses: status.into_iter().collect(),
                municipality: territory.municipality(),
                ..Filter::default()
            };
            let (rows, total) = repo::list(conn, &filter, (page, per_page))?;
            Ok::<_, ApiError>(Page {
                items: rows.into_iter().map(|l| to_dto(l, true)).collect(),
                total,
                page,
                per_page,
            })
        })
        .await
}

fn moderated(conn: &mut DbConn, caller: &AuthUser, id: i64) -> ApiResult<EventRow> {
    let territory = scope::territory(conn, caller)?;
    let (row, _) = repo::find(conn, id)?.ok_or_else(not_found)?;
    territory.require(
        row.municipality_id,
        "Мероприятие другого муниципалитета: его модерирует оператор того муниципалитета",
    )?;
    Ok(row)
}

/// The operator publishes an event sent to moderation.
pub async fn publish(state: &AppState, caller: AuthUser, id: i64) -> ApiResult<Event> {
    state
        .db(move |conn| {
            moderated(conn, &caller, id)?;
            move_to(
                conn,
                id,
                &[EventStatus::Moderation],
                EventStatus::Published,
                None,
                "Публикуют только мероприятие на модерации",
            )
        })
        .await
}

/// The operator returns an event to its organization with a comment.
pub async fn send_back(state: &AppState, caller: AuthUser, id: i64, request: ReturnRequest) -> ApiResult<Event> {
    let comment = request.validate()?;
    state
        .db(move |conn| {
            moderated(conn, &caller, id)?;
            let refused = "Вернуть можно только мероприятие на модерации";
            move_to(conn, id, &[EventStatus::Moderation], EventStatus::Draft, Some(&comment), refused)
        })
        .await
}

// ---- sign-ups -----------------------------------------------------------------

fn to_signup(conn: &mut DbConn, row: &SignupRow, first_name: String) -> ApiResult<Signup> {
    let position = if row.status == SignupStatus::Waiting { Some(repo::position(conn, row)?) } else { None };
    Ok(Signup {
        id: row.id,
        event_id: row.event_id,
        child_id: row.child_id,
        child_first_name: first_name,
        status: row.status,
        position,
    })
}

fn family_signups(conn: &mut DbConn, event: i64, family: i64) -> ApiResult<Vec<Signup>> {
    repo::of_family(conn, event, family)?.into_iter().map(|(row, name)| to_signup(conn, &row, name)).collect()
}

/// The family's sign-ups to an event.
pub async fn signups_of_family(state: &AppState, caller: AuthUser, event: i64) -> ApiResult<Vec<Signup>> {
    caller.require(&FAMILY)?;
    state
        .db(move |conn| {
            repo::find(conn, event)?.filter(|(r, _)| PUBLIC.contains(&r.status)).ok_or_else(not_found)?;
            family_signups(conn, event, caller.id)
        })
        .await
}

/// A family signs up the children it chose, in one request: each gets a
/// place while there are places, then a place on the waiting list. Every
/// child is checked first (the family's own, the age at the start, a
/// certificate when one is required), so either all are signed up or none.
/// A child already signed up keeps his place.
pub async fn sign_up(state: &AppState, caller: AuthUser, event: i64, input: SignupInput) -> ApiResult<Vec<Signup>> {
    caller.require(&FAMILY)?;
    let children = input.checked()?;
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let row = repo::lock(conn, event)?.filter(|r| PUBLIC.contains(&r.status)).ok_or_else(not_found)?;
                if !Event::signup_open_at(row.status, (row.signup_from, row.signup_to), row.starts_at, local_now()) {
                    return Err(ApiError::Conflict {
                        code: ErrorCode::EventSignupClosed,
                        detail: "Запись на это мероприятие сейчас не идёт".into(),
                    });
                }
                let mut errors = FieldErrors::new();
                for &child in &children {
                    let Ok(kid) = scope::owned_child(conn, &caller, ChildId(child)).and_then(|kid| {
                        kid.processable()?;
                        Ok(kid)
                    }) else {
                        errors.add("child_ids", "Выберите детей своей семьи");
                        continue;
                    };
                    let age = navigator_shared::ages::age_on(kid.birth_date, row.starts_at.date());
                    if !(row.age_min..=row.age_max).contains(&age) {
                        errors.add(
                            "child_ids",
                            format!(
                                "{}: {age} лет, а мероприятие — для {}–{} лет",
                                kid.first_name, row.age_min, row.age_max
                            ),
                        );
                    }
                    if row.certificate_required {
                        let active = crate::children::certificates::repo::of_child(conn, kid.id)?
                            .is_some_and(|c| c.status == CertificateStatus::Active);
                        if !active {
                            errors.add("child_ids", format!("{}: нужен действующий сертификат", kid.first_name));
                        }
                    }
                }
                errors.finish(|| Some(()))?;
                let now = now();
                for &child in &children {
                    let existing = repo::signup_of(conn, event, child)?;
                    if existing.as_ref().is_some_and(|s| s.status != SignupStatus::Cancelled) {
                        continue;
                    }
                    let status = if repo::take_place(conn, event, now)? {
                        SignupStatus::Registered
                    } else {
                        repo::count_waiting(conn, event, 1)?;
                        SignupStatus::Waiting
                    };
                    repo::put_signup(conn, existing.as_ref(), (event, child, caller.id), status, now)?;
                }
                let mine = family_signups(conn, event, caller.id)?;
                Ok(mine.into_iter().filter(|s| children.contains(&s.child_id)).collect())
            })
        })
        .await
}

/// The family cancels a child's sign-up before the event starts; a freed
/// place goes to the first child of the waiting list, whose family is told.
pub async fn cancel_signup(state: &AppState, caller: AuthUser, id: i64) -> ApiResult<()> {
    caller.require(&FAMILY)?;
    let links = state.links();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let found = repo::find_signup(conn, id)?
                    .filter(|s| s.parent_id == caller.id && s.status != SignupStatus::Cancelled)
                    .ok_or(ApiError::NotFound { detail: SIGNUP_NOT_FOUND })?;
                let event = repo::lock(conn, found.event_id)?.ok_or_else(not_found)?;
                if event.starts_at <= local_now() {
                    return Err(ApiError::Conflict {
                        code: ErrorCode::EventSignupClosed,
                        detail: "Мероприятие уже началось: запись не отменить".into(),
                    });
                }
                // Read again under the lock: a parallel cancel may have won.
                let signup = repo::find_signup(conn, id)?
                    .filter(|s| s.status != SignupStatus::Cancelled)
                    .ok_or(ApiError::NotFound { detail: SIGNUP_NOT_FOUND })?;
                let now = now();
                repo::set_status(conn, id, SignupStatus::Cancelled, now)?;
                match signup.status {
                    SignupStatus::Registered => {
                        repo::free_place(conn, event.id, now)?;
                        promote(conn, &links, event.id)?;
                    }
                    SignupStatus::Waiting => repo::count_waiting(conn, event.id, -1)?,
                    SignupStatus::Cancelled => {}
                }
                Ok::<_, ApiError>(())
            })
        })
        .await
}

/// Gives free places to the waiting list, first come first served; each
/// family is told. Runs under the event's lock.
fn promote(conn: &mut DbConn, links: &crate::Links, event: i64) -> ApiResult<()> {
    let now = now();
    while let Some(next) = repo::first_waiting(conn, event)? {
        if !repo::take_place(conn, event, now)? {
            break;
        }
        repo::set_status(conn, next.id, SignupStatus::Registered, now)?;
        repo::count_waiting(conn, event, -1)?;
        let Some((row, _)) = repo::find(conn, event)? else { break };
        if let Some(parent) = crate::accounts::repo::find(conn, next.parent_id)? {
            let email = promoted_email(&parent.first_name, &row.title, &links.page(&format!("/events/{event}")));
            notifications::inform(conn, crate::accounts::service::recipient(&parent), email)?;
        }
    }
    Ok(())
}

/// Tells each family signed up for the event, once.
fn tell_families(conn: &mut DbConn, event: i64, email: impl Fn(&str) -> Email) -> ApiResult<()> {
    for parent in repo::families(conn, event)? {
        if let Some(parent) = crate::accounts::repo::find(conn, parent)? {
            notifications::inform(conn, crate::accounts::service::recipient(&parent), email(&parent.first_name))?;
        }
    }
    Ok(())
}

fn promoted_email(name: &str, title: &str, link: &str) -> Email {
    Email {
        kind: "event_promoted",
        subject: format!("Освободилось место: «{title}»"),
        body: format!(
            "Здравствуйте, {name}!\n\nНа мероприятии «{title}» освободилось место, и ребёнок из листа ожидания \
             теперь записан. Если планы изменились, отмените запись, чтобы место получил следующий.\n\n{link}"
        ),
    }
}

fn changed_email(name: &str, title: &str, link: &str) -> Email {
    Email {
        kind: "event_changed",
        subject: format!("Мероприятие «{title}» изменилось"),
        body: format!(
            "Здравствуйте, {name}!\n\nОрганизатор изменил мероприятие «{title}», на которое записан ваш ребёнок. \
             Проверьте время и место.\n\n{link}"
        ),
    }
}

fn cancelled_email(name: &str, title: &str, link: &str) -> Email {
    Email {
        kind: "event_cancelled",
        subject: format!("Мероприятие «{title}» отменено"),
        body: format!(
            "Здравствуйте, {name}!\n\nОрганизатор отменил мероприятие «{title}», на которое был записан ваш \
             ребёнок. Другие мероприятия — в календаре Навигатора.\n\n{link}"
        ),
    }
}

// ---- participants ---------------------------------------------------------------

/// The event's participants for its organization's staff or its territory's operator.
pub async fn participants(state: &AppState, caller: AuthUser, event: i64) -> ApiResult<Vec<Participant>> {
    state
        .db(move |conn| {
            let (row, _) = repo::find(conn, event)?.ok_or_else(not_found)?;
            if !may_manage(conn, &caller, &row)? {
                return Err(not_found());
            }
            repo::participants(conn, event)?
                .into_iter()
                .map(|(signup, (last, first, middle, birth), (p_last, p_first, p_middle, phone, email))| {
                    let position = if signup.status == SignupStatus::Waiting {
                        Some(repo::position(conn, &signup)?)
                    } else {
                        None
                    };
                    Ok(Participant {
                        signup_id: signup.id,
                        child: full_name(&last, &first, middle.as_deref()),
                        birth_date: birth,
                        parent: full_name(&p_last, &p_first, p_middle.as_deref()),
                        phone,
                        email,
                        status: signup.status,
                        position,
                        attended: signup.attended,
                    })
                })
                .collect()
        })
        .await
}

/// The participants as CSV (semicolons, BOM: as spreadsheets in Russia open it).
pub async fn participants_csv(state: &AppState, caller: AuthUser, event: i64) -> ApiResult<String> {
    use crate::documents::sheet::{csv, text};
    let rows = participants(state, caller, event).await?;
    let mut records = vec![
        ["Ребёнок", "Дата рождения", "Родитель", "Телефон", "Почта", "Статус", "Место в листе ожидания", "Пришёл"]
            .map(str::to_owned)
            .to_vec(),
    ];
    for p in rows {
        records.push(vec![
            text(&p.child),
            p.birth_date.format("%d.%m.%Y").to_string(),
            text(&p.parent),
            text(&p.phone),
            text(&p.email),
            p.status.title().to_owned(),
            p.position.map(|n| n.to_string()).unwrap_or_default(),
            match p.attended {
                Some(true) => "да".to_owned(),
                Some(false) => "нет".to_owned(),
                None => String::new(),
            },
        ]);
    }
    Ok(csv(records)?)
}

/// Staff mark whether a registered child came, from the event's start on.
pub async fn attendance(state: &AppState, caller: AuthUser, id: i64, input: AttendanceInput) -> ApiResult<()> {
    state
        .db(move |conn| {
            let organization = scope::organization(conn, &caller)?;
            let signup = repo::find_signup(conn, id)?.ok_or(ApiError::NotFound { detail: SIGNUP_NOT_FOUND })?;
            let (event, _) = repo::find(conn, signup.event_id)?
                .filter(|(e, _)| e.organization_id == organization)
                .ok_or(ApiError::NotFound { detail: SIGNUP_NOT_FOUND })?;
            if signup.status != SignupStatus::Registered {
                return Err(ApiError::Conflict {
                    code: ErrorCode::EventSignupClosed,
                    detail: "Отмечают только записанных детей".into(),
                });
            }
            if event.starts_at > local_now() {
                return Err(ApiError::Conflict {
                    code: ErrorCode::EventSignupClosed,
                    detail: "Посещение отмечают, когда мероприятие началось".into(),
                });
            }
            repo::set_attended(conn, id, input.attended, now())?;
            Ok::<_, ApiError>(())
        })
        .await
}

/// Reminds each family of a child registered for an event that starts
/// within a day, once: the sign-up is marked in the same transaction as the
/// message is queued, so neither a restart nor a second instance sends it
/// twice. The housekeeping job runs it; gives how many were sent.
pub fn remind_due(conn: &mut DbConn, links: &crate::Links) -> ApiResult<usize> {
    let from = local_now();
    let mut sent = 0;
    for (signup, parent, child, event) in repo::due_reminders(conn, from, from + TimeDelta::days(1))? {
        write_tx(conn, |conn| {
            if !repo::claim_reminder(conn, signup, now())? {
                return Ok::<_, ApiError>(());
            }
            if let Some(parent) = crate::accounts::repo::find(conn, parent)? {
                let link = links.page(&format!("/events/{}", event.id));
                let email = reminder_email(&parent.first_name, &child, &event, &link);
                notifications::inform(conn, crate::accounts::service::recipient(&parent), email)?;
                sent += 1;
            }
            Ok(())
        })?;
    }
    Ok(sent)
}

fn reminder_email(name: &str, child: &str, event: &EventRow, link: &str) -> Email {
    let place = if event.online { "онлайн".to_owned() } else { event.address.clone() };
    Email {
        kind: "event_reminder",
        subject: format!("Напоминание: «{}» {}", event.title, event.starts_at.format("%d.%m в %H:%M")),
        body: format!(
            "Здравствуйте, {name}!\n\nНапоминаем: {} в {} — «{}» ({place}). Записан(а): {child}.\n\
             Если планы изменились, отмените запись: место получит ребёнок из листа ожидания.\n\n{link}",
            event.starts_at.format("%d.%m.%Y"),
            event.starts_at.format("%H:%M"),
            event.title
        ),
    }
}

/// Published events that have ended become finished (the housekeeping job).
pub fn finish_ended(conn: &mut DbConn) -> ApiResult<usize> {
    Ok(repo::finish_ended(conn, local_now())?)
}
