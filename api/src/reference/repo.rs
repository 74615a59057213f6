use chrono::Utc;
use diesel::prelude::*;
use navigator_shared::reference::{Municipality, RegionSettings};

use crate::db::DbConn;
use crate::db::schema::{municipalities::dsl as m, region_settings::dsl as rs};

pub fn region(conn: &mut DbConn) -> QueryResult<RegionSettings> {
    let (name, child_age_min, child_age_max) =
        rs::region_settings.select((rs::name, rs::child_age_min, rs::child_age_max)).first(conn)?;
    Ok(RegionSettings { name, child_age_min, child_age_max, ..RegionSettings::default() })
}

pub fn set_region_name(conn: &mut DbConn, name: &str) -> QueryResult<usize> {
    diesel::update(rs::region_settings)
        .set((rs::name.eq(name), rs::updated_at.eq(Utc::now().naive_utc())))
        .execute(conn)
}

/// One page of municipalities in alphabetical order, and the total count.
pub fn municipalities(conn: &mut DbConn, page: i64, per_page: i64) -> QueryResult<(Vec<Municipality>, i64)> {
    let total = m::municipalities.count().get_result(conn)?;
    let items = m::municipalities
        .select((m::id, m::name))
        .order((m::name, m::id))
        .limit(per_page)
        .offset((page - 1) * per_page)
        .load::<(i64, String)>(conn)?
        .into_iter()
        .map(|(id, name)| Municipality { id, name })
        .collect();
    Ok((items, total))
}

pub fn municipality_exists(conn: &mut DbConn, id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(m::municipalities.find(id))).get_result(conn)
}

pub fn add_municipality(conn: &mut DbConn, name: &str) -> QueryResult<i64> {
    diesel::insert_into(m::municipalities)
        .values((m::name.eq(name), m::created_at.eq(Utc::now().naive_utc())))
        .returning(m::id)
        .get_result(conn)
}

pub fn municipality_name(conn: &mut DbConn, id: i64) -> QueryResult<Option<String>> {
    m::municipalities.find(id).select(m::name).first(conn).optional()
}
