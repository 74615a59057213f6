//! What a family is told about its child's application, from the
//! application's id alone: one query finds the parent, the child, the program
//! and the organization's contacts.

use diesel::prelude::*;

use super::templates::{self, Contacts};
use super::{Recipient, inform};
use crate::Links;
use crate::db::DbConn;
use crate::db::schema::{applications as a, children as ch, organizations as o, programs as p, users as u};
use crate::error::ApiResult;
use navigator_shared::ids::ApplicationId;

/// The parent, the child's first name, the program and the organization of an application.
type Addressed = (
    (i64, String, Option<chrono::NaiveDateTime>, String, Option<String>),
    String,
    String,
    (String, String, String, String),
);

/// Tells the family that its application is now `status`: `what` says what
/// it means for them. Nothing is sent for an application that is gone.
pub fn application_changed(
    conn: &mut DbConn,
    links: &Links,
    application: ApplicationId,
    status: &str,
    what: &str,
) -> ApiResult<()> {
    let found: Option<Addressed> = a::table
        .find(application)
        .inner_join(ch::table.inner_join(u::table))
        .inner_join(p::table)
        .inner_join(o::table)
        .select((
            (u::id, u::email, u::email_confirmed_at, u::first_name, u::middle_name),
            ch::first_name,
            p::title,
            (o::name, o::address, o::phone, o::email),
        ))
        .first(conn)
        .optional()?;
    let Some(((user, address, confirmed, first, middle), child, program, (name, org_address, phone, email))) = found
    else {
        return Ok(());
    };
    let greeting = navigator_shared::validate::greeting_name(&first, middle.as_deref());
    let contacts = Contacts { organization: &name, address: &org_address, phone: &phone, email: &email };
    let message = templates::application_changed(
        &greeting,
        &child,
        &program,
        status,
        what,
        &contacts,
        &links.page("/applications"),
    );
    inform(conn, Recipient { user_id: user, address: &address, confirmed: confirmed.is_some() }, message)?;
    Ok(())
}

/// Tells the family whose waiting application took a place that came free.
pub fn promoted(conn: &mut DbConn, links: &Links, application: ApplicationId) -> ApiResult<()> {
    application_changed(
        conn,
        links,
        application,
        "место освободилось",
        "В группе освободилось место: заявка передана организации на рассмотрение.",
    )
}
