//! `/programs/{id}`: the program card as families see it.

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use navigator_shared::catalog::{CostType, Group, MapMarker, MapProgram, Module, ProgramCard, effective_cost};
use navigator_shared::reference::academic_year_title;
use wasm_bindgen::JsCast;

use super::item::{
    BackToCatalog, Loading, ages, encode, page_title, phone_href, phone_text, plural, rating_text, reviews_count,
    rubles,
};
use super::reviews::ReviewsPanel;
use super::spot_alert::SpotAlertControl;
use crate::api::catalog;
use crate::app::use_region;
use crate::components::CatalogMap;
use crate::dates;
use crate::pages::applications::{ApplyToGroup, accepting};

/// The tabs of the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Description,
    Groups,
    Modules,
    Contacts,
    Reviews,
}

impl Tab {
    const ALL: [Tab; 5] = [Tab::Description, Tab::Groups, Tab::Modules, Tab::Contacts, Tab::Reviews];
    const LAST: Tab = Tab::ALL[Tab::ALL.len() - 1];

    fn key(self) -> &'static str {
        match self {
            Tab::Description => "description",
            Tab::Groups => "groups",
            Tab::Modules => "modules",
            Tab::Contacts => "contacts",
            Tab::Reviews => "reviews",
        }
    }

    /// The tab of `?tab=KEY` (emails link to the reviews).
    fn parse(key: &str) -> Option<Tab> {
        Tab::ALL.iter().copied().find(|t| t.key() == key)
    }

    fn title(self) -> &'static str {
        match self {
            Tab::Description => "Описание",
            Tab::Groups => "Группы",
            Tab::Modules => "Модули",
            Tab::Contacts => "Контакты",
            Tab::Reviews => "Отзывы",
        }
    }

    /// The tab `step` places away, round the row.
    fn step(self, step: isize) -> Tab {
        let at = Tab::ALL.iter().position(|t| *t == self).unwrap_or(0);
        let len = Tab::ALL.len() as isize;
        let next = (at as isize + step).rem_euclid(len) as usize;
        Tab::ALL.get(next).copied().unwrap_or(self)
    }
}

/// `/programs/{id}`.
#[component]
pub fn PublicProgram() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get_str("id").and_then(|v| v.parse::<i64>().ok())));
    let card = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => Some(catalog::program(id).await),
                None => None,
            }
        }
    });
    let body = move || match card.get() {
        None => view! { <Loading /> }.into_any(),
        Some(None) => view! { <Missing /> }.into_any(),
        Some(Some(Err(problem))) if problem.status == 404 => view! { <Missing /> }.into_any(),
        Some(Some(Err(problem))) => view! {
            <div class="form-error" role="alert">
                <p>{problem.detail}</p>
                <button type="button" class="button button-secondary" on:click=move |_| card.refetch()>
                    "Повторить"
                </button>
            </div>
        }
        .into_any(),
        Some(Some(Ok(card))) => view! { <Card card=card /> }.into_any(),
    };
    view! {
        <div class="page program-page">
            <BackToCatalog />
            {body}
        </div>
    }
}

#[component]
fn Missing() -> impl IntoView {
    view! {
        <section class="card empty-state" id="program-missing">
            <h1>"Программа не найдена или снята с публикации"</h1>
            <p>"Возможно, организация закончила набор или ссылка устарела. Посмотрите похожие программы в каталоге."</p>
            <p>
                <a class="button" href="/catalog">
                    "Открыть каталог"
                </a>
            </p>
        </section>
    }
}

