//! Integrators: systems that work with Navigator on families' behalf (a
//! regional mobile app, the federal portal «Госуслуги», a school information
//! system). Each is an **integration client** with its own credentials and
//! scopes (OAuth 2.0 client credentials), its own rate limit and request
//! log; it may apply for a child by the certificate number, read its
//! applications, the catalog and the registry's statuses, and receive
//! signed webhooks about what changed.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::applications::ApplicationStatus;
use crate::children::CertificateStatus;
use crate::{FieldErrors, code_enum, validate};

code_enum! {
    /// What an integration client may do.
    pub enum ClientScope {
        CatalogRead = ("catalog:read", "Каталог: выгрузка изменений программ и организаций"),
        RegistryRead = ("registry:read", "Реестр: выгрузка статусов сертификатов без персональных данных"),
        ApplicationsWrite = ("applications:write", "Подача заявок за семью по номеру сертификата"),
        ApplicationsRead = ("applications:read", "Чтение статусов своих заявок"),
        Webhooks = ("webhooks", "Подписка на события (вебхуки)"),
    }
}

code_enum! {
    /// Whether a client's credentials work.
    pub enum ClientStatus {
        Active = ("active", "Работает"),
        /// Its tokens stop working at once; it may be resumed.
        Suspended = ("suspended", "Приостановлен"),
    }
}

code_enum! {
    /// What a webhook tells about.
    pub enum WebhookEvent {
        /// An application the client submitted changed its status.
        ApplicationStatusChanged = ("application.status_changed", "Изменился статус заявки"),
        CertificateStatusChanged = ("certificate.status_changed", "Изменился статус сертификата"),
        ProgramPublished = ("program.published", "Программа опубликована в каталоге"),
        /// A published program changed, or left the catalog.
        ProgramChanged = ("program.changed", "Программа изменилась или снята с публикации"),
    }
}

impl WebhookEvent {
    /// The scope a client needs to subscribe to the event (besides `webhooks`).
    pub fn scope(self) -> ClientScope {
        match self {
            Self::ApplicationStatusChanged => ClientScope::ApplicationsRead,
            Self::CertificateStatusChanged => ClientScope::RegistryRead,
            Self::ProgramPublished | Self::ProgramChanged => ClientScope::CatalogRead,
        }
    }
}

code_enum! {
    /// Where a webhook delivery stands.
    pub enum DeliveryStatus {
        Pending = ("pending", "Ожидает отправки"),
        Delivered = ("delivered", "Доставлено"),
        /// No attempt succeeded within the retry period (24 hours).
        Failed = ("failed", "Не доставлено"),
    }
}

/// The longest name of a client.
const NAME_MAX: usize = 200;
/// The longest `external_id` of an application.
pub const EXTERNAL_ID_MAX: usize = 100;
/// The longest webhook address.
const URL_MAX: usize = 2000;

/// `POST /admin/integration-clients`: a new client.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientInput {
    /// The system's name, shown to families on applications it submits
    /// (e.g. «Госуслуги»).
    pub name: String,
    /// Who answers for the integration: a name, an email or a phone.
    pub contact: String,
    pub scopes: Vec<ClientScope>,
}

impl ClientInput {
    /// The name and contact trimmed, at least one scope, each once.
    pub fn checked(&self) -> Result<ClientInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", validate::bounded_text(&self.name, NAME_MAX, "Введите название системы"));
        let contact = errors.check(
            "contact",
            validate::bounded_text(&self.contact, NAME_MAX, "Укажите контакт ответственного за интеграцию"),
        );
        let mut scopes = Vec::new();
        for scope in ClientScope::ALL {
            if self.scopes.contains(scope) {
                scopes.push(*scope);
            }
        }
        if scopes.is_empty() {
            errors.add("scopes", "Отметьте хотя бы одно право доступа");
        }
        errors.finish(|| Some(ClientInput { name: name?, contact: contact?, scopes }))
    }
}

/// An integration client as the admin sees it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntegrationClient {
    pub id: i64,
    /// The public identifier the client authenticates with.
    pub client_id: String,
    pub name: String,
    pub contact: String,
    pub scopes: Vec<ClientScope>,
    pub status: ClientStatus,
    pub status_title: String,
    pub created_at: DateTime<Utc>,
    /// When its secret was last issued (created or rotated).
    pub secret_issued_at: DateTime<Utc>,
    /// The last request with one of its tokens.
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A client with its secret: answered once, when the client is created or
/// its secret rotated; Navigator keeps only a hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientCredentials {
    pub client: IntegrationClient,
    pub client_secret: String,
}

