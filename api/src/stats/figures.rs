//! The rules of every figure: who counts as covered, which money counts in
//! a month, how a period's limit divides. Pure functions over the grouped
//! rows of [`super::repo`], so each rule is tested on its own.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use navigator_shared::ages::age_on;
use navigator_shared::applications::ApplicationStatus;
use navigator_shared::catalog::{Direction, ProgramStatus};
use navigator_shared::children::{CertificateKind, CertificateStatus, Sex};
use navigator_shared::funding::LedgerKind;
use navigator_shared::stats::{
    COVERAGE_BANDS, Chart, Column, FORM_BANDS, Headline, LIMIT_WARNING_PERCENT, Measure, Range, Row, Table, band_of,
    band_title, last_of_month, month_title, of_coverage_age, permille,
};

use super::repo::{Charges, Period, Registered, Study};

/// Whether the child studied on some day of `from..=to`.
fn studied_within(study: &Study, from: NaiveDate, to: NaiveDate) -> bool {
    study.starts <= to && study.ends >= from && study.starts <= study.ends
}

fn count(n: usize) -> Option<i64> {
    Some(i64::try_from(n).unwrap_or(i64::MAX))
}

fn column(title: &str, unit: Measure, charted: bool) -> Column {
    Column { title: title.to_owned(), unit, charted }
}

/// A table with a summary written from its own rows.
pub fn table(key: &str, title: &str, label: &str, columns: Vec<Column>, rows: Vec<Row>, chart: Chart) -> Table {
    let mut table = Table {
        key: key.to_owned(),
        title: title.to_owned(),
        label: label.to_owned(),
        columns,
        rows,
        chart,
        summary: String::new(),
    };
    table.summary = summary(&table);
    table
}

/// «Наибольшее значение «Занимаются» — «10–14 лет»: 1 234.» for each charted column; a line
/// chart reads from its first to its last point.
fn summary(table: &Table) -> String {
    if table.rows.is_empty() {
        return format!("{}: нет данных за выбранный период.", table.title);
    }
    let mut sentences = vec![format!("{}, строк: {}", table.title, table.rows.len())];
    for (i, column) in table.columns.iter().enumerate() {
        let values: Vec<(&str, i64)> = table
            .rows
            .iter()
            .filter_map(|r| r.values.get(i).copied().flatten().map(|v| (r.label.as_str(), v)))
            .collect();
        let (Some(first), Some(last)) = (values.first(), values.last()) else { continue };
        if table.chart == Chart::Lines {
            sentences.push(format!(
                "«{}»: {} — {}, {} — {}",
                column.title,
                first.0,
                column.unit.show(first.1),
                last.0,
                column.unit.show(last.1)
            ));
        } else if let Some(top) = values.iter().filter(|(_, v)| *v > 0).max_by_key(|(_, v)| *v) {
            sentences.push(format!("Больше всего «{}» — {}: {}", column.title, top.0, column.unit.show(top.1)));
        } else {
            sentences.push(format!("«{}»: нет", column.title));
        }
    }
    // A value may end with its own full stop («2,5 дн.»).
    sentences.iter().map(|s| if s.ends_with('.') { s.clone() } else { format!("{s}.") }).collect::<Vec<_>>().join(" ")
}

/// The territory's population figure for `year`: the latest entered for that
/// year or before, per municipality, summed; `None` when a municipality has none.
pub fn population(figures: &[(i64, i32, i64)], municipalities: &[i64], year: i32) -> Option<(i32, i64)> {
    let mut total = 0;
    let mut newest = i32::MIN;
    for id in municipalities {
        let (y, children) = figures.iter().find(|(m, y, _)| m == id && *y <= year).map(|(_, y, c)| (*y, *c))?;
        total += children;
        newest = newest.max(y);
    }
    (!municipalities.is_empty()).then_some((newest, total))
}

