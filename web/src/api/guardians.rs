//! Second guardians of a child: invitations, access, and what the family did.

use gloo_net::http::Method;
use navigator_shared::Problem;
use navigator_shared::children::Child;
use navigator_shared::guardians::{
    AcceptInvitation, FamilyAction, Guardian, GuardianInvitation, GuardianInvite, Guardians,
};
use navigator_shared::reference::{Page, PageQuery};

use super::{Session, json, send, send_authed, with_query};

/// Lines of the family's actions on a page.
pub const ACTIVITY_PER_PAGE: i64 = 10;

pub async fn list(session: Session, child: i64) -> Result<Guardians, Problem> {
    send_authed(session, Method::GET, &format!("/children/{child}/guardians"), None).await
}

pub async fn invite(session: Session, child: i64, input: &GuardianInvite) -> Result<Guardian, Problem> {
    send_authed(session, Method::POST, &format!("/children/{child}/guardians"), Some(json(input)?)).await
}

/// Revokes an invitation or an access (the holder), or leaves (the guardian).
pub async fn end(session: Session, id: i64) -> Result<(), Problem> {
    send_authed(session, Method::DELETE, &format!("/guardians/{id}"), None).await
}

/// What the emailed link offers; no sign-in needed.
pub async fn preview(token: String) -> Result<GuardianInvitation, Problem> {
    send(Method::POST, "/guardian-invitations/preview", Some(json(&AcceptInvitation { token })?)).await
}

pub async fn accept(session: Session, token: String) -> Result<Child, Problem> {
    send_authed(session, Method::POST, "/guardian-invitations/accept", Some(json(&AcceptInvitation { token })?)).await
}

/// The invitations waiting for the caller's address.
pub async fn waiting(session: Session) -> Result<Vec<GuardianInvitation>, Problem> {
    send_authed(session, Method::GET, "/me/guardian-invitations", None).await
}

/// Accepts one of the invitations waiting for the caller's address.
pub async fn accept_waiting(session: Session, id: i64) -> Result<Child, Problem> {
    send_authed(session, Method::POST, &format!("/guardian-invitations/{id}/accept"), None).await
}

pub async fn activity(session: Session, child: i64, page: i64) -> Result<Page<FamilyAction>, Problem> {
    let query = PageQuery { page: Some(page), per_page: Some(ACTIVITY_PER_PAGE) };
    send_authed(session, Method::GET, &with_query(&format!("/children/{child}/activity"), &query)?, None).await
}
