//! Accounts and sign-in: request and response bodies.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::code_enum;

use crate::FieldErrors;
use crate::validate::{self, Email, NamePart, Password, PersonName, Phone};

code_enum! {
    /// What an account may do.
    pub enum Role {
        /// Legal guardian: the family account.
        Parent = ("parent", "Родитель (законный представитель)"),
        /// A child of 14 or older with an account of his own.
        Learner = ("learner", "Обучающийся"),
        /// Staff of an organization.
        OrgStaff = ("org_staff", "Сотрудник организации"),
        /// Municipal or regional operator of the certificate registry.
        Operator = ("operator", "Оператор"),
        /// Regional administrator.
        Admin = ("admin", "Администратор"),
    }
}

impl Role {
    /// Staff work where they are assigned; a family chooses its own municipality.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::OrgStaff | Role::Operator | Role::Admin)
    }
}

/// Age from which a child may open an account and get a certificate himself.
pub const LEARNER_MIN_AGE: i32 = 14;
/// Age of majority: from it a person is no longer a learner of the Navigator.
pub const LEARNER_MAX_AGE: i32 = 18;

/// Registration of a family account: a parent (законный представитель), or a
/// learner of 14 or older who registers himself (`learner` with `birth_date`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterRequest {
    /// Email; a confirmation link is sent to it.
    pub email: String,
    /// Password, 12 to 128 characters.
    pub password: String,
    /// Phone, e.g. `+7 912 345-67-89`.
    pub phone: String,
    /// Last name (Cyrillic).
    pub last_name: String,
    /// First name (Cyrillic).
    pub first_name: String,
    /// Middle name (Cyrillic), may be empty.
    #[serde(default)]
    pub middle_name: String,
    /// Municipality of residence.
    pub municipality_id: i64,
    /// A learner aged 14–17 registers himself.
    #[serde(default)]
    pub learner: bool,
    /// The learner's birth date (required with `learner`).
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    /// Consent to personal-data processing (`consent::PERSONAL_DATA`), ticked by the applicant.
    #[serde(default)]
    pub consent_personal_data: bool,
    /// Consent to the rules of personalised funding (`consent::RULES`).
    #[serde(default)]
    pub consent_rules: bool,
}

/// A registration that passed every field rule.
#[derive(Debug, Clone)]
pub struct ValidRegistration {
    pub password: Password,
    pub person: Person,
    /// `Some(birth date)` for a learner, `None` for a parent.
    pub learner_birth_date: Option<NaiveDate>,
}

impl ValidRegistration {
    pub fn role(&self) -> Role {
        if self.learner_birth_date.is_some() { Role::Learner } else { Role::Parent }
    }
}

impl RegisterRequest {
    pub fn validate(&self, today: NaiveDate) -> Result<ValidRegistration, FieldErrors> {
        let mut e = FieldErrors::new();
        let password = e.check("password", Password::parse(&self.password));
        let person = Person::check(&mut e, &self.person());
        let birth_date = if self.learner {
            e.check("birth_date", learner_birth_date(self.birth_date, today)).map(Some)
        } else {
            Some(None)
        };
        crate::consent::check(self.consent_personal_data, self.consent_rules, &mut e);
        e.finish(|| Some(ValidRegistration { password: password?, person: person?, learner_birth_date: birth_date? }))
    }

    fn person(&self) -> InviteRequest {
        InviteRequest {
            email: self.email.clone(),
            phone: self.phone.clone(),
            last_name: self.last_name.clone(),
            first_name: self.first_name.clone(),
            middle_name: self.middle_name.clone(),
            municipality_id: self.municipality_id,
            organization_id: None,
        }
    }
}

/// A learner registers himself from 14 until 18.
fn learner_birth_date(birth_date: Option<NaiveDate>, today: NaiveDate) -> Result<NaiveDate, String> {
    let Some(date) = birth_date else { return Err("Укажите дату рождения".into()) };
    let age = crate::ages::age_on(date, today);
    if date > today {
        Err("Дата рождения не может быть в будущем".into())
    } else if age < LEARNER_MIN_AGE {
        Err(format!(
            "Самостоятельно регистрируются с {LEARNER_MIN_AGE} лет; младшего ребёнка регистрирует родитель \
             в своей учётной записи"
        ))
    } else if age >= LEARNER_MAX_AGE {
        Err(format!("Навигатор работает с детьми до {LEARNER_MAX_AGE} лет"))
    } else {
        Ok(date)
    }
}

