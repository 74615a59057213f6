//! Every filter alone and combined, and the facets.

use navigator_search::CatalogIndex;
use navigator_shared::catalog::{CatalogQuery, CostType, Direction, FacetCount};

use crate::fixtures::{found, index, program, search, with};

/// Ten programs differing in one attribute each.
fn catalog() -> CatalogIndex {
    index(vec![
        program(1, "Робототехника"),
        with(program(2, "Живопись"), |p| {
            p.summary.direction = Direction::Arts;
            p.summary.profile = "Изобразительное  искусство".into();
        }),
        with(program(3, "Футбол"), |p| {
            p.summary.direction = Direction::PhysicalSports;
            p.summary.municipality_id = 2;
            p.summary.profile = "футбол".into();
        }),
        with(program(4, "Шахматы"), |p| {
            p.summary.direction = Direction::PhysicalSports;
            p.summary.organization.id = 200;
            p.summary.profile = "шахматы".into();
        }),
        with(program(5, "Ёлочная игрушка"), |p| {
            p.summary.direction = Direction::Arts;
            p.summary.profile = "Ёлочные игрушки".into();
            p.summary.age_min = 5;
            p.summary.age_max = 7;
        }),
        with(program(6, "Платная робототехника"), |p| p.summary.cost_type = CostType::Paid),
        with(program(7, "Робототехника по сертификату"), |p| {
            p.summary.cost_type = CostType::Certificate;
            p.summary.certified = true;
        }),
        with(program(8, "Сертификат не подтверждён"), |p| {
            p.summary.cost_type = CostType::Certificate
        }),
        with(program(9, "Платная, но сертифицирована"), |p| {
            p.summary.cost_type = CostType::Paid;
            p.summary.certified = true;
        }),
        with(program(10, "Набор закрыт"), |p| {
            p.summary.open = false;
            p.summary.municipality_id = 2;
            p.summary.age_min = 12;
            p.summary.age_max = 18;
        }),
    ])
}

#[test]
fn without_filters_everything_is_found() {
    assert_eq!(found(&catalog(), &CatalogQuery::default()), (1..=10).collect::<Vec<_>>());
}

#[test]
fn municipality_and_organization() {
    let index = catalog();
    assert_eq!(found(&index, &CatalogQuery { municipality_id: Some(2), ..Default::default() }), vec![3, 10]);
    assert_eq!(found(&index, &CatalogQuery { organization_id: Some(200), ..Default::default() }), vec![4]);
    assert!(found(&index, &CatalogQuery { municipality_id: Some(99), ..Default::default() }).is_empty());
}

#[test]
fn direction() {
    let query = CatalogQuery { direction: Some(Direction::Arts), ..Default::default() };
    assert_eq!(found(&catalog(), &query), vec![2, 5]);
    let query = CatalogQuery { direction: Some(Direction::NaturalScience), ..Default::default() };
    assert!(found(&catalog(), &query).is_empty());
}

#[test]
fn profile_ignores_case_yo_and_spaces() {
    let index = catalog();
    let profile = |p: &str| CatalogQuery { profile: Some(p.into()), ..Default::default() };
    assert_eq!(found(&index, &profile("ФУТБОЛ")), vec![3]);
    assert_eq!(found(&index, &profile(" елочные   ИГРУШКИ ")), vec![5]);
    assert_eq!(found(&index, &profile("изобразительное искусство")), vec![2]);
    assert!(found(&index, &profile("футбо")).is_empty(), "a profile is compared whole");
}

#[test]
fn age_bounds_are_inclusive() {
    let index = catalog();
    let age = |age: i32| found(&index, &CatalogQuery { age: Some(age), ..Default::default() });
    assert_eq!(age(5), vec![5], "age_min of 5–7");
    assert_eq!(age(4), Vec::<i64>::new(), "below every range");
    assert_eq!(age(7), (1..=9).collect::<Vec<_>>(), "age_max of 5–7 and age_min of 7–12");
    assert_eq!(age(13), vec![10], "above 7–12");
    assert_eq!(age(18), vec![10], "age_max of 12–18");
}

#[test]
fn cost_is_what_parents_pay() {
    let index = catalog();
    let cost = |cost: CostType| found(&index, &CatalogQuery { cost: Some(cost), ..Default::default() });
    assert_eq!(cost(CostType::Certificate), vec![7, 9], "certified, whatever the stated cost");
    assert_eq!(cost(CostType::Paid), vec![6, 8], "an uncertified certificate program is paid");
    assert_eq!(cost(CostType::Free), vec![1, 2, 3, 4, 5, 10]);
}

#[test]
fn open_only_when_true() {
    let index = catalog();
    let open = |open: Option<bool>| found(&index, &CatalogQuery { open, ..Default::default() }).len();
    assert_eq!(open(Some(true)), 9);
    assert_eq!(open(Some(false)), 10);
    assert_eq!(open(None), 10);
}

#[test]
fn filters_combine_with_and() {
    let index = catalog();
    let query = CatalogQuery {
        municipality_id: Some(1),
        direction: Some(Direction::Technical),
        cost: Some(CostType::Certificate),
        age: Some(10),
        open: Some(true),
        ..Default::default()
    };
    assert_eq!(found(&index, &query), vec![7, 9]);
    let query = CatalogQuery { q: Some("робототехника".into()), ..query };
    assert_eq!(found(&index, &query), vec![7], "with the text too");
    let query = CatalogQuery { organization_id: Some(200), ..query };
    assert!(found(&index, &query).is_empty());
}

fn counts(pairs: &[(&str, i64)]) -> Vec<FacetCount> {
    pairs.iter().map(|(value, count)| FacetCount { value: (*value).to_owned(), count: *count }).collect()
}

#[test]
fn facets_count_without_their_own_filter() {
    let index = catalog();
    let query = CatalogQuery {
        direction: Some(Direction::PhysicalSports),
        municipality_id: Some(1),
        cost: Some(CostType::Free),
        open: Some(true),
        ..Default::default()
    };
    let page = search(&index, &query);
    assert_eq!(page.total, 1, "only «Шахматы»");
    let facets = page.facets;
    // Municipality 1, free, open: 1, 2, 4, 5; by direction.
    assert_eq!(facets.direction, counts(&[("arts", 2), ("physical_sports", 1), ("technical", 1)]));
    // Physical sports, free, open: 3 in municipality 2, 4 in 1.
    assert_eq!(facets.municipality, counts(&[("1", 1), ("2", 1)]));
    // Physical sports in municipality 1, open: only «Шахматы» (free); zero counts left out.
    assert_eq!(facets.cost, counts(&[("free", 1)]));
    assert_eq!(facets.open, 1);
}

#[test]
fn facets_without_filters_and_with_text() {
    let index = catalog();
    let facets = search(&index, &CatalogQuery::default()).facets;
    assert_eq!(facets.cost, counts(&[("free", 6), ("certificate", 2), ("paid", 2)]));
    assert_eq!(facets.municipality, counts(&[("1", 8), ("2", 2)]));
    assert_eq!(facets.open, 9);
    let facets = search(&index, &CatalogQuery { q: Some("робототехника".into()), ..Default::default() }).facets;
    assert_eq!(facets.cost, counts(&[("certificate", 1), ("free", 1), ("paid", 1)]));
    assert_eq!(facets.direction, counts(&[("technical", 3)]));
}
