//! Accounts and sign-in: registration with email confirmation, login with
//! rotating refresh tokens, password reset and change, the profile.

pub mod repo;
pub mod routes;
pub mod service;
pub mod staff;
