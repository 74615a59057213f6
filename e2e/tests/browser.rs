//! Browser journeys: the real server (with the built web client) on a free
//! port, a fresh database, chromedriver and headless Debian Chromium at a
//! phone's width. A failed journey leaves a screenshot in `e2e/screenshots/`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod harness;
mod journeys;

use chrono::Datelike;
use harness::{Backend, Browser, Server};
use navigator_shared::money::rubles;
use thirtyfour::prelude::{WebDriverError, WebDriverResult};

const EMAIL: &str = "olga.petrova@example.org";
const FIRST_PASSWORD: &str = "first password 2026";
const NEW_PASSWORD: &str = "second password 2026";

/// Registers Ольга Петрова, confirms the address from the mail folder and signs in.
async fn register_and_sign_in(b: &Browser, server: &Server) -> WebDriverResult<()> {
    b.open(&server.url("/register")).await?;
    // «Кто регистрируется»: small radios with their labels beside them, inside the card.
    let radio = b.width_of("#account-kind input[value='learner']").await?;
    if radio > 32.0 {
        return Err(WebDriverError::FatalError(format!("the radio button is {radio} px wide")));
    }
    b.check_page().await?;
    b.fill("email", EMAIL).await?;
    b.fill("password", FIRST_PASSWORD).await?;
    b.fill("phone", "+7 912 000-11-22").await?;
    b.fill("last_name", "Петрова").await?;
    b.fill("first_name", "Ольга").await?;
    b.fill("middle_name", "Ивановна").await?;
    b.choose("municipality_id", &server.municipality.to_string()).await?;
    b.submit("form").await?;
    // The applicant ticks the consents himself: without them the form says so.
    b.wait_text("[data-error-for='consent_personal_data']", "Без согласия").await?;
    b.click("input[name='consent_personal_data']").await?;
    b.click("input[name='consent_rules']").await?;
    b.submit("form").await?;
    b.wait_text(".notice", "Проверьте почту").await?;

    let token = server.wait_for_link(EMAIL, "/confirm-email").await;
    b.open(&server.url(&format!("/confirm-email?token={token}"))).await?;
    b.wait_text(".notice", "подтверждён").await?;

    sign_in(b, server, EMAIL, FIRST_PASSWORD).await?;
    b.wait_text("#user-name", "Петрова Ольга").await
}

/// Signs in on `/login` and waits for the profile page.
async fn sign_in(b: &Browser, server: &Server, email: &str, password: &str) -> WebDriverResult<()> {
    b.open(&server.url("/login")).await?;
    b.fill("email", email).await?;
    b.fill("password", password).await?;
    b.submit("form").await?;
    b.wait_path("/profile").await
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
        b.check_page().await
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

/// Adds Анна on `/children/new`, asks for her certificate and returns its number.
async fn add_child_with_certificate(b: &Browser, server: &Server) -> WebDriverResult<String> {
    b.open(&server.url("/children/new")).await?;
    fill_child(b, server, "Анна", "112-233-445 95").await?;
    b.submit("#child-form").await?;
    b.wait_path("/children").await?;
    b.wait_text(".child-card h2", "Петрова Анна Олеговна").await?;
    b.wait_text(".child-card", "12.04.2016").await?;
    b.wait_text(".child-card", "***-***-*45 95").await?;

    b.click(".child-card button.get-certificate").await?;
    b.wait_text(".child-card [data-error-for='consent_rules']", "Правилами").await?;
    b.click(".child-card input[name='consent_personal_data']").await?;
    b.click(".child-card input[name='consent_rules']").await?;
    b.click(".child-card button.get-certificate").await?;
    b.wait_text(".child-card .certificate-status", "в обработке").await?;
    let number = b.wait_for(".child-card .certificate-number").await?.text().await?;
    if number.len() != 10 || !number.chars().all(|c| c.is_ascii_digit()) {
        return Err(WebDriverError::FatalError(format!("certificate number «{number}» is not 10 digits")));
    }
    Ok(number)
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

        add_child_with_certificate(b, &server).await?;
        b.wait_for(".child-card .documents-due").await?;
        b.wait_text(".child-card .certificate", "СНИЛС ребёнка").await?;
        b.wait_text(".child-card .no-points", "Пункты активации в вашем муниципалитете пока не указаны").await?;
        b.check_page().await?;

        // The child's own page shows the data unmasked; nothing changed, nothing to save.
        b.click(".child-card a.edit-child").await?;
        b.wait_value("snils", "112-233-445 95").await?;
        b.wait_value("document_number", "123456").await?;
        b.submit("#child-form").await?;
        b.wait_text("#child-form .notice", "Изменений нет").await?;
        b.check_page().await?;

        // The same SNILS again: told under the SNILS field, which takes the focus.
        b.open(&server.url("/children/new")).await?;
        fill_child(b, &server, "Мария", "112-233-445 95").await?;
        b.submit("#child-form").await?;
        b.wait_text("#child-form [data-error-for='snils']", "Этот ребёнок уже добавлен в вашу учётную запись").await?;
        b.wait_focus("snils").await?;

        // A child of three may be added; the certificate waits for the fifth birthday.
        let today = server.today();
        let three = today.with_year(today.year() - 3).unwrap_or(today - chrono::TimeDelta::days(3 * 365));
        b.open(&server.url("/children/new")).await?;
        fill_child(b, &server, "Ева", "987-654-321 83").await?;
        b.set_value("birth_date", &three.format("%Y-%m-%d").to_string()).await?;
        b.set_value("document_issued_at", &three.format("%Y-%m-%d").to_string()).await?;
        b.wait_text("#child-form .age-note", "Сертификат выдаётся детям от 5 до 18 лет").await?;
        b.check_page().await?;
        b.submit("#child-form").await?;
        b.wait_path("/children").await?;
        b.wait_text(".child-card .certificate-later", "когда ребёнку исполнится 5").await?;
        // Анна has her certificate already: no card offers to ask for one.
        assert_eq!(b.count(".child-card button.get-certificate").await?, 0, "a certificate for a child of three");

        b.click("#activation-points-link").await?;
        b.wait_path("/activation-points").await?;
        b.wait_text(".no-points", "пока не указаны").await?;
        b.check_page().await
    }
    .await;
    browser.finish("child_and_certificate_journey", result).await;
}

