//! The leader's commitments (issue 23, item 6) and the program office's lab
//! report (item 5). The services decide who sees what; this module renders.
use super::form::{Errors, SummaryItem, problems};
use super::routing::{Router, get, post};
use super::{Checked, PageError, SignedIn};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use plab_app::commitments::{self, CommitmentChange, CommitmentInput, CommitmentView};
use plab_app::office::{self, OfficeReport};
use plab_domain::commitment::CommitmentId;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/pairs/{pair}/commitments", get(pair_commitments).post(make_commitment))
        .route("/commitments/{commitment}", post(change_commitment))
        .route("/office", get(office_report))
        .route("/office/report.csv", get(office_report_csv))
        .route("/admin/program-office", get(office_members).post(change_office_member))
}

/// A commitment as typed.
#[derive(Deserialize, Default, Clone)]
struct CommitmentForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    due_on: String,
    #[serde(default)]
    insight: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    shared: Option<String>,
}

impl CommitmentForm {
    fn is_shared(&self) -> bool {
        self.shared.is_some()
    }

    fn input(&self) -> Result<CommitmentInput, plab_app::AppError> {
        let insight = match self.insight.trim() {
            "" => None,
            raw => Some(raw.parse::<i64>().map_err(|_| {
                plab_app::AppError::invalid(
                    plab_app::Problem::new(format!("'{raw}' is not an entry of your insight log")).field("insight"),
                )
            })?),
        };
        Ok(CommitmentInput { text: self.text.clone(), due_on: self.due_on.clone(), insight, shared: self.is_shared() })
    }
}

super::carries_csrf!(CommitmentForm);

const LABELS: [(&str, &str); 3] = [("text", "What you will try"), ("due_on", "By when"), ("insight", "From insight")];

#[derive(Template, WebTemplate)]
#[template(path = "commitments.html")]
struct CommitmentsPage {
    signed_in: Option<super::Chrome>,
    csrf: String,
    pair: i64,
    is_leader: bool,
    commitments: Vec<CommitmentView>,
    form: CommitmentForm,
    errors: Errors,
    summary: Vec<SummaryItem>,
}

impl CommitmentsPage {
    async fn load(s: &AppState, visitor: &SignedIn, pair: plab_domain::PairId) -> Result<CommitmentsPage, PageError> {
        let mine = commitments::pair_commitments(&s.store, &visitor.actor, pair).await?;
        Ok(CommitmentsPage {
            signed_in: Some(visitor.chrome()),
            csrf: visitor.csrf.clone(),
            pair: mine.pair,
            is_leader: mine.is_leader,
            commitments: mine.commitments,
            form: CommitmentForm::default(),
            errors: Errors::default(),
            summary: Vec::new(),
        })
    }
}

/// `?insight=ID`: the commitment is made from that entry of the insight log.
#[derive(Deserialize, Default)]
struct FromInsight {
    #[serde(default)]
    insight: String,
}

async fn pair_commitments(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
    Query(from): Query<FromInsight>,
) -> Result<CommitmentsPage, PageError> {
    let mut page = CommitmentsPage::load(&s, &visitor, crate::path_pair(&raw)?).await?;
    page.form.insight = from.insight.trim().chars().filter(char::is_ascii_digit).collect();
    Ok(page)
}

