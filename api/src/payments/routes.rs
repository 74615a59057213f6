//! HTTP handlers of payment requests. Every POST honours `Idempotency-Key`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, put, web};
use navigator_shared::payments::{
    PaymentMonth, PaymentMonthQuery, PaymentPaidInput, PaymentRegister, PaymentRegisterQuery, PaymentRequest,
    PaymentRequestInput, PaymentRequestUpdate, PaymentRequestsQuery, PaymentReturnInput,
};
use navigator_shared::reference::Page;

use super::service;
use crate::AppState;
use crate::auth::AuthUser;
use crate::documents;
use crate::error::{ApiResult, answers};
use crate::idempotency::{self, IdempotencyKey};

/// The organization's month: the charges expected, the advance it may ask
/// and from which day, and its advance and invoice with their lines.
#[utoipa::path(
    tag = "payments",
    security(("bearer" = [])),
    params(PaymentMonthQuery),
    responses((status = 200, body = PaymentMonth), answers::Invalid, answers::Forbidden)
)]
#[get("/cabinet/payments")]
pub async fn month(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<PaymentMonthQuery>,
) -> ApiResult<web::Json<PaymentMonth>> {
    Ok(web::Json(service::month(&state, caller, query.into_inner().month).await?))
}

/// A draft advance request (this month, from its second working day, up to
/// the funding period's share of the expected charges) or invoice (a month
/// that ended or was charged) of the caller's organization.
#[utoipa::path(
    tag = "payments",
    security(("bearer" = [])),
    params(IdempotencyKey),
    request_body = PaymentRequestInput,
    responses((status = 201, body = PaymentRequest), answers::Invalid, answers::Forbidden, answers::Conflict)
)]
#[post("/cabinet/payments")]
pub async fn create(
    state: web::Data<AppState>,
    caller: AuthUser,
    key: IdempotencyKey,
    body: web::Json<PaymentRequestInput>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    idempotency::once(&state, caller, key.of(&body), StatusCode::CREATED, |receipt| {
        service::create(&state, caller, body, receipt)
    })
    .await
}

/// The organization's requests, or the operator's queue of their municipality.
#[utoipa::path(
    tag = "payments",
    security(("bearer" = [])),
    params(PaymentRequestsQuery),
    responses((status = 200, body = Page<PaymentRequest>), answers::Invalid, answers::Forbidden)
)]
#[get("/payment-requests")]
pub async fn list(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<PaymentRequestsQuery>,
) -> ApiResult<web::Json<Page<PaymentRequest>>> {
    Ok(web::Json(service::list(&state, caller, query.into_inner()).await?))
}

/// One request with its lines (a draft's as it would be sent now).
#[utoipa::path(
    tag = "payments",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Payment request id")),
    responses((status = 200, body = PaymentRequest), answers::NotFound)
)]
#[get("/payment-requests/{id}")]
pub async fn view(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<PaymentRequest>> {
    Ok(web::Json(service::view(&state, caller, id.into_inner()).await?))
}

/// The organization corrects a draft or returned request.
#[utoipa::path(
    tag = "payments",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Payment request id")),
    request_body = PaymentRequestUpdate,
    responses((status = 200, body = PaymentRequest), answers::Invalid, answers::NotFound, answers::Conflict)
)]
#[put("/payment-requests/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<PaymentRequestUpdate>,
) -> ApiResult<web::Json<PaymentRequest>> {
    Ok(web::Json(service::update(&state, caller, id.into_inner(), body.into_inner()).await?))
}

/// A step on a request, at most once per `Idempotency-Key`.
async fn step<F>(
    state: &AppState,
    caller: AuthUser,
    request: idempotency::Keyed,
    action: impl FnOnce(idempotency::Receipt) -> F,
) -> ApiResult<HttpResponse>
where
    F: std::future::Future<Output = ApiResult<PaymentRequest>>,
{
    idempotency::once(state, caller, request, StatusCode::OK, action).await
}

/// The organization sends a request; an invoice's lines are fixed now.
#[utoipa::path(
    tag = "payments",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Payment request id"), IdempotencyKey),
    responses((status = 200, body = PaymentRequest), answers::Invalid, answers::NotFound, answers::Conflict)
)]
#[post("/payment-requests/{id}/submit")]
pub async fn submit(
    state: web::Data<AppState>,
    caller: AuthUser,
    key: IdempotencyKey,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    step(&state, caller, key.of(&()), |receipt| service::submit(&state, caller, id, receipt)).await
}

/// The operator approves a sent request (once, however many ask at the same time).
#[utoipa::path(
    tag = "payments",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Payment request id"), IdempotencyKey),
    responses((status = 200, body = PaymentRequest), answers::Forbidden, answers::NotFound, answers::Conflict)
)]
#[post("/payment-requests/{id}/approve")]
pub async fn approve(
    state: web::Data<AppState>,
    caller: AuthUser,
    key: IdempotencyKey,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    step(&state, caller, key.of(&()), |receipt| service::approve(&state, caller, id, receipt)).await
}

