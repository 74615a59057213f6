//! Rules of the catalog: who may write a program, its status machine,
//! moderation, and the public answers (from the index and the database).

use chrono::NaiveDate;
use navigator_search::IndexedProgram;
use navigator_shared::ErrorCode;
use navigator_shared::FieldErrors;
use navigator_shared::accounts::Role;
use navigator_shared::catalog::{
    CatalogPage, CatalogQuery, ChangesQuery, Contacts, Group, GroupInput, MapPage, MapQuery, Module, ModuleInput,
    OrganizationRef, ProgramCard, ProgramChange, ProgramInput, ProgramStatus, ProgramSummary, PublishRequest,
    ReturnRequest,
};
use navigator_shared::funding::FundingKind;
use navigator_shared::integrations::WebhookEvent;
use navigator_shared::reference::{Page, PageQuery, academic_year_of, academic_year_title, in_open_academic_years};

use super::repo::{self, GroupData, GroupRow, Listed, ProgramData, ProgramRow, StatusChange};
use crate::AppState;
use crate::auth::AuthUser;
use crate::auth::scope;
use crate::db::{DbConn, write_tx};
use crate::error::{ApiError, ApiResult};
use crate::notifications::{self, now};
use crate::organizations::{repo as organizations, service as organization_cards};
use crate::{places, reference};
use navigator_shared::organizations::OrganizationStatus;

const NOT_FOUND: &str = "Программа не найдена";

fn today() -> NaiveDate {
    crate::clock::today()
}

// ---- what the catalog shows ------------------------------------------------

fn group_open(row: &GroupRow, today: NaiveDate) -> bool {
    Group::is_open(row.enrolment_open, row.enrolment_from, row.enrolment_to, row.capacity - row.enrolled, today)
}

/// Whether a program stops or starts taking applications (its «open» in the
/// catalog) when its group `group` fills up or gets a place again, the groups
/// being as `groups` hold them: only when no other group is open and
/// `group`'s enrolment runs.
pub fn opening_changes(groups: &[GroupRow], group: i64, today: NaiveDate) -> bool {
    let others_open = groups.iter().any(|g| g.id != group && group_open(g, today));
    let enrolling = groups
        .iter()
        .find(|g| g.id == group)
        .is_none_or(|g| Group::is_open(g.enrolment_open, g.enrolment_from, g.enrolment_to, 1, today));
    !others_open && enrolling
}

fn to_summary(row: &ProgramRow, organization: &str, price_from: Option<i64>, open: bool) -> ApiResult<ProgramSummary> {
    Ok(ProgramSummary {
        id: row.id,
        title: row.title.clone(),
        direction: row.direction,
        profile: row.profile.clone(),
        level: row.level,
        age_min: row.age_min,
        age_max: row.age_max,
        certified: row.certified,
        cost_type: row.cost_type,
        organization: OrganizationRef { id: row.organization_id, name: organization.to_owned() },
        municipality_id: row.municipality_id,
        address: row.address.clone(),
        lat: row.lat,
        lon: row.lon,
        rating: row.rating,
        reviews_count: i64::from(row.reviews_count),
        applications_count: row.applications_count,
        price_from,
        open,
        disability_friendly: row.disability_friendly,
        updated_at: row.updated_at.and_utc(),
    })
}

/// Index documents of the published programs of working organizations: all
/// of them, or those of `ids`.
pub fn indexed(conn: &mut DbConn, ids: Option<&[i64]>, today: NaiveDate) -> ApiResult<Vec<IndexedProgram>> {
    let listed: Vec<Listed> = repo::published(conn, ids)?.into_iter().filter(|l| l.organization_active).collect();
    let prices = repo::lowest_prices(conn, ids)?;
    let prices: std::collections::HashMap<i64, Option<i64>> = prices.into_iter().collect();
    let mut open = std::collections::HashSet::new();
    for group in repo::groups_of(conn, ids)? {
        if group_open(&group, today) {
            open.insert(group.program_id);
        }
    }
    listed
        .into_iter()
        .map(|l| {
            let id = l.program.id;
            Ok(IndexedProgram {
                summary: to_summary(
                    &l.program,
                    &l.organization,
                    prices.get(&id).copied().flatten(),
                    open.contains(&id),
                )?,
                published_at: l.program.published_at.unwrap_or(l.program.created_at),
                description: l.program.description,
            })
        })
        .collect()
}

