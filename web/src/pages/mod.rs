//! One module per page.

mod activation_points;
mod auth;
mod child_form;
mod children;
mod home;
mod not_found;
mod profile;
mod register;

pub use activation_points::ActivationPoints;
pub use auth::{ConfirmEmail, Login, Logout, PasswordReset, PasswordResetConfirm};
pub use child_form::{EditChild, NewChild};
pub use children::Children;
pub use home::Home;
pub use not_found::NotFound;
pub use profile::Profile;
pub use register::Register;
