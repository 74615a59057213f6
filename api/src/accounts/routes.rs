//! HTTP handlers of accounts: extract, call the service, answer.

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put, web};
use navigator_shared::ErrorCode;
use navigator_shared::Problem;
use navigator_shared::accounts::{
    AccountSwitch, EmailRequest, LoginRequest, Message, PasswordChangeRequest, PasswordResetConfirm, Profile,
    ProfileUpdate, RefreshRequest, RegisterRequest, SecondFactorCode, SecondFactorEnrolment, StaffAccount,
    StaffAssignment, StaffInvite, StaffQuery, TokenRequest, TokenResponse,
};
use navigator_shared::reference::Page;

use super::devices::{self, Device};
use super::service::{self, Session};
use crate::AppState;
use crate::auth::{AuthUser, SettingUp, client_ip};
use crate::error::{ApiError, ApiResult, answers};

/// The web client's refresh-token cookie: HttpOnly, sent only to the auth endpoints.
const REFRESH_COOKIE: &str = "navigator_refresh";
const COOKIE_PATH: &str = "/api/v1/auth";

fn accepted(detail: &str) -> HttpResponse {
    HttpResponse::Accepted().json(Message::new(detail))
}

fn refresh_cookie<'a>(state: &AppState, value: String, max_age: time::Duration) -> Cookie<'a> {
    Cookie::build(REFRESH_COOKIE, value)
        .path(COOKIE_PATH)
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.links().is_https())
        .max_age(max_age)
        .finish()
}

/// The browser's device cookie: it tells a known browser from a new one at
/// sign-in, so it goes to the auth endpoints only.
fn device_cookie<'a>(state: &AppState, value: String) -> Cookie<'a> {
    Cookie::build(devices::COOKIE, value)
        .path(COOKIE_PATH)
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.links().is_https())
        .max_age(time::Duration::days(devices::KEEP_DAYS))
        .finish()
}

fn session_response(state: &AppState, session: Session, use_cookie: bool) -> HttpResponse {
    let body = |refresh_token| TokenResponse {
        access_token: session.access_token.clone(),
        token_type: "Bearer".into(),
        expires_in: session.expires_in,
        refresh_token,
    };
    let mut response = HttpResponse::Ok();
    if use_cookie {
        let max_age = time::Duration::seconds(state.config.refresh_token_ttl.as_secs() as i64);
        response.cookie(refresh_cookie(state, session.refresh_token.clone(), max_age));
    }
    if let Some(device) = &session.device {
        response.cookie(device_cookie(state, device.clone()));
    }
    response.json(body((!use_cookie).then(|| session.refresh_token.clone())))
}

/// The refresh token from the body (integrators) or the cookie (web client).
/// A cookie rides along with any request the browser sends, so it counts
/// only on a request from the service's own pages (`Origin`): another site
/// cannot refresh or end a sign-in with it.
fn presented_refresh_token(
    state: &AppState,
    req: &HttpRequest,
    body: Option<web::Json<RefreshRequest>>,
) -> ApiResult<(Option<String>, bool)> {
    if let Some(token) = body.and_then(|b| b.into_inner().refresh_token) {
        return Ok((Some(token), false));
    }
    let Some(cookie) = req.cookie(REFRESH_COOKIE) else { return Ok((None, true)) };
    let origin = req.headers().get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let own = match state.config.public_url.as_deref() {
        Some(public) => public.trim_end_matches('/').to_owned(),
        None => {
            let info = req.connection_info();
            format!("{}://{}", info.scheme(), info.host())
        }
    };
    if origin != Some(own.as_str()) {
        return Err(ApiError::Forbidden {
            code: ErrorCode::ForeignOrigin,
            detail: "Запрос пришёл не со страницы Навигатора: сеанс по cookie не продлевается",
        });
    }
    Ok((Some(cookie.value().to_owned()), true))
}

