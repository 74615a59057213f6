//! The first right to continue (the social certificate's rules, 189-ФЗ):
//! a group of the next program year holds places, until a day the
//! organization sets, for the children who finished a year of the same
//! program. A held place is counted in the group like a taken one; the
//! child's application takes it, and on the day after it is released to the
//! group's waiting list.

use chrono::NaiveDate;
use navigator_shared::applications::{Continuation, ContinuationInput, HeldPlace};
use navigator_shared::ids::ChildId;

use super::repo;
use crate::auth::{AuthUser, scope};
use crate::catalog::repo::GroupRow;
use crate::db::{DbConn, write_tx};
use crate::error::{ApiError, ApiResult};
use crate::notifications::{self, templates};
use crate::{AppState, Links, catalog, children, places};

const GROUP_NOT_FOUND: &str = "Группа не найдена";

/// A group of the caller's organization.
fn own_group(conn: &mut DbConn, caller: &AuthUser, id: i64) -> ApiResult<GroupRow> {
    let organization = scope::organization(conn, caller)?;
    let group = catalog::repo::find_group(conn, id)?.ok_or(ApiError::NotFound { detail: GROUP_NOT_FOUND })?;
    let program = catalog::repo::find(conn, group.program_id)?.ok_or(ApiError::NotFound { detail: GROUP_NOT_FOUND })?;
    if program.organization_id != organization {
        return Err(ApiError::NotFound { detail: GROUP_NOT_FOUND });
    }
    Ok(group)
}

fn answer(conn: &mut DbConn, group: &GroupRow, without_place: i64) -> ApiResult<Continuation> {
    let holds = places::holds_of(conn, group.id)?;
    let ids: Vec<ChildId> = holds.iter().map(|(child, _)| *child).collect();
    let names: std::collections::HashMap<ChildId, String> = children::repo::find_many(conn, &ids)?
        .into_iter()
        .map(|c| (c.id, format!("{} {}", c.last_name, c.first_name)))
        .collect();
    let held = holds
        .into_iter()
        .map(|(child, until)| HeldPlace {
            child_id: child.get(),
            child_name: names.get(&child).cloned().unwrap_or_default(),
            until,
        })
        .collect();
    Ok(Continuation { group_id: group.id, hold_until: group.hold_until, held, without_place })
}

/// `GET /cabinet/groups/{id}/continuation`.
pub async fn view(state: &AppState, caller: AuthUser, id: i64) -> ApiResult<Continuation> {
    state
        .db(move |conn| {
            let group = own_group(conn, &caller, id)?;
            let without = repo::finished_before(conn, group.program_id, group.start_date, group.id)?.len();
            let held = places::holds_of(conn, group.id)?.len();
            answer(conn, &group, i64::try_from(without.saturating_sub(held)).unwrap_or(0))
        })
        .await
}

/// `PUT /cabinet/groups/{id}/continuation`: the organization sets (or
/// moves, or takes off) the day places are held until; the places of the
/// children who finished a year are held at once, as far as the group has
/// room, and their families told.
pub async fn set(state: &AppState, caller: AuthUser, id: i64, input: ContinuationInput) -> ApiResult<Continuation> {
    let links = state.links();
    let answer = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let group = own_group(conn, &caller, id)?;
                let until = input.check(crate::clock::today(), group.end_date)?;
                let group = catalog::repo::find_group_locked(conn, group.id)?
                    .ok_or(ApiError::NotFound { detail: GROUP_NOT_FOUND })?;
                catalog::repo::set_hold_until(conn, group.id, until)?;
                let group = GroupRow { hold_until: until, ..group };
                let without_place = match until {
                    Some(day) => {
                        places::extend_holds(conn, group.id, day)?;
                        hold_for_finished(conn, &links, &group, day)?
                    }
                    None => {
                        for (group_id, child) in places::holds_to_release(conn, crate::clock::today(), Some(group.id))?
                        {
                            release(conn, &links, group_id, child)?;
                        }
                        0
                    }
                };
                answer(conn, &group, without_place)
            })
        })
        .await?;
    // The card shows the group's free places.
    state.cards.forget(&[id_program(state, id).await?]);
    Ok(answer)
}

