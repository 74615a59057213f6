//! The catalog: programs, their modules and groups, the public search and
//! the map. Bodies, enums and the rules of the forms.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::FieldErrors;
use crate::ages::AgeRange;
use crate::code_enum;
use crate::validate::{self, Email, Phone};

code_enum! {
    /// «Направленность» of a program: the six official directions.
    pub enum Direction {
        Technical = ("technical", "Техническая"),
        NaturalScience = ("natural_science", "Естественнонаучная"),
        PhysicalSports = ("physical_sports", "Физкультурно-спортивная"),
        Arts = ("arts", "Художественная"),
        TourismLocalHistory = ("tourism_local_history", "Туристско-краеведческая"),
        SocialHumanitarian = ("social_humanitarian", "Социально-гуманитарная"),
    }
}

code_enum! {
    /// Level of a program.
    pub enum Level {
        Start = ("start", "Стартовый"),
        Basic = ("basic", "Базовый"),
        Advanced = ("advanced", "Продвинутый"),
    }
}

code_enum! {
    /// How a program is paid for, as the organization states it.
    pub enum CostType {
        Free = ("free", "Бесплатно"),
        Paid = ("paid", "Платно"),
        Certificate = ("certificate", "Оплата сертификатом"),
    }
}

code_enum! {
    /// Where a program is in its life.
    pub enum ProgramStatus {
        /// Being written by the organization.
        Draft = ("draft", "Черновик"),
        /// Waiting for the operator.
        Moderation = ("moderation", "На модерации"),
        /// Sent back by the operator with a comment.
        Returned = ("returned", "Возвращена на доработку"),
        /// In the public catalog.
        Published = ("published", "Опубликована"),
        /// No longer offered.
        Archived = ("archived", "В архиве"),
    }
}

code_enum! {
    /// Order of the catalog.
    pub enum Sort {
        /// Best text match first (newest without a text query).
        Relevance = ("relevance", "По релевантности"),
        Rating = ("rating", "По рейтингу"),
        /// Number of applications.
        Popularity = ("popularity", "По популярности"),
        Newest = ("newest", "Сначала новые"),
    }
}

/// What a parent pays: `certificate` only when the operator certified the program.
pub fn effective_cost(cost_type: CostType, certified: bool) -> CostType {
    match (cost_type, certified) {
        (_, true) => CostType::Certificate,
        (CostType::Certificate, false) => CostType::Paid,
        (other, false) => other,
    }
}

/// `GET /programs`: filters, text, order and page. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct CatalogQuery {
    pub municipality_id: Option<i64>,
    pub organization_id: Option<i64>,
    pub direction: Option<Direction>,
    /// Profile, e.g. «робототехника» (exact, case-insensitive).
    pub profile: Option<String>,
    /// The child's age in years: programs whose range includes it.
    pub age: Option<i32>,
    /// `free`, `paid` or `certificate` (certified programs).
    pub cost: Option<CostType>,
    /// `true`: only programs with a group open for enrolment.
    pub open: Option<bool>,
    /// Text: words, prefixes and slightly misspelt words of the title,
    /// profile, description and organization.
    pub q: Option<String>,
    /// `relevance` (default), `rating`, `popularity`, `newest`.
    pub sort: Option<Sort>,
    /// Page number, 1..=100000 (default 1).
    pub page: Option<i64>,
    /// Page size, 1..=100 (default 20).
    pub per_page: Option<i64>,
}

impl CatalogQuery {
    pub const DEFAULT_PER_PAGE: i64 = 20;
    pub const MAX_PER_PAGE: i64 = 100;
    pub const MAX_TEXT: usize = 200;

    /// Checks the values a type cannot: `(page, per_page)`.
    pub fn check(&self) -> Result<(i64, i64), FieldErrors> {
        let mut e = FieldErrors::new();
        let (page, per_page) = crate::reference::PageQuery::check(
            self.page,
            self.per_page,
            Self::DEFAULT_PER_PAGE,
            Self::MAX_PER_PAGE,
            &mut e,
        );
        if self.age.is_some_and(|age| !AgeRange::CATALOG.contains(age)) {
            e.add("age", "Возраст — от 0 до 18 лет");
        }
        if self.q.as_ref().is_some_and(|q| q.chars().count() > Self::MAX_TEXT) {
            e.add("q", format!("Запрос — не длиннее {} символов", Self::MAX_TEXT));
        }
        e.finish(|| Some((page, per_page)))
    }
}

