//! A registry record at the desk and at the operator's: the card, the checks,
//! the decisions, the corrections and the printed forms.

use chrono::{DateTime, Utc};
use leptos::context::Provider;
use leptos::ev::{MouseEvent, SubmitEvent};
use leptos::prelude::*;
use navigator_shared::children::{Certificate, CertificateStatus};
use navigator_shared::documents::Form;
use navigator_shared::registry::{ApplicantDocuments, ChildCorrection, ExcludeRequest, RefuseRequest, RegistryCard};
use navigator_shared::{FieldErrors, Problem};
use serde_json::Value;

use crate::api::{self, Session, use_session};
use crate::app::use_region;
use crate::components::{FieldScope, FormError, FormStatus, SelectField, SubmitButton, TextAreaField, select_options};
use crate::dates;
use crate::pages::child_form::{ChildFields, ChildInputs, ChildSummary, changes, check_child, input_of};
use crate::pages::profile::{Passport, PassportInputs};

fn moment(at: Option<DateTime<Utc>>) -> String {
    at.map_or_else(|| "нет".to_owned(), crate::dates::moment)
}

/// The certificate, the child's data (unmasked) and the applicant.
#[component]
pub(crate) fn RecordCard(card: RwSignal<RegistryCard>) -> impl IntoView {
    move || {
        let RegistryCard {
            certificate,
            child,
            applicant,
            data_confirmed_at,
            application_received_at,
            personal_data_hidden,
            online_consent,
            ..
        } = card.get();
        let consent = match online_consent {
            Some(c) => format!("даны онлайн {} (редакция {})", crate::dates::moment(c.given_at), c.version),
            None => "онлайн не давались — возьмите письменное согласие".to_owned(),
        };
        let Certificate { number, status, status_title, documents_due, reason_title, comment, decision_due, .. } =
            certificate;
        let decision_due = decision_due.filter(|_| status == CertificateStatus::Pending);
        let confirmed =
            if applicant.email_confirmed { "подтверждена" } else { "не подтверждена" };
        view! {
            <section class="card registry-card">
                <p class="certificate-title">
                    "Сертификат № " <span class="certificate-number">{number}</span> " — "
                    <span class=format!("certificate-status status-{}", status.as_str())>{status_title}</span>
                </p>
                <dl class="summary">
                    <dt>"Документы до"</dt>
                    <dd>{dates::russian(documents_due)}</dd>
                    <dt>"Данные сверены"</dt>
                    <dd class="data-confirmed">{moment(data_confirmed_at)}</dd>
                    <dt>"Заявление и согласие"</dt>
                    <dd class="application-received">{moment(application_received_at)}</dd>
                    <dt>"Согласия заявителя"</dt>
                    <dd class="online-consent">{consent}</dd>
                    {decision_due.map(|due| view! { <dt>"Решение до"</dt><dd class="decision-due">{dates::russian(due)}</dd> })}
                    {reason_title.map(|reason| view! { <dt>"Причина"</dt><dd>{reason}</dd> })}
                    {comment.filter(|c| !c.trim().is_empty()).map(|c| view! { <dt>"Комментарий"</dt><dd>{c}</dd> })}
                </dl>
            </section>
            <h2>"Ребёнок"</h2>
            {personal_data_hidden.then(|| view! {
                <p class="notice personal-data-hidden">
                    "Номера документов и СНИЛС скрыты: у вашей организации нет доступа к персональным данным реестра. "
                    "Сверьте данные заявления с документами заявителя."
                </p>
            })}
            <ChildSummary child=child />
            <h2>"Заявитель"</h2>
            <section class="card applicant">
                <dl class="summary">
                    <dt>"ФИО"</dt>
                    <dd>{applicant.full_name}</dd>
                    <dt>"Электронная почта"</dt>
                    <dd>{format!("{} ({confirmed})", applicant.email)}</dd>
                    <dt>"Телефон"</dt>
                    <dd>{crate::pages::catalog::phone_text(&applicant.phone)}</dd>
                </dl>
            </section>
        }
    }
}

