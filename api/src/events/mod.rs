//! Events of organizations — contests, festivals, open days, master classes,
//! excursions: written by staff, moderated by the municipality's operator,
//! found in the public calendar, and signed up for by families.

pub mod ics;
pub mod repo;
pub mod routes;
pub mod service;
