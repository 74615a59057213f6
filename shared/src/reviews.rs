//! Reviews of programs: a family whose child took part in a program rates it
//! (1–5 stars) and tells about it, once per child and program; the
//! organization answers once; the municipality's operator hides what breaks
//! the rules, with a reason the author sees. A program's rating is the mean
//! of its published reviews (see [`crate::catalog::rating_rank`] for the
//! order of `sort=rating`).

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::{FieldErrors, code_enum};

code_enum! {
    /// Whether a review is shown.
    pub enum ReviewStatus {
        Published = ("published", "Опубликован"),
        /// Hidden by the operator, with a reason the author sees.
        Hidden = ("hidden", "Скрыт оператором"),
    }
}

code_enum! {
    /// Which reviews the operator's list shows.
    pub enum ModerationFilter {
        /// Reviews with complaints not yet resolved.
        Complained = ("complained", "С жалобами"),
        Hidden = ("hidden", "Скрытые"),
        All = ("all", "Все"),
    }
}

/// The shortest review text.
pub const TEXT_MIN: usize = 20;
/// The longest review text or reply.
pub const TEXT_MAX: usize = 2000;
/// The longest reason of a complaint or of hiding.
pub const REASON_MAX: usize = 500;
/// How long after writing the author may edit a review.
pub const EDIT_DAYS: i64 = 14;

/// The moment until which a review written at `created_at` may be edited.
pub fn editable_until(created_at: DateTime<Utc>) -> DateTime<Utc> {
    created_at + TimeDelta::days(EDIT_DAYS)
}

/// Top-level domains a link in a review would most likely end with.
const DOMAINS: [&str; 14] =
    ["ru", "рф", "su", "com", "net", "org", "info", "me", "io", "biz", "online", "site", "pro", "ly"];

/// Whether `text` holds a link: a scheme, `www.`, or a word that ends in a
/// dot and a common top-level domain («vk.com», «школа.рф»). Reviews and
/// replies carry no links: they are not advertising.
pub fn contains_link(text: &str) -> bool {
    let lower = text.to_lowercase();
    if ["http://", "https://", "www.", "t.me/"].iter().any(|s| lower.contains(s)) {
        return true;
    }
    let separator = |c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '«' | '»' | '"' | '!' | '?');
    lower.split(separator).any(|word| {
        let host = word.trim_end_matches(['.', ':']).split('/').next().unwrap_or_default();
        let Some((name, _)) = host.split_once('.') else { return false };
        let domain = host.rsplit('.').next().unwrap_or_default();
        !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '-') && DOMAINS.contains(&domain)
    })
}

/// A review's or reply's text: trimmed, `min..=TEXT_MAX` characters, no
/// control characters but line breaks, no links.
fn text(raw: &str, min: usize, empty: &str) -> Result<String, String> {
    let value = raw.trim();
    let length = value.chars().count();
    if value.is_empty() {
        return Err(empty.to_owned());
    }
    if length < min {
        return Err(format!("Не короче {min} символов: расскажите подробнее"));
    }
    if length > TEXT_MAX {
        return Err(format!("Не более {TEXT_MAX} символов (сейчас {length})"));
    }
    if value.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err("Недопустимые символы".into());
    }
    if contains_link(value) {
        return Err("Уберите ссылки: в отзывах их не публикуют".into());
    }
    Ok(value.to_owned())
}

fn stars(value: i32) -> Result<i32, String> {
    if (1..=5).contains(&value) {
        Ok(value)
    } else {
        Err("Поставьте оценку от 1 до 5 звёзд".into())
    }
}

/// `POST /programs/{id}/reviews`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewInput {
    /// The child who took part: one review per child and program.
    pub child_id: i64,
    /// 1–5.
    pub stars: i32,
    /// 20–2000 characters, without links.
    pub text: String,
}

impl ReviewInput {
    pub fn checked(&self) -> Result<ReviewInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let stars = errors.check("stars", stars(self.stars));
        let text = errors.check("text", text(&self.text, TEXT_MIN, "Напишите отзыв"));
        errors.finish(|| Some(ReviewInput { child_id: self.child_id, stars: stars?, text: text? }))
    }
}

/// `PATCH /reviews/{id}`: the author's edit, within [`EDIT_DAYS`] days.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewEdit {
    pub stars: i32,
    pub text: String,
}

impl ReviewEdit {
    pub fn checked(&self) -> Result<ReviewEdit, FieldErrors> {
        let mut errors = FieldErrors::new();
        let stars = errors.check("stars", stars(self.stars));
        let text = errors.check("text", text(&self.text, TEXT_MIN, "Напишите отзыв"));
        errors.finish(|| Some(ReviewEdit { stars: stars?, text: text? }))
    }
}

/// `POST /reviews/{id}/reply`: the organization's one answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReplyInput {
    pub text: String,
}

impl ReplyInput {
    pub fn checked(&self) -> Result<String, FieldErrors> {
        let mut errors = FieldErrors::new();
        let text = errors.check("text", text(&self.text, 2, "Напишите ответ"));
        errors.finish(|| text)
    }
}

/// A complaint about a review, or the operator's reason for hiding it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReasonInput {
    /// 5–500 characters.
    pub reason: String,
}

