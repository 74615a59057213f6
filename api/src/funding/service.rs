//! Rules of funding: one period per municipality and year, one live request
//! per certificate and period, a decision within 5 working days, and limits
//! that hold under concurrent approvals.

use chrono::{Datelike, NaiveDate};
use navigator_shared::ErrorCode;
use navigator_shared::accounts::Role;
use navigator_shared::funding::{
    FundingKind, FundingPeriod, FundingPeriodInput, FundingRefusal, FundingRefuseRequest, FundingRequest,
    FundingRequestStatus, FundingRequestsQuery, LedgerKind,
};
use navigator_shared::ids::ChildId;
use navigator_shared::money::rubles;
use navigator_shared::reference::{Page, PageQuery};

use super::repo::{self, PeriodRow, RequestRow};
use crate::auth::AuthUser;
use crate::auth::scope;
use crate::children::certificates;
use crate::children::certificates::repo::CertificateRow;
use crate::children::repo::ChildRow;
use crate::db::{DbConn, write_tx};
use crate::error::{ApiError, ApiResult};
use crate::idempotency::Receipt;
use crate::ledger::repo::{self as ledger, Movement, PostError};
use crate::notifications::{self, now, templates};
use crate::{AppState, children, reference, registry};
use navigator_shared::children::CertificateStatus;
use navigator_shared::ids::CertificateId;

/// Working days the operator has to decide (seed 001).
pub const DECIDE_WITHIN_WORKING_DAYS: u32 = 5;

const PERIOD_NOT_FOUND: &str = "Период финансирования не найден";
const REQUEST_NOT_FOUND: &str = "Заявление не найдено";
const OTHER_MUNICIPALITY: &str = "Финансированием этого муниципалитета занимается его оператор";

fn period_dto(conn: &mut DbConn, row: PeriodRow) -> ApiResult<FundingPeriod> {
    Ok(FundingPeriod {
        municipality_name: reference::repo::municipality_name(conn, row.municipality_id)?.unwrap_or_default(),
        id: row.id,
        municipality_id: row.municipality_id,
        year: row.year,
        nominal: row.nominal,
        max_certificates: row.max_certificates,
        max_volume: row.max_volume,
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        funded_count: row.funded_count,
        funded_volume: row.funded_volume,
        advance_percent: row.advance_percent,
        kind: row.kind,
        unit: row.unit,
    })
}

/// The periods of the operator's municipality (all for the admin).
pub async fn periods(state: &AppState, caller: AuthUser, year: Option<i32>) -> ApiResult<Vec<FundingPeriod>> {
    state
        .db(move |conn| {
            let territory = scope::territory(conn, &caller)?;
            let rows = repo::periods(conn, territory.municipality(), year)?;
            rows.into_iter().map(|row| period_dto(conn, row)).collect()
        })
        .await
}

fn check_period(conn: &mut DbConn, caller: &AuthUser, input: &FundingPeriodInput) -> ApiResult<()> {
    scope::territory(conn, caller)?.require(input.municipality_id, OTHER_MUNICIPALITY)?;
    input.validate()?;
    if !reference::repo::municipality_exists(conn, input.municipality_id)? {
        return Err(ApiError::field(
            ErrorCode::UnknownMunicipality,
            "municipality_id",
            "Такого муниципалитета нет в списке",
        ));
    }
    Ok(())
}

/// Opens the funding period of a municipality for a year.
pub async fn create_period(
    state: &AppState,
    caller: AuthUser,
    input: FundingPeriodInput,
    receipt: Receipt,
) -> ApiResult<FundingPeriod> {
    state
        .db(move |conn| {
            check_period(conn, &caller, &input)?;
            write_tx(conn, |conn| {
                let id = repo::insert_period(conn, &input, now())?.ok_or_else(|| ApiError::Conflict {
                    code: ErrorCode::PeriodExists,
                    detail: format!("Период финансирования на {} год для этого муниципалитета уже есть", input.year),
                })?;
                let row = repo::find_period(conn, id)?.ok_or(ApiError::NotFound { detail: PERIOD_NOT_FOUND })?;
                let answer = period_dto(conn, row)?;
                receipt.keep(conn, answer)
            })
        })
        .await
}

