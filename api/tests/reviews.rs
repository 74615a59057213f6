//! Reviews on both backends: who may write one, one per child and program,
//! the edit window, the organization's one answer, complaints, the
//! operator's hiding within his municipality, and the program's rating
//! kept exact under concurrent writes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use chrono::{Datelike, NaiveDate};
use futures_util::future::join_all;
use navigator_shared::accounts::Role;
use navigator_shared::applications::ApplicationStatus;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Backend, TestApp, problem};

struct World {
    app: TestApp,
    municipality: i64,
    organization: i64,
    staff: String,
    operator: String,
    parent: String,
    parent_id: i64,
    program: i64,
    group: i64,
}

fn birth(age: i32) -> NaiveDate {
    let today = navigator_api::clock::today();
    NaiveDate::from_ymd_opt(today.year() - age, 1, 15).unwrap()
}

const TEXT: &str = "Сын ходит с удовольствием, педагог внимательный и терпеливый.";

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
        let parent = app.account("mama@example.org", Role::Parent).await;
        let parent_id = app.account_id("mama@example.org").await;
        let (program, group, _) = app.published_program((organization, municipality), false, 30, 0).await;
        Self { app, municipality, organization, staff, operator, parent, parent_id, program, group }
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

    async fn public(&self, path: &str) -> Value {
        let response = self.app.get(&format!("/api/v1{path}"), None).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        response.json().await.unwrap()
    }

    /// A child of `parent` whose application to the program has `status`.
    async fn child(&self, parent: i64, n: u32, status: Option<ApplicationStatus>) -> i64 {
        let (child, _) = self.app.child_with_certificate(self.municipality, parent, n, birth(9), "none").await;
        if let Some(status) = status {
            self.applied(child, self.program, self.group, status).await;
        }
        child
    }

    async fn applied(&self, child: i64, program: i64, group: i64, status: ApplicationStatus) {
        let (organization, parent) = (self.organization, self.parent_id);
        self.app
            .state
            .db(move |c| {
                use navigator_api::applications::repo::{NewApplication, insert};
                let new = NewApplication {
                    child_id: navigator_shared::ids::ChildId(child),
                    group_id: group,
                    program_id: program,
                    organization_id: organization,
                    created_by: parent,
                    status,
                    source: None,
                };
                insert(c, &new, navigator_api::notifications::now())
            })
            .await
            .unwrap()
            .unwrap();
    }

    async fn write(&self, token: &str, child: i64, stars: i32) -> reqwest::Response {
        let body = json!({ "child_id": child, "stars": stars, "text": TEXT });
        self.send(Method::POST, &format!("/programs/{}/reviews", self.program), token, body).await
    }

    async fn review(&self, token: &str, child: i64, stars: i32) -> i64 {
        let response = self.write(token, child, stars).await;
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["id"].as_i64().unwrap()
    }

    /// The program's rating and count as the catalog shows them.
    async fn rating(&self) -> (Value, Value) {
        let card = self.public(&format!("/programs/{}", self.program)).await;
        (card["rating"].clone(), card["reviews_count"].clone())
    }

    /// Another family with a child who took part: (token, child).
    async fn family(&self, email: &str, n: u32) -> (String, i64) {
        let token = self.app.account(email, Role::Parent).await;
        let id = self.app.account_id(email).await;
        (token, self.child(id, n, Some(ApplicationStatus::Completed)).await)
    }
}

