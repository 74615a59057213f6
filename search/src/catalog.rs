//! The programs in memory: slots, their filters and orders.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use navigator_shared::catalog::ProgramSummary;

use crate::filters::FilterIndex;
use crate::orders::{Order, Orders};

/// What the catalog keeps of a program.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub summary: ProgramSummary,
    pub published_at: NaiveDateTime,
}

/// Programs by slot: a slot is a small number that names a program in
/// bitsets and in the text index while the program is in the catalog.
/// Freed slots are reused.
#[derive(Debug, Default)]
pub(crate) struct Catalog {
    entries: Vec<Option<Entry>>,
    /// `(lat, lon)` by slot, apart from the entries so that map scans stay in
    /// cache; an empty slot keeps its last position.
    positions: Vec<(f64, f64)>,
    slots_by_id: HashMap<i64, u32>,
    free: Vec<u32>,
    filters: FilterIndex,
    orders: Orders,
}

impl Catalog {
    /// A catalog of programs with distinct ids, in slots 0, 1, 2, …
    pub(crate) fn build(entries: Vec<Entry>) -> Catalog {
        let mut filters = FilterIndex::default();
        let mut slots_by_id = HashMap::with_capacity(entries.len());
        for (slot, entry) in (0u32..).zip(&entries) {
            filters.insert(slot, &entry.summary);
            slots_by_id.insert(entry.summary.id, slot);
        }
        let orders = Orders::build((0u32..).zip(&entries));
        let positions = entries.iter().map(|entry| (entry.summary.lat, entry.summary.lon)).collect();
        let entries = entries.into_iter().map(Some).collect();
        Catalog { entries, positions, slots_by_id, free: Vec::new(), filters, orders }
    }

    pub(crate) fn len(&self) -> usize {
        self.slots_by_id.len()
    }

    pub(crate) fn slot_of(&self, id: i64) -> Option<u32> {
        self.slots_by_id.get(&id).copied()
    }

    pub(crate) fn entry(&self, slot: u32) -> Option<&Entry> {
        self.entries.get(slot as usize)?.as_ref()
    }

    /// The `(lat, lon)` of a filled slot.
    pub(crate) fn position(&self, slot: u32) -> Option<(f64, f64)> {
        self.positions.get(slot as usize).copied()
    }

    pub(crate) fn filters(&self) -> &FilterIndex {
        &self.filters
    }

    /// The slots in an order, first to last.
    pub(crate) fn ordered(&self, order: Order) -> impl Iterator<Item = u32> + '_ {
        self.orders.slots(order)
    }

    /// The slots [`Catalog::put`] will use for programs with these distinct
    /// ids: their own when present, else free ones, then new ones.
    pub(crate) fn plan_slots(&self, ids: impl Iterator<Item = i64>) -> Vec<u32> {
        let mut free = self.free.clone();
        let mut next = u32::try_from(self.entries.len()).unwrap_or(u32::MAX);
        ids.map(|id| {
            self.slot_of(id).or_else(|| free.pop()).unwrap_or_else(|| {
                next += 1;
                next - 1
            })
        })
        .collect()
    }

    /// Puts a program at a slot from [`Catalog::plan_slots`], replacing the one there.
    pub(crate) fn put(&mut self, slot: u32, entry: Entry) {
        self.remove(slot);
        self.free.retain(|free| *free != slot);
        let index = slot as usize;
        if index >= self.entries.len() {
            self.entries.resize(index + 1, None);
            self.positions.resize(index + 1, (0.0, 0.0));
        }
        self.positions[index] = (entry.summary.lat, entry.summary.lon);
        self.filters.insert(slot, &entry.summary);
        self.orders.insert(slot, &entry);
        self.slots_by_id.insert(entry.summary.id, slot);
        self.entries[index] = Some(entry);
    }

    /// Empties a slot; nothing happens when it is empty.
    pub(crate) fn remove(&mut self, slot: u32) {
        let Some(entry) = self.entries.get_mut(slot as usize).and_then(Option::take) else {
            return;
        };
        self.filters.remove(slot, &entry.summary);
        self.orders.remove(slot, &entry);
        self.slots_by_id.remove(&entry.summary.id);
        self.free.push(slot);
    }
}
