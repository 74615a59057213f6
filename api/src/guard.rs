//! What every request passes before a handler sees it: the body arrives in
//! time (a client that announces a body and trickles it is cut off, and only
//! so many bodies are read at once), and no text of the query or of a JSON
//! body carries control characters (a NUL byte is refused by PostgreSQL and
//! would be stored by SQLite).

use std::sync::Arc;
use std::time::Duration;

use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::web::{self, Bytes, BytesMut};
use futures_util::StreamExt;
use navigator_shared::FieldErrors;
use tokio::sync::Semaphore;

use crate::error::ApiError;

/// The largest body read at all; JSON bodies are limited further by their extractor.
const MAX_BODY: usize = 1024 * 1024;

/// Limits of body reading, shared by the workers.
#[derive(Clone)]
pub struct BodyLimits {
    /// The whole body must arrive within this time.
    pub timeout: Duration,
    slots: Arc<Semaphore>,
}

impl BodyLimits {
    /// `concurrent`: bodies read at once; more clients wait no longer than `timeout` for a slot.
    pub fn new(timeout: Duration, concurrent: usize) -> Self {
        Self { timeout, slots: Arc::new(Semaphore::new(concurrent)) }
    }
}

/// The middleware (`actix_web::middleware::from_fn`).
pub async fn guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    check_query(req.query_string())?;
    if has_body(&req) {
        let limits = req
            .app_data::<web::Data<BodyLimits>>()
            .cloned()
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("body limits are not registered")))?;
        let body = read_body(req.take_payload(), &limits).await?;
        if is_json(&req) {
            check_json(&body)?;
        }
        req.set_payload(Payload::from(body));
    }
    next.call(req).await
}

fn has_body(req: &ServiceRequest) -> bool {
    let announced =
        req.headers().contains_key(header::CONTENT_LENGTH) || req.headers().contains_key(header::TRANSFER_ENCODING);
    announced && !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
}

fn is_json(req: &ServiceRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("json"))
}

async fn read_body(mut payload: Payload, limits: &BodyLimits) -> Result<Bytes, ApiError> {
    let deadline = tokio::time::Instant::now() + limits.timeout;
    let _slot = tokio::time::timeout_at(deadline, limits.slots.acquire())
        .await
        .map_err(|_| ApiError::Unavailable)?
        .map_err(|_| ApiError::Unavailable)?;
    let mut body = BytesMut::new();
    loop {
        match tokio::time::timeout_at(deadline, payload.next()).await {
            Err(_) => return Err(ApiError::SlowRequest),
            Ok(None) => return Ok(body.freeze()),
            Ok(Some(Err(error))) => {
                return Err(ApiError::BadRequest(format!("Не удалось прочитать тело запроса: {error}")));
            }
            Ok(Some(Ok(chunk))) => {
                if body.len() + chunk.len() > MAX_BODY {
                    return Err(ApiError::BadRequest("Тело запроса слишком большое".into()));
                }
                body.extend_from_slice(&chunk);
            }
        }
    }
}

/// Line breaks and tabs belong in multi-line text; no other control character does.
fn forbidden(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\r' | '\t')
}

const MESSAGE: &str = "Текст содержит недопустимые управляющие символы";

/// Refuses a query parameter whose name or value decodes to a control character.
fn check_query(query: &str) -> Result<(), ApiError> {
    if !query.contains('%') && !query.bytes().any(|b| b.is_ascii_control()) {
        return Ok(());
    }
    let mut errors = FieldErrors::new();
    for pair in query.split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = percent_decode(name);
        if name.chars().any(|c| c.is_control()) || percent_decode(value).chars().any(|c| c.is_control()) {
            errors.add(&name.replace(|c: char| c.is_control(), ""), MESSAGE);
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(ApiError::Validation(errors)) }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(high), Some(low)) => {
                    out.push(high << 4 | low);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(digit: u8) -> Option<u8> {
    (digit as char).to_digit(16).map(|d| d as u8)
}

/// Refuses a JSON body with a control character in any string; the error
/// names the field (`changes.last_name`, `schedule.0.note`).
fn check_json(body: &[u8]) -> Result<(), ApiError> {
    // Every body of the API is an object: serde would read `[null, null]` as
    // a struct of absent fields and answer 200 for a request that said nothing.
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        None | Some(b'{') => {}
        Some(_) => return Err(ApiError::BadRequest("Тело запроса должно быть JSON-объектом: {…}".into())),
    }
    // Raw control bytes are not valid JSON and the extractor refuses them;
    // escaped ones can only come as `\u`.
    if !body.windows(2).any(|w| w == b"\\u") {
        return Ok(());
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else { return Ok(()) };
    let mut errors = FieldErrors::new();
    walk(&value, String::new(), &mut errors);
    if errors.is_empty() { Ok(()) } else { Err(ApiError::Validation(errors)) }
}

fn walk(value: &serde_json::Value, path: String, errors: &mut FieldErrors) {
    let join = |key: &str| if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") };
    match value {
        serde_json::Value::String(text) if text.chars().any(forbidden) => errors.add(&path, MESSAGE),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, join(&i.to_string()), errors);
            }
        }
        serde_json::Value::Object(fields) => {
            for (key, item) in fields {
                if key.chars().any(forbidden) {
                    errors.add(&join(&key.replace(forbidden, "")), MESSAGE);
                } else {
                    walk(item, join(key), errors);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(result: Result<(), ApiError>) -> Vec<String> {
        match result {
            Err(ApiError::Validation(errors)) => errors.0.keys().cloned().collect(),
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn control_characters_in_json_are_named_by_field() {
        assert!(check_json(br#"{"note":"line\nnext\tcol"}"#).is_ok());
        assert!(check_json(br#"{"note":"\u0436 ok"}"#).is_ok());
        assert_eq!(field_of(check_json(br#"{"note":"a\u0000b"}"#)), ["note"]);
        assert_eq!(field_of(check_json(br#"{"changes":{"last_name":"\u001b[31m"}}"#)), ["changes.last_name"]);
        assert_eq!(field_of(check_json(br#"{"days":[{"note":"x\u007f"}]}"#)), ["days.0.note"]);
        assert!(check_json(br#"{"note":"\\u0000 is text"}"#).is_ok(), "an escaped backslash is text");
        assert!(matches!(check_json(b"[null,null]"), Err(ApiError::BadRequest(_))), "not an object");
        assert!(matches!(check_json(b" 42"), Err(ApiError::BadRequest(_))));
        assert!(check_json(b"").is_ok() && check_json(b" {}").is_ok());
    }

    #[test]
    fn control_characters_in_the_query_are_refused() {
        assert!(check_query("q=%D0%BC%D1%83%D0%B7%D1%8B%D0%BA%D0%B0&page=2").is_ok());
        assert!(check_query("q=100%25").is_ok());
        assert!(check_query("q=%zz").is_ok());
        assert_eq!(field_of(check_query("last_name=%00&page=1")), ["last_name"]);
        assert_eq!(field_of(check_query("q=a%0Ab")), ["q"]);
    }
}
