//! One log line per request: method, route template, status and duration.
//! The route is the template (`/pairs/{pair}/notes`), never the path, so a
//! calendar or set-password secret in a URL never reaches the log; bodies
//! (notes, pulse answers, passwords) are never logged.
use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;

pub async fn requests(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned()).unwrap_or_default();
    let started = Instant::now();
    let response = next.run(req).await;
    let status = response.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if response.status().is_server_error() {
        tracing::warn!(%method, route, status, ms, "request failed");
    } else {
        tracing::info!(%method, route, status, ms, "request");
    }
    response
}
