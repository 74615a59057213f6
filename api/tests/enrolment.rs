//! Funding, applications, contracts and the ledger on both backends: the
//! money flow end to end, the waiting list, the rules of applying, the
//! invariants under concurrency, idempotent retries and who may see what.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use chrono::{Datelike, NaiveDate};
use futures_util::future::join_all;
use futures_util::stream::{self, StreamExt};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Backend, TestApp, problem};

const NOMINAL: i64 = 1_000_000;
/// Requests in flight at once in the rush tests.
const IN_FLIGHT: usize = 128;

struct World {
    app: TestApp,
    municipality: i64,
    organization: i64,
    staff: String,
    operator: String,
    admin: String,
    parent: String,
    parent_id: i64,
}

/// Today by the services' clock (not moved in these tests).
fn today() -> NaiveDate {
    navigator_api::clock::today()
}

impl World {
    async fn open(backend: Backend) -> Self {
        Self::open_with(backend, |_| {}).await
    }

    async fn open_with(backend: Backend, adjust: impl FnOnce(&mut navigator_api::config::Config)) -> Self {
        let app = TestApp::spawn_with(backend, adjust).await;
        let municipality = app.municipality("город Смоленск").await;
        let organization = app.organization(municipality, false).await;
        let staff = app.staff_of("teacher@example.org", organization).await;
        let operator = app.operator_of("operator@example.org", municipality).await;
        let admin = app.account("admin@example.org", navigator_shared::accounts::Role::Admin).await;
        let parent = app.account("mama@example.org", navigator_shared::accounts::Role::Parent).await;
        let parent_id = app.account_id("mama@example.org").await;
        Self { app, municipality, organization, staff, operator, admin, parent, parent_id }
    }

    async fn send(&self, method: Method, path: &str, token: &str, body: Value) -> reqwest::Response {
        self.app.send(method, &format!("/api/v1{path}"), token, body).await
    }

