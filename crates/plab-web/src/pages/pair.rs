//! A pair's page: the lab rules, their acceptance, the sessions and, for the
//! two partners only, the pair's notes.
use super::routing::{Router, get, post};
use super::{Checked, CsrfForm, PageError, SignedIn};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::Redirect;
use plab_app::{lab, signals};
use plab_domain::charter::{LAB_RULES, LabRule};
use plab_domain::signals::Signal;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/pairs/{pair}", get(pair))
        .route("/pairs/{pair}/notes", post(add_note))
        .route("/pairs/{pair}/charter", post(accept_charter))
}

#[derive(Template, WebTemplate)]
#[template(path = "pair.html")]
struct PairPage {
    signed_in: Option<super::Chrome>,
    csrf: String,
    lab: lab::PairOverview,
    rules: &'static [LabRule],
    /// The signals this visitor may see: the partner's for their role, all for a sponsor.
    signals: Vec<Signal>,
    /// What the last action did, in a sentence.
    notice: Option<&'static str>,
}

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

async fn pair(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
    axum::extract::Query(query): axum::extract::Query<DoneQuery>,
) -> Result<PairPage, PageError> {
    let id = crate::path_pair(&raw)?;
    let lab = lab::overview(&s.store, &s.vault, &visitor.actor, id).await?;
    let signals = signals::for_pair(&s.store, &visitor.actor, id).await?;
    let notice = match query.done.as_deref() {
        Some("accepted") if lab.pair.status == "active" => {
            Some("You accepted the lab rules. You both have: your sessions are planned.")
        }
        Some("accepted") => Some("You accepted the lab rules. The pair starts once your partner accepts them too."),
        Some("note") => Some("Your note is saved. Only the two of you can read it."),
        _ => None,
    };
    Ok(PairPage { signed_in: Some(visitor.chrome()), csrf: visitor.csrf, lab, rules: &LAB_RULES, signals, notice })
}

super::carries_csrf!(NoteForm);

#[derive(Deserialize)]
struct NoteForm {
    #[serde(default)]
    csrf: String,
    body: String,
}

async fn add_note(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, form): Checked<NoteForm>,
) -> Result<Redirect, PageError> {
    let id = crate::path_pair(&raw)?;
    lab::add_note(&s.store, &s.vault, &visitor.actor, id, &form.body).await?;
    Ok(Redirect::to(&format!("/pairs/{id}?done=note#notes")))
}

async fn accept_charter(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, _): Checked<CsrfForm>,
) -> Result<Redirect, PageError> {
    let id = crate::path_pair(&raw)?;
    lab::accept_charter(&s.store, &s.vault, &s.post, &visitor.actor, id).await?;
    Ok(Redirect::to(&format!("/pairs/{id}?done=accepted")))
}
