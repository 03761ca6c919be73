//! Measure and iterate: a partner's own check-in, a sponsor recording one held
//! in person and reading a program's check-ins, and the leader's insight log
//! with what the sponsors see of it. The services decide who may see and do
//! what (`plab_app::access`); this module only renders. A form with problems
//! comes back with each one beside its field and what was typed kept.
use super::form::{Errors, problems};
use super::routing::{Router, get, post};
use super::{Checked, CsrfForm, PageError, SignedIn};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use plab_app::measure::{
    self, CheckinAnswersView, CheckinInput, CheckinQuestionView, CheckinRow, HeldSession, InsightInput, InsightView,
    MyCheckin, ProgramInsights,
};
use plab_app::{AppError, Problem};
use plab_domain::Theme;
use plab_domain::insight::{InsightId, InsightKind};
use serde::Deserialize;
use time::OffsetDateTime;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/pairs/{pair}/checkin", get(my_checkin).post(answer_my_checkin))
        .route("/pairs/{pair}/checkins/{role}", get(checkin_to_record).post(record_checkin))
        .route("/programs/{program}/checkins", get(program_checkins))
        .route("/programs/{program}/checkins/read", post(read_program_checkins))
        .route("/pairs/{pair}/insights", get(insights).post(add_insight))
        .route("/insights/{insight}", get(insight).post(update_insight))
        .route("/insights/{insight}/delete", post(delete_insight))
        .route("/programs/{program}/insights", get(program_insights))
}

/// A check-in form as typed.
#[derive(Deserialize, Default, Clone)]
struct CheckinForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    insight: String,
    #[serde(default)]
    change: String,
    #[serde(default)]
    view_of_organization: String,
    #[serde(default)]
    heard: String,
    #[serde(default)]
    heard_comment: String,
}

impl CheckinForm {
    fn from_answers(a: Option<&CheckinAnswersView>) -> CheckinForm {
        let Some(a) = a else { return CheckinForm::default() };
        CheckinForm {
            csrf: String::new(),
            insight: a.insight.clone().unwrap_or_default(),
            change: a.change.clone().unwrap_or_default(),
            view_of_organization: a.view_of_organization.clone().unwrap_or_default(),
            heard: a.heard.map(|h| h.to_string()).unwrap_or_default(),
            heard_comment: a.heard_comment.clone().unwrap_or_default(),
        }
    }

    /// The value typed for a question.
    fn value(&self, code: impl AsRef<str>) -> &str {
        match code.as_ref() {
            "insight" => &self.insight,
            "change" => &self.change,
            "view_of_organization" => &self.view_of_organization,
            "heard" => &self.heard,
            "heard_comment" => &self.heard_comment,
            _ => "",
        }
    }

    /// A number the "heard" scale could not take is a problem named `heard`, not a 400.
    fn input(&self) -> Result<CheckinInput, AppError> {
        let text = |s: &str| Some(s.to_owned()).filter(|t| !t.trim().is_empty());
        let heard = match self.heard.trim() {
            "" => None,
            raw => Some(raw.parse::<i64>().map_err(|_| {
                AppError::invalid(Problem::new(format!("'{raw}' is not a whole number from 1 to 5")).field("heard"))
            })?),
        };
        Ok(CheckinInput {
            insight: text(&self.insight),
            change: text(&self.change),
            view_of_organization: text(&self.view_of_organization),
            heard,
            heard_comment: text(&self.heard_comment),
        })
    }
}

/// Where a check-in stands, as its page shows it.
struct Standing {
    state: String,
    held_sessions: u32,
    due_on: String,
    overdue_on: String,
    answered: bool,
    recorded_by_sponsor: bool,
    read_by_sponsor: bool,
    editable: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "checkin.html")]
struct CheckinPage {
    signed_in: Option<super::Chrome>,
    csrf: String,
    pair: i64,
    /// The partner's name when a sponsor records for them; None on the partner's own page.
    recording_for: Option<String>,
    role: String,
    action: String,
    checkin_after: u32,
    standing: Standing,
    questions: Vec<CheckinQuestionView>,
    form: CheckinForm,
    errors: Errors,
    saved: bool,
}

