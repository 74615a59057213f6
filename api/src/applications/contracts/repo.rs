//! Diesel queries of contracts and of the monthly register.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use navigator_shared::applications::ContractStatus;
use navigator_shared::ids::{ApplicationId, CertificateId};

use crate::db::DbConn;
use crate::db::schema::{
    certificates as cert, children as ch, contracts as c, ledger_entries as l, program_modules as m, programs as p,
};
use navigator_shared::funding::{Account, LedgerKind};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = c)]
pub struct ContractRow {
    pub id: i64,
    pub application_id: ApplicationId,
    pub certificate_id: CertificateId,
    pub module_id: i64,
    pub organization_id: i64,
    pub price: i64,
    pub months: i32,
    pub first_month: NaiveDate,
    pub status: ContractStatus,
    pub charged: i64,
    pub accepted_at: Option<NaiveDateTime>,
    pub ended_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub signed_on_paper: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    /// The certificate's account that pays it; `price` and `charged` are in its unit.
    pub account: Account,
}

impl ContractRow {
    /// The first day the contract is in force: its first month, or the day
    /// it was accepted when that came later.
    pub fn in_force_from(&self) -> NaiveDate {
        self.accepted_at.map_or(self.first_month, |at| crate::clock::day_of(at).max(self.first_month))
    }
}

pub struct NewContract {
    pub application_id: ApplicationId,
    pub certificate_id: CertificateId,
    pub module_id: i64,
    pub organization_id: i64,
    pub price: i64,
    pub months: i32,
    pub first_month: NaiveDate,
    pub account: Account,
}

/// Inserts an offer; `Ok(None)` when the application has a live contract.
pub fn insert(conn: &mut DbConn, new: &NewContract, now: NaiveDateTime) -> QueryResult<Option<i64>> {
    crate::db::insert_unique(conn, |conn| {
        diesel::insert_into(c::table)
            .values((
                c::application_id.eq(new.application_id),
                c::certificate_id.eq(new.certificate_id),
                c::module_id.eq(new.module_id),
                c::organization_id.eq(new.organization_id),
                c::price.eq(new.price),
                c::months.eq(new.months),
                c::first_month.eq(new.first_month),
                c::account.eq(new.account),
                c::status.eq(ContractStatus::Offered),
                c::created_at.eq(now),
                c::updated_at.eq(now),
            ))
            .returning(c::id)
            .get_result(conn)
    })
}

/// Keeps the contract's text (JSON of `ContractText`) once, at the offer.
pub fn set_text(conn: &mut DbConn, id: i64, text: &str) -> QueryResult<usize> {
    diesel::update(c::table.find(id).filter(c::text.is_null())).set(c::text.eq(text)).execute(conn)
}

/// The text kept with the contract, if any.
pub fn text(conn: &mut DbConn, id: i64) -> QueryResult<Option<String>> {
    c::table.find(id).select(c::text).first::<Option<String>>(conn).optional().map(Option::flatten)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<ContractRow>> {
    c::table.find(id).select(ContractRow::as_select()).first(conn).optional()
}

/// Contracts of applications, newest first.
pub fn of_applications(conn: &mut DbConn, ids: &[ApplicationId]) -> QueryResult<Vec<ContractRow>> {
    c::table
        .filter(c::application_id.eq_any(ids.to_vec()))
        .order(c::id.desc())
        .select(ContractRow::as_select())
        .load(conn)
}

/// The offered or active contract of an application.
pub fn live_of(conn: &mut DbConn, application: ApplicationId) -> QueryResult<Option<ContractRow>> {
    c::table
        .filter(c::application_id.eq(application))
        .filter(c::status.eq_any([ContractStatus::Offered, ContractStatus::Active]))
        .select(ContractRow::as_select())
        .first(conn)
        .optional()
}

/// Offers not yet accepted for the modules of a program.
pub fn offered_of_program(conn: &mut DbConn, program: i64) -> QueryResult<Vec<ContractRow>> {
    c::table
        .inner_join(m::table.on(m::id.eq(c::module_id)))
        .filter(m::program_id.eq(program))
        .filter(c::status.eq(ContractStatus::Offered))
        .order(c::id)
        .select(ContractRow::as_select())
        .load(conn)
}

/// Moves a contract between statuses; `false` when it was no longer in `from`.
pub fn transition(
    conn: &mut DbConn,
    id: i64,
    from: ContractStatus,
    to: ContractStatus,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let ended =
        matches!(to, ContractStatus::Completed | ContractStatus::Terminated | ContractStatus::Withdrawn).then_some(now);
    let accepted = (to == ContractStatus::Active).then_some(now);
    let mut query = diesel::update(c::table.find(id).filter(c::status.eq(from)))
        .set((c::status.eq(to), c::updated_at.eq(now), c::ended_at.eq(ended)))
        .execute(conn)?;
    if query == 1 && accepted.is_some() {
        query = diesel::update(c::table.find(id)).set(c::accepted_at.eq(accepted)).execute(conn)?;
    }
    Ok(query == 1)
}

/// The contract of a family that asked to leave ends on `on`.
pub fn set_ends_on(conn: &mut DbConn, id: i64, on: NaiveDate, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(c::table.find(id)).set((c::ends_on.eq(Some(on)), c::updated_at.eq(now))).execute(conn)
}

/// A contract signed on paper is in force from the day of signing.
pub fn signed_on_paper(conn: &mut DbConn, id: i64, on: NaiveDate) -> QueryResult<usize> {
    diesel::update(c::table.find(id))
        .set((c::signed_on_paper.eq(Some(on)), c::accepted_at.eq(on.and_time(chrono::NaiveTime::MIN))))
        .execute(conn)
}

/// Counts a month's charge on an active contract; `false` when it is no
/// longer active or the charge would pass the price.
pub fn add_charged(conn: &mut DbConn, id: i64, amount: i64, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        c::table.find(id).filter(c::status.eq(ContractStatus::Active)).filter((c::charged + amount).le(c::price)),
    )
    .set((c::charged.eq(c::charged + amount), c::updated_at.eq(now)))
    .execute(conn)
    .map(|n| n == 1)
}

