//! The operator's statistics: coverage of children by additional education
//! (the target model's key figure), the certificates' money against the
//! period limits, programs, places and applications; every figure a table
//! that the web client draws as a chart and the server exports as CSV or XLSX.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ages::{AgeRange, age_on};
use crate::{FieldErrors, code_enum};

/// The ages coverage is counted for: «дети от 5 до 18 лет» (five to seventeen).
pub const COVERAGE_AGES: AgeRange = AgeRange::below(5, 18);

/// The longest range a dashboard counts, in months (its trend has a point a month).
pub const MAX_MONTHS: u32 = 60;

/// The share of a period's limit below which the dashboard warns.
pub const LIMIT_WARNING_PERCENT: i64 = 10;

/// The age bands of coverage (those of the federal form 1-ДОП).
pub const COVERAGE_BANDS: [AgeRange; 3] = [AgeRange::new(5, 9), AgeRange::new(10, 14), AgeRange::new(15, 17)];

/// The age groups of the form 1-ДОП: under five, 5–9, 10–14, 15–17, eighteen and over.
pub const FORM_BANDS: [AgeRange; 5] =
    [AgeRange::new(0, 4), AgeRange::new(5, 9), AgeRange::new(10, 14), AgeRange::new(15, 17), AgeRange::new(18, 200)];

/// «5–9 лет», «18 лет и старше», «до 5 лет».
pub fn band_title(band: AgeRange) -> String {
    match (band.from, band.to) {
        (0, to) => format!("до {} лет", to + 1),
        (from, 200) => format!("{from} лет и старше"),
        (from, to) => format!("{from}–{to} лет"),
    }
}

/// The index of the band holding `age`.
pub fn band_of(bands: &[AgeRange], age: i32) -> Option<usize> {
    bands.iter().position(|band| band.contains(age))
}

/// Whether a child born on `birth` is of the coverage ages on `day`.
pub fn of_coverage_age(birth: NaiveDate, day: NaiveDate) -> bool {
    COVERAGE_AGES.contains(age_on(birth, day))
}

/// What the dashboard counts: a date range and, for the admin, a municipality.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct StatsQuery {
    /// One municipality; an operator always gets his own. Empty: the whole region (admin).
    pub municipality_id: Option<i64>,
    /// The first day counted; by default the first day of the month eleven months before `to`.
    pub from: Option<NaiveDate>,
    /// The last day counted (ages and statuses are as of this day); today by default.
    pub to: Option<NaiveDate>,
}

/// A checked date range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Range {
    /// The range of a query, with its defaults; errors on `from`/`to`.
    pub fn of(query: &StatsQuery, today: NaiveDate) -> Result<Range, FieldErrors> {
        let to = query.to.unwrap_or(today);
        let from = query.from.unwrap_or_else(|| first_of_month(to) - Months::new(11));
        let mut errors = FieldErrors::new();
        if from > to {
            errors.add("from", "Начало периода позже его конца");
        } else if to > from + Months::new(MAX_MONTHS) {
            errors.add("from", format!("Период длиннее {} лет: выберите короче", MAX_MONTHS / 12));
        }
        errors.finish(|| Some(Range { from, to }))
    }

    /// The first day of every month the range touches.
    pub fn months(self) -> Vec<NaiveDate> {
        let mut months = Vec::new();
        let mut month = first_of_month(self.from);
        while month <= self.to {
            months.push(month);
            month = month + Months::new(1);
        }
        months
    }
}

/// The first day of the month of `day`.
pub fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// The last day of the month starting `month`.
pub fn last_of_month(month: NaiveDate) -> NaiveDate {
    first_of_month(month) + Months::new(1) - chrono::Days::new(1)
}

/// «янв 2026».
pub fn month_title(month: NaiveDate) -> String {
    const NAMES: [&str; 12] = ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"];
    format!("{} {}", NAMES[month.month0() as usize], month.year())
}

code_enum! {
    /// What a column counts and how it reads.
    pub enum Measure {
        /// Children, certificates, places.
        Count = ("count", "шт."),
        /// Kopecks, shown in roubles.
        Money = ("money", "₽"),
        /// Tenths of a per cent: 457 reads «45,7 %».
        Permille = ("permille", "%"),
        /// Hours, shown in days with one decimal.
        Hours = ("hours", "дн."),
    }
}

impl Measure {
    /// The value as people read it: «1 500 ₽», «45,7 %», «2,5 дн.», «1 234».
    pub fn show(self, value: i64) -> String {
        match self {
            Measure::Count => group(value),
            Measure::Money => crate::money::rubles(value),
            Measure::Permille => format!("{},{}\u{a0}%", group(value / 10), (value % 10).abs()),
            Measure::Hours => {
                let tenths = (value * 10 + 12) / 24;
                format!("{},{}\u{a0}дн.", group(tenths / 10), tenths % 10)
            }
        }
    }

    /// The value as a spreadsheet's number: roubles, per cents, days.
    pub fn number(self, value: i64) -> f64 {
        match self {
            Measure::Count => value as f64,
            Measure::Money => value as f64 / 100.0,
            Measure::Permille => value as f64 / 10.0,
            Measure::Hours => (value as f64 / 24.0 * 10.0).round() / 10.0,
        }
    }
}

/// Digits grouped by thousands, with the sign.
fn group(value: i64) -> String {
    let digits = crate::money::grouped(value.unsigned_abs());
    if value < 0 { format!("−{digits}") } else { digits }
}

