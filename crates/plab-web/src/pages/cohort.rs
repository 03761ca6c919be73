//! A program's life for its sponsors in the browser: the state in words and
//! the next step on the program page, the close-out's confirmation page, and
//! the form that starts the next cohort (standard or a reciprocal phase) with
//! the people who want to continue preselected. The services are
//! `plab_app::life`'s, the same the API and the CLI call.
use super::form::{Errors, SummaryItem};
use super::routing::{Router, get};
use super::{Checked, CsrfForm, PageError, SignedIn};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use plab_app::AppError;
use plab_app::accounts::Actor;
use plab_app::life::{self, CloseOutProgress, NextCohort, Proposed};
use plab_domain::life::{Action, ExitChoice, ProgramState};
use plab_store::{ProgramId, Store};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/programs/{program}/close-out", get(close_out_page).post(begin_close_out))
        .route("/programs/{program}/next-cohort", get(next_cohort_page).post(start_next_cohort))
}

fn today() -> plab_domain::Date {
    plab_domain::Date::of_instant(time::OffsetDateTime::now_utc())
}

/// What a program's state allows now, in one sentence for its sponsors.
fn meaning(state: ProgramState) -> &'static str {
    match state {
        ProgramState::Draft => "People can be enrolled; nobody is taking part yet.",
        ProgramState::Enrolling => {
            "People are enrolled and pairs can be proposed and approved; sessions start once pairs are approved."
        }
        ProgramState::Running => "Pairs meet, plan their sessions and keep their notes.",
        ProgramState::Closing => {
            "Participants are answering the last questions; no new sessions are planned, and the pairs can still \
             hold the sessions already planned."
        }
        ProgramState::Closed => "Nothing new is written; the report keeps the figures it showed at closing.",
    }
}

/// The program's life as its page shows it to its sponsors: the state in
/// words and the next step.
pub(crate) struct LifePanel {
    pub program: i64,
    pub state: ProgramState,
    /// `reciprocal` when this is the reciprocal phase of a former cohort.
    pub reciprocal: bool,
    pub previous_program: Option<i64>,
    /// The close-out's counts while the program is closing.
    pub counts: Option<Counts>,
    /// Set on the way back from a step: what was just done.
    pub notice: Option<&'static str>,
}

impl LifePanel {
    pub fn label(&self) -> &'static str {
        self.state.label()
    }

    pub fn meaning(&self) -> &'static str {
        meaning(self.state)
    }

    pub fn can_begin_close_out(&self) -> bool {
        plab_domain::life::allows(self.state, Action::BeginCloseOut)
    }

    pub fn can_start_next_cohort(&self) -> bool {
        plab_domain::life::allows(self.state, Action::StartNextCohort)
    }

    pub fn is_closing(&self) -> bool {
        self.state == ProgramState::Closing
    }
}

/// The panel for the program page (its sponsors only; the page has checked).
pub(crate) async fn panel(store: &Store, actor: &Actor, program: ProgramId) -> Result<LifePanel, AppError> {
    let view = life::show(store, actor, program).await?;
    let state = life::state(store, program).await?;
    let counts = if state == ProgramState::Closing {
        Some(Counts::of(life::close_out_progress(store, actor, program).await?))
    } else {
        None
    };
    Ok(LifePanel {
        program: program.0,
        state,
        reciprocal: view.kind == "reciprocal",
        previous_program: view.previous_program,
        counts,
        notice: None,
    })
}

/// The close-out's progress in words: how many answered, never who.
pub(crate) struct Counts {
    pub participants: u64,
    pub exit_answers: u64,
    pub self_assessments: u64,
    /// How many chose each answer, once enough answered.
    pub split: Option<Vec<(&'static str, u64)>>,
    pub min_group_size: u32,
}

impl Counts {
    fn of(p: CloseOutProgress) -> Counts {
        let split = p.exit_choices.map(|split| {
            ExitChoice::ALL.iter().map(|c| (c.label(), split.get(c.as_str()).copied().unwrap_or(0))).collect()
        });
        Counts {
            participants: p.participants,
            exit_answers: p.exit_answers,
            self_assessments: p.closing_self_assessments,
            split,
            min_group_size: p.min_group_size,
        }
    }
}

/// The words for `?done=…` on the program page.
pub(crate) fn notice(done: Option<&str>) -> Option<&'static str> {
    match done {
        Some("close-out") => Some(
            "The close-out has begun. Each participant got a notice asking for their closing self-assessment, last \
             check-in and whether they would take part again.",
        ),
        _ => None,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "program_close_out.html")]
struct CloseOutPage {
    signed_in: Option<super::Chrome>,
    csrf: String,
    program: i64,
    name: String,
    running: bool,
    state_label: &'static str,
    state_meaning: &'static str,
    /// The counts while the program is closing.
    counts: Option<Counts>,
}

