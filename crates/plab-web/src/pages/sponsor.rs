//! The sponsor's pages: the program's health and pairs, and its report
//! (the pairing review is in `pairing`).
use super::routing::{Router, get};
use super::{PageError, SignedIn};
use crate::AppState;
use crate::charts::{self, Chart};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use plab_app::lab::{self, PairView, QuestionStrength};
use plab_app::report::{self, Report};
use plab_app::sessions::{self, ProgramHealth};
use plab_domain::signals::SignalKind;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/programs/{program}", get(program))
        .route("/programs/{program}/report.json", get(report_json))
        .route("/programs/{program}/report.csv", get(report_csv))
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
    at_risk: Vec<RiskRow>,
    sessions_chart: Chart,
    signals_chart: Chart,
}

/// A pair at risk as the dashboard lists it: who, which signals, what to do.
struct RiskRow {
    pair: i64,
    leader: String,
    mentor: String,
    signals: Vec<(String, &'static str)>,
}

impl ProgramPage {
    fn pct(share: &Option<f64>) -> String {
        share.map_or_else(|| "withheld".to_owned(), |s| format!("{:.0}%", s * 100.0))
    }
}

async fn program(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
) -> Result<ProgramPage, PageError> {
    let id = crate::path_program(&raw)?;
    let questions = lab::question_strengths(&s.store, &visitor.actor, id).await?;
    let pairs = lab::list_pairs(&s.store, &visitor.actor, id, lab::Page::ALL).await?;
    let health = sessions::health(&s.store, &visitor.actor, id).await?;
    let report = report::for_sponsor(&s.store, &visitor.actor, id).await?;
    let at_risk = report
        .at_risk
        .iter()
        .map(|r| {
            let pair = pairs.iter().find(|p| p.id == r.pair);
            let signals = r
                .signals
                .iter()
                .map(|k| (k.replace('_', " "), SignalKind::from_name(k).map_or("", SignalKind::adjustment)))
                .collect();
            RiskRow {
                pair: r.pair,
                leader: pair.map_or_else(String::new, |p| p.leader.name.clone()),
                mentor: pair.map_or_else(String::new, |p| p.mentor.name.clone()),
                signals,
            }
        })
        .collect();
    let (sessions_chart, signals_chart) = (charts::sessions_over_time(&report), charts::signals_over_time(&report));
    Ok(ProgramPage {
        signed_in: Some(visitor.chrome()),
        program: id.0,
        pairs,
        questions,
        health,
        report,
        at_risk,
        sessions_chart,
        signals_chart,
    })
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

/// The report as a CSV download: one `metric,value` row per figure, then the weeks.
async fn report_csv(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    let id = crate::path_program(&raw)?;
    let r = report::for_sponsor(&s.store, &visitor.actor, id).await?;
    Ok(download(&format!("program-{id}-report.csv"), "text/csv; charset=utf-8", report::to_csv(&r)))
}

fn download(name: &str, content_type: &'static str, body: String) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    ([(header::CONTENT_TYPE, content_type.to_owned()), (header::CONTENT_DISPOSITION, disposition)], body)
        .into_response()
}
