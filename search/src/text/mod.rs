//! Full-text search of programs: a tantivy index with Russian analysis, in
//! memory-mapped files of a temporary directory (its pages are the kernel's
//! page cache, which it can take back, not the process's own memory), and
//! the in-memory vocabulary that expands query words into
//! prefixes and misspellings.
//!
//! Every searched field has a twin holding the beginnings of its terms (up
//! to [`vocabulary::MAX_BEGINNING`] letters), so a query word read as a beginning is one
//! term lookup however many terms it begins: «ро» costs what «робот» costs.

mod analysis;
mod typos;
mod vocabulary;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{FAST, Field, INDEXED, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::{
    DocId, Index, IndexReader, IndexWriter, ReloadPolicy, Score, SegmentOrdinal, SegmentReader, TantivyDocument, Term,
};

pub(crate) use analysis::Analyzer;
pub(crate) use analysis::normalize_phrase;
use analysis::{ANALYZER_NAME, stemming_analyzer};
use vocabulary::{Expansion, Vocabulary, beginnings};

use crate::IndexedProgram;

/// The fast field holding each document's slot.
const SLOT: &str = "slot";
/// Memory of the single indexing thread.
const WRITER_MEMORY_BYTES: usize = 64 * 1024 * 1024;

/// Score weights of a field: a title match counts most, a description match least.
const TITLE_BOOST: Score = 4.0;
const PROFILE_BOOST: Score = 2.5;
const ORGANIZATION_BOOST: Score = 1.5;
const DESCRIPTION_BOOST: Score = 1.0;
/// Share of a field's weight for a term the word begins, and for a misspelt one.
const PREFIX_WEIGHT: Score = 0.6;
const NEAR_WEIGHT: Score = 0.3;

/// A program found by text: its slot and score.
pub(crate) type Hit = (u32, Score);

/// A searched field, the twin holding its terms' beginnings, and its boost.
#[derive(Clone, Copy)]
struct Searched {
    terms: Field,
    beginnings: Field,
    boost: Score,
}

#[derive(Clone, Copy)]
struct Fields {
    slot: Field,
    title: Searched,
    profile: Searched,
    organization: Searched,
    description: Searched,
}

impl Fields {
    fn schema() -> (Schema, Fields) {
        let mut builder = Schema::builder();
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default().set_tokenizer(ANALYZER_NAME).set_index_option(IndexRecordOption::WithFreqs),
        );
        // Each beginning is added as a value of its own, taken as it is.
        let beginnings = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default().set_tokenizer("raw").set_index_option(IndexRecordOption::Basic),
        );
        let mut searched = |name: &str, boost: Score| Searched {
            terms: builder.add_text_field(name, text.clone()),
            beginnings: builder.add_text_field(&format!("{name}_beginnings"), beginnings.clone()),
            boost,
        };
        let title = searched("title", TITLE_BOOST);
        let profile = searched("profile", PROFILE_BOOST);
        let organization = searched("organization", ORGANIZATION_BOOST);
        let description = searched("description", DESCRIPTION_BOOST);
        let slot = builder.add_u64_field(SLOT, INDEXED | FAST);
        (builder.build(), Fields { slot, title, profile, organization, description })
    }

    /// The searched fields.
    fn searched(self) -> [Searched; 4] {
        [self.title, self.profile, self.organization, self.description]
    }

    fn slot_term(self, slot: u32) -> Term {
        Term::from_field_u64(self.slot, u64::from(slot))
    }
}

/// Opens an empty index: its writer and its search side.
pub(crate) fn open() -> tantivy::Result<(TextWriter, TextSearch)> {
    let (schema, fields) = Fields::schema();
    let index = Index::builder().schema(schema).create_from_tempdir()?;
    index.tokenizers().register(ANALYZER_NAME, stemming_analyzer());
    let writer = index.writer_with_num_threads(1, WRITER_MEMORY_BYTES)?;
    let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
    let analyzer = Analyzer::default();
    Ok((
        TextWriter { writer, fields, analyzer: analyzer.clone() },
        TextSearch { reader, fields, analyzer, vocabulary: Vocabulary::default() },
    ))
}

/// The write side: documents go in, become visible to [`TextSearch`] after
/// [`TextWriter::transaction`] and [`TextSearch::reload`].
pub(crate) struct TextWriter {
    writer: IndexWriter<TantivyDocument>,
    fields: Fields,
    analyzer: Analyzer,
}

impl TextWriter {
    /// Runs `changes` and commits them, or rolls them back when one fails.
    /// Committed changes are durable but not yet visible to [`TextSearch`].
    pub(crate) fn transaction<T>(
        &mut self,
        changes: impl FnOnce(&mut Self) -> tantivy::Result<T>,
    ) -> tantivy::Result<T> {
        let outcome = changes(self).and_then(|out| self.writer.commit().map(|_| out));
        if outcome.is_err() {
            // The original error tells more than a failed rollback would.
            let _ = self.writer.rollback();
        }
        outcome
    }

