//! The admin's production calendar: the days that differ from the statutory rules.

use actix_web::{HttpResponse, delete, get, put, web};
use chrono::NaiveDate;
use navigator_shared::ErrorCode;
use navigator_shared::accounts::Role;
use navigator_shared::calendar::{CalendarOverride, CalendarOverrideInput, YearQuery};

use super::repo;
use crate::AppState;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult, answers};

fn year_bounds(year: i32) -> ApiResult<(NaiveDate, NaiveDate)> {
    match (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) {
        (Some(from), Some(to)) if (2000..=2100).contains(&year) => Ok((from, to)),
        _ => Err(ApiError::field(ErrorCode::InvalidYear, "year", "Год — от 2000 до 2100")),
    }
}

/// The overrides of a year (admin).
#[utoipa::path(
    tag = "calendar",
    security(("bearer" = [])),
    params(YearQuery),
    responses((status = 200, body = Vec<CalendarOverride>), answers::Forbidden)
)]
#[get("/calendar/overrides")]
pub async fn list(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<YearQuery>,
) -> ApiResult<web::Json<Vec<CalendarOverride>>> {
    caller.require(&[Role::Admin])?;
    let (from, to) = year_bounds(query.year)?;
    let rows = state.db(move |c| repo::list(c, from, to)).await?;
    Ok(web::Json(rows))
}

/// Makes a day working or a day off (admin), e.g. the government's yearly transfers.
#[utoipa::path(
    tag = "calendar",
    security(("bearer" = [])),
    params(("day" = NaiveDate, Path, description = "The date, YYYY-MM-DD")),
    request_body = CalendarOverrideInput,
    responses(
        (status = 200, body = CalendarOverride),
        answers::Invalid,
        answers::Forbidden,
    )
)]
#[put("/calendar/overrides/{day}")]
pub async fn set(
    state: web::Data<AppState>,
    caller: AuthUser,
    day: web::Path<NaiveDate>,
    body: web::Json<CalendarOverrideInput>,
) -> ApiResult<web::Json<CalendarOverride>> {
    caller.require(&[Role::Admin])?;
    let day = day.into_inner();
    year_bounds(chrono::Datelike::year(&day))?;
    let note = body.note.trim().to_owned();
    if note.chars().count() > 300 {
        return Err(ApiError::field(ErrorCode::ValidationFailed, "note", "Не более 300 символов"));
    }
    let working = body.working;
    let saved = note.clone();
    state.db(move |c| repo::set(c, day, working, &saved)).await?;
    Ok(web::Json(CalendarOverride { day, working, note }))
}

/// Returns a day to the statutory rules (admin).
#[utoipa::path(
    tag = "calendar",
    security(("bearer" = [])),
    params(("day" = NaiveDate, Path, description = "The date, YYYY-MM-DD")),
    responses((status = 204), answers::Forbidden)
)]
#[delete("/calendar/overrides/{day}")]
pub async fn remove(
    state: web::Data<AppState>,
    caller: AuthUser,
    day: web::Path<NaiveDate>,
) -> ApiResult<HttpResponse> {
    caller.require(&[Role::Admin])?;
    let day = day.into_inner();
    state.db(move |c| repo::remove(c, day)).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list).service(set).service(remove);
}
