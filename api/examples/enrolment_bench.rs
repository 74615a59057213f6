//! `make bench`: the enrolment rush, through the web client and through an
//! integration client. A real server on SQLite (or on PostgreSQL when
//! `BENCH_DATABASE_URL` names an empty database) with two catalogs of the
//! same shape: 1,000 children with active certificates, 400 groups of 20
//! places. In the first, staff send 10,000 applications by certificate
//! number (`POST /applications`), 64 at a time. In the second, an
//! integration client (the federal portal) sends as many the same way
//! through `POST /integrations/applications`, each with its own
//! `external_id`, while subscribed to `application.status_changed`: each
//! application's event is posted, signed, to a receiver in this process.
//! The second rush starts once the mail of the first is sent.
//!
//! Reports both paths' throughput, latencies and SQL statements per
//! application, and the webhook deliveries per second (from the start of the
//! integrator's rush to the last event received). Checks that no group took
//! more children than it has places after either rush, that every delivery's
//! signature verifies, and that every application's event came, with an id
//! of its own.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

mod common;

use actix_web::web::Data;
use chrono::{Datelike, NaiveDate, Utc};
use common::receiver::Receiver;
use common::{Bench, percentile};
use futures_util::stream::{self, StreamExt};
use navigator_api::AppState;
use navigator_api::config::IntegrationSettings;
use navigator_api::demo::people::{self, Kid};
use navigator_shared::accounts::Role;
use navigator_shared::children::Sex;
use serde_json::{Value, json};

const CHILDREN: usize = 1_000;
const GROUPS: usize = 400;
const CAPACITY: i32 = 20;
const APPLICATIONS_EACH: usize = 10;
const IN_FLIGHT: usize = 64;
/// The longest wait for the webhooks after the integrator's rush.
const DELIVERY_LIMIT: Duration = Duration::from_secs(900);

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

