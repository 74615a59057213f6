//! HTTP handlers of a family's certificates.

use actix_web::{HttpResponse, get, post, web};
use navigator_shared::Problem;
use navigator_shared::children::Certificate;
use navigator_shared::consent::CertificateRequest;

use super::service;
use crate::AppState;
use crate::auth::AuthUser;
use crate::error::{ApiResult, answers};

/// «Получить сертификат»: creates the certificate in status `pending` with its
/// 10-digit number and the deadline to bring the documents (7 working days).
#[utoipa::path(
    tag = "certificates",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Child id")),
    request_body = CertificateRequest,
    responses(
        (status = 201, body = Certificate),
        (status = 400, description = "A consent not given, on its field", body = Problem, content_type = "application/problem+json"),
        answers::NotFound,
        (status = 409, description = "certificate_exists or age_out_of_range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/children/{id}/certificate")]
pub async fn request(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<CertificateRequest>,
) -> ApiResult<HttpResponse> {
    body.validate()?;
    let certificate = service::request(&state, caller, id.into_inner()).await?;
    Ok(HttpResponse::Created().json(certificate))
}

/// The child's certificate.
#[utoipa::path(
    tag = "certificates",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Child id")),
    responses((status = 200, body = Certificate), answers::NotFound)
)]
#[get("/children/{id}/certificate")]
pub async fn get(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Certificate>> {
    Ok(web::Json(service::of_child(&state, caller, id.into_inner()).await?))
}

/// «Подать заново»: a lapsed or refused certificate goes back to `pending`
/// with the same number and a new deadline for the documents.
#[utoipa::path(
    tag = "certificates",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Child id")),
    responses(
        (status = 200, body = Certificate),
        answers::NotFound,
        (status = 409, description = "not_renewable, certificate_changed or age_out_of_range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/children/{id}/certificate/renewal")]
pub async fn renew(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Certificate>> {
    Ok(web::Json(service::renew(&state, caller, id.into_inner()).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(request).service(get).service(renew);
}
