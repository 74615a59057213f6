//! HTTP handlers of the registry desk.

use actix_web::{HttpResponse, get, patch, post, put, web};
use navigator_shared::Problem;
use navigator_shared::accounts::{AccountCreated, InviteRequest};
use navigator_shared::children::{Certificate, Child, ChildInput};
use navigator_shared::reference::{Page, PageQuery};
use navigator_shared::registry::{
    ApplicantDocuments, AuditEntry, ChildCorrection, DuplicatePair, ExcludeRequest, MoveChildRequest,
    NotDuplicateRequest, RefuseRequest, RegistryCard, RegistryQuery, RegistryRecord,
};

use super::service;
use crate::AppState;
use crate::auth::AuthUser;
use crate::documents::Form;
use crate::error::{ApiError, ApiResult, answers};

type Card = ApiResult<web::Json<RegistryCard>>;

/// Searches the registry (activation staff: by `number`, or `last_name` +
/// `birth_date`; operators: also by `status` within their municipality).
#[utoipa::path(
    tag = "registry",
    security(("bearer" = [])),
    params(RegistryQuery),
    responses(
        (status = 200, body = Page<RegistryRecord>),
        answers::Invalid,
        answers::Forbidden,
    )
)]
#[get("/registry/certificates")]
pub async fn search(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<RegistryQuery>,
) -> ApiResult<web::Json<Page<RegistryRecord>>> {
    Ok(web::Json(service::search(&state, caller, query.into_inner()).await?))
}

/// Opens a record: the child's data unmasked, the applicant, the desk marks.
/// Every opening is written to the audit log.
#[utoipa::path(
    tag = "registry",
    security(("bearer" = [])),
    params(("number" = String, Path, description = "Certificate number")),
    responses((status = 200, body = RegistryCard), answers::NotFound)
)]
#[get("/registry/certificates/{number}")]
pub async fn view(state: web::Data<AppState>, caller: AuthUser, number: web::Path<String>) -> Card {
    Ok(web::Json(service::view(&state, caller, number.into_inner()).await?))
}

/// Corrects the child's data with a reason (audited with old and new values).
#[utoipa::path(
    tag = "registry",
    security(("bearer" = [])),
    params(("number" = String, Path, description = "Certificate number")),
    request_body = ChildCorrection,
    responses(
        (status = 200, body = RegistryCard),
        answers::Invalid,
        answers::NotFound,
        answers::Conflict,
    )
)]
#[patch("/registry/certificates/{number}/child")]
pub async fn correct(
    state: web::Data<AppState>,
    caller: AuthUser,
    number: web::Path<String>,
    body: web::Json<ChildCorrection>,
) -> Card {
    Ok(web::Json(service::correct(&state, caller, number.into_inner(), body.into_inner()).await?))
}

/// Enters the applicant's passport and address from the paper documents
/// (audited, the passport number masked in the trail).
#[utoipa::path(
    tag = "registry",
    security(("bearer" = [])),
    params(("number" = String, Path, description = "Certificate number")),
    request_body = ApplicantDocuments,
    responses(
        (status = 200, body = RegistryCard),
        answers::Invalid,
        answers::Forbidden,
        answers::NotFound,
        answers::Conflict,
    )
)]
#[put("/registry/certificates/{number}/applicant")]
pub async fn fill_applicant(
    state: web::Data<AppState>,
    caller: AuthUser,
    number: web::Path<String>,
    body: web::Json<ApplicantDocuments>,
) -> Card {
    Ok(web::Json(service::fill_applicant(&state, caller, number.into_inner(), body.into_inner()).await?))
}

/// Confirms that the child's data match the documents.
#[utoipa::path(
    tag = "registry",
    security(("bearer" = [])),
    params(("number" = String, Path, description = "Certificate number")),
    responses((status = 200, body = RegistryCard), answers::Conflict)
)]
#[post("/registry/certificates/{number}/confirm-data")]
pub async fn confirm_data(state: web::Data<AppState>, caller: AuthUser, number: web::Path<String>) -> Card {
    Ok(web::Json(service::confirm_data(&state, caller, number.into_inner()).await?))
}

