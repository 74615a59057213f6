//! The operator's statistics on both backends, every figure checked against
//! a small data set counted by hand: the distinct-children rule, ages on
//! the range's last day, an expelled child who stops counting, a group that
//! starts at a month boundary, the period limits and their warnings, money
//! by month; the operator sees only his municipality; the exports and the
//! form 1-ДОП.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use navigator_api::db::schema as s;
use navigator_api::ledger::repo::{Movement, post};
use navigator_api::ledger::tally;
use navigator_api::studies;
use navigator_shared::accounts::Role;
use navigator_shared::applications::ApplicationStatus;
use navigator_shared::children::Sex;
use navigator_shared::funding::{Account, LedgerKind};
use navigator_shared::ids::CertificateId;
use reqwest::StatusCode;
use serde_json::Value;
use support::{Backend, TestApp, problem};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
    day(y, m, d).and_hms_opt(h, 0, 0).unwrap()
}

/// The range every test counts: January and February 2026.
const RANGE: &str = "from=2026-01-01&to=2026-02-28";

struct World {
    app: TestApp,
    city: i64,
    district: i64,
    admin: String,
    city_operator: String,
    district_operator: String,
    parent: String,
    /// Ids the tests change after the seed.
    seeded: Seeded,
}

#[derive(Default)]
struct Seeded {
    /// The technical program's group of the school year.
    year_group: i64,
    /// Child 6: a refused certificate, finished in December.
    sixth: i64,
}

/// One child of the data set.
struct Kid {
    n: u32,
    birth: NaiveDate,
    sex: Sex,
    municipality: i64,
    /// Certificate status and kind, if any.
    certificate: Option<(&'static str, &'static str)>,
}

impl World {
    async fn open(backend: Backend) -> Self {
        let app = TestApp::spawn(backend).await;
        let city = app.municipality("город Смоленск").await;
        let district = app.municipality("Вяземский район").await;
        let admin = app.account("admin@example.org", Role::Admin).await;
        let city_operator = app.operator_of("city@example.org", city).await;
        let district_operator = app.operator_of("district@example.org", district).await;
        let parent = app.account("mama@example.org", Role::Parent).await;
        let mut world =
            Self { app, city, district, admin, city_operator, district_operator, parent, seeded: Seeded::default() };
        world.seeded = world.seed().await;
        world
    }

    async fn child(&self, parent: i64, kid: Kid) -> (i64, Option<i64>) {
        let cipher = self.app.state.cipher.clone();
        self.app
            .state
            .db(move |c| {
                use navigator_api::demo::people;
                let snils = format!("{:09}", 300_000_000 + kid.n * 7);
                let first = format!("Ребёнок{}", kid.n);
                let person = people::Kid {
                    last: "Сидоров",
                    first: &first,
                    middle: "Петрович",
                    birth: kid.birth,
                    sex: kid.sex,
                    snils: &snils,
                    municipality: kid.municipality,
                };
                let id = people::child(c, &cipher, parent, &person)?.unwrap();
                let certificate = match kid.certificate {
                    None => None,
                    Some((status, kind)) => {
                        let number = format!("{:010}", 6_800_000_000u64 + u64::from(kid.n));
                        let cert = people::certificate(c, id, &number, status, None)?;
                        diesel::update(s::certificates::table.find(cert.get()))
                            .set((s::certificates::kind.eq(kind), s::certificates::created_at.eq(at(2025, 12, 1, 10))))
                            .execute(c)?;
                        Some(cert.get())
                    }
                };
                Ok::<_, navigator_api::error::ApiError>((id.get(), certificate))
            })
            .await
            .unwrap()
    }

    /// A group of `program` over the days, with its places.
    async fn group(&self, program: i64, days: (NaiveDate, NaiveDate), capacity: i32, enrolled: i32) -> i64 {
        self.app
            .state
            .db(move |c| {
                let group: i64 = s::program_groups::table
                    .filter(s::program_groups::program_id.eq(program))
                    .select(s::program_groups::id)
                    .first(c)?;
                diesel::update(s::program_groups::table.find(group))
                    .set((
                        s::program_groups::start_date.eq(days.0),
                        s::program_groups::end_date.eq(days.1),
                        s::program_groups::capacity.eq(capacity),
                        s::program_groups::enrolled.eq(enrolled),
                    ))
                    .execute(c)?;
                Ok::<_, diesel::result::Error>(group)
            })
            .await
            .unwrap()
    }

    /// A published program of `organization` with its one group; returns (program, group, module).
    async fn program(
        &self,
        (organization, municipality): (i64, i64),
        direction: &'static str,
        disability_friendly: bool,
        days: (NaiveDate, NaiveDate),
        places: (i32, i32),
    ) -> (i64, i64, i64) {
        let (program, _, module) = self.app.published_program((organization, municipality), true, 30, 300_000).await;
        self.app
            .state
            .db(move |c| {
                diesel::update(s::programs::table.find(program))
                    .set((
                        s::programs::direction.eq(direction),
                        s::programs::disability_friendly.eq(disability_friendly),
                    ))
                    .execute(c)
            })
            .await
            .unwrap();
        let group = self.group(program, days, places.0, places.1).await;
        (program, group, module)
    }