/// The organization a program belongs to, as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganizationRef {
    pub id: i64,
    pub name: String,
}

/// A program in the catalog list and on the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgramSummary {
    pub id: i64,
    pub title: String,
    pub direction: Direction,
    pub profile: String,
    pub level: Level,
    pub age_min: i32,
    pub age_max: i32,
    /// The operator confirmed it may be paid with a certificate.
    pub certified: bool,
    pub cost_type: CostType,
    pub organization: OrganizationRef,
    pub municipality_id: i64,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    /// The mean of the published reviews' stars (1–5); `null` without reviews.
    pub rating: Option<f64>,
    /// Published reviews behind `rating`.
    pub reviews_count: i64,
    pub applications_count: i64,
    /// Lowest module price in kopecks; `null` without modules.
    pub price_from: Option<i64>,
    /// Has a group open for enrolment with free places.
    pub open: bool,
    /// Suitable for children with disabilities (ОВЗ).
    pub disability_friendly: bool,
    pub updated_at: DateTime<Utc>,
}

/// How many programs each value of a filter would give, the other filters kept.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Facets {
    pub direction: Vec<FacetCount>,
    pub municipality: Vec<FacetCount>,
    pub cost: Vec<FacetCount>,
    /// Programs with an open group.
    pub open: i64,
}

/// One value of a facet: the code (or id) and the number of programs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetCount {
    pub value: String,
    pub count: i64,
}

/// A page of the catalog with its facets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogPage {
    pub items: Vec<ProgramSummary>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub facets: Facets,
}

/// `GET /programs/map`: the catalog's filters plus the visible box and zoom.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct MapQuery {
    /// `min_lon,min_lat,max_lon,max_lat`.
    pub bbox: String,
    /// Map zoom 0..=19 (default 12); below 13 markers are clustered.
    pub zoom: Option<u8>,
    pub municipality_id: Option<i64>,
    pub organization_id: Option<i64>,
    pub direction: Option<Direction>,
    pub profile: Option<String>,
    pub age: Option<i32>,
    pub cost: Option<CostType>,
    pub open: Option<bool>,
    pub q: Option<String>,
}

/// A visible box of the map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BBox {
    pub min_lon: f64,
    pub min_lat: f64,
    pub max_lon: f64,
    pub max_lat: f64,
}

impl BBox {
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        (self.min_lat..=self.max_lat).contains(&lat) && (self.min_lon..=self.max_lon).contains(&lon)
    }
}

/// Zoom from which every program is its own marker.
pub const CLUSTER_BELOW_ZOOM: u8 = 13;

impl MapQuery {
    /// The box and zoom, checked.
    pub fn check(&self) -> Result<(BBox, u8), FieldErrors> {
        let mut e = FieldErrors::new();
        let parts: Vec<Option<f64>> = self.bbox.split(',').map(|p| p.trim().parse::<f64>().ok()).collect();
        let bbox = match parts.as_slice() {
            [Some(min_lon), Some(min_lat), Some(max_lon), Some(max_lat)]
                if min_lon <= max_lon
                    && min_lat <= max_lat
                    && (-90.0..=90.0).contains(min_lat)
                    && (-90.0..=90.0).contains(max_lat)
                    && (-180.0..=180.0).contains(min_lon)
                    && (-180.0..=180.0).contains(max_lon) =>
            {
                Some(BBox { min_lon: *min_lon, min_lat: *min_lat, max_lon: *max_lon, max_lat: *max_lat })
            }
            _ => {
                e.add("bbox", "Область карты: четыре числа «мин. долгота,мин. широта,макс. долгота,макс. широта»");
                None
            }
        };
        let zoom = self.zoom.unwrap_or(12);
        if zoom > 19 {
            e.add("zoom", "Масштаб — от 0 до 19");
        }
        let filters = self.filters();
        if let Err(errors) = filters.check() {
            e.merge(errors);
        }
        e.finish(|| Some((bbox?, zoom)))
    }

