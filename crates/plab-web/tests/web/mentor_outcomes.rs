//! Mentor outcomes: level rises are recorded whichever path changes a
//! person (the people file, SCIM PATCH and PUT), and the report sets the
//! program's mentors against comparable non-participants, each share
//! withheld while either group is below the minimum group size.
use crate::common::App;
use crate::common::browser::{send, sign_in};
use crate::scim::{call, patch, scim_token, user};
use axum::http::StatusCode;
use plab_app::people_file::ReadOptions;
use plab_app::scim::PERSON_SCHEMA;
use plab_app::{people, programs};
use plab_domain::program::{ProgramSettings, Role};
use serde_json::{Value, json};

crate::backends!(
    level_rises_are_recorded_from_the_people_file_and_from_scim_patch_and_put,
    mentors_promotions_and_retention_are_set_against_comparable_colleagues_from_the_group_size,
);

async fn import(app: &App, rows: &str) {
    let file = format!("employee_id,name,email,department,manager_id,hire_date,level,end_date\n{rows}");
    people::import(&app.store, "people.csv", file.as_bytes(), &ReadOptions::default(), true, &|_| {}, "test")
        .await
        .expect("imported");
}

async fn level_rises_are_recorded_from_the_people_file_and_from_scim_patch_and_put(app: App) {
    import(&app, "M1,Name M1,m1@lab.test,Ops,L2,2015-01-01,3,\n").await;
    let changes = app.store.level_changes("M1").await.expect("changes");
    assert_eq!(changes.iter().map(|(o, n, _)| (*o, *n)).collect::<Vec<_>>(), vec![(2, 3)]);
    // The same file again changes nothing, so records nothing.
    import(&app, "M1,Name M1,m1@lab.test,Ops,L2,2015-01-01,3,\n").await;
    assert_eq!(app.store.level_changes("M1").await.expect("changes").len(), 1);

    let t = scim_token(&app).await;
    let (status, _, body) =
        call(&app, "POST", "/scim/v2/Users", Some(&t), Some(user("G1", "grace@lab.test", None))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let op = patch(json!([{ "op": "replace", "path": format!("{PERSON_SCHEMA}:level"), "value": 10 }]));
    let (status, _, body) = call(&app, "PATCH", "/scim/v2/Users/G1", Some(&t), Some(op)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut replaced = user("G1", "grace@lab.test", None);
    replaced[PERSON_SCHEMA]["level"] = json!(11);
    let (status, _, body) = call(&app, "PUT", "/scim/v2/Users/G1", Some(&t), Some(replaced)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let changes = app.store.level_changes("G1").await.expect("changes");
    assert_eq!(changes.iter().map(|(o, n, _)| (*o, *n)).collect::<Vec<_>>(), vec![(9, 10), (10, 11)]);
    assert!(changes[0].2.starts_with(&plab_domain::Date::of_instant(time::OffsetDateTime::now_utc()).to_string()));
}

async fn outcomes(app: &App, program: i64) -> Value {
    let sponsor = app.login("s@lab.test").await;
    let (status, r) = app.call("GET", &format!("/api/v1/programs/{program}/report"), Some(&sponsor), None).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    r["mentor_outcomes"].clone()
}

async fn mentors_promotions_and_retention_are_set_against_comparable_colleagues_from_the_group_size(app: App) {
    // A program that began 60 days ago, with groups of 2: mentors M1 and M2 (level 2 that day).
    plab_app::settings::set_group_size_floor(&app.store, "2", "operator").await.expect("floor");
    let settings = ProgramSettings { min_group_size: 2, ..ProgramSettings::default() };
    let start = plab_domain::Date::of_instant(time::OffsetDateTime::now_utc()).plus_days(-60).to_string();
    let c = programs::create(&app.store, "Cohort 1", &start, settings, "test").await.expect("C");
    for (role, id) in [(Role::Sponsor, "S"), (Role::Leader, "L1"), (Role::Mentor, "M1"), (Role::Mentor, "M2")] {
        programs::enroll(&app.store, c, role, &[id.to_owned()], None, "test").await.expect("enroll");
    }
    // One comparable colleague at level 2 (M3, a mentor elsewhere, never counts): withheld.
    import(&app, "X1,Name X1,x1@lab.test,Ops,L2,2015-01-01,2,\n").await;
    let o = outcomes(&app, c.0).await;
    assert_eq!((o["mentors"]["people"].as_u64(), o["comparable"]["people"].as_u64()), (Some(2), Some(1)), "{o}");
    assert!(o["mentors"]["promoted"].is_null() && o["comparable"]["retained"].is_null(), "withheld: {o}");
    let (cookie, _) = sign_in(&app, "s@lab.test").await;
    let page = send(&app, "GET", &format!("/programs/{}", c.0), Some(&cookie), None).await;
    assert!(page.html.contains("id=\"mentor-outcomes-withheld\""), "{}", page.html);

    // A second colleague, then M1 is promoted and X1 leaves: shown.
    import(&app, "X2,Name X2,x2@lab.test,Ops,L2,2015-01-01,2,\n").await;
    let yesterday = plab_domain::Date::of_instant(time::OffsetDateTime::now_utc()).plus_days(-1);
    import(
        &app,
        &format!(
            "M1,Name M1,m1@lab.test,Ops,L2,2015-01-01,3,\nX1,Name X1,x1@lab.test,Ops,L2,2015-01-01,2,{yesterday}\n"
        ),
    )
    .await;
    let o = outcomes(&app, c.0).await;
    assert_eq!((o["mentors"]["promoted"].as_f64(), o["mentors"]["retained"].as_f64()), (Some(0.5), Some(1.0)), "{o}");
    assert_eq!(
        (o["comparable"]["promoted"].as_f64(), o["comparable"]["retained"].as_f64()),
        (Some(0.0), Some(0.5)),
        "{o}"
    );
    let page = send(&app, "GET", &format!("/programs/{}", c.0), Some(&cookie), None).await;
    assert!(page.html.contains("id=\"mentors-promoted\">50%"), "{}", page.html);
    // Program A asks for groups of 5: withheld there.
    let a = outcomes(&app, app.program).await;
    assert!(a["mentors"]["promoted"].is_null(), "{a}");
}