/// Changes a period's nominal, limits or dates. The limits cannot go below
/// what is already used, and the nominal is fixed once credited.
pub async fn update_period(
    state: &AppState,
    caller: AuthUser,
    id: i64,
    input: FundingPeriodInput,
) -> ApiResult<FundingPeriod> {
    state
        .db(move |conn| {
            let row = repo::find_period(conn, id)?.ok_or(ApiError::NotFound { detail: PERIOD_NOT_FOUND })?;
            scope::territory(conn, &caller)?.require(row.municipality_id, OTHER_MUNICIPALITY)?;
            if input.municipality_id != row.municipality_id || input.year != row.year {
                return Err(ApiError::field(
                    ErrorCode::PeriodFixed,
                    "year",
                    "Муниципалитет и год периода не меняются: откройте новый период",
                ));
            }
            check_period(conn, &caller, &input)?;
            if repo::update_period(conn, id, &input, now())? == 0 {
                let used = repo::find_period(conn, id)?.ok_or(ApiError::NotFound { detail: PERIOD_NOT_FOUND })?;
                return Err(ApiError::Conflict {
                    code: ErrorCode::LimitsBelowUsed,
                    detail: format!(
                        "Уже профинансировано {} сертификатов на {}: лимиты не могут быть меньше, \
                         а номинал после зачислений не меняется",
                        used.funded_count,
                        rubles(used.funded_volume)
                    ),
                });
            }
            let row = repo::find_period(conn, id)?.ok_or(ApiError::NotFound { detail: PERIOD_NOT_FOUND })?;
            period_dto(conn, row)
        })
        .await
}

pub fn request_dto(conn: &mut DbConn, row: RequestRow, full_name: bool) -> ApiResult<FundingRequest> {
    let period = repo::find_period(conn, row.period_id)?.ok_or(ApiError::NotFound { detail: PERIOD_NOT_FOUND })?;
    let certificate = certificates::repo::find(conn, row.certificate_id)?
        .ok_or_else(|| anyhow::anyhow!("funding request {} without its certificate", row.id))?;
    let child = children::repo::find(conn, certificate.child_id)?
        .ok_or_else(|| anyhow::anyhow!("certificate {} without its child", certificate.id))?;
    let status = row.status;
    let reason = row.reason.as_deref().and_then(FundingRefusal::parse);
    let today = crate::clock::today();
    Ok(FundingRequest {
        id: row.id,
        certificate_number: certificate.number,
        child_name: if full_name {
            navigator_shared::validate::full_name(&child.last_name, &child.first_name, child.middle_name.as_deref())
        } else {
            child.first_name
        },
        municipality_id: period.municipality_id,
        year: period.year,
        nominal: period.nominal,
        account: period.account(),
        status,
        status_title: status.title().to_owned(),
        reason,
        reason_title: reason.map(|r| r.title().to_owned()),
        comment: row.comment,
        due_date: row.due_date,
        overdue: status == FundingRequestStatus::Submitted && row.due_date < today,
        created_at: row.created_at.and_utc(),
        decided_at: row.decided_at.map(|t| t.and_utc()),
    })
}

fn refusal(reason: FundingRefusal, detail: String) -> ApiError {
    ApiError::Conflict { code: reason.into(), detail }
}

/// The family (or staff for a visitor) asks to credit this year's nominal.
pub async fn request(
    state: &AppState,
    caller: AuthUser,
    (child_id, kind): (i64, FundingKind),
    receipt: Receipt,
) -> ApiResult<FundingRequest> {
    let wide = state.config.activation_points_region_wide;
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let child = match caller.role {
                    Role::Parent | Role::Learner => scope::owned_child(conn, &caller, ChildId(child_id))?,
                    _ => {
                        let child = children::repo::find(conn, ChildId(child_id))?
                            .ok_or(ApiError::NotFound { detail: "Ребёнок не найден" })?;
                        registry::service::serves_family(conn, &caller, &child, wide)?;
                        child
                    }
                };
                let row = file(conn, caller.id, &child, kind)?;
                let answer = request_dto(conn, row, caller.role != Role::Parent && caller.role != Role::Learner)?;
                receipt.keep(conn, answer)
            })
        })
        .await
}

