//! Answers of the public catalog kept until the index changes: the same
//! search asked again (the catalog's first page, a popular filter) is served
//! without searching and without serializing again.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use actix_web::web::Bytes;

/// Serialized answers by the request's canonical form, with the index
/// generation they were computed at.
pub struct AnswerCache {
    entries: Mutex<HashMap<String, (u64, Bytes)>>,
    capacity: usize,
}

impl AnswerCache {
    pub fn new(capacity: usize) -> Self {
        Self { entries: Mutex::new(HashMap::new()), capacity }
    }

    /// The answer for `key` if it was computed at `generation`.
    pub fn get(&self, key: &str, generation: u64) -> Option<Bytes> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.get(key).filter(|(at, _)| *at == generation).map(|(_, body)| body.clone())
    }

    /// Keeps an answer; when full, answers of older generations go first,
    /// then everything.
    pub fn put(&self, key: String, generation: u64, body: Bytes) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= self.capacity {
            entries.retain(|_, (at, _)| *at == generation);
            if entries.len() >= self.capacity {
                entries.clear();
            }
        }
        entries.insert(key, (generation, body));
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
        assert_eq!(cache.get("a", 2), None);
        cache.put("b".into(), 2, Bytes::from_static(b"2"));
        cache.put("c".into(), 2, Bytes::from_static(b"3"));
        assert_eq!(cache.get("a", 1), None, "older answers leave first");
        assert_eq!(cache.get("c", 2), Some(Bytes::from_static(b"3")));
    }
}
