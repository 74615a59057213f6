//! Diesel queries of payment requests and their lines.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use navigator_shared::accounts::Role;
use navigator_shared::funding::{Account, LedgerKind};
use navigator_shared::payments::{PaymentKind, PaymentStatus};

use crate::db::schema::{
    certificates as cert, children as ch, contracts as c, funding_periods as fp, ledger_entries as l,
    payment_lines as pl, payment_requests as pr, program_modules as m, programs as p, users as u,
};
use crate::db::{DbConn, Paginate};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = pr)]
pub struct PaymentRow {
    pub id: i64,
    pub organization_id: i64,
    pub municipality_id: i64,
    pub month: NaiveDate,
    pub kind: PaymentKind,
    pub status: PaymentStatus,
    pub amount: i64,
    pub charges: i64,
    pub corrections: i64,
    pub advance: i64,
    pub note: Option<String>,
    pub return_comment: Option<String>,
    pub payment_order: Option<String>,
    pub paid_on: Option<NaiveDate>,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
    pub decided_at: Option<NaiveDateTime>,
}

pub struct NewPayment<'a> {
    pub organization_id: i64,
    pub municipality_id: i64,
    pub month: NaiveDate,
    pub kind: PaymentKind,
    pub amount: i64,
    pub note: Option<&'a str>,
    pub created_by: i64,
}

