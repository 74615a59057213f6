//! Funding (ПФ ДОД): funding periods of municipalities and the requests to
//! credit a period's nominal to a certificate, decided by the operator.

pub mod money;
pub mod repo;
pub mod routes;
pub mod service;
