//! Diesel queries of children.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use navigator_shared::children::{DocumentType, Sex};
use navigator_shared::ids::ChildId;

use crate::auth::Owned;
use crate::db::DbConn;
use crate::db::schema::children;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = children)]
pub struct ChildRow {
    pub id: ChildId,
    pub parent_id: i64,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub document_type: DocumentType,
    pub document_series: String,
    pub document_number_enc: String,
    pub document_issued_at: NaiveDate,
    pub snils_enc: String,
    pub address: String,
    pub municipality_id: i64,
    pub consent_withdrawn_at: Option<NaiveDateTime>,
    pub depersonalize_after: Option<NaiveDateTime>,
    pub depersonalized_at: Option<NaiveDateTime>,
}

impl ChildRow {
    /// Nothing more is done with a record once its consent was withdrawn:
    /// 409 with the reason.
    pub fn processable(&self) -> Result<(), crate::error::ApiError> {
        match self.consent_withdrawn_at.or(self.depersonalized_at) {
            None => Ok(()),
            Some(_) => Err(crate::error::ApiError::Conflict {
                code: navigator_shared::ErrorCode::ConsentWithdrawn,
                detail: "Согласие на обработку персональных данных ребёнка отозвано: с его записью больше ничего \
                         не делается"
                    .into(),
            }),
        }
    }
}

impl Owned for ChildRow {
    fn owner_id(&self) -> i64 {
        self.parent_id
    }
}

/// Columns written on insert and on a full update.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = children, treat_none_as_null = true)]
pub struct ChildData {
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub document_type: DocumentType,
    pub document_series: String,
    pub document_number_enc: String,
    pub document_issued_at: NaiveDate,
    pub snils_enc: String,
    pub snils_hash: String,
    pub identity_hash: String,
    pub last_name_key: String,
    pub address: String,
    pub municipality_id: i64,
    pub updated_at: NaiveDateTime,
}

/// `Err(Duplicate)` when the same child (by SNILS or by name and birth date)
/// is already in the system: the unique keys decide, also under concurrency.
#[derive(Debug, PartialEq, Eq)]
pub struct Duplicate;

/// A child already stored that a record repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repeated {
    pub child_id: ChildId,
    /// The family account that holds it.
    pub parent_id: i64,
    /// The SNILS matched (otherwise the name and birth date did).
    pub same_snils: bool,
}

/// The children stored with the SNILS, or with the name and birth date, of `data`.
pub fn repeated_by(conn: &mut DbConn, data: &ChildData) -> QueryResult<Vec<Repeated>> {
    let rows: Vec<(ChildId, i64, String)> = children::table
        .filter(children::snils_hash.eq(&data.snils_hash).or(children::identity_hash.eq(&data.identity_hash)))
        .select((children::id, children::parent_id, children::snils_hash))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(child_id, parent_id, snils_hash)| Repeated {
            child_id,
            parent_id,
            same_snils: snils_hash == data.snils_hash,
        })
        .collect())
}

/// Inserts a child (in a savepoint, so a refused row leaves the transaction usable).
pub fn insert(
    conn: &mut DbConn,
    parent_id: i64,
    data: &ChildData,
    now: NaiveDateTime,
) -> QueryResult<Result<ChildId, Duplicate>> {
    crate::db::insert_unique(conn, |c| {
        diesel::insert_into(children::table)
            .values((data, children::parent_id.eq(parent_id), children::created_at.eq(now)))
            .returning(children::id)
            .get_result(c)
    })
    .map(|id| id.ok_or(Duplicate))
}

pub fn update(conn: &mut DbConn, id: ChildId, data: &ChildData) -> QueryResult<Result<usize, Duplicate>> {
    let changed = crate::db::insert_unique(conn, |c| diesel::update(children::table.find(id)).set(data).execute(c))?;
    if changed.is_some() {
        // The birth date, sex and municipality are copied for the statistics.
        crate::studies::child_changed(conn, id.get())?;
    }
    Ok(changed.ok_or(Duplicate))
}

pub fn find(conn: &mut DbConn, id: ChildId) -> QueryResult<Option<ChildRow>> {
    children::table.find(id).select(ChildRow::as_select()).first(conn).optional()
}

/// Takes the child's row for the rest of the transaction (changes that
/// count or check something of the child wait for each other), and reads it.
pub fn lock(conn: &mut DbConn, id: ChildId) -> QueryResult<Option<ChildRow>> {
    diesel::update(children::table.find(id)).set(children::id.eq(children::id)).execute(conn)?;
    find(conn, id)
}

pub fn find_many(conn: &mut DbConn, ids: &[ChildId]) -> QueryResult<Vec<ChildRow>> {
    children::table.filter(children::id.eq_any(ids.to_vec())).select(ChildRow::as_select()).load(conn)
}

