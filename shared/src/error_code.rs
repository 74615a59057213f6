//! Every machine-readable code a problem answer carries (`Problem::code`):
//! the server answers only these, the web client matches them by type.

crate::code_enum! {
    /// What went wrong, stable for integrators; the Russian `detail` of the
    /// answer says it for people.
    pub enum ErrorCode {
        // The request itself.
        ValidationFailed = ("validation_failed", "поля заполнены с ошибками: сообщения в `errors`"),
        BadRequest = ("bad_request", "запрос не удалось прочитать"),
        MethodNotAllowed = ("method_not_allowed", "метод не поддерживается по этому адресу"),
        NotFound = ("not_found", "такой записи нет или она недоступна вызывающему"),
        TooManyRequests = ("too_many_requests", "слишком много попыток: повторите позже"),
        ServiceUnavailable = ("service_unavailable", "сервис временно недоступен"),
        RequestTimeout = ("request_timeout", "тело запроса не пришло вовремя"),
        InternalError = ("internal_error", "внутренняя ошибка сервиса"),
        IdempotencyKeyReused = ("idempotency_key_reused", "ключ идемпотентности уже использован с другим запросом"),
        RequestInProgress = ("request_in_progress", "запрос с этим ключом ещё выполняется"),
        ForeignOrigin = ("foreign_origin", "запрос со страницы другого сайта"),
        // Sign-in and accounts.
        Unauthenticated = ("unauthenticated", "нужно войти"),
        InvalidToken = ("invalid_token", "токен или ссылка недействительны"),
        ExpiredToken = ("expired_token", "срок действия ссылки истёк"),
        TokenUsed = ("token_used", "ссылка уже использована"),
        InvalidRefreshToken = ("invalid_refresh_token", "сеанс завершён"),
        RefreshTokenReused = ("refresh_token_reused", "токен обновления использован повторно: сеанс закрыт"),
        InvalidCredentials = ("invalid_credentials", "неверная почта или пароль"),
        EmailNotConfirmed = ("email_not_confirmed", "почта не подтверждена"),
        AccountDisabled = ("account_disabled", "учётная запись отключена"),
        AccountExists = ("account_exists", "учётная запись с этой почтой уже есть"),
        WeakPassword = ("weak_password", "пароль слишком простой"),
        PasswordReused = ("password_reused", "новый пароль совпадает с прежним"),
        OwnAccount = ("own_account", "свою учётную запись так менять нельзя"),
        SecondFactorRequired = ("second_factor_required", "нужен код из приложения-аутентификатора"),
        SecondFactorInvalid = ("second_factor_invalid", "код из приложения-аутентификатора неверен или уже использован"),
        SecondFactorSetupRequired = ("second_factor_setup_required", "администратор должен сначала включить вход с кодом"),
        // Rights and reach.
        Forbidden = ("forbidden", "недостаточно прав"),
        AdminOnly = ("admin_only", "только для администратора"),
        AssignedByAdmin = ("assigned_by_admin", "это назначает администратор"),
        NoMunicipality = ("no_municipality", "сотруднику не назначен муниципалитет"),
        NoOrganization = ("no_organization", "сотрудник не привязан к организации"),
        UnknownOrganization = ("unknown_organization", "такой организации нет"),
        OutsideTerritory = ("outside_territory", "запись вне территории сотрудника"),
        NotActivationPoint = ("not_activation_point", "организация не пункт активации"),
        OperatorConfirms = ("operator_confirms", "сертификат подтверждает оператор"),
        NoPersonalDataAccess = ("no_personal_data_access", "нет доступа к персональным данным реестра"),
        // Integrators.
        InsufficientScope = ("insufficient_scope", "токену интеграции не выдано нужное право"),
        CertificateMismatch = ("certificate_mismatch", "номер сертификата, фамилия и дата рождения не совпадают с реестром"),
        WebhookAddressRefused = ("webhook_address_refused", "на этот адрес вебхуки не отправляются"),
        ClientStatusUnchanged = ("client_status_unchanged", "система интеграции уже в этом статусе"),
        TooManyWebhooks = ("too_many_webhooks", "у системы уже предельное число подписок"),
        // Reviews.
        ReviewNotParticipant = ("review_not_participant", "отзыв пишет семья ребёнка, который занимался по программе"),
        ReviewExists = ("review_exists", "отзыв за этого ребёнка уже написан"),
        ReviewEditClosed = ("review_edit_closed", "срок изменения отзыва прошёл"),
        ReviewAnswered = ("review_answered", "организация уже ответила на отзыв"),
        ComplaintExists = ("complaint_exists", "жалоба на этот отзыв уже подана"),
        OwnReview = ("own_review", "на свой отзыв жаловаться нельзя"),
        ReviewStatusUnchanged = ("review_status_unchanged", "отзыв уже в этом состоянии"),
        // Events.
        EventClosed = ("event_closed", "мероприятие в другом статусе: действие недоступно"),
        EventSignupClosed = ("event_signup_closed", "запись на мероприятие сейчас не идёт"),
        // Reference data.
        UnknownMunicipality = ("unknown_municipality", "такого муниципалитета нет"),
        MunicipalityExists = ("municipality_exists", "муниципалитет с таким названием уже есть"),
        InvalidYear = ("invalid_year", "год указан неверно"),
        InvalidMonth = ("invalid_month", "месяц указан неверно"),
        FutureMonth = ("future_month", "месяц ещё не наступил"),
        // Children and certificates.
        DuplicateChild = ("duplicate_child", "ребёнок с этим СНИЛС уже есть"),
        ChildLocked = ("child_locked", "данные ребёнка с активным сертификатом меняет оператор"),
        LearnerRecordExists = ("learner_record_exists", "запись обучающегося уже есть"),
        LearnerSelfOnly = ("learner_self_only", "обучающийся добавляет только себя"),
        AgeOutOfRange = ("age_out_of_range", "возраст вне диапазона сертификата"),
        CertificateExists = ("certificate_exists", "сертификат уже есть"),
        CertificateChanged = ("certificate_changed", "сертификат изменился: обновите страницу"),
        NotRenewable = ("not_renewable", "сертификат нельзя подать заново"),
        ChecksIncomplete = ("checks_incomplete", "не все проверки пункта активации пройдены"),
        ConsentWithdrawn = ("consent_withdrawn", "согласие на обработку данных отозвано: действие недоступно"),
        GuardianExists = ("guardian_exists", "этот адрес уже приглашён представителем ребёнка"),
        GuardianLimit = ("guardian_limit", "у ребёнка уже наибольшее число представителей"),
        InvitationInvalid = ("invitation_invalid", "приглашение недействительно, истекло или уже принято"),
        InvitationOtherAccount = ("invitation_other_account", "приглашение отправлено на другой адрес"),
        // Organizations and the catalog.
        InnTaken = ("inn_taken", "организация с этим ИНН уже есть"),
        NotVerifiedProvider = ("not_verified_provider", "организация не подтверждённый поставщик"),
        PlacesAvailable = ("places_available", "свободные места есть: подайте заявку"),
        IllegalTransition = ("illegal_transition", "такой переход статуса невозможен"),
        ProgramNotEditable = ("program_not_editable", "программу в этом статусе не изменить"),
        ProgramWithoutGroups = ("program_without_groups", "у программы нет групп"),
        GroupHasChildren = ("group_has_children", "в группе есть дети"),
        // Applications and contracts.
        AcademicYearClosed = ("academic_year_closed", "запись идёт на текущий и следующий учебный год"),
        ProgramUnavailable = ("program_unavailable", "программа недоступна для записи"),
        EnrolmentClosed = ("enrolment_closed", "набор в группу закрыт"),
        AgeMismatch = ("age_mismatch", "возраст ребёнка не подходит группе"),
        ChildRequired = ("child_required", "выберите ребёнка"),
        CertificateRequired = ("certificate_required", "нужен сертификат"),
        CertificateInvalid = ("certificate_invalid", "сертификат недействителен"),
        CertificateNotActive = ("certificate_not_active", "сертификат не активирован"),
        CertificateNumberRequired = ("certificate_number_required", "укажите номер сертификата"),
        ApplicationChanged = ("application_changed", "заявка изменилась: обновите страницу"),
        UnknownCertificate = ("unknown_certificate", "такого сертификата нет"),
        AlreadyApplied = ("already_applied", "заявка в эту группу уже подана"),
        GroupFull = ("group_full", "в группе нет свободных мест"),
        TooManyApplications = ("too_many_applications", "достигнут предел открытых заявок"),
        InvalidStatus = ("invalid_status", "действие недоступно в этом статусе"),
        WrongStatus = ("wrong_status", "запись в другом статусе"),
        ContractExists = ("contract_exists", "договор уже заключён"),
        ContractRequired = ("contract_required", "сначала нужен договор"),
        NotConfirmed = ("not_confirmed", "заявка не подтверждена организацией"),
        NotCertified = ("not_certified", "программа не сертифицирована"),
        NotOffered = ("not_offered", "договор не предложен"),
        UnknownModule = ("unknown_module", "такого модуля в программе нет"),
        FreeModule = ("free_module", "у модуля не указана стоимость"),
        InsufficientBalance = ("insufficient_balance", "на сертификате недостаточно средств"),
        WithdrawalRequested = ("withdrawal_requested", "заявление об отчислении уже подано"),
        // Funding.
        NoFundingPeriod = ("no_funding_period", "нет периода финансирования"),
        PeriodFixed = ("period_fixed", "у периода уже есть зачисления: это поле не меняется"),
        PeriodExists = ("period_exists", "период на этот год уже есть"),
        LimitsBelowUsed = ("limits_below_used", "лимиты меньше уже использованного"),
        FundingRequested = ("funding_requested", "заявка на финансирование уже подана"),
        AlreadyDecided = ("already_decided", "решение уже принято"),
        CreditNotPosted = ("credit_not_posted", "зачисление не проведено"),
        CountLimit = ("count_limit", "достигнуто предельное число сертификатов финансирования"),
        VolumeLimit = ("volume_limit", "исчерпан объём финансирования"),
        NoActiveCertificate = ("no_active_certificate", "сертификат не активирован"),
        AlreadyFunded = ("already_funded", "номинал на этот период уже зачислен"),
        // Paying providers.
        PaymentExists = ("payment_exists", "заявка этого вида за месяц уже есть"),
        AdvancePending = ("advance_pending", "аванс за месяц ещё рассматривается"),
        TooEarly = ("too_early", "срок ещё не наступил"),
        NothingToPay = ("nothing_to_pay", "нет списаний, которые нужно оплатить"),
        // The web client's own, never sent by the server.
        NetworkError = ("network_error", "клиент: сервер недоступен"),
        SessionExpired = ("session_expired", "клиент: сеанс завершён"),
        UnexpectedResponse = ("unexpected_response", "клиент: ответ не от API"),
    }
}

