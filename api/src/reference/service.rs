//! The admin's settings of the region.

use chrono::Utc;
use navigator_shared::accounts::Role;
use navigator_shared::reference::{RegionSettings, RegionUpdate};
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
            code: "admin_only", detail: "Настройки региона меняет администратор"
        });
    }
    let update = body.validate(Utc::now().date_naive())?;
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
