//! Demo data for `make run`: the region, its municipalities and one account
//! per role, all with the password `navigator-demo`. Seeded only into an
//! empty database.

use diesel::prelude::*;
use navigator_shared::accounts::Role;
use navigator_shared::validate::{Email, Password};

use crate::AppState;
use crate::accounts::service::create_confirmed_account;
use crate::db::schema::users;
use crate::db::write_tx;
use crate::error::ApiError;
use crate::reference::repo as reference;

pub const PASSWORD: &str = "navigator-demo";
pub const REGION: &str = "Смоленская область";

pub const MUNICIPALITIES: [&str; 12] = [
    "город Смоленск",
    "город Десногорск",
    "Вяземский район",
    "Гагаринский район",
    "Демидовский район",
    "Дорогобужский район",
    "Починковский район",
    "Рославльский район",
    "Руднянский район",
    "Сафоновский район",
    "Смоленский район",
    "Ярцевский район",
];

/// (email, role, last name, first name, middle name, phone)
pub const ACCOUNTS: [(&str, Role, &str, &str, &str, &str); 3] = [
    ("parent@example.org", Role::Parent, "Иванова", "Мария", "Петровна", "+79101234567"),
    ("operator@example.org", Role::Operator, "Смирнов", "Алексей", "Игоревич", "+74812200000"),
    ("admin@example.org", Role::Admin, "Кузнецова", "Ольга", "Сергеевна", "+74812200001"),
];

/// Seeds the demo data when the database has no accounts yet; `true` when it did.
pub async fn seed_if_empty(state: &AppState) -> anyhow::Result<bool> {
    let password = Password::parse(PASSWORD).map_err(anyhow::Error::msg)?;
    let hash = state.passwords.hash(&password).await?;
    let seeded = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let accounts: i64 = users::table.count().get_result(conn)?;
                if accounts > 0 {
                    return Ok::<_, ApiError>(false);
                }
                reference::set_region_name(conn, REGION)?;
                let (existing, _) = reference::municipalities(conn, 1, 1)?;
                let mut first = existing.first().map(|m| m.id);
                if first.is_none() {
                    for name in MUNICIPALITIES {
                        let id = reference::add_municipality(conn, name)?;
                        first.get_or_insert(id);
                    }
                }
                for (email, role, last, first_name, middle, phone) in ACCOUNTS {
                    let email = Email::parse(email).map_err(anyhow::Error::msg)?;
                    create_confirmed_account(
                        conn,
                        &email,
                        &hash,
                        role,
                        (last, first_name, Some(middle)),
                        phone,
                        first,
                    )?;
                }
                Ok(true)
            })
        })
        .await
        .map_err(|e: ApiError| anyhow::anyhow!("seeding demo data: {e}"))?;
    if seeded {
        tracing::info!("demo data seeded: accounts {:?}, password {PASSWORD}", ACCOUNTS.map(|a| a.0));
    }
    Ok(seeded)
}
