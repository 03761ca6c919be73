//! A mentor describes their own perspectives for a program, in the browser and
//! through the API: only the mentor themself, CSRF on the form, problems named
//! by field with nothing saved, user text escaped.

use crate::common::App;
use crate::common::browser::{form, send, sign_in};
use axum::http::StatusCode;
use plab_domain::program::Role;
use plab_store::ProgramId;
use serde_json::json;

async fn stored(app: &App) -> Option<Vec<String>> {
    let enrolments = app.store.enrolments(ProgramId(app.program)).await.expect("enrolments");
    enrolments.into_iter().find(|e| e.employee_id == "M1" && e.role == Role::Mentor).expect("M1 mentors").perspectives
}

/// The directory says M1 knows spreadsheets, as a people import would.
async fn directory_says_spreadsheets(app: &App) {
    let mut m1 = app.store.person("M1").await.expect("M1");
    m1.perspectives = vec!["quarterly spreadsheets".into()];
    app.store.upsert_people(&[m1], &|_| {}).await.expect("import");
}

fn page_uri(app: &App) -> String {
    format!("/programs/{}/mentor", app.program)
}

fn post_uri(app: &App) -> String {
    format!("/programs/{}/mentor/perspectives", app.program)
}

async fn a_mentor_writes_their_own_perspectives_sees_their_themes_and_can_go_back_to_the_directorys(app: App) {
    directory_says_spreadsheets(&app).await;
    let (mentor, csrf) = sign_in(&app, "m1@lab.test").await;
    let page = send(&app, "GET", &page_uri(&app), Some(&mentor), None).await;
    assert!(page.html.contains("from the directory") && page.html.contains("quarterly spreadsheets"));
    assert!(page.html.contains("<label for=\"perspectives-text\">"), "the textarea is labelled");
    assert!(!page.html.contains("id=\"reset-perspectives\""), "nothing to reset yet");

    let text = "TikTok campaigns\n\n  onboarding as a new hire \nTIKTOK CAMPAIGNS";
    let saved =
        send(&app, "POST", &post_uri(&app), Some(&mentor), Some(&form(&[("csrf", &csrf), ("perspectives", text)])))
            .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    assert!(saved.location.as_deref().is_some_and(|l| l.starts_with(&page_uri(&app))));
    assert_eq!(stored(&app).await, Some(vec!["TikTok campaigns".into(), "onboarding as a new hire".into()]));

    let page = send(&app, "GET", saved.location.as_deref().expect("location"), Some(&mentor), None).await;
    assert!(page.html.contains("as you wrote it") && page.html.contains("Your perspectives are saved."));
    assert!(page.html.contains("TikTok campaigns <span class=\"hint\">(technology and digital fluency"));
    assert!(page.html.contains("careers and development"), "onboarding reads as a career theme");
    assert!(!page.html.contains("quarterly spreadsheets"));

    // A new directory import leaves what the mentor wrote alone.
    directory_says_spreadsheets(&app).await;
    assert!(stored(&app).await.is_some());

    let reset = form(&[("csrf", &csrf), ("action", "reset")]);
    assert_eq!(send(&app, "POST", &post_uri(&app), Some(&mentor), Some(&reset)).await.status, StatusCode::SEE_OTHER);
    assert_eq!(stored(&app).await, None);
    let page = send(&app, "GET", &page_uri(&app), Some(&mentor), None).await;
    assert!(page.html.contains("from the directory") && page.html.contains("quarterly spreadsheets"));
}

