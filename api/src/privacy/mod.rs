//! Families' personal data over their life (152-ФЗ): what the parent may
//! download of everything held ([`export`]), and what the housekeeping
//! removes once nobody needs it ([`retention`]).

pub mod export;
pub mod retention;
pub mod routes;
