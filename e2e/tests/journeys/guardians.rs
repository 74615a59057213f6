//! A second guardian: the mother invites the father by email from the
//! child's «Представители»; he opens the emailed link, signs in with the
//! invited address (and is brought back), accepts and sees the child with
//! its certificate; the mother sees him and what he did, and ends his
//! access; invited again, he accepts from «Дети» without the link.

use crate::harness::{Backend, Browser, Server};
use crate::{STAFF_PASSWORD, sign_in};

const MAMA: &str = "guardian.mama@example.org";
const PAPA: &str = "guardian.papa@example.org";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parent_invites_a_second_guardian_journey() {
    let server = Server::start(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let child = server.family_with_certificate(MAMA, STAFF_PASSWORD, "Соня", "6700000801").await;
    server.account_with_role(PAPA, STAFF_PASSWORD, "parent").await;
    let result = async {
        let b = &browser;
        // The mother opens the child's «Представители» and invites.
        sign_in(b, &server, MAMA, STAFF_PASSWORD).await?;
        b.open(&server.url("/children")).await?;
        let card = format!(".child-card[data-child-id='{child}']");
        b.click(&format!("{card} .child-guardians")).await?;
        b.wait_path(&format!("/children/{child}/guardians")).await?;
        b.wait_text(".guardian-holder", "(вы)").await?;
        // An address that is no address: the message stands under the field.
        b.fill("email", "papa@").await?;
        b.submit(".invite-guardian").await?;
        b.wait_text(".invite-guardian .field-error", "неверно").await?;
        b.wait_text(".invite-guardian .field-error", "кем приглашённый").await?;
        b.fill("email", PAPA).await?;
        b.choose("relationship", "father").await?;
        b.submit(".invite-guardian").await?;
        b.wait_text(".invite-guardian .notice", "Приглашение отправлено").await?;
        b.wait_text(".guardian-list", "отец, приглашение действует до").await?;
        b.check_page().await?;
        b.click("#logout-link").await?;
        b.wait_for("#login-link").await?;

        // The father opens the link, signs in and is brought back to accept.
        let token = server.wait_for_link(PAPA, "/guardians/accept").await;
        b.open(&server.url(&format!("/guardians/accept?token={token}"))).await?;
        b.wait_text(".guardian-offer", "приглашает вас представлять ребёнка (отец): Соня").await?;
        b.check_page().await?;
        b.click("a.button[href^='/login?next=']").await?;
        b.wait_path("/login").await?;
        b.fill("email", PAPA).await?;
        b.fill("password", STAFF_PASSWORD).await?;
        b.submit("form").await?;
        b.wait_path("/guardians/accept").await?;
        b.click(".accept-guardian").await?;
        b.wait_path(&format!("/children/{child}/guardians")).await?;
        b.wait_text(".guardian-rights", "Вы видите сертификат").await?;
        b.open(&server.url("/children")).await?;
        b.wait_text(&format!("{card} .guardian-note"), "отец").await?;
        b.wait_text(&format!("{card} .certificate"), "активирован").await?;
        b.check_page().await?;
        b.click("#logout-link").await?;
        b.wait_for("#login-link").await?;

        // The mother sees him and what was done, and ends his access.
        sign_in(b, &server, MAMA, STAFF_PASSWORD).await?;
        b.open(&server.url(&format!("/children/{child}/guardians"))).await?;
        b.wait_text(".guardian-list", "Смирнова Мария — отец, имеет доступ").await?;
        b.wait_text(".family-activity", "Принято приглашение").await?;
        b.check_page().await?;
        b.click(".guardian-list .end-guardian").await?;
        b.wait_gone(".guardian-list .end-guardian").await?;
        b.wait_text(".family-activity", "Доступ представителя прекращён").await?;
        b.check_page().await?;

        // Invited again, the father finds the invitation in «Дети» without the link.
        b.fill("email", PAPA).await?;
        b.choose("relationship", "father").await?;
        b.submit(".invite-guardian").await?;
        b.wait_text(".invite-guardian .notice", "Приглашение отправлено").await?;
        b.click("#logout-link").await?;
        b.wait_for("#login-link").await?;
        sign_in(b, &server, PAPA, STAFF_PASSWORD).await?;
        b.open(&server.url("/children")).await?;
        b.wait_text(".waiting-invitation", "приглашает вас (отец): Соня").await?;
        b.check_page().await?;
        b.click(".waiting-invitation .accept-waiting").await?;
        b.wait_path(&format!("/children/{child}/guardians")).await?;
        b.wait_text(".guardian-rights", "Вы видите сертификат").await
    }
    .await;
    browser.finish("a_parent_invites_a_second_guardian_journey", result).await;
}