/// A learner of fifteen registers himself, adds his own data (prefilled from
/// the registration) and asks for his certificate.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn learner_registers_himself_and_gets_a_certificate() {
    let server = Server::start(Backend::Postgres).await;
    let browser = Browser::start().await;
    let email = "kirill.sokolov@example.org";
    let today = server.today();
    let birth = today.with_year(today.year() - 15).unwrap_or(today - chrono::TimeDelta::days(15 * 366));
    let result = async {
        let b = &browser;
        b.open(&server.url("/register")).await?;
        b.click("input[name='account_kind'][value='learner']").await?;
        b.set_value("birth_date", &birth.format("%Y-%m-%d").to_string()).await?;
        b.fill("email", email).await?;
        b.fill("password", FIRST_PASSWORD).await?;
        b.fill("phone", "+7 912 000-55-66").await?;
        b.fill("last_name", "Соколов").await?;
        b.fill("first_name", "Кирилл").await?;
        b.choose("municipality_id", &server.municipality.to_string()).await?;
        b.click("input[name='consent_personal_data']").await?;
        b.click("input[name='consent_rules']").await?;
        b.submit("form").await?;
        b.wait_text(".notice", "Проверьте почту").await?;
        let token = server.wait_for_link(email, "/confirm-email").await;
        b.open(&server.url(&format!("/confirm-email?token={token}"))).await?;
        b.wait_text(".notice", "подтверждён").await?;
        sign_in(b, &server, email, FIRST_PASSWORD).await?;

        b.wait_text("#children-link", "Мой сертификат").await?;
        b.click("#children-link").await?;
        b.wait_text("h1", "Мой сертификат").await?;
        b.click("#add-child-link").await?;
        b.wait_value("last_name", "Соколов").await?;
        b.wait_value("birth_date", &birth.format("%Y-%m-%d").to_string()).await?;
        b.choose("sex", "male").await?;
        b.choose("document_type", "passport").await?;
        b.fill("document_series", "66 21").await?;
        b.fill("document_number", "654321").await?;
        b.set_value("document_issued_at", &(today - chrono::TimeDelta::days(200)).format("%Y-%m-%d").to_string())
            .await?;
        b.fill("snils", "112-233-445 95").await?;
        b.fill("address", "г. Смоленск, ул. Ленина, д. 3, кв. 1").await?;
        b.submit("#child-form").await?;
        b.wait_path("/children").await?;
        b.wait_text(".child-card h2", "Соколов Кирилл").await?;
        b.click(".child-card input[name='consent_personal_data']").await?;
        b.click(".child-card input[name='consent_rules']").await?;
        b.click(".child-card button.get-certificate").await?;
        b.wait_text(".child-card .certificate-status", "в обработке").await?;
        // A learner's account holds only his own record.
        b.open(&server.url("/children")).await?;
        b.wait_for(".child-card").await?;
        if b.count("#add-child-link").await? == 0 {
            b.check_page().await
        } else {
            Err(WebDriverError::FatalError("a learner is offered to add another child".into()))
        }
    }
    .await;
    browser.finish("learner_registers_himself_and_gets_a_certificate", result).await;
}

const STAFF_EMAIL: &str = "maria.smirnova@example.org";
const STAFF_PASSWORD: &str = "staff password 2026";

/// A parent registers, asks for a certificate and signs out; the certificate number.
async fn pending_certificate_then_sign_out(b: &Browser, server: &Server) -> WebDriverResult<String> {
    register_and_sign_in(b, server).await?;
    let number = add_child_with_certificate(b, server).await?;
    b.click("#logout-link").await?;
    b.wait_for("#login-link").await?;
    Ok(number)
}

