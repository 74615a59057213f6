//! Rules of second guardians: only the holder invites and revokes; only the
//! account with the invited address accepts, in time and once; each member
//! of the family is told of every change and sees who did what.

use chrono::TimeDelta;
use navigator_shared::ErrorCode;
use navigator_shared::FieldErrors;
use navigator_shared::accounts::Role;
use navigator_shared::children::Child;
use navigator_shared::guardians::{
    self as rules, FamilyAction, Guardian, GuardianInvitation, GuardianInvite, GuardianStatus, Guardians,
};
use navigator_shared::ids::ChildId;
use navigator_shared::reference::{Page, PageQuery};

use super::repo::{self, GuardianRow, NewInvitation};
use crate::audit::{self, Action};
use crate::auth::{AuthUser, scope, tokens};
use crate::children::repo::ChildRow;
use crate::db::{DbConn, write_tx};
use crate::error::{ApiError, ApiResult};
use crate::notifications::{self, templates};
use crate::{AppState, Links, accounts};

const NOT_FOUND: &str = "Приглашение не найдено";

/// Invitations one child may get in a day: an inbox is not to be flooded.
const INVITES_PER_DAY: i64 = 5;

/// Who acts for the child: the holder and the open invitations and guardians.
pub async fn list(state: &AppState, caller: AuthUser, child: i64) -> ApiResult<Guardians> {
    state
        .db(move |conn| {
            let child = scope::owned_child(conn, &caller, ChildId(child))?;
            guardians_of(conn, &caller, &child)
        })
        .await
}

fn guardians_of(conn: &mut DbConn, caller: &AuthUser, child: &ChildRow) -> ApiResult<Guardians> {
    let now = crate::clock::now();
    let holder = accounts::repo::find(conn, child.parent_id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
    let you_hold = holder.id == caller.id;
    let mut guardians = Vec::new();
    for row in repo::open_of_child(conn, child.id)? {
        let name = match row.user_id {
            Some(user) => accounts::repo::find(conn, user)?.map(|u| format!("{} {}", u.last_name, u.first_name)),
            None => None,
        };
        guardians.push(to_dto(&row, name, you_hold, caller.id, now));
    }
    Ok(Guardians { holder_name: format!("{} {}", holder.last_name, holder.first_name), you_hold, guardians })
}

fn to_dto(
    row: &GuardianRow,
    name: Option<String>,
    you_hold: bool,
    caller: i64,
    now: chrono::NaiveDateTime,
) -> Guardian {
    let status = row.status_at(now);
    Guardian {
        id: row.id,
        relationship: row.relationship,
        status,
        email: if you_hold { row.email.clone() } else { rules::mask_email(&row.email) },
        name,
        invited_at: row.created_at.and_utc(),
        expires_at: row.expires_at.and_utc(),
        accepted_at: row.accepted_at.map(|at| at.and_utc()),
        can_end: you_hold || row.user_id == Some(caller),
    }
}

/// The holder invites an adult by email; the message carries the link.
pub async fn invite(state: &AppState, caller: AuthUser, child: i64, input: GuardianInvite) -> ApiResult<Guardian> {
    caller.require(&[Role::Parent])?;
    let (email, relationship) = input.validate()?;
    let links = state.links();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                // The child's row first: two invitations at once count each other.
                crate::children::repo::lock(conn, ChildId(child))?;
                let child = scope::held_child(conn, &caller, ChildId(child))?;
                child.processable()?;
                let holder = accounts::repo::find(conn, caller.id)?.ok_or_else(ApiError::unauthenticated)?;
                if holder.email == email.as_str() {
                    return Err(ApiError::Validation(FieldErrors::one(
                        "email",
                        "Это адрес вашей учётной записи: укажите адрес второго родителя или опекуна",
                    )));
                }
                let now = crate::clock::now();
                repo::expire_stale(conn, child.id, now)?;
                if repo::open_of_child(conn, child.id)?.len() >= rules::MAX_GUARDIANS {
                    return Err(ApiError::Conflict {
                        code: ErrorCode::GuardianLimit,
                        detail: format!(
                            "У ребёнка уже {} представителя с доступом или приглашением: отмените одно из них, \
                             чтобы пригласить нового",
                            rules::MAX_GUARDIANS
                        ),
                    });
                }
                if repo::invited_since(conn, child.id, now - TimeDelta::days(1))? >= INVITES_PER_DAY {
                    return Err(ApiError::RateLimited { retry_after: std::time::Duration::from_secs(24 * 3600) });
                }
                let (token, token_hash) = tokens::opaque_token();
                let new = NewInvitation {
                    child_id: child.id,
                    invited_by: caller.id,
                    email: email.as_str(),
                    relationship,
                    token_hash: &token_hash,
                    expires_at: now + TimeDelta::days(rules::INVITATION_DAYS),
                };
                let Some(id) = repo::invite(conn, &new, now)? else {
                    let detail = "Этот адрес уже приглашён или уже имеет доступ к данным ребёнка";
                    return Err(ApiError::FieldConflict {
                        code: ErrorCode::GuardianExists,
                        detail: detail.into(),
                        errors: FieldErrors::one("email", detail),
                    });
                };
                let link = links.with_token("/guardians/accept", &token);
                let message = templates::guardian_invited(
                    &format!("{} {}", holder.first_name, holder.last_name),
                    &child.first_name,
                    relationship.title(),
                    &link,
                    rules::INVITATION_DAYS,
                );
                // The address may have no account: the invitation goes by email only.
                let to = notifications::Recipient { user_id: caller.id, address: email.as_str(), confirmed: true };
                notifications::send_access_email(conn, to, message)?;
                let what = format!("{} ({}), {}", relationship.title(), email.as_str(), child.first_name);
                audit::record(conn, caller.id, child.id, Action::InviteGuardian, None, Some(&what))?;
                let row = repo::find(conn, id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
                Ok(to_dto(&row, None, true, caller.id, now))
            })
        })
        .await
}