/// Brings the index in step with the database for `ids`.
pub async fn reindex(state: &AppState, ids: Vec<i64>) -> ApiResult<()> {
    let pool = state.pool.clone();
    let (catalog, cards) = (state.catalog.clone(), state.cards.clone());
    let today = state.config.clock.today();
    actix_web::web::block(move || -> ApiResult<()> {
        let mut conn = pool.get()?;
        super::index::apply(&catalog, &cards, &mut conn, &ids, today)
    })
    .await?
}

// ---- public answers ----------------------------------------------------------

/// A catalog page as JSON: from the answer cache when the same search was
/// answered since the index last changed.
pub fn search(state: &AppState, query: &CatalogQuery) -> ApiResult<actix_web::web::Bytes> {
    let (page, per_page) = query.check()?;
    let key = serde_json::to_string(query).map_err(anyhow::Error::from)?;
    let generation = state.catalog.generation();
    if let Some(body) = state.catalog_answers.get(&key, generation) {
        return Ok(body);
    }
    let answer: CatalogPage = state.catalog.search(query, page, per_page).map_err(anyhow::Error::from)?;
    let body = super::cache::json_body(&answer).map_err(anyhow::Error::from)?;
    state.catalog_answers.put(key, generation, body.clone());
    Ok(body)
}

pub fn map(state: &AppState, query: &MapQuery) -> ApiResult<MapPage> {
    let (bbox, zoom) = query.check()?;
    Ok(state.catalog.map(&query.filters(), bbox, zoom).map_err(anyhow::Error::from)?)
}

fn to_group(row: GroupRow, today: NaiveDate) -> Group {
    let open = group_open(&row, today);
    Group {
        id: row.id,
        program_id: row.program_id,
        schedule: row.lessons(),
        name: row.name,
        teacher: row.teacher,
        capacity: row.capacity,
        free_places: (row.capacity - row.enrolled).max(0),
        start_date: row.start_date,
        end_date: row.end_date,
        academic_year: academic_year_of(row.start_date),
        age_min: row.age_min,
        age_max: row.age_max,
        enrolment_open: row.enrolment_open,
        enrolment_from: row.enrolment_from,
        enrolment_to: row.enrolment_to,
        hold_until: row.hold_until,
        open,
    }
}

/// The full card of a program, in any status.
fn card(conn: &mut DbConn, row: ProgramRow) -> ApiResult<ProgramCard> {
    cards(conn, vec![row])?.pop().ok_or_else(|| ApiError::NotFound { detail: NOT_FOUND })
}

/// Full cards of `rows`, with a fixed number of queries however many rows.
fn cards(conn: &mut DbConn, rows: Vec<ProgramRow>) -> ApiResult<Vec<ProgramCard>> {
    let mut org_ids: Vec<i64> = rows.iter().map(|r| r.organization_id).collect();
    org_ids.sort_unstable();
    org_ids.dedup();
    let counts = organizations::published_counts(conn, &org_ids)?;
    let orgs = organizations::find_many(conn, &org_ids)?;
    cards_of(conn, rows, &orgs, &counts)
}