/// The whole issue: a parent asks for a certificate; the activation point finds
/// the record, prints the forms, checks the documents and activates it; the
/// parent sees the active certificate and gets the email.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn certificate_activation_journey() {
    let server = Server::start(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let result = async {
        let b = &browser;
        let number = pending_certificate_then_sign_out(b, &server).await?;

        server.staff_account(STAFF_EMAIL, STAFF_PASSWORD).await;
        sign_in(b, &server, STAFF_EMAIL, STAFF_PASSWORD).await?;
        b.click("#desk-link").await?;
        b.wait_path("/desk").await?;
        b.fill("number", &number).await?;
        b.submit("#desk-search").await?;
        b.click(".registry-record a").await?;
        b.wait_path(&format!("/desk/{number}")).await?;
        b.wait_text(".certificate-status", "в обработке").await?;
        b.wait_text(".child-summary", "112-233-445 95").await?;
        b.wait_text(".applicant", "Петрова Ольга").await?;
        b.wait_text(".online-consent", "даны онлайн").await?;
        b.check_page().await?;

        // The family gave no passport or address online: the desk enters them from
        // the paper passport before printing; every field is asked for.
        b.wait_text(".print-missing", "паспорт, адрес").await?;
        b.submit("#applicant-form").await?;
        b.wait_text("#applicant-form [data-error-for='passport_series']", "Укажите серию").await?;
        b.wait_focus("passport_series").await?;
        b.fill("passport_series", "66 01").await?;
        b.fill("passport_number", "123456").await?;
        b.fill("passport_issued_by", "УМВД России по Смоленской области").await?;
        b.set_value("passport_issued_at", "2015-05-05").await?;
        b.fill("address", "г. Смоленск, ул. Ленина, д. 1, кв. 5").await?;
        b.submit("#applicant-form").await?;
        b.wait_text(".notice", "Паспорт и адрес заявителя внесены").await?;
        b.wait_gone(".print-missing").await?;
        for (form, stem) in [("application", "zayavlenie"), ("consent", "soglasie"), ("extract", "vypiska")] {
            b.click(&format!("a.print-{form}")).await?;
            // Saved under a name a person recognises, not a random one.
            b.wait_for(&format!("a.print-{form}[data-loaded='true'][download='{stem}-{number}.pdf']")).await?;
        }
        b.click("#confirm-data").await?;
        b.wait_text(".notice", "сверенные").await?;
        b.click("#application-received").await?;
        b.wait_text(".notice", "заявления и согласия").await?;
        b.click("#activate").await?;
        b.wait_text(".certificate-status", "активирован").await?;
        b.wait_text(".notice", "Сертификат активирован").await?;

        // A family without an account is registered at the desk.
        b.open(&server.url("/desk")).await?;
        b.click("#new-family-link").await?;
        b.wait_path("/desk/new-family").await?;
        b.fill("last_name", "Иванова").await?;
        b.fill("first_name", "Елена").await?;
        b.fill("email", "elena.ivanova@example.org").await?;
        b.fill("phone", "+7 912 000-33-44").await?;
        b.choose("municipality_id", &server.municipality.to_string()).await?;
        b.submit("#parent-form").await?;
        b.wait_for("#family-child-form").await?;
        fill_child(b, &server, "Вера", "112-233-446 96").await?;
        b.fill("last_name", "Иванова").await?;
        b.fill("document_number", "654321").await?;
        b.submit("#family-child-form").await?;
        b.click("#create-certificate").await?;
        let second = b.wait_for(".certificate-number").await?.text().await?;
        b.click("#open-record").await?;
        b.wait_path(&format!("/desk/{second}")).await?;
        b.wait_text(".certificate-status", "в обработке").await?;
        b.wait_text(".applicant", "elena.ivanova@example.org").await?;
        server.wait_for_link("elena.ivanova@example.org", "/password-reset/confirm").await;

        b.click("#logout-link").await?;
        b.wait_for("#login-link").await?;
        sign_in(b, &server, EMAIL, FIRST_PASSWORD).await?;
        b.open(&server.url("/children")).await?;
        b.wait_text(".child-card .certificate-status", "активирован").await?;
        server.wait_for_email(EMAIL, &format!("№ {number} (Анна) активирован")).await;
        // The same news waits in the cabinet's messages.
        b.click("#messages-link").await?;
        b.wait_text(".message-subject", &format!("Сертификат № {number} активирован")).await?;
        b.click(".message.unread summary").await?;
        b.wait_text(".message-body", "Теперь с ним можно записываться").await?;

        // The activated certificate gets its nominal through the product's own
        // steps too: the family asks for it, the operator approves it.
        server.funding_period(1_500_000).await;
        server.account_with_role(OPERATOR_EMAIL, STAFF_PASSWORD, "operator").await;
        b.click("#children-link").await?;
        b.click(".certificate-money-link").await?;
        b.wait_text("#balance-available", &rubles(0)).await?;
        b.click("#request-funding").await?;
        b.wait_text(".funding-request", "на рассмотрении").await?;
        b.click("#logout-link").await?;
        b.wait_for("#login-link").await?;
        sign_in(b, &server, OPERATOR_EMAIL, STAFF_PASSWORD).await?;
        b.click("#funding-requests-link").await?;
        b.wait_text(".funding-request", &number).await?;
        b.click(".funding-request .approve-funding").await?;
        b.wait_text(".funding-request", "Номинал зачислен").await?;
        b.click("#logout-link").await?;
        b.wait_for("#login-link").await?;
        sign_in(b, &server, EMAIL, FIRST_PASSWORD).await?;
        b.click("#children-link").await?;
        b.click(".certificate-money-link").await?;
        b.wait_text("#balance-available", &rubles(1_500_000)).await?;
        b.check_page().await?;
        Ok(())
    }
    .await;
    browser.finish("certificate_activation_journey", result).await;
}

