//! The certificate registry as activation staff and operators work with it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::FieldErrors;
use crate::accounts::{ProfileUpdate, ValidProfileUpdate};
use crate::children::{Certificate, CertificateStatus, Child, ExcludeReason, RefuseReason};

/// Search of the registry: by certificate number, or by last name and birth
/// date; operators may also browse their municipality by status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct RegistryQuery {
    /// 10-digit certificate number.
    pub number: Option<String>,
    /// Child's last name (with `birth_date`).
    pub last_name: Option<String>,
    /// Child's birth date (with `last_name`).
    pub birth_date: Option<NaiveDate>,
    /// Operators: only this status; `overdue` — pending past the documents
    /// deadline; `awaiting_decision` — documents complete, the decision
    /// queue by its deadline.
    pub status: Option<String>,
    /// Page number, from 1.
    pub page: Option<i64>,
    /// Page size, 1..=200.
    pub per_page: Option<i64>,
}

/// A line of the registry (personal numbers masked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistryRecord {
    pub number: String,
    pub status: CertificateStatus,
    pub status_title: String,
    pub documents_due: NaiveDate,
    pub child_id: i64,
    /// «Фамилия Имя Отчество».
    pub child_name: String,
    pub birth_date: NaiveDate,
    /// Masked: `***-***-*89 64`.
    pub snils: String,
    pub municipality_id: i64,
    pub created_at: DateTime<Utc>,
    /// Documents complete: the last day of the decision.
    pub decision_due: Option<NaiveDate>,
}

/// The applicant as the activation point sees them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Applicant {
    pub id: i64,
    pub full_name: String,
    pub email: String,
    pub email_confirmed: bool,
    pub phone: String,
    /// What the printed forms need and the applicant has not given online
    /// («паспорт», «адрес»): the desk fills it in by hand from the documents.
    #[serde(default)]
    pub missing_for_forms: Vec<String>,
}

/// A registry record opened at the desk: everything needed to compare with
/// the documents. Each opening is written to the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistryCard {
    pub certificate: Certificate,
    pub child: Child,
    pub applicant: Applicant,
    /// When staff confirmed the child's data against the documents.
    pub data_confirmed_at: Option<DateTime<Utc>>,
    /// When the signed application and consent were received.
    pub application_received_at: Option<DateTime<Utc>>,
    /// The caller's desk has no right to the full personal data: the child's
    /// document number and СНИЛС are masked.
    pub personal_data_hidden: bool,
    /// The caller may activate or refuse the certificate (otherwise the
    /// operator decides, by `certificate.decision_due`).
    pub may_decide: bool,
    /// The consents the applicant ticked online at the certificate request;
    /// none: take them in writing at the desk.
    pub online_consent: Option<crate::consent::OnlineConsent>,
}

/// A correction of the child's data by staff: the changed fields and why.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChildCorrection {
    /// Fields of the child to change (same names as in `ChildInput`).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub changes: serde_json::Map<String, serde_json::Value>,
    /// Why, e.g. «опечатка в отчестве, сверено со свидетельством о рождении».
    pub reason: String,
}

/// The applicant's identity document and address, entered at the desk from
/// the paper passport when the family did not give them online: the printed
/// application and consent need them. Every field is required.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicantDocuments {
    /// 4 digits.
    pub passport_series: String,
    /// 6 digits.
    pub passport_number: String,
    pub passport_issued_by: String,
    pub passport_issued_at: Option<NaiveDate>,
    /// Registration address, as in the passport.
    pub address: String,
}

impl ApplicantDocuments {
    /// The profile change these documents make, each field required.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidProfileUpdate, FieldErrors> {
        let mut e = FieldErrors::new();
        for (field, value, message) in [
            ("passport_series", &self.passport_series, "Укажите серию паспорта"),
            ("passport_number", &self.passport_number, "Укажите номер паспорта"),
            ("passport_issued_by", &self.passport_issued_by, "Укажите, кем выдан паспорт"),
            ("address", &self.address, "Укажите адрес регистрации"),
        ] {
            if value.trim().is_empty() {
                e.add(field, message);
            }
        }
        if self.passport_issued_at.is_none() {
            e.add("passport_issued_at", "Укажите дату выдачи паспорта");
        }
        if !e.is_empty() {
            return Err(e);
        }
        // Every field is given: the profile's own rules check their form.
        ProfileUpdate {
            passport_series: Some(self.passport_series.clone()),
            passport_number: Some(self.passport_number.clone()),
            passport_issued_by: Some(self.passport_issued_by.clone()),
            passport_issued_at: Some(self.passport_issued_at),
            address: Some(self.address.clone()),
            ..ProfileUpdate::default()
        }
        .validate(today)
    }
}

