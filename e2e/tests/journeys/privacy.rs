//! A family's own data: the parent opens «Личный кабинет», finds «Мои
//! данные» and downloads everything held about the family, as a PDF to read
//! and as JSON; both hold the child, the certificate and the studies. Then
//! the parent withdraws the consent for the child: the certificate leaves
//! the registry, the studies end, and the page says when the data go.

use thirtyfour::prelude::WebDriverError;

use crate::harness::{Backend, Browser, Server};
use crate::{STAFF_PASSWORD, sign_in};

const PARENT_EMAIL: &str = "data.parent@example.org";

fn failed(what: String) -> WebDriverError {
    WebDriverError::FatalError(what)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parent_downloads_the_familys_data_journey() {
    let server = Server::start(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let program = server.published_program("Шахматный клуб «Ладья»", "physical_sports", "шахматы", true).await;
    let child = server.family_with_certificate(PARENT_EMAIL, STAFF_PASSWORD, "Варвара", "6700000601").await;
    server.took_part(child, program, "enrolled").await;
    let result = async {
        let b = &browser;
        sign_in(b, &server, PARENT_EMAIL, STAFF_PASSWORD).await?;
        b.open(&server.url("/profile")).await?;
        b.wait_text("#family-data h2", "Мои данные").await?;
        b.wait_text("#family-data", "кто из сотрудников").await?;
        b.check_page().await?;

        // The page's CSP lets it fetch only from its own origin: for the
        // journey to read the fetched files through their `blob:` addresses,
        // the page is loaded again without it (it was in force above).
        b.cdp("Page.setBypassCSP", serde_json::json!({ "enabled": true })).await?;
        b.open(&server.url("/profile")).await?;
        let pdf = b.download("#family-data a.download-pdf").await?;
        if !pdf.starts_with(b"%PDF") || pdf.len() < 2_000 {
            return Err(failed(format!("the PDF: {} bytes starting {:?}", pdf.len(), &pdf[..pdf.len().min(8)])));
        }
        let json = b.download("#family-data a.download-json").await?;
        let data: serde_json::Value =
            serde_json::from_slice(&json).map_err(|e| failed(format!("the JSON does not parse: {e}")))?;
        let record = &data["children"][0];
        if data["profile"]["email"] != PARENT_EMAIL
            || record["child"]["first_name"] != "Варвара"
            || record["certificate"]["number"] != "6700000601"
            || record["applications"][0]["program_title"] != "Шахматный клуб «Ладья»"
        {
            return Err(failed(format!("the JSON misses the family: {data}")));
        }
        // A fetched link stays a link to its file: a second click needs no new request.
        b.wait_for("#family-data a.download-json[data-loaded='true'][download$='.json']").await?;
        b.check_page().await?;

        // «Отозвать согласие» for the child: two deliberate steps, then the notice.
        b.open(&server.url("/children")).await?;
        let card = format!(".child-card[data-child-id='{child}']");
        b.wait_text(&format!("{card} .certificate"), "активирован").await?;
        b.click(&format!("{card} .consent-withdrawal summary")).await?;
        b.wait_text(&format!("{card} .consent-withdrawal"), "исключён из реестра по вашему заявлению").await?;
        b.check_page().await?;
        b.click(&format!("{card} button.withdraw-consent")).await?;
        b.wait_text(&format!("{card} .consent-withdrawn"), "Согласие на обработку персональных данных отозвано")
            .await?;
        b.wait_text(&format!("{card} .certificate"), "исключён из реестра").await?;
        // After a reload the page still says so, and offers nothing more for the child.
        b.open(&server.url("/children")).await?;
        b.wait_text(&format!("{card} .consent-withdrawn"), "данные будут обезличены после").await?;
        if b.count(&format!("{card} button.withdraw-consent, {card} button.get-certificate")).await? != 0 {
            return Err(failed("the withdrawn child still offers actions".into()));
        }
        b.open(&server.url("/applications")).await?;
        b.wait_text("main", "Отчислен").await?;
        b.check_page().await
    }
    .await;
    browser.finish("a_parent_downloads_the_familys_data_journey", result).await;
}