async fn the_perspectives_form_without_its_csrf_token_is_refused(app: App) {
    let (mentor, _) = sign_in(&app, "m1@lab.test").await;
    for forged in [form(&[("perspectives", "forged")]), form(&[("csrf", "0000"), ("perspectives", "forged")])] {
        let page = send(&app, "POST", &post_uri(&app), Some(&mentor), Some(&forged)).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(stored(&app).await, None);
}

async fn only_the_mentor_themself_may_post_their_perspectives(app: App) {
    // A leader and the sponsor of the program (403: they see the program),
    // a mentor of another program and an administrator (404: they do not).
    for (who, refused) in [
        ("l1@lab.test", StatusCode::FORBIDDEN),
        ("s@lab.test", StatusCode::FORBIDDEN),
        ("m3@lab.test", StatusCode::NOT_FOUND),
        ("admin@ops.test", StatusCode::NOT_FOUND),
    ] {
        let (cookie, csrf) = sign_in(&app, who).await;
        let posted = form(&[("csrf", &csrf), ("perspectives", "TikTok")]);
        assert_eq!(send(&app, "POST", &post_uri(&app), Some(&cookie), Some(&posted)).await.status, refused, "{who}");
        let reset = form(&[("csrf", &csrf), ("action", "reset")]);
        assert_eq!(send(&app, "POST", &post_uri(&app), Some(&cookie), Some(&reset)).await.status, refused, "{who}");
        assert_eq!(send(&app, "GET", &page_uri(&app), Some(&cookie), None).await.status, refused, "{who}");
    }
    assert_eq!(stored(&app).await, None);
    let anonymous = send(&app, "POST", &post_uri(&app), None, Some(&form(&[("perspectives", "TikTok")]))).await;
    assert_eq!(anonymous.location.as_deref(), Some("/"));
}

async fn a_bad_perspective_is_shown_beside_the_field_with_the_text_kept_and_nothing_saved(app: App) {
    let (mentor, csrf) = sign_in(&app, "m1@lab.test").await;
    let first = form(&[("csrf", &csrf), ("perspectives", "Slack etiquette")]);
    send(&app, "POST", &post_uri(&app), Some(&mentor), Some(&first)).await;
    let text = format!("TikTok campaigns\n{}", "x".repeat(121));
    let page =
        send(&app, "POST", &post_uri(&app), Some(&mentor), Some(&form(&[("csrf", &csrf), ("perspectives", &text)])))
            .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains("aria-invalid=\"true\""));
    assert!(page.html.contains("id=\"perspectives-error\""));
    assert!(page.html.contains("entry 2 (") && page.html.contains("longer than 120 characters"), "{}", page.html);
    assert!(page.html.contains(&format!(">{text}</textarea>")), "the text is kept as typed");
    assert_eq!(stored(&app).await, Some(vec!["Slack etiquette".into()]), "nothing was saved");

    let thirteen: String = (1..=13).map(|i| format!("topic {i}\n")).collect();
    let page = send(
        &app,
        "POST",
        &post_uri(&app),
        Some(&mentor),
        Some(&form(&[("csrf", &csrf), ("perspectives", &thirteen)])),
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains("13 perspectives is more than 12"));
    assert_eq!(stored(&app).await, Some(vec!["Slack etiquette".into()]));
}

async fn markup_in_a_perspective_is_shown_as_text(app: App) {
    let (mentor, csrf) = sign_in(&app, "m1@lab.test").await;
    let text = "<script>alert(1)</script> TikTok";
    let posted = form(&[("csrf", &csrf), ("perspectives", text)]);
    assert_eq!(send(&app, "POST", &post_uri(&app), Some(&mentor), Some(&posted)).await.status, StatusCode::SEE_OTHER);
    let page = send(&app, "GET", &page_uri(&app), Some(&mentor), None).await;
    assert!(page.html.contains("&#60;script&#62;alert(1)") || page.html.contains("&lt;script&gt;alert(1)"));
    assert!(!page.html.contains("<script>alert(1)"), "user text must never become markup");
    // Kept as typed when the form comes back with a problem.
    let bad = form(&[("csrf", &csrf), ("perspectives", &format!("{text}\n{}", "y".repeat(121)))]);
    let page = send(&app, "POST", &post_uri(&app), Some(&mentor), Some(&bad)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!page.html.contains("<script>alert(1)"));
}

fn api_uri(app: &App) -> String {
    format!("/api/v1/programs/{}/me/perspectives", app.program)
}

