//! One module per page.

mod activation_points;
mod applications;
mod auth;
mod cabinet;
mod calendar;
pub(crate) mod catalog;
mod certificate;
mod child_form;
mod children;
mod consent;
mod contract;
pub(crate) mod desk;
mod duplicates;
pub(crate) mod events;
mod funding;
mod guardians;
mod home;
mod integrations;
mod messages;
mod moderation;
mod municipalities;
mod not_found;
mod operators;
mod payments;
mod profile;
mod region;
mod register;
mod registry;
mod second_factor;
mod stats;

pub use activation_points::ActivationPoints;
pub use applications::MyApplications;
pub use auth::{ConfirmEmail, Login, Logout, PasswordReset, PasswordResetConfirm};
pub use cabinet::{
    Cabinet, CabinetEvent, CabinetEvents, CabinetPayments, CabinetProgram, CabinetReviews, Inbox, MonthRegister,
    NewProgram,
};
pub use calendar::Calendar;
pub use catalog::{Catalog, PublicOrganization, PublicProgram, SpotAlertUnsubscribe};
pub use certificate::CertificateMoney;
pub use child_form::{EditChild, NewChild};
pub use children::Children;
pub use contract::ContractPage;
pub use desk::{Desk, DeskRecord, NewFamily};
pub use duplicates::Duplicates;
pub use events::{EventPage, EventsCalendar};
pub use funding::{FundingPeriods, FundingQueue};
pub use guardians::{AcceptGuardian, ChildGuardians};
pub use home::Home;
pub use integrations::Integrations;
pub use messages::Messages;
pub use moderation::{
    Moderation, ModerationEvents, ModerationProgram, ModerationReviews, NewOrganization, OrganizationRecordPage,
    OrganizationsRegistry,
};
pub use municipalities::Municipalities;
pub use not_found::NotFound;
pub use operators::Operators;
pub use payments::PaymentsQueue;
pub use profile::Profile;
pub use region::RegionSettingsPage;
pub use register::Register;
pub use registry::{Registry, RegistryRecord};
pub use stats::{Form1Dop, StatsDashboard};
