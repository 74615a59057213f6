//! Children and certificates of a family, on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod support;

use chrono::{Datelike, NaiveDate, TimeDelta};
use navigator_api::calendar::Calendar;
use navigator_shared::accounts::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Backend, PASSWORD, TEST_DATA_KEY, TestApp, problem};

/// Today by the services' clock (not moved in these tests).
fn today() -> NaiveDate {
    navigator_api::clock::today()
}

/// The date `years` years before today (29 February becomes 28 February).
fn years_ago(years: i32) -> NaiveDate {
    let t = today();
    NaiveDate::from_ymd_opt(t.year() - years, t.month(), t.day())
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(t.year() - years, 2, 28).unwrap())
}

fn child(municipality: i64) -> Value {
    json!({
        "last_name": "Петрова", "first_name": "Анна", "middle_name": "Олеговна",
        "birth_date": "2016-04-12", "sex": "female",
        "document_type": "birth_certificate", "document_series": "iv-ак", "document_number": "123 456",
        "document_issued_at": "2016-05-01", "snils": "112-233-445 95",
        "address": "г. Смоленск, ул. Ленина, д. 1, кв. 2", "municipality_id": municipality,
    })
}

/// A signed-in parent: (app, access token, municipality).
async fn family(backend: Backend) -> (TestApp, String, i64) {
    let app = TestApp::spawn(backend).await;
    let municipality = app.confirmed_parent("mama@example.org").await;
    let (token, _) = app.login("mama@example.org", PASSWORD).await;
    (app, token, municipality)
}

async fn add(app: &TestApp, token: &str, body: Value) -> reqwest::Response {
    app.send(Method::POST, "/api/v1/children", token, body).await
}

