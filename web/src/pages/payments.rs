//! `/payments`: the operator pays providers — the queue of their advance
//! requests and invoices to approve or return with a comment, the payment
//! order of an approved one, and the month's payment register.

use chrono::NaiveDate;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use navigator_shared::applications::{month_start, parse_month};
use navigator_shared::contract::month_title;
use navigator_shared::payments::{
    PaymentKind, PaymentPaidInput, PaymentRegister, PaymentRequest, PaymentRequestsQuery, PaymentReturnInput,
    PaymentStatus,
};

use super::cabinet::widgets::{
    FilterSelect, LIST_PER_PAGE, MonthField, Reader, code_options, loading_view, paged_list, problem_view, rubles,
    send_checked,
};
use super::cabinet::{DownloadLink, InvoiceLines, RequestFiles, month_text, payment_badge};
use super::desk::PrintLink;
use crate::api::{payments, use_session};
use crate::components::{Field, FormError, FormStatus, SubmitButton, TextAreaField};
use crate::dates;

/// The statuses the operator sees (drafts stay with the organization).
const QUEUE_STATUSES: [PaymentStatus; 4] =
    [PaymentStatus::Submitted, PaymentStatus::Returned, PaymentStatus::Approved, PaymentStatus::Paid];

/// What the operator has open on a request.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    Return,
    Pay,
}

/// What is open in the queue: one request's details and one form (their
/// ids are shared by every request).
#[derive(Clone, Copy)]
struct Opened {
    details: RwSignal<Option<i64>>,
    form: RwSignal<Option<(i64, Open)>>,
}

/// `/payments`.
#[component]
pub fn PaymentsQueue() -> impl IntoView {
    let session = use_session();
    let status = RwSignal::new(PaymentStatus::Submitted.as_str().to_owned());
    let kind = RwSignal::new(String::new());
    let month = RwSignal::new(String::new());
    let page = RwSignal::new(1_i64);
    let list = LocalResource::new(move || {
        let query = PaymentRequestsQuery {
            status: PaymentStatus::parse(&status.get()),
            kind: PaymentKind::parse(&kind.get()),
            month: Some(month.get()).filter(|m| !m.trim().is_empty()),
            page: Some(page.get()),
            per_page: Some(LIST_PER_PAGE),
        };
        async move { payments::requests(session, &query).await }
    });
    let opened = Opened { details: RwSignal::new(None), form: RwSignal::new(None) };
    // Bumped after a decision: the register counts the approved and paid requests.
    let decided = RwSignal::new(0_u32);
    let results = move || {
        paged_list(
            list.get(),
            page,
            ("Заявок", "part-list payment-list"),
            || {
                view! {
                    <p class="empty-state">
                        {if status.with(|s| s == PaymentStatus::Submitted.as_str()) {
                            "Новых заявок нет: все рассмотрены."
                        } else {
                            "Заявок с такими условиями нет."
                        }}
                    </p>
                }
                .into_any()
            },
            |request| view! { <QueueItem request=request opened=opened decided=decided /> }.into_any(),
        )
    };
    let to_first = Callback::new(move |()| page.set(1));
    view! {
        <div class="page page-wide">
            <h1>"Оплата поставщикам"</h1>
            <p class="hint funding-intro">
                "Заявки организаций на аванс и счета за оказанные услуги. Одобренные попадают в реестр оплаты месяца."
            </p>
            <section class="card filters">
                <div class="filter-row">
                    <FilterSelect
                        name="status"
                        label="Статус"
                        value=status
                        options=code_options(&QUEUE_STATUSES, PaymentStatus::as_str, PaymentStatus::title)
                        all="Все статусы"
                        on_change=to_first
                    />
                    <FilterSelect
                        name="kind"
                        label="Вид"
                        value=kind
                        options=code_options(PaymentKind::ALL, PaymentKind::as_str, PaymentKind::title)
                        all="Все виды"
                        on_change=to_first
                    />
                    <MonthField
                        name="month"
                        label="Месяц"
                        shown=month
                        on_pick=move |picked| {
                            month.set(picked);
                            page.set(1);
                        }
                    />
                </div>
            </section>
            {results}
            <RegisterSection decided=decided />
        </div>
    }
}

