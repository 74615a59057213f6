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
