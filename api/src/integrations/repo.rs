//! Diesel queries of integration clients, their request log, webhook
//! subscriptions and deliveries, and the registry's delta export.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use navigator_shared::children::CertificateStatus;
use navigator_shared::integrations::{ClientStatus, DeliveryStatus};

use crate::applications::repo::ApplicationRow;
use crate::db::schema::{
    applications as a, certificates as c, children as ch, integration_clients as ic, integration_requests as ir,
    webhook_attempts as wa, webhook_deliveries as wd, webhook_events as we, webhook_subscriptions as ws,
};
use crate::db::{DbConn, Paginate};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ic)]
pub struct ClientRow {
    pub id: i64,
    pub client_id: String,
    pub name: String,
    pub contact: String,
    /// Space-separated scope codes.
    pub scopes: String,
    pub secret_hash: String,
    pub secret_version: i32,
    pub secret_issued_at: NaiveDateTime,
    pub status: ClientStatus,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
}

pub struct NewClient<'a> {
    pub client_id: &'a str,
    pub name: &'a str,
    pub contact: &'a str,
    pub scopes: &'a str,
    pub secret_hash: &'a str,
    pub created_by: Option<i64>,
}

pub fn insert_client(conn: &mut DbConn, new: &NewClient<'_>, now: NaiveDateTime) -> QueryResult<i64> {
    diesel::insert_into(ic::table)
        .values((
            ic::client_id.eq(new.client_id),
            ic::name.eq(new.name),
            ic::contact.eq(new.contact),
            ic::scopes.eq(new.scopes),
            ic::secret_hash.eq(new.secret_hash),
            ic::secret_issued_at.eq(now),
            ic::status.eq(ClientStatus::Active),
            ic::created_by.eq(new.created_by),
            ic::created_at.eq(now),
            ic::updated_at.eq(now),
        ))
        .returning(ic::id)
        .get_result(conn)
}

pub fn find_client(conn: &mut DbConn, id: i64) -> QueryResult<Option<ClientRow>> {
    ic::table.find(id).select(ClientRow::as_select()).first(conn).optional()
}

pub fn client_by_public_id(conn: &mut DbConn, client_id: &str) -> QueryResult<Option<ClientRow>> {
    ic::table.filter(ic::client_id.eq(client_id)).select(ClientRow::as_select()).first(conn).optional()
}

/// A page of clients, newest first, and how many there are.
pub fn clients(conn: &mut DbConn, (page, per_page): (i64, i64)) -> QueryResult<(Vec<ClientRow>, i64)> {
    let total = ic::table.count().get_result(conn)?;
    let rows = ic::table.order(ic::id.desc()).paginate(page, per_page).select(ClientRow::as_select()).load(conn)?;
    Ok((rows, total))
}

/// Moves a client from `from` to `to`; `false` when it was not in `from`.
pub fn set_status(
    conn: &mut DbConn,
    id: i64,
    (from, to): (ClientStatus, ClientStatus),
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(ic::table.find(id).filter(ic::status.eq(from)))
        .set((ic::status.eq(to), ic::updated_at.eq(now)))
        .execute(conn)
        .map(|n| n == 1)
}