/// `POST /oauth/token` (RFC 6749 §4.4), `application/x-www-form-urlencoded`.
/// The client authenticates with HTTP Basic (`client_id:client_secret`) or
/// with these fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenRequest {
    /// Always `client_credentials`.
    #[serde(default)]
    pub grant_type: String,
    #[serde(default)]
    pub client_id: Option<String>,
    #[serde(default)]
    pub client_secret: Option<String>,
    /// Space-separated scopes to narrow the token to; all of the client's when empty.
    #[serde(default)]
    pub scope: Option<String>,
}

/// A successful token answer (RFC 6749 §5.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    pub access_token: String,
    /// `Bearer`.
    pub token_type: String,
    /// Seconds the token lives.
    pub expires_in: i64,
    /// The token's scopes, space-separated.
    pub scope: String,
}

/// A refused token request (RFC 6749 §5.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OAuthError {
    /// `invalid_request`, `invalid_client`, `unsupported_grant_type`, `invalid_scope`.
    pub error: String,
    /// In Russian, for the integrator's developers.
    pub error_description: String,
}

/// One request of a client, for the admin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientRequest {
    pub at: DateTime<Utc>,
    pub method: String,
    /// The path without the query.
    pub path: String,
    pub status: i32,
    pub duration_ms: i32,
}

/// `POST /integrations/applications`: an application for a child, who is
/// found by the certificate number and must match the last name and the
/// birth date in the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PortalApplicationInput {
    pub group_id: i64,
    /// The certificate's number: 10 digits.
    pub certificate_number: String,
    /// The child's last name as in the certificate.
    pub last_name: String,
    pub birth_date: NaiveDate,
    /// The integrator's own id of the application (1 to 100 visible ASCII
    /// characters), unique for the client: a repeat answers the application
    /// made the first time.
    pub external_id: String,
}

impl PortalApplicationInput {
    /// The fields checked; the number, the last name and the external id trimmed.
    pub fn checked(&self) -> Result<PortalApplicationInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let number = self.certificate_number.trim();
        if number.len() != 10 || !number.chars().all(|c| c.is_ascii_digit()) {
            errors.add("certificate_number", "Номер сертификата — 10 цифр");
        }
        let last_name = self.last_name.trim();
        if last_name.is_empty() || last_name.chars().count() > NAME_MAX {
            errors.add("last_name", "Укажите фамилию ребёнка");
        }
        let external_id = self.external_id.trim();
        if external_id.is_empty()
            || external_id.len() > EXTERNAL_ID_MAX
            || !external_id.chars().all(|c| c.is_ascii_graphic())
        {
            errors
                .add("external_id", "Идентификатор заявки в вашей системе: от 1 до 100 латинских букв, цифр и знаков");
        }
        errors.finish(|| {
            Some(PortalApplicationInput {
                group_id: self.group_id,
                certificate_number: number.to_owned(),
                last_name: last_name.to_owned(),
                birth_date: self.birth_date,
                external_id: external_id.to_owned(),
            })
        })
    }
}

/// Whether a last name given by an integrator is the registry's: case, `ё`
/// and spaces around hyphens do not matter.
pub fn same_last_name(given: &str, registered: &str) -> bool {
    let fold = |s: &str| -> String {
        s.split('-').map(|part| part.trim().to_lowercase().replace('ё', "е")).collect::<Vec<_>>().join("-")
    };
    fold(given) == fold(registered)
}

/// An application as its integrator sees it: no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PortalApplication {
    pub id: i64,
    pub external_id: String,
    pub status: ApplicationStatus,
    pub status_title: String,
    pub group_id: i64,
    pub program_id: i64,
    pub organization_id: i64,
    /// Place in the group's waiting list, from 1 (while `waiting`).
    pub waiting_position: Option<i64>,
    /// Code of the rejection or expulsion reason.
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `GET /integrations/applications`: the client's applications, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct PortalApplicationsQuery {
    /// Only the application with this `external_id`.
    pub external_id: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// `POST /integrations/webhooks`: where to send which events.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookInput {
    /// `https://…` (`http://` is accepted outside production).
    pub url: String,
    pub events: Vec<WebhookEvent>,
}

