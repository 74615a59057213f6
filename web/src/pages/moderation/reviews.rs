//! `/moderation/reviews`: the operator's reviews of the municipality — with
//! open complaints, hidden, or all. A review that breaks the rules is
//! hidden with a reason its author sees; unfounded complaints are
//! dismissed; a hidden review may be published again.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use navigator_shared::reviews::{ModerationFilter, ModerationQuery, ReasonInput, Review, ReviewEntry, ReviewStatus};

use crate::api::{reviews, use_session};
use crate::components::{FormError, FormStatus, Notice, ReviewBody, TextArea, hidden_reason};
use crate::dates;
use crate::pages::cabinet::widgets::{FilterSelect, LIST_PER_PAGE, code_options, paged_list};

/// `/moderation/reviews`.
#[component]
pub fn ModerationReviews() -> impl IntoView {
    let session = use_session();
    let filter = RwSignal::new(ModerationFilter::Complained.as_str().to_owned());
    let page = RwSignal::new(1_i64);
    let list = LocalResource::new(move || {
        let query = ModerationQuery {
            filter: ModerationFilter::parse(&filter.get()),
            page: Some(page.get()),
            per_page: Some(LIST_PER_PAGE),
        };
        async move { reviews::moderation(session, &query).await }
    });
    // What the last decision did: the list is fetched again, and the review may leave it.
    let notice = RwSignal::new(None::<&'static str>);
    let decided = Callback::new(move |message: &'static str| {
        notice.set(Some(message));
        list.refetch();
    });
    let filters = code_options(ModerationFilter::ALL, ModerationFilter::as_str, ModerationFilter::title);
    let results = move || {
        paged_list(
            list.get(),
            page,
            ("Отзывов", "review-list"),
            move || {
                let text = match ModerationFilter::parse(&filter.get_untracked()) {
                    Some(ModerationFilter::Complained) => "Открытых жалоб нет.",
                    Some(ModerationFilter::Hidden) => "Скрытых отзывов нет.",
                    _ => "Отзывов пока нет.",
                };
                view! { <p class="empty-state reviews-empty">{text}</p> }.into_any()
            },
            move |entry| view! { <ModerationEntry entry=entry decided=decided /> }.into_any(),
        )
    };
    view! {
        <div class="page page-wide">
            <p class="back-link">
                <a href="/moderation">"← К модерации программ"</a>
            </p>
            <h1>"Отзывы и жалобы"</h1>
            <p class="hint">
                "Скрывайте отзывы с оскорблениями, рекламой, личными данными или не о программе: автор увидит причину. \
                 Несогласие с оценкой — не повод скрывать отзыв."
            </p>
            <section class="card filters">
                <FilterSelect
                    name="review-filter"
                    label="Показать"
                    value=filter
                    options=filters
                    on_change=Callback::new(move |()| {
                        notice.set(None);
                        page.set(1);
                    })
                />
            </section>
            {move || notice.get().map(|message| view! { <Notice><p class="moderation-outcome">{message}</p></Notice> })}
            {results}
        </div>
    }
}

/// `article.review-entry`: the review, its program and organization, the
/// open complaints and the decisions its status allows.
#[component]
fn ModerationEntry(entry: ReviewEntry, decided: Callback<&'static str>) -> impl IntoView {
    let session = use_session();
    let review = entry.review;
    let id = review.id;
    let program = review.program_id;
    let status = FormStatus::new();
    let dismiss = status.action(
        move |()| async move { reviews::dismiss(session, id).await },
        move |()| decided.run("Жалобы отклонены: отзыв остаётся опубликованным."),
    );
    let restore = status.action(
        move |()| async move { reviews::restore(session, id).await },
        move |_: Review| decided.run("Отзыв снова опубликован."),
    );
    let busy = {
        let (dismissing, restoring) = (dismiss.pending(), restore.pending());
        move || dismissing.get() || restoring.get()
    };
    let open: Vec<_> = entry.complaints.into_iter().filter(|c| !c.resolved).collect();
    let complained = !open.is_empty();
    let complaints = complained.then(|| {
        let items = open
            .into_iter()
            .map(|c| {
                view! {
                    <li class="complaint">
                        <p class="complaint-text">{c.reason}</p>
                        <p class="complaint-date muted">{dates::moment(c.at)}</p>
                    </li>
                }
            })
            .collect_view();
        view! {
            <h3 class="complaints-title">"Жалобы"</h3>
            <ul class="complaints">{items}</ul>
        }
    });
    let state = review.status;
    let hidden = hidden_reason(&review);
    let decisions = match state {
        ReviewStatus::Published => view! {
            <HideForm id=id decided=decided />
            {complained
                .then(|| {
                    view! {
                        <div class="actions">
                            <button
                                type="button"
                                class="button button-secondary dismiss-complaints"
                                disabled=busy
                                on:click=move |_| {
                                    status.clear();
                                    dismiss.dispatch_local(());
                                }
                            >
                                "Жалобы необоснованны"
                            </button>
                        </div>
                    }
                })}
        }
        .into_any(),
        ReviewStatus::Hidden => view! {
            <div class="actions">
                <button
                    type="button"
                    class="button button-secondary restore-review"
                    disabled=busy
                    on:click=move |_| {
                        status.clear();
                        restore.dispatch_local(());
                    }
                >
                    "Опубликовать снова"
                </button>
            </div>
        }
        .into_any(),
    };
    view! {
        <article class="review-entry list-item" data-review-id=id.to_string()>
            <h2 class="item-title">
                <a href=format!("/programs/{program}?tab=reviews")>{entry.program_title}</a>
            </h2>
            <p class="item-meta">
                <span class="item-organization">{entry.organization}</span>
                <span class=format!("review-status status-{}", state.as_str())>{state.title()}</span>
            </p>
            <ReviewBody review=review />
            {hidden}
            {complaints}
            <FormError status=status />
            {decisions}
        </article>
    }
}

/// «Скрыть отзыв» with the reason the author will see.
#[component]
fn HideForm(id: i64, decided: Callback<&'static str>) -> impl IntoView {
    let session = use_session();
    let reason = RwSignal::new(String::new());
    let status = FormStatus::new();
    let hide = status.action(
        move |input: ReasonInput| async move { reviews::hide(session, id, &input).await },
        move |_: Review| decided.run("Отзыв скрыт: автор получит причину, рейтинг программы пересчитан."),
    );
    let pending = hide.pending();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        status.submit(hide, ReasonInput { reason: reason.get_untracked() }, ReasonInput::checked);
    };
    view! {
        <form class="form hide-form" novalidate=true on:submit=on_submit>
            <FormError status=status />
            <TextArea
                id=format!("hide-reason-{id}")
                name="reason"
                class="hide-reason"
                label="Причина скрытия"
                value=reason
                errors=status.errors
                hint="Её увидит автор отзыва. От 5 до 500 символов."
                rows=2
            />
            <button type="submit" class="button hide-submit" disabled=move || pending.get()>
                {move || if pending.get() { "Скрываем…" } else { "Скрыть отзыв" }}
            </button>
        </form>
    }
}
