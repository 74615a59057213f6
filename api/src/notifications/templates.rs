//! Texts of the emails, in Russian.

use super::Email;

const SIGNATURE: &str =
    "\n\n--\nНавигатор дополнительного образования\nЭто письмо отправлено автоматически, отвечать на него не нужно.";

/// The text without the email's signature: an in-app message is not an
/// email, so «отвечать на него не нужно» does not belong there.
pub fn in_app(body: &str) -> &str {
    body.strip_suffix(SIGNATURE).unwrap_or(body)
}

pub fn confirm_email(name: &str, link: &str, valid_hours: u64) -> Email {
    Email {
        kind: "confirm_email",
        subject: "Подтвердите адрес электронной почты".into(),
        body: format!(
            "Здравствуйте, {name}!\n\nВы зарегистрировались в Навигаторе дополнительного образования. \
             Чтобы подтвердить адрес электронной почты, откройте ссылку:\n\n{link}\n\n\
             Ссылка действует {valid_hours} ч. Уведомления о сертификате и заявках приходят только \
             на подтверждённый адрес.\n\nЕсли вы не регистрировались, просто удалите это письмо.{SIGNATURE}"
        ),
    }
}

pub fn already_registered(name: &str, login_link: &str, reset_link: &str) -> Email {
    Email {
        kind: "already_registered",
        subject: "Попытка повторной регистрации".into(),
        body: format!(
            "Здравствуйте, {name}!\n\nКто-то (возможно, вы) попытался зарегистрироваться в Навигаторе \
             с этим адресом электронной почты. Учётная запись с этим адресом уже есть: одна семья — \
             одна учётная запись.\n\nВойти: {login_link}\nЕсли вы не помните пароль, восстановите его: \
             {reset_link}\n\nЕсли это были не вы, ничего делать не нужно.{SIGNATURE}"
        ),
    }
}

pub fn password_reset(name: &str, link: &str, valid_minutes: u64) -> Email {
    Email {
        kind: "password_reset",
        subject: "Восстановление пароля".into(),
        body: format!(
            "Здравствуйте, {name}!\n\nЧтобы задать новый пароль, откройте ссылку:\n\n{link}\n\n\
             Ссылка действует {valid_minutes} мин. и только один раз. Если вы не просили сменить пароль, \
             просто удалите это письмо: пароль останется прежним.{SIGNATURE}"
        ),
    }
}

pub fn password_changed(name: &str) -> Email {
    Email {
        kind: "password_changed",
        subject: "Пароль изменён".into(),
        body: format!(
            "Здравствуйте, {name}!\n\nПароль вашей учётной записи в Навигаторе изменён, \
             вход на других устройствах завершён.\n\nЕсли это были не вы, сразу восстановите пароль \
             по ссылке «Не помню пароль» на странице входа и обратитесь в службу поддержки.{SIGNATURE}"
        ),
    }
}

/// A sign-in from a browser or program the account has not used before.
pub fn new_sign_in(name: &str, device: &str, when: &str, reset_link: &str) -> Email {
    Email {
        kind: "new_sign_in",
        subject: "Вход с нового устройства".into(),
        body: format!(
            "Здравствуйте, {name}!\n\nВ вашу учётную запись в Навигаторе вошли с нового устройства: \
             {device}, {when} по московскому времени.\n\nЕсли это были вы, ничего делать не нужно. \
             Если нет — сразу смените пароль в личном кабинете или по ссылке «Не помню пароль»: \
             {reset_link}{SIGNATURE}"
        ),
    }
}

/// The account's second factor («вход с кодом») was turned on or off.
pub fn second_factor_changed(name: &str, on: bool) -> Email {
    let (subject, what) = if on {
        ("Вход с кодом включён", "Теперь при входе после пароля нужен код из приложения-аутентификатора.")
    } else {
        ("Вход с кодом отключён", "Теперь для входа достаточно пароля.")
    };
    Email {
        kind: "second_factor_changed",
        subject: subject.into(),
        body: format!(
            "Здравствуйте, {name}!\n\n{subject} для вашей учётной записи в Навигаторе. {what}\n\n\
             Если это были не вы, сразу смените пароль и обратитесь к администратору.{SIGNATURE}"
        ),
    }
}

