//! Serves the built web client at `/`; client-side routes fall back to
//! `index.html`, unknown API paths get a problem answer.
//!
//! `make web` writes a brotli (`X.br`) and a gzip (`X.gz`) copy next to
//! each text file of the client (`scripts/compress-web.sh`). A browser that
//! accepts brotli gets the `.br` copy, one that accepts only gzip the `.gz`
//! copy, any other the file itself; every answer of a file with copies says
//! `Vary: Accept-Encoding`. A range is always cut from the file itself.
//! The bundles carry a hash of their content in their name or their folder's
//! and are cached for a year; `index.html` and the unhashed files are revalidated on each
//! load (`no-cache`), so a new release is picked up at once.

use std::path::{Path, PathBuf};
use std::rc::Rc;

use actix_files::{Files, NamedFile};
use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::http::header::{AcceptEncoding, CACHE_CONTROL, ContentEncoding, Encoding, HeaderValue, RANGE, VARY};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::{Next, from_fn};
use actix_web::{HttpMessage, HttpResponse, ResponseError, web};

use crate::error::ApiError;

/// How long a browser keeps a bundle whose name carries its hash.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

pub fn configure(cfg: &mut web::ServiceConfig, dist: &Path) {
    let index = dist.join("index.html");
    if !index.exists() {
        tracing::warn!(dist = %dist.display(), "the web client is not built; `/` shows a placeholder");
    }
    let fallback_index = index.clone();
    let files = Files::new("/", dist).index_file("index.html").use_etag(true).default_handler(fn_service(
        move |req: ServiceRequest| {
            let index = fallback_index.clone();
            async move {
                let (req, _) = req.into_parts();
                let response = fallback(&req, &index).await;
                Ok(ServiceResponse::new(req, response))
            }
        },
    ));
    let dist: Rc<Path> = Rc::from(dist);
    cfg.service(
        web::scope("")
            .wrap(from_fn(move |req: ServiceRequest, next: Next<BoxBody>| serve(Rc::clone(&dist), req, next)))
            .service(files),
    );
}

/// Answers a file of the client from its compressed copy when the browser
/// accepts one, and puts the caching headers on every answer of a file.
async fn serve(
    dist: Rc<Path>,
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(asset) = asset_of(&dist, req.path()) else { return next.call(req).await };
    let file = dist.join(&asset);
    let copies = [(Encoding::brotli(), "br"), (Encoding::gzip(), "gz")]
        .into_iter()
        .map(|(encoding, extension)| (encoding, sibling(&file, extension)))
        .filter(|(_, path)| path.is_file())
        .collect::<Vec<_>>();
    let compressed = if matches!(*req.method(), Method::GET | Method::HEAD) && !req.headers().contains_key(RANGE) {
        chosen(req.get_header::<AcceptEncoding>(), &copies)
    } else {
        None
    };
    let mut response = match compressed {
        Some((encoding, path)) => {
            let (http, _) = req.into_parts();
            let answer = match NamedFile::open_async(&path).await {
                Ok(named) => named
                    .set_content_type(actix_files::file_extension_to_mime(extension_of(&asset)))
                    .prefer_utf8(true)
                    .disable_content_disposition()
                    .set_content_encoding(encoding)
                    .use_etag(true)
                    .use_last_modified(true)
                    .into_response(&http),
                // The copy went away between the look and the open (a new build).
                Err(_) => HttpResponse::ServiceUnavailable().insert_header(("Retry-After", "1")).finish(),
            };
            ServiceResponse::new(http, answer)
        }
        None => next.call(req).await?,
    };
    let status = response.status();
    if status.is_success() || status == StatusCode::NOT_MODIFIED {
        let headers = response.headers_mut();
        let cache = if is_hashed(&asset) { IMMUTABLE } else { "no-cache" };
        headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
        if !copies.is_empty() {
            headers.insert(VARY, HeaderValue::from_static("Accept-Encoding"));
        }
    }
    Ok(response)
}

/// The file of `dist` that answers `path`: the file itself, or `index.html`
/// for `/` and the client's routes. `None` for the API and for a missing
/// file (the fallback answers those).
fn asset_of(dist: &Path, path: &str) -> Option<String> {
    if path == "/api" || path.starts_with("/api/") {
        return None;
    }
    let relative = path.trim_start_matches('/');
    if relative.is_empty() {
        return Some("index.html".to_owned());
    }
    // Only plain names (no `..`, no hidden files, nothing escaped): the
    // client's files and routes have no others.
    let plain = relative.split('/').all(|part| {
        !part.is_empty()
            && !part.starts_with('.')
            && part.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    });
    if !plain {
        return None;
    }
    if dist.join(relative).is_file() {
        return Some(relative.to_owned());
    }
    let last = relative.rsplit('/').next().unwrap_or_default();
    (!last.contains('.')).then(|| "index.html".to_owned())
}

/// `file` with `.extension` added: `app.wasm` → `app.wasm.br`.
fn sibling(file: &Path, extension: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(extension);
    PathBuf::from(name)
}

fn extension_of(asset: &str) -> &str {
    asset.rsplit_once('.').map(|(_, extension)| extension).unwrap_or_default()
}