/// The person behind a new account: contacts, full name, municipality.
#[derive(Debug, Clone)]
pub struct Person {
    pub email: Email,
    pub phone: Phone,
    pub last_name: PersonName,
    pub first_name: PersonName,
    pub middle_name: Option<PersonName>,
    pub municipality_id: i64,
}

impl Person {
    fn check(e: &mut FieldErrors, raw: &InviteRequest) -> Option<Person> {
        let email = e.check("email", Email::parse(&raw.email));
        let phone = e.check("phone", Phone::parse(&raw.phone));
        let last_name = e.check("last_name", PersonName::parse(&raw.last_name, NamePart::Last));
        let first_name = e.check("first_name", PersonName::parse(&raw.first_name, NamePart::First));
        let middle_name = e.check("middle_name", PersonName::parse_optional(&raw.middle_name, NamePart::Middle));
        if raw.municipality_id <= 0 {
            e.add("municipality_id", "Выберите муниципалитет");
        }
        Some(Person {
            email: email?,
            phone: phone?,
            last_name: last_name?,
            first_name: first_name?,
            middle_name: middle_name?,
            municipality_id: raw.municipality_id,
        })
    }
}

/// An account opened by staff for somebody else (a parent at the activation
/// point, a staff member of an organization): they get an email with a link
/// to confirm the address and set their password.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteRequest {
    pub email: String,
    pub phone: String,
    pub last_name: String,
    pub first_name: String,
    #[serde(default)]
    pub middle_name: String,
    pub municipality_id: i64,
    /// The organization of a new staff member (staff invitations only).
    #[serde(default)]
    pub organization_id: Option<i64>,
}

impl InviteRequest {
    pub fn validate(&self) -> Result<Person, FieldErrors> {
        let mut e = FieldErrors::new();
        let person = Person::check(&mut e, self);
        e.finish(|| person)
    }
}

/// An account that was opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountCreated {
    pub id: i64,
    pub email: String,
}

/// Where a staff member works, set by the admin (an operator's
/// municipality) or by the operator above him (an organization's staff
/// member moved between organizations of his municipality). Never part of
/// the person's own profile. The change and its reason are audited.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffAssignment {
    /// The municipality an operator administers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality_id: Option<i64>,
    /// The organization a staff member works for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<i64>,
    /// Why (an order, a transfer): 3 to 500 characters.
    pub reason: String,
}

/// An assignment that passed the field rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValidAssignment {
    Municipality(i64),
    Organization(i64),
}

impl StaffAssignment {
    pub fn validate(&self) -> Result<(ValidAssignment, String), FieldErrors> {
        let mut e = FieldErrors::new();
        let reason = e.check("reason", reason_of(&self.reason, "Укажите основание назначения"));
        let target = match (self.municipality_id, self.organization_id) {
            (Some(id), None) if id > 0 => Some(ValidAssignment::Municipality(id)),
            (None, Some(id)) if id > 0 => Some(ValidAssignment::Organization(id)),
            (Some(_), Some(_)) => {
                e.add("municipality_id", "Укажите либо муниципалитет оператора, либо организацию сотрудника");
                None
            }
            (Some(_), None) => {
                e.add("municipality_id", "Выберите муниципалитет");
                None
            }
            (None, Some(_)) => {
                e.add("organization_id", "Выберите организацию");
                None
            }
            (None, None) => {
                e.add("municipality_id", "Укажите муниципалитет оператора или организацию сотрудника");
                None
            }
        };
        e.finish(|| Some((target?, reason?)))
    }
}

/// A staff account as its administrator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffAccount {
    pub id: i64,
    pub email: String,
    pub full_name: String,
    pub role: Role,
    pub municipality_id: Option<i64>,
    pub organization_id: Option<i64>,
    /// Switched off: cannot sign in, its sessions have ended.
    pub disabled: bool,
}

