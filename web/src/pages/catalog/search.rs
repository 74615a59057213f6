//! `/catalog`: the public search. The filters live in the URL (`q`,
//! `municipality_id`, `direction`, `profile`, `age`, `cost`, `open`, `sort`,
//! `page`, `view=map`), so a search can be shared and the back button returns
//! to the previous one: the form and the results follow the URL, and using
//! the form navigates to a new URL.

use leptos::ev::{Event, SubmitEvent};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use navigator_shared::FieldErrors;
use navigator_shared::ages::AgeRange;
use navigator_shared::catalog::{CatalogPage, CatalogQuery, CostType, Direction, FacetCount, Facets, MapQuery, Sort};
use wasm_bindgen::JsCast;

use super::item::{Loading, ProgramItem, plural, remember_catalog};
use crate::api::catalog;
use crate::components::{CatalogMap, MunicipalitySelect, SelectField};
use crate::components::{Pager, Turn};

/// The search as the URL holds it; values that make no sense are dropped.
#[derive(Debug, Clone, Default, PartialEq)]
struct Filters {
    q: String,
    municipality_id: Option<i64>,
    direction: Option<Direction>,
    /// Set by the links of a program card («робототехника»); not in the form.
    profile: String,
    age: Option<i32>,
    cost: Option<CostType>,
    open: bool,
    /// `None`: by relevance.
    sort: Option<Sort>,
    page: i64,
    /// `view=map`.
    map: bool,
}

impl Filters {
    fn from_params(params: &ParamsMap) -> Self {
        let text = |key: &str| params.get_str(key).map(|v| clip(v.trim())).unwrap_or_default();
        Self {
            q: text("q"),
            municipality_id: params.get_str("municipality_id").and_then(|v| v.parse().ok()).filter(|id| *id > 0),
            direction: params.get_str("direction").and_then(Direction::parse),
            profile: text("profile"),
            age: params
                .get_str("age")
                .and_then(|v| v.trim().parse().ok())
                .filter(|age| AgeRange::CATALOG.contains(*age)),
            cost: params.get_str("cost").and_then(CostType::parse),
            open: matches!(params.get_str("open"), Some("true" | "1" | "on")),
            sort: params.get_str("sort").and_then(Sort::parse).filter(|sort| *sort != Sort::Relevance),
            page: params.get_str("page").and_then(|v| v.parse().ok()).filter(|page| *page >= 1).unwrap_or(1),
            map: params.get_str("view") == Some("map"),
        }
    }

    /// What narrows the search (no order, page or view).
    fn query(&self) -> CatalogQuery {
        let text = |value: &str| (!value.is_empty()).then(|| value.to_owned());
        CatalogQuery {
            q: text(&self.q),
            municipality_id: self.municipality_id,
            direction: self.direction,
            profile: text(&self.profile),
            age: self.age,
            cost: self.cost,
            open: self.open.then_some(true),
            ..CatalogQuery::default()
        }
    }

    /// `GET /programs` of this search: the filters with the order and the page.
    fn list_query(&self) -> CatalogQuery {
        CatalogQuery { sort: self.sort, page: (self.page > 1).then_some(self.page), ..self.query() }
    }

    /// The address of this search.
    fn href(&self) -> String {
        let query = serde_urlencoded::to_string(self.list_query()).unwrap_or_default();
        let view = if self.map { "view=map" } else { "" };
        match (query.is_empty(), view.is_empty()) {
            (true, true) => "/catalog".to_owned(),
            (false, false) => format!("/catalog?{query}&{view}"),
            _ => format!("/catalog?{query}{view}"),
        }
    }

    /// `GET /programs/map` of this search in the visible box.
    fn map_query(&self, bbox: &str, zoom: u8) -> MapQuery {
        MapQuery::of(&self.query(), bbox.to_owned(), zoom)
    }
}

/// At most the length the API accepts.
fn clip(text: &str) -> String {
    text.chars().take(CatalogQuery::MAX_TEXT).collect()
}

/// The form's fields; they follow the URL and are read when the visitor applies them.
#[derive(Clone, Copy)]
struct FilterForm {
    q: RwSignal<String>,
    municipality_id: RwSignal<String>,
    direction: RwSignal<String>,
    age: RwSignal<String>,
    cost: RwSignal<String>,
    open: RwSignal<bool>,
    sort: RwSignal<String>,
}

