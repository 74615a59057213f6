//! Rules of children: validation, the duplicate rule, ownership, and when the
//! family may still change the data.

use navigator_shared::ErrorCode;
use navigator_shared::FieldErrors;
use navigator_shared::children::{self as rules, Child, ChildInput, ValidChild};

use super::repo::{self, ChildData, ChildRow, Duplicate};
use super::{certificates, guardians};
use crate::accounts;
use crate::auth::{AuthUser, scope};
use crate::crypto::DataCipher;
use crate::db::{DbConn, write_tx};
use crate::error::{ApiError, ApiResult};
use crate::notifications::now;
use crate::reference;
use navigator_shared::accounts::Role;
use navigator_shared::children::CertificateStatus;
use navigator_shared::guardians::Relationship;
use navigator_shared::ids::ChildId;

const NOT_FOUND: &str = "Ребёнок не найден";

/// Roles that keep children in their own account.
const FAMILY: [Role; 2] = [Role::Parent, Role::Learner];

/// The same child already in the system, when the record it repeats is not
/// known (a staff correction in the registry).
pub fn duplicate() -> ApiError {
    ApiError::Conflict {
        code: ErrorCode::DuplicateChild,
        detail: "Такой ребёнок уже есть в системе. Одна семья — одна учётная запись: если ребёнок записан \
                 в другой учётной записи (например, второго родителя), войдите в неё. Если это ошибка, \
                 обратитесь в пункт активации сертификатов или к оператору вашего муниципалитета — \
                 данные перенесут в вашу учётную запись."
            .into(),
    }
}

/// The same child already in the system, told to the family `parent_id`
/// under the field that matched: the SNILS, or else the surname for the name
/// and birth date. The words say whether the family's own account holds the
/// child; another family's account is never named. `changed` is the child
/// being changed, which does not repeat itself.
pub fn duplicate_of(
    conn: &mut DbConn,
    parent_id: i64,
    data: &ChildData,
    changed: Option<ChildId>,
) -> ApiResult<ApiError> {
    let repeated =
        repo::repeated_by(conn, data)?.into_iter().filter(|r| Some(r.child_id) != changed).max_by_key(|r| r.same_snils);
    let Some(repeated) = repeated else { return Ok(duplicate()) };
    let field = if repeated.same_snils { "snils" } else { "last_name" };
    let detail = match (repeated.parent_id == parent_id, repeated.same_snils) {
        (true, _) => "Этот ребёнок уже добавлен в вашу учётную запись",
        (false, true) => {
            "Ребёнок с этим СНИЛС уже зарегистрирован в учётной записи другой семьи. Проверьте номер; если он \
             верный, обратитесь в пункт активации сертификатов или к оператору вашего муниципалитета — там \
             разберутся и при необходимости перенесут данные в вашу учётную запись."
        }
        (false, false) => {
            "Ребёнок с такими ФИО и датой рождения уже зарегистрирован в учётной записи другой семьи. Если это \
             ваш ребёнок, обратитесь в пункт активации сертификатов или к оператору вашего муниципалитета — \
             там разберутся и при необходимости перенесут данные в вашу учётную запись."
        }
    };
    let mut errors = FieldErrors::new();
    errors.add(field, detail);
    Ok(ApiError::FieldConflict { code: ErrorCode::DuplicateChild, detail: detail.to_owned(), errors })
}

/// Encrypts and hashes validated data for storage.
pub fn to_data(cipher: &DataCipher, child: &ValidChild) -> ApiResult<ChildData> {
    let (snils_hash, identity_hash) = lookup_hashes(
        cipher,
        child.snils.digits(),
        (&child.last_name, &child.first_name, child.middle_name.as_deref(), child.birth_date),
    );
    Ok(ChildData {
        last_name: child.last_name.clone(),
        first_name: child.first_name.clone(),
        middle_name: child.middle_name.clone(),
        birth_date: child.birth_date,
        sex: child.sex,
        document_type: child.document_type,
        document_series: child.document_series.clone(),
        document_number_enc: cipher.encrypt(&child.document_number)?,
        document_issued_at: child.document_issued_at,
        snils_enc: cipher.encrypt(child.snils.digits())?,
        snils_hash,
        identity_hash,
        last_name_key: rules::name_key(&child.last_name),
        address: child.address.clone(),
        municipality_id: child.municipality_id,
        updated_at: now(),
    })
}

