//! «Сообщить, когда появятся места»: on a full group, or on a program
//! without an open group, a family asks to be told once when places appear;
//! the page of the confirmation's link withdraws the request.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use navigator_shared::accounts::Role;
use navigator_shared::spot_alerts::SpotAlert;

use crate::api::{self, use_session};
use crate::components::{FormError, FormStatus};

/// The family's open requests about one program, loaded once for its page:
/// `None` until known (or for a visitor who is not a family).
pub fn my_requests(program: i64) -> RwSignal<Option<Vec<SpotAlert>>> {
    let session = use_session();
    let mine = RwSignal::new(None);
    let family = move || session.user().is_some_and(|u| matches!(u.role, Role::Parent | Role::Learner));
    let loaded = LocalResource::new(move || async move {
        if family() { api::my_spot_alerts(session, program).await.ok().map(|page| page.items) } else { None }
    });
    Effect::new(move |_| {
        if let Some(Some(items)) = loaded.get() {
            mine.set(Some(items));
        }
    });
    mine
}

/// The button that asks, or the note that the family asked with the button
/// that withdraws; nothing for visitors who are not a family.
#[component]
pub fn SpotAlertControl(program: i64, group: Option<i64>, mine: RwSignal<Option<Vec<SpotAlert>>>) -> impl IntoView {
    let status = FormStatus::new();
    let session = use_session();
    let ask = status.action(
        move |()| async move { api::ask_spot_alert(session, program, group).await },
        move |alert: SpotAlert| {
            mine.update(|m| {
                let m = m.get_or_insert_with(Vec::new);
                m.retain(|a| a.id != alert.id);
                m.push(alert);
            });
            status.done("Сообщим по почте и в сообщениях Навигатора, когда появятся места.");
        },
    );
    let stop = status.action(
        move |id: i64| async move { api::cancel_spot_alert(session, id).await.map(|()| id) },
        move |id: i64| {
            mine.update(|m| {
                if let Some(m) = m {
                    m.retain(|a| a.id != id);
                }
            });
            status.done("Подписка отменена.");
        },
    );
    let (asking, stopping) = (ask.pending(), stop.pending());
    let current = move || mine.with(|m| m.as_ref().and_then(|m| m.iter().find(|a| a.group_id == group).map(|a| a.id)));
    move || {
        if mine.with(Option::is_none) {
            return ().into_any();
        }
        view! {
            <div class="spot-alert">
                <FormError status=status />
                {move || match current() {
                    Some(id) => view! {
                        <p class="spot-alert-on">"Вы подписаны: сообщим, когда появятся места."</p>
                        <button
                            type="button"
                            class="button button-secondary spot-alert-stop"
                            disabled=move || stopping.get()
                            on:click=move |_| {
                                status.clear();
                                stop.dispatch_local(id);
                            }
                        >
                            "Отписаться"
                        </button>
                    }
                    .into_any(),
                    None => view! {
                        <button
                            type="button"
                            class="button button-secondary spot-alert-ask"
                            disabled=move || asking.get()
                            on:click=move |_| {
                                status.clear();
                                ask.dispatch_local(());
                            }
                        >
                            {move || if asking.get() { "Отправляем…" } else { "Сообщить, когда появятся места" }}
                        </button>
                    }
                    .into_any(),
                }}
            </div>
        }
        .into_any()
    }
}

/// `/spot-alerts/unsubscribe?token=…`: the confirmation's link.
#[component]
pub fn SpotAlertUnsubscribe() -> impl IntoView {
    let token = use_query_map().with_untracked(|query| query.get("token")).unwrap_or_default();
    let result = LocalResource::new(move || {
        let token = token.clone();
        async move { api::unsubscribe_spot_alert(token).await }
    });
    let body = move || match result.get() {
        None => view! { <p class="loading">"Отменяем подписку…"</p> }.into_any(),
        Some(Ok(())) => view! {
            <div class="notice" role="status">
                <p>"Подписка отменена: уведомление о свободных местах не придёт."</p>
            </div>
        }
        .into_any(),
        Some(Err(problem)) => view! { <p class="form-error" role="alert">{problem.detail}</p> }.into_any(),
    };
    view! {
        <section class="card narrow">
            <h1>"Уведомление о свободных местах"</h1>
            {body}
            <p>
                <a href="/catalog">"Перейти в каталог"</a>
            </p>
        </section>
    }
}
