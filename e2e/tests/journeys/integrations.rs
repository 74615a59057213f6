//! An integrator: the admin creates the federal portal's client and sees its
//! secret once; the portal (this test, over HTTP) takes a token, subscribes
//! a webhook receiver and applies for the family's child by the certificate
//! number; the family sees the application in «Мои заявки» with its source,
//! the organization confirms it, and the admin page shows both webhooks
//! delivered.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use thirtyfour::prelude::{WebDriverError, WebDriverResult};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::enrolment::sign_out;
use crate::harness::{Backend, Browser, Server};
use crate::{STAFF_PASSWORD, sign_in};

const PARENT_EMAIL: &str = "anna.petrova@example.org";
const CLUB_EMAIL: &str = "robot.staff@example.org";
const ADMIN_EMAIL: &str = "region.admin@example.org";
const NUMBER: &str = "6700000901";

/// A webhook receiver on a free port: answers 200 and keeps each body.
async fn receiver() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/events", listener.local_addr().unwrap());
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let kept = bodies.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let kept = kept.clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buffer = [0u8; 4096];
                // Headers, then as many bytes as Content-Length says.
                loop {
                    let Ok(n) = socket.read(&mut buffer).await else { return };
                    if n == 0 {
                        return;
                    }
                    request.extend_from_slice(&buffer[..n]);
                    let text = String::from_utf8_lossy(&request).into_owned();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let length = text[..end]
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned())
                            })
                            .and_then(|v| v.parse::<usize>().ok())
                            .unwrap_or(0);
                        if request.len() >= end + 4 + length {
                            kept.lock().unwrap().push(String::from_utf8_lossy(&request[end + 4..]).into_owned());
                            let _ = socket
                                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
                                .await;
                            return;
                        }
                    }
                }
            });
        }
    });
    (url, bodies)
}

fn failed(what: String) -> WebDriverError {
    WebDriverError::FatalError(what)
}

/// The text of the first element matching `css`.
async fn text_of(b: &Browser, css: &str) -> WebDriverResult<String> {
    b.wait_for(css).await?;
    let value = b.eval(&format!("return document.querySelector({css:?}).textContent.trim()")).await?;
    value.as_str().map(str::to_owned).ok_or_else(|| failed(format!("no text in {css}")))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_federal_portal_applies_for_a_family_journey() {
    let server = Server::start(Backend::Postgres).await;
    let browser = Browser::start().await;
    let program = server.published_program("Робототехника «Искра»", "technical", "Робототехника", false).await;
    server.staff_of(program, CLUB_EMAIL, STAFF_PASSWORD).await;
    server.family_with_certificate(PARENT_EMAIL, STAFF_PASSWORD, "Миша", NUMBER).await;
    server.account_with_role(ADMIN_EMAIL, STAFF_PASSWORD, "admin").await;
    let born = chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&server.today()) - 10, 5, 10).unwrap();
    let (hook_url, received) = receiver().await;
    let http = reqwest::Client::new();
    let api = |path: &str| server.url(&format!("/api/v1{path}"));
    let result = async {
        let b = &browser;
        // The admin creates the client: a missing scope is told on its field.
        sign_in(b, &server, ADMIN_EMAIL, STAFF_PASSWORD).await?;
        b.click("#integrations-link").await?;
        b.wait_for("#client-form").await?;
        b.fill("name", "Госуслуги").await?;
        b.fill("contact", "Отдел интеграции, +7 495 000-00-00").await?;
        b.submit("#client-form").await?;
        b.wait_text("[data-error-for='scopes']", "право").await?;
        for scope in ["applications:write", "applications:read", "webhooks"] {
            b.click(&format!("#client-form input[name='scope'][value='{scope}']")).await?;
        }
        b.submit("#client-form").await?;
        b.wait_text(".client-secret", "один раз").await?;
        let client_id = text_of(b, ".client-secret .client-id-value").await?;
        let secret = text_of(b, ".client-secret .secret-value").await?;
        if !secret.starts_with("ncs_") {
            return Err(failed(format!("the secret shown: {secret}")));
        }
        b.check_page().await?;
        // Shown once: the page opened again lists the client without it.
        b.open(&server.url("/integrations")).await?;
        b.wait_text(".client-row", "Госуслуги").await?;
        if b.count(".client-secret").await? != 0 {
            return Err(failed("the secret is shown again".into()));
        }
        sign_out(b).await?;

        // The portal: a token, a subscription, an application by the certificate number.
        let token: Value = http
            .post(api("/oauth/token"))
            .basic_auth(&client_id, Some(&secret))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = token["access_token"].as_str().ok_or_else(|| failed(format!("no token: {token}")))?.to_owned();
        let hook = json!({ "url": hook_url, "events": ["application.status_changed"] });
        let subscribed = http.post(api("/integrations/webhooks")).bearer_auth(&token).json(&hook).send().await.unwrap();
        assert_eq!(subscribed.status(), 201);
        let card: Value = http.get(api(&format!("/programs/{program}"))).send().await.unwrap().json().await.unwrap();
        let group = card["groups"][0]["id"].as_i64().unwrap();
        let body = json!({
            "group_id": group, "certificate_number": NUMBER, "last_name": "Петров",
            "birth_date": born, "external_id": "gu-2026-000017",
        });
        let applied =
            http.post(api("/integrations/applications")).bearer_auth(&token).json(&body).send().await.unwrap();
        assert_eq!(applied.status(), 201);

        // The family sees it, marked with the portal.
        sign_in(b, &server, PARENT_EMAIL, STAFF_PASSWORD).await?;
        b.click("#applications-link").await?;
        b.wait_text(".application", "Робототехника «Искра»").await?;
        b.wait_text(".application .source-badge", "Подана через «Госуслуги»").await?;
        b.check_page().await?;
        sign_out(b).await?;

        // The organization confirms it.
        sign_in(b, &server, CLUB_EMAIL, STAFF_PASSWORD).await?;
        b.click("#inbox-link").await?;
        b.wait_text(".application .source-badge", "Госуслуги").await?;
        b.click(".application .confirm-application").await?;
        b.wait_text(".application .application-status", "Подтверждена").await?;
        sign_out(b).await?;

        // Both changes reached the portal's receiver.
        let started = Instant::now();
        while received.lock().unwrap().len() < 2 {
            if started.elapsed() > Duration::from_secs(20) {
                return Err(failed("the webhooks did not arrive".into()));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let statuses: Vec<String> = received
            .lock()
            .unwrap()
            .iter()
            .map(|body| serde_json::from_str::<Value>(body).unwrap()["data"]["status"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(statuses, ["submitted", "confirmed"]);

        // The admin sees the requests and the delivered webhooks.
        sign_in(b, &server, ADMIN_EMAIL, STAFF_PASSWORD).await?;
        b.click("#integrations-link").await?;
        b.click(".client-row .open-client").await?;
        b.wait_text(".client-detail .client-name", "Госуслуги").await?;
        b.wait_text(".delivery-row", "Доставлено").await?;
        b.wait_text(".delivery-row .delivery-event", "application.status_changed").await?;
        if b.count(".delivery-row").await? != 2 {
            return Err(failed("two deliveries expected".into()));
        }
        b.wait_text(".request-row", "/api/v1/integrations/applications").await?;
        b.assert_no_horizontal_scroll().await?;
        b.check_page().await
    }
    .await;
    browser.finish("the_federal_portal_applies_for_a_family_journey", result).await;
}
