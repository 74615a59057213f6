//! The one typed client of the Navigator API.
//!
//! Every request goes through [`send`]; authenticated ones through
//! [`send_authed`], which attaches the access token, refreshes it once on a
//! 401 and ends the session when the refresh fails. Every failure comes back
//! as a [`Problem`] — the API's own error shape — so pages handle one type.
//!
//! The access token lives only in memory (a signal of [`Session`]); the
//! refresh token is an HttpOnly cookie the browser sends to `/api/v1/auth`.

pub mod catalog;
pub mod duplicates;
pub mod enrolment;
pub mod events;
pub mod guardians;
pub mod integrations;
pub mod payments;
pub mod reviews;
pub mod second_factor;
pub mod stats;

use std::cell::RefCell;
use std::rc::Rc;

use chrono::NaiveDate;
use futures::FutureExt;
use futures::future::{LocalBoxFuture, Shared};
use gloo_net::http::{Method, RequestBuilder, Response};
use leptos::prelude::*;
use navigator_shared::accounts::{
    AccountCreated, EmailRequest, InboxMessage, InviteRequest, LoginRequest, Message, PasswordChangeRequest,
    PasswordResetConfirm, Profile, ProfileUpdate, RegisterRequest, Role, StaffAccount, StaffQuery, TokenRequest,
    TokenResponse,
};
use navigator_shared::calendar::{CalendarOverride, CalendarOverrideInput, YearQuery};
use navigator_shared::children::{Certificate, Child, ChildInput};
use navigator_shared::organizations::{ActivationPoint, ActivationPointsQuery};
use navigator_shared::reference::{
    Municipality, MunicipalityInput, Page, PageQuery, PopulationInput, RegionSettings, RegionUpdate,
};
use navigator_shared::registry::{
    ApplicantDocuments, AuditEntry, ChildCorrection, ExcludeRequest, MoveChildRequest, RefuseRequest, RegistryCard,
    RegistryQuery, RegistryRecord,
};
use navigator_shared::{ErrorCode, FieldErrors, Problem};
use serde::Serialize;
use serde::de::DeserializeOwned;
use web_sys::RequestCredentials;

pub(crate) const BASE: &str = "/api/v1";

/// Who is signed in. Created once by the app shell and shared as a context.
#[derive(Clone, Copy)]
pub struct Session {
    token: RwSignal<Option<String>>,
    user: RwSignal<Option<Profile>>,
    restored: RwSignal<bool>,
    on_expired: StoredValue<Rc<dyn Fn()>, LocalStorage>,
}

impl Session {
    /// `on_expired` runs when a signed-in session can no longer be refreshed
    /// (the app sends the user to the sign-in page).
    pub fn new(on_expired: impl Fn() + 'static) -> Self {
        Self {
            token: RwSignal::new(None),
            user: RwSignal::new(None),
            restored: RwSignal::new(false),
            on_expired: StoredValue::new_local(Rc::new(on_expired)),
        }
    }

    /// The signed-in user's profile (reactive).
    pub fn user(&self) -> Option<Profile> {
        self.user.get()
    }

    /// Whether someone is signed in (reactive).
    pub fn signed_in(&self) -> bool {
        self.user.with(Option::is_some)
    }

    /// Whether the start-up attempt to restore the session has finished (reactive).
    pub fn restored(&self) -> bool {
        self.restored.get()
    }

    fn clear(&self) {
        self.token.set(None);
        self.user.set(None);
    }

    fn expire(&self) {
        let was_signed_in = self.user.with_untracked(Option::is_some);
        self.clear();
        if was_signed_in {
            (self.on_expired.get_value())();
        }
    }
}

/// The session shared by the app shell.
pub fn use_session() -> Session {
    expect_context::<Session>()
}

// ---- public reference data ------------------------------------------------

pub async fn region() -> Result<RegionSettings, Problem> {
    send(Method::GET, "/region", None).await
}

/// The admin saves the region's settings.
pub async fn update_region(session: Session, update: &RegionUpdate) -> Result<RegionSettings, Problem> {
    send_authed(session, Method::PUT, "/region", Some(json(update)?)).await
}