both_backends! {
    /// Only a family whose child took part may write, once per child and
    /// program; the form's rules answer on their fields; the review shows
    /// «участник программы» and the rating is its mean at once.
    async fn a_participant_reviews_once_per_child_and_others_are_told_why_not(backend: Backend) {
        let w = World::open(backend).await;
        let program = w.program;
        // Not signed in: 401; a guest still reads the (empty) list.
        let response = w.app.post(&format!("/api/v1/programs/{program}/reviews"), json!({})).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let empty = w.public(&format!("/programs/{program}/reviews")).await;
        assert_eq!((empty["total"].clone(), empty["rating"].clone(), empty["stars"].clone()), (json!(0), Value::Null, json!([0, 0, 0, 0, 0])));
        assert_eq!(w.rating().await, (Value::Null, json!(0)), "no rating without reviews");

        // A child who only applied, and one who was rejected, did not take part.
        let applied = w.child(w.parent_id, 1, Some(ApplicationStatus::Submitted)).await;
        let access = w.json(Method::GET, &format!("/programs/{program}/review-access"), &w.parent, Value::Null, StatusCode::OK).await;
        assert!(access["children"].as_array().unwrap().is_empty());
        assert!(access["reason"].as_str().unwrap().contains("зачислен"), "{access}");
        let (status, body) = problem(w.write(&w.parent, applied, 5).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("review_not_participant")));

        // Staff and operators are told they do not write reviews.
        let staff = w.json(Method::GET, &format!("/programs/{program}/review-access"), &w.staff, Value::Null, StatusCode::OK).await;
        assert!(staff["reason"].as_str().unwrap().contains("родители"));
        let (status, _) = problem(w.write(&w.staff, applied, 5).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // Somebody else's child lands on the field.
        let (_, stranger_child) = w.family("other@example.org", 9).await;
        let (status, body) = problem(w.write(&w.parent, stranger_child, 5).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["child_id"].is_array(), "{body}");

        // The rules of the form, every field at once.
        let bad = json!({ "child_id": applied, "stars": 0, "text": "Коротко" });
        let (status, body) = problem(w.send(Method::POST, &format!("/programs/{program}/reviews"), &w.parent, bad).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["stars"].is_array() && body["errors"]["text"][0].as_str().unwrap().contains("Не короче"), "{body}");
        let linked = json!({ "child_id": applied, "stars": 5, "text": "Отличный кружок, подробности на сайте club-kids.ru" });
        let (_, body) = problem(w.send(Method::POST, &format!("/programs/{program}/reviews"), &w.parent, linked).await).await;
        assert!(body["errors"]["text"][0].as_str().unwrap().contains("ссылки"), "{body}");

        // Enrolled and finished children take part: one review each.
        let enrolled = w.child(w.parent_id, 2, Some(ApplicationStatus::Enrolled)).await;
        let finished = w.child(w.parent_id, 3, Some(ApplicationStatus::Completed)).await;
        let access = w.json(Method::GET, &format!("/programs/{program}/review-access"), &w.parent, Value::Null, StatusCode::OK).await;
        assert_eq!(access["reason"], Value::Null);
        let children: Vec<i64> = access["children"].as_array().unwrap().iter().map(|c| c["child_id"].as_i64().unwrap()).collect();
        assert_eq!(children, vec![enrolled, finished]);

        let first = w.review(&w.parent, enrolled, 5).await;
        let (status, body) = problem(w.write(&w.parent, enrolled, 1).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("review_exists")));
        assert!(body["errors"]["child_id"].is_array());
        w.review(&w.parent, finished, 2).await;
        let access = w.json(Method::GET, &format!("/programs/{program}/review-access"), &w.parent, Value::Null, StatusCode::OK).await;
        assert!(access["reason"].as_str().unwrap().contains("уже написали"), "{access}");
        assert_eq!(access["mine"].as_array().unwrap().len(), 2);
        assert_eq!(access["children"][0]["review_id"], first);

        let page = w.public(&format!("/programs/{program}/reviews")).await;
        assert_eq!(page["total"], 2);
        assert_eq!(page["rating"], 3.5);
        assert_eq!(page["stars"], json!([0, 1, 0, 0, 1]));
        let newest = &page["items"][0];
        assert_eq!((newest["stars"].clone(), newest["author"].clone(), newest["participant"].clone()), (json!(2), json!("Анна П."), json!(true)));
        assert_eq!(newest["text"], TEXT);
        assert!(newest.get("child_id").is_none() && newest["hidden_reason"].is_null(), "no child named: {newest}");
        assert_eq!(w.rating().await, (json!(3.5), json!(2)), "the card's rating is the reviews' mean");
        let found = w.public("/programs?sort=rating").await;
        assert_eq!(found["items"][0]["reviews_count"], 2);
    }

    /// The author edits within 14 days, then no more; deleting takes the
    /// review out of the rating; page 2 holds the older reviews.
    async fn the_author_edits_within_fourteen_days_and_pages_go_on(backend: Backend) {
        let w = World::open(backend).await;
        let child = w.child(w.parent_id, 1, Some(ApplicationStatus::Completed)).await;
        let id = w.review(&w.parent, child, 3).await;
        let edited = w.json(Method::PATCH, &format!("/reviews/{id}"), &w.parent, json!({ "stars": 4, "text": TEXT }), StatusCode::OK).await;
        assert_eq!((edited["stars"].clone(), edited["edited"].clone()), (json!(4), json!(true)));
        assert_eq!(w.rating().await, (json!(4.0), json!(1)));
        // Nobody else edits or deletes it.
        let (other, _) = w.family("other@example.org", 2).await;
        w.json(Method::PATCH, &format!("/reviews/{id}"), &other, json!({ "stars": 1, "text": TEXT }), StatusCode::NOT_FOUND).await;
        w.json(Method::DELETE, &format!("/reviews/{id}"), &other, json!({}), StatusCode::NOT_FOUND).await;
        let (status, body) = problem(w.send(Method::PATCH, &format!("/reviews/{id}"), &w.parent, json!({ "stars": 9, "text": "" })).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["stars"].is_array() && body["errors"]["text"].is_array());

        // Fifteen days later the window is closed.
        w.app
            .state
            .db(move |c| {
                use diesel::prelude::*;
                use navigator_api::db::schema::reviews;
                let then = navigator_api::notifications::now() - chrono::TimeDelta::days(15);
                diesel::update(reviews::table.find(id)).set((reviews::created_at.eq(then), reviews::updated_at.eq(then))).execute(c)
            })
            .await
            .unwrap();
        let (status, body) = problem(w.send(Method::PATCH, &format!("/reviews/{id}"), &w.parent, json!({ "stars": 1, "text": TEXT })).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("review_edit_closed")));
        assert_eq!(w.rating().await, (json!(4.0), json!(1)), "the refused edit changed nothing");

        // Twelve more reviews: page 2 of ten.
        for n in 0..12 {
            let (token, child) = w.family(&format!("family{n}@example.org"), 10 + n).await;
            w.review(&token, child, 5).await;
        }
        let second = w.public(&format!("/programs/{}/reviews?page=2", w.program)).await;
        assert_eq!((second["total"].clone(), second["page"].clone(), second["items"].as_array().unwrap().len()), (json!(13), json!(2), 3));
        assert_eq!(second["items"][2]["id"], id, "the oldest is last");
        let (status, body) = problem(w.app.get(&format!("/api/v1/programs/{}/reviews?per_page=500", w.program), None).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["per_page"].is_array());

        w.json(Method::DELETE, &format!("/reviews/{id}"), &w.parent, json!({}), StatusCode::NO_CONTENT).await;
        assert_eq!(w.rating().await, (json!(5.0), json!(12)));
        let missing = w.app.get("/api/v1/programs/999999/reviews", None).await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    }

    /// The organization answers once; complaints go to the operator of the
    /// program's municipality, who hides the review with a reason the author
    /// reads, and the rating stops counting it; another municipality's
    /// operator cannot touch it.
    async fn the_organization_answers_once_and_the_operator_hides_with_a_reason(backend: Backend) {
        let w = World::open(backend).await;
        let good = {
            let child = w.child(w.parent_id, 1, Some(ApplicationStatus::Completed)).await;
            w.review(&w.parent, child, 5).await
        };
        let (rude_author, rude_child) = w.family("rude@example.org", 2).await;
        let rude = w.review(&rude_author, rude_child, 1).await;
        assert_eq!(w.rating().await, (json!(3.0), json!(2)));

        // The organization's list and its one answer.
        let inbox = w.json(Method::GET, "/cabinet/reviews?unanswered=true", &w.staff, Value::Null, StatusCode::OK).await;
        assert_eq!(inbox["total"], 2);
        assert_eq!(inbox["items"][0]["program_title"], "Робототехника");
        let (status, body) = problem(w.send(Method::POST, &format!("/reviews/{good}/reply"), &w.staff, json!({ "text": " " })).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["text"].is_array());
        let answered = w.json(Method::POST, &format!("/reviews/{good}/reply"), &w.staff, json!({ "text": "Спасибо, ждём снова!" }), StatusCode::OK).await;
        assert_eq!(answered["reply"]["text"], "Спасибо, ждём снова!");
        let (status, body) = problem(w.send(Method::POST, &format!("/reviews/{good}/reply"), &w.staff, json!({ "text": "Ещё ответ" })).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("review_answered")));
        let inbox = w.json(Method::GET, "/cabinet/reviews?unanswered=true", &w.staff, Value::Null, StatusCode::OK).await;
        assert_eq!(inbox["total"], 1);
        // Another organization's staff sees none of it and cannot answer.
        let other_org = w.app.organization(w.municipality, false).await;
        let other_staff = w.app.staff_of("other-staff@example.org", other_org).await;
        let theirs = w.json(Method::GET, "/cabinet/reviews", &other_staff, Value::Null, StatusCode::OK).await;
        assert_eq!(theirs["total"], 0);
        w.json(Method::POST, &format!("/reviews/{rude}/reply"), &other_staff, json!({ "text": "Ответ" }), StatusCode::NOT_FOUND).await;
        w.json(Method::GET, "/cabinet/reviews", &w.parent, Value::Null, StatusCode::FORBIDDEN).await;
        let page = w.public(&format!("/programs/{}/reviews", w.program)).await;
        assert_eq!(page["items"][1]["reply"]["organization"].as_str().map(|s| s.contains("Средняя школа")), Some(true));

        // Complaints: any signed-in user, once; not on one's own review.
        let reason = json!({ "reason": "Оскорбления в адрес педагога" });
        w.json(Method::POST, &format!("/reviews/{rude}/complaints"), &w.parent, reason.clone(), StatusCode::NO_CONTENT).await;
        let (status, body) = problem(w.send(Method::POST, &format!("/reviews/{rude}/complaints"), &w.parent, reason.clone()).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("complaint_exists")));
        let (status, body) = problem(w.send(Method::POST, &format!("/reviews/{rude}/complaints"), &rude_author, reason.clone()).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("own_review")));
        w.json(Method::POST, &format!("/reviews/{rude}/complaints"), &w.staff, reason.clone(), StatusCode::NO_CONTENT).await;
        let (status, body) = problem(w.send(Method::POST, &format!("/reviews/{good}/complaints"), &w.staff, json!({ "reason": "" })).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["reason"].is_array());

        // The operator's queue: only his municipality's.
        let queue = w.json(Method::GET, "/moderation/reviews", &w.operator, Value::Null, StatusCode::OK).await;
        assert_eq!(queue["total"], 1);
        assert_eq!(queue["items"][0]["review"]["id"], rude);
        assert_eq!(queue["items"][0]["complaints"].as_array().unwrap().len(), 2);
        let elsewhere = w.app.municipality("город Ярцево").await;
        let stranger = w.app.operator_of("stranger@example.org", elsewhere).await;
        let theirs = w.json(Method::GET, "/moderation/reviews?filter=all", &stranger, Value::Null, StatusCode::OK).await;
        assert_eq!(theirs["total"], 0);
        let (status, body) = problem(w.send(Method::POST, &format!("/reviews/{rude}/hide"), &stranger, reason.clone()).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("outside_territory")));
        w.json(Method::GET, "/moderation/reviews", &w.parent, Value::Null, StatusCode::FORBIDDEN).await;
        let (status, _) = problem(w.app.get("/api/v1/moderation/reviews?filter=nope", Some(&w.operator)).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);

        // Hidden with a reason: gone from the list and the rating; the author reads why.
        let (status, body) = problem(w.send(Method::POST, &format!("/reviews/{rude}/hide"), &w.operator, json!({ "reason": "" })).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["reason"].is_array());
        let why = "Оскорбления: правила площадки запрещают переход на личности";
        let hidden = w.json(Method::POST, &format!("/reviews/{rude}/hide"), &w.operator, json!({ "reason": why }), StatusCode::OK).await;
        assert_eq!((hidden["status"].clone(), hidden["hidden_reason"].clone()), (json!("hidden"), json!(why)));
        let (status, body) = problem(w.send(Method::POST, &format!("/reviews/{rude}/hide"), &w.operator, json!({ "reason": why })).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("review_status_unchanged")));
        assert_eq!(w.rating().await, (json!(5.0), json!(1)));
        let page = w.public(&format!("/programs/{}/reviews", w.program)).await;
        assert_eq!(page["total"], 1);
        let queue = w.json(Method::GET, "/moderation/reviews", &w.operator, Value::Null, StatusCode::OK).await;
        assert_eq!(queue["total"], 0, "hiding resolved the complaints");
        let hidden_list = w.json(Method::GET, "/moderation/reviews?filter=hidden", &w.operator, Value::Null, StatusCode::OK).await;
        assert_eq!(hidden_list["items"][0]["complaints"][0]["resolved"], true);
        let access = w.json(Method::GET, &format!("/programs/{}/review-access", w.program), &rude_author, Value::Null, StatusCode::OK).await;
        assert_eq!(access["mine"][0]["hidden_reason"], why);
        let messages = w.json(Method::GET, "/me/messages", &rude_author, Value::Null, StatusCode::OK).await;
        assert!(messages.to_string().contains(why), "the author is told: {messages}");
        // A hidden review takes no complaints.
        w.json(Method::POST, &format!("/reviews/{rude}/complaints"), &w.staff, json!({ "reason": "Ещё раз жалоба" }), StatusCode::NOT_FOUND).await;

        // Shown again, it counts again; unfounded complaints are dismissed.
        w.json(Method::POST, &format!("/reviews/{rude}/restore"), &w.operator, json!({}), StatusCode::OK).await;
        assert_eq!(w.rating().await, (json!(3.0), json!(2)));
        w.json(Method::POST, &format!("/reviews/{good}/complaints"), &rude_author, json!({ "reason": "Похоже на рекламу" }), StatusCode::NO_CONTENT).await;
        w.json(Method::POST, &format!("/reviews/{good}/complaints/dismiss"), &w.operator, json!({}), StatusCode::NO_CONTENT).await;
        let (status, _) = problem(w.send(Method::POST, &format!("/reviews/{good}/complaints/dismiss"), &w.operator, json!({})).await).await;
        assert_eq!(status, StatusCode::CONFLICT);
        let queue = w.json(Method::GET, "/moderation/reviews", &w.operator, Value::Null, StatusCode::OK).await;
        assert_eq!(queue["total"], 0);
    }

    /// Thirty families review one program at once: every review counts and
    /// the kept rating equals the mean of the rows. A child's two parallel
    /// reviews make one. Reviews and complaints are rate-limited.
    async fn parallel_reviews_keep_the_rating_exact_and_limits_hold(backend: Backend) {
        let w = World::open_with(backend, |config| {
            config.rate_limits.reviews_per_account = 2;
            config.rate_limits.complaints_per_account = 1;
        })
        .await;
        let mut families = Vec::new();
        for n in 0..30 {
            families.push(w.family(&format!("parallel{n}@example.org"), 100 + n).await);
        }
        let answers = join_all(families.iter().enumerate().map(|(i, (token, child))| w.write(token, *child, 1 + (i as i32 % 5)))).await;
        assert!(answers.iter().all(|a| a.status() == StatusCode::CREATED));
        let (rating, count) = w.rating().await;
        assert_eq!(count, 30);
        assert_eq!(rating, 3.0, "(1+2+3+4+5)×6 / 30");
        let page = w.public(&format!("/programs/{}/reviews", w.program)).await;
        assert_eq!(page["stars"], json!([6, 6, 6, 6, 6]));

        // One child, two reviews at once: one is written.
        let (token, child) = w.family("twice@example.org", 200).await;
        let both = join_all([w.write(&token, child, 5), w.write(&token, child, 4)]).await;
        let mut statuses: Vec<u16> = both.iter().map(|r| r.status().as_u16()).collect();
        statuses.sort_unstable();
        assert_eq!(statuses, vec![201, 409]);
        assert_eq!(w.rating().await.1, 31);

        // The third review within the window is refused with Retry-After.
        let id = w.app.account_id("twice@example.org").await;
        let third = w.child(id, 201, Some(ApplicationStatus::Completed)).await;
        let response = w.write(&token, third, 5).await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(response.headers().get("retry-after").is_some());
        let target = page["items"][0]["id"].as_i64().unwrap();
        let complaint = json!({ "reason": "Не по теме программы" });
        w.json(Method::POST, &format!("/reviews/{target}/complaints"), &token, complaint.clone(), StatusCode::NO_CONTENT).await;
        let other = page["items"][1]["id"].as_i64().unwrap();
        let response = w.send(Method::POST, &format!("/reviews/{other}/complaints"), &token, complaint).await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    }
}