pub fn certificate_requested(
    name: &str,
    child: &str,
    number: &str,
    due: chrono::NaiveDate,
    points_link: &str,
) -> Email {
    Email {
        kind: "certificate_requested",
        subject: format!("Сертификат № {number} в обработке"),
        body: format!(
            "Здравствуйте, {name}!\n\nДля ребёнка ({child}) создана запись в реестре сертификатов \
             дополнительного образования № {number}. Сертификат в обработке.\n\n\
             Чтобы его активировать, до {due} включительно принесите в пункт активации документы: \
             паспорт родителя, свидетельство о рождении или паспорт ребёнка и СНИЛС ребёнка. \
             Там вы подпишете заявление и согласие на обработку персональных данных.\n\n\
             Пункты активации: {points_link}\n\n\
             Если не успеть в срок, запись будет аннулирована.{SIGNATURE}",
            due = due.format("%d.%m.%Y")
        ),
    }
}

pub fn certificate_lapsed(name: &str, child: &str, number: &str) -> Email {
    Email {
        kind: "certificate_lapsed",
        subject: format!("Сертификат № {number} не активирован в срок"),
        body: format!(
            "Здравствуйте, {name}!\n\nДокументы для активации сертификата № {number} ({child}) не были \
             представлены в пункт активации в установленный срок, поэтому запись аннулирована.\n\n\
             Номер сохранится: нажмите «Подать заново» на странице «Дети» в Навигаторе (или попросите \
             об этом пункт активации), и срок подачи документов начнётся снова.{SIGNATURE}"
        ),
    }
}

pub fn certificate_activated(name: &str, child: &str, number: &str) -> Email {
    Email {
        kind: "certificate_activated",
        subject: format!("Сертификат № {number} активирован"),
        body: format!(
            "Здравствуйте, {name}!\n\nСертификат дополнительного образования № {number} ({child}) активирован. \
             Теперь с ним можно записываться на программы в Навигаторе.{SIGNATURE}"
        ),
    }
}

pub fn certificate_refused(name: &str, child: &str, number: &str, reason: &str, comment: Option<&str>) -> Email {
    let comment = comment.map(|c| format!("\nКомментарий специалиста: {c}")).unwrap_or_default();
    Email {
        kind: "certificate_refused",
        subject: format!("Отказ в активации сертификата № {number}"),
        body: format!(
            "Здравствуйте, {name}!\n\nВ активации сертификата № {number} ({child}) отказано.\n\
             Причина: {reason}.{comment}\n\nКогда причина устранена, нажмите «Подать заново» на странице \
             «Дети» в Навигаторе: номер сохранится, срок подачи документов начнётся снова. Если вы не \
             согласны с решением, обратитесь в пункт активации или к оператору вашего муниципалитета.{SIGNATURE}"
        ),
    }
}

pub fn certificate_excluded(name: &str, child: &str, number: &str, reason: &str, comment: Option<&str>) -> Email {
    let comment = comment.map(|c| format!("\nКомментарий: {c}")).unwrap_or_default();
    Email {
        kind: "certificate_excluded",
        subject: format!("Сертификат № {number} исключён из реестра"),
        body: format!(
            "Здравствуйте, {name}!\n\nСертификат дополнительного образования № {number} ({child}) исключён \
             из реестра сертификатов.\nОснование: {reason}.{comment}{SIGNATURE}"
        ),
    }
}

/// Staff did something on the family's behalf: the family is told every time.
pub fn staff_acted(name: &str, who: &str, what: &str) -> Email {
    Email {
        kind: "staff_acted",
        subject: "Действие от вашего имени в Навигаторе".into(),
        body: format!(
            "Здравствуйте, {name}!\n\nОт вашего имени действовал(а) {who}: {what}.\n\nЕсли вы об этом не \
             просили, обратитесь к оператору вашего муниципалитета.{SIGNATURE}"
        ),
    }
}

