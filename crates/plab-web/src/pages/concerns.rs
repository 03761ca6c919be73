//! Confidential concerns: the form a leader or mentor raises one with (it
//! says plainly who will and will not read it), and the page where the
//! people it was routed to read it.
use super::form::{Errors, SummaryItem};
use super::routing::{Router, get};
use super::{Checked, PageError, SignedIn};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use plab_app::concerns::{self, OwnConcern, RoutedConcern};
use plab_app::{AppError, Problem};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/programs/{program}/concerns", get(routed))
        .route("/programs/{program}/concerns/new", get(form).post(raise))
}

#[derive(Template, WebTemplate)]
#[template(path = "concerns.html")]
struct RoutedPage {
    signed_in: Option<super::Chrome>,
    program_name: String,
    concerns: Vec<RoutedConcern>,
}

async fn routed(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
) -> Result<RoutedPage, PageError> {
    let program = crate::path_program(&raw)?;
    let page = concerns::for_reader(&s.store, &visitor.actor, program).await?;
    Ok(RoutedPage { signed_in: Some(visitor.chrome()), program_name: page.program_name, concerns: page.concerns })
}

#[derive(Template, WebTemplate)]
#[template(path = "concern_new.html")]
struct RaisePage {
    signed_in: Option<super::Chrome>,
    csrf: String,
    program: i64,
    program_name: String,
    mine: Vec<OwnConcern>,
    /// The text box and the anonymity box as typed, kept when refused.
    draft: String,
    anonymous: bool,
    errors: Errors,
    raised: bool,
}

impl RaisePage {
    async fn load(s: &AppState, visitor: &SignedIn, program: plab_store::ProgramId) -> Result<RaisePage, PageError> {
        let page = concerns::for_raiser(&s.store, &visitor.actor, program).await?;
        Ok(RaisePage {
            signed_in: Some(visitor.chrome()),
            csrf: visitor.csrf.clone(),
            program: program.0,
            program_name: page.program_name,
            mine: page.concerns,
            draft: String::new(),
            anonymous: true,
            errors: Errors::default(),
            raised: false,
        })
    }

    fn summary(&self) -> Vec<SummaryItem> {
        self.errors.summary(&[("text", "Your concern")])
    }
}

#[derive(Deserialize)]
struct RaisedQuery {
    raised: Option<String>,
}

async fn form(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
    Query(query): Query<RaisedQuery>,
) -> Result<RaisePage, PageError> {
    let mut page = RaisePage::load(&s, &visitor, crate::path_program(&raw)?).await?;
    page.raised = query.raised.is_some();
    Ok(page)
}

#[derive(Deserialize)]
struct RaiseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    text: String,
    /// A checkbox: present when ticked.
    anonymous: Option<String>,
}
super::carries_csrf!(RaiseForm);

/// A refused text (422) or nobody to receive it (409) is the same form with the input kept.
async fn raise(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, form): Checked<RaiseForm>,
) -> Result<Response, PageError> {
    let program = crate::path_program(&raw)?;
    let anonymous = form.anonymous.is_some();
    let refused =
        match concerns::raise(&s.store, &s.vault, &s.post, &visitor.actor, program, &form.text, anonymous).await {
            Ok(_) => return Ok(Redirect::to(&format!("/programs/{program}/concerns/new?raised=1")).into_response()),
            Err(AppError::Invalid(problems)) => (StatusCode::UNPROCESSABLE_ENTITY, problems),
            Err(AppError::Conflict(message)) => (StatusCode::CONFLICT, vec![Problem::new(message)]),
            Err(other) => return Err(other.into()),
        };
    let mut page = RaisePage::load(&s, &visitor, program).await?;
    page.draft = form.text;
    page.anonymous = anonymous;
    page.errors = Errors(refused.1);
    Ok((refused.0, page).into_response())
}
