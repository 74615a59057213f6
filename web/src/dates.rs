//! Dates as the pages show them and as date inputs hold them.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, Utc};
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
