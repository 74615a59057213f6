//! Demo data for `make run`: the region, its municipalities and one account
//! per role, all with the password `navigator-demo`. Seeded only into an
//! empty database. Built with the `demo` feature (a default one).

pub mod catalog;
pub mod catalog_content;
mod events;
pub mod families;
pub mod money;
pub mod people;
mod reviews;
mod tables;

use chrono::NaiveDate;
use diesel::prelude::*;
use navigator_shared::accounts::Role;
use navigator_shared::children::Sex;
use navigator_shared::organizations::{OrganizationInput, OrganizationKind};
use navigator_shared::validate::{Email, Inn, Password};

use crate::AppState;
use crate::accounts::service::create_confirmed_account;
use crate::crypto::DataCipher;
use crate::db::DbConn;
use crate::db::schema::users;
use crate::db::write_tx;
use crate::error::ApiError;
use crate::notifications::now;
use crate::organizations::repo::OrganizationData;
use crate::reference::repo as reference;
use crate::{accounts, organizations};
use navigator_shared::children::CertificateStatus;

pub const PASSWORD: &str = "navigator-demo";
pub const REGION: &str = "Смоленская область";

/// Programs of the demo catalog.
pub const DEMO_PROGRAMS: usize = 1_500;

/// Staff of the reception point: it checks documents and registers
/// applications, but neither confirms certificates nor sees the personal data.
pub const RECEPTION: &str = "reception@example.org";

/// Staff of the first provider of the demo catalog.
pub const PROVIDER: &str = "provider@example.org";

/// (email, role, last name, first name, middle name, phone)
pub const ACCOUNTS: [(&str, Role, &str, &str, &str, &str); 6] = [
    ("parent@example.org", Role::Parent, "Иванова", "Мария", "Петровна", "+79101234567"),
    ("staff@example.org", Role::OrgStaff, "Соколова", "Елена", "Викторовна", "+74812300000"),
    (RECEPTION, Role::OrgStaff, "Орлова", "Нина", "Павловна", "+74812300002"),
    (PROVIDER, Role::OrgStaff, "Кравцова", "Анна", "Сергеевна", "+74812300001"),
    ("operator@example.org", Role::Operator, "Смирнов", "Алексей", "Игоревич", "+74812200000"),
    ("admin@example.org", Role::Admin, "Кузнецова", "Ольга", "Сергеевна", "+74812200001"),
];

/// The demo integration client (README): «Госуслуги (демо)» with every
/// scope, its `client_id` and secret. Only in the demo data.
pub const DEMO_CLIENT: (&str, &str) = ("demo-portal", "demo-portal-secret");

fn integration_client(conn: &mut DbConn) -> Result<(), ApiError> {
    use navigator_shared::integrations::ClientScope;
    let scopes: Vec<&str> = ClientScope::ALL.iter().map(|s| s.as_str()).collect();
    let new = crate::integrations::repo::NewClient {
        client_id: DEMO_CLIENT.0,
        name: "Госуслуги (демо)",
        contact: "integrations@example.org",
        scopes: &scopes.join(" "),
        secret_hash: &crate::auth::tokens::hash_token(DEMO_CLIENT.1),
        created_by: None,
    };
    crate::integrations::repo::insert_client(conn, &new, now())?;
    Ok(())
}

/// A child of the demo family, with the status of its certificate.
struct DemoChild {
    last: &'static str,
    first: &'static str,
    middle: &'static str,
    birth: (i32, u32, u32),
    sex: Sex,
    snils: &'static str,
    /// Status and official reason; `None`: no certificate yet.
    certificate: Option<(&'static str, Option<&'static str>)>,
}