/// What one child's studies within the range tell, so that every figure
/// counts the child once.
#[derive(Debug, Clone)]
pub struct Learner {
    municipality_id: i64,
    birth_date: NaiveDate,
    sex: Sex,
    /// Bit `i`: studied in a program of the `i`-th of [`Direction::ALL`].
    directions: u32,
    /// Studied in a program for children with disabilities.
    disability: bool,
    /// Bit `i`: studied on some day of the range's `i`-th month.
    months: u64,
}

impl Learner {
    fn studied_in(&self, direction: Direction) -> bool {
        Direction::ALL.iter().position(|d| *d == direction).is_some_and(|i| self.directions & (1 << i) != 0)
    }
}

/// The month of `day` counted from the month of `from`.
fn month_index(from: NaiveDate, day: NaiveDate) -> usize {
    use chrono::Datelike;
    let months = (day.year() - from.year()) * 12 + day.month() as i32 - from.month() as i32;
    usize::try_from(months).unwrap_or(0)
}

/// The children who studied within the range (of any age), each once.
pub fn learners(studies: &[Study], Range { from, to }: Range) -> Vec<Learner> {
    let mut children: HashMap<i64, Learner> = HashMap::new();
    for study in studies.iter().filter(|s| studied_within(s, from, to)) {
        let learner = children.entry(study.child_id).or_insert_with(|| Learner {
            municipality_id: study.municipality_id,
            birth_date: study.birth_date,
            sex: study.sex,
            directions: 0,
            disability: false,
            months: 0,
        });
        if let Some(i) = Direction::ALL.iter().position(|d| *d == study.direction) {
            learner.directions |= 1 << i;
        }
        learner.disability |= study.disability_friendly;
        let (starts, ends) = (study.starts, study.ends);
        // A range is at most MAX_MONTHS + 1 months long: its months fit the mask.
        for month in month_index(from, starts.max(from))..=month_index(from, ends.min(to)).min(63) {
            learner.months |= 1 << month;
        }
    }
    children.into_values().collect()
}

/// Everything coverage is counted from.
pub struct Coverage<'a> {
    range: Range,
    registered: &'a [Registered],
    /// The children who studied within the range.
    learners: Vec<Learner>,
    /// `(municipality, year, children)` figures, newest first.
    populations: &'a [(i64, i32, i64)],
    municipalities: &'a [(i64, String)],
}

impl<'a> Coverage<'a> {
    /// `learners` are the range's ([`learners`]).
    pub fn new(
        range: Range,
        registered: &'a [Registered],
        learners: Vec<Learner>,
        populations: &'a [(i64, i32, i64)],
        municipalities: &'a [(i64, String)],
    ) -> Self {
        Coverage { range, registered, learners, populations, municipalities }
    }

    fn ids(&self) -> Vec<i64> {
        self.municipalities.iter().map(|(id, _)| *id).collect()
    }

    /// The children of coverage age on the range's last day who studied within it.
    fn covered(&self) -> impl Iterator<Item = &Learner> {
        self.learners.iter().filter(|l| of_coverage_age(l.birth_date, self.range.to))
    }

    fn covered_where(&self, of: impl Fn(&Learner) -> bool) -> Option<i64> {
        count(self.covered().filter(|l| of(l)).count())
    }

    /// The key figures of coverage (money is added by the caller).
    pub fn headline(&self) -> Headline {
        let to = self.range.to;
        let population = population(self.populations, &self.ids(), chrono::Datelike::year(&to));
        let enrolled = self.covered_where(|_| true).unwrap_or(0);
        Headline {
            population: population.map(|(_, n)| n),
            population_year: population.map(|(y, _)| y),
            registered: self.registered.iter().map(|r| r.children).sum(),
            with_certificate: self.registered.iter().map(|r| r.with_certificate).sum(),
            with_active_certificate: self.registered.iter().map(|r| r.with_active).sum(),
            enrolled,
            coverage_permille: population.and_then(|(_, n)| permille(enrolled, n)),
            charged: 0,
            average_charge: None,
        }
    }

