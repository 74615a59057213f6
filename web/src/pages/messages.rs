//! The account's messages: what the emails said, also for an unconfirmed address.

use leptos::prelude::*;
use navigator_shared::accounts::InboxMessage;

use crate::api::{self, use_session};
use crate::components::{Pager, Turn};
use crate::dates;

#[component]
pub fn Messages() -> impl IntoView {
    let session = use_session();
    let page = RwSignal::new(1_i64);
    let list = LocalResource::new(move || api::messages(session, page.get()));
    let body = move || match list.get() {
        None => view! { <p class="loading">"Загрузка…"</p> }.into_any(),
        Some(Err(problem)) => view! { <p class="form-error" role="alert">{problem.detail}</p> }.into_any(),
        Some(Ok(found)) if found.items.is_empty() => {
            view! { <section class="card empty-state"><p>"Сообщений пока нет."</p></section> }.into_any()
        }
        Some(Ok(found)) => view! {
            <ul class="messages">
                {found.items.into_iter().map(|message| view! { <MessageItem message=message /> }).collect_view()}
            </ul>
            <Pager current=found.page total=found.total per_page=found.per_page turn=Turn::Signal(page) />
        }
        .into_any(),
    };
    view! {
        <div class="page">
            <h1>"Сообщения"</h1>
            {body}
        </div>
    }
}

/// A message; opening an unread one marks it read.
#[component]
fn MessageItem(message: InboxMessage) -> impl IntoView {
    let session = use_session();
    let read = RwSignal::new(message.read);
    let id = message.id;
    let open = move |_| {
        if !read.get_untracked() {
            read.set(true);
            leptos::task::spawn_local(async move {
                // A failed mark only leaves the message bold; nothing to tell the user.
                let _ = api::mark_message_read(session, id).await;
            });
        }
    };
    view! {
        <li class="message card" class:unread=move || !read.get()>
            <details on:toggle=open>
                <summary>
                    <span class="message-subject">{message.subject}</span>
                    <span class="message-date">{dates::day(message.created_at)}</span>
                </summary>
                <p class="message-body">{message.body}</p>
            </details>
        </li>
    }
}
