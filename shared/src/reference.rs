//! Reference data: the region and its municipalities, and the list envelope.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::FieldErrors;

/// A municipality (city district or municipal district) of the region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Municipality {
    /// Identifier.
    pub id: i64,
    /// Name in Russian, e.g. «город Смоленск».
    pub name: String,
    /// The latest population of children aged 5–18 the admin entered, for
    /// coverage statistics, and its year.
    #[serde(default)]
    pub children_population: Option<i64>,
    #[serde(default)]
    pub population_year: Option<i32>,
    /// `[lat, lon]` of its administrative centre: where the catalog map
    /// writes its name.
    #[serde(default)]
    pub center: Option<[f64; 2]>,
}

/// `POST /municipalities` and `PATCH /municipalities/{id}` (admin).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MunicipalityInput {
    /// 2..=200 characters, e.g. «Кардымовский район».
    pub name: String,
    /// `[lat, lon]` of its administrative centre; absent leaves it as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub center: Option<[f64; 2]>,
}

impl MunicipalityInput {
    /// The trimmed name and the centre.
    pub fn validate(&self) -> Result<(String, Option<[f64; 2]>), FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.check("name", crate::validate::bounded_text(&self.name, 200, "Укажите название муниципалитета"));
        if name.as_deref().is_some_and(|n| n.chars().count() < 2) {
            e.add("name", "Не короче 2 символов");
        }
        if let Some([lat, lon]) = self.center {
            if !(-90.0..=90.0).contains(&lat) {
                e.add("lat", "Широта — от −90 до 90");
            }
            if !(-180.0..=180.0).contains(&lon) {
                e.add("lon", "Долгота — от −180 до 180");
            }
        }
        e.finish(|| Some((name?, self.center)))
    }
}

/// `PUT /municipalities/{id}/population/{year}` (admin): children aged 5–18.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PopulationInput {
    /// 0..=10 000 000.
    pub children: i64,
}

impl PopulationInput {
    /// Checks the figure and the year of the path.
    pub fn validate(&self, year: i32) -> Result<(i32, i64), FieldErrors> {
        let mut e = FieldErrors::new();
        if !(2000..=2100).contains(&year) {
            e.add("year", "Год — от 2000 до 2100");
        }
        if !(0..=10_000_000).contains(&self.children) {
            e.add("children", "Число детей — от 0 до 10 000 000");
        }
        e.finish(|| Some((year, self.children)))
    }
}

/// Settings of the region the installation serves.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegionSettings {
    /// Region name in Russian.
    pub name: String,
    /// Youngest age (years, inclusive) at which a child may get a certificate.
    pub child_age_min: i32,
    /// Age (years, exclusive) from which a child may no longer get a certificate.
    pub child_age_max: i32,
    /// Who confirms certificates.
    #[serde(default)]
    pub confirmation_by: ConfirmationBy,
    /// Working days the family has to bring the documents to an activation point.
    #[serde(default)]
    pub documents_days: i32,
    /// Working days the operator has to decide once the documents are complete.
    #[serde(default)]
    pub decision_days: i32,
    /// The current academic year by its first calendar year (2026 = 2026/2027);
    /// families apply to groups of this year and the next.
    #[serde(default)]
    pub academic_year: i32,
    /// The catalog map: tile URL template (`https://…/{z}/{x}/{y}.png`);
    /// empty when no tile server is configured (markers still work).
    #[serde(default)]
    pub map_tile_url: String,
    /// Attribution of the tiles, shown on the map.
    #[serde(default)]
    pub map_attribution: String,
    /// Where the map opens: `[lat, lon]` and zoom.
    #[serde(default)]
    pub map_center: [f64; 2],
    #[serde(default)]
    pub map_zoom: u8,
}

impl RegionSettings {
    /// Ages at which a child may get a certificate: from `child_age_min` up
    /// to the birthday of `child_age_max`.
    pub fn certificate_ages(&self) -> crate::ages::AgeRange {
        crate::ages::AgeRange::below(self.child_age_min, self.child_age_max)
    }
}

crate::code_enum! {
    /// Who confirms (activates) certificates in the region (seeds 001 and 004).
    #[derive(Default)]
    pub enum ConfirmationBy {
        /// The operator, and the activation points he authorised to confirm.
        #[default]
        Points = ("points", "Оператор и уполномоченные пункты активации"),
        /// Only the operator (РМЦ/МОЦ), within the decision deadline.
        Operator = ("operator", "Только оператор"),
    }
}

/// The admin's change of the region settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegionUpdate {
    /// Region name, 2..=200 characters.
    pub name: String,
    /// Youngest age for a certificate, 3..=7.
    pub child_age_min: i32,
    /// Age from which no certificate is issued, 14..=18 (18 for «от 5 до 18 лет»).
    pub child_age_max: i32,
    pub confirmation_by: ConfirmationBy,
    /// 1..=30 working days.
    pub documents_days: i32,
    /// 1..=30 working days.
    pub decision_days: i32,
    /// The current academic year: last, this or next calendar year.
    pub academic_year: i32,
}

