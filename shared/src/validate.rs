//! Validation rules. Each rule parses raw input into a type that can only hold
//! a valid value ("parse, don't validate"); the error is a Russian message for
//! the form field. The browser and the server run exactly these functions.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A syntactically valid email address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let value = raw.trim().to_lowercase();
        if value.is_empty() {
            return Err("Укажите адрес электронной почты".into());
        }
        if value.chars().count() > Self::MAX_LEN {
            return Err("Адрес электронной почты слишком длинный".into());
        }
        let invalid = || "Адрес электронной почты указан неверно, пример: ivanova@mail.ru".to_owned();
        let (local, domain) = value.split_once('@').ok_or_else(invalid)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        if local_ok && domain_ok { Ok(Self(value)) } else { Err(invalid()) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A Russian mobile or landline number in the form `+7XXXXXXXXXX`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone(String);

impl Phone {
    /// Accepts the usual spellings: `+7 (912) 345-67-89`, `8 912 345 67 89`, `89123456789`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err("Укажите номер телефона".into());
        }
        let invalid = || "Номер телефона указан неверно, пример: +7 912 345-67-89".to_owned();
        if !raw.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c)) || raw[1..].contains('+') {
            return Err(invalid());
        }
        let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
        let national = match (digits.len(), digits.as_bytes().first()) {
            (11, Some(b'7')) if raw.starts_with('+') => &digits[1..],
            (11, Some(b'8')) if !raw.starts_with('+') => &digits[1..],
            _ => return Err(invalid()),
        };
        Ok(Self(format!("+7{national}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Which part of a person's full name a value is; only for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamePart {
    Last,
    First,
    Middle,
}

/// A part of a Russian full name: Cyrillic letters, with single hyphens,
/// spaces or apostrophes between them (Салтыков-Щедрин, Д'Артаньян).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName(String);

/// «Имя Отчество» for greetings in messages, the middle name when there is one.
pub fn greeting_name(first: &str, middle: Option<&str>) -> String {
    match middle {
        Some(middle) => format!("{first} {middle}"),
        None => first.to_owned(),
    }
}

/// «Фамилия Имя Отчество», the middle name when there is one.
pub fn full_name(last: &str, first: &str, middle: Option<&str>) -> String {
    match middle {
        Some(middle) => format!("{last} {first} {middle}"),
        None => format!("{last} {first}"),
    }
}

impl PersonName {
    pub const MAX_LEN: usize = 60;

    pub fn parse(raw: &str, part: NamePart) -> Result<Self, String> {
        let value = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        let what = match part {
            NamePart::Last => "фамилию",
            NamePart::First => "имя",
            NamePart::Middle => "отчество",
        };
        if value.is_empty() {
            return Err(format!("Укажите {what}"));
        }
        if value.chars().count() > Self::MAX_LEN {
            return Err(format!("Не более {} символов", Self::MAX_LEN));
        }
        let is_letter = |c: char| matches!(c, 'А'..='я' | 'Ё' | 'ё');
        let mut previous_letter = false;
        for c in value.chars() {
            if is_letter(c) {
                previous_letter = true;
            } else if matches!(c, '-' | ' ' | '\'' | '’') && previous_letter {
                previous_letter = false;
            } else {
                return Err("Только русские буквы, дефис, пробел и апостроф".into());
            }
        }
        if !previous_letter {
            return Err("Только русские буквы, дефис, пробел и апостроф".into());
        }
        Ok(Self(value))
    }

    /// An optional part (the middle name): empty input means "none".
    pub fn parse_optional(raw: &str, part: NamePart) -> Result<Option<Self>, String> {
        if raw.trim().is_empty() { Ok(None) } else { Self::parse(raw, part).map(Some) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A password of acceptable length. Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub const MIN_LEN: usize = 12;
    pub const MAX_LEN: usize = 128;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let len = raw.chars().count();
        if len < Self::MIN_LEN {
            return Err(format!("Пароль должен быть не короче {} символов", Self::MIN_LEN));
        }
        if len > Self::MAX_LEN {
            return Err(format!("Пароль должен быть не длиннее {} символов", Self::MAX_LEN));
        }
        if raw.trim().is_empty() {
            return Err("Пароль не может состоять из одних пробелов".into());
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// Series of a Russian internal passport: 4 digits (spaces allowed on input).
pub fn passport_series(raw: &str) -> Result<String, String> {
    digits_exact(raw, 4, "Серия паспорта — 4 цифры, например 66 04")
}

/// Number of a Russian internal passport: 6 digits.
pub fn passport_number(raw: &str) -> Result<String, String> {
    digits_exact(raw, 6, "Номер паспорта — 6 цифр")
}

fn digits_exact(raw: &str, len: usize, message: &str) -> Result<String, String> {
    let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.len() == len && compact.chars().all(|c| c.is_ascii_digit()) {
        Ok(compact)
    } else {
        Err(message.to_owned())
    }
}

/// Free text of bounded length (an address, "issued by"); trimmed, required.
pub fn bounded_text(raw: &str, max: usize, empty_message: &str) -> Result<String, String> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(empty_message.to_owned());
    }
    if value.chars().count() > max {
        return Err(format!("Не более {max} символов"));
    }
    if value.chars().any(char::is_control) {
        return Err("Недопустимые символы".into());
    }
    Ok(value.to_owned())
}

/// A date of an issued document: a real date, not in the future, not before 1900.
pub fn past_date(date: NaiveDate, today: NaiveDate) -> Result<NaiveDate, String> {
    if date > today {
        return Err("Дата не может быть в будущем".into());
    }
    if date.year_ce().1 < 1900 {
        return Err("Проверьте год".into());
    }
    Ok(date)
}

/// Taxpayer number (ИНН) of an organization: 10 digits for a legal entity,
/// 12 for an individual entrepreneur, with the tax service's check digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inn(String);

const INN_WEIGHTS: [u32; 11] = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

/// The check digit over `digits` with the tail of the official weights.
fn inn_check_digit(digits: &[u32]) -> u32 {
    let weights = &INN_WEIGHTS[INN_WEIGHTS.len() - digits.len()..];
    digits.iter().zip(weights).map(|(d, w)| d * w).sum::<u32>() % 11 % 10
}

impl Inn {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let value = raw.trim();
        if value.is_empty() {
            return Err("Укажите ИНН".into());
        }
        let digits: Vec<u32> = value.chars().filter_map(|c| c.to_digit(10)).collect();
        if digits.len() != value.chars().count() || !matches!(digits.len(), 10 | 12) {
            return Err("ИНН — 10 цифр (организация) или 12 цифр (индивидуальный предприниматель)".into());
        }
        let n = digits.len();
        let valid = if n == 10 {
            inn_check_digit(&digits[..9]) == digits[9]
        } else {
            inn_check_digit(&digits[..10]) == digits[10] && inn_check_digit(&digits[..11]) == digits[11]
        };
        if valid {
            Ok(Inn(value.to_owned()))
        } else {
            Err("ИНН указан с ошибкой: не сходится контрольная цифра".into())
        }
    }

    /// A 10-digit INN from its first nine digits (demo data, tests).
    pub fn with_checksum(first_nine: u32) -> Inn {
        let body = format!("{:09}", first_nine % 1_000_000_000);
        let digits: Vec<u32> = body.chars().filter_map(|c| c.to_digit(10)).collect();
        Inn(format!("{body}{}", inn_check_digit(&digits)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A moment given by an integrator: RFC 3339 with `Z` or an offset
/// (`2026-11-01T00:00:00+03:00`), or without one, which means UTC. A `+`
/// that a query string turned into a space counts as `+`.
pub fn utc_moment(raw: &str) -> Result<chrono::NaiveDateTime, String> {
    let text = raw.trim().replace(' ', "+");
    if let Ok(moment) = chrono::DateTime::parse_from_rfc3339(&text) {
        return Ok(moment.naive_utc());
    }
    chrono::NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M:%S%.f")
        .map_err(|_| "Момент времени в формате RFC 3339, например 2026-11-01T00:00:00Z".to_owned())
}

/// `deserialize_with` for [`utc_moment`].
pub fn deserialize_utc_moment<'de, D: serde::Deserializer<'de>>(d: D) -> Result<chrono::NaiveDateTime, D::Error> {
    let text = String::deserialize(d)?;
    utc_moment(&text).map_err(serde::de::Error::custom)
}

/// Optional free text of bounded length: trimmed; empty gives `None`.
pub fn optional_text(raw: &str, max: usize) -> Result<Option<String>, String> {
    if raw.trim().is_empty() { Ok(None) } else { bounded_text(raw, max, "").map(Some) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_take_an_offset_or_mean_utc() {
        let utc = |t: &str| utc_moment(t).map(|m| m.to_string());
        assert_eq!(utc("2026-11-01T00:00:00").as_deref(), Ok("2026-11-01 00:00:00"));
        assert_eq!(utc("2026-11-01T00:00:00Z").as_deref(), Ok("2026-11-01 00:00:00"));
        assert_eq!(utc("2026-11-01T03:00:00+03:00").as_deref(), Ok("2026-11-01 00:00:00"));
        assert_eq!(utc("2026-11-01T03:00:00 03:00").as_deref(), Ok("2026-11-01 00:00:00"), "+ decoded as a space");
        assert!(utc("вчера").is_err());
    }

    #[test]
    fn emails_are_normalized_and_checked() {
        assert_eq!(Email::parse("  Ivanova@Mail.RU ").map(|e| e.0), Ok("ivanova@mail.ru".into()));
        for bad in ["", "ivanova", "ivanova@", "@mail.ru", "a@b", "a b@mail.ru", "a..b@mail.ru", "a@-x.ru"] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
        assert!(Email::parse("мама@почта.рф").is_err(), "Cyrillic local part is not accepted");
        assert!(Email::parse("mama@почта.рф").is_ok());
    }

    #[test]
    fn phones_accept_common_spellings() {
        for ok in ["+7 (912) 345-67-89", "8 912 345 67 89", "89123456789", "+79123456789"] {
            assert_eq!(Phone::parse(ok).map(|p| p.0), Ok("+79123456789".into()), "{ok}");
        }
        for bad in ["", "12345", "+8 912 345 67 89", "79123456789", "8912345678x", "+7912345678", "8+9123456789"] {
            assert!(Phone::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_are_cyrillic_with_separators() {
        for ok in ["Иванова", "Салтыков-Щедрин", "Д'Артаньян", "Анна Мария", "Ёлкин", "  Петров  "]
        {
            assert!(PersonName::parse(ok, NamePart::Last).is_ok(), "{ok}");
        }
        for bad in ["", "Ivanova", "Иванов2", "-Иванов", "Иванов-", "Иван--ов", "Иванов'"]
        {
            assert!(PersonName::parse(bad, NamePart::Last).is_err(), "{bad}");
        }
        assert_eq!(PersonName::parse("Анна   Мария", NamePart::First).map(|n| n.0), Ok("Анна Мария".into()));
        assert_eq!(PersonName::parse_optional(" ", NamePart::Middle), Ok(None));
    }

    #[test]
    fn passwords_have_bounded_length() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse("exactly12chr").is_ok());
        assert!(Password::parse("пароль-из-кириллицы").is_ok());
        assert!(Password::parse(&"x".repeat(129)).is_err());
        assert!(Password::parse(&" ".repeat(20)).is_err());
        assert_eq!(format!("{:?}", Password::parse("exactly12chr")), "Ok(Password(***))");
    }

    #[test]
    fn passport_parts_are_digits() {
        assert_eq!(passport_series("66 04"), Ok("6604".into()));
        assert!(passport_series("660").is_err());
        assert_eq!(passport_number("123456"), Ok("123456".into()));
        assert!(passport_number("12345a").is_err());
    }

    #[test]
    fn inn_check_digits() {
        assert!(Inn::parse("7707083893").is_ok());
        assert!(Inn::parse("500100732259").is_ok());
        assert!(Inn::parse("7707083894").is_err());
        assert!(Inn::parse("500100732258").is_err());
        assert!(Inn::parse("77070838").is_err());
        assert!(Inn::parse("77070838ab").is_err());
        assert_eq!(Inn::parse(Inn::with_checksum(673_101_234).as_str()), Ok(Inn::with_checksum(673_101_234)));
    }
}
