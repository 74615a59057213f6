//! `/cabinet/applications`: the organization's applications — filter by
//! status and group (a group's enrolled children are its list), confirm,
//! reject with a reason, offer a contract for a module, enrol, expel,
//! complete, move a child to another group of the program, and apply for a
//! visitor by the certificate number.

use chrono::NaiveDate;
use leptos::context::Provider;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use navigator_shared::ErrorCode;
use navigator_shared::applications::ApplicationsQuery;
use navigator_shared::applications::{
    Application, ApplicationInput, ApplicationStatus, ContractStatus, ExpelReason, ExpelRequest, PaperContractInput,
    RejectReason, RejectRequest, TransferRequest, WithdrawalStatus,
};
use navigator_shared::catalog::ProgramCard;
use navigator_shared::catalog::ProgramStatus;
use navigator_shared::catalog::ProgramsListQuery;
use navigator_shared::reference::PageQuery;
use navigator_shared::{FieldErrors, Problem};

use super::widgets::{FilterSelect, LIST_PER_PAGE, code_options, confirm, paged_list, rubles};
use crate::api::{catalog, enrolment, use_session};
use crate::components::{CheckboxField, Field, FieldScope, FormError, FormStatus, SelectField, TextAreaField};
use crate::dates;
use crate::pages::applications::{ContractSummary, reason_view, source_badge, status_badge, withdrawal_view};
use crate::pages::desk::PrintLink;

/// The organization's published programs: the groups to filter by and apply
/// to, the modules to offer.
type Programs = LocalResource<Result<Vec<ProgramCard>, Problem>>;

/// `(group id, «Программа — Группа»)` of every group.
fn group_options(programs: &[ProgramCard]) -> Vec<(String, String)> {
    programs
        .iter()
        .flat_map(|p| p.groups.iter().map(move |g| (g.id.to_string(), format!("{} — {}", p.summary.title, g.name))))
        .collect()
}

/// The tabs of the cabinet: programs, applications, the register, payments, reviews, events.
#[component]
pub(crate) fn CabinetNav(current: &'static str) -> impl IntoView {
    let link = move |href: &'static str, id: &'static str, text: &'static str| {
        view! {
            <a id=id href=href class="cabinet-tab" aria-current=(href == current).then_some("page")>
                {text}
            </a>
        }
    };
    view! {
        <nav class="cabinet-nav" aria-label="Кабинет организации">
            {link("/cabinet", "cabinet-programs-tab", "Программы")}
            {link("/cabinet/applications", "cabinet-applications-tab", "Заявки и списки групп")}
            {link("/cabinet/register", "cabinet-register-tab", "Реестр оплаты")}
            {link("/cabinet/payments", "cabinet-payments-tab", "Оплата услуг")}
            {link("/cabinet/reviews", "cabinet-reviews-tab", "Отзывы")}
            {link("/cabinet/events", "cabinet-events-tab", "Мероприятия")}
        </nav>
    }
}

