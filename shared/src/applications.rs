//! Applications («заявки») to groups, enrolment, contracts paid by
//! certificate and the organization's monthly register.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::funding::checked_comment;
use crate::{FieldErrors, code_enum};

/// Open applications a child may have at once, unless configured otherwise.
pub const DEFAULT_OPEN_APPLICATIONS: i32 = 10;

code_enum! {
    /// Where an application stands.
    pub enum ApplicationStatus {
        /// The group was full: the application waits for a place, in order.
        Waiting = ("waiting", "В листе ожидания"),
        /// Holds a place; the organization decides.
        Submitted = ("submitted", "Подана"),
        /// The organization invites the family to sign a contract.
        Confirmed = ("confirmed", "Подтверждена"),
        Rejected = ("rejected", "Отклонена"),
        /// Withdrawn by the family before the decision.
        Cancelled = ("cancelled", "Отменена"),
        Enrolled = ("enrolled", "Зачислен"),
        Completed = ("completed", "Обучение завершено"),
        Expelled = ("expelled", "Отчислен"),
    }
}

impl ApplicationStatus {
    /// Counted against the child's limit of open applications.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Waiting | Self::Submitted | Self::Confirmed)
    }

    /// Holds a place in the group.
    pub fn holds_place(self) -> bool {
        matches!(self, Self::Submitted | Self::Confirmed | Self::Enrolled)
    }
}

code_enum! {
    /// Why an organization rejects an application.
    pub enum RejectReason {
        NoPlaces = ("no_places", "Нет свободных мест"),
        AgeMismatch = ("age_mismatch", "Возраст ребёнка не соответствует программе"),
        NoDocuments = ("no_documents", "Не представлены необходимые документы"),
        Health = ("health", "Медицинские противопоказания"),
        ParentRequest = ("parent_request", "По заявлению родителя"),
        Other = ("other", "Другая причина"),
    }
}

code_enum! {
    /// Why a child leaves a group early («отчисление»).
    pub enum ExpelReason {
        ParentRequest = ("parent_request", "По заявлению родителя"),
        Absence = ("absence", "Длительные пропуски занятий"),
        Moved = ("moved", "Переезд"),
        Health = ("health", "По состоянию здоровья"),
        Other = ("other", "Другая причина"),
    }
}

/// `POST /applications`. A family gives `child_id`; organization staff
/// applying for a visitor give the child's `certificate_number` instead.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationInput {
    #[serde(default)]
    pub child_id: Option<i64>,
    #[serde(default)]
    pub certificate_number: Option<String>,
    pub group_id: i64,
    /// A child without a certificate: request it in the same step.
    #[serde(default)]
    pub request_certificate: bool,
    /// With `request_certificate`: the applicant's consent to the processing
    /// of personal data (`navigator_shared::consent::PERSONAL_DATA`).
    #[serde(default)]
    pub consent_personal_data: bool,
    /// With `request_certificate`: the consent to the rules of personalised funding.
    #[serde(default)]
    pub consent_rules: bool,
}

/// `POST /applications/{id}/reject`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RejectRequest {
    pub reason: RejectReason,
    #[serde(default)]
    pub comment: Option<String>,
}

/// `POST /applications/{id}/expel`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpelRequest {
    pub reason: ExpelReason,
    #[serde(default)]
    pub comment: Option<String>,
    /// The last day of studies when it was before today (the order is
    /// issued late): the contract is paid up to it and months charged for
    /// more are corrected. Empty: today.
    #[serde(default)]
    pub last_day: Option<NaiveDate>,
}

impl RejectRequest {
    pub fn comment(&self) -> Result<Option<String>, FieldErrors> {
        checked_comment(self.comment.as_deref())
    }
}

impl ExpelRequest {
    pub fn comment(&self) -> Result<Option<String>, FieldErrors> {
        checked_comment(self.comment.as_deref())
    }

