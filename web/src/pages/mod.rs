//! One module per page.

mod activation_points;
mod auth;
mod calendar;
mod child_form;
mod children;
mod desk;
mod home;
mod messages;
mod not_found;
mod profile;
mod register;
mod registry;

pub use activation_points::ActivationPoints;
pub use auth::{ConfirmEmail, Login, Logout, PasswordReset, PasswordResetConfirm};
pub use calendar::Calendar;
pub use child_form::{EditChild, NewChild};
pub use children::Children;
pub use desk::{Desk, DeskRecord, NewFamily};
pub use home::Home;
pub use messages::Messages;
pub use not_found::NotFound;
pub use profile::Profile;
pub use register::Register;
pub use registry::{Registry, RegistryRecord};
