//! Rules of contracts: an offer for a module of a certified program, the
//! acceptance that reserves the price when the certificate covers it, the
//! monthly charges (exactly once per contract and month), and the early end
//! that releases what is left.

use chrono::NaiveDate;
use navigator_shared::ErrorCode;
use navigator_shared::accounts::Role;
use navigator_shared::applications::{
    Contract, ContractOfferInput, ContractStatus, MonthlyRegister, PaperContractInput, RegisterRow, add_months,
    charge_in_force, month_start, monthly_share, months_spanned,
};
use navigator_shared::catalog::{ProgramCard, PublishRequest};
use navigator_shared::contract::{ContractDocument, ContractTerms, ContractText};
use navigator_shared::funding::{Account, FundingKind, LedgerKind};
use navigator_shared::ids::ApplicationId;
use navigator_shared::ids::CertificateId;
use navigator_shared::money::rubles;

use super::repo::{self, ContractRow, NewContract};
use crate::applications::repo::{self as applications, ApplicationRow};
use crate::auth::{AuthUser, scope};
use crate::children::certificates;
use crate::db::{DbConn, write_tx};
use crate::error::{ApiError, ApiResult};
use crate::idempotency::Receipt;
use crate::ledger::repo::{self as ledger, Movement, PostError};
use crate::notifications::{self, now};
use crate::organizations::service as organizations;
use crate::{AppState, catalog, documents};
use navigator_shared::applications::ApplicationStatus;
use navigator_shared::children::CertificateStatus;

const NOT_FOUND: &str = "Договор не найден";

pub fn to_dto(row: &ContractRow, module_name: String) -> ApiResult<Contract> {
    let status = row.status;
    Ok(Contract {
        id: row.id,
        application_id: row.application_id.get(),
        status,
        status_title: status.title().to_owned(),
        module_id: row.module_id,
        module_name,
        price: row.price,
        months: row.months,
        first_month: row.first_month,
        last_month: add_months(row.first_month, row.months - 1),
        monthly: monthly_share(row.price, row.months, 0),
        charged: row.charged,
        ends_on: row.ends_on,
        account: row.account,
        accepted_at: row.accepted_at.map(|t| t.and_utc()),
        ended_at: row.ended_at.map(|t| t.and_utc()),
        created_at: row.created_at.and_utc(),
        signed_on_paper: row.signed_on_paper,
    })
}

fn contract_dto(conn: &mut DbConn, row: &ContractRow) -> ApiResult<Contract> {
    let module = catalog::repo::find_module(conn, row.module_id)?.map(|m| m.name).unwrap_or_default();
    to_dto(row, module)
}

/// The organization offers a contract for a module to a confirmed application.
pub async fn offer(
    state: &AppState,
    caller: AuthUser,
    application_id: i64,
    input: ContractOfferInput,
    receipt: Receipt,
) -> ApiResult<Contract> {
    let links = state.links();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let application = scope::application_of_organization(conn, &caller, ApplicationId(application_id))?;
                if application.status != ApplicationStatus::Confirmed {
                    return Err(ApiError::Conflict {
                        code: ErrorCode::NotConfirmed,
                        detail: "Договор предлагают по подтверждённой заявке".into(),
                    });
                }
                let program = catalog::repo::find(conn, application.program_id)?
                    .ok_or_else(|| anyhow::anyhow!("application {application_id} without its program"))?;
                if !program.certified {
                    return Err(ApiError::Conflict {
                        code: ErrorCode::NotCertified,
                        detail: "Программа не оплачивается сертификатом: зачислите ребёнка без договора".into(),
                    });
                }
                organizations::require_verified_provider(conn, application.organization_id)?;
                let module = catalog::repo::find_module(conn, input.module_id)?
                    .filter(|m| m.program_id == program.id)
                    .ok_or_else(|| {
                        ApiError::field(ErrorCode::UnknownModule, "module_id", "Такого модуля в программе нет")
                    })?;
                let certificate =
                    certificates::repo::of_child(conn, application.child_id)?.ok_or_else(|| ApiError::Conflict {
                        code: ErrorCode::CertificateRequired,
                        detail: "У ребёнка нет сертификата".into(),
                    })?;
                let (account, price) = price_of(conn, (program.funding, certificate.id), &module)?;
                if price <= 0 {
                    return Err(ApiError::field(ErrorCode::FreeModule, "module_id", "У модуля не указана стоимость"));
                }
                let group = catalog::repo::find_group(conn, application.group_id)?
                    .ok_or_else(|| anyhow::anyhow!("application {application_id} without its group"))?;
                let today = crate::clock::today();
                let first = month_start(group.start_date.max(today));
                let months = months_spanned(first, group.end_date.max(first));
                let new = NewContract {
                    application_id: application.id,
                    certificate_id: certificate.id,
                    module_id: module.id,
                    organization_id: application.organization_id,
                    price,
                    months,
                    first_month: first,
                    account,
                };
                let id = repo::insert(conn, &new, now())?.ok_or_else(|| ApiError::Conflict {
                    code: ErrorCode::ContractExists,
                    detail: "По заявке уже есть договор: дождитесь ответа семьи".into(),
                })?;
                let row = repo::find(conn, id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
                fix_text(conn, &row)?;
                let what = format!(
                    "Организация предлагает договор: модуль «{}», {} за {} мес. с оплатой сертификатом. \
                     Прочитайте его и подпишите в разделе «Мои заявки» — стоимость будет зарезервирована \
                     на сертификате.",
                    module.name,
                    rubles(module.price),
                    months
                );
                notifications::family::application_changed(conn, &links, application.id, "предложен договор", &what)?;
                receipt.keep(conn, to_dto(&row, module.name)?)
            })
        })
        .await
}

