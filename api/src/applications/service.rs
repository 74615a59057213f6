//! Rules of applications: who may apply and for whom, the certificate and
//! age conditions, places held from submission to the end of studies, the
//! waiting list promoted in order, the limit of open applications per child,
//! and a message to the family on every change.

use chrono::NaiveDate;
use navigator_shared::ErrorCode;
use std::collections::HashMap;

use navigator_shared::accounts::Role;
use navigator_shared::ages::{AgeRange, age_on};
use navigator_shared::applications::{
    Application, ApplicationInput, ApplicationStatus, ApplicationsQuery, ExpelReason, ExpelRequest,
    OrganizationContacts, RejectRequest, TransferRequest, Withdrawal,
};
use navigator_shared::catalog::Group;
use navigator_shared::integrations::{PortalApplicationInput, same_last_name};
use navigator_shared::reference::{self as reference, Page, PageQuery};

use super::repo::{self, ApplicationRow, Filter, NewApplication};
use super::{continuation, contracts, withdrawals};
use crate::auth::{AuthUser, scope};
use crate::catalog::repo::{GroupRow, ProgramRow};
use crate::children::certificates;
use crate::children::repo::ChildRow;
use crate::db::{DbConn, write_tx};
use crate::error::{ApiError, ApiResult};
use crate::idempotency::Receipt;
use crate::notifications::{self, now, templates};
use crate::{AppState, Links, accounts, catalog, children, organizations, places};
use navigator_shared::applications::ContractStatus;
use navigator_shared::catalog::ProgramStatus;
use navigator_shared::children::CertificateStatus;
use navigator_shared::ids::ApplicationId;
use navigator_shared::ids::ChildId;
use navigator_shared::organizations::OrganizationStatus;

const NOT_FOUND: &str = "Заявка не найдена";
const GROUP_NOT_FOUND: &str = "Группа не найдена";

/// The parent an application's papers name as the applicant and customer:
/// the one who applied, the account holding the child or a guardian of it;
/// the holder when staff or an integrator applied for the family (or the
/// guardian who applied has left since).
pub fn applicant_of(
    conn: &mut DbConn,
    application: &ApplicationRow,
    child: &ChildRow,
) -> ApiResult<Option<accounts::repo::UserRow>> {
    let by = application.created_by;
    let applied_as_family = by == child.parent_id || children::guardians::repo::is_guardian(conn, child.id, by)?;
    let who = if applied_as_family { by } else { child.parent_id };
    Ok(accounts::repo::find(conn, who)?)
}

/// The child an application is made for: the family's own, or a visitor's
/// child found by the certificate number (organization staff), with that
/// certificate.
fn applicant(
    conn: &mut DbConn,
    caller: &AuthUser,
    input: &ApplicationInput,
) -> ApiResult<(ChildRow, Option<certificates::repo::CertificateRow>)> {
    match caller.role {
        Role::Parent | Role::Learner => {
            let id = input
                .child_id
                .ok_or_else(|| ApiError::field(ErrorCode::ChildRequired, "child_id", "Выберите ребёнка"))?;
            Ok((scope::owned_child(conn, caller, ChildId(id))?, None))
        }
        Role::OrgStaff => {
            let number = input.certificate_number.as_deref().map(str::trim).unwrap_or("");
            if number.len() != 10 || !number.chars().all(|c| c.is_ascii_digit()) {
                return Err(ApiError::field(
                    ErrorCode::CertificateNumberRequired,
                    "certificate_number",
                    "Введите номер сертификата ребёнка: 10 цифр",
                ));
            }
            certificates::repo::by_number(conn, number)?
                .map(|(certificate, child)| (child, Some(certificate)))
                .ok_or_else(|| {
                    ApiError::field(
                        ErrorCode::UnknownCertificate,
                        "certificate_number",
                        "Сертификат с таким номером не найден",
                    )
                })
        }
        _ => Err(ApiError::forbidden()),
    }
}

/// The group, its program and the program's organization, if the program is in the catalog.
fn open_group(
    conn: &mut DbConn,
    group_id: i64,
) -> ApiResult<(GroupRow, ProgramRow, organizations::repo::OrganizationRow)> {
    let group = catalog::repo::find_group(conn, group_id)?.ok_or(ApiError::NotFound { detail: GROUP_NOT_FOUND })?;
    let program = catalog::repo::find(conn, group.program_id)?.ok_or(ApiError::NotFound { detail: GROUP_NOT_FOUND })?;
    let organization = organizations::repo::find(conn, program.organization_id)?
        .filter(|o| o.status == OrganizationStatus::Active && program.status == ProgramStatus::Published);
    let Some(organization) = organization else {
        return Err(ApiError::Conflict {
            code: ErrorCode::ProgramUnavailable,
            detail: "Программа сейчас не принимает заявки: её нет в каталоге".into(),
        });
    };
    Ok((group, program, organization))
}

