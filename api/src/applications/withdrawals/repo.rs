//! Diesel queries of withdrawals.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use navigator_shared::applications::WithdrawalStatus;
use navigator_shared::ids::ApplicationId;

use crate::db::DbConn;
use crate::db::schema::withdrawals as w;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = w)]
pub struct WithdrawalRow {
    pub id: i64,
    pub application_id: ApplicationId,
    pub leave_on: NaiveDate,
    pub status: WithdrawalStatus,
    pub requested_by: i64,
    pub requested_at: NaiveDateTime,
    pub confirm_by: NaiveDate,
    pub confirmed_by: Option<i64>,
    pub confirmed_at: Option<NaiveDateTime>,
    pub done_at: Option<NaiveDateTime>,
}

/// Stores the request; `Ok(false)` when the application has one already.
pub fn insert(
    conn: &mut DbConn,
    application: ApplicationId,
    leave_on: NaiveDate,
    by: i64,
    confirm_by: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    crate::db::insert_unique(conn, |conn| {
        diesel::insert_into(w::table)
            .values((
                w::application_id.eq(application),
                w::leave_on.eq(leave_on),
                w::status.eq(WithdrawalStatus::Requested),
                w::requested_by.eq(by),
                w::requested_at.eq(now),
                w::confirm_by.eq(confirm_by),
            ))
            .execute(conn)
    })
    .map(|inserted| inserted.is_some())
}

pub fn of_application(conn: &mut DbConn, application: ApplicationId) -> QueryResult<Option<WithdrawalRow>> {
    w::table.filter(w::application_id.eq(application)).select(WithdrawalRow::as_select()).first(conn).optional()
}

pub fn of_applications(conn: &mut DbConn, ids: &[ApplicationId]) -> QueryResult<Vec<WithdrawalRow>> {
    w::table.filter(w::application_id.eq_any(ids)).select(WithdrawalRow::as_select()).load(conn)
}

/// Confirms a request still waiting (`by` none: nobody answered in time);
/// `false` when it was confirmed already.
pub fn confirm(conn: &mut DbConn, id: i64, by: Option<i64>, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(w::table.find(id).filter(w::status.eq(WithdrawalStatus::Requested)))
        .set((w::status.eq(WithdrawalStatus::Confirmed), w::confirmed_by.eq(by), w::confirmed_at.eq(now)))
        .execute(conn)
        .map(|n| n == 1)
}

/// Marks a confirmed request carried out; `false` when it was already.
pub fn done(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(w::table.find(id).filter(w::status.eq(WithdrawalStatus::Confirmed)))
        .set((w::status.eq(WithdrawalStatus::Done), w::done_at.eq(now)))
        .execute(conn)
        .map(|n| n == 1)
}

/// Requests nobody confirmed by their day, as of `today`.
pub fn unanswered(conn: &mut DbConn, today: NaiveDate, limit: i64) -> QueryResult<Vec<WithdrawalRow>> {
    w::table
        .filter(w::status.eq(WithdrawalStatus::Requested))
        .filter(w::confirm_by.le(today))
        .order(w::id)
        .limit(limit)
        .select(WithdrawalRow::as_select())
        .load(conn)
}

/// Confirmed requests whose day of leaving has come.
pub fn due(conn: &mut DbConn, today: NaiveDate, limit: i64) -> QueryResult<Vec<WithdrawalRow>> {
    w::table
        .filter(w::status.eq(WithdrawalStatus::Confirmed))
        .filter(w::leave_on.le(today))
        .order(w::id)
        .limit(limit)
        .select(WithdrawalRow::as_select())
        .load(conn)
}
