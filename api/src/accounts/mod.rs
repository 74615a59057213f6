//! Accounts and sign-in: registration with email confirmation, login with
//! rotating refresh tokens, password reset and change, the profile, the
//! second factor and the new-device notice.

pub mod devices;
pub mod repo;
pub mod routes;
pub mod second_factor;
pub mod service;
pub mod sign_in_repo;
pub mod staff;
