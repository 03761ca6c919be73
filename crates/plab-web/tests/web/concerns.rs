//! Confidential concerns: a leader or mentor raises one about their pairing;
//! it reaches only sponsors outside the reporting chains of the person who
//! raised it and of their partner (or the named contact), never the partner.
//!
//! The org chart of the seeded app: CEO above S, S2, L1, L2 and L3; L2 above
//! M1; L1 above M2 and M3. Pair 1 is L1 + M1 in program A (sponsor S).
use crate::common::browser::{form, send, sign_in};
use crate::common::{App, assert_error_json};
use axum::http::StatusCode;
use plab_app::{accounts, programs};
use plab_domain::ProgramId;
use plab_domain::program::{ProgramSettings, Role};
use serde_json::{Value, json};

crate::backends!(
    an_anonymous_concern_reaches_only_a_sponsor_outside_both_reporting_chains,
    a_concern_no_sponsor_may_read_goes_to_the_named_contact_or_is_refused_in_words,
    every_role_gets_only_what_the_concern_routes_allow,
    a_refused_concern_form_comes_back_with_the_text_kept_and_a_closed_program_takes_none,
    erasing_the_raiser_deletes_their_concerns_and_their_export_holds_them,
);

async fn enroll(app: &App, program: ProgramId, role: Role, id: &str) {
    programs::enroll(&app.store, program, role, &[id.to_owned()], None, "test").await.expect("enroll");
}

async fn account(app: &App, email: &str) {
    let hash = accounts::hash_password(crate::common::PASSWORD).expect("hash");
    accounts::upsert_with_hash(&app.store, email, &hash, false).await.expect("account");
}

fn concern(text: &str, anonymous: bool) -> Option<String> {
    Some(json!({"text": text, "anonymous": anonymous}).to_string())
}

async fn routed_to(app: &App, who: &str, program: i64) -> Value {
    let token = app.login(who).await;
    let (status, list) = app.call("GET", &format!("/api/v1/programs/{program}/concerns"), Some(&token), None).await;
    assert_eq!(status, StatusCode::OK, "{who}: {list}");
    list
}

