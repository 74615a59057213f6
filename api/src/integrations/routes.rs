//! HTTP handlers of integrators: the OAuth token endpoint, the endpoints an
//! integration client calls with its token, and the admin's pages of clients.

use actix_web::http::header;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, delete, get, post, web};
use base64::Engine;
use navigator_shared::catalog::ChangesQuery;
use navigator_shared::integrations::{
    CertificateChange, ClientCredentials, ClientInput, ClientRequest, ClientStatus, DeliveriesQuery, IntegrationClient,
    OAuthError, PortalApplication, PortalApplicationInput, PortalApplicationsQuery, TokenRequest, TokenResponse,
    Webhook, WebhookDelivery, WebhookInput,
};
use navigator_shared::reference::{Page, PageQuery};

use super::service::{self, Presented, TokenRefusal};
use crate::AppState;
use crate::auth::clients::{ClientCall, Integrator};
use crate::auth::{AuthUser, client_ip};
use crate::error::{ApiResult, answers};

// ---- the token endpoint -------------------------------------------------------

/// OAuth 2.0 client credentials grant (RFC 6749 §4.4). The client
/// authenticates with HTTP Basic (`client_id:client_secret`) or with the
/// form fields `client_id` and `client_secret`; errors come in the RFC's
/// form (`{"error": "invalid_client", "error_description": "…"}`). The
/// access token is a JWT for the integrator endpoints, living `expires_in`
/// seconds; it stops working at once when the client is suspended or its
/// secret is rotated.
#[utoipa::path(
    tag = "integrators",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, body = TokenResponse),
        (status = 400, body = OAuthError, description = "invalid_request, unsupported_grant_type, invalid_scope"),
        (status = 401, body = OAuthError, description = "invalid_client: unknown client, wrong secret, or suspended"),
        (status = 429, body = OAuthError, description = "Too many failed attempts from this address; see Retry-After"),
    )
)]
#[post("/oauth/token")]
pub async fn token(state: web::Data<AppState>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let form = match serde_urlencoded::from_bytes::<TokenRequest>(&body) {
        Ok(form) => form,
        Err(_) => {
            return refused(TokenRefusal {
                status: 400,
                error: "invalid_request",
                description: "Тело запроса — форма application/x-www-form-urlencoded: grant_type=client_credentials"
                    .into(),
                basic: false,
                retry_after: None,
            });
        }
    };
    let basic = match basic_credentials(&req) {
        Ok(basic) => basic,
        Err(refusal) => return refused(*refusal),
    };
    let presented = Presented { basic, form, ip: client_ip(&req) };
    match service::token(&state, presented).await {
        Ok((answer, by)) => {
            req.extensions_mut().insert(ClientCall(by));
            HttpResponse::Ok()
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .insert_header((header::PRAGMA, "no-cache"))
                .json(answer)
        }
        Err(refusal) => refused(refusal),
    }
}

/// `Authorization: Basic base64(client_id:client_secret)`, each part
/// form-urlencoded (RFC 6749 §2.3.1); `None` without the header.
fn basic_credentials(req: &HttpRequest) -> Result<Option<(String, String)>, Box<TokenRefusal>> {
    let Some(value) = req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
        return Ok(None);
    };
    let Some(encoded) = value.strip_prefix("Basic ").or_else(|| value.strip_prefix("basic ")) else {
        return Ok(None);
    };
    let malformed = || {
        Box::new(TokenRefusal {
            status: 401,
            error: "invalid_client",
            description: "Заголовок Authorization: Basic не читается".into(),
            basic: true,
            retry_after: None,
        })
    };
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).map_err(|_| malformed())?;
    let text = String::from_utf8(decoded).map_err(|_| malformed())?;
    let (id, secret) = text.split_once(':').ok_or_else(malformed)?;
    let unescape = |part: &str| -> Result<String, Box<TokenRefusal>> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&format!("v={part}")).map_err(|_| malformed())?;
        Ok(pairs.into_iter().next().map(|(_, v)| v).unwrap_or_default())
    };
    Ok(Some((unescape(id)?, unescape(secret)?)))
}

fn refused(refusal: TokenRefusal) -> HttpResponse {
    let status =
        actix_web::http::StatusCode::from_u16(refusal.status).unwrap_or(actix_web::http::StatusCode::BAD_REQUEST);
    let mut response = HttpResponse::build(status);
    response.insert_header((header::CACHE_CONTROL, "no-store")).insert_header((header::PRAGMA, "no-cache"));
    if refusal.status == 401 && refusal.basic {
        response.insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"navigator\""));
    }
    if let Some(wait) = refusal.retry_after {
        response.insert_header((header::RETRY_AFTER, wait.as_secs().max(1).to_string()));
    }
    response.json(OAuthError { error: refusal.error.to_owned(), error_description: refusal.description })
}

