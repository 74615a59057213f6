//! Typed configuration, read from the environment once and passed in.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use rand::RngCore;
use secrecy::zeroize::Zeroize;
use secrecy::{ExposeSecret, SecretSlice};

/// A secret value that never appears in logs or debug output and is wiped
/// from memory when dropped.
#[derive(Clone, Debug)]
pub struct Secret(SecretSlice<u8>);

impl Secret {
    pub fn new(mut bytes: Vec<u8>) -> Self {
        // Copied rather than moved: turning the vector into a boxed slice may
        // reallocate and leave the old buffer behind unwiped.
        let secret = SecretSlice::from(Box::<[u8]>::from(bytes.as_slice()));
        bytes.zeroize();
        Self(secret)
    }

    pub fn expose(&self) -> &[u8] {
        self.0.expose_secret()
    }
}

/// Argon2id cost. The defaults follow OWASP's recommendation (19 MiB, 2 passes).
#[derive(Debug, Clone, Copy)]
pub struct PasswordCost {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for PasswordCost {
    fn default() -> Self {
        Self { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 }
    }
}

/// How many attempts a client gets per window before an answer 429.
#[derive(Debug, Clone, Copy)]
pub struct RateLimits {
    pub window: Duration,
    pub login_per_ip: i32,
    pub login_per_account: i32,
    pub register_per_ip: i32,
    pub reset_per_ip: i32,
    pub reset_per_account: i32,
    /// Wrong current passwords in a password change before 429.
    pub password_change_per_account: i32,
    /// Reviews an account may write in a window.
    pub reviews_per_account: i32,
    /// Complaints about reviews an account may file in a window.
    pub complaints_per_account: i32,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            window: Duration::from_secs(15 * 60),
            login_per_ip: 50,
            login_per_account: 10,
            register_per_ip: 20,
            reset_per_ip: 20,
            reset_per_account: 5,
            password_change_per_account: 5,
            reviews_per_account: 10,
            complaints_per_account: 20,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    /// `postgres://…` or a SQLite file path.
    pub database_url: String,
    pub bind_addr: String,
    /// Base of the links in emails; the bound address when unset.
    pub public_url: Option<String>,
    pub web_dist: PathBuf,
    pub mail_dir: PathBuf,
    pub smtp_url: Option<Secret>,
    pub mail_from: String,
    pub jwt_secret: Secret,
    pub data_key: Secret,
    pub demo_data: bool,
    pub production: bool,
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    pub email_confirm_ttl: Duration,
    pub password_reset_ttl: Duration,
    pub password_cost: PasswordCost,
    pub rate_limits: RateLimits,
    /// How often the email worker looks for due messages.
    pub mail_poll: Duration,
    /// The catalog map of the web client.
    pub map: MapSettings,
    /// How often the catalog index picks up programs changed by other instances.
    pub catalog_poll: Duration,
    /// Memory for the catalog's caches of answers and program cards
    /// together, in bytes (`CATALOG_CACHE_MB`; 0 turns them off).
    pub catalog_cache_bytes: u64,
    /// Open applications a child may have at once (`MAX_OPEN_APPLICATIONS`).
    pub max_open_applications: i32,
    pub db_pool_size: u32,
    /// Activation points serve families of the whole region rather than of
    /// their own municipality (`ACTIVATION_POINTS_REGION_WIDE=true`).
    pub activation_points_region_wide: bool,
    /// A request body must arrive within this time (`BODY_TIMEOUT_SECS`), or 408.
    pub body_timeout: Duration,
    /// Request bodies read at once per instance; a client beyond waits for a slot.
    pub max_body_reads: usize,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`TRUSTED_PROXIES`).
    pub trusted_proxies: TrustedProxies,
    /// A place where the server stops on purpose, for crash tests (`FAULT_POINT`;
    /// refused with `APP_ENV=production`).
    pub fault_point: Option<FaultPoint>,
    /// Integration clients: token lifetime, rate limit, webhook delivery.
    pub integrations: IntegrationSettings,
    /// How long personal data nobody needs any more are kept ([`crate::privacy::retention`]).
    pub retention: RetentionSettings,
    /// How often the housekeeping runs (five minutes; a benchmark that
    /// measures right after its bulk load sets it beyond its run).
    pub housekeeping_every: Duration,
    /// The services' clock: the system clock, which a test may move.
    pub clock: crate::clock::Clock,
}

