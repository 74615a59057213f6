//! The database layer: one connection type over SQLite and PostgreSQL, the
//! pool, embedded migrations, and the few places where the backends differ.

pub mod schema;

use std::time::Duration;

use anyhow::Context;
use diesel::connection::{SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, R2D2Connection};
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");
const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");

/// A connection to either backend; queries are written once against it.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

impl DbConn {
    pub fn is_sqlite(&self) -> bool {
        matches!(self, DbConn::Sqlite(_))
    }
}

/// The backend type of `DbConn`, for boxed queries.
pub type DbBackend = <DbConn as diesel::Connection>::Backend;

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConn = r2d2::PooledConnection<Manager>;

/// Which backend a `DATABASE_URL` names.
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Opens connections of the backend the URL names, never guessing by trial:
/// an unreachable PostgreSQL must not turn into a stray SQLite file.
#[derive(Debug, Clone)]
pub struct Manager {
    url: String,
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        if is_postgres_url(&self.url) {
            return PgConnection::establish(&self.url).map(DbConn::Postgresql).map_err(r2d2::Error::ConnectionError);
        }
        let path = self.url.strip_prefix("sqlite://").unwrap_or(&self.url);
        let mut conn = SqliteConnection::establish(path).map_err(r2d2::Error::ConnectionError)?;
        // WAL lets readers work beside the single writer; busy_timeout makes
        // writers queue instead of failing at once (a lock not granted in it
        // answers 503, see `ApiError`). The file is read through a memory
        // map shared by every connection (the operating system's page cache,
        // not a copy per connection), and sorts and groupings stay in memory:
        // the statistics read hundreds of thousands of rows at the region's scale.
        conn.batch_execute(
            "PRAGMA busy_timeout = 30000; PRAGMA journal_mode = WAL; \
             PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
             PRAGMA mmap_size = 4294967296; PRAGMA temp_store = MEMORY;",
        )
        .map_err(r2d2::Error::QueryError)?;
        Ok(DbConn::Sqlite(conn))
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        conn.ping().map_err(r2d2::Error::QueryError)
    }

    /// A connection left in a broken transaction, or whose server went away,
    /// is not handed out again.
    fn has_broken(&self, conn: &mut DbConn) -> bool {
        conn.is_broken()
    }
}

/// Builds the pool; for a SQLite path the parent folder is created.
pub fn connect(url: &str, size: u32) -> anyhow::Result<Pool> {
    if !is_postgres_url(url)
        && let Some(dir) = std::path::Path::new(url).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    r2d2::Pool::builder()
        .max_size(size)
        // Connections open as load needs them, not all at start.
        .min_idle(Some(1))
        .connection_timeout(Duration::from_secs(10))
        .build(Manager { url: url.to_owned() })
        .context("connecting to the database")
}

/// A row `PRAGMA foreign_key_check` finds referring to nothing.
#[derive(diesel::QueryableByName)]
struct ForeignKeyFault {
    #[diesel(sql_type = diesel::sql_types::Text)]
    table: String,
}

/// Applies the pending embedded migrations of the connection's backend.
/// On PostgreSQL an advisory lock keeps several starting instances in turn.
pub fn migrate(conn: &mut DbConn) -> anyhow::Result<()> {
    let result = match conn {
        DbConn::Postgresql(pg) => {
            pg.batch_execute("SELECT pg_advisory_lock(7261530)")?;
            let applied = pg.run_pending_migrations(PG_MIGRATIONS).map(|v| v.len());
            pg.batch_execute("SELECT pg_advisory_unlock(7261530)")?;
            applied
        }
        DbConn::Sqlite(lite) => {
            // A migration that rebuilds a table others refer to (SQLite
            // changes a constraint no other way) runs with the foreign keys
            // off, as SQLite prescribes; they are checked once it is done.
            lite.batch_execute("PRAGMA foreign_keys = OFF")?;
            let applied = lite.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len());
            let broken: Vec<ForeignKeyFault> = diesel::sql_query("PRAGMA foreign_key_check").load(lite)?;
            lite.batch_execute("PRAGMA foreign_keys = ON")?;
            if let Some(fault) = broken.first() {
                anyhow::bail!("after the migrations a row of {} refers to a missing row", fault.table);
            }
            applied
        }
    };
    let applied = result.map_err(|e| anyhow::anyhow!("migrations failed: {e}"))?;
    if applied > 0 {
        tracing::info!(applied, "database migrations applied");
    }
    Ok(())
}

