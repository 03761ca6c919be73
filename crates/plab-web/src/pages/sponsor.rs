//! The sponsor's pages: the program's health and pairs, and its report
//! (the pairing review is in `pairing`).
use super::routing::{Router, get, post};
use super::{Checked, PageError, SignedIn};
use crate::AppState;
use crate::charts::{self, Chart};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use plab_app::lab::{self, PairView, QuestionStrength};
use plab_app::report::{self, Figure, Report};
use plab_app::sessions::{self, ProgramHealth};
use plab_app::triage;
use plab_domain::triage::FollowUp;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/programs/{program}", get(program))
        .route("/programs/{program}/report.json", get(report_json))
        .route("/programs/{program}/report.csv", get(report_csv))
        .route("/programs/{program}/fortnights.csv", get(fortnights_csv))
        .route("/programs/{program}/pairs.csv", get(pairs_csv))
        .route("/programs/{program}/report/print", get(report_print))
        .route("/pairs/{pair}/follow-up", post(follow_up))
}

#[derive(Template, WebTemplate)]
#[template(path = "program.html")]
struct ProgramPage {
    signed_in: Option<super::Chrome>,
    program: i64,
    pairs: Vec<PairView>,
    questions: std::sync::Arc<Vec<QuestionStrength>>,
    health: std::sync::Arc<ProgramHealth>,
    report: std::sync::Arc<Report>,
    /// The report's figures as the summary CSV has them (`report::figures`).
    figures: Vec<Figure>,
    csrf: String,
    /// The pairs at risk, one row per signal, sorted as asked.
    triage: triage::Triage,
    /// A refused follow-up: why, for the summary above the table.
    triage_error: Option<String>,
    triage_saved: bool,
    sessions_chart: Chart,
    signals_chart: Chart,
    /// Whether the program runs, and how long its pairs' private data is kept.
    keeping: plab_app::retention::Keeping,
    /// The program's state in words and its next step (`cohort`).
    life: super::cohort::LifePanel,
}

/// A theme of the data-exchange taxonomy in words ("Culture: career"), never its code.
fn theme_label(code: &str) -> &str {
    match plab_domain::Theme::parse(code) {
        Some(theme) => theme.label(),
        None => code,
    }
}

impl ProgramPage {
    fn theme(code: &str) -> &str {
        theme_label(code)
    }

    /// The first day in the pages' date style ("Mon 7 Dec 2026").
    fn starts_on(&self) -> String {
        plab_domain::Date::parse(&self.report.starts_on)
            .map_or_else(|_| self.report.starts_on.clone(), plab_domain::session::human_date)
    }

    fn started(&self) -> bool {
        plab_domain::Date::parse(&self.report.starts_on).is_ok_and(|d| d <= plab_app::sessions::today())
    }

    fn figure_id(metric: &str) -> String {
        figure_id(metric)
    }

    fn charts(&self) -> [&Chart; 2] {
        [&self.sessions_chart, &self.signals_chart]
    }

    /// The triage table's column headers: (label, sort key, whether it is the current sort).
    fn triage_columns(&self) -> Vec<(&'static str, &'static str, bool)> {
        [
            ("Pair", triage::SortBy::Pair),
            ("Signal", triage::SortBy::Signal),
            ("Since", triage::SortBy::Since),
            ("Last session held", triage::SortBy::LastSession),
            ("Follow-up", triage::SortBy::FollowUp),
        ]
        .into_iter()
        .map(|(label, key)| (label, key.as_str(), key == self.triage.sort))
        .collect()
    }

    fn follow_up_states(&self) -> [FollowUp; 3] {
        FollowUp::ALL
    }
}

#[derive(Deserialize, Default)]
struct ProgramQuery {
    sort: Option<String>,
    /// Set on the way back from a saved follow-up.
    saved: Option<String>,
    /// Set on the way back from a step of the program's life.
    done: Option<String>,
}

impl PrintPage {
    fn theme(code: &str) -> &str {
        theme_label(code)
    }

