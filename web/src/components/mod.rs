//! Pieces shared by the pages.

pub mod field;
pub mod form;
pub mod header;
pub mod require_auth;

pub use field::{Field, MunicipalitySelect};
pub use form::{FormError, FormStatus, Notice};
pub use header::{Footer, Header};
pub use require_auth::RequireAuth;
