//! The «Отзывы» tab of the program card: the rating with how many gave each
//! number of stars, the published reviews page by page, the form a family
//! whose child took part writes with, the caller's own reviews (changed
//! within [`EDIT_DAYS`] days, removed, or hidden by the operator with the
//! reason) and complaints about the others'.

use chrono::Utc;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use navigator_shared::Problem;
use navigator_shared::reviews::{
    EDIT_DAYS, ReasonInput, Review, ReviewChild, ReviewEdit, ReviewInput, ReviewsPage, TEXT_MAX, editable_until,
};
use wasm_bindgen::JsCast;

use super::item::{Loading, plural, rating_text, reviews_count};
use crate::api::{reviews, use_session};
use crate::components::review::STARS;
use crate::components::{
    FieldErrorFor, FormError, FormStatus, Notice, Pager, ReviewBody, StarsField, TextArea, Turn, hidden_reason,
};
use crate::dates;

/// What the text of a review may be, and how it is signed.
const TEXT_HINT: &str = "От 20 до 2000 символов, без ссылок. Под отзывом будут ваше имя и первая буква фамилии; \
                         имя ребёнка не показывается.";

/// What the signed-in caller may write: the API's reason why not, or the
/// children a review may still be written for.
type Writable = Result<(Option<String>, Vec<ReviewChild>), Problem>;

/// The panel of the tab, loaded the first time the tab is opened.
#[component]
pub fn ReviewsPanel(
    program_id: i64,
    /// The program's rating and count of reviews, as the card's head shows them.
    rated: RwSignal<(Option<f64>, i64)>,
) -> impl IntoView {
    let session = use_session();
    let page = RwSignal::new(1_i64);
    let list = LocalResource::new(move || reviews::program_reviews(program_id, page.get()));
    Effect::new(move |_| {
        if let Some(Ok(found)) = list.get() {
            rated.set((found.rating, found.total));
        }
    });
    let access = LocalResource::new(move || {
        let signed_in = session.signed_in();
        async move { if signed_in { Some(reviews::access(session, program_id).await) } else { None } }
    });
    // The memos keep the forms from being drawn anew when a refetch brings the same.
    let writable = Memo::new(move |_| match access.get() {
        Some(Some(answer)) => Some(answer.map(|a| {
            let open = a.children.into_iter().filter(|c| c.review_id.is_none()).collect::<Vec<_>>();
            (a.reason, open)
        })),
        _ => None::<Writable>,
    });
    let mine = Memo::new(move |_| match access.get() {
        Some(Some(Ok(a))) => a.mine,
        _ => Vec::new(),
    });
    // `None` until the caller's own reviews are known: no complaint buttons on them.
    let mine_ids = Memo::new(move |_| match access.get() {
        Some(Some(Ok(a))) => Some(a.mine.iter().map(|r| r.id).collect::<Vec<_>>()),
        Some(Some(Err(_))) => Some(Vec::new()),
        _ => None,
    });
    let changed = Callback::new(move |()| {
        list.refetch();
        access.refetch();
    });
    let posted = RwSignal::new(false);
    let notice = RwSignal::new(None::<&'static str>);

    let summary = move || list.get().and_then(Result::ok).map(|found| summary(&found));
    let write = move || {
        if !session.restored() {
            return ().into_any();
        }
        if !session.signed_in() {
            return view! {
                <p class="review-guest">
                    "Отзывы пишут семьи, чей ребёнок занимался по программе. "
                    <a class="review-login" href="/login">
                        "Войдите"
                    </a>
                    ", чтобы оставить отзыв."
                </p>
            }
            .into_any();
        }
        match writable.get() {
            None => view! { <Loading /> }.into_any(),
            Some(Err(problem)) => view! { <p class="form-error" role="alert">{problem.detail}</p> }.into_any(),
            Some(Ok((Some(reason), _))) => view! { <p class="review-reason">{reason}</p> }.into_any(),
            Some(Ok((None, children))) if children.is_empty() => ().into_any(),
            Some(Ok((None, children))) => view! {
                <ReviewForm
                    program_id=program_id
                    children=children
                    on_submit=move || {
                        posted.set(false);
                        notice.set(None);
                    }
                    posted=Callback::new(move |()| {
                        posted.set(true);
                        changed.run(());
                    })
                />
            }
            .into_any(),
        }
    };
    let own = move || {
        let list = mine.get();
        (!list.is_empty()).then(|| {
            let items = list
                .into_iter()
                .map(|review| {
                    view! {
                        <MyReview
                            review=review
                            changed=Callback::new(move |message: &'static str| {
                                posted.set(false);
                                notice.set(Some(message));
                                changed.run(());
                            })
                        />
                    }
                })
                .collect_view();
            view! {
                <section class="my-reviews" aria-labelledby="my-reviews-title">
                    <h3 id="my-reviews-title">"Ваши отзывы"</h3>
                    {items}
                </section>
            }
        })
    };
    let published = move || match list.get() {
        None => view! { <Loading text="Загружаем отзывы…" /> }.into_any(),
        Some(Err(problem)) => view! {
            <div class="form-error" role="alert">
                <p>{problem.detail}</p>
                <button type="button" class="button button-secondary" on:click=move |_| list.refetch()>
                    "Повторить"
                </button>
            </div>
        }
        .into_any(),
        Some(Ok(found)) if found.items.is_empty() => {
            view! { <p class="reviews-empty">"Отзывов пока нет"</p> }.into_any()
        }
        Some(Ok(ReviewsPage { items, total, page: current, per_page, .. })) => {
            let items =
                items.into_iter().map(|review| view! { <ListedReview review=review mine=mine_ids /> }).collect_view();
            view! {
                <div class="review-list">{items}</div>
                <Pager current=current total=total per_page=per_page turn=Turn::Signal(page) />
            }
            .into_any()
        }
    };
    view! {
        <h2>"Отзывы"</h2>
        {summary}
        <div id="review-form-area" class="review-form-area">
            {move || {
                posted
                    .get()
                    .then(|| {
                        view! {
                            <p class="form-success" role="status">
                                "Спасибо! Отзыв опубликован"
                            </p>
                        }
                    })
            }}
            {write}
        </div>
        {move || notice.get().map(|message| view! { <Notice><p class="my-reviews-notice">{message}</p></Notice> })}
        {own}
        <h3 class="reviews-list-title">"Отзывы семей"</h3>
        {published}
    }
}