/// What an invitation offers, for the page its link opens (no sign-in:
/// the link itself is the secret).
pub async fn preview(state: &AppState, token: String) -> ApiResult<GuardianInvitation> {
    state
        .db(move |conn| {
            let row =
                repo::by_token(conn, &tokens::hash_token(&token))?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
            offer(conn, &row)
        })
        .await
}

/// The invitations waiting for the caller's address, so that an adult who
/// registered after the email finds them without its link.
pub async fn waiting(state: &AppState, caller: AuthUser) -> ApiResult<Vec<GuardianInvitation>> {
    caller.require(&[Role::Parent])?;
    state
        .db(move |conn| {
            let me = accounts::repo::find(conn, caller.id)?.ok_or_else(ApiError::unauthenticated)?;
            let rows = repo::open_to(conn, &me.email, crate::clock::now())?;
            rows.iter().map(|row| offer(conn, row)).collect::<ApiResult<Vec<_>>>()
        })
        .await
}

fn offer(conn: &mut DbConn, row: &GuardianRow) -> ApiResult<GuardianInvitation> {
    let child = crate::children::repo::find(conn, row.child_id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
    let inviter = accounts::repo::find(conn, row.invited_by)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
    let status = row.status_at(crate::clock::now());
    Ok(GuardianInvitation {
        id: row.id,
        invited_by: inviter.greeting_name(),
        child_first_name: child.first_name,
        relationship: row.relationship,
        status,
        expires_at: row.expires_at.and_utc(),
        email: rules::mask_email(&row.email),
    })
}

/// Which invitation is accepted: by the emailed link, or by its id from the
/// list of those waiting for the caller's address.
pub enum Invitation {
    Link(String),
    Id(i64),
}

/// The invited adult, signed in with the invited address, accepts: from
/// now on the child is in his list. Answers the child's record.
pub async fn accept(state: &AppState, caller: AuthUser, invitation: Invitation) -> ApiResult<Child> {
    caller.require(&[Role::Parent])?;
    let links = state.links();
    let child = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let invalid = || ApiError::Conflict {
                    code: ErrorCode::InvitationInvalid,
                    detail: "Приглашение недействительно: срок истёк, оно отменено или уже принято. Попросите \
                             родителя прислать новое"
                        .into(),
                };
                let row = match &invitation {
                    Invitation::Link(token) => repo::by_token(conn, &tokens::hash_token(token))?,
                    Invitation::Id(id) => repo::find(conn, *id)?,
                };
                let row = row.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
                let child =
                    crate::children::repo::lock(conn, row.child_id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
                let me = accounts::repo::find(conn, caller.id)?.ok_or_else(ApiError::unauthenticated)?;
                if row.user_id == Some(caller.id) && row.status == GuardianStatus::Active {
                    return Ok(child.id);
                }
                if me.email != row.email {
                    // An id proves nothing: somebody else's invitation looks missing.
                    if let Invitation::Id(_) = invitation {
                        return Err(ApiError::NotFound { detail: NOT_FOUND });
                    }
                    return Err(ApiError::Forbidden {
                        code: ErrorCode::InvitationOtherAccount,
                        detail: "Приглашение отправлено на другой адрес электронной почты: войдите в учётную запись \
                                 с этим адресом или зарегистрируйтесь с ним",
                    });
                }
                if child.parent_id == caller.id {
                    return Err(invalid());
                }
                child.processable()?;
                let now = crate::clock::now();
                if !repo::accept(conn, row.id, caller.id, now)? {
                    return Err(invalid());
                }
                let what = format!("{} {} ({})", me.last_name, me.first_name, row.relationship.title());
                audit::record(conn, caller.id, child.id, Action::JoinGuardian, None, Some(&what))?;
                let told = format!(
                    "{} {} принял(а) приглашение и теперь представляет ребёнка {} в Навигаторе ({}).",
                    me.first_name,
                    me.last_name,
                    child.first_name,
                    row.relationship.title()
                );
                tell_family(conn, &links, child.id, &told)?;
                Ok::<_, ApiError>(child.id)
            })
        })
        .await?;
    crate::children::service::get(state, caller, child.get()).await
}

