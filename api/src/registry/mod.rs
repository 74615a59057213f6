//! The activation desk and the operator's registry: search, open a record,
//! correct and confirm data, register the signed application, activate,
//! refuse, exclude, print the forms; every access to personal data audited.

pub mod duplicates;
pub mod repo;
pub mod routes;
pub mod service;