/// `.reviews-summary`: «4,5 из 5», «12 отзывов» and how many gave 5 … 1 stars.
fn summary(found: &ReviewsPage) -> Option<AnyView> {
    let rating = found.rating.filter(|_| found.total > 0)?;
    let counted: i64 = found.stars.iter().sum();
    let rows = (1..=5_i64)
        .rev()
        .map(|n| {
            let count = usize::try_from(n - 1).ok().and_then(|at| found.stars.get(at)).copied().unwrap_or(0);
            let share = if counted > 0 { count * 100 / counted } else { 0 };
            view! {
                <li class="stars-row" data-stars=n.to_string()>
                    <span class="stars-row-label">{format!("{n} {}", plural(n, STARS))}</span>
                    <span class="stars-bar" aria-hidden="true">
                        <span class="stars-bar-fill" style=format!("width: {share}%")></span>
                    </span>
                    <span class="stars-row-count">
                        <span class="visually-hidden">" — "</span>
                        {count.to_string()}
                    </span>
                </li>
            }
        })
        .collect_view();
    Some(
        view! {
            <div class="reviews-summary">
                <p class="reviews-mean">
                    <span class="visually-hidden">"Средняя оценка "</span>
                    <span class="reviews-mean-star" aria-hidden="true">
                        "★"
                    </span>
                    " "
                    <strong class="reviews-mean-value">{format!("{} из 5", rating_text(rating))}</strong>
                </p>
                <p class="reviews-total">{reviews_count(found.total)}</p>
                <ul class="stars-breakdown" aria-label="Сколько семей поставили каждую оценку">
                    {rows}
                </ul>
            </div>
        }
        .into_any(),
    )
}