/// Checks the group's enrolment dates and the child's age (on the day the
/// group starts, or today if it has started).
fn check_fit(conn: &mut DbConn, group: &GroupRow, child: &ChildRow) -> ApiResult<()> {
    let today = crate::clock::today();
    let current = crate::reference::repo::region(conn)?.academic_year;
    if !reference::in_open_academic_years(group.start_date, group.end_date, current) {
        return Err(ApiError::Conflict {
            code: ErrorCode::AcademicYearClosed,
            detail: format!(
                "Запись идёт на текущий ({}) и следующий ({}) учебный год, а эта группа занимается в другом",
                reference::academic_year_title(current),
                reference::academic_year_title(current + 1)
            ),
        });
    }
    // Places do not matter here: a full group takes the application into its waiting list.
    if !Group::is_open(group.enrolment_open, group.enrolment_from, group.enrolment_to, 1, today) {
        return Err(ApiError::Conflict {
            code: ErrorCode::EnrolmentClosed,
            detail: "Набор в эту группу закрыт".into(),
        });
    }
    check_age(group, child, today)
}

/// The child's age on the day the group starts (or `today` if it has started)
/// is within the group's ages.
fn check_age(group: &GroupRow, child: &ChildRow, today: chrono::NaiveDate) -> ApiResult<()> {
    let age = age_on(child.birth_date, group.start_date.max(today));
    if !AgeRange::new(group.age_min, group.age_max).contains(age) {
        return Err(ApiError::Conflict {
            code: ErrorCode::AgeMismatch,
            detail: format!(
                "Группа для детей от {} до {} лет, а ребёнку к началу занятий будет {age}",
                group.age_min, group.age_max
            ),
        });
    }
    Ok(())
}

/// The certificate condition: a live certificate, or one requested now (the
/// family ticks both consents, recorded as at «Получить сертификат»).
/// `known` is the child's certificate when already read. Answers its number.
fn check_certificate(
    conn: &mut DbConn,
    links: &Links,
    caller: i64,
    (child, known): (&ChildRow, Option<certificates::repo::CertificateRow>),
    input: &ApplicationInput,
) -> ApiResult<String> {
    let request = input.request_certificate;
    let certificate = match known {
        Some(certificate) => Some(certificate),
        None => certificates::repo::of_child(conn, child.id)?,
    };
    match certificate {
        Some(c) if c.status == CertificateStatus::Active || c.status == CertificateStatus::Pending => Ok(c.number),
        Some(_) => Err(ApiError::Conflict {
            code: ErrorCode::CertificateInvalid,
            detail: "Сертификат ребёнка не действует (отказ, истёк срок или исключён из реестра). \
                     После отказа или истёкшего срока его можно подать заново на странице «Дети»"
                .into(),
        }),
        None if request => {
            let mut errors = navigator_shared::FieldErrors::new();
            navigator_shared::consent::check(input.consent_personal_data, input.consent_rules, &mut errors);
            errors.finish(|| Some(()))?;
            let requested = certificates::service::request_for(conn, links, child)?;
            crate::consents::record(conn, caller, Some(child.id), now())?;
            Ok(requested.number)
        }
        None => Err(ApiError::Conflict {
            code: ErrorCode::CertificateRequired,
            detail: "Для записи нужен сертификат дополнительного образования. Отметьте «Получить сертификат» — \
                     он будет оформлен вместе с заявкой"
                .into(),
        }),
    }
}

/// What changed for the catalog after a place was taken or given back.
#[derive(Debug, Clone, Copy, Default)]
pub struct Effect {
    /// The program stopped or started taking applications (its last open
    /// group filled up, or a group of a full program got a place): it is reindexed.
    pub reindex: Option<i64>,
    /// The program whose card shows the group's free places.
    pub card: Option<i64>,
}

fn place_effect(conn: &mut DbConn, group: i64, was_full: bool) -> ApiResult<Effect> {
    let Some(now_group) = catalog::repo::find_group(conn, group)? else { return Ok(Effect::default()) };
    effect_on(conn, (now_group.program_id, group), was_full, now_group.enrolled >= now_group.capacity)
}

/// The effect of a `group` of `program` going from `was_full` to `full`: the
/// card always changes; the program is touched (for other instances' polls)
/// and reindexed when that changed whether it takes applications.
fn effect_on(conn: &mut DbConn, (program, group): (i64, i64), was_full: bool, full: bool) -> ApiResult<Effect> {
    let card = Some(program);
    if full == was_full {
        return Ok(Effect { reindex: None, card });
    }
    let groups = catalog::repo::groups_of(conn, Some(&[program]))?;
    if !catalog::service::opening_changes(&groups, group, crate::clock::today()) {
        return Ok(Effect { reindex: None, card });
    }
    catalog::repo::touch(conn, program, now())?;
    Ok(Effect { reindex: Some(program), card })
}

pub(super) async fn after(state: &AppState, effect: Effect) {
    if let Some(program) = effect.card {
        state.cards.forget(&[program]);
    }
    if let Some(program) = effect.reindex
        && let Err(error) = catalog::service::reindex(state, vec![program]).await
    {
        tracing::warn!(program, error = %error, "reindexing after a change of places failed");
    }
}

