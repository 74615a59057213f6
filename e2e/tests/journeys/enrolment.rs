//! From «Записаться» to a monthly charge on the certificate, and the waiting
//! list that hands a freed place to the first in line.

use chrono::Datelike;
use navigator_shared::applications::{charge_for_month, charge_in_force, month_start, months_spanned};
use navigator_shared::money::{rubles, signed_rubles};
use thirtyfour::prelude::WebDriverResult;

use crate::harness::{Backend, Browser, Server, group_term};
use crate::{STAFF_PASSWORD, sign_in};

const PARENT_EMAIL: &str = "oleg.petrov@example.org";
const CLUB_EMAIL: &str = "club.staff@example.org";
const OPERATOR_EMAIL: &str = "funding.operator@example.org";

pub(crate) async fn sign_out(b: &Browser) -> WebDriverResult<()> {
    b.click("#logout-link").await?;
    b.wait_for("#login-link").await.map(drop)
}

/// Opens the program card on its groups and sends an application for the only child.
pub(crate) async fn apply(b: &Browser, server: &Server, program: i64) -> WebDriverResult<()> {
    b.open(&server.url(&format!("/programs/{program}"))).await?;
    b.click("#tab-groups").await?;
    b.click(".apply-button").await?;
    b.wait_text("#child_id option:checked", "Петров").await?;
    b.submit(".apply-form").await
}

/// In the organization's inbox: confirms the application, offers the
/// contract for the first module and registers it signed on paper on `day`.
pub(crate) async fn enrol_on_paper(b: &Browser, day: chrono::NaiveDate) -> WebDriverResult<()> {
    b.click("#inbox-link").await?;
    b.click(".application .confirm-application").await?;
    b.wait_text(".application .application-status", "Подтверждена").await?;
    b.click(".application .offer-contract").await?;
    b.submit(".offer-form").await?;
    b.click(".application .paper-contract").await?;
    b.set_value("signed_on", &day.to_string()).await?;
    b.submit(".paper-form").await?;
    b.wait_text(".application .application-status", "Зачислен").await
}

