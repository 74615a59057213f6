//! Reviews: a parent whose child finished the program writes a review (a
//! too short text is told on its field) and sees it on the card with the
//! «участник программы» badge and the new rating; the organization answers
//! it from its cabinet; the operator hides another family's review with a
//! reason, and the card's rating stops counting it.

use thirtyfour::prelude::WebDriverError;

use super::enrolment::sign_out;
use crate::harness::{Backend, Browser, Server};
use crate::{STAFF_PASSWORD, sign_in};

const PARENT_EMAIL: &str = "review.parent@example.org";
const OTHER_EMAIL: &str = "other.parent@example.org";
const CLUB_EMAIL: &str = "chess.staff@example.org";
const OPERATOR_EMAIL: &str = "reviews.operator@example.org";

fn failed(what: String) -> WebDriverError {
    WebDriverError::FatalError(what)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_family_reviews_the_organization_answers_the_operator_hides_journey() {
    let server = Server::start(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let program = server.published_program("Шахматы «Ладья»", "social_humanitarian", "Шахматы", false).await;
    server.staff_of(program, CLUB_EMAIL, STAFF_PASSWORD).await;
    server.account_with_role(OPERATOR_EMAIL, STAFF_PASSWORD, "operator").await;
    let child = server.family_without_certificate(PARENT_EMAIL, STAFF_PASSWORD, "Миша", "6700000921").await;
    server.took_part(child, program, "completed").await;
    let other = server.family_without_certificate(OTHER_EMAIL, STAFF_PASSWORD, "Гоша", "6700000922").await;
    server.took_part(other, program, "completed").await;
    let rude = server
        .review(other, program, 1, "Ужасный кружок, а педагог вообще ничего не понимает в шахматах и детях.")
        .await;
    let rude_css = format!(".review[data-review-id='{rude}']");
    let result = async {
        let b = &browser;
        // A guest reads the reviews and is told who writes them.
        b.open(&server.url(&format!("/programs/{program}"))).await?;
        b.wait_text(".program-rating", "1 отзыв").await?;
        b.click("#tab-reviews").await?;
        b.wait_for(&rude_css).await?;
        b.wait_text("#review-form-area", "Войдите").await?;

        // The parent writes: too short first, then a real review.
        sign_in(b, &server, PARENT_EMAIL, STAFF_PASSWORD).await?;
        b.open(&server.url(&format!("/programs/{program}?tab=reviews"))).await?;
        b.wait_for("#review-form").await?;
        b.click("label[for='review-stars-5']").await?;
        b.fill_css("#review-text", "Отлично!").await?;
        b.click("#review-submit").await?;
        b.wait_text("[data-error-for='text']", "Не короче").await?;
        b.fill_css(
            "#review-text",
            "Миша занимался весь год и выиграл первый турнир. Педагог терпеливый и внимательный.",
        )
        .await?;
        b.click("#review-submit").await?;
        b.wait_text(".form-success", "опубликован").await?;
        b.wait_text(".review .badge-participant", "участник программы").await?;
        b.wait_text(".review .review-text", "выиграл первый турнир").await?;
        b.wait_text(".program-rating", "3,0 из 5").await?;
        b.wait_text(".program-rating", "2 отзыва").await?;
        b.wait_text("#review-form-area .review-reason", "уже написали").await?;
        b.assert_no_horizontal_scroll().await?;
        b.assert_accessible().await?;
        let mine = b.eval("return document.querySelector('.my-review').dataset.reviewId").await?;
        let mine: i64 = mine.as_str().and_then(|v| v.parse().ok()).ok_or_else(|| failed(format!("{mine}")))?;
        sign_out(b).await?;

        // The organization answers from its cabinet.
        sign_in(b, &server, CLUB_EMAIL, STAFF_PASSWORD).await?;
        b.click("#cabinet-reviews-link").await?;
        let entry = format!(".review-entry[data-review-id='{mine}']");
        b.wait_for(&entry).await?;
        b.click("#unanswered-only").await?;
        b.wait_for(&entry).await?;
        b.fill_css(&format!("{entry} .reply-text"), "Спасибо! Ждём Мишу на весеннем турнире.").await?;
        b.click(&format!("{entry} .reply-submit")).await?;
        b.wait_text(&format!("{entry} .review-reply"), "весеннем турнире").await?;
        b.assert_no_horizontal_scroll().await?;
        sign_out(b).await?;

        // The operator hides the other family's review with a reason.
        sign_in(b, &server, OPERATOR_EMAIL, STAFF_PASSWORD).await?;
        b.open(&server.url("/moderation/reviews")).await?;
        b.click("#review-filter option[value='all']").await?;
        let rude_entry = format!(".review-entry[data-review-id='{rude}']");
        b.wait_for(&rude_entry).await?;
        b.click(&format!("{rude_entry} .hide-submit")).await?;
        b.wait_for(&format!("{rude_entry} [data-error-for='reason']")).await?;
        b.fill_css(&format!("{rude_entry} .hide-reason"), "Оскорбления в адрес педагога").await?;
        b.click(&format!("{rude_entry} .hide-submit")).await?;
        b.wait_text(&format!("{rude_entry} .review-hidden-reason"), "Оскорбления в адрес педагога").await?;
        b.assert_no_horizontal_scroll().await?;
        sign_out(b).await?;

        // The card: the answered review stays, the hidden one is gone, the rating follows.
        b.open(&server.url(&format!("/programs/{program}?tab=reviews"))).await?;
        b.wait_text(".review .review-reply", "весеннем турнире").await?;
        b.wait_text(".program-rating", "5,0 из 5").await?;
        if b.count(&rude_css).await? != 0 {
            return Err(failed("the hidden review is still shown".into()));
        }
        Ok(())
    }
    .await;
    browser.finish("reviews", result).await;
}