/// `<form id="review-form">`: the child, the stars and the text.
#[component]
fn ReviewForm(
    program_id: i64,
    /// The children a review may still be written for.
    children: Vec<ReviewChild>,
    /// Runs as the form is sent (the earlier notices go).
    on_submit: impl Fn() + 'static,
    posted: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let only = children.len() == 1;
    let child = RwSignal::new(children.first().filter(|_| only).map(|c| c.child_id.to_string()).unwrap_or_default());
    let stars = RwSignal::new(0_i32);
    let text = RwSignal::new(String::new());
    let status = FormStatus::new();
    let send = status.action(
        move |input: ReviewInput| async move { reviews::create(session, program_id, &input).await },
        move |_: Review| posted.run(()),
    );
    let pending = send.pending();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        on_submit();
        let child_id = child.with_untracked(|c| c.parse::<i64>().ok());
        let input = ReviewInput {
            child_id: child_id.unwrap_or_default(),
            stars: stars.get_untracked(),
            text: text.get_untracked(),
        };
        status.submit(send, input, move |input| {
            let mut errors = input.checked().err().unwrap_or_default();
            if child_id.is_none() {
                errors.add("child_id", "Выберите ребёнка");
            }
            if errors.is_empty() { Ok(()) } else { Err(errors) }
        });
    };
    let child_error = move || status.errors.with(|e| e.first("child_id").is_some());
    let options = children
        .into_iter()
        .map(|c| {
            let value = c.child_id.to_string();
            let selected = {
                let value = value.clone();
                move || child.with(|v| *v == value)
            };
            view! {
                <option value=value prop:selected=selected>
                    {c.first_name}
                </option>
            }
        })
        .collect_view();
    view! {
        <form id="review-form" class="form review-form" novalidate=true on:submit=submit>
            <h3>"Написать отзыв"</h3>
            <FormError status=status />
            <div class="field">
                <label for="review-child">
                    "Ребёнок" <span class="required" aria-hidden="true">" *"</span>
                </label>
                <p class="hint" id="review-child-hint">
                    "За каждого ребёнка, который занимался по программе, — один отзыв"
                </p>
                <select
                    id="review-child"
                    name="child_id"
                    aria-required="true"
                    aria-invalid=move || child_error().then_some("true")
                    aria-describedby=move || {
                        if child_error() { "review-child-hint review-child-error" } else { "review-child-hint" }
                    }
                    on:change=move |ev| child.set(event_target_value(&ev))
                >
                    {(!only)
                        .then(|| {
                            view! {
                                <option value="" prop:selected=move || child.with(String::is_empty)>
                                    "Выберите ребёнка"
                                </option>
                            }
                        })}
                    {options}
                </select>
                <FieldErrorFor id="review-child".to_owned() name="child_id" errors=status.errors />
            </div>
            <StarsField id="review-stars".to_owned() stars=stars errors=status.errors />
            <TextArea
                id="review-text".to_owned()
                name="text"
                class="review-input"
                label="Ваш отзыв"
                value=text
                errors=status.errors
                hint=TEXT_HINT
                counter=TEXT_MAX
                rows=6
            />
            <button id="review-submit" type="submit" class="button" disabled=move || pending.get()>
                {move || if pending.get() { "Публикуем…" } else { "Опубликовать отзыв" }}
            </button>
        </form>
    }
}

/// A published review of the list; a signed-in reader may complain about
/// someone else's.
#[component]
fn ListedReview(review: Review, mine: Memo<Option<Vec<i64>>>) -> impl IntoView {
    let session = use_session();
    let id = review.id;
    let others = move || session.signed_in() && mine.with(|m| m.as_ref().is_some_and(|m| !m.contains(&id)));
    view! {
        <article class="review" data-review-id=id.to_string()>
            <ReviewBody review=review />
            <Show when=others>
                <ComplaintForm id=id />
            </Show>
        </article>
    }
}

/// Moves the keyboard focus to the element `id` once it is drawn.
fn focus_later(id: String) {
    request_animation_frame(move || {
        if let Some(element) = document().get_element_by_id(&id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    });
}

/// «Пожаловаться»: the reason goes to the operator of the program's municipality.
#[component]
fn ComplaintForm(id: i64) -> impl IntoView {
    let session = use_session();
    let open = RwSignal::new(false);
    let sent = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let status = FormStatus::new();
    let send = status.action(
        move |input: ReasonInput| async move { reviews::complain(session, id, &input).await },
        move |()| {
            sent.set(true);
            open.set(false);
        },
    );
    let pending = send.pending();
    let field = format!("complaint-{id}");
    let button = format!("complain-{id}");
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        status.submit(send, ReasonInput { reason: reason.get_untracked() }, ReasonInput::checked);
    };
    move || {
        if sent.get() {
            return view! {
                <p class="complaint-sent" role="status">
                    "Жалоба отправлена оператору"
                </p>
            }
            .into_any();
        }
        if !open.get() {
            let field = field.clone();
            return view! {
                <p class="review-actions">
                    <button
                        type="button"
                        id=button.clone()
                        class="button button-secondary review-complain"
                        on:click=move |_| {
                            open.set(true);
                            focus_later(field.clone());
                        }
                    >
                        "Пожаловаться"
                    </button>
                </p>
            }
            .into_any();
        }
        let button = button.clone();
        view! {
            <form class="form complaint-form" novalidate=true on:submit=on_submit>
                <FormError status=status />
                <TextArea
                    id=field.clone()
                    name="reason"
                    class="complaint-reason"
                    label="Что не так с отзывом"
                    value=reason
                    errors=status.errors
                    hint="Например: оскорбления, реклама, отзыв не о программе. Жалобу прочитает оператор."
                    rows=3
                />
                <div class="actions">
                    <button type="submit" class="button complaint-submit" disabled=move || pending.get()>
                        {move || if pending.get() { "Отправляем…" } else { "Отправить жалобу" }}
                    </button>
                    <button
                        type="button"
                        class="button button-secondary complaint-cancel"
                        on:click=move |_| {
                            status.clear();
                            open.set(false);
                            focus_later(button.clone());
                        }
                    >
                        "Отмена"
                    </button>
                </div>
            </form>
        }
        .into_any()
    }
}

