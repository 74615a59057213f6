//! Diesel queries of programs, their modules and groups.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use navigator_shared::catalog::{GroupInput, Lesson, Module, ModuleInput, ValidProgram};

use crate::db::schema::organizations::dsl as o;
use crate::db::schema::program_groups::{self, dsl as g};
use crate::db::schema::program_modules::dsl as m;
use crate::db::schema::programs::{self, dsl as p};
use crate::db::{DbConn, Paginate};
use crate::studies;
use navigator_shared::catalog::CostType;
use navigator_shared::catalog::Direction;
use navigator_shared::catalog::Level;
use navigator_shared::catalog::ProgramStatus;
use navigator_shared::organizations::OrganizationStatus;

/// A program as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = programs)]
pub struct ProgramRow {
    pub id: i64,
    pub organization_id: i64,
    pub title: String,
    pub description: String,
    pub goals: String,
    pub direction: Direction,
    pub profile: String,
    pub level: Level,
    pub age_min: i32,
    pub age_max: i32,
    pub municipality_id: i64,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    pub duration_months: i32,
    pub teachers: String,
    pub cost_type: CostType,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: String,
    pub disability_friendly: bool,
    pub status: ProgramStatus,
    pub certified: bool,
    pub funding: navigator_shared::funding::FundingKind,
    pub moderation_comment: Option<String>,
    pub rating: Option<f64>,
    pub reviews_count: i32,
    pub applications_count: i64,
    pub published_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The columns the organization writes.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = programs)]
pub struct ProgramData {
    pub title: String,
    pub description: String,
    pub goals: String,
    pub direction: Direction,
    pub profile: String,
    pub level: Level,
    pub age_min: i32,
    pub age_max: i32,
    pub municipality_id: i64,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    pub duration_months: i32,
    pub teachers: String,
    pub cost_type: CostType,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: String,
    pub disability_friendly: bool,
    pub updated_at: NaiveDateTime,
}

impl ProgramData {
    pub fn new(valid: ValidProgram, now: NaiveDateTime) -> Self {
        Self {
            title: valid.title,
            description: valid.description,
            goals: valid.goals,
            direction: valid.direction,
            profile: valid.profile,
            level: valid.level,
            age_min: valid.age_min,
            age_max: valid.age_max,
            municipality_id: valid.municipality_id,
            address: valid.address,
            lat: valid.lat,
            lon: valid.lon,
            duration_months: valid.duration_months,
            teachers: valid.teachers.join("\n"),
            cost_type: valid.cost_type,
            contact_name: valid.contact_name,
            contact_phone: valid.contact_phone,
            contact_email: valid.contact_email,
            disability_friendly: valid.disability_friendly,
            updated_at: now,
        }
    }
}

/// Columns a status change sets; `None` leaves a column as it is.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = programs)]
pub struct StatusChange {
    pub status: Option<ProgramStatus>,
    pub certified: Option<bool>,
    pub funding: Option<navigator_shared::funding::FundingKind>,
    pub moderation_comment: Option<Option<String>>,
    pub published_at: Option<Option<NaiveDateTime>>,
    pub updated_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConn, organization: i64, data: &ProgramData) -> QueryResult<i64> {
    diesel::insert_into(p::programs)
        .values((
            data,
            p::organization_id.eq(organization),
            p::status.eq(ProgramStatus::Draft),
            p::created_at.eq(data.updated_at),
        ))
        .returning(p::id)
        .get_result(conn)
}

/// Changes the program while it is in one of `statuses`; false when it is not.
pub fn update(conn: &mut DbConn, id: i64, statuses: &[ProgramStatus], data: &ProgramData) -> QueryResult<bool> {
    let n =
        diesel::update(p::programs.filter(p::id.eq(id)).filter(p::status.eq_any(statuses))).set(data).execute(conn)?;
    if n == 1 {
        // The direction and the disability mark are copied into the studies.
        studies::refresh(conn, studies::Of::Program(id))?;
    }
    Ok(n == 1)
}

