//! Diesel queries of guardians: invitations and the access they give.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use navigator_shared::guardians::{GuardianStatus, Relationship};
use navigator_shared::ids::ChildId;

use crate::db::DbConn;
use crate::db::schema::guardians as g;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = g)]
pub struct GuardianRow {
    pub id: i64,
    pub child_id: ChildId,
    pub invited_by: i64,
    pub email: String,
    pub relationship: Relationship,
    pub status: GuardianStatus,
    pub user_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub accepted_at: Option<NaiveDateTime>,
    pub ended_at: Option<NaiveDateTime>,
}

impl GuardianRow {
    /// The status as of `now`: an invitation past its day is expired, also
    /// before the next invitation of the child marks it so.
    pub fn status_at(&self, now: NaiveDateTime) -> GuardianStatus {
        match self.status {
            GuardianStatus::Invited if self.expires_at <= now => GuardianStatus::Expired,
            status => status,
        }
    }
}

/// An invitation to store.
pub struct NewInvitation<'a> {
    pub child_id: ChildId,
    pub invited_by: i64,
    pub email: &'a str,
    pub relationship: Relationship,
    pub token_hash: &'a str,
    pub expires_at: NaiveDateTime,
}

/// Stores an invitation; `None` when the address already has an open one
/// for the child (the unique index decides, also under concurrency).
pub fn invite(conn: &mut DbConn, new: &NewInvitation<'_>, now: NaiveDateTime) -> QueryResult<Option<i64>> {
    crate::db::insert_unique(conn, |c| {
        diesel::insert_into(g::table)
            .values((
                g::child_id.eq(new.child_id),
                g::invited_by.eq(new.invited_by),
                g::email.eq(new.email),
                g::relationship.eq(new.relationship),
                g::token_hash.eq(new.token_hash),
                g::status.eq(GuardianStatus::Invited),
                g::created_at.eq(now),
                g::expires_at.eq(new.expires_at),
            ))
            .returning(g::id)
            .get_result(c)
    })
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<GuardianRow>> {
    g::table.find(id).select(GuardianRow::as_select()).first(conn).optional()
}

pub fn by_token(conn: &mut DbConn, token_hash: &str) -> QueryResult<Option<GuardianRow>> {
    g::table.filter(g::token_hash.eq(token_hash)).select(GuardianRow::as_select()).first(conn).optional()
}

/// How many invitations were sent for the child since `since`.
pub fn invited_since(conn: &mut DbConn, child: ChildId, since: NaiveDateTime) -> QueryResult<i64> {
    g::table.filter(g::child_id.eq(child).and(g::created_at.ge(since))).count().get_result(conn)
}

/// The open invitations to `email` that can still be accepted, oldest first.
pub fn open_to(conn: &mut DbConn, email: &str, now: NaiveDateTime) -> QueryResult<Vec<GuardianRow>> {
    g::table
        .filter(g::email.eq(email))
        .filter(g::status.eq(GuardianStatus::Invited))
        .filter(g::ended_at.is_null())
        .filter(g::expires_at.gt(now))
        .order(g::id)
        .select(GuardianRow::as_select())
        .load(conn)
}

/// The child's open invitations and guardianships, oldest first.
pub fn open_of_child(conn: &mut DbConn, child: ChildId) -> QueryResult<Vec<GuardianRow>> {
    g::table
        .filter(g::child_id.eq(child).and(g::ended_at.is_null()))
        .order(g::id)
        .select(GuardianRow::as_select())
        .load(conn)
}

/// Whether `user` is an active guardian of `child`.
pub fn is_guardian(conn: &mut DbConn, child: ChildId, user: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        g::table.filter(g::user_id.eq(user).and(g::child_id.eq(child)).and(g::status.eq(GuardianStatus::Active))),
    ))
    .get_result(conn)
}

/// The children `user` is an active guardian of, with the relationship.
pub fn children_of(conn: &mut DbConn, user: i64) -> QueryResult<Vec<(ChildId, Relationship)>> {
    g::table
        .filter(g::user_id.eq(user).and(g::status.eq(GuardianStatus::Active)))
        .order(g::child_id)
        .select((g::child_id, g::relationship))
        .load(conn)
}

/// Everybody who acts or acted as a guardian of the child, with the relationship.
pub fn ever_of_child(conn: &mut DbConn, child: ChildId) -> QueryResult<Vec<(i64, Relationship)>> {
    let rows: Vec<(Option<i64>, Relationship)> = g::table
        .filter(g::child_id.eq(child).and(g::user_id.is_not_null()))
        .select((g::user_id, g::relationship))
        .load(conn)?;
    Ok(rows.into_iter().filter_map(|(user, relationship)| user.map(|u| (u, relationship))).collect())
}

/// Turns an invitation into access for `user`; `false` when it is no
/// longer open (accepted, ended or expired meanwhile).
pub fn accept(conn: &mut DbConn, id: i64, user: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let changed = diesel::update(
        g::table
            .find(id)
            .filter(g::status.eq(GuardianStatus::Invited))
            .filter(g::ended_at.is_null())
            .filter(g::expires_at.gt(now)),
    )
    .set((g::status.eq(GuardianStatus::Active), g::user_id.eq(Some(user)), g::accepted_at.eq(Some(now))))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Ends an open invitation or guardianship as `status`; `false` when it had ended.
pub fn end(
    conn: &mut DbConn,
    id: i64,
    status: GuardianStatus,
    by: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(g::table.find(id).filter(g::ended_at.is_null()))
        .set((g::status.eq(status), g::ended_at.eq(Some(now)), g::ended_by.eq(by)))
        .execute(conn)?;
    Ok(changed == 1)
}

/// Marks the child's invitations that ran out as expired, so the address
/// can be invited again.
pub fn expire_stale(conn: &mut DbConn, child: ChildId, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        g::table
            .filter(g::child_id.eq(child))
            .filter(g::status.eq(GuardianStatus::Invited))
            .filter(g::ended_at.is_null())
            .filter(g::expires_at.le(now)),
    )
    .set((g::status.eq(GuardianStatus::Expired), g::ended_at.eq(Some(now))))
    .execute(conn)
}

/// Ends every open invitation and guardianship of the child, as `by` did:
/// the child moved to another family account, whose holder did not invite them.
pub fn end_all(conn: &mut DbConn, child: ChildId, by: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(g::table.filter(g::child_id.eq(child).and(g::ended_at.is_null())))
        .set((g::status.eq(GuardianStatus::Revoked), g::ended_at.eq(Some(now)), g::ended_by.eq(Some(by))))
        .execute(conn)
}

/// Ends every open invitation and guardianship of a depersonalized child
/// and forgets the invited addresses.
pub fn forget_child(conn: &mut DbConn, child: ChildId, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(g::table.filter(g::child_id.eq(child).and(g::ended_at.is_null())))
        .set((g::status.eq(GuardianStatus::Revoked), g::ended_at.eq(Some(now))))
        .execute(conn)?;
    diesel::update(g::table.filter(g::child_id.eq(child))).set(g::email.eq(crate::db::DEPERSONALIZED)).execute(conn)
}
