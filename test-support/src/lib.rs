//! What the API's tests and the browser journeys share: a database of its own
//! for every test, and the server running over it.
//!
//! A migrated test database is a copy of a template to which the migrations
//! were applied once (crates.io's way): on PostgreSQL `CREATE DATABASE …
//! TEMPLATE navigator_template_<hash>`, on SQLite a copy of a migrated file.
//! The server's own migration at start then finds nothing pending.

// Test support: a failure here is a failed test, reported where it happened.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod server;
mod template;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

pub use server::{RunningServer, start, wait_for_link};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server tests use (`TEST_POSTGRES_URL`, the local one by default).
pub fn postgres_server_url() -> String {
    std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// A database of one test (a SQLite file in a temporary folder, or a
/// PostgreSQL database of a random name); dropped with the value.
pub struct TestDb {
    pub url: String,
    pg_name: Option<String>,
    _dir: tempfile::TempDir,
}

impl TestDb {
    /// A database with every migration applied.
    pub fn new(backend: Backend) -> Self {
        Self::create(backend, true)
    }

    /// A database with nothing in it, for the tests of the migrations themselves.
    pub fn empty(backend: Backend) -> Self {
        Self::create(backend, false)
    }

    fn create(backend: Backend, migrated: bool) -> Self {
        let dir = tempfile::tempdir().unwrap();
        match backend {
            Backend::Sqlite => {
                let path = dir.path().join("navigator.db");
                if migrated {
                    template::copy_sqlite(&path);
                }
                Self { url: path.to_string_lossy().into_owned(), pg_name: None, _dir: dir }
            }
            Backend::Postgres => {
                let name = format!("navigator_test_{}", uuid::Uuid::new_v4().simple());
                let server = postgres_server_url();
                let mut admin = template::admin(&server);
                if migrated {
                    template::clone_postgres(&mut admin, &server, &name);
                } else {
                    admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
                }
                Self { url: format!("{server}/{name}"), pg_name: Some(name), _dir: dir }
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = &self.pg_name
            && let Ok(mut admin) = PgConnection::establish(&format!("{}/postgres", postgres_server_url()))
        {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}
