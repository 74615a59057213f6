//! `/children/{id}/certificate`: the certificate's money — this year's
//! nominal, what is available, reserved by contracts and spent, every entry
//! of the ledger, and «Запросить номинал».

use leptos::prelude::*;
use navigator_shared::funding::{
    Account, AccountBalance, FundingKind, FundingRequest, FundingRequestStatus, Ledger, LedgerEntry, SocialFunding,
};
use navigator_shared::money::signed_rubles;

use super::cabinet::widgets::{record_page, rubles};
use crate::api::{self, enrolment, use_session};
use crate::components::{FormError, FormStatus, Pager, Turn};
use crate::dates;

/// The child's certificate with its ledger (the family's own children only).
#[component]
pub fn CertificateMoney() -> impl IntoView {
    record_page(
        ("/children", "← К детям"),
        "Сертификат не найден",
        |session, id| async move {
            let child = api::child(session, id).await?;
            let Some(certificate) = child.certificate else {
                return Ok(None);
            };
            let ledger = enrolment::ledger(session, &certificate.number, 1).await?;
            Ok(Some((id, ledger)))
        },
        |loaded| match loaded {
            None => view! {
                <section class="card empty-state">
                    <p>"У ребёнка ещё нет сертификата. Оформите его на странице " <a href="/children">"Дети"</a> "."</p>
                </section>
            }
            .into_any(),
            Some((child_id, ledger)) => {
                view! { <LedgerView child_id=child_id ledger=RwSignal::new(ledger) /> }.into_any()
            }
        },
    )
}

#[component]
fn LedgerView(child_id: i64, ledger: RwSignal<Ledger>) -> impl IntoView {
    let session = use_session();
    let form = FormStatus::new();
    // The page of entries shown; turning it reads that page.
    let page = RwSignal::new(1_i64);
    Effect::new(move |shown: Option<i64>| {
        let wanted = page.get();
        if shown.is_some_and(|shown| shown != wanted) {
            let number = ledger.with_untracked(|l| l.number.clone());
            leptos::task::spawn_local(async move {
                match enrolment::ledger(session, &number, wanted).await {
                    Ok(now) => ledger.set(now),
                    Err(problem) => form.failed(problem),
                }
            });
        }
        wanted
    });
    let ask = form.action(
        move |kind: FundingKind| async move {
            enrolment::request_funding(session, child_id, kind).await?;
            let number = ledger.with_untracked(|l| l.number.clone());
            enrolment::ledger(session, &number, page.get_untracked()).await
        },
        move |updated: Ledger| {
            ledger.set(updated);
            form.done("Заявка на зачисление номинала отправлена оператору.");
        },
    );
    let pending = ask.pending();
    let head = move || {
        ledger.with(|l| {
            view! {
                <h1>{format!("Сертификат № {}", l.number)}</h1>
                <p class="item-meta">
                    <span>{l.child_name.clone()}</span>
                    <span class=format!("certificate-status status-{}", l.status.as_str())>{l.status_title.clone()}</span>
                </p>
            }
        })
    };
    let balance = move || {
        let b = ledger.with(|l| l.balance);
        view! {
            <dl class="balance">
                <div class="balance-main">
                    <dt>"Доступно"</dt>
                    <dd id="balance-available">{rubles(b.available)}</dd>
                </div>
                <div>
                    <dt>"Зарезервировано по договорам"</dt>
                    <dd id="balance-reserved">{rubles(b.reserved)}</dd>
                </div>
                <div>
                    <dt>"Списано"</dt>
                    <dd id="balance-spent">{rubles(b.spent)}</dd>
                </div>
                <div>
                    <dt>"Зачислено всего"</dt>
                    <dd id="balance-credited">{rubles(b.credited)}</dd>
                </div>
            </dl>
        }
    };
    let validity = move || {
        ledger.with(|l| {
            let nominal = match (l.nominal, l.valid_from, l.valid_to) {
                (Some(nominal), Some(from), Some(to)) => format!(
                    "Номинал на период: {} (с {} по {}). Остаток, не зарезервированный по договорам, после {} \
                     сгорает; резервы договоров сохраняются.",
                    rubles(nominal),
                    dates::russian(from),
                    dates::russian(to),
                    dates::russian(to)
                ),
                _ => "Номинал на текущий год не зачислен.".to_owned(),
            };
            view! {
                <p id="nominal">{nominal}</p>
                <p class="muted">
                    {format!("Сертификат действует до {}.", dates::russian(l.certificate_valid_to))}
                </p>
            }
        })
    };
    let funding = move || {
        let (request, can) = ledger.with(|l| (l.funding_request.clone(), l.can_request_funding));
        view! {
            {request.map(|r| view! { <FundingState request=r /> })}
            {can.then(|| {
                view! {
                    <p class="hint">
                        "Чтобы оплачивать занятия сертификатом, попросите зачислить номинал этого года. "
                        "Оператор рассмотрит заявку в течение 5 рабочих дней."
                    </p>
                    <button
                        type="button"
                        id="request-funding"
                        class="button"
                        disabled=move || pending.get()
                        on:click=move |_| {
                            form.clear();
                            ask.dispatch_local(FundingKind::Personified);
                        }
                    >
                        {move || if pending.get() { "Отправляем…" } else { "Запросить номинал" }}
                    </button>
                }
            })}
        }
    };
    let social = move || {
        let (accounts, offer) = ledger.with(|l| (l.social.clone(), l.social_funding.clone()));
        if accounts.is_empty() && offer.is_none() {
            return ().into_any();
        }
        let offer = offer.map(|offer| {
            let request = offer.request.clone();
            view! {
                <p id="social-nominal">{social_nominal(&offer)}</p>
                {request.map(|r| view! { <FundingState request=r /> })}
                {offer.can_request.then(|| view! {
                    <button
                        type="button"
                        id="request-social-funding"
                        class="button button-secondary"
                        disabled=move || pending.get()
                        on:click=move |_| {
                            form.clear();
                            ask.dispatch_local(FundingKind::Social);
                        }
                    >
                        "Запросить номинал социального сертификата"
                    </button>
                })}
            }
        });
        view! {
            <section class="card social-certificate">
                <h2>"Социальный сертификат"</h2>
                {accounts.into_iter().map(|a| view! { <SocialBalance account=a /> }).collect_view()}
                {offer}
            </section>
        }
        .into_any()
    };
    let entries = move || {
        let (entries, total, per_page) = ledger.with(|l| (l.entries.clone(), l.entries_total, l.per_page));
        if entries.is_empty() {
            return view! { <p class="muted">"Движений по сертификату пока нет."</p> }.into_any();
        }
        view! {
            <ul class="ledger">{entries.into_iter().map(|e| view! { <Entry entry=e /> }).collect_view()}</ul>
            <Pager current=page.get() total=total per_page=per_page turn=Turn::Signal(page) />
        }
        .into_any()
    };
    view! {
        <div class="certificate-money">
            {head}
            <section class="card">
                {balance}
                {validity}
                <FormError status=form />
                {funding}
            </section>
            {social}
            <section class="card">
                <h2>"Движение средств"</h2>
                {entries}
            </section>
            <p>
                <a href="/applications">"Мои заявки и договоры"</a>
            </p>
        </div>
    }
}

