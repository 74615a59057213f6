//! Diesel queries of reviews, their complaints, and the rating each program
//! keeps of its published reviews.

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, exists, sum};
use diesel::prelude::*;
use navigator_shared::applications::ApplicationStatus;
use navigator_shared::catalog::ProgramStatus;
use navigator_shared::reviews::{ModerationFilter, ReviewStatus};

use crate::db::schema::{
    applications as a, children as ch, event_signups as es, events as e, organizations as o, programs as p,
    review_complaints as rc, reviews as r, users as u,
};
use crate::db::{DbConn, Paginate};

/// Application statuses of a child who took part in the program: who studied.
pub const TOOK_PART: [ApplicationStatus; 3] = crate::studies::STUDIED;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = r)]
pub struct ReviewRow {
    pub id: i64,
    pub program_id: i64,
    pub organization_id: i64,
    pub municipality_id: i64,
    pub child_id: i64,
    pub author_id: i64,
    pub stars: i32,
    pub body: String,
    pub participant: bool,
    pub status: ReviewStatus,
    pub hidden_reason: Option<String>,
    pub reply: Option<String>,
    pub reply_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    /// The author's last edit (replies and moderation leave it).
    pub updated_at: NaiveDateTime,
}

/// A review with its author's names, its program's title and organization's name.
#[derive(Debug, Clone, Queryable)]
pub struct Listed {
    pub review: ReviewRow,
    pub author: (String, String),
    pub program_title: String,
    pub organization: String,
}

/// The program a review is about, as the rules need it.
#[derive(Debug, Clone, Queryable)]
pub struct ReviewedProgram {
    pub id: i64,
    pub organization_id: i64,
    pub municipality_id: i64,
    pub status: ProgramStatus,
}

pub fn program(conn: &mut DbConn, id: i64) -> QueryResult<Option<ReviewedProgram>> {
    p::table.find(id).select((p::id, p::organization_id, p::municipality_id, p::status)).first(conn).optional()
}

/// Takes the program's row lock (PostgreSQL; SQLite has one writer), so
/// that the reviews of one program are written and counted one transaction
/// at a time and its kept rating never misses a review.
pub fn lock_program(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(p::table.find(id)).set(p::updated_at.eq(now)).execute(conn).map(|n| n == 1)
}

/// Counts the program's published reviews again into `rating` and `reviews_count`.
pub fn recount(conn: &mut DbConn, program: i64) -> QueryResult<()> {
    let (count, total): (i64, Option<i64>) = r::table
        .filter(r::program_id.eq(program))
        .filter(r::status.eq(ReviewStatus::Published))
        .select((count_star(), sum(r::stars)))
        .first(conn)?;
    let rating = total.filter(|_| count > 0).map(|t| t as f64 / count as f64);
    let count = i32::try_from(count).unwrap_or(i32::MAX);
    diesel::update(p::table.find(program)).set((p::rating.eq(rating), p::reviews_count.eq(count))).execute(conn)?;
    Ok(())
}

/// The kept rating and count of a program.
pub fn rating(conn: &mut DbConn, program: i64) -> QueryResult<(Option<f64>, i32)> {
    p::table.find(program).select((p::rating, p::reviews_count)).first(conn)
}

/// How many published reviews of the program gave 1…5 stars.
pub fn stars(conn: &mut DbConn, program: i64) -> QueryResult<[i64; 5]> {
    let rows: Vec<(i32, i64)> = r::table
        .filter(r::program_id.eq(program))
        .filter(r::status.eq(ReviewStatus::Published))
        .group_by(r::stars)
        .select((r::stars, count_star()))
        .load(conn)?;
    let mut histogram = [0; 5];
    for (stars, count) in rows {
        if let Some(slot) = usize::try_from(stars - 1).ok().and_then(|i| histogram.get_mut(i)) {
            *slot = count;
        }
    }
    Ok(histogram)
}

/// Children of `family` who took part in `program` or came to one of its
/// events, with their first names, by id.
pub fn participants(conn: &mut DbConn, family: i64, program: i64) -> QueryResult<Vec<(i64, String)>> {
    let children: Vec<(i64, String)> =
        ch::table.filter(ch::parent_id.eq(family)).order(ch::id).select((ch::id, ch::first_name)).load(conn)?;
    let mut found = Vec::new();
    for (child, name) in children {
        if involvement(conn, child, program)?.is_some() {
            found.push((child, name));
        }
    }
    Ok(found)
}

