//! Diesel queries of the statistics: each counts in the database and brings
//! back grouped rows, never the records themselves.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{count, count_star, sql};
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use navigator_shared::applications::ApplicationStatus;
use navigator_shared::catalog::{Direction, ProgramStatus};
use navigator_shared::children::{CertificateKind, CertificateStatus, Sex};
use navigator_shared::funding::{Account, LedgerKind};

use crate::db::DbConn;
use crate::db::schema::{
    applications as a, certificates as c, children as ch, contracts as k, funding_periods as fp, ledger_entries as l,
    municipalities as m, municipality_populations as mp, organizations as o, program_groups as g, programs as p,
};

/// Application statuses of a child who studied in a group.
pub const STUDIED: [ApplicationStatus; 3] =
    [ApplicationStatus::Enrolled, ApplicationStatus::Completed, ApplicationStatus::Expelled];

/// The accounts counted in roubles.
pub const ROUBLE_ACCOUNTS: [Account; 2] = [Account::Personified, Account::SocialRub];

/// A child of the registry born in a window, with the best status of its certificates.
#[derive(Debug, Clone, Queryable)]
pub struct RegisteredChild {
    pub id: i64,
    pub municipality_id: i64,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub certificate: Option<CertificateStatus>,
}

/// Children born within `born` of the territory, one row per child and
/// certificate (a child without a certificate once, with `None`).
pub fn registered(
    conn: &mut DbConn,
    municipality: Option<i64>,
    born: (NaiveDate, NaiveDate),
    issued_by: NaiveDateTime,
) -> QueryResult<Vec<RegisteredChild>> {
    let mut query = ch::table
        .left_join(c::table.on(c::child_id.eq(ch::id).and(c::created_at.le(issued_by))))
        .filter(ch::birth_date.between(born.0, born.1))
        .select((ch::id, ch::municipality_id, ch::birth_date, ch::sex, c::status.nullable()))
        .into_boxed();
    if let Some(own) = municipality {
        query = query.filter(ch::municipality_id.eq(own));
    }
    query.load(conn)
}

/// One child's studies in a group that overlaps the range.
#[derive(Debug, Clone, Queryable)]
pub struct Study {
    pub child_id: i64,
    pub municipality_id: i64,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub direction: Direction,
    pub disability_friendly: bool,
    pub starts: NaiveDate,
    pub ends: NaiveDate,
    pub status: ApplicationStatus,
    pub updated_at: NaiveDateTime,
}