    /// The last day checked: not after `today`, not before the contract
    /// (or the enrolment) was in force from; `None` for today.
    pub fn last_day(&self, in_force_from: NaiveDate, today: NaiveDate) -> Result<Option<NaiveDate>, FieldErrors> {
        match self.last_day {
            None => Ok(None),
            Some(day) if day > today => {
                Err(FieldErrors::one("last_day", "Последний день занятий не может быть в будущем"))
            }
            Some(day) if day < in_force_from => Err(FieldErrors::one(
                "last_day",
                format!("Договор действует с {}: выберите эту дату или позже", in_force_from.format("%d.%m.%Y")),
            )),
            Some(day) if day == today => Ok(None),
            Some(day) => Ok(Some(day)),
        }
    }
}

/// `POST /applications/{id}/transfer`: the organization moves a child to
/// another group of the same program, with the family's consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferRequest {
    pub group_id: i64,
    /// The family agreed to the move (recorded in the audit log).
    #[serde(default)]
    pub family_consent: bool,
}

impl TransferRequest {
    /// The field checks: the consent is required.
    pub fn check(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        if !self.family_consent {
            errors.add("family_consent", "Перевод возможен только с согласия семьи: отметьте, что оно получено");
        }
        errors.finish(|| Some(()))
    }
}

/// Working days the organization has to confirm a family's request to
/// leave; on the next day the request is confirmed without it (the family's
/// will is enough to end the contract, the organization only records it).
pub const WITHDRAWAL_CONFIRM_WORKING_DAYS: u32 = 3;

code_enum! {
    /// Where a family's request to leave a program stands («заявление об отчислении»).
    pub enum WithdrawalStatus {
        /// Waiting for the organization (confirmed without it after
        /// [`WITHDRAWAL_CONFIRM_WORKING_DAYS`]).
        Requested = ("requested", "Ждёт подтверждения организации"),
        /// Confirmed: takes effect on the day of leaving.
        Confirmed = ("confirmed", "Подтверждено, вступит в силу в день отчисления"),
        /// The child left; the contract ended that day.
        Done = ("done", "Исполнено"),
    }
}

/// `POST /applications/{id}/withdrawal`: the family asks to end the studies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WithdrawalInput {
    /// The last day of studies: today or later, not before the contract is in force.
    pub leave_on: NaiveDate,
}

impl WithdrawalInput {
    /// The day checked against `today` and the first day the contract (or
    /// the enrolment) is in force.
    pub fn check(&self, today: NaiveDate, in_force_from: NaiveDate) -> Result<NaiveDate, FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.leave_on < today {
            errors.add("leave_on", "Дата отчисления не может быть в прошлом");
        } else if self.leave_on < in_force_from {
            errors.add(
                "leave_on",
                format!("Договор действует с {}: выберите эту дату или позже", in_force_from.format("%d.%m.%Y")),
            );
        } else if self.leave_on > add_months(today, 12) {
            errors.add("leave_on", "Дата отчисления — не позже чем через год");
        }
        errors.finish(|| Some(self.leave_on))
    }
}

/// A family's request to leave, as both sides see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Withdrawal {
    pub status: WithdrawalStatus,
    pub status_title: String,
    /// The last day of studies; the contract ends on it.
    pub leave_on: NaiveDate,
    pub requested_at: DateTime<Utc>,
    /// Confirmed without the organization on this day if it does not answer.
    pub confirm_by: NaiveDate,
    pub confirmed_at: Option<DateTime<Utc>>,
    /// Confirmed because the organization did not answer in time.
    pub confirmed_automatically: bool,
}

/// `PUT /cabinet/groups/{id}/continuation`: the group of the next program
/// year holds places for the children who finished a year of the program
/// (the first right to continue) until `hold_until`; empty stops holding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContinuationInput {
    #[serde(default)]
    pub hold_until: Option<NaiveDate>,
}

