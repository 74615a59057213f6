//! «Сообщить, когда появятся места» (see `navigator_shared::spot_alerts`):
//! the family's requests, and the alerts sent when a group has free places
//! again and nobody waits for them.

pub mod repo;
pub mod routes;
pub mod service;
