//! The rules of accounts and sign-in. Nothing here knows HTTP.

use chrono::{NaiveDate, TimeDelta};
use navigator_shared::ErrorCode;
use navigator_shared::accounts::{
    LoginRequest, PasswordChangeRequest, PasswordResetConfirm, Profile, ProfileUpdate, RegisterRequest, Role,
};
use navigator_shared::accounts::{Person, ValidProfileUpdate, Workplace};
use navigator_shared::validate::{Email, Password};

use super::devices::{self, Device};
use super::repo::{self, LinkUse, NewUser, ProfileChanges, Rotation, UserRow};
use super::second_factor::{self, SignInCheck};
use crate::AppState;
use crate::auth::tokens::{self, SessionId};
use crate::auth::{AuthUser, passwords, rate_limit};
use crate::crypto::DataCipher;
use crate::db::{DbConn, write_tx};
use crate::error::{ApiError, ApiResult};
use crate::notifications::{self, Recipient, now, templates};
use crate::reference;

const CONFIRM_EMAIL: &str = "confirm_email";
const PASSWORD_RESET: &str = "password_reset";

pub const REGISTERED: &str = "Проверьте почту: мы отправили письмо со ссылкой для подтверждения адреса. \
     Если письма нет, проверьте папку «Спам».";
pub const RESET_SENT: &str = "Если учётная запись с этим адресом есть, мы отправили на него письмо \
     со ссылкой для смены пароля.";
pub const CONFIRMATION_SENT: &str = "Если адрес зарегистрирован и ещё не подтверждён, мы отправили на него \
     новое письмо со ссылкой.";

/// Issued tokens of a sign-in.
pub struct Session {
    pub access_token: String,
    pub expires_in: i64,
    pub refresh_token: String,
    /// The device cookie's value to set (a sign-in, not a refresh).
    pub device: Option<String>,
}

pub fn recipient(user: &UserRow) -> Recipient<'_> {
    Recipient { user_id: user.id, address: &user.email, confirmed: user.confirmed() }
}

async fn limit(state: &AppState, bucket: String, max: i32) -> ApiResult<()> {
    let window = state.config.rate_limits.window;
    match state.db(move |c| rate_limit::hit(c, &bucket, max, window)).await? {
        Ok(()) => Ok(()),
        Err(retry_after) => Err(ApiError::RateLimited { retry_after }),
    }
}

/// Registers a family account (a parent, or a learner of 14+). The answer is the same whether or not the email is
/// taken; the owner of a taken address gets a letter about the attempt.
pub async fn register(state: &AppState, request: RegisterRequest, ip: &str) -> ApiResult<()> {
    limit(state, format!("register:ip:{ip}"), state.config.rate_limits.register_per_ip).await?;
    let valid = request.validate(crate::clock::today())?;
    let person = &valid.person;
    let context = [person.email.as_str(), person.last_name.as_str(), person.first_name.as_str()];
    passwords::check_strength(&valid.password, &context)
        .map_err(|message| ApiError::field(ErrorCode::WeakPassword, "password", &message))?;
    let municipality = valid.person.municipality_id;
    if !state.db(move |c| reference::repo::municipality_exists(c, municipality)).await? {
        return Err(unknown_municipality());
    }
    let hash = state.passwords.hash(&valid.password).await?;
    let links = state.links();
    let confirm_ttl = state.config.email_confirm_ttl;
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                match repo::insert(conn, &new_user(&valid.person, &hash, valid.role(), valid.learner_birth_date))? {
                    Some(id) => {
                        crate::consents::record(conn, id, None, crate::notifications::now())?;
                        let user = repo::find(conn, id)?.ok_or_else(|| anyhow::anyhow!("new account vanished"))?;
                        send_confirmation(conn, &user, &links, confirm_ttl)
                    }
                    None => {
                        let Some(user) = repo::find_by_email(conn, valid.person.email.as_str())? else { return Ok(()) };
                        if user.confirmed() {
                            let email = templates::already_registered(
                                &user.greeting_name(),
                                &links.page("/login"),
                                &links.page("/password-reset"),
                            );
                            notifications::notify(conn, recipient(&user), email)?;
                            Ok(())
                        } else {
                            send_confirmation(conn, &user, &links, confirm_ttl)
                        }
                    }
                }
            })
        })
        .await
}