/// `GET /staff`: the accounts of one role, page by page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct StaffQuery {
    /// `operator` (default) or `admin`.
    pub role: Option<Role>,
    /// Page number, 1..=100000 (default 1).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100000))]
    pub page: Option<i64>,
    /// Page size, 1..=200 (default 50).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub per_page: Option<i64>,
}

impl StaffQuery {
    pub fn pages(&self) -> crate::reference::PageQuery {
        crate::reference::PageQuery { page: self.page, per_page: self.per_page }
    }
}

/// `POST /staff`: the admin opens the account of an operator or of another
/// admin; the person gets an email with a link to set the password.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffInvite {
    /// `operator` or `admin` (an organization's staff are invited by the operator
    /// from the organizations registry).
    pub role: Role,
    pub email: String,
    pub phone: String,
    pub last_name: String,
    pub first_name: String,
    #[serde(default)]
    pub middle_name: String,
    /// The operator's municipality (what he administers); for an admin, where
    /// he works (an admin's reach is the whole region).
    pub municipality_id: i64,
}

impl StaffInvite {
    pub fn validate(&self) -> Result<Person, FieldErrors> {
        let mut e = FieldErrors::new();
        let person = Person::check(&mut e, &self.person());
        if !matches!(self.role, Role::Operator | Role::Admin) {
            e.add("role", "Здесь открываются учётные записи операторов и администраторов");
        }
        e.finish(|| person)
    }

    fn person(&self) -> InviteRequest {
        InviteRequest {
            email: self.email.clone(),
            phone: self.phone.clone(),
            last_name: self.last_name.clone(),
            first_name: self.first_name.clone(),
            middle_name: self.middle_name.clone(),
            municipality_id: self.municipality_id,
            organization_id: None,
        }
    }
}

/// `POST /staff/{id}/disable` and `/enable`: why, for the audit trail.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountSwitch {
    /// Why (a dismissal order, a return from leave): 3 to 500 characters.
    pub reason: String,
}

impl AccountSwitch {
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let mut e = FieldErrors::new();
        let reason = e.check("reason", reason_of(&self.reason, "Укажите основание"));
        e.finish(|| reason)
    }
}

/// An audited reason: 3 to 500 characters.
fn reason_of(raw: &str, missing: &'static str) -> Result<String, String> {
    let reason = validate::bounded_text(raw, 500, missing)?;
    if reason.chars().count() < 3 {
        return Err(format!("{missing} (не короче 3 символов)"));
    }
    Ok(reason)
}

/// A one-time token from an emailed link.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenRequest {
    /// The `token` parameter of the link.
    pub token: String,
}

/// A request that names an email address (password reset, resending the confirmation).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmailRequest {
    /// Email of the account.
    pub email: String,
}

impl EmailRequest {
    pub fn validate(&self) -> Result<Email, FieldErrors> {
        let mut e = FieldErrors::new();
        let email = e.check("email", Email::parse(&self.email));
        e.finish(|| email)
    }
}

/// Sign-in with email and password.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    /// Email of the account.
    pub email: String,
    /// Password.
    pub password: String,
    /// `true` (the web client): the refresh token is set as an HttpOnly cookie
    /// instead of being returned in the body.
    #[serde(default)]
    pub use_cookie: bool,
    /// The 6-digit code of the authenticator app, for an account with the
    /// second factor on (the answer `second_factor_required` asks for it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

impl LoginRequest {
    pub fn validate(&self) -> Result<Email, FieldErrors> {
        let mut e = FieldErrors::new();
        let email = e.check("email", Email::parse(&self.email));
        if self.password.is_empty() {
            e.add("password", "Введите пароль");
        } else if self.password.chars().count() > Password::MAX_LEN {
            e.add("password", "Неверный пароль");
        }
        if let Some(code) = self.code.as_deref().filter(|c| !c.trim().is_empty()) {
            e.check("code", second_factor_code(code));
        }
        e.finish(|| email)
    }

    /// The code, normalized, when one was typed.
    pub fn second_factor_code(&self) -> Option<String> {
        self.code.as_deref().filter(|c| !c.trim().is_empty()).and_then(|c| second_factor_code(c).ok())
    }
}

