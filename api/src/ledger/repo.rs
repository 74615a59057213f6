//! Diesel queries of the ledger. Every movement changes the certificate's
//! sums by one conditional update and appends its entry in the same
//! savepoint, so the sums always equal the entries and never go below zero;
//! the statistics' tallies ([`super::tally`]) are kept in the same savepoint.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use navigator_shared::funding::{Account, Balance, LedgerKind};

use crate::db::DbConn;
use crate::db::schema::{certificate_accounts as ca, certificates as c, ledger_entries as l};
use crate::notifications::now;
use navigator_shared::ids::CertificateId;

/// One movement of money on a certificate.
#[derive(Debug, Clone)]
pub struct Movement<'a> {
    pub certificate_id: CertificateId,
    /// The account it moves (the ПФДО roubles, or a social account).
    pub account: Account,
    pub kind: LedgerKind,
    pub amount: i64,
    pub period_id: Option<i64>,
    pub contract_id: Option<i64>,
    pub month: Option<NaiveDate>,
    pub reason: &'a str,
    pub created_by: Option<i64>,
}

/// Why a movement was not applied.
#[derive(Debug)]
pub enum PostError {
    /// The sums do not cover it (available for a reserve, reserved for a
    /// charge or a release), or the amount is not positive.
    Uncovered,
    /// The same credit of a period or charge of a month is already there.
    Duplicate,
    Db(diesel::result::Error),
}

impl From<diesel::result::Error> for PostError {
    fn from(error: diesel::result::Error) -> Self {
        match error {
            diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => {
                PostError::Duplicate
            }
            other => PostError::Db(other),
        }
    }
}

/// Applies `m`: all of it or nothing.
pub fn post(conn: &mut DbConn, m: &Movement<'_>) -> Result<(), PostError> {
    if m.amount <= 0 {
        return Err(PostError::Uncovered);
    }
    conn.transaction(|conn| {
        let changed =
            if m.account == Account::Personified { move_personified(conn, m)? } else { move_social(conn, m)? };
        if changed == 0 {
            return Err(PostError::Uncovered);
        }
        let at = now();
        diesel::insert_into(l::table)
            .values((
                l::certificate_id.eq(m.certificate_id),
                l::kind.eq(m.kind.as_str()),
                l::account.eq(m.account),
                l::amount.eq(m.amount),
                l::period_id.eq(m.period_id),
                l::contract_id.eq(m.contract_id),
                l::month.eq(m.month),
                l::reason.eq(m.reason),
                l::created_by.eq(m.created_by),
                l::created_at.eq(at),
            ))
            .execute(conn)?;
        super::tally::count(conn, m, crate::clock::day_of(at))?;
        Ok(())
    })
}

/// The conditional update of one movement on the sums of table `$t` (the
/// certificate's row, or a social account's row `$row`): a sum it takes
/// from must cover it, so 0 rows when it does not. One set of rules for
/// every account.
macro_rules! move_sums {
    ($conn:expr, $row:expr, $t:ident, $kind:expr, $a:expr) => {{
        let (row, a) = ($row, $a);
        match $kind {
            LedgerKind::Credit => diesel::update(row)
                .set(($t::credited.eq($t::credited + a), $t::available.eq($t::available + a)))
                .execute($conn),
            LedgerKind::Reserve => diesel::update(row.filter($t::available.ge(a)))
                .set(($t::available.eq($t::available - a), $t::reserved.eq($t::reserved + a)))
                .execute($conn),
            LedgerKind::Charge => diesel::update(row.filter($t::reserved.ge(a)))
                .set(($t::reserved.eq($t::reserved - a), $t::spent.eq($t::spent + a)))
                .execute($conn),
            LedgerKind::Release => diesel::update(row.filter($t::reserved.ge(a)))
                .set(($t::reserved.eq($t::reserved - a), $t::available.eq($t::available + a)))
                .execute($conn),
            LedgerKind::Expire => diesel::update(row.filter($t::available.ge(a)))
                .set(($t::available.eq($t::available - a), $t::credited.eq($t::credited - a)))
                .execute($conn),
            LedgerKind::Refund => diesel::update(row.filter($t::spent.ge(a)))
                .set(($t::spent.eq($t::spent - a), $t::reserved.eq($t::reserved + a)))
                .execute($conn),
        }
    }};
}

/// Moves the ПФДО sums kept on the certificate's row.
fn move_personified(conn: &mut DbConn, m: &Movement<'_>) -> QueryResult<usize> {
    move_sums!(conn, c::table.find(m.certificate_id), c, m.kind, m.amount)
}

/// Moves the sums of a social account (its row is made by the first credit).
fn move_social(conn: &mut DbConn, m: &Movement<'_>) -> QueryResult<usize> {
    if m.kind == LedgerKind::Credit {
        crate::db::insert_unique(conn, |conn| {
            diesel::insert_into(ca::table)
                .values((ca::certificate_id.eq(m.certificate_id), ca::account.eq(m.account)))
                .execute(conn)
        })?;
    }
    let row = ca::table.filter(ca::certificate_id.eq(m.certificate_id)).filter(ca::account.eq(m.account));
    move_sums!(conn, row, ca, m.kind, m.amount)
}

/// The certificate ended (excluded from the registry): what it still has
/// free is withdrawn by an `expire` entry, so no sum outlives it. Its
/// contracts' reserves must have been released first. Returns the sum.
pub fn withdraw_remainder(
    conn: &mut DbConn,
    (certificate_id, account): (CertificateId, Account),
    reason: &str,
    by: i64,
) -> Result<i64, PostError> {
    let available = balance_of(conn, certificate_id, account)?.available;
    if available <= 0 {
        return Ok(0);
    }
    let movement = Movement {
        certificate_id,
        account,
        kind: LedgerKind::Expire,
        amount: available,
        period_id: None,
        contract_id: None,
        month: None,
        reason,
        created_by: Some(by),
    };
    post(conn, &movement).map(|()| available)
}

