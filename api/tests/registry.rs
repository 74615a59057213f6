//! The activation desk and the operator's registry, on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod support;

use navigator_shared::accounts::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Backend, PASSWORD, TestApp, child, problem};

/// A family with a child and a pending certificate, staff of an activation
/// point and an operator, all in one municipality.
struct Desk {
    app: TestApp,
    parent: String,
    staff: String,
    operator: String,
    municipality: i64,
    number: String,
}

/// Adds a child and requests its certificate; returns the number.
async fn pending_certificate(app: &TestApp, parent: &str, body: Value) -> String {
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

impl Desk {
    async fn open(backend: Backend) -> Self {
        let app = TestApp::spawn(backend).await;
        let municipality = app.confirmed_parent("mama@example.org").await;
        let (parent, _) = app.login("mama@example.org", PASSWORD).await;
        let point = app.organization(municipality, true).await;
        let staff = app.staff_of("staff@example.org", point).await;
        let operator = app.operator_of("operator@example.org", municipality).await;
        let number = pending_certificate(&app, &parent, child(municipality, "Анна", "112-233-445 95")).await;
        Self { app, parent, staff, operator, municipality, number }
    }

    async fn post(&self, token: &str, action: &str, body: Value) -> reqwest::Response {
        let path = format!("/api/v1/registry/certificates/{}/{action}", self.number);
        self.app.send(Method::POST, &path, token, body).await
    }

    async fn status(&self) -> String {
        let list: Value = self.app.get("/api/v1/children", Some(&self.parent)).await.json().await.unwrap();
        list[0]["certificate"]["status"].as_str().unwrap().to_owned()
    }

    async fn wait_for_email(&self, text: &str) {
        let started = std::time::Instant::now();
        while !self.app.emails_to("mama@example.org").iter().any(|m| m.body.contains(text)) {
            assert!(started.elapsed().as_secs() < 10, "no email with «{text}»");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
}

both_backends! {
    /// The family sees what the desk has checked and what is still needed.
    async fn the_family_sees_what_the_desk_has_checked(backend: Backend) {
        let desk = Desk::open(backend).await;
        let app = &desk.app;
        let children: Value = app.get("/api/v1/children", Some(&desk.parent)).await.json().await.unwrap();
        let child = children[0]["id"].as_i64().unwrap();
        let certificate = |token: String| async move {
            app.get(&format!("/api/v1/children/{child}/certificate"), Some(&token)).await.json::<Value>().await.unwrap()
        };
        let before = certificate(desk.parent.clone()).await;
        assert!(before["data_confirmed_at"].is_null() && before["application_received_at"].is_null(), "{before}");
        assert_eq!(desk.post(&desk.staff, "confirm-data", json!({})).await.status(), StatusCode::OK);
        let after = certificate(desk.parent.clone()).await;
        let confirmed = after["data_confirmed_at"].as_str().expect("the confirmation is shown to the family");
        assert!(chrono::DateTime::parse_from_rfc3339(confirmed).is_ok(), "{confirmed}");
        assert!(after["application_received_at"].is_null(), "the application is still to sign: {after}");
    }

    /// A lapsed certificate is filed again by the family, a refused one by the
    /// desk: the same number, `pending` with a new deadline, the history kept.
    async fn a_lapsed_or_refused_certificate_is_filed_again_with_its_number(backend: Backend) {
        let desk = Desk::open(backend).await;
        let app = &desk.app;
        let children: Value = app.get("/api/v1/children", Some(&desk.parent)).await.json().await.unwrap();
        let child = children[0]["id"].as_i64().unwrap();
        let renew = format!("/api/v1/children/{child}/certificate/renewal");
        let (status, body) = problem(app.send(Method::POST, &renew, &desk.parent, json!({})).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("not_renewable")), "pending: {body}");

        let later = app.today() + chrono::TimeDelta::days(60);
        let lapsed = app.state.db(move |c| navigator_api::children::certificates::service::lapse_overdue(c, later)).await.unwrap();
        assert_eq!(lapsed, 1);
        assert_eq!(desk.status().await, "lapsed");
        desk.wait_for_email("Подать заново").await;
        let stranger = app.account("papa@example.org", Role::Parent).await;
        let (status, _) = problem(app.send(Method::POST, &renew, &stranger, json!({})).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let renewed = app.send(Method::POST, &renew, &desk.parent, json!({})).await;
        assert_eq!(renewed.status(), StatusCode::OK);
        let renewed: Value = renewed.json().await.unwrap();
        assert_eq!((renewed["number"].as_str(), renewed["status"].as_str()), (Some(desk.number.as_str()), Some("pending")));
        let due: chrono::NaiveDate = renewed["documents_due"].as_str().unwrap().parse().unwrap();
        assert!(due > app.today(), "a new deadline: {due}");

        // Refused at the desk, filed again there; both steps stay in the trail.
        assert_eq!(desk.post(&desk.staff, "refuse", json!({ "reason": "no_consent" })).await.status(), StatusCode::OK);
        let again = desk.post(&desk.staff, "renew", json!({})).await;
        assert_eq!(again.status(), StatusCode::OK);
        let card: Value = again.json().await.unwrap();
        assert_eq!(card["certificate"]["status"], "pending");
        assert!(card["certificate"]["reason"].is_null(), "the refusal is not carried: {card}");
        assert!(card["data_confirmed_at"].is_null());
        let trail: Value = app.get(&format!("/api/v1/registry/certificates/{}/audit", desk.number), Some(&desk.operator)).await.json().await.unwrap();
        let actions: Vec<&str> = trail.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions.iter().filter(|a| **a == "renew").count(), 2, "{trail}");
        assert!(actions.contains(&"refuse"), "{trail}");
        let (status, body) = problem(desk.post(&desk.staff, "renew", json!({})).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("not_renewable")));
    }

    /// Search → open → confirm → register the application → activate; the family is told.
    async fn the_activation_desk_activates_a_certificate(backend: Backend) {
        let desk = Desk::open(backend).await;
        let app = &desk.app;
        let found: Value = app.get(&format!("/api/v1/registry/certificates?number={}", desk.number), Some(&desk.staff)).await.json().await.unwrap();
        assert_eq!(found["total"], 1);
        assert_eq!(found["items"][0]["snils"], "***-***-*45 95", "masked in the list");
        let by_name: Value = app.get("/api/v1/registry/certificates?last_name=%20семенова&birth_date=2016-04-12", Some(&desk.staff)).await.json().await.unwrap();
        assert_eq!(by_name["items"][0]["number"], desk.number.as_str());
        let (status, body) = problem(app.get("/api/v1/registry/certificates", Some(&desk.staff)).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "staff cannot browse: {body}");
        let (status, _) = problem(app.get("/api/v1/registry/certificates?last_name=Семёнова", Some(&desk.staff)).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);

        let card: Value = app.get(&format!("/api/v1/registry/certificates/{}", desk.number), Some(&desk.staff)).await.json().await.unwrap();
        assert_eq!(card["child"]["snils"], "112-233-445 95");
        assert_eq!(card["applicant"]["email"], "mama@example.org");

        let (status, body) = problem(desk.post(&desk.staff, "activate", json!({})).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("checks_incomplete")));
        assert_eq!(desk.post(&desk.staff, "confirm-data", json!({})).await.status(), StatusCode::OK);
        assert_eq!(desk.post(&desk.staff, "application-received", json!({})).await.status(), StatusCode::OK);
        let activated: Value = desk.post(&desk.staff, "activate", json!({})).await.json().await.unwrap();
        assert_eq!(activated["certificate"]["status"], "active");
        assert!(activated["certificate"]["activated_at"].is_string());
        assert_eq!(desk.status().await, "active");
        desk.wait_for_email("активирован").await;
        let inbox: Value = app.get("/api/v1/me/messages", Some(&desk.parent)).await.json().await.unwrap();
        assert_eq!(inbox["items"][0]["subject"], format!("Сертификат № {} активирован", desk.number));
        assert_eq!(inbox["items"][0]["read"], false);
        let message = inbox["items"][0]["id"].as_i64().unwrap();
        let read = app.send(Method::POST, &format!("/api/v1/me/messages/{message}/read"), &desk.parent, json!({})).await;
        assert_eq!(read.status(), StatusCode::NO_CONTENT);
        let foreign = app.send(Method::POST, &format!("/api/v1/me/messages/{message}/read"), &desk.staff, json!({})).await;
        assert_eq!(foreign.status(), StatusCode::NOT_FOUND);
        let (status, _) = problem(desk.post(&desk.staff, "activate", json!({})).await).await;
        assert_eq!(status, StatusCode::CONFLICT, "twice");

        let trail: Value = app.get(&format!("/api/v1/registry/certificates/{}/audit", desk.number), Some(&desk.operator)).await.json().await.unwrap();
        let actions: Vec<&str> = trail.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        for action in ["view", "confirm_data", "application_received", "activate"] {
            assert!(actions.contains(&action), "{action} in {actions:?}");
        }
        assert_eq!(trail[0]["actor_name"], "Петрова Анна");
    }

    async fn only_activation_points_activate_and_families_stay_out(backend: Backend) {
        let desk = Desk::open(backend).await;
        let app = &desk.app;
        let school = app.organization(desk.municipality, false).await;
        let teacher = app.staff_of("teacher@example.org", school).await;
        let (status, body) = problem(desk.post(&teacher, "activate", json!({})).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("not_activation_point")));
        let search = app.get(&format!("/api/v1/registry/certificates?number={}", desk.number), Some(&teacher)).await;
        assert_eq!(search.status(), StatusCode::FORBIDDEN);
        let family = app.get(&format!("/api/v1/registry/certificates/{}", desk.number), Some(&desk.parent)).await;
        assert_eq!(family.status(), StatusCode::FORBIDDEN);
        // The desk does not exclude; the operator decides on the certificate.
        desk.post(&desk.staff, "confirm-data", json!({})).await;
        desk.post(&desk.staff, "application-received", json!({})).await;
        assert_eq!(desk.post(&desk.staff, "exclude", json!({ "reason": "applicant_request" })).await.status(), StatusCode::FORBIDDEN);
        assert_eq!(desk.status().await, "pending");
        assert_eq!(desk.post(&desk.operator, "activate", json!({})).await.status(), StatusCode::OK);
        assert_eq!(desk.status().await, "active");
    }

    /// A status the software does not know, found in a stored row, is an
    /// internal error: never read as a plausible status.
    async fn an_unknown_stored_status_is_an_error_not_a_guess(backend: Backend) {
        let desk = Desk::open(backend).await;
        let app = &desk.app;
        let number = desk.number.clone();
        app.state
            .db(move |c| {
                use diesel::RunQueryDsl;
                // The schema's CHECK refuses such a value: step around it, as a
                // damaged or hand-edited database would.
                let around = if c.is_sqlite() {
                    "PRAGMA ignore_check_constraints = ON"
                } else {
                    "ALTER TABLE certificates DROP CONSTRAINT certificates_status_check"
                };
                diesel::sql_query(around).execute(c)?;
                diesel::sql_query(format!("UPDATE certificates SET status = 'frozen' WHERE number = '{number}'")).execute(c)
            })
            .await
            .unwrap();
        let (status, body) =
            problem(app.get(&format!("/api/v1/registry/certificates/{}", desk.number), Some(&desk.operator)).await).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
        assert!(!body.to_string().contains("frozen"), "the stored value stays in the log: {body}");
    }

    /// The services read the server's clock: moved past the deadline for the
    /// documents, the pending certificate shows as overdue, and the
    /// housekeeping's lapse on that day ends it.
    async fn the_services_follow_the_servers_clock(backend: Backend) {
        let desk = Desk::open(backend).await;
        let app = &desk.app;
        let overdue = "/api/v1/registry/certificates?status=overdue";
        let list: Value = app.get(overdue, Some(&desk.operator)).await.json().await.unwrap();
        assert_eq!(list["total"], 0, "not overdue today: {list}");
        app.state.config.clock.advance(chrono::TimeDelta::days(60));
        let list: Value = app.get(overdue, Some(&desk.operator)).await.json().await.unwrap();
        assert_eq!(list["total"], 1, "sixty days later: {list}");
        assert_eq!(list["items"][0]["number"], desk.number.as_str());
        let today = app.today();
        let lapsed =
            app.state.db(move |c| navigator_api::children::certificates::service::lapse_overdue(c, today)).await.unwrap();
        assert_eq!(lapsed, 1);
        let card: Value =
            app.get(&format!("/api/v1/registry/certificates/{}", desk.number), Some(&desk.operator)).await.json().await.unwrap();
        assert_eq!(card["certificate"]["status"], "lapsed", "{card}");
    }

    async fn an_operator_works_only_in_their_municipality(backend: Backend) {
        let desk = Desk::open(backend).await;
        let app = &desk.app;
        let elsewhere = app.municipality("Вяземский район").await;
        let stranger = app.operator_of("vyazma@example.org", elsewhere).await;
        let (status, _) = problem(app.get(&format!("/api/v1/registry/certificates/{}", desk.number), Some(&stranger)).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let refused = desk.post(&stranger, "refuse", json!({ "reason": "no_consent" })).await;
        assert_eq!(refused.status(), StatusCode::NOT_FOUND);
        let theirs: Value = app.get("/api/v1/registry/certificates?status=pending", Some(&stranger)).await.json().await.unwrap();
        assert_eq!(theirs["total"], 0);
        let ours: Value = app.get("/api/v1/registry/certificates?status=pending", Some(&desk.operator)).await.json().await.unwrap();
        assert_eq!(ours["total"], 1);
        let overdue: Value = app.get("/api/v1/registry/certificates?status=overdue", Some(&desk.operator)).await.json().await.unwrap();
        assert_eq!(overdue["total"], 0);
        let (status, _) = problem(app.get("/api/v1/registry/certificates?status=whatever", Some(&desk.operator)).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }

    /// Every official refusal reason, and a decision cannot be taken twice.
    async fn each_refusal_reason_is_recorded_and_told(backend: Backend) {
        let desk = Desk::open(backend).await;
        let app = &desk.app;
        let reasons = [
            ("already_has_certificate", "уже есть сертификат"),
            ("incomplete_or_false_data", "неполные или недостоверные"),
            ("no_residence_in_region", "не проживает"),
            ("no_consent", "нет согласия"),
        ];
        let snils = ["987-654-321 83", "200-007-999 00", "300-005-999 00", "001-001-998 12"];
        for (n, ((reason, title), snils)) in reasons.iter().zip(snils).enumerate() {
            let name = ["Вера", "Лиза", "Нина", "Ольга"][n];
            let number = pending_certificate(app, &desk.parent, child(desk.municipality, name, snils)).await;
            let path = format!("/api/v1/registry/certificates/{number}/refuse");
            let card: Value = app.send(Method::POST, &path, &desk.staff, json!({ "reason": reason, "comment": "сверено" })).await.json().await.unwrap();
            assert_eq!(card["certificate"]["status"], "refused");
            assert_eq!(card["certificate"]["reason"], *reason);
            assert!(card["certificate"]["reason_title"].as_str().unwrap().contains(title));
            assert_eq!(card["certificate"]["comment"], "сверено");
            desk.wait_for_email(title).await;
            let again = app.send(Method::POST, &path, &desk.staff, json!({ "reason": reason })).await;
            assert_eq!(problem(again).await.1["code"], "wrong_status");
        }
        let unknown = desk.post(&desk.staff, "refuse", json!({ "reason": "because" })).await;
        assert_eq!(problem(unknown).await.0, StatusCode::BAD_REQUEST);
    }

    async fn an_operator_excludes_an_active_certificate_for_each_reason(backend: Backend) {
        let desk = Desk::open(backend).await;
        let app = &desk.app;
        let (status, body) = problem(desk.post(&desk.operator, "exclude", json!({ "reason": "applicant_request" })).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("wrong_status")), "pending cannot be excluded");

        let second = pending_certificate(app, &desk.parent, child(desk.municipality, "Вера", "987-654-321 83")).await;
        for (number, reason, title) in [
            (desk.number.clone(), "applicant_request", "письменное заявление"),
            (second, "moved_out_of_region", "смена места жительства"),
        ] {
            for action in ["confirm-data", "application-received", "activate"] {
                let path = format!("/api/v1/registry/certificates/{number}/{action}");
                assert_eq!(app.send(Method::POST, &path, &desk.staff, json!({})).await.status(), StatusCode::OK, "{action}");
            }
            let path = format!("/api/v1/registry/certificates/{number}/exclude");
            let card: Value = app.send(Method::POST, &path, &desk.operator, json!({ "reason": reason })).await.json().await.unwrap();
            assert_eq!((card["certificate"]["status"].as_str(), card["certificate"]["reason"].as_str()), (Some("excluded"), Some(reason)));
            desk.wait_for_email(title).await;
        }
    }

    /// Corrections keep old and new values (personal numbers masked) and the reason.
    async fn a_correction_is_audited_with_old_and_new_values(backend: Backend) {
        let desk = Desk::open(backend).await;
        let app = &desk.app;
        let path = format!("/api/v1/registry/certificates/{}/child", desk.number);
        let no_reason = app.send(Method::PATCH, &path, &desk.staff, json!({ "changes": { "middle_name": "Олеговна" }, "reason": "" })).await;
        assert!(problem(no_reason).await.1["errors"]["reason"].is_array());
        let bad = app.send(Method::PATCH, &path, &desk.staff, json!({ "changes": { "snils": "123" }, "reason": "опечатка" })).await;
        assert!(problem(bad).await.1["errors"]["snils"].is_array());

        let body = json!({ "changes": { "middle_name": "Олеговна-Мария", "snils": "987-654-321 83" }, "reason": "сверено со свидетельством" });
        let card: Value = app.send(Method::PATCH, &path, &desk.staff, body).await.json().await.unwrap();
        assert_eq!(card["child"]["middle_name"], "Олеговна-Мария");
        let trail: Value = app.get(&format!("/api/v1/registry/certificates/{}/audit", desk.number), Some(&desk.operator)).await.json().await.unwrap();
        let correction = trail.as_array().unwrap().iter().find(|e| e["action"] == "correct").unwrap();
        assert_eq!(correction["reason"], "сверено со свидетельством");
        assert_eq!(correction["changes"]["middle_name"], json!({ "old": "Олеговна", "new": "Олеговна-Мария" }));
        assert_eq!(correction["changes"]["snils"], json!({ "old": "***-***-*45 95", "new": "***-***-*21 83" }));
        let (status, _) = problem(app.get(&format!("/api/v1/registry/certificates/{}/audit", desk.number), Some(&desk.staff)).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "the trail is the operator's");
    }

    /// A visitor without an account: staff opens it, the parent sets a password from the email.
    async fn an_activation_point_registers_a_visiting_family(backend: Backend) {
        let desk = Desk::open(backend).await;
        let app = &desk.app;
        let visitor = json!({
            "email": "visitor@example.org", "phone": "8 912 111-22-33", "last_name": "Орлова",
            "first_name": "Нина", "middle_name": "", "municipality_id": desk.municipality,
        });
        let forbidden = app.send(Method::POST, "/api/v1/registry/parents", &desk.parent, visitor.clone()).await;
        assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
        let created = app.send(Method::POST, "/api/v1/registry/parents", &desk.staff, visitor.clone()).await;
        assert_eq!(created.status(), StatusCode::CREATED);
        let parent_id = created.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let again = app.send(Method::POST, "/api/v1/registry/parents", &desk.staff, visitor).await;
        assert_eq!(problem(again).await.1["code"], "account_exists");
        let cannot_login = app.post("/api/v1/auth/login", json!({ "email": "visitor@example.org", "password": "" })).await;
        assert_eq!(cannot_login.status(), StatusCode::BAD_REQUEST);

        let path = format!("/api/v1/registry/parents/{parent_id}/children");
        let added = app.send(Method::POST, &path, &desk.staff, child(desk.municipality, "Ира", "987-654-321 83")).await;
        assert_eq!(added.status(), StatusCode::CREATED);
        let child_id = added.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let issued = app.send(Method::POST, &format!("/api/v1/registry/children/{child_id}/certificate"), &desk.staff, json!({})).await;
        assert_eq!(issued.status(), StatusCode::CREATED);
        // Filed at the desk: no online consent, the desk takes it in writing.
        let number = issued.json::<Value>().await.unwrap()["number"].as_str().unwrap().to_owned();
        let card: Value = app.get(&format!("/api/v1/registry/certificates/{number}"), Some(&desk.staff)).await.json().await.unwrap();
        assert!(card["online_consent"].is_null(), "{card}");

        let token = app.wait_for_link("visitor@example.org", "/password-reset/confirm").await;
        let set = app.post("/api/v1/auth/password-reset/confirm", json!({ "token": token, "password": "my own password 1" })).await;
        assert_eq!(set.status(), StatusCode::OK);
        let (access, _) = app.login("visitor@example.org", "my own password 1").await;
        let family: Value = app.get("/api/v1/children", Some(&access)).await.json().await.unwrap();
        assert_eq!(family[0]["certificate"]["status"], "pending");
    }

    async fn an_operator_opens_staff_accounts_and_moves_a_child_between_families(backend: Backend) {
        let desk = Desk::open(backend).await;
        let app = &desk.app;
        let school = app.organization(desk.municipality, true).await;
        let elsewhere = app.municipality("Вяземский район").await;
        let far_school = app.organization(elsewhere, true).await;
        let invite = |org: i64, email: &str| json!({
            "email": email, "phone": "+74812000001", "last_name": "Кузнецов", "first_name": "Иван",
            "municipality_id": desk.municipality, "organization_id": org,
        });
        let far = app.send(Method::POST, "/api/v1/registry/staff", &desk.operator, invite(far_school, "far@example.org")).await;
        assert_eq!(far.status(), StatusCode::NOT_FOUND);
        let by_staff = app.send(Method::POST, "/api/v1/registry/staff", &desk.staff, invite(school, "x@example.org")).await;
        assert_eq!(by_staff.status(), StatusCode::FORBIDDEN);
        let created = app.send(Method::POST, "/api/v1/registry/staff", &desk.operator, invite(school, "new.staff@example.org")).await;
        assert_eq!(created.status(), StatusCode::CREATED);
        let token = app.wait_for_link("new.staff@example.org", "/password-reset/confirm").await;
        app.post("/api/v1/auth/password-reset/confirm", json!({ "token": token, "password": "staff password 12" })).await;
        let (staff, _) = app.login("new.staff@example.org", "staff password 12").await;
        let found = app.get(&format!("/api/v1/registry/certificates?number={}", desk.number), Some(&staff)).await;
        assert_eq!(found.status(), StatusCode::OK);

        let other_family = app.account("papa@example.org", Role::Parent).await;
        let list: Value = app.get("/api/v1/children", Some(&desk.parent)).await.json().await.unwrap();
        let child_id = list[0]["id"].as_i64().unwrap();
        // Papa is the child's guardian first: moved into his account, the child is his once.
        let invite = json!({ "email": "papa@example.org", "relationship": "father" });
        let invited = app.send(Method::POST, &format!("/api/v1/children/{child_id}/guardians"), &desk.parent, invite).await;
        assert_eq!(invited.status(), StatusCode::CREATED);
        let token = app.wait_for_link("papa@example.org", "/guardians/accept").await;
        let accepted = app.send(Method::POST, "/api/v1/guardian-invitations/accept", &other_family, json!({ "token": token })).await;
        assert_eq!(accepted.status(), StatusCode::OK);
        let path = format!("/api/v1/registry/children/{child_id}/move");
        let no_reason = app.send(Method::POST, &path, &desk.operator, json!({ "email": "papa@example.org" })).await;
        assert_eq!(no_reason.status(), StatusCode::BAD_REQUEST);
        let moved = app.send(Method::POST, &path, &desk.operator, json!({ "email": "papa@example.org", "reason": "дубль учётной записи" })).await;
        assert_eq!(moved.status(), StatusCode::OK);
        let theirs: Value = app.get("/api/v1/children", Some(&other_family)).await.json().await.unwrap();
        assert_eq!(theirs.as_array().unwrap().len(), 1, "held, no longer guarded: {theirs}");
        assert_eq!(theirs[0]["certificate"]["number"], desk.number.as_str());
        assert!(theirs[0]["relationship"].is_null(), "{theirs}");
        let guardians: Value = app.get(&format!("/api/v1/children/{child_id}/guardians"), Some(&other_family)).await.json().await.unwrap();
        assert_eq!((guardians["you_hold"].as_bool(), guardians["guardians"].as_array().map(Vec::len)), (Some(true), Some(0)));
        let ours: Value = app.get("/api/v1/children", Some(&desk.parent)).await.json().await.unwrap();
        assert!(ours.as_array().unwrap().is_empty());
        let trail: Value = app.get(&format!("/api/v1/registry/certificates/{}/audit", desk.number), Some(&desk.operator)).await.json().await.unwrap();
        assert!(trail.as_array().unwrap().iter().any(|e| e["action"] == "move" && e["reason"] == "дубль учётной записи"));
    }

    /// The three forms open as PDF and carry the child's data in readable Cyrillic.
    async fn the_forms_print_as_pdf_with_the_childs_data(backend: Backend) {
        let desk = Desk::open(backend).await;
        let app = &desk.app;
        // The family gave no passport or address online: the desk is told what to write in by hand.
        let card: Value = app.get(&format!("/api/v1/registry/certificates/{}", desk.number), Some(&desk.staff)).await.json().await.unwrap();
        assert_eq!(card["applicant"]["missing_for_forms"], json!(["паспорт", "адрес"]), "{card}");
        for form in ["application", "consent", "extract"] {
            let path = format!("/api/v1/registry/certificates/{}/documents/{form}.pdf", desk.number);
            let response = app.get(&path, Some(&desk.staff)).await;
            assert_eq!(response.status(), StatusCode::OK, "{form}");
            assert_eq!(response.headers()["content-type"], "application/pdf");
            // Files are named by the form and the certificate, never by a random id.
            let stem = match form { "application" => "zayavlenie", "consent" => "soglasie", _ => "vypiska" };
            let disposition = response.headers()["content-disposition"].to_str().unwrap().to_owned();
            assert!(disposition.contains(&format!("{stem}-{}.pdf", desk.number)), "{disposition}");
            let bytes = response.bytes().await.unwrap();
            assert!(bytes.starts_with(b"%PDF"));
            let pdf = lopdf::Document::load_mem(&bytes).unwrap();
            let pages: Vec<u32> = pdf.get_pages().keys().copied().collect();
            let text = pdf.extract_text(&pages).unwrap();
            let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
            for expected in ["Семёнова Анна Олеговна", "12.04.2016", desk.number.as_str()] {
                assert!(flat.contains(expected), "{form} lacks {expected}: {flat}");
            }
            if form != "extract" {
                assert!(flat.contains("112-233-445 95"), "{form} lacks the SNILS: {flat}");
                // The parent's passport was not given online: a line to fill in by hand, not «не указан».
                assert!(flat.contains("______"), "{form} has no line for the passport: {flat}");
                assert!(!flat.contains("не указан"), "{form}: {flat}");
            }

            let family = app.get(&path, Some(&desk.parent)).await;
            assert_eq!(family.status(), StatusCode::FORBIDDEN);
        }
        let unknown = app.get(&format!("/api/v1/registry/certificates/{}/documents/passport.pdf", desk.number), Some(&desk.staff)).await;
        assert_eq!(problem(unknown).await.0, StatusCode::NOT_FOUND);
        let trail: Value = app.get(&format!("/api/v1/registry/certificates/{}/audit", desk.number), Some(&desk.operator)).await.json().await.unwrap();
        assert_eq!(trail.as_array().unwrap().iter().filter(|e| e["action"] == "print").count(), 3);
    }

    /// The desk enters the applicant's passport and address from the paper
    /// documents: every field required, errors on their fields, the forms
    /// then print them, the trail keeps the change with the number masked.
    async fn the_desk_enters_the_applicants_passport_before_printing(backend: Backend) {
        let desk = Desk::open(backend).await;
        let app = &desk.app;
        let path = format!("/api/v1/registry/certificates/{}", desk.number);
        let (status, body) = problem(app.send(Method::PUT, &format!("{path}/applicant"), &desk.staff, json!({
            "passport_series": "", "passport_number": "12", "passport_issued_by": "", "passport_issued_at": null, "address": " ",
        })).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        for field in ["passport_series", "passport_issued_by", "passport_issued_at", "address"] {
            assert!(body["errors"][field][0].as_str().is_some_and(|m| m.starts_with("Укажите")), "{field}: {body}");
        }
        let (status, body) = problem(app.send(Method::PUT, &format!("{path}/applicant"), &desk.staff, json!({
            "passport_series": "66", "passport_number": "12", "passport_issued_by": "УМВД России по Смоленской области",
            "passport_issued_at": "2015-05-05", "address": "г. Смоленск, ул. Ленина, д. 1, кв. 5",
        })).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["passport_series"].is_array() && body["errors"]["passport_number"].is_array(), "{body}");
        let still: Value = app.get(&path, Some(&desk.staff)).await.json().await.unwrap();
        assert_eq!(still["applicant"]["missing_for_forms"], json!(["паспорт", "адрес"]), "a refused entry changes nothing");

        let passport = json!({
            "passport_series": "66 01", "passport_number": "123456", "passport_issued_by": "УМВД России по Смоленской области",
            "passport_issued_at": "2015-05-05", "address": "г. Смоленск, ул. Ленина, д. 1, кв. 5",
        });
        let filled = app.send(Method::PUT, &format!("{path}/applicant"), &desk.staff, passport.clone()).await;
        assert_eq!(filled.status(), StatusCode::OK);
        let card: Value = filled.json().await.unwrap();
        assert_eq!(card["applicant"]["missing_for_forms"], json!([]), "{card}");
        let pdf = app.get(&format!("{path}/documents/application.pdf"), Some(&desk.staff)).await.bytes().await.unwrap();
        let pdf = lopdf::Document::load_mem(&pdf).unwrap();
        let text = pdf.extract_text(&pdf.get_pages().keys().copied().collect::<Vec<_>>()).unwrap();
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("123456") && flat.contains("ул. Ленина"), "{flat}");
        // The family sees the same data in its profile.
        let profile: Value = app.get("/api/v1/me", Some(&desk.parent)).await.json().await.unwrap();
        assert_eq!(profile["passport_number"], "123456", "{profile}");
        // Entering the same again writes no second entry.
        app.send(Method::PUT, &format!("{path}/applicant"), &desk.staff, passport).await;
        let trail: Value = app.get(&format!("{path}/audit"), Some(&desk.operator)).await.json().await.unwrap();
        let corrections: Vec<&Value> = trail.as_array().unwrap().iter().filter(|e| e["action"] == "correct").collect();
        assert_eq!(corrections.len(), 1, "{trail}");
        let changes = corrections[0]["changes"].to_string();
        assert!(changes.contains("****56") && !changes.contains("123456"), "{changes}");
    }
}