/// Exchange of a refresh token for a new pair; the token comes in the body or
/// in the HttpOnly cookie of the web client.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefreshRequest {
    /// The refresh token from the previous login or refresh (non-browser clients).
    #[serde(default)]
    pub refresh_token: Option<String>,
}

/// Issued tokens.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    /// Short-lived JWT for `Authorization: Bearer`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// Single-use refresh token (absent when it was set as a cookie).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

/// Setting a new password with the token of an emailed reset link.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetConfirm {
    /// The `token` parameter of the link.
    pub token: String,
    /// The new password, 12 to 128 characters.
    pub password: String,
}

impl PasswordResetConfirm {
    pub fn validate(&self) -> Result<Password, FieldErrors> {
        let mut e = FieldErrors::new();
        if self.token.trim().is_empty() {
            e.add("token", "Ссылка неполная: откройте её из письма целиком");
        }
        let password = e.check("password", Password::parse(&self.password));
        e.finish(|| password)
    }
}

/// Change of the password by a signed-in user.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordChangeRequest {
    /// The current password.
    pub current_password: String,
    /// The new password, 12 to 128 characters.
    pub new_password: String,
}

impl PasswordChangeRequest {
    pub fn validate(&self) -> Result<Password, FieldErrors> {
        let mut e = FieldErrors::new();
        if self.current_password.is_empty() {
            e.add("current_password", "Введите текущий пароль");
        }
        let password = e.check("new_password", Password::parse(&self.new_password));
        e.finish(|| password)
    }
}

/// A short confirmation for people.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Message {
    /// What happened, in Russian.
    pub detail: String,
}

impl Message {
    pub fn new(detail: impl Into<String>) -> Self {
        Self { detail: detail.into() }
    }
}

/// The signed-in user's profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Profile {
    /// Account id.
    pub id: i64,
    /// Email (the login).
    pub email: String,
    /// Whether the email was confirmed; notifications go only to a confirmed email.
    pub email_confirmed: bool,
    /// Role of the account.
    pub role: Role,
    /// Phone, `+7XXXXXXXXXX`.
    pub phone: String,
    /// Last name.
    pub last_name: String,
    /// First name.
    pub first_name: String,
    /// Middle name, empty when none.
    pub middle_name: String,
    /// Municipality of residence.
    pub municipality_id: Option<i64>,
    /// Passport series (4 digits), empty when not given.
    pub passport_series: String,
    /// Passport number (6 digits), empty when not given.
    pub passport_number: String,
    /// Who issued the passport.
    pub passport_issued_by: String,
    /// When the passport was issued.
    pub passport_issued_at: Option<NaiveDate>,
    /// Residence address.
    pub address: String,
    /// A learner's birth date (`null` for other accounts).
    pub birth_date: Option<NaiveDate>,
    /// Where an organization's staff member works (`null` for other accounts):
    /// what his menu offers depends on it.
    #[serde(default)]
    pub workplace: Option<Workplace>,
    /// Set once the family withdrew its consent for the whole account: the
    /// account is depersonalized and closed after the period.
    #[serde(default)]
    pub consent_withdrawal: Option<crate::consent::ConsentWithdrawal>,
    /// Sign-in asks for a code of an authenticator app («вход с кодом»).
    #[serde(default)]
    pub second_factor: bool,
    /// The account must turn the second factor on (an admin, in production):
    /// until it does, its sign-in reaches only the profile and the second
    /// factor's endpoints.
    #[serde(default)]
    pub second_factor_required: bool,
}

/// A code of the authenticator app: six digits; spaces typed between them
/// are dropped.
pub fn second_factor_code(raw: &str) -> Result<String, String> {
    let code: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if code.is_empty() {
        Err("Введите код из приложения-аутентификатора".into())
    } else if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        Err("Код — это 6 цифр из приложения-аутентификатора".into())
    } else {
        Ok(code)
    }
}

