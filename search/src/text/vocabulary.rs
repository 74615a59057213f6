//! The terms the index holds, kept in memory to expand a query word into
//! the terms it stands for: its stem, terms it begins, and near misspellings.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;

use super::analysis::QueryWord;
use super::typos::{MIN_TYPO_WORD, Typos};

/// At most this many misspelling terms per query word, nearest first.
pub(crate) const MAX_NEAR_TERMS: usize = 30;
/// The longest beginning (in letters) the index holds of each term: a
/// longer one is expanded here into the terms it begins, which are few.
pub(crate) const MAX_BEGINNING: usize = 8;
/// At most this many terms for one longer beginning, the most common first.
pub(crate) const MAX_PREFIXED_TERMS: usize = 64;

/// Indexed terms with the number of programs holding each.
///
/// Each distinct term is held once and named by a number: a program's terms
/// are kept as those numbers, since a catalog has far fewer distinct terms
/// than programs times terms.
#[derive(Debug, Default)]
pub(crate) struct Vocabulary {
    /// Term numbers in term order, for prefix ranges.
    ids: BTreeMap<Box<str>, u32>,
    /// By term number: the term and its number of programs. A term no
    /// program holds any more leaves `ids` and its number is reused.
    terms: Vec<Held>,
    free: Vec<u32>,
    terms_by_slot: HashMap<u32, Box<[u32]>>,
}

#[derive(Debug)]
struct Held {
    term: Box<str>,
    programs: u32,
}

/// The terms a query word matches, by strength of the match.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Expansion {
    /// The word's stem, when indexed.
    pub exact: Option<String>,
    /// The word, its stem or an alternate stem, each at most
    /// [`MAX_BEGINNING`] letters and beginning some indexed term: looked up
    /// among the terms' beginnings.
    pub beginnings: Vec<String>,
    /// Terms a longer word, stem or alternate stem begins.
    pub prefixed: Vec<String>,
    /// Terms the stem is a slight misspelling of.
    pub near: Vec<String>,
}

impl Expansion {
    /// Whether the word matches nothing.
    pub(crate) fn is_empty(&self) -> bool {
        self.exact.is_none() && self.beginnings.is_empty() && self.prefixed.is_empty() && self.near.is_empty()
    }
}

impl Vocabulary {
    /// Sets the terms of a slot's program, replacing what it had.
    pub(crate) fn insert(&mut self, slot: u32, mut terms: Vec<String>) {
        self.remove(slot);
        terms.sort_unstable();
        terms.dedup();
        let ids = terms.into_iter().map(|term| self.intern(term)).collect();
        self.terms_by_slot.insert(slot, ids);
    }

    /// Forgets the terms of a slot's program.
    pub(crate) fn remove(&mut self, slot: u32) {
        for id in self.terms_by_slot.remove(&slot).unwrap_or_default() {
            let held = &mut self.terms[id as usize];
            held.programs -= 1;
            if held.programs == 0 {
                self.ids.remove(&held.term);
                held.term = Box::default();
                self.free.push(id);
            }
        }
    }

    /// The number of `term`, counting one more program holding it.
    fn intern(&mut self, term: String) -> u32 {
        if let Some(&id) = self.ids.get(term.as_str()) {
            self.terms[id as usize].programs += 1;
            return id;
        }
        let term = term.into_boxed_str();
        let held = Held { term: term.clone(), programs: 1 };
        let id = match self.free.pop() {
            Some(id) => {
                self.terms[id as usize] = held;
                id
            }
            None => {
                let id = u32::try_from(self.terms.len()).unwrap_or(u32::MAX);
                self.terms.push(held);
                id
            }
        };
        self.ids.insert(term, id);
        id
    }

