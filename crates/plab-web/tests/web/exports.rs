//! Exports for HR and the steering committee: the per-pair CSV (one row per
//! pair, nothing private, the program's sponsors only), the summary CSV
//! whose figures read exactly as the page shows them, the dated print view
//! without navigation or forms, and charts that scale with their box and
//! count in fortnights.
use crate::common::browser::{send, sign_in};
use crate::common::{App, Held, hold_first_three};
use axum::http::StatusCode;
use plab_domain::program::{ProgramSettings, Role};
use serde_json::{Value, json};

crate::backends!(
    the_pairs_csv_has_one_row_per_pair_and_nothing_private,
    only_the_programs_sponsors_get_the_pairs_export,
    the_summary_csv_is_one_table_whose_figures_read_as_on_the_page,
    a_cancelled_session_lowers_the_cadence_kept,
    the_print_view_is_dated_and_has_no_navigation_links_or_forms,
    charts_scale_with_their_box_and_bin_sessions_by_fortnight,
);

const NOTE_MARK: &str = "zqxexportnote";
const HOMEWORK_MARK: &str = "zqxexporthomework";
const CHECKIN_MARK: &str = "zqxexportcheckin";

/// Pair 1 holds three sessions with marked homework and pulses, writes a
/// marked note and answers its check-in with a marked text.
async fn private_history(app: &App) -> Vec<i64> {
    let homework = format!("{HOMEWORK_MARK}: try the channel");
    let held = Held { homework: &homework, leader: [1, 2, 3], mentor: [4, 4, 4], timed: false };
    let sessions = hold_first_three(app, &held).await;
    let leader = app.login("l1@lab.test").await;
    let note = json!({"body": format!("{NOTE_MARK}: what I struggle with")}).to_string();
    let (status, body) =
        app.call("POST", &format!("/api/v1/pairs/{}/notes", app.pair1), Some(&leader), Some(note)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let checkin = json!({"insight": format!("{CHECKIN_MARK} is what I learned"), "change": "I moved the demo"});
    let uri = format!("/api/v1/pairs/{}/checkins/me", app.pair1);
    let (status, body) = app.call("PUT", &uri, Some(&leader), Some(checkin.to_string())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    sessions
}

fn rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("a well-formed CSV row").iter().map(str::to_owned).collect())
        .collect()
}

async fn sponsor_get(app: &App, uri: &str) -> String {
    let (sponsor, _) = sign_in(app, "s@lab.test").await;
    let page = send(app, "GET", uri, Some(&sponsor), None).await;
    assert_eq!(page.status, StatusCode::OK, "{uri}: {}", page.html);
    page.html
}

async fn the_pairs_csv_has_one_row_per_pair_and_nothing_private(app: App) {
    private_history(&app).await;
    let text = sponsor_get(&app, &format!("/programs/{}/pairs.csv", app.program)).await;
    for mark in [NOTE_MARK, HOMEWORK_MARK, CHECKIN_MARK] {
        assert!(!text.contains(mark), "{mark} leaked into the pairs CSV: {text}");
    }
    let table = rows(&text);
    assert_eq!(
        table[0],
        [
            "pair",
            "leader",
            "leader_department",
            "mentor",
            "mentor_department",
            "status",
            "sessions_held",
            "sessions_cancelled",
            "sessions_missed",
            "last_session",
            "cadence_kept",
            "signals"
        ]
    );
    assert_eq!(table.len(), 3, "a header and one row per pair of the program: {text}");
    let first = &table[1];
    assert_eq!(first[0], app.pair1.to_string());
    assert_eq!((first[1].as_str(), first[2].as_str()), ("Name L1", "Sales"));
    assert_eq!((first[3].as_str(), first[4].as_str()), ("Name M1", "Ops"));
    assert_eq!((first[5].as_str(), first[6].as_str(), first[7].as_str(), first[8].as_str()), ("active", "3", "0", "0"));
    let a_week_ago = plab_domain::Date::of_instant(time::OffsetDateTime::now_utc() - time::Duration::days(7));
    assert_eq!(first[9], a_week_ago.to_string(), "the last held session's day");
    assert!(first[10].ends_with('%'), "cadence as the page shows a share: {first:?}");
    assert_eq!(table[2][6], "0", "pair 2 has held nothing");
    // The API's rows are the same, and as clean.
    let token = app.login("s@lab.test").await;
    let (status, api) =
        app.call("GET", &format!("/api/v1/programs/{}/report/pairs", app.program), Some(&token), None).await;
    assert_eq!(status, StatusCode::OK, "{api}");
    let api_rows = api.as_array().expect("rows");
    assert_eq!(api_rows.len(), 2);
    assert_eq!(api_rows[0]["leader"], json!({"name": "Name L1", "department": "Sales"}));
    assert_eq!(api_rows[0]["sessions_held"], 3);
    for mark in [NOTE_MARK, HOMEWORK_MARK, CHECKIN_MARK] {
        assert!(!api.to_string().contains(mark), "{mark} in {api}");
    }
}

