//! Access tokens (JWT, HS256, short-lived) and opaque one-time tokens
//! (refresh tokens, emailed links), which are stored only as SHA-256 hashes.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use navigator_shared::accounts::Role;
use navigator_shared::integrations::ClientScope;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::Secret;

const ISSUER: &str = "navigator";
const AUDIENCE: &str = "navigator-api";
/// Integrators' tokens are for another audience: a user's token is never an
/// integrator's, nor the other way round.
const CLIENT_AUDIENCE: &str = "navigator-integrations";

/// Id of one sign-in: the family of its refresh tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionId([u8; 16]);

impl SessionId {
    pub fn random() -> Self {
        let mut bytes = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut bytes);
        Self(bytes)
    }

    pub fn parse(text: &str) -> Option<Self> {
        let bytes = hex::decode(text).ok()?;
        Some(Self(bytes.try_into().ok()?))
    }

    pub fn to_hex(self) -> String {
        hex::encode(self.0)
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    role: String,
    sid: String,
    /// The sign-in may only set up the second factor (an admin without it, in production).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    setup: bool,
    iss: String,
    aud: String,
    iat: i64,
    exp: i64,
}

/// What a valid access token says.
#[derive(Debug, Clone, Copy)]
pub struct AccessClaims {
    pub user_id: i64,
    pub role: Role,
    pub session: Option<SessionId>,
    /// The sign-in reaches only the profile and the second factor's set-up
    /// (see [`crate::accounts::second_factor`]).
    pub setup_only: bool,
}

#[derive(Debug, Serialize, Deserialize)]
struct ClientTokenClaims {
    sub: String,
    scope: String,
    /// The client's secret version the token was issued under.
    ver: i32,
    iss: String,
    aud: String,
    iat: i64,
    exp: i64,
}

/// What a valid integrator's token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientClaims {
    /// The client's row id.
    pub client: i64,
    pub scopes: Vec<ClientScope>,
    pub secret_version: i32,
}

pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    client_validation: Validation,
    pub access_ttl: Duration,
}

impl TokenKeys {
    pub fn new(secret: &Secret, access_ttl: Duration) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 30;
        let mut client_validation = validation.clone();
        client_validation.set_audience(&[CLIENT_AUDIENCE]);
        Self {
            encoding: EncodingKey::from_secret(secret.expose()),
            decoding: DecodingKey::from_secret(secret.expose()),
            validation,
            client_validation,
            access_ttl,
        }
    }

    /// An integrator's access token for `ttl`.
    pub fn issue_client(&self, claims: &ClientClaims, ttl: Duration) -> anyhow::Result<String> {
        let now = chrono::Utc::now().timestamp();
        let scope: Vec<&str> = claims.scopes.iter().map(|s| s.as_str()).collect();
        let claims = ClientTokenClaims {
            sub: claims.client.to_string(),
            scope: scope.join(" "),
            ver: claims.secret_version,
            iss: ISSUER.into(),
            aud: CLIENT_AUDIENCE.into(),
            iat: now,
            exp: now + ttl.as_secs() as i64,
        };
        Ok(jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?)
    }

    /// The claims of a valid, unexpired integrator's token; `None` otherwise.
    pub fn verify_client(&self, token: &str) -> Option<ClientClaims> {
        let data = jsonwebtoken::decode::<ClientTokenClaims>(token, &self.decoding, &self.client_validation).ok()?;
        Some(ClientClaims {
            client: data.claims.sub.parse().ok()?,
            scopes: data.claims.scope.split(' ').filter_map(ClientScope::parse).collect(),
            secret_version: data.claims.ver,
        })
    }

    /// A user's access token; `setup_only`: it reaches only the second factor's set-up.
    pub fn issue_access(
        &self,
        user_id: i64,
        role: Role,
        session: SessionId,
        setup_only: bool,
    ) -> anyhow::Result<String> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user_id.to_string(),
            role: role.as_str().to_owned(),
            sid: session.to_hex(),
            setup: setup_only,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            iat: now,
            exp: now + self.access_ttl.as_secs() as i64,
        };
        Ok(jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?)
    }

    /// The claims of a valid, unexpired token of this issuer; `None` otherwise.
    pub fn verify_access(&self, token: &str) -> Option<AccessClaims> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).ok()?;
        Some(AccessClaims {
            user_id: data.claims.sub.parse().ok()?,
            role: Role::parse(&data.claims.role)?,
            session: SessionId::parse(&data.claims.sid),
            setup_only: data.claims.setup,
        })
    }
}

/// A fresh random token (256 bits, URL-safe) and its hash for storage.
pub fn opaque_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_token(&token);
    (token, hash)
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(secret: &[u8]) -> TokenKeys {
        TokenKeys::new(&Secret::new(secret.to_vec()), Duration::from_secs(60))
    }

    #[test]
    fn an_access_token_round_trips_and_rejects_other_keys() -> anyhow::Result<()> {
        let session = SessionId::random();
        let token = keys(b"one").issue_access(42, Role::Parent, session, false)?;
        let claims = keys(b"one").verify_access(&token).map(|c| (c.user_id, c.role, c.session, c.setup_only));
        assert_eq!(claims, Some((42, Role::Parent, Some(session), false)));
        let setup = keys(b"one").issue_access(42, Role::Admin, session, true)?;
        assert_eq!(keys(b"one").verify_access(&setup).map(|c| c.setup_only), Some(true));
        assert!(keys(b"two").verify_access(&token).is_none());
        assert!(keys(b"one").verify_access("garbage").is_none());
        Ok(())
    }

    #[test]
    fn client_and_user_tokens_are_not_interchangeable() -> anyhow::Result<()> {
        let keys = keys(b"one");
        let claims = ClientClaims { client: 3, scopes: vec![ClientScope::CatalogRead], secret_version: 2 };
        let token = keys.issue_client(&claims, Duration::from_secs(60))?;
        assert_eq!(keys.verify_client(&token), Some(claims));
        assert!(keys.verify_access(&token).is_none(), "an integrator's token is not a user's");
        let user = keys.issue_access(3, Role::Admin, SessionId::random(), false)?;
        assert!(keys.verify_client(&user).is_none(), "a user's token is not an integrator's");
        Ok(())
    }

    #[test]
    fn unsigned_tokens_are_refused() {
        // {"alg":"none"} with valid-looking claims must never pass.
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let body = URL_SAFE_NO_PAD.encode(
            br#"{"sub":"1","role":"admin","sid":"","iss":"navigator","aud":"navigator-api","iat":0,"exp":9999999999}"#,
        );
        assert!(keys(b"one").verify_access(&format!("{header}.{body}.")).is_none());
    }

    #[test]
    fn opaque_tokens_are_random_and_hashed() {
        let (a, hash_a) = opaque_token();
        let (b, _) = opaque_token();
        assert_ne!(a, b);
        assert_eq!(hash_token(&a), hash_a);
        assert_eq!(a.len(), 43);
    }
}
