//! Children of a family account («Дети»): their data, the duplicate rule and
//! who may see and change them.

pub mod repo;
pub mod routes;
pub mod service;

/// The child's certificate: issuing, statuses, deadlines, the lapse.
pub mod certificates;
