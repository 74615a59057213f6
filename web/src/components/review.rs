//! A review as every list shows it — the stars, the author, the day, the
//! badges, the text and the organization's answer — and the fields of the
//! forms around reviews. The forms repeat on a page (one per review), so the
//! ids of their fields are given by the caller, while `name` stays the API
//! field name for the messages and the focus of [`FormStatus`](super::FormStatus).

use leptos::prelude::*;
use navigator_shared::FieldErrors;
use navigator_shared::reviews::{Review, ReviewReply, ReviewStatus};

use crate::dates;
use crate::pages::catalog::plural;

/// The Russian word after a number of stars.
pub const STARS: (&str, &str, &str) = ("звезда", "звезды", "звёзд");

/// `★★★★☆` for 4 stars of 5.
pub fn stars_line(stars: i32) -> String {
    let full = stars.clamp(0, 5).unsigned_abs() as usize;
    format!("{}{}", "★".repeat(full), "☆".repeat(5 - full))
}

/// `<span class="review-stars">`: the stars to see, «Оценка 4 из 5» to hear.
#[component]
pub fn Stars(stars: i32) -> impl IntoView {
    view! {
        <span class="review-stars" role="img" aria-label=format!("Оценка {stars} из 5")>
            {stars_line(stars)}
        </span>
    }
}

/// The head, the text and the answer of a review, inside the caller's `<article>`.
#[component]
pub fn ReviewBody(review: Review) -> impl IntoView {
    view! {
        <div class="review-head">
            <Stars stars=review.stars />
            <span class="review-author">{review.author}</span>
            <time class="review-date" datetime=review.created_at.to_rfc3339()>
                {dates::day(review.created_at)}
            </time>
            {review.participant.then(|| view! { <span class="badge badge-participant">"участник программы"</span> })}
            {review.edited.then(|| view! { <span class="review-edited">"изменён"</span> })}
        </div>
        <p class="review-text">{review.text}</p>
        {review.reply.map(|reply| view! { <ReplyView reply=reply /> })}
    }
}

/// `.review-reply`: «Ответ организации «…»», its day and text.
#[component]
fn ReplyView(reply: ReviewReply) -> impl IntoView {
    view! {
        <div class="review-reply">
            <p class="review-reply-head">
                <strong>{format!("Ответ организации «{}»", reply.organization)}</strong>
                " "
                <time class="muted" datetime=reply.at.to_rfc3339()>
                    {dates::day(reply.at)}
                </time>
            </p>
            <p class="review-reply-text">{reply.text}</p>
        </div>
    }
}

/// `.review-hidden-reason` of a review the operator hid; nothing for a published one.
pub fn hidden_reason(review: &Review) -> Option<AnyView> {
    (review.status == ReviewStatus::Hidden).then(|| {
        let reason = review.hidden_reason.clone().unwrap_or_default();
        view! { <p class="review-hidden-reason">{format!("Скрыт оператором: {reason}")}</p> }.into_any()
    })
}

/// `{id}-error`: the first message for the API field `name`, or each of them
/// on a line of its own when `all` (one message per child of a sign-up).
#[component]
pub fn FieldErrorFor(
    id: String,
    name: &'static str,
    errors: RwSignal<FieldErrors>,
    #[prop(optional)] all: bool,
) -> impl IntoView {
    let id = format!("{id}-error");
    move || {
        let messages = errors.with(|e| {
            let messages = e.0.get(name).map(Vec::as_slice).unwrap_or_default();
            if all { messages.to_vec() } else { messages.iter().take(1).cloned().collect::<Vec<_>>() }
        });
        (!messages.is_empty()).then(|| {
            let lines = if messages.len() == 1 {
                messages.into_iter().collect_view().into_any()
            } else {
                messages
                    .into_iter()
                    .map(|message| view! { <span class="field-error-line">{message}</span> })
                    .collect_view()
                    .into_any()
            };
            view! {
                <p class="field-error" data-error-for=name id=id.clone()>
                    {lines}
                </p>
            }
        })
    }
}

/// A labelled `<textarea id=id name=name class=class>` with its hint, an
/// optional «N / max» counter and the message for `name`.
#[component]
pub fn TextArea(
    id: String,
    /// The API field name.
    name: &'static str,
    class: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    errors: RwSignal<FieldErrors>,
    #[prop(optional)] hint: Option<&'static str>,
    /// The most characters the text may have: shows the live counter.
    #[prop(optional)]
    counter: Option<usize>,
    #[prop(default = 4)] rows: u8,
) -> impl IntoView {
    let has_error = move || errors.with(|e| e.first(name).is_some());
    let described = {
        let id = id.clone();
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(format!("{id}-hint"));
            }
            if counter.is_some() {
                ids.push(format!("{id}-count"));
            }
            if has_error() {
                ids.push(format!("{id}-error"));
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let count = counter.map(|max| {
        let over = move || value.with(|v| v.chars().count() > max);
        view! {
            <p class="hint text-counter" class:over=over id=format!("{id}-count")>
                {move || format!("{} / {max}", value.with(|v| v.chars().count()))}
            </p>
        }
    });
    let (label_for, area_id) = (id.clone(), id.clone());
    let hint = hint.map(|hint| view! { <p class="hint" id=format!("{id}-hint")>{hint}</p> });
    view! {
        <div class="field">
            <label for=label_for>
                {label} <span class="required" aria-hidden="true">" *"</span>
            </label>
            {hint}
            <textarea
                id=area_id
                name=name
                class=class
                rows=rows.to_string()
                aria-required="true"
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
            {count}
            <FieldErrorFor id=id name=name errors=errors />
        </div>
    }
}

/// `<fieldset id=id>` of five radio buttons `name="stars"` (`{id}-1` … `{id}-5`),
/// each with its visible label; 0 in `stars` is no choice yet.
#[component]
pub fn StarsField(id: String, stars: RwSignal<i32>, errors: RwSignal<FieldErrors>) -> impl IntoView {
    let has_error = move || errors.with(|e| e.first("stars").is_some());
    let options = (1..=5)
        .map(|n: i32| {
            let option = format!("{id}-{n}");
            let label_for = option.clone();
            view! {
                <label class="star-option" for=label_for>
                    <input
                        type="radio"
                        id=option
                        name="stars"
                        value=n.to_string()
                        prop:checked=move || stars.get() == n
                        on:change=move |_| stars.set(n)
                    />
                    <span>
                        {n.to_string()} <span class="star-sign" aria-hidden="true">" ★"</span>
                        <span class="visually-hidden">{format!(" {}", plural(i64::from(n), STARS))}</span>
                    </span>
                </label>
            }
        })
        .collect_view();
    let error_id = format!("{id}-error");
    let fieldset_id = id.clone();
    view! {
        <fieldset
            id=fieldset_id
            class="group stars-field"
            aria-describedby=move || has_error().then(|| error_id.clone())
        >
            <legend>"Оценка" <span class="required" aria-hidden="true">" *"</span></legend>
            <div class="star-options">{options}</div>
            <FieldErrorFor id=id name="stars" errors=errors />
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_are_drawn_full_then_empty() {
        assert_eq!(stars_line(4), "★★★★☆");
        assert_eq!(stars_line(1), "★☆☆☆☆");
        assert_eq!(stars_line(0), "☆☆☆☆☆");
        assert_eq!(stars_line(9), "★★★★★");
    }
}
