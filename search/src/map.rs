//! The map: markers of the matching programs inside a box, clustered on a
//! grid below [`CLUSTER_BELOW_ZOOM`].

use std::collections::HashMap;

use navigator_shared::catalog::{BBox, CLUSTER_BELOW_ZOOM, MAX_LISTED_AT_POINT, MapMarker, MapPage, MapProgram};

use crate::bitset::Bitset;
use crate::catalog::{Catalog, Entry};
use crate::orders::Order;

/// At most this many single markers; the newest programs are shown.
pub(crate) const MAX_MARKERS: usize = 2_000;
/// A cluster cell is about this many pixels wide on a 256-pixel tile.
const CELL_PIXELS: f64 = 64.0;
const TILE_PIXELS: f64 = 256.0;

/// The markers of the `matches` inside `bbox` at `zoom`, with how many
/// programs match anywhere and the box around them.
pub(crate) fn markers(catalog: &Catalog, matches: &Bitset, bbox: BBox, zoom: u8) -> MapPage {
    let (markers, total) = if zoom >= CLUSTER_BELOW_ZOOM {
        single_markers(catalog, matches, bbox)
    } else {
        clusters(catalog, matches, bbox, zoom)
    };
    MapPage {
        markers,
        total,
        matching: i64::try_from(matches.len()).unwrap_or(i64::MAX),
        extent: extent(catalog, matches),
    }
}

/// The box around every matching program.
fn extent(catalog: &Catalog, matches: &Bitset) -> Option<[f64; 4]> {
    matches.iter().filter_map(|slot| catalog.position(slot)).fold(None, |extent, (lat, lon)| {
        let [min_lon, min_lat, max_lon, max_lat] = extent.unwrap_or([lon, lat, lon, lat]);
        Some([min_lon.min(lon), min_lat.min(lat), max_lon.max(lon), max_lat.max(lat)])
    })
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

/// A point as a key: programs at one address share it exactly.
fn point_key((lat, lon): (f64, f64)) -> (u64, u64) {
    (lat.to_bits(), lon.to_bits())
}

/// One marker per point, newest first: programs sharing an address are
/// listed on one marker.
fn single_markers(catalog: &Catalog, matches: &Bitset, bbox: BBox) -> (Vec<MapMarker>, i64) {
    let mut total = 0;
    let mut markers: Vec<MapMarker> = Vec::new();
    let mut at: HashMap<(u64, u64), usize> = HashMap::new();
    for (slot, position) in located(catalog, matches, bbox, catalog.ordered(Order::Newest)) {
        total += 1;
        let Some(entry) = catalog.entry(slot) else { continue };
        match at.get(&point_key(position)) {
            Some(&index) => {
                let marker = &mut markers[index];
                marker.count += 1;
                if marker.programs.len() < MAX_LISTED_AT_POINT {
                    marker.programs.push(listed(entry));
                }
            }
            None if markers.len() < MAX_MARKERS => {
                at.insert(point_key(position), markers.len());
                markers.push(MapMarker { lat: position.0, lon: position.1, count: 1, programs: vec![listed(entry)] });
            }
            None => {}
        }
    }
    (markers, total)
}

fn listed(entry: &Entry) -> MapProgram {
    let summary = &entry.summary;
    MapProgram {
        id: summary.id,
        title: summary.title.clone(),
        organization: summary.organization.name.clone(),
        address: summary.address.clone(),
    }
}

/// The side of a grid cell in degrees: about [`CELL_PIXELS`] at `zoom`.
fn cell_size(zoom: u8) -> f64 {
    360.0 / 2f64.powi(i32::from(zoom)) * CELL_PIXELS / TILE_PIXELS
}

/// Programs of one grid cell.
struct Cell {
    /// Where the first program is.
    first: (f64, f64),
    count: i64,
    lat_sum: f64,
    lon_sum: f64,
    /// While every program of the cell is at `first`: their slots (at most
    /// [`MAX_LISTED_AT_POINT`]); `None` once another point joins.
    same_point: Option<Vec<u32>>,
}

impl Cell {
    fn new(first: (f64, f64)) -> Self {
        Self { first, count: 0, lat_sum: 0.0, lon_sum: 0.0, same_point: Some(Vec::new()) }
    }

    fn add(&mut self, slot: u32, position: (f64, f64)) {
        self.count += 1;
        self.lat_sum += position.0;
        self.lon_sum += position.1;
        if point_key(position) != point_key(self.first) {
            self.same_point = None;
        }
        if let Some(slots) = &mut self.same_point
            && slots.len() < MAX_LISTED_AT_POINT
        {
            slots.push(slot);
        }
    }

    /// The programs of one point listed on their marker, or a cluster at the
    /// mean position that a closer view splits.
    fn marker(&self, catalog: &Catalog) -> MapMarker {
        if let Some(slots) = &self.same_point {
            let mut programs: Vec<MapProgram> =
                slots.iter().filter_map(|slot| catalog.entry(*slot)).map(listed).collect();
            programs.sort_unstable_by_key(|p| std::cmp::Reverse(p.id));
            return MapMarker { lat: self.first.0, lon: self.first.1, count: self.count, programs };
        }
        let count = self.count as f64;
        MapMarker { lat: self.lat_sum / count, lon: self.lon_sum / count, count: self.count, programs: Vec::new() }
    }
}

/// One marker per non-empty grid cell, at the mean position of its programs.
fn clusters(catalog: &Catalog, matches: &Bitset, bbox: BBox, zoom: u8) -> (Vec<MapMarker>, i64) {
    let size = cell_size(zoom);
    let mut cells: HashMap<(i64, i64), Cell> = HashMap::new();
    for (slot, (lat, lon)) in located(catalog, matches, bbox, matches.iter()) {
        let key = ((lat / size).floor() as i64, (lon / size).floor() as i64);
        cells.entry(key).or_insert_with(|| Cell::new((lat, lon))).add(slot, (lat, lon));
    }
    let mut cells: Vec<_> = cells.into_iter().collect();
    cells.sort_unstable_by_key(|(key, _)| *key);
    let total = cells.iter().map(|(_, cell)| cell.count).sum();
    (cells.iter().map(|(_, cell)| cell.marker(catalog)).collect(), total)
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
