//! Times the catalog index on 20,000 synthetic programs:
//! `cargo run --release -p navigator-search --example index_bench`.
#![allow(clippy::print_stdout)]

use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use navigator_search::{CatalogIndex, IndexedProgram, SearchError};
use navigator_shared::catalog::{
    BBox, CatalogQuery, CostType, Direction, Level, OrganizationRef, ProgramSummary, Sort,
};

const PROGRAMS: i64 = 20_000;
const ORGANIZATIONS: i64 = 600;
const MUNICIPALITIES: i64 = 12;

const SUBJECTS: [&str; 20] = [
    "Робототехника",
    "Шахматы",
    "Танцевальная студия",
    "Футбол",
    "Рисование",
    "Ёлочная игрушка своими руками",
    "Программирование на Python",
    "Юный натуралист",
    "Краеведение",
    "Театральная студия",
    "Вокал",
    "3D-моделирование",
    "Английский язык",
    "Гимнастика",
    "Плавание",
    "Журналистика",
    "Экология",
    "Астрономия",
    "Керамика",
    "Спортивный туризм",
];
const KINDS: [&str; 8] =
    ["для начинающих", "для малышей", "продвинутый уровень", "клуб", "кружок", "студия", "мастерская", "школа"];
const NAMES: [&str; 8] =
    ["«Ладья»", "«Грация»", "«Созвездие»", "«Радуга»", "«Искра»", "«Пилигрим»", "«Орлёнок»", "«Мечта»"];
const SENTENCES: [&str; 8] = [
    "Дети собирают и программируют роботов, участвуют в соревнованиях.",
    "Занятия проходят в игровой форме, развивают внимание и логику.",
    "Изучаем историю родного края, ходим в походы и экспедиции.",
    "Педагог с большим опытом готовит воспитанников к конкурсам и фестивалям.",
    "Программа знакомит с основами композиции, цвета и формы.",
    "Тренировки укрепляют здоровье, учат работать в команде.",
    "Ребята ставят спектакли, учатся сценической речи и движению.",
    "Наблюдаем за природой, ставим опыты, ведём дневник наблюдений.",
];
const SYLLABLES: [&str; 24] = [
    "ка", "ло", "ми", "ра", "то", "ве", "ну", "сы", "пе", "да", "ри", "жо", "ба", "зе", "ку", "ля", "мо", "ти", "гра",
    "стру", "пле", "вро", "ни", "ско",
];
const PROFILES: [&str; 10] = [
    "робототехника",
    "шахматы",
    "хореография",
    "футбол",
    "изобразительное искусство",
    "декоративно-прикладное творчество",
    "программирование",
    "экология",
    "краеведение",
    "вокал",
];

/// xorshift64*: a small deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn float(&mut self, from: f64, to: f64) -> f64 {
        from + (to - from) * (self.below(1_000_000) as f64 / 1_000_000.0)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

fn start() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2025, 9, 1).and_then(|d| d.and_hms_opt(0, 0, 0)).unwrap_or_default()
}

/// A made-up word, so that the vocabulary is as large as real descriptions make it.
fn pseudo_word(rng: &mut Rng) -> String {
    (0..2 + rng.below(3)).map(|_| *rng.pick(&SYLLABLES)).collect()
}

fn synthetic_program(rng: &mut Rng, id: i64) -> IndexedProgram {
    let subject = rng.pick(&SUBJECTS);
    let title = match rng.below(3) {
        0 => format!("{subject} {}", rng.pick(&KINDS)),
        1 => format!("{subject} {}", rng.pick(&NAMES)),
        _ => (*subject).to_owned(),
    };
    let mut description: Vec<String> = (0..3 + rng.below(4)).map(|_| (*rng.pick(&SENTENCES)).to_owned()).collect();
    description.extend((0..6).map(|_| pseudo_word(rng)));
    let organization = 1 + rng.below(ORGANIZATIONS as u64) as i64;
    let age_min = 5 + rng.below(10) as i32;
    let cost_type = *rng.pick(&[CostType::Free, CostType::Paid, CostType::Certificate]);
    let published_at = start() + TimeDelta::minutes(rng.below(365 * 24 * 60) as i64);
    IndexedProgram {
        summary: ProgramSummary {
            id,
            title,
            direction: *rng.pick(Direction::ALL),
            profile: (*rng.pick(&PROFILES)).to_owned(),
            level: *rng.pick(Level::ALL),
            age_min,
            age_max: (age_min + 2 + rng.below(6) as i32).min(18),
            certified: rng.chance(30),
            cost_type,
            organization: OrganizationRef {
                id: organization, name: format!("Дом творчества {}", rng.pick(&NAMES))
            },
            municipality_id: 1 + organization % MUNICIPALITIES,
            address: format!("ул. Ленина, {}", 1 + rng.below(200)),
            lat: rng.float(54.0, 55.6),
            lon: rng.float(31.0, 35.0),
            rating: rng.chance(70).then(|| rng.float(3.0, 5.0)),
            reviews_count: 1 + rng.below(40) as i64,
            applications_count: rng.below(200) as i64,
            price_from: None,
            open: rng.chance(60),
            disability_friendly: rng.chance(20),
            updated_at: published_at.and_utc(),
        },
        description: description.join(" "),
        published_at,
    }
}

