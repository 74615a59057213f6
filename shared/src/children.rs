//! Children of a family account and their certificates: bodies and rules.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::FieldErrors;
use crate::ages::AgeRange;
use crate::ages::age_on;
use crate::code_enum;
use crate::validate::{self, NamePart, PersonName};

code_enum! {
    /// Sex of a child.
    pub enum Sex {
        Male = ("male", "мужской"),
        Female = ("female", "женский"),
    }
}

code_enum! {
    /// Identity document of a child.
    pub enum DocumentType {
        /// Свидетельство о рождении.
        BirthCertificate = ("birth_certificate", "Свидетельство о рождении"),
        /// Паспорт гражданина РФ (from 14).
        Passport = ("passport", "Паспорт"),
    }
}

code_enum! {
    /// Status of a certificate in the registry.
    pub enum CertificateStatus {
        /// Waiting for the documents at an activation point.
        Pending = ("pending", "в обработке"),
        Active = ("active", "активирован"),
        Refused = ("refused", "отказано"),
        /// The documents were not brought before the deadline.
        Lapsed = ("lapsed", "не активирован в срок"),
        Excluded = ("excluded", "исключён из реестра"),
    }
}

code_enum! {
    /// Kind of certificate: accounting only, or funded with a nominal.
    pub enum CertificateKind {
        Accounting = ("accounting", "сертификат учёта"),
        Funded = ("funded", "сертификат персонифицированного финансирования"),
    }
}

code_enum! {
    /// Official reasons to refuse a certificate (seed 001).
    pub enum RefuseReason {
        AlreadyHasCertificate = ("already_has_certificate", "у ребёнка уже есть сертификат"),
        IncompleteOrFalseData = ("incomplete_or_false_data", "представлены неполные или недостоверные сведения"),
        NoResidenceInRegion = ("no_residence_in_region", "ребёнок не проживает на территории региона"),
        NoConsent = ("no_consent", "нет согласия на обработку персональных данных и с правилами ПФ ДОД"),
    }
}

code_enum! {
    /// Official reasons to exclude a certificate from the registry (seed 001).
    pub enum ExcludeReason {
        ApplicantRequest = ("applicant_request", "письменное заявление заявителя"),
        MovedOutOfRegion = ("moved_out_of_region", "смена места жительства за пределы региона"),
    }
}

/// The Russian text of a refusal or exclusion reason code.
pub fn reason_title(code: &str) -> Option<&'static str> {
    RefuseReason::parse(code).map(RefuseReason::title).or_else(|| ExcludeReason::parse(code).map(ExcludeReason::title))
}

/// A child's data as a parent (or staff) enters it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChildInput {
    /// Last name (Cyrillic).
    pub last_name: String,
    /// First name (Cyrillic).
    pub first_name: String,
    /// Middle name (Cyrillic), may be empty.
    #[serde(default)]
    pub middle_name: String,
    /// Date of birth.
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    /// `male` or `female`.
    #[serde(default)]
    pub sex: Option<Sex>,
    /// `birth_certificate` or `passport`.
    #[serde(default)]
    pub document_type: Option<DocumentType>,
    /// Series: `IV-АК` for a birth certificate, 4 digits for a passport.
    #[serde(default)]
    pub document_series: String,
    /// Number: 6 digits.
    #[serde(default)]
    pub document_number: String,
    /// Date the document was issued.
    #[serde(default)]
    pub document_issued_at: Option<NaiveDate>,
    /// SNILS, 11 digits (`123-456-789 64`).
    #[serde(default)]
    pub snils: String,
    /// Residence address.
    #[serde(default)]
    pub address: String,
    /// Municipality of residence.
    #[serde(default)]
    pub municipality_id: i64,
}

/// A child's data that passed every field rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidChild {
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub document_type: DocumentType,
    pub document_series: String,
    pub document_number: String,
    pub document_issued_at: NaiveDate,
    pub snils: Snils,
    pub address: String,
    pub municipality_id: i64,
}

