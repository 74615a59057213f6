//! One module per page.

mod auth;
mod home;
mod not_found;
mod profile;
mod register;

pub use auth::{ConfirmEmail, Login, Logout, PasswordReset, PasswordResetConfirm};
pub use home::Home;
pub use not_found::NotFound;
pub use profile::Profile;
pub use register::Register;
