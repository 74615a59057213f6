//! Who sees which statistics, and the dashboard put together from the
//! figures: an operator counts his municipality, whatever he asks for; the
//! admin the region or the municipality he chooses.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use navigator_shared::FieldErrors;
use navigator_shared::stats::{Dashboard, FormQuery, Format, Range, StatsQuery, Table};

use super::figures::{self, Coverage, Limits};
use super::repo::{self, Charges, Registered};
use crate::AppState;
use crate::auth::AuthUser;
use crate::auth::scope;
use crate::clock::today;
use crate::db::DbConn;
use crate::error::{ApiError, ApiResult};

/// How many organizations a ranking shows.
const TOP: usize = 15;

/// The municipalities counted and how the territory is named.
struct Territory {
    municipality: Option<i64>,
    name: String,
    municipalities: Vec<(i64, String)>,
}

/// The caller's territory narrowed to the municipality asked for: 403 for
/// another municipality than an operator's own, 404 for an unknown one.
fn territory(conn: &mut DbConn, caller: &AuthUser, asked: Option<i64>) -> ApiResult<Territory> {
    let reach = scope::territory(conn, caller)?;
    if let Some(asked) = asked {
        reach.require(asked, "Статистика другого муниципалитета вам недоступна")?;
    }
    let municipality = asked.or(reach.municipality());
    let municipalities = repo::municipalities(conn, municipality)?;
    let name = match municipality {
        None => "Весь регион".to_owned(),
        Some(id) => municipalities
            .iter()
            .find(|(m, _)| *m == id)
            .map(|(_, name)| name.clone())
            .ok_or(ApiError::NotFound { detail: "Муниципалитет не найден" })?,
    };
    Ok(Territory { municipality, name, municipalities })
}

fn names(conn: &mut DbConn, ids: impl IntoIterator<Item = i64>) -> ApiResult<HashMap<i64, String>> {
    let mut ids: Vec<i64> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(repo::organization_names(conn, &ids)?.into_iter().collect())
}

/// The moments (kept in UTC) that bound the range's regional days.
fn moments(Range { from, to }: Range) -> (NaiveDateTime, NaiveDateTime) {
    let end = (to + chrono::Days::new(1)).and_time(NaiveTime::MIN) - crate::clock::REGION_OFFSET;
    (from.and_time(NaiveTime::MIN) - crate::clock::REGION_OFFSET, end)
}

/// The registry's children and certificates.
fn registry(conn: &mut DbConn, municipality: Option<i64>, range: Range) -> ApiResult<(Vec<Registered>, Table)> {
    let bands = navigator_shared::stats::COVERAGE_BANDS.map(|band| band.born(range.to));
    let issued_by = moments(range).1;
    let registered = repo::registered(conn, municipality, bands, issued_by)?;
    let certificates = figures::certificates(&repo::certificates(conn, municipality, issued_by)?);
    Ok((registered, certificates))
}

/// Money, programs and applications: the tables after coverage, the money
/// of the headline and the limits' warnings.
fn activity(
    conn: &mut DbConn,
    municipality: Option<i64>,
    range: Range,
) -> ApiResult<(Vec<Table>, Charges, Vec<String>)> {
    let Range { from, to } = range;
    let within = moments(range);
    let months = (navigator_shared::stats::first_of_month(from), to);
    let by_month = repo::charges_by_month(conn, municipality, months)?;
    let by_organization = repo::charges_by_organization(conn, municipality, months)?;
    let charged = by_month.iter().fold(Charges::default(), |a, (_, c)| a + *c);

    let mut warnings = Vec::new();
    let mut periods = Vec::new();
    for period in repo::periods(conn, municipality, from, to)? {
        warnings.extend(Limits::warnings(&period, &figures::period_label(&period)));
        if period.unit == navigator_shared::funding::Unit::Rub.as_str() {
            periods.push(period);
        }
    }
    let movements = repo::period_movements(conn, &periods.iter().map(|p| p.id).collect::<Vec<_>>())?;
    let periods: Vec<_> = periods
        .into_iter()
        .map(|period| {
            let of: Vec<_> = movements.iter().filter(|m| m.0 == period.id).map(|m| (m.1, m.2)).collect();
            let limits = Limits::of(&period, &of);
            (period, limits)
        })
        .collect();

    let waiting = repo::waiting(conn, municipality)?;
    // Only the organizations shown have their decisions read.
    let ranked = figures::most_decisions(repo::decided_by(conn, municipality, within)?, TOP);
    let shown: Vec<i64> = ranked.iter().map(|r| r.0).collect();
    let decisions = repo::decisions(conn, municipality, &shown, within)?;
    let organizations = names(
        conn,
        by_organization.iter().map(|c| c.0).chain(waiting.iter().map(|w| w.0)).chain(shown.iter().copied()),
    )?;
    let tables = vec![
        figures::limits(&periods),
        figures::charges_by_month(range, &by_month),
        figures::organizations_by_money(&by_organization, &organizations, TOP),
        figures::programs(&repo::programs(conn, municipality)?),
        figures::places(&repo::places(conn, municipality, from, to)?),
        figures::waiting(&waiting, &organizations, TOP),
        figures::applications(&repo::applications(conn, municipality, within)?),
        figures::decision_time(&ranked, &decisions, &organizations),
    ];
    Ok((tables, charged, warnings))
}

