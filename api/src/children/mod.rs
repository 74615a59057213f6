//! Children of a family account («Дети»): their data, the duplicate rule and
//! who may see and change them.

pub mod repo;
pub mod routes;
pub mod service;

/// Second guardians: invitations, access, and what the family did.
pub mod guardians;

/// The child's certificate: issuing, statuses, deadlines, the lapse.
pub mod certificates;
