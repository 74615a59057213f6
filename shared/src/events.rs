//! Events: contests, festivals, open days, master classes and excursions an
//! organization holds between enrolments. Staff write an event, the
//! municipality's operator publishes it (like a program), families find it
//! in the calendar and sign up the children they choose; a full event keeps
//! a waiting list whose first child takes a freed place.
//!
//! Times are the region's local time (as the organization writes them),
//! `YYYY-MM-DDTHH:MM:SS` without an offset.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::catalog::{Direction, OrganizationRef, check_coordinates};
use crate::{FieldErrors, code_enum, validate};

code_enum! {
    /// What kind of event it is.
    pub enum EventKind {
        Contest = ("contest", "Конкурс"),
        Festival = ("festival", "Фестиваль"),
        OpenDay = ("open_day", "День открытых дверей"),
        MasterClass = ("master_class", "Мастер-класс"),
        Excursion = ("excursion", "Экскурсия"),
        Other = ("other", "Другое"),
    }
}

code_enum! {
    /// Where an event stands.
    pub enum EventStatus {
        Draft = ("draft", "Черновик"),
        Moderation = ("moderation", "На модерации"),
        Published = ("published", "Опубликовано"),
        /// Called off by the organization; the families are told.
        Cancelled = ("cancelled", "Отменено"),
        /// Its end has passed.
        Finished = ("finished", "Завершено"),
    }
}

code_enum! {
    /// A child's place at an event.
    pub enum SignupStatus {
        Registered = ("registered", "Записан"),
        /// The event was full: waits for a place, in order.
        Waiting = ("waiting", "В листе ожидания"),
        Cancelled = ("cancelled", "Запись отменена"),
    }
}

/// The longest title.
const TITLE_MAX: usize = 200;
/// The longest description.
const DESCRIPTION_MAX: usize = 5000;
/// Most places an event may offer.
pub const CAPACITY_MAX: i32 = 10_000;
/// Most children signed up in one request.
pub const CHILDREN_MAX: usize = 10;

/// `POST /cabinet/events`, `PUT /cabinet/events/{id}`: what staff write.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventInput {
    pub title: String,
    pub kind: Option<EventKind>,
    pub direction: Option<Direction>,
    pub description: String,
    pub age_min: i32,
    pub age_max: i32,
    /// Held online: no address or place on the map.
    pub online: bool,
    pub address: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub municipality_id: i64,
    /// Local time.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-12-20T11:00:00"))]
    pub starts_at: NaiveDateTime,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-12-20T11:00:00"))]
    pub ends_at: NaiveDateTime,
    /// Sign-up opens (local time); `null`: at publication.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "2026-12-19T18:00:00"))]
    pub signup_from: Option<NaiveDateTime>,
    /// Sign-up closes (local time); `null`: at the start.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "2026-12-19T18:00:00"))]
    pub signup_to: Option<NaiveDateTime>,
    /// Places; `null`: as many as come.
    pub capacity: Option<i32>,
    /// Only children with a certificate may sign up (normally not).
    pub certificate_required: bool,
    /// Price in kopecks; 0: free.
    pub price: i64,
    /// The program the event belongs to (an open lesson of it), if any.
    pub program_id: Option<i64>,
}

/// An [`EventInput`] whose fields passed their rules.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidEvent {
    pub title: String,
    pub kind: EventKind,
    pub direction: Option<Direction>,
    pub description: String,
    pub age_min: i32,
    pub age_max: i32,
    pub online: bool,
    pub address: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub municipality_id: i64,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub signup_from: Option<NaiveDateTime>,
    pub signup_to: Option<NaiveDateTime>,
    pub capacity: Option<i32>,
    pub certificate_required: bool,
    pub price: i64,
    pub program_id: Option<i64>,
}

