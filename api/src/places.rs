//! A group's places and its waiting list, and the limit of a child's open
//! applications: the one module that counts them.
//!
//! Work on a group's places starts with [`lock`]: on PostgreSQL it takes the
//! group's row lock until the transaction ends, on SQLite the write
//! transaction already holds the database lock. Places are still counted by
//! conditional updates, so `enrolled` can never pass `capacity`. The waiting
//! list is the group's `waiting` applications, first come first served.

use std::collections::HashMap;

use diesel::prelude::*;
use navigator_shared::ErrorCode;

use crate::db::DbConn;
use chrono::NaiveDate;

use crate::db::schema::{applications as a, children as ch, held_places as h, program_groups as g};
use crate::error::{ApiError, ApiResult};
use crate::notifications::now;
use navigator_shared::applications::ApplicationStatus;
use navigator_shared::ids::ApplicationId;
use navigator_shared::ids::ChildId;

/// Serializes the place work of one group (see the module notes);
/// `catalog::repo::find_group_locked` does the same and reads the group.
pub fn lock(conn: &mut DbConn, group: i64) -> QueryResult<bool> {
    diesel::update(g::table.find(group)).set(g::enrolled.eq(g::enrolled)).execute(conn).map(|n| n == 1)
}

/// Takes a free place; `false` when the group is full. The group's
/// `updated_at` moves with its places, so other instances see the change.
pub fn take(conn: &mut DbConn, group: i64) -> QueryResult<bool> {
    diesel::update(g::table.find(group).filter(g::enrolled.lt(g::capacity)))
        .set((g::enrolled.eq(g::enrolled + 1), g::updated_at.eq(now())))
        .execute(conn)
        .map(|n| n == 1)
}

/// Gives a place back to the group.
pub fn free(conn: &mut DbConn, group: i64) -> QueryResult<()> {
    diesel::update(g::table.find(group).filter(g::enrolled.gt(0)))
        .set((g::enrolled.eq(g::enrolled - 1), g::updated_at.eq(now())))
        .execute(conn)
        .map(drop)
}

/// Holds a place of `group` for a continuing `child` until `until`; `false`
/// when the group is full or the child has one there already.
pub fn hold(conn: &mut DbConn, group: i64, child: ChildId, until: NaiveDate) -> QueryResult<bool> {
    if held(conn, group, child)? || !take(conn, group)? {
        return Ok(false);
    }
    diesel::insert_into(h::table)
        .values((h::group_id.eq(group), h::child_id.eq(child), h::until.eq(until), h::created_at.eq(now())))
        .execute(conn)?;
    Ok(true)
}

fn held(conn: &mut DbConn, group: i64, child: ChildId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(h::table.filter(h::group_id.eq(group)).filter(h::child_id.eq(child))))
        .get_result(conn)
}

/// The child's held place in `group` becomes its application's: `true` when
/// there was one (the place is already counted).
pub fn take_held(conn: &mut DbConn, group: i64, child: ChildId) -> QueryResult<bool> {
    diesel::delete(h::table.filter(h::group_id.eq(group)).filter(h::child_id.eq(child))).execute(conn).map(|n| n == 1)
}

/// Moves the day places are held until, for every hold of `group`.
pub fn extend_holds(conn: &mut DbConn, group: i64, until: NaiveDate) -> QueryResult<usize> {
    diesel::update(h::table.filter(h::group_id.eq(group))).set(h::until.eq(until)).execute(conn)
}

/// The children whose places are held in `group`, with the day.
pub fn holds_of(conn: &mut DbConn, group: i64) -> QueryResult<Vec<(ChildId, NaiveDate)>> {
    h::table.filter(h::group_id.eq(group)).order(h::id).select((h::child_id, h::until)).load(conn)
}

/// Held places whose day is before `today`, or all of `group`: `(group, child)`.
pub fn holds_to_release(conn: &mut DbConn, today: NaiveDate, group: Option<i64>) -> QueryResult<Vec<(i64, ChildId)>> {
    let mut q = h::table.into_boxed();
    q = match group {
        Some(group) => q.filter(h::group_id.eq(group)),
        None => q.filter(h::until.lt(today)),
    };
    q.order(h::id).limit(500).select((h::group_id, h::child_id)).load(conn)
}

/// A held place nobody took goes back: to the group's waiting list first.
/// Runs under the group's lock; answers the application that moved up.
pub fn release_hold(conn: &mut DbConn, group: i64, child: ChildId) -> QueryResult<Option<Option<ApplicationId>>> {
    if !take_held(conn, group, child)? {
        return Ok(None);
    }
    hand_over(conn, group).map(Some)
}

