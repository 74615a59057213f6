//! Rules of integrators: the admin's clients (created, suspended, resumed,
//! their secret rotated, shown once and kept hashed), the OAuth 2.0 client
//! credentials grant, the applications a client submits and reads, its
//! webhook subscriptions, and the registry's delta export.

use std::collections::HashMap;

use navigator_shared::ErrorCode;
use navigator_shared::accounts::Role;
use navigator_shared::applications::Application;
use navigator_shared::catalog::ChangesQuery;
use navigator_shared::integrations::{
    CertificateChange, ClientCredentials, ClientInput, ClientRequest, ClientScope, ClientStatus, DeliveriesQuery,
    DeliveryAttempt, DeliveryStatus, IntegrationClient, PortalApplication, PortalApplicationInput,
    PortalApplicationsQuery, TokenRequest, TokenResponse, Webhook, WebhookDelivery, WebhookEvent, WebhookInput,
};
use navigator_shared::reference::{Page, PageQuery};

use super::repo::{self, ClientRow, DeliveryRow, NewClient};
use crate::auth::clients::Integrator;
use crate::auth::tokens::{self, ClientClaims};
use crate::auth::{AuthUser, rate_limit};
use crate::db::write_tx;
use crate::error::{ApiError, ApiResult};
use crate::notifications::now;
use crate::{AppState, applications, webhooks};

const CLIENT_NOT_FOUND: &str = "Система интеграции не найдена";
const APPLICATION_NOT_FOUND: &str = "Заявка не найдена";
const DELIVERY_NOT_FOUND: &str = "Доставка не найдена";
/// Subscriptions a client may keep at once.
const MAX_SUBSCRIPTIONS: usize = 10;

fn scopes_of(codes: &str) -> Vec<ClientScope> {
    codes.split(' ').filter_map(ClientScope::parse).collect()
}

fn codes_of<T: Copy>(items: &[T], code: fn(T) -> &'static str) -> String {
    items.iter().map(|i| code(*i)).collect::<Vec<_>>().join(" ")
}

fn to_dto(row: ClientRow) -> IntegrationClient {
    IntegrationClient {
        id: row.id,
        client_id: row.client_id,
        name: row.name,
        contact: row.contact,
        scopes: scopes_of(&row.scopes),
        status: row.status,
        status_title: row.status.title().to_owned(),
        created_at: row.created_at.and_utc(),
        secret_issued_at: row.secret_issued_at.and_utc(),
        last_used_at: row.last_used_at.map(|t| t.and_utc()),
    }
}

/// A new client secret (`ncs_` and 256 random bits) and its hash.
fn new_secret() -> (String, String) {
    let (token, _) = tokens::opaque_token();
    let secret = format!("ncs_{token}");
    let hash = tokens::hash_token(&secret);
    (secret, hash)
}

// ---- the admin's clients ------------------------------------------------------

pub async fn create_client(state: &AppState, caller: AuthUser, input: ClientInput) -> ApiResult<ClientCredentials> {
    caller.require(&[Role::Admin])?;
    let input = input.checked()?;
    state
        .db(move |conn| {
            let (secret, hash) = new_secret();
            let client_id = format!("nav_{}", &uuid::Uuid::new_v4().simple().to_string()[..16]);
            let scopes = codes_of(&input.scopes, ClientScope::as_str);
            let new = NewClient {
                client_id: &client_id,
                name: &input.name,
                contact: &input.contact,
                scopes: &scopes,
                secret_hash: &hash,
                created_by: Some(caller.id),
            };
            let id = repo::insert_client(conn, &new, now())?;
            let client = repo::find_client(conn, id)?.ok_or(ApiError::NotFound { detail: CLIENT_NOT_FOUND })?;
            Ok::<_, ApiError>(ClientCredentials { client: to_dto(client), client_secret: secret })
        })
        .await
}

