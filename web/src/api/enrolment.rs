//! The money flow of the client: applications, contracts, the certificate's
//! ledger, funding periods and requests, the organization's register.
//!
//! The POSTs that create applications or move money carry an
//! `Idempotency-Key`, made fresh for each user action; a request that did
//! not reach the server is sent once more with the same key, so a flaky
//! connection can never apply twice or reserve twice.

use gloo_net::http::Method;
use navigator_shared::Problem;
use navigator_shared::applications::{
    Application, ApplicationInput, ApplicationsQuery, Contract, ContractOfferInput, ExpelRequest, MonthlyRegister,
    PaperContractInput, RegisterQuery, RejectRequest, TransferRequest, WithdrawalInput,
};
use navigator_shared::contract::ContractDocument;
use navigator_shared::funding::{
    FundingPeriod, FundingPeriodInput, FundingRefuseRequest, FundingRequest, FundingRequestsQuery, Ledger,
};
use navigator_shared::reference::Page;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Session, blob, decode, fetch_authed_with, json, send_authed, with_query};

/// A POST that must happen at most once: one key for the action, one more
/// attempt with the same key when the connection failed.
pub(super) async fn post_once<T: DeserializeOwned>(
    session: Session,
    path: &str,
    body: &impl Serialize,
) -> Result<T, Problem> {
    let body = json(body)?;
    let key = action_key();
    let headers = [("Idempotency-Key", key.as_str())];
    match fetch_authed_with(session, Method::POST, path, Some(body.clone()), &headers).await {
        Err(problem) if problem.status == 0 => {
            decode(fetch_authed_with(session, Method::POST, path, Some(body), &headers).await?).await
        }
        answer => decode(answer?).await,
    }
}

/// A key no other action of this browser will use.
fn action_key() -> String {
    let now = js_sys::Date::now() as u64;
    let random = (js_sys::Math::random() * 1e15) as u64;
    format!("web-{now:x}-{random:x}")
}

// ---- applications -------------------------------------------------------------------

/// «Записаться»: the family applies for its child; staff for a visitor by certificate number.
pub async fn apply(session: Session, input: &ApplicationInput) -> Result<Application, Problem> {
    post_once(session, "/applications", input).await
}

/// The family's applications, or the organization's inbox; `query` without `?`.
pub async fn applications(session: Session, query: &ApplicationsQuery) -> Result<Page<Application>, Problem> {
    send_authed(session, Method::GET, &with_query("/applications", query)?, None).await
}

pub async fn application(session: Session, id: i64) -> Result<Application, Problem> {
    send_authed(session, Method::GET, &format!("/applications/{id}"), None).await
}

/// A step without a body: `cancel`, `confirm`, `enroll`, `complete`,
/// `withdrawal/confirm`.
pub async fn application_step(session: Session, id: i64, step: &str) -> Result<Application, Problem> {
    post_once(session, &format!("/applications/{id}/{step}"), &serde_json::json!({})).await
}

pub async fn reject_application(session: Session, id: i64, request: &RejectRequest) -> Result<Application, Problem> {
    post_once(session, &format!("/applications/{id}/reject"), request).await
}

pub async fn expel(session: Session, id: i64, request: &ExpelRequest) -> Result<Application, Problem> {
    post_once(session, &format!("/applications/{id}/expel"), request).await
}

/// «Перевести в другую группу» (organization staff).
pub async fn transfer(session: Session, id: i64, request: &TransferRequest) -> Result<Application, Problem> {
    post_once(session, &format!("/applications/{id}/transfer"), request).await
}

/// «Отчислить ребёнка»: the family's request to leave with the last day of studies.
pub async fn request_withdrawal(session: Session, id: i64, input: &WithdrawalInput) -> Result<Application, Problem> {
    post_once(session, &format!("/applications/{id}/withdrawal"), input).await
}

// ---- contracts ----------------------------------------------------------------------

