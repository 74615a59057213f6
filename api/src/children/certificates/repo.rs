//! Diesel queries of certificates.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use navigator_shared::children::{CertificateKind, CertificateStatus};
use navigator_shared::ids::{CertificateId, ChildId};

use crate::db::DbConn;
use crate::db::schema::certificates;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = certificates)]
pub struct CertificateRow {
    pub id: CertificateId,
    pub child_id: ChildId,
    pub number: String,
    pub kind: CertificateKind,
    pub status: CertificateStatus,
    pub documents_due: NaiveDate,
    pub reason: Option<String>,
    pub comment: Option<String>,
    pub activated_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub data_confirmed_at: Option<NaiveDateTime>,
    pub application_received_at: Option<NaiveDateTime>,
    pub decision_due: Option<NaiveDate>,
}

pub fn of_child(conn: &mut DbConn, child_id: ChildId) -> QueryResult<Option<CertificateRow>> {
    certificates::table
        .filter(certificates::child_id.eq(child_id))
        .select(CertificateRow::as_select())
        .first(conn)
        .optional()
}

pub fn of_children(conn: &mut DbConn, child_ids: &[ChildId]) -> QueryResult<Vec<CertificateRow>> {
    certificates::table.filter(certificates::child_id.eq_any(child_ids)).select(CertificateRow::as_select()).load(conn)
}

pub fn number_taken(conn: &mut DbConn, number: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(certificates::table.filter(certificates::number.eq(number)))).get_result(conn)
}

/// Inserts a pending certificate; `Ok(false)` when a unique key refused it
/// (the child got one meanwhile, or the number was taken).
pub fn insert_pending(
    conn: &mut DbConn,
    child_id: ChildId,
    number: &str,
    documents_due: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let inserted = crate::db::insert_unique(conn, |c| {
        diesel::insert_into(certificates::table)
            .values((
                certificates::child_id.eq(child_id),
                certificates::number.eq(number),
                certificates::kind.eq(CertificateKind::Accounting),
                certificates::status.eq(CertificateStatus::Pending),
                certificates::documents_due.eq(documents_due),
                certificates::created_at.eq(now),
                certificates::updated_at.eq(now),
            ))
            .returning(certificates::id)
            .get_result::<i64>(c)
    })?;
    match inserted {
        Some(id) => {
            crate::studies::certificate_issued(conn, child_id.get())?;
            announce(conn, id, now).map(|()| true)
        }
        None => Ok(false),
    }
}

