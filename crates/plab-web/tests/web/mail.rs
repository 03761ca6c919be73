//! E-mail against a real SMTP server on loopback: invitations as iMIP, read
//! back with standard MIME and iCalendar parsers; reschedules with a higher
//! `SEQUENCE`; cancellations; reminders with last session's homework; the
//! server down and then up; two instances delivering one outbox; opting out;
//! password links to the account's own address only.
use crate::common::smtp::{Event, Mail, Sink, free_port, read_ics};
use crate::common::{App, PASSWORD, approve_pairs, person_in_zone};
use axum::http::StatusCode;
use plab_app::mail::{self, Post};
use plab_app::{accounts, notices, programs};
use plab_domain::program::{ProgramSettings, Role};
use plab_domain::zone::Zone;
use plab_domain::{Date, ProgramId};
use serde_json::{Value, json};
use std::time::Duration;
use time::OffsetDateTime;

crate::backends!(
    a_new_york_and_berlin_pair_is_invited_at_both_addresses_and_kept_in_step,
    nothing_is_lost_while_the_smtp_server_is_down_and_two_instances_send_each_message_once,
    reminders_carry_last_sessions_homework_and_go_only_to_those_who_want_them,
    a_forgotten_password_link_goes_to_the_accounts_own_address_only,
    without_smtp_configured_nothing_is_written_to_the_outbox,
    check_ins_due_and_the_weekly_digest_reach_the_sponsor_without_a_word_of_the_pairs,
    a_week_without_pairs_at_risk_sends_no_digest_and_is_not_looked_at_again,
    the_mail_routes_by_every_role_answer_alike_and_are_never_cached,
);

const QUESTION: &str =
    "How do our newest engineers decide which internal tools to trust, and what makes them give up on one?";

pub(crate) fn post_to(sink_port: u16) -> Post {
    Post::configured(
        &format!("smtp://127.0.0.1:{sink_port}"),
        "Perspective Lab <lab@lab.test>",
        "https://lab.test",
        Duration::from_secs(1),
    )
    .expect("mail settings")
}

pub(crate) fn with_post(mut app: App, post: Post) -> App {
    app.state = app.state.clone().with_post(post);
    app.router = plab_web::router(app.state.clone());
    app
}

async fn deliver(app: &App, now: OffsetDateTime) -> mail::Delivered {
    mail::deliver_due(&app.store, &app.state.vault, &app.state.post, now).await.expect("deliver")
}

/// A leader in New York and a mentor in Berlin (zones from the directory), in
/// a program of 12 sessions every two weeks from a Monday five weeks ahead:
/// five months, so the series meets at least one daylight-saving change.
async fn transatlantic(app: &App) -> (ProgramId, i64) {
    let people = [
        person_in_zone("NYL", "CEO", 8, "Sales", "America/New_York"),
        person_in_zone("BEM", "L2", 2, "Ops", "Europe/Berlin"),
    ];
    app.store.upsert_people(&people, &|_| {}).await.expect("people");
    let starts = Date::of_instant(OffsetDateTime::now_utc()).plus_days(35).or_next_weekday();
    let settings = ProgramSettings { sessions: 12, cadence_days: 14, ..ProgramSettings::default() };
    let program =
        programs::create(&app.store, "Transatlantic", &starts.to_string(), settings, "test").await.expect("program");
    for (role, id) in [(Role::Sponsor, "S"), (Role::Leader, "NYL"), (Role::Mentor, "BEM")] {
        programs::enroll(&app.store, program, role, &[id.to_owned()], None, "test").await.expect("enrol");
    }
    approve_pairs(&app.store, program, &[("NYL", "BEM")]).await;
    let hash = accounts::hash_password(PASSWORD).expect("hash");
    for who in ["nyl", "bem"] {
        accounts::upsert_with_hash(&app.store, &format!("{who}@lab.test"), &hash, false).await.expect("account");
    }
    programs::set_question(&app.store, program, "NYL", QUESTION).await.expect("question");
    let pair = app.store.pairs(program).await.expect("pairs")[0].id.0;
    (program, pair)
}