async fn an_anonymous_concern_reaches_only_a_sponsor_outside_both_reporting_chains(app: App) {
    let sink = crate::common::smtp::Sink::start(crate::common::smtp::free_port());
    let app = crate::mail::with_post(app, crate::mail::post_to(sink.port));
    let a = ProgramId(app.program);
    // Co-sponsors inside the chains: the CEO above both partners, and M3 below the leader L1.
    enroll(&app, a, Role::Sponsor, "CEO").await;
    enroll(&app, a, Role::Sponsor, "M3").await;
    account(&app, "ceo@lab.test").await;
    let m1 = app.login("m1@lab.test").await;
    let uri = format!("/api/v1/programs/{}/concerns", app.program);
    let text = "My leader talks over me in every session";
    let (status, raised) = app.call("POST", &uri, Some(&m1), concern(text, true)).await;
    assert_eq!(status, StatusCode::CREATED, "{raised}");
    let id = raised["id"].as_i64().expect("id");

    let s = routed_to(&app, "s@lab.test", app.program).await;
    assert_eq!(s.as_array().map(Vec::len), Some(1), "{s}");
    assert_eq!((s[0]["text"].as_str(), s[0]["id"].as_i64()), (Some(text), Some(id)));
    assert!(s[0]["from"].is_null() && s[0]["at"].is_string(), "anonymous: {s}");
    assert_eq!(routed_to(&app, "ceo@lab.test", app.program).await, json!([]), "the managers above both partners");
    assert_eq!(routed_to(&app, "m3@lab.test", app.program).await, json!([]), "a report of the leader");

    // The partner reads nothing of it anywhere: refused on the readers' route, absent from their pages.
    let l1 = app.login("l1@lab.test").await;
    let (status, body) = app.call("GET", &uri, Some(&l1), None).await;
    assert_error_json(status, &body, StatusCode::FORBIDDEN);
    let (cookie, _) = sign_in(&app, "l1@lab.test").await;
    for page in ["/home".to_owned(), format!("/pairs/{}", app.pair1), format!("/programs/{}/concerns/new", app.program)]
    {
        let seen = send(&app, "GET", &page, Some(&cookie), None).await;
        assert_eq!(seen.status, StatusCode::OK, "{page}");
        assert!(!seen.html.contains("talks over me"), "the partner never sees it: {page}");
    }
    // The raiser sees their own, anonymous, never whom it reached.
    let (status, mine) = app.call("GET", &format!("{uri}/mine"), Some(&m1), None).await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert_eq!((mine[0]["text"].as_str(), mine[0]["anonymous"].as_bool()), (Some(text), Some(true)));
    assert!(!mine.to_string().contains("\"S\"") && !mine.to_string().contains("Name S"), "{mine}");
    // The sponsor's page shows it without a name.
    let (cookie, _) = sign_in(&app, "s@lab.test").await;
    let page = send(&app, "GET", &format!("/programs/{}/concerns", app.program), Some(&cookie), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("talks over me") && page.html.contains("without their name"), "{}", page.html);
    assert!(!page.html.contains("Name M1"), "anonymous on the page too");
    // Told by a content-free notice; the sponsors it was not routed to are not told.
    for (who, told) in [("S", true), ("CEO", false), ("M3", false), ("L1", false)] {
        let key = format!("concern:{id}:{who}");
        assert_eq!(app.store.mail_exists(&key).await.expect("outbox"), told, "{who}");
    }
    // A later change of the org chart never widens who reads it.
    let mut l2 = app.store.person("L2").await.expect("L2");
    let mut l1p = app.store.person("L1").await.expect("L1");
    l2.manager_id = None;
    l1p.manager_id = None;
    app.store.upsert_people(&[l1p, l2], &|_| {}).await.expect("reorganised");
    assert_eq!(routed_to(&app, "ceo@lab.test", app.program).await, json!([]), "decided when raised");
    // A concern with their name tells its readers who raised it.
    let (status, _) = app.call("POST", &uri, Some(&m1), concern("Sessions keep moving", false)).await;
    assert_eq!(status, StatusCode::CREATED);
    let s = routed_to(&app, "s@lab.test", app.program).await;
    assert_eq!(s[1]["from"], "M1", "{s}");
    drop(sink);
}