/// Inserts a draft; `Ok(None)` when the organization has this kind for the month.
pub fn insert(conn: &mut DbConn, new: &NewPayment<'_>, now: NaiveDateTime) -> QueryResult<Option<i64>> {
    crate::db::insert_unique(conn, |conn| {
        diesel::insert_into(pr::table)
            .values((
                pr::organization_id.eq(new.organization_id),
                pr::municipality_id.eq(new.municipality_id),
                pr::month.eq(new.month),
                pr::kind.eq(new.kind),
                pr::status.eq(PaymentStatus::Draft),
                pr::amount.eq(new.amount),
                pr::note.eq(new.note),
                pr::created_by.eq(new.created_by),
                pr::created_at.eq(now),
                pr::updated_at.eq(now),
            ))
            .returning(pr::id)
            .get_result(conn)
    })
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<PaymentRow>> {
    pr::table.find(id).select(PaymentRow::as_select()).first(conn).optional()
}

/// The organization's requests of a month (an advance, an invoice).
pub fn of_month(conn: &mut DbConn, organization: i64, month: NaiveDate) -> QueryResult<Vec<PaymentRow>> {
    pr::table
        .filter(pr::organization_id.eq(organization))
        .filter(pr::month.eq(month))
        .select(PaymentRow::as_select())
        .load(conn)
}

/// Who may see a list: one organization, one municipality, or all.
#[derive(Debug, Clone, Copy)]
pub enum Reach {
    Organization(i64),
    Municipality(i64),
    Region,
}

pub struct Filter {
    pub reach: Reach,
    pub status: Option<PaymentStatus>,
    pub kind: Option<PaymentKind>,
    pub month: Option<NaiveDate>,
}

/// A page of requests, oldest sent first (the operator's queue order);
/// drafts are the organization's own.
pub fn list(conn: &mut DbConn, filter: &Filter, page: i64, per_page: i64) -> QueryResult<(Vec<PaymentRow>, i64)> {
    let query = || {
        let mut q = pr::table.into_boxed();
        q = match filter.reach {
            Reach::Organization(id) => q.filter(pr::organization_id.eq(id)),
            Reach::Municipality(id) => q.filter(pr::municipality_id.eq(id)).filter(pr::status.ne(PaymentStatus::Draft)),
            Reach::Region => q.filter(pr::status.ne(PaymentStatus::Draft)),
        };
        if let Some(status) = filter.status {
            q = q.filter(pr::status.eq(status));
        }
        if let Some(kind) = filter.kind {
            q = q.filter(pr::kind.eq(kind));
        }
        if let Some(month) = filter.month {
            q = q.filter(pr::month.eq(month));
        }
        q
    };
    let total = query().count().get_result(conn)?;
    let rows = query()
        .order((pr::month.desc(), pr::submitted_at.asc(), pr::id.asc()))
        .paginate(page, per_page)
        .select(PaymentRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Changes a request the organization may still edit.
pub fn edit(conn: &mut DbConn, id: i64, amount: i64, note: Option<&str>, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(pr::table.find(id).filter(pr::status.eq_any([PaymentStatus::Draft, PaymentStatus::Returned])))
        .set((pr::amount.eq(amount), pr::note.eq(note), pr::updated_at.eq(now)))
        .execute(conn)
        .map(|n| n == 1)
}

/// The sums of an invoice as sent.
pub struct Sums {
    pub amount: i64,
    pub charges: i64,
    pub corrections: i64,
    pub advance: i64,
}

/// Sends an editable request with its sums; `false` when it was sent already.
pub fn submit(conn: &mut DbConn, id: i64, sums: &Sums, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(pr::table.find(id).filter(pr::status.eq_any([PaymentStatus::Draft, PaymentStatus::Returned])))
        .set((
            pr::status.eq(PaymentStatus::Submitted),
            pr::amount.eq(sums.amount),
            pr::charges.eq(sums.charges),
            pr::corrections.eq(sums.corrections),
            pr::advance.eq(sums.advance),
            pr::submitted_at.eq(now),
            pr::return_comment.eq(None::<String>),
            pr::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// The operator's decision on a sent request; `false` when it was decided already.
pub fn decide(
    conn: &mut DbConn,
    id: i64,
    to: PaymentStatus,
    comment: Option<&str>,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(pr::table.find(id).filter(pr::status.eq(PaymentStatus::Submitted)))
        .set((
            pr::status.eq(to),
            pr::return_comment.eq(comment),
            pr::decided_by.eq(by),
            pr::decided_at.eq(now),
            pr::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// An approved request is paid by a payment order; `false` when it was not approved.
pub fn paid(conn: &mut DbConn, id: i64, order: &str, on: NaiveDate, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(pr::table.find(id).filter(pr::status.eq(PaymentStatus::Approved)))
        .set((
            pr::status.eq(PaymentStatus::Paid),
            pr::payment_order.eq(order),
            pr::paid_on.eq(on),
            pr::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// A charge or refund entry of the ledger that an invoice pays.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: i64,
    pub contract_id: i64,
    pub month: NaiveDate,
    /// A charge is positive, a refund negative.
    pub amount: i64,
}

/// A ledger entry as read for an invoice: id, contract, month, kind, amount.
type EntryRow = (i64, Option<i64>, Option<NaiveDate>, LedgerKind, i64);

/// The charge and refund entries of the organization's contracts of
/// `through` and earlier months that no other request has claimed.
pub fn unclaimed(conn: &mut DbConn, organization: i64, through: NaiveDate, request: i64) -> QueryResult<Vec<Entry>> {
    let claimed = pl::table.filter(pl::request_id.ne(request)).select(pl::ledger_entry_id);
    let rows: Vec<EntryRow> = l::table
        .inner_join(c::table)
        .filter(c::organization_id.eq(organization))
        .filter(l::kind.eq_any([LedgerKind::Charge, LedgerKind::Refund]))
        // Hours of the social certificate are not paid in money by invoice.
        .filter(l::account.ne(Account::SocialHour))
        .filter(l::month.le(through))
        .filter(l::id.ne_all(claimed))
        .order((l::month, l::contract_id, l::id))
        .select((l::id, l::contract_id, l::month, l::kind, l::amount))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, contract, month, kind, amount)| {
            let signed = if kind == LedgerKind::Refund { -amount } else { amount };
            Some(Entry { id, contract_id: contract?, month: month?, amount: signed })
        })
        .collect())
}

/// What other requests already counted for `(contract, month)`.
pub fn invoiced(conn: &mut DbConn, contract: i64, month: NaiveDate, request: i64) -> QueryResult<i64> {
    let amounts: Vec<i64> = pl::table
        .filter(pl::contract_id.eq(contract))
        .filter(pl::month.eq(month))
        .filter(pl::request_id.ne(request))
        .select(pl::amount)
        .load(conn)?;
    Ok(amounts.iter().sum())
}

/// A line to store.
pub struct NewLine {
    pub entry: Entry,
    pub original: Option<i64>,
    pub corrected: Option<i64>,
}

/// Replaces the lines of a request; `Ok(false)` when another request took
/// one of the entries meanwhile.
pub fn set_lines(conn: &mut DbConn, request: i64, lines: &[NewLine]) -> QueryResult<bool> {
    diesel::delete(pl::table.filter(pl::request_id.eq(request))).execute(conn)?;
    if lines.is_empty() {
        return Ok(true);
    }
    // One statement per line: batch inserts do not compile for both backends at once.
    crate::db::insert_unique(conn, |conn| {
        for line in lines {
            diesel::insert_into(pl::table)
                .values((
                    pl::request_id.eq(request),
                    pl::ledger_entry_id.eq(line.entry.id),
                    pl::contract_id.eq(line.entry.contract_id),
                    pl::month.eq(line.entry.month),
                    pl::amount.eq(line.entry.amount),
                    pl::original.eq(line.original),
                    pl::corrected.eq(line.corrected),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
    .map(|inserted| inserted.is_some())
}

/// A line as printed: `(contract, month, amount, original, corrected)`.
pub type StoredLine = (i64, NaiveDate, i64, Option<i64>, Option<i64>);

pub fn lines(conn: &mut DbConn, request: i64) -> QueryResult<Vec<StoredLine>> {
    pl::table
        .filter(pl::request_id.eq(request))
        .order((pl::month, pl::contract_id, pl::id))
        .select((pl::contract_id, pl::month, pl::amount, pl::original, pl::corrected))
        .load(conn)
}

/// What a line names of its contract: certificate number, child's names, program.
pub type ContractNames = (i64, String, String, String, String);

pub fn contract_names(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<ContractNames>> {
    c::table
        .inner_join(cert::table.inner_join(ch::table))
        .inner_join(m::table.inner_join(p::table))
        .filter(c::id.eq_any(ids))
        .select((c::id, cert::number, ch::last_name, ch::first_name, p::title))
        .load(conn)
}

/// The advance share of the funding period of `municipality` that covers a
/// day of the month `month`…`last_day`.
pub fn advance_percent(
    conn: &mut DbConn,
    municipality: i64,
    (month, last_day): (NaiveDate, NaiveDate),
) -> QueryResult<Option<i32>> {
    fp::table
        .filter(fp::municipality_id.eq(municipality))
        .filter(fp::starts_on.le(last_day))
        .filter(fp::ends_on.ge(month))
        .select(fp::advance_percent)
        .first(conn)
        .optional()
}

/// Active operators of a municipality: `(id, email, first name, middle name, confirmed)`.
pub type OperatorRow = (i64, String, String, Option<String>, Option<NaiveDateTime>);

pub fn operators_of(conn: &mut DbConn, municipality: i64) -> QueryResult<Vec<OperatorRow>> {
    u::table
        .filter(u::role.eq(Role::Operator))
        .filter(u::municipality_id.eq(municipality))
        .filter(u::disabled_at.is_null())
        .select((u::id, u::email, u::first_name, u::middle_name, u::email_confirmed_at))
        .load(conn)
}

/// Approved and paid requests of a municipality's month, by organization.
pub fn granted(conn: &mut DbConn, municipality: Option<i64>, month: NaiveDate) -> QueryResult<Vec<PaymentRow>> {
    let mut q = pr::table
        .filter(pr::month.eq(month))
        .filter(pr::status.eq_any([PaymentStatus::Approved, PaymentStatus::Paid]))
        .into_boxed();
    if let Some(id) = municipality {
        q = q.filter(pr::municipality_id.eq(id));
    }
    q.order((pr::organization_id, pr::kind, pr::id)).select(PaymentRow::as_select()).load(conn)
}