async fn make_commitment(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, form): Checked<CommitmentForm>,
) -> Result<Response, PageError> {
    let pair = crate::path_pair(&raw)?;
    let made = match form.input() {
        Ok(input) => commitments::add_commitment(&s.store, &visitor.actor, pair, &input).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match made {
        Ok(()) => Ok(Redirect::to(&format!("/pairs/{pair}/commitments#made")).into_response()),
        Err(e) => {
            let errors = problems(e)?;
            let mut page = CommitmentsPage::load(&s, &visitor, pair).await?;
            page.summary = errors.summary(&LABELS);
            page.form = form;
            page.errors = errors;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// Kept, dropped, open again, shared or not: one button each.
#[derive(Deserialize, Default, Clone)]
struct ChangeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    shared: Option<String>,
}

super::carries_csrf!(ChangeForm);

async fn change_commitment(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, form): Checked<ChangeForm>,
) -> Result<Response, PageError> {
    let id = CommitmentId(crate::path_id("commitment", &raw)?);
    let change = CommitmentChange { state: form.state.clone(), shared: form.shared.as_deref().map(|v| v == "yes") };
    let c = commitments::change_commitment(&s.store, &visitor.actor, id, &change).await?;
    Ok(Redirect::to(&format!("/pairs/{}/commitments#commitment-{}", c.pair, c.id)).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "office.html")]
struct OfficePage {
    signed_in: Option<super::Chrome>,
    report: OfficeReport,
    charts: Vec<crate::charts::Chart>,
}

impl OfficePage {
    fn percent(v: &Option<f64>) -> String {
        plab_app::report::percent(*v, plab_app::report::WITHHELD)
    }

    fn average(v: &Option<f64>) -> String {
        plab_app::report::average(*v)
    }

    fn days(v: &Option<f64>) -> String {
        v.map_or_else(|| "none yet".to_owned(), |d| format!("{d} days"))
    }

    fn signed(n: &i64) -> String {
        format!("{n:+}")
    }

    fn signed_avg(v: &Option<f64>) -> String {
        plab_app::report::change(*v)
    }
}

async fn office_report(State(s): State<AppState>, visitor: SignedIn) -> Result<OfficePage, PageError> {
    let report = office::for_office(&s.store, &visitor.actor).await?;
    let charts = crate::office_charts::charts(&report);
    Ok(OfficePage { signed_in: Some(visitor.chrome()), report, charts })
}

async fn office_report_csv(State(s): State<AppState>, visitor: SignedIn) -> Result<Response, PageError> {
    let r = office::for_office(&s.store, &visitor.actor).await?;
    Ok(super::sponsor::download("lab-report.csv", "text/csv; charset=utf-8", office::to_csv(&r)))
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_office.html")]
struct OfficeMembersPage {
    signed_in: Option<super::Chrome>,
    csrf: String,
    members: Vec<office::Member>,
    employee_id: String,
    errors: Errors,
    summary: Vec<SummaryItem>,
}

impl OfficeMembersPage {
    async fn load(s: &AppState, visitor: &SignedIn) -> Result<OfficeMembersPage, PageError> {
        Ok(OfficeMembersPage {
            signed_in: Some(visitor.chrome()),
            csrf: visitor.csrf.clone(),
            members: office::members(&s.store, &visitor.actor).await?,
            employee_id: String::new(),
            errors: Errors::default(),
            summary: Vec::new(),
        })
    }
}

async fn office_members(State(s): State<AppState>, visitor: SignedIn) -> Result<OfficeMembersPage, PageError> {
    OfficeMembersPage::load(&s, &visitor).await
}

/// Name someone (`employee_id`) or remove them (`remove` = their id).
#[derive(Deserialize, Default, Clone)]
struct MemberForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    employee_id: String,
    #[serde(default)]
    remove: Option<String>,
}

super::carries_csrf!(MemberForm);

async fn change_office_member(
    State(s): State<AppState>,
    Checked(visitor, form): Checked<MemberForm>,
) -> Result<Response, PageError> {
    let done = match &form.remove {
        Some(id) => office::remove_member(&s.store, &visitor.actor, id).await.map(|_| ()),
        None => office::name_member(&s.store, &visitor.actor, &form.employee_id).await.map(|_| ()),
    };
    match done {
        Ok(()) => Ok(Redirect::to("/admin/program-office#members").into_response()),
        Err(e) => {
            let errors = problems(e)?;
            let mut page = OfficeMembersPage::load(&s, &visitor).await?;
            page.summary = errors.summary(&[("employee_id", "Employee id")]);
            page.employee_id = form.employee_id;
            page.errors = errors;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