/// «Номинал социального сертификата: 100 ч. (с … по …)».
fn social_nominal(offer: &SocialFunding) -> String {
    let account = Account::of(FundingKind::Social, offer.unit);
    format!(
        "Номинал социального сертификата на период: {} (с {} по {}). Им оплачиваются программы с отметкой \
         «Оплата социальным сертификатом».",
        account.show(offer.nominal),
        dates::russian(offer.valid_from),
        dates::russian(offer.valid_to)
    )
}

/// The sums of one social account, in its unit.
#[component]
fn SocialBalance(account: AccountBalance) -> impl IntoView {
    let show = move |amount: i64| account.account.show(amount);
    let b = account.balance;
    view! {
        <dl class=format!("balance social-balance account-{}", account.account.as_str())>
            <div class="balance-main">
                <dt>"Доступно"</dt>
                <dd class="social-available">{show(b.available)}</dd>
            </div>
            <div>
                <dt>"Зарезервировано по договорам"</dt>
                <dd class="social-reserved">{show(b.reserved)}</dd>
            </div>
            <div>
                <dt>"Списано"</dt>
                <dd class="social-spent">{show(b.spent)}</dd>
            </div>
        </dl>
    }
}

/// The live or last funding request.
#[component]
fn FundingState(request: FundingRequest) -> impl IntoView {
    let text = match request.status {
        FundingRequestStatus::Submitted => {
            format!("Заявка на зачисление номинала на рассмотрении, решение — до {}.", dates::russian(request.due_date))
        }
        FundingRequestStatus::Approved => format!("Номинал на {} год зачислен.", request.year),
        FundingRequestStatus::Refused => {
            format!("В зачислении номинала отказано: {}.", request.reason_title.clone().unwrap_or_default())
        }
    };
    view! { <p class=format!("funding-request status-{}", request.status.as_str())>{text}</p> }
}

/// A change of a sum with its sign, in the account's unit.
fn signed(account: Account, change: i64) -> String {
    match account {
        Account::SocialHour if change > 0 => format!("+{change} ч."),
        Account::SocialHour => format!("{change} ч."),
        _ => signed_rubles(change),
    }
}

/// One entry: when, what, and how it moved the money between the three sums.
#[component]
fn Entry(entry: LedgerEntry) -> impl IntoView {
    let effect = entry.effect();
    let month = entry.month.map(|m| format!(" за {}", m.format("%m.%Y")));
    let sums = [
        ("effect-available", "Доступно", effect.available),
        ("effect-reserved", "Зарезервировано", effect.reserved),
        ("effect-spent", "Списано", effect.spent),
    ];
    view! {
        <li class=format!("ledger-entry kind-{}", entry.kind.as_str())>
            <span class="entry-date">{dates::day(entry.created_at)}</span>
            <span class="entry-kind">{entry.kind_title} {month}</span>
            {entry.program_title.map(|title| view! { <span class="entry-program muted">{title}</span> })}
            {(!entry.reason.is_empty()).then(|| view! { <span class="entry-reason muted">{entry.reason}</span> })}
            <dl class="entry-effect">
                {sums
                    .into_iter()
                    .map(|(class, label, change)| {
                        let class = if change == 0 { format!("{class} unchanged") } else { class.to_owned() };
                        view! {
                            <div class=class>
                                <dt>{label}</dt>
                                <dd>{signed(entry.account, change)}</dd>
                            </div>
                        }
                    })
                    .collect_view()}
            </dl>
        </li>
    }
}
