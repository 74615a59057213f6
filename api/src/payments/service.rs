//! Rules of paying providers. The organization's reach comes from its staff
//! account and the operator's from their municipality, never from the
//! request; every sum of an invoice comes from the ledger: its charges and
//! refunds of the month and, as corrections, those of earlier months no
//! invoice has counted yet, each paid through one invoice only.

use std::collections::HashMap;

use chrono::NaiveDate;
use navigator_shared::ErrorCode;
use navigator_shared::accounts::Role;
use navigator_shared::applications::{add_months, month_start, parse_month};
use navigator_shared::money::rubles;
use navigator_shared::payments::{
    ADVANCE_FROM_WORKING_DAY, PaymentKind, PaymentLine, PaymentMonth, PaymentPaidInput, PaymentRegister,
    PaymentRequest, PaymentRequestInput, PaymentRequestUpdate, PaymentRequestsQuery, PaymentReturnInput, PaymentStatus,
    advance_limit,
};
use navigator_shared::reference::{Page, PageQuery};
use navigator_shared::{FieldErrors, validate};

use super::repo::{self, Filter, NewLine, NewPayment, PaymentRow, Reach, Sums};
use crate::applications::contracts;
use crate::auth::{AuthUser, scope};
use crate::db::{DbConn, write_tx};
use crate::documents::sheet::{csv as csv_text, text as cell};
use crate::error::{ApiError, ApiResult};
use crate::idempotency::Receipt;
use crate::notifications::{self, Recipient, now, templates};
use crate::{AppState, Links, organizations, reference};

const NOT_FOUND: &str = "Заявка на оплату не найдена";

fn month_of(raw: &str, field: &'static str) -> ApiResult<NaiveDate> {
    parse_month(raw)
        .ok_or_else(|| ApiError::field(ErrorCode::InvalidMonth, field, "Месяц в виде ГГГГ-ММ, например 2026-11"))
}

/// The last day of the month of `month`.
fn last_day(month: NaiveDate) -> NaiveDate {
    add_months(month, 1).pred_opt().unwrap_or(month)
}

/// The first day of `month` an advance may be sent: its second working day.
fn advance_opens_on(conn: &mut DbConn, month: NaiveDate) -> ApiResult<NaiveDate> {
    let eve = month.pred_opt().unwrap_or(month);
    Ok(crate::calendar::repo::load(conn, eve)?.add_working_days(eve, ADVANCE_FROM_WORKING_DAY))
}

/// What the organization's running contracts are to be charged in `month`.
fn expected(conn: &mut DbConn, organization: i64, month: NaiveDate) -> ApiResult<i64> {
    let contracts = contracts::repo::active_of_organization(conn, organization)?;
    Ok(contracts
        .iter()
        .filter(|c| c.account.unit() == navigator_shared::funding::Unit::Rub)
        .map(|c| contracts::service::expected_charge(c, month))
        .sum())
}

/// The funding period's advance share for the organization's municipality.
fn percent(conn: &mut DbConn, municipality: i64, month: NaiveDate) -> ApiResult<i32> {
    repo::advance_percent(conn, municipality, (month, last_day(month)))?.ok_or_else(|| ApiError::Conflict {
        code: ErrorCode::NoFundingPeriod,
        detail: "На этот месяц в муниципалитете нет периода финансирования: обратитесь к оператору".into(),
    })
}

/// The lines of an invoice for `month`: every unclaimed charge and refund of
/// the month and of earlier months (the latter as corrections, with what
/// earlier invoices counted and what the month comes to now).
fn build_lines(conn: &mut DbConn, row: &PaymentRow) -> ApiResult<Vec<NewLine>> {
    let entries = repo::unclaimed(conn, row.organization_id, row.month, row.id)?;
    // Entries of one contract and month: earlier months' together make one correction.
    let mut lines = Vec::with_capacity(entries.len());
    let mut counted: HashMap<(i64, NaiveDate), i64> = HashMap::new();
    for entry in entries {
        if entry.month == row.month {
            lines.push(NewLine { entry, original: None, corrected: None });
            continue;
        }
        let key = (entry.contract_id, entry.month);
        let before = match counted.get(&key) {
            Some(sum) => *sum,
            None => repo::invoiced(conn, entry.contract_id, entry.month, row.id)?,
        };
        let after = before + entry.amount;
        counted.insert(key, after);
        lines.push(NewLine { entry, original: Some(before), corrected: Some(after) });
    }
    Ok(lines)
}