/// `/cabinet/applications`.
#[component]
pub fn Inbox() -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let start = |key: &str| query.with_untracked(|q| q.get(key)).unwrap_or_default();
    let status = RwSignal::new(start("status"));
    let group = RwSignal::new(start("group_id"));
    let page = RwSignal::new(1_i64);
    provide_context(OpenForm(RwSignal::new(None)));
    // Bumped after an application is made here, to show it.
    let version = RwSignal::new(0_u32);
    let programs: Programs = LocalResource::new(move || async move {
        let query = ProgramsListQuery {
            status: Some(ProgramStatus::Published),
            page: None,
            per_page: Some(PageQuery::MAX_PER_PAGE),
        };
        catalog::cabinet_programs(session, &query).await.map(|page| page.items)
    });
    let list = LocalResource::new(move || {
        version.track();
        let query = ApplicationsQuery {
            status: ApplicationStatus::parse(&status.get()),
            group_id: group.get().parse().ok(),
            page: Some(page.get()),
            per_page: Some(LIST_PER_PAGE),
            ..ApplicationsQuery::default()
        };
        async move { enrolment::applications(session, &query).await }
    });
    let statuses = code_options(ApplicationStatus::ALL, ApplicationStatus::as_str, ApplicationStatus::title);
    let groups = move || programs.get().and_then(Result::ok).map(|list| group_options(&list)).unwrap_or_default();
    let results = move || {
        paged_list(
            list.get(),
            page,
            ("Заявок", "application-list"),
            || view! { <p class="empty-state">"Заявок с такими условиями нет."</p> }.into_any(),
            |a| view! { <InboxItem application=RwSignal::new(a) programs=programs /> }.into_any(),
        )
    };
    view! {
        <div class="page page-wide">
            <CabinetNav current="/cabinet/applications" />
            <h1>"Заявки"</h1>
            <section class="card filters">
                <div class="filter-row">
                    <FilterSelect
                        name="status"
                        label="Статус"
                        value=status
                        options=statuses
                        all="Все статусы"
                        on_change=Callback::new(move |()| page.set(1))
                    />
                    {move || {
                        view! {
                            <FilterSelect
                                name="group_id"
                                label="Группа"
                                value=group
                                options=groups()
                                all="Все группы"
                                on_change=Callback::new(move |()| page.set(1))
                            />
                        }
                    }}
                </div>
                <p class="hint">"Список группы — статус «Зачислен» и нужная группа."</p>
            </section>
            <VisitorForm programs=programs on_done=move || version.update(|v| *v += 1) />
            {results}
        </div>
    }
}

/// «Заявка от посетителя»: staff apply by the certificate number.
#[component]
fn VisitorForm(programs: Programs, on_done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let session = use_session();
    let number = RwSignal::new(String::new());
    let group = RwSignal::new(String::new());
    let status = FormStatus::new();
    let send = status.action(
        move |input: ApplicationInput| async move { enrolment::apply(session, &input).await },
        move |made: Application| {
            number.set(String::new());
            status.done(match made.waiting_position {
                Some(place) => format!("Группа заполнена: заявка {} в листе ожидания, место {place}.", made.child_name),
                None => format!("Заявка для {} принята.", made.child_name),
            });
            on_done();
        },
    );
    let pending = send.pending();
    let options = Signal::derive(move || {
        programs.get().and_then(Result::ok).map(|list| group_options(&list)).unwrap_or_default()
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        status.clear();
        let mut errors = FieldErrors::new();
        let certificate = number.with_untracked(|n| n.trim().to_owned());
        if certificate.is_empty() {
            errors.add("certificate_number", "Укажите номер сертификата");
        }
        let group_id = group.with_untracked(|g| g.parse::<i64>().ok());
        if group_id.is_none() {
            errors.add("group_id", "Выберите группу");
        }
        match group_id {
            Some(group_id) if errors.is_empty() => {
                send.dispatch_local(ApplicationInput {
                    child_id: None,
                    certificate_number: Some(certificate),
                    group_id,
                    request_certificate: false,
                    consent_personal_data: false,
                    consent_rules: false,
                });
            }
            _ => status.invalid(errors),
        }
    };
    view! {
        <details class="card visitor">
            <summary>"Заявка от посетителя"</summary>
            <Provider value=FieldScope("visitor-")>
            <form id="visitor-form" class="form" on:submit=on_submit novalidate>
                <p class="hint">"Родитель пришёл в организацию: найдите ребёнка по номеру сертификата и выберите группу."</p>
                <FormError status=status />
                <Field
                    name="certificate_number"
                    label="Номер сертификата"
                    value=number
                    errors=status.errors
                    inputmode="numeric"
                    required=true
                />
                <SelectField
                    name="group_id"
                    label="Группа"
                    value=group
                    errors=status.errors
                    options=options
                    placeholder="Выберите группу"
                    required=true
                />
                <button type="submit" class="button" disabled=move || pending.get()>
                    {move || if pending.get() { "Отправляем…" } else { "Подать заявку" }}
                </button>
            </form>
            </Provider>
        </details>
    }
}

/// The form a staff member has opened on an application.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    Reject,
    Expel,
    Offer,
    Paper,
    Transfer,
}

/// The one form open in the inbox (its fields keep their plain ids): the
/// application and which form.
#[derive(Clone, Copy)]
struct OpenForm(RwSignal<Option<(i64, Open)>>);

