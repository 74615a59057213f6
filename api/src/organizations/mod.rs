//! Organizations: the registry kept by the operator, public cards, activation
//! points and staff membership. Their programs live in `catalog`.

pub mod repo;
pub mod routes;
pub mod service;
