//! Errors of the index.

use std::fmt;

/// A failure of the text index.
#[derive(Debug)]
pub enum SearchError {
    /// tantivy could not index or search.
    Index(tantivy::TantivyError),
}

impl fmt::Display for SearchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SearchError::Index(error) => write!(f, "catalog text index: {error}"),
        }
    }
}

impl std::error::Error for SearchError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SearchError::Index(error) => Some(error),
        }
    }
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(error: tantivy::TantivyError) -> Self {
        SearchError::Index(error)
    }
}
