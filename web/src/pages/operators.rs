//! The admin's staff of the region: the operators and the admins page by
//! page, opening an account by invitation, switching one off or on again,
//! and the audited assignment of an operator's municipality (what the
//! operator may see depends on it).

use leptos::context::Provider;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use navigator_shared::accounts::{Role, StaffAccount, StaffAssignment, StaffInvite};
use navigator_shared::reference::Page;

use crate::api::{self, catalog, use_session};
use crate::components::{
    AccountState, AccountSwitchForm, Field, FieldScope, FormError, FormStatus, InviteeFields, SelectField,
    SubmitButton, SwitchTarget,
};
use crate::components::{Pager, Turn};

/// Accounts on a page of the list.
const PER_PAGE: i64 = 20;

/// The list as shown, changed in place after an assignment or a switch.
type Shown = RwSignal<Option<Result<Page<StaffAccount>, String>>>;

/// Puts `account` in place of its row.
fn replace_row(shown: Shown, account: StaffAccount) {
    shown.update(|found| {
        if let Some(Ok(found)) = found
            && let Some(row) = found.items.iter_mut().find(|o| o.id == account.id)
        {
            *row = account;
        }
    });
}

/// `/operators` (admin).
#[component]
pub fn Operators() -> impl IntoView {
    let session = use_session();
    let role = RwSignal::new(Role::Operator);
    let page = RwSignal::new(1_i64);
    let list = LocalResource::new(move || api::staff(session, role.get(), page.get(), PER_PAGE));
    let municipalities = LocalResource::new(api::municipalities);
    let names = Signal::derive(move || match municipalities.get() {
        Some(Ok(all)) => all.into_iter().map(|m| (m.id.to_string(), m.name)).collect::<Vec<_>>(),
        _ => Vec::new(),
    });
    let shown: Shown = RwSignal::new(None);
    Effect::new(move || {
        if let Some(result) = list.get() {
            shown.set(Some(result.map_err(|problem| problem.detail)));
        }
    });
    let target = RwSignal::new(None::<SwitchTarget>);
    let show = move |wanted: Role| {
        move |_| {
            if role.get_untracked() != wanted {
                shown.set(None);
                target.set(None);
                page.set(1);
                role.set(wanted);
            }
        }
    };
    let body = move || match shown.get() {
        None => view! { <p class="loading">"Загрузка…"</p> }.into_any(),
        Some(Err(detail)) => view! { <p class="form-error" role="alert">{detail}</p> }.into_any(),
        Some(Ok(found)) if found.items.is_empty() => {
            view! { <p class="empty-state">"Учётных записей пока нет."</p> }.into_any()
        }
        Some(Ok(found)) => {
            let municipality_of = move |id: Option<i64>| {
                let id = id.map(|id| id.to_string());
                names.with(|names| {
                    names.iter().find(|(value, _)| Some(value) == id.as_ref()).map(|(_, name)| name.clone())
                })
            };
            let rows = found
                .items
                .into_iter()
                .map(|person| {
                    let municipality =
                        move || municipality_of(person.municipality_id).unwrap_or_else(|| "не назначен".into());
                    view! {
                        <tr data-operator-id=person.id class:disabled=person.disabled>
                            <td class="operator-name">{person.full_name.clone()}</td>
                            <td class="operator-email">{person.email}</td>
                            <td class="operator-municipality">{municipality}</td>
                            <td class="operator-state">
                                <AccountState
                                    id=person.id
                                    name=person.full_name
                                    disabled=person.disabled
                                    target=target
                                />
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label="Таблица, прокручивается в сторону">
                    <table class="operators">
                        <thead>
                            <tr>
                                <th scope="col">"Сотрудник"</th>
                                <th scope="col">"Почта"</th>
                                <th scope="col">"Муниципалитет"</th>
                                <th scope="col">"Учётная запись"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <Pager current=found.page total=found.total per_page=found.per_page turn=Turn::Signal(page) />
            }
            .into_any()
        }
    };
    let is = move |wanted: Role| move || role.get() == wanted;
    view! {
        <div class="page">
            <h1>"Сотрудники региона"</h1>
            <section class="card">
                <div class="tabs" role="group" aria-label="Чьи учётные записи показать">
                    {[(Role::Operator, "role-operators", "Операторы"), (Role::Admin, "role-admins", "Администраторы")]
                        .into_iter()
                        .map(|(which, id, label)| {
                            view! {
                                <button
                                    type="button"
                                    id=id
                                    class="tab"
                                    aria-pressed=move || is(which)().to_string()
                                    on:click=show(which)
                                >
                                    {label}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
                <p class="muted">
                    "Оператор видит реестр, заявления и организации только своего муниципалитета; администратор — \
                     весь регион. Муниципалитет назначает администратор; назначения, новые учётные записи, \
                     отключение и включение попадают в журнал действий."
                </p>
                {body}
                <AccountSwitchForm target=target done=Callback::new(move |account| replace_row(shown, account)) />
            </section>
            <Show when=is(Role::Operator)>
                <section class="card">
                    <h2>"Назначить муниципалитет"</h2>
                    <AssignForm shown=shown municipalities=names />
                </section>
            </Show>
            <section class="card">
                <h2>"Новая учётная запись"</h2>
                <InviteForm municipalities=names on_created=move |created: StaffAccount| {
                    if created.role == role.get_untracked() {
                        list.refetch();
                    }
                } />
            </section>
        </div>
    }
}

/// `<form id="invite-staff-form">`: the account of an operator or an admin;
/// the person gets an email with a link to set the password.
#[component]
fn InviteForm(
    municipalities: Signal<Vec<(String, String)>>,
    on_created: impl Fn(StaffAccount) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let session = use_session();
    let role = RwSignal::new(Role::Operator.as_str().to_owned());
    let last_name = RwSignal::new(String::new());
    let first_name = RwSignal::new(String::new());
    let middle_name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let municipality = RwSignal::new(String::new());
    let status = FormStatus::new();
    let roles = Signal::derive(|| {
        vec![
            (Role::Operator.as_str().to_owned(), "Оператор муниципалитета".to_owned()),
            (Role::Admin.as_str().to_owned(), "Администратор региона".to_owned()),
        ]
    });
    let invite = status.action(
        move |request: StaffInvite| async move { catalog::open_staff_account(session, &request).await },
        move |account: StaffAccount| {
            for field in [last_name, first_name, middle_name, email, phone, municipality] {
                field.set(String::new());
            }
            status.done(format!(
                "Учётная запись открыта. {} получит письмо на {} со ссылкой, чтобы задать пароль.",
                account.full_name, account.email
            ));
            on_created(account);
        },
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let request = StaffInvite {
            role: if role.get_untracked() == Role::Admin.as_str() { Role::Admin } else { Role::Operator },
            email: email.get_untracked(),
            phone: phone.get_untracked(),
            last_name: last_name.get_untracked(),
            first_name: first_name.get_untracked(),
            middle_name: middle_name.get_untracked(),
            municipality_id: municipality.get_untracked().parse().unwrap_or(0),
        };
        status.submit(invite, request, StaffInvite::validate);
    };
    let hint = Signal::derive(move || {
        Some(if role.get() == Role::Admin.as_str() {
            "Где работает администратор; он видит весь регион"
        } else {
            "Оператор будет видеть только этот муниципалитет"
        })
    });
    view! {
        // The assignment form on the same page has `municipality_id` too.
        <Provider value=FieldScope("invite-")>
            <form id="invite-staff-form" class="form" novalidate=true on:submit=on_submit>
                <FormError status=status />
                <SelectField
                    name="role"
                    label="Роль"
                    value=role
                    errors=status.errors
                    options=roles
                    placeholder="Выберите роль"
                    required=true
                />
                <InviteeFields
                    last_name=last_name
                    first_name=first_name
                    middle_name=middle_name
                    email=email
                    phone=phone
                    errors=status.errors
                />
                <SelectField
                    name="municipality_id"
                    label="Муниципалитет"
                    value=municipality
                    errors=status.errors
                    options=municipalities
                    placeholder="Выберите муниципалитет"
                    hint=hint
                    required=true
                />
                <SubmitButton pending=invite.pending() label="Открыть учётную запись" busy="Открываем…" />
            </form>
        </Provider>
    }
}

/// The select naming whom an assignment is for: its field, the message
/// when nobody is chosen, its value.
pub(crate) struct Chosen(pub &'static str, pub &'static str, pub RwSignal<String>);

/// Sends `request` for the person chosen, or shows every missing field at once.
pub(crate) fn submit_assignment(
    status: FormStatus,
    action: Action<(i64, StaffAssignment), ()>,
    Chosen(field, missing, chosen): Chosen,
    request: StaffAssignment,
) {
    let id = chosen.get_untracked().parse::<i64>().ok();
    status.submit(action, (id.unwrap_or_default(), request), move |(_, request)| {
        let mut errors = request.validate().err().unwrap_or_default();
        if id.is_none() {
            errors.add(field, missing);
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    });
}

/// `<form id="assign-form">`: an operator of the page, the municipality, the reason.
#[component]
fn AssignForm(shown: Shown, municipalities: Signal<Vec<(String, String)>>) -> impl IntoView {
    let session = use_session();
    let operator = RwSignal::new(String::new());
    let municipality = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let status = FormStatus::new();
    let operators = Signal::derive(move || match shown.get() {
        Some(Ok(found)) => {
            found.items.into_iter().map(|o| (o.id.to_string(), format!("{} ({})", o.full_name, o.email))).collect()
        }
        _ => Vec::new(),
    });
    let assign = status.action(
        move |(id, request): (i64, StaffAssignment)| async move { catalog::assign_staff(session, id, &request).await },
        move |account: StaffAccount| {
            let to = account.municipality_id.map(|m| m.to_string());
            let name = municipalities.with_untracked(|all| {
                all.iter().find(|(id, _)| Some(id) == to.as_ref()).map(|(_, name)| name.clone()).unwrap_or_default()
            });
            let full_name = account.full_name.clone();
            replace_row(shown, account);
            for field in [operator, municipality, reason] {
                field.set(String::new());
            }
            status.done(format!("{full_name} теперь оператор муниципалитета «{name}»."));
        },
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let request = StaffAssignment {
            municipality_id: Some(municipality.get_untracked().parse().unwrap_or(0)),
            organization_id: None,
            reason: reason.get_untracked(),
        };
        submit_assignment(status, assign, Chosen("operator_id", "Выберите оператора", operator), request);
    };
    view! {
        <form id="assign-form" class="form" novalidate=true on:submit=on_submit>
            <FormError status=status />
            <SelectField
                name="operator_id"
                label="Оператор"
                value=operator
                errors=status.errors
                options=operators
                placeholder="Выберите оператора из списка выше"
                required=true
            />
            <SelectField
                name="municipality_id"
                label="Муниципалитет"
                value=municipality
                errors=status.errors
                options=municipalities
                placeholder="Выберите муниципалитет"
                required=true
            />
            <Field
                name="reason"
                label="Основание"
                value=reason
                errors=status.errors
                hint="Например, приказ № 45 от 01.12.2026. Попадает в журнал действий."
                required=true
            />
            <SubmitButton pending=assign.pending() label="Назначить" busy="Назначаем…" />
        </form>
    }
}
