//! Password hashing with argon2id, always on the blocking thread pool so that
//! a burst of sign-ins never stalls the request threads.

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Params, Version};
use navigator_shared::validate::Password;

use crate::config::PasswordCost;

#[derive(Clone)]
pub struct Passwords {
    params: Params,
    /// A hash of a random password, verified against when the account does not
    /// exist, so that the answer takes as long as for a real account.
    dummy_hash: String,
}

impl Passwords {
    pub fn new(cost: PasswordCost) -> anyhow::Result<Self> {
        let params = Params::new(cost.memory_kib, cost.iterations, cost.parallelism, None)
            .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
        let mut this = Self { params, dummy_hash: String::new() };
        this.dummy_hash = this.hash_now("a password nobody has")?;
        Ok(this)
    }

    fn argon(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    fn hash_now(&self, password: &str) -> anyhow::Result<String> {
        let salt = SaltString::generate(&mut OsRng);
        self.argon()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    }

    fn verify_now(&self, password: &str, hash: Option<&str>) -> bool {
        let stored = hash.unwrap_or(&self.dummy_hash);
        let Ok(parsed) = PasswordHash::new(stored) else {
            return false;
        };
        // Hashes made with other parameters still verify: they are in the string.
        let ok = self.argon().verify_password(password.as_bytes(), &parsed).is_ok();
        ok && hash.is_some()
    }

    pub async fn hash(&self, password: &Password) -> anyhow::Result<String> {
        let this = self.clone();
        let password = password.expose().to_owned();
        actix_web::web::block(move || this.hash_now(&password)).await?
    }

    /// `true` when `password` matches `hash`; with no hash (unknown account)
    /// it spends the same time and answers `false`.
    pub async fn verify(&self, password: &str, hash: Option<String>) -> anyhow::Result<bool> {
        let this = self.clone();
        let password = password.to_owned();
        Ok(actix_web::web::block(move || this.verify_now(&password, hash.as_deref())).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_only_the_right_password() -> anyhow::Result<()> {
        let passwords = Passwords::new(PasswordCost { memory_kib: 1024, iterations: 1, parallelism: 1 })?;
        let hash = passwords.hash_now("correct horse battery")?;
        assert!(hash.starts_with("$argon2id$"));
        assert!(passwords.verify_now("correct horse battery", Some(&hash)));
        assert!(!passwords.verify_now("wrong horse battery", Some(&hash)));
        assert!(!passwords.verify_now("a password nobody has", None));
        Ok(())
    }
}

/// The least zxcvbn score accepted: «safely unguessable», 10^10 guesses and more.
const MIN_SCORE: u8 = 3;

/// Refuses a password that is common or can be guessed from the person's own
/// data (`context`: the email, names). Length alone lets `passwordpass` and
/// `123456789012` through; an estimate of the guesses does not.
pub fn check_strength(password: &Password, context: &[&str]) -> Result<(), String> {
    let whole = context.iter().flat_map(|text| [*text, text.split('@').next().unwrap_or_default()]);
    let words: Vec<String> = context
        .iter()
        .flat_map(|text| text.split(|c: char| !c.is_alphanumeric()))
        .chain(whole)
        .filter(|word| word.chars().count() >= 3)
        .map(str::to_lowercase)
        .collect();
    let inputs: Vec<&str> = words.iter().map(String::as_str).chain(["navigator", "навигатор"]).collect();
    let score = zxcvbn::zxcvbn(password.expose(), &inputs).score() as u8;
    if score >= MIN_SCORE {
        Ok(())
    } else {
        Err("Пароль слишком простой или угадывается по вашим данным: возьмите три-четыре случайных слова \
             или добавьте к фразе цифры и знаки"
            .into())
    }
}

#[cfg(test)]
mod strength_tests {
    use super::*;

    fn check(raw: &str, context: &[&str]) -> bool {
        check_strength(&Password::parse(raw).unwrap_or_else(|e| panic!("{raw}: {e}")), context).is_ok()
    }

    #[test]
    fn common_and_personal_passwords_are_refused() {
        for weak in ["passwordpass", "123456789012", "qwertyuiop12", "navigator-demo", "111111111111"] {
            assert!(!check(weak, &[]), "{weak}");
        }
        assert!(!check("ivanova.maria", &["ivanova.maria@example.org", "Иванова", "Мария"]), "the email itself");
        for strong in [
            "correct horse battery",
            "a brand new password",
            "Смоленск-лодка-7-вечер",
            "first password 2026",
            "second password 2026",
            "staff password 2026",
            "some password here",
            "staff password 12",
            "my own password 1",
        ] {
            assert!(check(strong, &["mama@example.org"]), "{strong}");
        }
    }
}