both_backends! {
    /// Seed 001: where the region keeps the decision with the operator, the
    /// point checks and registers, the operator's queue has the record with a
    /// three-working-day deadline, and only the operator activates or refuses.
    async fn where_the_region_keeps_the_decision_the_operator_decides_within_the_deadline(backend: Backend) {
        let desk = Desk::open(backend).await;
        let app = &desk.app;
        let admin = app.account("admin@example.org", Role::Admin).await;
        assert_eq!(app.set_region(&admin, json!({ "confirmation_by": "operator" })).await.status(), StatusCode::OK);

        let card: Value = desk.post(&desk.staff, "confirm-data", json!({})).await.json().await.unwrap();
        assert!(card["certificate"]["decision_due"].is_null(), "the package is not complete yet: {card}");
        let card: Value = desk.post(&desk.staff, "application-received", json!({})).await.json().await.unwrap();
        assert_eq!(card["may_decide"], false, "{card}");
        let today = app.today();
        let expected = app
            .state
            .db(move |c| navigator_api::calendar::repo::load(c, today).map(|cal| cal.add_working_days(today, 3)))
            .await
            .unwrap();
        assert_eq!(card["certificate"]["decision_due"], json!(expected), "{card}");

        for action in ["activate", "refuse"] {
            let (status, body) = problem(desk.post(&desk.staff, action, json!({ "reason": "no_consent" })).await).await;
            assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("operator_confirms")), "{action}: {body}");
        }
        // Complete documents wait for the operator: they do not lapse.
        let later = today + chrono::TimeDelta::days(60);
        let lapsed = app.state.db(move |c| navigator_api::children::certificates::service::lapse_overdue(c, later)).await.unwrap();
        assert_eq!(lapsed, 0);

        let queue: Value = app.get("/api/v1/registry/certificates?status=awaiting_decision", Some(&desk.operator)).await.json().await.unwrap();
        assert_eq!(queue["total"], 1, "{queue}");
        assert_eq!(queue["items"][0]["number"], desk.number.as_str());
        assert_eq!(queue["items"][0]["decision_due"], json!(expected));
        let card: Value = desk.post(&desk.operator, "activate", json!({})).await.json().await.unwrap();
        assert_eq!(card["certificate"]["status"], "active", "{card}");
        let queue: Value = app.get("/api/v1/registry/certificates?status=awaiting_decision", Some(&desk.operator)).await.json().await.unwrap();
        assert_eq!(queue["total"], 0, "a decided record leaves the queue");
        desk.wait_for_email(&desk.number).await;
    }

    /// Seed 004: «если Вы уполномочены осуществлять подтверждение сертификатов»:
    /// a point without that right registers the documents but does not decide.
    async fn a_point_not_authorised_to_confirm_leaves_the_decision_to_the_operator(backend: Backend) {
        let desk = Desk::open(backend).await;
        let app = &desk.app;
        let point = app.activation_point(desk.municipality, true, false, true).await;
        let clerk = app.staff_of("clerk@example.org", point).await;
        assert_eq!(desk.post(&clerk, "confirm-data", json!({})).await.status(), StatusCode::OK);
        let card: Value = desk.post(&clerk, "application-received", json!({})).await.json().await.unwrap();
        assert_eq!((card["may_decide"].as_bool(), card["personal_data_hidden"].as_bool()), (Some(false), Some(false)));
        let (status, body) = problem(desk.post(&clerk, "activate", json!({})).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("operator_confirms")));
        // The authorised point of the same municipality still decides.
        let card: Value = desk.post(&desk.staff, "activate", json!({})).await.json().await.unwrap();
        assert_eq!(card["certificate"]["status"], "active");
    }

    /// Seed 004: access to the personal data is a right of its own. A point
    /// without it sees the documents and СНИЛС masked, cannot correct or print
    /// them; each opening is audited with what was shown.
    async fn a_point_without_personal_data_access_sees_the_record_masked(backend: Backend) {
        let desk = Desk::open(backend).await;
        let app = &desk.app;
        let point = app.activation_point(desk.municipality, true, true, false).await;
        let clerk = app.staff_of("clerk@example.org", point).await;
        let path = format!("/api/v1/registry/certificates/{}", desk.number);
        let card: Value = app.get(&path, Some(&clerk)).await.json().await.unwrap();
        assert_eq!(card["personal_data_hidden"], true, "{card}");
        let snils = card["child"]["snils"].as_str().unwrap();
        assert!(snils.contains('*') && !snils.contains("112-233"), "{snils}");
        assert!(card["child"]["document_number"].as_str().unwrap().contains('*'), "{card}");
        let full: Value = app.get(&path, Some(&desk.staff)).await.json().await.unwrap();
        assert_eq!((full["personal_data_hidden"].as_bool(), full["child"]["snils"].as_str()), (Some(false), Some("112-233-445 95")));

        let correction = json!({ "changes": { "middle_name": "Петровна" }, "reason": "сверено со свидетельством" });
        let (status, body) = problem(app.send(Method::PATCH, &format!("{path}/child"), &clerk, correction).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("no_personal_data_access")));
        let print = app.get(&format!("{path}/documents/application.pdf"), Some(&clerk)).await;
        assert_eq!(print.status(), StatusCode::FORBIDDEN);
        let passport = json!({ "passport_series": "6601", "passport_number": "123456", "passport_issued_by": "УМВД",
            "passport_issued_at": "2015-05-05", "address": "г. Смоленск, ул. Ленина, д. 1" });
        let (status, body) = problem(app.send(Method::PUT, &format!("{path}/applicant"), &clerk, passport).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("no_personal_data_access")));
        // It still checks the paper against the documents and decides.
        for action in ["confirm-data", "application-received", "activate"] {
            assert_eq!(desk.post(&clerk, action, json!({})).await.status(), StatusCode::OK, "{action}");
        }
        let trail: Value = app.get(&format!("{path}/audit"), Some(&desk.operator)).await.json().await.unwrap();
        let views: Vec<&str> = trail.as_array().unwrap().iter().filter(|e| e["action"] == "view").map(|e| e["reason"].as_str().unwrap()).collect();
        assert!(views.contains(&"персональные данные скрыты") && views.contains(&"персональные данные полностью"), "{views:?}");
    }

    /// The admin's region settings: only the admin, errors on their fields,
    /// each change audited, and the code follows them (age range, deadline).
    async fn the_admin_sets_the_region_and_the_rules_follow(backend: Backend) {
        let desk = Desk::open(backend).await;
        let app = &desk.app;
        let admin = app.account("admin@example.org", Role::Admin).await;
        let (status, body) = problem(app.set_region(&desk.operator, json!({ "documents_days": 10 })).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("admin_only")));
        let bad = json!({ "name": " ", "child_age_min": 1, "child_age_max": 30, "documents_days": 0, "academic_year": 1999 });
        let (status, body) = problem(app.set_region(&admin, bad).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        for field in ["name", "child_age_min", "child_age_max", "documents_days", "academic_year"] {
            assert!(body["errors"][field].is_array(), "{field}: {body}");
        }
        let wrong = app.set_region(&admin, json!({ "confirmation_by": "school" })).await;
        assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);

        let settings: Value = app.set_region(&admin, json!({ "documents_days": 12, "child_age_max": 17 })).await.json().await.unwrap();
        assert_eq!((settings["documents_days"].as_i64(), settings["child_age_max"].as_i64()), (Some(12), Some(17)));
        let region: Value = app.get("/api/v1/region", None).await.json().await.unwrap();
        assert_eq!(region["documents_days"], 12);

        let today = app.today();
        let number = pending_certificate(app, &desk.parent, child(desk.municipality, "Вера", "987-654-321 83")).await;
        let card: Value = app.get(&format!("/api/v1/registry/certificates/{number}"), Some(&desk.operator)).await.json().await.unwrap();
        let expected = app
            .state
            .db(move |c| navigator_api::calendar::repo::load(c, today).map(|cal| cal.add_working_days(today, 12)))
            .await
            .unwrap();
        assert_eq!(card["certificate"]["documents_due"], json!(expected));

        // A child of 17 is not taken once the region says «до 17 лет».
        let mut seventeen = child(desk.municipality, "Олег", "200-007-999 00");
        seventeen["birth_date"] = json!(today - chrono::TimeDelta::days(17 * 366));
        let (status, body) = problem(app.send(Method::POST, "/api/v1/children", &desk.parent, seventeen).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["birth_date"].is_array(), "{body}");

        let audited = app
            .state
            .db(|c| {
                use diesel::prelude::*;
                use navigator_api::db::schema::audit_log;
                audit_log::table.filter(audit_log::action.eq("settings")).select(audit_log::changes).load::<Option<String>>(c)
            })
            .await
            .unwrap();
        assert_eq!(audited.len(), 1, "{audited:?}");
        let changes: Value = serde_json::from_str(audited[0].as_deref().unwrap()).unwrap();
        assert_eq!(changes["documents_days"], json!({ "old": 7, "new": 12 }), "{changes}");
    }
}

