//! Rules of withdrawals: who may ask and confirm, when a request is
//! confirmed without the organization, and what leaving does.

use chrono::NaiveDate;
use navigator_shared::ErrorCode;
use navigator_shared::applications::{
    Application, ApplicationStatus, ExpelReason, WITHDRAWAL_CONFIRM_WORKING_DAYS, Withdrawal, WithdrawalInput,
};
use navigator_shared::ids::ApplicationId;

use super::repo::{self, WithdrawalRow};
use crate::applications::contracts;
use crate::applications::repo as applications;
use crate::applications::service::{Change, Effect, after, answer_of, apply, not_now};
use crate::auth::{AuthUser, scope};
use crate::db::{DbConn, write_tx};
use crate::error::{ApiError, ApiResult};
use crate::idempotency::Receipt;
use crate::notifications::{self, now, templates};
use crate::{AppState, Links, catalog, children, organizations, places};

pub fn to_dto(row: &WithdrawalRow) -> Withdrawal {
    Withdrawal {
        status: row.status,
        status_title: row.status.title().to_owned(),
        leave_on: row.leave_on,
        requested_at: row.requested_at.and_utc(),
        confirm_by: row.confirm_by,
        confirmed_at: row.confirmed_at.map(|t| t.and_utc()),
        confirmed_automatically: row.confirmed_at.is_some() && row.confirmed_by.is_none(),
    }
}

fn day(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

/// The family asks to end the studies with `leave_on` as the last day: the
/// contract is set to end then, the organization is told.
pub async fn request(
    state: &AppState,
    caller: AuthUser,
    id: i64,
    input: WithdrawalInput,
    receipt: Receipt,
) -> ApiResult<Application> {
    let id = ApplicationId(id);
    let links = state.links();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let row = scope::application_of_family(conn, &caller, id)?;
                places::lock(conn, row.group_id)?;
                // Read again under the group's lock, as every change of the application does.
                let row = applications::find(conn, id)?
                    .ok_or(ApiError::NotFound { detail: "Заявка не найдена" })?;
                if row.status != ApplicationStatus::Enrolled {
                    return Err(not_now(row.status));
                }
                let today = crate::clock::today();
                let contract = contracts::repo::live_of(conn, id)?
                    .filter(|c| c.status == navigator_shared::applications::ContractStatus::Active);
                let leave_on = input.check(today, contract.as_ref().map_or(today, |c| c.in_force_from()))?;
                let confirm_by =
                    crate::calendar::repo::load(conn, today)?.add_working_days(today, WITHDRAWAL_CONFIRM_WORKING_DAYS);
                if !repo::insert(conn, id, leave_on, caller.id, confirm_by, now())? {
                    return Err(ApiError::Conflict {
                        code: ErrorCode::WithdrawalRequested,
                        detail: "Заявление об отчислении уже подано: его статус — в карточке заявки".into(),
                    });
                }
                if let Some(contract) = &contract {
                    contracts::repo::set_ends_on(conn, contract.id, leave_on, now())?;
                }
                let what = format!(
                    "Последний день занятий — {}. Организация подтвердит заявление до {}; если она не ответит, \
                     оно вступит в силу без её подтверждения. Договор завершится в этот день: месяц ухода \
                     оплачивается по дням занятий, неизрасходованный остаток вернётся на сертификат.",
                    day(leave_on),
                    day(confirm_by)
                );
                notifications::family::application_changed(conn, &links, id, "заявление об отчислении подано", &what)?;
                let child = children::repo::find(conn, row.child_id)?
                    .map(|c| format!("{} {}", c.last_name, c.first_name))
                    .unwrap_or_default();
                let program = catalog::repo::find(conn, row.program_id)?.map(|p| p.title).unwrap_or_default();
                let on = format!("«{program}», последний день — {}", day(leave_on));
                crate::audit::record(
                    conn,
                    caller.id,
                    row.child_id,
                    crate::audit::Action::RequestLeave,
                    None,
                    Some(&on),
                )?;
                let link = links.page("/cabinet/applications");
                organizations::service::tell_staff(conn, row.organization_id, |name| {
                    templates::withdrawal_requested(name, &child, &program, leave_on, confirm_by, &link)
                })?;
                answer_of(conn, &receipt, id)
            })
        })
        .await
}

