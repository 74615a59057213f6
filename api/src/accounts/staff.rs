//! Where staff work: an operator's municipality and a staff member's
//! organization. They decide what the person may see, so only the admin (or
//! the operator above the staff member) sets them, through one audited action;
//! the person's own profile never does.

use diesel::prelude::*;
use navigator_shared::ErrorCode;
use navigator_shared::accounts::{
    AccountSwitch, Role, StaffAccount, StaffAssignment, StaffInvite, StaffQuery, ValidAssignment,
};
use navigator_shared::reference::Page;
use serde_json::json;

use super::repo::{self, UserRow};
use super::service;
use crate::audit::{self, Action};
use crate::auth::AuthUser;
use crate::auth::scope::{self, Territory};
use crate::db::schema::{organizations, users};
use crate::db::{DbConn, write_tx};
use crate::error::{ApiError, ApiResult};
use crate::notifications::now;
use crate::{AppState, reference};

const NO_STAFF: &str = "Сотрудник не найден";

/// The operators or the admins of the region (the admin's list).
pub async fn list(state: &AppState, caller: AuthUser, query: StaffQuery) -> ApiResult<Page<StaffAccount>> {
    let (page, per_page) = query.pages().resolve()?;
    let role = query.role.unwrap_or(Role::Operator);
    admin_only(&caller, "Список сотрудников региона ведёт администратор региона")?;
    if !matches!(role, Role::Operator | Role::Admin) {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "role",
            "Список ведётся для операторов и администраторов; сотрудники организаций — в реестре организаций",
        ));
    }
    state
        .db(move |conn| {
            let (rows, total) = repo::of_role(conn, role, page, per_page)?;
            let items = rows.into_iter().map(|user| account(user, role)).collect();
            Ok::<_, ApiError>(Page { items, total, page, per_page })
        })
        .await
}

fn admin_only(caller: &AuthUser, detail: &'static str) -> ApiResult<()> {
    if caller.role == Role::Admin { Ok(()) } else { Err(ApiError::Forbidden { code: ErrorCode::AdminOnly, detail }) }
}

/// The admin opens the account of an operator or another admin; the person
/// sets the password from the emailed link. Audited.
pub async fn invite(state: &AppState, caller: AuthUser, request: StaffInvite) -> ApiResult<StaffAccount> {
    let person = request.validate()?;
    admin_only(&caller, "Учётные записи операторов и администраторов открывает администратор региона")?;
    let role = request.role;
    let links = state.links();
    let ttl = state.config.email_confirm_ttl;
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let by = service::signature(conn, &caller)?;
                let id = service::invite(conn, &links, ttl, &person, role, &by)?;
                let changes =
                    json!({ "user_id": id, "role": role.as_str(), "municipality_id": person.municipality_id });
                audit::record_account(conn, caller.id, Action::Create, &changes, "Новая учётная запись")?;
                let user = repo::find(conn, id)?.ok_or(ApiError::NotFound { detail: NO_STAFF })?;
                Ok::<_, ApiError>(account(user, role))
            })
        })
        .await
}

/// Switches a staff account off (`on == false`) or on again. The admin
/// switches any staff account but his own; the operator, the staff of his
/// municipality's organizations. Switching off ends the sessions at once.
/// Audited with the reason; repeating a switch changes nothing.
pub async fn switch(
    state: &AppState,
    caller: AuthUser,
    id: i64,
    on: bool,
    request: AccountSwitch,
) -> ApiResult<StaffAccount> {
    let reason = request.validate()?;
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let territory = scope::territory(conn, &caller)?;
                let user = repo::find(conn, id)?.ok_or(ApiError::NotFound { detail: NO_STAFF })?;
                let role = user.role;
                let reach = match role {
                    Role::OrgStaff => {
                        let home = match user.organization_id {
                            Some(organization) => home_of(conn, organization)?,
                            None => None,
                        };
                        territory == Territory::Region || home.is_some_and(|home| territory.covers(home))
                    }
                    Role::Operator | Role::Admin => territory == Territory::Region,
                    Role::Parent | Role::Learner => false,
                };
                if !reach {
                    return Err(ApiError::NotFound { detail: NO_STAFF });
                }
                if user.id == caller.id {
                    return Err(ApiError::Conflict {
                        code: ErrorCode::OwnAccount,
                        detail: "Свою учётную запись отключить нельзя: это сделает другой администратор".into(),
                    });
                }
                if user.disabled() != on {
                    return Ok(account(user, role));
                }
                let (at, action) = if on { (None, Action::Enable) } else { (Some(now()), Action::Disable) };
                repo::set_disabled(conn, user.id, at)?;
                if !on {
                    repo::revoke_sessions(conn, user.id, None)?;
                }
                let changes = json!({ "user_id": user.id, "disabled": { "old": user.disabled(), "new": !on } });
                audit::record_account(conn, caller.id, action, &changes, &reason)?;
                let user = repo::find(conn, user.id)?.ok_or(ApiError::NotFound { detail: NO_STAFF })?;
                Ok(account(user, role))
            })
        })
        .await
}