/// One request: whose, what for, how much, and the operator's steps.
#[component]
fn QueueItem(request: PaymentRequest, opened: Opened, decided: RwSignal<u32>) -> impl IntoView {
    let session = use_session();
    let id = request.id;
    let request = RwSignal::new(request);
    let status = FormStatus::new();
    let form = move || opened.form.with(|o| o.filter(|(at, _)| *at == id).map(|(_, which)| which));
    let close = move || {
        if opened.form.with_untracked(|o| o.is_some_and(|(at, _)| at == id)) {
            opened.form.set(None);
        }
    };
    let changed = move |updated: PaymentRequest, message: &'static str| {
        request.set(updated);
        close();
        decided.update(|n| *n += 1);
        status.done(message);
    };
    let approve = status.action(
        move |()| async move { payments::approve(session, id).await },
        move |updated| changed(updated, "Заявка одобрена: она в реестре оплаты месяца."),
    );
    let approving = approve.pending();
    let returned = Callback::new(move |updated| changed(updated, "Заявка возвращена организации на доработку."));
    let paid = Callback::new(move |updated| changed(updated, "Оплата отмечена."));
    let cancel = Callback::new(move |()| close());
    let current = move || request.with(|r| r.status);
    let toggle = move |class: &'static str, label: &'static str, which: Open| {
        view! {
            <button
                type="button"
                class=format!("button button-secondary {class}")
                aria-expanded=move || (form() == Some(which)).to_string()
                on:click=move |_| {
                    if form() == Some(which) {
                        close();
                    } else {
                        status.clear();
                        opened.form.set(Some((id, which)));
                    }
                }
            >
                {label}
            </button>
        }
    };
    let details = move || opened.details.get() == Some(id);
    view! {
        <article class="payment-request list-item" data-payment-id=id>
            {move || request.with(request_facts)}
            <FormError status=status />
            <div class="actions">
                <button
                    type="button"
                    class="button button-secondary open-payment"
                    aria-expanded=move || details().to_string()
                    on:click=move |_| opened.details.set(if details() { None } else { Some(id) })
                >
                    {move || if details() { "Скрыть подробности" } else { "Подробнее" }}
                </button>
                <Show when=move || current() == PaymentStatus::Submitted>
                    <button
                        type="button"
                        class="button approve-payment"
                        disabled=move || approving.get()
                        on:click=move |_| {
                            status.clear();
                            close();
                            approve.dispatch_local(());
                        }
                    >
                        {move || if approving.get() { "Одобряем…" } else { "Одобрить" }}
                    </button>
                    {toggle("return-payment", "Вернуть на доработку", Open::Return)}
                </Show>
                <Show when=move || current() == PaymentStatus::Approved>
                    {toggle("pay-payment", "Отметить оплату", Open::Pay)}
                </Show>
            </div>
            <Show when=details>
                <PaymentDetails id=id />
            </Show>
            {move || match form() {
                Some(Open::Return) => view! { <ReturnForm id=id done=returned cancel=cancel /> }.into_any(),
                Some(Open::Pay) => {
                    view! { <PayForm request=request.get_untracked() done=paid cancel=cancel /> }.into_any()
                }
                None => ().into_any(),
            }}
        </article>
    }
}