/// The keys under which a child is found again: by SNILS, and by name and
/// birth date.
fn lookup_hashes(
    cipher: &DataCipher,
    snils: &str,
    (last_name, first_name, middle_name, birth_date): (&str, &str, Option<&str>, chrono::NaiveDate),
) -> (String, String) {
    let identity = rules::duplicate_key(last_name, first_name, middle_name, birth_date);
    (cipher.lookup_hash(&format!("snils:{snils}")), cipher.lookup_hash(&format!("identity:{identity}")))
}

/// Rewrites the children sealed with an earlier key, `batch` per transaction;
/// returns how many were rewritten.
pub fn reseal_legacy(conn: &mut DbConn, cipher: &DataCipher, batch: i64) -> ApiResult<usize> {
    crate::db::in_batches(conn, |conn| {
        let rows = repo::legacy_sealed(conn, batch)?;
        for row in &rows {
            let snils = cipher.decrypt(&row.snils_enc)?;
            let number = cipher.decrypt(&row.document_number_enc)?;
            let (snils_hash, identity_hash) = lookup_hashes(
                cipher,
                &snils,
                (&row.last_name, &row.first_name, row.middle_name.as_deref(), row.birth_date),
            );
            repo::reseal(conn, row.id, (cipher.encrypt(&number)?, cipher.encrypt(&snils)?, snils_hash, identity_hash))?;
        }
        Ok::<_, ApiError>(rows.len())
    })
}

pub fn validate(conn: &mut DbConn, input: &ChildInput) -> ApiResult<ValidChild> {
    let region = reference::repo::region(conn)?;
    let valid = input.validate(crate::clock::today(), region.child_age_max)?;
    if !reference::repo::municipality_exists(conn, valid.municipality_id)? {
        let mut errors = FieldErrors::new();
        errors.add("municipality_id", "Такого муниципалитета нет в списке");
        return Err(ApiError::Validation(errors));
    }
    Ok(valid)
}

/// Whether the family may still change the data: until the certificate is active.
fn editable(certificate: Option<&certificates::repo::CertificateRow>) -> bool {
    !certificate.is_some_and(|c| matches!(c.status, CertificateStatus::Active | CertificateStatus::Excluded))
}

/// The record as the family sees it; `masked` for lists.
pub fn to_dto(
    cipher: &DataCipher,
    row: &ChildRow,
    certificate: Option<&certificates::repo::CertificateRow>,
    masked: bool,
) -> ApiResult<Child> {
    let snils = cipher.decrypt(&row.snils_enc)?;
    let number = cipher.decrypt(&row.document_number_enc)?;
    let (snils, number) = if masked {
        (rules::mask_snils(&snils), rules::mask_number(&number))
    } else {
        (rules::Snils::parse(&snils).map(|s| s.formatted()).unwrap_or(snils), number)
    };
    Ok(Child {
        id: row.id.get(),
        last_name: row.last_name.clone(),
        first_name: row.first_name.clone(),
        middle_name: row.middle_name.clone().unwrap_or_default(),
        birth_date: row.birth_date,
        sex: row.sex,
        document_type: row.document_type,
        document_series: row.document_series.clone(),
        document_number: number,
        document_issued_at: row.document_issued_at,
        snils,
        address: row.address.clone(),
        municipality_id: row.municipality_id,
        editable: editable(certificate) && row.processable().is_ok(),
        certificate: certificate.map(certificates::service::to_dto).transpose()?,
        consent_withdrawal: crate::consents::withdrawal(row.consent_withdrawn_at, row.depersonalize_after),
        depersonalized_at: row.depersonalized_at.map(|at| at.and_utc()),
        relationship: None,
    })
}

