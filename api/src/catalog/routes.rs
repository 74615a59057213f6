//! HTTP handlers of the catalog: the public search, map and card, the
//! organization's cabinet and the operator's moderation.

use actix_web::{HttpResponse, delete, get, post, put, web};
use navigator_shared::Problem;
use navigator_shared::catalog::{
    CatalogPage, CatalogQuery, ChangesQuery, Group, GroupInput, MapPage, MapQuery, Module, ModuleInput, ProgramCard,
    ProgramChange, ProgramInput, ProgramsListQuery, PublishRequest, ReturnRequest,
};
use navigator_shared::reference::{Page, PageQuery};

use super::service;
use crate::AppState;
use crate::auth::AuthUser;
use crate::auth::clients::MaybeIntegrator;
use crate::error::{ApiResult, answers};
use navigator_shared::integrations::ClientScope;

type Card = ApiResult<web::Json<ProgramCard>>;

fn pages(query: &ProgramsListQuery) -> PageQuery {
    PageQuery { page: query.page, per_page: query.per_page }
}

/// The public catalog: published programs with filters, text search, order,
/// pages and facet counts. `q` matches words, prefixes and slight misspellings
/// («робот», «танц», «робатехника»), `ё` as `е`, in any case.
#[utoipa::path(
    tag = "catalog",
    params(CatalogQuery),
    responses((status = 200, body = CatalogPage), answers::Invalid)
)]
#[get("/programs")]
pub async fn search(state: web::Data<AppState>, query: web::Query<CatalogQuery>) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().content_type("application/json").body(service::search(&state, &query)?))
}

/// Programs on the map within `bbox`; clustered below zoom 13.
#[utoipa::path(
    tag = "catalog",
    params(MapQuery),
    responses((status = 200, body = MapPage), answers::Invalid)
)]
#[get("/programs/map")]
pub async fn map(state: web::Data<AppState>, query: web::Query<MapQuery>) -> ApiResult<web::Json<MapPage>> {
    Ok(web::Json(service::map(&state, &query)?))
}

/// Programs changed after `updated_since`, oldest change first (delta export
/// for integrators). A program that left the catalog comes with `state`
/// `archived` or `withdrawn` and no `program`. Public; an integration client
/// may call it with its token (`catalog:read`).
#[utoipa::path(
    tag = "catalog",
    params(ChangesQuery),
    security((), ("client" = ["catalog:read"])),
    responses((status = 200, body = Vec<ProgramChange>), answers::Invalid, answers::TooMany)
)]
#[get("/programs/changes")]
pub async fn changes(
    state: web::Data<AppState>,
    client: MaybeIntegrator,
    query: web::Query<ChangesQuery>,
) -> ApiResult<web::Json<Vec<ProgramChange>>> {
    if let MaybeIntegrator(Some(integrator)) = client {
        integrator.require(ClientScope::CatalogRead)?;
    }
    Ok(web::Json(service::changes(&state, query.into_inner()).await?))
}

/// The program card: description, organization, modules with prices, groups
/// with schedule and free places, contacts.
#[utoipa::path(
    tag = "catalog",
    params(("id" = i64, Path, description = "Program id")),
    responses((status = 200, body = ProgramCard), answers::NotFound)
)]
#[get("/programs/{id}")]
pub async fn card(state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().content_type("application/json").body(service::public_card(&state, id.into_inner()).await?))
}

/// The organization's programs in every status (staff of the organization).
#[utoipa::path(
    tag = "organization cabinet",
    security(("bearer" = [])),
    params(ProgramsListQuery),
    responses((status = 200, body = Page<ProgramCard>), answers::Forbidden)
)]
#[get("/cabinet/programs")]
pub async fn cabinet_list(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<ProgramsListQuery>,
) -> ApiResult<web::Json<Page<ProgramCard>>> {
    Ok(web::Json(service::cabinet_list(&state, caller, query.status, pages(&query)).await?))
}

/// A new program, as a draft.
#[utoipa::path(
    tag = "organization cabinet",
    security(("bearer" = [])),
    request_body = ProgramInput,
    responses(
        (status = 201, body = ProgramCard),
        answers::Invalid,
        answers::Forbidden,
    )
)]
#[post("/cabinet/programs")]
pub async fn create(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: web::Json<ProgramInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(service::create(&state, caller, body.into_inner()).await?))
}

/// One of the organization's programs, in any status.
#[utoipa::path(
    tag = "organization cabinet",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Program id")),
    responses((status = 200, body = ProgramCard), answers::NotFound)
)]
#[get("/cabinet/programs/{id}")]
pub async fn cabinet_card(state: web::Data<AppState>, caller: AuthUser, id: web::Path<i64>) -> Card {
    Ok(web::Json(service::cabinet_card(&state, caller, id.into_inner()).await?))
}

/// Changes a program (draft, returned or published; a published program
/// changes in the catalog at once).
#[utoipa::path(
    tag = "organization cabinet",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Program id")),
    request_body = ProgramInput,
    responses(
        (status = 200, body = ProgramCard),
        answers::Invalid,
        answers::NotFound,
        (status = 409, description = "In moderation or archived", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/cabinet/programs/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<ProgramInput>,
) -> Card {
    Ok(web::Json(service::update(&state, caller, id.into_inner(), body.into_inner()).await?))
}

/// Sends a draft or returned program to moderation (it needs a group).
#[utoipa::path(
    tag = "organization cabinet",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Program id")),
    responses(
        (status = 200, body = ProgramCard),
        answers::NotFound,
        answers::Conflict,
    )
)]
#[post("/cabinet/programs/{id}/submit")]
pub async fn submit(state: web::Data<AppState>, caller: AuthUser, id: web::Path<i64>) -> Card {
    Ok(web::Json(service::submit(&state, caller, id.into_inner()).await?))
}

