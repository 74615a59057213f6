//! Dates as the pages show them and as date inputs hold them.

use chrono::NaiveDate;
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