fn new_user<'a>(person: &'a Person, password_hash: &'a str, role: Role, birth_date: Option<NaiveDate>) -> NewUser<'a> {
    let now = now();
    NewUser {
        email: person.email.as_str(),
        password_hash,
        role,
        phone: person.phone.as_str(),
        last_name: person.last_name.as_str(),
        first_name: person.first_name.as_str(),
        middle_name: person.middle_name.as_ref().map(|m| m.as_str()),
        municipality_id: Some(person.municipality_id),
        birth_date,
        email_confirmed_at: None,
        created_at: now,
        updated_at: now,
    }
}

/// «Специалист Фамилия Имя» of the caller, for the invitations he sends.
pub fn signature(conn: &mut DbConn, caller: &AuthUser) -> ApiResult<String> {
    let user = repo::find(conn, caller.id)?.ok_or_else(ApiError::unauthenticated)?;
    Ok(format!("Специалист {} {}", user.last_name, user.first_name))
}

/// Who `actor` is, told to a family when staff act for it: «специалист
/// пункта активации Петрова Анна (ЦДО «Радуга»)». `None` when the actor is
/// family (the parent holding the child, or a guardian): nobody acts for
/// the family then.
pub fn acting_for(conn: &mut DbConn, actor: i64) -> ApiResult<Option<String>> {
    let Some(user) = repo::find(conn, actor)? else { return Ok(None) };
    if matches!(user.role, Role::Parent | Role::Learner) {
        return Ok(None);
    }
    let place = match user.organization_id {
        Some(organization) => repo::workplace(conn, organization)?.map(|w| format!(" ({})", w.name)),
        None => None,
    };
    let role = user.role.title().to_lowercase();
    Ok(Some(format!("{role} {} {}{}", user.last_name, user.first_name, place.unwrap_or_default())))
}

/// Tells the `family` (each of its accounts, see [`repo::family_of`]) that
/// staff (`who`, see [`acting_for`]) did `what` on its behalf.
pub fn tell_acted(conn: &mut DbConn, family: &[UserRow], who: &str, what: &str) -> ApiResult<()> {
    for member in family {
        let email = crate::notifications::templates::staff_acted(&member.greeting_name(), who, what);
        crate::notifications::inform(conn, recipient(member), email)?;
    }
    Ok(())
}

/// A stored password hash that no password matches: the invited person sets
/// their own through the emailed link.
const NO_PASSWORD: &str = "!";

/// Opens an account for somebody else and emails them a link that confirms
/// the address and sets the password (valid for the confirmation period).
pub fn invite(
    conn: &mut DbConn,
    links: &crate::Links,
    ttl: std::time::Duration,
    person: &Person,
    role: Role,
    invited_by: &str,
) -> ApiResult<i64> {
    if !reference::repo::municipality_exists(conn, person.municipality_id)? {
        return Err(unknown_municipality());
    }
    let id = repo::insert(conn, &new_user(person, NO_PASSWORD, role, None))?.ok_or_else(|| ApiError::Conflict {
        code: ErrorCode::AccountExists,
        detail: "Учётная запись с этим адресом уже есть: найдите семью по номеру сертификата \
                 или попросите восстановить пароль"
            .into(),
    })?;
    let user = repo::find(conn, id)?.ok_or_else(|| anyhow::anyhow!("new account vanished"))?;
    let (token, hash) = tokens::opaque_token();
    repo::insert_email_token(conn, id, PASSWORD_RESET, &hash, expiry(ttl))?;
    let link = links.with_token("/password-reset/confirm", &token);
    let email = templates::invitation(&user.greeting_name(), invited_by, &link, ttl.as_secs() / 3600);
    notifications::send_access_email(conn, recipient(&user), email)?;
    Ok(id)
}

fn unknown_municipality() -> ApiError {
    ApiError::field(ErrorCode::UnknownMunicipality, "municipality_id", "Такого муниципалитета нет в списке")
}