// ---- the integrator's endpoints ------------------------------------------------------

/// Applies for a child on the family's behalf (the federal portal's «Запись
/// в кружки»). The child is found by the certificate number, which must
/// match the last name and the birth date in the registry (422
/// `certificate_mismatch` on `certificate_number` otherwise, the same for a
/// number nobody has). Then the rules of the web client apply, with its
/// codes: age, certificate status, the open-applications limit, the
/// waiting list of a full group. A repeated `external_id` answers the first
/// application with 200. The family sees it in «Мои заявки» with the
/// client's name as its source.
#[utoipa::path(
    tag = "integrators",
    security(("client" = ["applications:write"])),
    request_body = PortalApplicationInput,
    responses(
        (status = 201, body = PortalApplication, description = "A new application"),
        (status = 200, body = PortalApplication, description = "The application made earlier with this external_id"),
        answers::Invalid,
        answers::NotFound,
        answers::Conflict,
        answers::Unprocessable,
        answers::TooMany,
    )
)]
#[post("/integrations/applications")]
pub async fn apply(
    state: web::Data<AppState>,
    integrator: Integrator,
    body: web::Json<PortalApplicationInput>,
) -> ApiResult<HttpResponse> {
    let (made, created) = service::apply(&state, integrator, body.into_inner()).await?;
    Ok(if created { HttpResponse::Created().json(made) } else { HttpResponse::Ok().json(made) })
}

/// The client's applications, newest first; `external_id` finds one by the
/// client's own id.
#[utoipa::path(
    tag = "integrators",
    security(("client" = ["applications:read"])),
    params(PortalApplicationsQuery),
    responses((status = 200, body = Page<PortalApplication>), answers::Invalid, answers::TooMany)
)]
#[get("/integrations/applications")]
pub async fn applications(
    state: web::Data<AppState>,
    integrator: Integrator,
    query: web::Query<PortalApplicationsQuery>,
) -> ApiResult<web::Json<Page<PortalApplication>>> {
    Ok(web::Json(service::applications_of(&state, integrator, query.into_inner()).await?))
}

/// One application the client submitted (another's answers 404).
#[utoipa::path(
    tag = "integrators",
    security(("client" = ["applications:read"])),
    params(("id" = i64, Path, description = "Application id")),
    responses((status = 200, body = PortalApplication), answers::NotFound, answers::TooMany)
)]
#[get("/integrations/applications/{id}")]
pub async fn application(
    state: web::Data<AppState>,
    integrator: Integrator,
    id: web::Path<i64>,
) -> ApiResult<web::Json<PortalApplication>> {
    Ok(web::Json(service::application(&state, integrator, id.into_inner()).await?))
}

/// The client's webhook subscriptions (without their secrets).
#[utoipa::path(
    tag = "integrators",
    security(("client" = ["webhooks"])),
    responses((status = 200, body = Vec<Webhook>), answers::TooMany)
)]
#[get("/integrations/webhooks")]
pub async fn webhooks(state: web::Data<AppState>, integrator: Integrator) -> ApiResult<web::Json<Vec<Webhook>>> {
    Ok(web::Json(service::webhooks_of(&state, integrator).await?))
}

/// Subscribes an address to events; each event needs its scope too
/// (`application.status_changed`: applications:read, `certificate.status_changed`:
/// registry:read, `program.*`: catalog:read). The answer carries the signing
/// secret, once.
#[utoipa::path(
    tag = "integrators",
    security(("client" = ["webhooks"])),
    request_body = WebhookInput,
    responses((status = 201, body = Webhook), answers::Invalid, answers::Conflict, answers::TooMany)
)]
#[post("/integrations/webhooks")]
pub async fn subscribe(
    state: web::Data<AppState>,
    integrator: Integrator,
    body: web::Json<WebhookInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(service::subscribe(&state, integrator, body.into_inner()).await?))
}

/// Ends a subscription; its deliveries still pending are not sent.
#[utoipa::path(
    tag = "integrators",
    security(("client" = ["webhooks"])),
    params(("id" = i64, Path, description = "Subscription id")),
    responses((status = 204), answers::NotFound, answers::TooMany)
)]
#[delete("/integrations/webhooks/{id}")]
pub async fn unsubscribe(
    state: web::Data<AppState>,
    integrator: Integrator,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    service::unsubscribe(&state, integrator, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Certificates changed after `updated_since`, oldest change first (delta
/// export of the registry): number, status, municipality and dates only.
#[utoipa::path(
    tag = "integrators",
    security(("client" = ["registry:read"])),
    params(ChangesQuery),
    responses((status = 200, body = Vec<CertificateChange>), answers::Invalid, answers::TooMany)
)]
#[get("/certificates/changes")]
pub async fn certificate_changes(
    state: web::Data<AppState>,
    integrator: Integrator,
    query: web::Query<ChangesQuery>,
) -> ApiResult<web::Json<Vec<CertificateChange>>> {
    Ok(web::Json(service::certificate_changes(&state, integrator, query.into_inner()).await?))
}

// ---- the admin's pages ----------------------------------------------------------------

/// Integration clients, newest first (admin).
#[utoipa::path(
    tag = "integrators",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = Page<IntegrationClient>), answers::Invalid)
)]
#[get("/admin/integration-clients")]
pub async fn clients(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<Page<IntegrationClient>>> {
    Ok(web::Json(service::clients(&state, caller, query.into_inner()).await?))
}

/// A new client with its scopes; the answer carries its secret, once.
#[utoipa::path(
    tag = "integrators",
    security(("bearer" = [])),
    request_body = ClientInput,
    responses((status = 201, body = ClientCredentials), answers::Invalid)
)]
#[post("/admin/integration-clients")]
pub async fn create_client(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: web::Json<ClientInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(service::create_client(&state, caller, body.into_inner()).await?))
}