impl RegionUpdate {
    /// Checks every field against `today`; the errors name their fields.
    pub fn validate(&self, today: NaiveDate) -> Result<RegionUpdate, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.check("name", crate::validate::bounded_text(&self.name, 200, "Укажите название региона"));
        if name.as_deref().is_some_and(|n| n.chars().count() < 2) {
            e.add("name", "Не короче 2 символов");
        }
        if !(3..=7).contains(&self.child_age_min) {
            e.add("child_age_min", "Возраст — от 3 до 7 лет");
        }
        if !(14..=18).contains(&self.child_age_max) {
            e.add("child_age_max", "Возраст — от 14 до 18 лет");
        }
        for (field, days) in [("documents_days", self.documents_days), ("decision_days", self.decision_days)] {
            if !(1..=30).contains(&days) {
                e.add(field, "От 1 до 30 рабочих дней");
            }
        }
        let year = today.year();
        if !(year - 1..=year + 1).contains(&self.academic_year) {
            e.add("academic_year", format!("Учебный год начинается в {} – {} году", year - 1, year + 1));
        }
        e.finish(|| name.map(|name| RegionUpdate { name, ..self.clone() }))
    }
}

/// The academic year a date belongs to, by its first calendar year: it runs
/// from 1 September to 31 August.
pub fn academic_year_of(date: NaiveDate) -> i32 {
    if date.month() >= 9 { date.year() } else { date.year() - 1 }
}

/// Whether a group running from `start` to `end` takes applications when
/// `current` is the region's academic year: it runs in this or the next one
/// (seed 003: «учебный год – текущий или следующий»).
pub fn in_open_academic_years(start: NaiveDate, end: NaiveDate, current: i32) -> bool {
    academic_year_of(start) <= current + 1 && academic_year_of(end) >= current
}

/// «2026/2027».
pub fn academic_year_title(year: i32) -> String {
    format!("{year}/{}", year + 1)
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    /// Items of this page.
    pub items: Vec<T>,
    /// Number of items on all pages.
    pub total: i64,
    /// Page number, from 1.
    pub page: i64,
    /// Page size.
    pub per_page: i64,
}

/// `?page=&per_page=` of a list request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct PageQuery {
    /// Page number, 1..=100000 (default 1).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100000))]
    pub page: Option<i64>,
    /// Page size, 1..=200 (default 50).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub per_page: Option<i64>,
}

impl PageQuery {
    pub const DEFAULT_PER_PAGE: i64 = 50;
    pub const MAX_PER_PAGE: i64 = 200;
    /// No list has more pages; a larger number is a mistake, not an empty page.
    pub const MAX_PAGE: i64 = 100_000;

    /// Page and page size, checked: `(page, per_page)`.
    pub fn resolve(&self) -> Result<(i64, i64), crate::FieldErrors> {
        let mut errors = crate::FieldErrors::new();
        let pages = Self::check(self.page, self.per_page, Self::DEFAULT_PER_PAGE, Self::MAX_PER_PAGE, &mut errors);
        errors.finish(|| Some(pages))
    }

    /// The one rule of pages, for every list of the API (so an offset never
    /// overflows): page 1..=`MAX_PAGE`, size 1..=`max_per_page`. Errors go to
    /// `errors` under `page` and `per_page`.
    pub fn check(
        page: Option<i64>,
        per_page: Option<i64>,
        default_per_page: i64,
        max_per_page: i64,
        errors: &mut crate::FieldErrors,
    ) -> (i64, i64) {
        let page = page.unwrap_or(1);
        let per_page = per_page.unwrap_or(default_per_page);
        if page < 1 {
            errors.add("page", "Номер страницы начинается с 1");
        } else if page > Self::MAX_PAGE {
            errors.add("page", format!("Номер страницы — не больше {}", Self::MAX_PAGE));
        }
        if !(1..=max_per_page).contains(&per_page) {
            errors.add("per_page", format!("Размер страницы — от 1 до {max_per_page}"));
        }
        (page, per_page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update() -> RegionUpdate {
        RegionUpdate {
            name: " Смоленская область ".into(),
            child_age_min: 5,
            child_age_max: 18,
            confirmation_by: ConfirmationBy::Operator,
            documents_days: 7,
            decision_days: 3,
            academic_year: 2026,
        }
    }

    #[test]
    fn the_academic_year_starts_in_september() {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        assert_eq!(academic_year_of(day(8, 31)), 2025);
        assert_eq!(academic_year_of(day(9, 1)), 2026);
        assert_eq!(academic_year_title(2026), "2026/2027");
        let (from, to) = (NaiveDate::from_ymd_opt(2025, 9, 1).unwrap(), NaiveDate::from_ymd_opt(2027, 5, 31).unwrap());
        assert!(in_open_academic_years(from, to, 2026), "a two-year group still running");
        assert!(!in_open_academic_years(from, day(5, 31), 2026), "ended last academic year");
        assert!(!in_open_academic_years(
            NaiveDate::from_ymd_opt(2028, 9, 1).unwrap(),
            to.with_year(2029).unwrap(),
            2026
        ));
    }

    #[test]
    fn region_settings_are_checked_field_by_field() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        assert_eq!(update().validate(today).unwrap().name, "Смоленская область");
        let bad = RegionUpdate { child_age_min: 2, decision_days: 0, academic_year: 2030, ..update() };
        let errors = bad.validate(today).unwrap_err();
        for field in ["child_age_min", "decision_days", "academic_year"] {
            assert!(errors.0.contains_key(field), "{field}: {errors:?}");
        }
    }
}
