//! The catalog on both backends: the organizations registry, programs with
//! modules and groups, the status machine and moderation, the public search
//! with its filters, Russian text matching, facets and pages, the map, the
//! card and the delta export.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Backend, TestApp, problem};

/// Two municipalities, a provider in each with a staff member, an operator of
/// the first one.
struct World {
    app: TestApp,
    smolensk: i64,
    vyazma: i64,
    staff: String,
    other_staff: String,
    operator: String,
    other_operator: String,
}

impl World {
    async fn open(backend: Backend) -> Self {
        let app = TestApp::spawn(backend).await;
        let smolensk = app.municipality("город Смоленск").await;
        let vyazma = app.municipality("Вяземский район").await;
        let school = app.organization(smolensk, false).await;
        let far_school = app.organization(vyazma, false).await;
        let staff = app.staff_of("teacher@example.org", school).await;
        let other_staff = app.staff_of("far-teacher@example.org", far_school).await;
        let operator = app.operator_of("operator@example.org", smolensk).await;
        let other_operator = app.operator_of("vyazma-operator@example.org", vyazma).await;
        Self { app, smolensk, vyazma, staff, other_staff, operator, other_operator }
    }

    async fn send(&self, method: Method, path: &str, token: &str, body: Value) -> reqwest::Response {
        self.app.send(method, &format!("/api/v1{path}"), token, body).await
    }

    async fn json(&self, method: Method, path: &str, token: &str, body: Value, expected: StatusCode) -> Value {
        let response = self.send(method, path, token, body).await;
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, expected, "{path}: {body}");
        body
    }

    /// A draft with one module and one open group; returns its id.
    async fn draft(&self, staff: &str, body: Value) -> i64 {
        let program = self.json(Method::POST, "/cabinet/programs", staff, body, StatusCode::CREATED).await;
        let id = program["id"].as_i64().unwrap();
        let (age_min, age_max) = (program["age_min"].as_i64().unwrap(), program["age_max"].as_i64().unwrap());
        let module = json!({ "name": "Первый год обучения", "hours": 72, "price": 540_000 });
        self.json(Method::POST, &format!("/cabinet/programs/{id}/modules"), staff, module, StatusCode::CREATED).await;
        self.json(
            Method::POST,
            &format!("/cabinet/programs/{id}/groups"),
            staff,
            group(age_min, age_max, true),
            StatusCode::CREATED,
        )
        .await;
        id
    }

    /// A program through the whole flow: draft, moderation, published.
    async fn published(&self, staff: &str, operator: &str, body: Value, certified: bool) -> i64 {
        let id = self.draft(staff, body).await;
        self.json(Method::POST, &format!("/cabinet/programs/{id}/submit"), staff, json!({}), StatusCode::OK).await;
        let path = format!("/moderation/programs/{id}/publish");
        let card = self.json(Method::POST, &path, operator, json!({ "certified": certified }), StatusCode::OK).await;
        assert_eq!(card["status"], "published");
        id
    }

    async fn search(&self, query: &str) -> Value {
        let response = self.app.get(&format!("/api/v1/programs?{query}"), None).await;
        assert_eq!(response.status(), StatusCode::OK, "{query}");
        response.json().await.unwrap()
    }

    /// Titles found by `query`, in the order given.
    async fn titles(&self, query: &str) -> Vec<String> {
        let page = self.search(query).await;
        page["items"].as_array().unwrap().iter().map(|p| p["title"].as_str().unwrap().to_owned()).collect()
    }
}

fn program(title: &str, direction: &str, profile: &str, ages: (i32, i32), cost: &str, municipality: i64) -> Value {
    json!({
        "title": title,
        "description": format!("{title}: занятия для детей, итоговая выставка работ в конце года."),
        "goals": "Развитие творческих способностей",
        "direction": direction,
        "profile": profile,
        "level": "start",
        "age_min": ages.0,
        "age_max": ages.1,
        "municipality_id": municipality,
        "address": "г. Смоленск, ул. Ленина, д. 1",
        "lat": 54.78,
        "lon": 32.04,
        "duration_months": 9,
        "teachers": ["Петров Иван Сергеевич"],
        "cost_type": cost,
        "contact_name": "Петров Иван Сергеевич",
        "contact_phone": "+7 4812 30-00-00",
        "contact_email": "club@example.org",
    })
}

