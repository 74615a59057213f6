//! HTTP handlers of children.

use actix_web::{HttpResponse, get, patch, post, web};
use navigator_shared::Problem;
use navigator_shared::children::{Child, ChildInput};

use super::service;
use crate::AppState;
use crate::auth::AuthUser;
use crate::error::{ApiResult, answers};

/// The children of the signed-in family, with their certificates; SNILS and
/// document numbers are masked.
#[utoipa::path(
    tag = "children",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<Child>), answers::Unauthenticated)
)]
#[get("/children")]
pub async fn list(state: web::Data<AppState>, caller: AuthUser) -> ApiResult<web::Json<Vec<Child>>> {
    Ok(web::Json(service::list(&state, caller).await?))
}

/// Adds a child to the family. The same child (by SNILS, or by full name and
/// birth date) cannot be in the system twice: 409 `duplicate_child`, with the
/// message under `snils` (or `last_name` for the name and birth date).
#[utoipa::path(
    tag = "children",
    security(("bearer" = [])),
    request_body = ChildInput,
    responses(
        (status = 201, body = Child),
        answers::Invalid,
        answers::Forbidden,
        (status = 409, description = "duplicate_child", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/children")]
pub async fn create(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: web::Json<ChildInput>,
) -> ApiResult<HttpResponse> {
    let child = service::create(&state, caller, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(child))
}

/// One child of the family, unmasked.
#[utoipa::path(
    tag = "children",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Child id")),
    responses((status = 200, body = Child), answers::NotFound)
)]
#[get("/children/{id}")]
pub async fn get(state: web::Data<AppState>, caller: AuthUser, id: web::Path<i64>) -> ApiResult<web::Json<Child>> {
    Ok(web::Json(service::get(&state, caller, id.into_inner()).await?))
}

/// Changes a child's data (the fields present replace the stored ones) until
/// the certificate is active; afterwards 409 `child_locked`.
#[utoipa::path(
    tag = "children",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Child id")),
    request_body = ChildInput,
    responses(
        (status = 200, body = Child),
        answers::Invalid,
        answers::NotFound,
        (status = 409, description = "child_locked or duplicate_child", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/children/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<serde_json::Map<String, serde_json::Value>>,
) -> ApiResult<web::Json<Child>> {
    Ok(web::Json(service::update(&state, caller, id.into_inner(), body.into_inner()).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list).service(create).service(get).service(update);
}
