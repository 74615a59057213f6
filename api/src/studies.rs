//! The days each child studied, one row per enrolment in `study_spans`: the
//! child's municipality, birth date and sex, the program's direction and
//! whether it is for children with disabilities, and the days — from the
//! group's start to its end, or to the region's day of the expulsion.
//!
//! Coverage reads this one table instead of joining applications, children,
//! groups and programs. The rows are computed here and only here, from those
//! four tables: every change to one of the facts a row copies calls
//! [`refresh`] in its own transaction (an application entering or leaving
//! study, a group's dates, a program's direction, a child's birth date, sex
//! or municipality); [`rebuild`] computes them all (after a bulk load, and in
//! the migration that made the table).
//!
//! The registry's counts read the certificates alone: each certificate
//! carries a copy of its child's municipality, birth date and sex, set when
//! it is issued and by [`child_changed`].

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use navigator_shared::applications::ApplicationStatus;

use crate::db::DbConn;
use crate::db::schema::study_spans as s;

/// Application statuses of a child who studied in a group.
pub const STUDIED: [ApplicationStatus; 3] =
    [ApplicationStatus::Enrolled, ApplicationStatus::Completed, ApplicationStatus::Expelled];

/// Whether an application in `status` has a span.
pub fn studied(status: ApplicationStatus) -> bool {
    STUDIED.contains(&status)
}

/// The enrolments whose rows a change touches.
#[derive(Debug, Clone, Copy)]
pub enum Of {
    Application(i64),
    Group(i64),
    Program(i64),
    Child(i64),
}

impl Of {
    /// The SQL condition on `applications a` (ids are the server's own numbers).
    fn condition(self) -> String {
        match self {
            Of::Application(id) => format!("a.id = {id}"),
            Of::Group(id) => format!("a.group_id = {id}"),
            Of::Program(id) => format!("a.group_id IN (SELECT g.id FROM program_groups g WHERE g.program_id = {id})"),
            Of::Child(id) => format!("a.child_id = {id}"),
        }
    }
}

/// The rows of the enrolments meeting `{which}`; `{left}` is the region's day
/// of the expulsion (the expelled application's last change).
const FILL: &str = "INSERT INTO study_spans
    (application_id, child_id, municipality_id, birth_date, sex, direction, disability_friendly, starts, ends)
SELECT a.id, a.child_id, ch.municipality_id, ch.birth_date, ch.sex, p.direction, p.disability_friendly, g.start_date,
       CASE WHEN a.status = 'expelled' AND {left} < g.end_date THEN {left} ELSE g.end_date END
FROM applications a
JOIN children ch ON ch.id = a.child_id
JOIN program_groups g ON g.id = a.group_id
JOIN programs p ON p.id = a.program_id
WHERE a.status IN ('enrolled', 'completed', 'expelled') AND {which}";

fn fill(conn: &mut DbConn, which: &str) -> QueryResult<()> {
    let left = crate::clock::day_of_sql(conn, "a.updated_at");
    conn.batch_execute(&FILL.replace("{left}", &left).replace("{which}", which))
}

/// Computes the rows of the enrolments `of` anew.
pub fn refresh(conn: &mut DbConn, of: Of) -> QueryResult<()> {
    let which = of.condition();
    conn.transaction(|conn| {
        conn.batch_execute(&format!(
            "DELETE FROM study_spans WHERE application_id IN (SELECT a.id FROM applications a WHERE {which})"
        ))?;
        fill(conn, &which)
    })
}

/// Copies the children's municipality, birth date and sex meeting `{which}`
/// onto their certificates.
const COPY: &str = "UPDATE certificates SET
    municipality_id = (SELECT ch.municipality_id FROM children ch WHERE ch.id = certificates.child_id),
    birth_date = (SELECT ch.birth_date FROM children ch WHERE ch.id = certificates.child_id),
    sex = (SELECT ch.sex FROM children ch WHERE ch.id = certificates.child_id)
WHERE {which}";

/// A child's certificate was issued: it takes the child's facts.
pub fn certificate_issued(conn: &mut DbConn, child: i64) -> QueryResult<()> {
    conn.batch_execute(&COPY.replace("{which}", &format!("child_id = {child}")))
}

/// A child's record changed: its studies' rows and its certificate's copy
/// follow.
pub fn child_changed(conn: &mut DbConn, child: i64) -> QueryResult<()> {
    refresh(conn, Of::Child(child))?;
    certificate_issued(conn, child)
}

/// Computes every row and copy anew (after a bulk load).
pub fn rebuild(conn: &mut DbConn) -> QueryResult<()> {
    conn.transaction(|conn| {
        diesel::delete(s::table).execute(conn)?;
        fill(conn, "1 = 1")?;
        conn.batch_execute(&COPY.replace("{which}", "1 = 1"))
    })
}

/// A row of `study_spans`.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct SpanRow {
    pub application_id: i64,
    pub child_id: i64,
    pub municipality_id: i64,
    pub birth_date: chrono::NaiveDate,
    pub sex: String,
    pub direction: String,
    pub disability_friendly: bool,
    pub starts: chrono::NaiveDate,
    pub ends: chrono::NaiveDate,
}

/// A certificate's copy of its child's facts: id, municipality, birth date, sex.
pub type CopyRow = (i64, Option<i64>, Option<chrono::NaiveDate>, Option<String>);

/// Every row by application and every certificate's copy: to compare the
/// kept ones with a rebuild.
pub fn all(conn: &mut DbConn) -> QueryResult<(Vec<SpanRow>, Vec<CopyRow>)> {
    use crate::db::schema::certificates as c;
    let spans = s::table.order(s::application_id).load(conn)?;
    let copies = c::table.order(c::id).select((c::id, c::municipality_id, c::birth_date, c::sex)).load(conn)?;
    Ok((spans, copies))
}
