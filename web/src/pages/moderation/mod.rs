//! Moderation of programs, events and reviews by the operator, and the organizations registry.

mod events;
mod organizations;
mod reviews;

pub use events::ModerationEvents;
pub use organizations::{NewOrganization, OrganizationRecordPage, OrganizationsRegistry};
pub use reviews::ModerationReviews;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use navigator_shared::catalog::ProgramsListQuery;
use navigator_shared::catalog::{CostType, ProgramCard, ProgramStatus, PublishRequest, ReturnRequest, effective_cost};
use navigator_shared::funding::FundingKind;

use super::cabinet::widgets::{
    FilterSelect, LIST_PER_PAGE, Municipalities, code_options, confirm, paged_list, record_page, rubles,
};
use super::cabinet::{GroupSummary, status_badge};
use crate::api::{catalog, use_session};
use crate::components::{FormError, FormStatus, Notice, TextAreaField};
use crate::dates;

/// `/moderation`: programs waiting for the operator (or in another status).
#[component]
pub fn Moderation() -> impl IntoView {
    let session = use_session();
    let municipalities = Municipalities::load();
    let status = RwSignal::new(ProgramStatus::Moderation.as_str().to_owned());
    let page = RwSignal::new(1_i64);
    let list = LocalResource::new(move || {
        let query = ProgramsListQuery {
            status: ProgramStatus::parse(&status.get()),
            page: Some(page.get()),
            per_page: Some(LIST_PER_PAGE),
        };
        async move { catalog::moderation(session, &query).await }
    });
    let statuses: Vec<(String, String)> = code_options(ProgramStatus::ALL, ProgramStatus::as_str, ProgramStatus::title)
        .into_iter()
        .filter(|(code, _)| code != ProgramStatus::Draft.as_str())
        .collect();
    let results = move || {
        paged_list(
            list.get(),
            page,
            ("Программ", "program-list"),
            || view! { <p class="empty-state">"Программ в этом статусе нет."</p> }.into_any(),
            |card| view! { <ModerationItem card=card municipalities=municipalities /> }.into_any(),
        )
    };
    view! {
        <div class="page page-wide">
            <div class="page-head">
                <h1>"Модерация программ"</h1>
                <div class="actions page-head-actions">
                    <a id="moderation-events-page-link" class="button button-secondary" href="/moderation/events">
                        "Мероприятия на модерации"
                    </a>
                    <a id="moderation-reviews-page-link" class="button button-secondary" href="/moderation/reviews">
                        "Отзывы и жалобы"
                    </a>
                </div>
            </div>
            <section class="card filters">
                <FilterSelect
                    name="status"
                    label="Статус"
                    value=status
                    options=statuses
                    on_change=Callback::new(move |()| page.set(1))
                />
            </section>
            {results}
        </div>
    }
}

#[component]
fn ModerationItem(card: ProgramCard, municipalities: Municipalities) -> impl IntoView {
    let s = card.summary;
    let municipality_id = s.municipality_id;
    let date_label = if card.status == ProgramStatus::Moderation { "Отправлена" } else { "Изменена" };
    view! {
        <article class="moderation-item list-item" data-program-id=s.id>
            <h2 class="item-title">
                <a href=format!("/moderation/{}", s.id)>{s.title}</a>
            </h2>
            <p class="item-meta">
                {status_badge(card.status)}
                <span class="item-organization">{s.organization.name}</span>
            </p>
            <p class="item-meta muted">
                <span class="item-municipality">{move || municipalities.name(municipality_id)}</span>
                <span class="item-date">{format!("{date_label} {}", dates::day(s.updated_at))}</span>
            </p>
        </article>
    }
}

/// `/moderation/{id}`: the program in full and the operator's decision.
#[component]
pub fn ModerationProgram() -> impl IntoView {
    record_page(
        ("/moderation", "← К очереди модерации"),
        "Программа не найдена",
        catalog::moderation_program,
        |record| view! { <ModeratedProgram card=RwSignal::new(record) /> }.into_any(),
    )
}

