//! Answers of the public catalog kept until the index changes: the same
//! search asked again (the catalog's first page, a popular filter) is served
//! without searching and without serializing again.

use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::web::Bytes;
use quick_cache::Weighter;
use quick_cache::sync::Cache;
use serde::Serialize;

/// `value` as JSON in an allocation of exactly its length, so that a cached
/// body holds the memory its weight counts (a buffer grown while writing
/// has up to twice its length).
pub fn json_body<T: Serialize>(value: &T) -> serde_json::Result<Bytes> {
    let mut json = serde_json::to_vec(value)?;
    json.shrink_to_fit();
    Ok(Bytes::from(json))
}

/// The catalog's caches sharing `bytes` of memory: a quarter for answers
/// (the searches asked again and again are few: the first page, popular
/// filters), the rest for cards, which are read across the whole catalog.
pub fn within(bytes: u64) -> (AnswerCache, CardCache) {
    let answers = bytes / 4;
    (AnswerCache::new(answers), CardCache::new(bytes - answers))
}

/// Serialized answers by the request's canonical form, with the index
/// generation they were computed at. Holds at most about `bytes` of keys and
/// answers; when full, the least used go first (S3-FIFO). A cache of 0 bytes
/// keeps nothing.
pub struct AnswerCache {
    /// One answer per query: an answer of a newer generation replaces the
    /// older one, so stale answers do not pile up under the same key.
    entries: Option<Cache<String, (u64, Bytes), BySize>>,
}

/// The weight of an answer: the bytes it holds.
#[derive(Clone)]
struct BySize;

impl Weighter<String, (u64, Bytes)> for BySize {
    fn weight(&self, key: &String, (_, body): &(u64, Bytes)) -> u64 {
        (key.len() + body.len() + 64) as u64
    }
}

/// A typical answer (a page of 20 programs with facets), for sizing the table.
const TYPICAL_ANSWER: u64 = 16 * 1024;

impl AnswerCache {
    pub fn new(bytes: u64) -> Self {
        let items = usize::try_from(bytes / TYPICAL_ANSWER).unwrap_or(usize::MAX).max(1);
        Self { entries: (bytes > 0).then(|| Cache::with_weighter(items, bytes, BySize)) }
    }

    /// The answer for `key` if it was computed at `generation`.
    pub fn get(&self, key: &str, generation: u64) -> Option<Bytes> {
        self.entries.as_ref()?.get(key).filter(|(at, _)| *at == generation).map(|(_, body)| body)
    }

    /// Keeps an answer computed at `generation`.
    pub fn put(&self, key: String, generation: u64, body: Bytes) {
        if let Some(entries) = &self.entries {
            entries.insert(key, (generation, body));
        }
    }

    /// The bytes held now.
    pub fn weight(&self) -> u64 {
        self.entries.as_ref().map_or(0, Cache::weight)
    }
}

/// Public program cards as JSON, by program id, filled on first view. A card
/// is kept LZ4-compressed (about a third of its JSON) and unpacked when read,
/// in microseconds, so the whole catalog's cards fit in a modest budget.
///
/// A card leaves the cache when its program is reindexed (the same path
/// that keeps the catalog index in step, on this instance and, through the
/// poll, on the others) and when a place of one of its groups is taken or
/// given back. A card read from the database while a change went by is not
/// kept: [`CardCache::epoch`] moves with every change.
pub struct CardCache {
    entries: Option<Cache<i64, Bytes, CardSize>>,
    epoch: AtomicU64,
}

/// The weight of a card: the bytes its compressed form holds.
#[derive(Clone)]
struct CardSize;

impl Weighter<i64, Bytes> for CardSize {
    fn weight(&self, _: &i64, packed: &Bytes) -> u64 {
        packed.len() as u64 + 32
    }
}

/// A typical compressed card (description, organization, a few groups), for sizing the table.
const TYPICAL_CARD: u64 = 1536;

impl CardCache {
    /// Holds about `bytes` of cards; 0 keeps nothing.
    pub fn new(bytes: u64) -> Self {
        let items = usize::try_from(bytes / TYPICAL_CARD).unwrap_or(usize::MAX).max(1);
        Self { entries: (bytes > 0).then(|| Cache::with_weighter(items, bytes, CardSize)), epoch: AtomicU64::new(0) }
    }

    pub fn get(&self, program: i64) -> Option<Bytes> {
        let packed = self.entries.as_ref()?.get(&program)?;
        lz4_flex::decompress_size_prepended(&packed).ok().map(Bytes::from)
    }

