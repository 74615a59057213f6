//! Rules of the registry desk: who may do what with which record.

use actix_web::web;
use diesel::prelude::*;
use navigator_shared::ErrorCode;
use navigator_shared::accounts::{AccountCreated, InviteRequest, Role};
use navigator_shared::applications::ExpelReason;
use navigator_shared::children::{self as rules, CertificateStatus, ExcludeReason};
use navigator_shared::children::{Certificate, Child, ChildInput};
use navigator_shared::ids::ChildId;
use navigator_shared::reference::{ConfirmationBy, Page, PageQuery};
use navigator_shared::registry::{
    Applicant, ApplicantDocuments, AuditEntry, ChildCorrection, ExcludeRequest, MoveChildRequest, RefuseRequest,
    RegistryCard, RegistryQuery, RegistryRecord,
};
use navigator_shared::validate::full_name;

use super::repo::{self, Filter};
use crate::audit::{self, Action};
use crate::auth::AuthUser;
use crate::auth::scope::{self, Territory};
use crate::children::certificates;
use crate::children::certificates::repo::{CertificateRow, Decision};
use crate::children::repo::ChildRow;
use crate::crypto::DataCipher;
use crate::db::schema::organizations;
use crate::db::{DbConn, write_tx};
use crate::documents::{self, Form, FormData};
use crate::error::{ApiError, ApiResult};
use crate::notifications::{self, now, templates};
use crate::{AppState, accounts, applications, children, reference};
use navigator_shared::ids::CertificateId;

const NOT_FOUND: &str = "Запись реестра не найдена";

/// Where the caller works, which decides what they may see and do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Desk {
    /// Staff of an activation point: search by number or name, work on a
    /// record of the point's municipality (of the whole region when the
    /// region opens its points to every family: `ACTIVATION_POINTS_REGION_WIDE`).
    ActivationPoint {
        municipality: Option<i64>,
        /// The region lets points confirm and the operator authorised this one.
        confirms: bool,
        /// The point may see the full personal data of a record.
        sees_personal_data: bool,
    },
    /// Operator of a municipality: everything of that municipality.
    Operator {
        municipality: i64,
    },
    Admin,
}

impl Desk {
    /// The one municipality the desk works for; `None` for the whole region.
    fn reach(self) -> Option<i64> {
        match self {
            Desk::ActivationPoint { municipality, .. } => municipality,
            Desk::Operator { municipality } => Some(municipality),
            Desk::Admin => None,
        }
    }

    fn covers(self, municipality: i64) -> bool {
        self.reach().is_none_or(|own| own == municipality)
    }

    /// Confirms and refuses certificates: the operator, the admin, and a point
    /// only where the region and the operator allow it (seeds 001 and 004).
    fn confirms(self) -> bool {
        match self {
            Desk::ActivationPoint { confirms, .. } => confirms,
            Desk::Operator { .. } | Desk::Admin => true,
        }
    }

    /// Sees the child's documents and СНИЛС in full.
    fn sees_personal_data(self) -> bool {
        match self {
            Desk::ActivationPoint { sees_personal_data, .. } => sees_personal_data,
            Desk::Operator { .. } | Desk::Admin => true,
        }
    }
}

/// The desk of the caller. Its reach comes only from what the admin or the
/// operator assigned (the operator's municipality, the staff member's
/// organization), never from anything the caller edits himself.
fn desk(conn: &mut DbConn, caller: &AuthUser, points_region_wide: bool) -> ApiResult<Desk> {
    match caller.role {
        Role::Admin | Role::Operator => Ok(match scope::territory(conn, caller)? {
            Territory::Region => Desk::Admin,
            Territory::Municipality(municipality) => Desk::Operator { municipality },
        }),
        Role::OrgStaff => {
            let organization = scope::organization(conn, caller).ok();
            let point = match organization {
                Some(org) => organizations::table
                    .find(org)
                    .select((
                        organizations::can_activate,
                        organizations::municipality_id,
                        organizations::can_confirm,
                        organizations::can_view_personal_data,
                    ))
                    .first::<(bool, i64, bool, bool)>(conn)
                    .optional()?,
                None => None,
            };
            match point {
                Some((true, home, can_confirm, sees_personal_data)) => Ok(Desk::ActivationPoint {
                    municipality: (!points_region_wide).then_some(home),
                    confirms: can_confirm && reference::repo::region(conn)?.confirmation_by == ConfirmationBy::Points,
                    sees_personal_data,
                }),
                _ => Err(ApiError::Forbidden {
                    code: ErrorCode::NotActivationPoint,
                    detail: "Ваша организация не является пунктом активации сертификатов",
                }),
            }
        }
        Role::Parent | Role::Learner => Err(ApiError::forbidden()),
    }
}

fn require(desk: Desk, allowed: &[fn(Desk) -> bool]) -> ApiResult<()> {
    if allowed.iter().any(|ok| ok(desk)) { Ok(()) } else { Err(ApiError::forbidden()) }
}

