use diesel::prelude::*;
use navigator_shared::reference::{ConfirmationBy, Municipality, RegionSettings, RegionUpdate};

use crate::db::schema::{municipalities::dsl as m, municipality_populations as mp, region_settings::dsl as rs};
use crate::db::{DbConn, Paginate};

/// The region's settings as stored; an unknown `confirmation_by` is an error, never a default.
pub fn region(conn: &mut DbConn) -> QueryResult<RegionSettings> {
    let (name, child_age_min, child_age_max, confirmation, documents_days, decision_days, academic_year) =
        rs::region_settings
            .select((
                rs::name,
                rs::child_age_min,
                rs::child_age_max,
                rs::confirmation_by,
                rs::documents_days,
                rs::decision_days,
                rs::academic_year,
            ))
            .first::<(String, i32, i32, String, i32, i32, i32)>(conn)?;
    let confirmation_by = ConfirmationBy::parse(&confirmation).ok_or_else(|| {
        diesel::result::Error::DeserializationError(format!("region_settings.confirmation_by {confirmation:?}").into())
    })?;
    Ok(RegionSettings {
        name,
        child_age_min,
        child_age_max,
        confirmation_by,
        documents_days,
        decision_days,
        academic_year,
        ..RegionSettings::default()
    })
}

/// Stores the admin's settings (already validated).
pub fn update_region(conn: &mut DbConn, update: &RegionUpdate) -> QueryResult<usize> {
    diesel::update(rs::region_settings)
        .set((
            rs::name.eq(&update.name),
            rs::child_age_min.eq(update.child_age_min),
            rs::child_age_max.eq(update.child_age_max),
            rs::confirmation_by.eq(update.confirmation_by.as_str()),
            rs::documents_days.eq(update.documents_days),
            rs::decision_days.eq(update.decision_days),
            rs::academic_year.eq(update.academic_year),
            rs::updated_at.eq(crate::clock::now()),
        ))
        .execute(conn)
}

pub fn set_region_name(conn: &mut DbConn, name: &str) -> QueryResult<usize> {
    diesel::update(rs::region_settings).set((rs::name.eq(name), rs::updated_at.eq(crate::clock::now()))).execute(conn)
}

/// Sets the current academic year (the demo and the test harnesses start in
/// the one of today).
pub fn set_academic_year(conn: &mut DbConn, year: i32) -> QueryResult<usize> {
    diesel::update(rs::region_settings)
        .set((rs::academic_year.eq(year), rs::updated_at.eq(crate::clock::now())))
        .execute(conn)
}

/// One page of municipalities in alphabetical order, each with its latest
/// population figure, and the total count.
pub fn municipalities(conn: &mut DbConn, page: i64, per_page: i64) -> QueryResult<(Vec<Municipality>, i64)> {
    let total = m::municipalities.count().get_result(conn)?;
    let rows = m::municipalities
        .select((m::id, m::name, m::center_lat, m::center_lon))
        .order((m::name, m::id))
        .paginate(page, per_page)
        .load::<MunicipalityRow>(conn)?;
    let ids: Vec<i64> = rows.iter().map(|(id, ..)| *id).collect();
    let populations: Vec<(i64, i32, i64)> = mp::table
        .filter(mp::municipality_id.eq_any(&ids))
        .order((mp::municipality_id, mp::year.desc()))
        .select((mp::municipality_id, mp::year, mp::children))
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(|row| {
            let latest =
                populations.iter().find(|(of, _, _)| *of == row.0).map(|(_, year, children)| (*year, *children));
            to_municipality(row, latest)
        })
        .collect();
    Ok((items, total))
}

/// `(id, name, centre latitude, centre longitude)`.
type MunicipalityRow = (i64, String, Option<f64>, Option<f64>);