/// «Подать заново» for a lapsed or refused certificate: the same number, back
/// to `pending` with a new deadline. The notice stays after the button goes.
#[component]
pub(crate) fn RenewForm(card: RwSignal<RegistryCard>) -> impl IntoView {
    let session = use_session();
    let status = FormStatus::new();
    let renew = status.action(
        move |number: String| async move { api::renew_at_desk(session, &number).await },
        move |updated: RegistryCard| {
            status.done(format!(
                "Сертификат подан заново: документы — до {}.",
                dates::russian(updated.certificate.documents_due)
            ));
            card.set(updated);
        },
    );
    let renewable =
        move || card.with(|c| matches!(c.certificate.status, CertificateStatus::Lapsed | CertificateStatus::Refused));
    let on_click = move |_: MouseEvent| {
        status.clear();
        renew.dispatch_local(card.with_untracked(|c| c.certificate.number.clone()));
    };
    view! {
        <div id="renew">
            <FormError status=status />
            <Show when=renewable>
                <section class="card">
                    <h2>"Подать заново"</h2>
                    <p>"Номер сертификата сохранится, срок подачи документов начнётся снова. Прежнее решение остаётся в журнале."</p>
                    <button type="button" class="button renew-certificate" disabled=move || renew.pending().get() on:click=on_click>
                        "Подать заново"
                    </button>
                </section>
            </Show>
        </div>
    }
}

/// The printable forms of a record; each is fetched with the token and opened.
#[component]
pub(crate) fn PrintLinks(card: RwSignal<RegistryCard>) -> impl IntoView {
    let number = card.with_untracked(|c| c.certificate.number.clone());
    let missing = move || card.with(|c| c.applicant.missing_for_forms.clone());
    view! {
        <section class="card">
            <h2>"Печать"</h2>
            <ApplicantForm card=card missing=Signal::derive(missing) />
            <div class="print-links">
                {Form::ALL
                    .into_iter()
                    .map(|form| {
                        view! {
                            <PrintLink
                                path=form.path(&number)
                                class=form.as_str()
                                title=form.label()
                                file=form.file_name(&number)
                            />
                        }
                    })
                    .collect_view()}
            </div>
        </section>
    }
}

/// What the forms need and the applicant did not give online (passport,
/// address): the desk enters it from the paper documents before printing.
/// Without it the forms leave lines to fill in by hand.
#[component]
fn ApplicantForm(card: RwSignal<RegistryCard>, missing: Signal<Vec<String>>) -> impl IntoView {
    let session = use_session();
    let fields = Passport::new();
    let status = FormStatus::new();
    let save = status.action(
        move |(number, documents): (String, ApplicantDocuments)| async move {
            api::fill_applicant(session, &number, &documents).await
        },
        move |updated: RegistryCard| {
            card.set(updated);
            status.done("Паспорт и адрес заявителя внесены: бланки напечатаются с ними.");
        },
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        status.clear();
        let issued_at = match dates::read("passport_issued_at", fields.issued_at) {
            Ok(date) => date,
            Err(errors) => return status.invalid(errors),
        };
        let documents = ApplicantDocuments {
            passport_series: fields.series.get_untracked(),
            passport_number: fields.number.get_untracked(),
            passport_issued_by: fields.issued_by.get_untracked(),
            passport_issued_at: issued_at,
            address: fields.address.get_untracked(),
        };
        let number = card.with_untracked(|c| c.certificate.number.clone());
        status.submit(save, (number, documents), |(_, documents)| documents.validate(dates::today()));
    };
    view! {
        <Show when=move || missing.get().is_empty()>
            <FormError status=status />
        </Show>
        <Show when=move || !missing.get().is_empty()>
            <p class="hint print-missing" role="note">
                {move || format!(
                    "В учётной записи заявителя не указаны: {}. Внесите их по документам заявителя до печати; \
                     иначе в бланках останутся строки, чтобы вписать данные от руки.",
                    missing.get().join(", ")
                )}
            </p>
            <form id="applicant-form" class="form" novalidate=true on:submit=on_submit>
                <FormError status=status />
                <PassportInputs
                    fields=fields
                    errors=status.errors
                    hint="Серия и номер, кем и когда выдан — по паспорту заявителя."
                    address_label="Адрес заявителя"
                />
                <SubmitButton pending=save.pending() label="Внести" busy="Сохраняем…" />
            </form>
        </Show>
    }
}

