//! Navigator API: the application, its state and its routes.

pub mod accounts;
pub mod applications;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod catalog;
pub mod children;
pub mod clock;
pub mod config;
pub mod consents;
pub mod crypto;
pub mod db;
#[cfg(feature = "demo")]
pub mod demo;
pub mod documents;
pub mod error;
pub mod events;
pub mod funding;
pub mod guard;
pub mod headers;
pub mod health;
pub mod idempotency;
pub mod integrations;
pub mod ledger;
pub mod notifications;
pub mod openapi;
pub mod organizations;
pub mod payments;
pub mod places;
pub mod privacy;
pub mod reference;
pub mod registry;
pub mod reviews;
pub mod spa;
pub mod spot_alerts;
pub mod stats;
pub mod studies;
pub mod webhooks;

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
pub use actix_web::dev::ServerHandle;
use actix_web::http::StatusCode;
use actix_web::middleware::{Compress, DefaultHeaders, ErrorHandlers};
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use tokio::sync::watch;
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::AppExt;

use navigator_search::CatalogIndex;

use crate::auth::passwords::Passwords;
use crate::auth::tokens::TokenKeys;
use crate::config::Config;
use crate::crypto::DataCipher;
use crate::db::{DbConn, Pool};
use crate::error::{ApiError, ApiResult};
use crate::notifications::worker::{self, Mailer};

/// The answer of a build without the `demo` feature to `DEMO_DATA=true` and
/// `navigator seed`.
pub const NO_DEMO_DATA: &str = "this build has no demo data; build with --features demo";

/// Everything a handler needs, shared by all workers.
pub struct AppState {
    pub config: Arc<Config>,
    pub pool: Pool,
    pub tokens: Arc<TokenKeys>,
    pub passwords: Passwords,
    pub cipher: DataCipher,
    /// The in-process index of published programs.
    pub catalog: Arc<CatalogIndex>,
    /// Serialized catalog answers of the current index generation.
    pub catalog_answers: catalog::cache::AnswerCache,
    /// Public program cards as JSON, until their program or places change.
    pub cards: Arc<catalog::cache::CardCache>,
    /// One permit per pooled connection, taken by [`AppState::db`].
    pub db_slots: Arc<tokio::sync::Semaphore>,
    /// Integrators' requests waiting to be written to their log.
    pub request_log: auth::clients::RequestLog,
    public_url: String,
}

impl AppState {
    /// Runs database work on the blocking pool with a pooled connection.
    pub async fn db<T, E, F>(&self, f: F) -> ApiResult<T>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: Into<ApiError> + Send + 'static,
    {
        // A request waits here, not on a blocking thread of its own, while
        // every connection is busy: the blocking threads (and the memory each
        // keeps) stay as many as the connections.
        let _slot = self.db_slots.acquire().await.map_err(anyhow::Error::from)?;
        let pool = self.pool.clone();
        let clock = self.config.clock.clone();
        web::block(move || {
            let mut conn = pool.get().map_err(ApiError::from)?;
            clock.enter(|| f(&mut conn).map_err(Into::into))
        })
        .await?
    }

    /// Brings the catalog index in step with these programs after a write
    /// that changed what they show. Modules below the catalog (organizations)
    /// reach the index through here.
    pub async fn reindex(&self, programs: Vec<i64>) -> ApiResult<()> {
        catalog::service::reindex(self, programs).await
    }

    /// Builder of links to the web client's pages, for emails.
    pub fn links(&self) -> Links {
        Links { base: self.public_url.clone() }
    }
}

/// Absolute links to pages of the web client.
#[derive(Debug, Clone)]
pub struct Links {
    base: String,
}

impl Links {
    pub fn page(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn with_token(&self, path: &str, token: &str) -> String {
        format!("{}{path}?token={token}", self.base)
    }

    pub fn is_https(&self) -> bool {
        self.base.starts_with("https://")
    }
}

/// Registers every API route (all through utoipa, so none is missing from the spec).
pub fn api_routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    reference::routes::configure(cfg);
    organizations::routes::configure(cfg);
    catalog::routes::configure(cfg);
    accounts::routes::configure(cfg);
    notifications::routes::configure(cfg);
    children::routes::configure(cfg);
    children::guardians::routes::configure(cfg);
    children::certificates::routes::configure(cfg);
    calendar::routes::configure(cfg);
    registry::routes::configure(cfg);
    funding::routes::configure(cfg);
    applications::routes::configure(cfg);
    applications::contracts::routes::configure(cfg);
    payments::routes::configure(cfg);
    integrations::routes::configure(cfg);
    reviews::routes::configure(cfg);
    stats::routes::configure(cfg);
    privacy::routes::configure(cfg);
    spot_alerts::routes::configure(cfg);
    events::routes::configure(cfg);
}