/// The loaded card: the head with badges and the tabs.
#[component]
fn Card(card: ProgramCard) -> impl IntoView {
    let program = card.summary.clone();
    page_title(&program.title);
    let certified = effective_cost(program.cost_type, program.certified) == CostType::Certificate;
    let price = match effective_cost(program.cost_type, program.certified) {
        CostType::Free => "Бесплатно".to_owned(),
        _ => match program.price_from {
            Some(0) => "Бесплатно".to_owned(),
            Some(kopecks) => format!("от {}", rubles(kopecks)),
            None => "Уточняйте у организации".to_owned(),
        },
    };
    let profile_href = format!("/catalog?profile={}", encode(&program.profile));
    let opened = use_query_map().with_untracked(|q| q.get("tab")).and_then(|key| Tab::parse(&key));
    let tab = RwSignal::new(opened.unwrap_or(Tab::Description));
    // A link to a tab (an email's «read the reviews») shows the tab, not only the head.
    if opened.is_some() {
        request_animation_frame(|| {
            if let Some(tabs) = document().query_selector(".program-card .tabs").ok().flatten() {
                tabs.scroll_into_view();
            }
        });
    }
    // The reviews load the first time their tab is shown, then stay.
    let reviews_seen =
        Memo::new(move |seen: Option<&bool>| seen.copied().unwrap_or(false) || tab.get() == Tab::Reviews);
    let on_keydown = move |ev: KeyboardEvent| {
        let next = match ev.key().as_str() {
            "ArrowRight" => tab.get_untracked().step(1),
            "ArrowLeft" => tab.get_untracked().step(-1),
            "Home" => Tab::Description,
            "End" => Tab::LAST,
            _ => return,
        };
        ev.prevent_default();
        tab.set(next);
        let id = format!("tab-{}", next.key());
        if let Some(button) = document().get_element_by_id(&id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = button.focus();
        }
    };
    let tabs = Tab::ALL
        .iter()
        .map(|&t| {
            let selected = move || tab.get() == t;
            view! {
                <button
                    type="button"
                    role="tab"
                    id=format!("tab-{}", t.key())
                    aria-controls=format!("panel-{}", t.key())
                    aria-selected=move || selected().to_string()
                    tabindex=move || if selected() { "0" } else { "-1" }
                    on:click=move |_| tab.set(t)
                >
                    {t.title()}
                </button>
            }
        })
        .collect_view();
    let panel_hidden = move |t: Tab| move || tab.get() != t;
    // The reviews tab tells the head the rating its list brings, so a review
    // written, changed or removed here shows in the head at once.
    let rated = RwSignal::new((program.rating, program.reviews_count));
    let rating = move || match rated.get() {
        (Some(rating), count) => format!("★ {} из 5 · {}", rating_text(rating), reviews_count(count)),
        (None, _) => "Пока нет отзывов".to_owned(),
    };
    let applications = program.applications_count;
    let program_id = program.id;
    let ProgramCard { description, goals, duration_months, teachers, contacts, modules, groups, .. } = card;
    let visible = Signal::derive(move || tab.get() == Tab::Contacts);
    view! {
        <article class="program-card" data-program-id=program.id.to_string()>
            <header class="card program-head">
                <h1>{program.title.clone()}</h1>
                <p class="program-org">
                    <a class="organization-link" href=format!("/organizations/{}", program.organization.id)>
                        {program.organization.name.clone()}
                    </a>
                </p>
                <div class="badges">
                    <span class="badge">{program.direction.title()}</span>
                    <span class="badge">{format!("{} уровень", program.level.title())}</span>
                    <span class="badge">{ages(program.age_min, program.age_max)}</span>
                    {certified.then(|| view! { <span class="badge badge-certified">"Доступна оплата сертификатом"</span> })}
                    {program
                        .disability_friendly
                        .then(|| view! { <span class="badge badge-ovz">"Подходит детям с ОВЗ"</span> })}
                </div>
                <dl class="key-facts">
                    <div>
                        <dt>"Стоимость"</dt>
                        <dd class="program-price">{price}</dd>
                    </div>
                    <div>
                        <dt>"Набор"</dt>
                        <dd>
                            {if program.open {
                                view! { <span class="badge badge-open">"Есть набор"</span> }.into_any()
                            } else {
                                view! { <span class="badge badge-closed">"Набор закрыт"</span> }.into_any()
                            }}
                        </dd>
                    </div>
                    <div>
                        <dt>"Рейтинг"</dt>
                        <dd class=move || {
                            if rated.get().0.is_some() { "program-rating" } else { "program-rating muted" }
                        }>{rating}</dd>
                    </div>
                    <div>
                        <dt>"Заявок"</dt>
                        <dd class="program-applications">{applications.to_string()}</dd>
                    </div>
                </dl>
                {(!program.profile.is_empty())
                    .then(|| {
                        view! {
                            <p class="program-profile">
                                "Профиль: " <a href=profile_href>{program.profile.clone()}</a>
                            </p>
                        }
                    })}
            </header>
            <div class="tabs" role="tablist" aria-label="О программе" on:keydown=on_keydown>
                {tabs}
            </div>
            <section
                class="card tab-panel"
                id="panel-description"
                role="tabpanel"
                aria-labelledby="tab-description"
                tabindex="0"
                hidden=panel_hidden(Tab::Description)
            >
                <Description description=description goals=goals duration_months=duration_months teachers=teachers />
            </section>
            <section
                class="card tab-panel"
                id="panel-groups"
                role="tabpanel"
                aria-labelledby="tab-groups"
                tabindex="0"
                hidden=panel_hidden(Tab::Groups)
            >
                <Groups groups=groups program=program_id />
            </section>
            <section
                class="card tab-panel"
                id="panel-modules"
                role="tabpanel"
                aria-labelledby="tab-modules"
                tabindex="0"
                hidden=panel_hidden(Tab::Modules)
            >
                <Modules modules=modules />
            </section>
            <section
                class="card tab-panel"
                id="panel-contacts"
                role="tabpanel"
                aria-labelledby="tab-contacts"
                tabindex="0"
                hidden=panel_hidden(Tab::Contacts)
            >
                <ContactPanel program=program.clone() contacts=contacts visible=visible />
            </section>
            <section
                class="card tab-panel"
                id="panel-reviews"
                role="tabpanel"
                aria-labelledby="tab-reviews"
                tabindex="0"
                hidden=panel_hidden(Tab::Reviews)
            >
                <Show when=move || reviews_seen.get()>
                    <ReviewsPanel program_id=program_id rated=rated />
                </Show>
            </section>
        </article>
    }
}

