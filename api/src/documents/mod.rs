//! The printed forms of the activation point: the application for inclusion in
//! the registry, the consent to personal data processing and the registry
//! extract. Rendered as PDF with real, extractable Cyrillic text in the
//! embedded DejaVu Sans (see `api/assets/fonts/LICENSE-DejaVu.txt`), so the
//! binary needs no files at run time.

mod family;
mod forms;
mod layout;
pub mod sheet;

/// What a form prints for a value not given online: a line to fill in by hand.
pub const BLANK: &str = "________________________________________________";

/// What the forms print; filled by the registry service.
///
/// No `Debug`: the fields are personal data and must not end up in logs.
#[derive(Clone)]
pub struct FormData {
    /// Region of the registry, e.g. «Смоленская область».
    pub region: String,
    /// Certificate number, 10 digits.
    pub certificate_number: String,
    /// Russian title of the certificate status, e.g. «активирован».
    pub certificate_status: String,
    /// Date the registry record was created.
    pub issued_on: chrono::NaiveDate,
    /// Date the certificate was activated, if it was.
    pub activated_on: Option<chrono::NaiveDate>,
    /// Child's full name, e.g. «Петрова Анна Олеговна».
    pub child_full_name: String,
    /// Child's date of birth.
    pub child_birth_date: chrono::NaiveDate,
    /// Child's identity document, e.g. «Свидетельство о рождении IV-АК № 123456, выдано 01.05.2016».
    pub child_document: String,
    /// Child's SNILS, formatted «112-233-445 95».
    pub child_snils: String,
    /// Child's address of residence.
    pub child_address: String,
    /// Municipality the child lives in, e.g. «город Смоленск».
    pub municipality: String,
    /// The applicant is the learner himself (14 and older), not a parent:
    /// the forms speak in his name and list only his data.
    pub learner: bool,
    /// Full name of the parent (legal representative) who applies.
    pub parent_full_name: String,
    /// Parent's passport, e.g. «Паспорт 6604 № 123456, выдан 01.06.2015 УМВД…», or [`BLANK`].
    pub parent_passport: String,
    /// Parent's address of residence.
    pub parent_address: String,
    /// Parent's phone, as it should be printed.
    pub parent_phone: String,
    /// Parent's email.
    pub parent_email: String,
    /// The activation point that prints the form.
    pub organization: String,
    /// Date printed on the form as the date of signing; also the PDF creation date.
    pub printed_on: chrono::NaiveDate,
}

/// What the application for studies («заявление на обучение») prints;
/// filled by the applications service. No `Debug`: personal data.
#[derive(Clone)]
pub struct EnrolmentData {
    /// The organization that enrols, e.g. «МБУДО «Дом детского творчества»».
    pub organization: String,
    pub program: String,
    pub group: String,
    /// «с 01.09.2026 по 31.05.2027».
    pub period: String,
    /// The module of the contract offered, with hours and price, if any.
    pub module: Option<String>,
    /// Certificate number, 10 digits, if the child has one.
    pub certificate_number: Option<String>,
    pub child_full_name: String,
    pub child_birth_date: chrono::NaiveDate,
    /// The applicant is the learner himself (14 and older).
    pub learner: bool,
    pub applicant_full_name: String,
    pub applicant_phone: String,
    pub applicant_email: String,
    pub printed_on: chrono::NaiveDate,
}

/// The title of the application for studies.
pub const ENROLMENT_TITLE: &str = "Заявление о приёме на обучение по дополнительной общеобразовательной программе";

/// Renders the application for studies as PDF bytes.
pub fn render_enrolment(data: &EnrolmentData) -> anyhow::Result<Vec<u8>> {
    let mut sheet = layout::Sheet::new(ENROLMENT_TITLE, data.printed_on)?;
    forms::enrolment(&mut sheet, data);
    sheet.finish()
}

/// The contract for a module paid by certificate, as PDF bytes.
pub fn render_contract(
    text: &navigator_shared::contract::ContractText,
    acceptance: &str,
    printed_on: chrono::NaiveDate,
) -> anyhow::Result<Vec<u8>> {
    let mut sheet = layout::Sheet::new(&text.terms.title(), printed_on)?;
    forms::contract(&mut sheet, text, acceptance);
    sheet.finish()
}