pub async fn clients(state: &AppState, caller: AuthUser, pages: PageQuery) -> ApiResult<Page<IntegrationClient>> {
    caller.require(&[Role::Admin])?;
    let (page, per_page) = pages.resolve()?;
    state
        .db(move |conn| {
            let (rows, total) = repo::clients(conn, (page, per_page))?;
            Ok::<_, ApiError>(Page { items: rows.into_iter().map(to_dto).collect(), total, page, per_page })
        })
        .await
}

pub async fn client(state: &AppState, caller: AuthUser, id: i64) -> ApiResult<IntegrationClient> {
    caller.require(&[Role::Admin])?;
    state
        .db(move |conn| repo::find_client(conn, id)?.map(to_dto).ok_or(ApiError::NotFound { detail: CLIENT_NOT_FOUND }))
        .await
}

/// Suspends (`to` = suspended) or resumes a client. A suspended client's
/// tokens stop working with its next request.
pub async fn set_status(state: &AppState, caller: AuthUser, id: i64, to: ClientStatus) -> ApiResult<IntegrationClient> {
    caller.require(&[Role::Admin])?;
    let from = match to {
        ClientStatus::Active => ClientStatus::Suspended,
        ClientStatus::Suspended => ClientStatus::Active,
    };
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let row = repo::find_client(conn, id)?.ok_or(ApiError::NotFound { detail: CLIENT_NOT_FOUND })?;
                if !repo::set_status(conn, id, (from, to), now())? {
                    return Err(ApiError::Conflict {
                        code: ErrorCode::ClientStatusUnchanged,
                        detail: format!("Система уже в статусе «{}»", row.status.title()),
                    });
                }
                let change = serde_json::json!({ "integration_client": id, "status": to.as_str() });
                crate::audit::record_account(conn, caller.id, crate::audit::Action::Integration, &change, to.title())?;
                repo::find_client(conn, id)?.map(to_dto).ok_or(ApiError::NotFound { detail: CLIENT_NOT_FOUND })
            })
        })
        .await
}

/// A new secret, shown once; the old one and its tokens stop working.
pub async fn rotate_secret(state: &AppState, caller: AuthUser, id: i64) -> ApiResult<ClientCredentials> {
    caller.require(&[Role::Admin])?;
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let (secret, hash) = new_secret();
                if !repo::rotate_secret(conn, id, &hash, now())? {
                    return Err(ApiError::NotFound { detail: CLIENT_NOT_FOUND });
                }
                let change = serde_json::json!({ "integration_client": id, "secret": "rotated" });
                crate::audit::record_account(
                    conn,
                    caller.id,
                    crate::audit::Action::Integration,
                    &change,
                    "Новый секрет",
                )?;
                let client = repo::find_client(conn, id)?.ok_or(ApiError::NotFound { detail: CLIENT_NOT_FOUND })?;
                Ok(ClientCredentials { client: to_dto(client), client_secret: secret })
            })
        })
        .await
}

pub async fn requests(state: &AppState, caller: AuthUser, id: i64, pages: PageQuery) -> ApiResult<Page<ClientRequest>> {
    caller.require(&[Role::Admin])?;
    let (page, per_page) = pages.resolve()?;
    state
        .db(move |conn| {
            repo::find_client(conn, id)?.ok_or(ApiError::NotFound { detail: CLIENT_NOT_FOUND })?;
            let (rows, total) = repo::requests(conn, id, (page, per_page))?;
            let items = rows
                .into_iter()
                .map(|(at, method, path, status, duration_ms)| ClientRequest {
                    at: at.and_utc(),
                    method,
                    path,
                    status,
                    duration_ms,
                })
                .collect();
            Ok::<_, ApiError>(Page { items, total, page, per_page })
        })
        .await
}

