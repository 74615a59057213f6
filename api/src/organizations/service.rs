//! Rules of the organizations registry: who may add and change an
//! organization, the public cards and the delta export.

use navigator_shared::ErrorCode;
use navigator_shared::FieldErrors;
use navigator_shared::catalog::ChangesQuery;
use navigator_shared::children::name_key;
use navigator_shared::organizations::{
    OrganizationCard, OrganizationChange, OrganizationInput, OrganizationRecord, OrganizationStatus,
    OrganizationsQuery, StaffMember,
};
use navigator_shared::reference::Page;

use super::repo::{self, Filter, InnTaken, OrganizationData, OrganizationRow};
use crate::AppState;
use crate::auth::AuthUser;
use crate::auth::scope::{self, Territory};
use crate::db::{DbConn, write_tx};
use crate::error::{ApiError, ApiResult};
use crate::notifications::now;
use crate::reference;

const NOT_FOUND: &str = "Организация не найдена";

fn inn_taken(_: InnTaken) -> ApiError {
    ApiError::Conflict {
        code: ErrorCode::InnTaken,
        detail: "Организация с таким ИНН уже есть в реестре: найдите её в списке и измените".into(),
    }
}

/// Tells every active staff member of `organization` something: `message`
/// makes the letter from the greeting name.
pub fn tell_staff(
    conn: &mut DbConn,
    organization: i64,
    message: impl Fn(&str) -> crate::notifications::Email,
) -> ApiResult<()> {
    for (id, email, _, first, middle, _, confirmed, disabled) in repo::staff(conn, organization)? {
        if disabled.is_some() {
            continue; // gone from the organization
        }
        let name = navigator_shared::validate::greeting_name(&first, middle.as_deref());
        let to = crate::notifications::Recipient { user_id: id, address: &email, confirmed: confirmed.is_some() };
        crate::notifications::inform(conn, to, message(&name))?;
    }
    Ok(())
}

/// Validates and stores a new organization (the operator's form, demo data).
pub fn insert(conn: &mut DbConn, input: &OrganizationInput) -> ApiResult<i64> {
    let data = checked(conn, input)?;
    repo::insert(conn, &data)?.map_err(inn_taken)
}

fn checked(conn: &mut DbConn, input: &OrganizationInput) -> ApiResult<OrganizationData> {
    let valid = input.validate()?;
    if !reference::repo::municipality_exists(conn, valid.municipality_id)? {
        let mut errors = FieldErrors::new();
        errors.add("municipality_id", "Такого муниципалитета нет в списке");
        return Err(ApiError::Validation(errors));
    }
    Ok(OrganizationData::new(valid, now()))
}

/// Seed 003: the certificate pays only a verified provider («проверенная
/// организация»): one marked a provider in the registry and not suspended.
pub fn may_be_paid(conn: &mut DbConn, organization: i64) -> diesel::QueryResult<bool> {
    Ok(repo::find(conn, organization)?.is_some_and(|o| o.is_provider && o.status == OrganizationStatus::Active))
}

/// [`may_be_paid`], or the 409 that says why not.
pub fn require_verified_provider(conn: &mut DbConn, organization: i64) -> ApiResult<()> {
    if may_be_paid(conn, organization)? {
        return Ok(());
    }
    Err(ApiError::Conflict {
        code: ErrorCode::NotVerifiedProvider,
        detail: "Сертификатом оплачиваются программы только проверенных организаций: организация не отмечена \
                 в реестре как поставщик услуг или её работа приостановлена"
            .into(),
    })
}

pub fn to_card(row: &OrganizationRow, programs_count: i64) -> ApiResult<OrganizationCard> {
    Ok(OrganizationCard {
        id: row.id,
        name: row.name.clone(),
        inn: row.inn.clone(),
        kind: row.kind,
        municipality_id: row.municipality_id,
        address: row.address.clone(),
        lat: row.lat,
        lon: row.lon,
        phone: row.phone.clone(),
        email: row.email.clone(),
        website: row.website.clone(),
        is_provider: row.is_provider,
        can_activate: row.can_activate,
        status: row.status,
        programs_count,
        updated_at: row.updated_at.and_utc(),
    })
}

/// Cards of `rows` with their numbers of published programs.
fn cards(conn: &mut DbConn, rows: &[OrganizationRow]) -> ApiResult<Vec<OrganizationCard>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let counts = repo::published_counts(conn, &ids)?;
    let count = |id| counts.iter().find(|(org, _)| *org == id).map_or(0, |(_, n)| *n);
    rows.iter().map(|row| to_card(row, count(row.id))).collect()
}

fn filter(query: &OrganizationsQuery) -> Filter {
    Filter {
        municipality: query.municipality_id,
        kind: query.kind,
        is_provider: query.is_provider,
        status: None,
        text: query.q.as_deref().map(name_key).filter(|q| !q.is_empty()),
    }
}

fn page_of(query: &OrganizationsQuery) -> ApiResult<(i64, i64)> {
    let pages = navigator_shared::reference::PageQuery { page: query.page, per_page: query.per_page };
    Ok(pages.resolve()?)
}

