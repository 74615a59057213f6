//! The router, the session context and the page frame.

use leptos::prelude::*;
use leptos::task::spawn_local;
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
                <Route path=path!("/programs/:id") view=pages::PublicProgram />
                <Route path=path!("/organizations/:id") view=pages::PublicOrganization />
                <Route path=path!("/register") view=pages::Register />
                <Route path=path!("/confirm-email") view=pages::ConfirmEmail />
                <Route path=path!("/login") view=pages::Login />
                <Route path=path!("/logout") view=pages::Logout />
                <Route path=path!("/password-reset") view=pages::PasswordReset />
                <Route path=path!("/password-reset/confirm") view=pages::PasswordResetConfirm />
                <Route path=path!("/profile") view=signed_in(pages::Profile) />
                <Route path=path!("/messages") view=signed_in(pages::Messages) />
                <Route path=path!("/children") view=signed_in(pages::Children) />
                <Route path=path!("/children/new") view=signed_in(pages::NewChild) />
                <Route path=path!("/children/:id") view=signed_in(pages::EditChild) />
                <Route path=path!("/children/:id/certificate") view=signed_in(pages::CertificateMoney) />
                <Route path=path!("/applications") view=signed_in(pages::MyApplications) />
                <Route path=path!("/contracts/:id") view=signed_in(pages::ContractPage) />
                <Route path=path!("/activation-points") view=pages::ActivationPoints />
                <Route path=path!("/desk") view=signed_in(pages::Desk) />
                <Route path=path!("/desk/new-family") view=signed_in(pages::NewFamily) />
                <Route path=path!("/desk/:number") view=signed_in(pages::DeskRecord) />
                <Route path=path!("/registry") view=signed_in(pages::Registry) />
                <Route path=path!("/registry/:number") view=signed_in(pages::RegistryRecord) />
                <Route path=path!("/calendar") view=signed_in(pages::Calendar) />
                <Route path=path!("/operators") view=signed_in(pages::Operators) />
                <Route path=path!("/region-settings") view=signed_in(pages::RegionSettingsPage) />
                <Route path=path!("/municipalities") view=signed_in(pages::Municipalities) />
                <Route path=path!("/funding-periods") view=signed_in(pages::FundingPeriods) />
                <Route path=path!("/funding-requests") view=signed_in(pages::FundingQueue) />
                <Route path=path!("/cabinet") view=signed_in(pages::Cabinet) />
                <Route path=path!("/cabinet/applications") view=signed_in(pages::Inbox) />
                <Route path=path!("/cabinet/register") view=signed_in(pages::MonthRegister) />
                <Route path=path!("/cabinet/programs/new") view=signed_in(pages::NewProgram) />
                <Route path=path!("/cabinet/programs/:id") view=signed_in(pages::CabinetProgram) />
                <Route path=path!("/moderation") view=signed_in(pages::Moderation) />
                <Route path=path!("/moderation/:id") view=signed_in(pages::ModerationProgram) />
                <Route path=path!("/organizations-registry") view=signed_in(pages::OrganizationsRegistry) />
                <Route path=path!("/organizations-registry/new") view=signed_in(pages::NewOrganization) />
                <Route path=path!("/organizations-registry/:id") view=signed_in(pages::OrganizationRecordPage) />
            </Routes>
        </main>
        <Footer />
    }
}

/// A page only a signed-in user may see: anyone else is sent to `/login`.
fn signed_in<V: IntoView + 'static>(
    page: impl Fn() -> V + Copy + Send + Sync + 'static,
) -> impl Fn() -> AnyView + Clone + Send + 'static {
    move || view! { <RequireAuth>{page()}</RequireAuth> }.into_any()
}