/// «Записаться»: a place if the group has one, the waiting list otherwise.
pub async fn create(
    state: &AppState,
    caller: AuthUser,
    input: ApplicationInput,
    receipt: Receipt,
) -> ApiResult<Application> {
    let links = state.links();
    let limit = state.config.max_open_applications;
    let (answer, effect) = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let (child, certificate) = applicant(conn, &caller, &input)?;
                child.processable()?;
                let target = open_group(conn, input.group_id)?;
                if caller.role == Role::OrgStaff && scope::organization(conn, &caller)? != target.1.organization_id {
                    return Err(ApiError::NotFound { detail: GROUP_NOT_FOUND });
                }
                check_fit(conn, &target.0, &child)?;
                let number = check_certificate(conn, &links, caller.id, (&child, certificate), &input)?;
                let submission = Submission { child, number, created_by: caller.id, source: None };
                let (answer, effect) = submit(conn, &links, limit, target, submission)?;
                Ok::<_, ApiError>((receipt.keep(conn, answer)?, effect))
            })
        })
        .await?;
    after(state, effect).await;
    Ok(answer)
}

/// An integrator applies for a family (the federal portal's «Запись в
/// кружки»): the child is the one whose certificate has this number, if its
/// last name and birth date match the registry; otherwise 422 on the number,
/// the same for a number nobody has, so nothing is told about whose it is.
/// Then every rule of an application made in Navigator applies, by the same
/// code. A repeated `external_id` answers the application made the first
/// time, with `false`.
pub async fn create_for_client(
    state: &AppState,
    (client, name): (i64, String),
    input: PortalApplicationInput,
) -> ApiResult<(Application, bool)> {
    let input = input.checked()?;
    let links = state.links();
    let limit = state.config.max_open_applications;
    let (answer, effect) = state
        .db(move |conn| {
            if let Some(row) = repo::by_external_id(conn, client, &input.external_id)? {
                return Ok((answer_of_row(conn, row)?, None));
            }
            let made = write_tx(conn, |conn| {
                let found = certificates::repo::by_number(conn, &input.certificate_number)?.filter(|(_, child)| {
                    child.birth_date == input.birth_date && same_last_name(&input.last_name, &child.last_name)
                });
                let Some((certificate, child)) = found else {
                    let detail =
                        "В реестре нет сертификата с таким номером для ребёнка с этими фамилией и датой рождения";
                    return Err(ApiError::Mismatch {
                        code: ErrorCode::CertificateMismatch,
                        detail,
                        errors: navigator_shared::FieldErrors::one("certificate_number", detail),
                    });
                };
                let target = open_group(conn, input.group_id)?;
                check_fit(conn, &target.0, &child)?;
                let by_input = ApplicationInput { group_id: input.group_id, ..ApplicationInput::default() };
                let number = check_certificate(conn, &links, child.parent_id, (&child, Some(certificate)), &by_input)?;
                let source = Some(Source { client, name: name.clone(), external_id: input.external_id.clone() });
                let submission = Submission { created_by: child.parent_id, child, number, source };
                submit(conn, &links, limit, target, submission)
            });
            match made {
                Ok((answer, effect)) => Ok((answer, Some(effect))),
                // The same external id sent twice at once: the other request made it.
                Err(ApiError::Conflict { code: ErrorCode::AlreadyApplied, detail }) => {
                    match repo::by_external_id(conn, client, &input.external_id)? {
                        Some(row) => Ok((answer_of_row(conn, row)?, None)),
                        None => Err(ApiError::Conflict { code: ErrorCode::AlreadyApplied, detail }),
                    }
                }
                Err(error) => Err(error),
            }
        })
        .await?;
    let created = effect.is_some();
    if let Some(effect) = effect {
        after(state, effect).await;
    }
    Ok((answer, created))
}

/// Who an application is for and who makes it.
struct Submission {
    child: ChildRow,
    /// The child's certificate number.
    number: String,
    created_by: i64,
    /// An integrator's application.
    source: Option<Source>,
}

/// The integration client that submits an application, and its id there.
struct Source {
    client: i64,
    name: String,
    external_id: String,
}