    /// An application in `status`, made and decided at the given moments.
    #[allow(clippy::too_many_arguments)]
    async fn applied(
        &self,
        (child, parent): (i64, i64),
        (program, group, organization): (i64, i64, i64),
        status: ApplicationStatus,
        created: NaiveDateTime,
        updated: NaiveDateTime,
        decided: Option<NaiveDateTime>,
    ) -> i64 {
        self.app
            .state
            .db(move |c| {
                use navigator_api::applications::repo::{NewApplication, insert, transition};
                let left = matches!(status, ApplicationStatus::Completed | ApplicationStatus::Expelled);
                let new = NewApplication {
                    child_id: navigator_shared::ids::ChildId(child),
                    group_id: group,
                    program_id: program,
                    organization_id: organization,
                    created_by: parent,
                    // A finished or expelled child was enrolled first.
                    status: if left { ApplicationStatus::Enrolled } else { status },
                    source: None,
                };
                let id = insert(c, &new, created)?.unwrap();
                if left {
                    assert!(transition(c, id, ApplicationStatus::Enrolled, status, None, None, updated)?);
                }
                diesel::update(s::applications::table.find(id.get()))
                    .set((
                        s::applications::created_at.eq(created),
                        s::applications::updated_at.eq(updated),
                        s::applications::decided_at.eq(decided),
                    ))
                    .execute(c)?;
                Ok::<_, diesel::result::Error>(id.get())
            })
            .await
            .unwrap()
    }

    /// An active contract of the application on the certificate.
    async fn contract(&self, application: i64, certificate: i64, module: i64, organization: i64) -> i64 {
        self.app
            .state
            .db(move |c| {
                diesel::insert_into(s::contracts::table)
                    .values((
                        s::contracts::application_id.eq(application),
                        s::contracts::certificate_id.eq(certificate),
                        s::contracts::module_id.eq(module),
                        s::contracts::organization_id.eq(organization),
                        s::contracts::price.eq(300_000i64),
                        s::contracts::months.eq(3),
                        s::contracts::first_month.eq(day(2026, 1, 1)),
                        s::contracts::status.eq("active"),
                        s::contracts::charged.eq(0i64),
                        s::contracts::created_at.eq(at(2026, 1, 10, 9)),
                        s::contracts::updated_at.eq(at(2026, 1, 10, 9)),
                        s::contracts::account.eq("personified"),
                    ))
                    .returning(s::contracts::id)
                    .get_result::<i64>(c)
            })
            .await
            .unwrap()
    }

    /// A movement of the personified account, posted as the services post
    /// them (the ledger's tallies kept by the same transaction).
    async fn entry(
        &self,
        certificate: i64,
        kind: LedgerKind,
        amount: i64,
        (period_id, contract_id, month): (Option<i64>, Option<i64>, Option<NaiveDate>),
        on: NaiveDate,
    ) {
        self.app.state.config.clock.set_today(on);
        self.app
            .state
            .db(move |c| {
                let movement = Movement {
                    certificate_id: CertificateId(certificate),
                    account: Account::Personified,
                    kind,
                    amount,
                    period_id,
                    contract_id,
                    month,
                    reason: "тест",
                    created_by: None,
                };
                post(c, &movement).map_err(|e| anyhow::anyhow!("{e:?}"))
            })
            .await
            .unwrap();
    }

    /// A 2026 personified period of the municipality with its limits and what was funded.
    async fn period(&self, municipality: i64, (max_count, funded_count): (i32, i32), volume: (i64, i64)) -> i64 {
        self.app
            .state
            .db(move |c| {
                diesel::insert_into(s::funding_periods::table)
                    .values((
                        s::funding_periods::municipality_id.eq(municipality),
                        s::funding_periods::year.eq(2026),
                        s::funding_periods::nominal.eq(500_000i64),
                        s::funding_periods::max_certificates.eq(max_count),
                        s::funding_periods::max_volume.eq(volume.0),
                        s::funding_periods::starts_on.eq(day(2026, 1, 1)),
                        s::funding_periods::ends_on.eq(day(2026, 12, 31)),
                        s::funding_periods::funded_count.eq(funded_count),
                        s::funding_periods::funded_volume.eq(volume.1),
                        s::funding_periods::created_at.eq(at(2025, 12, 1, 9)),
                        s::funding_periods::updated_at.eq(at(2025, 12, 1, 9)),
                        s::funding_periods::advance_percent.eq(0),
                        s::funding_periods::kind.eq("personified"),
                        s::funding_periods::unit.eq("rub"),
                    ))
                    .returning(s::funding_periods::id)
                    .get_result::<i64>(c)
            })
            .await
            .unwrap()
    }

    async fn population(&self, municipality: i64, year: i32, children: i64) {
        self.app
            .state
            .db(move |c| {
                diesel::insert_into(s::municipality_populations::table)
                    .values((
                        s::municipality_populations::municipality_id.eq(municipality),
                        s::municipality_populations::year.eq(year),
                        s::municipality_populations::children.eq(children),
                        s::municipality_populations::updated_at.eq(at(2025, 12, 1, 9)),
                    ))
                    .execute(c)
            })
            .await
            .unwrap();
    }

