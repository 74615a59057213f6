//! Families' personal data over their life: what the housekeeping removes
//! once nobody needs it (152-ФЗ), on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod support;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use navigator_api::db::schema::{consents, email_tokens, outbox_emails, refresh_tokens, users};
use navigator_api::privacy::retention::{self, Report};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Backend, PASSWORD, TestApp, child, problem};

/// Rows of the account's consents, links and sessions, and whether it exists.
async fn held(app: &TestApp, id: i64) -> (bool, i64, i64, i64) {
    app.state
        .db(move |c| {
            Ok::<_, diesel::result::Error>((
                users::table.find(id).count().get_result::<i64>(c)? == 1,
                consents::table.filter(consents::user_id.eq(id)).count().get_result(c)?,
                email_tokens::table.filter(email_tokens::user_id.eq(id)).count().get_result(c)?,
                refresh_tokens::table.filter(refresh_tokens::user_id.eq(id)).count().get_result(c)?,
            ))
        })
        .await
        .unwrap()
}

/// Registers another parent in `municipality` and confirms the address.
async fn another_parent(app: &TestApp, email: &str, municipality: i64) {
    let response = app.post("/api/v1/auth/register", app.registration(email, municipality)).await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let token = app.wait_for_link(email, "/confirm-email").await;
    let response = app.post("/api/v1/auth/confirm-email", json!({ "token": token })).await;
    assert_eq!(response.status(), StatusCode::OK);
}

/// One pass of the retention rules at `at`.
async fn retain(app: &TestApp, at: NaiveDateTime) -> Report {
    let (cipher, settings) = (app.state.cipher.clone(), app.state.config.retention);
    app.state.db(move |c| retention::run(c, &cipher, &settings, at)).await.unwrap()
}

both_backends! {
    /// An account never confirmed goes after the period, with its consents
    /// and links, unless it holds a child (a family registered at a desk);
    /// ended sessions and spent links go; what is in use stays; a second
    /// pass finds nothing; the address can sign up again.
    async fn the_retention_removes_only_what_nobody_needs(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let municipality = app.confirmed_parent("mama@example.org").await;
        let registered = app.post("/api/v1/auth/register", app.registration("forgot@example.org", municipality)).await;
        assert_eq!(registered.status(), StatusCode::ACCEPTED);
        app.wait_for_link("forgot@example.org", "/confirm-email").await;
        let forgot = app.account_id("forgot@example.org").await;
        let registered = app.post("/api/v1/auth/register", app.registration("desk@example.org", municipality)).await;
        assert_eq!(registered.status(), StatusCode::ACCEPTED);
        app.wait_for_link("desk@example.org", "/confirm-email").await;
        let desk = app.account_id("desk@example.org").await;
        app.child_with_certificate(municipality, desk, 1, NaiveDate::from_ymd_opt(2016, 4, 12).unwrap(), "pending").await;
        let mama = app.account_id("mama@example.org").await;
        let (_, kept) = app.login("mama@example.org", PASSWORD).await;
        let (_, ended) = app.login("mama@example.org", PASSWORD).await;
        let logout = app.post("/api/v1/auth/logout", json!({ "refresh_token": ended })).await;
        assert_eq!(logout.status(), StatusCode::NO_CONTENT);
        let (exists, consents, links, _) = held(&app, forgot).await;
        assert!(exists && consents == 2 && links == 1, "the sign-up holds its consents and link");

        let now = app.state.config.clock.now();
        let settings = app.state.config.retention;
        assert_eq!(retain(&app, now).await, Report::default(), "nothing is old yet");

        // A day past the period: the unconfirmed account with nothing in it goes.
        let later = now + TimeDelta::days(i64::from(settings.unconfirmed_days) + 1);
        let report = retain(&app, later).await;
        assert_eq!(report.unconfirmed_accounts, 1);
        assert_eq!(held(&app, forgot).await, (false, 0, 0, 0));
        let (desk_kept, desk_consents, _, _) = held(&app, desk).await;
        assert!(desk_kept && desk_consents == 2, "an unconfirmed account holding a child stays");
        // Mama's used confirmation link and ended session go; her running session stays.
        assert_eq!((report.email_links, report.sessions), (1, 1));
        let (_, mama_consents, mama_links, mama_sessions) = held(&app, mama).await;
        assert_eq!((mama_consents, mama_links, mama_sessions), (2, 0, 1));
        let refreshed = app.post("/api/v1/auth/refresh", json!({ "refresh_token": kept })).await;
        assert_eq!(refreshed.status(), StatusCode::OK, "the running session still works");
        assert_eq!(report.sent_emails, 0, "the emails are younger than their period");
        assert_eq!(retain(&app, later).await, Report::default(), "a second pass finds nothing");

        // Past the mail's period the sent emails leave the outbox; the ones
        // waiting stay (one made to wait for a retry a year away).
        let retry = now + TimeDelta::days(365);
        let (sent, waiting) = app
            .state
            .db(move |c| {
                use outbox_emails as ob;
                diesel::update(ob::table.filter(ob::to_address.eq("desk@example.org")))
                    .set((ob::status.eq("pending"), ob::sent_at.eq(None::<NaiveDateTime>), ob::next_attempt_at.eq(retry)))
                    .execute(c)?;
                Ok::<_, diesel::result::Error>((
                    ob::table.filter(ob::status.eq("sent")).count().get_result::<i64>(c)?,
                    ob::table.filter(ob::status.eq("pending")).count().get_result::<i64>(c)?,
                ))
            })
            .await
            .unwrap();
        assert!(sent > 0 && waiting > 0);
        let mail_later = now + TimeDelta::days(i64::from(settings.sent_mail_days) + 1);
        assert_eq!(retain(&app, mail_later).await.sent_emails, usize::try_from(sent).unwrap());
        let left: i64 = app.state.db(|c| outbox_emails::table.count().get_result(c)).await.unwrap();
        assert_eq!(left, waiting, "only the waiting emails stay");

        // The removed address is free: the person can sign up again.
        let again = app.post("/api/v1/auth/register", app.registration("forgot@example.org", municipality)).await;
        assert_eq!(again.status(), StatusCode::ACCEPTED);
        let (status, body) = problem(app.post("/api/v1/auth/login", json!({ "email": "forgot@example.org", "password": PASSWORD })).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("email_not_confirmed")));
    }

    /// A confirmation at the last moment keeps the account: the removal
    /// checks again under the row's lock.
    async fn a_confirmed_account_is_never_removed(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let municipality = app.municipality("город Смоленск").await;
        let registered = app.post("/api/v1/auth/register", app.registration("late@example.org", municipality)).await;
        assert_eq!(registered.status(), StatusCode::ACCEPTED);
        let late = app.account_id("late@example.org").await;
        let later = app.state.config.clock.now() + TimeDelta::days(365);
        let found = app
            .state
            .db(move |c| navigator_api::accounts::repo::unconfirmed_before(c, later, 10))
            .await
            .unwrap();
        assert_eq!(found, vec![late]);
        let token = app.wait_for_link("late@example.org", "/confirm-email").await;
        let confirmed = app.post("/api/v1/auth/confirm-email", json!({ "token": token })).await;
        assert_eq!(confirmed.status(), StatusCode::OK);
        let removed = app.state.db(move |c| navigator_api::accounts::repo::remove_unconfirmed(c, late)).await.unwrap();
        assert!(!removed);
        assert!(held(&app, late).await.0);
        app.login("late@example.org", PASSWORD).await;
    }
}