impl ChildInput {
    /// Checks every field; `today` and the region's upper age bound (exclusive)
    /// limit the birth date.
    pub fn validate(&self, today: NaiveDate, age_max: i32) -> Result<ValidChild, FieldErrors> {
        let mut e = FieldErrors::new();
        let last_name = e.check("last_name", PersonName::parse(&self.last_name, NamePart::Last));
        let first_name = e.check("first_name", PersonName::parse(&self.first_name, NamePart::First));
        let middle_name = e.check("middle_name", PersonName::parse_optional(&self.middle_name, NamePart::Middle));
        let birth_date = e.check("birth_date", birth_date(self.birth_date, today, age_max));
        if self.sex.is_none() {
            e.add("sex", "Укажите пол");
        }
        let document = match self.document_type {
            None => {
                e.add("document_type", "Выберите документ");
                None
            }
            Some(kind) => {
                let series = e.check("document_series", document_series(kind, &self.document_series));
                let number = e.check("document_number", document_number(&self.document_number));
                Some((kind, series, number))
            }
        };
        let issued = match (self.document_issued_at, birth_date) {
            (None, _) => {
                e.add("document_issued_at", "Укажите дату выдачи документа");
                None
            }
            (Some(date), born) => e.check(
                "document_issued_at",
                validate::past_date(date, today).and_then(|d| match born {
                    Some(born) if d < born => Err("Документ не может быть выдан раньше даты рождения".into()),
                    _ => Ok(d),
                }),
            ),
        };
        if let (Some((DocumentType::Passport, ..)), Some(born)) = (&document, birth_date)
            && age_on(born, today) < 14
        {
            e.add("document_type", "Паспорт выдаётся с 14 лет: укажите свидетельство о рождении");
        }
        let snils = e.check("snils", Snils::parse(&self.snils));
        let address = e.check("address", validate::bounded_text(&self.address, 500, "Укажите адрес проживания"));
        if self.municipality_id <= 0 {
            e.add("municipality_id", "Выберите муниципалитет");
        }
        e.finish(|| {
            let (document_type, document_series, document_number) = document?;
            Some(ValidChild {
                last_name: last_name?.into_inner(),
                first_name: first_name?.into_inner(),
                middle_name: middle_name?.map(PersonName::into_inner),
                birth_date: birth_date?,
                sex: self.sex?,
                document_type,
                document_series: document_series?,
                document_number: document_number?,
                document_issued_at: issued?,
                snils: snils?,
                address: address?,
                municipality_id: self.municipality_id,
            })
        })
    }
}

fn birth_date(date: Option<NaiveDate>, today: NaiveDate, age_max: i32) -> Result<NaiveDate, String> {
    let date = date.ok_or("Укажите дату рождения")?;
    if date > today {
        return Err("Дата рождения не может быть в будущем".into());
    }
    if !AgeRange::below(0, age_max).admits(date, today) {
        return Err(format!("Навигатор работает с детьми до {age_max} лет"));
    }
    Ok(date)
}

/// Series of the document: a birth certificate has a Roman numeral, a hyphen and
/// two Cyrillic letters (`IV-АК`; Cyrillic look-alikes of the numerals are
/// accepted), a passport has 4 digits.
pub fn document_series(kind: DocumentType, raw: &str) -> Result<String, String> {
    match kind {
        DocumentType::Passport => validate::passport_series(raw),
        DocumentType::BirthCertificate => {
            let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
            let (roman, letters) = compact.split_once('-').unwrap_or(("", ""));
            let roman: String = roman
                .chars()
                .map(|c| match c {
                    'І' | 'Ӏ' | '1' => 'I',
                    'Х' => 'X',
                    'С' => 'C',
                    'Л' => 'L',
                    'У' => 'V',
                    other => other,
                })
                .collect();
            let roman_ok = !roman.is_empty() && roman.len() <= 6 && roman.chars().all(|c| "IVXLC".contains(c));
            let letters_ok = letters.chars().count() == 2 && letters.chars().all(|c| matches!(c, 'А'..='Я' | 'Ё'));
            if roman_ok && letters_ok {
                Ok(format!("{roman}-{letters}"))
            } else {
                Err("Серия свидетельства — римские цифры, дефис и две русские буквы, например IV-АК".into())
            }
        }
    }
}

