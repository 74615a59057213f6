//! The certificate registry: issuing a certificate («Получить сертификат»),
//! its statuses and deadlines, and the automatic lapse.

pub mod repo;
pub mod routes;
pub mod service;
