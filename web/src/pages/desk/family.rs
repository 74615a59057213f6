//! A family that came in person: its account, its child and the certificate
//! request, made at the desk.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use navigator_shared::accounts::{AccountCreated, InviteRequest};
use navigator_shared::children::{Certificate, Child, ChildInput};

use crate::api::{self, use_session};
use crate::app::use_region;
use crate::components::{EmailField, Field, FormError, FormStatus, MunicipalitySelect, NameFields, SubmitButton};
use crate::pages::child_form::{ChildFields, ChildInputs, check_child};

/// `/desk/new-family`: the parent's account, the child, the registry record.
#[component]
pub fn NewFamily() -> impl IntoView {
    let parent = RwSignal::new(None::<AccountCreated>);
    let child = RwSignal::new(None::<Child>);
    view! {
        <div class="page">
            <p class="back-link">
                <a href="/desk">"← К поиску"</a>
            </p>
            <h1>"Зарегистрировать родителя"</h1>
            {move || match (parent.get(), child.get()) {
                (None, _) => view! { <ParentForm parent=parent /> }.into_any(),
                (Some(account), None) => view! { <FamilyChildForm account=account child=child /> }.into_any(),
                (Some(_), Some(added)) => view! { <NewCertificate child=added /> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn ParentForm(parent: RwSignal<Option<AccountCreated>>) -> impl IntoView {
    let session = use_session();
    let email = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let last_name = RwSignal::new(String::new());
    let first_name = RwSignal::new(String::new());
    let middle_name = RwSignal::new(String::new());
    let municipality = RwSignal::new(String::new());
    let status = FormStatus::new();
    let invite = status.action(
        move |request: InviteRequest| async move { api::register_parent(session, &request).await },
        move |account: AccountCreated| parent.set(Some(account)),
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let request = InviteRequest {
            email: email.get_untracked(),
            phone: phone.get_untracked(),
            last_name: last_name.get_untracked(),
            first_name: first_name.get_untracked(),
            middle_name: middle_name.get_untracked(),
            municipality_id: municipality.with_untracked(|id| id.parse().unwrap_or(0)),
            organization_id: None,
        };
        status.submit(invite, request, InviteRequest::validate);
    };
    view! {
        <section class="card">
            <h2>"Родитель (законный представитель)"</h2>
            <form id="parent-form" class="form" novalidate=true on:submit=on_submit>
                <FormError status=status />
                <NameFields
                    last_name=last_name
                    first_name=first_name
                    middle_name=middle_name
                    errors=status.errors
                    other_person=true
                />
                <EmailField value=email errors=status.errors autocomplete="off" hint="Сюда придёт письмо для входа" />
                <Field name="phone" label="Телефон" value=phone errors=status.errors kind="tel" autocomplete="off" required=true />
                <MunicipalitySelect value=municipality errors=status.errors />
                <SubmitButton pending=invite.pending() label="Зарегистрировать" />
            </form>
        </section>
    }
}

#[component]
fn FamilyChildForm(account: AccountCreated, child: RwSignal<Option<Child>>) -> impl IntoView {
    let session = use_session();
    let region = use_region();
    let fields = ChildFields::new();
    let status = FormStatus::new();
    let parent_id = account.id;
    let add = status.action(
        move |input: ChildInput| async move { api::add_family_child(session, parent_id, &input).await },
        move |added: Child| child.set(Some(added)),
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        status.clear();
        let Some(input) = fields.read(status) else { return };
        status.submit(add, input, |input| check_child(input, region));
    };
    view! {
        <section class="card">
            <p class="notice-inline">{format!("Учётная запись {} создана. Теперь — данные ребёнка.", account.email)}</p>
            <form id="family-child-form" class="form" novalidate=true on:submit=on_submit>
                <FormError status=status />
                <ChildInputs fields=fields errors=status.errors />
                <SubmitButton pending=add.pending() label="Добавить ребёнка" busy="Сохраняем…" />
            </form>
        </section>
    }
}

#[component]
fn NewCertificate(child: Child) -> impl IntoView {
    let session = use_session();
    let status = FormStatus::new();
    let certificate = RwSignal::new(None::<Certificate>);
    let child_id = child.id;
    let create = status.action(
        move |()| async move { api::create_certificate(session, child_id).await },
        move |created: Certificate| certificate.set(Some(created)),
    );
    let pending = create.pending();
    view! {
        <section class="card">
            <h2>{format!("{} {} {}", child.last_name, child.first_name, child.middle_name)}</h2>
            <FormError status=status />
            {move || match certificate.get() {
                Some(created) => view! {
                    <p class="certificate-title">
                        "Сертификат № " <span class="certificate-number">{created.number.clone()}</span>
                    </p>
                    <a id="open-record" class="button" href=format!("/desk/{}", created.number)>
                        "Открыть запись"
                    </a>
                }
                .into_any(),
                None => view! {
                    <button
                        type="button"
                        id="create-certificate"
                        class="button"
                        disabled=move || pending.get()
                        on:click=move |_| {
                            status.clear();
                            create.dispatch_local(());
                        }
                    >
                        "Создать запись в реестре"
                    </button>
                }
                .into_any(),
            }}
        </section>
    }
}
