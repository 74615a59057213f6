//! Diesel queries of applications. A group's places and waiting list, and
//! the children's open-applications counter, are counted in `places`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use navigator_shared::applications::ApplicationStatus;
use navigator_shared::ids::{ApplicationId, ChildId};

use crate::db::schema::{applications as a, children as ch, programs as p};
use crate::db::{DbConn, Paginate};
use crate::studies;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = a)]
pub struct ApplicationRow {
    pub id: ApplicationId,
    pub child_id: ChildId,
    pub group_id: i64,
    pub program_id: i64,
    pub organization_id: i64,
    pub created_by: i64,
    pub status: ApplicationStatus,
    pub reason: Option<String>,
    pub comment: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The integration client that submitted it, and its id there.
    pub source_client_id: Option<i64>,
    pub external_id: Option<String>,
}

/// The new application's data.
pub struct NewApplication {
    pub child_id: ChildId,
    pub group_id: i64,
    pub program_id: i64,
    pub organization_id: i64,
    pub created_by: i64,
    pub status: ApplicationStatus,
    /// An integrator's application: its client and its own id of it.
    pub source: Option<(i64, String)>,
}

impl NewApplication {
    /// The row as [`insert`] stores it under `id` at `at`.
    pub fn stored(&self, id: ApplicationId, at: NaiveDateTime) -> ApplicationRow {
        ApplicationRow {
            id,
            child_id: self.child_id,
            group_id: self.group_id,
            program_id: self.program_id,
            organization_id: self.organization_id,
            created_by: self.created_by,
            status: self.status,
            reason: None,
            comment: None,
            created_at: at,
            updated_at: at,
            source_client_id: self.source.as_ref().map(|(client, _)| *client),
            external_id: self.source.as_ref().map(|(_, external)| external.clone()),
        }
    }
}

/// Inserts an application; `Ok(None)` when the child already has a live
/// application to the group.
pub fn insert(conn: &mut DbConn, new: &NewApplication, now: NaiveDateTime) -> QueryResult<Option<ApplicationId>> {
    let (client, external_id) = new.source.clone().unzip();
    let id = crate::db::insert_unique(conn, |c| {
        diesel::insert_into(a::table)
            .values((
                a::child_id.eq(new.child_id),
                a::group_id.eq(new.group_id),
                a::program_id.eq(new.program_id),
                a::organization_id.eq(new.organization_id),
                a::created_by.eq(new.created_by),
                a::status.eq(new.status),
                a::created_at.eq(now),
                a::updated_at.eq(now),
                a::source_client_id.eq(client),
                a::external_id.eq(&external_id),
            ))
            .returning(a::id)
            .get_result::<ApplicationId>(c)
    })?;
    if let Some(id) = id {
        if studies::studied(new.status) {
            studies::refresh(conn, studies::Of::Application(id.get()))?;
        }
        crate::webhooks::application_changed(conn, id.get(), (client, external_id), (None, new.status), now)?;
    }
    Ok(id)
}

/// Names of integration clients, by id.
pub fn client_names(conn: &mut DbConn, ids: &[i64]) -> QueryResult<std::collections::HashMap<i64, String>> {
    use crate::db::schema::integration_clients as ic;
    Ok(ic::table
        .filter(ic::id.eq_any(ids))
        .select((ic::id, ic::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}

/// The application an integration client submitted under its own id.
pub fn by_external_id(conn: &mut DbConn, client: i64, external_id: &str) -> QueryResult<Option<ApplicationRow>> {
    a::table
        .filter(a::source_client_id.eq(client))
        .filter(a::external_id.eq(external_id))
        .select(ApplicationRow::as_select())
        .first(conn)
        .optional()
}

/// Moves an application from group `from` to group `to`; `false` when it is
/// no longer in `from`.
pub fn move_to_group(
    conn: &mut DbConn,
    id: ApplicationId,
    from: i64,
    to: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(a::table.find(id).filter(a::group_id.eq(from)))
        .set((a::group_id.eq(to), a::updated_at.eq(now)))
        .execute(conn)
        .map(|n| n == 1)
}

/// Counts one more application of the program, for sorting by popularity.
pub fn count_on_program(conn: &mut DbConn, program: i64) -> QueryResult<()> {
    diesel::update(p::table.find(program))
        .set(p::applications_count.eq(p::applications_count + 1))
        .execute(conn)
        .map(drop)
}

/// Children who finished a group of `program` that ended before `before`
/// (a year of the program), other than those with a running application
/// in `group`.
pub fn finished_before(conn: &mut DbConn, program: i64, before: NaiveDate, group: i64) -> QueryResult<Vec<ChildId>> {
    use crate::db::schema::program_groups as g;
    let running = diesel::alias!(crate::db::schema::applications as running);
    let mut children: Vec<ChildId> = a::table
        .inner_join(g::table)
        .filter(a::program_id.eq(program))
        .filter(a::status.eq(ApplicationStatus::Completed))
        .filter(g::end_date.lt(before))
        .filter(a::group_id.ne(group))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            running
                .filter(running.field(a::child_id).eq(a::child_id))
                .filter(running.field(a::group_id).eq(group))
                .filter(running.field(a::status).eq_any([
                    ApplicationStatus::Waiting,
                    ApplicationStatus::Submitted,
                    ApplicationStatus::Confirmed,
                    ApplicationStatus::Enrolled,
                ])),
        )))
        .order(a::id)
        .select(a::child_id)
        .load(conn)?;
    let mut seen = std::collections::HashSet::new();
    children.retain(|child| seen.insert(*child));
    Ok(children)
}

