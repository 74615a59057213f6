//! The OpenAPI document: its frame here, the paths from the handlers'
//! `#[utoipa::path]` as they are registered.

use actix_web::web::{self, Bytes};
use actix_web::{App, HttpResponse};
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{ClientCredentials, Flow, HttpAuthScheme, HttpBuilder, OAuth2, Scopes, SecurityScheme};
use utoipa::openapi::{Content, OpenApi as Spec, Ref, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::{Config, SwaggerUi};

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
        (name = "payments", description = "Paying providers: monthly advance requests and invoices, the operator's queue and payment register"),
        (name = "events", description = "Events of organizations: the public calendar, families' sign-ups, the organizations' events and participants, moderation"),
        (name = "reviews", description = "Reviews of programs by participating families, the organizations' answers, complaints and moderation"),
        (name = "stats", description = "The operator's statistics: coverage, certificates and money against the limits, programs and applications, the form 1-ДОП; tables as CSV and XLSX"),
        (name = "integrators", description = "Integration clients (set below from docs/integrators.md)"),
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
        let scopes = navigator_shared::integrations::ClientScope::ALL.iter().map(|s| (s.as_str(), s.title()));
        components.add_security_scheme(
            "client",
            SecurityScheme::OAuth2(OAuth2::with_description(
                [Flow::ClientCredentials(ClientCredentials::new("/api/v1/oauth/token", Scopes::from_iter(scopes)))],
                "Integration clients: OAuth 2.0 client credentials, see the tag «integrators»",
            )),
        );
        if let Some(tag) = openapi.tags.iter_mut().flatten().find(|t| t.name == "integrators") {
            tag.description = Some(INTEGRATORS_GUIDE.to_owned());
        }
    }
}

/// The integrators' guide: a token, an application, a webhook and its signature, end to end.
const INTEGRATORS_GUIDE: &str = include_str!("../../docs/integrators.md");

pub fn base() -> Spec {
    ApiDoc::openapi()
}

/// Where the server serves the document.
const SPEC_URL: &str = "/api/openapi.json";

/// Swagger UI at `/api/docs` (assets built in, nothing fetched) and the spec
/// at `/api/openapi.json`: the document is serialized once, before the
/// workers start, and its bytes are shared (a worker does not keep its own
/// copy of the document's tree).
pub fn docs(spec: Bytes) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.service(SwaggerUi::new("/api/docs/{_:.*}").config(Config::from(SPEC_URL))).route(
            SPEC_URL,
            web::get().to(move || {
                let spec = spec.clone();
                async move { HttpResponse::Ok().content_type("application/json").body(spec) }
            }),
        );
    }
}

/// The document as the server serves it.
pub fn document_bytes() -> serde_json::Result<Bytes> {
    serde_json::to_vec(&document()).map(Bytes::from)
}

/// `/api/docs` without the slash leads to Swagger UI.
pub async fn docs_redirect() -> actix_web::HttpResponse {
    actix_web::HttpResponse::PermanentRedirect().insert_header(("Location", "/api/docs/")).finish()
}

/// The whole document, as the running server serves it.
pub fn document() -> Spec {
    let (_, mut spec) = App::new()
        .into_utoipa_app()
        .openapi(base())
        .service(utoipa_actix_web::scope("/api/v1").configure(crate::api_routes))
        .configure(crate::health::configure)
        .split_for_parts();
    finish(&mut spec);
    spec
}

/// What the routes' own declarations leave out: the common error answers,
/// and the schemas that only query parameters name.
pub fn finish(spec: &mut Spec) {
    complete_errors(spec);
    let components = spec.components.get_or_insert_with(Default::default);
    components.schemas.insert("Sort".into(), <navigator_shared::catalog::Sort as utoipa::PartialSchema>::schema());
}

/// The answers every operation of a kind can give, whatever its handler
/// lists: the extractors, the guards and the error handler answer them.
fn complete_errors(spec: &mut Spec) {
    use utoipa::openapi::path::ParameterIn;
    /// Status, description, and whether an operation (at its path) can answer it.
    type Answer = (&'static str, &'static str, fn(&str, &Operation) -> bool);
    let answers: &[Answer] = &[
        ("400", "Bad input: malformed JSON or parameters, control characters, or field errors in `errors`", |_, op| {
            op.request_body.is_some() || op.parameters.as_ref().is_some_and(|p| !p.is_empty())
        }),
        ("401", "No valid access token, or its sign-in has ended", |_, op| op.security.is_some()),
        ("403", "The caller's role or territory does not allow this", |_, op| op.security.is_some()),
        ("404", "No such object, or not one the caller may see", |path, _| path.contains('{')),
        ("408", "The request body did not arrive in time", |_, op| op.request_body.is_some()),
        ("409", "`request_in_progress`: the same keyed request is still running", |_, op| keyed(op)),
        ("422", "`idempotency_key_reused`: the key came with another request", |_, op| keyed(op)),
    ];
    fn keyed(op: &Operation) -> bool {
        op.parameters.iter().flatten().any(|p| p.parameter_in == ParameterIn::Header && p.name == "Idempotency-Key")
    }
    for (path, item) in spec.paths.paths.iter_mut() {
        let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
        for op in operations.into_iter().flatten() {
            for (status, description, applies) in answers {
                if applies(path, op) && !op.responses.responses.contains_key(*status) {
                    op.responses.responses.insert((*status).to_owned(), problem(description).into());
                }
            }
        }
    }
}

fn problem(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content("application/problem+json", Content::new(Some(Ref::from_schema_name("Problem"))))
        .build()
}

/// Pretty JSON with a final newline: the committed `openapi/openapi.json`.
pub fn document_json() -> anyhow::Result<String> {
    Ok(document().to_pretty_json()? + "\n")
}
