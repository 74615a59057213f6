//! The operator's funding periods and request queue.

use chrono::{Datelike, TimeDelta};
use diesel::prelude::*;
use navigator_api::crypto::DataCipher;
use navigator_api::db::DbConn;
use navigator_api::error::ApiError;
use thirtyfour::prelude::WebDriverError;

use crate::harness::{Backend, Browser, Server};
use crate::{STAFF_PASSWORD, sign_in};

const OPERATOR: &str = "irina.volkova@example.org";

/// A request in the queue: its id and certificate number.
struct Filed {
    id: i64,
    number: String,
}

impl Filed {
    /// The CSS selector of `inner` inside this request's item.
    fn css(&self, inner: &str) -> String {
        format!(".funding-request[data-request-id='{}'] {inner}", self.id)
    }
}

/// A family of `municipality` with three children whose active certificates
/// ask for this year's nominal, as `funding::service::file` files them for
/// the API; the last one is past its due date.
fn three_requests(conn: &mut DbConn, cipher: &DataCipher, municipality: i64) -> Result<Vec<Filed>, ApiError> {
    use navigator_api::db::schema::funding_requests as r;
    use navigator_api::demo::people::{self, Kid};
    use navigator_shared::children::Sex;

    let email = serde_json::from_value(serde_json::json!("family.funding@example.org")).unwrap();
    let parent = navigator_api::accounts::service::create_confirmed_account(
        conn,
        &email,
        "-",
        navigator_shared::accounts::Role::Parent,
        ("Кузнецова", "Анна", Some("Петровна")),
        "+79120000077",
        Some(municipality),
    )?
    .expect("a new family account");
    let kids = [
        ("Кузнецов", "Илья", "Андреевич", Sex::Male, "112233401"),
        ("Кузнецова", "Дарья", "Андреевна", Sex::Female, "112233402"),
        ("Кузнецов", "Пётр", "Андреевич", Sex::Male, "112233403"),
    ];
    let mut filed = Vec::new();
    for (n, (last, first, middle, sex, snils)) in kids.into_iter().enumerate() {
        let birth =
            chrono::NaiveDate::from_ymd_opt(navigator_api::clock::today().year() - 12 + n as i32, 3, 10).unwrap();
        let kid = Kid { last, first, middle, birth, sex, snils, municipality };
        let child = people::child(conn, cipher, parent, &kid)?.expect("a new child");
        let number = format!("67{:08}", 27_182_818 + n);
        people::certificate(conn, child, &number, "active", None)?;
        let row = navigator_api::children::repo::find(conn, child)?.expect("the child");
        let request = navigator_api::funding::service::file(
            conn,
            parent,
            &row,
            navigator_shared::funding::FundingKind::Personified,
        )?;
        filed.push(Filed { id: request.id, number });
    }
    let late = navigator_api::clock::today() - TimeDelta::days(3);
    diesel::update(r::table.find(filed[2].id)).set(r::due_date.eq(late)).execute(conn)?;
    Ok(filed)
}