/// How integrators are served.
#[derive(Debug, Clone)]
pub struct IntegrationSettings {
    /// Lifetime of an integrator's access token.
    pub token_ttl: Duration,
    /// Requests per second a client may make on average (`INTEGRATOR_RATE`).
    pub rate: u32,
    /// Requests a client may make at once above the average (`INTEGRATOR_BURST`).
    pub burst: u32,
    /// How often the webhook sender looks for due deliveries.
    pub webhook_poll: Duration,
    /// The first retry's delay; each next one is three times longer, up to 4 hours.
    pub webhook_retry_base: Duration,
    /// A delivery is retried for this long after the event, then marked failed.
    pub webhook_retry_for: Duration,
    /// How long the sender waits for the receiver's answer.
    pub webhook_timeout: Duration,
    /// Webhooks may go to `http://` and to local or private addresses
    /// (refused with `APP_ENV=production`).
    pub webhook_private: bool,
}

impl Default for IntegrationSettings {
    fn default() -> Self {
        Self {
            token_ttl: Duration::from_secs(600),
            rate: 20,
            burst: 40,
            webhook_poll: Duration::from_secs(1),
            webhook_retry_base: Duration::from_secs(10),
            webhook_retry_for: Duration::from_secs(24 * 3600),
            webhook_timeout: Duration::from_secs(10),
            webhook_private: true,
        }
    }
}

/// How long the housekeeping keeps personal data that no longer serve
/// their purpose (152-ФЗ): every period is in days, from the moment the
/// data stopped being needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionSettings {
    /// An account whose address was never confirmed, and that holds nothing
    /// else, is removed this long after sign-up (`RETENTION_UNCONFIRMED_DAYS`).
    pub unconfirmed_days: u32,
    /// Ended sign-in sessions and used or expired email links are purged
    /// this long after they ended (`RETENTION_SESSIONS_DAYS`).
    pub sessions_days: u32,
    /// Emails sent are removed from the outbox this long after sending
    /// (`RETENTION_SENT_MAIL_DAYS`); the in-app messages stay.
    pub sent_mail_days: u32,
    /// A child's or an account's data are depersonalized this long after
    /// the family withdrew its consent (`RETENTION_WITHDRAWN_DAYS`; 152-ФЗ
    /// gives 30 days at most).
    pub withdrawn_days: u32,
    /// A child's data are depersonalized this many years after the
    /// eighteenth birthday (`RETENTION_ADULT_YEARS`): the certificate ended
    /// then, and the accounting documents are kept five years (402-ФЗ, ст. 29).
    pub adult_years: u32,
}

impl Default for RetentionSettings {
    fn default() -> Self {
        Self { unconfirmed_days: 30, sessions_days: 30, sent_mail_days: 180, withdrawn_days: 30, adult_years: 5 }
    }
}

impl RetentionSettings {
    fn from_env(var: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let mut settings = Self::default();
        for (name, days) in [
            ("RETENTION_UNCONFIRMED_DAYS", &mut settings.unconfirmed_days),
            ("RETENTION_SESSIONS_DAYS", &mut settings.sessions_days),
            ("RETENTION_SENT_MAIL_DAYS", &mut settings.sent_mail_days),
            ("RETENTION_WITHDRAWN_DAYS", &mut settings.withdrawn_days),
            ("RETENTION_ADULT_YEARS", &mut settings.adult_years),
        ] {
            if let Some(value) = var(name) {
                *days = value.parse().with_context(|| format!("{name} must be a whole number"))?;
                anyhow::ensure!(*days > 0, "{name} must be above zero");
            }
        }
        // 152-ФЗ, ст. 21, ч. 5: thirty days at most after the withdrawal.
        anyhow::ensure!(settings.withdrawn_days <= 30, "RETENTION_WITHDRAWN_DAYS must be 30 at most (152-ФЗ, ст. 21)");
        Ok(settings)
    }
}

