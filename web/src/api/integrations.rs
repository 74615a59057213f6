//! The admin's integration clients: the systems that work with Navigator on
//! families' behalf, their credentials (a secret is answered once), their
//! request log, webhooks and the deliveries of events to them.

use gloo_net::http::Method;
use navigator_shared::Problem;
use navigator_shared::integrations::{
    ClientCredentials, ClientInput, ClientRequest, DeliveriesQuery, IntegrationClient, Webhook, WebhookDelivery,
};
use navigator_shared::reference::{Page, PageQuery};

use super::{Session, json, send_authed, with_query};

const CLIENTS: &str = "/admin/integration-clients";

/// One page of the clients.
pub async fn clients(session: Session, page: i64, per_page: i64) -> Result<Page<IntegrationClient>, Problem> {
    let query = PageQuery { page: Some(page), per_page: Some(per_page) };
    send_authed(session, Method::GET, &with_query(CLIENTS, &query)?, None).await
}

/// A new client with its first secret.
pub async fn create(session: Session, input: &ClientInput) -> Result<ClientCredentials, Problem> {
    send_authed(session, Method::POST, CLIENTS, Some(json(input)?)).await
}

pub async fn client(session: Session, id: i64) -> Result<IntegrationClient, Problem> {
    send_authed(session, Method::GET, &format!("{CLIENTS}/{id}"), None).await
}

/// Its tokens stop working at once.
pub async fn suspend(session: Session, id: i64) -> Result<IntegrationClient, Problem> {
    send_authed(session, Method::POST, &format!("{CLIENTS}/{id}/suspend"), Some("{}".to_owned())).await
}

pub async fn resume(session: Session, id: i64) -> Result<IntegrationClient, Problem> {
    send_authed(session, Method::POST, &format!("{CLIENTS}/{id}/resume"), Some("{}".to_owned())).await
}

/// A new secret in place of the old one; the tokens issued with the old one stop working.
pub async fn rotate_secret(session: Session, id: i64) -> Result<ClientCredentials, Problem> {
    send_authed(session, Method::POST, &format!("{CLIENTS}/{id}/secret"), Some("{}".to_owned())).await
}

/// The client's requests, newest first.
pub async fn requests(session: Session, id: i64, page: i64, per_page: i64) -> Result<Page<ClientRequest>, Problem> {
    let query = PageQuery { page: Some(page), per_page: Some(per_page) };
    send_authed(session, Method::GET, &with_query(&format!("{CLIENTS}/{id}/requests"), &query)?, None).await
}

/// The client's webhook subscriptions (without their secrets).
pub async fn webhooks(session: Session, id: i64) -> Result<Vec<Webhook>, Problem> {
    send_authed(session, Method::GET, &format!("{CLIENTS}/{id}/webhooks"), None).await
}

/// The events sent (or being sent) to the client, newest first.
pub async fn deliveries(session: Session, id: i64, query: &DeliveriesQuery) -> Result<Page<WebhookDelivery>, Problem> {
    send_authed(session, Method::GET, &with_query(&format!("{CLIENTS}/{id}/deliveries"), query)?, None).await
}

/// Sends an event once more, with the same event id.
pub async fn resend(session: Session, delivery_id: i64) -> Result<WebhookDelivery, Problem> {
    send_authed(
        session,
        Method::POST,
        &format!("/admin/webhook-deliveries/{delivery_id}/resend"),
        Some("{}".to_owned()),
    )
    .await
}
