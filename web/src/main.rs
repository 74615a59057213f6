//! Navigator browser client: mounts the app into `<body>`.

mod api;
mod app;
mod components;
mod dates;
mod pages;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
