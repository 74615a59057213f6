//! Integrators' access: an integration client's bearer token, its scopes,
//! its rate limit and its request log.
//!
//! Every request with a client's token runs one conditional `UPDATE` of the
//! client's row: it passes only while the client is active, the token's
//! secret version is the current one (a rotated secret or a suspension ends
//! the old tokens at once), and the rate limit allows it. The limit is a
//! GCRA (the "generic cell rate algorithm" of token buckets): the row keeps
//! the theoretical arrival time of the next request, so every API instance
//! counts against the same budget with one statement.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, http::header, web};
use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use futures_util::future::LocalBoxFuture;
use navigator_shared::ErrorCode;
use navigator_shared::integrations::{ClientScope, ClientStatus};
use tokio::sync::watch;

use crate::AppState;
use crate::db::schema::{integration_clients as ic, integration_requests as ir};
use crate::db::{DbConn, Pool};
use crate::error::{ApiError, ApiResult};

/// The integration client proven by a valid token, admitted by its rate limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Integrator {
    /// The client's row id.
    pub client: i64,
    /// The client's name (read by the admission itself), shown to families
    /// on the applications it submits.
    pub name: String,
    scopes: Vec<ClientScope>,
}

impl Integrator {
    /// 403 `insufficient_scope` unless the token carries `scope`.
    pub fn require(&self, scope: ClientScope) -> ApiResult<()> {
        if self.scopes.contains(&scope) {
            return Ok(());
        }
        let detail = match scope {
            ClientScope::CatalogRead => "Токену не выдано право catalog:read (каталог)",
            ClientScope::RegistryRead => "Токену не выдано право registry:read (реестр сертификатов)",
            ClientScope::ApplicationsWrite => "Токену не выдано право applications:write (подача заявок)",
            ClientScope::ApplicationsRead => "Токену не выдано право applications:read (чтение заявок)",
            ClientScope::Webhooks => "Токену не выдано право webhooks (подписка на события)",
        };
        Err(ApiError::Forbidden { code: ErrorCode::InsufficientScope, detail })
    }

    pub fn has(&self, scope: ClientScope) -> bool {
        self.scopes.contains(&scope)
    }
}

/// Marks a request as made by a client, for the request log.
#[derive(Debug, Clone, Copy)]
pub struct ClientCall(pub i64);

fn invalid() -> ApiError {
    ApiError::Unauthorized {
        code: ErrorCode::InvalidToken,
        detail: "Токен интеграции недействителен или истёк: получите новый в POST /api/v1/oauth/token",
    }
}

fn bearer(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
}

impl FromRequest for Integrator {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let claims = match (&state, bearer(req)) {
            (Some(state), Some(token)) => state.tokens.verify_client(token),
            _ => None,
        };
        if let Some(claims) = &claims {
            req.extensions_mut().insert(ClientCall(claims.client));
        }
        let authenticated = bearer(req).is_some();
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("application state is missing")))?;
            let Some(claims) = claims else {
                return Err(if authenticated { invalid() } else { ApiError::unauthenticated() });
            };
            let (rate, burst) = (state.config.integrations.rate, state.config.integrations.burst);
            let (client, version) = (claims.client, claims.secret_version);
            match state.db(move |conn| admit(conn, client, version, (rate, burst))).await? {
                Admission::Admitted(name) => Ok(Integrator { client: claims.client, name, scopes: claims.scopes }),
                Admission::Closed => Err(invalid()),
                Admission::Throttled(retry_after) => Err(ApiError::RateLimited { retry_after }),
            }
        })
    }
}

/// A request with a client's token, if it carries one: the catalog's delta
/// exports are public, and a client calling them with its token is checked
/// and counted like on any other integrator endpoint.
pub struct MaybeIntegrator(pub Option<Integrator>);

impl FromRequest for MaybeIntegrator {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        if bearer(req).is_none() {
            return Box::pin(async { Ok(MaybeIntegrator(None)) });
        }
        let integrator = Integrator::from_request(req, payload);
        Box::pin(async move { Ok(MaybeIntegrator(Some(integrator.await?))) })
    }
}

enum Admission {
    /// With the client's name.
    Admitted(String),
    /// The client is suspended, gone, or its secret was rotated.
    Closed,
    Throttled(Duration),
}