    /// The map of the catalog's `filters` in the box `bbox` at `zoom` (their
    /// order and page do not apply).
    pub fn of(filters: &CatalogQuery, bbox: String, zoom: u8) -> MapQuery {
        let CatalogQuery { municipality_id, organization_id, direction, profile, age, cost, open, q, .. } =
            filters.clone();
        MapQuery { bbox, zoom: Some(zoom), municipality_id, organization_id, direction, profile, age, cost, open, q }
    }

    /// The catalog filters of this map request.
    pub fn filters(&self) -> CatalogQuery {
        CatalogQuery {
            municipality_id: self.municipality_id,
            organization_id: self.organization_id,
            direction: self.direction,
            profile: self.profile.clone(),
            age: self.age,
            cost: self.cost,
            open: self.open,
            q: self.q.clone(),
            sort: None,
            page: None,
            per_page: None,
        }
    }
}

/// A point on the map: one program, or a cluster of nearby programs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MapMarker {
    pub lat: f64,
    pub lon: f64,
    /// Programs behind the marker (1 for a single program).
    pub count: i64,
    /// The programs behind the marker when a closer view would not tell them
    /// apart: the one program, or the programs sharing this very point (an
    /// address with several programs), newest first, at most
    /// [`MAX_LISTED_AT_POINT`]. Empty for a cluster of nearby points, which
    /// a closer view splits.
    pub programs: Vec<MapProgram>,
}

/// The most programs of one point a marker lists.
pub const MAX_LISTED_AT_POINT: usize = 50;

/// What a single marker's popup shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MapProgram {
    pub id: i64,
    pub title: String,
    pub organization: String,
    pub address: String,
}

/// The map's answer: markers and the number of programs in the box.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MapPage {
    pub markers: Vec<MapMarker>,
    /// Programs inside the box.
    pub total: i64,
    /// Programs matching the filters, anywhere: when more than `total`, the
    /// rest are outside the box.
    pub matching: i64,
    /// `[min_lon, min_lat, max_lon, max_lat]` around every matching program:
    /// the view that shows them all; `None` when nothing matches.
    pub extent: Option<[f64; 4]>,
}

/// One lesson of a group's week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lesson {
    /// 1 = Monday … 7 = Sunday.
    pub weekday: u8,
    /// `HH:MM`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "16:00"))]
    pub start: NaiveTime,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "17:30"))]
    pub end: NaiveTime,
}

pub const WEEKDAYS: [&str; 7] = ["пн", "вт", "ср", "чт", "пт", "сб", "вс"];

impl Lesson {
    /// «пн 16:00–17:30».
    pub fn describe(&self) -> String {
        let day = WEEKDAYS.get(usize::from(self.weekday.saturating_sub(1))).copied().unwrap_or("?");
        format!("{day} {}–{}", self.start.format("%H:%M"), self.end.format("%H:%M"))
    }
}

/// A module of a program: a part with its hours and price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "diesel", derive(diesel::Queryable))]
pub struct Module {
    pub id: i64,
    pub program_id: i64,
    pub name: String,
    pub hours: i32,
    /// Price of the whole module in kopecks (0 for free programs).
    pub price: i64,
}

/// A study group of a program.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Group {
    pub id: i64,
    pub program_id: i64,
    pub name: String,
    pub teacher: String,
    pub schedule: Vec<Lesson>,
    pub capacity: i32,
    /// Places left: capacity minus enrolled children.
    pub free_places: i32,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// The academic year the group starts in (2026 = 2026/2027).
    pub academic_year: i32,
    pub age_min: i32,
    pub age_max: i32,
    /// The organization accepts applications to the group.
    pub enrolment_open: bool,
    pub enrolment_from: Option<NaiveDate>,
    pub enrolment_to: Option<NaiveDate>,
    /// Places are held until this day for children who finished a year of
    /// the program (the first right to continue).
    #[serde(default)]
    pub hold_until: Option<NaiveDate>,
    /// Open for enrolment today and has free places.
    pub open: bool,
}