fn sync<T: PartialEq + Send + Sync + 'static>(signal: RwSignal<T>, value: T) {
    if signal.with_untracked(|current| *current != value) {
        signal.set(value);
    }
}

impl FilterForm {
    fn new() -> Self {
        Self {
            q: RwSignal::new(String::new()),
            municipality_id: RwSignal::new(String::new()),
            direction: RwSignal::new(String::new()),
            age: RwSignal::new(String::new()),
            cost: RwSignal::new(String::new()),
            open: RwSignal::new(false),
            sort: RwSignal::new(String::new()),
        }
    }

    /// Shows the search `filters`.
    fn load(&self, filters: &Filters) {
        sync(self.q, filters.q.clone());
        sync(self.municipality_id, filters.municipality_id.map(|id| id.to_string()).unwrap_or_default());
        sync(self.direction, filters.direction.map(|d| d.as_str().to_owned()).unwrap_or_default());
        sync(self.age, filters.age.map(|age| age.to_string()).unwrap_or_default());
        sync(self.cost, filters.cost.map(|c| c.as_str().to_owned()).unwrap_or_default());
        sync(self.open, filters.open);
        sync(self.sort, filters.sort.map(|s| s.as_str().to_owned()).unwrap_or_default());
    }

    /// The search the form describes, from its first page; the profile and the view stay.
    fn read(&self, current: &Filters) -> Result<Filters, FieldErrors> {
        let mut errors = FieldErrors::new();
        let q = self.q.get_untracked().trim().to_owned();
        if q.chars().count() > CatalogQuery::MAX_TEXT {
            errors.add("q", format!("Запрос — не длиннее {} символов", CatalogQuery::MAX_TEXT));
        }
        let age_text = self.age.get_untracked().trim().to_owned();
        let age = match age_text.parse::<i32>() {
            _ if age_text.is_empty() => None,
            Ok(age) if AgeRange::CATALOG.contains(age) => Some(age),
            _ => {
                errors.add("age", "Возраст — целое число лет от 0 до 18");
                None
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Filters {
            q,
            municipality_id: self.municipality_id.get_untracked().parse().ok(),
            direction: Direction::parse(&self.direction.get_untracked()),
            profile: current.profile.clone(),
            age,
            cost: CostType::parse(&self.cost.get_untracked()),
            open: self.open.get_untracked(),
            sort: Sort::parse(&self.sort.get_untracked()).filter(|sort| *sort != Sort::Relevance),
            page: 1,
            map: current.map,
        })
    }
}

/// The number of programs a facet gives for `value`.
fn facet(counts: &[FacetCount], value: &str) -> i64 {
    counts.iter().find(|c| c.value == value).map_or(0, |c| c.count)
}

/// «Художественная (12)»; only the title before the first answer.
fn with_count(title: &str, count: Option<i64>) -> String {
    match count {
        Some(count) => format!("{title} ({count})"),
        None => title.to_owned(),
    }
}

/// Moves the keyboard focus to the element `id`.
fn focus(id: &str) {
    if let Some(element) = document().get_element_by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

/// `/catalog`.
#[component]
pub fn Catalog() -> impl IntoView {
    let query = use_query_map();
    let navigate = use_navigate();
    let filters = Memo::new(move |_| query.with(Filters::from_params));
    let is_map = Memo::new(move |_| filters.with(|f| f.map));

    let form = FilterForm::new();
    let errors = RwSignal::new(FieldErrors::new());
    form.load(&filters.get_untracked());
    Effect::new(move || {
        filters.with(|f| {
            form.load(f);
            remember_catalog(f.href());
        });
        errors.set(FieldErrors::new());
    });

    // The list (and the facets) of the URL's search, also under the map.
    let list_query = Memo::new(move |_| filters.with(Filters::list_query));
    let list = LocalResource::new(move || {
        let query = list_query.get();
        async move {
            let answer = catalog::programs(&query).await;
            (query, answer)
        }
    });
    // An earlier search's answer stays on the screen, dimmed, until the new one comes.
    let stale = Memo::new(move |_| list.with(|answer| answer.as_ref().is_some_and(|(q, _)| *q != list_query.get())));
    let facets = Memo::new(move |previous: Option<&Option<Facets>>| match list.get() {
        Some((_, Ok(page))) => Some(page.facets),
        _ => previous.cloned().flatten(),
    });

    // The map: markers of the visible box, asked again after every move.
    let map_box = RwSignal::new(None::<(String, u8)>);
    let on_move = Callback::new(move |view: (String, u8)| map_box.set(Some(view)));
    let map_query = Memo::new(move |_| {
        let filters = filters.get();
        if !filters.map {
            return None;
        }
        map_box.with(|view| view.as_ref().map(|(bbox, zoom)| filters.map_query(bbox, *zoom)))
    });
    let map_answer = LocalResource::new(move || {
        let query = map_query.get();
        async move {
            match query {
                Some(query) => Some(catalog::programs_map(&query).await),
                None => None,
            }
        }
    });
    let markers = Signal::derive(move || {
        map_answer.get().flatten().and_then(Result::ok).map(|page| page.markers).unwrap_or_default()
    });

    // Applying the form: a new URL (the results follow it).
    let go = move |next: Filters| {
        if next != filters.get_untracked() {
            navigate(&next.href(), NavigateOptions { scroll: false, ..NavigateOptions::default() });
        }
    };
    let apply = {
        let go = go.clone();
        move || match form.read(&filters.get_untracked()) {
            Ok(next) => {
                errors.set(FieldErrors::new());
                go(next);
            }
            Err(found) => {
                let first = ["q", "age"].into_iter().find(|field| found.first(field).is_some());
                errors.set(found);
                if let Some(field) = first {
                    focus(field);
                }
            }
        }
    };
    let on_submit = {
        let apply = apply.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            apply();
        }
    };
    // A choice in a list, the checkbox and the age (when the field is left)
    // apply at once; the search text waits for «Найти».
    let on_change = move |ev: Event| {
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        if target.tag_name().eq_ignore_ascii_case("select")
            || target.get_attribute("type").as_deref() == Some("checkbox")
            || target.get_attribute("name").as_deref() == Some("age")
        {
            apply();
        }
    };
    let show_map = {
        let go = go.clone();
        move |map: bool| go(Filters { map, ..filters.get_untracked() })
    };
    let show_list = show_map.clone();
    // On a phone the filters fold behind «Фильтры», so the results start on the first screen.
    let show_filters = RwSignal::new(false);

    let direction_options = Signal::derive(move || {
        facets.with(|facets| {
            Direction::ALL
                .iter()
                .map(|d| {
                    let count = facets.as_ref().map(|f| facet(&f.direction, d.as_str()));
                    (d.as_str().to_owned(), with_count(d.title(), count))
                })
                .collect::<Vec<_>>()
        })
    });
    let cost_options = Signal::derive(move || {
        facets.with(|facets| {
            CostType::ALL
                .iter()
                .map(|c| {
                    let count = facets.as_ref().map(|f| facet(&f.cost, c.as_str()));
                    (c.as_str().to_owned(), with_count(c.title(), count))
                })
                .collect::<Vec<_>>()
        })
    });
    let sort_options: Vec<(String, String)> = Sort::ALL
        .iter()
        .filter(|sort| **sort != Sort::Relevance)
        .map(|sort| (sort.as_str().to_owned(), sort.title().to_owned()))
        .collect();
    let open_count = move || facets.with(|f| f.as_ref().map(|f| format!(" ({})", f.open)).unwrap_or_default());

    let error_of = move |field: &'static str| errors.with(|e| e.first(field).map(str::to_owned));
    let field_error = move |field: &'static str| {
        move || {
            error_of(field).map(|message| {
                view! {
                    <p class="field-error" data-error-for=field id=format!("{field}-error")>
                        {message}
                    </p>
                }
            })
        }
    };
    let invalid = move |field: &'static str| move || error_of(field).is_some().then_some("true");
    let described = move |field: &'static str| move || error_of(field).map(|_| format!("{field}-error"));