    /// Distinct children studying in each month, of coverage age on the
    /// month's last day counted, with coverage of the month's year population.
    pub fn by_month(&self) -> Table {
        let ids = self.ids();
        let rows = self
            .range
            .months()
            .into_iter()
            .enumerate()
            .map(|(i, month)| {
                let end = last_of_month(month).min(self.range.to);
                let n = self
                    .learners
                    .iter()
                    .filter(|l| l.months & (1 << i.min(63)) != 0 && of_coverage_age(l.birth_date, end))
                    .count();
                let n = i64::try_from(n).unwrap_or(i64::MAX);
                let population = population(self.populations, &ids, chrono::Datelike::year(&month));
                Row { label: month_title(month), values: vec![Some(n), population.and_then(|(_, p)| permille(n, p))] }
            })
            .collect();
        table(
            "coverage_by_month",
            "Охват по месяцам",
            "Месяц",
            vec![column("Занимаются, детей", Measure::Count, true), column("Охват", Measure::Permille, false)],
            rows,
            Chart::Lines,
        )
    }

    fn groups_row(
        &self,
        label: String,
        registered: impl Fn(&Registered) -> bool,
        learner: impl Fn(&Learner) -> bool,
    ) -> Row {
        let of = self.registered.iter().filter(|r| registered(r));
        Row {
            label,
            values: vec![
                Some(of.clone().map(|r| r.children).sum()),
                Some(of.clone().map(|r| r.with_certificate).sum()),
                Some(of.map(|r| r.with_active).sum()),
                self.covered_where(learner),
            ],
        }
    }

    fn group_columns() -> Vec<Column> {
        vec![
            column("В реестре", Measure::Count, true),
            column("С сертификатом", Measure::Count, true),
            column("С активным сертификатом", Measure::Count, true),
            column("Занимаются", Measure::Count, true),
        ]
    }

    /// Children by age band on the range's last day.
    pub fn by_age(&self) -> Table {
        let to = self.range.to;
        let rows = COVERAGE_BANDS
            .iter()
            .enumerate()
            .map(|(i, band)| self.groups_row(band_title(*band), |r| r.band == i, |l| band.admits(l.birth_date, to)))
            .collect();
        table("coverage_by_age", "Дети по возрасту", "Возраст", Self::group_columns(), rows, Chart::Bars)
    }

    pub fn by_sex(&self) -> Table {
        let rows = [(Sex::Male, "Мальчики"), (Sex::Female, "Девочки")]
            .into_iter()
            .map(|(sex, label)| self.groups_row(label.to_owned(), |c| c.sex == sex, |l| l.sex == sex))
            .collect();
        table("coverage_by_sex", "Дети по полу", "Пол", Self::group_columns(), rows, Chart::Bars)
    }

    /// Distinct children studying in each direction (a child of two directions counts in both).
    pub fn by_direction(&self) -> Table {
        let rows = Direction::ALL
            .iter()
            .map(|direction| Row {
                label: direction.title().to_owned(),
                values: vec![self.covered_where(|l| l.studied_in(*direction))],
            })
            .collect();
        table(
            "coverage_by_direction",
            "Занимаются по направленностям",
            "Направленность",
            vec![column("Детей", Measure::Count, true)],
            rows,
            Chart::Bars,
        )
    }

    /// Children studying in programs for children with disabilities, by age band.
    pub fn disability(&self) -> Table {
        let to = self.range.to;
        let rows = COVERAGE_BANDS
            .iter()
            .map(|band| Row {
                label: band_title(*band),
                values: vec![self.covered_where(|l| l.disability && band.admits(l.birth_date, to))],
            })
            .collect();
        table(
            "coverage_disability",
            "Занимаются в программах для детей с ОВЗ",
            "Возраст",
            vec![column("Детей", Measure::Count, true)],
            rows,
            Chart::Bars,
        )
    }

