//! The router, the session context and the page frame.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_split::{SplitLoaderError, wasm_split};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_navigate;
use leptos_router::{NavigateOptions, path};
use navigator_shared::Problem;
use navigator_shared::reference::RegionSettings;

use crate::api::{self, Session};
use crate::components::{Footer, Header, RequireAuth};
use crate::pages;

pub const SITE_NAME: &str = "Навигатор дополнительного образования";

/// The region this installation serves, loaded once for every page.
#[derive(Clone, Copy)]
pub struct Region(LocalResource<Result<RegionSettings, Problem>>);

pub fn use_region() -> LocalResource<Result<RegionSettings, Problem>> {
    expect_context::<Region>().0
}

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Shell />
        </Router>
    }
}

/// Everything inside the router: the session (it needs navigation to send an
/// expired session to the sign-in page), the header and the pages.
#[component]
fn Shell() -> impl IntoView {
    let navigate = use_navigate();
    let session = Session::new(move || navigate("/login", NavigateOptions::default()));
    provide_context(session);
    provide_context(Region(LocalResource::new(api::region)));
    spawn_local(api::restore(session));

    view! {
        <a class="skip-link" href="#main">
            "Перейти к содержанию"
        </a>
        <Header />
        <main id="main" class="container">
            <Routes fallback=|| view! { <pages::NotFound /> }>
                <Route path=path!("/") view=pages::Home />
                <Route path=path!("/catalog") view=pages::Catalog />
                <Route path=path!("/programs/:id") view=later(PublicPage::PublicProgram) />
                <Route path=path!("/organizations/:id") view=later(PublicPage::PublicOrganization) />
                <Route path=path!("/events") view=later(PublicPage::EventsCalendar) />
                <Route path=path!("/events/:id") view=later(PublicPage::EventPage) />
                <Route path=path!("/register") view=later(PublicPage::Register) />
                <Route path=path!("/confirm-email") view=later(PublicPage::ConfirmEmail) />
                <Route path=path!("/spot-alerts/unsubscribe") view=later(PublicPage::SpotAlertUnsubscribe) />
                <Route path=path!("/login") view=later(PublicPage::Login) />
                <Route path=path!("/logout") view=pages::Logout />
                <Route path=path!("/password-reset") view=later(PublicPage::PasswordReset) />
                <Route path=path!("/password-reset/confirm") view=later(PublicPage::PasswordResetConfirm) />
                <Route path=path!("/profile") view=family(FamilyPage::Profile) />
                <Route path=path!("/messages") view=family(FamilyPage::Messages) />
                <Route path=path!("/children") view=family(FamilyPage::Children) />
                <Route path=path!("/children/new") view=family(FamilyPage::NewChild) />
                <Route path=path!("/children/:id") view=family(FamilyPage::EditChild) />
                <Route path=path!("/children/:id/certificate") view=family(FamilyPage::CertificateMoney) />
                <Route path=path!("/children/:id/guardians") view=family(FamilyPage::ChildGuardians) />
                <Route path=path!("/guardians/accept") view=later(PublicPage::AcceptGuardian) />
                <Route path=path!("/applications") view=family(FamilyPage::MyApplications) />
                <Route path=path!("/contracts/:id") view=family(FamilyPage::ContractPage) />
                <Route path=path!("/activation-points") view=later(PublicPage::ActivationPoints) />
                <Route path=path!("/desk") view=staff(StaffPage::Desk) />
                <Route path=path!("/desk/new-family") view=staff(StaffPage::NewFamily) />
                <Route path=path!("/desk/:number") view=staff(StaffPage::DeskRecord) />
                <Route path=path!("/registry") view=staff(StaffPage::Registry) />
                <Route path=path!("/registry/duplicates") view=staff(StaffPage::Duplicates) />
                <Route path=path!("/registry/:number") view=staff(StaffPage::RegistryRecord) />
                <Route path=path!("/calendar") view=staff(StaffPage::Calendar) />
                <Route path=path!("/operators") view=staff(StaffPage::Operators) />
                <Route path=path!("/region-settings") view=staff(StaffPage::RegionSettingsPage) />
                <Route path=path!("/municipalities") view=staff(StaffPage::Municipalities) />
                <Route path=path!("/funding-periods") view=staff(StaffPage::FundingPeriods) />
                <Route path=path!("/funding-requests") view=staff(StaffPage::FundingQueue) />
                <Route path=path!("/payments") view=staff(StaffPage::PaymentsQueue) />
                <Route path=path!("/stats") view=staff(StaffPage::StatsDashboard) />
                <Route path=path!("/stats/form-1dop") view=staff(StaffPage::Form1Dop) />
                <Route path=path!("/integrations") view=staff(StaffPage::Integrations) />
                <Route path=path!("/cabinet") view=staff(StaffPage::Cabinet) />
                <Route path=path!("/cabinet/applications") view=staff(StaffPage::Inbox) />
                <Route path=path!("/cabinet/register") view=staff(StaffPage::MonthRegister) />
                <Route path=path!("/cabinet/payments") view=staff(StaffPage::CabinetPayments) />
                <Route path=path!("/cabinet/reviews") view=staff(StaffPage::CabinetReviews) />
                <Route path=path!("/cabinet/events") view=staff(StaffPage::CabinetEvents) />
                <Route path=path!("/cabinet/events/new") view=staff(StaffPage::CabinetEvent) />
                <Route path=path!("/cabinet/events/:id") view=staff(StaffPage::CabinetEvent) />
                <Route path=path!("/cabinet/programs/new") view=staff(StaffPage::NewProgram) />
                <Route path=path!("/cabinet/programs/:id") view=staff(StaffPage::CabinetProgram) />
                <Route path=path!("/moderation") view=staff(StaffPage::Moderation) />
                <Route path=path!("/moderation/reviews") view=staff(StaffPage::ModerationReviews) />
                <Route path=path!("/moderation/events") view=staff(StaffPage::ModerationEvents) />
                <Route path=path!("/moderation/:id") view=staff(StaffPage::ModerationProgram) />
                <Route path=path!("/organizations-registry") view=staff(StaffPage::OrganizationsRegistry) />
                <Route path=path!("/organizations-registry/new") view=staff(StaffPage::NewOrganization) />
                <Route path=path!("/organizations-registry/:id") view=staff(StaffPage::OrganizationRecordPage) />
            </Routes>
        </main>
        <Footer />
    }
}