impl Group {
    /// Whether a child can apply today: accepted, within the dates, places left.
    pub fn is_open(
        enrolment_open: bool,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        free_places: i32,
        today: NaiveDate,
    ) -> bool {
        enrolment_open && from.is_none_or(|f| f <= today) && to.is_none_or(|t| today <= t) && free_places > 0
    }
}

/// Contacts of a program.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contacts {
    pub name: String,
    pub phone: String,
    pub email: String,
}

/// The program card: everything a family reads before applying.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgramCard {
    #[serde(flatten)]
    pub summary: ProgramSummary,
    pub status: ProgramStatus,
    pub description: String,
    pub goals: String,
    pub duration_months: i32,
    pub teachers: Vec<String>,
    pub contacts: Contacts,
    /// The operator's comment when the program was returned.
    pub moderation_comment: Option<String>,
    pub organization_details: crate::organizations::OrganizationCard,
    /// Which certificate pays it when `certified`.
    #[serde(default = "personified")]
    pub funding: crate::funding::FundingKind,
    pub modules: Vec<Module>,
    pub groups: Vec<Group>,
}

/// A program as the organization writes it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgramInput {
    pub title: String,
    pub description: String,
    #[serde(default)]
    pub goals: String,
    pub direction: Option<Direction>,
    pub profile: String,
    pub level: Option<Level>,
    pub age_min: i32,
    pub age_max: i32,
    pub municipality_id: i64,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    pub duration_months: i32,
    /// Teachers' names, one per entry.
    #[serde(default)]
    pub teachers: Vec<String>,
    pub cost_type: Option<CostType>,
    #[serde(default)]
    pub contact_name: String,
    pub contact_phone: String,
    #[serde(default)]
    pub contact_email: String,
    #[serde(default)]
    pub disability_friendly: bool,
}

/// A program that passed every field rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidProgram {
    pub title: String,
    pub description: String,
    pub goals: String,
    pub direction: Direction,
    pub profile: String,
    pub level: Level,
    pub age_min: i32,
    pub age_max: i32,
    pub municipality_id: i64,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    pub duration_months: i32,
    pub teachers: Vec<String>,
    pub cost_type: CostType,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: String,
    pub disability_friendly: bool,
}

/// Coordinates on the map: latitude and longitude in degrees, checked together.
pub fn check_coordinates(e: &mut FieldErrors, lat: f64, lon: f64) {
    if !(41.0..=82.0).contains(&lat) {
        e.add("lat", "Широта — число от 41 до 82 (территория России); выберите точку на карте");
    }
    if !(19.0..=180.0).contains(&lon) && !(-180.0..=-168.0).contains(&lon) {
        e.add("lon", "Долгота — число от 19 до 180 (территория России); выберите точку на карте");
    }
}

fn check_ages(e: &mut FieldErrors, min: i32, max: i32) {
    if !AgeRange::CATALOG.contains(min) {
        e.add("age_min", "Возраст — от 0 до 18 лет");
    }
    if !AgeRange::CATALOG.contains(max) {
        e.add("age_max", "Возраст — от 0 до 18 лет");
    } else if min > max {
        e.add("age_max", "Верхняя граница возраста меньше нижней");
    }
}

fn required<T: Copy>(e: &mut FieldErrors, field: &str, value: Option<T>, message: &str) -> Option<T> {
    if value.is_none() {
        e.add(field, message);
    }
    value
}