    /// Each municipality: population, registry, active certificates, studying, coverage.
    pub fn by_municipality(&self) -> Table {
        let year = chrono::Datelike::year(&self.range.to);
        let mut enrolled: HashMap<i64, i64> = HashMap::new();
        for learner in self.covered() {
            *enrolled.entry(learner.municipality_id).or_default() += 1;
        }
        let rows = self
            .municipalities
            .iter()
            .map(|(id, name)| {
                let population = population(self.populations, &[*id], year).map(|(_, n)| n);
                let enrolled = enrolled.get(id).copied().unwrap_or(0);
                let children = self.registered.iter().filter(|r| r.municipality_id == *id);
                Row {
                    label: name.clone(),
                    values: vec![
                        population,
                        Some(children.clone().map(|r| r.children).sum()),
                        Some(children.map(|r| r.with_active).sum()),
                        Some(enrolled),
                        population.and_then(|p| permille(enrolled, p)),
                    ],
                }
            })
            .collect();
        table(
            "coverage_by_municipality",
            "Охват по муниципалитетам",
            "Муниципалитет",
            vec![
                column("Детей 5–18 лет", Measure::Count, true),
                column("В реестре", Measure::Count, false),
                column("С активным сертификатом", Measure::Count, false),
                column("Занимаются", Measure::Count, true),
                column("Охват", Measure::Permille, false),
            ],
            rows,
            Chart::Bars,
        )
    }
}

/// Certificates by status and kind.
pub fn certificates(rows: &[(CertificateStatus, CertificateKind, i64)]) -> Table {
    let rows = CertificateStatus::ALL
        .iter()
        .map(|status| Row {
            label: status.title().to_owned(),
            values: CertificateKind::ALL
                .iter()
                .map(|kind| Some(rows.iter().filter(|r| r.0 == *status && r.1 == *kind).map(|r| r.2).sum()))
                .collect(),
        })
        .collect();
    table(
        "certificates_by_status",
        "Сертификаты по статусам",
        "Статус",
        vec![column("Учёта", Measure::Count, true), column("Финансирования", Measure::Count, true)],
        rows,
        Chart::Stacked,
    )
}

/// How a period's volume limit divides: spent, reserved by contracts, free
/// on certificates, expired, and not yet given to any certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub spent: i64,
    pub reserved: i64,
    pub free: i64,
    pub expired: i64,
    pub unallotted: i64,
}

impl Limits {
    /// From the period and the sums by kind of its certificates' entries.
    pub fn of(period: &Period, movements: &[(LedgerKind, i64)]) -> Limits {
        let sum = |kind: LedgerKind| movements.iter().filter(|(k, _)| *k == kind).map(|(_, v)| *v).sum::<i64>();
        let spent = sum(LedgerKind::Charge) - sum(LedgerKind::Refund);
        let reserved = (sum(LedgerKind::Reserve) - sum(LedgerKind::Release) - spent).max(0);
        let expired = sum(LedgerKind::Expire);
        Limits {
            spent,
            reserved,
            expired,
            free: (period.funded_volume - spent - reserved - expired).max(0),
            unallotted: (period.max_volume - period.funded_volume).max(0),
        }
    }

    /// «…: свободно 9 000 ₽ из 100 000 ₽» when less than a tenth of the volume or count limit is left.
    pub fn warnings(period: &Period, label: &str) -> Vec<String> {
        let mut out = Vec::new();
        let volume_left = period.max_volume - period.funded_volume;
        if period.max_volume > 0 && volume_left * 100 < LIMIT_WARNING_PERCENT * period.max_volume {
            out.push(format!(
                "{label}: нераспределённый объём — {} из {} (меньше {LIMIT_WARNING_PERCENT} %)",
                Measure::Money.show(volume_left.max(0)),
                Measure::Money.show(period.max_volume)
            ));
        }
        let count_left = i64::from(period.max_certificates - period.funded_count);
        let max = i64::from(period.max_certificates);
        if max > 0 && count_left * 100 < LIMIT_WARNING_PERCENT * max {
            out.push(format!(
                "{label}: можно профинансировать ещё {} сертификатов из {max} (меньше {LIMIT_WARNING_PERCENT} %)",
                count_left.max(0)
            ));
        }
        out
    }
}