/// Files the request of `child`'s certificate for the current period of `kind`.
pub fn file(conn: &mut DbConn, by: i64, child: &ChildRow, kind: FundingKind) -> ApiResult<RequestRow> {
    child.processable()?;
    let today = crate::clock::today();
    let certificate = certificates::repo::of_child(conn, child.id)?.ok_or_else(|| {
        refusal(FundingRefusal::NoActiveCertificate, "У ребёнка нет сертификата: сначала получите его".into())
    })?;
    if certificate.status != CertificateStatus::Active {
        return Err(refusal(
            FundingRefusal::NoActiveCertificate,
            "Сертификат ещё не активирован: принесите документы в пункт активации".into(),
        ));
    }
    let period = repo::current_period(conn, child.municipality_id, today, kind)?.ok_or_else(|| ApiError::Conflict {
        code: ErrorCode::NoFundingPeriod,
        detail: format!(
            "В муниципалитете ребёнка нет действующего периода финансирования ({}) на {} год",
            kind.title(),
            today.year()
        ),
    })?;
    if ledger::credited_for(conn, certificate.id, period.id)? {
        return Err(refusal(FundingRefusal::AlreadyFunded, "Номинал на этот период уже зачислен на сертификат".into()));
    }
    let due = crate::calendar::repo::load(conn, today)?.add_working_days(today, DECIDE_WITHIN_WORKING_DAYS);
    let id =
        repo::insert_request(conn, certificate.id, period.id, by, due, now())?.ok_or_else(|| ApiError::Conflict {
            code: ErrorCode::FundingRequested,
            detail: "Заявление на этот период уже подано: оператор рассмотрит его в течение 5 рабочих дней".into(),
        })?;
    repo::find_request(conn, id)?.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("new funding request vanished")))
}

/// The operator's queue: oldest first, overdue ones flagged.
pub async fn queue(state: &AppState, caller: AuthUser, query: FundingRequestsQuery) -> ApiResult<Page<FundingRequest>> {
    let (page, per_page) = PageQuery { page: query.page, per_page: query.per_page }.resolve()?;
    let status = query.status.unwrap_or(FundingRequestStatus::Submitted);
    state
        .db(move |conn| {
            let territory = scope::territory(conn, &caller)?;
            let (rows, total) = repo::queue(conn, territory.municipality(), status, page, per_page)?;
            let items = rows.into_iter().map(|row| request_dto(conn, row, true)).collect::<ApiResult<_>>()?;
            Ok::<_, ApiError>(Page { items, total, page, per_page })
        })
        .await
}

/// A request the operator may decide: of their territory (403 otherwise).
fn decided_request(conn: &mut DbConn, caller: &AuthUser, id: i64) -> ApiResult<(RequestRow, PeriodRow)> {
    let territory = scope::territory(conn, caller)?;
    let row = repo::find_request(conn, id)?.ok_or(ApiError::NotFound { detail: REQUEST_NOT_FOUND })?;
    let period = repo::find_period(conn, row.period_id)?.ok_or(ApiError::NotFound { detail: PERIOD_NOT_FOUND })?;
    territory.require(period.municipality_id, OTHER_MUNICIPALITY)?;
    Ok((row, period))
}

fn already_decided() -> ApiError {
    ApiError::Conflict {
        code: ErrorCode::AlreadyDecided, detail: "Заявление уже рассмотрено".into()
    }
}

