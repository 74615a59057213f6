//! «Модули» of a program in the cabinet: the list and the form.

use leptos::context::Provider;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use navigator_shared::catalog::{Module, ModuleInput, ProgramCard, ProgramStatus};

use super::widgets::{Reader, confirm, rubles, rubles_input, send_checked};
use crate::api::{catalog, use_session};
use crate::components::{Field, FieldScope, FormError, FormStatus, SubmitButton};

/// The modules of the program with their hours and prices, and `<form id="module-form">`.
#[component]
pub(crate) fn ModulesSection(card: RwSignal<ProgramCard>) -> impl IntoView {
    let session = use_session();
    let writable = move || card.with(|c| c.status != ProgramStatus::Archived);
    let editing = RwSignal::new(None::<i64>);
    let name = RwSignal::new(String::new());
    let hours = RwSignal::new(String::new());
    let price = RwSignal::new(String::new());
    let clear = move || {
        editing.set(None);
        name.set(String::new());
        hours.set(String::new());
        price.set(String::new());
    };
    let status = FormStatus::new();
    let save = status.action(
        move |(program, id, input): (i64, Option<i64>, ModuleInput)| async move {
            match id {
                Some(id) => catalog::update_module(session, id, &input).await,
                None => catalog::add_module(session, program, &input).await,
            }
        },
        move |module: Module| {
            let added = editing.get_untracked().is_none();
            card.update(|c| match c.modules.iter_mut().find(|m| m.id == module.id) {
                Some(slot) => *slot = module,
                None => c.modules.push(module),
            });
            clear();
            status.done(if added { "Модуль добавлен." } else { "Модуль сохранён." });
        },
    );
    let saving = save.pending();
    let rows_status = FormStatus::new();
    let remove = rows_status.action(
        move |id: i64| async move { catalog::delete_module(session, id).await.map(|()| id) },
        move |id: i64| {
            card.update(|c| c.modules.retain(|m| m.id != id));
            if editing.get_untracked() == Some(id) {
                clear();
            }
            rows_status.done("Модуль удалён.");
        },
    );
    let edit = move |module: &Module| {
        status.clear();
        editing.set(Some(module.id));
        name.set(module.name.clone());
        hours.set(module.hours.to_string());
        price.set(rubles_input(module.price));
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut reader = Reader::default();
        let input = ModuleInput {
            name: name.get_untracked(),
            hours: reader.int("hours", hours),
            price: reader.kopecks("price", price),
        };
        let program = card.with_untracked(|c| c.summary.id);
        send_checked(status, save, (program, editing.get_untracked(), input), reader.errors, |(_, _, input)| {
            input.validate()
        });
    };
    let rows = move || {
        let modules = card.with(|c| c.modules.clone());
        if modules.is_empty() {
            return view! { <p class="empty-state">"Модулей пока нет."</p> }.into_any();
        }
        modules
            .into_iter()
            .map(|module| {
                let (id, title) = (module.id, module.name.clone());
                view! {
                    <article class="module-row" data-module-id=id>
                        <div class="row-text">
                            <h3 class="module-name">{module.name.clone()}</h3>
                            <p class="muted">
                                <span class="module-hours">{format!("{} ч", module.hours)}</span>
                                " · "
                                <span class="module-price">{rubles(module.price)}</span>
                            </p>
                        </div>
                        {writable()
                            .then(|| {
                                view! {
                            <div class="row-actions">
                                <button
                                    type="button"
                                    class="button button-secondary edit-module"
                                    on:click={
                                        let module = module.clone();
                                        move |_| edit(&module)
                                    }
                                >
                                    "Изменить"
                                </button>
                                <button
                                    type="button"
                                    class="button button-secondary delete-module"
                                    on:click={
                                        let title = title.clone();
                                        move |_| {
                                            if confirm(&format!("Удалить модуль «{title}»?")) {
                                                rows_status.clear();
                                                remove.dispatch_local(id);
                                            }
                                        }
                                    }
                                >
                                    "Удалить"
                                </button>
                            </div>
                                }
                            })}
                    </article>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        // The program form on the same page has fields of the same names.
        <Provider value=FieldScope("module-")>
        <section class="card program-part" id="modules">
            <h2>"Модули"</h2>
            <p class="hint">"Части программы с часами и стоимостью; цена в каталоге — от самого дешёвого модуля."</p>
            <FormError status=rows_status />
            <div class="part-list">{rows}</div>
            <Show when=writable>
                <h3>{move || if editing.with(Option::is_some) { "Изменить модуль" } else { "Добавить модуль" }}</h3>
                <form id="module-form" class="form" novalidate=true on:submit=on_submit>
                    <FormError status=status />
                    <Field name="name" label="Название модуля" value=name errors=status.errors required=true />
                    <div class="row row-even">
                        <Field
                            name="hours"
                            label="Часов"
                            value=hours
                            errors=status.errors
                            kind="number"
                            inputmode="numeric"
                            required=true
                        />
                        <Field
                            name="price"
                            label="Стоимость, ₽"
                            value=price
                            errors=status.errors
                            inputmode="decimal"
                            hint="За весь модуль; 0 — бесплатно"
                            required=true
                        />
                    </div>
                    <div class="actions form-actions">
                        {move || {
                            let label =
                                if editing.with(Option::is_some) { "Сохранить модуль" } else { "Добавить модуль" };
                            view! { <SubmitButton pending=saving label=label busy="Сохраняем…" /> }
                        }}
                        <Show when=move || editing.with(Option::is_some)>
                            <button
                                type="button"
                                id="cancel-module"
                                class="button button-secondary"
                                on:click=move |_| {
                                    status.clear();
                                    clear();
                                }
                            >
                                "Отмена"
                            </button>
                        </Show>
                    </div>
                </form>
            </Show>
        </section>
        </Provider>
    }
}
