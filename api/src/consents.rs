//! The applicant's online consents, kept with the version of their text and
//! the time (`navigator_shared::consent`).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use navigator_shared::consent::{ConsentWithdrawal, OnlineConsent, VERSION};

use crate::db::DbConn;
use crate::db::schema::consents as k;
use navigator_shared::ids::ChildId;

/// Records both consents of `user`, for `child` when given at its certificate request.
pub fn record(conn: &mut DbConn, user: i64, child: Option<ChildId>, now: NaiveDateTime) -> QueryResult<()> {
    for kind in ["personal_data", "rules"] {
        diesel::insert_into(k::table)
            .values((
                k::user_id.eq(user),
                k::child_id.eq(child),
                k::kind.eq(kind),
                k::version.eq(VERSION),
                k::given_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The latest consent to personal-data processing given online for `child`.
pub fn of_child(conn: &mut DbConn, child: ChildId) -> QueryResult<Option<OnlineConsent>> {
    let row: Option<(String, NaiveDateTime)> = k::table
        .filter(k::child_id.eq(child))
        .filter(k::kind.eq("personal_data"))
        .order(k::given_at.desc())
        .select((k::version, k::given_at))
        .first(conn)
        .optional()?;
    Ok(row.map(|(version, at)| OnlineConsent { version, given_at: at.and_utc() }))
}

/// The withdrawal as the family sees it, from the two stored moments.
pub fn withdrawal(withdrawn_at: Option<NaiveDateTime>, after: Option<NaiveDateTime>) -> Option<ConsentWithdrawal> {
    Some(ConsentWithdrawal { withdrawn_at: withdrawn_at?.and_utc(), depersonalize_after: after?.and_utc() })
}

/// Removes the consents of an account that never came to use them: one
/// removed because its address was never confirmed.
pub fn remove_of(conn: &mut DbConn, user: i64) -> QueryResult<usize> {
    diesel::delete(k::table.filter(k::user_id.eq(user))).execute(conn)
}

/// One consent as stored: `(kind, version, given at, child)`.
pub type Given = (String, String, NaiveDateTime, Option<i64>);

/// Every consent `user` gave, oldest first.
pub fn given_by(conn: &mut DbConn, user: i64) -> QueryResult<Vec<Given>> {
    k::table
        .filter(k::user_id.eq(user))
        .order((k::given_at, k::id))
        .select((k::kind, k::version, k::given_at, k::child_id))
        .load(conn)
}
