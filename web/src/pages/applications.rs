//! Applications as a family sees them: «Записаться» on the program card,
//! «Мои заявки» with cancelling and the contract offers to sign, and the
//! parts the organization's inbox shows the same way (status, contract).

use leptos::prelude::*;
use navigator_shared::accounts::Role;
use navigator_shared::applications::ApplicationsQuery;
use navigator_shared::applications::{
    Application, ApplicationInput, ApplicationStatus, Contract, ContractStatus, Withdrawal, WithdrawalInput,
    WithdrawalStatus,
};
use navigator_shared::catalog::Group;
use navigator_shared::children::{CertificateStatus, Child};

use super::cabinet::widgets::{
    FilterSelect, LIST_PER_PAGE, code_options, confirm, loading_view, paged_list, problem_view,
};
use super::children::full_name;
use crate::api::{self, enrolment, use_session};
use crate::components::{ConsentBoxes, Field, FormError, FormStatus, Notice};
use crate::dates;

/// `<span class="application-status status-CODE">`.
pub(crate) fn status_badge(status: ApplicationStatus) -> impl IntoView {
    view! { <span class=format!("application-status status-{}", status.as_str())>{status.title()}</span> }
}

/// `<span class="source-badge">`: the system the application came through, if not Navigator itself.
pub(crate) fn source_badge(application: &Application) -> Option<impl IntoView + use<>> {
    let name = application.source.clone()?;
    Some(view! { <span class="source-badge">{format!("Подана через «{name}»")}</span> })
}

/// «сентябрь 2026 – май 2027».
fn months(contract: &Contract) -> String {
    let month = |d: chrono::NaiveDate| d.format("%m.%Y").to_string();
    if contract.first_month == contract.last_month {
        month(contract.first_month)
    } else {
        format!("{} – {}", month(contract.first_month), month(contract.last_month))
    }
}

/// The contract of an application: module, price, months, what is charged.
#[component]
pub(crate) fn ContractSummary(
    contract: Contract,
    /// A link to the contract's text (not on the contract's own page).
    #[prop(default = true)]
    link: bool,
) -> impl IntoView {
    let text_link = link.then(|| {
        view! {
            <p>
                <a class="contract-link" href=format!("/contracts/{}", contract.id)>"Текст договора"</a>
            </p>
        }
    });
    let active = matches!(contract.status, ContractStatus::Active | ContractStatus::Completed);
    let period = format!("{} ({} мес.)", months(&contract), contract.months);
    view! {
        <div class="contract" data-contract-id=contract.id.to_string()>
            <p class="contract-title">
                "Договор об образовании: "
                <span class=format!("contract-status status-{}", contract.status.as_str())>{contract.status_title}</span>
            </p>
            <dl class="summary">
                <dt>"Модуль"</dt>
                <dd>{contract.module_name}</dd>
                <dt>"Стоимость"</dt>
                <dd class="contract-price">{contract.account.show(contract.price)}</dd>
                <dt>"Период"</dt>
                <dd>{period}</dd>
                <dt>"Ежемесячно"</dt>
                <dd>{contract.account.show(contract.monthly)}</dd>
                {contract.ends_on.map(|day| view! {
                    <dt>"Действует по"</dt>
                    <dd class="contract-ends">{dates::russian(day)}</dd>
                })}
                {contract.signed_on_paper.map(|day| view! {
                    <dt>"Подписан"</dt>
                    <dd class="contract-paper">{format!("на бумаге в организации {}", dates::russian(day))}</dd>
                })}
                {active
                    .then(|| {
                        view! {
                            <dt>"Оплачено сертификатом"</dt>
                            <dd class="contract-charged">{contract.account.show(contract.charged)}</dd>
                        }
                    })}
            </dl>
            {text_link}
        </div>
    }
}

/// The organization's contacts under an application.
#[component]
fn OrganizationContacts(application: Application) -> impl IntoView {
    let o = application.organization;
    view! {
        <p class="organization-contacts muted">
            {o.name} {(!o.phone.is_empty()).then(|| format!(", тел. {}", o.phone))}
            {(!o.email.is_empty()).then(|| format!(", {}", o.email))}
        </p>
    }
}