fn group(age_min: i64, age_max: i64, open: bool) -> Value {
    let year = navigator_shared::reference::academic_year_of(navigator_api::clock::today());
    json!({
        "name": "Группа 1",
        "teacher": "Петров Иван Сергеевич",
        "schedule": [{ "weekday": 2, "start": "16:00", "end": "17:30" }, { "weekday": 4, "start": "16:00", "end": "17:30" }],
        "capacity": 15,
        "start_date": format!("{year}-09-01"),
        "end_date": format!("{}-05-31", year + 1),
        "age_min": age_min,
        "age_max": age_max,
        "enrolment_open": open,
    })
}

both_backends! {
    async fn the_organization_publishes_through_moderation(backend: Backend) {
        let w = World::open(backend).await;
        let body = program("Робототехника для начинающих", "technical", "робототехника", (7, 12), "certificate", w.smolensk);
        let id = w.draft(&w.staff, body).await;
        // A draft is not in the catalog and its card is not public.
        assert_eq!(w.search("q=робот").await["total"], 0);
        let response = w.app.get(&format!("/api/v1/programs/{id}"), None).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);

        w.json(Method::POST, &format!("/cabinet/programs/{id}/submit"), &w.staff, json!({}), StatusCode::OK).await;
        let queue = w.json(Method::GET, "/moderation/programs", &w.operator, json!({}), StatusCode::OK).await;
        assert_eq!(queue["total"], 1);
        assert_eq!(queue["items"][0]["id"], id);
        // The operator of another municipality neither sees nor decides it.
        let foreign = w.json(Method::GET, "/moderation/programs", &w.other_operator, json!({}), StatusCode::OK).await;
        assert_eq!(foreign["total"], 0);
        let refused = w.send(Method::POST, &format!("/moderation/programs/{id}/publish"), &w.other_operator, json!({})).await;
        let (status, body) = problem(refused).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("outside_territory")));

        // Returned with a comment, corrected, sent again, published certified.
        let returned = w
            .json(Method::POST, &format!("/moderation/programs/{id}/return"), &w.operator, json!({ "comment": "Уточните цели программы" }), StatusCode::OK)
            .await;
        assert_eq!((returned["status"].as_str(), returned["moderation_comment"].as_str()), (Some("returned"), Some("Уточните цели программы")));
        let mut fixed = program("Робототехника для начинающих", "technical", "робототехника", (7, 12), "certificate", w.smolensk);
        fixed["goals"] = json!("Научить собирать и программировать роботов");
        w.json(Method::PUT, &format!("/cabinet/programs/{id}"), &w.staff, fixed, StatusCode::OK).await;
        w.json(Method::POST, &format!("/cabinet/programs/{id}/submit"), &w.staff, json!({}), StatusCode::OK).await;
        let card = w
            .json(Method::POST, &format!("/moderation/programs/{id}/publish"), &w.operator, json!({ "certified": true }), StatusCode::OK)
            .await;
        assert_eq!((card["status"].as_str(), card["certified"].as_bool()), (Some("published"), Some(true)));
        assert_eq!(card["moderation_comment"], Value::Null);

        // At once in the catalog, with the card public.
        let found = w.search("q=робот").await;
        assert_eq!((found["total"].as_i64(), found["items"][0]["id"].as_i64()), (Some(1), Some(id)));
        assert_eq!(found["items"][0]["certified"], true);
        let public: Value = w.app.get(&format!("/api/v1/programs/{id}"), None).await.json().await.unwrap();
        assert_eq!(public["goals"], "Научить собирать и программировать роботов");
        assert_eq!(public["modules"][0]["price"], 540_000);
        assert_eq!(public["groups"][0]["free_places"], 15);
        assert_eq!(public["groups"][0]["open"], true);
        assert_eq!(public["organization"]["id"], public["organization_details"]["id"]);
        for field in ["id", "title", "direction", "profile", "age_min", "age_max", "certified", "cost_type", "organization", "municipality_id", "lat", "lon", "rating", "applications_count"] {
            assert!(public.get(field).is_some(), "the card has {field}");
        }

        // A published program edited: the catalog follows at once.
        let renamed = program("Лего-конструирование", "technical", "робототехника", (7, 12), "certificate", w.smolensk);
        w.json(Method::PUT, &format!("/cabinet/programs/{id}"), &w.staff, renamed, StatusCode::OK).await;
        assert_eq!(w.titles("q=лего").await, ["Лего-конструирование"]);
        assert!(w.titles("q=робототехника+для+начинающих").await.is_empty());

        // Archived: gone from the catalog, reported by the delta export.
        w.json(Method::POST, &format!("/cabinet/programs/{id}/archive"), &w.staff, json!({}), StatusCode::OK).await;
        assert_eq!(w.search("q=лего").await["total"], 0);
        let changes: Value = w.app.get("/api/v1/programs/changes?updated_since=2020-01-01T00:00:00", None).await.json().await.unwrap();
        let change = changes.as_array().unwrap().iter().find(|c| c["id"] == id).unwrap().clone();
        assert_eq!((change["state"].as_str(), change["program"].clone()), (Some("archived"), Value::Null));
    }

    async fn illegal_transitions_are_conflicts(backend: Backend) {
        let w = World::open(backend).await;
        let body = program("Шахматный клуб «Ладья»", "physical_sports", "шахматы", (6, 16), "free", w.smolensk);
        let created = w.json(Method::POST, "/cabinet/programs", &w.staff, body.clone(), StatusCode::CREATED).await;
        let bare = created["id"].as_i64().unwrap();
        // Without a group there is nothing to enrol in.
        let (status, answer) = problem(w.send(Method::POST, &format!("/cabinet/programs/{bare}/submit"), &w.staff, json!({})).await).await;
        assert_eq!((status, answer["code"].as_str()), (StatusCode::CONFLICT, Some("program_without_groups")));
        let id = w.draft(&w.staff, body.clone()).await;
        let expect_conflict = |response: reqwest::Response| async move {
            let (status, body) = problem(response).await;
            assert_eq!(status, StatusCode::CONFLICT, "{body}");
            assert!(body["detail"].as_str().unwrap().contains("Программа"), "{body}");
        };
        // A draft can be neither published, returned nor archived.
        expect_conflict(w.send(Method::POST, &format!("/moderation/programs/{id}/publish"), &w.operator, json!({})).await).await;
        expect_conflict(w.send(Method::POST, &format!("/moderation/programs/{id}/return"), &w.operator, json!({ "comment": "x" })).await).await;
        expect_conflict(w.send(Method::POST, &format!("/cabinet/programs/{id}/archive"), &w.staff, json!({})).await).await;
        w.json(Method::POST, &format!("/cabinet/programs/{id}/submit"), &w.staff, json!({}), StatusCode::OK).await;
        // In moderation: not submitted twice, not edited.
        expect_conflict(w.send(Method::POST, &format!("/cabinet/programs/{id}/submit"), &w.staff, json!({})).await).await;
        expect_conflict(w.send(Method::PUT, &format!("/cabinet/programs/{id}"), &w.staff, body.clone()).await).await;
        w.json(Method::POST, &format!("/moderation/programs/{id}/publish"), &w.operator, json!({}), StatusCode::OK).await;
        expect_conflict(w.send(Method::POST, &format!("/moderation/programs/{id}/publish"), &w.operator, json!({})).await).await;
        w.json(Method::POST, &format!("/moderation/programs/{id}/archive"), &w.operator, json!({}), StatusCode::OK).await;
        // Archived is final.
        expect_conflict(w.send(Method::POST, &format!("/cabinet/programs/{id}/submit"), &w.staff, json!({})).await).await;
        expect_conflict(w.send(Method::PUT, &format!("/cabinet/programs/{id}"), &w.staff, body).await).await;
        // A returned program needs a comment.
        let (status, body) = problem(w.send(Method::POST, &format!("/moderation/programs/{bare}/return"), &w.operator, json!({ "comment": " " })).await).await;
        assert_eq!((status, body["errors"]["comment"].is_array()), (StatusCode::BAD_REQUEST, true));
    }

    async fn another_organizations_program_cannot_be_touched(backend: Backend) {
        let w = World::open(backend).await;
        let id = w.draft(&w.staff, program("Вокальная студия «Соловушка»", "arts", "вокал", (6, 14), "paid", w.smolensk)).await;
        let card = w.json(Method::GET, &format!("/cabinet/programs/{id}"), &w.staff, json!({}), StatusCode::OK).await;
        let module = card["modules"][0]["id"].as_i64().unwrap();
        let group_id = card["groups"][0]["id"].as_i64().unwrap();
        let attempts = [
            (Method::GET, format!("/cabinet/programs/{id}"), json!({})),
            (Method::PUT, format!("/cabinet/programs/{id}"), program("Чужая", "arts", "вокал", (6, 14), "paid", w.vyazma)),
            (Method::POST, format!("/cabinet/programs/{id}/submit"), json!({})),
            (Method::POST, format!("/cabinet/programs/{id}/modules"), json!({ "name": "М", "hours": 1, "price": 0 })),
            (Method::PUT, format!("/cabinet/modules/{module}"), json!({ "name": "М", "hours": 1, "price": 0 })),
            (Method::DELETE, format!("/cabinet/modules/{module}"), json!({})),
            (Method::PUT, format!("/cabinet/groups/{group_id}"), group(6, 14, false)),
            (Method::DELETE, format!("/cabinet/groups/{group_id}"), json!({})),
        ];
        for (method, path, body) in attempts {
            let (status, _) = problem(w.send(method, &path, &w.other_staff, body).await).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        }
        // A parent has no cabinet at all.
        let parent = w.app.account("mama@example.org", navigator_shared::accounts::Role::Parent).await;
        let (status, _) = problem(w.send(Method::GET, "/cabinet/programs", &parent, json!({})).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // The owner still has everything.
        let list = w.json(Method::GET, "/cabinet/programs", &w.staff, json!({}), StatusCode::OK).await;
        assert_eq!((list["total"].as_i64(), list["items"][0]["modules"].as_array().map(Vec::len)), (Some(1), Some(1)));
        let deleted = w.send(Method::DELETE, &format!("/cabinet/modules/{module}"), &w.staff, json!({})).await;
        assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
        let card = w.json(Method::GET, &format!("/cabinet/programs/{id}"), &w.staff, json!({}), StatusCode::OK).await;
        assert!(card["modules"].as_array().unwrap().is_empty());
    }

    async fn every_filter_alone_and_combined(backend: Backend) {
        let w = World::open(backend).await;
        let (s, v) = (w.smolensk, w.vyazma);
        let robots = w.published(&w.staff, &w.operator, program("Робототехника", "technical", "робототехника", (7, 12), "certificate", s), true).await;
        let dance = w.published(&w.staff, &w.operator, program("Танцевальная студия «Грация»", "arts", "хореография", (5, 10), "paid", s), false).await;
        let chess = w.published(&w.other_staff, &w.other_operator, program("Шахматный клуб «Ладья»", "physical_sports", "шахматы", (6, 17), "free", v), false).await;
        // Uncertified "certificate" programs are paid; certified ones are "certificate".
        let uncertified = w.published(&w.staff, &w.operator, program("Ёлочная игрушка своими руками", "arts", "декоративно-прикладное творчество", (8, 14), "certificate", s), false).await;
        let ids = |page: Value| -> Vec<i64> {
            let mut ids: Vec<i64> = page["items"].as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()).collect();
            ids.sort();
            ids
        };
        let sorted = |mut v: Vec<i64>| { v.sort(); v };
        assert_eq!(ids(w.search("").await), sorted(vec![robots, dance, chess, uncertified]));
        assert_eq!(ids(w.search(&format!("municipality_id={v}")).await), vec![chess]);
        let school_of_chess = w.search(&format!("municipality_id={v}")).await["items"][0]["organization"]["id"].as_i64().unwrap();
        assert_eq!(ids(w.search(&format!("organization_id={school_of_chess}")).await), vec![chess]);
        assert_eq!(ids(w.search("direction=arts").await), sorted(vec![dance, uncertified]));
        assert_eq!(ids(w.search("profile=%D0%A8%D0%B0%D1%85%D0%BC%D0%B0%D1%82%D1%8B").await), vec![chess], "profile in another case");
        assert_eq!(ids(w.search("cost=certificate").await), vec![robots]);
        assert_eq!(ids(w.search("cost=paid").await), sorted(vec![dance, uncertified]));
        assert_eq!(ids(w.search("cost=free").await), vec![chess]);
        // Age bounds are inclusive.
        assert_eq!(ids(w.search("age=5").await), vec![dance]);
        assert_eq!(ids(w.search("age=12").await), sorted(vec![robots, chess, uncertified]));
        assert_eq!(ids(w.search("age=17").await), vec![chess]);
        assert!(ids(w.search("age=18").await).is_empty());
        // Combined.
        assert_eq!(ids(w.search(&format!("municipality_id={s}&direction=arts&age=9&cost=paid")).await), sorted(vec![dance, uncertified]));
        assert_eq!(ids(w.search(&format!("municipality_id={s}&direction=arts&age=6")).await), vec![dance]);
        assert_eq!(ids(w.search("q=танц&age=6&cost=paid").await), vec![dance]);
        assert!(ids(w.search("q=танц&cost=free").await).is_empty());
        // Facets keep the other filters and leave out their own.
        let facets = w.search("direction=arts").await["facets"].clone();
        let count = |facet: &str, value: &str| {
            facets[facet].as_array().unwrap().iter().find(|f| f["value"] == value).map(|f| f["count"].as_i64().unwrap())
        };
        assert_eq!((count("direction", "technical"), count("direction", "arts")), (Some(1), Some(2)));
        assert_eq!(count("cost", "paid"), Some(2));
        assert_eq!(count("municipality", &s.to_string()), Some(2));
        // Open groups: a closed group takes the program out of `open=true`.
        let card = w.json(Method::GET, &format!("/cabinet/programs/{dance}"), &w.staff, json!({}), StatusCode::OK).await;
        let group_id = card["groups"][0]["id"].as_i64().unwrap();
        w.json(Method::PUT, &format!("/cabinet/groups/{group_id}"), &w.staff, group(5, 10, false), StatusCode::OK).await;
        assert_eq!(ids(w.search("open=true&direction=arts").await), vec![uncertified]);
        assert_eq!(w.search("direction=arts").await["facets"]["open"], 1);
        // Bad values are clear errors.
        for bad in ["age=19", "age=abc", "direction=cooking", "cost=cheap", "per_page=0", "page=0", "sort=random"] {
            let (status, body) = problem(w.app.get(&format!("/api/v1/programs?{bad}"), None).await).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
            assert!(!body["detail"].as_str().unwrap().is_empty());
        }
    }

    async fn russian_text_matching(backend: Backend) {
        let w = World::open(backend).await;
        let s = w.smolensk;
        for (title, direction, profile) in [
            ("Робототехника", "technical", "робототехника"),
            ("Танцевальная студия «Грация»", "arts", "хореография"),
            ("Шахматный клуб «Ладья»", "physical_sports", "шахматы"),
            ("Ёлочная игрушка своими руками", "arts", "декоративно-прикладное творчество"),
            ("Юный краевед Смоленщины", "tourism_local_history", "краеведение"),
        ] {
            w.published(&w.staff, &w.operator, program(title, direction, profile, (7, 14), "free", s), false).await;
        }
        for (query, expected) in [
            ("робот", "Робототехника"),
            ("РОБОТ", "Робототехника"),
            ("Робототехника", "Робототехника"),
            ("робатехника", "Робототехника"),
            ("танц", "Танцевальная студия «Грация»"),
            ("шахматы", "Шахматный клуб «Ладья»"),
            ("ШАХМАТНЫЙ+клуб", "Шахматный клуб «Ладья»"),
            ("елочная", "Ёлочная игрушка своими руками"),
            ("ёлочная", "Ёлочная игрушка своими руками"),
            ("краевед", "Юный краевед Смоленщины"),
        ] {
            let titles = w.titles(&format!("q={query}")).await;
            assert_eq!(titles.first().map(String::as_str), Some(expected), "{query}: {titles:?}");
        }
        assert!(w.titles("q=футбол").await.is_empty());
        assert!(w.titles("q=шахматы+танцы").await.is_empty(), "every word must match");
    }

    async fn pages_and_orders(backend: Backend) {
        let w = World::open(backend).await;
        let mut ids = Vec::new();
        for n in 1..=7 {
            let body = program(&format!("Кружок рисования № {n}"), "arts", "изобразительное искусство", (6, 12), "free", w.smolensk);
            ids.push(w.published(&w.staff, &w.operator, body, false).await);
        }
        let first = w.search("per_page=3&sort=newest").await;
        assert_eq!((first["total"].as_i64(), first["items"].as_array().unwrap().len()), (Some(7), 3));
        assert_eq!(first["items"][0]["id"].as_i64(), ids.last().copied(), "newest first");
        let last = w.search("per_page=3&page=3&sort=newest").await;
        assert_eq!((last["total"].as_i64(), last["items"].as_array().unwrap().len()), (Some(7), 1));
        assert_eq!(last["items"][0]["id"].as_i64(), ids.first().copied());
        let beyond = w.search("per_page=3&page=4").await;
        assert_eq!((beyond["total"].as_i64(), beyond["items"].as_array().unwrap().len()), (Some(7), 0));
        let mut seen: Vec<i64> = Vec::new();
        for page in 1..=3 {
            let items = w.search(&format!("per_page=3&page={page}&sort=popularity")).await["items"].clone();
            seen.extend(items.as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()));
        }
        seen.sort();
        assert_eq!(seen, ids, "pages cover every program once");
    }

    async fn the_map_clusters_at_low_zoom(backend: Backend) {
        let w = World::open(backend).await;
        for (name, (lat, lon)) in [("Альфа", (54.78, 32.04)), ("Бета", (54.781, 32.041)), ("Гамма", (55.21, 34.29))] {
            let mut body = program(&format!("Секция волейбола «{name}»"), "physical_sports", "волейбол", (8, 16), "free", w.smolensk);
            body["lat"] = json!(lat);
            body["lon"] = json!(lon);
            w.published(&w.staff, &w.operator, body, false).await;
        }
        let map = |query: &'static str| {
            let app = &w.app;
            async move {
                let response = app.get(&format!("/api/v1/programs/map?{query}"), None).await;
                assert_eq!(response.status(), StatusCode::OK, "{query}");
                response.json::<Value>().await.unwrap()
            }
        };
        let region = map("bbox=30.5,53.5,35.5,56.0&zoom=7").await;
        assert_eq!(region["total"], 3);
        let counts: Vec<i64> = region["markers"].as_array().unwrap().iter().map(|m| m["count"].as_i64().unwrap()).collect();
        assert_eq!((counts.len(), counts.iter().sum::<i64>()), (2, 3), "two close programs share a cluster");
        let street = map("bbox=32.0,54.7,32.1,54.8&zoom=16").await;
        assert_eq!(street["total"], 2);
        assert!(street["markers"].as_array().unwrap().iter().all(|m| m["count"] == 1 && m["programs"][0]["title"].is_string()));
        assert_eq!((street["matching"].as_i64(), street["extent"].clone()), (Some(3), json!([32.04, 54.78, 34.29, 55.21])), "{street}");
        // A second program at the same address: one marker lists both, as no zoom would split them.
        let mut body = program("Секция волейбола «Дельта»", "physical_sports", "волейбол", (8, 16), "free", w.smolensk);
        body["lat"] = json!(54.78);
        body["lon"] = json!(32.04);
        w.published(&w.staff, &w.operator, body, false).await;
        let street = map("bbox=32.0,54.7,32.1,54.8&zoom=18").await;
        let markers = street["markers"].as_array().unwrap();
        assert_eq!(markers.len(), 2, "{street}");
        let shared = markers.iter().find(|m| m["count"] == 2).unwrap();
        let titles: Vec<&str> = shared["programs"].as_array().unwrap().iter().map(|p| p["title"].as_str().unwrap()).collect();
        assert_eq!(titles, ["Секция волейбола «Дельта»", "Секция волейбола «Альфа»"], "newest first");
        let only_one = map("bbox=30.5,53.5,35.5,56.0&zoom=16&q=гамма").await;
        assert_eq!(only_one["total"], 1);
        for bad in ["bbox=1,2,3", "bbox=35,56,30,53", "bbox=30.5,53.5,35.5,56.0&zoom=25", "bbox=30.5,53.5,35.5,56.0&age=20"] {
            let (status, body) = problem(w.app.get(&format!("/api/v1/programs/map?{bad}"), None).await).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        }
    }

    async fn the_organizations_registry(backend: Backend) {
        let w = World::open(backend).await;
        let valid_inn = navigator_shared::validate::Inn::with_checksum(673_200_001).as_str().to_owned();
        let body = json!({
            "name": "МБУ ДО «Дом детского творчества» г. Смоленска", "inn": valid_inn, "kind": "education",
            "municipality_id": w.smolensk, "address": "г. Смоленск, ул. Октябрьской революции, д. 5",
            "lat": 54.78, "lon": 32.05, "phone": "+7 4812 38-00-00", "email": "ddt@example.org",
            "website": "https://ddt.example.org", "is_provider": true, "can_activate": false,
        });
        let created = w.json(Method::POST, "/registry/organizations", &w.operator, body.clone(), StatusCode::CREATED).await;
        let id = created["id"].as_i64().unwrap();
        assert_eq!((created["is_provider"].as_bool(), created["staff"].as_array().map(Vec::len)), (Some(true), Some(0)));
        // The same INN twice; a wrong check digit; an activation point without its details.
        let (status, answer) = problem(w.send(Method::POST, "/registry/organizations", &w.operator, body.clone()).await).await;
        assert_eq!((status, answer["code"].as_str()), (StatusCode::CONFLICT, Some("inn_taken")));
        let mut wrong = body.clone();
        wrong["inn"] = json!("6732000010");
        wrong["can_activate"] = json!(true);
        let (status, answer) = problem(w.send(Method::POST, "/registry/organizations", &w.operator, wrong).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        for field in ["inn", "activation_contact", "reception_hours", "city_phone"] {
            assert!(answer["errors"][field].is_array(), "{field}: {answer}");
        }
        // Another municipality is outside the operator's territory.
        let mut foreign = body.clone();
        foreign["inn"] = json!(navigator_shared::validate::Inn::with_checksum(673_200_002).as_str());
        foreign["municipality_id"] = json!(w.vyazma);
        let (status, _) = problem(w.send(Method::POST, "/registry/organizations", &w.operator, foreign).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = problem(w.send(Method::GET, &format!("/registry/organizations/{id}"), &w.other_operator, json!({})).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // Search by a part of the name in another case and with ё; staff accounts appear in the record.
        let found = w.json(Method::GET, "/registry/organizations?q=ДЕТСКОГО%20ТВОРЧЕСТВА", &w.operator, json!({}), StatusCode::OK).await;
        assert_eq!(found["items"].as_array().unwrap().iter().filter(|o| o["id"] == id).count(), 1);
        let invited = w
            .json(Method::POST, "/registry/staff", &w.operator, json!({
                "email": "pedagog@example.org", "phone": "+7 912 000-00-01", "last_name": "Орлова", "first_name": "Анна",
                "middle_name": "", "municipality_id": w.smolensk, "organization_id": id,
            }), StatusCode::CREATED)
            .await;
        assert_eq!(invited["email"], "pedagog@example.org");
        let record = w.json(Method::GET, &format!("/registry/organizations/{id}"), &w.operator, json!({}), StatusCode::OK).await;
        assert_eq!(record["staff"][0]["full_name"], "Орлова Анна");
        // Public list and card; suspension takes the programs out of the catalog.
        let staff = w.app.staff_of("ddt-teacher@example.org", id).await;
        let program_id = w.published(&staff, &w.operator, program("Авиамоделирование", "technical", "авиамоделирование", (9, 15), "free", w.smolensk), false).await;
        let public: Value = w.app.get(&format!("/api/v1/organizations/{id}"), None).await.json().await.unwrap();
        assert_eq!(public["programs_count"], 1);
        let mut suspended = body.clone();
        suspended["status"] = json!("suspended");
        w.json(Method::PUT, &format!("/registry/organizations/{id}"), &w.operator, suspended, StatusCode::OK).await;
        assert!(w.titles("q=авиамоделирование").await.is_empty());
        let response = w.app.get(&format!("/api/v1/programs/{program_id}"), None).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let listed: Value = w.app.get("/api/v1/organizations?per_page=200", None).await.json().await.unwrap();
        assert!(listed["items"].as_array().unwrap().iter().all(|o| o["id"] != id));
        let changes: Value = w.app.get("/api/v1/organizations/changes?updated_since=2020-01-01T00:00:00", None).await.json().await.unwrap();
        let change = changes.as_array().unwrap().iter().find(|c| c["id"] == id).unwrap().clone();
        assert_eq!(change["state"], "suspended");
        let program_change: Value = w.app.get("/api/v1/programs/changes?updated_since=2020-01-01T00:00:00", None).await.json().await.unwrap();
        let withdrawn = program_change.as_array().unwrap().iter().find(|c| c["id"] == program_id).unwrap().clone();
        assert_eq!(withdrawn["state"], "withdrawn");
    }

    async fn another_instance_sees_changes_within_seconds(backend: Backend) {
        let w = World::open(backend).await;
        let id = w.published(&w.staff, &w.operator, program("Юный эколог", "natural_science", "экология", (7, 12), "free", w.smolensk), false).await;
        // A second instance over the same database: built at start, then polling.
        let url = w.app.database_url();
        let second = TestApp::spawn_on(backend, &url).await;
        let found: Value = second.get("/api/v1/programs?q=эколог", None).await.json().await.unwrap();
        assert_eq!(found["total"], 1);
        let renamed = program("Экологическая тропа", "natural_science", "экология", (7, 12), "free", w.smolensk);
        w.json(Method::PUT, &format!("/cabinet/programs/{id}"), &w.staff, renamed, StatusCode::OK).await;
        let started = std::time::Instant::now();
        loop {
            let page: Value = second.get("/api/v1/programs?q=тропа", None).await.json().await.unwrap();
            if page["total"] == 1 {
                break;
            }
            assert!(started.elapsed() < std::time::Duration::from_secs(5), "the second instance did not pick up the change");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
}
