//! Integrators on both backends: the OAuth token endpoint, scopes on every
//! integrator endpoint, the per-client rate limit and request log, the
//! federal portal's applications by certificate number, the registry's
//! delta export, and signed webhooks delivered to a real HTTP receiver
//! started by the test (retries, one id per event, order per application).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Backend, TestApp, problem};

const ALL_SCOPES: [&str; 5] = ["catalog:read", "registry:read", "applications:write", "applications:read", "webhooks"];

struct World {
    app: TestApp,
    municipality: i64,
    organization: i64,
    staff: String,
    admin: String,
    parent: String,
    parent_id: i64,
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
        let admin = app.account("admin@example.org", navigator_shared::accounts::Role::Admin).await;
        let parent = app.account("mama@example.org", navigator_shared::accounts::Role::Parent).await;
        let parent_id = app.account_id("mama@example.org").await;
        Self { app, municipality, organization, staff, admin, parent, parent_id }
    }

    async fn call(&self, method: Method, path: &str, token: &str, body: Value) -> reqwest::Response {
        self.app.send(method, &format!("/api/v1{path}"), token, body).await
    }

    async fn json(&self, method: Method, path: &str, token: &str, body: Value, expected: StatusCode) -> Value {
        let response = self.call(method, path, token, body).await;
        let status = response.status();
        let text = response.text().await.unwrap();
        assert_eq!(status, expected, "{path}: {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    /// A client created by the admin: (row id, client_id, secret).
    async fn client(&self, name: &str, scopes: &[&str]) -> (i64, String, String) {
        let body = json!({ "name": name, "contact": "dev@portal.example.ru", "scopes": scopes });
        let made = self.json(Method::POST, "/admin/integration-clients", &self.admin, body, StatusCode::CREATED).await;
        (
            made["client"]["id"].as_i64().unwrap(),
            made["client"]["client_id"].as_str().unwrap().to_owned(),
            made["client_secret"].as_str().unwrap().to_owned(),
        )
    }

    async fn token_response(&self, form: &[(&str, &str)], basic: Option<(&str, &str)>) -> reqwest::Response {
        let mut request = self.app.client.post(self.app.url("/api/v1/oauth/token")).form(form);
        if let Some((id, secret)) = basic {
            request = request.basic_auth(id, Some(secret));
        }
        request.send().await.unwrap()
    }

    /// An access token of a client, by HTTP Basic.
    async fn token(&self, client_id: &str, secret: &str) -> String {
        let response = self.token_response(&[("grant_type", "client_credentials")], Some((client_id, secret))).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned()
    }

    async fn child(&self, n: u32, birth: NaiveDate, status: &'static str) -> (i64, String) {
        self.app.child_with_certificate(self.municipality, self.parent_id, n, birth, status).await
    }

    async fn program(&self, capacity: i32) -> (i64, i64, i64) {
        self.app.published_program((self.organization, self.municipality), false, capacity, 0).await
    }

    /// Reads the request log until `count` entries are written (it is written in batches).
    async fn request_log(&self, client: i64, count: usize) -> Vec<Value> {
        let started = Instant::now();
        loop {
            let page = self
                .json(
                    Method::GET,
                    &format!("/admin/integration-clients/{client}/requests?per_page=200"),
                    &self.admin,
                    Value::Null,
                    StatusCode::OK,
                )
                .await;
            let items = page["items"].as_array().unwrap().clone();
            if items.len() >= count || started.elapsed() > Duration::from_secs(10) {
                return items;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

fn birth(age: i32) -> NaiveDate {
    let today = navigator_api::clock::today();
    NaiveDate::from_ymd_opt(chrono::Datelike::year(&today) - age, 1, 15).unwrap()
}

fn application(group: i64, number: &str, last_name: &str, birth: NaiveDate, external_id: &str) -> Value {
    json!({
        "group_id": group, "certificate_number": number, "last_name": last_name,
        "birth_date": birth, "external_id": external_id,
    })
}

/// What the receiver got: (headers of interest, body).
#[derive(Debug, Clone)]
struct Received {
    event_id: String,
    signature: String,
    body: String,
}

/// A real HTTP server for webhooks: it answers 500 to the first `failures`
/// requests, then 200, and keeps every request.
struct Receiver {
    url: String,
    received: Arc<Mutex<Vec<Received>>>,
    handle: actix_web::dev::ServerHandle,
}

impl Receiver {
    async fn start(failures: usize) -> Self {
        let received = Arc::new(Mutex::new(Vec::new()));
        let calls = Arc::new(AtomicUsize::new(0));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/navigator/events", listener.local_addr().unwrap());
        let kept = received.clone();
        let server = actix_web::HttpServer::new(move || {
            let (kept, calls) = (kept.clone(), calls.clone());
            actix_web::App::new().route(
                "/navigator/events",
                actix_web::web::post().to(move |req: actix_web::HttpRequest, body: actix_web::web::Bytes| {
                    let (kept, calls) = (kept.clone(), calls.clone());
                    async move {
                        let header = |name: &str| {
                            req.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
                        };
                        kept.lock().unwrap().push(Received {
                            event_id: header("navigator-event-id"),
                            signature: header("navigator-signature"),
                            body: String::from_utf8(body.to_vec()).unwrap(),
                        });
                        if calls.fetch_add(1, Ordering::SeqCst) < failures {
                            actix_web::HttpResponse::InternalServerError().body("receiver is down")
                        } else {
                            actix_web::HttpResponse::Ok().body("ok")
                        }
                    }
                }),
            )
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
        let handle = server.handle();
        tokio::spawn(server);
        Self { url, received, handle }
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits until `count` requests arrived.
    async fn wait_for(&self, count: usize) -> Vec<Received> {
        let started = Instant::now();
        loop {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            assert!(started.elapsed() < Duration::from_secs(20), "{} of {count} webhooks arrived", received.len());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

both_backends! {
    async fn the_token_endpoint_follows_client_credentials(backend: Backend) {
        let w = World::open(backend).await;
        let (id, client_id, secret) = w.client("Госуслуги", &ALL_SCOPES).await;
        assert!(secret.starts_with("ncs_") && secret.len() > 40);

        // Basic, then the form fields.
        let basic = w.token_response(&[("grant_type", "client_credentials")], Some((&client_id, &secret))).await;
        assert_eq!(basic.status(), StatusCode::OK);
        assert_eq!(basic.headers()["cache-control"], "no-store");
        let answer: Value = basic.json().await.unwrap();
        assert_eq!((answer["token_type"].as_str(), answer["expires_in"].as_i64()), (Some("Bearer"), Some(600)));
        assert_eq!(answer["scope"], ALL_SCOPES.join(" "));
        let form = [("grant_type", "client_credentials"), ("client_id", &client_id), ("client_secret", &secret)];
        assert_eq!(w.token_response(&form, None).await.status(), StatusCode::OK);
        // A narrower scope is granted; one not given to the client is refused.
        let narrow = w
            .token_response(&[("grant_type", "client_credentials"), ("scope", "catalog:read")], Some((&client_id, &secret)))
            .await;
        assert_eq!(narrow.json::<Value>().await.unwrap()["scope"], "catalog:read");

        // The RFC's errors.
        let wrong = w.token_response(&[("grant_type", "client_credentials")], Some((&client_id, "ncs_wrong"))).await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(wrong.headers()["www-authenticate"], "Basic realm=\"navigator\"");
        assert_eq!(wrong.json::<Value>().await.unwrap()["error"], "invalid_client");
        let unknown = w.token_response(&[("grant_type", "client_credentials")], Some(("nav_nobody", &secret))).await;
        assert_eq!(unknown.json::<Value>().await.unwrap()["error"], "invalid_client");
        let grant = w.token_response(&[("grant_type", "password")], Some((&client_id, &secret))).await;
        assert_eq!(grant.status(), StatusCode::BAD_REQUEST);
        assert_eq!(grant.json::<Value>().await.unwrap()["error"], "unsupported_grant_type");
        let missing = w.token_response(&[], Some((&client_id, &secret))).await;
        assert_eq!(missing.json::<Value>().await.unwrap()["error"], "invalid_request");
        let other = w.client("Школьная система", &["catalog:read"]).await;
        let scope = w
            .token_response(&[("grant_type", "client_credentials"), ("scope", "webhooks")], Some((&other.1, &other.2)))
            .await;
        assert_eq!(scope.json::<Value>().await.unwrap()["error"], "invalid_scope");
        let both = w.token_response(&form, Some((&client_id, &secret))).await;
        assert_eq!(both.json::<Value>().await.unwrap()["error"], "invalid_request");

        // A user's token is not a client's, nor the other way round.
        let token = w.token(&client_id, &secret).await;
        let (status, body) = problem(w.call(Method::GET, "/integrations/webhooks", &w.parent, Value::Null).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("invalid_token")));
        let (status, _) = problem(w.call(Method::GET, "/applications", &token, Value::Null).await).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(w.call(Method::GET, "/integrations/webhooks", &token, Value::Null).await.status(), StatusCode::OK);

        // A suspended client: the token stops at once, no new one is issued.
        let suspended =
            w.json(Method::POST, &format!("/admin/integration-clients/{id}/suspend"), &w.admin, json!({}), StatusCode::OK).await;
        assert_eq!(suspended["status"], "suspended");
        let (status, body) = problem(w.call(Method::GET, "/integrations/webhooks", &token, Value::Null).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("invalid_token")));
        let refused = w.token_response(&[("grant_type", "client_credentials")], Some((&client_id, &secret))).await;
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
        let again =
            w.call(Method::POST, &format!("/admin/integration-clients/{id}/suspend"), &w.admin, json!({})).await;
        assert_eq!(problem(again).await.1["code"], "client_status_unchanged");
        w.json(Method::POST, &format!("/admin/integration-clients/{id}/resume"), &w.admin, json!({}), StatusCode::OK).await;
        let token = w.token(&client_id, &secret).await;

        // A rotated secret: the old one and its tokens stop working.
        let rotated =
            w.json(Method::POST, &format!("/admin/integration-clients/{id}/secret"), &w.admin, json!({}), StatusCode::OK).await;
        let new_secret = rotated["client_secret"].as_str().unwrap();
        assert_ne!(new_secret, secret);
        assert_eq!(w.call(Method::GET, "/integrations/webhooks", &token, Value::Null).await.status(), StatusCode::UNAUTHORIZED);
        let old = w.token_response(&[("grant_type", "client_credentials")], Some((&client_id, &secret))).await;
        assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
        let token = w.token(&client_id, new_secret).await;
        assert_eq!(w.call(Method::GET, "/integrations/webhooks", &token, Value::Null).await.status(), StatusCode::OK);

        // Only the admin manages clients; the list is paged and never shows a secret.
        let (status, _) = problem(w.call(Method::GET, "/admin/integration-clients", &w.staff, Value::Null).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let page = w.json(Method::GET, "/admin/integration-clients?per_page=1&page=2", &w.admin, Value::Null, StatusCode::OK).await;
        assert_eq!((page["total"].as_i64(), page["items"].as_array().map(Vec::len)), (Some(2), Some(1)));
        assert_eq!(page["items"][0]["client_id"], client_id.as_str());
        assert!(!page.to_string().contains("ncs_"));
        let bad = w.call(Method::POST, "/admin/integration-clients", &w.admin, json!({ "name": " ", "contact": "x", "scopes": [] })).await;
        let (status, body) = problem(bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["name"].is_array() && body["errors"]["scopes"].is_array(), "{body}");
    }

    async fn every_integrator_endpoint_checks_its_scope(backend: Backend) {
        let w = World::open(backend).await;
        let (_, client_id, secret) = w.client("Каталог", &["catalog:read"]).await;
        let token = w.token(&client_id, &secret).await;
        let since = "2020-01-01T00:00:00Z";
        let refused: [(Method, String, Value); 8] = [
            (Method::POST, "/integrations/applications".into(), application(1, "6700000001", "Петров", birth(9), "x-1")),
            (Method::GET, "/integrations/applications".into(), Value::Null),
            (Method::GET, "/integrations/applications/1".into(), Value::Null),
            (Method::GET, "/integrations/webhooks".into(), Value::Null),
            (Method::POST, "/integrations/webhooks".into(), json!({ "url": "http://127.0.0.1:9/x", "events": ["program.changed"] })),
            (Method::DELETE, "/integrations/webhooks/1".into(), json!({})),
            (Method::GET, format!("/certificates/changes?updated_since={since}"), Value::Null),
            (Method::GET, "/admin/integration-clients".into(), Value::Null),
        ];
        for (method, path, body) in refused {
            let (status, problem_body) = problem(w.call(method.clone(), &path, &token, body.clone()).await).await;
            let expected = if path.starts_with("/admin") { StatusCode::UNAUTHORIZED } else { StatusCode::FORBIDDEN };
            assert_eq!(status, expected, "{method} {path}: {problem_body}");
            if expected == StatusCode::FORBIDDEN {
                assert_eq!(problem_body["code"], "insufficient_scope", "{path}");
            }
            // Without a token: 401.
            let anonymous = w.app.client.request(method.clone(), w.app.url(&format!("/api/v1{path}"))).json(&body).send().await.unwrap();
            assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED, "{method} {path}");
        }
        // The catalog's exports take the token with catalog:read, stay public without one,
        // and refuse a token without the scope.
        for path in ["/programs/changes", "/organizations/changes"] {
            let path = format!("{path}?updated_since={since}");
            assert_eq!(w.call(Method::GET, &path, &token, Value::Null).await.status(), StatusCode::OK);
            assert_eq!(w.app.get(&format!("/api/v1{path}"), None).await.status(), StatusCode::OK);
        }
        let (_, registry_id, registry_secret) = w.client("Реестр", &["registry:read", "webhooks"]).await;
        let registry = w.token(&registry_id, &registry_secret).await;
        let (status, body) = problem(w.call(Method::GET, &format!("/programs/changes?updated_since={since}"), &registry, Value::Null).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("insufficient_scope")));
        // An event needs its own scope besides `webhooks`.
        let hook = json!({ "url": "http://127.0.0.1:9/x", "events": ["application.status_changed"] });
        let (status, body) = problem(w.call(Method::POST, "/integrations/webhooks", &registry, hook).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("insufficient_scope")));
        let hook = json!({ "url": "ftp://x", "events": [] });
        let (status, body) = problem(w.call(Method::POST, "/integrations/webhooks", &registry, hook).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["url"].is_array() && body["errors"]["events"].is_array(), "{body}");
    }

    async fn a_client_over_its_rate_gets_429_and_every_request_is_logged(backend: Backend) {
        let w = World::open_with(backend, |c| {
            c.integrations.rate = 2;
            c.integrations.burst = 3;
        })
        .await;
        let (id, client_id, secret) = w.client("Мобильное приложение", &["catalog:read"]).await;
        let token = w.token(&client_id, &secret).await;
        let path = "/programs/changes?updated_since=2020-01-01T00:00:00Z";
        let mut statuses = Vec::new();
        let mut retry_after = None;
        for _ in 0..8 {
            let response = w.call(Method::GET, path, &token, Value::Null).await;
            if response.status() == StatusCode::TOO_MANY_REQUESTS {
                retry_after = response.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned());
                let (_, body) = problem(response).await;
                assert_eq!(body["code"], "too_many_requests");
                statuses.push(429);
            } else {
                statuses.push(response.status().as_u16());
            }
        }
        assert_eq!(&statuses[..3], [200, 200, 200], "the burst passes: {statuses:?}");
        assert!(statuses.contains(&429), "{statuses:?}");
        assert_eq!(retry_after.as_deref(), Some("1"));
        // The budget comes back with time.
        tokio::time::sleep(Duration::from_millis(1100)).await;
        assert_eq!(w.call(Method::GET, path, &token, Value::Null).await.status(), StatusCode::OK);
        // The log has the token request and all nine calls, newest first, with their statuses.
        let log = w.request_log(id, 10).await;
        assert_eq!(log.len(), 10, "{log:?}");
        assert_eq!(log[0]["status"], 200);
        assert_eq!(log[0]["path"], "/api/v1/programs/changes");
        assert_eq!(log.last().unwrap()["path"], "/api/v1/oauth/token");
        let throttled = log.iter().filter(|e| e["status"] == 429).count();
        assert_eq!(throttled, statuses.iter().filter(|s| **s == 429).count());
        let second = w
            .json(Method::GET, &format!("/admin/integration-clients/{id}/requests?per_page=4&page=2"), &w.admin, Value::Null, StatusCode::OK)
            .await;
        assert_eq!((second["total"].as_i64(), second["items"].as_array().map(Vec::len)), (Some(10), Some(4)));
    }

    async fn the_portal_applies_by_certificate_number_under_the_web_clients_rules(backend: Backend) {
        let w = World::open(backend).await;
        let (_, client_id, secret) = w.client("Госуслуги", &["applications:write", "applications:read"]).await;
        let token = w.token(&client_id, &secret).await;
        let (_, group, _) = w.program(1).await;
        let (child, number) = w.child(1, birth(9), "active").await;

        // A mismatch tells nothing about whose number it is.
        let wrong_name = w.call(Method::POST, "/integrations/applications", &token, application(group, &number, "Сидоров", birth(9), "gu-0")).await;
        let (status, mismatch) = problem(wrong_name).await;
        assert_eq!((status, mismatch["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("certificate_mismatch")));
        assert!(mismatch["errors"]["certificate_number"].is_array());
        let wrong_birth = w.call(Method::POST, "/integrations/applications", &token, application(group, &number, "Петров", birth(10), "gu-0")).await;
        let nobody = w.call(Method::POST, "/integrations/applications", &token, application(group, "6799999999", "Петров", birth(9), "gu-0")).await;
        assert_eq!(problem(wrong_birth).await.1, mismatch);
        assert_eq!(problem(nobody).await.1, mismatch);
        let invalid = w.call(Method::POST, "/integrations/applications", &token, application(group, "12", "", birth(9), "")).await;
        let (status, body) = problem(invalid).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        for field in ["certificate_number", "last_name", "external_id"] {
            assert!(body["errors"][field].is_array(), "{field}: {body}");
        }

        // A match, with the name in another case and ё: a place in the group.
        let made = w
            .json(Method::POST, "/integrations/applications", &token, application(group, &number, "ПЕТРОВ", birth(9), "gu-1"), StatusCode::CREATED)
            .await;
        assert_eq!((made["status"].as_str(), made["external_id"].as_str()), (Some("submitted"), Some("gu-1")));
        assert!(made.get("child_name").is_none(), "no personal data in the integrator's answer");
        // A repeat with the same external id answers the same application.
        let again = w
            .json(Method::POST, "/integrations/applications", &token, application(group, &number, "Петров", birth(9), "gu-1"), StatusCode::OK)
            .await;
        assert_eq!(again["id"], made["id"]);
        // The family sees it with its source.
        let mine = w.json(Method::GET, "/applications", &w.parent, Value::Null, StatusCode::OK).await;
        assert_eq!(mine["total"], 1);
        assert_eq!(mine["items"][0]["source"], "Госуслуги");
        assert_eq!(mine["items"][0]["child_id"], child);
        // Read back by id and by external id.
        let id = made["id"].as_i64().unwrap();
        let read = w.json(Method::GET, &format!("/integrations/applications/{id}"), &token, Value::Null, StatusCode::OK).await;
        assert_eq!(read["status"], "submitted");
        let found = w.json(Method::GET, "/integrations/applications?external_id=gu-1", &token, Value::Null, StatusCode::OK).await;
        assert_eq!((found["total"].as_i64(), &found["items"][0]["id"]), (Some(1), &made["id"]));

        // The group is full: the next child waits.
        let (_, second) = w.child(2, birth(8), "active").await;
        let waiting = w
            .json(Method::POST, "/integrations/applications", &token, application(group, &second, "Петров", birth(8), "gu-2"), StatusCode::CREATED)
            .await;
        assert_eq!((waiting["status"].as_str(), waiting["waiting_position"].as_i64()), (Some("waiting"), Some(1)));

        // A rule refuses with the web client's code: the age, and a refused certificate.
        let (too_old_child, too_old) = w.child(3, birth(15), "active").await;
        let portal = w.call(Method::POST, "/integrations/applications", &token, application(group, &too_old, "Петров", birth(15), "gu-3")).await;
        let web = w.call(Method::POST, "/applications", &w.parent, json!({ "child_id": too_old_child, "group_id": group })).await;
        let (portal, web) = (problem(portal).await, problem(web).await);
        assert_eq!((portal.0, portal.1["code"].as_str()), (StatusCode::CONFLICT, Some("age_mismatch")));
        assert_eq!((portal.0, &portal.1["code"]), (web.0, &web.1["code"]));
        let (_, refused) = w.child(4, birth(9), "refused").await;
        let portal = w.call(Method::POST, "/integrations/applications", &token, application(group, &refused, "Петров", birth(9), "gu-4")).await;
        assert_eq!(problem(portal).await.1["code"], "certificate_invalid");
        // Nothing was made by the refusals.
        let list = w.json(Method::GET, "/integrations/applications?per_page=1", &token, Value::Null, StatusCode::OK).await;
        assert_eq!((list["total"].as_i64(), &list["items"][0]["external_id"]), (Some(2), &json!("gu-2")));

        // Another client sees none of them.
        let (_, other_id, other_secret) = w.client("Другая система", &["applications:read"]).await;
        let other = w.token(&other_id, &other_secret).await;
        let (status, _) = problem(w.call(Method::GET, &format!("/integrations/applications/{id}"), &other, Value::Null).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let none = w.json(Method::GET, "/integrations/applications", &other, Value::Null, StatusCode::OK).await;
        assert_eq!(none["total"], 0);
    }

    async fn the_same_external_id_sent_at_once_makes_one_application(backend: Backend) {
        let w = World::open(backend).await;
        let (_, client_id, secret) = w.client("Госуслуги", &["applications:write"]).await;
        let token = w.token(&client_id, &secret).await;
        let (_, group, _) = w.program(5).await;
        let (_, number) = w.child(1, birth(9), "active").await;
        let body = application(group, &number, "Петров", birth(9), "gu-race");
        let answers = futures_util::future::join_all(
            (0..6).map(|_| w.call(Method::POST, "/integrations/applications", &token, body.clone())),
        )
        .await;
        let mut ids = Vec::new();
        let mut created = 0;
        for answer in answers {
            let status = answer.status();
            assert!(status == StatusCode::CREATED || status == StatusCode::OK, "{status}");
            created += usize::from(status == StatusCode::CREATED);
            ids.push(answer.json::<Value>().await.unwrap()["id"].as_i64().unwrap());
        }
        ids.dedup();
        assert_eq!((created, ids.len()), (1, 1));
    }

    async fn the_registry_export_gives_statuses_without_personal_data(backend: Backend) {
        let w = World::open(backend).await;
        let (_, client_id, secret) = w.client("Школьная система", &["registry:read"]).await;
        let token = w.token(&client_id, &secret).await;
        let (_, active) = w.child(1, birth(9), "active").await;
        let (_, pending) = w.child(2, birth(9), "pending").await;
        let changes = w
            .json(Method::GET, "/certificates/changes?updated_since=2020-01-01T00:00:00Z&limit=1", &token, Value::Null, StatusCode::OK)
            .await;
        assert_eq!(changes.as_array().map(Vec::len), Some(1));
        let first = &changes[0];
        let mut keys: Vec<&String> = first.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["activated_on", "issued_on", "municipality_id", "number", "status", "updated_at"]);
        assert_eq!((first["number"].as_str(), first["municipality_id"].as_i64()), (Some(active.as_str()), Some(w.municipality)));
        let next = format!("/certificates/changes?updated_since={}", first["updated_at"].as_str().unwrap().replace('+', "%2B"));
        let rest = w.json(Method::GET, &next, &token, Value::Null, StatusCode::OK).await;
        assert!(rest.as_array().unwrap().iter().any(|c| c["number"] == pending.as_str() && c["status"] == "pending"), "{rest}");
        let (status, body) = problem(w.call(Method::GET, "/certificates/changes?updated_since=2020-01-01T00:00:00Z&limit=5000", &token, Value::Null).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["limit"].is_array());
    }

    async fn webhooks_are_signed_retried_and_kept_in_order(backend: Backend) {
        let w = World::open(backend).await;
        let receiver = Receiver::start(2).await;
        let (id, client_id, secret) = w.client("Госуслуги", &ALL_SCOPES).await;
        let token = w.token(&client_id, &secret).await;
        let hook = json!({ "url": receiver.url, "events": ["application.status_changed", "program.changed"] });
        let webhook = w.json(Method::POST, "/integrations/webhooks", &token, hook, StatusCode::CREATED).await;
        let signing = webhook["secret"].as_str().unwrap().to_owned();
        assert!(signing.starts_with("whsec_"));
        let listed = w.json(Method::GET, "/integrations/webhooks", &token, Value::Null, StatusCode::OK).await;
        assert_eq!(listed[0]["secret"], Value::Null, "the secret is shown once");

        let (program, group, _) = w.program(3).await;
        let (_, number) = w.child(1, birth(9), "active").await;
        let made = w
            .json(Method::POST, "/integrations/applications", &token, application(group, &number, "Петров", birth(9), "gu-7"), StatusCode::CREATED)
            .await;
        let application_id = made["id"].as_i64().unwrap();
        // Staff confirm, then reject at once: three changes of one application
        // while the receiver still fails.
        w.json(Method::POST, &format!("/applications/{application_id}/confirm"), &w.staff, json!({}), StatusCode::OK).await;
        let reject = json!({ "reason": "no_places", "comment": "Группа переполнена" });
        w.json(Method::POST, &format!("/applications/{application_id}/reject"), &w.staff, reject, StatusCode::OK).await;
        // Two failures, then every event once: 2 + 3 application events.
        receiver.wait_for(5).await;
        // A change of the program goes to the same subscription.
        let start = chrono::Datelike::with_day(&navigator_api::clock::today(), 1).unwrap();
        let second_group = json!({
            "name": "Группа 2", "teacher": "Орлов Пётр Ильич",
            "schedule": [{ "weekday": 4, "start": "16:00", "end": "17:30" }],
            "capacity": 10, "start_date": start, "end_date": start + chrono::TimeDelta::days(80),
            "age_min": 7, "age_max": 12, "enrolment_open": true,
        });
        let path = format!("/cabinet/programs/{program}/groups");
        w.json(Method::POST, &path, &w.staff, second_group, StatusCode::CREATED).await;

        let received = receiver.wait_for(6).await;
        for r in &received {
            assert!(navigator_api::webhooks::verify(&signing, &r.signature, r.body.as_bytes()), "signature of {}", r.body);
            assert!(!navigator_api::webhooks::verify("whsec_other", &r.signature, r.body.as_bytes()));
            let body: Value = serde_json::from_str(&r.body).unwrap();
            assert_eq!(body["id"], r.event_id.as_str(), "the header and the body carry the same id");
        }
        // The first event came three times (500, 500, 200) with one id.
        let first: Value = serde_json::from_str(&received[0].body).unwrap();
        assert_eq!(first["type"], "application.status_changed");
        assert_eq!(first["data"]["status"], "submitted");
        assert_eq!(first["data"]["external_id"], "gu-7");
        let tries = received.iter().filter(|r| r.event_id == received[0].event_id).count();
        assert!(tries >= 3, "retried until it was acknowledged: {tries}");
        // Each event has one id; the application's statuses arrived in order.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let received = receiver.received();
        let mut events: Vec<(String, Value)> = Vec::new();
        for r in &received {
            let body: Value = serde_json::from_str(&r.body).unwrap();
            if events.last().is_none_or(|(id, _)| *id != r.event_id) {
                assert!(events.iter().all(|(id, _)| *id != r.event_id), "an event came again after another: {received:?}");
                events.push((r.event_id.clone(), body));
            }
        }
        let statuses: Vec<&str> = events
            .iter()
            .filter(|(_, b)| b["type"] == "application.status_changed")
            .map(|(_, b)| b["data"]["status"].as_str().unwrap())
            .collect();
        assert_eq!(statuses, ["submitted", "confirmed", "rejected"]);
        let program_events: Vec<&Value> = events.iter().map(|(_, b)| b).filter(|b| b["type"] == "program.changed").collect();
        assert_eq!(program_events.len(), 1);
        assert_eq!(program_events[0]["data"]["program_id"], program);

        // The admin sees each delivery with its attempts, and can send one again.
        let deliveries = w
            .json(Method::GET, &format!("/admin/integration-clients/{id}/deliveries?per_page=10"), &w.admin, Value::Null, StatusCode::OK)
            .await;
        assert_eq!(deliveries["total"], 4);
        let oldest = deliveries["items"].as_array().unwrap().last().unwrap().clone();
        assert_eq!((oldest["status"].as_str(), oldest["attempts"].as_i64()), (Some("delivered"), Some(3)));
        let history: Vec<i64> = oldest["history"].as_array().unwrap().iter().map(|a| a["status"].as_i64().unwrap()).collect();
        assert_eq!(history, [200, 500, 500]);
        assert_eq!(oldest["last_response"], "ok");
        let delivered = w
            .json(Method::GET, &format!("/admin/integration-clients/{id}/deliveries?status=delivered&per_page=2&page=2"), &w.admin, Value::Null, StatusCode::OK)
            .await;
        assert_eq!((delivered["total"].as_i64(), delivered["items"].as_array().map(Vec::len)), (Some(4), Some(2)));
        let before = receiver.received().len();
        let resent = w
            .json(Method::POST, &format!("/admin/webhook-deliveries/{}/resend", oldest["id"]), &w.admin, json!({}), StatusCode::OK)
            .await;
        assert_eq!(resent["status"], "pending");
        let again = receiver.wait_for(before + 1).await;
        assert_eq!(again[before].event_id, oldest["event_id"].as_str().unwrap(), "a resend keeps the event's id");
        let (status, _) = problem(w.call(Method::POST, "/admin/webhook-deliveries/999999/resend", &w.admin, json!({})).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // An ended subscription gets nothing more.
        let hook_id = webhook["id"].as_i64().unwrap();
        assert_eq!(w.call(Method::DELETE, &format!("/integrations/webhooks/{hook_id}"), &token, json!({})).await.status(), StatusCode::NO_CONTENT);
        assert_eq!(w.call(Method::DELETE, &format!("/integrations/webhooks/{hook_id}"), &token, json!({})).await.status(), StatusCode::NOT_FOUND);
        receiver.handle.stop(false).await;
    }

    async fn a_receiver_that_never_answers_gets_the_delivery_failed_after_the_retry_period(backend: Backend) {
        let w = World::open_with(backend, |c| c.integrations.webhook_retry_for = Duration::from_secs(2)).await;
        let receiver = Receiver::start(usize::MAX).await;
        let (id, client_id, secret) = w.client("Госуслуги", &ALL_SCOPES).await;
        let token = w.token(&client_id, &secret).await;
        let hook = json!({ "url": receiver.url, "events": ["certificate.status_changed"] });
        w.json(Method::POST, "/integrations/webhooks", &token, hook, StatusCode::CREATED).await;
        let (_, number) = w.child(1, birth(9), "pending").await;
        let started = Instant::now();
        let failed = loop {
            let page = w
                .json(Method::GET, &format!("/admin/integration-clients/{id}/deliveries?status=failed"), &w.admin, Value::Null, StatusCode::OK)
                .await;
            if page["total"] == 1 {
                break page["items"][0].clone();
            }
            assert!(started.elapsed() < Duration::from_secs(20), "the delivery did not fail in time");
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        assert!(failed["attempts"].as_i64().unwrap() >= 2, "{failed}");
        assert_eq!(failed["last_status"], 500);
        assert_eq!(failed["next_attempt_at"], Value::Null);
        let payload: Value = serde_json::from_str(failed["payload"].as_str().unwrap()).unwrap();
        assert_eq!((payload["data"]["number"].as_str(), payload["data"]["status"].as_str()), (Some(number.as_str()), Some("pending")));
        assert!(payload["data"].get("last_name").is_none());
        receiver.handle.stop(false).await;
    }
}
