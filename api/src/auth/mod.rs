//! Authentication and authorization: passwords, tokens, the signed-in user
//! extractor, and rate limits for the sign-in endpoints.

pub mod clients;
pub mod passwords;
pub mod rate_limit;
pub mod scope;
pub mod tokens;
pub mod totp;

use futures_util::future::LocalBoxFuture;
use navigator_shared::ErrorCode;

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
use navigator_shared::accounts::Role;

use crate::AppState;
use crate::error::{ApiError, ApiResult};

/// The caller, proven by a valid access token. Handlers that take it are
/// closed to guests; `require` narrows them to roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthUser {
    pub id: i64,
    pub role: Role,
    /// The sign-in (refresh-token family) the access token belongs to.
    session: Option<tokens::SessionId>,
}

impl AuthUser {
    /// Only callers with one of `roles` pass; the others get 403.
    pub fn require(&self, roles: &[Role]) -> ApiResult<()> {
        if roles.contains(&self.role) { Ok(()) } else { Err(ApiError::forbidden()) }
    }

    /// Gives back `object` only if it belongs to the caller. Somebody else's
    /// object answers 404, exactly like a missing one, so ids cannot be probed.
    pub fn own<T: Owned>(&self, object: Option<T>, missing: &'static str) -> ApiResult<T> {
        match object {
            Some(object) if object.owner_id() == self.id => Ok(object),
            _ => Err(ApiError::NotFound { detail: missing }),
        }
    }

    pub fn session(&self) -> Option<&tokens::SessionId> {
        self.session.as_ref()
    }
}

/// An object that belongs to one account.
pub trait Owned {
    fn owner_id(&self) -> i64;
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let signed_in = signed_in(req);
        Box::pin(async move {
            match signed_in.await? {
                (_, true) => Err(setup_required()),
                (user, false) => Ok(user),
            }
        })
    }
}

/// The caller of the few endpoints that a sign-in which may only set up the
/// second factor reaches too (an admin without it, in production: see
/// [`crate::accounts::second_factor`]): the profile and the second factor's
/// own endpoints. Every other endpoint takes [`AuthUser`], which refuses
/// such a sign-in — the one place the restriction is kept.
#[derive(Debug, Clone, Copy)]
pub struct SettingUp(pub AuthUser);

impl FromRequest for SettingUp {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let signed_in = signed_in(req);
        Box::pin(async move { Ok(SettingUp(signed_in.await?.0)) })
    }
}

/// The caller of a valid token whose sign-in is still open, and whether
/// the sign-in may only set up the second factor.
fn signed_in(req: &HttpRequest) -> LocalBoxFuture<'static, ApiResult<(AuthUser, bool)>> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let claimed = authenticate(req);
    Box::pin(async move {
        let ((user, setup_only), state) = (claimed?, state.ok_or_else(no_state)?);
        // A signed token is not enough: its sign-in must still be open
        // (logout, a replayed refresh token and a password change end it).
        let family = user.session.map(|s| s.to_hex()).ok_or_else(expired)?;
        if state.db(move |c| crate::accounts::repo::session_open(c, &family)).await? {
            Ok((user, setup_only))
        } else {
            Err(expired())
        }
    })
}

fn setup_required() -> ApiError {
    ApiError::Forbidden {
        code: ErrorCode::SecondFactorSetupRequired,
        detail: "Администратор должен включить вход с кодом из приложения-аутентификатора: \
                 до этого доступен только личный кабинет",
    }
}

fn no_state() -> ApiError {
    ApiError::Internal(anyhow::anyhow!("application state is not registered"))
}

fn expired() -> ApiError {
    ApiError::Unauthorized {
        code: ErrorCode::InvalidToken, detail: "Сеанс истёк или недействителен. Войдите снова"
    }
}

fn authenticate(req: &HttpRequest) -> ApiResult<(AuthUser, bool)> {
    let state = req.app_data::<web::Data<AppState>>().ok_or_else(no_state)?;
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .ok_or_else(ApiError::unauthenticated)?;
    let claims = state.tokens.verify_access(token.trim()).ok_or_else(expired)?;
    Ok((AuthUser { id: claims.user_id, role: claims.role, session: claims.session }, claims.setup_only))
}

/// The client's address for rate limits: the TCP peer, or behind a trusted
/// reverse proxy (`TRUSTED_PROXIES`) the address it forwarded.
pub fn client_ip(req: &HttpRequest) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else { return "unknown".into() };
    let forwarded = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok());
    match req.app_data::<web::Data<AppState>>() {
        Some(state) => state.config.trusted_proxies.client(peer, forwarded).to_string(),
        None => peer.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Child {
        parent_id: i64,
    }

    impl Owned for Child {
        fn owner_id(&self) -> i64 {
            self.parent_id
        }
    }

    fn caller(role: Role) -> AuthUser {
        AuthUser { id: 7, role, session: None }
    }

    #[test]
    fn somebody_elses_object_looks_missing() {
        let parent = caller(Role::Parent);
        assert!(parent.own(Some(Child { parent_id: 7 }), "Ребёнок не найден").is_ok());
        let foreign = parent.own(Some(Child { parent_id: 8 }), "Ребёнок не найден").err().map(|e| e.problem());
        let missing = parent.own(None::<Child>, "Ребёнок не найден").err().map(|e| e.problem());
        assert_eq!(foreign, missing);
        assert_eq!(foreign.map(|p| p.status), Some(404));
    }

    #[test]
    fn roles_narrow_an_endpoint() {
        assert!(caller(Role::Operator).require(&[Role::Operator, Role::Admin]).is_ok());
        let refused = caller(Role::Parent).require(&[Role::Operator, Role::Admin]).err().map(|e| e.problem().status);
        assert_eq!(refused, Some(403));
    }
}
