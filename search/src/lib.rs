//! The catalog index of published programs (see ARCHITECTURE, «Catalog search»).
//!
//! The database stays the source of truth: the API fills the index at start
//! ([`CatalogIndex::replace_all`]) and keeps it current on every write
//! ([`CatalogIndex::upsert`], [`CatalogIndex::remove`]). Searches answer the
//! public catalog list with filters, facets, sort and pages, and the map.
//!
//! Filters, facets and orders live in memory as bitsets of slots and sorted
//! slot lists; only a text query goes to tantivy (Russian analysis, prefixes
//! and misspellings), whose matches become one more bitset.

mod bitset;
mod catalog;
mod error;
mod filters;
mod map;
mod orders;
mod text;

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use chrono::NaiveDateTime;
use navigator_shared::catalog::{BBox, CatalogPage, CatalogQuery, MapPage, ProgramSummary, Sort};

use bitset::Bitset;
use catalog::{Catalog, Entry};
pub use error::SearchError;

/// The Russian stems of a text as the catalog indexes it (lowercased, `ё`
/// read as `е`): for small searches outside the index, such as the events
/// calendar.
pub fn stems(text: &str) -> Vec<String> {
    text::Analyzer::default().terms(text)
}
use filters::Selection;
use orders::Order;
use text::{Hit, TextSearch, TextWriter};

/// A published program as the index takes it.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexedProgram {
    /// What the list and the map return, as is.
    pub summary: ProgramSummary,
    /// Searched, never returned.
    pub description: String,
    /// When the program was published: the order of «newest».
    pub published_at: NaiveDateTime,
}

impl From<IndexedProgram> for Entry {
    fn from(program: IndexedProgram) -> Entry {
        Entry { summary: program.summary, published_at: program.published_at }
    }
}

/// The in-process catalog index. `Send + Sync`: share it in an `Arc`;
/// searches run concurrently, writes one at a time.
pub struct CatalogIndex {
    /// Serializes writes: a write prepares and commits text changes holding
    /// it, then swaps them in under a short lock of `state`.
    writer: Mutex<TextWriter>,
    /// What searches read.
    state: RwLock<State>,
    /// Counts the writes: an answer computed at one generation stays right
    /// until the next.
    generation: AtomicU64,
}

/// The programs and their text index, changed together.
struct State {
    catalog: Catalog,
    text: TextSearch,
}

impl fmt::Debug for CatalogIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CatalogIndex").field("programs", &self.len()).finish_non_exhaustive()
    }
}

impl CatalogIndex {
    /// An empty index.
    pub fn new() -> Result<Self, SearchError> {
        let (writer, text) = text::open()?;
        Ok(CatalogIndex {
            writer: Mutex::new(writer),
            state: RwLock::new(State { catalog: Catalog::default(), text }),
            generation: AtomicU64::new(0),
        })
    }

    /// Replaces every program at once (one commit). Of programs with the same
    /// id the last one is kept. Searches see the old catalog until it is done.
    pub fn replace_all(&self, programs: Vec<IndexedProgram>) -> Result<(), SearchError> {
        let programs = last_of_each_id(programs);
        let mut writer = self.lock_writer();
        let (mut new_writer, mut text) = text::open()?;
        // The new vocabulary is not searched before the swap below, so terms
        // go into it as documents are added.
        new_writer.transaction(|w| {
            for (slot, program) in (0u32..).zip(&programs) {
                text.remember(slot, w.add(slot, program)?);
            }
            Ok(())
        })?;
        text.reload()?;
        let catalog = Catalog::build(programs.into_iter().map(Entry::from).collect());
        let old_state = std::mem::replace(&mut *self.write(), State { catalog, text });
        self.generation.fetch_add(1, Ordering::SeqCst);
        let old_writer = std::mem::replace(&mut *writer, new_writer);
        drop(writer);
        drop((old_state, old_writer));
        Ok(())
    }

    /// Inserts a program or replaces the one with its `summary.id`; searches
    /// see it as soon as this returns.
    pub fn upsert(&self, program: IndexedProgram) -> Result<(), SearchError> {
        self.upsert_many(vec![program])
    }