/// Writes `value` into `table.column` of every row past its CHECK constraint,
/// as a row written by another version of the software would be.
async fn corrupt(app: &TestApp, backend: Backend, table: &'static str, column: &'static str, value: &'static str) {
    app.state
        .db(move |c| {
            use diesel::RunQueryDsl;
            match backend {
                Backend::Sqlite => diesel::sql_query("PRAGMA ignore_check_constraints = ON").execute(c)?,
                Backend::Postgres => {
                    diesel::sql_query(format!("ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {table}_{column}_check"))
                        .execute(c)?
                }
            };
            let updated = diesel::sql_query(format!("UPDATE {table} SET {column} = '{value}'")).execute(c)?;
            if backend == Backend::Sqlite {
                diesel::sql_query("PRAGMA ignore_check_constraints = OFF").execute(c)?;
            }
            Ok::<_, diesel::result::Error>(updated)
        })
        .await
        .unwrap();
}

both_backends! {
    /// A stored status, sex or document type the software does not know is an
    /// internal error (500 problem+json), never shown as `pending`, `female`
    /// or a birth certificate.
    async fn a_corrupt_row_is_an_error_not_plausible_data(backend: Backend) {
        for (table, column, value) in [
            ("certificates", "status", "zzz"),
            ("children", "sex", "x"),
            ("children", "document_type", "scroll"),
        ] {
            let desk = Desk::open(backend).await;
            let app = &desk.app;
            corrupt(app, backend, table, column, value).await;
            for (path, token) in [
                ("/api/v1/children".to_owned(), &desk.parent),
                (format!("/api/v1/registry/certificates/{}", desk.number), &desk.staff),
            ] {
                let response = app.get(&path, Some(token)).await;
                assert_eq!(response.headers()["content-type"], "application/problem+json", "{table}.{column} at {path}");
                let (status, body) = problem(response).await;
                assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{table}.{column} at {path}: {body}");
            }
        }
        // An organization's kind or status is not guessed either.
        for (column, value) in [("kind", "castle"), ("status", "asleep")] {
            let desk = Desk::open(backend).await;
            let app = &desk.app;
            let organization = app.organization(desk.municipality, true).await;
            corrupt(app, backend, "organizations", column, value).await;
            let (status, body) = problem(app.get(&format!("/api/v1/organizations/{organization}"), None).await).await;
            assert!(
                status == StatusCode::INTERNAL_SERVER_ERROR || (column == "status" && status == StatusCode::NOT_FOUND),
                "organizations.{column}: {status} {body}"
            );
        }
    }

    /// The funding credit that cannot be posted answers 409 with its reason.
    async fn a_credit_that_cannot_be_posted_is_a_conflict_with_its_reason(backend: Backend) {
        let desk = Desk::open(backend).await;
        let app = &desk.app;
        let admin = app.account("admin@example.org", Role::Admin).await;
        let year = app.today().format("%Y").to_string().parse::<i32>().unwrap();
        let period = json!({
            "municipality_id": desk.municipality, "year": year, "nominal": 1_000_000, "max_certificates": 10,
            "max_volume": 10_000_000, "starts_on": format!("{year}-01-01"), "ends_on": format!("{year}-12-31"),
        });
        assert_eq!(app.send(Method::POST, "/api/v1/funding-periods", &admin, period).await.status(), StatusCode::CREATED);
        for action in ["confirm-data", "application-received", "activate"] {
            assert_eq!(desk.post(&desk.staff, action, json!({})).await.status(), StatusCode::OK, "{action}");
        }
        let children: Value = app.get("/api/v1/children", Some(&desk.parent)).await.json().await.unwrap();
        let child = children[0]["id"].as_i64().unwrap();
        let path = format!("/api/v1/children/{child}/certificate/funding-requests");
        let request: Value = app.send(Method::POST, &path, &desk.parent, json!({})).await.json().await.unwrap();
        let id = request["id"].as_i64().unwrap();
        let links = app.state.links();
        let outcome = app
            .state
            .db(move |c| {
                use navigator_api::funding::{repo, service};
                let request = repo::find_request(c, id)?.unwrap();
                let mut period = repo::find_period(c, request.period_id)?.unwrap();
                period.nominal = 0; // a nominal the ledger cannot post
                Ok::<_, navigator_api::error::ApiError>(service::credit(c, &links, 1, &request, &period))
            })
            .await
            .unwrap();
        match outcome {
            Err(navigator_api::error::ApiError::Conflict { code, detail }) => {
                assert_eq!(code, navigator_shared::ErrorCode::CreditNotPosted);
                assert!(detail.contains("не зачислен"), "{detail}");
            }
            other => panic!("expected a conflict, got {other:?}"),
        }
    }
}

