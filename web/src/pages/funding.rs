//! The operator's funding: periods of the municipality and the queue of funding requests.

use chrono::{Datelike, NaiveDate};
use leptos::context::Provider;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use navigator_shared::FieldErrors;
use navigator_shared::accounts::Role;
use navigator_shared::funding::FundingRequestsQuery;
use navigator_shared::funding::{
    Account, FundingKind, FundingPeriod, FundingPeriodInput, FundingRefusal, FundingRefuseRequest, FundingRequest,
    FundingRequestStatus, Unit,
};

use super::cabinet::widgets::{
    FilterSelect, LIST_PER_PAGE, Municipalities, Reader, code_options, loading_view, paged_list, problem_view,
    rubles_input, send_checked,
};
use crate::api::{enrolment, use_session};
use crate::components::{
    Field, FieldScope, FormError, FormStatus, MunicipalitySelect, Notice, SelectField, SubmitButton, TextAreaField,
};
use crate::dates;

// ---- periods ------------------------------------------------------------------------

/// `/funding-periods`.
#[component]
pub fn FundingPeriods() -> impl IntoView {
    let session = use_session();
    // Bumped after a new period so the list is loaded again.
    let version = RwSignal::new(0_u32);
    let periods = LocalResource::new(move || {
        version.track();
        enrolment::funding_periods(session)
    });
    // The one period whose edit form is open: the forms share field ids.
    let editing = RwSignal::new(None::<i64>);
    let list = move || match periods.get() {
        None => loading_view(),
        Some(Err(problem)) => problem_view(problem),
        Some(Ok(periods)) if periods.is_empty() => view! {
            <p class="empty-state">
                "Периодов финансирования пока нет. Откройте период на год: номинал сертификата и лимиты."
            </p>
        }
        .into_any(),
        Some(Ok(periods)) => periods
            .into_iter()
            .map(|period| view! { <PeriodItem period=period editing=editing /> })
            .collect_view()
            .into_any(),
    };
    view! {
        <div class="page page-wide">
            <h1>"Периоды финансирования"</h1>
            <p class="hint funding-intro">
                "На период муниципалитет задаёт номинал сертификата и лимиты: сколько сертификатов и на какую сумму можно профинансировать."
            </p>
            <div class="part-list period-list">{list}</div>
            <section class="card">
                <h2>"Новый период"</h2>
                <PeriodForm saved=Callback::new(move |_| version.update(|v| *v += 1)) />
            </section>
        </div>
    }
}

