//! Demo funding and enrolment: a funding period per municipality, the demo
//! family's funded certificate, applications in several statuses, and a
//! contract accepted two months ago with its charges.

use chrono::{Datelike, NaiveDate, Utc};
use diesel::prelude::*;
use navigator_shared::applications::{add_months, month_start, months_spanned};
use navigator_shared::funding::{FundingPeriodInput, LedgerKind};

use crate::applications::contracts::repo::{self as contracts, NewContract};
use crate::applications::repo::{self as applications, NewApplication};
use crate::catalog::repo::GroupRow;
use crate::children::certificates;
use crate::db::DbConn;
use crate::db::schema::{program_groups as g, programs as p};
use crate::error::{ApiError, ApiResult};
use crate::ledger::repo::{self as ledger, Movement};
use crate::notifications::now;
use crate::{Links, children, funding};
use navigator_shared::applications::ApplicationStatus;
use navigator_shared::applications::ContractStatus;
use navigator_shared::catalog::ProgramStatus;
use navigator_shared::ids::CertificateId;
use navigator_shared::ids::ChildId;

/// Opens this year's period in every municipality; nominals differ by
/// municipality, as they do in the seeds.
pub fn periods(conn: &mut DbConn, municipalities: &[i64]) -> ApiResult<()> {
    let year = Utc::now().year();
    for (i, &municipality) in municipalities.iter().enumerate() {
        let nominal = 800_000 + 50_000 * i as i64;
        let input = FundingPeriodInput {
            municipality_id: municipality,
            year,
            nominal,
            max_certificates: 5_000,
            max_volume: nominal * 4_000,
            starts_on: NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
            ends_on: NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
            advance_percent: navigator_shared::payments::DEFAULT_ADVANCE_PERCENT,
            kind: navigator_shared::funding::FundingKind::Personified,
            unit: navigator_shared::funding::Unit::Rub,
        };
        funding::repo::insert_period(conn, &input, now())?;
    }
    // The first municipality also runs the social certificate, in hours.
    if let Some(&first) = municipalities.first() {
        let input = FundingPeriodInput {
            municipality_id: first,
            year,
            nominal: 144,
            max_certificates: 2_000,
            max_volume: 144 * 2_000,
            starts_on: NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
            ends_on: NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
            advance_percent: navigator_shared::payments::DEFAULT_ADVANCE_PERCENT,
            kind: navigator_shared::funding::FundingKind::Social,
            unit: navigator_shared::funding::Unit::Hour,
        };
        funding::repo::insert_period(conn, &input, now())?;
    }
    Ok(())
}

