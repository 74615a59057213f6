//! The duplicate finder: records that may be one child registered twice —
//! the same full name and birth date under different СНИЛС, or names a
//! letter or two apart with the same birth date and address. The operator
//! compares them, moves a child to the right family (`move_child`) or marks
//! the pair «не дубликат»; both are audited on each child's record.

use std::collections::HashMap;

use diesel::dsl::{exists, not};
use diesel::prelude::*;
use navigator_shared::children::{CertificateStatus, duplicate_key, name_key};
use navigator_shared::reference::{Page, PageQuery};
use navigator_shared::registry::{DuplicateChild, DuplicatePair, DuplicateReason, NotDuplicateRequest};

use crate::AppState;
use crate::audit::{self, Action};
use crate::auth::AuthUser;
use crate::auth::scope;
use crate::db::schema::{
    certificates as c, children as ch, duplicate_dismissals as dd, municipalities as m, users as u,
};
use crate::db::{DbConn, write_tx};
use crate::error::{ApiError, ApiResult};
use crate::notifications::now;
use navigator_shared::ids::ChildId;

/// The most letters two full names may differ by and still be offered.
const NAME_DISTANCE: usize = 2;

/// Pairs `(older, newer)` of the territory's children born the same day
/// with the same last name or the same address, not yet marked «не дубликат»
/// and neither depersonalized.
fn candidates(conn: &mut DbConn, municipality: Option<i64>) -> QueryResult<Vec<(i64, i64)>> {
    let (a, b) = diesel::alias!(ch as a, ch as b);
    let mut query = a
        .inner_join(
            b.on(b.field(ch::birth_date).eq(a.field(ch::birth_date)).and(b.field(ch::id).gt(a.field(ch::id))).and(
                b.field(ch::last_name_key)
                    .eq(a.field(ch::last_name_key))
                    .or(b.field(ch::address).eq(a.field(ch::address))),
            )),
        )
        .filter(not(exists(dd::table.filter(dd::child_a.eq(a.field(ch::id))).filter(dd::child_b.eq(b.field(ch::id))))))
        // A depersonalized record is nobody's any more: never one of a pair.
        .filter(a.field(ch::depersonalized_at).is_null().and(b.field(ch::depersonalized_at).is_null()))
        .select((a.field(ch::id), b.field(ch::id)))
        .order((a.field(ch::id), b.field(ch::id)))
        .into_boxed();
    if let Some(own) = municipality {
        query = query.filter(a.field(ch::municipality_id).eq(own).or(b.field(ch::municipality_id).eq(own)));
    }
    query.load(conn)
}

/// What the finder compares of a child.
#[derive(Debug, Clone, Queryable)]
struct Record {
    id: i64,
    last_name: String,
    first_name: String,
    middle_name: Option<String>,
    birth_date: chrono::NaiveDate,
    address: String,
    snils_hash: String,
    municipality: String,
    parent_last: String,
    parent_first: String,
    parent_email: String,
    certificate_number: Option<String>,
    certificate_status: Option<CertificateStatus>,
}