/// `POST /me/second-factor`: a new secret for the authenticator app. The
/// second factor is on once a code from the app confirms it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecondFactorEnrolment {
    /// The secret in Base32 (RFC 4648, no padding), to type into the app.
    pub secret: String,
    /// The same as an `otpauth://totp/…` link (SHA-1, 6 digits, 30 s), which
    /// apps read from a QR code or a tap.
    pub uri: String,
}

/// A code of the authenticator app that confirms or switches off the second factor.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecondFactorCode {
    /// Six digits from the app.
    pub code: String,
}

impl SecondFactorCode {
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let mut e = FieldErrors::new();
        let code = e.check("code", second_factor_code(&self.code));
        e.finish(|| code)
    }
}

/// The organization a staff member works for, as his menu needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Workplace {
    pub organization_id: i64,
    pub name: String,
    /// An activation point: its staff work at the registry desk.
    pub activation_point: bool,
    /// A verified provider: its programs may be paid by certificate.
    pub provider: bool,
}

/// Changes to the profile; absent fields stay as they are, an empty string
/// clears an optional field (middle name, passport, address).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub middle_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passport_series: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passport_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passport_issued_by: Option<String>,
    /// Date the passport was issued; `null` clears it.
    #[serde(default, with = "double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<NaiveDate>))]
    pub passport_issued_at: Option<Option<NaiveDate>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// A profile update that passed every field rule: `Some(None)` clears a field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValidProfileUpdate {
    pub phone: Option<String>,
    pub last_name: Option<String>,
    pub first_name: Option<String>,
    pub middle_name: Option<Option<String>>,
    pub municipality_id: Option<i64>,
    pub passport_series: Option<Option<String>>,
    pub passport_number: Option<Option<String>>,
    pub passport_issued_by: Option<Option<String>>,
    pub passport_issued_at: Option<Option<NaiveDate>>,
    pub address: Option<Option<String>>,
}

impl ProfileUpdate {
    pub fn validate(&self, today: NaiveDate) -> Result<ValidProfileUpdate, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut out = ValidProfileUpdate::default();
        if let Some(v) = &self.phone {
            out.phone = e.check("phone", Phone::parse(v).map(|p| p.as_str().to_owned()));
        }
        if let Some(v) = &self.last_name {
            out.last_name = e.check("last_name", PersonName::parse(v, NamePart::Last).map(PersonName::into_inner));
        }
        if let Some(v) = &self.first_name {
            out.first_name = e.check("first_name", PersonName::parse(v, NamePart::First).map(PersonName::into_inner));
        }
        if let Some(v) = &self.middle_name {
            out.middle_name = e.check(
                "middle_name",
                PersonName::parse_optional(v, NamePart::Middle).map(|n| n.map(PersonName::into_inner)),
            );
        }
        if let Some(id) = self.municipality_id {
            if id <= 0 {
                e.add("municipality_id", "Выберите муниципалитет");
            }
            out.municipality_id = Some(id);
        }
        let optional = |raw: &str, rule: &dyn Fn(&str) -> Result<String, String>| {
            if raw.trim().is_empty() { Ok(None) } else { rule(raw).map(Some) }
        };
        if let Some(v) = &self.passport_series {
            out.passport_series = e.check("passport_series", optional(v, &validate::passport_series));
        }
        if let Some(v) = &self.passport_number {
            out.passport_number = e.check("passport_number", optional(v, &validate::passport_number));
        }
        if let Some(v) = &self.passport_issued_by {
            out.passport_issued_by = e.check(
                "passport_issued_by",
                optional(v, &|s| validate::bounded_text(s, 200, "Укажите, кем выдан паспорт")),
            );
        }
        if let Some(v) = self.passport_issued_at {
            out.passport_issued_at =
                e.check("passport_issued_at", v.map(|d| validate::past_date(d, today)).transpose());
        }
        if let Some(v) = &self.address {
            out.address = e.check("address", optional(v, &|s| validate::bounded_text(s, 500, "Укажите адрес")));
        }
        e.finish(|| Some(out))
    }
}

