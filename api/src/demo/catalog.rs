//! Loading the generated catalog (organizations, published programs with
//! modules and groups) into the database: the demo, and `seed --scale N`
//! for benchmarks.

use chrono::{NaiveDate, TimeDelta};

use super::catalog_content::{self, DemoCatalog};
use crate::catalog::repo::{self, GroupData, ProgramData, Published};
use crate::db::{DbConn, write_tx};
use crate::error::{ApiError, ApiResult};
use crate::notifications::now;
use crate::organizations;

/// Programs written per transaction.
const BATCH: usize = 500;

/// The ids a loaded catalog got, in generated order.
pub struct Loaded {
    pub organizations: Vec<i64>,
    pub programs: Vec<i64>,
}

/// Inserts a generated catalog; `municipalities[i]` is the id of the demo
/// municipality `i`.
pub fn load(conn: &mut DbConn, catalog: &DemoCatalog, municipalities: &[i64]) -> ApiResult<Loaded> {
    let municipality = |index: usize| {
        municipalities.get(index).copied().ok_or_else(|| anyhow::anyhow!("no demo municipality {index}"))
    };
    let organizations = write_tx(conn, |conn| {
        catalog
            .organizations
            .iter()
            .map(|org| {
                let input = navigator_shared::organizations::OrganizationInput {
                    municipality_id: municipality(org.municipality)?,
                    ..org.input.clone()
                };
                organizations::service::insert(conn, &input)
            })
            .collect::<ApiResult<Vec<i64>>>()
    })?;
    let now = now();
    let mut programs = Vec::with_capacity(catalog.programs.len());
    for chunk in catalog.programs.chunks(BATCH) {
        write_tx(conn, |conn| {
            for program in chunk {
                let input = navigator_shared::catalog::ProgramInput {
                    municipality_id: municipality(program.input.municipality_id as usize - 1)?,
                    ..program.input.clone()
                };
                let valid = input.validate().map_err(ApiError::Validation)?;
                let published = Published {
                    certified: program.certified,
                    applications_count: program.applications_count,
                    published_at: now - TimeDelta::days(program.days_since_published),
                };
                let organization = organizations
                    .get(program.organization)
                    .copied()
                    .ok_or_else(|| anyhow::anyhow!("no demo organization {}", program.organization))?;
                let id = repo::insert_published(conn, organization, &ProgramData::new(valid, now), &published)?;
                programs.push(id);
                for module in &program.modules {
                    repo::insert_module(conn, id, module, now)?;
                }
                for group in &program.groups {
                    repo::insert_group(conn, id, &GroupData::new(group.clone(), now))?;
                }
            }
            Ok::<_, ApiError>(())
        })?;
    }
    Ok(Loaded { organizations, programs })
}

/// The generated catalog of the demo and of benchmarks: `programs` programs
/// over one organization per ten programs (at least 150 for the demo).
pub fn generate(programs: usize, today: NaiveDate) -> DemoCatalog {
    let organizations = (programs / 10).max(150).min(programs.max(1));
    catalog_content::generate(2026, organizations, programs, today)
}