both_backends! {
    /// Seed 004: «Галочки должен поставить Заявитель!». The certificate request
    /// needs both consents ticked; they are kept with the version and the
    /// time, the desk sees them, and the printed consent names every operator
    /// of personal data (seeds 001, 002).
    async fn the_applicant_consents_online_and_the_desk_sees_it(backend: Backend) {
        let desk = Desk::open(backend).await;
        let app = &desk.app;
        let response = app.send(Method::POST, "/api/v1/children", &desk.parent, child(desk.municipality, "Вера", "987-654-321 83")).await;
        let id = response.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let path = format!("/api/v1/children/{id}/certificate");
        let (status, body) = problem(app.send(Method::POST, &path, &desk.parent, json!({ "consent_rules": true })).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["consent_personal_data"].is_array() && body["errors"]["consent_rules"].is_null(), "{body}");
        let children: Value = app.get("/api/v1/children", Some(&desk.parent)).await.json().await.unwrap();
        assert!(children.as_array().unwrap().iter().any(|c| c["id"] == id && c["certificate"].is_null()), "nothing issued without consent");

        let card: Value = app.get(&format!("/api/v1/registry/certificates/{}", desk.number), Some(&desk.staff)).await.json().await.unwrap();
        assert_eq!(card["online_consent"]["version"], navigator_shared::consent::VERSION, "{card}");
        assert!(card["online_consent"]["given_at"].is_string());
        // The registration's consents are kept too.
        let kept = app
            .state
            .db(|c| {
                use diesel::prelude::*;
                use navigator_api::db::schema::consents;
                consents::table.filter(consents::child_id.is_null()).count().get_result::<i64>(c)
            })
            .await
            .unwrap();
        assert_eq!(kept, 2, "personal data and rules at registration");

        let consent = app.get(&format!("/api/v1/registry/certificates/{}/documents/consent.pdf", desk.number), Some(&desk.staff)).await;
        let bytes = consent.bytes().await.unwrap();
        let pdf = lopdf::Document::load_mem(&bytes).unwrap();
        let pages: Vec<u32> = pdf.get_pages().keys().copied().collect();
        let text = pdf.extract_text(&pages).unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
        for operator in ["региональному модельному центру", "муниципальному опорному центру", "поставщикам образовательных услуг", "органу управления образованием"] {
            assert!(text.contains(operator), "the consent lacks {operator}: {text}");
        }
    }
}