/// [`cards`] with the organizations and their numbers of published programs given.
fn cards_of(
    conn: &mut DbConn,
    rows: Vec<ProgramRow>,
    orgs: &[organizations::OrganizationRow],
    counts: &[(i64, i64)],
) -> ApiResult<Vec<ProgramCard>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut modules = repo::modules_of(conn, &ids)?;
    let mut groups = repo::groups_of(conn, Some(&ids))?;
    let today = today();
    rows.into_iter()
        .map(|row| {
            let organization = orgs
                .iter()
                .find(|o| o.id == row.organization_id)
                .ok_or_else(|| anyhow::anyhow!("program {} has no organization", row.id))?;
            let (own_modules, rest): (Vec<Module>, Vec<Module>) =
                modules.drain(..).partition(|m| m.program_id == row.id);
            modules = rest;
            let (own_groups, rest): (Vec<GroupRow>, Vec<GroupRow>) =
                groups.drain(..).partition(|g| g.program_id == row.id);
            groups = rest;
            let modules = own_modules;
            let mut groups: Vec<Group> = own_groups.into_iter().map(|g| to_group(g, today)).collect();
            groups.sort_by_key(|g| g.id);
            let price_from = modules.iter().map(|m| m.price).min();
            let summary = to_summary(&row, &organization.name, price_from, groups.iter().any(|g| g.open))?;
            let programs_count = counts.iter().find(|(id, _)| *id == organization.id).map_or(0, |(_, n)| *n);
            Ok(ProgramCard {
                summary,
                status: row.status,
                description: row.description,
                goals: row.goals,
                duration_months: row.duration_months,
                teachers: row.teachers.lines().map(str::to_owned).filter(|t| !t.is_empty()).collect(),
                contacts: Contacts { name: row.contact_name, phone: row.contact_phone, email: row.contact_email },
                moderation_comment: row.moderation_comment,
                organization_details: organization_cards::to_card(organization, programs_count)?,
                funding: row.funding,
                modules,
                groups,
            })
        })
        .collect()
}

/// The public card as JSON: published programs of working organizations
/// only; from the card cache unless the program or its places changed since
/// it was last read.
pub async fn public_card(state: &AppState, id: i64) -> ApiResult<actix_web::web::Bytes> {
    if let Some(body) = state.cards.get(id) {
        return Ok(body);
    }
    let epoch = state.cards.epoch();
    let index = state.catalog.clone();
    let card = state
        .db(move |conn| {
            // The program with its organization in one query, and the
            // organization's programs in the catalog from the index.
            let (row, organization) = repo::find_with_organization(conn, id)?
                .filter(|(r, o)| r.status == ProgramStatus::Published && o.status == OrganizationStatus::Active)
                .ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
            let published = (organization.id, index.programs_of_organization(organization.id));
            cards_of(conn, vec![row], &[organization], &[published])?
                .pop()
                .ok_or(ApiError::NotFound { detail: NOT_FOUND })
        })
        .await?;
    let body = super::cache::json_body(&card).map_err(anyhow::Error::from)?;
    state.cards.put(id, epoch, body.clone());
    Ok(body)
}

/// Programs changed after `since` that were ever in the catalog.
pub async fn changes(state: &AppState, query: ChangesQuery) -> ApiResult<Vec<ProgramChange>> {
    let limit = query.checked_limit()?;
    state
        .db(move |conn| {
            let rows = repo::changed_since(conn, query.updated_since, limit)?;
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            let docs = indexed(conn, Some(&ids), today())?;
            Ok::<_, ApiError>(
                rows.into_iter()
                    .map(|row| {
                        let program = docs.iter().find(|d| d.summary.id == row.id).map(|d| d.summary.clone());
                        let state = match (&program, row.status) {
                            (Some(_), _) => "published",
                            (None, ProgramStatus::Archived) => "archived",
                            (None, _) => "withdrawn",
                        };
                        ProgramChange {
                            id: row.id,
                            state: state.to_owned(),
                            updated_at: row.updated_at.and_utc(),
                            program,
                        }
                    })
                    .collect(),
            )
        })
        .await
}

// ---- the organization's cabinet ----------------------------------------------

/// The caller's organization's program, or 404 (also for another organization's).
fn own_program(conn: &mut DbConn, caller: &AuthUser, id: i64) -> ApiResult<ProgramRow> {
    let organization = scope::organization(conn, caller)?;
    repo::find(conn, id)?.filter(|r| r.organization_id == organization).ok_or(ApiError::NotFound { detail: NOT_FOUND })
}

fn checked(conn: &mut DbConn, input: &ProgramInput) -> ApiResult<ProgramData> {
    let valid = input.validate()?;
    if !reference::repo::municipality_exists(conn, valid.municipality_id)? {
        let mut errors = FieldErrors::new();
        errors.add("municipality_id", "Такого муниципалитета нет в списке");
        return Err(ApiError::Validation(errors));
    }
    Ok(ProgramData::new(valid, now()))
}