/// Why an application was rejected or a child expelled.
pub(crate) fn reason_view(application: &Application) -> Option<impl IntoView + use<>> {
    let reason = application.reason_title.clone()?;
    let comment = application.comment.clone().filter(|c| !c.trim().is_empty());
    Some(view! {
        <p class="application-reason">
            "Причина: " {reason} {comment.map(|c| format!(". {c}"))}
        </p>
    })
}

/// The family's request to leave, as both sides see it.
pub(crate) fn withdrawal_view(withdrawal: &Withdrawal) -> impl IntoView + use<> {
    let detail = match withdrawal.status {
        WithdrawalStatus::Requested => format!(
            "Организация подтвердит его до {}; если ответа не будет, заявление вступит в силу без подтверждения.",
            dates::russian(withdrawal.confirm_by)
        ),
        WithdrawalStatus::Confirmed if withdrawal.confirmed_automatically => {
            "Подтверждено автоматически: организация не ответила в срок.".to_owned()
        }
        WithdrawalStatus::Confirmed => "Подтверждено организацией.".to_owned(),
        WithdrawalStatus::Done => "Договор завершён, неизрасходованный остаток вернулся на сертификат.".to_owned(),
    };
    view! {
        <div class=format!("withdrawal withdrawal-{}", withdrawal.status.as_str())>
            <p class="withdrawal-title">
                "Заявление об отчислении: " <strong>{withdrawal.status_title.clone()}</strong>
            </p>
            <p>{format!("Последний день занятий — {}. {detail}", dates::russian(withdrawal.leave_on))}</p>
        </div>
    }
}

// ---- «Записаться» on the program card ----------------------------------------------

/// Whether the group takes applications today (when full, into its waiting list).
pub(crate) fn accepting(group: &Group) -> bool {
    let today = chrono::Local::now().date_naive();
    Group::is_open(group.enrolment_open, group.enrolment_from, group.enrolment_to, 1, today)
}

/// «Записаться» under a group of the program card: choose the child and send
/// the application; a full group puts it into the waiting list.
#[component]
pub fn ApplyToGroup(group: Group) -> impl IntoView {
    if !accepting(&group) {
        return ().into_any();
    }
    let session = use_session();
    let full = group.free_places <= 0;
    let opened = RwSignal::new(false);
    let label = if full { "Записаться в лист ожидания" } else { "Записаться" };
    let family = move || session.user().is_some_and(|u| matches!(u.role, Role::Parent | Role::Learner));
    view! {
        <div class="apply">
            {move || {
                if !session.signed_in() {
                    return view! {
                        <p class="apply-hint">
                            <a class="button apply-login" href="/login">"Войдите, чтобы записаться"</a>
                        </p>
                    }
                    .into_any();
                }
                if !family() {
                    return ().into_any();
                }
                if opened.get() {
                    view! { <ApplyForm group_id=group.id on_close=move || opened.set(false) /> }.into_any()
                } else {
                    view! {
                        <button type="button" class="button apply-button" on:click=move |_| opened.set(true)>
                            {label}
                        </button>
                    }
                    .into_any()
                }
            }}
        </div>
    }
    .into_any()
}

/// What the family should know about the child's certificate before applying.
fn certificate_hint(status: CertificateStatus) -> Option<&'static str> {
    match status {
        CertificateStatus::Active => None,
        CertificateStatus::Pending => Some(
            "Сертификат в обработке: подать заявку можно, а для зачисления его нужно активировать \
             в пункте активации.",
        ),
        CertificateStatus::Refused | CertificateStatus::Lapsed => Some(
            "Сертификат не действует (отказ или истёк срок). Подайте его заново на странице «Дети», \
             затем запишитесь.",
        ),
        CertificateStatus::Excluded => Some(
            "Сертификат исключён из реестра: записаться по нему нельзя. Если семья вернулась в регион, \
             обратитесь к оператору.",
        ),
    }
}

