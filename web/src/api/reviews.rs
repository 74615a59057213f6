//! Reviews of programs: the public list with the rating, what the signed-in
//! caller may write, the author's own reviews, complaints, the
//! organization's answers and the operator's moderation.

use gloo_net::http::Method;
use navigator_shared::Problem;
use navigator_shared::reference::{Page, PageQuery};
use navigator_shared::reviews::{
    CabinetReviewsQuery, ModerationQuery, ReasonInput, ReplyInput, Review, ReviewAccess, ReviewEdit, ReviewEntry,
    ReviewInput, ReviewsPage,
};

use super::{Session, json, send, send_authed, with_query};

/// Reviews on a page of the program card (the API's default too).
pub const PER_PAGE: i64 = 10;

// ---- public -----------------------------------------------------------------------

/// A page of the program's published reviews, newest first, with the rating.
pub async fn program_reviews(program: i64, page: i64) -> Result<ReviewsPage, Problem> {
    let query = PageQuery { page: Some(page), per_page: Some(PER_PAGE) };
    send(Method::GET, &with_query(&format!("/programs/{program}/reviews"), &query)?, None).await
}

// ---- the family --------------------------------------------------------------------

/// Which children the caller may write for, why not, and the caller's own reviews.
pub async fn access(session: Session, program: i64) -> Result<ReviewAccess, Problem> {
    send_authed(session, Method::GET, &format!("/programs/{program}/review-access"), None).await
}

pub async fn create(session: Session, program: i64, input: &ReviewInput) -> Result<Review, Problem> {
    send_authed(session, Method::POST, &format!("/programs/{program}/reviews"), Some(json(input)?)).await
}

/// The author's change, within [`navigator_shared::reviews::EDIT_DAYS`] days of writing.
pub async fn edit(session: Session, id: i64, input: &ReviewEdit) -> Result<Review, Problem> {
    send_authed(session, Method::PATCH, &format!("/reviews/{id}"), Some(json(input)?)).await
}

pub async fn delete(session: Session, id: i64) -> Result<(), Problem> {
    send_authed(session, Method::DELETE, &format!("/reviews/{id}"), None).await
}

/// A complaint about someone else's review; it goes to the operator.
pub async fn complain(session: Session, id: i64, input: &ReasonInput) -> Result<(), Problem> {
    send_authed(session, Method::POST, &format!("/reviews/{id}/complaints"), Some(json(input)?)).await
}

// ---- the organization ---------------------------------------------------------------

/// The organization's reviews, newest first; `unanswered` leaves out those it answered.
pub async fn cabinet(session: Session, query: &CabinetReviewsQuery) -> Result<Page<ReviewEntry>, Problem> {
    send_authed(session, Method::GET, &with_query("/cabinet/reviews", query)?, None).await
}

/// The organization's one answer to a review.
pub async fn reply(session: Session, id: i64, input: &ReplyInput) -> Result<Review, Problem> {
    send_authed(session, Method::POST, &format!("/reviews/{id}/reply"), Some(json(input)?)).await
}

// ---- moderation ---------------------------------------------------------------------

/// The reviews of the operator's municipality by `filter`, newest first.
pub async fn moderation(session: Session, query: &ModerationQuery) -> Result<Page<ReviewEntry>, Problem> {
    send_authed(session, Method::GET, &with_query("/moderation/reviews", query)?, None).await
}

/// Hides a review; the author is told `input.reason`.
pub async fn hide(session: Session, id: i64, input: &ReasonInput) -> Result<Review, Problem> {
    send_authed(session, Method::POST, &format!("/reviews/{id}/hide"), Some(json(input)?)).await
}

/// Publishes a hidden review again.
pub async fn restore(session: Session, id: i64) -> Result<Review, Problem> {
    send_authed(session, Method::POST, &format!("/reviews/{id}/restore"), Some("{}".to_owned())).await
}

/// The open complaints are unfounded: the review stays published.
pub async fn dismiss(session: Session, id: i64) -> Result<(), Problem> {
    send_authed(session, Method::POST, &format!("/reviews/{id}/complaints/dismiss"), Some("{}".to_owned())).await
}
