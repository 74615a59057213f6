//! Funding (ПФ ДОД): the municipality's funding period for a year, the
//! family's request to credit the nominal, and the certificate's ledger.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::{FieldErrors, code_enum, validate};

/// Longest comment of a decision.
pub const COMMENT_MAX: usize = 1000;

/// What the operator enters for a funding period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FundingPeriodInput {
    pub municipality_id: i64,
    /// Calendar year the period funds.
    pub year: i32,
    /// Nominal of one certificate, kopecks.
    pub nominal: i64,
    /// Count limit: how many certificates may be funded.
    pub max_certificates: i32,
    /// Volume limit: the total of the nominals credited, kopecks.
    pub max_volume: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// The share of a month's expected charges a provider's advance may
    /// reach, percent (ПФДО rules; 80 unless set).
    #[serde(default = "default_advance_percent")]
    pub advance_percent: i32,
    /// `social` for the social certificate's period.
    #[serde(default = "default_kind")]
    pub kind: FundingKind,
    /// The nominal's unit: `hour` only for a social period (then `nominal`
    /// and `max_volume` are hours).
    #[serde(default = "default_unit")]
    pub unit: Unit,
}

fn default_kind() -> FundingKind {
    FundingKind::Personified
}

fn default_unit() -> Unit {
    Unit::Rub
}

fn default_advance_percent() -> i32 {
    crate::payments::DEFAULT_ADVANCE_PERCENT
}

impl FundingPeriodInput {
    /// Checks the numbers and the dates, which must lie in `year`.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if !(2020..=2100).contains(&self.year) {
            e.add("year", "Укажите год от 2020 до 2100");
        }
        if self.nominal <= 0 {
            e.add("nominal", "Номинал должен быть больше нуля");
        }
        if self.max_certificates <= 0 {
            e.add("max_certificates", "Число сертификатов должно быть больше нуля");
        }
        if self.max_volume <= 0 {
            e.add("max_volume", "Объём финансирования должен быть больше нуля");
        } else if self.nominal > 0 && self.max_volume < self.nominal {
            e.add("max_volume", "Объём финансирования меньше номинала одного сертификата");
        }
        if self.starts_on.year() != self.year {
            e.add("starts_on", "Начало периода должно быть в указанном году");
        }
        if self.ends_on.year() != self.year {
            e.add("ends_on", "Конец периода должен быть в указанном году");
        }
        if self.ends_on < self.starts_on {
            e.add("ends_on", "Конец периода раньше его начала");
        }
        if !(0..=100).contains(&self.advance_percent) {
            e.add("advance_percent", "Доля аванса — от 0 до 100 %");
        }
        if self.kind == FundingKind::Personified && self.unit != Unit::Rub {
            e.add("unit", "Номинал сертификата ПФДО — в рублях; в часах бывает только социальный сертификат");
        }
        e.finish(|| Some(()))
    }
}

/// A funding period with what has been used of its limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FundingPeriod {
    pub id: i64,
    pub municipality_id: i64,
    pub municipality_name: String,
    pub year: i32,
    pub nominal: i64,
    pub max_certificates: i32,
    pub max_volume: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Certificates funded so far.
    pub funded_count: i32,
    /// Nominals credited so far, kopecks.
    pub funded_volume: i64,
    /// The share of a month's expected charges an advance may reach, percent.
    pub advance_percent: i32,
    pub kind: FundingKind,
    pub unit: Unit,
}

code_enum! {
    /// Which certificate a funding period feeds and a program is paid by.
    pub enum FundingKind {
        /// The certificate of personified funding (ПФДО), in roubles.
        Personified = ("personified", "Сертификат ПФДО"),
        /// The social certificate (189-ФЗ): roubles or hours.
        Social = ("social", "Социальный сертификат"),
    }
}

code_enum! {
    /// What a nominal is counted in.
    pub enum Unit {
        Rub = ("rub", "₽"),
        Hour = ("hour", "ч."),
    }
}

code_enum! {
    /// One of a certificate's accounts: each keeps `credited = available +
    /// reserved + spent` in its own unit.
    pub enum Account {
        Personified = ("personified", "Сертификат ПФДО"),
        SocialRub = ("social_rub", "Социальный сертификат, рубли"),
        SocialHour = ("social_hour", "Социальный сертификат, часы"),
    }
}

impl Account {
    pub fn of(kind: FundingKind, unit: Unit) -> Account {
        match (kind, unit) {
            (FundingKind::Personified, _) => Account::Personified,
            (FundingKind::Social, Unit::Rub) => Account::SocialRub,
            (FundingKind::Social, Unit::Hour) => Account::SocialHour,
        }
    }

    pub fn unit(self) -> Unit {
        if self == Account::SocialHour { Unit::Hour } else { Unit::Rub }
    }

    pub fn kind(self) -> FundingKind {
        if self == Account::Personified { FundingKind::Personified } else { FundingKind::Social }
    }

    /// `amount` of this account as people read it: roubles from kopecks, or hours.
    pub fn show(self, amount: i64) -> String {
        match self.unit() {
            Unit::Rub => crate::money::rubles(amount),
            Unit::Hour => format!("{amount} ч."),
        }
    }
}

