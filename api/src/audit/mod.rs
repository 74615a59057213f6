//! The audit log of staff access to children's personal data: who, when,
//! which record, what changed and why (the law on personal data expects it);
//! and what the family's guardians did for the child, so each of them sees
//! who did what.

use diesel::prelude::*;
use navigator_shared::registry::AuditEntry;

use crate::db::DbConn;
use crate::db::schema::{audit_log, users};
use crate::notifications::now;
use navigator_shared::ids::ChildId;

/// What staff (or a guardian) did with a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    View,
    Correct,
    ConfirmData,
    ApplicationReceived,
    Activate,
    Refuse,
    Exclude,
    Print,
    /// A child added by staff on the family's behalf.
    Create,
    /// A child moved to another family account.
    Move,
    /// A staff member's municipality or organization set by his administrator.
    Assign,
    /// A lapsed or refused certificate filed again.
    Renew,
    /// The region's settings changed by the admin.
    Settings,
    /// An account switched off by its administrator.
    Disable,
    /// An account switched on again.
    Enable,
    /// A child moved to another group of the program, with the family's consent.
    Transfer,
    /// An integration client suspended, resumed, or its secret rotated.
    Integration,
    /// Two records the duplicate finder offered found to be two children.
    NotDuplicate,
    /// The family withdrew its consent to the processing of the child's data.
    WithdrawConsent,
    /// A parent or guardian applied for the child.
    Apply,
    /// A parent or guardian signed the child's contract online.
    Sign,
    /// A parent or guardian asked to end the child's studies.
    RequestLeave,
    /// The holder invited a second guardian.
    InviteGuardian,
    /// The invited adult accepted and became a guardian.
    JoinGuardian,
    /// A guardian's access ended (revoked by the holder, or left).
    EndGuardian,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::View => "view",
            Action::Correct => "correct",
            Action::ConfirmData => "confirm_data",
            Action::ApplicationReceived => "application_received",
            Action::Activate => "activate",
            Action::Refuse => "refuse",
            Action::Exclude => "exclude",
            Action::Print => "print",
            Action::Create => "create",
            Action::Move => "move",
            Action::Assign => "assign",
            Action::Renew => "renew",
            Action::Settings => "settings",
            Action::Disable => "disable",
            Action::Enable => "enable",
            Action::Transfer => "transfer",
            Action::Integration => "integration",
            Action::NotDuplicate => "not_duplicate",
            Action::WithdrawConsent => "withdraw_consent",
            Action::Apply => "apply",
            Action::Sign => "sign",
            Action::RequestLeave => "request_leave",
            Action::InviteGuardian => "invite_guardian",
            Action::JoinGuardian => "join_guardian",
            Action::EndGuardian => "end_guardian",
        }
    }
}

pub fn record(
    conn: &mut DbConn,
    actor_id: i64,
    child_id: ChildId,
    action: Action,
    changes: Option<&serde_json::Value>,
    reason: Option<&str>,
) -> QueryResult<()> {
    insert(conn, actor_id, Some(child_id), action, changes, reason)
}

/// An action on an account rather than a child's record (`changes` names the account).
pub fn record_account(
    conn: &mut DbConn,
    actor_id: i64,
    action: Action,
    changes: &serde_json::Value,
    reason: &str,
) -> QueryResult<()> {
    insert(conn, actor_id, None, action, Some(changes), Some(reason))
}

fn insert(
    conn: &mut DbConn,
    actor_id: i64,
    child_id: Option<ChildId>,
    action: Action,
    changes: Option<&serde_json::Value>,
    reason: Option<&str>,
) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::actor_id.eq(actor_id),
            audit_log::child_id.eq(child_id),
            audit_log::action.eq(action.as_str()),
            audit_log::changes.eq(changes.map(|c| c.to_string())),
            audit_log::reason.eq(reason),
            audit_log::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// The values a child's record held before and after each correction, as
