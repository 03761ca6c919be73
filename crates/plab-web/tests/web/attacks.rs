//! The attacks of a hostile sponsor, administrator, partner and anonymous
//! caller, each played against a running server (a real socket, the peer
//! address the server sees) on SQLite and on PostgreSQL. Each must fail to get
//! in: the e-mail swap upload, the administrator's reset link, a token used
//! after logout or a password change, concurrent guesses, a password spray
//! (forging forwarding headers, or behind a trusted proxy), framing, another pair's id, a leaked calendar URL.

use crate::common::wire::{self, Req, Server};
use crate::common::{App, PASSWORD};
use axum::http::StatusCode;
use serde_json::json;
use std::net::Ipv4Addr;

const HEADER: &str = "employee_id,name,email,department,manager_id,hire_date,level\n";

/// The pair's notes hold a secret only the pair may read.
async fn a_secret_in_pair_one(server: &Server, app: &App) -> &'static str {
    let secret = "I am struggling with our Friday demo, and nobody may know";
    let leader = server.token("l1@lab.test", PASSWORD).await;
    let uri = format!("/api/v1/pairs/{}/notes", app.pair1);
    let posted = server.json("POST", &uri, Some(&leader), Some(json!({"body": secret}))).await;
    assert_eq!(posted.status, StatusCode::CREATED, "{}", posted.body);
    secret
}

async fn upload(server: &Server, cookie: &str, csrf: &str, csv: &str) -> wire::Answer {
    let boundary = "plabAttackBoundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"swap.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n"
    );
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let req = Req { cookie: Some(cookie), content_type: Some(&content_type), body: Some(body), ..Req::default() };
    server.send("POST", "/people/import", req).await
}

async fn a_sponsor_swapping_emails_with_a_leader_in_an_upload_never_becomes_the_leader(app: App) {
    let server = wire::serve(&app).await;
    let secret = a_secret_in_pair_one(&server, &app).await;
    let sponsor_token = server.token("s@lab.test", PASSWORD).await;
    let (cookie, csrf) = server.browser("s@lab.test", PASSWORD).await;
    // The sponsor takes the leader's e-mail and gives the leader theirs.
    let swap =
        format!("{HEADER}S,Name S,l1@lab.test,People,CEO,2015-01-01,8\nL1,Name L1,s@lab.test,Sales,CEO,2015-01-01,8\n");
    let refused = upload(&server, &cookie, &csrf, &swap).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("swap.csv:2: email:") && refused.body.contains("swap.csv:3: email:"));
    assert_eq!(app.store.person("S").await.expect("S").email.as_str(), "s@lab.test", "nothing written");
    // A legitimate change of the leader's directory e-mail is allowed…
    let moved = format!("{HEADER}L1,Name L1,l1.new@lab.test,Sales,CEO,2015-01-01,8\n");
    assert_eq!(upload(&server, &cookie, &csrf, &moved).await.status, StatusCode::OK);
    // …but it neither moves the leader's sign-in nor frees it for the sponsor.
    let leader = server.token("l1@lab.test", PASSWORD).await;
    assert_eq!(server.json("GET", "/api/v1/me", Some(&leader), None).await.json()["id"], "L1");
    let take = format!("{HEADER}S,Name S,l1@lab.test,People,CEO,2015-01-01,8\n");
    let refused = upload(&server, &cookie, &csrf, &take).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    // The sponsor's token and browser session are still the sponsor, who never reads the notes.
    let me = server.json("GET", "/api/v1/me", Some(&sponsor_token), None).await;
    assert_eq!(me.json()["id"], "S");
    let notes = server.json("GET", &format!("/api/v1/pairs/{}/notes", app.pair1), Some(&sponsor_token), None).await;
    assert_eq!(notes.status, StatusCode::FORBIDDEN);
    assert!(!notes.body.contains(secret));
    let page =
        server.send("GET", &format!("/pairs/{}", app.pair1), Req { cookie: Some(&cookie), ..Req::default() }).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains(secret), "the sponsor's pair page never shows the notes");
}

