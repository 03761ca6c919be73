//! The adversary matrix, generated from the disclosure table
//! (`plab_app::disclosure::TABLE`): every kind of private datum is planted
//! with a marker, then every role and role combination reads every channel
//! it can reach (every GET route of the API as the OpenAPI document lists
//! it, every GET page of the router, the downloads, its calendar feed, all
//! the mail it was sent, the audit log) and the marker must be absent for
//! everyone the table does not name. So that the test can fail, each datum
//! must also be found by at least one receiver the table does name.
//!
//! A new datum is one line in the table and one arm in `plant` (the match is
//! exhaustive, so it cannot be forgotten); a new API route or page is read
//! without any change here.
use crate::common::browser::{send, sign_in};
use crate::common::smtp::{Sink, free_port};
use crate::common::{App, Held, PASSWORD, hold_first_three};
use axum::http::StatusCode;
use plab_app::disclosure::{Datum, Receiver, TABLE};
use plab_app::mail;
use plab_app::programs;
use plab_domain::program::Role;
use plab_domain::{ProgramId, SessionId};
use serde_json::json;
use std::collections::BTreeMap;
use time::OffsetDateTime;

crate::backends!(no_private_datum_reaches_anyone_the_disclosure_table_does_not_name);

/// Someone who reads: their credentials, their feed and their mail addresses,
/// and what they are to the author of every planted datum (the leader L1).
struct Reader {
    who: &'static str,
    token: Option<String>,
    cookie: Option<String>,
    feed: Option<String>,
    addresses: Vec<String>,
    receiver: Option<Receiver>,
}

/// What was planted: each datum's marker, and the ids the routes need.
struct World {
    markers: BTreeMap<Datum, String>,
    ids: BTreeMap<&'static str, Vec<String>>,
}

const QUESTION: &str = "Why do new analysts skip the zqxquestionmark demo on Fridays, and what would bring them back?";