/// The account that pays a module of a program funded by `funding` and its
/// price there: the ПФДО roubles, or the social certificate's account the
/// child's certificate holds — its roubles, or its hours (the module's hours).
fn price_of(
    conn: &mut DbConn,
    (funding, certificate): (FundingKind, CertificateId),
    module: &navigator_shared::catalog::Module,
) -> ApiResult<(Account, i64)> {
    if funding == FundingKind::Personified {
        return Ok((Account::Personified, module.price));
    }
    let social = ledger::social_balances(conn, certificate)?;
    let Some((account, _)) = social.into_iter().max_by_key(|(_, b)| b.available) else {
        return Err(ApiError::Conflict {
            code: ErrorCode::InsufficientBalance,
            detail: "Программа оплачивается социальным сертификатом, а номинал социального сертификата ребёнку \
                     не зачислен: семья может запросить его на странице сертификата"
                .into(),
        });
    };
    let price = if account == Account::SocialHour { i64::from(module.hours) } else { module.price };
    Ok((account, price))
}

/// The family accepts the offer online: the price is reserved on the
/// certificate (when the available balance covers it) and the child is enrolled.
pub async fn accept(state: &AppState, caller: AuthUser, id: i64, receipt: Receipt) -> ApiResult<Contract> {
    let links = state.links();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let row = repo::find(conn, id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
                let application = scope::application_of_family(conn, &caller, row.application_id)
                    .map_err(|_| ApiError::NotFound { detail: NOT_FOUND })?;
                let row = conclude(conn, &links, &row, &application, caller.id, None)?;
                let program = crate::catalog::repo::find(conn, application.program_id)?.map(|p| p.title);
                let on = format!("«{}», договор № {}", program.unwrap_or_default(), row.id);
                crate::audit::record(
                    conn,
                    caller.id,
                    application.child_id,
                    crate::audit::Action::Sign,
                    None,
                    Some(&on),
                )?;
                let answer = contract_dto(conn, &row)?;
                receipt.keep(conn, answer)
            })
        })
        .await
}

/// The organization registers a contract the family signed on paper (seed
/// 004: «Получите подписанное заявление на обучение и подтвердите
/// зачисление»): it reserves and enrols exactly as an online acceptance,
/// in force from the day of signing.
pub async fn register_paper(
    state: &AppState,
    caller: AuthUser,
    id: i64,
    input: PaperContractInput,
    receipt: Receipt,
) -> ApiResult<Contract> {
    let links = state.links();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let row = repo::find(conn, id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
                let application = scope::application_of_organization(conn, &caller, row.application_id)
                    .map_err(|_| ApiError::NotFound { detail: NOT_FOUND })?;
                let signed_on = input.validate(crate::clock::day_of(row.created_at), crate::clock::today())?;
                let row = conclude(conn, &links, &row, &application, caller.id, Some(signed_on))?;
                let answer = contract_dto(conn, &row)?;
                receipt.keep(conn, answer)
            })
        })
        .await
}

