//! `make bench`: login throughput with the production argon2 parameters.
//! Starts a real server on SQLite in a temporary folder, creates one confirmed
//! account and signs in from several concurrent clients.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::time::{Duration, Instant};

use navigator_api::Application;
use navigator_api::config::{Config, PasswordCost, RateLimits};
use navigator_shared::accounts::Role;
use navigator_shared::validate::{Email, Password};

const LOGINS: usize = 200;
const CONCURRENCY: usize = 8;

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(&dir.path().join("bench.db").to_string_lossy());
    config.mail_dir = dir.path().join("mail");
    config.password_cost = PasswordCost::default();
    config.rate_limits = RateLimits { login_per_ip: i32::MAX, login_per_account: i32::MAX, ..RateLimits::default() };
    let cost = config.password_cost;
    let app = Application::build(config).await.unwrap();
    let base = app.base_url().to_owned();
    let state = app.state();
    tokio::spawn(app.run_until_stopped());

    let hash = state.passwords.hash(&Password::parse("bench password 1").unwrap()).await.unwrap();
    state
        .db(move |c| {
            let email = Email::parse("bench@example.org").unwrap();
            navigator_api::accounts::service::create_confirmed_account(
                c,
                &email,
                &hash,
                Role::Parent,
                ("Иванова", "Мария", None),
                "+79120000000",
                None,
            )
        })
        .await
        .unwrap();

    let client = reqwest::Client::new();
    let body = serde_json::json!({ "email": "bench@example.org", "password": "bench password 1" });
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..CONCURRENCY {
        let (client, body, url) = (client.clone(), body.clone(), format!("{base}/api/v1/auth/login"));
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            for _ in (worker..LOGINS).step_by(CONCURRENCY) {
                let t = Instant::now();
                let response = client.post(&url).json(&body).send().await.unwrap();
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
    let pct = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p) as usize];
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
        pct(0.5),
        pct(0.95),
        pct(1.0)
    );
}