    async fn json(&self, method: Method, path: &str, token: &str, body: Value, expected: StatusCode) -> Value {
        let response = self.send(method, path, token, body).await;
        let status = response.status();
        let text = response.text().await.unwrap();
        assert_eq!(status, expected, "{path}: {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    /// A POST without a body to a path built by the caller.
    async fn hit(&self, path: String, token: &str) -> reqwest::Response {
        self.send(Method::POST, &path, token, json!({})).await
    }

    async fn post(&self, path: &str, token: &str, body: Value) -> Value {
        let response = self.send(Method::POST, path, token, body).await;
        let status = response.status();
        let text = response.text().await.unwrap();
        assert!(status.is_success(), "{path}: {status} {text}");
        serde_json::from_str(&text).unwrap()
    }

    /// A child of `parent` with a certificate in `status`: (child id, number).
    async fn child(&self, parent: i64, n: u32, birth: NaiveDate, status: &'static str) -> (i64, String) {
        self.app.child_with_certificate(self.municipality, parent, n, birth, status).await
    }

    /// A published program of the organization with one module of `price`
    /// and one open group of `capacity` for ages 7–12: (program, group, module).
    async fn program(&self, certified: bool, capacity: i32, price: i64) -> (i64, i64, i64) {
        self.app.published_program((self.organization, self.municipality), certified, capacity, price).await
    }

    /// Another open group of `program` with `capacity` places: its id.
    async fn second_group(&self, program: i64, capacity: i32) -> i64 {
        let start = today().with_day(1).unwrap();
        let group = json!({
            "name": "Группа 2", "teacher": "Орлов Пётр Ильич",
            "schedule": [{ "weekday": 4, "start": "16:00", "end": "17:30" }],
            "capacity": capacity, "start_date": start, "end_date": start + chrono::TimeDelta::days(80),
            "age_min": 7, "age_max": 12, "enrolment_open": true,
        });
        self.json(Method::POST, &format!("/cabinet/programs/{program}/groups"), &self.staff, group, StatusCode::CREATED)
            .await["id"]
            .as_i64()
            .unwrap()
    }

    async fn period(&self, max_certificates: i32, max_volume: i64) -> Value {
        let year = today().year();
        let body = json!({
            "municipality_id": self.municipality, "year": year, "nominal": NOMINAL,
            "max_certificates": max_certificates, "max_volume": max_volume,
            "starts_on": format!("{year}-01-01"), "ends_on": format!("{year}-12-31"),
        });
        self.json(Method::POST, "/funding-periods", &self.operator, body, StatusCode::CREATED).await
    }

    /// Files and approves the funding of a child's certificate.
    async fn fund(&self, token: &str, child: i64) {
        let request = self.post(&format!("/children/{child}/certificate/funding-requests"), token, json!({})).await;
        let approved =
            self.post(&format!("/funding-requests/{}/approve", request["id"]), &self.operator, json!({})).await;
        assert_eq!(approved["status"], "approved");
    }

    async fn ledger(&self, token: &str, number: &str) -> Value {
        self.json(Method::GET, &format!("/certificates/{number}/ledger"), token, Value::Null, StatusCode::OK).await
    }

    /// The kept sums equal the sums of the entries.
    async fn assert_balanced(&self, number: &str) {
        let number = number.to_owned();
        let (kept, summed) = self
            .app
            .state
            .db(move |c| {
                let (cert, _) = navigator_api::children::certificates::repo::by_number(c, &number)?.unwrap();
                let kept = navigator_api::ledger::repo::balance(c, cert.id)?;
                let summed = navigator_api::ledger::repo::balance_of_entries(
                    c,
                    cert.id,
                    navigator_shared::funding::Account::Personified,
                )?;
                Ok::<_, diesel::result::Error>((kept, summed))
            })
            .await
            .unwrap();
        assert_eq!(kept, summed);
        assert!(kept.available >= 0 && kept.reserved >= 0 && kept.spent >= 0);
    }

    async fn enrolled_in(&self, group: i64) -> i64 {
        self.app
            .state
            .db(move |c| navigator_api::catalog::repo::find_group(c, group))
            .await
            .unwrap()
            .unwrap()
            .enrolled
            .into()
    }
}

fn birth(age: i32) -> NaiveDate {
    let t = today();
    NaiveDate::from_ymd_opt(t.year() - age, 1, 15).unwrap()
}

both_backends! {
    /// The family reads the contract before signing: parties, child, program
    /// and module, hours, price, schedule, dates, monthly charges, early end,
    /// certificate; the text is fixed at the offer and both sides can read it
    /// and download it as PDF later; nobody else can.
    async fn the_contract_is_read_before_signing_and_kept_as_offered(backend: Backend) {
        let w = World::open(backend).await;
        w.period(100, 100 * NOMINAL).await;
        let (program, group, module) = w.program(true, 10, 360_000).await;
        let (child, number) = w.child(w.parent_id, 1, birth(9), "active").await;
        w.fund(&w.parent, child).await;
        let id = w.post("/applications", &w.parent, json!({ "child_id": child, "group_id": group })).await["id"].as_i64().unwrap();
        w.post(&format!("/applications/{id}/confirm"), &w.staff, json!({})).await;
        let contract = w.post(&format!("/applications/{id}/contract-offers"), &w.staff, json!({ "module_id": module })).await;
        let contract_id = contract["id"].as_i64().unwrap();
        let path = format!("/contracts/{contract_id}");

        let offered = w.json(Method::GET, &path, &w.parent, Value::Null, StatusCode::OK).await;
        assert_eq!(offered["contract"]["status"], "offered");
        let text = offered["text"]["clauses"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect::<Vec<_>>().join("\n");
        let price = navigator_shared::money::rubles(360_000);
        for needle in ["«Робототехника», модуль «Первый год» (72 ч.)", &price, &number, "вт 16:00–17:30", "неизрасходованный резерв возвращается", "публичная оферта"] {
            assert!(text.contains(needle), "{needle} not in {text}");
        }
        assert_eq!(offered["text"]["terms"]["certificate_number"], number.as_str());
        // The program is edited after the offer: the text offered stays.
        w.app
            .state
            .db(move |c| {
                use diesel::prelude::*;
                use navigator_api::db::schema::{program_modules, programs};
                diesel::update(programs::table.find(program)).set(programs::title.eq("Новое название")).execute(c)?;
                diesel::update(program_modules::table.find(module)).set(program_modules::hours.eq(10)).execute(c)
            })
            .await
            .unwrap();
        w.post(&format!("/contracts/{contract_id}/accept"), &w.parent, json!({})).await;
        let signed = w.json(Method::GET, &path, &w.parent, Value::Null, StatusCode::OK).await;
        assert_eq!(signed["contract"]["status"], "active");
        assert_eq!(signed["text"], offered["text"], "the text accepted is the text offered");
        // The organization reads the same text; others get 404.
        let theirs = w.json(Method::GET, &path, &w.staff, Value::Null, StatusCode::OK).await;
        assert_eq!(theirs["text"], offered["text"]);
        let stranger = w.app.account("other@example.org", navigator_shared::accounts::Role::Parent).await;
        for token in [&stranger, &w.operator] {
            let (status, _) = problem(w.send(Method::GET, &path, token, Value::Null).await).await;
            assert_eq!(status, StatusCode::NOT_FOUND);
        }
        // The PDF, for both sides, named by the contract.
        for token in [&w.parent, &w.staff] {
            let pdf = w.send(Method::GET, &format!("{path}/document.pdf"), token, Value::Null).await;
            assert_eq!(pdf.status(), StatusCode::OK);
            assert_eq!(pdf.headers()["content-type"], "application/pdf");
            let disposition = pdf.headers()["content-disposition"].to_str().unwrap().to_owned();
            assert!(disposition.contains(&format!("dogovor-{contract_id}.pdf")), "{disposition}");
            assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
        }
        let (status, _) = problem(w.send(Method::GET, &format!("{path}/document.pdf"), &stranger, Value::Null).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    async fn the_money_flows_from_the_nominal_to_the_monthly_charges(backend: Backend) {
        let w = World::open(backend).await;
        let period = w.period(100, 100 * NOMINAL).await;
        assert_eq!(period["funded_count"], 0);
        let (child, number) = w.child(w.parent_id, 1, birth(9), "active").await;
        let ledger = w.ledger(&w.parent, &number).await;
        assert_eq!(ledger["can_request_funding"], true);
        assert_eq!(ledger["balance"]["available"], 0);

        // The family asks; the operator sees it in the queue and approves.
        let request = w.post(&format!("/children/{child}/certificate/funding-requests"), &w.parent, json!({})).await;
        assert_eq!(request["status"], "submitted");
        let (status, body) =
            problem(w.send(Method::POST, &format!("/children/{child}/certificate/funding-requests"), &w.parent, json!({})).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("funding_requested")));
        let queue = w.json(Method::GET, "/funding-requests", &w.operator, Value::Null, StatusCode::OK).await;
        assert_eq!(queue["total"], 1);
        assert_eq!(queue["items"][0]["overdue"], false);
        let approved = w.post(&format!("/funding-requests/{}/approve", request["id"]), &w.operator, json!({})).await;
        assert_eq!(approved["status"], "approved");
        let ledger = w.ledger(&w.parent, &number).await;
        assert_eq!(ledger["kind"], "funded");
        assert_eq!(ledger["balance"]["available"], NOMINAL);
        assert_eq!(ledger["entries"][0]["kind"], "credit");
        assert_eq!(ledger["can_request_funding"], false);

        // Apply, confirm, offer, accept: the price is reserved.
        let (_, group, module) = w.program(true, 10, 300_000).await;
        let application = w.json(Method::POST, "/applications", &w.parent, json!({ "child_id": child, "group_id": group }), StatusCode::CREATED).await;
        assert_eq!(application["status"], "submitted");
        let id = application["id"].as_i64().unwrap();
        let (status, body) = problem(w.send(Method::POST, &format!("/applications/{id}/enroll"), &w.staff, json!({})).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("invalid_status")));
        w.post(&format!("/applications/{id}/confirm"), &w.staff, json!({})).await;
        let (_, body) = problem(w.send(Method::POST, &format!("/applications/{id}/enroll"), &w.staff, json!({})).await).await;
        assert_eq!(body["code"], "contract_required");
        let contract = w.json(Method::POST, &format!("/applications/{id}/contract-offers"), &w.staff, json!({ "module_id": module }), StatusCode::CREATED).await;
        assert_eq!(contract["status"], "offered");
        assert_eq!(contract["price"], 300_000);
        let months = contract["months"].as_i64().unwrap();
        assert!(months >= 3, "{contract}");
        let accepted = w.post(&format!("/contracts/{}/accept", contract["id"]), &w.parent, json!({})).await;
        assert_eq!(accepted["status"], "active");
        let application = w.json(Method::GET, &format!("/applications/{id}"), &w.parent, Value::Null, StatusCode::OK).await;
        assert_eq!(application["status"], "enrolled");
        assert_eq!(application["contract"]["status"], "active");
        let ledger = w.ledger(&w.parent, &number).await;
        assert_eq!(ledger["balance"]["available"], NOMINAL - 300_000);
        assert_eq!(ledger["balance"]["reserved"], 300_000);

        // The admin closes the month, twice: one charge.
        let month = today().format("%Y-%m").to_string();
        let run = w.post("/billing/charges", &w.admin, json!({ "month": month })).await;
        assert_eq!(run["charged"], 1);
        let again = w.post("/billing/charges", &w.admin, json!({ "month": month })).await;
        assert_eq!(again["charged"], 0);
        // Accepted today: the first month pays for the days from today to its end.
        let first = today().with_day(1).unwrap();
        let days = (navigator_shared::applications::add_months(first, 1) - first).num_days();
        let share = 300_000 / months * (days - i64::from(today().day()) + 1) / days;
        let ledger = w.ledger(&w.parent, &number).await;
        assert_eq!(ledger["balance"]["spent"], share);
        assert_eq!(ledger["balance"]["reserved"], 300_000 - share);
        assert_eq!(ledger["entries"][0]["kind"], "charge");
        assert_eq!(ledger["entries"][0]["program_title"], "Робототехника");
        let (status, _) = problem(w.send(Method::POST, "/billing/charges", &w.operator, json!({ "month": month })).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // The organization's register of the month, also as CSV.
        let register = w.json(Method::GET, &format!("/cabinet/register?month={month}"), &w.staff, Value::Null, StatusCode::OK).await;
        assert_eq!(register["total"], share);
        assert_eq!(register["rows"][0]["certificate_number"], number.as_str());
        let csv = w.send(Method::GET, &format!("/cabinet/register.csv?month={month}"), &w.staff, Value::Null).await;
        assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
        let csv = csv.text().await.unwrap();
        assert!(csv.contains(&number) && csv.contains("Итого"), "{csv}");

        // Expulsion releases the rest of the reserve.
        let expelled = w.post(&format!("/applications/{id}/expel"), &w.staff, json!({ "reason": "parent_request" })).await;
        assert_eq!(expelled["status"], "expelled");
        assert_eq!(expelled["contract"]["status"], "terminated");
        let ledger = w.ledger(&w.parent, &number).await;
        assert_eq!(ledger["balance"]["reserved"], 0);
        assert_eq!(ledger["balance"]["available"], NOMINAL - share);
        assert_eq!(ledger["entries"][0]["kind"], "release");
        w.assert_balanced(&number).await;
        // The entries come page by page, newest first; a bad page is told on its field.
        let all = ledger["entries"].as_array().unwrap().clone();
        assert_eq!(ledger["entries_total"], all.len());
        assert!(all.len() >= 3, "{ledger}");
        let path = format!("/certificates/{number}/ledger?page=2&per_page=2");
        let second = w.json(Method::GET, &path, &w.parent, Value::Null, StatusCode::OK).await;
        assert_eq!((second["page"].as_i64(), second["per_page"].as_i64()), (Some(2), Some(2)));
        assert_eq!(second["entries"].as_array().unwrap()[..], all[2..all.len().min(4)]);
        let (status, body) = problem(w.send(Method::GET, &format!("/certificates/{number}/ledger?per_page=0"), &w.parent, Value::Null).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["per_page"].is_array(), "{body}");
        assert_eq!(w.enrolled_in(group).await, 0);
        // The family was told at every step.
        let messages = w.json(Method::GET, "/me/messages", &w.parent, Value::Null, StatusCode::OK).await;
        assert!(messages.to_string().contains("предложен договор"), "{messages}");
        // The funding message leads to the certificate's page; an in-app message carries no email footer.
        assert!(messages.to_string().contains(&format!("/children/{child}/certificate")), "{messages}");
        assert!(!messages.to_string().contains("отвечать на него не нужно"), "{messages}");
    }

    async fn a_full_group_keeps_a_waiting_list_in_order(backend: Backend) {
        let w = World::open(backend).await;
        let (_, group, _) = w.program(false, 2, 0).await;
        let mut ids = Vec::new();
        for n in 0..4 {
            let (child, _) = w.child(w.parent_id, 10 + n, birth(8), "active").await;
            let a = w.json(Method::POST, "/applications", &w.parent, json!({ "child_id": child, "group_id": group }), StatusCode::CREATED).await;
            ids.push(a);
        }
        let statuses: Vec<&str> = ids.iter().map(|a| a["status"].as_str().unwrap()).collect();
        assert_eq!(statuses, ["submitted", "submitted", "waiting", "waiting"]);
        assert_eq!(ids[2]["waiting_position"], 1);
        assert_eq!(ids[3]["waiting_position"], 2);
        // A place frees up: the first in line takes it, the second moves up.
        w.post(&format!("/applications/{}/cancel", ids[0]["id"]), &w.parent, json!({})).await;
        let third = w.json(Method::GET, &format!("/applications/{}", ids[2]["id"]), &w.parent, Value::Null, StatusCode::OK).await;
        assert_eq!(third["status"], "submitted");
        let fourth = w.json(Method::GET, &format!("/applications/{}", ids[3]["id"]), &w.parent, Value::Null, StatusCode::OK).await;
        assert_eq!(fourth["waiting_position"], 1);
        assert_eq!(w.enrolled_in(group).await, 2);
        // Rejecting a waiting one frees no place.
        w.post(&format!("/applications/{}/reject", ids[3]["id"]), &w.staff, json!({ "reason": "no_places" })).await;
        assert_eq!(w.enrolled_in(group).await, 2);
        // Confirm and enrol a free program without a contract; completion frees the place.
        let second = ids[1]["id"].as_i64().unwrap();
        w.post(&format!("/applications/{second}/confirm"), &w.staff, json!({})).await;
        let enrolled = w.post(&format!("/applications/{second}/enroll"), &w.staff, json!({})).await;
        assert_eq!(enrolled["status"], "enrolled");
        w.post(&format!("/applications/{second}/complete"), &w.staff, json!({})).await;
        assert_eq!(w.enrolled_in(group).await, 1);
        // The organization's inbox filters by status.
        let inbox = w.json(Method::GET, &format!("/applications?status=submitted&group_id={group}"), &w.staff, Value::Null, StatusCode::OK).await;
        assert_eq!(inbox["total"], 1);
    }

    async fn more_places_call_the_waiting_list(backend: Backend) {
        let w = World::open(backend).await;
        let (_, group, _) = w.program(false, 2, 0).await;
        let mut ids = Vec::new();
        for n in 0..4 {
            let (child, _) = w.child(w.parent_id, 40 + n, birth(8), "active").await;
            let a = w.json(Method::POST, "/applications", &w.parent, json!({ "child_id": child, "group_id": group }), StatusCode::CREATED).await;
            ids.push(a["id"].as_i64().unwrap());
        }
        let start = today().with_day(1).unwrap();
        let group_input = |capacity: i32| json!({
            "name": "Группа 1", "teacher": "Орлов Пётр Ильич",
            "schedule": [{ "weekday": 2, "start": "16:00", "end": "17:30" }],
            "capacity": capacity, "start_date": start, "end_date": start + chrono::TimeDelta::days(80),
            "age_min": 7, "age_max": 12, "enrolment_open": true,
        });
        // Fewer places than are held is refused, with the field named.
        let refused = w.send(Method::PUT, &format!("/cabinet/groups/{group}"), &w.staff, group_input(1)).await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
        let problem: Value = refused.json().await.unwrap();
        assert!(problem["errors"]["capacity"].is_array(), "{problem}");
        // One more place goes to the first in line at once.
        w.json(Method::PUT, &format!("/cabinet/groups/{group}"), &w.staff, group_input(3), StatusCode::OK).await;
        let status = |a: Value| (a["status"].as_str().unwrap().to_owned(), a["waiting_position"].as_i64());
        let third = w.json(Method::GET, &format!("/applications/{}", ids[2]), &w.parent, Value::Null, StatusCode::OK).await;
        assert_eq!(status(third), ("submitted".to_owned(), None));
        let fourth = w.json(Method::GET, &format!("/applications/{}", ids[3]), &w.parent, Value::Null, StatusCode::OK).await;
        assert_eq!(status(fourth), ("waiting".to_owned(), Some(1)));
        assert_eq!(w.enrolled_in(group).await, 3);
    }

    /// The public card is kept in memory, yet its free places follow every
    /// place taken or given back and every change of capacity: at once on
    /// the instance that made the change, within the catalog poll on another.
    async fn the_card_shows_free_places_after_each_change(backend: Backend) {
        async fn free_on(app: &TestApp, program: i64) -> (i64, i64) {
            let card: Value = app.get(&format!("/api/v1/programs/{program}"), None).await.json().await.unwrap();
            (card["groups"][0]["free_places"].as_i64().unwrap(), card["groups"][0]["capacity"].as_i64().unwrap())
        }
        let w = World::open(backend).await;
        let (program, group, _) = w.program(false, 3, 0).await;
        let other = TestApp::spawn_on(backend, &w.app.database_url()).await;
        assert_eq!(free_on(&w.app, program).await, (3, 3));
        assert_eq!(free_on(&other, program).await, (3, 3));
        assert_eq!(free_on(&w.app, program).await, (3, 3), "read again, from memory");

        let (child, _) = w.child(w.parent_id, 70, birth(8), "active").await;
        let a = w.json(Method::POST, "/applications", &w.parent, json!({ "child_id": child, "group_id": group }), StatusCode::CREATED).await;
        assert_eq!(free_on(&w.app, program).await, (2, 3), "a place taken");
        let seen_elsewhere = async {
            for _ in 0..100 {
                if free_on(&other, program).await == (2, 3) {
                    return true;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            false
        };
        assert!(seen_elsewhere.await, "the other instance sees the place taken within its poll");

        w.post(&format!("/applications/{}/cancel", a["id"]), &w.parent, json!({})).await;
        assert_eq!(free_on(&w.app, program).await, (3, 3), "a place given back");
        let start = today().with_day(1).unwrap();
        let more = json!({
            "name": "Группа 1", "teacher": "Орлов Пётр Ильич",
            "schedule": [{ "weekday": 2, "start": "16:00", "end": "17:30" }],
            "capacity": 5, "start_date": start, "end_date": start + chrono::TimeDelta::days(80),
            "age_min": 7, "age_max": 12, "enrolment_open": true,
        });
        w.json(Method::PUT, &format!("/cabinet/groups/{group}"), &w.staff, more, StatusCode::OK).await;
        assert_eq!(free_on(&w.app, program).await, (5, 5), "a capacity raised");
    }

    /// A program leaves «Есть места» (`open=true`) when its last open group
    /// fills up, not before, and comes back when a place is given back.
    async fn a_program_is_open_while_one_of_its_groups_has_places(backend: Backend) {
        let w = World::open(backend).await;
        let (program, first, _) = w.program(false, 1, 0).await;
        let second = w.second_group(program, 1).await;
        let listed = async || {
            let page: Value = w.app.get("/api/v1/programs?open=true", None).await.json().await.unwrap();
            page["items"].as_array().unwrap().iter().any(|p| p["id"] == program)
        };
        assert!(listed().await);
        let mut applications = Vec::new();
        for (n, group) in [(80, first), (81, second)] {
            let (child, _) = w.child(w.parent_id, n, birth(8), "active").await;
            let a = w.json(Method::POST, "/applications", &w.parent, json!({ "child_id": child, "group_id": group }), StatusCode::CREATED).await;
            applications.push(a["id"].as_i64().unwrap());
            let both_full = group == second;
            assert_eq!(listed().await, !both_full, "after the place in group {group}");
        }
        w.post(&format!("/applications/{}/cancel", applications[0]), &w.parent, json!({})).await;
        assert!(listed().await, "a place given back opens the program again");
    }

    /// Staff move a child to another group of the program with the family's
    /// consent: the place moves, the old group's place goes to its waiting
    /// list, the move is in the child's audit trail; a full group, a group of
    /// another program and a missing consent are refused and change nothing.
    async fn a_child_moves_to_another_group_of_the_program(backend: Backend) {
        let w = World::open(backend).await;
        let (program, from, _) = w.program(false, 1, 0).await;
        let to = w.second_group(program, 2).await;
        let mut ids = Vec::new();
        for n in 0..2 {
            let (child, _) = w.child(w.parent_id, 90 + n, birth(8), "active").await;
            let a = w.json(Method::POST, "/applications", &w.parent, json!({ "child_id": child, "group_id": from }), StatusCode::CREATED).await;
            ids.push(a["id"].as_i64().unwrap());
        }
        let transfer = async |id: i64, body: Value| w.send(Method::POST, &format!("/applications/{id}/transfer"), &w.staff, body).await;
        let refused = transfer(ids[0], json!({ "group_id": to })).await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
        let problem: Value = refused.json().await.unwrap();
        assert!(problem["errors"]["family_consent"].is_array(), "{problem}");
        let (_, elsewhere, _) = w.program(false, 5, 0).await;
        let refused = transfer(ids[0], json!({ "group_id": elsewhere, "family_consent": true })).await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
        assert_eq!(w.enrolled_in(from).await, 1);

        let moved = transfer(ids[0], json!({ "group_id": to, "family_consent": true })).await;
        assert_eq!(moved.status(), StatusCode::OK);
        let moved: Value = moved.json().await.unwrap();
        assert_eq!((moved["group_id"].as_i64(), moved["status"].as_str()), (Some(to), Some("submitted")));
        assert_eq!((w.enrolled_in(from).await, w.enrolled_in(to).await), (1, 1), "the waiting one took the old place");
        let second = w.json(Method::GET, &format!("/applications/{}", ids[1]), &w.parent, Value::Null, StatusCode::OK).await;
        assert_eq!(second["status"], "submitted");
        let audit = w.app.state.db(move |c| navigator_api::audit::of_child(c, navigator_shared::ids::ChildId(moved["child_id"].as_i64().unwrap()))).await.unwrap();
        assert!(audit.iter().any(|e| e.action == "transfer"), "{audit:?}");

        // The second child fills the new group; a third cannot follow.
        w.json(Method::POST, &format!("/applications/{}/transfer", ids[1]), &w.staff, json!({ "group_id": to, "family_consent": true }), StatusCode::OK).await;
        let (child, _) = w.child(w.parent_id, 92, birth(8), "active").await;
        let third = w.json(Method::POST, "/applications", &w.parent, json!({ "child_id": child, "group_id": from }), StatusCode::CREATED).await;
        let full = transfer(third["id"].as_i64().unwrap(), json!({ "group_id": to, "family_consent": true })).await;
        assert_eq!(full.status(), StatusCode::CONFLICT);
        let problem: Value = full.json().await.unwrap();
        assert_eq!(problem["code"], "group_full");
        assert_eq!((w.enrolled_in(from).await, w.enrolled_in(to).await), (1, 2));
    }

    /// Moves into a group with one free place, all at once: one gets it.
    async fn parallel_transfers_never_overfill_a_group(backend: Backend) {
        let w = World::open(backend).await;
        let (program, from, _) = w.program(false, 8, 0).await;
        let to = w.second_group(program, 1).await;
        let mut ids = Vec::new();
        for n in 0..8 {
            let (child, _) = w.child(w.parent_id, 100 + n, birth(8), "active").await;
            let a = w.json(Method::POST, "/applications", &w.parent, json!({ "child_id": child, "group_id": from }), StatusCode::CREATED).await;
            ids.push(a["id"].as_i64().unwrap());
        }
        let w = &w;
        let answers: Vec<_> = stream::iter(ids.iter().map(|id| async move {
            let path = format!("/applications/{id}/transfer");
            w.send(Method::POST, &path, &w.staff, json!({ "group_id": to, "family_consent": true })).await
        }))
        .buffer_unordered(8)
        .collect()
        .await;
        assert_eq!(answers.iter().filter(|r| r.status() == StatusCode::OK).count(), 1);
        assert!(answers.iter().all(|r| r.status() == StatusCode::OK || r.status() == StatusCode::CONFLICT));
        assert_eq!((w.enrolled_in(from).await, w.enrolled_in(to).await), (7, 1));
    }

    async fn applying_follows_the_rules(backend: Backend) {
        let w = World::open_with(backend, |c| c.max_open_applications = 2).await;
        let (_, group, _) = w.program(false, 30, 0).await;
        let apply = |child: i64, extra: Value| {
            let mut body = json!({ "child_id": child, "group_id": group });
            body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            body
        };
        // No certificate: refused, unless it is requested in the same step.
        let (bare, _) = w.child(w.parent_id, 20, birth(9), "none").await;
        let (status, body) = problem(w.send(Method::POST, "/applications", &w.parent, apply(bare, json!({}))).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("certificate_required")));
        // The certificate requested with the application needs the applicant's consents, recorded as at «Получить сертификат».
        let (status, body) = problem(w.send(Method::POST, "/applications", &w.parent, apply(bare, json!({ "request_certificate": true }))).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["consent_personal_data"].is_array() && body["errors"]["consent_rules"].is_array(), "{body}");
        let consented = json!({ "request_certificate": true, "consent_personal_data": true, "consent_rules": true });
        let a = w.json(Method::POST, "/applications", &w.parent, apply(bare, consented), StatusCode::CREATED).await;
        assert!(a["certificate_number"].as_str().is_some_and(|n| n.len() == 10));
        let consents: i64 = w
            .app
            .state
            .db(move |c| {
                use diesel::prelude::*;
                use navigator_api::db::schema::consents::dsl::*;
                consents.filter(child_id.eq(bare)).count().get_result(c)
            })
            .await
            .unwrap();
        assert_eq!(consents, 2, "both consents kept with the child's certificate request");
        // Twice to the same group.
        let (_, body) = problem(w.send(Method::POST, "/applications", &w.parent, apply(bare, json!({}))).await).await;
        assert_eq!(body["code"], "already_applied");
        // Too young; a lapsed certificate.
        let (small, _) = w.child(w.parent_id, 21, birth(4), "active").await;
        let (_, body) = problem(w.send(Method::POST, "/applications", &w.parent, apply(small, json!({}))).await).await;
        assert_eq!(body["code"], "age_mismatch");
        let (lapsed, _) = w.child(w.parent_id, 22, birth(9), "lapsed").await;
        let (_, body) = problem(w.send(Method::POST, "/applications", &w.parent, apply(lapsed, json!({}))).await).await;
        assert_eq!(body["code"], "certificate_invalid");
        // A pending certificate may apply but not be enrolled.
        w.post(&format!("/applications/{}/confirm", a["id"]), &w.staff, json!({})).await;
        let (_, body) = problem(w.send(Method::POST, &format!("/applications/{}/enroll", a["id"]), &w.staff, json!({})).await).await;
        assert_eq!(body["code"], "certificate_not_active");
        // The limit of open applications per child (2 here).
        let (busy, _) = w.child(w.parent_id, 23, birth(9), "active").await;
        for _ in 0..2 {
            let (_, other, _) = w.program(false, 30, 0).await;
            w.json(Method::POST, "/applications", &w.parent, json!({ "child_id": busy, "group_id": other }), StatusCode::CREATED).await;
        }
        let (_, body) = problem(w.send(Method::POST, "/applications", &w.parent, apply(busy, json!({}))).await).await;
        assert_eq!(body["code"], "too_many_applications");
        // Staff apply for a visitor by the certificate number.
        let (_, number) = w.child(w.parent_id, 24, birth(10), "active").await;
        let visitor = w.json(Method::POST, "/applications", &w.staff, json!({ "certificate_number": number, "group_id": group }), StatusCode::CREATED).await;
        assert_eq!(visitor["status"], "submitted");
        let (_, body) = problem(w.send(Method::POST, "/applications", &w.staff, json!({ "certificate_number": "12", "group_id": group })).await).await;
        assert!(body["errors"]["certificate_number"].is_array(), "{body}");
    }

    async fn an_excluded_certificate_ends_the_studies_and_stops_paying(backend: Backend) {
        let w = World::open(backend).await;
        w.period(100, 100 * NOMINAL).await;
        let (child, number) = w.child(w.parent_id, 50, birth(9), "active").await;
        w.fund(&w.parent, child).await;
        let (_, group, module) = w.program(true, 1, 300_000).await;
        let (_, other_group, _) = w.program(false, 10, 0).await;
        let id = w.post("/applications", &w.parent, json!({ "child_id": child, "group_id": group })).await["id"].as_i64().unwrap();
        w.post(&format!("/applications/{id}/confirm"), &w.staff, json!({})).await;
        let contract = w.post(&format!("/applications/{id}/contract-offers"), &w.staff, json!({ "module_id": module })).await;
        w.post(&format!("/contracts/{}/accept", contract["id"]), &w.parent, json!({})).await;
        let open = w.post("/applications", &w.parent, json!({ "child_id": child, "group_id": other_group })).await;
        assert_eq!(open["status"], "submitted");
        // Another child waits for the only place.
        let (sister, _) = w.child(w.parent_id, 51, birth(9), "active").await;
        let waiting = w.post("/applications", &w.parent, json!({ "child_id": sister, "group_id": group })).await;
        assert_eq!(waiting["status"], "waiting");

        let excluded = w.post(&format!("/registry/certificates/{number}/exclude"), &w.operator, json!({ "reason": "moved_out_of_region" })).await;
        assert_eq!(excluded["certificate"]["status"], "excluded", "{excluded}");
        let enrolled = w.json(Method::GET, &format!("/applications/{id}"), &w.parent, Value::Null, StatusCode::OK).await;
        assert_eq!((enrolled["status"].as_str(), enrolled["contract"]["status"].as_str()), (Some("expelled"), Some("terminated")), "{enrolled}");
        assert_eq!(enrolled["reason"], "moved");
        let open = w.json(Method::GET, &format!("/applications/{}", open["id"]), &w.parent, Value::Null, StatusCode::OK).await;
        assert_eq!(open["status"], "cancelled");
        let waiting = w.json(Method::GET, &format!("/applications/{}", waiting["id"]), &w.parent, Value::Null, StatusCode::OK).await;
        assert_eq!(waiting["status"], "submitted", "the waiting list moved up");
        let ledger = w.ledger(&w.parent, &number).await;
        // The reserve came back and, with the certificate ended, the whole free
        // remainder goes with it: no sum outlives the certificate.
        assert_eq!((ledger["balance"]["reserved"].as_i64(), ledger["balance"]["available"].as_i64()), (Some(0), Some(0)), "{ledger}");
        let entries = ledger["entries"].as_array().unwrap();
        assert!(entries.iter().any(|e| e["kind"] == "release"), "{ledger}");
        let gone = entries.iter().find(|e| e["kind"] == "expire").unwrap_or_else(|| panic!("no expire entry: {ledger}"));
        assert_eq!(gone["amount"].as_i64(), Some(NOMINAL), "{ledger}");
        w.assert_balanced(&number).await;
        // The month's charge takes nothing from it, and the organization was told.
        let month = today().format("%Y-%m").to_string();
        assert_eq!(w.post("/billing/charges", &w.admin, json!({ "month": month })).await["charged"], 0);
        assert_eq!(w.ledger(&w.parent, &number).await["balance"]["spent"], 0);
        let inbox = w.json(Method::GET, "/me/messages", &w.staff, Value::Null, StatusCode::OK).await;
        assert!(inbox.to_string().contains(&format!("Сертификат № {number} исключён из реестра")), "{inbox}");
        // One message for the organization, naming both of its applications.
        let told: Vec<&Value> = inbox["items"].as_array().unwrap().iter().filter(|m| m["body"].as_str().unwrap().contains("исключён из реестра")).collect();
        assert_eq!(told.len(), 1, "{inbox}");
        let body = told[0]["body"].as_str().unwrap();
        assert!(body.contains("отчислен") && body.contains("отменена"), "{body}");
    }

    async fn uncertifying_a_program_withdraws_its_offers_and_keeps_running_contracts(backend: Backend) {
        let w = World::open(backend).await;
        w.period(100, 100 * NOMINAL).await;
        let (program, group, module) = w.program(true, 10, 200_000).await;
        let mut contracts = Vec::new();
        for n in [60, 61] {
            let (child, _) = w.child(w.parent_id, n, birth(9), "active").await;
            w.fund(&w.parent, child).await;
            let id = w.post("/applications", &w.parent, json!({ "child_id": child, "group_id": group })).await["id"].as_i64().unwrap();
            w.post(&format!("/applications/{id}/confirm"), &w.staff, json!({})).await;
            contracts.push(w.post(&format!("/applications/{id}/contract-offers"), &w.staff, json!({ "module_id": module })).await);
        }
        let running = contracts[0]["id"].as_i64().unwrap();
        w.post(&format!("/contracts/{running}/accept"), &w.parent, json!({})).await;

        w.json(Method::PUT, &format!("/moderation/programs/{program}/certified"), &w.operator, json!({ "certified": false }), StatusCode::OK).await;
        let (status, body) = problem(w.send(Method::POST, &format!("/contracts/{}/accept", contracts[1]["id"]), &w.parent, json!({})).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("not_offered")), "{body}");
        let (status, body) = problem(w.send(Method::POST, &format!("/applications/{}/contract-offers", contracts[1]["application_id"]), &w.staff, json!({ "module_id": module })).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("not_certified")));
        let withdrawn = w.json(Method::GET, &format!("/applications/{}", contracts[1]["application_id"]), &w.parent, Value::Null, StatusCode::OK).await;
        assert_eq!(withdrawn["status"], "confirmed", "{withdrawn}");
        let kept = w.json(Method::GET, &format!("/applications/{}", contracts[0]["application_id"]), &w.parent, Value::Null, StatusCode::OK).await;
        assert_eq!(kept["contract"]["status"], "active", "an accepted contract runs to its end");
        let messages = w.json(Method::GET, "/me/messages", &w.parent, Value::Null, StatusCode::OK).await;
        assert!(messages.to_string().contains("договор отозван"), "{messages}");
    }

    async fn only_a_verified_provider_is_paid_by_certificate(backend: Backend) {
        let w = World::open(backend).await;
        w.period(100, 100 * NOMINAL).await;
        let (program, group, module) = w.program(true, 10, 300_000).await;
        let mut applications = Vec::new();
        for n in [70, 71] {
            let (child, _) = w.child(w.parent_id, n, birth(9), "active").await;
            w.fund(&w.parent, child).await;
            let id = w.post("/applications", &w.parent, json!({ "child_id": child, "group_id": group })).await["id"].as_i64().unwrap();
            w.post(&format!("/applications/{id}/confirm"), &w.staff, json!({})).await;
            applications.push(id);
        }
        let contract = w.post(&format!("/applications/{}/contract-offers", applications[0]), &w.staff, json!({ "module_id": module })).await;
        let offered = w.post(&format!("/applications/{}/contract-offers", applications[1]), &w.staff, json!({ "module_id": module })).await;
        w.post(&format!("/contracts/{}/accept", contract["id"]), &w.parent, json!({})).await;

        // The registry no longer lists the organization as a provider.
        let organization = w.organization;
        w.app
            .state
            .db(move |c| {
                use diesel::prelude::*;
                use navigator_api::db::schema::organizations::dsl::*;
                diesel::update(organizations.find(organization)).set(is_provider.eq(false)).execute(c)
            })
            .await
            .unwrap();
        let month = today().format("%Y-%m").to_string();
        assert_eq!(w.post("/billing/charges", &w.admin, json!({ "month": month })).await["charged"], 0, "no charge to an unverified provider");
        let (status, body) = problem(w.send(Method::POST, &format!("/contracts/{}/accept", offered["id"]), &w.parent, json!({})).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("not_verified_provider")), "{body}");
        let (other, _, _) = w.program(false, 10, 0).await;
        let (status, body) = problem(w.send(Method::PUT, &format!("/moderation/programs/{other}/certified"), &w.operator, json!({ "certified": true })).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("not_verified_provider")), "{body}");
        // Taking the mark off stays possible; putting it back is not.
        w.json(Method::PUT, &format!("/moderation/programs/{program}/certified"), &w.operator, json!({ "certified": false }), StatusCode::OK).await;
        let (status, body) = problem(w.send(Method::PUT, &format!("/moderation/programs/{program}/certified"), &w.operator, json!({ "certified": true })).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("not_verified_provider")));
    }

