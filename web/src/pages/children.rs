//! The family's children and their certificates.

use chrono::NaiveDate;
use leptos::prelude::*;
use navigator_shared::accounts::Role;
use navigator_shared::ages::{age_on, birthday};
use navigator_shared::children::{Certificate, CertificateStatus, Child};
use navigator_shared::consent::CertificateRequest;
use navigator_shared::reference::RegionSettings;

use crate::api::{self, use_session};
use crate::app::use_region;
use crate::components::{ActivationPointList, ConsentBoxes, DocumentsToBring, FormError, FormStatus};
use crate::dates;
use crate::pages::consent::WithdrawConsent;
use crate::pages::guardians::WaitingInvitations;

/// «Фамилия Имя Отчество».
pub fn full_name(child: &Child) -> String {
    [child.last_name.as_str(), child.first_name.as_str(), child.middle_name.as_str()].join(" ").trim().to_owned()
}

/// The day a child born on `birth` reaches the region's certificate age,
/// when that is still ahead.
pub(crate) fn certificate_later(birth: NaiveDate, region: &RegionSettings) -> Option<NaiveDate> {
    let today = dates::today();
    (birth <= today && age_on(birth, today) < region.child_age_min).then(|| birthday(birth, region.child_age_min))
}

/// The list of children (signed-in users only, see the router).
#[component]
pub fn Children() -> impl IntoView {
    let session = use_session();
    let list = LocalResource::new(move || api::children(session));
    // A learner's account holds one record: his own.
    let learner = move || session.user().is_some_and(|u| u.role == Role::Learner);
    let has_record = move || list.get().and_then(Result::ok).is_some_and(|c| !c.is_empty());
    let body = move || match list.get() {
        None => view! { <p class="loading">"Загрузка…"</p> }.into_any(),
        Some(Err(problem)) => view! { <p class="form-error" role="alert">{problem.detail}</p> }.into_any(),
        Some(Ok(children)) if children.is_empty() && learner() => view! {
            <section class="card empty-state">
                <p>"Добавьте свои данные, чтобы получить сертификат дополнительного образования."</p>
                <p>"Фамилия, имя и дата рождения — как при регистрации; понадобятся паспорт и СНИЛС."</p>
            </section>
        }
        .into_any(),
        Some(Ok(children)) if children.is_empty() => view! {
            <section class="card empty-state">
                <p>"Вы пока не добавили ни одного ребёнка."</p>
                <p>
                    "Добавьте ребёнка, чтобы получить сертификат дополнительного образования "
                    "и записываться на программы."
                </p>
            </section>
        }
        .into_any(),
        Some(Ok(children)) => {
            children.into_iter().map(|child| view! { <ChildCard child=child /> }).collect_view().into_any()
        }
    };
    view! {
        <div class="page">
            <div class="page-head">
                <h1>{move || if learner() { "Мой сертификат" } else { "Дети" }}</h1>
                <Show when=move || !(learner() && has_record())>
                    <a id="add-child-link" class="button" href="/children/new">
                        {move || if learner() { "Добавить свои данные" } else { "Добавить ребёнка" }}
                    </a>
                </Show>
            </div>
            <Show when=move || session.user().is_some_and(|u| u.role == Role::Parent)>
                <WaitingInvitations />
            </Show>
            {body}
        </div>
    }
}

