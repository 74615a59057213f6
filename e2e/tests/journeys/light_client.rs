//! The client as a phone meets it: the static skeleton of `index.html`
//! works before the wasm runs and gives way to the app, Leaflet is fetched
//! only by a page with a map, and the staff pages, whose code is a chunk of
//! its own that the public pages never fetch, work after the public ones.

use thirtyfour::prelude::{WebDriverError, WebDriverResult};

use crate::harness::{Backend, Browser, Server};
use crate::{STAFF_PASSWORD, sign_in};

const STAFF_EMAIL: &str = "map.staff@example.org";

/// How many Leaflet scripts the page has added, and whether `L` is defined.
async fn leaflet_on_page(b: &Browser) -> WebDriverResult<(u64, bool)> {
    let seen = b
        .eval(
            "return [document.querySelectorAll('script[src=\"/leaflet/leaflet.js\"]').length, \
             typeof window.L !== 'undefined'];",
        )
        .await?;
    Ok((seen[0].as_u64().unwrap_or(u64::MAX), seen[1].as_bool().unwrap_or(false)))
}

/// The chunks of the client's wasm the page has fetched so far
/// (`split_staff_page.wasm`, `chunk_4.wasm`, …).
async fn chunks_fetched(b: &Browser) -> WebDriverResult<Vec<String>> {
    let names = b
        .eval(
            "return performance.getEntriesByType('resource').map(r => new URL(r.name).pathname.split('/').pop()) \
             .filter(name => name.endsWith('.wasm') && !name.endsWith('_bg.wasm'));",
        )
        .await?;
    Ok(names.as_array().into_iter().flatten().filter_map(|n| n.as_str().map(str::to_owned)).collect())
}

async fn expect_leaflet(b: &Browser, expected: (u64, bool), when: &str) -> WebDriverResult<()> {
    let seen = leaflet_on_page(b).await?;
    if seen == expected {
        Ok(())
    } else {
        Err(WebDriverError::FatalError(format!("{when}: Leaflet scripts and `L` are {seen:?}, expected {expected:?}")))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leaflet_comes_with_the_first_map_and_staff_pages_work_after_public_ones_journey() {
    // A tile server that never answers (port 9): the card shows its map, the tiles stay empty.
    let server =
        Server::start_with(Backend::Sqlite, |c| c.map.tile_url = "http://127.0.0.1:9/{z}/{x}/{y}.png".into()).await;
    let browser = Browser::start().await;
    let program = server.published_program("Робототехника для начинающих", "technical", "робототехника", true).await;
    server.staff_of(program, STAFF_EMAIL, STAFF_PASSWORD).await;
    let result = async {
        let b = &browser;
        // Before the wasm runs (here: never, it is blocked) the skeleton is a
        // page of its own: the name and a search that is a plain form.
        b.cdp("Network.enable", serde_json::json!({})).await?;
        b.cdp("Network.setBlockedURLs", serde_json::json!({ "urls": ["*.wasm"] })).await?;
        b.open_static(&server.url("/")).await?;
        b.wait_text("#boot .brand-name", "Навигатор дополнительного образования").await?;
        b.wait_text("#boot [role='status']", "Загрузка…").await?;
        b.check_page().await?;
        b.fill("q", "робот").await?;
        b.submit("#boot form").await?;
        b.wait_path("/catalog").await?;
        let url = b.eval("return location.search;").await?;
        if url.as_str() != Some("?q=%D1%80%D0%BE%D0%B1%D0%BE%D1%82") {
            return Err(WebDriverError::FatalError(format!("the skeleton's search went to {url}")));
        }
        b.cdp("Network.setBlockedURLs", serde_json::json!({ "urls": [] })).await?;

        // The app replaces the skeleton; the list needs no map, so no Leaflet.
        b.open(&server.url("/catalog")).await?;
        b.wait_text(".program-item h2", "Робототехника для начинающих").await?;
        assert_eq!(b.count("#boot").await?, 0, "the skeleton is gone");
        assert_eq!(b.count("header.site-header").await?, 1, "one header");
        assert_eq!(b.count("main").await?, 1, "one main");
        expect_leaflet(b, (0, false), "the list").await?;
        b.check_page().await?;

        // The card's map brings Leaflet, once.
        b.click(".program-item a.program-link").await?;
        b.wait_path(&format!("/programs/{program}")).await?;
        b.click("#tab-contacts").await?;
        b.wait_for("#program-map.leaflet-container .map-program").await?;
        expect_leaflet(b, (1, true), "the card's map").await?;
        b.check_page().await?;
        b.click("#tab-description").await?;
        b.click("#tab-contacts").await?;
        b.wait_for("#program-map.leaflet-container .map-program").await?;
        expect_leaflet(b, (1, true), "the card's map shown again").await?;
        let chunks = chunks_fetched(b).await?;
        if chunks.iter().any(|c| c.starts_with("split_staff_page") || c.starts_with("split_family_page")) {
            return Err(WebDriverError::FatalError(format!("the public pages fetched the chunks {chunks:?}")));
        }

        // A staff page after the public ones: the organization's new program with its point map.
        sign_in(b, &server, STAFF_EMAIL, STAFF_PASSWORD).await?;
        expect_leaflet(b, (0, false), "the profile").await?;
        // The staff chunk does not arrive at first (the network drops it):
        // the page says so and asks for it again on request.
        b.cdp("Network.setBlockedURLs", serde_json::json!({ "urls": ["*split_staff_page*"] })).await?;
        b.click("#cabinet-link").await?;
        b.wait_path("/cabinet").await?;
        b.wait_text("main [role='alert'] p", "Страница не загрузилась: проверьте подключение к интернету.").await?;
        b.check_page().await?;
        b.cdp("Network.setBlockedURLs", serde_json::json!({ "urls": [] })).await?;
        b.click("main [role='alert'] button").await?;
        b.click("#new-program-link").await?;
        b.wait_path("/cabinet/programs/new").await?;
        b.wait_for("#program-point.leaflet-container").await?;
        expect_leaflet(b, (1, true), "the staff page's map").await?;
        let chunks = chunks_fetched(b).await?;
        if !chunks.iter().any(|c| c.starts_with("split_staff_page")) {
            return Err(WebDriverError::FatalError(format!("the staff pages came without their chunk: {chunks:?}")));
        }
        b.check_page().await
    }
    .await;
    browser.finish("leaflet_comes_with_the_first_map_and_staff_pages_work_after_public_ones_journey", result).await;
}
