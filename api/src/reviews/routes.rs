//! HTTP handlers of reviews: the program's public list, the family's own
//! reviews, the organization's answers and the operator's moderation.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use navigator_shared::reference::{Page, PageQuery};
use navigator_shared::reviews::{
    CabinetReviewsQuery, ModerationQuery, ReasonInput, ReplyInput, Review, ReviewAccess, ReviewEdit, ReviewEntry,
    ReviewInput, ReviewsPage,
};

use super::service;
use crate::AppState;
use crate::auth::AuthUser;
use crate::error::{ApiResult, answers};

/// A program's published reviews, newest first (10 a page by default), with
/// the rating they give and how many gave each number of stars.
#[utoipa::path(
    tag = "reviews",
    params(("id" = i64, Path, description = "The program"), PageQuery),
    responses((status = 200, body = ReviewsPage), answers::Invalid, answers::NotFound)
)]
#[get("/programs/{id}/reviews")]
pub async fn list(
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<ReviewsPage>> {
    Ok(web::Json(service::page(&state, id.into_inner(), query.into_inner()).await?))
}

/// What the signed-in caller may write about the program: the children who
/// took part (each may have one review), why not when none may, and the
/// caller's own reviews with the operator's reason when hidden.
#[utoipa::path(
    tag = "reviews",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The program")),
    responses((status = 200, body = ReviewAccess), answers::Unauthenticated, answers::NotFound)
)]
#[get("/programs/{id}/review-access")]
pub async fn access(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<ReviewAccess>> {
    Ok(web::Json(service::access(&state, caller, id.into_inner()).await?))
}

/// A review by a parent or learner whose child took part in the program
/// (enrolled, finished or expelled): one per child and program, 1–5 stars,
/// 20–2000 characters without links. The program's rating counts it at once.
#[utoipa::path(
    tag = "reviews",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The program")),
    request_body = ReviewInput,
    responses(
        (status = 201, body = Review),
        answers::Invalid,
        answers::Unauthenticated,
        answers::Forbidden,
        answers::NotFound,
        answers::Conflict,
        answers::TooMany,
    )
)]
#[post("/programs/{id}/reviews")]
pub async fn create(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<ReviewInput>,
) -> ApiResult<HttpResponse> {
    let review = service::create(&state, caller, id.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Created().json(review))
}

/// The author changes the stars or the text, within 14 days of writing.
#[utoipa::path(
    tag = "reviews",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The review")),
    request_body = ReviewEdit,
    responses((status = 200, body = Review), answers::Invalid, answers::Unauthenticated, answers::NotFound, answers::Conflict)
)]
#[patch("/reviews/{id}")]
pub async fn edit(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<ReviewEdit>,
) -> ApiResult<web::Json<Review>> {
    Ok(web::Json(service::edit(&state, caller, id.into_inner(), body.into_inner()).await?))
}

/// The author removes the review.
#[utoipa::path(
    tag = "reviews",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The review")),
    responses((status = 204), answers::Unauthenticated, answers::NotFound)
)]
#[delete("/reviews/{id}")]
pub async fn remove(state: web::Data<AppState>, caller: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    service::delete(&state, caller, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The organization's answer to a review of its program: one per review.
#[utoipa::path(
    tag = "reviews",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The review")),
    request_body = ReplyInput,
    responses(
        (status = 200, body = Review),
        answers::Invalid,
        answers::Unauthenticated,
        answers::Forbidden,
        answers::NotFound,
        answers::Conflict,
    )
)]
#[post("/reviews/{id}/reply")]
pub async fn reply(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<ReplyInput>,
) -> ApiResult<web::Json<Review>> {
    Ok(web::Json(service::reply(&state, caller, id.into_inner(), body.into_inner()).await?))
}

/// A complaint about a published review, from any signed-in user, once per
/// review; it goes to the operator of the program's municipality.
#[utoipa::path(
    tag = "reviews",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The review")),
    request_body = ReasonInput,
    responses(
        (status = 204),
        answers::Invalid,
        answers::Unauthenticated,
        answers::NotFound,
        answers::Conflict,
        answers::TooMany,
    )
)]
#[post("/reviews/{id}/complaints")]
pub async fn complain(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<ReasonInput>,
) -> ApiResult<HttpResponse> {
    service::complain(&state, caller, id.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The organization's reviews, newest first; `unanswered=true` leaves those it answered.
#[utoipa::path(
    tag = "reviews",
    security(("bearer" = [])),
    params(CabinetReviewsQuery),
    responses((status = 200, body = Page<ReviewEntry>), answers::Invalid, answers::Unauthenticated, answers::Forbidden)
)]
#[get("/cabinet/reviews")]
pub async fn cabinet(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<CabinetReviewsQuery>,
) -> ApiResult<web::Json<Page<ReviewEntry>>> {
    Ok(web::Json(service::of_organization(&state, caller, query.into_inner()).await?))
}

/// The reviews of the operator's municipality (the admin's: the region's),
/// newest first: with open complaints (default), hidden, or all.
#[utoipa::path(
    tag = "reviews",
    security(("bearer" = [])),
    params(ModerationQuery),
    responses((status = 200, body = Page<ReviewEntry>), answers::Invalid, answers::Unauthenticated, answers::Forbidden)
)]
#[get("/moderation/reviews")]
pub async fn moderation(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<ModerationQuery>,
) -> ApiResult<web::Json<Page<ReviewEntry>>> {
    Ok(web::Json(service::for_moderation(&state, caller, query.into_inner()).await?))
}

/// The operator hides a review; the author is told the reason, the open
/// complaints are resolved and the rating stops counting it.
#[utoipa::path(
    tag = "reviews",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The review")),
    request_body = ReasonInput,
    responses(
        (status = 200, body = Review),
        answers::Invalid,
        answers::Unauthenticated,
        answers::Forbidden,
        answers::NotFound,
        answers::Conflict,
    )
)]
#[post("/reviews/{id}/hide")]
pub async fn hide(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<ReasonInput>,
) -> ApiResult<web::Json<Review>> {
    Ok(web::Json(service::hide(&state, caller, id.into_inner(), body.into_inner()).await?))
}

/// The operator publishes a hidden review again.
#[utoipa::path(
    tag = "reviews",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The review")),
    responses((status = 200, body = Review), answers::Unauthenticated, answers::Forbidden, answers::NotFound, answers::Conflict)
)]
#[post("/reviews/{id}/restore")]
pub async fn restore(state: web::Data<AppState>, caller: AuthUser, id: web::Path<i64>) -> ApiResult<web::Json<Review>> {
    Ok(web::Json(service::restore(&state, caller, id.into_inner()).await?))
}

/// The operator finds the open complaints unfounded: the review stays published.
#[utoipa::path(
    tag = "reviews",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The review")),
    responses((status = 204), answers::Unauthenticated, answers::Forbidden, answers::NotFound, answers::Conflict)
)]
#[post("/reviews/{id}/complaints/dismiss")]
pub async fn dismiss(state: web::Data<AppState>, caller: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    service::dismiss(&state, caller, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list)
        .service(access)
        .service(create)
        .service(edit)
        .service(remove)
        .service(reply)
        .service(complain)
        .service(cabinet)
        .service(moderation)
        .service(hide)
        .service(restore)
        .service(dismiss);
}
