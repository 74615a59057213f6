//! The catalog part of the client: public search, map and cards, the
//! organization's cabinet, moderation and the organizations registry.

use gloo_net::http::Method;
use navigator_shared::Problem;
use navigator_shared::accounts::{
    AccountCreated, AccountSwitch, InviteRequest, StaffAccount, StaffAssignment, StaffInvite,
};
use navigator_shared::applications::{Continuation, ContinuationInput};
use navigator_shared::catalog::{
    CatalogPage, CatalogQuery, Group, GroupInput, MapPage, MapQuery, Module, ModuleInput, ProgramCard, ProgramInput,
    ProgramsListQuery, PublishRequest, ReturnRequest,
};
use navigator_shared::organizations::{OrganizationCard, OrganizationInput, OrganizationRecord, OrganizationsQuery};
use navigator_shared::reference::Page;

use super::{Session, json, send, send_authed, with_query};

// ---- public ---------------------------------------------------------------------

/// A page of the catalog with its facets.
pub async fn programs(query: &CatalogQuery) -> Result<CatalogPage, Problem> {
    send(Method::GET, &with_query("/programs", query)?, None).await
}

/// Markers in the box; `query` holds the filters, `bbox` and `zoom`.
pub async fn programs_map(query: &MapQuery) -> Result<MapPage, Problem> {
    send(Method::GET, &with_query("/programs/map", query)?, None).await
}

pub async fn program(id: i64) -> Result<ProgramCard, Problem> {
    send(Method::GET, &format!("/programs/{id}"), None).await
}

pub async fn organization(id: i64) -> Result<OrganizationCard, Problem> {
    send(Method::GET, &format!("/organizations/{id}"), None).await
}

// ---- the organization's cabinet ------------------------------------------------------

/// The organization's programs; `query`: `status=…&page=…`.
pub async fn cabinet_programs(session: Session, query: &ProgramsListQuery) -> Result<Page<ProgramCard>, Problem> {
    send_authed(session, Method::GET, &with_query("/cabinet/programs", query)?, None).await
}

pub async fn cabinet_program(session: Session, id: i64) -> Result<ProgramCard, Problem> {
    send_authed(session, Method::GET, &format!("/cabinet/programs/{id}"), None).await
}

pub async fn create_program(session: Session, input: &ProgramInput) -> Result<ProgramCard, Problem> {
    send_authed(session, Method::POST, "/cabinet/programs", Some(json(input)?)).await
}

pub async fn update_program(session: Session, id: i64, input: &ProgramInput) -> Result<ProgramCard, Problem> {
    send_authed(session, Method::PUT, &format!("/cabinet/programs/{id}"), Some(json(input)?)).await
}

/// `submit` (to moderation) or `archive`.
pub async fn program_step(session: Session, id: i64, step: &str) -> Result<ProgramCard, Problem> {
    send_authed(session, Method::POST, &format!("/cabinet/programs/{id}/{step}"), Some("{}".to_owned())).await
}

pub async fn add_module(session: Session, program: i64, input: &ModuleInput) -> Result<Module, Problem> {
    send_authed(session, Method::POST, &format!("/cabinet/programs/{program}/modules"), Some(json(input)?)).await
}

pub async fn update_module(session: Session, id: i64, input: &ModuleInput) -> Result<Module, Problem> {
    send_authed(session, Method::PUT, &format!("/cabinet/modules/{id}"), Some(json(input)?)).await
}

pub async fn delete_module(session: Session, id: i64) -> Result<(), Problem> {
    send_authed(session, Method::DELETE, &format!("/cabinet/modules/{id}"), None).await
}

pub async fn add_group(session: Session, program: i64, input: &GroupInput) -> Result<Group, Problem> {
    send_authed(session, Method::POST, &format!("/cabinet/programs/{program}/groups"), Some(json(input)?)).await
}

pub async fn update_group(session: Session, id: i64, input: &GroupInput) -> Result<Group, Problem> {
    send_authed(session, Method::PUT, &format!("/cabinet/groups/{id}"), Some(json(input)?)).await
}

pub async fn delete_group(session: Session, id: i64) -> Result<(), Problem> {
    send_authed(session, Method::DELETE, &format!("/cabinet/groups/{id}"), None).await
}

