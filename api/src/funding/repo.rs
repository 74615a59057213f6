//! Diesel queries of funding periods and funding requests.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use navigator_shared::funding::FundingRequestStatus;
use navigator_shared::funding::{Account, FundingKind, FundingPeriodInput, Unit};

use crate::db::schema::{funding_periods as p, funding_requests as r};
use crate::db::{DbConn, Paginate};
use navigator_shared::ids::CertificateId;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = p)]
pub struct PeriodRow {
    pub id: i64,
    pub municipality_id: i64,
    pub year: i32,
    pub nominal: i64,
    pub max_certificates: i32,
    pub max_volume: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub funded_count: i32,
    pub funded_volume: i64,
    pub advance_percent: i32,
    pub kind: FundingKind,
    pub unit: Unit,
}

impl PeriodRow {
    /// The certificate's account the period's nominal goes to.
    pub fn account(&self) -> Account {
        Account::of(self.kind, self.unit)
    }
}

/// Inserts a period; `Ok(None)` when the municipality already has one for the year.
pub fn insert_period(conn: &mut DbConn, input: &FundingPeriodInput, now: NaiveDateTime) -> QueryResult<Option<i64>> {
    crate::db::insert_unique(conn, |c| {
        diesel::insert_into(p::table)
            .values((
                p::municipality_id.eq(input.municipality_id),
                p::year.eq(input.year),
                p::nominal.eq(input.nominal),
                p::max_certificates.eq(input.max_certificates),
                p::max_volume.eq(input.max_volume),
                p::starts_on.eq(input.starts_on),
                p::ends_on.eq(input.ends_on),
                p::advance_percent.eq(input.advance_percent),
                p::kind.eq(input.kind),
                p::unit.eq(input.unit),
                p::created_at.eq(now),
                p::updated_at.eq(now),
            ))
            .returning(p::id)
            .get_result(c)
    })
}

/// Changes a period's nominal, limits and dates; 0 rows when the new limits
/// are below what is already used or the nominal would change after credits.
pub fn update_period(conn: &mut DbConn, id: i64, input: &FundingPeriodInput, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(p::table.find(id))
        .filter(p::funded_count.le(input.max_certificates))
        .filter(p::funded_volume.le(input.max_volume))
        .filter(p::funded_count.eq(0).or(p::nominal.eq(input.nominal)))
        .set((
            p::nominal.eq(input.nominal),
            p::max_certificates.eq(input.max_certificates),
            p::max_volume.eq(input.max_volume),
            p::starts_on.eq(input.starts_on),
            p::ends_on.eq(input.ends_on),
            p::advance_percent.eq(input.advance_percent),
            p::updated_at.eq(now),
        ))
        .execute(conn)
}

/// Periods that ended before `today` whose expiry pass has not finished.
pub fn ended_unexpired(conn: &mut DbConn, today: NaiveDate) -> QueryResult<Vec<(i64, i32)>> {
    p::table.filter(p::ends_on.lt(today)).filter(p::expired_at.is_null()).select((p::id, p::year)).load(conn)
}

/// The period's expiry pass finished.
pub fn mark_expired(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(p::table.find(id).filter(p::expired_at.is_null())).set(p::expired_at.eq(Some(now))).execute(conn)
}

pub fn find_period(conn: &mut DbConn, id: i64) -> QueryResult<Option<PeriodRow>> {
    p::table.find(id).select(PeriodRow::as_select()).first(conn).optional()
}

/// Periods of a year, of one municipality or all.
pub fn periods(conn: &mut DbConn, municipality: Option<i64>, year: Option<i32>) -> QueryResult<Vec<PeriodRow>> {
    let mut query = p::table.select(PeriodRow::as_select()).order((p::year.desc(), p::municipality_id)).into_boxed();
    if let Some(m) = municipality {
        query = query.filter(p::municipality_id.eq(m));
    }
    if let Some(y) = year {
        query = query.filter(p::year.eq(y));
    }
    query.load(conn)
}