#[component]
fn Description(description: String, goals: String, duration_months: i32, teachers: Vec<String>) -> impl IntoView {
    let months = i64::from(duration_months);
    view! {
        <h2>"О программе"</h2>
        <p class="text-block">{description}</p>
        {(!goals.trim().is_empty())
            .then(|| {
                view! {
                    <h3>"Цели и задачи"</h3>
                    <p class="text-block">{goals}</p>
                }
            })}
        <dl class="summary">
            <dt>"Продолжительность"</dt>
            <dd>{format!("{months} {}", plural(months, ("месяц", "месяца", "месяцев")))}</dd>
            {(!teachers.is_empty())
                .then(|| {
                    view! {
                        <dt>{if teachers.len() == 1 { "Педагог" } else { "Педагоги" }}</dt>
                        <dd>{teachers.join(", ")}</dd>
                    }
                })}
        </dl>
    }
}

#[component]
fn Groups(groups: Vec<Group>, program: i64) -> impl IntoView {
    let mine = super::spot_alert::my_requests(program);
    // No group takes applications: the family may ask about any of them.
    let any_group = (!groups.iter().any(|g| g.open)).then(|| {
        view! {
            <div class="spot-alert-program">
                <SpotAlertControl program=program group=None mine=mine />
            </div>
        }
    });
    if groups.is_empty() {
        return view! {
            <h2>"Группы"</h2>
            <p class="muted">"Группы пока не сформированы. Уточните сроки набора у организации."</p>
            {any_group}
        }
        .into_any();
    }
    let rows = groups
        .into_iter()
        .map(|group| {
            let apply = group.clone();
            let waiting_list = !group.open && accepting(&group);
            let schedule = if group.schedule.is_empty() {
                "уточняйте у организации".to_owned()
            } else {
                group.schedule.iter().map(|lesson| lesson.describe()).collect::<Vec<_>>().join(", ")
            };
            let enrolment = match (group.enrolment_from, group.enrolment_to) {
                (Some(from), Some(to)) => Some(format!("с {} по {}", dates::russian(from), dates::russian(to))),
                (Some(from), None) => Some(format!("с {}", dates::russian(from))),
                (None, Some(to)) => Some(format!("по {}", dates::russian(to))),
                (None, None) => None,
            };
            view! {
                <div class="group-row" data-group-id=group.id.to_string()>
                    <div class="row-head">
                        <h3>{group.name}</h3>
                        {if group.open {
                            view! { <span class="badge badge-open">"Идёт набор"</span> }.into_any()
                        } else if waiting_list {
                            view! { <span class="badge badge-closed">"Мест нет — лист ожидания"</span> }.into_any()
                        } else {
                            view! { <span class="badge badge-closed">"Набор закрыт"</span> }.into_any()
                        }}
                    </div>
                    {(!group.teacher.is_empty()).then(|| view! { <p>{format!("Педагог: {}", group.teacher)}</p> })}
                    <p class="group-schedule">{format!("Расписание: {schedule}")}</p>
                    <p>
                        {format!(
                            "Занятия: с {} по {} (учебный год {})",
                            dates::russian(group.start_date),
                            dates::russian(group.end_date),
                            academic_year_title(group.academic_year),
                        )}
                    </p>
                    <p>{format!("Возраст: {}", ages(group.age_min, group.age_max))}</p>
                    <p class="group-places">{format!("Свободных мест: {} из {}", group.free_places.max(0), group.capacity)}</p>
                    {group
                        .hold_until
                        .filter(|day| *day >= dates::today())
                        .map(|day| {
                            view! {
                                <p class="group-hold">
                                    {format!("Места для продолжающих обучение закреплены до {}", dates::russian(day))}
                                </p>
                            }
                        })}
                    {enrolment.map(|when| view! { <p class="muted">{format!("Приём заявок: {when}")}</p> })}
                    {(!group.open).then(|| view! { <SpotAlertControl program=program group=Some(group.id) mine=mine /> })}
                    <ApplyToGroup group=apply />
                </div>
            }
        })
        .collect_view();
    view! {
        <h2>"Группы"</h2>
        {any_group}
        <div class="rows">{rows}</div>
    }
    .into_any()
}

