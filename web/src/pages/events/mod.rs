//! Events («Мероприятия»): the public calendar, the event's card with the
//! family's sign-ups, and what the calendar, the cabinet and moderation
//! write the same way — the dates, the places, the status.

mod calendar;
mod card;

use std::cell::RefCell;

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta};
use leptos::prelude::*;
use navigator_shared::events::{Event, EventStatus};
use navigator_shared::money::rubles;

pub use calendar::EventsCalendar;
pub use card::EventPage;

use crate::dates;

thread_local! {
    /// The calendar address with the visitor's last filters and view, for the links back to it.
    static LAST_CALENDAR: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Remembers the calendar address (with its query) the visitor last saw.
fn remember_calendar(href: String) {
    LAST_CALENDAR.with(|last| *last.borrow_mut() = Some(href));
}

/// The calendar address to go back to.
fn last_calendar() -> String {
    LAST_CALENDAR.with(|last| last.borrow().clone()).unwrap_or_else(|| "/events".to_owned())
}

/// «20 декабря, 11:00–14:00»; an event of several days: «20 декабря, 11:00 — 22 декабря, 14:00».
/// The year is named when it is not `this_year`.
pub(crate) fn when_in(starts: NaiveDateTime, ends: NaiveDateTime, this_year: i32) -> String {
    let (from, to) = (starts.format("%H:%M"), ends.format("%H:%M"));
    let day = dates::day_month(starts.date(), this_year);
    if last_day(starts, ends) == starts.date() {
        format!("{day}, {from}–{to}")
    } else {
        format!("{day}, {from} — {}, {to}", dates::day_month(ends.date(), this_year))
    }
}

/// [`when_in`] of this year.
pub(crate) fn when(starts: NaiveDateTime, ends: NaiveDateTime) -> String {
    when_in(starts, ends, dates::today().year())
}

/// «20 декабря, 11:00».
pub(crate) fn moment(at: NaiveDateTime) -> String {
    format!("{}, {}", dates::day_month(at.date(), dates::today().year()), at.format("%H:%M"))
}

/// The last day an event takes: one ending at midnight ends the day before.
pub(crate) fn last_day(starts: NaiveDateTime, ends: NaiveDateTime) -> NaiveDate {
    (ends - TimeDelta::minutes(1)).date().max(starts.date())
}

/// Whether the event takes place (in part) on `day`.
pub(crate) fn on_day(event: &Event, day: NaiveDate) -> bool {
    (event.starts_at.date()..=last_day(event.starts_at, event.ends_at)).contains(&day)
}

/// «Осталось мест: 5», «Мест нет — лист ожидания», «Без ограничения мест».
pub(crate) fn places_text(places_left: Option<i32>) -> String {
    match places_left {
        None => "Без ограничения мест".to_owned(),
        Some(left) if left <= 0 => "Мест нет — лист ожидания".to_owned(),
        Some(left) => format!("Осталось мест: {left}"),
    }
}

/// «Бесплатно» or «1 500 ₽».
pub(crate) fn price_text(kopecks: i64) -> String {
    if kopecks == 0 { "Бесплатно".to_owned() } else { rubles(kopecks) }
}

/// The address, or «Онлайн».
pub(crate) fn place_text(event: &Event) -> String {
    if event.online { "Онлайн".to_owned() } else { event.address.clone() }
}

/// `<span class="event-status status-CODE">`.
pub(crate) fn status_badge(status: EventStatus) -> impl IntoView {
    view! { <span class=format!("event-status status-{}", status.as_str())>{status.title()}</span> }
}

/// `.badge-cancelled` «Отменено» or «Завершено» of an event families no longer go to.
pub(crate) fn over_badge(status: EventStatus) -> Option<AnyView> {
    match status {
        EventStatus::Cancelled => Some(view! { <span class="badge badge-cancelled">"Отменено"</span> }.into_any()),
        EventStatus::Finished => Some(view! { <span class="badge badge-finished">"Завершено"</span> }.into_any()),
        _ => None,
    }
}

/// The `datetime` attribute of a `<time>`.
pub(crate) fn machine_time(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(month: u32, day: u32, hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, month, day).unwrap().and_hms_opt(hour, 0, 0).unwrap()
    }

    #[test]
    fn an_event_reads_as_its_day_and_hours() {
        assert_eq!(when_in(at(12, 20, 11), at(12, 20, 14), 2026), "20 декабря, 11:00–14:00");
        assert_eq!(when_in(at(12, 20, 11), at(12, 22, 14), 2026), "20 декабря, 11:00 — 22 декабря, 14:00");
        assert_eq!(when_in(at(12, 20, 11), at(12, 20, 14), 2025), "20 декабря 2026, 11:00–14:00");
        // Until midnight is the same evening.
        assert_eq!(when_in(at(12, 20, 18), at(12, 21, 0), 2026), "20 декабря, 18:00–00:00");
    }

    #[test]
    fn places_read_as_a_family_needs_them() {
        assert_eq!(places_text(Some(5)), "Осталось мест: 5");
        assert_eq!(places_text(Some(0)), "Мест нет — лист ожидания");
        assert_eq!(places_text(None), "Без ограничения мест");
        assert_eq!(price_text(0), "Бесплатно");
        assert_eq!(price_text(150_000), "1\u{a0}500\u{a0}₽");
    }

    #[test]
    fn a_long_event_is_on_each_of_its_days() {
        assert_eq!(last_day(at(12, 20, 11), at(12, 22, 14)), NaiveDate::from_ymd_opt(2026, 12, 22).unwrap());
        assert_eq!(last_day(at(12, 20, 18), at(12, 21, 0)), NaiveDate::from_ymd_opt(2026, 12, 20).unwrap());
    }
}