/// One application of the inbox with the steps its status allows.
#[component]
fn InboxItem(application: RwSignal<Application>, programs: Programs) -> impl IntoView {
    let session = use_session();
    let form = FormStatus::new();
    let OpenForm(open_form) = expect_context::<OpenForm>();
    let id = application.with_untracked(|a| a.id);
    let open = move || open_form.with(|o| o.filter(|(at, _)| *at == id).map(|(_, which)| which));
    let close = move || {
        if open_form.with_untracked(|o| o.is_some_and(|(at, _)| at == id)) {
            open_form.set(None);
        }
    };
    let step = form.action(
        move |(step, done): (&'static str, &'static str)| async move {
            enrolment::application_step(session, id, step).await.map(|a| (a, done))
        },
        move |(updated, done): (Application, &'static str)| {
            application.set(updated);
            form.done(done);
        },
    );
    let pending = step.pending();
    // A step that changes the child's studies asks first (`ask`); confirming an application does not.
    let button = move |class: &'static str, label: &'static str, run: &'static str, done: &'static str| {
        let ask = match run {
            "enroll" => Some("Зачислить ребёнка в группу?"),
            "withdrawal/confirm" => Some("Подтвердить отчисление по заявлению семьи?"),
            "complete" => Some("Отметить, что обучение завершено? Ребёнок выйдет из группы."),
            _ => None,
        };
        view! {
            <button
                type="button"
                class=format!("button {class}")
                disabled=move || pending.get()
                on:click=move |_| {
                    if ask.is_some_and(|question| !confirm(question)) {
                        return;
                    }
                    form.clear();
                    close();
                    step.dispatch_local((run, done));
                }
            >
                {label}
            </button>
        }
    };
    let toggle = move |class: &'static str, label: &'static str, which: Open| {
        view! {
            <button
                type="button"
                class=format!("button button-secondary {class}")
                aria-expanded=move || (open() == Some(which)).to_string()
                on:click=move |_| {
                    if open() == Some(which) { close() } else { open_form.set(Some((id, which))) }
                }
            >
                {label}
            </button>
        }
    };
    let actions = move || {
        let (status, certified, offered, leaving) = application.with(|a| {
            let offered = a.contract.as_ref().is_some_and(|c| c.status == ContractStatus::Offered);
            let leaving = a.withdrawal.as_ref().is_some_and(|w| w.status == WithdrawalStatus::Requested);
            (a.status, a.certified, offered, leaving)
        });
        match status {
            ApplicationStatus::Waiting => view! { {toggle("reject-application", "Отклонить", Open::Reject)} }.into_any(),
            ApplicationStatus::Submitted => view! {
                {button("confirm-application", "Подтвердить", "confirm", "Заявка подтверждена, семья получила уведомление.")}
                {toggle("reject-application", "Отклонить", Open::Reject)}
                {toggle("transfer-application", "Перевести в другую группу", Open::Transfer)}
            }
            .into_any(),
            ApplicationStatus::Confirmed => view! {
                {if !certified {
                    button("enroll-application", "Зачислить", "enroll", "Ребёнок зачислен.").into_any()
                } else if offered {
                    view! {
                        <p class="muted offer-sent">
                            "Договор отправлен семье на подписание в личном кабинете. Если семья подписывает на бумаге, \
                             распечатайте заявление на обучение и отметьте подписание."
                        </p>
                        <PrintLink
                            path=format!("/applications/{id}/documents/enrolment.pdf")
                            class="enrolment"
                            title="Заявление на обучение"
                            file=navigator_shared::documents::enrolment_file_name(id)
                        />
                        {toggle("paper-contract", "Подписан на бумаге", Open::Paper)}
                    }
                    .into_any()
                } else {
                    toggle("offer-contract", "Предложить договор", Open::Offer).into_any()
                }}
                {toggle("reject-application", "Отклонить", Open::Reject)}
                {toggle("transfer-application", "Перевести в другую группу", Open::Transfer)}
            }
            .into_any(),
            ApplicationStatus::Enrolled => view! {
                {leaving.then(|| button(
                    "confirm-withdrawal",
                    "Подтвердить отчисление",
                    "withdrawal/confirm",
                    "Отчисление подтверждено: в последний день занятий договор завершится.",
                ))}
                {button("complete-application", "Обучение завершено", "complete", "Обучение завершено.")}
                {toggle("expel-application", "Отчислить", Open::Expel)}
                {toggle("transfer-application", "Перевести в другую группу", Open::Transfer)}
            }
            .into_any(),
            _ => ().into_any(),
        }
    };
    let updated = move |a: Application, message: &'static str| {
        application.set(a);
        close();
        form.done(message);
    };
    let forms = move || match open() {
        None => ().into_any(),
        Some(Open::Reject) => view! {
            <ReasonForm
                title="Отклонить заявку"
                options=code_options(RejectReason::ALL, RejectReason::as_str, RejectReason::title)
                send=move |(code, comment, _): ReasonInput| async move {
                    let reason = RejectReason::parse(&code).ok_or_else(no_reason)?;
                    enrolment::reject_application(session, id, &RejectRequest { reason, comment }).await
                }
                done=move |a| updated(a, "Заявка отклонена, семья получила уведомление.")
            />
        }
        .into_any(),
        Some(Open::Expel) => view! {
            <ReasonForm
                title="Отчислить"
                options=code_options(ExpelReason::ALL, ExpelReason::as_str, ExpelReason::title)
                last_day=true
                send=move |(code, comment, last_day): ReasonInput| async move {
                    let reason = ExpelReason::parse(&code).ok_or_else(no_reason)?;
                    enrolment::expel(session, id, &ExpelRequest { reason, comment, last_day }).await
                }
                done=move |a| updated(a, "Ребёнок отчислен; остаток по договору возвращён на сертификат.")
            />
        }
        .into_any(),
        Some(Open::Offer) => {
            let program = application.with_untracked(|a| a.program_id);
            let modules = programs
                .get()
                .and_then(Result::ok)
                .and_then(|list| list.into_iter().find(|p| p.summary.id == program))
                .map(|p| p.modules)
                .unwrap_or_default();
            view! { <OfferForm id=id modules=modules done=move |a| updated(a, "Договор предложен семье.") /> }
                .into_any()
        }
        Some(Open::Transfer) => {
            let (program, current) = application.with_untracked(|a| (a.program_id, a.group_id));
            let groups = programs
                .get()
                .and_then(Result::ok)
                .and_then(|list| list.into_iter().find(|p| p.summary.id == program))
                .map(|p| p.groups)
                .unwrap_or_default()
                .into_iter()
                .filter(|g| g.id != current)
                .collect();
            view! {
                <TransferForm
                    id=id
                    groups=groups
                    done=move |a| updated(a, "Ребёнок переведён в другую группу, семья получила уведомление.")
                />
            }
            .into_any()
        }
        Some(Open::Paper) => {
            let contract = application.with_untracked(|a| a.contract.as_ref().map(|c| c.id));
            view! {
                <PaperForm
                    id=id
                    contract=contract.unwrap_or_default()
                    done=move |a| updated(a, "Договор подписан, ребёнок зачислен; стоимость зарезервирована на сертификате.")
                />
            }
            .into_any()
        }
    };
    let body = move || {
        let a = application.get();
        view! {
            <h2 class="item-title">{a.child_name.clone()}</h2>
            <p class="item-meta">
                {status_badge(a.status)}
                <span>{format!("родился(ась) {}", dates::russian(a.child_birth_date))}</span>
                {a.certificate_number.clone().map(|n| view! { <span class="muted">{format!("сертификат № {n}")}</span> })}
            </p>
            <p>{format!("{} — {}", a.program_title, a.group_name)}</p>
            <p class="muted">{format!("Подана {}", dates::day(a.created_at))} {source_badge(&a)}</p>
            {a.waiting_position.map(|place| view! { <p class="waiting-position">{format!("Лист ожидания: место {place}")}</p> })}
            {reason_view(&a)}
            {a.withdrawal.as_ref().map(withdrawal_view)}
            {a.contract.clone().map(|contract| view! { <ContractSummary contract=contract /> })}
        }
    };
    view! {
        <article class="list-item application" data-application-id=id.to_string()>
            {body}
            <FormError status=form />
            <div class="actions application-actions">{actions}</div>
            {forms}
        </article>
    }
}