code_enum! {
    /// Where a funding request stands.
    pub enum FundingRequestStatus {
        Submitted = ("submitted", "На рассмотрении"),
        Approved = ("approved", "Номинал зачислен"),
        Refused = ("refused", "Отказано"),
    }
}

code_enum! {
    /// The official reasons to refuse funding (seed 001).
    pub enum FundingRefusal {
        CountLimit = ("count_limit", "Достигнуто предельное число сертификатов финансирования"),
        VolumeLimit = ("volume_limit", "Исчерпан объём финансирования на период"),
        NoActiveCertificate = ("no_active_certificate", "Сертификат не активирован"),
        AlreadyFunded = ("already_funded", "Номинал на этот период уже зачислен"),
    }
}

/// A request to credit the period's nominal to a certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FundingRequest {
    pub id: i64,
    pub certificate_number: String,
    /// The child's name: full for the operator, the first name for the family.
    pub child_name: String,
    pub municipality_id: i64,
    pub year: i32,
    /// Kopecks, or hours for a social period in hours.
    pub nominal: i64,
    /// The account the nominal goes to.
    pub account: Account,
    pub status: FundingRequestStatus,
    pub status_title: String,
    pub reason: Option<FundingRefusal>,
    pub reason_title: Option<String>,
    pub comment: Option<String>,
    /// The operator decides by this day (5 working days).
    pub due_date: NaiveDate,
    /// Still undecided after `due_date`.
    pub overdue: bool,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// `GET /funding-requests`: the operator's queue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct FundingRequestsQuery {
    /// Default: `submitted`.
    pub status: Option<FundingRequestStatus>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// `POST /funding-requests/{id}/reject`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FundingRefuseRequest {
    pub reason: FundingRefusal,
    #[serde(default)]
    pub comment: Option<String>,
}

impl FundingRefuseRequest {
    /// The trimmed comment, if any.
    pub fn comment(&self) -> Result<Option<String>, FieldErrors> {
        checked_comment(self.comment.as_deref())
    }
}

/// A comment of a decision: trimmed, empty is none, at most `COMMENT_MAX`.
pub fn checked_comment(raw: Option<&str>) -> Result<Option<String>, FieldErrors> {
    validate::optional_text(raw.unwrap_or(""), COMMENT_MAX).map_err(|message| {
        let mut e = FieldErrors::new();
        e.add("comment", message);
        e
    })
}

code_enum! {
    /// How a ledger entry moves money on a certificate.
    pub enum LedgerKind {
        /// The period's nominal arrives: + available.
        Credit = ("credit", "Зачисление номинала"),
        /// A contract is accepted: available → reserved.
        Reserve = ("reserve", "Резерв по договору"),
        /// A month of a contract is paid: reserved → spent.
        Charge = ("charge", "Списание"),
        /// A contract ends early: reserved → available.
        Release = ("release", "Возврат резерва"),
        /// The funding period ended: its unreserved remainder is withdrawn
        /// (− available, − credited; seed 003: the nominal is for the year).
        Expire = ("expire", "Сгорание остатка номинала"),
        /// A charged month is corrected down (the contract ended within or
        /// before it): spent → reserved, released with the rest of the reserve.
        Refund = ("refund", "Перерасчёт списания"),
    }
}

impl LedgerKind {
    /// What an entry of this kind for `amount` kopecks does to the sums.
    pub fn effect(self, amount: i64) -> LedgerEffect {
        let (available, reserved, spent) = match self {
            LedgerKind::Credit => (amount, 0, 0),
            LedgerKind::Reserve => (-amount, amount, 0),
            LedgerKind::Charge => (0, -amount, amount),
            LedgerKind::Release => (amount, -amount, 0),
            LedgerKind::Expire => (-amount, 0, 0),
            LedgerKind::Refund => (0, amount, -amount),
        };
        LedgerEffect { available, reserved, spent }
    }
}

/// What one ledger entry does to the certificate's sums, in signed kopecks:
/// a reserve moves money from available to reserved, a charge from reserved
/// to spent; only a credit or an expiry changes their total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LedgerEffect {
    pub available: i64,
    pub reserved: i64,
    pub spent: i64,
}

/// The sums of a certificate: `credited = available + reserved + spent`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Balance {
    pub credited: i64,
    /// What new contracts can use.
    pub available: i64,
    /// Held for accepted contracts, charged month by month.
    pub reserved: i64,
    pub spent: i64,
}

impl Balance {
    /// Applies one entry; `None` when it would take a sum below zero.
    pub fn apply(self, kind: LedgerKind, amount: i64) -> Option<Balance> {
        if amount <= 0 {
            return None;
        }
        let e = kind.effect(amount);
        let b = Balance {
            credited: self.credited.checked_add(e.available + e.reserved + e.spent)?,
            available: self.available.checked_add(e.available)?,
            reserved: self.reserved.checked_add(e.reserved)?,
            spent: self.spent.checked_add(e.spent)?,
        };
        (b.available >= 0 && b.reserved >= 0).then_some(b)
    }
}

