//! Rules of reviews: who may write one (a family whose child took part, one
//! per child and program), the author's edit window, the organization's one
//! answer, complaints, the operator's hiding, and the program's rating kept
//! in the same transaction as every change of its published reviews.

use chrono::{NaiveDateTime, TimeDelta};
use navigator_shared::accounts::Role;
use navigator_shared::catalog::ProgramStatus;
use navigator_shared::reference::{Page, PageQuery};
use navigator_shared::reviews::{
    CabinetReviewsQuery, Complaint, EDIT_DAYS, ModerationFilter, ModerationQuery, ReasonInput, ReplyInput, Review,
    ReviewAccess, ReviewChild, ReviewEdit, ReviewEntry, ReviewInput, ReviewReply, ReviewStatus, ReviewsPage,
    author_name, editable_until,
};
use navigator_shared::{ErrorCode, FieldErrors};

use super::repo::{self, Listed, NewReview, ReviewRow, ReviewedProgram};
use crate::AppState;
use crate::auth::{AuthUser, rate_limit, scope};
use crate::db::{DbConn, write_tx};
use crate::error::{ApiError, ApiResult};
use crate::notifications::{self, now, templates};

const PROGRAM_NOT_FOUND: &str = "Программа не найдена";
const REVIEW_NOT_FOUND: &str = "Отзыв не найден";
const FAMILY: [Role; 2] = [Role::Parent, Role::Learner];
const WHO_REVIEWS: &str =
    "Отзыв можно оставить, когда ребёнок зачислен на программу, закончил обучение по ней или побывал на её мероприятии";

// ---- what readers see ---------------------------------------------------------

/// Who reads a review, and so what of it they see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reader {
    /// Families and guests: published reviews, no moderation reason.
    Public,
    /// The author, the organization and operators: the reason too.
    Involved,
}

fn to_review(listed: &Listed, reader: Reader) -> Review {
    let row = &listed.review;
    Review {
        id: row.id,
        program_id: row.program_id,
        stars: row.stars,
        text: row.body.clone(),
        author: author_name(&listed.author.0, &listed.author.1),
        participant: row.participant,
        created_at: row.created_at.and_utc(),
        edited: row.updated_at > row.created_at,
        reply: match (&row.reply, row.reply_at) {
            (Some(text), Some(at)) => {
                Some(ReviewReply { text: text.clone(), organization: listed.organization.clone(), at: at.and_utc() })
            }
            _ => None,
        },
        status: row.status,
        hidden_reason: match reader {
            Reader::Involved => row.hidden_reason.clone(),
            Reader::Public => None,
        },
    }
}

fn to_entry(listed: &Listed, complaints: Vec<Complaint>) -> ReviewEntry {
    ReviewEntry {
        review: to_review(listed, Reader::Involved),
        program_title: listed.program_title.clone(),
        organization: listed.organization.clone(),
        complaints,
        editable_until: editable_until(listed.review.created_at.and_utc()),
    }
}

/// Page and size of a list of reviews (at most 100 a page).
fn pages_of(page: Option<i64>, per_page: Option<i64>, default: i64) -> ApiResult<(i64, i64)> {
    let mut errors = FieldErrors::new();
    let pages = PageQuery::check(page, per_page, default, 100, &mut errors);
    Ok(errors.finish(|| Some(pages))?)
}

/// A published program, or 404.
fn published_program(conn: &mut DbConn, id: i64) -> ApiResult<ReviewedProgram> {
    repo::program(conn, id)?
        .filter(|p| p.status == ProgramStatus::Published)
        .ok_or(ApiError::NotFound { detail: PROGRAM_NOT_FOUND })
}

/// A page of a program's published reviews, newest first, with its rating.
pub async fn page(state: &AppState, program: i64, pages: PageQuery) -> ApiResult<ReviewsPage> {
    let (page, per_page) = pages_of(pages.page, pages.per_page, 10)?;
    state
        .db(move |conn| {
            published_program(conn, program)?;
            let (rows, total) = repo::published(conn, program, (page, per_page))?;
            let (rating, _) = repo::rating(conn, program)?;
            Ok::<_, ApiError>(ReviewsPage {
                items: rows.iter().map(|l| to_review(l, Reader::Public)).collect(),
                total,
                page,
                per_page,
                rating,
                stars: repo::stars(conn, program)?,
            })
        })
        .await
}

