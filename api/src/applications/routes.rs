//! HTTP handlers of applications. Every POST honours `Idempotency-Key`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, put, web};
use navigator_shared::Problem;
use navigator_shared::applications::{
    Application, ApplicationInput, ApplicationsQuery, ExpelRequest, RejectRequest, TransferRequest, WithdrawalInput,
};
use navigator_shared::applications::{Continuation, ContinuationInput};
use navigator_shared::reference::Page;

use super::{continuation, service, withdrawals};
use crate::AppState;
use crate::auth::AuthUser;
use crate::error::{ApiResult, answers};
use crate::idempotency::{self, IdempotencyKey, Keyed, Receipt};

/// «Записаться»: a family applies for its child (`child_id`), organization
/// staff for a visitor (`certificate_number`). A full group puts the
/// application into its waiting list (`status: waiting`).
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(IdempotencyKey),
    request_body = ApplicationInput,
    responses(
        (status = 201, body = Application),
        answers::Invalid,
        answers::NotFound,
        (status = 409, description = "certificate_required, certificate_invalid, enrolment_closed, age_mismatch, \
            too_many_applications, already_applied, program_unavailable", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "idempotency_key_reused", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/applications")]
pub async fn create(
    state: web::Data<AppState>,
    caller: AuthUser,
    key: IdempotencyKey,
    body: web::Json<ApplicationInput>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    idempotency::once(&state, caller, key.of(&body), StatusCode::CREATED, |receipt| {
        service::create(&state, caller, body, receipt)
    })
    .await
}

/// The family's applications, or the organization's inbox (staff), newest first.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(ApplicationsQuery),
    responses((status = 200, body = Page<Application>), answers::Invalid)
)]
#[get("/applications")]
pub async fn list(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<ApplicationsQuery>,
) -> ApiResult<web::Json<Page<Application>>> {
    Ok(web::Json(service::list(&state, caller, query.into_inner()).await?))
}

/// One application.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id")),
    responses((status = 200, body = Application), answers::NotFound)
)]
#[get("/applications/{id}")]
pub async fn view(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Application>> {
    Ok(web::Json(service::view(&state, caller, id.into_inner()).await?))
}

/// Runs a decision once per `Idempotency-Key`.
async fn decision<F>(
    state: &AppState,
    caller: AuthUser,
    request: Keyed,
    action: impl FnOnce(Receipt) -> F,
) -> ApiResult<HttpResponse>
where
    F: std::future::Future<Output = ApiResult<Application>>,
{
    idempotency::once(state, caller, request, StatusCode::OK, action).await
}

/// The family withdraws its application (waiting, submitted or confirmed).
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id"), IdempotencyKey),
    responses((status = 200, body = Application), answers::NotFound,
        (status = 409, description = "invalid_status", body = Problem, content_type = "application/problem+json"))
)]
#[post("/applications/{id}/cancel")]
pub async fn cancel(
    state: web::Data<AppState>,
    caller: AuthUser,
    key: IdempotencyKey,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    decision(&state, caller, key.of(&()), |receipt| service::cancel(&state, caller, id, receipt)).await
}

/// The organization confirms a submitted application.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id"), IdempotencyKey),
    responses((status = 200, body = Application), answers::NotFound,
        (status = 409, description = "invalid_status", body = Problem, content_type = "application/problem+json"))
)]
#[post("/applications/{id}/confirm")]
pub async fn confirm(
    state: web::Data<AppState>,
    caller: AuthUser,
    key: IdempotencyKey,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    decision(&state, caller, key.of(&()), |receipt| service::confirm(&state, caller, id, receipt)).await
}

/// The organization rejects an application, with a reason.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id"), IdempotencyKey),
    request_body = RejectRequest,
    responses((status = 200, body = Application), answers::NotFound,
        (status = 409, description = "invalid_status", body = Problem, content_type = "application/problem+json"))
)]
#[post("/applications/{id}/reject")]
pub async fn reject(
    state: web::Data<AppState>,
    caller: AuthUser,
    key: IdempotencyKey,
    id: web::Path<i64>,
    body: web::Json<RejectRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let id = id.into_inner();
    decision(&state, caller, key.of(&body), |receipt| service::reject(&state, caller, id, body, receipt)).await
}

/// The organization enrols a confirmed child (programs not paid by certificate).
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id"), IdempotencyKey),
    responses((status = 200, body = Application), answers::NotFound,
        (status = 409, description = "invalid_status, contract_required, certificate_not_active", body = Problem, content_type = "application/problem+json"))
)]
#[post("/applications/{id}/enroll")]
pub async fn enroll(
    state: web::Data<AppState>,
    caller: AuthUser,
    key: IdempotencyKey,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    decision(&state, caller, key.of(&()), |receipt| service::enroll(&state, caller, id, receipt)).await
}