/// Registers that the signed application and consent were received.
#[utoipa::path(
    tag = "registry",
    security(("bearer" = [])),
    params(("number" = String, Path, description = "Certificate number")),
    responses((status = 200, body = RegistryCard), answers::Conflict)
)]
#[post("/registry/certificates/{number}/application-received")]
pub async fn application_received(state: web::Data<AppState>, caller: AuthUser, number: web::Path<String>) -> Card {
    Ok(web::Json(service::application_received(&state, caller, number.into_inner()).await?))
}

/// Activates the certificate (activation point; after the data were confirmed
/// and the application registered). The family is told.
#[utoipa::path(
    tag = "registry",
    security(("bearer" = [])),
    params(("number" = String, Path, description = "Certificate number")),
    responses(
        (status = 200, body = RegistryCard),
        answers::Forbidden,
        (status = 409, description = "checks_incomplete or wrong_status", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/registry/certificates/{number}/activate")]
pub async fn activate(state: web::Data<AppState>, caller: AuthUser, number: web::Path<String>) -> Card {
    Ok(web::Json(service::activate(&state, caller, number.into_inner()).await?))
}

/// Files a lapsed or refused certificate again: `pending` with the same
/// number and a new deadline for the documents. The family is told.
#[utoipa::path(
    tag = "registry",
    security(("bearer" = [])),
    params(("number" = String, Path, description = "Certificate number")),
    responses(
        (status = 200, body = RegistryCard),
        (status = 409, description = "not_renewable, certificate_changed or age_out_of_range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/registry/certificates/{number}/renew")]
pub async fn renew(state: web::Data<AppState>, caller: AuthUser, number: web::Path<String>) -> Card {
    Ok(web::Json(service::renew(&state, caller, number.into_inner()).await?))
}

/// Refuses the certificate with an official reason. The family is told.
#[utoipa::path(
    tag = "registry",
    security(("bearer" = [])),
    params(("number" = String, Path, description = "Certificate number")),
    request_body = RefuseRequest,
    responses((status = 200, body = RegistryCard), answers::Conflict)
)]
#[post("/registry/certificates/{number}/refuse")]
pub async fn refuse(
    state: web::Data<AppState>,
    caller: AuthUser,
    number: web::Path<String>,
    body: web::Json<RefuseRequest>,
) -> Card {
    Ok(web::Json(service::refuse(&state, caller, number.into_inner(), body.into_inner()).await?))
}

/// Excludes an active certificate from the registry (operator). The family is told.
#[utoipa::path(
    tag = "registry",
    security(("bearer" = [])),
    params(("number" = String, Path, description = "Certificate number")),
    request_body = ExcludeRequest,
    responses(
        (status = 200, body = RegistryCard),
        answers::Forbidden,
        answers::Conflict,
    )
)]
#[post("/registry/certificates/{number}/exclude")]
pub async fn exclude(
    state: web::Data<AppState>,
    caller: AuthUser,
    number: web::Path<String>,
    body: web::Json<ExcludeRequest>,
) -> Card {
    Ok(web::Json(service::exclude(&state, caller, number.into_inner(), body.into_inner()).await?))
}

/// Who viewed or changed the child's personal data (operator, admin).
#[utoipa::path(
    tag = "registry",
    security(("bearer" = [])),
    params(("number" = String, Path, description = "Certificate number")),
    responses((status = 200, body = Vec<AuditEntry>), answers::Forbidden)
)]
#[get("/registry/certificates/{number}/audit")]
pub async fn trail(
    state: web::Data<AppState>,
    caller: AuthUser,
    number: web::Path<String>,
) -> ApiResult<web::Json<Vec<AuditEntry>>> {
    Ok(web::Json(service::trail(&state, caller, number.into_inner()).await?))
}

