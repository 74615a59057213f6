//! The migrations are embedded at compile time (`db::migrate`); a new
//! migration folder must rebuild the server, or it would start without it
//! (diesel_migrations' advice for `embed_migrations!`).

fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