/// The child to apply for; a child without a certificate may ask for it in the same step.
#[component]
fn ApplyForm(group_id: i64, on_close: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let session = use_session();
    let children = LocalResource::new(move || api::children(session));
    let chosen = RwSignal::new(String::new());
    let with_certificate = RwSignal::new(true);
    let consent_personal_data = RwSignal::new(false);
    let consent_rules = RwSignal::new(false);
    let status = FormStatus::new();
    let sent = RwSignal::new(None::<Application>);
    let send = status.action(
        move |input: ApplicationInput| async move { enrolment::apply(session, &input).await },
        move |application: Application| sent.set(Some(application)),
    );
    let pending = send.pending();
    let child_of = move |list: &[Child]| {
        let id = chosen.with(|c| c.parse::<i64>().ok());
        list.iter().find(|c| Some(c.id) == id).cloned()
    };
    // Another child: what was said about the previous one no longer holds.
    Effect::new(move || {
        chosen.track();
        status.clear();
    });
    // One child: chosen from the start.
    Effect::new(move || {
        if let Some(Ok(list)) = children.get()
            && list.len() == 1
            && chosen.with_untracked(String::is_empty)
        {
            chosen.set(list[0].id.to_string());
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        status.clear();
        let Some(child_id) = chosen.with_untracked(|c| c.parse::<i64>().ok()) else {
            status.error.set(Some("Выберите ребёнка.".to_owned()));
            return;
        };
        let without = children
            .get_untracked()
            .and_then(Result::ok)
            .and_then(|list| list.into_iter().find(|c| c.id == child_id))
            .is_some_and(|c| c.certificate.is_none());
        send.dispatch_local(ApplicationInput {
            child_id: Some(child_id),
            certificate_number: None,
            group_id,
            request_certificate: without && with_certificate.get_untracked(),
            consent_personal_data: consent_personal_data.get_untracked(),
            consent_rules: consent_rules.get_untracked(),
        });
    };
    let certificate_note = move || {
        let list = children.get().and_then(Result::ok)?;
        let child = child_of(&list)?;
        Some(match child.certificate {
            None => view! {
                <label class="checkbox">
                    <input
                        type="checkbox"
                        id="request_certificate"
                        name="request_certificate"
                        prop:checked=move || with_certificate.get()
                        on:change=move |ev| with_certificate.set(event_target_checked(&ev))
                    />
                    <span>"У ребёнка нет сертификата — оформить его вместе с заявкой"</span>
                </label>
                <Show when=move || with_certificate.get()>
                    <ConsentBoxes personal_data=consent_personal_data rules=consent_rules errors=status.errors />
                </Show>
            }
            .into_any(),
            Some(c) => match certificate_hint(c.status) {
                Some(text) => view! { <p class="hint certificate-hint">{text}</p> }.into_any(),
                None => ().into_any(),
            },
        })
    };
    let done = move || {
        sent.get().map(|application| {
            let text = match application.waiting_position {
                Some(place) if application.status == ApplicationStatus::Waiting => {
                    format!("Мест в группе нет: заявка в листе ожидания, место в очереди — {place}.")
                }
                _ => "Заявка подана. Организация рассмотрит её и сообщит о решении.".to_owned(),
            };
            view! {
                <Notice>
                    <p class="apply-done">{text}</p>
                    <p>
                        <a id="my-applications-link" href="/applications">"Мои заявки"</a>
                    </p>
                </Notice>
            }
        })
    };
    view! {
        <Show when=move || sent.with(Option::is_none) fallback=done>
            <form class="form apply-form" on:submit=on_submit novalidate>
                {move || match children.get() {
                    None => loading_view(),
                    Some(Err(problem)) => problem_view(problem),
                    Some(Ok(list)) if list.is_empty() => view! {
                        <p class="hint">
                            "Сначала добавьте ребёнка: " <a href="/children/new">"Добавить ребёнка"</a>
                        </p>
                    }
                    .into_any(),
                    Some(Ok(list)) => {
                        let options = list.into_iter().map(|c| (c.id.to_string(), full_name(&c))).collect();
                        view! {
                            <FilterSelect name="child_id" label="Кого записать" value=chosen options=options all="Выберите ребёнка" />
                        }
                        .into_any()
                    }
                }}
                {certificate_note}
                <FormError status=status />
                <div class="actions">
                    <button type="submit" class="button" disabled=move || pending.get()>
                        {move || if pending.get() { "Отправляем…" } else { "Подать заявку" }}
                    </button>
                    <button type="button" class="button button-secondary" on:click=move |_| on_close()>
                        "Отмена"
                    </button>
                </div>
            </form>
        </Show>
    }
}

// ---- «Мои заявки» --------------------------------------------------------------------

/// `/applications`: the family's applications, newest first.
#[component]
pub fn MyApplications() -> impl IntoView {
    let session = use_session();
    let status = RwSignal::new(String::new());
    let page = RwSignal::new(1_i64);
    let list = LocalResource::new(move || {
        let query = ApplicationsQuery {
            status: ApplicationStatus::parse(&status.get()),
            page: Some(page.get()),
            per_page: Some(LIST_PER_PAGE),
            ..ApplicationsQuery::default()
        };
        async move { enrolment::applications(session, &query).await }
    });
    let statuses = code_options(ApplicationStatus::ALL, ApplicationStatus::as_str, ApplicationStatus::title);
    let results = move || {
        paged_list(
            list.get(),
            page,
            ("Заявок", "application-list"),
            || {
                view! {
                    <section class="card empty-state">
                        {if status.with(String::is_empty) {
                            view! {
                                <p>"Заявок пока нет."</p>
                                <p>
                                    "Найдите кружок или секцию в " <a href="/catalog">"каталоге"</a>
                                    " и нажмите «Записаться» у подходящей группы."
                                </p>
                            }
                            .into_any()
                        } else {
                            view! { <p>"Заявок с таким статусом нет."</p> }.into_any()
                        }}
                    </section>
                }
                .into_any()
            },
            |a| view! { <FamilyApplication application=RwSignal::new(a) /> }.into_any(),
        )
    };
    view! {
        <div class="page page-wide">
            <h1>"Мои заявки"</h1>
            <section class="card filters">
                <FilterSelect
                    name="status"
                    label="Статус"
                    value=status
                    options=statuses
                    all="Все заявки"
                    on_change=Callback::new(move |()| page.set(1))
                />
            </section>
            {results}
        </div>
    }
}

/// One application of the family: status, place in the queue, the contract to sign.
#[component]
fn FamilyApplication(application: RwSignal<Application>) -> impl IntoView {
    let session = use_session();
    let form = FormStatus::new();
    let id = application.with_untracked(|a| a.id);
    let cancel = form.action(
        move |()| async move { enrolment::application_step(session, id, "cancel").await },
        move |updated: Application| {
            application.set(updated);
            form.done("Заявка отменена.");
        },
    );
    let pending = cancel.pending();
    let leaving = RwSignal::new(false);
    let may_leave = move || {
        application.with(|a| a.status == ApplicationStatus::Enrolled && a.withdrawal.is_none()) && !leaving.get()
    };
    let on_cancel = move |_| {
        if confirm("Отменить заявку?") {
            form.clear();
            cancel.dispatch_local(());
        }
    };
    // The contract is signed on its own page, after reading it whole.
    let offer = move || {
        application.with(|a| a.contract.clone().filter(|c| c.status == ContractStatus::Offered)).map(|contract| {
            view! {
                <a class="button read-contract" href=format!("/contracts/{}", contract.id)>
                    "Прочитать и подписать договор"
                </a>
            }
        })
    };
    let body = move || {
        let a = application.get();
        let program = format!("/programs/{}", a.program_id);
        let group =
            if a.schedule.is_empty() { a.group_name.clone() } else { format!("{}: {}", a.group_name, a.schedule) };
        view! {
            <h2 class="item-title">
                <a href=program>{a.program_title.clone()}</a>
            </h2>
            <p class="item-meta">
                {status_badge(a.status)}
                <span class="application-child">{a.child_name.clone()}</span>
                <span class="muted">{format!("подана {}", dates::day(a.created_at))}</span>
                {source_badge(&a)}
            </p>
            <p>{group}</p>
            {a.waiting_position
                .map(|place| view! { <p class="waiting-position">{format!("Место в листе ожидания: {place}")}</p> })}
            {reason_view(&a)}
            {a.withdrawal.as_ref().map(withdrawal_view)}
            {a.contract.clone().map(|contract| view! { <ContractSummary contract=contract /> })}
            <OrganizationContacts application=a />
        }
    };
    view! {
        <article class="list-item application" data-application-id=id.to_string()>
            {body}
            <FormError status=form />
            <div class="actions application-actions">
                {offer}
                <Show when=move || application.with(|a| a.status.is_open())>
                    <button
                        type="button"
                        class="button button-secondary cancel-application"
                        disabled=move || pending.get()
                        on:click=on_cancel
                    >
                        "Отменить заявку"
                    </button>
                </Show>
                <Show when=may_leave>
                    <button
                        type="button"
                        class="button button-secondary withdraw-child"
                        on:click=move |_| {
                            form.clear();
                            leaving.set(true);
                        }
                    >
                        "Отчислить ребёнка"
                    </button>
                </Show>
            </div>
            <Show when=move || leaving.get()>
                <WithdrawForm
                    application=application
                    on_close=move || leaving.set(false)
                    done=move |updated: Application| {
                        application.set(updated);
                        leaving.set(false);
                        form.done("Заявление об отчислении отправлено организации.");
                    }
                />
            </Show>
        </article>
    }
}

/// «Отчислить ребёнка»: the last day of studies, today or later; the
/// contract ends on it.
#[component]
fn WithdrawForm(
    application: RwSignal<Application>,
    on_close: impl Fn() + Copy + Send + Sync + 'static,
    done: impl Fn(Application) + Clone + 'static,
) -> impl IntoView {
    let session = use_session();
    let id = application.with_untracked(|a| a.id);
    let leave_on = RwSignal::new(dates::input_text(Some(dates::today())));
    let status = FormStatus::new();
    let action = status.action(
        move |input: WithdrawalInput| async move { enrolment::request_withdrawal(session, id, &input).await },
        done,
    );
    let pending = action.pending();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        status.clear();
        match dates::read("leave_on", leave_on) {
            Ok(Some(day)) => {
                let input = WithdrawalInput { leave_on: day };
                let today = dates::today();
                // The contract's own start is checked by the server.
                match input.check(today, today) {
                    Ok(_) => {
                        action.dispatch_local(input);
                    }
                    Err(errors) => status.invalid(errors),
                }
            }
            Ok(None) => {
                status.invalid(navigator_shared::FieldErrors::one("leave_on", "Укажите последний день занятий"))
            }
            Err(errors) => status.invalid(errors),
        }
    };
    let contract = application.with_untracked(|a| a.contract.clone().filter(|c| c.status == ContractStatus::Active));
    view! {
        <form class="form withdraw-form" on:submit=on_submit novalidate>
            <h3>"Заявление об отчислении"</h3>
            <p class="hint">
                {if contract.is_some() {
                    "Договор завершится в этот день: месяц ухода оплачивается сертификатом по дням занятий, \
                     неизрасходованный остаток вернётся на сертификат. Организация подтвердит заявление в течение \
                     трёх рабочих дней, иначе оно вступит в силу без подтверждения."
                } else {
                    "Организация подтвердит заявление в течение трёх рабочих дней, иначе оно вступит в силу \
                     без подтверждения."
                }}
            </p>
            <FormError status=status />
            <Field name="leave_on" label="Последний день занятий" value=leave_on errors=status.errors kind="date" required=true />
            <div class="actions">
                <button type="submit" class="button" disabled=move || pending.get()>
                    {move || if pending.get() { "Отправляем…" } else { "Отправить заявление" }}
                </button>
                <button type="button" class="button button-secondary" on:click=move |_| on_close()>
                    "Отмена"
                </button>
            </div>
        </form>
    }
}