/// One page of the municipalities with their population (the admin's list).
pub async fn municipalities_page(session: Session, page: i64, per_page: i64) -> Result<Page<Municipality>, Problem> {
    let query = PageQuery { page: Some(page), per_page: Some(per_page) };
    send_authed(session, Method::GET, &with_query("/municipalities", &query)?, None).await
}

pub async fn create_municipality(session: Session, input: &MunicipalityInput) -> Result<Municipality, Problem> {
    send_authed(session, Method::POST, "/municipalities", Some(json(input)?)).await
}

pub async fn rename_municipality(
    session: Session,
    id: i64,
    input: &MunicipalityInput,
) -> Result<Municipality, Problem> {
    send_authed(session, Method::PATCH, &format!("/municipalities/{id}"), Some(json(input)?)).await
}

pub async fn set_population(
    session: Session,
    id: i64,
    year: i32,
    input: &PopulationInput,
) -> Result<Municipality, Problem> {
    send_authed(session, Method::PUT, &format!("/municipalities/{id}/population/{year}"), Some(json(input)?)).await
}

pub async fn municipalities() -> Result<Vec<Municipality>, Problem> {
    let query = PageQuery { page: None, per_page: Some(PageQuery::MAX_PER_PAGE) };
    let page: Page<Municipality> = send(Method::GET, &with_query("/municipalities", &query)?, None).await?;
    Ok(page.items)
}

/// Where to bring the documents; all of the region's points without a municipality.
pub async fn activation_points(municipality_id: Option<i64>) -> Result<Vec<ActivationPoint>, Problem> {
    send(Method::GET, &with_query("/activation-points", &ActivationPointsQuery { municipality_id })?, None).await
}

// ---- accounts ---------------------------------------------------------------

pub async fn register(request: &RegisterRequest) -> Result<Message, Problem> {
    send(Method::POST, "/auth/register", Some(json(request)?)).await
}

pub async fn confirm_email(token: String) -> Result<Message, Problem> {
    send(Method::POST, "/auth/confirm-email", Some(json(&TokenRequest { token })?)).await
}

pub async fn resend_confirmation(request: &EmailRequest) -> Result<Message, Problem> {
    send(Method::POST, "/auth/resend-confirmation", Some(json(request)?)).await
}

pub async fn request_password_reset(request: &EmailRequest) -> Result<Message, Problem> {
    send(Method::POST, "/auth/password-reset", Some(json(request)?)).await
}

pub async fn confirm_password_reset(request: &PasswordResetConfirm) -> Result<Message, Problem> {
    send(Method::POST, "/auth/password-reset/confirm", Some(json(request)?)).await
}

/// Signs in; on success the session holds the token and the user's profile.
pub async fn login(session: Session, request: &LoginRequest) -> Result<(), Problem> {
    let tokens: TokenResponse = send(Method::POST, "/auth/login", Some(json(request)?)).await?;
    start(session, tokens.access_token).await
}

/// Restores the session from the refresh cookie, once, at start-up.
pub async fn restore(session: Session) {
    if let Ok(tokens) = refresh_once().await {
        // No session is not an error here: the visitor is simply signed out.
        let _ = start(session, tokens.access_token).await;
    }
    session.restored.set(true);
}

/// Ends the session on the server (the cookie is cleared) and in the browser.
pub async fn logout(session: Session) -> Result<(), Problem> {
    let result = send(Method::POST, "/auth/logout", Some("{}".to_owned())).await;
    session.clear();
    result
}

pub async fn me(session: Session) -> Result<Profile, Problem> {
    send_authed(session, Method::GET, "/me", None).await
}

/// Saves the changed fields of the profile and shows the new name in the header.
pub async fn update_profile(session: Session, update: &ProfileUpdate) -> Result<Profile, Problem> {
    let profile: Profile = send_authed(session, Method::PATCH, "/me", Some(json(update)?)).await?;
    session.user.set(Some(profile.clone()));
    Ok(profile)
}

pub async fn change_password(session: Session, request: &PasswordChangeRequest) -> Result<(), Problem> {
    send_authed(session, Method::POST, "/me/password", Some(json(request)?)).await
}

