//! The admin's settings of the region.

use navigator_shared::ErrorCode;
use navigator_shared::accounts::Role;
use navigator_shared::reference::{Municipality, MunicipalityInput, PopulationInput, RegionSettings, RegionUpdate};
use serde_json::{Map, Value, json};

use super::repo;
use crate::AppState;
use crate::audit::{self, Action};
use crate::auth::AuthUser;
use crate::db::write_tx;
use crate::error::{ApiError, ApiResult};

/// Changes the region's settings (admin); the changed values are audited.
pub async fn update(state: &AppState, caller: AuthUser, body: RegionUpdate) -> ApiResult<RegionSettings> {
    if caller.role != Role::Admin {
        return Err(ApiError::Forbidden {
            code: ErrorCode::AdminOnly,
            detail: "Настройки региона меняет администратор",
        });
    }
    let update = body.validate(crate::clock::today())?;
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let before = repo::region(conn)?;
                repo::update_region(conn, &update)?;
                let after = repo::region(conn)?;
                let changes = changes(&before, &after)?;
                if !changes.is_empty() {
                    audit::record_account(
                        conn,
                        caller.id,
                        Action::Settings,
                        &Value::Object(changes),
                        "Настройки региона",
                    )?;
                }
                Ok::<_, ApiError>(after)
            })
        })
        .await
}

const NO_MUNICIPALITY: &str = "Муниципалитет не найден";

fn admin_only(caller: &AuthUser) -> ApiResult<()> {
    if caller.role == Role::Admin {
        Ok(())
    } else {
        Err(ApiError::Forbidden {
            code: ErrorCode::AdminOnly, detail: "Муниципалитеты ведёт администратор региона"
        })
    }
}

fn name_taken() -> ApiError {
    ApiError::Conflict {
        code: ErrorCode::MunicipalityExists,
        detail: "Муниципалитет с таким названием уже есть".into(),
    }
}

/// What a change of a municipality did: its id, and the audited changes with
/// their reason (none when nothing changed).
type Changed = (i64, Option<(Value, &'static str)>);

/// Runs the admin's `change` of a municipality (the caller checked the role)
/// in one write transaction,
/// audits it and answers the municipality as it is afterwards.
async fn change_municipality<F>(state: &AppState, caller: AuthUser, change: F) -> ApiResult<Municipality>
where
    F: FnOnce(&mut crate::db::DbConn) -> ApiResult<Changed> + Send + 'static,
{
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let (id, audited) = change(conn)?;
                if let Some((changes, reason)) = audited {
                    audit::record_account(conn, caller.id, Action::Settings, &changes, reason)?;
                }
                repo::municipality(conn, id)?.ok_or(ApiError::NotFound { detail: NO_MUNICIPALITY })
            })
        })
        .await
}

/// Adds a municipality (admin); audited.
pub async fn create_municipality(
    state: &AppState,
    caller: AuthUser,
    body: MunicipalityInput,
) -> ApiResult<Municipality> {
    admin_only(&caller)?;
    let (name, center) = body.validate()?;
    change_municipality(state, caller, move |conn| {
        if repo::name_taken(conn, &name, None)? {
            return Err(name_taken());
        }
        let id = crate::db::insert_unique(conn, |c| repo::add_municipality(c, &name, center))?.ok_or_else(name_taken)?;
        let changes =
            json!({ "municipality_id": id, "name": { "old": null, "new": name }, "center": { "old": null, "new": center } });
        Ok((id, Some((changes, "Новый муниципалитет"))))
    })
    .await
}

/// Renames a municipality (admin); audited with the old and new name.
pub async fn rename_municipality(
    state: &AppState,
    caller: AuthUser,
    id: i64,
    body: MunicipalityInput,
) -> ApiResult<Municipality> {
    admin_only(&caller)?;
    let (name, center) = body.validate()?;
    change_municipality(state, caller, move |conn| {
        let old = repo::municipality(conn, id)?.ok_or(ApiError::NotFound { detail: NO_MUNICIPALITY })?;
        if repo::name_taken(conn, &name, Some(id))? {
            return Err(name_taken());
        }
        crate::db::insert_unique(conn, |c| repo::update_municipality(c, id, &name, center))?.ok_or_else(name_taken)?;
        let moved = center.is_some_and(|c| Some(c) != old.center);
        let mut changes = json!({ "municipality_id": id });
        if old.name != name {
            changes["name"] = json!({ "old": old.name, "new": name });
        }
        if moved {
            changes["center"] = json!({ "old": old.center, "new": center });
        }
        Ok((id, (old.name != name || moved).then_some((changes, "Изменение муниципалитета"))))
    })
    .await
}

/// Sets the population of children aged 5–18 of a year (admin); audited.
pub async fn set_population(
    state: &AppState,
    caller: AuthUser,
    id: i64,
    year: i32,
    body: PopulationInput,
) -> ApiResult<Municipality> {
    admin_only(&caller)?;
    let (year, children) = body.validate(year)?;
    change_municipality(state, caller, move |conn| {
        if repo::municipality_name(conn, id)?.is_none() {
            return Err(ApiError::NotFound { detail: NO_MUNICIPALITY });
        }
        let old = repo::set_population(conn, id, year, children)?;
        let changes = json!({ "municipality_id": id, "year": year, "children": { "old": old, "new": children } });
        Ok((id, Some((changes, "Численность детей 5–18 лет"))))
    })
    .await
}

/// `{field: {old, new}}` of the settings that differ.
fn changes(before: &RegionSettings, after: &RegionSettings) -> ApiResult<Map<String, Value>> {
    let (before, after) = (to_map(before)?, to_map(after)?);
    Ok(after
        .into_iter()
        .filter(|(field, new)| before.get(field) != Some(new))
        .map(|(field, new)| {
            let old = before.get(&field).cloned().unwrap_or(Value::Null);
            (field, json!({ "old": old, "new": new }))
        })
        .collect())
}

fn to_map(settings: &RegionSettings) -> ApiResult<Map<String, Value>> {
    match serde_json::to_value(settings).map_err(anyhow::Error::from)? {
        Value::Object(map) => Ok(map),
        other => Err(ApiError::Internal(anyhow::anyhow!("region settings serialised as {other}"))),
    }
}