/// The contract's terms from today's data of the organization, the program,
/// its group and module, the child and the applicant.
fn current_terms(conn: &mut DbConn, row: &ContractRow) -> ApiResult<ContractTerms> {
    let id = row.id;
    let missing = || anyhow::anyhow!("contract {id} without its application, program, group, module or child");
    let application = applications::find(conn, row.application_id)?.ok_or_else(missing)?;
    let program = catalog::repo::find(conn, application.program_id)?.ok_or_else(missing)?;
    let group = catalog::repo::find_group(conn, application.group_id)?.ok_or_else(missing)?;
    let module = catalog::repo::find_module(conn, row.module_id)?.ok_or_else(missing)?;
    let child = crate::children::repo::find(conn, application.child_id)?.ok_or_else(missing)?;
    let applicant = crate::applications::service::applicant_of(conn, &application, &child)?.ok_or_else(missing)?;
    let organization = crate::organizations::repo::find(conn, row.organization_id)?.ok_or_else(missing)?;
    let certificate = certificates::repo::find(conn, row.certificate_id)?.ok_or_else(missing)?;
    let name = navigator_shared::validate::full_name;
    Ok(ContractTerms {
        number: row.id,
        offered_on: crate::clock::day_of(row.created_at),
        organization: organization.name,
        organization_inn: organization.inn,
        organization_address: organization.address,
        applicant_full_name: name(&applicant.last_name, &applicant.first_name, applicant.middle_name.as_deref()),
        learner: applicant.role == Role::Learner,
        child_full_name: name(&child.last_name, &child.first_name, child.middle_name.as_deref()),
        child_birth_date: child.birth_date,
        certificate_number: certificate.number,
        program: program.title,
        module: module.name,
        hours: module.hours,
        schedule: group.lessons().iter().map(|lesson| lesson.describe()).collect::<Vec<_>>().join(", "),
        group: group.name,
        starts_on: group.start_date,
        ends_on: group.end_date,
        price: row.price,
        months: row.months,
        first_month: row.first_month,
        last_month: add_months(row.first_month, row.months - 1),
        monthly: monthly_share(row.price, row.months, 0),
    })
}

/// Fixes the text of a new offer; it is kept with the contract from then on.
pub fn fix_text(conn: &mut DbConn, row: &ContractRow) -> ApiResult<ContractText> {
    let text = current_terms(conn, row)?.text();
    let json = serde_json::to_string(&text).map_err(anyhow::Error::from)?;
    repo::set_text(conn, row.id, &json)?;
    Ok(text)
}

/// The text kept with the contract (written from today's data only for a
/// contract offered before texts were kept).
fn text_of(conn: &mut DbConn, row: &ContractRow) -> ApiResult<ContractText> {
    match repo::text(conn, row.id)? {
        Some(json) => Ok(serde_json::from_str(&json).map_err(anyhow::Error::from)?),
        None => Ok(current_terms(conn, row)?.text()),
    }
}

