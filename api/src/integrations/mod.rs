//! Integrators: integration clients and their tokens, the federal portal's
//! applications by certificate number, webhook subscriptions, and the
//! registry's delta export.

pub mod repo;
pub mod routes;
pub mod service;