#[component]
fn Modules(modules: Vec<Module>) -> impl IntoView {
    if modules.is_empty() {
        return view! {
            <h2>"Модули"</h2>
            <p class="muted">"Модули программы не указаны."</p>
        }
        .into_any();
    }
    let price = |kopecks: i64| if kopecks == 0 { "Бесплатно".to_owned() } else { rubles(kopecks) };
    let hours = |h: i64| format!("{h} {}", plural(h, ("час", "часа", "часов")));
    let total_hours: i64 = modules.iter().map(|m| i64::from(m.hours)).sum();
    let total_price: i64 = modules.iter().map(|m| m.price).sum();
    let several = modules.len() > 1;
    let rows = modules
        .into_iter()
        .map(|module| {
            view! {
                <div class="module-row" data-module-id=module.id.to_string()>
                    <span class="module-name">{module.name}</span>
                    <span class="module-hours">{hours(i64::from(module.hours))}</span>
                    <span class="module-price">{price(module.price)}</span>
                </div>
            }
        })
        .collect_view();
    view! {
        <h2>"Модули"</h2>
        <div class="rows">{rows}</div>
        {several
            .then(|| {
                view! {
                    <p class="modules-total">
                        "Вся программа: " <span class="nowrap">{hours(total_hours)}</span> ", "
                        <span class="nowrap">{price(total_price)}</span>
                    </p>
                }
            })}
    }
    .into_any()
}