/// A contract that the caller may read: the family of its application or
/// the staff of its organization.
fn readable(conn: &mut DbConn, caller: &AuthUser, id: i64) -> ApiResult<ContractRow> {
    let row = repo::find(conn, id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
    // Somebody else's contract looks missing; a failure of the database stays a failure.
    let application = match caller.role {
        Role::Parent | Role::Learner => scope::application_of_family(conn, caller, row.application_id),
        Role::OrgStaff => scope::application_of_organization(conn, caller, row.application_id),
        _ => Err(ApiError::NotFound { detail: NOT_FOUND }),
    };
    match application {
        Ok(_) => Ok(row),
        Err(ApiError::NotFound { .. }) => Err(ApiError::NotFound { detail: NOT_FOUND }),
        Err(other) => Err(other),
    }
}

/// The contract with its text, for the family to read before signing and for
/// both sides later.
pub async fn document(state: &AppState, caller: AuthUser, id: i64) -> ApiResult<ContractDocument> {
    state
        .db(move |conn| {
            let row = readable(conn, &caller, id)?;
            let text = text_of(conn, &row)?;
            Ok::<_, ApiError>(ContractDocument { contract: contract_dto(conn, &row)?, text })
        })
        .await
}

/// The contract as PDF, with how it was accepted; its file name.
pub async fn document_pdf(state: &AppState, caller: AuthUser, id: i64) -> ApiResult<(Vec<u8>, String)> {
    let document = document(state, caller, id).await?;
    let contract = &document.contract;
    let acceptance = match (contract.signed_on_paper, contract.accepted_at) {
        (Some(on), _) => format!("подписан на бумаге в организации {}", on.format("%d.%m.%Y")),
        (None, Some(at)) => format!("принят в личном кабинете Навигатора {}", at.format("%d.%m.%Y")),
        (None, None) => "ещё не подписан (оферта)".to_owned(),
    };
    let pdf = documents::render_contract(&document.text, &acceptance, crate::clock::today())?;
    Ok((pdf, navigator_shared::documents::contract_file_name(id)))
}

/// The printed «заявление на обучение» of an application, with the module of
/// its contract: for the family, or for the organization's staff (a staff
/// print of the child's data is audited).
pub async fn enrolment_form(state: &AppState, caller: AuthUser, application_id: i64) -> ApiResult<Vec<u8>> {
    let data = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let application = match caller.role {
                    Role::Parent | Role::Learner => {
                        scope::application_of_family(conn, &caller, ApplicationId(application_id))?
                    }
                    _ => scope::application_of_organization(conn, &caller, ApplicationId(application_id))?,
                };
                let missing = || anyhow::anyhow!("application {application_id} without its program, group or child");
                let program = catalog::repo::find(conn, application.program_id)?.ok_or_else(missing)?;
                let group = catalog::repo::find_group(conn, application.group_id)?.ok_or_else(missing)?;
                let child = crate::children::repo::find(conn, application.child_id)?.ok_or_else(missing)?;
                let applicant =
                    crate::applications::service::applicant_of(conn, &application, &child)?.ok_or_else(missing)?;
                let organization = crate::organizations::repo::find(conn, application.organization_id)?
                    .map(|o| o.name)
                    .unwrap_or_default();
                let module = match repo::live_of(conn, application.id)? {
                    Some(contract) => catalog::repo::find_module(conn, contract.module_id)?
                        .map(|m| format!("«{}», {} ч., {}", m.name, m.hours, rubles(contract.price))),
                    None => None,
                };
                let certificate = certificates::repo::of_child(conn, child.id)?.map(|c| c.number);
                if caller.role == Role::OrgStaff {
                    crate::audit::record(
                        conn,
                        caller.id,
                        child.id,
                        crate::audit::Action::Print,
                        None,
                        Some(documents::ENROLMENT_TITLE),
                    )?;
                }
                let name = navigator_shared::validate::full_name;
                Ok::<_, ApiError>(documents::EnrolmentData {
                    organization,
                    program: program.title,
                    period: format!(
                        "с {} по {}",
                        group.start_date.format("%d.%m.%Y"),
                        group.end_date.format("%d.%m.%Y")
                    ),
                    group: group.name,
                    module,
                    certificate_number: certificate,
                    child_full_name: name(&child.last_name, &child.first_name, child.middle_name.as_deref()),
                    child_birth_date: child.birth_date,
                    learner: applicant.role == Role::Learner,
                    applicant_full_name: name(
                        &applicant.last_name,
                        &applicant.first_name,
                        applicant.middle_name.as_deref(),
                    ),
                    applicant_phone: applicant.phone.clone(),
                    applicant_email: applicant.email.clone(),
                    printed_on: crate::clock::today(),
                })
            })
        })
        .await?;
    Ok(documents::render_enrolment(&data)?)
}

