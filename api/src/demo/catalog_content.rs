//! Content of the demo catalog: organizations of the Smolensk region and
//! their programs, modules and groups, generated deterministically from a
//! seed. The demo has ~150 organizations and ~1,500 programs; benchmarks ask
//! for any number of programs.
//!
//! Everything here is made up from tables: municipalities with their towns,
//! streets and phone codes; kinds of organizations with their official name
//! templates; and profiles of programs per direction with their titles,
//! description sentences and goals. Names, INNs, phones and addresses look
//! real but are not: emails and websites use `example.org` only.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate, NaiveTime, TimeDelta};
use navigator_shared::catalog::{CostType, Direction, GroupInput, Lesson, Level, ModuleInput, ProgramInput};
use navigator_shared::organizations::{OrganizationInput, OrganizationKind, OrganizationStatus};
use navigator_shared::validate::Inn;
use rand::distributions::{Distribution, WeightedIndex};
use rand::seq::SliceRandom;
use rand::{Rng, RngCore, SeedableRng, rngs::StdRng};

use super::MUNICIPALITIES;

/// A generated catalog: organizations and their published programs.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoCatalog {
    pub organizations: Vec<DemoOrganization>,
    pub programs: Vec<DemoProgram>,
}

/// An organization of the catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoOrganization {
    /// `municipality_id` is the municipality index + 1; a provider that does
    /// not activate certificates, active.
    pub input: OrganizationInput,
    /// Index into [`MUNICIPALITIES`].
    pub municipality: usize,
}

/// A published program with its modules and groups.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoProgram {
    /// Index into [`DemoCatalog::organizations`].
    pub organization: usize,
    /// `municipality_id` is the municipality index + 1.
    pub input: ProgramInput,
    /// Only for `Certificate` programs of providers.
    pub certified: bool,
    /// 3.5..=5.0 with one decimal; `None` for about a fifth.
    pub rating: Option<f64>,
    /// 0..=300, most programs have few.
    pub applications_count: i64,
    /// 0..=700.
    pub days_since_published: i64,
    /// 1–3; prices in kopecks (0 for free programs).
    pub modules: Vec<ModuleInput>,
    /// 1–3, within the program's ages.
    pub groups: Vec<GroupInput>,
}

/// Generates `organizations` organizations over the municipalities (in
/// proportion to their size) and `programs` programs over the organizations,
/// the same for the same arguments. With no organizations there are no
/// programs.
pub fn generate(seed: u64, organizations: usize, programs: usize, today: NaiveDate) -> DemoCatalog {
    let mut rng = Prng(StdRng::seed_from_u64(seed).next_u64());
    let mut registry = Registry::default();
    let mut orgs = Vec::with_capacity(organizations);
    let mut metas = Vec::with_capacity(organizations);
    for (m, count) in per_municipality(organizations).into_iter().enumerate() {
        for k in 0..count {
            let org_type = org_type(&mut rng, m, k);
            let (org, meta) = organization(&mut rng, &mut registry, m, org_type);
            orgs.push(org);
            metas.push(meta);
        }
    }
    let counts = programs_per_organization(&mut rng, &metas, programs);
    let mut list = Vec::with_capacity(programs);
    for (o, count) in counts.into_iter().enumerate() {
        let (Some(org), Some(meta)) = (orgs.get(o), metas.get(o)) else { continue };
        let mut titles = HashSet::new();
        for _ in 0..count {
            list.push(program(&mut rng, o, org, meta, &mut titles, today));
        }
    }
    DemoCatalog { organizations: orgs, programs: list }
}

/// SplitMix64, seeded from `StdRng`: as deterministic, and fast enough in
/// debug builds, where `StdRng` would take most of the time of a large catalog.
struct Prng(u64);

impl RngCore for Prng {
    fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Geography

/// A settlement where organizations are: a town, or a village of the Smolensk district.
struct Place {
    /// «г. Вязьма», «д. Михновка»: how addresses name it.
    label: &'static str,
    /// Stem of the village's adjective («Михновск» → «Михновская школа»); empty for towns.
    stem: &'static str,
    lat: f64,
    lon: f64,
    radius_km: f64,
}

struct Municipality {
    /// Latin part of emails: `ddt-vyazma@example.org`.
    slug: &'static str,
    /// Nominative, after private organizations' names: «(Вязьма)».
    town: &'static str,
    /// How official names end: «г. Вязьмы», «Смоленского района».
    of: &'static str,
    /// «Вяземский районный Дом культуры».
    adjective: &'static str,
    /// A city okrug: «городской» rather than «районный».
    city: bool,
    lat: f64,
    lon: f64,
    /// Telephone area code: 4 digits (Смоленск) or 5 (district towns).
    phone_code: &'static str,
    /// Tax offices: the 3rd and 4th digits of INNs.
    tax_offices: &'static [u32],
    /// Relative size (population, thousands).
    weight: u32,
    /// Before the place in addresses: «Смоленский район, ».
    address_prefix: &'static str,
    places: &'static [Place],
    streets: &'static [&'static str],
    /// Schools are numbered 1..=this.
    schools: u32,
    /// Addresses may also use the streets every town has.
    common_streets: bool,
}

const fn town(label: &'static str, lat: f64, lon: f64, radius_km: f64) -> Place {
    Place { label, stem: "", lat, lon, radius_km }
}

const fn village(label: &'static str, stem: &'static str, lat: f64, lon: f64) -> Place {
    Place { label, stem, lat, lon, radius_km: 0.8 }
}

const TOWN_STREETS: &[&str] = &[
    "ул. Ленина",
    "ул. Советская",
    "ул. Кирова",
    "ул. Комсомольская",
    "ул. Пушкина",
    "ул. Красноармейская",
    "ул. Мира",
    "ул. Школьная",
    "ул. Садовая",
    "ул. Гагарина",
    "ул. Победы",
    "ул. Октябрьская",
    "ул. Заводская",
    "ул. Молодёжная",
    "ул. Первомайская",
    "ул. Калинина",
    "ул. Горького",
    "ул. Свердлова",
    "ул. Интернациональная",
    "пл. Ленина",
];

const VILLAGE_STREETS: &[&str] = &[
    "ул. Центральная",
    "ул. Школьная",
    "ул. Садовая",
    "ул. Молодёжная",
    "ул. Лесная",
    "ул. Новая",
    "ул. Мира",
    "ул. Полевая",
];

/// In the order of [`MUNICIPALITIES`].
const MUNIS: [Municipality; 12] = [
    Municipality {
        slug: "smolensk",
        town: "Смоленск",
        of: "г. Смоленска",
        adjective: "Смоленский",
        city: true,
        lat: 54.7826,
        lon: 32.0453,
        phone_code: "4812",
        tax_offices: &[29, 30, 31, 32],
        weight: 316,
        address_prefix: "",
        places: &[town("г. Смоленск", 54.7826, 32.0453, 6.0)],
        streets: &[
            "ул. Ленина",
            "ул. Николаева",
            "пр-т Гагарина",
            "ул. Большая Советская",
            "ул. Дзержинского",
            "ул. Кирова",
            "ул. Рыленкова",
            "ул. Попова",
            "ул. Шевченко",
            "ул. Багратиона",
            "ул. Нахимова",
            "ул. Кутузова",
            "ул. Лавочкина",
            "ул. Крупской",
            "ул. Твардовского",
            "ул. Октябрьской Революции",
            "ул. Тенишевой",
            "ул. Коммунистическая",
            "ул. 25 Сентября",
            "ул. Седова",
            "ул. Маршала Жукова",
            "ул. Нормандия-Неман",
            "ул. Петра Алексеева",
            "ул. Матросова",
            "ул. Академика Петрова",
            "ул. Фрунзе",
            "ул. Индустриальная",
            "ул. Кашена",
            "ул. Ново-Московская",
            "ул. Черняховского",
            "пр-т Строителей",
            "ул. Гарабурды",
            "ул. Румянцева",
            "ул. Маршала Соколовского",
            "Краснинское ш.",
        ],
        schools: 40,
        common_streets: true,
    },
    Municipality {
        slug: "desnogorsk",
        town: "Десногорск",
        of: "г. Десногорска",
        adjective: "Десногорский",
        city: true,
        lat: 54.1467,
        lon: 33.2833,
        phone_code: "48153",
        tax_offices: &[24],
        weight: 27,
        address_prefix: "",
        places: &[town("г. Десногорск", 54.1467, 33.2833, 2.5)],
        streets: &["1-й мкр.", "2-й мкр.", "3-й мкр.", "4-й мкр.", "5-й мкр.", "6-й мкр.", "7-й мкр."],
        schools: 4,
        common_streets: false,
    },
    Municipality {
        slug: "vyazma",
        town: "Вязьма",
        of: "г. Вязьмы",
        adjective: "Вяземский",
        city: false,
        lat: 55.2106,
        lon: 34.2950,
        phone_code: "48131",
        tax_offices: &[22],
        weight: 76,
        address_prefix: "",
        places: &[town("г. Вязьма", 55.2106, 34.2950, 3.0)],
        streets: &["ул. 25 Октября", "ул. Кронштадтская", "ул. Полины Осипенко", "ул. Космонавтов", "ул. Ленина"],
        schools: 10,
        common_streets: true,
    },
    Municipality {
        slug: "gagarin",
        town: "Гагарин",
        of: "г. Гагарина",
        adjective: "Гагаринский",
        city: false,
        lat: 55.5526,
        lon: 34.9960,
        phone_code: "48135",
        tax_offices: &[23],
        weight: 45,
        address_prefix: "",
        places: &[town("г. Гагарин", 55.5526, 34.9960, 3.0)],
        streets: &["ул. Гагарина", "ул. Строителей", "ул. Петра Алексеева", "ул. Красноармейская", "пер. Пионерский"],
        schools: 6,
        common_streets: true,
    },
    Municipality {
        slug: "demidov",
        town: "Демидов",
        of: "г. Демидова",
        adjective: "Демидовский",
        city: false,
        lat: 55.2667,
        lon: 31.5167,
        phone_code: "48147",
        tax_offices: &[3],
        weight: 13,
        address_prefix: "",
        places: &[town("г. Демидов", 55.2667, 31.5167, 2.0)],
        streets: &["ул. Коммунистическая", "ул. Хренова", "ул. Гаврилкина"],
        schools: 2,
        common_streets: true,
    },
    Municipality {
        slug: "dorogobuzh",
        town: "Дорогобуж",
        of: "г. Дорогобужа",
        adjective: "Дорогобужский",
        city: false,
        lat: 54.9133,
        lon: 33.3028,
        phone_code: "48144",
        tax_offices: &[4],
        weight: 25,
        address_prefix: "",
        places: &[town("г. Дорогобуж", 54.9133, 33.3028, 2.0)],
        streets: &["ул. Кутузова", "ул. Пушкина", "ул. Мира"],
        schools: 3,
        common_streets: true,
    },
    Municipality {
        slug: "pochinok",
        town: "Починок",
        of: "г. Починка",
        adjective: "Починковский",
        city: false,
        lat: 54.4000,
        lon: 32.4333,
        phone_code: "48149",
        tax_offices: &[12],
        weight: 25,
        address_prefix: "",
        places: &[town("г. Починок", 54.4000, 32.4333, 2.0)],
        streets: &["ул. Урицкого", "ул. Советская", "ул. Кирова"],
        schools: 2,
        common_streets: true,
    },
    Municipality {
        slug: "roslavl",
        town: "Рославль",
        of: "г. Рославля",
        adjective: "Рославльский",
        city: false,
        lat: 53.9500,
        lon: 32.8667,
        phone_code: "48134",
        tax_offices: &[25],
        weight: 65,
        address_prefix: "",
        places: &[town("г. Рославль", 53.9500, 32.8667, 3.0)],
        streets: &["ул. Красина", "ул. Пролетарская", "ул. Карла Маркса", "ул. Энгельса", "16-й мкр."],
        schools: 10,
        common_streets: true,
    },
    Municipality {
        slug: "rudnya",
        town: "Рудня",
        of: "г. Рудни",
        adjective: "Руднянский",
        city: false,
        lat: 54.9500,
        lon: 31.1000,
        phone_code: "48141",
        tax_offices: &[13],
        weight: 20,
        address_prefix: "",
        places: &[town("г. Рудня", 54.9500, 31.1000, 2.0)],
        streets: &["ул. Киреева", "ул. Пушкина", "ул. Вокзальная"],
        schools: 2,
        common_streets: true,
    },
    Municipality {
        slug: "safonovo",
        town: "Сафоново",
        of: "г. Сафоново",
        adjective: "Сафоновский",
        city: false,
        lat: 55.1167,
        lon: 33.2333,
        phone_code: "48142",
        tax_offices: &[26],
        weight: 50,
        address_prefix: "",
        places: &[town("г. Сафоново", 55.1167, 33.2333, 3.0)],
        streets: &["ул. Октябрьская", "ул. Революционная", "ул. Строителей", "мкр. Юбилейный"],
        schools: 9,
        common_streets: true,
    },
    Municipality {
        slug: "smolensky-rn",
        town: "Смоленский район",
        of: "Смоленского района",
        adjective: "Смоленский",
        city: false,
        lat: 54.70,
        lon: 31.85,
        phone_code: "4812",
        tax_offices: &[14],
        weight: 48,
        address_prefix: "Смоленский район, ",
        places: &[
            village("д. Михновка", "Михновск", 54.705, 31.875),
            village("с. Пригорское", "Пригорск", 54.675, 31.950),
            village("п. Печерск", "Печерск", 54.835, 31.925),
            village("д. Катынь", "Катынск", 54.765, 31.700),
            village("с. Каспля", "Касплянск", 54.850, 31.640),
            village("с. Богородицкое", "Богородицк", 54.745, 31.765),
            village("д. Стабна", "Стабенск", 54.640, 31.790),
            village("с. Хохлово", "Хохловск", 54.690, 31.720),
        ],
        streets: VILLAGE_STREETS,
        schools: 0,
        common_streets: true,
    },
    Municipality {
        slug: "yartsevo",
        town: "Ярцево",
        of: "г. Ярцево",
        adjective: "Ярцевский",
        city: false,
        lat: 55.0667,
        lon: 32.6833,
        phone_code: "48143",
        tax_offices: &[27],
        weight: 52,
        address_prefix: "",
        places: &[town("г. Ярцево", 55.0667, 32.6833, 3.0)],
        streets: &["ул. Гагарина", "пр-т Металлургов", "ул. Советская", "ул. Энтузиастов", "ул. Автозаводская"],
        schools: 10,
        common_streets: true,
    },
];

const _: () = assert!(MUNIS.len() == MUNICIPALITIES.len());

/// `[lat, lon]` of the `m`-th demo municipality's centre.
pub fn centre_of(m: usize) -> [f64; 2] {
    [muni(m).lat, muni(m).lon]
}

fn muni(m: usize) -> &'static Municipality {
    MUNIS.get(m).unwrap_or(&MUNIS[0])
}

fn place_of(m: usize, p: usize) -> &'static Place {
    let places = muni(m).places;
    places.get(p).unwrap_or(&places[0])
}

