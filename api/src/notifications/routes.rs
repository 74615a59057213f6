//! The account's in-app messages.

use actix_web::{HttpResponse, get, post, web};
use diesel::prelude::*;
use navigator_shared::accounts::InboxMessage;
use navigator_shared::reference::{Page, PageQuery};

use super::now;
use crate::AppState;
use crate::auth::AuthUser;
use crate::db::schema::messages::dsl as m;
use crate::error::{ApiError, ApiResult, answers};

/// The signed-in user's messages, newest first.
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = Page<InboxMessage>), answers::Unauthenticated)
)]
#[get("/me/messages")]
pub async fn list(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<Page<InboxMessage>>> {
    let (page, per_page) = query.resolve()?;
    let (items, total) = state.db(move |conn| super::inbox(conn, caller.id, page, per_page)).await?;
    Ok(web::Json(Page { items, total, page, per_page }))
}

/// Marks a message as read.
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Message id")),
    responses((status = 204), answers::NotFound)
)]
#[post("/me/messages/{id}/read")]
pub async fn mark_read(state: web::Data<AppState>, caller: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let found = state
        .db(move |conn| {
            let mine = m::messages.filter(m::id.eq(id)).filter(m::user_id.eq(caller.id));
            let exists: i64 = mine.count().get_result(conn)?;
            diesel::update(mine.filter(m::read_at.is_null())).set(m::read_at.eq(now())).execute(conn)?;
            Ok::<_, diesel::result::Error>(exists > 0)
        })
        .await?;
    if !found {
        return Err(ApiError::NotFound { detail: "Сообщение не найдено" });
    }
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list).service(mark_read);
}
