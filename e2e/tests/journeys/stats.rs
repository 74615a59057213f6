//! Statistics: the operator opens the dashboard of his municipality and sees
//! the enrolled child in the key figures; moves the range to before the
//! group began (the address keeps it, the figures follow, «back» returns to
//! the last twelve months); reads the chart of ages as its table; takes the
//! table's CSV and Excel files; is told on the field when a shared link has
//! the range reversed; opens the form 1-ДОП and picks this year. The admin
//! then sees the whole region with its municipalities and picks one.

use std::io::Cursor;

use calamine::{Data, DataType, Reader, Xlsx, open_workbook_from_rs};
use chrono::Datelike;
use navigator_shared::applications::add_months;
use navigator_shared::stats::{Range, StatsQuery};
use thirtyfour::prelude::{WebDriverError, WebDriverResult};

use crate::harness::{Backend, Browser, Server, group_term};
use crate::{STAFF_PASSWORD, sign_in};

const PARENT_EMAIL: &str = "stats.parent@example.org";
const OPERATOR_EMAIL: &str = "stats.operator@example.org";
const ADMIN_EMAIL: &str = "stats.admin@example.org";
const MUNICIPALITIES: &str = "#table-coverage_by_municipality";
const AGES: &str = "#table-coverage_by_age";
const TEN_TO_FOURTEEN: &str = "10–14 лет";
const TOTAL: &str = "Всего (без повторного счёта)";

fn failed(what: String) -> WebDriverError {
    WebDriverError::FatalError(what)
}

/// The text of the first element matching `css`, no-break spaces as spaces.
async fn text_of(b: &Browser, css: &str) -> WebDriverResult<String> {
    b.wait_for(css).await?;
    let script = format!("return document.querySelector({}).textContent.trim();", serde_json::json!(css));
    Ok(b.eval(&script).await?.as_str().unwrap_or_default().replace('\u{a0}', " "))
}

/// The cell of the table `css` in the row headed `row` and the column headed `column`.
async fn cell(b: &Browser, css: &str, row: &str, column: &str) -> WebDriverResult<String> {
    b.wait_for(css).await?;
    let script = format!(
        "const [css, row, column] = {};\
         const table = document.querySelector(css);\
         const heads = Array.from(table.querySelectorAll('thead th'), th => th.textContent.trim());\
         const at = heads.indexOf(column);\
         const line = Array.from(table.querySelectorAll('tbody tr'))\
           .find(tr => tr.querySelector('th').textContent.trim() === row);\
         return line && at > 0 ? line.children[at].textContent.trim() : null;",
        serde_json::json!([css, row, column])
    );
    match b.eval(&script).await?.as_str() {
        Some(text) => Ok(text.replace('\u{a0}', " ")),
        None => Err(failed(format!("{css} has no cell «{row}» × «{column}»"))),
    }
}

/// Clicks a download link and reads the file it then points at.
/// The CSV of a table: a BOM, `;` between the fields.
fn csv_lines(bytes: &[u8]) -> WebDriverResult<Vec<String>> {
    let text = bytes
        .strip_prefix("\u{feff}".as_bytes())
        .ok_or_else(|| failed(format!("the CSV starts without a BOM: {:?}", &bytes[..bytes.len().min(8)])))?;
    let text = String::from_utf8(text.to_vec()).map_err(|e| failed(format!("the CSV is not UTF-8: {e}")))?;
    Ok(text.lines().map(str::to_owned).collect())
}