/// The operator finds the pending record in the registry, reads its audit
/// trail, refuses it and files it again; the certificate lapses and the family
/// files it again itself; the admin marks a day in the production calendar.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registry_and_calendar_journey() {
    let server = Server::start(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let result = async {
        let b = &browser;
        let number = pending_certificate_then_sign_out(b, &server).await?;

        server.account_with_role("operator@example.org", STAFF_PASSWORD, "operator").await;
        sign_in(b, &server, "operator@example.org", STAFF_PASSWORD).await?;
        b.click("#registry-link").await?;
        b.wait_path("/registry").await?;
        b.wait_text(".registry-total", "Найдено: 1").await?;
        b.choose("status", "active").await?;
        b.submit("#registry-filter").await?;
        b.wait_text(".registry-total", "Найдено: 0").await?;
        b.choose("status", "pending").await?;
        b.submit("#registry-filter").await?;
        b.wait_text(".registry-record", &number).await?;
        b.click(".registry-record a").await?;
        b.wait_path(&format!("/registry/{number}")).await?;
        b.wait_text("table#audit", "Просмотр").await?;
        b.click("details:has(#refuse-form) summary").await?;
        b.choose("reason", "no_consent").await?;
        b.fill("comment", "Согласие не подписано").await?;
        b.submit("#refuse-form").await?;
        b.wait_text(".certificate-status", "отказано").await?;
        b.wait_text(".decision-outcome .notice", "В выдаче сертификата отказано").await?;
        b.wait_text("table#audit", "Отказ").await?;
        b.check_page().await?;
        // The family brought the consent: the refusal is filed again with the same number.
        b.click(".renew-certificate").await?;
        b.wait_text("#renew .notice", "Сертификат подан заново").await?;
        b.wait_text(".certificate-status", "в обработке").await?;
        b.wait_text("table#audit", "Подача заново").await?;
        assert_eq!(
            b.count(".decision-outcome .notice, #refuse-form .notice").await?,
            0,
            "the refusal's message is gone"
        );
        b.click("#logout-link").await?;
        b.wait_for("#login-link").await?;

        // The deadline passes; the family files it again itself.
        server.lapse_certificates_due_before(60).await;
        sign_in(b, &server, EMAIL, FIRST_PASSWORD).await?;
        b.click("#children-link").await?;
        b.wait_text(".certificate-status", "не активирован в срок").await?;
        b.click(".renew-certificate").await?;
        b.wait_text(".child-card .notice", "Сертификат подан заново").await?;
        b.wait_text(".certificate-status", "в обработке").await?;
        b.wait_text(".desk-checks .check-data", "ещё не сверены").await?;
        b.wait_text(".desk-checks .check-application", "ещё не подписаны").await?;
        b.wait_text(".certificate-number", &number).await?;
        b.check_page().await?;
        b.click("#logout-link").await?;
        b.wait_for("#login-link").await?;

        server.account_with_role("admin@example.org", STAFF_PASSWORD, "admin").await;
        sign_in(b, &server, "admin@example.org", STAFF_PASSWORD).await?;
        b.click("#calendar-link").await?;
        b.wait_path("/calendar").await?;
        let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
        let day = format!("{}-07-04", 1970 + seconds / 31_556_952);
        b.set_value("day", &day).await?;
        b.choose("working", "true").await?;
        b.fill("note", "Перенос выходного").await?;
        b.submit("#calendar-form").await?;
        b.wait_text("table#calendar", "Перенос выходного").await?;
        b.click(&format!("tr[data-day='{day}'] button.delete-day")).await?;
        b.wait_text(".empty-state", "Переносов в этом году нет").await
    }
    .await;
    browser.finish("registry_and_calendar_journey", result).await;
}

/// Seeds 001 and 004: the admin keeps the decision with the operator (a
/// wrong deadline is refused on its field first); a reception point without
/// access to the personal data sees the record masked, checks the documents
/// and registers the application, and is told the operator decides by a
/// date; the operator finds the record in the queue «Ждут решения
/// оператора» and activates it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_decides_where_the_region_keeps_the_decision_journey() {
    let server = Server::start(Backend::Postgres).await;
    let browser = Browser::start().await;
    let result = async {
        let b = &browser;
        let number = pending_certificate_then_sign_out(b, &server).await?;

        server.account_with_role("admin@example.org", STAFF_PASSWORD, "admin").await;
        sign_in(b, &server, "admin@example.org", STAFF_PASSWORD).await?;
        b.click("#region-link").await?;
        b.wait_path("/region-settings").await?;
        b.wait_value("decision_days", "3").await?;
        b.choose("confirmation_by", "operator").await?;
        b.fill("decision_days", "0").await?;
        b.submit("#region-form").await?;
        b.wait_text("[data-error-for='decision_days']", "От 1 до 30").await?;
        b.fill("decision_days", "3").await?;
        b.submit("#region-form").await?;
        b.wait_text("#region-form .notice", "Настройки сохранены").await?;
        b.check_page().await?;
        b.click("#logout-link").await?;
        b.wait_for("#login-link").await?;

        server.staff_account(STAFF_EMAIL, STAFF_PASSWORD).await;
        server.set_point_rights_of(STAFF_EMAIL, true, false).await;
        sign_in(b, &server, STAFF_EMAIL, STAFF_PASSWORD).await?;
        b.click("#desk-link").await?;
        b.fill("number", &number).await?;
        b.submit("#desk-search").await?;
        b.click(".registry-record a").await?;
        b.wait_path(&format!("/desk/{number}")).await?;
        b.wait_text(".personal-data-hidden", "скрыты").await?;
        assert_eq!(b.count("a.print-application").await?, 0, "no forms with the data to print");
        b.click("#confirm-data").await?;
        b.wait_text(".notice", "сверенные").await?;
        b.click("#application-received").await?;
        b.wait_text(".decision-by-operator", "примет оператор до").await?;
        assert_eq!(b.count("#activate").await?, 0, "the point does not decide");
        b.wait_text(".decision-due", ".").await?;
        b.check_page().await?;
        b.click("#logout-link").await?;
        b.wait_for("#login-link").await?;

        server.account_with_role("operator@example.org", STAFF_PASSWORD, "operator").await;
        sign_in(b, &server, "operator@example.org", STAFF_PASSWORD).await?;
        b.click("#registry-link").await?;
        b.choose("status", "awaiting_decision").await?;
        b.submit("#registry-filter").await?;
        b.wait_text(".registry-record .decision-due", "Решение до").await?;
        b.click(".registry-record a").await?;
        b.wait_path(&format!("/registry/{number}")).await?;
        b.wait_text(".child-summary", "112-233-445 95").await?;
        b.click("#activate").await?;
        b.wait_text(".certificate-status", "активирован").await?;
        b.wait_text(".notice", "Сертификат активирован").await
    }
    .await;
    browser.finish("the_operator_decides_where_the_region_keeps_the_decision_journey", result).await;
}