/// Registers a parent account and emails a confirmation link. The answer does
/// not tell whether the email was already registered.
#[utoipa::path(
    tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 202, body = Message),
        answers::Invalid,
        answers::TooMany,
    )
)]
#[post("/auth/register")]
pub async fn register(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<RegisterRequest>,
) -> ApiResult<HttpResponse> {
    service::register(&state, body.into_inner(), &client_ip(&req)).await?;
    Ok(accepted(service::REGISTERED))
}

/// Confirms the email with the token of the emailed link.
#[utoipa::path(
    tag = "auth",
    request_body = TokenRequest,
    responses(
        (status = 200, body = Message),
        (status = 400, description = "invalid_token, expired_token or token_used", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/confirm-email")]
pub async fn confirm_email(state: web::Data<AppState>, body: web::Json<TokenRequest>) -> ApiResult<web::Json<Message>> {
    service::confirm_email(&state, body.into_inner().token).await?;
    Ok(web::Json(Message::new("Адрес электронной почты подтверждён. Теперь можно войти")))
}

/// Sends a new confirmation link to an unconfirmed address.
#[utoipa::path(
    tag = "auth",
    request_body = EmailRequest,
    responses(
        (status = 202, body = Message),
        answers::Invalid,
        answers::TooMany,
    )
)]
#[post("/auth/resend-confirmation")]
pub async fn resend_confirmation(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<EmailRequest>,
) -> ApiResult<HttpResponse> {
    let email = body.validate()?;
    service::resend_confirmation(&state, email, &client_ip(&req)).await?;
    Ok(accepted(service::CONFIRMATION_SENT))
}

/// Signs in. Returns an access token; the refresh token comes in the body, or
/// as an HttpOnly cookie when `use_cookie` is set (the web client). An
/// account with the second factor on needs `code` too. The answer sets the
/// device cookie `navigator_device` (400 days); a sign-in from a browser or
/// program the account has not used before is told to its owner. An admin
/// without the second factor in production gets a sign-in that reaches only
/// `GET /me` and the second factor's endpoints.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, body = TokenResponse),
        answers::Invalid,
        (status = 401, description = "invalid_credentials; second_factor_required (send `code`); second_factor_invalid (a wrong or used code, counted as a failed sign-in)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "email_not_confirmed", body = Problem, content_type = "application/problem+json"),
        answers::TooMany,
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<LoginRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let use_cookie = body.use_cookie;
    let cookie = req.cookie(devices::COOKIE);
    let user_agent = req.headers().get(header::USER_AGENT).and_then(|v| v.to_str().ok());
    let device = Device::new(cookie.as_ref().map(|c| c.value()), user_agent, use_cookie);
    let session = service::login(&state, body, &client_ip(&req), device).await?;
    Ok(session_response(&state, session, use_cookie))
}

/// Exchanges a refresh token (body or cookie) for a new pair. Each refresh
/// token works once; presenting a spent one ends the whole sign-in.
#[utoipa::path(
    tag = "auth",
    request_body(content = Option<RefreshRequest>),
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, description = "invalid_refresh_token or refresh_token_reused", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "foreign_origin: the cookie came with a request from another site", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Option<web::Json<RefreshRequest>>,
) -> ApiResult<HttpResponse> {
    let (token, from_cookie) = presented_refresh_token(&state, &req, body)?;
    let session = service::refresh(&state, token).await?;
    Ok(session_response(&state, session, from_cookie))
}

/// Signs out: the refresh token (body or cookie) and its sign-in stop working.
#[utoipa::path(
    tag = "auth",
    request_body(content = Option<RefreshRequest>),
    responses(
        (status = 204),
        (status = 403, description = "foreign_origin: the cookie came with a request from another site", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Option<web::Json<RefreshRequest>>,
) -> ApiResult<HttpResponse> {
    let (token, _) = presented_refresh_token(&state, &req, body)?;
    service::logout(&state, token).await?;
    let expired = refresh_cookie(&state, String::new(), time::Duration::ZERO);
    Ok(HttpResponse::NoContent().cookie(expired).finish())
}

/// Emails a password reset link, if the account exists (the answer is the same either way).
#[utoipa::path(
    tag = "auth",
    request_body = EmailRequest,
    responses(
        (status = 202, body = Message),
        answers::Invalid,
        answers::TooMany,
    )
)]
#[post("/auth/password-reset")]
pub async fn password_reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<EmailRequest>,
) -> ApiResult<HttpResponse> {
    let email = body.validate()?;
    service::request_password_reset(&state, email, &client_ip(&req)).await?;
    Ok(accepted(service::RESET_SENT))
}