    /// Read before loading a card from the database, given back to [`CardCache::put`].
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// Keeps a card loaded at `epoch`, unless something changed since.
    pub fn put(&self, program: i64, epoch: u64, body: Bytes) {
        if let Some(entries) = &self.entries {
            let mut packed = lz4_flex::compress_prepend_size(&body);
            packed.shrink_to_fit();
            entries.insert(program, Bytes::from(packed));
            // A change that went by meanwhile may have been missed by the load.
            if self.epoch() != epoch {
                entries.remove(&program);
            }
        }
    }

    /// The programs' cards changed.
    pub fn forget(&self, programs: &[i64]) {
        self.epoch.fetch_add(1, Ordering::AcqRel);
        if let Some(entries) = &self.entries {
            for program in programs {
                entries.remove(program);
            }
        }
    }

    /// Every card changed (the index was rebuilt, e.g. on a new day).
    pub fn forget_all(&self) {
        self.epoch.fetch_add(1, Ordering::AcqRel);
        if let Some(entries) = &self.entries {
            entries.clear();
        }
    }

    /// The bytes held now.
    pub fn weight(&self) -> u64 {
        self.entries.as_ref().map_or(0, Cache::weight)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_lives_until_the_generation_moves() {
        let cache = AnswerCache::new(1024 * 1024);
        cache.put("a".into(), 1, Bytes::from_static(b"1"));
        assert_eq!(cache.get("a", 1), Some(Bytes::from_static(b"1")));
        assert_eq!(cache.get("a", 2), None, "an answer of an older generation is never served");
        cache.put("a".into(), 2, Bytes::from_static(b"2"));
        assert_eq!(cache.get("a", 2), Some(Bytes::from_static(b"2")));
        assert_eq!(cache.get("a", 1), None, "the newer answer replaced the older one");
    }

    #[test]
    fn the_cache_stays_within_its_bytes() {
        let cache = AnswerCache::new(100 * 1024);
        let answer = Bytes::from(vec![b'x'; 1000]);
        for i in 0..10_000u64 {
            cache.put(format!("query {i}"), 1, answer.clone());
            assert!(cache.weight() <= 100 * 1024, "{} bytes kept", cache.weight());
        }
        assert_eq!(cache.get("query 9999", 1), Some(answer));
    }

    #[test]
    fn both_caches_fit_in_one_budget() {
        let (answers, cards) = within(1024 * 1024);
        let body = Bytes::from(vec![b'x'; 1000]);
        for i in 0..10_000 {
            answers.put(format!("query {i}"), 1, body.clone());
            cards.put(i, cards.epoch(), body.clone());
        }
        assert!(answers.weight() + cards.weight() <= 1024 * 1024);
        assert!(answers.weight() < cards.weight(), "cards have the larger share");
        let (answers, cards) = within(0);
        cards.put(1, cards.epoch(), body);
        assert_eq!((answers.weight(), cards.weight()), (0, 0));
    }

    #[test]
    fn a_cache_of_no_bytes_keeps_nothing() {
        let cache = AnswerCache::new(0);
        cache.put("a".into(), 1, Bytes::from_static(b"1"));
        assert_eq!((cache.get("a", 1), cache.weight()), (None, 0));
    }

    #[test]
    fn a_card_comes_back_as_it_went_in_and_is_kept_smaller() {
        let cards = CardCache::new(1024 * 1024);
        let group = r#"{"name":"Группа 1","teacher":"Иванова Анна Петровна","schedule":"пн, ср 16:00–17:30","capacity":15,"open":true}"#;
        let json = format!(
            r#"{{"id":42,"title":"Робототехника","description":"Собираем и программируем роботов.","groups":[{}]}}"#,
            [group; 8].join(",")
        );
        cards.put(42, cards.epoch(), Bytes::from(json.clone()));
        assert_eq!(cards.get(42), Some(Bytes::from(json.clone())));
        assert!(cards.weight() < json.len() as u64 / 2, "{} bytes kept for {}", cards.weight(), json.len());
    }

    #[test]
    fn a_card_loaded_while_a_change_went_by_is_not_kept() {
        let cards = CardCache::new(1024 * 1024);
        let before = cards.epoch();
        cards.put(7, before, Bytes::from_static(b"{}"));
        assert_eq!(cards.get(7), Some(Bytes::from_static(b"{}")));
        let loading = cards.epoch();
        cards.forget(&[7]);
        assert_eq!(cards.get(7), None);
        cards.put(7, loading, Bytes::from_static(b"{\"stale\":true}"));
        assert_eq!(cards.get(7), None, "the load started before the change");
        cards.put(7, cards.epoch(), Bytes::from_static(b"{}"));
        cards.forget_all();
        assert_eq!((cards.get(7), cards.weight()), (None, 0));
    }
}
