//! «Вход с кодом»: an operator connects an authenticator app from the
//! profile (a wrong code first), signs out and signs in again: after the
//! password the form asks for the code, refuses a wrong one and lets him in
//! with the app's next one.

use std::time::Duration;

use navigator_api::auth::totp;
use thirtyfour::prelude::{WebDriverError, WebDriverResult};

use crate::harness::{Backend, Browser, Server};
use crate::journeys::enrolment::sign_out;
use crate::{STAFF_PASSWORD, sign_in};

const OPERATOR_EMAIL: &str = "code.operator@example.org";

/// The operator's phone: each code of a later step than the last one used
/// (the server takes a step once), the current step or the next, both within
/// the server's window of one step either side for half a minute at least.
struct Phone {
    key: Vec<u8>,
    last: i64,
}

impl Phone {
    fn new(secret: &str) -> WebDriverResult<Self> {
        let key = totp::base32_decode(secret)
            .ok_or_else(|| WebDriverError::FatalError(format!("the page shows no Base32 secret: {secret:?}")))?;
        Ok(Self { key, last: 0 })
    }

    async fn next_code(&mut self) -> String {
        loop {
            let current = totp::step_of(chrono::Utc::now().timestamp());
            let step = (self.last + 1).max(current);
            if step <= current + 1 {
                self.last = step;
                return totp::code_of_step(&self.key, step);
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }

    /// A code of none of the steps the server could accept now or soon.
    fn wrong_code(&self) -> String {
        let current = totp::step_of(chrono::Utc::now().timestamp());
        let near: Vec<String> = (current - 2..=current + 3).map(|s| totp::code_of_step(&self.key, s)).collect();
        ["000000", "111111", "222222"].into_iter().find(|c| !near.iter().any(|g| g == c)).unwrap_or("333333").to_owned()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_signs_in_with_a_code_journey() {
    let server = Server::start(Backend::Sqlite).await;
    let browser = Browser::start().await;
    server.account_with_role(OPERATOR_EMAIL, STAFF_PASSWORD, "operator").await;
    let result = async {
        let b = &browser;
        // The operator connects the app from the profile.
        sign_in(b, &server, OPERATOR_EMAIL, STAFF_PASSWORD).await?;
        b.wait_text("#second-factor", "Вход с кодом").await?;
        b.click("#second-factor-start").await?;
        b.wait_for("#second-factor-link[href^='otpauth://totp/']").await?;
        let shown = b.eval("return document.getElementById('second-factor-secret').textContent;").await?;
        let shown = shown.as_str().unwrap_or_default();
        // Grouped in fours for the eye; the app takes it without the spaces.
        if !shown.contains(' ') {
            return Err(WebDriverError::FatalError(format!("the secret is not grouped: {shown:?}")));
        }
        let secret: String = shown.chars().filter(|c| !c.is_whitespace()).collect();
        let mut phone = Phone::new(&secret)?;

        // A wrong code: the message stands under the code's field.
        b.fill("code", &phone.wrong_code()).await?;
        b.submit("#second-factor-form").await?;
        b.wait_text("#second-factor-form .field-error[data-error-for='code']", "Неверный код").await?;
        // The app's code turns it on.
        b.fill("code", &phone.next_code().await).await?;
        b.submit("#second-factor-form").await?;
        b.wait_text("#second-factor-on", "Вход с кодом включён").await?;
        b.wait_text("#second-factor .notice", "При следующем входе Навигатор спросит код").await?;
        b.check_page().await?;
        sign_out(b).await?;

        // The password alone is not enough now: the form asks for the code.
        b.open(&server.url("/login")).await?;
        b.fill("email", OPERATOR_EMAIL).await?;
        b.fill("password", STAFF_PASSWORD).await?;
        b.submit("form").await?;
        let code_error = "form .field-error[data-error-for='code']";
        b.wait_text(code_error, "Введите код из приложения-аутентификатора").await?;
        b.wait_text("form .form-error", "включён вход с кодом").await?;
        b.check_page().await?;
        // A wrong code is refused, under the same field.
        b.fill("code", &phone.wrong_code()).await?;
        b.submit("form").await?;
        b.wait_text(code_error, "Неверный код").await?;
        b.wait_path("/login").await?;
        // The app's next code (the one used to turn it on is spent) lets him in.
        b.fill("code", &phone.next_code().await).await?;
        b.submit("form").await?;
        b.wait_path("/profile").await?;
        b.wait_text("#second-factor-on", "Вход с кодом включён").await?;
        b.check_page().await
    }
    .await;
    browser.finish("an_operator_signs_in_with_a_code_journey", result).await;
}
