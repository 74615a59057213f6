//! HTTP handlers of the family's own data.

use actix_web::{HttpResponse, get, post, web};
use navigator_shared::Problem;
use navigator_shared::accounts::Profile;
use navigator_shared::children::Child;
use navigator_shared::privacy::{ExportFormat, ExportQuery, FamilyData};

use super::{export, withdrawal};
use crate::AppState;
use crate::auth::AuthUser;
use crate::error::{ApiResult, answers};

/// Everything the service holds about the signed-in parent's family, as a
/// file to keep: JSON (every field as the API gives it) or a readable PDF.
/// The account, the consents given, each child's record in full with the
/// certificate, its money, every application with its contract and the list
/// of staff who opened or changed the record; the in-app messages.
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    params(ExportQuery),
    responses(
        (status = 200, description = "The file, as `format` asks", content(
            (FamilyData = "application/json"),
            (Vec<u8> = "application/pdf")
        )),
        answers::Invalid, answers::Unauthenticated, answers::Forbidden
    )
)]
#[get("/me/data")]
pub async fn family_data(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<ExportQuery>,
) -> ApiResult<HttpResponse> {
    let data = export::family(&state, caller).await?;
    let day = crate::clock::today();
    let (bytes, content_type, extension) = match query.format {
        ExportFormat::Json => {
            (serde_json::to_vec_pretty(&data).map_err(anyhow::Error::from)?, "application/json", "json")
        }
        ExportFormat::Pdf => {
            let pdf = web::block(move || crate::documents::render_family(&data, day)).await??;
            (pdf, "application/pdf", "pdf")
        }
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Content-Disposition", format!("attachment; filename=\"navigator-{day}.{extension}\"")))
        .insert_header(("Cache-Control", "no-store"))
        .body(bytes))
}

/// «Отозвать согласие»: the parent withdraws the consent to the processing
/// of one child's personal data. At once the certificate leaves the registry
/// on the applicant's request (an active one is excluded, a pending one
/// refused), the applications are cancelled, the contracts end with their
/// reserve released and the free remainder is withdrawn; the data are
/// depersonalized after `RETENTION_WITHDRAWN_DAYS` (30). Nothing more can be
/// done with the record (409 `consent_withdrawn`).
#[utoipa::path(
    tag = "children",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Child id")),
    responses(
        (status = 200, description = "The child's record with its withdrawal", body = Child),
        answers::Unauthenticated, answers::Forbidden, answers::NotFound,
        (status = 409, description = "consent_withdrawn: withdrawn already", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/children/{id}/consent-withdrawal")]
pub async fn withdraw_for_child(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Child>> {
    Ok(web::Json(withdrawal::child(&state, caller, id.into_inner()).await?))
}

/// «Отозвать согласие для всей учётной записи»: every child's consent as
/// above, and the account's own; the account is depersonalized and closed
/// after the period, and until then it can still sign in and download the
/// family's data.
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The profile with its withdrawal", body = Profile),
        answers::Unauthenticated, answers::Forbidden,
        (status = 409, description = "consent_withdrawn: withdrawn already", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/consent-withdrawal")]
pub async fn withdraw_for_account(state: web::Data<AppState>, caller: AuthUser) -> ApiResult<web::Json<Profile>> {
    Ok(web::Json(withdrawal::account(&state, caller).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(family_data).service(withdraw_for_child).service(withdraw_for_account);
}