/// Concludes an offered contract, accepted online (`paper` none) or signed on
/// paper on that day: the program must still be certified, the provider
/// verified and the certificate active; the child is enrolled and the price
/// reserved, or nothing happens (409 `insufficient_balance`).
fn conclude(
    conn: &mut DbConn,
    links: &crate::Links,
    row: &ContractRow,
    application: &ApplicationRow,
    by: i64,
    paper: Option<NaiveDate>,
) -> ApiResult<ContractRow> {
    let id = row.id;
    if row.status != ContractStatus::Offered {
        return Err(ApiError::Conflict {
            code: ErrorCode::NotOffered,
            detail: "Договор уже принят или больше не действует".into(),
        });
    }
    let certified = catalog::repo::find(conn, application.program_id)?.is_some_and(|p| p.certified);
    if !certified {
        return Err(ApiError::Conflict {
            code: ErrorCode::NotCertified,
            detail: "Программа больше не оплачивается сертификатом: договор по ней не заключается".into(),
        });
    }
    organizations::require_verified_provider(conn, row.organization_id)?;
    let certificate = certificates::repo::find(conn, row.certificate_id)?
        .ok_or_else(|| anyhow::anyhow!("contract {id} without its certificate"))?;
    if certificate.status != CertificateStatus::Active {
        return Err(ApiError::Conflict {
            code: ErrorCode::CertificateNotActive,
            detail: "Сертификат не активирован: принесите документы в пункт активации".into(),
        });
    }
    let now = now();
    // Application first, then contract, then certificate: the
    // same order as every other writer, so no deadlocks.
    if !applications::transition(
        conn,
        application.id,
        ApplicationStatus::Confirmed,
        ApplicationStatus::Enrolled,
        None,
        None,
        now,
    )? {
        return Err(ApiError::Conflict {
            code: ErrorCode::ApplicationChanged,
            detail: "Заявка изменилась: обновите страницу".into(),
        });
    }
    crate::places::close_application(conn, application.child_id)?;
    if !repo::transition(conn, id, ContractStatus::Offered, ContractStatus::Active, now)? {
        return Err(ApiError::Conflict {
            code: ErrorCode::NotOffered, detail: "Договор уже принят".into()
        });
    }
    if let Some(on) = paper {
        repo::signed_on_paper(conn, id, on)?;
    }
    let reason = match paper {
        Some(on) => format!("Договор № {id}, подписан на бумаге {}", on.format("%d.%m.%Y")),
        None => format!("Договор № {id}"),
    };
    let reserve = Movement {
        certificate_id: certificate.id,
        account: row.account,
        kind: LedgerKind::Reserve,
        amount: row.price,
        period_id: None,
        contract_id: Some(id),
        month: None,
        reason: &reason,
        created_by: Some(by),
    };
    match ledger::post(conn, &reserve) {
        Ok(()) => {}
        Err(PostError::Uncovered | PostError::Duplicate) => {
            let balance = ledger::balance_of(conn, certificate.id, row.account)?;
            return Err(ApiError::Conflict {
                code: ErrorCode::InsufficientBalance,
                detail: format!(
                    "На сертификате ({}) доступно {}, а договор стоит {}. Выберите модуль дешевле \
                     или дождитесь зачисления номинала",
                    row.account.title(),
                    row.account.show(balance.available),
                    row.account.show(row.price)
                ),
            });
        }
        Err(PostError::Db(e)) => return Err(e.into()),
    }
    let what = format!(
        "Договор {}, ребёнок зачислен. На сертификате зарезервировано {}; списания — помесячно.",
        if paper.is_some() { "подписан в организации" } else { "принят" },
        rubles(row.price)
    );
    notifications::family::application_changed(conn, links, application.id, "зачислен", &what)?;
    repo::find(conn, id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })
}

/// The operator marks a published program payable by certificate, or takes
/// the mark off; offers not yet accepted under the mark are then withdrawn.
pub async fn set_certified(
    state: &AppState,
    caller: AuthUser,
    id: i64,
    request: PublishRequest,
) -> ApiResult<ProgramCard> {
    let links = state.links();
    let card = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let funding = request.funding.unwrap_or(FundingKind::Personified);
                let (was_certified, card) =
                    catalog::service::mark_certified(conn, &caller, id, (request.certified, funding))?;
                if was_certified && !request.certified {
                    withdraw_offers_of(conn, &links, id)?;
                }
                Ok::<_, ApiError>(card)
            })
        })
        .await?;
    state.reindex(vec![id]).await?;
    Ok(card)
}