const fn kid(
    (last, first, middle): (&'static str, &'static str, &'static str),
    birth: (i32, u32, u32),
    sex: Sex,
    snils: &'static str,
    certificate: Option<(&'static str, Option<&'static str>)>,
) -> DemoChild {
    DemoChild { last, first, middle, birth, sex, snils, certificate }
}

/// One child per certificate status, one whose documents wait for the
/// operator's decision, and one without.
const CHILDREN: [DemoChild; 7] = [
    kid(("Иванов", "Артём", "Сергеевич"), (2015, 3, 14), Sex::Male, "112233401", Some(("active", None))),
    kid(("Иванова", "София", "Сергеевна"), (2017, 9, 2), Sex::Female, "112233402", Some(("pending", None))),
    kid(
        ("Иванов", "Максим", "Сергеевич"),
        (2012, 1, 20),
        Sex::Male,
        "112233403",
        Some(("refused", Some("incomplete_or_false_data"))),
    ),
    kid(("Иванова", "Алиса", "Сергеевна"), (2019, 6, 30), Sex::Female, "112233404", Some(("lapsed", None))),
    kid(
        ("Иванов", "Тимофей", "Сергеевич"),
        (2010, 11, 5),
        Sex::Male,
        "112233405",
        Some(("excluded", Some("moved_out_of_region"))),
    ),
    kid(("Иванова", "Ева", "Сергеевна"), (2020, 2, 11), Sex::Female, "112233406", None),
    kid(("Иванова", "Вера", "Сергеевна"), (2016, 4, 8), Sex::Female, "112233407", Some((AWAITING_DECISION, None))),
];

/// A pending certificate whose documents are complete: in the operator's queue.
const AWAITING_DECISION: &str = "awaiting_decision";

/// How much demo data to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    /// Programs in the catalog.
    pub programs: usize,
    /// Children of the generated families, for the statistics.
    pub children: usize,
}

impl Size {
    /// `make run`'s demo.
    pub const DEMO: Size = Size { programs: DEMO_PROGRAMS, children: DEMO_CHILDREN };

    /// A catalog of `programs` with as many children.
    pub const fn of(programs: usize) -> Size {
        Size { programs, children: programs }
    }
}

/// Children of the generated families in `make run`'s demo.
pub const DEMO_CHILDREN: usize = 2_000;

/// Seeds the demo data of `size` when the database has no accounts yet;
/// `true` when it did.
pub async fn seed_if_empty(state: &AppState, size: Size) -> anyhow::Result<bool> {
    let programs = size.programs;
    let password = Password::parse(PASSWORD).map_err(anyhow::Error::msg)?;
    let hash = state.passwords.hash(&password).await?;
    let cipher = state.cipher.clone();
    let demo_hash = hash.clone();
    let families_hash = hash.clone();
    let seeded = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let accounts: i64 = users::table.count().get_result(conn)?;
                if accounts > 0 {
                    return Ok::<_, ApiError>(None);
                }
                reference::set_region_name(conn, REGION)?;
                let today = crate::clock::today();
                reference::set_academic_year(conn, navigator_shared::reference::academic_year_of(today))?;
                let (existing, _) = reference::municipalities(conn, 1, 1)?;
                let mut first = existing.first().map(|m| m.id);
                if first.is_none() {
                    for m in &tables::tables().geography.municipalities {
                        let id = reference::add_municipality(conn, &m.name, Some([m.lat, m.lon]))?;
                        first.get_or_insert(id);
                    }
                }
                let municipality = first.ok_or_else(|| anyhow::anyhow!("no municipality"))?;
                let school = school(conn, municipality)?;
                let reception = reception(conn, municipality)?;
                let mut parent = None;
                let mut provider = None;
                for (email, role, last, first_name, middle, phone) in ACCOUNTS {
                    let email = Email::parse(email).map_err(anyhow::Error::msg)?;
                    let names = (last, first_name, Some(middle));
                    let id = create_confirmed_account(conn, &email, &hash, role, names, phone, first)?
                        .ok_or_else(|| anyhow::anyhow!("demo account {email} exists"))?;
                    match role {
                        Role::OrgStaff if email.as_str() == PROVIDER => provider = Some(id),
                        Role::OrgStaff if email.as_str() == RECEPTION => {
                            accounts::repo::set_organization(conn, id, reception)?;
                        }
                        Role::OrgStaff => {
                            accounts::repo::set_organization(conn, id, school)?;
                        }
                        Role::Parent => parent = Some(id),
                        _ => {}
                    }
                }
                if let Some(parent) = parent {
                    family(conn, &cipher, parent, municipality)?;
                    father(conn, &hash, parent, municipality)?;
                }
                integration_client(conn)?;
                Ok(provider)
            })
        })
        .await
        .map_err(|e: ApiError| anyhow::anyhow!("seeding demo data: {e:?}"))?;
    let seeded = match seeded {
        Some(provider) => {
            seed_catalog(state, provider, programs, demo_hash).await?;
            seed_money(state).await?;
            seed_families(state, size.children, families_hash).await?;
            seed_events(state).await?;
            true
        }
        None => false,
    };
    if seeded {
        // The families' ledger and applications were written in bulk: their
        // tallies and the studies' days are counted from them; then the planner's statistics of the tables just filled.
        state.db(crate::ledger::tally::rebuild).await?;
        state.db(crate::studies::rebuild).await?;
        state.db(crate::db::analyze).await?;
        tracing::info!("demo data seeded: accounts {:?}, password {PASSWORD}", ACCOUNTS.map(|a| a.0));
    }
    Ok(seeded)
}