/// Active contracts whose first month is not after `month`, from id `after`.
pub fn active_from(conn: &mut DbConn, month: NaiveDate, after: i64, limit: i64) -> QueryResult<Vec<ContractRow>> {
    c::table
        .filter(c::status.eq(ContractStatus::Active))
        .filter(c::first_month.le(month))
        .filter(c::id.gt(after))
        .order(c::id)
        .limit(limit)
        .select(ContractRow::as_select())
        .load(conn)
}

/// The charges of a contract from `month` on: `(month, amount)`.
pub fn charges_from(conn: &mut DbConn, contract: i64, month: NaiveDate) -> QueryResult<Vec<(NaiveDate, i64)>> {
    let rows: Vec<(Option<NaiveDate>, i64)> = l::table
        .filter(l::contract_id.eq(contract))
        .filter(l::kind.eq(LedgerKind::Charge))
        .filter(l::month.ge(month))
        .order(l::month)
        .select((l::month, l::amount))
        .load(conn)?;
    Ok(rows.into_iter().filter_map(|(month, amount)| month.map(|m| (m, amount))).collect())
}

/// The active contracts of an organization.
pub fn active_of_organization(conn: &mut DbConn, organization: i64) -> QueryResult<Vec<ContractRow>> {
    c::table
        .filter(c::organization_id.eq(organization))
        .filter(c::status.eq(ContractStatus::Active))
        .select(ContractRow::as_select())
        .load(conn)
}

/// Months of a contract already charged.
pub fn charged_months(conn: &mut DbConn, contract: i64) -> QueryResult<Vec<NaiveDate>> {
    l::table
        .filter(l::contract_id.eq(contract))
        .filter(l::kind.eq(LedgerKind::Charge))
        .select(l::month)
        .load::<Option<NaiveDate>>(conn)
        .map(|months| months.into_iter().flatten().collect())
}

/// One line of the register: contract, certificate number, child's names,
/// program, module, amount.
pub type RegisterLine = (i64, String, String, String, Option<String>, String, String, i64);

/// The charges of `month` on the organization's contracts.
pub fn register(conn: &mut DbConn, organization: i64, month: NaiveDate) -> QueryResult<Vec<RegisterLine>> {
    l::table
        .inner_join(c::table.inner_join(m::table.inner_join(p::table)))
        .inner_join(cert::table.inner_join(ch::table))
        .filter(c::organization_id.eq(organization))
        .filter(l::kind.eq(LedgerKind::Charge))
        .filter(l::account.ne(Account::SocialHour))
        .filter(l::month.eq(month))
        .order((p::title, ch::last_name, ch::first_name, c::id))
        .select((c::id, cert::number, ch::last_name, ch::first_name, ch::middle_name, p::title, m::name, l::amount))
        .load(conn)
}

/// The kept texts of the child's contracts: `(contract id, text)`.
pub fn texts_of_child(conn: &mut DbConn, child: navigator_shared::ids::ChildId) -> QueryResult<Vec<(i64, String)>> {
    use crate::db::schema::applications as a;
    let of_child = a::table.filter(a::child_id.eq(child)).select(a::id);
    c::table
        .filter(c::application_id.eq_any(of_child))
        .filter(c::text.is_not_null())
        .order(c::id)
        .select((c::id, c::text.assume_not_null()))
        .load(conn)
}

/// Rewrites a kept text (its depersonalization: the terms and sums stay).
pub fn rewrite_text(conn: &mut DbConn, id: i64, text: &str) -> QueryResult<usize> {
    diesel::update(c::table.find(id)).set(c::text.eq(text)).execute(conn)
}
