//! The production calendar as the admin edits it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A day whose status differs from the statutory rules (a government transfer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "diesel", derive(diesel::Queryable))]
pub struct CalendarOverride {
    pub day: NaiveDate,
    /// `true`: a working day (e.g. a working Saturday); `false`: a day off.
    pub working: bool,
    /// Why, e.g. «перенос выходного с 4 января (постановление Правительства)».
    pub note: String,
}

/// Setting the status of one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarOverrideInput {
    pub working: bool,
    #[serde(default)]
    pub note: String,
}

/// `?year=` of the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct YearQuery {
    /// Calendar year, e.g. 2027.
    pub year: i32,
}