/// The generated catalog with its reviews; the first organization with
/// certified programs is the demo provider's.
async fn seed_catalog(state: &AppState, provider: i64, programs: usize, hash: String) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let cipher = state.cipher.clone();
    state
        .db(move |conn| {
            let (municipalities, _) = reference::municipalities(conn, 1, 200)?;
            // The generated catalog is laid out over the demo municipalities; a
            // region with other municipalities gets it over its own, in order.
            let demo = &tables::tables().geography.municipalities;
            let by_name: Option<Vec<i64>> =
                demo.iter().map(|d| municipalities.iter().find(|m| m.name == d.name).map(|m| m.id)).collect();
            let by_name = by_name.unwrap_or_else(|| {
                (0..demo.len())
                    .filter_map(|i| municipalities.get(i % municipalities.len().max(1)))
                    .map(|m| m.id)
                    .collect()
            });
            let generated = catalog::generate(programs, crate::clock::today());
            let loaded = catalog::load(conn, &generated, &by_name)?;
            // The demo provider runs certified programs: families pay for them by certificate.
            let certified: Option<i64> = {
                use crate::db::schema::programs as p;
                p::table.filter(p::certified.eq(true)).order(p::id).select(p::organization_id).first(conn).optional()?
            };
            let organization = certified.or(loaded.organizations.first().copied());
            if let Some(organization) = organization {
                accounts::repo::set_organization(conn, provider, organization)?;
            }
            let appeals: Vec<(i64, Option<f64>)> =
                loaded.programs.iter().copied().zip(generated.programs.iter().map(|p| p.appeal)).collect();
            reviews::seed(conn, &cipher, &hash, &appeals, organization.map(|o| (provider, o)))?;
            Ok::<_, ApiError>(())
        })
        .await
        .map_err(|e| anyhow::anyhow!("seeding the demo catalog: {e:?}"))?;
    tracing::info!(programs, seconds = started.elapsed().as_secs_f64(), "demo catalog seeded");
    Ok(())
}