impl ReasonInput {
    pub fn checked(&self) -> Result<String, FieldErrors> {
        let mut errors = FieldErrors::new();
        let value = self.reason.trim();
        let length = value.chars().count();
        if value.is_empty() {
            errors.add("reason", "Укажите причину");
        } else if length < 5 {
            errors.add("reason", "Не короче 5 символов");
        } else if length > REASON_MAX {
            errors.add("reason", format!("Не более {REASON_MAX} символов"));
        } else if value.chars().any(|c| c.is_control() && c != '\n') {
            errors.add("reason", "Недопустимые символы");
        }
        errors.finish(|| Some(value.to_owned()))
    }
}

/// The organization's answer to a review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewReply {
    pub text: String,
    /// The organization's name.
    pub organization: String,
    pub at: DateTime<Utc>,
}

/// A review as its reader may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Review {
    pub id: i64,
    pub program_id: i64,
    pub stars: i32,
    pub text: String,
    /// The author's first name and the initial of the last name («Мария И.»);
    /// the child is never named.
    pub author: String,
    /// The author's child took part in the program («участник программы»).
    pub participant: bool,
    pub created_at: DateTime<Utc>,
    /// The text or stars were changed after writing.
    pub edited: bool,
    pub reply: Option<ReviewReply>,
    pub status: ReviewStatus,
    /// Why the operator hid it: only for the author, the organization and operators.
    pub hidden_reason: Option<String>,
}

/// A page of a program's published reviews, newest first, with the rating.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewsPage {
    pub items: Vec<Review>,
    /// Published reviews on all pages.
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    /// The mean of the published reviews' stars; `null` without reviews.
    pub rating: Option<f64>,
    /// How many published reviews gave 1, 2, 3, 4 and 5 stars.
    pub stars: [i64; 5],
}

/// One child of the caller's family and whether a review may be written for him.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewChild {
    pub child_id: i64,
    pub first_name: String,
    /// The review already written for this child, if any.
    pub review_id: Option<i64>,
}

/// `GET /programs/{id}/review-access`: what the signed-in caller may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewAccess {
    /// Children who took part: each may have one review.
    pub children: Vec<ReviewChild>,
    /// Why the caller cannot write a review; `null` when a child may still get one.
    pub reason: Option<String>,
    /// The caller's own reviews of the program, published or hidden.
    pub mine: Vec<Review>,
}

/// A complaint as the operator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Complaint {
    pub reason: String,
    pub at: DateTime<Utc>,
    /// Resolved by hiding the review or dismissing the complaints.
    pub resolved: bool,
}

/// A review in the organization's or the operator's list: with its program
/// and, for operators, its complaints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewEntry {
    pub review: Review,
    pub program_title: String,
    pub organization: String,
    /// Complaints, newest first (operators only; empty for the organization).
    pub complaints: Vec<Complaint>,
    /// The review may still be edited by its author until then.
    pub editable_until: DateTime<Utc>,
}

/// `GET /moderation/reviews`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct ModerationQuery {
    /// `complained` (default), `hidden` or `all`.
    pub filter: Option<ModerationFilter>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// `GET /cabinet/reviews`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct CabinetReviewsQuery {
    /// Only the reviews without the organization's answer.
    pub unanswered: Option<bool>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// «Мария И.»: the first name and the last name's initial.
pub fn author_name(first: &str, last: &str) -> String {
    match last.trim().chars().next() {
        Some(initial) => format!("{} {}.", first.trim(), initial.to_uppercase()),
        None => first.trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_found_in_their_usual_shapes() {
        for text in [
            "Пишите https://example.org",
            "см. www.club.ru",
            "группа vk.com/club1",
            "сайт школа.рф, там всё",
            "канал t.me/kruzhok",
            "Подробнее на club-kids.ru.",
        ] {
            assert!(contains_link(text), "{text}");
        }
        for text in [
            "Ребёнок ходит с радостью. Педагог внимательный.",
            "Оценка 4.5 из 5, занятия т.е. два раза в неделю",
            "Занимаемся с 01.09.2026, всё отлично!",
        ] {
            assert!(!contains_link(text), "{text}");
        }
    }

    #[test]
    fn a_review_is_checked_field_by_field() {
        let bad = ReviewInput { child_id: 1, stars: 6, text: "коротко".into() }.checked().unwrap_err();
        assert!(bad.0.contains_key("stars") && bad.0.contains_key("text"));
        let linked = ReviewInput {
            child_id: 1, stars: 5, text: "Отличный кружок, подробности на kruzhok.ru".into()
        }
        .checked();
        assert!(linked.unwrap_err().0["text"][0].contains("ссылки"));
        let long = ReviewInput { child_id: 1, stars: 5, text: "а".repeat(TEXT_MAX + 1) }.checked().unwrap_err();
        assert!(long.0["text"][0].contains("2000"));
        let good = ReviewInput {
            child_id: 1, stars: 4, text: "  Сын ходит с удовольствием, педагог хвалит.  ".into()
        };
        assert_eq!(good.checked().unwrap().text, "Сын ходит с удовольствием, педагог хвалит.");
    }

    #[test]
    fn reasons_and_names() {
        assert!(ReasonInput { reason: "спам".into() }.checked().is_err());
        assert_eq!(ReasonInput { reason: " Оскорбления ".into() }.checked().unwrap(), "Оскорбления");
        assert_eq!(author_name("Мария", "иванова"), "Мария И.");
        assert_eq!(author_name("Мария", ""), "Мария");
    }
}