/// Takes a place in the group (or a place in its waiting list), counts the
/// child's open application, records it and tells the family: the part of
/// applying that is the same whoever applies. Runs in the caller's transaction.
fn submit(
    conn: &mut DbConn,
    links: &Links,
    limit: i32,
    (group, program, organization): (GroupRow, ProgramRow, organizations::repo::OrganizationRow),
    submission: Submission,
) -> ApiResult<(Application, Effect)> {
    let Submission { child, number, created_by, source } = submission;
    let group =
        catalog::repo::find_group_locked(conn, group.id)?.ok_or(ApiError::NotFound { detail: GROUP_NOT_FOUND })?;
    places::open_application(conn, child.id, limit)?;
    let was_full = group.enrolled >= group.capacity;
    let taken = continuation::take_held(conn, &group, child.id)? || places::take(conn, group.id)?;
    let status = if taken { ApplicationStatus::Submitted } else { ApplicationStatus::Waiting };
    let new = NewApplication {
        child_id: child.id,
        group_id: group.id,
        program_id: program.id,
        organization_id: program.organization_id,
        created_by,
        status,
        source: source.as_ref().map(|s| (s.client, s.external_id.clone())),
    };
    // As stored: PostgreSQL keeps microseconds.
    let at = chrono::SubsecRound::trunc_subsecs(now(), 6);
    let id = repo::insert(conn, &new, at)?.ok_or_else(|| ApiError::Conflict {
        code: ErrorCode::AlreadyApplied,
        detail: "Ребёнок уже записан или подал заявку в эту группу".into(),
    })?;
    repo::count_on_program(conn, program.id)?;
    let positions = match status {
        ApplicationStatus::Waiting => places::waiting_positions(conn, &[(group.id, id)])?,
        _ => HashMap::new(),
    };
    let what = if status == ApplicationStatus::Waiting {
        let position = positions.get(&id).copied().unwrap_or(1);
        format!(
            "Свободных мест в группе нет: заявка в листе ожидания, место в очереди — {position}. \
             Когда место освободится, заявка перейдёт к организации автоматически."
        )
    } else {
        "Организация рассмотрит заявку и свяжется с вами. Заявка — ещё не зачисление.".to_owned()
    };
    let what = match accounts::service::acting_for(conn, created_by)? {
        Some(who) => format!("{what}\nЗаявку от вашего имени подал(а) {who}."),
        None if source.is_none() => {
            // The family applied itself: the other guardians see who did.
            let on = format!("«{}», группа «{}»", program.title, group.name);
            crate::audit::record(conn, created_by, child.id, crate::audit::Action::Apply, None, Some(&on))?;
            what
        }
        None => what,
    };
    notifications::family::application_changed(conn, links, id, status.title(), &what)?;
    // The counters were read under the group's lock: no need to read them again.
    let effect =
        effect_on(conn, (program.id, group.id), was_full, group.enrolled + i32::from(taken) >= group.capacity)?;
    // The answer is built from what was read here, without reading it again.
    let row = new.stored(id, at);
    let parts = Parts {
        certificates: HashMap::from([(child.id, number)]),
        children: HashMap::from([(child.id, child)]),
        organizations: HashMap::from([(organization.id, contacts(organization))]),
        programs: HashMap::from([(program.id, program)]),
        groups: HashMap::from([(group.id, group)]),
        sources: source.map(|s| (s.client, s.name)).into_iter().collect(),
        positions,
        ..Parts::default()
    };
    let answer = parts.answer(&row)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
    Ok((answer, effect))
}

/// The answer of a stored application.
fn answer_of_row(conn: &mut DbConn, row: ApplicationRow) -> ApiResult<Application> {
    dtos(conn, vec![row])?.pop().ok_or(ApiError::NotFound { detail: NOT_FOUND })
}

/// The application as it stands after a change, kept as the answer of the
/// request that made it.
pub(super) fn answer_of(conn: &mut DbConn, receipt: &Receipt, id: ApplicationId) -> ApiResult<Application> {
    let row = repo::find(conn, id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
    let answer = dtos(conn, vec![row])?.pop().ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
    receipt.keep(conn, answer)
}

/// One application, as its family or its organization sees it.
pub async fn view(state: &AppState, caller: AuthUser, id: i64) -> ApiResult<Application> {
    let id = ApplicationId(id);
    state
        .db(move |conn| {
            let row = match caller.role {
                Role::OrgStaff => scope::application_of_organization(conn, &caller, id)?,
                _ => scope::application_of_family(conn, &caller, id)?,
            };
            dtos(conn, vec![row])?.pop().ok_or(ApiError::NotFound { detail: NOT_FOUND })
        })
        .await
}

/// The family's applications, or the organization's inbox.
pub async fn list(state: &AppState, caller: AuthUser, query: ApplicationsQuery) -> ApiResult<Page<Application>> {
    let (page, per_page) = PageQuery { page: query.page, per_page: query.per_page }.resolve()?;
    state
        .db(move |conn| {
            let mut filter = Filter {
                status: query.status,
                child: query.child_id,
                program: query.program_id,
                group: query.group_id,
                ..Filter::default()
            };
            match caller.role {
                Role::Parent | Role::Learner => filter.parent = Some(caller.id),
                Role::OrgStaff => filter.organization = Some(scope::organization(conn, &caller)?),
                _ => return Err(ApiError::forbidden()),
            }
            let (rows, total) = repo::list(conn, &filter, page, per_page)?;
            Ok(Page { items: dtos(conn, rows)?, total, page, per_page })
        })
        .await
}

/// Builds the answers of a page in a fixed number of queries.
pub fn dtos(conn: &mut DbConn, rows: Vec<ApplicationRow>) -> ApiResult<Vec<Application>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let parts = Parts::load(conn, &rows)?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        if let Some(answer) = parts.answer(row)? {
            out.push(answer);
        }
    }
    Ok(out)
}

/// What the answers of applications are built from, by id.
#[derive(Default)]
struct Parts {
    children: HashMap<ChildId, ChildRow>,
    certificates: HashMap<ChildId, String>,
    programs: HashMap<i64, ProgramRow>,
    groups: HashMap<i64, GroupRow>,
    organizations: HashMap<i64, OrganizationContacts>,
    contracts: HashMap<ApplicationId, contracts::repo::ContractRow>,
    positions: HashMap<ApplicationId, i64>,
    modules: HashMap<i64, String>,
    withdrawals: HashMap<ApplicationId, Withdrawal>,
    /// Names of the integration clients that submitted them.
    sources: HashMap<i64, String>,
}