/// Plants one datum of each kind the table names, authored by the leader L1
/// (and so about L1), and returns its marker: a word no page carries
/// otherwise, or for answers on a scale, the exact JSON their author reads.
async fn plant(app: &App, datum: Datum, sessions: &[i64], insight_ids: &mut Vec<String>) -> Option<String> {
    let leader = app.login("l1@lab.test").await;
    let pair = app.pair1;
    Some(match datum {
        Datum::Note => {
            let body = json!({"body": "zqxnotemark: what I struggle with"}).to_string();
            let (status, _) = app.call("POST", &format!("/api/v1/pairs/{pair}/notes"), Some(&leader), Some(body)).await;
            assert_eq!(status, StatusCode::CREATED);
            "zqxnotemark".into()
        }
        // Held with the sessions themselves (`hold_first_three`).
        Datum::Homework => "zqxhomeworkmark".into(),
        Datum::QuestionWording => "zqxquestionmark".into(),
        Datum::PulseAnswer => {
            let (status, mine) =
                app.call("GET", &format!("/api/v1/sessions/{}/pulse", sessions[0]), Some(&leader), None).await;
            assert_eq!(status, StatusCode::OK, "{mine}");
            mine.to_string()
        }
        Datum::CheckinAnswer => {
            let body = json!({"insight": "zqxcheckinmark is what I learned", "change": "I moved the demo"}).to_string();
            let uri = format!("/api/v1/pairs/{pair}/checkins/me");
            let (status, saved) = app.call("PUT", &uri, Some(&leader), Some(body)).await;
            assert_eq!(status, StatusCode::OK, "{saved}");
            "zqxcheckinmark".into()
        }
        Datum::SelfAssessmentAnswer => {
            let uri = format!("/api/v1/programs/{}/me/self-assessment/baseline", app.program);
            let answers = json!({"answers": {"digital_fluency": 1, "empathy_employees": 5, "empathy_customers": 2}});
            let (status, saved) = app.call("PUT", &uri, Some(&leader), Some(answers.to_string())).await;
            assert_eq!(status, StatusCode::OK, "{saved}");
            saved["statements"].to_string()
        }
        Datum::UnsharedInsight => {
            let body = json!({"kind": "decision", "theme": "technology", "text": "zqxinsightmark: I stopped the demo"});
            let (status, saved) = app
                .call("POST", &format!("/api/v1/pairs/{pair}/insights"), Some(&leader), Some(body.to_string()))
                .await;
            assert_eq!(status, StatusCode::CREATED, "{saved}");
            insight_ids.push(saved["id"].to_string());
            "zqxinsightmark".into()
        }
        Datum::FitAnswer => {
            let body = json!({"fit": "not_fit", "comment": "zqxfitmark: not my question"}).to_string();
            let (status, saved) =
                app.call("PUT", &format!("/api/v1/pairs/{pair}/fit"), Some(&leader), Some(body)).await;
            assert_eq!(status, StatusCode::OK, "{saved}");
            "zqxfitmark".into()
        }
        // A concern reaches only the sponsors outside both partners' chains
        // (here every sponsor: `concerns.rs` proves the chains), never M1.
        Datum::ConcernText => {
            let body = json!({"text": "zqxconcernmark: I am talked over", "anonymous": true}).to_string();
            let uri = format!("/api/v1/programs/{}/concerns", app.program);
            let (status, saved) = app.call("POST", &uri, Some(&leader), Some(body)).await;
            assert_eq!(status, StatusCode::CREATED, "{saved}");
            "zqxconcernmark".into()
        }
        // Only the author's own list says who raised an anonymous concern.
        Datum::AnonymousRaiser => {
            let body = json!({"text": "a second worry", "anonymous": true}).to_string();
            let uri = format!("/api/v1/programs/{}/concerns", app.program);
            let (status, saved) = app.call("POST", &uri, Some(&leader), Some(body)).await;
            assert_eq!(status, StatusCode::CREATED, "{saved}");
            r#""from":"L1""#.into()
        }
        Datum::UnsharedCommitment | Datum::SharedCommitment => {
            let (marker, shared) = match datum {
                Datum::SharedCommitment => ("zqxsharedcommitmentmark", true),
                _ => ("zqxcommitmentmark", false),
            };
            let due = plab_domain::Date::of_instant(OffsetDateTime::now_utc()).plus_days(30).to_string();
            let body = json!({"text": format!("{marker}: I will try the channel"), "due_on": due, "shared": shared});
            let (status, saved) = app
                .call("POST", &format!("/api/v1/pairs/{pair}/commitments"), Some(&leader), Some(body.to_string()))
                .await;
            assert_eq!(status, StatusCode::CREATED, "{saved}");
            marker.into()
        }
        // One person's answer inside an aggregate is not a text to look for:
        // the group-size and "never the reader's own answers" tests prove it.
        Datum::WhoAnsweredWhat => return None,
        // Planted last (its line is last in the table): the close-out begins here.
        Datum::ExitAnswer => {
            let sponsor = app.login("s@lab.test").await;
            let uri = format!("/api/v1/programs/{}/close-out", app.program);
            let (status, begun) = app.call("POST", &uri, Some(&sponsor), None).await;
            assert_eq!(status, StatusCode::OK, "{begun}");
            let body = json!({"choice": "as_leader", "comment": "zqxexitmark: only with more time"}).to_string();
            let uri = format!("/api/v1/programs/{}/me/exit", app.program);
            let (status, saved) = app.call("PUT", &uri, Some(&leader), Some(body)).await;
            assert_eq!(status, StatusCode::OK, "{saved}");
            "zqxexitmark".into()
        }
    })
}

async fn reader(app: &App, who: &'static str, receiver: Option<Receiver>) -> Reader {
    let token = app.login(who).await;
    let (cookie, _) = sign_in(app, who).await;
    let (_, me) = app.call("GET", "/api/v1/me", Some(&token), None).await;
    let feed = me["calendar_url"].as_str().map(|u| u.trim_start_matches("http://localhost").to_owned());
    let mut addresses = vec![who.to_owned()];
    if let Some(id) = me["id"].as_str()
        && let Ok(p) = app.store.person(id).await
    {
        addresses.push(p.email.to_string());
    }
    Reader { who, token: Some(token), cookie: Some(cookie), feed, addresses, receiver }
}

