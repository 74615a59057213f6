//! HTTP handlers of the requests to be told of free places.

use actix_web::{HttpResponse, delete, get, post, web};
use navigator_shared::Problem;
use navigator_shared::reference::Page;
use navigator_shared::spot_alerts::{SpotAlert, SpotAlertRequest, SpotAlertsQuery, UnsubscribeRequest};

use super::service;
use crate::AppState;
use crate::auth::AuthUser;
use crate::error::{ApiResult, answers};

/// «Сообщить, когда появятся места»: for a full group (`group_id`) or for
/// any group of a program without an open one. The family gets one email
/// and in-app message when places appear and nobody waits for them, with a
/// link to apply; no place is held. Asking again answers the same request.
#[utoipa::path(
    tag = "catalog",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Program id")),
    request_body = SpotAlertRequest,
    responses(
        (status = 201, description = "Recorded", body = SpotAlert),
        (status = 200, description = "Asked already: the same request", body = SpotAlert),
        answers::Invalid, answers::Unauthenticated, answers::Forbidden, answers::NotFound,
        (status = 409, description = "places_available: apply instead", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/programs/{id}/spot-alerts")]
pub async fn subscribe(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<SpotAlertRequest>,
) -> ApiResult<HttpResponse> {
    let (made, alert) = service::subscribe(&state, caller, id.into_inner(), body.into_inner()).await?;
    Ok(if made { HttpResponse::Created() } else { HttpResponse::Ok() }.json(alert))
}

/// The family's open requests, newest first.
#[utoipa::path(
    tag = "catalog",
    security(("bearer" = [])),
    params(SpotAlertsQuery),
    responses((status = 200, body = Page<SpotAlert>), answers::Invalid, answers::Unauthenticated, answers::Forbidden)
)]
#[get("/me/spot-alerts")]
pub async fn mine(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<SpotAlertsQuery>,
) -> ApiResult<web::Json<Page<SpotAlert>>> {
    Ok(web::Json(service::mine(&state, caller, query.into_inner()).await?))
}

/// «Отписаться»: the family withdraws a request.
#[utoipa::path(
    tag = "catalog",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Request id")),
    responses((status = 204, description = "Withdrawn"), answers::Unauthenticated, answers::Forbidden, answers::NotFound)
)]
#[delete("/spot-alerts/{id}")]
pub async fn cancel(state: web::Data<AppState>, caller: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    service::cancel(&state, caller, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The link of the confirmation message: withdraws its request without signing in.
#[utoipa::path(
    tag = "catalog",
    request_body = UnsubscribeRequest,
    responses((status = 204, description = "Withdrawn"), answers::Invalid, answers::NotFound)
)]
#[post("/spot-alerts/unsubscribe")]
pub async fn unsubscribe(state: web::Data<AppState>, body: web::Json<UnsubscribeRequest>) -> ApiResult<HttpResponse> {
    service::unsubscribe(&state, body.into_inner().token).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(subscribe).service(mine).service(cancel).service(unsubscribe);
}