async fn id_program(state: &AppState, group: i64) -> ApiResult<i64> {
    state
        .db(move |conn| {
            Ok::<_, ApiError>(catalog::repo::find_group(conn, group)?.map(|g| g.program_id).unwrap_or_default())
        })
        .await
}

/// Holds a place of `group` (locked) until `until` for each child who
/// finished a year of its program and has none yet; answers how many found
/// no room.
fn hold_for_finished(conn: &mut DbConn, links: &Links, group: &GroupRow, until: NaiveDate) -> ApiResult<i64> {
    let mut without_place = 0;
    let held: Vec<ChildId> = places::holds_of(conn, group.id)?.into_iter().map(|(child, _)| child).collect();
    for child in repo::finished_before(conn, group.program_id, group.start_date, group.id)? {
        if held.contains(&child) {
            continue;
        }
        if !places::hold(conn, group.id, child, until)? {
            without_place += 1;
            continue;
        }
        tell_family(conn, links, group, child, |name, kid, program, link| {
            templates::place_held(name, kid, program, &group.name, until, link)
        })?;
    }
    Ok(without_place)
}

fn tell_family(
    conn: &mut DbConn,
    links: &Links,
    group: &GroupRow,
    child: ChildId,
    message: impl Fn(&str, &str, &str, &str) -> notifications::Email,
) -> ApiResult<()> {
    let Some(kid) = children::repo::find(conn, child)? else { return Ok(()) };
    let program = catalog::repo::find(conn, group.program_id)?.map(|p| p.title).unwrap_or_default();
    let link = links.page(&format!("/programs/{}", group.program_id));
    notifications::family::inform_family(conn, kid.id, |name| message(name, &kid.first_name, &program, &link))?;
    Ok(())
}

/// A held place nobody took goes to the waiting list; the family is told.
fn release(conn: &mut DbConn, links: &Links, group: i64, child: ChildId) -> ApiResult<()> {
    places::lock(conn, group)?;
    let Some(promoted) = places::release_hold(conn, group, child)? else { return Ok(()) };
    if let Some(promoted) = promoted {
        notifications::family::promoted(conn, links, promoted)?;
    }
    let Some(row) = catalog::repo::find_group(conn, group)? else { return Ok(()) };
    tell_family(conn, links, &row, child, |name, kid, program, link| {
        templates::hold_ended(name, kid, program, &row.name, link)
    })
}

/// The housekeeping pass: held places whose day passed are released, and
/// groups still holding places hold them for children who finished a year
/// since; each group in its own transaction.
pub fn run_due(conn: &mut DbConn, links: &Links, today: NaiveDate) -> ApiResult<usize> {
    let mut changed = 0;
    for (group, child) in places::holds_to_release(conn, today, None)? {
        write_tx(conn, |conn| release(conn, links, group, child))?;
        changed += 1;
    }
    for group in catalog::repo::holding_groups(conn, today)? {
        let Some(until) = group.hold_until else { continue };
        write_tx(conn, |conn| {
            places::lock(conn, group.id)?;
            let before = places::holds_of(conn, group.id)?.len();
            hold_for_finished(conn, links, &group, until)?;
            changed += places::holds_of(conn, group.id)?.len().saturating_sub(before);
            Ok::<_, ApiError>(())
        })?;
    }
    Ok(changed)
}

/// The child applies to a group holding a place for it: the application
/// takes that place. `false` when there was none.
pub fn take_held(conn: &mut DbConn, group: &GroupRow, child: ChildId) -> ApiResult<bool> {
    if group.hold_until.is_none() {
        return Ok(false); // the group holds nothing: no statement in the rush
    }
    Ok(places::take_held(conn, group.id, child)?)
}