/// `Option<Option<T>>` that tells an absent field from an explicit `null`.
mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(value: &Option<Option<T>>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            None => s.serialize_none(),
            Some(inner) => inner.serialize(s),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registration() -> RegisterRequest {
        RegisterRequest {
            email: "Ivanova@Mail.ru".into(),
            password: "correct horse battery".into(),
            phone: "8 912 345-67-89".into(),
            last_name: "Иванова".into(),
            first_name: "Мария".into(),
            middle_name: "".into(),
            municipality_id: 1,
            consent_personal_data: true,
            consent_rules: true,
            ..RegisterRequest::default()
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
    }

    #[test]
    fn a_registration_needs_both_consents() {
        let request = RegisterRequest { consent_rules: false, ..registration() };
        let errors = request.validate(today()).err().map(|e| e.0.into_keys().collect::<Vec<_>>());
        assert_eq!(errors, Some(vec!["consent_rules".to_owned()]));
    }

    #[test]
    fn a_good_registration_is_normalized() {
        let valid = registration().validate(today()).map_err(|e| format!("{e:?}"));
        let valid =
            valid.as_ref().map(|v| (v.person.email.as_str(), v.person.phone.as_str(), v.person.middle_name.is_none()));
        assert_eq!(valid, Ok(("ivanova@mail.ru", "+79123456789", true)));
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let bad = RegisterRequest { email: "x".into(), password: "short".into(), municipality_id: 0, ..registration() };
        let errors = bad.validate(today()).err().unwrap_or_default();
        let fields: Vec<&str> = errors.0.keys().map(String::as_str).collect();
        assert_eq!(fields, ["email", "municipality_id", "password"]);
    }

    #[test]
    fn a_learner_registers_himself_from_14_until_18() {
        let learner = |birth: (i32, u32, u32)| RegisterRequest {
            learner: true,
            birth_date: NaiveDate::from_ymd_opt(birth.0, birth.1, birth.2),
            ..registration()
        };
        let role =
            |r: RegisterRequest| r.validate(today()).map(|v| v.role()).map_err(|e| e.0.into_keys().collect::<Vec<_>>());
        assert_eq!(role(registration()), Ok(Role::Parent));
        assert_eq!(role(learner((2012, 11, 23))), Ok(Role::Learner), "the 14th birthday");
        assert_eq!(role(learner((2012, 11, 24))), Err(vec!["birth_date".to_owned()]), "the day before");
        assert_eq!(role(learner((2008, 11, 24))), Ok(Role::Learner), "the last day of 17");
        assert_eq!(role(learner((2008, 11, 23))), Err(vec!["birth_date".to_owned()]), "the 18th birthday");
        assert_eq!(
            role(RegisterRequest { birth_date: None, ..learner((2010, 1, 1)) }),
            Err(vec!["birth_date".to_owned()])
        );
    }

    #[test]
    fn profile_update_clears_with_empty_strings_and_checks_dates() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        let update: ProfileUpdate =
            serde_json::from_str(r#"{"address":"","passport_issued_at":null,"passport_series":"66 04"}"#)
                .unwrap_or_default();
        let valid = update.validate(today).unwrap_or_default();
        assert_eq!(valid.address, Some(None));
        assert_eq!(valid.passport_issued_at, Some(None));
        assert_eq!(valid.passport_series, Some(Some("6604".into())));
        assert_eq!(valid.phone, None);
        let future: ProfileUpdate = serde_json::from_str(r#"{"passport_issued_at":"2030-01-01"}"#).unwrap_or_default();
        assert!(future.validate(today).is_err());
    }

    #[test]
    fn profile_update_sends_only_the_fields_it_changes() {
        let only_phone = ProfileUpdate { phone: Some("+79120000000".into()), ..ProfileUpdate::default() };
        assert_eq!(serde_json::to_string(&only_phone).ok(), Some(r#"{"phone":"+79120000000"}"#.into()));
        let clear_date = ProfileUpdate { passport_issued_at: Some(None), ..ProfileUpdate::default() };
        assert_eq!(serde_json::to_string(&clear_date).ok(), Some(r#"{"passport_issued_at":null}"#.into()));
    }
}

/// A message in the account's cabinet (the same text as the email, if any).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InboxMessage {
    pub id: i64,
    pub subject: String,
    pub body: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Whether the user has opened it.
    pub read: bool,
}