/// Sets where a staff member works; answers the account as it is afterwards.
pub async fn assign(state: &AppState, caller: AuthUser, id: i64, request: StaffAssignment) -> ApiResult<StaffAccount> {
    let (target, reason) = request.validate()?;
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let territory = scope::territory(conn, &caller)?;
                let user = repo::find(conn, id)?.ok_or(ApiError::NotFound { detail: NO_STAFF })?;
                let role = user.role;
                let changes = match (role, target) {
                    (Role::Operator, ValidAssignment::Municipality(municipality)) => {
                        if territory != Territory::Region {
                            return Err(ApiError::Forbidden {
                                code: ErrorCode::AdminOnly,
                                detail: "Муниципалитет оператора назначает администратор региона",
                            });
                        }
                        if !reference::repo::municipality_exists(conn, municipality)? {
                            return Err(ApiError::field(
                                ErrorCode::UnknownMunicipality,
                                "municipality_id",
                                "Такого муниципалитета нет в списке",
                            ));
                        }
                        diesel::update(users::table.find(user.id))
                            .set((users::municipality_id.eq(Some(municipality)), users::updated_at.eq(now())))
                            .execute(conn)?;
                        json!({ "user_id": user.id, "municipality_id": { "old": user.municipality_id, "new": municipality } })
                    }
                    (Role::OrgStaff, ValidAssignment::Organization(organization)) => {
                        if let Some(current) = user.organization_id {
                            // An operator moves only his own municipality's staff.
                            if !territory.covers(home_of(conn, current)?.unwrap_or_default()) {
                                return Err(ApiError::NotFound { detail: NO_STAFF });
                            }
                        }
                        match home_of(conn, organization)? {
                            Some(home) if territory.covers(home) => {}
                            _ => {
                                return Err(ApiError::field(
                                    ErrorCode::UnknownOrganization,
                                    "organization_id",
                                    "Организация не найдена в вашем реестре",
                                ));
                            }
                        }
                        repo::set_organization(conn, user.id, organization)?;
                        json!({ "user_id": user.id, "organization_id": { "old": user.organization_id, "new": organization } })
                    }
                    (Role::Operator, ValidAssignment::Organization(_)) => {
                        return Err(ApiError::field(
                            ErrorCode::ValidationFailed,
                            "organization_id",
                            "Оператору назначается муниципалитет, а не организация",
                        ));
                    }
                    (Role::OrgStaff, ValidAssignment::Municipality(_)) => {
                        return Err(ApiError::field(
                            ErrorCode::ValidationFailed,
                            "municipality_id",
                            "Сотруднику организации назначается организация, а не муниципалитет",
                        ));
                    }
                    _ => return Err(ApiError::NotFound { detail: NO_STAFF }),
                };
                audit::record_account(conn, caller.id, Action::Assign, &changes, &reason)?;
                let user = repo::find(conn, user.id)?.ok_or(ApiError::NotFound { detail: NO_STAFF })?;
                Ok(account(user, role))
            })
        })
        .await
}

fn home_of(conn: &mut DbConn, organization: i64) -> QueryResult<Option<i64>> {
    organizations::table.find(organization).select(organizations::municipality_id).first(conn).optional()
}

fn account(user: UserRow, role: Role) -> StaffAccount {
    let full_name = match &user.middle_name {
        Some(middle) => format!("{} {} {middle}", user.last_name, user.first_name),
        None => format!("{} {}", user.last_name, user.first_name),
    };
    StaffAccount {
        id: user.id,
        email: user.email,
        full_name,
        role,
        municipality_id: user.municipality_id,
        organization_id: user.organization_id,
        disabled: user.disabled_at.is_some(),
    }
}