fn is_point(desk: Desk) -> bool {
    matches!(desk, Desk::ActivationPoint { .. })
}

fn is_operator(desk: Desk) -> bool {
    matches!(desk, Desk::Operator { .. })
}

fn is_admin(desk: Desk) -> bool {
    desk == Desk::Admin
}

/// Only a desk that confirms may decide on a certificate.
fn require_confirming(desk: Desk) -> ApiResult<()> {
    if desk.confirms() {
        Ok(())
    } else {
        Err(ApiError::Forbidden {
            code: ErrorCode::OperatorConfirms,
            detail: "Сертификат подтверждает оператор: пункт активации сверяет документы и регистрирует заявление, \
                     решение принимает оператор в установленный срок",
        })
    }
}

/// The full documents and СНИЛС are for a desk with that right.
fn require_personal_data(desk: Desk) -> ApiResult<()> {
    if desk.sees_personal_data() {
        Ok(())
    } else {
        Err(ApiError::Forbidden {
            code: ErrorCode::NoPersonalDataAccess,
            detail: "У вашей организации нет доступа к персональным данным реестра: сверьте данные по документам \
                     заявителя",
        })
    }
}

/// Staff who may act for a family that came in person: an activation point
/// of the child's municipality, its operator, the admin. Others get 404, as
/// for a missing record.
pub fn serves_family(
    conn: &mut DbConn,
    caller: &AuthUser,
    child: &ChildRow,
    points_region_wide: bool,
) -> ApiResult<()> {
    if desk(conn, caller, points_region_wide)?.covers(child.municipality_id) {
        Ok(())
    } else {
        Err(ApiError::NotFound { detail: NOT_FOUND })
    }
}

/// The operator or the admin, for the child's record; an activation point
/// gets 403 (the certificate's money is not the desk's work).
pub fn administers_family(conn: &mut DbConn, caller: &AuthUser, child: &ChildRow) -> ApiResult<()> {
    let desk = desk(conn, caller, false)?;
    require(desk, &[is_operator, is_admin])?;
    if desk.covers(child.municipality_id) { Ok(()) } else { Err(ApiError::NotFound { detail: NOT_FOUND }) }
}

/// The record by number, within the caller's reach.
fn open(conn: &mut DbConn, desk: Desk, number: &str) -> ApiResult<(CertificateRow, ChildRow)> {
    let record = certificates::repo::by_number(conn, number.trim())?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
    if desk.covers(record.1.municipality_id) { Ok(record) } else { Err(ApiError::NotFound { detail: NOT_FOUND }) }
}

fn record_line(state: &AppState, (certificate, child): &(CertificateRow, ChildRow)) -> ApiResult<RegistryRecord> {
    let status = certificate.status;
    let snils = state.cipher.decrypt(&child.snils_enc)?;
    Ok(RegistryRecord {
        number: certificate.number.clone(),
        status,
        status_title: status.title().to_owned(),
        documents_due: certificate.documents_due,
        child_id: child.id.get(),
        child_name: full_name(&child.last_name, &child.first_name, child.middle_name.as_deref()),
        birth_date: child.birth_date,
        snils: rules::mask_snils(&snils),
        municipality_id: child.municipality_id,
        created_at: certificate.created_at.and_utc(),
        decision_due: certificate.decision_due,
    })
}

/// Searches the registry. Activation points find a record only by its number
/// or by last name and birth date; operators may also browse their municipality.
pub async fn search(state: &AppState, caller: AuthUser, query: RegistryQuery) -> ApiResult<Page<RegistryRecord>> {
    let wide = state.config.activation_points_region_wide;
    let (page, per_page) = PageQuery { page: query.page, per_page: query.per_page }.resolve()?;
    let rows = state
        .db(move |conn| {
            let desk = desk(conn, &caller, wide)?;
            let mut filter = Filter { municipality: None, ..Filter::default() };
            if let Some(number) = query.number.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
                filter.number = Some(number.to_owned());
            }
            match (query.last_name.as_deref().map(str::trim).filter(|n| !n.is_empty()), query.birth_date) {
                (Some(name), Some(birth)) => filter.person = Some((rules::name_key(name), birth)),
                (None, None) => {}
                _ => {
                    return Err(ApiError::field(
                        ErrorCode::ValidationFailed,
                        "birth_date",
                        "Для поиска по фамилии укажите и дату рождения",
                    ));
                }
            }
            match query.status.as_deref() {
                None | Some("") => {}
                Some("overdue") => filter.overdue_on = Some(crate::clock::today()),
                Some("awaiting_decision") => filter.awaiting_decision = true,
                Some(code) => match CertificateStatus::parse(code) {
                    Some(status) => filter.status = Some(status),
                    None => return Err(ApiError::field(ErrorCode::ValidationFailed, "status", "Неизвестный статус")),
                },
            }
            filter.municipality = desk.reach();
            match desk {
                Desk::ActivationPoint { .. } if filter.number.is_none() && filter.person.is_none() => {
                    return Err(ApiError::field(
                        ErrorCode::ValidationFailed,
                        "number",
                        "Укажите номер сертификата или фамилию и дату рождения ребёнка",
                    ));
                }
                _ => {}
            }
            Ok::<_, ApiError>(repo::search(conn, &filter, page, per_page)?)
        })
        .await?;
    let (records, total) = rows;
    let items = records.iter().map(|r| record_line(state, r)).collect::<ApiResult<Vec<_>>>()?;
    Ok(Page { items, total, page, per_page })
}

