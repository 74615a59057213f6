//! The public behaviour of `CatalogIndex`: filters, facets, orders, pages,
//! Russian text search, writes and the map.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod filters;
mod fixtures;
mod map;
mod sort_and_pages;
mod text;
mod writes;