/// Organizations per municipality, in proportion to their weights; each
/// gets one when there are enough.
fn per_municipality(total: usize) -> Vec<usize> {
    let n = MUNIS.len();
    let mut counts = vec![0usize; n];
    let base = usize::from(total >= n);
    counts.fill(base);
    let rest = total - base * n;
    let sum: u64 = MUNIS.iter().map(|m| u64::from(m.weight)).sum();
    let mut given = 0;
    let mut remainders = Vec::with_capacity(n);
    for (i, m) in MUNIS.iter().enumerate() {
        let exact = rest as u64 * u64::from(m.weight);
        let share = (exact / sum) as usize;
        counts[i] += share;
        given += share;
        remainders.push((exact % sum, i));
    }
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders.into_iter().take(rest - given) {
        counts[i] += 1;
    }
    counts
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// A point `min_km..max_km` from the given one, uniform over the ring's area.
fn point_near(rng: &mut Prng, lat: f64, lon: f64, min_km: f64, max_km: f64) -> (f64, f64) {
    let u: f64 = rng.r#gen();
    let d = (min_km * min_km + u * (max_km * max_km - min_km * min_km)).sqrt();
    let angle = rng.gen_range(0.0..std::f64::consts::TAU);
    let dlat = d * angle.sin() / 111.0;
    let dlon = d * angle.cos() / (111.0 * lat.to_radians().cos());
    (round6(lat + dlat), round6(lon + dlon))
}

fn street_address(rng: &mut Prng, m: usize, p: usize) -> String {
    let municipality = muni(m);
    let place = place_of(m, p);
    let (streets, max) = if place.stem.is_empty() { (municipality.streets, 90) } else { (VILLAGE_STREETS, 40) };
    let common = place.stem.is_empty() && municipality.common_streets && rng.gen_bool(0.4);
    let street = if common { pick(rng, TOWN_STREETS) } else { pick(rng, streets) };
    let number = rng.gen_range(1..=max);
    let suffix = match rng.gen_range(0..20) {
        0 | 1 => "а",
        2 => "б",
        _ => "",
    };
    format!("{}{}, {street}, д. {number}{suffix}", municipality.address_prefix, place.label)
}

fn city_phone(rng: &mut Prng, code: &str) -> String {
    if code.len() == 4 {
        format!("+7 {code} {}-{:02}-{:02}", rng.gen_range(20..=69), rng.gen_range(0..100), rng.gen_range(0..100))
    } else {
        format!("+7 {code} {}-{:02}-{:02}", rng.gen_range(2..=7), rng.gen_range(0..100), rng.gen_range(0..100))
    }
}

fn mobile_phone(rng: &mut Prng) -> String {
    let operator = *pick(rng, &[10u32, 15, 19, 20, 51, 52, 60, 80, 5]);
    format!("+7 9{operator:02} {}-{:02}-{:02}", rng.gen_range(100..1000), rng.gen_range(0..100), rng.gen_range(0..100))
}

// ---------------------------------------------------------------------------
// People

const SURNAMES: &[&str] = &[
    "Иванов",
    "Кравцов",
    "Соколов",
    "Кузнецов",
    "Смирнов",
    "Новиков",
    "Морозов",
    "Волков",
    "Лебедев",
    "Козлов",
    "Егоров",
    "Павлов",
    "Семёнов",
    "Голубев",
    "Виноградов",
    "Богданов",
    "Воробьёв",
    "Фёдоров",
    "Михайлов",
    "Беляев",
    "Тарасов",
    "Белов",
    "Комаров",
    "Орлов",
    "Киселёв",
    "Макаров",
    "Андреев",
    "Ковалёв",
    "Ильин",
    "Гусев",
    "Титов",
    "Кузьмин",
    "Кудрявцев",
    "Баранов",
    "Куликов",
    "Алексеев",
    "Степанов",
    "Яковлев",
    "Сорокин",
    "Сергеев",
    "Романов",
    "Захаров",
    "Борисов",
    "Королёв",
    "Герасимов",
    "Пономарёв",
    "Григорьев",
    "Лазарев",
    "Медведев",
    "Ершов",
    "Никитин",
    "Соболев",
    "Рябов",
    "Поляков",
    "Цветков",
    "Данилов",
    "Жуков",
    "Фролов",
    "Журавлёв",
    "Николаев",
    "Крылов",
    "Максимов",
    "Сидоров",
    "Осипов",
    "Белоусов",
    "Федотов",
    "Дорофеев",
    "Матвеев",
    "Бобров",
    "Дмитриев",
    "Калинин",
    "Анисимов",
    "Антонов",
    "Тимофеев",
    "Никифоров",
    "Веселов",
    "Филиппов",
    "Марков",
    "Миронов",
    "Александров",
    "Коновалов",
    "Шестаков",
    "Казаков",
    "Ефимов",
    "Денисов",
    "Громов",
    "Фомин",
    "Давыдов",
    "Мельников",
    "Щербаков",
    "Колесников",
    "Карпов",
    "Афанасьев",
    "Власов",
    "Маслов",
    "Тихонов",
    "Гаврилов",
    "Родионов",
    "Котов",
    "Горбунов",
    "Быков",
    "Зуев",
    "Савельев",
    "Панов",
    "Рыбаков",
    "Суворов",
    "Абрамов",
    "Воронов",
    "Мухин",
    "Архипов",
    "Трофимов",
    "Мартынов",
    "Емельянов",
    "Чернов",
    "Селезнёв",
    "Назаров",
    "Лукин",
    "Потапов",
    "Жданов",
    "Наумов",
    "Воронцов",
    "Ермаков",
    "Дроздов",
    "Логинов",
    "Сафонов",
    "Кириллов",
    "Моисеев",
    "Ефремов",
    "Исаев",
    "Прохоров",
    "Нестеров",
    "Ларионов",
    "Зимин",
    "Филатов",
    "Терентьев",
    "Симонов",
    "Гордеев",
    "Самойлов",
    "Князев",
    "Островский",
    "Вишневский",
    "Покровский",
    "Новицкий",
    "Жуковский",
    "Соловьёв",
    "Твердохлебов",
    "Пржевальский",
];

const MALE_NAMES: &[&str] = &[
    "Александр",
    "Алексей",
    "Андрей",
    "Антон",
    "Артём",
    "Борис",
    "Вадим",
    "Валерий",
    "Василий",
    "Виктор",
    "Владимир",
    "Владислав",
    "Геннадий",
    "Дмитрий",
    "Евгений",
    "Иван",
    "Игорь",
    "Кирилл",
    "Константин",
    "Максим",
    "Михаил",
    "Николай",
    "Олег",
    "Павел",
    "Роман",
    "Сергей",
    "Станислав",
    "Юрий",
];

const FEMALE_NAMES: &[&str] = &[
    "Анна",
    "Алла",
    "Валентина",
    "Вера",
    "Галина",
    "Дарья",
    "Екатерина",
    "Елена",
    "Жанна",
    "Ирина",
    "Ксения",
    "Лариса",
    "Людмила",
    "Марина",
    "Мария",
    "Надежда",
    "Наталья",
    "Нина",
    "Оксана",
    "Ольга",
    "Полина",
    "Светлана",
    "Софья",
    "Татьяна",
    "Юлия",
    "Яна",
    "Виктория",
    "Алёна",
    "Евгения",
    "Анастасия",
];

/// Male patronymics; the female ones end in «-на» instead of «-ич».
const PATRONYMICS: &[&str] = &[
    "Александрович",
    "Алексеевич",
    "Андреевич",
    "Анатольевич",
    "Борисович",
    "Валерьевич",
    "Васильевич",
    "Викторович",
    "Владимирович",
    "Геннадьевич",
    "Дмитриевич",
    "Евгеньевич",
    "Иванович",
    "Игоревич",
    "Константинович",
    "Михайлович",
    "Николаевич",
    "Олегович",
    "Павлович",
    "Петрович",
    "Романович",
    "Сергеевич",
    "Юрьевич",
    "Степанович",
];

/// A full name («Кравцова Анна Сергеевна») and its email-like form («kravtsova.as»).
struct Person {
    full: String,
    login: String,
}

fn person(rng: &mut Prng, female_share: f64) -> Person {
    let female = rng.gen_bool(female_share);
    let male_last = *pick(rng, SURNAMES);
    let male_middle = *pick(rng, PATRONYMICS);
    let (last, first, middle) = if female {
        let last = match male_last.strip_suffix("ий") {
            Some(stem) => format!("{stem}ая"),
            None => format!("{male_last}а"),
        };
        let middle = format!("{}на", male_middle.strip_suffix("ич").unwrap_or(male_middle));
        (last, (*pick(rng, FEMALE_NAMES)).to_owned(), middle)
    } else {
        (male_last.to_owned(), (*pick(rng, MALE_NAMES)).to_owned(), male_middle.to_owned())
    };
    let initials: String =
        [&first, &middle].iter().filter_map(|s| s.chars().next()).map(|c| translit(&c.to_string())).collect();
    Person { login: format!("{}.{initials}", translit(&last)), full: format!("{last} {first} {middle}") }
}

/// Latin letters for emails and web addresses: «Акварель» → `akvarel`.
fn translit(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let latin = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' => "i",
            'й' | 'ы' => "y",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ъ' | 'ь' => "",
            'ю' => "yu",
            'я' => "ya",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        out.push_str(latin);
    }
    let parts: Vec<&str> = out.split('-').filter(|p| !p.is_empty()).collect();
    parts.join("-")
}

/// «Вяземский» → «Вяземская».
fn feminine(adjective: &str) -> String {
    match adjective.strip_suffix("ий") {
        Some(stem) => format!("{stem}ая"),
        None => adjective.to_owned(),
    }
}

fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// «лет», «года», «год» after a number.
fn years(n: i32) -> &'static str {
    match (n % 100, n % 10) {
        (11..=14, _) => "лет",
        (_, 1) => "год",
        (_, 2..=4) => "года",
        _ => "лет",
    }
}

fn pick<'a, T>(rng: &mut Prng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

// ---------------------------------------------------------------------------
// Organizations

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OrgType {
    /// Дом / центр детского творчества: every direction.
    Ddt,
    School,
    Sport,
    /// Дом культуры, культурно-досуговый центр.
    Culture,
    /// Детская школа искусств, музыкальная, художественная.
    ArtSchool,
    Museum,
    Library,
    /// Станция юных техников.
    Technic,
    /// Кванториум, IT-куб, «Точка роста».
    Digital,
    /// Станция юных натуралистов, экостанция.
    Nature,
    /// Центр туризма и краеведения.
    Tourism,
    /// Studios, clubs and centres of entrepreneurs.
    Private,
}

impl OrgType {
    fn kind(self) -> OrganizationKind {
        match self {
            OrgType::Sport => OrganizationKind::Sport,
            OrgType::Culture | OrgType::ArtSchool | OrgType::Museum | OrgType::Library => OrganizationKind::Culture,
            OrgType::Private => OrganizationKind::Private,
            _ => OrganizationKind::Education,
        }
    }

    /// How many programs such an organization has, relatively.
    fn programs_weight(self) -> f64 {
        match self {
            OrgType::Ddt => 22.0,
            OrgType::Digital => 14.0,
            OrgType::Technic | OrgType::Sport => 12.0,
            OrgType::Culture | OrgType::ArtSchool => 8.0,
            OrgType::Nature | OrgType::Tourism => 8.0,
            OrgType::School => 6.0,
            OrgType::Museum | OrgType::Library => 5.0,
            OrgType::Private => 3.5,
        }
    }
}

/// The first organizations of each municipality; then a random mix.
fn org_type(rng: &mut Prng, m: usize, k: usize) -> OrgType {
    use OrgType::*;
    let anchors: &[OrgType] = match m {
        0 => &[Private, Ddt, Digital, Technic, Nature, Sport, Culture, ArtSchool, Tourism, School, Museum, Library],
        10 => &[Ddt, School, Culture, Sport, School],
        _ => &[Ddt, Sport, Culture, School, ArtSchool],
    };
    if let Some(t) = anchors.get(k) {
        return *t;
    }
    let mix: &[(OrgType, u32)] = if m == 0 {
        &[
            (School, 26),
            (Private, 34),
            (Sport, 10),
            (Culture, 5),
            (ArtSchool, 4),
            (Ddt, 4),
            (Library, 3),
            (Museum, 1),
            (Technic, 3),
            (Digital, 2),
            (Nature, 2),
            (Tourism, 3),
        ]
    } else {
        &[
            (School, 40),
            (Private, 14),
            (Sport, 10),
            (Culture, 9),
            (ArtSchool, 4),
            (Ddt, 4),
            (Library, 4),
            (Museum, 2),
            (Technic, 3),
            (Digital, 3),
            (Nature, 2),
            (Tourism, 2),
        ]
    };
    let total: u32 = mix.iter().map(|(_, w)| w).sum();
    let mut r = rng.gen_range(0..total);
    for (t, w) in mix {
        if r < *w {
            return *t;
        }
        r -= w;
    }
    School
}

/// What programs generation needs to know of an organization.
struct OrgMeta {
    org_type: OrgType,
    municipality: usize,
    place: usize,
    /// Indices into [`PROFILES`] its programs are of.
    focus: Vec<usize>,
    is_provider: bool,
    lat: f64,
    lon: f64,
}

#[derive(Default)]
struct Registry {
    names: HashSet<String>,
    inns: HashSet<String>,
    emails: HashSet<String>,
    /// (municipality, number) of numbered schools.
    schools: HashSet<(usize, u32)>,
    /// (municipality, name) of private studios.
    studios: HashSet<(usize, &'static str)>,
}

impl Registry {
    fn inn(&mut self, rng: &mut Prng, m: usize) -> String {
        loop {
            let office = *pick(rng, muni(m).tax_offices);
            let first_nine = 670_000_000 + office * 100_000 + rng.gen_range(0..100_000);
            let inn = Inn::with_checksum(first_nine).as_str().to_owned();
            if self.inns.insert(inn.clone()) {
                return inn;
            }
        }
    }

    /// A school number not yet taken in the municipality: a real one while
    /// there are, then the next ones.
    fn school_number(&mut self, rng: &mut Prng, m: usize) -> u32 {
        let real = muni(m).schools;
        let free: Vec<u32> = (1..=real).filter(|n| !self.schools.contains(&(m, *n))).collect();
        let n = match free.get(rng.gen_range(0..free.len().max(1))) {
            Some(n) => *n,
            None => (real + 1..).find(|n| !self.schools.contains(&(m, *n))).unwrap_or(real + 1),
        };
        self.schools.insert((m, n));
        n
    }

    /// A unique email local part: `ddt-vyazma`, then `ddt-vyazma2`…
    fn email(&mut self, local: &str) -> String {
        let mut candidate = local.to_owned();
        let mut n = 2;
        while !self.emails.insert(candidate.clone()) {
            candidate = format!("{local}{n}");
            n += 1;
        }
        candidate
    }
}

/// A name for an organization being made.
struct Candidate {
    name: String,
    email: String,
    /// Profiles its programs may have, and how many of them it takes.
    pool: &'static [&'static str],
    size: (usize, usize),
    place: usize,
    kind: OrganizationKind,
}

fn organization(rng: &mut Prng, registry: &mut Registry, m: usize, org_type: OrgType) -> (DemoOrganization, OrgMeta) {
    let first = registry.names.is_empty() && m == 0 && org_type == OrgType::Private;
    let mut chosen = None;
    if first {
        chosen = Some(Candidate {
            name: "ИП Кравцова Анна Сергеевна (студия «Акварель»)".to_owned(),
            email: "studio-akvarel".to_owned(),
            pool: FINE_ART_POOL,
            size: (2, 2),
            place: 0,
            kind: OrganizationKind::Private,
        });
    } else if org_type != OrgType::Private {
        // When the kind has run out of names (at benchmark scale), a
        // numbered school, else a private studio.
        let fallback = if rng.gen_bool(0.6) { OrgType::School } else { OrgType::Private };
        for attempt in 0..12 {
            let t = if attempt < 10 { org_type } else { fallback };
            if let Some(c) = public_candidate(rng, registry, m, t)
                && !registry.names.contains(&c.name)
            {
                chosen = Some(c);
                break;
            }
        }
    }
    let mut attempt = 0;
    let candidate = loop {
        if let Some(c) = chosen.take() {
            break c;
        }
        let mut c = private_candidate(rng, registry, m);
        attempt += 1;
        if attempt > 50 {
            c.name = format!("{} ({attempt})", c.name);
        }
        if !registry.names.contains(&c.name) {
            break c;
        }
    };
    registry.names.insert(candidate.name.clone());
    let focus = subset(rng, candidate.pool, candidate.size.0, candidate.size.1);
    let private = candidate.kind == OrganizationKind::Private;
    let is_provider = if private { first || rng.gen_bool(0.75) } else { rng.gen_bool(0.97) };
    let place = place_of(m, candidate.place);
    let (lat, lon) = point_near(rng, place.lat, place.lon, 0.0, place.radius_km);
    debug_assert!((lat - muni(m).lat).abs() < 0.3 && (lon - muni(m).lon).abs() < 0.3, "{lat} {lon} off {m}");
    let email = registry.email(&candidate.email);
    let website = if rng.gen_bool(if private { 0.5 } else { 0.8 }) {
        format!("https://{}.example.org", email.replace('.', "-"))
    } else {
        String::new()
    };
    let input = OrganizationInput {
        name: candidate.name,
        inn: registry.inn(rng, m),
        kind: Some(candidate.kind),
        municipality_id: m as i64 + 1,
        address: street_address(rng, m, candidate.place),
        lat: Some(lat),
        lon: Some(lon),
        phone: if private && rng.gen_bool(0.6) { mobile_phone(rng) } else { city_phone(rng, muni(m).phone_code) },
        email: format!("{email}@example.org"),
        website,
        is_provider,
        can_activate: false,
        can_confirm: false,
        can_view_personal_data: false,
        activation_contact: String::new(),
        reception_hours: String::new(),
        city_phone: String::new(),
        status: Some(OrganizationStatus::Active),
    };
    let meta = OrgMeta {
        org_type: if private {
            OrgType::Private
        } else if candidate.pool == SCHOOL_POOL {
            OrgType::School
        } else {
            org_type
        },
        municipality: m,
        place: candidate.place,
        focus,
        is_provider,
        lat,
        lon,
    };
    (DemoOrganization { input, municipality: m }, meta)
}

