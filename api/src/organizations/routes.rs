//! HTTP handlers of organizations: public cards, activation points, the
//! delta export and the operator's registry.

use actix_web::{HttpResponse, get, post, put, web};
use navigator_shared::Problem;
use navigator_shared::catalog::ChangesQuery;
use navigator_shared::organizations::{
    ActivationPoint, ActivationPointsQuery, OrganizationCard, OrganizationChange, OrganizationInput,
    OrganizationRecord, OrganizationsQuery,
};
use navigator_shared::reference::Page;

use super::{repo, service};
use crate::AppState;
use crate::auth::AuthUser;
use crate::auth::clients::MaybeIntegrator;
use crate::error::{ApiResult, answers};
use navigator_shared::integrations::ClientScope;

/// Where to bring the documents to activate a certificate: organizations
/// authorized by the municipality, with the responsible specialist, reception
/// hours and a city phone (public).
#[utoipa::path(
    tag = "reference",
    params(ActivationPointsQuery),
    responses((status = 200, body = Vec<ActivationPoint>), answers::Invalid)
)]
#[get("/activation-points")]
pub async fn activation_points(
    state: web::Data<AppState>,
    query: web::Query<ActivationPointsQuery>,
) -> ApiResult<web::Json<Vec<ActivationPoint>>> {
    let municipality = query.municipality_id;
    Ok(web::Json(state.db(move |c| repo::activation_points(c, municipality)).await?))
}

/// Organizations working in the Navigator, by name (public).
#[utoipa::path(
    tag = "catalog",
    params(OrganizationsQuery),
    responses((status = 200, body = Page<OrganizationCard>), answers::Invalid)
)]
#[get("/organizations")]
pub async fn list(
    state: web::Data<AppState>,
    query: web::Query<OrganizationsQuery>,
) -> ApiResult<web::Json<Page<OrganizationCard>>> {
    Ok(web::Json(service::public_list(&state, query.into_inner()).await?))
}

/// Organizations changed after `updated_since`, oldest change first (delta
/// export for integrators; continue from the last `updated_at`). Public; an
/// integration client may call it with its token (`catalog:read`).
#[utoipa::path(
    tag = "catalog",
    params(ChangesQuery),
    security((), ("client" = ["catalog:read"])),
    responses((status = 200, body = Vec<OrganizationChange>), answers::Invalid, answers::TooMany)
)]
#[get("/organizations/changes")]
pub async fn changes(
    state: web::Data<AppState>,
    client: MaybeIntegrator,
    query: web::Query<ChangesQuery>,
) -> ApiResult<web::Json<Vec<OrganizationChange>>> {
    if let MaybeIntegrator(Some(integrator)) = client {
        integrator.require(ClientScope::CatalogRead)?;
    }
    Ok(web::Json(service::changes(&state, query.into_inner()).await?))
}

/// An organization's public card.
#[utoipa::path(
    tag = "catalog",
    params(("id" = i64, Path, description = "Organization id")),
    responses((status = 200, body = OrganizationCard), answers::NotFound)
)]
#[get("/organizations/{id}")]
pub async fn card(state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult<web::Json<OrganizationCard>> {
    Ok(web::Json(service::public_card(&state, id.into_inner()).await?))
}

/// The operator's registry of organizations of their municipality (admin: the
/// whole region), in every status; `q` searches the name and the INN.
#[utoipa::path(
    tag = "organizations registry",
    security(("bearer" = [])),
    params(OrganizationsQuery),
    responses(
        (status = 200, body = Page<OrganizationCard>),
        answers::Forbidden,
    )
)]
#[get("/registry/organizations")]
pub async fn registry_list(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<OrganizationsQuery>,
) -> ApiResult<web::Json<Page<OrganizationCard>>> {
    Ok(web::Json(service::registry_list(&state, caller, query.into_inner()).await?))
}

/// Adds an organization to the registry (operator of its municipality, admin).
#[utoipa::path(
    tag = "organizations registry",
    security(("bearer" = [])),
    request_body = OrganizationInput,
    responses(
        (status = 201, body = OrganizationRecord),
        answers::Invalid,
        answers::Forbidden,
        (status = 409, description = "The INN is taken", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/registry/organizations")]
pub async fn create(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: web::Json<OrganizationInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(service::create(&state, caller, body.into_inner()).await?))
}

/// The operator's record: the card, the activation point's details and the staff accounts.
#[utoipa::path(
    tag = "organizations registry",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Organization id")),
    responses((status = 200, body = OrganizationRecord), answers::NotFound)
)]
#[get("/registry/organizations/{id}")]
pub async fn registry_record(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<OrganizationRecord>> {
    Ok(web::Json(service::registry_record(&state, caller, id.into_inner()).await?))
}

/// Changes an organization (every field; suspending it hides its programs).
#[utoipa::path(
    tag = "organizations registry",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Organization id")),
    request_body = OrganizationInput,
    responses(
        (status = 200, body = OrganizationRecord),
        answers::Invalid,
        answers::NotFound,
        answers::Conflict,
    )
)]
#[put("/registry/organizations/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<OrganizationInput>,
) -> ApiResult<web::Json<OrganizationRecord>> {
    Ok(web::Json(service::update(&state, caller, id.into_inner(), body.into_inner()).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(activation_points)
        .service(list)
        .service(changes)
        .service(card)
        .service(registry_list)
        .service(create)
        .service(registry_record)
        .service(update);
}
