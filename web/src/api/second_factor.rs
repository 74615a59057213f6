//! «Вход с кодом»: the second factor of staff, operators and admins.

use gloo_net::http::Method;
use leptos::prelude::Set;
use navigator_shared::Problem;
use navigator_shared::accounts::{SecondFactorCode, SecondFactorEnrolment};

use super::{Session, json, refresh_once, send_authed, start};

/// A new secret for the authenticator app (replaces one not yet confirmed).
pub async fn start_enrolment(session: Session) -> Result<SecondFactorEnrolment, Problem> {
    send_authed(session, Method::POST, "/me/second-factor", Some("{}".to_owned())).await
}

/// Turns the second factor on with the app's first code, then renews the
/// sign-in: an admin's set-up-only session becomes a full one.
pub async fn confirm(session: Session, request: &SecondFactorCode) -> Result<(), Problem> {
    send_authed::<()>(session, Method::POST, "/me/second-factor/confirm", Some(json(request)?)).await?;
    let tokens = refresh_once().await?;
    start(session, tokens.access_token).await
}

/// Turns the second factor off with a current code.
pub async fn disable(session: Session, request: &SecondFactorCode) -> Result<(), Problem> {
    send_authed::<()>(session, Method::DELETE, "/me/second-factor", Some(json(request)?)).await?;
    // The header and the pages read the profile from the session.
    let profile = super::me(session).await?;
    session.user.set(Some(profile));
    Ok(())
}
