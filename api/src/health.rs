//! Liveness and readiness probes for the load balancer.

use actix_web::{HttpResponse, get, web};

use crate::AppState;
use crate::error::{ApiResult, answers};

/// The process is up.
#[utoipa::path(tag = "operations", responses((status = 200, description = "ok")))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain; charset=utf-8").body("ok")
}

/// The database answers; 503 otherwise.
#[utoipa::path(tag = "operations", responses(
    (status = 200, description = "ready"),
    answers::Unavailable,
))]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    state.db(crate::db::ping).await.map_err(|_| crate::error::ApiError::Unavailable)?;
    Ok(HttpResponse::Ok().content_type("text/plain; charset=utf-8").body("ready"))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(healthz).service(readyz);
}
