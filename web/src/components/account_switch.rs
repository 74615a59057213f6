//! Switching a staff account off or on again: the state shown in a list, the
//! button of each row and the one form that asks for the reason (audited).

use leptos::context::Provider;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use navigator_shared::accounts::{AccountSwitch, StaffAccount};

use super::{Field, FieldScope, FormError, FormStatus, SubmitButton};
use crate::api::{catalog, use_session};

/// The account the form is open for: its id, its name, and whether it is to
/// be switched off (`true`) or on again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwitchTarget {
    pub id: i64,
    pub name: String,
    pub disable: bool,
}

/// «Действует» / «Отключена» and the button that opens the form for this account.
#[component]
pub fn AccountState(id: i64, name: String, disabled: bool, target: RwSignal<Option<SwitchTarget>>) -> impl IntoView {
    let (class, state) =
        if disabled { ("account-state off", "Отключена") } else { ("account-state on", "Действует") };
    let open = move |_| target.set(Some(SwitchTarget { id, name: name.clone(), disable: !disabled }));
    view! {
        <span class=class>{state}</span>
        " "
        <button type="button" class="button button-small button-secondary switch-account" on:click=open>
            {if disabled { "Включить" } else { "Отключить" }}
        </button>
    }
}

/// `<form id="switch-form">` for the account in `target`; `done` gets the
/// account as it is afterwards.
#[component]
pub fn AccountSwitchForm(target: RwSignal<Option<SwitchTarget>>, done: Callback<StaffAccount>) -> impl IntoView {
    let session = use_session();
    let reason = RwSignal::new(String::new());
    let status = FormStatus::new();
    let switch = status.action(
        move |(id, disable, request): (i64, bool, AccountSwitch)| async move {
            catalog::switch_staff(session, id, !disable, &request).await
        },
        move |account: StaffAccount| {
            let text = if account.disabled {
                format!("Учётная запись {} отключена: войти в неё нельзя, её сеансы завершены.", account.full_name)
            } else {
                format!("Учётная запись {} снова действует.", account.full_name)
            };
            done.run(account);
            reason.set(String::new());
            target.set(None);
            status.done(text);
        },
    );
    // A stale outcome does not stay under another person's name.
    Effect::new(move || {
        if target.with(Option::is_some) {
            status.clear();
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(SwitchTarget { id, disable, .. }) = target.get_untracked() else { return };
        let request = AccountSwitch { reason: reason.get_untracked() };
        status.submit(switch, (id, disable, request), |(_, _, request)| request.validate());
    };
    view! {
        <FormError status=status />
        {move || {
            target
                .get()
                .map(|SwitchTarget { name, disable, .. }| {
                    let title = if disable {
                        format!("Отключить учётную запись: {name}")
                    } else {
                        format!("Включить учётную запись: {name}")
                    };
                    view! {
                        <Provider value=FieldScope("switch-")>
                            <form id="switch-form" class="form switch-form" novalidate=true on:submit=on_submit>
                                <h3>{title}</h3>
                                {disable
                                    .then(|| {
                                        view! {
                                            <p class="hint">
                                                "Сотрудник не сможет войти; открытые сеансы завершатся сразу. \
                                                 Всё, что он сделал, сохранится."
                                            </p>
                                        }
                                    })}
                                <Field
                                    name="reason"
                                    label="Основание"
                                    value=reason
                                    errors=status.errors
                                    hint="Например, приказ № 12 от 04.12.2026. Попадает в журнал действий."
                                    required=true
                                />
                                <div class="actions">
                                    <SubmitButton
                                        pending=switch.pending()
                                        label=if disable { "Отключить" } else { "Включить" }
                                        busy="Сохраняем…"
                                    />
                                    <button
                                        type="button"
                                        class="button button-secondary"
                                        on:click=move |_| target.set(None)
                                    >
                                        "Отмена"
                                    </button>
                                </div>
                            </form>
                        </Provider>
                    }
                })
        }}
    }
}