/// The record as a member of the family sees it: a guardian learns who he
/// is to the child, and only the holder may change the data.
fn for_member(mut child: Child, holder: i64, caller: i64, relationship: Option<Relationship>) -> Child {
    if holder != caller {
        child.relationship = relationship;
        child.editable = false;
    }
    child
}

pub async fn create(state: &crate::AppState, caller: AuthUser, input: ChildInput) -> ApiResult<Child> {
    caller.require(&FAMILY)?;
    let cipher = state.cipher.clone();
    state.db(move |conn| write_tx(conn, |conn| add_to_family(conn, &cipher, caller.id, &input))).await
}

/// Adds a child to the family account `parent_id` (the family itself, or an
/// activation point on its behalf).
pub fn add_to_family(conn: &mut DbConn, cipher: &DataCipher, parent_id: i64, input: &ChildInput) -> ApiResult<Child> {
    let valid = validate(conn, input)?;
    let owner = accounts::repo::find(conn, parent_id)?
        .ok_or(ApiError::NotFound { detail: "Учётная запись не найдена" })?;
    if owner.consent_withdrawn_at.is_some() {
        return Err(ApiError::Conflict {
            code: ErrorCode::ConsentWithdrawn,
            detail: "Согласие на обработку персональных данных этой учётной записи отозвано: новых детей в неё \
                     не добавить"
                .into(),
        });
    }
    if owner.role == Role::Learner {
        learner_self(conn, &owner, &valid)?;
    }
    let data = to_data(cipher, &valid)?;
    let id = match repo::insert(conn, parent_id, &data, now())? {
        Ok(id) => id,
        Err(Duplicate) => return Err(duplicate_of(conn, parent_id, &data, None)?),
    };
    let row = repo::find(conn, id)?.ok_or_else(|| anyhow::anyhow!("new child vanished"))?;
    to_dto(cipher, &row, None, false)
}

/// A learner's account holds one record: the learner himself, with the name
/// and birth date given at registration.
fn learner_self(conn: &mut DbConn, owner: &accounts::repo::UserRow, child: &ValidChild) -> ApiResult<()> {
    if !repo::of_parent(conn, owner.id)?.is_empty() {
        return Err(ApiError::Conflict {
            code: ErrorCode::LearnerRecordExists,
            detail: "Ваши данные уже добавлены. Обучающийся указывает в своей учётной записи только себя; \
                     братьев и сестёр добавляет родитель в своей учётной записи."
                .into(),
        });
    }
    let mut errors = FieldErrors::new();
    if rules::name_key(&child.last_name) != rules::name_key(&owner.last_name) {
        errors.add("last_name", format!("Укажите свою фамилию, как при регистрации: {}", owner.last_name));
    }
    if rules::name_key(&child.first_name) != rules::name_key(&owner.first_name) {
        errors.add("first_name", format!("Укажите своё имя, как при регистрации: {}", owner.first_name));
    }
    if owner.birth_date != Some(child.birth_date) {
        errors.add("birth_date", "Дата рождения должна совпадать с указанной при регистрации");
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Rejected {
            code: ErrorCode::LearnerSelfOnly,
            detail: "В учётной записи обучающегося указываются только его собственные данные".into(),
            errors,
        })
    }
}

