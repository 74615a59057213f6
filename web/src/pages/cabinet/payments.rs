//! `/cabinet/payments`: the organization's month with the operator — the
//! advance on the charges its contracts are expected to bring (from the
//! month's second working day, up to the funding period's share) and the
//! invoice that closes the month with the register's lines, less the advance.

use std::future::Future;

use chrono::NaiveDate;
use leptos::context::Provider;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use navigator_shared::Problem;
use navigator_shared::contract::month_title;
use navigator_shared::documents::payment_file_name;
use navigator_shared::money::signed_rubles;
use navigator_shared::payments::{
    PaymentKind, PaymentLine, PaymentMonth, PaymentRequest, PaymentRequestInput, PaymentRequestUpdate, PaymentStatus,
};

use super::inbox::CabinetNav;
use super::register::{month_text, save};
use super::widgets::{ErrorFor, MonthField, Reader, loading_view, problem_view, rubles, rubles_input, send_checked};
use crate::api::{payments, use_session};
use crate::components::{Field, FieldScope, FormError, FormStatus, TextAreaField};
use crate::dates;
use crate::pages::desk::PrintLink;

/// `<span class="badge payment-status status-CODE">`.
pub(crate) fn payment_badge(request: &PaymentRequest) -> impl IntoView + use<> {
    view! {
        <span class=format!("badge payment-status status-{}", request.status.as_str())>
            {request.status_title.clone()}
        </span>
    }
}

/// `/cabinet/payments`.
#[component]
pub fn CabinetPayments() -> impl IntoView {
    let session = use_session();
    // Empty: the server's current month (its clock says when a month begins).
    let month = RwSignal::new(String::new());
    let loaded = LocalResource::new(move || {
        let month = month.get();
        async move { payments::month(session, &month).await }
    });
    let shown_month = move || {
        let chosen = month.get();
        if chosen.is_empty() {
            loaded.get().and_then(Result::ok).map(|m| month_text(m.month)).unwrap_or_default()
        } else {
            chosen
        }
    };
    let body = move || match loaded.get() {
        None => loading_view(),
        Some(Err(problem)) => problem_view(problem),
        Some(Ok(loaded)) => view! { <MonthView loaded=loaded /> }.into_any(),
    };
    view! {
        <div class="page page-wide">
            <CabinetNav current="/cabinet/payments" />
            <h1>"Оплата услуг"</h1>
            <section class="card filters">
                <MonthField name="month" label="Месяц" shown=Signal::derive(shown_month) on_pick=move |picked| month.set(picked) />
                <p class="hint">
                    "В течение месяца организация запрашивает аванс, после списаний месяца — выставляет счёт: из него вычитается одобренный аванс."
                </p>
            </section>
            {body}
        </div>
    }
}

/// The month's sums, its advance and its invoice.
#[component]
fn MonthView(loaded: PaymentMonth) -> impl IntoView {
    let PaymentMonth { month, expected, advance_percent, advance_limit, advance_opens_on, advance, invoice } = loaded;
    view! {
        <section class="card payment-month">
            <h2>{format!("Месяц: {}", month_title(month))}</h2>
            <dl class="balance payment-sums">
                <div>
                    <dt>"Ожидаемые списания по договорам"</dt>
                    <dd id="payments-expected">{rubles(expected)}</dd>
                </div>
                <div>
                    <dt>{format!("Аванс, не более {advance_percent} %")}</dt>
                    <dd id="advance-limit">{rubles(advance_limit)}</dd>
                </div>
            </dl>
            <p class="advance-opens">
                "Заявку на аванс можно отправить с " <strong id="advance-opens">{dates::russian(advance_opens_on)}</strong>
                " — второго рабочего дня месяца."
            </p>
        </section>
        <AdvanceSection month=month limit=advance_limit advance=RwSignal::new(advance) />
        <InvoiceSection month=month invoice=RwSignal::new(invoice) />
    }
}

