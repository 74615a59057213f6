//! Navigator browser client: mounts the app into `<body>`, in place of the
//! static skeleton `index.html` shows while the wasm loads.

mod api;
mod app;
mod components;
mod dates;
mod pages;

fn main() {
    console_error_panic_hook::set_once();
    // The static skeleton of `index.html` gives way to the app in the same
    // task, so nothing flashes between the two.
    if let Some(skeleton) = leptos::prelude::document().get_element_by_id("boot") {
        skeleton.remove();
    }
    leptos::mount::mount_to_body(app::App);
}