pub fn find(conn: &mut DbConn, id: ApplicationId) -> QueryResult<Option<ApplicationRow>> {
    a::table.find(id).select(ApplicationRow::as_select()).first(conn).optional()
}

/// The child's applications that are still running (open or enrolled), oldest first.
pub fn running_of_child(conn: &mut DbConn, child: ChildId) -> QueryResult<Vec<ApplicationRow>> {
    a::table
        .filter(a::child_id.eq(child))
        .filter(a::status.eq_any([
            ApplicationStatus::Waiting,
            ApplicationStatus::Submitted,
            ApplicationStatus::Confirmed,
            ApplicationStatus::Enrolled,
        ]))
        .order(a::id)
        .select(ApplicationRow::as_select())
        .load(conn)
}

/// Moves an application from `from` to `to`; `false` when it was no longer
/// in `from` (somebody acted first).
pub fn transition(
    conn: &mut DbConn,
    id: ApplicationId,
    from: ApplicationStatus,
    to: ApplicationStatus,
    reason: Option<&str>,
    comment: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed: Vec<crate::webhooks::Source> = diesel::update(a::table.find(id).filter(a::status.eq(from)))
        .set((a::status.eq(to), a::updated_at.eq(now)))
        .returning((a::source_client_id, a::external_id))
        .get_results(conn)?;
    let Some(source) = changed.into_iter().next() else { return Ok(false) };
    if studies::studied(from) || studies::studied(to) {
        studies::refresh(conn, studies::Of::Application(id.get()))?;
    }
    if matches!(to, ApplicationStatus::Confirmed | ApplicationStatus::Rejected | ApplicationStatus::Enrolled) {
        // The organization's first decision, for the time-to-decision statistics.
        diesel::update(a::table.find(id).filter(a::decided_at.is_null())).set(a::decided_at.eq(now)).execute(conn)?;
    }
    if (reason.is_some() || comment.is_some())
        && diesel::update(a::table.find(id)).set((a::reason.eq(reason), a::comment.eq(comment))).execute(conn)? != 1
    {
        return Ok(false);
    }
    crate::webhooks::application_changed(conn, id.get(), source, (Some(from), to), now)?;
    Ok(true)
}

/// What a list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Children of this family account.
    pub parent: Option<i64>,
    pub organization: Option<i64>,
    pub status: Option<ApplicationStatus>,
    pub child: Option<i64>,
    pub program: Option<i64>,
    pub group: Option<i64>,
}

/// A page of applications, newest first.
pub fn list(conn: &mut DbConn, filter: &Filter, page: i64, per_page: i64) -> QueryResult<(Vec<ApplicationRow>, i64)> {
    let query = || {
        let mut q = a::table.inner_join(ch::table).into_boxed();
        if let Some(parent) = filter.parent {
            // The family's children: held in the account, or guarded by it.
            let guarded = crate::db::schema::guardians::table
                .filter(crate::db::schema::guardians::user_id.eq(parent))
                .filter(crate::db::schema::guardians::status.eq(navigator_shared::guardians::GuardianStatus::Active))
                .select(crate::db::schema::guardians::child_id);
            q = q.filter(ch::parent_id.eq(parent).or(ch::id.eq_any(guarded)));
        }
        if let Some(org) = filter.organization {
            q = q.filter(a::organization_id.eq(org));
        }
        if let Some(status) = &filter.status {
            q = q.filter(a::status.eq(*status));
        }
        if let Some(child) = filter.child {
            q = q.filter(a::child_id.eq(child));
        }
        if let Some(program) = filter.program {
            q = q.filter(a::program_id.eq(program));
        }
        if let Some(group) = filter.group {
            q = q.filter(a::group_id.eq(group));
        }
        q
    };
    let total = query().count().get_result(conn)?;
    let rows = query()
        .order((a::created_at.desc(), a::id.desc()))
        .paginate(page, per_page)
        .select(ApplicationRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}