async fn added(app: &TestApp, token: &str, body: Value) -> i64 {
    let response = add(app, token, body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn request_certificate(app: &TestApp, token: &str, child: i64) -> reqwest::Response {
    app.send(
        Method::POST,
        &format!("/api/v1/children/{child}/certificate"),
        token,
        json!({ "consent_personal_data": true, "consent_rules": true }),
    )
    .await
}

both_backends! {
    async fn a_parent_adds_a_child_and_lists_show_only_masked_numbers(backend: Backend) {
        let (app, token, municipality) = family(backend).await;
        let response = add(&app, &token, child(municipality)).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let created: Value = response.json().await.unwrap();
        assert_eq!(created["document_series"], "IV-АК");
        assert_eq!(created["document_number"], "123456");
        assert_eq!(created["snils"], "112-233-445 95");
        assert_eq!(created["editable"], true);
        assert!(created["certificate"].is_null());

        let list: Value = app.get("/api/v1/children", Some(&token)).await.json().await.unwrap();
        assert_eq!(list[0]["snils"], "***-***-*45 95");
        assert_eq!(list[0]["document_number"], "****56");
        let id = created["id"].as_i64().unwrap();
        let one: Value = app.get(&format!("/api/v1/children/{id}"), Some(&token)).await.json().await.unwrap();
        assert_eq!(one["snils"], "112-233-445 95");

        let stored: Vec<(String, String)> = app.state.db(|c| {
            use diesel::prelude::*;
            use navigator_api::db::schema::children::dsl::*;
            children.select((snils_enc, document_number_enc)).load(c)
        }).await.unwrap();
        assert!(!stored[0].0.contains("11223344595") && !stored[0].1.contains("123456"), "{stored:?}");
    }

    async fn snils_with_a_wrong_checksum_and_bad_fields_are_refused(backend: Backend) {
        let (app, token, municipality) = family(backend).await;
        let mut body = child(municipality);
        body["snils"] = json!("112-233-445 96");
        body["document_series"] = json!("IV AK");
        body["birth_date"] = json!("2099-01-01");
        body["first_name"] = json!("Anna");
        body["sex"] = Value::Null;
        let (status, problem) = problem(add(&app, &token, body).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(problem["errors"]["snils"][0].as_str().unwrap().contains("контрольное число"));
        for field in ["document_series", "birth_date", "first_name", "sex"] {
            assert!(problem["errors"][field].is_array(), "{field}: {problem}");
        }
        let list: Value = app.get("/api/v1/children", Some(&token)).await.json().await.unwrap();
        assert_eq!(list.as_array().unwrap().len(), 0);
    }

    /// 5 inclusive to 18 exclusive, on the day the certificate is requested.
    async fn the_age_range_holds_on_the_day_of_the_request(backend: Backend) {
        let (app, token, municipality) = family(backend).await;
        let mut too_young = child(municipality);
        too_young["birth_date"] = json!(years_ago(5) + TimeDelta::days(1));
        too_young["document_issued_at"] = json!(years_ago(5) + TimeDelta::days(2));
        let id = added(&app, &token, too_young).await;
        let (status, body) = problem(request_certificate(&app, &token, id).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("age_out_of_range")));
        assert!(body["detail"].as_str().unwrap().contains("с 5 до 18"));

        let mut fifth_birthday = child(municipality);
        fifth_birthday["first_name"] = json!("Мария");
        fifth_birthday["snils"] = json!("987-654-321 83");
        fifth_birthday["birth_date"] = json!(years_ago(5));
        fifth_birthday["document_issued_at"] = json!(years_ago(5) + TimeDelta::days(1));
        let id = added(&app, &token, fifth_birthday).await;
        assert_eq!(request_certificate(&app, &token, id).await.status(), StatusCode::CREATED);

        let mut eighteen = child(municipality);
        eighteen["first_name"] = json!("Ольга");
        eighteen["snils"] = json!("200-007-999 00");
        eighteen["birth_date"] = json!(years_ago(18));
        eighteen["document_type"] = json!("passport");
        eighteen["document_series"] = json!("66 04");
        let (status, body) = problem(add(&app, &token, eighteen.clone()).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["birth_date"].is_array());

        eighteen["birth_date"] = json!(years_ago(18) + TimeDelta::days(1));
        let id = added(&app, &token, eighteen).await;
        assert_eq!(request_certificate(&app, &token, id).await.status(), StatusCode::CREATED, "the day before the 18th birthday");
    }

    /// Values sealed with the first key (SHA-256 derivation, `v1:`) are
    /// rewritten with the HKDF keys at start-up, lookup hashes included, so
    /// the family still reads them and the same child is still found.
    async fn data_sealed_with_the_first_key_is_resealed_with_the_current_one(backend: Backend) {
        let (app, token, municipality) = family(backend).await;
        let id = added(&app, &token, child(municipality)).await;
        let passport = json!({ "passport_series": "66 04", "passport_number": "123456" });
        assert_eq!(app.send(Method::PATCH, "/api/v1/me", &token, passport).await.status(), StatusCode::OK);
        let first = first_key::Sealer::new(TEST_DATA_KEY.as_bytes());
        app.state.db(move |c| {
            use diesel::prelude::*;
            use navigator_api::db::schema::{children::dsl as ch, users::dsl as u};
            let identity = navigator_shared::children::duplicate_key("Петрова", "Анна", Some("Олеговна"), NaiveDate::from_ymd_opt(2016, 4, 12).unwrap());
            diesel::update(ch::children).set((
                ch::snils_enc.eq(first.seal("11223344595")),
                ch::document_number_enc.eq(first.seal("123456")),
                ch::snils_hash.eq(first.lookup("snils:11223344595")),
                ch::identity_hash.eq(first.lookup(&format!("identity:{identity}"))),
            )).execute(c)?;
            diesel::update(u::users.filter(u::email.eq("mama@example.org")))
                .set((u::passport_series_enc.eq(first.seal("6604")), u::passport_number_enc.eq(first.seal("123456"))))
                .execute(c)
        }).await.unwrap();
        let mut conn = app.state.pool.get().unwrap();
        assert_eq!(navigator_api::rekey(&mut conn, &app.state.cipher).unwrap(), (1, 1));
        assert_eq!(navigator_api::rekey(&mut conn, &app.state.cipher).unwrap(), (0, 0), "nothing is left to reseal");
        drop(conn);

        let stored: Vec<(String, String)> = app.state.db(|c| {
            use diesel::prelude::*;
            use navigator_api::db::schema::children::dsl::*;
            children.select((snils_enc, document_number_enc)).load(c)
        }).await.unwrap();
        assert!(stored[0].0.starts_with("v2:") && stored[0].1.starts_with("v2:"), "{stored:?}");
        let one: Value = app.get(&format!("/api/v1/children/{id}"), Some(&token)).await.json().await.unwrap();
        assert_eq!((one["snils"].as_str(), one["document_number"].as_str()), (Some("112-233-445 95"), Some("123456")));
        let me: Value = app.get("/api/v1/me", Some(&token)).await.json().await.unwrap();
        assert_eq!((me["passport_series"].as_str(), me["passport_number"].as_str()), (Some("6604"), Some("123456")));

        let other = app.account("papa@example.org", Role::Parent).await;
        let mut same_snils = child(municipality);
        same_snils["first_name"] = json!("Мария");
        assert_eq!(problem(add(&app, &other, same_snils).await).await.1["code"], "duplicate_child", "found by SNILS");
        let mut same_person = child(municipality);
        same_person["snils"] = json!("987-654-321 83");
        assert_eq!(problem(add(&app, &other, same_person).await).await.1["code"], "duplicate_child", "found by name and birth date");
    }

    /// The same child cannot be in two families: by name variants and birth date, or by SNILS.
    async fn the_same_child_cannot_be_added_twice_anywhere(backend: Backend) {
        let (app, token, municipality) = family(backend).await;
        added(&app, &token, child(municipality)).await;
        let other = app.account("papa@example.org", Role::Parent).await;

        let mut variant = child(municipality);
        variant["last_name"] = json!("  ПЕТРОВА ");
        variant["first_name"] = json!("анна");
        variant["middle_name"] = json!("Олеговна");
        variant["snils"] = json!("987-654-321 83");
        let (status, body) = problem(add(&app, &other, variant).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("duplicate_child")));
        let message = body["errors"]["last_name"][0].as_str().unwrap();
        assert!(message.starts_with("Ребёнок с такими ФИО и датой рождения уже зарегистрирован в учётной записи другой семьи"));
        assert!(!body.to_string().contains("mama@example.org") && !body.to_string().contains("Иванова"));

        let mut yo = child(municipality);
        yo["last_name"] = json!("Семёнова");
        let mut ye = child(municipality);
        ye["last_name"] = json!("Семенова");
        ye["snils"] = json!("987-654-321 83");
        yo["snils"] = json!("200-007-999 00");
        added(&app, &other, yo).await;
        assert_eq!(problem(add(&app, &token, ye).await).await.1["code"], "duplicate_child");

        let mut same_snils = child(municipality);
        same_snils["first_name"] = json!("Вера");
        same_snils["birth_date"] = json!("2014-01-01");
        let (status, _) = problem(add(&app, &other, same_snils).await).await;
        assert_eq!(status, StatusCode::CONFLICT);
    }

    /// A SNILS already in the system is told under the SNILS field, in words
    /// true for whose account holds the child, without naming another family.
    async fn a_repeated_snils_is_told_under_its_field_for_the_own_and_another_account(backend: Backend) {
        let (app, token, municipality) = family(backend).await;
        added(&app, &token, child(municipality)).await;
        let mut sister = child(municipality);
        sister["first_name"] = json!("Мария");
        let (status, body) = problem(add(&app, &token, sister.clone()).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("duplicate_child")));
        assert_eq!(body["errors"]["snils"][0], "Этот ребёнок уже добавлен в вашу учётную запись", "{body}");

        // Changing another child's SNILS to the same one is the same refusal.
        let mut brother = child(municipality);
        brother["first_name"] = json!("Пётр");
        brother["sex"] = json!("male");
        brother["snils"] = json!("987-654-321 83");
        let id = added(&app, &token, brother).await;
        let patch = json!({ "snils": "112-233-445 95" });
        let (status, body) = problem(app.send(Method::PATCH, &format!("/api/v1/children/{id}"), &token, patch).await).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body["errors"]["snils"][0], "Этот ребёнок уже добавлен в вашу учётную запись", "{body}");

        let other = app.account("papa@example.org", Role::Parent).await;
        let (status, body) = problem(add(&app, &other, sister).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("duplicate_child")));
        let message = body["errors"]["snils"][0].as_str().unwrap();
        assert!(message.starts_with("Ребёнок с этим СНИЛС уже зарегистрирован в учётной записи другой семьи"), "{message}");
        assert!(message.contains("обратитесь в пункт активации сертификатов или к оператору"), "{message}");
        assert!(!body.to_string().contains("mama@example.org") && !body.to_string().contains("Иванова"), "{body}");
    }

    async fn a_certificate_is_issued_once_with_a_ten_digit_number(backend: Backend) {
        let (app, token, municipality) = family(backend).await;
        let id = added(&app, &token, child(municipality)).await;
        let (a, b) = tokio::join!(request_certificate(&app, &token, id), request_certificate(&app, &token, id));
        let mut statuses = [a.status(), b.status()];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::CREATED, StatusCode::CONFLICT]);

        let certificate: Value = app.get(&format!("/api/v1/children/{id}/certificate"), Some(&token)).await.json().await.unwrap();
        let number = certificate["number"].as_str().unwrap();
        assert!(number.len() == 10 && number.chars().all(|c| c.is_ascii_digit()), "{number}");
        assert_eq!((certificate["status"].as_str(), certificate["status_title"].as_str()), (Some("pending"), Some("в обработке")));
        let (status, body) = problem(request_certificate(&app, &token, id).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("certificate_exists")));

        // The family is told the number and the deadline.
        let started = std::time::Instant::now();
        while !app.emails_to("mama@example.org").iter().any(|m| m.body.contains(number)) {
            assert!(started.elapsed().as_secs() < 10, "no email with the number");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// The deadline counts 7 working days of the production calendar, with the admin's transfers.
    async fn the_documents_deadline_skips_days_off(backend: Backend) {
        let (app, token, municipality) = family(backend).await;
        let admin = app.account("admin@example.org", Role::Admin).await;
        let statutory = Calendar::default();
        // Declare the next three statutory working days holidays.
        let mut day = today();
        let mut overrides = std::collections::BTreeMap::new();
        while overrides.len() < 3 {
            day = day.succ_opt().unwrap();
            if statutory.is_working_day(day) {
                overrides.insert(day, false);
                let put = app.send(Method::PUT, &format!("/api/v1/calendar/overrides/{day}"), &admin, json!({ "working": false, "note": "перенос" })).await;
                assert_eq!(put.status(), StatusCode::OK);
            }
        }
        let id = added(&app, &token, child(municipality)).await;
        let certificate: Value = request_certificate(&app, &token, id).await.json().await.unwrap();
        let due: NaiveDate = certificate["documents_due"].as_str().unwrap().parse().unwrap();
        assert_eq!(due, Calendar::new(overrides).add_working_days(today(), 7));
        assert!(due > statutory.add_working_days(today(), 7));
        let listed: Value = app.get(&format!("/api/v1/calendar/overrides?year={}", day.year()), Some(&admin)).await.json().await.unwrap();
        assert!(listed.as_array().unwrap().iter().any(|o| o["note"] == "перенос"));
    }

    async fn an_overdue_certificate_lapses_and_the_family_is_told(backend: Backend) {
        let (app, token, municipality) = family(backend).await;
        let id = added(&app, &token, child(municipality)).await;
        let certificate: Value = request_certificate(&app, &token, id).await.json().await.unwrap();
        let due: NaiveDate = certificate["documents_due"].as_str().unwrap().parse().unwrap();

        let on_the_deadline = app.state.db(move |c| navigator_api::children::certificates::service::lapse_overdue(c, due)).await.unwrap();
        assert_eq!(on_the_deadline, 0, "the deadline day itself still counts");
        let after = due + TimeDelta::days(1);
        let lapsed = app.state.db(move |c| navigator_api::children::certificates::service::lapse_overdue(c, after)).await.unwrap();
        assert_eq!(lapsed, 1);
        let again = app.state.db(move |c| navigator_api::children::certificates::service::lapse_overdue(c, after)).await.unwrap();
        assert_eq!(again, 0, "idempotent");

        let now: Value = app.get(&format!("/api/v1/children/{id}/certificate"), Some(&token)).await.json().await.unwrap();
        assert_eq!(now["status"], "lapsed");
        let started = std::time::Instant::now();
        while !app.emails_to("mama@example.org").iter().any(|m| m.body.contains("не были")) {
            assert!(started.elapsed().as_secs() < 10, "no lapse email");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    async fn nobody_else_sees_or_changes_a_familys_child(backend: Backend) {
        let (app, token, municipality) = family(backend).await;
        let id = added(&app, &token, child(municipality)).await;
        let stranger = app.account("stranger@example.org", Role::Parent).await;
        let paths = [format!("/api/v1/children/{id}"), format!("/api/v1/children/{id}/certificate")];
        for path in &paths {
            let (status, _) = problem(app.get(path, Some(&stranger)).await).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        }
        let patch = app.send(Method::PATCH, &paths[0], &stranger, json!({ "first_name": "Вера" })).await;
        assert_eq!(patch.status(), StatusCode::NOT_FOUND);
        assert_eq!(request_certificate(&app, &stranger, id).await.status(), StatusCode::NOT_FOUND);
        let missing = app.get("/api/v1/children/999999", Some(&token)).await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);

        for role in [Role::OrgStaff, Role::Operator] {
            let staff = app.account(&format!("{}@example.org", role.as_str()), role).await;
            assert_eq!(add(&app, &staff, child(municipality)).await.status(), StatusCode::FORBIDDEN);
            assert!(app.get("/api/v1/children", Some(&staff)).await.json::<Value>().await.unwrap().as_array().unwrap().is_empty());
            let calendar = app.send(Method::PUT, "/api/v1/calendar/overrides/2027-01-11", &staff, json!({ "working": false })).await;
            assert_eq!(calendar.status(), StatusCode::FORBIDDEN);
        }
        let unauthenticated = app.get("/api/v1/children", None).await;
        assert_eq!(unauthenticated.status(), StatusCode::UNAUTHORIZED);
    }

    async fn a_family_edits_the_child_until_the_certificate_is_active(backend: Backend) {
        let (app, token, municipality) = family(backend).await;
        let id = added(&app, &token, child(municipality)).await;
        let path = format!("/api/v1/children/{id}");
        let response = app.send(Method::PATCH, &path, &token, json!({ "first_name": "Анастасия", "snils": "987-654-321 83" })).await;
        assert_eq!(response.status(), StatusCode::OK);
        let edited: Value = response.json().await.unwrap();
        assert_eq!((edited["first_name"].as_str(), edited["snils"].as_str()), (Some("Анастасия"), Some("987-654-321 83")));
        assert_eq!(edited["last_name"], "Петрова", "fields not sent stay");
        let bad = app.send(Method::PATCH, &path, &token, json!({ "snils": "1" })).await;
        assert!(problem(bad).await.1["errors"]["snils"].is_array());

        request_certificate(&app, &token, id).await;
        app.state.db(move |c| {
            let row = navigator_api::children::certificates::repo::of_child(c, navigator_shared::ids::ChildId(id))?.unwrap();
            let activate = navigator_api::children::certificates::repo::Decision { from: navigator_shared::children::CertificateStatus::Pending, to: navigator_shared::children::CertificateStatus::Active, reason: None, comment: None, decided_by: None };
            navigator_api::children::certificates::repo::decide(c, row.id, &activate, navigator_api::notifications::now())
        }).await.unwrap();
        let one: Value = app.get(&path, Some(&token)).await.json().await.unwrap();
        assert_eq!((one["editable"].as_bool(), one["certificate"]["status"].as_str()), (Some(false), Some("active")));
        let locked = app.send(Method::PATCH, &path, &token, json!({ "first_name": "Вера" })).await;
        let (status, body) = problem(locked).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("child_locked")));
    }

    async fn activation_points_are_public_and_filtered_by_municipality(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let smolensk = app.municipality("город Смоленск").await;
        let vyazma = app.municipality("Вяземский район").await;
        for (municipality, can_activate) in [(smolensk, true), (vyazma, true), (smolensk, false)] {
            app.organization(municipality, can_activate).await;
        }
        let all: Value = app.get("/api/v1/activation-points", None).await.json().await.unwrap();
        assert_eq!(all.as_array().unwrap().len(), 2);
        let local: Value = app.get(&format!("/api/v1/activation-points?municipality_id={smolensk}"), None).await.json().await.unwrap();
        assert_eq!(local.as_array().unwrap().len(), 1);
        assert_eq!(local[0]["reception_hours"], "пн–пт 9–17");
    }

    async fn a_learner_of_14_registers_himself_and_adds_only_himself(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let municipality = app.municipality("город Смоленск").await;
        let learner = |birth: NaiveDate| {
            let mut body = app.registration("kirill@example.org", municipality);
            body["last_name"] = json!("Соколов");
            body["first_name"] = json!("Кирилл");
            body["middle_name"] = json!("");
            body["learner"] = json!(true);
            body["birth_date"] = json!(birth);
            body
        };
        // Thirteen is too young to register alone; eighteen is grown up.
        for too in [years_ago(14) + TimeDelta::days(1), years_ago(18)] {
            let (status, body) = problem(app.post("/api/v1/auth/register", learner(too)).await).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{too}");
            assert!(body["errors"]["birth_date"].is_array(), "{body}");
        }
        let birth = years_ago(14);
        let response = app.post("/api/v1/auth/register", learner(birth)).await;
        assert_eq!(response.status(), StatusCode::ACCEPTED);
        let token = app.wait_for_link("kirill@example.org", "/confirm-email").await;
        app.post("/api/v1/auth/confirm-email", json!({ "token": token })).await;
        let (token, _) = app.login("kirill@example.org", PASSWORD).await;
        let me: Value = app.get("/api/v1/me", Some(&token)).await.json().await.unwrap();
        assert_eq!((me["role"].as_str(), me["birth_date"].as_str()), (Some("learner"), Some(birth.to_string().as_str())));

        // Somebody else (a sister) is refused with the reasons under the fields.
        let (status, body) = problem(add(&app, &token, child(municipality)).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("learner_self_only")));
        for field in ["last_name", "first_name", "birth_date"] {
            assert!(body["errors"][field].is_array(), "{field}: {body}");
        }
        let mut himself = child(municipality);
        himself["last_name"] = json!("СОКОЛОВ");
        himself["first_name"] = json!("кирилл");
        himself["middle_name"] = json!("");
        himself["sex"] = json!("male");
        himself["birth_date"] = json!(birth);
        himself["document_type"] = json!("passport");
        himself["document_series"] = json!("66 21");
        himself["document_number"] = json!("654321");
        himself["document_issued_at"] = json!(today() - TimeDelta::days(10));
        let id = added(&app, &token, himself.clone()).await;
        let response = request_certificate(&app, &token, id).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let certificate: Value = response.json().await.unwrap();
        assert_eq!(certificate["status"], "pending");
        // The forms printed at the desk speak in his name, not a parent's.
        let point = app.organization(municipality, true).await;
        let staff = app.staff_of("staff@example.org", point).await;
        for (form, own) in [("application", "от обучающегося"), ("consent", "на обработку моих персональных данных")] {
            let path = format!("/api/v1/registry/certificates/{}/documents/{form}.pdf", certificate["number"].as_str().unwrap());
            let bytes = app.get(&path, Some(&staff)).await.bytes().await.unwrap();
            let pdf = lopdf::Document::load_mem(&bytes).unwrap();
            let pages: Vec<u32> = pdf.get_pages().keys().copied().collect();
            let text = pdf.extract_text(&pages).unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(text.contains(own) && text.contains("Соколов Кирилл"), "{form}: {text}");
            assert!(!text.contains("родител"), "{form} speaks of a parent: {text}");
        }
        // One record only.
        himself["snils"] = json!("112-233-446 96");
        let (status, body) = problem(add(&app, &token, himself).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("learner_record_exists")));
    }
}