/// «Смоленск, 2026, Сертификат ПФДО».
pub fn period_label(period: &Period) -> String {
    let kind = navigator_shared::funding::FundingKind::parse(&period.kind).map_or("", |k| k.title());
    format!("{}, {}, {kind}", period.municipality, period.year)
}

/// The rouble periods with their limits divided.
pub fn limits(periods: &[(Period, Limits)]) -> Table {
    let rows = periods
        .iter()
        .map(|(p, l)| Row {
            label: period_label(p),
            values: vec![
                Some(i64::from(p.max_certificates)),
                Some(i64::from(p.funded_count)),
                Some(p.max_volume),
                Some(p.funded_volume),
                Some(l.spent),
                Some(l.reserved),
                Some(l.free + l.expired),
                Some(l.unallotted),
            ],
        })
        .collect();
    table(
        "funding_limits",
        "Лимиты периодов финансирования",
        "Период",
        vec![
            column("Лимит сертификатов", Measure::Count, false),
            column("Профинансировано сертификатов", Measure::Count, false),
            column("Лимит объёма", Measure::Money, false),
            column("Зачислено на сертификаты", Measure::Money, false),
            column("Списано", Measure::Money, true),
            column("В резерве по договорам", Measure::Money, true),
            column("Свободно на сертификатах", Measure::Money, true),
            column("Не распределено", Measure::Money, true),
        ],
        rows,
        Chart::Stacked,
    )
}

/// Money charged by month, with the children charged in each month.
pub fn charges_by_month(range: Range, by_month: &[(NaiveDate, Charges)]) -> Table {
    let rows = range
        .months()
        .into_iter()
        .map(|month| {
            let of = by_month.iter().filter(|(m, _)| *m == month).fold(Charges::default(), |a, (_, c)| a + *c);
            Row { label: month_title(month), values: vec![Some(of.net()), Some(of.children)] }
        })
        .collect();
    table(
        "charges_by_month",
        "Списания с сертификатов по месяцам",
        "Месяц",
        vec![column("Списано", Measure::Money, true), column("Детей", Measure::Count, false)],
        rows,
        Chart::Bars,
    )
}

/// The organizations that received most, with the months of study paid
/// (one per contract and month).
pub fn organizations_by_money(by: &[(i64, Charges)], names: &HashMap<i64, String>, top: usize) -> Table {
    let mut ranked: Vec<(i64, Charges)> = by.to_vec();
    ranked.sort_by(|a, b| b.1.net().cmp(&a.1.net()).then(a.0.cmp(&b.0)));
    let rows = ranked
        .into_iter()
        .take(top)
        .map(|(org, sums)| Row {
            label: names.get(&org).cloned().unwrap_or_else(|| format!("Организация {org}")),
            values: vec![Some(sums.net()), Some(sums.charges)],
        })
        .collect();
    table(
        "organizations_by_money",
        "Организации по полученным средствам",
        "Организация",
        vec![column("Получено", Measure::Money, true), column("Оплачено месяцев обучения", Measure::Count, false)],
        rows,
        Chart::Bars,
    )
}

/// Programs by direction and status.
pub fn programs(rows: &[(Direction, ProgramStatus, i64)]) -> Table {
    let rows = Direction::ALL
        .iter()
        .map(|direction| Row {
            label: direction.title().to_owned(),
            values: ProgramStatus::ALL
                .iter()
                .map(|status| Some(rows.iter().filter(|r| r.0 == *direction && r.1 == *status).map(|r| r.2).sum()))
                .collect(),
        })
        .collect();
    let columns = ProgramStatus::ALL.iter().map(|s| column(s.title(), Measure::Count, true)).collect();
    table(
        "programs_by_direction",
        "Программы по направленностям и статусам",
        "Направленность",
        columns,
        rows,
        Chart::Stacked,
    )
}