/// Opens a family account for a visitor of the activation point; the parent
/// gets a link to confirm the email and set a password.
#[utoipa::path(
    tag = "registry",
    security(("bearer" = [])),
    request_body = InviteRequest,
    responses(
        (status = 201, body = AccountCreated),
        answers::Invalid,
        (status = 409, description = "account_exists", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/registry/parents")]
pub async fn register_parent(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: web::Json<InviteRequest>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(service::register_parent(&state, caller, body.into_inner()).await?))
}

/// Adds a child to a family account at the activation point.
#[utoipa::path(
    tag = "registry",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Parent account id")),
    request_body = ChildInput,
    responses(
        (status = 201, body = Child),
        answers::Invalid,
        (status = 409, description = "duplicate_child", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/registry/parents/{id}/children")]
pub async fn add_child(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<ChildInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(service::add_child(&state, caller, id.into_inner(), body.into_inner()).await?))
}

/// Requests the certificate of a child at the activation point.
#[utoipa::path(
    tag = "registry",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Child id")),
    responses(
        (status = 201, body = Certificate),
        (status = 409, description = "certificate_exists or age_out_of_range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/registry/children/{id}/certificate")]
pub async fn request_certificate(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(service::request_certificate(&state, caller, id.into_inner()).await?))
}

/// Moves a child to another family account (operator; audited).
#[utoipa::path(
    tag = "registry",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Child id")),
    request_body = MoveChildRequest,
    responses(
        (status = 200, body = Child),
        answers::Invalid,
        answers::NotFound,
    )
)]
#[post("/registry/children/{id}/move")]
pub async fn move_child(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<MoveChildRequest>,
) -> ApiResult<web::Json<Child>> {
    Ok(web::Json(service::move_child(&state, caller, id.into_inner(), body.into_inner()).await?))
}

/// Opens a staff account for an organization (operator of its municipality).
#[utoipa::path(
    tag = "registry",
    security(("bearer" = [])),
    request_body = InviteRequest,
    responses(
        (status = 201, body = AccountCreated),
        answers::Invalid,
        answers::NotFound,
        (status = 409, description = "account_exists", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/registry/staff")]
pub async fn invite_staff(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: web::Json<InviteRequest>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(service::invite_staff(&state, caller, body.into_inner()).await?))
}

/// The application, the consent to personal-data processing or the registry
/// extract as PDF, in Russian (activation points, operators; audited).
#[utoipa::path(
    tag = "registry",
    security(("bearer" = [])),
    params(
        ("number" = String, Path, description = "Certificate number"),
        ("form" = String, Path, description = "`application`, `consent` or `extract`"),
    ),
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf", body = Vec<u8>),
        answers::Forbidden,
        answers::NotFound,
    )
)]
#[get("/registry/certificates/{number}/documents/{form}.pdf")]
pub async fn document(
    state: web::Data<AppState>,
    caller: AuthUser,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (number, form) = path.into_inner();
    let form = Form::parse(&form).ok_or(ApiError::NotFound { detail: "Такого документа нет" })?;
    let (bytes, file_name) = service::document(&state, caller, number, form).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(("Content-Disposition", format!("inline; filename=\"{file_name}\"")))
        .insert_header(("Cache-Control", "no-store"))
        .body(bytes))
}

/// Possible duplicates of the caller's territory (operator, admin): the same
/// full name and birth date under different СНИЛС, or names a letter or two
/// apart with the same birth date and address; pairs marked «не дубликат»
/// are left out. Each record names its family and certificate, to compare
/// and, when one child was registered twice, to move him (`/registry/children/{id}/move`).
#[utoipa::path(
    tag = "registry",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = Page<DuplicatePair>), answers::Invalid, answers::Unauthenticated, answers::Forbidden)
)]
#[get("/registry/duplicates")]
pub async fn duplicates(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<Page<DuplicatePair>>> {
    Ok(web::Json(super::duplicates::list(&state, caller, query.into_inner()).await?))
}

/// «Не дубликат»: the two records are two children; the pair is not offered
/// again. Audited on both records with the reason; marking it again changes nothing.
#[utoipa::path(
    tag = "registry",
    security(("bearer" = [])),
    request_body = NotDuplicateRequest,
    responses(
        (status = 204, description = "Marked"),
        answers::Invalid, answers::Unauthenticated, answers::Forbidden, answers::NotFound
    )
)]
#[post("/registry/duplicates/dismissals")]
pub async fn not_duplicate(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: web::Json<NotDuplicateRequest>,
) -> ApiResult<HttpResponse> {
    super::duplicates::dismiss(&state, caller, body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(duplicates)
        .service(not_duplicate)
        .service(search)
        .service(view)
        .service(correct)
        .service(fill_applicant)
        .service(confirm_data)
        .service(application_received)
        .service(activate)
        .service(renew)
        .service(refuse)
        .service(exclude)
        .service(trail)
        .service(register_parent)
        .service(add_child)
        .service(request_certificate)
        .service(move_child)
        .service(invite_staff)
        .service(document);
}