/// One line of the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerEntry {
    pub id: i64,
    /// The account it moves; its unit is the amount's.
    pub account: Account,
    pub kind: LedgerKind,
    pub kind_title: String,
    /// Kopecks, always positive; `kind` says which way it moves.
    pub amount: i64,
    /// The month a charge pays for (first day of the month).
    pub month: Option<NaiveDate>,
    pub contract_id: Option<i64>,
    /// The program of the contract, for reserves, charges and releases.
    pub program_title: Option<String>,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

impl LedgerEntry {
    /// What this entry did to the sums.
    pub fn effect(&self) -> LedgerEffect {
        self.kind.effect(self.amount)
    }
}

/// `GET /certificates/{number}/ledger`: the certificate's money.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ledger {
    pub number: String,
    pub child_name: String,
    pub kind: crate::children::CertificateKind,
    pub status: crate::children::CertificateStatus,
    pub status_title: String,
    pub balance: Balance,
    /// The current year's nominal of the child's municipality, if a period is set.
    pub nominal: Option<i64>,
    /// The funding period the nominal is valid in.
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    /// The certificate serves until the child turns 18.
    pub certificate_valid_to: NaiveDate,
    /// Whether a funding request can be sent now (active, a period is open,
    /// no live request for it).
    pub can_request_funding: bool,
    /// The live funding request of the current period, if any.
    pub funding_request: Option<FundingRequest>,
    /// The social certificate's accounts the certificate holds (roubles or
    /// hours), with their sums.
    pub social: Vec<AccountBalance>,
    /// This year's social certificate period of the child's municipality, if any.
    pub social_funding: Option<SocialFunding>,
    /// A page of the entries, newest first (`?page=&per_page=`, 50 by default).
    pub entries: Vec<LedgerEntry>,
    /// Entries on all pages.
    #[serde(default)]
    pub entries_total: i64,
    #[serde(default)]
    pub page: i64,
    #[serde(default)]
    pub per_page: i64,
}

/// `?kind=social`: which certificate's nominal a funding request is for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct FundingKindQuery {
    /// `personified` when empty.
    pub kind: Option<FundingKind>,
}

/// The social certificate's nominal the family may ask for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SocialFunding {
    /// Kopecks or hours, as `unit` says.
    pub nominal: i64,
    pub unit: Unit,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    /// `POST /children/{id}/certificate/funding-requests?kind=social` may be sent now.
    pub can_request: bool,
    pub request: Option<FundingRequest>,
}

/// The sums of one of the certificate's social accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountBalance {
    pub account: Account,
    pub title: String,
    pub unit: Unit,
    pub balance: Balance,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> FundingPeriodInput {
        FundingPeriodInput {
            municipality_id: 1,
            year: 2026,
            nominal: 1_000_000,
            max_certificates: 100,
            max_volume: 100_000_000,
            starts_on: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            ends_on: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            advance_percent: 80,
            kind: FundingKind::Personified,
            unit: Unit::Rub,
        }
    }

    #[test]
    fn a_period_lies_in_its_year_and_its_limits_are_positive() {
        assert!(input().validate().is_ok());
        let wrong = FundingPeriodInput {
            nominal: 0,
            max_volume: 0,
            ends_on: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            ..input()
        };
        let errors = wrong.validate().unwrap_err();
        assert!(errors.first("nominal").is_some());
        assert!(errors.first("max_volume").is_some());
        assert!(errors.first("ends_on").is_some());
    }

    #[test]
    fn the_balance_never_goes_below_zero() {
        let b = Balance::default().apply(LedgerKind::Credit, 1000).unwrap();
        assert_eq!(b.available, 1000);
        let b = b.apply(LedgerKind::Reserve, 600).unwrap();
        assert_eq!((b.available, b.reserved), (400, 600));
        assert!(b.apply(LedgerKind::Reserve, 401).is_none());
        let b = b.apply(LedgerKind::Charge, 200).unwrap();
        let b = b.apply(LedgerKind::Release, 400).unwrap();
        assert_eq!(b, Balance { credited: 1000, available: 800, reserved: 0, spent: 200 });
        assert!(b.apply(LedgerKind::Charge, 1).is_none());
        assert!(b.apply(LedgerKind::Credit, 0).is_none());
    }

    #[test]
    fn each_entry_moves_money_between_available_reserved_and_spent() {
        let effect = |kind: LedgerKind| {
            let e = kind.effect(500);
            (e.available, e.reserved, e.spent)
        };
        assert_eq!(effect(LedgerKind::Credit), (500, 0, 0));
        assert_eq!(effect(LedgerKind::Reserve), (-500, 500, 0));
        assert_eq!(effect(LedgerKind::Charge), (0, -500, 500));
        assert_eq!(effect(LedgerKind::Release), (500, -500, 0));
        assert_eq!(effect(LedgerKind::Expire), (-500, 0, 0));
        let credited = Balance::default().apply(LedgerKind::Credit, 1000).unwrap();
        let expired = credited.apply(LedgerKind::Expire, 400).unwrap();
        assert_eq!(
            expired,
            Balance { credited: 600, available: 600, reserved: 0, spent: 0 },
            "an expiry lowers the total"
        );
    }
}
