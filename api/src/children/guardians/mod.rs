//! A second guardian of a child («мать», «отец», «опекун», «попечитель»):
//! the holder invites by email, the invited adult accepts signed in with
//! that address, and from then on acts for the child beside the holder.

pub mod repo;
pub mod routes;
pub mod service;