/// A program stopped being payable by certificate: offers not yet accepted
/// are withdrawn and the families told; accepted contracts run to their end
/// (the reserve was made under the certification in force then).
pub fn withdraw_offers_of(conn: &mut DbConn, links: &crate::Links, program: i64) -> ApiResult<usize> {
    let mut withdrawn = 0;
    for offer in repo::offered_of_program(conn, program)? {
        if !repo::transition(conn, offer.id, ContractStatus::Offered, ContractStatus::Withdrawn, now())? {
            continue;
        }
        withdrawn += 1;
        if let Some(application) = applications::find(conn, offer.application_id)? {
            let what = "Программа больше не оплачивается сертификатом, поэтому предложенный договор отозван. \
                        Организация свяжется с вами, чтобы договориться о зачислении.";
            notifications::family::application_changed(conn, links, application.id, "договор отозван", what)?;
        }
    }
    Ok(withdrawn)
}

/// Ends the live contract of an application as its application ends: an offer
/// is withdrawn, an active contract is terminated and the rest of its
/// reserve goes back to the certificate. `last_day` (today or earlier) is the
/// day the studies ended, when it is not today.
///
/// A contract ending on a day (this `last_day`, or its `ends_on` from the
/// family's request to leave) is paid up to that day: months not yet charged
/// are charged, the month of leaving by its days, and months already charged
/// for more than that are corrected by a `refund` entry each. What is left
/// of the price then goes back in one `release` entry.
pub fn end_with(
    conn: &mut DbConn,
    application: &ApplicationRow,
    by: i64,
    reason: &str,
    last_day: Option<NaiveDate>,
) -> ApiResult<()> {
    let Some(mut row) = repo::live_of(conn, application.id)? else { return Ok(()) };
    let now = now();
    if row.status == ContractStatus::Offered {
        repo::transition(conn, row.id, ContractStatus::Offered, ContractStatus::Withdrawn, now)?;
        return Ok(());
    }
    if let Some(day) = last_day {
        repo::set_ends_on(conn, row.id, day, now)?;
        row.ends_on = Some(day);
    }
    if let Some(day) = row.ends_on {
        charge_contract_through(conn, &row, month_start(day))?;
        refund_past(conn, row.id, by)?;
    }
    if !repo::transition(conn, row.id, ContractStatus::Active, ContractStatus::Terminated, now)? {
        return Ok(());
    }
    release_rest(conn, row.id, reason, Some(by))
        .map_err(|e| anyhow::anyhow!("releasing contract {}: {e:?}", row.id))?;
    Ok(())
}

/// Months of a contract charged for more than they come to now that it ends
/// on `ends_on` are corrected: the difference goes back to its reserve by a
/// `refund` entry of that month (the invoice of the provider shows it as a
/// correction line).
fn refund_past(conn: &mut DbConn, id: i64, by: i64) -> ApiResult<()> {
    let Some(contract) = repo::find(conn, id)? else { return Ok(()) };
    let Some(ends_on) = contract.ends_on else { return Ok(()) };
    let accepted = contract.accepted_at.map_or(contract.first_month, crate::clock::day_of);
    for (month, charged) in repo::charges_from(conn, id, month_start(ends_on))? {
        let index = months_spanned(contract.first_month, month) - 1;
        let due =
            charge_in_force(contract.price, contract.months, index, contract.first_month, accepted, Some(ends_on));
        let over = charged - due;
        if over <= 0 {
            continue;
        }
        if !repo::add_charged(conn, id, -over, now())? {
            return Err(anyhow::anyhow!("contract {id} is no longer active while its charges are corrected").into());
        }
        let entry = Movement {
            certificate_id: contract.certificate_id,
            account: contract.account,
            kind: LedgerKind::Refund,
            amount: over,
            period_id: None,
            contract_id: Some(id),
            month: Some(month),
            reason: &format!(
                "Договор № {id}, {}: перерасчёт, обучение закончилось {}",
                month.format("%m.%Y"),
                ends_on.format("%d.%m.%Y")
            ),
            created_by: Some(by),
        };
        ledger::post(conn, &entry).map_err(|e| anyhow::anyhow!("refunding contract {id}: {e:?}"))?;
    }
    Ok(())
}