    let total = move || match list.get() {
        _ if stale.get() => "Ищем программы…".to_owned(),
        None => "Ищем программы…".to_owned(),
        Some((_, Ok(page))) => format!("Найдено программ: {}", page.total),
        Some((_, Err(_))) => String::new(),
    };
    let profile = move || {
        filters.with(|f| {
            (!f.profile.is_empty()).then(|| {
                let without = Filters { profile: String::new(), page: 1, ..f.clone() }.href();
                view! {
                    <p class="active-filter">
                        {format!("Профиль: «{}» ", f.profile)}
                        <a href=without>"показать все профили"</a>
                    </p>
                }
            })
        })
    };
    let list_results = move || match list.get() {
        None => view! { <Loading text="Ищем программы…" /> }.into_any(),
        Some((_, Err(problem))) => view! {
            <div class="form-error catalog-error" role="alert">
                <p>{problem.detail}</p>
                <button type="button" class="button button-secondary" on:click=move |_| list.refetch()>
                    "Повторить"
                </button>
            </div>
        }
        .into_any(),
        Some((_, Ok(page))) => {
            let filters = filters.get_untracked();
            view! { <ResultList page=page filters=filters /> }.into_any()
        }
    };
    // Only a switch of the view rebuilds this part: the map stays while its markers change.
    let results = move || {
        if is_map.get() {
            view! { <MapResults markers=markers on_move=on_move answer=map_answer /> }.into_any()
        } else {
            list_results.into_any()
        }
    };

