//! `Idempotency-Key` on the POSTs that move money or create applications: the
//! first answer is stored with a hash of the request, a retry with the same
//! key and body gets the same answer without running again, and the same key
//! with another body is refused (422).
//!
//! A success is stored by the action itself, through its [`Receipt`], in the
//! transaction of its effect: a crash after the commit leaves the answer with
//! the effect, and the retry gets it. A key without an answer therefore means
//! no effect, and after a minute a retry may run again.

use navigator_shared::ErrorCode;
use std::future::{Ready, ready};
use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, dev::Payload};
use chrono::Duration;
use diesel::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::auth::AuthUser;
use crate::config::FaultPoint;
use crate::db::DbConn;
use crate::db::schema::idempotency_keys as k;
use crate::error::{ApiError, ApiResult};
use crate::notifications::now;

/// Longest key accepted.
const KEY_MAX: usize = 200;
/// A key whose first request never finished is taken over after this long.
const ABANDONED_AFTER_SECONDS: i64 = 60;
/// Stored answers are kept this long.
pub const KEEP_DAYS: i64 = 2;

/// The `Idempotency-Key` header, if the client sent one, with the method and
/// path of the request it came with.
#[derive(Debug, Clone, Default)]
pub struct IdempotencyKey {
    key: Option<String>,
    request: String,
}

impl FromRequest for IdempotencyKey {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let request = format!("{} {}", req.method(), req.path());
        let Some(value) = req.headers().get("idempotency-key") else { return ready(Ok(Self { key: None, request })) };
        let key = value.to_str().map(str::trim).unwrap_or("");
        if key.is_empty() || key.len() > KEY_MAX || !key.chars().all(|c| c.is_ascii_graphic()) {
            return ready(Err(ApiError::BadRequest(format!(
                "Заголовок Idempotency-Key: от 1 до {KEY_MAX} видимых символов ASCII"
            ))));
        }
        ready(Ok(Self { key: Some(key.to_owned()), request }))
    }
}

/// The header in the OpenAPI document of every route that takes it.
impl utoipa::IntoParams for IdempotencyKey {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
        use utoipa::openapi::{Object, Required, Type};
        vec![
            ParameterBuilder::new()
                .name("Idempotency-Key")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some("Retry-safe key: a retry with the same key and body gets the first answer"))
                .schema(Some(Object::with_type(Type::String)))
                .build(),
        ]
    }
}

impl IdempotencyKey {
    /// The request with its body, ready for [`once`]: the hash tells a retry
    /// from another request under the same key.
    pub fn of(self, body: &impl Serialize) -> Keyed {
        let body = serde_json::to_string(body).unwrap_or_default();
        let hash = hex::encode(Sha256::digest(format!("{}\n{body}", self.request).as_bytes()));
        Keyed { key: self.key, hash }
    }
}

/// A request's key and the hash of its method, path and body.
pub struct Keyed {
    key: Option<String>,
    hash: String,
}

enum Claim {
    /// The key is ours: run the request.
    Run,
    /// The stored answer of the first request.
    Replay(u16, String),
}

/// Where a keyed action keeps its successful answer: in the transaction of
/// its effect, so that the two are committed together. Without a key it
/// keeps nothing.
#[derive(Debug, Clone, Default)]
pub struct Receipt(Option<Arc<Slot>>);

#[derive(Debug)]
struct Slot {
    user: i64,
    key: String,
    status: StatusCode,
}

impl Receipt {
    /// Whether the request came with a key, so its answer must be kept with its effect.
    pub fn is_keyed(&self) -> bool {
        self.0.is_some()
    }

    /// Stores `answer` as the key's answer and gives it back; call it last,
    /// inside the transaction that makes the effect.
    pub fn keep<T: Serialize>(&self, conn: &mut DbConn, answer: T) -> ApiResult<T> {
        if let Some(slot) = &self.0 {
            let body = serde_json::to_string(&answer).map_err(anyhow::Error::from)?;
            store(conn, slot.user, &slot.key, slot.status.as_u16(), body)?;
        }
        Ok(answer)
    }
}

