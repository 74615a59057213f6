//! Encryption of personal data at rest (passport and document numbers):
//! XChaCha20-Poly1305 with a key derived from `DATA_KEY`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};

use crate::config::Secret;

#[derive(Clone)]
pub struct DataCipher {
    cipher: XChaCha20Poly1305,
    lookup_key: [u8; 32],
}

impl DataCipher {
    pub fn new(key: &Secret) -> Self {
        // The configured key may be any length; the cipher key is its hash.
        let cipher_key = Sha256::new().chain_update(b"navigator data key v1").chain_update(key.expose()).finalize();
        let lookup_key =
            Sha256::new().chain_update(b"navigator lookup key v1").chain_update(key.expose()).finalize().into();
        Self { cipher: XChaCha20Poly1305::new(&cipher_key), lookup_key }
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

    /// `v1:` + base64(nonce ‖ ciphertext).
    pub fn encrypt(&self, plaintext: &str) -> anyhow::Result<String> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let mut sealed = nonce.to_vec();
        sealed.extend(
            self.cipher.encrypt(&nonce, plaintext.as_bytes()).map_err(|_| anyhow::anyhow!("encryption failed"))?,
        );
        Ok(format!("v1:{}", STANDARD.encode(sealed)))
    }

    pub fn decrypt(&self, stored: &str) -> anyhow::Result<String> {
        let sealed = stored.strip_prefix("v1:").ok_or_else(|| anyhow::anyhow!("unknown ciphertext version"))?;
        let sealed = STANDARD.decode(sealed)?;
        if sealed.len() < 24 {
            anyhow::bail!("ciphertext too short");
        }
        let (nonce, ciphertext) = sealed.split_at(24);
        let plain = self
            .cipher
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

/// HMAC takes keys of any length; this cannot happen.
#[allow(clippy::panic)]
fn unreachable_key() -> ! {
    panic!("HMAC refused a 32-byte key")
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

    /// Stored ciphertexts and lookup hashes must stay readable: these were
    /// computed outside this code from the documented derivation
    /// (SHA-256 of the label and `DATA_KEY`).
    #[test]
    fn keys_are_derived_as_stored_data_expects() -> anyhow::Result<()> {
        let cipher = DataCipher::new(&Secret::new(b"key one".to_vec()));
        assert_eq!(
            cipher.lookup_hash("11223344595"),
            "fd1aa7a21ab7d8b82e6e766756fef4b10096c74ffaf2332622c638cbf1b495a0"
        );
        assert_eq!(cipher.decrypt("v1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYX/qqlTnmnNitS0ghp4T4ORNPrZYYHrg==")?, "660412");
        Ok(())
    }
}
