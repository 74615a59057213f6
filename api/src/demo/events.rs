//! Demo events: open days, master classes, contests, festivals and
//! excursions of the demo organizations in the coming weeks, published in
//! several municipalities; one of the demo provider's waits for the
//! operator, and the demo family has signed Артём up for one.

use chrono::TimeDelta;
use diesel::prelude::*;
use navigator_shared::catalog::Direction;
use navigator_shared::events::{EventKind, EventStatus, SignupStatus, ValidEvent};

use crate::db::DbConn;
use crate::db::schema::organizations as o;
use crate::error::ApiResult;
use crate::events::repo::{self, EventData};
use crate::events::service::local_now;
use crate::notifications::now;

/// (title, kind, direction, description, ages, hours long, places)
type Template = (&'static str, EventKind, Option<Direction>, &'static str, (i32, i32), i64, Option<i32>);

const TEMPLATES: [Template; 8] = [
    (
        "День открытых дверей",
        EventKind::OpenDay,
        None,
        "Покажем кабинеты и мастерские, познакомим с педагогами и расскажем о программах и расписании. \
         Можно прийти всей семьёй.",
        (5, 17),
        3,
        None,
    ),
    (
        "Мастер-класс «Первый робот»",
        EventKind::MasterClass,
        Some(Direction::Technical),
        "Соберём и запрограммируем простого робота из конструктора. Все детали выдаём, брать с собой ничего не нужно.",
        (8, 12),
        2,
        Some(12),
    ),
    (
        "Новогодний фестиваль творчества",
        EventKind::Festival,
        Some(Direction::Arts),
        "Выступления хоровых и танцевальных коллективов, выставка рисунков, ярмарка поделок. Вход свободный, \
         для участников концерта — запись.",
        (6, 17),
        4,
        Some(40),
    ),
    (
        "Шахматный турнир «Белая ладья»",
        EventKind::Contest,
        Some(Direction::PhysicalSports),
        "Турнир по швейцарской системе в двух возрастных группах. Контроль времени 15 минут. Победители получат \
         дипломы и медали.",
        (7, 14),
        5,
        Some(32),
    ),
    (
        "Экскурсия по старому городу",
        EventKind::Excursion,
        Some(Direction::TourismLocalHistory),
        "Пройдём по крепостной стене и узнаем, как строили город. Одевайтесь по погоде, маршрут около трёх \
         километров.",
        (9, 16),
        2,
        Some(20),
    ),
    (
        "Мастер-класс по керамике",
        EventKind::MasterClass,
        Some(Direction::Arts),
        "Вылепим и распишем кружку. Готовые работы обжигаем в печи и отдаём через неделю.",
        (7, 15),
        2,
        Some(10),
    ),
    (
        "Открытое занятие «Юный исследователь»",
        EventKind::OpenDay,
        Some(Direction::NaturalScience),
        "Опыты с водой, светом и магнитами. Занятие для тех, кто выбирает кружок на второе полугодие.",
        (6, 10),
        1,
        Some(15),
    ),
    (
        "Онлайн-викторина «Знатоки родного края»",
        EventKind::Contest,
        Some(Direction::SocialHumanitarian),
        "Командная викторина в прямом эфире: история, природа и известные люди региона. Ссылку пришлём \
         записанным за день до начала.",
        (10, 17),
        1,
        None,
    ),
];

/// Seeds the demo events: two or three published events in each of the first
/// four municipalities over the coming three weeks, one of the demo
/// provider's sent to moderation, and Артём (`family_child`) signed up for
/// the first event of his municipality that suits his age.
pub fn seed(conn: &mut DbConn, provider: Option<i64>, family: Option<(i64, i64, i32)>) -> ApiResult<()> {
    let today = local_now().date();
    let organizations: Vec<(i64, i64, f64, f64, String)> = o::table
        .filter(o::is_provider.eq(true))
        .order(o::id)
        .select((o::id, o::municipality_id, o::lat.assume_not_null(), o::lon.assume_not_null(), o::address))
        .filter(o::lat.is_not_null())
        .limit(400)
        .load(conn)?;
    let mut municipalities: Vec<i64> = Vec::new();
    for (_, municipality, ..) in &organizations {
        if !municipalities.contains(municipality) {
            municipalities.push(*municipality);
        }
    }
    let mut n = 0_usize;
    for municipality in municipalities.iter().take(4) {
        let local: Vec<_> = organizations.iter().filter(|o| o.1 == *municipality).take(3).collect();
        for (organization, municipality, lat, lon, address) in local {
            let (title, kind, direction, description, (age_min, age_max), hours, capacity) =
                TEMPLATES[n % TEMPLATES.len()];
            let online = kind == EventKind::Contest && direction == Some(Direction::SocialHumanitarian);
            let day = today + TimeDelta::days(3 + (n as i64 * 2) % 19);
            let starts_at = day.and_hms_opt(if n.is_multiple_of(2) { 11 } else { 16 }, 0, 0).unwrap_or_default();
            let valid = ValidEvent {
                title: title.to_owned(),
                kind,
                direction,
                description: description.to_owned(),
                age_min,
                age_max,
                online,
                address: if online { String::new() } else { address.clone() },
                lat: (!online).then_some(*lat),
                lon: (!online).then_some(*lon),
                municipality_id: *municipality,
                starts_at,
                ends_at: starts_at + TimeDelta::hours(hours),
                signup_from: None,
                signup_to: Some(starts_at - TimeDelta::hours(12)),
                capacity,
                certificate_required: false,
                price: if kind == EventKind::MasterClass { 30_000 } else { 0 },
                program_id: None,
            };
            let id = repo::insert(conn, *organization, &EventData::new(valid, now()), now())?;
            repo::transition(conn, id, &[EventStatus::Draft], EventStatus::Published, None, now())?;
            if let Some((parent, child, age)) = family
                && n < 3
                && (age_min..=age_max).contains(&age)
                && repo::signup_of(conn, id, child)?.is_none()
                && repo::take_place(conn, id, now())?
            {
                repo::put_signup(conn, None, (id, child, parent), SignupStatus::Registered, now())?;
            }
            n += 1;
        }
    }
    // The demo provider's master class waits in the operator's queue.
    if let Some(provider) = provider
        && let Some((_, municipality, lat, lon, address)) = organizations.iter().find(|o| o.0 == provider)
    {
        let starts_at = (today + TimeDelta::days(12)).and_hms_opt(15, 0, 0).unwrap_or_default();
        let valid = ValidEvent {
            title: "Мастер-класс «Программируем на Scratch»".into(),
            kind: EventKind::MasterClass,
            direction: Some(Direction::Technical),
            description: "Создадим первую игру на Scratch. Ноутбуки выдаём, нужна только сменная обувь.".into(),
            age_min: 8,
            age_max: 12,
            online: false,
            address: address.clone(),
            lat: Some(*lat),
            lon: Some(*lon),
            municipality_id: *municipality,
            starts_at,
            ends_at: starts_at + TimeDelta::hours(2),
            signup_from: None,
            signup_to: None,
            capacity: Some(14),
            certificate_required: false,
            price: 0,
            program_id: None,
        };
        let id = repo::insert(conn, provider, &EventData::new(valid, now()), now())?;
        repo::transition(conn, id, &[EventStatus::Draft], EventStatus::Moderation, None, now())?;
    }
    Ok(())
}
