//! The operator's registry of organizations: search, the record, the form
//! and inviting the organization's staff.

use leptos::context::Provider;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use navigator_shared::FieldErrors;
use navigator_shared::accounts::{AccountCreated, InviteRequest, StaffAccount, StaffAssignment};
use navigator_shared::organizations::OrganizationsQuery;
use navigator_shared::organizations::{
    OrganizationCard, OrganizationInput, OrganizationKind, OrganizationRecord, OrganizationStatus, StaffMember,
};
use navigator_shared::reference::PageQuery;

use super::super::cabinet::widgets::{
    CheckboxField, FilterSelect, LIST_PER_PAGE, Municipalities, Reader, code_options, paged_list, record_page,
    send_checked,
};
use super::super::operators::{Chosen, submit_assignment};
use crate::api::{catalog, use_session};
use crate::components::{
    AccountState, AccountSwitchForm, Field, FieldScope, FormError, FormStatus, InviteeFields, MunicipalitySelect,
    SelectField, SubmitButton, SwitchTarget,
};

/// `/organizations-registry`: search by name or INN and kind.
#[component]
pub fn OrganizationsRegistry() -> impl IntoView {
    let session = use_session();
    let municipalities = Municipalities::load();
    let q = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    // The applied search text (the kind applies at once) and the page shown.
    let applied = RwSignal::new(String::new());
    let page = RwSignal::new(1_i64);
    let list = LocalResource::new(move || {
        let text = applied.get();
        let query = OrganizationsQuery {
            q: (!text.is_empty()).then_some(text),
            kind: OrganizationKind::parse(&kind.get()),
            page: Some(page.get()),
            per_page: Some(LIST_PER_PAGE),
            ..OrganizationsQuery::default()
        };
        async move { catalog::registry_organizations(session, &query).await }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let text = q.with_untracked(|q| q.trim().to_owned());
        page.set(1);
        applied.set(text);
    };
    let kinds = code_options(OrganizationKind::ALL, OrganizationKind::as_str, OrganizationKind::title);
    let results = move || {
        paged_list(
            list.get(),
            page,
            ("Найдено", "organization-list"),
            || view! { <p class="empty-state">"Организаций не найдено."</p> }.into_any(),
            |card| view! { <OrganizationItem card=card municipalities=municipalities /> }.into_any(),
        )
    };
    view! {
        <div class="page page-wide">
            <div class="page-head">
                <h1>"Организации"</h1>
                <a id="new-organization-link" class="button" href="/organizations-registry/new">
                    "Добавить организацию"
                </a>
            </div>
            <section class="card filters">
                <form id="organizations-search" class="form" role="search" novalidate=true on:submit=on_submit>
                    <div class="row row-even">
                        <div class="field">
                            <label for="q">"Название или ИНН"</label>
                            <input id="q" name="q" type="search" autocomplete="off" bind:value=q />
                        </div>
                        <FilterSelect
                            name="kind"
                            label="Вид"
                            value=kind
                            options=kinds
                            all="Все виды"
                            on_change=Callback::new(move |()| page.set(1))
                        />
                    </div>
                    <button type="submit" class="button">
                        "Найти"
                    </button>
                </form>
            </section>
            {results}
        </div>
    }
}

#[component]
fn OrganizationItem(card: OrganizationCard, municipalities: Municipalities) -> impl IntoView {
    let municipality_id = card.municipality_id;
    view! {
        <article class="organization-item list-item" data-organization-id=card.id>
            <h2 class="item-title">
                <a href=format!("/organizations-registry/{}", card.id)>{card.name}</a>
            </h2>
            <p class="item-meta">
                <span class="organization-inn">{format!("ИНН {}", card.inn)}</span>
                <span>{card.kind.title()}</span>
                <span class="item-municipality">{move || municipalities.name(municipality_id)}</span>
            </p>
            <p class="item-meta">
                <span class=format!("org-status status-{}", card.status.as_str())>{card.status.title()}</span>
                {card.is_provider.then(|| view! { <span class="mark mark-provider">"Поставщик услуг"</span> })}
                {card.can_activate.then(|| view! { <span class="mark mark-activation">"Пункт активации"</span> })}
            </p>
        </article>
    }
}

/// Every field of the organization form.
#[derive(Clone, Copy)]
struct OrganizationFields {
    name: RwSignal<String>,
    inn: RwSignal<String>,
    kind: RwSignal<String>,
    municipality_id: RwSignal<String>,
    address: RwSignal<String>,
    lat: RwSignal<String>,
    lon: RwSignal<String>,
    phone: RwSignal<String>,
    email: RwSignal<String>,
    website: RwSignal<String>,
    is_provider: RwSignal<bool>,
    can_activate: RwSignal<bool>,
    can_confirm: RwSignal<bool>,
    can_view_personal_data: RwSignal<bool>,
    activation_contact: RwSignal<String>,
    reception_hours: RwSignal<String>,
    city_phone: RwSignal<String>,
    status: RwSignal<String>,
}

impl OrganizationFields {
    fn new() -> Self {
        let empty = || RwSignal::new(String::new());
        Self {
            name: empty(),
            inn: empty(),
            kind: empty(),
            municipality_id: empty(),
            address: empty(),
            lat: empty(),
            lon: empty(),
            phone: empty(),
            email: empty(),
            website: empty(),
            is_provider: RwSignal::new(false),
            can_activate: RwSignal::new(false),
            can_confirm: RwSignal::new(false),
            can_view_personal_data: RwSignal::new(false),
            activation_contact: empty(),
            reception_hours: empty(),
            city_phone: empty(),
            status: empty(),
        }
    }

    fn fill(&self, record: &OrganizationRecord) {
        let card = &record.card;
        self.name.set(card.name.clone());
        self.inn.set(card.inn.clone());
        self.kind.set(card.kind.as_str().to_owned());
        self.municipality_id.set(card.municipality_id.to_string());
        self.address.set(card.address.clone());
        self.lat.set(card.lat.map(|v| v.to_string()).unwrap_or_default());
        self.lon.set(card.lon.map(|v| v.to_string()).unwrap_or_default());
        self.phone.set(card.phone.clone());
        self.email.set(card.email.clone());
        self.website.set(card.website.clone());
        self.is_provider.set(card.is_provider);
        self.can_activate.set(card.can_activate);
        self.can_confirm.set(record.can_confirm);
        self.can_view_personal_data.set(record.can_view_personal_data);
        self.activation_contact.set(record.activation_contact.clone());
        self.reception_hours.set(record.reception_hours.clone());
        self.city_phone.set(record.city_phone.clone());
        self.status.set(card.status.as_str().to_owned());
    }

    fn read(&self) -> (OrganizationInput, FieldErrors) {
        let text = |value: RwSignal<String>| value.get_untracked();
        let mut reader = Reader::default();
        let input = OrganizationInput {
            name: text(self.name),
            inn: text(self.inn),
            kind: self.kind.with_untracked(|code| OrganizationKind::parse(code)),
            municipality_id: self.municipality_id.with_untracked(|id| id.parse().unwrap_or(0)),
            address: text(self.address),
            lat: reader.optional_float("lat", self.lat),
            lon: reader.optional_float("lon", self.lon),
            phone: text(self.phone),
            email: text(self.email),
            website: text(self.website),
            is_provider: self.is_provider.get_untracked(),
            can_activate: self.can_activate.get_untracked(),
            can_confirm: self.can_activate.get_untracked() && self.can_confirm.get_untracked(),
            can_view_personal_data: self.can_activate.get_untracked() && self.can_view_personal_data.get_untracked(),
            activation_contact: text(self.activation_contact),
            reception_hours: text(self.reception_hours),
            city_phone: text(self.city_phone),
            status: self.status.with_untracked(|code| OrganizationStatus::parse(code)),
        };
        (input, reader.errors)
    }
}

/// `<form id="organization-form">`: adds an organization (then opens its
/// record), or saves the changes of `record`.
#[component]
fn OrganizationForm(#[prop(optional)] record: Option<RwSignal<OrganizationRecord>>) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let fields = OrganizationFields::new();
    if let Some(record) = record {
        record.with_untracked(|r| fields.fill(r));
    }
    let status = FormStatus::new();
    let save = status.action(
        move |(id, input): (Option<i64>, OrganizationInput)| async move {
            match id {
                Some(id) => catalog::update_organization(session, id, &input).await,
                None => catalog::create_organization(session, &input).await,
            }
        },
        move |saved: OrganizationRecord| match record {
            Some(record) => {
                fields.fill(&saved);
                record.set(saved);
                status.done("Изменения сохранены.");
            }
            None => navigate(&format!("/organizations-registry/{}", saved.card.id), NavigateOptions::default()),
        },
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (input, errors) = fields.read();
        let id = record.map(|r| r.with_untracked(|r| r.card.id));
        send_checked(status, save, (id, input), errors, |(_, input)| input.validate());
    };
    let kinds = code_options(OrganizationKind::ALL, OrganizationKind::as_str, OrganizationKind::title);
    let statuses = code_options(OrganizationStatus::ALL, OrganizationStatus::as_str, OrganizationStatus::title);
    let errors = status.errors;
    view! {
        <form id="organization-form" class="form" novalidate=true on:submit=on_submit>
            <FormError status=status />
            <Field name="name" label="Название организации" value=fields.name errors=errors required=true />
            <div class="row row-even">
                <Field
                    name="inn"
                    label="ИНН"
                    value=fields.inn
                    errors=errors
                    inputmode="numeric"
                    autocomplete="off"
                    hint="10 цифр для организации, 12 — для ИП"
                    required=true
                />
                <SelectField
                    name="kind"
                    label="Вид организации"
                    value=fields.kind
                    errors=errors
                    options=kinds
                    placeholder="Выберите"
                    required=true
                />
            </div>
            <MunicipalitySelect value=fields.municipality_id errors=errors />
            <Field name="address" label="Адрес" value=fields.address errors=errors autocomplete="off" required=true />
            <fieldset class="group coordinates">
                <legend>"Место на карте"</legend>
                <p class="hint">"Координаты здания, например 54.7826 и 32.0453; можно не указывать"</p>
                <div class="row row-even">
                    <Field
                        name="lat"
                        label="Широта"
                        value=fields.lat
                        errors=errors
                        kind="text"
                        inputmode="decimal"
                    />
                    <Field
                        name="lon"
                        label="Долгота"
                        value=fields.lon
                        errors=errors
                        kind="text"
                        inputmode="decimal"
                    />
                </div>
            </fieldset>
            <div class="row row-even">
                <Field
                    name="phone"
                    label="Телефон"
                    value=fields.phone
                    errors=errors
                    kind="tel"
                    autocomplete="off"
                    required=true
                />
                <Field
                    name="email"
                    label="Электронная почта"
                    value=fields.email
                    errors=errors
                    kind="email"
                    autocomplete="off"
                />
            </div>
            <Field
                name="website"
                label="Сайт"
                value=fields.website
                errors=errors
                kind="url"
                autocomplete="off"
                hint="Например: https://school1.ru"
            />
            <CheckboxField
                name="is_provider"
                label="Поставщик образовательных услуг"
                checked=fields.is_provider
                errors=errors
                hint="Проверенная организация: отметка видна в каталоге"
            />
            <CheckboxField
                name="can_activate"
                label="Пункт активации сертификатов"
                checked=fields.can_activate
                errors=errors
            />
            <Show when=move || fields.can_activate.get()>
                <fieldset class="group activation-details">
                    <legend>"Пункт активации"</legend>
                    <Field
                        name="activation_contact"
                        label="Ответственный специалист"
                        value=fields.activation_contact
                        errors=errors
                        autocomplete="off"
                        required=true
                    />
                    <Field
                        name="reception_hours"
                        label="Часы приёма"
                        value=fields.reception_hours
                        errors=errors
                        hint="Например: пн–пт 9:00–17:00"
                        required=true
                    />
                    <Field
                        name="city_phone"
                        label="Городской телефон"
                        value=fields.city_phone
                        errors=errors
                        kind="tel"
                        autocomplete="off"
                        required=true
                    />
                    <CheckboxField
                        name="can_confirm"
                        label="Уполномочен подтверждать сертификаты"
                        checked=fields.can_confirm
                        errors=errors
                        hint="Действует, если регион разрешает пунктам активации подтверждать сертификаты"
                    />
                    <CheckboxField
                        name="can_view_personal_data"
                        label="Доступ к персональным данным реестра"
                        checked=fields.can_view_personal_data
                        errors=errors
                        hint="Без доступа сотрудники видят номера документов и СНИЛС скрытыми"
                    />
                </fieldset>
            </Show>
            {record
                .is_some()
                .then(|| {
                    view! {
                        <SelectField
                            name="status"
                            label="Статус"
                            value=fields.status
                            errors=errors
                            options=statuses
                            placeholder="Выберите"
                            hint="Программы приостановленной организации скрыты из каталога"
                        />
                    }
                })}
            <SubmitButton
                pending=save.pending()
                label=if record.is_some() { "Сохранить изменения" } else { "Добавить организацию" }
                busy="Сохраняем…"
            />
        </form>
    }
}

/// `/organizations-registry/new`.
#[component]
pub fn NewOrganization() -> impl IntoView {
    view! {
        <div class="page">
            <p class="back-link">
                <a href="/organizations-registry">"← К организациям"</a>
            </p>
            <h1>"Новая организация"</h1>
            <section class="card">
                <OrganizationForm />
            </section>
        </div>
    }
}

/// `/organizations-registry/{id}`: the record, its staff and inviting a new employee.
#[component]
pub fn OrganizationRecordPage() -> impl IntoView {
    record_page(
        ("/organizations-registry", "← К организациям"),
        "Организация не найдена",
        catalog::registry_organization,
        |record| view! { <OrganizationRecordView record=RwSignal::new(record) /> }.into_any(),
    )
}

/// The staff member's row after his account was switched off or on.
fn switched(record: RwSignal<OrganizationRecord>, account: StaffAccount) {
    record.update(|r| {
        if let Some(member) = r.staff.iter_mut().find(|m| m.id == account.id) {
            member.disabled = account.disabled;
        }
    });
}

#[component]
fn OrganizationRecordView(record: RwSignal<OrganizationRecord>) -> impl IntoView {
    let switching = RwSignal::new(None::<SwitchTarget>);
    view! {
        <h1 class="organization-title">{move || record.with(|r| r.card.name.clone())}</h1>
        <p class="item-meta">
            {move || {
                record
                    .with(|r| {
                        let status = r.card.status;
                        view! {
                            <span class=format!("org-status status-{}", status.as_str())>{status.title()}</span>
                            <span>{format!("Опубликованных программ: {}", r.card.programs_count)}</span>
                        }
                    })
            }}
        </p>
        <section class="card">
            <h2>"Сведения"</h2>
            <OrganizationForm record=record />
        </section>
        <section class="card" id="staff">
            <h2>"Сотрудники"</h2>
            {move || view! { <StaffList staff=record.with(|r| r.staff.clone()) target=switching /> }}
            <AccountSwitchForm target=switching done=Callback::new(move |account: StaffAccount| switched(record, account)) />
            <StaffForm record=record />
            <TransferForm record=record />
        </section>
    }
}

#[component]
fn StaffList(staff: Vec<StaffMember>, target: RwSignal<Option<SwitchTarget>>) -> impl IntoView {
    if staff.is_empty() {
        return view! { <p class="empty-state">"Сотрудников пока нет. Пригласите первого — ему придёт письмо."</p> }
            .into_any();
    }
    let rows = staff
        .into_iter()
        .map(|member| {
            let (class, text) = if member.email_confirmed {
                ("staff-confirmed confirmed", "почта подтверждена")
            } else {
                ("staff-confirmed pending", "ждёт подтверждения")
            };
            view! {
                <li class="staff-member" data-staff-id=member.id>
                    <strong class="staff-name">{member.full_name.clone()}</strong>
                    <span class="staff-email">{member.email}</span>
                    <span class="staff-phone">{crate::pages::catalog::phone_text(&member.phone)}</span>
                    <span class=class>{text}</span>
                    <span class="staff-account">
                        <AccountState id=member.id name=member.full_name disabled=member.disabled target=target />
                    </span>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="staff-list">{rows}</ul> }.into_any()
}

/// `<form id="staff-form">`: an account for an employee of the organization.
#[component]
fn StaffForm(record: RwSignal<OrganizationRecord>) -> impl IntoView {
    let session = use_session();
    let last_name = RwSignal::new(String::new());
    let first_name = RwSignal::new(String::new());
    let middle_name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let status = FormStatus::new();
    let invite = status.action(
        move |request: InviteRequest| async move {
            let full_name = [&request.last_name, &request.first_name, &request.middle_name]
                .iter()
                .map(|part| part.trim())
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let member_phone = request.phone.clone();
            catalog::invite_staff(session, &request).await.map(|account| (account, full_name, member_phone))
        },
        move |(account, full_name, member_phone): (AccountCreated, String, String)| {
            let member = StaffMember {
                id: account.id,
                email: account.email.clone(),
                full_name,
                phone: member_phone,
                email_confirmed: false,
                disabled: false,
            };
            record.update(|r| r.staff.push(member));
            for field in [last_name, first_name, middle_name, email, phone] {
                field.set(String::new());
            }
            status.done(format!(
                "Приглашение отправлено на {}. Сотрудник получит письмо со ссылкой, чтобы задать пароль.",
                account.email
            ));
        },
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (municipality_id, organization_id) = record.with_untracked(|r| (r.card.municipality_id, r.card.id));
        let request = InviteRequest {
            email: email.get_untracked(),
            phone: phone.get_untracked(),
            last_name: last_name.get_untracked(),
            first_name: first_name.get_untracked(),
            middle_name: middle_name.get_untracked(),
            municipality_id,
            organization_id: Some(organization_id),
        };
        status.submit(invite, request, InviteRequest::validate);
    };
    view! {
        // The organization form on the same page has `email` and `phone` too.
        <Provider value=FieldScope("staff-")>
        <h3>"Пригласить сотрудника"</h3>
        <form id="staff-form" class="form" novalidate=true on:submit=on_submit>
            <FormError status=status />
            <InviteeFields
                last_name=last_name
                first_name=first_name
                middle_name=middle_name
                email=email
                phone=phone
                errors=status.errors
            />
            <SubmitButton pending=invite.pending() label="Пригласить" busy="Отправляем…" />
        </form>
        </Provider>
    }
}

/// `<form id="transfer-form">`: moves an employee to another organization of
/// the same municipality (the change and its reason go to the audit log).
#[component]
fn TransferForm(record: RwSignal<OrganizationRecord>) -> impl IntoView {
    let session = use_session();
    let member = RwSignal::new(String::new());
    let organization = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let status = FormStatus::new();
    let (municipality, own) = record.with_untracked(|r| (r.card.municipality_id, r.card.id));
    let others = LocalResource::new(move || async move {
        let query = OrganizationsQuery {
            municipality_id: Some(municipality),
            per_page: Some(PageQuery::MAX_PER_PAGE),
            ..OrganizationsQuery::default()
        };
        catalog::registry_organizations(session, &query).await
    });
    let organizations = Signal::derive(move || match others.get() {
        Some(Ok(page)) => page.items.into_iter().filter(|o| o.id != own).map(|o| (o.id.to_string(), o.name)).collect(),
        _ => Vec::new(),
    });
    let members = Signal::derive(move || {
        record.with(|r| r.staff.iter().map(|m| (m.id.to_string(), format!("{} ({})", m.full_name, m.email))).collect())
    });
    let transfer = status.action(
        move |(id, request): (i64, StaffAssignment)| async move { catalog::assign_staff(session, id, &request).await },
        move |account: StaffAccount| {
            let to = organizations
                .get_untracked()
                .into_iter()
                .find(|(id, _)| Some(id.as_str()) == account.organization_id.map(|o| o.to_string()).as_deref())
                .map(|(_, name)| name)
                .unwrap_or_default();
            record.update(|r| r.staff.retain(|m| m.id != account.id));
            for field in [member, organization, reason] {
                field.set(String::new());
            }
            status.done(format!("{} переведён(а) в «{to}».", account.full_name));
        },
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let request = StaffAssignment {
            municipality_id: None,
            organization_id: Some(organization.get_untracked().parse().unwrap_or(0)),
            reason: reason.get_untracked(),
        };
        submit_assignment(status, transfer, Chosen("staff_id", "Выберите сотрудника", member), request);
    };
    // The notice stays when the last employee has left and the form hides.
    view! {
        <Provider value=FieldScope("transfer-")>
        <div id="transfer">
        <FormError status=status />
        <Show when=move || record.with(|r| !r.staff.is_empty())>
        <h3>"Перевести сотрудника"</h3>
        <form id="transfer-form" class="form" novalidate=true on:submit=on_submit>
            <SelectField
                name="staff_id"
                label="Сотрудник"
                value=member
                errors=status.errors
                options=members
                placeholder="Выберите сотрудника"
                required=true
            />
            <SelectField
                name="organization_id"
                label="В организацию"
                value=organization
                errors=status.errors
                options=organizations
                placeholder="Выберите организацию муниципалитета"
                required=true
            />
            <Field
                name="reason"
                label="Основание"
                value=reason
                errors=status.errors
                hint="Например, приказ о переводе № 12 от 01.12.2026. Попадает в журнал действий."
                required=true
            />
            <SubmitButton pending=transfer.pending() label="Перевести" busy="Переводим…" />
        </form>
        </Show>
        </div>
        </Provider>
    }
}
