use chrono::NaiveDateTime;
use diesel::prelude::*;
use navigator_shared::children::name_key;
use navigator_shared::organizations::{ActivationPoint, ValidOrganization};

use crate::db::schema::organizations::{self, dsl as o};
use crate::db::schema::programs::dsl as p;
use crate::db::schema::users::dsl as u;
use crate::db::{DbConn, Paginate};
use navigator_shared::catalog::ProgramStatus;
use navigator_shared::organizations::OrganizationKind;
use navigator_shared::organizations::OrganizationStatus;

#[derive(Queryable)]
struct PointRow {
    id: i64,
    name: String,
    municipality_id: i64,
    address: String,
    contact: Option<String>,
    hours: Option<String>,
    phone: Option<String>,
}

/// Activation points, by name; of one municipality when given.
pub fn activation_points(conn: &mut DbConn, municipality: Option<i64>) -> QueryResult<Vec<ActivationPoint>> {
    let mut query =
        o::organizations.filter(o::can_activate.eq(true)).filter(o::status.eq(OrganizationStatus::Active)).into_boxed();
    if let Some(id) = municipality {
        query = query.filter(o::municipality_id.eq(id));
    }
    let rows: Vec<PointRow> = query
        .order((o::name, o::id))
        .select((
            o::id,
            o::name,
            o::municipality_id,
            o::address,
            o::activation_contact,
            o::reception_hours,
            o::city_phone,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| ActivationPoint {
            id: r.id,
            name: r.name,
            municipality_id: r.municipality_id,
            address: r.address,
            contact: r.contact.unwrap_or_default(),
            reception_hours: r.hours.unwrap_or_default(),
            phone: r.phone.unwrap_or_default(),
        })
        .collect())
}

/// An organization as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = organizations)]
pub struct OrganizationRow {
    pub id: i64,
    pub name: String,
    pub inn: String,
    pub kind: OrganizationKind,
    pub municipality_id: i64,
    pub address: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub phone: String,
    pub email: String,
    pub website: String,
    pub is_provider: bool,
    pub can_activate: bool,
    pub can_confirm: bool,
    pub can_view_personal_data: bool,
    pub activation_contact: Option<String>,
    pub reception_hours: Option<String>,
    pub city_phone: Option<String>,
    pub status: OrganizationStatus,
    pub updated_at: NaiveDateTime,
}

/// Every column the operator sets.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = organizations, treat_none_as_null = true)]
pub struct OrganizationData {
    pub name: String,
    pub inn: String,
    pub kind: OrganizationKind,
    pub municipality_id: i64,
    pub address: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub phone: String,
    pub email: String,
    pub website: String,
    pub is_provider: bool,
    pub can_activate: bool,
    pub can_confirm: bool,
    pub can_view_personal_data: bool,
    pub activation_contact: Option<String>,
    pub reception_hours: Option<String>,
    pub city_phone: Option<String>,
    pub status: OrganizationStatus,
    pub search_key: String,
    pub updated_at: NaiveDateTime,
}

impl OrganizationData {
    pub fn new(valid: ValidOrganization, now: NaiveDateTime) -> Self {
        Self {
            search_key: format!("{} {}", name_key(&valid.name), valid.inn),
            name: valid.name,
            inn: valid.inn,
            kind: valid.kind,
            municipality_id: valid.municipality_id,
            address: valid.address,
            lat: valid.lat,
            lon: valid.lon,
            phone: valid.phone,
            email: valid.email,
            website: valid.website,
            is_provider: valid.is_provider,
            can_activate: valid.can_activate,
            can_confirm: valid.can_confirm,
            can_view_personal_data: valid.can_view_personal_data,
            activation_contact: valid.activation_contact,
            reception_hours: valid.reception_hours,
            city_phone: valid.city_phone,
            status: valid.status,
            updated_at: now,
        }
    }
}

/// Another organization already has this INN.
#[derive(Debug)]
pub struct InnTaken;

