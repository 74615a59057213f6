//! Serves the built web client at `/`; client-side routes fall back to
//! `index.html`, unknown API paths get a problem answer.

use std::path::Path;

use actix_files::{Files, NamedFile};
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::http::header::{CACHE_CONTROL, HeaderValue};
use actix_web::{HttpResponse, ResponseError, web};

use crate::error::ApiError;

pub fn configure(cfg: &mut web::ServiceConfig, dist: &Path) {
    let index = dist.join("index.html");
    if !index.exists() {
        tracing::warn!(dist = %dist.display(), "the web client is not built; `/` shows a placeholder");
    }
    let fallback_index = index.clone();
    cfg.service(Files::new("/", dist).index_file("index.html").use_etag(true).default_handler(fn_service(
        move |req: ServiceRequest| {
            let index = fallback_index.clone();
            async move {
                let (req, _) = req.into_parts();
                let response = fallback(&req, &index).await;
                Ok(ServiceResponse::new(req, response))
            }
        },
    )));
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