/// One period: its limits with what is used, and its edit form in place.
#[component]
fn PeriodItem(period: FundingPeriod, editing: RwSignal<Option<i64>>) -> impl IntoView {
    let id = period.id;
    let period = RwSignal::new(period);
    let notice = RwSignal::new(None::<&'static str>);
    let open = move || editing.get() == Some(id);
    let saved = Callback::new(move |updated: FundingPeriod| {
        period.set(updated);
        editing.set(None);
        notice.set(Some("Изменения сохранены."));
    });
    view! {
        <article class="funding-period list-item" data-period-id=id>
            <h2 class="item-title">
                {move || period.with(|p| format!("{}, {} год", p.municipality_name, p.year))}
            </h2>
            {move || notice.get().map(|message| view! { <Notice><p>{message}</p></Notice> })}
            {move || period.with(period_facts)}
            <Show when=move || !open()>
                <div class="actions">
                    <button
                        type="button"
                        class="button button-secondary edit-period"
                        on:click=move |_| {
                            notice.set(None);
                            editing.set(Some(id));
                        }
                    >
                        "Изменить"
                    </button>
                </div>
            </Show>
            <Show when=open>
                // The new-period form below has fields of the same names.
                <Provider value=FieldScope("edit-")>
                    <PeriodForm
                        period=period.get_untracked()
                        saved=saved
                        cancel=Callback::new(move |()| editing.set(None))
                    />
                </Provider>
            </Show>
        </article>
    }
}

/// Nominal, dates, and each limit with what is used of it.
fn period_facts(p: &FundingPeriod) -> AnyView {
    view! {
        <p class="item-meta">
            <span class="period-kind">{Account::of(p.kind, p.unit).title()}</span>
            <span class="period-nominal">{format!("Номинал: {}", Account::of(p.kind, p.unit).show(p.nominal))}</span>
            <span class="period-dates muted">
                {format!("{} – {}", dates::russian(p.starts_on), dates::russian(p.ends_on))}
            </span>
            <span class="period-advance muted">{format!("Аванс: до {} %", p.advance_percent)}</span>
        </p>
        <div class="period-limits">
            <p class="period-count">
                {format!("Сертификатов: {} из {}", p.funded_count, p.max_certificates)}
            </p>
            {usage_bar(i64::from(p.funded_count), i64::from(p.max_certificates))}
            <p class="period-volume">
                {format!(
                    "Объём: {} из {}",
                    Account::of(p.kind, p.unit).show(p.funded_volume),
                    Account::of(p.kind, p.unit).show(p.max_volume)
                )}
            </p>
            {usage_bar(p.funded_volume, p.max_volume)}
        </div>
    }
    .into_any()
}

/// A bar filled by the used share of a limit; the text beside it says the numbers.
fn usage_bar(used: i64, limit: i64) -> impl IntoView {
    let percent = if limit > 0 { (used.saturating_mul(100) / limit).clamp(0, 100) } else { 100 };
    let full = percent >= 100;
    view! {
        <div class="usage-bar" class:full=full aria-hidden="true">
            <span style=format!("width: {percent}%")></span>
        </div>
    }
}

/// The inputs of a period as their text.
#[derive(Clone, Copy)]
struct PeriodFields {
    municipality: RwSignal<String>,
    year: RwSignal<String>,
    nominal: RwSignal<String>,
    max_certificates: RwSignal<String>,
    max_volume: RwSignal<String>,
    starts_on: RwSignal<String>,
    ends_on: RwSignal<String>,
    advance_percent: RwSignal<String>,
    kind: RwSignal<String>,
    unit: RwSignal<String>,
}

impl PeriodFields {
    fn new() -> Self {
        Self {
            municipality: RwSignal::new(String::new()),
            year: RwSignal::new(String::new()),
            nominal: RwSignal::new(String::new()),
            max_certificates: RwSignal::new(String::new()),
            max_volume: RwSignal::new(String::new()),
            starts_on: RwSignal::new(String::new()),
            ends_on: RwSignal::new(String::new()),
            advance_percent: RwSignal::new(String::new()),
            kind: RwSignal::new(FundingKind::Personified.as_str().to_owned()),
            unit: RwSignal::new(Unit::Rub.as_str().to_owned()),
        }
    }

    /// A new period of this year, in `municipality` when it is known.
    fn fill_new(&self, municipality: Option<i64>) {
        let year = chrono::Local::now().year();
        self.municipality.set(municipality.map(|id| id.to_string()).unwrap_or_default());
        self.year.set(year.to_string());
        self.nominal.set(String::new());
        self.max_certificates.set(String::new());
        self.max_volume.set(String::new());
        self.starts_on.set(dates::input_text(NaiveDate::from_ymd_opt(year, 1, 1)));
        self.ends_on.set(dates::input_text(NaiveDate::from_ymd_opt(year, 12, 31)));
        self.advance_percent.set(navigator_shared::payments::DEFAULT_ADVANCE_PERCENT.to_string());
    }

    fn fill(&self, p: &FundingPeriod) {
        self.municipality.set(p.municipality_id.to_string());
        self.year.set(p.year.to_string());
        let amount = |value: i64| if p.unit == Unit::Hour { value.to_string() } else { rubles_input(value) };
        self.nominal.set(amount(p.nominal));
        self.max_certificates.set(p.max_certificates.to_string());
        self.max_volume.set(amount(p.max_volume));
        self.kind.set(p.kind.as_str().to_owned());
        self.unit.set(p.unit.as_str().to_owned());
        self.starts_on.set(dates::input_text(Some(p.starts_on)));
        self.ends_on.set(dates::input_text(Some(p.ends_on)));
        self.advance_percent.set(p.advance_percent.to_string());
    }

    /// The input as far as it could be read, and what could not be.
    fn read(&self) -> (FundingPeriodInput, FieldErrors) {
        let mut reader = Reader::default();
        let municipality_id = self.municipality.get_untracked().parse().unwrap_or_else(|_| {
            reader.errors.add("municipality_id", "Выберите муниципалитет");
            0
        });
        let kind = FundingKind::parse(&self.kind.get_untracked()).unwrap_or(FundingKind::Personified);
        let unit = if kind == FundingKind::Social { Unit::parse(&self.unit.get_untracked()) } else { None };
        let unit = unit.unwrap_or(Unit::Rub);
        // A nominal in hours is a whole number of hours; in roubles, a sum.
        let amount = |reader: &mut Reader, name: &str, value: RwSignal<String>| match unit {
            Unit::Hour => i64::from(reader.int(name, value)),
            Unit::Rub => sum(reader, name, value),
        };
        let input = FundingPeriodInput {
            municipality_id,
            year: reader.int("year", self.year),
            nominal: amount(&mut reader, "nominal", self.nominal),
            max_certificates: reader.int("max_certificates", self.max_certificates),
            max_volume: amount(&mut reader, "max_volume", self.max_volume),
            kind,
            unit,
            starts_on: reader.date("starts_on", self.starts_on),
            ends_on: reader.date("ends_on", self.ends_on),
            advance_percent: reader.int("advance_percent", self.advance_percent),
        };
        (input, reader.errors)
    }
}

/// A required sum in rubles, in kopecks (the reader's own message for an
/// empty field speaks of free programs).
fn sum(reader: &mut Reader, name: &str, value: RwSignal<String>) -> i64 {
    if value.with_untracked(|v| v.trim().is_empty()) {
        reader.errors.add(name, "Укажите сумму в рублях");
        return 0;
    }
    reader.kopecks(name, value)
}

/// `<form id="period-form">` for a new period, or the edit form of `period`
/// (`id="period-edit-form"`; its municipality and year do not change).
#[component]
fn PeriodForm(
    #[prop(optional)] period: Option<FundingPeriod>,
    /// Runs with the period the API saved.
    saved: Callback<FundingPeriod>,
    #[prop(optional)] cancel: Option<Callback<()>>,
) -> impl IntoView {
    let session = use_session();
    let id = period.as_ref().map(|p| p.id);
    let fields = PeriodFields::new();
    // An operator opens periods of his own municipality only.
    let own_municipality =
        untrack(|| session.user()).filter(|user| user.role == Role::Operator).and_then(|user| user.municipality_id);
    match &period {
        Some(period) => fields.fill(period),
        None => fields.fill_new(own_municipality),
    }
    let status = FormStatus::new();
    let save = status.action(
        move |(id, input): (Option<i64>, FundingPeriodInput)| async move {
            match id {
                Some(id) => enrolment::update_funding_period(session, id, &input).await,
                None => enrolment::create_funding_period(session, &input).await,
            }
        },
        move |period: FundingPeriod| {
            if id.is_none() {
                fields.fill_new(own_municipality);
                status.done(format!("Период на {} год открыт: {}.", period.year, period.municipality_name));
            }
            saved.run(period);
        },
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (input, errors) = fields.read();
        send_checked(status, save, (id, input), errors, |(_, input)| input.validate());
    };
    let errors = status.errors;
    view! {
        <form
            id=if id.is_some() { "period-edit-form" } else { "period-form" }
            class="form period-form"
            novalidate=true
            on:submit=on_submit
        >
            <FormError status=status />
            {id
                .is_none()
                .then(|| {
                    view! {
                        <MunicipalitySelect value=fields.municipality errors=errors />
                        <div class="row row-even">
                            <FilterSelect
                                name="kind"
                                label="Сертификат"
                                value=fields.kind
                                options=code_options(FundingKind::ALL, FundingKind::as_str, FundingKind::title)
                            />
                            <Show when=move || fields.kind.with(|k| k == FundingKind::Social.as_str())>
                                <FilterSelect
                                    name="unit"
                                    label="Номинал в"
                                    value=fields.unit
                                    options=vec![
                                        (Unit::Rub.as_str().to_owned(), "рублях".to_owned()),
                                        (Unit::Hour.as_str().to_owned(), "часах".to_owned()),
                                    ]
                                />
                            </Show>
                        </div>
                        <Field
                            name="year"
                            label="Год"
                            value=fields.year
                            errors=errors
                            kind="number"
                            inputmode="numeric"
                            autocomplete="off"
                            required=true
                        />
                    }
                })}
            <div class="row row-even">
                <Field
                    name="nominal"
                    label="Номинал сертификата, ₽"
                    value=fields.nominal
                    errors=errors
                    inputmode="decimal"
                    autocomplete="off"
                    hint="Зачисляется на один сертификат"
                    required=true
                />
                <Field
                    name="max_certificates"
                    label="Сертификатов, не более"
                    value=fields.max_certificates
                    errors=errors
                    kind="number"
                    inputmode="numeric"
                    autocomplete="off"
                    hint="Лимит по числу"
                    required=true
                />
            </div>
            <div class="row row-even">
                <Field
                    name="max_volume"
                    label="Объём финансирования, ₽"
                    value=fields.max_volume
                    errors=errors
                    inputmode="decimal"
                    autocomplete="off"
                    hint="Сумма всех номиналов за период"
                    required=true
                />
                <Field
                    name="advance_percent"
                    label="Аванс поставщикам, %"
                    value=fields.advance_percent
                    errors=errors
                    kind="number"
                    inputmode="numeric"
                    autocomplete="off"
                    hint="Доля ожидаемых списаний месяца"
                    required=true
                />
            </div>
            <div class="row row-even">
                <Field
                    name="starts_on"
                    label="Начало периода"
                    value=fields.starts_on
                    errors=errors
                    kind="date"
                    autocomplete="off"
                    required=true
                />
                <Field
                    name="ends_on"
                    label="Конец периода"
                    value=fields.ends_on
                    errors=errors
                    kind="date"
                    autocomplete="off"
                    required=true
                />
            </div>
            <div class="actions form-actions">
                <SubmitButton
                    pending=save.pending()
                    label=if id.is_some() { "Сохранить" } else { "Открыть период" }
                    busy="Сохраняем…"
                />
                {cancel
                    .map(|cancel| {
                        view! {
                            <button
                                type="button"
                                class="button button-secondary cancel-period"
                                on:click=move |_| cancel.run(())
                            >
                                "Отмена"
                            </button>
                        }
                    })}
            </div>
        </form>
    }
}

// ---- requests -----------------------------------------------------------------------

/// `/funding-requests`.
#[component]
pub fn FundingQueue() -> impl IntoView {
    let session = use_session();
    // An operator's queue is of his own municipality: only the admin needs its name.
    let admin = untrack(|| session.user()).is_some_and(|user| user.role == Role::Admin);
    let municipalities = admin.then(Municipalities::load);
    let status = RwSignal::new(FundingRequestStatus::Submitted.as_str().to_owned());
    let page = RwSignal::new(1_i64);
    let list = LocalResource::new(move || {
        let query = FundingRequestsQuery {
            status: FundingRequestStatus::parse(&status.get()),
            page: Some(page.get()),
            per_page: Some(LIST_PER_PAGE),
        };
        async move { enrolment::funding_requests(session, &query).await }
    });
    // The one request whose refusal form is open: the forms share field ids.
    let refusing = RwSignal::new(None::<i64>);
    let statuses = code_options(FundingRequestStatus::ALL, FundingRequestStatus::as_str, FundingRequestStatus::title);
    let results = move || {
        paged_list(
            list.get(),
            page,
            ("Заявлений", "part-list request-list"),
            || {
                view! {
                    <p class="empty-state">
                        {if status.with(|s| s == FundingRequestStatus::Submitted.as_str()) {
                            "Новых заявлений нет: все рассмотрены."
                        } else {
                            "Заявлений в этом статусе нет."
                        }}
                    </p>
                }
                .into_any()
            },
            |request| {
                view! { <RequestItem request=request refusing=refusing municipalities=municipalities /> }.into_any()
            },
        )
    };
    view! {
        <div class="page page-wide">
            <h1>"Заявки на зачисление номинала"</h1>
            <p class="hint funding-intro">"Сначала самые ранние. Решение — в течение 5 рабочих дней со дня подачи."</p>
            <section class="card filters">
                <FilterSelect
                    name="status"
                    label="Статус"
                    value=status
                    options=statuses
                    on_change=Callback::new(move |()| page.set(1))
                />
            </section>
            {results}
        </div>
    }
}

/// One request: who, how much, by when, and the operator's decision.
#[component]
fn RequestItem(
    request: FundingRequest,
    refusing: RwSignal<Option<i64>>,
    /// The names to show the request's municipality by (for the admin).
    municipalities: Option<Municipalities>,
) -> impl IntoView {
    let session = use_session();
    let id = request.id;
    let municipality_id = request.municipality_id;
    let request = RwSignal::new(request);
    // The reason the refusal form starts with: the limit an approval ran into.
    let reason = RwSignal::new(String::new());
    let approval = FormStatus::new();
    let approve = approval.action(
        move |id: i64| async move {
            let answer = enrolment::approve_funding(session, id).await;
            if let Err(problem) = &answer
                && let Some(refusal) = FundingRefusal::parse(&problem.code)
            {
                reason.set(refusal.as_str().to_owned());
            }
            answer
        },
        move |updated: FundingRequest| request.set(updated),
    );
    let approving = approve.pending();
    let submitted = move || request.with(|r| r.status == FundingRequestStatus::Submitted);
    let decided = Callback::new(move |updated: FundingRequest| {
        request.set(updated);
        refusing.set(None);
    });
    let class = move || {
        if request.with(|r| r.overdue) { "funding-request list-item overdue" } else { "funding-request list-item" }
    };
    view! {
        <article class=class data-request-id=id>
            {move || request.with(request_facts)}
            {municipalities
                .map(|names| {
                    view! {
                        <p class="item-meta muted request-municipality">{move || names.name(municipality_id)}</p>
                    }
                })}
            <Show when=submitted>
                <FormError status=approval />
                <div class="actions">
                    <button
                        type="button"
                        class="button approve-funding"
                        disabled=move || approving.get()
                        on:click=move |_| {
                            approval.clear();
                            approve.dispatch_local(id);
                        }
                    >
                        {move || if approving.get() { "Зачисляем…" } else { "Зачислить номинал" }}
                    </button>
                    <button
                        type="button"
                        class="button button-secondary refuse-funding"
                        aria-expanded=move || if refusing.get() == Some(id) { "true" } else { "false" }
                        on:click=move |_| refusing.set(Some(id))
                    >
                        "Отказать"
                    </button>
                </div>
                <Show when=move || refusing.get() == Some(id)>
                    <RefuseForm
                        id=id
                        reason=reason
                        decided=decided
                        cancel=Callback::new(move |()| refusing.set(None))
                    />
                </Show>
            </Show>
        </article>
    }
}

/// The child, the certificate, the sum, the dates and the status (with the reason of a refusal).
fn request_facts(r: &FundingRequest) -> AnyView {
    let decided = r.decided_at.map(|at| format!("Решение {}", dates::day(at)));
    let reason = r.reason_title.clone().map(|reason| {
        view! { <p class="request-reason">{format!("Причина: {reason}")}</p> }
    });
    let comment = r.comment.clone().filter(|c| !c.trim().is_empty()).map(|comment| {
        view! { <p class="request-comment">{format!("Комментарий: {comment}")}</p> }
    });
    view! {
        <h2 class="item-title request-child">{r.child_name.clone()}</h2>
        <p class="item-meta">
            <span class=format!("badge request-status status-{}", r.status.as_str())>{r.status_title.clone()}</span>
            {r.overdue.then(|| view! { <span class="badge badge-overdue">"Просрочено"</span> })}
        </p>
        <p class="item-meta">
            <span class="request-number">{format!("Сертификат № {}", r.certificate_number)}</span>
            <span class="request-nominal">{format!("{} на {} год: {}", r.account.title(), r.year, r.account.show(r.nominal))}</span>
        </p>
        <p class="item-meta muted">
            <span class="request-date">{format!("Подано {}", dates::day(r.created_at))}</span>
            {match decided {
                Some(decided) => view! { <span class="request-decided">{decided}</span> }.into_any(),
                None => {
                    view! {
                        <span class="request-due">{format!("Решить до {}", dates::russian(r.due_date))}</span>
                    }
                        .into_any()
                }
            }}
        </p>
        {reason}
        {comment}
    }
    .into_any()
}

/// The reason (one of the official four) and an optional comment.
#[component]
fn RefuseForm(
    id: i64,
    reason: RwSignal<String>,
    decided: Callback<FundingRequest>,
    cancel: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let comment = RwSignal::new(String::new());
    let status = FormStatus::new();
    let refuse = status.action(
        move |(id, request): (i64, FundingRefuseRequest)| async move {
            enrolment::refuse_funding(session, id, &request).await
        },
        move |updated: FundingRequest| decided.run(updated),
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(chosen) = FundingRefusal::parse(&reason.get_untracked()) else {
            status.clear();
            return status.invalid(FieldErrors::one("reason", "Выберите причину отказа"));
        };
        let request = FundingRefuseRequest { reason: chosen, comment: Some(comment.get_untracked()) };
        status.submit(refuse, (id, request), |(_, request)| request.comment());
    };
    let reasons = code_options(FundingRefusal::ALL, FundingRefusal::as_str, FundingRefusal::title);
    view! {
        <form id="refuse-form" class="form refuse-form" novalidate=true on:submit=on_submit>
            <FormError status=status />
            <SelectField
                name="reason"
                label="Причина отказа"
                value=reason
                errors=status.errors
                options=reasons
                placeholder="Выберите причину"
                required=true
            />
            <TextAreaField
                name="comment"
                label="Комментарий"
                value=comment
                errors=status.errors
                hint="Необязательно; семья увидит его в уведомлении"
            />
            <div class="actions form-actions">
                <SubmitButton pending=refuse.pending() label="Отказать в зачислении" busy="Отправляем…" />
                <button type="button" class="button button-secondary cancel-refusal" on:click=move |_| cancel.run(())>
                    "Отмена"
                </button>
            </div>
        </form>
    }
}
