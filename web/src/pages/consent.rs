//! «Отозвать согласие»: the family withdraws its consent to the processing
//! of a child's personal data, or of the whole account's (152-ФЗ, ст. 9).

use std::future::Future;

use leptos::prelude::*;
use navigator_shared::Problem;
use navigator_shared::consent::ConsentWithdrawal;

use crate::components::{FormError, FormStatus};
use crate::dates;

/// What the family reads once the consent is withdrawn.
fn withdrawn_notice(withdrawal: &ConsentWithdrawal) -> String {
    format!(
        "Согласие на обработку персональных данных отозвано {}. Обработка прекращена; данные будут обезличены \
         после {}.",
        dates::russian(withdrawal.withdrawn_at.date_naive()),
        dates::russian(withdrawal.depersonalize_after.date_naive()),
    )
}

/// A disclosure that says what follows and holds the button, so the
/// withdrawal takes two deliberate steps; once withdrawn, the notice of when
/// the data go. `send` withdraws and answers the new state.
#[component]
pub fn WithdrawConsent<F, Fut>(
    /// «данных ребёнка», «всей учётной записи».
    what: &'static str,
    /// What happens, in the family's words.
    consequences: &'static str,
    withdrawn: RwSignal<Option<ConsentWithdrawal>>,
    send: F,
) -> impl IntoView
where
    F: Fn() -> Fut + Copy + 'static,
    Fut: Future<Output = Result<Option<ConsentWithdrawal>, Problem>> + 'static,
{
    let status = FormStatus::new();
    let withdraw = status.action(move |()| send(), move |now: Option<ConsentWithdrawal>| withdrawn.set(now));
    let pending = withdraw.pending();
    let on_withdraw = move |_| {
        status.clear();
        withdraw.dispatch_local(());
    };
    move || {
        match withdrawn.get() {
        Some(withdrawal) => view! { <p class="consent-withdrawn" role="status">{withdrawn_notice(&withdrawal)}</p> }.into_any(),
        None => view! {
            <details class="consent-withdrawal">
                <summary>{format!("Отозвать согласие на обработку {what}")}</summary>
                <p>{consequences}</p>
                <p>
                    "Не позднее чем через 30 дней данные будут обезличены: останутся только сведения, которых "
                    "требует бухгалтерский учёт, без имени. До этого можно скачать свои данные в «Личном кабинете»."
                </p>
                <FormError status=status />
                <button type="button" class="button button-danger withdraw-consent" disabled=move || pending.get() on:click=on_withdraw>
                    {move || if pending.get() { "Отправляем…" } else { "Отозвать согласие" }}
                </button>
            </details>
        }
        .into_any(),
    }
    }
}