/// The operator opens a funding period (after a mistake), raises its count
/// limit, then credits two nominals from the queue and refuses the third one
/// the limit no longer covers, with that reason.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operator_opens_a_funding_period_and_decides_the_requests() {
    let server = Server::start(Backend::Postgres).await;
    let browser = Browser::start().await;
    server.account_with_role(OPERATOR, STAFF_PASSWORD, "operator").await;
    let year = server.today().year();
    let result = async {
        let b = &browser;
        sign_in(b, &server, OPERATOR, STAFF_PASSWORD).await?;
        b.click("#funding-periods-link").await?;
        b.wait_path("/funding-periods").await?;
        b.wait_text(".empty-state", "Периодов финансирования пока нет").await?;
        b.wait_value("municipality_id", &server.municipality.to_string()).await?;
        b.wait_value("year", &year.to_string()).await?;

        b.fill("nominal", "0").await?;
        b.fill("max_certificates", "1").await?;
        b.fill("max_volume", "1 000 000").await?;
        b.set_value("starts_on", &format!("{year}-03-01")).await?;
        b.set_value("ends_on", &format!("{year}-01-31")).await?;
        b.submit("#period-form").await?;
        b.wait_text("[data-error-for='nominal']", "больше нуля").await?;
        b.wait_text("[data-error-for='ends_on']", "раньше его начала").await?;
        b.check_page().await?;

        b.fill("nominal", "10 000").await?;
        b.set_value("starts_on", &format!("{year}-01-01")).await?;
        b.set_value("ends_on", &format!("{year}-12-31")).await?;
        b.submit("#period-form").await?;
        b.wait_text("#period-form .notice", &format!("Период на {year} год открыт")).await?;
        b.wait_text(".funding-period .item-title", &format!("город Смоленск, {year} год")).await?;
        b.wait_text(".funding-period .period-count", "Сертификатов: 0 из 1").await?;

        b.click(".funding-period .edit-period").await?;
        b.wait_for("#period-edit-form").await?;
        b.fill_css("#edit-max_certificates", "2").await?;
        b.submit("#period-edit-form").await?;
        b.wait_text(".funding-period .notice", "Изменения сохранены").await?;
        b.wait_text(".funding-period .period-count", "Сертификатов: 0 из 2").await?;
        b.check_page().await?;

        let (municipality, cipher) = (server.municipality, server.state.cipher.clone());
        let filed = server
            .state
            .db(move |c| three_requests(c, &cipher, municipality))
            .await
            .map_err(|e| WebDriverError::FatalError(format!("filing the requests: {e:?}")))?;
        let [first, second, third] = &filed[..] else { unreachable!("three requests") };

        b.click("#funding-requests-link").await?;
        b.wait_path("/funding-requests").await?;
        b.wait_text(".list-total", "Заявлений: 3").await?;
        b.wait_text(&first.css(".request-number"), &first.number).await?;
        b.wait_text(&first.css(".request-child"), "Кузнецов Илья Андреевич").await?;
        b.wait_text(&third.css(".badge-overdue"), "Просрочено").await?;
        if b.count(".funding-request.overdue").await? != 1 {
            return Err(WebDriverError::FatalError("only the late request is overdue".into()));
        }
        b.check_page().await?;

        for request in [first, second] {
            b.click(&request.css(".approve-funding")).await?;
            b.wait_text(&request.css(".request-status"), "Номинал зачислен").await?;
        }
        if b.count(&first.css(".approve-funding")).await? != 0 {
            return Err(WebDriverError::FatalError("a decided request still offers to approve".into()));
        }

        // The count limit is used up: the operator refuses with the reason the API named.
        b.click(&third.css(".approve-funding")).await?;
        b.wait_text(&third.css(".form-error"), "Достигнуто предельное число").await?;
        b.click(&third.css(".refuse-funding")).await?;
        b.wait_for("#refuse-form").await?;
        b.wait_value("reason", "count_limit").await?;
        b.fill("comment", "Подайте заявление в следующем году").await?;
        b.submit("#refuse-form").await?;
        b.wait_text(&third.css(".request-status"), "Отказано").await?;
        b.wait_text(&third.css(".request-reason"), "предельное число сертификатов").await?;
        if b.count(&third.css("button")).await? != 0 {
            return Err(WebDriverError::FatalError("a refused request still has its buttons".into()));
        }
        b.check_page().await?;

        b.choose("status", "approved").await?;
        b.wait_text(".list-total", "Заявлений: 2").await?;
        b.open(&server.url("/funding-periods")).await?;
        b.wait_text(".funding-period .period-count", "Сертификатов: 2 из 2").await
    }
    .await;
    browser.finish("operator_opens_a_funding_period_and_decides_the_requests", result).await;
}

/// The social certificate in hours: the operator opens the social period
/// with its nominal in hours, the family asks for it on the certificate
/// page, the operator credits it, and the family sees the hours on their
/// own account beside the ПФДО roubles.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn social_certificate_in_hours_journey() {
    const FAMILY: &str = "oleg.petrov@example.org";
    let server = Server::start(Backend::Sqlite).await;
    let browser = Browser::start().await;
    server.account_with_role(OPERATOR, STAFF_PASSWORD, "operator").await;
    let child = server.family_with_certificate(FAMILY, STAFF_PASSWORD, "Миша", "6700000401").await;
    let year = server.today().year();
    let result = async {
        let b = &browser;
        sign_in(b, &server, OPERATOR, STAFF_PASSWORD).await?;
        b.click("#funding-periods-link").await?;
        b.wait_value("year", &year.to_string()).await?;
        b.choose("kind", "social").await?;
        b.choose("unit", "hour").await?;
        b.fill("nominal", "144").await?;
        b.fill("max_certificates", "10").await?;
        b.fill("max_volume", "1440").await?;
        b.submit("#period-form").await?;
        b.wait_text(".funding-period .period-kind", "Социальный сертификат, часы").await?;
        b.wait_text(".funding-period .period-nominal", "144 ч.").await?;
        b.check_page().await?;
        b.click("#logout-link").await?;
        b.wait_for("#login-link").await?;

        sign_in(b, &server, FAMILY, STAFF_PASSWORD).await?;
        b.open(&server.url(&format!("/children/{child}/certificate"))).await?;
        b.wait_text("#social-nominal", "144 ч.").await?;
        b.click("#request-social-funding").await?;
        b.wait_text(".social-certificate .funding-request", "на рассмотрении").await?;
        b.check_page().await?;
        b.click("#logout-link").await?;
        b.wait_for("#login-link").await?;

        sign_in(b, &server, OPERATOR, STAFF_PASSWORD).await?;
        b.click("#funding-requests-link").await?;
        b.wait_text(".funding-request .request-nominal", "Социальный сертификат, часы").await?;
        b.click(".funding-request .approve-funding").await?;
        b.wait_text(".funding-request .request-status", "Номинал зачислен").await?;
        b.click("#logout-link").await?;
        b.wait_for("#login-link").await?;

        sign_in(b, &server, FAMILY, STAFF_PASSWORD).await?;
        b.open(&server.url(&format!("/children/{child}/certificate"))).await?;
        b.wait_text(".social-balance .social-available", "144 ч.").await?;
        b.wait_text(".ledger-entry.kind-credit .effect-available dd", "+144 ч.").await?;
        b.wait_text("#balance-available", &navigator_shared::money::rubles(0)).await?;
        b.check_page().await
    }
    .await;
    browser.finish("social_certificate_in_hours_journey", result).await;
}