impl CheckinPage {
    fn scale(&self) -> Vec<(u8, bool)> {
        (1..=5).map(|v| (v, self.form.heard.trim() == v.to_string())).collect()
    }

    fn other_errors(&self) -> Vec<String> {
        self.errors.other(&["insight", "change", "view_of_organization", "heard", "heard_comment"])
    }

    fn own(visitor: &SignedIn, c: MyCheckin, saved: bool) -> CheckinPage {
        CheckinPage {
            signed_in: Some(visitor.chrome()),
            csrf: visitor.csrf.clone(),
            pair: c.pair,
            recording_for: None,
            action: format!("/pairs/{}/checkin", c.pair),
            checkin_after: c.checkin_after,
            standing: Standing {
                due_on: c.due_on(),
                overdue_on: c.overdue_on(),
                state: c.state.clone(),
                held_sessions: c.held_sessions,
                answered: c.answers.is_some(),
                recorded_by_sponsor: c.recorded_by_sponsor,
                read_by_sponsor: c.read_by_sponsor,
                editable: c.can_answer,
            },
            form: CheckinForm::from_answers(c.answers.as_ref()),
            role: c.role,
            questions: c.questions,
            errors: Errors::default(),
            saved,
        }
    }

    fn for_sponsor(visitor: &SignedIn, r: CheckinRow, questions: Vec<CheckinQuestionView>, saved: bool) -> CheckinPage {
        let answered = r.answers.is_some();
        CheckinPage {
            signed_in: Some(visitor.chrome()),
            csrf: visitor.csrf.clone(),
            pair: r.pair,
            recording_for: Some(r.person.name.clone()),
            action: format!("/pairs/{}/checkins/{}", r.pair, r.role),
            checkin_after: 0,
            standing: Standing {
                due_on: r.due_on(),
                overdue_on: r.overdue_on(),
                editable: r.state != "not_yet" && (!answered || r.recorded_by_sponsor),
                state: r.state.clone(),
                held_sessions: r.held_sessions,
                answered,
                recorded_by_sponsor: r.recorded_by_sponsor,
                read_by_sponsor: answered,
            },
            form: CheckinForm::from_answers(r.answers.as_ref()),
            role: r.role,
            questions,
            errors: Errors::default(),
            saved,
        }
    }
}

