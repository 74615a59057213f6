//! A growable set of slot numbers, one bit per slot.

/// Slots as bits in 64-bit words; words past the end read as zero.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Bitset {
    words: Vec<u64>,
}

/// The set with no slot, for filter values no program has.
pub(crate) static EMPTY: Bitset = Bitset { words: Vec::new() };

fn position(slot: u32) -> (usize, u64) {
    let slot = slot as usize;
    (slot / 64, 1u64 << (slot % 64))
}

impl Bitset {
    /// Adds `slot`, growing the set as needed.
    pub(crate) fn insert(&mut self, slot: u32) {
        let (word, bit) = position(slot);
        if word >= self.words.len() {
            self.words.resize(word + 1, 0);
        }
        self.words[word] |= bit;
    }

    /// Removes `slot`; the set keeps its size.
    pub(crate) fn remove(&mut self, slot: u32) {
        let (word, bit) = position(slot);
        if let Some(w) = self.words.get_mut(word) {
            *w &= !bit;
        }
    }

    pub(crate) fn contains(&self, slot: u32) -> bool {
        let (word, bit) = position(slot);
        self.words.get(word).is_some_and(|w| w & bit != 0)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }

    pub(crate) fn len(&self) -> u64 {
        self.words.iter().map(|w| u64::from(w.count_ones())).sum()
    }

    /// Keeps only the slots that are also in `other`.
    pub(crate) fn intersect_with(&mut self, other: &Bitset) {
        self.words.truncate(other.words.len());
        for (w, o) in self.words.iter_mut().zip(&other.words) {
            *w &= o;
        }
    }

    /// The number of slots in both sets, without building the intersection.
    pub(crate) fn intersection_len(&self, other: &Bitset) -> u64 {
        self.words.iter().zip(&other.words).map(|(a, b)| u64::from((a & b).count_ones())).sum()
    }

    /// The slots in increasing order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.words.iter().enumerate().flat_map(|(index, &word)| Bits { word, base: index as u32 * 64 })
    }
}

impl FromIterator<u32> for Bitset {
    fn from_iter<I: IntoIterator<Item = u32>>(slots: I) -> Self {
        let mut set = Bitset::default();
        for slot in slots {
            set.insert(slot);
        }
        set
    }
}

/// The set bits of one word.
struct Bits {
    word: u64,
    base: u32,
}

impl Iterator for Bits {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        if self.word == 0 {
            return None;
        }
        let bit = self.word.trailing_zeros();
        self.word &= self.word - 1;
        Some(self.base + bit)
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
    }

    #[test]
    fn intersection_of_different_sizes() {
        let small: Bitset = [1, 2].into_iter().collect();
        let mut large: Bitset = [2, 500].into_iter().collect();
        assert_eq!(large.intersection_len(&small), 1);
        large.intersect_with(&small);
        assert_eq!(large.iter().collect::<Vec<_>>(), vec![2]);
        assert!(EMPTY.is_empty() && EMPTY.intersection_len(&small) == 0);
    }
}
