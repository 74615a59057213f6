//! Upserts, removals, bulk replacement and reads running during writes.

use std::sync::Arc;
use std::thread;

use navigator_search::{CatalogIndex, IndexedProgram};
use navigator_shared::catalog::{CatalogQuery, Direction};

use crate::fixtures::{found, found_by, index, program, search, with};

#[test]
fn the_index_is_shareable_between_threads() {
    fn shareable<T: Send + Sync + 'static>() {}
    shareable::<CatalogIndex>();
    shareable::<navigator_search::SearchError>();
}

#[test]
fn upsert_inserts_and_replaces_by_id() {
    let index = CatalogIndex::new().unwrap();
    assert!(index.is_empty());
    index.upsert(program(1, "Шахматный клуб")).unwrap();
    index.upsert(program(2, "Робототехника")).unwrap();
    assert_eq!((index.len(), index.contains(1), index.contains(3)), (2, true, false));
    index
        .upsert(with(program(1, "Футбольная секция"), |p| {
            p.summary.direction = Direction::PhysicalSports
        }))
        .unwrap();
    assert_eq!(index.len(), 2);
    assert_eq!(found_by(&index, "футбол"), vec![1], "found by the new title");
    assert!(found_by(&index, "шахмат").is_empty(), "not by the old one");
    let sports = CatalogQuery { direction: Some(Direction::PhysicalSports), ..Default::default() };
    assert_eq!(found(&index, &sports), vec![1]);
    assert_eq!(search(&index, &sports).items[0].title, "Футбольная секция");
    assert_eq!(found(&index, &CatalogQuery { direction: Some(Direction::Technical), ..Default::default() }), vec![2]);
}

#[test]
fn remove_forgets_a_program_and_ignores_absent_ones() {
    let index = index(vec![program(1, "Шахматный клуб"), program(2, "Шахматы для малышей")]);
    index.remove(1).unwrap();
    index.remove(1).unwrap();
    index.remove(42).unwrap();
    assert_eq!((index.len(), index.contains(1)), (1, false));
    assert_eq!(found_by(&index, "шахмат"), vec![2]);
    assert_eq!(found(&index, &CatalogQuery::default()), vec![2]);
    assert_eq!(search(&index, &CatalogQuery::default()).facets.municipality[0].count, 1);
}

#[test]
fn a_freed_slot_serves_a_new_program() {
    let index = index(vec![program(1, "Шахматный клуб"), program(2, "Робототехника")]);
    index.remove(1).unwrap();
    index.upsert(program(3, "Танцевальная студия")).unwrap();
    assert_eq!(found_by(&index, "танц"), vec![3]);
    assert!(found_by(&index, "шахмат").is_empty());
    assert_eq!(found(&index, &CatalogQuery::default()), vec![2, 3]);
}

#[test]
fn upsert_many_keeps_the_last_of_an_id() {
    let index = CatalogIndex::new().unwrap();
    index.upsert_many(vec![program(1, "Шахматы"), program(2, "Футбол"), program(1, "Робототехника")]).unwrap();
    index.upsert_many(Vec::new()).unwrap();
    assert_eq!(index.len(), 2);
    assert_eq!(found_by(&index, "робот"), vec![1]);
    assert!(found_by(&index, "шахмат").is_empty());
}

#[test]
fn replace_all_replaces_everything() {
    let index = index(vec![program(1, "Шахматы"), program(2, "Футбол")]);
    index.replace_all(vec![program(2, "Робототехника"), program(3, "Танцы")]).unwrap();
    assert_eq!((index.len(), index.contains(1)), (2, false));
    assert!(found_by(&index, "шахмат").is_empty() && found_by(&index, "футбол").is_empty());
    assert_eq!(found_by(&index, "робот"), vec![2]);
    index.upsert(program(4, "Танцевальный кружок")).unwrap();
    assert_eq!(found_by(&index, "танц"), vec![3, 4], "writes go on after a replacement");
}

fn numbered(id: i64) -> IndexedProgram {
    with(program(id, &format!("Шахматный кружок {id}")), |p| p.summary.municipality_id = 1 + id % 3)
}

#[test]
fn reads_run_during_writes() {
    let index = Arc::new(index((1..=200).map(numbered).collect()));
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let index = Arc::clone(&index);
            thread::spawn(move || {
                for _ in 0..100 {
                    let page =
                        index.search(&CatalogQuery { q: Some("шахмат".into()), ..Default::default() }, 1, 20).unwrap();
                    assert!((150..=300).contains(&page.total), "{}", page.total);
                    assert_eq!(page.items.len(), 20);
                    let all = index.search(&CatalogQuery::default(), 1, 5).unwrap();
                    assert_eq!(all.facets.municipality.iter().map(|f| f.count).sum::<i64>(), all.total);
                }
            })
        })
        .collect();
    for id in 201..=300 {
        index.upsert(numbered(id)).unwrap();
        index.remove(id - 150).unwrap();
    }
    for reader in readers {
        reader.join().unwrap();
    }
    assert_eq!(index.len(), 200);
    assert_eq!(search(&index, &CatalogQuery { q: Some("шахмат".into()), ..Default::default() }).total, 200);
    assert!(index.contains(300) && !index.contains(150) && index.contains(151));
}
