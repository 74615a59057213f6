//! The certificate's money as the family and the registry staff see it.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use navigator_shared::children::CertificateStatus;
use navigator_shared::funding::{AccountBalance, FundingKind, FundingRequest, Ledger, LedgerEntry, SocialFunding};
use navigator_shared::ids::CertificateId;

use crate::auth::{AuthUser, scope};
use crate::children::certificates;
use crate::db::DbConn;
use crate::db::schema::{contracts as c, program_modules as m, programs as p};
use crate::error::{ApiError, ApiResult};
use crate::ledger::repo;
use crate::{AppState, funding, registry};
use navigator_shared::accounts::Role;
use navigator_shared::reference::PageQuery;

const NOT_FOUND: &str = "Сертификат не найден";

/// The day the certificate stops serving: the child's 18th birthday.
fn serves_until(birth: NaiveDate) -> NaiveDate {
    birth.with_year(birth.year() + 18).or_else(|| NaiveDate::from_ymd_opt(birth.year() + 18, 3, 1)).unwrap_or(birth)
}

/// Program titles of contracts.
fn programs_of(conn: &mut DbConn, contracts: &[i64]) -> QueryResult<HashMap<i64, String>> {
    let rows: Vec<(i64, String)> = c::table
        .inner_join(m::table.inner_join(p::table))
        .filter(c::id.eq_any(contracts.to_vec()))
        .select((c::id, p::title))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// The live request for `period` and whether one may be sent (a period is
/// open, nothing credited from it, no live request).
fn funding_state(
    conn: &mut DbConn,
    certificate: CertificateId,
    period: Option<&funding::repo::PeriodRow>,
) -> ApiResult<(Option<FundingRequest>, bool)> {
    let Some(period) = period else { return Ok((None, false)) };
    let request = match funding::repo::live_request(conn, certificate, period.id)? {
        Some(row) => Some(funding::service::request_dto(conn, row, false)?),
        None => None,
    };
    let credited = repo::credited_for(conn, certificate, period.id)?;
    let may = request.is_none() && !credited;
    Ok((request, may))
}

/// `GET /certificates/{number}/ledger`: for the child's family, the operator
/// of the child's municipality and the admin. An activation point's work is
/// the record, not its money: it gets 403.
pub async fn ledger(state: &AppState, caller: AuthUser, number: String, pages: PageQuery) -> ApiResult<Ledger> {
    let (page, per_page) = pages.resolve().map_err(ApiError::Validation)?;
    state
        .db(move |conn| {
            let (certificate, child) =
                certificates::repo::by_number(conn, number.trim())?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
            match caller.role {
                Role::Parent | Role::Learner => {
                    scope::owned_child(conn, &caller, child.id)
                        .map_err(|_| ApiError::NotFound { detail: NOT_FOUND })?;
                }
                _ => registry::service::administers_family(conn, &caller, &child)?,
            }
            let today = crate::clock::today();
            let balance = repo::balance(conn, certificate.id)?;
            let period = funding::repo::current_period(conn, child.municipality_id, today, FundingKind::Personified)?;
            let (funding_request, can_request) = funding_state(conn, certificate.id, period.as_ref())?;
            let social_period = funding::repo::current_period(conn, child.municipality_id, today, FundingKind::Social)?;
            let (social_request, can_request_social) = funding_state(conn, certificate.id, social_period.as_ref())?;
            let active = certificate.status == CertificateStatus::Active;
            let social_funding = social_period.map(|p| SocialFunding {
                nominal: p.nominal,
                unit: p.unit,
                valid_from: p.starts_on,
                valid_to: p.ends_on,
                can_request: active && can_request_social,
                request: social_request,
            });
            let social = repo::social_balances(conn, certificate.id)?
                .into_iter()
                .map(|(account, balance)| AccountBalance {
                    account,
                    title: account.title().to_owned(),
                    unit: account.unit(),
                    balance,
                })
                .collect();
            let (rows, entries_total) = repo::entries(conn, certificate.id, (page, per_page))?;
            let contract_ids: Vec<i64> = rows.iter().filter_map(|r| r.contract_id).collect();
            let programs = programs_of(conn, &contract_ids)?;
            let entries = rows
                .into_iter()
                .map(|row| LedgerEntry {
                    id: row.id,
                    account: row.account,
                    kind: row.kind,
                    kind_title: row.kind.title().to_owned(),
                    amount: row.amount,
                    month: row.month,
                    program_title: row.contract_id.and_then(|id| programs.get(&id).cloned()),
                    contract_id: row.contract_id,
                    reason: row.reason,
                    created_at: row.created_at.and_utc(),
                })
                .collect();
            let status = certificate.status;
            Ok::<_, ApiError>(Ledger {
                number: certificate.number,
                child_name: child.first_name,
                kind: certificate.kind,
                status,
                status_title: status.title().to_owned(),
                balance,
                can_request_funding: active && can_request,
                nominal: period.as_ref().map(|p| p.nominal),
                valid_from: period.as_ref().map(|p| p.starts_on),
                valid_to: period.as_ref().map(|p| p.ends_on),
                certificate_valid_to: serves_until(child.birth_date),
                funding_request,
                social,
                social_funding,
                entries,
                entries_total,
                page,
                per_page,
            })
        })
        .await
}
