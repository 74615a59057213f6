//! Diesel queries of accounts, emailed-link tokens and refresh tokens.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use navigator_shared::accounts::Role;
use navigator_shared::accounts::Workplace;

use crate::db::schema::{email_tokens::dsl as et, refresh_tokens::dsl as rt, users};
use crate::db::{DbConn, Paginate};
use crate::notifications::now;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub role: Role,
    pub phone: String,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub municipality_id: Option<i64>,
    pub email_confirmed_at: Option<NaiveDateTime>,
    pub passport_series_enc: Option<String>,
    pub passport_number_enc: Option<String>,
    pub passport_issued_by: Option<String>,
    pub passport_issued_at: Option<NaiveDate>,
    pub address: Option<String>,
    pub organization_id: Option<i64>,
    pub birth_date: Option<NaiveDate>,
    pub disabled_at: Option<NaiveDateTime>,
    pub consent_withdrawn_at: Option<NaiveDateTime>,
    pub depersonalize_after: Option<NaiveDateTime>,
}

impl UserRow {
    pub fn confirmed(&self) -> bool {
        self.email_confirmed_at.is_some()
    }

    pub fn disabled(&self) -> bool {
        self.disabled_at.is_some()
    }

    /// «Имя Отчество» for greetings in emails.
    pub fn greeting_name(&self) -> String {
        navigator_shared::validate::greeting_name(&self.first_name, self.middle_name.as_deref())
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub phone: &'a str,
    pub last_name: &'a str,
    pub first_name: &'a str,
    pub middle_name: Option<&'a str>,
    pub municipality_id: Option<i64>,
    pub birth_date: Option<NaiveDate>,
    pub email_confirmed_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Profile columns to change; `Some(None)` sets a column to NULL.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct ProfileChanges {
    pub phone: Option<String>,
    pub last_name: Option<String>,
    pub first_name: Option<String>,
    pub middle_name: Option<Option<String>>,
    pub municipality_id: Option<Option<i64>>,
    pub passport_series_enc: Option<Option<String>>,
    pub passport_number_enc: Option<Option<String>>,
    pub passport_issued_by: Option<Option<String>>,
    pub passport_issued_at: Option<Option<NaiveDate>>,
    pub address: Option<Option<String>>,
    pub updated_at: Option<NaiveDateTime>,
}

pub fn find_by_email(conn: &mut DbConn, email: &str) -> QueryResult<Option<UserRow>> {
    users::table.filter(users::email.eq(email)).select(UserRow::as_select()).first(conn).optional()
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<UserRow>> {
    users::table.find(id).select(UserRow::as_select()).first(conn).optional()
}

/// The accounts a child's family is made of: the one that holds the child
/// first, then its active guardians in the order they joined. Whatever the
/// family is told goes to each of them.
pub fn family_of(conn: &mut DbConn, child: navigator_shared::ids::ChildId) -> QueryResult<Vec<UserRow>> {
    use crate::db::schema::{children, guardians};
    let holder: Option<i64> = children::table.find(child).select(children::parent_id).first(conn).optional()?;
    let Some(holder) = holder else { return Ok(Vec::new()) };
    let guardians: Vec<i64> = guardians::table
        .filter(
            guardians::child_id
                .eq(child)
                .and(guardians::status.eq(navigator_shared::guardians::GuardianStatus::Active)),
        )
        .order(guardians::accepted_at)
        .select(guardians::user_id.assume_not_null())
        .load(conn)?;
    let mut members = Vec::with_capacity(1 + guardians.len());
    members.extend(find(conn, holder)?);
    if !guardians.is_empty() {
        let mut rows: Vec<UserRow> =
            users::table.filter(users::id.eq_any(&guardians)).select(UserRow::as_select()).load(conn)?;
        rows.sort_by_key(|row| guardians.iter().position(|id| *id == row.id));
        members.extend(rows);
    }
    Ok(members)
}

/// A page of the accounts of one `role` by name, with their number.
pub fn of_role(conn: &mut DbConn, role: Role, page: i64, per_page: i64) -> QueryResult<(Vec<UserRow>, i64)> {
    let total = users::table.filter(users::role.eq(role)).count().get_result(conn)?;
    let rows = users::table
        .filter(users::role.eq(role))
        .order((users::last_name, users::first_name, users::id))
        .paginate(page, per_page)
        .select(UserRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// The organization a staff member works for, as his menu needs it.
pub fn workplace(conn: &mut DbConn, organization: i64) -> QueryResult<Option<Workplace>> {
    use crate::db::schema::organizations as o;
    let row: Option<(String, bool, bool)> =
        o::table.find(organization).select((o::name, o::can_activate, o::is_provider)).first(conn).optional()?;
    Ok(row.map(|(name, activation_point, provider)| Workplace {
        organization_id: organization,
        name,
        activation_point,
        provider,
    }))
}

/// Inserts an account; `Ok(None)` when the email is taken (also by a
/// concurrent registration that won the race). The insert runs in a savepoint
/// so that a refused row leaves the surrounding transaction usable on PostgreSQL.
pub fn insert(conn: &mut DbConn, user: &NewUser<'_>) -> QueryResult<Option<i64>> {
    crate::db::insert_unique(conn, |c| {
        diesel::insert_into(users::table).values(user).returning(users::id).get_result(c)
    })
}

pub fn set_password(conn: &mut DbConn, id: i64, hash: &str) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((users::password_hash.eq(hash), users::updated_at.eq(now())))
        .execute(conn)
}

/// Marks the email confirmed (once; a later call keeps the first time).
pub fn confirm_email(conn: &mut DbConn, id: i64) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .filter(users::email_confirmed_at.is_null())
        .set(users::email_confirmed_at.eq(now()))
        .execute(conn)
}

/// Makes the account a staff member of an organization.
pub fn set_organization(conn: &mut DbConn, id: i64, organization_id: i64) -> QueryResult<usize> {
    diesel::update(users::table.find(id)).set(users::organization_id.eq(Some(organization_id))).execute(conn)
}

pub fn update_profile(conn: &mut DbConn, id: i64, changes: &ProfileChanges) -> QueryResult<usize> {
    diesel::update(users::table.find(id)).set(changes).execute(conn)
}

/// What using a one-time link token gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkUse {
    /// The token was valid and is now spent; it belonged to this account.
    Accepted(i64),
    Expired,
    AlreadyUsed(i64),
    Unknown,
}

pub fn insert_email_token(
    conn: &mut DbConn,
    user_id: i64,
    purpose: &str,
    token_hash: &str,
    expires_at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(et::email_tokens)
        .values((
            et::user_id.eq(user_id),
            et::purpose.eq(purpose),
            et::token_hash.eq(token_hash),
            et::created_at.eq(now()),
            et::expires_at.eq(expires_at),
        ))
        .execute(conn)
}

/// Spends a link token. The conditional update makes it single-use even when
/// the same link is opened twice at once.
pub fn use_email_token(conn: &mut DbConn, purpose: &str, token_hash: &str) -> QueryResult<LinkUse> {
    let now = now();
    let spent = diesel::update(et::email_tokens)
        .filter(et::token_hash.eq(token_hash))
        .filter(et::purpose.eq(purpose))
        .filter(et::used_at.is_null())
        .filter(et::expires_at.gt(now))
        .set(et::used_at.eq(now))
        .execute(conn)?;
    let row: Option<(i64, Option<NaiveDateTime>)> = et::email_tokens
        .filter(et::token_hash.eq(token_hash))
        .filter(et::purpose.eq(purpose))
        .select((et::user_id, et::used_at))
        .first(conn)
        .optional()?;
    Ok(match (spent, row) {
        (1, Some((user_id, _))) => LinkUse::Accepted(user_id),
        (_, Some((user_id, Some(_)))) => LinkUse::AlreadyUsed(user_id),
        (_, Some((_, None))) => LinkUse::Expired,
        (_, None) => LinkUse::Unknown,
    })
}

/// Spends every outstanding token of a purpose (a newer link replaces older ones).
pub fn spend_email_tokens(conn: &mut DbConn, user_id: i64, purpose: &str) -> QueryResult<usize> {
    diesel::update(et::email_tokens)
        .filter(et::user_id.eq(user_id))
        .filter(et::purpose.eq(purpose))
        .filter(et::used_at.is_null())
        .set(et::used_at.eq(now()))
        .execute(conn)
}

pub fn insert_refresh_token(
    conn: &mut DbConn,
    user_id: i64,
    family: &str,
    token_hash: &str,
    expires_at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(rt::refresh_tokens)
        .values((
            rt::user_id.eq(user_id),
            rt::family.eq(family),
            rt::token_hash.eq(token_hash),
            rt::created_at.eq(now()),
            rt::expires_at.eq(expires_at),
        ))
        .execute(conn)
}

/// What presenting a refresh token gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rotation {
    /// Valid: now spent; a successor must be issued in the same family.
    Rotated { user_id: i64, family: String },
    /// Already spent: somebody replays it. The family must be revoked.
    Reused { user_id: i64, family: String },
    /// Unknown, expired or revoked.
    Invalid,
}

pub fn rotate_refresh_token(conn: &mut DbConn, token_hash: &str) -> QueryResult<Rotation> {
    let now = now();
    let spent = diesel::update(rt::refresh_tokens)
        .filter(rt::token_hash.eq(token_hash))
        .filter(rt::used_at.is_null())
        .filter(rt::revoked_at.is_null())
        .filter(rt::expires_at.gt(now))
        .set(rt::used_at.eq(now))
        .execute(conn)?;
    let row: Option<(i64, String, Option<NaiveDateTime>, Option<NaiveDateTime>)> = rt::refresh_tokens
        .filter(rt::token_hash.eq(token_hash))
        .select((rt::user_id, rt::family, rt::used_at, rt::revoked_at))
        .first(conn)
        .optional()?;
    Ok(match (spent, row) {
        (1, Some((user_id, family, _, _))) => Rotation::Rotated { user_id, family },
        (_, Some((user_id, family, Some(_), None))) => Rotation::Reused { user_id, family },
        _ => Rotation::Invalid,
    })
}

/// Whether a sign-in is still open: a token of its family is not revoked
/// and its account is not switched off.
pub fn session_open(conn: &mut DbConn, family: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        rt::refresh_tokens
            .inner_join(users::table)
            .filter(rt::family.eq(family))
            .filter(rt::revoked_at.is_null())
            .filter(users::disabled_at.is_null()),
    ))
    .get_result(conn)
}