/// Funded certificate → apply → the organization confirms and offers a
/// contract → the parent signs it → the reserve shows on the certificate →
/// the monthly job → the charge shows, and the organization's register has it
/// → the certificate is excluded: the child is expelled, the reserve returns
/// and the free remainder ends with the certificate.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn certificate_pays_for_a_club_journey() {
    let server = Server::start(Backend::Postgres).await;
    let browser = Browser::start().await;
    let program = server.published_program("Робототехника «Кванториум»", "technical", "Робототехника", true).await;
    server.staff_of(program, CLUB_EMAIL, STAFF_PASSWORD).await;
    server.account_with_role(OPERATOR_EMAIL, STAFF_PASSWORD, "operator").await;
    server.funding_period(2_000_000).await;
    let child = server.family_with_certificate(PARENT_EMAIL, STAFF_PASSWORD, "Миша", "6700000101").await;
    // The module costs 5 400 ₽; the group began last month, so the contract
    // runs from this month to the group's end, in equal shares.
    let today = server.today();
    let (_, group_end) = group_term(today);
    let months = months_spanned(today, group_end);
    // Accepted today: the first month pays for the days from today to its end.
    let first_share = charge_for_month(540_000, months, 0, month_start(today), today);
    let result = async {
        let b = &browser;
        sign_in(b, &server, PARENT_EMAIL, STAFF_PASSWORD).await?;
        b.click("#children-link").await?;
        b.click(".certificate-money-link").await?;
        b.wait_path(&format!("/children/{child}/certificate")).await?;
        b.wait_text("#balance-available", &rubles(0)).await?;
        b.click("#request-funding").await?;
        b.wait_text(".funding-request", "на рассмотрении").await?;
        b.check_page().await?;
        sign_out(b).await?;

        sign_in(b, &server, OPERATOR_EMAIL, STAFF_PASSWORD).await?;
        b.click("#funding-requests-link").await?;
        b.wait_text(".funding-request", "6700000101").await?;
        b.click(".funding-request .approve-funding").await?;
        b.wait_text(".funding-request", "Номинал зачислен").await?;
        sign_out(b).await?;

        sign_in(b, &server, PARENT_EMAIL, STAFF_PASSWORD).await?;
        b.open(&server.url(&format!("/children/{child}/certificate"))).await?;
        b.wait_text("#balance-available", &rubles(2_000_000)).await?;
        apply(b, &server, program).await?;
        b.wait_text(".apply-done", "Заявка подана").await?;
        b.check_page().await?;
        sign_out(b).await?;

        sign_in(b, &server, CLUB_EMAIL, STAFF_PASSWORD).await?;
        // A provider that is not an activation point sees its own sections only.
        b.wait_for("#cabinet-link").await?;
        assert_eq!(b.count("#children-link").await? + b.count("#desk-link").await?, 0, "family and desk menus");
        b.click("#inbox-link").await?;
        b.wait_text(".application", "Петров Миша").await?;
        b.click(".application .confirm-application").await?;
        b.wait_text(".application .application-status", "Подтверждена").await?;
        b.click(".application .offer-contract").await?;
        b.wait_text("#module_id option:checked", "Первый год").await?;
        b.submit(".offer-form").await?;
        b.wait_text(".application .offer-sent", "Договор отправлен").await?;
        b.check_page().await?;
        sign_out(b).await?;

        sign_in(b, &server, PARENT_EMAIL, STAFF_PASSWORD).await?;
        b.click("#applications-link").await?;
        b.wait_text(".application .contract", &rubles(540_000)).await?;
        // The contract is read whole before signing: parties, child, module, price, schedule, charges, early end.
        b.click(".application .read-contract").await?;
        b.wait_text(".contract-heading", "Договор об образовании №").await?;
        for clause in
            ["«Робототехника «Кванториум»»", "Петров Миша", "6700000101", "досрочно", "неизрасходованный резерв"]
        {
            b.wait_text(".contract-clauses", clause).await?;
        }
        b.check_page().await?;
        b.click(".sign-contract .accept-contract").await?;
        b.wait_text("[data-error-for='read_terms']", "прочитали договор").await?;
        b.click("#read_terms").await?;
        b.click(".sign-contract .accept-contract").await?;
        b.wait_text(".notice", "Договор подписан").await?;
        b.wait_text(".contract-status", "Действует").await?;
        b.click("a.print-contract").await?;
        b.wait_for("a.print-contract[data-loaded='true']").await?;
        b.click("#applications-link").await?;
        b.wait_text(".application .application-status", "Зачислен").await?;
        b.wait_text(".application .contract-status", "Действует").await?;
        b.check_page().await?;
        b.open(&server.url(&format!("/children/{child}/certificate"))).await?;
        b.wait_text("#balance-reserved", &rubles(540_000)).await?;
        b.wait_text("#balance-available", &rubles(2_000_000 - 540_000)).await?;
        b.wait_text(".ledger-entry.kind-reserve", "Резерв по договору").await?;
        // The reserve moves the price from «Доступно» to «Зарезервировано»; nothing is spent yet.
        let reserve = ".ledger-entry.kind-reserve";
        b.wait_text(&format!("{reserve} .effect-available dt"), "Доступно").await?;
        b.wait_text(&format!("{reserve} .effect-available dd"), &signed_rubles(-540_000)).await?;
        b.wait_text(&format!("{reserve} .effect-reserved dt"), "Зарезервировано").await?;
        b.wait_text(&format!("{reserve} .effect-reserved dd"), &signed_rubles(540_000)).await?;
        b.wait_text(&format!("{reserve} .effect-spent dt"), "Списано").await?;
        b.wait_text(&format!("{reserve} .effect-spent dd"), &rubles(0)).await?;
        b.check_page().await?;

        let charged = server.charge_this_month().await;
        assert_eq!(charged, 1, "the month is charged once");
        assert_eq!(server.charge_this_month().await, 0, "a second run charges nothing");
        b.open(&server.url(&format!("/children/{child}/certificate"))).await?;
        b.wait_text(".ledger-entry.kind-charge .effect-reserved dd", &signed_rubles(-first_share)).await?;
        b.wait_text(".ledger-entry.kind-charge .effect-spent dd", &signed_rubles(first_share)).await?;
        b.wait_text("#balance-spent", &rubles(first_share)).await?;
        b.wait_text("#balance-reserved", &rubles(540_000 - first_share)).await?;
        b.check_page().await?;
        sign_out(b).await?;

        sign_in(b, &server, CLUB_EMAIL, STAFF_PASSWORD).await?;
        b.open(&server.url("/cabinet/register")).await?;
        b.set_css("#month", &month_start(today).format("%Y-%m").to_string()).await?;
        b.wait_text(".register-row", "Петров Миша").await?;
        b.wait_text("#register-total", &rubles(first_share)).await?;
        b.check_page().await?;
        sign_out(b).await?;

        // The family moves out of the region: the operator excludes the
        // certificate, the studies end and the unspent reserve comes back.
        sign_in(b, &server, OPERATOR_EMAIL, STAFF_PASSWORD).await?;
        b.open(&server.url("/registry/6700000101")).await?;
        b.click("details:has(#exclude-form) summary").await?;
        b.choose("reason", "moved_out_of_region").await?;
        b.submit("#exclude-form").await?;
        b.wait_text(".certificate-status", "исключён из реестра").await?;
        b.wait_text(".decision-outcome .notice", "Обучение ребёнка по нему прекращено").await?;
        sign_out(b).await?;
        sign_in(b, &server, PARENT_EMAIL, STAFF_PASSWORD).await?;
        b.click("#applications-link").await?;
        b.wait_text(".application .application-status", "Отчислен").await?;
        b.wait_text(".application .contract-status", "Расторгнут").await?;
        b.open(&server.url(&format!("/children/{child}/certificate"))).await?;
        // The reserve came back, and with the certificate ended its free
        // remainder goes too: no sum outlives the certificate.
        b.wait_text("#balance-reserved", &rubles(0)).await?;
        b.wait_text("#balance-available", &rubles(0)).await?;
        b.wait_for(".ledger-entry.kind-release").await?;
        b.wait_for(".ledger-entry.kind-expire").await?;
        b.check_page().await
    }
    .await;
    browser.finish("certificate_pays_for_a_club_journey", result).await;
}