// ---- children and certificates ------------------------------------------------

/// The family's children with their certificates (SNILS and numbers masked).
pub async fn children(session: Session) -> Result<Vec<Child>, Problem> {
    send_authed(session, Method::GET, "/children", None).await
}

/// The region's operators or admins, page by page (admin).
pub async fn staff(session: Session, role: Role, page: i64, per_page: i64) -> Result<Page<StaffAccount>, Problem> {
    let query = StaffQuery { role: Some(role), page: Some(page), per_page: Some(per_page) };
    send_authed(session, Method::GET, &with_query("/staff", &query)?, None).await
}

/// The account's messages, newest first.
pub async fn messages(session: Session, page: i64) -> Result<Page<InboxMessage>, Problem> {
    let query = PageQuery { page: Some(page), per_page: Some(20) };
    send_authed(session, Method::GET, &with_query("/me/messages", &query)?, None).await
}

pub async fn mark_message_read(session: Session, id: i64) -> Result<(), Problem> {
    send_authed(session, Method::POST, &format!("/me/messages/{id}/read"), Some("{}".to_owned())).await
}

/// One child, unmasked.
pub async fn child(session: Session, id: i64) -> Result<Child, Problem> {
    send_authed(session, Method::GET, &format!("/children/{id}"), None).await
}

pub async fn add_child(session: Session, input: &ChildInput) -> Result<Child, Problem> {
    send_authed(session, Method::POST, "/children", Some(json(input)?)).await
}

/// Saves the changed fields of a child (only the keys present are replaced).
pub async fn update_child(
    session: Session,
    id: i64,
    changes: &serde_json::Map<String, serde_json::Value>,
) -> Result<Child, Problem> {
    send_authed(session, Method::PATCH, &format!("/children/{id}"), Some(json(changes)?)).await
}

/// «Получить сертификат».
pub async fn request_certificate(
    session: Session,
    child_id: i64,
    consents: &navigator_shared::consent::CertificateRequest,
) -> Result<Certificate, Problem> {
    send_authed(session, Method::POST, &format!("/children/{child_id}/certificate"), Some(json(consents)?)).await
}

// ---- the registry (activation points, operators) ------------------------------

/// A page of the registry.
pub async fn registry(session: Session, query: &RegistryQuery) -> Result<Page<RegistryRecord>, Problem> {
    send_authed(session, Method::GET, &with_query("/registry/certificates", query)?, None).await
}

/// Opens a record (the opening is audited).
pub async fn registry_card(session: Session, number: &str) -> Result<RegistryCard, Problem> {
    send_authed(session, Method::GET, &format!("/registry/certificates/{number}"), None).await
}

pub async fn fill_applicant(
    session: Session,
    number: &str,
    documents: &ApplicantDocuments,
) -> Result<RegistryCard, Problem> {
    send_authed(session, Method::PUT, &format!("/registry/certificates/{number}/applicant"), Some(json(documents)?))
        .await
}

pub async fn correct_child(
    session: Session,
    number: &str,
    correction: &ChildCorrection,
) -> Result<RegistryCard, Problem> {
    send_authed(session, Method::PATCH, &format!("/registry/certificates/{number}/child"), Some(json(correction)?))
        .await
}

/// A step of the desk without a body: `confirm-data`, `application-received`, `activate`.
pub async fn registry_step(session: Session, number: &str, step: &str) -> Result<RegistryCard, Problem> {
    send_authed(session, Method::POST, &format!("/registry/certificates/{number}/{step}"), Some("{}".to_owned())).await
}

pub async fn refuse(session: Session, number: &str, request: &RefuseRequest) -> Result<RegistryCard, Problem> {
    send_authed(session, Method::POST, &format!("/registry/certificates/{number}/refuse"), Some(json(request)?)).await
}

pub async fn renew_certificate(session: Session, child_id: i64) -> Result<Certificate, Problem> {
    send_authed(session, Method::POST, &format!("/children/{child_id}/certificate/renewal"), Some("{}".to_owned()))
        .await
}