/// Funding periods everywhere; the demo family's funded certificate with
/// applications and a contract with charges.
async fn seed_money(state: &AppState) -> anyhow::Result<()> {
    let links = state.links();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let (municipalities, _) = reference::municipalities(conn, 1, 200)?;
                let ids: Vec<i64> = municipalities.iter().map(|m| m.id).collect();
                money::periods(conn, &ids)?;
                let Some(parent) = accounts::repo::find_by_email(conn, "parent@example.org")? else { return Ok(()) };
                for child in crate::children::repo::of_parent(conn, parent.id)? {
                    let active = crate::children::certificates::repo::of_child(conn, child.id)?
                        .is_some_and(|c| c.status == CertificateStatus::Active);
                    if active {
                        money::family(conn, &links, parent.id, child.id)?;
                    }
                }
                Ok::<_, ApiError>(())
            })?;
            // The months that have ended are charged as the housekeeping job does.
            crate::applications::contracts::service::charge_ended_months(conn, crate::clock::today())?;
            write_tx(conn, |conn| money::payments(conn, &links))
        })
        .await
        .map_err(|e| anyhow::anyhow!("seeding demo funding: {e:?}"))
}

/// Families at scale: the statistics' children, studies and money.
async fn seed_families(state: &AppState, children: usize, hash: String) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let cipher = state.cipher.clone();
    let written = state
        .db(move |conn| write_tx(conn, |conn| families::write(conn, &cipher, children, &hash, crate::clock::today())))
        .await
        .map_err(|e| anyhow::anyhow!("seeding the demo families: {e:?}"))?;
    tracing::info!(?written, seconds = started.elapsed().as_secs_f64(), "demo families seeded");
    Ok(())
}

/// Events of the coming weeks; Артём is signed up for one.
async fn seed_events(state: &AppState) -> anyhow::Result<()> {
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let provider = accounts::repo::find_by_email(conn, PROVIDER)?.and_then(|a| a.organization_id);
                let family = match accounts::repo::find_by_email(conn, "parent@example.org")? {
                    Some(parent) => {
                        crate::children::repo::of_parent(conn, parent.id)?.into_iter().next().map(|child| {
                            let age = navigator_shared::ages::age_on(child.birth_date, crate::clock::today());
                            (parent.id, child.id.get(), age)
                        })
                    }
                    None => None,
                };
                events::seed(conn, provider, family)
            })
        })
        .await
        .map_err(|e| anyhow::anyhow!("seeding demo events: {e:?}"))
}

/// The demo school: an activation point of the first municipality.
fn school(conn: &mut DbConn, municipality: i64) -> Result<i64, ApiError> {
    let input = OrganizationInput {
        name: "МБОУ «Средняя школа № 1» г. Смоленска".into(),
        inn: Inn::with_checksum(673_100_000).as_str().to_owned(),
        kind: Some(OrganizationKind::Education),
        municipality_id: municipality,
        address: "г. Смоленск, ул. Ленина, д. 10, каб. 12".into(),
        lat: Some(54.7818),
        lon: Some(32.0401),
        phone: "+7 4812 30-00-00".into(),
        email: "school1@example.org".into(),
        website: "https://school1.example.org".into(),
        is_provider: true,
        can_activate: true,
        can_confirm: true,
        can_view_personal_data: true,
        activation_contact: "Соколова Елена Викторовна".into(),
        reception_hours: "пн–пт 9:00–17:00, обед 13:00–14:00".into(),
        city_phone: "+7 (4812) 30-00-00".into(),
        status: None,
    };
    let valid = input.validate().map_err(ApiError::Validation)?;
    organizations::repo::insert(conn, &OrganizationData::new(valid, now()))?
        .map_err(|_| ApiError::Internal(anyhow::anyhow!("the demo school's INN is taken")))
}