    /// [`CatalogIndex::upsert`] of several programs in one commit.
    pub fn upsert_many(&self, programs: Vec<IndexedProgram>) -> Result<(), SearchError> {
        let programs = last_of_each_id(programs);
        if programs.is_empty() {
            return Ok(());
        }
        let mut writer = self.lock_writer();
        let slots = self.read().catalog.plan_slots(programs.iter().map(|p| p.summary.id));
        let terms: Vec<Vec<String>> = writer.transaction(|w| {
            slots
                .iter()
                .zip(&programs)
                .map(|(&slot, program)| {
                    w.delete(slot);
                    w.add(slot, program)
                })
                .collect()
        })?;
        let mut state = self.write();
        state.text.reload()?;
        for ((slot, program), terms) in slots.into_iter().zip(programs).zip(terms) {
            state.text.remember(slot, terms);
            state.catalog.put(slot, program.into());
        }
        self.generation.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    /// Removes the program with this id; nothing happens when it is absent.
    pub fn remove(&self, id: i64) -> Result<(), SearchError> {
        let mut writer = self.lock_writer();
        let Some(slot) = self.read().catalog.slot_of(id) else {
            return Ok(());
        };
        writer.transaction(|w| {
            w.delete(slot);
            Ok(())
        })?;
        let mut state = self.write();
        state.text.reload()?;
        state.text.forget(slot);
        state.catalog.remove(slot);
        self.generation.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    /// The number of writes so far. Read it before searching: an answer is
    /// current while the generation has not moved.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// The number of programs.
    pub fn len(&self) -> usize {
        self.read().catalog.len()
    }

    /// Whether the index has no program.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of the organization's programs in the index.
    pub fn programs_of_organization(&self, organization: i64) -> i64 {
        i64::try_from(self.read().catalog.filters().programs_of_organization(organization)).unwrap_or(i64::MAX)
    }

    /// Whether the program with this id is in the index.
    pub fn contains(&self, id: i64) -> bool {
        self.read().catalog.slot_of(id).is_some()
    }

    /// A page of the programs matching `query`, in its order, with the total
    /// and the facets. `page >= 1` and `per_page >= 1` are the caller's to check.
    pub fn search(&self, query: &CatalogQuery, page: i64, per_page: i64) -> Result<CatalogPage, SearchError> {
        let state = self.read();
        let sort = query.sort.unwrap_or(Sort::Relevance);
        let hits = state.text_hits(query, sort == Sort::Relevance)?;
        let selection = state.select(query, hits.as_deref());
        let matches = selection.matches();
        let offset = usize::try_from(page.saturating_sub(1).saturating_mul(per_page)).unwrap_or(usize::MAX);
        let limit = usize::try_from(per_page).unwrap_or(0);
        let slots = match hits {
            Some(hits) if sort == Sort::Relevance => state.top_by_score(hits, &matches, offset, limit),
            _ => state
                .catalog
                .ordered(Order::of(sort))
                .filter(|s| matches.contains(*s))
                .skip(offset)
                .take(limit)
                .collect(),
        };
        Ok(CatalogPage {
            items: slots.into_iter().filter_map(|slot| state.catalog.entry(slot)).map(|e| e.summary.clone()).collect(),
            total: i64::try_from(matches.len()).unwrap_or(i64::MAX),
            page,
            per_page,
            facets: selection.facets(),
        })
    }

    /// The markers of the programs matching `filters` (text included) inside
    /// `bbox`: one per program from [`navigator_shared::catalog::CLUSTER_BELOW_ZOOM`]
    /// on (at most 2,000, newest first), grid clusters below it.
    pub fn map(&self, filters: &CatalogQuery, bbox: BBox, zoom: u8) -> Result<MapPage, SearchError> {
        let state = self.read();
        let hits = state.text_hits(filters, false)?;
        let matches = state.select(filters, hits.as_deref()).matches();
        Ok(map::markers(&state.catalog, &matches, bbox, zoom))
    }

    fn lock_writer(&self) -> MutexGuard<'_, TextWriter> {
        self.writer.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn read(&self) -> RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(PoisonError::into_inner)
    }
}

impl State {
    /// The text matches of the query's `q`; `None` without a text query.
    fn text_hits(&self, query: &CatalogQuery, scored: bool) -> Result<Option<Vec<Hit>>, SearchError> {
        match query.q.as_deref() {
            Some(q) => Ok(self.text.search(q, scored)?),
            None => Ok(None),
        }
    }

    fn select(&self, query: &CatalogQuery, hits: Option<&[Hit]>) -> Selection<'_> {
        let text: Option<Bitset> = hits.map(|hits| hits.iter().map(|(slot, _)| *slot).collect());
        self.catalog.filters().select(query, text.as_ref())
    }

    /// The `limit` best matches from `offset`: score desc, then id desc.
    fn top_by_score(&self, hits: Vec<Hit>, matches: &Bitset, offset: usize, limit: usize) -> Vec<u32> {
        let mut ranked: Vec<(f32, i64, u32)> = hits
            .into_iter()
            .filter(|(slot, _)| matches.contains(*slot))
            .filter_map(|(slot, score)| Some((score, self.catalog.entry(slot)?.summary.id, slot)))
            .collect();
        if offset >= ranked.len() {
            return Vec::new();
        }
        let best_first = |a: &(f32, i64, u32), b: &(f32, i64, u32)| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1));
        let end = offset.saturating_add(limit).min(ranked.len());
        if end < ranked.len() {
            ranked.select_nth_unstable_by(end, best_first);
            ranked.truncate(end);
        }
        ranked.sort_unstable_by(best_first);
        ranked.into_iter().skip(offset).map(|(_, _, slot)| slot).collect()
    }
}

/// The programs in their order, keeping only the last of each id.
fn last_of_each_id(programs: Vec<IndexedProgram>) -> Vec<IndexedProgram> {
    let last: HashMap<i64, usize> = programs.iter().enumerate().map(|(at, p)| (p.summary.id, at)).collect();
    programs.into_iter().enumerate().filter(|(at, p)| last.get(&p.summary.id) == Some(at)).map(|(_, p)| p).collect()
}
