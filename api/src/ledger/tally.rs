//! Tallies of the ledger kept by the transaction of each entry, so the
//! statistics read a few rows instead of the whole ledger:
//! - `ledger_months`: the rouble charges and refunds by the child's
//!   municipality, the contract's organization and the month;
//! - `period_movements`: the sums by kind of the entries on the certificates a
//!   funding period credited, made within the period's dates.
//!
//! [`rebuild`] computes both from the entries (after a bulk load); the
//! incremental [`count`] keeps them equal to it.

use chrono::NaiveDate;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use navigator_shared::funding::{Account, LedgerKind, Unit};

use super::repo::Movement;
use crate::db::DbConn;
use crate::db::schema::{
    certificates as c, children as ch, contracts as k, funding_periods as fp, ledger_entries as l, ledger_months as lm,
    period_movements as pm,
};

/// Adds the entry `m`, just written on `day`, to the tallies.
pub fn count(conn: &mut DbConn, m: &Movement<'_>, day: NaiveDate) -> QueryResult<()> {
    count_month(conn, m)?;
    let periods: Vec<i64> = l::table
        .inner_join(fp::table.on(fp::id.nullable().eq(l::period_id)))
        .filter(l::certificate_id.eq(m.certificate_id))
        .filter(l::kind.eq(LedgerKind::Credit))
        .filter(l::account.eq(m.account))
        .filter(fp::starts_on.le(day))
        .filter(fp::ends_on.ge(day))
        .select(fp::id)
        .load(conn)?;
    for period in periods {
        let row = pm::table.filter(pm::period_id.eq(period)).filter(pm::kind.eq(m.kind.as_str()));
        upsert(
            conn,
            |conn| diesel::update(row).set(pm::amount.eq(pm::amount + m.amount)).execute(conn),
            |conn| {
                diesel::insert_into(pm::table)
                    .values((pm::period_id.eq(period), pm::kind.eq(m.kind.as_str()), pm::amount.eq(m.amount)))
                    .execute(conn)
            },
        )?;
    }
    Ok(())
}

/// A rouble charge or refund of a contract's month, in `ledger_months`.
fn count_month(conn: &mut DbConn, m: &Movement<'_>) -> QueryResult<()> {
    let charge = match m.kind {
        LedgerKind::Charge => true,
        LedgerKind::Refund => false,
        _ => return Ok(()),
    };
    let (Some(contract), Some(month)) = (m.contract_id, m.month) else { return Ok(()) };
    if m.account.unit() != Unit::Rub {
        return Ok(());
    }
    let municipality: i64 = c::table
        .inner_join(ch::table.on(ch::id.eq(c::child_id)))
        .filter(c::id.eq(m.certificate_id))
        .select(ch::municipality_id)
        .first(conn)?;
    let organization: i64 = k::table.find(contract).select(k::organization_id).first(conn)?;
    // The entry is written: the certificate's first charge of the month is the only one.
    let first_of_month = charge
        && l::table
            .filter(l::certificate_id.eq(m.certificate_id))
            .filter(l::month.eq(month))
            .filter(l::kind.eq(LedgerKind::Charge))
            .filter(l::account.eq_any(ROUBLES))
            .count()
            .get_result::<i64>(conn)?
            == 1;
    let (charged, refunded) = if charge { (m.amount, 0) } else { (0, m.amount) };
    let (charges, children) = (i64::from(charge), i64::from(first_of_month));
    let row = lm::table
        .filter(lm::municipality_id.eq(municipality))
        .filter(lm::organization_id.eq(organization))
        .filter(lm::month.eq(month));
    upsert(
        conn,
        |conn| {
            diesel::update(row)
                .set((
                    lm::charged.eq(lm::charged + charged),
                    lm::refunded.eq(lm::refunded + refunded),
                    lm::charges.eq(lm::charges + charges),
                    lm::children.eq(lm::children + children),
                ))
                .execute(conn)
        },
        |conn| {
            diesel::insert_into(lm::table)
                .values((
                    lm::municipality_id.eq(municipality),
                    lm::organization_id.eq(organization),
                    lm::month.eq(month),
                    lm::charged.eq(charged),
                    lm::refunded.eq(refunded),
                    lm::charges.eq(charges),
                    lm::children.eq(children),
                ))
                .execute(conn)
        },
    )
}

