//! HTTP handlers of contracts, monthly charges and the organization's register.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, put, web};
use navigator_shared::ErrorCode;
use navigator_shared::Problem;
use navigator_shared::applications::{
    Contract, ContractOfferInput, MonthlyRegister, PaperContractInput, RegisterQuery, add_months, parse_month,
};
use navigator_shared::catalog::{ProgramCard, PublishRequest};
use navigator_shared::contract::ContractDocument;
use serde::{Deserialize, Serialize};

use super::service;
use crate::AppState;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult, answers};
use crate::idempotency::{self, IdempotencyKey};

/// The organization offers a contract for a module (certified programs).
#[utoipa::path(
    tag = "contracts",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id"), IdempotencyKey),
    request_body = ContractOfferInput,
    responses((status = 201, body = Contract), answers::Invalid,
        answers::NotFound,
        (status = 409, description = "not_confirmed, not_certified, contract_exists", body = Problem, content_type = "application/problem+json"))
)]
#[post("/applications/{id}/contract-offers")]
pub async fn offer(
    state: web::Data<AppState>,
    caller: AuthUser,
    key: IdempotencyKey,
    id: web::Path<i64>,
    body: web::Json<ContractOfferInput>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let request = key.of(&body);
    idempotency::once(&state, caller, request, StatusCode::CREATED, |receipt| {
        service::offer(&state, caller, id.into_inner(), body, receipt)
    })
    .await
}

/// The family accepts the offer: the price is reserved on the certificate
/// and the child is enrolled. 409 `insufficient_balance` says what is available.
#[utoipa::path(
    tag = "contracts",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Contract id"), IdempotencyKey),
    responses((status = 200, body = Contract), answers::NotFound,
        (status = 409, description = "insufficient_balance, not_offered, certificate_not_active", body = Problem, content_type = "application/problem+json"))
)]
#[post("/contracts/{id}/accept")]
pub async fn accept(
    state: web::Data<AppState>,
    caller: AuthUser,
    key: IdempotencyKey,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    idempotency::once(&state, caller, key.of(&()), StatusCode::OK, |receipt| {
        service::accept(&state, caller, id.into_inner(), receipt)
    })
    .await
}

/// The organization registers a contract the family signed on paper: it
/// reserves the price and enrols the child as an online acceptance does.
#[utoipa::path(
    tag = "contracts",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Contract id"), IdempotencyKey),
    request_body = PaperContractInput,
    responses((status = 200, body = Contract),
        (status = 400, description = "signed_on in the future or before the offer", body = Problem, content_type = "application/problem+json"),
        answers::NotFound,
        (status = 409, description = "insufficient_balance, not_offered, certificate_not_active", body = Problem, content_type = "application/problem+json"))
)]
#[post("/contracts/{id}/paper")]
pub async fn register_paper(
    state: web::Data<AppState>,
    caller: AuthUser,
    key: IdempotencyKey,
    id: web::Path<i64>,
    body: web::Json<PaperContractInput>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner();
    idempotency::once(&state, caller, key.of(&input), StatusCode::OK, |receipt| {
        service::register_paper(&state, caller, id.into_inner(), input, receipt)
    })
    .await
}

/// The contract with its text as offered (parties, child, program and module,
/// hours, price, schedule, dates, monthly charges, early end, certificate):
/// what the family reads before signing; later the signed text, for the
/// family and the organization.
#[utoipa::path(
    tag = "contracts",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Contract id")),
    responses(
        (status = 200, body = ContractDocument),
        answers::Unauthenticated,
        answers::NotFound,
    )
)]
#[get("/contracts/{id}")]
pub async fn document(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<ContractDocument>> {
    Ok(web::Json(service::document(&state, caller, id.into_inner()).await?))
}

/// The contract as PDF (the same text, with how it was accepted).
#[utoipa::path(
    tag = "contracts",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Contract id")),
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf", body = Vec<u8>),
        answers::Unauthenticated,
        answers::NotFound,
    )
)]
#[get("/contracts/{id}/document.pdf")]
pub async fn document_pdf(state: web::Data<AppState>, caller: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let (bytes, file) = service::document_pdf(&state, caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(("Content-Disposition", format!("inline; filename=\"{file}\"")))
        .insert_header(("Cache-Control", "no-store"))
        .body(bytes))
}