async fn only_the_programs_sponsors_get_the_pairs_export(app: App) {
    let page = format!("/programs/{}/pairs.csv", app.program);
    for (who, want) in [
        ("s@lab.test", StatusCode::OK),
        ("l1@lab.test", StatusCode::FORBIDDEN),
        ("m2@lab.test", StatusCode::FORBIDDEN),
        ("s2@lab.test", StatusCode::NOT_FOUND),
        ("admin@ops.test", StatusCode::NOT_FOUND),
    ] {
        let (cookie, _) = sign_in(&app, who).await;
        let got = send(&app, "GET", &page, Some(&cookie), None).await;
        assert_eq!(got.status, want, "{who}: {}", got.html);
        assert_eq!(got.html.contains("Name L1"), want == StatusCode::OK, "{who} reads names only when allowed");
    }
    let anonymous = send(&app, "GET", &page, None, None).await;
    assert!(anonymous.status.is_redirection() && !anonymous.html.contains("Name L1"), "{}", anonymous.status);
    use StatusCode as C;
    let uri = format!("/api/v1/programs/{}/report/pairs", app.program);
    let matrix: Vec<(Option<&str>, [C; 1])> = vec![
        (Some("s@lab.test"), [C::OK]),
        (Some("l1@lab.test"), [C::FORBIDDEN]),
        (Some("m1@lab.test"), [C::FORBIDDEN]),
        (Some("s2@lab.test"), [C::NOT_FOUND]),
        (Some("m3@lab.test"), [C::NOT_FOUND]),
        (Some("admin@ops.test"), [C::NOT_FOUND]),
        (None, [C::UNAUTHORIZED]),
    ];
    crate::common::run_api_matrix(&app, &[("GET", uri, None)], &matrix).await;
}

/// The value the page shows for a figure: the text of `<dd id="ID">`.
fn shown(html: &str, id: &str) -> Option<String> {
    let open = format!("<dd id=\"{id}\">");
    let start = html.find(&open)? + open.len();
    let end = html[start..].find("</dd>")? + start;
    Some(html[start..end].to_owned())
}