/// The period of the municipality that runs on `day`.
pub fn current_period(
    conn: &mut DbConn,
    municipality: i64,
    day: NaiveDate,
    kind: FundingKind,
) -> QueryResult<Option<PeriodRow>> {
    p::table
        .filter(p::municipality_id.eq(municipality))
        .filter(p::kind.eq(kind))
        .filter(p::starts_on.le(day))
        .filter(p::ends_on.ge(day))
        .select(PeriodRow::as_select())
        .first(conn)
        .optional()
}

/// Takes one certificate and one nominal from the period's limits; 0 rows
/// when either limit would be passed. One statement, so concurrent
/// approvals can never pass a limit together.
pub fn take_from_limits(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(p::table.find(id))
        .filter(p::funded_count.lt(p::max_certificates))
        .filter((p::funded_volume + p::nominal).le(p::max_volume))
        .set((
            p::funded_count.eq(p::funded_count + 1),
            p::funded_volume.eq(p::funded_volume + p::nominal),
            p::updated_at.eq(now),
        ))
        .execute(conn)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = r)]
pub struct RequestRow {
    pub id: i64,
    pub certificate_id: CertificateId,
    pub period_id: i64,
    pub requested_by: i64,
    pub status: FundingRequestStatus,
    pub due_date: NaiveDate,
    pub reason: Option<String>,
    pub comment: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

/// Inserts a submitted request; `Ok(None)` when a live one exists for the
/// certificate and period.
pub fn insert_request(
    conn: &mut DbConn,
    certificate_id: CertificateId,
    period_id: i64,
    requested_by: i64,
    due_date: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    crate::db::insert_unique(conn, |c| {
        diesel::insert_into(r::table)
            .values((
                r::certificate_id.eq(certificate_id),
                r::period_id.eq(period_id),
                r::requested_by.eq(requested_by),
                r::status.eq(FundingRequestStatus::Submitted),
                r::due_date.eq(due_date),
                r::created_at.eq(now),
            ))
            .returning(r::id)
            .get_result(c)
    })
}

pub fn find_request(conn: &mut DbConn, id: i64) -> QueryResult<Option<RequestRow>> {
    r::table.find(id).select(RequestRow::as_select()).first(conn).optional()
}

/// The live (submitted or approved) request of a certificate for a period.
pub fn live_request(
    conn: &mut DbConn,
    certificate_id: CertificateId,
    period_id: i64,
) -> QueryResult<Option<RequestRow>> {
    r::table
        .filter(r::certificate_id.eq(certificate_id))
        .filter(r::period_id.eq(period_id))
        .filter(r::status.eq_any([FundingRequestStatus::Submitted, FundingRequestStatus::Approved]))
        .select(RequestRow::as_select())
        .first(conn)
        .optional()
}

/// Decides a submitted request; 0 rows when it was decided already.
pub fn decide(
    conn: &mut DbConn,
    id: i64,
    status: FundingRequestStatus,
    reason: Option<&str>,
    comment: Option<&str>,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(r::table.find(id))
        .filter(r::status.eq(FundingRequestStatus::Submitted))
        .set((
            r::status.eq(status),
            r::reason.eq(reason),
            r::comment.eq(comment),
            r::decided_by.eq(Some(by)),
            r::decided_at.eq(Some(now)),
        ))
        .execute(conn)
}

/// A page of the queue: requests of the periods of `municipality` (all when
/// `None`) in `status`, oldest first.
pub fn queue(
    conn: &mut DbConn,
    municipality: Option<i64>,
    status: FundingRequestStatus,
    page: i64,
    per_page: i64,
) -> QueryResult<(Vec<RequestRow>, i64)> {
    let filtered = || {
        let mut q = r::table.inner_join(p::table).filter(r::status.eq(status)).into_boxed();
        if let Some(m) = municipality {
            q = q.filter(p::municipality_id.eq(m));
        }
        q
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((r::created_at.asc(), r::id.asc()))
        .paginate(page, per_page)
        .select(RequestRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}