pub async fn client_webhooks(state: &AppState, caller: AuthUser, id: i64) -> ApiResult<Vec<Webhook>> {
    caller.require(&[Role::Admin])?;
    state
        .db(move |conn| {
            repo::find_client(conn, id)?.ok_or(ApiError::NotFound { detail: CLIENT_NOT_FOUND })?;
            Ok::<_, ApiError>(repo::subscriptions(conn, id)?.into_iter().map(|s| webhook_dto(s, None)).collect())
        })
        .await
}

pub async fn deliveries(
    state: &AppState,
    caller: AuthUser,
    id: i64,
    query: DeliveriesQuery,
) -> ApiResult<Page<WebhookDelivery>> {
    caller.require(&[Role::Admin])?;
    let (page, per_page) = PageQuery { page: query.page, per_page: query.per_page }.resolve()?;
    state
        .db(move |conn| {
            repo::find_client(conn, id)?.ok_or(ApiError::NotFound { detail: CLIENT_NOT_FOUND })?;
            let (rows, total) = repo::deliveries(conn, id, query.status, (page, per_page))?;
            Ok::<_, ApiError>(Page { items: delivery_dtos(conn, rows)?, total, page, per_page })
        })
        .await
}

/// Sends a delivery again with the same event id (the receiver drops a
/// duplicate by it).
pub async fn resend(state: &AppState, caller: AuthUser, id: i64) -> ApiResult<WebhookDelivery> {
    caller.require(&[Role::Admin])?;
    state
        .db(move |conn| {
            if !repo::resend(conn, id, now())? {
                return Err(ApiError::NotFound { detail: DELIVERY_NOT_FOUND });
            }
            let (row, _) = repo::delivery(conn, id)?.ok_or(ApiError::NotFound { detail: DELIVERY_NOT_FOUND })?;
            delivery_dtos(conn, vec![row])?.pop().ok_or(ApiError::NotFound { detail: DELIVERY_NOT_FOUND })
        })
        .await
}

fn delivery_dtos(conn: &mut crate::db::DbConn, rows: Vec<DeliveryRow>) -> ApiResult<Vec<WebhookDelivery>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut history: HashMap<i64, Vec<DeliveryAttempt>> = HashMap::new();
    for (delivery, at, status, error, duration_ms) in repo::attempts(conn, &ids)? {
        history.entry(delivery).or_default().push(DeliveryAttempt { at: at.and_utc(), status, error, duration_ms });
    }
    rows.into_iter()
        .map(|row| {
            let event = WebhookEvent::parse(&row.kind)
                .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("unknown webhook event {}", row.kind)))?;
            Ok(WebhookDelivery {
                id: row.id,
                webhook_id: row.subscription_id,
                url: row.url,
                event_id: row.event_id,
                event,
                event_title: event.title().to_owned(),
                object: row.object,
                status: row.status,
                status_title: row.status.title().to_owned(),
                attempts: row.attempts,
                next_attempt_at: (row.status == DeliveryStatus::Pending).then(|| row.next_attempt_at.and_utc()),
                last_status: row.last_status,
                last_error: row.last_error,
                last_response: row.last_response,
                delivered_at: row.delivered_at.map(|t| t.and_utc()),
                created_at: row.created_at.and_utc(),
                payload: row.payload,
                history: history.remove(&row.id).unwrap_or_default(),
            })
        })
        .collect()
}

// ---- the token endpoint (RFC 6749 §4.4) ----------------------------------------

/// A refused token request, answered in the RFC's JSON form.
#[derive(Debug)]
pub struct TokenRefusal {
    pub status: u16,
    pub error: &'static str,
    pub description: String,
    /// The client tried HTTP Basic: a 401 carries `WWW-Authenticate: Basic`.
    pub basic: bool,
    pub retry_after: Option<std::time::Duration>,
}

impl TokenRefusal {
    fn new(status: u16, error: &'static str, description: &str) -> Self {
        Self { status, error, description: description.to_owned(), basic: false, retry_after: None }
    }
}

