//! HTTP handlers of the family's own data.

use actix_web::{HttpResponse, get, web};
use navigator_shared::privacy::{ExportFormat, ExportQuery, FamilyData};

use super::export;
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

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(family_data);
}
