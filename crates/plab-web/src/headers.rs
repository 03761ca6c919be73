//! Headers every response carries so a browser confines what the pages can do:
//! scripts and styles only from our own files (a note that slipped past the
//! escaping still cannot run), no framing by another site, no content sniffing,
//! no full URLs leaked to other origins, and nothing private left in a cache.
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Static assets hold nothing private; everything else (pages, API answers,
/// errors) may, so it is never stored by a browser or a proxy.
const PUBLIC_PREFIX: &str = "/static/";

pub async fn protect(request: Request, next: Next) -> Response {
    let cacheable = request.uri().path().starts_with(PUBLIC_PREFIX);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let always: [(HeaderName, &'static str); 4] = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
    ];
    for (name, value) in always {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if !cacheable {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
