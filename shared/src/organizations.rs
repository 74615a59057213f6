//! Organizations: the registry kept by the operator, their public cards and
//! the list of activation points.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{FieldErrors, code_enum, validate};

/// An organization where certificates are activated («пункт активации»).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivationPoint {
    pub id: i64,
    /// Organization name.
    pub name: String,
    pub municipality_id: i64,
    /// Address of the reception.
    pub address: String,
    /// Responsible specialist.
    pub contact: String,
    /// Reception hours, e.g. «пн–пт 9:00–17:00».
    pub reception_hours: String,
    /// City phone.
    pub phone: String,
}

/// `?municipality_id=` of the activation points list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct ActivationPointsQuery {
    /// Only the points of this municipality.
    pub municipality_id: Option<i64>,
}

code_enum! {
    /// Kind of an organization.
    pub enum OrganizationKind {
        Education = ("education", "Образовательная организация"),
        Culture = ("culture", "Учреждение культуры"),
        Sport = ("sport", "Спортивная организация"),
        Private = ("private", "Частная организация или ИП"),
    }
}

code_enum! {
    /// Whether the organization works in the Navigator.
    pub enum OrganizationStatus {
        Active = ("active", "Действует"),
        /// Its programs are hidden from the catalog.
        Suspended = ("suspended", "Приостановлена"),
    }
}

/// An organization as the public and integrators see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganizationCard {
    pub id: i64,
    pub name: String,
    pub inn: String,
    pub kind: OrganizationKind,
    pub municipality_id: i64,
    pub address: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub phone: String,
    pub email: String,
    pub website: String,
    /// In the registry of providers («проверенная организация»).
    pub is_provider: bool,
    /// Activates certificates.
    pub can_activate: bool,
    pub status: OrganizationStatus,
    /// Published programs.
    pub programs_count: i64,
    pub updated_at: DateTime<Utc>,
}

/// The operator's record of an organization: the card plus the activation point's details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganizationRecord {
    #[serde(flatten)]
    pub card: OrganizationCard,
    /// An activation point authorised to confirm certificates (where the
    /// region lets points confirm).
    pub can_confirm: bool,
    /// An activation point whose staff see the full personal data of a
    /// record (documents, СНИЛС); others see them masked.
    pub can_view_personal_data: bool,
    pub activation_contact: String,
    pub reception_hours: String,
    pub city_phone: String,
    /// Staff accounts of the organization.
    pub staff: Vec<StaffMember>,
}

/// A staff account of an organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffMember {
    pub id: i64,
    pub email: String,
    pub full_name: String,
    pub phone: String,
    pub email_confirmed: bool,
    /// Switched off: cannot sign in.
    pub disabled: bool,
}

/// One changed organization for integrators (`/organizations/changes`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganizationChange {
    pub id: i64,
    /// `active`, or `suspended` when its programs left the catalog.
    pub state: String,
    pub updated_at: DateTime<Utc>,
    pub organization: OrganizationCard,
}

/// `GET /organizations`: filters and page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct OrganizationsQuery {
    pub municipality_id: Option<i64>,
    pub kind: Option<OrganizationKind>,
    /// Only providers (`true`) or only others (`false`).
    pub is_provider: Option<bool>,
    /// Part of the name or the INN.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// What the operator enters for an organization.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganizationInput {
    pub name: String,
    pub inn: String,
    pub kind: Option<OrganizationKind>,
    pub municipality_id: i64,
    pub address: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub website: String,
    #[serde(default)]
    pub is_provider: bool,
    #[serde(default)]
    pub can_activate: bool,
    /// Confirms certificates (only an activation point).
    #[serde(default)]
    pub can_confirm: bool,
    /// Sees the full personal data at the desk (only an activation point).
    #[serde(default)]
    pub can_view_personal_data: bool,
    #[serde(default)]
    pub activation_contact: String,
    #[serde(default)]
    pub reception_hours: String,
    #[serde(default)]
    pub city_phone: String,
    pub status: Option<OrganizationStatus>,
}