/// Whether the statements of the rushes are printed (`TRACE_SQL=1`, with a
/// small rush: `APPLICATIONS=3`).
static TRACE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    diesel::connection::set_default_instrumentation(|| Some(Box::new(count_statements)))
        .expect("instrumentation is set once, before any connection");
    let bench = Bench::start(|c| {
        c.max_open_applications = APPLICATIONS_EACH as i32;
        // The production settings of the webhook sender; a rate limit that never throttles the rush.
        c.integrations = IntegrationSettings {
            rate: 1_000_000,
            burst: 1_000_000,
            token_ttl: Duration::from_secs(3600),
            ..IntegrationSettings::default()
        };
    })
    .await;
    let state = bench.state.clone();
    let backend = if bench.is_postgres() { "PostgreSQL" } else { "SQLite" };
    let fixtures = Fixtures::new(&bench).await;
    let token = bench.login("staff@example.org").await;

    let setup = Instant::now();
    let web_world = World::new(&state, &fixtures, 0).await;
    let portal_world = World::new(&state, &fixtures, 1).await;
    println!("setup: 2 × ({GROUPS} groups, {CHILDREN} children) in {:.1} s", setup.elapsed().as_secs_f64());
    let portal = Portal::connect(&bench).await;

    TRACE.store(std::env::var("TRACE_SQL").is_ok(), Ordering::Relaxed);
    let limit = std::env::var("APPLICATIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(usize::MAX);
    let (client, base) = (bench.client.clone(), bench.base.clone());

    // The web client: staff apply by certificate number.
    let bodies: Vec<Value> = web_world
        .applications()
        .take(limit)
        .map(|(_, number, group)| json!({ "certificate_number": number, "group_id": group }))
        .collect();
    let web =
        rush(bodies, |body| client.post(format!("{base}/api/v1/applications")).bearer_auth(&token).json(&body)).await;
    let web_places = places(&state, web_world.groups.clone()).await;
    web.report("web client", backend, web_places);
    // The integrator's rush starts, like the web client's, with no mail of another rush to send.
    let waited = quiet(&state).await;
    println!("the web client's mail was sent {:.1} s after its rush", waited.as_secs_f64());

    // The integrator: the same rush through its endpoint, its events delivered as it goes.
    let external_id = |i: usize| format!("bench-{i:05}");
    let bodies: Vec<Value> = portal_world
        .applications()
        .take(limit)
        .enumerate()
        .map(|(i, (last_name, number, group))| {
            json!({
                "group_id": group, "certificate_number": number, "last_name": last_name,
                "birth_date": World::birth(), "external_id": external_id(i),
            })
        })
        .collect();
    let integrator = rush(bodies, |body| {
        client.post(format!("{base}/api/v1/integrations/applications")).bearer_auth(&portal.token).json(&body)
    })
    .await;
    let delivered_in_rush = portal.receiver.events();
    let portal_places = places(&state, portal_world.groups.clone()).await;
    integrator.report("integration client", backend, portal_places);

    // Every application made has its event. Besides the statements during the
    // rush (counted as for the web client), those until every delivery is
    // recorded and every request is in the client's log.
    let made: HashSet<String> = integrator.answers.iter().filter(|a| a.1 == 201).map(|a| external_id(a.0)).collect();
    let all_came = portal.receiver.wait_for(made.len(), DELIVERY_LIMIT).await;
    let requests = integrator.answers.len() as i64 + portal.calls;
    let retried = portal.settled(&state, made.len() as i64, requests).await;
    let statements = STATEMENTS.load(Ordering::Relaxed) - integrator.statements_before;
    // Anything sent twice would have come by now.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let inbox = portal.receiver.inbox();
    portal.receiver.stop().await;
    let last = inbox.last.unwrap_or(integrator.started);
    let span = last.duration_since(integrator.started);
    let deliveries_per_second = inbox.ids.len() as f64 / span.as_secs_f64();
    let drain = last.saturating_duration_since(integrator.started + integrator.elapsed);
    let delivered: HashSet<String> =
        inbox.data.iter().filter_map(|d| d["external_id"].as_str()).map(str::to_owned).collect();
    let statuses: BTreeMap<&str, usize> = inbox.data.iter().fold(BTreeMap::new(), |mut counts, d| {
        *counts.entry(d["status"].as_str().unwrap_or("?")).or_default() += 1;
        counts
    });
    println!(
        "webhooks ({backend}): {} events in {:.1} s from the rush's start = {deliveries_per_second:.0} deliveries/s; \
         {delivered_in_rush} had come when the rush ended, the rest within {:.1} s; statuses {statuses:?}; \
         {} repeated, {retried} retried, {} bad signatures, {} malformed; \
         {:.1} SQL statements per integrator application until its webhook was recorded \
         (the webhook and mail senders' included)",
        inbox.ids.len(),
        span.as_secs_f64(),
        drain.as_secs_f64(),
        inbox.repeats,
        inbox.bad_signatures,
        inbox.malformed,
        statements as f64 / integrator.answers.len() as f64,
    );

    let ratio = integrator.per_second() / web.per_second();
    println!("integrator ÷ web client ({backend}): {ratio:.2}");
    common::goal("enrolment rush, applications/s", backend, &format!("{:.0}", web.per_second()));
    common::goal("integrator apply, applications/s", backend, &format!("{:.0}", integrator.per_second()));
    common::goal("integrator apply ÷ enrolment rush", backend, &format!("{ratio:.2}"));
    common::goal("SQL statements per application", backend, &format!("{:.1}", web.statements_per_application()));
    common::goal(
        "SQL statements per integrator application",
        backend,
        &format!("{:.1}", integrator.statements_per_application()),
    );
    common::goal("groups over capacity after the rush", backend, &web_places.over.to_string());
    common::goal("groups over capacity after the integrator rush", backend, &portal_places.over.to_string());
    common::goal("webhook deliveries/s", backend, &format!("{deliveries_per_second:.0}"));

    for (answers, held) in [(&web, web_places), (&integrator, portal_places)] {
        assert_eq!(held.over, 0, "a group took more children than it has places");
        assert!(held.held <= GROUPS as i64 * i64::from(CAPACITY));
        assert_eq!(
            (held.held + held.waiting) as usize,
            answers.created(),
            "every application made holds a place or waits"
        );
    }
    assert!(integrator.answers.iter().all(|a| a.1 != 429), "the client's rate limit throttled the rush");
    assert!(all_came, "{} of {} events came within {DELIVERY_LIMIT:?}", inbox.ids.len(), made.len());
    assert_eq!(inbox.bad_signatures, 0, "a delivery's signature did not verify");
    assert_eq!(inbox.malformed, 0, "a delivery's header id is not its body's id");
    assert_eq!(delivered, made, "every application made has its event, each with an id of its own");
    assert_eq!(inbox.ids.len(), made.len(), "one event per application");
    assert!(statuses.keys().all(|s| ["submitted", "waiting"].contains(s)), "{statuses:?}");
}

/// What both catalogs share: the municipality, the organization with its
/// staff member, and the family the children belong to.
#[derive(Debug, Clone, Copy)]
struct Fixtures {
    municipality: i64,
    organization: i64,
    parent: i64,
}

