//! The public list of activation points.

use leptos::prelude::*;
use navigator_shared::FieldErrors;

use crate::api::use_session;
use crate::components::{ActivationPointList, DocumentsToBring, MunicipalitySelect};

#[component]
pub fn ActivationPoints() -> impl IntoView {
    let session = use_session();
    let municipality = RwSignal::new(String::new());
    // A signed-in visitor sees the points of their own municipality first.
    Effect::new(move || {
        if let Some(id) = session.user().and_then(|user| user.municipality_id)
            && municipality.with_untracked(String::is_empty)
        {
            municipality.set(id.to_string());
        }
    });
    let chosen = Signal::derive(move || municipality.with(|id| id.parse::<i64>().ok()));
    view! {
        <div class="page">
            <h1>"Пункты активации сертификатов"</h1>
            <p class="lead">
                "После заявки на сертификат принесите документы в пункт активации вашего муниципалитета "
                "до срока, указанного в личном кабинете, — после проверки сертификат будет активирован."
            </p>
            <section class="card">
                <DocumentsToBring />
            </section>
            <section class="card">
                <h2>"Где активировать сертификат"</h2>
                <MunicipalitySelect
                    value=municipality
                    errors=RwSignal::new(FieldErrors::new())
                    required=false
                    placeholder="Все муниципалитеты"
                />
            </section>
            <ActivationPointList municipality=chosen />
        </div>
    }
}
