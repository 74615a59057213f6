//! What a family is told about its child: each member of the family (the
//! account holding the child and its guardians) gets the message. About an
//! application, from its id alone: one query finds the child, the program
//! and the organization's contacts.

use diesel::prelude::*;

use super::templates::{self, Contacts};
use super::{Recipient, inform};
use crate::Links;
use crate::db::DbConn;
use crate::db::schema::{applications as a, children as ch, organizations as o, programs as p};
use crate::error::ApiResult;
use navigator_shared::ids::{ApplicationId, ChildId};

/// The child, its first name, the program and the organization of an application.
type Addressed = (ChildId, String, String, (String, String, String, String));

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
        .inner_join(ch::table)
        .inner_join(p::table)
        .inner_join(o::table)
        .select((ch::id, ch::first_name, p::title, (o::name, o::address, o::phone, o::email)))
        .first(conn)
        .optional()?;
    let Some((child_id, child, program, (name, org_address, phone, email))) = found else {
        return Ok(());
    };
    let contacts = Contacts { organization: &name, address: &org_address, phone: &phone, email: &email };
    let page = links.page("/applications");
    inform_family(conn, child_id, |greeting| {
        templates::application_changed(greeting, &child, &program, status, what, &contacts, &page)
    })?;
    Ok(())
}

/// Tells every member of the child's family (the account holding it and its
/// guardians) the message `email` makes for each one's greeting name.
pub fn inform_family(conn: &mut DbConn, child: ChildId, email: impl Fn(&str) -> super::Email) -> QueryResult<()> {
    for member in crate::accounts::repo::family_of(conn, child)? {
        let to = Recipient { user_id: member.id, address: &member.email, confirmed: member.confirmed() };
        inform(conn, to, email(&member.greeting_name()))?;
    }
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
