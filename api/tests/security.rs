//! Attacks on the API that once worked, on SQLite and PostgreSQL: a role
//! widening its own reach, desks outside their territory, pages and text that
//! broke the database, sign-in lockouts, tokens outliving their sign-in,
//! weak passwords and trickling bodies.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod support;

use std::time::{Duration, Instant};

use navigator_shared::accounts::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Backend, PASSWORD, TestApp, child, problem};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Two municipalities, a family with a pending certificate in each, an
/// activation point and an operator of the first.
struct Region {
    app: TestApp,
    parent: String,
    home: i64,
    away: i64,
    home_number: String,
    away_number: String,
}

impl Region {
    async fn new(backend: Backend) -> Self {
        Self::with(backend, |_| {}).await
    }

    async fn with(backend: Backend, adjust: impl FnOnce(&mut navigator_api::config::Config)) -> Self {
        let app = TestApp::spawn_with(backend, adjust).await;
        let home = app.confirmed_parent("mama@example.org").await;
        let away = app.municipality("город Десногорск").await;
        let (parent, _) = app.login("mama@example.org", PASSWORD).await;
        let home_number = certificate(&app, &parent, child(home, "Анна", "112-233-445 95")).await;
        let away_number = certificate(&app, &parent, child(away, "Вера", "987-654-321 83")).await;
        Self { app, parent, home, away, home_number, away_number }
    }

    async fn open(&self, token: &str, number: &str) -> StatusCode {
        self.app.get(&format!("/api/v1/registry/certificates/{number}"), Some(token)).await.status()
    }
}

async fn certificate(app: &TestApp, parent: &str, body: Value) -> String {
    let response = app.send(Method::POST, "/api/v1/children", parent, body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let id = response.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let response = app
        .send(
            Method::POST,
            &format!("/api/v1/children/{id}/certificate"),
            parent,
            json!({ "consent_personal_data": true, "consent_rules": true }),
        )
        .await;
    response.json::<Value>().await.unwrap()["number"].as_str().unwrap().to_owned()
}

async fn user_id(app: &TestApp, token: &str) -> i64 {
    app.get("/api/v1/me", Some(token)).await.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

/// `PATCH /me` with another municipality: refused for staff, the reach unchanged.
async fn own_profile_cannot_move(app: &TestApp, token: &str, to: i64) {
    let before: Value = app.get("/api/v1/me", Some(token)).await.json().await.unwrap();
    let (status, body) =
        problem(app.send(Method::PATCH, "/api/v1/me", token, json!({ "municipality_id": to })).await).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("assigned_by_admin")), "{body}");
    let after: Value = app.get("/api/v1/me", Some(token)).await.json().await.unwrap();
    assert_eq!(after["municipality_id"], before["municipality_id"]);
}

