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
    let mut ids: Vec<i64> = page.markers.iter().flat_map(|m| &m.programs).map(|p| p.id).collect();
    ids.sort_unstable();
    assert_eq!(ids, vec![1, 2, 3, 4]);
    let vyazma = page.markers.iter().find(|m| m.programs.iter().any(|p| p.id == 4)).unwrap();
    assert_eq!((vyazma.lat, vyazma.lon), (55.210, 34.290));
    assert_eq!(
        vyazma.programs,
        vec![MapProgram {
            id: 4,
            title: "Футбол".into(),
            organization: "Дом детского творчества".into(),
            address: "г. Смоленск, ул. Ленина, 10".into(),
        }]
    );
}

#[test]
fn low_zoom_clusters_nearby_programs() {
    let page = catalog().map(&CatalogQuery::default(), REGION, 9).unwrap();
    assert_eq!(page.total, 4);
    assert_eq!(page.markers.len(), 2);
    let cluster = page.markers.iter().find(|m| m.count == 3).unwrap();
    assert!(cluster.programs.is_empty(), "a cluster of nearby points is split by a closer view");
    assert!((cluster.lat - 54.782_333).abs() < 1e-5 && (cluster.lon - 32.045).abs() < 1e-9);
    let single = page.markers.iter().find(|m| m.count == 1).unwrap();
    assert_eq!(single.programs.iter().map(|p| p.id).collect::<Vec<_>>(), vec![4], "a lone program keeps its marker");
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

#[test]
fn programs_at_one_address_share_a_marker_that_lists_them() {
    let mut programs: Vec<IndexedProgram> =
        (10..14).map(|id| at(id, &format!("Кружок {id}"), 54.800, 32.100)).collect();
    programs.push(at(20, "Рядом", 54.801, 32.101));
    let index = index(programs);
    for zoom in [CLUSTER_BELOW_ZOOM, 18] {
        let page = index.map(&CatalogQuery::default(), REGION, zoom).unwrap();
        assert_eq!((page.total, page.markers.len()), (5, 2), "zoom {zoom}");
        let shared = page.markers.iter().find(|m| m.count == 4).unwrap();
        let ids: Vec<i64> = shared.programs.iter().map(|p| p.id).collect();
        assert_eq!(ids, vec![13, 12, 11, 10], "newest first, zoom {zoom}");
        assert_eq!((shared.lat, shared.lon), (54.800, 32.100));
    }
    // Far out, one cell holds both points: a cluster a closer view splits.
    let far = index.map(&CatalogQuery::default(), REGION, 8).unwrap();
    assert_eq!((far.markers.len(), far.markers[0].count, far.markers[0].programs.len()), (1, 5, 0));
    // Only the one address: even far out its programs are listed, as no zoom would split them.
    let one = CatalogQuery { q: Some("кружок".into()), ..Default::default() };
    let page = index.map(&one, REGION, 5).unwrap();
    assert_eq!((page.markers.len(), page.markers[0].programs.len()), (1, 4));
}

#[test]
fn the_map_says_how_many_matching_programs_are_outside_the_box_and_where_they_all_are() {
    let page = catalog().map(&CatalogQuery::default(), REGION, 9).unwrap();
    assert_eq!((page.total, page.matching), (4, 5), "Moscow is outside the region's box");
    assert_eq!(page.extent, Some([32.040, 54.780, 37.620, 55.750]));
    let nothing = CatalogQuery { q: Some("вышивание".into()), ..Default::default() };
    let page = catalog().map(&nothing, REGION, 9).unwrap();
    assert_eq!((page.total, page.matching, page.extent), (0, 0, None));
}