/// The public list: organizations that work in the Navigator.
pub async fn public_list(state: &AppState, query: OrganizationsQuery) -> ApiResult<Page<OrganizationCard>> {
    let (page, per_page) = page_of(&query)?;
    let filter = Filter { status: Some(OrganizationStatus::Active), ..filter(&query) };
    state
        .db(move |conn| {
            let (rows, total) = repo::list(conn, &filter, page, per_page)?;
            Ok::<_, ApiError>(Page { items: cards(conn, &rows)?, total, page, per_page })
        })
        .await
}

pub async fn public_card(state: &AppState, id: i64) -> ApiResult<OrganizationCard> {
    state
        .db(move |conn| {
            let row = repo::find(conn, id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
            Ok::<_, ApiError>(cards(conn, std::slice::from_ref(&row))?.remove(0))
        })
        .await
}

/// The operator's registry: the organizations of their territory, in every status.
pub async fn registry_list(
    state: &AppState,
    caller: AuthUser,
    query: OrganizationsQuery,
) -> ApiResult<Page<OrganizationCard>> {
    let (page, per_page) = page_of(&query)?;
    state
        .db(move |conn| {
            let territory = scope::territory(conn, &caller)?;
            let mut filter = filter(&query);
            if let Some(own) = territory.municipality() {
                if filter.municipality.is_some_and(|m| m != own) {
                    return Ok(Page { items: Vec::new(), total: 0, page, per_page });
                }
                filter.municipality = Some(own);
            }
            let (rows, total) = repo::list(conn, &filter, page, per_page)?;
            Ok::<_, ApiError>(Page { items: cards(conn, &rows)?, total, page, per_page })
        })
        .await
}

/// An organization of the caller's territory, or 404.
fn in_territory(conn: &mut DbConn, territory: Territory, id: i64) -> ApiResult<OrganizationRow> {
    repo::find(conn, id)?
        .filter(|row| territory.covers(row.municipality_id))
        .ok_or(ApiError::NotFound { detail: NOT_FOUND })
}

fn outside_territory() -> ApiError {
    ApiError::Forbidden {
        code: ErrorCode::OutsideTerritory,
        detail: "Оператор ведёт организации только своего муниципалитета",
    }
}

fn record(conn: &mut DbConn, row: &OrganizationRow) -> ApiResult<OrganizationRecord> {
    let staff = repo::staff(conn, row.id)?
        .into_iter()
        .map(|(id, email, last, first, middle, phone, confirmed, disabled)| StaffMember {
            id,
            email,
            full_name: [Some(last), Some(first), middle].into_iter().flatten().collect::<Vec<_>>().join(" "),
            phone,
            email_confirmed: confirmed.is_some(),
            disabled: disabled.is_some(),
        })
        .collect();
    Ok(OrganizationRecord {
        card: cards(conn, std::slice::from_ref(row))?.remove(0),
        can_confirm: row.can_confirm,
        can_view_personal_data: row.can_view_personal_data,
        activation_contact: row.activation_contact.clone().unwrap_or_default(),
        reception_hours: row.reception_hours.clone().unwrap_or_default(),
        city_phone: row.city_phone.clone().unwrap_or_default(),
        staff,
    })
}

pub async fn registry_record(state: &AppState, caller: AuthUser, id: i64) -> ApiResult<OrganizationRecord> {
    state
        .db(move |conn| {
            let territory = scope::territory(conn, &caller)?;
            let row = in_territory(conn, territory, id)?;
            record(conn, &row)
        })
        .await
}

pub async fn create(state: &AppState, caller: AuthUser, input: OrganizationInput) -> ApiResult<OrganizationRecord> {
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let territory = scope::territory(conn, &caller)?;
                if !territory.covers(input.municipality_id) && input.municipality_id > 0 {
                    return Err(outside_territory());
                }
                let id = insert(conn, &input)?;
                let row = repo::find(conn, id)?.ok_or_else(|| anyhow::anyhow!("new organization vanished"))?;
                record(conn, &row)
            })
        })
        .await
}

pub async fn update(
    state: &AppState,
    caller: AuthUser,
    id: i64,
    input: OrganizationInput,
) -> ApiResult<OrganizationRecord> {
    let (record, programs) = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let territory = scope::territory(conn, &caller)?;
                in_territory(conn, territory, id)?;
                if !territory.covers(input.municipality_id) && input.municipality_id > 0 {
                    return Err(outside_territory());
                }
                let data = checked(conn, &input)?;
                repo::update(conn, id, &data)?.map_err(inn_taken)?;
                let programs = repo::touch_programs(conn, id, data.updated_at)?;
                let row = repo::find(conn, id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
                Ok::<_, ApiError>((record(conn, &row)?, programs))
            })
        })
        .await?;
    state.reindex(programs).await?;
    Ok(record)
}

/// Organizations changed after `since`, for integrators.
pub async fn changes(state: &AppState, query: ChangesQuery) -> ApiResult<Vec<OrganizationChange>> {
    let limit = query.checked_limit()?;
    state
        .db(move |conn| {
            let rows = repo::changed_since(conn, query.updated_since, limit)?;
            let cards = cards(conn, &rows)?;
            Ok::<_, ApiError>(
                rows.iter()
                    .zip(cards)
                    .map(|(row, card)| OrganizationChange {
                        id: row.id,
                        state: row.status.as_str().to_owned(),
                        updated_at: row.updated_at.and_utc(),
                        organization: card,
                    })
                    .collect(),
            )
        })
        .await
}
