//! A program's close-out page: a leader or mentor answers the exit question
//! ("Would you take part again, and in which role?"); the form pattern keeps
//! a refused answer with its problem beside the field.
use super::form::{Errors, SummaryItem};
use super::routing::{Router, get};
use super::{Checked, PageError, SignedIn};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use plab_app::life::{self, MyExit};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/programs/{program}/exit", get(page).post(save))
}

#[derive(Template, WebTemplate)]
#[template(path = "program_exit.html")]
struct ExitPage {
    signed_in: Option<super::Chrome>,
    csrf: String,
    program: i64,
    name: String,
    mine: MyExit,
    saved: bool,
    choice_error: String,
    comment_error: String,
    summary: Vec<SummaryItem>,
}

impl ExitPage {
    fn chosen(&self, value: &str) -> bool {
        self.mine.choice.as_deref() == Some(value)
    }
}

const LABELS: [(&str, &str); 2] = [("choice", "Would you take part again"), ("comment", "Anything to add")];

async fn page(State(s): State<AppState>, visitor: SignedIn, Path(raw): Path<String>) -> Result<ExitPage, PageError> {
    let program = crate::path_program(&raw)?;
    let mine = life::my_exit(&s.store, &visitor.actor, program).await?;
    let name = life::show(&s.store, &visitor.actor, program).await?.name;
    Ok(ExitPage {
        signed_in: Some(visitor.chrome()),
        csrf: visitor.csrf,
        program: program.0,
        name,
        mine,
        saved: false,
        choice_error: String::new(),
        comment_error: String::new(),
        summary: Vec::new(),
    })
}

#[derive(Deserialize)]
struct ExitForm {
    csrf: String,
    #[serde(default)]
    choice: String,
    #[serde(default)]
    comment: String,
}

super::carries_csrf!(ExitForm);

async fn save(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, form): Checked<ExitForm>,
) -> Result<Response, PageError> {
    let program = crate::path_program(&raw)?;
    let name = life::show(&s.store, &visitor.actor, program).await?.name;
    match life::set_my_exit(&s.store, &visitor.actor, program, &form.choice, Some(&form.comment)).await {
        Ok(mine) => Ok(ExitPage {
            signed_in: Some(visitor.chrome()),
            csrf: visitor.csrf,
            program: program.0,
            name,
            mine,
            saved: true,
            choice_error: String::new(),
            comment_error: String::new(),
            summary: Vec::new(),
        }
        .into_response()),
        Err(e) => {
            let errors: Errors = super::form::problems(e)?;
            let mut mine = life::my_exit(&s.store, &visitor.actor, program).await?;
            mine.choice = Some(form.choice.clone()).filter(|c| !c.is_empty());
            mine.comment = Some(form.comment.clone());
            let page = ExitPage {
                signed_in: Some(visitor.chrome()),
                csrf: visitor.csrf,
                program: program.0,
                name,
                mine,
                saved: false,
                choice_error: errors.of("choice"),
                comment_error: errors.of("comment"),
                summary: errors.summary(&LABELS),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
