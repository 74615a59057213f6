//! One module per page.

mod activation_points;
mod applications;
mod auth;
mod cabinet;
mod calendar;
mod catalog;
mod certificate;
mod child_form;
mod children;
mod desk;
mod funding;
mod home;
mod messages;
mod moderation;
mod not_found;
mod profile;
mod register;
mod registry;

pub use activation_points::ActivationPoints;
pub use applications::MyApplications;
pub use auth::{ConfirmEmail, Login, Logout, PasswordReset, PasswordResetConfirm};
pub use cabinet::{Cabinet, CabinetProgram, Inbox, MonthRegister, NewProgram};
pub use calendar::Calendar;
pub use catalog::{Catalog, PublicOrganization, PublicProgram};
pub use certificate::CertificateMoney;
pub use child_form::{EditChild, NewChild};
pub use children::Children;
pub use desk::{Desk, DeskRecord, NewFamily};
pub use funding::{FundingPeriods, FundingQueue};
pub use home::Home;
pub use messages::Messages;
pub use moderation::{Moderation, ModerationProgram, NewOrganization, OrganizationRecordPage, OrganizationsRegistry};
pub use not_found::NotFound;
pub use profile::Profile;
pub use register::Register;
pub use registry::{Registry, RegistryRecord};
