//! The catalog: programs of organizations with their modules and groups,
//! moderation by the operator, and the public search, card and map answered
//! from the in-process index (`navigator_search`).

pub mod cache;
pub mod index;
pub mod repo;
pub mod routes;
pub mod service;