/// The admin pages through the operators and gives one of them another
/// municipality, with the order as the reason.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_assigns_an_operator_journey() {
    let server = Server::start(Backend::Postgres).await;
    let browser = Browser::start().await;
    let desnogorsk = server.another_municipality("город Десногорск").await;
    for n in 1..=20 {
        server
            .operator_in(&format!("operator-{n:02}@example.org"), &format!("Андреев-{n:02}"), server.municipality)
            .await;
    }
    let last = server.operator_in("yakovlev@example.org", "Яковлев", server.municipality).await;
    server.account_with_role("admin@example.org", STAFF_PASSWORD, "admin").await;
    let leaving = server.account_with_role("second.admin@example.org", STAFF_PASSWORD, "admin").await;
    let result = async {
        let b = &browser;
        sign_in(b, &server, "admin@example.org", STAFF_PASSWORD).await?;
        b.click("#operators-link").await?;
        b.wait_path("/operators").await?;
        b.wait_text(".page-number", "Страница 1 из 2").await?;
        assert_eq!(b.count("table.operators tbody tr").await?, 20);
        b.click(".page-next").await?;
        b.wait_text(".page-number", "Страница 2 из 2").await?;
        b.wait_text(&format!("tr[data-operator-id='{last}'] .operator-municipality"), "город Смоленск").await?;
        b.check_page().await?;

        b.choose("operator_id", &last.to_string()).await?;
        b.choose("municipality_id", &desnogorsk.to_string()).await?;
        b.submit("#assign-form").await?;
        b.wait_text("[data-error-for='reason']", "основание").await?;
        b.fill("reason", "приказ № 45 от 01.12.2026").await?;
        b.submit("#assign-form").await?;
        b.wait_text("#assign-form .notice", "теперь оператор муниципалитета «город Десногорск»").await?;
        b.wait_text(&format!("tr[data-operator-id='{last}'] .operator-municipality"), "город Десногорск").await?;
        b.click(".page-prev").await?;
        b.wait_text(".page-number", "Страница 1 из 2").await?;

        // A new operator's account, by invitation: the form explains what is missing.
        b.submit("#invite-staff-form").await?;
        b.wait_text("#invite-staff-form [data-error-for='email']", "почт").await?;
        b.wait_text("#invite-staff-form [data-error-for='municipality_id']", "муниципалитет").await?;
        b.fill_css("#invite-last_name", "Новикова").await?;
        b.fill_css("#invite-first_name", "Елена").await?;
        b.fill_css("#invite-email", "novikova@example.org").await?;
        b.fill_css("#invite-phone", "+7 481 220-00-10").await?;
        b.click(&format!("#invite-municipality_id option[value='{desnogorsk}']")).await?;
        b.submit("#invite-staff-form").await?;
        b.wait_text("#invite-staff-form .notice", "получит письмо на novikova@example.org").await?;
        server.wait_for_link("novikova@example.org", "/password-reset/confirm").await;

        // The admins' list: another admin leaves, his account is switched off with the order as the reason.
        b.click("#role-admins").await?;
        b.wait_text(&format!("tr[data-operator-id='{leaving}'] .account-state"), "Действует").await?;
        b.click(&format!("tr[data-operator-id='{leaving}'] .switch-account")).await?;
        b.submit("#switch-form").await?;
        b.wait_text("#switch-form [data-error-for='reason']", "основание").await?;
        b.fill_css("#switch-reason", "приказ № 12 от 04.12.2026").await?;
        b.submit("#switch-form").await?;
        b.wait_text(&format!("tr[data-operator-id='{leaving}'] .account-state"), "Отключена").await?;
        b.wait_text(".notice", "отключена").await?;
        b.check_page().await?;
        b.click("#logout-link").await?;
        b.wait_for("#login-link").await?;
        b.open(&server.url("/login")).await?;
        b.fill("email", "second.admin@example.org").await?;
        b.fill("password", STAFF_PASSWORD).await?;
        b.submit("form").await?;
        b.wait_text(".form-error", "Учётная запись отключена").await
    }
    .await;
    browser.finish("admin_assigns_an_operator_journey", result).await;
}

/// The admin adds a municipality (a duplicate is refused on its field), enters
/// its children's population and pages through the list.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_keeps_the_municipalities_journey() {
    let server = Server::start(Backend::Sqlite).await;
    let browser = Browser::start().await;
    const MORE: [&str; 20] = [
        "Район 01",
        "Район 02",
        "Район 03",
        "Район 04",
        "Район 05",
        "Район 06",
        "Район 07",
        "Район 08",
        "Район 09",
        "Район 10",
        "Район 11",
        "Район 12",
        "Район 13",
        "Район 14",
        "Район 15",
        "Район 16",
        "Район 17",
        "Район 18",
        "Район 19",
        "Район 20",
    ];
    for name in MORE {
        server.another_municipality(name).await;
    }
    server.account_with_role("admin@example.org", STAFF_PASSWORD, "admin").await;
    let result = async {
        let b = &browser;
        sign_in(b, &server, "admin@example.org", STAFF_PASSWORD).await?;
        b.click("#municipalities-link").await?;
        b.wait_path("/municipalities").await?;
        b.wait_text(".page-number", "Страница 1 из 2").await?;
        b.click(".page-next").await?;
        b.wait_text(".page-number", "Страница 2 из 2").await?;
        b.click(".page-prev").await?;
        b.wait_text(".page-number", "Страница 1 из 2").await?;

        b.fill("name", "Район 01").await?;
        b.submit("#municipality-form").await?;
        b.wait_text("#municipality-form .form-error", "уже есть").await?;
        b.fill("name", "Кардымовский район").await?;
        b.submit("#municipality-form").await?;
        b.wait_text("#municipality-form .notice", "Кардымовский район").await?;
        b.wait_text("table.municipalities", "Кардымовский район").await?;

        b.submit("#population-form").await?;
        b.wait_text("#population-form [data-error-for='municipality_id']", "Выберите").await?;
        let value = b
            .wait_for("#population-municipality_id option:nth-child(2)")
            .await?
            .attr("value")
            .await?
            .unwrap_or_default();
        b.set_css("#population-municipality_id", &value).await?;
        b.set_css("#population-children", "4321").await?;
        b.submit("#population-form").await?;
        b.wait_text("#population-form .notice", "сохранена").await?;
        b.wait_text(&format!("tr[data-municipality-id='{value}'] .municipality-population"), "4321").await?;

        // Its centre, where the catalog map writes its name: picked with a tap on the map.
        b.set_css("#edit-municipality_id", &value).await?;
        b.wait_css_value_like("#edit-form [name='name']", |v| !v.is_empty()).await?;
        b.click("#municipality-centre").await?;
        b.wait_value_like("lat", |v| !v.is_empty()).await?;
        b.fill_css("#edit-form [name='name']", "Кардымовский муниципальный округ").await?;
        b.submit("#edit-form").await?;
        b.wait_text("#edit-form .notice", "Кардымовский муниципальный округ").await?;
        b.wait_text("table.municipalities", "Кардымовский муниципальный округ").await?;
        b.check_page().await
    }
    .await;
    browser.finish("admin_keeps_the_municipalities_journey", result).await;
}