/// A contract that ended gives back to the certificate what it did not spend.
fn release_rest(conn: &mut DbConn, id: i64, reason: &str, by: Option<i64>) -> Result<(), PostError> {
    let Some(row) = repo::find(conn, id)? else { return Ok(()) };
    let rest = row.price - row.charged;
    if rest <= 0 {
        return Ok(());
    }
    let release = Movement {
        certificate_id: row.certificate_id,
        account: row.account,
        kind: LedgerKind::Release,
        amount: rest,
        period_id: None,
        contract_id: Some(row.id),
        month: None,
        reason,
        created_by: by,
    };
    ledger::post(conn, &release)
}

/// Charges every active contract for each month from its first month up to
/// `through` (a first day of a month) that is not charged yet. Each charge is
/// its own transaction and the ledger takes a contract's month only once, so
/// running twice, or on two instances at once, charges nothing twice.
pub fn charge_through(conn: &mut DbConn, through: NaiveDate) -> ApiResult<usize> {
    let mut charged = 0;
    let mut after = 0;
    loop {
        let batch = repo::active_from(conn, through, after, 500)?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        for contract in &batch {
            charged += charge_contract_through(conn, contract, through)?;
        }
    }
    if charged > 0 {
        tracing::info!(charged, through = %through, "monthly charges made");
    }
    Ok(charged)
}

/// What `contract` is to be charged for `month` (a first day) if it runs as
/// it stands: 0 outside its months.
pub fn expected_charge(contract: &ContractRow, month: NaiveDate) -> i64 {
    if month < contract.first_month {
        return 0;
    }
    let index = months_spanned(contract.first_month, month) - 1;
    if index >= contract.months {
        return 0;
    }
    let accepted = contract.accepted_at.map_or(contract.first_month, crate::clock::day_of);
    charge_in_force(contract.price, contract.months, index, contract.first_month, accepted, contract.ends_on)
}

/// Charges one contract for each month up to `through` not charged yet.
fn charge_contract_through(conn: &mut DbConn, contract: &ContractRow, through: NaiveDate) -> ApiResult<usize> {
    let done = repo::charged_months(conn, contract.id)?;
    let mut charged = 0;
    for index in 0..contract.months {
        let month = add_months(contract.first_month, index);
        if month > through {
            break;
        }
        if !done.contains(&month) && charge(conn, contract, index, month)? {
            charged += 1;
        }
    }
    Ok(charged)
}

/// Charges month `index` of a contract; `false` when it was charged already
/// or the contract ended meanwhile.
fn charge(conn: &mut DbConn, contract: &ContractRow, index: i32, month: NaiveDate) -> ApiResult<bool> {
    let accepted = contract.accepted_at.map_or(contract.first_month, crate::clock::day_of);
    let amount =
        charge_in_force(contract.price, contract.months, index, contract.first_month, accepted, contract.ends_on);
    if amount <= 0 {
        return Ok(false);
    }
    let result = write_tx(conn, |conn| {
        let now = now();
        // Contract first, then certificate, as everywhere else.
        if !repo::add_charged(conn, contract.id, amount, now)? {
            return Err(PostError::Uncovered);
        }
        // A certificate out of the registry pays nothing, and the certificate
        // pays only a verified provider, whatever a contract says.
        let active = certificates::repo::find(conn, contract.certificate_id)?
            .is_some_and(|c| c.status == CertificateStatus::Active);
        let payee = organizations::may_be_paid(conn, contract.organization_id)?;
        if !active || !payee {
            tracing::warn!(contract = contract.id, active, payee, "a contract was not charged this month");
            return Err(PostError::Uncovered);
        }
        let entry = Movement {
            certificate_id: contract.certificate_id,
            account: contract.account,
            kind: LedgerKind::Charge,
            amount,
            period_id: None,
            contract_id: Some(contract.id),
            month: Some(month),
            reason: &format!("Договор № {}, {}", contract.id, month.format("%m.%Y")),
            created_by: None,
        };
        ledger::post(conn, &entry)?;
        if index == contract.months - 1
            && repo::transition(conn, contract.id, ContractStatus::Active, ContractStatus::Completed, now)?
        {
            release_rest(
                conn,
                contract.id,
                &format!("Договор № {} завершён: неизрасходованный остаток", contract.id),
                None,
            )?;
        }
        Ok(())
    });
    match result {
        Ok(()) => Ok(true),
        Err(PostError::Uncovered | PostError::Duplicate) => Ok(false),
        Err(PostError::Db(e)) => Err(e.into()),
    }
}