impl ContinuationInput {
    /// The day: not before `today`, not after the group's last day.
    pub fn check(&self, today: NaiveDate, group_ends: NaiveDate) -> Result<Option<NaiveDate>, FieldErrors> {
        match self.hold_until {
            Some(day) if day < today => Err(FieldErrors::one("hold_until", "Дата не может быть в прошлом")),
            Some(day) if day > group_ends => {
                Err(FieldErrors::one("hold_until", "Места держат не дольше, чем идут занятия группы"))
            }
            day => Ok(day),
        }
    }
}

/// A place held for a continuing child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeldPlace {
    pub child_id: i64,
    pub child_name: String,
    pub until: NaiveDate,
}

/// Who a group holds places for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Continuation {
    pub group_id: i64,
    pub hold_until: Option<NaiveDate>,
    /// Places held now (a child who applied holds it as an application).
    pub held: Vec<HeldPlace>,
    /// Children who finished a year of the program but found no free place.
    pub without_place: i64,
}

/// The organization as the family needs it to get in touch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganizationContacts {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
}

/// An application as its family and the organization see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Application {
    pub id: i64,
    pub status: ApplicationStatus,
    pub status_title: String,
    pub child_id: i64,
    pub child_name: String,
    pub child_birth_date: NaiveDate,
    pub certificate_number: Option<String>,
    pub program_id: i64,
    pub program_title: String,
    /// The program is paid by certificate: enrolment goes through a contract.
    pub certified: bool,
    pub group_id: i64,
    pub group_name: String,
    pub schedule: String,
    pub organization: OrganizationContacts,
    /// Place in the group's waiting list, from 1 (while `waiting`).
    pub waiting_position: Option<i64>,
    /// Code of the rejection or expulsion reason.
    pub reason: Option<String>,
    pub reason_title: Option<String>,
    pub comment: Option<String>,
    /// The live contract (offered or active) or the last one.
    pub contract: Option<Contract>,
    /// The family's request to leave, once made.
    pub withdrawal: Option<Withdrawal>,
    /// The system that submitted it for the family (an integration client's
    /// name, e.g. «Госуслуги»); none when made in Navigator.
    #[serde(default)]
    pub source: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `GET /applications`: the family sees its own, staff their organization's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct ApplicationsQuery {
    pub status: Option<ApplicationStatus>,
    pub child_id: Option<i64>,
    pub program_id: Option<i64>,
    pub group_id: Option<i64>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// `POST /contracts/{id}/paper`: the organization registers the contract the
/// family signed on paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaperContractInput {
    /// The day the family signed, from the day of the offer to today.
    pub signed_on: NaiveDate,
}

impl PaperContractInput {
    /// `offered_on`: the day the contract was offered.
    pub fn validate(&self, offered_on: NaiveDate, today: NaiveDate) -> Result<NaiveDate, FieldErrors> {
        let mut e = FieldErrors::new();
        if self.signed_on > today {
            e.add("signed_on", "Дата подписания не может быть в будущем");
        } else if self.signed_on < offered_on {
            e.add("signed_on", "Договор не может быть подписан раньше, чем предложен");
        }
        e.finish(|| Some(self.signed_on))
    }
}

/// `POST /applications/{id}/contract-offers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContractOfferInput {
    pub module_id: i64,
}

code_enum! {
    /// Where a contract stands.
    pub enum ContractStatus {
        /// Offered by the organization, waiting for the family.
        Offered = ("offered", "Ожидает подписания"),
        /// Accepted: the price is reserved and charged month by month.
        Active = ("active", "Действует"),
        /// Every month charged.
        Completed = ("completed", "Исполнен"),
        /// Ended early; the rest of the reserve went back.
        Terminated = ("terminated", "Расторгнут"),
        /// The offer ended before it was accepted.
        Withdrawn = ("withdrawn", "Отозван"),
    }
}