impl EventInput {
    /// Checks every field; `now` is the region's local time (an event starts after it).
    pub fn validate(&self, now: NaiveDateTime) -> Result<ValidEvent, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = e.check("title", validate::bounded_text(&self.title, TITLE_MAX, "Укажите название мероприятия"));
        let description = e.check(
            "description",
            validate::bounded_text(&self.description, DESCRIPTION_MAX, "Расскажите, что будет на мероприятии"),
        );
        if self.kind.is_none() {
            e.add("kind", "Выберите вид мероприятия");
        }
        if !(0..=18).contains(&self.age_min) {
            e.add("age_min", "Возраст — от 0 до 18 лет");
        }
        if !(0..=18).contains(&self.age_max) {
            e.add("age_max", "Возраст — от 0 до 18 лет");
        } else if self.age_min > self.age_max {
            e.add("age_max", "Верхняя граница возраста меньше нижней");
        }
        let address = if self.online {
            Some(String::new())
        } else {
            let address =
                e.check("address", validate::bounded_text(&self.address, 300, "Укажите адрес или отметьте «онлайн»"));
            match (self.lat, self.lon) {
                (Some(lat), Some(lon)) => check_coordinates(&mut e, lat, lon),
                (None, None) => {}
                _ => e.add("lat", "Укажите обе координаты или ни одной"),
            }
            address
        };
        if self.municipality_id <= 0 {
            e.add("municipality_id", "Выберите муниципалитет");
        }
        if self.starts_at <= now {
            e.add("starts_at", "Мероприятие должно начинаться в будущем");
        }
        if self.ends_at <= self.starts_at {
            e.add("ends_at", "Окончание — позже начала");
        } else if self.ends_at - self.starts_at > chrono::TimeDelta::days(31) {
            e.add("ends_at", "Мероприятие длится не больше 31 дня");
        }
        if let (Some(from), Some(to)) = (self.signup_from, self.signup_to)
            && from >= to
        {
            e.add("signup_to", "Запись заканчивается позже, чем начинается");
        }
        if self.signup_to.is_some_and(|to| to > self.starts_at) {
            e.add("signup_to", "Запись заканчивается не позже начала мероприятия");
        }
        if self.signup_from.is_some_and(|from| from >= self.starts_at) {
            e.add("signup_from", "Запись открывается до начала мероприятия");
        }
        if self.capacity.is_some_and(|c| !(1..=CAPACITY_MAX).contains(&c)) {
            e.add("capacity", format!("Мест — от 1 до {CAPACITY_MAX}, или оставьте поле пустым"));
        }
        if !(0..=100_000_000).contains(&self.price) {
            e.add("price", "Стоимость — от 0 до 1 000 000 ₽");
        }
        e.finish(|| {
            Some(ValidEvent {
                title: title?,
                kind: self.kind?,
                direction: self.direction,
                description: description?,
                age_min: self.age_min,
                age_max: self.age_max,
                online: self.online,
                address: address?,
                lat: if self.online { None } else { self.lat },
                lon: if self.online { None } else { self.lon },
                municipality_id: self.municipality_id,
                starts_at: self.starts_at,
                ends_at: self.ends_at,
                signup_from: self.signup_from,
                signup_to: self.signup_to,
                capacity: self.capacity,
                certificate_required: self.certificate_required,
                price: self.price,
                program_id: self.program_id,
            })
        })
    }
}

/// An event as families and staff see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    pub id: i64,
    pub organization: OrganizationRef,
    pub title: String,
    pub kind: EventKind,
    pub direction: Option<Direction>,
    pub description: String,
    pub age_min: i32,
    pub age_max: i32,
    pub online: bool,
    pub address: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub municipality_id: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-12-20T11:00:00"))]
    pub starts_at: NaiveDateTime,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-12-20T11:00:00"))]
    pub ends_at: NaiveDateTime,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "2026-12-19T18:00:00"))]
    pub signup_from: Option<NaiveDateTime>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "2026-12-19T18:00:00"))]
    pub signup_to: Option<NaiveDateTime>,
    pub capacity: Option<i32>,
    /// Places left; `null` without a limit.
    pub places_left: Option<i32>,
    /// Children on the waiting list.
    pub waiting: i32,
    pub certificate_required: bool,
    pub price: i64,
    pub program_id: Option<i64>,
    pub status: EventStatus,
    /// Sign-up is open now (published, within the window, before the start).
    pub signup_open: bool,
    /// Why the operator returned it (staff only).
    pub moderation_comment: Option<String>,
}

impl Event {
    /// Whether sign-up is open at `now` for an event in `status` with this window.
    pub fn signup_open_at(
        status: EventStatus,
        (from, to): (Option<NaiveDateTime>, Option<NaiveDateTime>),
        starts_at: NaiveDateTime,
        now: NaiveDateTime,
    ) -> bool {
        status == EventStatus::Published
            && from.is_none_or(|from| from <= now)
            && to.unwrap_or(starts_at) > now
            && starts_at > now
    }
}