fn send_confirmation(
    conn: &mut DbConn,
    user: &UserRow,
    links: &crate::Links,
    ttl: std::time::Duration,
) -> ApiResult<()> {
    let (token, hash) = tokens::opaque_token();
    repo::spend_email_tokens(conn, user.id, CONFIRM_EMAIL)?;
    repo::insert_email_token(conn, user.id, CONFIRM_EMAIL, &hash, expiry(ttl))?;
    let email = templates::confirm_email(
        &user.greeting_name(),
        &links.with_token("/confirm-email", &token),
        ttl.as_secs() / 3600,
    );
    notifications::send_access_email(conn, recipient(user), email)?;
    Ok(())
}

fn expiry(ttl: std::time::Duration) -> chrono::NaiveDateTime {
    now() + TimeDelta::from_std(ttl).unwrap_or(TimeDelta::days(1))
}

fn link_error(result: LinkUse, used_detail: &'static str) -> ApiError {
    let (code, detail) = match result {
        LinkUse::Expired => (ErrorCode::ExpiredToken, "Срок действия ссылки истёк. Запросите новое письмо"),
        LinkUse::AlreadyUsed(_) => (ErrorCode::TokenUsed, used_detail),
        LinkUse::Unknown | LinkUse::Accepted(_) => {
            (ErrorCode::InvalidToken, "Ссылка недействительна. Проверьте, что она скопирована целиком")
        }
    };
    ApiError::field(code, "token", detail)
}

pub async fn confirm_email(state: &AppState, token: String) -> ApiResult<()> {
    if token.trim().is_empty() || token.len() > 200 {
        return Err(link_error(LinkUse::Unknown, ""));
    }
    let hash = tokens::hash_token(&token);
    state
        .db(move |conn| {
            write_tx(conn, |conn| match repo::use_email_token(conn, CONFIRM_EMAIL, &hash)? {
                LinkUse::Accepted(user_id) => {
                    repo::confirm_email(conn, user_id)?;
                    Ok(())
                }
                other => Err(link_error(other, "Эта ссылка уже использована. Если адрес подтверждён, просто войдите")),
            })
        })
        .await
}

pub async fn resend_confirmation(state: &AppState, email: Email, ip: &str) -> ApiResult<()> {
    limit(state, format!("reset:ip:{ip}"), state.config.rate_limits.reset_per_ip).await?;
    limit(state, format!("resend:account:{email}"), state.config.rate_limits.reset_per_account).await?;
    let links = state.links();
    let ttl = state.config.email_confirm_ttl;
    state
        .db(move |conn| {
            write_tx(conn, |conn| match repo::find_by_email(conn, email.as_str())? {
                Some(user) if !user.confirmed() => send_confirmation(conn, &user, &links, ttl),
                _ => Ok(()),
            })
        })
        .await
}

/// Signs in with the password and, when the account has it on, the code of
/// the second factor (a wrong code counts as a failed sign-in). A device the
/// account has not signed in from before is told to its owner.
pub async fn login(state: &AppState, request: LoginRequest, ip: &str, device: Device) -> ApiResult<Session> {
    let email = request.validate()?;
    let limits = state.config.rate_limits;
    limit(state, format!("login:ip:{ip}"), limits.login_per_ip).await?;
    let failures = SignInFailures::new(&email, ip, limits);
    let lookup = email.clone();
    let checked = failures.clone();
    let user = state
        .db(move |c| {
            checked.allowed(c)?;
            Ok::<_, ApiError>(repo::find_by_email(c, lookup.as_str())?)
        })
        .await?;
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    let matches = state.passwords.verify(&request.password, hash).await?;
    let user = match user {
        Some(user) if matches => user,
        _ => {
            state.db(move |c| failures.record(c)).await?;
            return Err(ApiError::Unauthorized {
                code: ErrorCode::InvalidCredentials,
                detail: "Неверный адрес электронной почты или пароль",
            });
        }
    };
    if !user.confirmed() {
        return Err(ApiError::Forbidden {
            code: ErrorCode::EmailNotConfirmed,
            detail: "Адрес электронной почты ещё не подтверждён. Откройте ссылку из письма или запросите новое письмо",
        });
    }
    if user.disabled() {
        return Err(account_disabled());
    }
    let (cipher, id, code) = (state.cipher.clone(), user.id, request.second_factor_code());
    match state.db(move |c| second_factor::at_sign_in(c, &cipher, id, code.as_deref())).await? {
        SignInCheck::Off | SignInCheck::Passed => {}
        SignInCheck::Missing => {
            return Err(ApiError::Unauthorized {
                code: ErrorCode::SecondFactorRequired,
                detail: "Введите код из приложения-аутентификатора",
            });
        }
        SignInCheck::Wrong => {
            state.db(move |c| failures.record(c)).await?;
            return Err(ApiError::Unauthorized {
                code: ErrorCode::SecondFactorInvalid,
                detail: "Неверный код. Введите новый код из приложения-аутентификатора",
            });
        }
    }
    let (links, production, role) = (state.links(), state.config.production, user.role);
    let (setup_only, cookie) = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let setup_only = second_factor::setup_required(conn, production, &user)?;
                Ok::<_, ApiError>((setup_only, devices::recognise(conn, &links, &user, &device, now())?))
            })
        })
        .await?;
    let session = start_session(state, id, role, SessionId::random(), setup_only).await?;
    Ok(Session { device: Some(cookie), ..session })
}

