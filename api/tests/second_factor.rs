//! «Вход с кодом» (TOTP) and the new-device notice, end to end over HTTP,
//! on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod support;

use std::time::Duration;

use diesel::prelude::*;
use navigator_api::auth::totp;
use navigator_shared::accounts::Role;
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};
use support::{Backend, PASSWORD, TestApp, problem};

const FIREFOX: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const PHONE: &str =
    "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36";

/// Codes as the authenticator app shows them, each one later than the last
/// used: within the server's window of one step either side, and never in
/// the last seconds of a step (the step could turn before the server looks).
struct App {
    secret: String,
    last: i64,
}

impl App {
    fn new(secret: &str) -> Self {
        Self { secret: secret.to_owned(), last: 0 }
    }

    async fn next_code(&mut self) -> String {
        loop {
            let now = chrono::Utc::now().timestamp();
            let current = totp::step_of(now);
            let step = (self.last + 1).max(current - 1);
            if now.rem_euclid(totp::STEP_SECS) < totp::STEP_SECS - 3 && step <= current + 1 {
                self.last = step;
                return totp::code_of_step(&totp::base32_decode(&self.secret).unwrap(), step);
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }

    /// A code of none of the steps the server accepts now.
    fn wrong_code(&self) -> String {
        let key = totp::base32_decode(&self.secret).unwrap();
        let current = totp::step_of(chrono::Utc::now().timestamp());
        let good: Vec<String> = (current - 2..=current + 2).map(|s| totp::code_of_step(&key, s)).collect();
        ["000000", "111111", "222222"].into_iter().find(|c| !good.iter().any(|g| g == c)).unwrap().to_owned()
    }
}

async fn sign_in(app: &TestApp, body: Value, headers: &[(&str, &str)]) -> Response {
    let mut request = app.client.post(app.url("/api/v1/auth/login")).json(&body);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

fn credentials(email: &str, code: Option<&str>) -> Value {
    let mut body = json!({ "email": email, "password": PASSWORD });
    if let Some(code) = code {
        body["code"] = json!(code);
    }
    body
}

async fn access_token(response: Response) -> String {
    assert_eq!(response.status(), StatusCode::OK);
    response.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned()
}

/// Starts the enrolment and confirms it with the app's first code: the app.
async fn turn_on(app: &TestApp, token: &str) -> App {
    let started = app.send(Method::POST, "/api/v1/me/second-factor", token, json!({})).await;
    assert_eq!(started.status(), StatusCode::OK);
    let started: Value = started.json().await.unwrap();
    let mut phone = App::new(started["secret"].as_str().unwrap());
    let code = phone.next_code().await;
    let confirmed = app.send(Method::POST, "/api/v1/me/second-factor/confirm", token, json!({ "code": code })).await;
    assert_eq!(confirmed.status(), StatusCode::NO_CONTENT);
    phone
}

async fn me(app: &TestApp, token: &str) -> Value {
    let response = app.get("/api/v1/me", Some(token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn inbox(app: &TestApp, token: &str) -> Value {
    app.get("/api/v1/me/messages", Some(token)).await.json().await.unwrap()
}

/// Emails of `kind` queued for `to`.
async fn queued(app: &TestApp, to: &str, kind: &str) -> i64 {
    let (to, kind) = (to.to_owned(), kind.to_owned());
    app.state
        .db(move |c| {
            use navigator_api::db::schema::outbox_emails as ob;
            ob::table.filter(ob::to_address.eq(to)).filter(ob::kind.eq(kind)).count().get_result::<i64>(c)
        })
        .await
        .unwrap()
}

/// The device cookie the answer sets, as `name=value`, and the whole header.
fn device_cookie(response: &Response) -> (String, String) {
    let header = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("navigator_device="))
        .expect("the device cookie");
    (header.split(';').next().unwrap().to_owned(), header)
}

both_backends! {
    /// An operator turns the second factor on from the profile (a wrong code
    /// first), then signs in: without a code he is asked for one, a wrong or
    /// an already used code is refused, a fresh one opens the session; he
    /// turns it off with a current code and signs in with the password alone.
    async fn an_operator_turns_the_second_factor_on_and_signs_in_with_a_code(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.account("op@example.org", Role::Operator).await;
        let profile = me(&app, &token).await;
        assert_eq!((profile["second_factor"].as_bool(), profile["second_factor_required"].as_bool()), (Some(false), Some(false)));

        // A second start replaces the unconfirmed secret.
        let first: Value = app.send(Method::POST, "/api/v1/me/second-factor", &token, json!({})).await.json().await.unwrap();
        let response = app.send(Method::POST, "/api/v1/me/second-factor", &token, json!({})).await;
        assert_eq!(response.status(), StatusCode::OK);
        let enrolment: Value = response.json().await.unwrap();
        let secret = enrolment["secret"].as_str().unwrap();
        assert_ne!(first["secret"], enrolment["secret"]);
        assert_eq!(totp::base32_decode(secret).map(|k| k.len()), Some(20));
        let uri = enrolment["uri"].as_str().unwrap();
        assert!(uri.starts_with("otpauth://totp/%D0%9D") && uri.contains(":op%40example.org?"), "{uri}");
        assert!(uri.contains(&format!("secret={secret}&issuer=")), "{uri}");
        let stored: String = app
            .state
            .db(|c| navigator_api::db::schema::second_factors::table.select(navigator_api::db::schema::second_factors::secret_enc).first(c))
            .await
            .unwrap();
        assert!(!stored.contains(secret), "the secret is stored sealed");

        let mut phone = App::new(secret);
        let (status, body) = problem(app.send(Method::POST, "/api/v1/me/second-factor/confirm", &token, json!({ "code": phone.wrong_code() })).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("second_factor_invalid")));
        assert!(body["errors"]["code"][0].as_str().unwrap().contains("Неверный код"), "{body}");
        let (status, body) = problem(app.send(Method::POST, "/api/v1/me/second-factor/confirm", &token, json!({ "code": "12a" })).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("validation_failed")));
        assert!(body["errors"]["code"].is_array());
        let code = phone.next_code().await;
        let confirmed = app.send(Method::POST, "/api/v1/me/second-factor/confirm", &token, json!({ "code": code })).await;
        assert_eq!(confirmed.status(), StatusCode::NO_CONTENT);
        assert_eq!(me(&app, &token).await["second_factor"], true);
        let again = app.send(Method::POST, "/api/v1/me/second-factor", &token, json!({})).await;
        assert_eq!(problem(again).await.0, StatusCode::CONFLICT, "on already: no new secret");
        assert_eq!(queued(&app, "op@example.org", "second_factor_changed").await, 1, "the owner is told");

        let (status, body) = problem(sign_in(&app, credentials("op@example.org", None), &[]).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("second_factor_required")));
        assert_eq!(body["detail"], "Введите код из приложения-аутентификатора");
        let (status, body) = problem(sign_in(&app, credentials("op@example.org", Some(&phone.wrong_code())), &[]).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("second_factor_invalid")));
        assert!(body["detail"].as_str().unwrap().starts_with("Неверный код"));
        let (status, body) = problem(sign_in(&app, credentials("op@example.org", Some(&code)), &[]).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("second_factor_invalid")), "the confirming code is spent");
        let wrong_password = sign_in(&app, json!({ "email": "op@example.org", "password": "not the password", "code": phone.wrong_code() }), &[]).await;
        assert_eq!(problem(wrong_password).await.1["code"], "invalid_credentials", "the code does not stand in for the password");

        let code = phone.next_code().await;
        let token = access_token(sign_in(&app, credentials("op@example.org", Some(&code)), &[]).await).await;
        assert_eq!(me(&app, &token).await["email"], "op@example.org");
        let (status, body) = problem(sign_in(&app, credentials("op@example.org", Some(&code)), &[]).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("second_factor_invalid")), "a code works once");

