//! `navigator` — the Navigator server and its maintenance commands.

use anyhow::Context;
use navigator_api::config::Config;
use navigator_api::{Application, db, openapi};
use tracing_subscriber::EnvFilter;

/// jemalloc gives back to the system what the catalog index build and the
/// request threads free; glibc's allocator keeps most of it resident.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

const USAGE: &str = "usage: navigator [serve | migrate | seed [--scale N] [--children N] | openapi]

  serve     run the API and the web client (default)
  migrate   apply database migrations and exit
  seed      seed the demo data into an empty database and exit;
            --scale N puts N programs in the catalog (default 1500),
            --children N gives the families N children with their
            certificates, applications and contracts (default 2000;
            with --scale alone, as many children as programs)
  openapi   print the OpenAPI document

Configuration comes from the environment; see README.md.";

/// The demo's size from `seed`'s arguments.
#[cfg(feature = "demo")]
fn seed_size(args: &[String]) -> anyhow::Result<navigator_api::demo::Size> {
    use navigator_api::demo::Size;
    let mut size = Size::DEMO;
    let mut children = None;
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let value: usize = match args.next() {
            Some(n) => n.parse().with_context(|| format!("{flag} takes a number"))?,
            None => anyhow::bail!("{flag} takes a number\n\n{USAGE}"),
        };
        match flag.as_str() {
            "--scale" => size = Size::of(value),
            "--children" => children = Some(value),
            _ => anyhow::bail!("unknown argument {flag}\n\n{USAGE}"),
        }
    }
    Ok(Size { children: children.unwrap_or(size.children), ..size })
}

fn init_logs() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,actix_server=warn"));
    if std::env::var("LOG_FORMAT").is_ok_and(|f| f == "json") {
        tracing_subscriber::fmt().json().with_env_filter(filter).init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
}

#[actix_web::main]
#[allow(clippy::print_stdout)] // the CLI's answers go to standard output
async fn main() -> anyhow::Result<()> {
    let command = std::env::args().nth(1).unwrap_or_else(|| "serve".into());
    if command == "openapi" {
        print!("{}", openapi::document_json()?);
        return Ok(());
    }
    init_logs();
    match command.as_str() {
        "serve" => {
            let app = Application::build(Config::from_env()?).await?;
            tracing::info!(address = app.base_url(), "Navigator is serving");
            app.run_until_stopped().await?;
            tracing::info!("stopped");
        }
        "migrate" => {
            let config = Config::from_env()?;
            let pool = db::connect(&config.database_url, 1)?;
            db::migrate(&mut *pool.get().context("connecting to the database")?)?;
        }
        #[cfg(feature = "demo")]
        "seed" => {
            use navigator_api::demo;
            let config = Config { demo_data: false, ..Config::from_env()? };
            let app = Application::build(config).await?;
            let size = seed_size(&std::env::args().skip(2).collect::<Vec<_>>())?;
            let seeded = demo::seed_if_empty(&app.state(), size).await?;
            tracing::info!(seeded, "demo data");
        }
        #[cfg(not(feature = "demo"))]
        "seed" => anyhow::bail!(navigator_api::NO_DEMO_DATA),
        "-h" | "--help" | "help" => println!("{USAGE}"),
        other => anyhow::bail!("unknown command {other:?}\n\n{USAGE}"),
    }
    Ok(())
}
