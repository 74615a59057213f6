//! The one schema both backends share (column types common to SQLite and PostgreSQL).

diesel::table! {
    region_settings (id) {
        id -> BigInt,
        name -> Text,
        child_age_min -> Integer,
        child_age_max -> Integer,
        updated_at -> Timestamp,
        confirmation_by -> Text,
        documents_days -> Integer,
        decision_days -> Integer,
        academic_year -> Integer,
    }
}

diesel::table! {
    municipalities (id) {
        id -> BigInt,
        name -> Text,
        created_at -> Timestamp,
        center_lat -> Nullable<Double>,
        center_lon -> Nullable<Double>,
    }
}

diesel::table! {
    municipality_populations (municipality_id, year) {
        municipality_id -> BigInt,
        year -> Integer,
        children -> BigInt,
        updated_at -> Timestamp,
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
        organization_id -> Nullable<BigInt>,
        birth_date -> Nullable<Date>,
        disabled_at -> Nullable<Timestamp>,
        consent_withdrawn_at -> Nullable<Timestamp>,
        depersonalize_after -> Nullable<Timestamp>,
        depersonalized_at -> Nullable<Timestamp>,
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

diesel::table! {
    calendar_days (day) {
        day -> Date,
        working -> Bool,
        note -> Text,
    }
}

diesel::table! {
    organizations (id) {
        id -> BigInt,
        name -> Text,
        inn -> Text,
        municipality_id -> BigInt,
        address -> Text,
        phone -> Text,
        email -> Text,
        can_activate -> Bool,
        activation_contact -> Nullable<Text>,
        reception_hours -> Nullable<Text>,
        city_phone -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        kind -> Text,
        lat -> Nullable<Double>,
        lon -> Nullable<Double>,
        website -> Text,
        is_provider -> Bool,
        status -> Text,
        search_key -> Text,
        can_confirm -> Bool,
        can_view_personal_data -> Bool,
    }
}

diesel::table! {
    programs (id) {
        id -> BigInt,
        organization_id -> BigInt,
        title -> Text,
        description -> Text,
        goals -> Text,
        direction -> Text,
        profile -> Text,
        level -> Text,
        age_min -> Integer,
        age_max -> Integer,
        municipality_id -> BigInt,
        address -> Text,
        lat -> Double,
        lon -> Double,
        duration_months -> Integer,
        teachers -> Text,
        cost_type -> Text,
        contact_name -> Text,
        contact_phone -> Text,
        contact_email -> Text,
        disability_friendly -> Bool,
        status -> Text,
        certified -> Bool,
        moderation_comment -> Nullable<Text>,
        rating -> Nullable<Double>,
        applications_count -> BigInt,
        published_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        funding -> Text,
        reviews_count -> Integer,
    }
}

diesel::table! {
    program_modules (id) {
        id -> BigInt,
        program_id -> BigInt,
        name -> Text,
        hours -> Integer,
        price -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    program_groups (id) {
        id -> BigInt,
        program_id -> BigInt,
        name -> Text,
        teacher -> Text,
        schedule -> Text,
        capacity -> Integer,
        enrolled -> Integer,
        start_date -> Date,
        end_date -> Date,
        age_min -> Integer,
        age_max -> Integer,
        enrolment_open -> Bool,
        enrolment_from -> Nullable<Date>,
        enrolment_to -> Nullable<Date>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        hold_until -> Nullable<Date>,
    }
}

diesel::table! {
    held_places (id) {
        id -> BigInt,
        group_id -> BigInt,
        child_id -> BigInt,
        until -> Date,
        created_at -> Timestamp,
    }
}

diesel::table! {
    children (id) {
        id -> BigInt,
        parent_id -> BigInt,
        last_name -> Text,
        first_name -> Text,
        middle_name -> Nullable<Text>,
        birth_date -> Date,
        sex -> Text,
        document_type -> Text,
        document_series -> Text,
        document_number_enc -> Text,
        document_issued_at -> Date,
        snils_enc -> Text,
        snils_hash -> Text,
        identity_hash -> Text,
        last_name_key -> Text,
        address -> Text,
        municipality_id -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        open_applications -> Integer,
        consent_withdrawn_at -> Nullable<Timestamp>,
        depersonalize_after -> Nullable<Timestamp>,
        depersonalized_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    certificates (id) {
        id -> BigInt,
        child_id -> BigInt,
        number -> Text,
        kind -> Text,
        status -> Text,
        documents_due -> Date,
        reason -> Nullable<Text>,
        comment -> Nullable<Text>,
        data_confirmed_at -> Nullable<Timestamp>,
        application_received_at -> Nullable<Timestamp>,
        activated_at -> Nullable<Timestamp>,
        decided_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        credited -> BigInt,
        available -> BigInt,
        reserved -> BigInt,
        spent -> BigInt,
        decision_due -> Nullable<Date>,
        municipality_id -> Nullable<BigInt>,
        birth_date -> Nullable<Date>,
        sex -> Nullable<Text>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        actor_id -> BigInt,
        child_id -> Nullable<BigInt>,
        action -> Text,
        changes -> Nullable<Text>,
        reason -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    messages (id) {
        id -> BigInt,
        user_id -> BigInt,
        subject -> Text,
        body -> Text,
        read_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    funding_periods (id) {
        id -> BigInt,
        municipality_id -> BigInt,
        year -> Integer,
        nominal -> BigInt,
        max_certificates -> Integer,
        max_volume -> BigInt,
        starts_on -> Date,
        ends_on -> Date,
        funded_count -> Integer,
        funded_volume -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        expired_at -> Nullable<Timestamp>,
        advance_percent -> Integer,
        kind -> Text,
        unit -> Text,
    }
}

diesel::table! {
    certificate_accounts (certificate_id, account) {
        certificate_id -> BigInt,
        account -> Text,
        credited -> BigInt,
        available -> BigInt,
        reserved -> BigInt,
        spent -> BigInt,
    }
}

diesel::table! {
    funding_requests (id) {
        id -> BigInt,
        certificate_id -> BigInt,
        period_id -> BigInt,
        requested_by -> BigInt,
        status -> Text,
        due_date -> Date,
        reason -> Nullable<Text>,
        comment -> Nullable<Text>,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    applications (id) {
        id -> BigInt,
        child_id -> BigInt,
        group_id -> BigInt,
        program_id -> BigInt,
        organization_id -> BigInt,
        created_by -> BigInt,
        status -> Text,
        reason -> Nullable<Text>,
        comment -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        source_client_id -> Nullable<BigInt>,
        external_id -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    contracts (id) {
        id -> BigInt,
        application_id -> BigInt,
        certificate_id -> BigInt,
        module_id -> BigInt,
        organization_id -> BigInt,
        price -> BigInt,
        months -> Integer,
        first_month -> Date,
        status -> Text,
        charged -> BigInt,
        accepted_at -> Nullable<Timestamp>,
        ended_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        signed_on_paper -> Nullable<Date>,
        text -> Nullable<Text>,
        ends_on -> Nullable<Date>,
        account -> Text,
    }
}

diesel::table! {
    payment_requests (id) {
        id -> BigInt,
        organization_id -> BigInt,
        municipality_id -> BigInt,
        month -> Date,
        kind -> Text,
        status -> Text,
        amount -> BigInt,
        charges -> BigInt,
        corrections -> BigInt,
        advance -> BigInt,
        note -> Nullable<Text>,
        return_comment -> Nullable<Text>,
        payment_order -> Nullable<Text>,
        paid_on -> Nullable<Date>,
        created_by -> BigInt,
        created_at -> Timestamp,
        submitted_at -> Nullable<Timestamp>,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    payment_lines (id) {
        id -> BigInt,
        request_id -> BigInt,
        ledger_entry_id -> BigInt,
        contract_id -> BigInt,
        month -> Date,
        amount -> BigInt,
        original -> Nullable<BigInt>,
        corrected -> Nullable<BigInt>,
    }
}

diesel::table! {
    withdrawals (id) {
        id -> BigInt,
        application_id -> BigInt,
        leave_on -> Date,
        status -> Text,
        requested_by -> BigInt,
        requested_at -> Timestamp,
        confirm_by -> Date,
        confirmed_by -> Nullable<BigInt>,
        confirmed_at -> Nullable<Timestamp>,
        done_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    ledger_entries (id) {
        id -> BigInt,
        certificate_id -> BigInt,
        kind -> Text,
        amount -> BigInt,
        period_id -> Nullable<BigInt>,
        contract_id -> Nullable<BigInt>,
        month -> Nullable<Date>,
        reason -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        account -> Text,
    }
}

diesel::table! {
    idempotency_keys (user_id, key) {
        user_id -> BigInt,
        key -> Text,
        request_hash -> Text,
        status -> Nullable<Integer>,
        body -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    consents (id) {
        id -> BigInt,
        user_id -> BigInt,
        child_id -> Nullable<BigInt>,
        kind -> Text,
        version -> Text,
        given_at -> Timestamp,
    }
}

diesel::joinable!(users -> municipalities (municipality_id));
diesel::joinable!(email_tokens -> users (user_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(children -> users (parent_id));
diesel::joinable!(certificates -> children (child_id));
diesel::joinable!(organizations -> municipalities (municipality_id));
diesel::joinable!(messages -> users (user_id));
diesel::joinable!(programs -> organizations (organization_id));
diesel::joinable!(program_modules -> programs (program_id));
diesel::joinable!(program_groups -> programs (program_id));
diesel::joinable!(funding_periods -> municipalities (municipality_id));
diesel::joinable!(funding_requests -> certificates (certificate_id));
diesel::joinable!(funding_requests -> funding_periods (period_id));
diesel::joinable!(applications -> children (child_id));
diesel::joinable!(applications -> program_groups (group_id));
diesel::joinable!(applications -> programs (program_id));
diesel::joinable!(applications -> organizations (organization_id));
diesel::joinable!(contracts -> applications (application_id));
diesel::joinable!(contracts -> certificates (certificate_id));
diesel::joinable!(contracts -> program_modules (module_id));
diesel::joinable!(ledger_entries -> certificates (certificate_id));
diesel::joinable!(ledger_entries -> contracts (contract_id));
diesel::joinable!(withdrawals -> applications (application_id));
diesel::joinable!(held_places -> program_groups (group_id));
diesel::joinable!(held_places -> children (child_id));
diesel::joinable!(payment_lines -> payment_requests (request_id));
diesel::joinable!(payment_lines -> contracts (contract_id));
diesel::joinable!(payment_requests -> organizations (organization_id));

diesel::joinable!(certificate_accounts -> certificates (certificate_id));

diesel::table! {
    integration_clients (id) {
        id -> BigInt,
        client_id -> Text,
        name -> Text,
        contact -> Text,
        scopes -> Text,
        secret_hash -> Text,
        secret_version -> Integer,
        secret_issued_at -> Timestamp,
        status -> Text,
        rate_tat_ms -> BigInt,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    integration_requests (id) {
        id -> BigInt,
        client_id -> BigInt,
        at -> Timestamp,
        method -> Text,
        path -> Text,
        status -> Integer,
        duration_ms -> Integer,
    }
}

diesel::table! {
    webhook_subscriptions (id) {
        id -> BigInt,
        client_id -> BigInt,
        url -> Text,
        events -> Text,
        secret -> Text,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhook_events (id) {
        id -> BigInt,
        event_id -> Text,
        kind -> Text,
        object -> Text,
        payload -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> BigInt,
        event_id -> BigInt,
        subscription_id -> BigInt,
        object -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        last_status -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        last_response -> Nullable<Text>,
        delivered_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhook_attempts (id) {
        id -> BigInt,
        delivery_id -> BigInt,
        at -> Timestamp,
        status -> Nullable<Integer>,
        error -> Nullable<Text>,
        duration_ms -> Integer,
    }
}

diesel::joinable!(integration_requests -> integration_clients (client_id));
diesel::joinable!(applications -> integration_clients (source_client_id));
diesel::joinable!(webhook_subscriptions -> integration_clients (client_id));
diesel::joinable!(webhook_deliveries -> webhook_events (event_id));
diesel::joinable!(webhook_deliveries -> webhook_subscriptions (subscription_id));
diesel::joinable!(webhook_attempts -> webhook_deliveries (delivery_id));

diesel::table! {
    reviews (id) {
        id -> BigInt,
        program_id -> BigInt,
        organization_id -> BigInt,
        municipality_id -> BigInt,
        child_id -> BigInt,
        author_id -> BigInt,
        stars -> Integer,
        body -> Text,
        participant -> Bool,
        status -> Text,
        hidden_reason -> Nullable<Text>,
        hidden_by -> Nullable<BigInt>,
        hidden_at -> Nullable<Timestamp>,
        reply -> Nullable<Text>,
        reply_by -> Nullable<BigInt>,
        reply_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    review_complaints (id) {
        id -> BigInt,
        review_id -> BigInt,
        account_id -> BigInt,
        reason -> Text,
        created_at -> Timestamp,
        resolved_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    events (id) {
        id -> BigInt,
        organization_id -> BigInt,
        municipality_id -> BigInt,
        program_id -> Nullable<BigInt>,
        title -> Text,
        kind -> Text,
        direction -> Nullable<Text>,
        description -> Text,
        age_min -> Integer,
        age_max -> Integer,
        online -> Bool,
        address -> Text,
        lat -> Nullable<Double>,
        lon -> Nullable<Double>,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        signup_from -> Nullable<Timestamp>,
        signup_to -> Nullable<Timestamp>,
        capacity -> Nullable<Integer>,
        taken -> Integer,
        waiting -> Integer,
        certificate_required -> Bool,
        price -> BigInt,
        status -> Text,
        moderation_comment -> Nullable<Text>,
        published_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    event_signups (id) {
        id -> BigInt,
        event_id -> BigInt,
        child_id -> BigInt,
        parent_id -> BigInt,
        status -> Text,
        queued_at -> Timestamp,
        attended -> Nullable<Bool>,
        reminded_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(event_signups -> events (event_id));
diesel::joinable!(reviews -> programs (program_id));
diesel::joinable!(review_complaints -> reviews (review_id));

diesel::table! {
    duplicate_dismissals (child_a, child_b) {
        child_a -> BigInt,
        child_b -> BigInt,
        dismissed_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    ledger_months (municipality_id, organization_id, month) {
        municipality_id -> BigInt,
        organization_id -> BigInt,
        month -> Date,
        charged -> BigInt,
        refunded -> BigInt,
        charges -> BigInt,
        children -> BigInt,
    }
}

diesel::table! {
    period_movements (period_id, kind) {
        period_id -> BigInt,
        kind -> Text,
        amount -> BigInt,
    }
}

diesel::table! {
    study_spans (application_id) {
        application_id -> BigInt,
        child_id -> BigInt,
        municipality_id -> BigInt,
        birth_date -> Date,
        sex -> Text,
        direction -> Text,
        disability_friendly -> Bool,
        starts -> Date,
        ends -> Date,
    }
}

diesel::table! {
    spot_alerts (id) {
        id -> BigInt,
        user_id -> BigInt,
        program_id -> BigInt,
        group_id -> Nullable<BigInt>,
        token_hash -> Text,
        created_at -> Timestamp,
        alerted_at -> Nullable<Timestamp>,
        cancelled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    guardians (id) {
        id -> BigInt,
        child_id -> BigInt,
        invited_by -> BigInt,
        email -> Text,
        relationship -> Text,
        token_hash -> Text,
        status -> Text,
        user_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        accepted_at -> Nullable<Timestamp>,
        ended_at -> Nullable<Timestamp>,
        ended_by -> Nullable<BigInt>,
    }
}

diesel::joinable!(guardians -> children (child_id));

diesel::table! {
    second_factors (user_id) {
        user_id -> BigInt,
        secret_enc -> Text,
        created_at -> Timestamp,
        confirmed_at -> Nullable<Timestamp>,
        last_step -> BigInt,
    }
}

diesel::table! {
    known_devices (id) {
        id -> BigInt,
        user_id -> BigInt,
        device_hash -> Text,
        label -> Text,
        first_seen_at -> Timestamp,
        last_seen_at -> Timestamp,
    }
}

diesel::joinable!(second_factors -> users (user_id));
diesel::joinable!(known_devices -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    second_factors,
    known_devices,
    guardians,
    spot_alerts,
    study_spans,
    ledger_months,
    period_movements,
    duplicate_dismissals,
    events,
    event_signups,
    reviews,
    review_complaints,
    integration_clients,
    integration_requests,
    webhook_subscriptions,
    webhook_events,
    webhook_deliveries,
    webhook_attempts,
    certificate_accounts,
    withdrawals,
    held_places,
    payment_requests,
    payment_lines,
    consents,
    municipality_populations,
    region_settings,
    municipalities,
    users,
    email_tokens,
    refresh_tokens,
    outbox_emails,
    rate_limits,
    calendar_days,
    organizations,
    children,
    certificates,
    audit_log,
    messages,
    programs,
    program_modules,
    program_groups,
    funding_periods,
    funding_requests,
    applications,
    contracts,
    ledger_entries,
    idempotency_keys,
);

// The statistics group charges by the contract's organization.
diesel::allow_columns_to_appear_in_same_group_by_clause!(ledger_entries::kind, contracts::organization_id,);
