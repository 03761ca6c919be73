//! A browser's view of the pages: forms, cookies, CSRF tokens.
use super::{App, PASSWORD};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub set_cookie: Option<String>,
    pub html: String,
}

pub async fn send(app: &App, method: &str, uri: &str, cookie: Option<&str>, form: Option<&str>) -> Page {
    let headers: &[(&str, &str)] =
        if form.is_some() { &[("content-type", "application/x-www-form-urlencoded")] } else { &[] };
    send_with(app, method, uri, cookie, headers, form.map(str::to_owned)).await
}

/// A request with these extra headers and body, as a browser would send it.
pub async fn send_with(
    app: &App,
    method: &str,
    uri: &str,
    cookie: Option<&str>,
    headers: &[(&str, &str)],
    body: Option<String>,
) -> Page {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let req = req.body(body.map_or_else(Body::empty, Body::from)).expect("request");
    let resp = app.router.clone().oneshot(req).await.expect("response");
    let header_text = |name| resp.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (status, location, set_cookie) =
        (resp.status(), header_text(header::LOCATION), header_text(header::SET_COOKIE));
    let html = String::from_utf8(resp.into_body().collect().await.expect("body").to_bytes().to_vec()).expect("utf-8");
    Page { status, location, set_cookie, html }
}

pub fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            format!(
                "{k}={}",
                v.bytes()
                    .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
                    .collect::<String>()
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

pub fn csrf_in(html: &str) -> String {
    html.split("name=\"csrf\" value=\"").nth(1).and_then(|r| r.split('"').next()).expect("csrf field").to_owned()
}

/// Opens a page that has no session yet; returns its pre-session cookie and CSRF token.
pub async fn pre_session(app: &App, uri: &str) -> (String, String) {
    let page = send(app, "GET", uri, None, None).await;
    let cookie = page.set_cookie.expect("a pre-session cookie").split(';').next().expect("cookie").to_owned();
    (cookie, csrf_in(&page.html))
}

/// Posts the sign-in form as a browser would.
pub async fn post_sign_in(app: &App, email: &str, password: &str) -> Page {
    let (cookie, csrf) = pre_session(app, "/").await;
    send(
        app,
        "POST",
        "/login",
        Some(&cookie),
        Some(&form(&[("csrf", &csrf), ("email", email), ("password", password)])),
    )
    .await
}

/// Signs in through the form; returns the cookie header and the page's CSRF token.
pub async fn sign_in(app: &App, email: &str) -> (String, String) {
    let page = post_sign_in(app, email, PASSWORD).await;
    assert_eq!((page.status, page.location.as_deref()), (StatusCode::SEE_OTHER, Some("/home")), "{}", page.html);
    let set_cookie = page.set_cookie.expect("a session cookie");
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    let cookie = set_cookie.split(';').next().expect("cookie").to_owned();
    let home = send(app, "GET", "/home", Some(&cookie), None).await;
    (cookie, csrf_in(&home.html))
}
