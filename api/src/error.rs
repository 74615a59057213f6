//! The one error type of the API and its RFC 9457 problem+json answer.

use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use navigator_shared::{ErrorCode, FieldErrors, Problem};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Input broke a field rule.
    #[error("validation failed")]
    Validation(FieldErrors),
    /// The request body or query could not be read at all.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// Valid input the operation cannot accept (e.g. an expired link).
    #[error("rejected: {}", code.as_str())]
    Rejected { code: ErrorCode, detail: String, errors: FieldErrors },
    #[error("unauthorized: {}", code.as_str())]
    Unauthorized { code: ErrorCode, detail: &'static str },
    #[error("forbidden: {}", code.as_str())]
    Forbidden { code: ErrorCode, detail: &'static str },
    #[error("not found")]
    NotFound { detail: &'static str },
    #[error("conflict: {}", code.as_str())]
    Conflict { code: ErrorCode, detail: String },
    /// A conflict with stored data that the input's fields cause, told under them.
    #[error("conflict: {}", code.as_str())]
    FieldConflict { code: ErrorCode, detail: String, errors: FieldErrors },
    /// Well-formed, but cannot be processed as sent (a reused idempotency key).
    #[error("unprocessable: {}", code.as_str())]
    Unprocessable { code: ErrorCode, detail: &'static str },
    /// Well-formed fields that do not match stored data, told under the fields (422).
    #[error("unprocessable: {}", code.as_str())]
    Mismatch { code: ErrorCode, detail: &'static str, errors: FieldErrors },
    #[error("rate limited")]
    RateLimited { retry_after: Duration },
    #[error("service unavailable")]
    Unavailable,
    /// The request body did not arrive in time.
    #[error("request body too slow")]
    SlowRequest,
    /// Anything else: logged with its cause chain, never shown.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type ApiResult<T> = Result<T, ApiError>;

/// Whole seconds to wait, rounded up, at least one (`Retry-After`).
fn retry_seconds(wait: Duration) -> u64 {
    (wait.as_millis().div_ceil(1000) as u64).max(1)
}

impl From<FieldErrors> for ApiError {
    fn from(errors: FieldErrors) -> Self {
        ApiError::Validation(errors)
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        // SQLite's writer lock not granted within `busy_timeout`: the service is
        // overloaded for the moment, and the request may be repeated.
        if let diesel::result::Error::DatabaseError(_, info) = &error
            && info.message().starts_with("database is locked")
        {
            tracing::warn!("the SQLite write lock was not granted in time");
            return ApiError::Unavailable;
        }
        ApiError::Internal(error.into())
    }
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(error: diesel::r2d2::PoolError) -> Self {
        tracing::error!(%error, "no database connection");
        ApiError::Unavailable
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(error: actix_web::error::BlockingError) -> Self {
        ApiError::Internal(anyhow::anyhow!("blocking task failed: {error}"))
    }
}

impl ApiError {
    /// A rejection with one message on one field.
    pub fn field(code: ErrorCode, field: &str, detail: &str) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(field, detail);
        ApiError::Rejected { code, detail: detail.to_owned(), errors }
    }

    pub fn unauthenticated() -> Self {
        ApiError::Unauthorized {
            code: ErrorCode::Unauthenticated, detail: "Войдите в Навигатор, чтобы продолжить"
        }
    }

    pub fn forbidden() -> Self {
        ApiError::Forbidden {
            code: ErrorCode::Forbidden, detail: "Недостаточно прав для этого действия"
        }
    }

    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let (code, detail, errors) = match self {
            ApiError::Validation(errors) => {
                (ErrorCode::ValidationFailed, "Проверьте правильность заполнения полей".to_owned(), errors.clone())
            }
            ApiError::BadRequest(detail) => (ErrorCode::BadRequest, detail.clone(), FieldErrors::new()),
            ApiError::Rejected { code, detail, errors } | ApiError::FieldConflict { code, detail, errors } => {
                (*code, detail.clone(), errors.clone())
            }
            ApiError::Mismatch { code, detail, errors } => (*code, (*detail).to_owned(), errors.clone()),
            ApiError::Unauthorized { code, detail } | ApiError::Forbidden { code, detail } => {
                (*code, (*detail).to_owned(), FieldErrors::new())
            }
            ApiError::NotFound { detail } => (ErrorCode::NotFound, (*detail).to_owned(), FieldErrors::new()),
            ApiError::Conflict { code, detail } => (*code, detail.clone(), FieldErrors::new()),
            ApiError::Unprocessable { code, detail } => (*code, (*detail).to_owned(), FieldErrors::new()),
            ApiError::RateLimited { retry_after } => {
                let wait = match retry_seconds(*retry_after) {
                    secs @ 0..60 => format!("{secs} с"),
                    secs => format!("{} мин.", secs.div_ceil(60)),
                };
                (
                    ErrorCode::TooManyRequests,
                    format!("Слишком много запросов. Повторите через {wait}"),
                    FieldErrors::new(),
                )
            }
            ApiError::Unavailable => (
                ErrorCode::ServiceUnavailable,
                "Сервис временно недоступен, попробуйте через минуту".to_owned(),
                FieldErrors::new(),
            ),
            ApiError::SlowRequest => (
                ErrorCode::RequestTimeout,
                "Тело запроса не было получено вовремя. Проверьте соединение и повторите".to_owned(),
                FieldErrors::new(),
            ),
            ApiError::Internal(_) => (
                ErrorCode::InternalError,
                "Внутренняя ошибка сервиса. Мы уже разбираемся".to_owned(),
                FieldErrors::new(),
            ),
        };
        Problem {
            type_: "about:blank".into(),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            code: code.as_str().to_owned(),
            detail,
            errors,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) | ApiError::BadRequest(_) | ApiError::Rejected { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::Conflict { .. } | ApiError::FieldConflict { .. } => StatusCode::CONFLICT,
            ApiError::Unprocessable { .. } | ApiError::Mismatch { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::SlowRequest => StatusCode::REQUEST_TIMEOUT,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(error) = self {
            tracing::error!(error = format!("{error:#}"), "internal error");
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json")));
        if let ApiError::RateLimited { retry_after } = self {
            response.insert_header((header::RETRY_AFTER, retry_seconds(*retry_after).to_string()));
        }
        if let ApiError::Unauthorized { .. } = self {
            response.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
        }
        response.json(self.problem())
    }
}

/// The problem answers as the OpenAPI document lists them: a path's
/// `responses(...)` names these instead of repeating the problem tuple.
pub mod answers {
    use navigator_shared::Problem;
    use utoipa::IntoResponses;

    /// A problem answer of one status, documented once.
    macro_rules! answer {
        ($(#[$doc:meta])* $name:ident = ($status:literal, $description:literal)) => {
            $(#[$doc])*
            #[derive(IntoResponses)]
            #[response(status = $status, description = $description, content_type = "application/problem+json")]
            pub struct $name(pub Problem);
        };
    }

    answer!(
        /// 400: a field rule broken (messages per field in `errors`) or a request not read.
        Invalid = (400, "Bad request")
    );
    answer!(
        /// 401: sign in first.
        Unauthenticated = (401, "Unauthorized")
    );
    answer!(
        /// 403: the caller's role or reach does not allow it.
        Forbidden = (403, "Forbidden")
    );
    answer!(
        /// 404: no such record, or not one the caller may see.
        NotFound = (404, "Not found")
    );
    answer!(
        /// 409: the stored data do not allow it now (the code says why).
        Conflict = (409, "Conflict")
    );
    answer!(
        /// 422: well-formed but not processable as sent.
        Unprocessable = (422, "Unprocessable")
    );
    answer!(
        /// 429: too many attempts; `Retry-After` says when to come back.
        TooMany = (429, "Too many requests")
    );
    answer!(
        /// 503: the database is out of reach for now.
        Unavailable = (503, "Service unavailable")
    );
}

/// Problem answers for requests actix rejects before a handler runs
/// (unreadable JSON, wrong query or path types).
pub mod extractors {
    use actix_web::{HttpRequest, error, web};

    use super::ApiError;

    pub fn json_config() -> web::JsonConfig {
        web::JsonConfig::default().limit(64 * 1024).error_handler(|err, _req: &HttpRequest| {
            let detail = match &err {
                error::JsonPayloadError::ContentType => {
                    "Ожидается тело запроса в формате JSON (Content-Type: application/json)".to_owned()
                }
                error::JsonPayloadError::Overflow { .. } | error::JsonPayloadError::OverflowKnownLength { .. } => {
                    "Тело запроса слишком большое".to_owned()
                }
                error::JsonPayloadError::Deserialize(e) => {
                    if let Some(field) = missing_field(e) {
                        let mut errors = navigator_shared::FieldErrors::new();
                        errors.add(&field, "Заполните это поле");
                        return ApiError::Validation(errors).into();
                    }
                    format!("Некорректный JSON: {}", describe_serde(e))
                }
                other => format!("Не удалось прочитать тело запроса: {other}"),
            };
            ApiError::BadRequest(detail).into()
        })
    }

    pub fn query_config() -> web::QueryConfig {
        web::QueryConfig::default().error_handler(|err, _req: &HttpRequest| {
            ApiError::BadRequest(format!("Некорректные параметры запроса: {err}")).into()
        })
    }

    pub fn path_config() -> web::PathConfig {
        web::PathConfig::default().error_handler(|_err, _req: &HttpRequest| {
            ApiError::NotFound { detail: "Такой страницы нет" }.into()
        })
    }

    /// The field name of serde's "missing field `name`" error.
    fn missing_field(error: &serde_json::Error) -> Option<String> {
        let message = error.to_string();
        let rest = message.strip_prefix("missing field `")?;
        Some(rest.split('`').next()?.to_owned())
    }

    /// Turns the empty 404/405 answers of the router into problem details.
    pub fn problem_for_router_errors<B>(
        res: actix_web::dev::ServiceResponse<B>,
    ) -> actix_web::Result<actix_web::middleware::ErrorHandlerResponse<B>> {
        use actix_web::ResponseError;
        use actix_web::http::{StatusCode, header};
        let is_problem = res
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
        if is_problem {
            return Ok(actix_web::middleware::ErrorHandlerResponse::Response(res.map_into_left_body()));
        }
        let error = if res.status() == StatusCode::METHOD_NOT_ALLOWED {
            ApiError::Rejected {
                code: navigator_shared::ErrorCode::MethodNotAllowed,
                detail: "Этот метод не поддерживается для данного адреса".into(),
                errors: navigator_shared::FieldErrors::new(),
            }
        } else {
            ApiError::NotFound {
                detail: "Такого адреса в API нет. Список адресов: /api/docs"
            }
        };
        let mut response = error.error_response();
        if res.status() == StatusCode::METHOD_NOT_ALLOWED {
            *response.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
        }
        let (req, _) = res.into_parts();
        let res = actix_web::dev::ServiceResponse::new(req, response).map_into_right_body();
        Ok(actix_web::middleware::ErrorHandlerResponse::Response(res))
    }

    fn describe_serde(error: &serde_json::Error) -> String {
        match error.classify() {
            serde_json::error::Category::Data => format!("поле не того типа или не заполнено ({error})"),
            _ => format!("ошибка разбора ({error})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_never_leak_their_cause() {
        let problem = ApiError::Internal(anyhow::anyhow!("password=secret in SQL")).problem();
        assert_eq!(problem.status, 500);
        assert!(!problem.detail.contains("secret"));
    }

    #[test]
    fn rate_limit_detail_names_minutes() {
        let problem = ApiError::RateLimited { retry_after: Duration::from_secs(90) }.problem();
        assert_eq!((problem.status, problem.code.as_str()), (429, "too_many_requests"));
        assert!(problem.detail.contains("2 мин"));
        let problem = ApiError::RateLimited { retry_after: Duration::from_millis(1200) }.problem();
        assert!(problem.detail.contains("через 2 с"), "{}", problem.detail);
    }

    #[test]
    fn a_write_lock_not_granted_in_time_is_unavailable_not_internal() {
        use diesel::result::{DatabaseErrorKind, Error};
        let locked = Error::DatabaseError(DatabaseErrorKind::Unknown, Box::new("database is locked".to_owned()));
        assert_eq!(ApiError::from(locked).problem().status, 503);
        let other = Error::DatabaseError(DatabaseErrorKind::Unknown, Box::new("disk I/O error".to_owned()));
        assert_eq!(ApiError::from(other).problem().status, 500);
    }
}
