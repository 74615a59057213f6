//! What part of the region, or which organization, a staff caller works for.

use diesel::prelude::*;
use navigator_shared::ErrorCode;
use navigator_shared::accounts::Role;

use super::AuthUser;
use crate::accounts;
use crate::db::DbConn;
use crate::error::{ApiError, ApiResult};
use navigator_shared::ids::ApplicationId;
use navigator_shared::ids::ChildId;

/// The territory an operator or admin administers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Territory {
    /// The admin: the whole region.
    Region,
    /// An operator of one municipality.
    Municipality(i64),
}

impl Territory {
    pub fn covers(self, municipality: i64) -> bool {
        match self {
            Territory::Region => true,
            Territory::Municipality(own) => own == municipality,
        }
    }

    /// 403 `outside_territory` with `detail` unless the territory covers `municipality`.
    pub fn require(self, municipality: i64, detail: &'static str) -> ApiResult<()> {
        if self.covers(municipality) {
            Ok(())
        } else {
            Err(ApiError::Forbidden { code: ErrorCode::OutsideTerritory, detail })
        }
    }

    /// The municipality to narrow a list to, if any.
    pub fn municipality(self) -> Option<i64> {
        match self {
            Territory::Region => None,
            Territory::Municipality(own) => Some(own),
        }
    }
}

/// The caller's territory; 403 for anyone but operators and admins.
pub fn territory(conn: &mut DbConn, caller: &AuthUser) -> ApiResult<Territory> {
    match caller.role {
        Role::Admin => Ok(Territory::Region),
        Role::Operator => {
            let user = accounts::repo::find(conn, caller.id)?.ok_or_else(ApiError::unauthenticated)?;
            user.municipality_id.map(Territory::Municipality).ok_or(ApiError::Forbidden {
                code: ErrorCode::NoMunicipality,
                detail: "Оператору не назначен муниципалитет: обратитесь к администратору",
            })
        }
        _ => Err(ApiError::forbidden()),
    }
}

/// The organization of a staff caller; 403 for other roles and for staff
/// without an organization.
pub fn organization(conn: &mut DbConn, caller: &AuthUser) -> ApiResult<i64> {
    caller.require(&[Role::OrgStaff])?;
    let organization = crate::db::schema::users::table
        .find(caller.id)
        .select(crate::db::schema::users::organization_id)
        .first::<Option<i64>>(conn)
        .optional()?
        .flatten();
    organization.ok_or(ApiError::Forbidden {
        code: ErrorCode::NoOrganization,
        detail: "Ваша учётная запись не привязана к организации: обратитесь к оператору",
    })
}

/// A child of the caller's family: held in the caller's account, or one the
/// caller is an active guardian of; 404 for anybody else's child.
pub fn owned_child(conn: &mut DbConn, caller: &AuthUser, id: ChildId) -> ApiResult<crate::children::repo::ChildRow> {
    match crate::children::repo::find(conn, id)? {
        Some(child) if in_family(conn, caller, &child)? => Ok(child),
        _ => Err(ApiError::NotFound { detail: CHILD_NOT_FOUND }),
    }
}

/// A child held in the caller's account: what only the holder does (editing
/// the data, withdrawing the consent, inviting and revoking guardians). A
/// guardian gets 403 with the reason, anybody else 404.
pub fn held_child(conn: &mut DbConn, caller: &AuthUser, id: ChildId) -> ApiResult<crate::children::repo::ChildRow> {
    let child = owned_child(conn, caller, id)?;
    if child.parent_id != caller.id {
        return Err(ApiError::Forbidden {
            code: ErrorCode::Forbidden,
            detail: "Это может сделать только родитель, в учётной записи которого ребёнок",
        });
    }
    Ok(child)
}

/// Whether the caller is the child's family: the account holding it, or an
/// active guardian (a parent account).
fn in_family(conn: &mut DbConn, caller: &AuthUser, child: &crate::children::repo::ChildRow) -> ApiResult<bool> {
    if child.parent_id == caller.id {
        return Ok(true);
    }
    Ok(caller.role == Role::Parent && crate::children::guardians::repo::is_guardian(conn, child.id, caller.id)?)
}

const CHILD_NOT_FOUND: &str = "Ребёнок не найден";

/// An application of the caller's family, or 404.
pub fn application_of_family(
    conn: &mut DbConn,
    caller: &AuthUser,
    id: ApplicationId,
) -> ApiResult<crate::applications::repo::ApplicationRow> {
    let row = crate::applications::repo::find(conn, id)?.ok_or(ApiError::NotFound { detail: APPLICATION_NOT_FOUND })?;
    match crate::children::repo::find(conn, row.child_id)? {
        Some(child) if in_family(conn, caller, &child)? => Ok(row),
        _ => Err(ApiError::NotFound { detail: APPLICATION_NOT_FOUND }),
    }
}

/// An application to the caller's organization, or 404.
pub fn application_of_organization(
    conn: &mut DbConn,
    caller: &AuthUser,
    id: ApplicationId,
) -> ApiResult<crate::applications::repo::ApplicationRow> {
    let own = organization(conn, caller)?;
    crate::applications::repo::find(conn, id)?
        .filter(|row| row.organization_id == own)
        .ok_or(ApiError::NotFound { detail: APPLICATION_NOT_FOUND })
}

const APPLICATION_NOT_FOUND: &str = "Заявка не найдена";
