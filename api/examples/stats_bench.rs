//! `make bench`: the operator's statistics at the region's scale. A real
//! server on SQLite (or on PostgreSQL when `BENCH_DATABASE_URL` names an empty
//! database) with the demo catalog of 20,000 programs and families of
//! `BENCH_CHILDREN` (200,000) children — their certificates, about two
//! applications and three quarters of a contract each, with the ledger. The
//! dashboard is asked for with a different range and territory every time
//! (the whole region every fourth time, the municipalities in turn between, ranges of one to twenty-four months
//! ending on different days), beside `/healthz` in the same run; once the
//! catalog index has taken in the seeded programs, and without the
//! housekeeping's passes (a bulk load's first one charges the seeded months).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::time::{Duration, Instant};

mod common;

use chrono::{Datelike, Months, TimeDelta};
use common::{Bench, goal, percentile};
use navigator_api::demo::{self, Size};

const PROGRAMS: usize = 20_000;
/// Dashboards asked for.
const REQUESTS: usize = 60;

async fn time(client: &reqwest::Client, url: &str, token: Option<&str>) -> Duration {
    let mut request = client.get(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let started = Instant::now();
    let response = request.send().await.unwrap();
    assert!(response.status().is_success(), "{url}: {}", response.status());
    response.bytes().await.unwrap();
    started.elapsed()
}

/// The CPU time this process has used: user and system, in clock ticks
/// (`/proc/self/stat`).
fn cpu_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command's `)`: state is the first, utime the 12th, stime the 13th.
    let fields: Vec<&str> =
        stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    fields.get(11..13).map_or(0, |t| t.iter().filter_map(|v| v.parse::<u64>().ok()).sum())
}

/// Waits until the server is quiet: the catalog's poll has indexed the
/// seeded programs when two seconds go by with under a quarter of a core used
/// (the polls of mail, webhooks and the catalog take some all the time).
async fn settle() {
    loop {
        let before = cpu_ticks();
        tokio::time::sleep(Duration::from_secs(2)).await;
        if cpu_ticks().saturating_sub(before) < 50 {
            return;
        }
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let children: usize = std::env::var("BENCH_CHILDREN").ok().and_then(|n| n.parse().ok()).unwrap_or(200_000);
    // The housekeeping's pass after a bulk load (charging the seeded months)
    // is not the dashboard's cost: it does not run during the measurement.
    let bench = Bench::start(|c| c.housekeeping_every = Duration::from_secs(3600)).await;
    let backend = if bench.is_postgres() { "PostgreSQL" } else { "SQLite" };
    let started = Instant::now();
    assert!(demo::seed_if_empty(&bench.state, Size { programs: PROGRAMS, children }).await.unwrap());
    let (applications, contracts): (i64, i64) = bench
        .state
        .db(|c| {
            use diesel::prelude::*;
            use navigator_api::db::schema::{applications, contracts};
            Ok::<_, diesel::result::Error>((
                applications::table.count().get_result(c)?,
                contracts::table.count().get_result(c)?,
            ))
        })
        .await
        .unwrap();
    println!(
        "{backend}: seeded {PROGRAMS} programs, {children} children, {applications} applications, \
         {contracts} contracts in {:.0} s",
        started.elapsed().as_secs_f64()
    );

    let body = serde_json::json!({ "email": "admin@example.org", "password": demo::PASSWORD });
    let login: serde_json::Value = bench
        .client
        .post(format!("{}/api/v1/auth/login", bench.base))
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().unwrap().to_owned();
    let municipalities: Vec<i64> = bench
        .state
        .db(|c| navigator_api::reference::repo::municipalities(c, 1, 200))
        .await
        .unwrap()
        .0
        .iter()
        .map(|m| m.id)
        .collect();

    // The catalog's poll indexes the 20,000 seeded programs: measured after it
    // (on Linux; elsewhere at once).
    settle().await;
    // Warm the connections once, then measure.
    time(&bench.client, &format!("{}/healthz", bench.base), None).await;
    let today = navigator_api::clock::today();
    let (mut region, mut municipality, mut health) = (Vec::new(), Vec::new(), Vec::new());
    let mut slowest = Vec::new();
    for i in 0..REQUESTS {
        let to = today - TimeDelta::days((i * 7 % 300) as i64);
        let from = (to - Months::new(1 + (i * 5 % 24) as u32)).with_day(1).unwrap_or(to);
        // Every fourth the whole region (15 of 60), the others the municipalities in turn.
        let territory = if i % 4 == 0 { None } else { municipalities.get((i - i / 4) % municipalities.len()) };
        let url = match territory {
            Some(id) => format!("{}/api/v1/stats/dashboard?from={from}&to={to}&municipality_id={id}", bench.base),
            None => format!("{}/api/v1/stats/dashboard?from={from}&to={to}", bench.base),
        };
        let took = time(&bench.client, &url, Some(&token)).await;
        slowest.push((took, url.replace(&bench.base, "")));
        if territory.is_some() {
            municipality.push(took)
        } else {
            region.push(took)
        }
        health.push(time(&bench.client, &format!("{}/healthz", bench.base), None).await);
    }
    let mut all: Vec<Duration> = region.iter().chain(&municipality).copied().collect();
    for list in [&mut all, &mut region, &mut municipality, &mut health] {
        list.sort();
    }
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    for (took, url) in slowest.iter().take(3) {
        println!("{backend}: slowest {} {url}", ms(*took));
    }
    let form = time(&bench.client, &format!("{}/api/v1/stats/form-1dop", bench.base), Some(&token)).await;
    let xlsx = time(
        &bench.client,
        &format!("{}/api/v1/stats/tables/coverage_by_municipality?format=xlsx", bench.base),
        Some(&token),
    )
    .await;
    println!(
        "{backend}: dashboard of {} varied requests p50 {:?}, p95 {:?} (the region: p95 {:?} of {}; \
         a municipality: p95 {:?} of {}); /healthz p50 {:?}; form 1-ДОП {:?}; XLSX of a table {:?}",
        all.len(),
        percentile(&all, 0.5),
        percentile(&all, 0.95),
        percentile(&region, 0.95),
        region.len(),
        percentile(&municipality, 0.95),
        municipality.len(),
        percentile(&health, 0.5),
        form,
        xlsx,
    );
    let scale = format!("{children} children");
    goal(&format!("statistics dashboard p95 ({scale})"), backend, &ms(percentile(&all, 0.95)));
    goal(&format!("statistics dashboard p95, whole region ({scale})"), backend, &ms(percentile(&region, 0.95)));
    goal("/healthz p50 beside the dashboard", backend, &ms(percentile(&health, 0.5)));
}
