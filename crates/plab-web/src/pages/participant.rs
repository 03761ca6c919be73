//! A leader's research question (with the coach's feedback as they type) and a
//! mentor's perspectives and opt-out.
use super::{Checked, PageError, Session};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Redirect;
use axum::routing::{get, post};
use plab_app::programs::{self, participant};
use plab_domain::coach::Assessment;
use plab_domain::question::QuestionVersion;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/programs/{program}/question", get(question).post(save_question))
        .route("/programs/{program}/mentor", get(mentor).post(save_opt_out))
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
    signed_in: Option<String>,
    csrf: String,
    program: i64,
    history: Vec<QuestionVersion>,
}

async fn question(
    State(s): State<AppState>,
    session: Session,
    Path(raw): Path<String>,
) -> Result<QuestionPage, PageError> {
    let program = programs::parse_id(&raw)?;
    let mut history = participant::my_questions(&s.store, &session.actor, program).await?;
    history.reverse();
    Ok(QuestionPage { signed_in: Some(session.csrf.clone()), csrf: session.csrf, program: program.0, history })
}

#[derive(Deserialize)]
struct QuestionForm {
    #[serde(default)]
    csrf: String,
    text: String,
}

async fn save_question(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(session, form): Checked<QuestionForm>,
) -> Result<Redirect, PageError> {
    let program = programs::parse_id(&raw)?;
    participant::set_my_question(&s.store, &session.actor, program, &form.text).await?;
    Ok(Redirect::to(&format!("/programs/{program}/question")))
}

#[derive(Template, WebTemplate)]
#[template(path = "mentor.html")]
struct MentorPage {
    signed_in: Option<String>,
    csrf: String,
    program: i64,
    profile: participant::MentorProfile,
}

async fn mentor(State(s): State<AppState>, session: Session, Path(raw): Path<String>) -> Result<MentorPage, PageError> {
    let program = programs::parse_id(&raw)?;
    let profile = participant::my_mentor_profile(&s.store, &session.actor, program).await?;
    Ok(MentorPage { signed_in: Some(session.csrf.clone()), csrf: session.csrf, program: program.0, profile })
}

#[derive(Deserialize)]
struct OptOutForm {
    #[serde(default)]
    csrf: String,
    /// `out` to step out of pairing, `in` to step back in.
    pairing: String,
}

async fn save_opt_out(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(session, form): Checked<OptOutForm>,
) -> Result<Redirect, PageError> {
    let program = programs::parse_id(&raw)?;
    participant::set_my_opt_out(&s.store, &session.actor, program, form.pairing == "out").await?;
    Ok(Redirect::to(&format!("/programs/{program}/mentor")))
}

super::carries_csrf!(CoachForm, QuestionForm, OptOutForm);
