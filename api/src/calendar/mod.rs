//! The production calendar («производственный календарь»): which days are
//! working days. Weekends and the public holidays of the Labour Code
//! (art. 112) are days off; a holiday falling on a weekend moves the day off
//! to the next working day, except the New Year holidays and Christmas
//! (1–8 January), which the government moves by its yearly decree. That decree
//! and any other change are entered by the admin as overrides of single days.

pub mod repo;
pub mod routes;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};

/// Public holidays of art. 112 of the Labour Code, as (month, day).
pub const HOLIDAYS: [(u32, u32); 14] =
    [(1, 1), (1, 2), (1, 3), (1, 4), (1, 5), (1, 6), (1, 7), (1, 8), (2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4)];

/// A year's calendar: the statutory rules plus the admin's overrides
/// (`true`: a working day, `false`: a day off).
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    overrides: BTreeMap<NaiveDate, bool>,
}

impl Calendar {
    pub fn new(overrides: BTreeMap<NaiveDate, bool>) -> Self {
        Self { overrides }
    }

    pub fn is_holiday(day: NaiveDate) -> bool {
        HOLIDAYS.contains(&(day.month(), day.day()))
    }

    fn is_weekend(day: NaiveDate) -> bool {
        matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// Days off that holidays falling on weekends moved to the next working day.
    fn transferred(year: i32) -> BTreeSet<NaiveDate> {
        let mut moved = BTreeSet::new();
        for (month, day) in HOLIDAYS {
            if month == 1 {
                continue; // moved only by the government's decree
            }
            let Some(holiday) = NaiveDate::from_ymd_opt(year, month, day) else { continue };
            if !Self::is_weekend(holiday) {
                continue;
            }
            let mut next = holiday;
            while let Some(candidate) = next.succ_opt() {
                next = candidate;
                if !Self::is_weekend(next) && !Self::is_holiday(next) && !moved.contains(&next) {
                    moved.insert(next);
                    break;
                }
            }
        }
        moved
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if let Some(working) = self.overrides.get(&day) {
            return *working;
        }
        !(Self::is_weekend(day) || Self::is_holiday(day) || Self::transferred(day.year()).contains(&day))
    }

    /// The `n`-th working day after `start` (the start day itself not counted).
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut day = start;
        let mut counted = 0;
        while counted < n {
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
            if self.is_working_day(day) {
                counted += 1;
            }
        }
        day
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn weekends_and_holidays_are_days_off() {
        let calendar = Calendar::default();
        assert!(calendar.is_working_day(date(2026, 11, 23)), "a Monday");
        assert!(!calendar.is_working_day(date(2026, 11, 22)), "a Sunday");
        assert!(!calendar.is_working_day(date(2025, 11, 4)), "Unity Day on a Tuesday");
        assert!(!calendar.is_working_day(date(2026, 1, 7)));
    }

    #[test]
    fn a_holiday_on_a_weekend_moves_the_day_off_to_the_next_working_day() {
        let calendar = Calendar::default();
        // 4 November 2029 is a Sunday: Monday the 5th is off.
        assert!(!calendar.is_working_day(date(2029, 11, 5)));
        // 9 May 2027 is a Sunday: Monday the 10th is off.
        assert!(!calendar.is_working_day(date(2027, 5, 10)));
        // 1 January on a weekend is not moved by the code itself.
        assert!(calendar.is_working_day(date(2028, 1, 10)), "1 January 2028 is a Saturday; 10 January works");
    }

    #[test]
    fn the_admins_transfers_override_the_rules() {
        let mut overrides = BTreeMap::new();
        overrides.insert(date(2026, 11, 28), true); // a working Saturday
        overrides.insert(date(2026, 12, 31), false);
        let calendar = Calendar::new(overrides);
        assert!(calendar.is_working_day(date(2026, 11, 28)));
        assert!(!calendar.is_working_day(date(2026, 12, 31)));
    }

    #[test]
    fn seven_working_days_skip_weekends_and_holidays() {
        let calendar = Calendar::default();
        // Monday 23 Nov 2026 + 7 working days = Wednesday 2 December.
        assert_eq!(calendar.add_working_days(date(2026, 11, 23), 7), date(2026, 12, 2));
        // Across 4 November 2026 (a Wednesday): Friday 30 Oct + 7 = Wednesday 11 November.
        assert_eq!(calendar.add_working_days(date(2026, 10, 30), 7), date(2026, 11, 11));
    }
}