both_backends! {
    /// A parent downloads everything held about the family: the record in
    /// full, the consents, the certificate with its money, the applications
    /// and who among the staff opened the record; as JSON and as a PDF.
    /// Nobody else gets it: another parent gets his own, staff 403.
    async fn a_parent_downloads_the_familys_data(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let municipality = app.confirmed_parent("mama@example.org").await;
        let (parent, _) = app.login("mama@example.org", PASSWORD).await;
        let point = app.organization(municipality, true).await;
        let staff = app.staff_of("staff@example.org", point).await;
        let created = app.send(Method::POST, "/api/v1/children", &parent, child(municipality, "Анна", "112-233-445 95")).await;
        assert_eq!(created.status(), StatusCode::CREATED);
        let child_id = created.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let consents = json!({ "consent_personal_data": true, "consent_rules": true });
        let certificate: Value = app
            .send(Method::POST, &format!("/api/v1/children/{child_id}/certificate"), &parent, consents)
            .await
            .json()
            .await
            .unwrap();
        let number = certificate["number"].as_str().unwrap().to_owned();
        let (_, group, _) = app.published_program((point, municipality), false, 10, 0).await;
        let applied = app.send(Method::POST, "/api/v1/applications", &parent, json!({ "child_id": child_id, "group_id": group })).await;
        assert_eq!(applied.status(), StatusCode::CREATED);
        let card = app.get(&format!("/api/v1/registry/certificates/{number}"), Some(&staff)).await;
        assert_eq!(card.status(), StatusCode::OK, "the desk opens the record");

        let response = app.get("/api/v1/me/data", Some(&parent)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let disposition = response.headers()["content-disposition"].to_str().unwrap().to_owned();
        assert!(disposition.starts_with("attachment; filename=\"navigator-") && disposition.ends_with(".json\""), "{disposition}");
        let data: Value = response.json().await.unwrap();
        assert_eq!(data["profile"]["email"], "mama@example.org");
        let given = data["consents"].as_array().unwrap();
        assert_eq!(given.len(), 4, "two at sign-up, two with the certificate request: {given:?}");
        assert!(given.iter().any(|c| c["child_id"] == child_id && c["kind"] == "personal_data"));
        let record = &data["children"][0];
        assert_eq!(data["children"].as_array().unwrap().len(), 1);
        assert_eq!(record["child"]["snils"], "112-233-445 95", "the family's own record is in full");
        assert_eq!(record["certificate"]["number"], number.as_str());
        assert_eq!(record["ledger"]["number"], number.as_str());
        assert_eq!(record["applications"].as_array().unwrap().len(), 1);
        assert_eq!(record["applications"][0]["program_title"], "Робототехника");
        let access = record["access"].as_array().unwrap();
        assert!(access.iter().any(|a| a["action"] == "view"), "the desk's view is listed: {access:?}");
        assert!(access.iter().any(|a| a["action"] == "apply"), "the family's application is listed: {access:?}");
        assert_eq!(record["guardians"]["you_hold"], true, "who acts for the child: {record}");
        let inbox: Value = app.get("/api/v1/me/messages?per_page=200", Some(&parent)).await.json().await.unwrap();
        assert_eq!(data["messages"].as_array().unwrap().len() as i64, inbox["total"].as_i64().unwrap());

        let response = app.get("/api/v1/me/data?format=pdf", Some(&parent)).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "application/pdf");
        let bytes = response.bytes().await.unwrap();
        let pdf = lopdf::Document::load_mem(&bytes).unwrap();
        let pages: Vec<u32> = pdf.get_pages().keys().copied().collect();
        let text = pdf.extract_text(&pages).unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in ["Семёнова", "112-233-445 95", &number, "Робототехника", "Просмотр", "Согласие на обработку"] {
            assert!(text.contains(expected), "the PDF lacks «{expected}»: {text}");
        }

        let (status, body) = problem(app.get("/api/v1/me/data?format=xml", Some(&parent)).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        let (status, body) = problem(app.get("/api/v1/me/data", Some(&staff)).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")));
        assert!(body["detail"].as_str().unwrap().contains("родителю"));
        let (status, _) = problem(app.get("/api/v1/me/data", None).await).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        another_parent(&app, "papa@example.org", municipality).await;
        let (other, _) = app.login("papa@example.org", PASSWORD).await;
        let theirs: Value = app.get("/api/v1/me/data", Some(&other)).await.json().await.unwrap();
        assert_eq!(theirs["children"], json!([]), "another family sees none of this one");
    }
}

both_backends! {
    /// A child who grew up is depersonalized once the retention period after
    /// the eighteenth birthday ran out (`RETENTION_ADULT_YEARS`), not a day
    /// before; the birth year stays for the statistics.
    async fn a_grown_up_record_is_depersonalized_after_the_retention_period(backend: Backend) {
        use chrono::Months;
        let app = TestApp::spawn(backend).await;
        let municipality = app.confirmed_parent("mama@example.org").await;
        let mama = app.account_id("mama@example.org").await;
        let years = 18 + app.state.config.retention.adult_years;
        let now = app.state.config.clock.now();
        let edge = now.date().checked_sub_months(Months::new(12 * years)).unwrap();
        let (due, _) = app.child_with_certificate(municipality, mama, 1, edge, "none").await;
        let (young, _) = app.child_with_certificate(municipality, mama, 2, edge + TimeDelta::days(1), "none").await;
        // A second guardian of the grown-up: his access ends with the data.
        let (parent, _) = app.login("mama@example.org", PASSWORD).await;
        let papa = app.account("papa@example.org", navigator_shared::accounts::Role::Parent).await;
        let invite = json!({ "email": "papa@example.org", "relationship": "father" });
        let invited = app.send(Method::POST, &format!("/api/v1/children/{due}/guardians"), &parent, invite).await;
        assert_eq!(invited.status(), StatusCode::CREATED);
        let token = app.wait_for_link("papa@example.org", "/guardians/accept").await;
        let accepted = app.send(Method::POST, "/api/v1/guardian-invitations/accept", &papa, json!({ "token": token })).await;
        assert_eq!(accepted.status(), StatusCode::OK);
        let report = retain(&app, now).await;
        assert_eq!(report.depersonalized_children, 1);
        let (status, _) = problem(app.get(&format!("/api/v1/children/{due}"), Some(&papa)).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "the guardian's access ended with the data");
        assert_eq!(retain(&app, now).await.depersonalized_children, 0, "once");
        let gone: Value = app.get(&format!("/api/v1/children/{due}"), Some(&parent)).await.json().await.unwrap();
        assert_eq!((gone["last_name"].as_str(), gone["snils"].as_str()), (Some("Обезличено"), Some("")), "{gone}");
        assert_eq!(gone["birth_date"].as_str().unwrap(), edge.format("%Y-01-01").to_string());
        let kept: Value = app.get(&format!("/api/v1/children/{young}"), Some(&parent)).await.json().await.unwrap();
        assert_eq!(kept["last_name"], "Петров", "a day younger stays: {kept}");
        assert!(kept["depersonalized_at"].is_null());
    }
}

both_backends! {
    /// Staff acting for a family — a desk adding a child, requesting the
    /// certificate, correcting the data; an organization applying for a
    /// visitor — tell the family each time, in-app and by email, with who
    /// did it; what the family does itself says nothing of the kind.
    async fn the_family_is_told_every_time_staff_act_for_it(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let municipality = app.confirmed_parent("mama@example.org").await;
        let mama = app.account_id("mama@example.org").await;
        let (parent, _) = app.login("mama@example.org", PASSWORD).await;
        let point = app.organization(municipality, true).await;
        let desk = app.staff_of("desk@example.org", point).await;
        let notices = || async {
            let inbox: Value = app.get("/api/v1/me/messages?per_page=200", Some(&parent)).await.json().await.unwrap();
            inbox["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|m| m["subject"] == "Действие от вашего имени в Навигаторе")
                .map(|m| m["body"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        };
        // The family's own child: no notice.
        let own = app.send(Method::POST, "/api/v1/children", &parent, child(municipality, "Анна", "112-233-445 95")).await;
        assert_eq!(own.status(), StatusCode::CREATED);
        assert!(notices().await.is_empty());

        let added = app.send(Method::POST, &format!("/api/v1/registry/parents/{mama}/children"), &desk, child(municipality, "Борис", "987-654-321 83")).await;
        assert_eq!(added.status(), StatusCode::CREATED);
        let boris = added.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let told = notices().await;
        assert_eq!(told.len(), 1, "{told:?}");
        assert!(told[0].contains("добавил(а) в вашу учётную запись данные ребёнка Борис") && told[0].contains("сотрудник организации Петрова Анна"), "{}", told[0]);
        assert!(told[0].contains("МБОУ"), "the workplace is named: {}", told[0]);
        let requested = app.send(Method::POST, &format!("/api/v1/registry/children/{boris}/certificate"), &desk, json!({})).await;
        assert!(requested.status().is_success());
        let number = requested.json::<Value>().await.unwrap()["number"].as_str().unwrap().to_owned();
        let corrected = app.send(Method::PATCH, &format!("/api/v1/registry/certificates/{number}/child"), &desk, json!({ "changes": { "middle_name": "Олегович" }, "reason": "сверено со свидетельством" })).await;
        assert_eq!(corrected.status(), StatusCode::OK, "{}", corrected.text().await.unwrap());
        let told = notices().await;
        assert_eq!(told.len(), 3, "{told:?}");
        assert!(told.iter().any(|t| t.contains("запросил(а) сертификат для ребёнка Борис")), "{told:?}");
        assert!(told.iter().any(|t| t.contains("исправил(а) данные ребёнка Борис (отчество): сверено со свидетельством")), "{told:?}");
        let queued: i64 = app
            .state
            .db(|c| {
                outbox_emails::table
                    .filter(outbox_emails::kind.eq("staff_acted"))
                    .filter(outbox_emails::to_address.eq("mama@example.org"))
                    .count()
                    .get_result(c)
            })
            .await
            .unwrap();
        assert_eq!(queued, 3, "and by email");

        // An organization applies for the visitor by the certificate number.
        let club = app.organization(municipality, false).await;
        let teacher = app.staff_of("teacher@example.org", club).await;
        app.state
            .db(move |c| {
                use diesel::prelude::*;
                use navigator_api::db::schema::certificates as k;
                diesel::update(k::table.filter(k::number.eq(number))).set(k::status.eq("active")).execute(c)
            })
            .await
            .unwrap();
        let (_, group, _) = app.published_program((club, municipality), false, 10, 0).await;
        let number = app.state.db(move |c| navigator_api::children::certificates::repo::of_child(c, navigator_shared::ids::ChildId(boris))).await.unwrap().unwrap().number;
        let applied = app.send(Method::POST, "/api/v1/applications", &teacher, json!({ "certificate_number": number, "group_id": group })).await;
        assert_eq!(applied.status(), StatusCode::CREATED, "{}", applied.text().await.unwrap());
        let inbox: Value = app.get("/api/v1/me/messages?per_page=200", Some(&parent)).await.json().await.unwrap();
        let submitted = inbox["items"].as_array().unwrap().iter().find(|m| m["subject"].as_str().unwrap().contains("Подана")).unwrap();
        assert!(submitted["body"].as_str().unwrap().contains("Заявку от вашего имени подал(а) сотрудник организации"), "{submitted}");
    }
}
