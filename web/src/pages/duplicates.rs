//! `/registry/duplicates`: records that may be one child registered twice,
//! side by side. The operator opens each record (where a child registered in
//! the wrong family is moved to the right one) or marks the pair «не
//! дубликат» with what was checked; both are audited.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use navigator_shared::reference::PageQuery;
use navigator_shared::registry::{DuplicateChild, DuplicatePair, NotDuplicateRequest};

use crate::api::{duplicates, use_session};
use crate::components::{FormError, FormStatus, Notice, TextArea};
use crate::dates;
use crate::pages::cabinet::widgets::{LIST_PER_PAGE, paged_list};

/// `/registry/duplicates`.
#[component]
pub fn Duplicates() -> impl IntoView {
    let session = use_session();
    let page = RwSignal::new(1_i64);
    let list = LocalResource::new(move || {
        let query = PageQuery { page: Some(page.get()), per_page: Some(LIST_PER_PAGE) };
        async move { duplicates::list(session, &query).await }
    });
    let notice = RwSignal::new(None::<&'static str>);
    let decided = Callback::new(move |message: &'static str| {
        notice.set(Some(message));
        list.refetch();
    });
    let results = move || {
        paged_list(
            list.get(),
            page,
            ("Возможных дубликатов", "duplicate-list"),
            || view! { <p class="empty-state duplicates-empty">"Возможных дубликатов нет."</p> }.into_any(),
            move |pair| view! { <PairEntry pair=pair decided=decided /> }.into_any(),
        )
    };
    view! {
        <div class="page page-wide">
            <p class="back-link">
                <a href="/registry">"← К реестру"</a>
            </p>
            <h1>"Возможные дубликаты"</h1>
            <p class="hint">
                "Здесь записи, которые могут быть одним ребёнком: одинаковые ФИО и дата рождения при разных СНИЛС \
                 или ФИО, отличающиеся на одну-две буквы, при той же дате рождения и том же адресе. Сверьте документы. \
                 Если ребёнок записан в чужой семье, откройте его запись и перенесите в нужную учётную запись; \
                 если это разные дети, отметьте «Не дубликат»."
            </p>
            {move || notice.get().map(|message| view! { <Notice><p class="duplicate-outcome">{message}</p></Notice> })}
            {results}
        </div>
    }
}

/// One record of a pair.
fn record(child: DuplicateChild) -> impl IntoView {
    let link = child.certificate_number.clone().map(|number| {
        view! { <a class="record-link" href=format!("/registry/{number}")>{format!("Запись № {number}")}</a> }
    });
    let status = child.certificate_status.map(|s| view! { <span class="muted">{format!(" ({})", s.title())}</span> });
    view! {
        <div class="duplicate-record" data-child-id=child.id.to_string()>
            <h3 class="duplicate-name">{child.full_name}</h3>
            <dl class="facts">
                <dt>"Дата рождения"</dt>
                <dd>{dates::russian(child.birth_date)}</dd>
                <dt>"Адрес"</dt>
                <dd>{child.address}</dd>
                <dt>"Муниципалитет"</dt>
                <dd>{child.municipality}</dd>
                <dt>"Семья"</dt>
                <dd>{format!("{} ({})", child.parent_name, child.parent_email)}</dd>
                <dt>"Сертификат"</dt>
                <dd>
                    {link.map_or_else(|| view! { <span>"нет"</span> }.into_any(), IntoAny::into_any)}
                    {status}
                </dd>
            </dl>
        </div>
    }
}

/// `article.duplicate-pair`: the two records, the reason, and «Не дубликат».
#[component]
fn PairEntry(pair: DuplicatePair, decided: Callback<&'static str>) -> impl IntoView {
    let session = use_session();
    let ids: Vec<i64> = pair.children.iter().map(|c| c.id).collect();
    let key = ids.iter().map(ToString::to_string).collect::<Vec<_>>().join("-");
    let reason = RwSignal::new(String::new());
    let status = FormStatus::new();
    let mark = status.action(
        move |request: NotDuplicateRequest| async move { duplicates::not_duplicate(session, &request).await },
        move |()| decided.run("Пара отмечена: это разные дети. Отметка записана в журнал обеих записей."),
    );
    let pending = mark.pending();
    let on_submit = {
        let ids = ids.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            let request = NotDuplicateRequest { child_ids: ids.clone(), reason: reason.get_untracked() };
            status.submit(mark, request, NotDuplicateRequest::validate);
        }
    };
    let records = pair.children.into_iter().map(record).collect_view();
    view! {
        <article class="duplicate-pair list-item" data-pair=key.clone()>
            <p class=format!("duplicate-reason reason-{}", pair.reason.as_str())>{pair.reason_title}</p>
            <div class="duplicate-records">{records}</div>
            <form class="form not-duplicate-form" novalidate=true on:submit=on_submit>
                <FormError status=status />
                <TextArea
                    id=format!("not-duplicate-reason-{key}")
                    name="reason"
                    class="not-duplicate-reason"
                    label="Что проверено"
                    value=reason
                    errors=status.errors
                    hint="Например: «близнецы, свидетельства о рождении сверены». Запишется в журнал обеих записей."
                    rows=2
                />
                <button type="submit" class="button button-secondary not-duplicate" disabled=move || pending.get()>
                    {move || if pending.get() { "Сохраняем…" } else { "Не дубликат" }}
                </button>
            </form>
        </article>
    }
}
