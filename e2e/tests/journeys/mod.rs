//! Journeys of the money flow, one module per part, of the operator's
//! statistics and of the client's loading (`light_client`).

mod duplicates;
mod enrolment;
mod events;
mod funding;
mod guardians;
mod integrations;
mod light_client;
mod payments;
mod privacy;
mod reviews;
mod second_factor;
mod spot_alerts;
mod stats;
