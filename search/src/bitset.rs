//! A growable set of slot numbers, one bit per slot.
//!
//! Slots are dense (0, 1, 2, … with freed ones reused), so a plain bitset
//! beats compressed ones here: `contains` is one load while a result is
//! walked in a sort order. This wrapper only adds growth on insert and
//! `u32` slots to [`FixedBitSet`].

use std::fmt;

use fixedbitset::FixedBitSet;

/// Slots as bits; bits past the end read as zero.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct Bitset(FixedBitSet);

/// The set with no slot, for filter values no program has.
pub(crate) static EMPTY: Bitset = Bitset(FixedBitSet::new());

impl Bitset {
    /// Adds `slot`, growing the set as needed.
    pub(crate) fn insert(&mut self, slot: u32) {
        self.0.grow_and_insert(slot as usize);
    }

    /// Removes `slot`; the set keeps its size.
    pub(crate) fn remove(&mut self, slot: u32) {
        if self.0.contains(slot as usize) {
            self.0.remove(slot as usize);
        }
    }

    pub(crate) fn contains(&self, slot: u32) -> bool {
        self.0.contains(slot as usize)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_clear()
    }

    pub(crate) fn len(&self) -> u64 {
        self.0.count_ones(..) as u64
    }

    /// Keeps only the slots that are also in `other`.
    pub(crate) fn intersect_with(&mut self, other: &Bitset) {
        self.0.intersect_with(&other.0);
    }

    /// The number of slots in both sets, without building the intersection.
    pub(crate) fn intersection_len(&self, other: &Bitset) -> u64 {
        self.0.intersection_count(&other.0) as u64
    }

    /// The slots in increasing order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        // Slots are `u32` on the way in, so every set bit fits.
        self.0.ones().map(|slot| slot as u32)
    }
}

impl FromIterator<u32> for Bitset {
    fn from_iter<I: IntoIterator<Item = u32>>(slots: I) -> Self {
        Bitset(slots.into_iter().map(|slot| slot as usize).collect())
    }
}

/// The slots, not the words: the bits are what a reader wants to see.
impl fmt::Debug for Bitset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_remove_and_iterate() {
        let mut set: Bitset = [3, 64, 130].into_iter().collect();
        assert!(set.contains(64) && !set.contains(65) && !set.contains(10_000));
        set.remove(64);
        set.remove(10_000);
        assert_eq!(set.iter().collect::<Vec<_>>(), vec![3, 130]);
        assert_eq!(set.len(), 2);
        assert_eq!(format!("{set:?}"), "{3, 130}");
    }

    #[test]
    fn intersection_of_different_sizes() {
        let small: Bitset = [1, 2].into_iter().collect();
        let mut large: Bitset = [2, 500].into_iter().collect();
        assert_eq!(large.intersection_len(&small), 1);
        assert_eq!(small.intersection_len(&large), 1);
        large.intersect_with(&small);
        assert_eq!(large.iter().collect::<Vec<_>>(), vec![2]);
        let mut small = small;
        small.intersect_with(&[2, 500].into_iter().collect());
        assert_eq!(small.iter().collect::<Vec<_>>(), vec![2]);
        assert!(EMPTY.is_empty() && EMPTY.intersection_len(&small) == 0);
    }

    #[test]
    fn emptied_set_is_empty() {
        let mut set: Bitset = [7].into_iter().collect();
        set.remove(7);
        assert!(set.is_empty());
        assert_eq!(set.len(), 0);
    }
}
