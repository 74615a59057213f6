//! What the catalog pages share: a program in a list, the pager, and how
//! prices, ages, ratings and phones are written.

use std::cell::RefCell;

use leptos::prelude::*;
use navigator_shared::catalog::{CostType, ProgramSummary, effective_cost};

thread_local! {
    /// The catalog address with the visitor's last filters, for the links back to it.
    static LAST_CATALOG: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Remembers the catalog address (with its query) the visitor last saw.
pub fn remember_catalog(href: String) {
    LAST_CATALOG.with(|last| *last.borrow_mut() = Some(href));
}

/// The link back to the catalog: to the visitor's last search when there was one.
#[component]
pub fn BackToCatalog() -> impl IntoView {
    let last = LAST_CATALOG.with(|last| last.borrow().clone());
    let text = if last.is_some() {
        "← К результатам поиска"
    } else {
        "← Каталог программ"
    };
    view! {
        <p class="back-link">
            <a id="back-to-catalog" href=last.unwrap_or_else(|| "/catalog".to_owned())>
                {text}
            </a>
        </p>
    }
}

/// A query value as it goes into a URL.
pub fn encode(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}

pub use navigator_shared::money::rubles;

/// The Russian word after a number: `forms` = (1 год, 2 года, 5 лет).
pub fn plural(n: i64, forms: (&'static str, &'static str, &'static str)) -> &'static str {
    let n = n.abs();
    match (n % 10, n % 100) {
        (1, m) if m != 11 => forms.0,
        (2..=4, m) if !(12..=14).contains(&m) => forms.1,
        _ => forms.2,
    }
}

const YEARS: (&str, &str, &str) = ("год", "года", "лет");

/// `7–12 лет`, `5 лет`.
pub fn ages(min: i32, max: i32) -> String {
    let word = plural(i64::from(max), YEARS);
    if min == max { format!("{max} {word}") } else { format!("{min}–{max} {word}") }
}

/// `4,5`.
pub fn rating_text(rating: f64) -> String {
    format!("{rating:.1}").replace('.', ",")
}

/// `12 отзывов`.
pub fn reviews_count(n: i64) -> String {
    format!("{n} {}", plural(n, ("отзыв", "отзыва", "отзывов")))
}

/// What a family pays, as a list shows it: «Бесплатно», «от 1 500 ₽», «Платно».
pub fn price_text(program: &ProgramSummary) -> String {
    match effective_cost(program.cost_type, program.certified) {
        CostType::Free => "Бесплатно".to_owned(),
        _ => match program.price_from {
            Some(0) => "Бесплатно".to_owned(),
            Some(kopecks) => format!("от {}", rubles(kopecks)),
            None => "Платно".to_owned(),
        },
    }
}

/// `+7 (481) 230-00-00` for a Russian number, the text as given otherwise.
pub fn phone_text(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    match (phone.trim_start().starts_with("+7"), digits.len()) {
        (true, 11) => format!("+7 ({}) {}-{}-{}", &digits[1..4], &digits[4..7], &digits[7..9], &digits[9..11]),
        _ => phone.to_owned(),
    }
}

/// `tel:` link of a phone number.
pub fn phone_href(phone: &str) -> String {
    let number: String = phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
    format!("tel:{number}")
}

/// One program in a list: `<article class="program-item" data-program-id>` whose title links to the card.
#[component]
pub fn ProgramItem(
    program: ProgramSummary,
    /// Level of the title heading: 2 in the catalog, 3 under a section heading.
    #[prop(default = 2)]
    heading: u8,
    /// Show the organization's name (not on the organization's own page).
    #[prop(default = true)]
    show_organization: bool,
) -> impl IntoView {
    let id = program.id;
    let href = format!("/programs/{id}");
    let title = program.title.clone();
    let link = view! {
        <a class="program-link" href=href>
            {title}
        </a>
    };
    let heading =
        if heading == 3 { view! { <h3>{link}</h3> }.into_any() } else { view! { <h2>{link}</h2> }.into_any() };
    let certified = effective_cost(program.cost_type, program.certified) == CostType::Certificate;
    let price = price_text(&program);
    let count = program.reviews_count;
    let rating = program.rating.map(|rating| {
        let text = rating_text(rating);
        view! {
            <span
                class="program-rating"
                role="img"
                aria-label=format!("Рейтинг {text} из 5, {}", reviews_count(count))
            >
                "★ "
                {text.clone()}
                " "
                <span class="program-reviews-count">{format!("({count})")}</span>
            </span>
        }
    });
    let applications = (program.applications_count > 0).then(|| {
        let n = program.applications_count;
        view! {
            <span class="program-applications">
                {format!("{n} {}", plural(n, ("заявка", "заявки", "заявок")))}
            </span>
        }
    });
    view! {
        <article class="program-item" data-program-id=id.to_string()>
            {heading}
            {show_organization.then(|| view! { <p class="program-org">{program.organization.name.clone()}</p> })}
            <ul class="program-facts">
                <li class="program-direction">{program.direction.title()}</li>
                <li class="program-ages">{ages(program.age_min, program.age_max)}</li>
                <li class="program-price">{price}</li>
            </ul>
            <div class="badges">
                {certified.then(|| view! { <span class="badge badge-certified">"Оплата сертификатом"</span> })}
                {program.open.then(|| view! { <span class="badge badge-open">"Есть набор"</span> })}
                {program
                    .disability_friendly
                    .then(|| view! { <span class="badge badge-ovz">"Подходит детям с ОВЗ"</span> })}
            </div>
            <p class="program-meta">
                {rating}
                {applications}
                <span class="program-address">{program.address.clone()}</span>
            </p>
        </article>
    }
}

/// The loading line of a page or list.
#[component]
pub fn Loading(#[prop(default = "Загрузка…")] text: &'static str) -> impl IntoView {
    view! {
        <p class="loading" role="status">
            {text}
        </p>
    }
}

/// Sets the tab's title while the page is shown.
pub fn page_title(title: &str) {
    let doc = document();
    let previous = doc.title();
    doc.set_title(&format!("{title} — {}", crate::app::SITE_NAME));
    on_cleanup(move || document().set_title(&previous));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_and_review_counts_read_in_russian() {
        assert_eq!(rating_text(4.5), "4,5");
        assert_eq!(rating_text(4.0), "4,0");
        assert_eq!(reviews_count(1), "1 отзыв");
        assert_eq!(reviews_count(3), "3 отзыва");
        assert_eq!(reviews_count(12), "12 отзывов");
        assert_eq!(reviews_count(21), "21 отзыв");
    }
}
