//! Reference data: the region and its municipalities, and the list envelope.

use serde::{Deserialize, Serialize};

/// A municipality (city district or municipal district) of the region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Municipality {
    /// Identifier.
    pub id: i64,
    /// Name in Russian, e.g. «город Смоленск».
    pub name: String,
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
