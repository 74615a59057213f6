//! «Вход с нового устройства»: every sign-in is matched against the devices
//! the account signed in from before, and a device not seen before is told
//! to the owner by email and in-app message — unless it is the account's
//! first sign-in ever.
//!
//! A browser is known by a long-lived random HttpOnly cookie set on the
//! sign-in answer ([`COOKIE`]); a program without cookies (an API client)
//! by its `User-Agent`. Only hashes are kept, with a label for people
//! («Firefox, Windows»). Devices not seen for [`KEEP_DAYS`] are forgotten by
//! the housekeeping.

use chrono::NaiveDateTime;

use super::repo::UserRow;
use super::service::recipient;
use super::sign_in_repo as store;
use crate::auth::tokens;
use crate::db::DbConn;
use crate::error::ApiResult;
use crate::notifications::{self, templates};

/// The device cookie: sent to the sign-in endpoint only.
pub const COOKIE: &str = "navigator_device";
/// How long a device is remembered after its last sign-in (and the cookie lives).
pub const KEEP_DAYS: i64 = 400;

/// What a sign-in request tells of the device it came from.
#[derive(Debug, Clone, Default)]
pub struct Device {
    /// The device cookie, when it came and looks like one of ours.
    cookie: Option<String>,
    user_agent: String,
    /// The web client (`use_cookie`): a browser, known by its cookie alone.
    browser: bool,
}

impl Device {
    pub fn new(cookie: Option<&str>, user_agent: Option<&str>, browser: bool) -> Self {
        let ours = |value: &&str| {
            (20..=100).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b))
        };
        Self {
            cookie: cookie.filter(ours).map(str::to_owned),
            user_agent: user_agent.unwrap_or_default().chars().take(500).collect(),
            browser,
        }
    }
}

fn cookie_hash(value: &str) -> String {
    tokens::hash_token(&format!("cookie:{value}"))
}

fn agent_hash(user_agent: &str) -> String {
    tokens::hash_token(&format!("agent:{user_agent}"))
}

/// Notes the sign-in of `user` from `device` at `now` and tells the owner
/// when the device is new; returns the device cookie's value for the answer.
pub fn recognise(
    conn: &mut DbConn,
    links: &crate::Links,
    user: &UserRow,
    device: &Device,
    now: NaiveDateTime,
) -> ApiResult<String> {
    let cookie = device.cookie.clone().unwrap_or_else(|| tokens::opaque_token().0);
    // A browser proves itself by the cookie it was given; a program by the
    // cookie if it keeps one, or else by its name.
    let mut proofs: Vec<String> = device.cookie.iter().map(|c| cookie_hash(c)).collect();
    if !device.browser {
        proofs.push(agent_hash(&device.user_agent));
    }
    let signed_in_before = store::has_devices(conn, user.id)?;
    let mut known = false;
    for proof in &proofs {
        known = known || store::device_known(conn, user.id, proof)?;
    }
    let label = label(&device.user_agent);
    if device.browser && device.cookie.is_none() {
        // The cookie given now proves this browser next time.
        proofs.push(cookie_hash(&cookie));
    }
    for proof in &proofs {
        store::touch_device(conn, user.id, proof, &label, now)?;
    }
    if signed_in_before && !known {
        let when = (now + crate::clock::REGION_OFFSET).format("%d.%m.%Y в %H:%M").to_string();
        let email = templates::new_sign_in(&user.greeting_name(), &label, &when, &links.page("/password-reset"));
        notifications::inform(conn, recipient(user), email)?;
    }
    Ok(cookie)
}

/// «Firefox, Windows» from a `User-Agent`, for people; the start of the
/// header itself for a program, «неизвестная программа» without one.
pub fn label(user_agent: &str) -> String {
    let has = |token: &str| user_agent.contains(token);
    let browser = if has("YaBrowser/") {
        Some("Яндекс Браузер")
    } else if has("Edg/") || has("Edge/") {
        Some("Microsoft Edge")
    } else if has("OPR/") || has("Opera") {
        Some("Opera")
    } else if has("Firefox/") {
        Some("Firefox")
    } else if has("Chrome/") || has("Chromium/") || has("CriOS/") {
        Some("Chrome")
    } else if has("Safari/") {
        Some("Safari")
    } else {
        None
    };
    let system = if has("Android") {
        Some("Android")
    } else if has("iPhone") || has("iPad") {
        Some("iOS")
    } else if has("Windows") {
        Some("Windows")
    } else if has("Mac OS X") || has("Macintosh") {
        Some("macOS")
    } else if has("CrOS") {
        Some("ChromeOS")
    } else if has("Linux") {
        Some("Linux")
    } else {
        None
    };
    match (browser, system) {
        (Some(browser), Some(system)) => format!("{browser}, {system}"),
        (Some(browser), None) => browser.to_owned(),
        (None, Some(system)) => format!("браузер на {system}"),
        (None, None) if user_agent.trim().is_empty() => "неизвестная программа".to_owned(),
        (None, None) => user_agent.split_whitespace().next().unwrap_or_default().chars().take(60).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_agent_becomes_a_label_people_read() {
        let firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
        let chrome =
            "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36";
        let safari =
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Version/18.1 Safari/604.1";
        assert_eq!(label(firefox), "Firefox, Windows");
        assert_eq!(label(chrome), "Chrome, Android");
        assert_eq!(label(safari), "Safari, iOS");
        assert_eq!(label("curl/8.5.0"), "curl/8.5.0");
        assert_eq!(label(""), "неизвестная программа");
    }

    #[test]
    fn only_cookies_of_our_shape_are_believed() {
        let (token, _) = tokens::opaque_token();
        assert_eq!(Device::new(Some(&token), None, true).cookie, Some(token));
        assert_eq!(Device::new(Some("short"), None, true).cookie, None);
        assert_eq!(Device::new(Some("x'; DROP TABLE users; --  padding padding"), None, true).cookie, None);
    }
}