/// The family's request to be told of free places is recorded.
pub fn spot_alert_recorded(name: &str, what: &str, stop: &str) -> Email {
    Email {
        kind: "spot_alert_recorded",
        subject: "Сообщим, когда появятся места".into(),
        body: format!(
            "Здравствуйте, {name}!\n\nКогда появятся свободные места ({what}), мы пришлём одно письмо и \
             сообщение в Навигаторе со ссылкой на запись. Место не бронируется: его займёт тот, кто первым \
             подаст заявку. Чтобы сохранить очередь, встаньте в лист ожидания.\n\nОтписаться: {stop}{SIGNATURE}"
        ),
    }
}

/// Places appeared where the family asked to be told.
pub fn places_appeared(name: &str, what: &str, free: i32, apply: &str) -> Email {
    Email {
        kind: "places_appeared",
        subject: "Появились свободные места".into(),
        body: format!(
            "Здравствуйте, {name}!\n\nПоявились свободные места ({what}): сейчас их {free}. Место не \
             бронируется — подайте заявку, пока оно свободно: {apply}\n\nЭто уведомление приходит один раз; \
             чтобы получить следующее, подпишитесь снова на странице программы.{SIGNATURE}"
        ),
    }
}

/// An adult is invited as a second guardian of a child. Goes to an address
/// that may have no account yet.
pub fn guardian_invited(inviter: &str, child: &str, relationship: &str, link: &str, days: i64) -> Email {
    Email {
        kind: "guardian_invited",
        subject: "Приглашение в Навигатор: доступ к данным ребёнка".into(),
        body: format!(
            "Здравствуйте!\n\n{inviter} приглашает вас в Навигатор дополнительного образования как \
             представителя ребёнка ({relationship}): {child}. Приняв приглашение, вы увидите сертификат, заявки и \
             договоры ребёнка, сможете записывать его на программы и подписывать договоры.\n\nЧтобы принять \
             приглашение, откройте ссылку, войдите или зарегистрируйтесь с этим адресом электронной почты: \
             {link}\n\nСсылка действует {days} дней. Если вы не ждали этого письма, просто не отвечайте на \
             него.{SIGNATURE}"
        ),
    }
}

/// A change of who acts for the child, told to each member of the family.
pub fn guardians_changed(name: &str, what: &str, link: &str) -> Email {
    Email {
        kind: "guardians_changed",
        subject: "Представители ребёнка в Навигаторе".into(),
        body: format!(
            "Здравствуйте, {name}!\n\n{what}\n\nКто представляет ребёнка и что каждый сделал: {link}{SIGNATURE}"
        ),
    }
}

/// The family withdrew its consent to the processing of `whose` data.
pub fn consent_withdrawn(name: &str, whose: &str, by: &str) -> Email {
    Email {
        kind: "consent_withdrawn",
        subject: "Согласие на обработку персональных данных отозвано".into(),
        body: format!(
            "Здравствуйте, {name}!\n\nВы отозвали согласие на обработку персональных данных: {whose}. \
             Обработка прекращена: сертификат исключён из реестра по заявлению заявителя, заявки отменены, \
             договоры расторгнуты, неизрасходованный остаток снят.\n\nДо {by} данные будут обезличены: \
             останутся только сведения, которые требует закон о бухгалтерском учёте, без имени. До этого \
             срока можно скачать свои данные в «Личном кабинете» («Мои данные»).{SIGNATURE}"
        ),
    }
}

/// To an organization's staff: an application or a study ended because the
/// child's certificate left the registry.
/// The applications of `child` at one organization that ended without it:
/// `programs` are the programs' titles with the applications' new statuses.
pub fn enrolment_ended(name: &str, child: &str, programs: &[(String, &str)], why: &str, link: &str) -> Email {
    let subject = match programs {
        [(program, status)] => format!("Заявка на программу «{program}»: {}", status.to_lowercase()),
        _ => format!("Заявки ребёнка {child}: обучение прекращено"),
    };
    let list: String =
        programs.iter().map(|(program, status)| format!("\n— «{program}»: {}", status.to_lowercase())).collect();
    Email {
        kind: "enrolment_ended",
        subject,
        body: format!(
            "Здравствуйте, {name}!\n\n{why}. С сегодняшнего дня заявки ребёнка {child} переведены:{list}\n\n\
             Договоры по сертификату, если они были, расторгнуты, неизрасходованный резерв возвращён на \
             сертификат, места в группах освобождены.\n\nЗаявки организации: {link}{SIGNATURE}"
        ),
    }
}

