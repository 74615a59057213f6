//! What the service holds about a family, as the parent downloads it
//! (152-ФЗ, ст. 14: the person's right to know the data processed about
//! him and who had access to them).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::accounts::{InboxMessage, Profile};
use crate::applications::Application;
use crate::children::{Certificate, Child};
use crate::funding::Ledger;
use crate::registry::AuditEntry;

/// `GET /me/data`: everything held about the signed-in parent's family.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FamilyData {
    /// When the export was made.
    pub made_at: DateTime<Utc>,
    pub profile: Profile,
    /// The consents given online, oldest first.
    pub consents: Vec<GivenConsent>,
    pub children: Vec<ChildRecord>,
    /// The in-app messages, newest first.
    pub messages: Vec<InboxMessage>,
}

/// One consent as it was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GivenConsent {
    /// `personal_data` or `rules`.
    pub kind: String,
    /// «Согласие на обработку персональных данных» or «Согласие с правилами».
    pub title: String,
    /// Version of the text agreed to.
    pub version: String,
    pub given_at: DateTime<Utc>,
    /// The child the consent was given for, when given with a certificate request.
    pub child_id: Option<i64>,
}

/// One child: the record, the certificate with its money, the applications
/// with their contracts, and who among the staff did what with the record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChildRecord {
    pub child: Child,
    pub certificate: Option<Certificate>,
    /// The certificate's balance and entries, newest first.
    pub ledger: Option<Ledger>,
    /// Every application, newest first, each with its contract.
    pub applications: Vec<Application>,
    /// Who worked with the record, newest first: the staff (views,
    /// corrections, decisions) and the family's parent and guardians.
    pub access: Vec<AuditEntry>,
    /// Who acts for the child: the holder, the guardians and open invitations.
    #[serde(default)]
    pub guardians: Option<crate::guardians::Guardians>,
}

/// `GET /me/data?format=…`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    #[default]
    Json,
    Pdf,
}

/// The query of `GET /me/data`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct ExportQuery {
    /// `json` (default) or `pdf`.
    #[serde(default)]
    pub format: ExportFormat,
}
