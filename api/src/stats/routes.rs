//! HTTP handlers of the operator's statistics.

use actix_web::{HttpResponse, get, web};
use navigator_shared::stats::{Dashboard, FormQuery, FormatQuery, StatsQuery, Table};

use super::service;
use crate::AppState;
use crate::auth::AuthUser;
use crate::error::{ApiResult, answers};

fn download((bytes, content_type, name): service::File) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{name}\"")))
        .insert_header(("Cache-Control", "no-store"))
        .body(bytes)
}

/// The dashboard of a date range (operator, admin): key figures of coverage
/// and money, warnings of limits nearly used, and every table with the chart
/// it is drawn as and a sentence of what it shows. An operator always gets
/// his municipality (403 `outside_territory` for another); the admin the
/// region or the municipality asked for.
#[utoipa::path(
    tag = "stats",
    security(("bearer" = [])),
    params(StatsQuery),
    responses((status = 200, body = Dashboard), answers::Invalid, answers::Unauthenticated, answers::Forbidden, answers::NotFound)
)]
#[get("/stats/dashboard")]
pub async fn dashboard(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<StatsQuery>,
) -> ApiResult<web::Json<Dashboard>> {
    Ok(web::Json(service::dashboard(&state, caller, query.into_inner()).await?))
}

/// One table of the dashboard as CSV (UTF-8 with a BOM, `;`, decimal commas)
/// or XLSX, by its `key`.
#[utoipa::path(
    tag = "stats",
    security(("bearer" = [])),
    params(("key" = String, Path, description = "The table's key, as in the dashboard"), StatsQuery, FormatQuery),
    responses(
        (status = 200, description = "The file: CSV or XLSX as `format` asks", content(
            (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        )),
        answers::Invalid, answers::Unauthenticated, answers::Forbidden, answers::NotFound
    )
)]
#[get("/stats/tables/{key}")]
pub async fn table(
    state: web::Data<AppState>,
    caller: AuthUser,
    key: web::Path<String>,
    query: web::Query<StatsQuery>,
    format: web::Query<FormatQuery>,
) -> ApiResult<HttpResponse> {
    let file = service::table(&state, caller, key.into_inner(), query.into_inner(), format.format).await?;
    Ok(download(file))
}

/// The federal form 1-ДОП of a year: learners by direction, girls, age
/// groups (ages on 1 January of the next year) and programs for children
/// with disabilities; a child counts once per direction and once in the total.
#[utoipa::path(
    tag = "stats",
    security(("bearer" = [])),
    params(FormQuery),
    responses((status = 200, body = Table), answers::Invalid, answers::Unauthenticated, answers::Forbidden, answers::NotFound)
)]
#[get("/stats/form-1dop")]
pub async fn form(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<FormQuery>,
) -> ApiResult<web::Json<Table>> {
    Ok(web::Json(service::form(&state, caller, query.into_inner()).await?))
}

/// The form 1-ДОП as CSV or XLSX.
#[utoipa::path(
    tag = "stats",
    security(("bearer" = [])),
    params(FormQuery, FormatQuery),
    responses(
        (status = 200, description = "The file: CSV or XLSX as `format` asks", content(
            (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        )),
        answers::Invalid, answers::Unauthenticated, answers::Forbidden, answers::NotFound
    )
)]
#[get("/stats/form-1dop/file")]
pub async fn form_file(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<FormQuery>,
    format: web::Query<FormatQuery>,
) -> ApiResult<HttpResponse> {
    Ok(download(service::form_file(&state, caller, query.into_inner(), format.format).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(dashboard).service(table).service(form).service(form_file);
}