#[utoipa::path(
    tag = "integrators",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Client id")),
    responses((status = 200, body = IntegrationClient), answers::NotFound)
)]
#[get("/admin/integration-clients/{id}")]
pub async fn client(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<IntegrationClient>> {
    Ok(web::Json(service::client(&state, caller, id.into_inner()).await?))
}

/// Suspends a client: its tokens stop working at once.
#[utoipa::path(
    tag = "integrators",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Client id")),
    responses((status = 200, body = IntegrationClient), answers::NotFound, answers::Conflict)
)]
#[post("/admin/integration-clients/{id}/suspend")]
pub async fn suspend(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<IntegrationClient>> {
    Ok(web::Json(service::set_status(&state, caller, id.into_inner(), ClientStatus::Suspended).await?))
}

/// Resumes a suspended client.
#[utoipa::path(
    tag = "integrators",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Client id")),
    responses((status = 200, body = IntegrationClient), answers::NotFound, answers::Conflict)
)]
#[post("/admin/integration-clients/{id}/resume")]
pub async fn resume(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<IntegrationClient>> {
    Ok(web::Json(service::set_status(&state, caller, id.into_inner(), ClientStatus::Active).await?))
}

/// A new secret, shown once; the old secret and its tokens stop working.
#[utoipa::path(
    tag = "integrators",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Client id")),
    responses((status = 200, body = ClientCredentials), answers::NotFound)
)]
#[post("/admin/integration-clients/{id}/secret")]
pub async fn rotate_secret(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<ClientCredentials>> {
    Ok(web::Json(service::rotate_secret(&state, caller, id.into_inner()).await?))
}

/// The client's requests, newest first: time, method, path, status, duration.
#[utoipa::path(
    tag = "integrators",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Client id"), PageQuery),
    responses((status = 200, body = Page<ClientRequest>), answers::NotFound)
)]
#[get("/admin/integration-clients/{id}/requests")]
pub async fn requests(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<Page<ClientRequest>>> {
    Ok(web::Json(service::requests(&state, caller, id.into_inner(), query.into_inner()).await?))
}

/// The client's webhook subscriptions.
#[utoipa::path(
    tag = "integrators",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Client id")),
    responses((status = 200, body = Vec<Webhook>), answers::NotFound)
)]
#[get("/admin/integration-clients/{id}/webhooks")]
pub async fn client_webhooks(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Vec<Webhook>>> {
    Ok(web::Json(service::client_webhooks(&state, caller, id.into_inner()).await?))
}

/// Deliveries to the client's subscriptions, newest first, with their attempts.
#[utoipa::path(
    tag = "integrators",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Client id"), DeliveriesQuery),
    responses((status = 200, body = Page<WebhookDelivery>), answers::NotFound)
)]
#[get("/admin/integration-clients/{id}/deliveries")]
pub async fn deliveries(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    query: web::Query<DeliveriesQuery>,
) -> ApiResult<web::Json<Page<WebhookDelivery>>> {
    Ok(web::Json(service::deliveries(&state, caller, id.into_inner(), query.into_inner()).await?))
}

/// Sends a delivery again now, with the same event id.
#[utoipa::path(
    tag = "integrators",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Delivery id")),
    responses((status = 200, body = WebhookDelivery), answers::NotFound)
)]
#[post("/admin/webhook-deliveries/{id}/resend")]
pub async fn resend(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<WebhookDelivery>> {
    Ok(web::Json(service::resend(&state, caller, id.into_inner()).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(token)
        .service(apply)
        .service(applications)
        .service(application)
        .service(webhooks)
        .service(subscribe)
        .service(unsubscribe)
        .service(certificate_changes)
        .service(clients)
        .service(create_client)
        .service(client)
        .service(suspend)
        .service(resume)
        .service(rotate_secret)
        .service(requests)
        .service(client_webhooks)
        .service(deliveries)
        .service(resend);
}
