use actix_web::{get, web};
use navigator_shared::Problem;
use navigator_shared::organizations::{ActivationPoint, ActivationPointsQuery};

use super::repo;
use crate::AppState;
use crate::error::ApiResult;

/// Where to bring the documents to activate a certificate: organizations
/// authorized by the municipality, with the responsible specialist, reception
/// hours and a city phone (public).
#[utoipa::path(
    tag = "reference",
    params(ActivationPointsQuery),
    responses((status = 200, body = Vec<ActivationPoint>), (status = 400, body = Problem, content_type = "application/problem+json"))
)]
#[get("/activation-points")]
pub async fn activation_points(
    state: web::Data<AppState>,
    query: web::Query<ActivationPointsQuery>,
) -> ApiResult<web::Json<Vec<ActivationPoint>>> {
    let municipality = query.municipality_id;
    Ok(web::Json(state.db(move |c| repo::activation_points(c, municipality)).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(activation_points);
}
