//! A family withdraws its consent to the processing of personal data
//! (152-ФЗ, ст. 9, ч. 2): for one child, or for the whole account with every
//! child in it. Processing stops at once — the certificate leaves the
//! registry as on the applicant's written request (`applicant_request`), the
//! applications are cancelled, the contracts end with their reserve
//! released — and the data are depersonalized after the period the region
//! set ([`crate::config::RetentionSettings::withdrawn_days`], 30 days at most
//! by ст. 21, ч. 5), by the housekeeping ([`super::depersonalize`]).

use chrono::{NaiveDateTime, TimeDelta};
use navigator_shared::ErrorCode;
use navigator_shared::accounts::{Profile, Role};
use navigator_shared::applications::ExpelReason;
use navigator_shared::children::Child;
use navigator_shared::ids::ChildId;

use crate::audit::{self, Action};
use crate::auth::{AuthUser, scope};
use crate::children::repo::ChildRow;
use crate::db::{DbConn, write_tx};
use crate::error::{ApiError, ApiResult};
use crate::notifications::templates;
use crate::{AppState, Links, accounts, applications, children, notifications, registry};

const FAMILY: [Role; 2] = [Role::Parent, Role::Learner];

/// Why the studies end, as the family and the organizations read it.
const WHY: &str = "Заявитель отозвал согласие на обработку персональных данных";

fn already(detail: &'static str) -> ApiError {
    ApiError::Conflict { code: ErrorCode::ConsentWithdrawn, detail: detail.into() }
}

/// The parent withdraws the consent for one child of the family; answers
/// the child's record as it is now.
pub async fn child(state: &AppState, caller: AuthUser, id: i64) -> ApiResult<Child> {
    withdraw(state, caller, move |conn, links, period| {
        let row = scope::held_child(conn, &caller, ChildId(id))?;
        stop(conn, links, caller.id, &row, period)?;
        Ok(format!("данные ребёнка {}", row.first_name))
    })
    .await?;
    children::service::get(state, caller, id).await
}

/// The parent withdraws the consent for the whole account: every child's,
/// and the account's own data, which are depersonalized and the account
/// closed after the period. Until then the family can still sign in and
/// download its data. Answers the profile as it is now.
pub async fn account(state: &AppState, caller: AuthUser) -> ApiResult<Profile> {
    withdraw(state, caller, move |conn, links, (now, after)| {
        if !accounts::repo::withdraw_consent(conn, caller.id, now, after)? {
            return Err(already("Согласие для этой учётной записи уже отозвано"));
        }
        for row in children::repo::of_parent(conn, caller.id)? {
            if row.consent_withdrawn_at.is_none() && row.depersonalized_at.is_none() {
                stop(conn, links, caller.id, &row, (now, after))?;
            }
        }
        Ok("ваши данные и данные всех детей в учётной записи".to_owned())
    })
    .await?;
    accounts::service::profile(state, caller).await
}

/// Runs `act` in one write transaction with the withdrawal's moments (now,
/// and when the data go), then tells the family whose data `act` stopped.
async fn withdraw<F>(state: &AppState, caller: AuthUser, act: F) -> ApiResult<()>
where
    F: FnOnce(&mut DbConn, &Links, (NaiveDateTime, NaiveDateTime)) -> ApiResult<String> + Send + 'static,
{
    caller.require(&FAMILY)?;
    let links = state.links();
    let days = state.config.retention.withdrawn_days;
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let now = crate::clock::now();
                let after = now + TimeDelta::days(i64::from(days));
                let whose = act(conn, &links, (now, after))?;
                let parent = accounts::repo::find(conn, caller.id)?.ok_or_else(ApiError::unauthenticated)?;
                let email = templates::consent_withdrawn(&parent.greeting_name(), &whose, &day(after));
                notifications::inform(conn, accounts::service::recipient(&parent), email)?;
                Ok::<_, ApiError>(())
            })
        })
        .await
}

/// Stops the processing of one child's data: the withdrawal first (it takes
/// the row, so a second request waits and then finds it done), then the
/// certificate, the applications and contracts, and the audit entry.
fn stop(
    conn: &mut DbConn,
    links: &Links,
    by: i64,
    row: &ChildRow,
    (now, after): (NaiveDateTime, NaiveDateTime),
) -> ApiResult<()> {
    if row.depersonalized_at.is_some() || !children::repo::withdraw_consent(conn, row.id, now, after)? {
        return Err(already("Согласие на обработку данных этого ребёнка уже отозвано"));
    }
    registry::service::close_on_request(conn, links, by, row, WHY)?;
    // Applications a certificate did not pay for end too (a paid program, a free one).
    applications::service::end_with_certificate(conn, links, by, row.id, ExpelReason::ParentRequest, WHY)?;
    audit::record(conn, by, row.id, Action::WithdrawConsent, None, None)?;
    Ok(())
}

/// «31.12.2026» of a moment, for the family's notice.
fn day(at: NaiveDateTime) -> String {
    at.date().format("%d.%m.%Y").to_string()
}
