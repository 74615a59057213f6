//! Signing in and out, email confirmation and password reset.

use navigator_shared::ErrorCode;
use std::future::Future;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use navigator_shared::Problem;
use navigator_shared::accounts::{EmailRequest, LoginRequest, Message, PasswordResetConfirm as ResetRequest};

use crate::api::{self, use_session};
use crate::components::{CodeField, EmailField, Field, FormError, FormStatus, Notice, SubmitButton};

/// The `token` parameter of an emailed link.
fn link_token() -> String {
    use_query_map().with_untracked(|query| query.get("token")).unwrap_or_default()
}

/// Whether a problem says the emailed link is spent or too old.
fn is_bad_link(problem: &Problem) -> bool {
    matches!(problem.error_code(), Some(ErrorCode::InvalidToken | ErrorCode::ExpiredToken))
}

/// The API's message that the step is done, and the way on: signing in.
#[component]
fn DoneSignIn(detail: String) -> impl IntoView {
    view! {
        <Notice>
            <p>{detail}</p>
        </Notice>
        <p>
            <a class="button" href="/login">
                "Войти"
            </a>
        </p>
    }
}

/// Where signing in leads: the page that sent the visitor here (`?next=`,
/// a path of this site only), or the profile.
fn after_sign_in() -> String {
    let next = leptos_router::hooks::use_query_map().with_untracked(|query| query.get("next"));
    next.filter(|path| path.starts_with('/') && !path.starts_with("//") && !path.contains('\\'))
        .unwrap_or_else(|| "/profile".to_owned())
}

#[component]
pub fn Login() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let status = FormStatus::new();
    let unconfirmed = RwSignal::new(false);
    // The account has «вход с кодом» on: the server asked for the app's code.
    let code = RwSignal::new(String::new());
    let ask_code = RwSignal::new(false);

    let target = after_sign_in();
    let submit = Action::new_local(move |request: &LoginRequest| {
        let request = request.clone();
        let navigate = navigate.clone();
        let target = target.clone();
        async move {
            match api::login(session, &request).await {
                Ok(()) => navigate(&target, NavigateOptions::default()),
                Err(mut problem) => {
                    unconfirmed.set(problem.is(ErrorCode::EmailNotConfirmed));
                    if problem.is(ErrorCode::SecondFactorRequired) || problem.is(ErrorCode::SecondFactorInvalid) {
                        // The message belongs to the code's field, where the focus goes.
                        ask_code.set(true);
                        code.set(String::new());
                        problem.errors.add("code", problem.detail.clone());
                        if problem.is(ErrorCode::SecondFactorRequired) {
                            problem.detail = "Для этой учётной записи включён вход с кодом.".to_owned();
                        }
                    }
                    status.failed(problem);
                }
            }
        }
    });
    let resend = status.action(
        |request: EmailRequest| async move { api::resend_confirmation(&request).await },
        move |message: Message| {
            unconfirmed.set(false);
            status.done(message.detail);
        },
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        unconfirmed.set(false);
        let request = LoginRequest {
            email: email.get_untracked(),
            password: password.get_untracked(),
            use_cookie: true,
            code: ask_code.get_untracked().then(|| code.get_untracked()),
        };
        status.submit(submit, request, |request| {
            let mut errors = request.validate().err().unwrap_or_default();
            if ask_code.get_untracked() && request.code.as_deref().is_none_or(|c| c.trim().is_empty()) {
                errors.add("code", "Введите код из приложения-аутентификатора");
            }
            errors.finish(|| Some(()))
        });
    };
    let on_resend = move |_| {
        status.submit(resend, EmailRequest { email: email.get_untracked() }, EmailRequest::validate);
    };
    let pending = submit.pending();
    let resend_pending = resend.pending();

    view! {
        <section class="card narrow">
            <h1>"Вход"</h1>
            <form class="form" novalidate=true on:submit=on_submit>
                <FormError status=status />
                <Show when=move || unconfirmed.get()>
                    <div class="inline-action">
                        <p>"Не нашли письмо? Мы можем отправить его ещё раз."</p>
                        <button
                            type="button"
                            class="button button-secondary"
                            disabled=move || resend_pending.get()
                            on:click=on_resend
                        >
                            "Отправить письмо ещё раз"
                        </button>
                    </div>
                </Show>
                <EmailField value=email errors=status.errors autocomplete="username" />
                <Field
                    name="password"
                    label="Пароль"
                    value=password
                    errors=status.errors
                    kind="password"
                    autocomplete="current-password"
                    required=true
                />
                <Show when=move || ask_code.get()>
                    <CodeField value=code errors=status.errors />
                </Show>
                <SubmitButton pending=pending label="Войти" />
                <p class="form-links">
                    <a href="/password-reset">"Не помню пароль"</a>
                    <a href="/register">"Регистрация"</a>
                </p>
            </form>
        </section>
    }
}

