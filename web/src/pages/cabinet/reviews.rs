//! `/cabinet/reviews`: what families write about the organization's
//! programs, newest first, and the organization's one answer to each.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use navigator_shared::reviews::{CabinetReviewsQuery, ReplyInput, Review, ReviewEntry, TEXT_MAX};

use super::inbox::CabinetNav;
use super::widgets::{LIST_PER_PAGE, paged_list};
use crate::api::{reviews, use_session};
use crate::components::{FormError, FormStatus, Notice, ReviewBody, TextArea, hidden_reason};

/// `/cabinet/reviews`.
#[component]
pub fn CabinetReviews() -> impl IntoView {
    let session = use_session();
    let unanswered = RwSignal::new(false);
    let page = RwSignal::new(1_i64);
    let list = LocalResource::new(move || {
        let query = CabinetReviewsQuery {
            unanswered: unanswered.get().then_some(true),
            page: Some(page.get()),
            per_page: Some(LIST_PER_PAGE),
        };
        async move { reviews::cabinet(session, &query).await }
    });
    let results = move || {
        paged_list(
            list.get(),
            page,
            ("Отзывов", "review-list"),
            move || {
                view! {
                    <p class="empty-state reviews-empty">
                        {if unanswered.get_untracked() {
                            "Все отзывы с ответом."
                        } else {
                            "О программах организации пока не написали отзывов."
                        }}
                    </p>
                }
                .into_any()
            },
            |entry| view! { <CabinetEntry entry=entry /> }.into_any(),
        )
    };
    view! {
        <div class="page page-wide">
            <CabinetNav current="/cabinet/reviews" />
            <h1>"Отзывы о программах"</h1>
            <p class="hint">
                "Организация отвечает на отзыв один раз; ответ виден всем под отзывом в каталоге. \
                 Отзыв, нарушающий правила, можно обжаловать оператору кнопкой «Пожаловаться» в карточке программы."
            </p>
            <section class="card filters">
                <div class="field checkbox-field">
                    <label class="checkbox" for="unanswered-only">
                        <input
                            type="checkbox"
                            id="unanswered-only"
                            name="unanswered"
                            prop:checked=move || unanswered.get()
                            on:change=move |ev| {
                                unanswered.set(event_target_checked(&ev));
                                page.set(1);
                            }
                        />
                        <span>"Только без ответа"</span>
                    </label>
                </div>
            </section>
            {results}
        </div>
    }
}

/// `article.review-entry`: the review with its program and the answer or the form for it.
#[component]
fn CabinetEntry(entry: ReviewEntry) -> impl IntoView {
    let id = entry.review.id;
    let program = entry.review.program_id;
    let review = RwSignal::new(entry.review);
    let answered = RwSignal::new(false);
    let body = move || {
        let review = review.get();
        let hidden = hidden_reason(&review);
        view! {
            <ReviewBody review=review />
            {hidden}
        }
    };
    let unanswered = move || review.with(|r| r.reply.is_none());
    view! {
        <article class="review-entry list-item" data-review-id=id.to_string()>
            <h2 class="item-title">
                <a href=format!("/programs/{program}?tab=reviews")>{entry.program_title}</a>
            </h2>
            {body}
            {move || {
                answered
                    .get()
                    .then(|| {
                        view! {
                            <Notice>
                                <p class="reply-sent">"Ответ опубликован под отзывом."</p>
                            </Notice>
                        }
                    })
            }}
            <Show when=unanswered>
                <ReplyForm
                    id=id
                    done=Callback::new(move |updated: Review| {
                        review.set(updated);
                        answered.set(true);
                    })
                />
            </Show>
        </article>
    }
}

/// The organization's answer: `textarea.reply-text` and «Ответить».
#[component]
fn ReplyForm(id: i64, done: Callback<Review>) -> impl IntoView {
    let session = use_session();
    let text = RwSignal::new(String::new());
    let status = FormStatus::new();
    let send = status.action(
        move |input: ReplyInput| async move { reviews::reply(session, id, &input).await },
        move |updated: Review| done.run(updated),
    );
    let pending = send.pending();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        status.submit(send, ReplyInput { text: text.get_untracked() }, ReplyInput::checked);
    };
    view! {
        <form class="form reply-form" novalidate=true on:submit=on_submit>
            <FormError status=status />
            <TextArea
                id=format!("reply-{id}")
                name="text"
                class="reply-text"
                label="Ответ организации"
                value=text
                errors=status.errors
                hint="Ответ публикуется под отзывом от имени организации; изменить его потом нельзя. Без ссылок."
                counter=TEXT_MAX
                rows=3
            />
            <button type="submit" class="button reply-submit" disabled=move || pending.get()>
                {move || if pending.get() { "Отправляем…" } else { "Ответить" }}
            </button>
        </form>
    }
}
