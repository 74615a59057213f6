//! Diesel queries of events and their sign-ups. An event's places are
//! counted by conditional updates of its row (`taken` never passes
//! `capacity`), after [`lock`].

use chrono::NaiveDateTime;
use diesel::prelude::*;
use navigator_shared::catalog::Direction;
use navigator_shared::events::{EventKind, EventStatus, SignupStatus, ValidEvent};

use crate::db::schema::{children as ch, event_signups as s, events as e, organizations as o, users as u};
use crate::db::{DbConn, Paginate};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = e)]
pub struct EventRow {
    pub id: i64,
    pub organization_id: i64,
    pub municipality_id: i64,
    pub program_id: Option<i64>,
    pub title: String,
    pub kind: EventKind,
    pub direction: Option<Direction>,
    pub description: String,
    pub age_min: i32,
    pub age_max: i32,
    pub online: bool,
    pub address: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub signup_from: Option<NaiveDateTime>,
    pub signup_to: Option<NaiveDateTime>,
    pub capacity: Option<i32>,
    pub taken: i32,
    pub waiting: i32,
    pub certificate_required: bool,
    pub price: i64,
    pub status: EventStatus,
    pub moderation_comment: Option<String>,
}

/// The columns staff write.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = e)]
#[diesel(treat_none_as_null = true)]
pub struct EventData {
    pub municipality_id: i64,
    pub program_id: Option<i64>,
    pub title: String,
    pub kind: EventKind,
    pub direction: Option<Direction>,
    pub description: String,
    pub age_min: i32,
    pub age_max: i32,
    pub online: bool,
    pub address: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub signup_from: Option<NaiveDateTime>,
    pub signup_to: Option<NaiveDateTime>,
    pub capacity: Option<i32>,
    pub certificate_required: bool,
    pub price: i64,
    pub updated_at: NaiveDateTime,
}

impl EventData {
    pub fn new(valid: ValidEvent, now: NaiveDateTime) -> Self {
        Self {
            municipality_id: valid.municipality_id,
            program_id: valid.program_id,
            title: valid.title,
            kind: valid.kind,
            direction: valid.direction,
            description: valid.description,
            age_min: valid.age_min,
            age_max: valid.age_max,
            online: valid.online,
            address: valid.address,
            lat: valid.lat,
            lon: valid.lon,
            starts_at: valid.starts_at,
            ends_at: valid.ends_at,
            signup_from: valid.signup_from,
            signup_to: valid.signup_to,
            capacity: valid.capacity,
            certificate_required: valid.certificate_required,
            price: valid.price,
            updated_at: now,
        }
    }
}

/// An event with its organization's name.
pub type Listed = (EventRow, String);

pub fn insert(conn: &mut DbConn, organization: i64, data: &EventData, now: NaiveDateTime) -> QueryResult<i64> {
    diesel::insert_into(e::table)
        .values((data, e::organization_id.eq(organization), e::status.eq(EventStatus::Draft), e::created_at.eq(now)))
        .returning(e::id)
        .get_result(conn)
}