/// Approves: takes one certificate and one nominal from the period's limits
/// and credits the nominal to the certificate, all in one transaction.
pub async fn approve(state: &AppState, caller: AuthUser, id: i64, receipt: Receipt) -> ApiResult<FundingRequest> {
    let links = state.links();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let (row, period) = decided_request(conn, &caller, id)?;
                credit(conn, &links, caller.id, &row, &period)?;
                let row = repo::find_request(conn, id)?.ok_or(ApiError::NotFound { detail: REQUEST_NOT_FOUND })?;
                let answer = request_dto(conn, row, true)?;
                receipt.keep(conn, answer)
            })
        })
        .await
}

/// Approves a submitted request: takes one certificate and one nominal from
/// the period's limits, credits the nominal and tells the family.
pub fn credit(conn: &mut DbConn, links: &crate::Links, by: i64, row: &RequestRow, period: &PeriodRow) -> ApiResult<()> {
    let certificate = certificates::repo::find(conn, row.certificate_id)?
        .ok_or_else(|| anyhow::anyhow!("funding request {} without its certificate", row.id))?;
    // Last year's remainder burns before this year's nominal arrives: it never stacks.
    expire_certificate(conn, certificate.id, crate::clock::today())?;
    if certificate.status != CertificateStatus::Active {
        return Err(refusal(
            FundingRefusal::NoActiveCertificate,
            "Сертификат не активирован: откажите с этой причиной".into(),
        ));
    }
    let now = now();
    if repo::decide(conn, row.id, FundingRequestStatus::Approved, None, None, by, now)? == 0 {
        return Err(already_decided());
    }
    if repo::take_from_limits(conn, period.id, now)? == 0 {
        return Err(limit_reached(conn, period.id)?);
    }
    let account = period.account();
    let credit = Movement {
        certificate_id: certificate.id,
        account,
        kind: LedgerKind::Credit,
        amount: period.nominal,
        period_id: Some(period.id),
        contract_id: None,
        month: None,
        reason: &match account {
            navigator_shared::funding::Account::Personified => format!("Номинал на {} год", period.year),
            _ => format!("Номинал социального сертификата на {} год", period.year),
        },
        created_by: Some(by),
    };
    match ledger::post(conn, &credit) {
        Ok(()) => {}
        Err(PostError::Duplicate) => {
            return Err(refusal(
                FundingRefusal::AlreadyFunded,
                "Номинал на этот период уже зачислен: откажите с этой причиной".into(),
            ));
        }
        Err(PostError::Uncovered) => {
            return Err(ApiError::Conflict {
                code: ErrorCode::CreditNotPosted,
                detail: format!(
                    "Номинал не зачислен: сертификат № {} не найден в реестре или номинал периода не положителен",
                    certificate.number
                ),
            });
        }
        Err(PostError::Db(e)) => return Err(e.into()),
    }
    certificates::repo::make_funded(conn, certificate.id, now)?;
    tell_family(conn, &certificate, |name, child| {
        templates::funding_approved(
            name,
            child,
            &certificate.number,
            &account.show(period.nominal),
            &links.page(&format!("/children/{}/certificate", certificate.child_id)),
        )
    })
}

/// Which limit stopped an approval, in words.
fn limit_reached(conn: &mut DbConn, period_id: i64) -> ApiResult<ApiError> {
    let period = repo::find_period(conn, period_id)?.ok_or(ApiError::NotFound { detail: PERIOD_NOT_FOUND })?;
    Ok(if period.funded_count >= period.max_certificates {
        refusal(
            FundingRefusal::CountLimit,
            format!(
                "Достигнуто предельное число сертификатов финансирования ({}): откажите с этой причиной",
                period.max_certificates
            ),
        )
    } else {
        refusal(
            FundingRefusal::VolumeLimit,
            format!(
                "Объём финансирования исчерпан: осталось {}, номинал {}. Откажите с этой причиной",
                rubles(period.max_volume - period.funded_volume),
                rubles(period.nominal)
            ),
        )
    })
}

