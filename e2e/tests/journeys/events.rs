//! Events: the organization writes an open day (a wrong date is told on its
//! field) and sends it to moderation; the operator publishes it; a parent
//! finds it in the calendar by its kind, signs up both children in one go
//! and sees the places left, takes the event's `.ics` file and the feed of
//! the filtered calendar; the organization sees them in its list.

use chrono::TimeDelta;
use thirtyfour::prelude::WebDriverError;

use super::enrolment::sign_out;
use crate::harness::{Backend, Browser, Server};
use crate::{STAFF_PASSWORD, sign_in};

const PARENT_EMAIL: &str = "events.parent@example.org";
const CLUB_EMAIL: &str = "events.staff@example.org";
const OPERATOR_EMAIL: &str = "events.operator@example.org";

fn failed(what: String) -> WebDriverError {
    WebDriverError::FatalError(what)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_family_signs_up_two_children_for_an_open_day_journey() {
    let server = Server::start(Backend::Postgres).await;
    let browser = Browser::start().await;
    let program = server.published_program("Робототехника «Орбита»", "technical", "Робототехника", false).await;
    server.staff_of(program, CLUB_EMAIL, STAFF_PASSWORD).await;
    server.account_with_role(OPERATOR_EMAIL, STAFF_PASSWORD, "operator").await;
    server.family_without_certificate(PARENT_EMAIL, STAFF_PASSWORD, "Миша", "6700000931").await;
    let born = chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&server.today()) - 8, 3, 1).unwrap();
    server.add_child(PARENT_EMAIL, "Гоша", born, "6700000932", None).await;
    let day = navigator_api::events::service::local_now().date() + TimeDelta::days(10);
    let result = async {
        let b = &browser;
        // The organization writes the open day.
        sign_in(b, &server, CLUB_EMAIL, STAFF_PASSWORD).await?;
        b.click("#cabinet-events-link").await?;
        b.click("#new-event").await?;
        b.wait_for("#event-form").await?;
        b.fill("title", "День открытых дверей «Орбиты»").await?;
        b.choose("kind", "open_day").await?;
        b.fill("description", "Покажем мастерскую робототехники и расскажем о группах нового полугодия.").await?;
        b.fill("age_min", "6").await?;
        b.fill("age_max", "12").await?;
        b.fill("address", "г. Смоленск, ул. Николаева, д. 3").await?;
        b.choose("municipality_id", &server.municipality.to_string()).await?;
        b.set_value("starts_at", &format!("{day}T11:00")).await?;
        b.set_value("ends_at", &format!("{day}T10:00")).await?;
        b.fill("capacity", "10").await?;
        b.submit("#event-form").await?;
        b.wait_text("[data-error-for='ends_at']", "позже начала").await?;
        b.set_value("ends_at", &format!("{day}T13:00")).await?;
        b.submit("#event-form").await?;
        b.click("#event-submit").await?;
        b.wait_text("main", "На модерации").await?;
        b.assert_no_horizontal_scroll().await?;
        sign_out(b).await?;

        // The operator publishes it.
        sign_in(b, &server, OPERATOR_EMAIL, STAFF_PASSWORD).await?;
        b.open(&server.url("/moderation/events")).await?;
        b.wait_text(".event-entry", "Орбиты").await?;
        b.click(".event-entry .event-publish").await?;
        b.wait_gone(".event-entry").await?;
        sign_out(b).await?;

        // The parent finds it by its kind and signs up both children.
        sign_in(b, &server, PARENT_EMAIL, STAFF_PASSWORD).await?;
        b.click("#events-link").await?;
        b.wait_for("#events-filters").await?;
        // On a phone the filters fold behind «Фильтры».
        b.click("#events-filters-toggle").await?;
        b.choose("kind", "open_day").await?;
        b.wait_text(".event-item", "Орбиты").await?;
        b.assert_no_horizontal_scroll().await?;
        let feed = b.eval("return document.querySelector('#events-feed').getAttribute('href')").await?;
        if !feed.as_str().is_some_and(|href| href.starts_with("/api/v1/events.ics?") && href.contains("kind=open_day"))
        {
            return Err(failed(format!("the feed of the filters: {feed}")));
        }
        b.click("#view-month").await?;
        b.wait_for("table.events-month").await?;
        b.assert_no_horizontal_scroll().await?;
        b.click("#view-list").await?;
        b.click(".event-item a").await?;
        b.wait_for("#signup-form").await?;
        b.wait_text(".event-places", "10").await?;
        b.wait_text("#signup-form", "Гоша").await?;
        b.run_script("document.querySelectorAll(\"#signup-form input[name='child_ids']\").forEach(c => c.click())")
            .await?;
        b.click("#signup-submit").await?;
        b.wait_text(".form-success", "Записали").await?;
        b.wait_text(".event-places", "8").await?;
        let signed = b.count(".my-signup").await?;
        if signed != 2 {
            return Err(failed(format!("{signed} children signed up")));
        }
        b.assert_accessible().await?;
        // The .ics file for the phone's calendar.
        let href = b.eval("return document.querySelector('.event-ics-link').getAttribute('href')").await?;
        let href = href.as_str().ok_or_else(|| failed(format!("no .ics link: {href}")))?.to_owned();
        let ics = reqwest::get(server.url(&href)).await.unwrap().text().await.unwrap();
        if !(ics.contains("BEGIN:VEVENT") && ics.contains("SUMMARY:День открытых дверей «Орбиты»"))
        {
            return Err(failed(format!("the .ics file: {ics}")));
        }
        sign_out(b).await?;

        // The organization's list of participants.
        sign_in(b, &server, CLUB_EMAIL, STAFF_PASSWORD).await?;
        b.click("#cabinet-events-link").await?;
        b.click(".event-row a").await?;
        b.wait_text("table.participants", "Гоша").await?;
        b.wait_text("table.participants", "Миша").await?;
        b.wait_text(".participants-csv", "CSV").await
    }
    .await;
    browser.finish("events", result).await;
}