pub async fn list(state: &crate::AppState, caller: AuthUser) -> ApiResult<Vec<Child>> {
    let cipher = state.cipher.clone();
    state
        .db(move |conn| {
            let mut rows = repo::of_parent(conn, caller.id)?;
            let guarded = guardians::repo::children_of(conn, caller.id)?;
            let ids: Vec<ChildId> = guarded.iter().map(|(id, _)| *id).collect();
            rows.extend(repo::find_many(conn, &ids)?);
            let ids: Vec<ChildId> = rows.iter().map(|r| r.id).collect();
            let certs = certificates::repo::of_children(conn, &ids)?;
            rows.iter()
                .map(|row| {
                    let relationship = guarded.iter().find(|(id, _)| *id == row.id).map(|(_, r)| *r);
                    let child = to_dto(&cipher, row, certs.iter().find(|c| c.child_id == row.id), true)?;
                    Ok(for_member(child, row.parent_id, caller.id, relationship))
                })
                .collect::<ApiResult<Vec<_>>>()
        })
        .await
}

pub async fn get(state: &crate::AppState, caller: AuthUser, id: i64) -> ApiResult<Child> {
    let cipher = state.cipher.clone();
    state
        .db(move |conn| {
            let row = scope::owned_child(conn, &caller, ChildId(id))?;
            let certificate = certificates::repo::of_child(conn, row.id)?;
            // A guardian learns who he is to the child; the holder needs no look.
            let relationship = if row.parent_id == caller.id {
                None
            } else {
                guardians::repo::children_of(conn, caller.id)?
                    .into_iter()
                    .find(|(child, _)| *child == row.id)
                    .map(|(_, relationship)| relationship)
            };
            let child = to_dto(&cipher, &row, certificate.as_ref(), false)?;
            Ok::<_, ApiError>(for_member(child, row.parent_id, caller.id, relationship))
        })
        .await
}

/// Changes the child's data: the fields present in `patch` replace the stored
/// ones, and the whole record is checked again.
pub async fn update(
    state: &crate::AppState,
    caller: AuthUser,
    id: i64,
    patch: serde_json::Map<String, serde_json::Value>,
) -> ApiResult<Child> {
    let cipher = state.cipher.clone();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let row = scope::held_child(conn, &caller, ChildId(id))?;
                row.processable()?;
                let certificate = certificates::repo::of_child(conn, row.id)?;
                if !editable(certificate.as_ref()) {
                    return Err(ApiError::Conflict {
                        code: ErrorCode::ChildLocked,
                        detail: "Сертификат активирован: изменить данные ребёнка может только специалист пункта \
                                 активации по вашему заявлению"
                            .into(),
                    });
                }
                let current = to_dto(&cipher, &row, None, false)?;
                let input = merge(&current, patch)?;
                let valid = validate(conn, &input)?;
                let data = to_data(&cipher, &valid)?;
                if let Err(Duplicate) = repo::update(conn, row.id, &data)? {
                    return Err(duplicate_of(conn, row.parent_id, &data, Some(row.id))?);
                }
                let row = repo::find(conn, row.id)?.ok_or(ApiError::NotFound { detail: NOT_FOUND })?;
                to_dto(&cipher, &row, certificate.as_ref(), false)
            })
        })
        .await
}

/// The stored record with the fields of `patch` laid over it.
pub fn merge(current: &Child, patch: serde_json::Map<String, serde_json::Value>) -> ApiResult<ChildInput> {
    let mut base = serde_json::to_value(ChildInput {
        last_name: current.last_name.clone(),
        first_name: current.first_name.clone(),
        middle_name: current.middle_name.clone(),
        birth_date: Some(current.birth_date),
        sex: Some(current.sex),
        document_type: Some(current.document_type),
        document_series: current.document_series.clone(),
        document_number: current.document_number.clone(),
        document_issued_at: Some(current.document_issued_at),
        snils: current.snils.clone(),
        address: current.address.clone(),
        municipality_id: current.municipality_id,
    })
    .map_err(anyhow::Error::from)?;
    if let Some(fields) = base.as_object_mut() {
        for (key, value) in patch {
            if fields.contains_key(&key) {
                fields.insert(key, value);
            }
        }
    }
    serde_json::from_value(base).map_err(|e| ApiError::BadRequest(format!("Некорректные данные: {e}")))
}
