//! «Вход с кодом» in the profile of staff, operators and admins: connecting
//! an authenticator app (the secret to type or the `otpauth://` link), the
//! first code that turns it on, and turning it off.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use navigator_shared::accounts::{SecondFactorCode, SecondFactorEnrolment};

use crate::api::{self, use_session};
use crate::components::{CodeField, FormError, FormStatus, SubmitButton};

/// The secret in groups of four, as people copy it by eye.
fn grouped(secret: &str) -> String {
    secret.as_bytes().chunks(4).map(|chunk| String::from_utf8_lossy(chunk).into_owned()).collect::<Vec<_>>().join(" ")
}

/// The section. `on`: the second factor is on; `required`: the account must
/// turn it on before anything else (an admin in production).
#[component]
pub fn SecondFactor(on: bool, required: bool) -> impl IntoView {
    let on = RwSignal::new(on);
    let required = RwSignal::new(required);
    let enrolment = RwSignal::new(None::<SecondFactorEnrolment>);
    let status = FormStatus::new();
    view! {
        <section class="card" id="second-factor" aria-labelledby="second-factor-title">
            <h2 id="second-factor-title">"Вход с кодом"</h2>
            <Show when=move || required.get()>
                <p class="form-error" role="alert">
                    "Администратор входит в Навигатор только с кодом из приложения-аутентификатора. "
                    "Включите вход с кодом: до этого остальные разделы недоступны."
                </p>
            </Show>
            <p>
                "После пароля Навигатор спросит шестизначный код из приложения-аутентификатора на вашем телефоне "
                "(например, Яндекс Ключ, Google Authenticator или FreeOTP). Даже узнав пароль, без телефона "
                "войти не получится."
            </p>
            {move || {
                if on.get() {
                    view! { <TurnOff on=on status=status /> }.into_any()
                } else {
                    match enrolment.get() {
                        None => view! { <Start enrolment=enrolment status=status /> }.into_any(),
                        Some(started) => {
                            view! { <Confirm started=started on=on required=required enrolment=enrolment status=status /> }
                                .into_any()
                        }
                    }
                }
            }}
        </section>
    }
}

/// «Подключить приложение»: asks the server for a new secret.
#[component]
fn Start(enrolment: RwSignal<Option<SecondFactorEnrolment>>, status: FormStatus) -> impl IntoView {
    let session = use_session();
    let start = status.action(
        move |()| async move { api::second_factor::start_enrolment(session).await },
        move |started: SecondFactorEnrolment| enrolment.set(Some(started)),
    );
    let pending = start.pending();
    view! {
        <FormError status=status />
        <button
            type="button"
            class="button"
            id="second-factor-start"
            disabled=move || pending.get()
            on:click=move |_| {
                status.clear();
                start.dispatch_local(());
            }
        >
            "Подключить приложение"
        </button>
    }
}

/// The secret and the link for the app, and the first code.
#[component]
fn Confirm(
    started: SecondFactorEnrolment,
    on: RwSignal<bool>,
    required: RwSignal<bool>,
    enrolment: RwSignal<Option<SecondFactorEnrolment>>,
    status: FormStatus,
) -> impl IntoView {
    let session = use_session();
    let code = RwSignal::new(String::new());
    let copied = RwSignal::new(false);
    let confirm = status.action(
        move |request: SecondFactorCode| async move { api::second_factor::confirm(session, &request).await },
        move |()| {
            enrolment.set(None);
            required.set(false);
            on.set(true);
            status.done("Вход с кодом включён. При следующем входе Навигатор спросит код из приложения.");
        },
    );
    let secret = started.secret.clone();
    let copy = move |_| {
        let clipboard = window().navigator().clipboard();
        // The secret is on the page anyway: a refused copy leaves it there to select.
        let _ = clipboard.write_text(&secret);
        copied.set(true);
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        status.submit(confirm, SecondFactorCode { code: code.get_untracked() }, SecondFactorCode::validate);
    };
    let pending = confirm.pending();
    view! {
        <div class="client-secret">
            <ol>
                <li>"Установите на телефон приложение-аутентификатор."</li>
                <li>
                    "Добавьте в нём учётную запись: откройте ссылку на телефоне "
                    <a href=started.uri.clone() id="second-factor-link">"otpauth://…"</a>
                    " или введите ключ вручную:"
                    <p>
                        <code class="secret-value" id="second-factor-secret">{grouped(&started.secret)}</code>
                        " "
                        <button type="button" class="button button-secondary" on:click=copy>
                            {move || if copied.get() { "Скопировано" } else { "Копировать ключ" }}
                        </button>
                    </p>
                    <p class="hint">"Тип — по времени, 6 цифр, 30 секунд. Никому не сообщайте ключ."</p>
                </li>
                <li>"Введите код, который показывает приложение."</li>
            </ol>
        </div>
        <form id="second-factor-form" class="form" novalidate=true on:submit=on_submit>
            <FormError status=status />
            <CodeField value=code errors=status.errors />
            <SubmitButton pending=pending label="Включить вход с кодом" busy="Проверяем…" />
        </form>
    }
}

/// The second factor is on: turning it off takes a current code.
#[component]
fn TurnOff(on: RwSignal<bool>, status: FormStatus) -> impl IntoView {
    let session = use_session();
    let code = RwSignal::new(String::new());
    let disable = status.action(
        move |request: SecondFactorCode| async move { api::second_factor::disable(session, &request).await },
        move |()| {
            on.set(false);
            status.done("Вход с кодом отключён: для входа снова достаточно пароля.");
        },
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        status.submit(disable, SecondFactorCode { code: code.get_untracked() }, SecondFactorCode::validate);
    };
    let pending = disable.pending();
    view! {
        <p id="second-factor-on">
            <strong>"Вход с кодом включён."</strong>
            " Чтобы отключить его, введите текущий код из приложения."
        </p>
        <form id="second-factor-off-form" class="form" novalidate=true on:submit=on_submit>
            <FormError status=status />
            <CodeField value=code errors=status.errors />
            <SubmitButton pending=pending label="Отключить вход с кодом" busy="Проверяем…" />
        </form>
    }
}