/// Every GET route of the API, from the OpenAPI document, with its path
/// parameters filled in every way the world has ids for.
async fn api_routes(app: &App, ids: &BTreeMap<&'static str, Vec<String>>) -> Vec<String> {
    let (status, doc) = app.call("GET", "/api/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let paths = doc["paths"].as_object().expect("paths");
    let templates: Vec<String> =
        paths.iter().filter(|(_, ops)| ops.get("get").is_some()).map(|(p, _)| p.clone()).collect();
    expand(&templates, ids)
}

/// Each template with every combination of the ids its parameters take;
/// a template with a parameter the world has no id for is reported.
fn expand(templates: &[String], ids: &BTreeMap<&'static str, Vec<String>>) -> Vec<String> {
    let mut out = Vec::new();
    for t in templates {
        let mut filled = vec![t.clone()];
        while let Some(start) = filled[0].find('{') {
            let end = filled[0][start..].find('}').expect("closing brace") + start;
            let name = filled[0][start + 1..end].to_owned();
            let values = ids.get(name.as_str()).unwrap_or_else(|| panic!("no ids for {{{name}}} in {t}"));
            let pattern = format!("{{{name}}}");
            let pattern = pattern.as_str();
            filled = filled.iter().flat_map(|f| values.iter().map(move |v| f.replacen(pattern, v, 1))).collect();
        }
        out.extend(filled);
    }
    out
}

/// Every GET page of the router, filled like the API's routes. The pages
/// that start or finish a sign-in elsewhere (single sign-on, set-password
/// links) carry no program data.
fn page_routes(ids: &BTreeMap<&'static str, Vec<String>>) -> Vec<String> {
    let templates: Vec<String> = plab_web::page_routes()
        .into_iter()
        .filter(|(method, _)| *method == axum::http::Method::GET)
        .map(|(_, path)| path.to_owned())
        .filter(|p| !p.starts_with("/auth/oidc/") && !p.starts_with("/set-password/") && !p.starts_with("/static/"))
        .collect();
    expand(&templates, ids)
}

/// Everything `r` can read through every channel, as one text.
async fn everything_read_by(app: &App, r: &Reader, api: &[String], pages: &[String], mail: &str) -> String {
    let mut seen = String::new();
    for uri in api {
        let (_, body) = app.call("GET", uri, r.token.as_deref(), None).await;
        seen.push_str(&body.to_string());
    }
    for uri in pages {
        seen.push_str(&send(app, "GET", uri, r.cookie.as_deref(), None).await.html);
    }
    if let Some(feed) = &r.feed {
        let (_, body) = app.call("GET", feed, None, None).await;
        seen.push_str(&body.to_string());
    }
    seen.push_str(mail);
    seen
}

async fn no_private_datum_reaches_anyone_the_disclosure_table_does_not_name(app: App) {
    let sink = Sink::start(free_port());
    let app = crate::mail::with_post(app, crate::mail::post_to(sink.port));
    let program = ProgramId(app.program);
    // Role combinations: a co-sponsor, and a sponsor of this program who is a leader in another.
    for id in ["S2", "L3"] {
        programs::enroll(&app.store, program, Role::Sponsor, &[id.to_owned()], None, "test").await.expect("co-sponsor");
    }
    programs::set_question(&app.store, program, "L1", QUESTION).await.expect("question");
    // The co-sponsor's upload gives the leader an address the co-sponsor reads.
    let mut l1 = app.store.person("L1").await.expect("L1");
    l1.email = plab_domain::person::Email::parse("s2.private@lab.test").expect("e-mail");
    app.store.upsert_people(&[l1], &|_| {}).await.expect("directory");
    // The pair's first three sessions held with the marked homework; the check-in is then due.
    let held =
        Held { homework: "zqxhomeworkmark: try the channel", leader: [1, 2, 3], mentor: [4, 4, 4], timed: false };
    let sessions = hold_first_three(&app, &held).await;
    let mut insights = Vec::new();
    let mut world = World { markers: BTreeMap::new(), ids: BTreeMap::new() };
    for rule in TABLE {
        if let Some(marker) = plant(&app, rule.datum, &sessions, &mut insights).await {
            world.markers.insert(rule.datum, marker);
        }
    }
    // The next session moves: both partners get the invitation with the homework and the question.
    let next = sessions[3];
    let moved = OffsetDateTime::now_utc() + time::Duration::days(3);
    app.store.reschedule_session(SessionId(next), moved).await.expect("soon");
    plab_app::notices::enqueue_due(&app.store, &app.state.vault, &app.state.post, moved - time::Duration::hours(12))
        .await
        .expect("reminders");
    mail::deliver_due(&app.store, &app.state.vault, &app.state.post, OffsetDateTime::now_utc()).await.expect("deliver");

    let session_ids: Vec<String> = sessions.iter().map(ToString::to_string).collect();
    world.ids.insert("program", vec![app.program.to_string()]);
    world.ids.insert("pair", vec![app.pair1.to_string(), app.pair2.to_string()]);
    world.ids.insert("session", session_ids);
    world.ids.insert("insight", insights);
    world.ids.insert("role", vec!["leader".into(), "mentor".into()]);
    world.ids.insert("phase", vec!["baseline".into(), "closing".into()]);
    world.ids.insert("id", vec!["L1".into()]);
    world.ids.insert("file", vec!["0-none.ics".into()]);
    let api = api_routes(&app, &world.ids).await;
    let pages = page_routes(&world.ids);

    let mut readers = vec![
        reader(&app, "l1@lab.test", Some(Receiver::Author)).await,
        reader(&app, "m1@lab.test", Some(Receiver::Partner)).await,
        reader(&app, "s@lab.test", Some(Receiver::Sponsor)).await,
        {
            let mut co_sponsor = reader(&app, "s2@lab.test", Some(Receiver::Sponsor)).await;
            co_sponsor.addresses.push("s2.private@lab.test".into());
            co_sponsor
        },
        reader(&app, "l3@lab.test", Some(Receiver::Sponsor)).await,
        reader(&app, "admin@ops.test", None).await,
        reader(&app, "l2@lab.test", None).await,
        reader(&app, "m2@lab.test", None).await,
        reader(&app, "m3@lab.test", None).await,
    ];
    let scim = crate::scim::scim_token(&app).await;
    readers.push(Reader {
        who: "identity provider",
        token: Some(scim),
        cookie: None,
        feed: None,
        addresses: vec![],
        receiver: None,
    });
    readers.push(Reader { who: "anonymous", token: None, cookie: None, feed: None, addresses: vec![], receiver: None });
    let mails = sink.take();
    let mail_of = |r: &Reader| -> String {
        mails
            .iter()
            .filter(|m| m.to.iter().any(|to| r.addresses.contains(to)))
            .map(|m| format!("{}\n{}\n{}\n{:?}", m.subject, m.text, m.html, m.calendar))
            .collect()
    };
    let audit: String = app.store.audit_log(10_000).await.expect("audit").iter().map(|e| format!("{e:?}")).collect();
    let mut found: BTreeMap<Datum, Vec<&str>> = BTreeMap::new();
    for r in &readers {
        let seen = everything_read_by(&app, r, &api, &pages, &mail_of(r)).await;
        for rule in TABLE {
            let Some(marker) = world.markers.get(&rule.datum) else { continue };
            let allowed = r.receiver.is_some_and(|rec| rule.receivers.contains(&rec));
            let there = seen.contains(marker.as_str());
            assert!(
                allowed || !there,
                "{:?} reached {} ({:?}), whom the table does not name",
                rule.datum,
                r.who,
                r.receiver
            );
            if there {
                found.entry(rule.datum).or_default().push(r.who);
            }
        }
    }
    eprintln!("{} API reads, {} pages, {} messages; found: {found:?}", api.len(), pages.len(), mails.len());
    for (datum, marker) in &world.markers {
        assert!(
            found.contains_key(datum),
            "{datum:?}: no receiver the table names found it, so the matrix could not fail"
        );
        assert!(!audit.contains(marker.as_str()), "{datum:?} is in the audit log");
    }

    // Leaving ends everything: the partner leaves today and the leader's account is disabled.
    let mut m1 = app.store.person("M1").await.expect("M1");
    m1.end_date = Some(plab_domain::Date::of_instant(OffsetDateTime::now_utc()));
    app.store.upsert_people(&[m1], &|_| {}).await.expect("leaves");
    plab_app::accounts::set_disabled_as(&app.store, "l1@lab.test", true, "test").await.expect("disabled");
    plab_app::notices::enqueue_due(&app.store, &app.state.vault, &app.state.post, moved - time::Duration::hours(6))
        .await
        .expect("reminders");
    mail::deliver_due(&app.store, &app.state.vault, &app.state.post, OffsetDateTime::now_utc()).await.expect("deliver");
    let later = sink.take();
    for r in readers.iter().filter(|r| matches!(r.receiver, Some(Receiver::Author | Receiver::Partner))) {
        assert!(later.iter().all(|m| m.to.iter().all(|to| !r.addresses.contains(to))), "mail reached {}", r.who);
        let seen = everything_read_by(&app, r, &api, &pages, "").await;
        for (datum, marker) in &world.markers {
            assert!(!seen.contains(marker.as_str()), "{datum:?} still reaches {} after leaving", r.who);
        }
        if let Some(feed) = &r.feed {
            assert_eq!(app.call("GET", feed, None, None).await.0, StatusCode::NOT_FOUND, "{}'s feed", r.who);
        }
        assert_eq!(app.try_login(r.who, PASSWORD).await.0, StatusCode::FORBIDDEN, "{} signs in", r.who);
    }
}