async fn only_the_mentor_reads_and_writes_their_perspectives_through_the_api(app: App) {
    directory_says_spreadsheets(&app).await;
    let uri = api_uri(&app);
    let body = Some(json!({"perspectives": ["TikTok"]}).to_string());
    for (method, body) in [("GET", None), ("PUT", body.clone()), ("DELETE", None)] {
        let (status, value) = app.call(method, &uri, None, body).await;
        crate::common::assert_error_json(status, &value, StatusCode::UNAUTHORIZED);
    }
    for (who, refused) in [
        ("l1@lab.test", StatusCode::FORBIDDEN),
        ("s@lab.test", StatusCode::FORBIDDEN),
        ("m3@lab.test", StatusCode::NOT_FOUND),
        ("admin@ops.test", StatusCode::NOT_FOUND),
    ] {
        let token = app.login(who).await;
        for (method, body) in [("GET", None), ("PUT", body.clone()), ("DELETE", None)] {
            let (status, value) = app.call(method, &uri, Some(&token), body).await;
            crate::common::assert_error_json(status, &value, refused);
        }
    }
    assert_eq!(stored(&app).await, None);

    let token = app.login("m1@lab.test").await;
    let (status, value) = app.call("GET", &uri, Some(&token), None).await;
    assert_eq!(status, StatusCode::OK, "{value}");
    assert_eq!(value["source"], "directory");
    assert_eq!(value["perspectives"][0]["text"], "quarterly spreadsheets");

    let mine = json!({"perspectives": [" TikTok campaigns ", "tiktok campaigns", "onboarding as a new hire"]});
    let (status, value) = app.call("PUT", &uri, Some(&token), Some(mine.to_string())).await;
    assert_eq!(status, StatusCode::OK, "{value}");
    assert_eq!(value["source"], "own");
    let texts: Vec<&str> =
        value["perspectives"].as_array().expect("list").iter().filter_map(|p| p["text"].as_str()).collect();
    assert_eq!(texts, ["TikTok campaigns", "onboarding as a new hire"]);
    assert!(value["perspectives"][0]["themes"].as_array().expect("themes").contains(&json!("technology")));
    assert_eq!(app.call("GET", &uri, Some(&token), None).await.1, value);

    let (status, value) = app.call("DELETE", &uri, Some(&token), None).await;
    assert_eq!((status, &value["source"]), (StatusCode::OK, &json!("directory")));
    assert_eq!(stored(&app).await, None);
}

async fn bad_perspective_bodies_get_4xx_json_and_save_nothing(app: App) {
    let token = app.login("m1@lab.test").await;
    let uri = api_uri(&app);
    use StatusCode as C;
    for (body, want) in [
        (Some("{\"perspectives\": ".to_owned()), C::BAD_REQUEST),
        (Some("[\"TikTok\"]".to_owned()), C::UNPROCESSABLE_ENTITY),
        (Some(json!({"perspectives": "TikTok"}).to_string()), C::UNPROCESSABLE_ENTITY),
        (Some(json!({"perspectives": [1, 2]}).to_string()), C::UNPROCESSABLE_ENTITY),
        (Some(json!({"perspectives": ["TikTok"], "extra": true}).to_string()), C::UNPROCESSABLE_ENTITY),
        (None, C::UNSUPPORTED_MEDIA_TYPE),
    ] {
        let (status, value) = app.call("PUT", &uri, Some(&token), body.clone()).await;
        assert_eq!(status, want, "for {body:?}");
        assert!(value["error"]["code"].is_string(), "{value}");
    }
    let overlong = json!({"perspectives": ["TikTok", "z".repeat(121)]}).to_string();
    let (status, value) = app.call("PUT", &uri, Some(&token), Some(overlong)).await;
    crate::common::assert_error_json(status, &value, StatusCode::UNPROCESSABLE_ENTITY);
    let message = value["error"]["message"].as_str().expect("message");
    assert!(message.contains("perspectives: entry 2 ("), "{message}");
    let (status, value) = app.call("PUT", &uri, Some(&token), Some(json!({"perspectives": ["  "]}).to_string())).await;
    crate::common::assert_error_json(status, &value, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(stored(&app).await, None);

    let (status, value) = app.call("GET", "/api/v1/programs/abc/me/perspectives", Some(&token), None).await;
    crate::common::assert_error_json(status, &value, StatusCode::NOT_FOUND);
    let (status, value) = app.call("GET", "/api/v1/programs/999/me/perspectives", Some(&token), None).await;
    crate::common::assert_error_json(status, &value, StatusCode::NOT_FOUND);
}

/// The routes themselves are checked with every other route in `api.rs`.
async fn the_perspectives_body_has_its_schema_in_the_openapi_document(app: App) {
    let (status, doc) = app.call("GET", "/api/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["components"]["schemas"]["PerspectivesBody"].is_object());
}

crate::backends!(
    a_mentor_writes_their_own_perspectives_sees_their_themes_and_can_go_back_to_the_directorys,
    the_perspectives_form_without_its_csrf_token_is_refused,
    only_the_mentor_themself_may_post_their_perspectives,
    a_bad_perspective_is_shown_beside_the_field_with_the_text_kept_and_nothing_saved,
    markup_in_a_perspective_is_shown_as_text,
    only_the_mentor_reads_and_writes_their_perspectives_through_the_api,
    bad_perspective_bodies_get_4xx_json_and_save_nothing,
    the_perspectives_body_has_its_schema_in_the_openapi_document,
);