    fn figure_id(metric: &str) -> String {
        figure_id(metric)
    }

    fn average(value: &Option<f64>) -> String {
        report::average(*value)
    }

    fn change(value: &Option<f64>) -> String {
        report::change(*value)
    }

    fn charts(&self) -> [&Chart; 2] {
        [&self.sessions_chart, &self.signals_chart]
    }
}

/// The id of a figure's value on the pages: `figure-sessions-held`.
fn figure_id(metric: &str) -> String {
    format!("figure-{}", metric.replace(['.', '_'], "-"))
}

/// A pair at risk as the print view lists it: who, which signals, what to do.
struct RiskRow {
    leader: String,
    mentor: String,
    signals: Vec<(String, &'static str)>,
}

/// The pairs at risk with their partners' names and the protocol's advice.
fn risk_rows(report: &Report, pairs: &[PairView]) -> Vec<RiskRow> {
    report
        .at_risk
        .iter()
        .map(|r| {
            let pair = pairs.iter().find(|p| p.id == r.pair);
            let signals = r
                .signals
                .iter()
                .map(|k| {
                    (
                        k.replace('_', " "),
                        plab_domain::signals::SignalKind::from_name(k)
                            .map_or("", plab_domain::signals::SignalKind::adjustment),
                    )
                })
                .collect();
            RiskRow {
                leader: pair.map_or_else(String::new, |p| p.leader.name.clone()),
                mentor: pair.map_or_else(String::new, |p| p.mentor.name.clone()),
                signals,
            }
        })
        .collect()
}

async fn program(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
    axum::extract::Query(query): axum::extract::Query<ProgramQuery>,
) -> Result<ProgramPage, PageError> {
    let id = crate::path_program(&raw)?;
    let mut page = program_page(&s, visitor, id, triage::SortBy::parse(query.sort.as_deref()), None).await?;
    page.triage_saved = query.saved.is_some();
    page.life.notice = super::cohort::notice(query.done.as_deref());
    Ok(page)
}

async fn program_page(
    s: &AppState,
    visitor: SignedIn,
    id: plab_store::ProgramId,
    sort: triage::SortBy,
    triage_error: Option<String>,
) -> Result<ProgramPage, PageError> {
    let questions = lab::question_strengths(&s.store, &visitor.actor, id).await?;
    let pairs = lab::list_pairs(&s.store, &visitor.actor, id, lab::Page::ALL).await?;
    let health = sessions::health(&s.store, &visitor.actor, id).await?;
    let report = report::for_sponsor(&s.store, &visitor.actor, id).await?;
    let triage = triage::table(&s.store, &visitor.actor, id, &report, sort).await?;
    let (sessions_chart, signals_chart) = (charts::sessions_over_time(&report), charts::signals_over_time(&report));
    let keeping = plab_app::retention::keeping(&s.store, id).await?;
    let life = super::cohort::panel(&s.store, &visitor.actor, id).await?;
    Ok(ProgramPage {
        signed_in: Some(visitor.chrome()),
        program: id.0,
        pairs,
        questions,
        health,
        figures: report::figures(&report),
        report,
        csrf: visitor.csrf.clone(),
        triage,
        triage_error,
        triage_saved: false,
        sessions_chart,
        signals_chart,
        keeping,
        life,
    })
}

#[derive(Deserialize)]
struct FollowUpForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    signal: String,
    #[serde(default)]
    state: String,
    /// The table's sort, kept on the way back.
    #[serde(default)]
    sort: Option<String>,
}