both_backends! {
    /// The admin's municipalities: add, rename, the population of children
    /// 5–18 by year; only the admin, errors on their fields, names unique
    /// without case, page 2 of the list, every change audited.
    async fn the_admin_keeps_the_municipalities_and_their_children_population(backend: Backend) {
        let desk = Desk::open(backend).await;
        let app = &desk.app;
        let admin = app.account("admin@example.org", Role::Admin).await;
        let before: Value = app.get("/api/v1/municipalities", None).await.json().await.unwrap();
        let before = before["total"].as_i64().unwrap();
        let (status, body) = problem(app.send(Method::POST, "/api/v1/municipalities", &desk.operator, json!({ "name": "Кардымовский район" })).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("admin_only")));
        let (status, body) = problem(app.send(Method::POST, "/api/v1/municipalities", &admin, json!({ "name": " " })).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["name"].is_array(), "{body}");
        let created = app.send(Method::POST, "/api/v1/municipalities", &admin, json!({ "name": "Кардымовский район" })).await;
        assert_eq!(created.status(), StatusCode::CREATED);
        let id = created.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let (status, body) = problem(app.send(Method::POST, "/api/v1/municipalities", &admin, json!({ "name": "КАРДЫМОВСКИЙ район" })).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("municipality_exists")));
        let other = app.send(Method::POST, "/api/v1/municipalities", &admin, json!({ "name": "Ельнинский район" })).await;
        let other = other.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

        let renamed: Value = app.send(Method::PATCH, &format!("/api/v1/municipalities/{id}"), &admin, json!({ "name": "Кардымовский муниципальный округ" })).await.json().await.unwrap();
        assert_eq!(renamed["name"], "Кардымовский муниципальный округ");
        assert!(renamed["center"].is_null(), "{renamed}");
        // Its centre: where the catalog map writes its name; a rename alone keeps it.
        let path = format!("/api/v1/municipalities/{id}");
        let (status, body) = problem(app.send(Method::PATCH, &path, &admin, json!({ "name": "Кардымовский муниципальный округ", "center": [95.0, 32.9] })).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["lat"].is_array() && body["errors"]["lon"].is_null(), "{body}");
        let placed: Value = app.send(Method::PATCH, &path, &admin, json!({ "name": "Кардымовский муниципальный округ", "center": [54.89, 32.43] })).await.json().await.unwrap();
        assert_eq!(placed["center"], json!([54.89, 32.43]));
        let kept: Value = app.send(Method::PATCH, &path, &admin, json!({ "name": "Кардымовский муниципальный округ" })).await.json().await.unwrap();
        assert_eq!(kept["center"], json!([54.89, 32.43]));
        let (status, _) = problem(app.send(Method::PATCH, &format!("/api/v1/municipalities/{other}"), &admin, json!({ "name": "кардымовский муниципальный округ" })).await).await;
        assert_eq!(status, StatusCode::CONFLICT);
        let (status, _) = problem(app.send(Method::PATCH, "/api/v1/municipalities/999999", &admin, json!({ "name": "Нет такого" })).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        let population = |year: i32, children: i64| {
            let (admin, path) = (admin.clone(), format!("/api/v1/municipalities/{id}/population/{year}"));
            async move { app.send(Method::PUT, &path, &admin, json!({ "children": children })).await }
        };
        let (status, body) = problem(population(2026, -1).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["children"].is_array(), "{body}");
        let (_, body) = problem(population(1999, 10).await).await;
        assert!(body["errors"]["year"].is_array(), "{body}");
        let set: Value = population(2026, 4_321).await.json().await.unwrap();
        assert_eq!((set["children_population"].as_i64(), set["population_year"].as_i64()), (Some(4_321), Some(2026)));
        population(2026, 4_400).await;
        let earlier: Value = population(2025, 4_000).await.json().await.unwrap();
        assert_eq!((earlier["children_population"].as_i64(), earlier["population_year"].as_i64()), (Some(4_400), Some(2026)), "the latest year is shown");

        let total = before + 2;
        let first: Value = app.get(&format!("/api/v1/municipalities?page=1&per_page={}", total - 1), None).await.json().await.unwrap();
        let second: Value = app.get(&format!("/api/v1/municipalities?page=2&per_page={}", total - 1), None).await.json().await.unwrap();
        assert_eq!(first["total"], total);
        assert_eq!(second["items"].as_array().unwrap().len(), 1, "{second}");
        assert_ne!(first["items"][0]["id"], second["items"][0]["id"]);

        let audited = app
            .state
            .db(|c| {
                use diesel::prelude::*;
                use navigator_api::db::schema::audit_log;
                audit_log::table.filter(audit_log::action.eq("settings")).count().get_result::<i64>(c)
            })
            .await
            .unwrap();
        assert_eq!(audited, 7, "two added, one renamed, one placed, three population figures");
    }
}