fn card(
    cipher: &DataCipher,
    conn: &mut DbConn,
    desk: Desk,
    certificate: &CertificateRow,
    child: &ChildRow,
) -> ApiResult<RegistryCard> {
    let parent = accounts::repo::find(conn, child.parent_id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
    let (data_confirmed_at, application_received_at) =
        (certificate.data_confirmed_at, certificate.application_received_at);
    Ok(RegistryCard {
        certificate: certificates::service::to_dto(certificate)?,
        child: children::service::to_dto(cipher, child, Some(certificate), !desk.sees_personal_data())?,
        applicant: Applicant {
            id: parent.id,
            full_name: full_name(&parent.last_name, &parent.first_name, parent.middle_name.as_deref()),
            email: parent.email.clone(),
            email_confirmed: parent.confirmed(),
            phone: parent.phone.clone(),
            missing_for_forms: [
                (parent.passport_number_enc.is_none(), "паспорт"),
                (parent.address.as_deref().is_none_or(|a| a.trim().is_empty()), "адрес"),
            ]
            .into_iter()
            .filter(|(missing, _)| *missing)
            .map(|(_, what)| what.to_owned())
            .collect(),
        },
        data_confirmed_at: data_confirmed_at.map(|t| t.and_utc()),
        application_received_at: application_received_at.map(|t| t.and_utc()),
        personal_data_hidden: !desk.sees_personal_data(),
        may_decide: desk.confirms(),
        online_consent: crate::consents::of_child(conn, child.id)?,
    })
}

/// Opens the record, runs `act` on it in one write transaction, and answers
/// the card as it is afterwards.
async fn on_record<F>(state: &AppState, caller: AuthUser, number: String, act: F) -> ApiResult<RegistryCard>
where
    F: FnOnce(&mut DbConn, Desk, &CertificateRow, &ChildRow) -> ApiResult<()> + Send + 'static,
{
    let wide = state.config.activation_points_region_wide;
    let cipher = state.cipher.clone();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let desk = desk(conn, &caller, wide)?;
                let (certificate, child) = open(conn, desk, &number)?;
                act(conn, desk, &certificate, &child)?;
                let (certificate, child) = open(conn, desk, &number)?;
                card(&cipher, conn, desk, &certificate, &child)
            })
        })
        .await
}

/// Opens a record at the desk; every opening is audited, and says whether the
/// personal data were shown in full.
pub async fn view(state: &AppState, caller: AuthUser, number: String) -> ApiResult<RegistryCard> {
    on_record(state, caller, number, move |conn, desk, _, child| {
        let shown = if desk.sees_personal_data() {
            "персональные данные полностью"
        } else {
            "персональные данные скрыты"
        };
        audit::record(conn, caller.id, child.id, Action::View, None, Some(shown))?;
        Ok(())
    })
    .await
}

fn not_pending(detail: &'static str) -> ApiError {
    ApiError::Conflict { code: ErrorCode::WrongStatus, detail: detail.into() }
}

/// Corrects the child's data after comparing it with the documents; the
/// old and new values (personal numbers masked) and the reason are audited.
pub async fn correct(
    state: &AppState,
    caller: AuthUser,
    number: String,
    body: ChildCorrection,
) -> ApiResult<RegistryCard> {
    let reason = body.reason.trim().to_owned();
    if reason.chars().count() < 3 || reason.chars().count() > 500 {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "reason",
            "Укажите причину исправления (до 500 символов)",
        ));
    }
    let cipher = state.cipher.clone();
    on_record(state, caller, number, move |conn, desk, certificate, child| {
        may_change_data(desk, certificate)?;
        let before = children::service::to_dto(&cipher, child, None, false)?;
        let input = children::service::merge(&before, body.changes)?;
        let valid = children::service::validate(conn, &input)?;
        let data = children::service::to_data(&cipher, &valid)?;
        children::repo::update(conn, child.id, &data)?.map_err(|_| children::service::duplicate())?;
        let after = children::repo::find(conn, child.id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
        let after = children::service::to_dto(&cipher, &after, None, false)?;
        let changes = diff(&before, &after)?;
        if let Some(fields) = changes.as_object().filter(|c| !c.is_empty()) {
            audit::record(conn, caller.id, child.id, Action::Correct, Some(&changes), Some(&reason))?;
            if let Some(who) = accounts::service::acting_for(conn, caller.id)? {
                let names: Vec<&str> = fields.keys().map(|f| field_title(f)).collect();
                let what = format!("исправил(а) данные ребёнка {} ({}): {reason}", after.first_name, names.join(", "));
                let family = accounts::repo::family_of(conn, child.id)?;
                accounts::service::tell_acted(conn, &family, &who, &what)?;
            }
        }
        Ok(())
    })
    .await
}

