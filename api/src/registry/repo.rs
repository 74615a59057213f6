//! Diesel queries of the registry (certificates joined with children).

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::children::certificates::repo::CertificateRow;
use crate::children::repo::ChildRow;
use crate::db::schema::{certificates, children};
use crate::db::{DbConn, Paginate};
use crate::notifications::now;
use navigator_shared::children::CertificateStatus;
use navigator_shared::ids::CertificateId;

/// Which records a search returns.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub number: Option<String>,
    /// (name key, birth date)
    pub person: Option<(String, NaiveDate)>,
    pub municipality: Option<i64>,
    pub status: Option<CertificateStatus>,
    /// Pending with the deadline before this day.
    pub overdue_on: Option<NaiveDate>,
    /// Pending with the documents complete: the decision queue, earliest deadline first.
    pub awaiting_decision: bool,
}

type Record = (CertificateRow, ChildRow);

fn filtered(filter: &Filter) -> certificates_join::BoxedQuery<'static> {
    let mut query = certificates::table.inner_join(children::table).into_boxed();
    if let Some(number) = &filter.number {
        query = query.filter(certificates::number.eq(number.clone()));
    }
    if let Some((name, birth)) = &filter.person {
        query = query.filter(children::last_name_key.eq(name.clone())).filter(children::birth_date.eq(*birth));
    }
    if let Some(municipality) = filter.municipality {
        query = query.filter(children::municipality_id.eq(municipality));
    }
    if let Some(status) = &filter.status {
        query = query.filter(certificates::status.eq(*status));
    }
    if filter.awaiting_decision {
        query = query
            .filter(certificates::status.eq(CertificateStatus::Pending))
            .filter(certificates::decision_due.is_not_null());
    }
    if let Some(day) = filter.overdue_on {
        query = query
            .filter(certificates::status.eq(CertificateStatus::Pending))
            .filter(certificates::documents_due.lt(day));
    }
    query
}

mod certificates_join {
    use diesel::helper_types::{InnerJoin, IntoBoxed};

    use crate::db::DbBackend;
    use crate::db::schema::{certificates, children};

    pub type BoxedQuery<'a> = IntoBoxed<'a, InnerJoin<certificates::table, children::table>, DbBackend>;
}

pub fn search(conn: &mut DbConn, filter: &Filter, page: i64, per_page: i64) -> QueryResult<(Vec<Record>, i64)> {
    let total = filtered(filter).count().get_result(conn)?;
    let query = filtered(filter);
    let query = if filter.awaiting_decision {
        query.order((certificates::decision_due.asc(), certificates::id.asc()))
    } else {
        query.order((certificates::created_at.desc(), certificates::id.desc()))
    };
    let rows =
        query.paginate(page, per_page).select((CertificateRow::as_select(), ChildRow::as_select())).load(conn)?;
    Ok((rows, total))
}

/// Marks that staff confirmed the data against the documents (pending only).
pub fn confirm_data(conn: &mut DbConn, id: CertificateId) -> QueryResult<usize> {
    diesel::update(certificates::table.find(id))
        .filter(certificates::status.eq(CertificateStatus::Pending))
        .set((certificates::data_confirmed_at.eq(now()), certificates::updated_at.eq(now())))
        .execute(conn)
}

/// Starts the decision deadline of a pending certificate whose two checks are
/// done, unless it runs already.
pub fn start_decision_clock(conn: &mut DbConn, id: CertificateId, due: NaiveDate) -> QueryResult<usize> {
    diesel::update(certificates::table.find(id))
        .filter(certificates::status.eq(CertificateStatus::Pending))
        .filter(certificates::data_confirmed_at.is_not_null())
        .filter(certificates::application_received_at.is_not_null())
        .filter(certificates::decision_due.is_null())
        .set(certificates::decision_due.eq(due))
        .execute(conn)
}

/// Registers that the signed application and consent were received (pending only).
pub fn application_received(conn: &mut DbConn, id: CertificateId) -> QueryResult<usize> {
    diesel::update(certificates::table.find(id))
        .filter(certificates::status.eq(CertificateStatus::Pending))
        .set((certificates::application_received_at.eq(now()), certificates::updated_at.eq(now())))
        .execute(conn)
}