/// The accounts counted in roubles.
pub const ROUBLES: [Account; 2] = [Account::Personified, Account::SocialRub];

/// Adds to a tally's row, making it first when there is none; a row made by
/// a concurrent transaction meanwhile is added to.
fn upsert(
    conn: &mut DbConn,
    mut add: impl FnMut(&mut DbConn) -> QueryResult<usize>,
    make: impl FnOnce(&mut DbConn) -> QueryResult<usize>,
) -> QueryResult<()> {
    if add(conn)? == 0 && crate::db::insert_unique(conn, make)?.is_none() {
        add(conn)?;
    }
    Ok(())
}

/// `ledger_months` from the ledger (the same statement as the migration that made it).
const MONTHS: &str =
    "INSERT INTO ledger_months (municipality_id, organization_id, month, charged, refunded, charges, children)
SELECT municipality_id, organization_id, month, SUM(charged), SUM(refunded), SUM(charges), SUM(children)
FROM (
    SELECT ch.municipality_id, k.organization_id, l.month,
           CASE WHEN l.kind = 'charge' THEN l.amount ELSE 0 END AS charged,
           CASE WHEN l.kind = 'refund' THEN l.amount ELSE 0 END AS refunded,
           CASE WHEN l.kind = 'charge' THEN 1 ELSE 0 END AS charges,
           0 AS children
    FROM ledger_entries l
    JOIN contracts k ON k.id = l.contract_id
    JOIN certificates c ON c.id = l.certificate_id
    JOIN children ch ON ch.id = c.child_id
    WHERE l.kind IN ('charge', 'refund') AND l.account IN ('personified', 'social_rub') AND l.month IS NOT NULL
    UNION ALL
    -- Each certificate's first charge of a month.
    SELECT ch.municipality_id, k.organization_id, l.month, 0, 0, 0, 1
    FROM (SELECT MIN(id) AS id FROM ledger_entries
          WHERE kind = 'charge' AND account IN ('personified', 'social_rub') AND month IS NOT NULL
          GROUP BY certificate_id, month) f
    JOIN ledger_entries l ON l.id = f.id
    JOIN contracts k ON k.id = l.contract_id
    JOIN certificates c ON c.id = l.certificate_id
    JOIN children ch ON ch.id = c.child_id
) t
GROUP BY municipality_id, organization_id, month";

/// `period_movements` from the ledger; `{day}` is the region's day of an
/// entry's moment (`clock::day_of`) in the backend's SQL.
const PERIODS: &str = "INSERT INTO period_movements (period_id, kind, amount)
SELECT fp.id, l.kind, SUM(l.amount)
FROM funding_periods fp
JOIN ledger_entries cr ON cr.period_id = fp.id AND cr.kind = 'credit'
JOIN ledger_entries l ON l.certificate_id = cr.certificate_id AND l.account = cr.account
WHERE {day} BETWEEN fp.starts_on AND fp.ends_on
GROUP BY fp.id, l.kind";

/// Computes the tallies anew from the ledger: after entries were written
/// in bulk (the demo data), or to check the incremental ones.
pub fn rebuild(conn: &mut DbConn) -> QueryResult<()> {
    let day = crate::clock::day_of_sql(conn, "l.created_at");
    conn.transaction(|conn| {
        diesel::delete(lm::table).execute(conn)?;
        diesel::delete(pm::table).execute(conn)?;
        conn.batch_execute(MONTHS)?;
        conn.batch_execute(&PERIODS.replace("{day}", &day))
    })
}

/// A row of `ledger_months`.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct MonthRow {
    pub municipality_id: i64,
    pub organization_id: i64,
    pub month: NaiveDate,
    pub charged: i64,
    pub refunded: i64,
    pub charges: i64,
    pub children: i64,
}

/// A row of `period_movements`: period, kind, amount.
pub type PeriodRow = (i64, String, i64);

/// Both tallies in key order: to compare the kept ones with a rebuild.
pub fn all(conn: &mut DbConn) -> QueryResult<(Vec<MonthRow>, Vec<PeriodRow>)> {
    let months = lm::table.order((lm::municipality_id, lm::organization_id, lm::month)).load(conn)?;
    let periods =
        pm::table.order((pm::period_id, pm::kind)).select((pm::period_id, pm::kind, pm::amount)).load(conn)?;
    Ok((months, periods))
}
