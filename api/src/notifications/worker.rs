//! The sender: takes due messages from the outbox, delivers them over SMTP or
//! into `.eml` files, and reschedules failures with a growing delay. A message
//! is never deleted; several API instances may run the worker at once, a
//! message is claimed by one of them with a conditional update.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use chrono::TimeDelta;
use diesel::prelude::*;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, SinglePart};
use lettre::{Message, SmtpTransport, Transport};
use tokio::sync::watch;

use super::now;
use crate::clock::Clock;
use crate::config::Config;
use crate::db::schema::outbox_emails::dsl as ob;
use crate::db::{DbConn, Pool};

const BATCH: i64 = 20;
const CLAIM_FOR: TimeDelta = TimeDelta::minutes(5);
const MAX_BACKOFF_SECS: i64 = 3600;

/// Where messages go.
#[derive(Clone)]
pub enum Mailer {
    Smtp(SmtpTransport),
    /// `.eml` files in a folder (development, demos and tests).
    Files(PathBuf),
}

impl Mailer {
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        match &config.smtp_url {
            Some(url) => {
                let url = std::str::from_utf8(url.expose()).context("SMTP_URL is not UTF-8")?;
                Ok(Mailer::Smtp(SmtpTransport::from_url(url).context("SMTP_URL")?.build()))
            }
            None => {
                std::fs::create_dir_all(&config.mail_dir)
                    .with_context(|| format!("creating {}", config.mail_dir.display()))?;
                Ok(Mailer::Files(config.mail_dir.clone()))
            }
        }
    }

    fn deliver(&self, id: i64, message: &Message) -> anyhow::Result<()> {
        match self {
            Mailer::Smtp(smtp) => {
                smtp.send(message)?;
            }
            Mailer::Files(dir) => {
                // Written under a temporary name and renamed, so readers never see half a file.
                let name = format!("{}-{id:08}.eml", chrono::Utc::now().format("%Y%m%d%H%M%S"));
                let tmp = dir.join(format!(".{name}.tmp"));
                std::fs::write(&tmp, message.formatted())?;
                std::fs::rename(&tmp, dir.join(name))?;
            }
        }
        Ok(())
    }
}

#[derive(Queryable)]
struct Outgoing {
    id: i64,
    to_address: String,
    subject: String,
    body: String,
    attempts: i32,
}

/// Runs until `stop` turns `true`.
pub async fn run(
    pool: Pool,
    mailer: Mailer,
    from: Mailbox,
    clock: Clock,
    poll: Duration,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let pool = pool.clone();
        let mailer = mailer.clone();
        let from = from.clone();
        let clock = clock.clone();
        match tokio::task::spawn_blocking(move || clock.enter(|| send_due(&pool, &mailer, &from))).await {
            Ok(Ok(sent)) if sent > 0 => tracing::info!(sent, "emails delivered"),
            Ok(Ok(_)) => {}
            Ok(Err(error)) => tracing::warn!(error = format!("{error:#}"), "email worker pass failed"),
            Err(error) => tracing::error!(%error, "email worker task panicked"),
        }
        tokio::select! {
            _ = tokio::time::sleep(poll) => {}
            _ = stop.changed() => return,
        }
    }
}

/// One pass: claims and delivers the due messages; returns how many went out.
pub fn send_due(pool: &Pool, mailer: &Mailer, from: &Mailbox) -> anyhow::Result<usize> {
    let mut conn = pool.get()?;
    let due: Vec<i64> = ob::outbox_emails
        .select(ob::id)
        .filter(ob::status.eq("pending"))
        .filter(ob::next_attempt_at.le(now()))
        .filter(ob::locked_until.is_null().or(ob::locked_until.lt(now())))
        .order(ob::id)
        .limit(BATCH)
        .load(&mut conn)?;
    let mut sent = 0;
    for id in due {
        let Some(message) = claim(&mut conn, id)? else { continue };
        let result = build(from, &message).and_then(|m| mailer.deliver(id, &m));
        record(&mut conn, &message, result.as_ref().err())?;
        if result.is_ok() {
            sent += 1;
        }
    }
    Ok(sent)
}

fn claim(conn: &mut DbConn, id: i64) -> QueryResult<Option<Outgoing>> {
    let claimed = diesel::update(ob::outbox_emails.find(id))
        .filter(ob::status.eq("pending"))
        .filter(ob::locked_until.is_null().or(ob::locked_until.lt(now())))
        .set(ob::locked_until.eq(now() + CLAIM_FOR))
        .execute(conn)?;
    if claimed == 0 {
        return Ok(None);
    }
    ob::outbox_emails
        .find(id)
        .select((ob::id, ob::to_address, ob::subject, ob::body, ob::attempts))
        .first(conn)
        .optional()
}

fn build(from: &Mailbox, message: &Outgoing) -> anyhow::Result<Message> {
    let to: Mailbox = message.to_address.parse().context("recipient address")?;
    let body = SinglePart::builder()
        .header(ContentType::TEXT_PLAIN)
        .header(ContentTransferEncoding::Base64)
        .body(message.body.clone());
    Ok(Message::builder().from(from.clone()).to(to).subject(message.subject.clone()).singlepart(body)?)
}

fn record(conn: &mut DbConn, message: &Outgoing, error: Option<&anyhow::Error>) -> QueryResult<()> {
    let attempts = message.attempts + 1;
    let row = diesel::update(ob::outbox_emails.find(message.id));
    match error {
        None => row
            .set((
                ob::status.eq("sent"),
                ob::sent_at.eq(now()),
                ob::attempts.eq(attempts),
                ob::locked_until.eq(None::<chrono::NaiveDateTime>),
            ))
            .execute(conn)?,
        Some(error) => {
            tracing::warn!(
                id = message.id,
                attempts,
                error = format!("{error:#}"),
                "email delivery failed, will retry"
            );
            row.set((
                ob::attempts.eq(attempts),
                ob::last_error.eq(format!("{error:#}")),
                ob::next_attempt_at.eq(now() + backoff(attempts)),
                ob::locked_until.eq(None::<chrono::NaiveDateTime>),
            ))
            .execute(conn)?
        }
    };
    Ok(())
}

/// 30 s, 2 min, 4.5 min, … up to an hour: quadratic in the number of attempts.
fn backoff(attempts: i32) -> TimeDelta {
    let attempts = i64::from(attempts.max(1));
    TimeDelta::seconds((30 * attempts * attempts).min(MAX_BACKOFF_SECS))
}

/// Removes the emails sent before `before`: the outbox is a queue, not an
/// archive of addresses and letters (the in-app messages keep what people
/// were told). Emails still waiting stay, whatever their age.
pub fn sweep_sent(conn: &mut DbConn, before: chrono::NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(ob::outbox_emails.filter(ob::status.eq("sent")).filter(ob::sent_at.lt(before))).execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(1), TimeDelta::seconds(30));
        assert_eq!(backoff(2), TimeDelta::seconds(120));
        assert_eq!(backoff(100), TimeDelta::seconds(3600));
    }
}
