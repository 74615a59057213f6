//! RFC 9457 problem details: the one error shape of the API.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Messages per field name, in Russian, ready to show next to the field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct FieldErrors(pub BTreeMap<String, Vec<String>>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// One message on one field.
    pub fn one(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.entry(field.to_owned()).or_default().push(message.into());
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first message for a field, if any.
    pub fn first(&self, field: &str) -> Option<&str> {
        self.0.get(field).and_then(|m| m.first()).map(String::as_str)
    }

    /// Records the error of a parse step under `field` and gives back the value.
    pub fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.add(field, message);
                None
            }
        }
    }

    /// Adds every message of `other`.
    pub fn merge(&mut self, other: FieldErrors) {
        for (field, messages) in other.0 {
            self.0.entry(field).or_default().extend(messages);
        }
    }

    /// `Ok(value)` when no field failed, the collected errors otherwise.
    pub fn finish<T>(self, value: impl FnOnce() -> Option<T>) -> Result<T, FieldErrors> {
        if self.is_empty() { value().ok_or(self) } else { Err(self) }
    }
}

/// An error answer (`application/problem+json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// Problem type URI; `about:blank` when the code says it all.
    #[serde(rename = "type", default = "about_blank")]
    pub type_: String,
    /// Short English summary of the HTTP status.
    #[serde(default)]
    pub title: String,
    /// HTTP status code.
    pub status: u16,
    /// Stable machine-readable code, e.g. `validation_failed`, `invalid_credentials`.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::error_code::ErrorCode))]
    pub code: String,
    /// Explanation for people, in Russian.
    pub detail: String,
    /// Messages per field for validation problems.
    #[serde(default, skip_serializing_if = "FieldErrors::is_empty")]
    pub errors: FieldErrors,
}

impl Problem {
    /// The code as the enum, when it is one this build knows.
    pub fn error_code(&self) -> Option<crate::error_code::ErrorCode> {
        crate::error_code::ErrorCode::parse(&self.code)
    }

    /// Whether the answer carries `code`.
    pub fn is(&self, code: crate::error_code::ErrorCode) -> bool {
        self.code == code.as_str()
    }
}

fn about_blank() -> String {
    "about:blank".to_owned()
}