/// A link to one PDF: the first click loads it and opens it in a new tab; after
/// that the link points at the loaded file.
#[component]
pub(crate) fn PrintLink(
    /// The API path of the PDF.
    path: String,
    /// The link is `a.print-{class}`.
    class: &'static str,
    title: &'static str,
    /// The name the file is saved under, e.g. `zayavlenie-6731415926.pdf`.
    file: String,
) -> impl IntoView {
    let session = use_session();
    let url = RwSignal::new(None::<String>);
    let status = FormStatus::new();
    let load = status.action(
        move |path: String| async move { api::pdf(session, &path).await },
        move |blob: web_sys::Blob| {
            if let Ok(href) = web_sys::Url::create_object_url_with_blob(&blob) {
                // A blocked pop-up leaves the link pointing at the file.
                let _ = window().open_with_url_and_target(&href, "_blank");
                url.set(Some(href));
            }
        },
    );
    let pending = load.pending();
    let on_click = move |ev: MouseEvent| {
        if url.with_untracked(Option::is_none) {
            ev.prevent_default();
            status.clear();
            load.dispatch_local(path.clone());
        }
    };
    view! {
        <a
            class=format!("button button-secondary print-{class}")
            href=move || url.get().unwrap_or_else(|| "#".to_owned())
            target="_blank"
            rel="noopener"
            download=move || url.with(Option::is_some).then(|| file.clone())
            data-loaded=move || url.with(Option::is_some).then_some("true")
            on:click=on_click
        >
            {move || if pending.get() { "Загружаем…" } else { title }}
        </a>
        <FormError status=status />
    }
}

/// The desk's steps, each enabled once the one before it is done (and only
/// while the certificate is pending; they stay to show the last outcome).
#[component]
pub(crate) fn DeskSteps(card: RwSignal<RegistryCard>) -> impl IntoView {
    let session = use_session();
    let status = FormStatus::new();
    let step = status.action(
        move |(number, step, message): (String, &'static str, &'static str)| async move {
            api::registry_step(session, &number, step).await.map(|card| (card, message))
        },
        move |(updated, message): (RegistryCard, &'static str)| {
            card.set(updated);
            status.done(message);
        },
    );
    let pending = step.pending();
    let button = move |id: &'static str,
                       label: &'static str,
                       path: &'static str,
                       message: &'static str,
                       ready: fn(&RegistryCard) -> bool| {
        view! {
            <button
                type="button"
                id=id
                class="button"
                disabled=move || {
                    pending.get() || !card.with(|c| c.certificate.status == CertificateStatus::Pending && ready(c))
                }
                on:click=move |_| {
                    status.clear();
                    step.dispatch_local((card.with_untracked(|c| c.certificate.number.clone()), path, message));
                }
            >
                {label}
            </button>
        }
    };
    view! {
        <section class="card">
            <h2>"Проверка и активация"</h2>
            <FormError status=status />
            <div class="steps">
                {button(
                    "confirm-data",
                    "Данные сверены с документами",
                    "confirm-data",
                    "Данные отмечены как сверенные.",
                    |c| c.data_confirmed_at.is_none(),
                )}
                {button(
                    "application-received",
                    "Подписанное заявление и согласие получены",
                    "application-received",
                    "Получение заявления и согласия отмечено.",
                    |c| c.data_confirmed_at.is_some() && c.application_received_at.is_none(),
                )}
                <Show when=move || card.with(|c| c.may_decide)>
                    {button(
                        "activate",
                        "Активировать сертификат",
                        "activate",
                        "Сертификат активирован.",
                        |c| c.data_confirmed_at.is_some() && c.application_received_at.is_some(),
                    )}
                </Show>
            </div>
            <Show when=move || card.with(|c| !c.may_decide)>
                <p class="notice decision-by-operator">
                    {move || card.with(|c| match c.certificate.decision_due {
                        Some(due) => format!(
                            "Документы приняты. Решение о сертификате примет оператор до {}.",
                            dates::russian(due)
                        ),
                        None => "Решение о сертификате принимает оператор, когда данные сверены и заявление получено."
                            .to_owned(),
                    })}
                </p>
            </Show>
        </section>
    }
}