#[component]
pub fn Logout() -> impl IntoView {
    let session = use_session();
    let outcome = RwSignal::new(None::<Result<(), Problem>>);
    // Waits for the start-up restore, or it could bring the session back afterwards.
    Effect::new(move |started: Option<bool>| {
        if started == Some(true) {
            return true;
        }
        if !session.restored() {
            return false;
        }
        spawn_local(async move { outcome.set(Some(api::logout(session).await)) });
        true
    });
    view! {
        <section class="card narrow">
            <h1>"Выход"</h1>
            {move || match outcome.get() {
                None => view! { <p class="loading">"Выходим…"</p> }.into_any(),
                Some(result) => {
                    let warning = result.err().filter(|p| p.status == 0 || p.status >= 500).map(|p| {
                        view! { <p class="form-error">{p.detail}</p> }
                    });
                    view! {
                        <Notice>
                            <p>"Вы вышли из Навигатора."</p>
                        </Notice>
                        {warning}
                        <p>
                            <a class="button" href="/login">
                                "Войти снова"
                            </a>
                        </p>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
pub fn ConfirmEmail() -> impl IntoView {
    let token = link_token();
    let has_token = !token.trim().is_empty();
    let result = LocalResource::new(move || {
        let token = token.clone();
        async move { if has_token { Some(api::confirm_email(token).await) } else { None } }
    });
    let body = move || match result.get() {
        None => view! { <p class="loading">"Проверяем ссылку…"</p> }.into_any(),
        Some(Some(Ok(message))) => view! { <DoneSignIn detail=message.detail /> }.into_any(),
        Some(outcome) => {
            let problem = outcome.and_then(Result::err);
            let offer_resend = problem.as_ref().is_none_or(is_bad_link);
            let detail = problem
                .map(|p| p.detail)
                .unwrap_or_else(|| "Ссылка неполная: откройте её из письма целиком.".to_owned());
            view! {
                <p class="form-error" role="alert">
                    {detail}
                </p>
                {offer_resend.then(|| view! { <ResendConfirmation /> })}
                <p>
                    <a href="/login">"Перейти ко входу"</a>
                </p>
            }
            .into_any()
        }
    };
    view! {
        <section class="card narrow">
            <h1>"Подтверждение почты"</h1>
            {body}
        </section>
    }
}

/// The «address → letter» form: sends the address with `send` and puts the
/// API's message in the form's place.
#[component]
fn EmailForm<F, Fut>(
    send: F,
    /// What the form is for, above the field.
    intro: &'static str,
    button: &'static str,
    /// A second line of the message once the letter is sent.
    #[prop(optional)]
    next_step: Option<&'static str>,
) -> impl IntoView
where
    F: Fn(EmailRequest) -> Fut + 'static,
    Fut: Future<Output = Result<Message, Problem>> + 'static,
{
    let email = RwSignal::new(String::new());
    let status = FormStatus::new();
    let done = RwSignal::new(None::<String>);
    let send = status.action(send, move |message: Message| done.set(Some(message.detail)));
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        status.submit(send, EmailRequest { email: email.get_untracked() }, EmailRequest::validate);
    };
    let pending = send.pending();
    move || match done.get() {
        Some(detail) => view! {
            <Notice>
                <p>{detail}</p>
                {next_step.map(|text| view! { <p>{text}</p> })}
            </Notice>
        }
        .into_any(),
        None => view! {
            <form class="form" novalidate=true on:submit=on_submit>
                <p>{intro}</p>
                <FormError status=status />
                <EmailField value=email errors=status.errors />
                <SubmitButton pending=pending label=button />
            </form>
        }
        .into_any(),
    }
}

/// Asks for a new confirmation letter.
#[component]
fn ResendConfirmation() -> impl IntoView {
    view! {
        <EmailForm
            send=|request| async move { api::resend_confirmation(&request).await }
            intro="Укажите адрес, и мы пришлём новую ссылку."
            button="Отправить письмо ещё раз"
        />
    }
}

#[component]
pub fn PasswordReset() -> impl IntoView {
    view! {
        <section class="card narrow">
            <h1>"Восстановление пароля"</h1>
            <EmailForm
                send=|request| async move { api::request_password_reset(&request).await }
                intro="Укажите адрес, с которым вы регистрировались, — мы пришлём ссылку для смены пароля."
                button="Получить ссылку"
                next_step="Откройте ссылку из письма и задайте новый пароль."
            />
            <p class="form-links">
                <a href="/login">"Вернуться ко входу"</a>
            </p>
        </section>
    }
}

#[component]
pub fn PasswordResetConfirm() -> impl IntoView {
    let token = link_token();
    let password = RwSignal::new(String::new());
    let password_repeat = RwSignal::new(String::new());
    let status = FormStatus::new();
    let done = RwSignal::new(None::<String>);
    let bad_link = RwSignal::new(false);
    let send = Action::new_local(move |request: &ResetRequest| {
        let request = request.clone();
        async move {
            match api::confirm_password_reset(&request).await {
                Ok(message) => done.set(Some(message.detail)),
                Err(problem) => {
                    bad_link.set(is_bad_link(&problem));
                    status.failed(problem);
                }
            }
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let request = ResetRequest { token: token.clone(), password: password.get_untracked() };
        let repeat = password_repeat.get_untracked();
        status.submit(send, request, |request| {
            let mut errors = request.validate().err().unwrap_or_default();
            if repeat.is_empty() {
                errors.add("password_repeat", "Повторите пароль");
            } else if repeat != request.password {
                errors.add("password_repeat", "Пароли не совпадают");
            }
            errors.finish(|| Some(()))
        });
        // The token is not a field on the page: its message goes above the form.
        let token_message = status.errors.with_untracked(|e| e.first("token").map(str::to_owned));
        bad_link.set(token_message.is_some());
        if token_message.is_some() {
            status.error.set(token_message);
        }
    };
    let pending = send.pending();
    view! {
        <section class="card narrow">
            <h1>"Новый пароль"</h1>
            {move || match done.get() {
                Some(detail) => view! { <DoneSignIn detail=detail /> }.into_any(),
                None => view! {
                    <form class="form" novalidate=true on:submit=on_submit.clone()>
                        <FormError status=status />
                        <Show when=move || bad_link.get()>
                            <p class="inline-action">
                                <a href="/password-reset">"Запросить новую ссылку"</a>
                            </p>
                        </Show>
                        <Field
                            name="password"
                            label="Новый пароль"
                            value=password
                            errors=status.errors
                            kind="password"
                            autocomplete="new-password"
                            hint="Не короче 12 символов"
                            required=true
                        />
                        <Field
                            name="password_repeat"
                            label="Повторите пароль"
                            value=password_repeat
                            errors=status.errors
                            kind="password"
                            autocomplete="new-password"
                            required=true
                        />
                        <SubmitButton pending=pending label="Сохранить пароль" />
                    </form>
                }
                .into_any(),
            }}
        </section>
    }
}