/// The month's advance taken off an invoice: an approved or paid one; an
/// advance still being decided holds the invoice back.
fn advance_of(conn: &mut DbConn, row: &PaymentRow) -> ApiResult<i64> {
    let advance =
        repo::of_month(conn, row.organization_id, row.month)?.into_iter().find(|r| r.kind == PaymentKind::Advance);
    match advance {
        Some(a) if a.status.granted() => Ok(a.amount),
        Some(a) if a.status == PaymentStatus::Submitted => Err(ApiError::Conflict {
            code: ErrorCode::AdvancePending,
            detail: "Аванс за этот месяц ещё рассматривается: отправьте счёт после решения оператора".into(),
        }),
        _ => Ok(0),
    }
}

fn sums_of(lines: &[NewLine], advance: i64) -> Sums {
    let charges: i64 = lines.iter().filter(|l| l.original.is_none()).map(|l| l.entry.amount).sum();
    let corrections: i64 = lines.iter().filter(|l| l.original.is_some()).map(|l| l.entry.amount).sum();
    Sums { amount: charges + corrections - advance, charges, corrections, advance }
}

/// The answers of a list, without lines: the organizations in one query.
fn list_dtos(conn: &mut DbConn, rows: &[PaymentRow]) -> ApiResult<Vec<PaymentRequest>> {
    let mut ids: Vec<i64> = rows.iter().map(|r| r.organization_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let names: HashMap<i64, (String, String)> =
        organizations::repo::find_many(conn, &ids)?.into_iter().map(|o| (o.id, (o.name, o.inn))).collect();
    Ok(rows.iter().map(|row| bare(row, names.get(&row.organization_id).cloned().unwrap_or_default())).collect())
}

/// The answer of one request with its lines.
fn to_dto(conn: &mut DbConn, row: &PaymentRow) -> ApiResult<PaymentRequest> {
    let organization = organizations::repo::find(conn, row.organization_id)?;
    let mut answer = bare(row, organization.map(|o| (o.name, o.inn)).unwrap_or_default());
    if row.kind != PaymentKind::Invoice {
        return Ok(answer);
    }
    with_lines(conn, row, &mut answer)?;
    Ok(answer)
}

/// The answer of `row` without lines; `(organization name, INN)`.
fn bare(row: &PaymentRow, (organization_name, organization_inn): (String, String)) -> PaymentRequest {
    PaymentRequest {
        id: row.id,
        organization_id: row.organization_id,
        organization_name,
        organization_inn,
        municipality_id: row.municipality_id,
        kind: row.kind,
        kind_title: row.kind.title().to_owned(),
        month: row.month,
        status: row.status,
        status_title: row.status.title().to_owned(),
        amount: row.amount,
        charges: row.charges,
        corrections: row.corrections,
        advance: row.advance,
        note: row.note.clone(),
        return_comment: row.return_comment.clone(),
        payment_order: row.payment_order.clone(),
        paid_on: row.paid_on,
        lines: Vec::new(),
        created_at: row.created_at.and_utc(),
        submitted_at: row.submitted_at.map(|t| t.and_utc()),
        decided_at: row.decided_at.map(|t| t.and_utc()),
    }
}

/// Fills the lines of an invoice's answer.
fn with_lines(conn: &mut DbConn, row: &PaymentRow, answer: &mut PaymentRequest) -> ApiResult<()> {
    // What is still being prepared shows what it would send now.
    let stored: Vec<repo::StoredLine> = if row.status.editable() {
        let lines = build_lines(conn, row)?;
        let advance = advance_of(conn, row).unwrap_or(0);
        let sums = sums_of(&lines, advance);
        (answer.amount, answer.charges, answer.corrections, answer.advance) =
            (sums.amount, sums.charges, sums.corrections, sums.advance);
        lines.iter().map(|l| (l.entry.contract_id, l.entry.month, l.entry.amount, l.original, l.corrected)).collect()
    } else {
        repo::lines(conn, row.id)?
    };
    let mut ids: Vec<i64> = stored.iter().map(|l| l.0).collect();
    ids.sort_unstable();
    ids.dedup();
    let names: HashMap<i64, (String, String, String)> = repo::contract_names(conn, &ids)?
        .into_iter()
        .map(|(id, number, last, first, program)| (id, (number, format!("{last} {first}"), program)))
        .collect();
    answer.lines = stored
        .into_iter()
        .map(|(contract_id, month, amount, original, corrected)| {
            let (number, child, program) = names.get(&contract_id).cloned().unwrap_or_default();
            PaymentLine {
                contract_id,
                certificate_number: number,
                child_name: child,
                program_title: program,
                month,
                amount,
                original,
                corrected,
            }
        })
        .collect();
    Ok(())
}

/// A request the caller may read: of their organization, or of the
/// operator's municipality (not a draft), or any but drafts for the admin.
fn readable(conn: &mut DbConn, caller: &AuthUser, id: i64) -> ApiResult<PaymentRow> {
    let row = repo::find(conn, id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
    let allowed = match caller.role {
        Role::OrgStaff => scope::organization(conn, caller)? == row.organization_id,
        Role::Operator | Role::Admin => {
            scope::territory(conn, caller)?.covers(row.municipality_id) && row.status != PaymentStatus::Draft
        }
        _ => false,
    };
    if allowed { Ok(row) } else { Err(ApiError::NotFound { detail: NOT_FOUND }) }
}

/// A request of the caller's organization.
fn own(conn: &mut DbConn, caller: &AuthUser, id: i64) -> ApiResult<PaymentRow> {
    let organization = scope::organization(conn, caller)?;
    repo::find(conn, id)?.filter(|r| r.organization_id == organization).ok_or(ApiError::NotFound { detail: NOT_FOUND })
}

/// A sent request of the operator's municipality.
fn decidable(conn: &mut DbConn, caller: &AuthUser, id: i64) -> ApiResult<PaymentRow> {
    let territory = scope::territory(conn, caller)?;
    let row = repo::find(conn, id)?
        .filter(|r| r.status != PaymentStatus::Draft)
        .ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
    territory.require(row.municipality_id, "Заявками на оплату этого муниципалитета занимается его оператор")?;
    Ok(row)
}

/// `GET /cabinet/payments`: the organization's month.
pub async fn month(state: &AppState, caller: AuthUser, raw: Option<String>) -> ApiResult<PaymentMonth> {
    state
        .db(move |conn| {
            let organization = scope::organization(conn, &caller)?;
            let month = match raw.as_deref().filter(|m| !m.trim().is_empty()) {
                Some(raw) => month_of(raw, "month")?,
                None => month_start(crate::clock::today()),
            };
            let municipality = organization_municipality(conn, organization)?;
            let expected = expected(conn, organization, month)?;
            let advance_percent = repo::advance_percent(conn, municipality, (month, last_day(month)))?
                .unwrap_or(navigator_shared::payments::DEFAULT_ADVANCE_PERCENT);
            let mut advance = None;
            let mut invoice = None;
            for row in repo::of_month(conn, organization, month)? {
                let answer = to_dto(conn, &row)?;
                match row.kind {
                    PaymentKind::Advance => advance = Some(answer),
                    PaymentKind::Invoice => invoice = Some(answer),
                }
            }
            Ok::<_, ApiError>(PaymentMonth {
                month,
                expected,
                advance_percent,
                advance_limit: advance_limit(expected, advance_percent),
                advance_opens_on: advance_opens_on(conn, month)?,
                advance,
                invoice,
            })
        })
        .await
}

fn organization_municipality(conn: &mut DbConn, organization: i64) -> ApiResult<i64> {
    Ok(organizations::repo::find(conn, organization)?
        .ok_or_else(|| anyhow::anyhow!("organization {organization} is gone"))?
        .municipality_id)
}

/// Checks an advance of `amount` for `month` of the organization: this
/// month, from its second working day, up to the period's share of the
/// expected charges. Answers the amount.
fn check_advance(conn: &mut DbConn, organization: i64, month: NaiveDate, amount: Option<i64>) -> ApiResult<i64> {
    let today = crate::clock::today();
    if month != month_start(today) {
        return Err(FieldErrors::one("month", "Аванс запрашивают за текущий месяц").into());
    }
    let opens = advance_opens_on(conn, month)?;
    if today < opens {
        return Err(ApiError::Conflict {
            code: ErrorCode::TooEarly,
            detail: format!("Аванс за месяц запрашивают не ранее второго рабочего дня: с {}", opens.format("%d.%m.%Y")),
        });
    }
    let municipality = organization_municipality(conn, organization)?;
    let limit = advance_limit(expected(conn, organization, month)?, percent(conn, municipality, month)?);
    if limit <= 0 {
        return Err(ApiError::Conflict {
            code: ErrorCode::NothingToPay,
            detail: "В этом месяце по договорам организации не ожидается списаний: аванс не положен".into(),
        });
    }
    let amount = amount.unwrap_or(limit);
    if amount <= 0 || amount > limit {
        return Err(FieldErrors::one("amount", format!("Аванс — от 0,01 ₽ до {}", rubles(limit))).into());
    }
    Ok(amount)
}

/// Checks that an invoice for `month` may be made: the month has ended or
/// has been charged already.
fn check_invoice_month(month: NaiveDate) -> ApiResult<()> {
    if month > month_start(crate::clock::today()) {
        return Err(FieldErrors::one("month", "Счёт выставляют за прошедший или текущий месяц").into());
    }
    Ok(())
}

/// `POST /cabinet/payments`: a draft advance or invoice of the caller's organization.
pub async fn create(
    state: &AppState,
    caller: AuthUser,
    input: PaymentRequestInput,
    receipt: Receipt,
) -> ApiResult<PaymentRequest> {
    let note = PaymentRequestUpdate { amount: None, note: input.note.clone() }.note()?;
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let organization = scope::organization(conn, &caller)?;
                let month = month_of(&input.month, "month")?;
                let amount = match input.kind {
                    PaymentKind::Advance => check_advance(conn, organization, month, input.amount)?,
                    PaymentKind::Invoice => {
                        check_invoice_month(month)?;
                        0
                    }
                };
                let new = NewPayment {
                    organization_id: organization,
                    municipality_id: organization_municipality(conn, organization)?,
                    month,
                    kind: input.kind,
                    amount,
                    note: note.as_deref(),
                    created_by: caller.id,
                };
                let id = repo::insert(conn, &new, now())?.ok_or_else(|| ApiError::Conflict {
                    code: ErrorCode::PaymentExists,
                    detail: format!("{} за {} уже есть: откройте её", input.kind.title(), month.format("%m.%Y")),
                })?;
                let row = repo::find(conn, id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
                let answer = to_dto(conn, &row)?;
                receipt.keep(conn, answer)
            })
        })
        .await
}

