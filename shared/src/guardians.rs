//! A second guardian of a child: the family account that holds the child
//! invites another adult by email; once that adult signs in with the
//! invited address and accepts, they see the child's certificate,
//! applications and contracts, may apply and sign, and both are told of
//! what happens. The holder may revoke the access; the guardian may leave.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::code_enum;

code_enum! {
    /// Who the invited adult is to the child.
    pub enum Relationship {
        Mother = ("mother", "мать"),
        Father = ("father", "отец"),
        Guardian = ("guardian", "опекун"),
        Trustee = ("trustee", "попечитель"),
    }
}

code_enum! {
    /// Where an invitation stands.
    pub enum GuardianStatus {
        /// Sent, not yet accepted.
        Invited = ("invited", "приглашение отправлено"),
        /// Accepted: the guardian acts for the child.
        Active = ("active", "имеет доступ"),
        /// Access ended by the holder or the guardian.
        Revoked = ("revoked", "доступ прекращён"),
        /// Not accepted in time.
        Expired = ("expired", "приглашение истекло"),
    }
}

/// How long an invitation can be accepted.
pub const INVITATION_DAYS: i64 = 14;

/// Open invitations and guardianships one child may have at once.
pub const MAX_GUARDIANS: usize = 3;

/// `POST /children/{id}/guardians`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuardianInvite {
    /// The invited adult's email: only the account with this address may accept.
    pub email: String,
    #[serde(default)]
    pub relationship: Option<Relationship>,
}

impl GuardianInvite {
    /// The address (trimmed, lower case) and the relationship, or the
    /// messages under `email` and `relationship`.
    pub fn validate(&self) -> Result<(crate::validate::Email, Relationship), crate::FieldErrors> {
        let mut errors = crate::FieldErrors::new();
        let email = crate::validate::Email::parse(&self.email).map_err(|e| errors.add("email", e)).ok();
        if self.relationship.is_none() {
            errors.add("relationship", "Укажите, кем приглашённый приходится ребёнку");
        }
        errors.finish(|| Some((email?, self.relationship?)))
    }
}

/// One invitation or guardianship of a child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Guardian {
    pub id: i64,
    pub relationship: Relationship,
    pub status: GuardianStatus,
    /// The invited address (masked for anyone but the holder).
    pub email: String,
    /// «Фамилия Имя» once accepted.
    pub name: Option<String>,
    pub invited_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    /// Whether the caller may end it: the holder any, a guardian his own.
    pub can_end: bool,
}

/// `GET /children/{id}/guardians`: who acts for the child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Guardians {
    /// «Фамилия Имя» of the account that holds the child.
    pub holder_name: String,
    /// Whether the caller is that account (and so may invite and revoke).
    pub you_hold: bool,
    /// Open invitations and active guardians, oldest first.
    pub guardians: Vec<Guardian>,
}

/// `GET /guardian-invitations/{token}`: what an invitation offers, for the
/// page its link opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuardianInvitation {
    /// The invitation's id (`POST /guardian-invitations/{id}/accept`).
    #[serde(default)]
    pub id: i64,
    /// «Имя Отчество» of the inviting parent.
    pub invited_by: String,
    pub child_first_name: String,
    pub relationship: Relationship,
    pub status: GuardianStatus,
    pub expires_at: DateTime<Utc>,
    /// The invited address, masked (`iv***@mail.ru`).
    pub email: String,
}

/// `POST /guardian-invitations/accept`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AcceptInvitation {
    pub token: String,
}

/// One thing a member of the family did for the child (`GET /children/{id}/activity`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FamilyAction {
    pub at: DateTime<Utc>,
    /// «Фамилия Имя (отец)».
    pub who: String,
    pub what: String,
}

/// An address with most of its local part hidden: `iv***@mail.ru`.
pub fn mask_email(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let shown: String = local.chars().take(2).collect();
            format!("{shown}***@{domain}")
        }
        None => "***".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_addresses_keep_the_domain() {
        assert_eq!(mask_email("ivanova@mail.ru"), "iv***@mail.ru");
        assert_eq!(mask_email("a@b.ru"), "a***@b.ru");
        assert_eq!(mask_email("broken"), "***");
    }
}
