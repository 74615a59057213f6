//! `make bench`: login throughput with the production argon2 parameters.
//! Starts a real server on SQLite in a temporary folder, creates one confirmed
//! account and signs in from several concurrent clients.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod common;

use std::time::{Duration, Instant};

use common::{Bench, percentile};
use navigator_api::config::{PasswordCost, RateLimits};

const LOGINS: usize = 200;
const CONCURRENCY: usize = 8;

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let cost = PasswordCost::default();
    let bench = Bench::start(|config| {
        config.password_cost = cost;
        config.rate_limits =
            RateLimits { login_per_ip: i32::MAX, login_per_account: i32::MAX, ..RateLimits::default() };
    })
    .await;
    bench.parent("bench@example.org").await;

    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..CONCURRENCY {
        let bench_base = bench.base.clone();
        let client = bench.client.clone();
        tasks.push(tokio::spawn(async move {
            let body = serde_json::json!({ "email": "bench@example.org", "password": common::PASSWORD });
            let mut latencies = Vec::new();
            for _ in (worker..LOGINS).step_by(CONCURRENCY) {
                let t = Instant::now();
                let response = client.post(format!("{bench_base}/api/v1/auth/login")).json(&body).send().await.unwrap();
                assert_eq!(response.status(), 200);
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut latencies: Vec<Duration> = Vec::new();
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    let elapsed = started.elapsed();
    latencies.sort();
    println!(
        "argon2id m={} KiB t={} p={}: {LOGINS} logins, {CONCURRENCY} concurrent clients, {} cores",
        cost.memory_kib,
        cost.iterations,
        cost.parallelism,
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    );
    println!(
        "throughput {:.1} logins/s; latency p50 {:?}, p95 {:?}, max {:?}",
        LOGINS as f64 / elapsed.as_secs_f64(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.95),
        percentile(&latencies, 1.0)
    );
}