    async fn a_completed_contract_gives_back_what_it_did_not_spend(backend: Backend) {
        let w = World::open(backend).await;
        w.period(100, 100 * NOMINAL).await;
        let (child, number) = w.child(w.parent_id, 80, birth(9), "active").await;
        w.fund(&w.parent, child).await;
        let (_, group, module) = w.program(true, 10, 300_000).await;
        let id = w.post("/applications", &w.parent, json!({ "child_id": child, "group_id": group })).await["id"].as_i64().unwrap();
        w.post(&format!("/applications/{id}/confirm"), &w.staff, json!({})).await;
        let contract = w.post(&format!("/applications/{id}/contract-offers"), &w.staff, json!({ "module_id": module })).await;
        w.post(&format!("/contracts/{}/accept", contract["id"]), &w.parent, json!({})).await;
        let months = contract["months"].as_i64().unwrap();
        let last = navigator_shared::applications::add_months(today(), i32::try_from(months).unwrap() - 1);
        let charged = w.app.state.db(move |c| navigator_api::applications::contracts::service::charge_through(c, last)).await.unwrap();
        assert_eq!(charged, usize::try_from(months).unwrap());
        let application = w.json(Method::GET, &format!("/applications/{id}"), &w.parent, Value::Null, StatusCode::OK).await;
        assert_eq!(application["contract"]["status"], "completed");
        let ledger = w.ledger(&w.parent, &number).await;
        let (spent, available) = (ledger["balance"]["spent"].as_i64().unwrap(), ledger["balance"]["available"].as_i64().unwrap());
        assert_eq!(ledger["balance"]["reserved"], 0, "nothing stays reserved for a finished contract: {ledger}");
        assert_eq!(spent + available, NOMINAL);
        let first = today().with_day(1).unwrap();
        let days = (navigator_shared::applications::add_months(first, 1) - first).num_days();
        let share = 300_000 / months;
        let first_month = share * (days - i64::from(today().day()) + 1) / days;
        assert_eq!(spent, first_month + share * (months - 2) + (300_000 - share * (months - 1)), "{ledger}");
        let released = ledger["entries"].as_array().unwrap().iter().any(|e| e["kind"] == "release");
        assert_eq!(released, spent < 300_000, "{ledger}");
        w.assert_balanced(&number).await;
    }

