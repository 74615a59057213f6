//! Reference data: the region's settings and its municipalities.

pub mod repo;
pub mod routes;
pub mod service;