/// The places a group holds for the children who finished a year of the
/// program (the first right to continue).
pub async fn continuation(session: Session, group: i64) -> Result<Continuation, Problem> {
    send_authed(session, Method::GET, &format!("/cabinet/groups/{group}/continuation"), None).await
}

/// Sets, moves or (without a day) takes off the day places are held until.
pub async fn set_continuation(
    session: Session,
    group: i64,
    input: &ContinuationInput,
) -> Result<Continuation, Problem> {
    send_authed(session, Method::PUT, &format!("/cabinet/groups/{group}/continuation"), Some(json(input)?)).await
}

// ---- moderation ----------------------------------------------------------------------

/// The moderation queue; `query`: `status=…&page=…`.
pub async fn moderation(session: Session, query: &ProgramsListQuery) -> Result<Page<ProgramCard>, Problem> {
    send_authed(session, Method::GET, &with_query("/moderation/programs", query)?, None).await
}

pub async fn moderation_program(session: Session, id: i64) -> Result<ProgramCard, Problem> {
    send_authed(session, Method::GET, &format!("/moderation/programs/{id}"), None).await
}

pub async fn publish(session: Session, id: i64, request: &PublishRequest) -> Result<ProgramCard, Problem> {
    send_authed(session, Method::POST, &format!("/moderation/programs/{id}/publish"), Some(json(request)?)).await
}

pub async fn return_program(session: Session, id: i64, request: &ReturnRequest) -> Result<ProgramCard, Problem> {
    send_authed(session, Method::POST, &format!("/moderation/programs/{id}/return"), Some(json(request)?)).await
}

pub async fn set_certified(session: Session, id: i64, request: &PublishRequest) -> Result<ProgramCard, Problem> {
    send_authed(session, Method::PUT, &format!("/moderation/programs/{id}/certified"), Some(json(request)?)).await
}

pub async fn moderation_archive(session: Session, id: i64) -> Result<ProgramCard, Problem> {
    send_authed(session, Method::POST, &format!("/moderation/programs/{id}/archive"), Some("{}".to_owned())).await
}

// ---- the organizations registry --------------------------------------------------------

/// The operator's organizations; `query`: `q=…&kind=…&page=…`.
pub async fn registry_organizations(
    session: Session,
    query: &OrganizationsQuery,
) -> Result<Page<OrganizationCard>, Problem> {
    send_authed(session, Method::GET, &with_query("/registry/organizations", query)?, None).await
}

pub async fn registry_organization(session: Session, id: i64) -> Result<OrganizationRecord, Problem> {
    send_authed(session, Method::GET, &format!("/registry/organizations/{id}"), None).await
}

pub async fn create_organization(session: Session, input: &OrganizationInput) -> Result<OrganizationRecord, Problem> {
    send_authed(session, Method::POST, "/registry/organizations", Some(json(input)?)).await
}

pub async fn update_organization(
    session: Session,
    id: i64,
    input: &OrganizationInput,
) -> Result<OrganizationRecord, Problem> {
    send_authed(session, Method::PUT, &format!("/registry/organizations/{id}"), Some(json(input)?)).await
}

/// A staff account for an organization (`organization_id` in the request).
/// Moves a staff member to another organization (or assigns an operator's municipality).
pub async fn assign_staff(session: Session, id: i64, request: &StaffAssignment) -> Result<StaffAccount, Problem> {
    send_authed(session, Method::PUT, &format!("/staff/{id}/assignment"), Some(json(request)?)).await
}

/// Switches a staff account off (`on == false`) or on again, with the reason.
pub async fn switch_staff(
    session: Session,
    id: i64,
    on: bool,
    request: &AccountSwitch,
) -> Result<StaffAccount, Problem> {
    let verb = if on { "enable" } else { "disable" };
    send_authed(session, Method::POST, &format!("/staff/{id}/{verb}"), Some(json(request)?)).await
}

/// The admin opens the account of an operator or an admin.
pub async fn open_staff_account(session: Session, request: &StaffInvite) -> Result<StaffAccount, Problem> {
    send_authed(session, Method::POST, "/staff", Some(json(request)?)).await
}

pub async fn invite_staff(session: Session, request: &InviteRequest) -> Result<AccountCreated, Problem> {
    send_authed(session, Method::POST, "/registry/staff", Some(json(request)?)).await
}