/// `PUT /payment-requests/{id}`: the organization corrects a draft or a
/// returned request (the advance's sum, the note).
pub async fn update(
    state: &AppState,
    caller: AuthUser,
    id: i64,
    input: PaymentRequestUpdate,
) -> ApiResult<PaymentRequest> {
    let note = input.note()?;
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let row = own(conn, &caller, id)?;
                if !row.status.editable() {
                    return Err(not_editable(row.status));
                }
                let amount = match row.kind {
                    PaymentKind::Advance => check_advance(conn, row.organization_id, row.month, input.amount)?,
                    PaymentKind::Invoice => row.amount,
                };
                if !repo::edit(conn, id, amount, note.as_deref(), now())? {
                    return Err(not_editable(row.status));
                }
                let row = repo::find(conn, id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
                to_dto(conn, &row)
            })
        })
        .await
}

fn not_editable(status: PaymentStatus) -> ApiError {
    ApiError::Conflict {
        code: ErrorCode::InvalidStatus,
        detail: format!("Заявка в статусе «{}»: изменить её нельзя", status.title()),
    }
}

/// `POST /payment-requests/{id}/submit`: the organization sends a draft or a
/// corrected request; an invoice's lines are built from the ledger now and
/// fixed with it.
pub async fn submit(state: &AppState, caller: AuthUser, id: i64, receipt: Receipt) -> ApiResult<PaymentRequest> {
    let links = state.links();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let row = own(conn, &caller, id)?;
                let answer = send(conn, &links, &row)?;
                receipt.keep(conn, answer)
            })
        })
        .await
}