async fn a_concern_no_sponsor_may_read_goes_to_the_named_contact_or_is_refused_in_words(app: App) {
    // Program C: its only sponsor, the CEO, is above both L3 and M3.
    let start = crate::common::program_start().to_string();
    let c = programs::create(&app.store, "C", &start, ProgramSettings::default(), "test").await.expect("C");
    enroll(&app, c, Role::Sponsor, "CEO").await;
    enroll(&app, c, Role::Leader, "L3").await;
    enroll(&app, c, Role::Mentor, "M1").await;
    crate::common::approve_pairs(&app.store, c, &[("L3", "M1")]).await;
    account(&app, "ceo@lab.test").await;
    let uri = format!("/api/v1/programs/{}/concerns", c.0);
    let m1 = app.login("m1@lab.test").await;
    let (status, body) = app.call("POST", &uri, Some(&m1), concern("I feel judged", true)).await;
    assert_error_json(status, &body, StatusCode::CONFLICT);
    assert!(
        body["error"]["message"].as_str().is_some_and(|m| m.contains("Nobody outside your reporting line")),
        "{body}"
    );
    let (_, mine) = app.call("GET", &format!("{uri}/mine"), Some(&m1), None).await;
    assert_eq!(mine, json!([]), "nothing is kept");

    // The administrator names a contact by address: a person unknown to the directory is refused by field.
    let admin = app.login("admin@ops.test").await;
    let (_, mut settings) = app.call("GET", "/api/v1/admin/settings", Some(&admin), None).await;
    settings["concern_contact"] = json!("nobody@lab.test");
    let (status, body) = app.call("PUT", "/api/v1/admin/settings", Some(&admin), Some(settings.to_string())).await;
    assert_error_json(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.to_string().contains("concern_contact"), "{body}");
    settings["concern_contact"] = json!("S2@lab.test");
    let (status, saved) = app.call("PUT", "/api/v1/admin/settings", Some(&admin), Some(settings.to_string())).await;
    assert_eq!((status, saved["concern_contact"].as_str()), (StatusCode::OK, Some("S2")), "{saved}");

    let (status, raised) = app.call("POST", &uri, Some(&m1), concern("I feel judged", true)).await;
    assert_eq!(status, StatusCode::CREATED, "{raised}");
    // The contact reads it though not enrolled in C; the CEO, its sponsor, does not.
    let s2 = routed_to(&app, "s2@lab.test", c.0).await;
    assert_eq!((s2[0]["text"].as_str(), s2[0]["from"].is_null()), (Some("I feel judged"), true), "{s2}");
    assert_eq!(routed_to(&app, "ceo@lab.test", c.0).await, json!([]));
    let (cookie, _) = sign_in(&app, "s2@lab.test").await;
    let page = send(&app, "GET", &format!("/programs/{}/concerns", c.0), Some(&cookie), None).await;
    assert!(page.status == StatusCode::OK && page.html.contains("I feel judged"), "{}", page.html);
    // A contact inside a chain involved is no contact: L2 is M1's manager.
    settings["concern_contact"] = json!("L2");
    let (status, _) = app.call("PUT", "/api/v1/admin/settings", Some(&admin), Some(settings.to_string())).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = app.call("POST", &uri, Some(&m1), concern("Again", false)).await;
    assert_error_json(status, &body, StatusCode::CONFLICT);
}

async fn every_role_gets_only_what_the_concern_routes_allow(app: App) {
    let p = app.program;
    // L3 leads in B and sponsors A: two roles in different programs.
    enroll(&app, ProgramId(p), Role::Sponsor, "L3").await;
    let routes = [
        ("POST", format!("/api/v1/programs/{p}/concerns"), concern("zqx worry", true)),
        ("GET", format!("/api/v1/programs/{p}/concerns"), None),
        ("GET", format!("/api/v1/programs/{p}/concerns/mine"), None),
    ];
    use StatusCode as C;
    #[rustfmt::skip]
    let matrix: Vec<(Option<&str>, [C; 3])> = vec![
        (None,                   [C::UNAUTHORIZED; 3]),
        (Some("l1@lab.test"),    [C::CREATED, C::FORBIDDEN, C::OK]),
        // The pair's partner raises their own and reads nobody's.
        (Some("m1@lab.test"),    [C::CREATED, C::FORBIDDEN, C::OK]),
        // Another pair's partner.
        (Some("m2@lab.test"),    [C::CREATED, C::FORBIDDEN, C::OK]),
        (Some("s@lab.test"),     [C::FORBIDDEN, C::OK, C::FORBIDDEN]),
        (Some("s2@lab.test"),    [C::NOT_FOUND; 3]),
        (Some("admin@ops.test"), [C::NOT_FOUND; 3]),
        (Some("l3@lab.test"),    [C::FORBIDDEN, C::OK, C::FORBIDDEN]),
    ];
    let refusals = crate::common::api_matrix_refusals(&app, &routes, &matrix).await;
    assert!(refusals.iter().all(|r| !r.to_string().contains("zqx worry")), "{refusals:?}");
    // Each raiser's own list holds only their own.
    let (_, mine) = app.call("GET", &routes[2].1, Some(&app.login("m2@lab.test").await), None).await;
    assert_eq!((mine.as_array().map(Vec::len), mine[0]["from"].as_str()), (Some(1), Some("M2")), "{mine}");
    let s = routed_to(&app, "s@lab.test", p).await;
    assert_eq!(s.as_array().map(Vec::len), Some(3), "{s}");
    // Bad input names its field; never a 500.
    let l1 = app.login("l1@lab.test").await;
    for (body, field) in [
        (json!({"text": "   ", "anonymous": false}), "text"),
        (json!({"text": "x".repeat(4_001)}), "text"),
        (json!({"anonymous": true}), "text"),
        (json!({"text": "ok", "anonymous": "yes"}), "anonymous"),
    ] {
        let (status, value) = app.call("POST", &routes[0].1, Some(&l1), Some(body.to_string())).await;
        assert!(status.is_client_error(), "{status} {value}");
        assert!(value["error"]["message"].as_str().is_some_and(|m| m.contains(field)), "{field}: {value}");
    }
    let (status, value) = app.call("GET", "/api/v1/programs/abc/concerns", Some(&l1), None).await;
    assert!(status.is_client_error(), "{status} {value}");
    // A leaver whose token still exists gets nothing.
    let m2 = app.login("m2@lab.test").await;
    let mut leaver = app.store.person("M2").await.expect("M2");
    leaver.end_date = Some(plab_domain::Date::parse("2020-01-31").expect("date"));
    app.store.upsert_people(&[leaver], &|_| {}).await.expect("left");
    for (method, uri, body) in &routes {
        let (status, value) = app.call(method, uri, Some(&m2), body.clone()).await;
        assert!(status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN, "leaver: {uri}: {status}");
        assert!(!value.to_string().contains("zqx worry"), "{value}");
    }
}

