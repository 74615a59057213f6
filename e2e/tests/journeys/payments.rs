//! Paying the provider: the organization asks for the month's advance and
//! then sends the invoice; the operator approves the advance, returns the
//! invoice with a comment, the organization corrects and sends it again, the
//! operator approves it and records the payment order.

use navigator_shared::applications::{charge_for_month, month_start, months_spanned};
use navigator_shared::money::rubles;
use navigator_shared::payments::advance_limit;

use super::enrolment::{apply, enrol_on_paper, sign_out};
use crate::harness::{Backend, Browser, Server, group_term};
use crate::{STAFF_PASSWORD, sign_in};

const PARENT_EMAIL: &str = "oleg.petrov@example.org";
const CLUB_EMAIL: &str = "club.staff@example.org";
const OPERATOR_EMAIL: &str = "funding.operator@example.org";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provider_is_paid_advance_and_invoice_journey() {
    let server = Server::start(Backend::Postgres).await;
    let browser = Browser::start().await;
    let program = server.published_program("Шахматы «Гамбит»", "technical", "Шахматы", true).await;
    server.staff_of(program, CLUB_EMAIL, STAFF_PASSWORD).await;
    server.account_with_role(OPERATOR_EMAIL, STAFF_PASSWORD, "operator").await;
    server.funding_period(2_000_000).await;
    let child = server.family_with_certificate(PARENT_EMAIL, STAFF_PASSWORD, "Миша", "6700000301").await;
    server.fund(child).await;
    let today = server.today();
    let (_, group_end) = group_term(today);
    let charge = charge_for_month(540_000, months_spanned(today, group_end), 0, month_start(today), today);
    let advance = advance_limit(charge, 80);
    let result = async {
        let b = &browser;
        sign_in(b, &server, PARENT_EMAIL, STAFF_PASSWORD).await?;
        apply(b, &server, program).await?;
        b.wait_text(".apply-done", "Заявка подана").await?;
        sign_out(b).await?;

        // The contract is signed on paper today.
        sign_in(b, &server, CLUB_EMAIL, STAFF_PASSWORD).await?;
        enrol_on_paper(b, today).await?;
        // An advance is asked from the month's second working day: on the
        // first days of a month the server's clock moves there.
        let opens = server.advance_opens_on().await;
        if today < opens {
            server.state.config.clock.set_today(opens);
        }

        // The advance: 80 % of what the month's contracts will be charged.
        b.click("#cabinet-payments-tab").await?;
        b.wait_text("#payments-expected", &rubles(charge)).await?;
        b.wait_text("#advance-limit", &rubles(advance)).await?;
        b.check_page().await?;
        b.submit(".advance-form").await?;
        b.wait_text(".payment-advance .payment-status", "На рассмотрении").await?;
        sign_out(b).await?;

        sign_in(b, &server, OPERATOR_EMAIL, STAFF_PASSWORD).await?;
        b.click("#payments-link").await?;
        b.wait_text(".payment-request", "Заявка на авансирование").await?;
        b.check_page().await?;
        b.click(".payment-request .approve-payment").await?;
        b.wait_text(".payment-request .payment-status", "Одобрена").await?;
        sign_out(b).await?;

        // The month is closed; the invoice takes the advance off.
        assert_eq!(server.charge_this_month().await, 1);
        sign_in(b, &server, CLUB_EMAIL, STAFF_PASSWORD).await?;
        b.open(&server.url("/cabinet/payments")).await?;
        b.click(".make-invoice").await?;
        b.wait_text(".payment-invoice .payment-line", "6700000301").await?;
        b.wait_text("#invoice-advance", &rubles(advance)).await?;
        b.wait_text("#invoice-amount", &rubles(charge - advance)).await?;
        b.submit(".invoice-form").await?;
        b.wait_text(".payment-invoice .payment-status", "На рассмотрении").await?;
        sign_out(b).await?;

        sign_in(b, &server, OPERATOR_EMAIL, STAFF_PASSWORD).await?;
        b.click("#payments-link").await?;
        b.wait_text(".payment-request", "Счёт на оплату").await?;
        b.click(".payment-request .open-payment").await?;
        b.wait_text(".payment-request .payment-line", "Петров").await?;
        b.click(".payment-request .return-payment").await?;
        b.submit(".return-form").await?;
        b.wait_text(".return-form [data-error-for='comment']", "исправить").await?;
        b.fill("comment", "Приложите акт сверки за месяц").await?;
        b.submit(".return-form").await?;
        b.wait_text(".payment-request .payment-status", "Возвращена на доработку").await?;
        b.check_page().await?;
        sign_out(b).await?;

        sign_in(b, &server, CLUB_EMAIL, STAFF_PASSWORD).await?;
        b.open(&server.url("/cabinet/payments")).await?;
        b.wait_text(".payment-invoice .return-comment", "Приложите акт сверки").await?;
        b.fill("note", "Акт сверки № 12 приложен").await?;
        b.submit(".invoice-form").await?;
        b.wait_text(".payment-invoice .payment-status", "На рассмотрении").await?;
        sign_out(b).await?;

        sign_in(b, &server, OPERATOR_EMAIL, STAFF_PASSWORD).await?;
        b.click("#payments-link").await?;
        b.wait_text(".payment-request", "Счёт на оплату").await?;
        b.click(".payment-request .approve-payment").await?;
        b.wait_text(".payment-request .payment-status", "Одобрена").await?;
        b.click(".payment-request .pay-payment").await?;
        b.fill("payment_order", "1542").await?;
        b.set_value("paid_on", &server.today().to_string()).await?;
        b.submit(".pay-form").await?;
        b.wait_text(".payment-request .payment-status", "Оплачена").await?;
        // The month's register: the advance and the invoice, all of the month's charges.
        b.wait_text("#payment-register-total", &rubles(charge)).await?;
        b.check_page().await
    }
    .await;
    browser.finish("provider_is_paid_advance_and_invoice_journey", result).await;
}