/// Places offered and taken in groups of the range.
pub fn places(rows: &[(Direction, i64, i64)]) -> Table {
    let rows = Direction::ALL
        .iter()
        .map(|direction| {
            let (offered, taken) =
                rows.iter().filter(|r| r.0 == *direction).fold((0, 0), |a, r| (a.0 + r.1, a.1 + r.2));
            Row { label: direction.title().to_owned(), values: vec![Some(offered), Some(taken)] }
        })
        .collect();
    table(
        "places_by_direction",
        "Места в группах",
        "Направленность",
        vec![column("Мест", Measure::Count, true), column("Занято", Measure::Count, true)],
        rows,
        Chart::Bars,
    )
}

/// The organizations with the longest waiting lists.
pub fn waiting(rows: &[(i64, i64, i64)], names: &HashMap<i64, String>, top: usize) -> Table {
    let mut ranked = rows.to_vec();
    ranked.sort_by(|a, b| b.2.cmp(&a.2).then(b.1.cmp(&a.1)).then(a.0.cmp(&b.0)));
    let rows = ranked
        .into_iter()
        .take(top)
        .map(|(org, applications, children)| Row {
            label: names.get(&org).cloned().unwrap_or_else(|| format!("Организация {org}")),
            values: vec![Some(children), Some(applications)],
        })
        .collect();
    table(
        "waiting_by_organization",
        "Листы ожидания",
        "Организация",
        vec![column("Детей ждут", Measure::Count, true), column("Заявок", Measure::Count, false)],
        rows,
        Chart::Bars,
    )
}

/// Applications made within the range by their status now.
pub fn applications(rows: &[(ApplicationStatus, i64)]) -> Table {
    let rows = ApplicationStatus::ALL
        .iter()
        .map(|status| Row {
            label: status.title().to_owned(),
            values: vec![Some(rows.iter().filter(|r| r.0 == *status).map(|r| r.1).sum())],
        })
        .collect();
    table(
        "applications_by_status",
        "Заявки по статусам",
        "Статус",
        vec![column("Заявок", Measure::Count, true)],
        rows,
        Chart::Bars,
    )
}

/// The median of the hours (the lower middle of an even count is averaged with the upper).
pub fn median_hours(mut hours: Vec<i64>) -> Option<i64> {
    hours.sort_unstable();
    let n = hours.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(hours[n / 2]),
        _ => Some((hours[n / 2 - 1] + hours[n / 2]) / 2),
    }
}

/// The `top` organizations with most decisions: `(organization, decisions)`,
/// most first.
pub fn most_decisions(mut counts: Vec<(i64, i64)>, top: usize) -> Vec<(i64, i64)> {
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts.truncate(top);
    counts
}

/// The median time from application to decision of the organizations with
/// most decisions (`ranked`, from [`most_decisions`]), from their decisions.
pub fn decision_time(
    ranked: &[(i64, i64)],
    decisions: &[(i64, NaiveDateTime, Option<NaiveDateTime>)],
    names: &HashMap<i64, String>,
) -> Table {
    let mut by: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for (org, applied, decided) in decisions {
        if let Some(decided) = decided {
            by.entry(*org).or_default().push((*decided - *applied).num_hours().max(0));
        }
    }
    let rows = ranked
        .iter()
        .map(|(org, count)| Row {
            label: names.get(org).cloned().unwrap_or_else(|| format!("Организация {org}")),
            values: vec![median_hours(by.remove(org).unwrap_or_default()), Some(*count)],
        })
        .collect();
    table(
        "decision_time_by_organization",
        "Время от заявки до решения",
        "Организация",
        vec![column("Медиана", Measure::Hours, true), column("Решений", Measure::Count, false)],
        rows,
        Chart::Bars,
    )
}

