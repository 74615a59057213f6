//! Filters as bitsets of slots, one per value, and facets as popcounts.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;

use navigator_shared::ages::AgeRange;
use navigator_shared::catalog::{
    CatalogQuery, CostType, Direction, FacetCount, Facets, ProgramSummary, effective_cost,
};

use crate::bitset::{Bitset, EMPTY};
use crate::text::normalize_phrase;

/// Slots by the value of one attribute.
#[derive(Debug)]
struct Postings<K> {
    sets: HashMap<K, Bitset>,
}

impl<K> Default for Postings<K> {
    fn default() -> Self {
        Postings { sets: HashMap::new() }
    }
}

impl<K: Hash + Eq> Postings<K> {
    /// Adds or removes `slot` under `key`; a value no slot has any more is dropped.
    fn set(&mut self, key: K, slot: u32, present: bool) {
        if present {
            self.sets.entry(key).or_default().insert(slot);
        } else if let Some(set) = self.sets.get_mut(&key) {
            set.remove(slot);
            if set.is_empty() {
                self.sets.remove(&key);
            }
        }
    }

    /// The slots with the value (empty for an unknown one).
    fn get<Q: Hash + Eq + ?Sized>(&self, key: &Q) -> &Bitset
    where
        K: Borrow<Q>,
    {
        self.sets.get(key).unwrap_or(&EMPTY)
    }

    /// Non-zero counts of each value among `within`, most first, then by value.
    fn counts(&self, within: &Bitset, label: impl Fn(&K) -> String) -> Vec<FacetCount> {
        let mut counts: Vec<FacetCount> = self
            .sets
            .iter()
            .map(|(key, set)| (key, within.intersection_len(set)))
            .filter(|(_, count)| *count > 0)
            .map(|(key, count)| FacetCount { value: label(key), count: i64::try_from(count).unwrap_or(i64::MAX) })
            .collect();
        counts.sort_unstable_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        counts
    }
}

/// The bitsets of every filter of the catalog.
#[derive(Debug, Default)]
pub(crate) struct FilterIndex {
    live: Bitset,
    municipality: Postings<i64>,
    organization: Postings<i64>,
    direction: Postings<Direction>,
    cost: Postings<CostType>,
    profile: Postings<String>,
    age: Postings<i32>,
    open: Bitset,
}

impl FilterIndex {
    pub(crate) fn insert(&mut self, slot: u32, program: &ProgramSummary) {
        self.set(slot, program, true);
    }

    /// Removes a slot; `program` is what it was inserted with.
    pub(crate) fn remove(&mut self, slot: u32, program: &ProgramSummary) {
        self.set(slot, program, false);
    }

    fn set(&mut self, slot: u32, program: &ProgramSummary, present: bool) {
        set_bit(&mut self.live, slot, present);
        set_bit(&mut self.open, slot, present && program.open);
        self.municipality.set(program.municipality_id, slot, present);
        self.organization.set(program.organization.id, slot, present);
        self.direction.set(program.direction, slot, present);
        self.cost.set(effective_cost(program.cost_type, program.certified), slot, present);
        self.profile.set(normalize_phrase(&program.profile), slot, present);
        let ages = AgeRange::new(program.age_min, program.age_max).intersect(AgeRange::CATALOG);
        for age in ages.years() {
            self.age.set(age, slot, present);
        }
    }

    /// The number of the organization's programs.
    pub(crate) fn programs_of_organization(&self, organization: i64) -> u64 {
        self.organization.get(&organization).len()
    }

    /// The query's filters applied to the catalog, narrowed to `text` matches when given.
    pub(crate) fn select(&self, query: &CatalogQuery, text: Option<&Bitset>) -> Selection<'_> {
        let mut common = self.live.clone();
        let profile = query.profile.as_deref().map(normalize_phrase).filter(|p| !p.is_empty());
        let narrowing = [
            query.organization_id.map(|id| self.organization.get(&id)),
            profile.as_deref().map(|profile| self.profile.get(profile)),
            query.age.map(|age| self.age.get(&age)),
            text,
        ];
        for set in narrowing.into_iter().flatten() {
            common.intersect_with(set);
        }
        let faceted = [
            (Facet::Direction, query.direction.map(|direction| self.direction.get(&direction))),
            (Facet::Municipality, query.municipality_id.map(|id| self.municipality.get(&id))),
            (Facet::Cost, query.cost.map(|cost| self.cost.get(&cost))),
            (Facet::Open, (query.open == Some(true)).then_some(&self.open)),
        ];
        Selection { index: self, common, faceted }
    }
}

fn set_bit(set: &mut Bitset, slot: u32, present: bool) {
    if present { set.insert(slot) } else { set.remove(slot) }
}

/// A filter that has a facet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Facet {
    Direction,
    Municipality,
    Cost,
    Open,
}

/// The filters of one query over a [`FilterIndex`].
pub(crate) struct Selection<'a> {
    index: &'a FilterIndex,
    /// Live slots passing the filters without facets (and the text).
    common: Bitset,
    /// The filters with facets, when set.
    faceted: [(Facet, Option<&'a Bitset>); 4],
}

impl Selection<'_> {
    /// The slots passing every filter.
    pub(crate) fn matches(&self) -> Bitset {
        self.passing_all_but(None)
    }

    /// Counts of each facet's values over the slots passing every other filter.
    pub(crate) fn facets(&self) -> Facets {
        let count = |facet: Facet| self.passing_all_but(Some(facet));
        Facets {
            direction: self.index.direction.counts(&count(Facet::Direction), |d| d.as_str().to_owned()),
            municipality: self.index.municipality.counts(&count(Facet::Municipality), i64::to_string),
            cost: self.index.cost.counts(&count(Facet::Cost), |c| c.as_str().to_owned()),
            open: i64::try_from(count(Facet::Open).intersection_len(&self.index.open)).unwrap_or(i64::MAX),
        }
    }

    fn passing_all_but(&self, skipped: Option<Facet>) -> Bitset {
        let mut set = self.common.clone();
        for (facet, filter) in &self.faceted {
            if let Some(filter) = filter
                && skipped != Some(*facet)
            {
                set.intersect_with(filter);
            }
        }
        set
    }
}