/// The organization's programs in every status, most recently changed first.
pub async fn cabinet_list(
    state: &AppState,
    caller: AuthUser,
    status: Option<ProgramStatus>,
    pages: PageQuery,
) -> ApiResult<Page<ProgramCard>> {
    let (page, per_page) = pages.resolve()?;
    state
        .db(move |conn| {
            let organization = scope::organization(conn, &caller)?;
            let filter = repo::Filter { organization: Some(organization), status, ..repo::Filter::default() };
            let (rows, total) = repo::list(conn, &filter, page, per_page)?;
            Ok::<_, ApiError>(Page { items: cards(conn, rows)?, total, page, per_page })
        })
        .await
}

pub async fn cabinet_card(state: &AppState, caller: AuthUser, id: i64) -> ApiResult<ProgramCard> {
    state.db(move |conn| own_program(conn, &caller, id).and_then(|row| card(conn, row))).await
}

pub async fn create(state: &AppState, caller: AuthUser, input: ProgramInput) -> ApiResult<ProgramCard> {
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let organization = scope::organization(conn, &caller)?;
                let data = checked(conn, &input)?;
                let id = repo::insert(conn, organization, &data)?;
                let row = repo::find(conn, id)?.ok_or_else(|| anyhow::anyhow!("new program vanished"))?;
                card(conn, row)
            })
        })
        .await
}

/// Statuses in which the organization may change a program.
const EDITABLE: [ProgramStatus; 3] = [ProgramStatus::Draft, ProgramStatus::Returned, ProgramStatus::Published];

fn not_editable(row: &ProgramRow) -> ApiError {
    let detail = match row.status {
        ProgramStatus::Moderation => "Программа на модерации: изменить её можно после решения оператора",
        ProgramStatus::Archived => "Программа в архиве: её нельзя изменить",
        _ => "Программу сейчас нельзя изменить",
    };
    ApiError::Conflict { code: ErrorCode::ProgramNotEditable, detail: detail.into() }
}

pub async fn update(state: &AppState, caller: AuthUser, id: i64, input: ProgramInput) -> ApiResult<ProgramCard> {
    let card = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let row = own_program(conn, &caller, id)?;
                let data = checked(conn, &input)?;
                if !repo::update(conn, id, &EDITABLE, &data)? {
                    return Err(not_editable(&row));
                }
                announce(conn, &row, row.status)?;
                let row = repo::find(conn, id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
                card(conn, row)
            })
        })
        .await?;
    reindex(state, vec![id]).await?;
    Ok(card)
}

/// A move of the status machine: from which statuses, to which, with what.
struct Transition {
    from: &'static [ProgramStatus],
    change: StatusChange,
}

fn illegal(row: &ProgramRow, action: &str) -> ApiError {
    ApiError::Conflict {
        code: ErrorCode::IllegalTransition,
        detail: format!("Программа в статусе «{}»: {action} невозможно", row.status.title().to_lowercase()),
    }
}

fn to_status(status: ProgramStatus) -> StatusChange {
    StatusChange { status: Some(status), updated_at: Some(now()), ..StatusChange::default() }
}