/// Filter-only queries as the catalog page sends them.
fn filter_queries(rng: &mut Rng) -> Vec<(CatalogQuery, i64)> {
    (0..10_000)
        .map(|i| {
            let mut query = CatalogQuery::default();
            let municipality = Some(1 + rng.below(MUNICIPALITIES as u64) as i64);
            match i % 8 {
                0 => {}
                1 => query.municipality_id = municipality,
                2 => query.direction = Some(*rng.pick(Direction::ALL)),
                3 => {
                    query.municipality_id = municipality;
                    query.age = Some(5 + rng.below(13) as i32);
                    query.cost = Some(*rng.pick(&[CostType::Free, CostType::Paid, CostType::Certificate]));
                }
                4 => {
                    query.direction = Some(*rng.pick(Direction::ALL));
                    query.age = Some(5 + rng.below(13) as i32);
                    query.open = Some(true);
                }
                5 => query.organization_id = Some(1 + rng.below(ORGANIZATIONS as u64) as i64),
                6 => query.profile = Some((*rng.pick(&PROFILES)).to_owned()),
                _ => {
                    query.municipality_id = municipality;
                    query.direction = Some(*rng.pick(Direction::ALL));
                    query.open = Some(true);
                }
            }
            query.sort = Some(*rng.pick(Sort::ALL));
            (query, 1 + rng.below(5) as i64)
        })
        .collect()
}

/// Text queries: prefixes, whole words, misspellings, two words, with and without filters.
const TEXTS: [&str; 16] = [
    "робот",
    "танц",
    "шах",
    "рис",
    "шахматы",
    "футбол",
    "вокал",
    "театральная студия",
    "робатехника",
    "шахмоты",
    "програмирование",
    "танцевалная",
    "ёлка",
    "шахматный клуб",
    "юный натуралист",
    "3d",
];

fn text_queries(rng: &mut Rng) -> Vec<CatalogQuery> {
    (0..2_000)
        .map(|i| CatalogQuery {
            q: Some(TEXTS[i % TEXTS.len()].to_owned()),
            municipality_id: (i % 3 == 0).then(|| 1 + rng.below(MUNICIPALITIES as u64) as i64),
            sort: (i % 4 == 0).then_some(Sort::Rating),
            ..CatalogQuery::default()
        })
        .collect()
}

/// Durations of one kind of call.
struct Timings {
    name: &'static str,
    samples: Vec<Duration>,
}

impl Timings {
    fn run<T>(
        name: &'static str,
        inputs: &[T],
        mut call: impl FnMut(&T) -> Result<(), SearchError>,
    ) -> Result<Self, SearchError> {
        let mut samples = Vec::with_capacity(inputs.len());
        for input in inputs {
            let started = Instant::now();
            call(input)?;
            samples.push(started.elapsed());
        }
        Ok(Timings { name, samples })
    }

    fn print(&mut self) {
        self.samples.sort_unstable();
        let micros = |d: Duration| d.as_secs_f64() * 1e6;
        let mean = self.samples.iter().map(|d| micros(*d)).sum::<f64>() / self.samples.len() as f64;
        let at = |share: f64| micros(self.samples[((self.samples.len() - 1) as f64 * share) as usize]);
        println!(
            "| {:<34} | {:>6} | {:>10.1} | {:>10.1} | {:>10.1} |",
            self.name,
            self.samples.len(),
            mean,
            at(0.5),
            at(0.99)
        );
    }
}