impl From<crate::funding::FundingRefusal> for ErrorCode {
    fn from(refusal: crate::funding::FundingRefusal) -> Self {
        use crate::funding::FundingRefusal;
        match refusal {
            FundingRefusal::CountLimit => ErrorCode::CountLimit,
            FundingRefusal::VolumeLimit => ErrorCode::VolumeLimit,
            FundingRefusal::NoActiveCertificate => ErrorCode::NoActiveCertificate,
            FundingRefusal::AlreadyFunded => ErrorCode::AlreadyFunded,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "{} twice", code.as_str());
            assert!(code.as_str().chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{}", code.as_str());
            assert_eq!(ErrorCode::parse(code.as_str()), Some(*code));
        }
    }

    /// Every code is answered by the server or made by the web client: an
    /// unused one is a code integrators are told of and never get.
    #[test]
    fn every_code_is_used() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut sources = String::new();
        for dir in ["api/src", "web/src", "shared/src/funding.rs"] {
            read_rust(&root.join(dir), &mut sources);
        }
        let own = include_str!("error_code.rs");
        let refusals = &own[own.find("impl From<crate::funding::FundingRefusal>").unwrap()..];
        let unused: Vec<&str> = ErrorCode::ALL
            .iter()
            .filter(|code| {
                let name = format!("ErrorCode::{code:?}");
                !sources.contains(&name) && !refusals[..refusals.find("#[cfg(test)]").unwrap()].contains(&name)
            })
            .map(|code| code.as_str())
            .collect();
        assert!(unused.is_empty(), "codes nobody answers: {unused:?}");
    }

    fn read_rust(path: &std::path::Path, into: &mut String) {
        if path.is_dir() {
            for entry in std::fs::read_dir(path).unwrap() {
                read_rust(&entry.unwrap().path(), into);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            into.push_str(&std::fs::read_to_string(path).unwrap());
        }
    }

    #[test]
    fn funding_refusals_keep_their_codes() {
        for refusal in crate::funding::FundingRefusal::ALL {
            assert_eq!(ErrorCode::from(*refusal).as_str(), refusal.as_str());
        }
    }
}
