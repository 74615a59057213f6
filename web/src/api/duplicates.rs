//! The operator's duplicate finder: possible duplicates of the territory and
//! «не дубликат».

use gloo_net::http::Method;
use navigator_shared::Problem;
use navigator_shared::reference::{Page, PageQuery};
use navigator_shared::registry::{DuplicatePair, NotDuplicateRequest};

use super::{Session, json, send_authed, with_query};

/// A page of possible duplicates, the strongest reasons first.
pub async fn list(session: Session, query: &PageQuery) -> Result<Page<DuplicatePair>, Problem> {
    send_authed(session, Method::GET, &with_query("/registry/duplicates", query)?, None).await
}

/// The two records are two children: the pair is not offered again.
pub async fn not_duplicate(session: Session, request: &NotDuplicateRequest) -> Result<(), Problem> {
    send_authed(session, Method::POST, "/registry/duplicates/dismissals", Some(json(request)?)).await
}