/// Enrolments (enrolled, finished or expelled) of the territory's children
/// whose group's dates overlap `from..=to`.
pub fn studies(
    conn: &mut DbConn,
    municipality: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<Study>> {
    let mut query = a::table
        .inner_join(ch::table.on(ch::id.eq(a::child_id)))
        .inner_join(g::table.on(g::id.eq(a::group_id)))
        .inner_join(p::table.on(p::id.eq(a::program_id)))
        .filter(a::status.eq_any(STUDIED))
        .filter(g::start_date.le(to))
        .filter(g::end_date.ge(from))
        .select((
            a::child_id,
            ch::municipality_id,
            ch::birth_date,
            ch::sex,
            p::direction,
            p::disability_friendly,
            g::start_date,
            g::end_date,
            a::status,
            a::updated_at,
        ))
        .into_boxed();
    if let Some(own) = municipality {
        query = query.filter(ch::municipality_id.eq(own));
    }
    query.load(conn)
}

/// The municipalities of the territory: id and name.
pub fn municipalities(conn: &mut DbConn, municipality: Option<i64>) -> QueryResult<Vec<(i64, String)>> {
    let mut query = m::table.select((m::id, m::name)).order(m::name).into_boxed();
    if let Some(own) = municipality {
        query = query.filter(m::id.eq(own));
    }
    query.load(conn)
}

/// The children's population figures of `year` or earlier: `(municipality, year, children)`, newest first.
pub fn populations(conn: &mut DbConn, year: i32) -> QueryResult<Vec<(i64, i32, i64)>> {
    mp::table
        .filter(mp::year.le(year))
        .order((mp::municipality_id, mp::year.desc()))
        .select((mp::municipality_id, mp::year, mp::children))
        .load(conn)
}

/// Certificates of the territory's children issued by `issued_by`: `(status, kind, count)`.
pub fn certificates(
    conn: &mut DbConn,
    municipality: Option<i64>,
    issued_by: NaiveDateTime,
) -> QueryResult<Vec<(CertificateStatus, CertificateKind, i64)>> {
    let mut query = c::table
        .inner_join(ch::table.on(ch::id.eq(c::child_id)))
        .filter(c::created_at.le(issued_by))
        .group_by((c::status, c::kind))
        .select((c::status, c::kind, count_star()))
        .into_boxed();
    if let Some(own) = municipality {
        query = query.filter(ch::municipality_id.eq(own));
    }
    query.load(conn)
}

/// A funding period and its limits.
#[derive(Debug, Clone, Queryable)]
pub struct Period {
    pub id: i64,
    pub municipality: String,
    pub year: i32,
    pub kind: String,
    pub unit: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub max_certificates: i32,
    pub funded_count: i32,
    pub max_volume: i64,
    pub funded_volume: i64,
}

/// The territory's funding periods that overlap the range.
pub fn periods(
    conn: &mut DbConn,
    municipality: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<Period>> {
    let mut query = fp::table
        .inner_join(m::table.on(m::id.eq(fp::municipality_id)))
        .filter(fp::starts_on.le(to))
        .filter(fp::ends_on.ge(from))
        .order((m::name, fp::year, fp::kind, fp::unit))
        .select((
            fp::id,
            m::name,
            fp::year,
            fp::kind,
            fp::unit,
            fp::starts_on,
            fp::ends_on,
            fp::max_certificates,
            fp::funded_count,
            fp::max_volume,
            fp::funded_volume,
        ))
        .into_boxed();
    if let Some(own) = municipality {
        query = query.filter(fp::municipality_id.eq(own));
    }
    query.load(conn)
}

/// A sum of `ledger_entries.amount` that is a BIGINT on both backends.
fn amount_sum() -> diesel::expression::SqlLiteral<BigInt> {
    sql::<BigInt>("CAST(COALESCE(SUM(ledger_entries.amount), 0) AS BIGINT)")
}

/// The sums by kind of the ledger entries of the certificates a period
/// credited, on the period's account, made within the period's dates.
pub fn period_movements(conn: &mut DbConn, period: &Period) -> QueryResult<Vec<(LedgerKind, i64)>> {
    let credited = diesel::alias!(crate::db::schema::ledger_entries as credited);
    let account = Account::of(
        navigator_shared::funding::FundingKind::parse(&period.kind)
            .unwrap_or(navigator_shared::funding::FundingKind::Personified),
        navigator_shared::funding::Unit::parse(&period.unit).unwrap_or(navigator_shared::funding::Unit::Rub),
    );
    let (start, end) = (
        period.starts_on.and_time(chrono::NaiveTime::MIN),
        (period.ends_on + chrono::Days::new(1)).and_time(chrono::NaiveTime::MIN),
    );
    l::table
        .filter(l::account.eq(account.as_str()))
        .filter(l::created_at.ge(start))
        .filter(l::created_at.lt(end))
        .filter(
            l::certificate_id.eq_any(
                credited
                    .filter(credited.field(l::period_id).eq(period.id))
                    .filter(credited.field(l::kind).eq(LedgerKind::Credit))
                    .select(credited.field(l::certificate_id)),
            ),
        )
        .group_by(l::kind)
        .select((l::kind, amount_sum()))
        .load(conn)
}

/// The charges and refunds of rouble accounts whose month is within `months`
/// (a macro: each use groups them its own way before it is boxed).
macro_rules! ledger_months {
    ($months:expr) => {
        l::table
            .inner_join(k::table.on(k::id.nullable().eq(l::contract_id)))
            .inner_join(c::table.on(c::id.eq(l::certificate_id)))
            .inner_join(ch::table.on(ch::id.eq(c::child_id)))
            .filter(l::kind.eq_any([LedgerKind::Charge, LedgerKind::Refund]))
            .filter(l::account.eq_any(ROUBLE_ACCOUNTS.map(|a| a.as_str())))
            .filter(l::month.between($months.0, $months.1))
    };
}

/// Charged money by kind (charges, refunds): the sum and the certificates it touched.
pub type Sums = (LedgerKind, i64, i64);

/// The sums of the range by kind.
pub fn charged(conn: &mut DbConn, municipality: Option<i64>, months: (NaiveDate, NaiveDate)) -> QueryResult<Vec<Sums>> {
    let mut query = ledger_months!(months)
        .group_by(l::kind)
        .select((l::kind, amount_sum(), count(l::certificate_id).aggregate_distinct()))
        .into_boxed();
    if let Some(own) = municipality {
        query = query.filter(ch::municipality_id.eq(own));
    }
    query.load(conn)
}

/// The sums by month and kind.
pub fn charged_by_month(
    conn: &mut DbConn,
    municipality: Option<i64>,
    months: (NaiveDate, NaiveDate),
) -> QueryResult<Vec<(Option<NaiveDate>, Sums)>> {
    let mut query = ledger_months!(months)
        .group_by((l::month, l::kind))
        .select((l::month, l::kind, amount_sum(), count(l::certificate_id).aggregate_distinct()))
        .into_boxed();
    if let Some(own) = municipality {
        query = query.filter(ch::municipality_id.eq(own));
    }
    let rows: Vec<(Option<NaiveDate>, LedgerKind, i64, i64)> = query.load(conn)?;
    Ok(rows.into_iter().map(|(month, kind, sum, n)| (month, (kind, sum, n))).collect())
}

/// The sums by the contract's organization and kind.
pub fn charged_by_organization(
    conn: &mut DbConn,
    municipality: Option<i64>,
    months: (NaiveDate, NaiveDate),
) -> QueryResult<Vec<(i64, Sums)>> {
    let mut query = ledger_months!(months)
        .group_by((k::organization_id, l::kind))
        .select((k::organization_id, l::kind, amount_sum(), count(l::certificate_id).aggregate_distinct()))
        .into_boxed();
    if let Some(own) = municipality {
        query = query.filter(ch::municipality_id.eq(own));
    }
    let rows: Vec<(i64, LedgerKind, i64, i64)> = query.load(conn)?;
    Ok(rows.into_iter().map(|(organization, kind, sum, n)| (organization, (kind, sum, n))).collect())
}

/// Names of organizations.
pub fn organization_names(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    let mut names = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        names.extend(o::table.filter(o::id.eq_any(chunk)).select((o::id, o::name)).load::<(i64, String)>(conn)?);
    }
    Ok(names)
}

/// Programs of the territory by direction and status.
pub fn programs(conn: &mut DbConn, municipality: Option<i64>) -> QueryResult<Vec<(Direction, ProgramStatus, i64)>> {
    let mut query =
        p::table.group_by((p::direction, p::status)).select((p::direction, p::status, count_star())).into_boxed();
    if let Some(own) = municipality {
        query = query.filter(p::municipality_id.eq(own));
    }
    query.load(conn)
}

/// Places of the territory's groups that overlap the range, by direction:
/// `(direction, capacity, enrolled)`.
pub fn places(
    conn: &mut DbConn,
    municipality: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<(Direction, i64, i64)>> {
    let mut query = g::table
        .inner_join(p::table.on(p::id.eq(g::program_id)))
        .filter(g::start_date.le(to))
        .filter(g::end_date.ge(from))
        .group_by(p::direction)
        .select((
            p::direction,
            sql::<BigInt>("CAST(COALESCE(SUM(program_groups.capacity), 0) AS BIGINT)"),
            sql::<BigInt>("CAST(COALESCE(SUM(program_groups.enrolled), 0) AS BIGINT)"),
        ))
        .into_boxed();
    if let Some(own) = municipality {
        query = query.filter(p::municipality_id.eq(own));
    }
    query.load(conn)
}

/// Waiting lists of the territory's programs by organization: `(organization, applications, children)`.
pub fn waiting(conn: &mut DbConn, municipality: Option<i64>) -> QueryResult<Vec<(i64, i64, i64)>> {
    let mut query = a::table
        .inner_join(p::table.on(p::id.eq(a::program_id)))
        .filter(a::status.eq(ApplicationStatus::Waiting))
        .group_by(a::organization_id)
        .select((a::organization_id, count_star(), count(a::child_id).aggregate_distinct()))
        .into_boxed();
    if let Some(own) = municipality {
        query = query.filter(p::municipality_id.eq(own));
    }
    query.load(conn)
}

/// Applications to the territory's programs made within the range, by status.
pub fn applications(
    conn: &mut DbConn,
    municipality: Option<i64>,
    within: (NaiveDateTime, NaiveDateTime),
) -> QueryResult<Vec<(ApplicationStatus, i64)>> {
    let mut query = a::table
        .inner_join(p::table.on(p::id.eq(a::program_id)))
        .filter(a::created_at.ge(within.0))
        .filter(a::created_at.lt(within.1))
        .group_by(a::status)
        .select((a::status, count_star()))
        .into_boxed();
    if let Some(own) = municipality {
        query = query.filter(p::municipality_id.eq(own));
    }
    query.load(conn)
}

/// Decisions on the territory's applications made within the range:
/// `(organization, applied at, decided at)`.
pub fn decisions(
    conn: &mut DbConn,
    municipality: Option<i64>,
    within: (NaiveDateTime, NaiveDateTime),
) -> QueryResult<Vec<(i64, NaiveDateTime, Option<NaiveDateTime>)>> {
    let mut query = a::table
        .inner_join(p::table.on(p::id.eq(a::program_id)))
        .filter(a::decided_at.ge(within.0))
        .filter(a::decided_at.lt(within.1))
        .select((a::organization_id, a::created_at, a::decided_at))
        .into_boxed();
    if let Some(own) = municipality {
        query = query.filter(p::municipality_id.eq(own));
    }
    query.load(conn)
}