async fn accept(app: &App, pair: i64, who: &[&str]) {
    for w in who {
        let token = app.login(w).await;
        let (status, body) = app.call("POST", &format!("/api/v1/pairs/{pair}/charter"), Some(&token), None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
}

async fn sessions_of(app: &App, pair: i64, who: &str) -> Vec<Value> {
    let token = app.login(who).await;
    let (_, list) = app.call("GET", &format!("/api/v1/pairs/{pair}/sessions"), Some(&token), None).await;
    list.as_array().expect("sessions").clone()
}

/// The invitation in a message: its method and its one event.
fn invitation(m: &Mail) -> (String, Event) {
    let (method, ics) = m.calendar.clone().unwrap_or_else(|| panic!("a text/calendar part in {}", m.subject));
    let (inner, mut events) = read_ics(&ics);
    assert_eq!(inner.as_deref(), Some(method.as_str()), "the part's method and the calendar's METHOD agree");
    assert_eq!(events.len(), 1, "one event per iMIP message");
    assert!(m.attachments.iter().any(|a| a == "invite.ics"), "the .ics is attached too");
    (method, events.remove(0))
}

fn to_each(mails: &[Mail], address: &str) -> Vec<Mail> {
    mails.iter().filter(|m| m.to == [address.to_owned()]).cloned().collect()
}

async fn feed(app: &App, who: &str) -> Vec<Event> {
    let token = app.login(who).await;
    let (_, me) = app.call("GET", "/api/v1/me", Some(&token), None).await;
    let url = me["calendar_url"].as_str().expect("url").trim_start_matches("http://localhost").to_owned();
    let (status, body) = app.call("GET", &url, None, None).await;
    assert_eq!(status, StatusCode::OK);
    let (method, events) = read_ics(body.as_str().expect("text"));
    assert_eq!(method, None, "a subscribed feed carries no METHOD");
    events
}

fn inside_working_hours(zone: &Zone, start: OffsetDateTime, minutes: u32) -> bool {
    plab_domain::series::minutes_outside_working_hours(zone, start, minutes) == 0
}

async fn a_new_york_and_berlin_pair_is_invited_at_both_addresses_and_kept_in_step(app: App) {
    let sink = Sink::start(free_port());
    let app = with_post(app, post_to(sink.port));
    let (_, pair) = transatlantic(&app).await;
    accept(&app, pair, &["nyl@lab.test", "bem@lab.test"]).await;
    let sent = deliver(&app, OffsetDateTime::now_utc()).await;
    assert_eq!((sent.sent, sent.retrying, sent.failed), (24, 0, 0), "12 sessions, two partners");
    let mails = sink.take();
    let (ny, berlin) = (Zone::parse("America/New_York").expect("ny"), Zone::parse("Europe/Berlin").expect("berlin"));
    let mut starts = Vec::new();
    for (address, own_zone) in [("nyl@lab.test", &ny), ("bem@lab.test", &berlin)] {
        let inbox = to_each(&mails, address);
        assert_eq!(inbox.len(), 12, "{address} gets one invitation per session");
        for m in &inbox {
            let (method, event) = invitation(m);
            assert_eq!(method, "REQUEST");
            assert_eq!(event.sequence(), 0);
            assert_eq!(event.get("ORGANIZER"), "mailto:lab@lab.test");
            assert_eq!(event.attendees, ["mailto:nyl@lab.test", "mailto:bem@lab.test"]);
            assert!(!event.get("DTSTAMP").is_empty() && !event.get("LAST-MODIFIED").is_empty());
            assert!(event.get("DESCRIPTION").contains(QUESTION), "the research question is in the description");
            let start = event.start();
            let local = own_zone.human(start);
            assert!(m.text.contains(&local) && m.html.contains(&local), "{address} reads {local} in its own zone");
            assert!(m.message_id.ends_with("@perspective-lab"), "{}", m.message_id);
            if address == "nyl@lab.test" {
                starts.push((event.uid().to_owned(), start));
            }
        }
    }
    starts.sort_by_key(|(_, t)| *t);
    // The same wall-clock time in New York for the whole series, inside both working days.
    let clock: std::collections::BTreeSet<String> = starts.iter().map(|(_, t)| ny.hhmm(*t)).collect();
    assert_eq!(clock.len(), 1, "one local time in New York: {clock:?}");
    for (_, t) in &starts {
        assert!(inside_working_hours(&ny, *t, 60) && inside_working_hours(&berlin, *t, 60), "{}", berlin.human(*t));
    }
    let utc_hours: std::collections::BTreeSet<u8> = starts.iter().map(|(_, t)| t.hour()).collect();
    assert!(utc_hours.len() > 1, "the series crosses a daylight-saving change, so its UTC time moves: {utc_hours:?}");

    // The feed holds the same events: same UIDs and SEQUENCE.
    let feed_events = feed(&app, "bem@lab.test").await;
    assert_eq!(feed_events.len(), 12);
    for (uid, start) in &starts {
        let e = feed_events.iter().find(|e| e.uid() == uid).expect("same UID in the feed");
        assert_eq!((e.sequence(), e.start()), (0, *start));
        assert_eq!(e.get("STATUS"), "CONFIRMED");
    }

    // The mentor moves session 2 to 16:30 on their own clock, seeing both local times first.
    let sessions = sessions_of(&app, pair, "bem@lab.test").await;
    let second = &sessions[1];
    let old = plab_domain::session::parse_instant(second["starts_at"].as_str().expect("t")).expect("t");
    let day = berlin.local(old).day;
    let local_input = format!("{day}T16:30");
    let mentor = app.login("bem@lab.test").await;
    let body = json!({"starts_at": local_input}).to_string();
    let preview = format!("/api/v1/sessions/{}/reschedule/preview", second["id"]);
    let (status, moves) = app.call("POST", &preview, Some(&mentor), Some(body.clone())).await;
    assert_eq!(status, StatusCode::OK, "{moves}");
    let expected_at = berlin.at_local(day, 16, 30).expect("16:30 in Berlin");
    assert_eq!(moves[0]["leader_local"], ny.human(expected_at));
    assert_eq!(moves[0]["mentor_local"], berlin.human(expected_at));
    assert_eq!(
        mail::status(&app.store, &app.state.post).await.expect("status").outbox.pending,
        0,
        "a preview sends nothing"
    );
    let (status, moved) =
        app.call("POST", &format!("/api/v1/sessions/{}/reschedule", second["id"]), Some(&mentor), Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(deliver(&app, OffsetDateTime::now_utc()).await.sent, 2);
    let uid2 = starts[1].0.clone();
    for m in sink.take() {
        let (method, event) = invitation(&m);
        assert_eq!((method.as_str(), event.uid(), event.sequence()), ("REQUEST", uid2.as_str(), 1), "{}", m.subject);
        assert_eq!(event.start(), expected_at);
    }

    // The leader moves the rest of the series from session 4 to the next day, 11:00 New York time.
    let fourth = &sessions[3];
    let at = plab_domain::session::parse_instant(fourth["starts_at"].as_str().expect("t")).expect("t");
    let new_day = ny.local(at).day.plus_days(1);
    let leader = app.login("nyl@lab.test").await;
    let body = json!({"starts_at": format!("{new_day}T11:00"), "scope": "rest"}).to_string();
    let (status, moved) =
        app.call("POST", &format!("/api/v1/sessions/{}/reschedule", fourth["id"]), Some(&leader), Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(deliver(&app, OffsetDateTime::now_utc()).await.sent, 18, "sessions 4 to 12, both partners");
    for m in sink.take() {
        let (_, event) = invitation(&m);
        assert_eq!(event.sequence(), 1);
        let local = ny.local(event.start());
        assert_eq!((local.hour, local.minute, local.weekday), (11, 0, ny.local(at).weekday.next()));
    }

    // The leader cancels session 3: both get METHOD:CANCEL for the same UID, a higher SEQUENCE.
    let third = &sessions[2];
    let (status, _) = app
        .call("POST", &format!("/api/v1/sessions/{}/cancel", third["id"]), Some(&leader), Some(json!({}).to_string()))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(deliver(&app, OffsetDateTime::now_utc()).await.sent, 2);
    let cancels = sink.take();
    assert_eq!(cancels.iter().flat_map(|m| m.to.clone()).collect::<Vec<_>>().len(), 2);
    for m in &cancels {
        let (method, event) = invitation(m);
        assert_eq!((method.as_str(), event.uid(), event.sequence()), ("CANCEL", starts[2].0.as_str(), 1));
        assert_eq!(event.get("STATUS"), "CANCELLED");
    }
    let feed_events = feed(&app, "nyl@lab.test").await;
    let by_uid = |uid: &str| feed_events.iter().find(|e| e.uid() == uid).expect("in the feed").clone();
    assert_eq!(by_uid(&starts[1].0).sequence(), 1);
    assert_eq!(by_uid(&starts[1].0).start(), expected_at);
    assert_eq!(by_uid(&starts[2].0).get("STATUS"), "CANCELLED");
    assert_eq!(mail::status(&app.store, &app.state.post).await.expect("status").outbox.sent, 46);
}

async fn nothing_is_lost_while_the_smtp_server_is_down_and_two_instances_send_each_message_once(app: App) {
    let port = free_port();
    let app = with_post(app, post_to(port));
    accept(&app, app.pair1, &["l1@lab.test", "m1@lab.test"]).await;
    let now = OffsetDateTime::now_utc();
    let down = deliver(&app, now).await;
    assert_eq!((down.sent, down.retrying), (0, 12), "six sessions, two partners: all kept for later");
    let status = mail::status(&app.store, &app.state.post).await.expect("status");
    assert_eq!((status.outbox.pending, status.outbox.sent), (12, 0));
    assert!(!status.outbox.recent_errors.is_empty(), "the connection error is recorded");
    assert_eq!(deliver(&app, now).await, mail::Delivered::default(), "not again before the backoff");

    // The server comes up; two instances on the same database deliver at the same moment.
    let sink = Sink::start(port);
    let other = app.other_process().await;
    let later = now + time::Duration::seconds(5);
    let (a, b) = tokio::join!(
        mail::deliver_due(&app.store, &app.state.vault, &app.state.post, later),
        mail::deliver_due(&other, &app.state.vault, &app.state.post, later),
    );
    let (a, b) = (a.expect("first instance"), b.expect("second instance"));
    assert_eq!(a.sent + b.sent, 12, "{a:?} {b:?}");
    let mails = sink.take();
    assert_eq!(mails.len(), 12, "each message once");
    let ids: std::collections::BTreeSet<&str> = mails.iter().map(|m| m.message_id.as_str()).collect();
    assert_eq!(ids.len(), 12, "no message twice");
    assert_eq!(deliver(&app, later + time::Duration::hours(1)).await, mail::Delivered::default());
    let status = mail::status(&app.store, &app.state.post).await.expect("status");
    assert_eq!((status.outbox.pending, status.outbox.sending, status.outbox.sent, status.outbox.failed), (0, 0, 12, 0));
}

async fn reminders_carry_last_sessions_homework_and_go_only_to_those_who_want_them(app: App) {
    let sink = Sink::start(free_port());
    let app = with_post(app, post_to(sink.port));
    let (_, pair) = transatlantic(&app).await;
    accept(&app, pair, &["nyl@lab.test", "bem@lab.test"]).await;
    deliver(&app, OffsetDateTime::now_utc()).await;
    sink.take();
    let sessions = sessions_of(&app, pair, "nyl@lab.test").await;
    // Session 1 is held with homework; the leader keeps reminders, the mentor turns them off.
    crate::common::move_to_past(&app, sessions[0]["id"].as_i64().expect("id")).await;
    let leader = app.login("nyl@lab.test").await;
    let homework = "Shadow the support queue for an hour and note every tool you see";
    let (status, body) = app
        .call(
            "POST",
            &format!("/api/v1/sessions/{}/hold", sessions[0]["id"]),
            Some(&leader),
            Some(json!({"homework": homework}).to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mentor = app.login("bem@lab.test").await;
    let off = json!({"reminders": false, "digests": true}).to_string();
    let (status, body) = app.call("PUT", "/api/v1/me/mail", Some(&mentor), Some(off)).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"reminders": false, "digests": true})));
    let (_, me) = app.call("GET", "/api/v1/me", Some(&mentor), None).await;
    assert_eq!(me["mail"]["reminders"], false);

    // Half a day before session 2: one reminder, to the leader, with the homework and the question.
    let second = plab_domain::session::parse_instant(sessions[1]["starts_at"].as_str().expect("t")).expect("t");
    let before = second - time::Duration::hours(12);
    let written = notices::enqueue_due(&app.store, &app.state.vault, &app.state.post, before).await.expect("notices");
    assert_eq!(written.reminders, 1);
    let again = notices::enqueue_due(&app.store, &app.state.vault, &app.state.post, before).await.expect("again");
    assert_eq!(again.reminders, 0, "written once, however often the clock ticks");
    assert!(!holds(&outbox_bytes(&app).await, homework), "a waiting message is sealed: no homework in the clear");
    assert_eq!(deliver(&app, OffsetDateTime::now_utc()).await.sent, 1);
    let mails = sink.take();
    assert_eq!(mails.len(), 1);
    let r = &mails[0];
    assert_eq!(r.to, ["nyl@lab.test"]);
    assert!(r.calendar.is_none(), "a reminder is no invitation");
    assert!(r.text.contains(homework) && r.text.contains(QUESTION), "{}", r.text);
    let ny = Zone::parse("America/New_York").expect("ny");
    assert!(r.subject.contains(&ny.human(second)), "{}", r.subject);
    assert!(r.text.contains("/account"), "says how to turn reminders off");
    assert!(!holds(&outbox_bytes(&app).await, homework), "nor once sent");
}

/// Every byte the outbox table holds.
async fn outbox_bytes(app: &App) -> Vec<u8> {
    plab_store::testing::outbox_bytes(&app.store).await
}

/// Waits (up to ten seconds) until the outbox holds `n` pending messages:
/// "forgot your password" queues its work and answers at once.
pub(crate) async fn waiting_mail(app: &App, n: i64) {
    for _ in 0..200 {
        if app.store.mail_counts().await.expect("counts").pending >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{n} message(s) never reached the outbox");
}

fn holds(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

async fn a_forgotten_password_link_goes_to_the_accounts_own_address_only(app: App) {
    let sink = Sink::start(free_port());
    let app = with_post(app, post_to(sink.port));
    let ask = |email: &str| json!({ "email": email }).to_string();
    let (status, known) = app.call("POST", "/api/v1/auth/password-link", None, Some(ask("l1@lab.test"))).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let (status, unknown) = app.call("POST", "/api/v1/auth/password-link", None, Some(ask("nobody@lab.test"))).await;
    assert_eq!((status, &unknown), (StatusCode::ACCEPTED, &known), "no telling who has an account");
    let (status, body) = app.call("POST", "/api/v1/auth/password-link", None, Some(ask("not an address"))).await;
    crate::common::assert_error_json(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    // The work is queued (the answer comes at once): wait for it to be done.
    waiting_mail(&app, 1).await;
    // A second request within the hour sends nothing more.
    app.call("POST", "/api/v1/auth/password-link", None, Some(ask("l1@lab.test"))).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(app.store.mail_counts().await.expect("counts").pending, 1, "one link an hour");
    let waiting = outbox_bytes(&app).await;
    assert!(!holds(&waiting, "set-password"), "the waiting message, link and all, is sealed");
    assert_eq!(deliver(&app, OffsetDateTime::now_utc()).await.sent, 1);
    let mails = sink.take();
    assert_eq!(mails[0].to, ["l1@lab.test"]);
    let link = mails[0]
        .text
        .split("https://lab.test")
        .find_map(|r| r.strip_prefix("/set-password/"))
        .and_then(|r| r.split_whitespace().next())
        .expect("a set-password link")
        .to_owned();
    let page = crate::common::browser::send(&app, "GET", &format!("/set-password/{link}"), None, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("l1@lab.test"));
    assert!(!holds(&waiting, &link) && !holds(&outbox_bytes(&app).await, &link), "the link is never in the clear");
    // The sign-in page offers it; the forgot page answers alike for anyone.
    let (cookie, csrf) = crate::common::browser::pre_session(&app, "/forgot-password").await;
    let form = crate::common::browser::form(&[("csrf", &csrf), ("email", "nobody@lab.test")]);
    let page = crate::common::browser::send(&app, "POST", "/forgot-password", Some(&cookie), Some(&form)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains(accounts::FORGOT_ANSWER), "{}", page.html);
}

async fn without_smtp_configured_nothing_is_written_to_the_outbox(app: App) {
    accept(&app, app.pair1, &["l1@lab.test", "m1@lab.test"]).await;
    let status = mail::status(&app.store, &app.state.post).await.expect("status");
    assert!(!status.configured);
    assert_eq!((status.outbox.pending, status.outbox.sent), (0, 0));
    let (status, body) =
        app.call("POST", "/api/v1/auth/password-link", None, Some(json!({"email": "l1@lab.test"}).to_string())).await;
    crate::common::assert_error_json(status, &body, StatusCode::CONFLICT);
    let page = crate::common::browser::send(&app, "GET", "/forgot-password", None, None).await;
    assert!(page.html.contains("Ask your administrator"), "{}", page.html);
}

async fn check_ins_due_and_the_weekly_digest_reach_the_sponsor_without_a_word_of_the_pairs(app: App) {
    let sink = Sink::start(free_port());
    let app = with_post(app, post_to(sink.port));
    // Pair 1 shows the expert reflex over three held sessions; pair 2 is healthy. Both reach their check-in.
    let reflex = [[1, 4, 4], [4, 4, 4], [2, 4, 4]];
    crate::report::three_held_sessions(&app, app.pair1, "l1@lab.test", "m1@lab.test", reflex).await;
    crate::report::three_held_sessions(&app, app.pair2, "l2@lab.test", "m2@lab.test", [[5, 5, 4]; 3]).await;
    deliver(&app, OffsetDateTime::now_utc()).await;
    sink.take();
    let now = OffsetDateTime::now_utc();
    let written = notices::enqueue_due(&app.store, &app.state.vault, &app.state.post, now).await.expect("notices");
    assert_eq!((written.checkins_due, written.digests), (5, 1), "four partners and the sponsor; one digest");
    let again = notices::enqueue_due(&app.store, &app.state.vault, &app.state.post, now).await.expect("again");
    assert_eq!((again.checkins_due, again.digests), (0, 0), "once each");
    deliver(&app, OffsetDateTime::now_utc()).await; // now: the notices were written after `now`
    let mails = sink.take();
    let to = |who: &str| mails.iter().filter(|m| m.to == [who.to_owned()]).collect::<Vec<_>>();
    for partner in ["l1@lab.test", "m1@lab.test", "l2@lab.test", "m2@lab.test"] {
        let mine = to(partner);
        assert_eq!(mine.len(), 1, "{partner}");
        assert!(mine[0].subject.contains("check-in is due") && mine[0].text.contains("/checkin"), "{}", mine[0].text);
    }
    let sponsor = to("s@lab.test");
    assert_eq!(sponsor.len(), 2, "one check-in notice and one digest");
    let digest = sponsor.iter().find(|m| m.subject.contains("at risk")).expect("digest");
    assert!(digest.subject.contains("1 of 2 pairs at risk"), "{}", digest.subject);
    assert!(
        digest.text.contains(&format!("Pair {} (Name L1 and Name M1): expert reflex", app.pair1)),
        "{}",
        digest.text
    );
    assert!(!digest.text.contains(&format!("Pair {} ", app.pair2)), "a healthy pair is not named");
    for m in &sponsor {
        assert!(!m.raw.contains("team channel"), "no homework reaches the sponsor: {}", m.raw);
    }
    assert!(to("s2@lab.test").is_empty(), "another program's sponsor hears nothing of this one");
}

async fn a_week_without_pairs_at_risk_sends_no_digest_and_is_not_looked_at_again(app: App) {
    let sink = Sink::start(free_port());
    let app = with_post(app, post_to(sink.port));
    let now = OffsetDateTime::now_utc();
    for _ in 0..2 {
        let written = notices::enqueue_due(&app.store, &app.state.vault, &app.state.post, now).await.expect("notices");
        assert_eq!(written, notices::Written::default(), "nothing to send");
    }
    let status = mail::status(&app.store, &app.state.post).await.expect("status");
    assert_eq!(
        (status.outbox.pending, status.outbox.skipped),
        (0, 2),
        "one week's digest of each program, recorded once"
    );
    assert_eq!(deliver(&app, OffsetDateTime::now_utc()).await, mail::Delivered::default());
    assert!(sink.take().is_empty());
}

/// The mail routes by role (own partners, a sponsor, the other pair, another
/// program's sponsor, an administrator, an anonymous caller): the password
/// link answers everyone alike and mails only the account's own address;
/// mail preferences are one's own; no answer may be cached.
async fn the_mail_routes_by_every_role_answer_alike_and_are_never_cached(app: App) {
    use tower::ServiceExt;
    let sink = Sink::start(free_port());
    let app = with_post(app, post_to(sink.port));
    let ids = crate::common::activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    deliver(&app, OffsetDateTime::now_utc()).await;
    sink.take();
    let preview = json!({"starts_at": plab_domain::session::format_instant(OffsetDateTime::now_utc() + time::Duration::days(30))});
    let routes: Vec<(&str, String, Option<String>)> = vec![
        ("POST", "/api/v1/auth/password-link".into(), Some(json!({"email": "m2@lab.test"}).to_string())),
        ("PUT", "/api/v1/me/mail".into(), Some(json!({"reminders": false, "digests": true}).to_string())),
        ("POST", format!("/api/v1/sessions/{}/reschedule/preview", ids[1]), Some(preview.to_string())),
    ];
    use StatusCode as C;
    let (link, ok) = (C::ACCEPTED, C::OK);
    let matrix: Vec<(Option<&str>, [C; 3])> = vec![
        (Some("l1@lab.test"), [link, ok, ok]),
        (Some("m1@lab.test"), [link, ok, ok]),
        (Some("s@lab.test"), [link, ok, C::FORBIDDEN]),
        (Some("l2@lab.test"), [link, ok, C::NOT_FOUND]),
        (Some("s2@lab.test"), [link, ok, C::NOT_FOUND]),
        (Some("admin@ops.test"), [link, ok, C::NOT_FOUND]),
        (None, [link, C::UNAUTHORIZED, C::UNAUTHORIZED]),
    ];
    let refusals = crate::common::api_matrix_refusals(&app, &routes, &matrix).await;
    for r in &refusals {
        assert!(!r.to_string().contains("leader_local") && !r.to_string().contains("Name L1"), "{r}");
    }
    // Seven requests for M2's link, whoever asked: one message, to M2's own address.
    deliver(&app, OffsetDateTime::now_utc()).await;
    let mails = sink.take();
    assert_eq!(mails.iter().map(|m| m.to.clone()).collect::<Vec<_>>(), [vec!["m2@lab.test".to_owned()]]);
    // Every answer of these routes is no-store.
    let token = app.login("l1@lab.test").await;
    for (method, uri, body) in &routes {
        let req = axum::http::Request::builder()
            .method(*method)
            .uri(uri.as_str())
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(axum::body::Body::from(body.clone().unwrap_or_default()))
            .expect("request");
        let resp = app.router.clone().oneshot(req).await.expect("response");
        assert!(resp.status().is_success(), "{uri}: {}", resp.status());
        assert_eq!(resp.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"), "{uri}");
    }
    // The browser form: a forged or missing pre-session token is refused, and nothing is sent.
    let forged = crate::common::browser::form(&[("csrf", "forged"), ("email", "m2@lab.test")]);
    let page = crate::common::browser::send(&app, "POST", "/forgot-password", None, Some(&forged)).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let (cookie, _) = crate::common::browser::sign_in(&app, "s@lab.test").await;
    let page = crate::common::browser::send(&app, "POST", "/forgot-password", Some(&cookie), Some(&forged)).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "a signed-in sponsor cannot post it without its own token either");
    assert!(!page.html.contains(accounts::FORGOT_ANSWER));
}