fn no_reason() -> Problem {
    let errors = FieldErrors::one("reason", "Выберите причину");
    Problem {
        type_: "about:blank".to_owned(),
        title: String::new(),
        status: 400,
        code: ErrorCode::ValidationFailed.as_str().to_owned(),
        detail: "Выберите причину.".to_owned(),
        errors,
    }
}

/// The reason's code, the comment and, expelling, the last day of studies.
type ReasonInput = (String, Option<String>, Option<NaiveDate>);

/// A reason from the list and a comment, for rejecting and expelling.
#[component]
fn ReasonForm<Fut>(
    title: &'static str,
    options: Vec<(String, String)>,
    /// Asks for the last day of studies (expelling).
    #[prop(optional)]
    last_day: bool,
    send: impl Fn(ReasonInput) -> Fut + 'static,
    done: impl Fn(Application) + Clone + 'static,
) -> impl IntoView
where
    Fut: std::future::Future<Output = Result<Application, Problem>> + 'static,
{
    let reason = RwSignal::new(String::new());
    let comment = RwSignal::new(String::new());
    let day = RwSignal::new(String::new());
    let status = FormStatus::new();
    let action = status.action(send, done);
    let pending = action.pending();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        status.clear();
        if reason.with_untracked(String::is_empty) {
            status.invalid(no_reason().errors);
            return;
        }
        // Whether the day is not in the future the server decides, by its clock.
        let day = match dates::read("last_day", day) {
            Ok(day) => day,
            Err(errors) => return status.invalid(errors),
        };
        let text = comment.with_untracked(|c| c.trim().to_owned());
        action.dispatch_local((reason.get_untracked(), (!text.is_empty()).then_some(text), day));
    };
    let options = Signal::stored(options);
    view! {
        <form class="form reason-form" on:submit=on_submit novalidate>
            <h3>{title}</h3>
            <FormError status=status />
            <SelectField
                name="reason"
                label="Причина"
                value=reason
                errors=status.errors
                options=options
                placeholder="Выберите причину"
                required=true
            />
            <TextAreaField name="comment" label="Комментарий для семьи" value=comment errors=status.errors />
            {last_day
                .then(|| {
                    view! {
                        <Field
                            name="last_day"
                            label="Последний день занятий"
                            value=day
                            errors=status.errors
                            kind="date"
                            autocomplete="off"
                            hint="Если ребёнок перестал заниматься раньше сегодняшнего дня: месяцы оплатятся по этот день"
                        />
                    }
                })}
            <button type="submit" class="button" disabled=move || pending.get()>
                {move || if pending.get() { "Отправляем…" } else { title }}
            </button>
        </form>
    }
}

