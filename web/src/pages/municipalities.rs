//! `/municipalities` (admin): the region's municipalities page by page, with
//! the population of children aged 5–18 for the coverage statistics; adding,
//! renaming, and entering a year's population. Every change is audited.

use leptos::context::Provider;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use navigator_shared::FieldErrors;
use navigator_shared::reference::{Municipality, MunicipalityInput, Page, PopulationInput};

use crate::api::{self, use_session};
use crate::components::{Field, FieldScope, FormError, FormStatus, PointFields, SelectField, SubmitButton};
use crate::components::{Pager, Turn};

/// Municipalities on a page of the list.
const PER_PAGE: i64 = 20;

/// `/municipalities`.
#[component]
pub fn Municipalities() -> impl IntoView {
    let session = use_session();
    let page = RwSignal::new(1_i64);
    // Bumped after a change so the page is read again.
    let version = RwSignal::new(0_u32);
    let list = LocalResource::new(move || {
        version.track();
        api::municipalities_page(session, page.get(), PER_PAGE)
    });
    let shown = Signal::derive(move || match list.get() {
        Some(Ok(found)) => found.items,
        _ => Vec::new(),
    });
    let options =
        Signal::derive(move || shown.get().into_iter().map(|m| (m.id.to_string(), m.name)).collect::<Vec<_>>());

    let changed = move || version.update(|v| *v += 1);
    let body = move || match list.get() {
        None => view! { <p class="loading">"Загрузка…"</p> }.into_any(),
        Some(Err(problem)) => view! { <p class="form-error" role="alert">{problem.detail}</p> }.into_any(),
        Some(Ok(found)) => table(found, page).into_any(),
    };
    view! {
        <div class="page">
            <h1>"Муниципалитеты"</h1>
            <section class="card">{body}</section>
            <section class="card">
                <h2>"Добавить муниципалитет"</h2>
                <CreateForm changed=changed />
            </section>
            <section class="card">
                <h2>"Изменить название и центр"</h2>
                <Provider value=FieldScope("edit-")>
                    <EditForm shown=shown changed=changed />
                </Provider>
            </section>
            <section class="card">
                <h2>"Численность детей 5–18 лет"</h2>
                <Provider value=FieldScope("population-")>
                    <PopulationForm options=options changed=changed />
                </Provider>
            </section>
        </div>
    }
}