/// Where a crash test stops the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultPoint {
    /// Right after a keyed action committed its effect, before it answers
    /// (`FAULT_POINT=after_effect`).
    AfterEffect,
}

impl Config {
    /// Reads the environment variables documented in the README.
    pub fn from_env() -> anyhow::Result<Self> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let production = var("APP_ENV").is_some_and(|v| v == "production");
        let data_dir = PathBuf::from("data");
        let secret = |name: &str| -> anyhow::Result<Secret> {
            match var(name) {
                Some(value) => Ok(Secret::new(value.into_bytes())),
                None if production => bail!("{name} must be set when APP_ENV=production"),
                None => stored_secret(&data_dir.join(format!("{}.key", name.to_lowercase()))),
            }
        };
        let mut config = Self {
            database_url: var("DATABASE_URL").unwrap_or_else(|| "data/navigator.db".into()),
            bind_addr: var("BIND_ADDR").unwrap_or_else(|| "127.0.0.1:8080".into()),
            public_url: var("PUBLIC_URL"),
            web_dist: var("WEB_DIST").unwrap_or_else(|| "web/dist".into()).into(),
            mail_dir: var("MAIL_DIR").unwrap_or_else(|| "data/mail".into()).into(),
            smtp_url: var("SMTP_URL").map(|v| Secret::new(v.into_bytes())),
            mail_from: var("MAIL_FROM").unwrap_or_else(|| "Навигатор <noreply@navigator.local>".into()),
            jwt_secret: secret("JWT_SECRET")?,
            data_key: secret("DATA_KEY")?,
            demo_data: var("DEMO_DATA").is_some_and(|v| v == "true" || v == "1"),
            activation_points_region_wide: var("ACTIVATION_POINTS_REGION_WIDE")
                .is_some_and(|v| v == "true" || v == "1"),
            production,
            password_cost: PasswordCost::default(),
            mail_poll: Duration::from_secs(1),
            clock: crate::clock::Clock::default(),
            catalog_poll: Duration::from_secs(2),
            map: MapSettings::from_env(&var)?,
            retention: RetentionSettings::from_env(&var)?,
            ..Self::for_tests("")
        };
        if let Some(limit) = var("MAX_OPEN_APPLICATIONS") {
            config.max_open_applications = limit.parse().context("MAX_OPEN_APPLICATIONS must be a number")?;
            anyhow::ensure!(config.max_open_applications > 0, "MAX_OPEN_APPLICATIONS must be above zero");
        }
        if let Some(mb) = var("CATALOG_CACHE_MB") {
            let mb: u64 = mb.parse().context("CATALOG_CACHE_MB must be a number of megabytes")?;
            config.catalog_cache_bytes = mb * 1024 * 1024;
        }
        if let Some(secs) = var("BODY_TIMEOUT_SECS") {
            config.body_timeout = Duration::from_secs(secs.parse().context("BODY_TIMEOUT_SECS must be a number")?);
        }
        if let Some(list) = var("TRUSTED_PROXIES") {
            config.trusted_proxies = TrustedProxies::parse(&list)?;
        }
        if let Some(point) = var("FAULT_POINT") {
            anyhow::ensure!(!production, "FAULT_POINT is for crash tests and is refused with APP_ENV=production");
            config.fault_point = match point.as_str() {
                "after_effect" => Some(FaultPoint::AfterEffect),
                other => bail!("FAULT_POINT {other:?} is unknown (after_effect)"),
            };
        }
        config.integrations.webhook_private = !production;
        if let Some(rate) = var("INTEGRATOR_RATE") {
            config.integrations.rate =
                rate.parse().context("INTEGRATOR_RATE must be a number of requests per second")?;
            anyhow::ensure!(config.integrations.rate > 0, "INTEGRATOR_RATE must be above zero");
        }
        if let Some(burst) = var("INTEGRATOR_BURST") {
            config.integrations.burst = burst.parse().context("INTEGRATOR_BURST must be a number of requests")?;
            anyhow::ensure!(config.integrations.burst > 0, "INTEGRATOR_BURST must be above zero");
        }
        if let Some(size) = var("DB_POOL_SIZE") {
            config.db_pool_size = size.parse().context("DB_POOL_SIZE must be a number")?;
        }
        Ok(config)
    }

    /// Defaults for a test server: cheap password hashing, fast mail polling,
    /// fixed keys, an ephemeral port.
    pub fn for_tests(database_url: &str) -> Self {
        Self {
            database_url: database_url.to_owned(),
            bind_addr: "127.0.0.1:0".into(),
            public_url: None,
            web_dist: "web/dist".into(),
            mail_dir: "data/mail".into(),
            smtp_url: None,
            mail_from: "Навигатор <noreply@navigator.local>".into(),
            jwt_secret: Secret::new(b"test-jwt-secret-test-jwt-secret-0".to_vec()),
            data_key: Secret::new(b"test-data-key-test-data-key-test".to_vec()),
            demo_data: false,
            production: false,
            access_token_ttl: Duration::from_secs(15 * 60),
            refresh_token_ttl: Duration::from_secs(30 * 24 * 3600),
            email_confirm_ttl: Duration::from_secs(3 * 24 * 3600),
            password_reset_ttl: Duration::from_secs(3600),
            password_cost: PasswordCost { memory_kib: 1024, iterations: 1, parallelism: 1 },
            rate_limits: RateLimits::default(),
            mail_poll: Duration::from_millis(100),
            clock: crate::clock::Clock::default(),
            catalog_poll: Duration::from_millis(200),
            map: MapSettings::default(),
            catalog_cache_bytes: 32 * 1024 * 1024,
            max_open_applications: navigator_shared::applications::DEFAULT_OPEN_APPLICATIONS,
            db_pool_size: 8,
            activation_points_region_wide: false,
            body_timeout: Duration::from_secs(15),
            max_body_reads: 256,
            trusted_proxies: TrustedProxies::default(),
            fault_point: None,
            integrations: IntegrationSettings {
                webhook_poll: Duration::from_millis(100),
                webhook_retry_base: Duration::from_millis(300),
                webhook_timeout: Duration::from_secs(3),
                ..IntegrationSettings::default()
            },
            retention: RetentionSettings::default(),
            housekeeping_every: Duration::from_secs(300),
        }
    }
}

