//! A webhook receiver for the benchmarks: a real HTTP server in the bench
//! process that answers 200 to every delivery, after checking what a real
//! receiver checks: the `Navigator-Signature` verifies with the
//! subscription's secret, and the `Navigator-Event-Id` header is the body's
//! `id`. It counts events (by id), repeats, bad signatures, and the moments
//! of the first and the last delivery.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use actix_web::{HttpRequest, HttpResponse, web};
use navigator_api::webhooks::{EVENT_ID_HEADER, SIGNATURE_HEADER, verify};

/// What arrived so far.
#[derive(Debug, Default, Clone)]
pub struct Inbox {
    /// Event ids, each once.
    pub ids: HashSet<String>,
    /// Each event's `data`, in the order of arrival (one per id).
    pub data: Vec<serde_json::Value>,
    /// Deliveries of an id that had already arrived.
    pub repeats: usize,
    /// Deliveries whose signature did not verify.
    pub bad_signatures: usize,
    /// Deliveries whose header id is not the body's id, or whose body is not an event.
    pub malformed: usize,
    pub first: Option<Instant>,
    pub last: Option<Instant>,
}

impl Inbox {
    /// Every request that arrived.
    pub fn deliveries(&self) -> usize {
        self.ids.len() + self.repeats + self.malformed
    }
}

#[derive(Default)]
struct Shared {
    secret: OnceLock<String>,
    inbox: Mutex<Inbox>,
}

pub struct Receiver {
    /// Where the webhooks go (`http://127.0.0.1:<port>/navigator/events`).
    pub url: String,
    shared: Arc<Shared>,
    handle: actix_web::dev::ServerHandle,
}

impl Receiver {
    /// Starts the server on a free local port, with `workers` threads.
    pub async fn start(workers: usize) -> Self {
        let shared = Arc::new(Shared::default());
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/navigator/events", listener.local_addr().unwrap());
        let kept = shared.clone();
        let server = actix_web::HttpServer::new(move || {
            actix_web::App::new()
                .app_data(web::Data::from(kept.clone()))
                .route("/navigator/events", web::post().to(receive))
        })
        .workers(workers)
        .backlog(4096)
        .listen(listener)
        .unwrap()
        .run();
        let handle = server.handle();
        tokio::spawn(server);
        Self { url, shared, handle }
    }

    /// The subscription's signing secret (`whsec_…`): set once, before events come.
    pub fn set_secret(&self, secret: &str) {
        self.shared.secret.set(secret.to_owned()).expect("the secret is set once");
    }

    pub fn inbox(&self) -> Inbox {
        self.shared.inbox.lock().unwrap().clone()
    }

    /// How many distinct events arrived.
    pub fn events(&self) -> usize {
        self.shared.inbox.lock().unwrap().ids.len()
    }

    /// Waits until `count` distinct events arrived, at most `limit`; whether they did.
    pub async fn wait_for(&self, count: usize, limit: Duration) -> bool {
        let started = Instant::now();
        while self.events() < count {
            if started.elapsed() > limit {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        true
    }

    pub async fn stop(&self) {
        self.handle.stop(true).await;
    }
}

async fn receive(shared: web::Data<Shared>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let at = Instant::now();
    let signed = shared.secret.get().is_some_and(|secret| verify(secret, header(&req, SIGNATURE_HEADER), &body));
    let event: Option<serde_json::Value> = serde_json::from_slice(&body).ok();
    let id = header(&req, EVENT_ID_HEADER).to_owned();
    let mut inbox = shared.inbox.lock().unwrap();
    inbox.first.get_or_insert(at);
    inbox.last = Some(at);
    if !signed {
        inbox.bad_signatures += 1;
    }
    match event {
        Some(mut event) if !id.is_empty() && event["id"] == id.as_str() => {
            if inbox.ids.insert(id) {
                inbox.data.push(event["data"].take());
            } else {
                inbox.repeats += 1;
            }
        }
        _ => inbox.malformed += 1,
    }
    HttpResponse::Ok().body("ok")
}

fn header<'a>(req: &'a HttpRequest, name: &str) -> &'a str {
    req.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}
