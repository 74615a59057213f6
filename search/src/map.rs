//! The map: markers of the matching programs inside a box, clustered on a
//! grid below [`CLUSTER_BELOW_ZOOM`].

use std::collections::HashMap;

use navigator_shared::catalog::{BBox, CLUSTER_BELOW_ZOOM, MapMarker, MapPage, MapProgram};

use crate::bitset::Bitset;
use crate::catalog::{Catalog, Entry};
use crate::orders::Order;

/// At most this many single markers; the newest programs are shown.
pub(crate) const MAX_MARKERS: usize = 2_000;
/// A cluster cell is about this many pixels wide on a 256-pixel tile.
const CELL_PIXELS: f64 = 64.0;
const TILE_PIXELS: f64 = 256.0;

/// The markers of the `matches` inside `bbox` at `zoom`.
pub(crate) fn markers(catalog: &Catalog, matches: &Bitset, bbox: BBox, zoom: u8) -> MapPage {
    if zoom >= CLUSTER_BELOW_ZOOM {
        single_markers(catalog, matches, bbox)
    } else {
        clusters(catalog, matches, bbox, zoom)
    }
}

/// The matching slots inside the box with their positions, in `slots` order.
fn located<'a>(
    catalog: &'a Catalog,
    matches: &'a Bitset,
    bbox: BBox,
    slots: impl Iterator<Item = u32> + 'a,
) -> impl Iterator<Item = (u32, (f64, f64))> + 'a {
    slots
        .filter(|slot| matches.contains(*slot))
        .filter_map(|slot| Some((slot, catalog.position(slot)?)))
        .filter(move |(_, (lat, lon))| bbox.contains(*lat, *lon))
}

/// One marker per program, newest first.
fn single_markers(catalog: &Catalog, matches: &Bitset, bbox: BBox) -> MapPage {
    let mut total = 0;
    let mut markers = Vec::new();
    for (slot, _) in located(catalog, matches, bbox, catalog.ordered(Order::Newest)) {
        total += 1;
        if markers.len() < MAX_MARKERS {
            markers.extend(catalog.entry(slot).map(single));
        }
    }
    MapPage { markers, total }
}

fn single(entry: &Entry) -> MapMarker {
    let summary = &entry.summary;
    MapMarker {
        lat: summary.lat,
        lon: summary.lon,
        count: 1,
        program: Some(MapProgram {
            id: summary.id,
            title: summary.title.clone(),
            organization: summary.organization.name.clone(),
            address: summary.address.clone(),
        }),
    }
}

/// The side of a grid cell in degrees: about [`CELL_PIXELS`] at `zoom`.
fn cell_size(zoom: u8) -> f64 {
    360.0 / 2f64.powi(i32::from(zoom)) * CELL_PIXELS / TILE_PIXELS
}

/// Programs of one grid cell.
struct Cell {
    first: u32,
    count: i64,
    lat_sum: f64,
    lon_sum: f64,
}

impl Cell {
    /// A lone program's own marker, or a cluster at the mean position.
    fn marker(&self, catalog: &Catalog) -> Option<MapMarker> {
        if self.count == 1 {
            return catalog.entry(self.first).map(single);
        }
        let count = self.count as f64;
        Some(MapMarker { lat: self.lat_sum / count, lon: self.lon_sum / count, count: self.count, program: None })
    }
}

/// One marker per non-empty grid cell, at the mean position of its programs.
fn clusters(catalog: &Catalog, matches: &Bitset, bbox: BBox, zoom: u8) -> MapPage {
    let size = cell_size(zoom);
    let mut cells: HashMap<(i64, i64), Cell> = HashMap::new();
    for (slot, (lat, lon)) in located(catalog, matches, bbox, matches.iter()) {
        let key = ((lat / size).floor() as i64, (lon / size).floor() as i64);
        let cell = cells.entry(key).or_insert(Cell { first: slot, count: 0, lat_sum: 0.0, lon_sum: 0.0 });
        cell.count += 1;
        cell.lat_sum += lat;
        cell.lon_sum += lon;
    }
    let mut cells: Vec<_> = cells.into_iter().collect();
    cells.sort_unstable_by_key(|(key, _)| *key);
    let total = cells.iter().map(|(_, cell)| cell.count).sum();
    MapPage { markers: cells.iter().filter_map(|(_, cell)| cell.marker(catalog)).collect(), total }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_a_quarter_of_a_tile() {
        assert!((cell_size(0) - 90.0).abs() < 1e-9);
        assert!((cell_size(9) - 90.0 / 512.0).abs() < 1e-12);
    }
}