async fn the_summary_csv_is_one_table_whose_figures_read_as_on_the_page(app: App) {
    private_history(&app).await;
    let html = sponsor_get(&app, &format!("/programs/{}", app.program)).await;
    let text = sponsor_get(&app, &format!("/programs/{}/report.csv", app.program)).await;
    let table = rows(&text);
    assert_eq!(table[0], ["metric", "value", "label"]);
    assert!(table.iter().all(|r| r.len() == 3), "one table, three columns in every row: {text}");
    assert!(!text.contains("week,") && !text.contains("fortnight"), "no second table stacked in the file: {text}");
    let mut compared = 0;
    for row in &table[1..] {
        let id = format!("figure-{}", row[0].replace(['.', '_'], "-"));
        if let Some(value) = shown(&html, &id) {
            assert_eq!(value, row[1], "{} on the page and in the CSV", row[0]);
            assert!(html.contains(&row[2]), "the page calls {} '{}'", row[0], row[2]);
            compared += 1;
        }
    }
    assert!(compared >= 15, "every figure at a glance is in the CSV ({compared} compared)");
    let cadence = table.iter().find(|r| r[0] == "cadence_kept").expect("cadence row");
    assert!(cadence[1].ends_with('%') && !cadence[1].starts_with("0."), "a percentage, not a fraction: {cadence:?}");
    let held = table.iter().find(|r| r[0] == "sessions.held").expect("held row");
    assert_eq!(held[1], "3");
    // The fortnights are their own CSV.
    let fortnights = sponsor_get(&app, &format!("/programs/{}/fortnights.csv", app.program)).await;
    assert!(
        fortnights
            .starts_with("fortnight_starts,fortnight_ends,scheduled,held,planned,cancelled,missed,pairs_at_risk\n")
    );
}

async fn a_cancelled_session_lowers_the_cadence_kept(app: App) {
    let sessions = private_history(&app).await;
    let cadence = |r: &Value| r["cadence_kept"].as_f64().expect("a share once sessions were held");
    let token = app.login("s@lab.test").await;
    let report_uri = format!("/api/v1/programs/{}/report", app.program);
    let (_, before) = app.call("GET", &report_uri, Some(&token), None).await;
    let leader = app.login("l1@lab.test").await;
    let (status, body) =
        app.call("POST", &format!("/api/v1/sessions/{}/cancel", sessions[3]), Some(&leader), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, after) = app.call("GET", &report_uri, Some(&token), None).await;
    let (was, now) = (cadence(&before), cadence(&after));
    assert!(now < was, "a cancelled session is one the cadence did not keep: {was} then {now}");
    assert!((now - was * 3.0 / 4.0).abs() < 0.002, "three sessions with an outcome became four: {was} then {now}");
    assert_eq!(after["sessions"]["cancelled"], 1);
    let s = &after["sessions"];
    let total = ["held", "planned", "cancelled"].iter().map(|k| s[k].as_u64().expect("count")).sum::<u64>();
    assert_eq!(s["scheduled"].as_u64(), Some(total), "scheduled is every session, whatever became of it: {s}");
    // The page shows the same share, as a percentage.
    let html = sponsor_get(&app, &format!("/programs/{}", app.program)).await;
    assert_eq!(shown(&html, "figure-cadence-kept"), Some(format!("{:.0}%", now * 100.0)));
}

async fn the_print_view_is_dated_and_has_no_navigation_links_or_forms(app: App) {
    private_history(&app).await;
    let uri = format!("/programs/{}/report/print", app.program);
    let html = sponsor_get(&app, &uri).await;
    let today = plab_domain::session::human_date(plab_domain::Date::of_instant(time::OffsetDateTime::now_utc()));
    assert!(html.contains("id=\"as-of\"") && html.contains(&format!("As of {today}")), "{html}");
    for fragment in ["<nav", "<form", "<header", "<a ", "Sign out", "Your account", "csrf"] {
        assert!(!html.contains(fragment), "{fragment} in the print view: {html}");
    }
    assert!(html.contains("id=\"figure-sessions-held\">3</dd>"), "the figures: {html}");
    assert_eq!(html.matches("<svg width=\"100%\"").count(), 2, "both charts");
    for mark in [NOTE_MARK, HOMEWORK_MARK, CHECKIN_MARK] {
        assert!(!html.contains(mark), "{mark} in the print view");
    }
    for (who, want) in [("l1@lab.test", StatusCode::FORBIDDEN), ("s2@lab.test", StatusCode::NOT_FOUND)] {
        let (cookie, _) = sign_in(&app, who).await;
        assert_eq!(send(&app, "GET", &uri, Some(&cookie), None).await.status, want, "{who}");
    }
    // The program page links it.
    let page = sponsor_get(&app, &format!("/programs/{}", app.program)).await;
    assert!(page.contains(&format!("href=\"{uri}\"")));
}