/// «Предложить договор»: the module the family will sign for.
#[component]
fn OfferForm(
    id: i64,
    modules: Vec<navigator_shared::catalog::Module>,
    done: impl Fn(Application) + Clone + 'static,
) -> impl IntoView {
    let session = use_session();
    let module = RwSignal::new(modules.first().map(|m| m.id.to_string()).unwrap_or_default());
    let status = FormStatus::new();
    let action = status.action(
        move |module_id: i64| async move {
            enrolment::offer_contract(session, id, module_id).await?;
            enrolment::application(session, id).await
        },
        done,
    );
    let pending = action.pending();
    let options = Signal::stored(
        modules.iter().map(|m| (m.id.to_string(), format!("{} — {}", m.name, rubles(m.price)))).collect::<Vec<_>>(),
    );
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        status.clear();
        match module.with_untracked(|m| m.parse::<i64>().ok()) {
            Some(module_id) => {
                action.dispatch_local(module_id);
            }
            None => {
                status.invalid(FieldErrors::one("module_id", "Выберите модуль"));
            }
        }
    };
    view! {
        <form class="form offer-form" on:submit=on_submit novalidate>
            <h3>"Договор по модулю"</h3>
            <p class="hint">
                "Стоимость берётся из модуля и делится поровну на месяцы занятий; семья подпишет договор в личном кабинете."
            </p>
            <FormError status=status />
            <SelectField
                name="module_id"
                label="Модуль"
                value=module
                errors=status.errors
                options=options
                placeholder="Выберите модуль"
                required=true
            />
            <button type="submit" class="button" disabled=move || pending.get()>
                {move || if pending.get() { "Отправляем…" } else { "Предложить договор" }}
            </button>
        </form>
    }
}

