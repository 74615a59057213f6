//! Browser journeys: the real server (with the built web client) on a free
//! port, a fresh database, chromedriver and headless Debian Chromium at a
//! phone's width. A failed journey leaves a screenshot in `e2e/screenshots/`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod harness;

use harness::{Backend, Browser, Server};
use thirtyfour::prelude::{WebDriverError, WebDriverResult};

const EMAIL: &str = "olga.petrova@example.org";
const FIRST_PASSWORD: &str = "first password 2026";
const NEW_PASSWORD: &str = "second password 2026";

/// Registers Ольга Петрова, confirms the address from the mail folder and signs in.
async fn register_and_sign_in(b: &Browser, server: &Server) -> WebDriverResult<()> {
    b.open(&server.url("/register")).await?;
    b.fill("email", EMAIL).await?;
    b.fill("password", FIRST_PASSWORD).await?;
    b.fill("phone", "+7 912 000-11-22").await?;
    b.fill("last_name", "Петрова").await?;
    b.fill("first_name", "Ольга").await?;
    b.fill("middle_name", "Ивановна").await?;
    b.choose("municipality_id", &server.municipality.to_string()).await?;
    b.submit("form").await?;
    b.wait_text(".notice", "Проверьте почту").await?;

    let token = server.wait_for_link(EMAIL, "/confirm-email").await;
    b.open(&server.url(&format!("/confirm-email?token={token}"))).await?;
    b.wait_text(".notice", "подтверждён").await?;

    b.open(&server.url("/login")).await?;
    b.fill("email", EMAIL).await?;
    b.fill("password", FIRST_PASSWORD).await?;
    b.submit("form").await?;
    b.wait_path("/profile").await?;
    b.wait_text("#user-name", "Петрова Ольга").await
}