/// Counts one more open application of the child, refused when it already
/// has `limit` (the region's limit of open applications).
pub fn open_application(conn: &mut DbConn, child: ChildId, limit: i32) -> ApiResult<()> {
    let counted = diesel::update(ch::table.find(child).filter(ch::open_applications.lt(limit)))
        .set(ch::open_applications.eq(ch::open_applications + 1))
        .execute(conn)?;
    if counted == 1 {
        Ok(())
    } else {
        Err(ApiError::Conflict {
            code: ErrorCode::TooManyApplications,
            detail: format!("У ребёнка уже {limit} открытых заявок. Дождитесь решения по ним или отмените лишние"),
        })
    }
}

/// One open application of the child less.
pub fn close_application(conn: &mut DbConn, child: ChildId) -> QueryResult<()> {
    diesel::update(ch::table.find(child).filter(ch::open_applications.gt(0)))
        .set(ch::open_applications.eq(ch::open_applications - 1))
        .execute(conn)
        .map(drop)
}

/// Waiting applications of a group, first in line first.
pub fn waiting(conn: &mut DbConn, group: i64, limit: i64) -> QueryResult<Vec<ApplicationId>> {
    a::table
        .filter(a::group_id.eq(group))
        .filter(a::status.eq(ApplicationStatus::Waiting))
        .order(a::id.asc())
        .limit(limit)
        .select(a::id)
        .load(conn)
}

/// Places in their groups' waiting lists, from 1, of the waiting
/// applications `(group, id)`: one query for a whole page.
pub fn waiting_positions(
    conn: &mut DbConn,
    waiting: &[(i64, ApplicationId)],
) -> QueryResult<HashMap<ApplicationId, i64>> {
    let Some(last) = waiting.iter().map(|(_, id)| *id).max() else { return Ok(HashMap::new()) };
    let groups: Vec<i64> = waiting.iter().map(|(group, _)| *group).collect();
    let queue: Vec<(i64, ApplicationId)> = a::table
        .filter(a::group_id.eq_any(&groups))
        .filter(a::status.eq(ApplicationStatus::Waiting))
        .filter(a::id.le(last))
        .order(a::id.asc())
        .select((a::group_id, a::id))
        .load(conn)?;
    let mut ahead: HashMap<i64, i64> = HashMap::new();
    let mut positions = HashMap::with_capacity(queue.len());
    for (group, id) in queue {
        let place = ahead.entry(group).or_insert(0);
        *place += 1;
        positions.insert(id, *place);
    }
    Ok(positions)
}

/// A waiting application goes to the organization; `false` when it was no
/// longer waiting.
fn promote(conn: &mut DbConn, id: ApplicationId) -> QueryResult<bool> {
    let now = now();
    let promoted: Vec<crate::webhooks::Source> =
        diesel::update(a::table.find(id).filter(a::status.eq(ApplicationStatus::Waiting)))
            .set((a::status.eq(ApplicationStatus::Submitted), a::updated_at.eq(now)))
            .returning((a::source_client_id, a::external_id))
            .get_results(conn)?;
    let Some(source) = promoted.into_iter().next() else { return Ok(false) };
    let change = (Some(ApplicationStatus::Waiting), ApplicationStatus::Submitted);
    crate::webhooks::application_changed(conn, id.get(), source, change, now)?;
    Ok(true)
}

/// A place given back: the first waiting application takes it (its id is
/// answered, for the family to be told), or the group gets a free place.
/// Runs under the group's lock.
pub fn hand_over(conn: &mut DbConn, group: i64) -> QueryResult<Option<ApplicationId>> {
    for id in waiting(conn, group, 10)? {
        if promote(conn, id)? {
            return Ok(Some(id));
        }
    }
    free(conn, group)?;
    Ok(None)
}

/// Fills the free places of a group from its waiting list, in its order
/// (after its capacity grew); answers the applications that moved up.
pub fn fill(conn: &mut DbConn, group: i64) -> QueryResult<Vec<ApplicationId>> {
    lock(conn, group)?;
    let mut promoted = Vec::new();
    for id in waiting(conn, group, 1000)? {
        if !take(conn, group)? {
            break;
        }
        if promote(conn, id)? {
            promoted.push(id);
        } else {
            free(conn, group)?;
        }
    }
    Ok(promoted)
}