/// A contract for a module, paid by the certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contract {
    pub id: i64,
    pub application_id: i64,
    pub status: ContractStatus,
    pub status_title: String,
    pub module_id: i64,
    pub module_name: String,
    /// The module's price, kopecks.
    pub price: i64,
    pub months: i32,
    /// First day of the first month charged.
    pub first_month: NaiveDate,
    /// First day of the last month charged.
    pub last_month: NaiveDate,
    /// The charge of every month but the last, which takes the remainder.
    pub monthly: i64,
    /// Charged so far.
    pub charged: i64,
    /// The contract ends on this day (the family asked to leave): that
    /// month is charged for the days in force, later months are not.
    pub ends_on: Option<NaiveDate>,
    /// The certificate's account that pays it: `price`, `monthly` and
    /// `charged` are kopecks, or hours for `social_hour`.
    pub account: crate::funding::Account,
    pub accepted_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// Signed on paper at the organization on this day (otherwise accepted
    /// online by the family).
    pub signed_on_paper: Option<NaiveDate>,
}

/// The charge of month `index` (0-based) of a contract of `price` over
/// `months`: equal shares, the last month takes the remainder.
pub fn monthly_share(price: i64, months: i32, index: i32) -> i64 {
    let months = i64::from(months.max(1));
    let share = price / months;
    if i64::from(index) == months - 1 { price - share * (months - 1) } else { share }
}

/// The charge of month `index` of a contract concluded on `accepted`: the
/// first month pays only for the days the contract was in force (from the
/// day of acceptance to the month's end, rounded down to a kopeck); every
/// other month is [`monthly_share`]. What a shortened first month leaves of
/// the price goes back to the certificate when the contract completes.
pub fn charge_for_month(price: i64, months: i32, index: i32, first_month: NaiveDate, accepted: NaiveDate) -> i64 {
    charge_in_force(price, months, index, first_month, accepted, None)
}

/// [`charge_for_month`] of a contract that may end early on `ends_on` (the
/// family asked to leave; that day is the last one in force): the month of
/// leaving pays for its days in force up to that day, rounded down to a
/// kopeck, and later months pay nothing. A month shortened at both ends
/// pays for the days between them.
pub fn charge_in_force(
    price: i64,
    months: i32,
    index: i32,
    first_month: NaiveDate,
    accepted: NaiveDate,
    ends_on: Option<NaiveDate>,
) -> i64 {
    let share = monthly_share(price, months, index);
    let month = add_months(first_month, index);
    let days = i64::from(days_in_month(month));
    let from = if index == 0 && month_start(accepted) == first_month { i64::from(accepted.day()) } else { 1 };
    let through = match ends_on {
        Some(end) if end < month => return 0,
        Some(end) if month_start(end) == month => i64::from(end.day()),
        _ => days,
    };
    let in_force = (through - from + 1).max(0);
    if in_force == days { share } else { share * in_force / days }
}

/// Days in the month of `date`.
pub fn days_in_month(date: NaiveDate) -> u32 {
    let next = add_months(date, 1);
    u32::try_from((next - month_start(date)).num_days()).unwrap_or(30)
}

/// First day of the month of `date`.
pub fn month_start(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

/// First day of the month `n` months after the month of `date`.
pub fn add_months(date: NaiveDate, n: i32) -> NaiveDate {
    let total = date.year() * 12 + date.month0() as i32 + n;
    NaiveDate::from_ymd_opt(total.div_euclid(12), total.rem_euclid(12) as u32 + 1, 1).unwrap_or(date)
}

/// Calendar months from the month of `from` to the month of `to`, both
/// counted; at least 1.
pub fn months_spanned(from: NaiveDate, to: NaiveDate) -> i32 {
    let months = (to.year() - from.year()) * 12 + to.month0() as i32 - from.month0() as i32 + 1;
    months.max(1)
}

/// `"2026-11"` → 1 November 2026.
pub fn parse_month(raw: &str) -> Option<NaiveDate> {
    let (year, month) = raw.trim().split_once('-')?;
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)
}

