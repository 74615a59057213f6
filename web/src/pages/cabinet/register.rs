//! `/cabinet/register`: what the organization is owed for a month — the
//! charges by child and contract — with the CSV file for the operator.

use leptos::prelude::*;
use navigator_shared::applications::{MonthlyRegister, add_months, month_start, parse_month};

use super::inbox::CabinetNav;
use super::widgets::{MonthField, loading_view, problem_view, rubles};
use crate::api::{enrolment, use_session};
use crate::components::{FormError, FormStatus};

/// `2026-11`.
pub(crate) fn month_text(month: chrono::NaiveDate) -> String {
    month.format("%Y-%m").to_string()
}

/// `/cabinet/register`: last month by default (the one the operator pays out).
#[component]
pub fn MonthRegister() -> impl IntoView {
    let session = use_session();
    let last_month = add_months(month_start(chrono::Local::now().date_naive()), -1);
    let month = RwSignal::new(month_text(last_month));
    let register = LocalResource::new(move || {
        let month = month.get();
        async move {
            match parse_month(&month) {
                Some(_) => enrolment::register(session, &month).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let download = FormStatus::new();
    let csv = download.action(
        move |month: String| async move { enrolment::register_csv(session, &month).await.map(|blob| (month, blob)) },
        move |(month, blob): (String, web_sys::Blob)| save(&blob, &format!("reestr-{month}.csv")),
    );
    let pending = csv.pending();
    let body = move || match register.get() {
        None => loading_view(),
        Some(Err(problem)) => problem_view(problem),
        Some(Ok(None)) => view! { <p class="form-error" role="alert">"Выберите месяц."</p> }.into_any(),
        Some(Ok(Some(register))) => view! { <RegisterTable register=register /> }.into_any(),
    };
    view! {
        <div class="page page-wide">
            <CabinetNav current="/cabinet/register" />
            <h1>"Реестр оплаты за месяц"</h1>
            <section class="card filters">
                <MonthField name="month" label="Месяц" shown=month on_pick=move |picked| month.set(picked) />
                <p class="hint">
                    "Суммы, списанные с сертификатов за месяц по действующим договорам: их оплачивает уполномоченный орган."
                </p>
                <FormError status=download />
                <button
                    type="button"
                    id="register-csv"
                    class="button button-secondary"
                    disabled=move || pending.get() || parse_month(&month.get()).is_none()
                    on:click=move |_| {
                        download.clear();
                        csv.dispatch_local(month.get_untracked());
                    }
                >
                    {move || if pending.get() { "Готовим файл…" } else { "Скачать CSV" }}
                </button>
            </section>
            {body}
        </div>
    }
}

/// Hands `blob` to the browser as a download named `name`.
pub(super) fn save(blob: &web_sys::Blob, name: &str) {
    let Ok(href) = web_sys::Url::create_object_url_with_blob(blob) else { return };
    if let Ok(link) = document().create_element("a") {
        let _ = link.set_attribute("href", &href);
        let _ = link.set_attribute("download", name);
        if let Some(link) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&link) {
            link.click();
        }
    }
    // The URL is not revoked at once: the download may still be reading it.
}

#[component]
fn RegisterTable(register: MonthlyRegister) -> impl IntoView {
    if register.rows.is_empty() {
        return view! { <p class="empty-state" id="register-empty">"За этот месяц списаний нет."</p> }.into_any();
    }
    let rows = register
        .rows
        .into_iter()
        .map(|row| {
            view! {
                <tr class="register-row" data-contract-id=row.contract_id.to_string()>
                    <td>{row.certificate_number}</td>
                    <td>{row.child_name}</td>
                    <td>{format!("{} — {}", row.program_title, row.module_name)}</td>
                    <td class="amount">{rubles(row.amount)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card">
            <h2>{register.organization_name}</h2>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Таблица, прокручивается в сторону">
                <table class="register">
                    <thead>
                        <tr>
                            <th>"Сертификат"</th>
                            <th>"Ребёнок"</th>
                            <th>"Программа и модуль"</th>
                            <th>"Сумма"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <p class="register-total">"Итого: " <strong id="register-total">{rubles(register.total)}</strong></p>
        </section>
    }
    .into_any()
}
