//! The fit check (issue 23): after the pair's first held session each partner
//! privately answers "Is this pairing a good fit for your research
//! question?". Each reads and changes only their own answer; the program's
//! sponsors learn only which pairs need a conversation (`checks`), never who
//! answered or what (the disclosure rule's `FitAnswer`: author only).
use crate::accounts::Actor;
use crate::{AppError, access};
use plab_domain::fit::{FitAnswer, PairFit, QUESTION, parse_comment};
use plab_domain::pair::PairStatus;
use plab_domain::session::SessionStatus;
use plab_domain::{PairId, ProgramId};
use plab_store::{Pair, Store};
use serde::Serialize;
use std::collections::BTreeSet;

/// One partner's own fit answer, and whether they may give it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MyFit {
    pub pair: i64,
    /// The question, as the partner reads it.
    pub question: String,
    /// `fit`, `unsure` or `not_fit`; null before the partner answers.
    pub fit: Option<String>,
    /// The partner's optional line.
    pub comment: Option<String>,
    /// When they last answered (RFC 3339, UTC).
    pub answered_at: Option<String>,
    /// True once the pair has held its first session (and is neither ended
    /// nor in a closed program): the answer can be given or changed.
    pub open: bool,
    /// Why it cannot be answered now, in plain words; null when it can.
    pub not_yet: Option<String>,
}

const BEFORE_FIRST_SESSION: &str = "You can answer this after your first session together has been held.";
const PAIR_ENDED: &str = "This pair has ended: its fit check is closed.";

/// Why the pair's partners cannot answer now, if they cannot.
async fn refusal(store: &Store, pair: &Pair) -> Result<Option<String>, AppError> {
    if pair.status == PairStatus::Ended {
        return Ok(Some(PAIR_ENDED.to_owned()));
    }
    if let Err(AppError::Conflict(closed)) = crate::retention::refuse_if_closed(store, pair.program).await {
        return Ok(Some(closed));
    }
    let held = store.sessions(pair.id).await?.iter().any(|s| s.status == SessionStatus::Held);
    Ok((!held).then(|| BEFORE_FIRST_SESSION.to_owned()))
}

async fn view(store: &Store, pair: &Pair, me: &str) -> Result<MyFit, AppError> {
    let own = store.own_fit_answer(pair.id, me).await?;
    let not_yet = refusal(store, pair).await?;
    Ok(MyFit {
        pair: pair.id.0,
        question: QUESTION.to_owned(),
        fit: own.as_ref().map(|f| f.answer.as_str().to_owned()),
        comment: own.as_ref().and_then(|f| f.comment.clone()),
        answered_at: own.map(|f| f.answered_at),
        open: not_yet.is_none(),
        not_yet,
    })
}

/// The actor's own answer for the pair (its partners only).
pub async fn mine(store: &Store, actor: &Actor, pair: PairId) -> Result<MyFit, AppError> {
    let (p, _, me) = access::partner_of_pair(store, actor, pair).await?;
    view(store, &p, &me).await
}

/// Gives or changes the actor's own answer: `fit`, `unsure` or `not_fit`,
/// and an optional line. Before the first held session, on an ended pair or
/// in a closed program: refused (409) in plain words; a bad value: 422
/// naming the field.
pub async fn answer(
    store: &Store,
    actor: &Actor,
    pair: PairId,
    fit: &str,
    comment: Option<&str>,
) -> Result<MyFit, AppError> {
    let (p, role, me) = access::partner_of_pair(store, actor, pair).await?;
    crate::retention::refuse_if_closed(store, p.program).await?;
    if let Some(why) = refusal(store, &p).await? {
        return Err(AppError::Conflict(why));
    }
    let mut problems = Vec::new();
    let answer = FitAnswer::parse(fit).map_err(|e| problems.push(e)).ok();
    let comment = parse_comment(comment).map_err(|e| problems.push(e)).ok().flatten();
    let Some(answer) = answer.filter(|_| problems.is_empty()) else { return Err(problems.into()) };
    store.save_fit_answer(p.id, &me, role, answer, comment.as_deref()).await?;
    view(store, &p, &me).await
}

/// The program's open pairs that need a conversation about their fit. For
/// views the caller has already limited to the program's sponsors.
pub async fn checks(store: &Store, program: ProgramId) -> Result<BTreeSet<PairId>, AppError> {
    Ok(store.pairs_needing_fit_check(program).await?)
}

/// The signal a sponsor reads for one pair, from `checks`.
pub fn signal(checks: &BTreeSet<PairId>, pair: PairId) -> PairFit {
    if checks.contains(&pair) { PairFit::Check } else { PairFit::Clear }
}
