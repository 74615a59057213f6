//! Depersonalization (152-ФЗ, ст. 3, п. 9): once the family withdrew its
//! consent and the period ran out, or once a child grew up and the
//! retention period ended, the person's data are replaced so that nobody
//! can tell whose record it is. What accounting needs stays — the
//! certificate, its ledger, the contracts' terms and sums, the registers —
//! with the birth year for the statistics; the audit trail keeps who did
//! what, without the values. Each record is done in its own transaction,
//! at most once: a pass cut short (a restart) is finished by the next.

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime};
use diesel::Connection;
use navigator_shared::ids::ChildId;

use crate::applications::contracts;
use crate::children::repo::{ChildRow, Depersonalized};
use crate::config::RetentionSettings;
use crate::crypto::DataCipher;
use crate::db::DbConn;
use crate::{accounts, audit, children, notifications};

/// Records depersonalized per pass, of each kind.
const PER_PASS: i64 = 200;

/// What stands instead of a name.
pub const PLACEHOLDER: &str = "Обезличено";

/// What one pass depersonalized.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Done {
    pub children: usize,
    pub accounts: usize,
}

/// One pass at `now`: the children due, then the accounts due.
pub fn run(
    conn: &mut DbConn,
    cipher: &DataCipher,
    settings: &RetentionSettings,
    now: NaiveDateTime,
) -> anyhow::Result<Done> {
    let mut done = Done::default();
    let years = 18 + settings.adult_years;
    let grown_up_by = now.date().checked_sub_months(Months::new(12 * years)).unwrap_or(NaiveDate::MIN);
    for id in children::repo::due_for_depersonalization(conn, now, grown_up_by, PER_PASS)? {
        if conn.transaction(|conn| child(conn, cipher, id, now))? {
            done.children += 1;
        }
    }
    for id in accounts::repo::due_for_depersonalization(conn, now, PER_PASS)? {
        if conn.transaction(|conn| account(conn, cipher, id, now))? {
            done.accounts += 1;
        }
    }
    Ok(done)
}

/// Depersonalizes one child; `false` when there was nothing to do.
fn child(conn: &mut DbConn, cipher: &DataCipher, id: ChildId, now: NaiveDateTime) -> anyhow::Result<bool> {
    let Some(row) = children::repo::find(conn, id)? else { return Ok(false) };
    if row.depersonalized_at.is_some() {
        return Ok(false);
    }
    let mut values = child_values(cipher, &row)?;
    // The names and addresses it had before a correction may stand in earlier texts.
    for (field, value) in audit::recorded_values(conn, id)? {
        match field.as_str() {
            "last_name" | "first_name" | "middle_name" | "address" => values.push(value),
            "birth_date" => values.extend(
                NaiveDate::parse_from_str(&value, "%Y-%m-%d")
                    .map(|day| [value.clone(), day.format("%d.%m.%Y").to_string()])
                    .into_iter()
                    .flatten(),
            ),
            _ => {}
        }
    }
    let values = longest_first(values);
    let data = Depersonalized {
        placeholder: PLACEHOLDER,
        birth_date: NaiveDate::from_ymd_opt(row.birth_date.year(), 1, 1).unwrap_or(row.birth_date),
        document_number_enc: cipher.encrypt("")?,
        snils_enc: cipher.encrypt("")?,
    };
    if !children::repo::depersonalize(conn, id, &data, now)? {
        return Ok(false);
    }
    notifications::scrub(conn, row.parent_id, &values)?;
    // The guardians were told of the child too; their access ends with the data.
    for (guardian, _) in children::guardians::repo::ever_of_child(conn, id)? {
        notifications::scrub(conn, guardian, &values)?;
    }
    children::guardians::repo::forget_child(conn, id, now)?;
    scrub_contracts(conn, id, &values, Some(data.birth_date))?;
    audit::forget_data(conn, id, &values)?;
    Ok(true)
}

/// Depersonalizes one account with the children still in it, and closes it.
fn account(conn: &mut DbConn, cipher: &DataCipher, id: i64, now: NaiveDateTime) -> anyhow::Result<bool> {
    let Some(user) = accounts::repo::find(conn, id)? else { return Ok(false) };
    for kid in children::repo::kept_of_parent(conn, id)? {
        child(conn, cipher, kid, now)?;
    }
    // The contracts name the customer: the parent's own data go from them too.
    let values = person_values(
        (&user.last_name, &user.first_name, user.middle_name.as_deref()),
        user.birth_date,
        [
            Some(user.email.clone()),
            Some(user.phone.clone()),
            user.address.clone(),
            cipher.decrypt_opt(user.passport_series_enc.as_deref())?,
            cipher.decrypt_opt(user.passport_number_enc.as_deref())?,
            user.passport_issued_by.clone(),
        ],
    );
    for kid in children::repo::of_parent(conn, id)? {
        scrub_contracts(conn, kid.id, &values, None)?;
    }
    notifications::forget(conn, id)?;
    Ok(accounts::repo::depersonalize(conn, id, PLACEHOLDER, now)?)
}

