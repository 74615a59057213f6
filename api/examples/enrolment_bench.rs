//! `make bench`: the enrolment rush. A real server on SQLite (or on
//! PostgreSQL when `BENCH_DATABASE_URL` names an empty database); 1,000
//! children with active certificates send 10,000 applications to 400 groups
//! of 20 places, 64 at a time. Reports throughput and latencies and checks
//! that no group took more children than it has places.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

mod common;

use chrono::{Datelike, NaiveDate, Utc};
use common::{Bench, percentile};
use futures_util::stream::{self, StreamExt};
use navigator_api::demo::people::{self, Kid};
use navigator_shared::accounts::Role;
use navigator_shared::children::Sex;
use serde_json::json;

const CHILDREN: usize = 1_000;
const GROUPS: usize = 400;
const CAPACITY: i32 = 20;
const APPLICATIONS_EACH: usize = 10;
const IN_FLIGHT: usize = 64;

/// SQL statements the server ran, counted by diesel's instrumentation.
static STATEMENTS: AtomicU64 = AtomicU64::new(0);

fn count_statements(event: diesel::connection::InstrumentationEvent<'_>) {
    if let diesel::connection::InstrumentationEvent::StartQuery { query, .. } = event {
        STATEMENTS.fetch_add(1, Ordering::Relaxed);
        if TRACE.load(Ordering::Relaxed) {
            eprintln!("SQL {query}");
        }
    }
}