/// Moves a published program to the archive (the organization).
#[utoipa::path(
    tag = "organization cabinet",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Program id")),
    responses(
        (status = 200, body = ProgramCard),
        answers::NotFound,
        answers::Conflict,
    )
)]
#[post("/cabinet/programs/{id}/archive")]
pub async fn archive(state: web::Data<AppState>, caller: AuthUser, id: web::Path<i64>) -> Card {
    Ok(web::Json(service::archive(&state, caller, id.into_inner()).await?))
}

/// Adds a module (hours, price in kopecks).
#[utoipa::path(
    tag = "organization cabinet",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Program id")),
    request_body = ModuleInput,
    responses((status = 201, body = Module), answers::Invalid, answers::NotFound)
)]
#[post("/cabinet/programs/{id}/modules")]
pub async fn add_module(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<ModuleInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(service::add_module(&state, caller, id.into_inner(), body.into_inner()).await?))
}

/// Changes a module.
#[utoipa::path(
    tag = "organization cabinet",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Module id")),
    request_body = ModuleInput,
    responses((status = 200, body = Module), answers::Invalid, answers::NotFound)
)]
#[put("/cabinet/modules/{id}")]
pub async fn update_module(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<ModuleInput>,
) -> ApiResult<web::Json<Module>> {
    Ok(web::Json(service::update_module(&state, caller, id.into_inner(), body.into_inner()).await?))
}

/// Deletes a module.
#[utoipa::path(
    tag = "organization cabinet",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Module id")),
    responses((status = 204), answers::NotFound)
)]
#[delete("/cabinet/modules/{id}")]
pub async fn delete_module(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    service::delete_module(&state, caller, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Adds a group (teacher, weekly schedule, places, dates, enrolment).
#[utoipa::path(
    tag = "organization cabinet",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Program id")),
    request_body = GroupInput,
    responses((status = 201, body = Group), answers::Invalid, answers::NotFound)
)]
#[post("/cabinet/programs/{id}/groups")]
pub async fn add_group(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<GroupInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(service::add_group(&state, caller, id.into_inner(), body.into_inner()).await?))
}

/// Changes a group (e.g. opens or closes enrolment).
#[utoipa::path(
    tag = "organization cabinet",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Group id")),
    request_body = GroupInput,
    responses((status = 200, body = Group), answers::Invalid, answers::NotFound)
)]
#[put("/cabinet/groups/{id}")]
pub async fn update_group(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<GroupInput>,
) -> ApiResult<web::Json<Group>> {
    Ok(web::Json(service::update_group(&state, caller, id.into_inner(), body.into_inner()).await?))
}

/// Deletes a group without enrolled children.
#[utoipa::path(
    tag = "organization cabinet",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Group id")),
    responses((status = 204), answers::NotFound, answers::Conflict)
)]
#[delete("/cabinet/groups/{id}")]
pub async fn delete_group(state: web::Data<AppState>, caller: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    service::delete_group(&state, caller, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The moderation queue of the operator's municipality (admin: the region);
/// `status` shows other lists (e.g. `published`).
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(ProgramsListQuery),
    responses((status = 200, body = Page<ProgramCard>), answers::Forbidden)
)]
#[get("/moderation/programs")]
pub async fn moderation_list(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<ProgramsListQuery>,
) -> ApiResult<web::Json<Page<ProgramCard>>> {
    Ok(web::Json(service::moderation_list(&state, caller, query.status, pages(&query)).await?))
}

/// A program of the operator's municipality, in any status.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Program id")),
    responses((status = 200, body = ProgramCard), answers::Forbidden, answers::NotFound)
)]
#[get("/moderation/programs/{id}")]
pub async fn moderation_card(state: web::Data<AppState>, caller: AuthUser, id: web::Path<i64>) -> Card {
    Ok(web::Json(service::moderation_card(&state, caller, id.into_inner()).await?))
}

/// Publishes a program in moderation; `certified` marks it «Доступна оплата сертификатом».
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Program id")),
    request_body = PublishRequest,
    responses(
        (status = 200, body = ProgramCard),
        answers::Forbidden,
        answers::Conflict,
    )
)]
#[post("/moderation/programs/{id}/publish")]
pub async fn publish(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<PublishRequest>,
) -> Card {
    Ok(web::Json(service::publish(&state, caller, id.into_inner(), body.into_inner()).await?))
}

/// Returns a program in moderation to the organization with a comment.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Program id")),
    request_body = ReturnRequest,
    responses(
        (status = 200, body = ProgramCard),
        answers::Invalid,
        answers::Forbidden,
        answers::Conflict,
    )
)]
#[post("/moderation/programs/{id}/return")]
pub async fn return_program(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<ReturnRequest>,
) -> Card {
    Ok(web::Json(service::return_program(&state, caller, id.into_inner(), body.into_inner()).await?))
}

/// Moves a published program to the archive (the operator).
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Program id")),
    responses((status = 200, body = ProgramCard), answers::Forbidden, answers::Conflict)
)]
#[post("/moderation/programs/{id}/archive")]
pub async fn moderation_archive(state: web::Data<AppState>, caller: AuthUser, id: web::Path<i64>) -> Card {
    Ok(web::Json(service::archive(&state, caller, id.into_inner()).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(search)
        .service(map)
        .service(changes)
        .service(card)
        .service(cabinet_list)
        .service(create)
        .service(cabinet_card)
        .service(update)
        .service(submit)
        .service(archive)
        .service(add_module)
        .service(update_module)
        .service(delete_module)
        .service(add_group)
        .service(update_group)
        .service(delete_group)
        .service(moderation_list)
        .service(moderation_card)
        .service(publish)
        .service(return_program)
        .service(moderation_archive);
}
