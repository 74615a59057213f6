//! Journeys of the money flow, one module per part.

mod enrolment;
mod funding;