/// The organization, the kind and month, the sum and the status, with the
/// note, the comment of a return and the payment order.
fn request_facts(r: &PaymentRequest) -> AnyView {
    let returned = (r.status == PaymentStatus::Returned).then(|| r.return_comment.clone()).flatten();
    view! {
        <h2 class="item-title">{r.organization_name.clone()}</h2>
        <p class="item-meta">
            {payment_badge(r)}
            <span class="payment-kind">{r.kind_title.clone()}</span>
            <span class="payment-month">{format!("за {}", month_title(r.month))}</span>
        </p>
        <p class="item-meta">
            <strong class="payment-amount">{rubles(r.amount)}</strong>
            <span class="muted">{format!("ИНН {}", r.organization_inn)}</span>
            {r.submitted_at.map(|at| view! { <span class="muted">{format!("Отправлена {}", dates::day(at))}</span> })}
        </p>
        {r.note.clone().map(|note| view! { <p class="request-comment payment-note">{format!("Примечание: {note}")}</p> })}
        {returned
            .map(|comment| {
                view! { <p class="request-comment return-comment">{format!("Вернули на доработку: {comment}")}</p> }
            })}
        {r.payment_order
            .clone()
            .zip(r.paid_on)
            .map(|(order, day)| {
                view! {
                    <p class="payment-paid">
                        {format!("Платёжное поручение № {order} от {}", dates::russian(day))}
                    </p>
                }
            })}
    }
    .into_any()
}

/// A request loaded with its lines: an invoice's lines and sums, and its files.
#[component]
fn PaymentDetails(id: i64) -> impl IntoView {
    let session = use_session();
    let loaded = LocalResource::new(move || payments::request(session, id));
    move || match loaded.get() {
        None => loading_view(),
        Some(Err(problem)) => problem_view(problem),
        Some(Ok(request)) => {
            let lines =
                (request.kind == PaymentKind::Invoice).then(|| view! { <InvoiceLines request=request.clone() /> });
            view! {
                <div class="payment-details">
                    {lines}
                    <RequestFiles request=request />
                </div>
            }
            .into_any()
        }
    }
}

/// «Вернуть на доработку»: what the organization is to correct.
#[component]
fn ReturnForm(id: i64, done: Callback<PaymentRequest>, cancel: Callback<()>) -> impl IntoView {
    let session = use_session();
    let comment = RwSignal::new(String::new());
    let status = FormStatus::new();
    let send = status.action(
        move |input: PaymentReturnInput| async move { payments::send_back(session, id, &input).await },
        move |updated| done.run(updated),
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        status.submit(send, PaymentReturnInput { comment: comment.get_untracked() }, PaymentReturnInput::comment);
    };
    view! {
        <form class="form return-form" novalidate=true on:submit=on_submit>
            <h3>"Вернуть на доработку"</h3>
            <FormError status=status />
            <TextAreaField
                name="comment"
                label="Что исправить"
                value=comment
                errors=status.errors
                hint="Организация увидит комментарий в кабинете и в уведомлении"
                required=true
            />
            <div class="actions form-actions">
                <SubmitButton pending=send.pending() label="Вернуть заявку" />
                <button type="button" class="button button-secondary" on:click=move |_| cancel.run(())>
                    "Отмена"
                </button>
            </div>
        </form>
    }
}

/// «Отметить оплату»: the payment order and its day.
#[component]
fn PayForm(request: PaymentRequest, done: Callback<PaymentRequest>, cancel: Callback<()>) -> impl IntoView {
    let session = use_session();
    let id = request.id;
    // The day the server approved it on (its clock, in UTC as it counts).
    let approved_on = request.decided_at.map_or(request.created_at.date_naive(), |at| at.date_naive());
    // The server's clock decides what is the future; the browser's may lag behind it.
    let today = dates::today().max(approved_on);
    let order = RwSignal::new(String::new());
    let paid_on = RwSignal::new(dates::input_text(Some(today)));
    let status = FormStatus::new();
    let send = status.action(
        move |input: PaymentPaidInput| async move { payments::mark_paid(session, id, &input).await },
        move |updated| done.run(updated),
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut reader = Reader::default();
        let input = PaymentPaidInput { payment_order: order.get_untracked(), paid_on: reader.date("paid_on", paid_on) };
        send_checked(status, send, input, reader.errors, |input| input.check(approved_on, today));
    };
    view! {
        <form class="form pay-form" novalidate=true on:submit=on_submit>
            <h3>"Оплата"</h3>
            <FormError status=status />
            <div class="row row-even">
                <Field
                    name="payment_order"
                    label="Номер платёжного поручения"
                    value=order
                    errors=status.errors
                    autocomplete="off"
                    required=true
                />
                <Field
                    name="paid_on"
                    label="Дата оплаты"
                    value=paid_on
                    errors=status.errors
                    kind="date"
                    autocomplete="off"
                    required=true
                />
            </div>
            <div class="actions form-actions">
                <SubmitButton pending=send.pending() label="Отметить оплату" busy="Сохраняем…" />
                <button type="button" class="button button-secondary" on:click=move |_| cancel.run(())>
                    "Отмена"
                </button>
            </div>
        </form>
    }
}