/// Enters the applicant's passport and address from the paper documents, so
/// that the printed forms carry them. Audited as a correction with the
/// passport number masked.
pub async fn fill_applicant(
    state: &AppState,
    caller: AuthUser,
    number: String,
    body: ApplicantDocuments,
) -> ApiResult<RegistryCard> {
    let valid = body.validate(crate::clock::today())?;
    let changes = accounts::service::profile_changes(&state.cipher, valid)?;
    let cipher = state.cipher.clone();
    on_record(state, caller, number, move |conn, desk, certificate, child| {
        may_change_data(desk, certificate)?;
        let before = accounts::repo::find(conn, child.parent_id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
        accounts::repo::update_profile(conn, before.id, &changes)?;
        let after = accounts::repo::find(conn, child.parent_id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
        let documents = |user: &accounts::repo::UserRow| -> ApiResult<[(&'static str, Option<String>); 4]> {
            let number = cipher.decrypt_opt(user.passport_number_enc.as_deref())?;
            Ok([
                ("applicant_passport_number", number.as_deref().map(rules::mask_number)),
                ("applicant_passport_issued_by", user.passport_issued_by.clone()),
                ("applicant_passport_issued_at", user.passport_issued_at.map(|d| d.to_string())),
                ("applicant_address", user.address.clone()),
            ])
        };
        let mut diff = serde_json::Map::new();
        for ((field, old), (_, new)) in documents(&before)?.into_iter().zip(documents(&after)?) {
            if old != new {
                diff.insert(field.to_owned(), serde_json::json!({ "old": old, "new": new }));
            }
        }
        if !diff.is_empty() {
            let changes = serde_json::Value::Object(diff);
            let reason = "паспорт и адрес заявителя внесены по документам";
            audit::record(conn, caller.id, child.id, Action::Correct, Some(&changes), Some(reason))?;
        }
        Ok(())
    })
    .await
}

/// The child's and the applicant's data are changed by a desk with the right
/// to the personal data, while the record is in the registry.
fn may_change_data(desk: Desk, certificate: &CertificateRow) -> ApiResult<()> {
    require(desk, &[is_point, is_operator, is_admin])?;
    require_personal_data(desk)?;
    if certificate.status == CertificateStatus::Excluded {
        return Err(not_pending("Запись исключена из реестра: данные не меняются"));
    }
    Ok(())
}

/// `{field: {old, new}}` of the fields that differ; SNILS and document number masked.
fn diff(
    before: &navigator_shared::children::Child,
    after: &navigator_shared::children::Child,
) -> ApiResult<serde_json::Value> {
    let before = serde_json::to_value(before).map_err(anyhow::Error::from)?;
    let after = serde_json::to_value(after).map_err(anyhow::Error::from)?;
    let mut changes = serde_json::Map::new();
    if let (Some(old), Some(new)) = (before.as_object(), after.as_object()) {
        for (field, new_value) in new {
            let old_value = old.get(field).cloned().unwrap_or(serde_json::Value::Null);
            if &old_value == new_value || matches!(field.as_str(), "certificate" | "editable") {
                continue;
            }
            let mask = |v: &serde_json::Value| match (field.as_str(), v.as_str()) {
                ("snils", Some(s)) => serde_json::Value::from(rules::mask_snils(&s.replace(['-', ' '], ""))),
                ("document_number", Some(s)) => serde_json::Value::from(rules::mask_number(s)),
                _ => v.clone(),
            };
            changes.insert(field.clone(), serde_json::json!({ "old": mask(&old_value), "new": mask(new_value) }));
        }
    }
    Ok(serde_json::Value::Object(changes))
}

/// The Russian name of a child's field, as the family's form labels it.
fn field_title(field: &str) -> &str {
    match field {
        "last_name" => "фамилия",
        "first_name" => "имя",
        "middle_name" => "отчество",
        "birth_date" => "дата рождения",
        "sex" => "пол",
        "document_type" | "document_series" | "document_number" | "document_issued_at" => "документ",
        "snils" => "СНИЛС",
        "address" => "адрес",
        "municipality_id" => "муниципалитет",
        other => other,
    }
}

/// Staff confirmed the child's data against the documents.
pub async fn confirm_data(state: &AppState, caller: AuthUser, number: String) -> ApiResult<RegistryCard> {
    on_record(state, caller, number, move |conn, desk, certificate, child| {
        require(desk, &[is_point, is_operator, is_admin])?;
        if repo::confirm_data(conn, certificate.id)? == 0 {
            return Err(not_pending("Данные подтверждаются только у сертификата в обработке"));
        }
        audit::record(conn, caller.id, child.id, Action::ConfirmData, None, None)?;
        start_decision_clock(conn, certificate.id)
    })
    .await
}

/// The signed application and consent were received.
pub async fn application_received(state: &AppState, caller: AuthUser, number: String) -> ApiResult<RegistryCard> {
    on_record(state, caller, number, move |conn, desk, certificate, child| {
        require(desk, &[is_point, is_operator, is_admin])?;
        if repo::application_received(conn, certificate.id)? == 0 {
            return Err(not_pending("Заявление регистрируется только у сертификата в обработке"));
        }
        audit::record(conn, caller.id, child.id, Action::ApplicationReceived, None, None)?;
        start_decision_clock(conn, certificate.id)
    })
    .await
}

/// With both checks done the documents are complete (seed 001: «с момента
/// получения полного пакета документов»): the decision is due within the
/// region's working days. Set once; the certificate no longer lapses.
fn start_decision_clock(conn: &mut DbConn, certificate: CertificateId) -> ApiResult<()> {
    let today = crate::clock::today();
    let days = certificates::service::working_days(reference::repo::region(conn)?.decision_days);
    let due = crate::calendar::repo::load(conn, today)?.add_working_days(today, days);
    repo::start_decision_clock(conn, certificate, due)?;
    Ok(())
}

fn tell_family(conn: &mut DbConn, child: &ChildRow, email: impl Fn(&str) -> notifications::Email) -> ApiResult<()> {
    notifications::family::inform_family(conn, child.id, email)?;
    Ok(())
}

/// Activates a pending certificate once the data were confirmed and the
/// signed application registered: the operator, or a point the region and the
/// operator allow to confirm.
pub async fn activate(state: &AppState, caller: AuthUser, number: String) -> ApiResult<RegistryCard> {
    on_record(state, caller, number, move |conn, desk, certificate, child| {
        require_confirming(desk)?;
        if certificate.status != CertificateStatus::Pending {
            return Err(not_pending("Активировать можно только сертификат в обработке"));
        }
        if certificate.data_confirmed_at.is_none() || certificate.application_received_at.is_none() {
            return Err(ApiError::Conflict {
                code: ErrorCode::ChecksIncomplete,
                detail: "Сначала подтвердите данные ребёнка и зарегистрируйте подписанное заявление и согласие".into(),
            });
        }
        let decision = Decision {
            from: CertificateStatus::Pending,
            to: CertificateStatus::Active,
            reason: None,
            comment: None,
            decided_by: Some(caller.id),
        };
        if certificates::repo::decide(conn, certificate.id, &decision, now())? == 0 {
            return Err(not_pending("Статус сертификата уже изменён другим сотрудником"));
        }
        audit::record(conn, caller.id, child.id, Action::Activate, None, None)?;
        tell_family(conn, child, |name| templates::certificate_activated(name, &child.first_name, &certificate.number))
    })
    .await
}

fn comment(text: &str) -> ApiResult<Option<String>> {
    let text = text.trim();
    if text.chars().count() > 1000 {
        return Err(ApiError::field(ErrorCode::ValidationFailed, "comment", "Не более 1000 символов"));
    }
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

/// A decision with an official reason: refusal or exclusion.
struct Ruling {
    /// Whether the desk may rule.
    allowed: fn(Desk) -> ApiResult<()>,
    from: CertificateStatus,
    to: CertificateStatus,
    action: Action,
    wrong_status: &'static str,
    /// The email to the family: (greeting name, child, number, reason title, comment).
    email: fn(&str, &str, &str, &str, Option<&str>) -> notifications::Email,
    /// The certificate leaves the registry: the child's studies end for this reason.
    ends_studies: Option<ExpelReason>,
}

async fn rule(
    state: &AppState,
    caller: AuthUser,
    number: String,
    ruling: Ruling,
    reason: &'static str,
    comment_text: &str,
) -> ApiResult<RegistryCard> {
    let note = comment(comment_text)?;
    let links = state.links();
    on_record(state, caller, number, move |conn, desk, certificate, child| {
        (ruling.allowed)(desk)?;
        settle(conn, &links, caller.id, (certificate, child), &ruling, reason, note.as_deref())?;
        let title = rules::reason_title(reason).unwrap_or(reason);
        tell_family(conn, child, |name| {
            (ruling.email)(name, &child.first_name, &certificate.number, title, note.as_deref())
        })
    })
    .await
}

/// Carries out a ruling on a record: the studies and the money end with the
/// certificate when it leaves the registry, then the decision and its audit.
fn settle(
    conn: &mut DbConn,
    links: &crate::Links,
    by: i64,
    (certificate, child): (&CertificateRow, &ChildRow),
    ruling: &Ruling,
    reason: &str,
    note: Option<&str>,
) -> ApiResult<()> {
    if let Some(expel) = ruling.ends_studies
        && certificate.status == ruling.from
    {
        let title = rules::reason_title(reason).unwrap_or(reason);
        // Applications, contracts and the ledger before the certificate: the order of every writer.
        let why = format!("Сертификат № {} исключён из реестра: {}", certificate.number, title.to_lowercase());
        applications::service::end_with_certificate(conn, links, by, child.id, expel, &why)?;
        // No sum outlives the certificate: the free remainder goes with it.
        let mut accounts = vec![navigator_shared::funding::Account::Personified];
        accounts.extend(crate::ledger::repo::social_balances(conn, certificate.id)?.into_iter().map(|(a, _)| a));
        for account in accounts {
            crate::ledger::repo::withdraw_remainder(conn, (certificate.id, account), &why, by)
                .map_err(|e| anyhow::anyhow!("the remainder of certificate {} not withdrawn: {e:?}", certificate.id))?;
        }
    }
    let decision =
        Decision { from: ruling.from, to: ruling.to, reason: Some(reason), comment: note, decided_by: Some(by) };
    if certificates::repo::decide(conn, certificate.id, &decision, now())? == 0 {
        return Err(not_pending(ruling.wrong_status));
    }
    audit::record(conn, by, child.id, ruling.action, None, note.or(Some(reason)))?;
    Ok(())
}

/// The family withdrew its consent to the processing of the child's data:
/// the certificate leaves the registry as on the applicant's written
/// request. An active one is excluded the way the operator excludes it
/// (its studies end, its contracts end with their reserve released, its free
/// remainder is withdrawn), a pending one is refused; one already out of the
/// registry stays as it is. The family's own notice says it all, so no
/// registry email goes.
pub fn close_on_request(
    conn: &mut DbConn,
    links: &crate::Links,
    by: i64,
    child: &ChildRow,
    note: &str,
) -> ApiResult<()> {
    let reason = ExcludeReason::ApplicantRequest.as_str();
    match certificates::repo::of_child(conn, child.id)? {
        Some(certificate) if certificate.status == CertificateStatus::Active => settle(
            conn,
            links,
            by,
            (&certificate, child),
            &exclusion(ExcludeReason::ApplicantRequest),
            reason,
            Some(note),
        ),
        Some(certificate) if certificate.status == CertificateStatus::Pending => {
            settle(conn, links, by, (&certificate, child), &refusal(), reason, Some(note))
        }
        _ => Ok(()),
    }
}

fn refusal() -> Ruling {
    Ruling {
        allowed: require_confirming,
        from: CertificateStatus::Pending,
        to: CertificateStatus::Refused,
        action: Action::Refuse,
        wrong_status: "Отказать можно только по сертификату в обработке",
        email: templates::certificate_refused,
        ends_studies: None,
    }
}

fn exclusion(reason: ExcludeReason) -> Ruling {
    Ruling {
        allowed: |desk| require(desk, &[is_operator, is_admin]),
        from: CertificateStatus::Active,
        to: CertificateStatus::Excluded,
        action: Action::Exclude,
        wrong_status: "Исключить из реестра можно только активированный сертификат",
        email: templates::certificate_excluded,
        ends_studies: Some(match reason {
            ExcludeReason::MovedOutOfRegion => ExpelReason::Moved,
            ExcludeReason::ApplicantRequest => ExpelReason::ParentRequest,
        }),
    }
}

/// «Подать заново» at the desk: a lapsed or refused certificate goes back to
/// `pending` with its number and a new deadline (point, operator, admin).
pub async fn renew(state: &AppState, caller: AuthUser, number: String) -> ApiResult<RegistryCard> {
    let links = state.links();
    on_record(state, caller, number, move |conn, desk, _, child| {
        require(desk, &[is_point, is_operator, is_admin])?;
        certificates::service::renew_for(conn, &links, caller.id, child).map(drop)
    })
    .await
}

/// Refuses a pending certificate with one of the official reasons.
pub async fn refuse(
    state: &AppState,
    caller: AuthUser,
    number: String,
    body: RefuseRequest,
) -> ApiResult<RegistryCard> {
    rule(state, caller, number, refusal(), body.reason.as_str(), &body.comment).await
}

/// Excludes an active certificate from the registry (operator).
pub async fn exclude(
    state: &AppState,
    caller: AuthUser,
    number: String,
    body: ExcludeRequest,
) -> ApiResult<RegistryCard> {
    rule(state, caller, number, exclusion(body.reason), body.reason.as_str(), &body.comment).await
}

/// The audit trail of the child of a record (operator of its municipality, admin).
pub async fn trail(state: &AppState, caller: AuthUser, number: String) -> ApiResult<Vec<AuditEntry>> {
    let wide = state.config.activation_points_region_wide;
    state
        .db(move |conn| {
            let desk = desk(conn, &caller, wide)?;
            require(desk, &[is_operator, is_admin])?;
            let (_, child) = open(conn, desk, &number)?;
            Ok::<_, ApiError>(audit::of_child(conn, child.id)?)
        })
        .await
}

/// An activation point opens a family account for a visitor; the parent
/// confirms the email and sets a password from the emailed link.
pub async fn register_parent(state: &AppState, caller: AuthUser, request: InviteRequest) -> ApiResult<AccountCreated> {
    let wide = state.config.activation_points_region_wide;
    let person = request.validate()?;
    let links = state.links();
    let ttl = state.config.email_confirm_ttl;
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let desk = desk(conn, &caller, wide)?;
                require(desk, &[is_point, is_admin])?;
                if !desk.covers(person.municipality_id) {
                    return Err(outside_reach("municipality_id"));
                }
                let by = accounts::service::signature(conn, &caller)?;
                let id = accounts::service::invite(conn, &links, ttl, &person, Role::Parent, &by)?;
                Ok::<_, ApiError>(AccountCreated { id, email: person.email.as_str().to_owned() })
            })
        })
        .await
}