/// Sends an editable request of the organization and tells the operators.
pub fn send(conn: &mut DbConn, links: &Links, row: &PaymentRow) -> ApiResult<PaymentRequest> {
    let id = row.id;
    if !row.status.editable() {
        return Err(not_editable(row.status));
    }
    let sums = match row.kind {
        PaymentKind::Advance => {
            let amount = check_advance(conn, row.organization_id, row.month, Some(row.amount))?;
            let invoice = repo::of_month(conn, row.organization_id, row.month)?
                .into_iter()
                .any(|r| r.kind == PaymentKind::Invoice && !r.status.editable());
            if invoice {
                return Err(ApiError::Conflict {
                    code: ErrorCode::InvalidStatus,
                    detail: "Счёт за этот месяц уже отправлен: аванс больше не запрашивают".into(),
                });
            }
            Sums { amount, charges: 0, corrections: 0, advance: 0 }
        }
        PaymentKind::Invoice => {
            check_invoice_month(row.month)?;
            let lines = build_lines(conn, row)?;
            if lines.is_empty() {
                return Err(ApiError::Conflict {
                    code: ErrorCode::NothingToPay,
                    detail: "За этот месяц нет списаний по договорам: счёт пуст. Если месяц ещё не закрыт, \
                             дождитесь списаний"
                        .into(),
                });
            }
            let sums = sums_of(&lines, advance_of(conn, row)?);
            if !repo::set_lines(conn, id, &lines)? {
                return Err(ApiError::Conflict {
                    code: ErrorCode::ApplicationChanged,
                    detail: "Часть списаний только что вошла в другой счёт: отправьте ещё раз".into(),
                });
            }
            sums
        }
    };
    if !repo::submit(conn, id, &sums, now())? {
        return Err(not_editable(row.status));
    }
    let row = repo::find(conn, id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
    let answer = to_dto(conn, &row)?;
    tell_operators(conn, links, &answer)?;
    Ok(answer)
}

fn tell_operators(conn: &mut DbConn, links: &Links, request: &PaymentRequest) -> ApiResult<()> {
    let link = links.page("/payments");
    for (id, email, first, middle, confirmed) in repo::operators_of(conn, request.municipality_id)? {
        let name = validate::greeting_name(&first, middle.as_deref());
        let message = templates::payment_submitted(&name, request, &link);
        notifications::inform(
            conn,
            Recipient { user_id: id, address: &email, confirmed: confirmed.is_some() },
            message,
        )?;
    }
    Ok(())
}

fn tell_organization(conn: &mut DbConn, links: &Links, request: &PaymentRequest) -> ApiResult<()> {
    let link = links.page("/cabinet/payments");
    organizations::service::tell_staff(conn, request.organization_id, |name| {
        templates::payment_decided(name, request, &link)
    })
}

/// `GET /payment-requests`: the operator's queue of their municipality (the
/// admin's of all), or the organization's own requests.
pub async fn list(state: &AppState, caller: AuthUser, query: PaymentRequestsQuery) -> ApiResult<Page<PaymentRequest>> {
    let (page, per_page) = PageQuery { page: query.page, per_page: query.per_page }.resolve()?;
    state
        .db(move |conn| {
            let reach = match caller.role {
                Role::OrgStaff => Reach::Organization(scope::organization(conn, &caller)?),
                _ => match scope::territory(conn, &caller)?.municipality() {
                    Some(id) => Reach::Municipality(id),
                    None => Reach::Region,
                },
            };
            let month = match query.month.as_deref().filter(|m| !m.trim().is_empty()) {
                Some(raw) => Some(month_of(raw, "month")?),
                None => None,
            };
            let filter = Filter { reach, status: query.status, kind: query.kind, month };
            let (rows, total) = repo::list(conn, &filter, page, per_page)?;
            let items = list_dtos(conn, &rows)?;
            Ok::<_, ApiError>(Page { items, total, page, per_page })
        })
        .await
}

/// `GET /payment-requests/{id}`: with its lines.
pub async fn view(state: &AppState, caller: AuthUser, id: i64) -> ApiResult<PaymentRequest> {
    state
        .db(move |conn| {
            let row = readable(conn, &caller, id)?;
            to_dto(conn, &row)
        })
        .await
}

fn already_decided() -> ApiError {
    ApiError::Conflict { code: ErrorCode::AlreadyDecided, detail: "Заявка уже рассмотрена".into() }
}

/// The operator approves a sent request: once, whoever asks at the same time.
pub async fn approve(state: &AppState, caller: AuthUser, id: i64, receipt: Receipt) -> ApiResult<PaymentRequest> {
    decide(state, caller, id, PaymentStatus::Approved, None, receipt).await
}

/// The operator returns a sent request with what to correct.
pub async fn send_back(
    state: &AppState,
    caller: AuthUser,
    id: i64,
    input: PaymentReturnInput,
    receipt: Receipt,
) -> ApiResult<PaymentRequest> {
    let comment = input.comment()?;
    decide(state, caller, id, PaymentStatus::Returned, Some(comment), receipt).await
}

async fn decide(
    state: &AppState,
    caller: AuthUser,
    id: i64,
    to: PaymentStatus,
    comment: Option<String>,
    receipt: Receipt,
) -> ApiResult<PaymentRequest> {
    let links = state.links();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                decidable(conn, &caller, id)?;
                let answer = decide_on(conn, &links, id, (to, comment.as_deref()), caller.id)?;
                receipt.keep(conn, answer)
            })
        })
        .await
}