/// One request of `client` against its budget: `rate` a second on average,
/// `burst` at once.
fn admit(conn: &mut DbConn, client: i64, version: i32, (rate, burst): (u32, u32)) -> QueryResult<Admission> {
    let now = Utc::now();
    let now_ms = now.timestamp_millis();
    let interval = (1000 / i64::from(rate.max(1))).max(1);
    let latest = now_ms + interval * (i64::from(burst.max(1)) - 1);
    let next = diesel::dsl::case_when(ic::rate_tat_ms.gt(now_ms), ic::rate_tat_ms).otherwise(now_ms) + interval;
    let admitted: Vec<String> = diesel::update(ic::table.find(client))
        .filter(ic::status.eq(ClientStatus::Active))
        .filter(ic::secret_version.eq(version))
        .filter(ic::rate_tat_ms.le(latest))
        .set((ic::rate_tat_ms.eq(next), ic::last_used_at.eq(now.naive_utc())))
        .returning(ic::name)
        .get_results(conn)?;
    if let Some(name) = admitted.into_iter().next() {
        return Ok(Admission::Admitted(name));
    }
    let row: Option<(ClientStatus, i32, i64)> =
        ic::table.find(client).select((ic::status, ic::secret_version, ic::rate_tat_ms)).first(conn).optional()?;
    Ok(match row {
        Some((ClientStatus::Active, current, tat)) if current == version => {
            let wait_ms = (tat - latest).max(1);
            Admission::Throttled(Duration::from_millis(wait_ms as u64))
        }
        _ => Admission::Closed,
    })
}

/// One logged request.
#[derive(Debug, Clone)]
struct Logged {
    client: i64,
    at: NaiveDateTime,
    method: String,
    path: String,
    status: i32,
    duration_ms: i32,
}

/// Requests of clients waiting to be written to the log: written in batches
/// by [`write_log`], so that a client's request costs no write of its own.
#[derive(Debug, Clone, Default)]
pub struct RequestLog(Arc<Mutex<Vec<Logged>>>);

/// The most entries kept in memory between two writes; more are dropped
/// (and counted in the server's log) rather than growing without bound.
const LOG_BUFFER: usize = 50_000;

impl RequestLog {
    fn push(&self, entry: Logged) {
        let Ok(mut entries) = self.0.lock() else { return };
        if entries.len() < LOG_BUFFER {
            entries.push(entry);
        } else {
            tracing::warn!(client = entry.client, "the integrators' request log buffer is full: an entry is dropped");
        }
    }

    fn take(&self) -> Vec<Logged> {
        self.0.lock().map(|mut entries| std::mem::take(&mut *entries)).unwrap_or_default()
    }

    /// Writes what is waiting; answers how many entries.
    pub fn flush(&self, conn: &mut DbConn) -> QueryResult<usize> {
        let entries = self.take();
        if entries.is_empty() {
            return Ok(0);
        }
        crate::db::write_tx(conn, |conn| {
            for e in &entries {
                diesel::insert_into(ir::table)
                    .values((
                        ir::client_id.eq(e.client),
                        ir::at.eq(e.at),
                        ir::method.eq(&e.method),
                        ir::path.eq(&e.path),
                        ir::status.eq(e.status),
                        ir::duration_ms.eq(e.duration_ms),
                    ))
                    .execute(conn)?;
            }
            Ok(entries.len())
        })
    }
}

/// The middleware (`actix_web::middleware::from_fn`) that logs every request
/// a client made with its token (the extractors mark them with [`ClientCall`]).
pub async fn log_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let at = Utc::now().naive_utc();
    let (method, path) = (req.method().to_string(), req.path().to_owned());
    let log = req.app_data::<web::Data<AppState>>().map(|s| s.request_log.clone());
    let response = next.call(req).await?;
    let call = response.request().extensions().get::<ClientCall>().copied();
    if let (Some(ClientCall(client)), Some(log)) = (call, log) {
        let duration_ms = i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX);
        let status = i32::from(response.status().as_u16());
        log.push(Logged { client, at, method, path, status, duration_ms });
    }
    Ok(response)
}

/// Writes the request log every `every` until `stop`, and once more then.
pub async fn write_log(pool: Pool, log: RequestLog, every: Duration, mut stop: watch::Receiver<bool>) {
    loop {
        let stopping = tokio::select! {
            _ = tokio::time::sleep(every) => false,
            _ = stop.changed() => true,
        };
        let (pool, log) = (pool.clone(), log.clone());
        let written = tokio::task::spawn_blocking(move || -> anyhow::Result<usize> {
            let mut conn = pool.get()?;
            Ok(log.flush(&mut conn)?)
        })
        .await;
        if let Ok(Err(error)) = written {
            tracing::warn!(error = format!("{error:#}"), "writing the integrators' request log failed");
        }
        if stopping {
            return;
        }
    }
}
