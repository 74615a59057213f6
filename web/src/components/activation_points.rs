//! Where a family brings the documents to activate a certificate.

use leptos::prelude::*;
use navigator_shared::organizations::ActivationPoint;

use crate::api;
use crate::pages::catalog::{phone_href, phone_text};

/// What to bring to an activation point.
#[component]
pub fn DocumentsToBring() -> impl IntoView {
    view! {
        <p>"Что взять с собой:"</p>
        <ul class="documents">
            <li>"паспорт родителя (законного представителя);"</li>
            <li>"свидетельство о рождении или паспорт ребёнка;"</li>
            <li>"СНИЛС ребёнка."</li>
        </ul>
    }
}

/// The activation points of a municipality, or of the whole region when none is given.
#[component]
pub fn ActivationPointList(#[prop(into)] municipality: Signal<Option<i64>>) -> impl IntoView {
    let points = LocalResource::new(move || api::activation_points(municipality.get()));
    move || match points.get() {
        None => view! { <p class="loading">"Загрузка…"</p> }.into_any(),
        Some(Err(problem)) => view! { <p class="form-error" role="alert">{problem.detail}</p> }.into_any(),
        Some(Ok(list)) if list.is_empty() => {
            let text = if municipality.get_untracked().is_some() {
                "Пункты активации в вашем муниципалитете пока не указаны, обратитесь к оператору."
            } else {
                "Пункты активации пока не указаны, обратитесь к оператору."
            };
            view! { <p class="no-points muted">{text}</p> }.into_any()
        }
        Some(Ok(list)) => view! {
            <ul class="activation-points">
                {list.into_iter().map(|point| view! { <PointItem point=point /> }).collect_view()}
            </ul>
        }
        .into_any(),
    }
}

/// One point: name, address, reception hours, phone and the responsible specialist.
#[component]
fn PointItem(point: ActivationPoint) -> impl IntoView {
    let phone_link = phone_href(&point.phone);
    let line = |term: &'static str, text: String| {
        (!text.trim().is_empty()).then(|| {
            view! {
                <dt>{term}</dt>
                <dd>{text}</dd>
            }
        })
    };
    let phone = (!point.phone.trim().is_empty()).then(|| {
        view! {
            <dt>"Телефон"</dt>
            <dd>
                <a href=phone_link>{phone_text(&point.phone)}</a>
            </dd>
        }
    });
    view! {
        <li class="activation-point">
            <p class="point-name">{point.name}</p>
            <dl class="summary">
                {line("Адрес", point.address)}
                {line("Часы приёма", point.reception_hours)}
                {phone}
                {line("Специалист", point.contact)}
            </dl>
        </li>
    }
}