/// `(field, value)`: the old names and addresses that earlier texts may hold.
pub fn recorded_values(conn: &mut DbConn, child_id: ChildId) -> QueryResult<Vec<(String, String)>> {
    let rows: Vec<Option<String>> = audit_log::table
        .filter(audit_log::child_id.eq(Some(child_id)))
        .filter(audit_log::changes.is_not_null())
        .select(audit_log::changes)
        .load(conn)?;
    let mut values = Vec::new();
    for changes in rows.into_iter().flatten() {
        let Ok(serde_json::Value::Object(fields)) = serde_json::from_str(&changes) else { continue };
        for (field, change) in fields {
            for side in ["old", "new"] {
                if let Some(value) = change.get(side).and_then(|v| v.as_str()) {
                    values.push((field.clone(), value.to_owned()));
                }
            }
        }
    }
    Ok(values)
}

/// Keeps who did what with a depersonalized child's record, without the
/// data: the changes (old and new values) go, and each of `values` (the
/// child's names, dates, numbers) in the reasons is replaced with the mark.
pub fn forget_data(conn: &mut DbConn, child_id: ChildId, values: &[String]) -> QueryResult<()> {
    use crate::db::replace;
    let of_child = audit_log::child_id.eq(Some(child_id));
    diesel::update(audit_log::table.filter(of_child)).set(audit_log::changes.eq(None::<String>)).execute(conn)?;
    for value in values {
        diesel::update(audit_log::table.filter(of_child).filter(audit_log::reason.is_not_null()))
            .set(
                audit_log::reason
                    .eq(replace(audit_log::reason.assume_not_null(), value, crate::db::DEPERSONALIZED).nullable()),
            )
            .execute(conn)?;
    }
    Ok(())
}

/// An entry as shown, with its actor's name.
#[derive(Queryable, Selectable)]
#[diesel(table_name = audit_log)]
struct Row {
    id: i64,
    #[diesel(column_name = created_at)]
    at: chrono::NaiveDateTime,
    actor_id: i64,
    #[diesel(select_expression = users::last_name)]
    last_name: String,
    #[diesel(select_expression = users::first_name)]
    first_name: String,
    action: String,
    changes: Option<String>,
    reason: Option<String>,
}

/// The trail of one child, newest first.
pub fn of_child(conn: &mut DbConn, child_id: ChildId) -> QueryResult<Vec<AuditEntry>> {
    let rows: Vec<Row> = audit_log::table
        .inner_join(users::table.on(users::id.eq(audit_log::actor_id)))
        .filter(audit_log::child_id.eq(Some(child_id)))
        .order((audit_log::created_at.desc(), audit_log::id.desc()))
        .select(Row::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(entry).collect())
}

fn entry(r: Row) -> AuditEntry {
    AuditEntry {
        id: r.id,
        at: r.at.and_utc(),
        actor_id: r.actor_id,
        actor_name: format!("{} {}", r.last_name, r.first_name),
        action: r.action,
        changes: r.changes.and_then(|c| serde_json::from_str(&c).ok()),
        reason: r.reason,
    }
}

/// A page of what the accounts `actors` did with one child, newest first,
/// with their number.
pub fn of_child_by(
    conn: &mut DbConn,
    child_id: ChildId,
    actors: &[i64],
    (page, per_page): (i64, i64),
) -> QueryResult<(Vec<AuditEntry>, i64)> {
    use crate::db::Paginate;
    let mine = || {
        audit_log::table
            .filter(audit_log::child_id.eq(Some(child_id)))
            .filter(audit_log::actor_id.eq_any(actors.to_vec()))
    };
    let total = mine().count().get_result(conn)?;
    let rows: Vec<Row> = mine()
        .inner_join(users::table.on(users::id.eq(audit_log::actor_id)))
        .order((audit_log::created_at.desc(), audit_log::id.desc()))
        .select(Row::as_select())
        .paginate(page, per_page)
        .load(conn)?;
    Ok((rows.into_iter().map(entry).collect(), total))
}
