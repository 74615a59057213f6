//! Dates as the pages show them and as date inputs hold them.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeDelta, Utc};
use leptos::prelude::*;
use navigator_shared::FieldErrors;

/// The text a date input holds: `YYYY-MM-DD` or empty.
pub fn input_text(date: Option<NaiveDate>) -> String {
    date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

/// `12.04.2016`, as dates are written in Russian.
pub fn russian(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

/// A moment in the region's time: Moscow, UTC+3 all year.
fn local(at: DateTime<Utc>) -> NaiveDateTime {
    at.naive_utc() + TimeDelta::hours(3)
}

/// Today in the region's time.
pub fn today() -> NaiveDate {
    local(Utc::now()).date()
}

/// Now in the region's time: what the API compares event times with.
pub fn now() -> NaiveDateTime {
    local(Utc::now())
}

/// Months as a day is named: «20 декабря».
const MONTHS_OF: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

/// Months as a calendar page is titled: «Декабрь 2026».
const MONTHS: [&str; 12] = [
    "Январь",
    "Февраль",
    "Март",
    "Апрель",
    "Май",
    "Июнь",
    "Июль",
    "Август",
    "Сентябрь",
    "Октябрь",
    "Ноябрь",
    "Декабрь",
];

/// Days of the week from Monday, as a calendar's head shows them.
pub const WEEKDAYS_SHORT: [&str; 7] = ["пн", "вт", "ср", "чт", "пт", "сб", "вс"];

/// Days of the week from Monday, in full.
pub const WEEKDAYS: [&str; 7] = ["понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"];

fn nth<const N: usize>(names: &[&'static str; N], at: u32) -> &'static str {
    usize::try_from(at).ok().and_then(|at| names.get(at)).copied().unwrap_or_default()
}

/// «20 декабря»; with the year when it is not `this_year`: «5 января 2027».
pub fn day_month(date: NaiveDate, this_year: i32) -> String {
    let name = nth(&MONTHS_OF, date.month0());
    if date.year() == this_year {
        format!("{} {name}", date.day())
    } else {
        format!("{} {name} {}", date.day(), date.year())
    }
}

/// «Декабрь 2026».
pub fn month_title(date: NaiveDate) -> String {
    format!("{} {}", nth(&MONTHS, date.month0()), date.year())
}

/// «сб».
pub fn weekday_short(date: NaiveDate) -> &'static str {
    nth(&WEEKDAYS_SHORT, date.weekday().num_days_from_monday())
}

/// «суббота».
pub fn weekday(date: NaiveDate) -> &'static str {
    nth(&WEEKDAYS, date.weekday().num_days_from_monday())
}

/// The text a `datetime-local` input holds: `YYYY-MM-DDTHH:MM` or empty.
pub fn input_moment(at: Option<NaiveDateTime>) -> String {
    at.map(|at| at.format("%Y-%m-%dT%H:%M").to_string()).unwrap_or_default()
}

/// The moment of the `datetime-local` input `name`: none when empty, an
/// error under `name` when the text is not a date and time.
pub fn read_moment(name: &str, value: RwSignal<String>) -> Result<Option<NaiveDateTime>, FieldErrors> {
    value.with_untracked(|raw| parse_moment(raw).map_err(|message| FieldErrors::one(name, message)))
}

/// `2026-12-20T11:00` (seconds allowed) as a moment; `Ok(None)` when empty.
fn parse_moment(raw: &str) -> Result<Option<NaiveDateTime>, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S"))
        .map(Some)
        .map_err(|_| "Укажите дату и время, например 20.12.2026 11:00")
}

/// The day of a moment, in the region's time.
pub fn day(at: DateTime<Utc>) -> String {
    russian(local(at).date())
}

/// `12.04.2016 14:05`, in the region's time.
pub fn moment(at: DateTime<Utc>) -> String {
    local(at).format("%d.%m.%Y %H:%M").to_string()
}

/// The date of the input `name`: none when empty, an error under `name` when
/// the text is not a date.
pub fn read(name: &str, value: RwSignal<String>) -> Result<Option<NaiveDate>, FieldErrors> {
    value.with_untracked(|raw| {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        NaiveDate::parse_from_str(raw, "%Y-%m-%d").map(Some).map_err(|_| {
            let mut errors = FieldErrors::new();
            errors.add(name, "Укажите дату в виде ГГГГ-ММ-ДД");
            errors
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn days_and_months_read_in_russian() {
        assert_eq!(day_month(date(2026, 12, 20), 2026), "20 декабря");
        assert_eq!(day_month(date(2027, 1, 5), 2026), "5 января 2027");
        assert_eq!(month_title(date(2026, 3, 1)), "Март 2026");
        assert_eq!(weekday_short(date(2026, 12, 20)), "вс");
        assert_eq!(weekday(date(2026, 12, 14)), "понедельник");
    }

    #[test]
    fn a_datetime_input_is_read_with_or_without_seconds() {
        let at = date(2026, 12, 20).and_hms_opt(11, 0, 0);
        assert_eq!(parse_moment("2026-12-20T11:00"), Ok(at));
        assert_eq!(parse_moment("2026-12-20T11:00:00"), Ok(at));
        assert_eq!(parse_moment(" "), Ok(None));
        assert!(parse_moment("20.12.2026").is_err());
        assert_eq!(input_moment(at), "2026-12-20T11:00");
    }
}
