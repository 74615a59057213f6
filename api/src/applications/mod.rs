//! Applications («заявки») of children to groups: places held by conditional
//! updates, the waiting list, the organization's decisions, enrolment.

pub mod repo;
pub mod routes;
pub mod service;

/// The contract concluded on an application: offer, acceptance, monthly
/// charges, termination.
pub mod contracts;

/// The family's request to leave a program and what leaving does.
pub mod withdrawals;

/// The first right to continue: places held for children who finished a year.
pub mod continuation;