fn account_disabled() -> ApiError {
    ApiError::Forbidden {
        code: ErrorCode::AccountDisabled,
        detail: "Учётная запись отключена. Если это ошибка, обратитесь к администратору или оператору",
    }
}

/// Wrong passwords for one account. Only failures count, so nobody locks an
/// account out by knocking with it. Past `login_per_account` failures in a
/// window the account is guarded: an address that has failed on it waits for
/// the window's end, while one that has not (its owner at home) still signs in.
#[derive(Debug, Clone)]
struct SignInFailures {
    account: String,
    from_address: String,
    limit: i32,
    window: std::time::Duration,
}

impl SignInFailures {
    fn new(email: &Email, ip: &str, limits: crate::config::RateLimits) -> Self {
        Self {
            account: format!("login:fail:{email}"),
            from_address: format!("login:fail:{email}:{ip}"),
            limit: limits.login_per_account,
            window: limits.window,
        }
    }

    fn allowed(&self, conn: &mut DbConn) -> ApiResult<()> {
        let (by_account, retry_after) = rate_limit::used(conn, &self.account, self.window)?;
        let (by_address, _) = rate_limit::used(conn, &self.from_address, self.window)?;
        if by_address >= self.limit || (by_account >= self.limit && by_address > 0) {
            return Err(ApiError::RateLimited { retry_after });
        }
        Ok(())
    }

    fn record(&self, conn: &mut DbConn) -> ApiResult<()> {
        rate_limit::count(conn, &self.account, self.window)?;
        rate_limit::count(conn, &self.from_address, self.window)?;
        Ok(())
    }
}

/// A field error unless the password is strong for this person.
fn strong_enough(password: &Password, user: &UserRow, field: &str) -> ApiResult<()> {
    let context = [user.email.as_str(), &user.last_name, &user.first_name, user.middle_name.as_deref().unwrap_or("")];
    passwords::check_strength(password, &context)
        .map_err(|message| ApiError::field(ErrorCode::WeakPassword, field, &message))
}

/// Issues the tokens of a sign-in; `setup_only`: the access token reaches
/// only the second factor's set-up.
async fn start_session(
    state: &AppState,
    user_id: i64,
    role: Role,
    session: SessionId,
    setup_only: bool,
) -> ApiResult<Session> {
    let (refresh_token, hash) = tokens::opaque_token();
    let expires = expiry(state.config.refresh_token_ttl);
    let family = session.to_hex();
    state.db(move |c| repo::insert_refresh_token(c, user_id, &family, &hash, expires)).await?;
    Ok(Session {
        access_token: state.tokens.issue_access(user_id, role, session, setup_only)?,
        expires_in: state.tokens.access_ttl.as_secs() as i64,
        refresh_token,
        device: None,
    })
}