/// `GET /register?month=2026-11`: the organization's charges of a month.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct RegisterQuery {
    /// `YYYY-MM`; default: the previous month.
    pub month: Option<String>,
}

/// One contract's charge in the organization's monthly register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterRow {
    pub contract_id: i64,
    pub certificate_number: String,
    pub child_name: String,
    pub program_title: String,
    pub module_name: String,
    pub amount: i64,
}

/// «Реестр договоров» of a month: what the operator owes the organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthlyRegister {
    /// First day of the month.
    pub month: NaiveDate,
    pub organization_name: String,
    pub rows: Vec<RegisterRow>,
    pub total: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_last_month_takes_the_remainder() {
        let shares: Vec<i64> = (0..3).map(|i| monthly_share(1000, 3, i)).collect();
        assert_eq!(shares, [333, 333, 334]);
        assert_eq!(shares.iter().sum::<i64>(), 1000);
        assert_eq!(monthly_share(1000, 1, 0), 1000);
    }

    #[test]
    fn the_first_month_pays_for_the_days_in_force() {
        let september = day(2026, 9, 1);
        // Accepted on 21 September: 10 of 30 days.
        assert_eq!(charge_for_month(90_000, 3, 0, september, day(2026, 9, 21)), 10_000);
        assert_eq!(charge_for_month(90_000, 3, 0, september, september), 30_000, "from the first day: the whole month");
        assert_eq!(charge_for_month(90_000, 3, 0, september, day(2026, 8, 25)), 30_000, "accepted before it starts");
        assert_eq!(charge_for_month(90_000, 3, 1, september, day(2026, 9, 21)), 30_000, "later months in full");
        assert_eq!(
            charge_for_month(100, 1, 0, day(2027, 2, 1), day(2027, 2, 28)),
            3,
            "one day of 28, down to a kopeck"
        );
        assert_eq!(days_in_month(day(2028, 2, 10)), 29);
    }

    #[test]
    fn the_month_of_leaving_pays_for_its_days_up_to_the_last_one() {
        let september = day(2026, 9, 1);
        let leave = Some(day(2026, 10, 10));
        // October: 10 of 31 days of 30,000.
        assert_eq!(charge_in_force(90_000, 3, 1, september, september, leave), 9_677);
        assert_eq!(charge_in_force(90_000, 3, 0, september, september, leave), 30_000, "months before in full");
        assert_eq!(charge_in_force(90_000, 3, 2, september, september, leave), 0, "months after: nothing");
        // Accepted on 21 September and leaving on the 25th: 5 of 30 days.
        assert_eq!(charge_in_force(90_000, 3, 0, september, day(2026, 9, 21), Some(day(2026, 9, 25))), 5_000);
        assert_eq!(
            charge_in_force(90_000, 3, 1, september, september, Some(day(2026, 10, 31))),
            30_000,
            "the last day of the month: the whole month"
        );
    }

    #[test]
    fn months_are_counted_by_the_calendar() {
        assert_eq!(months_spanned(day(2026, 9, 15), day(2027, 5, 31)), 9);
        assert_eq!(months_spanned(day(2026, 9, 15), day(2026, 9, 20)), 1);
        assert_eq!(months_spanned(day(2026, 9, 15), day(2026, 8, 20)), 1);
        assert_eq!(add_months(day(2026, 11, 23), 2), day(2027, 1, 1));
        assert_eq!(add_months(day(2026, 1, 31), -1), day(2025, 12, 1));
        assert_eq!(parse_month("2026-11"), Some(day(2026, 11, 1)));
        assert_eq!(parse_month("2026-13"), None);
    }

    #[test]
    fn open_applications_hold_places_until_they_end() {
        assert!(ApplicationStatus::Waiting.is_open() && !ApplicationStatus::Waiting.holds_place());
        assert!(ApplicationStatus::Enrolled.holds_place() && !ApplicationStatus::Enrolled.is_open());
        assert!(!ApplicationStatus::Cancelled.holds_place());
    }
}
