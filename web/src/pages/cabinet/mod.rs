//! The organization's cabinet: its programs, a program with its modules and
//! groups, sending to moderation and taking out of the catalog; its
//! applications, the month's register, the payments it asks for, the
//! reviews of its programs with its answers, and its events.

mod event_form;
mod events;
mod groups;
mod inbox;
mod modules;
mod payments;
mod program_form;
mod register;
mod reviews;
pub(crate) mod widgets;

use leptos::prelude::*;
use navigator_shared::catalog::ProgramsListQuery;
use navigator_shared::catalog::{ProgramCard, ProgramStatus};

pub use self::event_form::CabinetEvent;
pub use self::events::CabinetEvents;
pub(crate) use self::groups::GroupSummary;
use self::groups::GroupsSection;
use self::inbox::CabinetNav;
pub use self::inbox::Inbox;
use self::modules::ModulesSection;
pub use self::payments::CabinetPayments;
pub(crate) use self::payments::{DownloadLink, InvoiceLines, RequestFiles, payment_badge};
use self::program_form::ProgramForm;
pub use self::register::MonthRegister;
pub(crate) use self::register::month_text;
pub use self::reviews::CabinetReviews;
use self::widgets::{FilterSelect, LIST_PER_PAGE, code_options, confirm, paged_list, record_page};
use crate::api::{catalog, use_session};
use crate::components::{FormError, FormStatus};
use crate::dates;

/// `<span class="program-status status-CODE">`.
pub(crate) fn status_badge(status: ProgramStatus) -> impl IntoView {
    view! { <span class=format!("program-status status-{}", status.as_str())>{status.title()}</span> }
}

/// `/cabinet`: the organization's programs by status.
#[component]
pub fn Cabinet() -> impl IntoView {
    let session = use_session();
    let status = RwSignal::new(String::new());
    let page = RwSignal::new(1_i64);
    let list = LocalResource::new(move || {
        let query = ProgramsListQuery {
            status: ProgramStatus::parse(&status.get()),
            page: Some(page.get()),
            per_page: Some(LIST_PER_PAGE),
        };
        async move { catalog::cabinet_programs(session, &query).await }
    });
    let statuses = code_options(ProgramStatus::ALL, ProgramStatus::as_str, ProgramStatus::title);
    let results = move || {
        paged_list(
            list.get(),
            page,
            ("Программ", "program-list"),
            || {
                view! {
                    <p class="empty-state">
                        {if status.with(String::is_empty) {
                            "Программ пока нет. Создайте первую — после проверки оператором она появится в каталоге."
                        } else {
                            "Программ с таким статусом нет."
                        }}
                    </p>
                }
                .into_any()
            },
            |card| view! { <CabinetItem card=card /> }.into_any(),
        )
    };
    view! {
        <div class="page page-wide">
            <CabinetNav current="/cabinet" />
            <div class="page-head">
                <h1>"Программы организации"</h1>
                <a id="new-program-link" class="button" href="/cabinet/programs/new">
                    "Новая программа"
                </a>
            </div>
            <section class="card filters">
                <FilterSelect
                    name="status"
                    label="Статус"
                    value=status
                    options=statuses
                    all="Все статусы"
                    on_change=Callback::new(move |()| page.set(1))
                />
            </section>
            {results}
        </div>
    }
}

/// One program of the cabinet's list.
#[component]
fn CabinetItem(card: ProgramCard) -> impl IntoView {
    let s = card.summary;
    view! {
        <article class="cabinet-program list-item" data-program-id=s.id>
            <h2 class="item-title">
                <a href=format!("/cabinet/programs/{}", s.id)>{s.title}</a>
            </h2>
            <p class="item-meta">
                {status_badge(card.status)}
                <span>{format!("{}, {}–{} лет", s.direction.title(), s.age_min, s.age_max)}</span>
                <span class="muted">{format!("Изменена {}", dates::day(s.updated_at))}</span>
            </p>
            <p class="muted">{format!("Модулей: {}, групп: {}", card.modules.len(), card.groups.len())}</p>
        </article>
    }
}