both_backends! {
    /// The demo's ratings all come from its reviews: each rated program's
    /// rating and count are its reviews' mean and number; a program without
    /// reviews has none; the provider answered some; the operator's queue
    /// holds a complaint; the demo family's enrolled child may write one.
    async fn every_demo_rating_is_the_mean_of_its_reviews(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        assert!(navigator_api::demo::seed_if_empty(&app.state, navigator_api::demo::Size { programs: 300, children: 200 }).await.unwrap());
        // The catalog of this instance, as a server started on the seeded database builds it.
        let ids: Vec<i64> = app
            .state
            .db(|c| {
                use diesel::prelude::*;
                navigator_api::db::schema::programs::table.select(navigator_api::db::schema::programs::id).load(c)
            })
            .await
            .unwrap();
        navigator_api::catalog::service::reindex(&app.state, ids).await.unwrap();
        let mut rated = 0;
        let mut replies = 0;
        for page in 1..=3 {
            let list: Value = app.get(&format!("/api/v1/programs?per_page=100&page={page}"), None).await.json().await.unwrap();
            for program in list["items"].as_array().unwrap() {
                let id = program["id"].as_i64().unwrap();
                let reviews: Value = app.get(&format!("/api/v1/programs/{id}/reviews?per_page=50"), None).await.json().await.unwrap();
                let stars: Vec<i64> = reviews["stars"].as_array().unwrap().iter().map(|s| s.as_i64().unwrap()).collect();
                let count: i64 = stars.iter().sum();
                assert_eq!((program["reviews_count"].as_i64(), reviews["total"].as_i64()), (Some(count), Some(count)), "{id}");
                if count == 0 {
                    assert!(program["rating"].is_null(), "a rating without reviews: {program}");
                    continue;
                }
                rated += 1;
                let mean = stars.iter().zip(1..).map(|(n, s)| n * s).sum::<i64>() as f64 / count as f64;
                assert!((program["rating"].as_f64().unwrap() - mean).abs() < 1e-9, "{id}: {program} vs {mean}");
                replies += reviews["items"].as_array().unwrap().iter().filter(|r| !r["reply"].is_null()).count();
            }
        }
        assert!(rated >= 10, "{rated} rated programs");
        assert!(replies >= 1, "the provider answered some reviews");
        let (operator, _) = app.login("operator@example.org", navigator_api::demo::PASSWORD).await;
        let queue: Value = app.get("/api/v1/moderation/reviews", Some(&operator)).await.json().await.unwrap();
        assert_eq!(queue["total"], 1, "{queue}");
        let (family, _) = app.login("family001@example.org", navigator_api::demo::PASSWORD).await;
        let mine: Value = app.get("/api/v1/me/messages", Some(&family)).await.json().await.unwrap();
        assert!(mine.is_object());
        // Артём's enrolled program: the demo parent may review it.
        let (parent, _) = app.login("parent@example.org", navigator_api::demo::PASSWORD).await;
        let list: Value = app.get("/api/v1/applications", Some(&parent)).await.json().await.unwrap();
        let enrolled = list["items"].as_array().unwrap().iter().find(|a| a["status"] == "enrolled").unwrap();
        let program = enrolled["program_id"].as_i64().unwrap();
        let access: Value = app.get(&format!("/api/v1/programs/{program}/review-access"), Some(&parent)).await.json().await.unwrap();
        assert_eq!(access["reason"], Value::Null, "{access}");
        assert_eq!(access["children"].as_array().unwrap().len(), 1);
    }
}