/// Moves the program from one of `from` with `change`; false when it is in another status.
pub fn set_status(conn: &mut DbConn, id: i64, from: &[ProgramStatus], change: &StatusChange) -> QueryResult<bool> {
    let n =
        diesel::update(p::programs.filter(p::id.eq(id)).filter(p::status.eq_any(from))).set(change).execute(conn)?;
    Ok(n == 1)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<ProgramRow>> {
    p::programs.find(id).select(ProgramRow::as_select()).first(conn).optional()
}

/// The program with its organization.
pub fn find_with_organization(
    conn: &mut DbConn,
    id: i64,
) -> QueryResult<Option<(ProgramRow, crate::organizations::repo::OrganizationRow)>> {
    p::programs
        .find(id)
        .inner_join(o::organizations)
        .select((ProgramRow::as_select(), crate::organizations::repo::OrganizationRow::as_select()))
        .first(conn)
        .optional()
}

/// Marks the program changed (a module or group changed), for the index.
pub fn find_many(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<ProgramRow>> {
    p::programs.filter(p::id.eq_any(ids.to_vec())).select(ProgramRow::as_select()).load(conn)
}

pub fn touch(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(p::programs.find(id)).set(p::updated_at.eq(now)).execute(conn).map(drop)
}

/// Filters of the lists of the organization's cabinet and the moderation queue.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub organization: Option<i64>,
    pub municipality: Option<i64>,
    pub status: Option<ProgramStatus>,
}

fn filtered(filter: &Filter) -> programs::BoxedQuery<'static, crate::db::DbBackend> {
    let mut query = p::programs.into_boxed();
    if let Some(id) = filter.organization {
        query = query.filter(p::organization_id.eq(id));
    }
    if let Some(id) = filter.municipality {
        query = query.filter(p::municipality_id.eq(id));
    }
    if let Some(status) = filter.status {
        query = query.filter(p::status.eq(status));
    }
    query
}

/// A page of programs, most recently changed first, and the number on all pages.
pub fn list(conn: &mut DbConn, filter: &Filter, page: i64, per_page: i64) -> QueryResult<(Vec<ProgramRow>, i64)> {
    let total = filtered(filter).count().get_result(conn)?;
    let rows = filtered(filter)
        .order((p::updated_at.desc(), p::id.desc()))
        .paginate(page, per_page)
        .select(ProgramRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Programs changed after `since` that were ever published, oldest change first.
pub fn changed_since(conn: &mut DbConn, since: NaiveDateTime, limit: i64) -> QueryResult<Vec<ProgramRow>> {
    p::programs
        .filter(p::updated_at.gt(since))
        .filter(p::published_at.is_not_null())
        .order((p::updated_at, p::id))
        .limit(limit)
        .select(ProgramRow::as_select())
        .load(conn)
}

/// Ids of programs changed after `since` (the index's poll).
pub fn changed_ids(conn: &mut DbConn, since: NaiveDateTime) -> QueryResult<Vec<(i64, NaiveDateTime)>> {
    p::programs.filter(p::updated_at.gt(since)).select((p::id, p::updated_at)).load(conn)
}

/// Groups changed after `since` (their places, dates or capacity), with when.
pub fn changed_groups(conn: &mut DbConn, since: NaiveDateTime) -> QueryResult<Vec<(i64, NaiveDateTime)>> {
    g::program_groups.filter(g::updated_at.gt(since)).select((g::id, g::updated_at)).load(conn)
}

/// The programs of `groups`.
pub fn programs_of_groups(conn: &mut DbConn, groups: &[i64]) -> QueryResult<Vec<i64>> {
    g::program_groups.filter(g::id.eq_any(groups.to_vec())).select(g::program_id).distinct().load(conn)
}

/// What the catalog shows of a published program besides its own columns.
pub struct Listed {
    pub program: ProgramRow,
    pub organization: String,
    /// Whether the organization works in the Navigator.
    pub organization_active: bool,
}

/// Published programs with their organization; all of them, or those of `ids`.
pub fn published(conn: &mut DbConn, ids: Option<&[i64]>) -> QueryResult<Vec<Listed>> {
    let mut query = p::programs
        .inner_join(o::organizations)
        .filter(p::status.eq(ProgramStatus::Published))
        .select((ProgramRow::as_select(), o::name, o::status))
        .into_boxed();
    if let Some(ids) = ids {
        query = query.filter(p::id.eq_any(ids.to_vec()));
    }
    let rows: Vec<(ProgramRow, String, OrganizationStatus)> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(program, organization, status)| Listed {
            program,
            organization,
            organization_active: status == OrganizationStatus::Active,
        })
        .collect())
}