/// `/cabinet/programs/new`.
#[component]
pub fn NewProgram() -> impl IntoView {
    view! {
        <div class="page">
            <p class="back-link">
                <a href="/cabinet">"← К программам"</a>
            </p>
            <h1>"Новая программа"</h1>
            <p class="hint">
                "Сначала сохраните программу, затем добавьте модули и группы с расписанием и отправьте её на модерацию."
            </p>
            <section class="card">
                <ProgramForm />
            </section>
        </div>
    }
}

/// `/cabinet/programs/{id}`.
#[component]
pub fn CabinetProgram() -> impl IntoView {
    record_page(
        ("/cabinet", "← К программам"),
        "Программа не найдена",
        catalog::cabinet_program,
        |record| view! { <ProgramRecord card=RwSignal::new(record) /> }.into_any(),
    )
}

/// A loaded program: its status, the operator's comment, the steps, the form and the parts.
#[component]
fn ProgramRecord(card: RwSignal<ProgramCard>) -> impl IntoView {
    let status = Memo::new(move |_| card.with(|c| c.status));
    let comment = move || {
        card.with(|c| (c.status == ProgramStatus::Returned).then(|| c.moderation_comment.clone()).flatten())
            .filter(|comment| !comment.trim().is_empty())
    };
    view! {
        <h1 class="program-title">{move || card.with(|c| c.summary.title.clone())}</h1>
        <section class="card program-state">
            <p>"Статус: " {move || status_badge(status.get())}</p>
            {move || {
                comment()
                    .map(|comment| {
                        view! {
                            <div class="moderation-note">
                                <p class="muted">"Комментарий оператора:"</p>
                                <p class="moderation-comment">{comment}</p>
                            </div>
                        }
                    })
            }}
            {move || {
                (status.get() == ProgramStatus::Published)
                    .then(|| {
                        let id = card.with_untracked(|c| c.summary.id);
                        view! {
                            <p>
                                <a id="public-card-link" href=format!("/programs/{id}")>
                                    "Открыть карточку в каталоге"
                                </a>
                            </p>
                        }
                    })
            }}
            <ProgramSteps card=card />
        </section>
        <section class="card">
            <h2>"Описание программы"</h2>
            <ProgramForm record=card />
        </section>
        <ModulesSection card=card />
        <GroupsSection card=card />
    }
}

/// «Отправить на модерацию» and «Снять с публикации», with the API's refusal.
#[component]
fn ProgramSteps(card: RwSignal<ProgramCard>) -> impl IntoView {
    let session = use_session();
    let form = FormStatus::new();
    let step = form.action(
        move |(id, step): (i64, &'static str)| async move { catalog::program_step(session, id, step).await },
        move |updated: ProgramCard| {
            let message = match updated.status {
                ProgramStatus::Moderation => "Программа отправлена на модерацию.",
                ProgramStatus::Archived => "Программа снята с публикации.",
                _ => "Готово.",
            };
            card.set(updated);
            form.done(message);
        },
    );
    let pending = step.pending();
    let status = Memo::new(move |_| card.with(|c| c.status));
    let status = move || status.get();
    let id = move || card.with_untracked(|c| c.summary.id);
    view! {
        <FormError status=form />
        <div class="actions">
            <Show when=move || matches!(status(), ProgramStatus::Draft | ProgramStatus::Returned)>
                <button
                    type="button"
                    id="submit-program"
                    class="button"
                    disabled=move || pending.get()
                    on:click=move |_| {
                        form.clear();
                        step.dispatch_local((id(), "submit"));
                    }
                >
                    "Отправить на модерацию"
                </button>
            </Show>
            <Show when=move || status() == ProgramStatus::Published>
                <button
                    type="button"
                    id="archive-program"
                    class="button button-secondary"
                    disabled=move || pending.get()
                    on:click=move |_| {
                        if confirm("Снять программу с публикации? Она пропадёт из каталога и попадёт в архив.") {
                            form.clear();
                            step.dispatch_local((id(), "archive"));
                        }
                    }
                >
                    "Снять с публикации"
                </button>
            </Show>
        </div>
        <Show when=move || status() == ProgramStatus::Draft>
            <p class="hint">"Перед отправкой добавьте хотя бы одну группу с расписанием."</p>
        </Show>
    }
}