/// To an organization's staff: a family asks to end a child's studies.
pub fn withdrawal_requested(
    name: &str,
    child: &str,
    program: &str,
    leave_on: chrono::NaiveDate,
    confirm_by: chrono::NaiveDate,
    link: &str,
) -> Email {
    let day = |d: chrono::NaiveDate| d.format("%d.%m.%Y").to_string();
    Email {
        kind: "withdrawal_requested",
        subject: format!("Заявление об отчислении: {child}, «{program}»"),
        body: format!(
            "Здравствуйте, {name}!\n\nСемья просит отчислить ребёнка {child} с программы «{program}», \
             последний день занятий — {}. Подтвердите отчисление в заявках организации до {}: если ответа \
             не будет, заявление вступит в силу без подтверждения. Договор по сертификату завершится в день \
             отчисления, месяц ухода оплачивается по дням занятий.\n\nЗаявки организации: {link}{SIGNATURE}",
            day(leave_on),
            day(confirm_by)
        ),
    }
}

/// To a municipality's operators: a provider sent a payment request.
pub fn payment_submitted(name: &str, r: &navigator_shared::payments::PaymentRequest, link: &str) -> Email {
    let amount = navigator_shared::money::rubles(r.amount);
    Email {
        kind: "payment_submitted",
        subject: format!("{}: {} за {}", r.kind.title(), r.organization_name, r.month.format("%m.%Y")),
        body: format!(
            "Здравствуйте, {name}!\n\n{} отправила «{}» № {} за {} на сумму {amount}. Рассмотрите её: \
             одобрите или верните на доработку с комментарием.\n\nОчередь заявок на оплату: {link}{SIGNATURE}",
            r.organization_name,
            r.kind.title(),
            r.id,
            r.month.format("%m.%Y")
        ),
    }
}

/// To a provider's staff: the operator decided on its payment request.
pub fn payment_decided(name: &str, r: &navigator_shared::payments::PaymentRequest, link: &str) -> Email {
    let what = match r.status {
        navigator_shared::payments::PaymentStatus::Returned => format!(
            "возвращена на доработку. Комментарий оператора: {}\nИсправьте и отправьте её снова.",
            r.return_comment.as_deref().unwrap_or("")
        ),
        navigator_shared::payments::PaymentStatus::Paid => format!(
            "оплачена: платёжное поручение № {} от {}.",
            r.payment_order.as_deref().unwrap_or(""),
            r.paid_on.map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_default()
        ),
        _ => "одобрена оператором и будет оплачена.".to_owned(),
    };
    Email {
        kind: "payment_decided",
        subject: format!("{} за {}: {}", r.kind.title(), r.month.format("%m.%Y"), r.status.title().to_lowercase()),
        body: format!(
            "Здравствуйте, {name}!\n\n«{}» № {} за {} на сумму {} {what}\n\nОплата услуг: {link}{SIGNATURE}",
            r.kind.title(),
            r.id,
            r.month.format("%m.%Y"),
            navigator_shared::money::rubles(r.amount)
        ),
    }
}

/// To a family: the next year's group holds a place for the child.
pub fn place_held(name: &str, child: &str, program: &str, group: &str, until: chrono::NaiveDate, link: &str) -> Email {
    Email {
        kind: "place_held",
        subject: format!("За ребёнком закреплено место: «{program}»"),
        body: format!(
            "Здравствуйте, {name}!\n\n{child} окончил(а) год обучения по программе «{program}» и имеет \
             первоочередное право продолжить её. В группе «{group}» место закреплено за ребёнком до {}. \
             Подайте заявку в эту группу до этого дня: после него место передадут следующему в листе \
             ожидания.\n\nПрограмма: {link}{SIGNATURE}",
            until.format("%d.%m.%Y")
        ),
    }
}