/// A sponsor records where they are with one signal of a pair at risk; back
/// to the table as it was sorted. A refused value comes back above the table.
async fn follow_up(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, form): Checked<FollowUpForm>,
) -> Result<Response, PageError> {
    let pair = crate::path_pair(&raw)?;
    let sort = triage::SortBy::parse(form.sort.as_deref());
    match triage::set_follow_up(&s.store, &visitor.actor, pair, &form.signal, &form.state).await {
        Ok(program) => {
            let to = format!("/programs/{program}?sort={}&saved={pair}#at-risk", sort.as_str());
            Ok(Redirect::to(&to).into_response())
        }
        Err(plab_app::AppError::Invalid(problems)) => {
            let program = s.store.pair(pair).await.map_err(plab_app::AppError::from)?.program;
            let why = problems.iter().map(|p| p.message.clone()).collect::<Vec<_>>().join("; ");
            let why = format!("The follow-up was not saved: {why}.");
            let page = program_page(&s, visitor, program, sort, Some(why)).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// The report as a JSON download, the same document as the API's.
async fn report_json(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    let id = crate::path_program(&raw)?;
    let r = report::for_sponsor(&s.store, &visitor.actor, id).await?;
    let body =
        serde_json::to_string_pretty(&r).map_err(|e| PageError::from(plab_app::AppError::Fault(e.to_string())))?;
    Ok(download(&format!("program-{id}-report.json"), "application/json", body))
}

/// The report's summary as a CSV download: one `metric,value,label` row per figure, as the page shows it.
async fn report_csv(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    let id = crate::path_program(&raw)?;
    let r = report::for_sponsor(&s.store, &visitor.actor, id).await?;
    Ok(download(&format!("program-{id}-report.csv"), "text/csv; charset=utf-8", report::to_csv(&r)))
}

/// The fortnights as a CSV download: one row per fortnight since the start.
async fn fortnights_csv(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    let id = crate::path_program(&raw)?;
    let r = report::for_sponsor(&s.store, &visitor.actor, id).await?;
    let body = report::fortnights_csv(&r.fortnights);
    Ok(download(&format!("program-{id}-fortnights.csv"), "text/csv; charset=utf-8", body))
}

/// One row per pair, for HR: names, departments, status, sessions, cadence,
/// signals; nothing private (`report::pair_rows`).
async fn pairs_csv(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    let id = crate::path_program(&raw)?;
    let rows = report::pair_rows(&s.store, &visitor.actor, id).await?;
    Ok(download(&format!("program-{id}-pairs.csv"), "text/csv; charset=utf-8", report::pairs_csv(&rows)))
}

/// The report for a steering committee's pack: no navigation, no forms,
/// dated, a few A4 pages.
#[derive(Template, WebTemplate)]
#[template(path = "report_print.html")]
struct PrintPage {
    report: std::sync::Arc<Report>,
    health: std::sync::Arc<ProgramHealth>,
    /// When the figures were taken, as the pages write a time.
    as_of: String,
    starts_on: String,
    figures: Vec<Figure>,
    at_risk: Vec<RiskRow>,
    sessions_chart: Chart,
    signals_chart: Chart,
}

async fn report_print(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
) -> Result<PrintPage, PageError> {
    let id = crate::path_program(&raw)?;
    let report = report::for_sponsor(&s.store, &visitor.actor, id).await?;
    let health = sessions::health(&s.store, &visitor.actor, id).await?;
    let pairs = lab::list_pairs(&s.store, &visitor.actor, id, lab::Page::ALL).await?;
    let generated = time::OffsetDateTime::parse(&report.generated_at, &time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    let starts_on = plab_domain::Date::parse(&report.starts_on)
        .map_or_else(|_| report.starts_on.clone(), plab_domain::session::human_date);
    Ok(PrintPage {
        as_of: plab_domain::session::human_instant(generated),
        starts_on,
        figures: report::figures(&report),
        at_risk: risk_rows(&report, &pairs),
        sessions_chart: charts::sessions_over_time(&report),
        signals_chart: charts::signals_over_time(&report),
        health,
        report,
    })
}

pub(super) fn download(name: &str, content_type: &'static str, body: String) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    ([(header::CONTENT_TYPE, content_type.to_owned()), (header::CONTENT_DISPOSITION, disposition)], body)
        .into_response()
}

super::carries_csrf!(FollowUpForm);