/// The operator's decision `to` (approved, or returned with a comment) on
/// a sent request, told to the organization; once, whoever decides at the
/// same time.
pub fn decide_on(
    conn: &mut DbConn,
    links: &Links,
    id: i64,
    (to, comment): (PaymentStatus, Option<&str>),
    by: i64,
) -> ApiResult<PaymentRequest> {
    if !repo::decide(conn, id, to, comment, by, now())? {
        return Err(already_decided());
    }
    told(conn, links, id)
}

/// The request `id` as it stands now, told to its organization.
fn told(conn: &mut DbConn, links: &Links, id: i64) -> ApiResult<PaymentRequest> {
    let row = repo::find(conn, id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
    let answer = to_dto(conn, &row)?;
    tell_organization(conn, links, &answer)?;
    Ok(answer)
}

/// The operator records the payment order of an approved request.
pub async fn pay(
    state: &AppState,
    caller: AuthUser,
    id: i64,
    input: PaymentPaidInput,
    receipt: Receipt,
) -> ApiResult<PaymentRequest> {
    let links = state.links();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let row = decidable(conn, &caller, id)?;
                let answer = record_payment(conn, &links, &row, &input)?;
                receipt.keep(conn, answer)
            })
        })
        .await
}

/// Records the payment order of an approved request, told to the organization.
pub fn record_payment(
    conn: &mut DbConn,
    links: &Links,
    row: &PaymentRow,
    input: &PaymentPaidInput,
) -> ApiResult<PaymentRequest> {
    if row.status != PaymentStatus::Approved {
        return Err(ApiError::Conflict {
            code: ErrorCode::InvalidStatus,
            detail: format!("Заявка в статусе «{}»: оплачивают одобренную", row.status.title()),
        });
    }
    let approved_on = crate::clock::day_of(row.decided_at.unwrap_or(row.created_at));
    let order = input.check(approved_on, crate::clock::today())?;
    if !repo::paid(conn, row.id, &order, input.paid_on, now())? {
        return Err(already_decided());
    }
    told(conn, links, row.id)
}