pub async fn offer_contract(session: Session, application_id: i64, module_id: i64) -> Result<Contract, Problem> {
    post_once(session, &format!("/applications/{application_id}/contract-offers"), &ContractOfferInput { module_id })
        .await
}

/// The family accepts: the price is reserved on the certificate and the child enrolled.
/// The contract with its text as offered (for the family and the organization).
pub async fn contract_document(session: Session, id: i64) -> Result<ContractDocument, Problem> {
    send_authed(session, Method::GET, &format!("/contracts/{id}"), None).await
}

pub async fn accept_contract(session: Session, id: i64) -> Result<Contract, Problem> {
    post_once(session, &format!("/contracts/{id}/accept"), &serde_json::json!({})).await
}

/// The organization registers the contract the family signed on paper.
pub async fn register_paper_contract(
    session: Session,
    id: i64,
    input: &PaperContractInput,
) -> Result<Contract, Problem> {
    post_once(session, &format!("/contracts/{id}/paper"), input).await
}

/// The organization's register of `month` (`YYYY-MM`).
pub async fn register(session: Session, month: &str) -> Result<MonthlyRegister, Problem> {
    let query = RegisterQuery { month: Some(month.to_owned()) };
    send_authed(session, Method::GET, &with_query("/cabinet/register", &query)?, None).await
}

/// The same register as a CSV file.
pub async fn register_csv(session: Session, month: &str) -> Result<web_sys::Blob, Problem> {
    let query = RegisterQuery { month: Some(month.to_owned()) };
    blob(session, &with_query("/cabinet/register.csv", &query)?, "text/csv").await
}

// ---- the certificate's money ----------------------------------------------------------

/// Entries of the ledger on a page.
pub const LEDGER_PER_PAGE: i64 = 50;

/// The certificate's sums with one page of its entries.
pub async fn ledger(session: Session, number: &str, page: i64) -> Result<Ledger, Problem> {
    let query = navigator_shared::reference::PageQuery { page: Some(page), per_page: Some(LEDGER_PER_PAGE) };
    send_authed(session, Method::GET, &super::with_query(&format!("/certificates/{number}/ledger"), &query)?, None)
        .await
}

/// «Запросить номинал» for this year.
/// «Запросить номинал» of the certificate of `kind` (ПФДО or social).
pub async fn request_funding(
    session: Session,
    child_id: i64,
    kind: navigator_shared::funding::FundingKind,
) -> Result<FundingRequest, Problem> {
    let path = format!("/children/{child_id}/certificate/funding-requests?kind={}", kind.as_str());
    post_once(session, &path, &serde_json::json!({})).await
}

// ---- funding (operators) ----------------------------------------------------------------

pub async fn funding_periods(session: Session) -> Result<Vec<FundingPeriod>, Problem> {
    send_authed(session, Method::GET, "/funding-periods", None).await
}

pub async fn create_funding_period(session: Session, input: &FundingPeriodInput) -> Result<FundingPeriod, Problem> {
    send_authed(session, Method::POST, "/funding-periods", Some(json(input)?)).await
}

pub async fn update_funding_period(
    session: Session,
    id: i64,
    input: &FundingPeriodInput,
) -> Result<FundingPeriod, Problem> {
    send_authed(session, Method::PUT, &format!("/funding-periods/{id}"), Some(json(input)?)).await
}

/// The queue; `query` without `?` (`status=submitted&page=1`).
pub async fn funding_requests(session: Session, query: &FundingRequestsQuery) -> Result<Page<FundingRequest>, Problem> {
    send_authed(session, Method::GET, &with_query("/funding-requests", query)?, None).await
}

pub async fn approve_funding(session: Session, id: i64) -> Result<FundingRequest, Problem> {
    post_once(session, &format!("/funding-requests/{id}/approve"), &serde_json::json!({})).await
}

pub async fn refuse_funding(
    session: Session,
    id: i64,
    request: &FundingRefuseRequest,
) -> Result<FundingRequest, Problem> {
    post_once(session, &format!("/funding-requests/{id}/reject"), request).await
}
