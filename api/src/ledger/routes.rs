//! HTTP handler of the certificate's money.

use actix_web::{get, web};
use navigator_shared::funding::Ledger;

use super::service;
use crate::AppState;
use crate::auth::AuthUser;
use crate::error::{ApiResult, answers};

/// The certificate's nominal, available, reserved and spent sums, its
/// validity and every ledger entry, newest first.
#[utoipa::path(
    tag = "funding",
    security(("bearer" = [])),
    params(("number" = String, Path, description = "10-digit certificate number")),
    responses((status = 200, body = Ledger), answers::NotFound)
)]
#[get("/certificates/{number}/ledger")]
pub async fn ledger(
    state: web::Data<AppState>,
    caller: AuthUser,
    number: web::Path<String>,
) -> ApiResult<web::Json<Ledger>> {
    Ok(web::Json(service::ledger(&state, caller, number.into_inner()).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(ledger);
}
