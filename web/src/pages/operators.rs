//! The admin's list of municipal operators and the audited assignment of an
//! operator's municipality (what the operator may see depends on it).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use navigator_shared::accounts::{StaffAccount, StaffAssignment};
use navigator_shared::reference::Page;

use super::cabinet::widgets::Pager;
use crate::api::{self, catalog, use_session};
use crate::components::{Field, FormError, FormStatus, SelectField, SubmitButton};

/// Operators on a page of the list.
const PER_PAGE: i64 = 20;

/// `/operators` (admin).
#[component]
pub fn Operators() -> impl IntoView {
    let session = use_session();
    let page = RwSignal::new(1_i64);
    let list = LocalResource::new(move || api::operators(session, page.get(), PER_PAGE));
    let municipalities = LocalResource::new(api::municipalities);
    let names = Signal::derive(move || match municipalities.get() {
        Some(Ok(all)) => all.into_iter().map(|m| (m.id.to_string(), m.name)).collect::<Vec<_>>(),
        _ => Vec::new(),
    });
    // The operators as the list shows them, changed in place after an assignment.
    let shown = RwSignal::new(None::<Result<Page<StaffAccount>, String>>);
    Effect::new(move || {
        if let Some(result) = list.get() {
            shown.set(Some(result.map_err(|problem| problem.detail)));
        }
    });
    let body = move || match shown.get() {
        None => view! { <p class="loading">"Загрузка…"</p> }.into_any(),
        Some(Err(detail)) => view! { <p class="form-error" role="alert">{detail}</p> }.into_any(),
        Some(Ok(found)) if found.items.is_empty() => {
            view! { <p class="empty-state">"Операторов пока нет."</p> }.into_any()
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
                .map(|operator| {
                    let municipality =
                        move || municipality_of(operator.municipality_id).unwrap_or_else(|| "не назначен".into());
                    view! {
                        <tr data-operator-id=operator.id>
                            <td class="operator-name">{operator.full_name}</td>
                            <td class="operator-email">{operator.email}</td>
                            <td class="operator-municipality">{municipality}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <div class="table-scroll">
                    <table class="operators">
                        <thead>
                            <tr>
                                <th scope="col">"Оператор"</th>
                                <th scope="col">"Почта"</th>
                                <th scope="col">"Муниципалитет"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <Pager page=page current=found.page total=found.total per_page=found.per_page />
            }
            .into_any()
        }
    };
    view! {
        <div class="page">
            <h1>"Операторы муниципалитетов"</h1>
            <section class="card">
                <p class="muted">
                    "Оператор видит реестр, заявления и организации только своего муниципалитета. \
                     Муниципалитет назначает администратор; каждое назначение попадает в журнал действий."
                </p>
                {body}
            </section>
            <section class="card">
                <h2>"Назначить муниципалитет"</h2>
                <AssignForm shown=shown municipalities=names />
            </section>
        </div>
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
fn AssignForm(
    shown: RwSignal<Option<Result<Page<StaffAccount>, String>>>,
    municipalities: Signal<Vec<(String, String)>>,
) -> impl IntoView {
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
            shown.update(|found| {
                if let Some(Ok(found)) = found
                    && let Some(row) = found.items.iter_mut().find(|o| o.id == account.id)
                {
                    row.municipality_id = account.municipality_id;
                }
            });
            for field in [operator, municipality, reason] {
                field.set(String::new());
            }
            status.done(format!("{} теперь оператор муниципалитета «{name}».", account.full_name));
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