/// Exchanges a refresh token for a new pair. Presenting a spent token again
/// means it leaked: the whole sign-in is revoked.
pub async fn refresh(state: &AppState, token: Option<String>) -> ApiResult<Session> {
    let invalid = ApiError::Unauthorized {
        code: ErrorCode::InvalidRefreshToken,
        detail: "Сеанс завершён. Войдите снова",
    };
    let Some(token) = token.filter(|t| !t.trim().is_empty() && t.len() <= 200) else { return Err(invalid) };
    let hash = tokens::hash_token(&token);
    let production = state.config.production;
    let rotation = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let rotation = repo::rotate_refresh_token(conn, &hash)?;
                let user = match &rotation {
                    Rotation::Rotated { user_id, .. } => repo::find(conn, *user_id)?.filter(|u| !u.disabled()),
                    Rotation::Reused { family, .. } => {
                        repo::revoke_family(conn, family)?;
                        None
                    }
                    Rotation::Invalid => None,
                };
                // An admin who has just turned the second factor on gets a full sign-in here.
                let setup_only = match &user {
                    Some(user) => second_factor::setup_required(conn, production, user)?,
                    None => false,
                };
                Ok::<_, ApiError>((rotation, user, setup_only))
            })
        })
        .await?;
    match rotation {
        (Rotation::Rotated { family, .. }, Some(user), setup_only) => {
            let session = SessionId::parse(&family).unwrap_or_else(SessionId::random);
            start_session(state, user.id, user.role, session, setup_only).await
        }
        (Rotation::Reused { user_id, .. }, _, _) => {
            tracing::warn!(user_id, "a spent refresh token was presented again; the sign-in is revoked");
            Err(ApiError::Unauthorized {
                code: ErrorCode::RefreshTokenReused,
                detail: "Сеанс завершён из соображений безопасности. Войдите снова",
            })
        }
        _ => Err(invalid),
    }
}

/// Ends the sign-in the refresh token belongs to. Unknown tokens are ignored.
pub async fn logout(state: &AppState, token: Option<String>) -> ApiResult<()> {
    let Some(token) = token.filter(|t| t.len() <= 200) else { return Ok(()) };
    let hash = tokens::hash_token(&token);
    state
        .db(move |conn| {
            use diesel::prelude::*;

            use crate::db::schema::refresh_tokens::dsl as rt;
            let family: Option<String> =
                rt::refresh_tokens.filter(rt::token_hash.eq(&hash)).select(rt::family).first(conn).optional()?;
            if let Some(family) = family {
                repo::revoke_family(conn, &family)?;
            }
            Ok::<_, ApiError>(())
        })
        .await
}

pub async fn request_password_reset(state: &AppState, email: Email, ip: &str) -> ApiResult<()> {
    limit(state, format!("reset:ip:{ip}"), state.config.rate_limits.reset_per_ip).await?;
    limit(state, format!("reset:account:{email}"), state.config.rate_limits.reset_per_account).await?;
    let links = state.links();
    let ttl = state.config.password_reset_ttl;
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                // A switched-off account gets no link: the answer is the same
                // as for an unknown address, so nothing is revealed.
                let Some(user) = repo::find_by_email(conn, email.as_str())?.filter(|u| !u.disabled()) else {
                    return Ok(());
                };
                let (token, hash) = tokens::opaque_token();
                repo::spend_email_tokens(conn, user.id, PASSWORD_RESET)?;
                repo::insert_email_token(conn, user.id, PASSWORD_RESET, &hash, expiry(ttl))?;
                let link = links.with_token("/password-reset/confirm", &token);
                let email = templates::password_reset(&user.greeting_name(), &link, ttl.as_secs() / 60);
                notifications::send_access_email(conn, recipient(&user), email)?;
                Ok::<_, ApiError>(())
            })
        })
        .await
}

