//! Types shared by the Navigator API server and its browser client: request and
//! response bodies, enums, the problem-details error shape and the validation
//! rules, so that a form is checked by exactly the same code on both sides.

pub mod accounts;
pub mod ages;
pub mod applications;
pub mod calendar;
pub mod catalog;
pub mod children;
pub mod codes;
pub mod consent;
pub mod contract;
pub mod documents;
pub mod error_code;
pub mod events;
pub mod funding;
pub mod guardians;
pub mod ids;
pub mod integrations;
pub mod money;
pub mod organizations;
pub mod payments;
pub mod privacy;
pub mod problem;
pub mod reference;
pub mod registry;
pub mod reviews;
pub mod spot_alerts;
pub mod stats;
pub mod validate;

pub use error_code::ErrorCode;
pub use problem::{FieldErrors, Problem};
