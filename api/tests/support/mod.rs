//! Test harness: a real server on a random port with its own database
//! (a temporary SQLite file or a fresh PostgreSQL database) and mail folder.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use diesel::RunQueryDsl;
use navigator_api::AppState;
use navigator_api::config::Config;
pub use navigator_test_support::{Backend, TestDb};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

/// Generates, for each `async fn name(backend: Backend)`, a module `name`
/// with the tests `sqlite` and `postgres`.
#[macro_export]
macro_rules! both_backends {
    ($($(#[$meta:meta])* async fn $name:ident($backend:ident: Backend) $body:block)*) => {
        $(
            $(#[$meta])*
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                async fn run($backend: Backend) $body

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    run(Backend::Sqlite).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    run(Backend::Postgres).await
                }
            }
        )*
    };
}

/// The secrets of `Config::for_tests`, for a server process that must read
/// what the in-process one wrote.
const TEST_JWT_SECRET: &str = "test-jwt-secret-test-jwt-secret-0";
pub const TEST_DATA_KEY: &str = "test-data-key-test-data-key-test";

/// A server running as its own process; killed with the value.
pub struct ServerProcess {
    child: std::process::Child,
    base: String,
    _mail: tempfile::TempDir,
}

impl ServerProcess {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Waits for the process to end by itself; whether it succeeded.
    pub fn wait(&mut self) -> std::process::ExitStatus {
        self.child.wait().unwrap()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub mail_dir: PathBuf,
    pub state: actix_web::web::Data<AppState>,
    pub backend: Backend,
    server: actix_web::dev::ServerHandle,
    database_url: String,
    /// The database this app dropped with it (none over another's).
    _db: Option<TestDb>,
    _mail: tempfile::TempDir,
}

pub const PASSWORD: &str = "correct horse battery";

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, |_| {}).await
    }

    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> Self {
        let db = TestDb::new(backend);
        Self::spawn_over(backend, db.url.clone(), Some(db), adjust).await
    }

    /// A second instance over the database of another (it does not drop it).
    pub async fn spawn_on(backend: Backend, url: &str) -> Self {
        Self::spawn_over(backend, url.to_owned(), None, |_| {}).await
    }

    pub fn database_url(&self) -> String {
        self.database_url.clone()
    }

    async fn spawn_over(
        backend: Backend,
        database_url: String,
        db: Option<TestDb>,
        adjust: impl FnOnce(&mut Config),
    ) -> Self {
        let mail = tempfile::tempdir().unwrap();
        let mut config = Config::for_tests(&database_url);
        config.mail_dir = mail.path().to_owned();
        config.web_dist = mail.path().join("no-web-client");
        adjust(&mut config);
        let navigator_test_support::RunningServer { base, state, handle: server } =
            navigator_test_support::start(config).await;
        // Idle connections are dropped before the server's keep-alive (5 s) ends them, so
        // a request never goes out on a connection the server is closing.
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(Duration::from_secs(2))
            .build()
            .unwrap();
        let mail_dir = mail.path().to_owned();
        Self { base, client, mail_dir, state, backend, server, database_url, _db: db, _mail: mail }
    }

    /// Today by the server's clock.
    pub fn today(&self) -> chrono::NaiveDate {
        self.state.config.clock.today()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The server binary as a process of its own over this app's database and
    /// secrets, with `env` added: a server a test can see die.
    pub async fn process(&self, env: &[(&str, &str)]) -> ServerProcess {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mail = tempfile::tempdir().unwrap();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_navigator"))
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("DATABASE_URL", self.database_url())
            .env("BIND_ADDR", format!("127.0.0.1:{port}"))
            .env("JWT_SECRET", TEST_JWT_SECRET)
            .env("DATA_KEY", TEST_DATA_KEY)
            .env("MAIL_DIR", mail.path())
            .env("WEB_DIST", mail.path().join("no-web-client"))
            .env("RUST_LOG", "error")
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("the server binary starts");
        let process = ServerProcess { child, base: format!("http://127.0.0.1:{port}"), _mail: mail };
        let started = Instant::now();
        while reqwest::get(process.url("/healthz")).await.is_err() {
            assert!(started.elapsed() < Duration::from_secs(60), "the server process did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        process
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        let mut request = self.client.get(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap()
    }

    pub async fn post(&self, path: &str, body: Value) -> Response {
        self.client.post(self.url(path)).json(&body).send().await.unwrap()
    }

    pub async fn send(&self, method: reqwest::Method, path: &str, token: &str, body: Value) -> Response {
        self.client.request(method, self.url(path)).bearer_auth(token).json(&body).send().await.unwrap()
    }

    /// A child of `parent` in `municipality` («Петров Ребёнок{n}», born
    /// `birth`) with a certificate in `status` (`none`: without one):
    /// (child id, certificate number).
    pub async fn child_with_certificate(
        &self,
        municipality: i64,
        parent: i64,
        n: u32,
        birth: chrono::NaiveDate,
        status: &'static str,
    ) -> (i64, String) {
        use navigator_api::demo::people::{self, Kid};
        let cipher = self.state.cipher.clone();
        self.state
            .db(move |c| {
                let snils = format!("{:09}", 200_000_000 + n * 7);
                let first = format!("Ребёнок{n}");
                let kid = Kid {
                    last: "Петров",
                    first: &first,
                    middle: "Иванович",
                    birth,
                    sex: navigator_shared::children::Sex::Male,
                    snils: &snils,
                    municipality,
                };
                let id = people::child(c, &cipher, parent, &kid)?.unwrap();
                let number = format!("{:010}", 6_700_000_000u64 + u64::from(n));
                if status != "none" {
                    people::certificate(c, id, &number, status, None)?;
                }
                Ok::<_, navigator_api::error::ApiError>((id.get(), number))
            })
            .await
            .unwrap()
    }

    /// A published program of `organization` with one module of `price` and
    /// one open group of `capacity` for ages 7–12 starting this month:
    /// (program, group, module).
    pub async fn published_program(
        &self,
        (organization, municipality): (i64, i64),
        certified: bool,
        capacity: i32,
        price: i64,
    ) -> (i64, i64, i64) {
        use chrono::Datelike;
        // The system's day, as the tests that move the server's clock expect.
        let today = navigator_api::clock::today();
        let ids = self
            .state
            .db(move |c| {
                use navigator_api::catalog::repo;
                let input: navigator_shared::catalog::ProgramInput = serde_json::from_value(json!({
                    "title": "Робототехника", "description": "Сборка и программирование роботов, проекты и соревнования.",
                    "goals": "Интерес к технике", "direction": "technical", "profile": "робототехника", "level": "start",
                    "age_min": 7, "age_max": 12, "municipality_id": municipality,
                    "address": "г. Смоленск, ул. Ленина, д. 1", "lat": 54.78, "lon": 32.04, "duration_months": 9,
                    "teachers": ["Орлов Пётр Ильич"], "cost_type": if certified { "certificate" } else { "free" },
                    "contact_name": "Орлов Пётр Ильич", "contact_phone": "+7 4812 31-00-01", "contact_email": "club@example.org",
                }))
                .unwrap();
                let now = navigator_api::notifications::now();
                let data = repo::ProgramData::new(input.validate().unwrap(), now);
                let published = repo::Published { certified, applications_count: 0, published_at: now };
                let id = repo::insert_published(c, organization, &data, &published)?;
                let module = navigator_shared::catalog::ModuleInput { name: "Первый год".into(), hours: 72, price };
                let module = repo::insert_module(c, id, &module, now)?;
                let start = today.with_day(1).unwrap();
                let group: navigator_shared::catalog::GroupInput = serde_json::from_value(json!({
                    "name": "Группа 1", "teacher": "Орлов Пётр Ильич",
                    "schedule": [{ "weekday": 2, "start": "16:00", "end": "17:30" }],
                    "capacity": capacity, "start_date": start, "end_date": start + chrono::TimeDelta::days(80),
                    "age_min": 7, "age_max": 12, "enrolment_open": true,
                }))
                .unwrap();
                let group = repo::insert_group(c, id, &repo::GroupData::new(group, now))?;
                Ok::<_, navigator_api::error::ApiError>((id, group, module))
            })
            .await
            .unwrap();
        navigator_api::catalog::service::reindex(&self.state, vec![ids.0]).await.unwrap();
        ids
    }

    /// The id of the account of `email`.
    pub async fn account_id(&self, email: &str) -> i64 {
        let email = email.to_owned();
        self.state
            .db(move |c| navigator_api::accounts::repo::find_by_email(c, &email))
            .await
            .unwrap()
            .expect("the account")
            .id
    }

    /// Id of a municipality, created for the test.
    pub async fn municipality(&self, name: &str) -> i64 {
        let name = name.to_owned();
        self.state.db(move |c| navigator_api::reference::repo::add_municipality(c, &name, None)).await.unwrap()
    }

    pub fn registration(&self, email: &str, municipality_id: i64) -> Value {
        json!({
            "email": email,
            "password": PASSWORD,
            "phone": "+7 912 345-67-89",
            "last_name": "Иванова",
            "first_name": "Мария",
            "middle_name": "Петровна",
            "municipality_id": municipality_id,
            "consent_personal_data": true,
            "consent_rules": true,
        })
    }

    /// Registers, confirms by the emailed link and returns the municipality id.
    pub async fn confirmed_parent(&self, email: &str) -> i64 {
        let municipality = self.municipality("город Смоленск").await;
        let response = self.post("/api/v1/auth/register", self.registration(email, municipality)).await;
        assert_eq!(response.status(), StatusCode::ACCEPTED);
        let token = self.wait_for_link(email, "/confirm-email").await;
        let response = self.post("/api/v1/auth/confirm-email", json!({ "token": token })).await;
        assert_eq!(response.status(), StatusCode::OK);
        municipality
    }

    /// Logs in (non-browser client) and returns `(access_token, refresh_token)`.
    pub async fn login(&self, email: &str, password: &str) -> (String, String) {
        let response = self.post("/api/v1/auth/login", json!({ "email": email, "password": password })).await;
        assert_eq!(response.status(), StatusCode::OK, "login of {email}");
        let body: Value = response.json().await.unwrap();
        (body["access_token"].as_str().unwrap().to_owned(), body["refresh_token"].as_str().unwrap().to_owned())
    }

    /// A confirmed account of any role, created directly; returns its access token.
    pub async fn account(&self, email: &str, role: navigator_shared::accounts::Role) -> String {
        let hash =
            self.state.passwords.hash(&navigator_shared::validate::Password::parse(PASSWORD).unwrap()).await.unwrap();
        let parsed = navigator_shared::validate::Email::parse(email).unwrap();
        self.state
            .db(move |c| {
                navigator_api::accounts::service::create_confirmed_account(
                    c,
                    &parsed,
                    &hash,
                    role,
                    ("Петрова", "Анна", None),
                    "+79120000000",
                    None,
                )
            })
            .await
            .unwrap();
        self.login(email, PASSWORD).await.0
    }

    /// `PUT /region` by `token` with the current settings and `changes` applied.
    pub async fn set_region(&self, token: &str, changes: Value) -> Response {
        let mut body: Value = self.get("/api/v1/region", None).await.json().await.unwrap();
        for (field, value) in changes.as_object().unwrap() {
            body[field] = value.clone();
        }
        let fields = [
            "name",
            "child_age_min",
            "child_age_max",
            "confirmation_by",
            "documents_days",
            "decision_days",
            "academic_year",
        ];
        let body: serde_json::Map<String, Value> = fields.iter().map(|f| ((*f).to_owned(), body[*f].clone())).collect();
        self.send(reqwest::Method::PUT, "/api/v1/region", token, Value::Object(body)).await
    }

    /// A working organization of `municipality` added through the registry's
    /// rules (a fresh valid INN); `can_activate` makes it an activation point
    /// that confirms certificates and sees the personal data.
    pub async fn organization(&self, municipality: i64, can_activate: bool) -> i64 {
        self.activation_point(municipality, can_activate, can_activate, can_activate).await
    }

    /// An organization with each of the desk's rights chosen.
    pub async fn activation_point(
        &self,
        municipality: i64,
        can_activate: bool,
        can_confirm: bool,
        can_view_personal_data: bool,
    ) -> i64 {
        let seed = (uuid::Uuid::new_v4().as_u128() % 10_000_000) as u32;
        let input = navigator_shared::organizations::OrganizationInput {
            name: format!("МБОУ «Средняя школа № {}»", seed % 1000),
            inn: navigator_shared::validate::Inn::with_checksum(670_000_000 + seed).as_str().to_owned(),
            kind: Some(navigator_shared::organizations::OrganizationKind::Education),
            municipality_id: municipality,
            address: "г. Смоленск, ул. Ленина, д. 1".into(),
            lat: Some(54.78),
            lon: Some(32.04),
            phone: "+7 4812 00-00-00".into(),
            email: "school@example.org".into(),
            is_provider: true,
            can_activate,
            can_confirm,
            can_view_personal_data,
            activation_contact: "Соколова Елена Викторовна".into(),
            reception_hours: "пн–пт 9–17".into(),
            city_phone: "+7 (4812) 30-00-00".into(),
            ..Default::default()
        };
        self.state.db(move |c| navigator_api::organizations::service::insert(c, &input)).await.unwrap()
    }

    /// A confirmed staff account of `organization`; returns its access token.
    pub async fn staff_of(&self, email: &str, organization: i64) -> String {
        let token = self.account(email, navigator_shared::accounts::Role::OrgStaff).await;
        let email = email.to_owned();
        self.state
            .db(move |c| {
                let user = navigator_api::accounts::repo::find_by_email(c, &email)?.unwrap();
                navigator_api::accounts::repo::set_organization(c, user.id, organization)
            })
            .await
            .unwrap();
        token
    }

    /// A confirmed operator of `municipality`; returns its access token.
    pub async fn operator_of(&self, email: &str, municipality: i64) -> String {
        let token = self.account(email, navigator_shared::accounts::Role::Operator).await;
        let email = email.to_owned();
        self.state
            .db(move |c| {
                use diesel::{ExpressionMethods, QueryDsl};
                use navigator_api::db::schema::users;
                diesel::update(users::table.filter(users::email.eq(email)))
                    .set(users::municipality_id.eq(Some(municipality)))
                    .execute(c)
            })
            .await
            .unwrap();
        token
    }

    /// Waits for an email to `to` containing a link to `page` and returns the link's token.
    pub async fn wait_for_link(&self, to: &str, page: &str) -> String {
        navigator_test_support::wait_for_link(&self.mail_dir, to, page, Duration::from_secs(10)).await
    }

    /// All emails delivered to `to`, decoded, oldest first.
    pub fn emails_to(&self, to: &str) -> Vec<Email> {
        read_mail(&self.mail_dir).into_iter().filter(|m| m.to.contains(to)).collect()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Sends the stop command at once; the server winds down on its own.
        drop(self.server.stop(false));
    }
}

pub use navigator_api::notifications::mailbox::{DeliveredEmail as Email, read as read_mail};
// For the few tests that count the links themselves.
#[allow(unused_imports)]
pub use navigator_api::notifications::mailbox::link_tokens as find_link;

/// A child of «Семёнова» born 2016-04-12 for `POST /children`.
pub fn child(municipality: i64, first_name: &str, snils: &str) -> Value {
    json!({
        "last_name": "Семёнова", "first_name": first_name, "middle_name": "Олеговна",
        "birth_date": "2016-04-12", "sex": "female",
        "document_type": "birth_certificate", "document_series": "IV-АК", "document_number": "123456",
        "document_issued_at": "2016-05-01", "snils": snils,
        "address": "г. Смоленск, ул. Ленина, д. 1, кв. 2", "municipality_id": municipality,
    })
}

/// Reads a problem+json answer, checking its content type.
pub async fn problem(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    let content_type = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(content_type.as_deref(), Some("application/problem+json"), "status {status}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], status.as_u16());
    assert!(
        body["detail"].as_str().is_some_and(|d| d.chars().any(|c| matches!(c, 'а'..='я'))),
        "Russian detail: {body}"
    );
    (status, body)
}