/// The dashboard of the caller's territory over the range. Its three parts
/// are read at once, each on a connection of its own: the registry, the
/// studies, and money with programs and applications.
pub async fn dashboard(state: &AppState, caller: AuthUser, query: StatsQuery) -> ApiResult<Dashboard> {
    let asked = query.municipality_id;
    let (range, territory) = state
        .db(move |conn| {
            let range = Range::of(&query, today())?;
            Ok::<_, ApiError>((range, territory(conn, &caller, asked)?))
        })
        .await?;
    let municipality = territory.municipality;
    let ((registered, certificates), (learners, populations), (activity, charged, warnings)) = tokio::try_join!(
        state.db(move |conn| timed("registry", || registry(conn, municipality, range))),
        state.db(move |conn| {
            timed("studies", || {
                let studies = repo::studies(conn, municipality, range.from, range.to)?;
                let populations = repo::populations(conn, range.to.year())?;
                Ok::<_, ApiError>((figures::learners(&studies, range), populations))
            })
        }),
        state.db(move |conn| timed("activity", || activity(conn, municipality, range))),
    )?;

    let coverage = Coverage::new(range, &registered, learners, &populations, &territory.municipalities);
    let mut headline = coverage.headline();
    headline.charged = charged.net();
    headline.average_charge = (charged.charges > 0).then(|| charged.net() / charged.charges);
    let mut tables = vec![coverage.by_month(), coverage.by_age(), coverage.by_sex(), coverage.by_direction()];
    if municipality.is_none() {
        tables.push(coverage.by_municipality());
    }
    tables.extend([coverage.disability(), certificates]);
    tables.extend(activity);
    let Range { from, to } = range;
    Ok(Dashboard { from, to, municipality_id: municipality, territory: territory.name, headline, warnings, tables })
}

/// Runs one part of the dashboard and logs how long it took (`RUST_LOG=navigator_api::stats=debug`).
fn timed<T>(part: &'static str, run: impl FnOnce() -> T) -> T {
    let started = std::time::Instant::now();
    let result = run();
    tracing::debug!(part, ms = started.elapsed().as_secs_f64() * 1000.0, "statistics: a part of the dashboard read");
    result
}

/// «Смоленск, 01.01.2026–31.12.2026».
fn caption(territory: &str, from: NaiveDate, to: NaiveDate) -> String {
    format!("{territory}, {}–{}", from.format("%d.%m.%Y"), to.format("%d.%m.%Y"))
}

/// A file: its bytes, MIME type and name.
pub type File = (Vec<u8>, &'static str, String);

fn file(table: &Table, caption: &str, suffix: &str, format: Format) -> ApiResult<File> {
    let bytes = super::export::file(table, caption, format)?;
    Ok((bytes, super::export::content_type(format), navigator_shared::stats::file_name(&table.key, suffix, format)))
}

/// One table of the dashboard as a file.
pub async fn table(
    state: &AppState,
    caller: AuthUser,
    key: String,
    query: StatsQuery,
    format: Format,
) -> ApiResult<File> {
    let dashboard = dashboard(state, caller, query).await?;
    let table = dashboard
        .tables
        .iter()
        .find(|t| t.key == key)
        .ok_or(ApiError::NotFound { detail: "Такой таблицы статистики нет" })?;
    let suffix = format!("{}_{}", dashboard.from, dashboard.to);
    file(table, &caption(&dashboard.territory, dashboard.from, dashboard.to), &suffix, format)
}

/// The reporting year asked for: the last finished year by default, not in the future.
fn report_year(query: &FormQuery, today: NaiveDate) -> ApiResult<i32> {
    let year = query.year.unwrap_or(today.year() - 1);
    if !(2000..=today.year()).contains(&year) {
        return Err(FieldErrors::one("year", format!("Выберите год с 2000 по {}", today.year())).into());
    }
    Ok(year)
}

/// The form 1-ДОП of a year, with the territory's name.
async fn form_of(state: &AppState, caller: AuthUser, query: FormQuery) -> ApiResult<(Table, String, i32)> {
    state
        .db(move |conn| {
            let year = report_year(&query, today())?;
            let territory = territory(conn, &caller, query.municipality_id)?;
            let (from, to) = (
                NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
                NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
            );
            let studies = repo::studies(conn, territory.municipality, from, to)?;
            Ok::<_, ApiError>((figures::form_1dop(year, &studies), territory.name, year))
        })
        .await
}

/// The form 1-ДОП as a table.
pub async fn form(state: &AppState, caller: AuthUser, query: FormQuery) -> ApiResult<Table> {
    Ok(form_of(state, caller, query).await?.0)
}

/// The form 1-ДОП as a file.
pub async fn form_file(state: &AppState, caller: AuthUser, query: FormQuery, format: Format) -> ApiResult<File> {
    let (table, territory, year) = form_of(state, caller, query).await?;
    file(&table, &format!("{territory}, {year} год"), &year.to_string(), format)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_year_is_last_year_by_default_and_never_ahead() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap_or_default();
        assert_eq!(report_year(&FormQuery::default(), today).ok(), Some(2025));
        assert!(report_year(&FormQuery { year: Some(2027), ..Default::default() }, today).is_err());
    }
}