/// Sets a new password with the token of the emailed link (single use, expires).
#[utoipa::path(
    tag = "auth",
    request_body = PasswordResetConfirm,
    responses(
        (status = 200, body = Message),
        (status = 400, description = "validation_failed, invalid_token, expired_token or token_used", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/password-reset/confirm")]
pub async fn password_reset_confirm(
    state: web::Data<AppState>,
    body: web::Json<PasswordResetConfirm>,
) -> ApiResult<web::Json<Message>> {
    service::confirm_password_reset(&state, body.into_inner()).await?;
    Ok(web::Json(Message::new("Пароль изменён. Войдите с новым паролем")))
}

/// The signed-in user's profile (also for an admin's sign-in that may only
/// set up the second factor).
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    responses((status = 200, body = Profile), answers::Unauthenticated)
)]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, caller: SettingUp) -> ApiResult<web::Json<Profile>> {
    Ok(web::Json(service::profile(&state, caller.0).await?))
}

/// Starts turning on «вход с кодом» (staff, operators, admins): a new secret
/// for the authenticator app, replacing one not yet confirmed.
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    responses(
        (status = 200, body = SecondFactorEnrolment),
        answers::Unauthenticated,
        (status = 403, description = "forbidden: families do not use the second factor", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "invalid_status: the second factor is on already", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/second-factor")]
pub async fn start_second_factor(
    state: web::Data<AppState>,
    caller: SettingUp,
) -> ApiResult<web::Json<SecondFactorEnrolment>> {
    Ok(web::Json(super::second_factor::start(&state, caller.0).await?))
}

/// Turns the second factor on with the first code from the app. An admin's
/// set-up sign-in becomes a full one at the next refresh.
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    request_body = SecondFactorCode,
    responses(
        (status = 204),
        answers::Invalid,
        answers::Unauthenticated,
        answers::Forbidden,
        (status = 409, description = "invalid_status: no enrolment was started", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "second_factor_invalid: a wrong or used code, told under `code`", body = Problem, content_type = "application/problem+json"),
        answers::TooMany,
    )
)]
#[post("/me/second-factor/confirm")]
pub async fn confirm_second_factor(
    state: web::Data<AppState>,
    caller: SettingUp,
    body: web::Json<SecondFactorCode>,
) -> ApiResult<HttpResponse> {
    super::second_factor::confirm(&state, caller.0, body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Turns the second factor off with a current code (an admin in production may not).
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    request_body = SecondFactorCode,
    responses(
        (status = 204),
        answers::Invalid,
        answers::Unauthenticated,
        answers::Forbidden,
        (status = 409, description = "invalid_status: the second factor is off", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "second_factor_invalid: a wrong or used code, told under `code`", body = Problem, content_type = "application/problem+json"),
        answers::TooMany,
    )
)]
#[delete("/me/second-factor")]
pub async fn disable_second_factor(
    state: web::Data<AppState>,
    caller: SettingUp,
    body: web::Json<SecondFactorCode>,
) -> ApiResult<HttpResponse> {
    super::second_factor::disable(&state, caller.0, body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Changes the profile: only the fields present; an empty string clears an optional field.
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    request_body = ProfileUpdate,
    responses(
        (status = 200, body = Profile),
        answers::Invalid,
        answers::Unauthenticated,
    )
)]
#[patch("/me")]
pub async fn update_me(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: web::Json<ProfileUpdate>,
) -> ApiResult<web::Json<Profile>> {
    Ok(web::Json(service::update_profile(&state, caller, body.into_inner()).await?))
}