/// Up to `max` (at least `min`) random profiles of the pool.
fn subset(rng: &mut Prng, pool: &[&str], min: usize, max: usize) -> Vec<usize> {
    let mut ids = profile_ids(pool);
    ids.shuffle(rng);
    let n = rng.gen_range(min..=max).min(ids.len());
    ids.truncate(n);
    ids
}

/// Indices into [`PROFILES`] of the named profiles.
fn profile_ids(names: &[&str]) -> Vec<usize> {
    names.iter().filter_map(|name| PROFILES.iter().position(|p| p.name == *name)).collect()
}

const DDT_POOL: &[&str] = &[
    "робототехника",
    "программирование",
    "3D-моделирование",
    "начальное техническое моделирование",
    "экология",
    "биология",
    "исследовательская деятельность",
    "шахматы",
    "общая физическая подготовка",
    "художественная гимнастика",
    "хореография",
    "вокал",
    "изобразительное искусство",
    "театр",
    "декоративно-прикладное творчество",
    "гитара",
    "фото и видео",
    "краеведение",
    "спортивный туризм",
    "английский язык",
    "журналистика",
    "волонтёрство",
    "подготовка к школе",
    "интеллектуальное развитие",
    "ораторское искусство",
];

const SCHOOL_POOL: &[&str] = &[
    "робототехника",
    "программирование",
    "3D-моделирование",
    "экология",
    "химия",
    "физика",
    "биология",
    "астрономия",
    "исследовательская деятельность",
    "футбол",
    "шахматы",
    "волейбол",
    "баскетбол",
    "общая физическая подготовка",
    "лёгкая атлетика",
    "настольный теннис",
    "хореография",
    "вокал",
    "изобразительное искусство",
    "театр",
    "декоративно-прикладное творчество",
    "краеведение",
    "музейное дело",
    "военно-историческое краеведение",
    "английский язык",
    "журналистика",
    "волонтёрство",
    "финансовая грамотность",
    "военно-патриотическое воспитание",
    "интеллектуальное развитие",
];

const SPORT_POOL: &[&str] = &[
    "футбол",
    "шахматы",
    "самбо",
    "дзюдо",
    "плавание",
    "лыжные гонки",
    "волейбол",
    "баскетбол",
    "общая физическая подготовка",
    "лёгкая атлетика",
    "настольный теннис",
    "художественная гимнастика",
    "каратэ",
];

const CULTURE_POOL: &[&str] = &[
    "хореография",
    "вокал",
    "изобразительное искусство",
    "театр",
    "декоративно-прикладное творчество",
    "гитара",
    "инструментальная музыка",
    "фото и видео",
    "краеведение",
    "волонтёрство",
];

const ART_SCHOOL_POOL: &[&str] =
    &["хореография", "вокал", "изобразительное искусство", "театр", "инструментальная музыка", "гитара"];
const MUSIC_POOL: &[&str] = &["вокал", "гитара", "инструментальная музыка"];
const FINE_ART_POOL: &[&str] = &["изобразительное искусство", "декоративно-прикладное творчество"];
const MUSEUM_POOL: &[&str] =
    &["музейное дело", "краеведение", "военно-историческое краеведение", "декоративно-прикладное творчество"];
const LIBRARY_POOL: &[&str] = &[
    "краеведение",
    "журналистика",
    "интеллектуальное развитие",
    "подготовка к школе",
    "ораторское искусство",
    "английский язык",
];
const TECHNIC_POOL: &[&str] = &[
    "робототехника",
    "программирование",
    "3D-моделирование",
    "авиамоделирование",
    "радиоэлектроника",
    "начальное техническое моделирование",
];
const DIGITAL_POOL: &[&str] = &[
    "робототехника",
    "программирование",
    "3D-моделирование",
    "авиамоделирование",
    "радиоэлектроника",
    "химия",
    "биология",
    "физика",
    "астрономия",
];
const NATURE_POOL: &[&str] = &[
    "экология",
    "химия",
    "астрономия",
    "биология",
    "физика",
    "растениеводство",
    "исследовательская деятельность",
    "экологический туризм",
];
const TOURISM_POOL: &[&str] = &[
    "краеведение",
    "спортивный туризм",
    "ориентирование",
    "военно-историческое краеведение",
    "экологический туризм",
    "музейное дело",
];

const KVANTORIUM: &str = "Детский технопарк «Кванториум» (Смоленск)";
const ECOSTATION: &str = "СОГБУ ДО «Экостанция»";
const TOURISM_CENTRE: &str = "СОГБУ ДО «Центр туризма, краеведения и экскурсий»";

/// An official name for a public organization of type `t` (the caller checks
/// that it is new); `None` for private ones.
fn public_candidate(rng: &mut Prng, registry: &mut Registry, m: usize, t: OrgType) -> Option<Candidate> {
    let municipality = muni(m);
    let place = rng.gen_range(0..municipality.places.len());
    let stem = place_of(m, place).stem;
    let (of, slug, adj) = (municipality.of, municipality.slug, municipality.adjective);
    let smolensk = m == 0;
    let (name, email, pool, (min, max)): (String, String, &[&str], (usize, usize)) = match t {
        OrgType::Ddt => {
            let forms = [
                ("Дом детского творчества", "ddt"),
                ("Центр детского творчества", "cdt"),
                ("Центр дополнительного образования", "cdo"),
                ("Дом детства и юношества", "ddyu"),
                ("Центр внешкольной работы", "cvr"),
                ("Центр развития творчества детей и юношества", "crtdyu"),
            ];
            let (base, abbr) = *pick(rng, &forms);
            (format!("МБУ ДО «{base}» {of}"), format!("{abbr}-{slug}"), DDT_POOL, (10, 16))
        }
        OrgType::School if stem.is_empty() => {
            let n = registry.school_number(rng, m);
            let (kind, eng) = match rng.gen_range(0..100) {
                0..=64 => ("Средняя школа", "school"),
                65..=79 => ("Гимназия", "gymnasium"),
                80..=89 if smolensk || municipality.schools >= 6 => ("Лицей", "lyceum"),
                _ if smolensk || municipality.schools <= 2 => ("Средняя школа", "school"),
                _ => ("Основная школа", "school"),
            };
            (format!("МБОУ «{kind} № {n}» {of}"), format!("{eng}{n}-{slug}"), SCHOOL_POOL, (5, 8))
        }
        OrgType::School => {
            let kind = if rng.gen_bool(0.75) { "средняя школа" } else { "основная школа" };
            let name = format!("МБОУ «{stem}ая {kind}» {of}");
            if registry.names.contains(&name) {
                let n = registry.school_number(rng, m);
                (format!("МБОУ «Средняя школа № {n}» {of}"), format!("school{n}-{slug}"), SCHOOL_POOL, (5, 8))
            } else {
                (name, format!("{}-school", translit(stem)), SCHOOL_POOL, (5, 8))
            }
        }
        OrgType::Sport => {
            let club = *pick(rng, &["Олимп", "Юность", "Смена", "Атлант", "Чемпион", "Старт", "Лидер", "Витязь"]);
            let club_slug = translit(club);
            let n = rng.gen_range(1..=6);
            let (name, email) = match rng.gen_range(0..10) {
                0..=3 if smolensk => {
                    (format!("МБУ ДО «Спортивная школа олимпийского резерва № {n}» {of}"), format!("sshor{n}-{slug}"))
                }
                4 | 5 if smolensk => {
                    (format!("МБУ ДО «Детско-юношеская спортивная школа № {n}» {of}"), format!("dussh{n}-{slug}"))
                }
                0..=3 => (format!("МБУ ДО «Детско-юношеская спортивная школа» {of}"), format!("dussh-{slug}")),
                4 | 5 => (format!("МБУ ДО «Спортивная школа» {of}"), format!("sport-{slug}")),
                6..=8 => (format!("МБУ ДО «Спортивная школа «{club}»» {of}"), format!("sport-{club_slug}-{slug}")),
                _ => (format!("АНО «Спортивный клуб «{club}»» {of}"), format!("club-{club_slug}-{slug}")),
            };
            (name, email, SPORT_POOL, (2, 5))
        }
        OrgType::Culture => {
            let dk = *pick(
                rng,
                &[
                    "Юбилейный",
                    "Строитель",
                    "Энергетик",
                    "Октябрь",
                    "Радуга",
                    "Железнодорожник",
                    "Химик",
                    "Молодёжный",
                    "Мир",
                    "Современник",
                ],
            );
            let dk_slug = translit(dk);
            let (name, email) = if !stem.is_empty() {
                if rng.gen_bool(0.7) {
                    (format!("МБУК «{stem}ий сельский Дом культуры»"), format!("sdk-{}", translit(stem)))
                } else {
                    (format!("МБУК «{adj} районный Дом культуры»"), format!("rdk-{slug}"))
                }
            } else if municipality.city {
                match rng.gen_range(0..3) {
                    0 => (format!("МБУК «Культурно-досуговый центр «{dk}»» {of}"), format!("kdc-{dk_slug}-{slug}")),
                    1 => (format!("МБУК «Дом культуры «{dk}»» {of}"), format!("dk-{dk_slug}-{slug}")),
                    _ => (format!("МБУК «{adj} городской Дом культуры»"), format!("gdk-{slug}")),
                }
            } else {
                match rng.gen_range(0..4) {
                    0 => (format!("МБУК «{adj} районный Дом культуры»"), format!("rdk-{slug}")),
                    1 => (format!("МБУК «{adj} районный культурно-досуговый центр»"), format!("rkdc-{slug}")),
                    2 => (format!("МБУК «Дом культуры «{dk}»» {of}"), format!("dk-{dk_slug}-{slug}")),
                    _ => (format!("МБУК «Центр культуры» {of}"), format!("ck-{slug}")),
                }
            };
            (name, email, CULTURE_POOL, (4, 7))
        }
        OrgType::ArtSchool => {
            let n = rng.gen_range(1..=8);
            match rng.gen_range(0..5) {
                0 | 1 if smolensk => (
                    format!("МБУ ДО «Детская школа искусств № {n}» {of}"),
                    format!("dshi{n}-{slug}"),
                    ART_SCHOOL_POOL,
                    (3, 5),
                ),
                0 | 1 if !stem.is_empty() => (
                    format!("МБУ ДО «{stem}ая детская школа искусств» {of}"),
                    format!("dshi-{}", translit(stem)),
                    ART_SCHOOL_POOL,
                    (3, 5),
                ),
                0 | 1 => {
                    (format!("МБУ ДО «Детская школа искусств» {of}"), format!("dshi-{slug}"), ART_SCHOOL_POOL, (3, 5))
                }
                2 => (format!("МБУ ДО «Детская музыкальная школа» {of}"), format!("dmsh-{slug}"), MUSIC_POOL, (2, 3)),
                3 => (
                    format!("МБУ ДО «Детская художественная школа» {of}"),
                    format!("dkhsh-{slug}"),
                    FINE_ART_POOL,
                    (2, 2),
                ),
                _ if smolensk => (
                    format!("МБУ ДО «Детская школа искусств им. М. И. Глинки» {of}"),
                    format!("dshi-glinka-{slug}"),
                    ART_SCHOOL_POOL,
                    (3, 5),
                ),
                _ => (format!("МБУ ДО «Детская школа искусств» {of}"), format!("dshi-{slug}"), ART_SCHOOL_POOL, (3, 5)),
            }
        }
        OrgType::Museum => {
            let (name, email) = if !stem.is_empty() {
                (format!("МБУК «{stem}ий краеведческий музей»"), format!("museum-{}", translit(stem)))
            } else if smolensk {
                let name = *pick(rng, &["Смоленская крепость", "Городская усадьба", "Смоленский лён", "Заднепровье"]);
                (format!("МБУК «Музейно-выставочный центр «{name}»» {of}"), format!("mvc-{}", translit(name)))
            } else {
                (format!("МБУК «{adj} историко-краеведческий музей»"), format!("museum-{slug}"))
            };
            (name, email, MUSEUM_POOL, (2, 4))
        }
        OrgType::Library => {
            let (name, email) = if smolensk {
                let n = rng.gen_range(1..=20);
                (
                    format!("Библиотека № {n} МБУК «Централизованная библиотечная система» {of}"),
                    format!("library{n}-{slug}"),
                )
            } else if rng.gen_bool(0.5) {
                (format!("МБУК «Централизованная библиотечная система» {of}"), format!("cbs-{slug}"))
            } else {
                (format!("МБУК «{} районная детская библиотека»", feminine(adj)), format!("rdb-{slug}"))
            };
            (name, email, LIBRARY_POOL, (2, 4))
        }
        OrgType::Technic => {
            let (base, abbr) = *pick(
                rng,
                &[
                    ("Станция юных техников", "syut"),
                    ("Центр технического творчества", "ctt"),
                    ("Центр детского (юношеского) технического творчества", "cdyutt"),
                ],
            );
            (format!("МБУ ДО «{base}» {of}"), format!("{abbr}-{slug}"), TECHNIC_POOL, (3, 6))
        }
        OrgType::Digital => {
            let n = rng.gen_range(1..=municipality.schools.clamp(1, 5));
            let (name, email) = match rng.gen_range(0..3) {
                _ if smolensk && !registry.names.contains(KVANTORIUM) => {
                    (KVANTORIUM.to_owned(), "kvantorium-smolensk".to_owned())
                }
                0 | 1 => (format!("Центр цифрового образования «IT-куб» {of}"), format!("itcube-{slug}")),
                _ if stem.is_empty() => {
                    (format!("Центр «Точка роста» МБОУ «Средняя школа № {n}» {of}"), format!("tochka{n}-{slug}"))
                }
                _ => (
                    format!("Центр «Точка роста» МБОУ «{stem}ая средняя школа» {of}"),
                    format!("tochka-{}", translit(stem)),
                ),
            };
            (name, email, DIGITAL_POOL, (4, 7))
        }
        OrgType::Nature => {
            let (name, email) = match rng.gen_range(0..3) {
                _ if smolensk && !registry.names.contains(ECOSTATION) => {
                    (ECOSTATION.to_owned(), "ecostation-smolensk".to_owned())
                }
                0 | 1 => (format!("МБУ ДО «Станция юных натуралистов» {of}"), format!("syun-{slug}")),
                _ => (format!("МБУ ДО «Эколого-биологический центр» {of}"), format!("ebc-{slug}")),
            };
            (name, email, NATURE_POOL, (3, 6))
        }
        OrgType::Tourism => {
            let (name, email) = match rng.gen_range(0..3) {
                _ if smolensk && !registry.names.contains(TOURISM_CENTRE) => {
                    (TOURISM_CENTRE.to_owned(), "turcentr-smolensk".to_owned())
                }
                0 => (format!("МБУ ДО «Центр туризма и краеведения» {of}"), format!("ctk-{slug}")),
                1 => (format!("МБУ ДО «Станция юных туристов» {of}"), format!("syutur-{slug}")),
                _ => (format!("МБУ ДО «Центр детского и юношеского туризма» {of}"), format!("cdyut-{slug}")),
            };
            (name, email, TOURISM_POOL, (3, 5))
        }
        OrgType::Private => return None,
    };
    Some(Candidate { name, email, pool, size: (min, max), place, kind: t.kind() })
}

/// A private studio's theme: its nouns, names and profiles.
struct Theme {
    /// Lower case: «студия», «школа робототехники».
    nouns: &'static [&'static str],
    names: &'static [&'static str],
    profiles: &'static [&'static str],
}