fn outside_reach(field: &str) -> ApiError {
    ApiError::field(
        ErrorCode::OutsideTerritory,
        field,
        "Пункт активации принимает семьи своего муниципалитета: направьте заявителя в пункт его муниципалитета",
    )
}

fn family_account(conn: &mut DbConn, id: i64) -> ApiResult<accounts::repo::UserRow> {
    match accounts::repo::find(conn, id)? {
        Some(user) if user.role == Role::Parent => Ok(user),
        _ => Err(ApiError::NotFound { detail: "Учётная запись родителя не найдена" }),
    }
}

/// An activation point fills in a child with the visiting parent.
pub async fn add_child(state: &AppState, caller: AuthUser, parent_id: i64, input: ChildInput) -> ApiResult<Child> {
    let wide = state.config.activation_points_region_wide;
    let cipher = state.cipher.clone();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let desk = desk(conn, &caller, wide)?;
                require(desk, &[is_point, is_admin])?;
                if !desk.covers(input.municipality_id) {
                    return Err(outside_reach("municipality_id"));
                }
                let parent = family_account(conn, parent_id)?;
                let child = children::service::add_to_family(conn, &cipher, parent.id, &input)?;
                audit::record(conn, caller.id, ChildId(child.id), Action::Create, None, None)?;
                if let Some(who) = accounts::service::acting_for(conn, caller.id)? {
                    let what = format!("добавил(а) в вашу учётную запись данные ребёнка {}", child.first_name);
                    accounts::service::tell_acted(conn, std::slice::from_ref(&parent), &who, &what)?;
                }
                Ok::<_, ApiError>(child)
            })
        })
        .await
}