impl WebhookInput {
    /// The address trimmed and of the `http(s)` scheme with a host, at least
    /// one event, each once. Whether the scheme and the host are allowed is
    /// the server's rule.
    pub fn checked(&self) -> Result<WebhookInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let url = self.url.trim();
        let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
        let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or("")).unwrap_or("");
        if rest.is_none() || host.is_empty() || host.contains('@') || url.len() > URL_MAX || url.contains(' ') {
            errors.add("url", "Укажите адрес вида https://example.ru/navigator/webhooks");
        }
        let mut events = Vec::new();
        for event in WebhookEvent::ALL {
            if self.events.contains(event) {
                events.push(*event);
            }
        }
        if events.is_empty() {
            errors.add("events", "Выберите хотя бы одно событие");
        }
        errors.finish(|| Some(WebhookInput { url: url.to_owned(), events }))
    }
}

/// A client's webhook subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Webhook {
    pub id: i64,
    pub url: String,
    pub events: Vec<WebhookEvent>,
    pub created_at: DateTime<Utc>,
    /// The signing secret (`whsec_…`): only in the answer that created the
    /// subscription.
    pub secret: Option<String>,
}

/// One attempt to deliver an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryAttempt {
    pub at: DateTime<Utc>,
    /// The receiver's HTTP status, if it answered.
    pub status: Option<i32>,
    /// Why the attempt failed, when it did not get an answer.
    pub error: Option<String>,
    pub duration_ms: i32,
}

/// One event sent (or being sent) to one subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookDelivery {
    pub id: i64,
    pub webhook_id: i64,
    pub url: String,
    /// The event's id (`evt_…`): the same on every attempt and resend.
    pub event_id: String,
    pub event: WebhookEvent,
    pub event_title: String,
    /// What the event is about: `application:17`, `certificate:…`, `program:5`.
    pub object: String,
    pub status: DeliveryStatus,
    pub status_title: String,
    pub attempts: i32,
    /// The next attempt, while pending.
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    /// The start of the receiver's last answer (up to 1000 characters).
    pub last_response: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// The event as sent (JSON).
    pub payload: String,
    /// The attempts, latest first.
    pub history: Vec<DeliveryAttempt>,
}

/// `GET /admin/integration-clients/{id}/deliveries`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct DeliveriesQuery {
    pub status: Option<DeliveryStatus>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// One certificate whose status changed, for `registry:read` integrators:
/// no personal data beyond the number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateChange {
    pub number: String,
    pub status: CertificateStatus,
    pub municipality_id: i64,
    /// The day it was requested.
    pub issued_on: NaiveDate,
    pub activated_on: Option<NaiveDate>,
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(number: &str, last_name: &str, external_id: &str) -> PortalApplicationInput {
        PortalApplicationInput {
            group_id: 1,
            certificate_number: number.into(),
            last_name: last_name.into(),
            birth_date: NaiveDate::from_ymd_opt(2016, 5, 1).unwrap_or_default(),
            external_id: external_id.into(),
        }
    }

    #[test]
    fn a_portal_application_is_checked_field_by_field() {
        assert!(input(" 1234567890 ", " Иванова ", "gu-17").checked().is_ok());
        let errors = input("12345", "", "с пробелом").checked().err().unwrap_or_default();
        let fields: Vec<&str> = errors.0.keys().map(String::as_str).collect();
        assert_eq!(fields, ["certificate_number", "external_id", "last_name"]);
        assert!(input("1234567890", "Петров", &"x".repeat(101)).checked().is_err());
    }

    #[test]
    fn last_names_match_without_case_and_yo() {
        assert!(same_last_name("СЕМЁНОВА", "Семенова"));
        assert!(same_last_name("Римский - Корсаков", "Римский-Корсаков"));
        assert!(!same_last_name("Семенов", "Семенова"));
    }

    #[test]
    fn a_webhook_needs_an_http_address_and_an_event() {
        let ok =
            WebhookInput { url: " https://gu.example.ru/hooks ".into(), events: vec![WebhookEvent::ProgramChanged] };
        assert_eq!(ok.checked().map(|w| w.url), Ok("https://gu.example.ru/hooks".to_owned()));
        for url in ["ftp://x.ru/", "https://", "https://user@x.ru/", "x.ru/hooks"] {
            let bad = WebhookInput { url: url.into(), events: vec![WebhookEvent::ProgramChanged] };
            assert!(bad.checked().is_err(), "{url}");
        }
        assert!(WebhookInput { url: "https://x.ru".into(), events: vec![] }.checked().is_err());
    }

    #[test]
    fn each_event_needs_its_scope() {
        assert_eq!(WebhookEvent::ApplicationStatusChanged.scope(), ClientScope::ApplicationsRead);
        assert_eq!(WebhookEvent::CertificateStatusChanged.scope(), ClientScope::RegistryRead);
        assert_eq!(WebhookEvent::ProgramPublished.scope(), ClientScope::CatalogRead);
    }
}
