//! The migrated templates test databases are copied from, one per backend and
//! set of migrations, built by the first test that finds none. Tests run in
//! many processes at once (test binaries, nextest): PostgreSQL builds under an
//! advisory lock, SQLite under a temporary name renamed into place.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use diesel::connection::SimpleConnection;
use diesel::sql_types::Text;
use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl, SqliteConnection};

/// Fingerprints of the migrations folders (see build.rs): a changed migration
/// gets a template of its own.
const POSTGRES_HASH: &str = env!("NAVIGATOR_POSTGRES_MIGRATIONS");
const SQLITE_HASH: &str = env!("NAVIGATOR_SQLITE_MIGRATIONS");

/// How old a template of other migrations must be before a new build drops
/// it: a checkout with those migrations may be testing at the same time.
const STALE_AFTER: Duration = Duration::from_secs(24 * 3600);

/// The session advisory lock (on the `postgres` database) a build runs under.
const BUILD_LOCK: i64 = 7_261_531;

const POSTGRES_PREFIX: &str = "navigator_template_";

pub(crate) fn admin(server: &str) -> PgConnection {
    PgConnection::establish(&format!("{server}/postgres"))
        .unwrap_or_else(|e| panic!("PostgreSQL at {server} is not reachable: {e}"))
}

/// Creates the database `name` as a copy of the template, building the
/// template first when it is missing (or a stale-template clean-up of a
/// checkout with other migrations dropped it).
pub(crate) fn clone_postgres(admin: &mut PgConnection, server: &str, name: &str) {
    let template = format!("{POSTGRES_PREFIX}{POSTGRES_HASH}");
    let create = format!("CREATE DATABASE {name} TEMPLATE {template}");
    // The template is there but for the first test: trying is the cheapest check.
    if admin.batch_execute(&create).is_ok() {
        return;
    }
    build_postgres(admin, server, &template);
    admin.batch_execute(&create).unwrap_or_else(|e| panic!("{create}: {e}"));
}

fn build_postgres(admin: &mut PgConnection, server: &str, template: &str) {
    // Released by the unlock below, or by the session's end if a step panics.
    admin.batch_execute(&format!("SELECT pg_advisory_lock({BUILD_LOCK})")).unwrap();
    // Whoever held the lock before may have built it.
    if !postgres_templates(admin).iter().any(|t| t.name == template) {
        let building = format!("{template}_building");
        let run = |admin: &mut PgConnection, sql: String| {
            admin.batch_execute(&sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
        };
        // What a build that died half-way left.
        run(admin, format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"));
        run(admin, format!("CREATE DATABASE {building}"));
        migrate(&format!("{server}/{building}"));
        // A session on a template makes every clone of it fail.
        run(admin, format!("ALTER DATABASE {building} WITH ALLOW_CONNECTIONS false"));
        run(admin, format!("COMMENT ON DATABASE {building} IS '{}'", seconds_since_epoch(SystemTime::now())));
        run(admin, format!("ALTER DATABASE {building} RENAME TO {template}"));
        drop_stale_postgres(admin, template);
    }
    admin.batch_execute(&format!("SELECT pg_advisory_unlock({BUILD_LOCK})")).unwrap();
}

#[derive(QueryableByName)]
struct Template {
    #[diesel(sql_type = Text)]
    name: String,
    /// When it was built, in seconds since the epoch (its comment).
    #[diesel(sql_type = Text)]
    built: String,
}

fn postgres_templates(admin: &mut PgConnection) -> Vec<Template> {
    diesel::sql_query(format!(
        "SELECT datname AS name, COALESCE(shobj_description(oid, 'pg_database'), '') AS built \
         FROM pg_database WHERE starts_with(datname, '{POSTGRES_PREFIX}')"
    ))
    .load(admin)
    .unwrap()
}

/// Drops the templates of other migrations built long ago, and what died
/// half-way through building (no build runs beside this one: it holds the lock).
/// A clone from one of them in progress finishes first.
fn drop_stale_postgres(admin: &mut PgConnection, current: &str) {
    let now = seconds_since_epoch(SystemTime::now());
    for template in postgres_templates(admin) {
        let old = template.built.parse().map_or(true, |built: u64| now.saturating_sub(built) > STALE_AFTER.as_secs());
        if template.name != current && (old || template.name.ends_with("_building")) {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", template.name));
        }
    }
}

/// Copies the SQLite template to `to`, building the template first when it is missing.
pub(crate) fn copy_sqlite(to: &Path) {
    let template = sqlite_dir().join(format!("template-{SQLITE_HASH}.db"));
    if std::fs::copy(&template, to).is_ok() {
        return;
    }
    build_sqlite(&template);
    std::fs::copy(&template, to).unwrap_or_else(|e| panic!("copying {}: {e}", template.display()));
}

fn sqlite_dir() -> PathBuf {
    std::env::temp_dir().join("navigator-test-templates")
}

/// Builds under a temporary name and renames into place, which is atomic: a
/// racing build's identical file may land first or last, and a copy never
/// reads half of one.
fn build_sqlite(template: &Path) {
    let dir = sqlite_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let building = tempfile::Builder::new().prefix("building-").suffix(".db").tempfile_in(&dir).unwrap();
    let path = building.path().to_string_lossy().into_owned();
    migrate(&path);
    // One self-contained file: the write-ahead log the server's connections
    // keep is folded back into it.
    let mut conn = SqliteConnection::establish(&path).unwrap();
    conn.batch_execute("PRAGMA busy_timeout = 10000; PRAGMA journal_mode = DELETE;").unwrap();
    drop(conn);
    building.persist(template).unwrap();
    drop_stale_sqlite(&dir, template);
}

/// Removes the templates of other migrations and the leftovers of builds that
/// died, all built long ago.
fn drop_stale_sqlite(dir: &Path, current: &Path) {
    let now = SystemTime::now();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|built| now.duration_since(built).is_ok_and(|age| age > STALE_AFTER));
        if path != current && old {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Applies the migrations the way the server does at its start, over the
/// same connection settings.
fn migrate(url: &str) {
    let pool = navigator_api::db::connect(url, 1).unwrap_or_else(|e| panic!("{url}: {e:#}"));
    let mut conn = pool.get().unwrap_or_else(|e| panic!("{url}: {e}"));
    navigator_api::db::migrate(&mut conn).unwrap_or_else(|e| panic!("migrating the template {url}: {e:#}"));
}

fn seconds_since_epoch(time: SystemTime) -> u64 {
    time.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}