/// An activation point requests the certificate of a child on the family's behalf.
pub async fn request_certificate(state: &AppState, caller: AuthUser, child_id: i64) -> ApiResult<Certificate> {
    let wide = state.config.activation_points_region_wide;
    let links = state.links();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let desk = desk(conn, &caller, wide)?;
                require(desk, &[is_point, is_admin])?;
                let child = children::repo::find(conn, ChildId(child_id))?
                    .filter(|child| desk.covers(child.municipality_id))
                    .ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
                let certificate = certificates::service::request_for(conn, &links, &child)?;
                if let Some(who) = accounts::service::acting_for(conn, caller.id)? {
                    let what = format!("запросил(а) сертификат для ребёнка {}", child.first_name);
                    let family = accounts::repo::family_of(conn, child.id)?;
                    accounts::service::tell_acted(conn, &family, &who, &what)?;
                }
                Ok::<_, ApiError>(certificate)
            })
        })
        .await
}

/// The operator opens a staff account for an organization of their municipality.
pub async fn invite_staff(state: &AppState, caller: AuthUser, request: InviteRequest) -> ApiResult<AccountCreated> {
    let wide = state.config.activation_points_region_wide;
    let person = request.validate()?;
    let organization = request.organization_id.ok_or_else(|| {
        ApiError::field(ErrorCode::ValidationFailed, "organization_id", "Выберите организацию сотрудника")
    })?;
    let links = state.links();
    let ttl = state.config.email_confirm_ttl;
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let desk = desk(conn, &caller, wide)?;
                require(desk, &[is_operator, is_admin])?;
                let home: Option<i64> = organizations::table
                    .find(organization)
                    .select(organizations::municipality_id)
                    .first(conn)
                    .optional()?;
                if !home.is_some_and(|home| desk.covers(home)) {
                    return Err(ApiError::NotFound { detail: "Организация не найдена" });
                }
                let by = accounts::service::signature(conn, &caller)?;
                let id = accounts::service::invite(conn, &links, ttl, &person, Role::OrgStaff, &by)?;
                accounts::repo::set_organization(conn, id, organization)?;
                Ok::<_, ApiError>(AccountCreated { id, email: person.email.as_str().to_owned() })
            })
        })
        .await
}