    view! {
        <div class="catalog-page">
            <h1>"Каталог программ"</h1>
            <div class="catalog-layout">
                <form
                    id="catalog-filters"
                    class="catalog-filters card"
                    class:show-filters=move || show_filters.get()
                    role="search"
                    aria-label="Поиск программ"
                    novalidate=true
                    on:submit=on_submit
                    on:change=on_change
                >
                    <div class="field">
                        <label for="q">"Что ищем"</label>
                        <div class="search-row">
                            <input
                                id="q"
                                name="q"
                                type="search"
                                placeholder="робототехника, танцы, шахматы…"
                                autocomplete="off"
                                enterkeyhint="search"
                                maxlength=CatalogQuery::MAX_TEXT.to_string()
                                aria-invalid=invalid("q")
                                aria-describedby=described("q")
                                bind:value=form.q
                            />
                            <button type="submit" id="catalog-submit" class="button">
                                "Найти"
                            </button>
                        </div>
                        {field_error("q")}
                    </div>
                    <button
                        type="button"
                        id="filters-toggle"
                        class="filters-toggle button button-secondary"
                        aria-expanded=move || show_filters.get().to_string()
                        on:click=move |_| show_filters.update(|shown| *shown = !*shown)
                    >
                        {move || if show_filters.get() { "Скрыть фильтры" } else { "Фильтры" }}
                    </button>
                    <div class="filter-grid">
                        <MunicipalitySelect
                            value=form.municipality_id
                            errors=errors
                            required=false
                            placeholder="Все муниципалитеты"
                        />
                        <SelectField
                            name="direction"
                            label="Направленность"
                            value=form.direction
                            errors=errors
                            options=direction_options
                            placeholder="Все направленности"
                        />
                        <div class="field">
                            <label for="age">"Возраст ребёнка"</label>
                            <input
                                id="age"
                                name="age"
                                type="number"
                                min="0"
                                max="18"
                                step="1"
                                inputmode="numeric"
                                placeholder="Любой"
                                aria-invalid=invalid("age")
                                aria-describedby=described("age")
                                bind:value=form.age
                            />
                            {field_error("age")}
                        </div>
                        <SelectField
                            name="cost"
                            label="Оплата"
                            value=form.cost
                            errors=errors
                            options=cost_options
                            placeholder="Любая"
                        />
                        <SelectField
                            name="sort"
                            label="Сортировка"
                            value=form.sort
                            errors=errors
                            options=sort_options
                            placeholder=Sort::Relevance.title()
                        />
                    </div>
                    <div class="filter-foot">
                        <label class="check" for="open">
                            <input id="open" name="open" type="checkbox" bind:checked=form.open />
                            <span>"Есть набор" {open_count}</span>
                        </label>
                        <a
                            id="catalog-reset"
                            href=move || if is_map.get() { "/catalog?view=map" } else { "/catalog" }
                        >
                            "Сбросить"
                        </a>
                    </div>
                </form>
                <section class="catalog-results" aria-label="Результаты поиска">
                    <div class="results-head">
                        <p id="catalog-total" role="status">
                            {total}
                        </p>
                        <div class="view-switch" role="group" aria-label="Как показать программы">
                            <button
                                type="button"
                                id="view-list"
                                aria-pressed=move || (!is_map.get()).to_string()
                                on:click=move |_| show_list(false)
                            >
                                "Список"
                            </button>
                            <button
                                type="button"
                                id="view-map"
                                aria-pressed=move || is_map.get().to_string()
                                on:click=move |_| show_map(true)
                            >
                                "Карта"
                            </button>
                        </div>
                    </div>
                    {profile}
                    <div
                        class=("is-stale", move || stale.get() && !is_map.get())
                        aria-busy=move || (stale.get() && !is_map.get()).to_string()
                    >
                        {results}
                    </div>
                </section>
            </div>
        </div>
    }
}