/// Runs `f` in a write transaction. On SQLite the transaction takes the write
/// lock at its start (`BEGIN IMMEDIATE`), so two writers queue on
/// `busy_timeout` instead of failing when a read turns into a write.
/// Runs `batch` in its own write transaction until it reports that it did
/// nothing; gives the total it reported. For work over many rows that must
/// not hold the write lock all at once.
pub fn in_batches<E>(conn: &mut DbConn, mut batch: impl FnMut(&mut DbConn) -> Result<usize, E>) -> Result<usize, E>
where
    E: From<diesel::result::Error>,
{
    let mut done = 0;
    loop {
        let rewritten = write_tx(conn, &mut batch)?;
        if rewritten == 0 {
            return Ok(done);
        }
        done += rewritten;
    }
}

pub fn write_tx<T, E>(conn: &mut DbConn, f: impl FnOnce(&mut DbConn) -> Result<T, E>) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match conn {
        DbConn::Postgresql(_) => conn.transaction(f),
        DbConn::Sqlite(lite) => {
            use diesel::connection::{AnsiTransactionManager, TransactionManager};
            let depth = AnsiTransactionManager::transaction_manager_status_mut(lite).transaction_depth()?;
            if depth.is_some() {
                // Inside a transaction already (holding the write lock): a savepoint.
                return conn.transaction(f);
            }
            diesel::connection::AnsiTransactionManager::begin_transaction_sql(lite, "BEGIN IMMEDIATE")?;
            let result = f(conn);
            let DbConn::Sqlite(lite) = conn else { unreachable_backend() };
            match result {
                Ok(value) => {
                    diesel::connection::AnsiTransactionManager::commit_transaction(lite)?;
                    Ok(value)
                }
                Err(error) => {
                    diesel::connection::AnsiTransactionManager::rollback_transaction(lite)?;
                    Err(error)
                }
            }
        }
    }
}

#[allow(clippy::panic)]
fn unreachable_backend() -> ! {
    panic!("the connection changed its backend inside a transaction")
}

/// A write (an insert, or an update of a uniquely keyed column) run in its
/// own savepoint: `Ok(None)` when a unique key refused it, so the caller's
/// transaction goes on.
pub fn insert_unique<T>(
    conn: &mut DbConn,
    insert: impl FnOnce(&mut DbConn) -> QueryResult<T>,
) -> QueryResult<Option<T>> {
    match conn.transaction(insert) {
        Ok(value) => Ok(Some(value)),
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => Ok(None),
        Err(other) => Err(other),
    }
}

/// Gathers the query planner's statistics of every table, as after a bulk
/// load: without them SQLite starts the statistics' joins from the wrong
/// table (seconds instead of milliseconds at 200,000 children). PostgreSQL
/// also vacuums (`VACUUM ANALYZE`): its index-only scans skip the table only
/// for pages the visibility map knows, which a bulk load leaves unknown
/// until autovacuum comes by. SQLite moves the load out of the write-ahead
/// log into the database file, so readers do not look every page up in a
/// log of the whole load.
pub fn analyze(conn: &mut DbConn) -> QueryResult<()> {
    match conn {
        DbConn::Sqlite(lite) => lite.batch_execute("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE)"),
        DbConn::Postgresql(pg) => pg.batch_execute("VACUUM ANALYZE"),
    }
}

/// Keeps SQLite's planner statistics in step as the data grows: `PRAGMA
/// optimize` analyzes only the tables whose statistics are out of date.
/// PostgreSQL's autovacuum does this by itself.
pub fn optimize(conn: &mut DbConn) -> QueryResult<()> {
    match conn {
        DbConn::Sqlite(lite) => lite.batch_execute("PRAGMA optimize=0x10002"),
        DbConn::Postgresql(_) => Ok(()),
    }
}

diesel::define_sql_function! {
    /// `replace(text, from, to)`: every occurrence of `from` in `text` replaced (both backends).
    fn replace(text: diesel::sql_types::Text, from: diesel::sql_types::Text, to: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// What personal data in kept texts are replaced with.
pub const DEPERSONALIZED: &str = "[обезличено]";

/// `SELECT 1`: is the database reachable.
pub fn ping(conn: &mut DbConn) -> QueryResult<()> {
    conn.batch_execute("SELECT 1")
}

/// `LIMIT`/`OFFSET` of one page of a list: `page` counts from 1 (checked by
/// `PageQuery::resolve` before any query runs).
pub trait Paginate: diesel::query_dsl::methods::LimitDsl + Sized {
    fn paginate(self, page: i64, per_page: i64) -> <Self::Output as diesel::query_dsl::methods::OffsetDsl>::Output
    where
        Self::Output: diesel::query_dsl::methods::OffsetDsl,
    {
        let offset = (page - 1) * per_page;
        diesel::query_dsl::methods::OffsetDsl::offset(self.limit(per_page), offset)
    }
}

impl<Q: diesel::query_dsl::methods::LimitDsl> Paginate for Q {}
