//! The operator's statistics: the dashboard, its tables as files and the
//! federal form 1-ДОП.

use gloo_net::http::Method;
use navigator_shared::Problem;
use navigator_shared::stats::{Dashboard, FormQuery, Format, StatsQuery, Table};
use serde::Serialize;

use super::{Session, blob, send_authed, with_query};

/// The dashboard of the caller's territory (or the admin's choice) over the range.
pub async fn dashboard(session: Session, query: &StatsQuery) -> Result<Dashboard, Problem> {
    send_authed(session, Method::GET, &with_query("/stats/dashboard", query)?, None).await
}

/// One table of the dashboard, by its key, as a file of `format`.
pub async fn table_file(
    session: Session,
    key: &str,
    query: &StatsQuery,
    format: Format,
) -> Result<web_sys::Blob, Problem> {
    file(session, &format!("/stats/tables/{key}"), query, format).await
}

/// The form 1-ДОП of a year.
pub async fn form(session: Session, query: &FormQuery) -> Result<Table, Problem> {
    send_authed(session, Method::GET, &with_query("/stats/form-1dop", query)?, None).await
}

/// The form 1-ДОП as a file of `format`.
pub async fn form_file(session: Session, query: &FormQuery, format: Format) -> Result<web_sys::Blob, Problem> {
    file(session, "/stats/form-1dop/file", query, format).await
}

/// `path?query&format=…` as a blob of the format's type.
async fn file<Q: Serialize>(session: Session, path: &str, query: &Q, format: Format) -> Result<web_sys::Blob, Problem> {
    let path = with_query(path, query)?;
    let glue = if path.contains('?') { '&' } else { '?' };
    blob(session, &format!("{path}{glue}format={}", format.as_str()), mime(format)).await
}

/// The MIME type of a file format.
fn mime(format: Format) -> &'static str {
    match format {
        Format::Csv => "text/csv",
        Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
}
