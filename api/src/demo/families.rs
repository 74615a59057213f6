//! Families at the region's scale, for the statistics and their benchmark:
//! children of every age and municipality with certificates in every status,
//! last year's finished studies and this year's enrolments, waiting lists,
//! decisions, and contracts paid from the funded certificates month by month
//! with their ledger, the period limits they use and each municipality's
//! population figure. Written in batches straight into the database (the
//! families' forms are not needed here); deterministic for a given size.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use diesel::prelude::*;
use navigator_shared::ages::age_on;
use navigator_shared::applications::ApplicationStatus;
use navigator_shared::catalog::ProgramStatus;
use navigator_shared::children::{DocumentType, Sex, Snils, ValidChild};
use rand::Rng;

use super::catalog_content::Prng;
use super::tables::tables;
use crate::accounts::repo::NewUser;
use crate::crypto::DataCipher;
use crate::db::DbConn;
use crate::db::schema::{
    applications as a, certificates as c, children as ch, contracts as k, funding_periods as fp, ledger_entries as l,
    municipality_populations as mp, program_groups as g, program_modules as pm, programs as p, users as u,
};
use crate::error::ApiResult;
use navigator_shared::accounts::Role;

/// Runs a batch insert on the connection's own backend (a batch insert
/// does not compile for both backends at once): `ids` gives the new ids in
/// the order of the rows, `rows` only writes them.
macro_rules! batch {
    (ids $conn:expr, $insert:expr, $id:expr) => {
        match $conn {
            DbConn::Postgresql(c) => $insert.returning($id).get_results::<i64>(c),
            DbConn::Sqlite(c) => $insert.returning($id).get_results::<i64>(c),
        }
    };
    (rows $conn:expr, $insert:expr) => {
        match $conn {
            DbConn::Postgresql(c) => $insert.execute(c),
            DbConn::Sqlite(c) => $insert.execute(c),
        }
    };
}

/// Rows a batch insert writes at once (a statement stays under SQLite's
/// limit of bound parameters).
const BATCH: usize = 500;

/// What was written.
#[derive(Debug, Default, Clone, Copy)]
pub struct Written {
    pub children: usize,
    pub applications: usize,
    pub contracts: usize,
    pub ledger_entries: usize,
}

/// A group children can be placed in.
#[derive(Debug, Clone)]
struct Place {
    program: i64,
    organization: i64,
    certified: bool,
    group: i64,
    starts: NaiveDate,
    ends: NaiveDate,
    ages: (i32, i32),
    capacity: i32,
    taken: i32,
}

/// One planned application.
struct Planned {
    child: usize,
    place: (bool, usize),
    status: ApplicationStatus,
    created: NaiveDateTime,
    updated: NaiveDateTime,
    decided: Option<NaiveDateTime>,
}

/// Studied in the group: is paid for by a contract.
fn studied(status: ApplicationStatus) -> bool {
    matches!(status, ApplicationStatus::Enrolled | ApplicationStatus::Completed | ApplicationStatus::Expelled)
}

impl Planned {
    /// An application to this year's group `at`, last changed when decided.
    fn this_year(
        child: usize,
        at: usize,
        status: ApplicationStatus,
        created: NaiveDateTime,
        decided: Option<NaiveDateTime>,
    ) -> Planned {
        Planned { child, place: (true, at), status, created, updated: decided.unwrap_or(created), decided }
    }
}

fn midnight(day: NaiveDate) -> NaiveDateTime {
    day.and_time(NaiveTime::MIN)
}

