//! The operator's statistics: coverage, certificates and money against the
//! limits, programs, places and applications, the form 1-ДОП, as tables the
//! web client draws and the server exports as CSV and XLSX. The admin sees
//! the region or one municipality; an operator only his own.

pub mod export;
pub mod figures;
pub mod repo;
pub mod routes;
pub mod service;