/// A group of one place: the second family waits, and when the first cancels
/// the place goes to it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_list_journey() {
    let server = Server::start(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let program = server.published_program("Шахматы для начинающих", "physical_sports", "Шахматы", false).await;
    server.set_capacity(program, 1).await;
    server.staff_of(program, CLUB_EMAIL, STAFF_PASSWORD).await;
    server.family_with_certificate(PARENT_EMAIL, STAFF_PASSWORD, "Миша", "6700000201").await;
    server.family_with_certificate("second.family@example.org", STAFF_PASSWORD, "Гриша", "6700000202").await;
    server.family_without_certificate("third.family@example.org", STAFF_PASSWORD, "Саша", "6700000203").await;
    let result = async {
        let b = &browser;
        sign_in(b, &server, PARENT_EMAIL, STAFF_PASSWORD).await?;
        apply(b, &server, program).await?;
        b.wait_text(".apply-done", "Заявка подана").await?;
        sign_out(b).await?;

        sign_in(b, &server, "second.family@example.org", STAFF_PASSWORD).await?;
        b.open(&server.url(&format!("/programs/{program}"))).await?;
        b.click("#tab-groups").await?;
        b.wait_text(".apply-button", "лист ожидания").await?;
        apply(b, &server, program).await?;
        b.wait_text(".apply-done", "место в очереди — 1").await?;
        b.click("#my-applications-link").await?;
        b.wait_text(".application .waiting-position", "Место в листе ожидания: 1").await?;
        b.check_page().await?;
        sign_out(b).await?;

        // A child without a certificate asks for it with the application: the
        // applicant's two consents are needed, as at «Получить сертификат».
        sign_in(b, &server, "third.family@example.org", STAFF_PASSWORD).await?;
        apply(b, &server, program).await?;
        b.wait_text(".apply-form [data-error-for='consent_rules']", "Правилами").await?;
        b.click(".apply-form input[name='consent_personal_data']").await?;
        b.click(".apply-form input[name='consent_rules']").await?;
        b.submit(".apply-form").await?;
        b.wait_text(".apply-done", "место в очереди — 2").await?;
        b.check_page().await?;
        sign_out(b).await?;

        sign_in(b, &server, PARENT_EMAIL, STAFF_PASSWORD).await?;
        b.click("#applications-link").await?;
        b.click(".application .cancel-application").await?;
        b.accept_dialog().await?;
        b.wait_text(".application .application-status", "Отменена").await?;
        sign_out(b).await?;

        sign_in(b, &server, "second.family@example.org", STAFF_PASSWORD).await?;
        b.click("#applications-link").await?;
        b.wait_text(".application .application-status", "Подана").await?;
        assert_eq!(b.count(".application .waiting-position").await?, 0);
        sign_out(b).await?;

        // The organization confirms and enrols; enrolling asks first.
        sign_in(b, &server, CLUB_EMAIL, STAFF_PASSWORD).await?;
        b.click("#inbox-link").await?;
        b.wait_text(".application", "Петров Гриша").await?;
        b.click(".application .confirm-application").await?;
        b.wait_text(".application .application-status", "Подтверждена").await?;
        b.click(".application .enroll-application").await?;
        b.accept_dialog().await?;
        b.wait_text(".application .application-status", "Зачислен").await
    }
    .await;
    browser.finish("waiting_list_journey", result).await;
}

