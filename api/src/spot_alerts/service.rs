//! Rules of the requests to be told of free places: who may ask, when asking
//! makes sense (the group is full, or the program has no open group), and
//! the alerts — once per request, in the order asked, only when nobody on
//! the waiting list stands before the free place.

use navigator_shared::ErrorCode;
use navigator_shared::accounts::Role;
use navigator_shared::reference::{Page, PageQuery};
use navigator_shared::spot_alerts::{SpotAlert, SpotAlertRequest, SpotAlertsQuery};

use super::repo::{self, AlertRow};
use crate::auth::AuthUser;
use crate::db::{DbConn, write_tx};
use crate::error::{ApiError, ApiResult};
use crate::notifications::templates;
use crate::{AppState, Links, accounts, notifications, places};

const FAMILY: [Role; 2] = [Role::Parent, Role::Learner];

fn to_dto(row: AlertRow, group_name: Option<String>) -> SpotAlert {
    SpotAlert {
        id: row.id,
        program_id: row.program_id,
        program_title: row.program_title,
        group_id: row.group_id,
        group_name,
        created_at: row.created_at.and_utc(),
    }
}

/// «программа «Шахматы», группа «Группа 1»».
fn describe(program: &str, group: Option<&str>) -> String {
    match group {
        Some(group) => format!("программа «{program}», группа «{group}»"),
        None => format!("программа «{program}», любая группа"),
    }
}

fn places_available(detail: &str) -> ApiError {
    ApiError::Conflict { code: ErrorCode::PlacesAvailable, detail: detail.into() }
}

/// The family asks to be told of free places in a full group of the
/// program, or in any group of a program without an open one. Asking again
/// answers the same request (`false`: nothing new was made). The family is
/// told it is recorded, with a link to withdraw it.
pub async fn subscribe(
    state: &AppState,
    caller: AuthUser,
    program: i64,
    request: SpotAlertRequest,
) -> ApiResult<(bool, SpotAlert)> {
    caller.require(&FAMILY)?;
    let links = state.links();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let today = crate::clock::today();
                let title = repo::published_title(conn, program)?
                    .ok_or(ApiError::NotFound { detail: "Программа не найдена" })?;
                let groups = repo::groups_of(conn, program)?;
                let group_name = match request.group_id {
                    Some(id) => {
                        let group = groups.iter().find(|g| g.id == id).ok_or_else(|| {
                            ApiError::field(ErrorCode::ValidationFailed, "group_id", "Такой группы в программе нет")
                        })?;
                        if group.accepting(today) {
                            return Err(places_available("В группе есть свободные места: подайте заявку"));
                        }
                        Some(group.name.clone())
                    }
                    None if groups.iter().any(|g| g.accepting(today)) => {
                        return Err(places_available("В программе есть группа со свободными местами: подайте заявку"));
                    }
                    None => None,
                };
                let key = (caller.id, program, request.group_id);
                if let Some(row) = repo::open_of(conn, key.0, key.1, key.2)? {
                    return Ok((false, to_dto(row, group_name)));
                }
                let (token, hash) = crate::auth::tokens::opaque_token();
                let made = repo::insert(conn, key, &hash, crate::clock::now())?.is_some();
                let row = repo::open_of(conn, key.0, key.1, key.2)?
                    .ok_or_else(|| anyhow::anyhow!("the request for free places vanished"))?;
                if made {
                    let user = accounts::repo::find(conn, caller.id)?.ok_or_else(ApiError::unauthenticated)?;
                    let stop = links.page(&format!("/spot-alerts/unsubscribe?token={token}"));
                    let what = describe(&title, group_name.as_deref());
                    let email = templates::spot_alert_recorded(&user.greeting_name(), &what, &stop);
                    notifications::inform(conn, accounts::service::recipient(&user), email)?;
                }
                Ok((made, to_dto(row, group_name)))
            })
        })
        .await
}

/// The family's open requests, newest first.
pub async fn mine(state: &AppState, caller: AuthUser, query: SpotAlertsQuery) -> ApiResult<Page<SpotAlert>> {
    caller.require(&FAMILY)?;
    let (page, per_page) =
        PageQuery { page: query.page, per_page: query.per_page }.resolve().map_err(ApiError::Validation)?;
    state
        .db(move |conn| {
            let (rows, total) = repo::of_user(conn, caller.id, query.program_id, (page, per_page))?;
            let groups: Vec<i64> = rows.iter().filter_map(|row| row.group_id).collect();
            let names: std::collections::HashMap<i64, String> = repo::group_names(conn, &groups)?.into_iter().collect();
            let items = rows
                .into_iter()
                .map(|row| {
                    let name = row.group_id.and_then(|group| names.get(&group).cloned());
                    to_dto(row, name)
                })
                .collect();
            Ok::<_, ApiError>(Page { items, total, page, per_page })
        })
        .await
}

const GONE: &str = "Подписка не найдена: уведомление уже пришло или подписка отменена";

/// The family withdraws one of its requests.
pub async fn cancel(state: &AppState, caller: AuthUser, id: i64) -> ApiResult<()> {
    caller.require(&FAMILY)?;
    let done = state.db(move |conn| repo::cancel(conn, id, caller.id, crate::clock::now())).await?;
    if done { Ok(()) } else { Err(ApiError::NotFound { detail: GONE }) }
}

/// The link of the confirmation message withdraws its request, signed in or not.
pub async fn unsubscribe(state: &AppState, token: String) -> ApiResult<()> {
    let hash = crate::auth::tokens::hash_token(&token);
    let done = state.db(move |conn| repo::cancel_by_token(conn, &hash, crate::clock::now())).await?;
    if done { Ok(()) } else { Err(ApiError::NotFound { detail: GONE }) }
}

/// The housekeeping's pass: a group may open for applications by its date
/// alone (`enrolment_from`), with nobody saving it; the requests waiting on
/// it are answered then. Each group in its own transaction, under its lock.
pub fn announce_due(conn: &mut DbConn, links: &Links) -> ApiResult<usize> {
    let mut told = 0;
    for group in repo::awaited_groups(conn)? {
        told += crate::db::write_tx(conn, |conn| {
            places::lock(conn, group)?;
            announce(conn, links, group)
        })?;
    }
    Ok(told)
}

/// After a change of a group's places (a place freed, more places, a new
/// group, enrolment opened): when the group takes applications and nobody
/// waits in its list, each open request about it or about its program is
/// answered once, in the order asked. Runs in the change's transaction,
/// under the group's lock; answers how many families were told.
pub fn announce(conn: &mut DbConn, links: &Links, group: i64) -> ApiResult<usize> {
    let Some(places_now) = repo::group(conn, group)? else { return Ok(0) };
    if !places_now.accepting(crate::clock::today()) || !places::waiting(conn, group, 1)?.is_empty() {
        return Ok(0);
    }
    let free = places_now.capacity - places_now.enrolled;
    let now = crate::clock::now();
    let mut told = 0;
    for row in repo::waiting_for(conn, places_now.program_id, group)? {
        if !repo::mark_alerted(conn, row.id, now)? {
            continue;
        }
        let Some(user) = accounts::repo::find(conn, row.user_id)? else { continue };
        if user.disabled() {
            continue;
        }
        let what = describe(&row.program_title, Some(&places_now.name));
        let apply = links.page(&format!("/programs/{}?tab=groups", row.program_id));
        let email = templates::places_appeared(&user.greeting_name(), &what, free, &apply);
        notifications::inform(conn, accounts::service::recipient(&user), email)?;
        told += 1;
    }
    Ok(told)
}
