//! «Сообщить, когда появятся места»: a family asks to be told once when a
//! full group, or a program without an open group, has free places again.
//! No place is held: the message links to the program, and whoever applies
//! first takes the place (the waiting list is the way to keep a turn).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `POST /programs/{id}/spot-alerts`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SpotAlertRequest {
    /// The full group; `null` for any group of a program that has no open one.
    #[serde(default)]
    pub group_id: Option<i64>,
}

/// One request not yet answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SpotAlert {
    pub id: i64,
    pub program_id: i64,
    pub program_title: String,
    /// `null`: any group of the program.
    pub group_id: Option<i64>,
    pub group_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// `GET /me/spot-alerts?program_id=&page=&per_page=`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct SpotAlertsQuery {
    /// Only the requests about this program.
    pub program_id: Option<i64>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// `POST /spot-alerts/unsubscribe`: the link of the confirmation message,
/// which works without signing in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnsubscribeRequest {
    pub token: String,
}