fn month_start(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// The published programs' first groups of this academic year by
/// municipality, with a copy of each for the last academic year.
/// This year's and last year's places of each municipality.
type Places = HashMap<i64, (Vec<Place>, Vec<Place>)>;

fn places(conn: &mut DbConn, today: NaiveDate) -> ApiResult<Places> {
    type GroupRow = (i64, i64, bool, i64, i64, String, String, i32, NaiveDate, NaiveDate, i32, i32);
    let rows: Vec<GroupRow> = g::table
        .inner_join(p::table.on(p::id.eq(g::program_id)))
        .filter(p::status.eq(ProgramStatus::Published))
        .order((g::program_id, g::id))
        .select((
            p::id,
            p::organization_id,
            p::certified,
            p::municipality_id,
            g::id,
            g::teacher,
            g::schedule,
            g::capacity,
            g::start_date,
            g::end_date,
            g::age_min,
            g::age_max,
        ))
        .load(conn)?;
    let mut seen = HashSet::new();
    let mut by_municipality: HashMap<i64, (Vec<Place>, Vec<Place>)> = HashMap::new();
    let now = midnight(today);
    let mut copies = Vec::new();
    // Where each copy went, in the order of `copies`.
    let mut slots = Vec::new();
    for (program, organization, certified, municipality, group, teacher, schedule, capacity, starts, ends, lo, hi) in
        rows
    {
        if !seen.insert(program) || ends < today {
            continue;
        }
        let (last_starts, last_ends) = (starts - Months::new(12), ends - Months::new(12));
        copies.push((
            g::program_id.eq(program),
            g::name.eq("Группа прошлого учебного года"),
            g::teacher.eq(teacher),
            g::schedule.eq(schedule),
            g::capacity.eq(capacity),
            g::enrolled.eq(0),
            g::start_date.eq(last_starts),
            g::end_date.eq(last_ends),
            g::age_min.eq(lo),
            g::age_max.eq(hi),
            g::enrolment_open.eq(false),
            g::created_at.eq(now),
            g::updated_at.eq(now),
        ));
        let place = Place { program, organization, certified, group, starts, ends, ages: (lo, hi), capacity, taken: 0 };
        let last = Place { starts: last_starts, ends: last_ends, ..place.clone() };
        let entry = by_municipality.entry(municipality).or_default();
        entry.0.push(place);
        entry.1.push(last);
        slots.push((municipality, entry.1.len() - 1));
    }
    let mut ids = Vec::with_capacity(copies.len());
    for chunk in copies.chunks(BATCH) {
        ids.extend(batch!(ids conn, diesel::insert_into(g::table).values(chunk), g::id)?);
    }
    for ((municipality, at), id) in slots.into_iter().zip(ids) {
        if let Some(entry) = by_municipality.get_mut(&municipality) {
            entry.1[at].group = id;
        }
    }
    Ok(by_municipality)
}

/// Writes `children` children in families of two, with their certificates,
/// applications, contracts and ledger, on top of the catalog; `password_hash`
/// is the families' password.
pub fn write(
    conn: &mut DbConn,
    cipher: &DataCipher,
    children: usize,
    password_hash: &str,
    today: NaiveDate,
) -> ApiResult<Written> {
    let mut rng = Prng(0x5eed_0000 ^ children as u64);
    let people = &tables().people;
    let now = midnight(today);
    let year = today.year();
    let mut places = places(conn, today)?;
    let mut municipalities: Vec<i64> = places.keys().copied().collect();
    municipalities.sort_unstable();
    if municipalities.is_empty() {
        return Ok(Written::default());
    }
    // Children live where people do: by the municipalities' sizes in the demo's geography.
    let names: HashMap<i64, String> = crate::db::schema::municipalities::table
        .select((crate::db::schema::municipalities::id, crate::db::schema::municipalities::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let weights: Vec<u32> = municipalities
        .iter()
        .map(|id| {
            let weight = tables().geography.municipalities.iter().find(|m| names.get(id) == Some(&m.name));
            weight.map_or(1, |m| m.weight.max(1))
        })
        .collect();
    let homes = rand::distributions::WeightedIndex::new(&weights).map_err(anyhow::Error::from)?;
    // This year's personified periods: (id, nominal).
    let periods: HashMap<i64, (i64, i64)> = fp::table
        .filter(fp::year.eq(year))
        .filter(fp::kind.eq("personified"))
        .select((fp::municipality_id, fp::id, fp::nominal))
        .load::<(i64, i64, i64)>(conn)?
        .into_iter()
        .map(|(m, id, nominal)| (m, (id, nominal)))
        .collect();

    // Parents: one account for two children.
    let families = children.div_ceil(2);
    let emails: Vec<String> = (0..families).map(|n| format!("family{n:06}@stats.example.org")).collect();
    let mut parents = Vec::with_capacity(families);
    for chunk in emails.chunks(BATCH) {
        let rows: Vec<NewUser<'_>> = chunk
            .iter()
            .enumerate()
            .map(|(i, email)| NewUser {
                email,
                password_hash,
                role: Role::Parent,
                phone: "+7 900 000-00-00",
                last_name: &people.surnames[i % people.surnames.len()],
                first_name: &people.female_names[i % people.female_names.len()],
                middle_name: None,
                municipality_id: None,
                birth_date: None,
                email_confirmed_at: Some(now),
                created_at: now,
                updated_at: now,
            })
            .collect();
        parents.extend(batch!(ids conn, diesel::insert_into(u::table).values(&rows), u::id)?);
    }

    // The children, planned before they are written.
    struct Kid {
        municipality: i64,
        birth: NaiveDate,
        open: i32,
    }
    let mut kids = Vec::with_capacity(children);
    let mut data = Vec::with_capacity(children);
    let mut identities = HashSet::new();
    let mut n = 0u64;
    while kids.len() < children {
        n += 1;
        let municipality = municipalities[rand::distributions::Distribution::sample(&homes, &mut rng)];
        let birth = today - TimeDelta::days(rng.gen_range(4 * 365..18 * 365 + 200));
        let sex = if rng.gen_bool(0.5) { Sex::Male } else { Sex::Female };
        let names = if sex == Sex::Male { &people.male_names } else { &people.female_names };
        let surname = &people.surnames[rng.gen_range(0..people.surnames.len())];
        let last = if sex == Sex::Female { feminine(surname) } else { surname.clone() };
        let middle = &people.patronymics[rng.gen_range(0..people.patronymics.len())];
        let child = ValidChild {
            last_name: last,
            first_name: names[rng.gen_range(0..names.len())].clone(),
            middle_name: Some(if sex == Sex::Female { feminine_patronymic(middle) } else { middle.clone() }),
            birth_date: birth,
            sex,
            document_type: DocumentType::BirthCertificate,
            document_series: "I-МП".into(),
            document_number: format!("{:06}", n % 1_000_000),
            document_issued_at: birth + TimeDelta::days(20),
            snils: Snils::with_checksum(&format!("{:09}", 500_000_000 + n)),
            address: "г. Смоленск, ул. Большая Советская, д. 5".into(),
            municipality_id: municipality,
        };
        let row = crate::children::service::to_data(cipher, &child)?;
        if !identities.insert(row.identity_hash.clone()) {
            continue;
        }
        kids.push(Kid { municipality, birth, open: 0 });
        data.push(row);
    }

    // Applications: last year's finished studies, this year's enrolments,
    // and applications waiting, submitted, refused or withdrawn.
    let mut planned: Vec<Planned> = Vec::new();
    let last_year_start = NaiveDate::from_ymd_opt(year - 1, 8, 20).unwrap_or(today);
    for (i, kid) in kids.iter_mut().enumerate() {
        let Some((current, last)) = places.get_mut(&kid.municipality) else { continue };
        let pick = |groups: &[Place], rng: &mut Prng, free: bool| -> Option<usize> {
            for _ in 0..6 {
                let at = rng.gen_range(0..groups.len().max(1));
                let place = groups.get(at)?;
                let age = age_on(kid.birth, place.starts);
                if age >= place.ages.0 && age <= place.ages.1 && (!free || place.taken < place.capacity) {
                    return Some(at);
                }
            }
            None
        };
        if rng.gen_bool(0.8)
            && let Some(at) = pick(last, &mut rng, true)
        {
            last[at].taken += 1;
            let created = midnight(last_year_start) + TimeDelta::hours(rng.gen_range(0..40 * 24));
            let decided = created + TimeDelta::hours(rng.gen_range(2..200));
            let (status, updated) = if rng.gen_bool(0.08) {
                let left = last[at].starts + TimeDelta::days(rng.gen_range(30..200));
                (ApplicationStatus::Expelled, midnight(left.min(last[at].ends)))
            } else {
                (ApplicationStatus::Completed, midnight(last[at].ends))
            };
            planned.push(Planned { child: i, place: (false, at), status, created, updated, decided: Some(decided) });
        }
        let this_year = NaiveDate::from_ymd_opt(year, 8, 20).unwrap_or(today).min(today);
        let applied = |rng: &mut Prng| {
            let days = (today - this_year).num_days().max(1);
            midnight(this_year) + TimeDelta::hours(rng.gen_range(0..days * 24))
        };
        let enrolments = if rng.gen_bool(0.72) { 1 + usize::from(rng.gen_bool(0.3)) } else { 0 };
        let mut taken_groups = HashSet::new();
        for _ in 0..enrolments {
            let Some(at) = pick(current, &mut rng, false) else { continue };
            if !taken_groups.insert(at) {
                continue;
            }
            let created = applied(&mut rng);
            let decided = (created + TimeDelta::hours(rng.gen_range(2..240))).min(now);
            let status = if current[at].taken >= current[at].capacity {
                ApplicationStatus::Waiting
            } else if current[at].starts > today || rng.gen_bool(0.9) {
                current[at].taken += 1;
                ApplicationStatus::Enrolled
            } else {
                current[at].taken += 1;
                ApplicationStatus::Confirmed
            };
            let decided = (status != ApplicationStatus::Waiting).then_some(decided);
            if status.is_open() {
                kid.open += 1;
            }
            planned.push(Planned::this_year(i, at, status, created, decided));
        }
        if rng.gen_bool(0.6)
            && let Some(at) = pick(current, &mut rng, false)
            && taken_groups.insert(at)
        {
            let created = applied(&mut rng);
            let roll: f64 = rng.r#gen();
            let (status, decided) = match roll {
                r if r < 0.35 => (ApplicationStatus::Waiting, None),
                r if r < 0.55 => (ApplicationStatus::Submitted, None),
                r if r < 0.8 => {
                    (ApplicationStatus::Rejected, Some((created + TimeDelta::hours(rng.gen_range(2..300))).min(now)))
                }
                _ => (ApplicationStatus::Cancelled, None),
            };
            if status.holds_place() {
                current[at].taken += 1;
            }
            if status.is_open() {
                kid.open += 1;
            }
            planned.push(Planned::this_year(i, at, status, created, decided));
        }
    }

    // Write the children with their counts of open applications.
    let mut child_ids = Vec::with_capacity(kids.len());
    for (chunk, kids) in data.chunks(BATCH).zip(kids.chunks(BATCH)) {
        let rows: Vec<_> = chunk
            .iter()
            .zip(kids)
            .enumerate()
            .map(|(i, (row, kid))| {
                (
                    row,
                    ch::parent_id.eq(parents[(child_ids.len() + i) / 2 % parents.len()]),
                    ch::created_at.eq(now),
                    ch::open_applications.eq(kid.open),
                )
            })
            .collect();
        child_ids.extend(batch!(ids conn, diesel::insert_into(ch::table).values(rows), ch::id)?);
    }

    // Certificates: most children have one; of the active ones, those who
    // study in a certified program are funded.
    let paid: HashSet<usize> = planned
        .iter()
        .filter(|a| {
            let groups = &places[&kids[a.child].municipality];
            let place = if a.place.0 { &groups.0[a.place.1] } else { &groups.1[a.place.1] };
            place.certified && studied(a.status)
        })
        .map(|a| a.child)
        .collect();
    let mut statuses = Vec::with_capacity(kids.len());
    let mut certificate_rows = Vec::new();
    for (i, kid) in kids.iter().enumerate() {
        let studies = planned.iter().any(|a| a.child == i);
        let roll: f64 = rng.r#gen();
        let status = match roll {
            _ if studies || paid.contains(&i) => Some("active"),
            r if r < 0.62 => Some("active"),
            r if r < 0.72 => Some("pending"),
            r if r < 0.77 => Some("refused"),
            r if r < 0.83 => Some("lapsed"),
            r if r < 0.86 => Some("excluded"),
            _ => None,
        };
        let funded = paid.contains(&i) && periods.contains_key(&kid.municipality);
        statuses.push((status, funded));
        if let Some(status) = status {
            let issued = midnight(today - TimeDelta::days(rng.gen_range(20..700)));
            certificate_rows.push((
                c::child_id.eq(child_ids[i]),
                c::number.eq(format!("{:010}", 5_100_000_000u64 + i as u64)),
                c::kind.eq(if funded { "funded" } else { "accounting" }),
                c::status.eq(status),
                c::documents_due.eq(issued.date() + TimeDelta::days(14)),
                c::activated_at.eq((status == "active").then_some(issued + TimeDelta::days(3))),
                c::created_at.eq(issued),
                c::updated_at.eq(issued),
            ));
        }
    }
    let mut certificate_ids = Vec::with_capacity(certificate_rows.len());
    for chunk in certificate_rows.chunks(BATCH) {
        certificate_ids.extend(batch!(ids conn, diesel::insert_into(c::table).values(chunk), c::id)?);
    }
    let mut certificates = certificate_ids.into_iter();
    let certificate_of: Vec<Option<i64>> =
        statuses.iter().map(|(status, _)| status.and_then(|_| certificates.next())).collect();

    // Applications.
    let mut application_ids = Vec::with_capacity(planned.len());
    for chunk in planned.chunks(BATCH) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|a| {
                let groups = &places[&kids[a.child].municipality];
                let place = if a.place.0 { &groups.0[a.place.1] } else { &groups.1[a.place.1] };
                (
                    a::child_id.eq(child_ids[a.child]),
                    a::group_id.eq(place.group),
                    a::program_id.eq(place.program),
                    a::organization_id.eq(place.organization),
                    a::created_by.eq(parents[a.child / 2 % parents.len()]),
                    a::status.eq(a.status),
                    a::created_at.eq(a.created),
                    a::updated_at.eq(a.updated),
                    a::decided_at.eq(a.decided),
                )
            })
            .collect();
        application_ids.extend(batch!(ids conn, diesel::insert_into(a::table).values(rows), a::id)?);
    }

    // Places taken in this year's groups.
    for (current, last) in places.values() {
        for place in current.iter().chain(last).filter(|p| p.taken > 0) {
            diesel::update(g::table.find(place.group)).set(g::enrolled.eq(g::enrolled + place.taken)).execute(conn)?;
        }
    }

    // Money: each funded certificate gets this year's nominal; each study in a
    // certified program a contract; each ended month of it a charge.
    let credited_on = midnight(NaiveDate::from_ymd_opt(year, 1, 15).unwrap_or(today));
    let mut ledger = Vec::new();
    let mut balances: HashMap<i64, (i64, i64, i64)> = HashMap::new();
    let mut funded: HashMap<i64, (i32, i64)> = HashMap::new();
    for (i, (status, is_funded)) in statuses.iter().enumerate() {
        let (Some(_), true, Some(certificate)) = (status, *is_funded, certificate_of[i]) else { continue };
        let (period, nominal) = periods[&kids[i].municipality];
        ledger.push((certificate, "credit", nominal, Some(period), None, None::<NaiveDate>, credited_on));
        balances.insert(certificate, (nominal, 0, 0));
        let entry = funded.entry(period).or_default();
        entry.0 += 1;
        entry.1 += nominal;
    }
    // Contracts name a module of their program.
    let certified: Vec<i64> =
        places.values().flat_map(|(current, _)| current.iter().filter(|p| p.certified).map(|p| p.program)).collect();
    let mut modules: HashMap<i64, i64> = HashMap::new();
    for chunk in certified.chunks(BATCH) {
        for (program, module) in pm::table
            .filter(pm::program_id.eq_any(chunk))
            .order(pm::id)
            .select((pm::program_id, pm::id))
            .load::<(i64, i64)>(conn)?
        {
            modules.entry(program).or_insert(module);
        }
    }
    let mut contract_rows = Vec::new();
    let mut contract_plans = Vec::new();
    for (a, application) in planned.iter().zip(&application_ids) {
        let Some(certificate) = certificate_of[a.child].filter(|_| statuses[a.child].1) else { continue };
        let groups = &places[&kids[a.child].municipality];
        let place = if a.place.0 { &groups.0[a.place.1] } else { &groups.1[a.place.1] };
        let Some(module) = modules.get(&place.program).filter(|_| place.certified && studied(a.status)) else {
            continue;
        };
        let (_, nominal) = periods[&kids[a.child].municipality];
        // Last year's contracts are paid from January (this year's nominal); this year's from the group's start.
        let first =
            if a.place.0 { month_start(place.starts) } else { NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today) };
        let last = month_start(place.ends);
        // A child who left before the first paid month has no contract.
        if first > last || (a.status == ApplicationStatus::Expelled && a.updated.date() < first) {
            continue;
        }
        let months = ((last.year() - first.year()) * 12 + last.month() as i32 - first.month() as i32 + 1).clamp(1, 9);
        let share = if a.place.0 { 45 } else { 40 };
        let monthly = (nominal * share / 100 / i64::from(months)) / 100 * 100;
        let price = monthly * i64::from(months);
        let (available, reserved, spent) = balances.get(&certificate).copied().unwrap_or_default();
        if price == 0 || price > available {
            continue;
        }
        let ended = match a.status {
            ApplicationStatus::Expelled => month_start(a.updated.date()),
            _ => month_start(today),
        };
        let charged_months: Vec<NaiveDate> =
            (0..months).map(|m| first + Months::new(m.unsigned_abs())).filter(|m| *m < ended).collect();
        let charged = monthly * charged_months.len() as i64;
        let (status, released, ended_at) = match a.status {
            ApplicationStatus::Expelled => ("terminated", price - charged, Some(a.updated)),
            _ if charged == price => ("completed", 0, Some(midnight(last + Months::new(1)))),
            _ => ("active", 0, None),
        };
        let accepted = a.decided.unwrap_or(a.created).max(credited_on);
        balances.insert(
            certificate,
            (available - price + released, reserved + price - charged - released, spent + charged),
        );
        contract_rows.push((
            k::application_id.eq(*application),
            k::certificate_id.eq(certificate),
            k::module_id.eq(*module),
            k::organization_id.eq(place.organization),
            k::price.eq(price),
            k::months.eq(months),
            k::first_month.eq(first),
            k::status.eq(status),
            k::charged.eq(charged),
            k::accepted_at.eq(Some(accepted)),
            k::ended_at.eq(ended_at),
            k::created_at.eq(accepted),
            k::updated_at.eq(accepted),
            k::account.eq("personified"),
        ));
        contract_plans.push((certificate, price, monthly, charged_months, released, accepted, ended_at));
    }
    let mut contract_ids = Vec::with_capacity(contract_rows.len());
    for chunk in contract_rows.chunks(BATCH) {
        contract_ids.extend(batch!(ids conn, diesel::insert_into(k::table).values(chunk), k::id)?);
    }
    for (contract, (certificate, price, monthly, months, released, accepted, ended_at)) in
        contract_ids.iter().zip(&contract_plans)
    {
        ledger.push((*certificate, "reserve", *price, None, Some(*contract), None, *accepted));
        for month in months {
            let at = midnight(*month + Months::new(1)) + TimeDelta::hours(2);
            ledger.push((*certificate, "charge", *monthly, None, Some(*contract), Some(*month), at));
        }
        if *released > 0 {
            ledger.push((*certificate, "release", *released, None, Some(*contract), None, ended_at.unwrap_or(now)));
        }
    }
    for chunk in ledger.chunks(BATCH) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(certificate, kind, amount, period, contract, month, at)| {
                (
                    l::certificate_id.eq(*certificate),
                    l::kind.eq(*kind),
                    l::amount.eq(*amount),
                    l::period_id.eq(*period),
                    l::contract_id.eq(*contract),
                    l::month.eq(*month),
                    l::reason.eq("Демонстрационные данные"),
                    l::created_at.eq(*at),
                    l::account.eq("personified"),
                )
            })
            .collect();
        batch!(rows conn, diesel::insert_into(l::table).values(&rows))?;
    }
    for (certificate, (available, reserved, spent)) in &balances {
        diesel::update(c::table.find(*certificate))
            .set((
                c::credited.eq(available + reserved + spent),
                c::available.eq(available),
                c::reserved.eq(reserved),
                c::spent.eq(spent),
            ))
            .execute(conn)?;
    }
    // The periods' limits: the largest municipality's nearly used up, the others with room.
    let mut funded: Vec<_> = funded.into_iter().collect();
    funded.sort_unstable_by_key(|(period, (count, _))| (std::cmp::Reverse(*count), *period));
    for (n, (period, (count, volume))) in funded.into_iter().enumerate() {
        let room = if n == 0 { 0.95 } else { 0.7 };
        let max_count = ((f64::from(count) / room).ceil() as i32).max(1);
        let max_volume = ((volume as f64 / room).ceil() as i64).max(1);
        diesel::update(fp::table.find(period))
            .set((
                fp::funded_count.eq(fp::funded_count + count),
                fp::funded_volume.eq(fp::funded_volume + volume),
                fp::max_certificates.eq(fp::funded_count + max_count),
                fp::max_volume.eq(fp::funded_volume + max_volume),
            ))
            .execute(conn)?;
    }
    // Each municipality's children of 5–18, a little more than the registry knows.
    for municipality in &municipalities {
        let registered = kids
            .iter()
            .filter(|k| k.municipality == *municipality && navigator_shared::stats::of_coverage_age(k.birth, today))
            .count() as i64;
        for (y, share) in [(year - 1, 0.82), (year, 0.78)] {
            let children = (registered as f64 / share).round() as i64;
            diesel::delete(mp::table.filter(mp::municipality_id.eq(municipality)).filter(mp::year.eq(y)))
                .execute(conn)?;
            diesel::insert_into(mp::table)
                .values((
                    mp::municipality_id.eq(municipality),
                    mp::year.eq(y),
                    mp::children.eq(children),
                    mp::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
    }
    Ok(Written {
        children: kids.len(),
        applications: application_ids.len(),
        contracts: contract_ids.len(),
        ledger_entries: ledger.len(),
    })
}

/// «Иванова» of «Иванов», «Островская» of «Островский».
fn feminine(surname: &str) -> String {
    match surname.strip_suffix("ий") {
        Some(stem) => format!("{stem}ая"),
        None => format!("{surname}а"),
    }
}

/// «Ивановна» of «Иванович».
fn feminine_patronymic(patronymic: &str) -> String {
    format!("{}на", patronymic.strip_suffix("ич").unwrap_or(patronymic))
}
