//! The duplicate finder: the operator opens «Возможные дубликаты» from the
//! registry, sees two families' records of Петров Миша / Петров Мища born the
//! same day at the same address, is told on the field to say what he
//! checked, marks the pair «не дубликат», and the pair is gone.

use thirtyfour::prelude::WebDriverError;

use crate::harness::{Backend, Browser, Server};
use crate::{STAFF_PASSWORD, sign_in};

const OPERATOR_EMAIL: &str = "duplicates.operator@example.org";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operator_marks_a_possible_duplicate_as_two_children_journey() {
    let server = Server::start(Backend::Sqlite).await;
    let browser = Browser::start().await;
    server.account_with_role(OPERATOR_EMAIL, STAFF_PASSWORD, "operator").await;
    server.family_with_certificate("first.family@example.org", STAFF_PASSWORD, "Миша", "6700000601").await;
    server.family_with_certificate("second.family@example.org", STAFF_PASSWORD, "Мища", "6700000602").await;
    let result = async {
        let b = &browser;
        sign_in(b, &server, OPERATOR_EMAIL, STAFF_PASSWORD).await?;
        b.click("#registry-link").await?;
        b.click("#duplicates-link").await?;
        b.wait_path("/registry/duplicates").await?;
        b.wait_text(".duplicate-pair .duplicate-reason", "Похожие ФИО").await?;
        b.wait_text(".duplicate-pair", "Петров Миша Олегович").await?;
        b.wait_text(".duplicate-pair", "Петров Мища Олегович").await?;
        b.wait_text(".duplicate-pair", "second.family@example.org").await?;
        if b.count(".duplicate-pair .record-link").await? != 2 {
            return Err(WebDriverError::FatalError("each record links to the registry".into()));
        }
        b.check_page().await?;
        // Without what was checked: told on the field, nothing is sent.
        b.submit(".not-duplicate-form").await?;
        b.wait_text("[data-error-for='reason']", "Укажите, что проверено").await?;
        b.fill_css(".not-duplicate-reason", "Разные дети: свидетельства о рождении сверены").await?;
        b.submit(".not-duplicate-form").await?;
        b.wait_text(".duplicate-outcome", "разные дети").await?;
        b.wait_text(".duplicates-empty", "Возможных дубликатов нет").await?;
        // The record itself is one click away.
        b.open(&server.url("/registry/6700000601")).await?;
        b.wait_text(".registry-card .certificate-number", "6700000601").await?;
        b.check_page().await
    }
    .await;
    browser.finish("duplicates_journey", result).await;
}