    async fn retries_with_an_idempotency_key_get_the_first_answer(backend: Backend) {
        let w = World::open(backend).await;
        let (_, group, _) = w.program(false, 30, 0).await;
        let (child, _) = w.child(w.parent_id, 30, birth(9), "active").await;
        let (_, other_group, _) = w.program(false, 30, 0).await;
        let client = reqwest::Client::new();
        let send = |body: Value| {
            client
                .post(w.app.url("/api/v1/applications"))
                .bearer_auth(&w.parent)
                .header("Idempotency-Key", "apply-1")
                .json(&body)
                .send()
        };
        let first = send(json!({ "child_id": child, "group_id": group })).await.unwrap();
        assert_eq!(first.status(), StatusCode::CREATED);
        let first: Value = first.json().await.unwrap();
        let again = send(json!({ "child_id": child, "group_id": group })).await.unwrap();
        assert_eq!(again.status(), StatusCode::CREATED);
        let again: Value = again.json().await.unwrap();
        assert_eq!(first["id"], again["id"]);
        let (status, body) = problem(send(json!({ "child_id": child, "group_id": other_group })).await.unwrap()).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("idempotency_key_reused")));
        let list = w.json(Method::GET, "/applications", &w.parent, Value::Null, StatusCode::OK).await;
        assert_eq!(list["total"], 1);
    }

    async fn a_retry_after_the_server_died_past_the_effect_gets_the_first_answer(backend: Backend) {
        let w = World::open(backend).await;
        w.period(100, 100 * NOMINAL).await;
        let (child, number) = w.child(w.parent_id, 31, birth(9), "active").await;
        let request = w.post(&format!("/children/{child}/certificate/funding-requests"), &w.parent, json!({})).await;
        let (_, group, _) = w.program(false, 30, 0).await;
        let keyed = |url: String, token: &str, key: &str| {
            reqwest::Client::new().post(url).bearer_auth(token).header("Idempotency-Key", key)
        };
        // A server that stops right after committing a keyed action's effect.
        let mut dying = w.app.process(&[("FAULT_POINT", "after_effect")]).await;
        let approve = format!("/api/v1/funding-requests/{}/approve", request["id"]);
        let lost = keyed(dying.url(&approve), &w.operator, "approve-1").json(&json!({})).send().await;
        assert!(lost.is_err(), "the server answered: {lost:?}");
        assert!(!dying.wait().success());
        // The retry reaches another instance and gets the approval, once.
        let retry = keyed(w.app.url(&approve), &w.operator, "approve-1").json(&json!({})).send().await.unwrap();
        assert_eq!(retry.status(), StatusCode::OK);
        let retry: Value = retry.json().await.unwrap();
        assert_eq!((retry["id"].clone(), retry["status"].as_str()), (request["id"].clone(), Some("approved")));
        let ledger = w.ledger(&w.parent, &number).await;
        assert_eq!(ledger["balance"]["available"], NOMINAL, "{ledger}");
        assert_eq!(ledger["entries"].as_array().unwrap().len(), 1, "{ledger}");
        w.assert_balanced(&number).await;

        let mut dying = w.app.process(&[("FAULT_POINT", "after_effect")]).await;
        let body = json!({ "child_id": child, "group_id": group });
        let lost = keyed(dying.url("/api/v1/applications"), &w.parent, "apply-1").json(&body).send().await;
        assert!(lost.is_err(), "the server answered: {lost:?}");
        assert!(!dying.wait().success());
        let retry = keyed(w.app.url("/api/v1/applications"), &w.parent, "apply-1").json(&body).send().await.unwrap();
        assert_eq!(retry.status(), StatusCode::CREATED);
        let retry: Value = retry.json().await.unwrap();
        let list = w.json(Method::GET, "/applications", &w.parent, Value::Null, StatusCode::OK).await;
        assert_eq!(list["total"], 1);
        assert_eq!(list["items"][0]["id"], retry["id"]);
        assert_eq!(retry["status"], "submitted");
    }

    async fn each_side_sees_only_its_own(backend: Backend) {
        let w = World::open(backend).await;
        w.period(100, 100 * NOMINAL).await;
        let (child, number) = w.child(w.parent_id, 40, birth(9), "active").await;
        w.fund(&w.parent, child).await;
        let (_, group, module) = w.program(true, 10, 200_000).await;
        let a = w.post("/applications", &w.parent, json!({ "child_id": child, "group_id": group })).await;
        let id = a["id"].as_i64().unwrap();
        // Another family.
        let stranger = w.app.account("papa@example.org", navigator_shared::accounts::Role::Parent).await;
        w.json(Method::GET, &format!("/applications/{id}"), &stranger, Value::Null, StatusCode::NOT_FOUND).await;
        w.json(Method::GET, &format!("/certificates/{number}/ledger"), &stranger, Value::Null, StatusCode::NOT_FOUND).await;
        w.json(Method::POST, &format!("/applications/{id}/cancel"), &stranger, json!({}), StatusCode::NOT_FOUND).await;
        let list = w.json(Method::GET, "/applications", &stranger, Value::Null, StatusCode::OK).await;
        assert_eq!(list["total"], 0);
        // Staff of another organization.
        let other_org = w.app.organization(w.municipality, false).await;
        let other_staff = w.app.staff_of("other-teacher@example.org", other_org).await;
        w.json(Method::POST, &format!("/applications/{id}/confirm"), &other_staff, json!({}), StatusCode::NOT_FOUND).await;
        // The family cannot decide for the organization.
        w.json(Method::POST, &format!("/applications/{id}/confirm"), &w.parent, json!({}), StatusCode::FORBIDDEN).await;
        w.post(&format!("/applications/{id}/confirm"), &w.staff, json!({})).await;
        let contract = w.post(&format!("/applications/{id}/contract-offers"), &w.staff, json!({ "module_id": module })).await;
        w.json(Method::POST, &format!("/contracts/{}/accept", contract["id"]), &stranger, json!({}), StatusCode::NOT_FOUND).await;
        // An operator of another municipality decides nothing here.
        let vyazma = w.app.municipality("Вяземский район").await;
        let far_operator = w.app.operator_of("far-operator@example.org", vyazma).await;
        let (other_child, _) = w.child(w.parent_id, 41, birth(9), "active").await;
        let request = w.post(&format!("/children/{other_child}/certificate/funding-requests"), &w.parent, json!({})).await;
        let (status, body) = problem(w.send(Method::POST, &format!("/funding-requests/{}/approve", request["id"]), &far_operator, json!({})).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("outside_territory")));
        let queue = w.json(Method::GET, "/funding-requests", &far_operator, Value::Null, StatusCode::OK).await;
        assert_eq!(queue["total"], 0);
        // The operator of the child's municipality sees the ledger.
        w.ledger(&w.operator, &number).await;
    }

    async fn parallel_applications_never_overfill_a_group(backend: Backend) {
        let w = World::open(backend).await;
        let (_, group, _) = w.program(false, 30, 0).await;
        let mut numbers = Vec::new();
        for n in 0..500 {
            numbers.push(w.child(w.parent_id, 1000 + n, birth(9), "active").await.1);
        }
        // 128 requests in flight at a time: client and server share this
        // process's file descriptors.
        let created: Vec<_> = stream::iter(numbers.iter().map(|number| {
            w.send(Method::POST, "/applications", &w.staff, json!({ "certificate_number": number, "group_id": group }))
        }))
        .buffer_unordered(IN_FLIGHT)
        .collect()
        .await;
        let mut ids = Vec::new();
        for response in created {
            assert_eq!(response.status(), StatusCode::CREATED);
            let a: Value = response.json().await.unwrap();
            ids.push((a["id"].as_i64().unwrap(), a["status"].as_str().unwrap().to_owned()));
        }
        assert_eq!(ids.iter().filter(|(_, s)| s == "submitted").count(), 30);
        assert_eq!(ids.iter().filter(|(_, s)| s == "waiting").count(), 470);
        // Everybody is confirmed and enrolled at once: only the 30 get in.
        let confirmed: Vec<_> = stream::iter(ids.iter().map(|(id, _)| w.hit(format!("/applications/{id}/confirm"), &w.staff)))
            .buffer_unordered(IN_FLIGHT)
            .collect()
            .await;
        assert_eq!(confirmed.iter().filter(|r| r.status() == StatusCode::OK).count(), 30);
        let enrolled: Vec<_> = stream::iter(ids.iter().map(|(id, _)| w.hit(format!("/applications/{id}/enroll"), &w.staff)))
            .buffer_unordered(IN_FLIGHT)
            .collect()
            .await;
        assert_eq!(enrolled.iter().filter(|r| r.status() == StatusCode::OK).count(), 30);
        assert_eq!(w.enrolled_in(group).await, 30);
        let list = w.json(Method::GET, &format!("/applications?status=enrolled&group_id={group}"), &w.staff, Value::Null, StatusCode::OK).await;
        assert_eq!(list["total"], 30);
    }

    async fn parallel_approvals_never_pass_the_limits(backend: Backend) {
        let w = World::open(backend).await;
        // Count limit 5, volume enough for 7.
        w.period(5, 7 * NOMINAL).await;
        let second = w.app.operator_of("operator2@example.org", w.municipality).await;
        let mut requests = Vec::new();
        for n in 0..12 {
            let (child, _) = w.child(w.parent_id, 50 + n, birth(9), "active").await;
            requests.push(w.post(&format!("/children/{child}/certificate/funding-requests"), &w.parent, json!({})).await["id"].as_i64().unwrap());
        }
        let answers = join_all(requests.iter().enumerate().map(|(i, id)| {
            let token = if i % 2 == 0 { &w.operator } else { &second };
            w.hit(format!("/funding-requests/{id}/approve"), token)
        }))
        .await;
        assert_eq!(answers.iter().filter(|r| r.status() == StatusCode::OK).count(), 5);
        // Which requests were turned down depends on the race: refuse one of those below.
        let turned_down = requests.iter().zip(&answers).find(|(_, r)| r.status() != StatusCode::OK).map(|(id, _)| *id).unwrap();
        let mut codes = Vec::new();
        for response in answers.into_iter().filter(|r| r.status() != StatusCode::OK) {
            codes.push(response.json::<Value>().await.unwrap()["code"].as_str().unwrap().to_owned());
        }
        assert!(codes.iter().all(|c| c == "count_limit"), "{codes:?}");
        let periods = w.json(Method::GET, "/funding-periods", &w.operator, Value::Null, StatusCode::OK).await;
        assert_eq!(periods[0]["funded_count"], 5);
        assert_eq!(periods[0]["funded_volume"], 5 * NOMINAL);
        // The limits cannot be lowered below what is used.
        let mut body = periods[0].clone();
        body["max_certificates"] = json!(4);
        let (_, problem_body) = problem(w.send(Method::PUT, &format!("/funding-periods/{}", periods[0]["id"]), &w.operator, body).await).await;
        assert_eq!(problem_body["code"], "limits_below_used");
        // A refusal with the official reason reaches the family.
        let refused = w.post(&format!("/funding-requests/{turned_down}/reject"), &w.operator, json!({ "reason": "count_limit" })).await;
        assert_eq!(refused["status"], "refused");
    }

    async fn the_volume_limit_holds_too(backend: Backend) {
        let w = World::open(backend).await;
        w.period(10, 3 * NOMINAL + NOMINAL / 2).await;
        let mut requests = Vec::new();
        for n in 0..6 {
            let (child, _) = w.child(w.parent_id, 70 + n, birth(9), "active").await;
            requests.push(w.post(&format!("/children/{child}/certificate/funding-requests"), &w.parent, json!({})).await["id"].as_i64().unwrap());
        }
        let answers = join_all(requests.iter().map(|id| w.hit(format!("/funding-requests/{id}/approve"), &w.operator))).await;
        assert_eq!(answers.iter().filter(|r| r.status() == StatusCode::OK).count(), 3);
        let periods = w.json(Method::GET, "/funding-periods", &w.operator, Value::Null, StatusCode::OK).await;
        assert_eq!(periods[0]["funded_volume"], 3 * NOMINAL);
    }

    async fn parallel_acceptances_never_overdraw_a_certificate(backend: Backend) {
        let w = World::open(backend).await;
        w.period(100, 100 * NOMINAL).await;
        let (child, number) = w.child(w.parent_id, 80, birth(9), "active").await;
        w.fund(&w.parent, child).await;
        // Five contracts of 3 000 ₽ against a nominal of 10 000 ₽: three fit.
        let mut contracts = Vec::new();
        for _ in 0..5 {
            let (_, group, module) = w.program(true, 10, 300_000).await;
            let a = w.post("/applications", &w.parent, json!({ "child_id": child, "group_id": group })).await;
            w.post(&format!("/applications/{}/confirm", a["id"]), &w.staff, json!({})).await;
            let c = w.post(&format!("/applications/{}/contract-offers", a["id"]), &w.staff, json!({ "module_id": module })).await;
            contracts.push(c["id"].as_i64().unwrap());
        }
        let answers = join_all(contracts.iter().map(|id| w.hit(format!("/contracts/{id}/accept"), &w.parent))).await;
        assert_eq!(answers.iter().filter(|r| r.status() == StatusCode::OK).count(), 3);
        for response in answers.into_iter().filter(|r| r.status() != StatusCode::OK) {
            let (_, body) = problem(response).await;
            assert_eq!(body["code"], "insufficient_balance");
            assert!(body["detail"].as_str().unwrap().contains("доступно 1\u{a0}000\u{a0}₽"), "{body}");
        }
        let ledger = w.ledger(&w.parent, &number).await;
        assert_eq!(ledger["balance"]["available"], NOMINAL - 900_000);
        w.assert_balanced(&number).await;
        // The monthly job on two "instances" at once: each month charged once.
        let month = navigator_shared::applications::month_start(today());
        let state = w.app.state.clone();
        let runs = join_all((0..2).map(|_| {
            let state = state.clone();
            async move { state.db(move |c| navigator_api::applications::contracts::service::charge_through(c, month)).await.unwrap() }
        }))
        .await;
        assert_eq!(runs.iter().sum::<usize>(), 3);
        w.assert_balanced(&number).await;
    }

    async fn random_ledger_operations_keep_the_sums_equal_to_the_entries(backend: Backend) {
        use navigator_api::ledger::repo::{Movement, PostError, balance, balance_of_entries, post};
        use navigator_shared::funding::{Balance, LedgerKind};
        use rand::{Rng, SeedableRng};
        let w = World::open(backend).await;
        let (child, _) = w.child(w.parent_id, 90, birth(9), "active").await;
        let outcome = w
            .app
            .state
            .db(move |c| {
                let certificate =
                    navigator_api::children::certificates::repo::of_child(c, navigator_shared::ids::ChildId(child))?.unwrap().id;
                let mut rng = rand::rngs::StdRng::seed_from_u64(20_261_123);
                let mut model = Balance::default();
                for step in 0..300 {
                    let kind = LedgerKind::ALL[rng.gen_range(0..4)];
                    let amount = rng.gen_range(-5..200_000);
                    let movement = Movement {
                        certificate_id: certificate, account: navigator_shared::funding::Account::Personified, kind, amount, period_id: None, contract_id: None,
                        month: None, reason: "проверка", created_by: None,
                    };
                    let expected = model.apply(kind, amount);
                    match post(c, &movement) {
                        Ok(()) => model = expected.unwrap_or_else(|| panic!("step {step}: {kind:?} {amount} applied past the model")),
                        Err(PostError::Uncovered) => assert!(expected.is_none(), "step {step}: {kind:?} {amount} refused"),
                        Err(other) => panic!("step {step}: {other:?}"),
                    }
                    let kept = balance(c, certificate)?;
                    assert_eq!(kept, model, "step {step}");
                    assert_eq!(balance_of_entries(c, certificate, navigator_shared::funding::Account::Personified)?, kept, "step {step}");
                }
                Ok::<_, diesel::result::Error>(model)
            })
            .await
            .unwrap();
        assert_eq!(outcome.credited, outcome.available + outcome.reserved + outcome.spent);
    }
}

both_backends! {
    async fn the_demo_family_has_a_funded_certificate_with_applications_and_charges(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        assert!(navigator_api::demo::seed_if_empty(&app.state, navigator_api::demo::Size { programs: 300, children: 200 }).await.unwrap());
        let (token, _) = app.login("parent@example.org", navigator_api::demo::PASSWORD).await;
        let list: Value = app.get("/api/v1/applications", Some(&token)).await.json().await.unwrap();
        let statuses: Vec<&str> = list["items"].as_array().unwrap().iter().map(|a| a["status"].as_str().unwrap()).collect();
        for status in ["enrolled", "confirmed", "submitted", "rejected"] {
            assert!(statuses.contains(&status), "{status} in {statuses:?}");
        }
        let number = list["items"][0]["certificate_number"].as_str().unwrap().to_owned();
        let ledger: Value = app.get(&format!("/api/v1/certificates/{number}/ledger"), Some(&token)).await.json().await.unwrap();
        assert_eq!(ledger["kind"], "funded");
        assert!(ledger["balance"]["spent"].as_i64().unwrap() > 0, "{ledger}");
        assert!(ledger["balance"]["reserved"].as_i64().unwrap() > 0, "{ledger}");
        let kinds: Vec<&str> = ledger["entries"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert!(kinds.contains(&"credit") && kinds.contains(&"reserve") && kinds.contains(&"charge"), "{kinds:?}");
        // The demo provider's inbox has the family's applications.
        let (provider, _) = app.login(navigator_api::demo::PROVIDER, navigator_api::demo::PASSWORD).await;
        let inbox: Value = app.get("/api/v1/applications", Some(&provider)).await.json().await.unwrap();
        assert!(inbox["total"].as_i64().unwrap() >= 1, "{inbox}");
        // The operator's queue has the record whose documents are complete;
        // the reception point sees it masked and leaves the decision.
        let (operator, _) = app.login("operator@example.org", navigator_api::demo::PASSWORD).await;
        let queue: Value = app.get("/api/v1/registry/certificates?status=awaiting_decision", Some(&operator)).await.json().await.unwrap();
        assert_eq!(queue["total"], 1, "{queue}");
        let waiting = queue["items"][0]["number"].as_str().unwrap().to_owned();
        let (reception, _) = app.login(navigator_api::demo::RECEPTION, navigator_api::demo::PASSWORD).await;
        let card: Value = app.get(&format!("/api/v1/registry/certificates/{waiting}"), Some(&reception)).await.json().await.unwrap();
        assert_eq!((card["personal_data_hidden"].as_bool(), card["may_decide"].as_bool()), (Some(true), Some(false)), "{card}");
        // The provider was paid for one month, and last month's invoice came back with a comment.
        let payments: Value = app.get("/api/v1/payment-requests", Some(&operator)).await.json().await.unwrap();
        let statuses: Vec<&str> = payments["items"].as_array().unwrap().iter().map(|r| r["status"].as_str().unwrap()).collect();
        assert!(statuses.contains(&"paid") && statuses.contains(&"returned"), "{payments}");
        let own: Value = app.get("/api/v1/payment-requests", Some(&provider)).await.json().await.unwrap();
        assert_eq!(own["total"], payments["total"], "{own}");
    }
}

both_backends! {
    /// Seed 003: «учебный год – текущий или следующий». Families apply to
    /// groups of the region's current or next academic year; organizations
    /// plan groups only for those years.
    async fn families_apply_for_this_academic_year_or_the_next(backend: Backend) {
        let w = World::open(backend).await;
        let (program, group, _) = w.program(false, 30, 0).await;
        let (child, _) = w.child(w.parent_id, 30, birth(9), "active").await;
        let current = navigator_shared::reference::academic_year_of(today());
        // The admin moves the region on a year: this group's year is over.
        let moved = w.app.set_region(&w.admin, json!({ "academic_year": current + 1 })).await;
        assert_eq!(moved.status(), StatusCode::OK);
        let apply = json!({ "child_id": child, "group_id": group });
        let (status, body) = problem(w.send(Method::POST, "/applications", &w.parent, apply.clone()).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("academic_year_closed")), "{body}");
        assert!(body["detail"].as_str().unwrap().contains(&format!("{}/{}", current + 1, current + 2)), "{body}");
        w.app.set_region(&w.admin, json!({ "academic_year": current })).await;
        w.json(Method::POST, "/applications", &w.parent, apply, StatusCode::CREATED).await;

        // A group two academic years ahead is not planned yet.
        let far = json!({
            "name": "Группа будущего", "capacity": 10, "age_min": 7, "age_max": 12, "enrolment_open": true,
            "start_date": format!("{}-09-01", current + 2), "end_date": format!("{}-05-31", current + 3),
        });
        let (status, body) = problem(w.send(Method::POST, &format!("/cabinet/programs/{program}/groups"), &w.staff, far).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["start_date"].is_array(), "{body}");
        let card = w.json(Method::GET, &format!("/programs/{program}"), &w.parent, json!({}), StatusCode::OK).await;
        assert_eq!(card["groups"][0]["academic_year"], navigator_shared::reference::academic_year_of(today()));
    }
}

both_backends! {
    /// Seed 004: «Получите подписанное заявление на обучение и подтвердите
    /// зачисление». The organization prints the application for studies, the
    /// family signs it with the contract on paper, and staff register the
    /// signed contract: it reserves exactly as an online acceptance does,
    /// once, and is charged from the day it was signed.
    async fn a_contract_signed_on_paper_reserves_as_an_online_acceptance(backend: Backend) {
        let w = World::open(backend).await;
        w.period(100, 100 * NOMINAL).await;
        let (child, number) = w.child(w.parent_id, 60, birth(9), "active").await;
        w.fund(&w.parent, child).await;
        let (_, group, module) = w.program(true, 10, 300_000).await;
        let id = w.post("/applications", &w.parent, json!({ "child_id": child, "group_id": group })).await["id"].as_i64().unwrap();
        w.post(&format!("/applications/{id}/confirm"), &w.staff, json!({})).await;
        let contract = w.post(&format!("/applications/{id}/contract-offers"), &w.staff, json!({ "module_id": module })).await;

        // The printed application for studies names the child, the program and the certificate.
        let form_path = format!("/api/v1/applications/{id}/documents/enrolment.pdf");
        let form = w.app.get(&form_path, Some(&w.staff)).await;
        assert_eq!(form.status(), StatusCode::OK);
        assert_eq!(form.headers()["content-type"], "application/pdf");
        let bytes = form.bytes().await.unwrap();
        let pdf = lopdf::Document::load_mem(&bytes).unwrap();
        let pages: Vec<u32> = pdf.get_pages().keys().copied().collect();
        let text = pdf.extract_text(&pages).unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in ["Заявление о приёме на обучение", number.as_str(), "3 000 ₽", "Робототехника"] {
            assert!(text.contains(expected), "lacks {expected}: {text}");
        }
        assert_eq!(w.app.get(&form_path, Some(&w.parent)).await.status(), StatusCode::OK);
        let stranger = w.app.account("stranger@example.org", navigator_shared::accounts::Role::Parent).await;
        assert_eq!(w.app.get(&form_path, Some(&stranger)).await.status(), StatusCode::NOT_FOUND);

        let paper = format!("/contracts/{}/paper", contract["id"]);
        let tomorrow = today() + chrono::TimeDelta::days(1);
        let (status, body) = problem(w.send(Method::POST, &paper, &w.staff, json!({ "signed_on": tomorrow })).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["signed_on"].is_array(), "{body}");
        let (status, _) = problem(w.send(Method::POST, &paper, &w.parent, json!({ "signed_on": today() })).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "the family accepts online, it does not register paper");

        let signed = w.json(Method::POST, &paper, &w.staff, json!({ "signed_on": today() }), StatusCode::OK).await;
        assert_eq!((signed["status"].as_str(), signed["signed_on_paper"].as_str()), (Some("active"), Some(today().to_string().as_str())));
        let application = w.json(Method::GET, &format!("/applications/{id}"), &w.parent, Value::Null, StatusCode::OK).await;
        assert_eq!(application["status"], "enrolled");
        let ledger = w.ledger(&w.parent, &number).await;
        assert_eq!((ledger["balance"]["available"].as_i64(), ledger["balance"]["reserved"].as_i64()), (Some(NOMINAL - 300_000), Some(300_000)));
        let reserve = ledger["entries"].as_array().unwrap().iter().find(|e| e["kind"] == "reserve").unwrap();
        assert!(reserve["reason"].as_str().unwrap().contains("на бумаге"), "{reserve}");
        // Registered twice, or accepted online afterwards: one reserve.
        let (status, body) = problem(w.send(Method::POST, &paper, &w.staff, json!({ "signed_on": today() })).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("not_offered")));
        let (status, _) = problem(w.send(Method::POST, &format!("/contracts/{}/accept", contract["id"]), &w.parent, json!({})).await).await;
        assert_eq!(status, StatusCode::CONFLICT);
        w.assert_balanced(&number).await;
    }
}

