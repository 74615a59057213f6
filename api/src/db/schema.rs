//! The one schema both backends share (column types common to SQLite and PostgreSQL).

diesel::table! {
    region_settings (id) {
        id -> BigInt,
        name -> Text,
        child_age_min -> Integer,
        child_age_max -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    municipalities (id) {
        id -> BigInt,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        password_hash -> Text,
        role -> Text,
        phone -> Text,
        last_name -> Text,
        first_name -> Text,
        middle_name -> Nullable<Text>,
        municipality_id -> Nullable<BigInt>,
        email_confirmed_at -> Nullable<Timestamp>,
        passport_series_enc -> Nullable<Text>,
        passport_number_enc -> Nullable<Text>,
        passport_issued_by -> Nullable<Text>,
        passport_issued_at -> Nullable<Date>,
        address -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    email_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        purpose -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        family -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    outbox_emails (id) {
        id -> BigInt,
        user_id -> Nullable<BigInt>,
        kind -> Text,
        to_address -> Text,
        subject -> Text,
        body -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    rate_limits (bucket) {
        bucket -> Text,
        window_start -> BigInt,
        hits -> Integer,
    }
}

diesel::joinable!(users -> municipalities (municipality_id));
diesel::joinable!(email_tokens -> users (user_id));
diesel::joinable!(refresh_tokens -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    region_settings,
    municipalities,
    users,
    email_tokens,
    refresh_tokens,
    outbox_emails,
    rate_limits,
);