fn contacts(o: organizations::repo::OrganizationRow) -> OrganizationContacts {
    OrganizationContacts { id: o.id, name: o.name, address: o.address, phone: o.phone, email: o.email }
}

impl Parts {
    /// The parts of `rows`, in a fixed number of queries.
    fn load(conn: &mut DbConn, rows: &[ApplicationRow]) -> ApiResult<Parts> {
        let ids = |f: fn(&ApplicationRow) -> i64| {
            let mut v: Vec<i64> = rows.iter().map(f).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let mut child_ids: Vec<ChildId> = rows.iter().map(|r| r.child_id).collect();
        child_ids.sort_unstable();
        child_ids.dedup();
        let children = children::repo::find_many(conn, &child_ids)?.into_iter().map(|c| (c.id, c)).collect();
        let certificates =
            certificates::repo::of_children(conn, &child_ids)?.into_iter().map(|c| (c.child_id, c.number)).collect();
        let programs = catalog::repo::find_many(conn, &ids(|r| r.program_id))?.into_iter().map(|p| (p.id, p)).collect();
        let groups = catalog::repo::find_groups(conn, &ids(|r| r.group_id))?.into_iter().map(|g| (g.id, g)).collect();
        let organizations = organizations::repo::find_many(conn, &ids(|r| r.organization_id))?
            .into_iter()
            .map(|o| (o.id, contacts(o)))
            .collect();
        let application_ids: Vec<ApplicationId> = rows.iter().map(|r| r.id).collect();
        let mut contracts: HashMap<ApplicationId, contracts::repo::ContractRow> = HashMap::new();
        for contract in contracts::repo::of_applications(conn, &application_ids)? {
            // Newest first: keep the live one, or else the newest.
            let keep = contracts.get(&contract.application_id).is_none_or(|kept| {
                !matches!(kept.status, ContractStatus::Offered | ContractStatus::Active) && contract.id > kept.id
            });
            if keep {
                contracts.insert(contract.application_id, contract);
            }
        }
        let waiting: Vec<(i64, ApplicationId)> =
            rows.iter().filter(|r| r.status == ApplicationStatus::Waiting).map(|r| (r.group_id, r.id)).collect();
        let positions = places::waiting_positions(conn, &waiting)?;
        let module_ids: Vec<i64> = contracts.values().map(|c| c.module_id).collect();
        let modules = catalog::repo::find_modules(conn, &module_ids)?.into_iter().map(|m| (m.id, m.name)).collect();
        // Only an enrolment has a request to leave.
        let studying: Vec<ApplicationId> = rows
            .iter()
            .filter(|r| matches!(r.status, ApplicationStatus::Enrolled | ApplicationStatus::Expelled))
            .map(|r| r.id)
            .collect();
        let withdrawals = if studying.is_empty() {
            HashMap::new()
        } else {
            withdrawals::repo::of_applications(conn, &studying)?
                .iter()
                .map(|w| (w.application_id, withdrawals::service::to_dto(w)))
                .collect()
        };
        let clients: Vec<i64> = rows.iter().filter_map(|r| r.source_client_id).collect();
        let sources = if clients.is_empty() { HashMap::new() } else { repo::client_names(conn, &clients)? };
        Ok(Parts {
            children,
            certificates,
            programs,
            groups,
            organizations,
            contracts,
            positions,
            modules,
            withdrawals,
            sources,
        })
    }

    /// The answer of `row`; `None` when a part of it is gone.
    fn answer(&self, row: &ApplicationRow) -> ApiResult<Option<Application>> {
        let status = row.status;
        let (Some(child), Some(program), Some(group), Some(organization)) = (
            self.children.get(&row.child_id),
            self.programs.get(&row.program_id),
            self.groups.get(&row.group_id),
            self.organizations.get(&row.organization_id),
        ) else {
            return Ok(None);
        };
        let waiting_position = self.positions.get(&row.id).copied().filter(|_| status == ApplicationStatus::Waiting);
        let reason_title = row.reason.as_deref().and_then(|code| {
            navigator_shared::applications::RejectReason::parse(code)
                .map(|r| r.title())
                .or_else(|| navigator_shared::applications::ExpelReason::parse(code).map(|r| r.title()))
                .map(str::to_owned)
        });
        Ok(Some(Application {
            id: row.id.get(),
            status,
            status_title: status.title().to_owned(),
            child_id: child.id.get(),
            child_name: navigator_shared::validate::full_name(
                &child.last_name,
                &child.first_name,
                child.middle_name.as_deref(),
            ),
            child_birth_date: child.birth_date,
            certificate_number: self.certificates.get(&child.id).cloned(),
            program_id: program.id,
            program_title: program.title.clone(),
            certified: program.certified,
            group_id: group.id,
            group_name: group.name.clone(),
            schedule: group.lessons().iter().map(|l| l.describe()).collect::<Vec<_>>().join(", "),
            organization: organization.clone(),
            waiting_position,
            reason: row.reason.clone(),
            reason_title,
            comment: row.comment.clone(),
            contract: self
                .contracts
                .get(&row.id)
                .map(|c| contracts::service::to_dto(c, self.modules.get(&c.module_id).cloned().unwrap_or_default()))
                .transpose()?,
            withdrawal: self.withdrawals.get(&row.id).cloned(),
            source: row.source_client_id.and_then(|client| self.sources.get(&client).cloned()),
            created_at: row.created_at.and_utc(),
            updated_at: row.updated_at.and_utc(),
        }))
    }
}

/// A decision on an application: the status moves from what it is now to
/// `to`, places and counters follow, the family is told.
pub(super) struct Change<'a> {
    pub to: ApplicationStatus,
    /// Statuses the change may start from.
    pub from: &'a [ApplicationStatus],
    pub reason: Option<&'static str>,
    pub comment: Option<String>,
    /// What the change means for the family.
    pub what: String,
    /// The studies ended on this day, earlier than today (a late expulsion):
    /// the contract is paid up to it.
    pub last_day: Option<NaiveDate>,
}

