use chrono::NaiveDateTime;
use diesel::prelude::*;
use navigator_shared::organizations::ActivationPoint;

use crate::db::DbConn;
use crate::db::schema::organizations::dsl as o;

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
    let mut query = o::organizations.filter(o::can_activate.eq(true)).into_boxed();
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

/// A new organization (operator's registry, demo data).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = crate::db::schema::organizations)]
pub struct NewOrganization<'a> {
    pub name: &'a str,
    pub inn: &'a str,
    pub municipality_id: i64,
    pub address: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    pub can_activate: bool,
    pub activation_contact: Option<&'a str>,
    pub reception_hours: Option<&'a str>,
    pub city_phone: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, org: &NewOrganization<'_>) -> QueryResult<i64> {
    diesel::insert_into(o::organizations).values(org).returning(o::id).get_result(conn)
}