/// Addresses and networks (`10.0.0.5`, `10.0.0.0/8`, `::1`) of the reverse
/// proxies in front of the API. Only their `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    /// A comma-separated list.
    pub fn parse(list: &str) -> anyhow::Result<Self> {
        let mut networks = Vec::new();
        for item in list.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let (address, bits) = item.split_once('/').unwrap_or((item, ""));
            let address: IpAddr =
                address.parse().with_context(|| format!("TRUSTED_PROXIES: {item:?} is not an address"))?;
            let max = if address.is_ipv4() { 32 } else { 128 };
            let bits = if bits.is_empty() { max } else { bits.parse().context("TRUSTED_PROXIES: a prefix length")? };
            anyhow::ensure!(bits <= max, "TRUSTED_PROXIES: {item:?} has a prefix longer than the address");
            networks.push((address, bits));
        }
        Ok(Self(networks))
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|&(network, bits)| match (network, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => prefix(u32::from(net).into(), u32::from(ip).into(), bits, 32),
            (IpAddr::V6(net), IpAddr::V6(ip)) => prefix(u128::from(net), u128::from(ip), bits, 128),
            _ => false,
        })
    }

    /// The client behind the proxies: the rightmost address of
    /// `X-Forwarded-For` that is not a trusted proxy. Without a trusted peer
    /// the header is ignored.
    pub fn client(&self, peer: IpAddr, forwarded_for: Option<&str>) -> IpAddr {
        if !self.contains(peer) {
            return peer;
        }
        let Some(header) = forwarded_for else { return peer };
        let mut client = peer;
        for hop in header.rsplit(',').map(str::trim) {
            match hop.parse::<IpAddr>() {
                Ok(ip) if self.contains(ip) => client = ip,
                Ok(ip) => return ip,
                Err(_) => return client,
            }
        }
        client
    }
}

