//! Pieces shared by the pages.

pub mod account_switch;
pub mod activation_points;
pub mod field;
pub mod file_link;
pub mod form;
pub mod header;
pub mod map;
pub mod pager;
pub mod require_auth;
pub mod review;

pub use account_switch::{AccountState, AccountSwitchForm, SwitchTarget};
pub use activation_points::{ActivationPointList, DocumentsToBring};
pub use field::{
    CheckboxField, CodeField, ConsentBoxes, EmailField, Field, FieldScope, InviteeFields, MunicipalitySelect,
    NameFields, SelectField, TextAreaField, select_options,
};
pub use file_link::FileLink;
pub use form::{FormError, FormStatus, Notice, SubmitButton};
pub use header::{Footer, Header};
pub use map::{CatalogMap, PointFields};
pub use pager::{Pager, Turn};
pub use require_auth::RequireAuth;
pub use review::{FieldErrorFor, ReviewBody, StarsField, TextArea, hidden_reason};