pub async fn renew_at_desk(session: Session, number: &str) -> Result<RegistryCard, Problem> {
    send_authed(session, Method::POST, &format!("/registry/certificates/{number}/renew"), Some("{}".to_owned())).await
}

pub async fn exclude(session: Session, number: &str, request: &ExcludeRequest) -> Result<RegistryCard, Problem> {
    send_authed(session, Method::POST, &format!("/registry/certificates/{number}/exclude"), Some(json(request)?)).await
}

/// Who did what with the record's personal data, oldest first.
pub async fn audit(session: Session, number: &str) -> Result<Vec<AuditEntry>, Problem> {
    send_authed(session, Method::GET, &format!("/registry/certificates/{number}/audit"), None).await
}

/// Moves a child to the family account with `email` (operator).
pub async fn move_child(session: Session, child_id: i64, request: &MoveChildRequest) -> Result<Child, Problem> {
    send_authed(session, Method::POST, &format!("/registry/children/{child_id}/move"), Some(json(request)?)).await
}

/// Opens a family account for a parent who came to the desk.
pub async fn register_parent(session: Session, request: &InviteRequest) -> Result<AccountCreated, Problem> {
    send_authed(session, Method::POST, "/registry/parents", Some(json(request)?)).await
}

pub async fn add_family_child(session: Session, parent_id: i64, input: &ChildInput) -> Result<Child, Problem> {
    send_authed(session, Method::POST, &format!("/registry/parents/{parent_id}/children"), Some(json(input)?)).await
}

pub async fn create_certificate(session: Session, child_id: i64) -> Result<Certificate, Problem> {
    send_authed(session, Method::POST, &format!("/registry/children/{child_id}/certificate"), Some("{}".to_owned()))
        .await
}

/// A printable form (the API path of a PDF) as a blob.
pub async fn pdf(session: Session, path: &str) -> Result<web_sys::Blob, Problem> {
    blob(session, path, "application/pdf").await
}

// ---- «Сообщить, когда появятся места» -----------------------------------------

/// Asks to be told of free places in `group` (`None`: any group of the program).
pub async fn ask_spot_alert(
    session: Session,
    program: i64,
    group: Option<i64>,
) -> Result<navigator_shared::spot_alerts::SpotAlert, Problem> {
    let body = navigator_shared::spot_alerts::SpotAlertRequest { group_id: group };
    send_authed(session, Method::POST, &format!("/programs/{program}/spot-alerts"), Some(json(&body)?)).await
}

/// The family's open requests about `program`.
pub async fn my_spot_alerts(
    session: Session,
    program: i64,
) -> Result<navigator_shared::reference::Page<navigator_shared::spot_alerts::SpotAlert>, Problem> {
    send_authed(session, Method::GET, &format!("/me/spot-alerts?program_id={program}&per_page=200"), None).await
}

pub async fn cancel_spot_alert(session: Session, id: i64) -> Result<(), Problem> {
    send_authed(session, Method::DELETE, &format!("/spot-alerts/{id}"), None).await
}

/// The link of the confirmation message: no sign-in needed.
pub async fn unsubscribe_spot_alert(token: String) -> Result<(), Problem> {
    let body = navigator_shared::spot_alerts::UnsubscribeRequest { token };
    send(Method::POST, "/spot-alerts/unsubscribe", Some(json(&body)?)).await
}

/// «Отозвать согласие» for one child: the record as it is afterwards.
pub async fn withdraw_child_consent(session: Session, child_id: i64) -> Result<Child, Problem> {
    send_authed(session, Method::POST, &format!("/children/{child_id}/consent-withdrawal"), Some("{}".to_owned())).await
}

/// «Отозвать согласие» for the whole account: the profile as it is afterwards.
pub async fn withdraw_account_consent(session: Session) -> Result<navigator_shared::accounts::Profile, Problem> {
    send_authed(session, Method::POST, "/me/consent-withdrawal", Some("{}".to_owned())).await
}

/// Everything held about the signed-in parent's family, as a JSON or PDF file.
pub async fn family_data(
    session: Session,
    format: navigator_shared::privacy::ExportFormat,
) -> Result<web_sys::Blob, Problem> {
    use navigator_shared::privacy::ExportFormat;
    let (query, mime) = match format {
        ExportFormat::Json => ("json", "application/json"),
        ExportFormat::Pdf => ("pdf", "application/pdf"),
    };
    blob(session, &format!("/me/data?format={query}"), mime).await
}

