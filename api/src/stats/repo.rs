//! Diesel queries of the statistics: each counts in the database and brings
//! back grouped rows, never the records themselves.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{count, count_star, sql};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};
use navigator_shared::applications::ApplicationStatus;
use navigator_shared::catalog::{Direction, ProgramStatus};
use navigator_shared::children::{CertificateKind, CertificateStatus, Sex};
use navigator_shared::funding::LedgerKind;

use crate::db::DbConn;
use crate::db::schema::{
    applications as a, certificates as c, funding_periods as fp, ledger_months as lm, municipalities as m,
    municipality_populations as mp, organizations as o, period_movements as pm, program_groups as g, programs as p,
    study_spans as s,
};

/// The registry's children of one age band, municipality and sex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    pub municipality_id: i64,
    pub sex: Sex,
    /// The index of the band in `bands`.
    pub band: usize,
    pub children: i64,
    /// Children holding a certificate issued by then: pending or active.
    pub with_certificate: i64,
    pub with_active: i64,
}

/// A row of [`CHILDREN`] or [`CERTIFICATES`].
#[derive(QueryableByName)]
struct RegisteredRow {
    #[diesel(sql_type = BigInt)]
    municipality_id: i64,
    #[diesel(sql_type = Text)]
    sex: Sex,
    #[diesel(sql_type = Integer)]
    band: i32,
    #[diesel(sql_type = BigInt)]
    children: i64,
    #[diesel(sql_type = BigInt)]
    with_certificate: i64,
    #[diesel(sql_type = BigInt)]
    with_active: i64,
}

/// The band of a birth date `{band0}`, `{band1}` being the first days of the
/// youngest two bands.
const BAND: &str = "CASE WHEN birth_date >= '{band0}' THEN 0 WHEN birth_date >= '{band1}' THEN 1 ELSE 2 END";

/// The children by municipality, sex and age band, read from the index
/// `children_birth` alone. Written as SQL for the band's CASE; `{…}` are the
/// server's own dates, times and ids (never the caller's text), put in as
/// SQL literals.
const CHILDREN: &str = "SELECT municipality_id, sex, {band} AS band,
       COUNT(*) AS children, CAST(0 AS BIGINT) AS with_certificate, CAST(0 AS BIGINT) AS with_active
FROM children
WHERE birth_date BETWEEN '{earliest}' AND '{latest}' {territory}
GROUP BY municipality_id, sex, band";

/// The certificates issued by `{issued_by}` likewise, by the copy of their
/// child's facts (`studies`), read from the index `certificates_registry`
/// alone. A child has at most one certificate.
const CERTIFICATES: &str = "SELECT municipality_id, sex, {band} AS band, CAST(0 AS BIGINT) AS children,
       CAST(SUM(CASE WHEN status IN ('pending', 'active') THEN 1 ELSE 0 END) AS BIGINT) AS with_certificate,
       CAST(SUM(CASE WHEN status = 'active' THEN 1 ELSE 0 END) AS BIGINT) AS with_active
FROM certificates
WHERE birth_date BETWEEN '{earliest}' AND '{latest}' AND created_at <= '{issued_by}' {territory}
GROUP BY municipality_id, sex, band";

/// The territory's children born within the coverage `bands` (birth dates,
/// both ends included, youngest band first, the bands adjoining), with
/// their certificates issued by `issued_by`: counted in the database, a few
/// rows per municipality.
pub fn registered(
    conn: &mut DbConn,
    municipality: Option<i64>,
    bands: [(NaiveDate, NaiveDate); 3],
    issued_by: NaiveDateTime,
) -> QueryResult<Vec<Registered>> {
    let band = BAND
        .replace("{band0}", &bands[0].0.format("%F").to_string())
        .replace("{band1}", &bands[1].0.format("%F").to_string());
    let mut counted: Vec<Registered> = Vec::new();
    for query in [CHILDREN, CERTIFICATES] {
        let sql = query
            .replace("{band}", &band)
            .replace("{issued_by}", &issued_by.format("%F %T").to_string())
            .replace("{earliest}", &bands[2].0.format("%F").to_string())
            .replace("{latest}", &bands[0].1.format("%F").to_string())
            .replace("{territory}", &municipality.map_or(String::new(), |m| format!("AND municipality_id = {m}")));
        let rows: Vec<RegisteredRow> = match conn {
            DbConn::Sqlite(lite) => diesel::sql_query(sql).load(lite)?,
            DbConn::Postgresql(pg) => diesel::sql_query(sql).load(pg)?,
        };
        for r in rows {
            let band = usize::try_from(r.band).unwrap_or(0);
            let at =
                counted.iter().position(|c| (c.municipality_id, c.sex, c.band) == (r.municipality_id, r.sex, band));
            let i = at.unwrap_or_else(|| {
                counted.push(Registered {
                    municipality_id: r.municipality_id,
                    sex: r.sex,
                    band,
                    children: 0,
                    with_certificate: 0,
                    with_active: 0,
                });
                counted.len() - 1
            });
            let row = &mut counted[i];
            row.children += r.children;
            row.with_certificate += r.with_certificate;
            row.with_active += r.with_active;
        }
    }
    Ok(counted)
}