pub(super) fn not_now(status: ApplicationStatus) -> ApiError {
    ApiError::Conflict {
        code: ErrorCode::InvalidStatus,
        detail: format!("Сейчас заявка в статусе «{}»: это действие недоступно", status.title()),
    }
}

/// Applies `change` to the application `id` inside one transaction.
pub(super) fn apply(
    conn: &mut DbConn,
    links: &Links,
    by: i64,
    id: ApplicationId,
    change: &Change<'_>,
) -> ApiResult<Effect> {
    let row = repo::find(conn, id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
    places::lock(conn, row.group_id)?;
    // Read again under the group's lock.
    let row = repo::find(conn, id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
    let from = row.status;
    if !change.from.contains(&from) {
        return Err(not_now(from));
    }
    let group = catalog::repo::find_group(conn, row.group_id)?.ok_or(ApiError::NotFound { detail: GROUP_NOT_FOUND })?;
    let was_full = group.enrolled >= group.capacity;
    let now = now();
    if !repo::transition(conn, id, from, change.to, change.reason, change.comment.as_deref(), now)? {
        return Err(not_now(from));
    }
    if from.is_open() && !change.to.is_open() {
        places::close_application(conn, row.child_id)?;
    }
    if matches!(
        change.to,
        ApplicationStatus::Cancelled
            | ApplicationStatus::Rejected
            | ApplicationStatus::Expelled
            | ApplicationStatus::Completed
    ) {
        let reason = format!("Заявка: {}", change.to.title().to_lowercase());
        contracts::service::end_with(conn, &row, by, &reason, change.last_day)?;
    }
    notifications::family::application_changed(conn, links, row.id, change.to.title(), &change.what)?;
    if from.holds_place() && !change.to.holds_place() {
        match places::hand_over(conn, row.group_id)? {
            Some(promoted) => notifications::family::promoted(conn, links, promoted)?,
            None => drop(crate::spot_alerts::service::announce(conn, links, row.group_id)?),
        }
    }
    place_effect(conn, row.group_id, was_full)
}

/// The child's certificate left the registry: every running application
/// ends that day. An enrolment is expelled for `reason`, an open application
/// is cancelled; a contract ends with its unspent reserve released, places
/// pass to the waiting lists, and the family and the organization are told.
pub fn end_with_certificate(
    conn: &mut DbConn,
    links: &Links,
    by: i64,
    child: ChildId,
    reason: ExpelReason,
    why: &str,
) -> ApiResult<Vec<Effect>> {
    let mut effects = Vec::new();
    let mut ended = Vec::new();
    for row in repo::running_of_child(conn, child)? {
        let from = row.status;
        let change = if from == ApplicationStatus::Enrolled {
            Change {
                last_day: None,
                to: ApplicationStatus::Expelled,
                from: &[ApplicationStatus::Enrolled],
                reason: Some(reason.as_str()),
                comment: Some(why.to_owned()),
                what: format!("{why}. Обучение по сертификату прекращено, договор расторгнут."),
            }
        } else {
            Change {
                last_day: None,
                to: ApplicationStatus::Cancelled,
                from: &[ApplicationStatus::Waiting, ApplicationStatus::Submitted, ApplicationStatus::Confirmed],
                reason: None,
                comment: Some(why.to_owned()),
                what: format!("{why}. Заявка отменена."),
            }
        };
        effects.push(apply(conn, links, by, row.id, &change)?);
        ended.push((row, change.to));
    }
    // One message per organization, however many of its applications ended.
    ended.sort_by_key(|(row, _)| row.organization_id);
    for of_one in ended.chunk_by(|a, b| a.0.organization_id == b.0.organization_id) {
        tell_organization(conn, links, child, of_one, why)?;
    }
    Ok(effects)
}

/// Tells the staff of one organization that its applications of `child`
/// (`ended`, with their new statuses) ended without them.
fn tell_organization(
    conn: &mut DbConn,
    links: &Links,
    child: ChildId,
    ended: &[(ApplicationRow, ApplicationStatus)],
    why: &str,
) -> ApiResult<()> {
    let Some(organization) = ended.first().map(|(row, _)| row.organization_id) else { return Ok(()) };
    let Some(child) = children::repo::find(conn, child)? else { return Ok(()) };
    let child = format!("{} {}", child.last_name, child.first_name);
    let mut programs = Vec::new();
    for (row, to) in ended {
        let title = catalog::repo::find(conn, row.program_id)?.map(|p| p.title).unwrap_or_default();
        programs.push((title, to.title()));
    }
    let link = links.page("/cabinet/applications");
    organizations::service::tell_staff(conn, organization, |name| {
        templates::enrolment_ended(name, &child, &programs, why, &link)
    })?;
    Ok(())
}

async fn decide(
    state: &AppState,
    caller: AuthUser,
    id: i64,
    by_family: bool,
    receipt: Receipt,
    change: impl FnOnce(&mut DbConn, &ApplicationRow) -> ApiResult<Change<'static>> + Send + 'static,
) -> ApiResult<Application> {
    let id = ApplicationId(id);
    let links = state.links();
    let (answer, effect) = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let row = if by_family {
                    scope::application_of_family(conn, &caller, id)?
                } else {
                    scope::application_of_organization(conn, &caller, id)?
                };
                let change = change(conn, &row)?;
                let effect = apply(conn, &links, caller.id, id, &change)?;
                Ok::<_, ApiError>((answer_of(conn, &receipt, id)?, effect))
            })
        })
        .await?;
    after(state, effect).await;
    Ok(answer)
}

