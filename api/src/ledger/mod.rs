//! The money of certificates: an append-only ledger of credits, reserves,
//! charges and releases, and the sums kept beside it on the certificate.

pub mod repo;
pub mod routes;
pub mod service;