    /// Indexes a program at an empty `slot`; returns its terms for
    /// [`TextSearch::remember`].
    pub(crate) fn add(&mut self, slot: u32, program: &IndexedProgram) -> tantivy::Result<Vec<String>> {
        let summary = &program.summary;
        let texts = [
            (self.fields.title, summary.title.as_str()),
            (self.fields.profile, summary.profile.as_str()),
            (self.fields.organization, summary.organization.name.as_str()),
            (self.fields.description, program.description.as_str()),
        ];
        let mut document = TantivyDocument::default();
        document.add_u64(self.fields.slot, u64::from(slot));
        let mut terms = Vec::new();
        for (field, text) in texts {
            document.add_text(field.terms, text);
            let own = self.analyzer.terms(text);
            for beginning in beginnings(&own) {
                document.add_text(field.beginnings, beginning);
            }
            terms.extend(own);
        }
        self.writer.add_document(document)?;
        Ok(terms)
    }

    /// Deletes the document of `slot`, if any.
    pub(crate) fn delete(&self, slot: u32) {
        self.writer.delete_term(self.fields.slot_term(slot));
    }
}

/// The read side: searches the committed documents, expanding words by the vocabulary.
pub(crate) struct TextSearch {
    reader: IndexReader,
    fields: Fields,
    analyzer: Analyzer,
    vocabulary: Vocabulary,
}

impl TextSearch {
    /// Shows the last commit to searches.
    pub(crate) fn reload(&self) -> tantivy::Result<()> {
        self.reader.reload()
    }

    /// Adds the terms of a slot's program to the vocabulary, replacing its old ones.
    pub(crate) fn remember(&mut self, slot: u32, terms: Vec<String>) {
        self.vocabulary.insert(slot, terms);
    }

    /// Removes the terms of a slot's program from the vocabulary.
    pub(crate) fn forget(&mut self, slot: u32) {
        self.vocabulary.remove(slot);
    }

    /// The programs matching every word of `text`, with scores when `scored`;
    /// `None` when the text has no word.
    pub(crate) fn search(&self, text: &str, scored: bool) -> tantivy::Result<Option<Vec<Hit>>> {
        let words = self.analyzer.clone().query_words(text);
        if words.is_empty() {
            return Ok(None);
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::with_capacity(words.len());
        for word in &words {
            let expansion = self.vocabulary.expand(word);
            if expansion.is_empty() {
                return Ok(Some(Vec::new()));
            }
            clauses.push((Occur::Must, self.word_query(&expansion)));
        }
        let query = BooleanQuery::new(clauses);
        self.reader.searcher().search(&query, &SlotCollector { scored }).map(Some)
    }

    /// Any field holding any of the word's terms; exact stems scored by BM25,
    /// beginnings and misspellings by a constant share of the field's boost.
    /// A beginning is one term of the field's twin: a plain term lookup, no
    /// term set to build and intersect with the dictionary.
    fn word_query(&self, expansion: &Expansion) -> Box<dyn Query> {
        let mut clauses = Vec::new();
        for field in self.fields.searched() {
            if let Some(stem) = &expansion.exact {
                let query = TermQuery::new(Term::from_field_text(field.terms, stem), IndexRecordOption::WithFreqs);
                clauses.push(boosted(Box::new(query), field.boost));
            }
            let begun = field.boost * PREFIX_WEIGHT;
            for beginning in &expansion.beginnings {
                let term = Term::from_field_text(field.beginnings, beginning);
                let query = ConstScoreQuery::new(Box::new(TermQuery::new(term, IndexRecordOption::Basic)), begun);
                clauses.push((Occur::Should, Box::new(query) as Box<dyn Query>));
            }
            for (terms, score) in [(&expansion.prefixed, begun), (&expansion.near, field.boost * NEAR_WEIGHT)] {
                if !terms.is_empty() {
                    clauses.push((Occur::Should, any_of(field.terms, terms, score)));
                }
            }
        }
        Box::new(BooleanQuery::new(clauses))
    }
}

/// Documents holding any of `terms` in `field`, each scored `score`
/// however many it holds. A union of term lookups: the terms are few (at
/// most [`vocabulary::MAX_PREFIXED_TERMS`] or [`vocabulary::MAX_NEAR_TERMS`]),
/// and a `TermSetQuery` would build an automaton of them on every request.
fn any_of(field: Field, terms: &[String], score: Score) -> Box<dyn Query> {
    let lookups = terms
        .iter()
        .map(|term| {
            let query = TermQuery::new(Term::from_field_text(field, term), IndexRecordOption::Basic);
            (Occur::Should, Box::new(query) as Box<dyn Query>)
        })
        .collect();
    Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(lookups)), score))
}

fn boosted(query: Box<dyn Query>, boost: Score) -> (Occur, Box<dyn Query>) {
    (Occur::Should, Box::new(BoostQuery::new(query, boost)))
}

/// Collects the slot and score of every matching document.
struct SlotCollector {
    scored: bool,
}

impl Collector for SlotCollector {
    type Fruit = Vec<Hit>;
    type Child = SlotSegmentCollector;

    fn for_segment(&self, _segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<SlotSegmentCollector> {
        Ok(SlotSegmentCollector { slots: reader.fast_fields().u64(SLOT)?, hits: Vec::new() })
    }

    fn requires_scoring(&self) -> bool {
        self.scored
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Hit>>) -> tantivy::Result<Vec<Hit>> {
        Ok(fruits.concat())
    }
}

struct SlotSegmentCollector {
    slots: Column<u64>,
    hits: Vec<Hit>,
}

impl SegmentCollector for SlotSegmentCollector {
    type Fruit = Vec<Hit>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some(slot) = self.slots.first(doc).and_then(|slot| u32::try_from(slot).ok()) {
            self.hits.push((slot, score));
        }
    }

    fn harvest(self) -> Vec<Hit> {
        self.hits
    }
}