fn table(found: Page<Municipality>, page: RwSignal<i64>) -> impl IntoView {
    let rows = found
        .items
        .into_iter()
        .map(|m| {
            let population = match (m.children_population, m.population_year) {
                (Some(children), Some(year)) => format!("{children} ({year})"),
                _ => "не указана".to_owned(),
            };
            view! {
                <tr data-municipality-id=m.id>
                    <td class="municipality-name">{m.name}</td>
                    <td class="municipality-population">{population}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Таблица, прокручивается в сторону">
            <table class="municipalities">
                <thead>
                    <tr>
                        <th scope="col">"Муниципалитет"</th>
                        <th scope="col">"Детей 5–18 лет (год)"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <Pager current=found.page total=found.total per_page=found.per_page turn=Turn::Signal(page) />
    }
}

/// The chosen municipality's id, or an error on `municipality_id`.
fn chosen(value: RwSignal<String>, errors: &mut FieldErrors) -> i64 {
    value.with_untracked(|v| v.parse::<i64>().ok()).unwrap_or_else(|| {
        errors.add("municipality_id", "Выберите муниципалитет");
        0
    })
}

#[component]
fn CreateForm(changed: impl Fn() + Copy + 'static) -> impl IntoView {
    let session = use_session();
    let name = RwSignal::new(String::new());
    let status = FormStatus::new();
    let create = status.action(
        move |input: MunicipalityInput| async move { api::create_municipality(session, &input).await },
        move |created: Municipality| {
            name.set(String::new());
            status.done(format!("Муниципалитет «{}» добавлен.", created.name));
            changed();
        },
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        status.submit(
            create,
            MunicipalityInput { name: name.get_untracked(), center: None },
            MunicipalityInput::validate,
        );
    };
    view! {
        <form id="municipality-form" class="form" novalidate=true on:submit=on_submit>
            <FormError status=status />
            <Field name="name" label="Название" value=name errors=status.errors hint="Например, Кардымовский район" required=true />
            <SubmitButton pending=create.pending() label="Добавить" busy="Добавляем…" />
        </form>
    }
}

/// The centre typed or picked: both coordinates, or neither.
fn centre(lat: RwSignal<String>, lon: RwSignal<String>, errors: &mut FieldErrors) -> Option<[f64; 2]> {
    let read = |value: RwSignal<String>| value.with_untracked(|v| v.trim().replace(',', "."));
    match (read(lat), read(lon)) {
        (a, b) if a.is_empty() && b.is_empty() => None,
        (a, b) => match (a.parse::<f64>(), b.parse::<f64>()) {
            (Ok(a), Ok(b)) => Some([a, b]),
            (a, b) => {
                if a.is_err() {
                    errors.add("lat", "Введите широту числом, например 54.7826");
                }
                if b.is_err() {
                    errors.add("lon", "Введите долготу числом, например 32.0453");
                }
                None
            }
        },
    }
}

/// A municipality's name and the centre where the catalog map writes it.
#[component]
fn EditForm(shown: Signal<Vec<Municipality>>, changed: impl Fn() + Copy + 'static) -> impl IntoView {
    let session = use_session();
    let municipality = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let lat = RwSignal::new(String::new());
    let lon = RwSignal::new(String::new());
    let status = FormStatus::new();
    let options =
        Signal::derive(move || shown.get().into_iter().map(|m| (m.id.to_string(), m.name)).collect::<Vec<_>>());
    // The chosen municipality's name and centre fill the fields.
    Effect::new(move || {
        let id = municipality.get();
        let Some(chosen) = shown.with_untracked(|all| all.iter().find(|m| m.id.to_string() == id).cloned()) else {
            return;
        };
        name.set(chosen.name);
        let [a, b] = chosen.center.map_or([String::new(), String::new()], |[a, b]| [a.to_string(), b.to_string()]);
        lat.set(a);
        lon.set(b);
    });
    let save = status.action(
        move |(id, input): (i64, MunicipalityInput)| async move { api::rename_municipality(session, id, &input).await },
        move |saved: Municipality| {
            status.done(format!("Муниципалитет «{}» сохранён.", saved.name));
            changed();
        },
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        status.clear();
        let mut errors = FieldErrors::new();
        let center = centre(lat, lon, &mut errors);
        let input = MunicipalityInput { name: name.get_untracked(), center };
        if let Err(more) = input.validate() {
            errors.merge(more);
        }
        let id = chosen(municipality, &mut errors);
        if errors.is_empty() {
            save.dispatch_local((id, input));
        } else {
            status.invalid(errors);
        }
    };
    view! {
        <form id="edit-form" class="form" novalidate=true on:submit=on_submit>
            <FormError status=status />
            <SelectField name="municipality_id" label="Муниципалитет" value=municipality errors=status.errors options=options placeholder="Выберите из списка выше" required=true />
            <Field name="name" label="Название" value=name errors=status.errors required=true />
            <PointFields
                id="municipality-centre"
                lat=lat
                lon=lon
                errors=status.errors
                legend="Центр на карте"
                hint="Где на карте каталога написать название муниципалитета, когда у региона нет своей подложки: \
                      нажмите на карте административный центр."
                required=false
            />
            <SubmitButton pending=save.pending() label="Сохранить" busy="Сохраняем…" />
        </form>
    }
}

#[component]
fn PopulationForm(options: Signal<Vec<(String, String)>>, changed: impl Fn() + Copy + 'static) -> impl IntoView {
    let session = use_session();
    let municipality = RwSignal::new(String::new());
    let year = RwSignal::new(crate::dates::today().format("%Y").to_string());
    let children = RwSignal::new(String::new());
    let status = FormStatus::new();
    let save = status.action(
        move |(id, year, input): (i64, i32, PopulationInput)| async move {
            api::set_population(session, id, year, &input).await
        },
        move |saved: Municipality| {
            children.set(String::new());
            status.done(format!("Численность детей муниципалитета «{}» сохранена.", saved.name));
            changed();
        },
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        status.clear();
        let mut errors = FieldErrors::new();
        let id = chosen(municipality, &mut errors);
        let year = year.with_untracked(|y| y.trim().parse::<i32>()).unwrap_or_else(|_| {
            errors.add("year", "Введите год, например 2026");
            0
        });
        let count = children.with_untracked(|c| c.trim().replace(' ', "").parse::<i64>()).unwrap_or_else(|_| {
            errors.add("children", "Введите целое число");
            -1
        });
        let input = PopulationInput { children: count };
        if errors.is_empty()
            && let Err(more) = input.validate(year)
        {
            errors = more;
        }
        if errors.is_empty() {
            save.dispatch_local((id, year, input));
        } else {
            status.invalid(errors);
        }
    };
    view! {
        <form id="population-form" class="form" novalidate=true on:submit=on_submit>
            <FormError status=status />
            <SelectField name="municipality_id" label="Муниципалитет" value=municipality errors=status.errors options=options placeholder="Выберите из списка выше" required=true />
            <Field name="year" label="Год" value=year errors=status.errors inputmode="numeric" required=true />
            <Field name="children" label="Детей 5–18 лет" value=children errors=status.errors inputmode="numeric" hint="По данным статистики на 1 января года" required=true />
            <SubmitButton pending=save.pending() label="Сохранить" busy="Сохраняем…" />
        </form>
    }
}