/// The operator's payment register of a month: approved and paid requests.
pub async fn register(
    state: &AppState,
    caller: AuthUser,
    raw_month: String,
    municipality: Option<i64>,
) -> ApiResult<PaymentRegister> {
    state
        .db(move |conn| {
            let territory = scope::territory(conn, &caller)?;
            let month = month_of(&raw_month, "month")?;
            let municipality = match (territory.municipality(), municipality) {
                (Some(own), _) => Some(own),
                (None, chosen) => chosen,
            };
            let rows = repo::granted(conn, municipality, month)?;
            let requests: Vec<PaymentRequest> = list_dtos(conn, &rows)?;
            let municipality_name = match municipality {
                Some(id) => reference::repo::municipality_name(conn, id)?.unwrap_or_default(),
                None => "Все муниципалитеты".to_owned(),
            };
            let total = requests.iter().map(|r| r.amount).sum();
            Ok::<_, ApiError>(PaymentRegister { month, municipality_name, requests, total })
        })
        .await
}

/// A text a spreadsheet would run as a formula is kept as text.
fn amount(kopecks: i64) -> String {
    let sign = if kopecks < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", kopecks.abs() / 100, kopecks.abs() % 100)
}

/// An invoice as CSV (semicolon-separated, with a BOM, as spreadsheets in
/// Russia read it): its lines, then the advance and the total.
pub fn invoice_csv(request: &PaymentRequest) -> anyhow::Result<String> {
    let mut records = vec![
        ["Договор", "Сертификат", "Ребёнок", "Программа", "Месяц", "Было, руб.", "Стало, руб.", "Сумма, руб."]
            .map(str::to_owned)
            .to_vec(),
    ];
    for line in &request.lines {
        records.push(vec![
            line.contract_id.to_string(),
            line.certificate_number.clone(),
            cell(&line.child_name),
            cell(&line.program_title),
            line.month.format("%m.%Y").to_string(),
            line.original.map(amount).unwrap_or_default(),
            line.corrected.map(amount).unwrap_or_default(),
            amount(line.amount),
        ]);
    }
    let blank = || vec![String::new(); 7];
    let mut advance = blank();
    advance.push(amount(-request.advance));
    advance[6] = "Аванс за месяц".into();
    records.push(advance);
    let mut total = blank();
    total[6] = "К оплате".into();
    total.push(amount(request.amount));
    records.push(total);
    csv_text(records)
}