/// A file the API makes (a PDF, a CSV), as a blob of type `mime`.
pub(crate) async fn blob(session: Session, path: &str, mime: &str) -> Result<web_sys::Blob, Problem> {
    let response = fetch_authed(session, Method::GET, path, None).await?;
    if !response.ok() {
        return Err(decode::<()>(response).await.err().unwrap_or_else(|| unexpected_problem(0, None)));
    }
    let bytes = response.binary().await.map_err(|_| network_problem())?;
    let array = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    web_sys::Blob::new_with_u8_array_sequence_and_options(&array, &options).map_err(|_| unexpected_problem(200, None))
}

// ---- the production calendar (admin) ------------------------------------------

/// The days of `year` that differ from the statutory rules.
pub async fn calendar(session: Session, year: i32) -> Result<Vec<CalendarOverride>, Problem> {
    send_authed(session, Method::GET, &with_query("/calendar/overrides", &YearQuery { year })?, None).await
}

/// Adds or replaces the status of `day`.
pub async fn set_calendar_day(
    session: Session,
    day: NaiveDate,
    input: &CalendarOverrideInput,
) -> Result<CalendarOverride, Problem> {
    send_authed(session, Method::PUT, &format!("/calendar/overrides/{day}"), Some(json(input)?)).await
}

pub async fn delete_calendar_day(session: Session, day: NaiveDate) -> Result<(), Problem> {
    send_authed(session, Method::DELETE, &format!("/calendar/overrides/{day}"), None).await
}

// ---- the session ------------------------------------------------------------

/// Opens the session with a fresh access token, loading the profile for the header.
async fn start(session: Session, token: String) -> Result<(), Problem> {
    let response = fetch(Method::GET, "/me", None, Some(&token), &[]).await?;
    let profile: Profile = decode(response).await?;
    session.token.set(Some(token));
    session.user.set(Some(profile));
    Ok(())
}

type Refresh = Shared<LocalBoxFuture<'static, Result<TokenResponse, Problem>>>;

thread_local! {
    /// The refresh in flight: the refresh token rotates on every use, so two
    /// parallel refreshes would present a spent token and end the session.
    static REFRESHING: RefCell<Option<Refresh>> = const { RefCell::new(None) };
}

/// Exchanges the refresh cookie for a new access token; callers that come
/// while a refresh is running wait for that one.
async fn refresh_once() -> Result<TokenResponse, Problem> {
    let refresh = REFRESHING.with(|slot| {
        slot.borrow_mut()
            .get_or_insert_with(|| {
                async {
                    let result = send(Method::POST, "/auth/refresh", Some("{}".to_owned())).await;
                    REFRESHING.with(|slot| slot.borrow_mut().take());
                    result
                }
                .boxed_local()
                .shared()
            })
            .clone()
    });
    refresh.await
}

// ---- the one request helper -------------------------------------------------

/// A request without credentials; the answer decoded as `T` (`()` for 204).
async fn send<T: DeserializeOwned>(method: Method, path: &str, body: Option<String>) -> Result<T, Problem> {
    decode(fetch(method, path, body.as_deref(), None, &[]).await?).await
}

/// A request on behalf of the signed-in user: on 401 the access token is
/// refreshed once and the request repeated; when that fails the session ends.
async fn send_authed<T: DeserializeOwned>(
    session: Session,
    method: Method,
    path: &str,
    body: Option<String>,
) -> Result<T, Problem> {
    decode(fetch_authed(session, method, path, body).await?).await
}

/// The answer to a request on behalf of the signed-in user, not yet read.
async fn fetch_authed(session: Session, method: Method, path: &str, body: Option<String>) -> Result<Response, Problem> {
    fetch_authed_with(session, method, path, body, &[]).await
}