/// Register → confirm from the mail folder → log in → edit the profile →
/// log out → reset the password → log in with the new password.
async fn parent_account_journey(backend: Backend) {
    let server = Server::start(backend).await;
    let browser = Browser::start().await;
    let result = async {
        let b = &browser;
        register_and_sign_in(b, &server).await?;

        b.fill("passport_series", "66 04").await?;
        b.fill("passport_number", "123456").await?;
        b.fill("passport_issued_by", "УМВД России по Смоленской области").await?;
        b.set_value("passport_issued_at", "2016-05-20").await?;
        b.fill("address", "г. Смоленск, ул. Ленина, д. 1").await?;
        b.submit("#profile-form").await?;
        b.wait_text("#profile-form .notice", "").await?;
        b.open(&server.url("/profile")).await?;
        b.wait_value("passport_number", "123456").await?;
        b.wait_value("address", "г. Смоленск, ул. Ленина, д. 1").await?;

        b.click("#logout-link").await?;
        b.wait_for("#login-link").await?;

        b.open(&server.url("/login")).await?;
        b.click("a[href='/password-reset']").await?;
        b.fill("email", EMAIL).await?;
        b.submit("form").await?;
        b.wait_for(".notice").await?;
        let token = server.wait_for_link(EMAIL, "/password-reset/confirm").await;
        b.open(&server.url(&format!("/password-reset/confirm?token={token}"))).await?;
        b.fill("password", NEW_PASSWORD).await?;
        b.fill("password_repeat", NEW_PASSWORD).await?;
        b.submit("form").await?;
        b.wait_for(".notice").await?;

        b.open(&server.url("/login")).await?;
        b.fill("email", EMAIL).await?;
        b.fill("password", NEW_PASSWORD).await?;
        b.submit("form").await?;
        b.wait_path("/profile").await?;
        b.wait_text("#user-name", "Петрова Ольга").await?;
        b.assert_no_horizontal_scroll().await
    }
    .await;
    browser.finish(&format!("parent_account_journey_{backend:?}"), result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parent_account_journey_on_sqlite() {
    parent_account_journey(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parent_account_journey_on_postgres() {
    parent_account_journey(Backend::Postgres).await;
}

/// A wrong password and a bad form are explained on the page, in Russian.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mistakes_are_explained_next_to_the_fields() {
    let server = Server::start(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let result = async {
        let b = &browser;
        b.open(&server.url("/register")).await?;
        b.fill("email", "not an email").await?;
        b.fill("password", "short").await?;
        b.submit("form").await?;
        b.wait_text("[data-error-for='email']", "электронной почты").await?;
        b.wait_text("[data-error-for='password']", "не короче 12").await?;
        b.wait_for("[data-error-for='last_name']").await?;

        b.open(&server.url("/login")).await?;
        b.fill("email", "nobody@example.org").await?;
        b.fill("password", "some password here").await?;
        b.submit("form").await?;
        b.wait_text(".form-error", "Неверный адрес электронной почты или пароль").await
    }
    .await;
    browser.finish("mistakes_are_explained_next_to_the_fields", result).await;
}

/// Fills the child form on `/children/new` with a girl born on 12 April 2016.
async fn fill_child(b: &Browser, server: &Server, first_name: &str, snils: &str) -> WebDriverResult<()> {
    b.fill("last_name", "Петрова").await?;
    b.fill("first_name", first_name).await?;
    b.fill("middle_name", "Олеговна").await?;
    b.set_value("birth_date", "2016-04-12").await?;
    b.choose("sex", "female").await?;
    b.choose("document_type", "birth_certificate").await?;
    b.fill("document_series", "IV-АК").await?;
    b.fill("document_number", "123456").await?;
    b.set_value("document_issued_at", "2016-05-01").await?;
    b.fill("snils", snils).await?;
    b.fill("address", "г. Смоленск, ул. Ленина, д. 1, кв. 5").await?;
    b.choose("municipality_id", &server.municipality.to_string()).await
}

/// A parent adds a child, asks for the certificate and sees where to bring
/// the documents; the same child cannot be added twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn child_and_certificate_journey() {
    let server = Server::start(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let result = async {
        let b = &browser;
        register_and_sign_in(b, &server).await?;
        b.click("#children-link").await?;
        b.wait_path("/children").await?;
        b.wait_text(".empty-state", "не добавили").await?;

        b.open(&server.url("/children/new")).await?;
        fill_child(b, &server, "Анна", "112-233-445 95").await?;
        b.submit("#child-form").await?;
        b.wait_path("/children").await?;
        b.wait_text(".child-card h2", "Петрова Анна Олеговна").await?;
        b.wait_text(".child-card", "12.04.2016").await?;
        b.wait_text(".child-card", "***-***-*45 95").await?;

        b.click(".child-card button.get-certificate").await?;
        b.wait_text(".child-card .certificate-status", "в обработке").await?;
        let number = b.wait_for(".child-card .certificate-number").await?.text().await?;
        if number.len() != 10 || !number.chars().all(|c| c.is_ascii_digit()) {
            return Err(WebDriverError::FatalError(format!("certificate number «{number}» is not 10 digits")));
        }
        b.wait_for(".child-card .documents-due").await?;
        b.wait_text(".child-card .certificate", "СНИЛС ребёнка").await?;
        b.wait_text(".child-card .no-points", "Пункты активации в вашем муниципалитете пока не указаны").await?;
        b.assert_no_horizontal_scroll().await?;

        // The child's own page shows the data unmasked; nothing changed, nothing to save.
        b.click(".child-card a.edit-child").await?;
        b.wait_value("snils", "112-233-445 95").await?;
        b.wait_value("document_number", "123456").await?;
        b.submit("#child-form").await?;
        b.wait_text("#child-form .notice", "Изменений нет").await?;
        b.assert_no_horizontal_scroll().await?;

        b.open(&server.url("/children/new")).await?;
        fill_child(b, &server, "Мария", "112-233-445 95").await?;
        b.submit("#child-form").await?;
        b.wait_text("#child-form .form-error", "Такой ребёнок уже есть в системе").await?;

        b.click("#activation-points-link").await?;
        b.wait_path("/activation-points").await?;
        b.wait_text(".no-points", "пока не указаны").await?;
        b.assert_no_horizontal_scroll().await
    }
    .await;
    browser.finish("child_and_certificate_journey", result).await;
}