/// «Перевести в другую группу»: a group of the same program with free places
/// and the family's consent; the contract goes on.
#[component]
fn TransferForm(
    id: i64,
    groups: Vec<navigator_shared::catalog::Group>,
    done: impl Fn(Application) + Clone + 'static,
) -> impl IntoView {
    let session = use_session();
    let group = RwSignal::new(String::new());
    let consent = RwSignal::new(false);
    let status = FormStatus::new();
    let action = status
        .action(move |request: TransferRequest| async move { enrolment::transfer(session, id, &request).await }, done);
    let pending = action.pending();
    let options = Signal::stored(
        groups
            .iter()
            .map(|g| (g.id.to_string(), format!("{} — свободных мест: {}", g.name, g.free_places)))
            .collect::<Vec<_>>(),
    );
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        status.clear();
        let Some(group_id) = group.with_untracked(|g| g.parse::<i64>().ok()) else {
            status.invalid(FieldErrors::one("group_id", "Выберите группу"));
            return;
        };
        let request = TransferRequest { group_id, family_consent: consent.get_untracked() };
        match request.check() {
            Ok(()) => {
                action.dispatch_local(request);
            }
            Err(errors) => status.invalid(errors),
        }
    };
    view! {
        <form class="form transfer-form" on:submit=on_submit novalidate>
            <h3>"Перевод в другую группу"</h3>
            <p class="hint">"Заявка и договор сохраняются; место в прежней группе перейдёт к первому в листе ожидания."</p>
            <FormError status=status />
            <SelectField
                name="group_id"
                label="Группа"
                value=group
                errors=status.errors
                options=options
                placeholder="Выберите группу"
                required=true
            />
            <CheckboxField name="family_consent" label="Семья согласна на перевод" checked=consent errors=status.errors />
            <button type="submit" class="button" disabled=move || pending.get()>
                {move || if pending.get() { "Отправляем…" } else { "Перевести" }}
            </button>
        </form>
    }
}

/// «Подписан на бумаге»: the day the family signed the contract at the
/// organization; it reserves and enrols as an online acceptance does.
#[component]
fn PaperForm(id: i64, contract: i64, done: impl Fn(Application) + Clone + 'static) -> impl IntoView {
    let session = use_session();
    let signed_on = RwSignal::new(dates::input_text(Some(dates::today())));
    let status = FormStatus::new();
    let action = status.action(
        move |input: PaperContractInput| async move {
            enrolment::register_paper_contract(session, contract, &input).await?;
            enrolment::application(session, id).await
        },
        done,
    );
    let pending = action.pending();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        status.clear();
        match dates::read("signed_on", signed_on) {
            Ok(Some(day)) => {
                let input = PaperContractInput { signed_on: day };
                let today = dates::today();
                match input.validate(day.min(today), today) {
                    Ok(_) => {
                        action.dispatch_local(input);
                    }
                    Err(errors) => status.invalid(errors),
                }
            }
            Ok(None) => {
                status.invalid(FieldErrors::one("signed_on", "Укажите дату подписания"));
            }
            Err(errors) => status.invalid(errors),
        }
    };
    view! {
        <form class="form paper-form" on:submit=on_submit novalidate>
            <h3>"Договор подписан на бумаге"</h3>
            <p class="hint">"Подписанное заявление на обучение храните в организации. Стоимость будет зарезервирована на сертификате."</p>
            <FormError status=status />
            <Field name="signed_on" label="Дата подписания" value=signed_on errors=status.errors kind="date" required=true />
            <button type="submit" class="button" disabled=move || pending.get()>
                {move || if pending.get() { "Сохраняем…" } else { "Зачислить по договору" }}
            </button>
        </form>
    }
}