/// Rewrites what staff write, unless the event is cancelled or finished; `false` then.
pub fn update(conn: &mut DbConn, id: i64, data: &EventData) -> QueryResult<bool> {
    let open = [EventStatus::Draft, EventStatus::Moderation, EventStatus::Published];
    diesel::update(e::table.find(id).filter(e::status.eq_any(open))).set(data).execute(conn).map(|n| n == 1)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Listed>> {
    e::table
        .find(id)
        .inner_join(o::table.on(o::id.eq(e::organization_id)))
        .select((EventRow::as_select(), o::name))
        .first(conn)
        .optional()
}

/// Takes the event's row lock (PostgreSQL; SQLite has one writer) and reads it.
pub fn lock(conn: &mut DbConn, id: i64) -> QueryResult<Option<EventRow>> {
    let locked = diesel::update(e::table.find(id)).set(e::taken.eq(e::taken)).execute(conn)?;
    if locked == 0 {
        return Ok(None);
    }
    e::table.find(id).select(EventRow::as_select()).first(conn).optional()
}

/// Moves an event from one of `from` to `to`; `false` when it was in none of them.
pub fn transition(
    conn: &mut DbConn,
    id: i64,
    from: &[EventStatus],
    to: EventStatus,
    comment: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let published_at = (to == EventStatus::Published).then_some(now);
    diesel::update(e::table.find(id).filter(e::status.eq_any(from.to_vec())))
        .set((
            e::status.eq(to),
            e::moderation_comment.eq(comment),
            e::published_at.eq(published_at),
            e::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// What the calendar and the lists filter by.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub statuses: Vec<EventStatus>,
    pub municipality: Option<i64>,
    pub organization: Option<i64>,
    pub direction: Option<Direction>,
    pub kind: Option<EventKind>,
    pub age: Option<i32>,
    /// Events that end at or after it.
    pub from: Option<NaiveDateTime>,
    /// Events that start before it.
    pub until: Option<NaiveDateTime>,
    /// Ids of the events whose text matched (`None`: no text asked).
    pub ids: Option<Vec<i64>>,
}

/// A page of the events `filter` lets through, by start, and their number.
pub fn list(conn: &mut DbConn, filter: &Filter, (page, per_page): (i64, i64)) -> QueryResult<(Vec<Listed>, i64)> {
    let query = || {
        let mut query = e::table.inner_join(o::table.on(o::id.eq(e::organization_id))).into_boxed();
        if !filter.statuses.is_empty() {
            query = query.filter(e::status.eq_any(filter.statuses.clone()));
        }
        if let Some(municipality) = filter.municipality {
            query = query.filter(e::municipality_id.eq(municipality));
        }
        if let Some(organization) = filter.organization {
            query = query.filter(e::organization_id.eq(organization));
        }
        if let Some(direction) = filter.direction {
            query = query.filter(e::direction.eq(direction));
        }
        if let Some(kind) = filter.kind {
            query = query.filter(e::kind.eq(kind));
        }
        if let Some(age) = filter.age {
            query = query.filter(e::age_min.le(age)).filter(e::age_max.ge(age));
        }
        if let Some(from) = filter.from {
            query = query.filter(e::ends_at.ge(from));
        }
        if let Some(until) = filter.until {
            query = query.filter(e::starts_at.lt(until));
        }
        if let Some(ids) = &filter.ids {
            query = query.filter(e::id.eq_any(ids.clone()));
        }
        query
    };
    let total = query().count().get_result(conn)?;
    let items = query()
        .order((e::starts_at, e::id))
        .select((EventRow::as_select(), o::name))
        .paginate(page, per_page)
        .load(conn)?;
    Ok((items, total))
}

/// Ids, titles and descriptions of the published events from `from` on, for the text search.
pub fn texts(conn: &mut DbConn, from: NaiveDateTime) -> QueryResult<Vec<(i64, String, String)>> {
    e::table
        .filter(e::status.eq(EventStatus::Published))
        .filter(e::ends_at.ge(from))
        .select((e::id, e::title, e::description))
        .load(conn)
}

/// Published events that ended before `now`: moved to `finished`.
pub fn finish_ended(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(e::table.filter(e::status.eq(EventStatus::Published)).filter(e::ends_at.lt(now)))
        .set((e::status.eq(EventStatus::Finished), e::updated_at.eq(now)))
        .execute(conn)
}

// ---- sign-ups ---------------------------------------------------------------

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = s)]
pub struct SignupRow {
    pub id: i64,
    pub event_id: i64,
    pub child_id: i64,
    pub parent_id: i64,
    pub status: SignupStatus,
    pub queued_at: NaiveDateTime,
    pub attended: Option<bool>,
}

pub fn signup_of(conn: &mut DbConn, event: i64, child: i64) -> QueryResult<Option<SignupRow>> {
    s::table
        .filter(s::event_id.eq(event))
        .filter(s::child_id.eq(child))
        .select(SignupRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_signup(conn: &mut DbConn, id: i64) -> QueryResult<Option<SignupRow>> {
    s::table.find(id).select(SignupRow::as_select()).first(conn).optional()
}

/// Takes a place; `false` when the event is full.
pub fn take_place(conn: &mut DbConn, event: i64, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(e::table.find(event).filter(e::capacity.is_null().or(e::taken.lt(e::capacity.assume_not_null()))))
        .set((e::taken.eq(e::taken + 1), e::updated_at.eq(now)))
        .execute(conn)
        .map(|n| n == 1)
}

/// Gives a place back.
pub fn free_place(conn: &mut DbConn, event: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(e::table.find(event).filter(e::taken.gt(0)))
        .set((e::taken.eq(e::taken - 1), e::updated_at.eq(now)))
        .execute(conn)
        .map(drop)
}

/// Counts the waiting list one longer (`1`) or shorter (`-1`).
pub fn count_waiting(conn: &mut DbConn, event: i64, by: i32) -> QueryResult<()> {
    diesel::update(e::table.find(event)).set(e::waiting.eq(e::waiting + by)).execute(conn).map(drop)
}

/// Writes the child's sign-up in `status`: a new row, or the cancelled one
/// signed up again (queued anew).
pub fn put_signup(
    conn: &mut DbConn,
    existing: Option<&SignupRow>,
    (event, child, parent): (i64, i64, i64),
    status: SignupStatus,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    match existing {
        Some(row) => diesel::update(s::table.find(row.id))
            .set((s::status.eq(status), s::queued_at.eq(now), s::attended.eq(None::<bool>), s::updated_at.eq(now)))
            .execute(conn)
            .map(|_| row.id),
        None => diesel::insert_into(s::table)
            .values((
                s::event_id.eq(event),
                s::child_id.eq(child),
                s::parent_id.eq(parent),
                s::status.eq(status),
                s::queued_at.eq(now),
                s::created_at.eq(now),
                s::updated_at.eq(now),
            ))
            .returning(s::id)
            .get_result(conn),
    }
}

pub fn set_status(conn: &mut DbConn, id: i64, status: SignupStatus, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(s::table.find(id)).set((s::status.eq(status), s::updated_at.eq(now))).execute(conn).map(drop)
}

/// The first sign-up of the waiting list.
pub fn first_waiting(conn: &mut DbConn, event: i64) -> QueryResult<Option<SignupRow>> {
    s::table
        .filter(s::event_id.eq(event))
        .filter(s::status.eq(SignupStatus::Waiting))
        .order((s::queued_at, s::id))
        .select(SignupRow::as_select())
        .first(conn)
        .optional()
}

/// The place of a waiting sign-up in its list, from 1.
pub fn position(conn: &mut DbConn, row: &SignupRow) -> QueryResult<i64> {
    let ahead: i64 = s::table
        .filter(s::event_id.eq(row.event_id))
        .filter(s::status.eq(SignupStatus::Waiting))
        .filter(s::queued_at.lt(row.queued_at).or(s::queued_at.eq(row.queued_at).and(s::id.lt(row.id))))
        .count()
        .get_result(conn)?;
    Ok(ahead + 1)
}

/// The family's sign-ups to an event, with the children's first names.
pub fn of_family(conn: &mut DbConn, event: i64, parent: i64) -> QueryResult<Vec<(SignupRow, String)>> {
    s::table
        .inner_join(ch::table.on(ch::id.eq(s::child_id)))
        .filter(s::event_id.eq(event))
        .filter(ch::parent_id.eq(parent))
        .order(s::id)
        .select((SignupRow::as_select(), ch::first_name))
        .load(conn)
}

/// A participant's row: the sign-up, the child's names and birth date, the
/// parent's names and contacts.
pub type ParticipantRow =
    (SignupRow, (String, String, Option<String>, chrono::NaiveDate), (String, String, Option<String>, String, String));

/// The event's sign-ups that are not cancelled: registered first, then the
/// waiting list in order.
pub fn participants(conn: &mut DbConn, event: i64) -> QueryResult<Vec<ParticipantRow>> {
    let mut rows: Vec<ParticipantRow> = s::table
        .inner_join(ch::table.on(ch::id.eq(s::child_id)))
        .inner_join(u::table.on(u::id.eq(s::parent_id)))
        .filter(s::event_id.eq(event))
        .filter(s::status.ne(SignupStatus::Cancelled))
        .order((s::queued_at, s::id))
        .select((
            SignupRow::as_select(),
            (ch::last_name, ch::first_name, ch::middle_name, ch::birth_date),
            (u::last_name, u::first_name, u::middle_name, u::phone, u::email),
        ))
        .load(conn)?;
    rows.sort_by_key(|(row, ..)| row.status != SignupStatus::Registered);
    Ok(rows)
}

pub fn set_attended(conn: &mut DbConn, id: i64, attended: bool, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(s::table.find(id))
        .set((s::attended.eq(Some(attended)), s::updated_at.eq(now)))
        .execute(conn)
        .map(drop)
}

/// The parents of the children signed up (registered or waiting), once each.
pub fn families(conn: &mut DbConn, event: i64) -> QueryResult<Vec<i64>> {
    s::table
        .filter(s::event_id.eq(event))
        .filter(s::status.ne(SignupStatus::Cancelled))
        .select(s::parent_id)
        .distinct()
        .load(conn)
}

/// A reminder to send: the sign-up, the parent, the child's first name and the event.
pub type Due = (i64, i64, String, EventRow);

/// Registered sign-ups not reminded yet of published events starting
/// within `(from, until]` (local time).
pub fn due_reminders(conn: &mut DbConn, from: NaiveDateTime, until: NaiveDateTime) -> QueryResult<Vec<Due>> {
    s::table
        .inner_join(e::table.on(e::id.eq(s::event_id)))
        .inner_join(ch::table.on(ch::id.eq(s::child_id)))
        .filter(s::status.eq(SignupStatus::Registered))
        .filter(s::reminded_at.is_null())
        .filter(e::status.eq(EventStatus::Published))
        .filter(e::starts_at.gt(from))
        .filter(e::starts_at.le(until))
        .order(s::id)
        .limit(500)
        .select((s::id, s::parent_id, ch::first_name, EventRow::as_select()))
        .load(conn)
}

/// Marks the reminder of a sign-up sent; `false` when it already was.
pub fn claim_reminder(conn: &mut DbConn, signup: i64, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(s::table.find(signup).filter(s::reminded_at.is_null()))
        .set(s::reminded_at.eq(now))
        .execute(conn)
        .map(|n| n == 1)
}

/// Published events (and cancelled ones) the calendar's `filter` lets through, at most `limit`, by start.
pub fn all(conn: &mut DbConn, filter: &Filter, limit: i64) -> QueryResult<Vec<Listed>> {
    list(conn, filter, (1, limit)).map(|(items, _)| items)
}