    /// The terms a query word matches.
    pub(crate) fn expand(&self, word: &QueryWord) -> Expansion {
        let exact = self.ids.contains_key(word.stem.as_str()).then(|| word.stem.clone());
        let mut beginnings = Vec::new();
        let mut prefixed = BTreeSet::new();
        for prefix in word.prefixes() {
            if prefix.chars().count() <= MAX_BEGINNING {
                if self.starting_with(&prefix).next().is_some() {
                    beginnings.push(prefix);
                }
            } else {
                let mut terms: Vec<(&str, u32)> = self.starting_with(&prefix).collect();
                terms.sort_unstable_by_key(|(term, programs)| (Reverse(*programs), *term));
                prefixed.extend(terms.into_iter().take(MAX_PREFIXED_TERMS).map(|(term, _)| term));
            }
        }
        prefixed.remove(word.stem.as_str());
        // A beginning that another one begins adds no program: only the shortest stay,
        // so a program is counted once per beginning it holds.
        let shortest: Vec<String> = beginnings
            .iter()
            .filter(|b| !beginnings.iter().any(|other| other.len() < b.len() && b.starts_with(other.as_str())))
            .cloned()
            .collect();
        let beginnings = shortest;
        // A word the catalog knows as written (or as a beginning) is not read as a
        // misspelling: «робот» must not find «работ».
        let known = exact.is_some() || !beginnings.is_empty() || !prefixed.is_empty();
        let near = if !known && word.word.chars().count() >= MIN_TYPO_WORD {
            self.near(&word.stem, |term| term == word.stem || prefixed.contains(term))
        } else {
            Vec::new()
        };
        Expansion { exact, beginnings, prefixed: prefixed.into_iter().map(str::to_owned).collect(), near }
    }

    /// The terms beginning with `prefix`, with their numbers of programs.
    fn starting_with<'a>(&'a self, prefix: &str) -> impl Iterator<Item = (&'a str, u32)> + use<'a> {
        let end = past_prefix(prefix);
        let upper = end.as_deref().map_or(Bound::Unbounded, Bound::Excluded);
        self.ids
            .range::<str, _>((Bound::Included(prefix), upper))
            .map(|(term, id)| (&**term, self.terms[*id as usize].programs))
    }

    /// Terms within the edits allowed for `stem`'s length, nearest and most
    /// common first, at most [`MAX_NEAR_TERMS`], without the `skip`ped ones.
    /// The first letter must be right: typos there are rare, and so only the
    /// terms of one letter are scanned.
    fn near(&self, stem: &str, skip: impl Fn(&str) -> bool) -> Vec<String> {
        let mut typos = Typos::new(stem);
        let Some(first) = stem.chars().next().filter(|_| typos.max() > 0) else {
            return Vec::new();
        };
        let mut found: Vec<(usize, Reverse<u32>, &str)> = Vec::new();
        for (term, programs) in self.starting_with(first.encode_utf8(&mut [0; 4])) {
            if let Some(distance) = typos.distance(term)
                && !skip(term)
            {
                found.push((distance, Reverse(programs), term));
            }
        }
        found.sort_unstable();
        found.into_iter().take(MAX_NEAR_TERMS).map(|(_, _, term)| term.to_owned()).collect()
    }
}

/// The distinct beginnings of `terms`, from one letter up to [`MAX_BEGINNING`].
pub(crate) fn beginnings(terms: &[String]) -> BTreeSet<&str> {
    let mut out = BTreeSet::new();
    for term in terms {
        for (at, _) in term.char_indices().skip(1).take(MAX_BEGINNING) {
            out.insert(&term[..at]);
        }
        if term.chars().count() <= MAX_BEGINNING {
            out.insert(term.as_str());
        }
    }
    out
}