/// The first release's sealing, as documented: keys are SHA-256 of a label
/// and `DATA_KEY`, values `v1:` + base64(nonce ‖ XChaCha20-Poly1305).
mod first_key {
    use base64::Engine;
    use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
    use hmac::Mac;
    use sha2::{Digest, Sha256};

    pub struct Sealer {
        cipher: chacha20poly1305::XChaCha20Poly1305,
        lookup_key: Vec<u8>,
    }

    impl Sealer {
        pub fn new(key: &[u8]) -> Self {
            let data = Sha256::new().chain_update(b"navigator data key v1").chain_update(key).finalize();
            let lookup = Sha256::new().chain_update(b"navigator lookup key v1").chain_update(key).finalize();
            Self { cipher: chacha20poly1305::XChaCha20Poly1305::new(&data), lookup_key: lookup.to_vec() }
        }

        pub fn seal(&self, plain: &str) -> String {
            let nonce = chacha20poly1305::XChaCha20Poly1305::generate_nonce(&mut OsRng);
            let mut sealed = nonce.to_vec();
            sealed.extend(self.cipher.encrypt(&nonce, plain.as_bytes()).unwrap());
            format!("v1:{}", base64::engine::general_purpose::STANDARD.encode(sealed))
        }

        pub fn lookup(&self, value: &str) -> String {
            let mut mac = <hmac::Hmac<Sha256> as Mac>::new_from_slice(&self.lookup_key).unwrap();
            mac.update(value.as_bytes());
            hex::encode(mac.finalize().into_bytes())
        }
    }
}
