//! Ages in full years: how old a child is on a day, and the one range type
//! every age rule uses (a program's or group's «7–12 лет», the region's
//! certificate ages «с 5 до 18 лет», the ages the Navigator serves).

use chrono::{Datelike, NaiveDate};

/// Full years of age on `day` (a child born on 29 February comes of age on
/// 1 March of a common year). Before the birth it is negative.
pub fn age_on(birth: NaiveDate, day: NaiveDate) -> i32 {
    match day.years_since(birth) {
        Some(years) => i32::try_from(years).unwrap_or(i32::MAX),
        None => -birth.years_since(day).map_or(0, |y| i32::try_from(y).unwrap_or(i32::MAX)) - 1,
    }
}

/// The day a child born on `birth` turns `years` (one born on 29 February
/// turns it on 1 March of a common year, as [`age_on`] counts).
pub fn birthday(birth: NaiveDate, years: i32) -> NaiveDate {
    let year = birth.year() + years;
    birth.with_year(year).or_else(|| NaiveDate::from_ymd_opt(year, 3, 1)).unwrap_or(NaiveDate::MAX)
}

/// Ages in full years with **both ends included**: «7–12 лет» admits a child
/// of twelve until the thirteenth birthday. A rule written as «до 18 лет»
/// (eighteen not included) is built with [`AgeRange::below`], so a range
/// means the same wherever it is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgeRange {
    pub from: i32,
    pub to: i32,
}

impl AgeRange {
    /// The ages Navigator lists programs for.
    pub const CATALOG: AgeRange = AgeRange { from: 0, to: 18 };

    /// `from..=to`, as a program's or group's «7–12 лет».
    pub const fn new(from: i32, to: i32) -> Self {
        AgeRange { from, to }
    }

    /// From `from` up to the birthday of `before` years, as «с 5 до 18 лет».
    pub const fn below(from: i32, before: i32) -> Self {
        AgeRange { from, to: before - 1 }
    }

    pub fn contains(self, age: i32) -> bool {
        (self.from..=self.to).contains(&age)
    }

    /// Whether a child born on `birth` is of these ages on `day`.
    pub fn admits(self, birth: NaiveDate, day: NaiveDate) -> bool {
        self.contains(age_on(birth, day))
    }

    /// Whether every age of `inner` is in this range.
    pub fn covers(self, inner: AgeRange) -> bool {
        self.from <= inner.from && inner.to <= self.to
    }

    /// The ages of both ranges (empty when `from > to`).
    pub fn intersect(self, other: AgeRange) -> AgeRange {
        AgeRange { from: self.from.max(other.from), to: self.to.min(other.to) }
    }

    /// The birth dates of the children of these ages on `day`, both ends
    /// included: what [`AgeRange::admits`] admits, as a range a query can filter by.
    pub fn born(self, day: NaiveDate) -> (NaiveDate, NaiveDate) {
        let back = |years: i32| {
            day.checked_sub_months(chrono::Months::new(u32::try_from(12 * years).unwrap_or(0)))
                .unwrap_or(NaiveDate::MIN)
        };
        (back(self.to + 1).succ_opt().unwrap_or(NaiveDate::MIN), back(self.from))
    }

    /// Every age of the range, youngest first.
    pub fn years(self) -> std::ops::RangeInclusive<i32> {
        self.from..=self.to
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn the_birth_dates_of_a_range_are_the_ones_it_admits() {
        let range = AgeRange::new(5, 17);
        // Days around leap days and year ends, births on every day of 1999–2023.
        for day in [date(2024, 2, 28), date(2024, 2, 29), date(2024, 3, 1), date(2025, 2, 28), date(2026, 12, 31)] {
            let (earliest, latest) = range.born(day);
            let mut birth = date(1999, 1, 1);
            while birth < date(2024, 1, 1) {
                assert_eq!(range.admits(birth, day), (earliest..=latest).contains(&birth), "{birth} on {day}");
                birth = birth.succ_opt().unwrap_or(birth);
            }
        }
    }

    #[test]
    fn ages_count_full_years() {
        let born = date(2021, 11, 24);
        assert_eq!(age_on(born, date(2026, 11, 23)), 4);
        assert_eq!(age_on(born, date(2026, 11, 24)), 5);
        assert_eq!(age_on(date(2016, 2, 29), date(2021, 2, 28)), 4);
        assert_eq!(age_on(date(2016, 2, 29), date(2021, 3, 1)), 5);
        assert_eq!(age_on(born, date(2021, 11, 23)), -1, "the day before the birth");
        assert_eq!(birthday(born, 5), date(2026, 11, 24));
        assert_eq!(birthday(date(2016, 2, 29), 5), date(2021, 3, 1));
        assert_eq!(birthday(date(2016, 2, 29), 4), date(2020, 2, 29));
    }

    #[test]
    fn both_ends_are_included_and_below_leaves_out_its_bound() {
        let group = AgeRange::new(7, 12);
        assert!(group.contains(7) && group.contains(12));
        assert!(!group.contains(6) && !group.contains(13));
        let certificate = AgeRange::below(5, 18);
        assert_eq!(certificate, AgeRange::new(5, 17));
        assert!(!certificate.admits(date(2008, 11, 24), date(2026, 11, 24)), "the 18th birthday is out");
        assert!(certificate.admits(date(2008, 11, 25), date(2026, 11, 24)), "the day before is in");
        assert!(AgeRange::new(5, 14).covers(group));
        assert!(!AgeRange::new(8, 14).covers(group));
        assert_eq!(AgeRange::CATALOG.intersect(AgeRange::new(16, 25)).years().count(), 3);
    }
}
