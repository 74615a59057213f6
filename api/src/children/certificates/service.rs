//! Rules of the certificate: one per child ever, a random registry number,
//! a deadline of 7 working days for the documents, the automatic lapse.

use chrono::NaiveDate;
use navigator_shared::ErrorCode;
use navigator_shared::children::{self as rules, Certificate, CertificateStatus};
use rand::Rng;

use super::repo::{self, CertificateRow};
use crate::auth::AuthUser;
use crate::auth::scope;
use crate::calendar;
use crate::children::repo::ChildRow;
use crate::db::{DbConn, write_tx};
use crate::error::{ApiError, ApiResult};
use crate::notifications::{self, now, templates};
use crate::{AppState, audit, children, reference};
use navigator_shared::ids::ChildId;

pub fn to_dto(row: &CertificateRow) -> ApiResult<Certificate> {
    let status = row.status;
    Ok(Certificate {
        number: row.number.clone(),
        status,
        status_title: status.title().to_owned(),
        kind: row.kind,
        documents_due: row.documents_due,
        reason_title: row.reason.as_deref().and_then(rules::reason_title).map(str::to_owned),
        reason: row.reason.clone(),
        comment: row.comment.clone(),
        created_at: row.created_at.and_utc(),
        activated_at: row.activated_at.map(|t| t.and_utc()),
        data_confirmed_at: row.data_confirmed_at.map(|t| t.and_utc()),
        application_received_at: row.application_received_at.map(|t| t.and_utc()),
        decision_due: row.decision_due,
    })
}

/// A registry number: 10 digits, drawn at random so that it says nothing
/// about the numbers issued before it.
fn random_number() -> String {
    rand::thread_rng().gen_range(1_000_000_000u64..10_000_000_000).to_string()
}

/// «Получить сертификат»: creates the child's certificate in status `pending`.
pub async fn request(state: &AppState, caller: AuthUser, child_id: i64) -> ApiResult<Certificate> {
    let links = state.links();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let child = scope::owned_child(conn, &caller, ChildId(child_id))?;
                let certificate = request_for(conn, &links, &child)?;
                // The applicant ticked both consents (checked by the route).
                crate::consents::record(conn, caller.id, Some(child.id), now())?;
                Ok::<_, ApiError>(certificate)
            })
        })
        .await
}

/// Creates the certificate of `child` (for the family, or by an activation
/// point on its behalf) and tells the family its number and deadline.
pub fn request_for(conn: &mut DbConn, links: &crate::Links, child: &ChildRow) -> ApiResult<Certificate> {
    child.processable()?;
    let due = deadline_for(conn, child)?;
    issue(conn, child.id, due)?;
    let row = repo::of_child(conn, child.id)?.ok_or_else(|| anyhow::anyhow!("new certificate vanished"))?;
    tell_requested(conn, links, child, &row)?;
    to_dto(&row)
}

/// A number of working days from the region's settings (stored 1..=30).
pub fn working_days(days: i32) -> u32 {
    u32::try_from(days).unwrap_or(1).max(1)
}

/// The deadline for the documents of a certificate asked for today, when the
/// child's age allows one.
fn deadline_for(conn: &mut DbConn, child: &ChildRow) -> ApiResult<NaiveDate> {
    let region = reference::repo::region(conn)?;
    let today = crate::clock::today();
    if !region.certificate_ages().admits(child.birth_date, today) {
        return Err(ApiError::Conflict {
            code: ErrorCode::AgeOutOfRange,
            detail: format!("Сертификат выдаётся детям с {} до {} лет", region.child_age_min, region.child_age_max),
        });
    }
    Ok(calendar::repo::load(conn, today)?.add_working_days(today, working_days(region.documents_days)))
}

/// Tells the family the number and the deadline for the documents.
fn tell_requested(conn: &mut DbConn, links: &crate::Links, child: &ChildRow, row: &CertificateRow) -> ApiResult<()> {
    let points = links.page("/activation-points");
    notifications::family::inform_family(conn, child.id, |name| {
        templates::certificate_requested(name, &child.first_name, &row.number, row.documents_due, &points)
    })?;
    Ok(())
}