/// Whether the statements of the rush are printed (`TRACE_SQL=1`, with a
/// small rush: `APPLICATIONS=3`).
static TRACE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    diesel::connection::set_default_instrumentation(|| Some(Box::new(count_statements)))
        .expect("instrumentation is set once, before any connection");
    let bench = Bench::start(|c| c.max_open_applications = APPLICATIONS_EACH as i32).await;
    let state = bench.state.clone();
    let municipality =
        state.db(|c| navigator_api::reference::repo::add_municipality(c, "город Смоленск", None)).await.unwrap();
    let input = navigator_shared::organizations::OrganizationInput {
        name: "Центр детского творчества".into(),
        inn: navigator_shared::validate::Inn::with_checksum(671_234_567).as_str().to_owned(),
        kind: Some(navigator_shared::organizations::OrganizationKind::Education),
        municipality_id: municipality,
        address: "г. Смоленск, ул. Николаева, д. 3".into(),
        phone: "+7 4812 31-00-00".into(),
        is_provider: true,
        ..Default::default()
    };
    let organization = state.db(move |c| navigator_api::organizations::service::insert(c, &input)).await.unwrap();
    let staff = bench.account("staff@example.org", Role::OrgStaff).await;
    state.db(move |c| navigator_api::accounts::repo::set_organization(c, staff, organization)).await.unwrap();
    let token = bench.login("staff@example.org").await;
    let parent = bench.account("family@example.org", Role::Parent).await;

    let setup = Instant::now();
    let groups = state
        .db(move |c| {
            use navigator_api::catalog::repo;
            let now = navigator_api::notifications::now();
            let start = Utc::now().date_naive().with_day(1).unwrap();
            let mut groups = Vec::new();
            for p in 0..GROUPS / 4 {
                let input: navigator_shared::catalog::ProgramInput = serde_json::from_value(json!({
                    "title": format!("Робототехника, поток {p}"), "description": "Сборка и программирование роботов.",
                    "goals": "Интерес к технике", "direction": "technical", "profile": "робототехника", "level": "start",
                    "age_min": 7, "age_max": 12, "municipality_id": municipality,
                    "address": "г. Смоленск, ул. Николаева, д. 3", "lat": 54.78, "lon": 32.04, "duration_months": 9,
                    "teachers": ["Орлов Пётр Ильич"], "cost_type": "free",
                    "contact_name": "Орлов Пётр Ильич", "contact_phone": "+7 4812 31-00-01", "contact_email": "club@example.org",
                }))
                .unwrap();
                let data = repo::ProgramData::new(input.validate().unwrap(), now);
                let published = repo::Published { certified: false, rating: None, applications_count: 0, published_at: now };
                let program = repo::insert_published(c, organization, &data, &published)?;
                for g in 0..4 {
                    let group: navigator_shared::catalog::GroupInput = serde_json::from_value(json!({
                        "name": format!("Группа {}", g + 1), "teacher": "Орлов Пётр Ильич",
                        "schedule": [{ "weekday": 2, "start": "16:00", "end": "17:30" }],
                        "capacity": CAPACITY, "start_date": start, "end_date": start + chrono::TimeDelta::days(240),
                        "age_min": 7, "age_max": 12, "enrolment_open": true,
                    }))
                    .unwrap();
                    groups.push(repo::insert_group(c, program, &repo::GroupData::new(group, now))?);
                }
            }
            Ok::<_, navigator_api::error::ApiError>(groups)
        })
        .await
        .unwrap();
    let cipher = state.cipher.clone();
    let numbers = state
        .db(move |c| {
            let birth = NaiveDate::from_ymd_opt(Utc::now().year() - 9, 3, 1).unwrap();
            let mut numbers = Vec::new();
            for n in 0..CHILDREN {
                let (snils, first) = (format!("{:09}", 300_000_000 + n * 7), format!("Ребёнок{n}"));
                let kid = Kid {
                    last: "Петров",
                    first: &first,
                    middle: "Иванович",
                    birth,
                    sex: Sex::Male,
                    snils: &snils,
                    municipality,
                };
                let child = people::child(c, &cipher, parent, &kid)?.unwrap();
                let number = format!("{}", 6_800_000_000u64 + n as u64);
                people::certificate(c, child, &number, "active", None)?;
                numbers.push(number);
            }
            Ok::<_, navigator_api::error::ApiError>(numbers)
        })
        .await
        .unwrap();
    println!("setup: {GROUPS} groups, {CHILDREN} children in {:.1} s", setup.elapsed().as_secs_f64());

    // Child n applies to ten groups spread over the catalog.
    let mut requests = Vec::new();
    for (n, number) in numbers.iter().enumerate() {
        for k in 0..APPLICATIONS_EACH {
            let group = groups[(n * 37 + k * 41) % groups.len()];
            requests.push(json!({ "certificate_number": number, "group_id": group }));
        }
    }
    let started = Instant::now();
    let statements_before = STATEMENTS.load(Ordering::Relaxed);
    TRACE.store(std::env::var("TRACE_SQL").is_ok(), Ordering::Relaxed);
    if let Some(limit) = std::env::var("APPLICATIONS").ok().and_then(|n| n.parse().ok()) {
        requests.truncate(limit);
    }
    let (client, base) = (bench.client.clone(), bench.base.clone());
    let results: Vec<(u16, Duration)> = stream::iter(requests.into_iter().map(|body| {
        let (client, base, token) = (client.clone(), base.clone(), token.clone());
        async move {
            let t = Instant::now();
            let response = client
                .post(format!("{base}/api/v1/applications"))
                .bearer_auth(&token)
                .json(&body)
                .send()
                .await
                .unwrap();
            (response.status().as_u16(), t.elapsed())
        }
    }))
    .buffer_unordered(IN_FLIGHT)
    .collect()
    .await;
    let elapsed = started.elapsed();
    let statements = STATEMENTS.load(Ordering::Relaxed) - statements_before;
    let mut latencies: Vec<Duration> = results.iter().map(|(_, d)| *d).collect();
    latencies.sort();
    let created = results.iter().filter(|(s, _)| *s == 201).count();
    let refused = results.len() - created;

    let (over, held, waiting) = state
        .db(move |c| {
            use diesel::prelude::*;
            use navigator_api::db::schema::{applications as a, program_groups as g};
            let over: i64 = g::table.filter(g::enrolled.gt(g::capacity)).count().get_result(c)?;
            let held: i64 =
                a::table.filter(a::status.eq_any(["submitted", "confirmed", "enrolled"])).count().get_result(c)?;
            let places: Option<i64> = g::table.select(diesel::dsl::sum(g::enrolled)).first(c)?;
            assert_eq!(Some(held), places, "places held by applications equal the groups' counters");
            let waiting: i64 = a::table.filter(a::status.eq("waiting")).count().get_result(c)?;
            Ok::<_, diesel::result::Error>((over, held, waiting))
        })
        .await
        .unwrap();
    let backend = if bench.is_postgres() { "PostgreSQL" } else { "SQLite" };
    println!(
        "enrolment rush ({backend}): {} applications in {:.1} s = {:.0}/s, p50 {:?}, p99 {:?}; \
         {created} created ({held} holding a place, {waiting} waiting), {refused} refused; \
         groups over capacity: {over}; {:.1} SQL statements per application",
        results.len(),
        elapsed.as_secs_f64(),
        results.len() as f64 / elapsed.as_secs_f64(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        statements as f64 / results.len() as f64,
    );
    common::goal(
        "enrolment rush, applications/s",
        backend,
        &format!("{:.0}", results.len() as f64 / elapsed.as_secs_f64()),
    );
    common::goal(
        "SQL statements per application",
        backend,
        &format!("{:.1}", statements as f64 / results.len() as f64),
    );
    common::goal("groups over capacity after the rush", backend, &over.to_string());
    assert_eq!(over, 0, "a group took more children than it has places");
    assert!(held <= GROUPS as i64 * i64::from(CAPACITY));
    assert_eq!((held + waiting) as usize, created, "every created application holds a place or waits");
}