impl Record {
    fn full_name(&self) -> String {
        [self.last_name.as_str(), self.first_name.as_str(), self.middle_name.as_deref().unwrap_or_default()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn dto(&self) -> DuplicateChild {
        DuplicateChild {
            id: self.id,
            full_name: self.full_name(),
            birth_date: self.birth_date,
            address: self.address.clone(),
            municipality: self.municipality.clone(),
            parent_name: format!("{} {}", self.parent_last, self.parent_first),
            parent_email: self.parent_email.clone(),
            certificate_number: self.certificate_number.clone(),
            certificate_status: self.certificate_status,
        }
    }
}

fn records(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, Record>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<Record> = ch::table
            .inner_join(m::table.on(m::id.eq(ch::municipality_id)))
            .inner_join(u::table.on(u::id.eq(ch::parent_id)))
            .left_join(c::table.on(c::child_id.eq(ch::id)))
            .filter(ch::id.eq_any(chunk))
            .select((
                ch::id,
                ch::last_name,
                ch::first_name,
                ch::middle_name,
                ch::birth_date,
                ch::address,
                ch::snils_hash,
                m::name,
                u::last_name,
                u::first_name,
                u::email,
                c::number.nullable(),
                c::status.nullable(),
            ))
            .load(conn)?;
        out.extend(rows.into_iter().map(|r| (r.id, r)));
    }
    Ok(out)
}

/// Letters to change, add or remove to turn `a` into `b`.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// An address compared without case, punctuation or spacing.
fn address_key(address: &str) -> String {
    address.to_lowercase().replace('ё', "е").chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Why two records born the same day may be one child, if they may.
fn reason(a: &Record, b: &Record) -> Option<DuplicateReason> {
    let key = |r: &Record| duplicate_key(&r.last_name, &r.first_name, r.middle_name.as_deref(), r.birth_date);
    if key(a) == key(b) {
        return (a.snils_hash != b.snils_hash).then_some(DuplicateReason::SameName);
    }
    let name = |r: &Record| name_key(&r.full_name());
    let apart = distance(&name(a), &name(b));
    (apart <= NAME_DISTANCE && address_key(&a.address) == address_key(&b.address))
        .then_some(DuplicateReason::SimilarName)
}

/// A page of possible duplicates of the caller's territory (operator, admin).
pub async fn list(state: &AppState, caller: AuthUser, query: PageQuery) -> ApiResult<Page<DuplicatePair>> {
    let (page, per_page) = query.resolve()?;
    state
        .db(move |conn| {
            let territory = scope::territory(conn, &caller)?;
            let pairs = candidates(conn, territory.municipality())?;
            let mut ids: Vec<i64> = pairs.iter().flat_map(|(a, b)| [*a, *b]).collect();
            ids.sort_unstable();
            ids.dedup();
            let records = records(conn, &ids)?;
            let found: Vec<DuplicatePair> = pairs
                .iter()
                .filter_map(|(a, b)| {
                    let (a, b) = (records.get(a)?, records.get(b)?);
                    let reason = reason(a, b)?;
                    Some(DuplicatePair {
                        reason,
                        reason_title: reason.title().to_owned(),
                        children: vec![a.dto(), b.dto()],
                    })
                })
                .collect();
            let total = found.len() as i64;
            let start = usize::try_from((page - 1) * per_page).unwrap_or(usize::MAX);
            let items = found.into_iter().skip(start).take(usize::try_from(per_page).unwrap_or(0)).collect();
            Ok::<_, ApiError>(Page { items, total, page, per_page })
        })
        .await
}

/// «Не дубликат»: the pair is not offered again; audited on both records.
/// Marking a pair again changes nothing.
pub async fn dismiss(state: &AppState, caller: AuthUser, request: NotDuplicateRequest) -> ApiResult<()> {
    let ((first, second), reason) = request.validate()?;
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let territory = scope::territory(conn, &caller)?;
                let found = crate::children::repo::find_many(conn, &[ChildId(first), ChildId(second)])?;
                let covered = found.iter().any(|child| territory.covers(child.municipality_id));
                if found.len() != 2 || !covered {
                    return Err(ApiError::NotFound { detail: "Запись реестра не найдена" });
                }
                let inserted = crate::db::insert_unique(conn, |c| {
                    diesel::insert_into(dd::table)
                        .values((
                            dd::child_a.eq(first),
                            dd::child_b.eq(second),
                            dd::dismissed_by.eq(caller.id),
                            dd::created_at.eq(now()),
                        ))
                        .execute(c)
                })?;
                if inserted.is_some() {
                    for (child, other) in [(first, second), (second, first)] {
                        let changes = serde_json::json!({ "not_duplicate_of": other });
                        audit::record(
                            conn,
                            caller.id,
                            ChildId(child),
                            Action::NotDuplicate,
                            Some(&changes),
                            Some(&reason),
                        )?;
                    }
                }
                Ok(())
            })
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_letters_changed_added_or_removed() {
        assert_eq!(distance("иванов иван", "иванов иван"), 0);
        assert_eq!(distance("иванов иван", "ивонов иван"), 1);
        assert_eq!(distance("петрова анна", "петрова яна"), 2);
        assert_eq!(distance("", "абв"), 3);
    }

    #[test]
    fn addresses_compare_without_punctuation_or_case() {
        assert_eq!(address_key("г. Смоленск, ул. Ленина, д. 1"), address_key("Г Смоленск ул Ленина д 1"));
    }
}
