//! `/integrations` (admin): the systems that work with Navigator on
//! families' behalf. The list of clients, a new one with its credentials,
//! and the client opened by `?client=ID`: suspending and resuming it, a new
//! secret, its request log, its webhooks and the deliveries of events with
//! their attempts and a resend.

use chrono::{DateTime, Utc};
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use navigator_shared::Problem;
use navigator_shared::integrations::{
    ClientCredentials, ClientInput, ClientRequest, ClientScope, ClientStatus, DeliveriesQuery, DeliveryStatus,
    IntegrationClient, WebhookDelivery,
};
use navigator_shared::reference::Page;

use super::cabinet::widgets::{
    ErrorFor, FilterSelect, LIST_PER_PAGE, code_options, confirm, loading_view, paged_list, problem_view,
};
use crate::api::{integrations, use_session};
use crate::components::{Field, FormError, FormStatus, Pager, SubmitButton, Turn};
use crate::dates;

const CLIENT_COLUMNS: &[&str] = &["Система", "client_id", "Права", "Статус", "Последнее обращение"];
const REQUEST_COLUMNS: &[&str] = &["Время", "Метод", "Путь", "Ответ", "мс"];
const ATTEMPT_COLUMNS: &[&str] = &["Время", "Ответ", "Ошибка", "мс"];
const ROTATE_QUESTION: &str =
    "Выпустить новый секрет? Старый секрет и полученные с ним токены сразу перестанут работать.";

/// `/integrations` (admin).
#[component]
pub fn Integrations() -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let selected = Memo::new(move |_| query.with(|q| q.get("client")).and_then(|id| id.parse::<i64>().ok()));
    let page = RwSignal::new(1_i64);
    let list = LocalResource::new(move || integrations::clients(session, page.get(), LIST_PER_PAGE));
    // A new client, a new secret or a new status shows in the list.
    let changed = Callback::new(move |()| list.refetch());
    let clients = move || {
        paged_table(
            list.get(),
            page,
            ("stack-table clients", CLIENT_COLUMNS),
            "Подключённых систем пока нет.",
            move |client| client_row(client, selected),
        )
    };
    view! {
        <div class="page page-wide">
            <h1>"Интеграции"</h1>
            <p class="hint">
                "Системы, которые работают с Навигатором от имени семей: региональное приложение, «Госуслуги», \
                 школьные системы. У каждой свои учётные данные, права доступа, журнал запросов и подписки на события."
            </p>
            <section class="card">
                <h2>"Подключённые системы"</h2>
                {clients}
            </section>
            {move || selected.get().map(|id| view! { <ClientDetail id=id changed=changed /> })}
            <section class="card">
                <h2>"Новая система"</h2>
                <ClientForm created=changed />
            </section>
        </div>
    }
}

/// `<tr class="client-row">`: the name opens the client.
fn client_row(client: IntegrationClient, selected: Memo<Option<i64>>) -> AnyView {
    let id = client.id;
    let open = move || selected.get() == Some(id);
    view! {
        <tr class="client-row" class:selected=open data-client-id=id>
            <td data-label="Система">
                <a
                    class="open-client"
                    href=format!("/integrations?client={id}")
                    aria-current=move || open().then_some("true")
                >
                    {client.name}
                </a>
            </td>
            <td data-label="client_id">
                <code class="client-id">{client.client_id}</code>
            </td>
            <td data-label="Права">{scope_list(&client.scopes)}</td>
            <td data-label="Статус">{status_badge(client.status, client.status_title)}</td>
            <td data-label="Последнее обращение">{last_used(client.last_used_at)}</td>
        </tr>
    }
    .into_any()
}

/// `<span class="client-status status-CODE">`.
fn status_badge(status: ClientStatus, title: String) -> impl IntoView {
    view! { <span class=format!("client-status status-{}", status.as_str())>{title}</span> }
}

fn scope_list(scopes: &[ClientScope]) -> impl IntoView + use<> {
    let items = scopes.iter().map(|scope| view! { <li>{scope.title()}</li> }).collect_view();
    view! { <ul class="plain-list scope-list">{items}</ul> }
}

fn last_used(at: Option<DateTime<Utc>>) -> String {
    at.map_or_else(|| "ещё не обращалась".to_owned(), dates::moment)
}

/// `12.04.2026 14:05:33`: a log needs the seconds, which the region's offset
/// (whole hours) does not change.
fn to_second(at: DateTime<Utc>) -> String {
    format!("{}:{}", dates::moment(at), at.format("%S"))
}

