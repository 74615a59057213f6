//! Russian text search: stems, prefixes, case, «ё», misspellings, relevance.

use navigator_search::CatalogIndex;
use navigator_shared::catalog::CatalogQuery;

use crate::fixtures::{found_by, ids, index, program, search, with};

fn catalog() -> CatalogIndex {
    index(vec![
        program(1, "Робототехника"),
        program(2, "Юный робототехник"),
        program(3, "Танцевальная студия «Грация»"),
        program(4, "Шахматный клуб «Ладья»"),
        program(5, "Ёлочная игрушка своими руками"),
        program(6, "Елочные украшения"),
        program(7, "Футбольная секция"),
        with(program(8, "Клуб юных натуралистов"), |p| {
            p.description = "Наблюдаем за птицами, собираем гербарий, изучаем шахматную историю края".into();
        }),
        with(program(9, "Мастерская"), |p| {
            p.summary.profile = "Столярное дело".into();
            p.summary.organization.name = "Центр «Созвездие»".into();
        }),
    ])
}

#[test]
fn a_stem_finds_longer_words() {
    let index = catalog();
    assert_eq!(found_by(&index, "робот"), vec![1, 2]);
    assert_eq!(found_by(&index, "РОБОТ"), vec![1, 2]);
    assert_eq!(found_by(&index, "танц"), vec![3]);
}

#[test]
fn word_forms_match_by_stem() {
    let index = catalog();
    assert_eq!(found_by(&index, "шахматы"), vec![4, 8]);
    assert_eq!(found_by(&index, "робототехнику"), vec![1, 2]);
    assert_eq!(found_by(&index, "грации"), vec![3]);
}

#[test]
fn yo_reads_as_ye() {
    let index = catalog();
    assert_eq!(found_by(&index, "ёлка"), vec![5, 6]);
    assert_eq!(found_by(&index, "елка"), vec![5, 6]);
    assert_eq!(found_by(&index, "ЁЛОЧНЫЕ"), vec![5, 6]);
}

#[test]
fn misspelt_words_are_found() {
    let index = catalog();
    assert_eq!(found_by(&index, "робатехника"), vec![1, 2]);
    assert_eq!(found_by(&index, "шахмоты"), vec![4, 8]);
    assert_eq!(found_by(&index, "танцевалная"), vec![3]);
}

#[test]
fn unrelated_words_find_nothing() {
    let index = catalog();
    assert_eq!(found_by(&index, "футбол"), vec![7]);
    assert!(found_by(&index, "вышивка").is_empty());
    assert!(found_by(&index, "шах мат футбол").is_empty());
}

#[test]
fn every_word_must_match() {
    let index = catalog();
    assert_eq!(found_by(&index, "шахмат клуб"), vec![4, 8]);
    assert_eq!(found_by(&index, "шахматный клуб ладья"), vec![4]);
    assert!(found_by(&index, "шахмат студия").is_empty());
}

#[test]
fn profile_organization_and_description_are_searched() {
    let index = catalog();
    assert_eq!(found_by(&index, "столярное"), vec![9]);
    assert_eq!(found_by(&index, "созвездие"), vec![9]);
    assert_eq!(found_by(&index, "гербарий"), vec![8]);
}

#[test]
fn a_title_match_ranks_above_a_description_match() {
    let page = search(&catalog(), &CatalogQuery { q: Some("шахматы".into()), ..Default::default() });
    assert_eq!(ids(&page), vec![4, 8]);
    let page = search(&catalog(), &CatalogQuery { q: Some("шахматная история".into()), ..Default::default() });
    assert_eq!(ids(&page), vec![8]);
}

#[test]
fn punctuation_alone_is_no_text() {
    assert_eq!(found_by(&catalog(), " «» — ! ").len(), 9);
}
