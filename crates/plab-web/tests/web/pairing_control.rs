//! Pairing under the sponsor's control (issue 21): rules checked by name
//! when made and re-run at once, undone from the list of rules in force; an
//! approved program's pairs read-only, ended with a reason (both partners
//! told, their notes kept for the two of them) and re-matched; the review
//! paged, without an option list per row.
use crate::common::browser::{form, send, sign_in};
use crate::common::smtp::{Sink, free_port};
use crate::common::{App, activate, person_in_zone};
use crate::mail::{post_to, with_post};
use axum::http::StatusCode;
use plab_app::programs;
use plab_domain::pair::PairStatus;
use plab_domain::program::{ProgramSettings, Role};
use plab_store::{PairRule, ProgramId};
use serde_json::json;

crate::backends!(
    a_pin_the_hard_rules_forbid_is_refused_by_name_beside_the_form_with_the_input_kept,
    a_rule_change_reruns_at_once_shows_what_changed_and_undo_removes_the_rule,
    an_approved_programs_pairs_are_read_only_with_no_rule_buttons,
    ending_a_pair_needs_a_reason_tells_both_partners_and_keeps_the_notes_to_the_two,
    a_rematch_never_pairs_the_old_partners_again,
    only_the_programs_sponsor_ends_or_rematches_a_pair,
    the_review_of_a_large_program_is_paged_with_no_option_list_per_row,
);

const QUESTION: &str =
    "Why do buyers under 35 scroll past our TikTok campaigns, and what should we change in our next launch?";

/// "Spring cohort": sponsor S; leaders CL1 (Sales) and CL2 (Finance), each
/// with a question; mentors CM1 (reports to L2), CM2 (reports to CL1, so in
/// CL1's reporting chain) and CM3, one place each.
async fn spring_cohort(app: &App) -> ProgramId {
    let people = [
        person_in_zone("CL1", "CEO", 8, "Sales", ""),
        person_in_zone("CL2", "CEO", 8, "Finance", ""),
        person_in_zone("CM1", "L2", 2, "Ops", ""),
        person_in_zone("CM2", "CL1", 2, "Sales", ""),
        person_in_zone("CM3", "CEO", 3, "Legal", ""),
    ];
    app.store.upsert_people(&people, &|_| {}).await.expect("people");
    let start = crate::common::program_start().to_string();
    let c = programs::create(&app.store, "Spring cohort", &start, ProgramSettings::default(), "test")
        .await
        .expect("program");
    for (role, ids) in
        [(Role::Sponsor, &["S"][..]), (Role::Leader, &["CL1", "CL2"]), (Role::Mentor, &["CM1", "CM2", "CM3"])]
    {
        let ids: Vec<String> = ids.iter().map(|s| (*s).to_owned()).collect();
        programs::enroll(&app.store, c, role, &ids, None, "test").await.expect("enrol");
    }
    for leader in ["CL1", "CL2"] {
        programs::set_question(&app.store, c, leader, QUESTION).await.expect("question");
    }
    c
}

fn rule_form(csrf: &str, leader: &str, mentor: &str, rule: &str) -> String {
    form(&[("csrf", csrf), ("leader", leader), ("mentor", mentor), ("rule", rule)])
}

