//! Edit distance for slight misspellings.

/// Words shorter than this (in letters) are never read as misspelt.
pub(crate) const MIN_TYPO_WORD: usize = 4;

/// Edits allowed for a stem of `letters` letters: 1 for 4–5, 2 for 6–9, 3 for 10 and more.
pub(crate) fn allowed_typos(letters: usize) -> usize {
    match letters {
        0..MIN_TYPO_WORD => 0,
        4..=5 => 1,
        6..=9 => 2,
        _ => 3,
    }
}

/// Measures how far terms are from one word, reusing its table rows.
pub(crate) struct Typos {
    target: Vec<char>,
    max: usize,
    /// The rows of the table two back, one back and being filled.
    rows: [Vec<usize>; 3],
}

impl Typos {
    /// For terms near `target`, within the edits allowed for its length.
    pub(crate) fn new(target: &str) -> Typos {
        let target: Vec<char> = target.chars().collect();
        let width = target.len() + 1;
        Typos { max: allowed_typos(target.len()), target, rows: [vec![0; width], vec![0; width], vec![0; width]] }
    }

    /// The edits allowed.
    pub(crate) fn max(&self) -> usize {
        self.max
    }

    /// The optimal-string-alignment distance (insertions, deletions,
    /// substitutions and swaps of neighbours) from `term`, when allowed.
    pub(crate) fn distance(&mut self, term: &str) -> Option<usize> {
        let width = self.target.len();
        if term.chars().count().abs_diff(width) > self.max {
            return None;
        }
        let [before, previous, current] = &mut self.rows;
        for (column, cell) in previous.iter_mut().enumerate() {
            *cell = column;
        }
        let mut last = None;
        for (row, letter) in term.chars().enumerate() {
            current[0] = row + 1;
            let mut row_min = current[0];
            for (column, &wanted) in self.target.iter().enumerate() {
                let mut best = (previous[column] + usize::from(letter != wanted))
                    .min(previous[column + 1] + 1)
                    .min(current[column] + 1);
                if column > 0 && last == Some(wanted) && letter == self.target[column - 1] {
                    best = best.min(before[column - 1] + 1);
                }
                current[column + 1] = best;
                row_min = row_min.min(best);
            }
            if row_min > self.max {
                return None;
            }
            last = Some(letter);
            std::mem::swap(before, previous);
            std::mem::swap(previous, current);
        }
        Some(previous[width]).filter(|distance| *distance <= self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distance(term: &str, target: &str) -> Option<usize> {
        Typos::new(target).distance(term)
    }

    #[test]
    fn distances_within_the_allowance() {
        assert_eq!(distance("робототехник", "робатехник"), Some(3));
        assert_eq!(distance("робототехник", "робатехни"), None, "3 edits for 9 letters");
        assert_eq!(distance("шахмат", "шахамт"), Some(1), "a swap is one edit");
        assert_eq!(distance("шахмат", "шахмат"), Some(0));
        assert_eq!(distance("клуб", "футбол"), None);
        assert_eq!(distance("", "клуб"), None);
        assert_eq!(distance("клюб", "клуб"), Some(1));
        assert_eq!(distance("клю", "клуб"), None);
    }

    #[test]
    fn rows_are_reused_between_terms() {
        let mut typos = Typos::new("танцевалн");
        assert_eq!(typos.distance("танцевальн"), Some(1));
        assert_eq!(typos.distance("тнацевалн"), Some(1));
        assert_eq!(typos.distance("гимнастик"), None);
        assert_eq!(typos.distance("танцевалн"), Some(0));
    }

    #[test]
    fn allowed_by_length() {
        assert_eq!([3, 4, 5, 6, 9, 10, 14].map(allowed_typos), [0, 1, 1, 2, 2, 3, 3]);
    }
}
