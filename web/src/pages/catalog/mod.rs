//! The public catalog: the search with its filters and map, the program card
//! and the organization's page.

mod item;

pub use item::{ages, page_title, phone_href, phone_text, plural};
mod organization;
mod program;
mod reviews;
mod search;
mod spot_alert;

pub use organization::PublicOrganization;
pub use program::PublicProgram;
pub use search::Catalog;
pub use spot_alert::SpotAlertUnsubscribe;
