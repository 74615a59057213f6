//! Where staff work: an operator's municipality and a staff member's
//! organization. They decide what the person may see, so only the admin (or
//! the operator above the staff member) sets them, through one audited action;
//! the person's own profile never does.

use diesel::prelude::*;
use navigator_shared::accounts::{Role, StaffAccount, StaffAssignment, ValidAssignment};
use navigator_shared::reference::{Page, PageQuery};
use serde_json::json;

use super::repo::{self, UserRow};
use crate::audit::{self, Action};
use crate::auth::AuthUser;
use crate::auth::scope::{self, Territory};
use crate::db::schema::{organizations, users};
use crate::db::{DbConn, write_tx};
use crate::error::{ApiError, ApiResult};
use crate::notifications::now;
use crate::{AppState, reference};

const NO_STAFF: &str = "Сотрудник не найден";

/// The operators of the region with their municipalities (the admin's list).
pub async fn operators(state: &AppState, caller: AuthUser, query: PageQuery) -> ApiResult<Page<StaffAccount>> {
    let (page, per_page) = query.resolve()?;
    if caller.role != Role::Admin {
        return Err(ApiError::Forbidden {
            code: "admin_only",
            detail: "Список операторов ведёт администратор региона",
        });
    }
    state
        .db(move |conn| {
            let (rows, total) = repo::operators(conn, (page - 1) * per_page, per_page)?;
            let items = rows.into_iter().map(|user| account(user, Role::Operator)).collect();
            Ok::<_, ApiError>(Page { items, total, page, per_page })
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
                let role = Role::parse(&user.role)
                    .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("unknown role {:?}", user.role)))?;
                let changes = match (role, target) {
                    (Role::Operator, ValidAssignment::Municipality(municipality)) => {
                        if territory != Territory::Region {
                            return Err(ApiError::Forbidden {
                                code: "admin_only",
                                detail: "Муниципалитет оператора назначает администратор региона",
                            });
                        }
                        if !reference::repo::municipality_exists(conn, municipality)? {
                            return Err(ApiError::field(
                                "unknown_municipality",
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
                                    "unknown_organization",
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
                            "validation_failed",
                            "organization_id",
                            "Оператору назначается муниципалитет, а не организация",
                        ));
                    }
                    (Role::OrgStaff, ValidAssignment::Municipality(_)) => {
                        return Err(ApiError::field(
                            "validation_failed",
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
    }
}