/// The federal form 1-ДОП: learners of `year` by direction, with girls, age
/// groups (ages on 1 January of the next year) and programs for children with
/// disabilities. A child counts once in each direction and once in «Всего».
pub fn form_1dop(year: i32, studies: &[Study]) -> Table {
    let (from, to) = (
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
    );
    let age_day = to + chrono::Days::new(1);
    let learners: Vec<&Study> = studies.iter().filter(|s| studied_within(s, from, to)).collect();
    let row = |label: String, of: &dyn Fn(&Study) -> bool| {
        let mut children: HashMap<i64, &Study> = HashMap::new();
        for s in learners.iter().filter(|s| of(s)) {
            children.entry(s.child_id).or_insert(s);
        }
        let disabled: HashSet<i64> =
            learners.iter().filter(|s| of(s) && s.disability_friendly).map(|s| s.child_id).collect();
        let mut values = vec![count(children.len()), count(children.values().filter(|s| s.sex == Sex::Female).count())];
        for band in 0..FORM_BANDS.len() {
            values.push(count(
                children.values().filter(|s| band_of(&FORM_BANDS, age_on(s.birth_date, age_day)) == Some(band)).count(),
            ));
        }
        values.push(count(disabled.len()));
        Row { label, values }
    };
    let mut rows: Vec<Row> =
        Direction::ALL.iter().map(|d| row(d.title().to_owned(), &|s: &Study| s.direction == *d)).collect();
    rows.push(row("Всего (без повторного счёта)".to_owned(), &|_| true));
    let mut columns = vec![column("Всего", Measure::Count, true), column("Из них девочек", Measure::Count, false)];
    columns.extend(FORM_BANDS.iter().map(|b| column(&band_title(*b), Measure::Count, false)));
    columns.push(column("В программах для детей с ОВЗ", Measure::Count, false));
    table(
        "form_1dop",
        &format!("Форма 1-ДОП за {year} год: обучающиеся по направленностям"),
        "Направленность",
        columns,
        rows,
        Chart::Bars,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn study(child: i64, starts: NaiveDate, ends: NaiveDate) -> Study {
        Study {
            child_id: child,
            municipality_id: 1,
            birth_date: day(2015, 6, 1),
            sex: Sex::Female,
            direction: Direction::Arts,
            disability_friendly: false,
            starts,
            ends,
        }
    }

    #[test]
    fn a_child_in_two_groups_counts_once() {
        let studies = [
            study(1, day(2026, 1, 1), day(2026, 5, 31)),
            study(1, day(2026, 2, 1), day(2026, 5, 31)),
            study(2, day(2026, 2, 1), day(2026, 5, 31)),
            // Expelled before the group began: never studied.
            study(3, day(2026, 2, 1), day(2026, 1, 20)),
        ];
        let enrolled = |from, to| {
            let range = Range { from, to };
            Coverage::new(range, &[], learners(&studies, range), &[], &[]).headline().enrolled
        };
        assert_eq!(enrolled(day(2026, 1, 1), day(2026, 12, 31)), 2);
        assert_eq!(enrolled(day(2026, 1, 1), day(2026, 1, 31)), 1);
    }

    #[test]
    fn each_month_counts_the_children_who_studied_in_it() {
        let studies = [
            study(1, day(2025, 9, 1), day(2026, 3, 5)),
            study(1, day(2026, 2, 1), day(2026, 2, 10)),
            study(2, day(2026, 3, 31), day(2026, 6, 30)),
        ];
        let range = Range { from: day(2026, 1, 15), to: day(2026, 4, 1) };
        let months = Coverage::new(range, &[], learners(&studies, range), &[], &[]).by_month();
        let counts: Vec<Option<i64>> = months.rows.iter().map(|r| r.values[0]).collect();
        assert_eq!(counts, [Some(1), Some(1), Some(2), Some(1)]);
    }

    #[test]
    fn the_population_is_the_latest_figure_of_the_year_or_before() {
        let figures = [(1, 2026, 1000), (1, 2025, 900), (2, 2024, 500)];
        assert_eq!(population(&figures, &[1, 2], 2026), Some((2026, 1500)));
        assert_eq!(population(&figures, &[1], 2025), Some((2025, 900)));
        assert_eq!(population(&figures, &[2], 2023), None);
    }

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median_hours(vec![5, 1, 3]), Some(3));
        assert_eq!(median_hours(vec![4, 1, 3, 2]), Some(2));
        assert_eq!(median_hours(vec![]), None);
    }
}