pub struct Application {
    server: Server,
    port: u16,
    base_url: String,
    state: web::Data<AppState>,
    stop_workers: watch::Sender<bool>,
}

impl Application {
    /// Connects, migrates, seeds demo data when asked, binds the port and
    /// starts the background workers. The server runs on `run_until_stopped`.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        anyhow::ensure!(cfg!(feature = "demo") || !config.demo_data, "DEMO_DATA=true: {NO_DEMO_DATA}");
        let pool = db::connect(&config.database_url, config.db_pool_size)?;
        {
            let pool = pool.clone();
            web::block(move || db::migrate(&mut *pool.get()?)).await??;
        }
        let cipher = DataCipher::new(&config.data_key);
        {
            let (pool, cipher) = (pool.clone(), cipher.clone());
            web::block(move || rekey(&mut *pool.get()?, &cipher)).await??;
        }
        let listener = TcpListener::bind(&config.bind_addr).with_context(|| format!("binding {}", config.bind_addr))?;
        let port = listener.local_addr()?.port();
        let base_url = format!("http://{}", listener.local_addr()?);
        let public_url = config.public_url.clone().unwrap_or_else(|| base_url.clone()).trim_end_matches('/').to_owned();
        let (catalog_answers, cards) = catalog::cache::within(config.catalog_cache_bytes);
        let state = web::Data::new(AppState {
            tokens: Arc::new(TokenKeys::new(&config.jwt_secret, config.access_token_ttl)),
            passwords: Passwords::new(config.password_cost)?,
            cipher,
            pool: pool.clone(),
            catalog: Arc::new(CatalogIndex::new()?),
            catalog_answers,
            cards: Arc::new(cards),
            db_slots: Arc::new(tokio::sync::Semaphore::new(config.db_pool_size as usize)),
            request_log: auth::clients::RequestLog::default(),
            public_url,
            config: Arc::new(config),
        });
        #[cfg(feature = "demo")]
        if state.config.demo_data {
            demo::seed_if_empty(&state, demo::Size::DEMO).await?;
        }
        let indexed = {
            let (pool, catalog, cards, today) =
                (pool.clone(), state.catalog.clone(), state.cards.clone(), state.config.clock.today());
            web::block(move || {
                catalog::index::build(&catalog, &cards, &mut *pool.get()?, today)
                    .map_err(|e| anyhow::anyhow!("building the catalog index: {e:?}"))
            })
            .await??
        };
        tracing::info!(programs = indexed, "catalog index built");
        let (stop_workers, stop) = watch::channel(false);
        let mailer = Mailer::from_config(&state.config)?;
        let from = state.config.mail_from.parse().context("MAIL_FROM is not a valid address")?;
        tokio::spawn(worker::run(
            pool.clone(),
            mailer,
            from,
            state.config.clock.clone(),
            state.config.mail_poll,
            stop.clone(),
        ));
        tokio::spawn(catalog::index::refresh(
            pool.clone(),
            state.catalog.clone(),
            state.cards.clone(),
            state.config.clock.clone(),
            state.config.catalog_poll,
            stop.clone(),
        ));
        tokio::spawn(webhooks::worker::run(
            pool.clone(),
            state.cipher.clone(),
            state.config.integrations.clone(),
            state.config.clock.clone(),
            stop.clone(),
        ));
        tokio::spawn(auth::clients::write_log(
            pool.clone(),
            state.request_log.clone(),
            state.config.integrations.webhook_poll,
            stop.clone(),
        ));
        let every = state.config.housekeeping_every;
        tokio::spawn(housekeeping(
            pool,
            state.links(),
            state.config.clock.clone(),
            (state.config.retention, every, state.cipher.clone()),
            stop,
        ));
        let server = Self::server(listener, state.clone())?;
        Ok(Self { server, port, base_url, state, stop_workers })
    }

    fn server(listener: TcpListener, state: web::Data<AppState>) -> anyhow::Result<Server> {
        let web_dist = state.config.web_dist.clone();
        let body_limits =
            web::Data::new(guard::BodyLimits::new(state.config.body_timeout, state.config.max_body_reads));
        let csp = headers::content_security_policy(&web_dist, &state.config.map.tile_url);
        let https = state.links().is_https();
        let spec = openapi::document_bytes()?;
        let server = HttpServer::new(move || {
            // The factory runs once on each worker thread: its handlers read the server's clock.
            state.config.clock.install();
            let (app, _) = App::new()
                .into_utoipa_app()
                .app_data(state.clone())
                .app_data(body_limits.clone())
                .app_data(error::extractors::json_config())
                .app_data(error::extractors::query_config())
                .app_data(error::extractors::path_config())
                .service(utoipa_actix_web::scope("/api/v1").configure(api_routes))
                .configure(health::configure)
                .split_for_parts();
            let mut default_headers = DefaultHeaders::new()
                .add(("X-Content-Type-Options", "nosniff"))
                .add(("X-Frame-Options", "DENY"))
                .add(("Referrer-Policy", "no-referrer"))
                .add(("Content-Security-Policy", csp.clone()));
            if https {
                default_headers = default_headers.add(("Strict-Transport-Security", headers::HSTS));
            }
            app.wrap(actix_web::middleware::from_fn(guard::guard))
                .wrap(actix_web::middleware::from_fn(auth::clients::log_requests))
                .wrap(actix_web::middleware::from_fn(headers::no_store_for_personal_data))
                .wrap(default_headers)
                .wrap(
                    ErrorHandlers::new()
                        .handler(StatusCode::NOT_FOUND, error::extractors::problem_for_router_errors)
                        .handler(StatusCode::METHOD_NOT_ALLOWED, error::extractors::problem_for_router_errors),
                )
                .wrap(Compress::default())
                .wrap(TracingLogger::default())
                .route("/api/docs", web::get().to(openapi::docs_redirect))
                .configure(openapi::docs(spec.clone()))
                .configure(|cfg| spa::configure(cfg, &web_dist))
        })
        .listen(listener)?
        .shutdown_timeout(20)
        .run();
        Ok(server)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Stops the server from outside (tests, embedding).
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// Serves until SIGINT/SIGTERM (graceful: requests in flight finish), then
    /// stops the background workers.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        let _ = self.stop_workers.send(true);
        result
    }
}