async fn an_administrator_gets_no_link_for_an_account_that_has_a_password(app: App) {
    let server = wire::serve(&app).await;
    let secret = a_secret_in_pair_one(&server, &app).await;
    let leader_before = server.token("l1@lab.test", PASSWORD).await;
    let (admin, csrf) = server.browser("admin@ops.test", PASSWORD).await;
    let form = crate::common::browser::form(&[("csrf", &csrf), ("email", "l1@lab.test")]);
    let req = Req {
        cookie: Some(&admin),
        content_type: Some("application/x-www-form-urlencoded"),
        body: Some(form),
        ..Req::default()
    };
    let page = server.send("POST", "/admin/links", req).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("/set-password/"), "no credential for someone else's account: {}", page.body);
    assert!(page.body.contains("plab user link --email l1@lab.test"));
    let audit = app.store.audit_log(10).await.expect("audit");
    assert!(audit.iter().any(|e| e.action == "account.reset_requested" && e.subject == "l1@lab.test"));
    // The reset the operator sends to the owner's address ends every sign-in when used.
    let everyone = plab_app::sso::PasswordSignIn::Everyone;
    let link = plab_app::accounts::issue_password_link(&app.store, "l1@lab.test", "cli:operator", everyone)
        .await
        .expect("link");
    plab_app::accounts::use_password_link(&app.store, &link, "a fresh password 9", everyone).await.expect("reset");
    let old = server.json("GET", "/api/v1/me", Some(&leader_before), None).await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED, "a reset ends every earlier sign-in");
    let leader = server.token("l1@lab.test", "a fresh password 9").await;
    let me = server.json("GET", "/api/v1/me", Some(&leader), None).await.json();
    assert!(me["reset_notice"].as_str().is_some_and(|n| n.contains("cli:operator")), "the owner is told who: {me}");
    // The administrator never reached the notes along the way.
    let admin_token = server.token("admin@ops.test", PASSWORD).await;
    let notes = server.json("GET", &format!("/api/v1/pairs/{}/notes", app.pair1), Some(&admin_token), None).await;
    assert_eq!(notes.status, StatusCode::NOT_FOUND);
    assert!(!notes.body.contains(secret));
}

async fn an_onboarding_link_stops_working_once_the_account_has_a_password(app: App) {
    let admin = plab_app::accounts::Actor::from(
        app.store.account_by_email("admin@ops.test").await.expect("db").expect("admin account"),
    );
    let plab_app::accounts::LinkRequest::Onboarding(link) = plab_app::accounts::request_password_link(
        &app.store,
        &app.state.vault,
        &app.state.post,
        plab_app::sso::PasswordSignIn::Everyone,
        &admin,
        "l3.new@lab.test",
    )
    .await
    .expect("link") else {
        panic!("an account that does not exist gets an onboarding link");
    };
    plab_app::accounts::set_password(&app.store, "l3.new@lab.test", "the owner's own 1", false, "cli:operator")
        .await
        .expect("the owner onboards another way");
    let late = plab_app::accounts::use_password_link(
        &app.store,
        &link,
        "the admin's choice 1",
        plab_app::sso::PasswordSignIn::Everyone,
    )
    .await;
    assert!(
        matches!(late, Err(plab_app::AppError::NotFound { .. })),
        "the link ended with the new credential: {late:?}"
    );
    let server = wire::serve(&app).await;
    server.token("l3.new@lab.test", "the owner's own 1").await;
}

