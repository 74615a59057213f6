//! Map markers: the box, single markers at high zoom, clusters below.

use navigator_search::IndexedProgram;
use navigator_shared::catalog::{BBox, CLUSTER_BELOW_ZOOM, CatalogQuery, MapProgram};

use crate::fixtures::{index, program, with};

fn at(id: i64, title: &str, lat: f64, lon: f64) -> IndexedProgram {
    with(program(id, title), |p| {
        p.summary.lat = lat;
        p.summary.lon = lon;
    })
}

const REGION: BBox = BBox { min_lon: 31.0, min_lat: 54.0, max_lon: 35.0, max_lat: 56.0 };

fn catalog() -> navigator_search::CatalogIndex {
    index(vec![
        // Three in Smolensk, close together.
        at(1, "Робототехника", 54.780, 32.040),
        at(2, "Шахматы", 54.782, 32.045),
        at(3, "Танцы", 54.785, 32.050),
        // One in Vyazma, far away.
        at(4, "Футбол", 55.210, 34.290),
        // Outside the region.
        at(5, "Шахматы в Москве", 55.750, 37.620),
    ])
}

#[test]
fn high_zoom_gives_a_marker_per_program_in_the_box() {
    let page = catalog().map(&CatalogQuery::default(), REGION, CLUSTER_BELOW_ZOOM).unwrap();
    assert_eq!(page.total, 4);
    assert!(page.markers.iter().all(|m| m.count == 1));
    let mut ids: Vec<i64> = page.markers.iter().filter_map(|m| m.program.as_ref()).map(|p| p.id).collect();
    ids.sort_unstable();
    assert_eq!(ids, vec![1, 2, 3, 4]);
    let vyazma = page.markers.iter().find(|m| m.program.as_ref().is_some_and(|p| p.id == 4)).unwrap();
    assert_eq!((vyazma.lat, vyazma.lon), (55.210, 34.290));
    assert_eq!(
        vyazma.program,
        Some(MapProgram {
            id: 4,
            title: "Футбол".into(),
            organization: "Дом детского творчества".into(),
            address: "г. Смоленск, ул. Ленина, 10".into(),
        })
    );
}

#[test]
fn low_zoom_clusters_nearby_programs() {
    let page = catalog().map(&CatalogQuery::default(), REGION, 9).unwrap();
    assert_eq!(page.total, 4);
    assert_eq!(page.markers.len(), 2);
    let cluster = page.markers.iter().find(|m| m.count == 3).unwrap();
    assert!(cluster.program.is_none());
    assert!((cluster.lat - 54.782_333).abs() < 1e-5 && (cluster.lon - 32.045).abs() < 1e-9);
    let single = page.markers.iter().find(|m| m.count == 1).unwrap();
    assert_eq!(single.program.as_ref().map(|p| p.id), Some(4), "a lone program keeps its marker");
}

#[test]
fn filters_and_text_apply_to_the_map() {
    let index = catalog();
    let chess = CatalogQuery { q: Some("шахматы".into()), ..Default::default() };
    let page = index.map(&chess, REGION, 15).unwrap();
    assert_eq!((page.total, page.markers.len()), (1, 1));
    let everywhere = BBox { min_lon: -180.0, min_lat: -90.0, max_lon: 180.0, max_lat: 90.0 };
    assert_eq!(index.map(&chess, everywhere, 3).unwrap().total, 2);
    let vyazma = CatalogQuery { q: Some("футбол".into()), ..Default::default() };
    let smolensk = BBox { min_lon: 31.9, min_lat: 54.7, max_lon: 32.2, max_lat: 54.9 };
    assert_eq!(index.map(&vyazma, smolensk, 15).unwrap().total, 0);
}

#[test]
fn single_markers_are_capped_but_all_counted() {
    let programs = (1..=2_050).map(|id| at(id, "Кружок", 54.0 + id as f64 * 1e-4, 32.0)).collect();
    let page = index(programs).map(&CatalogQuery::default(), REGION, 16).unwrap();
    assert_eq!((page.total, page.markers.len()), (2_050, 2_000));
}