/// A table that scrolls sideways on a narrow screen.
fn table_view(class: &'static str, columns: &'static [&'static str], rows: AnyView) -> AnyView {
    let head = columns.iter().map(|column| view! { <th scope="col">{*column}</th> }).collect_view();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Таблица, прокручивается в сторону">
            <table class=class>
                <thead>
                    <tr>{head}</tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// What a paginated table shows as its page loads: «Загрузка…», the API's
/// refusal, `empty` when there is nothing, or the rows and the pager.
fn paged_table<T>(
    loaded: Option<Result<Page<T>, Problem>>,
    page: RwSignal<i64>,
    (class, columns): (&'static str, &'static [&'static str]),
    empty: &'static str,
    row: impl Fn(T) -> AnyView,
) -> AnyView {
    match loaded {
        None => loading_view(),
        Some(Err(problem)) => problem_view(problem),
        Some(Ok(found)) if found.items.is_empty() => view! { <p class="empty-state">{empty}</p> }.into_any(),
        Some(Ok(Page { items, total, page: current, per_page })) => {
            let rows = items.into_iter().map(row).collect_view().into_any();
            view! {
                {table_view(class, columns, rows)}
                <Pager current=current total=total per_page=per_page turn=Turn::Signal(page) />
            }
            .into_any()
        }
    }
}

/// `.client-secret`: the credentials, answered once. The panel takes the
/// focus so that it is seen (and read out) at once.
#[component]
fn SecretPanel(credentials: ClientCredentials) -> impl IntoView {
    let panel = NodeRef::<html::Div>::new();
    Effect::new(move || {
        if let Some(panel) = panel.get() {
            let _ = panel.focus();
        }
    });
    view! {
        <div class="client-secret" tabindex="-1" node_ref=panel>
            <p class="secret-warning">
                "Секрет показывается один раз: сохраните его сейчас. Навигатор хранит только его хэш."
            </p>
            <dl class="summary">
                <dt>"Система"</dt>
                <dd>{credentials.client.name}</dd>
                <dt>"client_id"</dt>
                <dd>
                    <code class="client-id-value">{credentials.client.client_id}</code>
                </dd>
                <dt>"client_secret"</dt>
                <dd>
                    <code class="secret-value">{credentials.client_secret}</code>
                </dd>
            </dl>
            <p class="hint">"Передайте их разработчикам системы по защищённому каналу."</p>
        </div>
    }
}

// ---- a new client -----------------------------------------------------------------------

/// `<form id="client-form">`: the name, the contact and the scopes; its
/// credentials are shown under it once.
#[component]
fn ClientForm(created: Callback<()>) -> impl IntoView {
    let session = use_session();
    let name = RwSignal::new(String::new());
    let contact = RwSignal::new(String::new());
    let scopes = RwSignal::new(Vec::<ClientScope>::new());
    let status = FormStatus::new();
    let credentials = RwSignal::new(None::<ClientCredentials>);
    let create = status.action(
        move |input: ClientInput| async move { integrations::create(session, &input).await },
        move |answer: ClientCredentials| {
            name.set(String::new());
            contact.set(String::new());
            scopes.set(Vec::new());
            credentials.set(Some(answer));
            created.run(());
        },
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        credentials.set(None);
        let input = ClientInput {
            name: name.get_untracked(),
            contact: contact.get_untracked(),
            scopes: scopes.get_untracked(),
        };
        status.submit(create, input, ClientInput::checked);
    };
    let choices = ClientScope::ALL
        .iter()
        .copied()
        .map(|scope| {
            view! {
                <label>
                    <input
                        type="checkbox"
                        name="scope"
                        value=scope.as_str()
                        prop:checked=move || scopes.with(|s| s.contains(&scope))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            scopes
                                .update(|s| {
                                    s.retain(|&other| other != scope);
                                    if on {
                                        s.push(scope);
                                    }
                                });
                        }
                    />
                    <span>
                        {scope.title()} " " <code class="muted">{scope.as_str()}</code>
                    </span>
                </label>
            }
        })
        .collect_view();
    view! {
        <form id="client-form" class="form" novalidate=true on:submit=on_submit>
            <FormError status=status />
            <Field
                name="name"
                label="Название системы"
                value=name
                errors=status.errors
                autocomplete="off"
                hint="Семьи увидят его на заявках, поданных через систему, например «Госуслуги»"
                required=true
            />
            <Field
                name="contact"
                label="Ответственный за интеграцию"
                value=contact
                errors=status.errors
                autocomplete="off"
                hint="Имя, электронная почта или телефон"
                required=true
            />
            <fieldset class="group choice scope-choice">
                <legend>"Права доступа"</legend>
                {choices}
                <ErrorFor name="scopes" errors=status.errors />
            </fieldset>
            <SubmitButton pending=create.pending() label="Подключить систему" busy="Подключаем…" />
        </form>
        {move || credentials.get().map(|credentials| view! { <SecretPanel credentials=credentials /> })}
    }
}

// ---- one client ---------------------------------------------------------------------------

/// `.client-detail`: the client loaded by its id.
#[component]
fn ClientDetail(id: i64, changed: Callback<()>) -> impl IntoView {
    let session = use_session();
    let loaded = LocalResource::new(move || integrations::client(session, id));
    view! {
        <section class="card client-detail" data-client-id=id>
            <p class="close-client">
                <a href="/integrations">"Закрыть"</a>
            </p>
            {move || match loaded.get() {
                None => loading_view(),
                Some(Err(problem)) => problem_view(problem),
                Some(Ok(client)) => view! { <ClientCard client=client changed=changed /> }.into_any(),
            }}
        </section>
    }
}

/// The client's facts and steps, its request log, webhooks and deliveries.
#[component]
fn ClientCard(client: IntegrationClient, changed: Callback<()>) -> impl IntoView {
    let session = use_session();
    let id = client.id;
    let client = RwSignal::new(client);
    let status = FormStatus::new();
    let secret = RwSignal::new(None::<ClientCredentials>);
    let switch = status.action(
        move |suspend: bool| async move {
            if suspend { integrations::suspend(session, id).await } else { integrations::resume(session, id).await }
        },
        move |updated: IntegrationClient| {
            status.done(if updated.status == ClientStatus::Suspended {
                "Система приостановлена: её токены больше не действуют."
            } else {
                "Система снова работает."
            });
            client.set(updated);
            changed.run(());
        },
    );
    let rotate = status.action(
        move |()| async move { integrations::rotate_secret(session, id).await },
        move |credentials: ClientCredentials| {
            client.set(credentials.client.clone());
            secret.set(Some(credentials));
            changed.run(());
        },
    );
    let (switching, rotating) = (switch.pending(), rotate.pending());
    let busy = move || switching.get() || rotating.get();
    let suspended = move || client.with(|c| c.status == ClientStatus::Suspended);
    let on_switch = move |_| {
        status.clear();
        secret.set(None);
        switch.dispatch_local(!client.with_untracked(|c| c.status == ClientStatus::Suspended));
    };
    let on_rotate = move |_| {
        if confirm(ROTATE_QUESTION) {
            status.clear();
            secret.set(None);
            rotate.dispatch_local(());
        }
    };
    // Opening a client moves the focus to it: the list above may be long.
    let heading = NodeRef::<html::H2>::new();
    Effect::new(move || {
        if let Some(heading) = heading.get() {
            let _ = heading.focus();
        }
    });
    view! {
        <h2 class="client-name" tabindex="-1" node_ref=heading>
            {move || client.with(|c| c.name.clone())}
        </h2>
        {move || client.with(client_facts)}
        <FormError status=status />
        <div class="actions">
            <button
                type="button"
                class=move || {
                    format!("button button-secondary {}", if suspended() { "resume-client" } else { "suspend-client" })
                }
                disabled=busy
                on:click=on_switch
            >
                {move || if suspended() { "Возобновить" } else { "Приостановить" }}
            </button>
            <button type="button" class="button button-secondary rotate-secret" disabled=busy on:click=on_rotate>
                {move || if rotating.get() { "Выпускаем…" } else { "Выпустить новый секрет" }}
            </button>
        </div>
        {move || secret.get().map(|credentials| view! { <SecretPanel credentials=credentials /> })}
        <RequestLog id=id />
        <Webhooks id=id />
        <Deliveries id=id />
    }
}

fn client_facts(c: &IntegrationClient) -> AnyView {
    view! {
        <dl class="summary client-facts">
            <dt>"client_id"</dt>
            <dd>
                <code class="client-id">{c.client_id.clone()}</code>
            </dd>
            <dt>"Статус"</dt>
            <dd>{status_badge(c.status, c.status_title.clone())}</dd>
            <dt>"Ответственный"</dt>
            <dd class="client-contact">{c.contact.clone()}</dd>
            <dt>"Права"</dt>
            <dd>{scope_list(&c.scopes)}</dd>
            <dt>"Подключена"</dt>
            <dd>{dates::moment(c.created_at)}</dd>
            <dt>"Секрет выпущен"</dt>
            <dd class="secret-issued">{dates::moment(c.secret_issued_at)}</dd>
            <dt>"Последнее обращение"</dt>
            <dd>{last_used(c.last_used_at)}</dd>
        </dl>
    }
    .into_any()
}

/// The client's requests, newest first.
#[component]
fn RequestLog(id: i64) -> impl IntoView {
    let session = use_session();
    let page = RwSignal::new(1_i64);
    let log = LocalResource::new(move || integrations::requests(session, id, page.get(), LIST_PER_PAGE));
    let table = move || {
        paged_table(
            log.get(),
            page,
            ("request-log", REQUEST_COLUMNS),
            "Система ещё не обращалась к Навигатору.",
            request_row,
        )
    };
    view! {
        <section class="client-part">
            <h3>"Журнал запросов"</h3>
            {table}
        </section>
    }
}

fn request_row(r: ClientRequest) -> AnyView {
    let failed = r.status >= 400;
    view! {
        <tr class="request-row" class:failed=failed>
            <td class="nowrap">{to_second(r.at)}</td>
            <td>{r.method}</td>
            <td>
                <code>{r.path}</code>
            </td>
            <td class="request-status">{r.status}</td>
            <td class="amount">{r.duration_ms}</td>
        </tr>
    }
    .into_any()
}

/// Where the client asked to send which events.
#[component]
fn Webhooks(id: i64) -> impl IntoView {
    let session = use_session();
    let loaded = LocalResource::new(move || integrations::webhooks(session, id));
    let body = move || match loaded.get() {
        None => loading_view(),
        Some(Err(problem)) => problem_view(problem),
        Some(Ok(hooks)) if hooks.is_empty() => {
            view! { <p class="empty-state">"Система не подписана на события."</p> }.into_any()
        }
        Some(Ok(hooks)) => {
            let rows = hooks
                .into_iter()
                .map(|hook| {
                    let events = hook
                        .events
                        .iter()
                        .map(|event| {
                            view! {
                                <li>
                                    {event.title()} " " <code class="muted">{event.as_str()}</code>
                                </li>
                            }
                        })
                        .collect_view();
                    view! {
                        <li class="webhook-row" data-webhook-id=hook.id>
                            <code class="webhook-url">{hook.url}</code>
                            <ul class="plain-list event-list">{events}</ul>
                            <p class="hint">{format!("Подписка с {}", dates::day(hook.created_at))}</p>
                        </li>
                    }
                })
                .collect_view();
            view! { <ul class="plain-list webhook-list">{rows}</ul> }.into_any()
        }
    };
    view! {
        <section class="client-part">
            <h3>"Подписки на события"</h3>
            {body}
        </section>
    }
}

/// The events sent to the client, newest first, by status.
#[component]
fn Deliveries(id: i64) -> impl IntoView {
    let session = use_session();
    let status = RwSignal::new(String::new());
    let page = RwSignal::new(1_i64);
    let loaded = LocalResource::new(move || {
        let query = DeliveriesQuery {
            status: DeliveryStatus::parse(&status.get()),
            page: Some(page.get()),
            per_page: Some(LIST_PER_PAGE),
        };
        async move { integrations::deliveries(session, id, &query).await }
    });
    let results = move || {
        paged_list(
            loaded.get(),
            page,
            ("Событий", "part-list delivery-list"),
            move || {
                view! {
                    <p class="empty-state">
                        {if status.with(String::is_empty) {
                            "Событий этой системе ещё не отправляли."
                        } else {
                            "Событий в этом статусе нет."
                        }}
                    </p>
                }
                .into_any()
            },
            |delivery| view! { <DeliveryItem delivery=delivery /> }.into_any(),
        )
    };
    view! {
        <section class="client-part">
            <h3>"Доставка событий"</h3>
            <div class="filter-row">
                <FilterSelect
                    name="status"
                    label="Статус доставки"
                    value=status
                    options=code_options(DeliveryStatus::ALL, DeliveryStatus::as_str, DeliveryStatus::title)
                    all="Все"
                    on_change=Callback::new(move |()| page.set(1))
                />
            </div>
            {results}
        </section>
    }
}

/// `.delivery-row`: one event to one address, its details and «Отправить ещё раз».
#[component]
fn DeliveryItem(delivery: WebhookDelivery) -> impl IntoView {
    let session = use_session();
    let id = delivery.id;
    let delivery = RwSignal::new(delivery);
    let status = FormStatus::new();
    let resend = status.action(
        move |()| async move { integrations::resend(session, id).await },
        move |updated: WebhookDelivery| {
            status.done(match updated.status {
                DeliveryStatus::Delivered => "Событие доставлено.",
                DeliveryStatus::Pending => "Событие поставлено в очередь на отправку.",
                DeliveryStatus::Failed => "Доставить событие не удалось.",
            });
            delivery.set(updated);
        },
    );
    let pending = resend.pending();
    view! {
        <article class="list-item delivery-row" data-delivery-id=id>
            {move || delivery.with(delivery_facts)}
            // Outside the reactive part: an update keeps the details open.
            <details class="delivery-details">
                <summary>"Подробнее"</summary>
                {move || delivery.with(delivery_details)}
            </details>
            <FormError status=status />
            <div class="actions">
                <button
                    type="button"
                    class="button button-secondary resend"
                    disabled=move || pending.get()
                    on:click=move |_| {
                        status.clear();
                        resend.dispatch_local(());
                    }
                >
                    {move || if pending.get() { "Отправляем…" } else { "Отправить ещё раз" }}
                </button>
            </div>
        </article>
    }
}

/// The event, its status, the attempts and what comes next.
fn delivery_facts(d: &WebhookDelivery) -> AnyView {
    let when = match (d.delivered_at, d.next_attempt_at) {
        (Some(at), _) => Some(format!("Доставлено {}", dates::moment(at))),
        (None, Some(at)) if d.status == DeliveryStatus::Pending => {
            Some(format!("Следующая попытка {}", dates::moment(at)))
        }
        _ => None,
    };
    view! {
        <h4 class="item-title">
            {d.event_title.clone()} " " <code class="delivery-event">{d.event.as_str()}</code>
        </h4>
        <p class="item-meta">
            <span class=format!("delivery-status status-{}", d.status.as_str())>{d.status_title.clone()}</span>
            <span class="delivery-attempts">{format!("Попыток: {}", d.attempts)}</span>
            {d.last_status.map(|code| view! { <span class="delivery-http">{format!("Ответ HTTP {code}")}</span> })}
            {when.map(|when| view! { <span class="delivery-when">{when}</span> })}
        </p>
        <p class="item-meta muted">
            <code class="event-id">{d.event_id.clone()}</code>
            <span class="delivery-object">{d.object.clone()}</span>
        </p>
    }
    .into_any()
}

/// The address, the payload, the receiver's last answer and every attempt.
fn delivery_details(d: &WebhookDelivery) -> AnyView {
    let attempts = if d.history.is_empty() {
        view! { <p class="muted">"Попыток ещё не было."</p> }.into_any()
    } else {
        let rows = d
            .history
            .iter()
            .map(|attempt| {
                view! {
                    <tr class="attempt-row">
                        <td class="nowrap">{to_second(attempt.at)}</td>
                        <td>{attempt.status.map_or_else(|| "—".to_owned(), |code| code.to_string())}</td>
                        <td>{attempt.error.clone()}</td>
                        <td class="amount">{attempt.duration_ms}</td>
                    </tr>
                }
            })
            .collect_view()
            .into_any();
        table_view("attempts", ATTEMPT_COLUMNS, rows)
    };
    view! {
        <dl class="summary">
            <dt>"Адрес"</dt>
            <dd>
                <code>{d.url.clone()}</code>
            </dd>
            <dt>"Событие возникло"</dt>
            <dd>{dates::moment(d.created_at)}</dd>
            {d.last_error
                .clone()
                .map(|error| {
                    view! {
                        <dt>"Последняя ошибка"</dt>
                        <dd class="delivery-error">{error}</dd>
                    }
                })}
        </dl>
        <p class="detail-label">"Что отправлено"</p>
        <pre class="code-block delivery-payload">{pretty(&d.payload)}</pre>
        {d.last_response
            .clone()
            .map(|response| {
                view! {
                    <p class="detail-label">"Последний ответ получателя"</p>
                    <pre class="code-block delivery-response">{response}</pre>
                }
            })}
        <p class="detail-label">"Попытки, последняя первой"</p>
        {attempts}
    }
    .into_any()
}

/// The payload indented; as sent when it is not JSON.
fn pretty(payload: &str) -> String {
    serde_json::from_str::<serde_json::Value>(payload)
        .ok()
        .and_then(|value| serde_json::to_string_pretty(&value).ok())
        .unwrap_or_else(|| payload.to_owned())
}
