//! The applicant's consents («Галочки должен поставить Заявитель!», seed 004):
//! to the processing of personal data by every operator of the certificate
//! system (seeds 001, 002) and to the rules of personalised funding. Each is
//! recorded with the version of its text and the time.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::FieldErrors;

/// The version of the texts below; a new wording gets a new version.
pub const VERSION: &str = "2026-12-03";

/// The operators of personal data the consent names (seeds 001, 002: «всеми
/// операторами персональных данных»).
pub const OPERATORS: [&str; 5] = [
    "региональному модельному центру (оператору реестра сертификатов)",
    "муниципальному опорному центру",
    "органу управления образованием региона",
    "организации, принявшей заявление",
    "поставщикам образовательных услуг, с которыми заключается договор",
];

/// The text of the consent to personal-data processing, as the checkbox shows it.
pub const PERSONAL_DATA: &str = "Даю согласие на обработку моих персональных данных и персональных данных ребёнка \
     (ФИО, дата рождения, документы, СНИЛС, адрес, контакты) операторам системы персонифицированного \
     финансирования: региональному модельному центру, муниципальному опорному центру, органу управления \
     образованием региона, пункту активации и поставщикам образовательных услуг — для выдачи, учёта и \
     использования сертификата (152-ФЗ «О персональных данных»).";

/// The text of the consent to the rules, as the checkbox shows it.
pub const RULES: &str =
    "С Правилами персонифицированного финансирования дополнительного образования детей ознакомлен(а) и согласен(на).";

/// The title of a stored consent's kind (`personal_data`, `rules`).
pub fn title_of(kind: &str) -> &'static str {
    match kind {
        "personal_data" => "Согласие на обработку персональных данных",
        _ => "Согласие с правилами персонифицированного финансирования",
    }
}

/// Both boxes must be ticked by the applicant; errors land on
/// `consent_personal_data` and `consent_rules`.
pub fn check(personal_data: bool, rules: bool, e: &mut FieldErrors) {
    if !personal_data {
        e.add("consent_personal_data", "Без согласия на обработку персональных данных сертификат не выдаётся");
    }
    if !rules {
        e.add("consent_rules", "Подтвердите согласие с Правилами ПФ ДОД");
    }
}

/// The family withdrew its consent to the processing of a child's data (or
/// of the whole account's): processing stopped at `withdrawn_at`, and the
/// data are depersonalized by `depersonalize_after` (152-ФЗ, ст. 21, ч. 5:
/// within 30 days). Money records stay, without the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsentWithdrawal {
    pub withdrawn_at: DateTime<Utc>,
    /// The data are depersonalized on the first housekeeping pass after this moment.
    pub depersonalize_after: DateTime<Utc>,
}

/// The consents the applicant gave online.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OnlineConsent {
    /// Version of the texts agreed to.
    pub version: String,
    pub given_at: DateTime<Utc>,
}

/// `POST /children/{id}/certificate`: the applicant ticks both consents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateRequest {
    #[serde(default)]
    pub consent_personal_data: bool,
    #[serde(default)]
    pub consent_rules: bool,
}

impl CertificateRequest {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        check(self.consent_personal_data, self.consent_rules, &mut e);
        e.finish(|| Some(()))
    }
}