const THEMES: &[Theme] = &[
    Theme {
        nouns: &["студия", "арт-студия", "художественная студия"],
        names: &[
            "Акварель",
            "Палитра",
            "Мольберт",
            "Колорит",
            "Радуга",
            "Карандаш",
            "Вдохновение",
            "Пастель",
            "Кисточка",
        ],
        profiles: &["изобразительное искусство", "декоративно-прикладное творчество"],
    },
    Theme {
        nouns: &["танцевальная студия", "школа танцев", "студия танца"],
        names: &[
            "Грация",
            "Карамель",
            "Ритм",
            "Экспрессия",
            "Движение",
            "Антре",
            "Плие",
            "Фуэте",
            "Стиль",
            "Лёгкий шаг",
        ],
        profiles: &["хореография", "художественная гимнастика"],
    },
    Theme {
        nouns: &["школа робототехники", "клуб робототехники", "IT-школа", "центр технического творчества"],
        names: &[
            "Роботрек",
            "Робоград",
            "Инженерики",
            "Техноград",
            "Пиксель",
            "Байт",
            "Алгоритм",
            "Кибер",
            "Шестерёнка",
        ],
        profiles: &["робототехника", "программирование", "3D-моделирование"],
    },
    Theme {
        nouns: &["языковая школа", "языковой центр", "школа иностранных языков"],
        names: &["Полиглот", "Лингва", "Глобус", "Британия", "Лингвист", "Диалог", "Эрудит"],
        profiles: &["английский язык"],
    },
    Theme {
        nouns: &["центр развития", "детский центр", "клуб развития"],
        names: &[
            "Умники",
            "Почемучка",
            "Знайка",
            "Солнышко",
            "Развивайка",
            "Теремок",
            "Звёздочка",
            "Ладушки",
            "Умка",
            "Лучик",
        ],
        profiles: &["подготовка к школе", "интеллектуальное развитие", "английский язык", "изобразительное искусство"],
    },
    Theme {
        nouns: &["шахматный клуб", "шахматная школа"],
        names: &["Гамбит", "Эндшпиль", "Ферзь", "Дебют", "Рокировка", "Белая ладья", "Цейтнот"],
        profiles: &["шахматы", "интеллектуальное развитие"],
    },
    Theme {
        nouns: &["музыкальная студия", "студия вокала", "школа музыки"],
        names: &["Камертон", "Нотка", "Октава", "Созвучие", "Звёздный час", "Аккорд", "Мелодия"],
        profiles: &["вокал", "гитара", "инструментальная музыка"],
    },
    Theme {
        nouns: &["спортивный клуб", "клуб единоборств"],
        names: &["Чемпион", "Олимп", "Спарта", "Витязь", "Пересвет", "Атлант", "Богатырь"],
        profiles: &["самбо", "дзюдо", "каратэ", "общая физическая подготовка"],
    },
];

fn private_candidate(rng: &mut Prng, registry: &mut Registry, m: usize) -> Candidate {
    let municipality = muni(m);
    // A studio name not yet used in the municipality while there are.
    let (mut theme, mut studio) = (&THEMES[0], THEMES[0].names[0]);
    for _ in 0..8 {
        theme = pick(rng, THEMES);
        studio = *pick(rng, theme.names);
        if !registry.studios.contains(&(m, studio)) {
            break;
        }
    }
    registry.studios.insert((m, studio));
    let noun = *pick(rng, theme.nouns);
    let place = rng.gen_range(0..municipality.places.len());
    let slug = municipality.slug;
    let (name, email) = match rng.gen_range(0..10) {
        0..=3 => {
            let owner = person(rng, 0.8);
            (format!("ИП {} ({noun} «{studio}»)", owner.full), owner.login)
        }
        4..=7 if m == 0 => (format!("{} «{studio}»", upper_first(noun)), format!("{}-{slug}", translit(studio))),
        4..=7 => (
            format!("{} «{studio}» ({})", upper_first(noun), municipality.town),
            format!("{}-{slug}", translit(studio)),
        ),
        _ => (format!("ООО «{} «{studio}»»", upper_first(noun)), format!("{}-{slug}", translit(studio))),
    };
    let size = (theme.profiles.len(), theme.profiles.len());
    Candidate { name, email, pool: theme.profiles, size, place, kind: OrganizationKind::Private }
}

// ---------------------------------------------------------------------------
// Programs

/// A profile of programs: what the catalog's «профиль» says, with the text to
/// describe such programs.
struct Profile {
    direction: Direction,
    name: &'static str,
    /// How common such programs are.
    weight: u32,
    /// Title templates with their ages; `{}` takes one of `names`.
    titles: &'static [(&'static str, i32, i32)],
    names: &'static [&'static str],
    /// What children do.
    does: &'static [&'static str],
    /// What they learn.
    learns: &'static [&'static str],
    /// What comes of it.
    results: &'static [&'static str],
    /// The aim, as a noun phrase.
    goal: &'static str,
}

