//! Ids of the records that are easy to mix up (a child, a certificate, an
//! application): each its own type, so a child's id cannot be passed where a
//! certificate's is expected. They travel in JSON as plain numbers.

/// Declares an id type over `i64`, stored as `BIGINT` with the server-only
/// `diesel` feature.
macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
        )]
        #[serde(transparent)]
        #[cfg_attr(feature = "diesel", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow))]
        #[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::BigInt))]
        pub struct $name(pub i64);

        impl $name {
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        #[cfg(feature = "diesel")]
        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::BigInt, DB> for $name
        where
            DB: diesel::backend::Backend,
            i64: diesel::deserialize::FromSql<diesel::sql_types::BigInt, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                <i64 as diesel::deserialize::FromSql<diesel::sql_types::BigInt, DB>>::from_sql(bytes).map($name)
            }
        }

        #[cfg(feature = "diesel")]
        impl<DB> diesel::serialize::ToSql<diesel::sql_types::BigInt, DB> for $name
        where
            DB: diesel::backend::Backend,
            i64: diesel::serialize::ToSql<diesel::sql_types::BigInt, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut diesel::serialize::Output<'b, '_, DB>) -> diesel::serialize::Result {
                <i64 as diesel::serialize::ToSql<diesel::sql_types::BigInt, DB>>::to_sql(&self.0, out)
            }
        }
    };
}

id_type! {
    /// A child's record (`children.id`).
    ChildId
}

id_type! {
    /// A certificate (`certificates.id`), not its 10-digit number.
    CertificateId
}

id_type! {
    /// An application (`applications.id`).
    ApplicationId
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_travels_as_a_plain_number() {
        assert_eq!(serde_json::to_string(&ChildId(42)).ok().as_deref(), Some("42"));
        assert_eq!(serde_json::from_str::<ApplicationId>("7").ok(), Some(ApplicationId(7)));
        assert_eq!(CertificateId(5).to_string(), "5");
    }
}