/// The least string above every string beginning with `prefix`; `None` when
/// there is none (an empty prefix or one of the last characters only).
fn past_prefix(prefix: &str) -> Option<String> {
    let mut letters: Vec<char> = prefix.chars().collect();
    while let Some(last) = letters.pop() {
        let next = match last {
            '\u{D7FF}' => Some('\u{E000}'),
            other => char::from_u32(u32::from(other) + 1),
        };
        if let Some(next) = next {
            letters.push(next);
            return Some(letters.into_iter().collect());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(word: &str, stem: &str) -> QueryWord {
        QueryWord { word: word.into(), stem: stem.into() }
    }

    fn vocabulary(terms: &[&str]) -> Vocabulary {
        let mut vocabulary = Vocabulary::default();
        vocabulary.insert(0, terms.iter().map(|t| (*t).to_owned()).collect());
        vocabulary
    }

    #[test]
    fn expands_by_stem_prefix_and_typo() {
        let vocabulary = vocabulary(&["робот", "робототехник", "шахматн", "клуб"]);
        let expansion = vocabulary.expand(&word("робот", "робот"));
        assert_eq!(expansion.exact.as_deref(), Some("робот"));
        assert_eq!(expansion.beginnings, vec!["робот"]);
        let long = vocabulary.expand(&word("робототехн", "робототехн"));
        assert_eq!((long.beginnings.len(), long.prefixed), (0, vec!["робототехник".to_owned()]));
        let typo = vocabulary.expand(&word("робатехника", "робатехник"));
        assert_eq!(typo.near, vec!["робототехник"]);
        assert!(vocabulary.expand(&word("футбол", "футбол")).is_empty());
    }

    #[test]
    fn prefix_ranges_end_after_the_prefix() {
        assert_eq!(past_prefix("елк").as_deref(), Some("елл"));
        assert_eq!(past_prefix("a\u{10FFFF}").as_deref(), Some("b"));
        assert_eq!(past_prefix(""), None);
        let vocabulary = vocabulary(&["ел", "елк", "елки", "елл", "ель"]);
        let terms: Vec<&str> = vocabulary.starting_with("елк").map(|(term, _)| term).collect();
        assert_eq!(terms, vec!["елк", "елки"]);
    }

    #[test]
    fn short_words_are_not_misspellings() {
        let vocabulary = vocabulary(&["клуб"]);
        assert!(vocabulary.expand(&word("клю", "клю")).is_empty());
        assert_eq!(vocabulary.expand(&word("клюб", "клюб")).near, vec!["клуб"]);
    }

    #[test]
    fn beginnings_reach_the_longest_held() {
        let terms = vec!["клуб".to_owned(), "робототехник".to_owned()];
        let found: Vec<&str> = beginnings(&terms).into_iter().collect();
        assert_eq!(
            found,
            vec!["к", "кл", "клу", "клуб", "р", "ро", "роб", "робо", "робот", "робото", "роботот", "робототе"]
        );
    }

    #[test]
    fn misspellings_are_capped() {
        let terms: Vec<String> = (0..100).map(|i| format!("абвгдежзи{i:02}")).collect();
        let mut vocabulary = Vocabulary::default();
        vocabulary.insert(7, terms);
        assert_eq!(vocabulary.expand(&word("абвгдежзиклм", "абвгдежзиклм")).near.len(), MAX_NEAR_TERMS);
    }

    #[test]
    fn removal_forgets_terms_no_longer_held() {
        let mut vocabulary = vocabulary(&["клуб", "шахматн"]);
        vocabulary.insert(1, vec!["клуб".into()]);
        vocabulary.remove(0);
        assert!(vocabulary.expand(&word("шахматн", "шахматн")).is_empty());
        assert_eq!(vocabulary.expand(&word("клуб", "клуб")).exact.as_deref(), Some("клуб"));
        vocabulary.insert(1, vec!["ладь".into()]);
        assert_eq!(vocabulary.expand(&word("клуб", "клуб")), Expansion::default());
    }

    #[test]
    fn numbers_of_forgotten_terms_are_reused() {
        let mut vocabulary = vocabulary(&["клуб", "шахматн"]);
        vocabulary.insert(1, vec!["шахматн".into(), "ладь".into()]);
        vocabulary.remove(0);
        vocabulary.insert(2, vec!["робот".into(), "ладь".into()]);
        assert_eq!(vocabulary.terms.len(), 3, "«робот» took the number «клуб» had");
        let counts: Vec<(&str, u32)> = vocabulary.starting_with("").collect();
        assert_eq!(counts, vec![("ладь", 2), ("робот", 1), ("шахматн", 1)]);
        assert!(vocabulary.expand(&word("клуб", "клуб")).is_empty());
    }
}