/// Refuses with one of the official reasons.
pub async fn refuse(
    state: &AppState,
    caller: AuthUser,
    id: i64,
    request: FundingRefuseRequest,
    receipt: Receipt,
) -> ApiResult<FundingRequest> {
    let links = state.links();
    state
        .db(move |conn| {
            let comment = request.comment()?;
            write_tx(conn, |conn| {
                let (row, _) = decided_request(conn, &caller, id)?;
                let reason = request.reason;
                if repo::decide(
                    conn,
                    id,
                    FundingRequestStatus::Refused,
                    Some(reason.as_str()),
                    comment.as_deref(),
                    caller.id,
                    now(),
                )? == 0
                {
                    return Err(already_decided());
                }
                let certificate = certificates::repo::find(conn, row.certificate_id)?
                    .ok_or_else(|| anyhow::anyhow!("funding request {id} without its certificate"))?;
                tell_family(conn, &certificate, |name, child| {
                    templates::funding_refused(
                        name,
                        child,
                        reason.title(),
                        comment.as_deref(),
                        &links.page(&format!("/children/{}/certificate", certificate.child_id)),
                    )
                })?;
                let row = repo::find_request(conn, id)?.ok_or(ApiError::NotFound { detail: REQUEST_NOT_FOUND })?;
                let answer = request_dto(conn, row, true)?;
                receipt.keep(conn, answer)
            })
        })
        .await
}

fn tell_family(
    conn: &mut DbConn,
    certificate: &CertificateRow,
    email: impl Fn(&str, &str) -> notifications::Email,
) -> ApiResult<()> {
    let Some(child) = children::repo::find(conn, certificate.child_id)? else { return Ok(()) };
    notifications::family::inform_family(conn, child.id, |name| email(name, &child.first_name))?;
    Ok(())
}

/// Seed 003: the nominal is given «на текущий календарный год». At the end of
/// a funding period what the certificate has unreserved is withdrawn by an
/// `expire` entry; reserves of signed contracts are carried with them and
/// charged as agreed. Returns the sum withdrawn.
///
/// Once per certificate and period (a unique index), and the update of
/// `available` is conditional: safe when two instances run it at once.
pub fn expire_certificate(conn: &mut DbConn, certificate_id: CertificateId, today: NaiveDate) -> ApiResult<i64> {
    let mut withdrawn = 0;
    for (period, year, ends_on, account) in ledger::unexpired_ended(conn, certificate_id, today)? {
        let available = ledger::balance_of(conn, certificate_id, account)?.available;
        if available <= 0 {
            continue;
        }
        let expire = Movement {
            certificate_id,
            account,
            kind: LedgerKind::Expire,
            amount: available,
            period_id: Some(period),
            contract_id: None,
            month: None,
            reason: &format!(
                "Остаток номинала на {year} год: период финансирования закончился {}",
                ends_on.format("%d.%m.%Y")
            ),
            created_by: None,
        };
        match ledger::post(conn, &expire) {
            Ok(()) => withdrawn += available,
            // Expired by another instance, or the sum changed meanwhile: the next pass sees it.
            Err(PostError::Duplicate | PostError::Uncovered) => {}
            Err(PostError::Db(e)) => return Err(e.into()),
        }
    }
    Ok(withdrawn)
}

/// The expiry pass of every period that ended before `today`; a period is
/// marked done when each of its certificates was handled. Returns how many
/// certificates lost a remainder.
pub fn expire_ended(conn: &mut DbConn, today: NaiveDate) -> ApiResult<usize> {
    let mut expired = 0;
    for (period, _) in repo::ended_unexpired(conn, today)? {
        for certificate in ledger::with_available_from(conn, period)? {
            let withdrawn = write_tx(conn, |conn| expire_certificate(conn, certificate, today))?;
            expired += usize::from(withdrawn > 0);
        }
        repo::mark_expired(conn, period, now())?;
    }
    if expired > 0 {
        tracing::info!(expired, "remainders of ended funding periods withdrawn");
    }
    Ok(expired)
}