async fn a_refused_concern_form_comes_back_with_the_text_kept_and_a_closed_program_takes_none(app: App) {
    let p = app.program;
    let (cookie, csrf) = sign_in(&app, "m1@lab.test").await;
    let new = format!("/programs/{p}/concerns/new");
    let blank = form(&[("csrf", &csrf), ("text", "  "), ("anonymous", "on")]);
    let page = send(&app, "POST", &new, Some(&cookie), Some(&blank)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains("error-summary") && page.html.contains("id=\"text-error\""), "{}", page.html);
    assert!(
        page.html.contains("outside your reporting line") && page.html.contains("without my name"),
        "who reads it is said"
    );
    let sent = form(&[("csrf", &csrf), ("text", "My ideas are dismissed")]);
    let page = send(&app, "POST", &new, Some(&cookie), Some(&sent)).await;
    assert_eq!((page.status, page.location.as_deref()), (StatusCode::SEE_OTHER, Some(&*format!("{new}?raised=1"))));
    let page = send(&app, "GET", &format!("{new}?raised=1"), Some(&cookie), None).await;
    assert!(page.html.contains("id=\"raised\"") && page.html.contains("with your name"), "{}", page.html);
    // The sponsor closes the program: no concern is taken any more, said in words, the text kept.
    let sponsor = app.login("s@lab.test").await;
    let (status, body) = app.call("POST", &format!("/api/v1/programs/{p}/close"), Some(&sponsor), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let again = form(&[("csrf", &csrf), ("text", "One more thing")]);
    let page = send(&app, "POST", &new, Some(&cookie), Some(&again)).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(page.html.contains("One more thing") && page.html.contains("closed"), "{}", page.html);
}

async fn erasing_the_raiser_deletes_their_concerns_and_their_export_holds_them(app: App) {
    let m1 = app.login("m1@lab.test").await;
    let uri = format!("/api/v1/programs/{}/concerns", app.program);
    let (status, _) = app.call("POST", &uri, Some(&m1), concern("Export me", true)).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, export) = app.call("GET", "/api/v1/me/export", Some(&m1), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(export["concerns"][0]["body"], "Export me", "{}", export["concerns"]);
    let (_, theirs) = app.call("GET", "/api/v1/me/export", Some(&app.login("l1@lab.test").await), None).await;
    assert_eq!(theirs["concerns"], json!([]), "the partner's export holds none of it");
    let record = plab_app::erasure::erase(&app.store, None, "operator", "M1").await.expect("erased");
    assert_eq!(record.counts.get("concerns"), Some(&1), "{:?}", record.counts);
    assert_eq!(routed_to(&app, "s@lab.test", app.program).await, json!([]));
}