fn main() -> Result<(), SearchError> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let programs: Vec<IndexedProgram> = (1..=PROGRAMS).map(|id| synthetic_program(&mut rng, id)).collect();
    let index = Arc::new(CatalogIndex::new()?);
    let started = Instant::now();
    index.replace_all(programs.clone())?;
    println!("replace_all of {PROGRAMS} programs: {:.0} ms", started.elapsed().as_secs_f64() * 1e3);

    let filters = filter_queries(&mut rng);
    let texts = text_queries(&mut rng);
    let region = BBox { min_lon: 31.0, min_lat: 54.0, max_lon: 35.0, max_lat: 55.6 };
    let city = BBox { min_lon: 32.0, min_lat: 54.75, max_lon: 32.1, max_lat: 54.81 };
    let maps: Vec<(CatalogQuery, BBox, u8)> = (0..200)
        .map(|i| (CatalogQuery { age: (i % 2 == 0).then_some(10), ..CatalogQuery::default() }, region, 9))
        .collect();
    let city_maps: Vec<(CatalogQuery, BBox, u8)> = maps.iter().map(|(q, _, _)| (q.clone(), city, 14)).collect();
    let region_maps: Vec<(CatalogQuery, BBox, u8)> = maps.iter().map(|(q, _, _)| (q.clone(), region, 14)).collect();
    let updates: Vec<IndexedProgram> = programs.iter().step_by(100).take(200).cloned().collect();

    let mut table = vec![
        Timings::run("search, filters only", &filters, |(q, page)| index.search(q, *page, 20).map(drop))?,
        Timings::run("search, text", &texts, |q| index.search(q, 1, 20).map(drop))?,
        Timings::run("map, zoom 9, region (clusters)", &maps, |(q, b, z)| index.map(q, *b, *z).map(drop))?,
        Timings::run("map, zoom 14, city (markers)", &city_maps, |(q, b, z)| index.map(q, *b, *z).map(drop))?,
        Timings::run("map, zoom 14, region (2,000 cap)", &region_maps, |(q, b, z)| index.map(q, *b, *z).map(drop))?,
        Timings::run("upsert (replace one)", &updates, |p| index.upsert(p.clone()))?,
    ];
    print_header("operation (µs)");
    for timings in &mut table {
        timings.print();
    }
    println!();
    print_header("text alone (µs)");
    for text in TEXTS {
        let queries = vec![CatalogQuery { q: Some(text.to_owned()), ..CatalogQuery::default() }; 50];
        let mut timings = Timings::run(text, &queries, |q| index.search(q, 1, 20).map(drop))?;
        timings.print();
    }
    throughput(&index, &filters, &texts)
}

fn print_header(first: &str) {
    println!("| {first:<34} | {:>6} | {:>10} | {:>10} | {:>10} |", "calls", "mean", "p50", "p99");
    println!("|{}|{}|{}|{}|{}|", "-".repeat(36), "-".repeat(8), "-".repeat(12), "-".repeat(12), "-".repeat(12));
}

/// Two threads of mixed searches (9 filter-only : 1 text) while a third upserts.
fn throughput(
    index: &Arc<CatalogIndex>,
    filters: &[(CatalogQuery, i64)],
    texts: &[CatalogQuery],
) -> Result<(), SearchError> {
    let mixed: Arc<Vec<CatalogQuery>> = Arc::new(
        filters
            .iter()
            .enumerate()
            .map(|(i, (q, _))| if i % 10 == 9 { texts[i % texts.len()].clone() } else { q.clone() })
            .collect(),
    );
    let started = Instant::now();
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (index, mixed) = (Arc::clone(index), Arc::clone(&mixed));
            thread::spawn(move || mixed.iter().try_for_each(|q| index.search(q, 1, 20).map(drop)))
        })
        .collect();
    let mut rng = Rng(7);
    for id in 1..=50 {
        index.upsert(synthetic_program(&mut rng, id))?;
    }
    for reader in readers {
        reader.join().unwrap_or(Ok(()))?;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "2 threads, {} mixed searches during 50 upserts: {:.0} searches/s",
        2 * mixed.len(),
        2.0 * mixed.len() as f64 / seconds
    );
    Ok(())
}