/// Funds the certificate of `child` and gives it applications in several
/// statuses to certified programs of its municipality.
pub fn family(conn: &mut DbConn, links: &Links, parent: i64, child: ChildId) -> ApiResult<()> {
    let Some(kid) = children::repo::find(conn, child)? else { return Ok(()) };
    let today = crate::clock::today();
    let request = funding::service::file(conn, parent, &kid, navigator_shared::funding::FundingKind::Personified)?;
    let period = funding::repo::find_period(conn, request.period_id)?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("demo period vanished")))?;
    funding::service::credit(conn, links, parent, &request, &period)?;
    let certificate = certificates::repo::of_child(conn, child)?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("demo certificate vanished")))?;
    let age = navigator_shared::ages::age_on(kid.birth_date, today);
    // The demo provider's groups first, so that its inbox has the family's
    // applications; then other certified groups, of the child's municipality
    // when it has them.
    let provider = crate::accounts::repo::find_by_email(conn, super::PROVIDER)?.and_then(|a| a.organization_id);
    let suitable = || {
        g::table
            .inner_join(p::table)
            .filter(p::status.eq(ProgramStatus::Published))
            .filter(p::certified.eq(true))
            .filter(g::age_min.le(age))
            .filter(g::age_max.ge(age))
            .filter(g::enrolled.lt(g::capacity))
            .order(g::id)
            .limit(12)
            .select((GroupRow::as_select(), p::organization_id))
            .into_boxed()
    };
    let mut groups: Vec<(GroupRow, i64)> = match provider {
        Some(provider) => suitable().filter(p::organization_id.eq(provider)).load(conn)?,
        None => Vec::new(),
    };
    groups.truncate(3);
    let others = || suitable().filter(p::organization_id.ne(provider.unwrap_or(0)));
    let mut nearby: Vec<(GroupRow, i64)> = others().filter(p::municipality_id.eq(kid.municipality_id)).load(conn)?;
    nearby.extend(others().load::<(GroupRow, i64)>(conn)?);
    for found in nearby {
        if groups.len() < 4 && groups.iter().all(|(g, _)| g.program_id != found.0.program_id) {
            groups.push(found);
        }
    }
    use ApplicationStatus::{Confirmed, Enrolled, Rejected, Submitted};
    let statuses = [Enrolled, Confirmed, Submitted, Rejected];
    for ((group, organization), status) in groups.into_iter().zip(statuses) {
        crate::places::lock(conn, group.id)?;
        if status != Rejected && !crate::places::take(conn, group.id)? {
            continue;
        }
        let new = NewApplication {
            child_id: child,
            group_id: group.id,
            program_id: group.program_id,
            organization_id: organization,
            created_by: parent,
            status,
            source: None,
        };
        let Some(id) = applications::insert(conn, &new, now())? else { continue };
        applications::count_on_program(conn, group.program_id)?;
        if matches!(status, Confirmed | Submitted) {
            crate::places::open_application(conn, child, i32::MAX)?;
        }
        if status == Rejected {
            applications::transition(conn, id, Rejected, Rejected, Some("no_places"), None, now())?;
            continue;
        }
        let Some(module) =
            crate::catalog::repo::modules_of(conn, &[group.program_id])?.into_iter().find(|m| m.price > 0)
        else {
            continue;
        };
        if status == Submitted {
            continue;
        }
        // The enrolled one started two months ago; the confirmed one is offered now.
        let first = if status == Enrolled { add_months(today, -2) } else { month_start(today) };
        let months = months_spanned(first, group.end_date.max(first));
        let price = module.price.min(certificate_available(conn, certificate.id)?);
        let new = NewContract {
            application_id: id,
            certificate_id: certificate.id,
            module_id: module.id,
            organization_id: organization,
            price,
            months,
            first_month: first,
            account: navigator_shared::funding::Account::Personified,
        };
        let Some(contract) = contracts::insert(conn, &new, now())? else { continue };
        if let Some(row) = contracts::find(conn, contract)? {
            crate::applications::contracts::service::fix_text(conn, &row)?;
        }
        if status == Enrolled && price > 0 {
            contracts::transition(conn, contract, ContractStatus::Offered, ContractStatus::Active, now())?;
            let reserve = Movement {
                certificate_id: certificate.id,
                account: navigator_shared::funding::Account::Personified,
                kind: LedgerKind::Reserve,
                amount: price,
                period_id: None,
                contract_id: Some(contract),
                month: None,
                reason: &format!("Договор № {contract}"),
                created_by: Some(parent),
            };
            ledger::post(conn, &reserve).map_err(|e| anyhow::anyhow!("demo reserve: {e:?}"))?;
        }
    }
    Ok(())
}

fn certificate_available(conn: &mut DbConn, certificate: CertificateId) -> ApiResult<i64> {
    Ok(ledger::balance(conn, certificate)?.available)
}

/// The demo provider's payments for the months its contract was charged:
/// two months ago the invoice was approved and paid; last month's was
/// returned with the operator's comment, waiting to be corrected.
pub fn payments(conn: &mut DbConn, links: &Links) -> ApiResult<()> {
    use crate::payments::{repo, service};
    use navigator_shared::payments::{PaymentKind, PaymentPaidInput, PaymentStatus};
    let Some(provider) = crate::accounts::repo::find_by_email(conn, super::PROVIDER)? else { return Ok(()) };
    let Some(organization) = provider.organization_id else { return Ok(()) };
    let Some(operator) = crate::accounts::repo::find_by_email(conn, "operator@example.org")? else { return Ok(()) };
    let Some(municipality) = crate::organizations::repo::find(conn, organization)?.map(|o| o.municipality_id) else {
        return Ok(());
    };
    let today = crate::clock::today();
    for (back, returned) in [(2, false), (1, true)] {
        let month = add_months(today, -back);
        let new = repo::NewPayment {
            organization_id: organization,
            municipality_id: municipality,
            month,
            kind: PaymentKind::Invoice,
            amount: 0,
            note: None,
            created_by: provider.id,
        };
        let Some(id) = repo::insert(conn, &new, now())? else { continue };
        let Some(row) = repo::find(conn, id)? else { continue };
        // A month without charges has no invoice to send.
        if service::send(conn, links, &row).is_err() {
            continue;
        }
        if returned {
            let comment =
                "Проверьте перерасчёт: ребёнок пропустил две недели по болезни — приложите табель посещаемости";
            service::decide_on(conn, links, id, (PaymentStatus::Returned, Some(comment)), operator.id)?;
            continue;
        }
        service::decide_on(conn, links, id, (PaymentStatus::Approved, None), operator.id)?;
        if let Some(row) = repo::find(conn, id)? {
            let paid = PaymentPaidInput { payment_order: format!("{}", 300 + id), paid_on: today };
            service::record_payment(conn, links, &row, &paid)?;
        }
    }
    Ok(())
}