/// Switches an account off (`Some(moment)`) or on again (`None`).
pub fn set_disabled(conn: &mut DbConn, id: i64, at: Option<NaiveDateTime>) -> QueryResult<usize> {
    diesel::update(users::table.find(id)).set((users::disabled_at.eq(at), users::updated_at.eq(now()))).execute(conn)
}

/// Ends one sign-in: no token of the family refreshes any more.
pub fn revoke_family(conn: &mut DbConn, family: &str) -> QueryResult<usize> {
    diesel::update(rt::refresh_tokens)
        .filter(rt::family.eq(family))
        .filter(rt::revoked_at.is_null())
        .set(rt::revoked_at.eq(now()))
        .execute(conn)
}

/// Ends every sign-in of the account except `keep` (the caller's own).
pub fn revoke_sessions(conn: &mut DbConn, user_id: i64, keep: Option<&str>) -> QueryResult<usize> {
    let query = rt::refresh_tokens.filter(rt::user_id.eq(user_id)).filter(rt::revoked_at.is_null());
    match keep {
        Some(family) => diesel::update(query.filter(rt::family.ne(family))).set(rt::revoked_at.eq(now())).execute(conn),
        None => diesel::update(query).set(rt::revoked_at.eq(now())).execute(conn),
    }
}

/// Drops link and refresh tokens that expired more than `days` ago.
/// Purges email links used or expired before `before`, and sign-in
/// sessions ended (expired or revoked) before it: `(links, sessions)`.
/// A rotated session's used tokens go with their session's end, so a
/// replayed old token is still recognised while the session lives.
pub fn sweep_spent(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<(usize, usize)> {
    let links =
        diesel::delete(et::email_tokens.filter(et::expires_at.lt(before).or(et::used_at.lt(before)))).execute(conn)?;
    let sessions = diesel::delete(rt::refresh_tokens.filter(rt::expires_at.lt(before).or(rt::revoked_at.lt(before))))
        .execute(conn)?;
    Ok((links, sessions))
}

/// Parents' accounts signed up before `before` whose address was never
/// confirmed and that hold no children: the first `limit` of them.
pub fn unconfirmed_before(conn: &mut DbConn, before: NaiveDateTime, limit: i64) -> QueryResult<Vec<i64>> {
    use crate::db::schema::children;
    users::table
        .filter(users::email_confirmed_at.is_null())
        .filter(users::created_at.lt(before))
        .filter(users::role.eq(Role::Parent))
        .filter(users::organization_id.is_null())
        .filter(diesel::dsl::not(diesel::dsl::exists(children::table.filter(children::parent_id.eq(users::id)))))
        .order(users::id)
        .limit(limit)
        .select(users::id)
        .load(conn)
}

/// Removes an account found by [`unconfirmed_before`], with its consents,
/// links and messages, if its address is still unconfirmed (a confirmation
/// at the same moment waits for this and then finds no account): whether it
/// was removed.
pub fn remove_unconfirmed(conn: &mut DbConn, id: i64) -> QueryResult<bool> {
    conn.transaction(|conn| {
        // Takes the row: a confirmation or a child added now waits for the removal.
        let still = diesel::update(users::table.find(id).filter(users::email_confirmed_at.is_null()))
            .set(users::updated_at.eq(users::updated_at))
            .execute(conn)?;
        if still == 0 {
            return Ok(false);
        }
        crate::consents::remove_of(conn, id)?;
        Ok(diesel::delete(users::table.find(id)).execute(conn)? == 1)
    })
}

/// A person's id with the sealed passport series and number.
pub type SealedPassport = (i64, Option<String>, Option<String>);

/// People whose passport is still sealed with an earlier key
/// ([`crate::crypto::LEGACY`]), the first `limit` of them.
pub fn legacy_sealed(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<SealedPassport>> {
    let legacy = format!("{}%", crate::crypto::LEGACY);
    users::table
        .filter(users::passport_series_enc.like(&legacy).or(users::passport_number_enc.like(&legacy)))
        .order(users::id)
        .limit(limit)
        .select((users::id, users::passport_series_enc, users::passport_number_enc))
        .load(conn)
}

/// One person's passport, rewritten with the current key.
pub fn reseal(conn: &mut DbConn, id: i64, series: Option<String>, number: Option<String>) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((users::passport_series_enc.eq(series), users::passport_number_enc.eq(number)))
        .execute(conn)
}

/// Records the withdrawal of consent for the whole account; `false` when it
/// was already withdrawn.
pub fn withdraw_consent(conn: &mut DbConn, id: i64, at: NaiveDateTime, after: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(users::table.find(id).filter(users::consent_withdrawn_at.is_null()))
        .set((users::consent_withdrawn_at.eq(at), users::depersonalize_after.eq(after), users::updated_at.eq(at)))
        .execute(conn)
        .map(|n| n == 1)
}

/// Whether the account's consent was withdrawn: it takes no new data.
pub fn consent_withdrawn(conn: &mut DbConn, id: i64) -> QueryResult<bool> {
    users::table
        .find(id)
        .select(users::consent_withdrawn_at.is_not_null())
        .first(conn)
        .optional()
        .map(|withdrawn| withdrawn.unwrap_or(false))
}

/// Accounts whose depersonalization is due at `now`, the first `limit`.
pub fn due_for_depersonalization(conn: &mut DbConn, now: NaiveDateTime, limit: i64) -> QueryResult<Vec<i64>> {
    users::table
        .filter(users::depersonalized_at.is_null())
        .filter(users::depersonalize_after.le(now))
        .order(users::id)
        .limit(limit)
        .select(users::id)
        .load(conn)
}

/// Replaces the account's personal data once (`false` when already done),
/// closes it and ends every sign-in and link. The row stays: the audit
/// trail and the money records name it by number.
pub fn depersonalize(conn: &mut DbConn, id: i64, placeholder: &str, at: NaiveDateTime) -> QueryResult<bool> {
    let done = diesel::update(users::table.find(id).filter(users::depersonalized_at.is_null()))
        .set((
            users::email.eq(format!("depersonalized-{id}@invalid")),
            // No password hashes to this: the account never signs in again.
            users::password_hash.eq("!"),
            users::phone.eq(""),
            users::last_name.eq(placeholder),
            users::first_name.eq(placeholder),
            users::middle_name.eq(None::<String>),
            users::passport_series_enc.eq(None::<String>),
            users::passport_number_enc.eq(None::<String>),
            users::passport_issued_by.eq(None::<String>),
            users::passport_issued_at.eq(None::<NaiveDate>),
            users::address.eq(None::<String>),
            users::birth_date.eq(None::<NaiveDate>),
            users::disabled_at.eq(Some(at)),
            users::depersonalized_at.eq(at),
            users::updated_at.eq(at),
        ))
        .execute(conn)?;
    if done == 1 {
        diesel::delete(rt::refresh_tokens.filter(rt::user_id.eq(id))).execute(conn)?;
        diesel::delete(et::email_tokens.filter(et::user_id.eq(id))).execute(conn)?;
        super::sign_in_repo::forget(conn, id)?;
    }
    Ok(done == 1)
}