/// What the close-out does, and the button that begins it (sponsors only).
async fn close_out_page(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
) -> Result<CloseOutPage, PageError> {
    let program = crate::path_program(&raw)?;
    let progress = life::close_out_progress(&s.store, &visitor.actor, program).await?;
    let name = life::show(&s.store, &visitor.actor, program).await?.name;
    let state = life::state(&s.store, program).await?;
    Ok(CloseOutPage {
        signed_in: Some(visitor.chrome()),
        csrf: visitor.csrf.clone(),
        program: program.0,
        name,
        running: state == ProgramState::Running,
        state_label: state.label(),
        state_meaning: meaning(state),
        counts: (state == ProgramState::Closing).then(|| Counts::of(progress)),
    })
}

/// Begins the close-out (the participants' notices go out by mail) and goes
/// back to the program's page, which says so.
async fn begin_close_out(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, _): Checked<CsrfForm>,
) -> Result<Response, PageError> {
    let program = crate::path_program(&raw)?;
    life::begin_close_out(&s.store, &s.vault, &s.post, &visitor.actor, program, today()).await?;
    Ok(Redirect::to(&format!("/programs/{}?done=close-out#life", program.0)).into_response())
}

/// One person proposed for the next cohort, as a checkbox.
struct Candidate {
    id: String,
    name: String,
    role: String,
    checked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "program_next_cohort.html")]
struct NextCohortPage {
    signed_in: Option<super::Chrome>,
    csrf: String,
    program: i64,
    from: String,
    /// Whether this program's state lets a next cohort start.
    open: bool,
    refusal: String,
    name: String,
    starts_on: String,
    reciprocal: bool,
    candidates: Vec<Candidate>,
    name_error: String,
    starts_on_error: String,
    enrol_error: String,
    summary: Vec<SummaryItem>,
}

/// The problems of `enrol` name the person (`Problem::at`) in their message.
const LABELS: [(&str, &str); 3] =
    [("name", "Name of the next cohort"), ("starts_on", "First day"), ("enrol", "Who takes part again")];

fn candidates(proposed: Vec<Proposed>) -> Vec<Candidate> {
    proposed
        .into_iter()
        .map(|p| {
            let checked = true;
            let role = if p.role == "leader" { "as a leader" } else { "as a mentor" };
            Candidate { id: p.id, name: p.name, role: role.to_owned(), checked }
        })
        .collect()
}

async fn blank_form(s: &AppState, visitor: &SignedIn, program: ProgramId) -> Result<NextCohortPage, PageError> {
    let proposed = life::proposals(&s.store, &visitor.actor, program).await?;
    let from = life::show(&s.store, &visitor.actor, program).await?.name;
    let state = life::state(&s.store, program).await?;
    Ok(NextCohortPage {
        signed_in: Some(visitor.chrome()),
        csrf: visitor.csrf.clone(),
        program: program.0,
        name: format!("{from}, next cohort"),
        from,
        open: plab_domain::life::allows(state, Action::StartNextCohort),
        refusal: plab_domain::life::refusal(state, Action::StartNextCohort),
        starts_on: String::new(),
        reciprocal: false,
        candidates: candidates(proposed),
        name_error: String::new(),
        starts_on_error: String::new(),
        enrol_error: String::new(),
        summary: Vec::new(),
    })
}

/// The form that starts the next cohort, the people who want to continue ticked.
async fn next_cohort_page(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
) -> Result<NextCohortPage, PageError> {
    let program = crate::path_program(&raw)?;
    blank_form(&s, &visitor, program).await
}

#[derive(Deserialize)]
struct NextCohortForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    reciprocal: Option<String>,
    /// The ticked people (their employee ids).
    #[serde(default)]
    enrol: Vec<String>,
}

/// Starts the next cohort and opens its page; a refused form comes back with
/// its input and each problem beside its field.
async fn start_next_cohort(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
    axum_extra::extract::Form(form): axum_extra::extract::Form<NextCohortForm>,
) -> Result<Response, PageError> {
    visitor.check_csrf(&form.csrf)?;
    let program = crate::path_program(&raw)?;
    let input = NextCohort {
        name: form.name.clone(),
        starts_on: form.starts_on.clone(),
        reciprocal: form.reciprocal.is_some(),
        enrol: Some(form.enrol.clone()),
        sessions: None,
    };
    match life::start_next_cohort(&s.store, &visitor.actor, program, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/programs/{}", id.0)).into_response()),
        Err(e) => {
            let errors: Errors = super::form::problems(e)?;
            let mut page = blank_form(&s, &visitor, program).await?;
            for c in &mut page.candidates {
                c.checked = form.enrol.contains(&c.id);
            }
            page.name = form.name;
            page.starts_on = form.starts_on;
            page.reciprocal = input.reciprocal;
            page.name_error = errors.of("name");
            page.starts_on_error = errors.of("starts_on");
            page.enrol_error = errors.of("enrol");
            page.summary = errors.summary(&LABELS);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
