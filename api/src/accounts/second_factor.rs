//! «Вход с кодом»: the second factor of staff, operators and admins — a
//! code of an authenticator app (TOTP, [`crate::auth::totp`]) asked at
//! sign-in after the password. The secret is sealed with `DATA_KEY`; each
//! code is good once (the step of the last accepted one is kept). In
//! production (`APP_ENV=production`) an admin must have it: until he turns it
//! on, his sign-in reaches only his profile and these endpoints, and he may
//! not turn it off. Families do not use it: their accounts are not offered it.

use navigator_shared::ErrorCode;
use navigator_shared::FieldErrors;
use navigator_shared::accounts::{Role, SecondFactorCode, SecondFactorEnrolment};

use super::repo::{self, UserRow};
use super::service::recipient;
use super::sign_in_repo as store;
use crate::AppState;
use crate::auth::{AuthUser, rate_limit, totp};
use crate::crypto::DataCipher;
use crate::db::{DbConn, write_tx};
use crate::error::{ApiError, ApiResult};
use crate::notifications::{self, now, templates};

/// The service's name in the authenticator app.
pub const ISSUER: &str = "Навигатор";

/// Whether the role may turn the second factor on: the accounts that reach
/// other people's data.
pub fn offered(role: Role) -> bool {
    role.is_staff()
}

/// Whether the role must have the second factor: admins, in production.
pub fn mandatory(production: bool, role: Role) -> bool {
    production && role == Role::Admin
}

/// Whether the account must turn the second factor on before anything else:
/// an admin in production without it.
pub fn setup_required(conn: &mut DbConn, production: bool, user: &UserRow) -> ApiResult<bool> {
    Ok(mandatory(production, user.role) && !store::second_factor_on(conn, user.id)?)
}

/// What the second factor says of a sign-in whose password was right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInCheck {
    /// The account has no second factor.
    Off,
    /// The code was right, and is now spent.
    Passed,
    /// The second factor is on and no code came.
    Missing,
    /// A wrong, stale or already used code.
    Wrong,
}

/// Checks the sign-in's `code` against the account's second factor.
pub fn at_sign_in(conn: &mut DbConn, cipher: &DataCipher, user: i64, code: Option<&str>) -> ApiResult<SignInCheck> {
    let Some(factor) = store::second_factor(conn, user)?.filter(|f| f.on()) else { return Ok(SignInCheck::Off) };
    let Some(code) = code else { return Ok(SignInCheck::Missing) };
    match accepted_step(cipher, &factor, code)? {
        Some(step) if store::use_step(conn, user, step)? => Ok(SignInCheck::Passed),
        _ => Ok(SignInCheck::Wrong),
    }
}

/// The step of `code` if it is one of the secret's within the window and
/// later than the last code accepted.
fn accepted_step(cipher: &DataCipher, factor: &store::SecondFactorRow, code: &str) -> ApiResult<Option<i64>> {
    let secret = cipher.decrypt(&factor.secret_enc)?;
    let key = totp::base32_decode(&secret).ok_or_else(|| anyhow::anyhow!("a stored TOTP secret is not Base32"))?;
    // The phone's clock is the real one: codes follow the system clock, as
    // sign-in tokens do, never a test's moved clock.
    let unix = chrono::Utc::now().timestamp();
    Ok(totp::matching_step(&key, code, unix).filter(|&step| step > factor.last_step))
}

fn not_offered() -> ApiError {
    ApiError::Forbidden {
        code: ErrorCode::Forbidden,
        detail: "Вход с кодом включают сотрудники организаций, операторы и администраторы",
    }
}

fn wrong_code() -> ApiError {
    let detail = "Неверный код. Проверьте время на телефоне и введите новый код из приложения";
    let mut errors = FieldErrors::new();
    errors.add("code", detail);
    ApiError::Mismatch { code: ErrorCode::SecondFactorInvalid, detail, errors }
}