/// Runs `action` once per key. The answer (success or a client error) is
/// stored and replayed; a server error before the effect frees the key for
/// another try.
pub async fn once<T, F>(
    state: &AppState,
    caller: AuthUser,
    request: Keyed,
    status: StatusCode,
    action: impl FnOnce(Receipt) -> F,
) -> ApiResult<HttpResponse>
where
    T: Serialize,
    F: std::future::Future<Output = ApiResult<T>>,
{
    let Keyed { key, hash } = request;
    let Some(key) = key else {
        return action(Receipt::default()).await.map(|value| HttpResponse::build(status).json(value));
    };
    let claim = {
        let key = key.clone();
        state.db(move |conn| claim(conn, caller.id, &key, &hash)).await?
    };
    if let Claim::Replay(code, body) = claim {
        let status = StatusCode::from_u16(code).unwrap_or(StatusCode::OK);
        let content_type = if status.is_success() { "application/json" } else { "application/problem+json" };
        return Ok(HttpResponse::build(status).content_type(content_type).body(body));
    }
    let receipt = Receipt(Some(Arc::new(Slot { user: caller.id, key: key.clone(), status })));
    let result = action(receipt).await;
    if result.is_ok() && state.config.fault_point == Some(FaultPoint::AfterEffect) {
        tracing::error!("fault point after_effect: the server stops after committing an effect");
        std::process::abort();
    }
    let stored = match &result {
        Ok(value) => Some((status.as_u16(), serde_json::to_string(value).map_err(anyhow::Error::from)?)),
        Err(error) if error.problem().status < 500 => {
            Some((error.problem().status, serde_json::to_string(&error.problem()).map_err(anyhow::Error::from)?))
        }
        Err(_) => None,
    };
    state.db(move |conn| finish(conn, caller.id, &key, stored)).await?;
    result.map(|value| HttpResponse::build(status).json(value))
}

fn claim(conn: &mut DbConn, user: i64, key: &str, hash: &str) -> ApiResult<Claim> {
    let now = now();
    let inserted = crate::db::insert_unique(conn, |c| {
        diesel::insert_into(k::table)
            .values((k::user_id.eq(user), k::key.eq(key), k::request_hash.eq(hash), k::created_at.eq(now)))
            .execute(c)
    })?;
    if inserted.is_some() {
        return Ok(Claim::Run);
    }
    let (stored_hash, status, body, created_at) = k::table
        .find((user, key))
        .select((k::request_hash, k::status, k::body, k::created_at))
        .first::<(String, Option<i32>, Option<String>, chrono::NaiveDateTime)>(conn)?;
    if stored_hash != hash {
        return Err(ApiError::Unprocessable {
            code: ErrorCode::IdempotencyKeyReused,
            detail: "Этот ключ Idempotency-Key уже использован для другого запроса",
        });
    }
    if let (Some(status), Some(body)) = (status, body) {
        return Ok(Claim::Replay(u16::try_from(status).unwrap_or(200), body));
    }
    // The first request is still running, or it died before answering.
    let abandoned = created_at < now - Duration::seconds(ABANDONED_AFTER_SECONDS);
    let taken_over = abandoned
        && diesel::update(k::table.find((user, key)))
            .filter(k::created_at.eq(created_at))
            .filter(k::status.is_null())
            .set(k::created_at.eq(now))
            .execute(conn)?
            == 1;
    if taken_over {
        Ok(Claim::Run)
    } else {
        Err(ApiError::Conflict {
            code: ErrorCode::RequestInProgress,
            detail: "Такой же запрос уже выполняется. Повторите через несколько секунд".into(),
        })
    }
}

/// Stores the answer of a request that has none yet (the one its action
/// kept stands).
fn finish(conn: &mut DbConn, user: i64, key: &str, stored: Option<(u16, String)>) -> ApiResult<()> {
    match stored {
        Some((status, body)) => store(conn, user, key, status, body)?,
        None => diesel::delete(k::table.find((user, key)).filter(k::status.is_null())).execute(conn)?,
    };
    Ok(())
}

fn store(conn: &mut DbConn, user: i64, key: &str, status: u16, body: String) -> QueryResult<usize> {
    diesel::update(k::table.find((user, key)).filter(k::status.is_null()))
        .set((k::status.eq(Some(i32::from(status))), k::body.eq(Some(body))))
        .execute(conn)
}

/// Forgets answers older than `KEEP_DAYS`.
pub fn sweep(conn: &mut DbConn) -> QueryResult<usize> {
    diesel::delete(k::table.filter(k::created_at.lt(now() - Duration::days(KEEP_DAYS)))).execute(conn)
}
