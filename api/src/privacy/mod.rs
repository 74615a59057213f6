//! Families' personal data over their life (152-ФЗ): what the parent may
//! download of everything held ([`export`]), the withdrawal of consent
//! ([`withdrawal`]) and the depersonalization that follows it
//! ([`depersonalize`]), and what the housekeeping removes once nobody needs
//! it ([`retention`]).

pub mod depersonalize;
pub mod export;
pub mod retention;
pub mod routes;
pub mod withdrawal;
