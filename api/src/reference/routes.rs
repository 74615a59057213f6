use actix_web::{get, web};
use navigator_shared::reference::{Municipality, Page, PageQuery, RegionSettings};

use super::repo;
use crate::AppState;
use crate::error::ApiResult;

/// Settings of the region: name and the children's age range for certificates.
#[utoipa::path(tag = "reference", responses((status = 200, body = RegionSettings)))]
#[get("/region")]
pub async fn region(state: web::Data<AppState>) -> ApiResult<web::Json<RegionSettings>> {
    let region = state.db(repo::region).await?;
    let map = &state.config.map;
    Ok(web::Json(RegionSettings {
        map_tile_url: map.tile_url.clone(),
        map_attribution: map.attribution.clone(),
        map_center: map.center,
        map_zoom: map.zoom,
        ..region
    }))
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

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(region).service(municipalities);
}
