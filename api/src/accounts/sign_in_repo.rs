//! Diesel queries of the sign-in's safeguards: the second factor (TOTP
//! secrets) and the devices an account signed in from.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{known_devices as kd, second_factors as sf};

/// An account's TOTP secret, sealed; on once `confirmed_at` is set.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sf)]
pub struct SecondFactorRow {
    pub secret_enc: String,
    pub confirmed_at: Option<NaiveDateTime>,
    /// The step of the last code accepted.
    pub last_step: i64,
}

impl SecondFactorRow {
    pub fn on(&self) -> bool {
        self.confirmed_at.is_some()
    }
}

pub fn second_factor(conn: &mut DbConn, user: i64) -> QueryResult<Option<SecondFactorRow>> {
    sf::table.find(user).select(SecondFactorRow::as_select()).first(conn).optional()
}

/// Whether the account's second factor is on.
pub fn second_factor_on(conn: &mut DbConn, user: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(sf::table.find(user).filter(sf::confirmed_at.is_not_null()))).get_result(conn)
}

/// Stores a new unconfirmed secret in place of an unconfirmed one; `false`
/// when the second factor is on (also when it was turned on meanwhile).
pub fn put_pending(conn: &mut DbConn, user: i64, secret_enc: &str, now: NaiveDateTime) -> QueryResult<bool> {
    conn.transaction(|conn| {
        diesel::delete(sf::table.find(user).filter(sf::confirmed_at.is_null())).execute(conn)?;
        let inserted = crate::db::insert_unique(conn, |c| {
            diesel::insert_into(sf::table)
                .values((sf::user_id.eq(user), sf::secret_enc.eq(secret_enc), sf::created_at.eq(now)))
                .execute(c)
        })?;
        Ok(inserted.is_some())
    })
}

/// Turns a pending secret on with the code of `step`; `false` when there is
/// no pending secret (or the step was used already).
pub fn confirm(conn: &mut DbConn, user: i64, step: i64, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(sf::table.find(user).filter(sf::confirmed_at.is_null()).filter(sf::last_step.lt(step)))
        .set((sf::confirmed_at.eq(now), sf::last_step.eq(step)))
        .execute(conn)
        .map(|n| n == 1)
}

/// Spends the code of `step`: `false` when a code of this step or a later
/// one was already accepted (a replay, or two requests with one code at once).
pub fn use_step(conn: &mut DbConn, user: i64, step: i64) -> QueryResult<bool> {
    diesel::update(sf::table.find(user).filter(sf::confirmed_at.is_not_null()).filter(sf::last_step.lt(step)))
        .set(sf::last_step.eq(step))
        .execute(conn)
        .map(|n| n == 1)
}

/// Switches the second factor off (the row goes).
pub fn remove_second_factor(conn: &mut DbConn, user: i64) -> QueryResult<usize> {
    diesel::delete(sf::table.find(user)).execute(conn)
}

/// Whether the account ever signed in from a known device.
pub fn has_devices(conn: &mut DbConn, user: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(kd::table.filter(kd::user_id.eq(user)))).get_result(conn)
}

pub fn device_known(conn: &mut DbConn, user: i64, hash: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(kd::table.filter(kd::user_id.eq(user)).filter(kd::device_hash.eq(hash))))
        .get_result(conn)
}

/// Notes a sign-in from the device: seen now, added when new.
pub fn touch_device(conn: &mut DbConn, user: i64, hash: &str, label: &str, now: NaiveDateTime) -> QueryResult<()> {
    let seen = || {
        diesel::update(kd::table.filter(kd::user_id.eq(user)).filter(kd::device_hash.eq(hash)))
            .set((kd::last_seen_at.eq(now), kd::label.eq(label)))
    };
    if seen().execute(conn)? == 1 {
        return Ok(());
    }
    let inserted = crate::db::insert_unique(conn, |c| {
        diesel::insert_into(kd::table)
            .values((
                kd::user_id.eq(user),
                kd::device_hash.eq(hash),
                kd::label.eq(label),
                kd::first_seen_at.eq(now),
                kd::last_seen_at.eq(now),
            ))
            .execute(c)
    })?;
    if inserted.is_none() {
        // A sign-in from the same device at the same moment added it first.
        seen().execute(conn)?;
    }
    Ok(())
}

/// Forgets devices not seen since `before`.
pub fn sweep_devices(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(kd::table.filter(kd::last_seen_at.lt(before))).execute(conn)
}

/// Forgets the account's devices and second factor (its depersonalization).
pub fn forget(conn: &mut DbConn, user: i64) -> QueryResult<usize> {
    let devices = diesel::delete(kd::table.filter(kd::user_id.eq(user))).execute(conn)?;
    Ok(devices + remove_second_factor(conn, user)?)
}