both_backends! {
    /// Seed 003: the nominal is «на текущий календарный год». At the period's
    /// end the unreserved remainder is withdrawn by an `expire` entry, once,
    /// even with two passes at the same time; the reserve of a signed contract
    /// is carried and still charged; next year's nominal does not stack.
    async fn the_years_remainder_expires_and_reserves_are_carried(backend: Backend) {
        let w = World::open(backend).await;
        w.period(100, 100 * NOMINAL).await;
        let (child, number) = w.child(w.parent_id, 70, birth(9), "active").await;
        let (sister, sister_number) = w.child(w.parent_id, 71, birth(10), "active").await;
        w.fund(&w.parent, child).await;
        w.fund(&w.parent, sister).await;
        let (_, group, module) = w.program(true, 10, 300_000).await;
        let id = w.post("/applications", &w.parent, json!({ "child_id": child, "group_id": group })).await["id"].as_i64().unwrap();
        w.post(&format!("/applications/{id}/confirm"), &w.staff, json!({})).await;
        let contract = w.post(&format!("/applications/{id}/contract-offers"), &w.staff, json!({ "module_id": module })).await;
        w.post(&format!("/contracts/{}/accept", contract["id"]), &w.parent, json!({})).await;

        // Nothing expires while the period runs.
        let run = |day: NaiveDate| {
            let state = w.app.state.clone();
            async move { state.db(move |c| navigator_api::funding::service::expire_ended(c, day)).await.unwrap() }
        };
        assert_eq!(run(today()).await, 0);
        let new_year = NaiveDate::from_ymd_opt(today().year() + 1, 1, 1).unwrap();
        let (first, second) = tokio::join!(run(new_year), run(new_year));
        assert_eq!(first + second, 2, "each certificate loses its remainder once");
        assert_eq!(run(new_year).await, 0);

        let ledger = w.ledger(&w.parent, &number).await;
        assert_eq!(ledger["balance"], json!({ "credited": 300_000, "available": 0, "reserved": 300_000, "spent": 0 }));
        let expired: Vec<&Value> = ledger["entries"].as_array().unwrap().iter().filter(|e| e["kind"] == "expire").collect();
        assert_eq!(expired.len(), 1, "{ledger}");
        assert_eq!(expired[0]["amount"], NOMINAL - 300_000);
        assert_eq!(expired[0]["kind_title"], "Сгорание остатка номинала");
        let sister_ledger = w.ledger(&w.parent, &sister_number).await;
        assert_eq!(sister_ledger["balance"]["available"], 0);
        w.assert_balanced(&number).await;
        w.assert_balanced(&sister_number).await;

        // The carried reserve is still charged month by month.
        let month = today().format("%Y-%m").to_string();
        assert_eq!(w.post("/billing/charges", &w.admin, json!({ "month": month })).await["charged"], 1);
        let ledger = w.ledger(&w.parent, &number).await;
        assert!(ledger["balance"]["spent"].as_i64().unwrap() > 0, "{ledger}");
        w.assert_balanced(&number).await;

        // Next year's nominal arrives on a certificate with nothing left over.
        let (links, municipality, parent) = (w.app.state.links(), w.municipality, w.parent_id);
        let sister_cert = sister_number.clone();
        w.app
            .state
            .db(move |c| {
                use navigator_api::funding::{repo, service};
                let year = new_year.year();
                let input = navigator_shared::funding::FundingPeriodInput {
                    municipality_id: municipality, year, nominal: NOMINAL, max_certificates: 10, max_volume: 10 * NOMINAL,
                    starts_on: new_year, ends_on: NaiveDate::from_ymd_opt(year, 12, 31).unwrap(), advance_percent: 80, kind: navigator_shared::funding::FundingKind::Personified, unit: navigator_shared::funding::Unit::Rub,
                };
                let period = repo::insert_period(c, &input, navigator_api::notifications::now())?.unwrap();
                let (certificate, _) = navigator_api::children::certificates::repo::by_number(c, &sister_cert)?.unwrap();
                let request = repo::insert_request(c, certificate.id, period, parent, new_year, navigator_api::notifications::now())?.unwrap();
                let request = repo::find_request(c, request)?.unwrap();
                let period = repo::find_period(c, period)?.unwrap();
                service::credit(c, &links, parent, &request, &period)
            })
            .await
            .unwrap();
        let sister_ledger = w.ledger(&w.parent, &sister_number).await;
        assert_eq!(sister_ledger["balance"]["available"], NOMINAL, "no stacking: {sister_ledger}");
        w.assert_balanced(&sister_number).await;
    }
}

impl World {
    /// Applies, confirms, offers the module and accepts: (application id, contract).
    async fn enrol_by_contract(&self, child: i64, group: i64, module: i64) -> (i64, Value) {
        let id = self.post("/applications", &self.parent, json!({ "child_id": child, "group_id": group })).await["id"]
            .as_i64()
            .unwrap();
        self.post(&format!("/applications/{id}/confirm"), &self.staff, json!({})).await;
        let offer = self
            .post(&format!("/applications/{id}/contract-offers"), &self.staff, json!({ "module_id": module }))
            .await;
        let contract = self.post(&format!("/contracts/{}/accept", offer["id"]), &self.parent, json!({})).await;
        (id, contract)
    }

    /// The housekeeping's pass over withdrawals, on the server's today.
    async fn withdrawals_pass(&self) -> usize {
        let links = self.app.state.links();
        self.app
            .state
            .db(move |c| {
                navigator_api::applications::withdrawals::service::run_due(c, &links, navigator_api::clock::today())
            })
            .await
            .unwrap()
    }
}

fn days_of(month: NaiveDate) -> i64 {
    (navigator_shared::applications::add_months(month, 1) - month).num_days()
}

both_backends! {
    /// «Отчисление по заявлению»: the family names the last day, the
    /// organization confirms; on that day the child leaves, the month of
    /// leaving is charged for its days, the rest of the reserve comes back in
    /// one entry and the place goes to the first of the waiting list.
    async fn a_family_leaves_with_the_month_paid_by_its_days(backend: Backend) {
        let w = World::open(backend).await;
        w.period(100, 100 * NOMINAL).await;
        let (child, number) = w.child(w.parent_id, 110, birth(9), "active").await;
        w.fund(&w.parent, child).await;
        let (_, group, module) = w.program(true, 1, 300_000).await;
        let (id, contract) = w.enrol_by_contract(child, group, module).await;
        let months = contract["months"].as_i64().unwrap();
        let (waiting_child, _) = w.child(w.parent_id, 111, birth(9), "active").await;
        let waiting = w.json(Method::POST, "/applications", &w.parent, json!({ "child_id": waiting_child, "group_id": group }), StatusCode::CREATED).await;
        assert_eq!(waiting["status"], "waiting");

        let ask = async |body: Value| w.send(Method::POST, &format!("/applications/{id}/withdrawal"), &w.parent, body).await;
        let (status, body) = problem(ask(json!({ "leave_on": today().pred_opt().unwrap() })).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["leave_on"][0].as_str().unwrap().contains("в прошлом"), "{body}");
        let (status, _) = problem(w.send(Method::POST, &format!("/applications/{id}/withdrawal"), &w.staff, json!({ "leave_on": today() })).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "staff do not ask for the family");

        // The last day: the 10th of next month.
        let this_month = today().with_day(1).unwrap();
        let next_month = navigator_shared::applications::add_months(this_month, 1);
        let leave_on = next_month.with_day(10).unwrap();
        let asked = ask(json!({ "leave_on": leave_on })).await;
        assert_eq!(asked.status(), StatusCode::OK);
        let asked: Value = asked.json().await.unwrap();
        assert_eq!((asked["status"].as_str(), asked["withdrawal"]["status"].as_str()), (Some("enrolled"), Some("requested")));
        assert_eq!(asked["contract"]["ends_on"], leave_on.to_string());
        let (status, body) = problem(ask(json!({ "leave_on": leave_on })).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("withdrawal_requested")));
        let staff_messages = w.json(Method::GET, "/me/messages", &w.staff, Value::Null, StatusCode::OK).await;
        assert!(staff_messages.to_string().contains("Заявление об отчислении"), "{staff_messages}");

        let confirm = || w.hit(format!("/applications/{id}/withdrawal/confirm"), &w.staff);
        let (status, _) = problem(w.hit(format!("/applications/{id}/withdrawal/confirm"), &w.parent).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "the family does not confirm its own request");
        let confirmed: Value = confirm().await.json().await.unwrap();
        assert_eq!((confirmed["status"].as_str(), confirmed["withdrawal"]["status"].as_str()), (Some("enrolled"), Some("confirmed")));
        assert_eq!(confirmed["withdrawal"]["confirmed_automatically"], false);
        let (status, body) = problem(confirm().await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("already_decided")));
        assert_eq!(w.withdrawals_pass().await, 0, "not yet the day");

        // The day comes.
        w.app.state.config.clock.set_today(leave_on);
        assert_eq!(w.withdrawals_pass().await, 1);
        assert_eq!(w.withdrawals_pass().await, 0, "carried out once");
        let left = w.json(Method::GET, &format!("/applications/{id}"), &w.parent, Value::Null, StatusCode::OK).await;
        assert_eq!((left["status"].as_str(), left["reason"].as_str()), (Some("expelled"), Some("parent_request")));
        assert_eq!((left["contract"]["status"].as_str(), left["withdrawal"]["status"].as_str()), (Some("terminated"), Some("done")));
        let share = 300_000 / months;
        // Signed on the region's day of the acceptance (a moment kept in UTC).
        let accepted: chrono::DateTime<chrono::Utc> = contract["accepted_at"].as_str().unwrap().parse().unwrap();
        let signed_on = navigator_api::clock::day_of(accepted.naive_utc()).day();
        let first = share * (days_of(this_month) - i64::from(signed_on) + 1) / days_of(this_month);
        let last = share * 10 / days_of(next_month);
        let ledger = w.ledger(&w.parent, &number).await;
        let entries = ledger["entries"].as_array().unwrap();
        let charges: Vec<i64> = entries.iter().filter(|e| e["kind"] == "charge").map(|e| e["amount"].as_i64().unwrap()).collect();
        assert_eq!(charges, [last, first], "{ledger}");
        let releases: Vec<&Value> = entries.iter().filter(|e| e["kind"] == "release").collect();
        assert_eq!(releases.len(), 1, "the rest comes back in one entry: {ledger}");
        assert_eq!(releases[0]["amount"].as_i64().unwrap(), 300_000 - first - last);
        assert_eq!(ledger["balance"]["reserved"], 0);
        assert_eq!(ledger["balance"]["available"].as_i64().unwrap(), NOMINAL - first - last);
        w.assert_balanced(&number).await;
        let promoted = w.json(Method::GET, &format!("/applications/{}", waiting["id"]), &w.parent, Value::Null, StatusCode::OK).await;
        assert_eq!(promoted["status"], "submitted", "the place went to the waiting list");
        assert_eq!(w.enrolled_in(group).await, 1);
        let messages = w.json(Method::GET, "/me/messages", &w.parent, Value::Null, StatusCode::OK).await;
        assert!(messages.to_string().contains("отчислен по вашему заявлению"), "{messages}");
    }

    /// Nobody answers: on its day the request is confirmed without the
    /// organization and, the day of leaving being past, carried out at once.
    async fn an_unanswered_withdrawal_takes_effect_on_its_own(backend: Backend) {
        let w = World::open(backend).await;
        w.period(100, 100 * NOMINAL).await;
        let (child, number) = w.child(w.parent_id, 112, birth(9), "active").await;
        w.fund(&w.parent, child).await;
        let (_, group, module) = w.program(true, 5, 300_000).await;
        let (id, _) = w.enrol_by_contract(child, group, module).await;
        let asked = w.post(&format!("/applications/{id}/withdrawal"), &w.parent, json!({ "leave_on": today() })).await;
        let confirm_by: NaiveDate = asked["withdrawal"]["confirm_by"].as_str().unwrap().parse().unwrap();
        assert!(confirm_by > today() + chrono::TimeDelta::days(2), "three working days: {asked}");
        w.app.state.config.clock.set_today(confirm_by.pred_opt().unwrap());
        assert_eq!(w.withdrawals_pass().await, 0, "the organization still has a day");
        w.app.state.config.clock.set_today(confirm_by);
        assert_eq!(w.withdrawals_pass().await, 2, "confirmed, then carried out");
        let left = w.json(Method::GET, &format!("/applications/{id}"), &w.parent, Value::Null, StatusCode::OK).await;
        assert_eq!(left["status"], "expelled");
        assert_eq!(left["withdrawal"]["confirmed_automatically"], true);
        let ledger = w.ledger(&w.parent, &number).await;
        assert_eq!(ledger["balance"]["reserved"], 0, "{ledger}");
        let spent = ledger["balance"]["spent"].as_i64().unwrap();
        assert!(spent > 0 && spent < 300_000 / 2, "one day of the month is paid: {ledger}");
        w.assert_balanced(&number).await;
        assert_eq!(w.enrolled_in(group).await, 0);
    }
}

impl World {
    /// The server's clock on the 15th of this month: an advance may be asked
    /// (from the second working day) and the first month is a part of one.
    fn mid_month(&self) -> NaiveDate {
        let day = self.app.today().with_day(15).unwrap();
        self.app.state.config.clock.set_today(day);
        day
    }

    /// A payment request of the organization: created, then sent.
    async fn payment(&self, kind: &str, month: NaiveDate, amount: Option<i64>) -> Value {
        let month = month.format("%Y-%m").to_string();
        let draft = self
            .json(
                Method::POST,
                "/cabinet/payments",
                &self.staff,
                json!({ "kind": kind, "month": month, "amount": amount }),
                StatusCode::CREATED,
            )
            .await;
        assert_eq!(draft["status"], "draft", "{draft}");
        self.post(&format!("/payment-requests/{}/submit", draft["id"]), &self.staff, json!({})).await
    }

    async fn close(&self, month: NaiveDate) {
        self.post("/billing/charges", &self.admin, json!({ "month": month.format("%Y-%m").to_string() })).await;
    }
}