fn prefix(network: u128, ip: u128, bits: u8, width: u8) -> bool {
    if bits == 0 {
        return true;
    }
    let shift = u32::from(width - bits);
    (network >> shift) == (ip >> shift)
}

/// A key kept in a file under `data/`, created with 32 random bytes on first use,
/// so that tokens and encrypted data survive a restart of a development server.
fn stored_secret(path: &Path) -> anyhow::Result<Secret> {
    if let Ok(text) = std::fs::read_to_string(path) {
        let bytes = hex::decode(text.trim()).with_context(|| format!("{} is not hex", path.display()))?;
        return Ok(Secret::new(bytes));
    }
    let mut bytes = vec![0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(path, hex::encode(&bytes)).with_context(|| format!("writing {}", path.display()))?;
    Ok(Secret::new(bytes))
}

/// The catalog map: tiles (`MAP_TILE_URL`, `MAP_ATTRIBUTION`; none by
/// default, the markers work without them) and the opening view
/// (`MAP_CENTER=lat,lon`, `MAP_ZOOM`).
#[derive(Debug, Clone, PartialEq)]
pub struct MapSettings {
    pub tile_url: String,
    pub attribution: String,
    pub center: [f64; 2],
    pub zoom: u8,
}

impl Default for MapSettings {
    fn default() -> Self {
        Self { tile_url: String::new(), attribution: String::new(), center: [54.78, 32.05], zoom: 8 }
    }
}

impl MapSettings {
    fn from_env(var: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let mut map = Self::default();
        if let Some(url) = var("MAP_TILE_URL") {
            map.tile_url = url;
        }
        if let Some(attribution) = var("MAP_ATTRIBUTION") {
            map.attribution = attribution;
        }
        if let Some(center) = var("MAP_CENTER") {
            let parts: Vec<f64> = center.split(',').filter_map(|p| p.trim().parse().ok()).collect();
            match parts.as_slice() {
                [lat, lon] => map.center = [*lat, *lon],
                _ => anyhow::bail!("MAP_CENTER is \"lat,lon\", e.g. 54.78,32.05"),
            }
        }
        if let Some(zoom) = var("MAP_ZOOM") {
            map.zoom = zoom.parse().map_err(|_| anyhow::anyhow!("MAP_ZOOM is a number 0..=19"))?;
        }
        Ok(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_is_not_printed() {
        let secret = Secret::new(b"hunter2".to_vec());
        assert_eq!(secret.expose(), b"hunter2");
        assert_eq!(secret.clone().expose(), b"hunter2");
        let printed = format!("{secret:?}");
        assert!(!printed.contains("hunter2") && !printed.contains("104"), "{printed}");
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let proxies = TrustedProxies::parse("10.0.0.0/8, 192.168.1.5").unwrap();
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(proxies.client(ip("203.0.113.7"), Some("1.2.3.4")), ip("203.0.113.7"), "not a proxy: ignored");
        assert_eq!(proxies.client(ip("10.1.2.3"), Some("198.51.100.1")), ip("198.51.100.1"));
        assert_eq!(proxies.client(ip("10.1.2.3"), Some("6.6.6.6, 198.51.100.1, 192.168.1.5")), ip("198.51.100.1"));
        assert_eq!(proxies.client(ip("10.1.2.3"), None), ip("10.1.2.3"));
        assert_eq!(proxies.client(ip("10.1.2.3"), Some("garbage")), ip("10.1.2.3"));
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("::1").unwrap().contains(ip("::1")));
    }
}