impl ProgramInput {
    pub fn validate(&self) -> Result<ValidProgram, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = e.check("title", validate::bounded_text(&self.title, 200, "Укажите название программы"));
        let description =
            e.check("description", validate::bounded_text(&self.description, 10_000, "Опишите программу"));
        let goals = e.check("goals", validate::optional_text(&self.goals, 4_000));
        let direction = required(&mut e, "direction", self.direction, "Выберите направленность");
        let profile =
            e.check("profile", validate::bounded_text(&self.profile, 100, "Укажите профиль, например «робототехника»"));
        let level = required(&mut e, "level", self.level, "Выберите уровень");
        check_ages(&mut e, self.age_min, self.age_max);
        if self.municipality_id <= 0 {
            e.add("municipality_id", "Выберите муниципалитет");
        }
        let address =
            e.check("address", validate::bounded_text(&self.address, 300, "Укажите адрес проведения занятий"));
        check_coordinates(&mut e, self.lat, self.lon);
        if !(1..=120).contains(&self.duration_months) {
            e.add("duration_months", "Продолжительность — от 1 до 120 месяцев");
        }
        let mut teachers = Vec::new();
        for teacher in self.teachers.iter().filter(|t| !t.trim().is_empty()) {
            if let Some(t) = e.check("teachers", validate::bounded_text(teacher, 150, "")) {
                teachers.push(t);
            }
        }
        if teachers.len() > 20 {
            e.add("teachers", "Не более 20 педагогов");
        }
        let cost_type = required(&mut e, "cost_type", self.cost_type, "Выберите способ оплаты");
        let contact_name = e.check("contact_name", validate::optional_text(&self.contact_name, 150));
        let contact_phone = e.check("contact_phone", Phone::parse(&self.contact_phone));
        let contact_email = if self.contact_email.trim().is_empty() {
            Some(String::new())
        } else {
            e.check("contact_email", Email::parse(&self.contact_email).map(|m| m.as_str().to_owned()))
        };
        e.finish(|| {
            Some(ValidProgram {
                title: title?,
                description: description?,
                goals: goals?.unwrap_or_default(),
                direction: direction?,
                profile: profile?,
                level: level?,
                age_min: self.age_min,
                age_max: self.age_max,
                municipality_id: self.municipality_id,
                address: address?,
                lat: self.lat,
                lon: self.lon,
                duration_months: self.duration_months,
                teachers,
                cost_type: cost_type?,
                contact_name: contact_name?.unwrap_or_default(),
                contact_phone: contact_phone?.as_str().to_owned(),
                contact_email: contact_email?,
                disability_friendly: self.disability_friendly,
            })
        })
    }
}

/// A module as the organization writes it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModuleInput {
    pub name: String,
    pub hours: i32,
    /// Kopecks.
    pub price: i64,
}

impl ModuleInput {
    pub fn validate(&self) -> Result<ModuleInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.check("name", validate::bounded_text(&self.name, 200, "Укажите название модуля"));
        if !(1..=2_000).contains(&self.hours) {
            e.add("hours", "Часов — от 1 до 2000");
        }
        if !(0..=100_000_000).contains(&self.price) {
            e.add("price", "Стоимость — от 0 до 1 000 000 ₽");
        }
        e.finish(|| Some(ModuleInput { name: name?, hours: self.hours, price: self.price }))
    }
}

/// A group as the organization writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupInput {
    pub name: String,
    #[serde(default)]
    pub teacher: String,
    #[serde(default)]
    pub schedule: Vec<Lesson>,
    pub capacity: i32,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub age_min: i32,
    pub age_max: i32,
    #[serde(default)]
    pub enrolment_open: bool,
    pub enrolment_from: Option<NaiveDate>,
    pub enrolment_to: Option<NaiveDate>,
}