/// To a family: the held place was not taken in time.
pub fn hold_ended(name: &str, child: &str, program: &str, group: &str, link: &str) -> Email {
    Email {
        kind: "hold_ended",
        subject: format!("Закреплённое место передано: «{program}»"),
        body: format!(
            "Здравствуйте, {name}!\n\nСрок, до которого в группе «{group}» программы «{program}» держали \
             место для ребёнка ({child}), прошёл, а заявки не было. Место передано другим детям; записаться \
             можно на общих основаниях.\n\nПрограмма: {link}{SIGNATURE}"
        ),
    }
}

pub fn invitation(name: &str, invited_by: &str, link: &str, valid_hours: u64) -> Email {
    Email {
        kind: "invitation",
        subject: "Ваша учётная запись в Навигаторе".into(),
        body: format!(
            "Здравствуйте, {name}!\n\n{invited_by} открыл(а) для вас учётную запись в Навигаторе \
             дополнительного образования. Чтобы подтвердить адрес электронной почты и задать пароль, \
             откройте ссылку:\n\n{link}\n\nСсылка действует {valid_hours} ч.{SIGNATURE}"
        ),
    }
}

/// `nominal` as people read it («8 000,00 ₽», «72 ч.»).
pub fn funding_approved(name: &str, child: &str, number: &str, nominal: &str, link: &str) -> Email {
    Email {
        kind: "funding_approved",
        subject: format!("На сертификат № {number} зачислен номинал"),
        body: format!(
            "Здравствуйте, {name}!\n\nНа сертификат № {number} ({child}) зачислен номинал {nominal}. \
             Его можно тратить на программы с отметкой «Доступна оплата сертификатом»: при подписании \
             договора стоимость резервируется и списывается помесячно.\n\nБаланс и все списания: {link}{SIGNATURE}"
        ),
    }
}

pub fn funding_refused(name: &str, child: &str, reason: &str, comment: Option<&str>, link: &str) -> Email {
    let comment = comment.map(|c| format!("\nКомментарий: {c}")).unwrap_or_default();
    Email {
        kind: "funding_refused",
        subject: "Отказ в зачислении номинала на сертификат".into(),
        body: format!(
            "Здравствуйте, {name}!\n\nВ зачислении номинала на сертификат ({child}) отказано.\n\
             Причина: {reason}.{comment}\n\nСертификат учёта продолжает действовать: с ним можно \
             записываться на бесплатные программы. {link}{SIGNATURE}"
        ),
    }
}

/// Who to contact about an application.
pub struct Contacts<'a> {
    pub organization: &'a str,
    pub address: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
}

/// An application changed its status; `what` says what it means for the family.
pub fn application_changed(
    name: &str,
    child: &str,
    program: &str,
    status: &str,
    what: &str,
    contacts: &Contacts<'_>,
    link: &str,
) -> Email {
    let email = if contacts.email.is_empty() { String::new() } else { format!(", {}", contacts.email) };
    Email {
        kind: "application_changed",
        subject: format!("Заявка на программу «{program}»: {status}"),
        body: format!(
            "Здравствуйте, {name}!\n\nЗаявка ({child}) на программу «{program}»: {status}.\n{what}\n\n\
             Организация: {}\nАдрес: {}\nТелефон: {}{email}\n\nВаши заявки: {link}{SIGNATURE}",
            contacts.organization, contacts.address, contacts.phone
        ),
    }
}

/// To a review's author: the operator hid the review.
pub fn review_hidden(name: &str, program: &str, reason: &str, link: &str) -> Email {
    Email {
        kind: "review_hidden",
        subject: format!("Ваш отзыв о программе «{program}» скрыт"),
        body: format!(
            "Здравствуйте, {name}!\n\nОператор скрыл ваш отзыв о программе «{program}». Причина: {reason}\n\
             Отзыв больше не виден другим семьям; \
             вы видите его и причину на странице программы.\n\nСтраница программы: {link}{SIGNATURE}"
        ),
    }
}