/// What the signed-in caller may write about a program, and what he wrote.
pub async fn access(state: &AppState, caller: AuthUser, program: i64) -> ApiResult<ReviewAccess> {
    state
        .db(move |conn| {
            published_program(conn, program)?;
            if !FAMILY.contains(&caller.role) {
                return Ok::<_, ApiError>(ReviewAccess {
                    children: Vec::new(),
                    reason: Some("Отзывы пишут родители и обучающиеся, чей ребёнок занимался по программе".into()),
                    mine: Vec::new(),
                });
            }
            let took_part = repo::participants(conn, caller.id, program)?;
            let ids: Vec<i64> = took_part.iter().map(|(id, _)| *id).collect();
            let written = repo::reviewed_children(conn, &ids, program)?;
            let children: Vec<ReviewChild> = took_part
                .into_iter()
                .map(|(child_id, first_name)| ReviewChild {
                    child_id,
                    first_name,
                    review_id: written.iter().find(|(c, _)| *c == child_id).map(|(_, r)| *r),
                })
                .collect();
            let reason = if children.is_empty() {
                Some(WHO_REVIEWS.to_owned())
            } else if children.iter().all(|c| c.review_id.is_some()) {
                Some(format!(
                    "Вы уже написали отзыв за каждого ребёнка, который занимался по программе. \
                     Его можно изменить в течение {EDIT_DAYS} дней после написания"
                ))
            } else {
                None
            };
            let mine =
                repo::of_author(conn, caller.id, program)?.iter().map(|l| to_review(l, Reader::Involved)).collect();
            Ok(ReviewAccess { children, reason, mine })
        })
        .await
}

async fn limit(state: &AppState, bucket: String, max: i32) -> ApiResult<()> {
    let window = state.config.rate_limits.window;
    match state.db(move |c| rate_limit::hit(c, &bucket, max, window)).await? {
        Ok(()) => Ok(()),
        Err(retry_after) => Err(ApiError::RateLimited { retry_after }),
    }
}

/// The review as its author sees it after a change.
fn answered(conn: &mut DbConn, id: i64) -> ApiResult<Review> {
    let listed = repo::listed(conn, id)?.ok_or(ApiError::NotFound { detail: REVIEW_NOT_FOUND })?;
    Ok(to_review(&listed, Reader::Involved))
}

/// Changes reviews of `program` and counts its rating again, in the
/// caller's transaction. The program's row is locked first (PostgreSQL;
/// SQLite has one writer), so the changes of one program's reviews are
/// counted one transaction at a time and the kept rating misses none.
fn rerated<T>(conn: &mut DbConn, program: i64, change: impl FnOnce(&mut DbConn) -> ApiResult<T>) -> ApiResult<T> {
    repo::lock_program(conn, program, now())?;
    let answer = change(conn)?;
    repo::recount(conn, program)?;
    Ok(answer)
}

/// Runs `work` (its answer and the program whose reviews it changed) in a
/// write transaction, then brings this instance's catalog in step with the
/// program (other instances poll for it).
async fn with_rating<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&mut DbConn) -> ApiResult<(T, i64)> + Send + 'static,
) -> ApiResult<T> {
    let (answer, program) = state.db(move |conn| write_tx(conn, work)).await?;
    crate::catalog::service::reindex(state, vec![program]).await?;
    Ok(answer)
}

/// A family writes a review for a child who took part in the program.
pub async fn create(state: &AppState, caller: AuthUser, program: i64, input: ReviewInput) -> ApiResult<Review> {
    caller.require(&FAMILY)?;
    let input = input.checked()?;
    limit(state, format!("reviews:account:{}", caller.id), state.config.rate_limits.reviews_per_account).await?;
    with_rating(state, move |conn| {
        let found = published_program(conn, program)?;
        let child = scope::owned_child(conn, &caller, navigator_shared::ids::ChildId(input.child_id))
            .map_err(|_| ApiError::field(ErrorCode::ValidationFailed, "child_id", "Выберите ребёнка из своей семьи"))?;
        let Some(participant) = repo::involvement(conn, child.id.get(), program)? else {
            return Err(ApiError::Forbidden { code: ErrorCode::ReviewNotParticipant, detail: WHO_REVIEWS });
        };
        let id = rerated(conn, program, |conn| {
            let new = NewReview {
                program: &found,
                child_id: child.id.get(),
                author_id: caller.id,
                stars: input.stars,
                body: &input.text,
                participant,
            };
            repo::insert(conn, &new, now())?.ok_or_else(|| ApiError::FieldConflict {
                code: ErrorCode::ReviewExists,
                detail: "Отзыв за этого ребёнка уже написан: его можно изменить".into(),
                errors: FieldErrors::one("child_id", "Отзыв за этого ребёнка уже написан"),
            })
        })?;
        Ok((answered(conn, id)?, program))
    })
    .await
}