const PROFILES: &[Profile] = &[
    // Техническая
    Profile {
        direction: Direction::Technical,
        name: "робототехника",
        weight: 6,
        titles: &[
            ("Робототехника", 7, 14),
            ("Юный робототехник", 7, 11),
            ("Робототехника на Lego Education", 7, 11),
            ("Программирование роботов Arduino", 11, 17),
            ("Робототехника «{}»", 8, 14),
            ("Основы робототехники", 8, 13),
            ("Lego-конструирование", 5, 8),
            ("Соревновательная робототехника", 11, 17),
        ],
        names: &["Робоград", "ТехноСтарт", "Шестерёнка", "Винтик", "Кибер", "Робокот", "Инженеры будущего"],
        does: &[
            "Дети собирают модели из конструкторов Lego Education и VEX, программируют их движение и датчики.",
            "На занятиях ребята конструируют роботов, которые проходят лабиринт, следуют по линии и сортируют предметы.",
            "Каждое занятие — небольшой инженерный проект: от идеи и эскиза до работающей модели.",
        ],
        learns: &[
            "Ребята осваивают основы механики, электроники и визуального программирования.",
            "Воспитанники учатся работать в команде, искать ошибки в конструкции и программе и доводить проект до результата.",
        ],
        results: &[
            "По итогам года команды выступают на городских и региональных соревнованиях по робототехнике.",
            "В конце курса каждый участник представляет собственного робота.",
        ],
        goal: "Развитие инженерного мышления и интереса к техническому творчеству через конструирование и программирование роботов.",
    },
    Profile {
        direction: Direction::Technical,
        name: "программирование",
        weight: 5,
        titles: &[
            ("Python для школьников", 12, 17),
            ("Scratch: первые шаги", 8, 11),
            ("Основы программирования", 10, 15),
            ("Разработка игр на Unity", 13, 17),
            ("Алгоритмика", 8, 12),
            ("Веб-разработка для подростков", 13, 17),
            ("IT-студия «{}»", 10, 16),
            ("Программирование на Python", 12, 17),
        ],
        names: &["Код", "Байт", "Пиксель", "Алгоритм", "Бит"],
        does: &[
            "Ребята пишут программы, создают собственные игры и анимации, разбирают задачи олимпиадного уровня.",
            "На занятиях школьники шаг за шагом создают игру или сайт и к концу модуля показывают рабочую версию.",
            "Занятия проходят в компьютерном классе, у каждого ученика своё рабочее место.",
        ],
        learns: &[
            "Дети осваивают алгоритмы, переменные, циклы и функции, учатся разбивать большую задачу на части.",
            "Ученики знакомятся с основами программирования, отладкой программ и командной разработкой.",
        ],
        results: &[
            "Итог курса — собственный проект, который можно показать друзьям и на конкурсах.",
            "Выпускники успешно участвуют в олимпиадах по информатике.",
        ],
        goal: "Формирование алгоритмического мышления и базовых навыков программирования.",
    },
    Profile {
        direction: Direction::Technical,
        name: "3D-моделирование",
        weight: 3,
        titles: &[
            ("3D-моделирование и прототипирование", 11, 17),
            ("3D-ручка: рисуем в объёме", 7, 11),
            ("Компьютерная графика и 3D", 11, 16),
            ("Основы 3D-печати", 10, 15),
            ("Промышленный дизайн", 12, 17),
            ("3D-студия «{}»", 10, 16),
        ],
        names: &["Объём", "Прототип", "Полигон", "Вектор"],
        does: &[
            "Ребята создают трёхмерные модели в программах Blender и «Компас-3D» и печатают их на 3D-принтере.",
            "На занятиях дети придумывают и рисуют объёмные фигуры 3D-ручкой, от простых форм до сложных композиций.",
        ],
        learns: &[
            "Дети учатся читать чертежи, работать с пропорциями и продумывать изделие от эскиза до готового прототипа.",
            "Воспитанники осваивают основы пространственного мышления, инженерной графики и дизайна.",
        ],
        results: &["В конце курса каждый готовит собственный проект и печатает его на 3D-принтере."],
        goal: "Развитие пространственного мышления и навыков цифрового проектирования.",
    },
    Profile {
        direction: Direction::Technical,
        name: "авиамоделирование",
        weight: 2,
        titles: &[
            ("Авиамоделирование", 9, 16),
            ("Юный авиатор", 9, 13),
            ("Беспилотные авиационные системы", 12, 17),
            ("Кордовые авиамодели", 11, 17),
            ("Авиамодельный кружок «{}»", 9, 15),
            ("Пилотирование квадрокоптеров", 11, 17),
        ],
        names: &["Икар", "Стриж", "Сокол", "Полёт", "Крылья"],
        does: &[
            "Ребята строят модели планёров и самолётов из бальзы и пенопласта и запускают их на открытой площадке.",
            "На занятиях воспитанники собирают и настраивают квадрокоптеры, учатся пилотировать на симуляторе и в зале.",
        ],
        learns: &[
            "Дети знакомятся с основами аэродинамики, работают с инструментом и чертежами.",
            "Воспитанники осваивают устройство летательных аппаратов и правила безопасных полётов.",
        ],
        results: &["Лучшие модели участвуют в областных соревнованиях по авиамодельному спорту."],
        goal: "Приобщение детей к авиационной технике и развитие конструкторских способностей.",
    },
    Profile {
        direction: Direction::Technical,
        name: "радиоэлектроника",
        weight: 2,
        titles: &[
            ("Радиоэлектроника", 11, 17),
            ("Юный радиолюбитель", 10, 14),
            ("Основы электроники и схемотехники", 12, 17),
            ("Радиоконструирование", 11, 16),
            ("Электроника для начинающих", 10, 14),
        ],
        names: &[],
        does: &[
            "Ребята собирают электронные схемы, паяют платы и мастерят простые приборы — от мигалки до радиоприёмника.",
            "На занятиях используются макетные платы, паяльные станции и измерительные приборы.",
        ],
        learns: &[
            "Воспитанники изучают законы электричества, радиодетали и правила безопасной работы.",
            "Дети учатся читать принципиальные схемы и находить неисправности.",
        ],
        results: &["Итог курса — собранное своими руками устройство и участие в выставке технического творчества."],
        goal: "Формирование интереса к радиотехнике и электронике, навыков практической работы.",
    },
    Profile {
        direction: Direction::Technical,
        name: "начальное техническое моделирование",
        weight: 2,
        titles: &[
            ("Начальное техническое моделирование", 6, 10),
            ("Мастерилка", 6, 9),
            ("Техническое творчество для малышей", 5, 8),
            ("Бумажное моделирование", 7, 11),
            ("Техническая мастерская «{}»", 6, 10),
        ],
        names: &["Самоделкин", "Умелые руки", "Технарик", "Конструктор"],
        does: &[
            "Дети мастерят модели машин, кораблей и самолётов из бумаги, картона и деталей конструктора.",
            "На занятиях малыши учатся работать с ножницами, шаблонами и простыми инструментами.",
        ],
        learns: &["Ребята знакомятся с геометрическими формами, развивают мелкую моторику и воображение."],
        results: &["Готовые модели дети забирают домой и показывают на выставках."],
        goal: "Развитие конструкторских способностей и интереса к технике у младших школьников.",
    },
    // Естественнонаучная
    Profile {
        direction: Direction::NaturalScience,
        name: "экология",
        weight: 4,
        titles: &[
            ("Юный эколог", 7, 12),
            ("Экология родного края", 10, 15),
            ("Зелёная планета", 8, 12),
            ("Экологический клуб «{}»", 10, 16),
            ("Экологическая лаборатория", 11, 16),
            ("Экологический отряд «{}»", 12, 17),
        ],
        names: &["Родник", "Зелёный патруль", "Берегиня", "Лесовичок", "Первоцвет"],
        does: &[
            "Ребята изучают природу родного края, проводят наблюдения, берут пробы воды и почвы.",
            "Воспитанники участвуют в экологических акциях, уборке берегов Днепра и посадке деревьев.",
            "Часть занятий проходит на экологической тропе и в парках.",
        ],
        learns: &[
            "Дети узнают, как устроены экосистемы, как человек влияет на природу и как её беречь.",
            "Ребята учатся вести дневник наблюдений и оформлять результаты исследований.",
        ],
        results: &["Исследовательские работы ребят участвуют в областных экологических конкурсах."],
        goal: "Формирование экологической культуры и бережного отношения к природе Смоленщины.",
    },
    Profile {
        direction: Direction::NaturalScience,
        name: "химия",
        weight: 2,
        titles: &[
            ("Занимательная химия", 10, 14),
            ("Химическая лаборатория", 13, 17),
            ("Химия вокруг нас", 12, 16),
            ("Юный химик", 10, 13),
            ("Олимпиадная химия", 14, 17),
        ],
        names: &[],
        does: &[
            "На занятиях ребята проводят опыты: выращивают кристаллы, определяют кислотность, получают газы.",
            "Работа идёт в оснащённой лаборатории под руководством педагога, с соблюдением техники безопасности.",
        ],
        learns: &[
            "Школьники знакомятся с веществами и реакциями, которые окружают нас в быту.",
            "Ребята учатся ставить эксперимент, делать выводы и записывать результаты.",
        ],
        results: &["Старшие участники готовятся к олимпиадам и научно-практическим конференциям."],
        goal: "Развитие интереса к химии через эксперимент и исследовательскую деятельность.",
    },
    Profile {
        direction: Direction::NaturalScience,
        name: "астрономия",
        weight: 2,
        titles: &[
            ("Астрономия для школьников", 11, 17),
            ("Тайны звёздного неба", 9, 13),
            ("Юный астроном", 10, 14),
            ("Космос и мы", 8, 12),
            ("Астрономический клуб «{}»", 11, 17),
        ],
        names: &["Орион", "Галактика", "Звездочёт", "Персей"],
        does: &[
            "Ребята наблюдают небо в телескоп, изучают созвездия, планеты и Луну.",
            "На занятиях школьники работают с картой звёздного неба и программами-планетариями.",
        ],
        learns: &[
            "Дети узнают, как устроена Солнечная система, как живут звёзды и как человек осваивает космос.",
            "Ребята учатся ориентироваться по звёздам и вести астрономические наблюдения.",
        ],
        results: &["В течение года проходят вечерние наблюдения и экскурсия в музей Ю. А. Гагарина."],
        goal: "Формирование научной картины мира и интереса к астрономии и космонавтике.",
    },
    Profile {
        direction: Direction::NaturalScience,
        name: "биология",
        weight: 3,
        titles: &[
            ("Юный биолог", 9, 13),
            ("Живая природа", 7, 11),
            ("Биология с микроскопом", 11, 15),
            ("Лаборатория живых систем", 13, 17),
            ("Юный натуралист", 8, 12),
            ("Уголок живой природы", 6, 10),
        ],
        names: &[],
        does: &[
            "Ребята изучают растения и животных, работают с микроскопом и гербарием.",
            "Воспитанники ухаживают за обитателями живого уголка и наблюдают за их поведением.",
        ],
        learns: &[
            "Дети узнают о строении клетки, разнообразии живых организмов и связях между ними.",
            "Школьники учатся ставить биологические опыты и описывать наблюдения.",
        ],
        results: &["Итог года — исследовательский проект и выступление на конференции юных натуралистов."],
        goal: "Развитие познавательного интереса к живой природе и навыков исследования.",
    },
    Profile {
        direction: Direction::NaturalScience,
        name: "физика",
        weight: 2,
        titles: &[
            ("Занимательная физика", 10, 14),
            ("Физика в экспериментах", 12, 17),
            ("Юный физик", 11, 14),
            ("Физическая лаборатория «{}»", 12, 17),
        ],
        names: &["Эврика", "Импульс", "Ньютон", "Резонанс"],
        does: &[
            "Школьники собирают установки, измеряют, сравнивают и объясняют наблюдаемые явления.",
            "Каждое занятие строится вокруг эксперимента, который ребята ставят своими руками.",
        ],
        learns: &["Дети разбираются в законах механики, оптики и электричества на понятных примерах."],
        results: &["Лучшие работы представляются на научно-практических конференциях школьников."],
        goal: "Развитие интереса к физике и навыков экспериментальной работы.",
    },
    Profile {
        direction: Direction::NaturalScience,
        name: "растениеводство",
        weight: 1,
        titles: &[
            ("Юный цветовод", 7, 12),
            ("Сад на подоконнике", 6, 10),
            ("Агроэкология", 12, 17),
            ("Юный овощевод", 9, 13),
            ("Ландшафтный дизайн", 12, 17),
        ],
        names: &[],
        does: &[
            "Ребята выращивают рассаду, ухаживают за комнатными растениями и пришкольным участком.",
            "На занятиях дети сеют, пикируют и пересаживают растения, ведут календарь наблюдений.",
        ],
        learns: &["Воспитанники узнают, как растут растения и чем они болеют, знакомятся с основами агротехники."],
        results: &["Весной ребята высаживают выращенную рассаду на клумбах у здания."],
        goal: "Формирование практических навыков выращивания растений и любви к труду на земле.",
    },
    Profile {
        direction: Direction::NaturalScience,
        name: "исследовательская деятельность",
        weight: 2,
        titles: &[
            ("Маленький исследователь", 5, 7),
            ("Я — исследователь", 8, 11),
            ("Проектная и исследовательская деятельность", 11, 16),
            ("Научное общество учащихся «{}»", 12, 17),
            ("Почемучки", 5, 7),
        ],
        names: &["Эврика", "Поиск", "Открытие", "Ступени"],
        does: &[
            "Дети задают вопросы, ставят простые опыты с водой, воздухом, магнитами и светом.",
            "Ребята выбирают тему, ищут информацию, проводят исследование и готовят его защиту.",
        ],
        learns: &[
            "Воспитанники учатся наблюдать, сравнивать, выдвигать гипотезы и проверять их.",
            "Школьники осваивают структуру исследовательской работы и публичного выступления.",
        ],
        results: &["Итог — собственное исследование и выступление на конференции."],
        goal: "Развитие познавательной активности и исследовательских умений.",
    },
    // Физкультурно-спортивная
    Profile {
        direction: Direction::PhysicalSports,
        name: "футбол",
        weight: 5,
        titles: &[
            ("Футбол", 7, 16),
            ("Мини-футбол", 8, 14),
            ("Футбольная секция «{}»", 7, 15),
            ("Футбол для начинающих", 6, 9),
            ("Футбол: спортивная подготовка", 11, 17),
            ("Юный футболист", 6, 10),
        ],
        names: &["Олимп", "Днепр", "Кристалл", "Юность", "Смена", "Старт"],
        does: &[
            "Тренировки включают разминку, отработку ударов и передач, игровые упражнения и двусторонние игры.",
            "Летом занятия проходят на открытом стадионе, зимой — в спортивном зале.",
        ],
        learns: &[
            "Ребята осваивают технику владения мячом, тактику игры и правила футбола.",
            "Дети учатся играть в команде, поддерживать друг друга и уважать соперника.",
        ],
        results: &["Команды участвуют в первенстве области и турнирах «Кожаный мяч»."],
        goal: "Физическое развитие детей и подготовка к соревнованиям по футболу.",
    },
    Profile {
        direction: Direction::PhysicalSports,
        name: "шахматы",
        weight: 4,
        titles: &[
            ("Шахматный клуб «Ладья»", 7, 15),
            ("Шахматный клуб «{}»", 7, 16),
            ("Шахматы для начинающих", 6, 10),
            ("Шахматы", 7, 15),
            ("Шахматная школа", 8, 17),
            ("Шашки и шахматы", 6, 11),
        ],
        names: &["Гамбит", "Эндшпиль", "Белая ладья", "Ферзь", "Дебют", "Рокировка", "Гроссмейстер"],
        does: &[
            "На занятиях дети решают шахматные задачи, разбирают партии и играют друг с другом.",
            "Каждое занятие включает теорию, решение комбинаций и тренировочные партии с записью ходов.",
        ],
        learns: &[
            "Ребята изучают дебюты, тактические приёмы и основы эндшпиля.",
            "Шахматы развивают внимание, память, логику и умение просчитывать последствия своих решений.",
        ],
        results: &["Воспитанники участвуют в городских и областных турнирах и получают спортивные разряды."],
        goal: "Развитие логического мышления и волевых качеств средствами шахмат.",
    },
    Profile {
        direction: Direction::PhysicalSports,
        name: "самбо",
        weight: 3,
        titles: &[
            ("Самбо", 8, 17),
            ("Секция самбо «{}»", 7, 15),
            ("Борьба самбо", 10, 17),
            ("Самбо: начальная подготовка", 7, 10),
        ],
        names: &["Витязь", "Богатырь", "Пересвет", "Русич"],
        does: &[
            "Тренировки включают общую физическую подготовку, отработку бросков, удержаний и страховки.",
            "Занятия проходят в оборудованном борцовском зале с татами.",
        ],
        learns: &[
            "Ребята осваивают технику самбо, учатся безопасно падать и защищать себя.",
            "Дети воспитывают дисциплину, выносливость и уважение к сопернику.",
        ],
        results: &["Воспитанники сдают нормативы и выступают на первенствах области."],
        goal: "Физическое развитие и воспитание волевых качеств средствами самбо.",
    },
    Profile {
        direction: Direction::PhysicalSports,
        name: "дзюдо",
        weight: 2,
        titles: &[("Дзюдо", 7, 17), ("Дзюдо: начальная подготовка", 7, 10), ("Секция дзюдо «{}»", 7, 15)],
        names: &["Самурай", "Татами", "Иппон", "Сила"],
        does: &["Тренировки включают разминку, акробатику, отработку бросков и учебные схватки."],
        learns: &["Дети учатся правильно падать, контролировать соперника и соблюдать кодекс дзюдо."],
        results: &["Лучшие спортсмены участвуют в областных и межрегиональных соревнованиях."],
        goal: "Гармоничное физическое развитие и воспитание характера средствами дзюдо.",
    },
    Profile {
        direction: Direction::PhysicalSports,
        name: "плавание",
        weight: 3,
        titles: &[
            ("Плавание", 7, 14),
            ("Обучение плаванию", 6, 10),
            ("Спортивное плавание", 9, 17),
            ("Юный пловец", 7, 11),
        ],
        names: &[],
        does: &[
            "Занятия проходят в бассейне под присмотром тренера и инструктора.",
            "Дети осваивают дыхание, скольжение и все спортивные способы плавания.",
        ],
        learns: &["Ребята учатся уверенно держаться на воде и соблюдать правила безопасного поведения на воде."],
        results: &["Подготовленные пловцы участвуют в городских соревнованиях."],
        goal: "Обучение плаванию, укрепление здоровья и закаливание детей.",
    },
    Profile {
        direction: Direction::PhysicalSports,
        name: "лыжные гонки",
        weight: 2,
        titles: &[("Лыжные гонки", 9, 17), ("Лыжная секция", 8, 14), ("Лыжные гонки: спортивная подготовка", 12, 17)],
        names: &[],
        does: &[
            "Зимой тренировки проходят на лыжной трассе, летом — кроссы и лыжероллеры.",
            "Ребята отрабатывают классический и коньковый ход, подъёмы и спуски.",
        ],
        learns: &["Дети развивают выносливость, учатся распределять силы на дистанции."],
        results: &["Воспитанники участвуют в «Лыжне России» и первенстве области."],
        goal: "Укрепление здоровья и развитие выносливости средствами лыжного спорта.",
    },
    Profile {
        direction: Direction::PhysicalSports,
        name: "волейбол",
        weight: 3,
        titles: &[("Волейбол", 10, 17), ("Пионербол и волейбол", 8, 12), ("Волейбольная секция «{}»", 10, 16)],
        names: &["Юность", "Смена", "Атака", "Лидер"],
        does: &["Тренировки включают отработку подачи, приёма и нападающего удара, игровые упражнения."],
        learns: &["Ребята осваивают технику и тактику волейбола, учатся взаимодействовать на площадке."],
        results: &["Команды участвуют в школьной волейбольной лиге и первенстве области."],
        goal: "Развитие физических качеств и командного духа средствами волейбола.",
    },
    Profile {
        direction: Direction::PhysicalSports,
        name: "баскетбол",
        weight: 2,
        titles: &[("Баскетбол", 9, 17), ("Мини-баскетбол", 7, 11), ("Стритбол", 12, 17)],
        names: &[],
        does: &["На тренировках дети отрабатывают ведение, передачи и броски, играют в учебные игры."],
        learns: &["Ребята развивают координацию, скорость и умение принимать решения в игре."],
        results: &["Команды выступают в Школьной баскетбольной лиге «КЭС-Баскет»."],
        goal: "Физическое развитие детей и обучение основам баскетбола.",
    },
    Profile {
        direction: Direction::PhysicalSports,
        name: "общая физическая подготовка",
        weight: 4,
        titles: &[
            ("Общая физическая подготовка", 7, 14),
            ("ОФП для дошкольников", 5, 7),
            ("Подвижные игры", 5, 8),
            ("Школа здоровья", 7, 11),
            ("ГТО: готовимся к сдаче норм", 10, 17),
            ("Спортивные игры", 8, 13),
        ],
        names: &[],
        does: &[
            "Занятия включают упражнения на силу, ловкость, гибкость и выносливость, эстафеты и подвижные игры.",
            "Тренировки строятся с учётом возраста и здоровья детей.",
        ],
        learns: &["Ребята укрепляют здоровье, формируют правильную осанку и привычку к движению."],
        results: &["По итогам года дети сдают нормативы комплекса ГТО."],
        goal: "Укрепление здоровья и всестороннее физическое развитие детей.",
    },
    Profile {
        direction: Direction::PhysicalSports,
        name: "лёгкая атлетика",
        weight: 2,
        titles: &[("Лёгкая атлетика", 9, 17), ("Юный легкоатлет", 8, 12), ("Бег, прыжки, метания", 9, 14)],
        names: &[],
        does: &["Тренировки проходят на стадионе и в манеже: бег на короткие и длинные дистанции, прыжки, метание."],
        learns: &["Дети развивают скорость, силу и выносливость, учатся технике бега и прыжков."],
        results: &["Воспитанники выступают на городских соревнованиях и традиционной эстафете ко Дню Победы."],
        goal: "Развитие физических качеств и подготовка к соревнованиям по лёгкой атлетике.",
    },
    Profile {
        direction: Direction::PhysicalSports,
        name: "настольный теннис",
        weight: 2,
        titles: &[("Настольный теннис", 8, 17), ("Теннисный клуб «{}»", 8, 15)],
        names: &["Ракетка", "Топспин", "Волна"],
        does: &["Ребята отрабатывают подачи, удары и передвижения у стола, играют тренировочные матчи."],
        learns: &["Настольный теннис развивает реакцию, координацию и концентрацию."],
        results: &["Участники соревнуются в городском и областном первенстве."],
        goal: "Физическое развитие и обучение игре в настольный теннис.",
    },
    Profile {
        direction: Direction::PhysicalSports,
        name: "художественная гимнастика",
        weight: 2,
        titles: &[
            ("Художественная гимнастика", 5, 12),
            ("Гимнастика для малышей", 4, 6),
            ("Художественная гимнастика «{}»", 6, 14),
        ],
        names: &["Грация", "Жемчужина", "Ласточка", "Фея"],
        does: &["Занятия включают хореографию, растяжку и работу с предметами: скакалкой, мячом, обручем, лентой."],
        learns: &["Девочки развивают гибкость, координацию, музыкальность и уверенность в себе."],
        results: &["Воспитанницы выступают на показательных выступлениях и соревнованиях."],
        goal: "Гармоничное физическое и эстетическое развитие средствами художественной гимнастики.",
    },
    Profile {
        direction: Direction::PhysicalSports,
        name: "каратэ",
        weight: 2,
        titles: &[("Каратэ", 7, 16), ("Каратэ для детей", 6, 10), ("Клуб каратэ «{}»", 7, 15)],
        names: &["Кихон", "Дракон", "Сэнсэй", "Бусидо"],
        does: &["На тренировках дети изучают базовую технику, ката и учебные поединки."],
        learns: &["Ребята развивают координацию, выдержку и самодисциплину."],
        results: &["Воспитанники сдают экзамены на пояса и участвуют в турнирах."],
        goal: "Физическое и нравственное развитие средствами каратэ.",
    },
    // Художественная
    Profile {
        direction: Direction::Arts,
        name: "хореография",
        weight: 5,
        titles: &[
            ("Танцевальная студия «Грация»", 6, 14),
            ("Танцевальная студия «{}»", 6, 15),
            ("Народный танец", 8, 16),
            ("Современный танец", 10, 17),
            ("Бальные танцы", 6, 14),
            ("Ритмика и танец", 5, 7),
            ("Хореографический ансамбль «{}»", 8, 17),
            ("Классический танец", 7, 14),
        ],
        names: &[
            "Карамель",
            "Вдохновение",
            "Ритм",
            "Жемчужина",
            "Фантазия",
            "Созвездие",
            "Экспрессия",
            "Непоседы",
            "Калинка",
            "Смоляночка",
        ],
        does: &[
            "На занятиях дети разучивают танцевальные движения, связки и целые номера.",
            "Занятия включают партерную гимнастику, работу у станка, элементы классического, народного и современного танца.",
            "Коллектив готовит концертные номера и костюмы к ним.",
        ],
        learns: &[
            "Ребята развивают пластику, чувство ритма, осанку и сценическую уверенность.",
            "Дети учатся чувствовать музыку, работать в ансамбле и выступать перед зрителями.",
        ],
        results: &[
            "Коллектив выступает на городских праздниках и участвует в областных хореографических конкурсах.",
            "В конце года проходит отчётный концерт студии.",
        ],
        goal: "Развитие творческих способностей и физической культуры ребёнка средствами хореографии.",
    },
    Profile {
        direction: Direction::Arts,
        name: "вокал",
        weight: 4,
        titles: &[
            ("Вокальная студия «{}»", 7, 16),
            ("Эстрадный вокал", 8, 17),
            ("Хоровое пение", 7, 14),
            ("Народное пение", 7, 15),
            ("Фольклорный ансамбль «{}»", 7, 16),
            ("Академический вокал", 10, 17),
        ],
        names: &["Камертон", "Звонкие голоса", "Домисолька", "Созвучие", "Соловушки", "Родничок", "Капель"],
        does: &[
            "На занятиях ребята делают дыхательные упражнения и распевки, разучивают песни и работают с микрофоном.",
            "Дети занимаются сольно и в ансамбле, готовят номера для концертов.",
        ],
        learns: &[
            "Воспитанники учатся правильно дышать, петь чисто и выразительно, держаться на сцене.",
            "Ребята знакомятся с народной песней Смоленщины и современным репертуаром.",
        ],
        results: &["Студия выступает на концертах, фестивалях и вокальных конкурсах."],
        goal: "Развитие певческих навыков и музыкальной культуры детей.",
    },
    Profile {
        direction: Direction::Arts,
        name: "изобразительное искусство",
        weight: 5,
        titles: &[
            ("Студия «Акварель»", 7, 14),
            ("Изостудия «{}»", 6, 15),
            ("Рисуем вместе", 5, 8),
            ("Академический рисунок", 12, 17),
            ("Юный художник", 7, 12),
            ("Живопись и графика", 10, 16),
            ("Скетчинг", 11, 17),
        ],
        names: &["Палитра", "Радуга", "Мольберт", "Колорит", "Карандаш", "Акварелька", "Пастель", "Вернисаж"],
        does: &[
            "Дети рисуют акварелью, гуашью, пастелью и карандашом, пробуют разные техники и материалы.",
            "На занятиях ребята пишут натюрморты и пейзажи, рисуют с натуры и по воображению.",
            "Летом часть занятий проходит на пленэре.",
        ],
        learns: &[
            "Воспитанники осваивают основы композиции, цветоведения, рисунка и живописи.",
            "Ребята учатся видеть красоту окружающего мира и передавать её на бумаге.",
        ],
        results: &[
            "Работы учеников участвуют в выставках и конкурсах детского рисунка.",
            "В конце года оформляется выставка работ студии.",
        ],
        goal: "Развитие художественного вкуса и творческих способностей средствами изобразительного искусства.",
    },
    Profile {
        direction: Direction::Arts,
        name: "театр",
        weight: 3,
        titles: &[
            ("Театральная студия «{}»", 7, 16),
            ("Кукольный театр", 6, 10),
            ("Театр и сценическая речь", 10, 17),
            ("Основы актёрского мастерства", 11, 17),
            ("Театральная игра", 5, 8),
        ],
        names: &["Маска", "Синяя птица", "Балаганчик", "Лицедеи", "Зазеркалье", "Антракт", "Арлекин"],
        does: &[
            "На занятиях ребята делают упражнения на внимание и воображение, показывают этюды и репетируют спектакли.",
            "Студийцы сами придумывают декорации и костюмы к постановкам.",
        ],
        learns: &[
            "Дети развивают речь, дикцию, пластику и уверенность в себе.",
            "Ребята учатся работать в творческом коллективе и понимать литературный текст.",
        ],
        results: &["Каждый сезон студия показывает премьеру для родителей и зрителей."],
        goal: "Развитие творческой личности и коммуникативных навыков средствами театрального искусства.",
    },
    Profile {
        direction: Direction::Arts,
        name: "декоративно-прикладное творчество",
        weight: 4,
        titles: &[
            ("Ёлочная игрушка своими руками", 6, 12),
            ("Бисероплетение", 8, 14),
            ("Лепка из глины", 6, 12),
            ("Мастерская «{}»", 7, 14),
            ("Народная тряпичная кукла", 7, 13),
            ("Вышивка и вязание", 9, 15),
            ("Резьба по дереву", 11, 17),
            ("Декоративная роспись", 8, 14),
            ("Гончарная мастерская", 8, 15),
        ],
        names: &["Умелые ручки", "Берёста", "Лукошко", "Самоцветы", "Рукодельница", "Мастерица", "Золотые руки"],
        does: &[
            "Дети создают своими руками игрушки, сувениры и украшения из бумаги, ткани, бисера и природных материалов.",
            "Ребята знакомятся с народными промыслами и пробуют традиционные техники.",
        ],
        learns: &[
            "Воспитанники развивают мелкую моторику, аккуратность, фантазию и художественный вкус.",
            "Дети учатся работать с инструментами и доводить изделие до конца.",
        ],
        results: &["Изделия ребят участвуют в выставках и ярмарках, становятся подарками близким."],
        goal: "Приобщение детей к народной культуре и декоративно-прикладному искусству.",
    },
    Profile {
        direction: Direction::Arts,
        name: "гитара",
        weight: 2,
        titles: &[
            ("Гитара для начинающих", 10, 16),
            ("Гитарная студия «{}»", 10, 17),
            ("Игра на гитаре", 11, 17),
            ("Ансамбль гитаристов", 12, 17),
        ],
        names: &["Струна", "Аккорд", "Серенада", "Шесть струн"],
        does: &[
            "Ребята разучивают аккорды, переборы и бой, играют популярные песни и пьесы.",
            "Занятия проходят индивидуально и в ансамбле.",
        ],
        learns: &["Ученики осваивают нотную грамоту, табулатуры и основы аккомпанемента."],
        results: &["Участники выступают на концертах и фестивалях авторской песни."],
        goal: "Обучение игре на гитаре и развитие музыкальных способностей.",
    },
    Profile {
        direction: Direction::Arts,
        name: "инструментальная музыка",
        weight: 2,
        titles: &[
            ("Фортепиано", 6, 15),
            ("Ансамбль народных инструментов «{}»", 9, 17),
            ("Балалайка и домра", 8, 14),
            ("Баян и аккордеон", 8, 15),
            ("Музыкальная грамота", 6, 9),
            ("Духовой оркестр", 10, 17),
        ],
        names: &["Смоленские узоры", "Лад", "Переливы", "Раздолье"],
        does: &[
            "Занятия включают индивидуальную работу с инструментом и репетиции в ансамбле.",
            "Дети разучивают пьесы, гаммы и этюды, играют в оркестре.",
        ],
        learns: &["Воспитанники осваивают нотную грамоту, развивают слух, чувство ритма и музыкальную память."],
        results: &["Ученики выступают на отчётных концертах и конкурсах юных исполнителей."],
        goal: "Развитие музыкальных способностей и исполнительских навыков.",
    },
    Profile {
        direction: Direction::Arts,
        name: "фото и видео",
        weight: 2,
        titles: &[
            ("Фотостудия «{}»", 11, 17),
            ("Основы фотографии", 11, 17),
            ("Мобильная фотография", 10, 15),
            ("Видеостудия: снимаем кино", 12, 17),
            ("Мультстудия", 7, 12),
        ],
        names: &["Кадр", "Объектив", "Фокус", "Ракурс", "Стоп-кадр"],
        does: &[
            "Ребята снимают на фотоаппарат и смартфон, учатся выставлять свет и строить кадр.",
            "Участники пишут сценарии, снимают и монтируют короткие фильмы и мультфильмы.",
        ],
        learns: &["Дети знакомятся с композицией, жанрами фотографии и основами монтажа."],
        results: &["Работы студийцев участвуют в фестивалях детского кино и фотоконкурсах."],
        goal: "Развитие творческого видения и навыков работы с фото- и видеотехникой.",
    },
    // Туристско-краеведческая
    Profile {
        direction: Direction::TourismLocalHistory,
        name: "краеведение",
        weight: 4,
        titles: &[
            ("Юный краевед Смоленщины", 9, 14),
            ("История родного края", 10, 15),
            ("Смоленщина: история и культура", 11, 16),
            ("Краеведческий клуб «{}»", 10, 17),
            ("Мой край родной", 7, 10),
            ("Знатоки родного города", 8, 12),
        ],
        names: &["Истоки", "Родина", "Смоляне", "Наследие", "Летопись"],
        does: &[
            "Ребята изучают историю, природу и культуру Смоленщины, работают с архивными документами и воспоминаниями земляков.",
            "Занятия включают экскурсии по городу, поездки по памятным местам области и встречи с интересными людьми.",
        ],
        learns: &[
            "Дети узнают о выдающихся земляках — Глинке, Гагарине, Твардовском, Пржевальском — и событиях, связанных с родным краем.",
            "Школьники учатся собирать и описывать краеведческий материал.",
        ],
        results: &["Итог года — исследовательская работа для областных краеведческих чтений."],
        goal: "Воспитание любви к малой родине и интереса к её истории.",
    },
    Profile {
        direction: Direction::TourismLocalHistory,
        name: "спортивный туризм",
        weight: 3,
        titles: &[
            ("Спортивный туризм", 10, 17),
            ("Юный турист", 9, 13),
            ("Школа выживания", 12, 17),
            ("Туристский клуб «{}»", 10, 17),
            ("Пешеходный туризм", 10, 16),
        ],
        names: &["Азимут", "Бивак", "Горизонт", "Кедр", "Вертикаль", "Следопыт"],
        does: &[
            "Ребята учатся ставить палатку, разводить костёр, вязать узлы и преодолевать препятствия.",
            "Помимо занятий в зале, группа ходит в походы выходного дня и многодневные походы по области.",
        ],
        learns: &[
            "Воспитанники осваивают туристскую технику, основы первой помощи и безопасности в походе.",
            "Дети учатся работать в команде и принимать решения в непростых условиях.",
        ],
        results: &["Команды участвуют в областных туристских слётах и соревнованиях."],
        goal: "Развитие физических качеств, самостоятельности и навыков безопасного поведения на природе.",
    },
    Profile {
        direction: Direction::TourismLocalHistory,
        name: "музейное дело",
        weight: 2,
        titles: &[
            ("Музейное дело", 11, 17),
            ("Юные экскурсоводы", 11, 16),
            ("Школьный музей: история в предметах", 10, 15),
            ("Музей и дети", 7, 10),
        ],
        names: &[],
        does: &[
            "Ребята знакомятся с фондами музея, описывают экспонаты и готовят собственные экскурсии.",
            "Занятия проходят в залах музея и в фондохранилище.",
        ],
        learns: &["Дети узнают, как устроен музей, как хранятся и изучаются предметы старины."],
        results: &["Воспитанники проводят экскурсии для младших школьников и гостей музея."],
        goal: "Приобщение детей к историко-культурному наследию через музейную деятельность.",
    },
    Profile {
        direction: Direction::TourismLocalHistory,
        name: "ориентирование",
        weight: 2,
        titles: &[
            ("Спортивное ориентирование", 9, 17),
            ("Ориентирование на местности", 10, 15),
            ("Юный ориентировщик", 8, 12),
        ],
        names: &[],
        does: &[
            "Тренировки проходят в парке и в лесу: ребята учатся читать карту и работать с компасом.",
            "Дети проходят дистанции разной сложности и учатся выбирать оптимальный путь.",
        ],
        learns: &["Воспитанники развивают пространственное мышление, выносливость и быстроту решений."],
        results: &["Участники выступают на городских и областных соревнованиях по спортивному ориентированию."],
        goal: "Развитие навыков ориентирования и интереса к активному отдыху на природе.",
    },
    Profile {
        direction: Direction::TourismLocalHistory,
        name: "военно-историческое краеведение",
        weight: 2,
        titles: &[
            ("Поисковый отряд «{}»", 14, 17),
            ("Военная история Смоленщины", 12, 17),
            ("Смоленское сражение: страницы истории", 12, 17),
            ("Дорогами памяти", 11, 16),
        ],
        names: &["Память", "Долг", "Рубеж", "Обелиск", "Наследники Победы"],
        does: &[
            "Ребята изучают военную историю Смоленщины, работают с архивами и картами боевых действий.",
            "Отряд ухаживает за воинскими мемориалами и участвует в патриотических акциях.",
        ],
        learns: &[
            "Школьники узнают о событиях Отечественной войны 1812 года и Великой Отечественной войны на смоленской земле.",
        ],
        results: &["Воспитанники выступают на военно-исторических конференциях и проводят уроки мужества."],
        goal: "Сохранение исторической памяти и воспитание патриотизма.",
    },
    Profile {
        direction: Direction::TourismLocalHistory,
        name: "экологический туризм",
        weight: 1,
        titles: &[
            ("Экологическая тропа", 8, 13),
            ("Походы и природа", 10, 15),
            ("Юный натуралист-путешественник", 9, 13),
        ],
        names: &[],
        does: &[
            "Ребята ходят в походы по заповедным местам области и национальному парку «Смоленское Поозерье».",
            "На маршрутах дети наблюдают за природой, фотографируют и описывают растения и птиц.",
        ],
        learns: &["Воспитанники учатся бережно вести себя в природе и ориентироваться на местности."],
        results: &["Итог года — собственный экологический маршрут."],
        goal: "Формирование экологической культуры через познавательный туризм.",
    },
    // Социально-гуманитарная
    Profile {
        direction: Direction::SocialHumanitarian,
        name: "английский язык",
        weight: 5,
        titles: &[
            ("Английский язык для дошкольников", 5, 7),
            ("Английский с удовольствием", 7, 10),
            ("Разговорный английский", 11, 17),
            ("Языковой клуб «{}»", 8, 15),
            ("Английский для младших школьников", 7, 10),
            ("Английский язык: подготовка к экзаменам", 14, 17),
        ],
        names: &["Полиглот", "Лингвёнок", "Глобус", "Диалог", "Лондон"],
        does: &[
            "Занятия проходят в игровой форме: песни, стихи, диалоги, сценки и проекты.",
            "Ребята много говорят, слушают аудио и смотрят короткие видео на английском языке.",
        ],
        learns: &[
            "Дети пополняют словарный запас, учатся понимать речь на слух и свободно общаться.",
            "Ученики осваивают грамматику и навыки чтения и письма.",
        ],
        results: &["В конце года проходит праздник английского языка для родителей."],
        goal: "Формирование коммуникативных навыков на английском языке.",
    },
    Profile {
        direction: Direction::SocialHumanitarian,
        name: "журналистика",
        weight: 2,
        titles: &[
            ("Школа юного журналиста", 11, 17),
            ("Пресс-центр «{}»", 11, 17),
            ("Медиастудия", 12, 17),
            ("Школьное телевидение", 12, 17),
            ("Юнкор", 10, 14),
        ],
        names: &["Перо", "Новое поколение", "Голос", "Репортёр", "Муравейник"],
        does: &[
            "Ребята пишут заметки, берут интервью, фотографируют и снимают сюжеты.",
            "Юные журналисты выпускают школьную газету и ведут страницу в социальной сети.",
        ],
        learns: &["Дети учатся работать с информацией, грамотно писать и выступать в кадре."],
        results: &["Лучшие материалы публикуются в местных СМИ и участвуют в конкурсах юных журналистов."],
        goal: "Развитие речевой культуры, медиаграмотности и творческой активности школьников.",
    },
    Profile {
        direction: Direction::SocialHumanitarian,
        name: "волонтёрство",
        weight: 2,
        titles: &[
            ("Волонтёрский отряд «{}»", 12, 17),
            ("Школа волонтёра", 12, 17),
            ("Добровольчество: шаг навстречу", 13, 17),
            ("Доброе сердце", 10, 14),
        ],
        names: &["Добрые сердца", "Твори добро", "Милосердие", "Свет", "Рука помощи"],
        does: &[
            "Ребята организуют акции помощи пожилым людям, приютам для животных и детским домам.",
            "Волонтёры помогают проводить городские праздники и экологические субботники.",
        ],
        learns: &["Участники учатся планировать социальные проекты, работать в команде и общаться с людьми."],
        results: &["Опыт работы фиксируется в личной книжке волонтёра."],
        goal: "Воспитание гражданской активности и готовности помогать людям.",
    },
    Profile {
        direction: Direction::SocialHumanitarian,
        name: "подготовка к школе",
        weight: 5,
        titles: &[
            ("Подготовка к школе", 5, 7),
            ("Скоро в школу", 5, 7),
            ("Школа будущего первоклассника", 5, 7),
            ("Развивайка", 5, 6),
            ("Учимся играя", 5, 7),
            ("Азбука и счёт", 5, 7),
        ],
        names: &[],
        does: &[
            "В игровой форме дети знакомятся с буквами и звуками, учатся считать и решать простые задачи.",
            "Занятия включают развитие речи, логики, мелкой моторики и подготовку руки к письму.",
        ],
        learns: &["Малыши учатся слушать педагога, выполнять задания и работать в группе."],
        results: &["К концу года ребёнок готов к обучению в первом классе."],
        goal: "Развитие познавательных способностей и готовности к школьному обучению.",
    },
    Profile {
        direction: Direction::SocialHumanitarian,
        name: "финансовая грамотность",
        weight: 2,
        titles: &[
            ("Финансовая грамотность", 10, 16),
            ("Юный финансист", 9, 13),
            ("Основы предпринимательства", 14, 17),
            ("Деньги и я", 8, 11),
        ],
        names: &[],
        does: &[
            "На занятиях ребята играют в экономические игры, решают практические задачи и составляют личный бюджет.",
            "Школьники разбирают, как работают банки, вклады и кредиты и как распознать мошенников.",
        ],
        learns: &["Дети учатся планировать расходы, копить и принимать взвешенные финансовые решения."],
        results: &["Итог курса — собственный финансовый план или бизнес-проект."],
        goal: "Формирование основ финансовой грамотности и ответственного отношения к деньгам.",
    },
    Profile {
        direction: Direction::SocialHumanitarian,
        name: "военно-патриотическое воспитание",
        weight: 2,
        titles: &[
            ("Юнармия", 11, 17),
            ("Юнармейский отряд «{}»", 11, 17),
            ("Военно-патриотический клуб «{}»", 12, 17),
            ("Юные патриоты", 10, 14),
        ],
        names: &["Патриот", "Витязь", "Гвардия", "Смоленский рубеж", "Сокол"],
        does: &[
            "Занятия включают строевую подготовку, основы первой помощи и военно-прикладные виды спорта.",
            "Юнармейцы несут Вахту памяти и участвуют в военно-спортивных играх.",
        ],
        learns: &["Ребята изучают историю Вооружённых сил, воинские традиции и основы безопасности."],
        results: &["Отряд участвует в областной военно-спортивной игре «Зарница»."],
        goal: "Воспитание патриотизма, дисциплины и готовности к защите Отечества.",
    },
    Profile {
        direction: Direction::SocialHumanitarian,
        name: "ораторское искусство",
        weight: 1,
        titles: &[
            ("Ораторское мастерство", 12, 17),
            ("Риторика для школьников", 10, 15),
            ("Школа лидера", 12, 17),
            ("Дебаты", 14, 17),
        ],
        names: &[],
        does: &["Ребята готовят выступления, участвуют в дебатах и учатся отвечать на вопросы аудитории."],
        learns: &["Дети развивают грамотную речь, умение аргументировать и уверенность в публичных выступлениях."],
        results: &["Участники выступают на школьных конференциях и турнирах по дебатам."],
        goal: "Развитие коммуникативных и лидерских качеств.",
    },
    Profile {
        direction: Direction::SocialHumanitarian,
        name: "интеллектуальное развитие",
        weight: 3,
        titles: &[
            ("Ментальная арифметика", 6, 11),
            ("Скорочтение", 7, 12),
            ("Логика и математика", 7, 10),
            ("Олимпиадная математика", 11, 16),
            ("Интеллектуальный клуб «{}»", 10, 16),
        ],
        names: &["Что? Где? Когда?", "Эрудит", "Умники и умницы", "Знатоки"],
        does: &[
            "На занятиях дети решают логические задачи, головоломки и нестандартные примеры.",
            "Ребята тренируют счёт в уме, внимание и память в игровой форме.",
        ],
        learns: &["Воспитанники учатся рассуждать, находить несколько решений и проверять себя."],
        results: &["Ученики участвуют в олимпиадах и интеллектуальных играх."],
        goal: "Развитие логического мышления, внимания и памяти.",
    },
];

