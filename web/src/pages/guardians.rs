//! «Представители ребёнка»: the parent holding the child invites a second
//! guardian by email and may end the access; the guardian sees the same
//! page and may leave; both read who did what. The emailed link opens
//! [`AcceptGuardian`].

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use navigator_shared::guardians::{Guardian, GuardianInvite, GuardianStatus, Guardians, Relationship};

use crate::api::{self, guardians, use_session};
use crate::components::{EmailField, FormError, FormStatus, Pager, SelectField, SubmitButton, Turn};
use crate::dates;

/// `/children/:id/guardians`.
#[component]
pub fn ChildGuardians() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id")).and_then(|id| id.parse::<i64>().ok()).unwrap_or_default();
    let child = LocalResource::new(move || api::child(session, id));
    let state: RwSignal<Option<Guardians>> = RwSignal::new(None);
    let failed = RwSignal::new(None::<String>);
    // Each change reloads the list and the record of who did what.
    let version = RwSignal::new(0_u32);
    Effect::new(move |_| {
        version.track();
        leptos::task::spawn_local(async move {
            match guardians::list(session, id).await {
                Ok(now) => state.set(Some(now)),
                Err(problem) => failed.set(Some(problem.detail)),
            }
        });
    });
    let reload = Callback::new(move |()| version.update(|v| *v += 1));
    let you_hold = Memo::new(move |_| state.with(|s| s.as_ref().map(|s| s.you_hold)));
    let title = move || match child.get() {
        Some(Ok(child)) => format!("Представители: {} {}", child.first_name, child.last_name),
        _ => "Представители ребёнка".to_owned(),
    };
    let list = move || {
        if let Some(detail) = failed.get() {
            return view! { <p class="form-error" role="alert">{detail}</p> }.into_any();
        }
        match state.get() {
            None => view! { <p class="loading">"Загрузка…"</p> }.into_any(),
            Some(now) => view! { <GuardianList now=now reload=reload /> }.into_any(),
        }
    };
    // Drawn once the caller's part is known, and kept while the list changes.
    let invite = move || match you_hold.get() {
        Some(true) => view! { <section class="card"><InviteForm child=id reload=reload /></section> }.into_any(),
        Some(false) => view! {
            <p class="info-note guardian-rights">
                "Вы видите сертификат, заявки и договоры ребёнка, можете записывать его и подписывать договоры. "
                "Данные ребёнка меняет и приглашает представителей родитель, в учётной записи которого ребёнок."
            </p>
        }
        .into_any(),
        None => ().into_any(),
    };
    view! {
        <div class="page">
            <p><a href="/children">"← Дети"</a></p>
            <h1>{title}</h1>
            {list}
            {invite}
            <Activity child=id version=version />
        </div>
    }
}

/// The holder, the guardians and the open invitations.
#[component]
fn GuardianList(now: Guardians, reload: Callback<()>) -> impl IntoView {
    let you_hold = now.you_hold;
    let rows = now
        .guardians
        .into_iter()
        .map(|guardian| view! { <GuardianRow guardian=guardian reload=reload /> })
        .collect_view();
    view! {
        <section class="card guardians">
            <h2>"Кто представляет ребёнка"</h2>
            <ul class="guardian-list">
                <li class="guardian guardian-holder">
                    <strong>{now.holder_name}</strong>
                    " — родитель, в учётной записи которого ребёнок"
                    {you_hold.then_some(" (вы)")}
                </li>
                {rows}
            </ul>
        </section>
    }
}

fn status_line(guardian: &Guardian) -> String {
    match guardian.status {
        GuardianStatus::Invited => format!("приглашение действует до {}", dates::day(guardian.expires_at)),
        GuardianStatus::Active => match guardian.accepted_at {
            Some(at) => format!("имеет доступ с {}", dates::day(at)),
            None => "имеет доступ".to_owned(),
        },
        status => status.title().to_owned(),
    }
}

