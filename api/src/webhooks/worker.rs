//! The webhook sender: takes due deliveries from the outbox, posts them
//! signed with reqwest, and reschedules failures with a growing delay for
//! the retry period (24 hours), then marks them failed.
//!
//! Order per object: a delivery is not sent while an earlier delivery of the
//! same subscription and object is still pending, so a later status never
//! arrives before an earlier one. Several API instances may run the sender:
//! a delivery is claimed by one of them with a conditional update.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use navigator_shared::integrations::DeliveryStatus;
use tokio::sync::watch;

use crate::clock::Clock;
use crate::config::IntegrationSettings;
use crate::crypto::DataCipher;
use crate::db::schema::{
    webhook_attempts as wa, webhook_deliveries as wd, webhook_events as we, webhook_subscriptions as ws,
};
use crate::db::{DbConn, Pool};

/// Deliveries sent at once.
const BATCH: i64 = 64;
/// The longest delay between two attempts.
const MAX_DELAY: Duration = Duration::from_secs(4 * 3600);
/// The start of an answer kept for the admin.
const RESPONSE_KEPT: usize = 1000;
/// Why a delivery of an ended subscription fails at once.
const UNSUBSCRIBED: &str = "Подписка удалена";

/// A delivery claimed for sending.
struct Due {
    id: i64,
    /// Attempts before this one.
    attempts: i32,
    created_at: NaiveDateTime,
    url: String,
    secret: String,
    subscribed: bool,
    event_id: String,
    kind: String,
    payload: String,
}

/// A due delivery as read, before it is claimed.
#[derive(Queryable)]
struct DueRow {
    id: i64,
    attempts: i32,
    created_at: NaiveDateTime,
    url: String,
    secret: String,
    subscribed: bool,
    event_id: String,
    kind: String,
    payload: String,
}

/// What one attempt came to.
struct Outcome {
    id: i64,
    /// Attempts with this one.
    attempts: i32,
    created_at: NaiveDateTime,
    at: NaiveDateTime,
    status: Option<i32>,
    error: Option<String>,
    response: Option<String>,
    duration_ms: i32,
}

