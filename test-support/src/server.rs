//! The server of a test, running in the test's own runtime.

use std::path::Path;
use std::time::{Duration, Instant};

use actix_web::web::Data;
use navigator_api::config::Config;
use navigator_api::{AppState, Application, ServerHandle};

/// A server serving on a task of its own until `handle` stops it.
pub struct RunningServer {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    pub state: Data<AppState>,
    pub handle: ServerHandle,
}

/// Builds the application over `config` (its migration finds a templated
/// database up to date), makes the current academic year the region's, the
/// one the tests' dates assume, and serves.
pub async fn start(config: Config) -> RunningServer {
    let clock = config.clock.clone();
    let app = Application::build(config).await.expect("the application starts");
    let base = app.base_url().to_owned();
    let state = app.state();
    let year = navigator_shared::reference::academic_year_of(clock.today());
    state.db(move |c| navigator_api::reference::repo::set_academic_year(c, year)).await.unwrap();
    let handle = app.handle();
    tokio::spawn(app.run_until_stopped());
    RunningServer { base, state, handle }
}

/// The token of the newest link to `page` emailed to `to`, waiting `within` for one.
pub async fn wait_for_link(mail_dir: &Path, to: &str, page: &str, within: Duration) -> String {
    let started = Instant::now();
    loop {
        if let Some(token) = navigator_api::notifications::mailbox::link_tokens(mail_dir, to, page).pop() {
            return token;
        }
        assert!(started.elapsed() < within, "no email to {to} with a link to {page}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