/// Lowest module price of each program; of the published ones or of `ids`.
pub fn lowest_prices(conn: &mut DbConn, ids: Option<&[i64]>) -> QueryResult<Vec<(i64, Option<i64>)>> {
    let mut query = m::program_modules
        .inner_join(p::programs)
        .group_by(m::program_id)
        .select((m::program_id, diesel::dsl::min(m::price)))
        .into_boxed();
    query = match ids {
        Some(ids) => query.filter(m::program_id.eq_any(ids.to_vec())),
        None => query.filter(p::status.eq(ProgramStatus::Published)),
    };
    query.load(conn)
}

/// The columns of `Module`, in its field order.
const MODULE_COLUMNS: (m::id, m::program_id, m::name, m::hours, m::price) =
    (m::id, m::program_id, m::name, m::hours, m::price);

/// Modules of `programs`, in the order they were added.
pub fn modules_of(conn: &mut DbConn, programs: &[i64]) -> QueryResult<Vec<Module>> {
    m::program_modules.filter(m::program_id.eq_any(programs.to_vec())).order(m::id).select(MODULE_COLUMNS).load(conn)
}

pub fn find_modules(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<Module>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    m::program_modules.filter(m::id.eq_any(ids.to_vec())).select(MODULE_COLUMNS).load(conn)
}

pub fn find_module(conn: &mut DbConn, id: i64) -> QueryResult<Option<Module>> {
    m::program_modules.find(id).select(MODULE_COLUMNS).first(conn).optional()
}

pub fn insert_module(conn: &mut DbConn, program: i64, module: &ModuleInput, now: NaiveDateTime) -> QueryResult<i64> {
    diesel::insert_into(m::program_modules)
        .values((
            m::program_id.eq(program),
            m::name.eq(&module.name),
            m::hours.eq(module.hours),
            m::price.eq(module.price),
            m::created_at.eq(now),
            m::updated_at.eq(now),
        ))
        .returning(m::id)
        .get_result(conn)
}

pub fn update_module(conn: &mut DbConn, id: i64, module: &ModuleInput, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(m::program_modules.find(id))
        .set((m::name.eq(&module.name), m::hours.eq(module.hours), m::price.eq(module.price), m::updated_at.eq(now)))
        .execute(conn)
        .map(drop)
}

pub fn delete_module(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    diesel::delete(m::program_modules.find(id)).execute(conn).map(drop)
}

/// The group, read as `places::lock` locks it (the same statement with
/// `RETURNING`): its place counters stay as read until the transaction ends.
pub fn find_group_locked(conn: &mut DbConn, id: i64) -> QueryResult<Option<GroupRow>> {
    diesel::update(program_groups::table.find(id))
        .set(program_groups::enrolled.eq(program_groups::enrolled))
        .returning(<GroupRow as Selectable<crate::db::DbBackend>>::construct_selection())
        .get_result::<GroupRow>(conn)
        .optional()
}

/// A group as stored; `schedule` is JSON.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = program_groups)]
pub struct GroupRow {
    pub id: i64,
    pub program_id: i64,
    pub name: String,
    pub teacher: String,
    pub schedule: String,
    pub capacity: i32,
    pub enrolled: i32,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub age_min: i32,
    pub age_max: i32,
    pub enrolment_open: bool,
    pub enrolment_from: Option<NaiveDate>,
    pub enrolment_to: Option<NaiveDate>,
    /// Places are held for continuing children until this day.
    pub hold_until: Option<NaiveDate>,
}

/// The day places of a group are held for continuing children (none: not held).
pub fn set_hold_until(conn: &mut DbConn, group: i64, until: Option<NaiveDate>) -> QueryResult<usize> {
    diesel::update(program_groups::table.find(group)).set(program_groups::hold_until.eq(until)).execute(conn)
}

