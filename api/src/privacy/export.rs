//! Everything the service holds about a family, for the parent to download
//! (152-ФЗ, ст. 14): the account, the consents, each child with the
//! certificate, its money, the applications with their contracts and the
//! staff's access to the record, and the messages. Read through the same
//! services the parent's pages use, so the export shows what they show.

use navigator_shared::ErrorCode;
use navigator_shared::accounts::Role;
use navigator_shared::applications::ApplicationsQuery;
use navigator_shared::ids::ChildId;
use navigator_shared::privacy::{ChildRecord, FamilyData, GivenConsent};
use navigator_shared::reference::PageQuery;

use crate::AppState;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::{accounts, applications, audit, children, consents, funding, notifications};

/// Rows read per page of a long list.
const PAGE: i64 = PageQuery::MAX_PER_PAGE;

/// The family's data as of now. Only a family's account has one: staff get 403.
pub async fn family(state: &AppState, caller: AuthUser) -> ApiResult<FamilyData> {
    if !matches!(caller.role, Role::Parent | Role::Learner) {
        return Err(ApiError::Forbidden {
            code: ErrorCode::Forbidden,
            detail: "Выгрузка данных семьи доступна родителю в его учётной записи",
        });
    }
    let profile = accounts::service::profile(state, caller).await?;
    let consents = state
        .db(move |conn| consents::given_by(conn, caller.id))
        .await?
        .into_iter()
        .map(|(kind, version, given_at, child_id)| GivenConsent {
            title: navigator_shared::consent::title_of(&kind).to_owned(),
            kind,
            version,
            given_at: given_at.and_utc(),
            child_id,
        })
        .collect();
    let mut records = Vec::new();
    for listed in children::service::list(state, caller).await? {
        records.push(child(state, caller, listed.id).await?);
    }
    let messages = state
        .db(move |conn| {
            let mut all = Vec::new();
            for page in 1.. {
                let (items, total) = notifications::inbox(conn, caller.id, page, PAGE)?;
                all.extend(items);
                if page * PAGE >= total {
                    break;
                }
            }
            Ok::<_, diesel::result::Error>(all)
        })
        .await?;
    Ok(FamilyData { made_at: crate::clock::now().and_utc(), profile, consents, children: records, messages })
}

/// The certificate's ledger with every entry, read page by page.
async fn whole_ledger(
    state: &AppState,
    caller: AuthUser,
    number: &str,
) -> ApiResult<navigator_shared::funding::Ledger> {
    let pages = |page| PageQuery { page: Some(page), per_page: Some(PAGE) };
    let mut ledger = funding::money::ledger(state, caller, number.to_owned(), pages(1)).await?;
    let mut page = 1;
    while page * PAGE < ledger.entries_total {
        page += 1;
        let next = funding::money::ledger(state, caller, number.to_owned(), pages(page)).await?;
        ledger.entries.extend(next.entries);
    }
    ledger.per_page = ledger.entries_total.max(PAGE);
    Ok(ledger)
}

/// One child's record in full, as the family's own page shows it.
async fn child(state: &AppState, caller: AuthUser, id: i64) -> ApiResult<ChildRecord> {
    let child = children::service::get(state, caller, id).await?;
    let ledger = match &child.certificate {
        Some(certificate) => Some(whole_ledger(state, caller, &certificate.number).await?),
        None => None,
    };
    let mut applications = Vec::new();
    for page in 1.. {
        let query =
            ApplicationsQuery { child_id: Some(id), page: Some(page), per_page: Some(PAGE), ..Default::default() };
        let listed = applications::service::list(state, caller, query).await?;
        applications.extend(listed.items);
        if page * PAGE >= listed.total {
            break;
        }
    }
    let access = state.db(move |conn| audit::of_child(conn, ChildId(id))).await?;
    let guardians = Some(children::guardians::service::list(state, caller, id).await?);
    Ok(ChildRecord { certificate: child.certificate.clone(), child, ledger, applications, access, guardians })
}