impl Fixtures {
    async fn new(bench: &Bench) -> Self {
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
        let parent = bench.account("family@example.org", Role::Parent).await;
        Self { municipality, organization, parent }
    }
}

/// One catalog of the rush: its groups and its children's certificate numbers.
struct World {
    groups: Vec<i64>,
    numbers: Vec<String>,
}

impl World {
    const LAST_NAME: &str = "Петров";

    fn birth() -> NaiveDate {
        NaiveDate::from_ymd_opt(Utc::now().year() - 9, 3, 1).unwrap()
    }

    /// The `index`-th catalog: programs, groups, children and certificates of its own.
    async fn new(state: &Data<AppState>, fixtures: &Fixtures, index: usize) -> Self {
        let Fixtures { municipality, organization, parent } = *fixtures;
        let groups = state
            .db(move |c| {
                use navigator_api::catalog::repo;
                let now = navigator_api::notifications::now();
                let start = Utc::now().date_naive().with_day(1).unwrap();
                let mut groups = Vec::new();
                for p in index * GROUPS / 4..(index + 1) * GROUPS / 4 {
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
                    let published =
                        repo::Published { certified: false, applications_count: 0, published_at: now };
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
                let mut numbers = Vec::new();
                for n in index * CHILDREN..(index + 1) * CHILDREN {
                    let (snils, first) = (format!("{:09}", 300_000_000 + n * 7), format!("Ребёнок{n}"));
                    let kid = Kid {
                        last: Self::LAST_NAME,
                        first: &first,
                        middle: "Иванович",
                        birth: Self::birth(),
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
        Self { groups, numbers }
    }

    /// Child n applies to ten groups spread over the catalog: (last name,
    /// certificate number, group), no two alike.
    fn applications(&self) -> impl Iterator<Item = (&'static str, &str, i64)> + '_ {
        self.numbers.iter().enumerate().flat_map(move |(n, number)| {
            (0..APPLICATIONS_EACH)
                .map(move |k| (Self::LAST_NAME, number.as_str(), self.groups[(n * 37 + k * 41) % self.groups.len()]))
        })
    }
}

/// The integration client: made by the admin, with its token and a
/// subscription to `application.status_changed` whose events go to `receiver`.
struct Portal {
    id: i64,
    token: String,
    receiver: Receiver,
    /// Its requests before the rush (the token, the subscription), for the request log.
    calls: i64,
}

impl Portal {
    async fn connect(bench: &Bench) -> Self {
        let (client, base) = (&bench.client, &bench.base);
        bench.account("admin@example.org", Role::Admin).await;
        let admin = bench.login("admin@example.org").await;
        let body = json!({
            "name": "Госуслуги", "contact": "dev@portal.example.ru",
            "scopes": ["applications:write", "applications:read", "webhooks"],
        });
        let response = client
            .post(format!("{base}/api/v1/admin/integration-clients"))
            .bearer_auth(&admin)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        let made: Value = response.json().await.unwrap();
        let (id, client_id, secret) = (
            made["client"]["id"].as_i64().unwrap(),
            made["client"]["client_id"].as_str().unwrap(),
            made["client_secret"].as_str().unwrap(),
        );
        let response = client
            .post(format!("{base}/api/v1/oauth/token"))
            .basic_auth(client_id, Some(secret))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let token = response.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned();
        let receiver = Receiver::start(2).await;
        let hook = json!({ "url": receiver.url, "events": ["application.status_changed"] });
        let response = client
            .post(format!("{base}/api/v1/integrations/webhooks"))
            .bearer_auth(&token)
            .json(&hook)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        receiver.set_secret(response.json::<Value>().await.unwrap()["secret"].as_str().unwrap());
        Self { id, token, receiver, calls: 2 }
    }

    /// Waits until `events` deliveries are recorded delivered and the
    /// client's log holds `requests` entries; answers how many deliveries
    /// took more than one attempt.
    async fn settled(&self, state: &Data<AppState>, events: i64, requests: i64) -> i64 {
        use diesel::prelude::*;
        use navigator_api::db::schema::{integration_requests as ir, webhook_deliveries as wd};
        use navigator_shared::integrations::DeliveryStatus;
        let started = Instant::now();
        let client = self.id;
        loop {
            let (delivered, logged, retried) = state
                .db(move |c| {
                    let delivered: i64 =
                        wd::table.filter(wd::status.eq(DeliveryStatus::Delivered)).count().get_result(c)?;
                    let logged: i64 = ir::table.filter(ir::client_id.eq(client)).count().get_result(c)?;
                    let retried: i64 = wd::table.filter(wd::attempts.gt(1)).count().get_result(c)?;
                    Ok::<_, diesel::result::Error>((delivered, logged, retried))
                })
                .await
                .unwrap();
            if (delivered >= events && logged >= requests) || started.elapsed() > DELIVERY_LIMIT {
                return retried;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// One rush: each answer (the request's index, its status, its latency),
/// when it started, how long it took, and the SQL statements meanwhile.
struct Rush {
    answers: Vec<(usize, u16, Duration)>,
    started: Instant,
    elapsed: Duration,
    statements_before: u64,
    statements: u64,
}

/// Sends `bodies` with `request`, `IN_FLIGHT` at a time.
async fn rush(bodies: Vec<Value>, request: impl Fn(Value) -> reqwest::RequestBuilder) -> Rush {
    let started = Instant::now();
    let statements_before = STATEMENTS.load(Ordering::Relaxed);
    let answers = stream::iter(bodies.into_iter().enumerate().map(|(i, body)| {
        let request = request(body);
        async move {
            let t = Instant::now();
            let response = request.send().await.unwrap();
            (i, response.status().as_u16(), t.elapsed())
        }
    }))
    .buffer_unordered(IN_FLIGHT)
    .collect()
    .await;
    let elapsed = started.elapsed();
    let statements = STATEMENTS.load(Ordering::Relaxed) - statements_before;
    Rush { answers, started, elapsed, statements_before, statements }
}

impl Rush {
    fn per_second(&self) -> f64 {
        self.answers.len() as f64 / self.elapsed.as_secs_f64()
    }

    fn created(&self) -> usize {
        self.answers.iter().filter(|a| a.1 == 201).count()
    }

    fn statements_per_application(&self) -> f64 {
        self.statements as f64 / self.answers.len() as f64
    }

    fn report(&self, path: &str, backend: &str, places: Places) {
        let mut latencies: Vec<Duration> = self.answers.iter().map(|a| a.2).collect();
        latencies.sort();
        let refused: BTreeMap<u16, usize> =
            self.answers.iter().filter(|a| a.1 != 201).fold(BTreeMap::new(), |mut counts, a| {
                *counts.entry(a.1).or_default() += 1;
                counts
            });
        let Places { over, held, waiting } = places;
        println!(
            "enrolment rush, {path} ({backend}): {} applications in {:.1} s = {:.0}/s, p50 {:?}, p99 {:?}; \
             {} created ({held} holding a place, {waiting} waiting), refused {refused:?}; \
             groups over capacity: {over}; {:.1} SQL statements per application during the rush",
            self.answers.len(),
            self.elapsed.as_secs_f64(),
            self.per_second(),
            percentile(&latencies, 0.5),
            percentile(&latencies, 0.99),
            self.created(),
            self.statements_per_application(),
        );
    }
}

/// Waits until the mail sender has sent every waiting message (at most
/// `DELIVERY_LIMIT`); answers how long that took.
async fn quiet(state: &Data<AppState>) -> Duration {
    use diesel::prelude::*;
    use navigator_api::db::schema::outbox_emails as o;
    let started = Instant::now();
    loop {
        let waiting: i64 =
            state.db(|c| o::table.filter(o::status.eq("pending")).count().get_result::<i64>(c)).await.unwrap();
        if waiting == 0 || started.elapsed() > DELIVERY_LIMIT {
            return started.elapsed();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The places of a catalog's groups after its rush.
#[derive(Debug, Clone, Copy)]
struct Places {
    /// Groups with more children than places.
    over: i64,
    /// Applications holding a place.
    held: i64,
    waiting: i64,
}

async fn places(state: &Data<AppState>, groups: Vec<i64>) -> Places {
    state
        .db(move |c| {
            use diesel::prelude::*;
            use navigator_api::db::schema::{applications as a, program_groups as g};
            let ours = || g::table.filter(g::id.eq_any(&groups));
            let over: i64 = ours().filter(g::enrolled.gt(g::capacity)).count().get_result(c)?;
            let held: i64 = a::table
                .filter(a::group_id.eq_any(&groups))
                .filter(a::status.eq_any(["submitted", "confirmed", "enrolled"]))
                .count()
                .get_result(c)?;
            let places: Option<i64> = ours().select(diesel::dsl::sum(g::enrolled)).first(c)?;
            assert_eq!(Some(held), places, "places held by applications equal the groups' counters");
            let waiting: i64 =
                a::table.filter(a::group_id.eq_any(&groups)).filter(a::status.eq("waiting")).count().get_result(c)?;
            Ok::<_, diesel::result::Error>(Places { over, held, waiting })
        })
        .await
        .unwrap()
}
