//! Fixed-window rate limits kept in the database, so that every API instance
//! counts against the same budget.

use std::time::Duration;

use chrono::Utc;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::rate_limits::dsl as rl;

/// Counts one attempt in `bucket`; `Err(retry_after)` when the window's
/// `limit` is already used up.
pub fn hit(conn: &mut DbConn, bucket: &str, limit: i32, window: Duration) -> QueryResult<Result<(), Duration>> {
    let window_secs = window.as_secs().max(1) as i64;
    let now = Utc::now().timestamp();
    let start = now - now.rem_euclid(window_secs);
    let retry_after = Duration::from_secs((start + window_secs - now).max(1) as u64);
    for _ in 0..3 {
        let counted = diesel::update(rl::rate_limits.filter(rl::bucket.eq(bucket)).filter(rl::window_start.eq(start)))
            .filter(rl::hits.lt(limit))
            .set(rl::hits.eq(rl::hits + 1))
            .execute(conn)?;
        if counted == 1 {
            return Ok(Ok(()));
        }
        let restarted =
            diesel::update(rl::rate_limits.filter(rl::bucket.eq(bucket)).filter(rl::window_start.lt(start)))
                .set((rl::window_start.eq(start), rl::hits.eq(1)))
                .execute(conn)?;
        if restarted == 1 {
            return Ok(Ok(()));
        }
        let full: i64 = rl::rate_limits
            .filter(rl::bucket.eq(bucket))
            .filter(rl::window_start.eq(start))
            .filter(rl::hits.ge(limit))
            .count()
            .get_result(conn)?;
        if full > 0 {
            return Ok(Err(retry_after));
        }
        let exists: i64 = rl::rate_limits.filter(rl::bucket.eq(bucket)).count().get_result(conn)?;
        if exists > 0 {
            // Another request made the row since the first update: count again.
            continue;
        }
        let inserted = diesel::insert_into(rl::rate_limits)
            .values((rl::bucket.eq(bucket), rl::window_start.eq(start), rl::hits.eq(1)))
            .execute(conn);
        match inserted {
            Ok(_) => return Ok(Ok(())),
            // Another request created the row first: count again.
            Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {}
            Err(other) => return Err(other),
        }
    }
    Ok(Err(retry_after))
}

/// Hits already counted in `bucket`'s current window, and when it ends.
pub fn used(conn: &mut DbConn, bucket: &str, window: Duration) -> QueryResult<(i32, Duration)> {
    let window_secs = window.as_secs().max(1) as i64;
    let now = Utc::now().timestamp();
    let start = now - now.rem_euclid(window_secs);
    let retry_after = Duration::from_secs((start + window_secs - now).max(1) as u64);
    let hits: Option<i32> = rl::rate_limits
        .filter(rl::bucket.eq(bucket))
        .filter(rl::window_start.eq(start))
        .select(rl::hits)
        .first(conn)
        .optional()?;
    Ok((hits.unwrap_or(0), retry_after))
}

/// Counts one event (a failure) in `bucket` without a limit.
pub fn count(conn: &mut DbConn, bucket: &str, window: Duration) -> QueryResult<()> {
    hit(conn, bucket, i32::MAX, window).map(|_| ())
}

/// Drops counters of finished windows.
pub fn sweep(conn: &mut DbConn, older_than: Duration) -> QueryResult<usize> {
    let cutoff = Utc::now().timestamp() - older_than.as_secs() as i64;
    diesel::delete(rl::rate_limits.filter(rl::window_start.lt(cutoff))).execute(conn)
}
