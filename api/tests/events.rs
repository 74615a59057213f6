//! Events on both backends: staff write them, the municipality's operator
//! publishes or returns them, families find them in the calendar and sign
//! up several children at once; places are exact under concurrency and the
//! waiting list moves up when a place is freed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta};
use futures_util::future::join_all;
use navigator_shared::accounts::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Backend, TestApp, problem};

struct World {
    app: TestApp,
    municipality: i64,
    organization: i64,
    staff: String,
    operator: String,
}

fn birth(age: i32) -> NaiveDate {
    let today = navigator_api::clock::today();
    NaiveDate::from_ymd_opt(today.year() - age, 1, 15).unwrap()
}

/// Local time `days` ahead at `hour`.
fn ahead(days: i64, hour: u32) -> NaiveDateTime {
    (navigator_api::events::service::local_now() + TimeDelta::days(days)).date().and_hms_opt(hour, 0, 0).unwrap()
}

impl World {
    async fn open(backend: Backend) -> Self {
        // Fifty families sign in from one address.
        let app = TestApp::spawn_with(backend, |config| config.rate_limits.login_per_ip = 1_000).await;
        let municipality = app.municipality("город Смоленск").await;
        let organization = app.organization(municipality, false).await;
        let staff = app.staff_of("teacher@example.org", organization).await;
        let operator = app.operator_of("operator@example.org", municipality).await;
        Self { app, municipality, organization, staff, operator }
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

    async fn public(&self, path: &str) -> (StatusCode, Value) {
        let response = self.app.get(&format!("/api/v1{path}"), None).await;
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    fn event(&self, capacity: Option<i32>) -> Value {
        json!({
            "title": "День открытых дверей в технопарке",
            "kind": "open_day", "direction": "technical",
            "description": "Покажем мастерские робототехники и расскажем о программах нового учебного года.",
            "age_min": 7, "age_max": 12, "online": false,
            "address": "г. Смоленск, ул. Ленина, д. 1", "lat": 54.78, "lon": 32.04,
            "municipality_id": self.municipality,
            "starts_at": ahead(10, 11), "ends_at": ahead(10, 14),
            "signup_to": ahead(9, 18),
            "capacity": capacity, "certificate_required": false, "price": 0,
        })
    }

    /// A published event with `capacity` places: its id.
    async fn published(&self, capacity: Option<i32>) -> i64 {
        let event =
            self.json(Method::POST, "/cabinet/events", &self.staff, self.event(capacity), StatusCode::CREATED).await;
        let id = event["id"].as_i64().unwrap();
        self.json(Method::POST, &format!("/cabinet/events/{id}/submit"), &self.staff, json!({}), StatusCode::OK).await;
        self.json(Method::POST, &format!("/moderation/events/{id}/publish"), &self.operator, json!({}), StatusCode::OK)
            .await;
        id
    }

    /// A family with `ages.len()` children: (token, child ids).
    async fn family(&self, email: &str, first: u32, ages: &[i32]) -> (String, Vec<i64>) {
        let token = self.app.account(email, Role::Parent).await;
        let parent = self.app.account_id(email).await;
        let mut children = Vec::new();
        for (i, age) in ages.iter().enumerate() {
            let n = first + i as u32;
            children.push(self.app.child_with_certificate(self.municipality, parent, n, birth(*age), "none").await.0);
        }
        (token, children)
    }

    /// The reminders in the in-app messages of `token`'s account.
    async fn reminders(&self, token: &str) -> usize {
        let messages = self.json(Method::GET, "/me/messages", token, Value::Null, StatusCode::OK).await;
        let items = messages["items"].as_array().unwrap();
        items.iter().filter(|m| m["subject"].as_str().unwrap().starts_with("Напоминание")).count()
    }

    async fn sign_up(&self, token: &str, event: i64, children: &[i64]) -> reqwest::Response {
        self.send(Method::POST, &format!("/events/{event}/signups"), token, json!({ "child_ids": children })).await
    }
}

both_backends! {
    /// Draft → moderation → returned with a comment → published; only then
    /// families see it, filtered by kind, age and words; another
    /// municipality's operator cannot decide; a cancelled event stays in the
    /// calendar marked so.
    async fn staff_write_the_operator_publishes_families_find_it(backend: Backend) {
        let w = World::open(backend).await;
        // Every field's rule at once.
        let bad = json!({ "title": "", "kind": null, "description": "", "age_min": 12, "age_max": 7, "online": false,
            "address": "", "municipality_id": w.municipality, "starts_at": ahead(-1, 10), "ends_at": ahead(-1, 9),
            "capacity": 0, "certificate_required": false, "price": -5 });
        let (status, body) = problem(w.send(Method::POST, "/cabinet/events", &w.staff, bad).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        for field in ["title", "kind", "description", "age_max", "address", "starts_at", "ends_at", "capacity", "price"] {
            assert!(body["errors"][field].is_array(), "{field}: {body}");
        }
        let mut unknown = w.event(Some(10));
        unknown["municipality_id"] = json!(999_999);
        let (status, body) = problem(w.send(Method::POST, "/cabinet/events", &w.staff, unknown).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["municipality_id"].is_array());

        let event = w.json(Method::POST, "/cabinet/events", &w.staff, w.event(Some(10)), StatusCode::CREATED).await;
        let id = event["id"].as_i64().unwrap();
        assert_eq!((event["status"].clone(), event["places_left"].clone()), (json!("draft"), json!(10)));
        assert_eq!(w.public(&format!("/events/{id}")).await.0, StatusCode::NOT_FOUND, "a draft is not public");
        let parent = w.app.account("mama@example.org", Role::Parent).await;
        w.json(Method::GET, &format!("/events/{id}"), &parent, Value::Null, StatusCode::NOT_FOUND).await;
        w.json(Method::GET, &format!("/events/{id}"), &w.staff, Value::Null, StatusCode::OK).await;
        w.json(Method::POST, "/cabinet/events", &parent, w.event(None), StatusCode::FORBIDDEN).await;

        // Moderation: another municipality's operator cannot decide.
        w.json(Method::POST, &format!("/cabinet/events/{id}/submit"), &w.staff, json!({}), StatusCode::OK).await;
        let elsewhere = w.app.municipality("город Ярцево").await;
        let stranger = w.app.operator_of("stranger@example.org", elsewhere).await;
        let (status, body) = problem(w.send(Method::POST, &format!("/moderation/events/{id}/publish"), &stranger, json!({})).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("outside_territory")));
        let queue = w.json(Method::GET, "/moderation/events?status=moderation", &w.operator, Value::Null, StatusCode::OK).await;
        assert_eq!(queue["total"], 1);
        let theirs = w.json(Method::GET, "/moderation/events?status=moderation", &stranger, Value::Null, StatusCode::OK).await;
        assert_eq!(theirs["total"], 0);
        let returned = w.json(Method::POST, &format!("/moderation/events/{id}/return"), &w.operator,
            json!({ "comment": "Уточните, нужна ли сменная обувь" }), StatusCode::OK).await;
        assert_eq!((returned["status"].clone(), returned["moderation_comment"].clone()), (json!("draft"), json!("Уточните, нужна ли сменная обувь")));
        let (status, _) = problem(w.send(Method::POST, &format!("/moderation/events/{id}/publish"), &w.operator, json!({})).await).await;
        assert_eq!(status, StatusCode::CONFLICT, "a draft is not published");
        let mut edited = w.event(Some(10));
        edited["description"] = json!("Покажем мастерские робототехники. Возьмите сменную обувь.");
        w.json(Method::PUT, &format!("/cabinet/events/{id}"), &w.staff, edited, StatusCode::OK).await;
        w.json(Method::POST, &format!("/cabinet/events/{id}/submit"), &w.staff, json!({}), StatusCode::OK).await;
        let published = w.json(Method::POST, &format!("/moderation/events/{id}/publish"), &w.operator, json!({}), StatusCode::OK).await;
        assert_eq!((published["status"].clone(), published["signup_open"].clone()), (json!("published"), json!(true)));

        // The calendar and its filters.
        let (_, card) = w.public(&format!("/events/{id}")).await;
        assert_eq!(card["moderation_comment"], Value::Null, "families do not read the operator's comment");
        for (query, found) in [
            ("", 1), ("?kind=open_day", 1), ("?kind=contest", 0), ("?age=9", 1), ("?age=15", 0),
            ("?q=мастерская%20робототехника", 1), ("?q=шахматы", 0), ("?direction=arts", 0),
            (&format!("?municipality_id={elsewhere}") as &str, 0),
        ] {
            let (status, page) = w.public(&format!("/events{query}")).await;
            assert_eq!((status, page["total"].as_i64()), (StatusCode::OK, Some(found)), "{query}: {page}");
        }
        let later = (navigator_api::events::service::local_now() + TimeDelta::days(30)).date();
        let (_, page) = w.public(&format!("/events?from={later}")).await;
        assert_eq!(page["total"], 0, "an event before the period is not in it");
        let (status, body) = w.public(&format!("/events?from={later}&to=2020-01-01")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["to"].is_array());
        let organization = card["organization"]["id"].as_i64().unwrap();
        let (_, feed) = w.public(&format!("/events?organization_id={organization}")).await;
        assert_eq!(feed["total"], 1, "the organization's feed");

        // Cancelled: still in the calendar, marked, no sign-up.
        let cancelled = w.json(Method::POST, &format!("/cabinet/events/{id}/cancel"), &w.staff, json!({}), StatusCode::OK).await;
        assert_eq!((cancelled["status"].clone(), cancelled["signup_open"].clone()), (json!("cancelled"), json!(false)));
        let (status, _) = problem(w.send(Method::POST, &format!("/cabinet/events/{id}/cancel"), &w.staff, json!({})).await).await;
        assert_eq!(status, StatusCode::CONFLICT);
        let (_, page) = w.public("/events").await;
        assert_eq!(page["items"][0]["status"], "cancelled");
    }

    /// A family signs up two children in one request; a child of the wrong
    /// age stops the whole request; the full event puts the next child on
    /// the waiting list, who takes the place a cancel frees and is told.
    async fn two_children_at_once_then_the_waiting_list_moves_up(backend: Backend) {
        let w = World::open(backend).await;
        let event = w.published(Some(2)).await;
        let (mama, kids) = w.family("mama@example.org", 1, &[8, 10, 15]).await;
        let (status, body) = problem(w.sign_up(&mama, event, &kids).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["child_ids"][0].as_str().unwrap().contains("15 лет"), "{body}");
        let (_, card) = w.public(&format!("/events/{event}")).await;
        assert_eq!(card["places_left"], 2, "nothing was written");

        let signed = w.json(Method::POST, &format!("/events/{event}/signups"), &mama, json!({ "child_ids": [kids[0], kids[1]] }), StatusCode::OK).await;
        let statuses: Vec<&str> = signed.as_array().unwrap().iter().map(|s| s["status"].as_str().unwrap()).collect();
        assert_eq!(statuses, vec!["registered", "registered"]);
        let again = w.json(Method::POST, &format!("/events/{event}/signups"), &mama, json!({ "child_ids": [kids[0]] }), StatusCode::OK).await;
        assert_eq!(again[0]["id"], signed[0]["id"], "signing up again keeps the place");
        let (_, card) = w.public(&format!("/events/{event}")).await;
        assert_eq!((card["places_left"].clone(), card["waiting"].clone()), (json!(0), json!(0)));

        let (papa, other) = w.family("papa@example.org", 10, &[9]).await;
        let waiting = w.json(Method::POST, &format!("/events/{event}/signups"), &papa, json!({ "child_ids": other }), StatusCode::OK).await;
        assert_eq!((waiting[0]["status"].clone(), waiting[0]["position"].clone()), (json!("waiting"), json!(1)));
        // Somebody else's child, or no child at all, lands on the field.
        let (status, body) = problem(w.sign_up(&papa, event, &[kids[2]]).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["child_ids"].is_array());
        let (status, _) = problem(w.sign_up(&papa, event, &[]).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        w.json(Method::DELETE, &format!("/event-signups/{}", signed[0]["id"]), &papa, json!({}), StatusCode::NOT_FOUND).await;

        // The staff's list: registered first, then the waiting list.
        let list = w.json(Method::GET, &format!("/events/{event}/participants"), &w.staff, Value::Null, StatusCode::OK).await;
        let statuses: Vec<&str> = list.as_array().unwrap().iter().map(|p| p["status"].as_str().unwrap()).collect();
        assert_eq!(statuses, vec!["registered", "registered", "waiting"]);
        assert!(list[0]["parent"].as_str().unwrap().contains("Петрова"));
        w.json(Method::GET, &format!("/events/{event}/participants"), &mama, Value::Null, StatusCode::NOT_FOUND).await;
        let (status, body) = problem(w.send(Method::PUT, &format!("/cabinet/event-signups/{}/attendance", list[0]["signup_id"]), &w.staff, json!({ "attended": true })).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("event_signup_closed")), "not before the start");

        // A cancel frees a place: the waiting child takes it and the family is told.
        w.json(Method::DELETE, &format!("/event-signups/{}", signed[1]["id"]), &mama, json!({}), StatusCode::NO_CONTENT).await;
        w.json(Method::DELETE, &format!("/event-signups/{}", signed[1]["id"]), &mama, json!({}), StatusCode::NOT_FOUND).await;
        let moved = w.json(Method::GET, &format!("/events/{event}/signups"), &papa, Value::Null, StatusCode::OK).await;
        assert_eq!((moved[0]["status"].clone(), moved[0]["position"].clone()), (json!("registered"), Value::Null));
        let messages = w.json(Method::GET, "/me/messages", &papa, Value::Null, StatusCode::OK).await;
        assert!(messages.to_string().contains("Освободилось место"), "{messages}");
        let (_, card) = w.public(&format!("/events/{event}")).await;
        assert_eq!((card["places_left"].clone(), card["waiting"].clone()), (json!(0), json!(0)));

        // Capacity may not fall below the children signed up; a larger one is fine.
        let mut smaller = w.event(Some(1));
        smaller["title"] = json!("День открытых дверей");
        let (status, body) = problem(w.send(Method::PUT, &format!("/cabinet/events/{event}"), &w.staff, smaller).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["capacity"].is_array());
        w.json(Method::PUT, &format!("/cabinet/events/{event}"), &w.staff, w.event(Some(5)), StatusCode::OK).await;
        let told = w.json(Method::GET, "/me/messages", &mama, Value::Null, StatusCode::OK).await;
        assert!(told.to_string().contains("изменил"), "families hear of a change: {told}");
        // Cancelled by the organization: both families are told.
        w.json(Method::POST, &format!("/cabinet/events/{event}/cancel"), &w.staff, json!({}), StatusCode::OK).await;
        for token in [&mama, &papa] {
            let messages = w.json(Method::GET, "/me/messages", token, Value::Null, StatusCode::OK).await;
            assert!(messages.to_string().contains("отменил"), "{messages}");
        }
        let (status, body) = problem(w.sign_up(&mama, event, &[kids[1]]).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("event_signup_closed")));
    }

    /// Fifty families sign up at once for twenty places: exactly twenty get
    /// a place, thirty wait in one order, and the counts match the rows.
    async fn fifty_parallel_sign_ups_fill_exactly_the_places(backend: Backend) {
        let w = World::open(backend).await;
        let event = w.published(Some(20)).await;
        let mut families = Vec::new();
        for n in 0..50u32 {
            families.push(w.family(&format!("family{n}@example.org"), 100 + n, &[9]).await);
        }
        let answers = join_all(families.iter().map(|(token, kids)| w.sign_up(token, event, kids))).await;
        let mut registered = 0;
        let mut positions = Vec::new();
        for answer in answers {
            assert_eq!(answer.status(), StatusCode::OK);
            let body: Value = answer.json().await.unwrap();
            match body[0]["status"].as_str() {
                Some("registered") => registered += 1,
                Some("waiting") => positions.push(body[0]["position"].as_i64().unwrap()),
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(registered, 20);
        let (_, card) = w.public(&format!("/events/{event}")).await;
        assert_eq!((card["places_left"].clone(), card["waiting"].clone()), (json!(0), json!(30)));
        let list = w.json(Method::GET, &format!("/events/{event}/participants"), &w.staff, Value::Null, StatusCode::OK).await;
        let waiting: Vec<i64> = list.as_array().unwrap().iter().filter_map(|p| p["position"].as_i64()).collect();
        assert_eq!(waiting, (1..=30).collect::<Vec<_>>(), "one order of the waiting list");
        assert!(!positions.is_empty());
    }
}

both_backends! {
    /// The day before, each family of a registered child is reminded once:
    /// two jobs at the same time, and a server started again on the same
    /// database, send nothing more. The event comes as an `.ics` file and in
    /// the calendar's feed; the participants as CSV for a spreadsheet.
    async fn the_reminder_goes_once_across_a_restart_and_files_download(backend: Backend) {
        let w = World::open(backend).await;
        let event = w.published(Some(5)).await;
        let (mama, kids) = w.family("mama@example.org", 1, &[8, 9]).await;
        let (papa, other) = w.family("papa@example.org", 10, &[9]).await;
        w.json(Method::POST, &format!("/events/{event}/signups"), &mama, json!({ "child_ids": kids }), StatusCode::OK).await;
        let waiting = w.json(Method::POST, &format!("/events/{event}/signups"), &papa, json!({ "child_ids": other }), StatusCode::OK).await;
        w.json(Method::DELETE, &format!("/event-signups/{}", waiting[0]["id"]), &papa, json!({}), StatusCode::NO_CONTENT).await;
        let (ghost, ghost_kids) = w.family("ghost@example.org", 20, &[9]).await;
        w.json(Method::POST, &format!("/events/{event}/signups"), &ghost, json!({ "child_ids": ghost_kids }), StatusCode::OK).await;
        // Not yet within a day: nothing.
        let links = w.app.state.links();
        let sent = w.app.state.db(move |c| navigator_api::events::service::remind_due(c, &links)).await.unwrap();
        assert_eq!(sent, 0);
        // Tomorrow morning.
        let tomorrow = navigator_api::events::service::local_now() + TimeDelta::hours(12);
        w.app
            .state
            .db(move |c| {
                use diesel::prelude::*;
                use navigator_api::db::schema::events;
                diesel::update(events::table.find(event))
                    .set((events::starts_at.eq(tomorrow), events::ends_at.eq(tomorrow + TimeDelta::hours(2)), events::signup_to.eq(None::<NaiveDateTime>)))
                    .execute(c)
            })
            .await
            .unwrap();
        let runs = (0..2).map(|_| {
            let (state, links) = (w.app.state.clone(), w.app.state.links());
            async move { state.db(move |c| navigator_api::events::service::remind_due(c, &links)).await.unwrap() }
        });
        let sent: usize = join_all(runs).await.into_iter().sum();
        assert_eq!(sent, 3, "two of mama's children and the ghost's, once each");
        assert_eq!(w.reminders(&mama).await, 2);
        assert_eq!(w.reminders(&papa).await, 0, "a cancelled sign-up is not reminded");
        // A server started again on the same database runs its housekeeping at once.
        let restarted = w.app.process(&[]).await;
        let health = reqwest::get(restarted.url("/healthz")).await.unwrap();
        assert!(health.status().is_success());
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        drop(restarted);
        assert_eq!(w.reminders(&mama).await, 2, "nothing is sent twice");
        assert_eq!(w.reminders(&ghost).await, 1);

        // The event as a calendar file and in the feed.
        let response = w.app.get(&format!("/api/v1/events/{event}/calendar.ics"), None).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
        let ics = response.text().await.unwrap();
        for needle in ["BEGIN:VCALENDAR", &format!("UID:event-{event}@navigator"), "SUMMARY:День открытых дверей в технопарке", "DTSTART:", "GEO:54.780000;32.040000", "END:VEVENT"] {
            assert!(ics.contains(needle), "{needle} in {ics}");
        }
        assert!(ics.split("\r\n").all(|line| line.len() <= 75), "folded lines");
        let start = tomorrow - TimeDelta::hours(3);
        assert!(ics.contains(&format!("DTSTART:{}", start.format("%Y%m%dT%H%M%SZ"))), "UTC start: {ics}");
        let feed = w.app.get("/api/v1/events.ics?kind=open_day", None).await.text().await.unwrap();
        assert_eq!(feed.matches("BEGIN:VEVENT").count(), 1);
        let none = w.app.get("/api/v1/events.ics?kind=contest", None).await.text().await.unwrap();
        assert!(none.contains("BEGIN:VCALENDAR") && !none.contains("BEGIN:VEVENT"));
        assert_eq!(w.app.get("/api/v1/events/999999/calendar.ics", None).await.status(), StatusCode::NOT_FOUND);

        // The participants for a spreadsheet, only for the organization.
        let response = w.send(Method::GET, &format!("/events/{event}/participants.csv"), &w.staff, Value::Null).await;
        assert_eq!(response.status(), StatusCode::OK);
        let csv = response.text().await.unwrap();
        assert!(csv.starts_with("\u{feff}Ребёнок;Дата рождения;Родитель"), "{csv}");
        assert_eq!(csv.lines().count(), 4, "a header and three children: {csv}");
        assert!(csv.contains("Петров Ребёнок1 Иванович") && csv.contains(";Записан;"));
        let refused = w.send(Method::GET, &format!("/events/{event}/participants.csv"), &mama, Value::Null).await;
        assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    }
}

both_backends! {
    /// A child who came to an event of a program may review the program,
    /// without the «участник программы» badge; one who was signed up but did
    /// not come may not. Attendance is marked once the event has started.
    async fn a_child_who_came_to_an_event_may_review_its_program(backend: Backend) {
        let w = World::open(backend).await;
        let (program, ..) = w.app.published_program((w.organization, w.municipality), false, 10, 0).await;
        let mut open_lesson = w.event(Some(10));
        open_lesson["program_id"] = json!(program);
        let event = w.json(Method::POST, "/cabinet/events", &w.staff, open_lesson, StatusCode::CREATED).await["id"].as_i64().unwrap();
        w.json(Method::POST, &format!("/cabinet/events/{event}/submit"), &w.staff, json!({}), StatusCode::OK).await;
        w.json(Method::POST, &format!("/moderation/events/{event}/publish"), &w.operator, json!({}), StatusCode::OK).await;
        let (mama, kids) = w.family("mama@example.org", 1, &[8, 9]).await;
        let signed = w.json(Method::POST, &format!("/events/{event}/signups"), &mama, json!({ "child_ids": kids }), StatusCode::OK).await;
        // The event began an hour ago.
        let began = navigator_api::events::service::local_now() - TimeDelta::hours(1);
        w.app
            .state
            .db(move |c| {
                use diesel::prelude::*;
                use navigator_api::db::schema::events;
                diesel::update(events::table.find(event))
                    .set((events::starts_at.eq(began), events::ends_at.eq(began + TimeDelta::hours(3)), events::signup_to.eq(None::<NaiveDateTime>)))
                    .execute(c)
            })
            .await
            .unwrap();
        w.json(Method::PUT, &format!("/cabinet/event-signups/{}/attendance", signed[0]["id"]), &w.staff, json!({ "attended": true }), StatusCode::NO_CONTENT).await;
        w.json(Method::PUT, &format!("/cabinet/event-signups/{}/attendance", signed[1]["id"]), &w.staff, json!({ "attended": false }), StatusCode::NO_CONTENT).await;
        let csv = w.send(Method::GET, &format!("/events/{event}/participants.csv"), &w.staff, Value::Null).await.text().await.unwrap();
        assert!(csv.contains(";да") && csv.contains(";нет"), "{csv}");
        let access = w.json(Method::GET, &format!("/programs/{program}/review-access"), &mama, Value::Null, StatusCode::OK).await;
        let may: Vec<i64> = access["children"].as_array().unwrap().iter().map(|c| c["child_id"].as_i64().unwrap()).collect();
        assert_eq!(may, vec![kids[0]]);
        let text = "Были на открытом занятии: понравилось, записываемся на следующий год.";
        let review = w.json(Method::POST, &format!("/programs/{program}/reviews"), &mama, json!({ "child_id": kids[0], "stars": 5, "text": text }), StatusCode::CREATED).await;
        assert_eq!(review["participant"], false, "no «участник программы» for a visitor");
        let (status, body) = problem(w.send(Method::POST, &format!("/programs/{program}/reviews"), &mama, json!({ "child_id": kids[1], "stars": 5, "text": text })).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("review_not_participant")));
    }

    /// The demo has events in the coming weeks in several municipalities,
    /// one in the operator's queue, and Артём signed up for one.
    async fn the_demo_has_events_of_the_coming_weeks(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        assert!(navigator_api::demo::seed_if_empty(&app.state, navigator_api::demo::Size { programs: 300, children: 200 }).await.unwrap());
        let page: Value = app.get("/api/v1/events?per_page=100", None).await.json().await.unwrap();
        let items = page["items"].as_array().unwrap();
        assert!(items.len() >= 6, "{page}");
        let mut municipalities: Vec<i64> = items.iter().map(|e| e["municipality_id"].as_i64().unwrap()).collect();
        municipalities.dedup();
        assert!(municipalities.len() >= 2, "{municipalities:?}");
        assert!(items.iter().all(|e| e["status"] == "published" && e["signup_open"] == true));
        let (operator, _) = app.login("operator@example.org", navigator_api::demo::PASSWORD).await;
        let queue: Value = app.get("/api/v1/moderation/events?status=moderation", Some(&operator)).await.json().await.unwrap();
        assert_eq!(queue["total"], 1, "{queue}");
        let (parent, _) = app.login("parent@example.org", navigator_api::demo::PASSWORD).await;
        let mut signed = 0;
        for event in items {
            let mine: Value = app.get(&format!("/api/v1/events/{}/signups", event["id"]), Some(&parent)).await.json().await.unwrap();
            signed += mine.as_array().unwrap().len();
        }
        assert!(signed >= 1, "Артём is signed up");
    }
}