/// The printed «заявление на обучение» the family signs at the organization
/// (the family's own application, or an application to the caller's
/// organization).
#[utoipa::path(
    tag = "contracts",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id")),
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf", body = Vec<u8>),
        answers::NotFound,
    )
)]
#[get("/applications/{id}/documents/enrolment.pdf")]
pub async fn enrolment_form(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let bytes = service::enrolment_form(&state, caller, id).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            "Content-Disposition",
            format!("inline; filename=\"{}\"", navigator_shared::documents::enrolment_file_name(id)),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(bytes))
}

fn month_of(query: &RegisterQuery) -> ApiResult<chrono::NaiveDate> {
    match query.month.as_deref() {
        None => Ok(add_months(crate::clock::today(), -1)),
        Some(raw) => parse_month(raw)
            .ok_or_else(|| ApiError::field(ErrorCode::InvalidMonth, "month", "Месяц в виде ГГГГ-ММ, например 2026-11")),
    }
}

/// The organization's register of a month: the charges it is owed.
#[utoipa::path(
    tag = "contracts",
    security(("bearer" = [])),
    params(RegisterQuery),
    responses((status = 200, body = MonthlyRegister), answers::Invalid,
        answers::Forbidden)
)]
#[get("/cabinet/register")]
pub async fn register(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<RegisterQuery>,
) -> ApiResult<web::Json<MonthlyRegister>> {
    let month = month_of(&query)?;
    Ok(web::Json(service::register(&state, caller, month).await?))
}

/// The same register as a CSV file (UTF-8, `;`).
#[utoipa::path(
    tag = "contracts",
    security(("bearer" = [])),
    params(RegisterQuery),
    responses((status = 200, content_type = "text/csv", body = String), answers::Invalid)
)]
#[get("/cabinet/register.csv")]
pub async fn register_csv(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<RegisterQuery>,
) -> ApiResult<HttpResponse> {
    let month = month_of(&query)?;
    let sheet = service::register(&state, caller, month).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"register-{}.csv\"", month.format("%Y-%m")),
        ))
        .body(service::register_csv(&sheet)?))
}

/// `POST /billing/charges`: the month to close.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CloseMonth {
    /// `YYYY-MM`, not after the current month.
    pub month: String,
}

/// How many charges a run made.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChargesMade {
    pub charged: usize,
}

/// The admin closes a month: every active contract is charged for it and
/// for the months before it not charged yet. Ended months are charged
/// automatically; running twice charges nothing twice.
#[utoipa::path(
    tag = "contracts",
    security(("bearer" = [])),
    request_body = CloseMonth,
    responses((status = 200, body = ChargesMade), answers::Invalid,
        answers::Forbidden)
)]
#[post("/billing/charges")]
pub async fn close_month(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: web::Json<CloseMonth>,
) -> ApiResult<web::Json<ChargesMade>> {
    let month = parse_month(&body.month)
        .ok_or_else(|| ApiError::field(ErrorCode::InvalidMonth, "month", "Месяц в виде ГГГГ-ММ, например 2026-11"))?;
    Ok(web::Json(ChargesMade { charged: service::close_month(&state, caller, month).await? }))
}

/// Sets or removes the mark «Доступна оплата сертификатом».
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Program id")),
    request_body = PublishRequest,
    responses((status = 200, body = ProgramCard), answers::Forbidden, answers::Conflict)
)]
#[put("/moderation/programs/{id}/certified")]
pub async fn set_certified(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<PublishRequest>,
) -> ApiResult<web::Json<ProgramCard>> {
    Ok(web::Json(service::set_certified(&state, caller, id.into_inner(), body.into_inner()).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(offer)
        .service(accept)
        .service(register_paper)
        .service(enrolment_form)
        .service(document)
        .service(document_pdf)
        .service(register)
        .service(register_csv)
        .service(close_month)
        .service(set_certified);
}