/// What stands with a request: its status, the operator's comment when it
/// came back, the payment, and its files.
#[component]
fn RequestState(request: PaymentRequest) -> impl IntoView {
    let returned = (request.status == PaymentStatus::Returned).then(|| request.return_comment.clone()).flatten();
    let paid = request.payment_order.clone().zip(request.paid_on).map(|(order, day)| {
        view! {
            <p class="payment-paid">
                {format!("Оплачена платёжным поручением № {order} от {}", dates::russian(day))}
            </p>
        }
    });
    view! {
        <p class="item-meta">
            {payment_badge(&request)}
            {(request.kind == PaymentKind::Advance)
                .then(|| view! { <span class="payment-amount">{format!("Сумма: {}", rubles(request.amount))}</span> })}
            {request
                .submitted_at
                .map(|at| view! { <span class="muted">{format!("Отправлена {}", dates::day(at))}</span> })}
        </p>
        {returned
            .map(|comment| {
                view! {
                    <div class="moderation-note">
                        <p class="muted">"Оператор вернул на доработку:"</p>
                        <p class="return-comment">{comment}</p>
                    </div>
                }
            })}
        {paid}
        <RequestFiles request=request />
    }
}

/// The request's PDF and CSV.
#[component]
pub(crate) fn RequestFiles(request: PaymentRequest) -> impl IntoView {
    let session = use_session();
    let id = request.id;
    view! {
        <div class="actions payment-files">
            <PrintLink
                path=payments::document_path(id)
                class="payment"
                title="Документ (PDF)"
                file=payment_file_name(&request, "pdf")
            />
            <DownloadLink
                class="payment-csv"
                title="Строки (CSV)"
                file=payment_file_name(&request, "csv")
                load=move || payments::lines_csv(session, id)
            />
        </div>
    }
}

/// A link to a file the API makes (a CSV): fetched with the session's token
/// and handed to the browser as a download named `file`.
#[component]
pub(crate) fn DownloadLink<Fut>(
    /// The link is `a.{class}`.
    class: &'static str,
    title: &'static str,
    file: String,
    load: impl Fn() -> Fut + 'static,
) -> impl IntoView
where
    Fut: Future<Output = Result<web_sys::Blob, Problem>> + 'static,
{
    let status = FormStatus::new();
    let download = status.action(move |()| load(), move |blob: web_sys::Blob| save(&blob, &file));
    let pending = download.pending();
    view! {
        <a
            class=format!("button button-secondary {class}")
            href="#"
            on:click=move |ev| {
                ev.prevent_default();
                if !pending.get_untracked() {
                    status.clear();
                    download.dispatch_local(());
                }
            }
        >
            {move || if pending.get() { "Готовим файл…" } else { title }}
        </a>
        <FormError status=status />
    }
}

