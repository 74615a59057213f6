//! The wording of the three forms.

use chrono::{Months, NaiveDate};

use super::layout::{Block, Sheet, bold, regular};
use navigator_shared::contract::ContractText;

use super::{ENROLMENT_TITLE, EnrolmentData, Form, FormData};

fn date(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// The addressee block in the upper right, as on a paper application.
const ADDRESSEE: f32 = 85.0;

/// The application the parent signs at the activation point.
pub(super) fn application(sheet: &mut Sheet, d: &FormData) {
    let to = Block::BODY.at(ADDRESSEE).after(0.5);
    sheet.paragraph(
        &[regular("Оператору реестра сертификатов дополнительного образования ("), regular(&d.region), regular(")")],
        to.after(2.0),
    );
    let from = if d.learner {
        "от обучающегося"
    } else {
        "от родителя (законного представителя)"
    };
    sheet.paragraph(&[regular(from)], to);
    sheet.paragraph(&[bold(&d.parent_full_name)], to);
    sheet.paragraph(&[regular("телефон: "), regular(&d.parent_phone)], to);
    sheet.paragraph(&[regular("эл. почта: "), regular(&d.parent_email)], to.after(8.0));

    sheet.paragraph(&[bold(Form::Application.title())], Block::TITLE);

    let birth = date(d.child_birth_date);
    let child = [
        regular(", дата рождения: "),
        regular(&birth),
        regular(", документ, удостоверяющий личность: "),
        regular(&d.child_document),
        regular(", СНИЛС: "),
        regular(&d.child_snils),
        regular(", адрес места жительства: "),
        regular(&d.child_address),
        regular(", муниципальное образование: "),
        regular(&d.municipality),
    ];
    // A learner of 14+ applies for himself (seeds 000, 001); a parent for the child.
    let request: Vec<_> = if d.learner {
        [regular("Я, "), bold(&d.child_full_name)]
            .into_iter()
            .chain(child)
            .chain([regular(", прошу включить меня в реестр сертификатов дополнительного образования.")])
            .collect()
    } else {
        [
            regular("Я, "),
            bold(&d.parent_full_name),
            regular(", документ, удостоверяющий личность: "),
            regular(&d.parent_passport),
            regular(", проживающий(ая) по адресу: "),
            regular(&d.parent_address),
            regular(", прошу включить в реестр сертификатов дополнительного образования моего ребёнка "),
            bold(&d.child_full_name),
        ]
        .into_iter()
        .chain(child)
        .chain([regular(".")])
        .collect()
    };
    sheet.paragraph(&request, Block::BODY.indented());
    sheet.paragraph(
        &[regular("Номер сертификата дополнительного образования: "), bold(&d.certificate_number), regular(".")],
        Block::BODY.indented().after(4.0),
    );

    let (whose_studies, whose_data, applicant) = if d.learner {
        ("моего обучения", "моих персональных данных", "Заявитель (обучающийся):")
    } else {
        (
            "обучения моего ребёнка",
            "персональных данных моих и моего ребёнка",
            "Заявитель (родитель, законный представитель):",
        )
    };
    for statement in [
        "С Правилами персонифицированного финансирования дополнительного образования детей (ПФ ДОД), \
         действующими в регионе, ознакомлен(а) и обязуюсь их соблюдать."
            .to_owned(),
        format!(
            "Мне разъяснено, что сертификат дополнительного образования используется только для {whose_studies} \
             по программам, включённым в реестры образовательных программ, и не может быть обменян на \
             денежные средства."
        ),
        "Обязуюсь сообщать оператору реестра сертификатов об изменении сведений, указанных в настоящем заявлении."
            .to_owned(),
        format!("Согласие на обработку {whose_data} прилагается."),
    ] {
        sheet.paragraph(&[regular(&statement)], Block::BODY.indented());
    }

    sheet.space(6.0);
    signature(sheet, applicant, d);

    sheet.space(4.0);
    sheet.keep(30.0);
    sheet.rule();
    sheet.paragraph(&[regular("Заявление принял: "), bold(&d.organization)], Block::BODY);
    sheet.paragraph(
        &[regular("Должность, подпись ____________________ / ФИО ______________________________")],
        Block::BODY.after(3.0),
    );
    sheet.paragraph(&[regular("Дата приёма: «____» ______________ 20____ г.")], Block::BODY);
}

/// The consent to personal data processing, printed in two copies.
pub(super) fn consent(sheet: &mut Sheet, d: &FormData) {
    sheet.paragraph(&[bold(Form::Consent.title())], Block::TITLE.after(1.0));
    sheet.paragraph(
        &[regular("(в соответствии с Федеральным законом от 27.07.2006 № 152-ФЗ «О персональных данных»)")],
        Block::SMALL.centered().after(5.0),
    );

    let birth = date(d.child_birth_date);
    let processing = "а именно на сбор, запись, систематизацию, накопление, хранение, уточнение (обновление, \
                      изменение), извлечение, использование, передачу (предоставление, доступ) оператору реестра \
                      сертификатов дополнительного образования, обезличивание, блокирование, удаление и \
                      уничтожение, с использованием средств автоматизации и без их использования.";
    let law = "в соответствии со статьёй 9 Федерального закона от 27.07.2006 № 152-ФЗ «О персональных данных» \
               свободно, своей волей и в своём интересе";
    // Every operator of personal data of the certificate system (seeds 001, 002:
    // «всеми операторами персональных данных»): the organization that takes
    // the consent, and the others named by the shared wording.
    let others = navigator_shared::consent::OPERATORS
        .iter()
        .filter(|o| !o.starts_with("организации, принявшей"))
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    let others = format!(", а также {others} ({}) ", d.region);
    let operators = [regular(&d.organization), regular(&others)];
    let consent: Vec<_> = if d.learner {
        // A learner of 14+ consents for himself.
        [regular("Я, "), bold(&d.child_full_name), regular(", дата рождения: "), regular(&birth)]
            .into_iter()
            .chain([regular(", "), regular(law), regular(" даю согласие ")])
            .chain(operators)
            .chain([regular("на обработку моих персональных данных, "), regular(processing)])
            .collect()
    } else {
        [
            regular("Я, "),
            bold(&d.parent_full_name),
            regular(", документ, удостоверяющий личность: "),
            regular(&d.parent_passport),
            regular(", проживающий(ая) по адресу: "),
            regular(&d.parent_address),
            regular(", являясь родителем (законным представителем) ребёнка "),
            bold(&d.child_full_name),
            regular(", дата рождения: "),
            regular(&birth),
            regular(", "),
            regular(law),
            regular(", а также в интересе ребёнка даю согласие "),
        ]
        .into_iter()
        .chain(operators)
        .chain([
            regular("на обработку моих персональных данных и персональных данных моего ребёнка, "),
            regular(processing),
        ])
        .collect()
    };
    sheet.paragraph(&consent, Block::BODY.indented());

    sheet.paragraph(&[bold("Персональные данные, на обработку которых даётся согласие:")], Block::BODY.after(1.0));
    let item = Block::BODY.at(5.0).after(0.5);
    let contacts = format!("{}, {}", d.parent_phone, d.parent_email);
    if !d.learner {
        sheet.paragraph(&[regular("родителя (законного представителя):")], Block::BODY.after(0.5));
        for (label, value) in [
            ("фамилия, имя, отчество: ", &d.parent_full_name),
            ("документ, удостоверяющий личность: ", &d.parent_passport),
            ("адрес места жительства: ", &d.parent_address),
            ("телефон, адрес электронной почты: ", &contacts),
        ] {
            sheet.paragraph(&[regular("— "), regular(label), regular(value)], item);
        }
        sheet.paragraph(&[regular("ребёнка:")], Block::BODY.after(0.5));
    }
    for (label, value) in [
        ("фамилия, имя, отчество: ", &d.child_full_name),
        ("дата рождения: ", &birth),
        ("документ, удостоверяющий личность: ", &d.child_document),
        ("СНИЛС: ", &d.child_snils),
        ("адрес места жительства: ", &d.child_address),
        ("муниципальное образование: ", &d.municipality),
        ("номер сертификата дополнительного образования: ", &d.certificate_number),
    ] {
        sheet.paragraph(&[regular("— "), regular(label), regular(value)], item);
    }
    if d.learner {
        sheet.paragraph(&[regular("— телефон, адрес электронной почты: "), regular(&contacts)], item);
    }
    sheet.space(2.0);

    sheet.paragraph(
        &[regular(
            "Цель обработки: выдача, учёт и использование сертификата дополнительного образования, \
             ведение реестра сертификатов дополнительного образования и персонифицированное финансирование \
             дополнительного образования детей (ПФ ДОД).",
        )],
        Block::BODY.indented(),
    );
    // Chrono clamps 29 February to the 28th when the 18th birthday falls in a common year.
    let adulthood = d
        .child_birth_date
        .checked_add_months(Months::new(18 * 12))
        .map(|day| format!(" ({})", date(day)))
        .unwrap_or_default();
    let who = if d.learner { "мною" } else { "ребёнком" };
    sheet.paragraph(
        &[regular(&format!(
            "Согласие действует до достижения {who} возраста 18 лет{adulthood} или до его отзыва. \
             Согласие может быть отозвано мною в любое время путём подачи письменного заявления в организацию, \
             принявшую согласие, или оператору реестра сертификатов дополнительного образования."
        ))],
        Block::BODY.indented(),
    );

    sheet.space(2.0);
    signature(
        sheet,
        if d.learner {
            "Обучающийся:"
        } else {
            "Родитель (законный представитель):"
        },
        d,
    );
    sheet.space(2.0);
    sheet.paragraph(&[regular("Согласие принял: "), bold(&d.organization)], Block::BODY.after(2.0));
    sheet.paragraph(
        &[regular("Составляется в двух экземплярах: один — заявителю, второй хранится в организации.")],
        Block::SMALL,
    );
}

/// The extract from the registry handed to the parent.
pub(super) fn extract(sheet: &mut Sheet, d: &FormData) {
    sheet.paragraph(&[bold(Form::Extract.title())], Block::TITLE.after(1.0));
    sheet.paragraph(&[regular(&d.region)], Block::BODY.centered().after(8.0));

    let activated = d.activated_on.map_or_else(|| "не активирован".to_owned(), date);
    let field = Block::BODY.after(2.5);
    for (label, value) in [
        ("Номер сертификата: ", d.certificate_number.as_str()),
        ("Статус сертификата: ", &d.certificate_status),
        ("Дата включения в реестр: ", &date(d.issued_on)),
        ("Дата активации: ", &activated),
        ("Фамилия, имя, отчество ребёнка: ", &d.child_full_name),
        ("Дата рождения: ", &date(d.child_birth_date)),
        ("СНИЛС: ", &d.child_snils),
        ("Муниципальное образование: ", &d.municipality),
    ] {
        sheet.paragraph(&[bold(label), regular(value)], field);
    }

    sheet.space(6.0);
    sheet.rule();
    sheet.paragraph(&[regular("Выписка сформирована: "), regular(&date(d.printed_on))], field);
    sheet.paragraph(&[regular("Организация: "), regular(&d.organization)], field);
    sheet.paragraph(
        &[regular("Ответственное лицо: подпись ____________________ / ФИО ______________________________")],
        field,
    );
}

/// The application for studies the family signs at the organization (seed
/// 004: «Получите подписанное заявление на обучение»).
pub(super) fn enrolment(sheet: &mut Sheet, d: &EnrolmentData) {
    let to = Block::BODY.at(ADDRESSEE).after(0.5);
    sheet.paragraph(&[regular("Руководителю "), regular(&d.organization)], to.after(2.0));
    let from = if d.learner {
        "от обучающегося"
    } else {
        "от родителя (законного представителя)"
    };
    sheet.paragraph(&[regular(from)], to);
    sheet.paragraph(&[bold(&d.applicant_full_name)], to);
    sheet.paragraph(&[regular("телефон: "), regular(&d.applicant_phone)], to);
    sheet.paragraph(&[regular("эл. почта: "), regular(&d.applicant_email)], to.after(8.0));
    sheet.paragraph(&[bold(ENROLMENT_TITLE)], Block::TITLE);

    let birth = date(d.child_birth_date);
    let whom: Vec<_> = if d.learner {
        vec![regular("Прошу принять меня, "), bold(&d.child_full_name), regular(", дата рождения: "), regular(&birth)]
    } else {
        vec![
            regular("Прошу принять моего ребёнка "),
            bold(&d.child_full_name),
            regular(", дата рождения: "),
            regular(&birth),
            regular(","),
        ]
    };
    let request: Vec<_> = whom
        .into_iter()
        .chain([
            regular(" на обучение по дополнительной общеобразовательной программе «"),
            bold(&d.program),
            regular("», группа «"),
            regular(&d.group),
            regular("», занятия "),
            regular(&d.period),
            regular("."),
        ])
        .collect();
    sheet.paragraph(&request, Block::BODY.indented());
    if let Some(module) = &d.module {
        sheet.paragraph(&[regular("Модуль программы: "), regular(module), regular(".")], Block::BODY.indented());
    }
    match &d.certificate_number {
        Some(number) => sheet.paragraph(
            &[
                regular("Обучение оплачивается сертификатом дополнительного образования № "),
                bold(number),
                regular(
                    " в соответствии с Правилами персонифицированного финансирования дополнительного \
                         образования детей.",
                ),
            ],
            Block::BODY.indented(),
        ),
        None => sheet.paragraph(&[regular("Сертификат дополнительного образования: нет.")], Block::BODY.indented()),
    }
    for statement in [
        "С уставом организации, лицензией на осуществление образовательной деятельности, образовательной \
         программой и правилами внутреннего распорядка ознакомлен(а).",
        "С условиями договора об образовании (оферты), размещённого в Навигаторе, ознакомлен(а) и согласен(на); \
         подписанием настоящего заявления договор считается заключённым.",
    ] {
        sheet.paragraph(&[regular(statement)], Block::BODY.indented());
    }
    sheet.space(6.0);
    sheet.keep(25.0);
    let who = if d.learner {
        "Обучающийся:"
    } else {
        "Родитель (законный представитель):"
    };
    sheet.paragraph(&[regular(who), regular(" "), bold(&d.applicant_full_name)], Block::BODY.after(4.0));
    sheet.paragraph(
        &[regular("Подпись ____________________ / ФИО ______________________________")],
        Block::BODY.after(3.0),
    );
    sheet.paragraph(&[regular("Дата: «____» ______________ 20____ г.")], Block::BODY);
    sheet.space(4.0);
    sheet.rule();
    sheet.paragraph(&[regular("Заявление принял: "), bold(&d.organization)], Block::BODY);
    sheet.paragraph(
        &[regular("Должность, подпись ____________________ / ФИО ______________________________")],
        Block::BODY.after(3.0),
    );
}

/// Date and signature lines of the person who signs the form.
fn signature(sheet: &mut Sheet, who: &str, d: &FormData) {
    sheet.keep(25.0);
    sheet.paragraph(&[regular(who), regular(" "), bold(&d.parent_full_name)], Block::BODY.after(4.0));
    sheet.paragraph(
        &[regular("Подпись ____________________ / ФИО ______________________________")],
        Block::BODY.after(3.0),
    );
    sheet.paragraph(&[regular("Дата: "), regular(&date(d.printed_on))], Block::BODY);
}

/// The contract for a module paid by certificate, in the wording kept with it,
/// and how it was accepted (`acceptance`: e.g. «принят в личном кабинете 02.09.2026»).
pub(super) fn contract(sheet: &mut Sheet, text: &ContractText, acceptance: &str) {
    let t = &text.terms;
    sheet.paragraph(&[bold(&t.title())], Block::TITLE);
    sheet.paragraph(
        &[regular("об обучении по дополнительной общеобразовательной программе за счёт сертификата")],
        Block::BODY.centered().after(6.0),
    );
    for (n, clause) in text.clauses.iter().enumerate() {
        let number = format!("{}. ", n + 1);
        sheet.paragraph(&[bold(&number), regular(clause)], Block::BODY.indented());
    }
    sheet.space(6.0);
    sheet.keep(40.0);
    sheet.paragraph(&[regular("Исполнитель: "), bold(&t.organization)], Block::BODY);
    sheet.paragraph(
        &[regular("ИНН "), regular(&t.organization_inn), regular(", "), regular(&t.organization_address)],
        Block::BODY.after(4.0),
    );
    let customer = if t.learner { &t.child_full_name } else { &t.applicant_full_name };
    sheet.paragraph(&[regular("Заказчик: "), bold(customer)], Block::BODY);
    sheet.paragraph(&[regular("Сертификат № "), regular(&t.certificate_number)], Block::BODY.after(4.0));
    sheet.rule();
    sheet.paragraph(&[regular("Акцепт оферты: "), bold(acceptance)], Block::BODY);
    sheet.paragraph(&[regular("Редакция текста договора от "), regular(&text.version)], Block::BODY);
}

/// «ноябрь 2026».
pub(super) fn month_name(month: chrono::NaiveDate) -> String {
    const NAMES: [&str; 12] = [
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
    ];
    use chrono::Datelike;
    format!("{} {}", NAMES[month.month0() as usize], month.year())
}

pub(super) fn payment_request(sheet: &mut Sheet, title: &str, r: &navigator_shared::payments::PaymentRequest) {
    use navigator_shared::money::rubles;
    sheet.paragraph(&[bold(title)], Block::TITLE);
    sheet.paragraph(&[regular("Поставщик: "), bold(&r.organization_name)], Block::BODY);
    sheet.paragraph(&[regular("ИНН "), regular(&r.organization_inn)], Block::BODY);
    sheet.paragraph(&[regular("Статус: "), regular(&r.status_title)], Block::BODY.after(4.0));
    if r.kind == navigator_shared::payments::PaymentKind::Invoice {
        for (n, line) in r.lines.iter().enumerate() {
            let what = match (line.original, line.corrected) {
                (Some(was), Some(now)) => format!(
                    "{}. Перерасчёт за {}: договор № {}, сертификат № {}, {}, «{}»: было {}, стало {}, разница {}",
                    n + 1,
                    line.month.format("%m.%Y"),
                    line.contract_id,
                    line.certificate_number,
                    line.child_name,
                    line.program_title,
                    rubles(was),
                    rubles(now),
                    rubles(line.amount)
                ),
                _ => format!(
                    "{}. Договор № {}, сертификат № {}, {}, «{}»: {}",
                    n + 1,
                    line.contract_id,
                    line.certificate_number,
                    line.child_name,
                    line.program_title,
                    rubles(line.amount)
                ),
            };
            sheet.paragraph(&[regular(&what)], Block::SMALL);
        }
        sheet.space(3.0);
        sheet.rule();
        sheet.paragraph(&[regular("Списания за месяц: "), regular(&rubles(r.charges))], Block::BODY);
        sheet.paragraph(&[regular("Перерасчёт прошлых месяцев: "), regular(&rubles(r.corrections))], Block::BODY);
        sheet.paragraph(&[regular("Аванс за месяц: "), regular(&rubles(r.advance))], Block::BODY);
    }
    sheet.paragraph(&[bold("К оплате: "), bold(&rubles(r.amount))], Block::BODY.after(4.0));
    if let Some(note) = &r.note {
        sheet.paragraph(&[regular("Примечание поставщика: "), regular(note)], Block::BODY);
    }
    if let (Some(order), Some(on)) = (&r.payment_order, r.paid_on) {
        let paid = format!("Оплачено платёжным поручением № {order} от {}", date(on));
        sheet.paragraph(&[regular(&paid)], Block::BODY);
    }
}

pub(super) fn payment_register(sheet: &mut Sheet, title: &str, register: &navigator_shared::payments::PaymentRegister) {
    use navigator_shared::money::rubles;
    sheet.paragraph(&[bold(title)], Block::TITLE);
    sheet.paragraph(&[regular(&register.municipality_name)], Block::BODY.centered().after(6.0));
    for (n, r) in register.requests.iter().enumerate() {
        let paid = match (&r.payment_order, r.paid_on) {
            (Some(order), Some(on)) => format!(", п/п № {order} от {}", date(on)),
            _ => String::new(),
        };
        let line = format!(
            "{}. {}, ИНН {}: {} № {} — {} ({}{paid})",
            n + 1,
            r.organization_name,
            r.organization_inn,
            r.kind_title,
            r.id,
            rubles(r.amount),
            r.status_title.to_lowercase()
        );
        sheet.paragraph(&[regular(&line)], Block::BODY);
    }
    sheet.space(3.0);
    sheet.rule();
    sheet.paragraph(&[bold("Итого: "), bold(&rubles(register.total))], Block::BODY);
}