/// What every program of a direction shares.
struct DirectionText {
    results: &'static [&'static str],
    tasks: &'static [&'static str],
    /// Stages of modules: introductory, main, final.
    modules: [&'static [&'static str]; 3],
    /// Share of women among the teachers.
    female: f64,
}

fn direction_text(direction: Direction) -> &'static DirectionText {
    const TECHNICAL: DirectionText = DirectionText {
        results: &[
            "Воспитанники участвуют в областном фестивале технического творчества.",
            "Лучшие проекты представляются на региональных инженерных конкурсах.",
        ],
        tasks: &[
            "Задачи: познакомить с основами инженерного дела, научить работать по технической документации, развить умение доводить проект до результата.",
            "Задачи: развить логическое и техническое мышление, научить работать с оборудованием, воспитать самостоятельность.",
        ],
        modules: [
            &["Знакомство с оборудованием", "Основы конструирования", "Первые проекты"],
            &["Программирование и управление", "Моделирование", "Практикум"],
            &["Проектная деятельность", "Подготовка к соревнованиям", "Итоговый проект"],
        ],
        female: 0.45,
    };
    const NATURAL: DirectionText = DirectionText {
        results: &[
            "Лучшие работы представляются на областной научно-практической конференции школьников.",
            "Ребята участвуют в предметных олимпиадах и конкурсах исследовательских работ.",
        ],
        tasks: &[
            "Задачи: научить наблюдать и ставить опыт, развить исследовательские умения, воспитать бережное отношение к природе.",
            "Задачи: расширить знания о природе, сформировать навыки лабораторной работы, развить интерес к науке.",
        ],
        modules: [
            &["Введение в предмет", "Наблюдения и опыты", "Основы исследования"],
            &["Лабораторный практикум", "Полевые исследования", "Экспериментальная работа"],
            &["Исследовательский проект", "Подготовка к конференции", "Итоговая работа"],
        ],
        female: 0.8,
    };
    const SPORTS: DirectionText = DirectionText {
        results: &[
            "Занятия помогают укрепить здоровье и подготовиться к сдаче норм ГТО.",
            "Спортсмены выступают на городских и областных соревнованиях.",
        ],
        tasks: &[
            "Задачи: укрепить здоровье, развить физические качества, научить технике вида спорта, воспитать дисциплину и волю к победе.",
            "Задачи: привить интерес к систематическим занятиям спортом, освоить технику и тактику, подготовить к соревнованиям.",
        ],
        modules: [
            &["Общая физическая подготовка", "Начальная подготовка", "Основы техники"],
            &["Техническая подготовка", "Тактическая подготовка", "Специальная физическая подготовка"],
            &["Соревновательная практика", "Подготовка к соревнованиям", "Контрольные испытания"],
        ],
        female: 0.35,
    };
    const ARTS: DirectionText = DirectionText {
        results: &[
            "Воспитанники выступают на городских праздниках и областных фестивалях детского творчества.",
            "Работы и номера студии ежегодно отмечаются дипломами конкурсов.",
        ],
        tasks: &[
            "Задачи: развить творческие способности и художественный вкус, научить основам мастерства, подготовить к выступлениям и выставкам.",
            "Задачи: познакомить с выразительными средствами искусства, развить воображение, воспитать любовь к прекрасному.",
        ],
        modules: [
            &["Введение", "Основы мастерства", "Первые шаги"],
            &["Техника и выразительность", "Мастерская", "Постановочная работа"],
            &["Концертная и выставочная деятельность", "Творческий проект", "Отчётный показ"],
        ],
        female: 0.85,
    };
    const TOURISM: DirectionText = DirectionText {
        results: &[
            "Ребята участвуют в областных краеведческих чтениях и туристских слётах.",
            "По итогам года группа совершает экспедицию по Смоленской области.",
        ],
        tasks: &[
            "Задачи: расширить знания о родном крае, научить навыкам туриста и исследователя, воспитать любовь к малой родине.",
            "Задачи: научить работать с источниками и картой, развить выносливость и самостоятельность.",
        ],
        modules: [
            &["Знакомство с родным краем", "Основы туристской подготовки", "Первые маршруты"],
            &["Краеведческие исследования", "Походы выходного дня", "Топография и ориентирование"],
            &["Экспедиция", "Исследовательский проект", "Слёты и соревнования"],
        ],
        female: 0.6,
    };
    const SOCIAL: DirectionText = DirectionText {
        results: &[
            "Участники реализуют собственные проекты и представляют их на городских конкурсах.",
            "Полученные навыки помогают ребятам в учёбе и общении.",
        ],
        tasks: &[
            "Задачи: развить коммуникативные навыки, научить работать в команде, сформировать активную жизненную позицию.",
            "Задачи: развить речь, внимание и самостоятельность, научить работать в группе.",
        ],
        modules: [
            &["Вводный модуль", "Знакомство", "Основы"],
            &["Практикум", "Развитие навыков", "Тренинги и игры"],
            &["Итоговый проект", "Итоговая конференция", "Социальный проект"],
        ],
        female: 0.85,
    };
    match direction {
        Direction::Technical => &TECHNICAL,
        Direction::NaturalScience => &NATURAL,
        Direction::PhysicalSports => &SPORTS,
        Direction::Arts => &ARTS,
        Direction::TourismLocalHistory => &TOURISM,
        Direction::SocialHumanitarian => &SOCIAL,
    }
}