/// `.payment-advance`: the advance asked, or the form to ask it (again).
#[component]
fn AdvanceSection(month: NaiveDate, limit: i64, advance: RwSignal<Option<PaymentRequest>>) -> impl IntoView {
    let session = use_session();
    let status = FormStatus::new();
    let (amount, note) = advance.with_untracked(|a| match a {
        Some(r) => (rubles_input(r.amount), r.note.clone().unwrap_or_default()),
        None => (rubles_input(limit), String::new()),
    });
    let (amount, note) = (RwSignal::new(amount), RwSignal::new(note));
    let send = status.action(
        move |(id, update): (Option<i64>, PaymentRequestUpdate)| async move {
            let draft = match id {
                Some(id) => payments::update(session, id, &update).await?,
                None => {
                    let PaymentRequestUpdate { amount, note } = update;
                    let input =
                        PaymentRequestInput { kind: PaymentKind::Advance, month: month_text(month), amount, note };
                    payments::create(session, &input).await?
                }
            };
            // Kept even when sending fails: the next attempt corrects this draft.
            let id = draft.id;
            advance.set(Some(draft));
            payments::submit(session, id).await
        },
        move |sent: PaymentRequest| {
            advance.set(Some(sent));
            status.done("Заявка на аванс отправлена оператору.");
        },
    );
    let pending = send.pending();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut reader = Reader::default();
        // Empty: the whole limit.
        let amount = (!amount.with_untracked(|a| a.trim().is_empty())).then(|| reader.kopecks("amount", amount));
        let update = PaymentRequestUpdate { amount, note: Some(note.get_untracked()) };
        let id = advance.with_untracked(|a| a.as_ref().map(|r| r.id));
        send_checked(status, send, (id, update), reader.errors, |(_, update)| update.note());
    };
    let asked = move || advance.with(Option::is_some);
    let editable = move || advance.with(|a| a.as_ref().is_none_or(|r| r.status.editable()));
    view! {
        <section class="card payment-advance">
            <h2>"Аванс"</h2>
            // The fields of both sections share their names.
            <Provider value=FieldScope("advance-")>
                <FormError status=status />
                <ErrorFor name="month" errors=status.errors />
                {move || advance.get().map(|request| view! { <RequestState request=request /> })}
                <Show
                    when=move || editable() && (asked() || limit > 0)
                    fallback=move || {
                        (!asked())
                            .then(|| {
                                view! {
                                    <p class="empty-state">
                                        "В этом месяце по договорам организации не ожидается списаний: аванс не положен."
                                    </p>
                                }
                            })
                    }
                >
                    <form class="form advance-form" novalidate=true on:submit=on_submit>
                        <Field
                            name="amount"
                            label="Сумма аванса, ₽"
                            value=amount
                            errors=status.errors
                            inputmode="decimal"
                            autocomplete="off"
                            hint="Не больше предельной суммы аванса; пустое поле — вся предельная сумма"
                        />
                        <TextAreaField
                            name="note"
                            label="Примечание для оператора"
                            value=note
                            errors=status.errors
                            hint="Необязательно"
                        />
                        <button type="submit" class="button" disabled=move || pending.get()>
                            {move || {
                                if pending.get() {
                                    "Отправляем…"
                                } else if asked() {
                                    "Отправить снова"
                                } else {
                                    "Отправить заявку на аванс"
                                }
                            }}
                        </button>
                    </form>
                </Show>
            </Provider>
        </section>
    }
}

/// `.payment-invoice`: the month's invoice with its lines, or the button that makes it.
#[component]
fn InvoiceSection(month: NaiveDate, invoice: RwSignal<Option<PaymentRequest>>) -> impl IntoView {
    let session = use_session();
    let status = FormStatus::new();
    let note = RwSignal::new(invoice.with_untracked(|i| i.as_ref().and_then(|r| r.note.clone())).unwrap_or_default());
    let make = status.action(
        move |()| async move {
            let input =
                PaymentRequestInput { kind: PaymentKind::Invoice, month: month_text(month), amount: None, note: None };
            payments::create(session, &input).await
        },
        move |draft: PaymentRequest| {
            invoice.set(Some(draft));
            status.done("Счёт сформирован по списаниям месяца: проверьте строки и отправьте его оператору.");
        },
    );
    let making = make.pending();
    let send = status.action(
        move |(id, update): (i64, Option<PaymentRequestUpdate>)| async move {
            if let Some(update) = update {
                invoice.set(Some(payments::update(session, id, &update).await?));
            }
            payments::submit(session, id).await
        },
        move |sent: PaymentRequest| {
            invoice.set(Some(sent));
            status.done("Счёт отправлен оператору.");
        },
    );
    let sending = send.pending();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some((id, saved)) =
            invoice.with_untracked(|i| i.as_ref().map(|r| (r.id, r.note.clone().unwrap_or_default())))
        else {
            return;
        };
        let text = note.get_untracked();
        // The note is saved only when it changed.
        let update = (text.trim() != saved.trim()).then_some(PaymentRequestUpdate { amount: None, note: Some(text) });
        status.submit(send, (id, update), |(_, update)| update.as_ref().map_or(Ok(None), PaymentRequestUpdate::note));
    };
    let editable = move || invoice.with(|i| i.as_ref().is_some_and(|r| r.status.editable()));
    view! {
        <section class="card payment-invoice">
            <h2>"Счёт за месяц"</h2>
            <Provider value=FieldScope("invoice-")>
                <FormError status=status />
                <ErrorFor name="month" errors=status.errors />
                {move || match invoice.get() {
                    None => {
                        view! {
                            <p class="hint">
                                "Счёт собирается из списаний месяца по договорам и перерасчётов прошлых месяцев; одобренный аванс вычитается."
                            </p>
                            <button
                                type="button"
                                class="button make-invoice"
                                disabled=move || making.get()
                                on:click=move |_| {
                                    status.clear();
                                    make.dispatch_local(());
                                }
                            >
                                {move || if making.get() { "Формируем…" } else { "Сформировать счёт" }}
                            </button>
                        }
                            .into_any()
                    }
                    Some(request) => {
                        view! {
                            <RequestState request=request.clone() />
                            <InvoiceLines request=request />
                        }
                            .into_any()
                    }
                }}
                <Show when=editable>
                    <form class="form invoice-form" novalidate=true on:submit=on_submit>
                        <TextAreaField
                            name="note"
                            label="Примечание для оператора"
                            value=note
                            errors=status.errors
                            hint="Необязательно"
                        />
                        <button type="submit" class="button" disabled=move || sending.get()>
                            {move || if sending.get() { "Отправляем…" } else { "Отправить счёт" }}
                        </button>
                    </form>
                </Show>
            </Provider>
        </section>
    }
}