/// One child: name, birth date, masked SNILS and the certificate.
#[component]
fn ChildCard(child: Child) -> impl IntoView {
    let session = use_session();
    let id = child.id;
    let municipality = child.municipality_id;
    let certificate = RwSignal::new(child.certificate.clone());
    let withdrawn = RwSignal::new(child.consent_withdrawal.clone());
    let depersonalized = child.depersonalized_at.is_some();
    let status = FormStatus::new();
    let consent_personal_data = RwSignal::new(false);
    let consent_rules = RwSignal::new(false);
    let request = status.action(
        move |consents: CertificateRequest| async move { api::request_certificate(session, id, &consents).await },
        move |issued: Certificate| certificate.set(Some(issued)),
    );
    let pending = request.pending();
    let on_request = move |_| {
        let consents = CertificateRequest {
            consent_personal_data: consent_personal_data.get_untracked(),
            consent_rules: consent_rules.get_untracked(),
        };
        status.submit(request, consents, CertificateRequest::validate);
    };
    let renew = status.action(
        move |()| async move { api::renew_certificate(session, id).await },
        move |renewed: Certificate| {
            status.done(format!(
                "Сертификат подан заново. Принесите документы в пункт активации до {}.",
                dates::russian(renewed.documents_due)
            ));
            certificate.set(Some(renewed));
        },
    );
    let renewing = renew.pending();
    let on_renew = move |_| {
        status.clear();
        renew.dispatch_local(());
    };
    // Until the child reaches the region's age there is nothing to ask for: say from when.
    let region = use_region();
    let birth_date = child.birth_date;
    let too_young = move || {
        let region = region.get().and_then(Result::ok)?;
        certificate_later(birth_date, &region).map(|from| {
            format!(
                "Сертификат выдаётся детям от {min} до {} лет: оформить его можно будет с {}, когда ребёнку \
                 исполнится {min}.",
                region.child_age_max,
                dates::russian(from),
                min = region.child_age_min,
            )
        })
    };
    let block = move || match certificate.get() {
        Some(certificate) => {
            let renewable = matches!(certificate.status, CertificateStatus::Lapsed | CertificateStatus::Refused)
                && withdrawn.get().is_none();
            view! {
                <FormError status=status />
                <CertificateBlock certificate=certificate municipality=municipality />
                {renewable.then(|| view! {
                    <button type="button" class="button renew-certificate" disabled=move || renewing.get() on:click=on_renew>
                        {move || if renewing.get() { "Отправляем…" } else { "Подать заново" }}
                    </button>
                })}
            }
            .into_any()
        }
        None if withdrawn.get().is_some() || depersonalized => ().into_any(),
        None => match too_young() {
            Some(note) => view! { <p class="certificate-later">{note}</p> }.into_any(),
            None => view! {
                <p>
                    "Сертификат дополнительного образования позволяет заниматься в кружках и секциях "
                    "бесплатно или с частичной оплатой из бюджета."
                </p>
                <FormError status=status />
                <ConsentBoxes personal_data=consent_personal_data rules=consent_rules errors=status.errors />
                <button type="button" class="button get-certificate" disabled=move || pending.get() on:click=on_request>
                    {move || if pending.get() { "Отправляем…" } else { "Получить сертификат" }}
                </button>
            }
            .into_any(),
        },
    };
    let edit_label = if child.editable { "Изменить" } else { "Данные ребёнка" };
    let relationship = child.relationship;
    view! {
        <article class="card child-card" data-child-id=id.to_string()>
            <h2>{full_name(&child)}</h2>
            <dl class="summary">
                <dt>"Дата рождения"</dt>
                <dd>{dates::russian(child.birth_date)}</dd>
                <dt>"СНИЛС"</dt>
                <dd>{child.snils.clone()}</dd>
            </dl>
            <section class="certificate" aria-label="Сертификат">
                {block}
            </section>
            {relationship.map(|r| view! {
                <p class="info-note guardian-note">{format!("Вы — представитель ребёнка ({}).", r.title())}</p>
            })}
            {if depersonalized {
                view! { <p class="consent-withdrawn" role="status">"Данные ребёнка обезличены."</p> }.into_any()
            } else if relationship.is_some() {
                // Only the parent holding the child withdraws the consent.
                ().into_any()
            } else {
                view! {
                    <WithdrawConsent
                        what="данных ребёнка"
                        consequences="Сертификат будет исключён из реестра по вашему заявлению, заявки отменены, \
                                      договоры расторгнуты, неизрасходованный остаток номинала снят. С данными \
                                      ребёнка больше ничего не будет делаться."
                        withdrawn=withdrawn
                        send=move || async move {
                            api::withdraw_child_consent(session, id).await.map(|now| {
                                certificate.set(now.certificate.clone());
                                now.consent_withdrawal
                            })
                        }
                    />
                }
                .into_any()
            }}
            <div class="actions">
                {move || {
                    certificate
                        .with(|c| c.as_ref().is_some_and(|c| c.status == CertificateStatus::Active))
                        .then(|| {
                            view! {
                                <a class="button certificate-money-link" href=format!("/children/{id}/certificate")>
                                    "Баланс и списания"
                                </a>
                            }
                        })
                }}
                <a class="button button-secondary edit-child" href=format!("/children/{id}")>
                    {edit_label}
                </a>
                <a class="button button-secondary child-guardians" href=format!("/children/{id}/guardians")>
                    "Представители"
                </a>
            </div>
        </article>
    }
}