/// «Исправить данные»: the changed fields of the child and why.
#[component]
pub(crate) fn CorrectForm(card: RwSignal<RegistryCard>) -> impl IntoView {
    let session = use_session();
    let region = use_region();
    let fields = ChildFields::new();
    card.with_untracked(|c| fields.fill(&c.child));
    let reason = RwSignal::new(String::new());
    let status = FormStatus::new();
    let correct = status.action(
        move |(number, correction): (String, ChildCorrection)| async move {
            api::correct_child(session, &number, &correction).await
        },
        move |updated: RegistryCard| {
            fields.fill(&updated.child);
            card.set(updated);
            reason.set(String::new());
            status.done("Данные исправлены.");
        },
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        status.clear();
        let Some(input) = fields.read(status) else { return };
        let (number, changed) =
            card.with_untracked(|c| (c.certificate.number.clone(), changes(&input, &input_of(&c.child))));
        if changed.is_empty() {
            status.done("Изменений нет — исправлять нечего.");
            return;
        }
        let correction = ChildCorrection { changes: changed, reason: reason.get_untracked() };
        status.submit(correct, (number, correction), |(_, correction)| {
            let mut errors = check_child(&input, region).err().unwrap_or_default();
            if correction.reason.trim().is_empty() {
                errors.add("reason", "Укажите причину исправления");
            }
            if errors.is_empty() { Ok(()) } else { Err(errors) }
        });
    };
    view! {
        // The refusal form on the same page has a `reason` field too.
        <Provider value=FieldScope("correct-")>
        <details class="card">
            <summary>"Исправить данные"</summary>
            <form id="correct-form" class="form" novalidate=true on:submit=on_submit>
                <FormError status=status />
                <ChildInputs fields=fields errors=status.errors />
                <TextAreaField
                    name="reason"
                    label="Причина исправления"
                    value=reason
                    errors=status.errors
                    hint="Например: опечатка в отчестве, сверено со свидетельством о рождении"
                    required=true
                />
                <SubmitButton pending=correct.pending() label="Исправить" busy="Сохраняем…" />
            </form>
        </details>
        </Provider>
    }
}

/// A decision on a record with an official reason and a comment.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Refusal of a pending certificate.
    Refuse,
    /// Exclusion of an active certificate from the registry.
    Exclude,
}

impl Decision {
    /// The status of the certificates it is taken on.
    fn taken_on(self) -> CertificateStatus {
        match self {
            Decision::Refuse => CertificateStatus::Pending,
            Decision::Exclude => CertificateStatus::Active,
        }
    }

