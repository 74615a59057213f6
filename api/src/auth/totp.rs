//! One-time codes from an authenticator app: HOTP (RFC 4226) and TOTP
//! (RFC 6238) with HMAC-SHA-1, 6 digits and a 30-second step, the settings
//! every app reads from an `otpauth://` link; secrets in Base32 (RFC 4648,
//! without padding). Pure arithmetic: storing and checking the steps used is
//! [`crate::accounts::second_factor`]'s.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha1::Sha1;

/// Seconds of one step: a code changes this often.
pub const STEP_SECS: i64 = 30;
/// Digits of a code.
pub const DIGITS: u32 = 6;
/// Steps before and after the current one whose codes are accepted too:
/// the phone's clock may be off, and a code typed at the end of its step
/// arrives in the next.
pub const WINDOW: i64 = 1;
/// Bytes of a new secret: 160 bits, the length RFC 4226 recommends.
const SECRET_BYTES: usize = 20;

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A fresh random secret in Base32.
pub fn new_secret() -> String {
    let mut bytes = [0u8; SECRET_BYTES];
    rand::thread_rng().fill_bytes(&mut bytes);
    base32_encode(&bytes)
}

/// RFC 4648 Base32, upper case, without `=` padding.
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
        buffer &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Reads Base32 in either case, ignoring spaces, hyphens and padding;
/// `None` for any other character.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| !matches!(c, ' ' | '-' | '=')) {
        let value = ALPHABET.iter().position(|&a| char::from(a) == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
        buffer &= (1 << bits) - 1;
    }
    Some(out)
}

/// The HOTP value of `counter` with `digits` digits (RFC 4226, section 5.3).
pub fn hotp(key: &[u8], counter: u64, digits: u32) -> u32 {
    // HMAC takes keys of any length: `new_from_slice` cannot fail here.
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(key) else { return 0 };
    mac.update(&counter.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = usize::from(hash[hash.len() - 1] & 0x0f);
    let binary = u32::from_be_bytes([hash[offset] & 0x7f, hash[offset + 1], hash[offset + 2], hash[offset + 3]]);
    binary % 10u32.pow(digits)
}

/// The step a moment (Unix seconds) falls in.
pub fn step_of(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECS)
}

/// The code of `step`, zero-padded.
pub fn code_of_step(key: &[u8], step: i64) -> String {
    format!("{:0width$}", hotp(key, step.max(0) as u64, DIGITS), width = DIGITS as usize)
}

/// The code an app shows at `unix_seconds` for the Base32 `secret`; `None`
/// when the secret is not Base32.
pub fn code(secret: &str, unix_seconds: i64) -> Option<String> {
    Some(code_of_step(&base32_decode(secret)?, step_of(unix_seconds)))
}

/// The step within [`WINDOW`] of `unix_seconds` whose code is `code`, the
/// latest if several; `None` when none matches.
pub fn matching_step(key: &[u8], code: &str, unix_seconds: i64) -> Option<i64> {
    let now = step_of(unix_seconds);
    // Every step is computed and compared in full, so the time taken does
    // not tell which step (or which digit) matched.
    (now - WINDOW..=now + WINDOW)
        .filter(|&step| constant_time_eq(code_of_step(key, step).as_bytes(), code.as_bytes()))
        .max()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The `otpauth://` link an authenticator app reads (from a QR code or
/// pasted): `issuer` is the service's name, `account` the person's login.
pub fn otpauth_uri(issuer: &str, account: &str, secret: &str) -> String {
    let label = format!("{}:{}", encode_component(issuer), encode_component(account));
    format!(
        "otpauth://totp/{label}?secret={secret}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}",
        encode_component(issuer)
    )
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode_component(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(b).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The key of RFC 4226 appendix D and RFC 6238 appendix B (SHA-1).
    const RFC_KEY: &[u8] = b"12345678901234567890";

    #[test]
    fn hotp_gives_the_values_of_rfc_4226() {
        let expected = [755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489];
        for (counter, value) in expected.iter().enumerate() {
            assert_eq!(hotp(RFC_KEY, counter as u64, 6), *value, "counter {counter}");
        }
    }

    #[test]
    fn totp_gives_the_values_of_rfc_6238() {
        let vectors = [
            (59, 94287082),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ];
        for (time, value) in vectors {
            assert_eq!(hotp(RFC_KEY, step_of(time) as u64, 8), value, "T = {time}");
            // The app's six digits are the last six of the eight.
            let six = format!("{:06}", value % 1_000_000);
            assert_eq!(code(&base32_encode(RFC_KEY), time).as_deref(), Some(six.as_str()), "T = {time}");
        }
    }

    #[test]
    fn base32_follows_rfc_4648() {
        let vectors = [
            ("", ""),
            ("f", "MY"),
            ("fo", "MZXQ"),
            ("foo", "MZXW6"),
            ("foob", "MZXW6YQ"),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ];
        for (plain, encoded) in vectors {
            assert_eq!(base32_encode(plain.as_bytes()), encoded);
            assert_eq!(base32_decode(encoded).as_deref(), Some(plain.as_bytes()));
        }
        assert_eq!(base32_decode("mzxw 6ytb-oi======").as_deref(), Some(&b"foobar"[..]));
        assert_eq!(base32_decode("MZXW1"), None, "1 is not in the alphabet");
        let secret = new_secret();
        assert_eq!((secret.len(), base32_decode(&secret).map(|k| k.len())), (32, Some(20)));
    }

    #[test]
    fn a_code_is_accepted_one_step_early_or_late_and_not_further() {
        let now = 1_700_000_015;
        let at = |offset: i64| code_of_step(RFC_KEY, step_of(now) + offset);
        assert_eq!(matching_step(RFC_KEY, &at(0), now), Some(step_of(now)));
        assert_eq!(matching_step(RFC_KEY, &at(-1), now), Some(step_of(now) - 1));
        assert_eq!(matching_step(RFC_KEY, &at(1), now), Some(step_of(now) + 1));
        assert_eq!(matching_step(RFC_KEY, &at(-2), now), None);
        assert_eq!(matching_step(RFC_KEY, &at(2), now), None);
        assert_eq!(matching_step(RFC_KEY, "12345", now), None);
    }

    #[test]
    fn the_link_names_the_service_and_the_account() {
        let uri = otpauth_uri("Навигатор", "anna@example.org", "JBSWY3DPEHPK3PXP");
        assert_eq!(
            uri,
            "otpauth://totp/%D0%9D%D0%B0%D0%B2%D0%B8%D0%B3%D0%B0%D1%82%D0%BE%D1%80:anna%40example.org\
             ?secret=JBSWY3DPEHPK3PXP&issuer=%D0%9D%D0%B0%D0%B2%D0%B8%D0%B3%D0%B0%D1%82%D0%BE%D1%80\
             &algorithm=SHA1&digits=6&period=30"
        );
    }
}