const FORMAT: &[&str] = &[
    "Занятия проходят в небольших группах, каждому ребёнку уделяется внимание.",
    "Все необходимые материалы и оборудование предоставляются.",
    "Программу ведут педагоги с большим опытом работы с детьми.",
    "В начале учебного года родители могут посетить открытое занятие.",
    "Приём в группы — по заявлению родителей, без вступительных испытаний.",
    "Для занятий нужна удобная одежда и сменная обувь.",
    "В конце каждого полугодия проходит открытое занятие для родителей.",
];
const SPORT_FORMAT: &str = "Для зачисления нужна медицинская справка о допуске к занятиям.";
const DISABILITY: &str = "Программа адаптирована для детей с ограниченными возможностями здоровья.";

/// Programs per organization: one each when there are enough, the rest by weight.
fn programs_per_organization(rng: &mut Prng, metas: &[OrgMeta], programs: usize) -> Vec<usize> {
    let n = metas.len();
    if n == 0 {
        return Vec::new();
    }
    let mut counts = vec![0usize; n];
    let mut rest = programs;
    if programs >= n {
        counts.fill(1);
        rest -= n;
    }
    let weights = metas.iter().map(|m| m.org_type.programs_weight());
    match WeightedIndex::new(weights) {
        Ok(dist) => {
            for _ in 0..rest {
                counts[dist.sample(rng)] += 1;
            }
        }
        Err(_) => {
            for i in 0..rest {
                counts[i % n] += 1;
            }
        }
    }
    counts
}

fn weighted_profile(rng: &mut Prng, focus: &[usize]) -> &'static Profile {
    let total: u32 = focus.iter().filter_map(|i| PROFILES.get(*i)).map(|p| p.weight).sum();
    if total > 0 {
        let mut r = rng.gen_range(0..total);
        for p in focus.iter().filter_map(|i| PROFILES.get(*i)) {
            if r < p.weight {
                return p;
            }
            r -= p.weight;
        }
    }
    pick(rng, PROFILES)
}

fn level_of(rng: &mut Prng, template: &str) -> Level {
    if ["начинающ", "первые шаги", "начальная подготовка", "малыш", "дошкольник"].iter().any(|w| template.contains(w))
    {
        Level::Start
    } else if ["спортивная подготовка", "Олимпиадная", "Соревновательная", "экзамен", "Академический"]
        .iter()
        .any(|w| template.contains(w))
    {
        Level::Advanced
    } else {
        match rng.gen_range(0..100) {
            0..=39 => Level::Start,
            40..=84 => Level::Basic,
            _ => Level::Advanced,
        }
    }
}

/// The title from a template: a studio name, and sometimes an age, level or audience hint.
fn title(rng: &mut Prng, profile: &Profile, template: &str, level: Level, (a, b): (i32, i32)) -> String {
    let base = if template.contains("{}") {
        let names = if profile.names.is_empty() { &["Радуга"][..] } else { profile.names };
        let name = *pick(rng, names);
        template.replace("{}", name)
    } else {
        template.to_owned()
    };
    let ages = format!("{base} ({a}–{b} {})", years(b));
    let bare = !base.contains("для ") && !base.contains(':') && !base.contains('«');
    match rng.gen_range(0..100) {
        0..=44 => base,
        45..=69 => ages,
        70..=84 if bare => {
            let suffixes: &[&str] = match level {
                Level::Start => &[" для начинающих", ": первые шаги", ". Стартовый уровень"],
                Level::Basic => &[". Базовый уровень", ". Базовый курс"],
                Level::Advanced => &[". Продвинутый уровень", ". Углублённый курс"],
            };
            format!("{base}{}", pick(rng, suffixes))
        }
        _ if bare => {
            let audience = if b <= 7 {
                "для дошкольников"
            } else if a >= 6 && b <= 11 {
                "для младших школьников"
            } else if a >= 12 {
                "для подростков"
            } else if a >= 7 {
                "для школьников"
            } else {
                return ages;
            };
            format!("{base} {audience}")
        }
        _ => ages,
    }
}

fn program(
    rng: &mut Prng,
    index: usize,
    org: &DemoOrganization,
    meta: &OrgMeta,
    titles: &mut HashSet<String>,
    today: NaiveDate,
) -> DemoProgram {
    let profile = weighted_profile(rng, &meta.focus);
    let text = direction_text(profile.direction);
    // A title the organization has not used yet, when one comes up.
    let mut attempt = 0;
    let (title, level, (age_min, age_max)) = loop {
        let &(template, lo, hi) = pick(rng, profile.titles);
        let level = level_of(rng, template);
        let (mut a, mut b) = (lo, hi);
        if hi - lo >= 4 {
            a += rng.gen_range(-1..=1);
            b += rng.gen_range(-1..=1);
        }
        let a = a.clamp(3, 17);
        let b = b.clamp(a + 1, 18);
        let title = title(rng, profile, template, level, (a, b));
        attempt += 1;
        if titles.insert(title.clone()) || attempt >= 8 {
            break (title, level, (a, b));
        }
    };
    let disability_friendly = rng.gen_bool(0.15);
    let description = description(rng, profile, text, disability_friendly);
    let goals = format!("Цель программы — {} {}", lower_first(profile.goal), pick(rng, text.tasks));
    const START: &[i32] = &[3, 4, 6, 8, 9, 9];
    const BASIC: &[i32] = &[9, 9, 12, 18, 24];
    const ADVANCED: &[i32] = &[12, 24, 24, 36];
    let months = match level {
        Level::Start => START,
        Level::Basic => BASIC,
        Level::Advanced => ADVANCED,
    };
    let duration_months = *pick(rng, months);
    let teachers: Vec<String> =
        (0..if rng.gen_bool(0.7) { 1 } else { 2 }).map(|_| person(rng, text.female).full).collect();
    let (address, lat, lon) = if rng.gen_bool(0.15) {
        branch(rng, meta, profile.direction)
    } else {
        (org.input.address.clone(), meta.lat, meta.lon)
    };
    let cost_type = cost_type(rng, meta);
    let certified = cost_type == CostType::Certificate && meta.is_provider && rng.gen_bool(0.95);
    let contact_name =
        if rng.gen_bool(0.6) { teachers.first().cloned().unwrap_or_default() } else { person(rng, 0.85).full };
    let contact_phone = if rng.gen_bool(0.55) { org.input.phone.clone() } else { mobile_phone(rng) };
    let contact_email = if rng.gen_bool(0.8) {
        org.input.email.clone()
    } else {
        format!("{}@example.org", person(rng, text.female).login)
    };
    let input = ProgramInput {
        title,
        description,
        goals,
        direction: Some(profile.direction),
        profile: profile.name.to_owned(),
        level: Some(level),
        age_min,
        age_max,
        municipality_id: meta.municipality as i64 + 1,
        address,
        lat,
        lon,
        duration_months,
        teachers,
        cost_type: Some(cost_type),
        contact_name,
        contact_phone,
        contact_email,
        disability_friendly,
    };
    let modules = modules(rng, cost_type, text);
    let groups = groups(rng, &input, profile.direction, today);
    let rating = if rng.gen_bool(0.2) {
        None
    } else {
        let (x, y): (i32, i32) = (rng.gen_range(0..=15), rng.gen_range(0..=15));
        Some(f64::from(50 - x.min(y)) / 10.0)
    };
    let popularity: f64 = rng.r#gen();
    DemoProgram {
        organization: index,
        input,
        certified,
        rating,
        applications_count: (popularity.powi(4) * 300.0).round() as i64,
        days_since_published: rng.gen_range(0..=700),
        modules,
        groups,
    }
}

fn description(rng: &mut Prng, profile: &Profile, text: &DirectionText, disability_friendly: bool) -> String {
    let mut sentences = vec![*pick(rng, profile.does), *pick(rng, profile.learns)];
    let extra = rng.gen_range(0..=2);
    if extra >= 1 {
        let results = if rng.gen_bool(0.6) { profile.results } else { text.results };
        sentences.push(*pick(rng, results));
    }
    if extra >= 2 {
        let format = if profile.direction == Direction::PhysicalSports && rng.gen_bool(0.5) {
            SPORT_FORMAT
        } else {
            pick(rng, FORMAT)
        };
        sentences.push(format);
    }
    if disability_friendly && sentences.len() < 4 {
        sentences.push(DISABILITY);
    }
    sentences.join(" ")
}

/// Another address near the organization: a branch or a school gym.
fn branch(rng: &mut Prng, meta: &OrgMeta, direction: Direction) -> (String, f64, f64) {
    let place = place_of(meta.municipality, meta.place);
    let street = street_address(rng, meta.municipality, meta.place);
    let address = if direction == Direction::PhysicalSports {
        if place.stem.is_empty() {
            format!("{street}, спортивный зал школы № {}", rng.gen_range(1..=muni(meta.municipality).schools.max(1)))
        } else {
            format!("{street}, спортивный зал школы")
        }
    } else {
        let what = *pick(rng, &[" (филиал)", ", структурное подразделение", ", филиал"]);
        format!("{street}{what}")
    };
    let (lat, lon) = point_near(rng, meta.lat, meta.lon, 0.3, place.radius_km.min(1.5));
    (address, lat, lon)
}

fn cost_type(rng: &mut Prng, meta: &OrgMeta) -> CostType {
    let r = rng.gen_range(0..100);
    if meta.org_type == OrgType::Private {
        match r {
            0..=44 if meta.is_provider => CostType::Certificate,
            0..=3 | 45..=48 => CostType::Free,
            _ => CostType::Paid,
        }
    } else if !meta.is_provider {
        if r < 70 { CostType::Free } else { CostType::Paid }
    } else {
        match r {
            0..=21 => CostType::Free,
            22..=29 => CostType::Paid,
            _ => CostType::Certificate,
        }
    }
}

