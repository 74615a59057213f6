//! Headers every answer carries: what the browser may load and run (a
//! Content-Security-Policy with the hashes of the web client's inline
//! scripts, nothing else inline), HTTPS only once it is in use (HSTS), and
//! personal data never kept in a cache.

use std::path::Path;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// `Content-Security-Policy` for the web client and Swagger UI: scripts only
/// from this origin, the inline bootstrap of `index.html` by its hash, and
/// WebAssembly; images also from the map's tile server.
pub fn content_security_policy(web_dist: &Path, tile_url: &str) -> String {
    let index = std::fs::read_to_string(web_dist.join("index.html")).unwrap_or_default();
    let hashes: String = inline_scripts(&index)
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(" 'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
        })
        .collect();
    let tiles = tile_origin(tile_url).map(|origin| format!(" {origin}")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: blob:{tiles}; font-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The bodies of `<script>` elements without `src`.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attributes, after) = rest.split_once('>')?;
        let (body, _) = after.split_once("</script>")?;
        (!attributes.contains("src=")).then_some(body)
    })
}

/// `https://tile.example.ru` of `https://tile.example.ru/{z}/{x}/{y}.png`
/// (`{s}` subdomains become `*`).
fn tile_origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next().filter(|h| !h.is_empty())?;
    Some(format!("{scheme}://{}", host.replace("{s}", "*")))
}

/// `Strict-Transport-Security` once the public address is https.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

/// Answers about a signed-in person (any request with a token, the profile,
/// sign-in) are never stored by a browser or a proxy.
pub async fn no_store_for_personal_data(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let path = req.path();
    let personal = req.headers().contains_key(header::AUTHORIZATION)
        || req.headers().contains_key(header::COOKIE) && path.starts_with("/api/")
        || path.starts_with("/api/v1/auth/")
        || path.starts_with("/api/v1/me");
    let mut response = next.call(req).await?;
    if personal {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed_and_sources_are_not() {
        let html = r#"<script defer src="/leaflet/leaflet.js"></script><script type="module">import init from '/x.js';init();</script>"#;
        assert_eq!(inline_scripts(html).collect::<Vec<_>>(), ["import init from '/x.js';init();"]);
        assert_eq!(
            tile_origin("https://{s}.tile.example.ru/{z}/{x}/{y}.png").as_deref(),
            Some("https://*.tile.example.ru")
        );
        assert_eq!(tile_origin(""), None);
    }
}