/// `article.my-review`: the caller's review with the operator's reason when
/// hidden, the change within [`EDIT_DAYS`] days and the removal.
#[component]
fn MyReview(
    review: Review,
    /// Runs with what was done after a change or a removal.
    changed: Callback<&'static str>,
) -> impl IntoView {
    let session = use_session();
    let (id, stars) = (review.id, review.stars);
    let until = editable_until(review.created_at);
    let editable = Utc::now() < until;
    let editing = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let status = FormStatus::new();
    let remove = status
        .action(move |()| async move { reviews::delete(session, id).await }, move |()| changed.run("Отзыв удалён."));
    let removing = remove.pending();
    let hidden = hidden_reason(&review);
    let edit = StoredValue::new(review.clone());
    let (edit_id, delete_id, confirm_id) =
        (format!("edit-{id}"), format!("delete-{id}"), format!("delete-{id}-confirm"));
    let controls = move || {
        if editing.get() {
            let review = edit.get_value();
            let back = edit_id.clone();
            return view! {
                <EditForm
                    review=review
                    done=Callback::new(move |()| changed.run("Изменения сохранены."))
                    cancel=Callback::new(move |()| {
                        editing.set(false);
                        focus_later(back.clone());
                    })
                />
            }
            .into_any();
        }
        if confirming.get() {
            let back = delete_id.clone();
            return view! {
                <div class="inline-action review-delete-ask">
                    <p>"Удалить отзыв? Вернуть его будет нельзя."</p>
                    <div class="actions">
                        <button
                            type="button"
                            id=confirm_id.clone()
                            class="button review-delete-confirm"
                            disabled=move || removing.get()
                            on:click=move |_| {
                                status.clear();
                                remove.dispatch_local(());
                            }
                        >
                            {move || if removing.get() { "Удаляем…" } else { "Да, удалить" }}
                        </button>
                        <button
                            type="button"
                            class="button button-secondary review-delete-cancel"
                            on:click=move |_| {
                                confirming.set(false);
                                focus_later(back.clone());
                            }
                        >
                            "Отмена"
                        </button>
                    </div>
                </div>
            }
            .into_any();
        }
        // The form opens on the stars given.
        let (edit_field, confirm_button) = (format!("edit-{id}-stars-{}", stars.clamp(1, 5)), confirm_id.clone());
        view! {
            <div class="actions review-actions">
                {editable
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                id=edit_id.clone()
                                class="button button-secondary review-edit"
                                on:click=move |_| {
                                    status.clear();
                                    editing.set(true);
                                    focus_later(edit_field.clone());
                                }
                            >
                                "Изменить"
                            </button>
                        }
                    })}
                <button
                    type="button"
                    id=delete_id.clone()
                    class="button button-secondary review-delete"
                    on:click=move |_| {
                        status.clear();
                        confirming.set(true);
                        focus_later(confirm_button.clone());
                    }
                >
                    "Удалить"
                </button>
            </div>
        }
        .into_any()
    };
    let window = if editable {
        format!("Изменить отзыв можно до {} ({EDIT_DAYS} дней после написания).", dates::day(until))
    } else {
        "Срок изменения отзыва прошёл; удалить его можно.".to_owned()
    };
    view! {
        <article class="my-review" data-review-id=id.to_string()>
            <ReviewBody review=review />
            {hidden}
            <p class="hint review-edit-window">{window}</p>
            <FormError status=status />
            {controls}
        </article>
    }
}

/// The inline change of the caller's review: the same stars and text.
#[component]
fn EditForm(review: Review, done: Callback<()>, cancel: Callback<()>) -> impl IntoView {
    let session = use_session();
    let id = review.id;
    let stars = RwSignal::new(review.stars);
    let text = RwSignal::new(review.text);
    let status = FormStatus::new();
    let save = status.action(
        move |input: ReviewEdit| async move { reviews::edit(session, id, &input).await },
        move |_: Review| done.run(()),
    );
    let pending = save.pending();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let input = ReviewEdit { stars: stars.get_untracked(), text: text.get_untracked() };
        status.submit(save, input, ReviewEdit::checked);
    };
    view! {
        <form class="form review-edit-form" novalidate=true on:submit=on_submit>
            <FormError status=status />
            <StarsField id=format!("edit-{id}-stars") stars=stars errors=status.errors />
            <TextArea
                id=format!("edit-{id}-text")
                name="text"
                class="review-input"
                label="Ваш отзыв"
                value=text
                errors=status.errors
                hint=TEXT_HINT
                counter=TEXT_MAX
                rows=6
            />
            <div class="actions">
                <button type="submit" class="button review-save" disabled=move || pending.get()>
                    {move || if pending.get() { "Сохраняем…" } else { "Сохранить" }}
                </button>
                <button type="button" class="button button-secondary review-cancel" on:click=move |_| cancel.run(())>
                    "Отмена"
                </button>
            </div>
        </form>
    }
}