/// Sets a new password from a reset link. The link proves the mailbox, so the
/// email counts as confirmed; every sign-in of the account ends.
pub async fn confirm_password_reset(state: &AppState, request: PasswordResetConfirm) -> ApiResult<()> {
    let password = request.validate()?;
    if request.token.len() > 200 {
        return Err(link_error(LinkUse::Unknown, ""));
    }
    let hash = state.passwords.hash(&password).await?;
    let token_hash = tokens::hash_token(&request.token);
    state
        .db(move |conn| {
            write_tx(conn, |conn| match repo::use_email_token(conn, PASSWORD_RESET, &token_hash)? {
                LinkUse::Accepted(user_id) => {
                    // A refusal rolls the transaction back: the link stays usable.
                    let user = repo::find(conn, user_id)?.ok_or_else(ApiError::unauthenticated)?;
                    if user.disabled() {
                        return Err(account_disabled());
                    }
                    strong_enough(&password, &user, "password")?;
                    repo::set_password(conn, user_id, &hash)?;
                    repo::confirm_email(conn, user_id)?;
                    repo::revoke_sessions(conn, user_id, None)?;
                    if let Some(user) = repo::find(conn, user_id)? {
                        notifications::notify(
                            conn,
                            recipient(&user),
                            templates::password_changed(&user.greeting_name()),
                        )?;
                    }
                    Ok(())
                }
                other => Err(link_error(other, "Эта ссылка уже использована. Запросите новое письмо, если нужно")),
            })
        })
        .await
}

pub async fn change_password(state: &AppState, caller: AuthUser, request: PasswordChangeRequest) -> ApiResult<()> {
    let new_password = request.validate()?;
    let limits = state.config.rate_limits;
    let failures = format!("password:fail:{}", caller.id);
    let bucket = failures.clone();
    let (failed, retry_after) = state.db(move |c| rate_limit::used(c, &bucket, limits.window)).await?;
    if failed >= limits.password_change_per_account {
        return Err(ApiError::RateLimited { retry_after });
    }
    let user = load(state, caller.id).await?;
    if !state.passwords.verify(&request.current_password, Some(user.password_hash.clone())).await? {
        state.db(move |c| rate_limit::count(c, &failures, limits.window)).await?;
        return Err(ApiError::field(
            ErrorCode::InvalidCredentials,
            "current_password",
            "Текущий пароль указан неверно",
        ));
    }
    if new_password.expose() == request.current_password {
        return Err(ApiError::field(
            ErrorCode::PasswordReused,
            "new_password",
            "Новый пароль должен отличаться от текущего",
        ));
    }
    strong_enough(&new_password, &user, "new_password")?;
    let hash = state.passwords.hash(&new_password).await?;
    let keep = caller.session().map(|s| s.to_hex());
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                repo::set_password(conn, user.id, &hash)?;
                repo::revoke_sessions(conn, user.id, keep.as_deref())?;
                notifications::notify(conn, recipient(&user), templates::password_changed(&user.greeting_name()))?;
                Ok::<_, ApiError>(())
            })
        })
        .await
}

async fn load(state: &AppState, id: i64) -> ApiResult<UserRow> {
    state.db(move |c| repo::find(c, id)).await?.ok_or_else(ApiError::unauthenticated)
}

pub async fn profile(state: &AppState, caller: AuthUser) -> ApiResult<Profile> {
    let id = caller.id;
    let (user, workplace, second_factor) = state.db(move |conn| with_workplace(conn, id)).await?;
    to_profile(state, user, workplace, second_factor)
}

/// The account, where an organization's staff member works, and whether
/// the second factor is on: one visit to the database.
fn with_workplace(conn: &mut DbConn, id: i64) -> ApiResult<(UserRow, Option<Workplace>, bool)> {
    let user = repo::find(conn, id)?.ok_or_else(ApiError::unauthenticated)?;
    let workplace = match user.organization_id {
        Some(organization) => repo::workplace(conn, organization)?,
        None => None,
    };
    let second_factor = super::sign_in_repo::second_factor_on(conn, id)?;
    Ok((user, workplace, second_factor))
}