impl GroupInput {
    /// `program_ages`: a group's ages lie within its program's.
    pub fn validate(&self, program_ages: (i32, i32)) -> Result<GroupInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.check("name", validate::bounded_text(&self.name, 100, "Укажите название группы"));
        let teacher = e.check("teacher", validate::optional_text(&self.teacher, 150));
        if self.schedule.len() > 21 {
            e.add("schedule", "Не более 21 занятия в неделю");
        }
        if self.schedule.iter().any(|l| !(1..=7).contains(&l.weekday)) {
            e.add("schedule", "День недели — от 1 (понедельник) до 7 (воскресенье)");
        }
        if self.schedule.iter().any(|l| l.start >= l.end) {
            e.add("schedule", "Занятие должно заканчиваться позже, чем начинается");
        }
        if !(1..=1_000).contains(&self.capacity) {
            e.add("capacity", "Мест в группе — от 1 до 1000");
        }
        if self.end_date < self.start_date {
            e.add("end_date", "Дата окончания раньше даты начала");
        }
        check_ages(&mut e, self.age_min, self.age_max);
        let program_ages = AgeRange::new(program_ages.0, program_ages.1);
        if self.age_min <= self.age_max && !program_ages.covers(AgeRange::new(self.age_min, self.age_max)) {
            e.add(
                "age_min",
                format!("Возраст группы — в пределах программы: {}–{} лет", program_ages.from, program_ages.to),
            );
        }
        if let (Some(from), Some(to)) = (self.enrolment_from, self.enrolment_to)
            && to < from
        {
            e.add("enrolment_to", "Приём заканчивается раньше, чем начинается");
        }
        e.finish(|| {
            let mut schedule = self.schedule.clone();
            schedule.sort_by_key(|l| (l.weekday, l.start));
            Some(GroupInput { name: name?, teacher: teacher?.unwrap_or_default(), schedule, ..self.clone() })
        })
    }
}

/// The operator's decision on a program in moderation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishRequest {
    /// Mark the program «Доступна оплата сертификатом».
    #[serde(default)]
    pub certified: bool,
    /// Which certificate pays it: `personified` (ПФДО) unless `social`.
    #[serde(default)]
    pub funding: Option<crate::funding::FundingKind>,
}

fn personified() -> crate::funding::FundingKind {
    crate::funding::FundingKind::Personified
}

/// Sending a program back: what to fix.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReturnRequest {
    pub comment: String,
}

impl ReturnRequest {
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let mut e = FieldErrors::new();
        let comment = e.check("comment", validate::bounded_text(&self.comment, 2_000, "Напишите, что исправить"));
        e.finish(|| comment)
    }
}

/// `?status=&page=&per_page=` of the cabinet's and the moderation lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct ProgramsListQuery {
    /// Only programs in this status (moderation list: default `moderation`).
    pub status: Option<ProgramStatus>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// `?updated_since=` of the delta export.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct ChangesQuery {
    /// Changes after this moment: RFC 3339 (`2026-11-01T00:00:00Z`,
    /// `2026-11-01T03:00:00+03:00`); without an offset it is UTC.
    #[serde(deserialize_with = "validate::deserialize_utc_moment")]
    #[cfg_attr(feature = "openapi", param(value_type = String, format = DateTime))]
    pub updated_since: NaiveDateTime,
    /// At most this many records (1..=1000, default 500); continue from the last `updated_at`.
    pub limit: Option<i64>,
}

impl ChangesQuery {
    /// The page size asked for: 1..=1000, 500 when not given.
    pub fn checked_limit(&self) -> Result<i64, FieldErrors> {
        let limit = self.limit.unwrap_or(500);
        if (1..=1000).contains(&limit) {
            Ok(limit)
        } else {
            Err(FieldErrors::one("limit", "Не больше 1000 записей за раз"))
        }
    }
}

/// One changed program for integrators: the program, or that it left the catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgramChange {
    pub id: i64,
    /// `published`, or `archived`/`withdrawn` when it left the catalog.
    pub state: String,
    pub updated_at: DateTime<Utc>,
    /// The program when it is published.
    pub program: Option<ProgramSummary>,
}

/// The prior of [`rating_rank`]: the stars a program is assumed to deserve
/// before families rate it, and how many reviews that assumption weighs.
pub const RATING_PRIOR: (f64, f64) = (4.0, 5.0);

