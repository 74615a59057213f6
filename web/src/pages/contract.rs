//! `/contracts/{id}`: the contract for a module paid by certificate, as the
//! organization offered it. The family reads it whole before signing (a
//! public offer is accepted, not skimmed in a dialog); later both the family
//! and the organization read the signed text here and download it as PDF.

use leptos::prelude::*;
use navigator_shared::accounts::Role;
use navigator_shared::applications::ContractStatus;
use navigator_shared::contract::ContractDocument;

use super::applications::ContractSummary;
use super::cabinet::widgets::{record_page, rubles};
use super::desk::PrintLink;
use crate::api::{enrolment, use_session};
use crate::components::{FormError, FormStatus};

#[component]
pub fn ContractPage() -> impl IntoView {
    let session = use_session();
    let back = match session.user().map(|u| u.role) {
        Some(Role::OrgStaff) => ("/cabinet/applications", "← К заявкам организации"),
        _ => ("/applications", "← К моим заявкам"),
    };
    record_page(back, "Договор не найден", enrolment::contract_document, |document| {
        view! { <ContractView document=RwSignal::new(document) /> }.into_any()
    })
}

#[component]
fn ContractView(document: RwSignal<ContractDocument>) -> impl IntoView {
    let session = use_session();
    let family = session.user().is_some_and(|u| matches!(u.role, Role::Parent | Role::Learner));
    let id = document.with_untracked(|d| d.contract.id);
    let title = document.with_untracked(|d| d.text.terms.title());
    let clauses = document.with_untracked(|d| d.text.clauses.clone());
    let version = document.with_untracked(|d| d.text.version.clone());
    let read = RwSignal::new(false);
    let form = FormStatus::new();
    let accept = form.action(
        move |()| async move {
            enrolment::accept_contract(session, id).await?;
            enrolment::contract_document(session, id).await
        },
        move |updated: ContractDocument| {
            document.set(updated);
            form.done("Договор подписан: стоимость зарезервирована на сертификате, ребёнок зачислен.");
        },
    );
    let on_sign = move |_| {
        form.clear();
        if !read.get_untracked() {
            let mut errors = navigator_shared::FieldErrors::new();
            errors.add("read_terms", "Отметьте, что вы прочитали договор и принимаете его условия");
            form.invalid(errors);
            return;
        }
        accept.dispatch_local(());
    };
    let offered = move || document.with(|d| d.contract.status == ContractStatus::Offered);
    let read_error = move || form.errors.with(|e| e.first("read_terms").map(str::to_owned));
    let signing = move || {
        (family && offered()).then(|| {
            let price = document.with_untracked(|d| rubles(d.contract.price));
            view! {
                <section class="card sign-contract">
                    <h2>"Подписание"</h2>
                    <label class="checkbox">
                        <input
                            type="checkbox"
                            id="read_terms"
                            name="read_terms"
                            aria-invalid=move || read_error().map(|_| "true")
                            aria-describedby=move || read_error().map(|_| "read_terms-error")
                            prop:checked=move || read.get()
                            on:change=move |ev| read.set(event_target_checked(&ev))
                        />
                        <span>"Я прочитал(а) договор и принимаю его условия"</span>
                    </label>
                    {move || {
                        read_error()
                            .map(|message| {
                                view! {
                                    <p class="field-error" data-error-for="read_terms" id="read_terms-error">
                                        {message}
                                    </p>
                                }
                            })
                    }}
                    <p class="hint">{format!("При подписании {price} будут зарезервированы на сертификате.")}</p>
                    <div class="actions">
                        <button
                            type="button"
                            class="button accept-contract"
                            disabled=move || accept.pending().get()
                            on:click=on_sign
                        >
                            {move || if accept.pending().get() { "Подписываем…" } else { "Подписать договор" }}
                        </button>
                    </div>
                </section>
            }
        })
    };
    view! {
        <h1 class="contract-heading">{title}</h1>
        <FormError status=form />
        {move || view! { <ContractSummary contract=document.with(|d| d.contract.clone()) link=false /> }}
        <section class="card contract-text">
            <h2>"Текст договора"</h2>
            <ol class="contract-clauses">
                {clauses.into_iter().map(|clause| view! { <li>{clause}</li> }).collect_view()}
            </ol>
            <p class="hint">{format!("Редакция текста от {version}. Текст сохранён при предложении договора и не меняется.")}</p>
            <div class="actions">
                <PrintLink
                    path=format!("/contracts/{id}/document.pdf")
                    class="contract"
                    title="Скачать договор (PDF)"
                    file=navigator_shared::documents::contract_file_name(id)
                />
            </div>
        </section>
        {signing}
    }
}