/// Ends an invitation or a guardianship: the holder revokes any, a guardian
/// leaves his own. Each member of the family is told of an ended access.
pub async fn end(state: &AppState, caller: AuthUser, id: i64) -> ApiResult<()> {
    let links = state.links();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let row = repo::find(conn, id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
                let child =
                    crate::children::repo::lock(conn, row.child_id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
                let holder = child.parent_id == caller.id;
                if !holder && row.user_id != Some(caller.id) {
                    return Err(ApiError::NotFound { detail: NOT_FOUND });
                }
                // Told before the access ends, so the one who loses it hears too.
                let who = match row.user_id {
                    Some(user) => {
                        accounts::repo::find(conn, user)?.map(|u| format!("{} {}", u.first_name, u.last_name))
                    }
                    None => None,
                };
                let told = match (&who, holder) {
                    (Some(who), true) => format!(
                        "Доступ {who} ({}) к данным ребёнка {} прекращён родителем.",
                        row.relationship.title(),
                        child.first_name
                    ),
                    (Some(who), false) => format!(
                        "{who} ({}) больше не представляет ребёнка {} в Навигаторе.",
                        row.relationship.title(),
                        child.first_name
                    ),
                    (None, _) => format!("Приглашение для {} отменено.", row.email),
                };
                if row.status == GuardianStatus::Active {
                    tell_family(conn, &links, child.id, &told)?;
                }
                if !repo::end(conn, row.id, GuardianStatus::Revoked, Some(caller.id), crate::clock::now())? {
                    return Err(ApiError::NotFound { detail: NOT_FOUND });
                }
                let what = format!("{} ({})", who.unwrap_or_else(|| row.email.clone()), row.relationship.title());
                audit::record(conn, caller.id, child.id, Action::EndGuardian, None, Some(&what))?;
                Ok(())
            })
        })
        .await
}

/// Tells each member of the child's family `what` changed among its guardians.
fn tell_family(conn: &mut DbConn, links: &Links, child: ChildId, what: &str) -> ApiResult<()> {
    let link = links.page(&format!("/children/{}/guardians", child.get()));
    for member in accounts::repo::family_of(conn, child)? {
        let message = templates::guardians_changed(&member.greeting_name(), what, &link);
        notifications::inform(conn, accounts::service::recipient(&member), message)?;
    }
    Ok(())
}

/// What the members of the family (the holder and every guardian, also a
/// former one) did for the child, newest first.
pub async fn activity(
    state: &AppState,
    caller: AuthUser,
    child: i64,
    query: PageQuery,
) -> ApiResult<Page<FamilyAction>> {
    let (page, per_page) = query.resolve().map_err(ApiError::Validation)?;
    state
        .db(move |conn| {
            let child = scope::owned_child(conn, &caller, ChildId(child))?;
            let guardians = repo::ever_of_child(conn, child.id)?;
            let mut actors: Vec<i64> = guardians.iter().map(|(user, _)| *user).collect();
            actors.push(child.parent_id);
            let (entries, total) = audit::of_child_by(conn, child.id, &actors, (page, per_page))?;
            let items = entries
                .into_iter()
                .map(|entry| {
                    let role = match guardians.iter().find(|(user, _)| *user == entry.actor_id) {
                        Some((_, relationship)) if entry.actor_id != child.parent_id => relationship.title(),
                        _ => "родитель",
                    };
                    FamilyAction {
                        at: entry.at,
                        who: format!("{} ({role})", entry.actor_name),
                        what: action_title(&entry.action, entry.reason.as_deref()),
                    }
                })
                .collect();
            Ok::<_, ApiError>(Page { items, total, page, per_page })
        })
        .await
}

/// «Подана заявка: «Робототехника», группа «Старшая»».
fn action_title(action: &str, reason: Option<&str>) -> String {
    let title = navigator_shared::registry::action_title(action);
    match reason {
        Some(reason) if !reason.is_empty() => format!("{title}: {reason}"),
        _ => title.to_owned(),
    }
}