async fn a_pin_the_hard_rules_forbid_is_refused_by_name_beside_the_form_with_the_input_kept(app: App) {
    let c = spring_cohort(&app).await;
    let (cookie, csrf) = sign_in(&app, "s@lab.test").await;
    let uri = format!("/programs/{}/pairing/rule", c.0);
    // CM2 reports to CL1: a pin inside a reporting chain is refused when made.
    let refused = send(&app, "POST", &uri, Some(&cookie), Some(&rule_form(&csrf, "Name CL1", "Name CM2", "pin"))).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.html);
    let beside = refused.html.split("id=\"rule-mentor-error\"").nth(1).expect("the reason beside the mentor field");
    assert!(beside.contains("Name CM2 is in Name CL1&#39;s reporting chain"), "{beside}");
    assert!(refused.html.contains("id=\"pairing-problems\""), "and in the summary at the top");
    assert!(refused.html.contains("value=\"Name CM2\" aria-invalid=\"true\""), "the input is kept");
    assert!(refused.html.contains(
        "id=\"rule-leader\" name=\"leader\" list=\"leader-names\" autocomplete=\"off\" required value=\"Name CL1\""
    ));
    assert!(!refused.html.contains("cannot pin leader") && !refused.html.contains("CM2&#39;"), "no ids");
    assert!(app.store.pair_rules(c, PairRule::Pin).await.expect("pins").is_empty(), "nothing saved");

    // Someone who is not a leader of the program, by the name typed.
    let nobody =
        send(&app, "POST", &uri, Some(&cookie), Some(&rule_form(&csrf, "Name Nobody", "Name CM3", "pin"))).await;
    assert_eq!(nobody.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(nobody.html.contains("No leader of Spring cohort is called"), "{}", nobody.html);
    assert!(nobody.html.contains("id=\"rule-leader-error\""), "beside the leader field");
    let wrong_role =
        send(&app, "POST", &uri, Some(&cookie), Some(&rule_form(&csrf, "Name CM3", "Name CM1", "pin"))).await;
    assert!(wrong_role.html.contains("Name CM3 is not a leader in Spring cohort"), "{}", wrong_role.html);

    // A pin against a forbid in force, and a second pin for the same leader.
    let forbid =
        send(&app, "POST", &uri, Some(&cookie), Some(&rule_form(&csrf, "Name CL2", "Name CM3", "forbid"))).await;
    assert_eq!(forbid.status, StatusCode::SEE_OTHER, "{}", forbid.html);
    let against = send(&app, "POST", &uri, Some(&cookie), Some(&rule_form(&csrf, "Name CL2", "Name CM3", "pin"))).await;
    assert_eq!(against.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        against.html.contains("Name CL2 and Name CM3 are never to be paired: undo that rule first."),
        "{}",
        against.html
    );
    let pin = send(&app, "POST", &uri, Some(&cookie), Some(&rule_form(&csrf, "CL1", "CM3", "pin"))).await;
    assert_eq!(pin.status, StatusCode::SEE_OTHER, "{}", pin.html);
    let twice = send(&app, "POST", &uri, Some(&cookie), Some(&rule_form(&csrf, "Name CL1", "Name CM1", "pin"))).await;
    assert!(twice.html.contains("Name CL1 is already pinned to Name CM3: undo that pin first."), "{}", twice.html);
    // CM3 has one place, taken by CL1's pin: a second pin on CM3 breaks capacity.
    app.store.clear_pair_rule(c, "CL2", "CM3").await.expect("clear the forbid");
    let full = send(&app, "POST", &uri, Some(&cookie), Some(&rule_form(&csrf, "Name CL2", "Name CM3", "pin"))).await;
    assert_eq!(full.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", full.html);
    assert!(full.html.contains("Name CM3 has no place left for Name CL2"), "{}", full.html);

    // The API refuses alike, as a JSON problem naming the people.
    let token = app.login("s@lab.test").await;
    let body = json!({"leader": "CL1", "mentor": "CM2", "rule": "pin"}).to_string();
    app.store.clear_pair_rule(c, "CL1", "CM3").await.expect("clear the pin");
    let (status, answer) =
        app.call("POST", &format!("/api/v1/programs/{}/pairing/rules", c.0), Some(&token), Some(body)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let message = answer["error"]["message"].as_str().expect("message");
    assert!(
        message.contains("Name CM2 is in Name CL1's reporting chain") && !message.contains("cannot pin"),
        "{message}"
    );
    assert!(app.store.pair_rules(c, PairRule::Pin).await.expect("pins").is_empty());
}

async fn a_rule_change_reruns_at_once_shows_what_changed_and_undo_removes_the_rule(app: App) {
    let c = spring_cohort(&app).await;
    let (cookie, csrf) = sign_in(&app, "s@lab.test").await;
    let pairing = format!("/programs/{}/pairing", c.0);
    let run = send(&app, "POST", &format!("{pairing}/run"), Some(&cookie), Some(&form(&[("csrf", &csrf)]))).await;
    assert_eq!(run.status, StatusCode::SEE_OTHER, "{}", run.html);
    let first = app.store.latest_proposal_id(c).await.expect("latest").expect("a proposal");
    let before = app.store.proposal(c, first).await.expect("proposal");
    let cl2 = before.pairs.iter().find(|p| p.leader == "CL2").expect("CL2 is paired").mentor.clone();
    // Never this pair: saved, re-run at once, and the page says what changed.
    let never =
        send(&app, "POST", &format!("{pairing}/rule"), Some(&cookie), Some(&rule_form(&csrf, "CL2", &cl2, "forbid")))
            .await;
    assert_eq!(never.status, StatusCode::SEE_OTHER, "{}", never.html);
    let location = never.location.expect("back to the page");
    assert!(location.contains("done=forbid"), "{location}");
    let second = app.store.latest_proposal_id(c).await.expect("latest").expect("a proposal");
    assert!(second > first, "the engine ran again without being asked");
    let after = app.store.proposal(c, second).await.expect("proposal");
    assert!(!after.pairs.iter().any(|p| p.leader == "CL2" && p.mentor == cl2), "the forbidden pair is gone");
    let page = send(&app, "GET", &location, Some(&cookie), None).await;
    let changed =
        page.html.split("id=\"what-changed\"").nth(1).expect("what changed").split("</section>").next().unwrap_or("");
    assert!(changed.contains(&format!("<li>Name CL2 with Name {cl2}</li>")), "removed, by name: {changed}");
    // The rule in force, by name, with its undo.
    let rules = page
        .html
        .split("<table id=\"rules\"")
        .nth(1)
        .expect("the rules in force")
        .split("</table>")
        .next()
        .unwrap_or("");
    assert!(rules.contains("Never pair") && rules.contains("<td data-label=\"Leader\">Name CL2</td>"), "{rules}");
    assert!(rules.contains("Undo"), "{rules}");
    assert!(!rules.contains(">CL2<"), "names, not ids");
    let undo = form(&[("csrf", &csrf), ("leader", "CL2"), ("mentor", &cl2)]);
    let undone = send(&app, "POST", &format!("{pairing}/rule/clear"), Some(&cookie), Some(&undo)).await;
    assert_eq!(undone.status, StatusCode::SEE_OTHER, "{}", undone.html);
    assert!(app.store.pair_rules(c, PairRule::Forbid).await.expect("forbids").is_empty(), "the rule is gone");
    let third = app.store.latest_proposal_id(c).await.expect("latest").expect("a proposal");
    assert!(third > second, "undo re-runs too");
    let page = send(&app, "GET", undone.location.as_deref().expect("back"), Some(&cookie), None).await;
    assert!(page.html.contains("id=\"no-rules\""), "no rule listed any more");
    // Undoing it twice is said in words, on the page.
    let again = send(&app, "POST", &format!("{pairing}/rule/clear"), Some(&cookie), Some(&undo)).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.html.contains("no longer in force"), "{}", again.html);
    // Over the API: the list by name, and a change answers with the new proposal.
    let token = app.login("s@lab.test").await;
    let rules_uri = format!("/api/v1/programs/{}/pairing/rules", c.0);
    let body = json!({"leader": "CL1", "mentor": "CM3", "rule": "forbid"}).to_string();
    let (status, answer) = app.call("POST", &rules_uri, Some(&token), Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert!(answer["proposal"].as_i64().is_some_and(|p| p > third), "{answer}");
    let (_, listed) = app.call("GET", &rules_uri, Some(&token), None).await;
    assert_eq!(
        listed,
        json!([{"leader": {"id": "CL1", "name": "Name CL1"}, "mentor": {"id": "CM3", "name": "Name CM3"}, "rule": "forbid"}])
    );
    let (status, _) = app.call("DELETE", &format!("{rules_uri}?leader=CL1&mentor=CM3"), Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    // Fit as a band a sponsor reads, never a bare score.
    let page = send(&app, "GET", &pairing, Some(&cookie), None).await;
    assert!(page.html.contains("match</span>") && page.html.contains("/100"), "{}", page.html);
    assert!(!page.html.contains("total fit"), "no bare total");
}

async fn an_approved_programs_pairs_are_read_only_with_no_rule_buttons(app: App) {
    let (cookie, _) = sign_in(&app, "s@lab.test").await;
    let page = send(&app, "GET", &format!("/programs/{}/pairing", app.program), Some(&cookie), None).await;
    assert_eq!(page.status, StatusCode::OK);
    let pairs = page
        .html
        .split("<table id=\"pairs\"")
        .nth(1)
        .expect("the program's pairs")
        .split("</table>")
        .next()
        .unwrap_or("");
    assert_eq!(pairs.matches("<tr class=\"pair-row").count(), 2, "{pairs}");
    for offered in ["Never this pair", "Swap to", "swap-row", "forbid-row", "change-row", ">Pin<"] {
        assert!(!page.html.contains(offered), "{offered} is not offered on approved pairs");
    }
    assert_eq!(pairs.matches("End this pair</button>").count(), 2, "each pair can be ended");
    assert!(pairs.contains("class=\"danger\""), "a destructive button looks like one");
    assert!(!page.html.contains("id=\"proposal\""), "no proposal to approve");
}

async fn ending_a_pair_needs_a_reason_tells_both_partners_and_keeps_the_notes_to_the_two(app: App) {
    let sink = Sink::start(free_port());
    let app = with_post(app, post_to(sink.port));
    let planned = activate(&app, app.pair1, "l1@lab.test", "m1@lab.test").await;
    assert!(!planned.is_empty(), "the pair has planned sessions");
    let (l1, m1) = (app.login("l1@lab.test").await, app.login("m1@lab.test").await);
    let notes = format!("/api/v1/pairs/{}/notes", app.pair1);
    for (who, text) in [(&l1, "What I learned from the store visit"), (&m1, "Bring the survey next time")] {
        let (status, _) = app.call("POST", &notes, Some(who), Some(json!({"body": text}).to_string())).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    plab_app::mail::deliver_due(&app.store, &app.state.vault, &app.state.post, time::OffsetDateTime::now_utc())
        .await
        .expect("deliver");
    sink.take();

    let (cookie, csrf) = sign_in(&app, "s@lab.test").await;
    let end = format!("/pairs/{}/end", app.pair1);
    let blank = send(&app, "POST", &end, Some(&cookie), Some(&form(&[("csrf", &csrf), ("reason", "  ")]))).await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", blank.html);
    let field = format!("id=\"end-reason-{}-error\" class=\"error field-error\">Say why the pair ends", app.pair1);
    assert!(blank.html.contains(&field), "the reason is asked for beside its field: {}", blank.html);
    assert!(blank.html.contains("<details class=\"end-pair\" open>"), "the form stays open");
    assert_eq!(app.store.pair(plab_domain::PairId(app.pair1)).await.expect("pair").status, PairStatus::Active);

    let reason = "Their calendars never matched";
    let ended = send(&app, "POST", &end, Some(&cookie), Some(&form(&[("csrf", &csrf), ("reason", reason)]))).await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER, "{}", ended.html);
    let pair = app.store.pair(plab_domain::PairId(app.pair1)).await.expect("pair");
    assert_eq!(pair.status, PairStatus::Ended);
    assert_eq!(pair.ended.as_ref().map(|(_, r)| r.as_str()), Some(reason));
    let sessions = app.store.sessions(pair.id).await.expect("sessions");
    assert!(
        sessions.iter().all(|s| s.status != plab_domain::session::SessionStatus::Planned),
        "planned sessions cancelled"
    );
    let audit = app.store.audit_log(20).await.expect("audit");
    assert!(audit.iter().any(|a| a.action == "pair.end" && a.detail == reason), "recorded and audited");
    // Ending it again is refused in words.
    let again = send(&app, "POST", &end, Some(&cookie), Some(&form(&[("csrf", &csrf), ("reason", reason)]))).await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    // Both partners are told, at their sign-in addresses.
    plab_app::mail::deliver_due(&app.store, &app.state.vault, &app.state.post, time::OffsetDateTime::now_utc())
        .await
        .expect("deliver");
    let mails = sink.take();
    for address in ["l1@lab.test", "m1@lab.test"] {
        let told: Vec<_> =
            mails.iter().filter(|m| m.to == [address.to_owned()] && m.subject.contains("has ended")).collect();
        assert_eq!(told.len(), 1, "{address} is told once: {:?}", mails.iter().map(|m| &m.subject).collect::<Vec<_>>());
        assert!(told[0].text.contains(reason), "with the reason");
    }
    assert!(
        mails.iter().any(|m| m.calendar.as_ref().is_some_and(|(method, _)| method == "CANCEL")),
        "calendars cancelled"
    );

    // The notes stay readable to the two partners, and to nobody else.
    for who in [&l1, &m1] {
        let (status, read) = app.call("GET", &notes, Some(who), None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(read.as_array().map(Vec::len), Some(2), "{read}");
    }
    let (status, _) = app.call("POST", &notes, Some(&l1), Some(json!({"body": "one more"}).to_string())).await;
    assert_eq!(status, StatusCode::CONFLICT, "an ended pair takes no new notes");
    let sponsor = app.login("s@lab.test").await;
    assert_eq!(app.call("GET", &notes, Some(&sponsor), None).await.0, StatusCode::FORBIDDEN);
    for outsider in ["l2@lab.test", "m2@lab.test", "s2@lab.test", "admin@ops.test"] {
        let token = app.login(outsider).await;
        assert_eq!(app.call("GET", &notes, Some(&token), None).await.0, StatusCode::NOT_FOUND, "{outsider}");
    }
    let (leader, _) = sign_in(&app, "l1@lab.test").await;
    let page = send(&app, "GET", &format!("/pairs/{}", app.pair1), Some(&leader), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("What I learned from the store visit") && page.html.contains("Bring the survey"));
    assert!(page.html.contains("id=\"pair-ended\"") && !page.html.contains("id=\"add-note\""), "read-only");
    let home = send(&app, "GET", "/home", Some(&leader), None).await;
    assert!(
        !home.html.contains("Answer the pulse") && !home.html.contains("Read and accept"),
        "no to-dos of an ended pair"
    );
    // The report counts the pairs now, never an ended one at risk.
    let (status, report) =
        app.call("GET", &format!("/api/v1/programs/{}/report", app.program), Some(&sponsor), None).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["pairs"], 1, "{report}");
    assert!(report["at_risk"].as_array().is_some_and(|r| r.iter().all(|x| x["pair"] != app.pair1)));
}

async fn a_rematch_never_pairs_the_old_partners_again(app: App) {
    let a = ProgramId(app.program);
    app.store.upsert_people(&[person_in_zone("M4", "CEO", 1, "Legal", "")], &|_| {}).await.expect("M4");
    programs::enroll(&app.store, a, Role::Mentor, &["M4".to_owned()], None, "test").await.expect("M4 mentors");
    programs::set_question(&app.store, a, "L1", QUESTION).await.expect("question");
    let token = app.login("s@lab.test").await;
    // Re-matching a pair that has not ended is refused.
    let rematch = format!("/api/v1/pairs/{}/rematch", app.pair1);
    assert_eq!(app.call("POST", &rematch, Some(&token), None).await.0, StatusCode::CONFLICT);
    let body = json!({"reason": "Not a fit"}).to_string();
    let (status, ended) = app.call("POST", &format!("/api/v1/pairs/{}/end", app.pair1), Some(&token), Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{ended}");
    assert_eq!(ended["status"], "ended");
    // Pinning the old partners is refused, by name.
    let pin = json!({"leader": "L1", "mentor": "M1", "rule": "pin"}).to_string();
    let (status, refused) =
        app.call("POST", &format!("/api/v1/programs/{}/pairing/rules", a.0), Some(&token), Some(pin)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(
        refused["error"]["message"].as_str().unwrap_or("").contains("Name L1 and Name M1 were paired before"),
        "{refused}"
    );

    let (cookie, csrf) = sign_in(&app, "s@lab.test").await;
    let page =
        send(&app, "POST", &format!("/pairs/{}/rematch", app.pair1), Some(&cookie), Some(&form(&[("csrf", &csrf)])))
            .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let id = app.store.latest_proposal_id(a).await.expect("latest").expect("a proposal");
    let proposal = app.store.proposal(a, id).await.expect("proposal");
    let l1 = proposal.pairs.iter().find(|p| p.leader == "L1").expect("L1 is proposed again");
    assert_eq!(l1.mentor, "M4", "never M1 again");
    let review = send(&app, "GET", page.location.as_deref().expect("back"), Some(&cookie), None).await;
    assert!(review.html.contains("data-leader=\"L1\" data-mentor=\"M4\""), "the sponsor approves the new pair");
    let approve = form(&[("csrf", &csrf), ("proposal", &id.to_string()), ("shown", "L1"), ("leader", "L1")]);
    let approved =
        send(&app, "POST", &format!("/programs/{}/pairing/approve", a.0), Some(&cookie), Some(&approve)).await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.html);
    let pairs = app.store.pairs(a).await.expect("pairs");
    assert!(pairs.iter().any(|p| p.is_open() && p.pair.leader == "L1" && p.pair.mentor == "M4"));
    assert!(
        pairs.iter().any(|p| !p.is_open() && p.pair.leader == "L1" && p.pair.mentor == "M1"),
        "the ended pair is kept"
    );
    let review = send(&app, "GET", &format!("/programs/{}/pairing", a.0), Some(&cookie), None).await;
    assert!(review.html.contains("Name L1 has a new pair."), "no second re-match offered");
}

async fn only_the_programs_sponsor_ends_or_rematches_a_pair(app: App) {
    let pair = app.pair1;
    let reason = [("reason", "Because")];
    // Pages: another program's sponsor and an administrator do not see the pair; a partner may not.
    for (who, expected) in [
        ("s2@lab.test", StatusCode::NOT_FOUND),
        ("l1@lab.test", StatusCode::FORBIDDEN),
        ("m1@lab.test", StatusCode::FORBIDDEN),
        ("l2@lab.test", StatusCode::NOT_FOUND),
        ("admin@ops.test", StatusCode::NOT_FOUND),
    ] {
        let (cookie, csrf) = sign_in(&app, who).await;
        let mut fields = vec![("csrf", csrf.as_str())];
        fields.extend(reason);
        let end = send(&app, "POST", &format!("/pairs/{pair}/end"), Some(&cookie), Some(&form(&fields))).await;
        assert_eq!(end.status, expected, "{who} ends: {}", end.html);
        let rematch =
            send(&app, "POST", &format!("/pairs/{pair}/rematch"), Some(&cookie), Some(&form(&[("csrf", &csrf)]))).await;
        assert_eq!(rematch.status, expected, "{who} re-matches");
        let token = app.login(who).await;
        let body = json!({"reason": "Because"}).to_string();
        let (status, answer) = app.call("POST", &format!("/api/v1/pairs/{pair}/end"), Some(&token), Some(body)).await;
        assert_eq!(status, expected, "{who} over the API: {answer}");
        assert!(answer["error"]["code"].is_string(), "a JSON error");
        let (status, _) = app.call("POST", &format!("/api/v1/pairs/{pair}/rematch"), Some(&token), None).await;
        assert_eq!(status, expected, "{who} re-matches over the API");
        let (status, _) =
            app.call("GET", &format!("/api/v1/programs/{}/pairing/rules", app.program), Some(&token), None).await;
        assert!(status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND, "{who} reads the rules: {status}");
    }
    // Anonymous: to the sign-in page, or 401 over the API.
    let anonymous = send(&app, "POST", &format!("/pairs/{pair}/end"), None, Some(&form(&reason))).await;
    assert!(anonymous.status.is_redirection() || anonymous.status == StatusCode::FORBIDDEN, "{}", anonymous.status);
    let body = json!({"reason": "Because"}).to_string();
    assert_eq!(
        app.call("POST", &format!("/api/v1/pairs/{pair}/end"), None, Some(body)).await.0,
        StatusCode::UNAUTHORIZED
    );
    let pair = app.store.pair(plab_domain::PairId(pair)).await.expect("pair");
    assert!(pair.is_open(), "nobody but the sponsor ended it");
}

async fn the_review_of_a_large_program_is_paged_with_no_option_list_per_row(app: App) {
    const EACH: usize = 120;
    let mut people = Vec::new();
    for i in 0..EACH {
        people.push(person_in_zone(&format!("PL{i:03}"), "CEO", 8, &format!("Dept {}", i % 12), ""));
        people.push(person_in_zone(&format!("PM{i:03}"), "CEO", 2, &format!("Dept {}", (i + 5) % 12), ""));
    }
    app.store.upsert_people(&people, &|_| {}).await.expect("people");
    let start = crate::common::program_start().to_string();
    let big =
        programs::create(&app.store, "Big cohort", &start, ProgramSettings::default(), "test").await.expect("program");
    let leaders: Vec<String> = (0..EACH).map(|i| format!("PL{i:03}")).collect();
    let mentors: Vec<String> = (0..EACH).map(|i| format!("PM{i:03}")).collect();
    programs::enroll(&app.store, big, Role::Sponsor, &["S".to_owned()], None, "test").await.expect("sponsor");
    programs::enroll(&app.store, big, Role::Leader, &leaders, None, "test").await.expect("leaders");
    programs::enroll(&app.store, big, Role::Mentor, &mentors, None, "test").await.expect("mentors");
    for l in &leaders {
        programs::set_question(&app.store, big, l, QUESTION).await.expect("question");
    }
    let (cookie, csrf) = sign_in(&app, "s@lab.test").await;
    let pairing = format!("/programs/{}/pairing", big.0);
    let run = send(&app, "POST", &format!("{pairing}/run"), Some(&cookie), Some(&form(&[("csrf", &csrf)]))).await;
    assert_eq!(run.status, StatusCode::SEE_OTHER, "{}", run.html);
    let page = send(&app, "GET", &pairing, Some(&cookie), None).await;
    assert_eq!(page.status, StatusCode::OK);
    let rows = page.html.matches("<tr class=\"proposed\"").count();
    assert_eq!(rows, 50, "one page of 50 pairs");
    assert_eq!(page.html.matches("<select").count(), 1, "one select (the rule's kind), none per row");
    let options = page.html.matches("<option").count();
    assert!(options <= 2 * EACH + 2, "the people are listed once per page, not per row: {options}");
    // About 1.3 KB a row and the two name lists once: the page does not grow with the program.
    assert!(page.html.len() < 90_000, "{} bytes for 50 rows", page.html.len());
    assert!(page.html.contains("Page 1 of 3") && page.html.contains("?page=2"), "paged");
    let last = send(&app, "GET", &format!("{pairing}?page=3"), Some(&cookie), None).await;
    assert_eq!(last.html.matches("<tr class=\"proposed\"").count(), EACH - 100);
    let found = send(&app, "GET", &format!("{pairing}?q=Name+PL007"), Some(&cookie), None).await;
    assert_eq!(found.html.matches("<tr class=\"proposed\"").count(), 1, "a search by name");
    assert!(found.html.contains("data-leader=\"PL007\""));
    let junk = send(&app, "GET", &format!("{pairing}?page=banana"), Some(&cookie), None).await;
    assert_eq!(junk.status, StatusCode::OK, "a bad page number is the first page");
    // Approving from page 1 approves every pair but the unticked ones shown there.
    let proposal = app.store.latest_proposal_id(big).await.expect("latest").expect("proposal").to_string();
    let mut fields = vec![("csrf", csrf.as_str()), ("proposal", proposal.as_str())];
    let shown: Vec<String> = page
        .html
        .split("name=\"shown\" value=\"")
        .skip(1)
        .filter_map(|r| r.split('"').next())
        .map(str::to_owned)
        .collect();
    assert_eq!(shown.len(), 50);
    for l in &shown {
        fields.push(("shown", l));
    }
    for l in shown.iter().skip(1) {
        fields.push(("leader", l));
    }
    let approved = send(&app, "POST", &format!("{pairing}/approve"), Some(&cookie), Some(&form(&fields))).await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.html);
    let pairs = app.store.pairs(big).await.expect("pairs");
    assert_eq!(pairs.len(), EACH - 1, "all but the one left unticked");
    assert!(!pairs.iter().any(|p| p.pair.leader == shown[0]));
}