both_backends! {
    /// ПФДО: the advance is the period's share of the month's expected
    /// charges; the invoice is the month's charges minus the advance; the
    /// operator returns it, the provider sends it again, the operator
    /// approves and pays it. Approved requests of the month add up to the
    /// month's charges of the organization.
    async fn the_advance_and_the_invoice_add_up_to_the_months_charges(backend: Backend) {
        let w = World::open(backend).await;
        let today = w.mid_month();
        let month = today.with_day(1).unwrap();
        w.period(100, 100 * NOMINAL).await;
        let (_, group, module) = w.program(true, 10, 300_000).await;
        let mut expected = 0;
        for n in 0..3 {
            let (child, _) = w.child(w.parent_id, 120 + n, birth(9), "active").await;
            w.fund(&w.parent, child).await;
            let (_, contract) = w.enrol_by_contract(child, group, module).await;
            let months = contract["months"].as_i64().unwrap();
            expected += 300_000 / months * (days_of(month) - 14) / days_of(month);
        }
        let view = w.json(Method::GET, "/cabinet/payments", &w.staff, Value::Null, StatusCode::OK).await;
        assert_eq!((view["expected"].as_i64(), view["advance_percent"].as_i64()), (Some(expected), Some(80)), "{view}");
        let limit = expected * 80 / 100;
        assert_eq!(view["advance_limit"], limit);
        let (status, body) = problem(w.send(Method::POST, "/cabinet/payments", &w.staff, json!({ "kind": "advance", "month": month.format("%Y-%m").to_string(), "amount": limit + 1 })).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["amount"].is_array(), "{body}");
        let (status, _) = problem(w.send(Method::POST, "/cabinet/payments", &w.operator, json!({ "kind": "advance", "month": month.format("%Y-%m").to_string() })).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "an operator does not ask for an organization");

        let advance = w.payment("advance", month, None).await;
        assert_eq!((advance["status"].as_str(), advance["amount"].as_i64()), (Some("submitted"), Some(limit)));
        let queue = w.json(Method::GET, "/payment-requests?status=submitted", &w.operator, Value::Null, StatusCode::OK).await;
        assert_eq!(queue["total"], 1, "{queue}");
        let elsewhere = w.app.municipality("Вяземский район").await;
        let stranger = w.app.operator_of("vyazma@example.org", elsewhere).await;
        let theirs = w.json(Method::GET, "/payment-requests", &stranger, Value::Null, StatusCode::OK).await;
        assert_eq!(theirs["total"], 0, "another municipality's queue is its own");
        let (status, _) = problem(w.hit(format!("/payment-requests/{}/approve", advance["id"]), &stranger).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        w.post(&format!("/payment-requests/{}/approve", advance["id"]), &w.operator, json!({})).await;

        // The month is closed: the invoice takes the advance off.
        w.close(month).await;
        let invoice = w.payment("invoice", month, None).await;
        let register = w.json(Method::GET, &format!("/cabinet/register?month={}", month.format("%Y-%m")), &w.staff, Value::Null, StatusCode::OK).await;
        let charges = register["total"].as_i64().unwrap();
        assert_eq!(charges, expected);
        assert_eq!(invoice["lines"].as_array().unwrap().len(), 3, "{invoice}");
        assert_eq!((invoice["charges"].as_i64(), invoice["advance"].as_i64()), (Some(charges), Some(limit)));
        assert_eq!(invoice["amount"].as_i64(), Some(charges - limit));
        let id = invoice["id"].as_i64().unwrap();
        let (status, body) = problem(w.send(Method::POST, &format!("/payment-requests/{id}/return"), &w.operator, json!({ "comment": " " })).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["comment"].is_array(), "{body}");
        let returned = w.post(&format!("/payment-requests/{id}/return"), &w.operator, json!({ "comment": "Приложите акт за месяц" })).await;
        assert_eq!((returned["status"].as_str(), returned["return_comment"].as_str()), (Some("returned"), Some("Приложите акт за месяц")));
        let messages = w.json(Method::GET, "/me/messages", &w.staff, Value::Null, StatusCode::OK).await;
        assert!(messages.to_string().contains("Приложите акт за месяц"), "{messages}");
        w.json(Method::PUT, &format!("/payment-requests/{id}"), &w.staff, json!({ "note": "Акт № 11 приложен" }), StatusCode::OK).await;
        let again = w.post(&format!("/payment-requests/{id}/submit"), &w.staff, json!({})).await;
        assert_eq!((again["status"].as_str(), again["note"].as_str()), (Some("submitted"), Some("Акт № 11 приложен")));
        w.post(&format!("/payment-requests/{id}/approve"), &w.operator, json!({})).await;
        let (status, body) = problem(w.send(Method::POST, &format!("/payment-requests/{id}/pay"), &w.operator, json!({ "payment_order": "", "paid_on": today })).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["payment_order"].is_array(), "{body}");
        let paid = w.post(&format!("/payment-requests/{id}/pay"), &w.operator, json!({ "payment_order": "1542", "paid_on": today })).await;
        assert_eq!((paid["status"].as_str(), paid["payment_order"].as_str()), (Some("paid"), Some("1542")));

        // The operator's register of the month: the advance and the invoice, all of the month's charges.
        let sheet = w.json(Method::GET, &format!("/payment-register?month={}", month.format("%Y-%m")), &w.operator, Value::Null, StatusCode::OK).await;
        assert_eq!(sheet["requests"].as_array().unwrap().len(), 2, "{sheet}");
        assert_eq!(sheet["total"].as_i64(), Some(charges), "approved requests of the month = its charges");
        let csv = w.send(Method::GET, &format!("/payment-register.csv?month={}", month.format("%Y-%m")), &w.operator, Value::Null).await;
        assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
        assert!(csv.text().await.unwrap().contains("1542"));
        let pdf = w.send(Method::GET, &format!("/payment-requests/{id}/document.pdf"), &w.staff, Value::Null).await;
        assert_eq!(pdf.status(), StatusCode::OK);
        assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
        let lines = w.send(Method::GET, &format!("/payment-requests/{id}/lines.csv"), &w.operator, Value::Null).await.text().await.unwrap();
        assert!(lines.contains("К оплате"), "{lines}");
        let (status, _) = problem(w.send(Method::GET, &format!("/payment-requests/{id}"), &stranger, Value::Null).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    /// The operator approves one request from several tabs at once: one approval.
    async fn parallel_approvals_of_a_payment_request_give_one(backend: Backend) {
        let w = World::open(backend).await;
        let today = w.mid_month();
        w.period(100, 100 * NOMINAL).await;
        let (_, group, module) = w.program(true, 10, 300_000).await;
        let (child, _) = w.child(w.parent_id, 130, birth(9), "active").await;
        w.fund(&w.parent, child).await;
        w.enrol_by_contract(child, group, module).await;
        let advance = w.payment("advance", today.with_day(1).unwrap(), None).await;
        let path = format!("/payment-requests/{}/approve", advance["id"]);
        let w = &w;
        let answers: Vec<StatusCode> = join_all((0..8).map(|_| {
            let path = path.clone();
            async move { w.hit(path, &w.operator).await.status() }
        }))
        .await;
        assert_eq!(answers.iter().filter(|s| **s == StatusCode::OK).count(), 1, "{answers:?}");
        assert!(answers.iter().all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT), "{answers:?}");
        let messages = w.json(Method::GET, "/me/messages", &w.staff, Value::Null, StatusCode::OK).await;
        assert_eq!(messages["total"], 1, "told once: {messages}");
    }

    /// The child left on the 20th of a month already charged and invoiced in
    /// full; the expulsion is recorded next month with that day. The month's
    /// charge is corrected by a refund, the rest released, and the next
    /// invoice carries the correction as a line with both sums.
    async fn a_late_expulsion_comes_as_a_correction_line(backend: Backend) {
        let w = World::open(backend).await;
        let today = w.mid_month();
        let month = today.with_day(1).unwrap();
        w.period(100, 100 * NOMINAL).await;
        let (child, number) = w.child(w.parent_id, 140, birth(9), "active").await;
        w.fund(&w.parent, child).await;
        let (_, group, module) = w.program(true, 10, 300_000).await;
        let (id, contract) = w.enrol_by_contract(child, group, module).await;
        let share = 300_000 / contract["months"].as_i64().unwrap();
        w.close(month).await;
        let invoice = w.payment("invoice", month, None).await;
        let charged = share * (days_of(month) - 14) / days_of(month);
        assert_eq!(invoice["amount"].as_i64(), Some(charged));
        w.post(&format!("/payment-requests/{}/approve", invoice["id"]), &w.operator, json!({})).await;

        let next = navigator_shared::applications::add_months(month, 1);
        w.app.state.config.clock.set_today(next.with_day(10).unwrap());
        let last_day = month.with_day(20).unwrap();
        let (status, body) = problem(w.send(Method::POST, &format!("/applications/{id}/expel"), &w.staff, json!({ "reason": "absence", "last_day": month.with_day(14).unwrap() })).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "before the contract was in force");
        assert!(body["errors"]["last_day"].is_array(), "{body}");
        let expelled = w.post(&format!("/applications/{id}/expel"), &w.staff, json!({ "reason": "absence", "last_day": last_day })).await;
        assert_eq!(expelled["contract"]["status"], "terminated");
        let due = share * 6 / days_of(month);
        let ledger = w.ledger(&w.parent, &number).await;
        let refund = ledger["entries"].as_array().unwrap().iter().find(|e| e["kind"] == "refund").cloned().unwrap();
        assert_eq!(refund["amount"].as_i64(), Some(charged - due), "{ledger}");
        assert_eq!(ledger["balance"]["spent"].as_i64(), Some(due));
        assert_eq!(ledger["balance"]["reserved"], 0);
        w.assert_balanced(&number).await;

        let correction = w.payment("invoice", next, None).await;
        let lines = correction["lines"].as_array().unwrap();
        assert_eq!(lines.len(), 1, "{correction}");
        assert_eq!((lines[0]["original"].as_i64(), lines[0]["corrected"].as_i64()), (Some(charged), Some(due)));
        assert_eq!(lines[0]["month"], month.to_string());
        assert_eq!((correction["corrections"].as_i64(), correction["amount"].as_i64()), (Some(due - charged), Some(due - charged)));
        // The approved invoice of the month stays as it was sent.
        let first = w.json(Method::GET, &format!("/payment-requests/{}", invoice["id"]), &w.operator, Value::Null, StatusCode::OK).await;
        assert_eq!(first["amount"].as_i64(), Some(charged));
    }
}

both_backends! {
    /// The first right to continue: a group of the next program year holds
    /// places for the children who finished a year of the program until the
    /// day the organization sets; a continuing child's application takes its
    /// place, and a place nobody took goes to the waiting list the day after.
    async fn the_first_right_to_continue_holds_a_place_until_its_day(backend: Backend) {
        let w = World::open(backend).await;
        let (program, first_year, _) = w.program(false, 5, 0).await;
        let mut finished = Vec::new();
        for n in 0..2 {
            let (child, _) = w.child(w.parent_id, 150 + n, birth(9), "active").await;
            let id = w.post("/applications", &w.parent, json!({ "child_id": child, "group_id": first_year })).await["id"].as_i64().unwrap();
            for step in ["confirm", "enroll", "complete"] {
                w.post(&format!("/applications/{id}/{step}"), &w.staff, json!({})).await;
            }
            finished.push(child);
        }
        let start = today().with_day(1).unwrap() + chrono::TimeDelta::days(110);
        let group = json!({
            "name": "Второй год", "teacher": "Орлов Пётр Ильич",
            "schedule": [{ "weekday": 3, "start": "16:00", "end": "17:30" }],
            "capacity": 2, "start_date": start, "end_date": start + chrono::TimeDelta::days(200),
            "age_min": 7, "age_max": 12, "enrolment_open": true,
        });
        let next_year = w.json(Method::POST, &format!("/cabinet/programs/{program}/groups"), &w.staff, group, StatusCode::CREATED).await["id"].as_i64().unwrap();
        let path = format!("/cabinet/groups/{next_year}/continuation");
        let (status, body) = problem(w.send(Method::PUT, &path, &w.staff, json!({ "hold_until": today().pred_opt().unwrap() })).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["hold_until"].is_array(), "{body}");
        let until = today() + chrono::TimeDelta::days(10);
        let held = w.json(Method::PUT, &path, &w.staff, json!({ "hold_until": until }), StatusCode::OK).await;
        assert_eq!(held["held"].as_array().unwrap().len(), 2, "{held}");
        assert_eq!(w.enrolled_in(next_year).await, 2, "held places are counted");
        let messages = w.json(Method::GET, "/me/messages", &w.parent, Value::Null, StatusCode::OK).await;
        assert!(messages.to_string().contains("закреплено"), "{messages}");
        let other_org = w.app.organization(w.municipality, false).await;
        let stranger = w.app.staff_of("stranger@example.org", other_org).await;
        let (status, _) = problem(w.send(Method::PUT, &path, &stranger, json!({ "hold_until": until })).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // A newcomer waits; the first continuing child takes the held place.
        let (newcomer, _) = w.child(w.parent_id, 152, birth(9), "active").await;
        let waiting = w.post("/applications", &w.parent, json!({ "child_id": newcomer, "group_id": next_year })).await;
        assert_eq!(waiting["status"], "waiting");
        let goes_on = w.post("/applications", &w.parent, json!({ "child_id": finished[0], "group_id": next_year })).await;
        assert_eq!(goes_on["status"], "submitted");
        assert_eq!(w.enrolled_in(next_year).await, 2);
        let after = w.json(Method::GET, &path, &w.staff, Value::Null, StatusCode::OK).await;
        assert_eq!(after["held"].as_array().unwrap().len(), 1, "{after}");

        // The day passes: the second held place goes to the newcomer.
        let links = w.app.state.links();
        let pass = move |day: NaiveDate| {
            let links = links.clone();
            move |c: &mut navigator_api::db::DbConn| navigator_api::applications::continuation::run_due(c, &links, day)
        };
        assert_eq!(w.app.state.db(pass(until)).await.unwrap(), 0, "held through its day");
        assert_eq!(w.app.state.db(pass(until.succ_opt().unwrap())).await.unwrap(), 1);
        let promoted = w.json(Method::GET, &format!("/applications/{}", waiting["id"]), &w.parent, Value::Null, StatusCode::OK).await;
        assert_eq!(promoted["status"], "submitted");
        assert_eq!(w.enrolled_in(next_year).await, 2);
        let messages = w.json(Method::GET, "/me/messages", &w.parent, Value::Null, StatusCode::OK).await;
        assert!(messages.to_string().contains("Закреплённое место передано"), "{messages}");
    }
}

both_backends! {
    /// The social certificate in hours: the operator opens a social period
    /// of 100 hours, the family asks for it, the operator approves; a program
    /// paid by the social certificate reserves the module's hours on the
    /// social account (the ПФДО roubles stay as they were), charges them
    /// month by month, and every account keeps `credited = available +
    /// reserved + spent`, also after 100 reserves and charges at once.
    async fn the_social_certificate_counts_hours_on_its_own_account(backend: Backend) {
        use navigator_shared::funding::Account;
        let w = World::open(backend).await;
        // Accepted on the 15th: the month's share of hours is more than zero.
        w.mid_month();
        w.period(100, 100 * NOMINAL).await;
        let year = today().year();
        let social = json!({
            "municipality_id": w.municipality, "year": year, "nominal": 100, "max_certificates": 50, "max_volume": 5_000,
            "starts_on": format!("{year}-01-01"), "ends_on": format!("{year}-12-31"), "kind": "social", "unit": "hour",
        });
        let period = w.json(Method::POST, "/funding-periods", &w.operator, social.clone(), StatusCode::CREATED).await;
        assert_eq!((period["kind"].as_str(), period["unit"].as_str()), (Some("social"), Some("hour")));
        let mut hours_of_pfdo = social.clone();
        hours_of_pfdo["kind"] = json!("personified");
        let (status, body) = problem(w.send(Method::POST, "/funding-periods", &w.operator, hours_of_pfdo).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["unit"].is_array(), "{body}");

        let (child, number) = w.child(w.parent_id, 160, birth(9), "active").await;
        w.fund(&w.parent, child).await;
        let asked = w.post(&format!("/children/{child}/certificate/funding-requests?kind=social"), &w.parent, json!({})).await;
        assert_eq!((asked["account"].as_str(), asked["nominal"].as_i64()), (Some("social_hour"), Some(100)));
        w.post(&format!("/funding-requests/{}/approve", asked["id"]), &w.operator, json!({})).await;
        let ledger = w.ledger(&w.parent, &number).await;
        assert_eq!(ledger["social"][0]["account"], "social_hour", "{ledger}");
        assert_eq!(ledger["social"][0]["balance"]["available"], 100);
        assert_eq!(ledger["balance"]["available"], NOMINAL, "the ПФДО roubles are apart");

        // A program paid by the social certificate: the module's 72 hours.
        let (program, group, module) = w.program(true, 10, 300_000).await;
        let marked = w.json(Method::PUT, &format!("/moderation/programs/{program}/certified"), &w.operator, json!({ "certified": true, "funding": "social" }), StatusCode::OK).await;
        assert_eq!(marked["funding"], "social");
        let (_, contract) = w.enrol_by_contract(child, group, module).await;
        assert_eq!((contract["account"].as_str(), contract["price"].as_i64()), (Some("social_hour"), Some(72)), "{contract}");
        w.close(w.app.today().with_day(1).unwrap()).await;
        let ledger = w.ledger(&w.parent, &number).await;
        let hours = &ledger["social"][0]["balance"];
        let (available, reserved, spent) = (hours["available"].as_i64().unwrap(), hours["reserved"].as_i64().unwrap(), hours["spent"].as_i64().unwrap());
        assert_eq!((available, reserved + spent), (28, 72), "{ledger}");
        assert!(spent > 0, "the month is charged in hours: {ledger}");
        assert_eq!(ledger["balance"]["available"], NOMINAL, "{ledger}");
        let register = w.json(Method::GET, &format!("/cabinet/register?month={}", w.app.today().format("%Y-%m")), &w.staff, Value::Null, StatusCode::OK).await;
        assert_eq!(register["total"], 0, "hours are not paid by the roubles' register");

        // 100 reserves and charges at once on the hours account.
        let certificate = w.app.state.db(move |c| navigator_api::children::certificates::repo::by_number(c, &number)).await.unwrap().unwrap().0.id;
        let moves = (0..100).map(|n| {
            let state = w.app.state.clone();
            async move {
                state
                    .db(move |c| {
                        let kind = if n % 2 == 0 { navigator_shared::funding::LedgerKind::Reserve } else { navigator_shared::funding::LedgerKind::Charge };
                        let movement = navigator_api::ledger::repo::Movement {
                            certificate_id: certificate, account: Account::SocialHour, kind, amount: 1 + n % 3,
                            period_id: None, contract_id: None, month: None, reason: "проверка", created_by: None,
                        };
                        Ok::<_, diesel::result::Error>(navigator_api::ledger::repo::post(c, &movement).is_ok())
                    })
                    .await
                    .unwrap()
            }
        });
        let applied = join_all(moves).await.into_iter().filter(|ok| *ok).count();
        assert!(applied > 0);
        let (kept, summed) = w
            .app
            .state
            .db(move |c| {
                let kept = navigator_api::ledger::repo::balance_of(c, certificate, Account::SocialHour)?;
                let summed = navigator_api::ledger::repo::balance_of_entries(c, certificate, Account::SocialHour)?;
                Ok::<_, diesel::result::Error>((kept, summed))
            })
            .await
            .unwrap();
        assert_eq!(kept, summed);
        assert_eq!(kept.credited, kept.available + kept.reserved + kept.spent);
        assert_eq!(kept.credited, 100);
        assert!(kept.available >= 0 && kept.reserved >= 0 && kept.spent >= 0);
    }
}

/// One pass of the housekeeping's retention rules at `at` (the period's end moved by the test).
async fn retention_pass(app: &TestApp, at: chrono::NaiveDateTime) -> navigator_api::privacy::retention::Report {
    let (cipher, settings) = (app.state.cipher.clone(), app.state.config.retention);
    app.state.db(move |c| navigator_api::privacy::retention::run(c, &cipher, &settings, at)).await.unwrap()
}

both_backends! {
    /// The family withdraws its consent for a child: at once the certificate
    /// is excluded on the applicant's request, the contract ends with its
    /// reserve released, the open application is cancelled, the free
    /// remainder goes and nothing more is done with the record. After the
    /// period the housekeeping depersonalizes it once — names, birth day,
    /// documents, SNILS, address, the contract's text, the messages, the
    /// audit's values — while the ledger still adds up; the export shows it
    /// before and after. Then the whole account: its other child, and the
    /// account itself, closed after the period.
    async fn withdrawing_consent_stops_the_processing_and_depersonalizes_after_the_period(backend: Backend) {
        let w = World::open(backend).await;
        w.period(100, 100 * NOMINAL).await;
        let (child, number) = w.child(w.parent_id, 80, birth(9), "active").await;
        w.fund(&w.parent, child).await;
        let (_, group, module) = w.program(true, 5, 300_000).await;
        let (_, other_group, _) = w.program(false, 10, 0).await;
        let (enrolled, contract) = w.enrol_by_contract(child, group, module).await;
        let open = w.post("/applications", &w.parent, json!({ "child_id": child, "group_id": other_group })).await;
        let (sibling, sibling_number) = w.child(w.parent_id, 81, birth(10), "active").await;
        let corrected = json!({ "changes": { "first_name": "Мирон", "address": "г. Смоленск, ул. Кирова, д. 7" }, "reason": "имя Мирон сверено со свидетельством" });
        let path = format!("/registry/certificates/{number}/child");
        w.json(Method::PATCH, &path, &w.operator, corrected, StatusCode::OK).await;
        let before = w.json(Method::GET, "/me/data", &w.parent, Value::Null, StatusCode::OK).await;
        assert!(before.to_string().contains("Мирон") && before.to_string().contains("ул. Кирова"));
        let entries_before = w.ledger(&w.parent, &number).await["entries"].as_array().unwrap().len();

        let record = w.post(&format!("/children/{child}/consent-withdrawal"), &w.parent, json!({})).await;
        assert!(record["consent_withdrawal"]["depersonalize_after"].is_string(), "{record}");
        assert_eq!((record["editable"].as_bool(), record["certificate"]["status"].as_str()), (Some(false), Some("excluded")));
        assert_eq!(record["certificate"]["reason"], "applicant_request");
        let studies = w.json(Method::GET, &format!("/applications/{enrolled}"), &w.parent, Value::Null, StatusCode::OK).await;
        assert_eq!((studies["status"].as_str(), studies["contract"]["status"].as_str()), (Some("expelled"), Some("terminated")));
        assert_eq!(studies["reason"], "parent_request");
        let open = w.json(Method::GET, &format!("/applications/{}", open["id"]), &w.parent, Value::Null, StatusCode::OK).await;
        assert_eq!(open["status"], "cancelled");
        let ledger = w.ledger(&w.parent, &number).await;
        assert_eq!((ledger["balance"]["reserved"].as_i64(), ledger["balance"]["available"].as_i64()), (Some(0), Some(0)), "{ledger}");
        w.assert_balanced(&number).await;
        let inbox = w.json(Method::GET, "/me/messages", &w.parent, Value::Null, StatusCode::OK).await;
        assert!(inbox.to_string().contains("Согласие на обработку персональных данных отозвано"), "{inbox}");
        // Nothing more is done with the record, and a second withdrawal says so.
        for (method, path, body) in [
            (Method::POST, format!("/children/{child}/consent-withdrawal"), json!({})),
            (Method::POST, "/applications".to_owned(), json!({ "child_id": child, "group_id": other_group })),
            (Method::PATCH, format!("/children/{child}"), json!({ "address": "г. Смоленск" })),
            (Method::POST, format!("/children/{child}/certificate/renewal"), json!({})),
            (Method::POST, format!("/children/{child}/certificate/funding-requests"), json!({})),
        ] {
            let (status, body) = problem(w.send(method, &path, &w.parent, body).await).await;
            assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("consent_withdrawn")), "{path}: {body}");
            assert!(body["detail"].as_str().unwrap().contains("отозвано"), "{body}");
        }
        // Another family's parent cannot withdraw for this child.
        let stranger = w.app.account("papa@example.org", navigator_shared::accounts::Role::Parent).await;
        let (status, _) = problem(w.send(Method::POST, &format!("/children/{sibling}/consent-withdrawal"), &stranger, json!({})).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // The period runs: nothing is depersonalized before its end, the record right after it, once.
        let now = w.app.state.config.clock.now();
        let days = i64::from(w.app.state.config.retention.withdrawn_days);
        assert_eq!(retention_pass(&w.app, now + chrono::TimeDelta::days(days - 1)).await.depersonalized_children, 0);
        let after = now + chrono::TimeDelta::days(days) + chrono::TimeDelta::hours(1);
        assert_eq!(retention_pass(&w.app, after).await.depersonalized_children, 1);
        assert_eq!(retention_pass(&w.app, after).await.depersonalized_children, 0, "a second pass finds nothing");
        let gone = w.json(Method::GET, &format!("/children/{child}"), &w.parent, Value::Null, StatusCode::OK).await;
        assert_eq!((gone["last_name"].as_str(), gone["first_name"].as_str(), gone["middle_name"].as_str()), (Some("Обезличено"), Some("Обезличено"), Some("")));
        assert_eq!((gone["snils"].as_str(), gone["document_number"].as_str(), gone["address"].as_str()), (Some(""), Some(""), Some("")));
        assert_eq!(gone["birth_date"].as_str().unwrap(), format!("{}-01-01", birth(9).year()), "the birth year stays");
        assert!(gone["depersonalized_at"].is_string());
        let kept = w.json(Method::GET, &format!("/children/{sibling}"), &w.parent, Value::Null, StatusCode::OK).await;
        assert_eq!(kept["first_name"], "Ребёнок81", "the other child is untouched");
        // The money stays whole, without the person: the contract's terms and
        // sums, the ledger's entries.
        let document = w.json(Method::GET, &format!("/contracts/{}", contract["id"]), &w.parent, Value::Null, StatusCode::OK).await;
        assert!(!document.to_string().contains("Мирон") && !document.to_string().contains("Ребёнок80"), "{document}");
        assert!(document.to_string().contains("[обезличено]"), "{document}");
        assert_eq!(document["contract"]["price"], contract["price"]);
        let ledger = w.ledger(&w.parent, &number).await;
        assert_eq!(ledger["entries"].as_array().unwrap().len(), entries_before + 2, "release and expire, nothing lost: {ledger}");
        w.assert_balanced(&number).await;
        let trail = w.json(Method::GET, &format!("/registry/certificates/{number}/audit"), &w.operator, Value::Null, StatusCode::OK).await;
        let actions: Vec<&str> = trail.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert!(actions.contains(&"withdraw_consent") && actions.contains(&"correct") && actions.contains(&"exclude"), "{trail}");
        assert!(!trail.to_string().contains("Кирова") && !trail.to_string().contains("Мирон"), "{trail}");
        let after_export = w.json(Method::GET, "/me/data", &w.parent, Value::Null, StatusCode::OK).await;
        let text = after_export.to_string();
        assert!(!text.contains("Ребёнок80") && !text.contains("Мирон") && !text.contains("Кирова"), "{text}");
        assert!(text.contains("Ребёнок81"), "the other child is still in the family's data");

        // The whole account: the other child at once, the account after the period.
        let profile = w.post("/me/consent-withdrawal", &w.parent, json!({})).await;
        assert!(profile["consent_withdrawal"]["withdrawn_at"].is_string(), "{profile}");
        let sibling_record = w.json(Method::GET, &format!("/children/{sibling}"), &w.parent, Value::Null, StatusCode::OK).await;
        assert!(sibling_record["consent_withdrawal"].is_object() && sibling_record["certificate"]["status"] == "excluded");
        let (status, body) = problem(w.send(Method::POST, "/me/consent-withdrawal", &w.parent, json!({})).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("consent_withdrawn")));
        let new_child = support::child(w.municipality, "Лев", "112-233-445 95");
        let (status, body) = problem(w.send(Method::POST, "/children", &w.parent, new_child).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("consent_withdrawn")));
        let staff = w.staff.clone();
        let (status, body) = problem(w.send(Method::POST, "/applications", &staff, json!({ "certificate_number": sibling_number, "group_id": other_group })).await).await;
        assert_eq!(status, StatusCode::CONFLICT, "staff cannot apply for the child either: {body}");
        let account_now = w.app.state.config.clock.now();
        let report = retention_pass(&w.app, account_now + chrono::TimeDelta::days(days + 1)).await;
        assert_eq!((report.depersonalized_children, report.depersonalized_accounts), (1, 1));
        let (status, _) = problem(w.send(Method::GET, "/me", &w.parent, Value::Null).await).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "the account is closed");
        let parent_id = w.parent_id;
        let (email, messages) = w
            .app
            .state
            .db(move |c| {
                use diesel::prelude::*;
                use navigator_api::db::schema::{messages, users};
                Ok::<_, diesel::result::Error>((
                    users::table.find(parent_id).select(users::email).first::<String>(c)?,
                    messages::table.filter(messages::user_id.eq(parent_id)).count().get_result::<i64>(c)?,
                ))
            })
            .await
            .unwrap();
        assert_eq!((email, messages), (format!("depersonalized-{parent_id}@invalid"), 0));
        w.assert_balanced(&sibling_number).await;
        w.assert_balanced(&number).await;
    }
}