        // Off: a current code is needed.
        let (status, body) = problem(app.send(Method::DELETE, "/api/v1/me/second-factor", &token, json!({ "code": phone.wrong_code() })).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("second_factor_invalid")));
        let off = app.send(Method::DELETE, "/api/v1/me/second-factor", &token, json!({ "code": phone.next_code().await })).await;
        assert_eq!(off.status(), StatusCode::NO_CONTENT);
        assert_eq!(me(&app, &token).await["second_factor"], false);
        assert_eq!(queued(&app, "op@example.org", "second_factor_changed").await, 2);
        access_token(sign_in(&app, credentials("op@example.org", None), &[]).await).await;
        let again = app.send(Method::DELETE, "/api/v1/me/second-factor", &token, json!({ "code": "123456" })).await;
        assert_eq!(problem(again).await.0, StatusCode::CONFLICT, "off already");
    }

    /// Wrong codes count as failed sign-ins: past the limit even the right
    /// code waits, like a right password after wrong ones.
    async fn wrong_codes_count_as_failed_sign_ins(backend: Backend) {
        let app = TestApp::spawn_with(backend, |c| c.rate_limits.login_per_account = 2).await;
        let token = app.account("staff@example.org", Role::OrgStaff).await;
        let mut phone = turn_on(&app, &token).await;
        for _ in 0..2 {
            let refused = sign_in(&app, credentials("staff@example.org", Some(&phone.wrong_code())), &[]).await;
            assert_eq!(problem(refused).await.1["code"], "second_factor_invalid");
        }
        let (status, body) = problem(sign_in(&app, credentials("staff@example.org", Some(&phone.next_code().await)), &[]).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::TOO_MANY_REQUESTS, Some("too_many_requests")));
    }

    /// Families are not offered the second factor.
    async fn a_family_account_is_not_offered_the_second_factor(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        app.confirmed_parent("mama@example.org").await;
        let (token, _) = app.login("mama@example.org", PASSWORD).await;
        let (status, body) = problem(app.send(Method::POST, "/api/v1/me/second-factor", &token, json!({})).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")));
        assert!(body["detail"].as_str().unwrap().contains("Вход с кодом"), "{body}");
        let confirm = app.send(Method::POST, "/api/v1/me/second-factor/confirm", &token, json!({ "code": "123456" })).await;
        assert_eq!(problem(confirm).await.0, StatusCode::FORBIDDEN);
    }

    /// In production an admin without the second factor signs in to his
    /// profile and the second factor's set-up only; once it is on, the next
    /// refresh (and every sign-in with a code) reaches everything. He may
    /// not turn it off; an operator is not held to it.
    async fn an_admin_in_production_must_turn_the_second_factor_on_first(backend: Backend) {
        let app = TestApp::spawn_with(backend, |c| c.production = true).await;
        let operator = app.account("op@example.org", Role::Operator).await;
        assert_eq!(me(&app, &operator).await["second_factor_required"], false);
        app.account("admin@example.org", Role::Admin).await;
        let (token, refresh) = app.login("admin@example.org", PASSWORD).await;
        let profile = me(&app, &token).await;
        assert_eq!((profile["second_factor"].as_bool(), profile["second_factor_required"].as_bool()), (Some(false), Some(true)));
        let (status, body) = problem(app.get("/api/v1/staff?role=admin", Some(&token)).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("second_factor_setup_required")));
        assert!(body["detail"].as_str().unwrap().starts_with("Администратор должен включить вход с кодом"), "{body}");
        let update = app.send(Method::PATCH, "/api/v1/me", &token, json!({ "phone": "+7 912 000-00-01" })).await;
        assert_eq!(problem(update).await.1["code"], "second_factor_setup_required", "only the profile's reading is open");
        // A refresh before the set-up brings no more.
        let refreshed: Value = app.post("/api/v1/auth/refresh", json!({ "refresh_token": refresh })).await.json().await.unwrap();
        let still = refreshed["access_token"].as_str().unwrap();
        assert_eq!(problem(app.get("/api/v1/staff?role=admin", Some(still)).await).await.0, StatusCode::FORBIDDEN);

        let mut phone = turn_on(&app, still).await;
        let refreshed: Value = app
            .post("/api/v1/auth/refresh", json!({ "refresh_token": refreshed["refresh_token"] }))
            .await
            .json()
            .await
            .unwrap();
        let full = refreshed["access_token"].as_str().unwrap();
        assert_eq!(app.get("/api/v1/staff?role=admin", Some(full)).await.status(), StatusCode::OK);
        assert_eq!(me(&app, full).await["second_factor_required"], false);
        let (status, body) = problem(app.send(Method::DELETE, "/api/v1/me/second-factor", full, json!({ "code": "123456" })).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")), "{body}");
        assert_eq!(me(&app, full).await["second_factor"], true);
        let signed_in = access_token(sign_in(&app, credentials("admin@example.org", Some(&phone.next_code().await)), &[]).await).await;
        assert_eq!(app.get("/api/v1/staff?role=admin", Some(&signed_in)).await.status(), StatusCode::OK);
    }

    /// The first sign-in ever tells nothing; the same browser (its cookie)
    /// tells nothing; another browser, or a program not seen before, is told
    /// once by email and in-app message with its name and time.
    async fn a_sign_in_from_a_new_device_is_told_to_the_owner(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        app.confirmed_parent("mama@example.org").await;
        let browser = json!({ "email": "mama@example.org", "password": PASSWORD, "use_cookie": true });
        let first = sign_in(&app, browser.clone(), &[("user-agent", FIREFOX)]).await;
        assert_eq!(first.status(), StatusCode::OK);
        let (cookie, header) = device_cookie(&first);
        assert!(
            header.contains("HttpOnly") && header.contains("SameSite=Lax") && header.contains("Path=/api/v1/auth")
                && header.contains(&format!("Max-Age={}", 400 * 24 * 3600)),
            "{header}"
        );
        let token = access_token(first).await;
        assert_eq!(inbox(&app, &token).await["total"], 0, "the first sign-in ever is not news");

        let same = sign_in(&app, browser.clone(), &[("user-agent", FIREFOX), ("cookie", &cookie)]).await;
        assert_eq!(device_cookie(&same).0, cookie, "the browser keeps its cookie");
        access_token(same).await;
        let updated = sign_in(&app, browser.clone(), &[("user-agent", "Mozilla/5.0 Firefox/134.0"), ("cookie", &cookie)]).await;
        access_token(updated).await;
        assert_eq!(queued(&app, "mama@example.org", "new_sign_in").await, 0, "the same browser, even updated");

        let phone = sign_in(&app, browser.clone(), &[("user-agent", PHONE)]).await;
        let (phone_cookie, _) = device_cookie(&phone);
        assert_ne!(phone_cookie, cookie);
        access_token(phone).await;
        assert_eq!(queued(&app, "mama@example.org", "new_sign_in").await, 1);
        let messages = inbox(&app, &token).await;
        assert_eq!(messages["total"], 1, "{messages}");
        let message = &messages["items"][0];
        assert_eq!(message["subject"], "Вход с нового устройства");
        let body = message["body"].as_str().unwrap();
        assert!(body.contains("Chrome, Android") && body.contains("по московскому времени") && body.contains("смените пароль"), "{body}");
        let started = std::time::Instant::now();
        while !app.emails_to("mama@example.org").iter().any(|m| m.body.contains("вошли с нового устройства: Chrome, Android")) {
            assert!(started.elapsed() < Duration::from_secs(10), "the notice is emailed");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        access_token(sign_in(&app, browser, &[("user-agent", PHONE), ("cookie", &phone_cookie)]).await).await;

        // A program without cookies is known by its name.
        let program = json!({ "email": "mama@example.org", "password": PASSWORD });
        for _ in 0..2 {
            access_token(sign_in(&app, program.clone(), &[("user-agent", "family-app/2.1")]).await).await;
        }
        assert_eq!(queued(&app, "mama@example.org", "new_sign_in").await, 2, "told once of the program");
        assert_eq!(inbox(&app, &token).await["total"], 2);
    }
}
