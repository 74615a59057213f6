//! The OpenAPI document: its frame here, the paths from the handlers'
//! `#[utoipa::path]` as they are registered.

use actix_web::App;
use utoipa::openapi::OpenApi as Spec;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Navigator API",
        description = "Региональный навигатор дополнительного образования детей и реестр сертификатов. \
                       Errors are RFC 9457 problem details with a stable `code` and a Russian `detail`.",
        version = "1.0.0"
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Registration, sign-in, tokens, password reset"),
        (name = "profile", description = "The signed-in user's profile"),
        (name = "staff", description = "Where staff work: operators' municipalities, staff members' organizations (audited)"),
        (name = "reference", description = "Region, municipalities, activation points"),
        (name = "children", description = "Children of the family account"),
        (name = "certificates", description = "Certificates of additional education"),
        (name = "calendar", description = "Production calendar (admin)"),
        (name = "registry", description = "The certificate registry: activation desk and operators"),
        (name = "catalog", description = "The public catalog: programs, organizations, map, delta export"),
        (name = "organization cabinet", description = "An organization's programs, modules and groups (its staff)"),
        (name = "moderation", description = "The operator's moderation and certification of programs"),
        (name = "organizations registry", description = "The operator's registry of organizations"),
        (name = "funding", description = "Funding periods, funding requests and the certificate ledger"),
        (name = "applications", description = "Applications to groups, the waiting list, enrolment (Idempotency-Key honoured)"),
        (name = "contracts", description = "Contracts paid by certificate, monthly charges, the organization's register"),
        (name = "operations", description = "Probes"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut Spec) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
    }
}

pub fn base() -> Spec {
    ApiDoc::openapi()
}

/// Swagger UI at `/api/docs` (assets built in, nothing fetched) and the spec at `/api/openapi.json`.
pub fn docs(spec: Spec) -> SwaggerUi {
    SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", spec)
}

/// `/api/docs` without the slash leads to Swagger UI.
pub async fn docs_redirect() -> actix_web::HttpResponse {
    actix_web::HttpResponse::PermanentRedirect().insert_header(("Location", "/api/docs/")).finish()
}

/// The whole document, as the running server serves it.
pub fn document() -> Spec {
    let (_, spec) = App::new()
        .into_utoipa_app()
        .openapi(base())
        .service(utoipa_actix_web::scope("/api/v1").configure(crate::api_routes))
        .configure(crate::health::configure)
        .split_for_parts();
    spec
}

/// Pretty JSON with a final newline: the committed `openapi/openapi.json`.
pub fn document_json() -> anyhow::Result<String> {
    Ok(document().to_pretty_json()? + "\n")
}