/// The organization moves a child to another group of the program: the form
/// asks for the family's consent, the application shows the new group, and
/// the family sees it in «Мои заявки».
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transfer_to_another_group_journey() {
    let server = Server::start(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let program = server.published_program("Шахматы «Ладья»", "physical_sports", "Шахматы", false).await;
    let second = server.add_group(program, "Группа 2", 5).await;
    server.staff_of(program, CLUB_EMAIL, STAFF_PASSWORD).await;
    server.family_with_certificate(PARENT_EMAIL, STAFF_PASSWORD, "Миша", "6700000211").await;
    let result = async {
        let b = &browser;
        sign_in(b, &server, PARENT_EMAIL, STAFF_PASSWORD).await?;
        apply(b, &server, program).await?;
        b.wait_text(".apply-done", "Заявка подана").await?;
        sign_out(b).await?;

        sign_in(b, &server, CLUB_EMAIL, STAFF_PASSWORD).await?;
        b.click("#inbox-link").await?;
        b.wait_text(".application", "Группа 1").await?;
        b.click(".application .transfer-application").await?;
        b.set_css(".transfer-form select[name='group_id']", &second.to_string()).await?;
        b.submit(".transfer-form").await?;
        b.wait_text(".transfer-form [data-error-for='family_consent']", "согласия семьи").await?;
        b.click(".transfer-form input[name='family_consent']").await?;
        b.submit(".transfer-form").await?;
        b.wait_text(".application", "Шахматы «Ладья» — Группа 2").await?;
        b.wait_text(".application .notice", "переведён").await?;
        b.check_page().await?;
        sign_out(b).await?;

        sign_in(b, &server, PARENT_EMAIL, STAFF_PASSWORD).await?;
        b.click("#applications-link").await?;
        b.wait_text(".application", "Группа 2").await?;
        b.check_page().await
    }
    .await;
    browser.finish("transfer_to_another_group_journey", result).await;
}

/// Seed 004: the family signs on paper. The organization prints the
/// application for studies, registers the signed contract with its date, and
/// the family sees the child enrolled, the contract «подписан на бумаге» and
/// the reserve on the certificate.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paper_contract_journey() {
    let server = Server::start(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let program = server.published_program("Шахматы «Гамбит»", "technical", "Шахматы", true).await;
    server.staff_of(program, CLUB_EMAIL, STAFF_PASSWORD).await;
    server.funding_period(2_000_000).await;
    let child = server.family_with_certificate(PARENT_EMAIL, STAFF_PASSWORD, "Миша", "6700000202").await;
    server.fund(child).await;
    let result = async {
        let b = &browser;
        sign_in(b, &server, PARENT_EMAIL, STAFF_PASSWORD).await?;
        apply(b, &server, program).await?;
        b.wait_text(".apply-done", "Заявка подана").await?;
        sign_out(b).await?;

        sign_in(b, &server, CLUB_EMAIL, STAFF_PASSWORD).await?;
        b.click("#inbox-link").await?;
        b.click(".application .confirm-application").await?;
        b.wait_text(".application .application-status", "Подтверждена").await?;
        b.click(".application .offer-contract").await?;
        b.submit(".offer-form").await?;
        b.wait_text(".application .offer-sent", "на бумаге").await?;
        b.click("a.print-enrolment").await?;
        b.wait_for("a.print-enrolment[data-loaded='true']").await?;
        b.click(".application .paper-contract").await?;
        b.set_value("signed_on", &server.today().to_string()).await?;
        b.submit(".paper-form").await?;
        b.wait_text(".application .application-status", "Зачислен").await?;
        b.wait_text(".application .contract-paper", "на бумаге").await?;
        b.check_page().await?;
        // The organization reads the signed text and downloads it.
        b.click(".application .contract-link").await?;
        b.wait_text(".contract-clauses", "Петров Миша").await?;
        b.wait_text(".contract-status", "Действует").await?;
        assert_eq!(b.count(".sign-contract").await?, 0, "the organization does not sign for the family");
        b.click("a.print-contract").await?;
        b.wait_for("a.print-contract[data-loaded='true']").await?;
        sign_out(b).await?;

        sign_in(b, &server, PARENT_EMAIL, STAFF_PASSWORD).await?;
        b.click("#applications-link").await?;
        b.wait_text(".application .contract-status", "Действует").await?;
        b.wait_text(".application .contract-paper", "на бумаге в организации").await?;
        b.open(&server.url(&format!("/children/{child}/certificate"))).await?;
        b.wait_text(".ledger-entry.kind-reserve", "Резерв по договору").await?;
        b.wait_text("#nominal", "сгорает").await?;
        // The year ends: the remainder burns, the contract's reserve stays.
        assert_eq!(server.expire_this_years_periods().await, 1);
        b.open(&server.url(&format!("/children/{child}/certificate"))).await?;
        b.wait_text(".ledger-entry.kind-expire", "Сгорание остатка номинала").await?;
        b.wait_text("#balance-available", &rubles(0)).await?;
        b.check_page().await
    }
    .await;
    browser.finish("paper_contract_journey", result).await;
}

/// «Отчисление по заявлению»: the family asks to leave today, the
/// organization confirms, the child leaves that day; the certificate page
/// shows the day paid and the rest of the reserve back in one entry.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn family_withdraws_a_child_journey() {
    let server = Server::start(Backend::Postgres).await;
    let browser = Browser::start().await;
    let program = server.published_program("Шахматы «Гамбит»", "technical", "Шахматы", true).await;
    server.staff_of(program, CLUB_EMAIL, STAFF_PASSWORD).await;
    server.funding_period(2_000_000).await;
    let child = server.family_with_certificate(PARENT_EMAIL, STAFF_PASSWORD, "Миша", "6700000203").await;
    server.fund(child).await;
    let today = server.today();
    let (_, group_end) = group_term(today);
    let months = months_spanned(today, group_end);
    // Signed today and leaving today: one day of this month is paid.
    let paid = charge_in_force(540_000, months, 0, month_start(today), today, Some(today));
    let result = async {
        let b = &browser;
        sign_in(b, &server, PARENT_EMAIL, STAFF_PASSWORD).await?;
        apply(b, &server, program).await?;
        b.wait_text(".apply-done", "Заявка подана").await?;
        sign_out(b).await?;

        sign_in(b, &server, CLUB_EMAIL, STAFF_PASSWORD).await?;
        enrol_on_paper(b, today).await?;
        sign_out(b).await?;

        sign_in(b, &server, PARENT_EMAIL, STAFF_PASSWORD).await?;
        b.click("#applications-link").await?;
        b.click(".application .withdraw-child").await?;
        b.wait_value("leave_on", &today.to_string()).await?;
        // A day in the past is refused on its field.
        b.set_value("leave_on", &today.pred_opt().unwrap_or(today).to_string()).await?;
        b.submit(".withdraw-form").await?;
        b.wait_text("[data-error-for='leave_on']", "в прошлом").await?;
        b.set_value("leave_on", &today.to_string()).await?;
        b.submit(".withdraw-form").await?;
        b.wait_text(".application .notice", "Заявление об отчислении отправлено").await?;
        b.wait_text(".application .withdrawal", "Ждёт подтверждения организации").await?;
        assert_eq!(b.count(".application .withdraw-child").await?, 0, "asked once");
        b.check_page().await?;
        sign_out(b).await?;

        sign_in(b, &server, CLUB_EMAIL, STAFF_PASSWORD).await?;
        b.click("#inbox-link").await?;
        b.wait_text(".application .withdrawal", "Последний день занятий").await?;
        b.click(".application .confirm-withdrawal").await?;
        b.accept_dialog().await?;
        b.wait_text(".application .application-status", "Отчислен").await?;
        b.wait_text(".application .contract-status", "Расторгнут").await?;
        b.check_page().await?;
        sign_out(b).await?;

        sign_in(b, &server, PARENT_EMAIL, STAFF_PASSWORD).await?;
        b.click("#applications-link").await?;
        b.wait_text(".application .application-status", "Отчислен").await?;
        b.wait_text(".application .withdrawal", "Исполнено").await?;
        b.open(&server.url(&format!("/children/{child}/certificate"))).await?;
        b.wait_text("#balance-reserved", &rubles(0)).await?;
        b.wait_text("#balance-spent", &rubles(paid)).await?;
        b.wait_text(".ledger-entry.kind-release .effect-available dd", &signed_rubles(540_000 - paid)).await?;
        assert_eq!(b.count(".ledger-entry.kind-release").await?, 1, "the rest came back in one entry");
        b.check_page().await
    }
    .await;
    browser.finish("family_withdraws_a_child_journey", result).await;
}

