use std::collections::BTreeMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use navigator_shared::calendar::CalendarOverride;

use super::Calendar;
use crate::db::DbConn;
use crate::db::schema::calendar_days::dsl as cd;

/// The calendar with every override from `from` on (enough for deadlines ahead).
pub fn load(conn: &mut DbConn, from: NaiveDate) -> QueryResult<Calendar> {
    let rows: Vec<(NaiveDate, bool)> =
        cd::calendar_days.filter(cd::day.ge(from)).select((cd::day, cd::working)).load(conn)?;
    Ok(Calendar::new(rows.into_iter().collect::<BTreeMap<_, _>>()))
}

pub fn list(conn: &mut DbConn, from: NaiveDate, to: NaiveDate) -> QueryResult<Vec<CalendarOverride>> {
    cd::calendar_days
        .filter(cd::day.ge(from))
        .filter(cd::day.le(to))
        .order(cd::day)
        .select((cd::day, cd::working, cd::note))
        .load(conn)
}

/// Sets or replaces the override of a day (delete and insert: no upsert on
/// the common connection).
pub fn set(conn: &mut DbConn, day: NaiveDate, working: bool, note: &str) -> QueryResult<()> {
    crate::db::write_tx(conn, |conn| {
        diesel::delete(cd::calendar_days.filter(cd::day.eq(day))).execute(conn)?;
        diesel::insert_into(cd::calendar_days)
            .values((cd::day.eq(day), cd::working.eq(working), cd::note.eq(note)))
            .execute(conn)?;
        Ok(())
    })
}

pub fn remove(conn: &mut DbConn, day: NaiveDate) -> QueryResult<usize> {
    diesel::delete(cd::calendar_days.filter(cd::day.eq(day))).execute(conn)
}