    fn form_id(self) -> &'static str {
        match self {
            Decision::Refuse => "refuse-form",
            Decision::Exclude => "exclude-form",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Decision::Refuse => "Отказать в выдаче",
            Decision::Exclude => "Исключить из реестра",
        }
    }

    fn reasons(self) -> Vec<(String, String)> {
        select_options(match self {
            Decision::Refuse => &[
                ("already_has_certificate", "У ребёнка уже есть сертификат"),
                ("incomplete_or_false_data", "Неполные или недостоверные сведения"),
                ("no_residence_in_region", "Ребёнок не проживает в регионе"),
                ("no_consent", "Нет согласия на обработку персональных данных"),
            ],
            Decision::Exclude => &[
                ("applicant_request", "Письменное заявление заявителя"),
                ("moved_out_of_region", "Смена места жительства за пределы региона"),
            ],
        })
    }

    fn done(self) -> &'static str {
        match self {
            Decision::Refuse => "В выдаче сертификата отказано.",
            Decision::Exclude => {
                "Сертификат исключён из реестра. Обучение ребёнка по нему прекращено, неизрасходованные резервы \
                 возвращены, семья и организации уведомлены."
            }
        }
    }

    /// The body for the reason code `reason`; an error under `reason` when none is chosen.
    fn request(self, reason: String, comment: String) -> Result<DecisionRequest, FieldErrors> {
        let reason = Value::String(reason);
        let unknown = |_| FieldErrors::one("reason", "Выберите причину");
        Ok(match self {
            Decision::Refuse => DecisionRequest::Refuse(RefuseRequest {
                reason: serde_json::from_value(reason).map_err(unknown)?,
                comment,
            }),
            Decision::Exclude => DecisionRequest::Exclude(ExcludeRequest {
                reason: serde_json::from_value(reason).map_err(unknown)?,
                comment,
            }),
        })
    }
}

/// The body of a decision as the API takes it.
#[derive(Clone)]
enum DecisionRequest {
    Refuse(RefuseRequest),
    Exclude(ExcludeRequest),
}

impl DecisionRequest {
    async fn send(self, session: Session, number: String) -> Result<RegistryCard, Problem> {
        match self {
            DecisionRequest::Refuse(request) => api::refuse(session, &number, &request).await,
            DecisionRequest::Exclude(request) => api::exclude(session, &number, &request).await,
        }
    }
}

/// The form of a [`Decision`]: the official reason and a comment.
#[component]
pub(crate) fn DecisionForm(card: RwSignal<RegistryCard>, decision: Decision) -> impl IntoView {
    let session = use_session();
    let reason = RwSignal::new(String::new());
    let comment = RwSignal::new(String::new());
    let status = FormStatus::new();
    let decide = status.action(
        move |(number, request): (String, DecisionRequest)| request.send(session, number),
        move |updated: RegistryCard| {
            card.set(updated);
            status.done(decision.done());
        },
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        status.clear();
        match decision.request(reason.get_untracked(), comment.get_untracked()) {
            Ok(request) => {
                decide.dispatch_local((card.with_untracked(|c| c.certificate.number.clone()), request));
            }
            Err(errors) => status.invalid(errors),
        }
    };
    // The outcome stays on the page after the form goes with the status it was for.
    let open = move || card.with(|c| c.certificate.status == decision.taken_on());
    // A record filed again opens the form anew: the old outcome is not its message.
    Effect::new(move |was_open: Option<bool>| {
        let now = open();
        if was_open == Some(false) && now {
            status.clear();
        }
        now
    });
    view! {
        <div class=format!("decision-outcome {}", decision.form_id())>
            <Show when=move || !open()>
                <FormError status=status />
            </Show>
        </div>
        <Show when=open>
        <details class="card">
            <summary>{decision.title()}</summary>
            <form id=decision.form_id() class="form" novalidate=true on:submit=on_submit>
                <FormError status=status />
                <SelectField
                    name="reason"
                    label="Причина"
                    value=reason
                    errors=status.errors
                    options=decision.reasons()
                    placeholder="Выберите причину"
                    required=true
                />
                <TextAreaField name="comment" label="Комментарий" value=comment errors=status.errors />
                <SubmitButton pending=decide.pending() label=decision.title() busy="Сохраняем…" />
            </form>
        </details>
        </Show>
    }
}