/// A family finds a program by a word's beginning and a filter, reads its
/// card tab by tab and looks at the map.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn catalog_search_journey() {
    let server = Server::start(Backend::Postgres).await;
    let browser = Browser::start().await;
    let robots = server.published_program("Робототехника для начинающих", "technical", "робототехника", true).await;
    let dance = server.published_program("Танцевальная студия «Грация»", "arts", "хореография", false).await;
    // One program far from the region's view: the map says it is outside.
    server.place_program(dance, 55.75, 37.62).await;
    server.published_program("Шахматный клуб «Ладья»", "physical_sports", "шахматы", false).await;
    let result = async {
        let b = &browser;
        b.open(&server.url("/")).await?;
        b.click("#catalog-link").await?;
        b.wait_path("/catalog").await?;
        b.wait_text("#catalog-total", "3").await?;
        // On a phone the menu and the filters fold: the first result is on the first screen.
        let folded = b.count(".catalog-filters.show-filters").await?;
        let header = b.top_of("main").await?;
        let first = b.top_of(".program-item h2").await?;
        if header > 110.0 || first > 500.0 {
            return Err(WebDriverError::FatalError(format!(
                "the header takes {header} px and the first result starts at {first} px of 800"
            )));
        }
        b.click("#filters-toggle").await?;
        b.wait_for(".catalog-filters.show-filters #age").await?;
        assert_eq!(folded, 0, "the filters start folded on a phone");
        // The age applies when the field is left, like the lists, without Enter.
        b.fill("age", "15").await?;
        b.click("h1").await?;
        b.wait_text("#catalog-total", "Найдено программ: 0").await?;
        b.fill("age", "9").await?;
        b.click("h1").await?;
        b.wait_text("#catalog-total", "Найдено программ: 3").await?;
        b.fill("q", "робот").await?;
        b.choose("direction", "technical").await?;
        b.submit("#catalog-filters").await?;
        b.wait_text("#catalog-total", "1").await?;
        b.wait_text(".program-item h2", "Робототехника для начинающих").await?;
        b.wait_text(".program-item", "Оплата сертификатом").await?;
        b.check_page().await?;

        b.click(".program-item a.program-link").await?;
        b.wait_path(&format!("/programs/{robots}")).await?;
        b.wait_text("h1", "Робототехника для начинающих").await?;
        b.wait_text(".badge-certified", "Доступна оплата сертификатом").await?;
        b.click("#tab-groups").await?;
        b.wait_text("#panel-groups .group-row", "Свободных мест: 12").await?;
        b.click("#tab-modules").await?;
        b.wait_text("#panel-modules .module-row", "5").await?;
        b.click("#tab-contacts").await?;
        b.wait_text("#panel-contacts", "Орлов Пётр Ильич").await?;
        // No tile server: the address with its town and the phone's map app, not a dot on grey.
        b.wait_text("#panel-contacts .program-address", "город Смоленск, г. Смоленск, ул. Николаева, д. 3").await?;
        b.wait_for("#panel-contacts a.geo-link[href^='geo:54.7826,32.0453']").await?;
        assert_eq!(b.count("#program-map").await?, 0, "no empty map without tiles");
        b.check_page().await?;

        // The map without a tile server: the municipality's name at its centre;
        // two programs at one address share a marker that lists them, reached
        // with Tab and opened with Enter; the third is outside the view.
        b.open(&server.url("/catalog?view=map")).await?;
        b.wait_text("#catalog-map .map-place", "город Смоленск").await?;
        b.wait_text("#map-total", "На карте 2 из 3 найденных").await?;
        let address = b.wait_for("#catalog-map .map-address[tabindex='0'][role='button']").await?;
        address.send_keys(thirtyfour::Key::Enter).await?;
        b.wait_for(".leaflet-popup .map-popup-list li:nth-child(2)").await?;
        b.wait_text(".leaflet-popup", "2 программы").await?;
        b.wait_for(".leaflet-popup a.map-popup-title:focus").await?;
        b.check_page().await?;
        b.click("#map-fit").await?;
        b.wait_text("#map-total", "На карте: 3 программы").await?;

        b.open(&server.url("/catalog?q=%D1%88%D0%B0%D1%85%D0%BC%D0%B0%D1%82%D1%8B")).await?;
        b.wait_text(".program-item h2", "Шахматный клуб").await?;
        b.click("#view-map").await?;
        b.wait_for("#catalog-map .map-program[tabindex='0']").await?;
        b.check_page().await
    }
    .await;
    browser.finish("catalog_search_journey", result).await;
}

const PROVIDER_EMAIL: &str = "irina.orlova@example.org";
const OPERATOR_EMAIL: &str = "operator.smolensk@example.org";