/// The operator moves a child (with its certificate) to another family
/// account, e.g. when the family had registered twice.
pub async fn move_child(
    state: &AppState,
    caller: AuthUser,
    child_id: i64,
    request: MoveChildRequest,
) -> ApiResult<Child> {
    let wide = state.config.activation_points_region_wide;
    let email = request.validate()?;
    let reason = request.reason.trim().to_owned();
    if reason.chars().count() < 3 {
        return Err(ApiError::field(ErrorCode::ValidationFailed, "reason", "Укажите основание переноса"));
    }
    let cipher = state.cipher.clone();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let desk = desk(conn, &caller, wide)?;
                require(desk, &[is_operator, is_admin])?;
                let child =
                    children::repo::find(conn, ChildId(child_id))?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
                if !desk.covers(child.municipality_id) {
                    return Err(ApiError::NotFound { detail: NOT_FOUND });
                }
                let target = accounts::repo::find_by_email(conn, email.as_str())?
                    .filter(|u| u.role == Role::Parent)
                    .ok_or_else(|| {
                        ApiError::field(
                            ErrorCode::NotFound,
                            "email",
                            "Учётная запись родителя с этим адресом не найдена",
                        )
                    })?;
                if target.id == child.parent_id {
                    return Err(ApiError::field(
                        ErrorCode::ValidationFailed,
                        "email",
                        "Ребёнок уже в этой учётной записи",
                    ));
                }
                children::repo::move_to(conn, child.id, target.id)?;
                // The guardians were the old account's; the new holder invites his own.
                let ended = children::guardians::repo::end_all(conn, child.id, caller.id, crate::clock::now())?;
                let changes = serde_json::json!({
                    "parent_id": { "old": child.parent_id, "new": target.id },
                    "guardians_ended": ended,
                });
                audit::record(conn, caller.id, child.id, Action::Move, Some(&changes), Some(&reason))?;
                let moved = children::repo::find(conn, child.id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
                let certificate = certificates::repo::of_child(conn, child.id)?;
                children::service::to_dto(&cipher, &moved, certificate.as_ref(), true)
            })
        })
        .await
}