/// Tells integrators with `registry:read` that a certificate's status
/// changed (in the change's transaction): the number, the status, the
/// municipality and the dates, nothing personal.
fn announce(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<()> {
    use crate::db::schema::children;
    use navigator_shared::integrations::WebhookEvent;
    let event = crate::webhooks::Event {
        kind: WebhookEvent::CertificateStatusChanged,
        object: format!("certificate:{id}"),
        only_client: None,
    };
    crate::webhooks::record(conn, event, now, |conn| {
        let (number, status, municipality, created, activated): (
            String,
            CertificateStatus,
            i64,
            NaiveDateTime,
            Option<NaiveDateTime>,
        ) = certificates::table
            .inner_join(children::table)
            .filter(certificates::id.eq(id))
            .select((
                certificates::number,
                certificates::status,
                children::municipality_id,
                certificates::created_at,
                certificates::activated_at,
            ))
            .first(conn)?;
        Ok(serde_json::json!({
            "number": number,
            "status": status,
            "status_title": status.title(),
            "municipality_id": municipality,
            "issued_on": crate::clock::day_of(created),
            "activated_on": activated.map(crate::clock::day_of),
            "changed_at": now.and_utc(),
        }))
    })
}

/// Announces the change of a certificate when `changed` rows say it happened.
fn announced(conn: &mut DbConn, id: i64, changed: usize, now: NaiveDateTime) -> QueryResult<usize> {
    if changed == 1 {
        announce(conn, id, now)?;
    }
    Ok(changed)
}

/// Pending certificates whose deadline passed before `today`.
pub fn overdue(conn: &mut DbConn, today: NaiveDate) -> QueryResult<Vec<CertificateId>> {
    certificates::table
        .filter(certificates::status.eq(CertificateStatus::Pending))
        .filter(certificates::decision_due.is_null())
        .filter(certificates::documents_due.lt(today))
        .select(certificates::id)
        .load(conn)
}

/// A pending certificate whose documents never became complete lapses; 0 rows
/// when it was decided, or its documents were completed, meanwhile.
pub fn lapse(conn: &mut DbConn, id: CertificateId, now: NaiveDateTime) -> QueryResult<usize> {
    let changed = diesel::update(certificates::table.find(id))
        .filter(certificates::status.eq(CertificateStatus::Pending))
        .filter(certificates::decision_due.is_null())
        .set((certificates::status.eq(CertificateStatus::Lapsed), certificates::updated_at.eq(now)))
        .execute(conn)?;
    announced(conn, id.get(), changed, now)
}

/// Moves a certificate from one status to another; 0 rows when it was no
/// longer in `from` (somebody else decided first).
pub fn transition(conn: &mut DbConn, id: i64, from: &str, to: &str, now: NaiveDateTime) -> QueryResult<usize> {
    let changed = diesel::update(certificates::table.find(id))
        .filter(certificates::status.eq(from))
        .set((certificates::status.eq(to), certificates::updated_at.eq(now)))
        .execute(conn)?;
    announced(conn, id, changed, now)
}

/// A lapsed or refused certificate back to `pending` with a new deadline, no
/// decision and no desk checks (the documents are brought again); 0 rows when
/// it was no longer in `from`.
pub fn renew(
    conn: &mut DbConn,
    id: CertificateId,
    from: CertificateStatus,
    due: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let changed = diesel::update(certificates::table.find(id))
        .filter(certificates::status.eq(from))
        .set((
            certificates::status.eq(CertificateStatus::Pending),
            certificates::documents_due.eq(due),
            certificates::reason.eq(None::<String>),
            certificates::comment.eq(None::<String>),
            certificates::decided_by.eq(None::<i64>),
            certificates::data_confirmed_at.eq(None::<NaiveDateTime>),
            certificates::application_received_at.eq(None::<NaiveDateTime>),
            certificates::decision_due.eq(None::<NaiveDate>),
            certificates::updated_at.eq(now),
        ))
        .execute(conn)?;
    announced(conn, id.get(), changed, now)
}

/// A decision on a certificate: from `from` to `to` with the official reason,
/// a comment and who decided; 0 rows when the status was no longer `from`.
pub struct Decision<'a> {
    pub from: CertificateStatus,
    pub to: CertificateStatus,
    pub reason: Option<&'a str>,
    pub comment: Option<&'a str>,
    pub decided_by: Option<i64>,
}

pub fn decide(conn: &mut DbConn, id: CertificateId, decision: &Decision<'_>, now: NaiveDateTime) -> QueryResult<usize> {
    let changed = diesel::update(certificates::table.find(id))
        .filter(certificates::status.eq(decision.from))
        .set((
            certificates::status.eq(decision.to),
            certificates::reason.eq(decision.reason),
            certificates::comment.eq(decision.comment),
            certificates::decided_by.eq(decision.decided_by),
            certificates::updated_at.eq(now),
        ))
        .execute(conn)?;
    if changed == 1 && decision.to == CertificateStatus::Active {
        diesel::update(certificates::table.find(id)).set(certificates::activated_at.eq(now)).execute(conn)?;
    }
    announced(conn, id.get(), changed, now)
}

pub fn find(conn: &mut DbConn, id: CertificateId) -> QueryResult<Option<CertificateRow>> {
    certificates::table.find(id).select(CertificateRow::as_select()).first(conn).optional()
}

/// A credited certificate becomes a funded one, keeping every right of an
/// accounting certificate.
pub fn make_funded(conn: &mut DbConn, id: CertificateId, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(certificates::table.find(id))
        .set((certificates::kind.eq(CertificateKind::Funded), certificates::updated_at.eq(now)))
        .execute(conn)
}

/// The certificate of this number with its child.
pub fn by_number(
    conn: &mut DbConn,
    number: &str,
) -> QueryResult<Option<(CertificateRow, crate::children::repo::ChildRow)>> {
    use crate::db::schema::children;
    certificates::table
        .inner_join(children::table)
        .filter(certificates::number.eq(number))
        .select((CertificateRow::as_select(), crate::children::repo::ChildRow::as_select()))
        .first(conn)
        .optional()
}
