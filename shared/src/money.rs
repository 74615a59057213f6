//! Money is kept in integer kopecks everywhere; this is how people read it.

/// Digits grouped by thousands with non-breaking spaces: «1 234 567».
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 2);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
}

/// Kopecks as rubles with non-breaking spaces: «1 500 ₽», «1 500,50 ₽».
pub fn rubles(kopecks: i64) -> String {
    let grouped = grouped((kopecks / 100).unsigned_abs());
    let sign = if kopecks < 0 { "−" } else { "" };
    match (kopecks % 100).abs() {
        0 => format!("{sign}{grouped}\u{a0}₽"),
        part => format!("{sign}{grouped},{part:02}\u{a0}₽"),
    }
}

/// A change of a sum: «+1 500 ₽», «−1 500 ₽», or «0 ₽» when nothing changed.
pub fn signed_rubles(kopecks: i64) -> String {
    if kopecks > 0 { format!("+{}", rubles(kopecks)) } else { rubles(kopecks) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rubles_are_grouped_by_thousands() {
        assert_eq!(rubles(0), "0\u{a0}₽");
        assert_eq!(rubles(150_050), "1\u{a0}500,50\u{a0}₽");
        assert_eq!(rubles(100_000_000), "1\u{a0}000\u{a0}000\u{a0}₽");
        assert_eq!(rubles(-5), "−0,05\u{a0}₽");
    }

    #[test]
    fn changes_show_their_sign() {
        assert_eq!(signed_rubles(540_000), "+5\u{a0}400\u{a0}₽");
        assert_eq!(signed_rubles(-540_000), "−5\u{a0}400\u{a0}₽");
        assert_eq!(signed_rubles(0), "0\u{a0}₽");
    }
}