#[derive(Deserialize)]
struct SavedQuery {
    saved: Option<String>,
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

async fn my_checkin(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<CheckinPage, PageError> {
    let c = measure::my_checkin(&s.store, &visitor.actor, crate::path_pair(&raw)?, now()).await?;
    Ok(CheckinPage::own(&visitor, c, q.saved.is_some()))
}

async fn answer_my_checkin(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, form): Checked<CheckinForm>,
) -> Result<Response, PageError> {
    let pair = crate::path_pair(&raw)?;
    let saved = match form.input() {
        Ok(input) => measure::answer_my_checkin(&s.store, &visitor.actor, pair, &input, now()).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match saved {
        Ok(()) => Ok(Redirect::to(&format!("/pairs/{pair}/checkin?saved=1")).into_response()),
        Err(e) => {
            let errors = problems(e)?;
            let mut page =
                CheckinPage::own(&visitor, measure::my_checkin(&s.store, &visitor.actor, pair, now()).await?, false);
            page.form = form;
            page.errors = errors;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn checkin_to_record(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path((raw, role)): Path<(String, String)>,
    Query(q): Query<SavedQuery>,
) -> Result<CheckinPage, PageError> {
    let pair = crate::path_pair(&raw)?;
    let (row, questions) = measure::checkin_to_record(&s.store, &visitor.actor, pair, &role, now()).await?;
    Ok(CheckinPage::for_sponsor(&visitor, row, questions, q.saved.is_some()))
}

async fn record_checkin(
    State(s): State<AppState>,
    Path((raw, role)): Path<(String, String)>,
    Checked(visitor, form): Checked<CheckinForm>,
) -> Result<Response, PageError> {
    let pair = crate::path_pair(&raw)?;
    let saved = match form.input() {
        Ok(input) => measure::record_checkin(&s.store, &visitor.actor, pair, &role, &input, now()).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match saved {
        Ok(()) => Ok(Redirect::to(&format!("/pairs/{pair}/checkins/{role}?saved=1")).into_response()),
        Err(e) => {
            let errors = problems(e)?;
            let (row, questions) = measure::checkin_to_record(&s.store, &visitor.actor, pair, &role, now()).await?;
            let mut page = CheckinPage::for_sponsor(&visitor, row, questions, false);
            page.form = form;
            page.errors = errors;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "checkins.html")]
struct CheckinsPage {
    signed_in: Option<super::Chrome>,
    program: i64,
    name: String,
    due: Vec<CheckinRow>,
    rows: Vec<CheckinRow>,
    /// Answered check-ins no sponsor has read yet: counted, not shown.
    unread: usize,
    csrf: String,
}

/// The sponsors' check-ins page. Opening it marks nothing read; the answers
/// not read yet are counted until a sponsor chooses to read them.
async fn program_checkins(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
) -> Result<CheckinsPage, PageError> {
    let program = crate::path_program(&raw)?;
    let (rows, unread) = measure::program_checkins_as_read(&s.store, &visitor.actor, program, now()).await?;
    let mut due: Vec<CheckinRow> = rows.iter().filter(|r| r.is_pending()).cloned().collect();
    due.sort_by_key(|r| (r.state != "overdue", r.due_at.clone(), r.pair));
    let name = plab_app::programs::name_for(&s.store, &visitor.actor, program).await?;
    Ok(CheckinsPage {
        signed_in: Some(visitor.chrome()),
        csrf: visitor.csrf.clone(),
        program: program.0,
        name,
        due,
        rows,
        unread,
    })
}

/// A sponsor reads the answered check-ins: they are shown, and final.
async fn read_program_checkins(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, _): Checked<CsrfForm>,
) -> Result<Redirect, PageError> {
    let program = crate::path_program(&raw)?;
    measure::read_program_checkins(&s.store, &visitor.actor, program).await?;
    Ok(Redirect::to(&format!("/programs/{program}/checkins#answers")))
}

/// An insight form as typed.
#[derive(Deserialize, Default, Clone)]
struct InsightForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    theme: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    session: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    shared: Option<String>,
}

impl InsightForm {
    fn from_view(i: &InsightView) -> InsightForm {
        InsightForm {
            csrf: String::new(),
            kind: i.kind.clone(),
            theme: i.theme.clone(),
            text: i.text.clone(),
            session: i.session.map(|s| s.to_string()).unwrap_or_default(),
            shared: i.shared.then(|| "on".to_owned()),
        }
    }

    fn input(&self) -> Result<InsightInput, AppError> {
        let session = match self.session.trim() {
            "" => None,
            raw => Some(raw.parse::<i64>().map_err(|_| {
                AppError::invalid(Problem::new(format!("'{raw}' is not a session id")).field("session"))
            })?),
        };
        Ok(InsightInput {
            kind: self.kind.clone(),
            theme: self.theme.clone(),
            text: self.text.clone(),
            session,
            shared: self.shared.is_some(),
        })
    }

    fn is_shared(&self) -> bool {
        self.shared.is_some()
    }
}

/// The choices of an insight form's selects.
struct Choices {
    kinds: Vec<(&'static str, &'static str)>,
    themes: Vec<(&'static str, &'static str)>,
    sessions: Vec<HeldSession>,
}

impl Choices {
    fn new(sessions: Vec<HeldSession>) -> Choices {
        Choices {
            kinds: InsightKind::ALL.iter().map(|k| (k.as_str(), k.label())).collect(),
            themes: Theme::ALL.iter().map(|t| (t.as_str(), t.label())).collect(),
            sessions,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "insights.html")]
struct InsightsPage {
    signed_in: Option<super::Chrome>,
    csrf: String,
    pair: i64,
    insights: Vec<InsightView>,
    choices: Choices,
    form: InsightForm,
    errors: Errors,
}

impl InsightsPage {
    async fn load(s: &AppState, visitor: &SignedIn, pair: plab_domain::PairId) -> Result<InsightsPage, PageError> {
        let log = measure::my_insights(&s.store, &visitor.actor, pair).await?;
        Ok(InsightsPage {
            signed_in: Some(visitor.chrome()),
            csrf: visitor.csrf.clone(),
            pair: log.pair,
            insights: log.insights,
            choices: Choices::new(log.sessions),
            form: InsightForm::default(),
            errors: Errors::default(),
        })
    }

    fn other_errors(&self) -> Vec<String> {
        self.errors.other(&["kind", "theme", "text", "session"])
    }
}

async fn insights(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
) -> Result<InsightsPage, PageError> {
    InsightsPage::load(&s, &visitor, crate::path_pair(&raw)?).await
}

async fn add_insight(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, form): Checked<InsightForm>,
) -> Result<Response, PageError> {
    let pair = crate::path_pair(&raw)?;
    let added = match form.input() {
        Ok(input) => measure::add_insight(&s.store, &visitor.actor, pair, &input).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match added {
        Ok(()) => Ok(Redirect::to(&format!("/pairs/{pair}/insights#log")).into_response()),
        Err(e) => {
            let errors = problems(e)?;
            let mut page = InsightsPage::load(&s, &visitor, pair).await?;
            page.form = form;
            page.errors = errors;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "insight.html")]
struct InsightPage {
    signed_in: Option<super::Chrome>,
    csrf: String,
    id: i64,
    pair: i64,
    choices: Choices,
    form: InsightForm,
    errors: Errors,
}

impl InsightPage {
    async fn load(s: &AppState, visitor: &SignedIn, id: InsightId) -> Result<InsightPage, PageError> {
        let (view, sessions) = measure::insight(&s.store, &visitor.actor, id).await?;
        Ok(InsightPage {
            signed_in: Some(visitor.chrome()),
            csrf: visitor.csrf.clone(),
            id: view.id,
            pair: view.pair,
            choices: Choices::new(sessions),
            form: InsightForm::from_view(&view),
            errors: Errors::default(),
        })
    }

    fn other_errors(&self) -> Vec<String> {
        self.errors.other(&["kind", "theme", "text", "session"])
    }
}

fn path_insight(raw: &str) -> Result<InsightId, PageError> {
    Ok(crate::path_id("insight", raw).map(InsightId)?)
}

async fn insight(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
) -> Result<InsightPage, PageError> {
    InsightPage::load(&s, &visitor, path_insight(&raw)?).await
}

async fn update_insight(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, form): Checked<InsightForm>,
) -> Result<Response, PageError> {
    let id = path_insight(&raw)?;
    let updated = match form.input() {
        Ok(input) => measure::update_insight(&s.store, &visitor.actor, id, &input).await,
        Err(e) => Err(e),
    };
    match updated {
        Ok(view) => Ok(Redirect::to(&format!("/pairs/{}/insights#insight-{id}", view.pair)).into_response()),
        Err(e) => {
            let errors = problems(e)?;
            let mut page = InsightPage::load(&s, &visitor, id).await?;
            page.form = form;
            page.errors = errors;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn delete_insight(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, _): Checked<CsrfForm>,
) -> Result<Redirect, PageError> {
    let pair = measure::delete_insight(&s.store, &visitor.actor, path_insight(&raw)?).await?;
    Ok(Redirect::to(&format!("/pairs/{pair}/insights#log")))
}

#[derive(Template, WebTemplate)]
#[template(path = "program_insights.html")]
struct ProgramInsightsPage {
    signed_in: Option<super::Chrome>,
    program: i64,
    name: String,
    insights: ProgramInsights,
}

async fn program_insights(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
) -> Result<ProgramInsightsPage, PageError> {
    let program = crate::path_program(&raw)?;
    let insights = measure::program_insights(&s.store, &visitor.actor, program).await?;
    let name = plab_app::programs::name_for(&s.store, &visitor.actor, program).await?;
    Ok(ProgramInsightsPage { signed_in: Some(visitor.chrome()), program: program.0, name, insights })
}

super::carries_csrf!(CheckinForm, InsightForm);