/// An organization writes a program with a module and a group and sends it
/// to moderation; the operator publishes it certified; families find it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn program_moderation_journey() {
    let server = Server::start(Backend::Sqlite).await;
    let browser = Browser::start().await;
    server.staff_account(PROVIDER_EMAIL, STAFF_PASSWORD).await;
    server.account_with_role(OPERATOR_EMAIL, STAFF_PASSWORD, "operator").await;
    let result = async {
        let b = &browser;
        sign_in(b, &server, PROVIDER_EMAIL, STAFF_PASSWORD).await?;
        b.click("#cabinet-link").await?;
        b.wait_path("/cabinet").await?;
        b.click("#new-program-link").await?;
        b.wait_for("#program-form").await?;
        b.fill("title", "Авиамоделирование «Крылья»").await?;
        b.fill("description", "Строим и запускаем модели самолётов, изучаем основы аэродинамики.").await?;
        b.choose("direction", "technical").await?;
        b.fill("profile", "авиамоделирование").await?;
        b.choose("level", "basic").await?;
        b.fill("age_min", "9").await?;
        b.fill("age_max", "15").await?;
        b.choose("municipality_id", &server.municipality.to_string()).await?;
        // The place starts at the organization's; a tap on the map moves it there.
        b.wait_value("address", "г. Смоленск, ул. Ленина, д. 2").await?;
        b.wait_value("lat", "54.7826").await?;
        b.wait_value("lon", "32.0453").await?;
        b.wait_for("#program-point .leaflet-interactive").await?;
        b.click("#program-point").await?;
        // The tap lands near the organization's point and writes it with six decimals.
        let near =
            |v: &str, to: f64| v.len() == "54.782600".len() && v.parse::<f64>().is_ok_and(|v| (v - to).abs() < 0.05);
        b.wait_value_like("lat", |v| near(v, 54.7826)).await?;
        b.wait_value_like("lon", |v| near(v, 32.0453)).await?;
        b.fill("duration_months", "9").await?;
        b.fill("teachers", "Крылов Андрей Петрович").await?;
        b.choose("cost_type", "certificate").await?;
        b.fill("contact_phone", "+7 4812 32-00-00").await?;
        b.submit("#program-form").await?;
        b.wait_text(".program-status", "Черновик").await?;

        b.fill_css("#module-name", "Первый год обучения").await?;
        b.fill_css("#module-hours", "72").await?;
        b.fill_css("#module-price", "4500").await?;
        b.submit("#module-form").await?;
        b.wait_text(".module-row", "Первый год обучения").await?;

        b.fill_css("#group-name", "Группа 1").await?;
        b.fill_css("#group-capacity", "12").await?;
        let (start, end) = harness::group_term(server.today());
        b.set_css("#group-start_date", &start.to_string()).await?;
        b.set_css("#group-end_date", &end.to_string()).await?;
        b.fill_css("#group-age_min", "9").await?;
        b.fill_css("#group-age_max", "15").await?;
        b.click("#group-enrolment_open").await?;
        b.click("#add-lesson").await?;
        b.click(".lesson-row select.lesson-weekday option[value='3']").await?;
        b.set_css(".lesson-row input.lesson-start", "16:00").await?;
        b.set_css(".lesson-row input.lesson-end", "17:30").await?;
        b.submit("#group-form").await?;
        b.wait_text(".group-row", "Группа 1").await?;
        b.check_page().await?;

        b.click("#submit-program").await?;
        b.wait_text(".program-status", "На модерации").await?;
        b.click("#logout-link").await?;
        b.wait_for("#login-link").await?;

        sign_in(b, &server, OPERATOR_EMAIL, STAFF_PASSWORD).await?;
        b.click("#moderation-link").await?;
        b.wait_path("/moderation").await?;
        b.click(".moderation-item a").await?;
        b.wait_text("h1", "Авиамоделирование").await?;
        // The organization asked for certificate payment: the mark starts checked.
        assert!(b.wait_for("#certified").await?.is_selected().await?, "the certificate mark as asked");
        // Each module's cells stand under the table's headings.
        b.wait_text(".modules-table tbody tr", "Первый год обучения").await?;
        let headings = b.lefts_of(".modules-table thead th").await?;
        let cells = b.lefts_of(".modules-table tbody tr:first-child td").await?;
        assert_eq!(headings.len(), cells.len(), "as many cells in a row as headings");
        assert!(headings.iter().zip(&cells).all(|(h, c)| (h - c).abs() < 1.0), "columns: {headings:?} vs {cells:?}");
        // Until the registry lists the organization as a provider, the certificate cannot pay for it.
        server.set_provider_of(PROVIDER_EMAIL, false).await;
        b.click("#publish-program").await?;
        b.wait_text(".form-error", "только проверенных организаций").await?;
        server.set_provider_of(PROVIDER_EMAIL, true).await;
        b.click("#publish-program").await?;
        b.wait_text(".program-status", "Опубликована").await?;
        b.check_page().await?;

        b.open(&server.url("/catalog?q=%D0%B0%D0%B2%D0%B8%D0%B0")).await?;
        b.wait_text(".program-item h2", "Авиамоделирование «Крылья»").await?;
        b.wait_text(".program-item", "Оплата сертификатом").await
    }
    .await;
    browser.finish("program_moderation_journey", result).await;
}

