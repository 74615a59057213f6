//! Reviews of programs by the families whose children took part, the
//! organizations' answers, complaints and the operator's moderation; the
//! program's rating is kept from its published reviews.

pub mod repo;
pub mod routes;
pub mod service;