/// The family withdraws an application before it is decided (or declines
/// the invitation to sign).
pub async fn cancel(state: &AppState, caller: AuthUser, id: i64, receipt: Receipt) -> ApiResult<Application> {
    decide(state, caller, id, true, receipt, |_, _| {
        Ok(Change {
            last_day: None,
            to: ApplicationStatus::Cancelled,
            from: &[ApplicationStatus::Waiting, ApplicationStatus::Submitted, ApplicationStatus::Confirmed],
            reason: None,
            comment: None,
            what: "Вы отменили заявку.".into(),
        })
    })
    .await
}

/// The organization confirms: it invites the family to sign a contract (or
/// to come for enrolment).
pub async fn confirm(state: &AppState, caller: AuthUser, id: i64, receipt: Receipt) -> ApiResult<Application> {
    decide(state, caller, id, false, receipt, |conn, row| {
        let certified = catalog::repo::find(conn, row.program_id)?.is_some_and(|p| p.certified);
        let what = if certified {
            "Организация подтвердила заявку и пришлёт договор: примите его в разделе «Мои заявки».".into()
        } else {
            "Организация подтвердила заявку и ждёт вас для зачисления.".into()
        };
        Ok(Change {
            last_day: None,
            to: ApplicationStatus::Confirmed,
            from: &[ApplicationStatus::Submitted],
            reason: None,
            comment: None,
            what,
        })
    })
    .await
}

/// The organization rejects, with a reason.
pub async fn reject(
    state: &AppState,
    caller: AuthUser,
    id: i64,
    request: RejectRequest,
    receipt: Receipt,
) -> ApiResult<Application> {
    let comment = request.comment()?;
    decide(state, caller, id, false, receipt, move |_, _| {
        let what = match &comment {
            Some(c) => format!("Причина: {}. Комментарий: {c}", request.reason.title()),
            None => format!("Причина: {}.", request.reason.title()),
        };
        Ok(Change {
            last_day: None,
            to: ApplicationStatus::Rejected,
            from: &[ApplicationStatus::Waiting, ApplicationStatus::Submitted, ApplicationStatus::Confirmed],
            reason: Some(request.reason.as_str()),
            comment,
            what,
        })
    })
    .await
}

/// The organization enrols a confirmed child of a program not paid by
/// certificate (certified ones enrol by accepting the contract).
pub async fn enroll(state: &AppState, caller: AuthUser, id: i64, receipt: Receipt) -> ApiResult<Application> {
    decide(state, caller, id, false, receipt, |conn, row| {
        if row.status != ApplicationStatus::Confirmed {
            return Err(not_now(row.status));
        }
        if catalog::repo::find(conn, row.program_id)?.is_some_and(|p| p.certified) {
            return Err(ApiError::Conflict {
                code: ErrorCode::ContractRequired,
                detail: "Программа оплачивается сертификатом: зачисление — после того, как семья примет договор".into(),
            });
        }
        let active =
            certificates::repo::of_child(conn, row.child_id)?.is_some_and(|c| c.status == CertificateStatus::Active);
        if !active {
            return Err(ApiError::Conflict {
                code: ErrorCode::CertificateNotActive,
                detail:
                    "Для зачисления нужен активированный сертификат: семье нужно принести документы в пункт активации"
                        .into(),
            });
        }
        Ok(Change {
            last_day: None,
            to: ApplicationStatus::Enrolled,
            from: &[ApplicationStatus::Confirmed],
            reason: None,
            comment: None,
            what: "Ребёнок зачислен в группу.".into(),
        })
    })
    .await
}