/// The author's own review, or 404.
fn own(conn: &mut DbConn, caller: &AuthUser, id: i64) -> ApiResult<ReviewRow> {
    repo::find(conn, id)?.filter(|r| r.author_id == caller.id).ok_or(ApiError::NotFound { detail: REVIEW_NOT_FOUND })
}

fn edit_closed() -> ApiError {
    ApiError::Conflict {
        code: ErrorCode::ReviewEditClosed,
        detail: format!("Отзыв можно изменить в течение {EDIT_DAYS} дней после написания: этот срок прошёл"),
    }
}

/// The author edits a review within [`EDIT_DAYS`] days of writing it.
pub async fn edit(state: &AppState, caller: AuthUser, id: i64, input: ReviewEdit) -> ApiResult<Review> {
    let input = input.checked()?;
    with_rating(state, move |conn| {
        let row = own(conn, &caller, id)?;
        rerated(conn, row.program_id, |conn| {
            let now = now();
            let opened_since: NaiveDateTime = now - TimeDelta::days(EDIT_DAYS);
            if repo::edit(conn, id, (input.stars, &input.text), opened_since, now)? {
                Ok(())
            } else {
                Err(edit_closed())
            }
        })?;
        Ok((answered(conn, id)?, row.program_id))
    })
    .await
}

/// The author removes a review.
pub async fn delete(state: &AppState, caller: AuthUser, id: i64) -> ApiResult<()> {
    with_rating(state, move |conn| {
        let row = own(conn, &caller, id)?;
        rerated(conn, row.program_id, |conn| Ok(repo::delete(conn, id)?))?;
        Ok(((), row.program_id))
    })
    .await
}

// ---- the organization ---------------------------------------------------------

/// The organization's reviews, newest first.
pub async fn of_organization(
    state: &AppState,
    caller: AuthUser,
    query: CabinetReviewsQuery,
) -> ApiResult<Page<ReviewEntry>> {
    let (page, per_page) = pages_of(query.page, query.per_page, 20)?;
    state
        .db(move |conn| {
            let organization = scope::organization(conn, &caller)?;
            let unanswered = query.unanswered.unwrap_or(false);
            let (rows, total) = repo::of_organization(conn, organization, unanswered, (page, per_page))?;
            let items = rows.iter().map(|l| to_entry(l, Vec::new())).collect();
            Ok::<_, ApiError>(Page { items, total, page, per_page })
        })
        .await
}

/// The organization answers a review of its program, once.
pub async fn reply(state: &AppState, caller: AuthUser, id: i64, input: ReplyInput) -> ApiResult<Review> {
    let text = input.checked()?;
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let organization = scope::organization(conn, &caller)?;
                repo::find(conn, id)?
                    .filter(|r| r.organization_id == organization)
                    .ok_or(ApiError::NotFound { detail: REVIEW_NOT_FOUND })?;
                if !repo::reply(conn, id, &text, caller.id, now())? {
                    return Err(ApiError::Conflict {
                        code: ErrorCode::ReviewAnswered,
                        detail: "Организация уже ответила на этот отзыв: ответ даётся один раз".into(),
                    });
                }
                answered(conn, id)
            })
        })
        .await
}

// ---- complaints and the operator --------------------------------------------

/// Any signed-in user complains about a published review.
pub async fn complain(state: &AppState, caller: AuthUser, id: i64, input: ReasonInput) -> ApiResult<()> {
    let reason = input.checked()?;
    limit(state, format!("complaints:account:{}", caller.id), state.config.rate_limits.complaints_per_account).await?;
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let row = repo::find(conn, id)?
                    .filter(|r| r.status == ReviewStatus::Published)
                    .ok_or(ApiError::NotFound { detail: REVIEW_NOT_FOUND })?;
                if row.author_id == caller.id {
                    return Err(ApiError::Conflict {
                        code: ErrorCode::OwnReview,
                        detail: "На свой отзыв пожаловаться нельзя: его можно изменить или удалить".into(),
                    });
                }
                if !repo::complain(conn, id, caller.id, &reason, now())? {
                    return Err(ApiError::Conflict {
                        code: ErrorCode::ComplaintExists,
                        detail: "Вы уже пожаловались на этот отзыв: оператор его рассмотрит".into(),
                    });
                }
                Ok::<_, ApiError>(())
            })
        })
        .await
}