/// [`fetch_authed`] with more request headers.
async fn fetch_authed_with(
    session: Session,
    method: Method,
    path: &str,
    body: Option<String>,
    headers: &[(&str, &str)],
) -> Result<Response, Problem> {
    let sent_with = session.token.get_untracked();
    if let Some(token) = &sent_with {
        let response = fetch(method.clone(), path, body.as_deref(), Some(token), headers).await?;
        if response.status() != 401 {
            return Ok(response);
        }
    }
    let current = session.token.get_untracked();
    // Another request may have refreshed the token while this one was on its way.
    let token = match current {
        Some(token) if current != sent_with => token,
        _ => match refresh_once().await {
            Ok(tokens) => {
                session.token.set(Some(tokens.access_token.clone()));
                tokens.access_token
            }
            // The server refused the session; a network or server failure leaves it be.
            Err(problem) if matches!(problem.status, 400 | 401 | 403) => {
                session.expire();
                return Err(session_expired());
            }
            Err(problem) => return Err(problem),
        },
    };
    let response = fetch(method, path, body.as_deref(), Some(&token), headers).await?;
    if response.status() == 401 {
        session.expire();
        return Err(session_expired());
    }
    Ok(response)
}

/// `path?query`, the query's fields URL-encoded (the absent ones left out).
pub(crate) fn with_query<Q: Serialize>(path: &str, query: &Q) -> Result<String, Problem> {
    let encoded = serde_urlencoded::to_string(query).map_err(|_| unexpected_problem(0, None))?;
    Ok(if encoded.is_empty() { path.to_owned() } else { format!("{path}?{encoded}") })
}

async fn fetch(
    method: Method,
    path: &str,
    body: Option<&str>,
    token: Option<&str>,
    headers: &[(&str, &str)],
) -> Result<Response, Problem> {
    // The query, if any, is in `path` already encoded (`with_query`).
    let mut request = RequestBuilder::new(&format!("{BASE}{path}"))
        .method(method)
        .credentials(RequestCredentials::SameOrigin)
        .header("Accept", "application/json, application/problem+json");
    if let Some(token) = token {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let request = match body {
        Some(body) => request.header("Content-Type", "application/json").body(body),
        None => request.build(),
    };
    request.map_err(|_| network_problem())?.send().await.map_err(|_| network_problem())
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, Problem> {
    let status = response.status();
    let retry_after = response.headers().get("Retry-After");
    let text = response.text().await.map_err(|_| network_problem())?;
    if response.ok() {
        let text = if text.trim().is_empty() { "null" } else { text.as_str() };
        serde_json::from_str(text).map_err(|_| unexpected_problem(status, None))
    } else {
        Err(serde_json::from_str(&text).unwrap_or_else(|_| unexpected_problem(status, retry_after)))
    }
}

fn json<T: Serialize>(value: &T) -> Result<String, Problem> {
    serde_json::to_string(value).map_err(|_| unexpected_problem(0, None))
}

fn problem(status: u16, code: ErrorCode, detail: String) -> Problem {
    Problem {
        type_: "about:blank".to_owned(),
        title: String::new(),
        status,
        code: code.as_str().to_owned(),
        detail,
        errors: FieldErrors::new(),
    }
}

/// The request did not reach the server (status 0).
fn network_problem() -> Problem {
    problem(
        0,
        ErrorCode::NetworkError,
        "Не удалось связаться с сервером. Проверьте подключение к интернету и повторите попытку.".to_owned(),
    )
}

fn session_expired() -> Problem {
    problem(401, ErrorCode::SessionExpired, "Сеанс завершён. Войдите снова.".to_owned())
}

/// An answer that is not the API's JSON (a proxy page, an empty body).
fn unexpected_problem(status: u16, retry_after: Option<String>) -> Problem {
    let detail = match status {
        429 => match retry_after {
            Some(seconds) => format!("Слишком много попыток. Повторите через {seconds} с."),
            None => "Слишком много попыток. Повторите позже.".to_owned(),
        },
        500.. => "Сервис временно недоступен. Повторите попытку позже.".to_owned(),
        _ => "Не удалось выполнить запрос. Обновите страницу и повторите попытку.".to_owned(),
    };
    problem(status, ErrorCode::UnexpectedResponse, detail)
}