pub fn of_parent(conn: &mut DbConn, parent_id: i64) -> QueryResult<Vec<ChildRow>> {
    children::table
        .filter(children::parent_id.eq(parent_id))
        .order((children::birth_date, children::id))
        .select(ChildRow::as_select())
        .load(conn)
}

/// Moves a child to another family account.
pub fn move_to(conn: &mut DbConn, id: ChildId, parent_id: i64) -> QueryResult<usize> {
    diesel::update(children::table.find(id))
        .set((children::parent_id.eq(parent_id), children::updated_at.eq(crate::notifications::now())))
        .execute(conn)
}

/// Children whose document number or SNILS is still sealed with an earlier
/// key ([`crate::crypto::LEGACY`]), the first `limit` of them.
pub fn legacy_sealed(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<ChildRow>> {
    let legacy = format!("{}%", crate::crypto::LEGACY);
    children::table
        .filter(children::snils_enc.like(&legacy).or(children::document_number_enc.like(&legacy)))
        .order(children::id)
        .limit(limit)
        .select(ChildRow::as_select())
        .load(conn)
}

/// The sealed values and lookup hashes of one child, rewritten with the current key.
pub fn reseal(
    conn: &mut DbConn,
    id: ChildId,
    (document_number_enc, snils_enc, snils_hash, identity_hash): (String, String, String, String),
) -> QueryResult<usize> {
    diesel::update(children::table.find(id))
        .set((
            children::document_number_enc.eq(document_number_enc),
            children::snils_enc.eq(snils_enc),
            children::snils_hash.eq(snils_hash),
            children::identity_hash.eq(identity_hash),
        ))
        .execute(conn)
}

/// Records the family's withdrawal of consent; `false` when it was already
/// withdrawn (the row is locked from here to the end of the transaction).
pub fn withdraw_consent(conn: &mut DbConn, id: ChildId, now: NaiveDateTime, after: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(children::table.find(id).filter(children::consent_withdrawn_at.is_null()))
        .set((
            children::consent_withdrawn_at.eq(now),
            children::depersonalize_after.eq(after),
            children::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// Children whose data are due to be depersonalized at `now`: the period
/// after a withdrawal ran out, or the child was born on `grown_up_by` or
/// before (grown up, and the retention period over); the first `limit`.
pub fn due_for_depersonalization(
    conn: &mut DbConn,
    now: NaiveDateTime,
    grown_up_by: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<ChildId>> {
    let mut due: Vec<ChildId> = children::table
        .filter(children::depersonalized_at.is_null())
        .filter(children::depersonalize_after.le(now))
        .order(children::id)
        .limit(limit)
        .select(children::id)
        .load(conn)?;
    due.extend(
        children::table
            .filter(children::depersonalized_at.is_null())
            .filter(children::birth_date.le(grown_up_by))
            .order(children::id)
            .limit(limit)
            .select(children::id)
            .load::<ChildId>(conn)?,
    );
    due.sort_unstable();
    due.dedup();
    due.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(due)
}

/// The children of a family account not yet depersonalized.
pub fn kept_of_parent(conn: &mut DbConn, parent_id: i64) -> QueryResult<Vec<ChildId>> {
    children::table
        .filter(children::parent_id.eq(parent_id))
        .filter(children::depersonalized_at.is_null())
        .order(children::id)
        .select(children::id)
        .load(conn)
}

/// What stays of a child once depersonalized: the sealed empty values, and
/// the birth year (on January 1) for the statistics.
#[derive(Debug, Clone)]
pub struct Depersonalized {
    pub placeholder: &'static str,
    pub birth_date: NaiveDate,
    pub document_number_enc: String,
    pub snils_enc: String,
}

/// Replaces a child's personal data (names, birth day, documents, SNILS,
/// address, lookup keys) once; `false` when already done. The copies kept
/// for the statistics follow.
pub fn depersonalize(conn: &mut DbConn, id: ChildId, data: &Depersonalized, now: NaiveDateTime) -> QueryResult<bool> {
    // The lookup keys must stay unique: each depersonalized child has its own.
    let key = format!("depersonalized:{}", id.get());
    let done = diesel::update(children::table.find(id).filter(children::depersonalized_at.is_null()))
        .set((
            children::last_name.eq(data.placeholder),
            children::first_name.eq(data.placeholder),
            children::middle_name.eq(None::<String>),
            children::birth_date.eq(data.birth_date),
            children::document_series.eq(""),
            children::document_number_enc.eq(&data.document_number_enc),
            children::snils_enc.eq(&data.snils_enc),
            children::snils_hash.eq(&key),
            children::identity_hash.eq(&key),
            children::last_name_key.eq(""),
            children::address.eq(""),
            children::depersonalized_at.eq(now),
            children::updated_at.eq(now),
        ))
        .execute(conn)?;
    if done == 1 {
        crate::studies::child_changed(conn, id.get())?;
    }
    Ok(done == 1)
}
