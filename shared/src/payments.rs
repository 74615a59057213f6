//! Paying providers (ПФДО rules): each month an organization asks the
//! operator for an **advance** on the month's expected charges and then
//! closes the month with an **invoice** built from its register of contracts
//! and charges, minus the advance. Corrections of earlier months come as
//! separate lines with the original and the corrected sums. The operator
//! approves or returns a request, then marks it paid.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::funding::checked_comment;
use crate::{FieldErrors, code_enum, validate};

/// The longest note of a request.
const NOTE_MAX: usize = 500;

/// The share of the expected charges an advance may reach, unless the
/// funding period says otherwise.
pub const DEFAULT_ADVANCE_PERCENT: i32 = 80;

/// The working day of a month from which its advance may be asked (ПФДО
/// rules: «не ранее второго рабочего дня месяца»).
pub const ADVANCE_FROM_WORKING_DAY: u32 = 2;

code_enum! {
    /// What a payment request asks for.
    pub enum PaymentKind {
        /// A share of the month's expected charges, paid during the month.
        Advance = ("advance", "Заявка на авансирование"),
        /// The month's charges minus its advance, after the month.
        Invoice = ("invoice", "Счёт на оплату оказанных услуг"),
    }
}

code_enum! {
    /// Where a payment request stands.
    pub enum PaymentStatus {
        Draft = ("draft", "Черновик"),
        Submitted = ("submitted", "На рассмотрении"),
        Approved = ("approved", "Одобрена"),
        /// Sent back with the operator's comment; corrected and sent again.
        Returned = ("returned", "Возвращена на доработку"),
        Paid = ("paid", "Оплачена"),
    }
}

impl PaymentStatus {
    /// The organization may change and send it.
    pub fn editable(self) -> bool {
        matches!(self, Self::Draft | Self::Returned)
    }

    /// Counted as money the operator owes (approved or paid).
    pub fn granted(self) -> bool {
        matches!(self, Self::Approved | Self::Paid)
    }
}

/// One line of an invoice: a month's charge of a contract, or a correction
/// of an earlier month (then `original` and `corrected` are given).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentLine {
    pub contract_id: i64,
    pub certificate_number: String,
    pub child_name: String,
    pub program_title: String,
    /// First day of the month the line is about.
    pub month: NaiveDate,
    /// Kopecks; a correction that lowers an earlier month is negative.
    pub amount: i64,
    /// A correction: what earlier invoices counted for this contract and month.
    pub original: Option<i64>,
    /// A correction: what the month comes to now.
    pub corrected: Option<i64>,
}

/// A payment request as the organization and the operator see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentRequest {
    pub id: i64,
    pub organization_id: i64,
    pub organization_name: String,
    pub organization_inn: String,
    pub municipality_id: i64,
    pub kind: PaymentKind,
    pub kind_title: String,
    /// First day of the month.
    pub month: NaiveDate,
    pub status: PaymentStatus,
    pub status_title: String,
    /// What the operator is asked to pay, kopecks: the advance asked, or the
    /// invoice's lines minus the month's advance (may be below zero when the
    /// advance was more than the month came to: the rest is owed back).
    pub amount: i64,
    /// An invoice: the month's regular charges.
    pub charges: i64,
    /// An invoice: the corrections of earlier months (signed).
    pub corrections: i64,
    /// An invoice: the month's approved advance taken off.
    pub advance: i64,
    pub note: Option<String>,
    /// Why the operator returned it.
    pub return_comment: Option<String>,
    pub payment_order: Option<String>,
    pub paid_on: Option<NaiveDate>,
    /// An invoice: its lines, in the register's order (empty in lists).
    pub lines: Vec<PaymentLine>,
    pub created_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// The organization's month: what it may ask and what it has asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentMonth {
    pub month: NaiveDate,
    /// The charges expected this month from the running contracts.
    pub expected: i64,
    /// The funding period's share an advance may reach, percent.
    pub advance_percent: i32,
    /// The most an advance may ask.
    pub advance_limit: i64,
    /// The first day an advance for the month may be sent.
    pub advance_opens_on: NaiveDate,
    pub advance: Option<PaymentRequest>,
    pub invoice: Option<PaymentRequest>,
}

