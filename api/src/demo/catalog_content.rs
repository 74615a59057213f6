//! Content of the demo catalog: organizations of the Smolensk region and
//! their programs, modules and groups, generated deterministically from a
//! seed. The demo has ~150 organizations and ~1,500 programs; benchmarks ask
//! for any number of programs.
//!
//! Everything here is made up from the tables of `api/assets/demo/` (see
//! [`super::tables`]): municipalities with their towns, streets and phone
//! codes; people's names; what kinds of organizations teach and are named;
//! and profiles of programs per direction with their titles, description
//! sentences and goals. The official name templates are here. Names, INNs,
//! phones and addresses look real but are not: emails and websites use
//! `example.org` only.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate, NaiveTime, TimeDelta};
use navigator_shared::catalog::{CostType, Direction, GroupInput, Lesson, Level, ModuleInput, ProgramInput};
use navigator_shared::organizations::{OrganizationInput, OrganizationKind, OrganizationStatus};
use navigator_shared::validate::Inn;
use rand::distributions::{Distribution, WeightedIndex};
use rand::seq::SliceRandom;
use rand::{Rng, RngCore, SeedableRng, rngs::StdRng};

use super::tables::{DirectionText, Municipality, Place, Profile, tables};

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
    /// Index into the demo municipalities.
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
    /// How families like it: the mean stars its demo reviews gather around,
    /// 3.5..=5.0 with one decimal; `None` for about a fifth (nobody has
    /// reviewed it yet). Shown only through the reviews.
    pub appeal: Option<f64>,
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
pub(crate) struct Prng(pub(crate) u64);

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

fn muni(m: usize) -> &'static Municipality {
    let all = &tables().geography.municipalities;
    all.get(m).unwrap_or(&all[0])
}

fn place_of(m: usize, p: usize) -> &'static Place {
    let places = &muni(m).places;
    places.get(p).unwrap_or(&places[0])
}