/// The first sheet of a workbook.
fn sheet(bytes: Vec<u8>) -> WebDriverResult<calamine::Range<Data>> {
    let mut book: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| failed(format!("not an XLSX workbook: {e}")))?;
    book.worksheet_range_at(0)
        .ok_or_else(|| failed("the workbook has no sheet".to_owned()))?
        .map_err(|e| failed(format!("the sheet cannot be read: {e}")))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operator_reads_the_dashboard_and_its_files_journey() {
    let server = Server::start(Backend::Postgres).await;
    let browser = Browser::start().await;
    let program = server.published_program("Робототехника «Вектор»", "technical", "Робототехника", true).await;
    server.account_with_role(OPERATOR_EMAIL, STAFF_PASSWORD, "operator").await;
    server.account_with_role(ADMIN_EMAIL, STAFF_PASSWORD, "admin").await;
    // Ten years old, with an active certificate, studying in the group that began last month.
    let child = server.family_with_certificate(PARENT_EMAIL, STAFF_PASSWORD, "Миша", "6700000501").await;
    server.took_part(child, program, "enrolled").await;
    let today = server.today();
    let default = Range::of(&StatsQuery::default(), today).unwrap();
    // Six months that end the day before the group began: nobody studied then.
    let group_start = group_term(today).0;
    let (before_from, before_to) = (add_months(group_start, -6), group_start.pred_opt().unwrap());
    let russian = |day: chrono::NaiveDate| day.format("%d.%m.%Y").to_string();
    let result = async {
        let b = &browser;
        sign_in(b, &server, OPERATOR_EMAIL, STAFF_PASSWORD).await?;
        b.click("#stats-link").await?;
        b.wait_path("/stats").await?;
        b.wait_text("#stats-period", &format!("{}–{}", russian(default.from), russian(default.to))).await?;
        let enrolled = text_of(b, "#headline-enrolled dd").await?;
        if enrolled != "1" {
            return Err(failed(format!("enrolled: «{enrolled}»")));
        }
        b.wait_value("from", &default.from.to_string()).await?;
        b.check_page().await?;

        // An earlier range: the address holds it, the figures are of it.
        b.set_value("from", &before_from.to_string()).await?;
        b.set_value("to", &before_to.to_string()).await?;
        b.submit("#stats-filters").await?;
        b.wait_text("#stats-period", &format!("{}–{}", russian(before_from), russian(before_to))).await?;
        let search = b.eval("return location.search").await?;
        let expected = format!("from={before_from}&to={before_to}");
        if !search.as_str().is_some_and(|s| s.contains(&expected)) {
            return Err(failed(format!("the address holds {search}, not {expected}")));
        }
        let enrolled = text_of(b, "#headline-enrolled dd").await?;
        if enrolled != "0" {
            return Err(failed(format!("enrolled before the group began: «{enrolled}»")));
        }
        // «Back» returns to the last twelve months.
        b.run_script("history.back()").await?;
        b.wait_text("#stats-period", &format!("{}–{}", russian(default.from), russian(default.to))).await?;
        b.wait_value("from", &default.from.to_string()).await?;

        // The page's CSP lets it fetch only from its own origin: for the
        // journey to read the fetched files through their `blob:` addresses,
        // the page is loaded again without it (it was in force above).
        b.cdp("Page.setBypassCSP", serde_json::json!({ "enabled": true })).await?;
        b.open(&server.url("/stats")).await?;

        // The chart of ages as its table.
        b.wait_for(&format!("{AGES} svg[role='img']")).await?;
        b.click(&format!("{AGES} .view-toggle")).await?;
        b.wait_for(&format!("{AGES} table.stat-data")).await?;
        let pressed = b
            .eval(&format!("return document.querySelector('{AGES} .view-toggle').getAttribute('aria-pressed')"))
            .await?;
        if pressed.as_str() != Some("true") {
            return Err(failed(format!("the toggle is pressed: {pressed}")));
        }
        let studying = cell(b, &format!("{AGES} table.stat-data"), TEN_TO_FOURTEEN, "Занимаются").await?;
        if studying != "1" {
            return Err(failed(format!("children of 10–14 studying: «{studying}»")));
        }
        b.check_page().await?;

        // Its files: the CSV a Russian spreadsheet opens, the workbook with the title above the header.
        let csv = csv_lines(&b.download(&format!("{AGES} a.download-csv")).await?)?;
        let header = "Возраст;В реестре;С сертификатом;С активным сертификатом;Занимаются";
        if csv.first().map(String::as_str) != Some(header)
            || !csv.iter().any(|line| line.starts_with(&format!("{TEN_TO_FOURTEEN};")) && line.ends_with(";1"))
        {
            return Err(failed(format!("the CSV: {csv:?}")));
        }
        let sheet = sheet(b.download(&format!("{AGES} a.download-xlsx")).await?)?;
        let text = |row: u32, column: u32| sheet.get_value((row, column)).map(ToString::to_string);
        let number = |row: u32, column: u32| sheet.get_value((row, column)).and_then(|cell| cell.as_f64());
        let row = (4..sheet.end().map_or(4, |end| end.0 + 1))
            .find(|row| text(*row, 0).as_deref() == Some(TEN_TO_FOURTEEN))
            .ok_or_else(|| failed(format!("no row «{TEN_TO_FOURTEEN}» in the workbook: {sheet:?}")))?;
        if text(0, 0).as_deref() != Some("Дети по возрасту")
            || text(3, 0).as_deref() != Some("Возраст")
            || text(3, 4).as_deref() != Some("Занимаются")
            || number(row, 4) != Some(1.0)
        {
            return Err(failed(format!("the workbook: {sheet:?}")));
        }

        // A shared link with the range reversed: the API's message stands under «С».
        let reversed = format!("/stats?from={}&to={}", today, today - chrono::TimeDelta::days(30));
        b.open(&server.url(&reversed)).await?;
        b.wait_text("[data-error-for='from']", "позже").await?;

        // The form 1-ДОП: last year by default, then this year with the child.
        b.click("#form-1dop-link").await?;
        b.wait_path("/stats/form-1dop").await?;
        b.wait_value("year", &(today.year() - 1).to_string()).await?;
        b.wait_text("table.form-1dop", TOTAL).await?;
        b.fill("year", &today.year().to_string()).await?;
        b.submit("#form-1dop-filters").await?;
        b.wait_text("table.form-1dop caption", &today.year().to_string()).await?;
        let total = cell(b, "table.form-1dop", TOTAL, "Всего").await?;
        if total != "1" {
            return Err(failed(format!("the form's total: «{total}»")));
        }
        let csv = csv_lines(&b.download("#form-1dop a.download-csv").await?)?;
        if !csv.iter().any(|line| line.starts_with(&format!("{TOTAL};1;"))) {
            return Err(failed(format!("the form's CSV: {csv:?}")));
        }
        b.check_page().await?;

        // The admin: the whole region with a table of its municipalities,
        // then the operator's municipality chosen (the address keeps it).
        b.click("#logout-link").await?;
        b.wait_for("#login-link").await?;
        sign_in(b, &server, ADMIN_EMAIL, STAFF_PASSWORD).await?;
        b.click("#stats-link").await?;
        b.wait_text("#stats-period", "Весь регион").await?;
        b.wait_for(MUNICIPALITIES).await?;
        b.choose("municipality_id", &server.municipality.to_string()).await?;
        b.submit("#stats-filters").await?;
        b.wait_text("#stats-period", "город Смоленск").await?;
        let search = b.eval("return location.search").await?;
        if !search.as_str().is_some_and(|s| s.contains(&format!("municipality_id={}", server.municipality))) {
            return Err(failed(format!("the address holds {search}, not the municipality")));
        }
        let enrolled = text_of(b, "#headline-enrolled dd").await?;
        if enrolled != "1" || b.count(MUNICIPALITIES).await? > 0 {
            return Err(failed(format!(
                "the municipality's dashboard: enrolled «{enrolled}», or a table of municipalities"
            )));
        }
        b.check_page().await
    }
    .await;
    browser.finish("operator_reads_the_dashboard_and_its_files_journey", result).await;
}