/// The demo family's children with a certificate in every status.
fn family(conn: &mut DbConn, cipher: &DataCipher, parent: i64, municipality: i64) -> Result<(), ApiError> {
    for (n, DemoChild { last, first, middle, birth: (y, m, d), sex, snils, certificate }) in
        CHILDREN.into_iter().enumerate()
    {
        let birth = NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| anyhow::anyhow!("bad demo date"))?;
        let kid = people::Kid { last, first, middle, birth, sex, snils, municipality };
        let Some(id) = people::child(conn, cipher, parent, &kid)? else { continue };
        let Some((status, reason)) = certificate else { continue };
        let number = format!("67{:08}", 31_415_926 + n * 7_919);
        if status == AWAITING_DECISION {
            let certificate = people::certificate(conn, id, &number, "pending", None)?;
            crate::registry::repo::confirm_data(conn, certificate)?;
            crate::registry::repo::application_received(conn, certificate)?;
            let today = crate::clock::today();
            let days = crate::children::certificates::service::working_days(reference::region(conn)?.decision_days);
            let due = crate::calendar::repo::load(conn, today)?.add_working_days(today, days);
            crate::registry::repo::start_decision_clock(conn, certificate, due)?;
        } else {
            people::certificate(conn, id, &number, status, reason)?;
        }
    }
    Ok(())
}

/// The demo family's second guardian: the children's father, with his own
/// account, a guardian of the child whose certificate is active.
pub const FATHER: &str = "father@example.org";

fn father(conn: &mut DbConn, hash: &str, parent: i64, municipality: i64) -> Result<(), ApiError> {
    use crate::children::guardians::repo as guardians;
    let email = Email::parse(FATHER).map_err(anyhow::Error::msg)?;
    let names = ("Иванов", "Сергей", Some("Николаевич"));
    let Some(father) =
        create_confirmed_account(conn, &email, hash, Role::Parent, names, "+79101234568", Some(municipality))?
    else {
        return Ok(());
    };
    let Some(child) = crate::children::repo::of_parent(conn, parent)?.into_iter().find(|c| c.first_name == "Артём")
    else {
        return Ok(());
    };
    let now = crate::clock::now();
    let (_, token_hash) = crate::auth::tokens::opaque_token();
    let invitation = guardians::NewInvitation {
        child_id: child.id,
        invited_by: parent,
        email: email.as_str(),
        relationship: navigator_shared::guardians::Relationship::Father,
        token_hash: &token_hash,
        expires_at: now + chrono::TimeDelta::days(navigator_shared::guardians::INVITATION_DAYS),
    };
    if let Some(id) = guardians::invite(conn, &invitation, now)? {
        guardians::accept(conn, id, father, now)?;
        let (invited, joined) = (format!("отец ({FATHER}), Артём"), "Иванов Сергей (отец)");
        crate::audit::record(conn, parent, child.id, crate::audit::Action::InviteGuardian, None, Some(&invited))?;
        crate::audit::record(conn, father, child.id, crate::audit::Action::JoinGuardian, None, Some(joined))?;
    }
    Ok(())
}

/// The demo reception point: a library of the first municipality that takes
/// documents and applications for the operator.
fn reception(conn: &mut DbConn, municipality: i64) -> Result<i64, ApiError> {
    let input = OrganizationInput {
        name: "МБУК «Центральная библиотека» г. Смоленска".into(),
        inn: Inn::with_checksum(673_100_001).as_str().to_owned(),
        kind: Some(OrganizationKind::Culture),
        municipality_id: municipality,
        address: "г. Смоленск, ул. Октябрьской революции, д. 3".into(),
        lat: Some(54.7826),
        lon: Some(32.0453),
        phone: "+7 4812 38-00-00".into(),
        email: "library@example.org".into(),
        website: String::new(),
        is_provider: false,
        can_activate: true,
        can_confirm: false,
        can_view_personal_data: false,
        activation_contact: "Орлова Нина Павловна".into(),
        reception_hours: "вт–сб 10:00–18:00".into(),
        city_phone: "+7 (4812) 38-00-00".into(),
        status: None,
    };
    let valid = input.validate().map_err(ApiError::Validation)?;
    organizations::repo::insert(conn, &OrganizationData::new(valid, now()))?
        .map_err(|_| ApiError::Internal(anyhow::anyhow!("the demo library's INN is taken")))
}