/// The reviews of the operator's municipality (the admin: the region's):
/// those with open complaints first of all.
pub async fn for_moderation(
    state: &AppState,
    caller: AuthUser,
    query: ModerationQuery,
) -> ApiResult<Page<ReviewEntry>> {
    let (page, per_page) = pages_of(query.page, query.per_page, 20)?;
    state
        .db(move |conn| {
            let territory = scope::territory(conn, &caller)?;
            let filter = query.filter.unwrap_or(ModerationFilter::Complained);
            let (rows, total) = repo::for_moderation(conn, territory.municipality(), filter, (page, per_page))?;
            let ids: Vec<i64> = rows.iter().map(|l| l.review.id).collect();
            let complaints = repo::complaints(conn, &ids)?;
            let items = rows
                .iter()
                .map(|l| {
                    let own = complaints
                        .iter()
                        .filter(|(review, ..)| *review == l.review.id)
                        .map(|(_, reason, at, resolved)| Complaint {
                            reason: reason.clone(),
                            at: at.and_utc(),
                            resolved: *resolved,
                        })
                        .collect();
                    to_entry(l, own)
                })
                .collect();
            Ok::<_, ApiError>(Page { items, total, page, per_page })
        })
        .await
}

/// A review the operator moderates, or 404 / 403 outside the territory.
fn moderated(conn: &mut DbConn, caller: &AuthUser, id: i64) -> ApiResult<ReviewRow> {
    let territory = scope::territory(conn, caller)?;
    let row = repo::find(conn, id)?.ok_or(ApiError::NotFound { detail: REVIEW_NOT_FOUND })?;
    territory.require(row.municipality_id, "Отзыв о программе другого муниципалитета")?;
    Ok(row)
}

fn unchanged(detail: &str) -> ApiError {
    ApiError::Conflict { code: ErrorCode::ReviewStatusUnchanged, detail: detail.to_owned() }
}

/// The operator hides a review with a reason its author is told; its open
/// complaints are resolved and the rating no longer counts it.
pub async fn hide(state: &AppState, caller: AuthUser, id: i64, input: ReasonInput) -> ApiResult<Review> {
    let reason = input.checked()?;
    let links = state.links();
    with_rating(state, move |conn| {
        let now = now();
        let row = moderated(conn, &caller, id)?;
        rerated(conn, row.program_id, |conn| {
            if !repo::set_hidden(conn, id, Some(&reason), caller.id, now)? {
                return Err(unchanged("Отзыв уже скрыт"));
            }
            Ok(repo::resolve_complaints(conn, id, now)?)
        })?;
        let listed = repo::listed(conn, id)?.ok_or(ApiError::NotFound { detail: REVIEW_NOT_FOUND })?;
        if let Some(author) = crate::accounts::repo::find(conn, row.author_id)? {
            let link = links.page(&format!("/programs/{}?tab=reviews", row.program_id));
            let email = templates::review_hidden(&author.first_name, &listed.program_title, &reason, &link);
            notifications::inform(conn, crate::accounts::service::recipient(&author), email)?;
        }
        Ok((to_review(&listed, Reader::Involved), row.program_id))
    })
    .await
}

/// The operator shows a hidden review again.
pub async fn restore(state: &AppState, caller: AuthUser, id: i64) -> ApiResult<Review> {
    with_rating(state, move |conn| {
        let row = moderated(conn, &caller, id)?;
        rerated(conn, row.program_id, |conn| {
            if repo::set_hidden(conn, id, None, caller.id, now())? {
                Ok(())
            } else {
                Err(unchanged("Отзыв и так опубликован"))
            }
        })?;
        Ok((answered(conn, id)?, row.program_id))
    })
    .await
}

/// The operator finds the complaints unfounded: they are resolved, the review stays.
pub async fn dismiss(state: &AppState, caller: AuthUser, id: i64) -> ApiResult<()> {
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                moderated(conn, &caller, id)?;
                if repo::resolve_complaints(conn, id, now())? == 0 {
                    return Err(unchanged("Открытых жалоб на отзыв нет"));
                }
                Ok::<_, ApiError>(())
            })
        })
        .await
}