/// Replaces `values` in the texts kept with the child's contracts, field by
/// field, so that the terms, dates and sums stay readable; the child's birth
/// date becomes `birth_date` (the year's first day) when given.
fn scrub_contracts(
    conn: &mut DbConn,
    child: ChildId,
    values: &[String],
    birth_date: Option<NaiveDate>,
) -> anyhow::Result<()> {
    for (id, text) in contracts::repo::texts_of_child(conn, child)? {
        let mut kept: serde_json::Value = serde_json::from_str(&text)?;
        scrub_json(&mut kept, values);
        if let (Some(day), Some(field)) = (birth_date, kept.pointer_mut("/terms/child_birth_date")) {
            *field = serde_json::Value::from(day.format("%Y-%m-%d").to_string());
        }
        contracts::repo::rewrite_text(conn, id, &kept.to_string())?;
    }
    Ok(())
}

/// Replaces `values` in every text of a JSON document; dates stay dates.
fn scrub_json(value: &mut serde_json::Value, values: &[String]) {
    match value {
        serde_json::Value::String(text) if NaiveDate::parse_from_str(text, "%Y-%m-%d").is_err() => {
            for personal in values {
                if text.contains(personal.as_str()) {
                    *text = text.replace(personal.as_str(), crate::db::DEPERSONALIZED);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|item| scrub_json(item, values)),
        serde_json::Value::Object(fields) => fields.values_mut().for_each(|field| scrub_json(field, values)),
        _ => {}
    }
}

/// The child's values that may stand in kept texts.
fn child_values(cipher: &DataCipher, row: &ChildRow) -> anyhow::Result<Vec<String>> {
    let snils = cipher.decrypt(&row.snils_enc)?;
    let number = cipher.decrypt(&row.document_number_enc)?;
    let formatted = navigator_shared::children::Snils::parse(&snils).map(|s| s.formatted()).ok();
    Ok(person_values(
        (&row.last_name, &row.first_name, row.middle_name.as_deref()),
        Some(row.birth_date),
        [
            Some(row.address.clone()),
            formatted,
            Some(snils),
            Some(format!("{} {number}", row.document_series)),
            Some(number),
            None,
        ],
    ))
}

/// A person's names (whole and in parts), birth date in both spellings and
/// `other` values, longest first, so the whole name goes as one.
fn person_values(
    (last, first, middle): (&str, &str, Option<&str>),
    birth_date: Option<NaiveDate>,
    other: [Option<String>; 6],
) -> Vec<String> {
    let middle = middle.unwrap_or("");
    let join = |parts: &[&str]| parts.iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join(" ");
    let mut values = vec![
        join(&[last, first, middle]),
        join(&[first, middle, last]),
        join(&[last, first]),
        join(&[first, last]),
        join(&[first, middle]),
        last.to_owned(),
        first.to_owned(),
        middle.to_owned(),
    ];
    if let Some(day) = birth_date {
        values.push(day.format("%d.%m.%Y").to_string());
        values.push(day.format("%Y-%m-%d").to_string());
    }
    values.extend(other.into_iter().flatten());
    longest_first(values)
}

/// The values worth replacing (three letters and more), each once, the
/// longest first, so that a whole name goes as one.
fn longest_first(values: Vec<String>) -> Vec<String> {
    let mut values: Vec<String> = values
        .into_iter()
        .map(|v| v.trim().to_owned())
        .filter(|v| v.chars().count() >= 3 && v != PLACEHOLDER)
        .collect();
    values.sort_by_key(|v| std::cmp::Reverse(v.chars().count()));
    let mut seen = std::collections::HashSet::new();
    values.retain(|v| seen.insert(v.clone()));
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_names_go_before_their_parts() {
        let values = person_values(
            ("Иванова", "Анна", Some("Петровна")),
            NaiveDate::from_ymd_opt(2015, 3, 14),
            [Some("г. Смоленск".into()), None, None, None, None, None],
        );
        assert_eq!(values[0], "Иванова Анна Петровна");
        let at = |v: &str| values.iter().position(|x| x == v);
        assert!(at("Иванова Анна") < at("Иванова"));
        assert!(at("14.03.2015").is_some() && at("2015-03-14").is_some());
        assert!(at("г. Смоленск").is_some());
        // Too short to replace safely inside other words.
        let short = person_values(("Ли", "Ян", None), None, [None, None, None, None, None, None]);
        assert_eq!(short, vec!["Ли Ян".to_owned(), "Ян Ли".to_owned()]);
    }
}