async fn a_token_stops_working_after_logout_and_others_after_a_password_change(app: App) {
    let server = wire::serve(&app).await;
    let gone = server.token("m1@lab.test", PASSWORD).await;
    let out = server.json("POST", "/api/v1/auth/logout", Some(&gone), None).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(server.json("GET", "/api/v1/me", Some(&gone), None).await.status, StatusCode::UNAUTHORIZED);

    let (other, keep) = (server.token("m1@lab.test", PASSWORD).await, server.token("m1@lab.test", PASSWORD).await);
    let (browser, _) = server.browser("m1@lab.test", PASSWORD).await;
    let wrong = server
        .json(
            "POST",
            "/api/v1/me/password",
            Some(&keep),
            Some(json!({"current": "not it at all", "new": "new password 1"})),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("current"), "{}", wrong.body);
    let changed = server
        .json("POST", "/api/v1/me/password", Some(&keep), Some(json!({"current": PASSWORD, "new": "new password 1"})))
        .await;
    assert_eq!(changed.status, StatusCode::NO_CONTENT, "{}", changed.body);
    assert_eq!(server.json("GET", "/api/v1/me", Some(&other), None).await.status, StatusCode::UNAUTHORIZED);
    let page = server.send("GET", "/home", Req { cookie: Some(&browser), ..Req::default() }).await;
    assert_eq!(page.header("location"), Some("/?next=%2Fhome"), "the browser session ended too");
    assert_eq!(server.json("GET", "/api/v1/me", Some(&keep), None).await.status, StatusCode::OK);
    let refused =
        server.json("POST", "/api/v1/auth/login", None, Some(json!({"email": "m1@lab.test", "password": PASSWORD})));
    assert_eq!(refused.await.status, StatusCode::UNAUTHORIZED, "the old password is gone");

    // Sign out everywhere ends the calling token too.
    let everywhere = server.json("POST", "/api/v1/auth/logout-everywhere", Some(&keep), None).await;
    assert_eq!(everywhere.status, StatusCode::NO_CONTENT);
    assert_eq!(server.json("GET", "/api/v1/me", Some(&keep), None).await.status, StatusCode::UNAUTHORIZED);
}

/// A sign-in with this body from `from`, with these extra headers; the status.
async fn login_from(server: &Server, from: Ipv4Addr, headers: &[(&str, &str)], body: serde_json::Value) -> StatusCode {
    let req = Req {
        from: Some(from),
        content_type: Some("application/json"),
        headers,
        body: Some(body.to_string()),
        ..Req::default()
    };
    server.send("POST", "/api/v1/auth/login", req).await.status
}