/// A page whose code comes from a chunk of the web client fetched the first
/// time a page of that chunk is opened (`load`): the first load of `/` and
/// `/catalog` carries only the home page, the catalog and the frame. A chunk
/// that does not arrive (the phone lost its network) is said so, with a
/// button that asks for it again.
fn lazily<F>(load: impl Fn() -> F + Copy + Send + Sync + 'static) -> impl Fn() -> AnyView + Copy + Send + Sync + 'static
where
    F: Future<Output = Result<AnyView, ChunkMissing>> + Send + 'static,
{
    move || {
        let attempt = RwSignal::new(0_u32);
        let page = move || {
            attempt.track();
            Suspend::new(async move {
                match load().await {
                    Ok(page) => page,
                    Err(ChunkMissing) => view! {
                        <div class="form-error" role="alert">
                            <p>"Страница не загрузилась: проверьте подключение к интернету."</p>
                            <button
                                type="button"
                                class="button button-secondary"
                                on:click=move |_| attempt.update(|n| *n += 1)
                            >
                                "Повторить"
                            </button>
                        </div>
                    }
                    .into_any(),
                }
            })
        };
        view! { <Suspense fallback=|| view! { <p class="loading" role="status">"Загрузка…"</p> }>{page}</Suspense> }
            .into_any()
    }
}

/// A chunk of the web client could not be fetched.
struct ChunkMissing;

impl From<SplitLoaderError> for ChunkMissing {
    fn from(_: SplitLoaderError) -> Self {
        ChunkMissing
    }
}

/// A page only a signed-in user may see: anyone else is sent to `/login`.
fn signed_in(
    page: impl Fn() -> AnyView + Copy + Send + Sync + 'static,
) -> impl Fn() -> AnyView + Clone + Send + 'static {
    move || view! { <RequireAuth>{page()}</RequireAuth> }.into_any()
}

/// A chunk of the client: the enum naming its pages and the split function
/// that builds one of them (wasm-split cuts the wasm at it), each page
/// listed once.
macro_rules! chunk {
    ($(#[$doc:meta])* $name:ident, $split:ident, [$($page:ident),+ $(,)?]) => {
        $(#[$doc])*
        #[derive(Clone, Copy)]
        enum $name {
            $($page),+
        }

        #[wasm_split($split, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn $split(page: $name) -> Result<AnyView, ChunkMissing> {
            Ok(match page {
                $($name::$page => pages::$page().into_any()),+
            })
        }
    };
}

chunk!(
    /// The public pages past the home page and the catalog list: the program
    /// card, the organization, the events' calendar and card, the activation
    /// points, signing in and registering.
    PublicPage,
    public_page,
    [
        PublicProgram,
        PublicOrganization,
        EventsCalendar,
        EventPage,
        ActivationPoints,
        Register,
        ConfirmEmail,
        SpotAlertUnsubscribe,
        AcceptGuardian,
        Login,
        PasswordReset,
        PasswordResetConfirm,
    ]
);

fn later(page: PublicPage) -> impl Fn() -> AnyView + Copy + Send + Sync + 'static {
    lazily(move || public_page(page))
}

chunk!(
    /// The family's own pages: profile, children, certificates, applications.
    FamilyPage,
    family_page,
    [
        Profile,
        Messages,
        Children,
        NewChild,
        EditChild,
        CertificateMoney,
        ChildGuardians,
        MyApplications,
        ContractPage,
    ]
);

fn family(page: FamilyPage) -> impl Fn() -> AnyView + Clone + Send + 'static {
    signed_in(lazily(move || family_page(page)))
}

chunk!(
    /// The staff sections: activation desk, registry, organization cabinet
    /// with its events, moderation, funding, paying providers, statistics,
    /// calendar, region settings and integrations.
    StaffPage,
    staff_page,
    [
        Desk,
        NewFamily,
        DeskRecord,
        Registry,
        RegistryRecord,
        Duplicates,
        Calendar,
        Operators,
        RegionSettingsPage,
        Municipalities,
        FundingPeriods,
        FundingQueue,
        PaymentsQueue,
        StatsDashboard,
        Form1Dop,
        Integrations,
        Cabinet,
        Inbox,
        MonthRegister,
        CabinetPayments,
        CabinetReviews,
        CabinetEvents,
        CabinetEvent,
        NewProgram,
        CabinetProgram,
        Moderation,
        ModerationProgram,
        ModerationReviews,
        ModerationEvents,
        OrganizationsRegistry,
        NewOrganization,
        OrganizationRecordPage,
    ]
);

fn staff(page: StaffPage) -> impl Fn() -> AnyView + Clone + Send + 'static {
    signed_in(lazily(move || staff_page(page)))
}