/// The days a child studied in a group (a row of `study_spans`, [`crate::studies`]).
#[derive(Debug, Clone, Queryable)]
pub struct Study {
    pub child_id: i64,
    pub municipality_id: i64,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub direction: Direction,
    pub disability_friendly: bool,
    /// The group's first day.
    pub starts: NaiveDate,
    /// The group's last day, or the day of the expulsion.
    pub ends: NaiveDate,
}

/// The territory's children's studies on some day of `from..=to`.
pub fn studies(
    conn: &mut DbConn,
    municipality: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<Study>> {
    let mut query = s::table
        .filter(s::starts.le(to))
        .filter(s::ends.ge(from))
        .filter(s::ends.ge(s::starts))
        .select((
            s::child_id,
            s::municipality_id,
            s::birth_date,
            s::sex,
            s::direction,
            s::disability_friendly,
            s::starts,
            s::ends,
        ))
        .into_boxed();
    if let Some(own) = municipality {
        query = query.filter(s::municipality_id.eq(own));
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

/// Certificates of the territory's children issued by `issued_by`:
/// `(status, kind, count)`, by the copy of the child's municipality.
pub fn certificates(
    conn: &mut DbConn,
    municipality: Option<i64>,
    issued_by: NaiveDateTime,
) -> QueryResult<Vec<(CertificateStatus, CertificateKind, i64)>> {
    let mut query = c::table
        .filter(c::created_at.le(issued_by))
        .group_by((c::status, c::kind))
        .select((c::status, c::kind, count_star()))
        .into_boxed();
    if let Some(own) = municipality {
        query = query.filter(c::municipality_id.eq(own));
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

/// The sums by kind of the entries on the certificates `period` credited,
/// made within its dates (kept by the ledger's tally).
pub fn period_movements(conn: &mut DbConn, periods: &[i64]) -> QueryResult<Vec<(i64, LedgerKind, i64)>> {
    pm::table.filter(pm::period_id.eq_any(periods)).select((pm::period_id, pm::kind, pm::amount)).load(conn)
}

/// A BIGINT sum of a column of `ledger_months` on both backends.
macro_rules! month_sum {
    ($column:literal) => {
        sql::<BigInt>(concat!("CAST(COALESCE(SUM(ledger_months.", $column, "), 0) AS BIGINT)"))
    };
}

/// The certificates' rouble money of some months: charged, refunded, the
/// charges (one per contract and month) and the children charged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Queryable)]
pub struct Charges {
    pub charged: i64,
    pub refunded: i64,
    pub charges: i64,
    pub children: i64,
}

impl std::ops::Add for Charges {
    type Output = Charges;

    fn add(self, other: Charges) -> Charges {
        Charges {
            charged: self.charged + other.charged,
            refunded: self.refunded + other.refunded,
            charges: self.charges + other.charges,
            children: self.children + other.children,
        }
    }
}

impl Charges {
    /// Charged less refunded.
    pub fn net(&self) -> i64 {
        self.charged - self.refunded
    }
}

/// The ledger's tally of the territory's months within `months`, grouped
/// by `$by` (a macro: each grouping is its own query type).
macro_rules! charges_by {
    ($conn:expr, $municipality:expr, $months:expr, $by:expr) => {{
        let mut query = lm::table
            .filter(lm::month.between($months.0, $months.1))
            .group_by($by)
            .select((
                $by,
                (month_sum!("charged"), month_sum!("refunded"), month_sum!("charges"), month_sum!("children")),
            ))
            .into_boxed();
        if let Some(own) = $municipality {
            query = query.filter(lm::municipality_id.eq(own));
        }
        query.load($conn)
    }};
}

/// The territory's charges by month (the month's children counted once).
pub fn charges_by_month(
    conn: &mut DbConn,
    municipality: Option<i64>,
    months: (NaiveDate, NaiveDate),
) -> QueryResult<Vec<(NaiveDate, Charges)>> {
    charges_by!(conn, municipality, months, lm::month)
}

/// The territory's charges by the contracts' organization.
pub fn charges_by_organization(
    conn: &mut DbConn,
    municipality: Option<i64>,
    months: (NaiveDate, NaiveDate),
) -> QueryResult<Vec<(i64, Charges)>> {
    charges_by!(conn, municipality, months, lm::organization_id)
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

/// Waiting lists of the territory's programs by organization:
/// `(organization, applications, children)` (the region's without reading the programs).
pub fn waiting(conn: &mut DbConn, municipality: Option<i64>) -> QueryResult<Vec<(i64, i64, i64)>> {
    let columns = (a::organization_id, count_star(), count(a::child_id).aggregate_distinct());
    let waits = a::status.eq(ApplicationStatus::Waiting);
    match municipality {
        None => a::table.filter(waits).group_by(a::organization_id).select(columns).load(conn),
        Some(own) => a::table
            .inner_join(p::table.on(p::id.eq(a::program_id)))
            .filter(waits)
            .filter(p::municipality_id.eq(own))
            .group_by(a::organization_id)
            .select(columns)
            .load(conn),
    }
}

/// Applications to the territory's programs made within the range, by status
/// (the region's read from an index alone).
pub fn applications(
    conn: &mut DbConn,
    municipality: Option<i64>,
    within: (NaiveDateTime, NaiveDateTime),
) -> QueryResult<Vec<(ApplicationStatus, i64)>> {
    let made = a::created_at.ge(within.0).and(a::created_at.lt(within.1));
    match municipality {
        None => a::table.filter(made).group_by(a::status).select((a::status, count_star())).load(conn),
        Some(own) => a::table
            .inner_join(p::table.on(p::id.eq(a::program_id)))
            .filter(made)
            .filter(p::municipality_id.eq(own))
            .group_by(a::status)
            .select((a::status, count_star()))
            .load(conn),
    }
}

/// Decisions on the territory's applications made within the range, by
/// organization: `(organization, decisions)` (the region's read from an index alone).
pub fn decided_by(
    conn: &mut DbConn,
    municipality: Option<i64>,
    within: (NaiveDateTime, NaiveDateTime),
) -> QueryResult<Vec<(i64, i64)>> {
    let decided = a::decided_at.ge(within.0).and(a::decided_at.lt(within.1));
    match municipality {
        None => {
            a::table.filter(decided).group_by(a::organization_id).select((a::organization_id, count_star())).load(conn)
        }
        Some(own) => a::table
            .inner_join(p::table.on(p::id.eq(a::program_id)))
            .filter(decided)
            .filter(p::municipality_id.eq(own))
            .group_by(a::organization_id)
            .select((a::organization_id, count_star()))
            .load(conn),
    }
}

/// The decisions of these organizations on the territory's applications made
/// within the range: `(organization, applied at, decided at)`.
pub fn decisions(
    conn: &mut DbConn,
    municipality: Option<i64>,
    organizations: &[i64],
    within: (NaiveDateTime, NaiveDateTime),
) -> QueryResult<Vec<(i64, NaiveDateTime, Option<NaiveDateTime>)>> {
    let decided =
        a::decided_at.ge(within.0).and(a::decided_at.lt(within.1)).and(a::organization_id.eq_any(organizations));
    let columns = (a::organization_id, a::created_at, a::decided_at);
    match municipality {
        None => a::table.filter(decided).select(columns).load(conn),
        Some(own) => a::table
            .inner_join(p::table.on(p::id.eq(a::program_id)))
            .filter(decided)
            .filter(p::municipality_id.eq(own))
            .select(columns)
            .load(conn),
    }
}