impl Outcome {
    fn delivered(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// Runs until `stop` turns `true`.
pub async fn run(
    pool: Pool,
    cipher: DataCipher,
    settings: IntegrationSettings,
    clock: Clock,
    mut stop: watch::Receiver<bool>,
) {
    let client = match http_client(&settings) {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "the webhook sender could not start");
            return;
        }
    };
    loop {
        let sent = pass(&pool, &cipher, &settings, &clock, &client).await;
        let sent = match sent {
            Ok(sent) => sent,
            Err(error) => {
                tracing::warn!(error = format!("{error:#}"), "sending webhooks failed");
                0
            }
        };
        // A full batch: more may be due at once.
        if sent as i64 >= BATCH && !*stop.borrow() {
            continue;
        }
        tokio::select! {
            _ = tokio::time::sleep(settings.webhook_poll) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Claims, sends and records one batch; answers how many were sent.
pub async fn pass(
    pool: &Pool,
    cipher: &DataCipher,
    settings: &IntegrationSettings,
    clock: &Clock,
    client: &reqwest::Client,
) -> anyhow::Result<usize> {
    let lease = settings.webhook_timeout + Duration::from_secs(30);
    let due = {
        let (pool, cipher, clock) = (pool.clone(), cipher.clone(), clock.clone());
        tokio::task::spawn_blocking(move || claim(&mut *pool.get()?, &cipher, clock.now(), lease)).await??
    };
    if due.is_empty() {
        return Ok(0);
    }
    let private = settings.webhook_private;
    let outcomes = futures_util::future::join_all(due.iter().map(|d| send(client, d, clock.now(), private))).await;
    let count = outcomes.len();
    let (pool, settings, clock) = (pool.clone(), settings.clone(), clock.clone());
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let mut conn = pool.get()?;
        let now = clock.now();
        crate::db::write_tx(&mut conn, |conn| outcomes.iter().try_for_each(|o| record(conn, o, &settings, now)))
    })
    .await??;
    Ok(count)
}

/// Due deliveries that are the first pending one of their subscription and
/// object (so a later event of an object never overtakes an earlier one),
/// claimed for `lease`.
fn claim(conn: &mut DbConn, cipher: &DataCipher, now: NaiveDateTime, lease: Duration) -> anyhow::Result<Vec<Due>> {
    let pending = diesel::alias!(crate::db::schema::webhook_deliveries as pending);
    // Read from the partial index of pending deliveries: as long as the
    // backlog, never its square.
    let heads = pending
        .filter(pending.field(wd::status).eq(DeliveryStatus::Pending))
        .group_by((pending.field(wd::subscription_id), pending.field(wd::object)))
        .select(diesel::dsl::min(pending.field(wd::id)));
    let rows: Vec<DueRow> = wd::table
        .inner_join(ws::table)
        .inner_join(we::table)
        .filter(wd::id.nullable().eq_any(heads))
        .filter(wd::status.eq(DeliveryStatus::Pending))
        .filter(wd::next_attempt_at.le(now))
        .order(wd::id)
        .limit(BATCH)
        .select((
            wd::id,
            wd::attempts,
            wd::created_at,
            ws::url,
            ws::secret,
            ws::active,
            we::event_id,
            we::kind,
            we::payload,
        ))
        .load(conn)?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    // One statement claims them all: a delivery another instance claimed
    // meanwhile is no longer due and stays its.
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let until = now + TimeDelta::from_std(lease)?;
    let claimed: Vec<i64> = diesel::update(wd::table)
        .filter(wd::id.eq_any(&ids))
        .filter(wd::status.eq(DeliveryStatus::Pending))
        .filter(wd::next_attempt_at.le(now))
        .set(wd::next_attempt_at.eq(until))
        .returning(wd::id)
        .get_results(conn)?;
    let mut due = Vec::with_capacity(claimed.len());
    for DueRow { id, attempts, created_at, url, secret, subscribed, event_id, kind, payload } in rows {
        if claimed.contains(&id) {
            let secret = cipher.decrypt(&secret)?;
            due.push(Due { id, attempts, created_at, url, secret, subscribed, event_id, kind, payload });
        }
    }
    Ok(due)
}

async fn send(client: &reqwest::Client, due: &Due, at: NaiveDateTime, private: bool) -> Outcome {
    let started = Instant::now();
    let outcome = |status, error: Option<String>, response| Outcome {
        id: due.id,
        attempts: due.attempts + 1,
        created_at: due.created_at,
        at,
        status,
        error,
        response,
        duration_ms: i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX),
    };
    if !due.subscribed {
        return outcome(None, Some(UNSUBSCRIBED.into()), None);
    }
    if let Err(refusal) = super::allowed_address(&due.url, private) {
        return outcome(None, Some(refusal.into()), None);
    }
    let timestamp = chrono::Utc::now().timestamp();
    let request = client
        .post(&due.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(super::EVENT_ID_HEADER, &due.event_id)
        .header(super::EVENT_TYPE_HEADER, &due.kind)
        .header(super::SIGNATURE_HEADER, super::signature(&due.secret, timestamp, due.payload.as_bytes()))
        .body(due.payload.clone());
    match request.send().await {
        Ok(mut response) => {
            let status = i32::from(response.status().as_u16());
            let mut body = Vec::new();
            while body.len() < RESPONSE_KEPT * 4 {
                match response.chunk().await {
                    Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                    _ => break,
                }
            }
            let text: String = String::from_utf8_lossy(&body).chars().take(RESPONSE_KEPT).collect();
            outcome(Some(status), None, Some(text).filter(|t| !t.is_empty()))
        }
        Err(error) => {
            let why = if error.is_timeout() {
                "Получатель не ответил вовремя".to_owned()
            } else if error.is_connect() {
                "Не удалось подключиться к получателю".to_owned()
            } else {
                format!("Ошибка отправки: {error}")
            };
            outcome(None, Some(why), None)
        }
    }
}

/// The delay before the attempt after `attempts` failed ones: the base, then
/// three times longer each time, up to 4 hours.
pub fn delay(base: Duration, attempts: i32) -> Duration {
    let factor = 3u32.saturating_pow(attempts.saturating_sub(1).clamp(0, 20) as u32);
    base.saturating_mul(factor).min(MAX_DELAY)
}

/// Writes an attempt and what it makes of the delivery (in the batch's transaction).
fn record(
    conn: &mut DbConn,
    outcome: &Outcome,
    settings: &IntegrationSettings,
    now: NaiveDateTime,
) -> anyhow::Result<()> {
    diesel::insert_into(wa::table)
        .values((
            wa::delivery_id.eq(outcome.id),
            wa::at.eq(outcome.at),
            wa::status.eq(outcome.status),
            wa::error.eq(&outcome.error),
            wa::duration_ms.eq(outcome.duration_ms),
        ))
        .execute(conn)?;
    let last = (
        wd::attempts.eq(outcome.attempts),
        wd::last_status.eq(outcome.status),
        wd::last_error.eq(&outcome.error),
        wd::last_response.eq(&outcome.response),
    );
    let retry_until = outcome.created_at + TimeDelta::from_std(settings.webhook_retry_for)?;
    let target = wd::table.find(outcome.id).filter(wd::status.eq(DeliveryStatus::Pending));
    if outcome.delivered() {
        diesel::update(target)
            .set((last, wd::status.eq(DeliveryStatus::Delivered), wd::delivered_at.eq(Some(now))))
            .execute(conn)?;
    } else if now >= retry_until || outcome.error.as_deref() == Some(UNSUBSCRIBED) {
        diesel::update(target).set((last, wd::status.eq(DeliveryStatus::Failed))).execute(conn)?;
    } else {
        let next = (now + TimeDelta::from_std(delay(settings.webhook_retry_base, outcome.attempts))?).min(retry_until);
        diesel::update(target).set((last, wd::next_attempt_at.eq(next))).execute(conn)?;
    }
    Ok(())
}

/// The HTTP client: no redirects (a receiver cannot send the request
/// elsewhere), a timeout, and outside development only public addresses.
pub fn http_client(settings: &IntegrationSettings) -> anyhow::Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder()
        .timeout(settings.webhook_timeout)
        .connect_timeout(settings.webhook_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Navigator-Webhooks/", env!("CARGO_PKG_VERSION")))
        .pool_max_idle_per_host(16);
    if !settings.webhook_private {
        builder = builder.dns_resolver(Arc::new(PublicOnly));
    }
    Ok(builder.build()?)
}

/// A resolver that gives only public addresses: a host name that resolves
/// to the service's own network is not reached.
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        Box::pin(async move {
            let found = tokio::net::lookup_host((name.as_str(), 0)).await?;
            let public: Vec<SocketAddr> = found.filter(|a| super::is_public(a.ip())).collect();
            if public.is_empty() {
                return Err("the host resolves to no public address".into());
            }
            Ok(Box::new(public.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_four_hours() {
        let base = Duration::from_secs(10);
        let delays: Vec<u64> = (1..=9).map(|n| delay(base, n).as_secs()).collect();
        assert_eq!(delays, [10, 30, 90, 270, 810, 2430, 7290, 14400, 14400]);
        assert_eq!(delay(base, 1000), MAX_DELAY);
    }
}