/// `GET /events`: the public calendar.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct EventsQuery {
    pub municipality_id: Option<i64>,
    pub direction: Option<Direction>,
    pub kind: Option<EventKind>,
    /// The child's age: events whose range holds it.
    pub age: Option<i32>,
    /// First day (local), default today.
    pub from: Option<NaiveDate>,
    /// Last day (local), default 92 days after `from`.
    pub to: Option<NaiveDate>,
    /// Words of the title or description.
    pub q: Option<String>,
    pub organization_id: Option<i64>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// `GET /moderation/events`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct OperatorEventsQuery {
    /// Only events in this status (`moderation` for the queue).
    pub status: Option<EventStatus>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// `POST /events/{id}/signups`: the children to sign up, at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignupInput {
    pub child_ids: Vec<i64>,
}

impl SignupInput {
    /// At least one child, at most [`CHILDREN_MAX`], each once (in order).
    pub fn checked(&self) -> Result<Vec<i64>, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut ids = Vec::new();
        for id in &self.child_ids {
            if !ids.contains(id) {
                ids.push(*id);
            }
        }
        if ids.is_empty() {
            e.add("child_ids", "Отметьте хотя бы одного ребёнка");
        } else if ids.len() > CHILDREN_MAX {
            e.add("child_ids", format!("Не больше {CHILDREN_MAX} детей за раз"));
        }
        e.finish(|| Some(ids))
    }
}

/// A child's sign-up, as the family sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Signup {
    pub id: i64,
    pub event_id: i64,
    pub child_id: i64,
    pub child_first_name: String,
    pub status: SignupStatus,
    /// Place on the waiting list, from 1.
    pub position: Option<i64>,
}

/// A participant as the organization sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Participant {
    pub signup_id: i64,
    pub child: String,
    pub birth_date: NaiveDate,
    pub parent: String,
    pub phone: String,
    pub email: String,
    pub status: SignupStatus,
    pub position: Option<i64>,
    /// Marked by staff at the event; `null` until marked.
    pub attended: Option<bool>,
}

/// `PUT /cabinet/event-signups/{id}/attendance`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttendanceInput {
    pub attended: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(day: u32, hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, day).unwrap().and_hms_opt(hour, 0, 0).unwrap()
    }

    fn input() -> EventInput {
        EventInput {
            title: "День открытых дверей".into(),
            kind: Some(EventKind::OpenDay),
            direction: Some(Direction::Technical),
            description: "Покажем мастерские и расскажем о программах".into(),
            age_min: 7,
            age_max: 14,
            online: false,
            address: "г. Смоленск, ул. Ленина, д. 1".into(),
            lat: Some(54.78),
            lon: Some(32.04),
            municipality_id: 1,
            starts_at: at(20, 11),
            ends_at: at(20, 14),
            signup_from: None,
            signup_to: Some(at(19, 18)),
            capacity: Some(30),
            certificate_required: false,
            price: 0,
            program_id: None,
        }
    }

    #[test]
    fn an_event_is_checked_field_by_field() {
        assert!(input().validate(at(5, 12)).is_ok());
        let bad = EventInput {
            title: " ".into(),
            kind: None,
            age_min: 12,
            age_max: 7,
            starts_at: at(4, 10),
            ends_at: at(4, 9),
            capacity: Some(0),
            ..input()
        }
        .validate(at(5, 12))
        .unwrap_err();
        for field in ["title", "kind", "age_max", "starts_at", "ends_at", "capacity", "signup_to"] {
            assert!(bad.0.contains_key(field), "{field}: {bad:?}");
        }
        let online = EventInput { online: true, address: String::new(), lat: None, lon: None, ..input() };
        assert_eq!(online.validate(at(5, 12)).unwrap().address, "");
    }

    #[test]
    fn sign_up_is_open_within_its_window() {
        let window = (None, Some(at(19, 18)));
        assert!(Event::signup_open_at(EventStatus::Published, window, at(20, 11), at(10, 9)));
        assert!(!Event::signup_open_at(EventStatus::Published, window, at(20, 11), at(19, 18)));
        assert!(!Event::signup_open_at(EventStatus::Moderation, window, at(20, 11), at(10, 9)));
        assert!(!Event::signup_open_at(EventStatus::Published, (Some(at(12, 0)), None), at(20, 11), at(10, 9)));
    }

    #[test]
    fn children_are_counted_once() {
        assert_eq!(SignupInput { child_ids: vec![3, 3, 4] }.checked().unwrap(), vec![3, 4]);
        assert!(SignupInput { child_ids: vec![] }.checked().is_err());
    }
}
