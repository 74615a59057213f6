//! Diesel queries of the statistics: each counts in the database and brings
//! back grouped rows, never the records themselves.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{count, count_star, sql};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer};
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

impl Registered {
    /// The row of `band`, `municipality` and `sex` in `counted`, added when missing.
    fn of(counted: &mut Vec<Registered>, band: usize, municipality_id: i64, sex: Sex) -> &mut Registered {
        let at = counted.iter().position(|c| (c.municipality_id, c.sex, c.band) == (municipality_id, sex, band));
        let i = at.unwrap_or_else(|| {
            counted.push(Registered { municipality_id, sex, band, children: 0, with_certificate: 0, with_active: 0 });
            counted.len() - 1
        });
        &mut counted[i]
    }
}

/// The territory's children born within the coverage `bands` (birth dates,
/// both ends included), with their certificates issued by `issued_by` (by
/// the certificates' copy of their child's facts, [`crate::studies`]): a few
/// rows per municipality. Each band is one range of the indexes
/// `children_birth` and `certificates_registry` (municipality, sex, birth
/// date) per municipality and sex, read in their order: no sorting, no CASE
/// over the rows. The sexes are named so that the planner sees the ranges
/// (without them SQLite prefers the index of birth dates alone, and reads
/// the table).
pub fn registered(
    conn: &mut DbConn,
    municipality: Option<i64>,
    bands: [(NaiveDate, NaiveDate); 3],
    issued_by: NaiveDateTime,
) -> QueryResult<Vec<Registered>> {
    use crate::db::schema::children as ch;
    let mut counted: Vec<Registered> = Vec::new();
    for (band, (born_from, born_to)) in bands.into_iter().enumerate() {
        let mut children = ch::table
            .filter(ch::birth_date.between(born_from, born_to))
            .filter(ch::sex.eq_any(Sex::ALL))
            .group_by((ch::municipality_id, ch::sex))
            .select((ch::municipality_id, ch::sex, count_star()))
            .into_boxed();
        let mut certificates = c::table
            .filter(c::birth_date.between(born_from, born_to))
            .filter(c::sex.eq_any(Sex::ALL))
            .filter(c::created_at.le(issued_by))
            .group_by((c::municipality_id, c::sex))
            .select((
                c::municipality_id,
                c::sex,
                sql::<BigInt>("CAST(SUM(CASE WHEN status IN ('pending', 'active') THEN 1 ELSE 0 END) AS BIGINT)"),
                sql::<BigInt>("CAST(SUM(CASE WHEN status = 'active' THEN 1 ELSE 0 END) AS BIGINT)"),
            ))
            .into_boxed();
        if let Some(own) = municipality {
            children = children.filter(ch::municipality_id.eq(own));
            certificates = certificates.filter(c::municipality_id.eq(own));
        }
        for (municipality_id, sex, count) in children.load::<(i64, Sex, i64)>(conn)? {
            Registered::of(&mut counted, band, municipality_id, sex).children += count;
        }
        let certificates = certificates.load::<(Option<i64>, Option<Sex>, i64, i64)>(conn)?;
        for (municipality_id, sex, with_certificate, with_active) in certificates {
            let (Some(municipality_id), Some(sex)) = (municipality_id, sex) else { continue };
            let row = Registered::of(&mut counted, band, municipality_id, sex);
            row.with_certificate += with_certificate;
            row.with_active += with_active;
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
///
/// A quarter of a million rows for the region: their dates come as day
/// numbers and their sex and direction as small codes, counted by the
/// database, so that each row is read without parsing text (parsing the
/// dates and codes of SQLite's text was most of the time).
pub fn studies(
    conn: &mut DbConn,
    municipality: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<Study>> {
    let day = |column: &str| match conn {
        DbConn::Sqlite(_) => format!("unixepoch({column}) / 86400"),
        DbConn::Postgresql(_) => format!("({column} - DATE '1970-01-01')"),
    };
    let (birth, starts, ends) = (day("birth_date"), day("starts"), day("ends"));
    let direction: String =
        Direction::ALL.iter().enumerate().map(|(i, d)| format!(" WHEN '{}' THEN {i}", d.as_str())).collect();
    let female = format!("CASE sex WHEN '{}' THEN 1 ELSE 0 END", Sex::Female.as_str());
    let mut query = s::table
        .filter(s::starts.le(to))
        .filter(s::ends.ge(from))
        .select((
            s::child_id,
            s::municipality_id,
            sql::<Integer>(&birth),
            sql::<Integer>(&female),
            sql::<Integer>(&format!("CASE direction{direction} ELSE -1 END")),
            s::disability_friendly,
            sql::<Integer>(&starts),
            sql::<Integer>(&ends),
        ))
        .into_boxed();
    if let Some(own) = municipality {
        query = query.filter(s::municipality_id.eq(own));
    }
    type Row = (i64, i64, i32, i32, i32, bool, i32, i32);
    let rows: Vec<Row> = query.load(conn)?;
    rows.into_iter()
        .map(|(child_id, municipality_id, birth, female, direction, disability_friendly, starts, ends)| {
            // A code or day the software does not know is an error of the row, never a plausible value.
            let unknown = || diesel::result::Error::DeserializationError(format!("study of child {child_id}").into());
            Ok(Study {
                child_id,
                municipality_id,
                birth_date: NaiveDate::from_epoch_days(birth).ok_or_else(unknown)?,
                sex: if female == 1 { Sex::Female } else { Sex::Male },
                direction: *usize::try_from(direction).ok().and_then(|i| Direction::ALL.get(i)).ok_or_else(unknown)?,
                disability_friendly,
                starts: NaiveDate::from_epoch_days(starts).ok_or_else(unknown)?,
                ends: NaiveDate::from_epoch_days(ends).ok_or_else(unknown)?,
            })
        })
        .collect()
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

/// The ids of the municipality's programs, for `program_id.eq_any(…)`:
/// an application counts in its program's municipality. The applications'
/// indexes are read for the range, each row checked against the list, no
/// program read per application.
fn programs_of(
    own: i64,
) -> diesel::dsl::Select<diesel::dsl::Filter<p::table, diesel::dsl::Eq<p::municipality_id, i64>>, p::id> {
    p::table.filter(p::municipality_id.eq(own)).select(p::id)
}

/// Waiting lists of the territory's programs by organization:
/// `(organization, applications, children)`.
pub fn waiting(conn: &mut DbConn, municipality: Option<i64>) -> QueryResult<Vec<(i64, i64, i64)>> {
    let mut query = a::table
        .filter(a::status.eq(ApplicationStatus::Waiting))
        .group_by(a::organization_id)
        .select((a::organization_id, count_star(), count(a::child_id).aggregate_distinct()))
        .into_boxed();
    if let Some(own) = municipality {
        query = query.filter(a::program_id.eq_any(programs_of(own)));
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
        .filter(a::created_at.ge(within.0).and(a::created_at.lt(within.1)))
        .group_by(a::status)
        .select((a::status, count_star()))
        .into_boxed();
    if let Some(own) = municipality {
        query = query.filter(a::program_id.eq_any(programs_of(own)));
    }
    query.load(conn)
}

/// Decisions on the territory's applications made within the range, by
/// organization: `(organization, decisions)`. Counted here from the range
/// of the decisions' index rather than grouped by the database: to skip a
/// sort, SQLite's planner walks the organizations' index and reads every
/// application's row for its decision day (450 ms at 370,000 applications
/// for the whole region instead of 30).
pub fn decided_by(
    conn: &mut DbConn,
    municipality: Option<i64>,
    within: (NaiveDateTime, NaiveDateTime),
) -> QueryResult<Vec<(i64, i64)>> {
    let mut query = a::table
        .filter(a::decided_at.ge(within.0).and(a::decided_at.lt(within.1)))
        .select(a::organization_id)
        .into_boxed();
    if let Some(own) = municipality {
        query = query.filter(a::program_id.eq_any(programs_of(own)));
    }
    let mut counts: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
    for organization in query.load::<i64>(conn)? {
        *counts.entry(organization).or_default() += 1;
    }
    Ok(counts.into_iter().collect())
}

/// The decisions of these organizations on the territory's applications made
/// within the range: `(organization, applied at, decided at)`.
pub fn decisions(
    conn: &mut DbConn,
    municipality: Option<i64>,
    organizations: &[i64],
    within: (NaiveDateTime, NaiveDateTime),
) -> QueryResult<Vec<(i64, NaiveDateTime, Option<NaiveDateTime>)>> {
    let mut query = a::table
        .filter(a::decided_at.ge(within.0).and(a::decided_at.lt(within.1)))
        .filter(a::organization_id.eq_any(organizations))
        .select((a::organization_id, a::created_at, a::decided_at))
        .into_boxed();
    if let Some(own) = municipality {
        query = query.filter(a::program_id.eq_any(programs_of(own)));
    }
    query.load(conn)
}
