//! Programs and helpers shared by the tests.

use chrono::{NaiveDate, NaiveDateTime};
use navigator_search::{CatalogIndex, IndexedProgram};
use navigator_shared::catalog::{
    CatalogPage, CatalogQuery, CostType, Direction, Level, OrganizationRef, ProgramSummary,
};

/// Midnight of a day of September 2026.
pub fn day(day: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 9, day).unwrap().and_hms_opt(0, 0, 0).unwrap()
}

/// A plain program: technical, ages 7–12, free, open, in Smolensk
/// (municipality 1, organization 100), published on day `id % 28 + 1`.
pub fn program(id: i64, title: &str) -> IndexedProgram {
    IndexedProgram {
        summary: ProgramSummary {
            id,
            title: title.to_owned(),
            direction: Direction::Technical,
            profile: "общее развитие".to_owned(),
            level: Level::Start,
            age_min: 7,
            age_max: 12,
            certified: false,
            cost_type: CostType::Free,
            organization: OrganizationRef { id: 100, name: "Дом детского творчества".to_owned() },
            municipality_id: 1,
            address: "г. Смоленск, ул. Ленина, 10".to_owned(),
            lat: 54.78,
            lon: 32.04,
            rating: None,
            reviews_count: 0,
            applications_count: 0,
            price_from: None,
            open: true,
            disability_friendly: false,
            updated_at: day(1).and_utc(),
        },
        description: "Занятия для детей".to_owned(),
        published_at: day(u32::try_from(id % 28).unwrap() + 1),
    }
}

/// A program changed by `change`.
pub fn with(mut program: IndexedProgram, change: impl FnOnce(&mut IndexedProgram)) -> IndexedProgram {
    change(&mut program);
    program
}

/// An index holding `programs`.
pub fn index(programs: Vec<IndexedProgram>) -> CatalogIndex {
    let index = CatalogIndex::new().unwrap();
    index.replace_all(programs).unwrap();
    index
}

/// The first page of 100.
pub fn search(index: &CatalogIndex, query: &CatalogQuery) -> CatalogPage {
    index.search(query, 1, 100).unwrap()
}

/// The ids of a page, in order.
pub fn ids(page: &CatalogPage) -> Vec<i64> {
    page.items.iter().map(|p| p.id).collect()
}

/// The ids found by `query`, sorted, to compare as a set.
pub fn found(index: &CatalogIndex, query: &CatalogQuery) -> Vec<i64> {
    let page = search(index, query);
    assert_eq!(page.total, i64::try_from(page.items.len()).unwrap(), "{query:?}");
    let mut ids = ids(&page);
    ids.sort_unstable();
    ids
}

/// The ids found by the text `q`, sorted.
pub fn found_by(index: &CatalogIndex, q: &str) -> Vec<i64> {
    found(index, &text(q))
}

/// A query with only the text `q`.
pub fn text(q: &str) -> CatalogQuery {
    CatalogQuery { q: Some(q.to_owned()), ..CatalogQuery::default() }
}