/// The operator returns a sent request with what to correct.
#[utoipa::path(
    tag = "payments",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Payment request id"), IdempotencyKey),
    request_body = PaymentReturnInput,
    responses((status = 200, body = PaymentRequest), answers::Invalid, answers::Forbidden, answers::NotFound, answers::Conflict)
)]
#[post("/payment-requests/{id}/return")]
pub async fn send_back(
    state: web::Data<AppState>,
    caller: AuthUser,
    key: IdempotencyKey,
    id: web::Path<i64>,
    body: web::Json<PaymentReturnInput>,
) -> ApiResult<HttpResponse> {
    let (id, body) = (id.into_inner(), body.into_inner());
    step(&state, caller, key.of(&body), |receipt| service::send_back(&state, caller, id, body, receipt)).await
}

/// The operator records the payment order of an approved request.
#[utoipa::path(
    tag = "payments",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Payment request id"), IdempotencyKey),
    request_body = PaymentPaidInput,
    responses((status = 200, body = PaymentRequest), answers::Invalid, answers::Forbidden, answers::NotFound, answers::Conflict)
)]
#[post("/payment-requests/{id}/pay")]
pub async fn pay(
    state: web::Data<AppState>,
    caller: AuthUser,
    key: IdempotencyKey,
    id: web::Path<i64>,
    body: web::Json<PaymentPaidInput>,
) -> ApiResult<HttpResponse> {
    let (id, body) = (id.into_inner(), body.into_inner());
    step(&state, caller, key.of(&body), |receipt| service::pay(&state, caller, id, body, receipt)).await
}

fn file(content_type: &str, name: String, body: impl actix_web::body::MessageBody + 'static) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{name}\"")))
        .insert_header(("Cache-Control", "no-store"))
        .body(body)
}

/// A request as PDF: the advance request or the invoice with its lines.
#[utoipa::path(
    tag = "payments",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Payment request id")),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), answers::NotFound)
)]
#[get("/payment-requests/{id}/document.pdf")]
pub async fn pdf(state: web::Data<AppState>, caller: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let request = service::view(&state, caller, id.into_inner()).await?;
    let bytes = documents::render_payment_request(&request, crate::clock::today())?;
    Ok(file("application/pdf", navigator_shared::documents::payment_file_name(&request, "pdf"), bytes))
}

/// An invoice's lines as CSV (UTF-8, `;`).
#[utoipa::path(
    tag = "payments",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Payment request id")),
    responses((status = 200, content_type = "text/csv", body = String), answers::NotFound)
)]
#[get("/payment-requests/{id}/lines.csv")]
pub async fn csv(state: web::Data<AppState>, caller: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let request = service::view(&state, caller, id.into_inner()).await?;
    let text = service::invoice_csv(&request)?;
    Ok(file("text/csv; charset=utf-8", navigator_shared::documents::payment_file_name(&request, "csv"), text))
}

/// The operator's payment register of a month: approved and paid requests.
#[utoipa::path(
    tag = "payments",
    security(("bearer" = [])),
    params(PaymentRegisterQuery),
    responses((status = 200, body = PaymentRegister), answers::Invalid, answers::Forbidden)
)]
#[get("/payment-register")]
pub async fn register(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<PaymentRegisterQuery>,
) -> ApiResult<web::Json<PaymentRegister>> {
    let query = query.into_inner();
    Ok(web::Json(service::register(&state, caller, query.month, query.municipality_id).await?))
}

/// The payment register as CSV (UTF-8, `;`).
#[utoipa::path(
    tag = "payments",
    security(("bearer" = [])),
    params(PaymentRegisterQuery),
    responses((status = 200, content_type = "text/csv", body = String), answers::Invalid, answers::Forbidden)
)]
#[get("/payment-register.csv")]
pub async fn register_csv(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<PaymentRegisterQuery>,
) -> ApiResult<HttpResponse> {
    let query = query.into_inner();
    let sheet = service::register(&state, caller, query.month, query.municipality_id).await?;
    let name = format!("payment-register-{}.csv", sheet.month.format("%Y-%m"));
    Ok(file("text/csv; charset=utf-8", name, service::register_csv(&sheet)?))
}

/// The payment register as PDF.
#[utoipa::path(
    tag = "payments",
    security(("bearer" = [])),
    params(PaymentRegisterQuery),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), answers::Invalid, answers::Forbidden)
)]
#[get("/payment-register.pdf")]
pub async fn register_pdf(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<PaymentRegisterQuery>,
) -> ApiResult<HttpResponse> {
    let query = query.into_inner();
    let sheet = service::register(&state, caller, query.month, query.municipality_id).await?;
    let name = format!("payment-register-{}.pdf", sheet.month.format("%Y-%m"));
    let bytes = documents::render_payment_register(&sheet, crate::clock::today())?;
    Ok(file("application/pdf", name, bytes))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(month)
        .service(create)
        .service(list)
        .service(view)
        .service(update)
        .service(submit)
        .service(approve)
        .service(send_back)
        .service(pay)
        .service(pdf)
        .service(csv)
        .service(register)
        .service(register_csv)
        .service(register_pdf);
}
