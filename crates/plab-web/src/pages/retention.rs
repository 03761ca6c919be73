//! Closing a program, for its sponsors: a confirmation page that says what
//! closing means, and the form that closes it.
use super::routing::{Router, get};
use super::{Checked, CsrfForm, PageError, SignedIn};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use plab_app::retention::{self, ClosingPreview};
use plab_domain::Date;

pub fn routes() -> Router<AppState> {
    Router::new().route("/programs/{program}/close", get(confirm).post(close))
}

fn today() -> Date {
    Date::of_instant(time::OffsetDateTime::now_utc())
}

#[derive(Template, WebTemplate)]
#[template(path = "program_close.html")]
struct ClosePage {
    signed_in: Option<super::Chrome>,
    csrf: String,
    program: i64,
    preview: ClosingPreview,
}

/// What closing means, and the button that does it (sponsors only).
async fn confirm(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
) -> Result<ClosePage, PageError> {
    let program = crate::path_program(&raw)?;
    let preview = retention::closing_preview(&s.store, &visitor.actor, program, today()).await?;
    Ok(ClosePage { signed_in: Some(visitor.chrome()), csrf: visitor.csrf.clone(), program: program.0, preview })
}

/// Closes the program and goes back to its page, which says so.
async fn close(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, _): Checked<CsrfForm>,
) -> Result<Response, PageError> {
    let program = crate::path_program(&raw)?;
    retention::close_as_sponsor(&s.store, &visitor.actor, program, today()).await?;
    Ok(Redirect::to(&format!("/programs/{}#closing", program.0)).into_response())
}