/// «Подать заново»: a lapsed or refused certificate goes back to `pending`
/// with its number and a new deadline; the earlier decision stays in the
/// audit trail (`by` is the family or the desk that asked).
pub fn renew_for(conn: &mut DbConn, links: &crate::Links, by: i64, child: &ChildRow) -> ApiResult<CertificateRow> {
    child.processable()?;
    let row = repo::of_child(conn, child.id)?.ok_or(ApiError::NotFound {
        detail: "У ребёнка ещё нет сертификата: получите его",
    })?;
    if row.status != CertificateStatus::Lapsed && row.status != CertificateStatus::Refused {
        return Err(ApiError::Conflict {
            code: ErrorCode::NotRenewable,
            detail: "Подать заново можно сертификат с отказом или с истёкшим сроком подачи документов".into(),
        });
    }
    let due = deadline_for(conn, child)?;
    if repo::renew(conn, row.id, row.status, due, now())? == 0 {
        return Err(ApiError::Conflict {
            code: ErrorCode::CertificateChanged,
            detail: "Сертификат только что изменился: обновите страницу".into(),
        });
    }
    let what = serde_json::json!({ "status": { "old": row.status, "new": "pending" }, "reason": row.reason });
    audit::record(conn, by, child.id, audit::Action::Renew, Some(&what), row.comment.as_deref())?;
    let row = repo::find(conn, row.id)?.ok_or_else(|| anyhow::anyhow!("renewed certificate vanished"))?;
    tell_requested(conn, links, child, &row)?;
    Ok(row)
}

/// The family renews its child's lapsed or refused certificate.
pub async fn renew(state: &AppState, caller: AuthUser, child_id: i64) -> ApiResult<Certificate> {
    let links = state.links();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let child = scope::owned_child(conn, &caller, ChildId(child_id))?;
                renew_for(conn, &links, caller.id, &child).and_then(|row| to_dto(&row))
            })
        })
        .await
}

fn already_issued() -> ApiError {
    ApiError::Conflict {
        code: ErrorCode::CertificateExists,
        detail: "У ребёнка уже есть сертификат: он выдаётся один раз и действует до 18 лет".into(),
    }
}

/// Inserts the certificate, drawing another number on the rare collision.
fn issue(conn: &mut DbConn, child_id: ChildId, due: NaiveDate) -> ApiResult<()> {
    for _ in 0..8 {
        if repo::of_child(conn, child_id)?.is_some() {
            return Err(already_issued());
        }
        let number = random_number();
        if repo::number_taken(conn, &number)? {
            continue;
        }
        if repo::insert_pending(conn, child_id, &number, due, now())? {
            return Ok(());
        }
    }
    Err(ApiError::Internal(anyhow::anyhow!("could not draw a free certificate number")))
}

/// The certificate of the caller's child.
pub async fn of_child(state: &AppState, caller: AuthUser, child_id: i64) -> ApiResult<Certificate> {
    state
        .db(move |conn| {
            let child = scope::owned_child(conn, &caller, ChildId(child_id))?;
            let row = repo::of_child(conn, child.id)?
                .ok_or(ApiError::NotFound { detail: "У ребёнка ещё нет сертификата" })?;
            to_dto(&row)
        })
        .await
}

/// Lapses the pending certificates whose deadline passed and tells the
/// families. Idempotent and safe to run on several instances at once: each
/// certificate changes status in one conditional update.
pub fn lapse_overdue(conn: &mut DbConn, today: NaiveDate) -> ApiResult<usize> {
    let mut lapsed = 0;
    for id in repo::overdue(conn, today)? {
        write_tx(conn, |conn| {
            if repo::lapse(conn, id, now())? == 0 {
                return Ok::<_, ApiError>(());
            }
            lapsed += 1;
            let Some(row) = repo::find(conn, id)? else { return Ok(()) };
            let Some(child) = children::repo::find(conn, row.child_id)? else { return Ok(()) };
            notifications::family::inform_family(conn, child.id, |name| {
                templates::certificate_lapsed(name, &child.first_name, &row.number)
            })?;
            Ok(())
        })?;
    }
    if lapsed > 0 {
        tracing::info!(lapsed, "certificates lapsed after their documents deadline");
    }
    Ok(lapsed)
}