/// `part / whole` in tenths of a per cent, rounded; `None` without a whole.
pub fn permille(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (part * 1000 + whole / 2) / whole)
}

code_enum! {
    /// How the web client draws a table.
    pub enum Chart {
        Bars = ("bars", "Столбцы"),
        Lines = ("lines", "Линии"),
        /// Each row a bar of its columns stacked.
        Stacked = ("stacked", "Столбцы с накоплением"),
    }
}

/// A column of a statistics table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Column {
    pub title: String,
    pub unit: Measure,
    /// Drawn on the chart (a share or a limit is only in the table).
    pub charted: bool,
}

/// A row: its label and one value per column (`None`: not known, as coverage without a population figure).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Row {
    pub label: String,
    pub values: Vec<Option<i64>>,
}

/// One table of the dashboard, with the chart it is drawn as and a sentence
/// saying what it shows, for screen readers and the printed page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Table {
    /// Stable name, as in `/stats/tables/{key}`.
    pub key: String,
    pub title: String,
    /// The heading of the label column.
    pub label: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    pub chart: Chart,
    pub summary: String,
}

impl Table {
    /// The value of a row by its label and a column by its title.
    pub fn value(&self, row: &str, column: &str) -> Option<i64> {
        let column = self.columns.iter().position(|c| c.title == column)?;
        self.rows.iter().find(|r| r.label == row)?.values.get(column).copied().flatten()
    }
}

/// The key figures above the charts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Headline {
    /// Children aged 5–18 living in the territory, as the admin entered it for the year of `to`.
    pub population: Option<i64>,
    pub population_year: Option<i32>,
    /// Children aged 5–18 in the registry.
    pub registered: i64,
    /// Of them, with a certificate (any status but refused).
    pub with_certificate: i64,
    pub with_active_certificate: i64,
    /// Distinct children aged 5–18 enrolled in at least one program within the range.
    pub enrolled: i64,
    /// `enrolled / population`, tenths of a per cent.
    pub coverage_permille: Option<i64>,
    /// Roubles charged from certificates within the range (kopecks).
    pub charged: i64,
    /// `charged` per month of study paid (one charge of a contract for a month), kopecks.
    pub average_charge: Option<i64>,
}

/// The operator's dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dashboard {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The municipality counted; `None`: the whole region.
    pub municipality_id: Option<i64>,
    /// «Весь регион» or the municipality's name.
    pub territory: String,
    pub headline: Headline,
    /// Limits with less than a tenth left, as sentences.
    pub warnings: Vec<String>,
    pub tables: Vec<Table>,
}

/// The year of the form 1-ДОП.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct FormQuery {
    pub municipality_id: Option<i64>,
    /// The reporting year; the last finished year by default.
    pub year: Option<i32>,
}

code_enum! {
    /// A file a table is exported as.
    pub enum Format {
        /// UTF-8 with a BOM, `;`-separated: Excel opens it in a Russian locale.
        Csv = ("csv", "CSV"),
        Xlsx = ("xlsx", "Excel (XLSX)"),
    }
}

/// The file format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct FormatQuery {
    /// `csv` or `xlsx`.
    #[cfg_attr(feature = "openapi", param(inline))]
    pub format: Format,
}

/// The file name of an exported table: `coverage_by_age_2026-01-01_2026-12-31.xlsx`.
pub fn file_name(key: &str, suffix: &str, format: Format) -> String {
    format!("{key}_{suffix}.{}", format.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn the_default_range_is_twelve_months_to_today() {
        let fallback = Range { from: day(1, 1, 1), to: day(1, 1, 1) };
        let range = Range::of(&StatsQuery::default(), day(2026, 12, 5)).unwrap_or(fallback);
        assert_eq!((range.from, range.to), (day(2026, 1, 1), day(2026, 12, 5)));
        assert_eq!(range.months().len(), 12);
    }

    #[test]
    fn a_reversed_or_long_range_is_an_error_on_from() {
        let reversed = StatsQuery { from: Some(day(2026, 2, 1)), to: Some(day(2026, 1, 1)), ..Default::default() };
        assert!(Range::of(&reversed, day(2026, 1, 1)).is_err());
        let long = StatsQuery { from: Some(day(2020, 1, 1)), to: Some(day(2026, 1, 2)), ..Default::default() };
        assert!(Range::of(&long, day(2026, 1, 1)).is_err());
    }

    #[test]
    fn units_read_in_russian() {
        assert_eq!(Measure::Permille.show(457), "45,7\u{a0}%");
        assert_eq!(Measure::Hours.show(60), "2,5\u{a0}дн.");
        assert_eq!(Measure::Count.show(1234567), "1\u{a0}234\u{a0}567");
        assert_eq!(permille(1, 3), Some(333));
        assert_eq!(permille(1, 0), None);
        assert_eq!(Measure::Hours.number(60), 2.5);
    }

    #[test]
    fn bands_cover_the_form() {
        assert_eq!(band_title(FORM_BANDS[0]), "до 5 лет");
        assert_eq!(band_title(FORM_BANDS[4]), "18 лет и старше");
        assert_eq!(band_of(&COVERAGE_BANDS, 17), Some(2));
        assert_eq!(band_of(&COVERAGE_BANDS, 18), None);
        assert!(of_coverage_age(day(2010, 1, 1), day(2027, 12, 31)));
        assert!(!of_coverage_age(day(2008, 1, 1), day(2026, 1, 1)));
    }
}
