//! Contracts for modules of certified programs paid by certificate: the
//! offer, the acceptance that reserves the price, the monthly charges, the
//! early end that releases the rest, and the organization's monthly register.

pub mod repo;
pub mod routes;
pub mod service;