/// The housekeeping pass: months that have ended are charged.
pub fn charge_ended_months(conn: &mut DbConn, today: NaiveDate) -> ApiResult<usize> {
    charge_through(conn, add_months(today, -1))
}

/// The admin closes a month early (the last working day): charges through it.
pub async fn close_month(state: &AppState, caller: AuthUser, month: NaiveDate) -> ApiResult<usize> {
    caller.require(&[navigator_shared::accounts::Role::Admin])?;
    if month > month_start(crate::clock::today()) {
        return Err(ApiError::field(ErrorCode::FutureMonth, "month", "Месяц ещё не наступил"));
    }
    state.db(move |conn| charge_through(conn, month)).await
}

/// The organization's register of a month: what the operator owes it.
pub async fn register(state: &AppState, caller: AuthUser, month: NaiveDate) -> ApiResult<MonthlyRegister> {
    state
        .db(move |conn| {
            let organization = scope::organization(conn, &caller)?;
            let name = crate::organizations::repo::find(conn, organization)?.map(|o| o.name).unwrap_or_default();
            let rows: Vec<RegisterRow> = repo::register(conn, organization, month)?
                .into_iter()
                .map(|(contract_id, number, last, first, middle, program, module, amount)| RegisterRow {
                    contract_id,
                    certificate_number: number,
                    child_name: navigator_shared::validate::full_name(&last, &first, middle.as_deref()),
                    program_title: program,
                    module_name: module,
                    amount,
                })
                .collect();
            let total = rows.iter().map(|r| r.amount).sum();
            Ok::<_, ApiError>(MonthlyRegister { month, organization_name: name, rows, total })
        })
        .await
}

/// The register as CSV (semicolon-separated, as spreadsheets in Russia read
/// it, with a BOM so they take it as UTF-8). A text that a spreadsheet would
/// run as a formula (`=`, `+`, `-`, `@` first) is kept as text.
pub fn register_csv(register: &MonthlyRegister) -> anyhow::Result<String> {
    use crate::documents::sheet::text;
    let amount = |kopecks: i64| format!("{}.{:02}", kopecks / 100, kopecks % 100);
    let mut records =
        vec![["Договор", "Сертификат", "Ребёнок", "Программа", "Модуль", "Сумма, руб."].map(str::to_owned).to_vec()];
    for row in &register.rows {
        records.push(vec![
            row.contract_id.to_string(),
            row.certificate_number.clone(),
            text(&row.child_name),
            text(&row.program_title),
            text(&row.module_name),
            amount(row.amount),
        ]);
    }
    records.push(["", "", "", "", "Итого", &amount(register.total)].map(str::to_owned).to_vec());
    crate::documents::sheet::csv(records)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use navigator_shared::applications::{MonthlyRegister, RegisterRow};

    use super::register_csv;

    #[test]
    fn the_register_csv_quotes_every_special_character_and_keeps_formulas_as_text() {
        let row = |title: &str, amount| RegisterRow {
            contract_id: 7,
            certificate_number: "6731415926".into(),
            child_name: "Иванова Анна".into(),
            program_title: title.into(),
            module_name: "Первый год".into(),
            amount,
        };
        let register = MonthlyRegister {
            month: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default(),
            organization_name: "ДДТ".into(),
            rows: vec![
                row("Студия «Ритм»; танцы", 60_000),
                row("Кружок \"Юный\r\nтехник\"", 5),
                row("=HYPERLINK(1)", 1),
            ],
            total: 60_006,
        };
        let csv = register_csv(&register).unwrap_or_default();
        let mut reader =
            csv::ReaderBuilder::new().delimiter(b';').from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap_or_default()).collect();
        assert_eq!(&rows[0][3], "Студия «Ритм»; танцы");
        assert_eq!(&rows[1][3], "Кружок \"Юный\r\nтехник\"");
        assert_eq!((&rows[1][5], &rows[2][3]), ("0.05", "'=HYPERLINK(1)"));
        assert_eq!((&rows[3][4], &rows[3][5]), ("Итого", "600.06"));
        assert!(csv.starts_with('\u{feff}'));
    }
}