pub async fn update_profile(state: &AppState, caller: AuthUser, update: ProfileUpdate) -> ApiResult<Profile> {
    let valid = update.validate(crate::clock::today())?;
    if valid.municipality_id.is_some() && caller.role.is_staff() {
        // A staff member's municipality is his territory: only the admin assigns it.
        return Err(ApiError::Forbidden {
            code: ErrorCode::AssignedByAdmin,
            detail: "Муниципалитет сотрудника назначает администратор: в профиле он не меняется",
        });
    }
    if let Some(id) = valid.municipality_id
        && !state.db(move |c| reference::repo::municipality_exists(c, id)).await?
    {
        return Err(unknown_municipality());
    }
    let changes = profile_changes(&state.cipher, valid)?;
    let id = caller.id;
    let (user, workplace, second_factor) = state
        .db(move |conn| {
            repo::update_profile(conn, id, &changes)?;
            with_workplace(conn, id)
        })
        .await?;
    to_profile(state, user, workplace, second_factor)
}

/// Rewrites the passports sealed with an earlier key, `batch` per
/// transaction; returns how many people were rewritten.
pub fn reseal_legacy(conn: &mut DbConn, cipher: &DataCipher, batch: i64) -> ApiResult<usize> {
    let reseal = |stored: &Option<String>| -> ApiResult<Option<String>> {
        Ok(cipher.encrypt_opt(cipher.decrypt_opt(stored.as_deref())?.as_deref())?)
    };
    crate::db::in_batches(conn, |conn| {
        let rows = repo::legacy_sealed(conn, batch)?;
        for (id, series, number) in &rows {
            repo::reseal(conn, *id, reseal(series)?, reseal(number)?)?;
        }
        Ok::<_, ApiError>(rows.len())
    })
}

/// The columns a checked profile update changes, the passport encrypted.
pub fn profile_changes(cipher: &DataCipher, valid: ValidProfileUpdate) -> ApiResult<ProfileChanges> {
    Ok(ProfileChanges {
        phone: valid.phone,
        last_name: valid.last_name,
        first_name: valid.first_name,
        middle_name: valid.middle_name,
        municipality_id: valid.municipality_id.map(Some),
        passport_series_enc: valid.passport_series.map(|v| cipher.encrypt_opt(v.as_deref())).transpose()?,
        passport_number_enc: valid.passport_number.map(|v| cipher.encrypt_opt(v.as_deref())).transpose()?,
        passport_issued_by: valid.passport_issued_by,
        passport_issued_at: valid.passport_issued_at,
        address: valid.address,
        updated_at: Some(now()),
    })
}

fn to_profile(
    state: &AppState,
    user: UserRow,
    workplace: Option<Workplace>,
    second_factor: bool,
) -> ApiResult<Profile> {
    let cipher = &state.cipher;
    Ok(Profile {
        second_factor,
        second_factor_required: second_factor::mandatory(state.config.production, user.role) && !second_factor,
        workplace,
        id: user.id,
        email_confirmed: user.confirmed(),
        role: user.role,
        passport_series: cipher.decrypt_opt(user.passport_series_enc.as_deref())?.unwrap_or_default(),
        passport_number: cipher.decrypt_opt(user.passport_number_enc.as_deref())?.unwrap_or_default(),
        email: user.email,
        phone: user.phone,
        last_name: user.last_name,
        first_name: user.first_name,
        middle_name: user.middle_name.unwrap_or_default(),
        municipality_id: user.municipality_id,
        passport_issued_by: user.passport_issued_by.unwrap_or_default(),
        passport_issued_at: user.passport_issued_at,
        address: user.address.unwrap_or_default(),
        birth_date: user.birth_date,
        consent_withdrawal: crate::consents::withdrawal(user.consent_withdrawn_at, user.depersonalize_after),
    })
}

/// Creates a confirmed account directly (demo data, administration).
pub fn create_confirmed_account(
    conn: &mut DbConn,
    email: &Email,
    password_hash: &str,
    role: Role,
    names: (&str, &str, Option<&str>),
    phone: &str,
    municipality_id: Option<i64>,
) -> ApiResult<Option<i64>> {
    let now = now();
    let new = NewUser {
        email: email.as_str(),
        password_hash,
        role,
        phone,
        last_name: names.0,
        first_name: names.1,
        middle_name: names.2,
        municipality_id,
        birth_date: None,
        email_confirmed_at: Some(now),
        created_at: now,
        updated_at: now,
    };
    Ok(repo::insert(conn, &new)?)
}