/// The operator adds an organization to the registry and invites its
/// employee, who gets the email to set a password.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organizations_registry_journey() {
    let server = Server::start(Backend::Postgres).await;
    let browser = Browser::start().await;
    server.account_with_role(OPERATOR_EMAIL, STAFF_PASSWORD, "operator").await;
    let other = server.organization("МБУДО «Дом детского творчества»", 673_100_011).await;
    let inn = navigator_shared::validate::Inn::with_checksum(673_205_511);
    let result = async {
        let b = &browser;
        sign_in(b, &server, OPERATOR_EMAIL, STAFF_PASSWORD).await?;
        b.click("#organizations-link").await?;
        b.wait_path("/organizations-registry").await?;
        b.click("#new-organization-link").await?;
        b.wait_for("#organization-form").await?;
        b.fill("name", "МБУ ДО «Станция юных техников» г. Смоленска").await?;
        b.fill("inn", "6732055110").await?;
        b.choose("kind", "education").await?;
        b.choose("municipality_id", &server.municipality.to_string()).await?;
        b.fill("address", "г. Смоленск, ул. Кирова, д. 22").await?;
        b.fill("phone", "+7 4812 55-00-00").await?;
        b.submit("#organization-form").await?;
        b.wait_text("[data-error-for='inn']", "контрольная цифра").await?;
        b.fill("inn", inn.as_str()).await?;
        b.click("input[name='is_provider']").await?;
        b.submit("#organization-form").await?;
        b.wait_for("#staff-form").await?;
        b.wait_text("h1", "Станция юных техников").await?;
        b.check_page().await?;

        b.fill_css("#staff-last_name", "Орлова").await?;
        b.fill_css("#staff-first_name", "Ирина").await?;
        b.fill_css("#staff-email", "irina.orlova.syt@example.org").await?;
        b.fill_css("#staff-phone", "+7 912 000-77-88").await?;
        b.submit("#staff-form").await?;
        b.wait_text("#staff-form .notice", "Приглашение отправлено").await?;
        b.wait_text(".staff-member", "Орлова Ирина").await?;
        // Phones read the same everywhere: +7 (XXX) XXX-XX-XX.
        b.wait_text(".staff-member .staff-phone", "+7 (912) 000-77-88").await?;
        server.wait_for_link("irina.orlova.syt@example.org", "/password-reset/confirm").await;

        // The employee moves to another organization of the municipality, with the order as the reason.
        let member = server.user_id("irina.orlova.syt@example.org").await.to_string();
        b.choose("staff_id", &member).await?;
        b.choose("organization_id", &other.to_string()).await?;
        b.submit("#transfer-form").await?;
        b.wait_text("[data-error-for='reason']", "основание").await?;
        b.fill_css("#transfer-reason", "приказ о переводе № 12").await?;
        b.submit("#transfer-form").await?;
        b.wait_text("#transfer .notice", "«МБУДО «Дом детского творчества»»").await?;
        b.open(&server.url(&format!("/organizations-registry/{other}"))).await?;
        b.wait_text(".staff-member", "Орлова Ирина").await?;
        b.check_page().await?;
        // She leaves: the operator switches her account off.
        b.click(".staff-member .switch-account").await?;
        b.fill_css("#switch-reason", "уволена, приказ № 13").await?;
        b.submit("#switch-form").await?;
        b.wait_text(".staff-member .account-state", "Отключена").await?;
        b.wait_text(".staff-member .switch-account", "Включить").await?;

        b.open(&server.url("/organizations-registry")).await?;
        b.fill("q", "юных техников").await?;
        b.submit("#organizations-search").await?;
        b.wait_text(".organization-item", inn.as_str()).await?;

        // The operator's own profile shows no municipality to change.
        b.open(&server.url("/profile")).await?;
        b.wait_text("#municipality-assigned", "назначает администратор").await?;
        assert_eq!(b.count("#profile-form select[name='municipality_id']").await?, 0);
        Ok(())
    }
    .await;
    browser.finish("organizations_registry_journey", result).await;
}

/// Every paginated list reaches its second page and back: the registry, the
/// organizations registry and the messages (the pager once showed its own
/// source text and did nothing on three of them).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_list_turns_to_page_two_journey() {
    let server = Server::start(Backend::Sqlite).await;
    let browser = Browser::start().await;
    server.account_with_role(OPERATOR_EMAIL, STAFF_PASSWORD, "operator").await;
    server.many_certificates(52).await;
    for n in 0..21 {
        server.organization(&format!("МБУДО «Центр № {n:02}»"), 673_200_100 + n).await;
    }
    server.many_messages(OPERATOR_EMAIL, 23).await;
    let result = async {
        let b = &browser;
        sign_in(b, &server, OPERATOR_EMAIL, STAFF_PASSWORD).await?;
        let pages = [
            ("#registry-link", ".registry-record", 50, 2),
            ("#organizations-link", ".organization-item", 20, 1),
            ("#messages-link", ".message", 20, 3),
        ];
        for (link, row, first, second) in pages {
            b.click(link).await?;
            b.wait_text(".page-number", "Страница 1 из 2").await?;
            let shown = b.count(row).await?;
            if shown != first {
                return Err(WebDriverError::FatalError(format!("{link}: {shown} rows on page 1, not {first}")));
            }
            b.click(".page-next").await?;
            b.wait_text(".page-number", "Страница 2 из 2").await?;
            let shown = b.count(row).await?;
            if shown != second {
                return Err(WebDriverError::FatalError(format!("{link}: {shown} rows on page 2, not {second}")));
            }
            b.check_page().await?;
            b.click(".page-prev").await?;
            b.wait_text(".page-number", "Страница 1 из 2").await?;
        }
        // The oldest message is on the second page.
        b.click(".page-next").await?;
        b.wait_text(".message-subject", "Сообщение 01").await?;
        // The accessibility check is real: a button without a name fails it.
        b.run_script("document.body.appendChild(document.createElement('button'));").await?;
        if b.assert_accessible().await.is_ok() {
            return Err(WebDriverError::FatalError("axe-core did not see a button without a name".into()));
        }
        Ok(())
    }
    .await;
    browser.finish("every_list_turns_to_page_two_journey", result).await;
}
