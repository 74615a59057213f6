//! Paying providers (ПФДО rules): the organization's monthly advance request
//! and invoice, built from its register of contracts and charges; the
//! operator's queue, decisions and payment register.

pub mod repo;
pub mod routes;
pub mod service;