/// A printed form of the record: the application, the consent or the
/// registry extract (activation points, operators). Printing is audited.
pub async fn document(state: &AppState, caller: AuthUser, number: String, form: Form) -> ApiResult<(Vec<u8>, String)> {
    let wide = state.config.activation_points_region_wide;
    let cipher = state.cipher.clone();
    let data = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let desk = desk(conn, &caller, wide)?;
                require_personal_data(desk)?;
                let (certificate, child) = open(conn, desk, &number)?;
                let parent =
                    accounts::repo::find(conn, child.parent_id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
                let staff = accounts::repo::find(conn, caller.id)?.ok_or_else(ApiError::unauthenticated)?;
                let organization = match staff.organization_id {
                    Some(id) => {
                        organizations::table.find(id).select(organizations::name).first::<String>(conn).optional()?
                    }
                    None => None,
                }
                .unwrap_or_else(|| "Оператор реестра сертификатов".to_owned());
                let municipality = reference::repo::municipality_name(conn, child.municipality_id)?.unwrap_or_default();
                let region = reference::repo::region(conn)?.name;
                audit::record(conn, caller.id, child.id, Action::Print, None, Some(form.title()))?;
                let card = children::service::to_dto(&cipher, &child, Some(&certificate), false)?;
                let passport = match (
                    cipher.decrypt_opt(parent.passport_series_enc.as_deref())?,
                    cipher.decrypt_opt(parent.passport_number_enc.as_deref())?,
                ) {
                    (Some(series), Some(number)) => {
                        let issued = parent
                            .passport_issued_at
                            .map(|d| format!(", выдан {}", d.format("%d.%m.%Y")))
                            .unwrap_or_default();
                        let by = parent.passport_issued_by.as_deref().map(|b| format!(" {b}")).unwrap_or_default();
                        format!("Паспорт {series} № {number}{issued}{by}")
                    }
                    // Not given online: a line for the applicant to fill in by hand.
                    _ => documents::BLANK.to_owned(),
                };
                let status = certificate.status;
                Ok::<_, ApiError>(FormData {
                    region,
                    certificate_number: certificate.number.clone(),
                    certificate_status: status.title().to_owned(),
                    issued_on: crate::clock::day_of(certificate.created_at),
                    activated_on: certificate.activated_at.map(crate::clock::day_of),
                    child_full_name: full_name(&child.last_name, &child.first_name, child.middle_name.as_deref()),
                    child_birth_date: child.birth_date,
                    child_document: format!(
                        "{} {} № {}, выдан(о) {}",
                        card.document_type.title(),
                        card.document_series,
                        card.document_number,
                        card.document_issued_at.format("%d.%m.%Y")
                    ),
                    child_snils: card.snils,
                    child_address: card.address,
                    municipality,
                    learner: parent.role == Role::Learner,
                    parent_full_name: full_name(&parent.last_name, &parent.first_name, parent.middle_name.as_deref()),
                    parent_passport: passport,
                    parent_address: parent
                        .address
                        .clone()
                        .filter(|a| !a.trim().is_empty())
                        .unwrap_or_else(|| documents::BLANK.to_owned()),
                    parent_phone: parent.phone.clone(),
                    parent_email: parent.email.clone(),
                    organization,
                    printed_on: crate::clock::today(),
                })
            })
        })
        .await?;
    let file_name = form.file_name(&data.certificate_number);
    let bytes = web::block(move || documents::render(form, &data)).await??;
    Ok((bytes, file_name))
}
