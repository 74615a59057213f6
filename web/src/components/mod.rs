//! Pieces shared by the pages.

pub mod activation_points;
pub mod field;
pub mod form;
pub mod header;
pub mod require_auth;

pub use activation_points::{ActivationPointList, DocumentsToBring};
pub use field::{EmailField, Field, MunicipalitySelect, NameFields, SelectField, TextAreaField};
pub use form::{FormError, FormStatus, Notice, SubmitButton};
pub use header::{Footer, Header};
pub use require_auth::RequireAuth;