/// The copy to send for the request's `Accept-Encoding`: brotli before gzip
/// at equal weight; `None` for the file itself (no header, `identity`, or
/// nothing the browser accepts is there).
fn chosen(accept: Option<AcceptEncoding>, copies: &[(Encoding, PathBuf)]) -> Option<(ContentEncoding, PathBuf)> {
    let accept = accept?;
    let offered =
        std::iter::once(Encoding::identity()).chain(copies.iter().map(|(e, _)| e.clone())).collect::<Vec<_>>();
    let encoding = accept.negotiate(offered.iter())?;
    let content = match &encoding {
        e if *e == Encoding::brotli() => ContentEncoding::Brotli,
        e if *e == Encoding::gzip() => ContentEncoding::Gzip,
        _ => return None,
    };
    copies.iter().find(|(e, _)| *e == encoding).map(|(_, path)| (content, path.clone()))
}

/// Whether the file, or the folder it lies in, is named by its content:
/// trunk's `style-0a1b2c3d4e5f6071.css`, the client's chunks in
/// `app-1f2e3d4c5b6a7988/` (scripts/build-wasm.sh).
fn is_hashed(asset: &str) -> bool {
    asset.split('/').any(|name| {
        let stem = name.split('.').next().unwrap_or(name);
        let stem = stem.strip_suffix("_bg").unwrap_or(stem);
        stem.rsplit_once('-').is_some_and(|(_, hash)| hash.len() >= 12 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
    })
}

async fn fallback(req: &actix_web::HttpRequest, index: &Path) -> HttpResponse {
    let path = req.path();
    if path.starts_with("/api/") || path == "/api" {
        return ApiError::NotFound {
            detail: "Такого адреса в API нет. Список адресов: /api/docs"
        }
        .error_response();
    }
    // A missing file (`/favicon.ico`, an old bundle) is not a page of the client.
    if path.rsplit('/').next().is_some_and(|last| last.contains('.')) {
        return HttpResponse::NotFound().content_type("text/plain; charset=utf-8").body("Файл не найден");
    }
    match NamedFile::open_async(index).await {
        Ok(file) => {
            let mut response = file.into_response(req);
            // The shell must be revalidated so a new release is picked up at once.
            response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            response
        }
        Err(_) => HttpResponse::Ok().content_type("text/html; charset=utf-8").body(
            "<!doctype html><html lang=\"ru\"><meta charset=\"utf-8\"><title>Навигатор</title>\
             <p>Веб-интерфейс не собран: выполните <code>make run</code>. API работает: <a href=\"/api/docs\">/api/docs</a></p></html>",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundles_are_told_by_their_hash() {
        assert!(is_hashed("navigator-web-1f2e3d4c5b6a7988_bg.wasm"));
        assert!(is_hashed("navigator-web-1f2e3d4c5b6a7988.js"));
        assert!(is_hashed("style-0a1b2c3d4e5f6071.css"));
        assert!(is_hashed("app-1f2e3d4c5b6a7988/navigator-web_bg.wasm"));
        assert!(is_hashed("app-1f2e3d4c5b6a7988/split_staff_page_77.wasm"));
        assert!(!is_hashed("app/split_staff_page_77.wasm"));
        assert!(!is_hashed("index.html"));
        assert!(!is_hashed("leaflet/leaflet.js"));
        assert!(!is_hashed("leaflet/leaflet-src.js"));
        assert!(!is_hashed("favicon.svg"));
    }

    #[test]
    fn brotli_is_preferred_and_weights_are_heard() {
        let copies = [(Encoding::brotli(), PathBuf::from("a.br")), (Encoding::gzip(), PathBuf::from("a.gz"))];
        let pick = |header: &str| {
            let req =
                actix_web::test::TestRequest::default().insert_header(("accept-encoding", header)).to_http_request();
            chosen(req.get_header::<AcceptEncoding>(), &copies).map(|(encoding, _)| encoding)
        };
        assert_eq!(pick("gzip, deflate, br, zstd"), Some(ContentEncoding::Brotli));
        assert_eq!(pick("gzip"), Some(ContentEncoding::Gzip));
        assert_eq!(pick("br;q=0, gzip"), Some(ContentEncoding::Gzip));
        assert_eq!(pick("identity"), None);
        assert_eq!(pick("deflate"), None);
        assert_eq!(chosen(None, &copies), None);
        assert_eq!(pick("br"), Some(ContentEncoding::Brotli));
        let only_gzip = [(Encoding::gzip(), PathBuf::from("a.gz"))];
        assert_eq!(chosen(None, &only_gzip), None);
    }

    #[test]
    fn only_plain_names_are_files_and_routes_are_the_shell() {
        let dist = Path::new("/nonexistent-dist");
        assert_eq!(asset_of(dist, "/").as_deref(), Some("index.html"));
        assert_eq!(asset_of(dist, "/catalog").as_deref(), Some("index.html"));
        assert_eq!(asset_of(dist, "/programs/12").as_deref(), Some("index.html"));
        assert_eq!(asset_of(dist, "/favicon.ico"), None);
        assert_eq!(asset_of(dist, "/../etc/passwd"), None);
        assert_eq!(asset_of(dist, "/.env"), None);
        assert_eq!(asset_of(dist, "/api/v1/region"), None);
    }
}
