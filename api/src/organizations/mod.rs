//! Organizations. Here: activation points and staff membership; the catalog
//! extends them with programs.

pub mod repo;
pub mod routes;