    async fn rename(&self, organization: i64, name: &'static str) {
        self.app
            .state
            .db(move |c| {
                diesel::update(s::organizations::table.find(organization))
                    .set(s::organizations::name.eq(name))
                    .execute(c)
            })
            .await
            .unwrap();
    }

    /// The data set, counted by hand in the tests (ages on 28 February 2026).
    async fn seed(&self) -> Seeded {
        use ApplicationStatus::*;
        let today = self.app.state.config.clock.today();
        let parent = self.app.account_id("mama@example.org").await;
        let (city, district) = (self.city, self.district);
        let kid = |n, birth, sex, municipality, certificate| Kid { n, birth, sex, municipality, certificate };
        // Nine on the last day (ten the day after): 5–9.
        let (c1, cert1) =
            self.child(parent, kid(1, day(2016, 3, 1), Sex::Female, city, Some(("active", "funded")))).await;
        // Fourteen that very day: 10–14.
        let (c2, _) =
            self.child(parent, kid(2, day(2012, 2, 28), Sex::Male, city, Some(("pending", "accounting")))).await;
        // Seventeen (eighteen the day after): 15–17.
        let (c3, cert3) =
            self.child(parent, kid(3, day(2008, 3, 1), Sex::Male, city, Some(("active", "funded")))).await;
        // Eighteen: studies, but is not of coverage age.
        let (c4, _) =
            self.child(parent, kid(4, day(2008, 2, 28), Sex::Male, city, Some(("active", "accounting")))).await;
        // Four: in the registry, not of coverage age.
        self.child(parent, kid(5, day(2021, 3, 1), Sex::Female, city, None)).await;
        // Eight, refused a certificate, finished before the range, now waits.
        let (c6, _) =
            self.child(parent, kid(6, day(2018, 1, 10), Sex::Female, city, Some(("refused", "accounting")))).await;
        let (d1, _) =
            self.child(parent, kid(7, day(2015, 5, 5), Sex::Female, district, Some(("active", "accounting")))).await;

        let school = self.app.organization(city, false).await;
        self.rename(school, "Дом творчества").await;
        let village = self.app.organization(district, false).await;
        self.rename(village, "Сельский клуб").await;
        let year = (day(2025, 9, 1), day(2026, 5, 31));
        let (p1, g1, m1) = self.program((school, city), "technical", false, year, (30, 2)).await;
        let (p2, g2, _) =
            self.program((school, city), "arts", true, (day(2026, 2, 1), day(2026, 6, 30)), (10, 2)).await;
        let (p3, g3, _) =
            self.program((school, city), "technical", false, (day(2025, 9, 1), day(2025, 12, 31)), (5, 0)).await;
        let (p4, g4, _) = self.program((village, district), "physical_sports", false, year, (20, 1)).await;

        let jan15 = at(2026, 1, 15, 0);
        let hours = |h: i64| Some(jan15 + chrono::TimeDelta::hours(h));
        let a11 = self.applied((c1, parent), (p1, g1, school), Enrolled, jan15, jan15, hours(24)).await;
        self.applied((c1, parent), (p2, g2, school), Enrolled, jan15, jan15, hours(48)).await;
        // Expelled on 20 January: studied in January only.
        self.applied((c2, parent), (p1, g1, school), Expelled, jan15, at(2026, 1, 20, 12), hours(12)).await;
        let a32 = self.applied((c3, parent), (p2, g2, school), Enrolled, jan15, jan15, hours(72)).await;
        self.applied((c4, parent), (p1, g1, school), Enrolled, jan15, jan15, None).await;
        let sept = at(2025, 9, 1, 10);
        self.applied((c6, parent), (p3, g3, school), Completed, sept, at(2025, 12, 31, 10), Some(sept)).await;
        self.applied((c6, parent), (p1, g1, school), Waiting, jan15, jan15, None).await;
        self.applied((d1, parent), (p4, g4, village), Enrolled, jan15, jan15, hours(1)).await;

        self.population(city, 2025, 80).await;
        self.population(city, 2026, 100).await;
        self.population(district, 2025, 50).await;

        // The city's period: no certificate left to fund, a twentieth of the volume left.
        let period = self.period(city, (10, 10), (1_000_000, 950_000)).await;
        self.period(district, (10, 1), (1_000_000, 100_000)).await;
        let (cert1, cert3) = (cert1.unwrap(), cert3.unwrap());
        let k1 = self.contract(a11, cert1, m1, school).await;
        let k3 = self.contract(a32, cert3, m1, school).await;
        let month = |m| Some(day(2026, m, 1));
        use LedgerKind::{Charge, Credit, Refund, Reserve};
        self.entry(cert1, Credit, 500_000, (Some(period), None, None), day(2026, 1, 5)).await;
        self.entry(cert1, Reserve, 300_000, (None, Some(k1), None), day(2026, 1, 10)).await;
        self.entry(cert1, Charge, 100_000, (None, Some(k1), month(1)), day(2026, 1, 31)).await;
        self.entry(cert1, Charge, 100_000, (None, Some(k1), month(2)), day(2026, 2, 28)).await;
        // March: the period's, not the range's.
        self.entry(cert1, Charge, 100_000, (None, Some(k1), month(3)), day(2026, 3, 31)).await;
        self.entry(cert3, Credit, 450_000, (Some(period), None, None), day(2026, 1, 5)).await;
        self.entry(cert3, Reserve, 200_000, (None, Some(k3), None), day(2026, 2, 2)).await;
        self.entry(cert3, Charge, 50_000, (None, Some(k3), month(2)), day(2026, 2, 28)).await;
        self.entry(cert3, Refund, 10_000, (None, Some(k3), month(2)), day(2026, 2, 28)).await;
        // The tallies kept entry by entry are the ones counted from the whole ledger.
        let (kept, rebuilt) = self
            .app
            .state
            .db(|c| {
                let kept = tally::all(c)?;
                tally::rebuild(c)?;
                Ok::<_, diesel::result::Error>((kept, tally::all(c)?))
            })
            .await
            .unwrap();
        assert_eq!(kept, rebuilt);
        self.app.state.config.clock.set_today(today);
        assert_eq!(kept.0.iter().map(|m| m.children).sum::<i64>(), 4, "{kept:?}");
        // So are the studies' days kept application by application.
        assert_eq!(self.spans().await.len(), 7);
        Seeded { year_group: g1, sixth: c6 }
    }

