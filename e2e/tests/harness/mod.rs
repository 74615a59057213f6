//! The real server and a real browser for the journeys.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use chrono::Datelike;
use diesel::RunQueryDsl;
use navigator_api::config::Config;
use navigator_api::notifications::mailbox;
pub use navigator_test_support::Backend;
use navigator_test_support::TestDb;
use thirtyfour::prelude::*;
use tokio::process::{Child, Command};

const WAIT: Duration = Duration::from_secs(20);

pub struct Server {
    pub base: String,
    pub municipality: i64,
    handle: navigator_api::ServerHandle,
    mail_dir: PathBuf,
    pub state: std::sync::Arc<navigator_api::AppState>,
    _db: TestDb,
    _mail: tempfile::TempDir,
}

impl Server {
    pub async fn start(backend: Backend) -> Self {
        Self::start_with(backend, |_| {}).await
    }

    /// The server with `adjust`ed settings (a tile server, the demo data).
    /// With `demo_data` its municipality is the demo region's first one.
    pub async fn start_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> Self {
        let db = TestDb::new(backend);
        let mail = tempfile::tempdir().unwrap();
        let mut config = Config::for_tests(&db.url);
        config.mail_dir = mail.path().to_owned();
        config.web_dist = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../web/dist"));
        adjust(&mut config);
        assert!(config.web_dist.join("index.html").exists(), "build the web client first: make web");
        let demo = config.demo_data;
        let navigator_test_support::RunningServer { base, state, handle } = navigator_test_support::start(config).await;
        let municipality = state
            .db(move |c| {
                use navigator_api::reference::repo;
                match repo::municipalities(c, 1, 1)?.0.first() {
                    Some(first) if demo => Ok(first.id),
                    _ => repo::add_municipality(c, "город Смоленск", Some([54.7826, 32.0453])),
                }
            })
            .await
            .unwrap();
        let state = state.into_inner();
        Self { base, municipality, handle, mail_dir: mail.path().to_owned(), state, _db: db, _mail: mail }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The token of the newest emailed link to `page` for `to`.
    pub async fn wait_for_link(&self, to: &str, page: &str) -> String {
        navigator_test_support::wait_for_link(&self.mail_dir, to, page, WAIT).await
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Sends the stop command at once; the database goes with the fields.
        drop(self.handle.stop(false));
    }
}

pub struct Browser {
    driver: WebDriver,
    _chromedriver: Child,
    _profile: tempfile::TempDir,
}

/// axe-core's script, read once from the tools folder.
fn axe_source() -> &'static str {
    static SOURCE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SOURCE.get_or_init(|| {
        let tools = std::env::var("NAVIGATOR_TOOLS").map(PathBuf::from).unwrap_or_else(|_| {
            PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/navigator-tools")
        });
        let path = tools.join("node_modules/axe-core/axe.min.js");
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (make tools-browser installs axe-core)", path.display()))
    })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Browser {
    /// Starts chromedriver and headless Chromium at a 360 px wide window.
    pub async fn start() -> Self {
        let port = free_port();
        let chromedriver =
            Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into()))
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .kill_on_drop(true)
                .spawn()
                .expect("chromedriver runs (make tools-browser installs it)");
        let profile = tempfile::tempdir().unwrap();
        let mut caps = DesiredCapabilities::chrome();
        caps.set_binary(&std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())).unwrap();
        for arg in [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
            "--window-size=360,800",
            "--lang=ru-RU",
        ] {
            caps.add_arg(arg).unwrap();
        }
        caps.add_arg(&format!("--user-data-dir={}", profile.path().display())).unwrap();
        // A headless window is never narrower than about 500 px: the phone's
        // 360 px viewport comes from the device metrics.
        caps.add_experimental_option(
            "mobileEmulation",
            serde_json::json!({ "deviceMetrics": { "width": 360, "height": 800, "pixelRatio": 1.0, "mobile": false, "touch": false } }),
        )
        .unwrap();
        let started = Instant::now();
        let driver = loop {
            match WebDriver::new(format!("http://127.0.0.1:{port}"), caps.clone()).await {
                Ok(driver) => break driver,
                Err(error) if started.elapsed() < WAIT => {
                    let _ = error;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(error) => panic!("cannot start Chromium through chromedriver: {error}"),
            }
        };
        Self { driver, _chromedriver: chromedriver, _profile: profile }
    }

    /// Loads `url` and waits until the app has replaced the static
    /// skeleton of `index.html` (whose search box has the same field name
    /// as the pages' own).
    pub async fn open(&self, url: &str) -> WebDriverResult<()> {
        self.driver.goto(url).await?;
        self.wait_gone("#boot").await
    }

    /// Loads `url` without waiting for the app: what is drawn before the
    /// wasm runs.
    pub async fn open_static(&self, url: &str) -> WebDriverResult<()> {
        self.driver.goto(url).await
    }

    /// The CSS selector of the field named `name`.
    fn field(name: &str) -> String {
        format!("[name='{name}']")
    }

    /// Types into the element matching `css`, replacing what it had.
    pub async fn fill_css(&self, css: &str, value: &str) -> WebDriverResult<()> {
        let input = self.driver.query(By::Css(css)).and_displayed().first().await?;
        input.clear().await?;
        input.send_keys(value).await
    }

    /// Sets the value of the element matching `css` the way a picker would.
    pub async fn set_css(&self, css: &str, value: &str) -> WebDriverResult<()> {
        let input = self.driver.query(By::Css(css)).first().await?;
        self.driver
            .execute(
                "arguments[0].value = arguments[1];\
                 arguments[0].dispatchEvent(new Event('input', {bubbles: true}));\
                 arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
                vec![input.to_json()?, serde_json::json!(value)],
            )
            .await?;
        Ok(())
    }

    /// Accepts the `confirm()` dialog the page opened.
    pub async fn accept_dialog(&self) -> WebDriverResult<()> {
        let started = Instant::now();
        loop {
            match self.driver.accept_alert().await {
                Ok(()) => return Ok(()),
                Err(error) if started.elapsed() > WAIT => return Err(error),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    /// Types into a field, replacing what it had.
    pub async fn fill(&self, name: &str, value: &str) -> WebDriverResult<()> {
        self.fill_css(&Self::field(name), value).await
    }

    /// Sets a value the way a picker would (date inputs), firing input and change.
    pub async fn set_value(&self, name: &str, value: &str) -> WebDriverResult<()> {
        self.set_css(&Self::field(name), value).await
    }

    /// Picks the option with `value` in a select (waiting for it to load).
    pub async fn choose(&self, name: &str, value: &str) -> WebDriverResult<()> {
        let option = By::Css(format!("select[name='{name}'] option[value='{value}']"));
        self.driver.query(option).first().await?.click().await
    }

    pub async fn submit(&self, form: &str) -> WebDriverResult<()> {
        self.click(&format!("{form} button[type='submit']")).await
    }

    pub async fn click(&self, css: &str) -> WebDriverResult<()> {
        self.wait_for(css).await?;
        self.driver.query(By::Css(css)).and_clickable().first().await?.click().await
    }

    /// On a phone the site's links fold behind «Меню»: a person opens it to
    /// reach one, and so does the journey when `css` names a folded link.
    async fn unfold_menu_for(&self, css: &str) -> WebDriverResult<()> {
        let folded = self
            .driver
            .execute(
                "const e = document.querySelector(arguments[0]);\
                 const nav = document.getElementById('site-nav');\
                 return !!(e && nav && nav.contains(e) && getComputedStyle(nav).display === 'none');",
                vec![serde_json::json!(css)],
            )
            .await?;
        if folded.json().as_bool() == Some(true) {
            self.driver.find(By::Id("menu-toggle")).await?.click().await?;
        }
        Ok(())
    }

    /// How many elements match `css` now (no waiting).
    pub async fn count(&self, css: &str) -> WebDriverResult<usize> {
        Ok(self.driver.find_all(By::Css(css)).await?.len())
    }

    pub async fn wait_for(&self, css: &str) -> WebDriverResult<WebElement> {
        let started = Instant::now();
        loop {
            self.unfold_menu_for(css).await?;
            for element in self.driver.find_all(By::Css(css)).await? {
                if element.is_displayed().await.unwrap_or(false) {
                    return Ok(element);
                }
            }
            if started.elapsed() > WAIT {
                return Err(WebDriverError::FatalError(format!("no {css} is shown")));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until an element matching `css` shows a text containing `text`
    /// (a no-break space matches a space: sums of money are written with them).
    pub async fn wait_text(&self, css: &str, text: &str) -> WebDriverResult<()> {
        let started = Instant::now();
        let text = text.replace('\u{a0}', " ");
        loop {
            self.unfold_menu_for(css).await?;
            let mut seen = Vec::new();
            for element in self.driver.find_all(By::Css(css)).await? {
                let shown = element.text().await.unwrap_or_default().replace('\u{a0}', " ");
                if shown.contains(&text) && element.is_displayed().await.unwrap_or(false) {
                    return Ok(());
                }
                seen.push(shown);
            }
            if started.elapsed() > WAIT {
                return Err(WebDriverError::FatalError(format!("no {css} with «{text}»; seen {seen:?}")));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the field shows `value` (e.g. loaded from the API).
    pub async fn wait_value(&self, name: &str, value: &str) -> WebDriverResult<()> {
        self.wait_value_like(name, |shown| shown == value)
            .await
            .map_err(|e| WebDriverError::FatalError(format!("{e}, expected «{value}»")))
    }

    /// Waits until the field's value passes `fits`.
    pub async fn wait_value_like(&self, name: &str, fits: impl Fn(&str) -> bool) -> WebDriverResult<()> {
        self.wait_css_value_like(&Self::field(name), fits).await
    }

    /// Waits until the value of the field matching `css` passes `fits`.
    pub async fn wait_css_value_like(&self, css: &str, fits: impl Fn(&str) -> bool) -> WebDriverResult<()> {
        let name = css;
        let started = Instant::now();
        loop {
            let shown = match self.driver.find(By::Css(css)).await {
                Ok(input) => input.prop("value").await?.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if fits(&shown) {
                return Ok(());
            }
            if started.elapsed() > WAIT {
                return Err(WebDriverError::FatalError(format!("{name} shows «{shown}»")));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn wait_path(&self, path: &str) -> WebDriverResult<()> {
        let started = Instant::now();
        loop {
            let url = self.driver.current_url().await?;
            if url.path() == path {
                return Ok(());
            }
            if started.elapsed() > WAIT {
                return Err(WebDriverError::FatalError(format!("still at {url}, expected {path}")));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Runs `script` in the page (for checks of the harness itself).
    pub async fn run_script(&self, script: &str) -> WebDriverResult<()> {
        self.driver.execute(script, vec![]).await.map(drop)
    }

    /// The value `script` returns in the page (`return …;`).
    pub async fn eval(&self, script: &str) -> WebDriverResult<serde_json::Value> {
        Ok(self.driver.execute(script, vec![]).await?.json().clone())
    }

    /// A Chrome DevTools Protocol command (`Network.emulateNetworkConditions`, …).
    pub async fn cdp(&self, command: &str, params: serde_json::Value) -> WebDriverResult<serde_json::Value> {
        thirtyfour::extensions::cdp::ChromeDevTools::new(self.driver.handle.clone())
            .execute_cdp_with_params(command, params)
            .await
    }

    /// The bytes of the file a download link (`css`) points at, read by the
    /// page itself: a link to a fetched file has a `blob:` address only the
    /// page can open.
    pub async fn file_bytes(&self, css: &str) -> WebDriverResult<Vec<u8>> {
        let link = self.wait_for(css).await?;
        let ret = self
            .driver
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 fetch(arguments[0].href).then(r => r.arrayBuffer())\
                   .then(b => done(Array.from(new Uint8Array(b))))\
                   .catch(e => done('failed: ' + e));",
                vec![link.to_json()?],
            )
            .await?;
        serde_json::from_value(ret.json().clone())
            .map_err(|_| WebDriverError::FatalError(format!("the file of {css} cannot be read: {}", ret.json())))
    }

    /// Clicks a download link of the web client's `FileLink` (it fetches its
    /// file on the first click) and reads the file it then points at.
    pub async fn download(&self, link: &str) -> WebDriverResult<Vec<u8>> {
        self.click(link).await?;
        self.file_bytes(&format!("{link}[data-loaded='true']")).await
    }

    /// Waits until nothing matches `css` (a message that must go away).
    pub async fn wait_gone(&self, css: &str) -> WebDriverResult<()> {
        let started = Instant::now();
        while self.count(css).await? > 0 {
            if started.elapsed() > WAIT {
                return Err(WebDriverError::FatalError(format!("{css} is still shown")));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(())
    }

    /// The rendered width of the first element matching `css`, in CSS pixels.
    pub async fn width_of(&self, css: &str) -> WebDriverResult<f64> {
        let element = self.wait_for(css).await?;
        let ret =
            self.driver.execute("return arguments[0].getBoundingClientRect().width;", vec![element.to_json()?]).await?;
        Ok(ret.json().as_f64().unwrap_or(f64::MAX))
    }

    /// The page as a person meets it: it fits a 360 px phone without
    /// scrolling sideways, and axe-core finds no critical or serious
    /// accessibility violation on it.
    pub async fn check_page(&self) -> WebDriverResult<()> {
        // `SCREENSHOTS=dir`: keep what each checked page looked like, for a person to review.
        if let Ok(dir) = std::env::var("SCREENSHOTS") {
            let url = self.driver.current_url().await?;
            let name: String = url.path().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
            let _ = std::fs::create_dir_all(&dir);
            self.driver.screenshot(&PathBuf::from(dir).join(format!("{name}.png"))).await?;
        }
        self.assert_no_horizontal_scroll().await?;
        self.assert_accessible().await
    }

    /// axe-core (from npm, installed by `make tools-browser`) on the page as
    /// a person sees it once it stops moving: a popup fading in (Leaflet's
    /// 0.2 s) is not yet the colours it will have.
    pub async fn assert_accessible(&self) -> WebDriverResult<()> {
        self.driver
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 Promise.race([\
                   Promise.all(document.getAnimations().map(a => a.finished.catch(() => null))),\
                   new Promise(r => setTimeout(r, 2000)),\
                 ]).then(() => done(true));",
                vec![],
            )
            .await?;
        let injected = self.driver.execute("return typeof window.axe !== 'undefined';", vec![]).await?;
        if !injected.json().as_bool().unwrap_or(false) {
            self.driver.execute(axe_source(), vec![]).await?;
        }
        let ret = self
            .driver
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 axe.run(document, { resultTypes: ['violations'] })\
                   .then(r => done(r.violations\
                     .filter(v => v.impact === 'critical' || v.impact === 'serious')\
                     .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' — ' +\
                       v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))))\
                   .catch(e => done(['axe failed: ' + e]));",
                vec![],
            )
            .await?;
        let violations: Vec<String> = serde_json::from_value(ret.json().clone()).unwrap_or_default();
        if violations.is_empty() {
            Ok(())
        } else {
            let url = self.driver.current_url().await.map(|u| u.to_string()).unwrap_or_default();
            Err(WebDriverError::FatalError(format!("accessibility violations on {url}: {violations:#?}")))
        }
    }

    /// Where the first element matching `css` starts, from the top of the viewport, in CSS pixels.
    pub async fn top_of(&self, css: &str) -> WebDriverResult<f64> {
        let element = self.wait_for(css).await?;
        let ret =
            self.driver.execute("return arguments[0].getBoundingClientRect().top;", vec![element.to_json()?]).await?;
        Ok(ret.json().as_f64().unwrap_or(f64::MAX))
    }

    /// The left edges of the elements matching `css` now, in page order, in CSS pixels.
    pub async fn lefts_of(&self, css: &str) -> WebDriverResult<Vec<f64>> {
        let ret = self
            .driver
            .execute(
                "return Array.from(document.querySelectorAll(arguments[0]), e => e.getBoundingClientRect().left);",
                vec![serde_json::json!(css)],
            )
            .await?;
        Ok(serde_json::from_value(ret.json().clone()).unwrap_or_default())
    }

    /// Waits until the field named `name` has the keyboard focus and lies within the viewport.
    pub async fn wait_focus(&self, name: &str) -> WebDriverResult<()> {
        let started = Instant::now();
        loop {
            let ret = self
                .driver
                .execute(
                    "const e = document.activeElement; const r = e.getBoundingClientRect();\
                     return [e.name || '', r.top >= 0 && r.bottom <= window.innerHeight];",
                    vec![],
                )
                .await?;
            let (focused, in_view): (String, bool) = serde_json::from_value(ret.json().clone()).unwrap_or_default();
            if focused == name && in_view {
                return Ok(());
            }
            if started.elapsed() > WAIT {
                return Err(WebDriverError::FatalError(format!(
                    "the focus is on «{focused}» (in view: {in_view}), expected the field {name} in view"
                )));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The page fits a 360 px phone: the viewport is that narrow and nothing scrolls sideways.
    pub async fn assert_no_horizontal_scroll(&self) -> WebDriverResult<()> {
        let ret = self
            .driver
            .execute(
                "const e = document.documentElement; return [e.clientWidth, e.scrollWidth - e.clientWidth];",
                vec![],
            )
            .await?;
        let sizes: Vec<i64> = serde_json::from_value(ret.json().clone()).unwrap_or_default();
        let (width, overflow) = (sizes.first().copied().unwrap_or(0), sizes.get(1).copied().unwrap_or(0));
        if width > 360 {
            return Err(WebDriverError::FatalError(format!("the viewport is {width} px wide, not a phone's 360 px")));
        }
        if overflow > 0 {
            return Err(WebDriverError::FatalError(format!("the page scrolls sideways by {overflow} px at 360 px")));
        }
        Ok(())
    }

    /// Quits the browser; on failure saves a screenshot and fails the test.
    pub async fn finish(self, name: &str, result: WebDriverResult<()>) {
        if let Err(error) = &result {
            let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/screenshots"));
            let _ = std::fs::create_dir_all(&dir);
            let path = dir.join(format!("{name}.png"));
            let saved = self.driver.screenshot(&path).await.is_ok();
            let url = self.driver.current_url().await.map(|u| u.to_string()).unwrap_or_default();
            let _ = self.driver.clone().quit().await;
            panic!(
                // Debug, not Display: a FatalError's Display hides its message.
                "{name} failed at {url}: {error:?}\nscreenshot: {}",
                if saved { path.display().to_string() } else { "not saved".into() }
            );
        }
        let _ = self.driver.quit().await;
    }
}

impl Server {
    /// A confirmed `org_staff` account of a new activation point in the
    /// server's municipality.
    pub async fn staff_account(&self, email: &str, password: &str) {
        let organization = self.organization("МБУДО «Дом детского творчества»", 673_100_011).await;
        let id = self.account_with_role(email, password, "org_staff").await;
        self.state.db(move |c| navigator_api::accounts::repo::set_organization(c, id, organization)).await.unwrap();
    }

    /// A working activation point of the server's municipality (the INN from
    /// its first nine digits); its id.
    pub async fn organization(&self, name: &str, inn: u32) -> i64 {
        let municipality = self.municipality;
        let input = navigator_shared::organizations::OrganizationInput {
            name: name.into(),
            inn: navigator_shared::validate::Inn::with_checksum(inn).as_str().to_owned(),
            kind: Some(navigator_shared::organizations::OrganizationKind::Education),
            municipality_id: municipality,
            address: "г. Смоленск, ул. Ленина, д. 2".into(),
            lat: Some(54.7826),
            lon: Some(32.0453),
            phone: "+7 4812 00-00-00".into(),
            email: "ddt@example.org".into(),
            is_provider: true,
            can_activate: true,
            can_confirm: true,
            can_view_personal_data: true,
            activation_contact: "Соколова Елена Викторовна".into(),
            reception_hours: "пн–пт 9:00–17:00".into(),
            city_phone: "+7 (4812) 30-00-00".into(),
            ..Default::default()
        };
        self.state.db(move |c| navigator_api::organizations::service::insert(c, &input)).await.unwrap()
    }

    /// The account id of `email`.
    pub async fn user_id(&self, email: &str) -> i64 {
        let email = email.to_owned();
        self.state.db(move |c| navigator_api::accounts::repo::find_by_email(c, &email)).await.unwrap().unwrap().id
    }

    /// A published program of a new provider in the server's municipality
    /// with one module (5 400 ₽, 72 h) and one open group; its id.
    pub async fn published_program(&self, title: &str, direction: &str, profile: &str, certified: bool) -> i64 {
        let municipality = self.municipality;
        let seed = (uuid::Uuid::new_v4().as_u128() % 1_000_000) as u32;
        let organization = navigator_shared::organizations::OrganizationInput {
            name: format!("Центр детского творчества № {seed}"),
            inn: navigator_shared::validate::Inn::with_checksum(671_000_000 + seed).as_str().to_owned(),
            kind: Some(navigator_shared::organizations::OrganizationKind::Education),
            municipality_id: municipality,
            address: "г. Смоленск, ул. Николаева, д. 3".into(),
            lat: Some(54.7826),
            lon: Some(32.0453),
            phone: "+7 4812 31-00-00".into(),
            is_provider: true,
            ..Default::default()
        };
        let program: navigator_shared::catalog::ProgramInput = serde_json::from_value(serde_json::json!({
            "title": title,
            "description": format!("{title}: занятия в небольших группах, итоговый проект в конце года."),
            "goals": "Развитие интереса к предмету",
            "direction": direction, "profile": profile, "level": "start",
            "age_min": 7, "age_max": 12, "municipality_id": municipality,
            "address": "г. Смоленск, ул. Николаева, д. 3", "lat": 54.7826, "lon": 32.0453,
            "duration_months": 9, "teachers": ["Орлов Пётр Ильич"], "cost_type": "certificate",
            "contact_name": "Орлов Пётр Ильич", "contact_phone": "+7 4812 31-00-01", "contact_email": "club@example.org",
        }))
        .unwrap();
        let term = group_term(self.today());
        let group: navigator_shared::catalog::GroupInput = serde_json::from_value(serde_json::json!({
            "name": "Группа 1", "teacher": "Орлов Пётр Ильич",
            "schedule": [{ "weekday": 2, "start": "16:00", "end": "17:30" }],
            "capacity": 12, "start_date": term.0, "end_date": term.1,
            "age_min": 7, "age_max": 12, "enrolment_open": true,
        }))
        .unwrap();
        let id = self
            .state
            .db(move |c| {
                use navigator_api::catalog::repo;
                let organization = navigator_api::organizations::service::insert(c, &organization)?;
                let now = navigator_api::notifications::now();
                let data = repo::ProgramData::new(program.validate().unwrap(), now);
                let published = repo::Published { certified, applications_count: 12, published_at: now };
                let id = repo::insert_published(c, organization, &data, &published)?;
                let module =
                    navigator_shared::catalog::ModuleInput {
                        name: "Первый год".into(), hours: 72, price: 540_000
                    };
                repo::insert_module(c, id, &module, now)?;
                repo::insert_group(c, id, &repo::GroupData::new(group, now))?;
                Ok::<_, navigator_api::error::ApiError>(id)
            })
            .await
            .unwrap();
        navigator_api::catalog::service::reindex(&self.state, vec![id]).await.unwrap();
        id
    }

    /// Moves a published program's place (as its organization would) and
    /// updates the catalog.
    pub async fn place_program(&self, program: i64, lat: f64, lon: f64) {
        self.state
            .db(move |c| {
                use diesel::prelude::*;
                use navigator_api::db::schema::programs as p;
                // A new `updated_at`, as an edit writes: the catalog's poll,
                // which may have read the old place just before, reads it again.
                let now = navigator_api::notifications::now();
                diesel::update(p::table.find(program))
                    .set((p::lat.eq(lat), p::lon.eq(lon), p::updated_at.eq(now)))
                    .execute(c)
            })
            .await
            .unwrap();
        navigator_api::catalog::service::reindex(&self.state, vec![program]).await.unwrap();
    }

    /// A confirmed account of `role` (`org_staff`, `operator`, `admin`) in the
    /// server's municipality, «Смирнова Мария». The password is set through the
    /// reset link: the harness cannot hash one itself.
    pub async fn account_with_role(&self, email: &str, password: &str, role: &str) -> i64 {
        let municipality = self.municipality;
        let address = serde_json::from_value(serde_json::json!(email)).unwrap();
        let role = serde_json::from_value(serde_json::json!(role)).unwrap();
        let id = self
            .state
            .db(move |c| {
                navigator_api::accounts::service::create_confirmed_account(
                    c,
                    &address,
                    "-",
                    role,
                    ("Смирнова", "Мария", None),
                    "+79120000001",
                    Some(municipality),
                )
            })
            .await
            .unwrap()
            .expect("a new account");
        let address = serde_json::from_value(serde_json::json!(email)).unwrap();
        navigator_api::accounts::service::request_password_reset(&self.state, address, "127.0.0.1").await.unwrap();
        let token = self.wait_for_link(email, "/password-reset/confirm").await;
        let request = serde_json::from_value(serde_json::json!({ "token": token, "password": password })).unwrap();
        navigator_api::accounts::service::confirm_password_reset(&self.state, request).await.unwrap();
        id
    }

    /// Marks the organization of the staff member `email` a provider in the registry, or takes the mark off.
    pub async fn set_provider_of(&self, email: &str, provider: bool) {
        let email = email.to_owned();
        self.state
            .db(move |c| {
                use diesel::prelude::*;
                use navigator_api::db::schema::{organizations, users};
                let organization: Option<i64> =
                    users::table.filter(users::email.eq(&email)).select(users::organization_id).first(c)?;
                diesel::update(organizations::table.filter(organizations::id.nullable().eq(organization)))
                    .set(organizations::is_provider.eq(provider))
                    .execute(c)
            })
            .await
            .unwrap();
    }

    /// The desk rights of the organization of `email`: to confirm
    /// certificates and to see the personal data in full.
    pub async fn set_point_rights_of(&self, email: &str, confirm: bool, personal_data: bool) {
        let email = email.to_owned();
        self.state
            .db(move |c| {
                use diesel::prelude::*;
                use navigator_api::db::schema::{organizations, users};
                let organization: Option<i64> =
                    users::table.filter(users::email.eq(&email)).select(users::organization_id).first(c)?;
                diesel::update(organizations::table.filter(organizations::id.nullable().eq(organization)))
                    .set((
                        organizations::can_confirm.eq(confirm),
                        organizations::can_view_personal_data.eq(personal_data),
                    ))
                    .execute(c)
            })
            .await
            .unwrap();
    }

    /// Today by the server's clock: every date a journey enters is counted from it.
    pub fn today(&self) -> chrono::NaiveDate {
        self.state.config.clock.today()
    }

    /// Runs the lapse of pending certificates as if `days` had passed.
    pub async fn lapse_certificates_due_before(&self, days: i64) -> usize {
        let later = self.today() + chrono::TimeDelta::days(days);
        self.state.db(move |c| navigator_api::children::certificates::service::lapse_overdue(c, later)).await.unwrap()
    }

    /// A municipality of the region besides the server's own.
    pub async fn another_municipality(&self, name: &'static str) -> i64 {
        self.state.db(move |c| navigator_api::reference::repo::add_municipality(c, name, None)).await.unwrap()
    }

    /// An operator of `municipality` who never signs in here (no password).
    pub async fn operator_in(&self, email: &str, last_name: &str, municipality: i64) -> i64 {
        let address = serde_json::from_value(serde_json::json!(email)).unwrap();
        let last_name = last_name.to_owned();
        self.state
            .db(move |c| {
                navigator_api::accounts::service::create_confirmed_account(
                    c,
                    &address,
                    "-",
                    navigator_shared::accounts::Role::Operator,
                    (&last_name, "Иван", None),
                    "+79120000002",
                    Some(municipality),
                )
            })
            .await
            .unwrap()
            .expect("a new account")
    }

    /// Waits for an email to `to` whose text contains `text`; returns its subject.
    pub async fn wait_for_email(&self, to: &str, text: &str) -> String {
        let started = Instant::now();
        loop {
            let found = mailbox::read(&self.mail_dir)
                .into_iter()
                .find(|mail| mail.to.contains(to) && (mail.body.contains(text) || mail.subject.contains(text)));
            if let Some(mail) = found {
                return mail.subject;
            }
            assert!(started.elapsed() < WAIT, "no email to {to} with «{text}»");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// The money flow: families with certificates, funding periods, staff of a program's organization.
impl Server {
    /// A confirmed parent account with one child, Петров `first` Олегович,
    /// born on 10.05.2016, whose certificate `number` is active; the child's id.
    pub async fn family_with_certificate(&self, email: &str, password: &str, first: &str, number: &str) -> i64 {
        self.family(email, password, first, number, true).await
    }

    /// The same family whose child has no certificate yet (`number` gives the SNILS).
    pub async fn family_without_certificate(&self, email: &str, password: &str, first: &str, number: &str) -> i64 {
        self.family(email, password, first, number, false).await
    }

    async fn family(&self, email: &str, password: &str, first: &str, number: &str, certified: bool) -> i64 {
        self.account_with_role(email, password, "parent").await;
        // Ten this year: within the test groups' 7–12.
        let born = chrono::NaiveDate::from_ymd_opt(self.today().year() - 10, 5, 10).unwrap();
        self.add_child(email, first, born, number, certified.then_some("active")).await
    }

    /// Credits the current period's nominal to the child's certificate, as an
    /// approved funding request does.
    pub async fn fund(&self, child: i64) {
        let links = self.state.links();
        self.state
            .db(move |c| {
                let row =
                    navigator_api::children::repo::find(c, navigator_shared::ids::ChildId(child))?.expect("the child");
                let request = navigator_api::funding::service::file(
                    c,
                    row.parent_id,
                    &row,
                    navigator_shared::funding::FundingKind::Personified,
                )?;
                let period = navigator_api::funding::repo::find_period(c, request.period_id)?.expect("the period");
                navigator_api::funding::service::credit(c, &links, row.parent_id, &request, &period)
            })
            .await
            .unwrap();
    }

    /// Runs the expiry of funding periods as on 1 January of next year.
    pub async fn expire_this_years_periods(&self) -> usize {
        let new_year = chrono::NaiveDate::from_ymd_opt(self.today().year() + 1, 1, 1).unwrap();
        self.state.db(move |c| navigator_api::funding::service::expire_ended(c, new_year)).await.unwrap()
    }

    /// This year's funding period of the server's municipality with `nominal` kopecks.
    pub async fn funding_period(&self, nominal: i64) -> i64 {
        let year = self.today().year();
        let input = navigator_shared::funding::FundingPeriodInput {
            municipality_id: self.municipality,
            year,
            nominal,
            max_certificates: 100,
            max_volume: nominal * 100,
            starts_on: chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap(),
            ends_on: chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap(),
            advance_percent: navigator_shared::payments::DEFAULT_ADVANCE_PERCENT,
            kind: navigator_shared::funding::FundingKind::Personified,
            unit: navigator_shared::funding::Unit::Rub,
        };
        self.state
            .db(move |c| navigator_api::funding::repo::insert_period(c, &input, navigator_api::notifications::now()))
            .await
            .unwrap()
            .expect("a new period")
    }

    /// A confirmed `org_staff` account of the organization that runs `program`.
    pub async fn staff_of(&self, program: i64, email: &str, password: &str) {
        let organization = self
            .state
            .db(move |c| navigator_api::catalog::repo::find(c, program))
            .await
            .unwrap()
            .expect("the program")
            .organization_id;
        let id = self.account_with_role(email, password, "org_staff").await;
        self.state.db(move |c| navigator_api::accounts::repo::set_organization(c, id, organization)).await.unwrap();
    }

    /// Sets the places of every group of `program` (a full group shows the waiting list).
    pub async fn set_capacity(&self, program: i64, capacity: i32) {
        self.state
            .db(move |c| {
                use diesel::{ExpressionMethods, QueryDsl};
                use navigator_api::db::schema::{program_groups as g, programs as p};
                let now = navigator_api::notifications::now();
                diesel::update(g::table.filter(g::program_id.eq(program)))
                    .set((g::capacity.eq(capacity), g::updated_at.eq(now)))
                    .execute(c)?;
                // As `place_program`: the catalog's poll reads the program again.
                diesel::update(p::table.find(program)).set(p::updated_at.eq(now)).execute(c)?;
                Ok::<_, navigator_api::error::ApiError>(())
            })
            .await
            .unwrap();
        navigator_api::catalog::service::reindex(&self.state, vec![program]).await.unwrap();
    }

    /// Another open group of a program, with `capacity` places: its id.
    pub async fn add_group(&self, program: i64, name: &str, capacity: i32) -> i64 {
        self.add_group_for(program, name, capacity, group_term(self.today())).await
    }

    /// A group of the program's next year, with `capacity` places: it starts
    /// the day after the term of the other test groups ends; its id.
    pub async fn add_next_year_group(&self, program: i64, name: &str, capacity: i32) -> i64 {
        let start = group_term(self.today()).1 + chrono::TimeDelta::days(1);
        let end = navigator_shared::applications::add_months(start, 9) - chrono::TimeDelta::days(1);
        self.add_group_for(program, name, capacity, (start, end)).await
    }

    /// An open group of a program studying through `term`: its id.
    async fn add_group_for(
        &self,
        program: i64,
        name: &str,
        capacity: i32,
        term: (chrono::NaiveDate, chrono::NaiveDate),
    ) -> i64 {
        let group: navigator_shared::catalog::GroupInput = serde_json::from_value(serde_json::json!({
            "name": name, "teacher": "Орлов Пётр Ильич",
            "schedule": [{ "weekday": 4, "start": "17:00", "end": "18:30" }],
            "capacity": capacity, "start_date": term.0, "end_date": term.1,
            "age_min": 7, "age_max": 12, "enrolment_open": true,
        }))
        .unwrap();
        let id = self
            .state
            .db(move |c| {
                let now = navigator_api::notifications::now();
                navigator_api::catalog::repo::insert_group(
                    c,
                    program,
                    &navigator_api::catalog::repo::GroupData::new(group, now),
                )
            })
            .await
            .unwrap();
        navigator_api::catalog::service::reindex(&self.state, vec![program]).await.unwrap();
        id
    }

    /// The first day of this month a provider may ask for its advance (the
    /// month's second working day).
    pub async fn advance_opens_on(&self) -> chrono::NaiveDate {
        let month = navigator_shared::applications::month_start(self.today());
        let eve = month.pred_opt().unwrap();
        let calendar = self.state.db(move |c| navigator_api::calendar::repo::load(c, eve)).await.unwrap();
        calendar.add_working_days(eve, navigator_shared::payments::ADVANCE_FROM_WORKING_DAY)
    }

    /// The monthly job, as the housekeeping runs it, through the current month.
    pub async fn charge_this_month(&self) -> usize {
        let month = navigator_shared::applications::month_start(self.today());
        self.state.db(move |c| navigator_api::applications::contracts::service::charge_through(c, month)).await.unwrap()
    }
}

/// Long lists: enough rows for a second page of every paginated list.
impl Server {
    /// One family with `n` children, each with a pending certificate
    /// numbered from 6800000000 in the server's municipality.
    pub async fn many_certificates(&self, n: u32) {
        let parent = self.account_with_role("big.family@example.org", "Kq7-vLm2-Tz9x-Big", "parent").await;
        let (municipality, cipher) = (self.municipality, self.state.cipher.clone());
        self.state
            .db(move |c| {
                use navigator_api::demo::people::{self, Kid};
                for i in 0..n {
                    let snils = format!("{:09}", 300_000_000 + i * 7);
                    let kid = Kid {
                        last: "Многодетнов",
                        first: "Ребёнок",
                        middle: "Петрович",
                        birth: chrono::NaiveDate::from_ymd_opt(navigator_api::clock::today().year() - 11, 1, 1)
                            .unwrap()
                            + chrono::TimeDelta::days(i.into()),
                        sex: navigator_shared::children::Sex::Male,
                        snils: &snils,
                        municipality,
                    };
                    let child = people::child(c, &cipher, parent, &kid)?.expect("a new child");
                    people::certificate(c, child, &format!("{}", 6_800_000_000u64 + u64::from(i)), "pending", None)?;
                }
                Ok::<_, navigator_api::error::ApiError>(())
            })
            .await
            .unwrap();
    }

    /// Adds Петров `first` Олегович, born on `birth`, to the family of
    /// `parent_email`, with a certificate `number` in `status` (or none); the child's id.
    pub async fn add_child(
        &self,
        parent_email: &str,
        first: &str,
        birth: chrono::NaiveDate,
        number: &str,
        status: Option<&'static str>,
    ) -> i64 {
        let parent = self.user_id(parent_email).await;
        let (municipality, cipher) = (self.municipality, self.state.cipher.clone());
        let (first, number) = (first.to_owned(), number.to_owned());
        self.state
            .db(move |c| {
                use navigator_api::demo::people::{self, Kid};
                let kid = Kid {
                    last: "Петров",
                    first: &first,
                    middle: "Олегович",
                    birth,
                    sex: navigator_shared::children::Sex::Male,
                    snils: &number[number.len().saturating_sub(9)..],
                    municipality,
                };
                let child = people::child(c, &cipher, parent, &kid)?.expect("a new child");
                if let Some(status) = status {
                    people::certificate(c, child, &number, status, None)?;
                }
                Ok::<_, navigator_api::error::ApiError>(child.get())
            })
            .await
            .unwrap()
    }

    /// The child's application to the program's first group, in `status`
    /// (`completed`: the child finished it and may be reviewed).
    pub async fn took_part(&self, child: i64, program: i64, status: &str) {
        let status = navigator_shared::applications::ApplicationStatus::parse(status).expect("a status");
        self.state
            .db(move |c| {
                use diesel::prelude::*;
                use navigator_api::db::schema::{program_groups as g, programs as p};
                let (organization, group): (i64, i64) = g::table
                    .inner_join(p::table)
                    .filter(g::program_id.eq(program))
                    .select((p::organization_id, g::id))
                    .first(c)?;
                let parent = navigator_api::children::repo::find(c, navigator_shared::ids::ChildId(child))?
                    .expect("the child")
                    .parent_id;
                let new = navigator_api::applications::repo::NewApplication {
                    child_id: navigator_shared::ids::ChildId(child),
                    group_id: group,
                    program_id: program,
                    organization_id: organization,
                    created_by: parent,
                    status,
                    source: None,
                };
                navigator_api::applications::repo::insert(c, &new, navigator_api::notifications::now())?;
                Ok::<_, navigator_api::error::ApiError>(())
            })
            .await
            .unwrap();
    }

    /// A review of `program` by the family of `child` (who took part), as
    /// the family's form writes it; the catalog shows the new rating.
    pub async fn review(&self, child: i64, program: i64, stars: i32, text: &str) -> i64 {
        let text = text.to_owned();
        let id = self
            .state
            .db(move |c| {
                use navigator_api::reviews::repo;
                let parent = navigator_api::children::repo::find(c, navigator_shared::ids::ChildId(child))?
                    .expect("the child")
                    .parent_id;
                let program_row = repo::program(c, program)?.expect("the program");
                let new = repo::NewReview {
                    program: &program_row,
                    child_id: child,
                    author_id: parent,
                    stars,
                    body: &text,
                    participant: true,
                };
                let id = repo::insert(c, &new, navigator_api::notifications::now())?.expect("a new review");
                repo::recount(c, program)?;
                Ok::<_, navigator_api::error::ApiError>(id)
            })
            .await
            .unwrap();
        navigator_api::catalog::service::reindex(&self.state, vec![program]).await.unwrap();
        id
    }

    /// `n` in-app messages for the account `email`, the newest last.
    pub async fn many_messages(&self, email: &str, n: u32) {
        let user = self.user_id(email).await;
        self.state
            .db(move |c| {
                use diesel::ExpressionMethods;
                use navigator_api::db::schema::messages::dsl as m;
                for i in 1..=n {
                    diesel::insert_into(m::messages)
                        .values((
                            m::user_id.eq(user),
                            m::subject.eq(format!("Сообщение {i:02}")),
                            m::body.eq(format!("Текст сообщения {i:02}")),
                            m::created_at
                                .eq(navigator_api::notifications::now() + chrono::TimeDelta::seconds(i.into())),
                        ))
                        .execute(c)?;
                }
                Ok::<_, diesel::result::Error>(())
            })
            .await
            .unwrap();
    }
}

/// The term of a test group: it began on the first day of last month and runs
/// nine months, so today is always within it and this month is charged.
pub fn group_term(today: chrono::NaiveDate) -> (chrono::NaiveDate, chrono::NaiveDate) {
    use navigator_shared::applications::{add_months, month_start};
    let start = add_months(month_start(today), -1);
    (start, add_months(start, 9) - chrono::TimeDelta::days(1))
}