/// The organization confirms the family's request; on or after the day of
/// leaving it takes effect at once.
pub async fn confirm(state: &AppState, caller: AuthUser, id: i64, receipt: Receipt) -> ApiResult<Application> {
    let id = ApplicationId(id);
    let links = state.links();
    let (answer, effect) = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let row = scope::application_of_organization(conn, &caller, id)?;
                let withdrawal = repo::of_application(conn, row.id)?.ok_or_else(|| ApiError::Conflict {
                    code: ErrorCode::InvalidStatus,
                    detail: "Семья не подавала заявление об отчислении".into(),
                })?;
                if !repo::confirm(conn, withdrawal.id, Some(caller.id), now())? {
                    return Err(ApiError::Conflict {
                        code: ErrorCode::AlreadyDecided,
                        detail: "Заявление об отчислении уже подтверждено".into(),
                    });
                }
                let today = crate::clock::today();
                let effect = if withdrawal.leave_on <= today {
                    take_effect(conn, &links, &withdrawal, caller.id)?
                } else {
                    let what = format!(
                        "Организация подтвердила отчисление: последний день занятий — {}.",
                        day(withdrawal.leave_on)
                    );
                    notifications::family::application_changed(conn, &links, id, "отчисление подтверждено", &what)?;
                    Effect::default()
                };
                Ok::<_, ApiError>((answer_of(conn, &receipt, id)?, effect))
            })
        })
        .await?;
    after(state, effect).await;
    Ok(answer)
}

/// The day of leaving came for a confirmed request: the child is expelled
/// «по заявлению родителя», the contract ends charged through that day, the
/// rest of the reserve goes back, the place to the waiting list. `by` is
/// who carried it out (the requesting parent when it happened on its own).
fn take_effect(conn: &mut DbConn, links: &Links, withdrawal: &WithdrawalRow, by: i64) -> ApiResult<Effect> {
    let still_enrolled =
        applications::find(conn, withdrawal.application_id)?.is_some_and(|a| a.status == ApplicationStatus::Enrolled);
    let effect = if still_enrolled {
        let change = Change {
            last_day: None,
            to: ApplicationStatus::Expelled,
            from: &[ApplicationStatus::Enrolled],
            reason: Some(ExpelReason::ParentRequest.as_str()),
            comment: None,
            what: format!(
                "Ребёнок отчислен по вашему заявлению, последний день занятий — {}. Договор завершён: \
                 месяц ухода оплачен по дням, неизрасходованный остаток вернулся на сертификат.",
                day(withdrawal.leave_on)
            ),
        };
        apply(conn, links, by, withdrawal.application_id, &change)?
    } else {
        Effect::default() // expelled or completed meanwhile: nothing is left to end
    };
    repo::done(conn, withdrawal.id, now())?;
    Ok(effect)
}

/// The housekeeping pass: requests nobody answered in
/// `WITHDRAWAL_CONFIRM_WORKING_DAYS` are confirmed, and confirmed ones whose
/// day came take effect, each in its own transaction.
pub fn run_due(conn: &mut DbConn, links: &Links, today: NaiveDate) -> ApiResult<usize> {
    let mut changed = 0;
    for withdrawal in repo::unanswered(conn, today, 500)? {
        let confirmed = write_tx(conn, |conn| {
            if !repo::confirm(conn, withdrawal.id, None, now())? {
                return Ok::<_, ApiError>(false);
            }
            let what = format!(
                "Организация не ответила до {}, поэтому заявление вступило в силу без её подтверждения. \
                 Последний день занятий — {}.",
                day(withdrawal.confirm_by),
                day(withdrawal.leave_on)
            );
            let application = withdrawal.application_id;
            notifications::family::application_changed(conn, links, application, "отчисление подтверждено", &what)?;
            Ok(true)
        })?;
        changed += usize::from(confirmed);
    }
    for withdrawal in repo::due(conn, today, 500)? {
        match write_tx(conn, |conn| take_effect(conn, links, &withdrawal, withdrawal.requested_by)) {
            Ok(_) => changed += 1,
            Err(error) => {
                tracing::warn!(withdrawal = withdrawal.id, error = ?error, "a withdrawal did not take effect")
            }
        }
    }
    if changed > 0 {
        tracing::info!(changed, "withdrawals confirmed or carried out");
    }
    Ok(changed)
}
