//! A family's request to leave a program («заявление об отчислении»): the
//! organization confirms it or it is confirmed without it after
//! `WITHDRAWAL_CONFIRM_WORKING_DAYS`; on the day of leaving the child is
//! expelled, the contract ends charged by the days in force, the rest of the
//! reserve goes back to the certificate and the place to the waiting list.

pub mod repo;
pub mod service;
