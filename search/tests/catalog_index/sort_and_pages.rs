//! Orders with their tie-breaks, pages and totals.

use navigator_shared::catalog::{CatalogQuery, Sort};

use crate::fixtures::{day, ids, index, program, search, with};

fn sorted(sort: Sort) -> CatalogQuery {
    CatalogQuery { sort: Some(sort), ..Default::default() }
}

fn rated(id: i64, rating: Option<(f64, i64)>, applications: i64, published: u32) -> navigator_search::IndexedProgram {
    with(program(id, "Кружок"), |p| {
        p.summary.rating = rating.map(|(mean, _)| mean);
        p.summary.reviews_count = rating.map_or(0, |(_, count)| count);
        p.summary.applications_count = applications;
        p.published_at = day(published);
    })
}

fn catalog() -> navigator_search::CatalogIndex {
    index(vec![
        rated(1, Some((4.5, 20)), 10, 3),
        rated(2, None, 50, 5),
        rated(3, Some((5.0, 1)), 10, 5),
        rated(4, Some((4.5, 20)), 0, 1),
        rated(5, None, 50, 2),
        rated(6, Some((3.0, 2)), 7, 5),
    ])
}

#[test]
fn rating_rank_desc_one_review_weighs_little_unrated_last_ties_by_id_desc() {
    // 4,5 of twenty reviews ranks 4,4; 5 of one review ranks 4,17; 3 of two 3,71.
    assert_eq!(ids(&search(&catalog(), &sorted(Sort::Rating))), vec![4, 1, 3, 6, 5, 2]);
}

#[test]
fn popularity_desc_ties_by_id_desc() {
    assert_eq!(ids(&search(&catalog(), &sorted(Sort::Popularity))), vec![5, 2, 3, 1, 6, 4]);
}

#[test]
fn newest_first_ties_by_id_desc() {
    let newest = ids(&search(&catalog(), &sorted(Sort::Newest)));
    assert_eq!(newest, vec![6, 3, 2, 1, 5, 4]);
    assert_eq!(ids(&search(&catalog(), &sorted(Sort::Relevance))), newest, "relevance without text");
    assert_eq!(ids(&search(&catalog(), &CatalogQuery::default())), newest, "the default order");
    let blank = CatalogQuery { q: Some("  \t ".into()), ..Default::default() };
    assert_eq!(ids(&search(&catalog(), &blank)), newest, "a blank text is no text");
}

#[test]
fn text_matches_keep_the_chosen_order() {
    let index = catalog();
    let query = CatalogQuery { q: Some("кружок".into()), sort: Some(Sort::Popularity), ..Default::default() };
    assert_eq!(ids(&search(&index, &query)), vec![5, 2, 3, 1, 6, 4]);
    let query = CatalogQuery { sort: Some(Sort::Relevance), ..query };
    assert_eq!(ids(&search(&index, &query)), vec![6, 5, 4, 3, 2, 1], "equal scores: id desc");
}

#[test]
fn pages_split_the_order_and_echo_arguments() {
    let index = catalog();
    let query = sorted(Sort::Newest);
    let pages: Vec<Vec<i64>> = (1..=3).map(|page| ids(&index.search(&query, page, 2).unwrap())).collect();
    assert_eq!(pages, vec![vec![6, 3], vec![2, 1], vec![5, 4]]);
    let last = index.search(&query, 2, 4).unwrap();
    assert_eq!((ids(&last), last.total, last.page, last.per_page), (vec![5, 4], 6, 2, 4));
    let beyond = index.search(&query, 4, 2).unwrap();
    assert!(beyond.items.is_empty());
    assert_eq!((beyond.total, beyond.page, beyond.per_page), (6, 4, 2));
    assert!(!beyond.facets.cost.is_empty(), "facets do not depend on the page");
}

#[test]
fn text_pages_by_relevance() {
    let index = catalog();
    let query = CatalogQuery { q: Some("кружок".into()), ..Default::default() };
    let pages: Vec<Vec<i64>> = (1..=4).map(|page| ids(&index.search(&query, page, 4).unwrap())).collect();
    assert_eq!(pages, vec![vec![6, 5, 4, 3], vec![2, 1], vec![], vec![]]);
    assert_eq!(index.search(&query, 3, 4).unwrap().total, 6);
    assert_eq!(index.search(&query, i64::MAX, 100).unwrap().items.len(), 0);
}