/// Organizations per municipality, in proportion to their weights; each
/// gets one when there are enough.
fn per_municipality(total: usize) -> Vec<usize> {
    let munis = &tables().geography.municipalities;
    let n = munis.len();
    let mut counts = vec![0usize; n];
    let base = usize::from(total >= n);
    counts.fill(base);
    let rest = total - base * n;
    let sum: u64 = munis.iter().map(|m| u64::from(m.weight)).sum();
    let mut given = 0;
    let mut remainders = Vec::with_capacity(n);
    for (i, m) in munis.iter().enumerate() {
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
    let geography = &tables().geography;
    let (streets, max) =
        if place.stem.is_empty() { (&municipality.streets, 90) } else { (&geography.village_streets, 40) };
    let common = place.stem.is_empty() && municipality.common_streets && rng.gen_bool(0.4);
    let street = if common { pick(rng, &geography.town_streets) } else { pick(rng, streets) };
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

/// A full name («Кравцова Анна Сергеевна») and its email-like form («kravtsova.as»).
struct Person {
    full: String,
    login: String,
}

fn person(rng: &mut Prng, female_share: f64) -> Person {
    let names = &tables().people;
    let female = rng.gen_bool(female_share);
    let male_last = pick(rng, &names.surnames);
    let male_middle = pick(rng, &names.patronymics);
    let (last, first, middle) = if female {
        let last = match male_last.strip_suffix("ий") {
            Some(stem) => format!("{stem}ая"),
            None => format!("{male_last}а"),
        };
        let middle = format!("{}на", male_middle.strip_suffix("ич").unwrap_or(male_middle));
        (last, pick(rng, &names.female_names).clone(), middle)
    } else {
        (male_last.clone(), pick(rng, &names.male_names).clone(), male_middle.clone())
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
    /// Indices into the profiles its programs are of.
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
            let office = *pick(rng, &muni(m).tax_offices);
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
    pool: &'static [String],
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
            pool: &tables().organizations.pools.fine_art,
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
        phone: if private && rng.gen_bool(0.6) { mobile_phone(rng) } else { city_phone(rng, &muni(m).phone_code) },
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
        } else if candidate.pool == tables().organizations.pools.school {
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
fn subset(rng: &mut Prng, pool: &[String], min: usize, max: usize) -> Vec<usize> {
    let mut ids = profile_ids(pool);
    ids.shuffle(rng);
    let n = rng.gen_range(min..=max).min(ids.len());
    ids.truncate(n);
    ids
}

/// Indices into the profiles of the named ones.
fn profile_ids(names: &[String]) -> Vec<usize> {
    let profiles = &tables().programs.profiles;
    names.iter().filter_map(|name| profiles.iter().position(|p| p.name == *name)).collect()
}

const KVANTORIUM: &str = "Детский технопарк «Кванториум» (Смоленск)";
const ECOSTATION: &str = "СОГБУ ДО «Экостанция»";
const TOURISM_CENTRE: &str = "СОГБУ ДО «Центр туризма, краеведения и экскурсий»";

/// An official name for a public organization of type `t` (the caller checks
/// that it is new); `None` for private ones.
fn public_candidate(rng: &mut Prng, registry: &mut Registry, m: usize, t: OrgType) -> Option<Candidate> {
    let municipality = muni(m);
    let place = rng.gen_range(0..municipality.places.len());
    let stem = place_of(m, place).stem.as_str();
    let (of, slug, adj) = (&municipality.of, &municipality.slug, &municipality.adjective);
    let smolensk = m == 0;
    let (pools, names) = (&tables().organizations.pools, &tables().organizations.names);
    let (name, email, pool, (min, max)): (String, String, &'static [String], (usize, usize)) = match t {
        OrgType::Ddt => {
            let (base, abbr) = pick(rng, &names.ddt);
            (format!("МБУ ДО «{base}» {of}"), format!("{abbr}-{slug}"), &pools.ddt, (10, 16))
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
            (format!("МБОУ «{kind} № {n}» {of}"), format!("{eng}{n}-{slug}"), &pools.school, (5, 8))
        }
        OrgType::School => {
            let kind = if rng.gen_bool(0.75) { "средняя школа" } else { "основная школа" };
            let name = format!("МБОУ «{stem}ая {kind}» {of}");
            if registry.names.contains(&name) {
                let n = registry.school_number(rng, m);
                (format!("МБОУ «Средняя школа № {n}» {of}"), format!("school{n}-{slug}"), &pools.school, (5, 8))
            } else {
                (name, format!("{}-school", translit(stem)), &pools.school, (5, 8))
            }
        }
        OrgType::Sport => {
            let club = pick(rng, &names.sport_clubs);
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
            (name, email, &pools.sport, (2, 5))
        }
        OrgType::Culture => {
            let dk = pick(rng, &names.houses_of_culture);
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
            (name, email, &pools.culture, (4, 7))
        }
        OrgType::ArtSchool => {
            let n = rng.gen_range(1..=8);
            match rng.gen_range(0..5) {
                0 | 1 if smolensk => (
                    format!("МБУ ДО «Детская школа искусств № {n}» {of}"),
                    format!("dshi{n}-{slug}"),
                    &pools.art_school,
                    (3, 5),
                ),
                0 | 1 if !stem.is_empty() => (
                    format!("МБУ ДО «{stem}ая детская школа искусств» {of}"),
                    format!("dshi-{}", translit(stem)),
                    &pools.art_school,
                    (3, 5),
                ),
                0 | 1 => {
                    (format!("МБУ ДО «Детская школа искусств» {of}"), format!("dshi-{slug}"), &pools.art_school, (3, 5))
                }
                2 => (format!("МБУ ДО «Детская музыкальная школа» {of}"), format!("dmsh-{slug}"), &pools.music, (2, 3)),
                3 => (
                    format!("МБУ ДО «Детская художественная школа» {of}"),
                    format!("dkhsh-{slug}"),
                    &pools.fine_art,
                    (2, 2),
                ),
                _ if smolensk => (
                    format!("МБУ ДО «Детская школа искусств им. М. И. Глинки» {of}"),
                    format!("dshi-glinka-{slug}"),
                    &pools.art_school,
                    (3, 5),
                ),
                _ => {
                    (format!("МБУ ДО «Детская школа искусств» {of}"), format!("dshi-{slug}"), &pools.art_school, (3, 5))
                }
            }
        }
        OrgType::Museum => {
            let (name, email) = if !stem.is_empty() {
                (format!("МБУК «{stem}ий краеведческий музей»"), format!("museum-{}", translit(stem)))
            } else if smolensk {
                let name = pick(rng, &names.museum_centres);
                (format!("МБУК «Музейно-выставочный центр «{name}»» {of}"), format!("mvc-{}", translit(name)))
            } else {
                (format!("МБУК «{adj} историко-краеведческий музей»"), format!("museum-{slug}"))
            };
            (name, email, &pools.museum, (2, 4))
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
            (name, email, &pools.library, (2, 4))
        }
        OrgType::Technic => {
            let (base, abbr) = pick(rng, &names.technic);
            (format!("МБУ ДО «{base}» {of}"), format!("{abbr}-{slug}"), &pools.technic, (3, 6))
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
            (name, email, &pools.digital, (4, 7))
        }
        OrgType::Nature => {
            let (name, email) = match rng.gen_range(0..3) {
                _ if smolensk && !registry.names.contains(ECOSTATION) => {
                    (ECOSTATION.to_owned(), "ecostation-smolensk".to_owned())
                }
                0 | 1 => (format!("МБУ ДО «Станция юных натуралистов» {of}"), format!("syun-{slug}")),
                _ => (format!("МБУ ДО «Эколого-биологический центр» {of}"), format!("ebc-{slug}")),
            };
            (name, email, &pools.nature, (3, 6))
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
            (name, email, &pools.tourism, (3, 5))
        }
        OrgType::Private => return None,
    };
    Some(Candidate { name, email, pool, size: (min, max), place, kind: t.kind() })
}

fn private_candidate(rng: &mut Prng, registry: &mut Registry, m: usize) -> Candidate {
    let municipality = muni(m);
    // A studio name not yet used in the municipality while there are.
    let themes = &tables().organizations.themes;
    let (mut theme, mut studio) = (&themes[0], themes[0].names[0].as_str());
    for _ in 0..8 {
        theme = pick(rng, themes);
        studio = pick(rng, &theme.names).as_str();
        if !registry.studios.contains(&(m, studio)) {
            break;
        }
    }
    registry.studios.insert((m, studio));
    let noun = pick(rng, &theme.nouns);
    let place = rng.gen_range(0..municipality.places.len());
    let slug = &municipality.slug;
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
    Candidate { name, email, pool: &theme.profiles, size, place, kind: OrganizationKind::Private }
}

// ---------------------------------------------------------------------------
// Programs

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
    let profiles = &tables().programs.profiles;
    let total: u32 = focus.iter().filter_map(|i| profiles.get(*i)).map(|p| p.weight).sum();
    if total > 0 {
        let mut r = rng.gen_range(0..total);
        for p in focus.iter().filter_map(|i| profiles.get(*i)) {
            if r < p.weight {
                return p;
            }
            r -= p.weight;
        }
    }
    pick(rng, profiles)
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
        let name = if profile.names.is_empty() { "Радуга" } else { pick(rng, &profile.names) };
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
    let text = tables().programs.directions.of(profile.direction);
    // A title the organization has not used yet, when one comes up.
    let mut attempt = 0;
    let (title, level, (age_min, age_max)) = loop {
        let (template, lo, hi) = pick(rng, &profile.titles);
        let (template, lo, hi) = (template.as_str(), *lo, *hi);
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
    let goals = format!("Цель программы — {} {}", lower_first(&profile.goal), pick(rng, &text.tasks));
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
        (0..if rng.gen_bool(0.7) { 1 } else { 2 }).map(|_| person(rng, text.female_teachers).full).collect();
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
        format!("{}@example.org", person(rng, text.female_teachers).login)
    };
    let input = ProgramInput {
        title,
        description,
        goals,
        direction: Some(profile.direction),
        profile: profile.name.clone(),
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
    let appeal = if rng.gen_bool(0.2) {
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
        appeal,
        applications_count: (popularity.powi(4) * 300.0).round() as i64,
        days_since_published: rng.gen_range(0..=700),
        modules,
        groups,
    }
}

fn description(rng: &mut Prng, profile: &Profile, text: &DirectionText, disability_friendly: bool) -> String {
    let programs = &tables().programs;
    let mut sentences = vec![pick(rng, &profile.does).as_str(), pick(rng, &profile.learns).as_str()];
    let extra = rng.gen_range(0..=2);
    if extra >= 1 {
        let results = if rng.gen_bool(0.6) { &profile.results } else { &text.results };
        sentences.push(pick(rng, results).as_str());
    }
    if extra >= 2 {
        let format = if profile.direction == Direction::PhysicalSports && rng.gen_bool(0.5) {
            &programs.sport_format
        } else {
            pick(rng, &programs.format)
        };
        sentences.push(format.as_str());
    }
    if disability_friendly && sentences.len() < 4 {
        sentences.push(&programs.disability);
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
            let stage_name = match text.modules.get(*stage) {
                Some(names) if !names.is_empty() => pick(rng, names).as_str(),
                _ => "Основной курс",
            };
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
            assert!(p.appeal.is_none_or(|r| (3.5..=5.0).contains(&r)));
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
        let unrated = share(&|p| p.appeal.is_none());
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
        let municipalities = &tables().geography.municipalities;
        for (m, municipality) in municipalities.iter().enumerate() {
            assert!(catalog.organizations.iter().any(|o| o.municipality == m), "{}", municipality.name);
        }
        let smolensk = catalog.organizations.iter().filter(|o| o.municipality == 0).count();
        let most_elsewhere = (1..municipalities.len())
            .map(|m| catalog.organizations.iter().filter(|o| o.municipality == m).count())
            .max()
            .unwrap();
        assert!(smolensk > 2 * most_elsewhere, "{smolensk} vs {most_elsewhere}");
    }

    #[test]
    fn coordinates_lie_in_their_municipality() {
        let catalog = demo();
        let munis = &tables().geography.municipalities;
        let near = |m: usize, lat: f64, lon: f64| (lat - munis[m].lat).abs() < 0.3 && (lon - munis[m].lon).abs() < 0.3;
        for org in &catalog.organizations {
            let (lat, lon) = (org.input.lat.unwrap(), org.input.lon.unwrap());
            assert!(near(org.municipality, lat, lon), "{} {lat} {lon}", org.input.name);
        }
        for p in &catalog.programs {
            let m = p.input.municipality_id as usize - 1;
            assert!(near(m, p.input.lat, p.input.lon), "{} {} {}", p.input.title, p.input.lat, p.input.lon);
        }
        // The villages of the Smolensk district are not in the city.
        let city = &munis[0];
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
