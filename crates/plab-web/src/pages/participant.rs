//! A leader's research question (with the coach's feedback as they type) and a
//! mentor's perspectives (their own for the program, or the directory's) and opt-out.
use super::form::{Errors, problems};
use super::routing::{Router, get, post};
use super::{Checked, PageError, SignedIn};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use plab_app::AppError;
use plab_app::programs::participant;
use plab_domain::coach::Assessment;
use plab_domain::question::QuestionVersion;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/programs/{program}/question", get(question).post(save_question))
        .route("/programs/{program}/mentor", get(mentor).post(save_opt_out))
        .route("/programs/{program}/mentor/perspectives", post(save_perspectives))
        .route("/coach", post(coach))
}

#[derive(Deserialize)]
struct CoachForm {
    #[serde(default)]
    csrf: String,
    text: String,
}

/// The coach's view of a draft, for feedback as the leader types (nothing is stored).
async fn coach(Checked(_, form): Checked<CoachForm>) -> Result<Json<Assessment>, PageError> {
    let text: String = form.text.chars().take(plab_domain::question::QuestionText::MAX_CHARS).collect();
    Ok(Json(plab_domain::coach::assess(&text)))
}

#[derive(Template, WebTemplate)]
#[template(path = "question.html")]
struct QuestionPage {
    signed_in: Option<super::Chrome>,
    csrf: String,
    program: i64,
    program_name: String,
    history: Vec<QuestionVersion>,
    /// The question box's text: the latest version, or what was posted when it was refused.
    draft: String,
    errors: Errors,
    /// Just saved: the page confirms it and names the next step.
    saved: bool,
}

impl QuestionPage {
    async fn load(s: &AppState, visitor: &SignedIn, program: plab_store::ProgramId) -> Result<QuestionPage, PageError> {
        let mut history = participant::my_questions(&s.store, &visitor.actor, program).await?;
        history.reverse();
        let program_name = plab_app::programs::name_for(&s.store, &visitor.actor, program).await?;
        Ok(QuestionPage {
            signed_in: Some(visitor.chrome()),
            csrf: visitor.csrf.clone(),
            program: program.0,
            program_name,
            draft: history.first().map(|v| v.text.clone()).unwrap_or_default(),
            history,
            errors: Errors::default(),
            saved: false,
        })
    }

    fn summary(&self) -> Vec<super::form::SummaryItem> {
        self.errors.summary(&[("question", "Your research question")])
    }
}

#[derive(Deserialize)]
struct SavedQuery {
    saved: Option<String>,
}

async fn question(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
    Query(query): Query<SavedQuery>,
) -> Result<QuestionPage, PageError> {
    let mut page = QuestionPage::load(&s, &visitor, crate::path_program(&raw)?).await?;
    page.saved = query.saved.is_some();
    Ok(page)
}

#[derive(Deserialize)]
struct QuestionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    text: String,
}

async fn save_question(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, form): Checked<QuestionForm>,
) -> Result<Response, PageError> {
    let program = crate::path_program(&raw)?;
    match participant::set_my_question(&s.store, &visitor.actor, program, &form.text).await {
        Ok(_) => Ok(Redirect::to(&format!("/programs/{program}/question?saved=1")).into_response()),
        Err(e) => {
            let errors = problems(e)?;
            let mut page = QuestionPage::load(&s, &visitor, program).await?;
            page.draft = form.text;
            page.errors = errors;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "mentor.html")]
struct MentorPage {
    signed_in: Option<super::Chrome>,
    csrf: String,
    program: i64,
    profile: participant::MentorProfile,
    /// The textarea's text: the effective perspectives, or what was posted when it had problems.
    draft: String,
    errors: Vec<String>,
    saved: bool,
}

impl MentorPage {
    async fn load(s: &AppState, visitor: &SignedIn, program: plab_store::ProgramId) -> Result<MentorPage, PageError> {
        let profile = participant::my_mentor_profile(&s.store, &visitor.actor, program).await?;
        Ok(MentorPage {
            signed_in: Some(visitor.chrome()),
            csrf: visitor.csrf.clone(),
            program: program.0,
            draft: profile.perspectives.as_lines(),
            profile,
            errors: Vec::new(),
            saved: false,
        })
    }
}

async fn mentor(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
    Query(query): Query<SavedQuery>,
) -> Result<MentorPage, PageError> {
    let mut page = MentorPage::load(&s, &visitor, crate::path_program(&raw)?).await?;
    page.saved = query.saved.is_some();
    Ok(page)
}

#[derive(Deserialize)]
struct PerspectivesForm {
    #[serde(default)]
    csrf: String,
    /// One perspective per line.
    #[serde(default)]
    perspectives: String,
    /// `reset` goes back to the directory's; anything else saves the text.
    #[serde(default)]
    action: String,
}

/// Saves the mentor's own perspectives (or resets them), or shows the form
/// again with its problems and the text as typed; nothing is saved then.
async fn save_perspectives(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, form): Checked<PerspectivesForm>,
) -> Result<Response, PageError> {
    let program = crate::path_program(&raw)?;
    let saved = if form.action == "reset" {
        participant::reset_my_perspectives(&s.store, &visitor.actor, program).await
    } else {
        participant::set_my_perspectives(&s.store, &visitor.actor, program, form.perspectives.lines()).await
    };
    match saved {
        Ok(_) => {
            Ok(Redirect::to(&format!("/programs/{program}/mentor?saved=perspectives#own-perspectives")).into_response())
        }
        Err(AppError::Invalid(problems)) => {
            let mut page = MentorPage::load(&s, &visitor, program).await?;
            page.draft = form.perspectives;
            page.errors = problems.into_iter().map(|p| p.message).collect();
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
struct OptOutForm {
    #[serde(default)]
    csrf: String,
    /// `out` to step out of pairing, `in` to step back in.
    pairing: String,
    /// Stepping out is confirmed with a ticked box: `yes`.
    #[serde(default)]
    confirm: String,
}

async fn save_opt_out(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, form): Checked<OptOutForm>,
) -> Result<Redirect, PageError> {
    let program = crate::path_program(&raw)?;
    let out = form.pairing == "out";
    if out && form.confirm != "yes" {
        // Who may is decided first: only the program's mentors reach the form's rules.
        plab_app::access::role_in_program(&s.store, &visitor.actor, program, plab_domain::program::Role::Mentor)
            .await?;
        return Err(PageError::Status(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "You are still in pairing: tick the box that confirms you step out.".into(),
        ));
    }
    participant::set_my_opt_out(&s.store, &visitor.actor, program, out).await?;
    Ok(Redirect::to(&format!("/programs/{program}/mentor")))
}

super::carries_csrf!(CoachForm, QuestionForm, OptOutForm, PerspectivesForm);