/// Rewrites personal data sealed with an earlier key (see [`crypto`]) before
/// the server answers, so every lookup hash is of the current key.
pub fn rekey(conn: &mut db::DbConn, cipher: &DataCipher) -> anyhow::Result<(usize, usize)> {
    const BATCH: i64 = 500;
    let children = children::service::reseal_legacy(conn, cipher, BATCH).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let people = accounts::service::reseal_legacy(conn, cipher, BATCH).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    if children + people > 0 {
        tracing::info!(children, people, "personal data resealed with the current key");
    }
    Ok((children, people))
}

/// Every `every` (five minutes): the rules of the day (lapsed certificates, due
/// withdrawals, ended months and periods, events), the retention of personal
/// data no longer needed ([`privacy::retention`]), and the clean-up of finished
/// rate-limit windows and idempotency keys.
async fn housekeeping(
    pool: Pool,
    links: Links,
    clock: clock::Clock,
    (retention, every, cipher): (config::RetentionSettings, Duration, crypto::DataCipher),
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let (pool, links, clock, cipher) = (pool.clone(), links.clone(), clock.clone(), cipher.clone());
        let pass = tokio::task::spawn_blocking(move || {
            clock.enter(|| -> anyhow::Result<usize> {
                let mut conn = pool.get()?;
                let windows = auth::rate_limit::sweep(&mut conn, Duration::from_secs(24 * 3600))?;
                let kept = privacy::retention::run(&mut conn, &cipher, &retention, clock::now())?.total();
                let tokens = kept + idempotency::sweep(&mut conn)?;
                let log = integrations::repo::sweep_requests(&mut conn, clock::now() - chrono::TimeDelta::days(90))?;
                let lapsed = children::certificates::service::lapse_overdue(&mut conn, clock::today())
                    .map_err(|e| anyhow::anyhow!("lapsing overdue certificates: {e}"))?;
                let left = applications::withdrawals::service::run_due(&mut conn, &links, clock::today())
                    .map_err(|e| anyhow::anyhow!("carrying out withdrawals: {e}"))?;
                let held = applications::continuation::run_due(&mut conn, &links, clock::today())
                    .map_err(|e| anyhow::anyhow!("holding places for continuing children: {e}"))?;
                let charged = applications::contracts::service::charge_ended_months(&mut conn, clock::today())
                    .map_err(|e| anyhow::anyhow!("charging ended months: {e}"))?;
                let expired = funding::service::expire_ended(&mut conn, clock::today())
                    .map_err(|e| anyhow::anyhow!("expiring ended funding periods: {e}"))?;
                let finished = events::service::finish_ended(&mut conn)
                    .map_err(|e| anyhow::anyhow!("finishing ended events: {e}"))?;
                let reminded = events::service::remind_due(&mut conn, &links)
                    .map_err(|e| anyhow::anyhow!("reminding of tomorrow's events: {e}"))?;
                let alerted = spot_alerts::service::announce_due(&mut conn, &links)
                    .map_err(|e| anyhow::anyhow!("telling of groups opened by date: {e}"))?;
                db::optimize(&mut conn)?;
                Ok(windows + tokens + log + lapsed + left + held + charged + expired + finished + reminded + alerted)
            })
        });
        if let Ok(Err(error)) = pass.await {
            tracing::warn!(error = format!("{error:#}"), "housekeeping failed");
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => return,
        }
    }
}
