//! Demo reviews: families of the region whose children finished a program
//! rate it and tell about it; the demo provider answers some of the reviews
//! of its programs; one review waits in the operator's queue with a
//! complaint. Every rating of the demo catalog is the mean of these reviews
//! (kept by the same code as the live ones), and a program nobody reviewed
//! shows none.

use chrono::{NaiveDate, TimeDelta};
use navigator_shared::accounts::Role;
use navigator_shared::applications::ApplicationStatus;
use navigator_shared::children::Sex;
use navigator_shared::validate::Email;
use rand::{Rng, SeedableRng, rngs::StdRng};

use super::people::{self, Kid};
use crate::accounts::service::create_confirmed_account;
use crate::applications::repo::{self as applications, NewApplication};
use crate::crypto::DataCipher;
use crate::db::{DbConn, write_tx};
use crate::error::{ApiError, ApiResult};
use crate::notifications::now;
use crate::reviews::repo::{self as reviews, NewReview};

/// One program in how many gets reviews (besides every program of the demo provider).
const EVERY: usize = 12;
/// Children of one reviewing family.
const CHILDREN: usize = 3;

const SURNAMES: [(&str, &str); 12] = [
    ("Смирнов", "Смирнова"),
    ("Кузнецов", "Кузнецова"),
    ("Попов", "Попова"),
    ("Васильев", "Васильева"),
    ("Соколов", "Соколова"),
    ("Михайлов", "Михайлова"),
    ("Новиков", "Новикова"),
    ("Фёдоров", "Фёдорова"),
    ("Морозов", "Морозова"),
    ("Волков", "Волкова"),
    ("Алексеев", "Алексеева"),
    ("Лебедев", "Лебедева"),
];
const MOTHERS: [&str; 10] =
    ["Анна", "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Юлия", "Марина", "Екатерина"];
const KIDS: [(&str, Sex); 10] = [
    ("Даниил", Sex::Male),
    ("Полина", Sex::Female),
    ("Кирилл", Sex::Male),
    ("Варвара", Sex::Female),
    ("Матвей", Sex::Male),
    ("Милана", Sex::Female),
    ("Егор", Sex::Male),
    ("Арина", Sex::Female),
    ("Лев", Sex::Male),
    ("Ксения", Sex::Female),
];

/// Review texts by the stars they go with: 5, 4, 3 and 1–2.
const GLOWING: [&str; 6] = [
    "Ребёнок ходит на занятия с огромным удовольствием и каждый раз рассказывает, что нового узнал. Педагог внимательный и терпеливый.",
    "Очень довольны: за год сын стал увереннее, появились друзья по интересам. Спасибо педагогу за подход к каждому!",
    "Замечательная программа. Занятия интересные, дети всё время что-то делают своими руками, а не сидят и слушают.",
    "Дочь занимается второй год и не хочет пропускать ни одного занятия. Отдельное спасибо за отчётные выступления для родителей.",
    "Педагог умеет увлечь даже самых непосед. Результат виден: ребёнок сам садится заниматься дома.",
    "Всё организовано чётко: расписание удобное, о заменах предупреждают заранее, в группе дружная атмосфера.",
];
const GOOD: [&str; 5] = [
    "Хорошие занятия, ребёнку нравится. Хотелось бы чуть больше практики и меньше теории, но в целом довольны.",
    "Программа интересная, педагог знает своё дело. Минус — иногда переносят занятия в последний момент.",
    "Сыну нравится, ходит с удовольствием. Помещение тесноватое для такой большой группы, но это мелочи.",
    "Хороший кружок рядом с домом. Было бы здорово, если бы родителям чаще рассказывали об успехах детей.",
    "Довольны выбором: занятия полезные, ребёнок многому научился. Раздевалка маленькая, в ней тесно после занятий.",
];
const FAIR: [&str; 4] = [
    "Неплохо, но ожидали большего. Часть занятий проходила по одному и тому же сценарию, ребёнку стало скучновато.",
    "Педагог хороший, но группа слишком большая, внимания каждому не хватает. Думаем, продолжать ли.",
    "Сами занятия нормальные, но расписание несколько раз меняли посреди года, было неудобно подстраиваться.",
    "Средне. Ребёнку то нравится, то нет; программа, кажется, рассчитана на детей постарше.",
];
const POOR: [&str; 3] = [
    "К сожалению, не понравилось: занятия часто отменяли, а о заменах сообщали в последний момент.",
    "Ребёнок ушёл после двух месяцев: на занятиях было шумно, педагог не справлялся с группой.",
    "Ожидания не оправдались, обещанных выездов и соревнований за год так и не было.",
];
const REPLIES: [&str; 3] = [
    "Спасибо за тёплый отзыв! Передали ваши слова педагогу — ждём вас на занятиях в новом учебном году.",
    "Благодарим за отзыв и замечания. Мы уже обсудили их с педагогами и учтём при составлении расписания.",
    "Спасибо, что поделились! Будем рады видеть вас на открытых занятиях и отчётном концерте.",
];

fn text(rng: &mut StdRng, stars: i32) -> &'static str {
    let pool: &[&str] = match stars {
        5 => &GLOWING,
        4 => &GOOD,
        3 => &FAIR,
        _ => &POOR,
    };
    pool.get(rng.gen_range(0..pool.len())).copied().unwrap_or(GLOWING[0])
}

/// Stars around `appeal`: mostly its rounding, sometimes one more or less.
fn stars(rng: &mut StdRng, appeal: f64) -> i32 {
    let spread: f64 = rng.gen_range(-1.2..1.2);
    ((appeal + spread).round() as i32).clamp(1, 5)
}