impl From<ApiError> for TokenRefusal {
    fn from(error: ApiError) -> Self {
        let problem = error.problem();
        let retry_after = match error {
            ApiError::RateLimited { retry_after } => Some(retry_after),
            _ => None,
        };
        let mut refusal = TokenRefusal::new(problem.status, "server_error", &problem.detail);
        if problem.status == 429 {
            refusal.error = "invalid_request";
        }
        refusal.retry_after = retry_after;
        refusal
    }
}

/// Client credentials from HTTP Basic (`client_id:client_secret`, each
/// form-urlencoded as RFC 6749 §2.3.1 says) or from the form.
pub struct Presented {
    pub basic: Option<(String, String)>,
    pub form: TokenRequest,
    /// The caller's address, for the limit of failed attempts.
    pub ip: String,
}

/// Failed attempts an address may make in the sign-in window.
fn failures_allowed(state: &AppState) -> i32 {
    state.config.rate_limits.login_per_ip
}

/// Issues an access token; answers it with the client's row id (for the
/// request log).
pub async fn token(state: &AppState, presented: Presented) -> Result<(TokenResponse, i64), TokenRefusal> {
    let Presented { basic, form, ip } = presented;
    let tried_basic = basic.is_some();
    let refuse = |status, error, description: &str| {
        let mut refusal = TokenRefusal::new(status, error, description);
        refusal.basic = tried_basic;
        refusal
    };
    match form.grant_type.trim() {
        "client_credentials" => {}
        "" => return Err(refuse(400, "invalid_request", "Укажите grant_type=client_credentials")),
        _ => {
            return Err(refuse(400, "unsupported_grant_type", "Поддерживается только grant_type=client_credentials"));
        }
    }
    let (client_id, secret) = match (basic, form.client_id, form.client_secret) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
            return Err(refuse(
                400,
                "invalid_request",
                "Передайте учётные данные одним способом: Basic или полями формы",
            ));
        }
        (Some(pair), None, None) => pair,
        (None, Some(id), Some(secret)) => (id, secret),
        _ => return Err(refuse(401, "invalid_client", "Передайте client_id и client_secret")),
    };
    let asked = match form.scope.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(text) => {
            let parsed: Option<Vec<ClientScope>> = text.split_whitespace().map(ClientScope::parse).collect();
            Some(parsed.ok_or_else(|| refuse(400, "invalid_scope", "Неизвестное право в scope"))?)
        }
    };
    let (ttl, window, allowed) =
        (state.config.integrations.token_ttl, state.config.rate_limits.window, failures_allowed(state));
    let keys = state.tokens.clone();
    let bucket = format!("oauth:{ip}");
    let outcome = state
        .db(move |conn| {
            let (failures, retry_after) = rate_limit::used(conn, &bucket, window)?;
            if failures >= allowed {
                return Ok::<_, ApiError>(Err(Failed::TooMany(retry_after)));
            }
            let row = repo::client_by_public_id(conn, client_id.trim())?;
            let Some(row) = row.filter(|r| r.secret_hash == tokens::hash_token(&secret)) else {
                rate_limit::count(conn, &bucket, window)?;
                return Ok(Err(Failed::Credentials));
            };
            if row.status != ClientStatus::Active {
                return Ok(Err(Failed::Suspended));
            }
            Ok(Ok(row))
        })
        .await
        .map_err(TokenRefusal::from)?;
    let row = match outcome {
        Ok(row) => row,
        Err(Failed::TooMany(retry_after)) => {
            let mut refusal = TokenRefusal::from(ApiError::RateLimited { retry_after });
            refusal.description = "Слишком много неудачных попыток получить токен. Повторите позже".into();
            return Err(refusal);
        }
        Err(Failed::Credentials) => return Err(refuse(401, "invalid_client", "Неверный client_id или client_secret")),
        Err(Failed::Suspended) => {
            return Err(refuse(401, "invalid_client", "Доступ системы приостановлен администратором Навигатора"));
        }
    };
    let granted = scopes_of(&row.scopes);
    let scopes = match asked {
        None => granted,
        Some(asked) if asked.iter().all(|s| granted.contains(s)) => asked,
        Some(_) => return Err(refuse(400, "invalid_scope", "Системе не выдано одно из запрошенных прав")),
    };
    let claims = ClientClaims { client: row.id, scopes: scopes.clone(), secret_version: row.secret_version };
    let access_token = keys.issue_client(&claims, ttl).map_err(|e| TokenRefusal::from(ApiError::Internal(e)))?;
    Ok((
        TokenResponse {
            access_token,
            token_type: "Bearer".into(),
            expires_in: ttl.as_secs() as i64,
            scope: codes_of(&scopes, ClientScope::as_str),
        },
        row.id,
    ))
}

