use actix_web::{HttpResponse, get, patch, post, put, web};
use navigator_shared::reference::{
    Municipality, MunicipalityInput, Page, PageQuery, PopulationInput, RegionSettings, RegionUpdate,
};

use super::{repo, service};
use crate::AppState;
use crate::auth::AuthUser;
use crate::error::{ApiResult, answers};

fn with_map(state: &AppState, settings: RegionSettings) -> RegionSettings {
    let map = &state.config.map;
    RegionSettings {
        map_tile_url: map.tile_url.clone(),
        map_attribution: map.attribution.clone(),
        map_center: map.center,
        map_zoom: map.zoom,
        ..settings
    }
}

/// Settings of the region: name, the children's age range for certificates,
/// who confirms certificates, the deadlines and the academic year.
#[utoipa::path(tag = "reference", responses((status = 200, body = RegionSettings)))]
#[get("/region")]
pub async fn region(state: web::Data<AppState>) -> ApiResult<web::Json<RegionSettings>> {
    let settings = state.db(repo::region).await?;
    Ok(web::Json(with_map(&state, settings)))
}

/// Changes the region's settings (admin); audited.
#[utoipa::path(
    tag = "reference",
    request_body = RegionUpdate,
    responses(
        (status = 200, body = RegionSettings),
        (status = 403, description = "Not the admin", body = navigator_shared::Problem, content_type = "application/problem+json"),
        (status = 400, description = "Invalid settings, errors by field", body = navigator_shared::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/region")]
pub async fn update_region(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: web::Json<RegionUpdate>,
) -> ApiResult<web::Json<RegionSettings>> {
    let settings = service::update(&state, caller, body.into_inner()).await?;
    Ok(web::Json(with_map(&state, settings)))
}

/// Municipalities of the region, alphabetically.
#[utoipa::path(
    tag = "reference",
    params(PageQuery),
    responses(
        (status = 200, body = Page<Municipality>),
        (status = 400, description = "Bad page parameters", body = navigator_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/municipalities")]
pub async fn municipalities(
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<Page<Municipality>>> {
    let (page, per_page) = query.resolve()?;
    let (items, total) = state.db(move |c| repo::municipalities(c, page, per_page)).await?;
    Ok(web::Json(Page { items, total, page, per_page }))
}

/// Adds a municipality (admin); audited.
#[utoipa::path(
    tag = "reference",
    request_body = MunicipalityInput,
    responses(
        (status = 201, body = Municipality),
        (status = 400, description = "Invalid name", body = navigator_shared::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the admin", body = navigator_shared::Problem, content_type = "application/problem+json"),
        (status = 409, description = "municipality_exists", body = navigator_shared::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/municipalities")]
pub async fn create_municipality(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: web::Json<MunicipalityInput>,
) -> ApiResult<HttpResponse> {
    let created = service::create_municipality(&state, caller, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(created))
}

/// Renames a municipality (admin); audited.
#[utoipa::path(
    tag = "reference",
    params(("id" = i64, Path, description = "Municipality id")),
    request_body = MunicipalityInput,
    responses(
        (status = 200, body = Municipality),
        (status = 400, description = "Invalid name", body = navigator_shared::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the admin", body = navigator_shared::Problem, content_type = "application/problem+json"),
        answers::NotFound,
        (status = 409, description = "municipality_exists", body = navigator_shared::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/municipalities/{id}")]
pub async fn rename_municipality(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<MunicipalityInput>,
) -> ApiResult<web::Json<Municipality>> {
    Ok(web::Json(service::rename_municipality(&state, caller, id.into_inner(), body.into_inner()).await?))
}

/// Sets the population of children aged 5–18 of a municipality for a year (admin); audited.
#[utoipa::path(
    tag = "reference",
    params(("id" = i64, Path, description = "Municipality id"), ("year" = i32, Path, description = "Year, 2000..=2100")),
    request_body = PopulationInput,
    responses(
        (status = 200, body = Municipality),
        (status = 400, description = "Invalid year or figure", body = navigator_shared::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the admin", body = navigator_shared::Problem, content_type = "application/problem+json"),
        answers::NotFound,
    ),
    security(("bearer" = []))
)]
#[put("/municipalities/{id}/population/{year}")]
pub async fn set_population(
    state: web::Data<AppState>,
    caller: AuthUser,
    path: web::Path<(i64, i32)>,
    body: web::Json<PopulationInput>,
) -> ApiResult<web::Json<Municipality>> {
    let (id, year) = path.into_inner();
    Ok(web::Json(service::set_population(&state, caller, id, year, body.into_inner()).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(region)
        .service(update_region)
        .service(municipalities)
        .service(create_municipality)
        .service(rename_municipality)
        .service(set_population);
}