/// A provider's payment request as PDF: the advance request, or the invoice
/// with its lines, the corrections of earlier months and the advance taken off.
pub fn render_payment_request(
    request: &navigator_shared::payments::PaymentRequest,
    printed_on: chrono::NaiveDate,
) -> anyhow::Result<Vec<u8>> {
    let title = format!("{} № {} за {}", request.kind.title(), request.id, forms::month_name(request.month));
    let mut sheet = layout::Sheet::new(&title, printed_on)?;
    forms::payment_request(&mut sheet, &title, request);
    sheet.finish()
}

/// The operator's payment register of a month as PDF.
pub fn render_payment_register(
    register: &navigator_shared::payments::PaymentRegister,
    printed_on: chrono::NaiveDate,
) -> anyhow::Result<Vec<u8>> {
    let title = format!("Реестр заявок на оплату за {}", forms::month_name(register.month));
    let mut sheet = layout::Sheet::new(&title, printed_on)?;
    forms::payment_register(&mut sheet, &title, register);
    sheet.finish()
}

/// Everything held about a family (`GET /me/data?format=pdf`) as PDF bytes.
pub fn render_family(
    data: &navigator_shared::privacy::FamilyData,
    printed_on: chrono::NaiveDate,
) -> anyhow::Result<Vec<u8>> {
    let mut sheet = layout::Sheet::new(family::TITLE, printed_on)?;
    family::family(&mut sheet, data);
    sheet.finish()
}

pub use navigator_shared::documents::Form;