enum Failed {
    TooMany(std::time::Duration),
    Credentials,
    Suspended,
}

// ---- applications for families --------------------------------------------------

fn portal_dto(application: Application, external_id: String) -> PortalApplication {
    PortalApplication {
        id: application.id,
        external_id,
        status: application.status,
        status_title: application.status_title,
        group_id: application.group_id,
        program_id: application.program_id,
        organization_id: application.organization.id,
        waiting_position: application.waiting_position,
        reason: application.reason,
        created_at: application.created_at,
        updated_at: application.updated_at,
    }
}

/// Applies for a family (see [`applications::service::create_for_client`]);
/// answers whether the application is new.
pub async fn apply(
    state: &AppState,
    integrator: Integrator,
    input: PortalApplicationInput,
) -> ApiResult<(PortalApplication, bool)> {
    integrator.require(ClientScope::ApplicationsWrite)?;
    let external_id = input.external_id.trim().to_owned();
    let client = (integrator.client, integrator.name);
    let (application, created) = applications::service::create_for_client(state, client, input).await?;
    Ok((portal_dto(application, external_id), created))
}

pub async fn application(state: &AppState, integrator: Integrator, id: i64) -> ApiResult<PortalApplication> {
    integrator.require(ClientScope::ApplicationsRead)?;
    state
        .db(move |conn| {
            let row = applications::repo::find(conn, navigator_shared::ids::ApplicationId(id))?
                .filter(|row| row.source_client_id == Some(integrator.client))
                .ok_or(ApiError::NotFound { detail: APPLICATION_NOT_FOUND })?;
            let external_id = row.external_id.clone().unwrap_or_default();
            let application = applications::service::dtos(conn, vec![row])?
                .pop()
                .ok_or(ApiError::NotFound { detail: APPLICATION_NOT_FOUND })?;
            Ok::<_, ApiError>(portal_dto(application, external_id))
        })
        .await
}

pub async fn applications_of(
    state: &AppState,
    integrator: Integrator,
    query: PortalApplicationsQuery,
) -> ApiResult<Page<PortalApplication>> {
    integrator.require(ClientScope::ApplicationsRead)?;
    let (page, per_page) = PageQuery { page: query.page, per_page: query.per_page }.resolve()?;
    state
        .db(move |conn| {
            let external_id = query.external_id.as_deref().map(str::trim);
            let (rows, total) = repo::applications_of(conn, integrator.client, external_id, (page, per_page))?;
            let external: HashMap<i64, String> =
                rows.iter().map(|r| (r.id.get(), r.external_id.clone().unwrap_or_default())).collect();
            let items = applications::service::dtos(conn, rows)?
                .into_iter()
                .map(|a| {
                    let external_id = external.get(&a.id).cloned().unwrap_or_default();
                    portal_dto(a, external_id)
                })
                .collect();
            Ok::<_, ApiError>(Page { items, total, page, per_page })
        })
        .await
}

// ---- webhook subscriptions ---------------------------------------------------------

