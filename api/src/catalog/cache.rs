//! Answers of the public catalog kept until the index changes: the same
//! search asked again (the catalog's first page, a popular filter) is served
//! without searching and without serializing again.

use actix_web::web::Bytes;
use quick_cache::sync::Cache;

/// Serialized answers by the request's canonical form, with the index
/// generation they were computed at. Holds at most about `capacity` answers;
/// when full, the least used go first (S3-FIFO).
pub struct AnswerCache {
    /// One answer per query: an answer of a newer generation replaces the
    /// older one, so stale answers do not pile up under the same key.
    entries: Cache<String, (u64, Bytes)>,
}

impl AnswerCache {
    pub fn new(capacity: usize) -> Self {
        Self { entries: Cache::new(capacity) }
    }

    /// The answer for `key` if it was computed at `generation`.
    pub fn get(&self, key: &str, generation: u64) -> Option<Bytes> {
        self.entries.get(key).filter(|(at, _)| *at == generation).map(|(_, body)| body)
    }

    /// Keeps an answer computed at `generation`.
    pub fn put(&self, key: String, generation: u64, body: Bytes) {
        self.entries.insert(key, (generation, body));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_lives_until_the_generation_moves() {
        let cache = AnswerCache::new(2);
        cache.put("a".into(), 1, Bytes::from_static(b"1"));
        assert_eq!(cache.get("a", 1), Some(Bytes::from_static(b"1")));
        assert_eq!(cache.get("a", 2), None, "an answer of an older generation is never served");
        cache.put("a".into(), 2, Bytes::from_static(b"2"));
        assert_eq!(cache.get("a", 2), Some(Bytes::from_static(b"2")));
        assert_eq!(cache.get("a", 1), None, "the newer answer replaced the older one");
    }

    #[test]
    fn the_cache_stays_bounded() {
        let cache = AnswerCache::new(100);
        for i in 0..10_000u64 {
            cache.put(format!("query {i}"), 1, Bytes::from(i.to_string()));
            assert!(cache.entries.len() <= 100, "{} answers kept", cache.entries.len());
        }
        assert_eq!(cache.get("query 9999", 1), Some(Bytes::from_static(b"9999")));
    }
}
