//! Encryption of personal data at rest (passport and document numbers):
//! XChaCha20-Poly1305 with keys derived from `DATA_KEY` by HKDF-SHA256.
//!
//! Ciphertexts carry the version of their key: `v2:` (HKDF, written now) or
//! `v1:` (SHA-256 of a label and the key, written before; still read).
//! [`rekey`](crate::rekey) rewrites `v1` values and their lookup hashes at
//! start-up, so lookups only ever meet hashes of the current version.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use sha2::{Digest, Sha256};

use crate::config::Secret;

/// The prefix of values sealed with the current key.
pub const CURRENT: &str = "v2:";
/// The prefix of values sealed with the key of the first release.
pub const LEGACY: &str = "v1:";

#[derive(Clone)]
pub struct DataCipher {
    cipher: XChaCha20Poly1305,
    legacy: XChaCha20Poly1305,
    lookup_key: [u8; 32],
}

impl DataCipher {
    pub fn new(key: &Secret) -> Self {
        // The configured key may be any length; HKDF turns it into one key per use.
        let hkdf = Hkdf::<Sha256>::new(Some(b"navigator"), key.expose());
        let derive = |info: &[u8]| {
            let mut out = [0u8; 32];
            hkdf.expand(info, &mut out).unwrap_or_else(|_| unreachable_key());
            out
        };
        let legacy_key = Sha256::new().chain_update(b"navigator data key v1").chain_update(key.expose()).finalize();
        Self {
            cipher: XChaCha20Poly1305::new(&derive(b"data key v2").into()),
            legacy: XChaCha20Poly1305::new(&legacy_key),
            lookup_key: derive(b"lookup key v2"),
        }
    }

    /// Whether `stored` was sealed with an earlier key and should be rewritten.
    pub fn is_legacy(stored: &str) -> bool {
        stored.starts_with(LEGACY)
    }

    /// A keyed hash (HMAC-SHA256) for finding equal values without storing
    /// them: the same input always gives the same hash, and nobody without
    /// the key can test guesses against it.
    pub fn lookup_hash(&self, value: &str) -> String {
        use hmac::Mac;
        let mut mac =
            <hmac::Hmac<Sha256> as Mac>::new_from_slice(&self.lookup_key).unwrap_or_else(|_| unreachable_key());
        mac.update(value.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// `v2:` + base64(nonce ‖ ciphertext).
    pub fn encrypt(&self, plaintext: &str) -> anyhow::Result<String> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let mut sealed = nonce.to_vec();
        sealed.extend(
            self.cipher.encrypt(&nonce, plaintext.as_bytes()).map_err(|_| anyhow::anyhow!("encryption failed"))?,
        );
        Ok(format!("{CURRENT}{}", STANDARD.encode(sealed)))
    }

    pub fn decrypt(&self, stored: &str) -> anyhow::Result<String> {
        let (cipher, sealed) = match (stored.strip_prefix(CURRENT), stored.strip_prefix(LEGACY)) {
            (Some(sealed), _) => (&self.cipher, sealed),
            (None, Some(sealed)) => (&self.legacy, sealed),
            (None, None) => anyhow::bail!("unknown ciphertext version"),
        };
        let sealed = STANDARD.decode(sealed)?;
        if sealed.len() < 24 {
            anyhow::bail!("ciphertext too short");
        }
        let (nonce, ciphertext) = sealed.split_at(24);
        let plain = cipher
            .decrypt(XNonce::from_slice(nonce), ciphertext)
            .map_err(|_| anyhow::anyhow!("decryption failed: wrong DATA_KEY or damaged data"))?;
        Ok(String::from_utf8(plain)?)
    }

    pub fn encrypt_opt(&self, plaintext: Option<&str>) -> anyhow::Result<Option<String>> {
        plaintext.map(|p| self.encrypt(p)).transpose()
    }

    pub fn decrypt_opt(&self, stored: Option<&str>) -> anyhow::Result<Option<String>> {
        stored.map(|s| self.decrypt(s)).transpose()
    }
}

/// HMAC takes keys of any length and HKDF-SHA256 gives up to 8 160 bytes;
/// this cannot happen.
#[allow(clippy::panic)]
fn unreachable_key() -> ! {
    panic!("HMAC or HKDF refused a 32-byte key")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_round_trips_and_other_keys_fail() -> anyhow::Result<()> {
        let cipher = DataCipher::new(&Secret::new(b"key one".to_vec()));
        let sealed = cipher.encrypt("660412")?;
        assert!(!sealed.contains("660412"));
        assert_ne!(sealed, cipher.encrypt("660412")?, "each encryption uses a fresh nonce");
        assert_eq!(cipher.decrypt(&sealed)?, "660412");
        assert!(DataCipher::new(&Secret::new(b"key two".to_vec())).decrypt(&sealed).is_err());
        assert_eq!(cipher.lookup_hash("11223344595"), cipher.lookup_hash("11223344595"));
        assert_ne!(
            cipher.lookup_hash("11223344595"),
            DataCipher::new(&Secret::new(b"key two".to_vec())).lookup_hash("11223344595")
        );
        Ok(())
    }

    /// Stored ciphertexts must stay readable: the `v1` value was sealed
    /// outside this code with the documented first derivation (SHA-256 of
    /// the label and `DATA_KEY`); the `v2` keys are HKDF-SHA256 (salt
    /// `navigator`) as RFC 5869 defines, so any HKDF gives the same hash.
    #[test]
    fn keys_are_derived_as_stored_data_expects() -> anyhow::Result<()> {
        let cipher = DataCipher::new(&Secret::new(b"key one".to_vec()));
        assert_eq!(cipher.decrypt("v1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYX/qqlTnmnNitS0ghp4T4ORNPrZYYHrg==")?, "660412");
        assert!(DataCipher::is_legacy("v1:AAEC"));
        let sealed = cipher.encrypt("660412")?;
        assert!(sealed.starts_with("v2:") && !DataCipher::is_legacy(&sealed));
        assert_eq!(cipher.lookup_hash("11223344595"), LOOKUP_V2);
        Ok(())
    }

    const LOOKUP_V2: &str = "c15b50a3da54e822feaa013fd4d77f3abbbfd1aa4939da5bf0df61bf9b17ad94";
}