#[component]
fn ModeratedProgram(card: RwSignal<ProgramCard>) -> impl IntoView {
    // Only a change of status replaces the decision controls (and their messages).
    let status = Memo::new(move |_| card.with(|c| c.status));
    let municipalities = Municipalities::load();
    // The outcome of the last decision, with the way back to the queue.
    let decided = RwSignal::new(None::<&'static str>);
    view! {
        <h1 class="program-title">{move || card.with(|c| c.summary.title.clone())}</h1>
        <section class="card program-state">
            <p>"Статус: " {move || status_badge(status.get())}</p>
            {move || {
                decided
                    .get()
                    .map(|message| {
                        view! {
                            <Notice>
                                <p class="decision-outcome">{message}</p>
                                <p>
                                    <a id="back-to-queue" href="/moderation">
                                        "Вернуться к очереди"
                                    </a>
                                </p>
                            </Notice>
                        }
                    })
            }}
            {move || match status.get() {
                ProgramStatus::Moderation => view! { <Decision card=card decided=decided /> }.into_any(),
                ProgramStatus::Published => view! { <PublishedControls card=card decided=decided /> }.into_any(),
                ProgramStatus::Returned => {
                    let comment = card.with_untracked(|c| c.moderation_comment.clone()).unwrap_or_default();
                    view! {
                        <p class="muted">"Комментарий оператора:"</p>
                        <p class="moderation-comment">{comment}</p>
                    }
                    .into_any()
                }
                _ => ().into_any(),
            }}
        </section>
        {move || view! { <ProgramDetails card=card.get() municipalities=municipalities /> }}
    }
}

/// Which certificate pays a certified program.
fn funding_options() -> Vec<(String, String)> {
    code_options(FundingKind::ALL, FundingKind::as_str, FundingKind::title)
}

/// Publishing (with or without the certificate mark) or returning with a comment.
#[component]
fn Decision(card: RwSignal<ProgramCard>, decided: RwSignal<Option<&'static str>>) -> impl IntoView {
    let session = use_session();
    // Starts as the organization asked: a program stated as paid by certificate comes checked.
    let certified =
        RwSignal::new(card.with_untracked(|c| c.summary.certified || c.summary.cost_type == CostType::Certificate));
    let funding = RwSignal::new(card.with_untracked(|c| c.funding.as_str().to_owned()));
    let publish_status = FormStatus::new();
    let publish = publish_status.action(
        move |(id, request): (i64, PublishRequest)| async move { catalog::publish(session, id, &request).await },
        move |updated: ProgramCard| {
            card.set(updated);
            decided.set(Some("Программа опубликована."));
        },
    );
    let comment = RwSignal::new(String::new());
    let return_status = FormStatus::new();
    let send_back = return_status.action(
        move |(id, request): (i64, ReturnRequest)| async move { catalog::return_program(session, id, &request).await },
        move |updated: ProgramCard| {
            card.set(updated);
            decided.set(Some("Программа возвращена на доработку."));
        },
    );
    let id = move || card.with_untracked(|c| c.summary.id);
    let stated = card.with_untracked(|c| c.summary.cost_type);
    let on_return = move |ev: SubmitEvent| {
        ev.prevent_default();
        let request = ReturnRequest { comment: comment.get_untracked() };
        return_status.submit(send_back, (id(), request), |(_, request)| request.validate());
    };
    let publishing = publish.pending();
    let returning = send_back.pending();
    view! {
        <div class="decision">
            <h2>"Решение"</h2>
            <p class="muted">{format!("Оплата по заявке организации: {}", stated.title())}</p>
            <FormError status=publish_status />
            <div class="field checkbox-field">
                <label class="checkbox" for="certified">
                    <input
                        type="checkbox"
                        id="certified"
                        name="certified"
                        prop:checked=move || certified.get()
                        on:change=move |ev| certified.set(event_target_checked(&ev))
                    />
                    <span>"Доступна оплата сертификатом"</span>
                </label>
            </div>
            <Show when=move || certified.get()>
                <FilterSelect name="funding" label="Каким сертификатом" value=funding options=funding_options() />
            </Show>
            <button
                type="button"
                id="publish-program"
                class="button"
                disabled=move || publishing.get()
                on:click=move |_| {
                    publish_status.clear();
                    publish.dispatch_local((id(), PublishRequest { certified: certified.get_untracked(), funding: FundingKind::parse(&funding.get_untracked()) }));
                }
            >
                {move || if publishing.get() { "Публикуем…" } else { "Опубликовать" }}
            </button>
            <form id="return-form" class="form return-form" novalidate=true on:submit=on_return>
                <FormError status=return_status />
                <TextAreaField
                    name="comment"
                    label="Что исправить"
                    value=comment
                    errors=return_status.errors
                    hint="Комментарий увидит организация"
                    required=true
                />
                <button
                    type="submit"
                    id="return-program"
                    class="button button-secondary"
                    disabled=move || returning.get()
                >
                    "Вернуть на доработку"
                </button>
            </form>
        </div>
    }
}

/// A published program: the certificate mark (saved at once) and taking it out of the catalog.
#[component]
fn PublishedControls(card: RwSignal<ProgramCard>, decided: RwSignal<Option<&'static str>>) -> impl IntoView {
    let session = use_session();
    let form = FormStatus::new();
    let certify = form.action(
        move |(id, request): (i64, PublishRequest)| async move { catalog::set_certified(session, id, &request).await },
        move |updated: ProgramCard| {
            let message = if updated.summary.certified {
                "Отметка сохранена: доступна оплата сертификатом."
            } else {
                "Отметка снята: оплата сертификатом недоступна."
            };
            card.set(updated);
            form.done(message);
        },
    );
    let archive = form.action(
        move |id: i64| async move { catalog::moderation_archive(session, id).await },
        move |updated: ProgramCard| {
            card.set(updated);
            decided.set(Some("Программа снята с публикации."));
        },
    );
    let id = move || card.with_untracked(|c| c.summary.id);
    let funding = RwSignal::new(card.with_untracked(|c| c.funding.as_str().to_owned()));
    let (certifying, archiving) = (certify.pending(), archive.pending());
    let busy = move || certifying.get() || archiving.get();
    view! {
        <div class="decision">
            <FormError status=form />
            <div class="field checkbox-field">
                <label class="checkbox" for="certified">
                    <input
                        type="checkbox"
                        id="certified"
                        name="certified"
                        disabled=busy
                        prop:checked=move || card.with(|c| c.summary.certified)
                        on:change=move |ev| {
                            form.clear();
                            certify.dispatch_local((id(), PublishRequest { certified: event_target_checked(&ev), funding: Some(card.with_untracked(|c| c.funding)) }));
                        }
                    />
                    <span>"Доступна оплата сертификатом"</span>
                </label>
                <p class="hint">"Изменение сохраняется сразу."</p>
            </div>
            <Show when=move || card.with(|c| c.summary.certified)>
                <FilterSelect
                    name="funding"
                    label="Каким сертификатом"
                    value=funding
                    options=funding_options()
                    on_change=Callback::new(move |()| {
                        form.clear();
                        let request = PublishRequest { certified: true, funding: FundingKind::parse(&funding.get_untracked()) };
                        certify.dispatch_local((id(), request));
                    })
                />
            </Show>
            <button
                type="button"
                id="archive-program"
                class="button button-secondary"
                disabled=busy
                on:click=move |_| {
                    if confirm("Снять программу с публикации? Она пропадёт из каталога и попадёт в архив.") {
                        form.clear();
                        archive.dispatch_local(id());
                    }
                }
            >
                "Снять с публикации"
            </button>
        </div>
    }
}

/// Everything the organization wrote, read-only.
#[component]
fn ProgramDetails(card: ProgramCard, municipalities: Municipalities) -> impl IntoView {
    let s = card.summary;
    let municipality_id = s.municipality_id;
    let cost = effective_cost(s.cost_type, s.certified);
    let org = card.organization_details;
    let teachers = if card.teachers.is_empty() { "—".to_owned() } else { card.teachers.join(", ") };
    let contacts = [card.contacts.name, card.contacts.phone, card.contacts.email]
        .into_iter()
        .filter(|part| !part.trim().is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let modules = if card.modules.is_empty() {
        view! { <p class="empty-state">"Модулей нет."</p> }.into_any()
    } else {
        let rows = card
            .modules
            .into_iter()
            .map(|m| {
                view! {
                    <tr data-module-id=m.id>
                        <td>{m.name}</td>
                        <td>{format!("{} ч", m.hours)}</td>
                        <td class="module-price">{rubles(m.price)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll" tabindex="0" role="region" aria-label="Таблица, прокручивается в сторону">
                <table class="modules-table">
                    <thead>
                        <tr>
                            <th>"Модуль"</th>
                            <th>"Часов"</th>
                            <th class="module-price">"Стоимость"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let groups = if card.groups.is_empty() {
        view! { <p class="empty-state">"Групп нет."</p> }.into_any()
    } else {
        card.groups
            .into_iter()
            .map(|group| {
                let id = group.id;
                view! {
                    <article class="group-row" data-group-id=id>
                        <div class="row-text">
                            <GroupSummary group=group />
                        </div>
                    </article>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <section class="card program-details">
            <h2>"Программа"</h2>
            <dl class="summary">
                <dt>"Организация"</dt>
                <dd class="program-organization">{format!("{} (ИНН {})", org.name, org.inn)}</dd>
                <dt>"Направленность"</dt>
                <dd>{s.direction.title()}</dd>
                <dt>"Профиль"</dt>
                <dd>{s.profile}</dd>
                <dt>"Уровень"</dt>
                <dd>{s.level.title()}</dd>
                <dt>"Возраст"</dt>
                <dd class="program-ages">{format!("{}–{} лет", s.age_min, s.age_max)}</dd>
                <dt>"Продолжительность"</dt>
                <dd>{format!("{} мес.", card.duration_months)}</dd>
                <dt>"Оплата"</dt>
                <dd class="program-cost">
                    {format!("{} (заявлено: {})", cost.title(), s.cost_type.title().to_lowercase())}
                </dd>
                <dt>"Муниципалитет"</dt>
                <dd>{move || municipalities.name(municipality_id)}</dd>
                <dt>"Адрес"</dt>
                <dd>{format!("{} ({:.5}, {:.5})", s.address, s.lat, s.lon)}</dd>
                <dt>"Педагоги"</dt>
                <dd>{teachers}</dd>
                <dt>"Контакты"</dt>
                <dd class="program-contacts">{contacts}</dd>
                <dt>"Дети с ОВЗ"</dt>
                <dd>{if s.disability_friendly { "Подходит" } else { "Не указано" }}</dd>
            </dl>
            <h3>"Описание"</h3>
            <p class="program-description">{card.description}</p>
            {(!card.goals.trim().is_empty())
                .then(|| {
                    view! {
                        <h3>"Цели и задачи"</h3>
                        <p class="program-goals">{card.goals}</p>
                    }
                })}
        </section>
        <section class="card">
            <h2>"Модули"</h2>
            {modules}
        </section>
        <section class="card">
            <h2>"Группы"</h2>
            <div class="part-list">{groups}</div>
        </section>
    }
}