/// Refusal of a certificate.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefuseRequest {
    pub reason: RefuseReason,
    #[serde(default)]
    pub comment: String,
}

/// Exclusion of a certificate from the registry.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExcludeRequest {
    pub reason: ExcludeReason,
    #[serde(default)]
    pub comment: String,
}

/// The Russian name of an audit entry's `action`, as staff and families read it.
pub fn action_title(action: &str) -> &str {
    match action {
        "view" => "Просмотр",
        "correct" => "Исправление",
        "confirm_data" => "Данные подтверждены",
        "application_received" => "Заявление получено",
        "activate" => "Активация",
        "refuse" => "Отказ",
        "exclude" => "Исключение",
        "renew" => "Подача заново",
        "print" => "Печать",
        "create" => "Добавление",
        "move" => "Перенос",
        "transfer" => "Перевод в другую группу",
        "not_duplicate" => "Отмечено: не дубликат",
        "withdraw_consent" => "Отзыв согласия на обработку данных",
        "apply" => "Подана заявка",
        "sign" => "Подписан договор",
        "request_leave" => "Подано заявление об отчислении",
        "invite_guardian" => "Приглашён представитель",
        "join_guardian" => "Принято приглашение представителя",
        "end_guardian" => "Доступ представителя прекращён",
        other => other,
    }
}

/// One entry of the audit log of a child's personal data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: i64,
    /// «Фамилия Имя» of the staff member.
    pub actor_name: String,
    /// `view`, `correct`, `confirm_data`, `application_received`, `activate`,
    /// `refuse`, `exclude`, `print`.
    pub action: String,
    /// For corrections: `{field: {old, new}}` (personal numbers masked).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub changes: Option<serde_json::Value>,
    pub reason: Option<String>,
}

/// Moving a child to another family account (operator).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MoveChildRequest {
    /// Email of the family account that receives the child.
    pub email: String,
    /// Why, e.g. «дубль учётной записи, заявление от 20.11.2026».
    #[serde(default)]
    pub reason: String,
}

impl MoveChildRequest {
    pub fn validate(&self) -> Result<crate::validate::Email, crate::FieldErrors> {
        let mut e = crate::FieldErrors::new();
        let email = e.check("email", crate::validate::Email::parse(&self.email));
        e.finish(|| email)
    }
}

crate::code_enum! {
    /// Why the duplicate finder offers two records as one child.
    pub enum DuplicateReason {
        /// The same full name and birth date under different СНИЛС.
        SameName = ("same_name", "Совпадают ФИО и дата рождения, СНИЛС разные"),
        /// Names one or two letters apart, the same birth date and address.
        SimilarName = ("similar_name", "Похожие ФИО, та же дата рождения и тот же адрес"),
    }
}

/// One record of a possible duplicate, as the operator compares it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuplicateChild {
    pub id: i64,
    /// «Фамилия Имя Отчество».
    pub full_name: String,
    pub birth_date: NaiveDate,
    pub address: String,
    pub municipality: String,
    /// The family account: «Фамилия Имя» and its email.
    pub parent_name: String,
    pub parent_email: String,
    /// The certificate's number (the registry record), if any.
    pub certificate_number: Option<String>,
    pub certificate_status: Option<CertificateStatus>,
}

/// Two records that may be one child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuplicatePair {
    pub reason: DuplicateReason,
    pub reason_title: String,
    /// The older record first.
    pub children: Vec<DuplicateChild>,
}

/// «Не дубликат»: the two records are two children.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotDuplicateRequest {
    /// The pair's two children.
    pub child_ids: Vec<i64>,
    /// What the operator checked, e.g. «разные дети: близнецы, свидетельства сверены».
    #[serde(default)]
    pub reason: String,
}

impl NotDuplicateRequest {
    /// The pair, the smaller id first, and the reason.
    pub fn validate(&self) -> Result<((i64, i64), String), FieldErrors> {
        let mut errors = FieldErrors::new();
        let pair = match self.child_ids.as_slice() {
            [a, b] if a != b => Some(((*a).min(*b), (*a).max(*b))),
            _ => {
                errors.add("child_ids", "Укажите двух разных детей");
                None
            }
        };
        let reason = self.reason.trim().to_owned();
        if reason.chars().count() < 3 {
            errors.add("reason", "Укажите, что проверено");
        } else if reason.chars().count() > 500 {
            errors.add("reason", "Не длиннее 500 знаков");
        }
        errors.finish(|| pair.map(|p| (p, reason)))
    }
}
