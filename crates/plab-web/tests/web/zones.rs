//! Times shown where people live: each person's IANA time zone comes from the
//! directory, or from their own choice on the account page (page and API),
//! and their pages show session times in it with the zone named.
use crate::common::browser::{form, send, sign_in};
use crate::common::{App, activate};
use axum::http::StatusCode;
use plab_domain::person::RawPerson;
use serde_json::json;

crate::backends!(
    times_show_in_the_viewers_own_zone_from_the_directory_or_their_choice,
    moving_the_rest_of_the_series_in_the_browser_shows_both_clocks_before_anything_moves,
);

async fn moving_the_rest_of_the_series_in_the_browser_shows_both_clocks_before_anything_moves(app: App) {
    for (who, zone) in [("l1@lab.test", "America/New_York"), ("m1@lab.test", "Europe/Berlin")] {
        let token = app.login(who).await;
        let body = json!({ "timezone": zone }).to_string();
        assert_eq!(app.call("PUT", "/api/v1/me/timezone", Some(&token), Some(body)).await.0, StatusCode::OK);
    }
    let sessions = activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    let token = app.login("m1@lab.test").await;
    let (_, before) = app.call("GET", &format!("/api/v1/pairs/{}/sessions", app.pair1), Some(&token), None).await;
    // A Tuesday a month ahead, 15:00 on the mentor's (Berlin) clock.
    let mut day = plab_domain::Date::of_instant(time::OffsetDateTime::now_utc()).plus_days(30);
    while day.midnight_utc().weekday() != time::Weekday::Tuesday {
        day = day.plus_days(1);
    }
    let (cookie, csrf) = sign_in(&app, "m1@lab.test").await;
    let uri = format!("/sessions/{}/reschedule", sessions[1]);
    let typed = format!("{day}T15:00");
    let fields = |action: &str| form(&[("csrf", &csrf), ("starts_at", &typed), ("scope", "rest"), ("action", action)]);
    let page = send(&app, "POST", &uri, Some(&cookie), Some(&fields("preview"))).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let table = page.html.split("id=\"move-preview\"").nth(1).expect("the preview table");
    assert_eq!(table.matches("<tr><td>").count(), 5, "sessions 2 to 6 move: {table}");
    assert!(table.contains(" (America/New_York)</td>") && table.contains(", 15:00 (Europe/Berlin)</td>"), "{table}");
    assert!(page.html.contains(&format!("value=\"{typed}\"")) && page.html.contains("value=\"rest\" checked"));
    let (_, unchanged) = app.call("GET", &format!("/api/v1/pairs/{}/sessions", app.pair1), Some(&token), None).await;
    assert_eq!(unchanged, before, "a preview moves nothing");
    let moved = send(&app, "POST", &uri, Some(&cookie), Some(&fields("move"))).await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.html);
    let (_, after) = app.call("GET", &format!("/api/v1/pairs/{}/sessions", app.pair1), Some(&token), None).await;
    assert_eq!(after[0], before[0], "session 1 stays");
    // The moved session is at 15:00 in Berlin; the rest keep its time on the leader's (New York) clock.
    let zone = |name| plab_domain::zone::Zone::parse(name).expect("zone");
    let (berlin, new_york) = (zone("Europe/Berlin"), zone("America/New_York"));
    let at =
        |s: &serde_json::Value| plab_domain::session::parse_instant(s["starts_at"].as_str().expect("t")).expect("t");
    let first = berlin.local(at(&after[1]));
    assert_eq!((first.day, first.hour, first.minute), (day, 15, 0));
    let leader_clock = new_york.local(at(&after[1]));
    for (i, s) in after.as_array().expect("list").iter().enumerate().skip(1) {
        let local = new_york.local(at(s));
        let expected_day = leader_clock.day.plus_days(14 * (i as i64 - 1));
        assert_eq!(
            (local.day, local.hour, local.minute),
            (expected_day, leader_clock.hour, leader_clock.minute),
            "{s}"
        );
    }
}

/// The account page's time-zone form, as a browser posts it.
async fn set_zone(app: &App, cookie: &str, csrf: &str, zone: &str) -> crate::common::browser::Page {
    send(app, "POST", "/account/timezone", Some(cookie), Some(&form(&[("csrf", csrf), ("timezone", zone)]))).await
}

async fn zone_of(app: &App, email: &str) -> String {
    let token = app.login(email).await;
    let (_, me) = app.call("GET", "/api/v1/me", Some(&token), None).await;
    me["timezone"].as_str().expect("timezone").to_owned()
}