/// `.payment-register`: the month's approved and paid requests with their
/// total, as CSV and PDF.
#[component]
fn RegisterSection(decided: RwSignal<u32>) -> impl IntoView {
    let session = use_session();
    let month = RwSignal::new(month_text(month_start(dates::today())));
    let register = LocalResource::new(move || {
        decided.track();
        let month = month.get();
        async move {
            match parse_month(&month) {
                Some(_) => payments::register(session, &month).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let body = move || match register.get() {
        None => loading_view(),
        Some(Err(problem)) => problem_view(problem),
        Some(Ok(None)) => view! { <p class="form-error" role="alert">"Выберите месяц."</p> }.into_any(),
        Some(Ok(Some(register))) => view! { <RegisterTable register=register /> }.into_any(),
    };
    view! {
        <section class="card payment-register">
            <h2>"Реестр оплаты за месяц"</h2>
            <MonthField name="register_month" label="Месяц реестра" shown=month on_pick=move |picked| month.set(picked) />
            {body}
        </section>
    }
}

#[component]
fn RegisterTable(register: PaymentRegister) -> impl IntoView {
    let session = use_session();
    let PaymentRegister { month, municipality_name, requests, total } = register;
    let files = files_of(session, month);
    if requests.is_empty() {
        return view! {
            <p class="empty-state" id="payment-register-empty">
                {format!("{municipality_name}: за {} одобренных заявок нет.", month_title(month))}
            </p>
            {files}
        }
        .into_any();
    }
    let rows = requests
        .into_iter()
        .map(|r| {
            let paid = r
                .payment_order
                .clone()
                .zip(r.paid_on)
                .map(|(order, day)| format!("№ {order} от {}", dates::russian(day)));
            view! {
                <tr class="payment-register-row" data-payment-id=r.id>
                    <td data-label="Организация">{format!("{} (ИНН {})", r.organization_name, r.organization_inn)}</td>
                    <td data-label="Вид">{r.kind_title}</td>
                    <td data-label="Статус">{r.status_title}</td>
                    <td data-label="Оплата">{paid.unwrap_or_else(|| "—".to_owned())}</td>
                    <td data-label="Сумма" class="amount">{rubles(r.amount)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="muted">{format!("{municipality_name}, {}", month_title(month))}</p>
        <table class="stack-table payment-register-table">
            <thead>
                <tr>
                    <th scope="col">"Организация"</th>
                    <th scope="col">"Вид"</th>
                    <th scope="col">"Статус"</th>
                    <th scope="col">"Платёжное поручение"</th>
                    <th scope="col" class="amount">
                        "Сумма"
                    </th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        <p class="register-total">"Итого: " <strong id="payment-register-total">{rubles(total)}</strong></p>
        {files}
    }
    .into_any()
}

/// The register of `month` as CSV and PDF.
fn files_of(session: crate::api::Session, month: NaiveDate) -> impl IntoView {
    let text = month_text(month);
    let csv_month = text.clone();
    view! {
        <div class="actions">
            <DownloadLink
                class="register-csv"
                title="Скачать CSV"
                file=format!("payment-register-{text}.csv")
                load=move || {
                    let month = csv_month.clone();
                    async move { payments::register_csv(session, &month).await }
                }
            />
            <PrintLink
                path=payments::register_pdf_path(month)
                class="payment-register"
                title="Печать (PDF)"
                file=format!("payment-register-{text}.pdf")
            />
        </div>
    }
}