/// The municipality with its latest `(year, children)` population figure.
fn to_municipality((id, name, lat, lon): MunicipalityRow, latest: Option<(i32, i64)>) -> Municipality {
    Municipality {
        id,
        name,
        children_population: latest.map(|(_, children)| children),
        population_year: latest.map(|(year, _)| year),
        center: lat.zip(lon).map(|(lat, lon)| [lat, lon]),
    }
}

/// One municipality with its latest population.
pub fn municipality(conn: &mut DbConn, id: i64) -> QueryResult<Option<Municipality>> {
    let Some(row) = m::municipalities
        .find(id)
        .select((m::id, m::name, m::center_lat, m::center_lon))
        .first::<MunicipalityRow>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let latest: Option<(i32, i64)> = mp::table
        .filter(mp::municipality_id.eq(id))
        .order(mp::year.desc())
        .select((mp::year, mp::children))
        .first(conn)
        .optional()?;
    Ok(Some(to_municipality(row, latest)))
}

/// Another municipality of this name, compared without case (`ё` = `е`).
pub fn name_taken(conn: &mut DbConn, name: &str, except: Option<i64>) -> QueryResult<bool> {
    let key = navigator_shared::children::name_key(name);
    let names: Vec<(i64, String)> = m::municipalities.select((m::id, m::name)).load(conn)?;
    Ok(names.iter().any(|(id, other)| Some(*id) != except && navigator_shared::children::name_key(other) == key))
}

/// Renames the municipality and, when given, moves its centre.
pub fn update_municipality(conn: &mut DbConn, id: i64, name: &str, center: Option<[f64; 2]>) -> QueryResult<usize> {
    let target = m::municipalities.find(id);
    match center {
        Some([lat, lon]) => diesel::update(target)
            .set((m::name.eq(name), m::center_lat.eq(Some(lat)), m::center_lon.eq(Some(lon))))
            .execute(conn),
        None => diesel::update(target).set(m::name.eq(name)).execute(conn),
    }
}

/// Sets the children's population of a year (replacing an earlier figure of that year).
pub fn set_population(conn: &mut DbConn, id: i64, year: i32, children: i64) -> QueryResult<Option<i64>> {
    let old: Option<i64> = mp::table
        .filter(mp::municipality_id.eq(id))
        .filter(mp::year.eq(year))
        .select(mp::children)
        .first(conn)
        .optional()?;
    let now = crate::clock::now();
    if old.is_some() {
        diesel::update(mp::table.filter(mp::municipality_id.eq(id)).filter(mp::year.eq(year)))
            .set((mp::children.eq(children), mp::updated_at.eq(now)))
            .execute(conn)?;
    } else {
        let inserted = crate::db::insert_unique(conn, |c| {
            diesel::insert_into(mp::table)
                .values((
                    mp::municipality_id.eq(id),
                    mp::year.eq(year),
                    mp::children.eq(children),
                    mp::updated_at.eq(now),
                ))
                .execute(c)
        })?;
        if inserted.is_none() {
            // Another admin entered the year meanwhile: this figure replaces it.
            diesel::update(mp::table.filter(mp::municipality_id.eq(id)).filter(mp::year.eq(year)))
                .set((mp::children.eq(children), mp::updated_at.eq(now)))
                .execute(conn)?;
        }
    }
    Ok(old)
}

pub fn municipality_exists(conn: &mut DbConn, id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(m::municipalities.find(id))).get_result(conn)
}

pub fn add_municipality(conn: &mut DbConn, name: &str, center: Option<[f64; 2]>) -> QueryResult<i64> {
    diesel::insert_into(m::municipalities)
        .values((
            m::name.eq(name),
            m::center_lat.eq(center.map(|[lat, _]| lat)),
            m::center_lon.eq(center.map(|[_, lon]| lon)),
            m::created_at.eq(crate::clock::now()),
        ))
        .returning(m::id)
        .get_result(conn)
}

pub fn municipality_name(conn: &mut DbConn, id: i64) -> QueryResult<Option<String>> {
    m::municipalities.find(id).select(m::name).first(conn).optional()
}