fn webhook_dto(row: repo::SubscriptionRow, secret: Option<String>) -> Webhook {
    Webhook {
        id: row.id,
        url: row.url,
        events: row.events.split(' ').filter_map(WebhookEvent::parse).collect(),
        created_at: row.created_at.and_utc(),
        secret,
    }
}

pub async fn webhooks_of(state: &AppState, integrator: Integrator) -> ApiResult<Vec<Webhook>> {
    integrator.require(ClientScope::Webhooks)?;
    state
        .db(move |conn| {
            Ok::<_, ApiError>(
                repo::subscriptions(conn, integrator.client)?.into_iter().map(|s| webhook_dto(s, None)).collect(),
            )
        })
        .await
}

/// A new subscription; its signing secret is in this answer only. Each
/// event needs its scope besides `webhooks`.
pub async fn subscribe(state: &AppState, integrator: Integrator, input: WebhookInput) -> ApiResult<Webhook> {
    integrator.require(ClientScope::Webhooks)?;
    let input = input.checked()?;
    for event in &input.events {
        integrator.require(event.scope())?;
    }
    if let Err(refusal) = webhooks::allowed_address(&input.url, state.config.integrations.webhook_private) {
        return Err(ApiError::Rejected {
            code: ErrorCode::WebhookAddressRefused,
            detail: refusal.to_owned(),
            errors: navigator_shared::FieldErrors::one("url", refusal),
        });
    }
    let cipher = state.cipher.clone();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                if repo::subscriptions(conn, integrator.client)?.len() >= MAX_SUBSCRIPTIONS {
                    return Err(ApiError::Conflict {
                        code: ErrorCode::TooManyWebhooks,
                        detail: format!("У системы уже {MAX_SUBSCRIPTIONS} подписок: удалите ненужную"),
                    });
                }
                let (token, _) = tokens::opaque_token();
                let secret = format!("whsec_{token}");
                let events = codes_of(&input.events, WebhookEvent::as_str);
                // As stored: PostgreSQL keeps microseconds.
                let at = chrono::SubsecRound::trunc_subsecs(now(), 6);
                let sealed = cipher.encrypt(&secret)?;
                let id = repo::insert_subscription(conn, integrator.client, (&input.url, &events), &sealed, at)?;
                let row =
                    repo::SubscriptionRow { id, client_id: integrator.client, url: input.url, events, created_at: at };
                Ok(webhook_dto(row, Some(secret)))
            })
        })
        .await
}

pub async fn unsubscribe(state: &AppState, integrator: Integrator, id: i64) -> ApiResult<()> {
    integrator.require(ClientScope::Webhooks)?;
    state
        .db(move |conn| {
            if repo::end_subscription(conn, integrator.client, id)? {
                Ok(())
            } else {
                Err(ApiError::NotFound { detail: "Подписка не найдена" })
            }
        })
        .await
}

// ---- the registry's delta export ---------------------------------------------------

/// Certificates whose status (or anything else) changed after
/// `updated_since`, oldest change first: the number, the status, the
/// municipality and the dates, nothing personal.
pub async fn certificate_changes(
    state: &AppState,
    integrator: Integrator,
    query: ChangesQuery,
) -> ApiResult<Vec<CertificateChange>> {
    integrator.require(ClientScope::RegistryRead)?;
    let limit = query.checked_limit()?;
    state
        .db(move |conn| {
            let rows = repo::certificates_changed_since(conn, query.updated_since, limit)?;
            Ok::<_, ApiError>(
                rows.into_iter()
                    .map(|r| CertificateChange {
                        number: r.number,
                        status: r.status,
                        municipality_id: r.municipality_id,
                        issued_on: crate::clock::day_of(r.created_at),
                        activated_on: r.activated_at.map(crate::clock::day_of),
                        updated_at: r.updated_at.and_utc(),
                    })
                    .collect(),
            )
        })
        .await
}