    /// The studies' rows, checked (with the certificates' copies of their
    /// children's facts) to be the ones computed anew from the applications,
    /// groups, programs and children.
    async fn spans(&self) -> Vec<studies::SpanRow> {
        let (kept, rebuilt) = self
            .app
            .state
            .db(|c| {
                let kept = studies::all(c)?;
                studies::rebuild(c)?;
                Ok::<_, diesel::result::Error>((kept, studies::all(c)?))
            })
            .await
            .unwrap();
        assert_eq!(kept, rebuilt);
        kept.0
    }

    async fn get(&self, path: &str, token: &str) -> reqwest::Response {
        self.app.get(&format!("/api/v1{path}"), Some(token)).await
    }

    async fn json(&self, path: &str, token: &str) -> Value {
        let response = self.get(path, token).await;
        let status = response.status();
        let text = response.text().await.unwrap();
        assert_eq!(status, StatusCode::OK, "{path}: {text}");
        serde_json::from_str(&text).unwrap()
    }

    async fn dashboard(&self, token: &str, query: &str) -> navigator_shared::stats::Dashboard {
        serde_json::from_value(self.json(&format!("/stats/dashboard?{query}"), token).await).unwrap()
    }
}

fn table<'a>(dashboard: &'a navigator_shared::stats::Dashboard, key: &str) -> &'a navigator_shared::stats::Table {
    dashboard.tables.iter().find(|t| t.key == key).unwrap_or_else(|| panic!("no table {key}"))
}

/// `(row, column) → value` checks of a table.
fn check(table: &navigator_shared::stats::Table, expected: &[(&str, &str, Option<i64>)]) {
    for (row, column, value) in expected {
        assert_eq!(table.value(row, column), *value, "{}: {row} / {column}", table.key);
    }
}