/// Applies `transition` to the program `row`; 409 when its status does not allow it.
fn apply(conn: &mut DbConn, row: &ProgramRow, transition: &Transition, action: &str) -> ApiResult<ProgramCard> {
    if !repo::set_status(conn, row.id, transition.from, &transition.change)? {
        return Err(illegal(row, action));
    }
    announce(conn, row, transition.change.status.unwrap_or(row.status))?;
    let row = repo::find(conn, row.id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
    card(conn, row)
}

/// Tells integrators about a change of a program in the catalog (in the
/// change's transaction): its first publication, or a change of a published
/// program (also its leaving the catalog, `status` then says where to).
fn announce(conn: &mut DbConn, before: &ProgramRow, status: ProgramStatus) -> ApiResult<()> {
    let kind = match (before.status, status) {
        (ProgramStatus::Published, _) => WebhookEvent::ProgramChanged,
        (_, ProgramStatus::Published) => WebhookEvent::ProgramPublished,
        _ => return Ok(()),
    };
    let (id, organization, at) = (before.id, before.organization_id, now());
    let event = crate::webhooks::Event { kind, object: format!("program:{id}"), only_client: None };
    crate::webhooks::record(conn, event, at, |_| {
        Ok(serde_json::json!({
            "program_id": id,
            "organization_id": organization,
            "status": status,
            "changed_at": at.and_utc(),
        }))
    })?;
    Ok(())
}

/// The organization sends a draft or a returned program to the operator.
pub async fn submit(state: &AppState, caller: AuthUser, id: i64) -> ApiResult<ProgramCard> {
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let row = own_program(conn, &caller, id)?;
                if repo::groups(conn, id)?.is_empty() {
                    return Err(ApiError::Conflict {
                        code: ErrorCode::ProgramWithoutGroups,
                        detail: "Добавьте хотя бы одну группу с расписанием: без неё на программу нельзя записаться"
                            .into(),
                    });
                }
                let transition = Transition {
                    from: &[ProgramStatus::Draft, ProgramStatus::Returned],
                    change: to_status(ProgramStatus::Moderation),
                };
                apply(conn, &row, &transition, "отправка на модерацию")
            })
        })
        .await
}

/// Takes a published program out of the catalog (the organization or the operator).
pub async fn archive(state: &AppState, caller: AuthUser, id: i64) -> ApiResult<ProgramCard> {
    let card = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let row = match caller.role {
                    Role::OrgStaff => own_program(conn, &caller, id)?,
                    _ => moderated_program(conn, &caller, id)?,
                };
                let transition =
                    Transition { from: &[ProgramStatus::Published], change: to_status(ProgramStatus::Archived) };
                apply(conn, &row, &transition, "перенос в архив")
            })
        })
        .await?;
    reindex(state, vec![id]).await?;
    Ok(card)
}

// ---- modules and groups -------------------------------------------------------

/// The caller's program that may still change (not archived).
fn writable_program(conn: &mut DbConn, caller: &AuthUser, id: i64) -> ApiResult<ProgramRow> {
    let row = own_program(conn, caller, id)?;
    if row.status == ProgramStatus::Archived {
        return Err(not_editable(&row));
    }
    Ok(row)
}

/// Runs a change of a program's part, then updates the program's card in the index.
async fn change_part<T, F>(state: &AppState, program_of: ProgramOf, f: F) -> ApiResult<T>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConn, &ProgramRow) -> ApiResult<T> + Send + 'static,
{
    let caller = program_of.caller;
    let (value, program) = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let program_id = match program_of.target {
                    Part::Program(id) => id,
                    Part::Module(id) => {
                        repo::find_module(conn, id)?
                            .ok_or(ApiError::NotFound { detail: "Модуль не найден" })?
                            .program_id
                    }
                    Part::Group(id) => {
                        repo::find_group(conn, id)?
                            .ok_or(ApiError::NotFound { detail: "Группа не найдена" })?
                            .program_id
                    }
                };
                let row = writable_program(conn, &caller, program_id).map_err(|e| match (e, program_of.target) {
                    (ApiError::NotFound { .. }, Part::Module(_)) => {
                        ApiError::NotFound { detail: "Модуль не найден" }
                    }
                    (ApiError::NotFound { .. }, Part::Group(_)) => {
                        ApiError::NotFound { detail: "Группа не найдена" }
                    }
                    (other, _) => other,
                })?;
                let value = f(conn, &row)?;
                repo::touch(conn, row.id, now())?;
                announce(conn, &row, row.status)?;
                Ok::<_, ApiError>((value, row.id))
            })
        })
        .await?;
    reindex(state, vec![program]).await?;
    Ok(value)
}

#[derive(Clone, Copy)]
enum Part {
    Program(i64),
    Module(i64),
    Group(i64),
}

struct ProgramOf {
    caller: AuthUser,
    target: Part,
}