/// The value `sort=rating` orders by: the Bayesian mean
/// `(m·C + Σ stars) / (C + n)` with the prior `m = 4`, `C = 5` reviews
/// ([`RATING_PRIOR`]). A program with one five-star review (4,17) does not
/// pass one with thirty reviews averaging 4,6 (4,51); with many reviews the
/// rank approaches the plain mean. Programs without reviews have no rank and
/// come last.
pub fn rating_rank(rating: Option<f64>, count: i64) -> Option<f64> {
    let (mean, weight) = RATING_PRIOR;
    let rating = rating.filter(|r| r.is_finite() && count > 0)?;
    let n = count as f64;
    Some((mean * weight + rating * n) / (weight + n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn few_reviews_weigh_less_than_many() {
        let one_five = rating_rank(Some(5.0), 1).unwrap();
        let many = rating_rank(Some(4.6), 30).unwrap();
        assert!((one_five - 25.0 / 6.0).abs() < 1e-9);
        assert!(many > one_five);
        assert_eq!(rating_rank(None, 0), None);
        assert_eq!(rating_rank(Some(4.0), 0), None, "a mean without reviews is not a rating");
    }

    fn program() -> ProgramInput {
        ProgramInput {
            title: "Робототехника для начинающих".into(),
            description: "Собираем и программируем роботов".into(),
            direction: Some(Direction::Technical),
            profile: "робототехника".into(),
            level: Some(Level::Start),
            age_min: 7,
            age_max: 12,
            municipality_id: 1,
            address: "г. Смоленск, ул. Ленина, 10".into(),
            lat: 54.78,
            lon: 32.04,
            duration_months: 9,
            cost_type: Some(CostType::Certificate),
            contact_phone: "+7 4812 30-00-00".into(),
            ..ProgramInput::default()
        }
    }

    #[test]
    fn a_complete_program_is_valid() {
        let valid = program().validate().unwrap();
        assert_eq!(valid.contact_phone, "+74812300000");
        assert_eq!(valid.direction, Direction::Technical);
    }

    #[test]
    fn program_errors_name_their_fields() {
        let bad = ProgramInput { title: " ".into(), age_min: 12, age_max: 7, lat: 0.0, direction: None, ..program() };
        let errors = bad.validate().unwrap_err();
        for field in ["title", "age_max", "lat", "direction"] {
            assert!(errors.first(field).is_some(), "{field}");
        }
    }

    #[test]
    fn certificate_payment_needs_certification() {
        assert_eq!(effective_cost(CostType::Certificate, false), CostType::Paid);
        assert_eq!(effective_cost(CostType::Paid, true), CostType::Certificate);
        assert_eq!(effective_cost(CostType::Free, false), CostType::Free);
    }

    #[test]
    fn codes_round_trip() {
        for d in Direction::ALL {
            assert_eq!(Direction::parse(d.as_str()), Some(*d));
            assert_eq!(serde_json::to_string(d).unwrap(), format!("\"{}\"", d.as_str()));
        }
    }

    #[test]
    fn map_box_is_checked() {
        let q = MapQuery { bbox: "31.9,54.7,32.2,54.9".into(), ..MapQuery::default() };
        assert_eq!(q.check().unwrap().1, 12);
        for bad in ["", "1,2,3", "32.2,54.7,31.9,54.9", "a,b,c,d"] {
            let q = MapQuery { bbox: bad.into(), ..MapQuery::default() };
            assert!(q.check().unwrap_err().first("bbox").is_some(), "{bad}");
        }
    }

    #[test]
    fn group_rules() {
        let today = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        let group = GroupInput {
            name: "Группа 1".into(),
            teacher: String::new(),
            schedule: vec![Lesson {
                weekday: 2,
                start: NaiveTime::from_hms_opt(16, 0, 0).unwrap(),
                end: NaiveTime::from_hms_opt(15, 0, 0).unwrap(),
            }],
            capacity: 0,
            start_date: today,
            end_date: today.pred_opt().unwrap(),
            age_min: 5,
            age_max: 10,
            enrolment_open: true,
            enrolment_from: None,
            enrolment_to: None,
        };
        let errors = group.validate((7, 12)).unwrap_err();
        for field in ["schedule", "capacity", "end_date", "age_min"] {
            assert!(errors.first(field).is_some(), "{field}");
        }
        assert!(Group::is_open(true, None, Some(today), 3, today));
        assert!(!Group::is_open(true, None, Some(today.pred_opt().unwrap()), 3, today));
        assert!(!Group::is_open(true, None, None, 0, today));
        assert!(!Group::is_open(false, None, None, 3, today));
    }
}
