//! Children with certificates made straight in the database, for the demo
//! data, the tests and the benchmarks (the family's forms are not needed there).

use chrono::{NaiveDate, TimeDelta};
use navigator_shared::children::{DocumentType, Sex, Snils, ValidChild};

use navigator_shared::children::CertificateStatus;

use crate::children;
use crate::children::certificates;
use crate::crypto::DataCipher;
use crate::db::DbConn;
use crate::error::{ApiError, ApiResult};
use crate::notifications::now;
use navigator_shared::ids::CertificateId;
use navigator_shared::ids::ChildId;

/// Who the child is.
#[derive(Debug, Clone)]
pub struct Kid<'a> {
    pub last: &'a str,
    pub first: &'a str,
    pub middle: &'a str,
    pub birth: NaiveDate,
    pub sex: Sex,
    /// Nine digits; the check digits are added.
    pub snils: &'a str,
    pub municipality: i64,
}

/// Inserts the child into the family `parent`; `None` when the same child is
/// already there.
pub fn child(conn: &mut DbConn, cipher: &DataCipher, parent: i64, kid: &Kid<'_>) -> ApiResult<Option<ChildId>> {
    let child = ValidChild {
        last_name: kid.last.into(),
        first_name: kid.first.into(),
        middle_name: Some(kid.middle.into()),
        birth_date: kid.birth,
        sex: kid.sex,
        document_type: DocumentType::BirthCertificate,
        document_series: "I-МП".into(),
        document_number: format!("{:06}", kid.snils.parse::<u64>().unwrap_or(0) % 1_000_000),
        document_issued_at: kid.birth + TimeDelta::days(20),
        snils: Snils::with_checksum(kid.snils),
        address: "г. Смоленск, ул. Большая Советская, д. 5, кв. 7".into(),
        municipality_id: kid.municipality,
    };
    let data = children::service::to_data(cipher, &child)?;
    Ok(children::repo::insert(conn, parent, &data, now())?.ok())
}

/// Gives the child a certificate with `number` and moves it to `status`
/// (through `active` for an exclusion, as the registry does).
pub fn certificate(
    conn: &mut DbConn,
    child: ChildId,
    number: &str,
    status: &str,
    reason: Option<&'static str>,
) -> ApiResult<CertificateId> {
    let today = crate::clock::today();
    let due = if status == "lapsed" {
        today - TimeDelta::days(3)
    } else {
        crate::calendar::repo::load(conn, today)?.add_working_days(
            today,
            certificates::service::working_days(crate::reference::repo::region(conn)?.documents_days),
        )
    };
    certificates::repo::insert_pending(conn, child, number, due, now())?;
    let row = certificates::repo::of_child(conn, child)?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("the new certificate of child {child} vanished")))?;
    let mut from = "pending";
    for to in [(status == "excluded").then_some("active"), Some(status)].into_iter().flatten() {
        if to == from {
            continue;
        }
        let code = |c: &str| {
            CertificateStatus::parse(c)
                .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no certificate status «{c}»")))
        };
        let decision = certificates::repo::Decision {
            from: code(from)?,
            to: code(to)?,
            reason: if to == status { reason } else { None },
            comment: (to == status && reason.is_some()).then_some("Демонстрационная запись"),
            decided_by: None,
        };
        certificates::repo::decide(conn, row.id, &decision, now())?;
        from = to;
    }
    Ok(row.id)
}
