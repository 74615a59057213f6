//! What the benchmarks share: a real server in a temporary folder, accounts,
//! latency percentiles, and a webhook receiver ([`receiver`]).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod receiver;

use std::time::Duration;

use actix_web::web::Data;
use navigator_api::config::Config;
use navigator_api::{AppState, Application};
use navigator_shared::accounts::Role;
use navigator_shared::validate::{Email, Password};

pub const PASSWORD: &str = "bench password 1";

pub struct Bench {
    pub base: String,
    pub state: Data<AppState>,
    pub client: reqwest::Client,
    _dir: tempfile::TempDir,
}

impl Bench {
    /// Starts the server on `BENCH_DATABASE_URL` or a fresh SQLite file.
    pub async fn start(adjust: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let url = std::env::var("BENCH_DATABASE_URL")
            .unwrap_or_else(|_| dir.path().join("bench.db").to_string_lossy().into());
        let mut config = Config::for_tests(&url);
        config.mail_dir = dir.path().join("mail");
        adjust(&mut config);
        let app = Application::build(config).await.unwrap();
        let base = app.base_url().to_owned();
        let state = app.state();
        tokio::spawn(app.run_until_stopped());
        Self { base, state, client: reqwest::Client::new(), _dir: dir }
    }

    pub fn is_postgres(&self) -> bool {
        std::env::var("BENCH_DATABASE_URL").is_ok_and(|u| u.starts_with("postgres"))
    }

    /// A confirmed parent account with the bench password.
    pub async fn parent(&self, email: &str) {
        self.account(email, Role::Parent).await;
    }

    /// A confirmed account of `role` with the bench password; its id.
    pub async fn account(&self, email: &str, role: Role) -> i64 {
        let hash = self.state.passwords.hash(&Password::parse(PASSWORD).unwrap()).await.unwrap();
        let email = Email::parse(email).unwrap();
        self.state
            .db(move |c| {
                navigator_api::accounts::service::create_confirmed_account(
                    c,
                    &email,
                    &hash,
                    role,
                    ("Иванова", "Мария", None),
                    "+79120000000",
                    None,
                )
            })
            .await
            .unwrap()
            .unwrap()
    }

    /// Signs in and returns the access token.
    pub async fn login(&self, email: &str) -> String {
        let body = serde_json::json!({ "email": email, "password": PASSWORD });
        let response = self.client.post(format!("{}/api/v1/auth/login", self.base)).json(&body).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let login: serde_json::Value = response.json().await.unwrap();
        login["access_token"].as_str().unwrap().to_owned()
    }
}

/// The `p`-th percentile of sorted latencies.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p) as usize]
}

/// Adds a row to the goals' table `make bench` prints at its end
/// (scripts/bench-table.py): what was measured, on which backend, the value.
/// Without `BENCH_SUMMARY` nothing is written.
pub fn goal(what: &str, backend: &str, value: &str) {
    use std::io::Write as _;
    let Some(path) = std::env::var_os("BENCH_SUMMARY") else { return };
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(path).expect("the summary file opens");
    writeln!(file, "{what}|{backend}|{value}").expect("the summary file takes a row");
}