/// How `child` knows `program`: `Some(true)` enrolled in it (or finished,
/// or expelled), `Some(false)` only came to one of its events, `None` neither.
pub fn involvement(conn: &mut DbConn, child: i64, program: i64) -> QueryResult<Option<bool>> {
    let enrolled: bool = diesel::select(exists(
        a::table.filter(a::child_id.eq(child)).filter(a::program_id.eq(program)).filter(a::status.eq_any(TOOK_PART)),
    ))
    .get_result(conn)?;
    if enrolled {
        return Ok(Some(true));
    }
    let came: bool = diesel::select(exists(
        es::table
            .inner_join(e::table.on(e::id.eq(es::event_id)))
            .filter(es::child_id.eq(child))
            .filter(es::attended.eq(Some(true)))
            .filter(e::program_id.eq(Some(program))),
    ))
    .get_result(conn)?;
    Ok(came.then_some(false))
}

pub struct NewReview<'a> {
    pub program: &'a ReviewedProgram,
    pub child_id: i64,
    pub author_id: i64,
    pub stars: i32,
    pub body: &'a str,
    pub participant: bool,
}

/// Writes a review; `None` when the child already has one for the program.
pub fn insert(conn: &mut DbConn, new: &NewReview<'_>, now: NaiveDateTime) -> QueryResult<Option<i64>> {
    crate::db::insert_unique(conn, |conn| {
        diesel::insert_into(r::table)
            .values((
                r::program_id.eq(new.program.id),
                r::organization_id.eq(new.program.organization_id),
                r::municipality_id.eq(new.program.municipality_id),
                r::child_id.eq(new.child_id),
                r::author_id.eq(new.author_id),
                r::stars.eq(new.stars),
                r::body.eq(new.body),
                r::participant.eq(new.participant),
                r::status.eq(ReviewStatus::Published),
                r::created_at.eq(now),
                r::updated_at.eq(now),
            ))
            .returning(r::id)
            .get_result(conn)
    })
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<ReviewRow>> {
    r::table.find(id).select(ReviewRow::as_select()).first(conn).optional()
}

/// Reviews with their authors, programs and organizations.
macro_rules! joined {
    () => {
        r::table
            .inner_join(u::table.on(u::id.eq(r::author_id)))
            .inner_join(p::table)
            .inner_join(o::table.on(o::id.eq(r::organization_id)))
    };
}

/// The columns of [`Listed`].
macro_rules! listed {
    () => {
        (ReviewRow::as_select(), (u::first_name, u::last_name), p::title, o::name)
    };
}

/// One review with its names.
pub fn listed(conn: &mut DbConn, id: i64) -> QueryResult<Option<Listed>> {
    joined!().filter(r::id.eq(id)).select(listed!()).first(conn).optional()
}

/// A page of the program's published reviews, newest first, and their number.
pub fn published(conn: &mut DbConn, program: i64, (page, per_page): (i64, i64)) -> QueryResult<(Vec<Listed>, i64)> {
    let mine = || r::program_id.eq(program).and(r::status.eq(ReviewStatus::Published));
    let total = r::table.filter(mine()).count().get_result(conn)?;
    let items = joined!().filter(mine()).order(r::id.desc()).select(listed!()).paginate(page, per_page).load(conn)?;
    Ok((items, total))
}

/// The reviews `author` wrote of `program`, whatever their status.
pub fn of_author(conn: &mut DbConn, author: i64, program: i64) -> QueryResult<Vec<Listed>> {
    joined!()
        .filter(r::author_id.eq(author))
        .filter(r::program_id.eq(program))
        .order(r::id.desc())
        .select(listed!())
        .load(conn)
}

/// Which of `family`'s children have a review of `program`: (child, review).
pub fn reviewed_children(conn: &mut DbConn, children: &[i64], program: i64) -> QueryResult<Vec<(i64, i64)>> {
    r::table
        .filter(r::program_id.eq(program))
        .filter(r::child_id.eq_any(children))
        .select((r::child_id, r::id))
        .load(conn)
}

/// The author's edit, only while `created_at` is after `opened_since`.
pub fn edit(
    conn: &mut DbConn,
    id: i64,
    (stars, body): (i32, &str),
    opened_since: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(r::table.find(id).filter(r::created_at.ge(opened_since)))
        .set((r::stars.eq(stars), r::body.eq(body), r::updated_at.eq(now)))
        .execute(conn)
        .map(|n| n == 1)
}

pub fn delete(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    diesel::delete(rc::table.filter(rc::review_id.eq(id))).execute(conn)?;
    diesel::delete(r::table.find(id)).execute(conn).map(drop)
}

/// The organization's answer: only the first one is kept.
pub fn reply(conn: &mut DbConn, id: i64, text: &str, by: i64, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(r::table.find(id).filter(r::reply.is_null()))
        .set((r::reply.eq(text), r::reply_by.eq(by), r::reply_at.eq(now)))
        .execute(conn)
        .map(|n| n == 1)
}

/// Hides a published review (`Some(reason)`) or shows a hidden one again (`None`).
pub fn set_hidden(conn: &mut DbConn, id: i64, reason: Option<&str>, by: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let (from, to) = match reason {
        Some(_) => (ReviewStatus::Published, ReviewStatus::Hidden),
        None => (ReviewStatus::Hidden, ReviewStatus::Published),
    };
    diesel::update(r::table.find(id).filter(r::status.eq(from)))
        .set((
            r::status.eq(to),
            r::hidden_reason.eq(reason),
            r::hidden_by.eq(reason.map(|_| by)),
            r::hidden_at.eq(reason.map(|_| now)),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// A complaint; `false` when `account` already complained about the review.
pub fn complain(conn: &mut DbConn, review: i64, account: i64, reason: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let inserted = crate::db::insert_unique(conn, |conn| {
        diesel::insert_into(rc::table)
            .values((
                rc::review_id.eq(review),
                rc::account_id.eq(account),
                rc::reason.eq(reason),
                rc::created_at.eq(now),
            ))
            .execute(conn)
    })?;
    Ok(inserted.is_some())
}

/// Resolves the open complaints about a review: how many there were.
pub fn resolve_complaints(conn: &mut DbConn, review: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(rc::table.filter(rc::review_id.eq(review)).filter(rc::resolved_at.is_null()))
        .set(rc::resolved_at.eq(now))
        .execute(conn)
}

/// Complaints about `reviews`, newest first: (review, reason, at, resolved).
pub fn complaints(conn: &mut DbConn, reviews: &[i64]) -> QueryResult<Vec<(i64, String, NaiveDateTime, bool)>> {
    let rows: Vec<(i64, String, NaiveDateTime, Option<NaiveDateTime>)> = rc::table
        .filter(rc::review_id.eq_any(reviews))
        .order(rc::id.desc())
        .select((rc::review_id, rc::reason, rc::created_at, rc::resolved_at))
        .load(conn)?;
    Ok(rows.into_iter().map(|(review, reason, at, resolved)| (review, reason, at, resolved.is_some())).collect())
}

/// A page of the organization's reviews, newest first (only those without
/// an answer when `unanswered`), and their number.
pub fn of_organization(
    conn: &mut DbConn,
    organization: i64,
    unanswered: bool,
    (page, per_page): (i64, i64),
) -> QueryResult<(Vec<Listed>, i64)> {
    let filtered = || {
        let query = r::table.filter(r::organization_id.eq(organization)).into_boxed();
        if unanswered { query.filter(r::reply.is_null()) } else { query }
    };
    let total = filtered().count().get_result(conn)?;
    let ids: Vec<i64> = filtered().order(r::id.desc()).select(r::id).paginate(page, per_page).load(conn)?;
    Ok((by_ids(conn, &ids)?, total))
}

/// A page of the reviews an operator of `municipality` (the admin: `None`)
/// moderates, newest first, and their number.
pub fn for_moderation(
    conn: &mut DbConn,
    municipality: Option<i64>,
    filter: ModerationFilter,
    (page, per_page): (i64, i64),
) -> QueryResult<(Vec<Listed>, i64)> {
    let filtered = || {
        let mut query = r::table.into_boxed();
        if let Some(municipality) = municipality {
            query = query.filter(r::municipality_id.eq(municipality));
        }
        match filter {
            ModerationFilter::Complained => {
                query.filter(r::id.eq_any(rc::table.filter(rc::resolved_at.is_null()).select(rc::review_id).distinct()))
            }
            ModerationFilter::Hidden => query.filter(r::status.eq(ReviewStatus::Hidden)),
            ModerationFilter::All => query,
        }
    };
    let total = filtered().count().get_result(conn)?;
    let ids: Vec<i64> = filtered().order(r::id.desc()).select(r::id).paginate(page, per_page).load(conn)?;
    Ok((by_ids(conn, &ids)?, total))
}

/// The reviews of `ids` with their names, in the order of `ids`.
fn by_ids(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<Listed>> {
    let mut rows: Vec<Listed> = joined!().filter(r::id.eq_any(ids)).select(listed!()).load(conn)?;
    rows.sort_by_key(|l| ids.iter().position(|id| *id == l.review.id));
    Ok(rows)
}