/// Starts turning the second factor on: a new secret for the app, which
/// replaces one not yet confirmed.
pub async fn start(state: &AppState, caller: AuthUser) -> ApiResult<SecondFactorEnrolment> {
    if !offered(caller.role) {
        return Err(not_offered());
    }
    let secret = totp::new_secret();
    let sealed = state.cipher.encrypt(&secret)?;
    let id = caller.id;
    let (stored, email) = state
        .db(move |conn| {
            let user = repo::find(conn, id)?.ok_or_else(ApiError::unauthenticated)?;
            Ok::<_, ApiError>((store::put_pending(conn, id, &sealed, now())?, user.email))
        })
        .await?;
    if !stored {
        return Err(ApiError::Conflict {
            code: ErrorCode::InvalidStatus,
            detail: "Вход с кодом уже включён. Чтобы перейти на другое приложение, сначала отключите его".into(),
        });
    }
    let uri = totp::otpauth_uri(ISSUER, &email, &secret);
    Ok(SecondFactorEnrolment { secret, uri })
}

/// Wrong codes typed in the profile count like wrong passwords at sign-in.
async fn guard_attempts(state: &AppState, caller: &AuthUser) -> ApiResult<String> {
    let limits = state.config.rate_limits;
    let bucket = format!("second-factor:fail:{}", caller.id);
    let checked = bucket.clone();
    let (failed, retry_after) = state.db(move |c| rate_limit::used(c, &checked, limits.window)).await?;
    if failed >= limits.login_per_account {
        return Err(ApiError::RateLimited { retry_after });
    }
    Ok(bucket)
}

async fn count_failure(state: &AppState, bucket: String) -> ApiResult<()> {
    let window = state.config.rate_limits.window;
    state.db(move |c| rate_limit::count(c, &bucket, window)).await
}

/// Turns the second factor on with the first code from the app.
pub async fn confirm(state: &AppState, caller: AuthUser, request: SecondFactorCode) -> ApiResult<()> {
    let code = request.validate()?;
    if !offered(caller.role) {
        return Err(not_offered());
    }
    let failures = guard_attempts(state, &caller).await?;
    let (id, cipher) = (caller.id, state.cipher.clone());
    let confirmed = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let Some(factor) = store::second_factor(conn, id)?.filter(|f| !f.on()) else {
                    return Err(ApiError::Conflict {
                        code: ErrorCode::InvalidStatus,
                        detail: "Подключение не начато или уже завершено: обновите страницу".into(),
                    });
                };
                let Some(step) = accepted_step(&cipher, &factor, &code)? else { return Ok(false) };
                if !store::confirm(conn, id, step, now())? {
                    return Ok(false);
                }
                tell(conn, id, true)?;
                Ok(true)
            })
        })
        .await?;
    if confirmed {
        Ok(())
    } else {
        count_failure(state, failures).await?;
        Err(wrong_code())
    }
}

/// Turns the second factor off; a current code proves the app is at hand.
pub async fn disable(state: &AppState, caller: AuthUser, request: SecondFactorCode) -> ApiResult<()> {
    let code = request.validate()?;
    if mandatory(state.config.production, caller.role) {
        return Err(ApiError::Forbidden {
            code: ErrorCode::Forbidden,
            detail: "Администратор не может отключить вход с кодом: в рабочей системе он обязателен",
        });
    }
    let failures = guard_attempts(state, &caller).await?;
    let (id, cipher) = (caller.id, state.cipher.clone());
    let removed = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let Some(factor) = store::second_factor(conn, id)?.filter(|f| f.on()) else {
                    return Err(ApiError::Conflict {
                        code: ErrorCode::InvalidStatus,
                        detail: "Вход с кодом не включён".into(),
                    });
                };
                match accepted_step(&cipher, &factor, &code)? {
                    Some(step) if store::use_step(conn, id, step)? => {
                        store::remove_second_factor(conn, id)?;
                        tell(conn, id, false)?;
                        Ok(true)
                    }
                    _ => Ok(false),
                }
            })
        })
        .await?;
    if removed {
        Ok(())
    } else {
        count_failure(state, failures).await?;
        Err(wrong_code())
    }
}

/// Emails the account's owner that the second factor was turned on or off.
fn tell(conn: &mut DbConn, id: i64, on: bool) -> ApiResult<()> {
    if let Some(user) = repo::find(conn, id)? {
        notifications::notify(conn, recipient(&user), templates::second_factor_changed(&user.greeting_name(), on))?;
    }
    Ok(())
}