#[component]
fn GuardianRow(guardian: Guardian, reload: Callback<()>) -> impl IntoView {
    let session = use_session();
    let status = FormStatus::new();
    let id = guardian.id;
    let end = status.action(move |()| guardians::end(session, id), move |()| reload.run(()));
    let pending = end.pending();
    let label = match guardian.status {
        GuardianStatus::Active => "Прекратить доступ",
        _ => "Отменить приглашение",
    };
    let who = guardian.name.clone().unwrap_or_else(|| guardian.email.clone());
    view! {
        <li class="guardian" data-guardian-id=id.to_string()>
            <strong>{who}</strong>
            {format!(" — {}, {}", guardian.relationship.title(), status_line(&guardian))}
            {guardian.name.is_some().then(|| view! { <span class="guardian-email">{format!(" ({})", guardian.email)}</span> })}
            <FormError status=status />
            {guardian.can_end.then(|| view! {
                <button
                    type="button"
                    class="button button-secondary end-guardian"
                    disabled=move || pending.get()
                    on:click=move |_| {
                        status.clear();
                        end.dispatch_local(());
                    }
                >
                    {label}
                </button>
            })}
        </li>
    }
}

#[component]
fn InviteForm(child: i64, reload: Callback<()>) -> impl IntoView {
    let session = use_session();
    let email = RwSignal::new(String::new());
    let relationship = RwSignal::new(String::new());
    let status = FormStatus::new();
    let invite = status.action(
        move |input: GuardianInvite| async move { guardians::invite(session, child, &input).await },
        move |sent: Guardian| {
            email.set(String::new());
            relationship.set(String::new());
            status.done(format!("Приглашение отправлено на {}. Оно действует 14 дней.", sent.email));
            reload.run(());
        },
    );
    let options = Signal::derive(|| {
        Relationship::ALL.iter().map(|r| (r.as_str().to_owned(), r.title().to_owned())).collect::<Vec<_>>()
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = GuardianInvite {
            email: email.get_untracked(),
            relationship: Relationship::parse(&relationship.get_untracked()),
        };
        status.submit(invite, input, GuardianInvite::validate);
    };
    view! {
        <form class="form invite-guardian" novalidate=true on:submit=on_submit>
            <h3>"Пригласить второго родителя или опекуна"</h3>
            <p class="hint">
                "Приглашённый получит письмо со ссылкой. Приняв приглашение в своей учётной записи с этим адресом, он "
                "увидит сертификат, заявки и договоры ребёнка, сможет записывать его и подписывать договоры. "
                "Об изменениях будут узнавать оба."
            </p>
            <FormError status=status />
            <EmailField value=email errors=status.errors autocomplete="off" />
            <SelectField
                name="relationship"
                label="Кем приходится ребёнку"
                value=relationship
                errors=status.errors
                options=options
                placeholder="Выберите"
                required=true
            />
            <SubmitButton pending=invite.pending() label="Пригласить" />
        </form>
    }
}

/// What the parent and the guardians did for the child, newest first.
#[component]
fn Activity(child: i64, version: RwSignal<u32>) -> impl IntoView {
    let session = use_session();
    let page = RwSignal::new(1_i64);
    let list = LocalResource::new(move || {
        version.track();
        guardians::activity(session, child, page.get())
    });
    let body = move || match list.get() {
        None => view! { <p class="loading">"Загрузка…"</p> }.into_any(),
        Some(Err(problem)) => view! { <p class="form-error" role="alert">{problem.detail}</p> }.into_any(),
        Some(Ok(found)) if found.items.is_empty() => view! { <p>"Пока ничего не сделано."</p> }.into_any(),
        Some(Ok(found)) => view! {
            <ul class="family-activity">
                {found
                    .items
                    .into_iter()
                    .map(|action| view! {
                        <li>
                            <span class="activity-date">{dates::day(action.at)}</span>
                            " "
                            <span class="activity-who">{action.who}</span>
                            ": "
                            <span class="activity-what">{action.what}</span>
                        </li>
                    })
                    .collect_view()}
            </ul>
            <Pager current=found.page total=found.total per_page=found.per_page turn=Turn::Signal(page) />
        }
        .into_any(),
    };
    view! {
        <section class="card">
            <h2>"Кто что сделал"</h2>
            {body}
        </section>
    }
}

/// The invitations waiting for the signed-in parent's address, each with
/// «Принять»; nothing when there are none.
#[component]
pub fn WaitingInvitations() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let waiting = LocalResource::new(move || guardians::waiting(session));
    let status = FormStatus::new();
    let accept = status.action(
        move |id: i64| guardians::accept_waiting(session, id),
        move |child: navigator_shared::children::Child| {
            navigate(&format!("/children/{}/guardians", child.id), NavigateOptions::default());
        },
    );
    let pending = accept.pending();
    move || {
        let invitations = waiting.get().and_then(Result::ok).unwrap_or_default();
        if invitations.is_empty() {
            return ().into_any();
        }
        view! {
            <section class="card waiting-invitations" aria-label="Приглашения">
                <h2>"Вас пригласили представлять ребёнка"</h2>
                <FormError status=status />
                <ul>
                    {invitations
                        .into_iter()
                        .map(|invitation| {
                            let id = invitation.id;
                            view! {
                                <li class="waiting-invitation">
                                    {format!(
                                        "{} приглашает вас ({}): {}. Приглашение действует до {}.",
                                        invitation.invited_by,
                                        invitation.relationship.title(),
                                        invitation.child_first_name,
                                        dates::day(invitation.expires_at),
                                    )}
                                    " "
                                    <button
                                        type="button"
                                        class="button accept-waiting"
                                        disabled=move || pending.get()
                                        on:click=move |_| {
                                            status.clear();
                                            accept.dispatch_local(id);
                                        }
                                    >
                                        "Принять"
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
        .into_any()
    }
}

/// `/guardians/accept?token=…`: the emailed invitation. A signed-in parent
/// with the invited address accepts; anybody else is told to sign in with
/// it (and comes back here) or to register with it.
#[component]
pub fn AcceptGuardian() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let token = use_query_map().with_untracked(|query| query.get("token")).unwrap_or_default();
    let preview = LocalResource::new({
        let token = token.clone();
        move || guardians::preview(token.clone())
    });
    let status = FormStatus::new();
    let accept = status.action(
        {
            let token = token.clone();
            move |()| guardians::accept(session, token.clone())
        },
        move |child: navigator_shared::children::Child| {
            navigate(&format!("/children/{}/guardians", child.id), NavigateOptions::default());
        },
    );
    let pending = accept.pending();
    let here = format!("/guardians/accept?token={token}");
    let body = move || match preview.get() {
        None => view! { <p class="loading">"Загрузка…"</p> }.into_any(),
        Some(Err(problem)) => view! { <p class="form-error" role="alert">{problem.detail}</p> }.into_any(),
        Some(Ok(invitation)) => {
            let offer = format!(
                "{} приглашает вас представлять ребёнка ({}): {}.",
                invitation.invited_by,
                invitation.relationship.title(),
                invitation.child_first_name
            );
            let open = invitation.status == GuardianStatus::Invited;
            let closed = (!open).then(|| format!("Приглашение недоступно: {}.", invitation.status.title()));
            let signed_in = session.signed_in();
            let login = format!("/login?next={}", urlencoding(&here));
            view! {
                <p class="guardian-offer">{offer}</p>
                <p class="hint">
                    "Вы увидите сертификат, заявки и договоры ребёнка, сможете записывать его на программы и "
                    "подписывать договоры. Приглашение отправлено на "
                    {invitation.email.clone()}
                    ": принять его можно только в учётной записи с этим адресом."
                </p>
                {closed.map(|note| view! { <p class="form-error" role="alert">{note}</p> })}
                <FormError status=status />
                {(open && signed_in).then(|| view! {
                    <button
                        type="button"
                        class="button accept-guardian"
                        disabled=move || pending.get()
                        on:click=move |_| {
                            status.clear();
                            accept.dispatch_local(());
                        }
                    >
                        {move || if pending.get() { "Принимаем…" } else { "Принять приглашение" }}
                    </button>
                })}
                {(open && !signed_in).then(|| view! {
                    <p class="form-links">
                        <a class="button" href=login.clone()>"Войти и принять"</a>
                        <a href="/register">"Зарегистрироваться"</a>
                    </p>
                    <p class="hint">"После регистрации и подтверждения адреса откройте ссылку из письма ещё раз."</p>
                })}
            }
            .into_any()
        }
    };
    view! {
        <section class="card narrow">
            <h1>"Приглашение представителя ребёнка"</h1>
            {body}
        </section>
    }
}

/// A path for a query parameter.
fn urlencoding(path: &str) -> String {
    js_sys::encode_uri_component(path).into()
}