/// Number of the document: 6 digits.
pub fn document_number(raw: &str) -> Result<String, String> {
    let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.len() == 6 && compact.chars().all(|c| c.is_ascii_digit()) {
        Ok(compact)
    } else {
        Err("Номер документа — 6 цифр".into())
    }
}

/// An insurance number (СНИЛС) with a valid checksum, as 11 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Snils(String);

impl Snils {
    /// Accepts `123-456-789 64`, `12345678964` and other spacing. The last two
    /// digits are the checksum: the first nine weighted 9..1 and summed; below
    /// 100 the sum itself, 100 and 101 give 00, above that the sum mod 101.
    /// Numbers up to 001-001-998 were issued before checksums and are not checked.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if digits.is_empty() {
            return Err("Укажите СНИЛС".into());
        }
        if digits.len() != 11 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err("СНИЛС — 11 цифр, например 123-456-789 64".into());
        }
        let d: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
        let body: u32 = d[..9].iter().fold(0, |n, x| n * 10 + x);
        if body > 1_001_998 && Self::checksum(&digits[..9]) != d[9] * 10 + d[10] {
            return Err("СНИЛС указан с ошибкой: не сходится контрольное число".into());
        }
        Ok(Self(digits))
    }

    /// The control number of the first nine digits.
    pub fn checksum(body: &str) -> u32 {
        let sum: u32 = body.chars().filter_map(|c| c.to_digit(10)).zip((1..=9).rev()).map(|(x, w)| x * w).sum();
        match sum {
            0..=99 => sum,
            100 | 101 => 0,
            _ => (sum % 101) % 100,
        }
    }

    /// A valid SNILS from nine digits (demo data, tests).
    pub fn with_checksum(body: &str) -> Self {
        Self(format!("{body}{:02}", Self::checksum(body)))
    }

    pub fn digits(&self) -> &str {
        &self.0
    }

    /// `123-456-789 64`.
    pub fn formatted(&self) -> String {
        let s = &self.0;
        format!("{}-{}-{} {}", &s[0..3], &s[3..6], &s[6..9], &s[9..11])
    }
}

/// `***-***-*89 64`: what lists show of a SNILS.
pub fn mask_snils(digits: &str) -> String {
    if digits.len() != 11 {
        return "***".into();
    }
    format!("***-***-*{} {}", &digits[7..9], &digits[9..11])
}

/// `****56`: what lists show of a document number.
pub fn mask_number(number: &str) -> String {
    let tail: String = number.chars().rev().take(2).collect::<Vec<_>>().into_iter().rev().collect();
    format!("****{tail}")
}

/// A name as the registry searches it: lower-cased, `ё` read as `е`, spacing collapsed.
pub fn name_key(name: &str) -> String {
    name.to_lowercase()
        .replace('ё', "е")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" -", "-")
        .replace("- ", "-")
}

/// The key two records of one child share: the full name lower-cased, `ё`
/// read as `е`, spacing collapsed, and the birth date.
pub fn duplicate_key(last: &str, first: &str, middle: Option<&str>, birth: NaiveDate) -> String {
    format!("{}|{}|{}|{birth}", name_key(last), name_key(first), name_key(middle.unwrap_or("")))
}

/// A certificate as its family sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Certificate {
    /// 10-digit registry number.
    pub number: String,
    pub status: CertificateStatus,
    /// Russian name of the status.
    pub status_title: String,
    pub kind: CertificateKind,
    /// Last day to bring the documents to an activation point (while `pending`).
    pub documents_due: NaiveDate,
    /// Official reason of a refusal or an exclusion.
    pub reason: Option<String>,
    /// Russian text of the reason.
    pub reason_title: Option<String>,
    /// Comment of the staff member or operator.
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
    pub activated_at: Option<DateTime<Utc>>,
    /// When the activation point confirmed the child's data against the documents.
    pub data_confirmed_at: Option<DateTime<Utc>>,
    /// When the activation point registered the signed application and consent.
    pub application_received_at: Option<DateTime<Utc>>,
    /// With the documents complete: the last day for the decision on the
    /// certificate (the operator's deadline, in working days).
    pub decision_due: Option<NaiveDate>,
}

