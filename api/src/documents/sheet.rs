//! Tables as CSV the way spreadsheets in Russia open them: separated by
//! semicolons, UTF-8 with a BOM, and a text a spreadsheet would run as a
//! formula (`=`, `+`, `-`, `@` first) kept as text.

/// A text cell that no spreadsheet runs as a formula.
pub fn text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_owned() }
}

/// The records as one CSV text (quoting what needs it).
pub fn csv(records: impl IntoIterator<Item = Vec<String>>) -> anyhow::Result<String> {
    let mut out = csv::WriterBuilder::new().delimiter(b';').from_writer(Vec::from("\u{feff}".as_bytes()));
    for record in records {
        out.write_record(record)?;
    }
    Ok(String::from_utf8(out.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_stay_text_and_separators_are_quoted() {
        let table = csv(vec![vec![text("=1+1"), text("Иванов; Пётр"), "ок".into()]]).unwrap_or_default();
        assert_eq!(table, "\u{feff}'=1+1;\"Иванов; Пётр\";ок\n");
    }
}