/// An invoice's lines and sums; a correction of an earlier month shows what
/// it was and what it is now.
#[component]
pub(crate) fn InvoiceLines(request: PaymentRequest) -> impl IntoView {
    let lines = if request.lines.is_empty() {
        view! { <p class="empty-state">"Списаний для счёта пока нет."</p> }.into_any()
    } else {
        let rows = request.lines.into_iter().map(line_row).collect_view();
        view! {
            <table class="stack-table payment-lines">
                <thead>
                    <tr>
                        <th scope="col">"Договор"</th>
                        <th scope="col">"Сертификат"</th>
                        <th scope="col">"Ребёнок"</th>
                        <th scope="col">"Программа"</th>
                        <th scope="col">"Месяц"</th>
                        <th scope="col" class="amount">
                            "Сумма"
                        </th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        {lines}
        <dl class="balance payment-sums invoice-sums">
            <div>
                <dt>"Списания за месяц"</dt>
                <dd id="invoice-charges">{rubles(request.charges)}</dd>
            </div>
            <div>
                <dt>"Перерасчёт прошлых месяцев"</dt>
                <dd id="invoice-corrections">{signed_rubles(request.corrections)}</dd>
            </div>
            <div>
                <dt>"Вычитается аванс за месяц"</dt>
                <dd id="invoice-advance">{rubles(request.advance)}</dd>
            </div>
            <div class="balance-main">
                <dt>"К оплате"</dt>
                <dd id="invoice-amount">{rubles(request.amount)}</dd>
            </div>
        </dl>
        {(request.amount < 0)
            .then(|| {
                view! {
                    <p class="hint">
                        {format!(
                            "Аванс больше начисленного за месяц: {} организация возвращает.",
                            rubles(-request.amount),
                        )}
                    </p>
                }
            })}
    }
}

/// `<tr class="payment-line">`; each cell names its column for the stacked
/// layout of a phone.
fn line_row(line: PaymentLine) -> impl IntoView {
    let correction = line.original.zip(line.corrected);
    let sum = if correction.is_some() { signed_rubles(line.amount) } else { rubles(line.amount) };
    view! {
        <tr class="payment-line" class:payment-correction=correction.is_some()>
            <td data-label="Договор">{format!("№ {}", line.contract_id)}</td>
            <td data-label="Сертификат">{line.certificate_number}</td>
            <td data-label="Ребёнок">{line.child_name}</td>
            <td data-label="Программа">{line.program_title}</td>
            <td data-label="Месяц">{month_title(line.month)}</td>
            <td data-label="Сумма" class="amount">
                <span>
                    {sum}
                    {correction
                        .map(|(original, corrected)| {
                            view! {
                                <span class="line-correction">
                                    {format!("было {} → стало {}", rubles(original), rubles(corrected))}
                                </span>
                            }
                        })}
                </span>
            </td>
        </tr>
    }
}
