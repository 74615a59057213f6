//! HTTP handlers of second guardians.

use actix_web::{HttpResponse, delete, get, post, web};
use navigator_shared::Problem;
use navigator_shared::children::Child;
use navigator_shared::guardians::{
    AcceptInvitation, FamilyAction, Guardian, GuardianInvitation, GuardianInvite, Guardians,
};
use navigator_shared::reference::{Page, PageQuery};

use super::service;
use crate::AppState;
use crate::auth::AuthUser;
use crate::error::{ApiResult, answers};

/// Who acts for the child: the account holding it, and the open
/// invitations and guardians (addresses masked for a guardian).
#[utoipa::path(
    tag = "children",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Child id")),
    responses((status = 200, body = Guardians), answers::Unauthenticated, answers::NotFound)
)]
#[get("/children/{id}/guardians")]
pub async fn list(state: web::Data<AppState>, caller: AuthUser, id: web::Path<i64>) -> ApiResult<web::Json<Guardians>> {
    Ok(web::Json(service::list(&state, caller, id.into_inner()).await?))
}

/// The parent holding the child invites a second guardian by email; the
/// invitation is valid for 14 days. At most three open at once, five a day.
#[utoipa::path(
    tag = "children",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Child id")),
    request_body = GuardianInvite,
    responses(
        (status = 201, body = Guardian),
        answers::Invalid, answers::Unauthenticated, answers::Forbidden, answers::NotFound,
        (status = 409, description = "guardian_exists, guardian_limit or consent_withdrawn", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many invitations today", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/children/{id}/guardians")]
pub async fn invite(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<GuardianInvite>,
) -> ApiResult<HttpResponse> {
    let guardian = service::invite(&state, caller, id.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Created().json(guardian))
}

/// Ends an invitation or a guardian's access: the holder any of the child's,
/// a guardian his own. Every member of the family is told.
#[utoipa::path(
    tag = "children",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Invitation id")),
    responses((status = 204, description = "Ended"), answers::Unauthenticated, answers::NotFound)
)]
#[delete("/guardians/{id}")]
pub async fn end(state: web::Data<AppState>, caller: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    service::end(&state, caller, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// What an invitation offers, for the page its emailed link opens; no
/// sign-in needed, the link is the secret.
#[utoipa::path(
    tag = "children",
    request_body = AcceptInvitation,
    responses((status = 200, body = GuardianInvitation), answers::Invalid, answers::NotFound)
)]
#[post("/guardian-invitations/preview")]
pub async fn preview(
    state: web::Data<AppState>,
    body: web::Json<AcceptInvitation>,
) -> ApiResult<web::Json<GuardianInvitation>> {
    Ok(web::Json(service::preview(&state, body.into_inner().token).await?))
}

/// The invited adult, signed in with the invited address, accepts; answers
/// the child's record. 403 `invitation_other_account` for another address,
/// 409 `invitation_invalid` for an expired, ended or used one.
#[utoipa::path(
    tag = "children",
    security(("bearer" = [])),
    request_body = AcceptInvitation,
    responses(
        (status = 200, body = Child),
        answers::Invalid, answers::Unauthenticated, answers::Forbidden, answers::NotFound,
        (status = 409, description = "invitation_invalid or consent_withdrawn", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/guardian-invitations/accept")]
pub async fn accept(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: web::Json<AcceptInvitation>,
) -> ApiResult<web::Json<Child>> {
    Ok(web::Json(service::accept(&state, caller, service::Invitation::Link(body.into_inner().token)).await?))
}

/// The invitations waiting for the caller's address (open, not expired),
/// oldest first: an adult who registered after the email finds them here.
#[utoipa::path(
    tag = "children",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<GuardianInvitation>), answers::Unauthenticated, answers::Forbidden)
)]
#[get("/me/guardian-invitations")]
pub async fn waiting(state: web::Data<AppState>, caller: AuthUser) -> ApiResult<web::Json<Vec<GuardianInvitation>>> {
    Ok(web::Json(service::waiting(&state, caller).await?))
}

/// Accepts one of the invitations waiting for the caller's address by its
/// id; anybody else's invitation answers 404.
#[utoipa::path(
    tag = "children",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Invitation id")),
    responses(
        (status = 200, body = Child),
        answers::Unauthenticated, answers::Forbidden, answers::NotFound,
        (status = 409, description = "invitation_invalid or consent_withdrawn", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/guardian-invitations/{id}/accept")]
pub async fn accept_waiting(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Child>> {
    Ok(web::Json(service::accept(&state, caller, service::Invitation::Id(id.into_inner())).await?))
}

/// What the child's parent and guardians did for the child (applications,
/// contracts signed, guardians invited and ended), newest first.
#[utoipa::path(
    tag = "children",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Child id"), PageQuery),
    responses((status = 200, body = Page<FamilyAction>), answers::Invalid, answers::Unauthenticated, answers::NotFound)
)]
#[get("/children/{id}/activity")]
pub async fn activity(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<Page<FamilyAction>>> {
    Ok(web::Json(service::activity(&state, caller, id.into_inner(), query.into_inner()).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list)
        .service(invite)
        .service(end)
        .service(preview)
        .service(accept)
        .service(waiting)
        .service(accept_waiting)
        .service(activity);
}
