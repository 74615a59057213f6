//! Webhooks: events written to an outbox in the transaction of the change
//! they tell about, one delivery per subscription that wants them, sent by
//! [`worker`] signed with the subscription's secret.
//!
//! The signature follows the scheme of Stripe and Standard Webhooks: the
//! header `Navigator-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` signs
//! `"<t>.<body>"` with the subscription's secret (`whsec_…`, the whole
//! string is the key). A receiver recomputes it, compares in constant time,
//! refuses a `t` older than five minutes, and drops an `id` it has seen.

pub mod worker;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use hmac::{Hmac, Mac};
use navigator_shared::applications::ApplicationStatus;
use navigator_shared::integrations::{ClientStatus, DeliveryStatus, WebhookEvent};
use sha2::Sha256;

use crate::db::DbConn;
use crate::db::schema::{
    integration_clients as ic, webhook_deliveries as wd, webhook_events as we, webhook_subscriptions as ws,
};

/// The header with the signature.
pub const SIGNATURE_HEADER: &str = "Navigator-Signature";
/// The header with the event's id (also in the body).
pub const EVENT_ID_HEADER: &str = "Navigator-Event-Id";
/// The header with the event's type.
pub const EVENT_TYPE_HEADER: &str = "Navigator-Event-Type";

/// `t=<timestamp>,v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mac = keyed(secret, timestamp, body).map(|m| m.finalize().into_bytes().to_vec()).unwrap_or_default();
    format!("t={timestamp},v1={}", hex::encode(mac))
}

fn keyed(secret: &str, timestamp: i64, body: &[u8]) -> Option<Hmac<Sha256>> {
    // HMAC takes a key of any length: this never fails.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).ok()?;
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Some(mac)
}

/// Whether `header` is a valid signature of `body` with `secret`, compared
/// in constant time (what a receiver does; the tests use it).
pub fn verify(secret: &str, header: &str, body: &[u8]) -> bool {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", v)) => signatures.extend(hex::decode(v).ok()),
            _ => {}
        }
    }
    let Some(timestamp) = timestamp else { return false };
    signatures.iter().any(|given| keyed(secret, timestamp, body).is_some_and(|mac| mac.verify_slice(given).is_ok()))
}

/// Whether webhooks may go to `url`: `https://` to a host that is not an
/// address of the service's own network, unless `private` allows `http://`
/// and local addresses (development and tests). Host names are checked
/// again when they resolve ([`worker::http_client`]).
pub fn allowed_address(url: &str, private: bool) -> Result<(), &'static str> {
    if private {
        return Ok(());
    }
    let Some(rest) = url.strip_prefix("https://") else {
        return Err("Вебхуки отправляются только по https://");
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.rsplit_once(':').map_or(authority, |(host, _)| host),
    };
    let host = host.to_ascii_lowercase();
    if host == "localhost" || host.ends_with(".localhost") || host.ends_with(".local") || host.ends_with(".internal") {
        return Err("Адрес во внутренней сети: вебхуки туда не отправляются");
    }
    match host.parse::<std::net::IpAddr>() {
        Ok(ip) if !is_public(ip) => Err("Адрес во внутренней сети: вебхуки туда не отправляются"),
        _ => Ok(()),
    }
}

/// An address on the public internet: not loopback, private, link-local,
/// shared (CGNAT), unspecified, multicast or documentation.
pub fn is_public(ip: std::net::IpAddr) -> bool {
    use std::net::IpAddr;
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b)))
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public(IpAddr::V4(v4)),
            None => {
                let first = v6.segments()[0];
                !(v6.is_loopback()
                    || v6.is_unspecified()
                    || v6.is_multicast()
                    || (first & 0xfe00) == 0xfc00
                    || (first & 0xffc0) == 0xfe80)
            }
        },
    }
}

/// An event about to be recorded.
pub struct Event {
    pub kind: WebhookEvent,
    /// What it is about: `application:17`; deliveries of one object keep their order.
    pub object: String,
    /// Only this client's subscriptions get it (an application's events go
    /// to the client that submitted it).
    pub only_client: Option<i64>,
}