fn modules(rng: &mut Prng, cost_type: CostType, text: &DirectionText) -> Vec<ModuleInput> {
    let stages: &[usize] = match rng.gen_range(0..100) {
        0..=44 => &[1],
        45..=79 => &[0, 2],
        _ => &[0, 1, 2],
    };
    let single = stages.len() == 1;
    stages
        .iter()
        .enumerate()
        .map(|(i, stage)| {
            let names = text.modules.get(*stage).copied().unwrap_or(&["Основной курс"]);
            let stage_name = *pick(rng, names);
            let name = if single {
                format!("Основной курс: {}", lower_first(stage_name))
            } else {
                format!("Модуль {}. {stage_name}", i + 1)
            };
            let hours = *pick(rng, &[18, 24, 32, 36, 36, 48, 54, 64, 72, 72, 108, 144]);
            let price = if cost_type == CostType::Free {
                0
            } else {
                let rubles = (i64::from(hours) * rng.gen_range(60..=220)).clamp(1_500, 12_000) / 50 * 50;
                rubles * 100
            };
            ModuleInput { name, hours, price }
        })
        .collect()
}

fn time(minutes: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0).unwrap_or_default()
}

/// A week of lessons: weekdays 14:00–20:00 or Saturday morning, 45–90 minutes.
fn schedule(rng: &mut Prng, young: bool) -> Vec<Lesson> {
    let length = if young { *pick(rng, &[45u32, 45, 60]) } else { *pick(rng, &[45u32, 60, 60, 90, 90]) };
    const ONCE: &[&[u8]] = &[&[1], &[2], &[3], &[4], &[5], &[6], &[6]];
    const TWICE: &[&[u8]] = &[&[1, 3], &[2, 4], &[3, 5], &[1, 4], &[2, 5], &[3, 6], &[2, 6]];
    const THRICE: &[&[u8]] = &[&[1, 3, 5], &[2, 4, 6], &[1, 3, 6]];
    let options = match rng.gen_range(0..100) {
        0..=19 => ONCE,
        20..=79 => TWICE,
        _ => THRICE,
    };
    let days = *pick(rng, options);
    // Half-hour steps so that the lesson ends by 20:00 (13:30 on Saturday).
    let weekday_start = 14 * 60 + 30 * rng.gen_range(0..=(20 * 60 - 14 * 60 - length) / 30);
    let saturday_start = 9 * 60 + 30 * rng.gen_range(0..=(13 * 60 + 30 - 9 * 60 - length) / 30);
    days.iter()
        .map(|&weekday| {
            let start = if weekday == 6 { saturday_start } else { weekday_start };
            Lesson { weekday, start: time(start), end: time(start + length) }
        })
        .collect()
}

fn date(year: i32, month: u32, day: u32, fallback: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(fallback)
}

fn groups(rng: &mut Prng, program: &ProgramInput, direction: Direction, today: NaiveDate) -> Vec<GroupInput> {
    let n: i32 = match rng.gen_range(0..100) {
        0..=49 => 1,
        50..=84 => 2,
        _ => 3,
    };
    let (a, b) = (program.age_min, program.age_max);
    let split = n > 1 && b - a + 1 >= n && rng.gen_bool(0.7);
    let by_year = !split && n > 1 && program.duration_months >= 18;
    // The school year the groups are for: the coming one from June on.
    let year = if today.month() >= 6 { today.year() } else { today.year() - 1 };
    let short = program.duration_months <= 6;
    (0..n)
        .map(|i| {
            let (lo, hi) = if split { (a + (b - a + 1) * i / n, a + (b - a + 1) * (i + 1) / n - 1) } else { (a, b) };
            let name = if split {
                if lo == hi {
                    format!("Группа {} ({lo} {})", i + 1, years(lo))
                } else {
                    format!("Группа {} ({lo}–{hi} {})", i + 1, years(hi))
                }
            } else if by_year {
                format!("Группа {}-го года обучения", i + 1)
            } else {
                format!("Группа {}", i + 1)
            };
            let teacher = program.teachers.get(i as usize % program.teachers.len().max(1)).cloned().unwrap_or_default();
            let (start_date, end_date) = if short {
                let start = today + TimeDelta::days(rng.gen_range(-45..=45));
                (start, start + TimeDelta::days(i64::from(program.duration_months) * 30))
            } else {
                let start = date(year, 9, 1, today) + TimeDelta::days(rng.gen_range(0..=14));
                let end = date(year + 1, 5, 31, today) - TimeDelta::days(rng.gen_range(0..=7));
                (start, end.max(start))
            };
            let (enrolment_open, enrolment_from, enrolment_to) = if rng.gen_bool(0.7) {
                let from = start_date.min(today) - TimeDelta::days(rng.gen_range(0..=60));
                let to = today + TimeDelta::days(rng.gen_range(7..=120));
                (true, Some(from), Some(to))
            } else if rng.gen_bool(0.5) {
                (false, None, None)
            } else {
                let to = today - TimeDelta::days(rng.gen_range(1..=60));
                (false, Some(to - TimeDelta::days(rng.gen_range(14..=90))), Some(to))
            };
            let capacity =
                if direction == Direction::PhysicalSports { rng.gen_range(12..=25) } else { rng.gen_range(8..=25) };
            GroupInput {
                name,
                teacher,
                schedule: schedule(rng, hi <= 7),
                capacity,
                start_date,
                end_date,
                age_min: lo,
                age_max: hi,
                enrolment_open,
                enrolment_from,
                enrolment_to,
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 9, 15).unwrap()
    }

    fn demo() -> DemoCatalog {
        generate(2026, 150, 1_500, today())
    }

    #[test]
    fn the_same_seed_gives_the_same_catalog() {
        assert_eq!(generate(7, 40, 300, today()), generate(7, 40, 300, today()));
        assert_ne!(generate(7, 40, 300, today()).programs, generate(8, 40, 300, today()).programs);
    }

    #[test]
    fn counts_are_as_asked() {
        let catalog = demo();
        assert_eq!(catalog.organizations.len(), 150);
        assert_eq!(catalog.programs.len(), 1_500);
        let mut per_org = vec![0; 150];
        for p in &catalog.programs {
            per_org[p.organization] += 1;
        }
        assert!(per_org.iter().all(|n| *n >= 1), "every organization has a program");
        let empty = generate(1, 0, 10, today());
        assert!(empty.organizations.is_empty() && empty.programs.is_empty());
        let few = generate(1, 5, 3, today());
        assert_eq!((few.organizations.len(), few.programs.len()), (5, 3));
    }

    #[test]
    fn organizations_are_valid_and_unique() {
        let catalog = generate(2026, 2_000, 20_000, today());
        let mut names = HashSet::new();
        let mut inns = HashSet::new();
        for org in &catalog.organizations {
            let input = &org.input;
            let valid = input.validate().unwrap_or_else(|e| panic!("{}: {e:?}", input.name));
            assert!(names.insert(valid.name.clone()), "duplicate name {}", valid.name);
            assert!(inns.insert(valid.inn.clone()), "duplicate INN {}", valid.inn);
            assert!(valid.inn.starts_with("67") && valid.inn.len() == 10, "{}", valid.inn);
            assert!(valid.email.ends_with("@example.org"), "{}", valid.email);
            assert!(valid.website.is_empty() || valid.website.ends_with(".example.org"), "{}", valid.website);
            assert_eq!(input.municipality_id, org.municipality as i64 + 1);
            assert!(!input.can_activate);
            assert_eq!(input.status, Some(OrganizationStatus::Active));
        }
        for p in &catalog.programs {
            let valid = p.input.validate().unwrap_or_else(|e| panic!("{}: {e:?}", p.input.title));
            assert!(p.modules.iter().all(|m| m.validate().is_ok()));
            assert!(p.groups.iter().all(|g| g.validate((valid.age_min, valid.age_max)).is_ok()));
        }
    }

    #[test]
    fn programs_modules_and_groups_are_valid() {
        let catalog = demo();
        for p in &catalog.programs {
            let valid = p.input.validate().unwrap_or_else(|e| panic!("{}: {e:?}", p.input.title));
            let org = &catalog.organizations[p.organization];
            assert_eq!(valid.municipality_id, org.municipality as i64 + 1);
            assert!((1..=3).contains(&p.modules.len()) && (1..=3).contains(&p.groups.len()));
            for m in &p.modules {
                m.validate().unwrap_or_else(|e| panic!("{}: {e:?}", m.name));
                assert!((18..=144).contains(&m.hours));
                if valid.cost_type == CostType::Free {
                    assert_eq!(m.price, 0);
                } else {
                    assert!((150_000..=1_200_000).contains(&m.price), "{}", m.price);
                }
            }
            for g in &p.groups {
                g.validate((valid.age_min, valid.age_max)).unwrap_or_else(|e| panic!("{}: {e:?}", g.name));
                assert!((1..=3).contains(&g.schedule.len()) && (8..=25).contains(&g.capacity));
                for l in &g.schedule {
                    let minutes = (l.end - l.start).num_minutes();
                    assert!((45..=90).contains(&minutes));
                    if l.weekday == 6 {
                        assert!(l.start >= time(9 * 60) && l.end <= time(13 * 60 + 30));
                    } else {
                        assert!((1..=5).contains(&l.weekday));
                        assert!(l.start >= time(14 * 60) && l.end <= time(20 * 60));
                    }
                }
                if g.enrolment_open {
                    assert!(g.enrolment_to.is_some_and(|to| to > today()));
                }
            }
            assert!(!p.certified || (valid.cost_type == CostType::Certificate && org.input.is_provider));
            assert!(p.rating.is_none_or(|r| (3.5..=5.0).contains(&r)));
            assert!((0..=300).contains(&p.applications_count));
            assert!((0..=700).contains(&p.days_since_published));
            assert!((3..=36).contains(&valid.duration_months));
            assert!((1..=2).contains(&valid.teachers.len()));
        }
    }

    #[test]
    fn shares_look_like_a_real_catalog() {
        let catalog = demo();
        let n = catalog.programs.len() as f64;
        let share = |f: &dyn Fn(&DemoProgram) -> bool| catalog.programs.iter().filter(|p| f(p)).count() as f64 / n;
        let certificate = share(&|p| p.input.cost_type == Some(CostType::Certificate));
        assert!(certificate > 0.5, "most programs are paid with certificates: {certificate}");
        assert!(share(&|p| p.input.cost_type == Some(CostType::Free)) > 0.05);
        assert!(share(&|p| p.input.cost_type == Some(CostType::Paid)) > 0.05);
        let unrated = share(&|p| p.rating.is_none());
        assert!((0.1..0.3).contains(&unrated), "{unrated}");
        let friendly = share(&|p| p.input.disability_friendly);
        assert!((0.08..0.22).contains(&friendly), "{friendly}");
        let groups: Vec<&GroupInput> = catalog.programs.iter().flat_map(|p| &p.groups).collect();
        let open = groups.iter().filter(|g| g.enrolment_open).count() as f64 / groups.len() as f64;
        assert!((0.6..0.8).contains(&open), "{open}");
        let at_home = share(&|p| p.input.address == catalog.organizations[p.organization].input.address);
        assert!((0.75..0.95).contains(&at_home), "{at_home}");
        let popular = share(&|p| p.applications_count > 150);
        assert!(popular < 0.25, "{popular}");
    }

    #[test]
    fn every_direction_and_municipality_is_present() {
        let catalog = demo();
        for d in Direction::ALL {
            assert!(catalog.programs.iter().any(|p| p.input.direction == Some(*d)), "{d:?}");
        }
        for (m, name) in MUNICIPALITIES.iter().enumerate() {
            assert!(catalog.organizations.iter().any(|o| o.municipality == m), "{name}");
        }
        let smolensk = catalog.organizations.iter().filter(|o| o.municipality == 0).count();
        let most_elsewhere = (1..MUNICIPALITIES.len())
            .map(|m| catalog.organizations.iter().filter(|o| o.municipality == m).count())
            .max()
            .unwrap();
        assert!(smolensk > 2 * most_elsewhere, "{smolensk} vs {most_elsewhere}");
    }

    #[test]
    fn coordinates_lie_in_their_municipality() {
        let catalog = demo();
        let near = |m: usize, lat: f64, lon: f64| (lat - MUNIS[m].lat).abs() < 0.3 && (lon - MUNIS[m].lon).abs() < 0.3;
        for org in &catalog.organizations {
            let (lat, lon) = (org.input.lat.unwrap(), org.input.lon.unwrap());
            assert!(near(org.municipality, lat, lon), "{} {lat} {lon}", org.input.name);
        }
        for p in &catalog.programs {
            let m = p.input.municipality_id as usize - 1;
            assert!(near(m, p.input.lat, p.input.lon), "{} {} {}", p.input.title, p.input.lat, p.input.lon);
        }
        // The villages of the Smolensk district are not in the city.
        let city = &MUNIS[0];
        for org in catalog.organizations.iter().filter(|o| o.municipality == 10) {
            let (lat, lon) = (org.input.lat.unwrap(), org.input.lon.unwrap());
            let km = ((lat - city.lat) * 111.0).hypot((lon - city.lon) * 111.0 * city.lat.to_radians().cos());
            assert!(km > 7.0, "{} is {km:.1} km from Smolensk", org.input.name);
        }
    }

    #[test]
    fn titles_are_realistic_and_varied() {
        let catalog = demo();
        let titles: Vec<&str> = catalog.programs.iter().map(|p| p.input.title.as_str()).collect();
        assert!(titles.iter().any(|t| t.contains("Робототехника")));
        assert!(titles.iter().any(|t| t.starts_with("Танцевальная студия")));
        assert!(titles.iter().any(|t| t.contains("Шахматный клуб")));
        let distinct: HashSet<&str> = titles.iter().copied().collect();
        assert!(distinct.len() > 600, "{} distinct titles of 1500", distinct.len());
        let big = generate(2026, 2_000, 20_000, today());
        let distinct: HashSet<&str> = big.programs.iter().map(|p| p.input.title.as_str()).collect();
        assert!(distinct.len() >= 1_500, "{} distinct titles of 20000", distinct.len());
        let names: Vec<&str> = catalog.organizations.iter().map(|o| o.input.name.as_str()).collect();
        assert_eq!(names[0], "ИП Кравцова Анна Сергеевна (студия «Акварель»)");
        for sample in ["МБУ ДО «Дом детского творчества» г. ", "МБОУ «Средняя школа № ", "районный Дом культуры»"]
        {
            assert!(names.iter().any(|n| n.contains(sample)), "{sample}");
        }
    }

    #[test]
    fn profile_tables_are_consistent() {
        for pool in [
            DDT_POOL,
            SCHOOL_POOL,
            SPORT_POOL,
            CULTURE_POOL,
            ART_SCHOOL_POOL,
            MUSIC_POOL,
            FINE_ART_POOL,
            MUSEUM_POOL,
            LIBRARY_POOL,
            TECHNIC_POOL,
            DIGITAL_POOL,
            NATURE_POOL,
            TOURISM_POOL,
        ]
        .into_iter()
        .chain(THEMES.iter().map(|t| t.profiles))
        {
            assert_eq!(profile_ids(pool).len(), pool.len(), "{pool:?}");
        }
        for p in PROFILES {
            assert!(!p.titles.is_empty() && !p.does.is_empty() && !p.learns.is_empty() && !p.results.is_empty());
            for (t, lo, hi) in p.titles {
                assert!(lo < hi && *hi <= 18, "{t}");
                assert!(!t.contains("{}") || !p.names.is_empty(), "{t} needs names");
            }
        }
        for d in Direction::ALL {
            assert!(PROFILES.iter().any(|p| p.direction == *d));
        }
    }

    #[test]
    fn helpers() {
        assert_eq!(translit("Акварель"), "akvarel");
        assert_eq!(translit("Белая ладья"), "belaya-ladya");
        assert_eq!(years(7), "лет");
        assert_eq!(years(3), "года");
        assert_eq!(years(11), "лет");
        assert_eq!(per_municipality(150).iter().sum::<usize>(), 150);
        assert_eq!(per_municipality(5).iter().sum::<usize>(), 5);
        assert!(per_municipality(12).iter().all(|n| *n == 1));
    }
}
