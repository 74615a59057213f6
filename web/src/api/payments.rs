//! Paying providers: the organization's advance and invoice of a month, the
//! operator's queue of payment requests and the month's payment register.
//!
//! The POSTs carry an `Idempotency-Key` ([`post_once`]): sending a request
//! or deciding on it happens once however the connection behaves.

use chrono::NaiveDate;
use gloo_net::http::Method;
use navigator_shared::Problem;
use navigator_shared::payments::{
    PaymentMonth, PaymentMonthQuery, PaymentPaidInput, PaymentRegister, PaymentRegisterQuery, PaymentRequest,
    PaymentRequestInput, PaymentRequestUpdate, PaymentRequestsQuery, PaymentReturnInput,
};
use navigator_shared::reference::Page;

use super::enrolment::post_once;
use super::{Session, blob, json, send_authed, with_query};

// ---- the organization ---------------------------------------------------------------

/// The organization's `month` (`YYYY-MM`; the server's current month when empty).
pub async fn month(session: Session, month: &str) -> Result<PaymentMonth, Problem> {
    let query = PaymentMonthQuery { month: (!month.trim().is_empty()).then(|| month.to_owned()) };
    send_authed(session, Method::GET, &with_query("/cabinet/payments", &query)?, None).await
}

/// A draft advance or invoice of the organization.
pub async fn create(session: Session, input: &PaymentRequestInput) -> Result<PaymentRequest, Problem> {
    post_once(session, "/cabinet/payments", input).await
}

/// Corrects a draft or returned request.
pub async fn update(session: Session, id: i64, input: &PaymentRequestUpdate) -> Result<PaymentRequest, Problem> {
    send_authed(session, Method::PUT, &format!("/payment-requests/{id}"), Some(json(input)?)).await
}

/// Sends a draft or corrected request to the operator.
pub async fn submit(session: Session, id: i64) -> Result<PaymentRequest, Problem> {
    post_once(session, &format!("/payment-requests/{id}/submit"), &serde_json::json!({})).await
}

// ---- both -----------------------------------------------------------------------------

/// The organization's own requests, or the operator's queue (without lines).
pub async fn requests(session: Session, query: &PaymentRequestsQuery) -> Result<Page<PaymentRequest>, Problem> {
    send_authed(session, Method::GET, &with_query("/payment-requests", query)?, None).await
}

/// One request with its lines.
pub async fn request(session: Session, id: i64) -> Result<PaymentRequest, Problem> {
    send_authed(session, Method::GET, &format!("/payment-requests/{id}"), None).await
}

/// The API path of a request's PDF (for [`crate::pages::desk::PrintLink`]).
pub fn document_path(id: i64) -> String {
    format!("/payment-requests/{id}/document.pdf")
}

/// An invoice's lines as a CSV file.
pub async fn lines_csv(session: Session, id: i64) -> Result<web_sys::Blob, Problem> {
    blob(session, &format!("/payment-requests/{id}/lines.csv"), "text/csv").await
}

// ---- the operator ---------------------------------------------------------------------

pub async fn approve(session: Session, id: i64) -> Result<PaymentRequest, Problem> {
    post_once(session, &format!("/payment-requests/{id}/approve"), &serde_json::json!({})).await
}

/// Returns a sent request to the organization with what to correct.
pub async fn send_back(session: Session, id: i64, input: &PaymentReturnInput) -> Result<PaymentRequest, Problem> {
    post_once(session, &format!("/payment-requests/{id}/return"), input).await
}

/// Records the payment order that paid an approved request.
pub async fn mark_paid(session: Session, id: i64, input: &PaymentPaidInput) -> Result<PaymentRequest, Problem> {
    post_once(session, &format!("/payment-requests/{id}/pay"), input).await
}

fn register_query(month: &str) -> PaymentRegisterQuery {
    PaymentRegisterQuery { month: month.to_owned(), municipality_id: None }
}

/// The payment register of `month` (`YYYY-MM`): approved and paid requests.
pub async fn register(session: Session, month: &str) -> Result<PaymentRegister, Problem> {
    send_authed(session, Method::GET, &with_query("/payment-register", &register_query(month))?, None).await
}

/// The same register as a CSV file.
pub async fn register_csv(session: Session, month: &str) -> Result<web_sys::Blob, Problem> {
    blob(session, &with_query("/payment-register.csv", &register_query(month))?, "text/csv").await
}

/// The API path of the register's PDF of `month` (for [`crate::pages::desk::PrintLink`]).
pub fn register_pdf_path(month: NaiveDate) -> String {
    format!("/payment-register.pdf?month={}", month.format("%Y-%m"))
}
