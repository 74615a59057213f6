//! `make bench`: certificate issue throughput. A real server on SQLite (or on
//! PostgreSQL when `BENCH_DATABASE_URL` names an empty database), several
//! families adding children and pressing «Получить сертификат» at once.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::time::{Duration, Instant};

mod common;

use common::{Bench, percentile};
use navigator_shared::children::Snils;
use serde_json::json;

const FAMILIES: usize = 8;
const CHILDREN_EACH: usize = 40;

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let bench = Bench::start(|_| {}).await;
    let (state, base, client) = (bench.state.clone(), bench.base.clone(), bench.client.clone());
    let municipality =
        state.db(|c| navigator_api::reference::repo::add_municipality(c, "город Смоленск", None)).await.unwrap();
    let mut tokens = Vec::new();
    for family in 0..FAMILIES {
        let email = format!("family{family}@example.org");
        bench.parent(&email).await;
        tokens.push(bench.login(&email).await);
    }

    let started = Instant::now();
    let mut tasks = Vec::new();
    for (family, token) in tokens.into_iter().enumerate() {
        let (client, base) = (client.clone(), base.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            for n in 0..CHILDREN_EACH {
                let serial = 100_000_000 + family * 1_000 + n;
                let child = json!({
                    "last_name": "Петрова", "first_name": "Анна", "middle_name": format!("Вариант{}", roman(serial)),
                    "birth_date": "2016-04-12", "sex": "female", "document_type": "birth_certificate",
                    "document_series": "IV-АК", "document_number": "123456", "document_issued_at": "2016-05-01",
                    "snils": Snils::with_checksum(&serial.to_string()).formatted(),
                    "address": "г. Смоленск, ул. Ленина, д. 1", "municipality_id": municipality,
                });
                let created: serde_json::Value = client
                    .post(format!("{base}/api/v1/children"))
                    .bearer_auth(&token)
                    .json(&child)
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                let id = created["id"].as_i64().unwrap_or_else(|| panic!("{created}"));
                let t = Instant::now();
                let response = client
                    .post(format!("{base}/api/v1/children/{id}/certificate"))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 201);
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
    let pct = |p: f64| percentile(&latencies, p);
    let backend = if bench.is_postgres() { "PostgreSQL" } else { "SQLite" };
    println!(
        "{backend}: {} children added and certificates issued by {FAMILIES} concurrent families in {:.1} s \
         ({:.0} child+certificate pairs/s); certificate request p50 {:?}, p95 {:?}",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        pct(0.5),
        pct(0.95)
    );
}

/// Letters for a middle-name variant, so that every child is a different person.
fn roman(mut n: usize) -> String {
    let letters = ['а', 'б', 'в', 'г', 'д', 'е', 'ж', 'з', 'и', 'к'];
    let mut out = String::new();
    while n > 0 {
        out.push(letters[n % 10]);
        n /= 10;
    }
    out
}