/// The forwarding headers a sprayer would forge to be counted as someone else.
fn forged_origin(origin: &str) -> [(&'static str, String); 3] {
    [("X-Forwarded-For", origin.to_owned()), ("X-Real-IP", origin.to_owned()), ("Forwarded", format!("for={origin}"))]
}

/// The first guess is checked; of the 23 sent together after it, no more
/// than the rest of the allowance are. (Not exactly that many: two guesses
/// counted at once may each see the other, so fewer can be checked, never more.)
async fn concurrent_guesses_for_one_email_are_all_counted(app: App) {
    let server = std::sync::Arc::new(wire::serve(&app).await);
    let guess = |i: u8| json!({"email": "l2@lab.test", "password": format!("guess number {i}")});
    // Each guess from its own address, so that only the e-mail's count can stop it.
    let first = login_from(&server, Ipv4Addr::new(127, 0, 1, 1), &[], guess(0)).await;
    assert_eq!(first, StatusCode::UNAUTHORIZED, "a first wrong guess is checked, not refused");
    let guesses: Vec<_> = (1..24u8)
        .map(|i| {
            let server = server.clone();
            let body = guess(i);
            tokio::spawn(async move { login_from(&server, Ipv4Addr::new(127, 0, 1, i + 1), &[], body).await })
        })
        .collect();
    let mut checked = 1;
    for guess in guesses {
        match guess.await.expect("guess") {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert!(checked <= plab_app::accounts::MAX_FAILURES, "{checked} of 24 guesses were checked");
    // Every guess was counted, the refused ones too: the next attempt is the 25th.
    let (by_email, _) = app.store.reserve_sign_in("probe", "l2@lab.test", "probe", "0").await.expect("count");
    assert_eq!(by_email, 25, "each of the 24 concurrent guesses is counted once");
    let right = json!({"email": "l2@lab.test", "password": PASSWORD});
    let fresh = Ipv4Addr::new(127, 0, 2, 1);
    assert_eq!(
        login_from(&server, fresh, &[], right).await,
        StatusCode::TOO_MANY_REQUESTS,
        "the e-mail stays locked for the window, from any address"
    );
    let other = json!({"email": "l1@lab.test", "password": PASSWORD});
    assert_eq!(login_from(&server, fresh, &[], other).await, StatusCode::OK, "only that e-mail is locked");
}

async fn a_password_spray_from_one_address_is_slowed_and_other_addresses_are_not(app: App) {
    let server = wire::serve(&app).await;
    let sprayer = Ipv4Addr::new(127, 0, 0, 3);
    let mut refused = 0;
    for i in 0..30 {
        // Each guess claims another origin in every forwarding header: still one peer.
        let forged = forged_origin(&format!("198.51.100.{i}"));
        let headers = forged.each_ref().map(|(n, v)| (*n, v.as_str()));
        let body = json!({"email": format!("person{i}@lab.test"), "password": "Summer2026!"});
        match login_from(&server, sprayer, &headers, body).await {
            StatusCode::UNAUTHORIZED => {}
            StatusCode::TOO_MANY_REQUESTS => refused += 1,
            other => panic!("unexpected {other}"),
        }
    }
    let allowed = plab_app::accounts::MAX_FAILURES_PER_CLIENT;
    assert_eq!(refused, 30 - allowed, "after {allowed} attempts from one address, the rest wait");
    let right = json!({"email": "l1@lab.test", "password": PASSWORD});
    // Forging a clean neighbour's address does not lift the sprayer's wait…
    let neighbour = Ipv4Addr::new(127, 0, 0, 4);
    let forged = forged_origin(&neighbour.to_string());
    let headers = forged.each_ref().map(|(n, v)| (*n, v.as_str()));
    assert_eq!(login_from(&server, sprayer, &headers, right.clone()).await, StatusCode::TOO_MANY_REQUESTS);
    // …and someone else forging the sprayer's address is not held up by it.
    let forged = forged_origin(&sprayer.to_string());
    let headers = forged.each_ref().map(|(n, v)| (*n, v.as_str()));
    assert_eq!(login_from(&server, Ipv4Addr::new(127, 0, 0, 5), &headers, right.clone()).await, StatusCode::OK);
    assert_eq!(login_from(&server, neighbour, &[], right).await, StatusCode::OK);
}

/// Behind a proxy the operator named, the address the proxy appended to
/// `X-Forwarded-For` is the client: two clients behind it are counted apart,
/// and what a client wrote to the left of it is not believed.
async fn behind_a_trusted_proxy_the_client_it_names_is_counted(app: App) {
    let proxy = Ipv4Addr::new(127, 0, 0, 6);
    let server = wire::serve_state(app.state.clone().trusting_proxies(vec![proxy.into()])).await;
    for i in 0..plab_app::accounts::MAX_FAILURES_PER_CLIENT {
        let body = json!({"email": format!("person{i}@lab.test"), "password": "Summer2026!"});
        let status = login_from(&server, proxy, &[("X-Forwarded-For", "203.0.113.1")], body).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let right = json!({"email": "l1@lab.test", "password": PASSWORD});
    let spraying = login_from(&server, proxy, &[("X-Forwarded-For", "203.0.113.1")], right.clone()).await;
    assert_eq!(spraying, StatusCode::TOO_MANY_REQUESTS, "the sprayer behind the proxy waits");
    let forged = login_from(&server, proxy, &[("X-Forwarded-For", "203.0.113.2, 203.0.113.1")], right.clone()).await;
    assert_eq!(
        forged,
        StatusCode::TOO_MANY_REQUESTS,
        "an address the sprayer put in front of the proxy's is not believed"
    );
    let other = login_from(&server, proxy, &[("X-Forwarded-For", "203.0.113.2")], right.clone()).await;
    assert_eq!(other, StatusCode::OK, "another client behind the same proxy is not held up");
    // The forwarded header of a peer that is not the proxy is still ignored.
    let direct = login_from(&server, Ipv4Addr::new(127, 0, 0, 7), &[("X-Forwarded-For", "203.0.113.1")], right).await;
    assert_eq!(direct, StatusCode::OK);
}

async fn pages_cannot_be_framed_and_private_answers_are_not_stored(app: App) {
    let server = wire::serve(&app).await;
    let (cookie, _) = server.browser("l1@lab.test", PASSWORD).await;
    let page =
        server.send("GET", &format!("/pairs/{}", app.pair1), Req { cookie: Some(&cookie), ..Req::default() }).await;
    assert_eq!(page.status, StatusCode::OK);
    let csp = page.header("content-security-policy").expect("CSP");
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"), "{csp}");
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(page.header("cache-control"), Some("no-store"));
    let token = server.token("l1@lab.test", PASSWORD).await;
    let notes = server.json("GET", &format!("/api/v1/pairs/{}/notes", app.pair1), Some(&token), None).await;
    assert_eq!(notes.header("cache-control"), Some("no-store"));
}

async fn another_pairs_id_answers_exactly_like_a_missing_one(app: App) {
    let server = wire::serve(&app).await;
    let secret = a_secret_in_pair_one(&server, &app).await;
    let outsider = server.token("l2@lab.test", PASSWORD).await;
    for suffix in ["", "/notes", "/charter", "/sessions"] {
        let other = server.json("GET", &format!("/api/v1/pairs/{}{suffix}", app.pair1), Some(&outsider), None).await;
        let missing = server.json("GET", &format!("/api/v1/pairs/999999{suffix}"), Some(&outsider), None).await;
        assert_eq!((other.status, missing.status), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND), "{suffix}");
        assert_eq!(other.json()["error"]["code"], missing.json()["error"]["code"]);
        assert!(!other.body.contains(secret) && !other.body.contains("Name L1"), "{}", other.body);
    }
    let program =
        server.json("GET", &format!("/api/v1/programs/{}/pairs", app.program + 1), Some(&outsider), None).await;
    assert_eq!(program.status, StatusCode::NOT_FOUND, "another program is not there for a stranger");
}

async fn a_leaked_calendar_url_stops_working_once_renewed(app: App) {
    let server = wire::serve(&app).await;
    let token = server.token("l1@lab.test", PASSWORD).await;
    let path = |url: &str| url[url.find("/calendar/").expect("calendar path")..].to_owned();
    let me = server.json("GET", "/api/v1/me", Some(&token), None).await.json();
    let old = path(me["calendar_url"].as_str().expect("url"));
    assert_eq!(server.send("GET", &old, Req::default()).await.status, StatusCode::OK);
    let renewed = server.json("POST", "/api/v1/me/calendar-secret", Some(&token), None).await;
    assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.body);
    let new = path(renewed.json()["calendar_url"].as_str().expect("url"));
    assert_ne!(old, new);
    assert_eq!(server.send("GET", &old, Req::default()).await.status, StatusCode::NOT_FOUND);
    let feed = server.send("GET", &new, Req::default()).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.body.contains("BEGIN:VCALENDAR"));
    // Someone else's account id with a guessed secret is nothing.
    let forged = new.replacen(|c: char| c.is_ascii_digit(), "9", 1);
    assert_eq!(server.send("GET", &forged, Req::default()).await.status, StatusCode::NOT_FOUND);
}

crate::backends!(
    a_sponsor_swapping_emails_with_a_leader_in_an_upload_never_becomes_the_leader,
    an_administrator_gets_no_link_for_an_account_that_has_a_password,
    an_onboarding_link_stops_working_once_the_account_has_a_password,
    a_token_stops_working_after_logout_and_others_after_a_password_change,
    concurrent_guesses_for_one_email_are_all_counted,
    a_password_spray_from_one_address_is_slowed_and_other_addresses_are_not,
    behind_a_trusted_proxy_the_client_it_names_is_counted,
    pages_cannot_be_framed_and_private_answers_are_not_stored,
    another_pairs_id_answers_exactly_like_a_missing_one,
    a_leaked_calendar_url_stops_working_once_renewed,
);