pub async fn add_module(state: &AppState, caller: AuthUser, program: i64, input: ModuleInput) -> ApiResult<Module> {
    let valid = input.validate()?;
    change_part(state, ProgramOf { caller, target: Part::Program(program) }, move |conn, row| {
        let id = repo::insert_module(conn, row.id, &valid, now())?;
        Ok(Module { id, program_id: row.id, name: valid.name, hours: valid.hours, price: valid.price })
    })
    .await
}

pub async fn update_module(state: &AppState, caller: AuthUser, id: i64, input: ModuleInput) -> ApiResult<Module> {
    let valid = input.validate()?;
    change_part(state, ProgramOf { caller, target: Part::Module(id) }, move |conn, row| {
        repo::update_module(conn, id, &valid, now())?;
        Ok(Module { id, program_id: row.id, name: valid.name, hours: valid.hours, price: valid.price })
    })
    .await
}

pub async fn delete_module(state: &AppState, caller: AuthUser, id: i64) -> ApiResult<()> {
    change_part(state, ProgramOf { caller, target: Part::Module(id) }, move |conn, _| {
        Ok(repo::delete_module(conn, id)?)
    })
    .await
}

fn group_data(conn: &mut DbConn, row: &ProgramRow, input: &GroupInput) -> ApiResult<GroupData> {
    let valid = input.validate((row.age_min, row.age_max))?;
    let current = reference::repo::region(conn)?.academic_year;
    if !in_open_academic_years(valid.start_date, valid.end_date, current) {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "start_date",
            &format!(
                "Группа должна заниматься в текущем ({}) или следующем ({}) учебном году",
                academic_year_title(current),
                academic_year_title(current + 1)
            ),
        ));
    }
    Ok(GroupData::new(valid, now()))
}

fn stored_group(conn: &mut DbConn, id: i64) -> ApiResult<Group> {
    let row = repo::find_group(conn, id)?.ok_or(ApiError::NotFound { detail: "Группа не найдена" })?;
    Ok(to_group(row, today()))
}

pub async fn add_group(state: &AppState, caller: AuthUser, program: i64, input: GroupInput) -> ApiResult<Group> {
    let links = state.links();
    change_part(state, ProgramOf { caller, target: Part::Program(program) }, move |conn, row| {
        let data = group_data(conn, row, &input)?;
        let id = repo::insert_group(conn, row.id, &data)?;
        // A new open group answers the requests about its program.
        crate::spot_alerts::service::announce(conn, &links, id)?;
        stored_group(conn, id)
    })
    .await
}

/// Changes a group. Its row is locked first, as every change of places does,
/// so a place taken meanwhile cannot slip under a lowered capacity; places
/// added go to the waiting list in its order.
pub async fn update_group(state: &AppState, caller: AuthUser, id: i64, input: GroupInput) -> ApiResult<Group> {
    let links = state.links();
    change_part(state, ProgramOf { caller, target: Part::Group(id) }, move |conn, row| {
        let data = group_data(conn, row, &input)?;
        places::lock(conn, id)?;
        let enrolled = repo::find_group(conn, id)?.map_or(0, |g| g.enrolled);
        if data.capacity < enrolled {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "capacity",
                &format!("В группе уже {enrolled} детей: мест не может быть меньше"),
            ));
        }
        repo::update_group(conn, id, &data)?;
        for promoted in places::fill(conn, id)? {
            notifications::family::promoted(conn, &links, promoted)?;
        }
        // The places the waiting list left over answer the families that asked to be told.
        crate::spot_alerts::service::announce(conn, &links, id)?;
        stored_group(conn, id)
    })
    .await
}

pub async fn delete_group(state: &AppState, caller: AuthUser, id: i64) -> ApiResult<()> {
    change_part(state, ProgramOf { caller, target: Part::Group(id) }, move |conn, _| {
        if repo::find_group(conn, id)?.is_some_and(|g| g.enrolled > 0) {
            return Err(ApiError::Conflict {
                code: ErrorCode::GroupHasChildren,
                detail: "В группе есть зачисленные дети: закройте приём вместо удаления".into(),
            });
        }
        Ok(repo::delete_group(conn, id)?)
    })
    .await
}

// ---- moderation ----------------------------------------------------------------