/// The payment register as CSV: one row per request.
pub fn register_csv(register: &PaymentRegister) -> anyhow::Result<String> {
    let mut records = vec![
        ["Заявка", "Организация", "ИНН", "Вид", "Статус", "Платёжное поручение", "Дата оплаты", "Сумма, руб."]
            .map(str::to_owned)
            .to_vec(),
    ];
    for r in &register.requests {
        records.push(vec![
            r.id.to_string(),
            cell(&r.organization_name),
            r.organization_inn.clone(),
            r.kind_title.clone(),
            r.status_title.clone(),
            cell(r.payment_order.as_deref().unwrap_or("")),
            r.paid_on.map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_default(),
            amount(r.amount),
        ]);
    }
    let mut total = vec![String::new(); 6];
    total.push("Итого".into());
    total.push(amount(register.total));
    records.push(total);
    csv_text(records)
}

#[cfg(test)]
mod tests {
    use super::repo::Entry;
    use super::*;

    #[test]
    fn negative_sums_keep_their_sign_in_csv() {
        assert_eq!(amount(-20_323), "-203.23");
        assert_eq!(amount(5), "0.05");
    }

    #[test]
    fn corrections_are_summed_apart_from_the_month() {
        let day = |m| NaiveDate::from_ymd_opt(2026, m, 1).unwrap_or_default();
        let line = |amount, original: Option<i64>| NewLine {
            entry: Entry { id: 1, contract_id: 1, month: day(10), amount },
            original,
            corrected: original.map(|o| o + amount),
        };
        let sums = sums_of(&[line(30_000, None), line(20_000, None), line(-5_000, Some(30_000))], 40_000);
        assert_eq!((sums.charges, sums.corrections, sums.advance, sums.amount), (50_000, -5_000, 40_000, 5_000));
    }
}
