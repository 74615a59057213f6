//! How long personal data are kept once they serve no purpose (152-ФЗ,
//! art. 5: no longer than the purpose needs). The housekeeping runs the
//! rules; each period is a setting ([`RetentionSettings`]); a pass reports
//! what each rule removed.

use chrono::{NaiveDateTime, TimeDelta};

use crate::accounts;
use crate::config::RetentionSettings;
use crate::crypto::DataCipher;
use crate::db::DbConn;
use crate::notifications::worker;

/// Accounts removed in one transaction each, at most this many a pass.
const ACCOUNTS_PER_PASS: i64 = 500;

/// What one pass removed, rule by rule.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    /// Parents' accounts never confirmed and holding nothing.
    pub unconfirmed_accounts: usize,
    /// Sign-in sessions ended long ago (their tokens).
    pub sessions: usize,
    /// Email links used or expired long ago.
    pub email_links: usize,
    /// Emails sent long ago, removed from the outbox.
    pub sent_emails: usize,
    /// Children depersonalized: the consent withdrawn and the period over,
    /// or grown up and the retention period over.
    pub depersonalized_children: usize,
    /// Accounts depersonalized and closed after their consent was withdrawn.
    pub depersonalized_accounts: usize,
    /// Devices an account has not signed in from for 400 days
    /// ([`accounts::devices::KEEP_DAYS`]), forgotten.
    pub devices: usize,
}

impl Report {
    pub fn total(&self) -> usize {
        self.unconfirmed_accounts
            + self.sessions
            + self.email_links
            + self.sent_emails
            + self.depersonalized_children
            + self.depersonalized_accounts
            + self.devices
    }
}

fn days_before(now: NaiveDateTime, days: u32) -> NaiveDateTime {
    now - TimeDelta::days(i64::from(days))
}

/// One pass of every rule at `now`. Each rule is idempotent: a pass cut
/// short (a restart) is finished by the next.
pub fn run(
    conn: &mut DbConn,
    cipher: &DataCipher,
    settings: &RetentionSettings,
    now: NaiveDateTime,
) -> anyhow::Result<Report> {
    let mut report = Report::default();
    let done = super::depersonalize::run(conn, cipher, settings, now)?;
    (report.depersonalized_children, report.depersonalized_accounts) = (done.children, done.accounts);
    for id in accounts::repo::unconfirmed_before(conn, days_before(now, settings.unconfirmed_days), ACCOUNTS_PER_PASS)?
    {
        if accounts::repo::remove_unconfirmed(conn, id)? {
            report.unconfirmed_accounts += 1;
        }
    }
    (report.email_links, report.sessions) =
        accounts::repo::sweep_spent(conn, days_before(now, settings.sessions_days))?;
    report.sent_emails = worker::sweep_sent(conn, days_before(now, settings.sent_mail_days))?;
    report.devices = accounts::sign_in_repo::sweep_devices(conn, now - TimeDelta::days(accounts::devices::KEEP_DAYS))?;
    if report.total() > 0 {
        tracing::info!(
            unconfirmed_accounts = report.unconfirmed_accounts,
            sessions = report.sessions,
            email_links = report.email_links,
            sent_emails = report.sent_emails,
            depersonalized_children = report.depersonalized_children,
            depersonalized_accounts = report.depersonalized_accounts,
            devices = report.devices,
            "retention: personal data no longer needed removed"
        );
    }
    Ok(report)
}