/// What the activation point has checked so far, and what is still needed.
#[component]
fn DeskChecks(
    data_confirmed_at: Option<chrono::DateTime<chrono::Utc>>,
    application_received_at: Option<chrono::DateTime<chrono::Utc>>,
) -> impl IntoView {
    let data = match data_confirmed_at {
        Some(at) => format!("Данные ребёнка сверены с документами {}.", dates::day(at)),
        None => "Данные ребёнка ещё не сверены с документами: возьмите их с собой в пункт активации.".to_owned(),
    };
    let application = match application_received_at {
        Some(at) => format!("Подписанные заявление и согласие зарегистрированы {}.", dates::day(at)),
        None => "Заявление и согласие ещё не подписаны: их распечатают в пункте активации.".to_owned(),
    };
    view! {
        <ul class="desk-checks">
            <li class=if data_confirmed_at.is_some() { "check-data done" } else { "check-data" }>{data}</li>
            <li class=if application_received_at.is_some() { "check-application done" } else { "check-application" }>
                {application}
            </li>
        </ul>
    }
}

/// The certificate's number and status, and what the family should do next.
#[component]
fn CertificateBlock(certificate: Certificate, municipality: i64) -> impl IntoView {
    let Certificate {
        number,
        status,
        status_title,
        documents_due,
        reason_title,
        comment,
        activated_at,
        data_confirmed_at,
        application_received_at,
        decision_due,
        ..
    } = certificate;
    let due = dates::russian(documents_due);
    let details = match status {
        CertificateStatus::Pending if decision_due.is_some() => view! {
            <p class="decision-due">
                "Документы приняты. Решение о сертификате будет принято до "
                <strong>{decision_due.map(dates::russian)}</strong>
                " — мы сообщим о нём по электронной почте."
            </p>
            <DeskChecks data_confirmed_at=data_confirmed_at application_received_at=application_received_at />
        }
        .into_any(),
        CertificateStatus::Pending => view! {
            <p>
                "Принесите документы до " <strong class="documents-due">{due}</strong>
                " в пункт активации — после проверки сертификат будет активирован."
            </p>
            <DeskChecks data_confirmed_at=data_confirmed_at application_received_at=application_received_at />
            <DocumentsToBring />
            <h3>"Пункты активации"</h3>
            <ActivationPointList municipality=Some(municipality) />
        }
        .into_any(),
        CertificateStatus::Active => {
            activated_at.map(|at| view! { <p>{format!("Активирован {}.", dates::day(at))}</p> }).into_any()
        }
        CertificateStatus::Refused | CertificateStatus::Excluded => view! {
            {reason_title.map(|reason| view! { <p class="certificate-reason">"Причина: " {reason}</p> })}
            {comment
                .filter(|c| !c.trim().is_empty())
                .map(|comment| view! { <p class="certificate-comment">"Комментарий: " {comment}</p> })}
        }
        .into_any(),
        CertificateStatus::Lapsed => view! {
            <p>
                {format!("Документы не были представлены до {due}. ")}
                "Подайте сертификат заново: номер сохранится, срок подачи документов начнётся снова."
            </p>
        }
        .into_any(),
    };
    view! {
        <p class="certificate-title">
            "Сертификат № " <span class="certificate-number">{number}</span> " — "
            <span class=format!("certificate-status status-{}", status.as_str())>{status_title}</span>
        </p>
        {details}
    }
}
