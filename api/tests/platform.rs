//! The platform under the features: reference data, probes, the web client
//! fallback, the outbox, both migration sets and the committed OpenAPI document.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod support;

use std::collections::BTreeMap;

use diesel::prelude::*;
use navigator_api::db::{self, DbConn};
use navigator_api::notifications::{self, Recipient, templates};
use reqwest::StatusCode;
use serde_json::Value;
use support::{Backend, TestApp, TestDb, problem};

both_backends! {
    async fn municipalities_are_listed_alphabetically_page_by_page(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        for name in ["Ярцевский район", "город Смоленск", "Вяземский район"] {
            app.municipality(name).await;
        }
        let page: Value = app.get("/api/v1/municipalities?per_page=2", None).await.json().await.unwrap();
        assert_eq!(page["total"], 3);
        assert_eq!((page["page"].as_i64(), page["per_page"].as_i64()), (Some(1), Some(2)));
        let names: Vec<&str> = page["items"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Вяземский район", "Ярцевский район"]);
        let second: Value = app.get("/api/v1/municipalities?per_page=2&page=2", None).await.json().await.unwrap();
        assert_eq!(second["items"][0]["name"], "город Смоленск");
    }

    async fn the_region_has_the_default_age_range(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let region: Value = app.get("/api/v1/region", None).await.json().await.unwrap();
        assert_eq!((region["child_age_min"].as_i64(), region["child_age_max"].as_i64()), (Some(5), Some(18)));
    }

    async fn probes_report_the_process_and_the_database(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        assert_eq!(app.get("/healthz", None).await.status(), StatusCode::OK);
        assert_eq!(app.get("/readyz", None).await.status(), StatusCode::OK);
    }

    async fn client_routes_fall_back_to_the_web_client_and_docs_are_served(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let page = app.get("/profile", None).await;
        assert_eq!(page.status(), StatusCode::OK);
        assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        let spec: Value = app.get("/api/openapi.json", None).await.json().await.unwrap();
        assert!(spec["paths"]["/api/v1/auth/login"]["post"].is_object());
        let docs = app.get("/api/docs/", None).await;
        assert_eq!(docs.status(), StatusCode::OK);
        assert!(docs.text().await.unwrap().contains("swagger"));
        let (status, _) = problem(app.get("/api/v2/anything", None).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // A missing file is a 404, not the client's page.
        let icon = app.get("/favicon.ico", None).await;
        assert_eq!(icon.status(), StatusCode::NOT_FOUND);
        assert!(!icon.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    }

    /// The web client's files go out as the brotli or gzip copy `make web`
    /// wrote beside them when the browser accepts it, as they are otherwise;
    /// the hashed bundles are cached for a year, the page shell is revalidated.
    async fn web_client_files_are_sent_precompressed_when_the_browser_accepts_it(backend: Backend) {
        let dist = tempfile::tempdir().unwrap();
        let wasm = "app-0123456789abcdef/navigator-web_bg.wasm";
        std::fs::create_dir(dist.path().join("app-0123456789abcdef")).unwrap();
        for (name, body) in [("index.html", "<!doctype html><title>Навигатор</title>"), (wasm, "\0asm-file")] {
            std::fs::write(dist.path().join(name), body).unwrap();
            std::fs::write(dist.path().join(format!("{name}.br")), format!("br:{name}")).unwrap();
            std::fs::write(dist.path().join(format!("{name}.gz")), format!("gz:{name}")).unwrap();
        }
        let web_dist = dist.path().to_owned();
        let app = TestApp::spawn_with(backend, move |c| c.web_dist = web_dist).await;
        let fetch = |path: &str, headers: &[(&str, &str)]| {
            let mut request = app.client.get(app.url(path));
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            request.send()
        };
        let header = |response: &reqwest::Response, name: &str| {
            response.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
        };
        let bundle = format!("/{wasm}");

        let br = fetch(&bundle, &[("accept-encoding", "gzip, deflate, br, zstd")]).await.unwrap();
        assert_eq!(br.status(), StatusCode::OK);
        assert_eq!(header(&br, "content-encoding"), "br");
        assert_eq!(header(&br, "content-type"), "application/wasm");
        assert!(header(&br, "vary").eq_ignore_ascii_case("accept-encoding"));
        assert_eq!(header(&br, "cache-control"), "public, max-age=31536000, immutable");
        let etag = header(&br, "etag");
        assert_eq!(br.text().await.unwrap(), format!("br:{wasm}"));
        // The copy is revalidated by its own tag.
        let again = fetch(&bundle, &[("accept-encoding", "br"), ("if-none-match", &etag)]).await.unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        let head = app.client.head(app.url(&bundle)).header("accept-encoding", "br").send().await.unwrap();
        assert_eq!((head.status(), header(&head, "content-encoding")), (StatusCode::OK, "br".to_owned()));

        let gzip = fetch(&bundle, &[("accept-encoding", "gzip")]).await.unwrap();
        assert_eq!((header(&gzip, "content-encoding"), header(&gzip, "content-type")), ("gzip".into(), "application/wasm".into()));
        assert_ne!(header(&gzip, "etag"), etag);
        assert_eq!(gzip.text().await.unwrap(), format!("gz:{wasm}"));

        for accept in [&[("accept-encoding", "identity")][..], &[]] {
            let plain = fetch(&bundle, accept).await.unwrap();
            assert_eq!(plain.status(), StatusCode::OK);
            assert_eq!(header(&plain, "content-encoding"), "");
            assert_eq!(header(&plain, "content-type"), "application/wasm");
            assert!(header(&plain, "vary").eq_ignore_ascii_case("accept-encoding"));
            assert_eq!(plain.text().await.unwrap(), "\0asm-file");
        }
        // A range is cut from the file itself, never from a copy.
        let range = fetch(&bundle, &[("accept-encoding", "br"), ("range", "bytes=1-3")]).await.unwrap();
        assert_eq!(range.status(), StatusCode::PARTIAL_CONTENT);
        assert!(matches!(header(&range, "content-encoding").as_str(), "" | "identity"));
        assert_eq!(range.text().await.unwrap(), "asm");

        // The shell, at `/` and at a client route: compressed too, and never kept without asking.
        for path in ["/", "/catalog"] {
            let page = fetch(path, &[("accept-encoding", "gzip, br")]).await.unwrap();
            assert_eq!(page.status(), StatusCode::OK);
            assert_eq!(header(&page, "content-encoding"), "br");
            assert_eq!(header(&page, "content-type"), "text/html; charset=utf-8");
            assert_eq!(header(&page, "cache-control"), "no-cache");
            assert!(header(&page, "vary").eq_ignore_ascii_case("accept-encoding"));
            assert_eq!(page.text().await.unwrap(), "br:index.html");
        }
        let page = fetch("/catalog", &[]).await.unwrap();
        assert_eq!(header(&page, "cache-control"), "no-cache");
        assert!(page.text().await.unwrap().contains("Навигатор"));
        // A missing file stays a 404 whatever the browser accepts.
        let missing = fetch("/app-ffffffffffffffff/navigator-web.js", &[("accept-encoding", "br")]).await.unwrap();
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    }

    /// Notifications never go to an unconfirmed address; access emails do.
    async fn notifications_go_only_to_confirmed_addresses(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        app.confirmed_parent("mama@example.org").await;
        let id: i64 = app.state.db(|c| {
            use navigator_api::db::schema::users::dsl::*;
            users.select(id).first(c)
        }).await.unwrap();
        let (to_unconfirmed, to_confirmed) = app.state.db(move |c| {
            let unconfirmed = Recipient { user_id: id, address: "mama@example.org", confirmed: false };
            let confirmed = Recipient { confirmed: true, ..unconfirmed };
            let a = notifications::notify(c, unconfirmed, templates::password_changed("Мария"))?;
            let b = notifications::notify(c, confirmed, templates::password_changed("Мария"))?;
            Ok::<_, diesel::result::Error>((a, b))
        }).await.unwrap();
        assert_eq!((to_unconfirmed, to_confirmed), (false, true));
    }

    /// A message that cannot be delivered stays in the outbox for a later retry.
    async fn a_failed_delivery_is_kept_and_retried_later(backend: Backend) {
        let app = TestApp::spawn_with(backend, |c| c.smtp_url = Some(navigator_api::config::Secret::new(b"smtp://127.0.0.1:9".to_vec()))).await;
        let municipality = app.municipality("город Смоленск").await;
        app.post("/api/v1/auth/register", app.registration("mama@example.org", municipality)).await;
        let started = std::time::Instant::now();
        loop {
            let row: Option<(String, i32, Option<String>)> = app.state.db(|c| {
                use navigator_api::db::schema::outbox_emails::dsl::*;
                outbox_emails.select((status, attempts, last_error)).filter(attempts.gt(0)).first(c).optional()
            }).await.unwrap();
            if let Some((status, attempts, error)) = row {
                assert_eq!((status.as_str(), attempts), ("pending", 1));
                assert!(error.is_some());
                break;
            }
            assert!(started.elapsed().as_secs() < 15, "the worker never tried");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
}

fn columns(conn: &mut DbConn) -> BTreeMap<String, Vec<(String, String, bool)>> {
    #[derive(QueryableByName)]
    struct Column {
        #[diesel(sql_type = diesel::sql_types::Text)]
        table_name: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        column_name: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        data_type: String,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        nullable: bool,
    }
    let sql = if conn.is_sqlite() {
        "SELECT m.name AS table_name, p.name AS column_name, p.type AS data_type, \
                (p.\"notnull\" = 0 AND p.pk = 0) AS nullable \
         FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '__diesel_schema_migrations'"
    } else {
        "SELECT table_name::text AS table_name, column_name::text AS column_name, data_type::text AS data_type, \
                (is_nullable = 'YES') AS nullable \
         FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'"
    };
    let mut tables: BTreeMap<String, Vec<(String, String, bool)>> = BTreeMap::new();
    for c in diesel::sql_query(sql).load::<Column>(conn).unwrap() {
        let kind = match c.data_type.to_lowercase().as_str() {
            "integer" | "bigint" => "integer",
            "text" => "text",
            "boolean" => "boolean",
            "timestamp" | "timestamp without time zone" => "timestamp",
            "date" => "date",
            "double precision" => "double",
            other => panic!("column {}.{} has a type {other} not shared by both backends", c.table_name, c.column_name),
        };
        tables.entry(c.table_name).or_default().push((c.column_name, kind.to_owned(), c.nullable));
    }
    for cols in tables.values_mut() {
        cols.sort();
    }
    tables
}

#[test]
fn both_migration_sets_create_the_same_tables_and_columns() {
    let sqlite = TestDb::empty(Backend::Sqlite);
    let postgres = TestDb::empty(Backend::Postgres);
    let mut schemas = Vec::new();
    for url in [&sqlite.url, &postgres.url] {
        let pool = db::connect(url, 1).unwrap();
        let mut conn = pool.get().unwrap();
        db::migrate(&mut conn).unwrap();
        schemas.push(columns(&mut conn));
    }
    assert!(schemas[0].contains_key("users"));
    assert_eq!(schemas[0], schemas[1]);
}

#[test]
fn the_committed_openapi_document_matches_the_code() {
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json")).unwrap_or_default();
    let generated = navigator_api::openapi::document_json().unwrap();
    assert!(committed == generated, "openapi/openapi.json is out of date: run `make openapi` and commit the result");
}