both_backends! {
    /// The operator of one municipality cannot move himself into another one.
    async fn an_operator_cannot_move_himself_into_another_municipality(backend: Backend) {
        let region = Region::new(backend).await;
        let app = &region.app;
        let operator = app.operator_of("operator@example.org", region.home).await;
        assert_eq!(region.open(&operator, &region.home_number).await, StatusCode::OK);
        assert_eq!(region.open(&operator, &region.away_number).await, StatusCode::NOT_FOUND);
        own_profile_cannot_move(app, &operator, region.away).await;
        assert_eq!(region.open(&operator, &region.away_number).await, StatusCode::NOT_FOUND, "still outside");
        let refuse = format!("/api/v1/registry/certificates/{}/refuse", region.away_number);
        let refused = app.send(Method::POST, &refuse, &operator, json!({ "reason": "no_consent" })).await;
        assert_eq!(refused.status(), StatusCode::NOT_FOUND);
        let list: Value = app.get("/api/v1/registry/certificates", Some(&operator)).await.json().await.unwrap();
        assert_eq!(list["total"], 1, "only his own municipality: {list}");
    }

    /// Activation-point staff cannot change the municipality in their profile either.
    async fn activation_point_staff_cannot_widen_their_reach(backend: Backend) {
        let region = Region::new(backend).await;
        let app = &region.app;
        let point = app.organization(region.home, true).await;
        let staff = app.staff_of("staff@example.org", point).await;
        own_profile_cannot_move(app, &staff, region.away).await;
        assert_eq!(region.open(&staff, &region.away_number).await, StatusCode::NOT_FOUND);
        // Names, phone and the like stay the staff member's own.
        let renamed = app.send(Method::PATCH, "/api/v1/me", &staff, json!({ "phone": "+7 912 000-00-01" })).await;
        assert_eq!(renamed.status(), StatusCode::OK);
    }

    /// The admin's profile has no territory to change; the admin's reach is the region.
    async fn the_admin_profile_cannot_take_a_municipality(backend: Backend) {
        let region = Region::new(backend).await;
        let app = &region.app;
        let admin = app.account("admin@example.org", Role::Admin).await;
        own_profile_cannot_move(app, &admin, region.home).await;
        assert_eq!(region.open(&admin, &region.away_number).await, StatusCode::OK);
    }

    /// A family may move; its municipality opens no staff page.
    async fn a_family_moving_municipality_gains_no_rights(backend: Backend) {
        let region = Region::new(backend).await;
        let app = &region.app;
        let moved = app.send(Method::PATCH, "/api/v1/me", &region.parent, json!({ "municipality_id": region.away })).await;
        assert_eq!(moved.status(), StatusCode::OK);
        for path in ["/api/v1/registry/certificates?status=pending", "/api/v1/registry/organizations", "/api/v1/funding-requests"] {
            assert_eq!(app.get(path, Some(&region.parent)).await.status(), StatusCode::FORBIDDEN, "{path}");
        }
        assert_eq!(region.open(&region.parent, &region.away_number).await, StatusCode::FORBIDDEN);
        let learner = app.account("learner@example.org", Role::Learner).await;
        let moved = app.send(Method::PATCH, "/api/v1/me", &learner, json!({ "municipality_id": region.away })).await;
        assert_eq!(moved.status(), StatusCode::OK);
        assert_eq!(region.open(&learner, &region.away_number).await, StatusCode::FORBIDDEN);
    }

    /// Only the admin assigns an operator's municipality; the operator moves
    /// staff only between organizations of his own; each change is audited.
    async fn staff_are_assigned_by_their_administrator_with_an_audit_entry(backend: Backend) {
        let region = Region::new(backend).await;
        let app = &region.app;
        let admin = app.account("admin@example.org", Role::Admin).await;
        let operator = app.operator_of("operator@example.org", region.home).await;
        let operator_id = user_id(app, &operator).await;
        let assign = |id: i64| format!("/api/v1/staff/{id}/assignment");

        let (status, body) = problem(app.send(Method::PUT, &assign(operator_id), &operator, json!({ "municipality_id": region.away, "reason": "приказ № 5" })).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("admin_only")));
        let (status, body) = problem(app.send(Method::PUT, &assign(operator_id), &admin, json!({ "municipality_id": region.away, "reason": "" })).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["reason"].is_array(), "{body}");
        let (_, body) = problem(app.send(Method::PUT, &assign(operator_id), &admin, json!({ "municipality_id": 424242, "reason": "приказ № 5" })).await).await;
        assert!(body["errors"]["municipality_id"].is_array(), "{body}");

        let moved = app.send(Method::PUT, &assign(operator_id), &admin, json!({ "municipality_id": region.away, "reason": "приказ № 5" })).await;
        assert_eq!(moved.status(), StatusCode::OK);
        let moved: Value = moved.json().await.unwrap();
        assert_eq!((moved["role"].as_str(), moved["municipality_id"].as_i64()), (Some("operator"), Some(region.away)));
        assert_eq!(region.open(&operator, &region.away_number).await, StatusCode::OK, "at once, same token");
        assert_eq!(region.open(&operator, &region.home_number).await, StatusCode::NOT_FOUND);

        // Staff of an organization: the operator of the municipality moves them there only.
        let near = app.organization(region.away, true).await;
        let far = app.organization(region.home, true).await;
        let staff = app.staff_of("staff@example.org", near).await;
        let staff_id = user_id(app, &staff).await;
        let (_, body) = problem(app.send(Method::PUT, &assign(staff_id), &operator, json!({ "organization_id": far, "reason": "перевод" })).await).await;
        assert!(body["errors"]["organization_id"].is_array(), "another municipality's organization: {body}");
        let (_, body) = problem(app.send(Method::PUT, &assign(staff_id), &operator, json!({ "municipality_id": region.home, "reason": "перевод" })).await).await;
        assert!(body["errors"]["municipality_id"].is_array(), "{body}");
        let other_near = app.organization(region.away, false).await;
        let moved = app.send(Method::PUT, &assign(staff_id), &operator, json!({ "organization_id": other_near, "reason": "перевод" })).await;
        assert_eq!(moved.status(), StatusCode::OK);
        assert_eq!(region.open(&staff, &region.away_number).await, StatusCode::FORBIDDEN, "no longer an activation point");
        let parent_id = user_id(app, &region.parent).await;
        let (status, _) = problem(app.send(Method::PUT, &assign(parent_id), &admin, json!({ "municipality_id": region.home, "reason": "попытка" })).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "a family account is nobody's staff");

        let entries: Vec<(i64, String, Option<String>, Option<String>)> = app
            .state
            .db(|c| {
                use diesel::prelude::*;
                use navigator_api::db::schema::audit_log::dsl::*;
                audit_log.filter(action.eq("assign")).order(id).select((actor_id, action, changes, reason)).load(c)
            })
            .await
            .unwrap();
        assert_eq!(entries.len(), 2, "{entries:?}");
        let changes: Value = serde_json::from_str(entries[0].2.as_deref().unwrap()).unwrap();
        assert_eq!(changes, json!({ "user_id": operator_id, "municipality_id": { "old": region.home, "new": region.away } }));
        assert_eq!(entries[0].3.as_deref(), Some("приказ № 5"));
        assert_eq!(entries[1].0, operator_id);
    }

    /// A point serves its own municipality unless the region opens its points
    /// to every family; the money of a certificate is never the desk's to read.
    async fn activation_points_serve_their_own_municipality(backend: Backend) {
        let region = Region::new(backend).await;
        let app = &region.app;
        let point = app.organization(region.home, true).await;
        let staff = app.staff_of("staff@example.org", point).await;
        assert_eq!(region.open(&staff, &region.home_number).await, StatusCode::OK);
        let away = &region.away_number;
        assert_eq!(region.open(&staff, away).await, StatusCode::NOT_FOUND);
        let found: Value = app.get(&format!("/api/v1/registry/certificates?number={away}"), Some(&staff)).await.json().await.unwrap();
        assert_eq!(found["total"], 0, "{found}");
        let by_name: Value = app.get("/api/v1/registry/certificates?last_name=Семёнова&birth_date=2016-04-12", Some(&staff)).await.json().await.unwrap();
        assert_eq!(by_name["total"], 1, "{by_name}");
        let pdf = app.get(&format!("/api/v1/registry/certificates/{away}/documents/application.pdf"), Some(&staff)).await;
        assert_eq!(pdf.status(), StatusCode::NOT_FOUND);
        let correct = app.send(Method::PATCH, &format!("/api/v1/registry/certificates/{away}/child"), &staff, json!({ "changes": { "middle_name": "Ивановна" }, "reason": "сверено" })).await;
        assert_eq!(correct.status(), StatusCode::NOT_FOUND);
        let refuse = app.send(Method::POST, &format!("/api/v1/registry/certificates/{away}/refuse"), &staff, json!({ "reason": "no_consent" })).await;
        assert_eq!(refuse.status(), StatusCode::NOT_FOUND);
        let ledger = app.get(&format!("/api/v1/certificates/{}/ledger", region.home_number), Some(&staff)).await;
        assert_eq!(ledger.status(), StatusCode::FORBIDDEN, "a ledger is not the desk's work");
        let visitor = app.send(Method::POST, "/api/v1/registry/parents", &staff, json!({
            "email": "visitor@example.org", "phone": "+7 912 111-22-33", "last_name": "Орлова", "first_name": "Ирина",
            "middle_name": "", "municipality_id": region.away,
        })).await;
        let (status, body) = problem(visitor).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("outside_territory")), "{body}");
        let operator = app.operator_of("operator@example.org", region.home).await;
        let ledger = app.get(&format!("/api/v1/certificates/{}/ledger", region.home_number), Some(&operator)).await;
        assert_eq!(ledger.status(), StatusCode::OK);

        let region_wide = Region::with(backend, |c| c.activation_points_region_wide = true).await;
        let app = &region_wide.app;
        let point = app.organization(region_wide.home, true).await;
        let staff = app.staff_of("staff@example.org", point).await;
        assert_eq!(region_wide.open(&staff, &region_wide.away_number).await, StatusCode::OK);
        let ledger = app.get(&format!("/api/v1/certificates/{}/ledger", region_wide.away_number), Some(&staff)).await;
        assert_eq!(ledger.status(), StatusCode::FORBIDDEN);
        let trail: Vec<String> = app
            .state
            .db(|c| {
                use diesel::prelude::*;
                use navigator_api::db::schema::audit_log::dsl::*;
                audit_log.select(action).load(c)
            })
            .await
            .unwrap();
        assert_eq!(trail, ["view"], "the region-wide opening is audited");
    }

    /// A page past any list is a field error, not a 500 (PostgreSQL) or page 1 (SQLite).
    async fn impossible_pages_are_refused_on_every_list(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let municipality = app.confirmed_parent("mama@example.org").await;
        let (parent, _) = app.login("mama@example.org", PASSWORD).await;
        let admin = app.account("admin@example.org", Role::Admin).await;
        let organization = app.organization(municipality, true).await;
        let staff = app.staff_of("staff@example.org", organization).await;
        let lists: [(&str, &str); 12] = [
            ("/api/v1/municipalities", ""),
            ("/api/v1/organizations", ""),
            ("/api/v1/programs", ""),
            ("/api/v1/applications", "parent"),
            ("/api/v1/me/messages", "parent"),
            ("/api/v1/registry/certificates", "admin"),
            ("/api/v1/registry/organizations", "admin"),
            ("/api/v1/funding-requests", "admin"),
            ("/api/v1/moderation/programs", "admin"),
            ("/api/v1/cabinet/programs", "staff"),
            ("/api/v1/applications", "staff"),
            ("/api/v1/staff", "admin"),
        ];
        for (path, who) in lists {
            let token = match who {
                "parent" => Some(parent.as_str()),
                "admin" => Some(admin.as_str()),
                "staff" => Some(staff.as_str()),
                _ => None,
            };
            for page in ["9223372036854775807", "100001", "0", "-1"] {
                let response = app.get(&format!("{path}?page={page}"), token).await;
                assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}?page={page}");
                let (status, body) = problem(response).await;
                assert_eq!(status, StatusCode::BAD_REQUEST, "{path}?page={page}: {body}");
                assert!(body["errors"]["page"].is_array(), "{path}?page={page}: {body}");
            }
            let last = app.get(&format!("{path}?page=100000"), token).await;
            assert_eq!(last.status(), StatusCode::OK, "{path}: the last possible page is empty, not an error");
        }
    }

    /// A NUL byte (or any control character but line breaks and tabs) in free
    /// text is a field error and nothing is stored.
    async fn control_characters_in_text_are_field_errors(backend: Backend) {
        let region = Region::new(backend).await;
        let app = &region.app;
        let admin = app.account("admin@example.org", Role::Admin).await;
        let point = app.organization(region.home, true).await;
        let staff = app.staff_of("staff@example.org", point).await;
        let number = &region.home_number;
        let attempts = [
            (Method::PUT, "/api/v1/calendar/overrides/2027-01-11".to_owned(), admin.as_str(), json!({ "working": false, "note": "перенос\u{0}" }), "note"),
            (Method::PATCH, format!("/api/v1/registry/certificates/{number}/child"), staff.as_str(), json!({ "changes": { "middle_name": "Ивановна" }, "reason": "сверено\u{0}" }), "reason"),
            (Method::PATCH, format!("/api/v1/registry/certificates/{number}/child"), staff.as_str(), json!({ "changes": { "address": "ул. Ленина\u{1b}[2J" }, "reason": "сверено" }), "changes.address"),
            (Method::POST, format!("/api/v1/registry/certificates/{number}/refuse"), staff.as_str(), json!({ "reason": "no_consent", "comment": "\u{0}" }), "comment"),
            (Method::PATCH, "/api/v1/me".to_owned(), region.parent.as_str(), json!({ "address": "a\u{7f}b" }), "address"),
        ];
        for (method, path, token, body, field) in attempts {
            let (status, answer) = problem(app.send(method, &path, token, body).await).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {answer}");
            assert!(answer["errors"][field].is_array(), "{path} names {field}: {answer}");
        }
        let (status, answer) = problem(app.get("/api/v1/registry/certificates?last_name=%00&birth_date=2016-04-12", Some(&staff)).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(answer["errors"]["last_name"].is_array(), "{answer}");
        let (status, _) = problem(app.get("/api/v1/programs?q=%D0%BC%00", None).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (status, _) = problem(app.send(Method::PATCH, "/api/v1/me", &region.parent, json!([null, null])).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "a body that is not an object says nothing");
        // Line breaks belong in text.
        let multi = app.send(Method::PUT, "/api/v1/calendar/overrides/2027-01-11", &admin, json!({ "working": false, "note": "перенос\nс субботы" })).await;
        assert!(multi.status().is_success(), "{}", multi.status());
        let card: Value = app.get(&format!("/api/v1/registry/certificates/{number}"), Some(&staff)).await.json().await.unwrap();
        assert_eq!(card["certificate"]["status"], "pending", "the refusal with a NUL was not stored");
    }

    /// Knocking with somebody's email never locks its owner out; an address
    /// that keeps failing is stopped; behind a trusted proxy each client has its own budget.
    async fn sign_in_failures_lock_the_guesser_not_the_owner(backend: Backend) {
        let app = TestApp::spawn_with(backend, |c| {
            c.rate_limits.login_per_account = 3;
            c.rate_limits.login_per_ip = 8;
            c.trusted_proxies = navigator_api::config::TrustedProxies::parse("127.0.0.1").unwrap();
        })
        .await;
        app.confirmed_parent("mama@example.org").await;
        let login = |from: &'static str, password: &'static str| {
            app.client
                .post(app.url("/api/v1/auth/login"))
                .header("x-forwarded-for", from)
                .json(&json!({ "email": "mama@example.org", "password": password }))
                .send()
        };
        // Right passwords are not failures.
        for _ in 0..4 {
            assert_eq!(login("198.51.100.1", PASSWORD).await.unwrap().status(), StatusCode::OK);
        }
        for _ in 0..3 {
            assert_eq!(login("203.0.113.9", "wrong password!").await.unwrap().status(), StatusCode::UNAUTHORIZED);
        }
        let guesser = login("203.0.113.9", PASSWORD).await.unwrap();
        assert_eq!(guesser.status(), StatusCode::TOO_MANY_REQUESTS, "the failing address waits, even with the password");
        assert_eq!(login("198.51.100.1", PASSWORD).await.unwrap().status(), StatusCode::OK, "the owner signs in");
        // A locked account gives a fresh address one try, then stops it.
        assert_eq!(login("203.0.113.10", "wrong password!").await.unwrap().status(), StatusCode::UNAUTHORIZED);
        assert_eq!(login("203.0.113.10", "wrong password!").await.unwrap().status(), StatusCode::TOO_MANY_REQUESTS);
        // Each forwarded client has its own per-address budget of 8.
        for _ in 0..3 {
            assert_eq!(login("198.51.100.2", PASSWORD).await.unwrap().status(), StatusCode::OK);
        }
        // An untrusted peer's header is ignored: a spoofed address gets no new budget.
        let direct = TestApp::spawn_with(backend, |c| c.rate_limits.login_per_ip = 2).await;
        direct.confirmed_parent("mama@example.org").await;
        for n in 0..3 {
            let response = direct
                .client
                .post(direct.url("/api/v1/auth/login"))
                .header("x-forwarded-for", format!("192.0.2.{n}"))
                .json(&json!({ "email": "mama@example.org", "password": PASSWORD }))
                .send()
                .await
                .unwrap();
            let expected = if n < 2 { StatusCode::OK } else { StatusCode::TOO_MANY_REQUESTS };
            assert_eq!(response.status(), expected, "attempt {n}");
        }
    }

    /// A stolen session cannot guess the password by changing it; the new
    /// password must differ from the old one and be strong.
    async fn password_change_is_rate_limited_and_refuses_weak_or_same(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        app.confirmed_parent("mama@example.org").await;
        let (access, _) = app.login("mama@example.org", PASSWORD).await;
        let change = |current: &str, new: &str| {
            app.send(Method::POST, "/api/v1/me/password", &access, json!({ "current_password": current, "new_password": new }))
        };
        let (_, body) = problem(change(PASSWORD, PASSWORD).await).await;
        assert_eq!(body["code"], "password_reused");
        assert!(body["errors"]["new_password"].is_array());
        for weak in ["passwordpass", "123456789012", "mama@example.org"] {
            let (status, body) = problem(change(PASSWORD, weak).await).await;
            assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("weak_password")), "{weak}");
        }
        for _ in 0..5 {
            let (status, _) = problem(change("not my password", "a brand new password").await).await;
            assert_eq!(status, StatusCode::BAD_REQUEST);
        }
        let (status, _) = problem(change(PASSWORD, "a brand new password").await).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "past five failures even the right one waits");
        let registered = app.post("/api/v1/auth/register", json!({
            "email": "papa@example.org", "password": "123456789012", "phone": "+7 912 345-67-89",
            "last_name": "Иванов", "first_name": "Пётр", "middle_name": "", "municipality_id": 1,
            "consent_personal_data": true, "consent_rules": true,
        })).await;
        let (status, body) = problem(registered).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["password"].is_array(), "{body}");
    }

    /// Logout, a replayed refresh token and a password change end the access
    /// tokens of those sign-ins at once.
    async fn access_tokens_end_with_their_sign_in(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        app.confirmed_parent("mama@example.org").await;
        let app = &app;
        let me = |token: String| async move { app.get("/api/v1/me", Some(&token)).await.status() };

        let (access, refresh) = app.login("mama@example.org", PASSWORD).await;
        assert_eq!(me(access.clone()).await, StatusCode::OK);
        assert_eq!(app.post("/api/v1/auth/logout", json!({ "refresh_token": refresh })).await.status(), StatusCode::NO_CONTENT);
        assert_eq!(me(access).await, StatusCode::UNAUTHORIZED, "logout");

        let (access, refresh) = app.login("mama@example.org", PASSWORD).await;
        let rotated: Value = app.post("/api/v1/auth/refresh", json!({ "refresh_token": refresh })).await.json().await.unwrap();
        let rotated_access = rotated["access_token"].as_str().unwrap().to_owned();
        assert_eq!(me(access.clone()).await, StatusCode::OK, "a rotation keeps the sign-in");
        assert_eq!(app.post("/api/v1/auth/refresh", json!({ "refresh_token": refresh })).await.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(me(access).await, StatusCode::UNAUTHORIZED, "reuse ends the sign-in");
        assert_eq!(me(rotated_access).await, StatusCode::UNAUTHORIZED);

        let (phone, _) = app.login("mama@example.org", PASSWORD).await;
        let (laptop, _) = app.login("mama@example.org", PASSWORD).await;
        let changed = app.send(Method::POST, "/api/v1/me/password", &laptop, json!({ "current_password": PASSWORD, "new_password": "a brand new password" })).await;
        assert_eq!(changed.status(), StatusCode::NO_CONTENT);
        assert_eq!(me(phone).await, StatusCode::UNAUTHORIZED, "the other device is signed out");
        assert_eq!(me(laptop).await, StatusCode::OK, "the device that changed it stays");
    }

    /// A client that announces a body and trickles it is answered 408 and cut off.
    async fn a_trickling_body_is_timed_out(backend: Backend) {
        let app = TestApp::spawn_with(backend, |c| c.body_timeout = Duration::from_millis(800)).await;
        let address = app.base.trim_start_matches("http://").to_owned();
        let started = Instant::now();
        let mut slow = Vec::new();
        for _ in 0..50 {
            let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
            let head = "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"email\":";
            stream.write_all(head.as_bytes()).await.unwrap();
            slow.push(stream);
        }
        for mut stream in slow {
            let mut answer = Vec::new();
            let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
            assert!(read.is_ok(), "the connection was not closed");
            let text = String::from_utf8_lossy(&answer);
            assert!(text.starts_with("HTTP/1.1 408"), "{text}");
        }
        assert!(started.elapsed() < Duration::from_secs(8), "{:?}", started.elapsed());
        assert_eq!(app.get("/healthz", None).await.status(), StatusCode::OK);
    }

    /// Every answer says what the browser may run; personal answers are never
    /// cached; HSTS once the service is public over https.
    async fn answers_carry_the_security_headers(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        app.confirmed_parent("mama@example.org").await;
        let (access, _) = app.login("mama@example.org", PASSWORD).await;
        let header = |response: &reqwest::Response, name: &str| {
            response.headers().get(name).map(|v| v.to_str().unwrap().to_owned())
        };
        let bare = app.get("/api/docs", None).await;
        assert_eq!((bare.status(), header(&bare, "location").as_deref()), (StatusCode::PERMANENT_REDIRECT, Some("/api/docs/")));
        let docs = app.get("/api/docs/", None).await;
        let csp = header(&docs, "content-security-policy").expect("a CSP");
        for part in ["default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "object-src 'none'", "frame-ancestors 'none'"] {
            assert!(csp.contains(part), "{part}: {csp}");
        }
        assert!(!csp.contains("script-src 'self' 'unsafe-inline'"), "{csp}");
        assert_eq!(header(&docs, "strict-transport-security"), None, "plain http: no HSTS");
        for path in ["/api/v1/me", "/api/v1/children", "/api/v1/me/messages"] {
            let response = app.get(path, Some(&access)).await;
            assert_eq!(response.status(), StatusCode::OK);
            assert_eq!(header(&response, "cache-control").as_deref(), Some("no-store"), "{path}");
        }
        let login = app.post("/api/v1/auth/login", json!({ "email": "mama@example.org", "password": PASSWORD })).await;
        assert_eq!(header(&login, "cache-control").as_deref(), Some("no-store"));
        let public = app.get("/api/v1/municipalities", None).await;
        assert_ne!(header(&public, "cache-control").as_deref(), Some("no-store"), "the public catalog may be cached");

        let public = TestApp::spawn_with(backend, |c| c.public_url = Some("https://navigator.example.ru".into())).await;
        let response = public.get("/healthz", None).await;
        assert_eq!(header(&response, "strict-transport-security").as_deref(), Some("max-age=31536000; includeSubDomains"));
    }

    /// Integrators send RFC 3339 moments with `Z` or an offset to the delta export.
    async fn the_delta_export_takes_rfc3339_moments(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        for path in ["/api/v1/programs/changes", "/api/v1/organizations/changes"] {
            for since in ["2020-01-01T00:00:00", "2020-01-01T00:00:00Z", "2020-01-01T03:00:00%2B03:00", "2020-01-01T03:00:00+03:00"] {
                let response = app.get(&format!("{path}?updated_since={since}"), None).await;
                assert_eq!(response.status(), StatusCode::OK, "{path}?updated_since={since}");
            }
            let (status, _) = problem(app.get(&format!("{path}?updated_since=yesterday"), None).await).await;
            assert_eq!(status, StatusCode::BAD_REQUEST);
        }
    }

    /// The admin opens the accounts of operators and admins by invitation;
    /// a switched-off account cannot sign in, its sessions end at once, no
    /// reset link reaches it; the operator switches only his own
    /// municipality's organization staff; everything audited.
    async fn the_admin_opens_and_switches_off_staff_accounts(backend: Backend) {
        let region = Region::new(backend).await;
        let app = &region.app;
        let admin = app.account("admin@example.org", Role::Admin).await;
        let admin_id = user_id(app, &admin).await;
        let operator = app.operator_of("operator@example.org", region.home).await;
        let invite = |role: &str, email: &str| {
            json!({ "role": role, "email": email, "phone": "+7 481 220-00-09", "last_name": "Орлова",
                    "first_name": "Мария", "middle_name": "", "municipality_id": region.away })
        };

        // Only the admin opens them; a parent's role is not on offer.
        let (status, _) = problem(app.send(Method::POST, "/api/v1/staff", &operator, invite("operator", "new@example.org")).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = problem(app.send(Method::POST, "/api/v1/staff", &admin, invite("parent", "new@example.org")).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["role"].is_array(), "{body}");
        let mut bad = invite("operator", "not-an-email");
        bad["municipality_id"] = json!(0);
        let (_, body) = problem(app.send(Method::POST, "/api/v1/staff", &admin, bad).await).await;
        assert!(body["errors"]["email"].is_array() && body["errors"]["municipality_id"].is_array(), "{body}");

        let created = app.send(Method::POST, "/api/v1/staff", &admin, invite("operator", "new@example.org")).await;
        assert_eq!(created.status(), StatusCode::CREATED);
        let created: Value = created.json().await.unwrap();
        assert_eq!((created["role"].as_str(), created["municipality_id"].as_i64()), (Some("operator"), Some(region.away)));
        let (status, body) = problem(app.send(Method::POST, "/api/v1/staff", &admin, invite("admin", "new@example.org")).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("account_exists")));
        // The invited operator sets a password from the email and works in his municipality.
        let token = app.wait_for_link("new@example.org", "/password-reset/confirm").await;
        let set = app.post("/api/v1/auth/password-reset/confirm", json!({ "token": token, "password": PASSWORD })).await;
        assert_eq!(set.status(), StatusCode::OK);
        let (new_operator, _) = app.login("new@example.org", PASSWORD).await;
        assert_eq!(region.open(&new_operator, &region.away_number).await, StatusCode::OK);
        let admins = app.send(Method::POST, "/api/v1/staff", &admin, invite("admin", "second-admin@example.org")).await;
        assert_eq!(admins.status(), StatusCode::CREATED);
        let listed: Value = app.get("/api/v1/staff?role=admin", Some(&admin)).await.json().await.unwrap();
        assert_eq!(listed["total"], 2, "{listed}");

        // Switched off: the same token stops at once, the password no longer signs in.
        let id = created["id"].as_i64().unwrap();
        let disable = format!("/api/v1/staff/{id}/disable");
        let (status, body) = problem(app.send(Method::POST, &disable, &admin, json!({ "reason": "" })).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["reason"].is_array(), "{body}");
        let (status, _) = problem(app.send(Method::POST, &disable, &operator, json!({ "reason": "уволен" })).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "an operator does not switch off operators");
        let off = app.send(Method::POST, &disable, &admin, json!({ "reason": "приказ № 7 об увольнении" })).await;
        assert_eq!(off.status(), StatusCode::OK);
        assert_eq!(off.json::<Value>().await.unwrap()["disabled"], true);
        assert_eq!(app.get("/api/v1/me", Some(&new_operator)).await.status(), StatusCode::UNAUTHORIZED);
        let (status, body) = problem(app.post("/api/v1/auth/login", json!({ "email": "new@example.org", "password": PASSWORD })).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("account_disabled")), "{body}");
        let reset_links = || {
            app.emails_to("new@example.org").iter().filter(|m| m.body.contains("/password-reset/confirm")).count()
        };
        let links = reset_links();
        assert_eq!(app.post("/api/v1/auth/password-reset", json!({ "email": "new@example.org" })).await.status(), StatusCode::ACCEPTED);
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(reset_links(), links, "no reset link to a switched-off account");
        // Repeating changes nothing and leaves one audit entry.
        assert_eq!(app.send(Method::POST, &disable, &admin, json!({ "reason": "повтор" })).await.status(), StatusCode::OK);
        let (status, body) = problem(app.send(Method::POST, &format!("/api/v1/staff/{admin_id}/disable"), &admin, json!({ "reason": "сам" })).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("own_account")));
        let on = app.send(Method::POST, &format!("/api/v1/staff/{id}/enable"), &admin, json!({ "reason": "восстановлен" })).await;
        assert_eq!(on.json::<Value>().await.unwrap()["disabled"], false);
        let (again, _) = app.login("new@example.org", PASSWORD).await;
        assert_eq!(region.open(&again, &region.away_number).await, StatusCode::OK);

        // The operator switches off the staff of his municipality's organizations only.
        let near = app.organization(region.home, true).await;
        let far = app.organization(region.away, true).await;
        let staff = app.staff_of("staff@example.org", near).await;
        let staff_id = user_id(app, &staff).await;
        let other = app.staff_of("other-staff@example.org", far).await;
        let other_id = user_id(app, &other).await;
        let (status, _) = problem(app.send(Method::POST, &format!("/api/v1/staff/{other_id}/disable"), &operator, json!({ "reason": "уволен" })).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let parent_id = user_id(app, &region.parent).await;
        let (status, _) = problem(app.send(Method::POST, &format!("/api/v1/staff/{parent_id}/disable"), &admin, json!({ "reason": "попытка" })).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "a family account is nobody's staff");
        let off = app.send(Method::POST, &format!("/api/v1/staff/{staff_id}/disable"), &operator, json!({ "reason": "уволилась" })).await;
        assert_eq!(off.status(), StatusCode::OK);
        assert_eq!(region.open(&staff, &region.home_number).await, StatusCode::UNAUTHORIZED);
        let record: Value = app.get(&format!("/api/v1/registry/organizations/{near}"), Some(&operator)).await.json().await.unwrap();
        assert_eq!(record["staff"][0]["disabled"], true, "{record}");

        let entries: Vec<(i64, String, Option<String>)> = app
            .state
            .db(|c| {
                use diesel::prelude::*;
                use navigator_api::db::schema::audit_log::dsl::*;
                audit_log
                    .filter(action.eq_any(["create", "disable", "enable"]))
                    .filter(child_id.is_null())
                    .order(id)
                    .select((actor_id, action, reason))
                    .load(c)
            })
            .await
            .unwrap();
        let actions: Vec<&str> = entries.iter().map(|e| e.1.as_str()).collect();
        assert_eq!(actions, ["create", "create", "disable", "enable", "disable"], "{entries:?}");
        assert_eq!(entries[2].2.as_deref(), Some("приказ № 7 об увольнении"));
    }

    /// The admin's list of operators, page by page; nobody else reads it.
    async fn the_admin_lists_the_operators_page_by_page(backend: Backend) {
        let region = Region::new(backend).await;
        let app = &region.app;
        let admin = app.account("admin@example.org", Role::Admin).await;
        let operator = app.operator_of("operator-1@example.org", region.home).await;
        app.operator_of("operator-2@example.org", region.away).await;
        app.operator_of("operator-3@example.org", region.home).await;
        let first: Value = app.get("/api/v1/staff?per_page=2", Some(&admin)).await.json().await.unwrap();
        assert_eq!((first["total"].as_i64(), first["items"].as_array().unwrap().len()), (Some(3), 2), "{first}");
        let second: Value = app.get("/api/v1/staff?role=operator&per_page=2&page=2", Some(&admin)).await.json().await.unwrap();
        let last = &second["items"].as_array().unwrap()[..];
        assert_eq!(last.len(), 1, "{second}");
        let mut emails: Vec<&str> =
            first["items"].as_array().unwrap().iter().chain(last).map(|o| o["email"].as_str().unwrap()).collect();
        emails.sort_unstable();
        assert_eq!(emails, ["operator-1@example.org", "operator-2@example.org", "operator-3@example.org"]);
        assert!(first["items"].as_array().unwrap().iter().chain(last).all(|o| o["role"] == "operator"));
        for token in [&operator, &region.parent] {
            let (status, _) = problem(app.get("/api/v1/staff", Some(token)).await).await;
            assert_eq!(status, StatusCode::FORBIDDEN);
        }
    }

    /// What the document says is what the wire carries: codes as sent,
    /// moments with their offset, and the common errors listed everywhere.
    async fn the_document_matches_the_wire(backend: Backend) {
        let region = Region::new(backend).await;
        let app = &region.app;
        let document: Value = app.get("/api/openapi.json", None).await.json().await.unwrap();
        let schemas = &document["components"]["schemas"];
        assert_eq!(schemas["ApplicationStatus"]["enum"][0], "waiting", "{}", schemas["ApplicationStatus"]);
        assert_eq!(schemas["Direction"]["enum"][1], "natural_science");
        assert_eq!(schemas["Sort"]["type"], "string", "a query parameter's schema is in the document");
        let certificate: Value = app.get("/api/v1/registry/certificates?per_page=1", Some(&app.account("admin@example.org", Role::Admin).await)).await.json().await.unwrap();
        let created = certificate["items"][0]["created_at"].as_str().unwrap().to_owned();
        assert!(chrono::DateTime::parse_from_rfc3339(&created).is_ok(), "an RFC 3339 moment with its offset: {created}");
        let messages: Value = app.get("/api/v1/me/messages", Some(&region.parent)).await.json().await.unwrap();
        let sent = messages["items"][0]["created_at"].as_str().unwrap().to_owned();
        assert!(chrono::DateTime::parse_from_rfc3339(&sent).is_ok(), "{sent}");
        for (path, item) in document["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let responses = operation["responses"].as_object().unwrap();
                if operation.get("security").is_some() {
                    assert!(responses.contains_key("401") && responses.contains_key("403"), "{method} {path}");
                }
                if path.contains('{') {
                    assert!(responses.contains_key("404"), "{method} {path}");
                }
                if operation.get("requestBody").is_some() {
                    assert!(responses.contains_key("400"), "{method} {path}");
                }
            }
        }
        let changes = app.get("/api/v1/programs/changes?updated_since=2020-01-01T00:00:00Z", None).await;
        assert_eq!(changes.status(), StatusCode::OK);
    }
}