/// The organization expels an enrolled child; an active contract ends and
/// the rest of its reserve goes back to the certificate.
pub async fn expel(
    state: &AppState,
    caller: AuthUser,
    id: i64,
    request: ExpelRequest,
    receipt: Receipt,
) -> ApiResult<Application> {
    let comment = request.comment()?;
    decide(state, caller, id, false, receipt, move |conn, row| {
        let today = crate::clock::today();
        let contract = contracts::repo::live_of(conn, row.id)?.filter(|c| c.status == ContractStatus::Active);
        let in_force_from = contract.as_ref().map_or(today, |c| c.in_force_from());
        let last_day = request.last_day(in_force_from, today)?;
        let what = match last_day {
            Some(day) => format!(
                "Ребёнок отчислен, последний день занятий — {}. Основание: {}.",
                day.format("%d.%m.%Y"),
                request.reason.title()
            ),
            None => format!("Ребёнок отчислен. Основание: {}.", request.reason.title()),
        };
        Ok(Change {
            last_day,
            to: ApplicationStatus::Expelled,
            from: &[ApplicationStatus::Enrolled],
            reason: Some(request.reason.as_str()),
            what,
            comment,
        })
    })
    .await
}

/// The organization moves a child to another group of the same program with
/// the family's consent (recorded in the audit log): the place moves in one
/// transaction, both groups locked, the lower id first, so that two moves in
/// opposite directions do not wait for each other; the application and its
/// contract go on; the old group's place goes to its waiting list.
pub async fn transfer(
    state: &AppState,
    caller: AuthUser,
    id: i64,
    request: TransferRequest,
    receipt: Receipt,
) -> ApiResult<Application> {
    request.check()?;
    let id = ApplicationId(id);
    let links = state.links();
    let (answer, effects) = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let row = scope::application_of_organization(conn, &caller, id)?;
                let other_group = || {
                    ApiError::field(ErrorCode::ValidationFailed, "group_id", "Выберите другую группу этой программы")
                };
                let target = catalog::repo::find_group(conn, request.group_id)?
                    .filter(|g| g.program_id == row.program_id && g.id != row.group_id)
                    .ok_or_else(other_group)?;
                let from = row.group_id;
                places::lock(conn, from.min(target.id))?;
                places::lock(conn, from.max(target.id))?;
                // Read again under the locks.
                let row = repo::find(conn, id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
                if !row.status.holds_place() {
                    return Err(not_now(row.status));
                }
                if row.group_id != from {
                    return Err(ApiError::Conflict {
                        code: ErrorCode::ApplicationChanged,
                        detail: "Заявка только что изменилась: обновите страницу".into(),
                    });
                }
                let child = children::repo::find_many(conn, &[row.child_id])?
                    .pop()
                    .ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
                let source =
                    catalog::repo::find_group(conn, from)?.ok_or(ApiError::NotFound { detail: GROUP_NOT_FOUND })?;
                let target = catalog::repo::find_group(conn, target.id)?
                    .ok_or(ApiError::NotFound { detail: GROUP_NOT_FOUND })?;
                check_age(&target, &child, crate::clock::today())?;
                if !places::take(conn, target.id)? {
                    return Err(ApiError::Conflict {
                        code: ErrorCode::GroupFull,
                        detail: format!("В группе «{}» нет свободных мест", target.name),
                    });
                }
                let moved = crate::db::insert_unique(conn, |c| repo::move_to_group(c, id, from, target.id, now()))?;
                if moved != Some(true) {
                    return Err(ApiError::Conflict {
                        code: ErrorCode::AlreadyApplied,
                        detail: "Ребёнок уже записан или подал заявку в эту группу".into(),
                    });
                }
                let moves = serde_json::json!({ "application": id.get(), "from_group": from, "to_group": target.id });
                crate::audit::record(
                    conn,
                    caller.id,
                    row.child_id,
                    crate::audit::Action::Transfer,
                    Some(&moves),
                    Some("Перевод в другую группу с согласия семьи"),
                )?;
                let schedule = target.lessons().iter().map(|l| l.describe()).collect::<Vec<_>>().join(", ");
                notifications::family::application_changed(
                    conn,
                    &links,
                    id,
                    "переведена в другую группу",
                    &format!(
                        "Ребёнок переведён в группу «{}» ({schedule}). Договор продолжает действовать.",
                        target.name
                    ),
                )?;
                match places::hand_over(conn, from)? {
                    Some(promoted) => notifications::family::promoted(conn, &links, promoted)?,
                    None => drop(crate::spot_alerts::service::announce(conn, &links, from)?),
                }
                let effects = [
                    place_effect(conn, from, source.enrolled >= source.capacity)?,
                    place_effect(conn, target.id, target.enrolled >= target.capacity)?,
                ];
                Ok::<_, ApiError>((answer_of(conn, &receipt, id)?, effects))
            })
        })
        .await?;
    for effect in effects {
        after(state, effect).await;
    }
    Ok(answer)
}

/// The organization marks the studies completed.
pub async fn complete(state: &AppState, caller: AuthUser, id: i64, receipt: Receipt) -> ApiResult<Application> {
    decide(state, caller, id, false, receipt, |_, _| {
        Ok(Change {
            last_day: None,
            to: ApplicationStatus::Completed,
            from: &[ApplicationStatus::Enrolled],
            reason: None,
            comment: None,
            what: "Обучение по программе завершено.".into(),
        })
    })
    .await
}