/// The apply form speaks of the child chosen: an age refusal for one child
/// goes away when another is picked, and an excluded certificate is called
/// what it is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_apply_form_speaks_of_the_child_chosen_journey() {
    let server = Server::start(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let program = server.published_program("Шахматы «Е2-Е4»", "physical_sports", "Шахматы", false).await;
    server.account_with_role(PARENT_EMAIL, STAFF_PASSWORD, "parent").await;
    let today = server.today();
    let years_ago = |years: i32| today.with_year(today.year() - years).unwrap_or(today) - chrono::TimeDelta::days(30);
    let older = server.add_child(PARENT_EMAIL, "Костя", years_ago(16), "6700000301", Some("active")).await;
    let younger = server.add_child(PARENT_EMAIL, "Миша", years_ago(11), "6700000302", Some("active")).await;
    let excluded = server.add_child(PARENT_EMAIL, "Лёва", years_ago(10), "6700000303", Some("excluded")).await;
    let result = async {
        let b = &browser;
        sign_in(b, &server, PARENT_EMAIL, STAFF_PASSWORD).await?;
        b.open(&server.url(&format!("/programs/{program}"))).await?;
        b.click("#tab-groups").await?;
        b.click(".apply-button").await?;
        b.choose("child_id", &older.to_string()).await?;
        b.submit(".apply-form").await?;
        b.wait_text(".apply-form .form-error", "от 7 до 12 лет").await?;
        b.choose("child_id", &younger.to_string()).await?;
        b.wait_gone(".apply-form .form-error").await?;
        b.choose("child_id", &excluded.to_string()).await?;
        b.wait_text(".apply-form .certificate-hint", "исключён из реестра").await?;
        assert_eq!(b.count(".apply-form .certificate-hint").await?, 1);
        b.check_page().await
    }
    .await;
    browser.finish("the_apply_form_speaks_of_the_child_chosen_journey", result).await;
}

