//! Diesel queries of the families' requests to be told of free places.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use navigator_shared::catalog::{Group, ProgramStatus};

use crate::db::schema::{program_groups as g, programs as p, spot_alerts as s};
use crate::db::{DbConn, Paginate};

/// What decides whether a group takes applications now.
#[derive(Debug, Clone, Queryable)]
pub struct GroupPlaces {
    pub id: i64,
    pub program_id: i64,
    pub name: String,
    pub capacity: i32,
    pub enrolled: i32,
    pub enrolment_open: bool,
    pub enrolment_from: Option<NaiveDate>,
    pub enrolment_to: Option<NaiveDate>,
}

impl GroupPlaces {
    /// Open for enrolment on `today` with a free place.
    pub fn accepting(&self, today: NaiveDate) -> bool {
        Group::is_open(
            self.enrolment_open,
            self.enrolment_from,
            self.enrolment_to,
            self.capacity - self.enrolled,
            today,
        )
    }
}

const GROUP_COLUMNS: (
    g::id,
    g::program_id,
    g::name,
    g::capacity,
    g::enrolled,
    g::enrolment_open,
    g::enrolment_from,
    g::enrolment_to,
) = (g::id, g::program_id, g::name, g::capacity, g::enrolled, g::enrolment_open, g::enrolment_from, g::enrolment_to);

pub fn group(conn: &mut DbConn, id: i64) -> QueryResult<Option<GroupPlaces>> {
    g::table.find(id).select(GROUP_COLUMNS).first(conn).optional()
}

/// The names of the groups `ids`, by id.
pub fn group_names(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    g::table.filter(g::id.eq_any(ids.to_vec())).select((g::id, g::name)).load(conn)
}

pub fn groups_of(conn: &mut DbConn, program: i64) -> QueryResult<Vec<GroupPlaces>> {
    g::table.filter(g::program_id.eq(program)).order(g::id).select(GROUP_COLUMNS).load(conn)
}

/// The title of a published program.
pub fn published_title(conn: &mut DbConn, program: i64) -> QueryResult<Option<String>> {
    p::table.find(program).filter(p::status.eq(ProgramStatus::Published)).select(p::title).first(conn).optional()
}

/// A request as the family sees it.
#[derive(Debug, Clone, Queryable)]
pub struct AlertRow {
    pub id: i64,
    pub user_id: i64,
    pub program_id: i64,
    pub program_title: String,
    pub group_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

type AlertColumns = (s::id, s::user_id, s::program_id, p::title, s::group_id, s::created_at);
const ALERT_COLUMNS: AlertColumns = (s::id, s::user_id, s::program_id, p::title, s::group_id, s::created_at);

/// The family's open request about the group (`None`: the program), if any.
pub fn open_of(conn: &mut DbConn, user: i64, program: i64, group: Option<i64>) -> QueryResult<Option<AlertRow>> {
    let query = s::table
        .inner_join(p::table.on(p::id.eq(s::program_id)))
        .filter(s::user_id.eq(user))
        .filter(s::program_id.eq(program))
        .filter(s::alerted_at.is_null())
        .filter(s::cancelled_at.is_null())
        .select(ALERT_COLUMNS)
        .into_boxed();
    match group {
        Some(group) => query.filter(s::group_id.eq(group)),
        None => query.filter(s::group_id.is_null()),
    }
    .first(conn)
    .optional()
}

/// Records a request; `None` when the family asked the same a moment ago
/// (the unique index decides).
pub fn insert(
    conn: &mut DbConn,
    (user, program, group): (i64, i64, Option<i64>),
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    crate::db::insert_unique(conn, |c| {
        diesel::insert_into(s::table)
            .values((
                s::user_id.eq(user),
                s::program_id.eq(program),
                s::group_id.eq(group),
                s::token_hash.eq(token_hash),
                s::created_at.eq(now),
            ))
            .returning(s::id)
            .get_result(c)
    })
}

/// The family's open requests, newest first, one page; and how many in all.
pub fn of_user(
    conn: &mut DbConn,
    user: i64,
    program: Option<i64>,
    (page, per_page): (i64, i64),
) -> QueryResult<(Vec<AlertRow>, i64)> {
    let open = || {
        let query = s::table
            .inner_join(p::table.on(p::id.eq(s::program_id)))
            .filter(s::user_id.eq(user))
            .filter(s::alerted_at.is_null())
            .filter(s::cancelled_at.is_null())
            .into_boxed();
        match program {
            Some(program) => query.filter(s::program_id.eq(program)),
            None => query,
        }
    };
    let total = open().count().get_result(conn)?;
    let rows = open().order(s::id.desc()).select(ALERT_COLUMNS).paginate(page, per_page).load(conn)?;
    Ok((rows, total))
}

/// Withdraws an open request of `user`; `false` when there is none.
pub fn cancel(conn: &mut DbConn, id: i64, user: i64, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(s::table.find(id).filter(s::user_id.eq(user)).filter(s::alerted_at.is_null()))
        .filter(s::cancelled_at.is_null())
        .set(s::cancelled_at.eq(now))
        .execute(conn)
        .map(|n| n == 1)
}

/// Withdraws the open request of the link's token; `false` when there is none.
pub fn cancel_by_token(conn: &mut DbConn, token_hash: &str, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(s::table.filter(s::token_hash.eq(token_hash)).filter(s::alerted_at.is_null()))
        .filter(s::cancelled_at.is_null())
        .set(s::cancelled_at.eq(now))
        .execute(conn)
        .map(|n| n == 1)
}

/// The open requests a group's free places answer — about the group, or
/// about any group of its program — in the order asked.
pub fn waiting_for(conn: &mut DbConn, program: i64, group: i64) -> QueryResult<Vec<AlertRow>> {
    s::table
        .inner_join(p::table.on(p::id.eq(s::program_id)))
        .filter(s::program_id.eq(program))
        .filter(s::group_id.eq(group).or(s::group_id.is_null()))
        .filter(s::alerted_at.is_null())
        .filter(s::cancelled_at.is_null())
        .order(s::id)
        .select(ALERT_COLUMNS)
        .load(conn)
}

/// The groups the open requests wait on: the groups asked about, and every
/// group of a program asked about as a whole.
pub fn awaited_groups(conn: &mut DbConn) -> QueryResult<Vec<i64>> {
    let open = s::alerted_at.is_null().and(s::cancelled_at.is_null());
    let mut groups: Vec<i64> =
        s::table.filter(open).filter(s::group_id.is_not_null()).select(s::group_id.assume_not_null()).load(conn)?;
    let programs = s::table.filter(open).filter(s::group_id.is_null()).select(s::program_id);
    groups.extend(g::table.filter(g::program_id.eq_any(programs)).select(g::id).load::<i64>(conn)?);
    groups.sort_unstable();
    groups.dedup();
    Ok(groups)
}

/// Marks a request answered; `false` when another transaction did.
pub fn mark_alerted(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(s::table.find(id).filter(s::alerted_at.is_null()).filter(s::cancelled_at.is_null()))
        .set(s::alerted_at.eq(now))
        .execute(conn)
        .map(|n| n == 1)
}
