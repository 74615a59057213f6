//! Keeping the in-process catalog index in step with the database: built at
//! start, updated by this instance's writes, and polled for the writes of
//! other instances (and rebuilt when the date changes, since a group's
//! enrolment dates decide whether it is open).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use navigator_search::CatalogIndex;
use tokio::sync::watch;

use super::cache::CardCache;
use super::{repo, service};
use crate::clock::Clock;
use crate::db::{DbConn, Pool};
use crate::error::ApiResult;

/// How far back each poll looks again: a transaction of another instance may
/// commit a little after the time it wrote into `updated_at`.
const OVERLAP: TimeDelta = TimeDelta::seconds(15);

fn search_error(error: navigator_search::SearchError) -> anyhow::Error {
    anyhow::Error::from(error)
}

/// Fills the index with every published program; gives their number.
pub fn build(catalog: &CatalogIndex, cards: &CardCache, conn: &mut DbConn, today: NaiveDate) -> ApiResult<usize> {
    let docs = service::indexed(conn, None, today)?;
    let count = docs.len();
    catalog.replace_all(docs).map_err(search_error)?;
    cards.forget_all();
    Ok(count)
}

/// Brings the index and the cards in step with the database for the programs `ids`.
pub fn apply(
    catalog: &CatalogIndex,
    cards: &CardCache,
    conn: &mut DbConn,
    ids: &[i64],
    today: NaiveDate,
) -> ApiResult<()> {
    cards.forget(ids);
    for chunk in ids.chunks(500) {
        let docs = service::indexed(conn, Some(chunk), today)?;
        for id in chunk {
            if !docs.iter().any(|d| d.summary.id == *id) {
                catalog.remove(*id).map_err(search_error)?;
            }
        }
        catalog.upsert_many(docs).map_err(search_error)?;
    }
    Ok(())
}

/// What the poll has seen of one table: the latest `updated_at`, and the
/// changes within the overlap, so they are not applied twice.
struct Seen {
    watermark: NaiveDateTime,
    applied: HashMap<i64, NaiveDateTime>,
}

impl Seen {
    fn starting(at: NaiveDateTime) -> Self {
        Self { watermark: at, applied: HashMap::new() }
    }

    /// The changes of `changed` (id, `updated_at`) not applied yet.
    fn fresh(&self, changed: Vec<(i64, NaiveDateTime)>) -> Vec<(i64, NaiveDateTime)> {
        changed.into_iter().filter(|(id, at)| self.applied.get(id) != Some(at)).collect()
    }

    /// `fresh` was applied.
    fn applied(&mut self, fresh: Vec<(i64, NaiveDateTime)>) {
        for (id, at) in fresh {
            self.watermark = self.watermark.max(at);
            self.applied.insert(id, at);
        }
        let horizon = self.watermark - OVERLAP;
        self.applied.retain(|_, at| *at >= horizon);
    }

    fn since(&self) -> NaiveDateTime {
        self.watermark - OVERLAP
    }
}

/// What the poll has seen.
struct Poll {
    programs: Seen,
    /// Groups whose places changed: their programs' cards show free places.
    groups: Seen,
    indexed_on: NaiveDate,
}

impl Poll {
    fn tick(&mut self, catalog: &CatalogIndex, cards: &CardCache, conn: &mut DbConn) -> ApiResult<usize> {
        let today = crate::clock::today();
        if today != self.indexed_on {
            self.indexed_on = today;
            return build(catalog, cards, conn, today);
        }
        let programs = self.programs.fresh(repo::changed_ids(conn, self.programs.since())?);
        let ids: Vec<i64> = programs.iter().map(|(id, _)| *id).collect();
        apply(catalog, cards, conn, &ids, today)?;
        self.programs.applied(programs);
        let groups = self.groups.fresh(repo::changed_groups(conn, self.groups.since())?);
        if !groups.is_empty() {
            let ids: Vec<i64> = groups.iter().map(|(id, _)| *id).collect();
            cards.forget(&repo::programs_of_groups(conn, &ids)?);
            self.groups.applied(groups);
        }
        Ok(ids.len())
    }
}

/// Polls the database for changed programs until `stop`.
pub async fn refresh(
    pool: Pool,
    catalog: Arc<CatalogIndex>,
    cards: Arc<CardCache>,
    clock: Clock,
    every: Duration,
    mut stop: watch::Receiver<bool>,
) {
    let start = clock.now();
    let mut poll = Poll { programs: Seen::starting(start), groups: Seen::starting(start), indexed_on: clock.today() };
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => return,
        }
        let pool = pool.clone();
        let (catalog, cards) = (catalog.clone(), cards.clone());
        let clock = clock.clone();
        let pass = tokio::task::spawn_blocking(move || {
            let result = pool.get().map_err(anyhow::Error::from).and_then(|mut conn| {
                clock.enter(|| poll.tick(&catalog, &cards, &mut conn)).map_err(|e| anyhow::anyhow!("{e:?}"))
            });
            (poll, result)
        })
        .await;
        match pass {
            Ok((next, result)) => {
                poll = next;
                if let Err(error) = result {
                    tracing::warn!(error = format!("{error:#}"), "catalog index refresh failed");
                }
            }
            Err(error) => {
                tracing::error!(error = %error, "catalog index refresh stopped");
                return;
            }
        }
    }
}