impl World {
    /// The group of `published_program` with `capacity` places, as its staff saves it.
    async fn set_capacity(&self, group: i64, capacity: i32) {
        let start = today().with_day(1).unwrap();
        let body = json!({
            "name": "Группа 1", "teacher": "Орлов Пётр Ильич",
            "schedule": [{ "weekday": 2, "start": "16:00", "end": "17:30" }],
            "capacity": capacity, "start_date": start, "end_date": start + chrono::TimeDelta::days(80),
            "age_min": 7, "age_max": 12, "enrolment_open": true,
        });
        self.json(Method::PUT, &format!("/cabinet/groups/{group}"), &self.staff, body, StatusCode::OK).await;
    }

    /// The subjects of the in-app messages of `token`'s account about free places.
    async fn places_alerts(&self, token: &str) -> usize {
        let inbox = self.json(Method::GET, "/me/messages?per_page=200", token, Value::Null, StatusCode::OK).await;
        inbox["items"].as_array().unwrap().iter().filter(|m| m["subject"] == "Появились свободные места").count()
    }
}

both_backends! {
    /// «Сообщить, когда появятся места»: families ask on a full group (or a
    /// program without an open group); places taken by the waiting list
    /// alert nobody; places left over alert every open request once, in the
    /// order asked, by email and in-app message; a request withdrawn by its
    /// link or by the family is not alerted; asking where places are free,
    /// staff asking, a foreign group: clear refusals.
    async fn free_spot_alerts_fire_once_per_freed_batch_in_order(backend: Backend) {
        let w = World::open(backend).await;
        let (program, group, _) = w.program(false, 1, 0).await;
        let (free_program, free_group, _) = w.program(false, 5, 0).await;
        let (first, _) = w.child(w.parent_id, 90, birth(9), "active").await;
        let taken = w.post("/applications", &w.parent, json!({ "child_id": first, "group_id": group })).await;
        assert_eq!(taken["status"], "submitted", "the only place is taken");

        let mut families = Vec::new();
        for name in ["b", "c", "d", "e"] {
            let email = format!("{name}@example.org");
            let token = w.app.account(&email, navigator_shared::accounts::Role::Parent).await;
            families.push((email, token));
        }
        let path = format!("/programs/{program}/spot-alerts");
        let b = w.json(Method::POST, &path, &families[0].1, json!({ "group_id": group }), StatusCode::CREATED).await;
        let again = w.json(Method::POST, &path, &families[0].1, json!({ "group_id": group }), StatusCode::OK).await;
        assert_eq!(again["id"], b["id"], "asking again answers the same request");
        assert_eq!(b["group_name"], "Группа 1");
        w.json(Method::POST, &path, &families[1].1, json!({ "group_id": group }), StatusCode::CREATED).await;
        // The program has no open group now: a request for any of its groups.
        let d = w.json(Method::POST, &path, &families[2].1, json!({}), StatusCode::CREATED).await;
        assert!(d["group_id"].is_null());
        // The second family withdraws by the link of its confirmation.
        let token = w.app.wait_for_link("c@example.org", "/spot-alerts/unsubscribe").await;
        let gone = w.app.post("/api/v1/spot-alerts/unsubscribe", json!({ "token": token })).await;
        assert_eq!(gone.status(), StatusCode::NO_CONTENT);
        let (status, body) = problem(w.app.post("/api/v1/spot-alerts/unsubscribe", json!({ "token": token })).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert!(body["detail"].as_str().unwrap().contains("Подписка не найдена"));
        let listed = w.json(Method::GET, &format!("/me/spot-alerts?program_id={program}"), &families[0].1, Value::Null, StatusCode::OK).await;
        assert_eq!((listed["total"].as_i64(), listed["items"][0]["id"].clone()), (Some(1), b["id"].clone()));

        // Refusals: free places, staff, a group of another program, no such program.
        let free_path = format!("/programs/{free_program}/spot-alerts");
        let (status, body) = problem(w.send(Method::POST, &free_path, &families[0].1, json!({ "group_id": free_group })).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("places_available")), "{body}");
        let (status, _) = problem(w.send(Method::POST, &path, &w.staff, json!({ "group_id": group })).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = problem(w.send(Method::POST, &path, &families[0].1, json!({ "group_id": free_group })).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["group_id"].is_array(), "{body}");
        let (status, _) = problem(w.send(Method::POST, "/programs/999999/spot-alerts", &families[0].1, json!({})).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // A family on the waiting list comes first: the new place goes to it, nobody is alerted.
        let e_id = w.app.account_id("e@example.org").await;
        let (waiter, _) = w.child(e_id, 91, birth(9), "active").await;
        let waiting = w.post("/applications", &families[3].1, json!({ "child_id": waiter, "group_id": group })).await;
        assert_eq!(waiting["status"], "waiting");
        w.set_capacity(group, 2).await;
        let moved = w.json(Method::GET, &format!("/applications/{}", waiting["id"]), &families[3].1, Value::Null, StatusCode::OK).await;
        assert_eq!(moved["status"], "submitted");
        for (_, token) in &families {
            assert_eq!(w.places_alerts(token).await, 0);
        }
        // Two places left over: one alert to each open request, in the order asked.
        w.set_capacity(group, 4).await;
        let alerted: Vec<usize> = join_all(families.iter().map(|(_, token)| w.places_alerts(token))).await;
        assert_eq!(alerted, vec![1, 0, 1, 0], "b and d, not the withdrawn c nor e who never asked");
        let order: Vec<String> = w
            .app
            .state
            .db(|c| {
                use diesel::prelude::*;
                use navigator_api::db::schema::outbox_emails as ob;
                ob::table.filter(ob::kind.eq("places_appeared")).order(ob::id).select(ob::to_address).load(c)
            })
            .await
            .unwrap();
        assert_eq!(order, vec!["b@example.org".to_owned(), "d@example.org".to_owned()]);
        // More places, a place freed: the requests were answered, nothing more goes.
        w.set_capacity(group, 5).await;
        w.post(&format!("/applications/{}/cancel", taken["id"]), &w.parent, json!({})).await;
        let alerted: Vec<usize> = join_all(families.iter().map(|(_, token)| w.places_alerts(token))).await;
        assert_eq!(alerted, vec![1, 0, 1, 0], "once per request");
        let listed = w.json(Method::GET, "/me/spot-alerts", &families[0].1, Value::Null, StatusCode::OK).await;
        assert_eq!(listed["total"], 0);
    }
}

both_backends! {
    /// A group that opens for applications by its date alone answers the
    /// requests waiting on it at the housekeeping's next pass, once.
    async fn a_group_opened_by_its_date_answers_the_requests(backend: Backend) {
        let w = World::open(backend).await;
        let (program, group, _) = w.program(false, 5, 0).await;
        let set_opening = |day: NaiveDate| {
            w.app.state.db(move |c| {
                use diesel::prelude::*;
                use navigator_api::db::schema::program_groups as g;
                diesel::update(g::table.find(group)).set(g::enrolment_from.eq(Some(day))).execute(c)
            })
        };
        set_opening(today() + chrono::TimeDelta::days(3)).await.unwrap();
        let asked = w.json(Method::POST, &format!("/programs/{program}/spot-alerts"), &w.parent, json!({ "group_id": group }), StatusCode::CREATED).await;
        assert_eq!(asked["group_id"], group);
        let pass = || {
            let links = w.app.state.links();
            w.app.state.db(move |c| navigator_api::spot_alerts::service::announce_due(c, &links))
        };
        assert_eq!(pass().await.unwrap(), 0, "not open yet");
        set_opening(today()).await.unwrap();
        assert_eq!(pass().await.unwrap(), 1);
        assert_eq!(pass().await.unwrap(), 0, "once");
        assert_eq!(w.places_alerts(&w.parent).await, 1);
    }
}

both_backends! {
    /// The family's list of requests pages; another family cannot withdraw
    /// a request that is not its own (404), and bad paging lands on its field.
    async fn the_requests_list_pages_and_stays_the_familys_own(backend: Backend) {
        let w = World::open(backend).await;
        let mut asked = Vec::new();
        for capacity in [1, 1, 1] {
            let (program, group, _) = w.program(false, capacity, 0).await;
            let (child, _) = w.child(w.parent_id, 95 + asked.len() as u32, birth(9), "active").await;
            w.post("/applications", &w.parent, json!({ "child_id": child, "group_id": group })).await;
            let alert = w.json(Method::POST, &format!("/programs/{program}/spot-alerts"), &w.parent, json!({ "group_id": group }), StatusCode::CREATED).await;
            asked.push(alert["id"].as_i64().unwrap());
        }
        let second = w.json(Method::GET, "/me/spot-alerts?page=2&per_page=2", &w.parent, Value::Null, StatusCode::OK).await;
        assert_eq!((second["total"].as_i64(), second["items"].as_array().unwrap().len()), (Some(3), 1));
        assert_eq!(second["items"][0]["id"].as_i64(), Some(asked[0]), "newest first: the oldest is on page 2");
        let (status, body) = problem(w.send(Method::GET, "/me/spot-alerts?per_page=0", &w.parent, Value::Null).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["per_page"].is_array(), "{body}");
        let other = w.app.account("papa@example.org", navigator_shared::accounts::Role::Parent).await;
        let (status, _) = problem(w.send(Method::DELETE, &format!("/spot-alerts/{}", asked[0]), &other, json!({})).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let theirs = w.json(Method::GET, "/me/spot-alerts", &other, Value::Null, StatusCode::OK).await;
        assert_eq!(theirs["total"], 0);
        let gone = w.send(Method::DELETE, &format!("/spot-alerts/{}", asked[0]), &w.parent, json!({})).await;
        assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    }
}

/// The child's first name as stored.
async fn accepted_name(w: &World, child: i64) -> Option<String> {
    let kid = w.json(Method::GET, &format!("/children/{child}"), &w.parent, Value::Null, StatusCode::OK).await;
    kid["first_name"].as_str().map(str::to_owned)
}

impl World {
    /// The subjects of `token`'s in-app messages, newest first.
    async fn subjects(&self, token: &str) -> Vec<String> {
        let inbox = self.json(Method::GET, "/me/messages?per_page=200", token, Value::Null, StatusCode::OK).await;
        inbox["items"].as_array().unwrap().iter().map(|m| m["subject"].as_str().unwrap().to_owned()).collect()
    }

    async fn refused(&self, method: Method, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        problem(self.send(method, path, token, body).await).await
    }
}

both_backends! {
    /// A second guardian: the holder invites by email; only the account with
    /// that address accepts, once. The guardian then applies and signs for
    /// that child and sees its money, but not the holder's other child, and
    /// cannot change the data, invite or withdraw the consent. Both are told
    /// of the application; each sees who did what. Revoking ends the access.
    async fn a_second_guardian_applies_and_signs_for_the_invited_child_only(backend: Backend) {
        use navigator_shared::accounts::Role;
        let w = World::open(backend).await;
        w.period(100, 100 * NOMINAL).await;
        let (_, group, module) = w.program(true, 10, 360_000).await;
        let (child, number) = w.child(w.parent_id, 1, birth(9), "active").await;
        let (other_child, _) = w.child(w.parent_id, 2, birth(10), "active").await;
        w.fund(&w.parent, child).await;
        let papa = w.app.account("papa@example.org", Role::Parent).await;
        w.json(Method::PATCH, "/me", &papa, json!({ "last_name": "Петров", "first_name": "Иван" }), StatusCode::OK).await;
        let stranger = w.app.account("stranger@example.org", Role::Parent).await;
        let invite = format!("/children/{child}/guardians");

        // Bad input lands on its field; strangers and staff cannot invite.
        let (status, body) = w.refused(Method::POST, &invite, &w.parent, json!({ "email": "papa@", "relationship": null })).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(body["errors"]["email"][0].as_str().unwrap().contains("неверно"), "{body}");
        assert!(body["errors"]["relationship"][0].as_str().unwrap().contains("кем"), "{body}");
        let (status, body) = w.refused(Method::POST, &invite, &w.parent, json!({ "email": "mama@example.org", "relationship": "mother" })).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["email"][0].as_str().unwrap().contains("вашей учётной записи"), "{body}");
        let papa_invite = json!({ "email": " Papa@Example.org ", "relationship": "father" });
        let (status, _) = w.refused(Method::POST, &invite, &stranger, papa_invite.clone()).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = w.refused(Method::POST, &invite, &w.staff, papa_invite.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        let invited = w.json(Method::POST, &invite, &w.parent, papa_invite.clone(), StatusCode::CREATED).await;
        assert_eq!(invited["status"], "invited");
        assert_eq!(invited["email"], "papa@example.org");
        let (status, body) = w.refused(Method::POST, &invite, &w.parent, papa_invite.clone()).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("guardian_exists")));
        assert!(body["errors"]["email"].is_array(), "{body}");
        let token = w.app.wait_for_link("papa@example.org", "/guardians/accept").await;

        // Before accepting, the child is nobody's business of papa's.
        let (status, _) = w.refused(Method::GET, &format!("/children/{child}"), &papa, Value::Null).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let preview = w.app.post("/api/v1/guardian-invitations/preview", json!({ "token": token })).await;
        assert_eq!(preview.status(), StatusCode::OK);
        let preview: Value = preview.json().await.unwrap();
        assert_eq!((preview["relationship"].as_str(), preview["status"].as_str()), (Some("father"), Some("invited")));
        assert_eq!(preview["email"], "pa***@example.org");
        // Signed in, papa finds it waiting for his address; nobody else does.
        let waiting = w.json(Method::GET, "/me/guardian-invitations", &papa, Value::Null, StatusCode::OK).await;
        assert_eq!(waiting.as_array().unwrap().len(), 1, "{waiting}");
        assert_eq!((waiting[0]["id"].as_i64(), waiting[0]["child_first_name"].as_str()), (invited["id"].as_i64(), accepted_name(&w, child).await.as_deref()));
        let none = w.json(Method::GET, "/me/guardian-invitations", &stranger, Value::Null, StatusCode::OK).await;
        assert_eq!(none, json!([]));
        // Another account cannot take the invitation.
        let accept = "/guardian-invitations/accept";
        let (status, body) = w.refused(Method::POST, accept, &stranger, json!({ "token": token })).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("invitation_other_account")));
        let accepted = w.json(Method::POST, accept, &papa, json!({ "token": token }), StatusCode::OK).await;
        assert_eq!(accepted["id"], child);
        assert_eq!(accepted["relationship"], "father");
        assert_eq!(accepted["editable"], false, "only the holder changes the data");
        let again = w.json(Method::POST, accept, &papa, json!({ "token": token }), StatusCode::OK).await;
        assert_eq!(again["id"], child, "accepting twice answers the same");

        // Papa's list holds this child only; the holder's other child stays hidden.
        let kids = w.json(Method::GET, "/children", &papa, Value::Null, StatusCode::OK).await;
        let ids: Vec<i64> = kids.as_array().unwrap().iter().map(|k| k["id"].as_i64().unwrap()).collect();
        assert_eq!(ids, vec![child]);
        let (status, _) = w.refused(Method::GET, &format!("/children/{other_child}"), &papa, Value::Null).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = w.refused(Method::POST, "/applications", &papa, json!({ "child_id": other_child, "group_id": group })).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "refused for another child");

        // Papa applies and signs; the money is the certificate's as always.
        let application = w.post("/applications", &papa, json!({ "child_id": child, "group_id": group })).await;
        let id = application["id"].as_i64().unwrap();
        w.post(&format!("/applications/{id}/confirm"), &w.staff, json!({})).await;
        let offer = w.post(&format!("/applications/{id}/contract-offers"), &w.staff, json!({ "module_id": module })).await;
        // The contract names the parent who applied as its customer.
        let read = w.json(Method::GET, &format!("/contracts/{}", offer["id"]), &papa, Value::Null, StatusCode::OK).await;
        assert_eq!(read["text"]["terms"]["applicant_full_name"], "Петров Иван", "{read}");
        let signed = w.post(&format!("/contracts/{}/accept", offer["id"]), &papa, json!({})).await;
        assert_eq!(signed["status"], "active");
        let ledger = w.ledger(&papa, &number).await;
        assert_eq!(ledger["balance"]["reserved"], 360_000);
        w.assert_balanced(&number).await;
        // Both see the application; both were told of it.
        for token in [&w.parent, &papa] {
            let mine = w.json(Method::GET, "/applications", token, Value::Null, StatusCode::OK).await;
            assert!(mine["items"].as_array().unwrap().iter().any(|a| a["id"] == id), "{mine}");
            let told = w.subjects(token).await;
            assert!(told.iter().any(|s| s.contains("Робототехника")), "{told:?}");
        }
        assert!(w.subjects(&w.parent).await.iter().any(|s| s == "Представители ребёнка в Навигаторе"));

        // What only the holder does.
        let (status, _) = w.refused(Method::PATCH, &format!("/children/{child}"), &papa, json!({ "address": "г. Смоленск" })).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = w.refused(Method::POST, &invite, &papa, json!({ "email": "baba@example.org", "relationship": "guardian" })).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = w.refused(Method::POST, &format!("/children/{child}/consent-withdrawal"), &papa, json!({})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // Who did what: the holder's invitation, papa's application and signature.
        let activity = w.json(Method::GET, &format!("/children/{child}/activity"), &w.parent, Value::Null, StatusCode::OK).await;
        let lines: Vec<String> = activity["items"].as_array().unwrap().iter().map(|a| format!("{} — {}", a["who"].as_str().unwrap(), a["what"].as_str().unwrap())).collect();
        assert_eq!(activity["total"], 4, "{lines:?}");
        assert!(lines[0].contains("(отец)") && lines[0].contains("Подписан договор"), "{lines:?}");
        assert!(lines[1].contains("(отец)") && lines[1].contains("Подана заявка: «Робототехника»"), "{lines:?}");
        assert!(lines[2].contains("(отец)") && lines[2].contains("Принято приглашение"), "{lines:?}");
        assert!(lines[3].contains("(родитель)") && lines[3].contains("Приглашён представитель: отец"), "{lines:?}");
        let second = w.json(Method::GET, &format!("/children/{child}/activity?page=2&per_page=3"), &papa, Value::Null, StatusCode::OK).await;
        assert_eq!(second["items"].as_array().unwrap().len(), 1);
        let (status, body) = w.refused(Method::GET, &format!("/children/{child}/activity?page=0"), &papa, Value::Null).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["page"].is_array(), "{body}");
        let guardians = w.json(Method::GET, &invite, &papa, Value::Null, StatusCode::OK).await;
        assert_eq!(guardians["you_hold"], false);
        assert_eq!(guardians["guardians"][0]["email"], "pa***@example.org", "masked for a guardian");

        // The holder revokes: papa sees nothing more; both are told.
        let guardian = invited["id"].as_i64().unwrap();
        let (status, _) = w.refused(Method::DELETE, &format!("/guardians/{guardian}"), &stranger, json!({})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let ended = w.send(Method::DELETE, &format!("/guardians/{guardian}"), &w.parent, json!({})).await;
        assert_eq!(ended.status(), StatusCode::NO_CONTENT);
        for path in [format!("/children/{child}"), format!("/applications/{id}"), format!("/certificates/{number}/ledger")] {
            let (status, _) = w.refused(Method::GET, &path, &papa, Value::Null).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        }
        let kids = w.json(Method::GET, "/children", &papa, Value::Null, StatusCode::OK).await;
        assert_eq!(kids, json!([]));
        let papas = w.subjects(&papa).await;
        assert_eq!(papas.iter().filter(|s| *s == "Представители ребёнка в Навигаторе").count(), 2, "joined and revoked: {papas:?}");
        let (status, _) = w.refused(Method::DELETE, &format!("/guardians/{guardian}"), &w.parent, json!({})).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "revoked once");
        let (status, body) = w.refused(Method::POST, accept, &papa, json!({ "token": token })).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("invitation_invalid")));
        // The address may be invited again, and accepted from the list of those waiting.
        let again = w.json(Method::POST, &invite, &w.parent, papa_invite, StatusCode::CREATED).await;
        let by_id = format!("/guardian-invitations/{}/accept", again["id"]);
        let (status, _) = w.refused(Method::POST, &by_id, &stranger, json!({})).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "somebody else's invitation looks missing");
        let back = w.json(Method::POST, &by_id, &papa, json!({}), StatusCode::OK).await;
        assert_eq!(back["relationship"], "father");
        // The limit of open invitations and accesses holds.
        for n in 0..2 {
            let body = json!({ "email": format!("relative{n}@example.org"), "relationship": "guardian" });
            w.json(Method::POST, &invite, &w.parent, body, StatusCode::CREATED).await;
        }
        let (status, body) = w.refused(Method::POST, &invite, &w.parent, json!({ "email": "fourth@example.org", "relationship": "trustee" })).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("guardian_limit")));
    }
}