/// Renders a form as PDF bytes.
pub fn render(form: Form, data: &FormData) -> anyhow::Result<Vec<u8>> {
    let mut sheet = layout::Sheet::new(form.title(), data.printed_on)?;
    match form {
        Form::Application => forms::application(&mut sheet, data),
        Form::Consent => forms::consent(&mut sheet, data),
        Form::Extract => forms::extract(&mut sheet, data),
    }
    sheet.finish()
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn sample() -> FormData {
        FormData {
            region: "Смоленская область".into(),
            certificate_number: "6712345678".into(),
            certificate_status: "активирован".into(),
            issued_on: date(2026, 9, 1),
            activated_on: Some(date(2026, 9, 3)),
            child_full_name: "Петрова Анна Олеговна".into(),
            child_birth_date: date(2016, 4, 12),
            child_document: "Свидетельство о рождении IV-АК № 123456, выдано 01.05.2016".into(),
            child_snils: "112-233-445 95".into(),
            child_address: "214000, Смоленская область, г. Смоленск, ул. Ленина, д. 5, кв. 12".into(),
            municipality: "город Смоленск".into(),
            learner: false,
            parent_full_name: "Петрова Ольга Ивановна".into(),
            parent_passport: "Паспорт 6604 № 123456, выдан 01.06.2015 УМВД России по Смоленской области".into(),
            parent_address: "214000, Смоленская область, г. Смоленск, ул. Ленина, д. 5, кв. 12".into(),
            parent_phone: "+7 910 123-45-67".into(),
            parent_email: "petrova@example.ru".into(),
            organization: "МБУДО «Дом детского творчества» г. Смоленска".into(),
            printed_on: date(2026, 9, 3),
        }
    }

    /// The text a reader would copy out of the PDF, with whitespace collapsed
    /// so that wrapped lines still read as one sentence.
    fn extracted_text(pdf: &[u8]) -> String {
        let doc = lopdf::Document::load_mem(pdf).expect("the PDF parses");
        let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
        let text = doc.extract_text(&pages).expect("text extracts");
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn page_count(pdf: &[u8]) -> usize {
        lopdf::Document::load_mem(pdf).expect("the PDF parses").get_pages().len()
    }

    #[test]
    fn every_form_prints_the_childs_details_in_readable_cyrillic() {
        let data = sample();
        for form in Form::ALL {
            let pdf = render(form, &data).expect("renders");
            assert!(pdf.starts_with(b"%PDF"), "{form:?} is not a PDF");
            let text = extracted_text(&pdf);
            for expected in [form.title(), "Петрова Анна Олеговна", "12.04.2016", "112-233-445 95", "6712345678"]
            {
                assert!(text.contains(expected), "{form:?} lacks «{expected}» in: {text}");
            }
        }
    }

    #[test]
    fn the_application_names_the_parent_the_rules_and_who_accepted_it() {
        let text = extracted_text(&render(Form::Application, &sample()).expect("renders"));
        for expected in [
            "Оператору реестра сертификатов дополнительного образования",
            "Я, Петрова Ольга Ивановна",
            "Паспорт 6604 № 123456",
            "прошу включить в реестр сертификатов дополнительного образования моего ребёнка",
            "ПФ ДОД",
            "Подпись",
            "Заявление принял: МБУДО «Дом детского творчества» г. Смоленска",
        ] {
            assert!(text.contains(expected), "lacks «{expected}» in: {text}");
        }
    }

    #[test]
    fn the_consent_cites_the_law_its_term_and_the_two_copies() {
        let text = extracted_text(&render(Form::Consent, &sample()).expect("renders"));
        for expected in [
            "152-ФЗ «О персональных данных»",
            "систематизацию",
            "обезличивание",
            "уничтожение",
            "до достижения ребёнком возраста 18 лет (12.04.2034)",
            "отзыва",
            "Составляется в двух экземплярах: один — заявителю, второй хранится в организации",
        ] {
            assert!(text.contains(expected), "lacks «{expected}» in: {text}");
        }
    }

    #[test]
    fn a_learner_applies_and_consents_in_his_own_name() {
        let data = FormData {
            learner: true,
            child_full_name: "Соколов Кирилл".into(),
            parent_full_name: "Соколов Кирилл".into(),
            ..sample()
        };
        let application = extracted_text(&render(Form::Application, &data).expect("renders"));
        for expected in ["от обучающегося", "прошу включить меня в реестр", "Заявитель (обучающийся): Соколов Кирилл"]
        {
            assert!(application.contains(expected), "{expected}: {application}");
        }
        let consent = extracted_text(&render(Form::Consent, &data).expect("renders"));
        for expected in ["Я, Соколов Кирилл", "на обработку моих персональных данных", "Обучающийся: Соколов Кирилл"]
        {
            assert!(consent.contains(expected), "{expected}: {consent}");
        }
        for text in [&application, &consent] {
            assert!(!text.contains("родител") && !text.contains("моего ребёнка"), "{text}");
        }
    }

    #[test]
    fn the_extract_shows_status_dates_and_who_printed_it() {
        let text = extracted_text(&render(Form::Extract, &sample()).expect("renders"));
        for expected in ["активирован", "01.09.2026", "03.09.2026", "город Смоленск", "МБУДО «Дом детского творчества»"]
        {
            assert!(text.contains(expected), "lacks «{expected}» in: {text}");
        }
        let mut pending = sample();
        pending.activated_on = None;
        let text = extracted_text(&render(Form::Extract, &pending).expect("renders"));
        assert!(text.contains("не активирован"), "{text}");
    }

    #[test]
    fn a_very_long_address_wraps_onto_more_lines_and_pages() {
        let mut data = sample();
        let street = "Смоленская область, Краснинский муниципальный округ, деревня Ивановка, улица Длинная, дом 1, ";
        data.parent_address = street.repeat(60);
        data.child_address = "Смоленская_область_без_пробелов_".repeat(20);
        for form in Form::ALL {
            let pdf = render(form, &data).expect("renders");
            assert!(pdf.starts_with(b"%PDF"));
            let text = extracted_text(&pdf);
            assert!(text.contains("Петрова Анна Олеговна"), "{form:?}: {text}");
        }
        let consent = render(Form::Consent, &data).expect("renders");
        assert!(page_count(&consent) > 1, "the long address should push the consent onto a second page");
        assert!(extracted_text(&consent).contains("Страница 2 из"));
        assert_eq!(page_count(&render(Form::Consent, &sample()).expect("renders")), 1);
    }
}
