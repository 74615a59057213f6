//! Email through a transactional outbox: a message is stored in the same
//! transaction as the change it reports, and a background worker delivers it.

pub mod family;
pub mod mailbox;
pub mod routes;
pub mod templates;
pub mod worker;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::outbox_emails::dsl as ob;

/// A message ready to be queued.
#[derive(Debug, Clone)]
pub struct Email {
    pub kind: &'static str,
    pub subject: String,
    pub body: String,
}

/// Who a message goes to.
#[derive(Debug, Clone, Copy)]
pub struct Recipient<'a> {
    pub user_id: i64,
    pub address: &'a str,
    pub confirmed: bool,
}

/// Queues a notification. Notifications go only to confirmed addresses: for
/// an unconfirmed one nothing is queued and `false` is returned.
pub fn notify(conn: &mut DbConn, to: Recipient<'_>, email: Email) -> QueryResult<bool> {
    if !to.confirmed {
        return Ok(false);
    }
    enqueue(conn, to, email).map(|_| true)
}

/// Tells the account holder something: an in-app message always, and the
/// same text by email when the address is confirmed.
pub fn inform(conn: &mut DbConn, to: Recipient<'_>, email: Email) -> QueryResult<()> {
    use crate::db::schema::messages::dsl as m;
    diesel::insert_into(m::messages)
        .values((
            m::user_id.eq(to.user_id),
            m::subject.eq(&email.subject),
            m::body.eq(templates::in_app(&email.body)),
            m::created_at.eq(now()),
        ))
        .execute(conn)?;
    notify(conn, to, email).map(|_| ())
}

/// Queues a message that proves or restores access to the account (the
/// confirmation link, a password reset): these go to unconfirmed addresses too.
pub fn send_access_email(conn: &mut DbConn, to: Recipient<'_>, email: Email) -> QueryResult<()> {
    enqueue(conn, to, email).map(|_| ())
}

fn enqueue(conn: &mut DbConn, to: Recipient<'_>, email: Email) -> QueryResult<usize> {
    let now = now();
    diesel::insert_into(ob::outbox_emails)
        .values((
            ob::user_id.eq(Some(to.user_id)),
            ob::kind.eq(email.kind),
            ob::to_address.eq(to.address),
            ob::subject.eq(email.subject),
            ob::body.eq(email.body),
            ob::status.eq("pending"),
            ob::attempts.eq(0),
            ob::next_attempt_at.eq(now),
            ob::created_at.eq(now),
        ))
        .execute(conn)
}

/// The current time as stored in the database (UTC, without zone), by the
/// services' clock.
pub fn now() -> NaiveDateTime {
    crate::clock::now()
}

#[derive(diesel::Queryable)]
struct InboxRow {
    id: i64,
    subject: String,
    body: String,
    created_at: NaiveDateTime,
    read_at: Option<NaiveDateTime>,
}

/// One page of the account's in-app messages, newest first, and how many it has.
pub fn inbox(
    conn: &mut DbConn,
    user: i64,
    page: i64,
    per_page: i64,
) -> QueryResult<(Vec<navigator_shared::accounts::InboxMessage>, i64)> {
    use crate::db::Paginate;
    use crate::db::schema::messages as m;
    let total: i64 = m::table.filter(m::user_id.eq(user)).count().get_result(conn)?;
    let rows: Vec<InboxRow> = m::table
        .filter(m::user_id.eq(user))
        .order((m::created_at.desc(), m::id.desc()))
        .paginate(page, per_page)
        .select((m::id, m::subject, m::body, m::created_at, m::read_at))
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(|r| navigator_shared::accounts::InboxMessage {
            id: r.id,
            subject: r.subject,
            body: r.body,
            created_at: r.created_at.and_utc(),
            read: r.read_at.is_some(),
        })
        .collect();
    Ok((items, total))
}

/// Replaces each of `values` (a person's names, dates, numbers) in the
/// account's in-app messages and queued emails with the depersonalized mark.
pub fn scrub(conn: &mut DbConn, user: i64, values: &[String]) -> QueryResult<()> {
    use crate::db::replace;
    use crate::db::schema::messages::dsl as m;
    for value in values {
        let mark = crate::db::DEPERSONALIZED;
        diesel::update(m::messages.filter(m::user_id.eq(user)))
            .set((m::subject.eq(replace(m::subject, value, mark)), m::body.eq(replace(m::body, value, mark))))
            .execute(conn)?;
        diesel::update(ob::outbox_emails.filter(ob::user_id.eq(user)))
            .set((ob::subject.eq(replace(ob::subject, value, mark)), ob::body.eq(replace(ob::body, value, mark))))
            .execute(conn)?;
    }
    Ok(())
}

/// Removes the account's in-app messages and emails (its depersonalization).
pub fn forget(conn: &mut DbConn, user: i64) -> QueryResult<usize> {
    use crate::db::schema::messages::dsl as m;
    let messages = diesel::delete(m::messages.filter(m::user_id.eq(user))).execute(conn)?;
    Ok(messages + diesel::delete(ob::outbox_emails.filter(ob::user_id.eq(user))).execute(conn)?)
}
