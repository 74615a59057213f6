//! HTTP handlers of funding periods and funding requests.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, put, web};
use navigator_shared::Problem;
use navigator_shared::funding::{
    FundingKind, FundingKindQuery, FundingPeriod, FundingPeriodInput, FundingRefuseRequest, FundingRequest,
    FundingRequestsQuery, Ledger,
};
use navigator_shared::reference::{Page, PageQuery};
use serde::{Deserialize, Serialize};

use super::service;
use crate::AppState;
use crate::auth::AuthUser;
use crate::error::{ApiResult, answers};
use crate::idempotency::{self, IdempotencyKey};

/// `?year=` of the periods list.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::IntoParams)]
pub struct PeriodsQuery {
    pub year: Option<i32>,
}

/// Funding periods of the operator's municipality (all for the admin).
#[utoipa::path(
    tag = "funding",
    security(("bearer" = [])),
    params(PeriodsQuery),
    responses((status = 200, body = Vec<FundingPeriod>), answers::Forbidden)
)]
#[get("/funding-periods")]
pub async fn periods(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<PeriodsQuery>,
) -> ApiResult<web::Json<Vec<FundingPeriod>>> {
    Ok(web::Json(service::periods(&state, caller, query.year).await?))
}

/// Opens a municipality's funding period for a year.
#[utoipa::path(
    tag = "funding",
    security(("bearer" = [])),
    request_body = FundingPeriodInput,
    responses((status = 201, body = FundingPeriod), answers::Invalid,
        answers::Forbidden,
        (status = 409, description = "period_exists", body = Problem, content_type = "application/problem+json"))
)]
#[post("/funding-periods")]
pub async fn create_period(
    state: web::Data<AppState>,
    caller: AuthUser,
    key: IdempotencyKey,
    body: web::Json<FundingPeriodInput>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    idempotency::once(&state, caller, key.of(&body), StatusCode::CREATED, |receipt| {
        service::create_period(&state, caller, body, receipt)
    })
    .await
}

/// Changes a period; limits cannot go below what is used.
#[utoipa::path(
    tag = "funding",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Period id")),
    request_body = FundingPeriodInput,
    responses((status = 200, body = FundingPeriod), answers::Invalid,
        (status = 409, description = "limits_below_used", body = Problem, content_type = "application/problem+json"))
)]
#[put("/funding-periods/{id}")]
pub async fn update_period(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<FundingPeriodInput>,
) -> ApiResult<web::Json<FundingPeriod>> {
    Ok(web::Json(service::update_period(&state, caller, id.into_inner(), body.into_inner()).await?))
}

/// The family (or registry staff for a visitor) asks to credit this year's
/// nominal to the child's active certificate.
#[utoipa::path(
    tag = "funding",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Child id"), FundingKindQuery, IdempotencyKey),
    responses((status = 201, body = FundingRequest), answers::NotFound,
        (status = 409, description = "no_active_certificate, no_funding_period, already_funded, funding_requested",
            body = Problem, content_type = "application/problem+json"))
)]
#[post("/children/{id}/certificate/funding-requests")]
pub async fn request(
    state: web::Data<AppState>,
    caller: AuthUser,
    key: IdempotencyKey,
    id: web::Path<i64>,
    query: web::Query<FundingKindQuery>,
) -> ApiResult<HttpResponse> {
    let kind = query.kind.unwrap_or(FundingKind::Personified);
    idempotency::once(&state, caller, key.of(&kind), StatusCode::CREATED, |receipt| {
        service::request(&state, caller, (id.into_inner(), kind), receipt)
    })
    .await
}

/// The operator's queue, oldest first; `overdue` marks the ones past 5 working days.
#[utoipa::path(
    tag = "funding",
    security(("bearer" = [])),
    params(FundingRequestsQuery),
    responses((status = 200, body = Page<FundingRequest>), answers::Forbidden)
)]
#[get("/funding-requests")]
pub async fn queue(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<FundingRequestsQuery>,
) -> ApiResult<web::Json<Page<FundingRequest>>> {
    Ok(web::Json(service::queue(&state, caller, query.into_inner()).await?))
}

/// Approves: the nominal is credited within the period's limits.
#[utoipa::path(
    tag = "funding",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Request id"), IdempotencyKey),
    responses((status = 200, body = FundingRequest), answers::Forbidden,
        (status = 409, description = "count_limit, volume_limit, no_active_certificate, already_funded, already_decided",
            body = Problem, content_type = "application/problem+json"))
)]
#[post("/funding-requests/{id}/approve")]
pub async fn approve(
    state: web::Data<AppState>,
    caller: AuthUser,
    key: IdempotencyKey,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    idempotency::once(&state, caller, key.of(&()), StatusCode::OK, |receipt| {
        service::approve(&state, caller, id.into_inner(), receipt)
    })
    .await
}

/// Refuses with an official reason.
#[utoipa::path(
    tag = "funding",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Request id"), IdempotencyKey),
    request_body = FundingRefuseRequest,
    responses((status = 200, body = FundingRequest), answers::Forbidden,
        (status = 409, description = "already_decided", body = Problem, content_type = "application/problem+json"))
)]
#[post("/funding-requests/{id}/reject")]
pub async fn reject(
    state: web::Data<AppState>,
    caller: AuthUser,
    key: IdempotencyKey,
    id: web::Path<i64>,
    body: web::Json<FundingRefuseRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    idempotency::once(&state, caller, key.of(&body), StatusCode::OK, |receipt| {
        service::refuse(&state, caller, id.into_inner(), body, receipt)
    })
    .await
}

/// The certificate's nominal, available, reserved and spent sums, its
/// validity and every ledger entry, newest first.
#[utoipa::path(
    tag = "funding",
    security(("bearer" = [])),
    params(("number" = String, Path, description = "10-digit certificate number"), PageQuery),
    responses((status = 200, body = Ledger), answers::Invalid, answers::NotFound)
)]
#[get("/certificates/{number}/ledger")]
pub async fn ledger(
    state: web::Data<AppState>,
    caller: AuthUser,
    number: web::Path<String>,
    pages: web::Query<PageQuery>,
) -> ApiResult<web::Json<Ledger>> {
    Ok(web::Json(super::money::ledger(&state, caller, number.into_inner(), pages.into_inner()).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(periods)
        .service(create_period)
        .service(update_period)
        .service(request)
        .service(queue)
        .service(approve)
        .service(reject)
        .service(ledger);
}