both_backends! {
    /// Every figure of the city's dashboard against the hand count.
    async fn every_figure_matches_the_hand_count(backend: Backend) {
        let w = World::open(backend).await;
        let d = w.dashboard(&w.city_operator, RANGE).await;
        assert_eq!((d.from, d.to, d.municipality_id), (day(2026, 1, 1), day(2026, 2, 28), Some(w.city)));
        assert_eq!(d.territory, "город Смоленск");
        let h = &d.headline;
        // Children 1, 2, 3 and 6 are of coverage age; 4 is eighteen, 5 is four.
        assert_eq!((h.registered, h.with_certificate, h.with_active_certificate), (4, 3, 2));
        // 1 (two programs, once), 2 (expelled in January), 3 (from February); not 4 (eighteen) nor 6 (finished in December).
        assert_eq!(h.enrolled, 3);
        assert_eq!((h.population, h.population_year, h.coverage_permille), (Some(100), Some(2026), Some(30)));
        // January 1 000 ₽; February 1 000 + 500 − 100 ₽; March is outside the range.
        // Three months of study paid: 800 ₽ each on average.
        assert_eq!((h.charged, h.average_charge), (240_000, Some(80_000)));

        // A month counts ages on its last day: 4 is still seventeen on 31 January.
        check(table(&d, "coverage_by_month"), &[
            ("янв 2026", "Занимаются, детей", Some(3)),
            ("фев 2026", "Занимаются, детей", Some(2)),
            ("фев 2026", "Охват", Some(20)),
        ]);
        assert_eq!(table(&d, "coverage_by_month").rows.len(), 2);
        let columns = ["В реестре", "С сертификатом", "С активным сертификатом", "Занимаются"];
        for (band, values) in [("5–9 лет", [2, 1, 1, 1]), ("10–14 лет", [1, 1, 0, 1]), ("15–17 лет", [1, 1, 1, 1])] {
            for (column, value) in columns.iter().zip(values) {
                check(table(&d, "coverage_by_age"), &[(band, column, Some(value))]);
            }
        }
        for (sex, values) in [("Мальчики", [2, 2, 1, 2]), ("Девочки", [2, 1, 1, 1])] {
            for (column, value) in columns.iter().zip(values) {
                check(table(&d, "coverage_by_sex"), &[(sex, column, Some(value))]);
            }
        }
        check(table(&d, "coverage_by_direction"), &[
            ("Техническая", "Детей", Some(2)),
            ("Художественная", "Детей", Some(2)),
            ("Физкультурно-спортивная", "Детей", Some(0)),
        ]);
        check(table(&d, "coverage_disability"), &[
            ("5–9 лет", "Детей", Some(1)),
            ("10–14 лет", "Детей", Some(0)),
            ("15–17 лет", "Детей", Some(1)),
        ]);
        assert!(d.tables.iter().all(|t| t.key != "coverage_by_municipality"), "one municipality has no such table");
        check(table(&d, "certificates_by_status"), &[
            ("активирован", "Финансирования", Some(2)),
            ("активирован", "Учёта", Some(1)),
            ("в обработке", "Учёта", Some(1)),
            ("отказано", "Учёта", Some(1)),
            ("исключён из реестра", "Учёта", Some(0)),
        ]);

        // The period: 3 500 ₽ charged less 100 ₽ refunded; 5 000 ₽ reserved less that;
        // 9 500 ₽ credited; 500 ₽ of the limit never given out.
        let limits = table(&d, "funding_limits");
        assert_eq!(limits.rows.len(), 1);
        let period = limits.rows[0].label.clone();
        assert!(period.starts_with("город Смоленск, 2026"), "{period}");
        check(limits, &[
            (&period, "Лимит сертификатов", Some(10)),
            (&period, "Профинансировано сертификатов", Some(10)),
            (&period, "Лимит объёма", Some(1_000_000)),
            (&period, "Зачислено на сертификаты", Some(950_000)),
            (&period, "Списано", Some(340_000)),
            (&period, "В резерве по договорам", Some(160_000)),
            (&period, "Свободно на сертификатах", Some(450_000)),
            (&period, "Не распределено", Some(50_000)),
        ]);
        assert_eq!(d.warnings.len(), 2, "{:?}", d.warnings);
        assert!(d.warnings.iter().any(|w| w.contains("500\u{a0}₽ из 10\u{a0}000\u{a0}₽")), "{:?}", d.warnings);
        assert!(d.warnings.iter().any(|w| w.contains("ещё 0 сертификатов из 10")), "{:?}", d.warnings);

        check(table(&d, "charges_by_month"), &[
            ("янв 2026", "Списано", Some(100_000)),
            ("янв 2026", "Детей", Some(1)),
            ("фев 2026", "Списано", Some(140_000)),
            ("фев 2026", "Детей", Some(2)),
        ]);
        check(table(&d, "organizations_by_money"), &[
            ("Дом творчества", "Получено", Some(240_000)),
            ("Дом творчества", "Оплачено месяцев обучения", Some(3)),
        ]);
        check(table(&d, "programs_by_direction"), &[
            ("Техническая", "Опубликована", Some(2)),
            ("Художественная", "Опубликована", Some(1)),
            ("Физкультурно-спортивная", "Опубликована", Some(0)),
        ]);
        // The December group is outside the range.
        check(table(&d, "places_by_direction"), &[
            ("Техническая", "Мест", Some(30)),
            ("Техническая", "Занято", Some(2)),
            ("Художественная", "Мест", Some(10)),
            ("Художественная", "Занято", Some(2)),
        ]);
        check(table(&d, "waiting_by_organization"), &[
            ("Дом творчества", "Детей ждут", Some(1)),
            ("Дом творчества", "Заявок", Some(1)),
        ]);
        // The September application is outside the range.
        check(table(&d, "applications_by_status"), &[
            ("Зачислен", "Заявок", Some(4)),
            ("Отчислен", "Заявок", Some(1)),
            ("В листе ожидания", "Заявок", Some(1)),
            ("Обучение завершено", "Заявок", Some(0)),
        ]);
        // Decisions after 12, 24, 48 and 72 hours: the median is 36 hours.
        check(table(&d, "decision_time_by_organization"), &[
            ("Дом творчества", "Медиана", Some(36)),
            ("Дом творчества", "Решений", Some(4)),
        ]);
        assert!(table(&d, "decision_time_by_organization").summary.contains("1,5\u{a0}дн."));

        // The admin counts the whole region, with a row per municipality.
        let region = w.dashboard(&w.admin, RANGE).await;
        assert_eq!((region.municipality_id, region.territory.as_str()), (None, "Весь регион"));
        let h = &region.headline;
        assert_eq!((h.registered, h.enrolled, h.population, h.coverage_permille), (5, 4, Some(150), Some(27)));
        check(table(&region, "coverage_by_municipality"), &[
            ("город Смоленск", "Детей 5–18 лет", Some(100)),
            ("город Смоленск", "Занимаются", Some(3)),
            ("город Смоленск", "Охват", Some(30)),
            ("Вяземский район", "Детей 5–18 лет", Some(50)),
            ("Вяземский район", "Занимаются", Some(1)),
            ("Вяземский район", "Охват", Some(20)),
        ]);
        assert_eq!(table(&region, "funding_limits").rows.len(), 2);
        // The admin's chosen municipality is the operator's view.
        let chosen = w.dashboard(&w.admin, &format!("{RANGE}&municipality_id={}", w.city)).await;
        assert_eq!(chosen.headline, d.headline);
        assert_eq!(chosen.tables, d.tables);
    }

    /// The studies' days follow a group's new dates, changed by the
    /// organization, and a child's birth date, corrected by the parent.
    async fn the_studies_follow_their_groups_and_children(backend: Backend) {
        let w = World::open(backend).await;
        let technical = |d: &navigator_shared::stats::Dashboard| table(d, "coverage_by_direction").value("Техническая", "Детей");
        let january = |d: &navigator_shared::stats::Dashboard| table(d, "coverage_by_month").value("янв 2026", "Занимаются, детей");
        let before = w.dashboard(&w.city_operator, RANGE).await;
        assert_eq!((technical(&before), january(&before)), (Some(2), Some(3)));

        // The school year's group now ends in December (as the organization's
        // form stores it): children 1, 2 and 4 did not study in it in
        // January; child 1 studies again in February.
        let group = w.seeded.year_group;
        w.app
            .state
            .db(move |c| {
                use navigator_api::catalog::repo;
                let input: navigator_shared::catalog::GroupInput = serde_json::from_value(serde_json::json!({
                    "name": "Группа 1", "teacher": "Орлов Пётр Ильич",
                    "schedule": [{ "weekday": 2, "start": "16:00", "end": "17:30" }],
                    "capacity": 30, "start_date": "2025-09-01", "end_date": "2025-12-31",
                    "age_min": 7, "age_max": 12, "enrolment_open": true,
                }))
                .unwrap();
                repo::update_group(c, group, &repo::GroupData::new(input, navigator_api::notifications::now()))
            })
            .await
            .unwrap();
        let after = w.dashboard(&w.city_operator, RANGE).await;
        assert_eq!((technical(&after), january(&after)), (Some(0), Some(0)));
        assert_eq!(after.headline.enrolled, 2);

        // The parent corrects child 6's birth date.
        let path = format!("/api/v1/children/{}", w.seeded.sixth);
        let body = serde_json::json!({ "first_name": "Вера", "birth_date": "2017-12-10" });
        let response = w.app.send(reqwest::Method::PATCH, &path, &w.parent, body).await;
        assert_eq!(response.status(), StatusCode::OK, "{}", response.text().await.unwrap());
        let spans = w.spans().await;
        let sixth: Vec<_> = spans.iter().filter(|s| s.child_id == w.seeded.sixth).map(|s| s.birth_date).collect();
        assert_eq!(sixth, [day(2017, 12, 10)]);
    }

    /// An operator counts only his municipality and cannot ask for another;
    /// families and guests see nothing; bad input is told on its field.
    async fn an_operator_sees_only_his_municipality(backend: Backend) {
        let w = World::open(backend).await;
        let district = w.dashboard(&w.district_operator, RANGE).await;
        assert_eq!(district.municipality_id, Some(w.district));
        assert_eq!((district.headline.registered, district.headline.enrolled), (1, 1));
        assert_eq!(district.headline.charged, 0);
        assert!(district.warnings.is_empty());
        assert_eq!(table(&district, "organizations_by_money").rows.len(), 0);
        assert_eq!(table(&district, "waiting_by_organization").rows.len(), 0);
        assert_eq!(table(&district, "funding_limits").rows.len(), 1);

        let other = format!("/stats/dashboard?{RANGE}&municipality_id={}", w.city);
        let (status, body) = problem(w.get(&other, &w.district_operator).await).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("outside_territory")));
        let file = format!("/stats/tables/coverage_by_age?{RANGE}&municipality_id={}&format=csv", w.city);
        assert_eq!(w.get(&file, &w.district_operator).await.status(), StatusCode::FORBIDDEN);
        let form = format!("/stats/form-1dop?year=2026&municipality_id={}", w.city);
        assert_eq!(w.get(&form, &w.district_operator).await.status(), StatusCode::FORBIDDEN);
        let (status, _) = problem(w.get(&format!("/stats/dashboard?{RANGE}"), &w.parent).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let response = w.app.get(&format!("/api/v1/stats/dashboard?{RANGE}"), None).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

        let (status, body) = problem(w.get("/stats/dashboard?from=2026-03-01&to=2026-02-01", &w.admin).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["from"][0].as_str().unwrap().contains("позже"), "{body}");
        let (status, body) = problem(w.get("/stats/dashboard?from=2016-01-01&to=2026-02-01", &w.admin).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        let (status, _) = problem(w.get("/stats/dashboard?municipality_id=999999", &w.admin).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, body) = problem(w.get("/stats/form-1dop?year=2999", &w.admin).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["year"].is_array(), "{body}");
        let (status, _) = problem(w.get(&format!("/stats/tables/nothing?{RANGE}&format=csv"), &w.admin).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = problem(w.get(&format!("/stats/tables/coverage_by_age?{RANGE}&format=pdf"), &w.admin).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }

    /// A table as CSV and XLSX, and the form 1-ДОП with ages on 1 January of the next year.
    async fn tables_export_and_the_form_1dop_counts_learners(backend: Backend) {
        let w = World::open(backend).await;
        let response = w.get(&format!("/stats/tables/coverage_by_age?{RANGE}&format=csv"), &w.city_operator).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
        let disposition = response.headers()["content-disposition"].to_str().unwrap().to_owned();
        assert!(disposition.contains("coverage_by_age_2026-01-01_2026-02-28.csv"), "{disposition}");
        let text = response.text().await.unwrap();
        assert_eq!(
            text,
            "\u{feff}Возраст;В реестре;С сертификатом;С активным сертификатом;Занимаются\n\
             5–9 лет;2;1;1;1\n10–14 лет;1;1;0;1\n15–17 лет;1;1;1;1\n"
        );
        let money = w.get(&format!("/stats/tables/charges_by_month?{RANGE}&format=csv"), &w.city_operator).await;
        assert_eq!(money.text().await.unwrap(), "\u{feff}Месяц;Списано, ₽;Детей\nянв 2026;1000;1\nфев 2026;1400;2\n");
        let response = w.get(&format!("/stats/tables/coverage_by_age?{RANGE}&format=xlsx"), &w.city_operator).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers()["content-type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        let bytes = response.bytes().await.unwrap();
        assert!(bytes.starts_with(b"PK\x03\x04"), "an XLSX is a zip");

        let form: navigator_shared::stats::Table =
            serde_json::from_value(w.json(&format!("/stats/form-1dop?year=2026&municipality_id={}", w.city), &w.admin).await)
                .unwrap();
        let total = "Всего (без повторного счёта)";
        check(&form, &[
            // 1, 2 (expelled, still a learner of the year) and 4; 6 finished in 2025.
            ("Техническая", "Всего", Some(3)),
            ("Техническая", "Из них девочек", Some(1)),
            ("Техническая", "10–14 лет", Some(2)),
            ("Техническая", "18 лет и старше", Some(1)),
            ("Техническая", "В программах для детей с ОВЗ", Some(0)),
            ("Художественная", "Всего", Some(2)),
            ("Художественная", "18 лет и старше", Some(1)),
            ("Художественная", "В программах для детей с ОВЗ", Some(2)),
            (total, "Всего", Some(4)),
            (total, "Из них девочек", Some(1)),
            (total, "до 5 лет", Some(0)),
            (total, "5–9 лет", Some(0)),
            (total, "10–14 лет", Some(2)),
            (total, "15–17 лет", Some(0)),
            (total, "18 лет и старше", Some(2)),
            (total, "В программах для детей с ОВЗ", Some(2)),
        ]);
        let response = w.get("/stats/form-1dop/file?year=2026&format=csv", &w.city_operator).await;
        assert_eq!(response.status(), StatusCode::OK);
        let text = response.text().await.unwrap();
        assert!(text.starts_with("\u{feff}Направленность;Всего;Из них девочек;до 5 лет;"), "{text}");
        assert!(text.contains("\nВсего (без повторного счёта);4;1;0;0;2;0;2;2\n"), "{text}");
        let xlsx = w.get("/stats/form-1dop/file?year=2026&format=xlsx", &w.city_operator).await;
        assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
    }
}

/// A child of `parent` named as given, with an active certificate numbered by `n`;
/// every such child lives at the same address (`demo::people`).
async fn named_child(
    app: &TestApp,
    parent: i64,
    n: u32,
    name: (&str, &str, &str),
    birth: NaiveDate,
    municipality: i64,
) -> (i64, String) {
    let cipher = app.state.cipher.clone();
    let (last, first, middle) = (name.0.to_owned(), name.1.to_owned(), name.2.to_owned());
    app.state
        .db(move |c| {
            use navigator_api::demo::people;
            let snils = format!("{:09}", 310_000_000 + n * 7);
            let kid = people::Kid {
                last: &last,
                first: &first,
                middle: &middle,
                birth,
                sex: Sex::Male,
                snils: &snils,
                municipality,
            };
            let id = people::child(c, &cipher, parent, &kid)?.unwrap();
            let number = format!("{:010}", 6_900_000_000u64 + u64::from(n));
            people::certificate(c, id, &number, "active", None)?;
            Ok::<_, navigator_api::error::ApiError>((id.get(), number))
        })
        .await
        .unwrap()
}

both_backends! {
    /// The duplicate finder offers the same name under another СНИЛС and a
    /// name a letter apart at the same address, not twins; an operator sees
    /// his municipality's pairs page by page, marks one «не дубликат» (audited
    /// on both records, once) and cannot mark another municipality's.
    async fn the_duplicate_finder_offers_likely_pairs_and_remembers_not_duplicate(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let city = app.municipality("город Смоленск").await;
        let district = app.municipality("Вяземский район").await;
        let operator = app.operator_of("city@example.org", city).await;
        let district_operator = app.operator_of("district@example.org", district).await;
        let admin = app.account("admin@example.org", Role::Admin).await;
        let parent_token = app.account("mama@example.org", Role::Parent).await;
        let mama = app.account_id("mama@example.org").await;
        app.account("papa@example.org", Role::Parent).await;
        let papa = app.account_id("papa@example.org").await;

        // Registered twice: the second record was typed as «Павел», then corrected by hand to «Артём»
        // as data loaded before the name rule would be.
        let day1 = day(2015, 4, 1);
        let (artem, _) = named_child(&app, mama, 1, ("Кузнецов", "Артём", "Сергеевич"), day1, city).await;
        let (again, _) = named_child(&app, papa, 2, ("Кузнецов", "Павел", "Сергеевич"), day1, city).await;
        app.state
            .db(move |c| diesel::update(s::children::table.find(again)).set(s::children::first_name.eq("Артем")).execute(c))
            .await
            .unwrap();
        let day2 = day(2016, 5, 5);
        let (anna, anna_number) = named_child(&app, mama, 3, ("Морозова", "Анна", "Игоревна"), day2, city).await;
        let (ana, ana_number) = named_child(&app, papa, 4, ("Морозова", "Ана", "Игоревна"), day2, city).await;
        // Twins: not offered.
        named_child(&app, mama, 5, ("Лебедев", "Иван", "Олегович"), day(2014, 2, 2), city).await;
        named_child(&app, mama, 6, ("Лебедев", "Илья", "Олегович"), day(2014, 2, 2), city).await;
        // Born another day: not offered.
        named_child(&app, papa, 7, ("Морозова", "Анна", "Игоревна"), day(2016, 5, 6), city).await;
        let (maria, _) = named_child(&app, mama, 8, ("Орлова", "Мария", "Петровна"), day(2013, 3, 3), district).await;
        let (marya, _) = named_child(&app, papa, 9, ("Орлова", "Марья", "Петровна"), day(2013, 3, 3), district).await;

        let get = |token: &str, path: &str| {
            let (app, token, path) = (&app, token.to_owned(), path.to_owned());
            async move {
                let response = app.get(&format!("/api/v1{path}"), Some(&token)).await;
                let status = response.status();
                let body: Value = response.json().await.unwrap();
                assert_eq!(status, StatusCode::OK, "{path}: {body}");
                body
            }
        };
        let page = get(&operator, "/registry/duplicates").await;
        assert_eq!(page["total"], 2, "{page}");
        let pairs = page["items"].as_array().unwrap();
        assert_eq!(pairs[0]["reason"], "same_name");
        assert_eq!(pairs[0]["children"][0]["id"], artem);
        assert_eq!(pairs[0]["children"][1]["id"], again);
        assert_eq!(pairs[0]["children"][1]["parent_email"], "papa@example.org");
        assert_eq!(pairs[1]["reason"], "similar_name");
        assert_eq!(pairs[1]["reason_title"], "Похожие ФИО, та же дата рождения и тот же адрес");
        assert_eq!(pairs[1]["children"][0]["full_name"], "Морозова Анна Игоревна");
        assert_eq!(pairs[1]["children"][1]["certificate_number"], ana_number.as_str());
        let second = get(&operator, "/registry/duplicates?page=2&per_page=1").await;
        assert_eq!((second["total"].as_i64(), second["items"][0]["reason"].as_str()), (Some(2), Some("similar_name")));
        assert_eq!(get(&district_operator, "/registry/duplicates").await["total"], 1);
        assert_eq!(get(&admin, "/registry/duplicates").await["total"], 3);

        let dismiss = |token: &str, body: Value| {
            let (app, token) = (&app, token.to_owned());
            async move { app.send(reqwest::Method::POST, "/api/v1/registry/duplicates/dismissals", &token, body).await }
        };
        let reason = "Разные дети: свидетельства о рождении сверены";
        let (status, body) = problem(dismiss(&operator, serde_json::json!({ "child_ids": [anna], "reason": reason })).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["child_ids"].is_array(), "{body}");
        let (status, body) = problem(dismiss(&operator, serde_json::json!({ "child_ids": [anna, ana] })).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["errors"]["reason"].is_array(), "{body}");
        let other = serde_json::json!({ "child_ids": [maria, marya], "reason": reason });
        assert_eq!(dismiss(&operator, other).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(dismiss(&parent_token, serde_json::json!({ "child_ids": [anna, ana], "reason": reason })).await.status(), StatusCode::FORBIDDEN);
        for _ in 0..2 {
            let response = dismiss(&operator, serde_json::json!({ "child_ids": [ana, anna], "reason": reason })).await;
            assert_eq!(response.status(), StatusCode::NO_CONTENT);
        }
        let page = get(&operator, "/registry/duplicates").await;
        assert_eq!(page["total"], 1);
        assert_eq!(page["items"][0]["reason"], "same_name");
        for number in [&anna_number, &ana_number] {
            let trail = get(&operator, &format!("/registry/certificates/{number}/audit")).await;
            let marks: Vec<&Value> = trail.as_array().unwrap().iter().filter(|e| e["action"] == "not_duplicate").collect();
            assert_eq!(marks.len(), 1, "{trail}");
            assert_eq!(marks[0]["reason"], reason);
        }
        assert_eq!(get(&admin, "/registry/duplicates").await["total"], 2);
    }
}