/// A program to review: its id, municipality, first group, organization and appeal.
struct Target {
    program: i64,
    municipality: i64,
    group: i64,
    organization: i64,
    appeal: f64,
}

/// Seeds the reviews of the loaded catalog: `programs` are the ids of the
/// generated programs with their appeal, in generated order; `provider` the
/// demo provider's account and organization.
pub fn seed(
    conn: &mut DbConn,
    cipher: &DataCipher,
    hash: &str,
    programs: &[(i64, Option<f64>)],
    provider: Option<(i64, i64)>,
) -> ApiResult<()> {
    let mut rng = StdRng::seed_from_u64(18);
    let targets = targets(conn, programs, provider.map(|(_, org)| org))?;
    let today = crate::clock::today();
    let mut slots: Vec<(usize, i32)> = Vec::new();
    for (i, target) in targets.iter().enumerate() {
        for _ in 0..rng.gen_range(1..=6) {
            slots.push((i, stars(&mut rng, target.appeal)));
        }
    }
    let mut complained = None;
    for (family, chunk) in slots.chunks(CHILDREN).enumerate() {
        write_tx(conn, |conn| {
            let (father, mother) = SURNAMES[family % SURNAMES.len()];
            let first = MOTHERS[(family / SURNAMES.len()) % MOTHERS.len()];
            let email = Email::parse(&format!("family{:03}@example.org", family + 1)).map_err(anyhow::Error::msg)?;
            let Some(&(first_target, _)) = chunk.first() else { return Ok::<_, ApiError>(()) };
            let municipality = targets[first_target].municipality;
            let names = (mother, first, Some("Андреевна"));
            let phone = format!("+7910{:07}", 2_000_000 + family);
            let Some(parent) =
                create_confirmed_account(conn, &email, hash, Role::Parent, names, &phone, Some(municipality))?
            else {
                return Ok(());
            };
            for (n, &(index, stars)) in chunk.iter().enumerate() {
                let target = &targets[index];
                let serial = family * CHILDREN + n;
                let (kid_name, sex) = KIDS[serial % KIDS.len()];
                let snils = format!("{:09}", 310_000_000 + serial * 13);
                let kid = Kid {
                    last: if sex == Sex::Male { father } else { mother },
                    first: kid_name,
                    middle: if sex == Sex::Male { "Андреевич" } else { "Андреевна" },
                    birth: NaiveDate::from_ymd_opt(2013 + (serial % 6) as i32, 1 + (serial % 12) as u32, 10)
                        .unwrap_or(today),
                    sex,
                    snils: &snils,
                    municipality: target.municipality,
                };
                let Some(child) = people::child(conn, cipher, parent, &kid)? else { continue };
                let written = now() - TimeDelta::days(rng.gen_range(3..=240));
                let application = NewApplication {
                    child_id: child,
                    group_id: target.group,
                    program_id: target.program,
                    organization_id: target.organization,
                    created_by: parent,
                    status: ApplicationStatus::Completed,
                    source: None,
                };
                applications::insert(conn, &application, written - TimeDelta::days(200))?;
                let Some(program) = reviews::program(conn, target.program)? else { continue };
                let new = NewReview {
                    program: &program,
                    child_id: child.get(),
                    author_id: parent,
                    stars,
                    body: text(&mut rng, stars),
                    participant: true,
                };
                let Some(review) = reviews::insert(conn, &new, written)? else { continue };
                if let Some((staff, organization)) = provider
                    && organization == target.organization
                    && review % 2 == 0
                {
                    let reply = REPLIES[(review as usize) % REPLIES.len()];
                    reviews::reply(conn, review, reply, staff, written + TimeDelta::days(1))?;
                }
                if complained.is_none() && stars <= 3 && index > 0 {
                    complained = Some(review);
                }
            }
            Ok(())
        })?;
    }
    // Another family complains about one review: the operator's queue is not empty.
    if let Some(review) = complained
        && let Some(author) = crate::accounts::repo::find_by_email(conn, "family001@example.org")?
    {
        let reason = "Отзыв не о занятиях, а о споре с администрацией из-за расписания";
        reviews::complain(conn, review, author.id, reason, now())?;
    }
    write_tx(conn, |conn| {
        let now = now();
        for target in &targets {
            reviews::lock_program(conn, target.program, now)?;
            reviews::recount(conn, target.program)?;
        }
        Ok::<_, ApiError>(())
    })
}

/// Every `EVERY`-th program with an appeal and every program of the demo
/// provider's organization, each with its first group.
fn targets(conn: &mut DbConn, programs: &[(i64, Option<f64>)], provider: Option<i64>) -> ApiResult<Vec<Target>> {
    use crate::db::schema::{program_groups as g, programs as p};
    use diesel::prelude::*;
    let mut targets = Vec::new();
    for (i, &(id, appeal)) in programs.iter().enumerate() {
        let Some(appeal) = appeal else { continue };
        let row: Option<(i64, i64)> =
            p::table.find(id).select((p::organization_id, p::municipality_id)).first(conn).optional()?;
        let Some((organization, municipality)) = row else { continue };
        if i % EVERY != 0 && Some(organization) != provider {
            continue;
        }
        let group: Option<i64> =
            g::table.filter(g::program_id.eq(id)).order(g::id).select(g::id).first(conn).optional()?;
        if let Some(group) = group {
            targets.push(Target { program: id, municipality, group, organization, appeal });
        }
    }
    Ok(targets)
}