/// Changes the password; every other sign-in of the account ends.
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    request_body = PasswordChangeRequest,
    responses(
        (status = 204),
        (status = 400, description = "validation_failed or invalid_credentials", body = Problem, content_type = "application/problem+json"),
        answers::Unauthenticated,
    )
)]
#[post("/me/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: web::Json<PasswordChangeRequest>,
) -> ApiResult<HttpResponse> {
    service::change_password(&state, caller, body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The region's operators (`role=operator`, default) or admins
/// (`role=admin`) with their municipalities and whether they are switched off (admin).
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(StaffQuery),
    responses(
        (status = 200, body = Page<StaffAccount>),
        answers::Invalid,
        answers::Unauthenticated,
        answers::Forbidden,
    )
)]
#[get("/staff")]
pub async fn staff_list(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<StaffQuery>,
) -> ApiResult<web::Json<Page<StaffAccount>>> {
    Ok(web::Json(super::staff::list(&state, caller, query.into_inner()).await?))
}

/// Opens the account of an operator or an admin (admin); the person gets an
/// email with a link to set the password. Audited.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    request_body = StaffInvite,
    responses(
        (status = 201, body = StaffAccount),
        answers::Invalid,
        answers::Unauthenticated,
        answers::Forbidden,
        (status = 409, description = "The email is taken", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff")]
pub async fn invite_staff(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: web::Json<StaffInvite>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(super::staff::invite(&state, caller, body.into_inner()).await?))
}

/// Switches a staff account off: it cannot sign in and its sessions end at
/// once (the admin: any staff account but his own; the operator: the staff
/// of his municipality's organizations). Audited with the reason.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The staff member's account")),
    request_body = AccountSwitch,
    responses(
        (status = 200, body = StaffAccount),
        answers::Invalid,
        answers::Unauthenticated,
        answers::Forbidden,
        answers::NotFound,
        (status = 409, description = "The caller's own account", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/{id}/disable")]
pub async fn disable_staff(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<AccountSwitch>,
) -> ApiResult<web::Json<StaffAccount>> {
    Ok(web::Json(super::staff::switch(&state, caller, id.into_inner(), false, body.into_inner()).await?))
}

/// Switches a staff account on again (who may: as for switching off). Audited.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The staff member's account")),
    request_body = AccountSwitch,
    responses(
        (status = 200, body = StaffAccount),
        answers::Invalid,
        answers::Unauthenticated,
        answers::Forbidden,
        answers::NotFound,
        (status = 409, description = "The caller's own account", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/{id}/enable")]
pub async fn enable_staff(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<AccountSwitch>,
) -> ApiResult<web::Json<StaffAccount>> {
    Ok(web::Json(super::staff::switch(&state, caller, id.into_inner(), true, body.into_inner()).await?))
}

/// Sets where a staff member works: the admin assigns an operator's
/// municipality; the admin or the operator of the municipality moves an
/// organization's staff member to another organization. Audited with the reason.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The staff member's account")),
    request_body = StaffAssignment,
    responses(
        (status = 200, body = StaffAccount),
        answers::Invalid,
        answers::Unauthenticated,
        answers::Forbidden,
        answers::NotFound,
    )
)]
#[put("/staff/{id}/assignment")]
pub async fn assign_staff(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: web::Json<StaffAssignment>,
) -> ApiResult<web::Json<StaffAccount>> {
    Ok(web::Json(super::staff::assign(&state, caller, id.into_inner(), body.into_inner()).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(register)
        .service(confirm_email)
        .service(resend_confirmation)
        .service(login)
        .service(refresh)
        .service(logout)
        .service(password_reset)
        .service(password_reset_confirm)
        .service(me)
        .service(update_me)
        .service(change_password)
        .service(start_second_factor)
        .service(confirm_second_factor)
        .service(disable_second_factor)
        .service(staff_list)
        .service(invite_staff)
        .service(disable_staff)
        .service(enable_staff)
        .service(assign_staff);
}