/// Inserts an organization (in a savepoint, so a refused row leaves the transaction usable).
pub fn insert(conn: &mut DbConn, data: &OrganizationData) -> QueryResult<Result<i64, InnTaken>> {
    crate::db::insert_unique(conn, |c| {
        diesel::insert_into(o::organizations)
            .values((data, o::created_at.eq(data.updated_at)))
            .returning(o::id)
            .get_result(c)
    })
    .map(|id| id.ok_or(InnTaken))
}

pub fn update(conn: &mut DbConn, id: i64, data: &OrganizationData) -> QueryResult<Result<i64, InnTaken>> {
    crate::db::insert_unique(conn, |c| diesel::update(o::organizations.find(id)).set(data).execute(c))
        .map(|changed| changed.map(|_| id).ok_or(InnTaken))
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<OrganizationRow>> {
    o::organizations.find(id).select(OrganizationRow::as_select()).first(conn).optional()
}

pub fn find_many(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<OrganizationRow>> {
    o::organizations.filter(o::id.eq_any(ids.to_vec())).select(OrganizationRow::as_select()).load(conn)
}

/// Filters of an organizations list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub municipality: Option<i64>,
    pub kind: Option<OrganizationKind>,
    pub is_provider: Option<bool>,
    pub status: Option<OrganizationStatus>,
    /// Lower-cased text with `ё` read as `е`.
    pub text: Option<String>,
}

fn filtered(filter: &Filter) -> organizations::BoxedQuery<'static, crate::db::DbBackend> {
    let mut query = o::organizations.into_boxed();
    if let Some(id) = filter.municipality {
        query = query.filter(o::municipality_id.eq(id));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(o::kind.eq(kind));
    }
    if let Some(provider) = filter.is_provider {
        query = query.filter(o::is_provider.eq(provider));
    }
    if let Some(status) = filter.status {
        query = query.filter(o::status.eq(status));
    }
    if let Some(text) = filter.text.clone() {
        let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        query = query.filter(o::search_key.like(format!("%{escaped}%")).escape('\\'));
    }
    query
}

/// A page of organizations by name, and the number on all pages.
pub fn list(conn: &mut DbConn, filter: &Filter, page: i64, per_page: i64) -> QueryResult<(Vec<OrganizationRow>, i64)> {
    let total = filtered(filter).count().get_result(conn)?;
    let rows = filtered(filter)
        .order((o::name, o::id))
        .paginate(page, per_page)
        .select(OrganizationRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Organizations changed after `since`, oldest change first.
pub fn changed_since(conn: &mut DbConn, since: NaiveDateTime, limit: i64) -> QueryResult<Vec<OrganizationRow>> {
    o::organizations
        .filter(o::updated_at.gt(since))
        .order((o::updated_at, o::id))
        .limit(limit)
        .select(OrganizationRow::as_select())
        .load(conn)
}

/// Published programs of each of `ids`.
pub fn published_counts(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<(i64, i64)>> {
    p::programs
        .filter(p::organization_id.eq_any(ids))
        .filter(p::status.eq(ProgramStatus::Published))
        .group_by(p::organization_id)
        .select((p::organization_id, diesel::dsl::count_star()))
        .load(conn)
}

/// Staff accounts of an organization: (id, email, last, first, middle, phone, confirmed).
pub type StaffRow = (i64, String, String, String, Option<String>, String, Option<NaiveDateTime>, Option<NaiveDateTime>);

pub fn staff(conn: &mut DbConn, organization: i64) -> QueryResult<Vec<StaffRow>> {
    u::users
        .filter(u::organization_id.eq(organization))
        .order((u::last_name, u::first_name, u::id))
        .select((
            u::id,
            u::email,
            u::last_name,
            u::first_name,
            u::middle_name,
            u::phone,
            u::email_confirmed_at,
            u::disabled_at,
        ))
        .load(conn)
}

/// Marks every program of an organization changed (its name or status
/// changed) and answers their ids, for the catalog index.
pub fn touch_programs(conn: &mut DbConn, organization: i64, now: NaiveDateTime) -> QueryResult<Vec<i64>> {
    diesel::update(p::programs.filter(p::organization_id.eq(organization)))
        .set(p::updated_at.eq(now))
        .returning(p::id)
        .get_results(conn)
}