/// Records `event` for every active subscription of an active client that
/// wants its kind, with the data `data` builds (called only when somebody
/// wants it). Runs in the caller's transaction: the event is sent if and
/// only if the change is committed.
pub fn record(
    conn: &mut DbConn,
    event: Event,
    now: NaiveDateTime,
    data: impl FnOnce(&mut DbConn) -> QueryResult<serde_json::Value>,
) -> QueryResult<()> {
    let mut query = ws::table
        .inner_join(ic::table)
        .filter(ws::active.eq(true))
        .filter(ic::status.eq(ClientStatus::Active))
        .filter(ws::events.like(format!("%{}%", event.kind.as_str())))
        .select((ws::id, ws::events))
        .into_boxed();
    if let Some(client) = event.only_client {
        query = query.filter(ws::client_id.eq(client));
    }
    let subscriptions: Vec<i64> = query
        .load::<(i64, String)>(conn)?
        .into_iter()
        .filter(|(_, events)| events.split(' ').any(|e| e == event.kind.as_str()))
        .map(|(id, _)| id)
        .collect();
    if subscriptions.is_empty() {
        return Ok(());
    }
    let event_id = format!("evt_{}", uuid::Uuid::new_v4().simple());
    let payload = serde_json::json!({
        "id": event_id,
        "type": event.kind.as_str(),
        "created_at": now.and_utc(),
        "data": data(conn)?,
    });
    let id: i64 = diesel::insert_into(we::table)
        .values((
            we::event_id.eq(&event_id),
            we::kind.eq(event.kind.as_str()),
            we::object.eq(&event.object),
            we::payload.eq(payload.to_string()),
            we::created_at.eq(now),
        ))
        .returning(we::id)
        .get_result(conn)?;
    for subscription in subscriptions {
        diesel::insert_into(wd::table)
            .values((
                wd::event_id.eq(id),
                wd::subscription_id.eq(subscription),
                wd::object.eq(&event.object),
                wd::status.eq(DeliveryStatus::Pending),
                wd::next_attempt_at.eq(now),
                wd::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Who submitted an application: an integration client and its own id of it.
pub type Source = (Option<i64>, Option<String>);

/// An application's status changed (or it was made: `from` is `None`): the
/// integrator that submitted it, if one did, is told.
pub fn application_changed(
    conn: &mut DbConn,
    id: i64,
    source: Source,
    (from, to): (Option<ApplicationStatus>, ApplicationStatus),
    now: NaiveDateTime,
) -> QueryResult<()> {
    let (Some(client), Some(external_id)) = source else { return Ok(()) };
    let event = Event {
        kind: WebhookEvent::ApplicationStatusChanged,
        object: format!("application:{id}"),
        only_client: Some(client),
    };
    record(conn, event, now, |_| {
        Ok(serde_json::json!({
            "application_id": id,
            "external_id": external_id,
            "status": to,
            "status_title": to.title(),
            "previous_status": from,
            "changed_at": now.and_utc(),
        }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_development_webhooks_go_only_to_public_https_addresses() {
        assert!(allowed_address("https://gu.example.ru/hooks", false).is_ok());
        assert!(allowed_address("https://93.184.216.34:8443/hooks", false).is_ok());
        for url in [
            "http://gu.example.ru/hooks",
            "https://localhost/x",
            "https://127.0.0.1:5432/",
            "https://10.1.2.3/",
            "https://169.254.169.254/latest/meta-data",
            "https://[::1]/",
            "https://[::ffff:192.168.0.1]/",
            "https://100.64.0.1/",
        ] {
            assert!(allowed_address(url, false).is_err(), "{url}");
        }
        assert!(allowed_address("http://127.0.0.1:9000/", true).is_ok());
    }

    #[test]
    fn a_signature_verifies_only_with_its_secret_and_body() {
        let header = signature("whsec_one", 1_764_900_000, br#"{"id":"evt_1"}"#);
        assert!(header.starts_with("t=1764900000,v1="));
        assert!(verify("whsec_one", &header, br#"{"id":"evt_1"}"#));
        assert!(!verify("whsec_two", &header, br#"{"id":"evt_1"}"#));
        assert!(!verify("whsec_one", &header, br#"{"id":"evt_2"}"#));
        assert!(!verify("whsec_one", &header.replace("t=1764900000", "t=1764900001"), br#"{"id":"evt_1"}"#));
        assert!(!verify("whsec_one", "v1=00", b"{}"));
    }
}