/// Groups holding places for continuing children on `today`.
pub fn holding_groups(conn: &mut DbConn, today: NaiveDate) -> QueryResult<Vec<GroupRow>> {
    program_groups::table
        .filter(program_groups::hold_until.ge(today))
        .order(program_groups::id)
        .select(GroupRow::as_select())
        .load(conn)
}

impl GroupRow {
    pub fn lessons(&self) -> Vec<Lesson> {
        serde_json::from_str(&self.schedule).unwrap_or_default()
    }
}

/// The columns the organization writes of a group.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = program_groups, treat_none_as_null = true)]
pub struct GroupData {
    pub name: String,
    pub teacher: String,
    pub schedule: String,
    pub capacity: i32,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub age_min: i32,
    pub age_max: i32,
    pub enrolment_open: bool,
    pub enrolment_from: Option<NaiveDate>,
    pub enrolment_to: Option<NaiveDate>,
    pub updated_at: NaiveDateTime,
}

impl GroupData {
    pub fn new(group: GroupInput, now: NaiveDateTime) -> Self {
        Self {
            schedule: serde_json::to_string(&group.schedule).unwrap_or_else(|_| "[]".into()),
            name: group.name,
            teacher: group.teacher,
            capacity: group.capacity,
            start_date: group.start_date,
            end_date: group.end_date,
            age_min: group.age_min,
            age_max: group.age_max,
            enrolment_open: group.enrolment_open,
            enrolment_from: group.enrolment_from,
            enrolment_to: group.enrolment_to,
            updated_at: now,
        }
    }
}

pub fn groups(conn: &mut DbConn, program: i64) -> QueryResult<Vec<GroupRow>> {
    g::program_groups.filter(g::program_id.eq(program)).order(g::id).select(GroupRow::as_select()).load(conn)
}

/// Groups of the published programs, or of `ids`.
pub fn groups_of(conn: &mut DbConn, ids: Option<&[i64]>) -> QueryResult<Vec<GroupRow>> {
    let mut query = g::program_groups.inner_join(p::programs).select(GroupRow::as_select()).into_boxed();
    query = match ids {
        Some(ids) => query.filter(g::program_id.eq_any(ids.to_vec())),
        None => query.filter(p::status.eq(ProgramStatus::Published)),
    };
    query.load(conn)
}

pub fn find_groups(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<GroupRow>> {
    g::program_groups.filter(g::id.eq_any(ids.to_vec())).select(GroupRow::as_select()).load(conn)
}

pub fn find_group(conn: &mut DbConn, id: i64) -> QueryResult<Option<GroupRow>> {
    g::program_groups.find(id).select(GroupRow::as_select()).first(conn).optional()
}

pub fn insert_group(conn: &mut DbConn, program: i64, data: &GroupData) -> QueryResult<i64> {
    diesel::insert_into(g::program_groups)
        .values((data, g::program_id.eq(program), g::enrolled.eq(0), g::created_at.eq(data.updated_at)))
        .returning(g::id)
        .get_result(conn)
}

pub fn update_group(conn: &mut DbConn, id: i64, data: &GroupData) -> QueryResult<()> {
    diesel::update(g::program_groups.find(id)).set(data).execute(conn)?;
    // The group's dates are its studies' days.
    studies::refresh(conn, studies::Of::Group(id))
}

pub fn delete_group(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    diesel::delete(g::program_groups.find(id)).execute(conn).map(drop)
}

/// Catalog numbers of a program loaded already published (demo and benchmark
/// data). Its rating comes only from reviews.
pub struct Published {
    pub certified: bool,
    pub applications_count: i64,
    pub published_at: NaiveDateTime,
}

pub fn insert_published(
    conn: &mut DbConn,
    organization: i64,
    data: &ProgramData,
    published: &Published,
) -> QueryResult<i64> {
    diesel::insert_into(p::programs)
        .values((
            data,
            p::organization_id.eq(organization),
            p::status.eq(ProgramStatus::Published),
            p::certified.eq(published.certified),
            p::applications_count.eq(published.applications_count),
            p::published_at.eq(published.published_at),
            p::created_at.eq(published.published_at),
        ))
        .returning(p::id)
        .get_result(conn)
}
