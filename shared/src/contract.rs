//! The text of a contract for a module paid by certificate: a public offer
//! («оферта») of the organization that the family reads before signing. The
//! terms are fixed when the contract is offered and kept with it, so the text
//! accepted never changes when the program is edited later. The web page and
//! the printed PDF show the same clauses.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::applications::Contract;
use crate::money::rubles;

/// The version of the wording below; a new wording gets a new version.
pub const VERSION: &str = "2026-12-04";

/// The facts of one contract, fixed at the offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContractTerms {
    /// The contract's number (its id).
    pub number: i64,
    /// The day the organization offered it.
    pub offered_on: NaiveDate,
    /// The provider: name, INN and address.
    pub organization: String,
    pub organization_inn: String,
    pub organization_address: String,
    /// Who accepts: the parent (legal representative) or the learner himself.
    pub applicant_full_name: String,
    /// The applicant is the learner himself (14 and older).
    pub learner: bool,
    pub child_full_name: String,
    pub child_birth_date: NaiveDate,
    /// The certificate that pays, 10 digits.
    pub certificate_number: String,
    pub program: String,
    pub module: String,
    /// Academic hours of the module.
    pub hours: i32,
    pub group: String,
    /// The group's schedule as the organization wrote it; empty when not given.
    pub schedule: String,
    /// The group's first and last day of studies.
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// The module's price, kopecks.
    pub price: i64,
    /// Months charged, the first and the last (first days), and the share of
    /// every month but the last.
    pub months: i32,
    pub first_month: NaiveDate,
    pub last_month: NaiveDate,
    pub monthly: i64,
}

/// The contract's text as offered and accepted: its terms and the clauses
/// written from them in the wording of `version`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContractText {
    /// The wording's version (`navigator_shared::contract::VERSION` at the offer).
    pub version: String,
    pub terms: ContractTerms,
    /// The numbered clauses, in order.
    pub clauses: Vec<String>,
}

/// `GET /contracts/{id}`: the contract with its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContractDocument {
    pub contract: Contract,
    pub text: ContractText,
}

fn day(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

impl ContractTerms {
    /// The title: «Договор об образовании № 17».
    pub fn title(&self) -> String {
        format!("Договор об образовании № {}", self.number)
    }

    /// The clauses in today's wording.
    pub fn text(self) -> ContractText {
        let t = &self;
        let customer = if t.learner {
            format!(
                "Обучающийся {} ({} г. р.), достигший 14 лет, — Заказчик",
                t.child_full_name,
                day(t.child_birth_date)
            )
        } else {
            format!(
                "{} — родитель (законный представитель), Заказчик, действующий в интересах Обучающегося {} ({} г. р.)",
                t.applicant_full_name,
                t.child_full_name,
                day(t.child_birth_date)
            )
        };
        let schedule = if t.schedule.trim().is_empty() {
            "по расписанию группы, которое сообщает организация".to_owned()
        } else {
            t.schedule.trim().to_owned()
        };
        let clauses = vec![
            format!(
                "Исполнитель — {} (ИНН {}, адрес: {}) — обязуется оказать образовательную услугу по \
                 дополнительной общеобразовательной программе «{}», модуль «{}» ({} ч.). {}.",
                t.organization, t.organization_inn, t.organization_address, t.program, t.module, t.hours, customer
            ),
            format!(
                "Занятия проходят в группе «{}»: {}. Срок обучения — с {} по {}.",
                t.group,
                schedule,
                day(t.starts_on),
                day(t.ends_on)
            ),
            format!(
                "Стоимость модуля — {}. Она оплачивается за счёт сертификата дополнительного образования № {} \
                 в соответствии с Правилами персонифицированного финансирования дополнительного образования \
                 детей; из средств Заказчика по договору ничего не оплачивается.",
                rubles(t.price),
                t.certificate_number
            ),
            format!(
                "При заключении договора вся стоимость резервируется на сертификате. Оплата списывается \
                 помесячно, {} мес. ({} — {}), по {} в месяц, последний месяц — остаток. За первый месяц \
                 списывается доля по дням, когда договор действовал.",
                t.months,
                month_title(t.first_month),
                month_title(t.last_month),
                rubles(t.monthly)
            ),
            "Договор прекращается досрочно по заявлению Заказчика, при отчислении Обучающегося или при \
             исключении сертификата из реестра. Списывается оплата только за месяцы, когда договор \
             действовал; неизрасходованный резерв возвращается на сертификат."
                .to_owned(),
            format!(
                "Договор — публичная оферта Исполнителя от {}. Заказчик принимает её (акцепт), подписывая \
                 договор в личном кабинете Навигатора или на бумаге в организации; с этого дня договор \
                 вступает в силу. Текст договора сохраняется в Навигаторе и доступен обеим сторонам.",
                day(t.offered_on)
            ),
        ];
        ContractText { version: VERSION.to_owned(), terms: self, clauses }
    }
}

/// «сентябрь 2026» for the first day of a month.
pub fn month_title(first_day: NaiveDate) -> String {
    use chrono::Datelike;
    const MONTHS: [&str; 12] = [
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
    format!("{} {}", MONTHS[first_day.month0() as usize], first_day.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(learner: bool) -> ContractTerms {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        ContractTerms {
            number: 17,
            offered_on: d(2026, 9, 2),
            organization: "МБУДО «Кванториум»".into(),
            organization_inn: "6732000000".into(),
            organization_address: "г. Смоленск, ул. Ленина, д. 1".into(),
            applicant_full_name: "Петрова Ольга Ивановна".into(),
            learner,
            child_full_name: "Петров Миша Олегович".into(),
            child_birth_date: d(2016, 5, 10),
            certificate_number: "6700000101".into(),
            program: "Робототехника".into(),
            module: "Основы".into(),
            hours: 72,
            group: "Группа 1".into(),
            schedule: "вт, чт 16:00–17:30".into(),
            starts_on: d(2026, 9, 1),
            ends_on: d(2027, 5, 31),
            price: 540_000,
            months: 9,
            first_month: d(2026, 9, 1),
            last_month: d(2027, 5, 1),
            monthly: 60_000,
        }
    }

    #[test]
    fn the_text_names_the_parties_the_money_and_how_it_ends() {
        let text = terms(false).text().clauses.join("\n");
        for needle in [
            "МБУДО «Кванториум» (ИНН 6732000000",
            "Петрова Ольга Ивановна — родитель",
            "Петров Миша Олегович (10.05.2016 г. р.)",
            "«Робототехника», модуль «Основы» (72 ч.)",
            "вт, чт 16:00–17:30",
            "с 01.09.2026 по 31.05.2027",
            "№ 6700000101",
            "9 мес. (сентябрь 2026 — май 2027)",
            "неизрасходованный резерв возвращается",
            "публичная оферта Исполнителя от 02.09.2026",
        ] {
            assert!(text.contains(needle), "{needle} not in {text}");
        }
    }

    #[test]
    fn a_learner_accepts_in_his_own_name() {
        let text = terms(true).text().clauses.join("\n");
        assert!(text.contains("Обучающийся Петров Миша Олегович (10.05.2016 г. р.), достигший 14 лет, — Заказчик"));
        assert!(!text.contains("родитель"));
    }
}
