//! A participant's own self-assessment for a phase: their role's statements,
//! rated 1-5, kept private (sponsors see group averages in the report).
use super::routing::{Router, get};
use super::{Checked, PageError, SignedIn};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use plab_app::AppError;
use plab_app::selfassessment::{self, MySelfAssessment};
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new().route("/programs/{program}/self-assessment/{phase}", get(page).post(save))
}

#[derive(Template, WebTemplate)]
#[template(path = "self_assessment.html")]
struct SelfAssessmentPage {
    signed_in: Option<super::Chrome>,
    csrf: String,
    program: i64,
    mine: MySelfAssessment,
    saved: bool,
    /// A problem beside each statement it names.
    errors: BTreeMap<String, String>,
}

async fn page(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path((program, phase)): Path<(String, String)>,
) -> Result<SelfAssessmentPage, PageError> {
    let (program, phase) = (crate::path_program(&program)?, selfassessment::phase(&phase)?);
    let mine = selfassessment::mine(&s.store, &visitor.actor, program, phase).await?;
    Ok(SelfAssessmentPage {
        signed_in: Some(visitor.chrome()),
        csrf: visitor.csrf,
        program: program.0,
        mine,
        saved: false,
        errors: BTreeMap::new(),
    })
}

/// Every answer is kept when one is missing: the page shows each problem beside its statement.
async fn save(
    State(s): State<AppState>,
    Path((program, phase)): Path<(String, String)>,
    Checked(visitor, form): Checked<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let (program, phase) = (crate::path_program(&program)?, selfassessment::phase(&phase)?);
    let answers: BTreeMap<String, i64> = form
        .iter()
        .filter(|(k, _)| k.as_str() != "csrf")
        .map(|(k, v)| (k.clone(), v.trim().parse().unwrap_or(0)))
        .collect();
    match selfassessment::answer(&s.store, &visitor.actor, program, phase, &answers).await {
        Ok(mine) => Ok(SelfAssessmentPage {
            signed_in: Some(visitor.chrome()),
            csrf: visitor.csrf,
            program: program.0,
            mine,
            saved: true,
            errors: BTreeMap::new(),
        }
        .into_response()),
        Err(AppError::Invalid(problems)) => {
            let mut mine = selfassessment::mine(&s.store, &visitor.actor, program, phase).await?;
            for st in &mut mine.statements {
                st.answer = answers.get(&st.code).and_then(|v| u8::try_from(*v).ok()).filter(|v| (1..=5).contains(v));
            }
            let errors = problems.into_iter().filter_map(|p| Some((p.field?, p.message))).collect();
            let page = SelfAssessmentPage {
                signed_in: Some(visitor.chrome()),
                csrf: visitor.csrf,
                program: program.0,
                mine,
                saved: false,
                errors,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
