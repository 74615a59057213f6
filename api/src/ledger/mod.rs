//! The money of certificates: an append-only ledger of credits, reserves,
//! charges and releases, and the sums kept beside it on the certificate.
//! The certificate's money page is `funding::money`.

pub mod repo;
pub mod tally;