async fn times_show_in_the_viewers_own_zone_from_the_directory_or_their_choice(app: App) {
    assert_eq!(zone_of(&app, "l1@lab.test").await, "UTC", "no zone anywhere: UTC");
    // The directory gives M1 a zone.
    let tokyo = RawPerson {
        employee_id: "M1".into(),
        name: "Name M1".into(),
        email: "m1@lab.test".into(),
        department: "Ops".into(),
        manager_id: "L2".into(),
        hire_date: "2015-03-01".into(),
        level: "2".into(),
        timezone: "Asia/Tokyo".into(),
        ..RawPerson::default()
    }
    .parse()
    .expect("person");
    app.store.upsert_people(&[tokyo], &|_| {}).await.expect("import");
    assert_eq!(zone_of(&app, "m1@lab.test").await, "Asia/Tokyo");

    // L1 chooses New York over the API; a zone the tz database does not know is refused by name.
    let leader = app.login("l1@lab.test").await;
    let set = |zone: &str| json!({"timezone": zone}).to_string();
    let (status, body) = app.call("PUT", "/api/v1/me/timezone", Some(&leader), Some(set("Mars/Olympus"))).await;
    crate::common::assert_error_json(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"]["message"].as_str().unwrap_or("").contains("timezone"), "{body}");
    let (status, body) = app.call("PUT", "/api/v1/me/timezone", Some(&leader), Some(set("America/New_York"))).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"timezone": "America/New_York"})));

    let sessions = activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    let (l1, _) = sign_in(&app, "l1@lab.test").await;
    let home = send(&app, "GET", "/home", Some(&l1), None).await.html;
    assert!(home.contains("(America/New_York)</a>") && !home.contains("10:00 UTC"), "{home}");
    let page = send(&app, "GET", &format!("/sessions/{}", sessions[0]), Some(&l1), None).await.html;
    let local = page.split("<time datetime=\"").nth(1).and_then(|r| r.split("</time>").next()).expect("time");
    // New York and Tokyo share no working hour: the series is at 10:00 on the leader's clock (the rule's tie-break).
    let ten_in_new_york = plab_domain::zone::Zone::parse("America/New_York")
        .expect("zone")
        .at_local(crate::common::program_start(), 10, 0)
        .expect("10:00");
    let utc = plab_domain::session::format_instant(ten_in_new_york);
    assert!(local.starts_with(&utc) && local.ends_with(", 10:00 (America/New_York)"), "{local}");
    let pair = send(&app, "GET", &format!("/pairs/{}", app.pair1), Some(&l1), None).await.html;
    assert!(pair.contains("(America/New_York)</time>") && !pair.contains(" UTC</time>"), "the pair page too: {pair}");
    let (m1, m1_csrf) = sign_in(&app, "m1@lab.test").await;
    let theirs = send(&app, "GET", &format!("/sessions/{}", sessions[0]), Some(&m1), None).await.html;
    let in_tokyo = plab_domain::zone::Zone::parse("Asia/Tokyo").expect("zone").human(ten_in_new_york);
    assert!(theirs.contains(&format!("{in_tokyo}</time>")), "{in_tokyo} in Tokyo: {theirs}");

    // In the browser: a bad zone keeps what was typed; an empty one goes back to the directory's.
    let bad = set_zone(&app, &m1, &m1_csrf, "Nowhere/Land").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.html.contains("value=\"Nowhere/Land\"") && bad.html.contains("id=\"timezone-error\""));
    // The field offers the tz database's places; an abbreviation is refused with the place to use.
    assert!(bad.html.contains("<option value=\"Europe/Berlin\">") && !bad.html.contains("<option value=\"EST\">"));
    let est = set_zone(&app, &m1, &m1_csrf, "EST").await;
    assert_eq!(est.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(est.html.contains("America/New_York") && est.html.contains("daylight saving"), "{}", est.html);
    let typed = set_zone(&app, &m1, &m1_csrf, "america/new_york").await;
    assert_eq!(typed.status, StatusCode::SEE_OTHER);
    assert_eq!(zone_of(&app, "m1@lab.test").await, "America/New_York", "kept as the database spells it");
    let berlin = set_zone(&app, &m1, &m1_csrf, "Europe/Berlin").await;
    assert_eq!(berlin.status, StatusCode::SEE_OTHER);
    assert_eq!(zone_of(&app, "m1@lab.test").await, "Europe/Berlin");
    let back = set_zone(&app, &m1, &m1_csrf, "").await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    assert_eq!(zone_of(&app, "m1@lab.test").await, "Asia/Tokyo", "the directory's again");
}