/// A child of the family, with the certificate if there is one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Child {
    pub id: i64,
    pub last_name: String,
    pub first_name: String,
    /// Empty when none.
    pub middle_name: String,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub document_type: DocumentType,
    pub document_series: String,
    /// Full in the child's own record, masked (`****56`) in lists.
    pub document_number: String,
    pub document_issued_at: NaiveDate,
    /// Full in the child's own record, masked (`***-***-*89 64`) in lists.
    pub snils: String,
    pub address: String,
    pub municipality_id: i64,
    /// Whether the family may still change the data (until the certificate is active).
    pub editable: bool,
    pub certificate: Option<Certificate>,
    /// Set once the family withdrew its consent to the processing of the
    /// child's data: nothing more can be done with the record.
    #[serde(default)]
    pub consent_withdrawal: Option<crate::consent::ConsentWithdrawal>,
    /// When the record was depersonalized (after a withdrawal, or when the
    /// child grew up and the retention period ended).
    #[serde(default)]
    pub depersonalized_at: Option<DateTime<Utc>>,
    /// Set when the caller is a second guardian of the child (not the
    /// account that holds it): who they are to the child.
    #[serde(default)]
    pub relationship: Option<crate::guardians::Relationship>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn snils_checksums() {
        assert_eq!(Snils::parse("112-233-445 95").map(|s| s.formatted()), Ok("112-233-445 95".into()));
        assert!(Snils::parse("11223344595").is_ok());
        assert!(Snils::parse("112-233-445 96").is_err());
        assert!(Snils::parse("112-233-44").is_err());
        assert!(Snils::parse("").is_err());
        // Above 101 the remainder of the division by 101: 285 mod 101 = 83.
        assert!(Snils::parse("987-654-321 83").is_ok());
        assert!(Snils::parse("987-654-321 00").is_err());
        // Sums of 100 and 101 give 00.
        assert!(Snils::parse("200-007-999 00").is_ok());
        assert!(Snils::parse("300-005-999 00").is_ok());
        assert!(Snils::parse("300-005-999 01").is_err());
        // Numbers issued before checksums are not checked.
        assert!(Snils::parse("001-001-998 12").is_ok());
    }

    #[test]
    fn birth_certificate_series_accepts_lookalikes() {
        assert_eq!(document_series(DocumentType::BirthCertificate, "iv-ак"), Ok("IV-АК".into()));
        assert_eq!(document_series(DocumentType::BirthCertificate, "ХІ-МЮ"), Ok("XI-МЮ".into()));
        assert!(document_series(DocumentType::BirthCertificate, "IV АК").is_err());
        assert!(document_series(DocumentType::BirthCertificate, "IV-AK").is_err(), "Latin letters");
        assert_eq!(document_series(DocumentType::Passport, "66 04"), Ok("6604".into()));
    }

    #[test]
    fn duplicate_keys_ignore_case_yo_and_spacing() {
        let born = date(2015, 3, 1);
        let a = duplicate_key("Ёлкина", "Анна  Мария", Some("Петровна"), born);
        let b = duplicate_key(" елкина", "анна мария ", Some("ПЕТРОВНА"), born);
        assert_eq!(a, b);
        assert_ne!(a, duplicate_key("Ёлкина", "Анна Мария", Some("Петровна"), date(2015, 3, 2)));
        assert_eq!(
            duplicate_key("Салтыкова - Щедрина", "Анна", None, born),
            duplicate_key("салтыкова-щедрина", "анна", None, born)
        );
    }

    #[test]
    fn masks_keep_only_the_tail() {
        assert_eq!(mask_snils("11223344595"), "***-***-*45 95");
        assert_eq!(mask_number("123456"), "****56");
    }
}
