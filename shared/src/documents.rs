//! The printed forms: their addresses, titles and the names files are saved
//! under, the same for the server that prints them and the client that
//! offers them.

/// A form printed from a registry record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Application,
    Consent,
    Extract,
}

impl Form {
    pub const ALL: [Form; 3] = [Form::Application, Form::Consent, Form::Extract];

    /// The name used in URLs: `application`, `consent` or `extract`.
    pub fn as_str(self) -> &'static str {
        match self {
            Form::Application => "application",
            Form::Consent => "consent",
            Form::Extract => "extract",
        }
    }

    pub fn parse(name: &str) -> Option<Form> {
        Self::ALL.into_iter().find(|form| form.as_str() == name)
    }

    /// The API path of the form of the certificate `number`.
    pub fn path(self, number: &str) -> String {
        format!("/registry/certificates/{number}/documents/{}.pdf", self.as_str())
    }

    /// The download file name, e.g. `zayavlenie-1234567890.pdf`.
    pub fn file_name(self, number: &str) -> String {
        let stem = match self {
            Form::Application => "zayavlenie",
            Form::Consent => "soglasie",
            Form::Extract => "vypiska",
        };
        format!("{stem}-{}.pdf", plain(number))
    }

    /// What a link to it says.
    pub fn label(self) -> &'static str {
        match self {
            Form::Application => "Заявление",
            Form::Consent => "Согласие на обработку данных",
            Form::Extract => "Выписка из реестра",
        }
    }

    /// The Russian title printed at the top of the form.
    pub fn title(self) -> &'static str {
        match self {
            Form::Application => "Заявление о включении в реестр сертификатов дополнительного образования",
            Form::Consent => "Согласие на обработку персональных данных",
            Form::Extract => "Выписка из реестра сертификатов дополнительного образования",
        }
    }
}

/// The application for studies of application `id`: `zayavlenie-na-obuchenie-{id}.pdf`.
pub fn enrolment_file_name(id: i64) -> String {
    format!("zayavlenie-na-obuchenie-{id}.pdf")
}

/// The contract `id`: `dogovor-{id}.pdf`.
/// «avans-2026-11-7.pdf», «schet-2026-11-8.csv»: a payment request's file.
pub fn payment_file_name(request: &crate::payments::PaymentRequest, extension: &str) -> String {
    let kind = match request.kind {
        crate::payments::PaymentKind::Advance => "avans",
        crate::payments::PaymentKind::Invoice => "schet",
    };
    format!("{kind}-{}-{}.{extension}", request.month.format("%Y-%m"), request.id)
}

pub fn contract_file_name(id: i64) -> String {
    format!("dogovor-{id}.pdf")
}

/// Only ASCII letters and digits: the name goes into a Content-Disposition header.
fn plain(text: &str) -> String {
    text.chars().filter(char::is_ascii_alphanumeric).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_names_parse_and_make_file_names() {
        for form in Form::ALL {
            assert_eq!(Form::parse(form.as_str()), Some(form));
        }
        assert_eq!(Form::parse("contract"), None);
        assert_eq!(Form::Application.file_name("1234567890"), "zayavlenie-1234567890.pdf");
        assert_eq!(Form::Consent.file_name("1234567890"), "soglasie-1234567890.pdf");
        assert_eq!(Form::Extract.file_name("12345/../67890"), "vypiska-1234567890.pdf");
        assert_eq!(Form::Consent.path("1234567890"), "/registry/certificates/1234567890/documents/consent.pdf");
        assert_eq!(enrolment_file_name(7), "zayavlenie-na-obuchenie-7.pdf");
        assert_eq!(contract_file_name(7), "dogovor-7.pdf");
    }
}
