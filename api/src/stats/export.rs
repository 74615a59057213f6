//! A statistics table as a file: CSV the way a Russian spreadsheet opens it
//! (see [`crate::documents::sheet`]) or an XLSX workbook with numbers as
//! numbers, money in roubles and shares in per cents.

use navigator_shared::stats::{Format, Measure, Table};
use rust_xlsxwriter::{Format as CellFormat, Workbook, XlsxError};

use crate::documents::sheet;

/// The MIME type of a format.
pub fn content_type(format: Format) -> &'static str {
    match format {
        Format::Csv => "text/csv; charset=utf-8",
        Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
}

/// «Списано, ₽»: a column's heading with its unit.
fn heading(title: &str, unit: Measure) -> String {
    match unit {
        Measure::Count => title.to_owned(),
        unit => format!("{title}, {}", unit.title()),
    }
}

/// A number with a decimal comma, as a Russian spreadsheet reads it.
fn decimal(unit: Measure, value: i64) -> String {
    match unit {
        Measure::Count => value.to_string(),
        unit => unit.number(value).to_string().replace('.', ","),
    }
}

/// The table as a file of the format; `caption` goes above it in a workbook
/// («Смоленск, 01.01.2026–31.12.2026»).
pub fn file(table: &Table, caption: &str, format: Format) -> anyhow::Result<Vec<u8>> {
    match format {
        Format::Csv => Ok(csv(table)?.into_bytes()),
        Format::Xlsx => Ok(xlsx(table, caption)?),
    }
}

fn csv(table: &Table) -> anyhow::Result<String> {
    let header =
        std::iter::once(table.label.clone()).chain(table.columns.iter().map(|c| heading(&c.title, c.unit))).collect();
    let rows = table.rows.iter().map(|row| {
        std::iter::once(sheet::text(&row.label))
            .chain(
                table
                    .columns
                    .iter()
                    .zip(&row.values)
                    .map(|(column, value)| value.map(|v| decimal(column.unit, v)).unwrap_or_default()),
            )
            .collect()
    });
    sheet::csv(std::iter::once(header).chain(rows))
}

fn xlsx(table: &Table, caption: &str) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    // A sheet's name is at most 31 characters, without `[]:*?/\`.
    let name: String = table.title.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    sheet.set_name(name.trim())?;
    let bold = CellFormat::new().set_bold();
    let header = CellFormat::new().set_bold().set_text_wrap().set_border_bottom(rust_xlsxwriter::FormatBorder::Thin);
    sheet.write_string_with_format(0, 0, &table.title, &bold)?;
    sheet.write_string(1, 0, caption)?;
    sheet.write_string_with_format(3, 0, &table.label, &header)?;
    let formats: Vec<CellFormat> = table
        .columns
        .iter()
        .map(|c| match c.unit {
            Measure::Count => CellFormat::new().set_num_format("# ##0"),
            Measure::Money => CellFormat::new().set_num_format("# ##0.00"),
            Measure::Permille | Measure::Hours => CellFormat::new().set_num_format("0.0"),
        })
        .collect();
    for (i, column) in table.columns.iter().enumerate() {
        let col = u16::try_from(i + 1).unwrap_or(u16::MAX);
        sheet.write_string_with_format(3, col, heading(&column.title, column.unit), &header)?;
        sheet.set_column_width(col, 16)?;
    }
    sheet.set_column_width(0, 40)?;
    for (r, row) in table.rows.iter().enumerate() {
        let line = u32::try_from(r + 4).unwrap_or(u32::MAX);
        sheet.write_string(line, 0, &row.label)?;
        for (i, (column, value)) in table.columns.iter().zip(&row.values).enumerate() {
            if let Some(value) = value {
                let col = u16::try_from(i + 1).unwrap_or(u16::MAX);
                sheet.write_number_with_format(line, col, column.unit.number(*value), &formats[i])?;
            }
        }
    }
    sheet.set_freeze_panes(4, 1)?;
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use navigator_shared::stats::{Chart, Column, Row};

    use super::*;

    fn table() -> Table {
        Table {
            key: "charges_by_month".into(),
            title: "Списания".into(),
            label: "Месяц".into(),
            columns: vec![
                Column { title: "Списано".into(), unit: Measure::Money, charted: true },
                Column { title: "Детей".into(), unit: Measure::Count, charted: false },
            ],
            rows: vec![
                Row { label: "янв 2026".into(), values: vec![Some(150_050), Some(3)] },
                Row { label: "=фев".into(), values: vec![None, Some(0)] },
            ],
            chart: Chart::Bars,
            summary: String::new(),
        }
    }

    #[test]
    fn csv_has_a_bom_semicolons_and_decimal_commas() {
        let text = csv(&table()).unwrap_or_default();
        assert_eq!(text, "\u{feff}Месяц;Списано, ₽;Детей\nянв 2026;1500,5;3\n'=фев;;0\n");
    }

    #[test]
    fn xlsx_is_a_zip_workbook() {
        let bytes = xlsx(&table(), "Весь регион").unwrap_or_default();
        assert!(bytes.starts_with(b"PK"));
    }
}
