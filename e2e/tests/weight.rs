//! The web client's weight on a phone: the bytes transferred on the first
//! load of `/` and `/catalog`, and the time until the page is usable (the
//! first program card of the catalog, the home page's search), over a slow
//! mobile network emulated through the Chrome DevTools Protocol: 1.6 Mbps
//! down, 750 Kbps up, 150 ms latency, the cache off. The server has the
//! demo data (1,500 programs). A measurement, not a test: `make bench` runs
//! it; `BENCH_WEB_DIST=dir` measures another build of the client.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod harness;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use harness::{Backend, Browser, Server};
use serde_json::{Value, json};

/// Marks the moments a page becomes usable, from the start of its navigation.
const MARKS: &str = r#"
window.__marks = {};
new MutationObserver(() => {
  const m = window.__marks;
  if (m.card === undefined && document.querySelector('.program-item')) m.card = performance.now();
  if (m.app === undefined && document.querySelector('main') && !document.getElementById('boot')) m.app = performance.now();
  if (m.skeleton === undefined && document.querySelector('form[role="search"]')) m.skeleton = performance.now();
}).observe(document, { childList: true, subtree: true });
"#;

/// What the page has fetched so far and the marks.
const REPORT: &str = r#"
const nav = performance.getEntriesByType('navigation')[0];
const resources = performance.getEntriesByType('resource');
const paint = performance.getEntriesByName('first-contentful-paint')[0];
return {
  bytes: nav.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0),
  requests: resources.length + 1,
  files: [[location.pathname, nav.transferSize]].concat(resources.map(r => [new URL(r.name).pathname, r.transferSize])),
  fcp: paint ? paint.startTime : null,
  marks: window.__marks,
};
"#;

struct Load {
    path: &'static str,
    bytes: u64,
    requests: u64,
    fcp: Option<f64>,
    usable: Option<f64>,
    files: Vec<(String, u64)>,
}

async fn first_load(server: &Server, path: &'static str, usable: &str, mark: &str) -> Load {
    let b = Browser::start().await;
    b.cdp("Network.enable", json!({})).await.unwrap();
    b.cdp("Network.setCacheDisabled", json!({ "cacheDisabled": true })).await.unwrap();
    b.cdp(
        "Network.emulateNetworkConditions",
        json!({ "offline": false, "latency": 150, "downloadThroughput": 200_000, "uploadThroughput": 93_750 }),
    )
    .await
    .unwrap();
    b.cdp("Page.enable", json!({})).await.unwrap();
    b.cdp("Page.addScriptToEvaluateOnNewDocument", json!({ "source": MARKS })).await.unwrap();
    b.open(&server.url(path)).await.unwrap();
    b.wait_for(usable).await.unwrap();
    // Whatever the page still fetches after it is usable counts too: wait for quiet.
    let (mut report, mut last, mut quiet) = (Value::Null, 0, Instant::now());
    while quiet.elapsed() < Duration::from_secs(2) {
        tokio::time::sleep(Duration::from_millis(250)).await;
        report = b.eval(REPORT).await.unwrap();
        let requests = report["requests"].as_u64().unwrap_or(0);
        if requests != last {
            (last, quiet) = (requests, Instant::now());
        }
    }
    b.finish("weight", Ok(())).await;
    let files = report["files"]
        .as_array()
        .map(|files| {
            files.iter().map(|f| (f[0].as_str().unwrap_or("").to_owned(), f[1].as_u64().unwrap_or(0))).collect()
        })
        .unwrap_or_default();
    Load {
        path,
        bytes: report["bytes"].as_u64().unwrap_or(0),
        requests: last,
        fcp: report["fcp"].as_f64(),
        usable: report["marks"][mark].as_f64(),
        files,
    }
}

/// Adds a row to the goals' table `make bench` prints at its end
/// (scripts/bench-table.py); the client is the same on both backends.
fn goal(what: &str, value: &str) {
    use std::io::Write as _;
    let Some(path) = std::env::var_os("BENCH_SUMMARY") else { return };
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(path).unwrap();
    writeln!(file, "{what}|client|{value}").unwrap();
}

fn seconds(ms: Option<f64>) -> String {
    ms.map(|ms| format!("{:.2} s", ms / 1000.0)).unwrap_or_else(|| "—".into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: make bench runs it"]
async fn first_load_on_a_slow_phone() {
    let dist = std::env::var("BENCH_WEB_DIST").ok().map(PathBuf::from);
    let server = Server::start_with(Backend::Sqlite, |c| {
        c.demo_data = true;
        if let Some(dist) = dist {
            c.web_dist = dist;
        }
    })
    .await;
    let loads = [
        first_load(&server, "/", "#home-search", "app").await,
        first_load(&server, "/catalog", ".program-item", "card").await,
    ];
    println!("\nweb client, first load at 1.6 Mbps down / 750 Kbps up / 150 ms, cache off:");
    println!(
        "{:<10} {:>9} {:>16} {:>14} {:>28}",
        "page", "requests", "transferred", "first paint", "usable (home search / card)"
    );
    for load in &loads {
        println!(
            "{:<10} {:>9} {:>14} B {:>14} {:>28}",
            load.path,
            load.requests,
            load.bytes,
            seconds(load.fcp),
            seconds(load.usable)
        );
    }
    let [home, catalog] = &loads;
    goal("web client transferred on the first load of /", &format!("{} KB", home.bytes / 1000));
    goal("web client transferred on the first load of /catalog", &format!("{} KB", catalog.bytes / 1000));
    goal("first program card shown on /catalog, slow mobile network", &seconds(catalog.usable));
    for load in &loads {
        println!("\n{} fetched:", load.path);
        for (file, bytes) in &load.files {
            println!("  {bytes:>9} B  {file}");
        }
    }
}
