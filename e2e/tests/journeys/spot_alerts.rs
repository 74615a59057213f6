//! «Сообщить, когда появятся места»: a parent finds the only group full,
//! asks to be told, and the page remembers it; the organization's staff add
//! places; the parent gets the email and the in-app message and applies.

use crate::harness::{Backend, Browser, Server};
use crate::journeys::enrolment::{apply, sign_out};
use crate::{STAFF_PASSWORD, sign_in};

const PARENT_EMAIL: &str = "alert.parent@example.org";
const FIRST_EMAIL: &str = "first.family@example.org";
const CLUB_EMAIL: &str = "alert.club@example.org";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parent_is_told_when_places_appear_journey() {
    let server = Server::start(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let program = server.published_program("Шахматы для начинающих", "physical_sports", "Шахматы", false).await;
    server.set_capacity(program, 1).await;
    server.staff_of(program, CLUB_EMAIL, STAFF_PASSWORD).await;
    server.family_with_certificate(FIRST_EMAIL, STAFF_PASSWORD, "Гриша", "6700000702").await;
    server.family_with_certificate(PARENT_EMAIL, STAFF_PASSWORD, "Миша", "6700000701").await;
    let result = async {
        let b = &browser;
        // The only place is taken.
        sign_in(b, &server, FIRST_EMAIL, STAFF_PASSWORD).await?;
        apply(b, &server, program).await?;
        b.wait_text(".apply-done", "Заявка подана").await?;
        sign_out(b).await?;

        // The parent finds the group full and asks to be told.
        sign_in(b, &server, PARENT_EMAIL, STAFF_PASSWORD).await?;
        let groups = server.url(&format!("/programs/{program}?tab=groups"));
        b.open(&groups).await?;
        b.wait_text(".group-row .group-places", "Свободных мест: 0").await?;
        b.click(".group-row .spot-alert-ask").await?;
        b.wait_text(".group-row .spot-alert", "Вы подписаны").await?;
        b.wait_text(".group-row .spot-alert .notice", "Сообщим").await?;
        b.check_page().await?;
        server.wait_for_email(PARENT_EMAIL, "/spot-alerts/unsubscribe?token=").await;
        // The page remembers the request.
        b.open(&groups).await?;
        b.wait_text(".group-row .spot-alert-on", "Вы подписаны").await?;
        sign_out(b).await?;

        // The organization's staff add places.
        sign_in(b, &server, CLUB_EMAIL, STAFF_PASSWORD).await?;
        b.open(&server.url(&format!("/cabinet/programs/{program}"))).await?;
        b.click(".group-row .edit-group").await?;
        b.fill_css("#group-capacity", "3").await?;
        b.submit("#group-form").await?;
        b.wait_text(".notice", "Группа сохранена").await?;
        sign_out(b).await?;

        // The parent is told, by email and in Навигатор, and applies.
        server.wait_for_email(PARENT_EMAIL, "Появились свободные места").await;
        sign_in(b, &server, PARENT_EMAIL, STAFF_PASSWORD).await?;
        b.open(&server.url("/messages")).await?;
        b.wait_text("main", "Появились свободные места").await?;
        b.check_page().await?;
        b.open(&groups).await?;
        b.wait_text(".group-row .group-places", "Свободных мест: 2").await?;
        apply(b, &server, program).await?;
        b.wait_text(".apply-done", "Заявка подана").await?;
        b.check_page().await
    }
    .await;
    browser.finish("a_parent_is_told_when_places_appear_journey", result).await;
}
