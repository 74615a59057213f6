//! The family's data as a readable PDF: the same content as the JSON
//! export, section by section, in the words of the family's pages.

use chrono::{DateTime, NaiveDate, Utc};
use navigator_shared::privacy::{ChildRecord, FamilyData};
use navigator_shared::registry::action_title;

use super::layout::{Block, Sheet, bold, regular};

/// The title of the export.
pub const TITLE: &str = "Сведения о семье в Навигаторе дополнительного образования";

fn day(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// A moment as the region's clock shows it.
fn moment(at: DateTime<Utc>) -> String {
    (at.naive_utc() + crate::clock::REGION_OFFSET).format("%d.%m.%Y %H:%M").to_string()
}

fn or_dash(text: &str) -> &str {
    if text.trim().is_empty() { "—" } else { text }
}

fn line(sheet: &mut Sheet, label: &str, value: &str) {
    sheet.paragraph(&[regular(label), regular(": "), bold(or_dash(value))], Block::BODY.after(1.0));
}

fn heading(sheet: &mut Sheet, text: &str) {
    sheet.space(3.0);
    sheet.keep(20.0);
    sheet.paragraph(&[bold(text)], Block::BODY.after(2.0));
}

pub(super) fn family(sheet: &mut Sheet, data: &FamilyData) {
    sheet.paragraph(&[bold(TITLE)], Block::TITLE);
    sheet.paragraph(
        &[regular(&format!(
            "Выгрузка сделана {} по запросу владельца учётной записи (ст. 14 Федерального закона № 152-ФЗ «О персональных данных»).",
            moment(data.made_at)
        ))],
        Block::SMALL.after(4.0),
    );
    let p = &data.profile;
    heading(sheet, "Учётная запись");
    line(sheet, "ФИО", &format!("{} {} {}", p.last_name, p.first_name, p.middle_name));
    line(sheet, "Электронная почта", &p.email);
    line(sheet, "Телефон", &p.phone);
    line(sheet, "Адрес", &p.address);
    let passport = format!("{} {}", p.passport_series, p.passport_number);
    line(sheet, "Паспорт", &passport);
    line(sheet, "Кем выдан", &p.passport_issued_by);
    line(sheet, "Дата выдачи", &p.passport_issued_at.map(day).unwrap_or_default());

    heading(sheet, "Согласия");
    if data.consents.is_empty() {
        sheet.paragraph(&[regular("Согласий, данных в Навигаторе, нет.")], Block::BODY);
    }
    for consent in &data.consents {
        let text = format!("{} (редакция {}) — {}", consent.title, consent.version, moment(consent.given_at));
        sheet.paragraph(&[regular(&text)], Block::BODY.after(1.0));
    }

    for record in &data.children {
        child(sheet, record);
    }

    heading(sheet, &format!("Сообщения ({})", data.messages.len()));
    for message in &data.messages {
        sheet.paragraph(
            &[bold(&message.subject), regular(&format!(" — {}", moment(message.created_at)))],
            Block::BODY.after(0.5),
        );
        sheet.paragraph(&[regular(&message.body)], Block::SMALL.at(5.0).after(2.0));
    }
}

fn child(sheet: &mut Sheet, record: &ChildRecord) {
    let c = &record.child;
    sheet.space(2.0);
    sheet.rule();
    heading(sheet, &format!("Ребёнок: {} {} {}", c.last_name, c.first_name, c.middle_name));
    line(sheet, "Дата рождения", &day(c.birth_date));
    line(sheet, "Пол", c.sex.title());
    line(
        sheet,
        "Документ",
        &format!(
            "{} {} {}, выдан {}",
            c.document_type.title(),
            c.document_series,
            c.document_number,
            day(c.document_issued_at)
        ),
    );
    line(sheet, "СНИЛС", &c.snils);
    line(sheet, "Адрес", &c.address);

    heading(sheet, "Сертификат");
    match &record.certificate {
        None => sheet.paragraph(&[regular("Сертификата нет.")], Block::BODY),
        Some(certificate) => {
            line(sheet, "Номер", &certificate.number);
            line(sheet, "Статус", &certificate.status_title);
            line(sheet, "Выдан", &moment(certificate.created_at));
        }
    }
    if let Some(ledger) = &record.ledger {
        let b = &ledger.balance;
        let sums = format!(
            "зачислено {}, доступно {}, в резерве {}, списано {}",
            navigator_shared::money::rubles(b.credited),
            navigator_shared::money::rubles(b.available),
            navigator_shared::money::rubles(b.reserved),
            navigator_shared::money::rubles(b.spent)
        );
        line(sheet, "Номинал", &sums);
        for entry in &ledger.entries {
            let program = entry.program_title.as_deref().map(|t| format!(", «{t}»")).unwrap_or_default();
            let text = format!(
                "{} — {}: {}{program}",
                moment(entry.created_at),
                entry.kind_title,
                entry.account.show(entry.amount)
            );
            sheet.paragraph(&[regular(&text)], Block::SMALL.at(5.0).after(0.5));
        }
    }

    heading(sheet, &format!("Заявки ({})", record.applications.len()));
    for application in &record.applications {
        let text = format!(
            "№ {} от {}: «{}», {}, {} — {}",
            application.id,
            moment(application.created_at),
            application.program_title,
            application.group_name,
            application.organization.name,
            application.status_title
        );
        sheet.paragraph(&[regular(&text)], Block::BODY.after(0.5));
        if let Some(contract) = &application.contract {
            let text = format!(
                "Договор № {}: {}, {} — {}",
                contract.id,
                contract.module_name,
                navigator_shared::money::rubles(contract.price),
                contract.status_title
            );
            sheet.paragraph(&[regular(&text)], Block::SMALL.at(5.0).after(1.0));
        }
    }

    if let Some(guardians) = &record.guardians {
        heading(sheet, "Представители ребёнка");
        line(sheet, "Родитель, в учётной записи которого ребёнок", &guardians.holder_name);
        for guardian in &guardians.guardians {
            let who = guardian.name.clone().unwrap_or_else(|| guardian.email.clone());
            line(sheet, guardian.relationship.title(), &format!("{who} — {}", guardian.status.title()));
        }
    }

    heading(sheet, "Кто работал с данными ребёнка: сотрудники и представители");
    if record.access.is_empty() {
        sheet.paragraph(&[regular("Никто.")], Block::BODY);
    }
    for entry in &record.access {
        let reason = entry.reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
        let text = format!("{} — {}: {}{reason}", moment(entry.at), entry.actor_name, action_title(&entry.action));
        sheet.paragraph(&[regular(&text)], Block::SMALL.after(0.5));
    }
}