/// The contacts panel: who to call, where the lessons are, the place on the map.
/// The map is made only while the panel is `visible` (Leaflet needs its size).
#[component]
fn ContactPanel(
    program: navigator_shared::catalog::ProgramSummary,
    contacts: navigator_shared::catalog::Contacts,
    visible: Signal<bool>,
) -> impl IntoView {
    let located = program.lat != 0.0 && program.lon != 0.0 && program.lat.is_finite() && program.lon.is_finite();
    let marker = MapMarker {
        lat: program.lat,
        lon: program.lon,
        count: 1,
        programs: vec![MapProgram {
            id: program.id,
            title: program.title.clone(),
            organization: program.organization.name.clone(),
            address: program.address.clone(),
        }],
    };
    let view_at = (program.lat, program.lon, 15_u8);
    // The town's name before the street: an address alone may not say which town.
    let address = program.address.clone();
    let municipality_id = program.municipality_id;
    let names = LocalResource::new(crate::api::municipalities);
    let municipality = Signal::derive(move || match names.get() {
        Some(Ok(all)) => all.into_iter().find(|m| m.id == municipality_id).map(|m| m.name),
        _ => None,
    });
    // Without the region's tile server a map is one dot on grey: the address
    // and the phone's own map app serve better.
    let region = use_region();
    let tiles = move || region.get().and_then(Result::ok).is_some_and(|r| !r.map_tile_url.trim().is_empty());
    view! {
            <h2>"Контакты"</h2>
            <dl class="summary">
                {(!contacts.name.is_empty())
                    .then(|| {
                        view! {
                            <dt>"Контактное лицо"</dt>
                            <dd>{contacts.name.clone()}</dd>
                        }
                    })}
                {(!contacts.phone.is_empty())
                    .then(|| {
                        view! {
                            <dt>"Телефон"</dt>
                            <dd>
                                <a class="contact-phone" href=phone_href(&contacts.phone)>
                                    {phone_text(&contacts.phone)}
                                </a>
                            </dd>
                        }
                    })}
                {(!contacts.email.is_empty())
                    .then(|| {
                        view! {
                            <dt>"Электронная почта"</dt>
                            <dd>
                                <a class="contact-email" href=format!("mailto:{}", contacts.email)>
                                    {contacts.email.clone()}
                                </a>
                            </dd>
                        }
                    })}
                <dt>"Адрес занятий"</dt>
                <dd class="program-address">
                    {move || {
                        municipality
                            .get()
                            .map(|name| format!("{name}, {address}"))
                            .unwrap_or_else(|| address.clone())
                    }}
                    {located
                        .then(|| {
                            view! {
                                " "
                                <a class="geo-link" href=format!("geo:{},{}", program.lat, program.lon)>
                                    "Открыть в картах телефона"
                                </a>
                            }
                        })}
                </dd>
                <dt>"Организация"</dt>
                <dd>
                    <a href=format!("/organizations/{}", program.organization.id)>{program.organization.name.clone()}</a>
                </dd>
            </dl>
            {located
                .then(|| {
                    view! {
                        <Show when=move || visible.get() && tiles()>
                            <CatalogMap
                                id="program-map"
                                label="Место занятий на карте"
                                markers=Signal::stored(vec![marker.clone()])
                                view=view_at
                                class="map map-small"
                            />
                        </Show>
                    }
                })}
    }
}

#[cfg(test)]
mod tests {
    use super::Tab;

    #[test]
    fn a_link_opens_the_tab_of_its_key_and_end_is_the_reviews() {
        assert_eq!(Tab::parse("reviews"), Some(Tab::Reviews));
        assert_eq!(Tab::parse("contacts"), Some(Tab::Contacts));
        assert_eq!(Tab::parse("other"), None);
        assert_eq!(Tab::LAST, Tab::Reviews);
        assert_eq!(Tab::Reviews.step(1), Tab::Description);
        assert_eq!(Tab::Description.step(-1), Tab::Reviews);
    }
}
