//! Organizations: for now the public list of activation points.

use serde::{Deserialize, Serialize};

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