/// The found programs with the pager, or what to do when there are none.
#[component]
fn ResultList(page: CatalogPage, filters: Filters) -> impl IntoView {
    if page.total == 0 {
        let reset = if filters.map { "/catalog?view=map" } else { "/catalog" };
        return view! {
            <div class="card empty-state" id="catalog-empty">
                <h2>"Ничего не нашлось…"</h2>
                <p>"Попробуйте изменить условия поиска:"</p>
                <ul>
                    <li>"уберите часть фильтров — например, возраст или способ оплаты;"</li>
                    <li>"проверьте, нет ли опечатки, или напишите короче: «робот» вместо «робототехника»;"</li>
                    <li>"выберите другой муниципалитет или «Все муниципалитеты»."</li>
                </ul>
                <p>
                    <a class="button button-secondary" href=reset>
                        "Сбросить все фильтры"
                    </a>
                </p>
            </div>
        }
        .into_any();
    }
    if page.items.is_empty() {
        let first = Filters { page: 1, ..filters }.href();
        return view! {
            <div class="card empty-state">
                <p>"На этой странице программ нет."</p>
                <p>
                    <a href=first>"К первой странице"</a>
                </p>
            </div>
        }
        .into_any();
    }
    let href = move |number: i64| Filters { page: number, ..filters.clone() }.href();
    view! {
        <div class="program-list">
            {page.items.into_iter().map(|program| view! { <ProgramItem program=program /> }).collect_view()}
        </div>
        <Pager current=page.page total=page.total per_page=page.per_page turn=Turn::links(href) />
    }
    .into_any()
}

type MapAnswer = Option<Result<navigator_shared::catalog::MapPage, navigator_shared::Problem>>;

/// The map view: the markers of the visible box, how many of the programs
/// found it holds, and a way to see them all.
#[component]
fn MapResults(
    markers: Signal<Vec<navigator_shared::catalog::MapMarker>>,
    on_move: Callback<(String, u8)>,
    answer: LocalResource<MapAnswer>,
) -> impl IntoView {
    let fit = RwSignal::new(None::<[f64; 4]>);
    let status = move || match answer.get().flatten() {
        None => view! { <p class="hint" id="map-total">"Загружаем метки…"</p> }.into_any(),
        Some(Err(problem)) => view! {
            <p class="form-error" role="alert">
                {format!("Метки не загрузились: {}", problem.detail)}
            </p>
        }
        .into_any(),
        Some(Ok(page)) if page.matching == 0 => view! {
            <p class="hint" id="map-total">"По этим условиям программ нет. Измените фильтры."</p>
        }
        .into_any(),
        Some(Ok(page)) => {
            let clustered = page.markers.iter().any(|marker| marker.programs.is_empty());
            let listed = page.markers.iter().any(|marker| marker.count > 1 && !marker.programs.is_empty());
            let shown = if page.total == page.matching {
                format!("На карте: {} {}.", page.total, plural(page.total, ("программа", "программы", "программ")))
            } else {
                format!("На карте {} из {} найденных — остальные за краем карты.", page.total, page.matching)
            };
            let extent = page.extent;
            view! {
                <p class="hint" id="map-total">
                    {shown}
                    {clustered.then_some(" Число в круге — сколько программ рядом: нажмите на круг, чтобы приблизить.")}
                    {listed.then_some(" Квадрат с числом — несколько программ по одному адресу: нажмите, чтобы увидеть список.")}
                </p>
                {(page.total < page.matching).then(|| view! {
                    <button type="button" class="button button-secondary" id="map-fit" on:click=move |_| fit.set(extent)>
                        "Показать все на карте"
                    </button>
                })}
            }
            .into_any()
        }
    };
    view! {
        <CatalogMap
            id="catalog-map"
            label="Карта программ: метки доступны клавишей Tab, Enter открывает; те же программы — в виде списка"
            markers=markers
            on_move=on_move
            fit=fit
            class="map map-catalog"
        />
        {status}
    }
}