fn outside_territory() -> ApiError {
    ApiError::Forbidden {
        code: ErrorCode::OutsideTerritory,
        detail: "Программа другого муниципалитета: её модерирует оператор того муниципалитета",
    }
}

/// A program the operator may moderate: of their territory (403 otherwise).
fn moderated_program(conn: &mut DbConn, caller: &AuthUser, id: i64) -> ApiResult<ProgramRow> {
    let territory = scope::territory(conn, caller)?;
    let row = repo::find(conn, id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
    if territory.covers(row.municipality_id) { Ok(row) } else { Err(outside_territory()) }
}

/// The moderation queue (default: programs waiting in `moderation`) of the operator's territory.
pub async fn moderation_list(
    state: &AppState,
    caller: AuthUser,
    status: Option<ProgramStatus>,
    pages: PageQuery,
) -> ApiResult<Page<ProgramCard>> {
    let (page, per_page) = pages.resolve()?;
    state
        .db(move |conn| {
            let territory = scope::territory(conn, &caller)?;
            let filter = repo::Filter {
                municipality: territory.municipality(),
                status: Some(status.unwrap_or(ProgramStatus::Moderation)),
                ..repo::Filter::default()
            };
            let (rows, total) = repo::list(conn, &filter, page, per_page)?;
            Ok::<_, ApiError>(Page { items: cards(conn, rows)?, total, page, per_page })
        })
        .await
}

pub async fn moderation_card(state: &AppState, caller: AuthUser, id: i64) -> ApiResult<ProgramCard> {
    state.db(move |conn| moderated_program(conn, &caller, id).and_then(|row| card(conn, row))).await
}

/// The operator publishes a program, certified or not.
pub async fn publish(state: &AppState, caller: AuthUser, id: i64, request: PublishRequest) -> ApiResult<ProgramCard> {
    let card = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let row = moderated_program(conn, &caller, id)?;
                if request.certified {
                    organization_cards::require_verified_provider(conn, row.organization_id)?;
                }
                let now = now();
                let change = StatusChange {
                    certified: Some(request.certified),
                    funding: Some(request.funding.unwrap_or(FundingKind::Personified)),
                    moderation_comment: Some(None),
                    published_at: Some(Some(row.published_at.unwrap_or(now))),
                    ..to_status(ProgramStatus::Published)
                };
                apply(conn, &row, &Transition { from: &[ProgramStatus::Moderation], change }, "публикация")
            })
        })
        .await?;
    reindex(state, vec![id]).await?;
    Ok(card)
}

/// The operator sends a program back with what to fix.
pub async fn return_program(
    state: &AppState,
    caller: AuthUser,
    id: i64,
    request: ReturnRequest,
) -> ApiResult<ProgramCard> {
    let comment = request.validate()?;
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let row = moderated_program(conn, &caller, id)?;
                let change =
                    StatusChange { moderation_comment: Some(Some(comment)), ..to_status(ProgramStatus::Returned) };
                apply(conn, &row, &Transition { from: &[ProgramStatus::Moderation], change }, "возврат на доработку")
            })
        })
        .await
}

/// The operator's mark «Доступна оплата сертификатом» on a published program
/// (or one in moderation), in the caller's transaction; answers whether the
/// program was certified before. What becomes of the offers made under the
/// mark is the contracts' rule (`applications::contracts::service::set_certified`).
pub fn mark_certified(
    conn: &mut DbConn,
    caller: &AuthUser,
    id: i64,
    (certified, funding): (bool, FundingKind),
) -> ApiResult<(bool, ProgramCard)> {
    let row = moderated_program(conn, caller, id)?;
    if certified {
        organization_cards::require_verified_provider(conn, row.organization_id)?;
    }
    let change = StatusChange {
        certified: Some(certified),
        funding: Some(funding),
        updated_at: Some(now()),
        ..StatusChange::default()
    };
    let card = apply(
        conn,
        &row,
        &Transition { from: &[ProgramStatus::Published, ProgramStatus::Moderation], change },
        "изменение отметки о сертификате",
    )?;
    Ok((row.certified, card))
}