/// Each chart's SVG on a page (not the legends' samples).
fn chart_svgs(html: &str) -> Vec<&str> {
    html.split("<div class=\"chart-plot\"")
        .skip(1)
        .map(|rest| {
            let start = rest.find("<svg").expect("an SVG in the chart");
            let end = rest[start..].find("</svg>").expect("SVG end") + start;
            &rest[start..end]
        })
        .collect()
}

/// The numbers of every `NAME="…"` attribute in `svg`.
fn numbers(svg: &str, name: &str) -> Vec<f64> {
    svg.split(&format!("{name}=\""))
        .skip(1)
        .map(|rest| rest.split('"').next().and_then(|v| v.parse().ok()).expect("a number"))
        .collect()
}

async fn charts_scale_with_their_box_and_bin_sessions_by_fortnight(app: App) {
    // A program that began ten weeks ago, so that it has fortnights behind it.
    let ten_weeks_ago = plab_domain::Date::of_instant(time::OffsetDateTime::now_utc()).plus_days(-70);
    let program =
        plab_app::programs::create(&app.store, "Autumn", &ten_weeks_ago.to_string(), ProgramSettings::default(), "t")
            .await
            .expect("program");
    plab_app::programs::enroll(&app.store, program, Role::Sponsor, &["S".to_owned()], None, "test")
        .await
        .expect("sponsor");
    let token = app.login("s@lab.test").await;
    let (status, report) = app.call("GET", &format!("/api/v1/programs/{program}/report"), Some(&token), None).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert!(report.get("weeks").is_none(), "fortnights replace weeks");
    let bins = report["fortnights"].as_array().expect("fortnights");
    assert!((5..=6).contains(&bins.len()), "ten weeks make five or six fortnights: {bins:?}");
    let day = |v: &Value| plab_domain::Date::parse(v.as_str().expect("date")).expect("a day").days_since_epoch();
    for pair in bins.windows(2) {
        assert_eq!(day(&pair[1]["starts"]) - day(&pair[0]["starts"]), 14, "bins are 14 days: {pair:?}");
    }
    assert_eq!(day(&bins[0]["ends"]) - day(&bins[0]["starts"]), 13);
    let html = sponsor_get(&app, &format!("/programs/{program}")).await;
    let svgs = chart_svgs(&html);
    assert_eq!(svgs.len(), 2, "{html}");
    for chart in svgs {
        let svg = &chart[..chart.find('>').expect("tag end")];
        assert!(svg.contains("viewBox=\"0 0 "), "{svg}");
        assert!(svg.contains("width=\"100%\"") && !svg.contains("height=\""), "scales with its box: {svg}");
        let fixed = svg
            .split("width=\"")
            .skip(1)
            .any(|w| w.split('"').next().is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.')));
        assert!(!fixed, "no fixed width: {svg}");
        // Shown about 330 px wide on a phone 390 px wide, every text reads at 12 px or more.
        let view_width = svg.split("viewBox=\"0 0 ").nth(1).and_then(|v| v.split(' ').next()).expect("width");
        let min_units = 12.0 * view_width.parse::<f64>().expect("a number") / 330.0;
        let sizes = numbers(chart, "font-size");
        assert!(!sizes.is_empty() && sizes.iter().all(|s| *s >= min_units), "{sizes:?} under {min_units}");
        // Text in the page's ink, not a grey that fails contrast.
        assert!(chart.contains("fill=\"#1D2433\"") && !chart.contains("fill=\"#808080\""));
    }
    assert!(
        html.contains("class=\"chart-legend\"") && html.contains("held</li>"),
        "the legend is HTML, outside the plot"
    );
    assert!(html.contains("fortnight starting"), "the axis says what a bin is");
}