/// An organization that passed every field rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidOrganization {
    pub name: String,
    pub inn: String,
    pub kind: OrganizationKind,
    pub municipality_id: i64,
    pub address: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub phone: String,
    pub email: String,
    pub website: String,
    pub is_provider: bool,
    pub can_activate: bool,
    pub can_confirm: bool,
    pub can_view_personal_data: bool,
    pub activation_contact: Option<String>,
    pub reception_hours: Option<String>,
    pub city_phone: Option<String>,
    pub status: OrganizationStatus,
}

impl OrganizationInput {
    pub fn validate(&self) -> Result<ValidOrganization, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.check("name", validate::bounded_text(&self.name, 300, "Укажите название организации"));
        let inn = e.check("inn", validate::Inn::parse(&self.inn));
        if self.kind.is_none() {
            e.add("kind", "Выберите вид организации");
        }
        if self.municipality_id <= 0 {
            e.add("municipality_id", "Выберите муниципалитет");
        }
        let address = e.check("address", validate::bounded_text(&self.address, 300, "Укажите адрес"));
        match (self.lat, self.lon) {
            (Some(lat), Some(lon)) => crate::catalog::check_coordinates(&mut e, lat, lon),
            (None, None) => {}
            _ => e.add("lat", "Укажите обе координаты или ни одной"),
        }
        let phone = e.check("phone", validate::Phone::parse(&self.phone));
        let email = if self.email.trim().is_empty() {
            Some(String::new())
        } else {
            e.check("email", validate::Email::parse(&self.email).map(|m| m.as_str().to_owned()))
        };
        let website = e.check("website", website(&self.website));
        let activation_contact = e.check("activation_contact", validate::optional_text(&self.activation_contact, 150));
        let reception_hours = e.check("reception_hours", validate::optional_text(&self.reception_hours, 200));
        let city_phone = if self.city_phone.trim().is_empty() {
            Some(None)
        } else {
            e.check("city_phone", validate::Phone::parse(&self.city_phone).map(|p| Some(p.as_str().to_owned())))
        };
        if self.can_activate {
            if self.activation_contact.trim().is_empty() {
                e.add("activation_contact", "Пункту активации нужен ответственный специалист");
            }
            if self.reception_hours.trim().is_empty() {
                e.add("reception_hours", "Укажите часы приёма");
            }
            if self.city_phone.trim().is_empty() {
                e.add("city_phone", "Укажите городской телефон");
            }
        } else {
            if self.can_confirm {
                e.add("can_confirm", "Подтверждать сертификаты может только пункт активации");
            }
            if self.can_view_personal_data {
                e.add("can_view_personal_data", "Доступ к персональным данным даётся только пункту активации");
            }
        }
        e.finish(|| {
            Some(ValidOrganization {
                name: name?,
                inn: inn?.as_str().to_owned(),
                kind: self.kind?,
                municipality_id: self.municipality_id,
                address: address?,
                lat: self.lat,
                lon: self.lon,
                phone: phone?.as_str().to_owned(),
                email: email?,
                website: website?,
                is_provider: self.is_provider,
                can_activate: self.can_activate,
                can_confirm: self.can_confirm,
                can_view_personal_data: self.can_view_personal_data,
                activation_contact: activation_contact?,
                reception_hours: reception_hours?,
                city_phone: city_phone?,
                status: self.status.unwrap_or(OrganizationStatus::Active),
            })
        })
    }
}

/// A website address: empty, or http(s) with a host.
fn website(raw: &str) -> Result<String, String> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(String::new());
    }
    let rest = value.strip_prefix("https://").or_else(|| value.strip_prefix("http://"));
    match rest {
        Some(rest) if rest.contains('.') && !rest.contains(char::is_whitespace) && value.len() <= 300 => {
            Ok(value.to_owned())
        }
        _ => Err("Адрес сайта начинается с https:// или http://, например https://school1.ru".into()),
    }
}
