//! The pair page's fit card (issue 23): for each partner, why they were
//! paired and their own, private fit check; for a sponsor, only whether the
//! pair needs a conversation, with the way to end and re-match it.
use super::form::{Errors, SummaryItem, problems};
use super::routing::{Router, post};
use super::{Checked, PageError, SignedIn};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use plab_app::fit::{self, MyFit};
use plab_app::lab::PairOverview;
use plab_app::why::{self, WhyPaired};
use plab_domain::PairId;
use plab_domain::fit::{FitAnswer, MAX_COMMENT_CHARS};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/pairs/{pair}/fit", post(answer))
}

/// What the fit card shows.
pub(crate) enum FitCard {
    /// One of the two partners: their own answer and the pair's reasons.
    Partner(Box<PartnerFit>),
    /// A sponsor of the program: whether the pair needs a conversation.
    Sponsor { program: i64, needs_conversation: bool, ended: bool },
}

pub(crate) struct PartnerFit {
    pub mine: MyFit,
    pub why: WhyPaired,
    /// The answer chosen on the form (kept on a refusal), or the saved one.
    pub chosen: String,
    pub comment: String,
    pub errors: Errors,
    pub summary: Vec<SummaryItem>,
    pub max_comment: usize,
}

impl PartnerFit {
    pub fn choices(&self) -> Vec<(&'static str, &'static str)> {
        FitAnswer::ALL.iter().map(|a| (a.as_str(), a.wording())).collect()
    }

    /// The saved answer as the partner reads it.
    pub fn saved(&self) -> Option<&'static str> {
        let saved = self.mine.fit.as_deref()?;
        FitAnswer::parse(saved).ok().map(FitAnswer::wording)
    }
}

/// The card for the visitor of the pair page, from what the page already read.
pub(crate) async fn card(s: &AppState, visitor: &SignedIn, lab: &PairOverview) -> Result<FitCard, PageError> {
    let id = PairId(lab.pair.id);
    if lab.notes.is_none() {
        let checks = fit::checks(&s.store, plab_store::ProgramId(lab.pair.program)).await?;
        return Ok(FitCard::Sponsor {
            program: lab.pair.program,
            needs_conversation: fit::signal(&checks, id) == plab_domain::fit::PairFit::Check,
            ended: lab.ended.is_some(),
        });
    }
    let mine = fit::mine(&s.store, &visitor.actor, id).await?;
    let why = why::why(&s.store, &visitor.actor, id).await?;
    let (chosen, comment) = (mine.fit.clone().unwrap_or_default(), mine.comment.clone().unwrap_or_default());
    Ok(FitCard::Partner(Box::new(PartnerFit {
        mine,
        why,
        chosen,
        comment,
        errors: Errors::default(),
        summary: Vec::new(),
        max_comment: MAX_COMMENT_CHARS,
    })))
}

super::carries_csrf!(FitForm);

#[derive(Deserialize)]
struct FitForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    fit: String,
    #[serde(default)]
    comment: String,
}

/// A partner saves their answer; a refused one comes back as the pair page
/// (422) with the problem beside its field and the input kept.
async fn answer(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, form): Checked<FitForm>,
) -> Result<Response, PageError> {
    let id = crate::path_pair(&raw)?;
    match fit::answer(&s.store, &visitor.actor, id, &form.fit, Some(&form.comment)).await {
        Ok(_) => Ok(Redirect::to(&format!("/pairs/{id}#fit")).into_response()),
        Err(e) => {
            let errors = problems(e)?;
            let mut page = super::pair::page(&s, visitor, id, None).await?;
            if let Some(FitCard::Partner(card)) = &mut page.fit {
                card.summary = errors.summary(&[("fit", "Your answer"), ("comment", "Your line")]);
                card.errors = errors;
                card.chosen = form.fit;
                card.comment = form.comment;
            }
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