pub fn balance(conn: &mut DbConn, certificate_id: CertificateId) -> QueryResult<Balance> {
    let (credited, available, reserved, spent) = c::table
        .find(certificate_id)
        .select((c::credited, c::available, c::reserved, c::spent))
        .first::<(i64, i64, i64, i64)>(conn)?;
    Ok(Balance { credited, available, reserved, spent })
}

/// The sums of one of the certificate's accounts (zero for a social account
/// never credited).
pub fn balance_of(conn: &mut DbConn, certificate_id: CertificateId, account: Account) -> QueryResult<Balance> {
    if account == Account::Personified {
        return balance(conn, certificate_id);
    }
    let sums: Option<(i64, i64, i64, i64)> = ca::table
        .filter(ca::certificate_id.eq(certificate_id))
        .filter(ca::account.eq(account))
        .select((ca::credited, ca::available, ca::reserved, ca::spent))
        .first(conn)
        .optional()?;
    let (credited, available, reserved, spent) = sums.unwrap_or_default();
    Ok(Balance { credited, available, reserved, spent })
}

/// The social accounts a certificate holds, with their sums.
pub fn social_balances(conn: &mut DbConn, certificate_id: CertificateId) -> QueryResult<Vec<(Account, Balance)>> {
    let rows: Vec<(Account, i64, i64, i64, i64)> = ca::table
        .filter(ca::certificate_id.eq(certificate_id))
        .order(ca::account)
        .select((ca::account, ca::credited, ca::available, ca::reserved, ca::spent))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(account, credited, available, reserved, spent)| {
            (account, Balance { credited, available, reserved, spent })
        })
        .collect())
}

/// The sums of an account recomputed from its entries, to check the kept ones against.
pub fn balance_of_entries(conn: &mut DbConn, certificate_id: CertificateId, account: Account) -> QueryResult<Balance> {
    let entries: Vec<(String, i64)> = l::table
        .filter(l::certificate_id.eq(certificate_id))
        .filter(l::account.eq(account))
        .select((l::kind, l::amount))
        .load(conn)?;
    let mut b = Balance::default();
    for (kind, amount) in entries {
        let Some(kind) = LedgerKind::parse(&kind) else { continue };
        let e = kind.effect(amount);
        b.available += e.available;
        b.reserved += e.reserved;
        b.spent += e.spent;
        b.credited += e.available + e.reserved + e.spent;
    }
    Ok(b)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = l)]
pub struct EntryRow {
    pub id: i64,
    pub account: Account,
    pub kind: LedgerKind,
    pub amount: i64,
    pub month: Option<NaiveDate>,
    pub contract_id: Option<i64>,
    pub reason: String,
    pub created_at: NaiveDateTime,
}

/// Entries of a certificate, newest first.
/// A page of the certificate's entries, newest first, with their number.
pub fn entries(
    conn: &mut DbConn,
    certificate_id: CertificateId,
    (page, per_page): (i64, i64),
) -> QueryResult<(Vec<EntryRow>, i64)> {
    use crate::db::Paginate;
    let total = l::table.filter(l::certificate_id.eq(certificate_id)).count().get_result(conn)?;
    let rows = l::table
        .filter(l::certificate_id.eq(certificate_id))
        .order(l::id.desc())
        .select(EntryRow::as_select())
        .paginate(page, per_page)
        .load(conn)?;
    Ok((rows, total))
}

/// Whether the period's nominal has been credited to the certificate.
/// Periods that ended before `today`, credited to the certificate and not yet
/// expired on it: `(period id, year, ends_on, account)`, oldest first.
pub fn unexpired_ended(
    conn: &mut DbConn,
    certificate_id: CertificateId,
    today: chrono::NaiveDate,
) -> QueryResult<Vec<(i64, i32, chrono::NaiveDate, Account)>> {
    use crate::db::schema::funding_periods as fp;
    use navigator_shared::funding::{FundingKind, Unit};
    let e = diesel::alias!(crate::db::schema::ledger_entries as expired);
    let rows: Vec<(i64, i32, chrono::NaiveDate, FundingKind, Unit)> = l::table
        .inner_join(fp::table.on(fp::id.nullable().eq(l::period_id)))
        .filter(l::certificate_id.eq(certificate_id))
        .filter(l::kind.eq(LedgerKind::Credit))
        .filter(fp::ends_on.lt(today))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            e.filter(e.field(l::kind).eq("expire"))
                .filter(e.field(l::certificate_id).eq(l::certificate_id))
                .filter(e.field(l::period_id).eq(l::period_id)),
        )))
        .order(fp::ends_on)
        .select((fp::id, fp::year, fp::ends_on, fp::kind, fp::unit))
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, year, ends, kind, unit)| (id, year, ends, Account::of(kind, unit))).collect())
}

/// Certificates credited from `period` with money still available.
pub fn with_available_from(conn: &mut DbConn, period: i64) -> QueryResult<Vec<CertificateId>> {
    l::table
        .inner_join(c::table)
        .filter(l::kind.eq(LedgerKind::Credit))
        .filter(l::period_id.eq(period))
        // A social account's sums are in its own row: those are all looked at.
        .filter(l::account.ne(Account::Personified).or(c::available.gt(0)))
        .select(l::certificate_id)
        .load(conn)
}

pub fn credited_for(conn: &mut DbConn, certificate_id: CertificateId, period_id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        l::table
            .filter(l::certificate_id.eq(certificate_id))
            .filter(l::period_id.eq(period_id))
            .filter(l::kind.eq(LedgerKind::Credit)),
    ))
    .get_result(conn)
}