/// `GET /cabinet/payments?month=2026-11`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct PaymentMonthQuery {
    /// `YYYY-MM`; this month when empty.
    pub month: Option<String>,
}

/// `POST /cabinet/payments`: a draft request of the caller's organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentRequestInput {
    pub kind: PaymentKind,
    /// `YYYY-MM`.
    pub month: String,
    /// An advance: the sum asked, kopecks (the limit when empty).
    #[serde(default)]
    pub amount: Option<i64>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `PUT /payment-requests/{id}`: a draft or returned request corrected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentRequestUpdate {
    /// An advance: the sum asked, kopecks.
    #[serde(default)]
    pub amount: Option<i64>,
    #[serde(default)]
    pub note: Option<String>,
}

impl PaymentRequestUpdate {
    /// The note checked (up to 500 characters, empty is none).
    pub fn note(&self) -> Result<Option<String>, FieldErrors> {
        validate::optional_text(self.note.as_deref().unwrap_or(""), NOTE_MAX)
            .map_err(|message| FieldErrors::one("note", message))
    }
}

/// `POST /payment-requests/{id}/return`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentReturnInput {
    /// What to correct: required.
    pub comment: String,
}

impl PaymentReturnInput {
    pub fn comment(&self) -> Result<String, FieldErrors> {
        match checked_comment(Some(&self.comment))? {
            Some(comment) => Ok(comment),
            None => Err(FieldErrors::one("comment", "Напишите, что нужно исправить")),
        }
    }
}

/// `POST /payment-requests/{id}/pay`: the payment order that paid it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentPaidInput {
    /// The payment order's number («платёжное поручение»).
    pub payment_order: String,
    pub paid_on: NaiveDate,
}

impl PaymentPaidInput {
    /// The number trimmed (1 to 30 characters), the day not after `today`
    /// nor before the request was approved on `approved_on`.
    pub fn check(&self, approved_on: NaiveDate, today: NaiveDate) -> Result<String, FieldErrors> {
        let mut errors = FieldErrors::new();
        let order = self.payment_order.trim();
        if order.is_empty() {
            errors.add("payment_order", "Укажите номер платёжного поручения");
        } else if order.chars().count() > 30 {
            errors.add("payment_order", "Номер — не длиннее 30 знаков");
        }
        if self.paid_on > today {
            errors.add("paid_on", "Дата оплаты не может быть в будущем");
        } else if self.paid_on < approved_on {
            errors.add("paid_on", "Дата оплаты раньше одобрения заявки");
        }
        errors.finish(|| Some(order.to_owned()))
    }
}

/// `GET /payment-requests`: the operator's queue (their municipality), or
/// the organization's own requests.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct PaymentRequestsQuery {
    pub status: Option<PaymentStatus>,
    pub kind: Option<PaymentKind>,
    /// `YYYY-MM`.
    pub month: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The operator's payment register of a month: every approved or paid
/// request of the municipality.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentRegister {
    pub month: NaiveDate,
    pub municipality_name: String,
    pub requests: Vec<PaymentRequest>,
    pub total: i64,
}

/// `GET /payment-register?month=2026-11`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct PaymentRegisterQuery {
    /// `YYYY-MM`.
    pub month: String,
    /// The admin names the municipality; an operator's is their own.
    pub municipality_id: Option<i64>,
}

/// The share `percent` of `expected`, rounded down to a kopeck.
pub fn advance_limit(expected: i64, percent: i32) -> i64 {
    expected * i64::from(percent.clamp(0, 100)) / 100
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_advance_is_a_share_of_the_expected_charges() {
        assert_eq!(advance_limit(100_001, 80), 80_000);
        assert_eq!(advance_limit(100_000, 100), 100_000);
        assert_eq!(advance_limit(100_000, 120), 100_000);
    }

    #[test]
    fn a_payment_needs_its_order_and_a_day_in_range() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default();
        let paid = PaymentPaidInput { payment_order: " 1542 ".into(), paid_on: day(20) };
        assert_eq!(paid.check(day(10), day(25)), Ok("1542".to_owned()));
        let early = PaymentPaidInput { payment_order: String::new(), paid_on: day(5) };
        let errors = early.check(day(10), day(25)).err().unwrap_or_default();
        assert!(errors.first("payment_order").is_some() && errors.first("paid_on").is_some());
    }
}