/// The organization expels an enrolled child; an active contract ends and
/// the rest of its reserve goes back to the certificate.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id"), IdempotencyKey),
    request_body = ExpelRequest,
    responses((status = 200, body = Application), answers::NotFound,
        (status = 409, description = "invalid_status", body = Problem, content_type = "application/problem+json"))
)]
#[post("/applications/{id}/expel")]
pub async fn expel(
    state: web::Data<AppState>,
    caller: AuthUser,
    key: IdempotencyKey,
    id: web::Path<i64>,
    body: web::Json<ExpelRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let id = id.into_inner();
    decision(&state, caller, key.of(&body), |receipt| service::expel(&state, caller, id, body, receipt)).await
}

/// The organization moves the child to another group of the same program,
/// with the family's consent: the place moves at once, the contract goes on,
/// the old group's place goes to its waiting list.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id"), IdempotencyKey),
    request_body = TransferRequest,
    responses((status = 200, body = Application), answers::Invalid, answers::NotFound,
        (status = 409, description = "invalid_status, group_full, already_applied, application_changed", body = Problem, content_type = "application/problem+json"))
)]
#[post("/applications/{id}/transfer")]
pub async fn transfer(
    state: web::Data<AppState>,
    caller: AuthUser,
    key: IdempotencyKey,
    id: web::Path<i64>,
    body: web::Json<TransferRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let id = id.into_inner();
    decision(&state, caller, key.of(&body), |receipt| service::transfer(&state, caller, id, body, receipt)).await
}

/// The family asks to end the studies («заявление об отчислении») with the
/// last day of studies; the organization confirms it, or it is confirmed
/// without it after three working days.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id"), IdempotencyKey),
    request_body = WithdrawalInput,
    responses((status = 200, body = Application), answers::Invalid, answers::NotFound,
        (status = 409, description = "invalid_status, withdrawal_requested", body = Problem, content_type = "application/problem+json"))
)]
#[post("/applications/{id}/withdrawal")]
pub async fn request_withdrawal(
    state: web::Data<AppState>,
    caller: AuthUser,
    key: IdempotencyKey,
    id: web::Path<i64>,
    body: web::Json<WithdrawalInput>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let id = id.into_inner();
    decision(&state, caller, key.of(&body), |receipt| withdrawals::service::request(&state, caller, id, body, receipt))
        .await
}

/// The organization confirms the family's request to leave; on or after
/// the day of leaving the child is expelled at once.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id"), IdempotencyKey),
    responses((status = 200, body = Application), answers::NotFound,
        (status = 409, description = "invalid_status, already_decided", body = Problem, content_type = "application/problem+json"))
)]
#[post("/applications/{id}/withdrawal/confirm")]
pub async fn confirm_withdrawal(
    state: web::Data<AppState>,
    caller: AuthUser,
    key: IdempotencyKey,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    decision(&state, caller, key.of(&()), |receipt| withdrawals::service::confirm(&state, caller, id, receipt)).await
}

/// Who a group of the next program year holds places for.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Group id")),
    responses((status = 200, body = Continuation), answers::Forbidden, answers::NotFound)
)]
#[get("/cabinet/groups/{id}/continuation")]
pub async fn view_continuation(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Continuation>> {
    Ok(web::Json(continuation::view(&state, caller, id.into_inner()).await?))
}

/// The first right to continue: the group holds places until `hold_until`
/// for the children who finished a year of the program (as far as it has
/// room); their families are told. Empty `hold_until` stops holding and
/// gives the places to the waiting list.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Group id")),
    request_body = ContinuationInput,
    responses((status = 200, body = Continuation), answers::Invalid, answers::Forbidden, answers::NotFound)
)]
#[put("/cabinet/groups/{id}/continuation")]
pub async fn set_continuation(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<ContinuationInput>,
) -> ApiResult<web::Json<Continuation>> {
    Ok(web::Json(continuation::set(&state, caller, id.into_inner(), body.into_inner()).await?))
}

/// The organization marks the studies completed.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id"), IdempotencyKey),
    responses((status = 200, body = Application), answers::NotFound,
        (status = 409, description = "invalid_status", body = Problem, content_type = "application/problem+json"))
)]
#[post("/applications/{id}/complete")]
pub async fn complete(
    state: web::Data<AppState>,
    caller: AuthUser,
    key: IdempotencyKey,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    decision(&state, caller, key.of(&()), |receipt| service::complete(&state, caller, id, receipt)).await
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create)
        .service(list)
        .service(view)
        .service(cancel)
        .service(confirm)
        .service(reject)
        .service(enroll)
        .service(expel)
        .service(transfer)
        .service(request_withdrawal)
        .service(confirm_withdrawal)
        .service(view_continuation)
        .service(set_continuation)
        .service(complete);
}