/// The first right to continue: a child finishes the first year of a
/// program; the organization holds places in the next year's group until a
/// day, sees the child among them, the family gets a message and the card
/// tells other families the places are held.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_right_to_continue_journey() {
    let server = Server::start(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let program = server.published_program("Шахматы «Дебют»", "physical_sports", "Шахматы", false).await;
    let next_year = server.add_next_year_group(program, "Второй год", 10).await;
    server.staff_of(program, CLUB_EMAIL, STAFF_PASSWORD).await;
    server.family_with_certificate(PARENT_EMAIL, STAFF_PASSWORD, "Миша", "6700000221").await;
    let today = server.today();
    let until = today + chrono::TimeDelta::days(14);
    let until_text = until.format("%d.%m.%Y").to_string();
    let result = async {
        let b = &browser;
        // The first-year group is the card's first: the family applies to it.
        sign_in(b, &server, PARENT_EMAIL, STAFF_PASSWORD).await?;
        apply(b, &server, program).await?;
        b.wait_text(".apply-done", "Заявка подана").await?;
        sign_out(b).await?;

        sign_in(b, &server, CLUB_EMAIL, STAFF_PASSWORD).await?;
        b.click("#inbox-link").await?;
        b.wait_text(".application", "Петров Миша").await?;
        b.click(".application .confirm-application").await?;
        b.wait_text(".application .application-status", "Подтверждена").await?;
        b.click(".application .enroll-application").await?;
        b.accept_dialog().await?;
        b.wait_text(".application .application-status", "Зачислен").await?;
        b.click(".application .complete-application").await?;
        b.accept_dialog().await?;
        b.wait_text(".application .application-status", "Обучение завершено").await?;

        b.open(&server.url("/cabinet")).await?;
        b.click(&format!("a[href='/cabinet/programs/{program}']")).await?;
        let block = format!(".group-row[data-group-id='{next_year}'] .continuation");
        b.click(&format!("{block} summary")).await?;
        b.wait_text(&format!("{block} .continuation-state"), "Места не закреплены").await?;
        // A day in the past is refused on its field.
        b.set_value("hold_until", &today.pred_opt().unwrap_or(today).to_string()).await?;
        b.submit(".continuation-form").await?;
        b.wait_text("[data-error-for='hold_until']", "в прошлом").await?;
        b.wait_focus("hold_until").await?;
        b.set_value("hold_until", &until.to_string()).await?;
        b.submit(".continuation-form").await?;
        b.wait_text(&format!("{block} li.held-place"), &format!("Петров Миша — до {until_text}")).await?;
        b.wait_text(&format!("{block} .continuation-state"), &until_text).await?;
        assert_eq!(b.count(&format!("{block} .without-place")).await?, 0, "the group had room");
        b.wait_for(&format!("{block} .stop-holding")).await?;
        b.check_page().await?;
        // Opened again, the block shows what the group holds.
        b.click(&format!("{block} summary")).await?;
        b.wait_gone(".continuation-form").await?;
        b.click(&format!("{block} summary")).await?;
        b.wait_text(&format!("{block} li.held-place"), "Петров Миша").await?;
        b.wait_value("hold_until", &until.to_string()).await?;
        // One block is open at a time: the groups' forms share their field names.
        b.click(".group-row:first-child .continuation summary").await?;
        b.wait_text(".group-row:first-child .continuation-state", "Места не закреплены").await?;
        assert_eq!(b.count(".continuation-form").await?, 1, "the other block closed");
        assert_eq!(b.count(&format!("{block}[open]")).await?, 0, "the next year's block closed");
        sign_out(b).await?;

        sign_in(b, &server, PARENT_EMAIL, STAFF_PASSWORD).await?;
        b.open(&server.url("/messages")).await?;
        b.wait_text(".message", "закреплено").await?;
        b.check_page().await?;
        b.open(&server.url(&format!("/programs/{program}"))).await?;
        b.click("#tab-groups").await?;
        b.wait_text(
            &format!(".group-row[data-group-id='{next_year}'] .group-hold"),
            &format!("Места для продолжающих обучение закреплены до {until_text}"),
        )
        .await?;
        b.check_page().await
    }
    .await;
    browser.finish("first_right_to_continue_journey", result).await;
}
