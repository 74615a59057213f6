//! Accounts and sign-in, end to end over HTTP, on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Backend, PASSWORD, TestApp, problem};

both_backends! {
    /// The whole happy path of a new parent: register, confirm, log in, see the profile.
    async fn a_parent_registers_confirms_the_email_and_signs_in(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let municipality = app.municipality("город Смоленск").await;
        let response = app.post("/api/v1/auth/register", app.registration("Mama@Example.org", municipality)).await;
        assert_eq!(response.status(), StatusCode::ACCEPTED);
        let body: Value = response.json().await.unwrap();
        assert!(body["detail"].as_str().unwrap().contains("Проверьте почту"));

        let token = app.wait_for_link("mama@example.org", "/confirm-email").await;
        let mail = app.emails_to("mama@example.org");
        assert!(mail[0].body.contains("Здравствуйте, Мария Петровна!"), "{}", mail[0].body);

        let response = app.post("/api/v1/auth/confirm-email", json!({ "token": token })).await;
        assert_eq!(response.status(), StatusCode::OK);

        let (access, _) = app.login("MAMA@example.org ", PASSWORD).await;
        let profile: Value = app.get("/api/v1/me", Some(&access)).await.json().await.unwrap();
        assert_eq!(profile["email"], "mama@example.org");
        assert_eq!(profile["email_confirmed"], true);
        assert_eq!(profile["role"], "parent");
        assert_eq!(profile["phone"], "+79123456789");
        assert_eq!(profile["middle_name"], "Петровна");
        assert_eq!(profile["municipality_id"], municipality);
    }

    async fn every_bad_registration_field_is_named_in_russian(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let body = json!({
            "email": "not-an-email", "password": "short", "phone": "12",
            "last_name": "Ivanova", "first_name": "", "middle_name": "Петр0вна", "municipality_id": 0,
        });
        let (status, problem) = problem(app.post("/api/v1/auth/register", body).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(problem["code"], "validation_failed");
        for field in ["email", "password", "phone", "last_name", "first_name", "middle_name", "municipality_id", "consent_personal_data", "consent_rules"] {
            assert!(problem["errors"][field][0].as_str().is_some(), "no message for {field}: {problem}");
        }
        assert!(app.emails_to("not-an-email").is_empty());
    }

    async fn malformed_requests_get_problem_answers_never_500(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let raw = app.client.post(app.url("/api/v1/auth/register")).header("content-type", "application/json")
            .body("{not json").send().await.unwrap();
        let (status, body) = problem(raw).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("bad_request")));

        let (status, body) = problem(app.post("/api/v1/auth/login", json!({ "email": "a@b.ru" })).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["password"][0].as_str().is_some(), "{body}");

        let wrong_type = app.post("/api/v1/auth/register", json!({ "email": 5 })).await;
        assert_eq!(problem(wrong_type).await.0, StatusCode::BAD_REQUEST);

        let text = app.client.post(app.url("/api/v1/auth/login")).body("email=a").send().await.unwrap();
        assert_eq!(problem(text).await.0, StatusCode::BAD_REQUEST);

        let (status, body) = problem(app.get("/api/v1/no-such-thing", None).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));

        let wrong_method = app.client.delete(app.url("/api/v1/auth/login")).send().await.unwrap();
        let (status, _) = problem(wrong_method).await;
        assert!(status == StatusCode::NOT_FOUND || status == StatusCode::METHOD_NOT_ALLOWED, "{status}");

        let bad_page = app.get("/api/v1/municipalities?page=0&per_page=1000", None).await;
        let (status, body) = problem(bad_page).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["page"].is_array() && body["errors"]["per_page"].is_array());

        let not_a_number = app.get("/api/v1/municipalities?page=abc", None).await;
        assert_eq!(problem(not_a_number).await.0, StatusCode::BAD_REQUEST);
    }

    async fn an_unknown_municipality_is_refused(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let (status, body) = problem(app.post("/api/v1/auth/register", app.registration("a@example.org", 999)).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("unknown_municipality")));
        assert!(body["errors"]["municipality_id"].is_array());
    }

    /// Registration never reveals whether the email is taken; the owner is told by email.
    async fn registering_a_taken_email_looks_the_same_and_warns_the_owner(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let municipality = app.confirmed_parent("taken@example.org").await;
        let fresh = app.post("/api/v1/auth/register", app.registration("fresh@example.org", municipality)).await;
        let taken = app.post("/api/v1/auth/register", app.registration("taken@example.org", municipality)).await;
        assert_eq!(fresh.status(), taken.status(), "{:?}", taken.text().await);
        assert_eq!(fresh.json::<Value>().await.unwrap(), taken.json::<Value>().await.unwrap());

        let started = std::time::Instant::now();
        while !app.emails_to("taken@example.org").iter().any(|m| m.body.contains("уже есть")) {
            assert!(started.elapsed().as_secs() < 10, "the owner got no warning");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        // The account and its password are unchanged.
        app.login("taken@example.org", PASSWORD).await;
    }

    async fn signing_in_before_confirming_the_email_is_refused_with_a_way_out(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let municipality = app.municipality("город Смоленск").await;
        app.post("/api/v1/auth/register", app.registration("new@example.org", municipality)).await;
        let login = app.post("/api/v1/auth/login", json!({ "email": "new@example.org", "password": PASSWORD })).await;
        let (status, body) = problem(login).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("email_not_confirmed")));

        let resend = app.post("/api/v1/auth/resend-confirmation", json!({ "email": "new@example.org" })).await;
        assert_eq!(resend.status(), StatusCode::ACCEPTED);
        let started = std::time::Instant::now();
        while support::find_link(&app.mail_dir, "new@example.org", "/confirm-email").len() < 2 {
            assert!(started.elapsed().as_secs() < 10, "no second confirmation email");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let links = support::find_link(&app.mail_dir, "new@example.org", "/confirm-email");
        // The newer link replaces the older one.
        let old = app.post("/api/v1/auth/confirm-email", json!({ "token": links[0] })).await;
        assert_eq!(problem(old).await.1["code"], "token_used");
        let new = app.post("/api/v1/auth/confirm-email", json!({ "token": links[1] })).await;
        assert_eq!(new.status(), StatusCode::OK);
        app.login("new@example.org", PASSWORD).await;
    }

    async fn a_wrong_password_and_an_unknown_email_get_the_same_answer(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        app.confirmed_parent("mama@example.org").await;
        let wrong = app.post("/api/v1/auth/login", json!({ "email": "mama@example.org", "password": "wrong password!" })).await;
        let unknown = app.post("/api/v1/auth/login", json!({ "email": "nobody@example.org", "password": PASSWORD })).await;
        let (status_wrong, wrong) = problem(wrong).await;
        let (status_unknown, unknown) = problem(unknown).await;
        assert_eq!((status_wrong, status_unknown), (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED));
        assert_eq!(wrong, unknown);
        assert_eq!(wrong["code"], "invalid_credentials");
    }

    async fn a_confirmation_link_works_once_and_garbage_is_refused(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let municipality = app.municipality("город Смоленск").await;
        app.post("/api/v1/auth/register", app.registration("once@example.org", municipality)).await;
        let token = app.wait_for_link("once@example.org", "/confirm-email").await;
        assert_eq!(app.post("/api/v1/auth/confirm-email", json!({ "token": token })).await.status(), StatusCode::OK);
        let (status, body) = problem(app.post("/api/v1/auth/confirm-email", json!({ "token": token })).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("token_used")));
        let (_, body) = problem(app.post("/api/v1/auth/confirm-email", json!({ "token": "made-up" })).await).await;
        assert_eq!(body["code"], "invalid_token");
        let (_, body) = problem(app.post("/api/v1/auth/confirm-email", json!({ "token": "" })).await).await;
        assert_eq!(body["code"], "invalid_token");
    }

    async fn an_expired_confirmation_link_is_refused(backend: Backend) {
        let app = TestApp::spawn_with(backend, |c| c.email_confirm_ttl = std::time::Duration::ZERO).await;
        let municipality = app.municipality("город Смоленск").await;
        app.post("/api/v1/auth/register", app.registration("late@example.org", municipality)).await;
        let token = app.wait_for_link("late@example.org", "/confirm-email").await;
        let (status, body) = problem(app.post("/api/v1/auth/confirm-email", json!({ "token": token })).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("expired_token")));
    }

    /// Refresh tokens rotate; replaying a spent one ends the whole sign-in.
    async fn a_reused_refresh_token_revokes_the_sign_in(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        app.confirmed_parent("mama@example.org").await;
        let (_, first) = app.login("mama@example.org", PASSWORD).await;

        let response = app.post("/api/v1/auth/refresh", json!({ "refresh_token": first })).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        let second = body["refresh_token"].as_str().unwrap().to_owned();
        assert_ne!(first, second);
        assert_eq!(app.get("/api/v1/me", body["access_token"].as_str()).await.status(), StatusCode::OK);

        let (status, body) = problem(app.post("/api/v1/auth/refresh", json!({ "refresh_token": first })).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("refresh_token_reused")));
        // The thief's replay also kills the legitimate successor.
        let (status, _) = problem(app.post("/api/v1/auth/refresh", json!({ "refresh_token": second })).await).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }

    async fn two_refreshes_with_one_token_at_once_yield_one_new_session(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        app.confirmed_parent("mama@example.org").await;
        let (_, token) = app.login("mama@example.org", PASSWORD).await;
        let body = json!({ "refresh_token": token });
        let (a, b) = tokio::join!(app.post("/api/v1/auth/refresh", body.clone()), app.post("/api/v1/auth/refresh", body));
        let mut statuses = [a.status(), b.status()];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::OK, StatusCode::UNAUTHORIZED]);
    }

    async fn logout_ends_the_sign_in(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        app.confirmed_parent("mama@example.org").await;
        let (_, refresh) = app.login("mama@example.org", PASSWORD).await;
        let response = app.post("/api/v1/auth/logout", json!({ "refresh_token": refresh })).await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        let (status, body) = problem(app.post("/api/v1/auth/refresh", json!({ "refresh_token": refresh })).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("invalid_refresh_token")));
    }

    /// The web client keeps the refresh token in an HttpOnly cookie only.
    async fn the_web_client_gets_the_refresh_token_as_an_http_only_cookie(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        app.confirmed_parent("mama@example.org").await;
        let body = json!({ "email": "mama@example.org", "password": PASSWORD, "use_cookie": true });
        let response = app.post("/api/v1/auth/login", body).await;
        let cookie = response.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/api/v1/auth"), "{cookie}");
        let body: Value = response.json().await.unwrap();
        assert!(body.get("refresh_token").is_none());
        let pair = cookie.split(';').next().unwrap().to_owned();

        // Another site's page posting with the browser's cookie is refused, and so is a request without Origin.
        for origin in [Some("https://evil.example"), None] {
            let mut forged = app.client.post(app.url("/api/v1/auth/refresh")).header("cookie", &pair).header("content-type", "text/plain").body("x");
            if let Some(origin) = origin {
                forged = forged.header("origin", origin);
            }
            let (status, body) = problem(forged.send().await.unwrap()).await;
            assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("foreign_origin")), "{origin:?}");
            let forged = app.client.post(app.url("/api/v1/auth/logout")).header("cookie", &pair).header("origin", "https://evil.example").send().await.unwrap();
            assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        }
        let refreshed = app.client.post(app.url("/api/v1/auth/refresh")).header("cookie", &pair).header("origin", &app.base).send().await.unwrap();
        assert_eq!(refreshed.status(), StatusCode::OK);
        let next = refreshed.headers().get("set-cookie").unwrap().to_str().unwrap().split(';').next().unwrap().to_owned();
        assert_ne!(next, pair);
        let logout = app.client.post(app.url("/api/v1/auth/logout")).header("cookie", &next).header("origin", &app.base).send().await.unwrap();
        assert_eq!(logout.status(), StatusCode::NO_CONTENT);
        assert!(logout.headers().get("set-cookie").unwrap().to_str().unwrap().contains("Max-Age=0"));
        let after = app.client.post(app.url("/api/v1/auth/refresh")).header("cookie", &next).header("origin", &app.base).send().await.unwrap();
        assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
    }

    async fn a_password_reset_link_sets_a_new_password_once(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        app.confirmed_parent("mama@example.org").await;
        let (_, old_session) = app.login("mama@example.org", PASSWORD).await;

        let unknown = app.post("/api/v1/auth/password-reset", json!({ "email": "nobody@example.org" })).await;
        let known = app.post("/api/v1/auth/password-reset", json!({ "email": "mama@example.org" })).await;
        assert_eq!((unknown.status(), known.status()), (StatusCode::ACCEPTED, StatusCode::ACCEPTED));
        assert_eq!(unknown.json::<Value>().await.unwrap(), known.json::<Value>().await.unwrap());
        let token = app.wait_for_link("mama@example.org", "/password-reset/confirm").await;
        assert!(app.emails_to("nobody@example.org").is_empty());

        let weak = app.post("/api/v1/auth/password-reset/confirm", json!({ "token": token, "password": "short" })).await;
        assert!(problem(weak).await.1["errors"]["password"].is_array());
        let body = json!({ "token": token, "password": "a brand new password" });
        assert_eq!(app.post("/api/v1/auth/password-reset/confirm", body.clone()).await.status(), StatusCode::OK);
        let (status, again) = problem(app.post("/api/v1/auth/password-reset/confirm", body).await).await;
        assert_eq!((status, again["code"].as_str()), (StatusCode::BAD_REQUEST, Some("token_used")));

        app.login("mama@example.org", "a brand new password").await;
        let old = app.post("/api/v1/auth/login", json!({ "email": "mama@example.org", "password": PASSWORD })).await;
        assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
        // Sessions opened with the old password are over.
        let refresh = app.post("/api/v1/auth/refresh", json!({ "refresh_token": old_session })).await;
        assert_eq!(refresh.status(), StatusCode::UNAUTHORIZED);
        // The owner is told by email.
        let started = std::time::Instant::now();
        while !app.emails_to("mama@example.org").iter().any(|m| m.body.contains("Пароль вашей учётной записи")) {
            assert!(started.elapsed().as_secs() < 10, "no password-changed notice");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    async fn an_expired_password_reset_link_is_refused(backend: Backend) {
        let app = TestApp::spawn_with(backend, |c| c.password_reset_ttl = std::time::Duration::ZERO).await;
        app.confirmed_parent("mama@example.org").await;
        app.post("/api/v1/auth/password-reset", json!({ "email": "mama@example.org" })).await;
        let token = app.wait_for_link("mama@example.org", "/password-reset/confirm").await;
        let body = json!({ "token": token, "password": "a brand new password" });
        let (status, body) = problem(app.post("/api/v1/auth/password-reset/confirm", body).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("expired_token")));
        app.login("mama@example.org", PASSWORD).await;
    }

    async fn changing_the_password_needs_the_current_one_and_ends_other_sessions(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        app.confirmed_parent("mama@example.org").await;
        let (_, other_device) = app.login("mama@example.org", PASSWORD).await;
        let (access, this_device) = app.login("mama@example.org", PASSWORD).await;

        let wrong = json!({ "current_password": "not my password", "new_password": "a brand new password" });
        let (status, body) = problem(app.send(Method::POST, "/api/v1/me/password", &access, wrong).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_credentials")));
        assert!(body["errors"]["current_password"].is_array());

        let good = json!({ "current_password": PASSWORD, "new_password": "a brand new password" });
        assert_eq!(app.send(Method::POST, "/api/v1/me/password", &access, good).await.status(), StatusCode::NO_CONTENT);
        let other = app.post("/api/v1/auth/refresh", json!({ "refresh_token": other_device })).await;
        assert_eq!(other.status(), StatusCode::UNAUTHORIZED);
        let this = app.post("/api/v1/auth/refresh", json!({ "refresh_token": this_device })).await;
        assert_eq!(this.status(), StatusCode::OK);
        app.login("mama@example.org", "a brand new password").await;
    }

    async fn the_profile_keeps_passport_data_encrypted_at_rest(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        app.confirmed_parent("mama@example.org").await;
        let other = app.municipality("Вяземский район").await;
        let (access, _) = app.login("mama@example.org", PASSWORD).await;
        let update = json!({
            "phone": "8 (915) 000-11-22", "middle_name": "", "municipality_id": other,
            "passport_series": "66 04", "passport_number": "123456", "passport_issued_by": "УМВД России по Смоленской области",
            "passport_issued_at": "2015-06-01", "address": "г. Смоленск, ул. Ленина, д. 1, кв. 2",
        });
        let response = app.send(Method::PATCH, "/api/v1/me", &access, update).await;
        assert_eq!(response.status(), StatusCode::OK);
        let profile: Value = response.json().await.unwrap();
        assert_eq!(profile["phone"], "+79150001122");
        assert_eq!(profile["middle_name"], "");
        assert_eq!(profile["passport_series"], "6604");
        assert_eq!(profile["passport_number"], "123456");
        assert_eq!(profile["passport_issued_at"], "2015-06-01");
        assert_eq!(profile["municipality_id"], other);
        assert_eq!(app.get("/api/v1/me", Some(&access)).await.json::<Value>().await.unwrap(), profile);

        let stored: Vec<Option<String>> = app
            .state
            .db(|c| {
                use diesel::prelude::*;
                use navigator_api::db::schema::users::dsl::*;
                users.select(passport_number_enc).load(c)
            })
            .await
            .unwrap();
        let stored = stored.into_iter().flatten().collect::<Vec<_>>().join(" ");
        assert!(stored.starts_with("v2:") && !stored.contains("123456"), "{stored}");

        let bad = json!({ "passport_number": "12", "passport_issued_at": "2999-01-01", "last_name": "Smith", "municipality_id": 424242 });
        let (status, body) = problem(app.send(Method::PATCH, "/api/v1/me", &access, bad).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        for field in ["passport_number", "passport_issued_at", "last_name"] {
            assert!(body["errors"][field].is_array(), "{field}: {body}");
        }
        let cleared = app.send(Method::PATCH, "/api/v1/me", &access, json!({ "passport_number": "", "passport_issued_at": null })).await;
        let cleared: Value = cleared.json().await.unwrap();
        assert_eq!((cleared["passport_number"].as_str(), cleared["passport_issued_at"].is_null()), (Some(""), true));
        assert_eq!(cleared["passport_series"], "6604");
    }

    async fn the_profile_needs_a_valid_token(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let (status, body) = problem(app.get("/api/v1/me", None).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("unauthenticated")));
        let (status, body) = problem(app.get("/api/v1/me", Some("forged.token.value")).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("invalid_token")));
    }

    async fn too_many_login_attempts_are_answered_429_with_retry_after(backend: Backend) {
        let app = TestApp::spawn_with(backend, |c| c.rate_limits.login_per_account = 3).await;
        app.confirmed_parent("mama@example.org").await;
        for _ in 0..3 {
            let wrong = app.post("/api/v1/auth/login", json!({ "email": "mama@example.org", "password": "wrong password!" })).await;
            assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        }
        let blocked = app.post("/api/v1/auth/login", json!({ "email": "mama@example.org", "password": PASSWORD })).await;
        let retry_after: u64 = blocked.headers().get("retry-after").unwrap().to_str().unwrap().parse().unwrap();
        assert!((1..=900).contains(&retry_after));
        let (status, body) = problem(blocked).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::TOO_MANY_REQUESTS, Some("too_many_requests")));
        // Another account from elsewhere is not affected by this account's budget.
        let other = app.post("/api/v1/auth/login", json!({ "email": "other@example.org", "password": PASSWORD })).await;
        assert_eq!(other.status(), StatusCode::UNAUTHORIZED);
    }

    async fn registration_and_reset_are_rate_limited_per_address(backend: Backend) {
        let app = TestApp::spawn_with(backend, |c| {
            c.rate_limits.register_per_ip = 2;
            c.rate_limits.reset_per_account = 1;
        }).await;
        let municipality = app.municipality("город Смоленск").await;
        for n in 0..2 {
            let ok = app.post("/api/v1/auth/register", app.registration(&format!("r{n}@example.org"), municipality)).await;
            assert_eq!(ok.status(), StatusCode::ACCEPTED);
        }
        let blocked = app.post("/api/v1/auth/register", app.registration("r3@example.org", municipality)).await;
        assert_eq!(problem(blocked).await.0, StatusCode::TOO_MANY_REQUESTS);

        assert_eq!(app.post("/api/v1/auth/password-reset", json!({ "email": "r0@example.org" })).await.status(), StatusCode::ACCEPTED);
        let again = app.post("/api/v1/auth/password-reset", json!({ "email": "r0@example.org" })).await;
        assert_eq!(problem(again).await.0, StatusCode::TOO_MANY_REQUESTS);
    }
}
