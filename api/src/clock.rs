//! The time the services read. The server reads the system clock; a test
//! moves its server's clock (`Clock::advance`, `Clock::set_today`) to reach a
//! day without waiting for it — the end of a month that is charged, a
//! deadline that passes.
//!
//! `AppState` holds the clock (in its `Config`); the server's worker threads,
//! every database closure it runs (`AppState::db`) and the background jobs
//! read it through [`now`] and [`today`]. Sign-in tokens and rate limits keep to the system clock:
//! they guard the service, not the records.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{NaiveDate, NaiveDateTime, TimeDelta, Utc};

/// The region's offset from UTC: Moscow time, without daylight saving.
/// Moments are kept in UTC; days (today, a deadline, an age, the month a
/// charge is for) are the region's, as the families and staff live them and
/// as the web client shows them.
pub const REGION_OFFSET: TimeDelta = TimeDelta::hours(3);

/// A clock that may run ahead of (or behind) the system clock by a set offset.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_seconds: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> NaiveDateTime {
        Utc::now().naive_utc() + TimeDelta::seconds(self.offset_seconds.load(Ordering::Relaxed))
    }

    /// The region's date now.
    pub fn today(&self) -> NaiveDate {
        (self.now() + REGION_OFFSET).date()
    }

    /// Moves the clock by `by` (for every holder of this clock).
    pub fn advance(&self, by: TimeDelta) {
        self.offset_seconds.fetch_add(by.num_seconds(), Ordering::Relaxed);
    }

    /// Moves the clock to `day`, keeping the time of day.
    pub fn set_today(&self, day: NaiveDate) {
        let shift = (day - self.today()).num_seconds();
        self.offset_seconds.fetch_add(shift, Ordering::Relaxed);
    }

    /// Makes this clock the one [`now`] and [`today`] read on this thread from
    /// now on (a server's worker thread, which serves only that server).
    pub fn install(&self) {
        CURRENT.with(|current| *current.borrow_mut() = Some(self.clone()));
    }

    /// Runs `f` with this clock as the one [`now`] and [`today`] read on this thread.
    pub fn enter<T>(&self, f: impl FnOnce() -> T) -> T {
        struct Restore(Option<Clock>);
        impl Drop for Restore {
            fn drop(&mut self) {
                CURRENT.with(|current| *current.borrow_mut() = self.0.take());
            }
        }
        let _restore = Restore(CURRENT.with(|current| current.borrow_mut().replace(self.clone())));
        f()
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Clock>> = const { RefCell::new(None) };
}

/// The current moment (UTC) of the clock this thread works under.
pub fn now() -> NaiveDateTime {
    CURRENT.with(|current| current.borrow().as_ref().map(Clock::now)).unwrap_or_else(|| Utc::now().naive_utc())
}

/// The region's local time now, of the clock this thread works under.
pub fn local_now() -> NaiveDateTime {
    now() + REGION_OFFSET
}

/// The region's day of a moment kept in UTC (a contract signed at 22:00 UTC
/// was signed the next day in Moscow).
pub fn day_of(at: NaiveDateTime) -> NaiveDate {
    (at + REGION_OFFSET).date()
}

/// [`day_of`] in the backend's SQL: the region's day of the moment in `column`.
pub fn day_of_sql(conn: &crate::db::DbConn, column: &str) -> String {
    let hours = REGION_OFFSET.num_hours();
    match conn {
        crate::db::DbConn::Sqlite(_) => format!("date({column}, '{hours:+} hours')"),
        crate::db::DbConn::Postgresql(_) => format!("CAST({column} + INTERVAL '{hours} hours' AS DATE)"),
    }
}

/// Today in the region, of the clock this thread works under.
pub fn today() -> NaiveDate {
    local_now().date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moved_clock_is_read_inside_enter_and_only_there() {
        let clock = Clock::default();
        let system = (Utc::now().naive_utc() + REGION_OFFSET).date();
        clock.advance(TimeDelta::days(40));
        assert_eq!(clock.enter(today), system + TimeDelta::days(40));
        assert_eq!(today(), system, "outside, the system clock");
        let day = NaiveDate::from_ymd_opt(2030, 1, 31).unwrap_or_default();
        clock.set_today(day);
        assert_eq!(clock.enter(|| clock.clone().enter(today)), day, "nested");
        assert_eq!(clock.today(), day);
    }

    #[test]
    fn the_day_is_the_regions() {
        let clock = Clock::default();
        // 21:30 UTC is already half past midnight in Moscow.
        let evening = NaiveDate::from_ymd_opt(2026, 12, 5).and_then(|d| d.and_hms_opt(21, 30, 0)).unwrap_or_default();
        clock.advance(evening - clock.now());
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 12, 6).unwrap_or_default());
        assert_eq!(clock.enter(local_now).date(), clock.today());
    }
}
