use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="card">
            <h1>"Страница не найдена"</h1>
            <p>"Возможно, ссылка устарела или в адресе опечатка."</p>
            <p>
                <a class="button" href="/">
                    "На главную"
                </a>
            </p>
        </section>
    }
}