/// A new secret: the version moves on, so every token of the old one stops working.
pub fn rotate_secret(conn: &mut DbConn, id: i64, secret_hash: &str, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(ic::table.find(id))
        .set((
            ic::secret_hash.eq(secret_hash),
            ic::secret_version.eq(ic::secret_version + 1),
            ic::secret_issued_at.eq(now),
            ic::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// A page of a client's requests, newest first.
#[allow(clippy::type_complexity)]
pub fn requests(
    conn: &mut DbConn,
    client: i64,
    (page, per_page): (i64, i64),
) -> QueryResult<(Vec<(NaiveDateTime, String, String, i32, i32)>, i64)> {
    let total = ir::table.filter(ir::client_id.eq(client)).count().get_result(conn)?;
    let rows = ir::table
        .filter(ir::client_id.eq(client))
        .order(ir::id.desc())
        .paginate(page, per_page)
        .select((ir::at, ir::method, ir::path, ir::status, ir::duration_ms))
        .load(conn)?;
    Ok((rows, total))
}

/// Drops log entries older than `before`.
pub fn sweep_requests(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(ir::table.filter(ir::at.lt(before))).execute(conn)
}

/// A page of a client's applications, newest first.
pub fn applications_of(
    conn: &mut DbConn,
    client: i64,
    external_id: Option<&str>,
    (page, per_page): (i64, i64),
) -> QueryResult<(Vec<ApplicationRow>, i64)> {
    let filtered = || {
        let mut query = a::table.filter(a::source_client_id.eq(client)).into_boxed();
        if let Some(external_id) = external_id {
            query = query.filter(a::external_id.eq(external_id.to_owned()));
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let rows =
        filtered().order(a::id.desc()).paginate(page, per_page).select(ApplicationRow::as_select()).load(conn)?;
    Ok((rows, total))
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ws)]
pub struct SubscriptionRow {
    pub id: i64,
    pub client_id: i64,
    pub url: String,
    /// Space-separated event codes.
    pub events: String,
    pub created_at: NaiveDateTime,
}

/// The client's active subscriptions, oldest first.
pub fn subscriptions(conn: &mut DbConn, client: i64) -> QueryResult<Vec<SubscriptionRow>> {
    ws::table
        .filter(ws::client_id.eq(client))
        .filter(ws::active.eq(true))
        .order(ws::id)
        .select(SubscriptionRow::as_select())
        .load(conn)
}

pub fn insert_subscription(
    conn: &mut DbConn,
    client: i64,
    (url, events): (&str, &str),
    sealed_secret: &str,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(ws::table)
        .values((
            ws::client_id.eq(client),
            ws::url.eq(url),
            ws::events.eq(events),
            ws::secret.eq(sealed_secret),
            ws::active.eq(true),
            ws::created_at.eq(now),
        ))
        .returning(ws::id)
        .get_result(conn)
}

/// Ends a subscription of `client`; `false` when it has none with this id.
pub fn end_subscription(conn: &mut DbConn, client: i64, id: i64) -> QueryResult<bool> {
    diesel::update(ws::table.find(id).filter(ws::client_id.eq(client)).filter(ws::active.eq(true)))
        .set(ws::active.eq(false))
        .execute(conn)
        .map(|n| n == 1)
}

/// A delivery as the admin sees it, with its event and address.
#[derive(Debug, Clone, Queryable)]
pub struct DeliveryRow {
    pub id: i64,
    pub subscription_id: i64,
    pub object: String,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub last_response: Option<String>,
    pub delivered_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub url: String,
    pub event_id: String,
    pub kind: String,
    pub payload: String,
}

type DeliveryColumns = (
    wd::id,
    wd::subscription_id,
    wd::object,
    wd::status,
    wd::attempts,
    wd::next_attempt_at,
    wd::last_status,
    wd::last_error,
    wd::last_response,
    wd::delivered_at,
    wd::created_at,
    ws::url,
    we::event_id,
    we::kind,
    we::payload,
);

const DELIVERY_COLUMNS: DeliveryColumns = (
    wd::id,
    wd::subscription_id,
    wd::object,
    wd::status,
    wd::attempts,
    wd::next_attempt_at,
    wd::last_status,
    wd::last_error,
    wd::last_response,
    wd::delivered_at,
    wd::created_at,
    ws::url,
    we::event_id,
    we::kind,
    we::payload,
);

/// A page of the deliveries to a client's subscriptions, newest first.
pub fn deliveries(
    conn: &mut DbConn,
    client: i64,
    status: Option<DeliveryStatus>,
    (page, per_page): (i64, i64),
) -> QueryResult<(Vec<DeliveryRow>, i64)> {
    let filtered = || {
        let mut query =
            wd::table.inner_join(ws::table).inner_join(we::table).filter(ws::client_id.eq(client)).into_boxed();
        if let Some(status) = status {
            query = query.filter(wd::status.eq(status));
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered().order(wd::id.desc()).paginate(page, per_page).select(DELIVERY_COLUMNS).load(conn)?;
    Ok((rows, total))
}

pub fn delivery(conn: &mut DbConn, id: i64) -> QueryResult<Option<(DeliveryRow, i64)>> {
    wd::table
        .inner_join(ws::table)
        .inner_join(we::table)
        .filter(wd::id.eq(id))
        .select((DELIVERY_COLUMNS, ws::client_id))
        .first(conn)
        .optional()
}

/// The attempts of these deliveries, latest first.
#[allow(clippy::type_complexity)]
pub fn attempts(
    conn: &mut DbConn,
    deliveries: &[i64],
) -> QueryResult<Vec<(i64, NaiveDateTime, Option<i32>, Option<String>, i32)>> {
    wa::table
        .filter(wa::delivery_id.eq_any(deliveries))
        .order(wa::id.desc())
        .select((wa::delivery_id, wa::at, wa::status, wa::error, wa::duration_ms))
        .load(conn)
}

/// Sends a delivery again now (the event keeps its id).
pub fn resend(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(wd::table.find(id))
        .set((wd::status.eq(DeliveryStatus::Pending), wd::next_attempt_at.eq(now)))
        .execute(conn)
        .map(|n| n == 1)
}

/// One certificate of the registry's delta export.
#[derive(Debug, Clone, Queryable)]
pub struct CertificateChangeRow {
    pub number: String,
    pub status: CertificateStatus,
    pub municipality_id: i64,
    pub created_at: NaiveDateTime,
    pub activated_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
}

/// Certificates changed after `since`, oldest change first.
pub fn certificates_changed_since(
    conn: &mut DbConn,
    since: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<CertificateChangeRow>> {
    c::table
        .inner_join(ch::table)
        .filter(c::updated_at.gt(since))
        .order((c::updated_at, c::id))
        .limit(limit)
        .select((c::number, c::status, ch::municipality_id, c::created_at, c::activated_at, c::updated_at))
        .load(conn)
}
